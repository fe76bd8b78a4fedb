/* jobs.h - the background workers of `serve` (job_worker.c) and the kinds of
 * job they run (one table, job_worker.c: an import's runner is in io/, a
 * report's with the page that queues it). A worker thread has its own two database connections:
 * one for the work (an import holds a transaction on it) and one for the
 * job's bookkeeping (claim, progress, finish), so progress is visible while
 * the work's transaction is open. */
#ifndef KC_JOBS_H
#define KC_JOBS_H

#include "core/buf.h"
#include "model/job.h"

#include <stdatomic.h>

/* The runners (0 when done; < 0 with e filled when failed), on struct
 * job_run (model/job.h): import_job_run is io/import_job.h's. */
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
