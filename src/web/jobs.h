/* jobs.h - the background workers of `serve` (job_worker.c) and the kinds of
 * job they run (one table, below: each kind's runner lives with the page
 * that queues it). A worker thread has its own two database connections:
 * one for the work (an import holds a transaction on it) and one for the
 * job's bookkeeping (claim, progress, finish), so progress is visible while
 * the work's transaction is open. */
#ifndef KC_JOBS_H
#define KC_JOBS_H

#include "core/buf.h"
#include "model/job.h"

#include <stdatomic.h>

/* One run of a job, as its runner sees it. */
struct job_run {
	struct store *st;	  /* the work connection */
	const struct job *job;	  /* the claimed job (params, owner) */
	struct actor actor;	  /* the owner, as the account is now */
	const atomic_int *cancel; /* non-zero: stop, write nothing */
	void *live;		  /* the worker's own; pass to job_run_progress */
	/* Set by the runner: */
	json_t *summary;	 /* the outcome shown when done (owned by the run) */
	json_t *error;		 /* extra detail of a failure, e.g. an import's problems */
	struct buf result;	 /* a file produced, when result_type is set */
	const char *result_type; /* static strings */
	const char *result_name;
	int cancelled; /* the runner stopped because of *cancel */
};

/* Reports progress (done of total, a short message) of run; cheap, call it
 * as often as convenient: the database is written a few times a second. */
void job_run_progress(struct job_run *run, int64_t done, int64_t total, const char *message);

/* The runners (0 when done; < 0 with e filled when failed). */
int import_job_run(struct job_run *run, struct err *e); /* page_import.c */
int report_job_run(struct job_run *run, struct err *e); /* page_reports.c */

/* The outcome of a finished import job on its page (page_import.c): counts,
 * problems, and after a dry run the buttons that commit it. */
struct req;
struct resp;
void import_job_html(struct req *r, struct resp *w, const struct job *j);

/* Starts n worker threads (n >= 1) and the keeper thread (heartbeats, stale
 * jobs, clean-up) for database url. Returns 0 or < 0. */
int job_workers_start(const char *db, int n, struct err *e);
/* Stops them: running jobs are cancelled (an import rolls back) and put back
 * in the queue for another server; returns once every thread has ended. */
void job_workers_stop(void);
/* Wakes an idle worker of this process at once (a job was just queued). */
void job_workers_wake(void);
/* This process's name in jobs.worker ("host:pid:random"). */
const char *job_worker_name(void);
/* When job id runs in this process: 1 with its live progress, and asks it
 * to stop when cancel is set; 0 otherwise. */
int job_live(int64_t id, int cancel, int64_t *done, int64_t *total, char *message, size_t n);

#endif
