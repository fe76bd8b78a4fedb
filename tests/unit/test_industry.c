/* test_industry.c - VSIC industry codes: loading both editions from the
 * embedded data, lookup, the date rule of industry_check, and search. */
#include "testutil.h"

#include "core/vtext.h"
#include "model/industry.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	struct store *st = test_store_new("industry", NULL);
	struct err e;
	err_clear(&e);
	if (industry_load_all(st, &e) != 0) {
		print_error("industry_load_all: %s (%s)\n", e.message, e.field);
		store_close(st);
		return -1;
	}
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return 0;
}

static int64_t level_count(struct store *st, const char *edition, int level)
{
	struct err e;
	err_clear(&e);
	int64_t n = -1;
	int rc = store_int(st, &e, &n,
			   "SELECT COUNT(*) FROM industries WHERE edition = ? AND level = ?", "ti",
			   edition, (int64_t)level);
	assert_int_equal(rc, 1);
	return n;
}

/* ---- loading ---- */

static void test_counts_2025(void **state)
{
	struct store *st = *state;
	assert_int_equal(level_count(st, "2025", 1), 22);
	assert_int_equal(level_count(st, "2025", 2), 87);
	assert_int_equal(level_count(st, "2025", 3), 259);
	assert_int_equal(level_count(st, "2025", 4), 495);
	assert_int_equal(level_count(st, "2025", 5), 743);
}

static void test_counts_2018(void **state)
{
	struct store *st = *state;
	assert_int_equal(level_count(st, "2018", 1), 21);
	assert_int_equal(level_count(st, "2018", 2), 88);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM industries WHERE edition = '2018'"
					" AND level > 2"),
			 0);
}

static void test_tree_is_whole(void **state)
{
	struct store *st = *state;
	/* Every parent exists in the same edition, one level up. */
	assert_int_equal(test_count(st,
				    "SELECT COUNT(*) FROM industries c WHERE c.parent_code IS NOT"
				    " NULL AND NOT EXISTS (SELECT 1 FROM industries p WHERE"
				    " p.edition = c.edition AND p.code = c.parent_code"
				    " AND p.level = c.level - 1)"),
			 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM industries WHERE level = 1"
					" AND parent_code IS NOT NULL"),
			 0);
	/* Search keys are filled. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM industries WHERE fold_key = ''"), 0);
}

static void test_load_is_idempotent(void **state)
{
	struct store *st = *state;
	struct err e;
	err_clear(&e);
	/* A stray row that is not in the data goes; a renamed one is restored. */
	assert_int_equal(store_run(st, &e,
				   "INSERT INTO industries(edition, code, level, name, parent_code,"
				   " fold_key) VALUES ('2025', '10999', 5, 'x', '1099', 'x')",
				   ""),
			 0);
	assert_int_equal(store_run(st, &e,
				   "UPDATE industries SET name = 'y' WHERE edition = '2025'"
				   " AND code = '10'",
				   ""),
			 0);
	assert_int_equal(industry_load_all(st, &e), 0);
	assert_int_equal(industry_load_all(st, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM industries"), 1606 + 109);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM industries WHERE code = '10999'"), 0);
	json_t *o = NULL;
	assert_int_equal(industry_get(st, "2025", "10", &o, &e), 0);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
			    "Sản xuất, chế biến thực phẩm");
	json_decref(o);
}

static void test_edition_check_constraint(void **state)
{
	struct store *st = *state;
	struct err e;
	err_clear(&e);
	int rc = store_run(st, &e,
			   "INSERT INTO industries(edition, code, level, name, fold_key)"
			   " VALUES ('2019', 'A', 1, 'x', 'x')",
			   "");
	assert_true(rc < 0);
}

/* ---- industry_get ---- */

static void test_get_known_codes(void **state)
{
	struct store *st = *state;
	struct err e;
	err_clear(&e);
	json_t *o = NULL;
	assert_int_equal(industry_get(st, "2025", "10", &o, &e), 0);
	assert_string_equal(json_string_value(json_object_get(o, "edition")), "2025");
	assert_string_equal(json_string_value(json_object_get(o, "code")), "10");
	assert_int_equal(json_integer_value(json_object_get(o, "level")), 2);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
			    "Sản xuất, chế biến thực phẩm");
	assert_string_equal(json_string_value(json_object_get(o, "parent_code")), "C");
	json_decref(o);

	assert_int_equal(industry_get(st, "2025", "C", &o, &e), 0);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
			    "CÔNG NGHIỆP CHẾ BIẾN, CHẾ TẠO");
	assert_true(json_is_null(json_object_get(o, "parent_code")));
	json_decref(o);

	assert_int_equal(industry_get(st, "2025", "01110", &o, &e), 0);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Trồng lúa");
	assert_string_equal(json_string_value(json_object_get(o, "parent_code")), "0111");
	json_decref(o);

	/* Division 45 exists in 2018 only; section V in 2025 only. */
	assert_int_equal(industry_get(st, "2018", "45", &o, &e), 0);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
			    "Bán, sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác");
	assert_string_equal(json_string_value(json_object_get(o, "parent_code")), "G");
	json_decref(o);
	assert_int_equal(industry_get(st, "2025", "V", &o, &e), 0);
	json_decref(o);
	assert_int_equal(industry_get(st, "2018", "J", &o, &e), 0);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
			    "THÔNG TIN VÀ TRUYỀN THÔNG");
	json_decref(o);
}

static void test_get_refusals(void **state)
{
	struct store *st = *state;
	struct err e;
	json_t *o = NULL;
	err_clear(&e);
	assert_int_equal(industry_get(st, "2025", "45", &o, &e), ERR_NOTFOUND);
	assert_null(o);
	assert_string_equal(e.field, "code");
	err_clear(&e);
	assert_int_equal(industry_get(st, "2018", "V", &o, &e), ERR_NOTFOUND);
	err_clear(&e);
	assert_int_equal(industry_get(st, "2007", "10", &o, &e), ERR_INVALID);
	assert_string_equal(e.field, "edition");
	err_clear(&e);
	assert_int_equal(industry_get(st, NULL, "10", &o, &e), ERR_INVALID);
}

/* ---- industry_check ---- */

static void assert_check_ok(struct store *st, const char *code, const char *date,
			    const char *edition)
{
	struct err e;
	err_clear(&e);
	const char *ed = NULL;
	int rc = industry_check(st, code, date, &ed, &e);
	if (rc != 0)
		fail_msg("industry_check(%s, %s): %s", code, date ? date : "(today)", e.message);
	assert_non_null(ed);
	assert_string_equal(ed, edition);
}

static void assert_check_refused(struct store *st, const char *code, const char *date,
				 const char *field)
{
	struct err e;
	err_clear(&e);
	const char *ed = "x";
	assert_int_equal(industry_check(st, code, date, &ed, &e), ERR_INVALID);
	assert_null(ed);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, field);
	assert_true(strlen(e.message) > 0);
	/* Industry code messages say it in Vietnamese and in English. */
	if (!strcmp(field, "industry_code"))
		assert_non_null(strstr(e.message, " / "));
}

static void test_check_before_2025_rule(void **state)
{
	struct store *st = *state;
	/* A 2018 division on a 2020 record. */
	assert_check_ok(st, "45", "2020-06-01", "2018");
	assert_check_ok(st, "10", "2020-06-01", "2018");
	assert_check_ok(st, "46", "15/03/2019", "2018");
	/* A 2025 code is also allowed on an earlier record. */
	assert_check_ok(st, "01110", "2020-06-01", "2025");
	assert_check_ok(st, "V", "2024-01-01", "2025");
	/* The last day before the new classification. */
	assert_check_ok(st, "45", "2025-11-14", "2018");
	/* Spaces and a lower-case section letter are tolerated. */
	assert_check_ok(st, " 45 ", "2020-06-01", "2018");
	assert_check_ok(st, "u", "2020-06-01", "2018");
}

static void test_check_from_2025_rule(void **state)
{
	struct store *st = *state;
	assert_check_ok(st, "10", "2025-11-15", "2025");
	assert_check_ok(st, "10", "2026-03-01", "2025");
	assert_check_ok(st, "47900", "2026-03-01", "2025");
	assert_check_ok(st, "10", NULL, "2025");
	assert_check_ok(st, "10", "", "2025");
	/* Division 45 was dropped by VSIC 2025. (Section letters are in both
	 * editions: 2018's U became V, and U is now households.) */
	assert_check_refused(st, "45", "2025-11-15", "industry_code");
	assert_check_refused(st, "45", "2026-01-10", "industry_code");
	assert_check_ok(st, "U", "2026-01-10", "2025");

	struct err e;
	err_clear(&e);
	assert_int_equal(industry_check(st, "45", "2026-01-10", NULL, &e), ERR_INVALID);
	assert_non_null(strstr(e.message, "VSIC 2018"));
}

static void test_check_refuses_bogus_codes(void **state)
{
	struct store *st = *state;
	assert_check_refused(st, "99999", "2020-06-01", "industry_code");
	assert_check_refused(st, "99999", "2026-06-01", "industry_code");
	assert_check_refused(st, "04", "2020-06-01", "industry_code");
	assert_check_refused(st, "W", "2026-06-01", "industry_code");
	assert_check_refused(st, "abc", "2020-06-01", "industry_code");
	assert_check_refused(st, "1234567", "2020-06-01", "industry_code");
	assert_check_refused(st, "10'; DROP TABLE industries; --", "2020-06-01", "industry_code");
	assert_check_refused(st, "", "2020-06-01", "industry_code");
	assert_check_refused(st, "  ", "2020-06-01", "industry_code");
	assert_check_refused(st, NULL, "2020-06-01", "industry_code");
	/* A bad date names the date. */
	assert_check_refused(st, "10", "2020-13-01", "date");
	assert_check_refused(st, "10", "yesterday", "date");
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM industries"), 1606 + 109);
}

/* ---- industry_search ---- */

/* True when arr has an object of this edition and code. */
static int has_result(json_t *arr, const char *edition, const char *code)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
	{
		if (!strcmp(json_string_value(json_object_get(o, "edition")), edition) &&
		    !strcmp(json_string_value(json_object_get(o, "code")), code))
			return 1;
	}
	return 0;
}

static void test_search_by_name(void **state)
{
	struct store *st = *state;
	struct err e;
	err_clear(&e);
	json_t *arr = NULL;
	assert_int_equal(industry_search(st, "che bien", NULL, 100, &arr, &e), 0);
	assert_true(json_array_size(arr) > 0);
	assert_true(json_array_size(arr) <= 100);
	/* Manufacturing: the section and the food division, in both editions. */
	assert_true(has_result(arr, "2025", "C"));
	assert_true(has_result(arr, "2025", "10"));
	assert_true(has_result(arr, "2018", "C"));
	/* Newest edition first, then by level. */
	json_t *first = json_array_get(arr, 0);
	assert_string_equal(json_string_value(json_object_get(first, "edition")), "2025");
	assert_string_equal(json_string_value(json_object_get(first, "code")), "C");
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
	{
		const char *name = json_string_value(json_object_get(o, "name"));
		assert_true(vtext_matches(name, "che bien"));
	}
	json_decref(arr);

	/* With diacritics and capitals, restricted to one edition. */
	assert_int_equal(industry_search(st, "Chế Biến", "2018", 0, &arr, &e), 0);
	assert_true(json_array_size(arr) > 0);
	json_array_foreach(arr, i, o)
	{
		assert_string_equal(json_string_value(json_object_get(o, "edition")), "2018");
	}
	assert_true(has_result(arr, "2018", "C"));
	assert_true(has_result(arr, "2018", "10"));
	json_decref(arr);

	/* Word prefixes: "thuc pha" finds food; the inside of a word ("ghiep" in
	 * "nghiep") does not match, nor does a word that is nowhere. */
	assert_int_equal(industry_search(st, "thuc pha", "2025", 500, &arr, &e), 0);
	assert_true(has_result(arr, "2025", "10"));
	json_decref(arr);
	assert_int_equal(industry_search(st, "ghiep", NULL, 500, &arr, &e), 0);
	assert_int_equal(json_array_size(arr), 0);
	json_decref(arr);
	assert_int_equal(industry_search(st, "xyzzy", NULL, 10, &arr, &e), 0);
	assert_int_equal(json_array_size(arr), 0);
	json_decref(arr);
}

static void test_search_by_code_and_limits(void **state)
{
	struct store *st = *state;
	struct err e;
	err_clear(&e);
	json_t *arr = NULL;
	assert_int_equal(industry_search(st, "0111", NULL, 50, &arr, &e), 0);
	assert_int_equal(json_array_size(arr), 2); /* 0111 and 01110, 2025 only */
	assert_true(has_result(arr, "2025", "0111"));
	assert_true(has_result(arr, "2025", "01110"));
	json_decref(arr);

	assert_int_equal(industry_search(st, "45", "2018", 50, &arr, &e), 0);
	assert_int_equal(json_array_size(arr), 1);
	json_decref(arr);

	assert_int_equal(industry_search(st, "01", "2025", 3, &arr, &e), 0);
	assert_int_equal(json_array_size(arr), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 0), "code")),
			    "01");
	json_decref(arr);

	/* An empty query lists everything up to the limit. */
	assert_int_equal(industry_search(st, "", NULL, 0, &arr, &e), 0);
	assert_int_equal(json_array_size(arr), 20);
	json_decref(arr);
	assert_int_equal(industry_search(st, NULL, "2018", 1000, &arr, &e), 0);
	assert_int_equal(json_array_size(arr), 109);
	json_decref(arr);

	/* LIKE wildcards in the query are not wildcards. */
	assert_int_equal(industry_search(st, "%", NULL, 10, &arr, &e), 0);
	assert_int_equal(json_array_size(arr), 10); /* folds to "", i.e. everything */
	json_decref(arr);
	assert_int_equal(industry_search(st, "_1", NULL, 500, &arr, &e), 0);
	assert_true(json_array_size(arr) > 0);
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
	{
		assert_int_equal(json_string_value(json_object_get(o, "code"))[0], '1');
	}
	json_decref(arr);

	err_clear(&e);
	arr = NULL;
	assert_int_equal(industry_search(st, "che bien", "2007", 10, &arr, &e), ERR_INVALID);
	assert_null(arr);
	assert_string_equal(e.field, "edition");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_2025),
		cmocka_unit_test(test_counts_2018),
		cmocka_unit_test(test_tree_is_whole),
		cmocka_unit_test(test_load_is_idempotent),
		cmocka_unit_test(test_edition_check_constraint),
		cmocka_unit_test(test_get_known_codes),
		cmocka_unit_test(test_get_refusals),
		cmocka_unit_test(test_check_before_2025_rule),
		cmocka_unit_test(test_check_from_2025_rule),
		cmocka_unit_test(test_check_refuses_bogus_codes),
		cmocka_unit_test(test_search_by_name),
		cmocka_unit_test(test_search_by_code_and_limits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
