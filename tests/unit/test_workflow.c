/* test_workflow.c - the lifecycles: a project's legal path from draft to
 * settlement with a step and an audit row per move, illegal moves, dates
 * that go backwards; an establishment's proposal from draft to the project
 * made of it; the support caps of national funds; an establishment's report
 * of the outcomes of its support, reviewed by its province. */
#include "testutil.h"

#include "core/buf.h"
#include "model/outcome.h"
#include "model/record.h"
#include "model/workflow.h"
#include "stats/report.h"
#include "stats/stats.h"
#include "stats/submission.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct actor admin;
static char *db_path;

static int setup(void **state)
{
	return test_group_reference(state, "workflow", &db_path, &admin);
}

static int teardown(void **state)
{
	return test_group_close(state, db_path);
}

/* The string field key of record coll/id, copied into out. */
static const char *field_of(struct store *st, const char *coll, int64_t id, const char *key,
                            char *out, size_t n)
{
	json_t *r = test_get_ok(st, &admin, coll, id);
	const char *s = json_string_value(json_object_get(r, key));
	snprintf(out, n, "%s", s ? s : "(null)");
	json_decref(r);
	return out;
}

static void assert_status(struct store *st, const char *coll, int64_t id, const char *want)
{
	char got[40];
	field_of(st, coll, id, "status", got, sizeof got);
	if (strcmp(got, want))
		fail_msg("%s %lld: status %s, expected %s", coll, (long long)id, got, want);
}

static int64_t count_for(struct store *st, const char *sql, int64_t id)
{
	struct err e;
	err_clear(&e);
	int64_t n = -1;
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	/* sql takes the id twice: as a number and as audit's text entity_id. */
	int rc = store_int(st, &e, &n, sql, "it", id, idtext);
	if (rc != 1)
		fail_msg("%s: %s", sql, e.message);
	return n;
}

static int64_t events_of(struct store *st, int64_t id)
{
	return count_for(st, "SELECT COUNT(*) FROM project_events WHERE project_id = ? AND ? IS NOT NULL",
	                 id);
}

static int64_t transitions_of(struct store *st, int64_t id)
{
	return count_for(st,
	                 "SELECT COUNT(*) FROM audit WHERE ? IS NOT NULL AND entity = 'projects' AND "
	                 "entity_id = ? AND action = 'transition'",
	                 id);
}

/* Asserts that the JSON array arr holds exactly the codes of the
 * comma-separated list want, in that order; consumes arr. */
static void assert_codes(json_t *arr, const char *want)
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) buf_printf(&b, "%s%s", i ? "," : "", json_string_value(v));
	json_decref(arr);
	if (strcmp(buf_cstr(&b), want))
		fail_msg("got [%s], expected [%s]", buf_cstr(&b), want);
	buf_free(&b);
}

static int64_t new_project(struct store *st, const char *title, const char *kind,
                           const char *content_type)
{
	return test_create_ok(st, &admin, "projects",
	                 json_pack("{s:s,s:i,s:s,s:s,s:s}", "title", title, "year", 2021, "province",
	                           "33", "content_type", content_type, "kind", kind));
}

static void test_next_statuses(void **state)
{
	(void)state;
	assert_codes(project_next_statuses("draft", "national_point"), "province_appraised,cancelled");
	assert_codes(project_next_statuses(NULL, "local"), "province_appraised,cancelled");
	assert_codes(project_next_statuses("province_appraised", "national_point"),
	             "ministry_appraised,needs_supplement,rejected,cancelled");
	assert_codes(project_next_statuses("province_appraised", "national_group"),
	             "ministry_appraised,needs_supplement,rejected,cancelled");
	assert_codes(project_next_statuses("province_appraised", "local"),
	             "approved,needs_supplement,rejected,cancelled");
	assert_codes(project_next_statuses("ministry_appraised", "national_point"),
	             "approved,needs_supplement,rejected");
	assert_codes(project_next_statuses("needs_supplement", "local"), "draft,cancelled");
	assert_codes(project_next_statuses("rejected", "local"), "");
	assert_codes(project_next_statuses("approved", "national_point"), "contracted,cancelled");
	assert_codes(project_next_statuses("contracted", "local"), "advanced,in_progress,cancelled");
	assert_codes(project_next_statuses("advanced", "local"), "in_progress,cancelled");
	assert_codes(project_next_statuses("in_progress", "national_point"),
	             "adjusted,accepted,cancelled");
	assert_codes(project_next_statuses("adjusted", "local"), "in_progress,accepted,cancelled");
	assert_codes(project_next_statuses("accepted", "national_point"), "settled");
	assert_codes(project_next_statuses("settled", "national_point"), "");
	assert_codes(project_next_statuses("cancelled", "local"), "");
	assert_codes(project_next_statuses("no_such_status", "local"), "");
}

static void test_national_path(void **state)
{
	struct store *st = *state;
	int64_t id = test_create_ok(st, &admin, "projects",
	                            json_pack("{s:s,s:i,s:s,s:s,s:s,s:I}", "title",
	                                      "Mô hình trình diễn sấy nghệ", "year", 2021, "province",
	                                      "33", "content_type", "demo_model", "kind",
	                                      "national_point", "approved_national",
	                                      (json_int_t)420000000));
	assert_status(st, "projects", id, "draft");
	/* The steps that move money carry the amount (field, value). */
	static const struct {
		const char *to, *date, *iso, *decision, *field, *amount;
	} path[] = {
		{"province_appraised", "12/05/2020", "2020-05-12", "125/SCT-KC", NULL, NULL},
		{"ministry_appraised", "20/10/2020", "2020-10-20", "980/CTĐP-KC", NULL, NULL},
		{"approved", "15/01/2021", "2021-01-15", "150/QĐ-BCT", NULL, NULL},
		{"contracted", "10/03/2021", "2021-03-10", "05/2021/HĐ-KC", NULL, NULL},
		{"advanced", "2021-03-20", "2021-03-20", NULL, "advanced_national", "200 triệu"},
		{"in_progress", "20/03/2021", "2021-03-20", NULL, NULL, NULL}, /* the same day is fine */
		{"accepted", "25/11/2021", "2021-11-25", "BB-NT-01/2021", NULL, NULL},
		{"settled", "20/12/2021", "2021-12-20", NULL, "disbursed_national", "420 triệu đồng"},
	};
	const char *from = "draft";
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
		int64_t ev = events_of(st, id), tr = transitions_of(st, id);
		int64_t all_events = test_count(st, "SELECT COUNT(*) FROM project_events");
		struct err e;
		err_clear(&e);
		struct project_step step = {path[i].to, path[i].date, path[i].decision, "ghi chú", NULL};
		if (path[i].field)
			step.amounts = json_pack("{s:s}", path[i].field, path[i].amount);
		int rc = project_step(st, &admin, id, &step, NULL, &e);
		json_decref(step.amounts);
		if (rc != 0)
			fail_msg("%s -> %s: %d %s (%s)", from, path[i].to, rc, e.message, e.field);
		assert_status(st, "projects", id, path[i].to);
		assert_int_equal(events_of(st, id), ev + 1);
		assert_int_equal(test_count(st, "SELECT COUNT(*) FROM project_events"), all_events + 1);
		assert_int_equal(transitions_of(st, id), tr + 1);

		/* The newest step records the move. */
		struct stmt *s = store_prepare(st,
		                               "SELECT id, status, from_status, event_date, decision_no,"
		                               " province_code FROM project_events WHERE project_id = ?"
		                               " ORDER BY id DESC LIMIT 1",
		                               &e);
		assert_non_null(s);
		stmt_bind(s, "i", id);
		assert_int_equal(stmt_step(s, &e), 1);
		int64_t evid = stmt_int(s, 0);
		assert_string_equal(stmt_text(s, 1), path[i].to);
		assert_string_equal(stmt_text(s, 2), from);
		assert_string_equal(stmt_text(s, 3), path[i].iso);
		if (path[i].decision)
			assert_string_equal(stmt_text(s, 4), path[i].decision);
		else
			assert_null(stmt_text(s, 4));
		assert_string_equal(stmt_text(s, 5), "33");
		stmt_done(s);
		/* The step's creation is audited too. */
		assert_int_equal(count_for(st,
		                           "SELECT COUNT(*) FROM audit WHERE ? IS NOT NULL AND entity = "
		                           "'project-events' AND entity_id = ? AND action = 'create'",
		                           evid),
		                 1);
		from = path[i].to;
	}
	json_t *r = test_get_ok(st, &admin, "projects", id);
	/* Eight steps and the two amounts. */
	assert_int_equal(json_integer_value(json_object_get(r, "version")), 11);
	assert_int_equal(json_integer_value(json_object_get(r, "advanced_national")), 200000000);
	assert_int_equal(json_integer_value(json_object_get(r, "disbursed_national")), 420000000);
	json_decref(r);

	/* Settled is final. */
	static const char *const after[] = {"cancelled", "in_progress", "draft", "settled"};
	for (size_t i = 0; i < 4; i++) {
		struct err e;
		err_clear(&e);
		assert_int_equal(project_transition(st, &admin, id, after[i], "31/12/2021", NULL, NULL,
		                                    &e),
		                 ERR_CONFLICT);
		assert_string_equal(e.field, "to");
		assert_non_null(strstr(e.message, "[]"));
	}
	assert_status(st, "projects", id, "settled");
	assert_int_equal(events_of(st, id), 8);
	assert_int_equal(transitions_of(st, id), 8);
}

static void test_illegal_moves(void **state)
{
	struct store *st = *state;
	int64_t nat = new_project(st, "Đề án quốc gia thử", "national_point", "training");
	struct err e;
	err_clear(&e);
	int64_t na = test_count(st, "SELECT COUNT(*) FROM audit");
	assert_int_equal(project_transition(st, &admin, nat, "approved", "01/02/2021", NULL, NULL, &e),
	                 ERR_CONFLICT);
	assert_string_equal(e.field, "to");
	assert_non_null(strstr(e.message, "[\"province_appraised\",\"cancelled\"]"));
	assert_status(st, "projects", nat, "draft");
	assert_int_equal(events_of(st, nat), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), na);
	assert_int_equal(project_transition(st, &admin, nat, "flying", "01/02/2021", NULL, NULL, &e),
	                 ERR_CONFLICT);
	assert_int_equal(project_transition(st, &admin, nat, "", "01/02/2021", NULL, NULL, &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "to");
	assert_int_equal(project_transition(st, &admin, nat, "province_appraised", "31/02/2021",
	                                    NULL, NULL, &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "date");
	assert_int_equal(project_transition(st, &admin, nat, "province_appraised", NULL, NULL, NULL,
	                                    &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "date");
	assert_int_equal(project_transition(st, &admin, 999999, "province_appraised", "01/02/2021",
	                                    NULL, NULL, &e),
	                 ERR_NOTFOUND);
	assert_status(st, "projects", nat, "draft");
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM audit"), na);

	/* A local project is approved by the province, not the ministry. */
	int64_t loc = new_project(st, "Đề án địa phương thử", "local", "machinery");
	err_clear(&e);
	assert_int_equal(
		project_transition(st, &admin, loc, "province_appraised", "15/03/2021", NULL, NULL, &e), 0);
	assert_int_equal(project_transition(st, &admin, loc, "ministry_appraised", "20/03/2021", NULL,
	                                    NULL, &e),
	                 ERR_CONFLICT);
	assert_non_null(strstr(e.message, "\"approved\""));
	assert_null(strstr(e.message, "\"ministry_appraised\","));
	assert_status(st, "projects", loc, "province_appraised");
	assert_int_equal(events_of(st, loc), 1);

	/* A date before the previous step. */
	assert_int_equal(project_transition(st, &admin, loc, "approved", "14/03/2021", NULL, NULL, &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "date");
	/* Both dates as the officer writes them. */
	assert_non_null(strstr(e.message, "Ngày 14/03/2021 trước ngày của bước trước (15/03/2021)"));
	assert_status(st, "projects", loc, "province_appraised");
	assert_int_equal(events_of(st, loc), 1);
	assert_int_equal(transitions_of(st, loc), 1);

	/* Scope: another province may not move it; its own province may. */
	struct actor hanoi = test_actor(ROLE_PROVINCE, "01", 0);
	struct actor hy = test_actor(ROLE_PROVINCE, "33", 0);
	struct actor viewer = test_actor(ROLE_VIEWER, "33", 0);
	assert_int_equal(project_transition(st, &hanoi, loc, "approved", "05/04/2021", NULL, NULL, &e),
	                 ERR_FORBIDDEN);
	assert_true(project_transition(st, &viewer, loc, "approved", "05/04/2021", NULL, NULL, &e) <
	            0);
	assert_status(st, "projects", loc, "province_appraised");
	assert_int_equal(events_of(st, loc), 1);
	err_clear(&e);
	assert_int_equal(project_transition(st, &hy, loc, "approved", "05/04/2021", "720/QĐ-UBND",
	                                    NULL, &e),
	                 0);
	assert_status(st, "projects", loc, "approved");
	/* Needs supplement goes back to draft, then round again. */
	int64_t back = new_project(st, "Đề án cần bổ sung", "local", "training");
	assert_int_equal(project_transition(st, &hy, back, "province_appraised", "01/03/2021", NULL,
	                                    NULL, &e),
	                 0);
	assert_int_equal(project_transition(st, &hy, back, "needs_supplement", "02/03/2021", NULL,
	                                    "Thiếu dự toán", &e),
	                 0);
	assert_int_equal(project_transition(st, &hy, back, "draft", "10/03/2021", NULL, NULL, &e), 0);
	assert_status(st, "projects", back, "draft");
	assert_int_equal(events_of(st, back), 3);
}

/* Steps that move money ask for it and check it against what was approved. */
static void test_money_steps(void **state)
{
	struct store *st = *state;
	int64_t id = test_create_ok(st, &admin, "projects",
	                            json_pack("{s:s,s:i,s:s,s:s,s:s,s:I}", "title",
	                                      "Đề án máy móc có tiền", "year", 2021, "province", "33",
	                                      "content_type", "machinery", "kind", "local",
	                                      "approved_local", (json_int_t)150000000));
	static const char *const steps[] = {"province_appraised", "approved", "contracted",
	                                    "in_progress"};
	struct err e;
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(project_transition(st, &admin, id, steps[i], "01/05/2021", NULL, NULL, &e),
		                 0);
	/* No advance, nothing disbursed: acceptance is refused, naming the amount. */
	assert_int_equal(project_transition(st, &admin, id, "accepted", "01/10/2021", NULL, NULL, &e),
	                 ERR_INVALID);
	assert_string_equal(e.field, "disbursed_local");
	assert_status(st, "projects", id, "in_progress");
	/* More than approved: refused with the date error too, nothing kept. */
	struct errs all = {0};
	struct project_step step = {"accepted", "01/04/2021", NULL, NULL,
	                            json_pack("{s:s}", "disbursed_local", "200 triệu")};
	assert_int_equal(project_step(st, &admin, id, &step, &all, &e), ERR_INVALID);
	assert_int_equal(all.n, 2);
	assert_non_null(errs_find(&all, "date"));
	assert_non_null(errs_find(&all, "disbursed_local"));
	errs_free(&all);
	json_decref(step.amounts);
	json_t *cur = test_get_ok(st, &admin, "projects", id);
	assert_true(json_is_null(json_object_get(cur, "disbursed_local")));
	json_decref(cur);
	/* The amount within approval: accepted, amount kept. */
	step = (struct project_step){"accepted", "01/10/2021", NULL, NULL,
	                             json_pack("{s:s}", "disbursed_local", "150 triệu")};
	assert_int_equal(project_step(st, &admin, id, &step, NULL, &e), 0);
	json_decref(step.amounts);
	assert_status(st, "projects", id, "accepted");
	/* A step sets only amounts. */
	step = (struct project_step){"settled", "01/11/2021", NULL, NULL,
	                             json_pack("{s:s}", "approved_local", "1 tỷ")};
	assert_int_equal(project_step(st, &admin, id, &step, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "approved_local");
	json_decref(step.amounts);
}

/* ---- proposals -------------------------------------------------------- */

static void test_proposals(void **state)
{
	struct store *st = *state;
	int64_t est = test_create_ok(st, &admin, "establishments",
	                        json_pack("{s:s,s:s,s:s}", "name", "Công ty TNHH Mật ong Danh Vị",
	                                  "kind", "company_llc", "commune_id", "Xã Mễ Sở, Hưng Yên"));
	int64_t other = test_create_ok(st, &admin, "establishments",
	                          json_pack("{s:s,s:s,s:s}", "name", "Hộ kinh doanh khác", "kind",
	                                    "household", "commune_id", "Xã Mễ Sở, Hưng Yên"));
	struct actor owner = test_actor(ROLE_ESTABLISHMENT, NULL, est);
	struct actor hy = test_actor(ROLE_PROVINCE, "33", 0);
	struct actor hanoi = test_actor(ROLE_PROVINCE, "01", 0);
	struct err e;
	err_clear(&e);

	/* Its own proposal only. */
	json_t *in = json_pack("{s:I,s:s,s:s,s:i,s:s,s:s}", "establishment_id", (json_int_t)other,
	                       "title", "Đề xuất của cơ sở khác", "content_type", "machinery", "year",
	                       2027, "cost", "500 triệu", "counterpart", "350 triệu");
	int64_t pid = 0, nprop = test_count(st, "SELECT COUNT(*) FROM proposals");
	/* The other establishment is invisible to the owner: refused as an
	 * unknown reference (ERR_INVALID) or as out of scope. */
	int rc = record_create(st, &owner, entity_find("proposals"), in, &pid, &e);
	json_decref(in);
	assert_true(rc == ERR_INVALID || rc == ERR_FORBIDDEN);
	assert_string_equal(e.field, "establishment_id");
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM proposals"), nprop);
	in = json_pack("{s:I,s:s,s:s,s:i,s:s,s:s}", "establishment_id", (json_int_t)est, "title",
	               "Đề xuất hỗ trợ máy chiết rót mật ong", "content_type", "machinery", "year",
	               2027, "cost", "500 triệu", "counterpart", "350 triệu");
	int64_t id = test_create_ok(st, &owner, "proposals", in);
	json_t *r = test_get_ok(st, &admin, "proposals", id);
	assert_string_equal(json_string_value(json_object_get(r, "province_code")), "33");
	assert_int_equal(json_integer_value(json_object_get(r, "cost")), 500000000);
	/* A new proposal is a draft (at commit 31adfa5 its status was stored
	 * NULL: proposals had no validate hook to set it). */
	assert_string_equal(json_string_value(json_object_get(r, "status")), "draft");
	json_decref(r);
	struct list_query qy = {0};
	qy.nfilters = 1;
	qy.filter_names[0] = "status";
	qy.filter_values[0] = "draft";
	json_t *items = NULL;
	int64_t total = -1;
	assert_int_equal(record_list(st, &owner, entity_find("proposals"), &qy, &items, &total, &e),
	                 0);
	assert_int_equal(total, 1);
	json_decref(items);

	/* The owner submits; it cannot answer its own proposal. */
	assert_int_equal(proposal_transition(st, &owner, id, "submitted", NULL, &e), 0);
	assert_status(st, "proposals", id, "submitted");
	rc = proposal_transition(st, &owner, id, "accepted", NULL, &e);
	assert_true(rc == ERR_CONFLICT || rc == ERR_FORBIDDEN);
	assert_status(st, "proposals", id, "submitted");
	int64_t project = 0;
	assert_int_equal(proposal_convert(st, &owner, id, 0, &project, &e), ERR_FORBIDDEN);
	/* Another province cannot see it; its own cannot convert it yet. */
	assert_int_equal(proposal_transition(st, &hanoi, id, "accepted", NULL, &e), ERR_FORBIDDEN);
	assert_int_equal(proposal_convert(st, &hy, id, 0, &project, &e), ERR_CONFLICT);
	assert_status(st, "proposals", id, "submitted");
	/* A submitted proposal cannot be submitted again. */
	assert_int_equal(proposal_transition(st, &owner, id, "submitted", NULL, &e), ERR_CONFLICT);

	/* The province asks for more, the owner resubmits, the province accepts. */
	err_clear(&e);
	assert_int_equal(proposal_transition(st, &hy, id, "needs_supplement",
	                                     "Bổ sung báo giá của hai nhà cung cấp", &e),
	                 0);
	assert_status(st, "proposals", id, "needs_supplement");
	char note[200];
	assert_string_equal(field_of(st, "proposals", id, "review_note", note, sizeof note),
	                    "Bổ sung báo giá của hai nhà cung cấp");
	/* The province cannot resubmit in the owner's place. */
	assert_int_equal(proposal_transition(st, &hy, id, "submitted", NULL, &e), ERR_CONFLICT);
	assert_int_equal(proposal_transition(st, &owner, id, "submitted", NULL, &e), 0);
	assert_status(st, "proposals", id, "submitted");
	assert_int_equal(proposal_transition(st, &hy, id, "accepted", "Đồng ý", &e), 0);
	assert_status(st, "proposals", id, "accepted");
	assert_int_equal(proposal_transition(st, &owner, id, "submitted", NULL, &e), ERR_CONFLICT);

	int64_t nproj = test_count(st, "SELECT COUNT(*) FROM projects");
	err_clear(&e);
	rc = proposal_convert(st, &hy, id, 0, &project, &e);
	if (rc != 0)
		fail_msg("proposal_convert: %d %s (%s)", rc, e.message, e.field);
	assert_true(project > 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM projects"), nproj + 1);
	r = test_get_ok(st, &admin, "projects", project);
	assert_string_equal(json_string_value(json_object_get(r, "title")),
	                    "Đề xuất hỗ trợ máy chiết rót mật ong");
	assert_string_equal(json_string_value(json_object_get(r, "content_type")), "machinery");
	assert_string_equal(json_string_value(json_object_get(r, "kind")), "local");
	assert_string_equal(json_string_value(json_object_get(r, "province")), "33");
	assert_string_equal(json_string_value(json_object_get(r, "province_code")), "33");
	assert_string_equal(json_string_value(json_object_get(r, "status")), "draft");
	assert_int_equal(json_integer_value(json_object_get(r, "establishment_id")), est);
	assert_int_equal(json_integer_value(json_object_get(r, "year")), 2027);
	assert_int_equal(json_integer_value(json_object_get(r, "cost_total")), 500000000);
	assert_int_equal(json_integer_value(json_object_get(r, "approved_counterpart")), 350000000);
	json_decref(r);
	r = test_get_ok(st, &admin, "proposals", id);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "converted");
	assert_int_equal(json_integer_value(json_object_get(r, "project_id")), project);
	json_decref(r);

	/* Once converted, it stays so. */
	int64_t again = 0;
	assert_int_equal(proposal_convert(st, &hy, id, 0, &again, &e), ERR_CONFLICT);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM projects"), nproj + 1);
	assert_int_equal(proposal_transition(st, &hy, id, "accepted", NULL, &e), ERR_CONFLICT);
	/* A draft cannot be converted either. */
	in = json_pack("{s:I,s:s,s:s,s:i}", "establishment_id", (json_int_t)est, "title",
	               "Đề xuất thứ hai", "content_type", "consulting", "year", 2027);
	int64_t second = test_create_ok(st, &owner, "proposals", in);
	assert_int_equal(proposal_convert(st, &admin, second, 0, &again, &e), ERR_CONFLICT);
	assert_string_equal(e.field, "status");
	assert_int_equal(proposal_transition(st, &hy, second, "accepted", NULL, &e), ERR_CONFLICT);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM projects"), nproj + 1);
}

/* ---- support caps ----------------------------------------------------- */

static json_t *cap_flags(struct store *st, const char *content_type, int year, int64_t national,
                         int64_t cost)
{
	json_t *rec = json_pack("{s:s,s:i,s:I,s:I}", "content_type", content_type, "year", year,
	                        "approved_national", (json_int_t)national, "cost_total",
	                        (json_int_t)cost);
	json_t *flags = project_cap_flags(st, rec);
	json_decref(rec);
	assert_true(json_is_array(flags));
	return flags;
}

/* Whether one of flags holds needle. */
static int flagged(json_t *flags, const char *needle)
{
	size_t i;
	json_t *v;
	json_array_foreach(flags, i, v)
		if (strstr(json_string_value(v), needle))
			return 1;
	return 0;
}

static void test_cap_flags(void **state)
{
	struct store *st = *state;
	/* Demonstration models: at most 30% of the cost and 1 000 triệu. */
	json_t *f = cap_flags(st, "demo_model", 2021, 1200000000, 3000000000); /* 40%, 1,2 tỷ */
	assert_int_equal(json_array_size(f), 2);
	assert_true(flagged(f, "30%"));
	assert_true(flagged(f, "1000 triệu"));
	assert_true(flagged(f, "Thông tư 28/2018/TT-BTC"));
	json_decref(f);
	f = cap_flags(st, "demo_model", 2021, 1200000000, 5000000000); /* 24%: amount only */
	assert_int_equal(json_array_size(f), 1);
	assert_true(flagged(f, "1000 triệu"));
	assert_false(flagged(f, "30%"));
	json_decref(f);
	f = cap_flags(st, "demo_model", 2021, 900000000, 2000000000); /* 45%: share only */
	assert_int_equal(json_array_size(f), 1);
	assert_true(flagged(f, "30%"));
	assert_false(flagged(f, "1000 triệu"));
	json_decref(f);
	f = cap_flags(st, "demo_model", 2021, 900000000, 3000000000); /* exactly 30%: fine */
	assert_int_equal(json_array_size(f), 0);
	json_decref(f);
	f = cap_flags(st, "demo_model", 2021, 1000000000, 4000000000); /* exactly the cap */
	assert_int_equal(json_array_size(f), 0);
	json_decref(f);
	f = cap_flags(st, "demo_model", 2017, 1200000000, 3000000000); /* before the rule */
	assert_int_equal(json_array_size(f), 0);
	json_decref(f);

	/* Machinery: at most 50% and 300 triệu. */
	f = cap_flags(st, "machinery", 2021, 350000000, 600000000);
	assert_int_equal(json_array_size(f), 2);
	assert_true(flagged(f, "50%"));
	assert_true(flagged(f, "300 triệu"));
	json_decref(f);
	f = cap_flags(st, "machinery", 2021, 350000000, 1000000000); /* 35%: amount only */
	assert_int_equal(json_array_size(f), 1);
	assert_true(flagged(f, "300 triệu"));
	json_decref(f);
	f = cap_flags(st, "machinery", 2021, 250000000, 400000000); /* 62,5%: share only */
	assert_int_equal(json_array_size(f), 1);
	assert_true(flagged(f, "50%"));
	json_decref(f);
	f = cap_flags(st, "machinery", 2021, 300000000, 600000000); /* at both limits */
	assert_int_equal(json_array_size(f), 0);
	json_decref(f);

	/* No rule for training; missing figures flag nothing. */
	f = cap_flags(st, "training", 2021, 5000000000, 5000000000);
	assert_int_equal(json_array_size(f), 0);
	json_decref(f);
	json_t *rec = json_pack("{s:s,s:i,s:I}", "content_type", "demo_model", "year", 2021,
	                        "cost_total", (json_int_t)3000000000);
	f = project_cap_flags(st, rec);
	assert_int_equal(json_array_size(f), 0);
	json_decref(f);
	json_decref(rec);

	/* On a stored record, as the pages call it: a group's amount is shared
	 * between its beneficiaries, so over the amount per model it is stored
	 * and flagged (a project of one place over a cap is refused). */
	int64_t id = test_create_ok(st, &admin, "projects",
	                       json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s}", "title",
	                                 "Mô hình vượt mức hỗ trợ", "year", 2021, "province", "33",
	                                 "content_type", "demo_model", "kind", "national_group",
	                                 "cost_total", "5 tỷ đồng", "approved_national",
	                                 "1,2 tỷ đồng", "cap_reason", "Hai mô hình của nhóm"));
	json_t *r = test_get_ok(st, &admin, "projects", id);
	f = project_cap_flags(st, r);
	assert_int_equal(json_array_size(f), 1);
	assert_true(flagged(f, "1000 triệu"));
	json_decref(f);
	json_decref(r);
}

/* ---- outcome reports ------------------------------------------------- */

/* A local project of Hưng Yên supporting est, moved to accepted on
 * 2024-02-29 (when accepted is set), else left in progress. */
static int64_t supported_project(struct store *st, int64_t est, int accepted)
{
	int64_t id = test_create_ok(st, &admin, "projects",
	                            json_pack("{s:s,s:i,s:s,s:s,s:s,s:I,s:I}", "title",
	                                      accepted ? "Máy sấy nông sản" : "Máy đóng gói", "year",
	                                      2023, "province", "33", "content_type", "machinery",
	                                      "kind", "local", "approved_local",
	                                      (json_int_t)300000000, "establishment_id",
	                                      (json_int_t)est));
	static const char *path[][3] = {
		{"province_appraised", "2023-03-01", NULL},
		{"approved", "2023-04-01", NULL},
		{"contracted", "2023-05-01", NULL},
		{"advanced", "2023-05-02", "300 triệu"},
		{"in_progress", "2023-05-03", NULL},
		{"accepted", "2024-02-29", NULL},
	};
	for (size_t i = 0; i < sizeof path / sizeof path[0] - !accepted; i++) {
		struct err e;
		err_clear(&e);
		struct project_step step = {path[i][0], path[i][1], NULL, NULL, NULL};
		if (path[i][2])
			step.amounts = json_pack("{s:s}", "advanced_local", path[i][2]);
		int rc = project_step(st, &admin, id, &step, NULL, &e);
		json_decref(step.amounts);
		if (rc != 0)
			fail_msg("%s: %d %s", path[i][0], rc, e.message);
	}
	return id;
}

/* The total of indicator over 2025 in Hưng Yên, as its exact integer
 * value (-1 when it has none). */
static int64_t outcome_stat(struct store *st, const char *indicator)
{
	struct stat_query q = {.indicator = indicator, .from = 2025, .to = 2025, .province = "33"};
	json_t *out = NULL;
	struct err e;
	if (stats_compute(st, &admin, &q, &out, &e) != 0)
		fail_msg("%s: %s", indicator, e.message);
	json_t *v = json_object_get(json_object_get(out, "total"), "value");
	int64_t n = json_is_integer(v) ? json_integer_value(v) : -1;
	json_decref(out);
	return n;
}

/* The section "Hiệu quả sau hỗ trợ" of Hưng Yên's periodic report of 2025
 * as a's, or NULL when the report has none (caller decrefs *doc). */
static json_t *outcome_section(struct store *st, const struct actor *a, json_t **doc)
{
	struct report_query q = {.province = "33", .from = 2025, .to = 2025, .today = "2025-12-31"};
	struct err e;
	if (report_build(st, a, &q, doc, &e) != 0)
		fail_msg("report_build: %s", e.message);
	size_t i;
	json_t *sec;
	json_array_foreach(json_object_get(*doc, "sections"), i, sec)
	{
		const char *t = json_string_value(json_object_get(sec, "title"));
		if (strstr(t, ". Hiệu quả sau hỗ trợ"))
			return sec;
	}
	return NULL;
}

/* The machine value of the row labelled label of sec, and its text in *text. */
static json_t *outcome_row(json_t *sec, const char *label, const char **text)
{
	json_t *t = json_object_get(sec, "table"), *r;
	size_t i;
	json_array_foreach(json_object_get(t, "rows"), i, r)
	{
		if (strcmp(json_string_value(json_array_get(r, 0)), label))
			continue;
		*text = json_string_value(json_array_get(r, 1));
		return json_array_get(json_array_get(json_object_get(t, "values"), i), 1);
	}
	fail_msg("no row %s", label);
	return NULL;
}

static void test_outcomes(void **state)
{
	struct store *st = *state;
	int64_t est = test_create_ok(st, &admin, "establishments",
	                        json_pack("{s:s,s:s,s:s}", "name", "HTX Nông sản Tiên Lữ", "kind",
	                                  "cooperative", "commune_id", "Xã Mễ Sở, Hưng Yên"));
	int64_t other = test_create_ok(st, &admin, "establishments",
	                          json_pack("{s:s,s:s,s:s}", "name", "Hộ kinh doanh bên cạnh", "kind",
	                                    "household", "commune_id", "Xã Mễ Sở, Hưng Yên"));
	int64_t done = supported_project(st, est, 1), running = supported_project(st, est, 0);
	int64_t theirs = supported_project(st, other, 1);
	struct actor owner = test_actor(ROLE_ESTABLISHMENT, NULL, est);
	struct actor neighbour = test_actor(ROLE_ESTABLISHMENT, NULL, other);
	struct actor hy = test_actor(ROLE_PROVINCE, "33", 0);
	struct actor hanoi = test_actor(ROLE_PROVINCE, "01", 0);
	struct actor viewer = test_actor(ROLE_VIEWER, "33", 0);
	const struct entity *ent = entity_find("outcome-reports");
	struct err e;
	err_clear(&e);
#define OUTCOME(pid)                                                                              \
	json_pack("{s:I,s:i,s:s,s:i,s:s,s:s}", "project_id", (json_int_t)(pid), "year", 2025,      \
	          "revenue", "1.234.567.891 đồng", "workers", 12, "machine_in_use", "yes", "products", \
	          "Vải sấy, nhãn sấy")
	/* Due and late (a year after 29 Feb 2024) for the accepted project only. */
	json_t *due = NULL;
	assert_int_equal(outcome_supports(st, &owner, &due, &e), 0);
	assert_int_equal(json_array_size(due), 1);
	json_t *d0 = json_array_get(due, 0);
	assert_int_equal(json_integer_value(json_object_get(d0, "project_id")), done);
	assert_string_equal(json_string_value(json_object_get(d0, "due_date")), "2025-02-28");
	assert_string_equal(json_string_value(json_object_get(d0, "state")), "overdue");
	json_decref(due);
	assert_int_equal(outcome_supports(st, &hanoi, &due, &e), 0);
	assert_int_equal(json_array_size(due), 0);
	json_decref(due);

	/* Not accepted yet, or not the establishment's project: refused. */
	test_create_fails(st, &owner, "outcome-reports", OUTCOME(running), ERR_INVALID, "project_id");
	json_t *in = OUTCOME(theirs);
	int64_t id = 0;
	int rc = record_create(st, &owner, ent, in, &id, &e);
	json_decref(in);
	assert_true(rc == ERR_INVALID || rc == ERR_FORBIDDEN);
	assert_string_equal(e.field, "project_id");
	/* Every missing field at once. */
	struct errs all = {0};
	in = json_pack("{s:I}", "project_id", (json_int_t)done);
	assert_int_equal(record_create_all(st, &owner, ent, in, &id, &all, &e), ERR_INVALID);
	json_decref(in);
	assert_non_null(errs_find(&all, "year"));
	assert_non_null(errs_find(&all, "revenue"));
	assert_non_null(errs_find(&all, "workers"));
	assert_non_null(errs_find(&all, "machine_in_use"));
	errs_free(&all);

	id = test_create_ok(st, &owner, "outcome-reports", OUTCOME(done));
	json_t *r = test_get_ok(st, &admin, "outcome-reports", id);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "draft");
	assert_int_equal(json_integer_value(json_object_get(r, "revenue")), 1234567891);
	assert_int_equal(json_integer_value(json_object_get(r, "establishment_id")), est);
	/* Due a year after acceptance (29 Feb: 28 Feb); the province is the
	 * establishment's. */
	assert_string_equal(json_string_value(json_object_get(r, "due_date")), "2025-02-28");
	assert_string_equal(json_string_value(json_object_get(r, "province_code")), "33");
	json_decref(r);
	/* One report per support and year. */
	test_create_fails(st, &owner, "outcome-reports", OUTCOME(done), ERR_CONFLICT, "year");
	/* Others do not see it. */
	assert_int_equal(record_get(st, &neighbour, ent, id, &r, &e), ERR_FORBIDDEN);
	assert_int_equal(record_get(st, &hanoi, ent, id, &r, &e), ERR_FORBIDDEN);

	/* The province cannot decide a draft, nor submit in its place; others
	 * cannot submit it. */
	assert_int_equal(outcome_transition(st, &hy, id, "accepted", NULL, &e), ERR_CONFLICT);
	assert_int_equal(outcome_transition(st, &hy, id, "submitted", NULL, &e), ERR_CONFLICT);
	assert_int_equal(outcome_transition(st, &neighbour, id, "submitted", NULL, &e),
	                 ERR_FORBIDDEN);
	assert_int_equal(outcome_transition(st, &viewer, id, "submitted", NULL, &e), ERR_FORBIDDEN);
	assert_int_equal(outcome_transition(st, &owner, id, "submitted", NULL, &e), 0);
	r = test_get_ok(st, &admin, "outcome-reports", id);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "submitted");
	assert_non_null(json_string_value(json_object_get(r, "submitted_on")));
	json_decref(r);
	/* Sent: no longer changed, even by its owner. */
	in = json_pack("{s:i}", "workers", 13);
	assert_int_equal(record_update(st, &owner, ent, id, in, -1, &e), ERR_CONFLICT);
	json_decref(in);
	assert_int_equal(outcome_transition(st, &owner, id, "accepted", NULL, &e), ERR_CONFLICT);
	assert_int_equal(outcome_transition(st, &hanoi, id, "accepted", NULL, &e), ERR_FORBIDDEN);
	/* A return needs a reason; with one, the owner corrects and resends. */
	assert_int_equal(outcome_transition(st, &hy, id, "returned", "", &e), ERR_INVALID);
	assert_string_equal(e.field, "note");
	assert_int_equal(outcome_transition(st, &hy, id, "returned", "Ghi rõ doanh thu", &e), 0);
	in = json_pack("{s:i}", "workers", 14);
	assert_int_equal(record_update(st, &owner, ent, id, in, -1, &e), 0);
	json_decref(in);
	assert_int_equal(outcome_transition(st, &owner, id, "submitted", NULL, &e), 0);
	/* Only accepted reports count in the statistics of effectiveness. */
	assert_true(outcome_stat(st, "outcomes.reports") <= 0);
	json_t *doc;
	assert_null(outcome_section(st, &hy, &doc)); /* nor in the periodic report */
	json_decref(doc);
	assert_int_equal(outcome_transition(st, &hy, id, "accepted", NULL, &e), 0);
	assert_status(st, "outcome-reports", id, "accepted");
	assert_int_equal(outcome_stat(st, "outcomes.reports"), 1);
	assert_int_equal(outcome_stat(st, "outcomes.workers"), 14);
	assert_int_equal(outcome_stat(st, "outcomes.machines_in_use_share"), 1000);
	/* The neighbour's machine is no longer in use: half of them, once accepted. */
	in = json_pack("{s:I,s:i,s:s,s:i,s:s}", "project_id", (json_int_t)theirs, "year", 2025,
	               "revenue", "100 đồng", "workers", 6, "machine_in_use", "no");
	int64_t id2 = test_create_ok(st, &neighbour, "outcome-reports", in);
	assert_int_equal(outcome_transition(st, &neighbour, id2, "submitted", NULL, &e), 0);
	assert_int_equal(outcome_stat(st, "outcomes.machines_in_use_share"), 1000);
	assert_int_equal(outcome_transition(st, &hy, id2, "accepted", NULL, &e), 0);
	assert_int_equal(outcome_stat(st, "outcomes.machines_in_use_share"), 500);
	assert_int_equal(outcome_stat(st, "outcomes.workers"), 20);
	assert_int_equal(outcome_stat(st, "outcomes.revenue"), 1234567991);
	/* The periodic report has them in a section of their own, exact, with
	 * the narrative's sentence (the province's own report, as its officer). */
	json_t *sec = outcome_section(st, &hy, &doc);
	assert_non_null(sec);
	const char *text;
	json_t *v = outcome_row(sec, "Báo cáo kết quả sau hỗ trợ đã được chấp nhận", &text);
	assert_string_equal(text, "2 báo cáo");
	assert_int_equal(json_integer_value(json_object_get(v, "value")), 2);
	v = outcome_row(sec, "Lao động tại cơ sở sau hỗ trợ", &text);
	assert_int_equal(json_integer_value(json_object_get(v, "value")), 20);
	v = outcome_row(sec, "Doanh thu của cơ sở sau hỗ trợ", &text);
	assert_int_equal(json_integer_value(json_object_get(v, "value")), 1234567991);
	assert_string_equal(json_string_value(json_object_get(v, "unit")), "đồng");
	v = outcome_row(sec, "Tỷ lệ máy móc được hỗ trợ còn sử dụng", &text);
	assert_string_equal(text, "50%");
	assert_true(json_number_value(json_object_get(v, "value")) == 50);
	assert_non_null(json_object_get(v, "note")); /* a share does not add up */
	const char *para = json_string_value(json_array_get(json_object_get(sec, "paragraphs"), 0));
	assert_non_null(para);
	assert_non_null(strstr(para, "Năm 2025, đã chấp nhận 2 báo cáo kết quả sau hỗ trợ"));
	assert_non_null(strstr(para, "các cơ sở được hỗ trợ có 20 lao động"));
	assert_non_null(strstr(para, "50% máy móc thiết bị được hỗ trợ còn sử dụng"));
	json_decref(doc);
	assert_int_equal(outcome_transition(st, &owner, id, "submitted", NULL, &e), ERR_CONFLICT);
	/* Every move is in the audit trail: two sendings, a return, an acceptance. */
	assert_int_equal(count_for(st,
	                           "SELECT COUNT(*) FROM audit WHERE ? IS NOT NULL AND entity = "
	                           "'outcome-reports' AND entity_id = ? AND action = 'transition'",
	                           id),
	                 4);
	assert_int_equal(outcome_supports(st, &hy, &due, &e), 0);
	size_t i, mine = 0;
	json_array_foreach(due, i, d0)
	{
		int64_t p = json_integer_value(json_object_get(d0, "project_id"));
		const char *at = json_string_value(json_object_get(d0, "state"));
		if (p == done)
			mine++, assert_string_equal(at, "accepted");
		if (p == theirs)
			mine++, assert_string_equal(at, "accepted");
		assert_true(p != running);
	}
	assert_int_equal(mine, 2);
	json_decref(due);
	json_t *mv = outcome_moves(&hy, "submitted");
	assert_int_equal(json_array_size(mv), 2);
	json_decref(mv);

	/* Once the ministry accepts Hưng Yên's report of 2025, the outcomes of
	 * 2025 are locked with it: a third report, sent before, can no longer
	 * be accepted, so the figures the ministry accepted stay as they were. */
	int64_t est3 =
		test_create_ok(st, &admin, "establishments",
			       json_pack("{s:s,s:s,s:s}", "name", "Hộ dệt chiếu thứ ba", "kind",
					 "household", "commune_id", "Xã Mễ Sở, Hưng Yên"));
	int64_t p3 = supported_project(st, est3, 1);
	struct actor third = test_actor(ROLE_ESTABLISHMENT, NULL, est3);
	struct actor ministry = test_actor(ROLE_MINISTRY, NULL, 0);
	int64_t id3 = test_create_ok(st, &third, "outcome-reports", OUTCOME(p3));
	assert_int_equal(outcome_transition(st, &third, id3, "submitted", NULL, &e), 0);
	int64_t sub = 0;
	assert_int_equal(submission_create(st, &hy, NULL, "year", 2025, &sub, &e), 0);
	assert_int_equal(submission_transition(st, &hy, sub, "submitted", NULL, &e), 0);
	assert_int_equal(submission_transition(st, &ministry, sub, "accepted", NULL, &e), 0);
	assert_int_equal(outcome_transition(st, &hy, id3, "accepted", NULL, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.message, "BC-33-2025"));
	assert_status(st, "outcome-reports", id3, "submitted");
	assert_int_equal(outcome_stat(st, "outcomes.reports"), 2);
#undef OUTCOME
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_statuses),
		cmocka_unit_test(test_national_path),
		cmocka_unit_test(test_illegal_moves),
		cmocka_unit_test(test_money_steps),
		cmocka_unit_test(test_proposals),
		cmocka_unit_test(test_cap_flags),
		cmocka_unit_test(test_outcomes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
