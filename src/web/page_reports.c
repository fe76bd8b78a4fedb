/* page_reports.c - the periodic report on screen and as PDF, Excel, CSV
 * (a ZIP: one CSV per table and the narrative as text) and text. The PDF,
 * Excel and CSV files of the national report (the largest) are made by a
 * background job (web/jobs.h): the page's buttons queue it, its page shows
 * the progress, and any server hands out the file (/jobs/{id}/result).
 * A province's files, and every format through the API, are made at once. */
#include "core/clock.h"
#include "core/mem.h"
#include "core/vtext.h"
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
#include <zip.h>

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
	if (query_text_or_reply(r, w, "province", &q->province) < 0 ||
	    query_text_or_reply(r, w, "old_province", &q->old_province) < 0 ||
	    query_choice_or_reply(r, w, "units", &v) < 0)
		return -1;
	q->old_units = v && !strcmp(v, "old");
	if ((v = req_query(r, "number")) && *v)
		q->number = v;
	/* An account of one province reports on its own: the form needs no code. */
	if (!q->province && !q->old_province && !actor_reads_all(&r->actor) &&
	    r->actor.province[0])
		q->province = r->actor.province;
	clock_today(today);
	q->today = today;
	return 0;
}

static void report_form(struct req *r, struct resp *w, const struct report_query *q)
{
	int all = actor_reads_all(&r->actor);
	page_printf(w, "<form method=\"get\" class=\"filters\" id=\"report-form\">"
		       "<label>%h<select name=\"province\" id=\"report-province\">",
		    T(r, "report.province"));
	if (all)
		page_printf(w, "<option value=\"\">%h</option>", T(r, "report.national"));
	page_province_options(r, w, "new", q->province);
	page_printf(w, "</select></label>");
	if (all) {
		page_printf(w, "<label>%h<select name=\"old_province\" id=\"report-old-province\">"
			       "<option value=\"\"></option>",
			    T(r, "report.or_code_before_2025"));
		page_province_options(r, w, "old", q->old_province);
		page_printf(w, "</select></label>");
	}
	page_printf(w,
		    "<label>%h<input name=\"from\" value=\"%h\" required inputmode=\"numeric\" "
		    "maxlength=\"4\"></label>"
		    "<label>%h<input name=\"to\" value=\"%h\" inputmode=\"numeric\" "
		    "maxlength=\"4\"></label>"
		    "<label>%h<input name=\"number\" id=\"report-number\" value=\"%h\" "
		    "inputmode=\"numeric\" maxlength=\"7\"></label>",
		    T(r, "dash.from"), req_query(r, "from"), T(r, "dash.to"), req_query(r, "to"),
		    T(r, "report.number"), req_query(r, "number"));
	/* The places of the tables: today's provinces, or those of the time
	 * (the CLI's --units current|historical). */
	const char *units = req_query(r, "units");
	page_printf(w,
		    "<label>%h<select name=\"units\" id=\"units\"><option value=\"new\">%h"
		    "</option><option value=\"old\"%h>%h</option></select></label>"
		    "<button type=\"submit\">%h</button></form>",
		    T(r, "dash.units"), T(r, "dash.today_s"),
		    units && !strcmp(units, "old") ? " selected" : "", T(r, "dash.of_the_time"),
		    T(r, "report.build_report"));
}

/* The file name of section i's table in the ZIP: its title without marks,
 * "1. Đào tạo nghề" -> "1-dao-tao-nghe.csv" (at most 60 characters before
 * ".csv", cut at a word); "NN-" in front when the title has no number. */
static void csv_name(json_t *doc, size_t i, struct buf *out)
{
	json_t *sec = json_array_get(json_object_get(doc, "sections"), i);
	char *fold = vtext_fold(json_string_value(json_object_get(sec, "title")));
	for (char *p = fold; *p; p++)
		if (*p == ' ')
			*p = '-';
	size_t n = strlen(fold);
	if (n > 60) {
		n = 60;
		while (n > 0 && fold[n] != '-')
			n--;
		if (n == 0)
			n = 60;
		fold[n] = '\0';
	}
	if (fold[0] >= '0' && fold[0] <= '9')
		buf_printf(out, "%s.csv", fold);
	else
		buf_printf(out, "%02zu-%s.csv", i + 1, fold[0] ? fold : "bang");
	free(fold);
}

/* Adds a copy of data as file name to za; < 0 when libzip refuses. */
static int zip_put(zip_t *za, const char *name, const void *data, size_t n)
{
	void *copy = xmalloc(n ? n : 1);
	memcpy(copy, data, n);
	zip_source_t *zs = zip_source_buffer(za, copy, n, 1);
	if (!zs) {
		free(copy);
		return -1;
	}
	if (zip_file_add(za, name, zs, ZIP_FL_ENC_UTF_8) < 0) {
		zip_source_free(zs);
		return -1;
	}
	return 0;
}

/* Renders doc as a ZIP appended to out: one CSV per table (doc_csv_table:
 * UTF-8 with BOM, RFC 4180, CRLF), named by csv_name(), and the whole report
 * as text (doc_text) in bao-cao-khuyen-cong.txt. Built in memory. Returns 0,
 * or ERR_IO when libzip fails (out left as it was). */
static int report_zip(json_t *doc, struct buf *out, struct err *e)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!za && src)
		zip_source_free(src);
	zip_error_fini(&ze);
	if (!za)
		return err_set(e, ERR_IO, "format", "Không tạo được tệp ZIP / cannot make the ZIP");
	zip_source_keep(src); /* read back after zip_close */
	int rc = 0;
	size_t n = json_array_size(json_object_get(doc, "sections"));
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct buf csv = BUF_INIT, name = BUF_INIT;
		if (doc_csv_table(doc, i, &csv)) {
			csv_name(doc, i, &name);
			rc = zip_put(za, buf_cstr(&name), csv.data, csv.len);
		}
		buf_free(&csv);
		buf_free(&name);
	}
	struct buf txt = BUF_INIT;
	doc_text(doc, &txt);
	if (rc == 0)
		rc = zip_put(za, "bao-cao-khuyen-cong.txt", txt.data, txt.len);
	buf_free(&txt);
	if (rc < 0 || zip_close(za) < 0) {
		zip_discard(za);
		zip_source_free(src);
		return err_set(e, ERR_IO, "format", "Không tạo được tệp ZIP / cannot make the ZIP");
	}
	zip_stat_t st;
	size_t old = out->len;
	rc = zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0 ? 0 : -1;
	if (rc == 0) {
		char chunk[65536];
		zip_int64_t k;
		while ((k = zip_source_read(src, chunk, sizeof chunk)) > 0)
			buf_append(out, chunk, (size_t)k);
		if (k < 0 || out->len - old != (size_t)st.size)
			rc = -1;
		zip_source_close(src);
	}
	zip_source_free(src);
	if (rc < 0) {
		out->len = old;
		return err_set(e, ERR_IO, "format",
			       "Không đọc lại được tệp ZIP / cannot read the ZIP");
	}
	return 0;
}

/* bao-cao-khuyen-cong_33_2021-2025_20261204.pdf: the place (today's code,
 * "cu-36" for a province before 2025-07-01, "toan-quoc"), the period and the
 * day it was made, so that a folder of reports sorts and reads by name. */
static void report_file_name(const struct report_query *q, const char *ext, char *out, size_t n)
{
	char place[16], period[16], today[11];
	if (q->province)
		snprintf(place, sizeof place, "%s", q->province);
	else if (q->old_province)
		snprintf(place, sizeof place, "cu-%s", q->old_province);
	else
		snprintf(place, sizeof place, "toan-quoc");
	if (q->from == q->to)
		snprintf(period, sizeof period, "%d", q->from);
	else
		snprintf(period, sizeof period, "%d-%d", q->from, q->to);
	clock_today_vn(today);
	snprintf(out, n, "bao-cao-khuyen-cong_%s_%s_%.4s%.2s%.2s.%s", place, period, today,
		 today + 5, today + 8, ext);
}

static void send_bytes(struct req *r, struct resp *w, const struct report_query *q,
		       const char *type, const char *ext)
{
	w->status = 200;
	w->content_type = type;
	char name[96], *cd = arena_alloc(r->arena, 160);
	report_file_name(q, ext, name, sizeof name);
	snprintf(cd, 160, "attachment; filename=\"%s\"", name);
	resp_header(r, w, "Content-Disposition", cd);
}

/* Renders doc in the format asked for (csv: the ZIP of report_zip); 0 when
 * a download was produced. */
static int render_download(struct req *r, struct resp *w, const struct report_query *q,
			   json_t *doc, const char *format)
{
	struct err e;
	buf_reset(&w->body);
	if (!strcmp(format, "pdf")) {
		if (doc_pdf(doc, &w->body, &e) < 0)
			return reply_err(r, w, &e), 0;
		send_bytes(r, w, q, "application/pdf", "pdf");
	} else if (!strcmp(format, "xlsx")) {
		if (doc_xlsx(doc, &w->body, &e) < 0)
			return reply_err(r, w, &e), 0;
		send_bytes(r, w, q,
		           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
	} else if (!strcmp(format, "csv")) {
		if (report_zip(doc, &w->body, &e) < 0)
			return reply_err(r, w, &e), 0;
		send_bytes(r, w, q, "application/zip", "zip");
	} else if (!strcmp(format, "txt")) {
		doc_text(doc, &w->body);
		send_bytes(r, w, q, "text/plain; charset=utf-8", "txt");
	} else if (!strcmp(format, "json")) {
		reply_json(w, 200, json_incref(doc));
	} else {
		reply_error(r, w, 400, "invalid", "format: pdf, xlsx, csv, txt, json", "format");
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
	const char *format;
	if (query_text_or_reply(r, w, "format", &format) < 0)
		return;
	json_t *doc = build_or_reply(r, w, &q);
	if (!doc)
		return;
	render_download(r, w, &q, doc, format ? format : "json");
	json_decref(doc);
}

void h_reports_page(struct req *r, struct resp *w)
{
	struct report_query q;
	char today[11];
	const char *format;
	if (report_query_or_reply(r, w, &q, today) < 0 ||
	    query_text_or_reply(r, w, "format", &format) < 0)
		return;
	if (q.from && format) {
		json_t *doc = build_or_reply(r, w, &q);
		if (doc) {
			render_download(r, w, &q, doc, format);
			json_decref(doc);
		}
		return;
	}
	page_begin(r, w, "nav.reports");
	report_form(r, w, &q);
	page_printf(w, "<p><a href=\"/reports/settings?scope=%t\" id=\"report-settings-link\">%h</a></p>",
		    q.province ? q.province : "national", T(r, "report.settings"));
	if (q.from) {
		json_t *doc = build_or_reply(r, w, &q);
		if (!doc)
			return;
		struct buf qs = BUF_INIT;
		for (int i = 0; i < r->nquery; i++)
			if (strcmp(r->query[i].key, "format"))
				buf_printf(&qs, "&%t=%t", r->query[i].key, r->query[i].value);
		page_printf(w, "<p class=\"downloads\">");
		static const char *const fmts[] = {"pdf", "xlsx", "csv", "txt"};
		const char *const names[] = {"PDF", "Excel", T(r, "report.csv_zip"), "Văn bản"};
		int national = !q.province && !q.old_province;
		for (int i = 0; i < 4; i++) {
			if (national && i < 3) { /* made by a job: a form that queues it */
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

/* POST /reports/jobs?format=pdf|xlsx|csv&...: queues the file of the report the
 * query describes and sends the browser to the job's page. */
void h_report_job_post(struct req *r, struct resp *w)
{
	struct report_query q;
	char today[11];
	if (report_query_or_reply(r, w, &q, today) < 0)
		return;
	const char *format;
	if (query_text_or_reply(r, w, "format", &format) < 0)
		return;
	if (!format) {
		reply_error(r, w, 400, "invalid", "format: pdf, xlsx, csv", "format");
		return;
	}
	if (!q.from) {
		reply_error(r, w, 400, "invalid", "Cần năm bắt đầu / from is required", "from");
		return;
	}
	if (!actor_reads_all(&r->actor) &&
	    (q.old_province || !q.province || strcmp(q.province, r->actor.province))) {
		reply_error(r, w, 403, "forbidden",
			    "Chỉ xem được báo cáo của tỉnh mình / only your own province's report",
			    "province");
		return;
	}
	json_t *p = json_pack("{s:s?,s:s?,s:i,s:i,s:b,s:s,s:s?}", "province", q.province,
			      "old_province", q.old_province, "from", q.from, "to", q.to,
			      "old_units", q.old_units, "format", format, "number", q.number);
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

/* The files a report job makes, by its "format". */
static const struct {
	const char *format, *making, *type;
} job_files[] = {
	{"pdf", "Đang dựng tệp PDF / making the PDF file", "application/pdf"},
	{"xlsx", "Đang dựng tệp Excel / making the Excel file",
	 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"csv", "Đang dựng các tệp CSV / making the CSV files", "application/zip"},
};

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
		.number = param_str(p, "number"),
	};
	const char *format = param_str(p, "format") ? param_str(p, "format") : "";
	size_t f = 0;
	while (f < sizeof job_files / sizeof *job_files && strcmp(job_files[f].format, format))
		f++;
	if (f == sizeof job_files / sizeof *job_files)
		return err_set(e, ERR_INVALID, "format", "format: pdf, xlsx, csv");
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
	job_run_progress(run, 1, 3, job_files[f].making);
	if (!strcmp(format, "pdf"))
		rc = doc_pdf(doc, &run->result, e);
	else if (!strcmp(format, "xlsx"))
		rc = doc_xlsx(doc, &run->result, e);
	else
		rc = report_zip(doc, &run->result, e);
	const char *subtitle = json_string_value(json_object_get(doc, "subtitle"));
	char name[96];
	report_file_name(&q, strcmp(format, "csv") ? format : "zip", name, sizeof name);
	run->summary = json_pack("{s:s,s:s?,s:I,s:s}", "format", format, "subtitle", subtitle,
				 "bytes", (json_int_t)run->result.len, "file", name);
	json_decref(doc);
	if (rc < 0)
		return rc;
	if (atomic_load(run->cancel)) {
		run->cancelled = 1;
		return err_set(e, ERR_CONFLICT, "", "cancelled");
	}
	job_run_progress(run, 2, 3, "Đang lưu tệp / storing the file");
	run->result_type = job_files[f].type;
	/* The summary lives until the job's end is stored. */
	run->result_name = json_string_value(json_object_get(run->summary, "file"));
	return 0;
}
