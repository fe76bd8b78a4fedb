/* page_submissions.c - the reporting chain in the browser: a province's
 * reports to the ministry (start, submit, withdraw), the ministry's answer
 * (accept, return with a comment, reopen with a reason), each submission
 * with its timeline and what it froze, and who has reported for a period. */
#include "core/clock.h"
#include "io/doc.h"
#include "stats/submission.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"
#include "web/records_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* "chain.st_" + status: the status in the reader's language. */
static const char *status_text(struct req *r, const char *status)
{
	char key[40];
	snprintf(key, sizeof key, "chain.st_%s", status);
	return T(r, key);
}

void chain_date(char out[24], const char *iso)
{
	struct tm tm = {0};
	int n = iso ? sscanf(iso, "%d-%d-%dT%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			     &tm.tm_hour, &tm.tm_min)
		    : 0;
	if (n < 3) {
		snprintf(out, 24, "—");
		return;
	}
	if (n < 5) {
		snprintf(out, 24, "%02d/%02d/%04d", tm.tm_mday % 100, tm.tm_mon % 100,
			 tm.tm_year % 10000);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm) + 7 * 3600; /* Vietnam: UTC+7, no daylight saving */
	gmtime_r(&t, &tm);
	strftime(out, 24, "%d/%m/%Y %H:%M", &tm);
}

/* An ISO date or UTC time as Vietnam's dd/mm/yyyy (hh:mm). */
static void when(struct resp *w, const char *iso)
{
	char d[24];
	chain_date(d, iso && *iso ? iso : NULL);
	page_printf(w, "%h", d);
}

static void period_select(struct req *r, struct resp *w, const char *kind)
{
	page_printf(w, "<label>%h<select name=\"period_kind\" id=\"in-period_kind\">",
		    T(r, "chain.period"));
	page_option(w, "half_year", T(r, "chain.half_year"), kind && !strcmp(kind, "half_year"));
	page_option(w, "year", T(r, "chain.year"), !kind || !strcmp(kind, "year"));
	page_printf(w, "</select></label>");
}

static void start_form(struct req *r, struct resp *w)
{
	char today[11];
	clock_today_vn(today);
	page_printf(w,
		    "<section aria-labelledby=\"start-title\"><h2 id=\"start-title\">%h</h2>"
		    "<form method=\"post\" action=\"/submissions\" id=\"start\">",
		    T(r, "chain.start"));
	page_csrf(r, w);
	period_select(r, w, NULL);
	page_printf(w,
		    "<label>%h<input name=\"year\" id=\"in-year\" type=\"number\" min=\"2000\" "
		    "max=\"2100\" value=\"%d\" required></label>",
		    T(r, "chain.year_label"), atoi(today));
	if (r->actor.role == ROLE_ADMIN) {
		page_printf(w, "<label>%h<select name=\"province\" id=\"in-province\">",
			    T(r, "dash.province"));
		page_province_options(r, w, "new", NULL);
		page_printf(w, "</select></label>");
	}
	page_printf(w, "<button type=\"submit\">%h</button></form></section>",
		    T(r, "chain.start_button"));
}

static void list_rows(struct req *r, struct resp *w, json_t *items)
{
	page_printf(w,
		    "<div class=\"scroll\"><table id=\"submissions\"><thead><tr><th>%h</th>"
		    "<th>%h</th><th>%h</th><th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
		    T(r, "chain.number"), T(r, "dash.province"), T(r, "chain.period"),
		    T(r, "chain.status"), T(r, "chain.submitted_at"), T(r, "chain.due"));
	size_t i;
	json_t *s;
	json_array_foreach(items, i, s)
	{
		page_printf(
			w,
			"<tr><td><a href=\"/submissions/%lld\">%h</a></td><td>%h</td><td>%h</td>"
			"<td class=\"status-%h\">%h</td><td>",
			(long long)json_integer_value(json_object_get(s, "id")), str(s, "number"),
			str(s, "province_name"), str(s, "period_label"), str(s, "status"),
			status_text(r, str(s, "status")));
		when(w, str(s, "submitted_at"));
		page_printf(w, "</td><td>");
		when(w, str(s, "due_date"));
		page_printf(w, "</td></tr>");
	}
	if (!json_array_size(items))
		page_printf(w, "<tr><td colspan=\"6\">%h</td></tr>", T(r, "chain.none"));
	page_printf(w, "</tbody></table></div>");
}

/* GET /submissions[?period_kind=&year=]: the submissions the reader may
 * see, and for a province officer the form that starts one. */
void h_submissions_page(struct req *r, struct resp *w)
{
	const char *kind;
	int64_t year;
	if (chain_period_or_reply(r, w, 0, &kind, &year) < 0)
		return;
	struct err e;
	json_t *items;
	if (submission_list(r->st, &r->actor, kind, year, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_begin(r, w, "chain.title");
	page_flash(r, w);
	page_printf(w, "<p class=\"muted\">%h <a href=\"/reporting-status\">%h</a></p>",
		    T(r, "chain.intro"), T(r, "chain.who_link"));
	if (r->actor.role == ROLE_PROVINCE || r->actor.role == ROLE_ADMIN)
		start_form(r, w);
	list_rows(r, w, items);
	json_decref(items);
	page_end(r, w);
}

/* POST /submissions: starts a draft and opens it. */
void h_submissions_post(struct req *r, struct resp *w)
{
	struct err e;
	err_clear(&e);
	int64_t year = 0, id = 0;
	const char *y = req_form(r, "year");
	if (!y || parse_int64(y, &year) < 0)
		year = -1; /* refused by the model, naming "year", after the caller's role */
	submission_create(r->st, &r->actor, req_form(r, "province"), req_form(r, "period_kind"),
			  year, &id, &e);
	if (e.code < 0) {
		page_rerender(r, w, &e, h_submissions_page);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/submissions/%lld?done=saved", (long long)id);
	reply_redirect(r, w, loc);
}

static void move_forms(struct req *r, struct resp *w, int64_t id, json_t *moves)
{
	size_t i;
	json_t *m;
	json_array_foreach(moves, i, m)
	{
		const char *to = str(m, "to");
		int note = json_is_true(json_object_get(m, "note_required"));
		char key[40];
		snprintf(key, sizeof key, "chain.do_%s", to);
		page_printf(w,
			    "<form method=\"post\" action=\"/submissions/%lld/transition\" "
			    "class=\"move\" id=\"move-%h\"><input type=\"hidden\" name=\"to\" "
			    "value=\"%h\">",
			    (long long)id, to, to);
		page_csrf(r, w);
		page_printf(w,
			    "<label>%h<textarea name=\"note\" id=\"in-note-%h\" rows=\"2\"%h>"
			    "</textarea></label><button type=\"submit\">%h</button></form>",
			    T(r, note ? "chain.note_required" : "chain.note"), to,
			    note ? " required" : "", T(r, key));
	}
}

static void timeline(struct req *r, struct resp *w, json_t *events)
{
	page_printf(w,
		    "<section aria-labelledby=\"tl-title\"><h2 id=\"tl-title\">%h</h2>"
		    "<ol class=\"timeline\" id=\"timeline\">",
		    T(r, "chain.timeline"));
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		page_printf(w, "<li class=\"status-%h\"><time>", str(ev, "to"));
		when(w, str(ev, "at"));
		page_printf(w, "</time> · %h · <strong>%h</strong>", str(ev, "username"),
			    status_text(r, str(ev, "to")));
		json_t *seq = json_object_get(ev, "snapshot_seq");
		if (json_is_integer(seq))
			page_printf(w, " (%h %lld)", T(r, "chain.sending"),
				    (long long)json_integer_value(seq));
		if (*str(ev, "note"))
			page_printf(w, "<blockquote>%h</blockquote>", str(ev, "note"));
		page_printf(w, "</li>");
	}
	page_printf(w, "</ol></section>");
}

/* The PDF and Excel generated when it was sent, as downloads. */
static void sent_files(struct req *r, struct resp *w, int64_t id, json_t *snap)
{
	json_t *files = json_object_get(snap, "files"), *f;
	if (!json_array_size(files))
		return;
	page_printf(w, "<p class=\"downloads\" id=\"sent-files\">%h: ", T(r, "chain.sent_files"));
	size_t i;
	json_array_foreach(files, i, f)
	{
		char sha[13];
		snprintf(sha, sizeof sha, "%s", str(f, "sha256"));
		page_printf(w,
			    "<a href=\"/api/v1/submissions/%lld/snapshots/%lld/%h\" "
			    "id=\"sent-%h\">%h</a> <small>(%lld B, SHA-256 %h…)</small> ",
			    (long long)id,
			    (long long)json_integer_value(json_object_get(snap, "seq")),
			    str(f, "format"), str(f, "format"), str(f, "name"),
			    (long long)json_integer_value(json_object_get(f, "bytes")), sha);
	}
	page_printf(w, "</p>");
}

static void snapshot_part(struct req *r, struct resp *w, int64_t id, json_t *snap)
{
	page_printf(w,
		    "<section aria-labelledby=\"snap-title\" id=\"snapshot\"><h2 "
		    "id=\"snap-title\">%h</h2>",
		    T(r, "chain.snapshot"));
	if (!json_is_object(snap)) {
		page_printf(w, "<p>%h</p></section>", T(r, "chain.not_sent"));
		return;
	}
	json_t *c = json_object_get(snap, "content");
	page_printf(w, "<dl class=\"facts\"><dt>%h</dt><dd>%lld</dd><dt>%h</dt><dd>",
		    T(r, "chain.sending"),
		    (long long)json_integer_value(json_object_get(snap, "seq")),
		    T(r, "chain.frozen_at"));
	when(w, str(snap, "created_at"));
	page_printf(w,
		    "</dd><dt>%h</dt><dd><code id=\"content-hash\">%h</code> %h</dd><dt>%h</dt>"
		    "<dd id=\"record-count\">%lld</dd></dl>",
		    T(r, "chain.hash"), str(snap, "content_hash"),
		    T(r, json_is_true(json_object_get(snap, "hash_ok")) ? "chain.hash_ok"
									: "chain.hash_bad"),
		    T(r, "chain.records"),
		    (long long)json_array_size(json_object_get(c, "records")));
	sent_files(r, w, id, snap);
	json_t *report = json_object_get(c, "report");
	if (json_is_object(report)) {
		page_printf(w, "<div class=\"report-doc\">");
		doc_html(report, &w->body);
		page_printf(w, "</div>");
	}
	page_printf(w, "</section>");
}

static void cells(struct resp *w, json_t *row)
{
	size_t i;
	json_t *c;
	if (!json_is_array(row)) {
		page_printf(w, "—");
		return;
	}
	json_array_foreach(row, i, c)
	{
		if (i > 1)
			page_printf(w, " · ");
		if (i > 0)
			page_printf(w, "%h", json_is_string(c) ? json_string_value(c) : "");
	}
}

static void record_links(struct req *r, struct resp *w, json_t *list, const char *key)
{
	if (!json_array_size(list))
		return;
	page_printf(w, "<p>%h:", T(r, key));
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		page_printf(w, " <a href=\"/%h/%lld\">%h #%lld</a>", str(x, "collection"),
			    (long long)json_integer_value(json_object_get(x, "id")),
			    str(x, "collection"),
			    (long long)json_integer_value(json_object_get(x, "id")));
	}
	page_printf(w, "</p>");
}

/* The rows of a difference c (submission_changes, submission_compare) in
 * table tid, columns from and to, and the records changed, added, removed. */
static void diff_body(struct req *r, struct resp *w, json_t *c, const char *tid, const char *from,
		      const char *to)
{
	json_t *figs = json_object_get(c, "figures"), *f;
	size_t i;
	if (json_array_size(figs)) {
		page_printf(w,
			    "<div class=\"scroll\"><table id=\"%h\"><thead><tr><th>%h</th>"
			    "<th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
			    tid, T(r, "chain.section"), T(r, "chain.row"), T(r, from), T(r, to));
		json_array_foreach(figs, i, f)
		{
			page_printf(w, "<tr><td>%h</td><td>%h</td><td>", str(f, "section"),
				    str(f, "row"));
			cells(w, json_object_get(f, "sent"));
			page_printf(w, "</td><td>");
			cells(w, json_object_get(f, "now"));
			page_printf(w, "</td></tr>");
		}
		page_printf(w, "</tbody></table></div>");
	}
	json_t *recs = json_object_get(c, "records");
	record_links(r, w, json_object_get(recs, "changed"), "chain.rec_changed");
	record_links(r, w, json_object_get(recs, "added"), "chain.rec_added");
	record_links(r, w, json_object_get(recs, "removed"), "chain.rec_removed");
}

/* "Đã thay đổi sau khi gửi": the report now against the one last sent. */
static void changes_part(struct req *r, struct resp *w, int64_t id)
{
	struct err e;
	json_t *c;
	if (submission_changes(r->st, &r->actor, id, &c, &e) < 0)
		return; /* the page shows the rest; the API answers the error */
	if (!json_integer_value(json_object_get(c, "seq"))) {
		json_decref(c);
		return;
	}
	page_printf(w,
		    "<section aria-labelledby=\"chg-title\" id=\"changes\"><h2 id=\"chg-title\">%h"
		    "</h2>",
		    T(r, "chain.changes"));
	if (!json_is_true(json_object_get(c, "changed"))) {
		page_printf(w, "<p id=\"unchanged\">%h</p></section>", T(r, "chain.unchanged"));
		json_decref(c);
		return;
	}
	diff_body(r, w, c, "changed-figures", "chain.sent", "chain.now");
	page_printf(w, "</section>");
	json_decref(c);
}

/* The latest sending against the one before it (each keeps its snapshot). */
static void sendings_part(struct req *r, struct resp *w, int64_t id, json_t *snap)
{
	int64_t seq = json_integer_value(json_object_get(snap, "seq"));
	struct err e;
	json_t *c;
	if (seq < 2 || submission_compare(r->st, &r->actor, id, seq - 1, seq, &c, &e) < 0)
		return;
	page_printf(w,
		    "<section aria-labelledby=\"snd-title\" id=\"sendings\"><h2 id=\"snd-title\">"
		    "%h</h2><p class=\"muted\">%h %lld → %lld</p>",
		    T(r, "chain.sendings"), T(r, "chain.sending"), (long long)seq - 1,
		    (long long)seq);
	if (json_is_true(json_object_get(c, "changed")))
		diff_body(r, w, c, "sendings-figures", "chain.sending_prev", "chain.sending_this");
	else
		page_printf(w, "<p id=\"sendings-same\">%h</p>", T(r, "chain.sendings_same"));
	page_printf(w, "</section>");
	json_decref(c);
}

static void submission_body(struct req *r, struct resp *w, int64_t id, json_t *s)
{
	page_printf(w,
		    "<dl class=\"facts\" id=\"submission\"><dt>%h</dt><dd>%h</dd><dt>%h</dt>"
		    "<dd>%h</dd><dt>%h</dt><dd id=\"status\" class=\"status-%h\">%h</dd>"
		    "<dt>%h</dt><dd>",
		    T(r, "dash.province"), str(s, "province_name"), T(r, "chain.period"),
		    str(s, "period_label"), T(r, "chain.status"), str(s, "status"),
		    status_text(r, str(s, "status")), T(r, "chain.due"));
	when(w, str(s, "due_date"));
	page_printf(w, "</dd><dt>%h</dt><dd>", T(r, "chain.submitted_at"));
	when(w, str(s, "submitted_at"));
	page_printf(w, "</dd></dl>");
	json_t *moves = json_object_get(s, "moves");
	if (json_array_size(moves)) {
		page_printf(w,
			    "<section aria-labelledby=\"act-title\"><h2 id=\"act-title\">%h</h2>",
			    T(r, "chain.actions"));
		move_forms(r, w, id, moves);
		page_printf(w, "</section>");
	}
	changes_part(r, w, id);
	sendings_part(r, w, id, json_object_get(s, "snapshot"));
	timeline(r, w, json_object_get(s, "timeline"));
	snapshot_part(r, w, id, json_object_get(s, "snapshot"));
}

/* GET /submissions/{id}: one submission, its moves, timeline and snapshot. */
void h_submission_page(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	json_t *s;
	if (submission_get(r->st, &r->actor, id, &s, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char title[96];
	snprintf(title, sizeof title, "%s %s", T(r, "chain.one"), str(s, "number"));
	page_begin_text(r, w, title);
	page_flash(r, w);
	page_printf(w, "<p class=\"muted\"><a href=\"/submissions\">%h</a></p>",
		    T(r, "chain.title"));
	submission_body(r, w, id, s);
	attachments_section(r, w, "submissions", id);
	json_decref(s);
	page_end(r, w);
}

/* POST /submissions/{id}/transition: one move from the form. */
void h_submission_transition_post(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	err_clear(&e);
	if (submission_transition(r->st, &r->actor, id, req_form(r, "to"), req_form(r, "note"),
				  &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/submissions/%lld?done=saved", (long long)id);
	reply_redirect(r, w, loc);
}

int chain_home_todo(struct req *r, struct resp *w)
{
	char today[11];
	clock_today_vn(today);
	struct err e;
	json_t *todo;
	if (submission_todo(r->st, &r->actor, today, &todo, &e) < 0)
		return 0;
	size_t i;
	json_t *t;
	json_array_foreach(todo, i, t)
	{
		json_t *id = json_object_get(t, "id");
		page_printf(w, "<li class=\"todo-chain%h\">",
			    json_is_true(json_object_get(t, "overdue")) ? " overdue" : "");
		if (json_is_integer(id))
			page_printf(w, "<a href=\"/submissions/%lld\">",
				    (long long)json_integer_value(id));
		else
			page_printf(w, "<a href=\"/submissions\">");
		page_printf(w, "%h %h</a>: %h · %h ", T(r, "chain.report_of"), str(t, "label"),
			    status_text(r, str(t, "status")), T(r, "chain.due"));
		when(w, str(t, "due_date"));
		page_printf(w, "</li>");
	}
	size_t n = json_array_size(todo);
	json_decref(todo);
	return (int)n;
}
