/* page_proposal.c - the exchange on a proposal (its reference and sending
 * date, every message of both sides, the reply form) and the notifications
 * page and badge; the same as JSON under /api/v1. */
#include "core/clock.h"
#include "core/vtext.h"
#include "model/notify.h"
#include "model/proposal_files.h"
#include "model/proposal_thread.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"
#include "web/portal.h"
#include "web/records_web.h"
#include "web/upload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A stored UTC time (2026-12-05T00:37:27Z) as read in Vietnam (UTC+7):
 * 05/12/2026 07:37. Arena memory. */
static const char *when(struct req *r, const char *iso)
{
	struct tm tm = {0};
	if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return iso ? iso : "";
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	char vn[21];
	clock_iso((int64_t)timegm(&tm) + 7 * 3600, vn);
	char *out = arena_alloc(r->arena, 20);
	snprintf(out, 20, "%.2s/%.2s/%.4s %.5s", vn + 8, vn + 5, vn, vn + 11);
	return out;
}

const char *page_when(struct req *r, const char *iso)
{
	return when(r, iso);
}

void proposal_sent_note(struct req *r, struct resp *w, json_t *rec)
{
	const char *ref = json_string_value(json_object_get(rec, "reference"));
	const char *on = json_string_value(json_object_get(rec, "submitted_on"));
	if (!ref || !on)
		return;
	struct buf d = BUF_INIT;
	vtext_fmt_date(&d, on);
	const char *done = req_query(r, "done");
	page_printf(w,
		    "<p class=\"%h\" role=\"status\" id=\"sent-note\">%h <strong>%h</strong> %h "
		    "%h.</p>",
		    done && !strcmp(done, "sent") ? "ok" : "muted",
		    done && !strcmp(done, "sent") ? T(r, "proposal.sent_as") : T(r, "proposal.ref"),
		    ref, T(r, "proposal.sent_on"), buf_cstr(&d));
	buf_free(&d);
}

static void message_item(struct req *r, struct resp *w, json_t *m)
{
	const char *side = json_string_value(json_object_get(m, "side"));
	const char *status = json_string_value(json_object_get(m, "status"));
	const char *body = json_string_value(json_object_get(m, "body"));
	page_printf(w,
		    "<li class=\"msg %h\"><p class=\"muted\"><strong>%h</strong> (%h) · "
		    "<time>%h</time>",
		    side,
		    side && !strcmp(side, "establishment") ? T(r, "proposal.side_est")
							   : T(r, "proposal.side_dept"),
		    json_string_value(json_object_get(m, "username")),
		    when(r, json_string_value(json_object_get(m, "created_at"))));
	if (status) {
		char label[200];
		field_enum_label(entity_field(entity_find("proposals"), "status"), status, r->lang,
				 label, sizeof label);
		page_printf(w, " · %h: <b>%h</b>", T(r, "portal.status"), label);
	}
	page_printf(w, "</p>");
	if (body && *body)
		page_printf(w, "<p class=\"body\">%h</p>", body);
	page_printf(w, "</li>");
}

/* The files sent with the proposal, and the form to send one. */
static void files_section(struct req *r, struct resp *w, int64_t id)
{
	json_t *files;
	struct err e;
	if (proposal_files(r->st, &r->actor, id, &files, &e) < 0)
		return;
	page_printf(w, "<h3 id=\"files\">%h (%zu)</h3><ul class=\"files\">", T(r, "proposal.files"),
		    json_array_size(files));
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f)
	{
		struct buf size = BUF_INIT;
		vtext_fmt_int(&size, (json_integer_value(json_object_get(f, "bytes")) + 1023) / 1024);
		page_printf(w, "<li><a href=\"/proposals/%lld/files/%lld\">%h</a> <span "
			       "class=\"muted\">(%h KB · %h · %h)</span></li>",
			    (long long)id, (long long)json_integer_value(json_object_get(f, "id")),
			    json_string_value(json_object_get(f, "name")), buf_cstr(&size),
			    json_string_value(json_object_get(f, "username")),
			    when(r, json_string_value(json_object_get(f, "created_at"))));
		buf_free(&size);
	}
	page_printf(w, "</ul>");
	json_decref(files);
	if (r->actor.role == ROLE_VIEWER)
		return;
	page_printf(w,
		    "<form method=\"post\" action=\"/proposals/%lld/files\" "
		    "enctype=\"multipart/form-data\" class=\"card\" id=\"file-upload\">",
		    (long long)id);
	page_csrf(r, w);
	page_printf(w,
		    "<label>%h<input type=\"file\" name=\"file\" "
		    "accept=\"application/pdf,image/jpeg,image/png,image/webp\" required></label>"
		    "<p class=\"muted\">%h</p><button type=\"submit\">%h</button></form>",
		    T(r, "proposal.file"), T(r, "proposal.file_rules"), T(r, "proposal.file_send"));
}

void proposal_thread_section(struct req *r, struct resp *w, json_t *rec, int64_t id)
{
	(void)rec;
	json_t *msgs;
	struct err e;
	if (proposal_messages(r->st, &r->actor, id, &msgs, &e) < 0)
		return;
	page_printf(w, "<section class=\"related\" id=\"thread\"><h2>%h (%zu)</h2>",
		    T(r, "proposal.thread"), json_array_size(msgs));
	if (json_array_size(msgs)) {
		page_printf(w, "<ol class=\"thread\">");
		size_t i;
		json_t *m;
		json_array_foreach(msgs, i, m) message_item(r, w, m);
		page_printf(w, "</ol>");
	} else
		page_printf(w, "<p class=\"muted\">%h</p>", T(r, "proposal.no_messages"));
	json_decref(msgs);
	if (r->actor.role != ROLE_VIEWER) {
		page_printf(
			w,
			"<form method=\"post\" action=\"/proposals/%lld/messages\" class=\"card\" "
			"id=\"reply\">",
			(long long)id);
		page_csrf(r, w);
		page_printf(
			w,
			"<label>%h<textarea name=\"body\" rows=\"3\" maxlength=\"%d\" "
			"required></textarea></label><button type=\"submit\">%h</button></form>",
			T(r, "proposal.reply"), PROPOSAL_MESSAGE_MAX, T(r, "proposal.send_reply"));
	}
	files_section(r, w, id);
	page_printf(w, "</section>");
}

void h_proposal_message_post(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	err_clear(&e);
	if (proposal_message_add(r->st, &r->actor, id, req_form(r, "body"), &e) < 0) {
		page_error(r, w, err_http_status(e.code), e.message);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/proposals/%lld?done=saved#thread", (long long)id);
	reply_redirect(r, w, loc);
}

void h_api_proposal_messages(struct req *r, struct resp *w)
{
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	json_t *msgs;
	struct err e;
	if (proposal_messages(r->st, &r->actor, id, &msgs, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o}", "items", msgs));
}

void h_api_proposal_message_create(struct req *r, struct resp *w)
{
	int64_t id;
	const char *body;
	if (id_or_reply(r, w, r->params[0], &id) < 0 || json_str_or_reply(r, w, "body", &body) < 0)
		return;
	struct err e;
	json_t *msgs;
	if (proposal_message_add(r->st, &r->actor, id, body, &e) < 0 ||
	    proposal_messages(r->st, &r->actor, id, &msgs, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 201, json_pack("{s:o}", "items", msgs));
}

int64_t portal_unread(struct req *r)
{
	int64_t n = 0;
	if (r->authed && r->actor.user_id > 0)
		notify_unread(r->st, r->actor.user_id, &n, NULL);
	return n;
}

enum { NOTIFY_SHOWN = 100 };

void h_notifications_page(struct req *r, struct resp *w)
{
	json_t *items;
	struct err e;
	if (notify_list(r->st, r->actor.user_id, NOTIFY_SHOWN, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_begin(r, w, "notify.title");
	page_printf(w, "<p class=\"muted\">%h</p>", T(r, "notify.no_mail"));
	if (portal_unread(r)) {
		page_printf(
			w,
			"<form method=\"post\" action=\"/notifications/read\" class=\"inline\">");
		page_csrf(r, w);
		page_printf(w, "<button type=\"submit\" id=\"mark-read\">%h</button></form>",
			    T(r, "notify.mark_read"));
	}
	page_printf(w, "<ul class=\"notifications\" id=\"notifications\">");
	size_t i;
	json_t *n;
	json_array_foreach(items, i, n)
	{
		int read = json_is_true(json_object_get(n, "read"));
		page_printf(w, "<li class=\"%h\"><time>%h</time> <a href=\"%h\">%h</a>%h</li>",
			    read ? "read" : "unread",
			    when(r, json_string_value(json_object_get(n, "created_at"))),
			    json_string_value(json_object_get(n, "link")),
			    page_message(r, json_string_value(json_object_get(n, "message"))),
			    read ? "" : " ●");
	}
	if (!json_array_size(items))
		page_printf(w, "<li class=\"muted\">%h</li>", T(r, "notify.none"));
	page_printf(w, "</ul>");
	json_decref(items);
	page_end(r, w);
}

void h_notifications_read_post(struct req *r, struct resp *w)
{
	struct err e;
	if (notify_mark_read(r->st, r->actor.user_id, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_redirect(r, w, "/notifications");
}

void h_api_notifications(struct req *r, struct resp *w)
{
	json_t *items;
	struct err e;
	int64_t unread = 0;
	if (notify_unread(r->st, r->actor.user_id, &unread, &e) < 0 ||
	    notify_list(r->st, r->actor.user_id, NOTIFY_SHOWN, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o,s:I}", "items", items, "unread", (json_int_t)unread));
}

void h_proposal_file_post(struct req *r, struct resp *w)
{
	int64_t id, fid;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct upload up;
	struct err e;
	err_clear(&e);
	json_t *p = NULL;
	/* The proposal's scope first: nothing about a file is said to others. */
	int rc = record_get(r->st, &r->actor, entity_find("proposals"), id, &p, &e);
	json_decref(p);
	if (rc == 0)
		rc = upload_file(r, "file", &up, &e);
	if (rc == 0)
		rc = proposal_file_add(r->st, &r->actor, id, up.filename, up.data, up.size, &fid, &e);
	if (rc < 0) {
		page_error(r, w, err_http_status(e.code), e.message);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/proposals/%lld?done=saved#files", (long long)id);
	reply_redirect(r, w, loc);
}

void h_proposal_file_get(struct req *r, struct resp *w)
{
	int64_t id, fid;
	if (id_or_reply(r, w, r->params[0], &id) < 0 || id_or_reply(r, w, r->params[1], &fid) < 0)
		return;
	struct proposal_file f;
	struct err e;
	if (proposal_file_get(r->st, &r->actor, id, fid, &f, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	/* A download, never shown in the page's origin; the name as text only. */
	char name[80];
	snprintf(name, sizeof name, "de-xuat-%lld-tep-%lld%s", (long long)id, (long long)fid,
		 !strcmp(f.content_type, "application/pdf") ? ".pdf"
		 : !strcmp(f.content_type, "image/png")	    ? ".png"
		 : !strcmp(f.content_type, "image/webp")    ? ".webp"
							    : ".jpg");
	reply_download(r, w, name, f.content_type, f.data, f.size);
	free(f.data);
}
