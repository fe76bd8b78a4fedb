/* user.c - accounts and their audited changes. */
#include "model/user.h"

#include "core/clock.h"
#include "core/secret.h"
#include "model/audit.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define USER_COLS                                                                         \
	"SELECT u.id, u.username, u.display_name, u.role, COALESCE(u.province_code, '')," \
	" COALESCE(u.establishment_id, 0), u.disabled, u.lang, u.version, u.created_at,"  \
	" u.updated_at, u.password_hash"
static const char user_cols[] = USER_COLS " FROM users u";

static void user_from_row(struct stmt *s, struct user *u)
{
	memset(u, 0, sizeof *u);
	u->id = stmt_int(s, 0);
	snprintf(u->username, sizeof u->username, "%s", stmt_text(s, 1));
	snprintf(u->display_name, sizeof u->display_name, "%s", stmt_text(s, 2));
	u->role = (enum role)role_parse(stmt_text(s, 3));
	snprintf(u->province, sizeof u->province, "%s", stmt_text(s, 4));
	u->establishment_id = stmt_int(s, 5);
	u->disabled = (int)stmt_int(s, 6);
	snprintf(u->lang, sizeof u->lang, "%s", stmt_text(s, 7));
	u->version = stmt_int(s, 8);
	snprintf(u->created_at, sizeof u->created_at, "%s", stmt_text(s, 9));
	snprintf(u->updated_at, sizeof u->updated_at, "%s", stmt_text(s, 10));
}

static int user_fetch(struct store *st, const char *sql, const char *name, int64_t id,
                      struct user *u, char *hash, size_t hash_size, struct err *e)
{
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	if (name)
		stmt_bind(s, "t", name);
	else
		stmt_bind(s, "i", id);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		user_from_row(s, u);
		if (hash)
			snprintf(hash, hash_size, "%s", stmt_text(s, 11));
	}
	stmt_done(s);
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "username", "Không có tài khoản này / no such account");
	return rc < 0 ? rc : 0;
}

static const char *by_name_sql(void)
{
	static char sql[400];
	if (!sql[0])
		snprintf(sql, sizeof sql, "%s WHERE u.username = ?", user_cols);
	return sql;
}

static const char *by_id_sql(void)
{
	static char sql[400];
	if (!sql[0])
		snprintf(sql, sizeof sql, "%s WHERE u.id = ?", user_cols);
	return sql;
}

int user_get_by_name(struct store *st, const char *username, struct user *u, struct err *e)
{
	return user_fetch(st, by_name_sql(), username, 0, u, NULL, 0, e);
}

int user_get(struct store *st, int64_t id, struct user *u, struct err *e)
{
	return user_fetch(st, by_id_sql(), NULL, id, u, NULL, 0, e);
}

int user_get_by_session(struct store *st, const char *token_hash, struct user *u,
			struct user_session *out, struct err *e)
{
	/* One statement: each request of a logged-in user starts with it. */
	struct stmt *s =
		store_prepare(st,
			      USER_COLS ", s.csrf, s.created_at, s.last_seen FROM sessions s"
					" JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", token_hash);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		user_from_row(s, u);
		snprintf(out->csrf, sizeof out->csrf, "%s", stmt_text(s, 12));
		out->created = stmt_int(s, 13);
		out->seen = stmt_int(s, 14);
	}
	stmt_done(s);
	if (rc == 0)
		return ERR_NOTFOUND;
	return rc < 0 ? rc : 0;
}

json_t *user_json(const struct user *u)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:b,s:s,s:I,s:s,s:s}", "id", (json_int_t)u->id,
	                      "username", u->username, "display_name", u->display_name, "role",
	                      role_name(u->role), "disabled", u->disabled, "lang", u->lang, "version",
	                      (json_int_t)u->version, "created_at", u->created_at, "updated_at",
	                      u->updated_at);
	json_object_set_new(o, "province", u->province[0] ? json_string(u->province) : json_null());
	json_object_set_new(o, "establishment_id",
	                    u->establishment_id ? json_integer(u->establishment_id) : json_null());
	return o;
}

static int username_ok(const char *s, struct err *e)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || n > USERNAME_MAX)
		return err_set(e, ERR_INVALID, "username",
		               "Tên đăng nhập cần 3–%d ký tự / the username needs 3-%d characters",
		               USERNAME_MAX, USERNAME_MAX);
	for (const char *p = s; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || strchr("._-", *p)))
			return err_set(e, ERR_INVALID, "username",
			               "Tên đăng nhập chỉ gồm a-z, 0-9, dấu . _ - / the username may hold "
			               "only a-z, 0-9, '.', '_' and '-'");
	return 0;
}

static int province_code_ok(const char *s)
{
	return s && strlen(s) == 2 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]);
}

static int scope_ok(int role, const struct user_input *in, struct err *e)
{
	if (role < 0)
		return err_set(e, ERR_INVALID, "role",
		               "Vai trò không hợp lệ / role must be one of admin, ministry, province, "
		               "establishment, viewer");
	int needs_province = role == ROLE_PROVINCE;
	int has_province = in->province && in->province[0];
	if ((needs_province || has_province) && !province_code_ok(in->province))
		return err_set(e, ERR_INVALID, "province",
		               "Cần mã tỉnh 2 chữ số / a two-digit province code is required");
	if (has_province && role != ROLE_PROVINCE && role != ROLE_VIEWER)
		return err_set(e, ERR_INVALID, "province",
		               "Chỉ vai trò province và viewer gắn với tỉnh / only province and viewer "
		               "accounts have a province");
	if (role == ROLE_ESTABLISHMENT && in->establishment_id <= 0)
		return err_set(e, ERR_INVALID, "establishment_id",
		               "Cần cơ sở cho tài khoản cơ sở / an establishment account needs its "
		               "establishment");
	return 0;
}

int user_add(struct store *st, const struct actor *a, const struct user_input *in,
             const char *password, int64_t *id, struct err *e)
{
	if (!actor_is_admin(a))
		return err_set(e, ERR_FORBIDDEN, "", "Chỉ quản trị viên tạo tài khoản / admins only");
	int rc = username_ok(in->username, e);
	int role = role_parse(in->role);
	if (rc == 0)
		rc = scope_ok(role, in, e);
	char hash[128];
	if (rc == 0)
		rc = secret_password_hash(password, hash, e);
	if (rc < 0)
		return rc;
	char now[21];
	clock_iso(clock_now(), now);
	const char *prov = in->province && in->province[0] ? in->province : NULL;
	if ((rc = store_begin(st, e)) < 0)
		return rc;
	rc = store_run(st, e,
	               "INSERT INTO users(username, display_name, role, province_code, establishment_id,"
	               " password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	               "tttt" "i" "ttt", in->username, in->display_name ? in->display_name : "", in->role,
	               prov, in->establishment_id, hash, now, now);
	if (rc == ERR_CONFLICT)
		err_set(e, ERR_CONFLICT, "username", "Tên đăng nhập đã có / the username is taken");
	struct user u;
	if (rc >= 0)
		rc = user_get(st, store_last_id(st), &u, e);
	if (rc >= 0) {
		char idtext[24];
		snprintf(idtext, sizeof idtext, "%lld", (long long)u.id);
		json_t *after = user_json(&u);
		rc = audit_append(st, a, "user", idtext, "create", NULL, after, e);
		json_decref(after);
	}
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	if (id)
		*id = u.id;
	return store_commit(st, e);
}

int user_list(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	if (!actor_is_admin(a))
		return err_set(e, ERR_FORBIDDEN, "", "Chỉ quản trị viên / admins only");
	static char sql[400];
	if (!sql[0])
		snprintf(sql, sizeof sql, "%s ORDER BY username", user_cols);
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		struct user u;
		user_from_row(s, &u);
		json_array_append_new(arr, user_json(&u));
	}
	stmt_done(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

/* Applies one audited change to an account inside a transaction. */
static int user_change(struct store *st, const struct actor *a, const char *username,
                       const char *action, const char *sql, const char *types, const char *text,
                       int64_t num, int end_sessions, struct err *e)
{
	struct user before, after;
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	rc = user_get_by_name(st, username, &before, e);
	char now[21];
	clock_iso(clock_now(), now);
	if (rc == 0) {
		if (types[0] == 't')
			rc = store_run(st, e, sql, "tti", text, now, before.id);
		else
			rc = store_run(st, e, sql, "iti", num, now, before.id);
	}
	if (rc >= 0 && end_sessions)
		rc = store_run(st, e, "DELETE FROM sessions WHERE user_id = ?", "i", before.id);
	if (rc >= 0)
		rc = user_get(st, before.id, &after, e);
	if (rc >= 0) {
		char idtext[24];
		snprintf(idtext, sizeof idtext, "%lld", (long long)before.id);
		json_t *b = user_json(&before), *af = user_json(&after);
		if (!strcmp(action, "passwd")) /* the hash never enters the trail */
			json_object_set_new(af, "password", json_string("(changed)"));
		rc = audit_append(st, a, "user", idtext, action, b, af, e);
		json_decref(b);
		json_decref(af);
	}
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int user_set_password(struct store *st, const struct actor *a, const char *username,
                      const char *password, struct err *e)
{
	if (!actor_is_admin(a) && strcmp(a->username, username) != 0)
		return err_set(e, ERR_FORBIDDEN, "", "Không được đổi mật khẩu người khác / forbidden");
	char hash[128];
	int rc = secret_password_hash(password, hash, e);
	if (rc < 0)
		return rc;
	return user_change(st, a, username, "passwd",
	                   "UPDATE users SET password_hash = ?, updated_at = ?, version = version + 1"
	                   " WHERE id = ?",
	                   "t", hash, 0, 1, e);
}

int user_set_disabled(struct store *st, const struct actor *a, const char *username, int disabled,
                      struct err *e)
{
	if (!actor_is_admin(a))
		return err_set(e, ERR_FORBIDDEN, "", "Chỉ quản trị viên / admins only");
	if (disabled && !strcmp(a->username, username))
		return err_set(e, ERR_CONFLICT, "username",
		               "Không thể tự khóa tài khoản mình / you cannot disable your own account");
	return user_change(st, a, username, disabled ? "disable" : "enable",
	                   "UPDATE users SET disabled = ?, updated_at = ?, version = version + 1"
	                   " WHERE id = ?",
	                   "i", NULL, disabled ? 1 : 0, disabled, e);
}

int user_set_lang(struct store *st, const struct actor *a, const char *lang, struct err *e)
{
	if (!lang || (strcmp(lang, "vi") && strcmp(lang, "en")))
		return err_set(e, ERR_INVALID, "lang", "Ngôn ngữ là vi hoặc en / lang is vi or en");
	return user_change(st, a, a->username, "update",
	                   "UPDATE users SET lang = ?, updated_at = ?, version = version + 1 WHERE id = ?",
	                   "t", lang, 0, 0, e);
}

void user_actor(const struct user *u, const char *addr, struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->user_id = u->id;
	snprintf(a->username, sizeof a->username, "%s", u->username);
	a->role = u->role;
	snprintf(a->province, sizeof a->province, "%s", u->province);
	a->establishment_id = u->establishment_id;
	snprintf(a->addr, sizeof a->addr, "%s", addr ? addr : "");
	snprintf(a->lang, sizeof a->lang, "%s", u->lang);
}

int user_change_own_password(struct store *st, const struct actor *a, const char *current,
                             const char *password, struct err *e)
{
	if (!current || !*current)
		return err_set(e, ERR_INVALID, "current_password",
		               "Hãy nhập mật khẩu hiện tại / the current password is required");
	struct user u;
	int rc = user_check_password(st, a->username, current, &u, e);
	if (rc == ERR_AUTH)
		return err_set(e, ERR_INVALID, "current_password",
		               "Mật khẩu hiện tại không đúng / the current password is wrong");
	if (rc < 0)
		return rc;
	return user_set_password(st, a, a->username, password, e);
}

int user_check_password(struct store *st, const char *username, const char *password,
                        struct user *u, struct err *e)
{
	char hash[160] = "";
	struct err ignore;
	int rc = user_fetch(st, by_name_sql(), username ? username : "", 0, u, hash, sizeof hash,
	                    &ignore);
	if (rc == ERR_STORE)
		return err_set(e, ERR_STORE, "", "%s", ignore.message);
	/* Verify even for unknown names so timing does not reveal which exist. */
	int ok = secret_password_verify(rc == 0 ? hash : secret_dummy_hash(), password);
	if (rc != 0 || !ok || u->disabled)
		return err_set(e, ERR_AUTH, "password",
		               "Sai tên đăng nhập hoặc mật khẩu / wrong username or password");
	return 0;
}
