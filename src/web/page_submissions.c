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

/* For a return: a comment per section of the report last sent (snap). */
static void section_fields(struct req *r, struct resp *w, json_t *snap)
{
	json_t *secs = json_object_get(json_object_get(json_object_get(snap, "content"), "report"),
				       "sections"),
	       *sec;
	if (!json_array_size(secs))
		return;
	page_printf(w, "<details class=\"section-notes\"><summary>%h</summary>",
		    T(r, "chain.section_notes"));
	size_t i;
	json_array_foreach(secs, i, sec)
	{
		const char *t = str(sec, "title");
		page_printf(w,
			    "<input type=\"hidden\" name=\"section\" value=\"%h\"><label>%h"
			    "<textarea name=\"section_note\" id=\"in-section-note-%zu\" rows=\"2\">"
			    "</textarea></label>",
			    t, t, i);
	}
	page_printf(w, "</details>");
}

static void move_forms(struct req *r, struct resp *w, int64_t id, json_t *moves, json_t *snap)
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
			    "</textarea></label>",
			    T(r, note ? "chain.note_required" : "chain.note"), to,
			    note ? " required" : "");
		if (!strcmp(to, "returned"))
			section_fields(r, w, snap);
		page_printf(w, "<button type=\"submit\">%h</button></form>", T(r, key));
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
		json_t *notes = json_object_get(ev, "sections"), *n;
		size_t k;
		if (json_array_size(notes))
			page_printf(w, "<ul class=\"section-notes\">");
		json_array_foreach(notes, k, n) page_printf(w, "<li><strong>%h</strong>: %h</li>",
							    str(n, "section"), str(n, "note"));
		if (json_array_size(notes))
			page_printf(w, "</ul>");
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
 * table tid, columns headed from and to, and the records changed, added,
 * removed. */
static void diff_body(struct req *r, struct resp *w, json_t *c, const char *tid, const char *from,
		      const char *to)
{
	json_t *figs = json_object_get(c, "figures"), *f;
	size_t i;
	if (json_array_size(figs)) {
		page_printf(w,
			    "<div class=\"scroll\"><table id=\"%h\"><thead><tr><th>%h</th>"
			    "<th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
			    tid, T(r, "chain.section"), T(r, "chain.row"), from, to);
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
	diff_body(r, w, c, "changed-figures", T(r, "chain.sent"), T(r, "chain.now"));
	page_printf(w, "</section>");
	json_decref(c);
}

/* The sendings 1..n as the options of a select, sel selected. */
static void seq_options(struct resp *w, int64_t n, int64_t sel)
{
	for (int64_t k = 1; k <= n; k++)
		page_printf(w, "<option value=\"%lld\"%h>%lld</option>", (long long)k,
			    k == sel ? " selected" : "", (long long)k);
}

/* Two sendings compared, c (submission_compare; NULL before the second
 * sending): by default the latest against the one before it; the form
 * picks any two. */
static void sendings_part(struct req *r, struct resp *w, int64_t id, json_t *snap, json_t *c)
{
	int64_t seq = json_integer_value(json_object_get(snap, "seq"));
	if (seq < 2 || !c)
		return;
	int64_t from = json_integer_value(json_object_get(c, "from")),
		to = json_integer_value(json_object_get(c, "to"));
	page_printf(w,
		    "<section aria-labelledby=\"snd-title\" id=\"sendings\"><h2 id=\"snd-title\">"
		    "%h</h2><form method=\"get\" action=\"/submissions/%lld#sendings\" "
		    "class=\"filters\" id=\"compare-form\"><label>%h<select name=\"from\" "
		    "id=\"in-from\">",
		    T(r, "chain.sendings"), (long long)id, T(r, "chain.compare_from"));
	seq_options(w, seq, from);
	page_printf(w, "</select></label><label>%h<select name=\"to\" id=\"in-to\">",
		    T(r, "chain.compare_to"));
	seq_options(w, seq, to);
	page_printf(w,
		    "</select></label><button type=\"submit\">%h</button></form>"
		    "<p class=\"muted\" id=\"sendings-pair\">%h %lld → %lld</p>",
		    T(r, "chain.compare_button"), T(r, "chain.sending"), (long long)from,
		    (long long)to);
	char a[64], b[64];
	snprintf(a, sizeof a, "%s %lld", T(r, "chain.sending"), (long long)from);
	snprintf(b, sizeof b, "%s %lld", T(r, "chain.sending"), (long long)to);
	if (json_is_true(json_object_get(c, "changed")))
		diff_body(r, w, c, "sendings-figures", a, b);
	else
		page_printf(w, "<p id=\"sendings-same\">%h</p>", T(r, "chain.sendings_same"));
	page_printf(w, "</section>");
}

static void submission_body(struct req *r, struct resp *w, int64_t id, json_t *s, json_t *cmp)
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
		move_forms(r, w, id, moves, json_object_get(s, "snapshot"));
		page_printf(w, "</section>");
	}
	changes_part(r, w, id);
	sendings_part(r, w, id, json_object_get(s, "snapshot"), cmp);
	timeline(r, w, json_object_get(s, "timeline"));
	snapshot_part(r, w, id, json_object_get(s, "snapshot"));
}

/* The two sendings of submission s that the page compares, into *out:
 * ?from=&to= (to: the latest by default, from: the one before to), nothing
 * before a second sending. Replies (404 naming seq for a sending that does
 * not exist) and returns < 0 on bad input. */
static int compare_or_reply(struct req *r, struct resp *w, int64_t id, json_t *s, json_t **out)
{
	int64_t from, to,
		seq = json_integer_value(json_object_get(json_object_get(s, "snapshot"), "seq"));
	*out = NULL;
	if (query_param_or_reply(r, w, "from", &from) < 0 ||
	    query_param_or_reply(r, w, "to", &to) < 0)
		return -1;
	if (seq < 2 && !from && !to)
		return 0;
	if (!to)
		to = seq;
	if (!from)
		from = to > 1 ? to - 1 : to;
	struct err e;
	if (submission_compare(r->st, &r->actor, id, from, to, out, &e) < 0) {
		reply_err(r, w, &e);
		return -1;
	}
	return 0;
}

/* GET /submissions/{id}[?from=&to=]: one submission, its moves, timeline
 * and snapshot, and two of its sendings compared. */
void h_submission_page(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	json_t *s, *cmp;
	if (submission_get(r->st, &r->actor, id, &s, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	if (compare_or_reply(r, w, id, s, &cmp) < 0) {
		json_decref(s);
		return;
	}
	char title[96];
	snprintf(title, sizeof title, "%s %s", T(r, "chain.one"), str(s, "number"));
	page_begin_text(r, w, title);
	page_flash(r, w);
	page_printf(w, "<p class=\"muted\"><a href=\"/submissions\">%h</a></p>",
		    T(r, "chain.title"));
	submission_body(r, w, id, s, cmp);
	attachments_section(r, w, "submissions", id);
	json_decref(cmp);
	json_decref(s);
	page_end(r, w);
}

/* POST /submissions/{id}/transition: one move from the form. */
void h_submission_transition_post(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	/* The comments per section: each section_note after its section. */
	json_t *notes = json_array(), *last = NULL;
	for (int i = 0; i < r->nform; i++) {
		if (!strcmp(r->form[i].key, "section")) {
			last = json_pack("{s:s}", "section", r->form[i].value);
			json_array_append_new(notes, last);
		} else if (!strcmp(r->form[i].key, "section_note") && last)
			json_object_set_new(last, "note", json_string(r->form[i].value));
	}
	struct err e;
	err_clear(&e);
	int rc = submission_transition_notes(r->st, &r->actor, id, req_form(r, "to"),
					     req_form(r, "note"), notes, &e);
	json_decref(notes);
	if (rc < 0) {
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
