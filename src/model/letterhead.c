/* letterhead.c - the document settings of the periodic report: one row per
 * field that someone set (table document_settings), defaults for the rest. */
#include "model/letterhead.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/vtext.h"
#include "model/audit.h"

#include <stdlib.h>
#include <string.h>

const struct letterhead_field letterhead_fields[] = {
	{"parent_body", "Cơ quan chủ quản", "Governing body", 200, 0},
	{"issuing_body", "Cơ quan ban hành", "Issuing body", 200, 0},
	{"symbol", "Ký hiệu văn bản (sau số)", "Document symbol (after the number)", 40, 0},
	{"place", "Địa danh", "Place", 60, 0},
	{"addressee", "Kính gửi (mỗi dòng một nơi)", "To (one a line)", 1000, 1},
	{"recipients", "Nơi nhận (mỗi dòng một nơi)", "Copies to (one a line)", 2000, 1},
	{"signer_authority", "Thẩm quyền ký (KT., TL., TM.; để trống khi ký thay mặt chính mình)",
	 "Signing authority (KT., TL., TM.; empty when signing in one's own name)", 100, 0},
	{"signer_title", "Chức vụ người ký", "Signer's title", 100, 0},
	{"signer_name", "Họ tên người ký", "Signer's name", 100, 0},
	{0},
};

static const struct letterhead_field *field_of(const char *key)
{
	for (const struct letterhead_field *f = letterhead_fields; f->key; f++)
		if (!strcmp(f->key, key))
			return f;
	return NULL;
}

/* The full name ("Tỉnh Hưng Yên") and the name ("Hưng Yên") of today's
 * province code into *full and *name (malloc'd); 0 when there is none. */
static int province_names(struct store *st, const char *code, char **full, char **name,
			  struct err *e)
{
	struct stmt *s = store_prepare(st,
				       "SELECT full_name, name FROM units WHERE era = 'new'"
				       " AND level = 'province' AND code = ?",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", code);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		*full = xstrdup(stmt_text(s, 0));
		*name = xstrdup(stmt_text(s, 1));
	}
	stmt_done(s);
	return rc;
}

/* The defaults of the ministry's department of khuyến công (since 2025 the
 * Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công). */
static void national_defaults(json_t *o)
{
	json_object_set_new(o, "parent_body", json_string("BỘ CÔNG THƯƠNG"));
	json_object_set_new(o, "issuing_body",
			    json_string("CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG"));
	json_object_set_new(o, "symbol", json_string("BC-ĐMST"));
	json_object_set_new(o, "place", json_string("Hà Nội"));
	json_object_set_new(o, "addressee", json_string("Lãnh đạo Bộ Công Thương"));
	json_object_set_new(o, "recipients", json_string("Như trên;\nLưu: VT, ĐMST."));
	json_object_set_new(o, "signer_authority", json_string("KT. CỤC TRƯỞNG"));
	json_object_set_new(o, "signer_title", json_string("PHÓ CỤC TRƯỞNG"));
}

/* A Department of Industry and Trade reporting to the ministry: full is the
 * province's full name ("Tỉnh Hưng Yên", "Thành phố Hà Nội"), place its name. */
static void province_defaults(json_t *o, const char *full, const char *place)
{
	const char *kind = !strncmp(full, "Thành phố", strlen("Thành phố")) ? "thành phố" : "tỉnh";
	struct buf b = BUF_INIT;
	char *up = vtext_upper(full);
	buf_printf(&b, "ỦY BAN NHÂN DÂN %s", up);
	free(up);
	json_object_set_new(o, "parent_body", json_string(buf_cstr(&b)));
	json_object_set_new(o, "issuing_body", json_string("SỞ CÔNG THƯƠNG"));
	json_object_set_new(o, "symbol", json_string("BC-SCT"));
	json_object_set_new(o, "place", json_string(place));
	json_object_set_new(o, "addressee",
			    json_string("Bộ Công Thương (Cục Đổi mới sáng tạo, Chuyển đổi xanh và "
					"Khuyến công)"));
	buf_reset(&b);
	buf_printf(&b, "Như trên;\nỦy ban nhân dân %s (để báo cáo);\nLưu: VT, KC.", kind);
	json_object_set_new(o, "recipients", json_string(buf_cstr(&b)));
	json_object_set_new(o, "signer_authority", json_string("KT. GIÁM ĐỐC"));
	json_object_set_new(o, "signer_title", json_string("PHÓ GIÁM ĐỐC"));
	buf_free(&b);
}

static int may_read(const struct actor *a, const char *scope)
{
	return !strcmp(scope, "national") ? a->role != ROLE_ESTABLISHMENT
					  : actor_can_read_province(a, scope);
}

static int may_write(const struct actor *a, const char *scope)
{
	if (actor_is_admin(a))
		return 1;
	if (!strcmp(scope, "national"))
		return a->role == ROLE_MINISTRY;
	return a->role == ROLE_PROVINCE && !strcmp(a->province, scope);
}

/* Defaults of scope into o; ERR_NOTFOUND for an unknown province. */
static int defaults(struct store *st, const char *scope, json_t *o, struct err *e)
{
	for (const struct letterhead_field *f = letterhead_fields; f->key; f++)
		json_object_set_new(o, f->key, json_string(""));
	if (!strcmp(scope, "national")) {
		national_defaults(o);
		return 0;
	}
	char *full = NULL, *name = NULL;
	int rc = vtext_is_digits(scope) ? province_names(st, scope, &full, &name, e) : 0;
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "scope",
			       "Không có tỉnh mã %s (mã hiện nay, hoặc national) / no province "
			       "coded %s (today's code, or national)",
			       scope, scope);
	province_defaults(o, full, name);
	free(full);
	free(name);
	return 0;
}

/* The fields someone set, as an object. */
static int custom_of(struct store *st, const char *scope, json_t **out, struct err *e)
{
	struct stmt *s = store_prepare(
		st, "SELECT field, value FROM document_settings WHERE scope = ? ORDER BY field", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", scope);
	json_t *o = json_object();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		if (field_of(stmt_text(s, 0)))
			json_object_set_new(o, stmt_text(s, 0), json_string(stmt_text(s, 1)));
	stmt_done(s);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int letterhead_get(struct store *st, const struct actor *a, const char *scope, json_t **out,
                   struct err *e)
{
	if (!may_read(a, scope))
		return err_set(e, ERR_FORBIDDEN, "scope", "Ngoài phạm vi của bạn / outside your scope");
	json_t *o = json_object(), *custom = NULL;
	int rc = defaults(st, scope, o, e);
	if (rc == 0)
		rc = custom_of(st, scope, &custom, e);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	json_object_update(o, custom);
	json_t *keys = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(custom, k, v) json_array_append_new(keys, json_string(k));
	json_decref(custom);
	json_object_set_new(o, "scope", json_string(scope));
	json_object_set_new(o, "custom", keys);
	*out = o;
	return 0;
}

/* The value of in[f] made fit to store: NULL for "back to the default". */
static int clean_value(const struct letterhead_field *f, json_t *v, char **out, struct err *e)
{
	*out = NULL;
	if (json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return err_set(e, ERR_INVALID, f->key, "Phải là chuỗi / must be a string");
	char *s = vtext_normalize(json_string_value(v), f->key, e);
	if (!s)
		return ERR_INVALID;
	if (strlen(s) > f->max || (!f->lines && strpbrk(s, "\n\t"))) {
		int rc = err_set(e, ERR_INVALID, f->key,
				 "%s: tối đa %zu byte, %s / at most %zu bytes, %s", f->vi, f->max,
				 f->lines ? "mỗi dòng một nơi" : "một dòng", f->max,
				 f->lines ? "one entry a line" : "one line");
		free(s);
		return rc;
	}
	if (!*s) {
		free(s);
		return 0;
	}
	*out = s;
	return 0;
}

static int write_field(struct store *st, const char *scope, const char *key, const char *value,
		       const char *now, struct err *e)
{
	int rc = store_run(st, e, "DELETE FROM document_settings WHERE scope = ? AND field = ?",
			   "tt", scope, key);
	if (rc >= 0 && value)
		rc = store_run(st, e,
			       "INSERT INTO document_settings (scope, field, value, updated_at)"
			       " VALUES (?, ?, ?, ?)",
			       "tttt", scope, key, value, now);
	return rc < 0 ? rc : 0;
}

static int check_keys(json_t *in, struct err *e)
{
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, "", "Cần một đối tượng JSON / a JSON object is needed");
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v)
	{
		if (!field_of(k))
			return err_set(e, ERR_INVALID, k,
				       "Không có trường %s trong thiết lập văn bản / no field %s "
				       "in the document settings",
				       k, k);
	}
	return 0;
}

/* Writes the fields of in and the audit row, inside the caller's transaction. */
static int apply(struct store *st, const struct actor *a, const char *scope, json_t *in,
		 json_t *before, struct err *e)
{
	char now[21];
	clock_iso(clock_now(), now);
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v)
	{
		char *value;
		int rc = clean_value(field_of(k), v, &value, e);
		if (rc == 0)
			rc = write_field(st, scope, k, value, now, e);
		free(value);
		if (rc < 0)
			return rc;
	}
	json_t *after = NULL;
	int rc = letterhead_get(st, a, scope, &after, e);
	if (rc == 0)
		rc = audit_append(st, a, "document_settings", scope, "update", before, after, e);
	json_decref(after);
	return rc;
}

int letterhead_set(struct store *st, const struct actor *a, const char *scope, json_t *in,
                   struct err *e)
{
	if (!may_write(a, scope))
		return err_set(e, ERR_FORBIDDEN, "scope",
			       "Chỉ quản trị viên, Bộ (cho văn bản của Bộ) hoặc cán bộ của tỉnh "
			       "sửa được / only admins, the ministry (its own) or the province's "
			       "officers may change these");
	json_t *before;
	int rc = check_keys(in, e);
	if (rc == 0)
		rc = letterhead_get(st, a, scope, &before, e);
	if (rc < 0)
		return rc;
	if ((rc = store_begin(st, e)) == 0) {
		rc = apply(st, a, scope, in, before, e);
		if (rc < 0)
			store_rollback(st);
		else
			rc = store_commit(st, e);
	}
	json_decref(before);
	return rc;
}
