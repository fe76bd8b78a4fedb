/* submission.h - the reporting chain: a province submits its periodic
 * report for a reporting period, the ministry accepts or returns it, and may
 * reopen an accepted one (docs/reporting.md). What was sent is a frozen
 * snapshot with a content hash; an accepted period locks the province's
 * records dated in it (model/chain_lock.h). */
#ifndef KC_SUBMISSION_H
#define KC_SUBMISSION_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

/* The statuses a submission in status may move to, as a JSON array of
 * {to, by ("province" or "ministry"), note_required} (caller json_decref's). */
json_t *submission_moves(const char *status);

/* Parses a reporting period of the chain: kind "year" (a reporting year) or
 * "half_year" (the first half of one: the six-month report) and a year
 * 2000..2100. ERR_INVALID naming "period_kind" or "year". */
int submission_period_check(const char *kind, int64_t year, struct err *e);

/* The dates of period kind/year (checked as above) into *p, and its
 * deadline (ISO, "" when the reporting periods set none) into due: the due
 * day of the rule in that year, or the next when that day comes before the
 * period ends. */
struct period;
int submission_period(struct store *st, const char *kind, int64_t year, struct period *p,
		      char due[11], struct err *e);

/* The snapshot of what province prov reports for period p (kind/year): the
 * periodic report as built now (every table, narrative, figure's value and
 * sources), the collection, id and version of every record and reported
 * figure of the province dated in the period, as canonical JSON text
 * (sorted keys; caller frees *text) and its SHA-256 in hex (hash). */
int submission_freeze(struct store *st, const struct actor *a, const char *prov, const char *number,
		      const char *kind, int64_t year, const struct period *p, char **text,
		      char hash[65], struct err *e);

/* Appends to arr {collection, id, version} of every record and reported
 * figure of province prov dated in p (by date, else by year), the records
 * a snapshot names. */
int submission_records(struct store *st, const char *prov, const struct period *p, json_t *arr,
		       struct err *e);

/* What changed since submission id was last sent ("đã thay đổi sau khi
 * gửi"), into *out (caller json_decref's): {seq, changed (bool), figures:
 * [{section, row, sent, now}] (rows of the report's tables whose cells
 * differ, sent or now null for a row only on one side), records: {changed:
 * [{collection, id, sent_version, version}], added, removed}}; seq 0 and
 * nothing changed before the first sending. Scoped as submission_get. */
int submission_changes(struct store *st, const struct actor *a, int64_t id, json_t **out,
		       struct err *e);

/* The report of the province and period of snapshot content as built now
 * from the live data into *report (caller json_decref's), and when records
 * is not NULL the records the snapshot would name now appended to it. */
int submission_report_now(struct store *st, const struct actor *a, json_t *content, json_t **report,
			  json_t *records, struct err *e);

/* The national report of period kind/year consolidated from the provinces'
 * accepted submissions (stats/report_consolidated.c): a report document
 * (io/doc.h) built from the report frozen in each one's latest sending,
 * never from the live data: a section on what it covers, each section of
 * the provinces' reports with its figures added up where they add (the
 * number of provinces behind each, and the live sum of the same provinces
 * beside it where that now differs), and an annex of every figure by
 * province and submission number. "coverage": {expected, included,
 * provinces: [{province, name, status, included, submission_id, number,
 * seq, content_hash}]} says which provinces it holds. For the ministry,
 * administrators and national viewers (ERR_FORBIDDEN else). */
int report_consolidated(struct store *st, const struct actor *a, const char *kind, int64_t year,
			json_t **out, struct err *e);

/* Sending to of submission id against sending from (snapshot seqs), into
 * *out (caller json_decref's): {from, to, changed, figures: [{section, row,
 * sent (the row in from), now (in to)}], records: {changed, added,
 * removed}} as submission_changes(). ERR_NOTFOUND naming "seq" for a
 * sending that does not exist; scoped as submission_get. */
int submission_compare(struct store *st, const struct actor *a, int64_t id, int64_t from,
		       int64_t to, json_t **out, struct err *e);

/* Starts the draft submission of province (NULL: the caller's) for the
 * period kind/year; sets *id. Province officers start their own province's
 * (administrators any province), ERR_FORBIDDEN else; ERR_CONFLICT when the
 * province already has one for the period that was not withdrawn. The
 * period's dates and deadline are copied from the reporting periods. */
int submission_create(struct store *st, const struct actor *a, const char *province,
		      const char *kind, int64_t year, int64_t *id, struct err *e);

/* Moves submission id to status to with note (required to return or to
 * reopen: ERR_INVALID naming "note"). Officers of its province submit
 * (draft, returned, reopened -> submitted, freezing a new snapshot) and
 * withdraw (submitted -> withdrawn); the ministry and administrators accept,
 * return and reopen. Illegal moves are ERR_CONFLICT naming the allowed ones.
 * The step, its event and its audit row land in one transaction. */
int submission_transition(struct store *st, const struct actor *a, int64_t id, const char *to,
			  const char *note, struct err *e);

/* The same move, a return carrying comments per section too: sections is
 * NULL or an array of {section, note}, section the title of a section of
 * the report last sent ("1. Đào tạo nghề, …"; ERR_INVALID naming
 * "sections[i]" for another, or one commented twice), items with an empty
 * note left out; any other move with comments is ERR_INVALID naming
 * "sections". They are stored with the step and shown in the timeline. */
int submission_transition_notes(struct store *st, const struct actor *a, int64_t id, const char *to,
				const char *note, json_t *sections, struct err *e);

/* Submission id as JSON into *out (caller json_decref's): its fields, the
 * allowed moves for a, its timeline (events oldest first, each with the
 * "sections" commented when it was a return) and its latest
 * snapshot ("snapshot": {seq, created_at, content_hash, content}; null
 * before the first submission). ERR_NOTFOUND, or ERR_FORBIDDEN for another
 * province's officer. */
int submission_get(struct store *st, const struct actor *a, int64_t id, json_t **out,
		   struct err *e);

/* The snapshot seq (1 = first sent) of submission id, as submission_get
 * shows its latest. */
int submission_snapshot(struct store *st, const struct actor *a, int64_t id, int64_t seq,
			json_t **out, struct err *e);

/* The PDF and Excel files of the report frozen in snapshot text (the
 * sending seq of submission number), rendered as /reports renders them and
 * stored with the snapshot row snapshot_id, inside the caller's
 * transaction (stats/submission_files.c). */
int submission_files_make(struct store *st, const struct actor *a, int64_t snapshot_id,
			  const char *number, int64_t seq, const char *text, struct err *e);
/* Those files of snapshot row snapshot_id as a JSON array of {format,
 * name, content_type, bytes, sha256} into *out (caller json_decref's). */
int submission_files_list(struct store *st, int64_t snapshot_id, json_t **out, struct err *e);
/* The file format ("pdf", "xlsx") of sending seq of submission id, scoped
 * as submission_snapshot(); ERR_NOTFOUND naming "format" or "seq". */
struct attachment;
int submission_file_get(struct store *st, const struct actor *a, int64_t id, int64_t seq,
			const char *format, struct attachment *out, struct err *e);

/* The submissions a may see (all for the ministry, the province's own for
 * its officers), of period kind/year when kind is not NULL, newest first,
 * as a JSON array of their fields (no snapshot). */
int submission_list(struct store *st, const struct actor *a, const char *kind, int64_t year,
		    json_t **out, struct err *e);

/* Who has reported for period kind/year (docs/reporting.md): every
 * province of the period's time (63 before 2025-07-01, 34 after) with its
 * status (not_started, draft, submitted, returned, accepted), submission
 * date, deadline, on time or late, and the counts and rates; overdue
 * provinces first. today is an ISO date (Vietnam's). */
int reporting_status(struct store *st, const struct actor *a, const char *kind, int64_t year,
		     const char *today, json_t **out, struct err *e);

/* What the province officer a has to do: the periods due (the half-year
 * and year of today's reporting year, the previous year) not yet sent or
 * accepted, and the returned or reopened submissions, as a JSON array of
 * {period_kind, year, label, due_date, status, id}. Empty for other roles. */
int submission_todo(struct store *st, const struct actor *a, const char *today, json_t **out,
		    struct err *e);

#endif
