/* reporting_status.c - who has reported for a period: every province of
 * the period's time with the status of its submission, on time or late
 * against the deadline, and the rates DHIS2 follows (reporting rate: reports
 * received of reports expected; timeliness: of them, received by the
 * deadline); and what a province officer still has to send. */
#include "stats/submission.h"

#include "core/mem.h"
#include "model/unit.h"
#include "stats/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct row {
	char code[8], name[96], today_code[8];
	char status[16], submitted[11], number[48];
	int64_t id;
	int received, on_time, overdue;
};

/* The Vietnam date (UTC+7) of the UTC time iso ("2026-06-20T17:30:00Z"). */
static void vn_date(const char *iso, char out[11])
{
	struct tm tm = {0};
	out[0] = 0;
	if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm) + 7 * 3600;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int row_rank(const struct row *r)
{
	static const char *const order[] = {"not_started", "draft", "returned", "submitted",
					    "accepted"};
	for (int i = 0; i < 5; i++)
		if (!strcmp(r->status, order[i]))
			return i;
	return 5;
}

static int row_cmp(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->overdue != b->overdue)
		return b->overdue - a->overdue;
	if (row_rank(a) != row_rank(b))
		return row_rank(a) - row_rank(b);
	return strcmp(a->code, b->code);
}

/* The provinces of the period's time into *rows (caller frees). */
static int provinces(struct store *st, int old, struct row **rows, size_t *n, struct err *e)
{
	struct unit_province *u;
	int rc = unit_provinces(st, old ? "old" : "new", &u, n, e);
	if (rc < 0)
		return rc;
	*rows = xcalloc(*n ? *n : 1, sizeof **rows);
	for (size_t i = 0; i < *n; i++) {
		struct row *r = &(*rows)[i];
		str_copy(r->code, sizeof r->code, u[i].code);
		str_copy(r->name, sizeof r->name, u[i].name);
		str_copy(r->today_code, sizeof r->today_code, u[i].today);
		str_copy(r->status, sizeof r->status, "not_started");
	}
	free(u);
	return 0;
}

/* Puts the live submissions of the period on the rows of their province. */
static int fill(struct store *st, const char *kind, int64_t year, const char *due,
		const char *today, struct row *rows, size_t n, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT province_code, status, submitted_at, id, number,"
			      " due_date FROM submissions WHERE period_kind = ? AND year = ? AND"
			      " status <> 'withdrawn'",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ti", kind, year);
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		for (size_t i = 0; i < n; i++) {
			struct row *r = &rows[i];
			if (strcmp(r->today_code, stmt_text(s, 0)))
				continue;
			const char *stt = stmt_text(s, 1);
			snprintf(r->status, sizeof r->status, "%s",
				 !strcmp(stt, "reopened") ? "returned" : stt);
			r->id = stmt_int(s, 3);
			snprintf(r->number, sizeof r->number, "%s", stmt_text(s, 4));
			vn_date(stmt_text(s, 2), r->submitted);
			r->received = !strcmp(stt, "submitted") || !strcmp(stt, "accepted");
			/* On time by today's deadline or by the one in force when sent. */
			const char *then = stmt_text(s, 5);
			r->on_time = r->received && (!*due || strcmp(r->submitted, due) <= 0 ||
						     (then && strcmp(r->submitted, then) <= 0));
		}
	}
	stmt_done(s);
	for (size_t i = 0; i < n; i++)
		rows[i].overdue = !rows[i].received && *due && strcmp(today, due) > 0;
	return rc < 0 ? rc : 0;
}

/* A share as a percentage rounded to one decimal. */
static json_t *percent(size_t part, size_t whole)
{
	if (!whole)
		return json_null();
	return json_real((double)((part * 1000 + whole / 2) / whole) / 10.0);
}

static json_t *rows_json(const struct row *rows, size_t n, const char *due)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b}", "province", r->code, "name",
				      r->name, "today_province", r->today_code, "status", r->status,
				      "received", r->received, "overdue", r->overdue);
		json_object_set_new(o, "submitted_on",
				    *r->submitted ? json_string(r->submitted) : json_null());
		json_object_set_new(o, "timeliness",
				    !r->received ? json_null()
				    : r->on_time ? json_string("on_time")
						 : json_string("late"));
		json_object_set_new(o, "submission_id", r->id ? json_integer(r->id) : json_null());
		json_object_set_new(o, "number", r->id ? json_string(r->number) : json_null());
		(void)due;
		json_array_append_new(arr, o);
	}
	return arr;
}

int reporting_status(struct store *st, const struct actor *a, const char *kind, int64_t year,
		     const char *today, json_t **out, struct err *e)
{
	if (a->role == ROLE_ESTABLISHMENT)
		return err_set(e, ERR_FORBIDDEN, "", "Ngoài phạm vi của bạn / outside your scope");
	struct period p;
	char due[11];
	int rc = submission_period(st, kind, year, &p, due, e);
	if (rc < 0)
		return rc;
	int old = strcmp(p.date_to, "2025-07-01") < 0;
	struct row *rows = NULL;
	size_t n = 0;
	rc = provinces(st, old, &rows, &n, e);
	if (rc == 0)
		rc = fill(st, kind, year, due, today, rows, n, e);
	if (rc < 0) {
		free(rows);
		return rc;
	}
	qsort(rows, n, sizeof *rows, row_cmp);
	size_t counts[5] = {0}, received = 0, on_time = 0, overdue = 0;
	for (size_t i = 0; i < n; i++) {
		counts[row_rank(&rows[i]) % 5]++;
		received += rows[i].received;
		on_time += rows[i].on_time;
		overdue += rows[i].overdue;
	}
	*out = json_pack(
		"{s:s,s:I,s:s,s:s,s:s,s:s,s:i,s:{s:i,s:i,s:i,s:i,s:i},s:i,s:i,s:i,s:o,s:o,s:o}",
		"period_kind", kind, "year", (json_int_t)year, "label", p.label, "date_from",
		p.date_from, "date_to", p.date_to, "units", old ? "old" : "new", "expected", (int)n,
		"counts", "not_started", (int)counts[0], "draft", (int)counts[1], "returned",
		(int)counts[2], "submitted", (int)counts[3], "accepted", (int)counts[4], "received",
		(int)received, "on_time", (int)on_time, "overdue", (int)overdue, "reporting_rate",
		percent(received, n), "timeliness_rate", percent(on_time, n), "provinces",
		rows_json(rows, n, due));
	json_object_set_new(*out, "due_date", *due ? json_string(due) : json_null());
	free(rows);
	return 0;
}

/* Adds the period kind/year of a's province to todo when it has started by
 * today and is neither sent nor accepted. */
static int todo_period(struct store *st, const struct actor *a, const char *kind, int64_t year,
		       const char *today, json_t *todo, struct err *e)
{
	struct period p;
	char due[11];
	int rc = submission_period(st, kind, year, &p, due, e);
	if (rc < 0 || strcmp(p.date_from, today) > 0)
		return rc;
	struct stmt *s =
		store_prepare(st,
			      "SELECT id, status FROM submissions WHERE province_code = ?"
			      " AND period_kind = ? AND year = ? AND status <> 'withdrawn'",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "tti", a->province, kind, year);
	rc = stmt_step(s, e);
	int64_t id = rc == 1 ? stmt_int(s, 0) : 0;
	char status[16];
	snprintf(status, sizeof status, "%s", rc == 1 ? stmt_text(s, 1) : "not_started");
	stmt_done(s);
	if (rc < 0 || !strcmp(status, "submitted") || !strcmp(status, "accepted"))
		return rc < 0 ? rc : 0;
	json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:b}", "period_kind", kind, "year",
			      (json_int_t)year, "label", p.label, "status", status, "overdue",
			      *due && strcmp(today, due) > 0);
	json_object_set_new(o, "due_date", *due ? json_string(due) : json_null());
	json_object_set_new(o, "id", id ? json_integer(id) : json_null());
	json_array_append_new(todo, o);
	return 0;
}

int submission_todo(struct store *st, const struct actor *a, const char *today, json_t **out,
		    struct err *e)
{
	*out = json_array();
	if (a->role != ROLE_PROVINCE)
		return 0;
	int y = atoi(today);
	int rc = todo_period(st, a, "year", y - 1, today, *out, e);
	if (rc == 0)
		rc = todo_period(st, a, "half_year", y, today, *out, e);
	if (rc == 0)
		rc = todo_period(st, a, "year", y, today, *out, e);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
