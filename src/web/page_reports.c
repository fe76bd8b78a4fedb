/* page_reports.c - the periodic report on screen and as PDF, Excel and text. */
#include "io/doc.h"
#include "stats/report.h"
#include "web/handlers.h"
#include "web/page.h"
#include "core/clock.h"
#include "web/params.h"

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
		for (int i = 0; i < 3; i++)
			page_printf(w, "<a href=\"/reports?format=%h%h\" id=\"download-%h\">%h</a> ", fmts[i],
			            buf_cstr(&qs), fmts[i], names[i]);
		page_printf(w, "</p><div id=\"report\">");
		buf_free(&qs);
		doc_html(doc, &w->body);
		page_printf(w, "</div>");
		json_decref(doc);
	}
	page_end(r, w);
}
