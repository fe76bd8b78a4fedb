/* api_records.c - the JSON API of every record type, driven by entities[]:
 * /api/v1/{collection} and /api/v1/{collection}/{id}, plus the lifecycles. */
#include "model/record.h"
#include "model/workflow.h"
#include "web/handlers.h"
#include "web/params.h"
#include "web/records_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void h_api_records_list(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	struct list_query qy;
	int64_t page;
	if (list_query_or_reply(r, w, ent, &qy, &page) < 0)
		return;
	const char *count;
	if (query_choice_or_reply(r, w, "count", &count) < 0)
		return;
	/* count=exact: every match counted, as record_list does. The page is
	 * written straight into the body: a JSON object per record only to
	 * print it was half of the request's time. */
	struct err e;
	int64_t total;
	int exact;
	buf_reset(&w->body);
	buf_puts(&w->body, "{\"items\":");
	if (record_list_json(r->st, &r->actor, ent, &qy, count && !strcmp(count, "exact"), &w->body,
			     &total, &exact, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	buf_printf(&w->body, ",\"total\":%lld,\"total_exact\":%s,\"page\":%lld,\"per_page\":%lld}",
		   (long long)total, exact ? "true" : "false", (long long)page,
		   (long long)qy.limit);
	w->status = 200;
	w->content_type = "application/json; charset=utf-8";
}

/* The record as JSON, written straight into the body, with its ETag. */
static void reply_record(struct req *r, struct resp *w, const struct entity *ent, int64_t id,
                         int status)
{
	struct err e;
	int64_t version;
	buf_reset(&w->body);
	if (record_get_json(r->st, &r->actor, ent, id, &w->body, &version, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char *etag = arena_alloc(r->arena, 32);
	snprintf(etag, 32, "\"%lld\"", (long long)version);
	resp_header(r, w, "ETag", etag);
	w->status = status;
	w->content_type = "application/json; charset=utf-8";
}

void h_api_record_get(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[1], &id) == 0)
		reply_record(r, w, entity_find(r->params[0]), id, 200);
}

void h_api_record_create(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	struct err e;
	struct errs all = {0};
	int64_t id;
	if (record_create_all(r->st, &r->actor, ent, r->json, &id, &all, &e) < 0) {
		reply_errs(r, w, &e, &all);
		errs_free(&all);
		return;
	}
	char *loc = arena_alloc(r->arena, 96);
	snprintf(loc, 96, "/api/v1/%s/%lld", ent->collection, (long long)id);
	resp_header(r, w, "Location", loc);
	reply_record(r, w, ent, id, 201);
}

void h_api_record_update(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	int64_t id, version;
	if (id_or_reply(r, w, r->params[1], &id) < 0 || if_match_or_reply(r, w, &version) < 0)
		return;
	struct err e;
	struct errs all = {0};
	if (record_update_all(r->st, &r->actor, ent, id, r->json, version, &all, &e) < 0) {
		reply_errs(r, w, &e, &all);
		errs_free(&all);
		return;
	}
	reply_record(r, w, ent, id, 200);
}

void h_api_record_delete(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	int64_t id, version;
	if (id_or_reply(r, w, r->params[1], &id) < 0 || if_match_or_reply(r, w, &version) < 0)
		return;
	struct err e;
	if (record_delete(r->st, &r->actor, ent, id, version, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	w->status = 204;
	buf_reset(&w->body);
}

void h_api_project_steps(struct req *r, struct resp *w)
{
	int64_t id;
	json_t *p = record_or_reply(r, w, entity_find("projects"), r->params[0], &id);
	if (!p)
		return;
	struct err e;
	struct list_query qy = {.nfilters = 1, .sort = "event_date", .limit = 500};
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	qy.filter_names[0] = "project_id";
	qy.filter_values[0] = idtext;
	json_t *steps;
	int64_t total;
	if (record_list(r->st, &r->actor, entity_find("project-events"), &qy, &steps, &total, &e) < 0) {
		json_decref(p);
		reply_err(r, w, &e);
		return;
	}
	const char *status = json_string_value(json_object_get(p, "status"));
	json_t *next = project_next_statuses(status, json_string_value(json_object_get(p, "kind")));
	reply_json(w, 200, json_pack("{s:s,s:o,s:o}", "status", status ? status : "draft", "next",
	                             next, "steps", steps));
	json_decref(p);
}

void h_api_project_transition(struct req *r, struct resp *w)
{
	static const char *const amounts[] = {PROJECT_STEP_AMOUNTS};
	int64_t id;
	const char *to, *date, *decision, *note;
	if (id_or_reply(r, w, r->params[0], &id) < 0 || json_str_or_reply(r, w, "to", &to) < 0 ||
	    json_str_or_reply(r, w, "date", &date) < 0 ||
	    json_str_or_reply(r, w, "decision_no", &decision) < 0 ||
	    json_str_or_reply(r, w, "note", &note) < 0)
		return;
	struct project_step step = {to, date, decision, note, json_object()};
	for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
		json_t *v = json_object_get(r->json, amounts[i]);
		if (v && !json_is_null(v))
			json_object_set(step.amounts, amounts[i], v);
	}
	struct err e;
	struct errs all = {0};
	int rc = project_step(r->st, &r->actor, id, &step, &all, &e);
	json_decref(step.amounts);
	if (rc < 0)
		reply_errs(r, w, &e, &all);
	else
		reply_record(r, w, entity_find("projects"), id, 200);
	errs_free(&all);
}

void h_api_proposal_transition(struct req *r, struct resp *w)
{
	int64_t id, plan;
	const char *to, *note;
	if (id_or_reply(r, w, r->params[0], &id) < 0 || json_str_or_reply(r, w, "to", &to) < 0 ||
	    json_str_or_reply(r, w, "note", &note) < 0 ||
	    json_int_or_reply(r, w, "plan_id", 0, &plan) < 0)
		return;
	struct err e;
	int64_t project = 0;
	int rc = to && !strcmp(to, "converted")
	                 ? proposal_convert(r->st, &r->actor, id, plan, &project, &e)
	                 : proposal_transition(r->st, &r->actor, id, to, note, &e);
	if (rc < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_record(r, w, entity_find("proposals"), id, 200);
}
