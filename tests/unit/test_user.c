/* test_user.c - accounts: creation, validation, permissions, audited changes. */
#include "testutil.h"

#include "core/secret.h"
#include "model/audit.h"
#include "model/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "mat-khau-dai-1"

static int setup(void **state)
{
	struct err e;
	if (secret_init(&e) != 0)
		return -1;
	*state = test_store_new("user", NULL);
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return 0;
}

static struct actor actor_of(enum role r, const char *username, const char *province)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 1000;
	snprintf(a.username, sizeof a.username, "%s", username);
	a.role = r;
	snprintf(a.province, sizeof a.province, "%s", province ? province : "");
	snprintf(a.addr, sizeof a.addr, "127.0.0.1");
	return a;
}

static int64_t add_user(struct store *st, const char *username, const char *role,
			const char *province, int64_t est)
{
	struct actor cli;
	actor_cli(&cli);
	struct user_input in = {username, NULL, role, province, est};
	struct err e;
	err_clear(&e);
	int64_t id = 0;
	int rc = user_add(st, &cli, &in, PW, &id, &e);
	if (rc != 0)
		fail_msg("user_add(%s): %s", username, e.message);
	return id;
}

/* Parses column col of the newest audit row with this action. Caller decrefs. */
static json_t *audit_json(struct store *st, const char *action, int col)
{
	struct err e;
	struct stmt *s = store_prepare(st,
				       "SELECT before_json, after_json FROM audit WHERE action = ? "
				       "ORDER BY id DESC LIMIT 1",
				       &e);
	assert_non_null(s);
	stmt_bind(s, "t", action);
	assert_int_equal(stmt_step(s, &e), 1);
	const char *text = stmt_text(s, col);
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (text)
		assert_non_null(j);
	stmt_done(s);
	return j;
}

static void test_add_by_cli(void **state)
{
	struct store *st = *state;
	struct actor cli;
	actor_cli(&cli);
	struct err e;
	err_clear(&e);
	struct user_input in = {"nguyen.van-a_1", "Nguyễn Văn A", "province", "01", 0};
	int64_t id = 0;
	assert_int_equal(user_add(st, &cli, &in, PW, &id, &e), 0);
	assert_true(id > 0);

	struct user u;
	assert_int_equal(user_get_by_name(st, "nguyen.van-a_1", &u, &e), 0);
	assert_int_equal(u.id, id);
	assert_string_equal(u.display_name, "Nguyễn Văn A");
	assert_int_equal(u.role, ROLE_PROVINCE);
	assert_string_equal(u.province, "01");
	assert_int_equal(u.establishment_id, 0);
	assert_int_equal(u.disabled, 0);
	assert_int_equal(u.version, 1);
	assert_string_equal(u.lang, "vi");
	assert_int_equal(strlen(u.created_at), 20);
	struct user v;
	assert_int_equal(user_get(st, id, &v, &e), 0);
	assert_string_equal(v.username, "nguyen.van-a_1");

	/* The password is stored hashed. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users WHERE password_hash LIKE "
					"'$argon2id$%'"),
			 1);

	/* Exactly one audit row, a create with no before. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), 1);
	struct stmt *s = store_prepare(st,
				       "SELECT user_id, username, addr, entity, entity_id, action,"
				       " before_json, after_json FROM audit",
				       &e);
	assert_non_null(s);
	assert_int_equal(stmt_step(s, &e), 1);
	assert_int_equal(stmt_int(s, 0), 0);
	assert_string_equal(stmt_text(s, 1), "cli");
	assert_string_equal(stmt_text(s, 2), "cli");
	assert_string_equal(stmt_text(s, 3), "user");
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	assert_string_equal(stmt_text(s, 4), idtext);
	assert_string_equal(stmt_text(s, 5), "create");
	assert_true(stmt_isnull(s, 6));
	json_t *after = json_loads(stmt_text(s, 7), 0, NULL);
	assert_non_null(after);
	assert_null(strstr(stmt_text(s, 7), "$argon2"));
	stmt_done(s);
	assert_string_equal(json_string_value(json_object_get(after, "username")),
			    "nguyen.van-a_1");
	assert_string_equal(json_string_value(json_object_get(after, "role")), "province");
	assert_string_equal(json_string_value(json_object_get(after, "province")), "01");
	assert_null(json_object_get(after, "password_hash"));
	json_decref(after);
}

static void test_add_forbidden(void **state)
{
	struct store *st = *state;
	add_user(st, "existing", "admin", NULL, 0);
	int64_t users = test_count(st, "SELECT COUNT(*) FROM users");
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit");
	enum role roles[] = {ROLE_MINISTRY, ROLE_PROVINCE, ROLE_ESTABLISHMENT, ROLE_VIEWER};
	for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		struct actor a = actor_of(roles[i], "someone", "01");
		struct user_input in = {"newbie", NULL, "viewer", NULL, 0};
		struct err e;
		err_clear(&e);
		int64_t id = -5;
		assert_int_equal(user_add(st, &a, &in, PW, &id, &e), ERR_FORBIDDEN);
		assert_int_equal(e.code, ERR_FORBIDDEN);
		assert_int_equal(id, -5);
	}
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), users);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits);

	/* Listing is admin only too. */
	struct actor p = actor_of(ROLE_PROVINCE, "someone", "01");
	json_t *list = NULL;
	struct err e;
	assert_int_equal(user_list(st, &p, &list, &e), ERR_FORBIDDEN);
	assert_null(list);
}

struct bad_case {
	const char *username, *role, *province;
	int64_t est;
	const char *password, *field;
};

static void test_validation(void **state)
{
	struct store *st = *state;
	struct actor cli;
	actor_cli(&cli);
	static const struct bad_case cases[] = {
		{"A B", "viewer", NULL, 0, PW, "username"},
		{"Upper", "viewer", NULL, 0, PW, "username"},
		{"ab", "viewer", NULL, 0, PW, "username"},
		{"", "viewer", NULL, 0, PW, "username"},
		{NULL, "viewer", NULL, 0, PW, "username"},
		{"a/b", "viewer", NULL, 0, PW, "username"},
		{"boss.man", "boss", NULL, 0, PW, "role"},
		{"nobody", NULL, NULL, 0, PW, "role"},
		{"prov.user", "province", NULL, 0, PW, "province"},
		{"prov.user", "province", "", 0, PW, "province"},
		{"prov.user", "province", "1", 0, PW, "province"},
		{"prov.user", "province", "ab", 0, PW, "province"},
		{"min.user", "ministry", "01", 0, PW, "province"},
		{"est.user", "establishment", NULL, 0, PW, "establishment_id"},
		{"est.user", "establishment", NULL, -3, PW, "establishment_id"},
		{"short.pw", "viewer", NULL, 0, "123456789", "password"},
		{"no.pw", "viewer", NULL, 0, NULL, "password"},
	};
	int64_t users = test_count(st, "SELECT COUNT(*) FROM users");
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct bad_case *c = &cases[i];
		struct user_input in = {c->username, NULL, c->role, c->province, c->est};
		struct err e;
		err_clear(&e);
		int rc = user_add(st, &cli, &in, c->password, NULL, &e);
		if (rc != ERR_INVALID || strcmp(e.field, c->field) != 0)
			fail_msg("case %zu (%s/%s): rc %d field '%s', want %d '%s'", i,
				 c->username ? c->username : "(null)", c->role ? c->role : "(null)",
				 rc, e.field, ERR_INVALID, c->field);
		assert_true(strlen(e.message) > 0);
	}
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), users);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits);

	/* The good neighbours of those cases are accepted. */
	add_user(st, "view.48", "viewer", "48", 0);
	add_user(st, "view.all", "viewer", NULL, 0);
	add_user(st, "est.ok", "establishment", NULL, 12);
	add_user(st, "abc", "ministry", "", 0);
	struct user u;
	struct err e;
	assert_int_equal(user_get_by_name(st, "est.ok", &u, &e), 0);
	assert_int_equal(u.establishment_id, 12);
	assert_int_equal(u.role, ROLE_ESTABLISHMENT);
	assert_int_equal(user_get_by_name(st, "view.all", &u, &e), 0);
	assert_string_equal(u.province, "");
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), users + 4);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits + 4);
}

static void test_duplicate(void **state)
{
	struct store *st = *state;
	add_user(st, "twin", "viewer", NULL, 0);
	int64_t users = test_count(st, "SELECT COUNT(*) FROM users");
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit");
	struct actor cli;
	actor_cli(&cli);
	struct user_input in = {"twin", NULL, "admin", NULL, 0};
	struct err e;
	err_clear(&e);
	assert_int_equal(user_add(st, &cli, &in, PW, NULL, &e), ERR_CONFLICT);
	assert_string_equal(e.field, "username");
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), users);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits);
	struct user u;
	assert_int_equal(user_get_by_name(st, "twin", &u, &e), 0);
	assert_int_equal(u.role, ROLE_VIEWER); /* the first one is untouched */
}

static void test_not_found(void **state)
{
	struct store *st = *state;
	struct user u;
	struct err e;
	err_clear(&e);
	assert_int_equal(user_get_by_name(st, "ghost", &u, &e), ERR_NOTFOUND);
	assert_int_equal(e.code, ERR_NOTFOUND);
	assert_int_equal(user_get(st, 424242, &u, &e), ERR_NOTFOUND);
	struct actor cli;
	actor_cli(&cli);
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit");
	assert_int_equal(user_set_disabled(st, &cli, "ghost", 1, &e), ERR_NOTFOUND);
	assert_int_equal(user_set_password(st, &cli, "ghost", PW, &e), ERR_NOTFOUND);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits);
}

static void test_set_disabled(void **state)
{
	struct store *st = *state;
	int64_t id = add_user(st, "lan", "viewer", NULL, 0);
	/* A session that disabling must end. */
	struct err e;
	assert_int_equal(store_run(st, &e,
				   "INSERT INTO sessions(token_hash, user_id, csrf, created_at,"
				   " last_seen) VALUES ('h', ?, 'c', 1, 1)",
				   "i", id),
			 0);
	struct actor cli;
	actor_cli(&cli);
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit");
	err_clear(&e);
	assert_int_equal(user_set_disabled(st, &cli, "lan", 1, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits + 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 0);
	struct user u;
	assert_int_equal(user_get_by_name(st, "lan", &u, &e), 0);
	assert_int_equal(u.disabled, 1);
	assert_int_equal(u.version, 2);

	json_t *before = audit_json(st, "disable", 0), *after = audit_json(st, "disable", 1);
	assert_non_null(before);
	assert_non_null(after);
	assert_true(json_is_false(json_object_get(before, "disabled")));
	assert_true(json_is_true(json_object_get(after, "disabled")));
	assert_int_equal(json_integer_value(json_object_get(before, "version")), 1);
	assert_int_equal(json_integer_value(json_object_get(after, "version")), 2);
	/* Only changed keys: updated_at may change with the clock, nothing else. */
	const char *key;
	json_t *v;
	json_object_foreach(after, key, v)
	{
		if (strcmp(key, "disabled") && strcmp(key, "version") && strcmp(key, "updated_at"))
			fail_msg("unchanged key %s kept in the audit row", key);
		assert_non_null(json_object_get(before, key));
	}
	assert_int_equal(json_object_size(before), json_object_size(after));
	assert_null(json_object_get(after, "username"));
	assert_null(json_object_get(after, "role"));
	json_decref(before);
	json_decref(after);

	/* The audit row names the account it changed. */
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	int64_t n = 0;
	assert_int_equal(
		store_int(st, &e, &n,
			  "SELECT COUNT(*) FROM audit WHERE entity = 'user' AND entity_id = ?"
			  " AND action = 'disable'",
			  "t", idtext),
		1);
	assert_int_equal(n, 1);

	/* Re-enabling is audited as "enable". */
	assert_int_equal(user_set_disabled(st, &cli, "lan", 0, &e), 0);
	assert_int_equal(user_get_by_name(st, "lan", &u, &e), 0);
	assert_int_equal(u.disabled, 0);
	after = audit_json(st, "enable", 1);
	assert_true(json_is_false(json_object_get(after, "disabled")));
	json_decref(after);

	/* Non-admins may not; nor may an admin disable themself. */
	struct actor p = actor_of(ROLE_PROVINCE, "lan", "01");
	audits = test_count(st, "SELECT COUNT(*) FROM audit");
	assert_int_equal(user_set_disabled(st, &p, "lan", 1, &e), ERR_FORBIDDEN);
	add_user(st, "boss", "admin", NULL, 0);
	struct actor self = actor_of(ROLE_ADMIN, "boss", NULL);
	err_clear(&e);
	assert_int_equal(user_set_disabled(st, &self, "boss", 1, &e), ERR_CONFLICT);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"),
			 audits + 1); /* boss's create */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users WHERE disabled = 1"), 0);
}

static void test_set_password(void **state)
{
	struct store *st = *state;
	int64_t id = add_user(st, "minh", "viewer", NULL, 0);
	add_user(st, "other", "viewer", NULL, 0);
	struct actor cli;
	actor_cli(&cli);
	struct err e;
	struct user u;
	assert_int_equal(user_check_password(st, "minh", PW, &u, &e), 0);
	assert_int_equal(u.id, id);

	assert_int_equal(store_run(st, &e,
				   "INSERT INTO sessions(token_hash, user_id, csrf, created_at,"
				   " last_seen) VALUES ('h2', ?, 'c', 1, 1)",
				   "i", id),
			 0);
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit");
	assert_int_equal(user_set_password(st, &cli, "minh", "mot-mat-khau-moi", &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits + 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sessions"), 0);
	assert_int_equal(user_check_password(st, "minh", "mot-mat-khau-moi", &u, &e), 0);
	err_clear(&e);
	assert_int_equal(user_check_password(st, "minh", PW, &u, &e), ERR_AUTH);

	/* The hash never enters the trail, in any audit row. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE action = 'passwd'"), 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE"
					" COALESCE(before_json, '') LIKE '%$argon2%'"
					" OR COALESCE(after_json, '') LIKE '%$argon2%'"),
			 0);
	json_t *after = audit_json(st, "passwd", 1);
	assert_string_equal(json_string_value(json_object_get(after, "password")), "(changed)");
	assert_null(json_object_get(after, "password_hash"));
	json_decref(after);

	/* A user may change their own password, not someone else's. */
	struct actor self = actor_of(ROLE_VIEWER, "minh", NULL);
	self.user_id = id;
	assert_int_equal(user_set_password(st, &self, "minh", "tu-doi-mat-khau", &e), 0);
	assert_int_equal(user_check_password(st, "minh", "tu-doi-mat-khau", &u, &e), 0);
	audits = test_count(st, "SELECT COUNT(*) FROM audit");
	err_clear(&e);
	assert_int_equal(user_set_password(st, &self, "other", "khong-duoc-doi", &e),
			 ERR_FORBIDDEN);
	assert_int_equal(user_check_password(st, "other", PW, &u, &e), 0);
	/* The policy applies. */
	err_clear(&e);
	assert_int_equal(user_set_password(st, &cli, "minh", "short", &e), ERR_INVALID);
	assert_string_equal(e.field, "password");
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits);
}

static void test_check_password(void **state)
{
	struct store *st = *state;
	add_user(st, "hoa", "viewer", NULL, 0);
	struct actor cli;
	actor_cli(&cli);
	struct user u;
	struct err e;
	assert_int_equal(user_check_password(st, "hoa", PW, &u, &e), 0);
	assert_string_equal(u.username, "hoa");
	err_clear(&e);
	assert_int_equal(user_check_password(st, "hoa", "wrong-password", &u, &e), ERR_AUTH);
	assert_string_equal(e.field, "password");
	assert_int_equal(user_check_password(st, "nobody", PW, &u, &e), ERR_AUTH);
	assert_int_equal(user_check_password(st, NULL, PW, &u, &e), ERR_AUTH);
	assert_int_equal(user_set_disabled(st, &cli, "hoa", 1, &e), 0);
	assert_int_equal(user_check_password(st, "hoa", PW, &u, &e), ERR_AUTH);
}

static void test_list_json_lang_actor(void **state)
{
	struct store *st = *state;
	add_user(st, "b.user", "province", "79", 0);
	add_user(st, "a.user", "establishment", NULL, 5);
	struct actor cli;
	actor_cli(&cli);
	json_t *list = NULL;
	struct err e;
	assert_int_equal(user_list(st, &cli, &list, &e), 0);
	assert_int_equal(json_array_size(list), 2);
	/* Sorted by username; no secrets. */
	json_t *first = json_array_get(list, 0), *second = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(first, "username")), "a.user");
	assert_int_equal(json_integer_value(json_object_get(first, "establishment_id")), 5);
	assert_true(json_is_null(json_object_get(first, "province")));
	assert_string_equal(json_string_value(json_object_get(second, "province")), "79");
	assert_true(json_is_null(json_object_get(second, "establishment_id")));
	char *dump = json_dumps(list, 0);
	assert_null(strstr(dump, "argon2"));
	assert_null(strstr(dump, "password"));
	free(dump);
	json_decref(list);

	/* Language, set by the user themself. */
	struct user u;
	assert_int_equal(user_get_by_name(st, "b.user", &u, &e), 0);
	struct actor me;
	user_actor(&u, "10.0.0.1", &me);
	assert_int_equal(me.user_id, u.id);
	assert_string_equal(me.username, "b.user");
	assert_int_equal(me.role, ROLE_PROVINCE);
	assert_string_equal(me.province, "79");
	assert_string_equal(me.addr, "10.0.0.1");
	assert_int_equal(user_set_lang(st, &me, "en", &e), 0);
	assert_int_equal(user_get_by_name(st, "b.user", &u, &e), 0);
	assert_string_equal(u.lang, "en");
	err_clear(&e);
	assert_int_equal(user_set_lang(st, &me, "fr", &e), ERR_INVALID);
	assert_string_equal(e.field, "lang");
	assert_int_equal(user_set_lang(st, &me, NULL, &e), ERR_INVALID);
}

/* Each test gets a fresh database. */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_add_by_cli),   T(test_add_forbidden),  T(test_validation),
		T(test_duplicate),    T(test_not_found),      T(test_set_disabled),
		T(test_set_password), T(test_check_password), T(test_list_json_lang_actor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
