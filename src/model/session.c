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

/* Failures of the account (anywhere) or of the address (any account) within
 * the window: how many and the last one's time. */
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

/* The wait of the account and of the address, counted separately; the
 * longer one applies. Only attempts whose password was checked count, so a
 * refused attempt never extends the wait: a delay, never a lock-out. */
static int throttled(struct store *st, const char *username, const char *addr, int64_t now,
                     int64_t *retry_after, struct err *e)
{
	int64_t since = now - session_policy.window, n_user = 0, last_user = 0, n_addr = 0,
		last_addr = 0;
	int rc = recent_failures(
		st,
		"SELECT COALESCE(SUM(failures), 0), COALESCE(MAX(last_at), 0)"
		" FROM login_failures WHERE username = ? AND last_at >= ? AND failures > 0",
		username, since, &n_user, &last_user, e);
	if (rc == 0)
		rc = recent_failures(
			st,
			"SELECT COALESCE(SUM(failures), 0), COALESCE(MAX(last_at), 0)"
			" FROM login_failures WHERE addr = ? AND last_at >= ? AND failures > 0",
			addr, since, &n_addr, &last_addr, e);
	if (rc < 0)
		return rc;
	int64_t w1 = throttle_wait(n_user, session_policy.account_free, last_user, now);
	int64_t w2 = throttle_wait(n_addr, session_policy.addr_free, last_addr, now);
	*retry_after = w1 > w2 ? w1 : w2;
	return 0;
}

/* Counts a failure in the row of (username, addr) before the password is
 * checked (a success deletes the account's rows): one row per pair, and
 * rows older than the window go, so the table stays small whatever a client
 * sends. *n is the pair's count. */
static int count_failure(struct store *st, const char *username, const char *addr, int64_t now,
			 int64_t *n, struct err *e)
{
	int rc = store_run(st, e, "DELETE FROM login_failures WHERE last_at < ?", "i",
			   now - session_policy.window);
	if (rc >= 0)
		rc = store_run(
			st, e,
			"INSERT INTO login_failures(username, addr, failures, refused, last_at)"
			" VALUES (?, ?, 1, 0, ?) ON CONFLICT (username, addr) DO UPDATE SET"
			" failures = login_failures.failures + 1, last_at = excluded.last_at",
			"tti", username, addr, now);
	if (rc >= 0)
		rc = store_int(
			st, e, n,
			"SELECT failures FROM login_failures WHERE username = ? AND addr = ?", "tt",
			username, addr);
	return rc < 0 ? rc : 0;
}

/* Counts a refused attempt: in its pair's row when there is one, else in the
 * address's row (username ''), so that new names add no rows. Never counted
 * as a failure, it does not extend the wait. */
static int count_refused(struct store *st, const char *username, const char *addr, int64_t now,
			 int64_t *n, struct err *e)
{
	const char *who = username;
	int rc = store_run(st, e,
			   "UPDATE login_failures SET refused = refused + 1"
			   " WHERE username = ? AND addr = ?",
			   "tt", username, addr);
	if (rc >= 0 && store_changes(st) == 0) {
		who = "";
		rc = store_run(
			st, e,
			"INSERT INTO login_failures(username, addr, failures, refused, last_at)"
			" VALUES ('', ?, 0, 1, ?) ON CONFLICT (username, addr) DO UPDATE SET"
			" refused = login_failures.refused + 1",
			"ti", addr, now);
	}
	if (rc >= 0)
		rc = store_int(st, e, n,
			       "SELECT refused FROM login_failures WHERE username = ? AND addr = ?",
			       "tt", who, addr);
	return rc < 0 ? rc : 0;
}

/* The audit trail keeps the first failures of a pair and then every
 * power of two, with the count: a bounded number of rows per client. */
static int audit_failure(struct store *st, const char *username, const char *addr, int64_t n,
			 const char *why, struct err *e)
{
	if (n > session_policy.account_free && (n & (n - 1)))
		return 0;
	struct actor a;
	memset(&a, 0, sizeof a);
	snprintf(a.username, sizeof a.username, "%s", username);
	snprintf(a.addr, sizeof a.addr, "%s", addr);
	json_t *after = json_pack("{s:s,s:I}", "reason", why, "count", (json_int_t)n);
	int rc = audit_append(st, &a, "session", username, "login_failed", NULL, after, e);
	json_decref(after);
	return rc;
}

/* In one write transaction, so that concurrent guesses are counted one after
 * the other: refuses a throttled attempt (ERR_THROTTLED, counted and audited
 * as refused) or counts the attempt as a failure before its password is
 * checked (*n: the pair's failures). */
static int admit(struct store *st, const char *username, const char *addr, int64_t now,
		 int64_t *retry_after, int64_t *n, struct err *e)
{
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	rc = store_lock_key(st, username, e); /* guesses at one account, one at a time */
	if (rc == 0)
		rc = throttled(st, username, addr, now, retry_after, e);
	int refused = rc == 0 && *retry_after > 0;
	if (rc == 0)
		rc = refused ? count_refused(st, username, addr, now, n, e)
			     : count_failure(st, username, addr, now, n, e);
	if (rc == 0 && refused)
		rc = audit_failure(st, username, addr, *n, "throttled", e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	rc = store_commit(st, e);
	if (rc == 0 && refused)
		rc = err_set(e, ERR_THROTTLED, "username",
			     "Đăng nhập sai quá nhiều lần, thử lại sau %lld giây / too many failed "
			     "logins, try again in %lld seconds",
			     (long long)*retry_after, (long long)*retry_after);
	return rc;
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
	int64_t now = clock_now(), n = 0;
	*retry_after = 0;
	if (!username || !*username)
		return err_set(e, ERR_INVALID, "username", "Nhập tên đăng nhập / username is required");
	if (strlen(username) > USERNAME_MAX) /* never stored: see count_failure */
		return err_set(
			e, ERR_TOOBIG, "username",
			"Tên đăng nhập quá dài (tối đa %d ký tự) / the username is too long (at "
			"most %d characters)",
			USERNAME_MAX, USERNAME_MAX);
	int rc = admit(st, username, addr, now, retry_after, &n, e);
	if (rc < 0)
		return rc;
	struct user u;
	rc = user_check_password(st, username, password, &u, e);
	if (rc == ERR_AUTH) {
		audit_failure(st, username, addr, n, "wrong password or disabled", NULL);
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
	struct user_session us = {.seen = 0};
	int rc = user_get_by_session(st, hash, &out->user, &us, e);
	if (rc < 0 && rc != ERR_NOTFOUND)
		return rc;
	int64_t now = clock_now();
	if (rc == ERR_NOTFOUND || now - us.seen > session_policy.idle_seconds ||
	    now - us.created > session_policy.absolute_seconds)
		return err_set(e, ERR_AUTH, "", "Phiên đã hết hạn, hãy đăng nhập lại / session expired");
	if (out->user.disabled)
		return err_set(e, ERR_AUTH, "", "Tài khoản không dùng được / account unavailable");
	snprintf(out->csrf, sizeof out->csrf, "%s", us.csrf);
	snprintf(out->token, sizeof out->token, "%s", token);
	/* Touch at most once a minute so reads stay reads. */
	if (now - us.seen > 60)
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
