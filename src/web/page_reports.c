/* page_reports.c - the periodic report on screen and as PDF, Excel and text.
 * The PDF and Excel files of the national report (the largest) are made by a
 * background job (web/jobs.h): the page's buttons queue it, its page shows
 * the progress, and any server hands out the file (/jobs/{id}/result).
 * A province's files, and every format through the API, are made at once. */
#include "core/clock.h"
#include "io/doc.h"
#include "stats/report.h"
#include "web/handlers.h"
#include "web/jobs.h"
#include "web/page.h"
#include "web/params.h"

#include <stdlib.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Reads the report query; replies 400 and returns < 0 on bad input. */
static int report_query_or_reply(struct req *r, struct resp *w, struct report_query *q,
                                 char today[11])
{
	memset(q, 0, sizeof *q);
	if (years_or_reply(r, w, &q->from, &q->to) < 0)
		return -1;
	if (!q->to)
		q->to = q->from; /* one year */
	const char *v;
	if ((v = req_query(r, "province")) && *v)
		q->province = v;
	if ((v = req_query(r, "old_province")) && *v)
		q->old_province = v;
	v = req_query(r, "units");
	q->old_units = v && !strcmp(v, "old");
	clock_today(today);
	q->today = today;
	return 0;
}

static void report_form(struct req *r, struct resp *w)
{
	page_printf(w,
	            "<form method=\"get\" class=\"filters\" id=\"report-form\">"
	            "<label>%h<input name=\"province\" value=\"%h\" maxlength=\"2\"></label>"
	            "<label>%h<input name=\"old_province\" value=\"%h\" maxlength=\"2\"></label>"
	            "<label>%h<input name=\"from\" value=\"%h\" required></label>"
	            "<label>%h<input name=\"to\" value=\"%h\"></label>"
	            "<button type=\"submit\">%h</button></form>",
	            T(r, "report.province_code_today_empty"),
	            req_query(r, "province"), T(r, "report.or_code_before_2025"),
	            req_query(r, "old_province"), T(r, "dash.from"), req_query(r, "from"),
	            T(r, "dash.to"), req_query(r, "to"), T(r, "report.build_report"));
}

static void send_bytes(struct req *r, struct resp *w, const char *type, const char *ext)
{
	w->status = 200;
	w->content_type = type;
	char *cd = arena_alloc(r->arena, 96);
	snprintf(cd, 96, "attachment; filename=\"bao-cao-khuyen-cong.%s\"", ext);
	resp_header(r, w, "Content-Disposition", cd);
}

/* Renders doc in the format asked for; 0 when a download was produced. */
static int render_download(struct req *r, struct resp *w, json_t *doc, const char *format)
{
	struct err e;
	buf_reset(&w->body);
	if (!strcmp(format, "pdf")) {
		if (doc_pdf(doc, &w->body, &e) < 0)
			return reply_err(r, w, &e), 0;
		send_bytes(r, w, "application/pdf", "pdf");
	} else if (!strcmp(format, "xlsx")) {
		if (doc_xlsx(doc, &w->body, &e) < 0)
			return reply_err(r, w, &e), 0;
		send_bytes(r, w,
		           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
	} else if (!strcmp(format, "txt")) {
		doc_text(doc, &w->body);
		send_bytes(r, w, "text/plain; charset=utf-8", "txt");
	} else if (!strcmp(format, "json")) {
		reply_json(w, 200, json_incref(doc));
	} else {
		reply_error(r, w, 400, "invalid", "format: pdf, xlsx, txt, json", "format");
	}
	return 0;
}

static json_t *build_or_reply(struct req *r, struct resp *w, struct report_query *q)
{
	struct err e;
	json_t *doc;
	if (report_build(r->st, &r->actor, q, &doc, &e) < 0) {
		reply_err(r, w, &e);
		return NULL;
	}
	return doc;
}

void h_api_report(struct req *r, struct resp *w)
{
	struct report_query q;
	char today[11];
	if (report_query_or_reply(r, w, &q, today) < 0)
		return;
	json_t *doc = build_or_reply(r, w, &q);
	if (!doc)
		return;
	const char *format = req_query(r, "format");
	render_download(r, w, doc, format && *format ? format : "json");
	json_decref(doc);
}

void h_reports_page(struct req *r, struct resp *w)
{
	struct report_query q;
	char today[11];
	if (report_query_or_reply(r, w, &q, today) < 0)
		return;
	const char *format = req_query(r, "format");
	if (q.from && format && *format) {
		json_t *doc = build_or_reply(r, w, &q);
		if (doc) {
			render_download(r, w, doc, format);
			json_decref(doc);
		}
		return;
	}
	page_begin(r, w, "nav.reports");
	report_form(r, w);
	if (q.from) {
		json_t *doc = build_or_reply(r, w, &q);
		if (!doc)
			return;
		struct buf qs = BUF_INIT;
		for (int i = 0; i < r->nquery; i++)
			if (strcmp(r->query[i].key, "format"))
				buf_printf(&qs, "&%t=%t", r->query[i].key, r->query[i].value);
		page_printf(w, "<p class=\"downloads\">");
		static const char *const fmts[] = {"pdf", "xlsx", "txt"};
		static const char *const names[] = {"PDF", "Excel", "Văn bản"};
		int national = !q.province && !q.old_province;
		for (int i = 0; i < 3; i++) {
			if (national && i < 2) { /* made by a job: a form that queues it */
				page_printf(w,
					    "<form method=\"post\" "
					    "action=\"/reports/jobs?format=%h%h\" "
					    "class=\"inline\">",
					    fmts[i], buf_cstr(&qs));
				page_csrf(r, w);
				page_printf(w,
					    "<button type=\"submit\" "
					    "id=\"download-%h\">%h</button></form> ",
					    fmts[i], names[i]);
				continue;
			}
			page_printf(w, "<a href=\"/reports?format=%h%h\" id=\"download-%h\">%h</a> ", fmts[i],
			            buf_cstr(&qs), fmts[i], names[i]);
		}
		page_printf(w, "</p><div id=\"report\">");
		buf_free(&qs);
		doc_html(doc, &w->body);
		page_printf(w, "</div>");
		json_decref(doc);
	}
	page_end(r, w);
}

/* POST /reports/jobs?format=pdf|xlsx&...: queues the file of the report the
 * query describes and sends the browser to the job's page. */
void h_report_job_post(struct req *r, struct resp *w)
{
	struct report_query q;
	char today[11];
	if (report_query_or_reply(r, w, &q, today) < 0)
		return;
	const char *format = req_query(r, "format");
	if (!format || (strcmp(format, "pdf") && strcmp(format, "xlsx"))) {
		reply_error(r, w, 400, "invalid", "format: pdf, xlsx", "format");
		return;
	}
	if (!q.from) {
		reply_error(r, w, 400, "invalid", "Cần năm bắt đầu / from is required", "from");
		return;
	}
	if (!q.province && !q.old_province && !actor_reads_all(&r->actor)) {
		reply_error(r, w, 403, "forbidden",
			    "Chỉ xem được báo cáo của tỉnh mình / only your own province's report",
			    "province");
		return;
	}
	const char *units = req_query(r, "units");
	json_t *p = json_pack("{s:s?,s:s?,s:i,s:i,s:b,s:s}", "province", q.province, "old_province",
			      q.old_province, "from", q.from, "to", q.to, "old_units",
			      units && !strcmp(units, "old"), "format", format);
	int64_t id;
	struct err e;
	int rc = job_create(r->st, &r->actor, "report", p, &id, &e);
	json_decref(p);
	if (rc < 0) {
		reply_err(r, w, &e);
		return;
	}
	job_workers_wake();
	char *loc = arena_alloc(r->arena, 48);
	snprintf(loc, 48, "/jobs/%lld", (long long)id);
	reply_redirect(r, w, loc);
}

static const char *param_str(json_t *p, const char *key)
{
	const char *v = json_string_value(json_object_get(p, key));
	return v && *v ? v : NULL;
}

int report_job_run(struct job_run *run, struct err *e)
{
	json_t *p = run->job->params;
	char today[11];
	clock_today(today);
	struct report_query q = {
		.province = param_str(p, "province"),
		.old_province = param_str(p, "old_province"),
		.from = (int)json_integer_value(json_object_get(p, "from")),
		.to = (int)json_integer_value(json_object_get(p, "to")),
		.old_units = json_is_true(json_object_get(p, "old_units")),
		.today = today,
	};
	int pdf = !strcmp(param_str(p, "format") ? param_str(p, "format") : "", "pdf");
	job_run_progress(run, 0, 3, "Đang tính số liệu / computing the figures");
	json_t *doc;
	int rc = report_build(run->st, &run->actor, &q, &doc, e);
	if (rc < 0)
		return rc;
	if (atomic_load(run->cancel)) {
		json_decref(doc);
		run->cancelled = 1;
		return err_set(e, ERR_CONFLICT, "", "cancelled");
	}
	job_run_progress(run, 1, 3,
			 pdf ? "Đang dựng tệp PDF / making the PDF file"
			     : "Đang dựng tệp Excel / making the Excel file");
	rc = pdf ? doc_pdf(doc, &run->result, e) : doc_xlsx(doc, &run->result, e);
	const char *subtitle = json_string_value(json_object_get(doc, "subtitle"));
	run->summary = json_pack("{s:s,s:s?,s:I}", "format", pdf ? "pdf" : "xlsx", "subtitle",
				 subtitle, "bytes", (json_int_t)run->result.len);
	json_decref(doc);
	if (rc < 0)
		return rc;
	if (atomic_load(run->cancel)) {
		run->cancelled = 1;
		return err_set(e, ERR_CONFLICT, "", "cancelled");
	}
	job_run_progress(run, 2, 3, "Đang lưu tệp / storing the file");
	run->result_type =
		pdf ? "application/pdf"
		    : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	run->result_name = pdf ? "bao-cao-khuyen-cong.pdf" : "bao-cao-khuyen-cong.xlsx";
	return 0;
}
