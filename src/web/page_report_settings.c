/* page_report_settings.c - the settings that make the periodic report an
 * administrative document (model/letterhead.h): a page with its form for the
 * province officer or the ministry, and the same through the API. */
#include "model/letterhead.h"
#include "web/handlers.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

/* The scope asked for, or the account's own (its province, else national). */
static const char *scope_of(struct req *r, const char *asked)
{
	if (asked && *asked)
		return asked;
	return r->actor.province[0] ? r->actor.province : "national";
}

void h_api_report_settings(struct req *r, struct resp *w)
{
	json_t *o;
	struct err e;
	if (letterhead_get(r->st, &r->actor, r->params[0], &o, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, o);
}

void h_api_report_settings_update(struct req *r, struct resp *w)
{
	struct err e;
	err_clear(&e);
	if (letterhead_set(r->st, &r->actor, r->params[0], r->json, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	h_api_report_settings(r, w);
}

static void settings_form(struct req *r, struct resp *w, json_t *o, const char *scope)
{
	page_printf(w, "<form method=\"post\" action=\"/reports/settings/%t\" class=\"card\" "
		       "id=\"report-settings\">",
		    scope);
	page_csrf(r, w);
	int en = !strcmp(r->lang, "en");
	for (const struct letterhead_field *f = letterhead_fields; f->key; f++) {
		const char *v = json_string_value(json_object_get(o, f->key));
		const char *label = en ? f->en : f->vi;
		if (f->lines)
			page_printf(w, "<label>%h<textarea name=\"%h\" id=\"set-%h\" rows=\"4\" "
				       "maxlength=\"%zu\">%h</textarea></label>",
				    label, f->key, f->key, f->max, v);
		else
			page_printf(w, "<label>%h<input name=\"%h\" id=\"set-%h\" value=\"%h\" "
				       "maxlength=\"%zu\"></label>",
				    label, f->key, f->key, v, f->max);
	}
	page_printf(w, "<button type=\"submit\">%h</button></form>", T(r, "rec.save"));
}

static void settings_page(struct req *r, struct resp *w, const char *scope)
{
	json_t *o;
	struct err e;
	if (letterhead_get(r->st, &r->actor, scope, &o, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_begin(r, w, "report.settings_title");
	page_flash(r, w);
	page_printf(w, "<p class=\"muted\">%h</p>", T(r, "report.settings_intro"));
	if (actor_reads_all(&r->actor)) {
		page_printf(w, "<form method=\"get\" class=\"filters\"><label>%h"
			       "<select name=\"scope\" id=\"settings-scope\"><option value=\"national\">%h"
			       "</option>",
			    T(r, "report.settings_for"), T(r, "report.national"));
		page_province_options(r, w, "new", scope);
		page_printf(w, "</select></label><button type=\"submit\">%h</button></form>",
			    T(r, "dash.show"));
	}
	settings_form(r, w, o, scope);
	json_decref(o);
	page_end(r, w);
}

void h_report_settings_page(struct req *r, struct resp *w)
{
	settings_page(r, w, scope_of(r, req_query(r, "scope")));
}

/* The page of the scope a form was posted to (its path's parameter). */
static void settings_page_posted(struct req *r, struct resp *w)
{
	settings_page(r, w, r->params[0]);
}

void h_report_settings_post(struct req *r, struct resp *w)
{
	json_t *in = json_object();
	for (const struct letterhead_field *f = letterhead_fields; f->key; f++) {
		const char *v = req_form(r, f->key);
		if (v)
			json_object_set_new(in, f->key, json_string(v));
	}
	struct err e;
	err_clear(&e);
	int rc = letterhead_set(r->st, &r->actor, r->params[0], in, &e);
	json_decref(in);
	if (rc < 0) {
		page_rerender(r, w, &e, settings_page_posted);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/reports/settings?scope=%s&done=saved", r->params[0]);
	reply_redirect(r, w, loc);
}
