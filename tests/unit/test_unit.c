/* test_unit.c - the administrative units: loading the embedded lists and the
 * NSO conversion table into a fresh database, the succession old -> new,
 * search with and without diacritics, resolution for importers and the
 * reconciliation report. With KC_WRITE_REPORT=path set, the report is also
 * written there (that is how data/units/RECONCILIATION.md is made). */
#include "testutil.h"

#include "model/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The number of old communes with more than one successor, as computed
 * from the NSO table after its corrections (see RECONCILIATION.md). */
enum { SPLIT_COMMUNES = 440 };

static struct store *st;
static char *db_path;
static double load_seconds;

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(void **state)
{
	(void)state;
	struct err e = {0};
	db_path = test_tmp_path("units.db");
	if (store_open(db_path, &st, &e) < 0 || store_migrate(st, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		return -1;
	}
	struct buf report = BUF_INIT;
	double t0 = now_seconds();
	int rc = unit_load_all(st, &report, &e);
	load_seconds = now_seconds() - t0;
	fprintf(stderr, "%s(loaded in %.2f s)\n", buf_cstr(&report), load_seconds);
	buf_free(&report);
	if (rc < 0)
		fprintf(stderr, "unit_load_all: %s\n", e.message);
	return rc < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	unlink(db_path);
	free(db_path);
	return 0;
}

static int64_t count(const char *sql)
{
	struct err e = {0};
	int64_t n = -1;
	assert_true(store_int(st, &e, &n, sql, "") >= 0);
	return n;
}

/* ---- helpers over the JSON results ---- */

static json_t *find(const char *q, const char *era, const char *level)
{
	struct err e = {0};
	json_t *out = NULL;
	assert_int_equal(unit_find(st, q, era, level, 50, &out, &e), 0);
	assert_non_null(out);
	return out;
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The item of items with era, level and code, or NULL. */
static json_t *item(json_t *items, const char *era, const char *level, const char *code)
{
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x)
	{
		if (!strcmp(jstr(x, "era"), era) && !strcmp(jstr(x, "level"), level) &&
		    !strcmp(jstr(x, "code"), code))
			return x;
	}
	return NULL;
}

static json_t *link_to(json_t *links, const char *code)
{
	size_t i;
	json_t *x;
	json_array_foreach(links, i, x)
	{
		if (!strcmp(jstr(x, "code"), code))
			return x;
	}
	return NULL;
}

static const char *today(json_t *x)
{
	return jstr(json_object_get(x, "today_province"), "code");
}

static struct unit get(const char *era, const char *level, const char *code)
{
	struct err e = {0};
	struct unit u;
	assert_int_equal(unit_get_by_code(st, era, level, code, &u, &e), 0);
	return u;
}

/* ---- loading ---- */

static void test_counts(void **state)
{
	(void)state;
	assert_int_equal(
		count("SELECT COUNT(*) FROM units WHERE era = 'old' AND level = 'province'"), 63);
	assert_int_equal(
		count("SELECT COUNT(*) FROM units WHERE era = 'old' AND level = 'district'"), 696);
	assert_int_equal(
		count("SELECT COUNT(*) FROM units WHERE era = 'old' AND level = 'commune'"), 10035);
	assert_int_equal(count("SELECT COUNT(DISTINCT code) FROM units WHERE era = 'new'"
			       " AND level = 'province'"),
			 34);
	assert_int_equal(count("SELECT COUNT(DISTINCT code) FROM units WHERE era = 'new'"
			       " AND level = 'commune'"),
			 3321);
	assert_int_equal(count("SELECT COUNT(*) FROM units WHERE era = 'new' AND is_current = 1"),
			 34 + 3321);
	/* Every old commune has a successor, each in one province. */
	assert_int_equal(count("SELECT COUNT(*) FROM units u WHERE u.era = 'old' AND u.level ="
			       " 'commune' AND NOT EXISTS (SELECT 1 FROM unit_succession s"
			       " WHERE s.old_unit_id = u.id)"),
			 0);
	assert_int_equal(count("SELECT COUNT(*) FROM units WHERE era = 'old'"
			       " AND new_province_code IS NULL"),
			 0);
	/* Every new commune has a predecessor. */
	assert_int_equal(count("SELECT COUNT(*) FROM units u WHERE u.era = 'new' AND u.level ="
			       " 'commune' AND u.valid_from = '2025-07-01' AND NOT EXISTS (SELECT 1"
			       " FROM unit_succession s WHERE s.new_unit_id = u.id)"),
			 0);
}

static void test_load_is_idempotent(void **state)
{
	(void)state;
	/* The load time is printed by setup, not asserted: on a shared machine
	 * (and on PostgreSQL under sanitizers) it varies too much for a test;
	 * bench/ measures speed. */
	int64_t before = count("SELECT COUNT(*) FROM unit_succession");
	struct err e = {0};
	struct buf report = BUF_INIT;
	assert_int_equal(unit_load_all(st, &report, &e), 0);
	assert_non_null(strstr(buf_cstr(&report), "already loaded"));
	buf_free(&report);
	assert_int_equal(count("SELECT COUNT(*) FROM unit_succession"), before);
	assert_int_equal(count("SELECT COUNT(*) FROM units WHERE era = 'old'"), 63 + 696 + 10035);
}

static void test_split_communes(void **state)
{
	(void)state;
	int64_t split = count("SELECT COUNT(*) FROM (SELECT s.old_unit_id FROM unit_succession s"
			      " JOIN units o ON o.id = s.old_unit_id WHERE o.level = 'commune'"
			      " GROUP BY s.old_unit_id HAVING COUNT(*) > 1) x");
	assert_int_equal(split, SPLIT_COMMUNES);
	assert_true(split >= 400 && split <= 480);
}

/* ---- the required behaviours ---- */

static void test_nam_dinh(void **state)
{
	(void)state;
	const char *spellings[] = {"Nam Định", "nam dinh", "NAM ĐỊNH", "tỉnh Nam Định"};
	for (size_t i = 0; i < 4; i++) {
		json_t *r = find(spellings[i], NULL, NULL);
		json_t *p = item(r, "old", "province", "36");
		assert_non_null(p);
		assert_string_equal(today(p), "37");
		json_t *to = link_to(json_object_get(p, "successors"), "37");
		assert_non_null(to);
		assert_string_equal(jstr(to, "kind"), "whole");
		json_decref(r);
	}
	/* The type word narrows: "tỉnh Nam Định" is the province and nothing else. */
	json_t *r = find("tỉnh Nam Định", NULL, NULL);
	assert_int_equal(json_array_size(r), 1);
	json_decref(r);
	struct unit u = get("old", "province", "36");
	char np[8];
	struct err e = {0};
	assert_int_equal(unit_new_province(st, u.id, np, &e), 0);
	assert_string_equal(np, "37");
	assert_string_equal(get("new", "province", "37").name, "Ninh Bình");
}

static void test_me_so(void **state)
{
	(void)state;
	json_t *r = find("xã Mễ Sở", NULL, NULL);
	json_t *old = item(r, "old", "commune", "12049"), *new = item(r, "new", "commune", "12049");
	assert_non_null(old);
	assert_non_null(new);
	assert_string_equal(jstr(old, "district_name"), "Huyện Văn Giang");
	assert_string_equal(jstr(old, "province_name"), "Tỉnh Hưng Yên");
	assert_string_equal(jstr(old, "type_name"), "Xã");
	assert_string_equal(today(old), "33");
	json_t *to = link_to(json_object_get(old, "successors"), "12049");
	assert_non_null(to);
	assert_string_equal(jstr(to, "kind"), "whole");
	assert_int_equal(json_array_size(json_object_get(old, "successors")), 1);
	/* The new xã Mễ Sở came from Thắng Lợi, Mễ Sở and Bình Minh (Khoái Châu). */
	json_t *from = json_object_get(new, "predecessors");
	assert_int_equal(json_array_size(from), 3);
	assert_non_null(link_to(from, "12046"));
	assert_non_null(link_to(from, "12211"));
	assert_string_equal(today(new), "33");
	json_decref(r);
	/* Without diacritics too. */
	r = find("me so", "old", "commune");
	assert_non_null(item(r, "old", "commune", "12049"));
	json_decref(r);
}

static void test_tone_placement(void **state)
{
	(void)state;
	/* The 2025 lists write "Hoà Bình" (old province 17), "Khánh Hòa" (56);
	 * the 2026-04-30 list "Khánh Hoà". Either spelling finds the unit. */
	const char *hoa[] = {"Hoà Bình", "Hòa Bình", "hoa binh"};
	for (size_t i = 0; i < 3; i++) {
		json_t *r = find(hoa[i], "old", "province");
		assert_non_null(item(r, "old", "province", "17"));
		assert_string_equal(today(item(r, "old", "province", "17")), "25");
		json_decref(r);
	}
	const char *khanh[] = {"Khánh Hoà", "Khánh Hòa"};
	for (size_t i = 0; i < 2; i++) {
		json_t *r = find(khanh[i], "new", "province");
		assert_non_null(item(r, "new", "province", "56"));
		json_decref(r);
	}
	/* Thủy / Thuỷ: Phường Thủy Xuân of Huế. */
	json_t *a = find("Thủy Xuân", "new", "commune"), *b = find("Thuỷ Xuân", "new", "commune");
	assert_true(json_array_size(a) > 0);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	assert_true(count("SELECT COUNT(*) FROM unit_aliases"
			  " WHERE source = '2026-04-30 list (tone placement)'") > 150);
}

static void test_province_successions(void **state)
{
	(void)state;
	struct {
		const char *old, *new, *kind;
	} cases[] = {{"01", "01", "unchanged"}, {"77", "79", "whole"}, {"34", "33", "whole"},
		     {"36", "37", "whole"},	{"33", "33", "whole"}, {"04", "04", "unchanged"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct unit u = get("old", "province", cases[i].old);
		struct err e = {0};
		json_t *to;
		assert_int_equal(unit_successors(st, u.id, &to, &e), 0);
		assert_int_equal(json_array_size(to), 1);
		assert_string_equal(jstr(json_array_get(to, 0), "code"), cases[i].new);
		assert_string_equal(jstr(json_array_get(to, 0), "kind"), cases[i].kind);
		json_decref(to);
		assert_string_equal(u.new_province_code, cases[i].new);
	}
	assert_string_equal(get("old", "province", "77").name, "Bà Rịa - Vũng Tàu");
	json_t *r = find("TP Hồ Chí Minh", "new", NULL);
	assert_string_equal(jstr(json_array_get(r, 0), "code"), "79");
	json_decref(r);
	/* The new Hưng Yên came from Hưng Yên and Thái Bình. */
	struct unit hy = get("new", "province", "33");
	json_t *from;
	struct err e = {0};
	assert_int_equal(unit_predecessors(st, hy.id, &from, &e), 0);
	assert_int_equal(json_array_size(from), 2);
	assert_non_null(link_to(from, "34"));
	json_decref(from);
}

static void test_dong_nai_by_date(void **state)
{
	(void)state;
	struct err e = {0};
	struct unit u;
	assert_int_equal(unit_get_on(st, "new", "province", "75", "2026-04-29", &u, &e), 0);
	assert_string_equal(u.type_name, "Tỉnh");
	assert_string_equal(u.valid_to, "2026-04-29");
	assert_int_equal(unit_get_on(st, "new", "province", "75", "2025-07-01", &u, &e), 0);
	assert_string_equal(u.type_name, "Tỉnh");
	assert_int_equal(unit_get_on(st, "new", "province", "75", "2026-04-30", &u, &e), 0);
	assert_string_equal(u.type_name, "Thành phố");
	assert_string_equal(u.full_name, "Thành phố Đồng Nai");
	assert_string_equal(u.valid_to, "");
	assert_string_equal(get("new", "province", "75").type_name, "Thành phố");
	assert_string_equal(get("old", "province", "75").type_name, "Tỉnh");
	/* Its communes that became wards the same day, likewise. */
	assert_int_equal(unit_get_on(st, "new", "commune", "25270", "2026-01-01", &u, &e), 0);
	assert_string_equal(u.type_name, "Xã");
	assert_string_equal(get("new", "commune", "25270").type_name, "Phường");
	json_t *r = find("tỉnh Đồng Nai", "new", NULL);
	assert_int_equal(json_array_size(r), 1);
	assert_string_equal(jstr(json_array_get(r, 0), "valid_to"), "2026-04-29");
	json_decref(r);
}

static void test_corrections(void **state)
{
	(void)state;
	/* Xã Ba Chẽ: 06970 in the NSO table, 06978 in the official list. */
	assert_string_equal(get("new", "commune", "06970").code, "06978");
	json_t *r = find("06970", "new", NULL);
	assert_int_equal(json_array_size(r), 1);
	assert_string_equal(jstr(json_array_get(r, 0), "code"), "06978");
	json_decref(r);
	/* Đặng Xá's part of Thuận An was listed under Cổ Bi's code 00553. */
	struct err e = {0};
	json_t *to;
	assert_int_equal(unit_successors(st, get("old", "commune", "00556").id, &to, &e), 0);
	assert_string_equal(jstr(link_to(to, "00562"), "kind"), "part_area_all_population");
	assert_string_equal(jstr(link_to(to, "00541"), "kind"), "part_area");
	json_decref(to);
	assert_int_equal(unit_successors(st, get("old", "commune", "00553").id, &to, &e), 0);
	assert_int_equal(json_array_size(to), 3);
	assert_null(link_to(to, "00562"));
	json_decref(to);
	/* Mỹ Hưng (01651) and Phú Thịnh (02482) under their own codes. */
	assert_int_equal(unit_successors(st, get("old", "commune", "01651").id, &to, &e), 0);
	assert_string_equal(jstr(json_array_get(to, 0), "code"), "01648");
	json_decref(to);
	assert_int_equal(unit_successors(st, get("old", "commune", "02482").id, &to, &e), 0);
	assert_string_equal(jstr(json_array_get(to, 0), "code"), "02494");
	json_decref(to);
	/* Seven known corrections, each recorded; the island districts linked. */
	assert_int_equal(count("SELECT COUNT(*) FROM unit_notes WHERE category = 'correction'"
			       " AND message NOT LIKE '%not needed%'"),
			 7);
	assert_int_equal(count("SELECT COUNT(*) FROM unit_succession s JOIN units o"
			       " ON o.id = s.old_unit_id WHERE o.level = 'district'"),
			 5);
	assert_int_equal(count("SELECT COUNT(*) FROM unit_notes WHERE category = 'disagreement'"
			       " AND message LIKE '%Hiệp Hòa%00071%07147%'"),
			 1);
}

static void test_resolve(void **state)
{
	(void)state;
	struct err e = {0};
	struct unit u;
	assert_int_equal(unit_resolve(st, "Mễ Sở", NULL, &u, &e), ERR_INVALID);
	assert_string_equal(e.field, "unit");
	assert_non_null(strstr(e.message, "12049"));
	assert_non_null(strstr(e.message, "Huyện Văn Giang"));
	assert_int_equal(unit_resolve(st, "xã Mễ Sở, huyện Văn Giang, tỉnh Hưng Yên", NULL, &u, &e),
			 0);
	assert_string_equal(u.era, "old");
	assert_string_equal(u.district_code, "326");
	assert_int_equal(unit_resolve(st, "Mễ Sở", "new", &u, &e), 0);
	assert_string_equal(u.era, "new");
	assert_int_equal(unit_resolve(st, "Mễ Sở, Hưng Yên", "old", &u, &e), 0);
	assert_string_equal(u.code, "12049");
	assert_int_equal(unit_resolve(st, "nam dinh", "old", &u, &e),
			 ERR_INVALID); /* + district, ward */
	assert_int_equal(unit_resolve(st, "tỉnh Nam Định", NULL, &u, &e), 0);
	assert_string_equal(u.code, "36");
	assert_int_equal(unit_resolve(st, "36", "old", &u, &e), 0);
	assert_string_equal(u.full_name, "Tỉnh Nam Định");
	assert_int_equal(unit_resolve(st, "01", NULL, &u, &e),
			 ERR_INVALID); /* old and new Hà Nội */
	assert_int_equal(unit_resolve(st, "Đồng Nai", "new", &u, &e), 0);
	assert_string_equal(u.type_name, "Thành phố"); /* versions count once */
	assert_int_equal(unit_resolve(st, "Xứ Không Có", NULL, &u, &e), ERR_INVALID);
	assert_non_null(strstr(e.message, "Không tìm thấy"));
	/* Xã Đông Thạnh (29809) and Xã Đông Thành (29818), one district of old
	 * Vĩnh Long: the name written exactly wins; without marks both are
	 * offered with their codes (issue 16). */
	assert_int_equal(unit_resolve(st, "Đông Thành, Bình Minh", "old", &u, &e), 0);
	assert_string_equal(u.code, "29818");
	assert_int_equal(unit_resolve(st, "xã Đông Thạnh, thị xã Bình Minh", "old", &u, &e), 0);
	assert_string_equal(u.code, "29809");
	assert_int_equal(unit_resolve(st, "Dong Thanh, Binh Minh", "old", &u, &e), ERR_INVALID);
	assert_non_null(strstr(e.message, "29809"));
	assert_non_null(strstr(e.message, "29818"));
	/* Many candidates: the message stays readable and bounded. */
	assert_int_equal(unit_resolve(st, "Phường 1", NULL, &u, &e), ERR_INVALID);
	assert_true(strlen(e.message) < sizeof e.message);
	json_t *j = json_string(e.message); /* valid UTF-8 after the cut */
	assert_non_null(j);
	json_decref(j);
}

/* The units in memory (unit_index, what an import resolves names with)
 * answer as the database does: the same unique search match, the same unit
 * or the same error message, for names, codes, aliases, types, marks,
 * word prefixes, ambiguous and unknown names, of either era. */
static void index_agrees(const struct unit_index *ix, const char *text)
{
	static const char *const eras[] = {NULL, "new", "old"};
	static const char *const levels[] = {NULL, "province", "district", "commune"};
	for (int i = 0; i < 3; i++) {
		for (int k = 0; k < 4; k++) {
			if (i != 0 && k != 0 && k != 3)
				continue; /* a handful of pairs: each costs a search */
			int64_t a = 0, b = 0;
			int one = unit_find_one(st, NULL, text, eras[i], levels[k], &a);
			if (one != unit_find_one(st, ix, text, eras[i], levels[k], &b) ||
			    (one && a != b))
				fail_msg("unit_find_one(\"%s\", %s, %s): %d %lld from the "
					 "database, not from the index",
					 text, eras[i] ? eras[i] : "-", levels[k] ? levels[k] : "-",
					 one, (long long)a);
		}
		struct err e1 = {0}, e2 = {0};
		struct unit u1 = {0}, u2 = {0};
		int r1 = unit_resolve_in(st, NULL, text, eras[i], &u1, &e1);
		int r2 = unit_resolve_in(st, ix, text, eras[i], &u2, &e2);
		if (r1 != r2 || u1.id != u2.id || strcmp(e1.message, e2.message) ||
		    memcmp(&u1, &u2, sizeof u1))
			fail_msg("unit_resolve(\"%s\", %s): %d %lld \"%s\" from the database, "
				 "%d %lld \"%s\" from the index",
				 text, eras[i] ? eras[i] : "-", r1, (long long)u1.id, e1.message,
				 r2, (long long)u2.id, e2.message);
	}
}

static void test_index_agrees(void **state)
{
	(void)state;
	static const char *const texts[] = {"Mễ Sở",
					    "xã Mễ Sở, huyện Văn Giang, tỉnh Hưng Yên",
					    "Mễ Sở, Hưng Yên",
					    "me so",
					    "Me",
					    "nam dinh",
					    "tỉnh Nam Định",
					    "Nam Định, Ninh Bình",
					    "36",
					    "01",
					    "12049",
					    "06970",
					    "Đồng Nai",
					    "thành phố Biên Hòa",
					    "Biên Hoà",
					    "TP Hồ Chí Minh",
					    "Xứ Không Có",
					    "Đông Thành, Bình Minh",
					    "xã Đông Thạnh, thị xã Bình Minh",
					    "Dong Thanh, Binh Minh",
					    "Phường 1",
					    "phường Đúc",
					    "Ba Chẽ",
					    "huyện Ý Yên",
					    "Ý Yên, Nam Định",
					    "Hưng",
					    "xã",
					    "",
					    "Mễ Sở, Không Có",
					    "Hà Nội, Hà Nội"};
	struct unit_index *ix = NULL;
	struct err e = {0};
	assert_int_equal(unit_index_load(st, &ix, &e), 0);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		index_agrees(ix, texts[i]);
	/* And a spread of the table's own names (every 900th row). */
	struct stmt *s =
		store_prepare_once(st, "SELECT name FROM units WHERE id % 900 = 7 ORDER BY id", &e);
	assert_non_null(s);
	while (stmt_step(s, &e) == 1)
		index_agrees(ix, stmt_text(s, 0));
	stmt_done(s);
	unit_index_free(ix);
}

static void test_errors(void **state)
{
	(void)state;
	struct err e = {0};
	struct unit u;
	assert_int_equal(unit_get_by_code(st, "mid", "province", "01", &u, &e), ERR_INVALID);
	assert_string_equal(e.field, "era");
	assert_int_equal(unit_get_by_code(st, "old", "hamlet", "01", &u, &e), ERR_INVALID);
	assert_string_equal(e.field, "level");
	assert_int_equal(unit_get_by_code(st, "old", "province", "99", &u, &e), ERR_NOTFOUND);
	assert_int_equal(unit_get_by_code(st, "old", "province", "1'; --", &u, &e), ERR_INVALID);
	json_t *out;
	struct unit_query q = {"Hà Nội", "old", NULL, "1", 10, 0};
	assert_int_equal(unit_search(st, &q, &out, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "province");
	struct unit_query bad = {"M\xff S\xfe", NULL, NULL, NULL, 10, 0};
	assert_int_equal(unit_search(st, &bad, &out, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "q");
	/* Province filter: today's province or the unit's own. */
	struct unit_query q2 = {"Mễ Sở", NULL, NULL, "33", 10, 0};
	int64_t total = 0;
	assert_int_equal(unit_search(st, &q2, &out, &total, &e), 0);
	assert_int_equal(total, 2);
	json_decref(out);
	struct unit_query all = {NULL, "new", "commune", "33", 500, 0};
	assert_int_equal(unit_search(st, &all, &out, &total, &e), 0);
	assert_int_equal(total, count("SELECT COUNT(*) FROM units WHERE era = 'new'"
				      " AND level = 'commune' AND province_code = '33'"));
	json_decref(out);
}

/* The province lists of forms (unit_provinces): the provinces unit_search
 * lists for the level with no words, in its order and with its names, in
 * both eras. */
static void test_provinces(void **state)
{
	(void)state;
	struct err e = {0};
	const char *eras[] = {"old", "new"};
	for (int k = 0; k < 2; k++) {
		json_t *want;
		struct unit_province *got;
		size_t n;
		struct unit_query q = {.era = eras[k], .level = "province", .limit = 100};
		assert_int_equal(unit_search(st, &q, &want, NULL, &e), 0);
		assert_int_equal(unit_provinces(st, eras[k], &got, &n, &e), 0);
		assert_true(n >= 34);
		assert_int_equal(n, json_array_size(want));
		for (size_t i = 0; i < n; i++) {
			json_t *w = json_array_get(want, i);
			assert_string_equal(got[i].code,
					    json_string_value(json_object_get(w, "code")));
			assert_string_equal(got[i].short_name,
					    json_string_value(json_object_get(w, "name")));
		}
		json_decref(want);
		free(got);
	}
}

static void test_report(void **state)
{
	(void)state;
	struct err e = {0};
	struct buf md = BUF_INIT;
	assert_int_equal(unit_reconcile_report(st, &md, &e), 0);
	const char *s = buf_cstr(&md);
	char want[64];
	snprintf(want, sizeof want, "**%d** old communes", SPLIT_COMMUNES);
	assert_non_null(strstr(s, want));
	assert_non_null(strstr(s, "| old | province | 63 |"));
	assert_non_null(strstr(s, "| new | province | 34 |"));
	assert_non_null(strstr(s, "| new | commune | 3321 |"));
	assert_non_null(strstr(s, "| province | unchanged | 11 |"));
	assert_non_null(strstr(s, "Corrections applied (7)"));
	assert_non_null(strstr(s, "old commune code of Xã Đặng Xá: 00553 -> 00556"));
	assert_non_null(strstr(s, "Xã Hòa Thắng (23053"));
	assert_non_null(strstr(s, "| 00553 | Xã Cổ Bi |"));
	const char *path = getenv("KC_WRITE_REPORT");
	if (path && *path) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(s, f);
		fclose(f);
	}
	buf_free(&md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_load_is_idempotent),
		cmocka_unit_test(test_split_communes),
		cmocka_unit_test(test_nam_dinh),
		cmocka_unit_test(test_me_so),
		cmocka_unit_test(test_tone_placement),
		cmocka_unit_test(test_province_successions),
		cmocka_unit_test(test_dong_nai_by_date),
		cmocka_unit_test(test_corrections),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_index_agrees),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_provinces),
		cmocka_unit_test(test_report),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
