/* page_stats.c - the statistics page: any indicator, place, period and
 * breakdown, every number linked to the records or figures behind it. */
#include "model/entity.h"
#include "model/record.h"
#include "model/unit.h"
#include "stats/period.h"
#include "stats/stats.h"
#include "stats/stats_memo.h"
#include "stats/stats_view.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The options of an enum field of a collection, cur selected. */
static void enum_options(struct req *r, struct resp *w, const char *coll, const char *name,
			 const char *cur)
{
	page_field_options(r, w, entity_field(entity_find(coll), name), cur);
}

static const char *qv(struct req *r, const char *key)
{
	const char *v = req_query(r, key);
	return v ? v : "";
}

void stats_period_fields(struct req *r, struct resp *w)
{
	stats_period_only_fields(r, w);
	stats_filter_fields(r, w);
}

void stats_period_only_fields(struct req *r, struct resp *w)
{
	static const char *const kinds[][2] = {
		{"calendar", "stats.period_calendar"},
		{"reporting_year", "stats.period_reporting_year"},
		{"half_year", "stats.period_half_year"},
		{"dates", "stats.period_dates"},
		{"programme", "stats.period_programme"},
	};
	const char *cur = qv(r, "period");
	page_printf(w, "<label>%h<select name=\"period\">", T(r, "stats.period"));
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		page_option(w, kinds[i][0], T(r, kinds[i][1]),
		       !strcmp(cur, kinds[i][0]) || (!*cur && !i));
	page_printf(w,
		    "</select></label><label>%h<input name=\"from\" value=\"%h\" "
		    "inputmode=\"numeric\"></label><label>%h<input name=\"to\" value=\"%h\" "
		    "inputmode=\"numeric\"></label><label>%h<select name=\"half\">",
		    T(r, "dash.from"), qv(r, "from"), T(r, "dash.to"), qv(r, "to"),
		    T(r, "stats.half"));
	page_option(w, "", "—", !*qv(r, "half"));
	page_option(w, "1", T(r, "stats.half_1"), !strcmp(qv(r, "half"), "1"));
	page_option(w, "2", T(r, "stats.half_2"), !strcmp(qv(r, "half"), "2"));
	page_printf(w,
		    "</select></label><label>%h<input name=\"date_from\" value=\"%h\" "
		    "placeholder=\"dd/mm/yyyy\"></label><label>%h<input name=\"date_to\" "
		    "value=\"%h\" placeholder=\"dd/mm/yyyy\"></label><label>%h<input "
		    "name=\"programme_id\" value=\"%h\" inputmode=\"numeric\"></label>",
		    T(r, "stats.date_from"), qv(r, "date_from"), T(r, "stats.date_to"),
		    qv(r, "date_to"), T(r, "stats.programme_id"), qv(r, "programme_id"));
}

void stats_filter_fields(struct req *r, struct resp *w)
{
	page_printf(w, "<label>%h<select name=\"content_type\">", T(r, "stats.content_type"));
	page_option(w, "", T(r, "stats.all"), !*qv(r, "content_type"));
	enum_options(r, w, "projects", "content_type", qv(r, "content_type"));
	page_printf(w, "</select></label><label>%h<select name=\"funding\">",
		    T(r, "stats.funding"));
	page_option(w, "", T(r, "stats.all"), !*qv(r, "funding"));
	enum_options(r, w, "figures", "funding", qv(r, "funding"));
	page_printf(w, "</select></label><label><input type=\"checkbox\" name=\"illustrative\" "
		       "value=\"1\"");
	if (!strcmp(qv(r, "illustrative"), "1"))
		page_printf(w, " checked");
	page_printf(w, "> %h</label>", T(r, "stats.include_illustrative"));
}

/* The provinces of today by name, several at once (a multi-select, no
 * script needed): one restricts, several are compared side by side. */
void stats_province_picker(struct req *r, struct resp *w)
{
	const char *codes[STATS_COMPARE_MAX];
	int n = 0;
	for (int i = 0; i < r->nquery && n < STATS_COMPARE_MAX; i++)
		if (!strcmp(r->query[i].key, "province"))
			codes[n++] = r->query[i].value;
	struct unit_province *u;
	size_t nu;
	struct err e;
	if (unit_provinces(r->st, "new", &u, &nu, &e) < 0)
		return;
	page_printf(w,
		    "<label class=\"provinces\">%h<select name=\"province\" id=\"province-picker\" "
		    "multiple size=\"5\">",
		    T(r, "stats.provinces_pick"));
	for (size_t i = 0; i < nu; i++) {
		int sel = 0;
		for (int j = 0; j < n; j++)
			sel |= strstr(codes[j], u[i].code) != NULL;
		page_option(w, u[i].code, u[i].short_name, sel);
	}
	free(u);
	page_printf(w, "</select></label>");
}

static void stats_form(struct req *r, struct resp *w, const struct stat_query *q)
{
	page_printf(w,
		    "<form method=\"get\" class=\"filters\" id=\"stats-form\"><label>%h<select "
		    "name=\"indicator\">",
		    T(r, "dash.indicator"));
	for (const struct indicator *i = indicators; i->code; i++) {
		page_printf(w, "<option value=\"%h\"", i->code);
		if (q->indicator && !strcmp(q->indicator, i->code))
			page_printf(w, " selected");
		page_printf(w, ">%h</option>", page_pick(r, i->vi, i->en));
	}
	page_printf(w, "</select></label>");
	stats_period_fields(r, w);
	if (actor_reads_all(&r->actor))
		stats_province_picker(r, w);
	page_printf(w, "<label>%h<select name=\"units\">", T(r, "dash.units"));
	page_option(w, "new", T(r, "stats.today_s"), !q->old_units);
	page_option(w, "old", T(r, "dash.of_the_time"), q->old_units);
	page_printf(w, "</select></label><label>%h<select name=\"by\">",
		    T(r, "stats.break_down_by"));
	page_option(w, "", "—", !q->by);
	page_by_options(r, w, q->by);
	page_printf(w, "</select></label><label>%h<select name=\"establishment_kind\">",
		    T(r, "stats.by_establishment_kind"));
	page_option(w, "", T(r, "stats.all"), !q->establishment_kind);
	enum_options(r, w, "establishments", "kind", qv(r, "establishment_kind"));
	page_printf(w, "</select></label><label>%h<select name=\"product_group\">",
		    T(r, "stats.by_product_group"));
	page_option(w, "", T(r, "stats.all"), !q->product_group);
	enum_options(r, w, "awards", "product_group", qv(r, "product_group"));
	page_printf(w, "</select></label><button type=\"submit\">%h</button></form>",
		    T(r, "dash.show"));
	if (actor_is_admin(&r->actor))
		page_printf(w,
			    "<p class=\"muted\"><a href=\"/admin/reporting-periods\" "
			    "id=\"reporting-periods-link\">%h</a></p>",
			    T(r, "stats.reporting_periods"));
}

void page_by_options(struct req *r, struct resp *w, const char *cur)
{
	page_option(w, "province", T(r, "dash.province"), cur && !strcmp(cur, "province"));
	page_option(w, "year", T(r, "dash.year"), cur && !strcmp(cur, "year"));
	for (const struct rec_dim *d = rec_dimensions; d->name; d++)
		page_option(w, d->name, strcmp(r->lang, "en") ? d->vi : d->en,
			    cur && !strcmp(cur, d->name));
}

static void source_cell(struct req *r, struct resp *w, json_t *cell)
{
	const char *src = json_string_value(json_object_get(cell, "source"));
	const char *link = json_string_value(json_object_get(cell, "records"));
	long long n = (long long)json_integer_value(json_object_get(cell, "records_count"));
	const char *flink = json_string_value(json_object_get(cell, "figures_link"));
	if (link)
		page_printf(w, "<a href=\"%h\" class=\"records-link\" title=\"%h\">%h (%lld)</a> ",
			    link, T(r, "stats.records_behind"), T(r, "stats.records"), n);
	else if (n)
		page_printf(w, "<span title=\"%h\">%h (%lld)</span> ",
			    T(r, "stats.no_list_for_this"), T(r, "stats.records"), n);
	if (flink)
		page_printf(w, "<a href=\"%h\" class=\"figures-link\" title=\"%h\">%h (%zu)</a> ",
			    flink, T(r, "stats.figures_behind"), T(r, "stats.figures_used"),
			    json_array_size(json_object_get(cell, "figures")));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(cell, "figures"), i, f) page_printf(
		w, "<a href=\"/figures/%lld\" title=\"%h\">%h %h</a> ",
		(long long)json_integer_value(json_object_get(f, "id")),
		json_string_value(json_object_get(f, "source_title")), T(r, "stats.reported"),
		json_string_value(json_object_get(f, "period")));
	if (src && !strcmp(src, "not_additive"))
		page_printf(w, "%h", T(r, "stats.ratios_of_several_provinces"));
}

static void stats_row(struct req *r, struct resp *w, json_t *cell, int total, int ranks)
{
	const char *src = json_string_value(json_object_get(cell, "source"));
	page_printf(w, total			     ? "<tr class=\"total\">"
		       : src && !strcmp(src, "none") ? "<tr class=\"no-data\">"
						     : "<tr>");
	page_printf(w, "<td>%h</td><td class=\"num\">%h</td>",
		    json_string_value(json_object_get(cell, "label")),
		    json_string_value(json_object_get(cell, "text")));
	if (ranks) {
		json_t *rank = json_object_get(cell, "rank");
		const char *per =
			json_string_value(json_object_get(cell, "per_100_establishments"));
		if (rank)
			page_printf(w, "<td class=\"rank\">%lld</td>",
				    (long long)json_integer_value(rank));
		else
			page_printf(w, "<td></td>");
		page_printf(w, "<td class=\"per-est\">%h</td>", per ? per : "");
	}
	page_printf(w, "<td>");
	source_cell(r, w, cell);
	/* The reported figures beside the records they cover, and records
	 * without a value ("báo cáo: 15 đề án; đã nhập chi tiết: 2 đề án"). */
	const char *note = json_string_value(json_object_get(cell, "note"));
	if (note)
		page_printf(w, "<p class=\"muted cell-note\">%h</p>", note);
	json_t *ms = json_object_get(cell, "measures_mixed");
	if (json_array_size(ms)) {
		page_printf(w, "<p class=\"muted mixed-measures\">%h", T(r, "stats.mixed_measures"));
		size_t i;
		json_t *m;
		json_array_foreach(ms, i, m) page_printf(w, "%h%h", i ? ", " : " ", json_string_value(m));
		page_printf(w, "</p>");
	}
	page_printf(w, "</td></tr>");
}

/* The table of a result: with ranks and values per establishment when
 * broken down by province, the coverage line above it. */
static void stats_table(struct req *r, struct resp *w, json_t *out)
{
	json_t *cov = json_object_get(out, "coverage");
	if (cov)
		page_printf(w, "<p class=\"coverage\" id=\"coverage\">%h</p>",
			    json_string_value(json_object_get(cov, "text")));
	if (json_object_get(out, "compare"))
		page_printf(w, "<h2 id=\"compare\">%h</h2>", T(r, "stats.compare_title"));
	const char *by = json_string_value(json_object_get(json_object_get(out, "query"), "by"));
	int ranks = by && !strcmp(by, "province");
	page_printf(w,
		    "<div class=\"scroll\"><table class=\"report\" id=\"stats\"><thead><tr><th>%h"
		    "</th><th>%h</th>",
		    T(r, "stats.place_group"), T(r, "import.value"));
	if (ranks)
		page_printf(w, "<th>%h</th><th title=\"%h\">%h</th>", T(r, "stats.rank"),
			    T(r, "stats.per_100_est_note"), T(r, "stats.per_100_est"));
	page_printf(w, "<th>%h</th></tr></thead><tbody>", T(r, "stats.based_on"));
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(out, "rows"), i, row) stats_row(r, w, row, 0, ranks);
	json_t *total = json_object_get(out, "total");
	if (total)
		stats_row(r, w, total, 1, ranks);
	page_printf(w, "</tbody></table></div>");
	if (ranks)
		page_printf(w, "<p class=\"muted\" id=\"per-est-note\">%h</p>",
			    T(r, "stats.per_100_est_note"));
}

/* The request's URL with view=v instead of its own view. */
static void view_link(struct req *r, struct resp *w, const char *v, const char *label, int cur)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "/stats?view=%t", v);
	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, "view"))
			buf_printf(&b, "&%t=%t", r->query[i].key, r->query[i].value);
	page_printf(w, "<a href=\"%h\" id=\"view-%h\"%h>%h</a> ", buf_cstr(&b), v,
		    cur ? " aria-current=\"page\"" : "", label);
	buf_free(&b);
}

/* The map of out (by province) inline, so each province's <title> shows on
 * hover and its link works; the table beside it is the accessible reading. */
static void stats_map_figure(struct req *r, struct resp *w, const struct stat_query *q,
			     json_t *out)
{
	struct buf svg = BUF_INIT;
	struct err e;
	if (stats_map_svg(r, q, out, "stats-map", &svg, &e) == 0) {
		page_printf(w, "<figure class=\"map-figure\" id=\"map-figure\">");
		buf_append(&w->body, svg.data, svg.len);
		page_printf(w, "<figcaption>%h</figcaption></figure>", T(r, "stats.map_caption"));
	}
	buf_free(&svg);
}

static unsigned long reused;

unsigned long map_sections_reused(void)
{
	return __atomic_load_n(&reused, __ATOMIC_RELAXED);
}

/* What the map section of q is kept under in the statistics memo: its
 * statistic's key and versions (it draws that statistic by province and the
 * provinces and establishments the view adds, which those versions cover),
 * the reader's language (the caption) and the request's query (the links). */
static int map_section_ident(struct req *r, const struct stat_query *q, struct buf *key,
			     char *version, size_t n)
{
	struct err e;
	buf_printf(key, "|map section|%s|", r->lang ? r->lang : "");
	for (int i = 0; i < r->nquery; i++)
		buf_printf(key, "%zu:%s%zu:%s", strlen(r->query[i].key), r->query[i].key,
			   strlen(r->query[i].value), r->query[i].value);
	buf_puts(key, "|");
	return stats_memo_ident(r->st, &r->actor, q, key, version, n, &e);
}

void stats_map_section(struct req *r, struct resp *w, const char *indicator)
{
	/* The page's own query was checked by its page; units is the one
	 * parameter the dashboard reads more loosely than the statistics. */
	const char *units = req_query(r, "units");
	struct stat_query q;
	if (!actor_reads_all(&r->actor) ||
	    (units && *units && strcmp(units, "new") && strcmp(units, "old")) ||
	    stat_query_or_reply(r, w, &q) < 0)
		return;
	q.indicator = indicator;
	q.by = "province";
	q.province = NULL;
	struct buf key = BUF_INIT;
	char version[1024];
	struct err e;
	if (map_section_ident(r, &q, &key, version, sizeof version) < 0) {
		buf_free(&key);
		return;
	}
	json_t *kept = stats_memo_peek(r->st, buf_cstr(&key), version);
	if (kept) {
		buf_append(&w->body, json_string_value(kept), json_string_length(kept));
		json_decref(kept);
		__atomic_add_fetch(&reused, 1, __ATOMIC_RELAXED);
	} else {
		json_t *out;
		size_t at = w->body.len;
		if (stats_view(r->st, &r->actor, &q, NULL, 0, &out, &e) == 0) {
			stats_map_figure(r, w, &q, out);
			json_decref(out);
			json_t *html = json_stringn(w->body.data + at, w->body.len - at);
			if (html) /* NULL for a query that is not UTF-8: not kept */
				stats_memo_put(r->st, buf_cstr(&key), version, html);
			json_decref(html);
		}
	}
	buf_free(&key);
}

void h_stats_page(struct req *r, struct resp *w)
{
	struct stat_query q;
	const char *view;
	if (stat_query_or_reply(r, w, &q) < 0 || query_text_or_reply(r, w, "view", &view) < 0)
		return;
	page_begin(r, w, "nav.stats");
	stats_form(r, w, &q);
	if (!q.indicator) {
		page_printf(w, "<p class=\"muted\">%h</p>",
			    T(r, "stats.choose_an_indicator_period"));
		page_end(r, w);
		return;
	}
	const char *codes[STATS_COMPARE_MAX];
	int ncmp;
	if (stats_compare_or_reply(r, w, codes, &ncmp) < 0)
		return;
	struct err e;
	json_t *out;
	if (stats_view(r->st, &r->actor, &q, codes, ncmp, &out, &e) < 0) {
		page_printf(w, "<p class=\"error\" role=\"alert\" id=\"form-error\">%h</p>",
			    page_message(r, e.message));
		page_end(r, w);
		w->status = err_http_status(e.code);
		return;
	}
	const char *by = json_string_value(json_object_get(json_object_get(out, "query"), "by"));
	int map = view && !strcmp(view, "map");
	if (by && !strcmp(by, "province") && !ncmp) {
		page_printf(w, "<p class=\"view-switch\" id=\"view-switch\">%h: ",
			    T(r, "stats.view"));
		view_link(r, w, "table", T(r, "stats.view_table"), !map);
		view_link(r, w, "map", T(r, "stats.view_map"), map);
		page_printf(w, "</p>");
	} else
		map = 0;
	if (map) {
		page_printf(w, "<div class=\"map-view\">");
		stats_map_figure(r, w, &q, out);
		page_printf(w, "<div>");
	}
	stats_table(r, w, out);
	if (map)
		page_printf(w, "</div></div>");
	json_t *period = json_object_get(json_object_get(out, "query"), "period");
	page_printf(w,
		    "<p class=\"muted\" id=\"period-label\">%h: %h</p>"
		    "<p class=\"muted rule\">%h</p><p class=\"muted rule\" id=\"placement\">%h</p>",
		    T(r, "stats.period"), json_string_value(json_object_get(period, "label")),
		    page_message(r, json_string_value(json_object_get(out, "rule"))),
		    page_message(r, json_string_value(json_object_get(out, "placement"))));
	const char *old =
		json_string_value(json_object_get(json_object_get(out, "old_units"), "note"));
	if (old && *old)
		page_printf(w, "<p class=\"muted rule\" id=\"old-units\">%h</p>",
			    page_message(r, old));
	json_decref(out);
	page_end(r, w);
}

/* ---- the reporting periods' cut-off dates (administrators) ------------- */

static void rule_input(struct resp *w, const char *label, const char *name, int value, int max)
{
	char v[8] = "";
	if (value)
		snprintf(v, sizeof v, "%d", value);
	page_printf(w,
		    "<label>%h<input name=\"%h\" value=\"%h\" type=\"number\" min=\"0\" max=\"%d\">"
		    "</label>",
		    label, name, v, max);
}

static void rule_form(struct req *r, struct resp *w, json_t *rule)
{
	const char *kind = json_string_value(json_object_get(rule, "kind"));
	int year = !strcmp(kind, "year");
#define RV(k) ((int)json_integer_value(json_object_get(rule, k)))
	page_printf(w,
		    "<h2>%h</h2><form method=\"post\" action=\"/admin/reporting-periods/%t\" "
		    "class=\"filters\" id=\"period-%h\">",
		    T(r, year ? "stats.period_reporting_year" : "stats.half_1"), kind, kind);
	page_csrf(r, w);
	if (year) {
		rule_input(w, T(r, "stats.rule_start_day"), "start_day", RV("start_day"), 31);
		rule_input(w, T(r, "stats.rule_start_month"), "start_month", RV("start_month"), 12);
	} else
		page_printf(w, "<p class=\"muted\">%h</p>", T(r, "stats.rule_half_starts"));
	rule_input(w, T(r, "stats.rule_end_day"), "end_day", RV("end_day"), 31);
	rule_input(w, T(r, "stats.rule_end_month"), "end_month", RV("end_month"), 12);
	rule_input(w, T(r, "stats.rule_due_day"), "due_day", RV("due_day"), 31);
	rule_input(w, T(r, "stats.rule_due_month"), "due_month", RV("due_month"), 12);
#undef RV
	page_printf(w,
		    "<label>%h<input name=\"legal_basis\" value=\"%h\" size=\"60\"></label><button "
		    "type=\"submit\">%h</button></form>",
		    T(r, "stats.rule_legal_basis"),
		    json_string_value(json_object_get(rule, "legal_basis")),
		    T(r, "stats.rule_save"));
}

void h_periods_page(struct req *r, struct resp *w)
{
	struct err e;
	err_clear(&e);
	json_t *rules;
	if (period_rules_json(r->st, &rules, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_begin(r, w, "stats.reporting_periods");
	page_flash(r, w);
	page_printf(w, "<p class=\"muted\">%h</p>", T(r, "stats.rule_intro"));
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule) rule_form(r, w, rule);
	json_decref(rules);
	page_end(r, w);
}

/* A form number, or keep when empty; < 0 when it is not a number. */
static int form_num(struct req *r, const char *key, int *inout)
{
	const char *v = req_form(r, key);
	if (!v || !*v)
		return 0;
	int64_t n;
	if (parse_int64(v, &n) != 0 || n < 0 || n > 31)
		return -1;
	*inout = (int)n;
	return 0;
}

void h_periods_post(struct req *r, struct resp *w)
{
	struct err e;
	err_clear(&e);
	struct period_rule rule;
	int rc = period_rule_get(r->st, r->params[0], &rule, &e);
	static const char *const keys[] = {"start_month", "start_day", "end_month",
					   "end_day",	  "due_month", "due_day"};
	int *slots[] = {&rule.start_month, &rule.start_day, &rule.end_month,
			&rule.end_day,	   &rule.due_month, &rule.due_day};
	for (size_t i = 0; rc == 0 && i < 6; i++)
		if (form_num(r, keys[i], slots[i]) < 0)
			rc = err_set(&e, ERR_INVALID, keys[i],
				     "Không phải số ngày, tháng / not a day or "
				     "month number");
	const char *basis = req_form(r, "legal_basis");
	if (rc == 0 && basis)
		snprintf(rule.legal_basis, sizeof rule.legal_basis, "%s", basis);
	if (rc == 0)
		rc = period_rule_set(r->st, &r->actor, &rule, &e);
	if (rc < 0)
		page_rerender(r, w, &e, h_periods_page);
	else
		reply_redirect(r, w, "/admin/reporting-periods?done=saved");
}
