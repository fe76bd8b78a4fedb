/* page_reporting_status.c - who has reported for a period: the counts and
 * rates, then every province with its status, overdue ones first. */
#include "core/clock.h"
#include "io/map.h"
#include "stats/submission.h"
#include "web/handlers.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* A rounded percentage the Vietnamese way ("2,9%"). */
static void rate(struct resp *w, json_t *v)
{
	if (!json_is_number(v)) {
		page_printf(w, "—");
		return;
	}
	long long t = (long long)(json_number_value(v) * 10 + 0.5);
	page_printf(w, "%lld,%lld%%", t / 10, t % 10);
}

static void filter_form(struct req *r, struct resp *w, const char *kind, int64_t year)
{
	page_printf(w,
		    "<form method=\"get\" action=\"/reporting-status\" class=\"filters\" "
		    "id=\"period-form\"><label>%h<select name=\"period_kind\">",
		    T(r, "chain.period"));
	page_option(w, "half_year", T(r, "chain.half_year"), !strcmp(kind, "half_year"));
	page_option(w, "year", T(r, "chain.year"), !strcmp(kind, "year"));
	page_printf(
		w,
		"</select></label><label>%h<input name=\"year\" type=\"number\" min=\"2000\" "
		"max=\"2100\" value=\"%lld\"></label><button type=\"submit\">%h</button></form>",
		T(r, "chain.year_label"), (long long)year, T(r, "dash.show"));
}

static void summary(struct req *r, struct resp *w, json_t *s)
{
	json_t *c = json_object_get(s, "counts");
	page_printf(w,
		    "<dl class=\"facts\" id=\"rates\"><dt>%h</dt><dd>%lld</dd><dt>%h</dt><dd>"
		    "<span id=\"received\">%lld</span> (",
		    T(r, "chain.expected"), num(s, "expected"), T(r, "chain.received"),
		    num(s, "received"));
	rate(w, json_object_get(s, "reporting_rate"));
	page_printf(w, ")</dd><dt>%h</dt><dd><span id=\"on-time\">%lld</span> (",
		    T(r, "chain.on_time_count"), num(s, "on_time"));
	rate(w, json_object_get(s, "timeliness_rate"));
	page_printf(w,
		    ")</dd><dt>%h</dt><dd id=\"overdue\">%lld</dd><dt>%h</dt><dd>%h %lld · %h %lld"
		    " · %h %lld · %h %lld · %h %lld</dd><dt>%h</dt><dd>",
		    T(r, "chain.overdue"), num(s, "overdue"), T(r, "chain.status"),
		    T(r, "chain.st_not_started"), num(c, "not_started"), T(r, "chain.st_draft"),
		    num(c, "draft"), T(r, "chain.st_returned"), num(c, "returned"),
		    T(r, "chain.st_submitted"), num(c, "submitted"), T(r, "chain.st_accepted"),
		    num(c, "accepted"), T(r, "chain.due"));
	char d[24];
	chain_date(d, *str(s, "due_date") ? str(s, "due_date") : NULL);
	page_printf(w, "%h</dd></dl>", d);
}

/* The statuses in the order of the map's legend, with their colours. */
static const struct {
	const char *status, *colour;
} cats[] = {
	{"not_started", "#f7f7f7"}, {"draft", "#fee08b"},    {"returned", "#f46d43"},
	{"submitted", "#74add1"},   {"accepted", "#1a9850"},
};
#define NCATS (int)(sizeof cats / sizeof *cats)

/* The category of a status, or -1. */
static int cat_of(const char *status)
{
	for (int c = 0; c < NCATS; c++)
		if (!strcmp(cats[c].status, status))
			return c;
	return -1;
}

/* Each province of s on the map, coloured by its status, striped when late
 * or overdue, linked to its submission or else to its row of the table. */
static void status_map(struct req *r, struct resp *w, json_t *s)
{
	struct map_view v;
	map_view_units(&v, !strcmp(str(s, "units"), "old"));
	v.ncat = NCATS;
	char keys[NCATS][40], text[MAP_UNITS_MAX][64], href[MAP_UNITS_MAX][40];
	for (int c = 0; c < NCATS; c++) {
		snprintf(keys[c], sizeof keys[c], "chain.st_%s", cats[c].status);
		v.cat_label[c] = T(r, keys[c]);
		v.cat_colour[c] = cats[c].colour;
	}
	v.mark_label = T(r, "chain.map_late");
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(s, "provinces"), i, p)
	{
		int u = map_unit_of(&v, str(p, "province"));
		if (u < 0)
			continue;
		v.cls[u] = cat_of(str(p, "status"));
		int late = json_is_true(json_object_get(p, "overdue")) ||
			   !strcmp(str(p, "timeliness"), "late");
		v.flags[u] = late ? MAP_MARKED : 0;
		snprintf(text[u], sizeof text[u], "%s%s%s",
			 v.cls[u] < 0 ? "" : v.cat_label[v.cls[u]], late ? " · " : "",
			 late ? T(r, "chain.map_late") : "");
		v.text[u] = text[u];
		json_t *id = json_object_get(p, "submission_id");
		if (json_is_integer(id))
			snprintf(href[u], sizeof href[u], "/submissions/%lld",
				 (long long)json_integer_value(id));
		else
			snprintf(href[u], sizeof href[u], "#who-%s", str(p, "province"));
		v.href[u] = href[u];
	}
	struct buf svg = BUF_INIT;
	map_svg(&v,
		&(struct map_opts){.title = T(r, "chain.map_title"),
				   .subtitle = str(s, "label"),
				   .id = "who-map",
				   .legend = T(r, "chain.map_legend")},
		&svg);
	page_printf(w, "<figure class=\"map-figure\" id=\"who-map-figure\">");
	buf_append(&w->body, svg.data, svg.len);
	page_printf(w, "<figcaption>%h</figcaption></figure>", T(r, "chain.map_caption"));
	buf_free(&svg);
}

static void province_rows(struct req *r, struct resp *w, json_t *s)
{
	int old = !strcmp(str(s, "units"), "old");
	page_printf(w, "<div class=\"scroll\"><table id=\"who\"><thead><tr><th>%h</th>",
		    T(r, "dash.province"));
	if (old)
		page_printf(w, "<th>%h</th>", T(r, "chain.today_province"));
	page_printf(w, "<th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
		    T(r, "chain.status"), T(r, "chain.submitted_on"), T(r, "chain.timeliness"));
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(s, "provinces"), i, p)
	{
		char key[40];
		snprintf(key, sizeof key, "chain.st_%s", str(p, "status"));
		page_printf(
			w,
			"<tr class=\"status-%h%h\" data-province=\"%h\" id=\"who-%h\"><td>%h</td>",
			str(p, "status"),
			json_is_true(json_object_get(p, "overdue")) ? " overdue" : "",
			str(p, "province"), str(p, "province"), str(p, "name"));
		if (old)
			page_printf(w, "<td>%h</td>", str(p, "today_province"));
		json_t *id = json_object_get(p, "submission_id");
		if (json_is_integer(id))
			page_printf(w, "<td><a href=\"/submissions/%lld\">%h</a></td>",
				    (long long)json_integer_value(id), T(r, key));
		else
			page_printf(w, "<td>%h</td>", T(r, key));
		char on[24];
		chain_date(on, *str(p, "submitted_on") ? str(p, "submitted_on") : NULL);
		page_printf(w, "<td>%h</td>", on);
		const char *tl = str(p, "timeliness");
		page_printf(w, "<td>%h</td></tr>",
			    !*tl		     ? (json_is_true(json_object_get(p, "overdue"))
								? T(r, "chain.overdue")
								: "—")
			    : !strcmp(tl, "on_time") ? T(r, "chain.on_time")
						     : T(r, "chain.late"));
	}
	page_printf(w, "</tbody></table></div>");
}

/* GET /reporting-status[?period_kind=&year=]: who has reported (by default
 * the reporting year of today). */
void h_reporting_status_page(struct req *r, struct resp *w)
{
	const char *kind;
	int64_t year;
	if (chain_period_or_reply(r, w, 0, &kind, &year) < 0)
		return;
	char today[11];
	clock_today_vn(today);
	if (!kind) {
		kind = "year";
		year = atoi(today);
	}
	struct err e;
	json_t *s;
	if (reporting_status(r->st, &r->actor, kind, year, today, &s, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_begin(r, w, "chain.who_title");
	filter_form(r, w, kind, year);
	page_printf(w, "<p class=\"muted\" id=\"period-label\">%h · %h</p>", str(s, "label"),
		    T(r, !strcmp(str(s, "units"), "old") ? "chain.units_old" : "chain.units_new"));
	summary(r, w, s);
	if (actor_reads_all(&r->actor))
		page_printf(w,
			    "<p><a href=\"/reports/consolidated?period_kind=%t&amp;year=%lld\" "
			    "id=\"consolidated-link\">%h</a></p>",
			    kind, (long long)year, T(r, "chain.consolidated_title"));
	status_map(r, w, s);
	province_rows(r, w, s);
	page_printf(w, "<p class=\"muted\">%h</p>", T(r, "chain.rates_how"));
	json_decref(s);
	page_end(r, w);
}
