/* test_session.c - login, lookup, logout, rotation, expiry and throttling. */
#include "testutil.h"

#include "core/clock.h"
#include "core/secret.h"
#include "model/session.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "mat-khau-dai-1"

static struct session_policy saved_policy;
static char *db_path;

static int setup(void **state)
{
	struct err e;
	if (secret_init(&e) != 0)
		return -1;
	saved_policy = session_policy;
	free(db_path);
	struct store *st = test_store_new("session", &db_path);
	struct actor cli;
	actor_cli(&cli);
	struct user_input in = {"thu", "Thu", "province", "01", 0};
	if (user_add(st, &cli, &in, PW, NULL, &e) != 0) {
		store_close(st);
		return -1;
	}
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	session_policy = saved_policy;
	store_close(*state);
	return 0;
}

static void login_ok(struct store *st, const char *old_token, struct session *s)
{
	struct err e;
	err_clear(&e);
	int64_t retry = -1;
	int rc = session_login(st, "thu", PW, "198.51.100.1", old_token, s, &retry, &e);
	if (rc != 0)
		fail_msg("session_login: %d %s", rc, e.message);
	assert_int_equal(retry, 0);
}

static void test_login_lookup_logout(void **state)
{
	struct store *st = *state;
	struct session s;
	memset(&s, 0, sizeof s);
	login_ok(st, NULL, &s);
	assert_int_equal(strlen(s.token), 43);
	assert_int_equal(strlen(s.csrf), 43);
	assert_string_not_equal(s.token, s.csrf);
	assert_string_equal(s.user.username, "thu");
	assert_int_equal(s.user.role, ROLE_PROVINCE);
	assert_string_equal(s.user.province, "01");

	/* Only the token's hash is stored. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 1);
	char hash[HASH_TEXT];
	secret_token_hash(s.token, hash);
	struct err e;
	int64_t n = 0;
	assert_int_equal(store_int(st, &e, &n, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?",
				   "t", hash),
			 1);
	assert_int_equal(n, 1);
	assert_int_equal(store_int(st, &e, &n, "SELECT COUNT(*) FROM sessions WHERE token_hash = ?",
				   "t", s.token),
			 1);
	assert_int_equal(n, 0);
	/* The login is audited. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE entity = 'session'"
					" AND action = 'login' AND username = 'thu'"),
			 1);

	struct session found;
	memset(&found, 0, sizeof found);
	assert_int_equal(session_lookup(st, s.token, &found, &e), 0);
	assert_string_equal(found.token, s.token);
	assert_string_equal(found.csrf, s.csrf);
	assert_int_equal(found.user.id, s.user.id);
	assert_string_equal(found.user.username, "thu");

	/* Wrong, empty or missing tokens are not sessions. */
	struct session none;
	char wrong[TOKEN_TEXT];
	secret_token(wrong);
	err_clear(&e);
	assert_int_equal(session_lookup(st, wrong, &none, &e), ERR_AUTH);
	assert_int_equal(e.code, ERR_AUTH);
	assert_int_equal(session_lookup(st, "", &none, &e), ERR_AUTH);
	assert_int_equal(session_lookup(st, NULL, &none, &e), ERR_AUTH);
	/* The stored hash itself is not a token. */
	assert_int_equal(session_lookup(st, hash, &none, &e), ERR_AUTH);

	/* Logout ends it, and is audited. */
	struct actor a;
	user_actor(&s.user, "198.51.100.1", &a);
	assert_int_equal(session_logout(st, &a, s.token, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 0);
	err_clear(&e);
	assert_int_equal(session_lookup(st, s.token, &none, &e), ERR_AUTH);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE action = 'logout'"), 1);
	/* Logging out again, or an unknown token, is not an error (nor audited). */
	assert_int_equal(session_logout(st, &a, s.token, &e), 0);
	assert_int_equal(session_logout(st, &a, NULL, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE action = 'logout'"), 1);
}

static void test_two_sessions_are_independent(void **state)
{
	struct store *st = *state;
	struct session s1, s2, x;
	login_ok(st, NULL, &s1);
	login_ok(st, NULL, &s2);
	assert_string_not_equal(s1.token, s2.token);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 2);
	struct actor a;
	user_actor(&s1.user, "x", &a);
	struct err e;
	assert_int_equal(session_logout(st, &a, s1.token, &e), 0);
	assert_int_equal(session_lookup(st, s1.token, &x, &e), ERR_AUTH);
	assert_int_equal(session_lookup(st, s2.token, &x, &e), 0);
}

static void test_rotation(void **state)
{
	struct store *st = *state;
	struct session s1, s2, x;
	struct err e;
	login_ok(st, NULL, &s1);
	login_ok(st, s1.token, &s2);
	assert_string_not_equal(s1.token, s2.token);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 1);
	err_clear(&e);
	assert_int_equal(session_lookup(st, s1.token, &x, &e), ERR_AUTH);
	assert_int_equal(session_lookup(st, s2.token, &x, &e), 0);
	assert_string_equal(x.csrf, s2.csrf);
}

static void test_idle_expiry(void **state)
{
	struct store *st = *state;
	struct session s, x;
	struct err e;
	login_ok(st, NULL, &s);
	assert_int_equal(session_lookup(st, s.token, &x, &e), 0);
	/* Unused for longer than the idle limit. */
	assert_int_equal(store_run(st, &e, "UPDATE sessions SET last_seen = last_seen - ?", "i",
				   session_policy.idle_seconds + 5),
			 0);
	err_clear(&e);
	assert_int_equal(session_lookup(st, s.token, &x, &e), ERR_AUTH);
	assert_int_equal(e.code, ERR_AUTH);

	/* The same through the policy: a session idle 0 s is too old for -1. */
	struct session t;
	login_ok(st, NULL, &t);
	assert_int_equal(session_lookup(st, t.token, &x, &e), 0);
	session_policy.idle_seconds = -1;
	assert_int_equal(session_lookup(st, t.token, &x, &e), ERR_AUTH);
}

static void test_absolute_expiry_and_touch(void **state)
{
	struct store *st = *state;
	struct session s, x;
	struct err e;
	login_ok(st, NULL, &s);
	/* Seen 10 minutes ago: still live, and the lookup touches last_seen. */
	assert_int_equal(store_run(st, &e, "UPDATE sessions SET last_seen = last_seen - 600", ""),
			 0);
	int64_t before = test_count(st, "SELECT last_seen FROM sessions");
	assert_int_equal(session_lookup(st, s.token, &x, &e), 0);
	int64_t after = test_count(st, "SELECT last_seen FROM sessions");
	assert_true(after >= before + 600);

	/* Created long ago though recently used: ended by the absolute limit. */
	assert_int_equal(store_run(st, &e, "UPDATE sessions SET created_at = created_at - ?", "i",
				   session_policy.absolute_seconds + 5),
			 0);
	err_clear(&e);
	assert_int_equal(session_lookup(st, s.token, &x, &e), ERR_AUTH);
}

static void test_wrong_password_and_unknown_user(void **state)
{
	struct store *st = *state;
	struct session s;
	struct err e;
	int64_t retry = -1;
	err_clear(&e);
	assert_int_equal(
		session_login(st, "thu", "not-the-password", "203.0.113.5", NULL, &s, &retry, &e),
		ERR_AUTH);
	assert_int_equal(retry, 0);
	assert_int_equal(session_login(st, "ghost", PW, "203.0.113.5", NULL, &s, &retry, &e),
			 ERR_AUTH);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM login_failures"), 2);
	assert_int_equal(test_count(st,
				    "SELECT COUNT(*) FROM login_failures WHERE username = 'ghost'"
				    " AND addr = '203.0.113.5'"),
			 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE entity = 'session'"
					" AND action = 'login_failed'"),
			 2);
	/* The audit row keeps no password. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE"
					" COALESCE(after_json, '') LIKE '%not-the-password%'"),
			 0);
	/* An empty username is invalid input. */
	err_clear(&e);
	assert_int_equal(session_login(st, "", PW, "203.0.113.5", NULL, &s, &retry, &e),
			 ERR_INVALID);
	assert_string_equal(e.field, "username");

	/* A success clears the account's failures. */
	login_ok(st, NULL, &s);
	assert_int_equal(
		test_count(st, "SELECT COUNT(*) FROM login_failures WHERE username = 'thu'"), 0);
	assert_int_equal(
		test_count(st, "SELECT COUNT(*) FROM login_failures WHERE username = 'ghost'"), 1);
}

static void test_throttling(void **state)
{
	struct store *st = *state;
	session_policy.account_free = 5;
	struct session s;
	struct err e;
	int64_t retry = -1;
	for (int i = 0; i < 5; i++) {
		err_clear(&e);
		int rc = session_login(st, "thu", "wrong-password-x", "203.0.113.9", NULL, &s,
				       &retry, &e);
		if (rc != ERR_AUTH)
			fail_msg("attempt %d: rc %d (%s)", i + 1, rc, e.message);
		assert_int_equal(retry, 0);
	}
	assert_int_equal(
		test_count(st, "SELECT failures FROM login_failures WHERE username = 'thu'"), 5);
	assert_int_equal(
		test_count(st, "SELECT COUNT(*) FROM login_failures WHERE username = 'thu'"), 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE action = 'login_failed'"
					" AND entity_id = 'thu'"),
			 5);

	/* The right password is not even checked now. */
	err_clear(&e);
	retry = 0;
	assert_int_equal(session_login(st, "thu", PW, "203.0.113.9", NULL, &s, &retry, &e),
			 ERR_THROTTLED);
	assert_int_equal(e.code, ERR_THROTTLED);
	assert_true(retry > 0);
	assert_true(retry <= session_policy.base_delay);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 0);
	/* The throttled attempt is recorded too, apart: it does not extend the wait. */
	assert_int_equal(
		test_count(st, "SELECT failures FROM login_failures WHERE username = 'thu'"), 5);
	assert_int_equal(
		test_count(st, "SELECT refused FROM login_failures WHERE username = 'thu'"), 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE action = 'login_failed'"),
			 6);
	/* ...from another address as well: the account is what is throttled. */
	assert_int_equal(session_login(st, "thu", PW, "203.0.113.10", NULL, &s, &retry, &e),
			 ERR_THROTTLED);

	/* Once the failures fall out of the window, login works and clears them. */
	assert_int_equal(store_run(st, &e, "UPDATE login_failures SET last_at = last_at - ?", "i",
				   session_policy.window + 10),
			 0);
	login_ok(st, NULL, &s);
	assert_int_equal(
		test_count(st, "SELECT COUNT(*) FROM login_failures WHERE username = 'thu'"), 0);
}

static void test_throttle_delay_doubles(void **state)
{
	struct store *st = *state;
	session_policy.account_free = 2;
	session_policy.base_delay = 30;
	session_policy.max_delay = 100;
	struct session s;
	struct err e;
	int64_t retry = 0;
	/* Failures recorded directly, all "now" by the clock the throttle reads
	 * (SQLite's 'now' is a finer clock than time(), and can be a second ahead
	 * of it at a second's edge): 2 free, 3rd waits 30, 4th 60, then capped. */
	int64_t waits[] = {0, 0, 30, 60, 100, 100};
	for (int n = 0; n < 6; n++) {
		assert_int_equal(store_run(st, &e, "DELETE FROM login_failures", ""), 0);
		if (n)
			assert_int_equal(
				store_run(st, &e,
					  "INSERT INTO login_failures(username, addr, failures,"
					  " refused, last_at) VALUES ('thu', 'a', ?, 0, ?)",
					  "ii", (int64_t)n, clock_now()),
				0);
		err_clear(&e);
		int rc = session_login(st, "thu", PW, "b", NULL, &s, &retry, &e);
		if (waits[n] == 0) {
			assert_int_equal(rc, 0);
			assert_int_equal(retry, 0);
		} else {
			assert_int_equal(rc, ERR_THROTTLED);
			/* A second may have passed since the rows were written (times are whole
			 * seconds, truncated as time() does). */
			if (retry > waits[n] || retry < waits[n] - 1)
				fail_msg("%d failures: retry_after %lld, want %lld", n,
					 (long long)retry, (long long)waits[n]);
		}
	}
}

static void test_address_throttle(void **state)
{
	struct store *st = *state;
	session_policy.addr_free = 3;
	session_policy.account_free = 100;
	struct session s;
	struct err e;
	int64_t retry = 0;
	/* Guessing different names from one address. */
	const char *names[] = {"a1", "a2", "a3"};
	for (int i = 0; i < 3; i++)
		assert_int_equal(session_login(st, names[i], "whatever-pw", "203.0.113.77", NULL,
					       &s, &retry, &e),
				 ERR_AUTH);
	assert_int_equal(session_login(st, "thu", PW, "203.0.113.77", NULL, &s, &retry, &e),
			 ERR_THROTTLED);
	assert_true(retry > 0);
	/* Another address is free. */
	login_ok(st, NULL, &s);
}

static void test_disabled_user(void **state)
{
	struct store *st = *state;
	struct session s, x;
	struct err e;
	login_ok(st, NULL, &s);
	struct actor cli;
	actor_cli(&cli);
	assert_int_equal(user_set_disabled(st, &cli, "thu", 1, &e), 0);
	/* The live session is gone... */
	err_clear(&e);
	assert_int_equal(session_lookup(st, s.token, &x, &e), ERR_AUTH);
	/* ...and the right password no longer logs in. */
	int64_t retry = 0;
	err_clear(&e);
	assert_int_equal(session_login(st, "thu", PW, "198.51.100.1", NULL, &x, &retry, &e),
			 ERR_AUTH);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 0);

	/* A session whose account is disabled behind its back is refused too. */
	assert_int_equal(user_set_disabled(st, &cli, "thu", 0, &e), 0);
	login_ok(st, NULL, &s);
	assert_int_equal(
		store_run(st, &e, "UPDATE users SET disabled = 1 WHERE username = 'thu'", ""), 0);
	assert_int_equal(session_lookup(st, s.token, &x, &e), ERR_AUTH);
}

/* Refused attempts never extend the wait: five failures, then a refused
 * attempt every few seconds, and the account is free again once the delay
 * since the last real failure has passed (a delay, not a ban). Before, each
 * refused attempt counted as a failure and pushed the wait further. */
static void test_refused_attempts_do_not_extend(void **state)
{
	struct store *st = *state;
	session_policy.account_free = 5;
	struct session s;
	struct err e;
	int64_t retry = 0;
	for (int i = 0; i < 5; i++)
		assert_int_equal(session_login(st, "thu", "wrong-password-x", "203.0.113.9", NULL,
					       &s, &retry, &e),
				 ERR_AUTH);
	for (int i = 0; i < 20; i++)
		assert_int_equal(session_login(st, "thu", PW, "203.0.113.9", NULL, &s, &retry, &e),
				 ERR_THROTTLED);
	/* The last real failure was base_delay seconds ago. */
	assert_int_equal(store_run(st, &e, "UPDATE login_failures SET last_at = last_at - ?", "i",
				   session_policy.base_delay),
			 0);
	login_ok(st, NULL, &s);
}

/* Many failed logins with the longest usernames leave a few rows: one per
 * (account, address) with a count, and the audit trail keeps the first few
 * and then powers of two. A username over the limit is refused (4xx) and
 * leaves nothing. Before, every attempt added a row to both, with the
 * username however long. */
static void test_failures_stay_bounded(void **state)
{
	struct store *st = *state;
	session_policy.addr_free = 20;
	/* The wait after the free failures outlasts the loop however slow the
	 * machine: a wait that ran out mid-loop let one more failure in (22 rows
	 * under load). */
	session_policy.base_delay = session_policy.max_delay = session_policy.window;
	struct session s;
	struct err e;
	int64_t retry = 0;
	char name[USERNAME_MAX + 2];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = 0;
	assert_int_equal(
		session_login(st, name, "wrong-password-x", "203.0.113.50", NULL, &s, &retry, &e),
		ERR_TOOBIG);
	assert_string_equal(e.field, "username");
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM login_failures"), 0);
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit");
	for (int i = 0; i < 1000; i++) {
		snprintf(name, USERNAME_MAX + 1, "%04d%0*d", i % 40, USERNAME_MAX - 4, i);
		int rc = session_login(st, name, "wrong-password-x", "203.0.113.50", NULL, &s,
				       &retry, &e);
		assert_true(rc == ERR_AUTH || rc == ERR_THROTTLED);
	}
	/* 20 free failures, then only refused attempts, on one row. */
	assert_true(test_count(st, "SELECT COUNT(*) FROM login_failures") <= 21);
	assert_int_equal(test_count(st, "SELECT SUM(failures + refused) FROM login_failures"),
			 1000);
	assert_true(test_count(st, "SELECT COUNT(*) FROM audit") - audits <= 40);
}

/* Eight wrong guesses at once for one account: the check and the count are
 * one transaction, so exactly account_free are checked and the rest refused.
 * Before, all eight read the count before any was written and passed. */
struct guess {
	const char *db;
	int rc;
};

static void *guess(void *arg)
{
	struct guess *g = arg;
	struct store *st;
	struct err e;
	struct session s;
	int64_t retry = 0;
	if (store_open(g->db, &st, &e) < 0)
		return NULL;
	g->rc = session_login(st, "thu", "wrong-password-x", "203.0.113.60", NULL, &s, &retry, &e);
	store_close(st);
	return NULL;
}

static void test_concurrent_guesses(void **state)
{
	(void)state;
	session_policy.account_free = 5;
	enum { N = 8 };
	struct guess g[N];
	pthread_t t[N];
	for (int i = 0; i < N; i++) {
		g[i] = (struct guess){db_path, 0};
		assert_int_equal(pthread_create(&t[i], NULL, guess, &g[i]), 0);
	}
	int checked = 0, refused = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		checked += g[i].rc == ERR_AUTH;
		refused += g[i].rc == ERR_THROTTLED;
	}
	assert_int_equal(checked, 5);
	assert_int_equal(refused, N - 5);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_login_lookup_logout),
		T(test_two_sessions_are_independent),
		T(test_rotation),
		T(test_idle_expiry),
		T(test_absolute_expiry_and_touch),
		T(test_wrong_password_and_unknown_user),
		T(test_throttling),
		T(test_throttle_delay_doubles),
		T(test_address_throttle),
		T(test_disabled_user),
		T(test_refused_attempts_do_not_extend),
		T(test_failures_stay_bounded),
		T(test_concurrent_guesses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
