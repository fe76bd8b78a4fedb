/* test_letterhead.c - the report's document settings: defaults from the
 * province, who may change them, what is refused, the router's list of keys,
 * and the capitals of the bodies' names. */
#include "testutil.h"

#include "core/vtext.h"
#include "model/letterhead.h"
#include "stats/report.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static char *db_path;
static struct actor admin;

static int group_setup(void **state)
{
	return test_group_reference(state, "letterhead", &db_path, &admin);
}

static int group_teardown(void **state)
{
	return test_group_close(state, db_path);
}

static const char *field(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_upper(void **state)
{
	(void)state;
	char *u = vtext_upper("Tỉnh Hưng Yên, xã Đông Thạnh");
	assert_string_equal(u, "TỈNH HƯNG YÊN, XÃ ĐÔNG THẠNH");
	free(u);
	u = vtext_upper("\xff");
	assert_string_equal(u, "");
	free(u);
}

static void test_keys_match_fields(void **state)
{
	(void)state;
	char keys[] = LETTERHEAD_KEYS;
	size_t i = 0;
	for (char *k = strtok(keys, ","); k; k = strtok(NULL, ","), i++) {
		assert_non_null(letterhead_fields[i].key);
		assert_string_equal(k, letterhead_fields[i].key);
	}
	assert_null(letterhead_fields[i].key);
}

static void test_defaults(void **state)
{
	struct store *st = *state;
	json_t *o;
	struct err e;
	assert_int_equal(letterhead_get(st, &admin, "01", &o, &e), 0);
	assert_string_equal(field(o, "parent_body"), "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI");
	assert_string_equal(field(o, "place"), "Hà Nội");
	assert_non_null(strstr(field(o, "recipients"), "Ủy ban nhân dân thành phố"));
	json_decref(o);
	assert_int_equal(letterhead_get(st, &admin, "national", &o, &e), 0);
	assert_string_equal(field(o, "parent_body"), "BỘ CÔNG THƯƠNG");
	json_decref(o);
	assert_int_equal(letterhead_get(st, &admin, "99", &o, &e), ERR_NOTFOUND);
	assert_string_equal(e.field, "scope");
	assert_int_equal(letterhead_get(st, &admin, "'; DROP", &o, &e), ERR_NOTFOUND);
}

static void test_who_may_change(void **state)
{
	struct store *st = *state;
	struct actor hy = test_actor(ROLE_PROVINCE, "33", 0), hn = test_actor(ROLE_PROVINCE, "01", 0),
		     min = test_actor(ROLE_MINISTRY, NULL, 0), viewer = test_actor(ROLE_VIEWER, "33", 0);
	json_t *in = json_pack("{s:s}", "signer_name", "Trần Thị Lan");
	struct err e;
	assert_int_equal(letterhead_set(st, &hn, "33", in, &e), ERR_FORBIDDEN);
	assert_int_equal(letterhead_set(st, &viewer, "33", in, &e), ERR_FORBIDDEN);
	assert_int_equal(letterhead_set(st, &min, "33", in, &e), ERR_FORBIDDEN);
	assert_int_equal(letterhead_set(st, &hy, "national", in, &e), ERR_FORBIDDEN);
	int64_t audits = test_count(st, "SELECT COUNT(*) FROM audit WHERE entity = 'document_settings'");
	assert_int_equal(letterhead_set(st, &hy, "33", in, &e), 0);
	assert_int_equal(letterhead_set(st, &min, "national", in, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE entity = 'document_settings'"),
			 audits + 2);
	json_decref(in);
	json_t *o;
	assert_int_equal(letterhead_get(st, &viewer, "33", &o, &e), 0);
	assert_string_equal(field(o, "signer_name"), "Trần Thị Lan");
	json_decref(o);
	assert_int_equal(letterhead_get(st, &hn, "33", &o, &e), ERR_FORBIDDEN);
}

static void test_refused_values(void **state)
{
	struct store *st = *state;
	struct err e;
	json_t *bad[] = {json_pack("{s:s}", "colour", "red"), json_pack("{s:i}", "place", 3),
			 json_pack("{s:s}", "place", "Hưng\nYên"),
			 json_pack("{s:s,s:s}", "signer_name", "A", "symbol", "")};
	const char *fields[] = {"colour", "place", "place", NULL};
	char *long_symbol = calloc(42, 1);
	memset(long_symbol, 'X', 41);
	json_t *too_long = json_pack("{s:s}", "symbol", long_symbol);
	free(long_symbol);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(letterhead_set(st, &admin, "33", bad[i], &e), ERR_INVALID);
		assert_string_equal(e.field, fields[i]);
	}
	assert_int_equal(letterhead_set(st, &admin, "33", too_long, &e), ERR_INVALID);
	assert_string_equal(e.field, "symbol");
	/* A refused change leaves nothing half-written: "" (back to the default)
	 * and a new name land together. */
	assert_int_equal(letterhead_set(st, &admin, "33", bad[3], &e), 0);
	json_t *o;
	assert_int_equal(letterhead_get(st, &admin, "33", &o, &e), 0);
	assert_string_equal(field(o, "symbol"), "BC-SCT");
	assert_string_equal(field(o, "signer_name"), "A");
	json_decref(o);
	for (size_t i = 0; i < 4; i++)
		json_decref(bad[i]);
	json_decref(too_long);
}

static void test_place_date(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	report_place_date(&b, "Hưng Yên", "2026-02-05");
	assert_string_equal(buf_cstr(&b), "Hưng Yên, ngày 05 tháng 02 năm 2026");
	buf_reset(&b);
	report_place_date(&b, "Hà Nội", "2026-12-14");
	assert_string_equal(buf_cstr(&b), "Hà Nội, ngày 14 tháng 12 năm 2026");
	buf_reset(&b);
	report_place_date(&b, "Huế", "2025-07-01");
	assert_string_equal(buf_cstr(&b), "Huế, ngày 01 tháng 7 năm 2025");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upper),           cmocka_unit_test(test_keys_match_fields),
		cmocka_unit_test(test_defaults),        cmocka_unit_test(test_who_may_change),
		cmocka_unit_test(test_refused_values),  cmocka_unit_test(test_place_date),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
