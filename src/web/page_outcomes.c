/* page_outcomes.c - the outcomes establishments report a year after their
 * support (model/outcome.h, docs/reporting.md): the list of supports with
 * what is due, sent or accepted, for an establishment (its own, with a link
 * to write the report) and for province officers (their province's, with
 * the reports to review); the review form on a report's page; the API. */
#include "core/vtext.h"
#include "model/outcome.h"
#include "model/record.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"
#include "web/portal.h"
#include "web/records_web.h"

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

static void date_cell(struct resp *w, const char *iso)
{
	struct buf d = BUF_INIT;
	if (*iso)
		vtext_fmt_date(&d, iso);
	page_printf(w, "<td>%h</td>", d.len ? buf_cstr(&d) : "—");
	buf_free(&d);
}

/* What the row's establishment does next: write, correct, or nothing. */
static void action_cell(struct req *r, struct resp *w, json_t *s)
{
	const char *state = str(s, "state");
	page_printf(w, "<td>");
	if (r->actor.role == ROLE_ESTABLISHMENT &&
	    (!strcmp(state, "due") || !strcmp(state, "overdue") || !strcmp(state, "accepted")))
		page_printf(w, "<a href=\"/outcome-reports/new?project_id=%lld\">%h</a>",
			    num(s, "project_id"), T(r, "outcomes.write"));
	else if (json_is_integer(json_object_get(s, "report_id")))
		page_printf(w, "<a href=\"/outcome-reports/%lld\">%h %lld</a>", num(s, "report_id"),
			    T(r, "outcomes.report"), num(s, "report_year"));
	page_printf(w, "</td>");
}

static void state_cell(struct req *r, struct resp *w, json_t *s)
{
	const char *state = str(s, "state");
	char label[80];
	if (!strcmp(state, "due") || !strcmp(state, "overdue"))
		snprintf(label, sizeof label, "%s",
			 T(r, !strcmp(state, "due") ? "outcomes.due" : "outcomes.overdue"));
	else
		field_enum_label(entity_field(entity_find("outcome-reports"), "status"), state,
				 r->lang, label, sizeof label);
	page_printf(w, "<td class=\"state-%h\">%h</td>", state, label);
}

static void supports_table(struct req *r, struct resp *w, json_t *items)
{
	page_printf(w,
		    "<div class=\"scroll\"><table class=\"records\" id=\"outcome-supports\"><thead>"
		    "<tr><th>%h</th><th>%h</th><th>%h</th><th>%h</th><th>%h</th><th></th></tr>"
		    "</thead><tbody>",
		    T(r, "outcomes.project"), T(r, "outcomes.establishment"),
		    T(r, "outcomes.accepted_on"), T(r, "outcomes.due_date"), T(r, "portal.status"));
	size_t i;
	json_t *s;
	json_array_foreach(items, i, s)
	{
		page_printf(w, "<tr><td><a href=\"/projects/%lld\">%h</a></td><td>%h</td>",
			    num(s, "project_id"), str(s, "project_title"),
			    str(s, "establishment_name"));
		date_cell(w, str(s, "accepted_on"));
		date_cell(w, str(s, "due_date"));
		state_cell(r, w, s);
		action_cell(r, w, s);
		page_printf(w, "</tr>");
	}
	page_printf(w, "</tbody></table></div>");
}

void h_outcomes_page(struct req *r, struct resp *w)
{
	json_t *items = NULL;
	struct err e;
	if (outcome_supports(r->st, &r->actor, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_begin(r, w, "outcomes.title");
	page_printf(w, "<p>%h</p>", T(r, "outcomes.intro"));
	if (r->actor.role != ROLE_ESTABLISHMENT)
		page_printf(w,
			    "<p><a class=\"button\" href=\"/outcome-reports?status=submitted\" "
			    "id=\"to-review\">%h</a> · <a href=\"/outcome-reports\">%h</a></p>",
			    T(r, "outcomes.to_review"), T(r, "outcomes.all_reports"));
	if (json_array_size(items))
		supports_table(r, w, items);
	else
		page_printf(w, "<p class=\"muted\" id=\"no-supports\">%h</p>",
			    T(r, "outcomes.none"));
	json_decref(items);
	page_end(r, w);
}

void outcome_actions(struct req *r, struct resp *w, json_t *rec, int64_t id)
{
	json_t *moves = outcome_moves(&r->actor, str(rec, "status"));
	if (json_array_size(moves)) {
		const struct field *sf = entity_field(entity_find("outcome-reports"), "status");
		page_printf(w,
			    "<form method=\"post\" action=\"/outcome-reports/%lld/transition\" "
			    "class=\"card\" id=\"outcome-actions\">",
			    (long long)id);
		page_csrf(r, w);
		if (r->actor.role != ROLE_ESTABLISHMENT)
			page_printf(
				w,
				"<label>%h<textarea name=\"note\" rows=\"2\"></textarea></label>",
				T(r, "rec.department_s_comments"));
		size_t i;
		json_t *m;
		json_array_foreach(moves, i, m)
		{
			char label[80];
			const char *to = str(m, "to");
			if (!strcmp(to, "submitted"))
				snprintf(label, sizeof label, "%s", T(r, "outcomes.send"));
			else
				field_enum_label(sf, to, r->lang, label, sizeof label);
			page_printf(w,
				    "<button type=\"submit\" name=\"to\" value=\"%h\">%h</button> ",
				    to, label);
		}
		page_printf(w, "</form>");
	}
	json_decref(moves);
}

void h_outcome_transition_post(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	err_clear(&e);
	const char *to = req_form(r, "to");
	if (outcome_transition(r->st, &r->actor, id, to, req_form(r, "note"), &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/outcome-reports/%lld?done=%s", (long long)id,
		 to && !strcmp(to, "submitted") ? "sent" : "saved");
	reply_redirect(r, w, loc);
}

void h_api_outcome_transition(struct req *r, struct resp *w)
{
	int64_t id;
	const char *to, *note;
	if (id_or_reply(r, w, r->params[0], &id) < 0 || json_str_or_reply(r, w, "to", &to) < 0 ||
	    json_str_or_reply(r, w, "note", &note) < 0)
		return;
	struct err e;
	json_t *rec = NULL;
	if (outcome_transition(r->st, &r->actor, id, to, note, &e) < 0 ||
	    record_get(r->st, &r->actor, entity_find("outcome-reports"), id, &rec, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, rec);
}

void h_api_outcomes(struct req *r, struct resp *w)
{
	json_t *items = NULL;
	struct err e;
	if (outcome_supports(r->st, &r->actor, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o}", "items", items));
}
