/* notify.c - notifications in the database, one row per account. */
#include "model/notify.h"

#include "core/clock.h"

int notify_establishment(struct store *st, int64_t est_id, const char *message, const char *link,
			 struct err *e)
{
	char now[21];
	clock_iso(clock_now(), now);
	int rc = store_run(st, e,
			   "INSERT INTO notifications(user_id, created_at, message, link)"
			   " SELECT id, ?, ?, ? FROM users WHERE role = 'establishment'"
			   " AND establishment_id = ? AND disabled = 0",
			   "ttti", now, message, link, est_id);
	return rc < 0 ? rc : 0;
}

int notify_province(struct store *st, const char *province, const char *message, const char *link,
		    struct err *e)
{
	char now[21];
	clock_iso(clock_now(), now);
	int rc = store_run(st, e,
			   "INSERT INTO notifications(user_id, created_at, message, link)"
			   " SELECT id, ?, ?, ? FROM users WHERE role = 'province'"
			   " AND province_code = ? AND disabled = 0",
			   "tttt", now, message, link, province ? province : "");
	return rc < 0 ? rc : 0;
}

int notify_unread(struct store *st, int64_t user_id, int64_t *n, struct err *e)
{
	*n = 0;
	int rc = store_int(
		st, e, n,
		"SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", "i",
		user_id);
	return rc < 0 ? rc : 0;
}

int notify_list(struct store *st, int64_t user_id, int limit, json_t **out, struct err *e)
{
	struct stmt *s = store_prepare(st,
				       "SELECT id, created_at, message, link, read_at FROM"
				       " notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ii", user_id, (int64_t)limit);
	*out = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(
			*out, json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)stmt_int(s, 0),
					"created_at", stmt_text(s, 1), "message", stmt_text(s, 2),
					"link", stmt_text(s, 3), "read", !stmt_isnull(s, 4)));
	stmt_done(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int notify_mark_read(struct store *st, int64_t user_id, struct err *e)
{
	char now[21];
	clock_iso(clock_now(), now);
	int rc = store_run(
		st, e, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
		"ti", now, user_id);
	return rc < 0 ? rc : 0;
}
