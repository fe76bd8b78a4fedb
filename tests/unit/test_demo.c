/* test_demo.c - the demo data set: it loads through the record engine into a
 * new database, only once, and the seed articles' figures come back with
 * their values, qualifiers and today's provinces. */
#include "testutil.h"

#include "core/embed.h"
#include "model/demo.h"
#include "model/record.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct actor admin;
static char *db_path;

static int setup(void **state)
{
	return test_group_reference(state, "demo", &db_path, &admin);
}

static int teardown(void **state)
{
	return test_group_close(state, db_path);
}

/* The number of rows of every record table plus the audit trail. */
static int64_t all_rows(struct store *st)
{
	int64_t n = test_count(st, "SELECT COUNT(*) FROM audit");
	for (const struct entity *ent = entities; ent->collection; ent++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", ent->table);
		n += test_count(st, sql);
	}
	return n;
}

static void test_load(void **state)
{
	struct store *st = *state;
	const struct embedded_file *f = embed_find(demo_files, "demo.json");
	assert_non_null(f);
	json_t *doc = json_loadb((const char *)f->data, f->size, 0, NULL);
	assert_non_null(doc);
	size_t nrec = json_array_size(json_object_get(doc, "records"));
	size_t nsteps = json_array_size(json_object_get(doc, "steps"));
	json_decref(doc);

	/* A new database holds only the national support caps it ships. */
	assert_int_equal(all_rows(st), test_count(st, "SELECT COUNT(*) FROM support_caps"));
	struct err e;
	err_clear(&e);
	int count = -1;
	int rc = demo_load(st, &admin, &count, &e);
	if (rc != 0)
		fail_msg("demo_load: %d %s (%s)", rc, e.message, e.field);
	assert_true(count > 100);
	assert_int_equal((size_t)count, nrec);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM figures"), 55);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM project_events"), (int64_t)nsteps);
	/* Every record and every step is audited: one create per record and
	 * step, one transition per step. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE action = 'create'"),
	                 (int64_t)(nrec + nsteps));
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit WHERE action = 'transition'"),
	                 (int64_t)nsteps);
	/* Illustrative records say so. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM establishments WHERE illustrative = 1"),
	                 test_count(st, "SELECT COUNT(*) FROM establishments"));
}

/* The API list writes its pages as text (record_list_json): for every record
 * type of the demo (quantities, JSON, booleans, references, units), the same
 * records, keys and values as record_list's objects, and no key twice. */
static void test_list_json(void **state)
{
	struct store *st = *state;
	for (const struct entity *ent = entities; ent->collection; ent++) {
		struct list_query qy = {.limit = 500};
		struct err e;
		json_t *items;
		int64_t total, total2;
		int exact;
		assert_int_equal(record_list(st, &admin, ent, &qy, &items, &total, &e), 0);
		struct buf b = BUF_INIT;
		assert_int_equal(record_list_json(st, &admin, ent, &qy, 1, &b, &total2, &exact, &e),
				 0);
		assert_int_equal(total2, total);
		assert_true(exact);
		json_error_t je;
		json_t *text = json_loads(buf_cstr(&b), JSON_REJECT_DUPLICATES, &je);
		if (!text || !json_equal(text, items))
			fail_msg("%s: the list as text differs: %s", ent->collection,
				 text ? buf_cstr(&b) : je.text);
		/* One record as text (record_get_json): record_get's object. */
		json_t *first = json_array_get(items, 0);
		if (first) {
			int64_t id = json_integer_value(json_object_get(first, "id")), version = -1;
			json_t *rec;
			assert_int_equal(record_get(st, &admin, ent, id, &rec, &e), 0);
			buf_reset(&b);
			assert_int_equal(record_get_json(st, &admin, ent, id, &b, &version, &e), 0);
			json_t *one = json_loads(buf_cstr(&b), JSON_REJECT_DUPLICATES, &je);
			if (!one || !json_equal(one, rec))
				fail_msg("%s: the record as text differs: %s", ent->collection,
					 buf_cstr(&b));
			assert_int_equal(version,
					 json_integer_value(json_object_get(rec, "version")));
			json_decref(one);
			json_decref(rec);
		}
		/* Its scope, checked on the row: an establishment's account reads
		 * its own establishment, not another (nothing written then). */
		json_t *second = json_array_get(items, 1);
		if (first && second && !strcmp(ent->collection, "establishments")) {
			struct actor own = {.role = ROLE_ESTABLISHMENT};
			int64_t version;
			own.establishment_id = json_integer_value(json_object_get(first, "id"));
			buf_reset(&b);
			assert_int_equal(record_get_json(st, &own, ent, own.establishment_id, &b,
							 &version, &e),
					 0);
			buf_reset(&b);
			assert_int_equal(
				record_get_json(st, &own, ent,
						json_integer_value(json_object_get(second, "id")),
						&b, &version, &e),
				ERR_FORBIDDEN);
			assert_int_equal(b.len, 0);
		}
		json_decref(text);
		json_decref(items);
		buf_free(&b);
	}
}

static void test_load_twice(void **state)
{
	struct store *st = *state;
	int64_t before = all_rows(st);
	assert_true(before > 100);
	struct err e;
	err_clear(&e);
	int count = -1;
	assert_int_equal(demo_load(st, &admin, &count, &e), ERR_CONFLICT);
	assert_int_equal(count, 0);
	assert_int_equal(all_rows(st), before);
}

/* The one figure of indicator in today's province (with an old province
 * when old is not NULL) and period_to; caller decrefs. */
static json_t *figure(struct store *st, const char *indicator, const char *province,
                      const char *old, int period_to)
{
	struct list_query qy = {0};
	qy.nfilters = 1;
	qy.filter_names[0] = "indicator";
	qy.filter_values[0] = indicator;
	qy.province = province;
	qy.old_province = old;
	qy.limit = 100;
	json_t *items = NULL;
	int64_t total = -1;
	struct err e;
	err_clear(&e);
	if (record_list(st, &admin, entity_find("figures"), &qy, &items, &total, &e) != 0)
		fail_msg("record_list: %s", e.message);
	json_t *found = NULL;
	size_t i;
	json_t *it;
	int n = 0;
	json_array_foreach(items, i, it) {
		if (json_integer_value(json_object_get(it, "period_to")) != period_to)
			continue;
		n++;
		found = it;
	}
	if (n != 1)
		fail_msg("%s in %s/%s to %d: %d figures", indicator, province, old ? old : "-",
		         period_to, n);
	json_incref(found);
	json_decref(items);
	return found;
}

static void assert_figure(struct store *st, const char *indicator, const char *province,
                          const char *old, int period_to, int64_t value, int scale,
                          const char *qual, const char *measure)
{
	json_t *r = figure(st, indicator, province, old, period_to);
	json_t *q = json_object_get(r, "value");
	assert_int_equal(json_integer_value(json_object_get(q, "value")), value);
	assert_int_equal(json_integer_value(json_object_get(q, "value_hi")), value);
	assert_int_equal(json_integer_value(json_object_get(q, "scale")), scale);
	assert_string_equal(json_string_value(json_object_get(q, "qualifier")), qual);
	assert_string_equal(json_string_value(json_object_get(r, "province_code")), province);
	if (old)
		assert_string_equal(json_string_value(json_object_get(r, "old_province_code")), old);
	assert_string_equal(json_string_value(json_object_get(r, "unit_era")), "old");
	assert_string_equal(json_string_value(json_object_get(r, "measure")), measure);
	assert_non_null(json_string_value(json_object_get(r, "source_title")));
	json_decref(r);
}

static void test_seed_figures(void **state)
{
	struct store *st = *state;
	/* Hà Nội 2016-2020: 274 craft-transfer classes, 9.590 workers, over 80%
	 * of them employed. */
	assert_figure(st, "training.craft_transfer.classes", "01", "01", 2020, 274, 0, "exact",
	              "lớp");
	assert_figure(st, "training.craft_transfer.trainees", "01", "01", 2020, 9590, 0, "exact",
	              "lao động");
	assert_figure(st, "training.employment_rate", "01", "01", 2020, 800, 1, "at_least", "%");
	json_t *r = figure(st, "training.craft_transfer.classes", "01", NULL, 2020);
	assert_int_equal(json_integer_value(json_object_get(r, "period_from")), 2016);
	assert_string_equal(json_string_value(json_object_get(r, "unit_id_name")), "Thành phố Hà Nội");
	json_decref(r);
	/* Bà Rịa - Vũng Tàu (now Hồ Chí Minh City): 24,7 tỷ đồng counterpart. */
	assert_figure(st, "demo_models.counterpart", "79", "77", 2020, 247, 1, "exact", "tỷ đồng");
	r = figure(st, "demo_models.avg_income", "79", "77", 2020);
	json_t *q = json_object_get(r, "value");
	assert_int_equal(json_integer_value(json_object_get(q, "value")), 5);
	assert_int_equal(json_integer_value(json_object_get(q, "value_hi")), 7);
	assert_string_equal(json_string_value(json_object_get(q, "qualifier")), "range");
	json_decref(r);
	/* Nam Định (now Ninh Bình) 2015: 98 villages, about 4.100 tỷ đồng. */
	assert_figure(st, "villages.count", "37", "36", 2015, 98, 0, "exact", "làng nghề");
	assert_figure(st, "villages.production_value", "37", "36", 2015, 4100, 0, "about",
	              "tỷ đồng");
	assert_figure(st, "budget.total", "37", "36", 2015, 434, 2, "exact", "tỷ đồng");
	/* Hưng Yên: 71,7% of local funds as direct support; over 7.300 tỷ đồng
	 * of village production in 2021. */
	assert_figure(st, "budget.local.direct_support_share", "33", "33", 2020, 717, 1, "exact",
	              "%");
	assert_figure(st, "villages.production_value", "33", "33", 2021, 7300, 0, "at_least",
	              "tỷ đồng");
	assert_figure(st, "budget.national", "33", "33", 2020, 52, 1, "nearly", "tỷ đồng");

	/* Every figure is under an old unit mapped to a province of today. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM figures WHERE unit_era <> 'old' OR "
	                                "province_code IS NULL OR old_province_code IS NULL"),
	                 0);
	assert_int_equal(test_count(st, "SELECT COUNT(DISTINCT province_code) FROM figures"), 4);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM figures WHERE province_code NOT IN "
	                                "('01', '33', '37', '79')"),
	                 0);
	/* Old-province filters find the same figures under today's codes. */
	struct list_query qy = {0};
	qy.old_province = "36";
	json_t *items = NULL;
	int64_t total = -1;
	struct err e;
	assert_int_equal(record_list(st, &admin, entity_find("figures"), &qy, &items, &total, &e),
	                 0);
	assert_int_equal(total, test_count(st, "SELECT COUNT(*) FROM figures WHERE province_code = "
	                                       "'37'"));
	assert_true(total > 10);
	json_decref(items);
	/* A search without marks finds quotations. */
	qy.old_province = NULL;
	qy.q = "lang nghe nam dinh";
	assert_int_equal(record_list(st, &admin, entity_find("figures"), &qy, &items, &total, &e),
	                 0);
	assert_true(total >= 1);
	json_decref(items);
}

static void test_projects_settled(void **state)
{
	struct store *st = *state;
	struct list_query qy = {0};
	json_t *items = NULL;
	int64_t total = -1;
	struct err e;
	err_clear(&e);
	assert_int_equal(record_list(st, &admin, entity_find("projects"), &qy, &items, &total, &e),
	                 0);
	assert_int_equal(total, 2);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		assert_string_equal(json_string_value(json_object_get(it, "status")), "settled");
		assert_string_equal(json_string_value(json_object_get(it, "province_code")), "33");
		const char *kind = json_string_value(json_object_get(it, "kind"));
		int64_t id = json_integer_value(json_object_get(it, "id"));
		int64_t steps = -1;
		assert_int_equal(store_int(st, &e, &steps,
		                           "SELECT COUNT(*) FROM project_events WHERE project_id = ?", "i",
		                           id),
		                 1);
		/* The national project passes the ministry and the advance. */
		assert_int_equal(steps, !strcmp(kind, "national_point") ? 8 : 6);
		int64_t last = -1;
		assert_int_equal(store_int(st, &e, &last,
		                           "SELECT COUNT(*) FROM project_events WHERE project_id = ?"
		                           " AND status = 'settled' AND event_date LIKE '2021-%'",
		                           "i", id),
		                 1);
		assert_int_equal(last, 1);
	}
	json_decref(items);
	/* The demo's proposal is left for its establishment to submit. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM proposals"), 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM proposals WHERE project_id IS NULL"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_list_json),
		cmocka_unit_test(test_load_twice),
		cmocka_unit_test(test_seed_figures),
		cmocka_unit_test(test_projects_settled),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
