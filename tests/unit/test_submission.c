/* test_submission.c - the reporting chain: a province's submission through
 * its lifecycle (who may make each move, notes required to return and
 * reopen, a timeline and an audit row per move), the snapshot frozen when it
 * is sent (unchanged when the records change later), the lock of an
 * accepted period on every write of the model (create, update, delete,
 * import) and its release on reopening, and who has reported. */
#include "testutil.h"

#include "core/clock.h"
#include "io/doc.h"
#include "io/import.h"
#include "model/attachment.h"
#include "model/record.h"
#include "stats/period.h"
#include "stats/report.h"
#include "stats/submission.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct actor admin, officer, other, ministry;
static char *db_path;

static int setup(void **state)
{
	officer = test_actor(ROLE_PROVINCE, "01", 0);
	other = test_actor(ROLE_PROVINCE, "79", 0);
	ministry = test_actor(ROLE_MINISTRY, NULL, 0);
	return test_group_reference(state, "submission", &db_path, &admin);
}

static int teardown(void **state)
{
	return test_group_close(state, db_path);
}

#define OK(call)                                                              \
	do {                                                                  \
		struct err e_;                                                \
		err_clear(&e_);                                               \
		struct err *e = &e_;                                          \
		if ((call) < 0)                                               \
			fail_msg("%s: %s (%s)", #call, e_.message, e_.field); \
	} while (0)

#define FAILS(call, code, fld)                                                                \
	do {                                                                                  \
		struct err e_;                                                                \
		err_clear(&e_);                                                               \
		struct err *e = &e_;                                                          \
		int rc_ = (call);                                                             \
		if (rc_ != (code) || strcmp(e_.field, fld))                                   \
			fail_msg("%s: %d %s (%s), expected %d on %s", #call, rc_, e_.message, \
				 e_.field, code, fld);                                        \
	} while (0)

static const char *status_of(struct store *st, int64_t id, char out[16])
{
	json_t *s;
	OK(submission_get(st, &ministry, id, &s, e));
	snprintf(out, 16, "%s", json_string_value(json_object_get(s, "status")));
	json_decref(s);
	return out;
}

static void test_lifecycle(void **state)
{
	struct store *st = *state;
	int64_t id = 0, id2 = 0;
	char s[16];
	OK(submission_create(st, &officer, NULL, "half_year", 2025, &id, e));
	FAILS(submission_create(st, &officer, NULL, "half_year", 2025, &id2, e), ERR_CONFLICT,
	      "year");
	FAILS(submission_create(st, &ministry, "01", "half_year", 2025, &id2, e), ERR_FORBIDDEN,
	      "province");
	FAILS(submission_create(st, &officer, NULL, "quarter", 2025, &id2, e), ERR_INVALID,
	      "period_kind");
	assert_string_equal(status_of(st, id, s), "draft");
	FAILS(submission_transition(st, &ministry, id, "submitted", NULL, e), ERR_FORBIDDEN, "to");
	FAILS(submission_transition(st, &other, id, "submitted", NULL, e), ERR_FORBIDDEN, "id");
	FAILS(submission_transition(st, &officer, id, "accepted", NULL, e), ERR_CONFLICT, "to");
	OK(submission_transition(st, &officer, id, "submitted", NULL, e));
	FAILS(submission_transition(st, &officer, id, "accepted", NULL, e), ERR_FORBIDDEN, "to");
	FAILS(submission_transition(st, &ministry, id, "returned", "", e), ERR_INVALID, "note");
	OK(submission_transition(st, &ministry, id, "returned", "Thiếu số liệu hội chợ", e));
	OK(submission_transition(st, &officer, id, "submitted", NULL, e));
	OK(submission_transition(st, &ministry, id, "accepted", NULL, e));
	FAILS(submission_transition(st, &ministry, id, "accepted", NULL, e), ERR_CONFLICT, "to");
	FAILS(submission_transition(st, &ministry, id, "reopened", NULL, e), ERR_INVALID, "note");
	OK(submission_transition(st, &ministry, id, "reopened", "Sửa số học viên", e));
	assert_string_equal(status_of(st, id, s), "reopened");
	json_t *sub;
	OK(submission_get(st, &officer, id, &sub, e));
	json_t *tl = json_object_get(sub, "timeline");
	assert_int_equal(json_array_size(tl), 6); /* draft .. reopened */
	assert_string_equal(json_string_value(json_object_get(json_array_get(tl, 2), "note")),
			    "Thiếu số liệu hội chợ");
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(sub, "snapshot"), "seq")), 2);
	assert_int_equal(json_array_size(json_object_get(sub, "moves")), 1); /* resubmit */
	json_decref(sub);
	FAILS(submission_get(st, &other, id, &sub, e), ERR_FORBIDDEN, "id");
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM audit WHERE entity = 'submissions' AND entity_id = '%lld'",
		 (long long)id);
	assert_int_equal(test_count(st, sql), 6); /* create and five moves */
}

static json_t *training(const char *prov, const char *date, int trainees)
{
	return json_pack("{s:s,s:s,s:s,s:i,s:i,s:s}", "province", prov, "kind", "vocational",
			 "topic", "May công nghiệp", "year", atoi(date + 6), "trainees", trainees,
			 "date_from", date);
}

/* The snapshot text of seq 1 of submission id. */
static char *snapshot_text(struct store *st, int64_t id, char hash[65])
{
	json_t *sn;
	OK(submission_snapshot(st, &ministry, id, 1, &sn, e));
	assert_true(json_is_true(json_object_get(sn, "hash_ok")));
	snprintf(hash, 65, "%s", json_string_value(json_object_get(sn, "content_hash")));
	char *t = json_dumps(json_object_get(sn, "content"), JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(sn);
	return t;
}

static int import_kind(struct store *st, const char *kind, const char *text,
		       struct import_report *rep, struct err *e)
{
	char *path = test_tmp_path("submission-import.csv");
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	static const struct import_options none = {0};
	struct import_source *src;
	memset(rep, 0, sizeof *rep);
	int rc = import_source_open(path, NULL, &src, e);
	if (rc == 0) {
		rc = import_run(st, &officer, kind, src, &none, rep, e);
		import_source_close(src);
	}
	unlink(path);
	free(path);
	return rc;
}

static int import_csv(struct store *st, const char *text, struct import_report *rep, struct err *e)
{
	return import_kind(st, "training-classes", text, rep, e);
}

static void test_snapshot_and_lock(void **state)
{
	struct store *st = *state;
	const struct entity *tc = entity_find("training-classes");
	int64_t rec =
		test_create_ok(st, &officer, "training-classes", training("01", "10/03/2025", 30));
	int64_t id = 0;
	OK(submission_create(st, &officer, NULL, "year", 2025, &id, e));
	OK(submission_transition(st, &officer, id, "submitted", NULL, e));
	OK(submission_transition(st, &ministry, id, "accepted", NULL, e));
	char hash[65], hash2[65];
	char *before = snapshot_text(st, id, hash);
	assert_non_null(strstr(before, "\"collection\":\"training-classes\""));
	char needle[96];
	snprintf(needle, sizeof needle,
		 "\"collection\":\"training-classes\",\"id\":%lld,\"version\":1", (long long)rec);
	assert_non_null(strstr(before, needle));

	/* Locked: every write of a record dated in the period is refused. */
	json_t *ch = json_pack("{s:i}", "trainees", 45);
	FAILS(record_update(st, &officer, tc, rec, ch, -1, e), ERR_CONFLICT, "date_from");
	{
		struct err e;
		record_update(st, &admin, tc, rec, ch, -1, &e);
		assert_non_null(strstr(e.message, "BC-01-2025-1"));
		assert_non_null(strstr(e.message, "năm báo cáo 2025"));
	}
	FAILS(record_delete(st, &officer, tc, rec, -1, e), ERR_CONFLICT, "date_from");
	json_t *in = training("01", "01/12/2025", 5);
	FAILS(record_create(st, &officer, tc, in, NULL, e), ERR_CONFLICT, "date_from");
	json_decref(in);
	/* Moving a record into the period is a write in it too. */
	int64_t later =
		test_create_ok(st, &officer, "training-classes", training("01", "20/12/2025", 7));
	json_t *mv = json_pack("{s:s,s:i}", "date_from", "02/12/2025", "year", 2025);
	FAILS(record_update(st, &officer, tc, later, mv, -1, e), ERR_CONFLICT, "date_from");
	json_decref(mv);
	/* Other provinces and other periods are not locked. */
	test_create_ok(st, &other, "training-classes", training("79", "10/03/2025", 9));
	struct import_report rep;
	struct err ie;
	int64_t n0 = test_count(st, "SELECT COUNT(*) FROM training_classes");
	int rc = import_csv(st,
			    "Tỉnh/thành,Loại lớp,Nghề/chủ đề,Năm,Học viên,Từ ngày\r\n"
			    "01,Đào tạo nghề,Lớp nhập sau,2025,12,05/05/2025\r\n",
			    &rep, &ie);
	assert_true(rc < 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM training_classes"), n0);
	assert_true(rep.nlist >= 1);
	assert_non_null(strstr(rep.list[0].reason, "BC-01-2025-1"));
	import_report_free(&rep);
	/* Plans are imported in batches (record_batch.c): the lock still holds
	 * for each row, the next year's row is fine, nothing is written. */
	int64_t p0 = test_count(st, "SELECT COUNT(*) FROM plans");
	rc = import_kind(st, "plans",
			 "Tên kế hoạch,Tỉnh/thành,Năm\r\n"
			 "Kế hoạch sau,01,2026\r\n"
			 "Kế hoạch nhập sau,01,2025\r\n",
			 &rep, &ie);
	assert_true(rc < 0);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.list[0].row, 3);
	assert_non_null(strstr(rep.list[0].reason, "BC-01-2025-1"));
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM plans"), p0);
	import_report_free(&rep);

	/* Reopened: writable again; what was sent stays as it was. */
	OK(submission_transition(st, &ministry, id, "reopened", "Bổ sung lớp học", e));
	OK(record_update(st, &officer, tc, rec, ch, -1, e));
	json_decref(ch);
	/* What the ministry sees before the report is sent again. */
	json_t *ch2;
	OK(submission_changes(st, &ministry, id, &ch2, e));
	assert_true(json_is_true(json_object_get(ch2, "changed")));
	json_t *rc1 =
		json_array_get(json_object_get(json_object_get(ch2, "records"), "changed"), 0);
	assert_int_equal(json_integer_value(json_object_get(rc1, "id")), rec);
	assert_int_equal(json_integer_value(json_object_get(rc1, "sent_version")), 1);
	assert_int_equal(json_integer_value(json_object_get(rc1, "version")), 2);
	assert_true(json_array_size(json_object_get(ch2, "figures")) >= 1);
	json_decref(ch2);
	char *after = snapshot_text(st, id, hash2);
	assert_string_equal(before, after);
	assert_string_equal(hash, hash2);
	free(before);
	free(after);
	/* Resubmitted: a second snapshot with the new version. */
	OK(submission_transition(st, &officer, id, "submitted", NULL, e));
	json_t *sub;
	OK(submission_get(st, &ministry, id, &sub, e));
	json_t *sn = json_object_get(sub, "snapshot");
	assert_int_equal(json_integer_value(json_object_get(sn, "seq")), 2);
	assert_string_not_equal(json_string_value(json_object_get(sn, "content_hash")), hash);
	json_t *ch3;
	OK(submission_changes(st, &ministry, id, &ch3, e));
	assert_false(json_is_true(json_object_get(ch3, "changed")));
	json_decref(ch3);
	char *t2 = json_dumps(json_object_get(sn, "content"), JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(needle, sizeof needle,
		 "\"collection\":\"training-classes\",\"id\":%lld,\"version\":2", (long long)rec);
	assert_non_null(strstr(t2, needle));
	free(t2);
	json_decref(sub);
}

/* A reported figure has years, not a date: locked by an accepted year. */
static void test_lock_by_year(void **state)
{
	struct store *st = *state;
	int64_t id = 0;
	OK(submission_create(st, &other, NULL, "year", 2024, &id, e));
	OK(submission_transition(st, &other, id, "submitted", NULL, e));
	OK(submission_transition(st, &ministry, id, "accepted", NULL, e));
	json_t *in = json_pack("{s:s,s:s,s:s,s:i,s:i}", "province", "79", "kind", "vocational",
			       "topic", "Lớp năm", "year", 2024, "trainees", 3);
	FAILS(record_create(st, &other, entity_find("training-classes"), in, NULL, e), ERR_CONFLICT,
	      "year");
	json_decref(in);
}

static void test_who_reported(void **state)
{
	struct store *st = *state;
	json_t *r;
	/* Province 01's half-year 2025 was reopened above; 79's year 2024 accepted. */
	OK(reporting_status(st, &ministry, "year", 2024, "2025-01-05", &r, e));
	assert_string_equal(json_string_value(json_object_get(r, "units")), "old");
	assert_int_equal(json_integer_value(json_object_get(r, "expected")), 63);
	/* Hồ Chí Minh (79) reported for the three provinces it is made of. */
	assert_int_equal(json_integer_value(json_object_get(r, "received")), 3);
	assert_int_equal(json_integer_value(json_object_get(r, "on_time")), 0); /* due 20/12/2024 */
	assert_int_equal(json_integer_value(json_object_get(r, "overdue")), 60);
	json_t *first = json_array_get(json_object_get(r, "provinces"), 0);
	assert_true(json_is_true(json_object_get(first, "overdue")));
	json_decref(r);
	/* The first half of 2025 ended before 2025-07-01: the 63 provinces. */
	OK(reporting_status(st, &ministry, "half_year", 2025, "2025-06-01", &r, e));
	assert_string_equal(json_string_value(json_object_get(r, "units")), "old");
	assert_int_equal(json_integer_value(json_object_get(r, "overdue")), 0);
	json_t *counts = json_object_get(r, "counts");
	assert_int_equal(json_integer_value(json_object_get(counts, "returned")), 1);
	assert_int_equal(json_integer_value(json_object_get(counts, "not_started")), 62);
	json_decref(r);
	OK(reporting_status(st, &ministry, "year", 2025, "2025-12-20", &r, e));
	assert_string_equal(json_string_value(json_object_get(r, "units")), "new");
	assert_int_equal(json_integer_value(json_object_get(r, "expected")), 34);
	assert_int_equal(json_integer_value(json_object_get(r, "received")), 1);
	double rate = json_real_value(json_object_get(r, "reporting_rate"));
	assert_true(rate > 2.89 && rate < 2.91); /* 1 of 34: 2,9% */
	json_decref(r);
	json_t *todo;
	OK(submission_todo(st, &officer, "2025-07-01", &todo, e));
	assert_true(json_array_size(todo) >= 1);
	int returned = 0;
	size_t i;
	json_t *v;
	json_array_foreach(todo, i, v) returned +=
		!strcmp(json_string_value(json_object_get(v, "status")), "reopened");
	assert_int_equal(returned, 1);
	json_decref(todo);
	FAILS(reporting_status(st, &ministry, "year", 1999, "2025-01-05", &r, e), ERR_INVALID,
	      "year");
}

/* The timeliness of a row of reporting_status() r for province code. */
static const char *timeliness(json_t *r, const char *code)
{
	json_t *rows = json_object_get(r, "provinces");
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *p = json_array_get(rows, i);
		if (!strcmp(json_string_value(json_object_get(p, "province")), code))
			return json_string_value(json_object_get(p, "timeliness"));
	}
	return NULL;
}

/* A sending by the deadline in force when it was sent stays on time when the
 * deadline is moved earlier; one sent after the moved deadline is late. The
 * period is the last one that ended by today (so its deadline can be
 * tomorrow, then the period's last day). */
static void test_deadline_moved(void **state)
{
	struct store *st = *state;
	struct actor hy = test_actor(ROLE_PROVINCE, "33", 0),
		     cb = test_actor(ROLE_PROVINCE, "04", 0);
	char today[11], tomorrow[21];
	clock_today_vn(today);
	clock_iso(clock_now() + 31 * 3600, tomorrow);
	int md = atoi(today + 5) * 100 + atoi(today + 8), y = atoi(today);
	const char *kind = md >= 615 && md < 1215 ? "half_year" : "year";
	int64_t year = md >= 615 ? y : y - 1;
	int end_month = !strcmp(kind, "year") ? 12 : 6;
	const char *set = "UPDATE reporting_periods SET due_month = ?, due_day = ? WHERE kind = ?";
	OK(store_run(st, e, set, "iit", (int64_t)atoi(tomorrow + 5), (int64_t)atoi(tomorrow + 8),
		     kind));
	int64_t a, b;
	OK(submission_create(st, &hy, NULL, kind, year, &a, e));
	OK(submission_transition(st, &hy, a, "submitted", NULL, e));
	OK(store_run(st, e, set, "iit", (int64_t)end_month, (int64_t)14, kind));
	OK(submission_create(st, &cb, NULL, kind, year, &b, e));
	OK(submission_transition(st, &cb, b, "submitted", NULL, e));
	json_t *r;
	OK(reporting_status(st, &ministry, kind, year, today, &r, e));
	assert_string_equal(timeliness(r, "33"), "on_time");
	assert_string_equal(timeliness(r, "04"), "late");
	assert_int_equal(json_integer_value(json_object_get(r, "on_time")), 1);
	json_decref(r);
	OK(store_run(st, e, set, "iit", (int64_t)end_month, (int64_t)20, kind));
}

/* The SHA-256 of the file format of sending seq of submission id, as a
 * reads it; also checks the file's first bytes are magic. */
static void file_hash(struct store *st, const struct actor *a, int64_t id, int64_t seq,
		      const char *format, const char *magic, char hex[65])
{
	struct attachment f;
	OK(submission_file_get(st, a, id, seq, format, &f, e));
	assert_true(f.size > 100);
	assert_memory_equal(f.data, magic, strlen(magic));
	assert_non_null(strstr(f.name, "lan-1."));
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, f.data, f.size);
	sodium_bin2hex(hex, 65, h, sizeof h);
	free(f.data);
}

/* The PDF and Excel generated when a report is sent are kept with the
 * sending: the same bytes after the records change, while the report
 * built now differs. */
static void test_sent_files(void **state)
{
	struct store *st = *state;
	const struct entity *tc = entity_find("training-classes");
	int64_t rec =
		test_create_ok(st, &officer, "training-classes", training("01", "10/03/2023", 30));
	int64_t id = 0;
	OK(submission_create(st, &officer, NULL, "year", 2023, &id, e));
	OK(submission_transition(st, &officer, id, "submitted", NULL, e));
	char pdf[65], xlsx[65], pdf2[65], xlsx2[65];
	file_hash(st, &ministry, id, 1, "pdf", "%PDF-", pdf);
	file_hash(st, &officer, id, 1, "xlsx", "PK\x03\x04", xlsx);
	json_t *sn;
	OK(submission_snapshot(st, &ministry, id, 1, &sn, e));
	json_t *files = json_object_get(sn, "files");
	assert_int_equal(json_array_size(files), 2);
	json_t *f0 = json_array_get(files, 0);
	assert_string_equal(json_string_value(json_object_get(f0, "format")), "pdf");
	assert_string_equal(json_string_value(json_object_get(f0, "sha256")), pdf);
	json_t *frozen = json_deep_copy(json_object_get(json_object_get(sn, "content"), "report"));
	json_decref(sn);
	/* Scoped as the submission; only the formats and sendings there are. */
	struct attachment none;
	FAILS(submission_file_get(st, &other, id, 1, "pdf", &none, e), ERR_FORBIDDEN, "id");
	FAILS(submission_file_get(st, &ministry, id, 1, "csv", &none, e), ERR_NOTFOUND, "format");
	FAILS(submission_file_get(st, &ministry, id, 2, "pdf", &none, e), ERR_NOTFOUND, "seq");

	/* Returned and the record edited: the report now differs... */
	OK(submission_transition(st, &ministry, id, "returned", "Thiếu lớp", e));
	json_t *ch = json_pack("{s:i}", "trainees", 45);
	OK(record_update(st, &officer, tc, rec, ch, -1, e));
	json_decref(ch);
	struct period p;
	char due[11];
	OK(submission_period(st, "year", 2023, &p, due, e));
	struct report_query q = {
		.province = "01", .from = 2023, .to = 2023, .today = "2024-01-05", .period = &p};
	json_t *live;
	OK(report_build(st, &officer, &q, &live, e));
	json_t *live_sections = json_object_get(live, "sections");
	assert_false(json_equal(live_sections, json_object_get(frozen, "sections")));
	struct buf lp = BUF_INIT;
	OK(doc_pdf(live, &lp, e));
	unsigned char h[crypto_hash_sha256_BYTES];
	char live_hex[65];
	crypto_hash_sha256(h, (const unsigned char *)lp.data, lp.len);
	sodium_bin2hex(live_hex, sizeof live_hex, h, sizeof h);
	assert_string_not_equal(live_hex, pdf);
	buf_free(&lp);
	json_decref(live);
	json_decref(frozen);
	/* ...and what was sent is the same, byte for byte. */
	file_hash(st, &ministry, id, 1, "pdf", "%PDF-", pdf2);
	file_hash(st, &ministry, id, 1, "xlsx", "PK\x03\x04", xlsx2);
	assert_string_equal(pdf, pdf2);
	assert_string_equal(xlsx, xlsx2);
}

/* The row of section title (without its number) of doc whose label is
 * label, or NULL; *values set to its values. */
static json_t *doc_row(json_t *doc, const char *title, const char *label, json_t **values)
{
	size_t i, j;
	json_t *sec, *row;
	json_array_foreach(json_object_get(doc, "sections"), i, sec)
	{
		const char *t = json_string_value(json_object_get(sec, "title"));
		if (!strstr(t, title))
			continue;
		json_t *tb = json_object_get(sec, "table");
		json_array_foreach(json_object_get(tb, "rows"), j, row)
		{
			if (!strcmp(json_string_value(json_array_get(row, 0)), label)) {
				*values = json_array_get(json_object_get(tb, "values"), j);
				return row;
			}
		}
	}
	return NULL;
}

/* The national report from accepted submissions: only accepted provinces,
 * their figures as sent (not as now), added up, traced to the submission
 * number, the live sum beside where it now differs. */
static void test_consolidated(void **state)
{
	struct store *st = *state;
	const char *label = "Học viên đào tạo nghề";
	int64_t r01 =
		test_create_ok(st, &officer, "training-classes", training("01", "10/03/2031", 30));
	test_create_ok(st, &other, "training-classes", training("79", "10/04/2031", 12));
	int64_t a = 0, b = 0;
	OK(submission_create(st, &officer, NULL, "year", 2031, &a, e));
	OK(submission_create(st, &other, NULL, "year", 2031, &b, e));
	OK(submission_transition(st, &officer, a, "submitted", NULL, e));
	OK(submission_transition(st, &other, b, "submitted", NULL, e));
	OK(submission_transition(st, &ministry, a, "accepted", NULL, e));
	json_t *doc, *v, *row;
	FAILS(report_consolidated(st, &officer, "year", 2031, &doc, e), ERR_FORBIDDEN, "");
	FAILS(report_consolidated(st, &ministry, "quarter", 2031, &doc, e), ERR_INVALID,
	      "period_kind");
	OK(report_consolidated(st, &ministry, "year", 2031, &doc, e));
	OK(doc_check(doc, e));
	json_t *cov = json_object_get(doc, "coverage");
	assert_int_equal(json_integer_value(json_object_get(cov, "included")), 1);
	assert_true(json_integer_value(json_object_get(cov, "expected")) >= 34);
	json_t *first = json_array_get(json_object_get(cov, "provinces"), 0), *p;
	assert_string_equal(json_string_value(json_object_get(first, "province")), "01");
	assert_string_equal(json_string_value(json_object_get(first, "number")), "BC-01-2031-1");
	size_t i;
	int seen79 = 0;
	json_array_foreach(json_object_get(cov, "provinces"), i, p)
	{
		if (strcmp(json_string_value(json_object_get(p, "province")), "79"))
			continue;
		seen79 = 1;
		assert_false(json_is_true(json_object_get(p, "included")));
		assert_string_equal(json_string_value(json_object_get(p, "status")), "submitted");
	}
	assert_true(seen79);
	row = doc_row(doc, "Đào tạo nghề", label, &v);
	assert_non_null(row);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 1), "value")), 30);
	assert_string_equal(json_string_value(json_array_get(row, 2)), "1");
	assert_string_equal(json_string_value(json_array_get(row, 3)), "");
	row = doc_row(doc, "Phụ lục", "Đào tạo nghề, truyền nghề, nâng cao năng lực", &v);
	assert_non_null(row);
	json_t *secs = json_object_get(doc, "sections");
	char *annex = json_dumps(json_array_get(secs, json_array_size(secs) - 1), 0);
	assert_non_null(strstr(annex, "BC-01-2031-1 (lần gửi 1)"));
	assert_null(strstr(annex, "BC-79-2031-1"));
	free(annex);
	json_decref(doc);

	/* Both accepted: added up; then the live data of 01 change behind the
	 * lock's back (a direct write): the sum stays as sent, the live one
	 * is shown beside it. */
	OK(submission_transition(st, &ministry, b, "accepted", NULL, e));
	OK(store_run(st, e, "UPDATE training_classes SET trainees = 35 WHERE id = ?", "i", r01));
	OK(report_consolidated(st, &ministry, "year", 2031, &doc, e));
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(doc, "coverage"), "included")),
		2);
	row = doc_row(doc, "Đào tạo nghề", label, &v);
	assert_non_null(row);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 1), "value")), 42);
	assert_string_equal(json_string_value(json_array_get(row, 2)), "2");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 3), "value")), 47);
	struct buf pdf = BUF_INIT, xlsx = BUF_INIT;
	OK(doc_pdf(doc, &pdf, e));
	OK(doc_xlsx(doc, &xlsx, e));
	buf_free(&pdf);
	buf_free(&xlsx);
	json_decref(doc);
}

/* A return carries comments per section of the report sent, checked
 * against its sections, kept with the step and shown in the timeline. */
static void test_section_notes(void **state)
{
	struct store *st = *state;
	test_create_ok(st, &officer, "training-classes", training("01", "10/03/2032", 8));
	int64_t id = 0;
	OK(submission_create(st, &officer, NULL, "year", 2032, &id, e));
	OK(submission_transition(st, &officer, id, "submitted", NULL, e));
	json_t *sub;
	OK(submission_get(st, &ministry, id, &sub, e));
	char title[160];
	snprintf(title, sizeof title, "%s",
		 json_string_value(json_object_get(
			 json_array_get(
				 json_object_get(
					 json_object_get(
						 json_object_get(json_object_get(sub, "snapshot"),
								 "content"),
						 "report"),
					 "sections"),
				 0),
			 "title")));
	assert_non_null(strstr(title, "Đào tạo nghề"));
	json_t *bad = json_pack("[{s:s,s:s},{s:s,s:s}]", "section", title, "note", "Thiếu lớp",
				"section", "9. Không có", "note", "x");
	FAILS(submission_transition_notes(st, &ministry, id, "returned", "Bổ sung", bad, e),
	      ERR_INVALID, "sections[1]");
	json_decref(bad);
	bad = json_pack("[{s:s,s:s},{s:s,s:s}]", "section", title, "note", "a", "section", title,
			"note", "b");
	FAILS(submission_transition_notes(st, &ministry, id, "returned", "Bổ sung", bad, e),
	      ERR_INVALID, "sections[1]");
	FAILS(submission_transition_notes(st, &ministry, id, "accepted", NULL, bad, e), ERR_INVALID,
	      "sections");
	json_decref(bad);
	json_t *notes = json_pack("[{s:s,s:s},{s:s,s:s}]", "section", title, "note",
				  "Thiếu lớp tháng 3", "section", "9. Bỏ trống", "note", "");
	OK(submission_transition_notes(st, &ministry, id, "returned", "Bổ sung số liệu", notes, e));
	json_decref(notes);
	json_decref(sub);
	OK(submission_get(st, &officer, id, &sub, e));
	json_t *tl = json_object_get(sub, "timeline");
	json_t *ret = json_array_get(tl, 2);
	assert_string_equal(json_string_value(json_object_get(ret, "to")), "returned");
	json_t *secs = json_object_get(ret, "sections");
	assert_int_equal(json_array_size(secs), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(secs, 0), "section")),
			    title);
	assert_string_equal(json_string_value(json_object_get(json_array_get(secs, 0), "note")),
			    "Thiếu lớp tháng 3");
	assert_int_equal(json_array_size(json_object_get(json_array_get(tl, 1), "sections")), 0);
	json_decref(sub);
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM audit WHERE entity = 'submissions' AND entity_id = '%lld'"
		 " AND action = 'return' AND after_json LIKE '%%\"sections\"%%'",
		 (long long)id);
	assert_int_equal(test_count(st, sql), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),      cmocka_unit_test(test_snapshot_and_lock),
		cmocka_unit_test(test_lock_by_year),   cmocka_unit_test(test_who_reported),
		cmocka_unit_test(test_deadline_moved), cmocka_unit_test(test_sent_files),
		cmocka_unit_test(test_consolidated),   cmocka_unit_test(test_section_notes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
