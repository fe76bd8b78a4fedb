/* page_lot_steps.c - the dated steps of a lot entered as rows, several at
 * once, all saved or none (a lot's history is written after the fact, a
 * day's work at a time, not one page per step). */
#include "model/record.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/portal.h"
#include "web/records_web.h"

#include <stdio.h>
#include <string.h>

enum { LOT_STEP_ROWS = 5 };
static const char *const step_cols[] = {"event_date", "what", "place", "who"};

void lot_steps_form(struct req *r, struct resp *w, int64_t id)
{
	const struct entity *ev = entity_find("lot-events");
	if (!record_may_create(&r->actor, ev) ||
	    record_check_write(r->st, &r->actor, entity_find("lots"), id, NULL) < 0)
		return;
	page_printf(w,
		    "<form method=\"post\" action=\"/lots/%lld/steps\" class=\"card\" "
		    "id=\"lot-steps\"><h2>%h</h2><p class=\"muted\">%h</p>",
		    (long long)id, T(r, "steps.title"), T(r, "steps.hint"));
	page_csrf(r, w);
	page_printf(w, "<div class=\"scroll\"><table class=\"rows\"><thead><tr><th>#</th>");
	for (size_t c = 0; c < sizeof step_cols / sizeof *step_cols; c++)
		page_printf(w, "<th>%h%h</th>",
			    field_label(entity_field(ev, step_cols[c]), r->lang),
			    c < 2 ? " *" : "");
	page_printf(w, "</tr></thead><tbody>");
	for (int i = 1; i <= LOT_STEP_ROWS; i++) {
		page_printf(w, "<tr><td>%d</td>", i);
		for (size_t c = 0; c < sizeof step_cols / sizeof *step_cols; c++) {
			char name[32];
			snprintf(name, sizeof name, "%s_%d", step_cols[c], i);
			const char *v = r->form_error ? req_form(r, name) : NULL;
			page_printf(w, "<td><input name=\"%h\" value=\"%h\" aria-label=\"%h %d\"", name,
				    v ? v : "", field_label(entity_field(ev, step_cols[c]), r->lang),
				    i);
			if (c == 0)
				page_printf(w, " placeholder=\"dd/mm/yyyy\" inputmode=\"numeric\"");
			page_printf(w, "></td>");
		}
		page_printf(w, "</tr>");
	}
	page_printf(w,
		    "</tbody></table></div><button type=\"submit\" id=\"save-steps\">%h</button>"
		    "</form>",
		    T(r, "steps.save"));
}

/* The row's message in front of the model's "tiếng Việt / English" one. */
static void row_error(struct err *e, int row)
{
	char msg[2 * sizeof e->message];
	const char *sep = strstr(e->message, " / ");
	if (sep)
		snprintf(msg, sizeof msg, "Dòng %d: %.*s / row %d: %s", row,
			 (int)(sep - e->message), e->message, row, sep + 3);
	else
		snprintf(msg, sizeof msg, "Dòng %d / row %d: %s", row, row, e->message);
	snprintf(e->message, sizeof e->message, "%.1000s", msg);
	char field[sizeof e->field];
	snprintf(field, sizeof field, "%.40s_%d", e->field, row);
	snprintf(e->field, sizeof e->field, "%s", field);
}

static int save_rows(struct req *r, int64_t id, int *saved, struct err *e)
{
	const struct entity *ev = entity_find("lot-events");
	int rc = store_begin(r->st, e);
	for (int i = 1; rc == 0 && i <= LOT_STEP_ROWS; i++) {
		json_t *in = json_object();
		for (size_t c = 0; c < sizeof step_cols / sizeof *step_cols; c++) {
			char name[32];
			snprintf(name, sizeof name, "%s_%d", step_cols[c], i);
			const char *v = req_form(r, name);
			if (v && *v)
				json_object_set_new(in, step_cols[c], json_string(v));
		}
		if (json_object_size(in)) {
			json_object_set_new(in, "lot_id", json_integer(id));
			rc = record_create(r->st, &r->actor, ev, in, NULL, e);
			if (rc < 0)
				row_error(e, i);
			else
				++*saved;
		}
		json_decref(in);
	}
	if (rc == 0 && !*saved)
		rc = err_set(e, ERR_INVALID, "what_1",
			     "Hãy nhập ít nhất một công đoạn / enter at least one step");
	if (rc < 0) {
		store_rollback(r->st);
		return rc;
	}
	return store_commit(r->st, e);
}

void h_lot_steps_post(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	err_clear(&e);
	if (record_check_write(r->st, &r->actor, entity_find("lots"), id, &e) < 0) {
		reply_err(r, w, &e); /* not the caller's lot: nothing of it is shown */
		return;
	}
	int saved = 0;
	if (save_rows(r, id, &saved, &e) < 0) {
		if (e.code == ERR_NOTFOUND || e.code == ERR_FORBIDDEN) {
			reply_err(r, w, &e);
			return;
		}
		/* The lot's page again, the rows as typed and the error above. */
		r->params[1] = r->params[0];
		r->params[0] = "lots";
		page_rerender(r, w, &e, h_record_page);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/lots/%lld?done=saved#rel-lot-events", (long long)id);
	reply_redirect(r, w, loc);
}
