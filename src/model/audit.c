/* audit.c - audit rows: who, when, what, and the fields before and after. */
#include "model/audit.h"

#include "core/clock.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keeps in *b and *a only the keys whose values differ (updates). */
static void diff_fields(json_t *before, json_t *after, json_t **b_out, json_t **a_out)
{
	json_t *b = json_object(), *a = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(after, key, v) {
		json_t *old = json_object_get(before, key);
		if (!old || !json_equal(old, v)) {
			json_object_set(a, key, v);
			json_object_set(b, key, old ? old : json_null());
		}
	}
	json_object_foreach(before, key, v) {
		if (!json_object_get(after, key)) {
			json_object_set(b, key, v);
			json_object_set(a, key, json_null());
		}
	}
	*b_out = b;
	*a_out = a;
}

static char *dump_or_null(json_t *j)
{
	return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

int audit_append(struct store *st, const struct actor *a, const char *entity, const char *entity_id,
                 const char *action, json_t *before, json_t *after, struct err *e)
{
	json_t *b = before, *af = after;
	int diffed = 0;
	if (before && after) {
		diff_fields(before, after, &b, &af);
		diffed = 1;
	}
	char *bs = dump_or_null(b), *as = dump_or_null(af);
	char at[21];
	clock_iso(clock_now(), at);
	int rc = store_run(st, e,
	                   "INSERT INTO audit(at, user_id, username, addr, entity, entity_id, action,"
	                   " before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                   "tittttttt", at, a->user_id, a->username, a->addr,
	                   entity, entity_id, action, bs, as);
	/* user_id 0 (the command line) is stored as 0: no account row backs it. */
	free(bs);
	free(as);
	if (diffed) {
		json_decref(b);
		json_decref(af);
	}
	return rc < 0 ? rc : 0;
}

int audit_append_many(struct store *st, const struct actor *a, const char *entity,
		      const char *action, size_t n, const int64_t *ids, char *const *after,
		      struct err *e)
{
	static const char head[] = "INSERT INTO audit(at, user_id, username, addr, entity, "
				   "entity_id, action, before_json, after_json) VALUES ";
	struct buf sql = BUF_INIT;
	buf_puts(&sql, head);
	for (size_t i = 0; i < n; i++)
		buf_puts(&sql,
			 i ? ", (?, ?, ?, ?, ?, ?, ?, NULL, ?)" : "(?, ?, ?, ?, ?, ?, ?, NULL, ?)");
	/* A batch of the usual size has one text, prepared once. */
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	char at[21];
	clock_iso(clock_now(), at);
	int pos = 1;
	for (size_t i = 0; i < n; i++) {
		char idtext[24];
		snprintf(idtext, sizeof idtext, "%lld", (long long)ids[i]);
		stmt_bind_text(s, pos++, at);
		stmt_bind_int(s, pos++, a->user_id);
		stmt_bind_text(s, pos++, a->username);
		stmt_bind_text(s, pos++, a->addr);
		stmt_bind_text(s, pos++, entity);
		stmt_bind_text(s, pos++, idtext);
		stmt_bind_text(s, pos++, action);
		stmt_bind_text(s, pos++, after[i]);
	}
	int rc = stmt_step(s, e);
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

static json_t *parse_or_null(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_loads(s, 0, NULL);
	return j ? j : json_string(s);
}

static const char audit_where[] =
	" WHERE (? IS NULL OR entity = ?) AND (? IS NULL OR entity_id = ?)"
	" AND (? IS NULL OR username = ?) AND (? IS NULL OR action = ?)"
	" AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?)";

static void bind_filter(struct stmt *s, const struct audit_filter *f)
{
	stmt_bind(s, "tttttttttttt", f->entity, f->entity, f->entity_id, f->entity_id, f->username,
	          f->username, f->action, f->action, f->from, f->from, f->to, f->to);
}

/* The columns read_rows reads, from the table. */
#define AUDIT_ROWS                                                                        \
	"SELECT id, at, user_id, username, addr, entity, entity_id, action, before_json," \
	" after_json FROM audit"

static int admins_only(struct err *e)
{
	return err_set(e, ERR_FORBIDDEN, "", "Chỉ quản trị viên xem được nhật ký / admins only");
}

/* The rows of s (AUDIT_ROWS) as a JSON array in *rows; finishes s. */
static int read_rows(struct stmt *s, json_t **rows, struct err *e)
{
	int rc;
	json_t *arr = json_array();
	while ((rc = stmt_step(s, e)) == 1) {
		json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "id",
				      (json_int_t)stmt_int(s, 0), "at", stmt_text(s, 1), "user_id",
				      (json_int_t)stmt_int(s, 2), "username", stmt_text(s, 3),
				      "addr", stmt_text(s, 4), "entity", stmt_text(s, 5),
				      "entity_id", stmt_text(s, 6), "action", stmt_text(s, 7));
		json_object_set_new(o, "before", parse_or_null(stmt_text(s, 8)));
		json_object_set_new(o, "after", parse_or_null(stmt_text(s, 9)));
		json_array_append_new(arr, o);
	}
	stmt_done(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*rows = arr;
	return 0;
}

int audit_list(struct store *st, const struct actor *a, const struct audit_filter *f, json_t **rows,
               int64_t *total, struct err *e)
{
	/* Anyone reads their own rows (the home page's recent changes). */
	int own = f->username && !strcmp(f->username, a->username);
	if (!actor_is_admin(a) && !own)
		return admins_only(e);
	static char count_sql[512], list_sql[768];
	if (!count_sql[0]) {
		/* Built once from constant pieces; no input ever reaches SQL text. */
		snprintf(count_sql, sizeof count_sql, "SELECT COUNT(*) FROM audit%s", audit_where);
		snprintf(list_sql, sizeof list_sql,
			 AUDIT_ROWS "%s ORDER BY id DESC LIMIT ? OFFSET ?", audit_where);
	}
	struct stmt *s = store_prepare(st, count_sql, e);
	if (!s)
		return ERR_STORE;
	bind_filter(s, f);
	int rc = stmt_step(s, e);
	*total = rc == 1 ? stmt_int(s, 0) : 0;
	stmt_done(s);
	if (rc < 0)
		return rc;
	s = store_prepare(st, list_sql, e);
	if (!s)
		return ERR_STORE;
	bind_filter(s, f);
	stmt_bind_int(s, 13, f->limit > 0 ? f->limit : 50);
	stmt_bind_int(s, 14, f->offset > 0 ? f->offset : 0);
	return read_rows(s, rows, e);
}

int audit_of_record(struct store *st, const struct actor *a, const char *entity,
		    const char *entity_id, int64_t limit, json_t **rows, struct err *e)
{
	if (!actor_is_admin(a))
		return admins_only(e);
	struct stmt *s = store_prepare(
		st, AUDIT_ROWS " WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "tti", entity, entity_id, limit);
	return read_rows(s, rows, e);
}
