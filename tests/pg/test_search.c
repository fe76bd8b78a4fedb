/* test_search.c - search without diacritics gives the same answers on SQLite
 * and on PostgreSQL: the same records are created in both through the model,
 * and record lists and unit searches are compared result for result, order
 * included, for Vietnamese queries with and without marks, đ/d, both tone
 * placements, several words and LIKE metacharacters. Each query's expected
 * count is also asserted, so two equally wrong answers do not pass. Needs
 * KC_TEST_PG (scripts/pg-test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pgtest.h"

#include "model/actor.h"
#include "model/industry.h"
#include "model/record.h"
#include "model/unit.h"
#include "store/store.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct store *lite, *pg;
static char lite_path[512], pg_name[64];
static struct actor admin;

/* The establishments, created in this order in both databases. */
static const char *const names[][2] = {
	{"Công ty TNHH Hoàng Minh Châu Hưng Yên", "Xã Mễ Sở, Hưng Yên"},
	{"Hợp tác xã mây tre Phú Vinh", "Phường Hoàn Kiếm, Hà Nội"},
	{"Cơ sở mộc Thủy", "Xã Mễ Sở, Hưng Yên"},
	{"Cơ sở gốm Thuỷ", "Phường Hoàn Kiếm, Hà Nội"},
	{"Hộ kinh doanh Hoà Bình", "Xã Mễ Sở, Hưng Yên"},
	{"Hộ kinh doanh Hòa Bình", "Phường Hoàn Kiếm, Hà Nội"},
	{"Trung tâm Đào tạo nghề Đông Anh", "Phường Hoàn Kiếm, Hà Nội"},
	{"Cơ sở dao kéo Đa Sỹ", "Phường Hoàn Kiếm, Hà Nội"},
	{"Xưởng 50% tre_nứa", "Xã Mễ Sở, Hưng Yên"},
	{"Cơ sở 500 tre nứa", "Xã Mễ Sở, Hưng Yên"},
	{"\xC3\x90ồng Xâm chạm bạc", "Xã Mễ Sở, Hưng Yên"}, /* U+00D0, mended to Đ */
};
enum { NRECORDS = sizeof names / sizeof names[0] };

static int load(struct store *st)
{
	struct err e;
	err_clear(&e);
	if (store_migrate(st, &e) < 0 || unit_load_all(st, NULL, &e) < 0 ||
	    industry_load_all(st, &e) < 0) {
		fprintf(stderr, "load: %s\n", e.message);
		return -1;
	}
	const struct entity *ent = entity_find("establishments");
	for (int i = 0; i < NRECORDS; i++) {
		json_t *in = json_pack("{s:s,s:s,s:s}", "name", names[i][0], "kind", "household",
				       "commune_id", names[i][1]);
		int64_t id = 0;
		int rc = record_create(st, &admin, ent, in, &id, &e);
		json_decref(in);
		if (rc < 0) {
			fprintf(stderr, "create %s: %s (%s)\n", names[i][0], e.message, e.field);
			return -1;
		}
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	char pgurl[1024];
	if (pgtest_create("search", pg_name, sizeof pg_name, pgurl, sizeof pgurl) < 0)
		return -1;
	actor_cli(&admin);
	pgtest_sqlite_path("search", lite_path, sizeof lite_path);
	struct err e;
	err_clear(&e);
	if (store_open(lite_path, &lite, &e) < 0 || store_open(pgurl, &pg, &e) < 0) {
		fprintf(stderr, "open: %s\n", e.message);
		return -1;
	}
	return load(lite) < 0 || load(pg) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(lite);
	store_close(pg);
	unlink(lite_path);
	pgtest_drop(pg_name);
	return 0;
}

/* "id name; id name; ..." of the list, and its total in *total. */
static char *list_of(struct store *st, const char *q, const char *sort, int64_t *total)
{
	struct list_query qy = {0};
	qy.q = q;
	qy.sort = sort;
	qy.limit = 100;
	json_t *items = NULL;
	struct err e;
	err_clear(&e);
	int rc = record_list(st, &admin, entity_find("establishments"), &qy, &items, total, &e);
	if (rc < 0)
		fail_msg("record_list(%s) on %s: %s", q, store_dialect(st), e.message);
	size_t n = 0, i;
	json_t *it;
	char *out = calloc(1, 1);
	json_array_foreach(items, i, it)
	{
		const char *name = json_string_value(json_object_get(it, "name"));
		long long id = (long long)json_integer_value(json_object_get(it, "id"));
		size_t add = strlen(name) + 32;
		out = realloc(out, n + add);
		n += (size_t)snprintf(out + n, add, "%lld %s; ", id, name);
	}
	json_decref(items);
	return out;
}

static void same_list(const char *q, int64_t want)
{
	static const char *const sorts[] = {NULL, "name"};
	for (int k = 0; k < 2; k++) {
		int64_t tl = -1, tp = -1;
		char *a = list_of(lite, q, sorts[k], &tl), *b = list_of(pg, q, sorts[k], &tp);
		if (strcmp(a, b) || tl != tp)
			fail_msg("q=\"%s\" sort=%s:\n  sqlite     %lld: %s\n  postgresql %lld: %s",
				 q, sorts[k] ? sorts[k] : "newest", (long long)tl, a, (long long)tp,
				 b);
		if (tl != want)
			fail_msg("q=\"%s\": %lld matches on both, expected %lld: %s", q,
				 (long long)tl, (long long)want, a);
		free(a);
		free(b);
	}
}

static void test_record_search(void **state)
{
	(void)state;
	same_list("hoang minh chau", 1);
	same_list("HOÀNG Minh", 1);
	same_list("minh chau hung yen cong ty", 1); /* several words, any order */
	same_list("oang", 0);			    /* words match at their start */
	same_list("dao", 2);			    /* "Đào" and "dao" */
	same_list("Đào tạo", 1);
	same_list("dao tao", 1);
	same_list("đào", 2);
	same_list("thuy", 2); /* "Thủy" and "Thuỷ" */
	same_list("Thủy", 2);
	same_list("Thuỷ", 2);
	same_list("hoa binh", 2); /* "Hoà Bình" and "Hòa Bình" */
	same_list("Hòa Bình", 2);
	same_list("Hoà Bình", 2);
	same_list("hoa", 3); /* and "Hoàng" */
	same_list("kinh doanh hoa", 2);
	same_list("co so", 4);
	same_list("dong", 2); /* "Đông Anh" and "Đồng Xâm" (mended Ð) */
	same_list("\xC3\x90ồng xâm", 1);
	same_list("tre nua", 2);
	same_list("tre_nứa", 2);
	same_list("50%", 2); /* "50" and "500": % is no wildcard, it is dropped */
	same_list("5_", 2);
	same_list("%", NRECORDS); /* nothing left to search for */
	same_list("_", NRECORDS);
	same_list("%ng", 1); /* the word "nghề"; as a wildcard it would match "Hưng"... */
	same_list("zzz", 0);
	same_list(NULL, NRECORDS);
}

/* The whole answer of unit_find as JSON text. */
static char *units_of(struct store *st, const char *q, int64_t *n)
{
	json_t *items = NULL;
	struct err e;
	err_clear(&e);
	if (unit_find(st, q, NULL, NULL, 50, &items, &e) < 0)
		fail_msg("unit_find(%s) on %s: %s", q, store_dialect(st), e.message);
	*n = (int64_t)json_array_size(items);
	char *s = json_dumps(items, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(items);
	return s;
}

static void same_units(const char *q, int at_least)
{
	int64_t nl, np;
	char *a = units_of(lite, q, &nl), *b = units_of(pg, q, &np);
	if (strcmp(a, b))
		fail_msg("unit_find(\"%s\") differs:\n  sqlite     %.600s\n  postgresql %.600s", q,
			 a, b);
	if (nl < at_least)
		fail_msg("unit_find(\"%s\"): %lld units, expected at least %d", q, (long long)nl,
			 at_least);
	if (at_least == 0 && nl != 0)
		fail_msg("unit_find(\"%s\"): %lld units, expected none", q, (long long)nl);
	free(a);
	free(b);
}

static void test_unit_search(void **state)
{
	(void)state;
	same_units("Hòa Bình", 2); /* the old province, and more */
	same_units("Hoà Bình", 2);
	same_units("hoa binh", 2);
	same_units("Thủy Nguyên", 1);
	same_units("thuy nguyen", 1);
	same_units("Đông Anh", 1);
	same_units("dong anh", 1);
	same_units("me so", 1);
	same_units("ha noi", 1);
	same_units("ha_noi", 1);
	same_units("ha%", 1);
	same_units("%noi", 1);
	same_units("qqqxyz", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_search),
		cmocka_unit_test(test_unit_search),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
