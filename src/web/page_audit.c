/* page_audit.c - the audit trail as an administrator reads it: Vietnam's
 * time, what was changed and by whom in words, each changed field with its
 * label and its values before and after as the record page shows them, and a
 * link to the record. The API (/api/v1/audit) keeps the stored codes. */
#include "io/record_view.h"
#include "model/audit.h"
#include "model/entity.h"
#include "web/handlers.h"
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "2026-12-04T23:13:47Z" (UTC) as "05/12/2026 06:13" (Asia/Ho_Chi_Minh, UTC+7
 * without daylight saving since 1975); anything else as it is. */
static void local_time(struct buf *b, const char *iso)
{
	struct tm tm = {0};
	const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (!end) {
		buf_puts(b, iso ? iso : "");
		return;
	}
	time_t t = timegm(&tm) + 7 * 3600;
	gmtime_r(&t, &tm);
	char s[24];
	strftime(s, sizeof s, "%d/%m/%Y %H:%M", &tm);
	buf_puts(b, s);
}

/* What the trail names things that are not record types. */
static const struct {
	const char *code, *vi, *en;
} others[] = {
	{"user", "Tài khoản", "Account"},
	{"session", "Phiên đăng nhập", "Session"},
	{"product-photos", "Ảnh sản phẩm", "Product photo"},
	{"reporting_periods", "Kỳ báo cáo", "Reporting period"},
	{"document_settings", "Thiết lập văn bản báo cáo", "Report document settings"},
	{"preaggregates", "Bảng tổng hợp sẵn của thống kê", "Statistics pre-aggregates"},
};

static const struct {
	const char *code, *vi, *en;
} actions[] = {
	{"create", "Tạo mới", "Created"},
	{"update", "Sửa", "Changed"},
	{"delete", "Xóa", "Deleted"},
	{"transition", "Chuyển bước", "Moved to a new step"},
	{"login", "Đăng nhập", "Logged in"},
	{"logout", "Đăng xuất", "Logged out"},
	{"login_failed", "Đăng nhập sai", "Failed login"},
	{"disable", "Khóa tài khoản", "Account disabled"},
	{"enable", "Mở khóa tài khoản", "Account enabled"},
	{"password", "Đổi mật khẩu", "Password changed"},
	{"rebuild", "Tính lại từ hồ sơ", "Rebuilt from the records"},
};

static const char *entity_words(struct req *r, const char *code)
{
	int en = !strcmp(r->lang, "en");
	const struct entity *ent = code ? entity_find(code) : NULL;
	if (ent)
		return en ? ent->en : ent->vi;
	for (size_t i = 0; code && i < sizeof others / sizeof *others; i++)
		if (!strcmp(code, others[i].code))
			return en ? others[i].en : others[i].vi;
	return code ? code : "";
}

static const char *action_words(struct req *r, const char *code)
{
	for (size_t i = 0; code && i < sizeof actions / sizeof *actions; i++)
		if (!strcmp(code, actions[i].code))
			return !strcmp(r->lang, "en") ? actions[i].en : actions[i].vi;
	return code ? code : "";
}

/* The reading of value v of key in a change: as the record page reads the
 * field when it is one, else the plain value; "—" for none. */
static void value_words(struct req *r, struct buf *b, const struct field *f, json_t *obj,
			const char *key)
{
	json_t *v = json_object_get(obj, key);
	size_t before = b->len;
	if (f && v && !json_is_null(v))
		view_text(b, f, obj, r->lang);
	if (b->len > before)
		return;
	if (!v || json_is_null(v))
		buf_puts(b, "—");
	else if (json_is_string(v))
		buf_puts(b, json_string_value(v));
	else {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		buf_puts(b, s ? s : "");
		free(s);
	}
}

/* One line per changed field: "Tên cơ sở: Cũ → Mới". */
static void changes(struct req *r, struct resp *w, json_t *a)
{
	json_t *before = json_object_get(a, "before"), *after = json_object_get(a, "after");
	json_t *keys = json_object();
	json_object_update(keys, json_is_object(before) ? before : NULL);
	json_object_update(keys, json_is_object(after) ? after : NULL);
	if (!json_object_size(keys)) {
		page_printf(w, "—");
		json_decref(keys);
		return;
	}
	const struct entity *ent = entity_find(json_string_value(json_object_get(a, "entity")) ?: "");
	int en = !strcmp(r->lang, "en");
	page_printf(w, "<dl class=\"changes\">");
	struct buf b = BUF_INIT;
	const char *k;
	json_t *v;
	json_object_foreach(keys, k, v)
	{
		/* A record made or deleted: the fields it had, not its empty ones. */
		json_t *only = !json_is_object(before) ? after : !json_is_object(after) ? before : NULL;
		json_t *val = only ? json_object_get(only, k) : NULL;
		if (only && (!val || json_is_null(val)))
			continue;
		const struct field *f = ent ? entity_field(ent, k) : NULL;
		page_printf(w, "<dt>%h</dt><dd>", f ? (en ? f->en : f->vi) : k);
		buf_reset(&b);
		if (json_is_object(before)) {
			value_words(r, &b, f, before, k);
			buf_puts(&b, " → ");
		}
		value_words(r, &b, f, after, k);
		page_printf(w, "%h</dd>", buf_cstr(&b));
	}
	page_printf(w, "</dl>");
	buf_free(&b);
	json_decref(keys);
}

static void audit_row(struct req *r, struct resp *w, json_t *a)
{
	const char *entity = json_string_value(json_object_get(a, "entity"));
	const char *id = json_string_value(json_object_get(a, "entity_id"));
	const char *action = json_string_value(json_object_get(a, "action"));
	struct buf t = BUF_INIT;
	local_time(&t, json_string_value(json_object_get(a, "at")));
	page_printf(w, "<tr><td>%h</td><td>%h</td><td>%h</td><td>", buf_cstr(&t),
		    json_string_value(json_object_get(a, "username")), entity_words(r, entity));
	buf_free(&t);
	if (entity && entity_find(entity) && action && strcmp(action, "delete"))
		page_printf(w, "<a href=\"/%t/%t\">#%h</a>", entity, id, id);
	else
		page_printf(w, "%h", id);
	page_printf(w, "</td><td>%h</td><td>", action_words(r, action));
	changes(r, w, a);
	page_printf(w, "</td></tr>");
}

void audit_recent(struct req *r, struct resp *w, int limit)
{
	/* Changes, not the sessions: fetch some more to leave those out. */
	struct audit_filter f = {.limit = limit * 3};
	if (!actor_is_admin(&r->actor))
		f.username = r->actor.username;
	json_t *rows;
	int64_t total;
	struct err e;
	if (audit_list(r->st, &r->actor, &f, &rows, &total, &e) < 0)
		return;
	page_printf(w, "<ul class=\"recent\" id=\"recent-changes\">");
	int shown = 0;
	size_t i;
	json_t *a;
	json_array_foreach(rows, i, a)
	{
		const char *entity = json_string_value(json_object_get(a, "entity"));
		const char *id = json_string_value(json_object_get(a, "entity_id"));
		const char *action = json_string_value(json_object_get(a, "action"));
		if (shown >= limit || (entity && !strcmp(entity, "session")))
			continue;
		struct buf t = BUF_INIT;
		local_time(&t, json_string_value(json_object_get(a, "at")));
		page_printf(w, "<li><span class=\"muted\">%h · %h</span> %h: %h ", buf_cstr(&t),
			    json_string_value(json_object_get(a, "username")),
			    action_words(r, action), entity_words(r, entity));
		buf_free(&t);
		if (entity && entity_find(entity) && action && strcmp(action, "delete"))
			page_printf(w, "<a href=\"/%t/%t\">#%h</a></li>", entity, id, id);
		else
			page_printf(w, "#%h</li>", id);
		shown++;
	}
	if (!shown)
		page_printf(w, "<li>%h</li>", T(r, "home.no_changes"));
	page_printf(w, "</ul>");
	json_decref(rows);
}

static void audit_filter_form(struct req *r, struct resp *w, const struct audit_filter *f)
{
	page_printf(w,
	            "<form method=\"get\" action=\"/admin/audit\" class=\"filters\">"
	            "<label>%h<input name=\"entity\" value=\"%h\"></label>"
	            "<label>%h<input name=\"username\" value=\"%h\"></label>"
	            "<label>%h<input name=\"action\" value=\"%h\"></label>"
	            "<label>%h<input name=\"from\" type=\"date\" value=\"%h\"></label>"
	            "<label>%h<input name=\"to\" type=\"date\" value=\"%h\"></label>"
	            "<button type=\"submit\">%h</button></form>",
	            T(r, "audit.entity"), f->entity, T(r, "audit.user"), f->username,
	            T(r, "audit.action"), f->action, T(r, "audit.from"), f->from, T(r, "audit.to"),
	            f->to, T(r, "audit.filter"));
}

static void audit_pager(struct req *r, struct resp *w, const struct audit_filter *f, int64_t page,
                        int64_t total)
{
	page_printf(w, "<p class=\"pager\">%h: %lld", T(r, "list.total"), (long long)total);
	const char *keys[] = {"entity", "username", "action", "from", "to"};
	const char *vals[] = {f->entity, f->username, f->action, f->from, f->to};
	struct buf q = BUF_INIT;
	for (size_t i = 0; i < 5; i++)
		if (vals[i])
			buf_printf(&q, "&%s=%t", keys[i], vals[i]);
	if (page > 1)
		page_printf(w, " · <a href=\"/admin/audit?page=%lld%h\">%h</a>", (long long)(page - 1),
		            buf_cstr(&q), T(r, "list.prev"));
	if (page * f->limit < total)
		page_printf(w, " · <a href=\"/admin/audit?page=%lld%h\">%h</a>", (long long)(page + 1),
		            buf_cstr(&q), T(r, "list.next"));
	page_printf(w, "</p>");
	buf_free(&q);
}

void h_audit_page(struct req *r, struct resp *w)
{
	struct audit_filter f;
	int64_t page, total;
	if (audit_filter_or_reply(r, w, &f, &page) < 0)
		return;
	/* A date typed in the form covers the whole "to" day. */
	if (f.to && strlen(f.to) == 10)
		f.to = arena_strdup(r->arena, strcat(strcpy(arena_alloc(r->arena, 16), f.to), "T99"));
	struct err e;
	json_t *rows;
	if (audit_list(r->st, &r->actor, &f, &rows, &total, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	if (f.to && strlen(f.to) == 13)
		f.to = arena_strndup(r->arena, f.to, 10);
	page_begin(r, w, "audit.title");
	audit_filter_form(r, w, &f);
	page_printf(w, "<div class=\"scroll\"><table id=\"audit\"><thead><tr><th>%h</th><th>%h</th>"
	               "<th>%h</th><th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
	            T(r, "audit.at"), T(r, "audit.user"), T(r, "audit.entity"),
	            T(r, "audit.entity_id"), T(r, "audit.action"), T(r, "audit.changes"));
	size_t i;
	json_t *a;
	json_array_foreach(rows, i, a) audit_row(r, w, a);
	if (!json_array_size(rows))
		page_printf(w, "<tr><td colspan=\"6\">%h</td></tr>", T(r, "list.empty"));
	page_printf(w, "</tbody></table></div>");
	json_decref(rows);
	audit_pager(r, w, &f, page, total);
	page_end(r, w);
}

