/* import_job.c - an import of a kept upload and its report as JSON
 * (io/import_job.h). */
#include "io/import_job.h"

#include "core/mem.h"

#include <stdio.h>
#include <string.h>

int import_kept_run(struct store *st, const struct actor *a, const struct import_kept *k,
		    const struct import_options *o, struct import_report *rep, struct err *e)
{
	const char *sheet = json_string_value(json_object_get(k->meta, "sheet"));
	struct import_source_opts so = {
		.encoding = json_string_value(json_object_get(k->meta, "encoding")),
		.sheet = sheet && *sheet ? sheet : NULL,
	};
	struct import_source *src;
	memset(rep, 0, sizeof *rep);
	int rc = import_source_open(k->path, &so, &src, e);
	if (rc < 0)
		return rc;
	rc = import_run(st, a, json_string_value(json_object_get(k->meta, "kind")), src, o, rep, e);
	import_source_close(src);
	return rc;
}

json_t *import_report_json(const struct import_report *rep, size_t shown)
{
	json_t *list = json_array();
	for (size_t i = 0; i < rep->nlist && i < shown; i++) {
		const struct import_problem *p = &rep->list[i];
		json_array_append_new(list,
				      json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)p->row,
						"column", p->column ? p->column : "", "value",
						p->value ? p->value : "", "reason",
						p->reason ? p->reason : ""));
	}
	json_t *notices = json_array();
	for (size_t i = 0; i < json_array_size(rep->notices) && i < shown; i++)
		json_array_append(notices, json_array_get(rep->notices, i));
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:O?,s:O?,s:O?,s:O?,s:o,s:o}", "rows",
			 (json_int_t)rep->rows, "created", (json_int_t)rep->created, "updated",
			 (json_int_t)rep->updated, "unchanged", (json_int_t)rep->unchanged,
			 "failed", (json_int_t)rep->failed, "problems", (json_int_t)rep->problems,
			 "header_row", (json_int_t)rep->header_row, "committed", rep->committed,
			 "columns", rep->columns, "ignored", rep->ignored, "unmatched",
			 rep->unmatched, "missing", rep->missing, "notices", notices, "list", list);
}

static int64_t jint(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static json_t *jarray(json_t *o, const char *key)
{
	json_t *a = json_object_get(o, key);
	return json_is_array(a) ? json_incref(a) : NULL;
}

void import_report_from_json(json_t *o, struct import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	rep->rows = jint(o, "rows");
	rep->created = jint(o, "created");
	rep->updated = jint(o, "updated");
	rep->unchanged = jint(o, "unchanged");
	rep->failed = jint(o, "failed");
	rep->problems = jint(o, "problems");
	rep->header_row = jint(o, "header_row");
	rep->committed = json_is_true(json_object_get(o, "committed"));
	rep->columns = jarray(o, "columns");
	rep->ignored = jarray(o, "ignored");
	rep->unmatched = jarray(o, "unmatched");
	rep->notices = jarray(o, "notices");
	rep->missing = jarray(o, "missing");
	json_t *list = json_object_get(o, "list");
	size_t n = json_array_size(list);
	rep->list = n ? xcalloc(n, sizeof *rep->list) : NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_array_get(list, i);
		const char *c = json_string_value(json_object_get(p, "column"));
		const char *v = json_string_value(json_object_get(p, "value"));
		const char *why = json_string_value(json_object_get(p, "reason"));
		rep->list[i].row = jint(p, "row");
		rep->list[i].column = xstrdup(c ? c : "");
		rep->list[i].value = xstrdup(v ? v : "");
		rep->list[i].reason = xstrdup(why ? why : "");
	}
	rep->nlist = n;
}

/* ---- the import as a background job ----------------------------------- */

static void on_progress(void *ctx, int64_t rows, int64_t done, int64_t total)
{
	char msg[128];
	snprintf(msg, sizeof msg, "Đã đọc %lld dòng / %lld rows read", (long long)rows,
		 (long long)rows);
	job_run_progress(ctx, done, total, msg);
}

int import_job_run(struct job_run *run, struct err *e)
{
	json_t *p = run->job->params;
	const char *hash = json_string_value(json_object_get(p, "upload"));
	int dry = json_is_true(json_object_get(p, "dry_run"));
	int valid_only = json_is_true(json_object_get(p, "valid_only"));
	struct import_kept k;
	int found = hash ? import_upload_load(run->st, run->job->user_id, hash, &k, e) : 0;
	if (found < 0)
		return found;
	if (!found)
		return err_set(e, ERR_NOTFOUND, "token",
			       "Không còn tệp tải lên này; hãy tải lại tệp / this upload is gone; "
			       "upload the file again");
	struct import_report rep;
	struct import_bad_files bad;
	int keep = dry && import_bad_files_make(&bad) == 0;
	struct import_options o = {
		.dry_run = dry,
		.valid_only = valid_only,
		.bad_rows_csv = keep ? bad.csv : NULL,
		.bad_rows_xlsx = keep ? bad.xlsx : NULL,
		.progress = on_progress,
		.progress_ctx = run,
		.cancel = run->cancel,
	};
	int rc = import_kept_run(run->st, &run->actor, &k, &o, &rep, e);
	if (keep && rc == 0 && rep.problems > 0 && !rep.cancelled)
		import_bad_rows_keep(run->st, run->job->user_id, hash, &bad);
	if (keep)
		import_bad_files_free(&bad);
	json_t *sum = import_report_json(&rep, IMPORT_PROBLEMS_SHOWN);
	json_object_set(sum, "kind", json_object_get(k.meta, "kind"));
	json_object_set(sum, "filename", json_object_get(k.meta, "filename"));
	json_object_set_new(sum, "dry_run", json_boolean(dry));
	json_object_set_new(sum, "valid_only", json_boolean(valid_only));
	import_kept_free(&k);
	if (rep.cancelled) {
		run->cancelled = 1;
		json_decref(sum);
	} else if (rc < 0) {
		/* Kept: the owner may fix the file, or import only the valid rows. */
		json_object_set(sum, "token", json_object_get(p, "token"));
		run->error = json_pack("{s:o}", "report", sum);
	} else if (dry) {
		json_object_set(sum, "token", json_object_get(p, "token"));
		run->summary = sum;
	} else {
		run->summary = sum;
		import_upload_drop(run->st, hash);
	}
	import_report_free(&rep);
	return rc;
}
