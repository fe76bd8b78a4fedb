/* page_targets.c - a programme's targets as a ministry reader follows them:
 * each target in words, what was achieved, the progress, what was expected
 * by now, the status, and each target's actual by province. */
#include "core/clock.h"
#include "model/record.h"
#include "stats/indicator.h"
#include "stats/targets.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"
#include "web/records_web.h"

#include <stdio.h>
#include <string.h>

static const char *status_key(const char *s)
{
	return !strcmp(s, "reached")	? "targets.reached"
	       : !strcmp(s, "on_track") ? "targets.on_track"
	       : !strcmp(s, "behind")	? "targets.behind"
	       : !strcmp(s, "no_data")	? "targets.no_data"
					: "targets.not_comparable";
}

/* A permille as "12,5%" ("" when not a number). */
static void percent(char *out, size_t n, json_t *permille)
{
	if (!json_is_integer(permille)) {
		snprintf(out, n, "—");
		return;
	}
	long long v = (long long)json_integer_value(permille);
	if (v % 10)
		snprintf(out, n, "%lld,%lld%%", v / 10, (v < 0 ? -v : v) % 10);
	else
		snprintf(out, n, "%lld%%", v / 10);
}

/* The words of a target: its own description, else the indicator's name;
 * never the indicator's code. */
static const char *target_words(struct req *r, json_t *t)
{
	const char *d = json_string_value(json_object_get(t, "description"));
	if (d && *d)
		return d;
	const struct indicator *ind =
		indicator_find(json_string_value(json_object_get(t, "indicator")));
	return ind ? page_pick(r, ind->vi, ind->en) : T(r, "targets.unnamed");
}

static void target_row(struct req *r, struct resp *w, json_t *t, const char *province)
{
	char prog[24], exp[24];
	percent(prog, sizeof prog, json_object_get(t, "progress"));
	percent(exp, sizeof exp, json_object_get(t, "expected"));
	const char *status = json_string_value(json_object_get(t, "status"));
	const char *actual = json_string_value(json_object_get(t, "actual"));
	const char *code = json_string_value(json_object_get(t, "indicator"));
	int from = (int)json_integer_value(json_object_get(t, "from"));
	int to = (int)json_integer_value(json_object_get(t, "to"));
	page_printf(w,
		    "<tr class=\"status-%h\"><td>%h</td><td class=\"num\">%h</td><td class=\"num\">"
		    "<a href=\"/stats?indicator=%t&amp;from=%d&amp;to=%d%h%t\">%h</a></td>"
		    "<td class=\"num\">%h</td><td class=\"num\">%h</td><td>%h</td><td>",
		    status, target_words(r, t), json_string_value(json_object_get(t, "target")),
		    code, from, to, province ? "&province=" : "", province ? province : "",
		    actual && *actual ? actual : T(r, "targets.none_yet"), prog, exp,
		    T(r, status_key(status)));
	if (!province)
		page_printf(
			w,
			"<a class=\"by-province\" href=\"/stats?indicator=%t&amp;from=%d&amp;to="
			"%d&amp;by=province\">%h</a>",
			code, from, to, T(r, "targets.by_province"));
	page_printf(w, "</td></tr>");
}

static void province_form(struct req *r, struct resp *w, int64_t id, const char *province)
{
	page_printf(w,
		    "<form method=\"get\" action=\"/programmes/%lld/targets\" class=\"filters\" "
		    "id=\"targets-filters\"><label>%h<select name=\"province\">",
		    (long long)id, T(r, "dash.province"));
	page_option(w, "", T(r, "dash.all_provinces"), !province);
	page_province_options(r, w, "new", province);
	page_printf(w, "</select></label><button type=\"submit\">%h</button></form>",
		    T(r, "dash.show"));
}

/* GET /programmes/{id}/targets[?province=]: the targets of one programme,
 * in the nation or (a national programme's) in one province. */
void h_targets_page(struct req *r, struct resp *w)
{
	int64_t id;
	const char *province;
	if (id_or_reply(r, w, r->params[0], &id) < 0 ||
	    query_text_or_reply(r, w, "province", &province) < 0)
		return;
	struct err e;
	json_t *prog;
	if (record_get(r->st, &r->actor, entity_find("programmes"), id, &prog, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	const char *own = json_string_value(json_object_get(prog, "province"));
	char today[11];
	clock_today(today);
	json_t *items;
	/* A province's own programme is read in its province; a national one in
	 * the nation or the province chosen. */
	if (targets_progress_of_province(r->st, &r->actor, id, own ? NULL : province, today, &items,
					 &e) < 0) {
		json_decref(prog);
		reply_err(r, w, &e);
		return;
	}
	page_begin_text(r, w, json_string_value(json_object_get(prog, "name")));
	page_printf(w, "<p class=\"muted\"><a href=\"/programmes/%lld\">%h</a> · %lld – %lld",
		    (long long)id, T(r, "targets.programme_record"),
		    (long long)json_integer_value(json_object_get(prog, "period_from")),
		    (long long)json_integer_value(json_object_get(prog, "period_to")));
	const char *basis = json_string_value(json_object_get(prog, "legal_basis"));
	if (basis && *basis)
		page_printf(w, " · %h", basis);
	page_printf(w, "</p>");
	if (!own && actor_reads_all(&r->actor))
		province_form(r, w, id, province);
	char day[16];
	snprintf(day, sizeof day, "%.2s/%.2s/%.4s", today + 8, today + 5, today);
	page_printf(w,
		    "<p class=\"muted\" id=\"as-of\">%h %h.</p><div class=\"scroll\">"
		    "<table class=\"report\" id=\"targets\"><thead><tr><th>%h</th><th>%h</th><th>%h"
		    "</th><th>%h</th><th>%h</th><th>%h</th><th></th></tr></thead><tbody>",
		    T(r, "targets.as_of"), day,
		    T(r, own || !province ? "targets.scope_programme" : "targets.scope_province"),
		    T(r, "targets.goal"), T(r, "targets.actual"), T(r, "targets.progress"),
		    T(r, "targets.expected"), T(r, "targets.status"));
	size_t i;
	json_t *t;
	json_array_foreach(items, i, t) target_row(r, w, t, own ? own : province);
	if (!json_array_size(items))
		page_printf(w, "<tr><td colspan=\"7\">%h</td></tr>", T(r, "targets.none"));
	page_printf(w, "</tbody></table></div><p class=\"muted\" id=\"how-read\">%h</p>",
		    T(r, "targets.how_read"));
	json_decref(items);
	json_decref(prog);
	page_end(r, w);
}
