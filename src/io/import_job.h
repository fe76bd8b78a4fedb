/* import_job.h - an import of a kept upload (model/import_upload.h), run
 * at once or as a background job (import_job_run, the runner of a job of
 * kind "import", model/job.h), and its report as JSON for the job's summary
 * and back. The pages are web/page_import.c. */
#ifndef KC_IMPORT_JOB_H
#define KC_IMPORT_JOB_H

#include "io/import.h"
#include "model/import_upload.h"
#include "model/job.h"

/* The problems a report as JSON shows (import_report_json). */
enum { IMPORT_PROBLEMS_SHOWN = 1000 };

/* Imports the kept upload k (its kind, sheet and encoding are in k->meta)
 * as actor a with options o: import_run() on the file k->path. */
int import_kept_run(struct store *st, const struct actor *a, const struct import_kept *k,
		    const struct import_options *o, struct import_report *rep, struct err *e);

/* The report as JSON (its first `shown` problems and notices), and back:
 * import_report_from_json fills *rep (import_report_free() it). */
json_t *import_report_json(const struct import_report *rep, size_t shown);
void import_report_from_json(json_t *o, struct import_report *rep);

/* Runs the job run->job (params: "upload", the hash of the kept upload;
 * "token"; "dry_run"; "valid_only") as its owner: a dry run keeps the bad
 * rows (import_bad_rows_keep), a commit drops the upload. Sets
 * run->summary (or run->error with the report, or run->cancelled).
 * 0 when done; < 0 with e filled when failed. */
int import_job_run(struct job_run *run, struct err *e);

#endif
