/* page_stats.c - the statistics page: any indicator, place, period and
 * breakdown, every number linked to the records or figures behind it. */
#include "stats/stats.h"
#include "web/handlers.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

static void option(struct resp *w, const char *value, const char *label, int selected)
{
	page_printf(w, "<option value=\"%h\"", value);
	if (selected)
		page_printf(w, " selected");
	page_printf(w, ">%h</option>", label);
}

static void stats_form(struct req *r, struct resp *w, const struct stat_query *q)
{
	page_printf(w, "<form method=\"get\" class=\"filters\" id=\"stats-form\"><label>%h<select "
	               "name=\"indicator\">",
	            T(r, "dash.indicator"));
	for (const struct indicator *i = indicators; i->code; i++) {
		page_printf(w, "<option value=\"%h\"", i->code);
		if (q->indicator && !strcmp(q->indicator, i->code))
			page_printf(w, " selected");
		page_printf(w, ">%h</option>", page_pick(r, i->vi, i->en));
	}
	char from[8] = "", to[8] = "";
	if (q->from)
		snprintf(from, sizeof from, "%d", q->from);
	if (q->to)
		snprintf(to, sizeof to, "%d", q->to);
	page_printf(w,
	            "</select></label><label>%h<input name=\"from\" value=\"%h\" inputmode=\"numeric\">"
	            "</label><label>%h<input name=\"to\" value=\"%h\" inputmode=\"numeric\"></label>",
	            T(r, "dash.from"), from, T(r, "dash.to"), to);
	if (actor_reads_all(&r->actor))
		page_printf(w, "<label>%h<input name=\"province\" value=\"%h\" maxlength=\"2\"></label>",
		            T(r, "rec.province_code_today"), q->province);
	page_printf(w, "<label>%h<select name=\"units\">", T(r, "dash.units"));
	option(w, "new", T(r, "stats.today_s"), !q->old_units);
	option(w, "old", T(r, "dash.of_the_time"), q->old_units);
	page_printf(w, "</select></label><label>%h<select name=\"by\">", T(r, "stats.break_down_by"));
	option(w, "", "—", !q->by);
	option(w, "province", T(r, "dash.province"), q->by && !strcmp(q->by, "province"));
	option(w, "year", T(r, "dash.year"), q->by && !strcmp(q->by, "year"));
	page_printf(w, "</select></label><button type=\"submit\">%h</button></form>", T(r, "dash.show"));
}

static void source_cell(struct req *r, struct resp *w, json_t *cell)
{
	const char *src = json_string_value(json_object_get(cell, "source"));
	const char *link = json_string_value(json_object_get(cell, "records"));
	if (link)
		page_printf(w, "<a href=\"%h\">%h (%lld)</a> ", link, T(r, "stats.records"),
		            (long long)json_integer_value(json_object_get(cell, "records_count")));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(cell, "figures"), i, f)
		page_printf(w, "<a href=\"/figures/%lld\" title=\"%h\">%h %h</a> ",
		            (long long)json_integer_value(json_object_get(f, "id")),
		            json_string_value(json_object_get(f, "source_title")),
		            T(r, "stats.reported"), json_string_value(json_object_get(f, "period")));
	if (src && !strcmp(src, "not_additive"))
		page_printf(w, "%h", T(r, "stats.ratios_of_several_provinces"));
}

static void stats_row(struct req *r, struct resp *w, json_t *cell, int total)
{
	page_printf(w, total ? "<tr class=\"total\">" : "<tr>");
	page_printf(w, "<td>%h</td><td class=\"num\">%h</td><td>",
	            json_string_value(json_object_get(cell, "label")),
	            json_string_value(json_object_get(cell, "text")));
	source_cell(r, w, cell);
	page_printf(w, "</td></tr>");
}

void h_stats_page(struct req *r, struct resp *w)
{
	struct stat_query q;
	if (stat_query_or_reply(r, w, &q) < 0)
		return;
	page_begin(r, w, "nav.stats");
	stats_form(r, w, &q);
	if (!q.indicator) {
		page_printf(w, "<p class=\"muted\">%h</p>", T(r, "stats.choose_an_indicator_period"));
		page_end(r, w);
		return;
	}
	struct err e;
	json_t *out;
	if (stats_compute(r->st, &r->actor, &q, &out, &e) < 0) {
		page_printf(w, "<p class=\"error\" role=\"alert\" id=\"form-error\">%h</p>", e.message);
		page_end(r, w);
		w->status = err_http_status(e.code);
		return;
	}
	page_printf(w, "<div class=\"scroll\"><table class=\"report\" id=\"stats\"><thead><tr><th>%h"
	               "</th><th>%h</th><th>%h</th></tr></thead><tbody>",
	            T(r, "stats.place_group"), T(r, "import.value"),
	            T(r, "stats.based_on"));
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(out, "rows"), i, row) stats_row(r, w, row, 0);
	stats_row(r, w, json_object_get(out, "total"), 1);
	page_printf(w, "</tbody></table></div><p class=\"muted rule\">%h</p>",
	            json_string_value(json_object_get(out, "rule")));
	json_decref(out);
	page_end(r, w);
}
