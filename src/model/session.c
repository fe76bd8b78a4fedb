/* session.c - database sessions and failed-login throttling. */
#include "model/session.h"

#include "core/clock.h"
#include "model/audit.h"

#include <stdio.h>
#include <string.h>

struct session_policy session_policy = {
	.idle_seconds = 2 * 3600,
	.absolute_seconds = 12 * 3600,
	.account_free = 5,
	.addr_free = 20,
	.base_delay = 30,
	.max_delay = 900,
	.window = 900,
};

/* Seconds the caller must still wait given `failures` recent failures, the
 * last at `last`; 0 when free to try. */
static int64_t throttle_wait(int64_t failures, int free_count, int64_t last, int64_t now)
{
	if (failures < free_count)
		return 0;
	int64_t delay = session_policy.base_delay;
	for (int64_t i = free_count; i < failures && delay < session_policy.max_delay; i++)
		delay *= 2;
	if (delay > session_policy.max_delay)
		delay = session_policy.max_delay;
	int64_t left = last + delay - now;
	return left > 0 ? left : 0;
}

static int recent_failures(struct store *st, const char *sql, const char *key, int64_t since,
                           int64_t *count, int64_t *last, struct err *e)
{
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ti", key, since);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		*count = stmt_int(s, 0);
		*last = stmt_int(s, 1);
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

static int throttled(struct store *st, const char *username, const char *addr, int64_t now,
                     int64_t *retry_after, struct err *e)
{
	int64_t since = now - session_policy.window, n_user = 0, last_user = 0, n_addr = 0,
		last_addr = 0;
	int rc = recent_failures(st,
	                         "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failures"
	                         " WHERE username = ? AND at >= ?",
	                         username, since, &n_user, &last_user, e);
	if (rc == 0)
		rc = recent_failures(st,
		                     "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failures"
		                     " WHERE addr = ? AND at >= ?",
		                     addr, since, &n_addr, &last_addr, e);
	if (rc < 0)
		return rc;
	int64_t w1 = throttle_wait(n_user, session_policy.account_free, last_user, now);
	int64_t w2 = throttle_wait(n_addr, session_policy.addr_free, last_addr, now);
	*retry_after = w1 > w2 ? w1 : w2;
	return 0;
}

static int record_failure(struct store *st, const char *username, const char *addr, int64_t now,
                          const char *why, struct err *e)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	snprintf(a.username, sizeof a.username, "%s", username);
	snprintf(a.addr, sizeof a.addr, "%s", addr);
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	rc = store_run(st, e, "INSERT INTO login_failures(username, addr, at) VALUES (?, ?, ?)", "tti",
	               username, addr, now);
	json_t *after = json_pack("{s:s}", "reason", why);
	if (rc >= 0)
		rc = audit_append(st, &a, "session", username, "login_failed", NULL, after, e);
	json_decref(after);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

static int create_session(struct store *st, const struct user *u, const char *addr,
                          const char *old_token, struct session *out, int64_t now, struct err *e)
{
	char hash[HASH_TEXT];
	secret_token(out->token);
	secret_token(out->csrf);
	secret_token_hash(out->token, hash);
	out->user = *u;
	struct actor a;
	user_actor(u, addr, &a);
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	if (old_token && old_token[0]) {
		char old_hash[HASH_TEXT];
		secret_token_hash(old_token, old_hash);
		rc = store_run(st, e, "DELETE FROM sessions WHERE token_hash = ?", "t", old_hash);
	}
	if (rc >= 0)
		rc = store_run(st, e,
		               "INSERT INTO sessions(token_hash, user_id, csrf, created_at, last_seen, addr)"
		               " VALUES (?, ?, ?, ?, ?, ?)",
		               "titiit", hash, u->id, out->csrf, now, now, addr);
	if (rc >= 0)
		rc = store_run(st, e, "DELETE FROM login_failures WHERE username = ?", "t", u->username);
	if (rc >= 0)
		rc = store_run(st, e, "DELETE FROM sessions WHERE last_seen < ?", "i",
		               now - session_policy.idle_seconds);
	if (rc >= 0)
		rc = audit_append(st, &a, "session", u->username, "login", NULL, NULL, e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int session_login(struct store *st, const char *username, const char *password, const char *addr,
                  const char *old_token, struct session *out, int64_t *retry_after,
                  struct err *e)
{
	int64_t now = clock_now();
	*retry_after = 0;
	if (!username || !*username)
		return err_set(e, ERR_INVALID, "username", "Nhập tên đăng nhập / username is required");
	int rc = throttled(st, username, addr, now, retry_after, e);
	if (rc < 0)
		return rc;
	if (*retry_after > 0) {
		record_failure(st, username, addr, now, "throttled", NULL);
		return err_set(e, ERR_THROTTLED, "username",
		               "Đăng nhập sai quá nhiều lần, thử lại sau %lld giây / too many failed "
		               "logins, try again in %lld seconds",
		               (long long)*retry_after, (long long)*retry_after);
	}
	struct user u;
	rc = user_check_password(st, username, password, &u, e);
	if (rc == ERR_AUTH) {
		record_failure(st, username, addr, now, "wrong password or disabled", NULL);
		return rc;
	}
	if (rc < 0)
		return rc;
	return create_session(st, &u, addr, old_token, out, now, e);
}

int session_lookup(struct store *st, const char *token, struct session *out, struct err *e)
{
	if (!token || !*token)
		return err_set(e, ERR_AUTH, "", "Chưa đăng nhập / not logged in");
	char hash[HASH_TEXT];
	secret_token_hash(token, hash);
	struct stmt *s = store_prepare(
		st, "SELECT user_id, csrf, created_at, last_seen FROM sessions WHERE token_hash = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", hash);
	int rc = stmt_step(s, e);
	int64_t uid = 0, created = 0, seen = 0;
	if (rc == 1) {
		uid = stmt_int(s, 0);
		snprintf(out->csrf, sizeof out->csrf, "%s", stmt_text(s, 1));
		created = stmt_int(s, 2);
		seen = stmt_int(s, 3);
	}
	stmt_done(s);
	if (rc < 0)
		return rc;
	int64_t now = clock_now();
	if (rc == 0 || now - seen > session_policy.idle_seconds ||
	    now - created > session_policy.absolute_seconds)
		return err_set(e, ERR_AUTH, "", "Phiên đã hết hạn, hãy đăng nhập lại / session expired");
	if (user_get(st, uid, &out->user, e) < 0 || out->user.disabled)
		return err_set(e, ERR_AUTH, "", "Tài khoản không dùng được / account unavailable");
	snprintf(out->token, sizeof out->token, "%s", token);
	/* Touch at most once a minute so reads stay reads. */
	if (now - seen > 60)
		store_run(st, NULL, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", "it", now,
		          hash);
	return 0;
}

int session_logout(struct store *st, const struct actor *a, const char *token, struct err *e)
{
	char hash[HASH_TEXT];
	secret_token_hash(token ? token : "", hash);
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	rc = store_run(st, e, "DELETE FROM sessions WHERE token_hash = ?", "t", hash);
	if (rc >= 0 && store_changes(st) > 0)
		rc = audit_append(st, a, "session", a->username, "logout", NULL, NULL, e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}
