/* page_attachments.c - the files attached to a project, plan,
 * establishment or periodic report: listed on its page with an upload form,
 * and under /api/v1/{parent}/{id}/attachments. A file is always served as
 * a download of its checked type, never shown in the site's origin. */
#include "core/vtext.h"
#include "model/attachment.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/public.h"
#include "web/records_web.h"
#include "web/upload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void attachments_section(struct req *r, struct resp *w, const char *parent, int64_t id)
{
	json_t *files;
	struct err e;
	if (!attachment_parent_known(parent) || attachment_files(r->st, parent, id, &files, &e) < 0)
		return;
	page_printf(w,
		    "<section class=\"related\" id=\"attachments\"><h2>%h (%zu)</h2>"
		    "<table class=\"attachments\"><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
		    "<th>%h</th><th>%h</th><th></th></tr></thead><tbody>",
		    T(r, "att.title"), json_array_size(files), T(r, "att.name"), T(r, "att.type"),
		    T(r, "att.size"), T(r, "att.who"), T(r, "att.when"));
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f)
	{
		struct buf size = BUF_INIT;
		vtext_fmt_int(&size,
			      (json_integer_value(json_object_get(f, "bytes")) + 1023) / 1024);
		const char *type = json_string_value(json_object_get(f, "content_type"));
		page_printf(w,
			    "<tr><td><a href=\"/api/v1/%h/%lld/attachments/%lld\">%h</a></td>"
			    "<td>%h</td><td>%h KB</td><td>%h</td><td>%h</td><td>",
			    parent, (long long)id,
			    (long long)json_integer_value(json_object_get(f, "id")),
			    json_string_value(json_object_get(f, "name")), attachment_ext(type) + 1,
			    buf_cstr(&size), json_string_value(json_object_get(f, "username")),
			    page_when(r, json_string_value(json_object_get(f, "created_at"))));
		if (r->actor.role != ROLE_VIEWER) { /* the model says whether it may */
			page_printf(
				w,
				"<form method=\"post\" action=\"/%h/%lld/attachments/%lld/delete\" "
				"class=\"inline\">",
				parent, (long long)id,
				(long long)json_integer_value(json_object_get(f, "id")));
			page_csrf(r, w);
			page_printf(
				w,
				"<button type=\"submit\" class=\"link\" id=\"att-delete-%lld\">%h"
				"</button></form>",
				(long long)json_integer_value(json_object_get(f, "id")),
				T(r, "att.delete"));
		}
		page_printf(w, "</td></tr>");
		buf_free(&size);
	}
	page_printf(w, "</tbody></table>");
	json_decref(files);
	if (r->actor.role != ROLE_VIEWER) {
		page_printf(
			w,
			"<form method=\"post\" action=\"/%h/%lld/attachments\" "
			"enctype=\"multipart/form-data\" class=\"card\" id=\"attachment-upload\">",
			parent, (long long)id);
		page_csrf(r, w);
		page_printf(
			w,
			"<label>%h<input type=\"file\" name=\"file\" required "
			"accept=\".pdf,.png,.jpg,.jpeg,.odt,.ods,.odp,.docx,.xlsx,.pptx\"></label>"
			"<p class=\"muted\">%h</p><button type=\"submit\">%h</button></form>",
			T(r, "att.file"), T(r, "att.rules"), T(r, "att.send"));
	}
	page_printf(w, "</section>");
}

static int add(struct req *r, int64_t *id, int64_t *aid, struct err *e)
{
	struct upload up;
	err_clear(e);
	int64_t pid = public_id(r->params[1]);
	if (!pid)
		return err_set(e, ERR_NOTFOUND, "id", "Không tìm thấy / not found");
	*id = pid;
	/* The parent's scope first: nothing about a file is said to others. */
	json_t *list = NULL;
	int rc = attachment_list(r->st, &r->actor, r->params[0], pid, &list, e);
	json_decref(list);
	if (rc == 0)
		rc = upload_file(r, "file", &up, e);
	if (rc == 0)
		rc = attachment_add(r->st, &r->actor, r->params[0], pid, up.filename, up.data,
				    up.size, aid, e);
	return rc;
}

/* POST /{parent}/{id}/attachments: the form on the parent's page. */
void h_attachment_post(struct req *r, struct resp *w)
{
	int64_t id = 0, aid = 0;
	struct err e;
	if (add(r, &id, &aid, &e) < 0) {
		page_error(r, w, err_http_status(e.code), e.message);
		return;
	}
	char *loc = arena_alloc(r->arena, 96);
	snprintf(loc, 96, "/%s/%lld?done=saved#attachments", r->params[0], (long long)id);
	reply_redirect(r, w, loc);
}

/* POST /api/v1/{parent}/{id}/attachments: 201 and the new file's id. */
void h_api_attachment_create(struct req *r, struct resp *w)
{
	int64_t id = 0, aid = 0;
	struct err e;
	if (add(r, &id, &aid, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char *loc = arena_alloc(r->arena, 96);
	snprintf(loc, 96, "/api/v1/%s/%lld/attachments/%lld", r->params[0], (long long)id,
		 (long long)aid);
	resp_header(r, w, "Location", loc);
	reply_json(w, 201,
		   json_pack("{s:I,s:s,s:I,s:s}", "id", (json_int_t)aid, "parent", r->params[0],
			     "parent_id", (json_int_t)id, "url", loc));
}

void h_api_attachments_list(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[1]);
	json_t *items;
	struct err e;
	err_clear(&e);
	if (!id)
		err_set(&e, ERR_NOTFOUND, "id", "Không tìm thấy / not found");
	if (!id || attachment_list(r->st, &r->actor, r->params[0], id, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o}", "items", items));
}

/* GET /api/v1/{parent}/{id}/attachments/{attachment}: the file as a
 * download of its checked type; the name sent is not trusted for that. */
void h_api_attachment_get(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[1]), aid = public_id(r->params[2]);
	struct attachment f;
	struct err e;
	err_clear(&e);
	if (!id || !aid)
		err_set(&e, ERR_NOTFOUND, "id", "Không tìm thấy / not found");
	if (!id || !aid || attachment_get(r->st, &r->actor, r->params[0], id, aid, &f, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char name[272];
	attachment_download_name(f.name, f.content_type, name);
	reply_download(r, w, name, f.content_type, f.data, f.size);
	free(f.data);
}

static int remove_file(struct req *r, int64_t *id, struct err *e)
{
	err_clear(e);
	*id = public_id(r->params[1]);
	if (!*id)
		return err_set(e, ERR_NOTFOUND, "id", "Không tìm thấy / not found");
	/* The parent's rules first: the file's existence is told to those only. */
	return attachment_remove(r->st, &r->actor, r->params[0], *id, public_id(r->params[2]), e);
}

/* DELETE /api/v1/{parent}/{id}/attachments/{attachment}: 204. */
void h_api_attachment_delete(struct req *r, struct resp *w)
{
	int64_t id;
	struct err e;
	if (remove_file(r, &id, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	w->status = 204;
}

/* POST /{parent}/{id}/attachments/{attachment}/delete: the button on the
 * parent's page. */
void h_attachment_delete_post(struct req *r, struct resp *w)
{
	int64_t id;
	struct err e;
	if (remove_file(r, &id, &e) < 0) {
		page_error(r, w, err_http_status(e.code), e.message);
		return;
	}
	char *loc = arena_alloc(r->arena, 96);
	snprintf(loc, 96, "/%s/%lld?done=saved#attachments", r->params[0], (long long)id);
	reply_redirect(r, w, loc);
}

static int plain_byte(unsigned char c)
{
	return (c && strchr(".-_", c)) || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

/* The Content-Disposition of a download named name (RFC 6266): filename
 * with the name in plain ASCII (a letter without its marks, "ệ" -> "e";
 * anything else but digits and ".-_" -> "_") and, when that is not the
 * name itself, filename* with the name in UTF-8, percent-encoded (RFC 8187). */
static char *disposition(struct req *r, const char *name)
{
	struct buf cd = BUF_INIT;
	int plain = 1;
	buf_puts(&cd, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p;) {
		size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
		if (len == 1) {
			buf_printf(&cd, "%c", plain_byte(*p) ? *p : '_');
			plain &= plain_byte(*p);
			p++;
			continue;
		}
		char ch[5] = {0};
		for (size_t k = 0; k < len && p[k]; k++)
			ch[k] = (char)p[k];
		char *f = vtext_fold(ch);
		buf_printf(&cd, "%c", strlen(f) == 1 && plain_byte((unsigned char)*f) ? *f : '_');
		free(f);
		plain = 0;
		p += strlen(ch);
	}
	buf_puts(&cd, "\"");
	if (!plain) {
		buf_puts(&cd, "; filename*=UTF-8''");
		for (const unsigned char *p = (const unsigned char *)name; *p; p++)
			if (plain_byte(*p) || *p == '~')
				buf_printf(&cd, "%c", *p);
			else
				buf_printf(&cd, "%%%02X", *p);
	}
	char *out = arena_strdup(r->arena, buf_cstr(&cd));
	buf_free(&cd);
	return out;
}

void reply_download(struct req *r, struct resp *w, const char *name, const char *content_type,
		    const void *data, size_t size)
{
	resp_header(r, w, "Content-Disposition", disposition(r, name));
	/* X-Content-Type-Options: nosniff is on every answer (server.c). */
	resp_header(r, w, "Content-Security-Policy", "default-src 'none'; sandbox");
	resp_header(r, w, "Cache-Control", "private, max-age=0");
	w->content_type = arena_strdup(r->arena, content_type);
	buf_reset(&w->body);
	buf_append(&w->body, data, size);
	w->status = 200;
}
