/* page_dashboard.c - the dashboard of a scope: headline figures linked to
 * what is behind them, charts drawn on the server, target progress, and a
 * pivot of any indicator by two breakdowns. Also as JSON. */
#include "core/clock.h"
#include "io/doc.h"
#include "stats/dashboard.h"
#include "stats/indicator.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int dashboard_query_or_reply(struct req *r, struct resp *w, struct dashboard_query *q,
				    char today[11])
{
	memset(q, 0, sizeof *q);
	if (period_or_reply(r, w, &q->period) < 0)
		return -1;
	q->from = q->period->year_from;
	q->to = q->period->year_to;
	/* The links carry the period as it was asked, from validated values. */
	const char *kind = req_query(r, "period");
	if (kind && *kind && strcmp(kind, "calendar")) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "period=%t", kind);
		static const char *const keys[] = {"from",	"to",	   "half",
						   "date_from", "date_to", "programme_id"};
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
			const char *x = req_query(r, keys[i]);
			if (x && *x)
				buf_printf(&b, "&%t=%t", keys[i], x);
		}
		q->link_query = arena_strdup(r->arena, buf_cstr(&b));
		buf_free(&b);
	} else
		q->period = NULL; /* calendar years: from/to, as before */
	const char *v = req_query(r, "content_type"), *v2;
	q->content_type = v && *v ? v : NULL;
	v = req_query(r, "funding");
	q->funding = v && *v ? v : NULL;
	if (province_or_reply(r, w, "province", "new", 0, &q->province) < 0)
		return -1;
	if (!actor_reads_all(&r->actor) && !q->province && r->actor.province[0])
		q->province = r->actor.province;
	if (query_choice_or_reply(r, w, "units", &v) < 0 ||
	    query_choice_or_reply(r, w, "illustrative", &v2) < 0)
		return -1;
	q->old_units = v && !strcmp(v, "old");
	q->illustrative = v2 && !strcmp(v2, "1");
	clock_today(today);
	q->today = today;
	return 0;
}

void h_api_dashboard(struct req *r, struct resp *w)
{
	struct dashboard_query q;
	char today[11];
	if (dashboard_query_or_reply(r, w, &q, today) < 0)
		return;
	struct err e;
	json_t *out;
	if (dashboard_build(r->st, &r->actor, &q, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	const char *ind = req_query(r, "indicator");
	if (ind && *ind) {
		json_t *pivot;
		const char *rows = req_query(r, "rows"), *cols = req_query(r, "cols");
		if (dashboard_pivot(r->st, &r->actor, &q, ind, rows && *rows ? rows : "province",
				    cols && *cols ? cols : "year", &pivot, &e) < 0) {
			json_decref(out);
			reply_err(r, w, &e);
			return;
		}
		json_object_set_new(out, "pivot", pivot);
	}
	reply_json(w, 200, out);
}

static void filters(struct req *r, struct resp *w, const struct dashboard_query *q)
{
	page_printf(w, "<form method=\"get\" class=\"filters\" id=\"dashboard-filters\">");
	if (actor_reads_all(&r->actor)) {
		page_printf(w, "<label>%h<select name=\"province\" id=\"province-picker\">",
			    T(r, "dash.province"));
		page_option(w, "", T(r, "dash.all_provinces"), !q->province);
		page_province_options(r, w, "new", q->province);
		page_printf(w, "</select></label>");
	}
	stats_period_fields(r, w);
	page_printf(w, "<label>%h<select name=\"units\">", T(r, "dash.units"));
	page_printf(w, "<option value=\"new\">%h</option><option value=\"old\"",
		    T(r, "dash.today_s"));
	if (q->old_units)
		page_printf(w, " selected");
	page_printf(w, ">%h</option></select></label><button type=\"submit\">%h</button></form>",
		    T(r, "dash.of_the_time"), T(r, "dash.show"));
}

static const char *source_label(struct req *r, const char *source)
{
	if (!strcmp(source, "none"))
		return T(r, "dash.no_data_in_period");
	if (!strcmp(source, "records"))
		return T(r, "dash.computed_from_records");
	if (!strcmp(source, "reported"))
		return T(r, "dash.from_reported_figures");
	if (!strcmp(source, "overflow"))
		return T(r, "dash.overflow");
	return T(r, "dash.records_and_reported_figures");
}

/* One headline figure: its name and number lead to the statistics page (by
 * province, year...), the line below to the records and reported figures
 * behind the number itself. */
static void headline_card(struct req *r, struct resp *w, json_t *it)
{
	const char *stats = json_string_value(json_object_get(it, "link"));
	const char *recs = json_string_value(json_object_get(it, "records"));
	const char *figs = json_string_value(json_object_get(it, "figures"));
	const char *label = source_label(r, json_string_value(json_object_get(it, "source")));
	const char *src = json_string_value(json_object_get(it, "source"));
	page_printf(w,
		    "<div class=\"card%h\" data-indicator=\"%h\"><p><a href=\"%h\">%h</a></p>"
		    "<h3><a href=\"%h\">%h</a></h3><p class=\"muted\">",
		    strcmp(src, "none") ? "" : " no-data",
		    json_string_value(json_object_get(it, "indicator")), stats,
		    json_string_value(json_object_get(it, "name")), stats,
		    json_string_value(json_object_get(it, "text")));
	if (recs && figs) /* mixed: the label, then each list */
		page_printf(w,
			    "%h · <a class=\"behind-records\" href=\"%h\">%h</a> · "
			    "<a class=\"behind-figures\" href=\"%h\">%h</a>",
			    label, recs, T(r, "stats.records"), figs, T(r, "stats.figures_used"));
	else if (recs || figs)
		page_printf(w, "<a class=\"%h\" href=\"%h\">%h</a>",
			    recs ? "behind-records" : "behind-figures", recs ? recs : figs, label);
	else
		page_printf(w, "%h", label);
	const char *cov =
		json_string_value(json_object_get(json_object_get(it, "coverage"), "text"));
	page_printf(w, "</p>");
	if (cov)
		page_printf(w, "<p class=\"muted coverage\">%h</p>", cov);
	page_printf(w, "</div>");
}

static void headline_cards(struct req *r, struct resp *w, json_t *items)
{
	page_printf(w, "<div class=\"cards headline\" id=\"headline\">");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) headline_card(r, w, it);
	if (!json_array_size(items))
		page_printf(w, "<p>%h</p>", T(r, "list.empty"));
	page_printf(w, "</div>");
}

static void charts(struct resp *w, json_t *list)
{
	page_printf(w, "<div class=\"charts\">");
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		struct buf svg = BUF_INIT;
		struct err e;
		if (chart_svg(c, 560, 300, &svg, &e) == 0) {
			/* As an image: each SVG keeps its own ids, and no markup of it
			 * reaches the page. */
			size_t n =
				sodium_base64_encoded_len(svg.len, sodium_base64_VARIANT_ORIGINAL);
			char *b64 = xmalloc(n);
			sodium_bin2base64(b64, n, (const unsigned char *)svg.data, svg.len,
					  sodium_base64_VARIANT_ORIGINAL);
			page_printf(
				w,
				"<figure class=\"chart\"><figcaption><a "
				"href=\"%h\">%h</a></figcaption>"
				"<img alt=\"%h\" src=\"data:image/svg+xml;base64,%h\"></figure>",
				json_string_value(json_object_get(c, "link")),
				json_string_value(json_object_get(c, "title")),
				json_string_value(json_object_get(c, "title")), b64);
			free(b64);
		}
		buf_free(&svg);
	}
	page_printf(w, "</div>");
}

/* Each programme with targets leads to its targets page, where every
 * target reads in full (the chart holds only those with a progress). */
static void targets_links(struct req *r, struct resp *w, json_t *targets)
{
	json_t *seen = json_object();
	size_t i;
	json_t *t;
	json_array_foreach(targets, i, t)
	{
		char id[24];
		snprintf(id, sizeof id, "%lld",
			 (long long)json_integer_value(json_object_get(t, "programme_id")));
		if (json_object_get(seen, id))
			continue;
		if (!json_object_size(seen))
			page_printf(w, "<h2>%h</h2><ul id=\"targets-links\">",
				    T(r, "targets.link"));
		json_object_set_new(seen, id, json_true());
		page_printf(w, "<li><a href=\"/programmes/%h/targets\">%h</a></li>", id,
			    json_string_value(json_object_get(t, "programme")));
	}
	if (json_object_size(seen))
		page_printf(w, "</ul>");
	json_decref(seen);
}

static void pivot_form(struct req *r, struct resp *w)
{
	const char *cur = req_query(r, "indicator");
	page_printf(w, "<h2>%h</h2><form method=\"get\" class=\"filters\" id=\"pivot-form\">",
		    T(r, "dash.pivot_table"));
	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, "indicator") && strcmp(r->query[i].key, "rows") &&
		    strcmp(r->query[i].key, "cols"))
			page_printf(w, "<input type=\"hidden\" name=\"%h\" value=\"%h\">",
				    r->query[i].key, r->query[i].value);
	page_printf(w, "<label>%h<select name=\"indicator\">", T(r, "dash.indicator"));
	for (const struct indicator *i = indicators; i->code; i++) {
		page_printf(w, "<option value=\"%h\"", i->code);
		if (cur && !strcmp(cur, i->code))
			page_printf(w, " selected");
		page_printf(w, ">%h</option>", page_pick(r, i->vi, i->en));
	}
	const char *rows = req_query(r, "rows"), *cols = req_query(r, "cols");
	page_printf(w, "</select></label><label>%h<select name=\"rows\">", T(r, "dash.rows"));
	page_option(w, "province", T(r, "dash.province"), !rows || strcmp(rows, "year"));
	page_option(w, "year", T(r, "dash.year"), rows && !strcmp(rows, "year"));
	page_printf(w, "</select></label><label>%h<select name=\"cols\">", T(r, "dash.columns"));
	page_by_options(r, w, cols && *cols ? cols : "year");
	page_printf(w, "</select></label><button type=\"submit\">%h</button></form>",
		    T(r, "dash.build"));
}

static void pivot_table(struct req *r, struct resp *w, json_t *p)
{
	page_printf(w, "<div class=\"scroll\"><table class=\"report\" id=\"pivot\"><thead><tr><th>"
		       "</th>");
	size_t i, j;
	json_t *c;
	json_array_foreach(json_object_get(p, "columns"), i, c)
		page_printf(w, "<th>%h</th>", json_string_value(c));
	page_printf(w, "</tr></thead><tbody>");
	json_t *line;
	json_array_foreach(json_object_get(p, "cells"), i, line)
	{
		page_printf(w, "<tr><th>%h</th>",
			    json_string_value(json_array_get(json_object_get(p, "rows"), i)));
		for (j = 0; j < json_array_size(json_object_get(p, "columns")); j++) {
			json_t *cell = json_array_get(line, j);
			const char *link = json_string_value(json_object_get(cell, "link"));
			const char *flink =
				json_string_value(json_object_get(cell, "figures_link"));
			const char *text = json_string_value(json_object_get(cell, "text"));
			/* A number of records links to them, one of reported figures to
			 * those; a mixed one to both. */
			if (link && flink)
				page_printf(w,
					    "<td class=\"num\"><a href=\"%h\">%h</a> <a href=\"%h\" "
					    "class=\"figures-link\" title=\"%h\">*</a></td>",
					    link, text, flink, T(r, "stats.figures_behind"));
			else if (link || flink)
				page_printf(w, "<td class=\"num\"><a href=\"%h\">%h</a></td>",
					    link ? link : flink, text);
			else
				page_printf(w, "<td class=\"num\">%h</td>", text ? text : "");
		}
		page_printf(w, "</tr>");
	}
	page_printf(w, "</tbody></table></div>");
	if (!json_array_size(json_object_get(p, "columns")))
		page_printf(w, "<p class=\"muted\">%h</p>", T(r, "dash.no_figures_can_be"));
}

void h_dashboard_page(struct req *r, struct resp *w)
{
	struct dashboard_query q;
	char today[11];
	if (dashboard_query_or_reply(r, w, &q, today) < 0)
		return;
	struct err e;
	json_t *out;
	if (dashboard_build(r->st, &r->actor, &q, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_begin(r, w, "nav.dashboard");
	filters(r, w, &q);
	headline_cards(r, w, json_object_get(out, "headline"));
	charts(w, json_object_get(out, "charts"));
	targets_links(r, w, json_object_get(out, "targets"));
	pivot_form(r, w);
	const char *ind = req_query(r, "indicator");
	if (ind && *ind) {
		json_t *pivot;
		const char *rows = req_query(r, "rows"), *cols = req_query(r, "cols");
		if (dashboard_pivot(r->st, &r->actor, &q, ind, rows && *rows ? rows : "province",
				    cols && *cols ? cols : "year", &pivot, &e) < 0) {
			page_printf(w, "<p class=\"error\" role=\"alert\">%h</p>",
				    page_message(r, e.message));
		} else {
			pivot_table(r, w, pivot);
			json_decref(pivot);
		}
	}
	json_decref(out);
	page_end(r, w);
}
