/* api_submissions.c - the reporting chain over the JSON API: a province's
 * submissions of its periodic report, their moves and snapshots, and who
 * has reported for a period (stats/submission.h). */
#include "core/clock.h"
#include "core/mem.h"
#include "model/attachment.h"
#include "stats/submission.h"
#include "web/handlers.h"
#include "web/params.h"
#include "web/records_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The period of the query (period_kind and year, both required when
 * required, else both or neither): *kind NULL when absent. */
int chain_period_or_reply(struct req *r, struct resp *w, int required, const char **kind,
			  int64_t *year)
{
	if (query_text_or_reply(r, w, "period_kind", kind) < 0 ||
	    query_param_or_reply(r, w, "year", year) < 0)
		return -1;
	if (!required && !*kind && !*year)
		return 0;
	struct err e;
	if (submission_period_check(*kind, *year, &e) < 0) {
		reply_err(r, w, &e);
		return -1;
	}
	return 0;
}

/* Answers the submission id as the caller sees it. */
static void reply_submission(struct req *r, struct resp *w, int64_t id, int status)
{
	struct err e;
	json_t *sub;
	if (submission_get(r->st, &r->actor, id, &sub, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	if (status == 201) {
		char loc[48];
		snprintf(loc, sizeof loc, "/api/v1/submissions/%lld", (long long)id);
		resp_header(r, w, "Location", loc);
	}
	reply_json(w, status, sub);
}

void h_api_submissions_list(struct req *r, struct resp *w)
{
	const char *kind;
	int64_t year;
	if (chain_period_or_reply(r, w, 0, &kind, &year) < 0)
		return;
	struct err e;
	json_t *items;
	if (submission_list(r->st, &r->actor, kind, year, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o}", "items", items));
}

void h_api_submission_create(struct req *r, struct resp *w)
{
	const char *kind, *province;
	int64_t year, id = 0;
	if (json_str_or_reply(r, w, "period_kind", &kind) < 0 ||
	    json_int_or_reply(r, w, "year", 0, &year) < 0 ||
	    json_str_or_reply(r, w, "province", &province) < 0)
		return;
	struct err e;
	if (submission_create(r->st, &r->actor, province, kind, year, &id, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_submission(r, w, id, 201);
}

void h_api_submission_get(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) == 0)
		reply_submission(r, w, id, 200);
}

void h_api_submission_snapshot(struct req *r, struct resp *w)
{
	int64_t id, seq;
	if (id_or_reply(r, w, r->params[0], &id) < 0 || id_or_reply(r, w, r->params[1], &seq) < 0)
		return;
	struct err e;
	json_t *snap;
	if (submission_snapshot(r->st, &r->actor, id, seq, &snap, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, snap);
}

/* GET .../snapshots/{seq}/{format}: the PDF or Excel file of that sending,
 * as it was generated then; always a download. */
void h_api_submission_file(struct req *r, struct resp *w)
{
	int64_t id, seq;
	if (id_or_reply(r, w, r->params[0], &id) < 0 || id_or_reply(r, w, r->params[1], &seq) < 0)
		return;
	struct err e;
	struct attachment f;
	if (submission_file_get(r->st, &r->actor, id, seq, r->params[2], &f, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_download(r, w, f.name, f.content_type, f.data, f.size);
	free(f.data);
}

/* GET .../compare?from=A&to=B: sending B (default: the latest) against
 * sending A (default: the one before B), row by row and record by record. */
void h_api_submission_compare(struct req *r, struct resp *w)
{
	int64_t id, from, to;
	if (id_or_reply(r, w, r->params[0], &id) < 0 ||
	    query_param_or_reply(r, w, "from", &from) < 0 ||
	    query_param_or_reply(r, w, "to", &to) < 0)
		return;
	struct err e;
	json_t *sub = NULL, *out;
	if (!to && submission_get(r->st, &r->actor, id, &sub, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	if (!to) /* the latest sending; 0 before the first: 404 naming seq */
		to = json_integer_value(json_object_get(json_object_get(sub, "snapshot"), "seq"));
	json_decref(sub);
	if (!from)
		from = to > 1 ? to - 1 : to;
	if (submission_compare(r->st, &r->actor, id, from, to, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, out);
}

void h_api_submission_changes(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	json_t *out;
	if (submission_changes(r->st, &r->actor, id, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, out);
}

void h_api_submission_transition(struct req *r, struct resp *w)
{
	int64_t id;
	const char *to, *note;
	if (id_or_reply(r, w, r->params[0], &id) < 0 || json_str_or_reply(r, w, "to", &to) < 0 ||
	    json_str_or_reply(r, w, "note", &note) < 0)
		return;
	struct err e;
	if (submission_transition_notes(r->st, &r->actor, id, to, note,
					json_object_get(r->json, "sections"), &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_submission(r, w, id, 200);
}

void h_api_reporting_status(struct req *r, struct resp *w)
{
	const char *kind;
	int64_t year;
	if (chain_period_or_reply(r, w, 1, &kind, &year) < 0)
		return;
	char today[11];
	clock_today_vn(today);
	struct err e;
	json_t *out;
	if (reporting_status(r->st, &r->actor, kind, year, today, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, out);
}
