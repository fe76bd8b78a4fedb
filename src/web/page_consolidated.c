/* page_consolidated.c - the national report of a period consolidated from
 * the provinces' accepted submissions (stats/submission.h,
 * report_consolidated()), on a page and as PDF, Excel or JSON through the
 * same document renderers as the live report of /reports. */
#include "core/clock.h"
#include "io/doc.h"
#include "stats/submission.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bao-cao-tong-hop_toan-quoc_2025-6T.pdf */
static void file_name(const char *kind, int64_t year, const char *ext, char out[80])
{
	snprintf(out, 80, "bao-cao-tong-hop_toan-quoc_%lld%s.%s", (long long)year,
		 strcmp(kind, "half_year") ? "" : "-6T", ext);
}

/* Answers doc as format: json, or a pdf or xlsx download. */
static void send_doc(struct req *r, struct resp *w, json_t *doc, const char *kind, int64_t year,
		     const char *format)
{
	static const struct {
		const char *format, *type;
		int (*render)(json_t *doc, struct buf *out, struct err *e);
	} formats[] = {
		{"pdf", "application/pdf", doc_pdf},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		 doc_xlsx},
	};
	if (!strcmp(format, "json")) {
		reply_json(w, 200, json_incref(doc));
		return;
	}
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
		if (strcmp(format, formats[i].format))
			continue;
		struct buf out = BUF_INIT;
		struct err e;
		char name[80];
		if (formats[i].render(doc, &out, &e) < 0)
			reply_err(r, w, &e);
		else {
			file_name(kind, year, format, name);
			reply_download(r, w, name, formats[i].type, out.data, out.len);
		}
		buf_free(&out);
		return;
	}
	abort(); /* a format declared in params.c that this does not render */
}

/* The consolidated report of the query's period, or NULL (answered). */
static json_t *build_or_reply(struct req *r, struct resp *w, const char *kind, int64_t year)
{
	struct err e;
	json_t *doc;
	if (report_consolidated(r->st, &r->actor, kind, year, &doc, &e) < 0) {
		reply_err(r, w, &e);
		return NULL;
	}
	return doc;
}

/* GET /api/v1/reports/consolidated?period_kind=&year=&format=json|pdf|xlsx */
void h_api_consolidated(struct req *r, struct resp *w)
{
	const char *kind, *format;
	int64_t year;
	if (query_choice_or_reply(r, w, "format", &format) < 0 ||
	    chain_period_or_reply(r, w, 1, &kind, &year) < 0)
		return;
	json_t *doc = build_or_reply(r, w, kind, year);
	if (doc)
		send_doc(r, w, doc, kind, year, format ? format : "json");
	json_decref(doc);
}

static void period_form(struct req *r, struct resp *w, const char *kind, int64_t year)
{
	page_printf(w,
		    "<form method=\"get\" action=\"/reports/consolidated\" class=\"filters\" "
		    "id=\"period-form\"><label>%h<select name=\"period_kind\">",
		    T(r, "chain.period"));
	page_option(w, "half_year", T(r, "chain.half_year"), kind && !strcmp(kind, "half_year"));
	page_option(w, "year", T(r, "chain.year"), !kind || !strcmp(kind, "year"));
	page_printf(w,
		    "</select></label><label>%h<input name=\"year\" type=\"number\" min=\"2000\" "
		    "max=\"2100\" value=\"%lld\" required></label><button type=\"submit\">%h"
		    "</button></form>",
		    T(r, "chain.year_label"), (long long)year, T(r, "report.build_report"));
}

/* GET /reports/consolidated[?period_kind=&year=[&format=pdf|xlsx]] */
void h_consolidated_page(struct req *r, struct resp *w)
{
	const char *kind, *format;
	int64_t year;
	if (query_text_or_reply(r, w, "format", &format) < 0 ||
	    chain_period_or_reply(r, w, 0, &kind, &year) < 0)
		return;
	if (!actor_reads_all(&r->actor)) {
		reply_error(r, w, 403, "forbidden",
			    "Báo cáo tổng hợp toàn quốc dành cho Bộ / the national consolidated "
			    "report is the ministry's",
			    "");
		return;
	}
	json_t *doc = kind ? build_or_reply(r, w, kind, year) : NULL;
	if (kind && !doc)
		return;
	if (doc && format) {
		send_doc(r, w, doc, kind, year, format);
		json_decref(doc);
		return;
	}
	page_begin(r, w, "chain.consolidated_title");
	page_printf(w, "<p class=\"muted\">%h <a href=\"/reporting-status\">%h</a></p>",
		    T(r, "chain.consolidated_intro"), T(r, "chain.who_link"));
	char today[11];
	clock_today_vn(today);
	period_form(r, w, kind, kind ? year : atoi(today));
	if (doc) {
		json_t *cov = json_object_get(doc, "coverage");
		page_printf(w,
			    "<p id=\"coverage\">%h <strong id=\"included\">%lld</strong>/<span "
			    "id=\"expected\">%lld</span></p><p class=\"downloads\">",
			    T(r, "chain.consolidated_covers"),
			    (long long)json_integer_value(json_object_get(cov, "included")),
			    (long long)json_integer_value(json_object_get(cov, "expected")));
		static const char *const fmts[][2] = {{"pdf", "PDF"}, {"xlsx", "Excel"}};
		for (size_t i = 0; i < 2; i++)
			page_printf(w,
				    "<a href=\"/reports/consolidated?period_kind=%t&amp;year=%lld"
				    "&amp;format=%t\" id=\"download-%h\">%h</a> ",
				    kind, (long long)year, fmts[i][0], fmts[i][0], fmts[i][1]);
		page_printf(w, "</p><div id=\"report\">");
		doc_html(doc, &w->body);
		page_printf(w, "</div>");
		json_decref(doc);
	}
	page_end(r, w);
}
