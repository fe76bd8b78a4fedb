/* test_audit.c - audit rows: what they keep, how they are listed, and that
 * a failed write leaves none. */
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
	*state = test_store_new("audit", NULL);
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return 0;
}

static struct actor person(const char *username, int64_t id)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = id;
	a.role = ROLE_ADMIN;
	snprintf(a.username, sizeof a.username, "%s", username);
	snprintf(a.addr, sizeof a.addr, "192.0.2.7");
	return a;
}

static void append(struct store *st, const struct actor *a, const char *entity, const char *id,
		   const char *action)
{
	struct err e;
	err_clear(&e);
	json_t *after = json_pack("{s:s}", "name", id);
	int rc = audit_append(st, a, entity, id, action, NULL, after, &e);
	json_decref(after);
	if (rc != 0)
		fail_msg("audit_append: %s", e.message);
}

static void test_append_diff(void **state)
{
	struct store *st = *state;
	struct actor a = person("an", 3);
	struct err e;
	json_t *before =
		json_pack("{s:i,s:i,s:s,s:s}", "same", 1, "changed", 2, "gone", "x", "keep", "k");
	json_t *after =
		json_pack("{s:i,s:i,s:s,s:s}", "same", 1, "changed", 3, "added", "y", "keep", "k");
	assert_int_equal(audit_append(st, &a, "thing", "9", "update", before, after, &e), 0);
	/* The caller's objects are untouched. */
	assert_int_equal(json_object_size(before), 4);
	assert_int_equal(json_object_size(after), 4);
	json_decref(before);
	json_decref(after);

	json_t *rows = NULL;
	int64_t total = 0;
	struct audit_filter f = {0};
	assert_int_equal(audit_list(st, &a, &f, &rows, &total, &e), 0);
	assert_int_equal(total, 1);
	json_t *row = json_array_get(rows, 0);
	assert_string_equal(json_string_value(json_object_get(row, "username")), "an");
	assert_int_equal(json_integer_value(json_object_get(row, "user_id")), 3);
	assert_string_equal(json_string_value(json_object_get(row, "addr")), "192.0.2.7");
	assert_string_equal(json_string_value(json_object_get(row, "entity")), "thing");
	assert_string_equal(json_string_value(json_object_get(row, "entity_id")), "9");
	assert_string_equal(json_string_value(json_object_get(row, "action")), "update");
	assert_int_equal(strlen(json_string_value(json_object_get(row, "at"))), 20);
	json_t *b = json_object_get(row, "before"), *af = json_object_get(row, "after");
	/* Only differing keys: changed, gone (now null), added (was null). */
	assert_int_equal(json_object_size(b), 3);
	assert_int_equal(json_object_size(af), 3);
	assert_int_equal(json_integer_value(json_object_get(b, "changed")), 2);
	assert_int_equal(json_integer_value(json_object_get(af, "changed")), 3);
	assert_string_equal(json_string_value(json_object_get(b, "gone")), "x");
	assert_true(json_is_null(json_object_get(af, "gone")));
	assert_true(json_is_null(json_object_get(b, "added")));
	assert_string_equal(json_string_value(json_object_get(af, "added")), "y");
	assert_null(json_object_get(af, "same"));
	assert_null(json_object_get(af, "keep"));
	json_decref(rows);

	/* Create and delete keep the whole object on their side, null on the other. */
	json_t *obj = json_pack("{s:i,s:i}", "a", 1, "b", 2);
	assert_int_equal(audit_append(st, &a, "thing", "10", "delete", obj, NULL, &e), 0);
	json_decref(obj);
	f.action = "delete";
	assert_int_equal(audit_list(st, &a, &f, &rows, &total, &e), 0);
	assert_int_equal(total, 1);
	row = json_array_get(rows, 0);
	assert_int_equal(json_object_size(json_object_get(row, "before")), 2);
	assert_true(json_is_null(json_object_get(row, "after")));
	json_decref(rows);
}

static void test_list_filters_and_pages(void **state)
{
	struct store *st = *state;
	struct actor an = person("an", 3), binh = person("binh", 4);
	/* 12 rows: an creates 8 things, binh updates 3 and deletes 1 widget. */
	char id[16];
	for (int i = 0; i < 8; i++) {
		snprintf(id, sizeof id, "%d", i);
		append(st, &an, "thing", id, "create");
	}
	append(st, &binh, "thing", "1", "update");
	append(st, &binh, "thing", "2", "update");
	append(st, &binh, "widget", "1", "update");
	append(st, &binh, "widget", "1", "delete");

	struct err e;
	json_t *rows = NULL;
	int64_t total = -1;
	struct audit_filter f = {0};
	assert_int_equal(audit_list(st, &an, &f, &rows, &total, &e), 0);
	assert_int_equal(total, 12);
	assert_int_equal(json_array_size(rows), 12);
	/* Newest first. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "action")),
			    "delete");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(rows, 11), "entity_id")), "0");
	json_int_t prev = INT64_MAX;
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_int_t rid = json_integer_value(json_object_get(json_array_get(rows, i), "id"));
		assert_true(rid < prev);
		prev = rid;
	}
	json_decref(rows);

	struct {
		const char *entity, *entity_id, *username, *action;
		int64_t want;
	} cases[] = {
		{"thing", NULL, NULL, NULL, 10},  {"widget", NULL, NULL, NULL, 2},
		{NULL, NULL, "an", NULL, 8},	  {NULL, NULL, "binh", NULL, 4},
		{NULL, NULL, NULL, "update", 3},  {NULL, NULL, NULL, "create", 8},
		{"thing", NULL, "binh", NULL, 2}, {"widget", "1", NULL, "delete", 1},
		{"thing", "1", NULL, NULL, 2},	  {NULL, NULL, "nobody", NULL, 0},
		{"gadget", NULL, NULL, NULL, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct audit_filter g = {cases[i].entity,
					 cases[i].entity_id,
					 cases[i].username,
					 cases[i].action,
					 NULL,
					 NULL,
					 0,
					 0};
		assert_int_equal(audit_list(st, &an, &g, &rows, &total, &e), 0);
		if (total != cases[i].want || (int64_t)json_array_size(rows) != cases[i].want)
			fail_msg("filter case %zu: total %lld rows %zu, want %lld", i,
				 (long long)total, json_array_size(rows), (long long)cases[i].want);
		for (size_t k = 0; k < json_array_size(rows); k++) {
			json_t *row = json_array_get(rows, k);
			if (cases[i].entity)
				assert_string_equal(
					json_string_value(json_object_get(row, "entity")),
					cases[i].entity);
			if (cases[i].username)
				assert_string_equal(
					json_string_value(json_object_get(row, "username")),
					cases[i].username);
			if (cases[i].action)
				assert_string_equal(
					json_string_value(json_object_get(row, "action")),
					cases[i].action);
		}
		json_decref(rows);
	}

	/* Time bounds: everything is after 2000 and before 2999. */
	struct audit_filter t = {0};
	t.from = "2000-01-01T00:00:00Z";
	t.to = "2999-01-01T00:00:00Z";
	assert_int_equal(audit_list(st, &an, &t, &rows, &total, &e), 0);
	assert_int_equal(total, 12);
	json_decref(rows);
	t.from = "2999-01-01T00:00:00Z";
	t.to = NULL;
	assert_int_equal(audit_list(st, &an, &t, &rows, &total, &e), 0);
	assert_int_equal(total, 0);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);

	/* Pages of 5 over the 8 creates: 5, 3, 0; total always 8. */
	struct audit_filter p = {0};
	p.action = "create";
	p.limit = 5;
	p.offset = 0;
	assert_int_equal(audit_list(st, &an, &p, &rows, &total, &e), 0);
	assert_int_equal(total, 8);
	assert_int_equal(json_array_size(rows), 5);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(rows, 0), "entity_id")), "7");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(rows, 4), "entity_id")), "3");
	json_decref(rows);
	p.offset = 5;
	assert_int_equal(audit_list(st, &an, &p, &rows, &total, &e), 0);
	assert_int_equal(total, 8);
	assert_int_equal(json_array_size(rows), 3);
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(rows, 0), "entity_id")), "2");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(rows, 2), "entity_id")), "0");
	json_decref(rows);
	p.offset = 10;
	assert_int_equal(audit_list(st, &an, &p, &rows, &total, &e), 0);
	assert_int_equal(total, 8);
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

static void test_list_admin_only(void **state)
{
	struct store *st = *state;
	struct actor an = person("an", 3);
	append(st, &an, "thing", "1", "create");
	enum role roles[] = {ROLE_MINISTRY, ROLE_PROVINCE, ROLE_ESTABLISHMENT, ROLE_VIEWER};
	for (size_t i = 0; i < 4; i++) {
		struct actor a = person("x", 5);
		a.role = roles[i];
		json_t *rows = NULL;
		int64_t total = -1;
		struct audit_filter f = {0};
		struct err e;
		err_clear(&e);
		assert_int_equal(audit_list(st, &a, &f, &rows, &total, &e), ERR_FORBIDDEN);
		assert_null(rows);
	}
}

static void test_failed_write_leaves_no_row(void **state)
{
	struct store *st = *state;
	struct actor cli;
	actor_cli(&cli);
	struct err e;
	struct user_input in = {"only.once", NULL, "viewer", NULL, 0};
	assert_int_equal(user_add(st, &cli, &in, PW, NULL, &e), 0);
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit");
	assert_int_equal(audits, 1);

	/* Duplicate name: the insert fails, so no audit row. */
	assert_int_equal(user_add(st, &cli, &in, PW, NULL, &e), ERR_CONFLICT);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits);
	/* Invalid input and forbidden callers write nothing either. */
	struct user_input bad = {"Bad Name", NULL, "viewer", NULL, 0};
	assert_int_equal(user_add(st, &cli, &bad, PW, NULL, &e), ERR_INVALID);
	struct actor v = person("viewer", 8);
	v.role = ROLE_VIEWER;
	struct user_input ok = {"fine.name", NULL, "viewer", NULL, 0};
	assert_int_equal(user_add(st, &v, &ok, PW, NULL, &e), ERR_FORBIDDEN);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits);

	/* A row appended inside a transaction that rolls back is gone with it. */
	assert_int_equal(store_begin(st, &e), 0);
	append(st, &cli, "thing", "1", "create");
	store_rollback(st);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits);

	/* And one inside a committed transaction stays. */
	assert_int_equal(store_begin(st, &e), 0);
	append(st, &cli, "thing", "1", "create");
	assert_int_equal(store_commit(st, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), audits + 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_append_diff),
		T(test_list_filters_and_pages),
		T(test_list_admin_only),
		T(test_failed_write_leaves_no_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
