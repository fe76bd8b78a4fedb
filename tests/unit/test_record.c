/* test_record.c - the generic record engine: the SQL built from the entity
 * descriptions agrees with the schema; Vietnamese input forms, cross-field
 * rules, scope, optimistic concurrency, audited deletes, lists and search. */
#include "testutil.h"

#include "model/entities_rules.h"
#include "model/record.h"
#include "model/record_sql.h"
#include "model/record_words.h"
#include "store/driver.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* U+0110 (Đ) and U+00D0 (Ð, the look-alike) in UTF-8. */
#define D_STROKE "\xC4\x90"

static struct actor admin;
static char *db_path;

static int setup(void **state)
{
	return test_group_reference(state, "record", &db_path, &admin);
}

static int teardown(void **state)
{
	return test_group_close(state, db_path);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		fail_msg("%s is not a string", key);
	return s;
}

static int64_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

/* A unit's display name is its full name, optionally followed by its
 * province ("Xã Mễ Sở, Tỉnh Hưng Yên"). */
static void assert_unit_name(const char *got, const char *full_name)
{
	size_t n = strlen(full_name);
	if (strncmp(got, full_name, n) || (got[n] && strncmp(got + n, ", ", 2)))
		fail_msg("unit name \"%s\", expected \"%s\" (or it with its province)", got,
		         full_name);
}

/* A fresh valid tax code each call: nine digits and the check digit. */
static const char *new_tax_code(void)
{
	static const int w[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
	static long next = 10000000; /* prefix 010000000.. */
	static char out[24];
	for (;;) {
		char pre[12];
		snprintf(pre, sizeof pre, "%09ld", next++ % 1000000000L);
		int sum = 0;
		for (int i = 0; i < 9; i++)
			sum += (pre[i] - '0') * w[i];
		int check = 10 - sum % 11;
		if (check == 10)
			continue; /* no valid code with this prefix */
		snprintf(out, sizeof out, "%s%c", pre, (char)('0' + check));
		return out;
	}
}

/* An establishment's input with the required fields (caller adds more). */
static json_t *est_input(const char *name, const char *kind, const char *commune)
{
	return json_pack("{s:s,s:s,s:s}", "name", name, "kind", kind, "commune_id", commune);
}

static int64_t rows(struct store *st, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return test_count(st, sql);
}

static int64_t audit_rows(struct store *st, const char *entity, int64_t id)
{
	struct err e;
	err_clear(&e);
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	int64_t n = -1;
	assert_int_equal(store_int(st, &e, &n,
	                           "SELECT COUNT(*) FROM audit WHERE entity = ? AND entity_id = ?",
	                           "tt", entity, idtext),
	                 1);
	return n;
}

/* Column col (0 action, 1 before_json, 2 after_json) of the newest audit row
 * of entity/id, parsed (JSON null for SQL NULL; caller decrefs). */
static json_t *last_audit(struct store *st, const char *entity, int64_t id, int col)
{
	struct err e;
	err_clear(&e);
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	struct stmt *s = store_prepare(st,
	                               "SELECT action, before_json, after_json FROM audit"
	                               " WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT 1",
	                               &e);
	assert_non_null(s);
	stmt_bind(s, "tt", entity, idtext);
	assert_int_equal(stmt_step(s, &e), 1);
	const char *t = stmt_text(s, col);
	json_t *j;
	if (!t)
		j = json_null();
	else if (col == 0)
		j = json_string(t);
	else
		j = json_loads(t, 0, NULL);
	stmt_done(s);
	assert_non_null(j);
	return j;
}

/* ---- schema agreement ------------------------------------------------ */

static void prepares(struct store *st, const struct entity *ent, const char *what,
                     const char *sql)
{
	struct err e;
	err_clear(&e);
	struct stmt *s = store_prepare(st, sql, &e);
	if (!s)
		fail_msg("%s: %s does not prepare: %s\n%s", ent->collection, what, e.message, sql);
	stmt_done(s);
}

/* The rules of a record type are read from its description: the content
 * type it stands for names codes of projects.content_type and of its own
 * kinds, and renders the statistics' and lists' expression of it. */
static void test_content_described(void **state)
{
	(void)state;
	const struct field *ct = entity_field(entity_find("projects"), "content_type");
	char tmp[8];
	int results = 0;
	for (const struct entity *ent = entities; ent->collection; ent++) {
		if (!ent->content)
			continue;
		results++;
		char *c = strdup(ent->content), *save = NULL;
		for (char *part = strtok_r(c, "|", &save); part;
		     part = strtok_r(NULL, "|", &save)) {
			char *eq = strchr(part, '=');
			if (eq)
				*eq = 0;
			if (!field_enum_label(ct, part, "vi", tmp, sizeof tmp))
				fail_msg("%s: no content type %s", ent->collection, part);
			for (char *k = eq ? strtok(eq + 1, ",") : NULL; k; k = strtok(NULL, ","))
				if (!field_enum_label(entity_field(ent, "kind"), k, "vi", tmp,
						      sizeof tmp))
					fail_msg("%s: no kind %s", ent->collection, k);
		}
		free(c);
	}
	assert_int_equal(results, 6);
	assert_string_equal(entity_content(entity_find("training-classes")), "training");
	assert_string_equal(entity_content(entity_find("awards")), "typical_product");
	assert_null(entity_content(entity_find("other-support"))); /* by kind only */
	assert_null(entity_content(entity_find("establishments")));
	struct rec_dims d;
	char sql[600];
	const struct entity *os = entity_find("other-support");
	rec_dims_init(&d, os);
	assert_int_equal(rec_dim_sql(os, &d, "content_type", sql, sizeof sql), 0);
	assert_non_null(strstr(sql, "WHEN t.kind IN ('ecommerce') THEN 'digital' END"));
	const struct entity *tc = entity_find("training-classes");
	rec_dims_init(&d, tc);
	assert_int_equal(rec_dim_sql(tc, &d, "content_type", sql, sizeof sql), 0);
	assert_non_null(strstr(sql, "CASE WHEN t.kind IN ('management', 'startup') THEN"
				    " 'management' WHEN"));
	assert_non_null(strstr(sql, "THEN 'capacity' ELSE 'training' END"));
	/* Establishment accounts write their own establishment and what hangs under it. */
	int writes = 0;
	for (const struct entity *ent = entities; ent->collection; ent++)
		writes += ent->est_writes;
	assert_int_equal(writes, 6);
	assert_true(entity_find("lots")->est_writes);
	assert_false(entity_find("projects")->est_writes);
}

static void test_schema_agreement(void **state)
{
	struct store *st = *state;
	int n = 0;
	for (const struct entity *ent = entities; ent->collection; ent++, n++) {
		const struct ent_sql *q = ent_sql(ent);
		prepares(st, ent, "select", q->select);
		prepares(st, ent, "by_id", q->by_id);
		prepares(st, ent, "insert", q->insert);
		prepares(st, ent, "update", q->update);
		prepares(st, ent, "remove", q->remove);
		for (int u = 0; u < 8 && q->unique[u]; u++)
			prepares(st, ent, "unique", q->unique[u]);
		/* And the other way: no column of the table lacks a field (the 10
		 * system columns: id, version, times, two provinces, the old
		 * district, commune and split, search key). */
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM pragma_table_info('%s')", ent->table);
		int64_t cols = test_count(st, sql);
		if (cols != 10 + q->nfieldcols)
			fail_msg("%s: the table has %lld columns, the description %d + 10",
				 ent->table, (long long)cols, q->nfieldcols);
		assert_int_equal(q->nbase, 9);
		assert_non_null(entity_title(ent));
		assert_ptr_equal(entity_find(ent->collection), ent);
		assert_int_equal(entity_index(ent), n);
	}
	assert_int_equal(n, 24);
	assert_null(entity_find("no-such-collection"));
}

/* ---- establishments -------------------------------------------------- */

static void test_tax_code_check(void **state)
{
	(void)state;
	struct err e;
	err_clear(&e);
	assert_int_equal(tax_code_check("0900000027", &e), 0);
	assert_int_equal(tax_code_check("0900000027-001", &e), 0);
	assert_int_equal(tax_code_check("001234567890", &e), 0); /* personal id number */
	assert_int_equal(tax_code_check("0900000028", &e), ERR_INVALID);
	assert_string_equal(e.field, "tax_code");
	assert_int_equal(tax_code_check("090000002", &e), ERR_INVALID);
	assert_int_equal(tax_code_check("0900000027-01", &e), ERR_INVALID);
	assert_int_equal(tax_code_check("09000000A7", &e), ERR_INVALID);
	/* 0100000000: sum 0, check 10 - no valid code has this prefix. */
	assert_int_equal(tax_code_check("0000000000", &e), ERR_INVALID);
	for (int i = 0; i < 30; i++)
		assert_int_equal(tax_code_check(new_tax_code(), &e), 0);
}

static void test_establishment_round_trip(void **state)
{
	struct store *st = *state;
	char tax[32];
	snprintf(tax, sizeof tax, "%s", new_tax_code());
	int64_t before = rows(st, "establishments");

	json_t *in = test_json_parse("{\"name\": \"C\\u01a1 s\\u1edf \\u00d0\\u00fac \\u0111\\u1ed3ng \\u00d0\\u1ea1i B\\u00e1i\","
	                 " \"kind\": \"household\","
	                 " \"commune_id\": \"X\\u00e3 M\\u1ec5 S\\u1edf, H\\u01b0ng Y\\u00ean\","
	                 " \"address\": \"Th\\u00f4n\\u00a0\\u0110\\u00f4ng,\\u00a0x\\u00e3 M\\u1ec5 S\\u1edf\","
	                 " \"workers\": \"1.250\", \"workers_female\": \"600\","
	                 " \"industry_code\": \"10790\", \"founded_year\": \"1998\","
	                 " \"channels\": [\"https://shopee.vn/ducdong\"], \"owner_female\": \"có\"}");
	json_object_set_new(in, "tax_code", json_string(tax));
	int64_t id = test_create_ok(st, &admin, "establishments", in);
	assert_int_equal(rows(st, "establishments"), before + 1);

	json_t *r = test_get_ok(st, &admin, "establishments", id);
	/* Ð (U+00D0) is mended to Đ (U+0110); NBSP becomes a space. */
	assert_string_equal(str(r, "name"), "Cơ sở " D_STROKE "úc đồng " D_STROKE "ại Bái");
	assert_null(strstr(str(r, "name"), "\xC3\x90"));
	assert_string_equal(str(r, "address"), "Thôn Đông, xã Mễ Sở");
	assert_string_equal(str(r, "kind"), "household");
	assert_string_equal(str(r, "tax_code"), tax);
	assert_int_equal(num(r, "workers"), 1250);
	assert_int_equal(num(r, "workers_female"), 600);
	assert_int_equal(num(r, "founded_year"), 1998);
	assert_true(json_is_true(json_object_get(r, "owner_female")));
	assert_string_equal(str(r, "industry_code"), "10790");
	assert_string_equal(str(r, "industry_edition"), "2025");
	assert_unit_name(str(r, "commune_id_name"), "Xã Mễ Sở");
	assert_string_equal(str(r, "commune_id_code"), "12049");
	assert_string_equal(str(r, "province_code"), "33");
	assert_true(json_is_null(json_object_get(r, "old_province_code")));
	assert_int_equal(num(r, "version"), 1);
	assert_int_equal(num(r, "id"), id);
	json_t *ch = json_object_get(r, "channels");
	assert_int_equal(json_array_size(ch), 1);
	assert_string_equal(json_string_value(json_array_get(ch, 0)), "https://shopee.vn/ducdong");
	assert_true(json_is_null(json_object_get(r, "email")));
	json_decref(r);

	/* The create is audited with the canonical values. */
	assert_int_equal(audit_rows(st, "establishments", id), 1);
	json_t *act = last_audit(st, "establishments", id, 0);
	assert_string_equal(json_string_value(act), "create");
	json_decref(act);
	json_t *after = last_audit(st, "establishments", id, 2);
	assert_int_equal(json_integer_value(json_object_get(after, "workers")), 1250);
	assert_string_equal(json_string_value(json_object_get(after, "industry_edition")), "2025");
	json_decref(after);
	json_t *bj = last_audit(st, "establishments", id, 1);
	assert_true(json_is_null(bj));
	json_decref(bj);

	/* Refusals, each naming its field, none writing anything. */
	int64_t n = rows(st, "establishments"), na = test_count(st, "SELECT COUNT(*) FROM audit");
	char bad_tax[32];
	snprintf(bad_tax, sizeof bad_tax, "%s", new_tax_code());
	bad_tax[9] = bad_tax[9] == '9' ? '0' : (char)(bad_tax[9] + 1);
	in = est_input("Cơ sở A", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "tax_code", json_string(bad_tax));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "tax_code");
	in = est_input("Cơ sở A", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "tax_code", json_string("12345"));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "tax_code");

	in = est_input("Cơ sở trùng mã", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "tax_code", json_string(tax));
	test_create_fails(st, &admin, "establishments", in, ERR_CONFLICT, "tax_code");

	in = est_input("Cơ sở B", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "workers", json_string("10"));
	json_object_set_new(in, "workers_female", json_integer(11));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "workers_female");

	in = est_input("Cơ sở C", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "industry_code", json_string("99999"));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "industry_code");

	in = est_input("Cơ sở D", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "channels", test_json_parse("[\"https://example.com/shop\", "
	                                        "\"javascript:alert(1)\"]"));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "channels");
	in = est_input("Cơ sở D", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "channels", json_string("javascript:alert(1)"));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "channels");

	in = est_input("Cơ sở E", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "favourite_colour", json_string("đỏ"));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "favourite_colour");

	in = est_input("Cơ sở F", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "industry_edition", json_string("2018"));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "industry_edition");

	in = est_input("Cơ sở G", "household", "Xã Không Có Thật, Hưng Yên");
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "commune_id");
	in = est_input("Cơ sở G", "household", "Hưng Yên"); /* a province, not a commune */
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "commune_id");
	in = json_pack("{s:s,s:s}", "name", "Cơ sở H", "kind", "household");
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "commune_id");
	in = est_input("Cơ sở I", "bakery", "Xã Mễ Sở, Hưng Yên");
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "kind");
	in = est_input("Cơ sở J", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "workers", json_string("khoảng 40"));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "workers");
	in = est_input("Cơ sở K", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "workers", json_integer(-1));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "workers");
	in = est_input("Cơ sở L", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "revenue", test_json_parse("{\"2024\": \"nhiều\"}"));
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "revenue");

	char *longname = malloc(2100);
	memset(longname, 'a', 2001);
	longname[2001] = 0;
	in = est_input(longname, "household", "Xã Mễ Sở, Hưng Yên");
	free(longname);
	{
		struct err te;
		err_clear(&te);
		int64_t tid = 0;
		int trc = record_create(st, &admin, entity_find("establishments"), in, &tid, &te);
		json_decref(in);
		assert_int_equal(trc, ERR_TOOBIG);
		assert_int_equal(te.code, ERR_TOOBIG);
		assert_string_equal(te.field, "name");
	}
	in = est_input("Cơ sở\nhai dòng", "household", "Xã Mễ Sở, Hưng Yên");
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "name");
	in = est_input("Cơ sở \xC3\x28", "household", "Xã Mễ Sở, Hưng Yên"); /* bad UTF-8 */
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "name");
	in = est_input("   ", "household", "Xã Mễ Sở, Hưng Yên"); /* blank is missing */
	test_create_fails(st, &admin, "establishments", in, ERR_INVALID, "name");

	assert_int_equal(rows(st, "establishments"), n);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), na);

	/* An enum label is accepted for its code, a unit by its code too. */
	in = est_input("Hợp tác xã Nhãn lồng", "Hợp tác xã", "12049");
	id = test_create_ok(st, &admin, "establishments", in);
	r = test_get_ok(st, &admin, "establishments", id);
	assert_string_equal(str(r, "kind"), "cooperative");
	assert_unit_name(str(r, "commune_id_name"), "Xã Mễ Sở");
	assert_true(json_is_null(json_object_get(r, "industry_edition")));
	json_decref(r);
}

/* Editing an establishment that has an industry code (its record carries
 * created_at, which establishment_validate passes to industry_check). */
static void test_establishment_update_with_industry(void **state)
{
	struct store *st = *state;
	json_t *in = est_input("Cơ sở mật ong Văn Giang", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "industry_code", json_string("10790"));
	int64_t id = test_create_ok(st, &admin, "establishments", in);
	struct err e;
	err_clear(&e);
	json_t *ch = test_json_parse("{\"workers\": 12}");
	int rc = record_update(st, &admin, entity_find("establishments"), id, ch, 1, &e);
	json_decref(ch);
	assert_int_equal(rc, 0);
	json_t *r = test_get_ok(st, &admin, "establishments", id);
	assert_int_equal(num(r, "workers"), 12);
	assert_int_equal(num(r, "version"), 2);
	assert_string_equal(str(r, "industry_edition"), "2025");
	json_decref(r);
}

/* ---- projects: money ------------------------------------------------- */

static json_t *project_input(const char *title, const char *kind)
{
	return json_pack("{s:s,s:i,s:s,s:s,s:s}", "title", title, "year", 2021, "province", "33",
	                 "content_type", "demo_model", "kind", kind);
}

static void test_project_money(void **state)
{
	struct store *st = *state;
	json_t *in = project_input("Mô hình trình diễn sấy nghệ", "national_point");
	json_object_set_new(in, "cost_total", json_string("24,7 tỷ đồng"));
	json_object_set_new(in, "approved_national", json_string("1 tỷ đồng"));
	json_object_set_new(in, "approved_local", json_string("300 triệu"));
	json_object_set_new(in, "disbursed_local", json_string("300.000.000 đồng"));
	json_object_set_new(in, "province", json_string("Hưng Yên"));
	int64_t id = test_create_ok(st, &admin, "projects", in);
	json_t *r = test_get_ok(st, &admin, "projects", id);
	assert_int_equal(num(r, "cost_total"), 24700000000LL);
	assert_int_equal(num(r, "approved_national"), 1000000000LL);
	assert_int_equal(num(r, "approved_local"), 300000000LL);
	assert_int_equal(num(r, "disbursed_local"), 300000000LL);
	assert_string_equal(str(r, "status"), "draft");
	assert_string_equal(str(r, "province"), "33");
	assert_string_equal(str(r, "province_code"), "33");
	json_decref(r);

	int64_t n = rows(st, "projects");
	in = project_input("Đề án giải ngân vượt", "national_point");
	json_object_set_new(in, "approved_local", json_string("300 triệu đồng"));
	json_object_set_new(in, "disbursed_local", json_string("300,5 triệu đồng"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "disbursed_local");
	in = project_input("Đề án tạm ứng vượt", "national_point");
	json_object_set_new(in, "approved_national", json_integer(100));
	json_object_set_new(in, "advanced_national", json_integer(101));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "advanced_national");
	in = project_input("Đề án địa phương có vốn quốc gia", "local");
	json_object_set_new(in, "approved_national", json_string("100 triệu"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "approved_national");
	in = project_input("Đề án tự đặt trạng thái", "national_point");
	json_object_set_new(in, "status", json_string("approved"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "status");
	in = project_input("Đề án tiền lẻ", "national_point");
	json_object_set_new(in, "cost_total", json_string("24,7 đồng"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "cost_total");
	in = project_input("Đề án tiền đô", "national_point");
	json_object_set_new(in, "cost_total", json_string("20 triệu USD"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "cost_total");
	in = project_input("Đề án tỉnh cũ", "national_point");
	json_object_set_new(in, "province", json_string("99"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "province");
	/* The sources approved add up to at most the total cost. */
	in = project_input("Đề án nguồn vượt tổng", "local");
	json_object_set_new(in, "cost_total", json_string("1,2 tỷ đồng"));
	json_object_set_new(in, "approved_local", json_string("360 triệu"));
	json_object_set_new(in, "approved_counterpart", json_string("2 tỷ"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "cost_total");
	/* A project of one place stays within the caps of national funds (demo
	 * model: 30% of the cost, 1 000 triệu). */
	in = project_input("Mô hình vượt 30%", "national_point");
	json_object_set_new(in, "cost_total", json_string("3 tỷ"));
	json_object_set_new(in, "approved_national", json_string("950 triệu"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "approved_national");
	in = project_input("Mô hình vượt 1 tỷ", "national_point");
	json_object_set_new(in, "cost_total", json_string("5 tỷ"));
	json_object_set_new(in, "approved_national", json_string("1,1 tỷ"));
	test_create_fails(st, &admin, "projects", in, ERR_INVALID, "approved_national");
	assert_int_equal(rows(st, "projects"), n);

	/* The status cannot be changed by an update either. */
	struct err e;
	err_clear(&e);
	json_t *ch = test_json_parse("{\"status\": \"settled\"}");
	assert_int_equal(record_update(st, &admin, entity_find("projects"), id, ch, -1, &e),
	                 ERR_INVALID);
	json_decref(ch);
	assert_string_equal(e.field, "status");
	r = test_get_ok(st, &admin, "projects", id);
	assert_string_equal(str(r, "status"), "draft");
	assert_int_equal(num(r, "version"), 1);
	json_decref(r);
}

/* ---- training classes, awards ---------------------------------------- */

static json_t *class_input(const char *topic)
{
	return json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:s,s:s}", "province", "01", "kind",
	                 "vocational", "topic", topic, "year", 2016, "trainees", 30, "completed", 28,
	                 "employed", 25, "date_from", "17/05/2016", "date_to", "30/06/2016");
}

static void test_training_rules(void **state)
{
	struct store *st = *state;
	int64_t id = test_create_ok(st, &admin, "training-classes", class_input("May công nghiệp"));
	json_t *r = test_get_ok(st, &admin, "training-classes", id);
	assert_string_equal(str(r, "date_from"), "2016-05-17");
	assert_string_equal(str(r, "date_to"), "2016-06-30");
	assert_int_equal(num(r, "trainees"), 30);
	assert_int_equal(num(r, "completed"), 28);
	assert_int_equal(num(r, "employed"), 25);
	assert_string_equal(str(r, "province_code"), "01");
	json_decref(r);

	int64_t n = rows(st, "training_classes");
	json_t *in = class_input("May công nghiệp");
	json_object_set_new(in, "employed", json_integer(29));
	test_create_fails(st, &admin, "training-classes", in, ERR_INVALID, "employed");
	in = class_input("May công nghiệp");
	json_object_set_new(in, "completed", json_integer(31));
	test_create_fails(st, &admin, "training-classes", in, ERR_INVALID, "completed");
	in = class_input("May công nghiệp");
	json_object_set_new(in, "date_to", json_string("01/05/2016"));
	test_create_fails(st, &admin, "training-classes", in, ERR_INVALID, "date_to");
	in = class_input("May công nghiệp");
	json_object_set_new(in, "date_from", json_string("31/02/2016"));
	test_create_fails(st, &admin, "training-classes", in, ERR_INVALID, "date_from");
	in = class_input("May công nghiệp");
	json_object_set_new(in, "date_from", json_string("2016/05/17"));
	test_create_fails(st, &admin, "training-classes", in, ERR_INVALID, "date_from");
	in = class_input("May công nghiệp");
	json_object_del(in, "province");
	test_create_fails(st, &admin, "training-classes", in, ERR_INVALID, "province");
	in = class_input("May công nghiệp");
	json_object_del(in, "trainees");
	test_create_fails(st, &admin, "training-classes", in, ERR_INVALID, "trainees");
	in = class_input("May công nghiệp");
	json_object_set_new(in, "year", json_integer(1850));
	test_create_fails(st, &admin, "training-classes", in, ERR_INVALID, "year");
	assert_int_equal(rows(st, "training_classes"), n);
}

static void test_award_rules(void **state)
{
	struct store *st = *state;
	int64_t est = test_create_ok(st, &admin, "establishments",
	                        est_input("Cơ sở tinh bột nghệ", "household", "Xã Mễ Sở, Hưng Yên"));
	json_t *in = json_pack("{s:s,s:I,s:s,s:s,s:i,s:i}", "product_name", "Tinh bột nghệ",
	                       "establishment_id", (json_int_t)est, "level", "commune",
	                       "product_group", "food", "year", 2026, "ocop_stars", 4);
	int64_t id = test_create_ok(st, &admin, "awards", in);
	json_t *r = test_get_ok(st, &admin, "awards", id);
	assert_string_equal(str(r, "level"), "commune");
	assert_int_equal(num(r, "ocop_stars"), 4);
	assert_string_equal(str(r, "province_code"), "33"); /* from its establishment */
	assert_string_equal(str(r, "establishment_id_title"), "Cơ sở tinh bột nghệ");
	json_decref(r);

	int64_t n = rows(st, "awards");
	in = json_pack("{s:s,s:I,s:s,s:s,s:i}", "product_name", "Tinh bột nghệ", "establishment_id",
	               (json_int_t)est, "level", "district", "product_group", "food", "year", 2026);
	test_create_fails(st, &admin, "awards", in, ERR_INVALID, "level");
	in = json_pack("{s:s,s:I,s:s,s:s,s:i}", "product_name", "Tinh bột nghệ", "establishment_id",
	               (json_int_t)est, "level", "commune", "product_group", "food", "year", 2024);
	test_create_fails(st, &admin, "awards", in, ERR_INVALID, "level");
	in = json_pack("{s:s,s:I,s:s,s:s,s:i,s:i}", "product_name", "Tinh bột nghệ",
	               "establishment_id", (json_int_t)est, "level", "province", "product_group",
	               "food", "year", 2026, "ocop_stars", 6);
	test_create_fails(st, &admin, "awards", in, ERR_INVALID, "ocop_stars");
	in = json_pack("{s:s,s:I,s:s,s:s,s:i,s:i}", "product_name", "Tinh bột nghệ",
	               "establishment_id", (json_int_t)est, "level", "province", "product_group",
	               "food", "year", 2026, "ocop_stars", 0);
	test_create_fails(st, &admin, "awards", in, ERR_INVALID, "ocop_stars");
	in = json_pack("{s:s,s:I,s:s,s:s,s:i}", "product_name", "Tinh bột nghệ", "establishment_id",
	               (json_int_t)999999, "level", "province", "product_group", "food", "year",
	               2026);
	test_create_fails(st, &admin, "awards", in, ERR_INVALID, "establishment_id");
	assert_int_equal(rows(st, "awards"), n);
	/* A district-level award of 2024 is fine. */
	in = json_pack("{s:s,s:I,s:s,s:s,s:i}", "product_name", "Tinh bột nghệ", "establishment_id",
	               (json_int_t)est, "level", "district", "product_group", "food", "year", 2024);
	test_create_ok(st, &admin, "awards", in);
}

/* ---- figures ---------------------------------------------------------- */

static json_t *figure_input(const char *value, const char *unit, const char *era)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s}", "indicator", "labour.trained_share", "subject",
	                 "Số liệu thử", "unit_era", era, "unit_id", unit, "period_from", 2016,
	                 "period_to", 2020, "value", value, "measure", "%", "source_title",
	                 "Bài viết thử");
}

static void assert_qty(json_t *rec, int64_t value, int64_t hi, int scale, const char *qual)
{
	json_t *q = json_object_get(rec, "value");
	if (!json_is_object(q))
		fail_msg("value is not an object");
	assert_int_equal(num(q, "value"), value);
	assert_int_equal(num(q, "value_hi"), hi);
	assert_int_equal(num(q, "scale"), scale);
	assert_string_equal(str(q, "qualifier"), qual);
}

static void test_figures(void **state)
{
	struct store *st = *state;
	int64_t id = test_create_ok(st, &admin, "figures", figure_input("trên 80%", "Hà Nội", "new"));
	json_t *r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 800, 800, 1, "at_least");
	assert_string_equal(str(r, "province_code"), "01");
	assert_true(json_is_null(json_object_get(r, "old_province_code")));
	json_decref(r);

	/* "37,85%" keeps its two decimals; "0,5%" is one tenth (issue 16). */
	id = test_create_ok(st, &admin, "figures", figure_input("37,85%", "Hà Nội", "new"));
	r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 3785, 3785, 2, "exact");
	json_decref(r);
	id = test_create_ok(st, &admin, "figures", figure_input("0,5%", "Hà Nội", "new"));
	r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 5, 5, 1, "exact");
	json_decref(r);

	id = test_create_ok(st, &admin, "figures", figure_input("khoảng 5,2", "Hà Nội", "new"));
	r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 52, 52, 1, "about");
	json_decref(r);

	id = test_create_ok(st, &admin, "figures", figure_input("5–7", "Hà Nội", "new"));
	r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 5, 7, 0, "range");
	json_decref(r);

	id = test_create_ok(st, &admin, "figures", figure_input("9.590", "Hà Nội", "new"));
	r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 9590, 9590, 0, "exact");
	json_decref(r);

	/* An object form and a plain number. */
	json_t *in = figure_input("0", "Hà Nội", "new");
	json_object_set_new(in, "value", test_json_parse("{\"value\": 247, \"scale\": 1}"));
	id = test_create_ok(st, &admin, "figures", in);
	r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 247, 247, 1, "exact");
	json_decref(r);
	in = figure_input("0", "Hà Nội", "new");
	json_object_set_new(in, "value", json_integer(98));
	id = test_create_ok(st, &admin, "figures", in);
	r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 98, 98, 0, "exact");
	json_decref(r);

	/* Old units: the province of the time, and today's for scoping. */
	id = test_create_ok(st, &admin, "figures", figure_input("98", "Nam Định", "old"));
	r = test_get_ok(st, &admin, "figures", id);
	assert_string_equal(str(r, "unit_era"), "old");
	assert_string_equal(str(r, "unit_id_name"), "Tỉnh Nam Định");
	assert_string_equal(str(r, "unit_id_code"), "36");
	assert_string_equal(str(r, "old_province_code"), "36");
	assert_string_equal(str(r, "province_code"), "37");
	json_decref(r);

	/* Thái Bình joined Hưng Yên. */
	id = test_create_ok(st, &admin, "figures", figure_input("trên 7.300", "Thái Bình", "old"));
	r = test_get_ok(st, &admin, "figures", id);
	assert_qty(r, 7300, 7300, 0, "at_least");
	assert_string_equal(str(r, "old_province_code"), "34");
	assert_string_equal(str(r, "province_code"), "33");
	json_decref(r);

	int64_t n = rows(st, "figures");
	/* Nam Định is no unit of today; a new unit under "old" is refused. */
	test_create_fails(st, &admin, "figures", figure_input("98", "Nam Định", "new"), ERR_INVALID,
	             "unit_id");
	in = figure_input("98", "Nam Định", "old");
	json_object_set_new(in, "period_from", json_integer(2021));
	test_create_fails(st, &admin, "figures", in, ERR_INVALID, "period_from");
	test_create_fails(st, &admin, "figures", figure_input("nhiều", "Hà Nội", "new"), ERR_INVALID,
	             "value");
	test_create_fails(st, &admin, "figures", figure_input("7–5", "Hà Nội", "new"), ERR_INVALID,
	             "value");
	in = figure_input("98", "Hà Nội", "new");
	json_object_set_new(in, "value", test_json_parse("{\"value\": 1, \"qualifier\": \"many\"}"));
	test_create_fails(st, &admin, "figures", in, ERR_INVALID, "value");
	in = figure_input("98", "Hà Nội", "new");
	json_object_set_new(in, "value", test_json_parse("{\"value\": 1, \"qualifier\": \"least\"}"));
	test_create_fails(st, &admin, "figures", in, ERR_INVALID, "value");
	in = figure_input("98", "Hà Nội", "new");
	json_object_set_new(in, "value", test_json_parse("{\"value\": 1, \"scale\": 7}"));
	test_create_fails(st, &admin, "figures", in, ERR_INVALID, "value");
	in = figure_input("98", "Hà Nội", "new");
	json_object_del(in, "source_title");
	test_create_fails(st, &admin, "figures", in, ERR_INVALID, "source_title");
	assert_int_equal(rows(st, "figures"), n);

	/* record_convert is exposed for importers: same conversions. */
	struct err e;
	err_clear(&e);
	const struct field *f = entity_field(entity_find("figures"), "value");
	json_t *v = json_string("trên 7.300"), *out = NULL;
	assert_int_equal(record_convert(st, f, v, NULL, &out, &e), 0);
	json_decref(v);
	assert_int_equal(num(out, "value"), 7300);
	assert_int_equal(num(out, "scale"), 0);
	assert_string_equal(str(out, "qualifier"), "at_least");
	json_decref(out);
	v = json_string("");
	assert_int_equal(record_convert(st, f, v, NULL, &out, &e), 0);
	assert_null(out);
	json_decref(v);
}

/* ---- scope ------------------------------------------------------------ */

static void test_scope(void **state)
{
	struct store *st = *state;
	const struct entity *est = entity_find("establishments");
	struct actor hanoi = test_actor(ROLE_PROVINCE, "01", 0);
	struct actor viewer = test_actor(ROLE_VIEWER, "01", 0);
	struct err e;

	int64_t n = rows(st, "establishments"), na = test_count(st, "SELECT COUNT(*) FROM audit");
	test_create_fails(st, &hanoi, "establishments",
	             est_input("Cơ sở ngoài tỉnh", "household", "Xã Mễ Sở, Hưng Yên"), ERR_FORBIDDEN,
	             "commune_id");
	test_create_fails(st, &viewer, "establishments",
	             est_input("Cơ sở của người xem", "household", "Phường Hoàn Kiếm, Hà Nội"),
	             ERR_FORBIDDEN, "");
	assert_int_equal(rows(st, "establishments"), n);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), na);

	int64_t mine = test_create_ok(st, &hanoi, "establishments",
	                         est_input("Cơ sở gốm Hà Nội", "household", "Phường Hoàn Kiếm, Hà Nội"));
	int64_t hy = test_create_ok(st, &admin, "establishments",
	                       est_input("Cơ sở Hưng Yên", "household", "Xã Mễ Sở, Hưng Yên"));
	int64_t hy2 = test_create_ok(st, &admin, "establishments",
	                        est_input("Cơ sở Hưng Yên thứ hai", "household", "Xã Mễ Sở, Hưng Yên"));
	json_t *r = test_get_ok(st, &admin, "establishments", mine);
	assert_string_equal(str(r, "province_code"), "01");
	json_decref(r);

	/* The province sees only its own. */
	struct list_query qy = {0};
	json_t *items = NULL;
	int64_t total = -1;
	err_clear(&e);
	assert_int_equal(record_list(st, &hanoi, est, &qy, &items, &total, &e), 0);
	assert_int_equal(total, test_count(st, "SELECT COUNT(*) FROM establishments WHERE "
	                                       "province_code = '01'"));
	assert_true(total >= 1);
	assert_int_equal((int64_t)json_array_size(items), total);
	size_t i;
	json_t *it;
	int seen = 0;
	json_array_foreach(items, i, it) {
		assert_string_equal(str(it, "province_code"), "01");
		seen += num(it, "id") == mine;
	}
	assert_int_equal(seen, 1);
	json_decref(items);
	/* ...even when it asks for another province. */
	qy.province = "33";
	assert_int_equal(record_list(st, &hanoi, est, &qy, &items, &total, &e), 0);
	assert_int_equal(total, 0);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	qy.province = NULL;
	assert_int_equal(record_list(st, &admin, est, &qy, &items, &total, &e), 0);
	assert_int_equal(total, rows(st, "establishments"));
	json_decref(items);
	assert_int_equal(record_get(st, &hanoi, est, hy, &r, &e), ERR_FORBIDDEN);
	assert_int_equal(record_get(st, &viewer, est, mine, &r, &e), 0);
	json_decref(r);
	/* A province cannot move its establishment to another province. */
	json_t *ch = test_json_parse("{\"commune_id\": \"Xã Mễ Sở, Hưng Yên\"}");
	assert_int_equal(record_update(st, &hanoi, est, mine, ch, -1, &e), ERR_FORBIDDEN);
	json_decref(ch);
	ch = test_json_parse("{\"workers\": 3}");
	assert_int_equal(record_update(st, &viewer, est, mine, ch, -1, &e), ERR_FORBIDDEN);
	assert_int_equal(record_update(st, &hanoi, est, hy, ch, -1, &e), ERR_FORBIDDEN);
	json_decref(ch);

	/* An establishment account edits itself only. */
	struct actor owner = test_actor(ROLE_ESTABLISHMENT, NULL, hy);
	ch = test_json_parse("{\"workers\": 44, \"phone\": \"0221 3 945 123\"}");
	err_clear(&e);
	if (record_update(st, &owner, est, hy, ch, 1, &e) != 0)
		fail_msg("own update: %s (%s)", e.message, e.field);
	assert_int_equal(record_update(st, &owner, est, hy2, ch, -1, &e), ERR_FORBIDDEN);
	json_decref(ch);
	r = test_get_ok(st, &admin, "establishments", hy);
	assert_int_equal(num(r, "workers"), 44);
	assert_int_equal(num(r, "version"), 2);
	json_decref(r);
	r = test_get_ok(st, &admin, "establishments", hy2);
	assert_true(json_is_null(json_object_get(r, "workers")));
	assert_int_equal(num(r, "version"), 1);
	json_decref(r);
	assert_int_equal(record_get(st, &owner, est, hy2, &r, &e), ERR_FORBIDDEN);
	assert_int_equal(record_list(st, &owner, est, &qy, &items, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(num(json_array_get(items, 0), "id"), hy);
	json_decref(items);
	test_create_fails(st, &owner, "establishments",
	             est_input("Cơ sở mới của chủ", "household", "Xã Mễ Sở, Hưng Yên"), ERR_FORBIDDEN,
	             "commune_id");
	assert_int_equal(record_delete(st, &owner, est, hy, -1, &e), ERR_FORBIDDEN);
	/* Nor may it write other record types of its own establishment. */
	json_t *aw = json_pack("{s:s,s:I,s:s,s:s,s:i}", "product_name", "Nhãn lồng sấy",
	                       "establishment_id", (json_int_t)hy, "level", "province",
	                       "product_group", "food", "year", 2024);
	test_create_fails(st, &owner, "awards", aw, ERR_FORBIDDEN, "establishment_id");
}

/* ---- optimistic concurrency ------------------------------------------ */

static void test_concurrency(void **state)
{
	struct store *st = *state;
	const struct entity *est = entity_find("establishments");
	json_t *in = est_input("Cơ sở sửa đồng thời", "household", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "workers", json_integer(40));
	int64_t id = test_create_ok(st, &admin, "establishments", in);
	int64_t na = audit_rows(st, "establishments", id);
	assert_int_equal(na, 1);
	struct err e;
	err_clear(&e);

	json_t *ch = test_json_parse("{\"workers\": 60, \"phone\": \"0221 3 123 456\"}");
	assert_int_equal(record_update(st, &admin, est, id, ch, 7, &e), ERR_STALE);
	assert_string_equal(e.field, "version");
	json_t *r = test_get_ok(st, &admin, "establishments", id);
	assert_int_equal(num(r, "workers"), 40);
	assert_int_equal(num(r, "version"), 1);
	assert_true(json_is_null(json_object_get(r, "phone")));
	json_decref(r);
	assert_int_equal(audit_rows(st, "establishments", id), na);

	err_clear(&e);
	assert_int_equal(record_update(st, &admin, est, id, ch, 1, &e), 0);
	r = test_get_ok(st, &admin, "establishments", id);
	assert_int_equal(num(r, "workers"), 60);
	assert_string_equal(str(r, "phone"), "0221 3 123 456");
	assert_int_equal(num(r, "version"), 2);
	assert_string_equal(str(r, "name"), "Cơ sở sửa đồng thời");
	json_decref(r);
	assert_int_equal(audit_rows(st, "establishments", id), na + 1);
	json_t *act = last_audit(st, "establishments", id, 0);
	assert_string_equal(json_string_value(act), "update");
	json_decref(act);
	json_t *b = last_audit(st, "establishments", id, 1);
	json_t *a = last_audit(st, "establishments", id, 2);
	json_t *want_b = test_json_parse("{\"phone\": null, \"workers\": 40}");
	json_t *want_a = test_json_parse("{\"phone\": \"0221 3 123 456\", \"workers\": 60}");
	if (!json_equal(b, want_b) || !json_equal(a, want_a)) {
		char *bs = json_dumps(b, JSON_SORT_KEYS), *as = json_dumps(a, JSON_SORT_KEYS);
		fail_msg("audit before %s after %s", bs, as);
	}
	json_decref(b);
	json_decref(a);
	json_decref(want_b);
	json_decref(want_a);

	/* The version the first editor read is stale now. */
	assert_int_equal(record_update(st, &admin, est, id, ch, 1, &e), ERR_STALE);
	json_decref(ch);
	assert_int_equal(audit_rows(st, "establishments", id), na + 1);
	/* A failed validation changes nothing either. */
	ch = test_json_parse("{\"workers_female\": 61}");
	assert_int_equal(record_update(st, &admin, est, id, ch, 2, &e), ERR_INVALID);
	assert_string_equal(e.field, "workers_female");
	json_decref(ch);
	r = test_get_ok(st, &admin, "establishments", id);
	assert_int_equal(num(r, "version"), 2);
	json_decref(r);
	assert_int_equal(audit_rows(st, "establishments", id), na + 1);
	/* Without if_version the update applies to the current version. */
	ch = test_json_parse("{\"workers_female\": 30}");
	assert_int_equal(record_update(st, &admin, est, id, ch, -1, &e), 0);
	json_decref(ch);
	r = test_get_ok(st, &admin, "establishments", id);
	assert_int_equal(num(r, "version"), 3);
	assert_int_equal(num(r, "workers_female"), 30);
	json_decref(r);
	ch = test_json_parse("{\"workers\": 1}");
	assert_int_equal(record_update(st, &admin, est, 999999, ch, -1, &e), ERR_NOTFOUND);
	json_decref(ch);
}

/* ---- delete ----------------------------------------------------------- */

static void test_delete(void **state)
{
	struct store *st = *state;
	const struct entity *est = entity_find("establishments");
	int64_t used = test_create_ok(st, &admin, "establishments",
	                         est_input("Cơ sở có mô hình", "household", "Xã Mễ Sở, Hưng Yên"));
	json_t *dm = json_pack("{s:I,s:s,s:i,s:s}", "establishment_id", (json_int_t)used, "technology",
	                       "Dây chuyền sấy nghệ", "year", 2021, "support_amount", "420 triệu");
	int64_t dmid = test_create_ok(st, &admin, "demo-models", dm);
	json_t *r = test_get_ok(st, &admin, "demo-models", dmid);
	assert_int_equal(num(r, "support_amount"), 420000000);
	assert_string_equal(str(r, "province_code"), "33");
	json_decref(r);

	struct err e;
	err_clear(&e);
	int64_t na = test_count(st, "SELECT COUNT(*) FROM audit");
	assert_int_equal(record_delete(st, &admin, est, used, -1, &e), ERR_CONFLICT);
	r = test_get_ok(st, &admin, "establishments", used);
	json_decref(r);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), na);

	json_t *in = est_input("Cơ sở sẽ xóa", "cooperative", "Xã Mễ Sở, Hưng Yên");
	json_object_set_new(in, "workers", json_integer(9));
	json_object_set_new(in, "note", json_string("Nhập nhầm"));
	int64_t gone = test_create_ok(st, &admin, "establishments", in);
	struct actor viewer = test_actor(ROLE_VIEWER, NULL, 0);
	struct actor hanoi = test_actor(ROLE_PROVINCE, "01", 0);
	assert_int_equal(record_delete(st, &viewer, est, gone, -1, &e), ERR_FORBIDDEN);
	assert_int_equal(record_delete(st, &hanoi, est, gone, -1, &e), ERR_FORBIDDEN);
	assert_int_equal(record_delete(st, &admin, est, gone, 5, &e), ERR_STALE);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), na + 1); /* the create */
	int64_t n = rows(st, "establishments");
	/* A concurrent writer changed the row between the read and the DELETE
	 * (READ COMMITTED on PostgreSQL): the DELETE changes nothing. Here a
	 * trigger makes it change nothing; the answer is a conflict and no
	 * "delete" is written into the audit trail. */
	int pg = !strcmp(test_dialect(), "postgresql");
	if (pg) { /* a BEFORE trigger that returns NULL skips the row */
		assert_int_equal(store_exec(st,
					    "CREATE FUNCTION lost() RETURNS trigger LANGUAGE plpgsql "
					    "AS $$ BEGIN RETURN NULL; END $$",
					    &e),
				 0);
		assert_int_equal(store_exec(st,
					    "CREATE TRIGGER lost BEFORE DELETE ON establishments "
					    "FOR EACH ROW EXECUTE FUNCTION lost()",
					    &e),
				 0);
	} else {
		assert_int_equal(store_exec(st,
					    "CREATE TEMP TRIGGER lost BEFORE DELETE ON establishments "
					    "BEGIN SELECT RAISE(IGNORE); END",
					    &e),
				 0);
	}
	assert_int_equal(record_delete(st, &admin, est, gone, 1, &e), ERR_STALE);
	assert_string_equal(e.field, "version");
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), na + 1);
	if (pg) {
		assert_int_equal(store_exec(st, "DROP TRIGGER lost ON establishments", &e), 0);
		assert_int_equal(store_exec(st, "DROP FUNCTION lost()", &e), 0);
	} else {
		assert_int_equal(store_exec(st, "DROP TRIGGER temp.lost", &e), 0);
	}
	err_clear(&e);
	assert_int_equal(record_delete(st, &admin, est, gone, 1, &e), 0);
	assert_int_equal(rows(st, "establishments"), n - 1);
	assert_int_equal(record_get(st, &admin, est, gone, &r, &e), ERR_NOTFOUND);
	assert_int_equal(record_delete(st, &admin, est, gone, -1, &e), ERR_NOTFOUND);

	json_t *act = last_audit(st, "establishments", gone, 0);
	assert_string_equal(json_string_value(act), "delete");
	json_decref(act);

	/* The newest record was deleted: the next one gets a new id, never its
	 * (the audit trail would otherwise tell of two records under one id). */
	in = est_input("Cơ sở mới sau khi xóa", "cooperative", "Xã Mễ Sở, Hưng Yên");
	int64_t next = test_create_ok(st, &admin, "establishments", in);
	assert_true(next > gone);
	json_t *b = last_audit(st, "establishments", gone, 1);
	assert_string_equal(str(b, "name"), "Cơ sở sẽ xóa");
	assert_string_equal(str(b, "kind"), "cooperative");
	assert_int_equal(num(b, "workers"), 9);
	assert_string_equal(str(b, "note"), "Nhập nhầm");
	assert_true(json_is_integer(json_object_get(b, "commune_id")));
	json_decref(b);
	json_t *a = last_audit(st, "establishments", gone, 2);
	assert_true(json_is_null(a));
	json_decref(a);

	/* Once its demo model is gone, the establishment can go too. */
	assert_int_equal(record_delete(st, &admin, entity_find("demo-models"), dmid, -1, &e), 0);
	assert_int_equal(record_delete(st, &admin, est, used, -1, &e), 0);
}

/* ---- search, filters, paging ----------------------------------------- */

static int64_t list_total(struct store *st, const char *coll, const struct list_query *qy,
                          json_t **items)
{
	struct err e;
	err_clear(&e);
	json_t *its = NULL;
	int64_t total = -1;
	int rc = record_list(st, &admin, entity_find(coll), qy, &its, &total, &e);
	if (rc != 0)
		fail_msg("record_list(%s) = %d: %s", coll, rc, e.message);
	if (items)
		*items = its;
	else
		json_decref(its);
	return total;
}

/* Every record type can be searched: on SQLite each table has its full-text
 * index (migration 0028, and the migration that adds a type after it). */
static void test_every_collection_searchable(void **state)
{
	struct store *st = *state;
	struct list_query qy = {0};
	qy.q = "khong co tu nay";
	for (const struct entity *ent = entities; ent->collection; ent++)
		assert_int_equal(list_total(st, ent->collection, &qy, NULL), 0);
}

static void test_search(void **state)
{
	struct store *st = *state;
	int64_t hmc = test_create_ok(st, &admin, "establishments",
	                        est_input("Công ty TNHH Hoàng Minh Châu Hưng Yên", "company_llc",
	                                  "Xã Mễ Sở, Hưng Yên"));
	test_create_ok(st, &admin, "establishments",
	          est_input("Hợp tác xã mây tre Phú Vinh", "cooperative", "Phường Hoàn Kiếm, Hà Nội"));

	struct list_query qy = {0};
	json_t *items;
	qy.q = "hoang minh chau";
	assert_int_equal(list_total(st, "establishments", &qy, &items), 1);
	assert_int_equal(num(json_array_get(items, 0), "id"), hmc);
	assert_string_equal(str(json_array_get(items, 0), "name"),
	                    "Công ty TNHH Hoàng Minh Châu Hưng Yên");
	json_decref(items);
	qy.q = "HOÀNG Minh";
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 1);
	qy.q = "minh chau hung yen cong ty";
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 1);
	qy.q = "oang"; /* words match at their start only */
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 0);
	qy.q = "hoang minh chau ha noi";
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 0);
	qy.q = "duc dong dai bai"; /* the name stored with Đ mended from Ð */
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 1);

	/* Enum filters, by code or by label. */
	qy.q = NULL;
	qy.nfilters = 1;
	qy.filter_names[0] = "kind";
	qy.filter_values[0] = "cooperative";
	int64_t coops = test_count(st, "SELECT COUNT(*) FROM establishments WHERE kind = "
	                               "'cooperative'");
	assert_true(coops >= 1);
	assert_int_equal(list_total(st, "establishments", &qy, &items), coops);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
		assert_string_equal(str(it, "kind"), "cooperative");
	json_decref(items);
	qy.filter_values[0] = "Hợp tác xã";
	assert_int_equal(list_total(st, "establishments", &qy, NULL), coops);
	qy.q = "phu vinh";
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 1);
	qy.q = NULL;
	qy.filter_names[0] = "owner_female"; /* booleans by any spelling */
	qy.filter_values[0] = "có";
	int64_t women = test_count(st, "SELECT COUNT(*) FROM establishments WHERE owner_female = 1");
	assert_true(women >= 1);
	assert_int_equal(list_total(st, "establishments", &qy, NULL), women);
	qy.filter_values[0] = "true";
	assert_int_equal(list_total(st, "establishments", &qy, NULL), women);
	qy.filter_names[0] = "kind";
	qy.filter_values[0] = "Hợp tác xã";
	qy.q = "hoang minh chau";
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 0);
	qy.q = NULL;
	struct err e;
	json_t *dummy = NULL;
	int64_t total;
	qy.filter_names[0] = "name"; /* not a filter */
	assert_int_equal(record_list(st, &admin, entity_find("establishments"), &qy, &dummy, &total,
	                             &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "name");
	qy.filter_names[0] = "kind";
	qy.filter_values[0] = "bakery";
	assert_int_equal(record_list(st, &admin, entity_find("establishments"), &qy, &dummy, &total,
	                             &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "kind");
	qy.nfilters = 0;
	qy.sort = "password";
	assert_int_equal(record_list(st, &admin, entity_find("establishments"), &qy, &dummy, &total,
	                             &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "sort");
	qy.sort = NULL;

	/* Training classes: search without marks, year range, paging. */
	static const char *const topics[] = {"Đào tạo nghề may", "Truyền nghề gốm sứ",
	                                     "Đào tạo nghề mây tre đan", "Tập huấn khởi sự doanh nghiệp",
	                                     "Truyền nghề thêu ren"};
	static const int years[] = {2016, 2019, 2020, 2021, 2022};
	int64_t ids[5];
	for (int k = 0; k < 5; k++) {
		json_t *in = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "province", "01", "kind", "other",
		                       "topic", topics[k], "place", "Làng Thử Nghiệm", "year", years[k],
		                       "trainees", 20 + k);
		ids[k] = test_create_ok(st, &admin, "training-classes", in);
	}
	qy.q = "dao tao";
	assert_int_equal(list_total(st, "training-classes", &qy, &items), 2);
	/* Newest first by default. */
	assert_int_equal(num(json_array_get(items, 0), "id"), ids[2]);
	assert_int_equal(num(json_array_get(items, 1), "id"), ids[0]);
	assert_string_equal(str(json_array_get(items, 1), "topic"), "Đào tạo nghề may");
	json_decref(items);
	qy.q = "Đào tạo nghề may";
	assert_int_equal(list_total(st, "training-classes", &qy, &items), 2); /* "may" ~ "mây" */
	json_decref(items);
	qy.q = "thu nghiem";
	assert_int_equal(list_total(st, "training-classes", &qy, NULL), 5);
	qy.year_from = 2019;
	qy.year_to = 2021;
	assert_int_equal(list_total(st, "training-classes", &qy, &items), 3);
	json_array_foreach(items, i, it) {
		assert_true(num(it, "year") >= 2019);
		assert_true(num(it, "year") <= 2021);
	}
	json_decref(items);
	qy.year_to = 0;
	assert_int_equal(list_total(st, "training-classes", &qy, NULL), 4);
	qy.year_from = 0;
	qy.year_to = 2016;
	assert_int_equal(list_total(st, "training-classes", &qy, NULL), 1);
	qy.year_to = 0;

	qy.sort = "year";
	qy.desc = 0;
	qy.limit = 2;
	for (int page = 0; page < 3; page++) {
		qy.offset = page * 2;
		assert_int_equal(list_total(st, "training-classes", &qy, &items), 5);
		assert_int_equal(json_array_size(items), page < 2 ? 2 : 1);
		json_array_foreach(items, i, it)
			assert_int_equal(num(it, "id"), ids[page * 2 + (int)i]);
		json_decref(items);
	}
	qy.desc = 1;
	qy.offset = 0;
	qy.limit = 1;
	assert_int_equal(list_total(st, "training-classes", &qy, &items), 5);
	assert_int_equal(num(json_array_get(items, 0), "year"), 2022);
	json_decref(items);
	qy.offset = 10;
	assert_int_equal(list_total(st, "training-classes", &qy, &items), 5);
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);

	/* A province of another place finds none of them. */
	struct actor hy = test_actor(ROLE_PROVINCE, "33", 0);
	qy.offset = 0;
	qy.limit = 0;
	assert_int_equal(record_list(st, &hy, entity_find("training-classes"), &qy, &items, &total,
	                             &e),
	                 0);
	assert_int_equal(total, 0);
	json_decref(items);
}

/* The statement cache: a nested use of a cached statement while a loop
 * over it is open is an error (it would reset the outer loop); the cache
 * keeps at most STORE_CACHE_MAX statements, dropping (on PostgreSQL
 * deallocating) the least recently used; one-shot statements stay out. */
static int is_sqlite(struct store *st)
{
	return !strcmp(store_dialect(st), "sqlite");
}

/* Rows of table whose search key has a word starting with w (the LIKE that
 * defines the search) and the index of migration 0028 does not find (miss),
 * and rows it finds that the LIKE does not (extra). */
static void word_diff(struct store *st, const char *table, const char *w, int64_t *miss,
		      int64_t *extra)
{
	char idx[200], sql[600];
	if (is_sqlite(st))
		snprintf(idx, sizeof idx,
			 "id IN (SELECT rowid FROM %s_words WHERE %s_words MATCH '\"%s\" *')",
			 table, table, w);
	else
		snprintf(idx, sizeof idx,
			 "to_tsvector('simple', search_key) @@ to_tsquery('simple', '%s:*')", w);
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM %s WHERE (' ' || search_key) LIKE '%% %s%%' AND NOT (%s)",
		 table, w, idx);
	*miss = test_count(st, sql);
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM %s WHERE NOT ((' ' || search_key) LIKE '%% %s%%') AND %s",
		 table, w, idx);
	*extra = test_count(st, sql);
}

/* The index finds every row the LIKE finds, for every word start; on SQLite
 * exactly those (PostgreSQL's may find more: the LIKE decides). */
static void assert_words_in_step(struct store *st, const char *table)
{
	static const char *const starts[] = {"a", "b",	  "c",	"d",  "h",    "m",
					     "n", "s",	  "t",	"x",  "1",    "2",
					     "4", "cong", "co", "ng", "zyxw", "qvutz"};
	for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
		int64_t miss, extra;
		word_diff(st, table, starts[i], &miss, &extra);
		if (miss || (is_sqlite(st) && extra))
			fail_msg("%s, words starting %s: %lld rows missed by the index, %lld more",
				 table, starts[i], (long long)miss, (long long)extra);
	}
}

/* Migration 0028's index follows every write of a search key, in the same
 * statement (triggers): create, update, delete, a bulk INSERT ... SELECT (a
 * batched import, the bench filler) and a rollback; a search through it
 * answers as the LIKE alone did. */
static void test_search_words_in_step(void **state)
{
	struct store *st = *state;
	const struct entity *est = entity_find("establishments");
	assert_words_in_step(st, "establishments");
	assert_words_in_step(st, "training_classes");
	int64_t id = test_create_ok(st, &admin, "establishments",
				    est_input("Cơ sở Zyxwa 42", "household", "Xã Mễ Sở, Hưng Yên"));
	struct list_query qy = {.q = "zyxwa 42"};
	json_t *items;
	assert_int_equal(list_total(st, "establishments", &qy, &items), 1);
	assert_int_equal(num(json_array_get(items, 0), "id"), id);
	json_decref(items);
	assert_words_in_step(st, "establishments");

	struct err e;
	err_clear(&e);
	json_t *ch = json_pack("{s:s}", "name", "Cơ sở Qvutz 42");
	assert_int_equal(record_update(st, &admin, est, id, ch, -1, &e), 0);
	json_decref(ch);
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 0);
	qy.q = "QVUTZ";
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 1);
	int64_t miss, extra;
	word_diff(st, "establishments", "zyxw", &miss, &extra);
	assert_int_equal(miss + extra, 0); /* the old word is gone from the index */
	assert_int_equal(test_count(st, is_sqlite(st) ? "SELECT COUNT(*) FROM establishments_words"
							" WHERE establishments_words MATCH 'zyxwa'"
						      : "SELECT 0"),
			 0);
	assert_words_in_step(st, "establishments");

	assert_int_equal(record_delete(st, &admin, est, id, -1, &e), 0);
	assert_int_equal(list_total(st, "establishments", &qy, NULL), 0);
	assert_words_in_step(st, "establishments");

	/* Rows written in bulk, then a rolled back change. */
	assert_int_equal(
		store_exec(st,
			   "INSERT INTO establishments (version, created_at, updated_at,"
			   " province_code, search_key, name, kind)"
			   " SELECT 1, created_at, updated_at, province_code,"
			   " 'zyxwb ' || search_key, 'Zyxwb ' || name, kind FROM establishments",
			   &e),
		0);
	assert_int_equal(store_begin(st, &e), 0);
	assert_int_equal(store_exec(st, "UPDATE establishments SET search_key = 'qvutz'", &e), 0);
	store_rollback(st);
	assert_words_in_step(st, "establishments");
	qy.q = "zyxwb";
	int64_t n = test_count(st, "SELECT COUNT(*) FROM establishments WHERE name LIKE 'Zyxwb %'");
	assert_true(n >= 2);
	assert_int_equal(list_total(st, "establishments", &qy, NULL), n);
	assert_int_equal(store_exec(st, "DELETE FROM establishments WHERE name LIKE 'Zyxwb %'", &e),
			 0);
	assert_words_in_step(st, "establishments");
}

/* The statements of the last list (record_list_seen). */
static char seen_sql[4][8192];
static int nseen;

static void see_sql(const char *sql)
{
	if (nseen < 4)
		snprintf(seen_sql[nseen++], sizeof seen_sql[0], "%s", sql);
}

/* SQLite's plan of sql (its ? left unbound: NULL), one line a step. */
static void sqlite_plan(struct store *st, const char *sql, struct buf *plan)
{
	struct err e;
	struct buf q = BUF_INIT;
	buf_printf(&q, "EXPLAIN QUERY PLAN %s", sql);
	struct stmt *s = store_prepare_once(st, buf_cstr(&q), &e);
	buf_free(&q);
	assert_non_null(s);
	while (stmt_step(s, &e) == 1)
		buf_printf(plan, "%s\n", stmt_text(s, 3));
	stmt_done(s);
}

/* A search's page in id order is the LIKE's, newest or oldest first, on
 * both databases; on SQLite the full-text index gives its rows in that
 * order as the page and the capped count ask for them: no statement makes
 * the list of every match first (a national search of two words found in
 * every row merged both lists whole, twice) nor sorts. The page's ids are
 * a list (record.c's cursor_stmt), of LIMIT ids only. */
static void test_search_plan(void **state)
{
	struct store *st = *state;
	const struct entity *est = entity_find("establishments");
	struct err e;
	err_clear(&e);
	const char *like = "FROM establishments WHERE (' ' || search_key) LIKE '% c%'"
			   " AND (' ' || search_key) LIKE '% t%'";
	char sql[300];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) %s", like);
	int64_t n = test_count(st, sql);
	assert_true(n >= 3);
	for (int run = 0; run < 4; run++) {
		/* few: every match on the page, which the count has read */
		int desc = run & 1, few = run >> 1;
		struct list_query qy = {
			.q = "c T", .sort = "id", .desc = desc, .limit = few ? n : 2};
		json_t *items;
		int64_t total;
		int exact;
		nseen = 0;
		record_list_seen = see_sql;
		int rc = record_list_page(st, &admin, est, &qy, &items, &total, &exact, &e);
		record_list_seen = NULL;
		assert_int_equal(rc, 0);
		assert_int_equal(total, n);
		assert_int_equal(nseen, 2); /* the count, the page */
		for (int i = 0; i < 2; i++) {
			snprintf(sql, sizeof sql, "SELECT id %s ORDER BY id %s LIMIT 1 OFFSET %d",
				 like, desc ? "DESC" : "ASC", i);
			assert_int_equal(num(json_array_get(items, i), "id"), test_count(st, sql));
		}
		json_decref(items);
		if (!is_sqlite(st))
			continue;
		for (int i = 0; i < nseen; i++) {
			struct buf plan = BUF_INIT;
			sqlite_plan(st, seen_sql[i], &plan);
			/* the page of a few is read forwards and sorted */
			int sorts = few && i == 1;
			/* the page's one list is its own ids (LIMIT), read first:
			 * the index drives the join inside it */
			const char *p = buf_cstr(&plan), *list = strstr(p, "LIST SUBQUERY");
			const char *from = i == 1 && list ? list : p;
			if ((i == 0 && list) || !strstr(p, "TEMP B-TREE") != !sorts ||
			    !strstr(from, "VIRTUAL TABLE") ||
			    strstr(from, "VIRTUAL TABLE") > strstr(from, "SEARCH t "))
				fail_msg("%s\nplan:\n%s", seen_sql[i], buf_cstr(&plan));
			buf_free(&plan);
		}
	}
}

/* On PostgreSQL a word in more than COMMON_SHARE of the rows (ANALYZE's
 * most common words) is left out of the text-search query, whose prefix
 * match would read the list of every row holding it; the LIKE still
 * decides, so the same rows are found. */
static void test_search_common_words(void **state)
{
	struct store *st = *state;
	if (is_sqlite(st)) {
		print_message("PostgreSQL's: SQLite's index reads no more than it gives\n");
		skip();
	}
	struct err e;
	err_clear(&e);
	for (int i = 0; i < 3; i++) /* zyxwc in 7 rows of 8 */
		assert_int_equal(
			store_exec(st,
				   "INSERT INTO establishments (version, created_at, updated_at,"
				   " province_code, search_key, name, kind)"
				   " SELECT 1, created_at, updated_at, province_code,"
				   " 'zyxwc ' || search_key, 'Zyxwc ' || name, kind"
				   " FROM establishments",
				   &e),
			0);
	assert_true(test_count(st, "SELECT COUNT(*) FROM establishments") >= 40);
	assert_int_equal(store_exec(st,
				    "UPDATE establishments SET search_key = search_key || ' qvutzk'"
				    " WHERE id = (SELECT MAX(id) FROM establishments)",
				    &e),
			 0);
	assert_int_equal(store_analyze(st, "establishments", &e), 0);
	record_words_ttl = 0;
	static const struct {
		const char *q, *like;
		int looked_up;
	} cases[] = {
		{"zyxwc", "(' ' || search_key) LIKE '% zyxwc%'", 0},
		{"Zyxwc QVUTZ",
		 "(' ' || search_key) LIKE '% zyxwc%' AND (' ' || search_key)"
		 " LIKE '% qvutz%'",
		 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct list_query qy = {.q = cases[i].q};
		char sql[300];
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM establishments WHERE %s",
			 cases[i].like);
		int64_t n = test_count(st, sql);
		assert_true(n >= 1);
		nseen = 0;
		record_list_seen = see_sql;
		int64_t total = list_total(st, "establishments", &qy, NULL);
		record_list_seen = NULL;
		assert_int_equal(total, n);
		assert_int_equal(nseen, 2);
		/* and when a word is looked up, every LIKE keeps out of 0009's
		 * index, the common word's too (its list is nearly every row) */
		if (!strstr(seen_sql[1], "to_tsquery") != !cases[i].looked_up ||
		    !strstr(seen_sql[1], "search_key || '') ~~") != !cases[i].looked_up ||
		    (cases[i].looked_up && strstr(seen_sql[1], "(' ' || t.search_key) ~~")))
			fail_msg("%s: %s", cases[i].q, seen_sql[1]);
	}
	record_words_ttl = 600;
	assert_int_equal(store_exec(st, "DELETE FROM establishments WHERE name LIKE 'Zyxwc %'", &e),
			 0);
	assert_int_equal(store_analyze(st, "establishments", &e), 0);
}

/* The ids of establishments matching like, newest first, from offset: the
 * page a search should give. */
static void want_page(struct store *st, const char *like, int offset, int limit, json_t *items)
{
	assert_int_equal(json_array_size(items), limit);
	for (int i = 0; i < limit; i++) {
		char sql[300];
		snprintf(
			sql, sizeof sql,
			"SELECT id FROM establishments WHERE %s ORDER BY id DESC LIMIT 1 OFFSET %d",
			like, offset + i);
		assert_int_equal(num(json_array_get(items, i), "id"), test_count(st, sql));
	}
}

/* On PostgreSQL a search matching more rows than the count counts takes
 * its page, newest first, from the newest rows when they hold it, and
 * reads the whole index when they do not (the matches are older, or the
 * page lies further): the same page either way. */
static void test_search_newest_first(void **state)
{
	struct store *st = *state;
	if (is_sqlite(st)) {
		print_message("PostgreSQL's: SQLite's index gives its rows newest first\n");
		skip();
	}
	const struct entity *est = entity_find("establishments");
	struct err e;
	err_clear(&e);
	/* PostgreSQL only: generate_series */
	static const char insert[] =
		"INSERT INTO establishments (version, created_at, updated_at, province_code,"
		" search_key, name, kind) SELECT 1, created_at, updated_at, province_code,"
		" '%s ' || search_key, 'X', kind FROM establishments, generate_series(1, %d)"
		" WHERE id = (SELECT MIN(id) FROM establishments) ORDER BY 1";
	char sql[512];
	snprintf(sql, sizeof sql, insert, "zyxwd lang", 12); /* the matches */
	assert_int_equal(store_exec(st, sql, &e), 0);
	snprintf(sql, sizeof sql, insert, "qvutzd", 3); /* newer rows that do not match */
	assert_int_equal(store_exec(st, sql, &e), 0);
	const char *like =
		"(' ' || search_key) LIKE '% zyxwd%' AND (' ' || search_key) LIKE '% lang%'";
	int64_t saved_cap = record_count_cap, saved_rows = record_newest_rows, total;
	int exact;
	record_count_cap = 2; /* 12 matches: more than the count counts */
	static const struct {
		int64_t rows;	   /* the newest rows read first */
		int offset, limit; /* the page */
		int statements;	   /* the count, the page (and the page again) */
		int newest;	   /* the page taken from the newest rows */
	} cases[] = {
		{100, 0, 3, 2, 1},  {100, 3, 3, 2, 1}, /* within the newest rows */
		{7, 0, 3, 2, 1},		       /* 3 others, 4 matches: enough */
		{5, 0, 3, 3, 0},		       /* 3 others, 2 matches: again */
		{100, 10, 3, 2, 0},		       /* all 12 counted: a short last page */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		record_newest_rows = cases[i].rows;
		struct list_query qy = {
			.q = "Zyxwd lang", .offset = cases[i].offset, .limit = cases[i].limit};
		json_t *items;
		nseen = 0;
		record_list_seen = see_sql;
		int rc = record_list_page(st, &admin, est, &qy, &items, &total, &exact, &e);
		record_list_seen = NULL;
		assert_int_equal(rc, 0);
		int left = 12 - cases[i].offset;
		want_page(st, like, cases[i].offset, left < cases[i].limit ? left : cases[i].limit,
			  items);
		assert_int_equal(nseen, cases[i].statements);
		/* the API's text, after what its buffer held, is the same page */
		struct buf text = BUF_INIT;
		buf_puts(&text, "{\"items\":");
		assert_int_equal(
			record_list_json(st, &admin, est, &qy, 0, &text, &total, &exact, &e), 0);
		buf_putc(&text, '}');
		json_t *parsed = json_loads(buf_cstr(&text), 0, NULL);
		assert_non_null(parsed);
		assert_true(json_equal(json_object_get(parsed, "items"), items));
		json_decref(parsed);
		buf_free(&text);
		json_decref(items);
		const char *page = seen_sql[nseen - 1];
		if (!strstr(page, "ORDER BY id DESC LIMIT") != !cases[i].newest ||
		    !strstr(page, "to_tsquery") != !!cases[i].newest)
			fail_msg("case %zu: %s", i, page);
	}
	record_count_cap = saved_cap;
	record_newest_rows = saved_rows;
	assert_int_equal(store_exec(st, "DELETE FROM establishments WHERE name = 'X'", &e), 0);
}

/* Lists people read count at most record_count_cap rows (the test lowers it
 * from 1000): beyond, the total is that bound and not exact, and paging
 * still knows whether a next page exists. record_list stays exact. */
static void test_capped_total(void **state)
{
	struct store *st = *state;
	const struct entity *est = entity_find("establishments");
	int64_t all = test_count(st, "SELECT COUNT(*) FROM establishments");
	assert_true(all >= 4);
	struct err e;
	err_clear(&e);
	int64_t saved = record_count_cap, total = -1;
	int exact = -1;
	json_t *items;
	record_count_cap = 2;
	struct list_query qy = {.limit = 1};
	assert_int_equal(record_list_page(st, &admin, est, &qy, &items, &total, &exact, &e), 0);
	assert_int_equal(total, 2);
	assert_int_equal(exact, 0);
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	/* A page past the bound: counted to the end of the page, one more. */
	qy.offset = 2;
	assert_int_equal(record_list_page(st, &admin, est, &qy, &items, &total, &exact, &e), 0);
	assert_int_equal(total, all > 3 ? 3 : all);
	assert_int_equal(exact, all <= 3);
	json_decref(items);
	/* Few matches: exact. */
	qy.offset = 0;
	qy.q = "hoang minh chau";
	assert_int_equal(record_list_page(st, &admin, est, &qy, &items, &total, &exact, &e), 0);
	assert_int_equal(total, 1);
	assert_int_equal(exact, 1);
	json_decref(items);
	qy.q = NULL;
	assert_int_equal(list_total(st, "establishments", &qy, NULL), all);
	record_count_cap = saved;
	assert_int_equal(record_list_page(st, &admin, est, &qy, &items, &total, &exact, &e), 0);
	assert_int_equal(total, all);
	assert_int_equal(exact, 1);
	json_decref(items);
}

/* A list's page is found by its ids first, from an index alone, then its
 * rows are read by id (record.c, cursor_stmt): SQLite reads a province's
 * ids from its index (which holds the rowid) without a row; PostgreSQL's
 * index of a province holds the id too (migration 0039), so that it gives
 * the ids in the list's order where the planner read the primary key
 * backwards through every province's rows. */
static void test_page_ids_from_index(void **state)
{
	struct store *st = *state;
	const struct entity *est = entity_find("establishments");
	struct list_query qy = {.province = "33", .limit = 2, .offset = 1};
	json_t *items;
	int64_t total;
	int exact;
	struct err e;
	err_clear(&e);
	assert_int_equal(record_list_page(st, &admin, est, &qy, &items, &total, &exact, &e), 0);
	json_decref(items);
	if (!strcmp(store_dialect(st), "postgresql")) {
		/* none of 0039's is of province_code alone any more */
		assert_int_equal(
			test_count(st, "SELECT COUNT(*) FROM pg_indexes WHERE indexdef LIKE"
				       " '%(province_code)' AND right(indexname, 9) = '_province'"),
			0);
		assert_true(test_count(st, "SELECT COUNT(*) FROM pg_indexes WHERE indexname ="
					   " 'establishments_province' AND indexdef LIKE"
					   " '%(province_code, id)'") == 1);
		return;
	}
	const char *page = NULL; /* the page's statement, in the store's cache */
	for (struct stmt *s = st->newest; s && !page; s = s->older)
		if (strstr(s->sql, "FROM establishments t WHERE") && strstr(s->sql, "OFFSET ?"))
			page = s->sql;
	assert_non_null(page);
	char sql[8192];
	snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", page);
	struct stmt *s = store_prepare_once(st, sql, &e);
	assert_non_null(s);
	stmt_bind(s, "ti", "33", (int64_t)1); /* the province, the OFFSET */
	int covering = 0;
	while (stmt_step(s, &e) == 1)
		covering +=
			strstr(stmt_text(s, 3), "COVERING INDEX establishments_province") != NULL;
	stmt_done(s);
	assert_int_equal(covering, 1);
}

/* A list's page size and its count's cap are in the statements' text, and
 * the first page has no OFFSET: PostgreSQL's generic plan of a bound LIMIT
 * or OFFSET guesses a tenth of the rows, never beats the custom plan, and
 * every request was planned again. The OFFSET of a later page is bound (one
 * statement for every page of a list). */
static void test_page_size_in_text(void **state)
{
	struct store *st = *state;
	const struct entity *est = entity_find("establishments");
	char limit[64], cap[64];
	for (int later = 0; later < 2; later++) {
		struct list_query qy = {.province = "33", .limit = 3, .offset = later * 3};
		json_t *items;
		int64_t total;
		int exact;
		struct err e;
		err_clear(&e);
		nseen = 0;
		record_list_seen = see_sql;
		int rc = record_list_page(st, &admin, est, &qy, &items, &total, &exact, &e);
		record_list_seen = NULL;
		assert_int_equal(rc, 0);
		json_decref(items);
		assert_int_equal(nseen, 2); /* the count, the page */
		snprintf(cap, sizeof cap, "LIMIT %lld) c", (long long)record_count_cap + 1);
		snprintf(limit, sizeof limit, later ? "LIMIT 3 OFFSET ?)" : "LIMIT 3)");
		if (!strstr(seen_sql[0], cap) || !strstr(seen_sql[1], limit) ||
		    (!later && strstr(seen_sql[1], "OFFSET")))
			fail_msg("count: %s\npage: %s", seen_sql[0], seen_sql[1]);
	}
}

static void test_statement_cache(void **state)
{
	struct store *st = *state;
	struct err e;
	const char *sql = "SELECT id FROM units ORDER BY id LIMIT 3";
	struct stmt *outer = store_prepare(st, sql, &e);
	assert_non_null(outer);
	assert_int_equal(stmt_step(outer, &e), 1);
	int64_t first = stmt_int(outer, 0);
	assert_null(store_prepare(st, sql, &e));
	assert_int_equal(e.code, ERR_STORE);
	assert_non_null(strstr(e.message, "in use"));
	assert_int_equal(stmt_step(outer, &e), 1); /* the outer loop goes on */
	assert_true(stmt_int(outer, 0) > first);
	stmt_done(outer);
	struct stmt *again = store_prepare(st, sql, &e);
	assert_non_null(again);
	assert_int_equal(stmt_step(again, &e), 1);
	assert_int_equal(stmt_int(again, 0), first);
	stmt_done(again);

	int cached = store_cached(st);
	for (int i = 0; i < 20; i++) {
		struct stmt *s =
			store_prepare_once(st, "SELECT COUNT(*) FROM units WHERE id > ?", &e);
		assert_non_null(s);
		stmt_bind_int(s, 1, i);
		assert_int_equal(stmt_step(s, &e), 1);
		stmt_done(s);
	}
	assert_int_equal(store_cached(st), cached);
	for (int i = 0; i < STORE_CACHE_MAX + 50; i++) {
		char text[64];
		snprintf(text, sizeof text, "SELECT %d + COUNT(*) FROM units WHERE id < 3", i);
		struct stmt *s = store_prepare(st, text, &e);
		assert_non_null(s);
		assert_int_equal(stmt_step(s, &e), 1);
		assert_int_equal(stmt_int(s, 0), i + 2);
		stmt_done(s);
	}
	assert_true(store_cached(st) <= STORE_CACHE_MAX);
	if (!strcmp(store_dialect(st), "postgresql")) {
		int64_t n = -1;
		assert_int_equal(
			store_int(st, &e, &n, "SELECT COUNT(*) FROM pg_prepared_statements", ""),
			1);
		assert_true(n <= STORE_CACHE_MAX);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_agreement),
		cmocka_unit_test(test_content_described),
		cmocka_unit_test(test_tax_code_check),
		cmocka_unit_test(test_establishment_round_trip),
		cmocka_unit_test(test_establishment_update_with_industry),
		cmocka_unit_test(test_project_money),
		cmocka_unit_test(test_training_rules),
		cmocka_unit_test(test_award_rules),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_concurrency),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_every_collection_searchable),
		cmocka_unit_test(test_search_words_in_step),
		cmocka_unit_test(test_search_plan),
		cmocka_unit_test(test_search_common_words),
		cmocka_unit_test(test_search_newest_first),
		cmocka_unit_test(test_capped_total),
		cmocka_unit_test(test_page_ids_from_index),
		cmocka_unit_test(test_page_size_in_text),
		cmocka_unit_test(test_statement_cache),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
