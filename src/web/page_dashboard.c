/* page_dashboard.c - the dashboard of a scope: headline figures linked to
 * what is behind them, charts drawn on the server, target progress, and a
 * pivot of any indicator by two breakdowns. Also as JSON. */
#include "core/clock.h"
#include "io/chart.h"
#include "io/doc.h"
#include "stats/dashboard.h"
#include "stats/indicator.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const period_keys[] = {"period",    "from",	  "to",		 "half",
					  "date_from", "date_to", "programme_id"};
#define NPERIOD_KEYS (sizeof period_keys / sizeof period_keys[0])

/* A choice of the period picker into *sp: "ry-2026" (reporting year),
 * "h1-2026" / "h2-2026" (its halves), "cal-2021-2025" (calendar years),
 * "all" (every year). -1 when v is none of them. */
static int preset_parse(const char *v, struct period_spec *sp)
{
	memset(sp, 0, sizeof *sp);
	int a = 0, b = 0, n = 0;
	if (!strcmp(v, "all"))
		return 0;
	if (sscanf(v, "ry-%4d%n", &a, &n) == 1 && !v[n]) {
		sp->kind = PERIOD_REPORTING_YEAR;
		sp->from = sp->to = a;
	} else if ((sscanf(v, "h1-%4d%n", &a, &n) == 1 || sscanf(v, "h2-%4d%n", &a, &n) == 1) &&
		   !v[n]) {
		sp->kind = PERIOD_HALF_YEAR;
		sp->from = sp->to = a;
		sp->half = v[1] - '0';
	} else if (sscanf(v, "cal-%4d-%4d%n", &a, &b, &n) == 2 && !v[n]) {
		sp->kind = PERIOD_CALENDAR;
		sp->from = a;
		sp->to = b;
	} else
		return -1;
	return a >= 1900 && a <= 2100 && (!b || (b >= 1900 && b <= 2100)) ? 0 : -1;
}

/* The period of a choice of the picker, or with nothing asked the current
 * reporting year: q's period, years and the parameters its links carry. */
static int preset_or_reply(struct req *r, struct resp *w, struct dashboard_query *q,
			   const struct period_spec *sp)
{
	struct period *p = arena_alloc(r->arena, sizeof *p);
	struct err e;
	err_clear(&e);
	if (period_resolve(r->st, sp, p, &e) < 0) {
		reply_err(r, w, &e);
		return -1;
	}
	q->from = p->year_from;
	q->to = p->year_to;
	if (sp->kind == PERIOD_CALENDAR)
		return 0; /* calendar years: from/to, as the detailed fields give them */
	q->period = p;
	struct buf b = BUF_INIT;
	buf_printf(&b, "period=%t&from=%d&to=%d", period_kind_name(sp->kind), sp->from, sp->to);
	if (sp->half)
		buf_printf(&b, "&half=%d", sp->half);
	q->link_query = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return 0;
}

/* The value of the picker's choice that q's period is ("custom" when the
 * detailed fields gave one the picker does not offer) into cur. */
static void preset_value(const struct period_spec *sp, int custom, char cur[24])
{
	if (custom)
		snprintf(cur, 24, "custom");
	else if (sp->kind == PERIOD_REPORTING_YEAR)
		snprintf(cur, 24, "ry-%d", sp->from);
	else if (sp->kind == PERIOD_HALF_YEAR)
		snprintf(cur, 24, "h%d-%d", sp->half, sp->from);
	else if (sp->from || sp->to)
		snprintf(cur, 24, "cal-%d-%d", sp->from, sp->to);
	else
		snprintf(cur, 24, "all");
}

/* Reads the dashboard's query. The period is the picker's choice
 * ("preset"), else the detailed fields (period, from, to...), else — nothing
 * asked — the current reporting year, so that no card mixes periods
 * unasked. cur gets the picker's value for the form. */
static int dashboard_query_or_reply(struct req *r, struct resp *w, struct dashboard_query *q,
				    char today[11], char cur[24])
{
	memset(q, 0, sizeof *q);
	clock_today(today);
	q->today = today;
	const char *preset = req_query(r, "preset");
	int asked = 0;
	for (size_t i = 0; i < NPERIOD_KEYS; i++) {
		const char *x = req_query(r, period_keys[i]);
		asked |= x && *x;
	}
	struct period_spec sp;
	if (preset && *preset && strcmp(preset, "custom")) {
		if (preset_parse(preset, &sp) < 0) {
			reply_error(r, w, 400, "invalid",
				    "Kỳ không hợp lệ: chọn một kỳ trong danh sách / preset is "
				    "ry-YYYY, h1-YYYY, h2-YYYY, cal-YYYY-YYYY, all or custom",
				    "preset");
			return -1;
		}
	} else if (!asked && !(preset && *preset)) {
		memset(&sp, 0, sizeof sp);
		struct err e;
		err_clear(&e);
		if (period_year_of(r->st, today, &sp.from, &e) < 0) {
			reply_err(r, w, &e);
			return -1;
		}
		sp.kind = PERIOD_REPORTING_YEAR;
		sp.to = sp.from;
	} else
		goto detailed;
	if (preset_or_reply(r, w, q, &sp) < 0)
		return -1;
	preset_value(&sp, 0, cur);
	goto filters;
detailed:
	snprintf(cur, 24, "custom");
	if (period_or_reply(r, w, &q->period) < 0)
		return -1;
	q->from = q->period->year_from;
	q->to = q->period->year_to;
	/* The links carry the period as it was asked, from validated values. */
	const char *kind = req_query(r, "period");
	if (kind && *kind && strcmp(kind, "calendar")) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "period=%t", kind);
		for (size_t i = 1; i < NPERIOD_KEYS; i++) { /* all but "period" */
			const char *x = req_query(r, period_keys[i]);
			if (x && *x)
				buf_printf(&b, "&%t=%t", period_keys[i], x);
		}
		q->link_query = arena_strdup(r->arena, buf_cstr(&b));
		buf_free(&b);
		if (!strcmp(kind, "reporting_year") && q->from && q->from == q->to) {
			memset(&sp, 0, sizeof sp); /* one reporting year: the picker's choice */
			sp.kind = PERIOD_REPORTING_YEAR;
			sp.from = sp.to = q->from;
			preset_value(&sp, 0, cur);
		}
	} else {
		q->period = NULL; /* calendar years: from/to, as before */
		memset(&sp, 0, sizeof sp);
		sp.from = q->from;
		sp.to = q->to;
		/* Calendar years the picker offers read as its choice. */
		int span = q->from && q->to && q->to - q->from == 4 && q->from % 5 == 1;
		if (span || (!q->from && !q->to))
			preset_value(&sp, 0, cur);
	}
filters:;
	const char *v = req_query(r, "content_type"), *v2;
	q->content_type = v && *v ? v : NULL;
	v = req_query(r, "funding");
	q->funding = v && *v ? v : NULL;
	if (query_text_or_reply(r, w, "province", &q->province) < 0)
		return -1;
	if (!actor_reads_all(&r->actor) && !q->province && r->actor.province[0])
		q->province = r->actor.province;
	if (query_choice_or_reply(r, w, "units", &v) < 0 ||
	    query_choice_or_reply(r, w, "illustrative", &v2) < 0)
		return -1;
	q->old_units = v && !strcmp(v, "old");
	q->illustrative = v2 && !strcmp(v2, "1");
	return 0;
}

void h_api_dashboard(struct req *r, struct resp *w)
{
	struct dashboard_query q;
	char today[11], cur[24];
	if (dashboard_query_or_reply(r, w, &q, today, cur) < 0)
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

/* One choice of the period picker, labelled as the period resolves
 * ("Năm báo cáo 2026 (15/12/2025 – 14/12/2026)"). */
static int preset_option(struct req *r, struct resp *w, const char *cur, const char *value)
{
	struct period_spec sp;
	struct period p;
	struct err e;
	if (preset_parse(value, &sp) < 0 || period_resolve(r->st, &sp, &p, &e) < 0)
		return 0;
	char *label = (char *)page_pick(r, p.label, p.label_en);
	if (sp.kind == PERIOD_CALENDAR) /* a span of whole years reads as one */
		snprintf(label, sizeof p.label, "%s %d – %d", T(r, "dash.span"), sp.from, sp.to);
	else if (label[0] >= 'a' && label[0] <= 'z')
		label[0] = (char)(label[0] - 'a' + 'A');
	page_option(w, value, label, !strcmp(cur, value));
	return !strcmp(cur, value);
}

/* The period picker: the current reporting year and those before it, the
 * halves of this one and the last, the five-year spans, every year; and
 * what the detailed fields chose, kept by hidden fields. */
static void period_picker(struct req *r, struct resp *w, const char *today, const char *cur)
{
	int y = 0;
	struct err e;
	if (period_year_of(r->st, today, &y, &e) < 0)
		return;
	page_printf(w, "<label class=\"period\">%h<select name=\"preset\" id=\"period-picker\">",
		    T(r, "stats.period"));
	char v[24];
	int shown = 0;
	for (int i = 0; i < 6; i++) {
		snprintf(v, sizeof v, "ry-%d", y - i);
		shown |= preset_option(r, w, cur, v);
	}
	for (int i = 0; i < 4; i++) {
		snprintf(v, sizeof v, "h%d-%d", 1 + i % 2, y - i / 2);
		shown |= preset_option(r, w, cur, v);
	}
	int span = y - (y - 1) % 5; /* 2026-2030, 2021-2025, 2016-2020 */
	for (int i = 0; i < 3; i++) {
		snprintf(v, sizeof v, "cal-%d-%d", span - 5 * i, span - 5 * i + 4);
		shown |= preset_option(r, w, cur, v);
	}
	page_option(w, "all", T(r, "dash.all_years"), !strcmp(cur, "all"));
	if (!shown && strcmp(cur, "all") && strcmp(cur, "custom"))
		preset_option(r, w, cur, cur); /* a year the list does not hold stays chosen */
	if (!strcmp(cur, "custom"))
		page_option(w, "custom", T(r, "dash.other_period"), 1);
	page_printf(w, "</select></label>");
	if (!strcmp(cur, "custom"))
		for (size_t i = 0; i < NPERIOD_KEYS; i++) {
			const char *x = req_query(r, period_keys[i]);
			if (x && *x)
				page_printf(w, "<input type=\"hidden\" name=\"%h\" value=\"%h\">",
					    period_keys[i], x);
		}
}

/* The other filters as hidden fields of the detailed period's form. */
static void keep_filters(struct req *r, struct resp *w)
{
	static const char *const keys[] = {"province", "units", "content_type", "funding",
					   "illustrative"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *x = req_query(r, keys[i]);
		if (x && *x)
			page_printf(w, "<input type=\"hidden\" name=\"%h\" value=\"%h\">", keys[i],
				    x);
	}
}

static void filters(struct req *r, struct resp *w, const struct dashboard_query *q, const char *cur)
{
	page_printf(w, "<form method=\"get\" class=\"filters\" id=\"dashboard-filters\">");
	if (actor_reads_all(&r->actor)) {
		page_printf(w, "<label>%h<select name=\"province\" id=\"province-picker\">",
			    T(r, "dash.province"));
		page_option(w, "", T(r, "dash.all_provinces"), !q->province);
		page_province_options(r, w, "new", q->province);
		page_printf(w, "</select></label>");
	}
	period_picker(r, w, q->today, cur);
	stats_filter_fields(r, w);
	page_printf(w, "<label>%h<select name=\"units\">", T(r, "dash.units"));
	page_printf(w, "<option value=\"new\">%h</option><option value=\"old\"",
		    T(r, "dash.today_s"));
	if (q->old_units)
		page_printf(w, " selected");
	page_printf(w, ">%h</option></select></label><button type=\"submit\">%h</button></form>",
		    T(r, "dash.of_the_time"), T(r, "dash.show"));
	/* Any other period: calendar or reporting years, a range of dates, a
	 * programme's years. */
	page_printf(w,
		    "<details class=\"more-period\"%h><summary>%h</summary>"
		    "<form method=\"get\" class=\"filters\" id=\"dashboard-period-form\">",
		    strcmp(cur, "custom") ? "" : " open", T(r, "dash.other_period_pick"));
	keep_filters(r, w);
	page_printf(w, "<input type=\"hidden\" name=\"preset\" value=\"custom\">");
	stats_period_only_fields(r, w);
	page_printf(w, "<button type=\"submit\">%h</button></form></details>", T(r, "dash.show"));
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
	const char *text = json_string_value(json_object_get(it, "text"));
	/* The words of a card without a number, in the reader's language. */
	if (!strcmp(src, "none"))
		text = T(r, strncmp(text, "không áp dụng", strlen("không áp dụng"))
				    ? "dash.no_data"
				    : "dash.not_applicable");
	page_printf(w,
		    "<div class=\"card%h\" data-indicator=\"%h\"><p><a href=\"%h\">%h</a></p>"
		    "<h3><a href=\"%h\">%h</a></h3><p class=\"muted\">",
		    strcmp(src, "none") ? "" : " no-data",
		    json_string_value(json_object_get(it, "indicator")), stats,
		    json_string_value(json_object_get(it, "name")), stats, text);
	page_printf(w, "%h: <span class=\"card-period\">%h</span></p><p class=\"muted basis\">",
		    T(r, "stats.period"), json_string_value(json_object_get(it, "period")));
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
	json_t *cov = json_object_get(it, "coverage");
	page_printf(w, "</p>");
	if (cov)
		page_printf(w, "<p class=\"muted coverage\">%h %lld/%lld %h</p>",
			    T(r, "dash.coverage"),
			    (long long)json_integer_value(json_object_get(cov, "with_data")),
			    (long long)json_integer_value(json_object_get(cov, "of")),
			    T(r, "dash.coverage_of"));
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

/* Chart text in pixels of the drawing: drawn at the size it is shown, so
 * the smallest text (0.85 of it) is at least 11 px on the screen. */
#define CHART_TEXT 13
#define CHART_WIDE 520	 /* a column of at least 34rem */
#define CHART_NARROW 288 /* a phone (up to 40rem) */

/* chart drawn w wide as an SVG in base64 (free it), with the size of its
 * smallest text; NULL if it cannot be drawn. Bars by province or kind get
 * a line each, so the height follows their number. */
static char *chart_b64(json_t *chart, int wd, int *ht, double *smallest)
{
	size_t rows = json_array_size(json_object_get(chart, "labels"));
	const char *kind = json_string_value(json_object_get(chart, "kind"));
	*ht = strcmp(kind, "bar") ? 64 + 30 * (int)rows : wd < CHART_WIDE ? 280 : 320;
	struct buf svg = BUF_INIT;
	struct err e;
	char *b64 = NULL;
	if (chart_svg_text(chart, wd, *ht, &svg, smallest, &e) == 0) {
		size_t n = sodium_base64_encoded_len(svg.len, sodium_base64_VARIANT_ORIGINAL);
		b64 = xmalloc(n);
		sodium_bin2base64(b64, n, (const unsigned char *)svg.data, svg.len,
				  sodium_base64_VARIANT_ORIGINAL);
	}
	buf_free(&svg);
	return b64;
}

/* The charts as images (each SVG keeps its own ids, and no markup of it
 * reaches the page), shown at the size they are drawn: a narrower drawing
 * for phones. The title is the caption, a link to the statistics. */
static void charts(struct resp *w, json_t *list)
{
	page_printf(w, "<div class=\"charts\">");
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		json_t *d = json_deep_copy(c);
		json_object_del(d, "title");
		json_object_del(d, "link");
		json_object_set_new(d, "text_size", json_integer(CHART_TEXT));
		int hw, hn;
		double sw = 0, sn = 0;
		char *wide = chart_b64(d, CHART_WIDE, &hw, &sw);
		char *narrow = chart_b64(d, CHART_NARROW, &hn, &sn);
		json_decref(d);
		if (wide && narrow)
			page_printf(w,
				    "<figure class=\"chart\"><figcaption><a href=\"%h\">%h</a>"
				    "</figcaption><picture><source media=\"(max-width: 40rem)\" "
				    "width=\"%d\" height=\"%d\" "
				    "srcset=\"data:image/svg+xml;base64,%h\">"
				    "<img alt=\"%h\" width=\"%d\" height=\"%d\" "
				    "data-text-px=\"%.1f\" src=\"data:image/svg+xml;base64,%h\">"
				    "</picture></figure>",
				    json_string_value(json_object_get(c, "link")),
				    json_string_value(json_object_get(c, "title")), CHART_NARROW,
				    hn, narrow, json_string_value(json_object_get(c, "title")),
				    CHART_WIDE, hw, fmin(sw, sn), wide);
		free(wide);
		free(narrow);
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
	char today[11], cur[24];
	if (dashboard_query_or_reply(r, w, &q, today, cur) < 0)
		return;
	q.lang = r->lang; /* the page in the reader's language; the API keeps its names */
	struct err e;
	json_t *out;
	if (dashboard_build(r->st, &r->actor, &q, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	const char *ind = req_query(r, "indicator");
	page_begin(r, w, "nav.dashboard");
	filters(r, w, &q, cur);
	page_printf(
		w, "<h2 id=\"dashboard-period\">%h: %h</h2>", T(r, "stats.period"),
		json_string_value(json_object_get(json_object_get(out, "filters"), "period_text")));
	headline_cards(r, w, json_object_get(out, "headline"));
	charts(w, json_object_get(out, "charts"));
	stats_map_section(r, w, ind && *ind ? ind : "training.trainees");
	targets_links(r, w, json_object_get(out, "targets"));
	pivot_form(r, w);
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
