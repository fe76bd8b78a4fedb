/* job.h - background jobs (table jobs, migration 0008): long work that must
 * not run inside an HTTP request (web imports, report files). A request
 * queues a job; a worker of any server process claims it, reports progress,
 * and finishes it with a result (a file), a summary (JSON) or an error
 * (JSON). Claims are atomic on every backend: an UPDATE guarded by the
 * status, checked by the number of rows it changed, so exactly one worker
 * gets a queued job even with several servers on one PostgreSQL.
 *
 * Status: queued -> running -> done | failed | cancelled; a queued job may be
 * cancelled at once, a running one is asked to stop (cancel_requested) and
 * its worker records "cancelled". A running job whose worker stopped
 * refreshing its heartbeat is queued again (or failed after JOB_MAX_ATTEMPTS).
 * Times are Unix seconds. */
#ifndef KC_JOB_H
#define KC_JOB_H

#include "core/buf.h"
#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>
#include <stdatomic.h>

enum { JOB_MAX_ATTEMPTS = 3, JOB_KEEP_SECONDS = 24 * 3600 };

struct job {
	int64_t id;
	char kind[16];	 /* "import", "report" */
	char status[12]; /* queued, running, done, failed, cancelled */
	int64_t user_id; /* the owner */
	char username[72];
	char role[16]; /* the owner's role and province when it was queued */
	char province[8];
	json_t *params; /* what to do (kind-specific); owned */
	int64_t done, total;
	char message[200]; /* a short word on what it is doing */
	int cancel_requested;
	json_t *summary; /* NULL or the outcome (kind-specific); owned */
	json_t *error;	 /* NULL or {"message", "field", ...}; owned */
	int has_result;	 /* a file was produced */
	char result_type[128], result_name[128];
	int64_t created_at, started_at, finished_at, heartbeat_at;
	char worker[96];
	int attempts;
};

/* Frees the JSON members of j (the struct itself is the caller's). */
void job_free(struct job *j);
/* True when j is done, failed or cancelled. */
int job_finished(const struct job *j);

/* Queues a job of kind for actor a (its owner) with params (borrowed).
 * Returns 0 and *id, or < 0. */
int job_create(struct store *st, const struct actor *a, const char *kind, json_t *params,
	       int64_t *id, struct err *e);

/* Reads job id as a sees it: only its owner and administrators see a job;
 * anyone else gets ERR_NOTFOUND, as for a job that does not exist. Fills *j
 * (free with job_free). The result's bytes are not loaded (job_result). */
int job_get(struct store *st, const struct actor *a, int64_t id, struct job *j, struct err *e);
/* The same without the visibility check, for workers. */
int job_load(struct store *st, int64_t id, struct job *j, struct err *e);

/* The file a done job produced, for a as in job_get: its bytes appended to
 * out, its content type and file name. ERR_NOTFOUND when invisible or when
 * the job has no file (yet). */
int job_result(struct store *st, const struct actor *a, int64_t id, struct buf *out, char type[128],
	       char name[128], struct err *e);

/* The job as the API shows it: id, kind, status, owner, progress
 * {done,total,message}, times, summary, error and, when there is one, the
 * result's URL. params are left out (they may name an upload). New ref. */
json_t *job_json(const struct job *j);

/* ---- for workers ----------------------------------------------------- */

/* Takes the oldest queued job for worker (the name of a server process):
 * 1 and *j filled (status running, started and heartbeat now, attempts + 1),
 * 0 when there is none, < 0 on error. Safe against any number of workers in
 * any number of processes. */
int job_claim(struct store *st, const char *worker, struct job *j, struct err *e);

/* Records progress of a running job held by worker (and refreshes its
 * heartbeat); *cancel (may be NULL) is set to 1 when someone asked to stop.
 * Returns 0, or ERR_CONFLICT when worker no longer holds the job. */
int job_progress(struct store *st, int64_t id, const char *worker, int64_t done, int64_t total,
		 const char *message, int *cancel, struct err *e);
/* Reads only whether a stop was asked for job id: 1, 0 or < 0. */
int job_cancel_requested(struct store *st, int64_t id, struct err *e);
/* Refreshes the heartbeat of every running job held by worker. */
int job_heartbeat(struct store *st, const char *worker, struct err *e);

/* Ends a running job held by worker as done, with summary (borrowed, may be
 * NULL) and a file (data may be NULL for none). ERR_CONFLICT when worker no
 * longer holds the job. */
int job_finish(struct store *st, int64_t id, const char *worker, json_t *summary, const void *data,
	       size_t n, const char *type, const char *name, struct err *e);
/* Ends a running job held by worker as status "failed" or "cancelled" with
 * error (borrowed, may be NULL). ERR_CONFLICT as job_finish. */
int job_fail(struct store *st, int64_t id, const char *worker, const char *status, json_t *error,
	     struct err *e);
/* Gives a running job back to the queue (its worker is stopping): status
 * queued, progress cleared, no worker; or ends it as cancelled when a stop
 * was asked for (a restart never runs again a job someone cancelled). */
int job_requeue(struct store *st, int64_t id, const char *worker, struct err *e);

/* Asks job id to stop, as a sees it (ERR_NOTFOUND as job_get): a queued job
 * is cancelled at once, a running one gets cancel_requested. A finished job
 * is ERR_CONFLICT. Returns 0. */
int job_cancel(struct store *st, const struct actor *a, int64_t id, struct err *e);

/* ---- for the runners of each kind ------------------------------------ */

/* One run of a job, as its runner sees it: the worker (web/job_worker.c)
 * fills the first part, the runner of the job's kind (io/import_job.h,
 * web/jobs.h) the rest. */
struct job_run {
	struct store *st;	  /* the work connection */
	const struct job *job;	  /* the claimed job (params, owner) */
	struct actor actor;	  /* the owner, as the account is now */
	const atomic_int *cancel; /* non-zero: stop, write nothing */
	/* The worker's progress report and its own state (job_run_progress) */
	void (*progress)(void *live, int64_t done, int64_t total, const char *message);
	void *live;
	/* Set by the runner: */
	json_t *summary;	 /* the outcome shown when done (owned by the run) */
	json_t *error;		 /* extra detail of a failure, e.g. an import's problems */
	struct buf result;	 /* a file produced, when result_type is set */
	const char *result_type; /* static strings */
	const char *result_name;
	int cancelled; /* the runner stopped because of *cancel */
};

/* Reports progress (done of total, a short message) of run; cheap, call it
 * as often as convenient: the worker writes the database a few times a
 * second. */
void job_run_progress(struct job_run *run, int64_t done, int64_t total, const char *message);

/* Running jobs whose heartbeat is older than before are cancelled when a
 * stop was asked for, else queued again, or failed once they have been tried JOB_MAX_ATTEMPTS
 * times; the jobs of worker self (may be NULL), the caller's own and so alive, are left alone. *n
 * (may be NULL) counts them. */
int job_requeue_stale(struct store *st, int64_t before, const char *self, int64_t *n,
		      struct err *e);
/* Deletes finished jobs (and their results) that finished before before. */
int job_cleanup(struct store *st, int64_t before, int64_t *n, struct err *e);

#endif
