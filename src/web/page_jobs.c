/* page_jobs.c - a background job seen from the web: its page /jobs/{id}
 * (a progress bar kept current by /static/jobs.js, or by refreshing itself
 * without JavaScript; a cancel button; the outcome when it ends), its JSON
 * (/api/v1/jobs/{id}), cancelling it, and downloading the file it made.
 * Any server answers for any job: all of it is read from the jobs table,
 * with the live progress of this process's own running jobs on top. */
#include "web/handlers.h"
#include "web/jobs.h"
#include "web/page.h"
#include "web/params.h"
#include "web/records_web.h"

#include <stdio.h>
#include <string.h>

/* Job {id} as the caller sees it, with this process's live progress; 0, or
 * -1 after replying (404 for another account's job, as for none). */
static int job_or_reply(struct req *r, struct resp *w, struct job *j)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return -1;
	struct err e;
	if (job_get(r->st, &r->actor, id, j, &e) < 0) {
		reply_err(r, w, &e);
		return -1;
	}
	if (!strcmp(j->status, "running"))
		job_live(j->id, 0, &j->done, &j->total, j->message, sizeof j->message);
	return 0;
}

void h_api_job_get(struct req *r, struct resp *w)
{
	struct job j;
	if (job_or_reply(r, w, &j) < 0)
		return;
	reply_json(w, 200, job_json(&j));
	job_free(&j);
}

/* Asks job id to stop: in this process through its flag (on SQLite the row
 * may be locked by the import itself), and in the table for any server. */
static int cancel_job(struct req *r, struct err *e)
{
	int64_t id;
	if (parse_int64(r->params[0], &id) < 0 || id <= 0)
		return err_set(e, ERR_NOTFOUND, "id", "Không có công việc này / no such job");
	struct job j;
	int rc = job_get(r->st, &r->actor, id, &j, e);
	if (rc < 0)
		return rc;
	int running_here = !strcmp(j.status, "running") && job_live(id, 1, NULL, NULL, NULL, 0);
	job_free(&j);
	if (running_here && !strcmp(store_dialect(r->st), "sqlite"))
		return 0; /* its worker records "cancelled" when it has rolled back */
	return job_cancel(r->st, &r->actor, id, e);
}

void h_api_job_cancel(struct req *r, struct resp *w)
{
	struct err e;
	if (cancel_job(r, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	struct job j;
	if (job_or_reply(r, w, &j) < 0)
		return;
	reply_json(w, 202, job_json(&j));
	job_free(&j);
}

void h_job_cancel_post(struct req *r, struct resp *w)
{
	struct err e;
	int rc = cancel_job(r, &e);
	if (rc < 0 && rc != ERR_CONFLICT) { /* ended meanwhile: show how */
		reply_err(r, w, &e);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/jobs/%s", r->params[0]);
	reply_redirect(r, w, loc);
}

static const char *status_key(const struct job *j)
{
	static const char *const keys[][2] = {
		{"queued", "job.queued"}, {"running", "job.running"},	  {"done", "job.done"},
		{"failed", "job.failed"}, {"cancelled", "job.cancelled"},
	};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (!strcmp(keys[i][0], j->status))
			return keys[i][1];
	return "job.queued";
}

static void progress_box(struct req *r, struct resp *w, const struct job *j)
{
	int finished = job_finished(j);
	page_printf(w,
		    "<section class=\"card\" id=\"job\" data-job=\"%lld\" data-status=\"%h\" "
		    "data-finished=\"%d\"><p role=\"status\" id=\"job-status\" class=\"%h\" "
		    "data-running=\"%h\">%h</p>",
		    (long long)j->id, j->status, finished,
		    !strcmp(j->status, "done") ? "ok" : (finished ? "error" : "muted"),
		    T(r, "job.running"), T(r, status_key(j)));
	if (j->total > 0)
		page_printf(w,
			    "<progress id=\"job-progress\" max=\"%lld\" value=\"%lld\">%lld / %lld"
			    "</progress>",
			    (long long)j->total, (long long)j->done, (long long)j->done,
			    (long long)j->total);
	else if (!finished)
		page_printf(w, "<progress id=\"job-progress\">%h</progress>", T(r, status_key(j)));
	page_printf(w, "<p class=\"muted\" id=\"job-message\">%h</p>",
		    j->message[0] ? page_message(r, j->message) : "");
	if (!finished) {
		page_printf(w,
			    "<form method=\"post\" action=\"/jobs/%lld/cancel\" id=\"job-cancel\">",
			    (long long)j->id);
		page_csrf(r, w);
		page_printf(w, "<button type=\"submit\" id=\"cancel\"%h>%h</button></form>",
			    j->cancel_requested ? " disabled" : "",
			    T(r, j->cancel_requested ? "job.stopping" : "job.cancel"));
	}
	page_printf(w, "</section>");
}

void h_job_page(struct req *r, struct resp *w)
{
	struct job j;
	if (job_or_reply(r, w, &j) < 0)
		return;
	page_begin(r, w, !strcmp(j.kind, "import") ? "job.title_import" : "job.title_report");
	progress_box(r, w, &j);
	if (!strcmp(j.kind, "import")) {
		import_job_html(r, w, &j);
	} else if (j.error) {
		page_printf(
			w, "<p class=\"error\" role=\"alert\" id=\"job-error\">%h</p>",
			page_message(r, json_string_value(json_object_get(j.error, "message"))));
	}
	if (j.has_result && !strcmp(j.status, "done"))
		page_printf(
			w,
			"<p class=\"downloads\"><a href=\"/jobs/%lld/result\" id=\"job-result\">"
			"%h %h</a></p>",
			(long long)j.id, T(r, "job.download"), j.result_name);
	if (!job_finished(&j)) {
		/* Without JavaScript the page reloads itself; with it, jobs.js
		 * moves the bar and reloads once the job has ended. */
		page_printf(w, "<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"
			       "<script src=\"/static/jobs.js\" defer></script>");
	}
	page_end(r, w);
	job_free(&j);
}

void h_job_result(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	char type[128], name[128];
	buf_reset(&w->body);
	if (job_result(r->st, &r->actor, id, &w->body, type, name, &e) < 0) {
		buf_reset(&w->body);
		reply_err(r, w, &e);
		return;
	}
	w->status = 200;
	w->content_type = arena_strdup(r->arena, type);
	char *cd = arena_alloc(r->arena, 200);
	snprintf(cd, 200, "attachment; filename=\"%s\"", name);
	resp_header(r, w, "Content-Disposition", cd);
}
