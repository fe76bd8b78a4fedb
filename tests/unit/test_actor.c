/* test_actor.c - role names and the permission rules of each role. */
#include "testutil.h"

#include "model/actor.h"

#include <stdio.h>
#include <string.h>

static struct actor make(enum role r, const char *province, int64_t est)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 10;
	snprintf(a.username, sizeof a.username, "u");
	a.role = r;
	snprintf(a.province, sizeof a.province, "%s", province ? province : "");
	a.establishment_id = est;
	return a;
}

static void test_role_names(void **state)
{
	(void)state;
	static const char *const names[ROLE_COUNT] = {"admin", "ministry", "province",
						      "establishment", "viewer"};
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_string_equal(role_name((enum role)r), names[r]);
		assert_int_equal(role_parse(names[r]), r);
		assert_int_equal(role_parse(role_name((enum role)r)), r);
	}
	assert_int_equal(role_parse("boss"), -1);
	assert_int_equal(role_parse("Admin"), -1);
	assert_int_equal(role_parse(""), -1);
	assert_int_equal(role_parse(NULL), -1);
	assert_string_equal(role_name(ROLE_COUNT), "unknown");
}

static void test_cli_actor(void **state)
{
	(void)state;
	struct actor a;
	memset(&a, 0x5a, sizeof a);
	actor_cli(&a);
	assert_int_equal(a.role, ROLE_ADMIN);
	assert_int_equal(a.user_id, 0);
	assert_string_equal(a.username, "cli");
	assert_string_equal(a.addr, "cli");
	assert_string_equal(a.province, "");
	assert_int_equal(a.establishment_id, 0);
	assert_true(actor_is_admin(&a));
}

static void test_admin_and_ministry(void **state)
{
	(void)state;
	enum role roles[] = {ROLE_ADMIN, ROLE_MINISTRY};
	for (size_t i = 0; i < 2; i++) {
		struct actor a = make(roles[i], "", 0);
		assert_true(actor_reads_all(&a));
		assert_true(actor_can_read_province(&a, "01"));
		assert_true(actor_can_read_province(&a, "79"));
		assert_true(actor_can_write_province(&a, "01"));
		assert_true(actor_can_write_province(&a, "79"));
	}
	struct actor admin = make(ROLE_ADMIN, "", 0), ministry = make(ROLE_MINISTRY, "", 0);
	assert_true(actor_is_admin(&admin));
	assert_false(actor_is_admin(&ministry));
}

static void test_province(void **state)
{
	(void)state;
	struct actor a = make(ROLE_PROVINCE, "01", 0);
	assert_false(actor_is_admin(&a));
	assert_false(actor_reads_all(&a));
	assert_true(actor_can_read_province(&a, "01"));
	assert_true(actor_can_write_province(&a, "01"));
	assert_false(actor_can_read_province(&a, "79"));
	assert_false(actor_can_write_province(&a, "79"));
	assert_false(actor_can_read_province(&a, "0"));
	assert_false(actor_can_read_province(&a, "011"));
	assert_false(actor_can_read_province(&a, NULL));
	assert_false(actor_can_write_province(&a, NULL));
}

static void test_viewer(void **state)
{
	(void)state;
	/* Scoped to a province: reads only it, writes nothing. */
	struct actor v = make(ROLE_VIEWER, "48", 0);
	assert_false(actor_reads_all(&v));
	assert_true(actor_can_read_province(&v, "48"));
	assert_false(actor_can_read_province(&v, "01"));
	assert_false(actor_can_write_province(&v, "48"));
	assert_false(actor_can_write_province(&v, "01"));
	assert_false(actor_is_admin(&v));

	/* Unscoped: reads everything, still writes nothing. */
	struct actor u = make(ROLE_VIEWER, "", 0);
	assert_true(actor_reads_all(&u));
	assert_true(actor_can_read_province(&u, "48"));
	assert_true(actor_can_read_province(&u, "01"));
	assert_false(actor_can_write_province(&u, "48"));
	assert_false(actor_can_write_province(&u, "01"));
}

static void test_establishment(void **state)
{
	(void)state;
	struct actor a = make(ROLE_ESTABLISHMENT, "", 7);
	assert_false(actor_reads_all(&a));
	assert_false(actor_can_read_province(&a, "01"));
	assert_false(actor_can_write_province(&a, "01"));
	assert_false(actor_is_admin(&a));
	/* Even a province code left on an establishment actor grants nothing. */
	struct actor b = make(ROLE_ESTABLISHMENT, "01", 7);
	assert_false(actor_reads_all(&b));
	assert_false(actor_can_read_province(&b, "01"));
	assert_false(actor_can_write_province(&b, "01"));
}

static void test_null_actor(void **state)
{
	(void)state;
	assert_false(actor_is_admin(NULL));
	assert_false(actor_reads_all(NULL));
	assert_false(actor_can_read_province(NULL, "01"));
	assert_false(actor_can_write_province(NULL, "01"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_names),
		cmocka_unit_test(test_cli_actor),
		cmocka_unit_test(test_admin_and_ministry),
		cmocka_unit_test(test_province),
		cmocka_unit_test(test_viewer),
		cmocka_unit_test(test_establishment),
		cmocka_unit_test(test_null_actor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
