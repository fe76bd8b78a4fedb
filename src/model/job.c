/* job.c - the jobs table: queue, claim, progress, cancel, finish, requeue and
 * clean-up of background jobs (see job.h). Every state change is one UPDATE
 * guarded by the state it leaves, so concurrent workers and requests on
 * different server processes never both win. */
#include "model/job.h"

#include "core/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

void job_free(struct job *j)
{
	json_decref(j->params);
	json_decref(j->summary);
	json_decref(j->error);
	j->params = j->summary = j->error = NULL;
}

int job_finished(const struct job *j)
{
	return !strcmp(j->status, "done") || !strcmp(j->status, "failed") ||
	       !strcmp(j->status, "cancelled");
}

/* JSON text of v (NULL stays NULL); caller frees. */
static char *dump(json_t *v)
{
	return v ? json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
}

int job_create(struct store *st, const struct actor *a, const char *kind, json_t *params,
	       int64_t *id, struct err *e)
{
	char *p = dump(params);
	int rc = store_run(
		st, e,
		"INSERT INTO jobs (kind, status, user_id, username, role, province, params,"
		" created_at) VALUES (?, 'queued', ?, ?, ?, ?, ?, ?)",
		"titttti", kind, (int64_t)a->user_id, a->username, role_name(a->role), a->province,
		p ? p : "{}", now_s());
	free(p);
	if (rc < 0)
		return rc;
	*id = store_last_id(st);
	return 0;
}

#define JOB_COLUMNS                                                                             \
	"id, kind, status, user_id, username, role, province, params, progress_done,"           \
	" progress_total, message, cancel_requested, summary, error, result_type, result_name," \
	" created_at, started_at, finished_at, heartbeat_at, worker, attempts,"                 \
	" CASE WHEN result IS NULL THEN 0 ELSE 1 END"

static json_t *load_json(const char *text)
{
	return text ? json_loads(text, 0, NULL) : NULL;
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void read_row(struct stmt *s, struct job *j)
{
	memset(j, 0, sizeof *j);
	j->id = stmt_int(s, 0);
	copy(j->kind, sizeof j->kind, stmt_text(s, 1));
	copy(j->status, sizeof j->status, stmt_text(s, 2));
	j->user_id = stmt_int(s, 3);
	copy(j->username, sizeof j->username, stmt_text(s, 4));
	copy(j->role, sizeof j->role, stmt_text(s, 5));
	copy(j->province, sizeof j->province, stmt_text(s, 6));
	j->params = load_json(stmt_text(s, 7));
	if (!j->params)
		j->params = json_object();
	j->done = stmt_int(s, 8);
	j->total = stmt_int(s, 9);
	copy(j->message, sizeof j->message, stmt_text(s, 10));
	j->cancel_requested = (int)stmt_int(s, 11);
	j->summary = load_json(stmt_text(s, 12));
	j->error = load_json(stmt_text(s, 13));
	copy(j->result_type, sizeof j->result_type, stmt_text(s, 14));
	copy(j->result_name, sizeof j->result_name, stmt_text(s, 15));
	j->created_at = stmt_int(s, 16);
	j->started_at = stmt_int(s, 17);
	j->finished_at = stmt_int(s, 18);
	j->heartbeat_at = stmt_int(s, 19);
	copy(j->worker, sizeof j->worker, stmt_text(s, 20));
	j->attempts = (int)stmt_int(s, 21);
	j->has_result = stmt_int(s, 22) != 0;
}

int job_load(struct store *st, int64_t id, struct job *j, struct err *e)
{
	memset(j, 0, sizeof *j);
	struct stmt *s = store_prepare(st, "SELECT " JOB_COLUMNS " FROM jobs WHERE id = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	int rc = stmt_step(s, e);
	if (rc == 1)
		read_row(s, j);
	stmt_done(s);
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "id", "Không có công việc này / no such job");
	return rc < 0 ? rc : 0;
}

/* Owners and administrators see a job; to anyone else it does not exist. */
static int visible(const struct actor *a, const struct job *j)
{
	return actor_is_admin(a) || (a->user_id && a->user_id == j->user_id);
}

int job_get(struct store *st, const struct actor *a, int64_t id, struct job *j, struct err *e)
{
	int rc = job_load(st, id, j, e);
	if (rc == 0 && !visible(a, j)) {
		job_free(j);
		return err_set(e, ERR_NOTFOUND, "id", "Không có công việc này / no such job");
	}
	return rc;
}

int job_result(struct store *st, const struct actor *a, int64_t id, struct buf *out, char type[128],
	       char name[128], struct err *e)
{
	struct job j;
	int rc = job_get(st, a, id, &j, e);
	if (rc < 0)
		return rc;
	int ok = j.has_result && !strcmp(j.status, "done");
	job_free(&j);
	if (!ok)
		return err_set(e, ERR_NOTFOUND, "id",
			       "Công việc này chưa có tệp kết quả / this job has no file (yet)");
	struct stmt *s = store_prepare(
		st, "SELECT result, result_type, result_name FROM jobs WHERE id = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	rc = stmt_step(s, e);
	if (rc == 1) {
		const char *b64 = stmt_text(s, 0);
		size_t len = b64 ? strlen(b64) : 0, n = 0;
		unsigned char *bin = xmalloc(len / 4 * 3 + 3);
		if (!b64 || sodium_base642bin(bin, len / 4 * 3 + 3, b64, len, NULL, &n, NULL,
					      sodium_base64_VARIANT_ORIGINAL) != 0) {
			rc = err_set(e, ERR_STORE, "result",
				     "Không đọc được tệp kết quả / cannot read the job's file");
		} else {
			buf_append(out, bin, n);
			copy(type, 128, stmt_text(s, 1));
			copy(name, 128, stmt_text(s, 2));
			rc = 0;
		}
		free(bin);
	} else if (rc == 0) {
		rc = err_set(e, ERR_NOTFOUND, "id", "Không có công việc này / no such job");
	}
	stmt_done(s);
	return rc;
}

json_t *job_json(const struct job *j)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:{s:I,s:s},s:{s:I,s:I,s:s},s:b,s:I,s:i}", "id",
			      (json_int_t)j->id, "kind", j->kind, "status", j->status, "owner",
			      "id", (json_int_t)j->user_id, "username", j->username, "progress",
			      "done", (json_int_t)j->done, "total", (json_int_t)j->total, "message",
			      j->message, "cancel_requested", j->cancel_requested, "created_at",
			      (json_int_t)j->created_at, "attempts", j->attempts);
	if (j->started_at)
		json_object_set_new(o, "started_at", json_integer(j->started_at));
	if (j->finished_at)
		json_object_set_new(o, "finished_at", json_integer(j->finished_at));
	json_object_set(o, "summary", j->summary ? j->summary : json_null());
	json_object_set(o, "error", j->error ? j->error : json_null());
	if (j->has_result && !strcmp(j->status, "done")) {
		char url[64];
		snprintf(url, sizeof url, "/jobs/%lld/result", (long long)j->id);
		json_object_set_new(o, "result",
				    json_pack("{s:s,s:s,s:s}", "url", url, "type", j->result_type,
					      "name", j->result_name));
	}
	return o;
}

/* ---- workers ---------------------------------------------------------- */

int job_claim(struct store *st, const char *worker, struct job *j, struct err *e)
{
	/* A few candidates, oldest first: when another worker wins the race for
	 * one (the guarded UPDATE changes no row), try the next. */
	for (int tries = 0; tries < 8; tries++) {
		int64_t id = 0;
		int rc = store_int(
			st, e, &id,
			"SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1", "");
		if (rc <= 0)
			return rc;
		int64_t t = now_s();
		rc = store_run(
			st, e,
			"UPDATE jobs SET status = 'running', worker = ?, started_at = ?,"
			" heartbeat_at = ?, attempts = attempts + 1, progress_done = 0,"
			" progress_total = 0, message = '' WHERE id = ? AND status = 'queued'",
			"tiii", worker, t, t, id);
		if (rc < 0)
			return rc;
		if (store_changes(st) == 1)
			return job_load(st, id, j, e) < 0 ? ERR_STORE : 1;
	}
	return 0;
}

/* ERR_CONFLICT unless the last UPDATE changed exactly one row. */
static int held(struct store *st, int rc, struct err *e)
{
	if (rc < 0)
		return rc;
	if (store_changes(st) != 1)
		return err_set(e, ERR_CONFLICT, "worker",
			       "Công việc không còn do tiến trình này giữ / the job is no longer "
			       "held by this worker");
	return 0;
}

int job_progress(struct store *st, int64_t id, const char *worker, int64_t done, int64_t total,
		 const char *message, int *cancel, struct err *e)
{
	int rc = store_run(st, e,
			   "UPDATE jobs SET progress_done = ?, progress_total = ?, message = ?,"
			   " heartbeat_at = ? WHERE id = ? AND worker = ? AND status = 'running'",
			   "iitiit", done, total, message ? message : "", now_s(), id, worker);
	rc = held(st, rc, e);
	if (rc == 0 && cancel) {
		int c = job_cancel_requested(st, id, e);
		if (c < 0)
			return c;
		*cancel = c;
	}
	return rc;
}

int job_cancel_requested(struct store *st, int64_t id, struct err *e)
{
	int64_t c = 0;
	int rc = store_int(st, e, &c, "SELECT cancel_requested FROM jobs WHERE id = ?", "i", id);
	return rc < 0 ? rc : c != 0;
}

int job_heartbeat(struct store *st, const char *worker, struct err *e)
{
	int rc = store_run(
		st, e, "UPDATE jobs SET heartbeat_at = ? WHERE worker = ? AND status = 'running'",
		"it", now_s(), worker);
	return rc < 0 ? rc : 0;
}

int job_finish(struct store *st, int64_t id, const char *worker, json_t *summary, const void *data,
	       size_t n, const char *type, const char *name, struct err *e)
{
	char *sum = dump(summary);
	char *b64 = NULL;
	if (data) {
		size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
		b64 = xmalloc(len);
		sodium_bin2base64(b64, len, data, n, sodium_base64_VARIANT_ORIGINAL);
	}
	int64_t t = now_s();
	int rc = store_run(
		st, e,
		"UPDATE jobs SET status = 'done', summary = ?, result = ?, result_type = ?,"
		" result_name = ?, finished_at = ?, heartbeat_at = ?, message = '',"
		" progress_done = CASE WHEN progress_total > 0 THEN progress_total"
		" ELSE progress_done END WHERE id = ? AND worker = ? AND status = 'running'",
		"ttttiiit", sum, b64, data ? type : NULL, data ? name : NULL, t, t, id, worker);
	free(sum);
	free(b64);
	return held(st, rc, e);
}

int job_fail(struct store *st, int64_t id, const char *worker, const char *status, json_t *error,
	     struct err *e)
{
	if (strcmp(status, "failed") && strcmp(status, "cancelled"))
		return err_set(e, ERR_INVALID, "status", "job_fail: failed or cancelled");
	char *er = dump(error);
	int64_t t = now_s();
	int rc =
		store_run(st, e,
			  "UPDATE jobs SET status = ?, error = ?, finished_at = ?, heartbeat_at = ?"
			  " WHERE id = ? AND worker = ? AND status = 'running'",
			  "ttiiit", status, er, t, t, id, worker);
	free(er);
	return held(st, rc, e);
}

#define CANCELLED_AT_STOP "{\"message\":\"Đã hủy; không ghi gì / cancelled; nothing was written\"}"

int job_requeue(struct store *st, int64_t id, const char *worker, struct err *e)
{
	/* A job someone asked to stop is not queued again: it may be the one
	 * that held the system, and a restart is how an administrator ends it. */
	int rc = store_run(st, e,
			   "UPDATE jobs SET status = 'cancelled', finished_at = ?, error = ?"
			   " WHERE id = ? AND worker = ? AND status = 'running'"
			   " AND cancel_requested = 1",
			   "itit", now_s(), CANCELLED_AT_STOP, id, worker);
	if (rc < 0 || store_changes(st) == 1)
		return rc < 0 ? rc : 0;
	rc = store_run(st, e,
		       "UPDATE jobs SET status = 'queued', worker = NULL, started_at = NULL,"
		       " heartbeat_at = NULL, progress_done = 0, progress_total = 0, message = ''"
		       " WHERE id = ? AND worker = ? AND status = 'running'",
		       "it", id, worker);
	return held(st, rc, e);
}

int job_cancel(struct store *st, const struct actor *a, int64_t id, struct err *e)
{
	struct job j;
	int rc = job_get(st, a, id, &j, e);
	if (rc < 0)
		return rc;
	job_free(&j);
	/* Queued: cancelled now, no worker will see it. Running: its worker
	 * reads the flag and stops. Either UPDATE is guarded by the status, so a
	 * job that moved on between the read and the write is not touched. */
	int64_t t = now_s();
	rc = store_run(
		st, e,
		"UPDATE jobs SET status = 'cancelled', cancel_requested = 1, finished_at = ?,"
		" error = ? WHERE id = ? AND status = 'queued'",
		"iti", t, "{\"message\":\"Đã hủy trước khi chạy / cancelled before it ran\"}", id);
	if (rc < 0 || store_changes(st) == 1)
		return rc < 0 ? rc : 0;
	rc = store_run(st, e,
		       "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = 'running'",
		       "i", id);
	if (rc < 0 || store_changes(st) == 1)
		return rc < 0 ? rc : 0;
	return err_set(e, ERR_CONFLICT, "id", "Công việc đã kết thúc / the job has already ended");
}

int job_requeue_stale(struct store *st, int64_t before, const char *self, int64_t *n, struct err *e)
{
	/* On SQLite a long import holds the write lock, so its own server cannot
	 * refresh the heartbeat meanwhile: a server never takes its own jobs for
	 * dead. */
	const char *me = self ? self : "";
	int64_t t = now_s();
	int rc = store_run(st, e,
			   "UPDATE jobs SET status = 'cancelled', finished_at = ?, error = ?"
			   " WHERE status = 'running' AND heartbeat_at < ? AND worker <> ?"
			   " AND cancel_requested = 1",
			   "itit", t, CANCELLED_AT_STOP, before, me);
	if (rc < 0)
		return rc;
	int64_t cancelled = store_changes(st);
	rc = store_run(
		st, e,
		"UPDATE jobs SET status = 'failed', finished_at = ?, error = ?"
		" WHERE status = 'running' AND heartbeat_at < ? AND attempts >= ? AND worker <> ?",
		"itiit", t,
		"{\"message\":\"Tiến trình chạy công việc đã dừng nhiều lần / the server running "
		"this "
		"job stopped too many times\"}",
		before, (int64_t)JOB_MAX_ATTEMPTS, me);
	if (rc < 0)
		return rc;
	int64_t failed = store_changes(st);
	rc = store_run(st, e,
		       "UPDATE jobs SET status = 'queued', worker = NULL, started_at = NULL,"
		       " heartbeat_at = NULL, progress_done = 0, progress_total = 0, message = ''"
		       " WHERE status = 'running' AND heartbeat_at < ? AND worker <> ?",
		       "it", before, me);
	if (rc < 0)
		return rc;
	if (n)
		*n = cancelled + failed + store_changes(st);
	return 0;
}

int job_cleanup(struct store *st, int64_t before, int64_t *n, struct err *e)
{
	int rc = store_run(st, e,
			   "DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled')"
			   " AND finished_at < ?",
			   "i", before);
	if (rc < 0)
		return rc;
	if (n)
		*n = store_changes(st);
	return 0;
}

void job_run_progress(struct job_run *run, int64_t done, int64_t total, const char *message)
{
	if (run->progress)
		run->progress(run->live, done, total, message);
}
