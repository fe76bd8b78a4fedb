/* test_import.c - importing CSV and XLSX files through the record engine:
 * encodings (BOM or not, CP1258), delimiters, headers without marks,
 * Vietnamese values, dry runs and all-or-nothing commits, valid-only,
 * idempotent re-imports (no audit rows), references by code, XLSX with a
 * title row and formulas, every malformed file of the issue, cancelling,
 * 20 000 rows, the export/import round trip of the demo data, templates and
 * the generated documentation. */
#include "testutil.h"

#include "core/buf.h"
#include "io/csv_read.h"
#include "io/export_all.h"
#include "io/import.h"
#include "model/demo.h"
#include "model/record.h"
#include "model/record_batch.h"
#include "stats/stats_preagg.h"
#include "store/store.h"

#include <dirent.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

static struct actor admin;
static char *db_path, *clean_path;

static int setup(void **state)
{
	/* A database with the reference data and no records, copied for the
	 * tests and for each side of the round trip. */
	struct store *clean = test_store_reference("import-clean", &clean_path);
	if (!clean)
		return -1;
	store_close(clean);
	db_path = test_tmp_path("import");
	struct store *st;
	struct err e;
	if (test_db_copy(clean_path, db_path) < 0 || store_open(db_path, &st, &e) < 0)
		return -1;
	actor_cli(&admin);
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	test_group_close(state, db_path);
	unlink(clean_path);
	free(clean_path);
	return 0;
}

/* ---- helpers --------------------------------------------------------- */

static int64_t count_rows(struct store *st, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return test_count(st, sql);
}

static int64_t audits(struct store *st)
{
	return test_count(st, "SELECT COUNT(*) FROM audit");
}

static void put(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static char *slurp(const char *path)
{
	struct buf b = BUF_INIT;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

/* A file under tests/ or the source tree, found from this file's path. */
static char *source_path(const char *rel)
{
	struct buf b = BUF_INIT;
	const char *file = __FILE__, *cut = strstr(file, "tests/unit/");
	buf_printf(&b, "%.*s%s", cut ? (int)(cut - file) : 0, file, rel);
	return buf_detach(&b);
}

/* A tax code with a right check digit, from a nine-digit seed. */
static void tax(long seed, char out[11])
{
	static const int w[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
	for (long n = seed;; n++) {
		snprintf(out, 11, "%09ld", n % 1000000000L);
		int sum = 0;
		for (int i = 0; i < 9; i++)
			sum += (out[i] - '0') * w[i];
		int check = 10 - sum % 11;
		if (check < 10) {
			out[9] = (char)('0' + check);
			out[10] = 0;
			return;
		}
	}
}

/* Opens path and imports it as kind; the open's or the run's code. */
static int imp(struct store *st, const struct actor *a, const char *kind, const char *path,
	       const struct import_options *o, const struct import_source_opts *so,
	       struct import_report *rep, struct err *e)
{
	static const struct import_options none = {0};
	memset(rep, 0, sizeof *rep);
	err_clear(e);
	struct import_source *src;
	int rc = import_source_open(path, so, &src, e);
	if (rc < 0)
		return rc;
	rc = import_run(st, a, kind, src, o ? o : &none, rep, e);
	import_source_close(src);
	return rc;
}

static int import_text(struct store *st, const char *kind, const char *text,
		       const struct import_options *o, struct import_report *rep, struct err *e)
{
	char *path = test_tmp_path("import-text.csv");
	put(path, text, strlen(text));
	int rc = imp(st, &admin, kind, path, o, NULL, rep, e);
	unlink(path);
	free(path);
	return rc;
}

/* The establishment with tax code t, as the engine reads it. */
static json_t *est_by_tax(struct store *st, const char *t)
{
	int64_t id = 0;
	struct err e;
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT id FROM establishments WHERE tax_code = '%s'", t);
	if (store_int(st, &e, &id, sql, "") != 1)
		return NULL;
	json_t *rec = NULL;
	assert_int_equal(record_get(st, &admin, entity_find("establishments"), id, &rec, &e), 0);
	return rec;
}

static const char *str(json_t *rec, const char *k)
{
	return json_string_value(json_object_get(rec, k));
}

static int64_t num(json_t *rec, const char *k)
{
	return json_integer_value(json_object_get(rec, k));
}

static void print_problems(const struct import_report *rep)
{
	for (size_t i = 0; i < rep->nlist; i++)
		fprintf(stderr, "  row %lld %s=%s: %s\n", (long long)rep->list[i].row,
			rep->list[i].column, rep->list[i].value, rep->list[i].reason);
}

#define ASSERT_OK(rc, rep, e)                                       \
	do {                                                        \
		if ((rc) != 0) {                                    \
			print_problems(rep);                        \
			fail_msg("import failed: %s", (e).message); \
		}                                                   \
	} while (0)

/* ---- CSV: encodings, delimiters, headers, values --------------------- */

static void test_csv_bom_and_plain(void **state)
{
	struct store *st = *state;
	char t1[11], t2[11], text[1024];
	tax(330200001, t1);
	tax(330200101, t2);
	snprintf(text, sizeof text,
		 "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường\r\n"
		 "Cơ sở mộc Hưng Yên,Hộ kinh doanh,%s,\"Mễ Sở, Hưng Yên\"\r\n"
		 "Công ty TNHH Chạm bạc,Công ty TNHH,%s,\"Mễ Sở, Hưng Yên\"\r\n",
		 t1, t2);
	char bom[1100];
	snprintf(bom, sizeof bom, "\xEF\xBB\xBF%s", text);
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", bom, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, 2);
	assert_string_equal(rep.encoding, "utf-8");
	assert_int_equal(rep.delimiter, ',');
	assert_int_equal(rep.header_row, 1);
	import_report_free(&rep);
	/* The same rows without a BOM are the same records. */
	rc = import_text(st, "establishments", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(rep.created, 0);
	import_report_free(&rep);
	json_t *rec = est_by_tax(st, t1);
	assert_non_null(rec);
	assert_string_equal(str(rec, "name"), "Cơ sở mộc Hưng Yên");
	assert_string_equal(str(rec, "kind"), "household");
	assert_string_equal(str(rec, "province_code"), "33");
	json_decref(rec);
}

/* UTF-8 text as CP1258 bytes (iconv decomposes letters CP1258 lacks). */
static char *to_cp1258(const char *utf8, size_t *n)
{
	iconv_t cd = iconv_open("CP1258", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t inleft = strlen(utf8), cap = inleft * 2 + 16, outleft = cap;
	char *out = malloc(cap), *ip = (char *)utf8, *op = out;
	assert_true(iconv(cd, &ip, &inleft, &op, &outleft) != (size_t)-1);
	iconv_close(cd);
	*n = cap - outleft;
	return out;
}

static void test_cp1258(void **state)
{
	struct store *st = *state;
	char t1[11], text[512];
	tax(330200201, t1);
	snprintf(text, sizeof text,
		 "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường,Địa chỉ\r\n"
		 "Hợp tác xã Đúc đồng Việt Hưng,Hợp tác xã,%s,\"Mễ Sở, Hưng Yên\",Thôn Nguyễn "
		 "Xá\r\n",
		 t1);
	size_t n;
	char *bytes = to_cp1258(text, &n);
	assert_true(n < strlen(text)); /* one byte per letter, not UTF-8 */
	char *path = test_tmp_path("import-cp1258.csv");
	put(path, bytes, n);
	free(bytes);
	struct import_report rep;
	struct err e;
	int rc = imp(st, &admin, "establishments", path, NULL, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_string_equal(rep.encoding, "cp1258"); /* detected */
	assert_int_equal(rep.created, 1);
	import_report_free(&rep);
	/* Chosen explicitly it reads the same (and changes nothing). */
	struct import_source_opts so = {.encoding = "cp1258"};
	rc = imp(st, &admin, "establishments", path, NULL, &so, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.unchanged, 1);
	import_report_free(&rep);
	json_t *rec = est_by_tax(st, t1);
	assert_string_equal(str(rec, "name"), "Hợp tác xã Đúc đồng Việt Hưng"); /* NFC */
	assert_string_equal(str(rec, "address"), "Thôn Nguyễn Xá");
	json_decref(rec);
	unlink(path);
	free(path);

	/* The committed fixture (CP1258 bytes made by iconv) reads the same way. */
	char *fx = source_path("tests/fixtures/import/co-so-cp1258.csv");
	struct import_options dry = {.dry_run = 1};
	rc = imp(st, &admin, "establishments", fx, &dry, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_string_equal(rep.encoding, "cp1258");
	assert_int_equal(rep.failed, 0);
	assert_int_equal(rep.rows, 2);
	import_report_free(&rep);
	free(fx);
}

static void test_semicolon_tab_and_bare_headers(void **state)
{
	struct store *st = *state;
	char t1[11], t2[11], text[1024];
	tax(330200301, t1);
	tax(330200401, t2);
	/* Semicolons, headers without marks, Vietnamese numbers. */
	snprintf(text, sizeof text,
		 "Ten co so;Loai hinh;Ma so thue;Xa/Phuong;So lao dong;Lao dong nu\n"
		 "Cơ sở dệt Hưng Yên;Tổ hợp tác;%s;Mễ Sở, Hưng Yên;9.590;4.100\n",
		 t1);
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.delimiter, ';');
	assert_int_equal(rep.created, 1);
	import_report_free(&rep);
	json_t *rec = est_by_tax(st, t1);
	assert_int_equal(num(rec, "workers"), 9590);
	assert_int_equal(num(rec, "workers_female"), 4100);
	assert_string_equal(str(rec, "kind"), "coop_group");
	json_decref(rec);
	/* Tabs, and the API's field names as headers. */
	snprintf(text, sizeof text,
		 "name\tkind\ttax_code\tcommune_id\nCơ sở tab\tcooperative\t%s\t"
		 "Mễ Sở, Hưng Yên\n",
		 t2);
	rc = import_text(st, "establishments", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.delimiter, '\t');
	assert_int_equal(rep.created, 1);
	import_report_free(&rep);
}

static void test_vietnamese_values(void **state)
{
	struct store *st = *state;
	const char *text =
		"Mã chương trình,Tên chương trình,Loại chương trình,Cấp,Tỉnh,Từ năm,Đến năm,"
		"Ngày quyết định,Kinh phí (đồng),Dữ liệu minh họa\r\n"
		"CT-HY-TEST,Chương trình khuyến công thử,Khuyến công,Địa phương,Hưng Yên,2016,2020,"
		"17/05/2016,\"24,7 tỷ đồng\",có\r\n";
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "programmes", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, 1);
	import_report_free(&rep);
	int64_t id;
	assert_int_equal(
		store_int(st, &e, &id, "SELECT id FROM programmes WHERE code = 'CT-HY-TEST'", ""),
		1);
	json_t *rec;
	assert_int_equal(record_get(st, &admin, entity_find("programmes"), id, &rec, &e), 0);
	assert_int_equal(num(rec, "budget"), 24700000000LL);
	assert_string_equal(str(rec, "decision_date"), "2016-05-17");
	assert_string_equal(str(rec, "province"), "33");
	assert_string_equal(str(rec, "kind"), "khuyen_cong");
	assert_string_equal(str(rec, "level"), "local");
	assert_true(json_is_true(json_object_get(rec, "illustrative")));
	json_decref(rec);
	/* A period in one column: "2021 – 2025". */
	rc = import_text(st, "programmes",
			 "Mã chương trình,Tên chương trình,Loại chương trình,Cấp,Giai đoạn\r\n"
			 "CT-QG-GD,Chương trình giai đoạn,Khác,Quốc gia,2021 – 2025\r\n",
			 NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(json_array_size(rep.missing), 0);
	import_report_free(&rep);
	assert_int_equal(test_count(st,
				    "SELECT period_to - period_from FROM programmes WHERE code = "
				    "'CT-QG-GD'"),
			 4);
}

/* ---- import that questions (issue 16, E) ----------------------------- */

/* The problems of row, joined by " | ". */
static char *row_reasons(const struct import_report *rep, int64_t row)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < rep->nlist; i++)
		if (rep->list[i].row == row)
			buf_printf(&b, "%s%s: %s", b.len ? " | " : "", rep->list[i].column,
				   rep->list[i].reason);
	return buf_detach(&b);
}

/* Names of communes are resolved from the units in memory (unit_index):
 * each row gets the unit, or the error, that record_convert gives from the
 * database - a new commune with its province, an old one with its district,
 * an old code, marks that decide, names that match several units or none,
 * a province where a commune is wanted, a word prefix, an enumeration's
 * label and a wrong one (converted once per distinct text). */
static void test_names_as_before(void **state)
{
	struct store *st = *state;
	static const char *const names[] = {"Mễ Sở, Hưng Yên",
					    "xã Mễ Sở, huyện Văn Giang, tỉnh Hưng Yên",
					    "old:12049",
					    "Đông Thành, Bình Minh",
					    "Dong Thanh, Binh Minh",
					    "Xứ Không Có",
					    "Hưng Yên",
					    "Phường 1",
					    "Mễ",
					    "Mễ Sở, Hưng Yên"};
	enum { N = sizeof names / sizeof names[0] };
	const struct entity *ent = entity_find("establishments");
	const struct field *commune = entity_field(ent, "commune_id");
	struct buf csv = BUF_INIT;
	char codes[N][11];
	buf_puts(&csv, "Tên cơ sở,Loại hình,Mã số thuế,Xã/phường\r\n");
	for (int i = 0; i < N; i++) {
		tax(7100000 + 97 * i, codes[i]);
		buf_printf(&csv, "Cơ sở tên xã %d,Hộ kinh doanh,%s,\"%s\"\r\n", i, codes[i],
			   names[i]);
	}
	buf_puts(&csv, "Cơ sở loại lạ,Hộ kinh doanh lạ,,\"Mễ Sở, Hưng Yên\"\r\n");
	struct import_options vo = {.valid_only = 1};
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", buf_cstr(&csv), &vo, &rep, &e);
	assert_true(rc == 0 || rc == ERR_INVALID);
	for (int i = 0; i < N; i++) {
		json_t *in = json_string(names[i]), *want = NULL;
		struct err we = {0};
		int wrc = strncmp(names[i], "old:", 4)
				  ? record_convert(st, commune, in, NULL, &want, &we)
				  : 0;
		json_decref(in);
		char *why = row_reasons(&rep, i + 2);
		json_t *rec = est_by_tax(st, codes[i]);
		if (wrc < 0) {
			if (!strstr(why, we.message))
				fail_msg("row %d (%s): \"%s\", not \"%s\"", i + 2, names[i], why,
					 we.message);
			assert_null(rec);
		} else {
			assert_string_equal(why, "");
			assert_non_null(rec);
			if (want)
				assert_int_equal(num(rec, "commune_id"), json_integer_value(want));
		}
		json_decref(want);
		json_decref(rec);
		free(why);
	}
	char *why = row_reasons(&rep, N + 2);
	assert_non_null(strstr(why, "Loại hình"));
	free(why);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM establishments WHERE name ="
					" 'Cơ sở tên xã 2' AND commune_id IN (SELECT id FROM units"
					" WHERE era = 'old' AND code = '12049')"),
			 1);
	import_report_free(&rep);
	buf_free(&csv);
}

static void test_unit_suffix_headers(void **state)
{
	struct store *st = *state;
	/* "(triệu đồng)" scales bare numbers; "(người)" is read past. */
	const char *text =
		"Mã chương trình,Tên chương trình,Loại chương trình,Cấp,Tỉnh,Từ năm,"
		"Đến năm,Kinh phí (triệu đồng)\r\n"
		"CT-SUFFIX,Chương trình đơn vị,Khuyến công,Địa phương,Hưng Yên,2016,2020,"
		"\"162,5\"\r\n";
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "programmes", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(json_array_size(rep.unmatched), 0);
	import_report_free(&rep);
	assert_int_equal(test_count(st, "SELECT budget FROM programmes WHERE code = 'CT-SUFFIX'"),
			 162500000);
	const struct entity *est = entity_find("establishments");
	const struct entity *ben = entity_find("beneficiaries");
	struct import_col c;
	assert_int_equal(import_match_header(ben, "Kinh phí hỗ trợ (đồng)", &c), 1);
	assert_string_equal(c.f->name, "support_amount");
	assert_null(c.money_unit);
	assert_int_equal(import_match_header(ben, "Kinh phí hỗ trợ (tỷ đồng)", &c), 1);
	assert_string_equal(c.money_unit, "tỷ đồng");
	assert_int_equal(import_match_header(ben, "Kinh phí hỗ trợ, triệu đồng", &c), 1);
	assert_string_equal(c.money_unit, "triệu đồng");
	assert_int_equal(import_match_header(est, "Số lao động (người)", &c), 1);
	assert_string_equal(c.f->name, "workers");
	assert_int_equal(import_match_header(est, "Số lao động:", &c), 1);
	/* A money unit never names a count, nor a count's unit an amount. */
	assert_int_equal(import_match_header(est, "Số lao động (triệu đồng)", &c), 0);
	assert_int_equal(import_match_header(ben, "Kinh phí hỗ trợ (người)", &c), 0);
	assert_int_equal(import_match_header(est, "Tên cơ sở, địa chỉ", &c), 0);
}

static void test_questions(void **state)
{
	struct store *st = *state;
	char t[2][11];
	tax(330900001, t[0]);
	tax(330900101, t[1]);
	struct buf b = BUF_INIT;
	/* Row 2 and row 4 share a tax code; row 3 has two problems; the name of
	 * row 2 has a look-alike Ð; "Ghi chú riêng" matches nothing. */
	buf_printf(&b,
		   "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường,Số lao động,Ghi chú riêng\r\n"
		   "\xC3\x90ồ gỗ Mễ Sở,Hộ kinh doanh,%s,\"Mễ Sở, Hưng Yên\",12,x\r\n"
		   ",Không có loại này,%s,\"Mễ Sở, Hưng Yên\",7,y\r\n"
		   "Cơ sở trùng,Hợp tác xã,%s,\"Mễ Sở, Hưng Yên\",30,z\r\n",
		   t[0], t[1], t[0]);
	int64_t n = count_rows(st, "establishments");
	struct import_options o = {.dry_run = 1};
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", buf_cstr(&b), &o, &rep, &e);
	assert_int_equal(rc, 0);
	assert_int_equal(count_rows(st, "establishments"), n);
	/* The unmatched column is a warning of its own. */
	assert_int_equal(json_array_size(rep.unmatched), 1);
	assert_string_equal(json_string_value(json_array_get(rep.unmatched, 0)), "Ghi chú riêng");
	/* Every problem of row 3: the kind (with the allowed values) and the name. */
	char *r3 = row_reasons(&rep, 3);
	if (!strstr(r3, "được phép: ") || !strstr(r3, "Hộ kinh doanh") ||
	    !strstr(r3, "household") || !strstr(r3, "Tên cơ sở là bắt buộc"))
		fail_msg("row 3: %s", r3);
	free(r3);
	/* Row 4 repeats row 2's key: an error naming row 2. */
	char *r4 = row_reasons(&rep, 4);
	if (!strstr(r4, "dòng 2"))
		fail_msg("row 4: %s", r4);
	free(r4);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.failed, 2);
	/* The mended Ð is a notice. */
	assert_int_equal(json_array_size(rep.notices), 1);
	json_t *nt = json_array_get(rep.notices, 0);
	assert_int_equal(json_integer_value(json_object_get(nt, "row")), 2);
	assert_string_equal(json_string_value(json_object_get(nt, "value")), "Đồ gỗ Mễ Sở");
	import_report_free(&rep);
	buf_free(&b);
}

/* Issue 16: the nation is a figure's place in a file as through the API;
 * a total ("Tổng") and its groups import together, and a group that takes
 * the parts past the total is an error of its row naming the total. */
static void test_figure_places_and_totals(void **state)
{
	struct store *st = *state;
	const char *head = "Mã chỉ tiêu,Nội dung,Đơn vị hành chính theo,Địa bàn,Từ năm,Đến năm,"
			   "Giá trị,Đơn vị tính,Nội dung khuyến công,Nguồn kinh phí,"
			   "Phạm vi số liệu,Nguồn\r\n";
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   "%sawards.national,Sản phẩm tiêu biểu,Từ 01/7/2025,Toàn quốc,2021,2021,200,"
		   "sản phẩm,,,,Bản tin thử\r\n"
		   "budget.local,Tổng,Trước 01/7/2025,Bắc Giang,2020,2020,\"4,5\",tỷ đồng,,"
		   "KC địa phương,Tổng,Bản tin thử\r\n"
		   "budget.local,Máy móc,Trước 01/7/2025,Bắc Giang,2020,2020,3,tỷ đồng,"
		   "Ứng dụng máy móc thiết bị tiên tiến,KC địa phương,,Bản tin thử\r\n"
		   "budget.local,Tư vấn,Trước 01/7/2025,Bắc Giang,2020,2020,630,triệu đồng,"
		   "\"Tư vấn, thương hiệu, sở hữu trí tuệ\",KC địa phương,,Bản tin thử\r\n",
		   head);
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "figures", buf_cstr(&b), NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, 4);
	import_report_free(&rep);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM figures WHERE place_code = 'VN'"), 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM figures WHERE scope = 'total'"), 1);
	buf_reset(&b);
	buf_printf(&b,
		   "%sbudget.local,Truyền thông,Trước 01/7/2025,Bắc Giang,2020,2020,900,"
		   "triệu đồng,\"Thông tin, tuyên truyền\",KC địa phương,,Bản tin thử\r\n",
		   head);
	rc = import_text(st, "figures", buf_cstr(&b), NULL, &rep, &e);
	assert_int_not_equal(rc, 0);
	char *r2 = row_reasons(&rep, 2);
	if (!strstr(r2, "Giá trị") || !strstr(r2, "\"Tổng\"") || !strstr(r2, "4,53 tỷ đồng"))
		fail_msg("row 2: %s", r2);
	free(r2);
	import_report_free(&rep);
	buf_free(&b);
}

/* A project's history is imported in lifecycle order, moving its status. */
static void test_history_in_order(void **state)
{
	struct store *st = *state;
	test_create_ok(st, &admin, "projects",
		       json_pack("{s:s,s:s,s:i,s:s,s:s,s:s}", "code", "DA-LICH-SU", "title",
				 "Đề án lịch sử", "year", 2021, "province", "33", "content_type",
				 "training", "kind", "local"));
	/* "accepted" on a draft project is refused, naming the allowed moves. */
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "project-events",
			     "Mã đề án,Trạng thái mới,Ngày\r\n"
			     "DA-LICH-SU,accepted,01/03/2021\r\n",
			     NULL, &rep, &e);
	assert_int_equal(rc, ERR_INVALID);
	char *r2 = row_reasons(&rep, 2);
	if (!strstr(r2, "province_appraised"))
		fail_msg("row 2: %s", r2);
	free(r2);
	import_report_free(&rep);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM project_events e JOIN projects p ON"
					" p.id = e.project_id WHERE p.code = 'DA-LICH-SU'"),
			 0);
	/* In order, the steps move the status with them. */
	rc = import_text(st, "project-events",
			 "Mã đề án,Trạng thái mới,Ngày\r\n"
			 "DA-LICH-SU,province_appraised,01/02/2021\r\n"
			 "DA-LICH-SU,approved,01/03/2021\r\n",
			 NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, 2);
	import_report_free(&rep);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM projects WHERE code = 'DA-LICH-SU'"
					" AND status = 'approved'"),
			 1);
}

/* ---- dry run, all or nothing, valid only, re-import ------------------ */

static char *three_rows(long seed, const char *bad_kind)
{
	char t[3][11];
	for (int i = 0; i < 3; i++)
		tax(seed + 100 * i, t[i]);
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường,Số lao động\r\n"
		   "Cơ sở A %ld,Hộ kinh doanh,%s,\"Mễ Sở, Hưng Yên\",12\r\n"
		   "Cơ sở B %ld,%s,%s,\"Mễ Sở, Hưng Yên\",7\r\n"
		   "Cơ sở C %ld,Hợp tác xã,%s,\"Mễ Sở, Hưng Yên\",30\r\n",
		   seed, t[0], seed, bad_kind, t[1], seed, t[2]);
	return buf_detach(&b);
}

static void test_dry_run_writes_nothing(void **state)
{
	struct store *st = *state;
	char *text = three_rows(330300001, "Hộ kinh doanh");
	int64_t n = count_rows(st, "establishments"), a = audits(st);
	struct import_options o = {.dry_run = 1};
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, &o, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, 3); /* what would happen */
	assert_false(rep.committed);
	assert_int_equal(count_rows(st, "establishments"), n);
	assert_int_equal(audits(st), a);
	import_report_free(&rep);
	free(text);
}

static void test_one_bad_row_writes_nothing(void **state)
{
	struct store *st = *state;
	char *text = three_rows(330400001, "Không có loại này");
	int64_t n = count_rows(st, "establishments"), a = audits(st);
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, NULL, &rep, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(e.message, "không ghi"));
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.nlist, 1);
	assert_int_equal(rep.list[0].row, 3); /* the header is row 1 */
	assert_string_equal(rep.list[0].column, "Loại hình");
	assert_string_equal(rep.list[0].value, "Không có loại này");
	assert_non_null(strstr(rep.list[0].reason, "không có trong danh sách"));
	/* The allowed values are listed. */
	assert_non_null(strstr(rep.list[0].reason, "được phép: Công ty TNHH; "));
	assert_non_null(strstr(rep.list[0].reason, "Hợp tác xã"));
	assert_non_null(strstr(rep.list[0].reason, "allowed values: company_llc, "));
	assert_false(rep.committed);
	assert_int_equal(count_rows(st, "establishments"), n);
	assert_int_equal(audits(st), a);
	import_report_free(&rep);
	free(text);
}

static void test_valid_only(void **state)
{
	struct store *st = *state;
	char *text = three_rows(330500001, "Không có loại này");
	int64_t n = count_rows(st, "establishments");
	char *csv = test_tmp_path("import-bad.csv"), *xlsx = test_tmp_path("import-bad.xlsx");
	struct import_options o = {.valid_only = 1, .bad_rows_csv = csv, .bad_rows_xlsx = xlsx};
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, &o, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_true(rep.committed);
	assert_int_equal(rep.created, 2);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(count_rows(st, "establishments"), n + 2);
	/* The bad rows, with the header and an error column, import again once fixed. */
	char *bad = slurp(csv);
	assert_non_null(bad);
	assert_non_null(strstr(bad, "\"Lỗi / Errors\""));
	assert_non_null(strstr(bad, "\"Không có loại này\""));
	assert_null(strstr(bad, "Cơ sở A"));
	assert_non_null(strstr(bad, "Loại hình: "));
	free(bad);
	struct stat sb;
	assert_int_equal(stat(xlsx, &sb), 0);
	assert_true(sb.st_size > 0);
	import_report_free(&rep);
	unlink(csv);
	unlink(xlsx);
	free(csv);
	free(xlsx);
	free(text);

	/* A row the engine refuses while updating (more female workers than
	 * workers: a cross-field rule) is skipped too, and the rest written. */
	char ta[11], tn[11], upd[800];
	tax(330500001, ta);
	tax(330510001, tn);
	snprintf(upd, sizeof upd,
		 "Mã số thuế,Lao động nữ,Tên cơ sở,Loại hình,Xã/Phường\r\n%s,99,,,\r\n"
		 "%s,1,Cơ sở mới D,Hợp tác xã,\"Mễ Sở, Hưng Yên\"\r\n",
		 ta, tn);
	n = count_rows(st, "establishments");
	struct import_options vo = {.valid_only = 1};
	rc = import_text(st, "establishments", upd, &vo, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.list[0].row, 2);
	assert_string_equal(rep.list[0].column, "Lao động nữ");
	assert_int_equal(rep.created, 1);
	assert_true(rep.committed);
	assert_int_equal(count_rows(st, "establishments"), n + 1);
	json_t *rec = est_by_tax(st, ta);
	assert_true(json_is_null(json_object_get(rec, "workers_female")));
	json_decref(rec);
	import_report_free(&rep);
}

static void test_reimport_changes_nothing(void **state)
{
	struct store *st = *state;
	char *text = three_rows(330600001, "Công ty cổ phần");
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, 3);
	import_report_free(&rep);
	int64_t n = count_rows(st, "establishments"), a = audits(st);
	rc = import_text(st, "establishments", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.unchanged, 3);
	assert_int_equal(rep.created + rep.updated, 0);
	assert_int_equal(count_rows(st, "establishments"), n);
	assert_int_equal(audits(st), a); /* no audit row for an unchanged record */
	import_report_free(&rep);
	/* One changed cell: one update, audited as an update. */
	char *changed = strstr(text, ",7\r\n");
	assert_non_null(changed);
	changed[1] = '8';
	rc = import_text(st, "establishments", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(rep.unchanged, 2);
	assert_int_equal(audits(st), a + 1);
	assert_int_equal(test_count(st,
				    "SELECT COUNT(*) FROM audit WHERE id = (SELECT MAX(id) FROM "
				    "audit) AND action = 'update'"),
			 1);
	import_report_free(&rep);
	free(text);
}

/* ---- references by code ---------------------------------------------- */

static void test_references_by_code(void **state)
{
	struct store *st = *state;
	char t1[11], text[1200];
	tax(30700001, t1); /* "0307..." as the tax codes of Hà Nội begin */
	snprintf(text, sizeof text,
		 "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường\r\nCơ sở thụ hưởng thử,Hợp tác xã,%s,"
		 "\"Mễ Sở, Hưng Yên\"\r\n",
		 t1);
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	import_report_free(&rep);
	rc = import_text(
		st, "projects",
		"Mã đề án,Tên đề án,Năm,Tỉnh/thành,Nội dung khuyến công,Loại đề án\r\n"
		"HY-TEST-01,Đề án thử nhập,2024,33,Mô hình trình diễn kỹ thuật,Địa phương\r\n",
		NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	import_report_free(&rep);
	/* The project by its code, the establishment by its tax code (typed as a
	 * number in Excel it loses its leading 0) and by its name. */
	char nine[10];
	snprintf(nine, sizeof nine, "%s", t1 + 1);
	snprintf(text, sizeof text,
		 "Mã đề án,Mã số thuế,Kinh phí hỗ trợ\r\nHY-TEST-01,%s,\"150 triệu đồng\"\r\n",
		 nine);
	rc = import_text(st, "beneficiaries", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, 1);
	import_report_free(&rep);
	rc = import_text(st, "beneficiaries",
			 "Mã đề án,Tên cơ sở,Kinh phí hỗ trợ\r\nHY-TEST-01,Cơ sở thụ hưởng thử,"
			 "\"150 triệu đồng\"\r\n",
			 NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.unchanged, 1); /* the same beneficiary (project + establishment) */
	import_report_free(&rep);
	rc = import_text(st, "beneficiaries", "Mã đề án,Mã số thuế\r\nHY-KHONG-CO,0101010101\r\n",
			 NULL, &rep, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_true(rep.nlist >= 1);
	assert_string_equal(rep.list[0].column, "Mã đề án");
	assert_non_null(strstr(rep.list[0].reason, "HY-KHONG-CO"));
	import_report_free(&rep);
}

/* A record's old unit given on import (issue 16 C): an old:CODE, an old
 * province's name or an old district with its province, under the header
 * "Đơn vị hành chính cũ" or a variant ("Tỉnh cũ"); a code that is no old
 * unit is an error naming the column. */
static void test_old_unit_column(void **state)
{
	struct store *st = *state;
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "training-classes",
			     "Tỉnh/thành,Loại lớp,Nghề/chủ đề,Năm,Học viên,Đơn vị hành chính cũ\r\n"
			     "37,Đào tạo nghề,Lớp cũ Nam Định,2019,25,old:36\r\n"
			     "37,Đào tạo nghề,Lớp cũ Ý Yên,2019,15,\"Huyện Ý Yên, Nam Định\"\r\n",
			     NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	import_report_free(&rep);
	rc = import_text(st, "training-classes",
			 "Tỉnh/thành,Loại lớp,Nghề/chủ đề,Năm,Học viên,Tỉnh cũ\r\n"
			 "37,Đào tạo nghề,Lớp cũ Hà Nam,2019,5,Hà Nam\r\n",
			 NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	import_report_free(&rep);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM training_classes WHERE"
					" old_province_code = '36' AND topic LIKE 'Lớp cũ%'"),
			 2);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM training_classes WHERE"
					" old_province_code = '35' AND topic = 'Lớp cũ Hà Nam'"),
			 1);
	assert_int_equal(test_count(st,
				    "SELECT COUNT(*) FROM training_classes WHERE"
				    " old_district_code IS NOT NULL AND topic = 'Lớp cũ Ý Yên'"),
			 1);
	rc = import_text(st, "training-classes",
			 "Tỉnh/thành,Loại lớp,Nghề/chủ đề,Năm,Học viên,Đơn vị hành chính cũ\r\n"
			 "37,Đào tạo nghề,Lớp sai,2019,5,old:99\r\n",
			 NULL, &rep, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_true(rep.nlist >= 1);
	assert_string_equal(rep.list[0].column, "Đơn vị hành chính cũ");
	import_report_free(&rep);
}

static void test_scope_applies(void **state)
{
	struct store *st = *state;
	struct actor hanoi = test_actor(ROLE_PROVINCE, "01", 0);
	char t1[11], text[600];
	tax(330800001, t1);
	snprintf(text, sizeof text,
		 "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường\r\nCơ sở ngoài tỉnh,Hợp tác xã,%s,"
		 "\"Mễ Sở, Hưng Yên\"\r\n",
		 t1);
	char *path = test_tmp_path("import-scope.csv");
	put(path, text, strlen(text));
	struct import_report rep;
	struct err e;
	int rc = imp(st, &hanoi, "establishments", path, NULL, NULL, &rep, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(rep.failed, 1);
	assert_non_null(strstr(rep.list[0].reason, "không được ghi"));
	import_report_free(&rep);
	unlink(path);
	free(path);
}

/* ---- XLSX ------------------------------------------------------------ */

static void test_xlsx_import(void **state)
{
	struct store *st = *state;
	char *path = test_tmp_path("import-book.xlsx");
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Chương trình");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	worksheet_merge_range(ws, 0, 0, 0, 8, "DANH MỤC CHƯƠNG TRÌNH KHUYẾN CÔNG", NULL);
	worksheet_merge_range(ws, 1, 0, 1, 8, "(Kèm theo báo cáo số 12/BC-SCT)", NULL);
	const char *head[] = {"STT",	 "Mã chương trình", "Tên chương trình", "Loại chương trình",
			      "Cấp",	 "Từ năm",	    "Đến năm",		"Ngày quyết định",
			      "Kinh phí"};
	for (int c = 0; c < 9; c++)
		worksheet_write_string(ws, 3, (lxw_col_t)c, head[c], NULL);
	worksheet_write_number(ws, 4, 0, 1, NULL);
	worksheet_write_string(ws, 4, 1, "CTQG-XLSX", NULL);
	worksheet_write_string(ws, 4, 2, "Chương trình quốc gia từ Excel", NULL);
	worksheet_write_string(ws, 4, 3, "Khuyến công", NULL);
	worksheet_write_string(ws, 4, 4, "Quốc gia", NULL);
	worksheet_write_number(ws, 4, 5, 2021, NULL);
	worksheet_write_formula_num(ws, 4, 6, "=F5+4", NULL, 2025); /* the cached value is read */
	lxw_datetime d = {2021, 3, 5, 0, 0, 0};
	worksheet_write_datetime(ws, 4, 7, &d, date);
	worksheet_write_number(ws, 4, 8, 1500000000000.0, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	struct import_report rep;
	struct err e;
	int rc = imp(st, &admin, "programmes", path, NULL, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_string_equal(rep.format, "xlsx");
	assert_string_equal(rep.sheet, "Chương trình");
	assert_int_equal(rep.header_row, 4); /* the title rows are skipped */
	assert_int_equal(rep.created, 1);
	import_report_free(&rep);
	int64_t id;
	assert_int_equal(
		store_int(st, &e, &id, "SELECT id FROM programmes WHERE code = 'CTQG-XLSX'", ""),
		1);
	json_t *rec;
	assert_int_equal(record_get(st, &admin, entity_find("programmes"), id, &rec, &e), 0);
	assert_int_equal(num(rec, "period_to"), 2025);
	assert_string_equal(str(rec, "decision_date"), "2021-03-05");
	assert_int_equal(num(rec, "budget"), 1500000000000LL);
	assert_string_equal(str(rec, "level"), "national");
	json_decref(rec);
	unlink(path);
	free(path);
}

/* ---- every malformed file -------------------------------------------- */

static void write_zip(const char *path, const char *const *parts)
{
	unlink(path);
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (int i = 0; parts[i] && parts[i + 1]; i += 2) {
		zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
		assert_true(zip_file_add(z, parts[i], s, 0) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
}

static const char WB[] =
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http:"
	"//schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet "
	"name=\"S\" "
	"sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char RELS[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";

static void write_sheet(const char *path, const char *rows)
{
	struct buf s = BUF_INIT;
	buf_printf(&s,
		   "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		   "<sheetData>%s</sheetData></worksheet>",
		   rows);
	const char *parts[] = {"xl/workbook.xml",
			       WB,
			       "xl/_rels/workbook.xml.rels",
			       RELS,
			       "xl/worksheets/sheet1.xml",
			       buf_cstr(&s),
			       NULL};
	write_zip(path, parts);
	buf_free(&s);
}

/* Imports path (not a dry run) and checks it fails with words in the
 * message and that no record and no audit row was written. */
static void refused(struct store *st, const char *path, const char *words)
{
	int64_t n = count_rows(st, "establishments"), a = audits(st);
	struct import_report rep;
	struct err e;
	int rc = imp(st, &admin, "establishments", path, NULL, NULL, &rep, &e);
	if (rc >= 0 || !strstr(e.message, words))
		fail_msg("%s: want an error with \"%s\", got %d: %s", path, words, rc, e.message);
	assert_int_equal(count_rows(st, "establishments"), n);
	assert_int_equal(audits(st), a);
	import_report_free(&rep);
}

static void refused_text(struct store *st, const char *text, size_t n, const char *words)
{
	char *path = test_tmp_path("import-malformed");
	put(path, text, n);
	refused(st, path, words);
	unlink(path);
	free(path);
}

static void test_malformed_files(void **state)
{
	struct store *st = *state;
	char t1[11], text[600];
	tax(330900001, t1);
	refused_text(st, "", 0, "rỗng");
	refused_text(st, "\n\n\n", 3, "không có dòng");
	const char *head = "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường\r\n";
	refused_text(st, head, strlen(head), "không có dữ liệu");
	const char *pipes = "Tên cơ sở|Loại hình|Mã số thuế\r\nA|B|C\r\n";
	refused_text(st, pipes, strlen(pipes), "dấu phân cách");
	snprintf(text, sizeof text, "%sCơ sở \"A,Hộ kinh doanh,%s,Mễ Sở\r\n", head, t1);
	refused_text(st, text, strlen(text), "ngoặc kép");
	snprintf(text, sizeof text, "%s\"Cơ sở A,Hộ kinh doanh,%s,Mễ Sở\r\n", head, t1);
	refused_text(st, text, strlen(text), "ngoặc kép"); /* unterminated at the end */
	snprintf(text, sizeof text, "%sCơ sở \x81,Hộ kinh doanh,%s,Mễ Sở\r\n", head, t1);
	refused_text(st, text, strlen(text), "Windows-1258");
	refused_text(st, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 old excel", 18, ".xls");

	/* 10 000 columns, and a 10 MB cell. */
	struct buf b = BUF_INIT;
	buf_puts(&b, "Tên cơ sở");
	for (int i = 1; i < 10000; i++)
		buf_printf(&b, ",c%d", i);
	buf_puts(&b, "\r\n");
	refused_text(st, b.data, b.len, "2.000");
	buf_reset(&b);
	buf_printf(&b, "%s\"", head);
	for (int i = 0; i < 10 << 20; i++)
		buf_putc(&b, (char)('a' + i % 26));
	buf_printf(&b, "\",Hộ kinh doanh,%s,Mễ Sở\r\n", t1);
	refused_text(st, b.data, b.len, "1 MB");
	buf_free(&b);

	char *path = test_tmp_path("import-malformed.xlsx");
	const char *notxlsx[] = {"word/document.xml", "<w/>", NULL};
	write_zip(path, notxlsx);
	refused(st, path, "không phải bảng tính Excel");
	write_sheet(path, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>");
	refused(st, path, "sharedStrings");
	char *blanks = malloc((30u << 20) + 1);
	memset(blanks, ' ', 30u << 20);
	blanks[30u << 20] = 0;
	write_sheet(path, blanks);
	free(blanks);
	refused(st, path, "zip bomb");
	write_sheet(path, "<row r=\"1\"><c r=\"XFD1\"><v>1</v></c></row>");
	refused(st, path, "2.000");
	unlink(path);
	free(path);
}

/* ---- cancel, progress, many rows ------------------------------------- */

struct seen {
	int calls;
	int64_t rows, total;
};

static void on_progress(void *ctx, int64_t rows, int64_t done, int64_t total)
{
	struct seen *s = ctx;
	s->calls++;
	s->rows = rows;
	s->total = total;
	assert_true(done <= total);
}

static char *many_rows(long seed, int n)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường,Số lao động\r\n");
	char t[11];
	long next = seed;
	for (int i = 0; i < n; i++) {
		tax(next, t);
		next = atol(t) / 10 + 1; /* the next seed after this code */
		buf_printf(&b, "Cơ sở số %d,Hộ kinh doanh,%s,\"Mễ Sở, Hưng Yên\",%d\r\n", i, t,
			   i % 50);
	}
	return buf_detach(&b);
}

static void test_cancel_and_progress(void **state)
{
	struct store *st = *state;
	char *text = many_rows(331000001, 600);
	int64_t n = count_rows(st, "establishments"), a = audits(st);
	atomic_int cancel = 1;
	struct import_options o = {.cancel = &cancel};
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, &o, &rep, &e);
	assert_true(rc < 0);
	assert_true(rep.cancelled);
	assert_int_equal(count_rows(st, "establishments"), n);
	assert_int_equal(audits(st), a);
	import_report_free(&rep);
	struct seen s = {0};
	struct import_options p = {.dry_run = 1, .progress = on_progress, .progress_ctx = &s};
	rc = import_text(st, "establishments", text, &p, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_true(s.calls >= 2);
	assert_int_equal(s.rows, 600);
	assert_true(s.total > 0);
	import_report_free(&rep);
	free(text);
}

/* A dry run takes no write lock: while it runs (at its progress reports),
 * another connection begins a write transaction at once. Before, the dry run
 * wrote every row and rolled back, holding SQLite's one write lock
 * throughout: logins got "database is locked". */
struct other_writer {
	struct store *other;
	int tries, failures;
};

static void write_meanwhile(void *ctx, int64_t rows, int64_t done, int64_t total)
{
	(void)rows, (void)done, (void)total;
	struct other_writer *w = ctx;
	struct err e;
	w->tries++;
	if (store_begin(w->other, &e) < 0) {
		w->failures++;
		return;
	}
	store_rollback(w->other);
}

static void test_dry_run_takes_no_write_lock(void **state)
{
	struct store *st = *state;
	struct other_writer w = {0};
	struct err e;
	if (strcmp(store_dialect(st), "sqlite")) {
		print_message("PostgreSQL has no one write lock of the database: SQLite only\n");
		skip();
	}
	assert_int_equal(store_open(db_path, &w.other, &e), 0);
	assert_int_equal(store_exec(w.other, "PRAGMA busy_timeout = 0", &e), 0);
	char *text = many_rows(352000001, 600);
	struct import_options o = {.dry_run = 1, .progress = write_meanwhile, .progress_ctx = &w};
	struct import_report rep;
	int rc = import_text(st, "establishments", text, &o, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_true(w.tries >= 2);
	assert_int_equal(w.failures, 0);
	import_report_free(&rep);
	free(text);
	store_close(w.other);
}

/* A dry run writes nothing yet finds what the commit would: a row whose key
 * an earlier row of the file would have created (by that key, or by another
 * of its keys) names the same record, a problem naming the earlier row. */
static void dry_and_commit(struct store *st, const char *text, int64_t created, int64_t failed)
{
	int64_t n = count_rows(st, "establishments");
	struct import_options dry = {.dry_run = 1}, commit = {0};
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, &dry, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, created);
	assert_int_equal(rep.failed, failed);
	assert_non_null(strstr(rep.list[0].reason, "the same natural key as row 2"));
	import_report_free(&rep);
	assert_int_equal(count_rows(st, "establishments"), n);
	rc = import_text(st, "establishments", text, &commit, &rep, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(rep.failed, failed);
	assert_non_null(strstr(rep.list[0].reason, "the same natural key as row 2"));
	import_report_free(&rep);
	assert_int_equal(count_rows(st, "establishments"), n);
}

static void test_dry_run_counts_as_import(void **state)
{
	struct store *st = *state;
	dry_and_commit(st,
		       "Tên cơ sở,Loại hình,Xã/Phường,Số lao động\r\n"
		       "Cơ sở khô,Hộ kinh doanh,\"Mễ Sở, Hưng Yên\",3\r\n"
		       "Cơ sở khô,Hộ kinh doanh,\"Mễ Sở, Hưng Yên\",3\r\n"
		       "Cơ sở khô,Hộ kinh doanh,\"Mễ Sở, Hưng Yên\",4\r\n"
		       "Cơ sở ướt,Hộ kinh doanh,\"Mễ Sở, Hưng Yên\",4\r\n",
		       2, 2);
	/* A row with a tax code, then the same name in the same commune without
	 * one: the commit finds the first row's record by its name. */
	char t[11], two[400];
	tax(353000001, t);
	snprintf(two, sizeof two,
		 "Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường\r\n"
		 "Cơ sở có mã,Hộ kinh doanh,%s,\"Mễ Sở, Hưng Yên\"\r\n"
		 "Cơ sở có mã,Hộ kinh doanh,,\"Mễ Sở, Hưng Yên\"\r\n",
		 t);
	dry_and_commit(st, two, 1, 1);
	/* The same tax code a batch and some rows later: the commit wrote the
	 * first row's record in an earlier batch, and finds it in the table. */
	int later = (int)record_batch_rows(entity_find("establishments")) + 6;
	char *many = many_rows(354000001, later);
	struct buf b = BUF_INIT;
	tax(354000001, t);
	buf_printf(&b, "%sCơ sở lặp,Hộ kinh doanh,%s,\"Mễ Sở, Hưng Yên\",1\r\n", many, t);
	dry_and_commit(st, buf_cstr(&b), later, 1);
	buf_free(&b);
	free(many);
}

/* The lookup of a row by name within its commune (establishments without a
 * tax code) uses an index that leads with both: with only the commune
 * indexed, every row scanned the commune's earlier ones (quadratic). */
static void test_key_lookup_indexed(void **state)
{
	struct store *st = *state;
	struct err e;
	if (strcmp(store_dialect(st), "sqlite")) {
		print_message("EXPLAIN QUERY PLAN is SQLite's: the index itself is the same\n");
		skip();
	}
	struct stmt *s =
		store_prepare(st,
			      "EXPLAIN QUERY PLAN SELECT id FROM establishments WHERE 1 = 1"
			      " AND name = ? AND commune_id = ? ORDER BY id LIMIT 2",
			      &e);
	assert_non_null(s);
	stmt_bind(s, "ti", "x", (int64_t)1);
	struct buf plan = BUF_INIT;
	while (stmt_step(s, &e) == 1)
		buf_printf(&plan, "%s\n", stmt_text(s, 3));
	stmt_done(s);
	assert_non_null(strstr(buf_cstr(&plan), "establishments_commune_name"));
	buf_free(&plan);
}

/* 20 000 rows in one transaction, in bounded time (the sanitizer build). */
static void test_many_rows(void **state)
{
	struct store *st = *state;
	enum { N = 20000 };
	char *text = many_rows(340000001, N);
	int64_t n = count_rows(st, "establishments");
	int64_t last = test_count(st, "SELECT COALESCE(MAX(id), 0) FROM establishments");
	struct import_report rep;
	struct err e;
	int64_t q0 = store_queries(st);
	int rc = import_text(st, "establishments", text, NULL, &rep, &e);
	int64_t statements = store_queries(st) - q0;
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, N);
	assert_int_equal(count_rows(st, "establishments"), n + N);
	/* Written in batches, each record still has its own audit row naming
	 * who made it and its fields, */
	char sql[400];
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM establishments t WHERE t.id > %lld AND (SELECT COUNT(*)"
		 " FROM audit a WHERE a.entity = 'establishments' AND a.action = 'create' AND"
		 " a.entity_id = CAST(t.id AS TEXT) AND a.username <> '' AND a.at <> '') = 1",
		 (long long)last);
	assert_int_equal(test_count(st, sql), N);
	char t[11];
	tax(340000001, t);
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM audit a JOIN establishments t ON a.entity_id ="
		 " CAST(t.id AS TEXT) WHERE a.entity = 'establishments' AND t.tax_code = '%s'"
		 " AND a.after_json LIKE '%%\"tax_code\":\"%s\"%%\"workers\":0%%'",
		 t, t);
	assert_int_equal(test_count(st, sql), 1);
	/* without a statement a row for the INSERT and one for its audit, nor a
	 * second lookup of the tax code (natural key, then uniqueness): one
	 * statement a row, the lookup of its key (5 before batches), and the
	 * writes of some hundred rows each (on SQLite each write statement makes
	 * the words table write a segment: 64 rows a statement cost a tenth more). */
	assert_true(statements < N + N / 200);
	import_report_free(&rep);
	free(text);
}

/* A large import refreshes the planner's statistics of its table
 * (PostgreSQL's ANALYZE: the tests' cluster runs no autovacuum). */
static void test_large_import_analyzes(void **state)
{
	struct store *st = *state;
	if (strcmp(store_dialect(st), "postgresql")) {
		skip();
	}
	const char *count = "SELECT analyze_count FROM pg_stat_user_tables"
			    " WHERE relname = 'establishments'";
	int64_t before = test_count(st, count);
	char *text = many_rows(350000001, IMPORT_ANALYZE_ROWS);
	struct import_report rep;
	struct err e;
	int rc = import_text(st, "establishments", text, NULL, &rep, &e);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, IMPORT_ANALYZE_ROWS);
	assert_int_equal(test_count(st, count), before + 1);
	import_report_free(&rep);
	free(text);
}

/* ---- two writers of the same pre-aggregate rows (PostgreSQL) --------- */

/* Connection b holds the sum row of group K2 (a training class of 79, 2026,
 * its transaction open), the import takes K1 (01, 2019) then K2, and b then
 * asks for K1 while the import holds it: each waits for the other. b waits
 * first, with a long deadlock_timeout, so the import is the victim, driven
 * step by step from the import's progress reports (no sleeps). */
struct deadlock {
	struct store *b, *c; /* b writes; c watches the locks */
	int64_t b_pid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int holds, go, fired, rc;
	struct err e;
};

static json_t *dl_class(const char *prov, const char *kind, int year, const char *topic)
{
	return json_pack("{s:s,s:s,s:s,s:i,s:i}", "province", prov, "kind", kind, "topic", topic,
			 "year", year, "trainees", 5);
}

static void dl_set(struct deadlock *d, int *flag)
{
	pthread_mutex_lock(&d->mu);
	*flag = 1;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

static void dl_wait(struct deadlock *d, int *flag)
{
	pthread_mutex_lock(&d->mu);
	while (!*flag)
		pthread_cond_wait(&d->cv, &d->mu);
	pthread_mutex_unlock(&d->mu);
}

static void *dl_writer(void *arg)
{
	struct deadlock *d = arg;
	const struct entity *tc = entity_find("training-classes");
	json_t *k2 = dl_class("79", "management", 2026, "Lớp B của b");
	json_t *k1 = dl_class("01", "vocational", 2019, "Lớp A của b");
	int rc = store_begin(d->b, &d->e);
	if (rc == 0)
		rc = record_create(d->b, &admin, tc, k2, NULL, &d->e);
	dl_set(d, &d->holds);
	dl_wait(d, &d->go);
	if (rc == 0) /* waits for the import, until it is rolled back */
		rc = record_create(d->b, &admin, tc, k1, NULL, &d->e);
	if (rc == 0)
		rc = store_commit(d->b, &d->e);
	else
		store_rollback(d->b);
	json_decref(k1);
	json_decref(k2);
	d->rc = rc;
	return NULL;
}

/* Is the sum row of K1 locked (by the import)? c skips locked rows. */
static int dl_k1_locked(struct deadlock *d)
{
	return test_count(d->c,
			  "SELECT COUNT(*) FROM (SELECT 1 FROM stat_sums_training_classes"
			  " WHERE province_code = '01' AND kind = 'vocational' AND year = 2019"
			  " FOR UPDATE SKIP LOCKED) x") == 0;
}

static void dl_progress(void *ctx, int64_t rows, int64_t done, int64_t total)
{
	(void)rows, (void)done, (void)total;
	struct deadlock *d = ctx;
	if (d->fired || !dl_k1_locked(d))
		return; /* not yet written (batches), or done */
	d->fired = 1;
	dl_set(d, &d->go);
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = %lld AND wait_event_type ="
		 " 'Lock'",
		 (long long)d->b_pid);
	for (long i = 0; !test_count(d->c, sql); i++)
		if (i > 1000000)
			fail_msg("b never waited for the import's row");
}

/* One race: the import (all rows or, valid_only, the valid ones) of 1 200
 * classes of K1 then 3 of K2, its topics starting with tag. */
static void deadlock_race(struct store *st, int valid_only, const char *tag)
{
	struct deadlock d = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	struct err e;
	assert_int_equal(store_open(db_path, &d.b, &e), 0);
	assert_int_equal(store_open(db_path, &d.c, &e), 0);
	d.b_pid = test_count(d.b, "SELECT pg_backend_pid()");
	assert_int_equal(store_exec(d.b, "SET deadlock_timeout = '10min'", &e), 0);
	assert_int_equal(store_exec(st, "SET deadlock_timeout = '20ms'", &e), 0);
	int64_t n = count_rows(st, "training_classes");
	/* K1 rows, enough for a batch to be written before a progress report,
	 * then K2 rows. */
	struct buf csv = BUF_INIT;
	buf_puts(&csv, "Tỉnh/thành,Loại lớp,Nghề/chủ đề,Năm,Học viên\r\n");
	for (int i = 0; i < 1200; i++)
		buf_printf(&csv, "01,Đào tạo nghề,Lớp %s %d,2019,5\r\n", tag, i);
	for (int i = 0; i < 3; i++)
		buf_printf(&csv, "79,management,Lớp %s B %d,2026,5\r\n", tag, i);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, dl_writer, &d), 0);
	dl_wait(&d, &d.holds);
	struct import_options o = {
		.valid_only = valid_only, .progress = dl_progress, .progress_ctx = &d};
	struct import_report rep;
	int rc = import_text(st, "training-classes", buf_cstr(&csv), &o, &rep, &e);
	pthread_join(t, NULL);
	store_exec(st, "RESET deadlock_timeout", NULL);
	assert_true(d.fired);
	if (d.rc != 0)
		fail_msg("b: %s", d.e.message);
	ASSERT_OK(rc, &rep, e);
	assert_int_equal(rep.created, 1203);
	assert_int_equal(rep.failed, 0);
	assert_int_equal(count_rows(st, "training_classes"), n + 1203 + 2);
	struct buf diff = BUF_INIT;
	int64_t differing = -1;
	assert_int_equal(preagg_check(st, &diff, &differing, &e), 0);
	assert_int_equal(differing, 0);
	import_report_free(&rep);
	buf_free(&diff);
	buf_free(&csv);
	store_close(d.b);
	store_close(d.c);
}

/* The deadlock's victim, the import, runs again once and writes every row
 * (before: "deadlock detected", nothing written; with valid_only, the rows
 * after the deadlock were dropped as bad). */
static void test_deadlock_retried(void **state)
{
	struct store *st = *state;
	if (strcmp(store_dialect(st), "postgresql")) {
		print_message("SQLite has one writer at a time: PostgreSQL only\n");
		skip();
	}
	struct err e;
	const struct entity *tc = entity_find("training-classes");
	/* The two sum rows exist (committed), so that a writer locks them. */
	json_t *k1 = dl_class("01", "vocational", 2019, "Lớp A đầu");
	json_t *k2 = dl_class("79", "management", 2026, "Lớp B đầu");
	assert_int_equal(record_create(st, &admin, tc, k1, NULL, &e), 0);
	assert_int_equal(record_create(st, &admin, tc, k2, NULL, &e), 0);
	json_decref(k1);
	json_decref(k2);
	deadlock_race(st, 0, "A");
	deadlock_race(st, 1, "V");
}

/* ---- export and rebuild ---------------------------------------------- */

static int files_equal(const char *a, const char *b)
{
	char *x = slurp(a), *y = slurp(b);
	int same = x && y && !strcmp(x, y);
	free(x);
	free(y);
	return same;
}

static void rm_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[600];
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static struct store *open_copy(const char *from, const char *name, char **path)
{
	*path = test_tmp_path(name);
	struct store *st;
	struct err e;
	assert_int_equal(test_db_copy(from, *path), 0);
	assert_int_equal(store_open(*path, &st, &e), 0);
	return st;
}

static void test_round_trip(void **state)
{
	(void)state;
	char *demo_path, *new_path;
	struct store *demo = open_copy(clean_path, "import-demo", &demo_path);
	struct err e;
	int nrec = 0;
	assert_int_equal(demo_load(demo, &admin, &nrec, &e), 0);
	char *d1 = test_tmp_path("import-export1"), *d2 = test_tmp_path("import-export2");
	rm_dir(d1);
	rm_dir(d2);
	assert_int_equal(export_all(demo, &admin, d1, &e), 0);
	assert_int_equal(export_all(demo, &admin, d1, &e), ERR_CONFLICT); /* never over an export */

	/* A dry run writes nothing. It runs on a copy of its own: on PostgreSQL
	 * the ids its rolled-back inserts drew are not drawn again (sequences
	 * are not transactional), and the rebuild below must number its records
	 * as the first database did. */
	char *third_path;
	struct store *third = open_copy(clean_path, "import-third", &third_path);
	int rc = import_all(third, &admin, d1, 1, NULL, NULL, &e);
	if (rc < 0)
		fail_msg("dry run: %s", e.message);
	assert_int_equal(count_rows(third, "figures"), 0);
	assert_int_equal(count_rows(third, "villages"), 0);

	struct store *fresh = open_copy(clean_path, "import-new", &new_path);
	rc = import_all(fresh, &admin, d1, 0, NULL, NULL, &e);
	if (rc < 0)
		fail_msg("rebuild: %s", e.message);
	assert_int_equal(export_all(fresh, &admin, d2, &e), 0);
	const struct entity *order[64];
	int n = export_order(order, 64);
	int64_t records = 0;
	for (int i = 0; i < n; i++) {
		char a[600], b[600];
		snprintf(a, sizeof a, "%s/%s.csv", d1, order[i]->collection);
		snprintf(b, sizeof b, "%s/%s.csv", d2, order[i]->collection);
		if (!files_equal(a, b))
			fail_msg("%s differs after the round trip", order[i]->collection);
		records += count_rows(fresh, order[i]->table);
		assert_int_equal(count_rows(fresh, order[i]->table),
				 count_rows(demo, order[i]->table));
	}
	assert_true(records >= nrec);
	/* Statuses (read-only fields) came back too. */
	assert_int_equal(test_count(fresh, "SELECT COUNT(*) FROM projects WHERE status = 'draft'"),
			 test_count(demo, "SELECT COUNT(*) FROM projects WHERE status = 'draft'"));
	/* Rebuilding again from the same export changes nothing. */
	int64_t a = audits(fresh);
	assert_int_equal(import_all(fresh, &admin, d1, 0, NULL, NULL, &e), 0);
	assert_int_equal(audits(fresh), a);

	/* A changed file is refused before anything is written. */
	char p[600];
	snprintf(p, sizeof p, "%s/figures.csv", d1);
	FILE *f = fopen(p, "ab");
	fputs("\r\n", f);
	fclose(f);
	assert_int_equal(import_all(third, &admin, d1, 0, NULL, NULL, &e), ERR_INVALID);
	assert_non_null(strstr(e.message, "SHA-256"));
	assert_int_equal(count_rows(third, "villages"), 0);
	store_close(third);
	unlink(third_path);
	free(third_path);

	store_close(demo);
	store_close(fresh);
	rm_dir(d1);
	rm_dir(d2);
	unlink(demo_path);
	unlink(new_path);
	free(demo_path);
	free(new_path);
	free(d1);
	free(d2);
}

/* One collection exported as XLSX (and CSV) reads back as unchanged records. */
static void test_export_reads_back(void **state)
{
	struct store *st = *state;
	static const char *const kinds[] = {"establishments", "programmes", "projects",
					    "beneficiaries"};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		const struct entity *ent = entity_find(kinds[k]);
		char *xlsx = test_tmp_path("import-export.xlsx"),
		     *csv = test_tmp_path("import-export.csv");
		struct err e;
		int64_t rows = 0, crow = 0;
		assert_int_equal(export_xlsx(st, &admin, ent, xlsx, &rows, &e), 0);
		FILE *f = fopen(csv, "wb");
		assert_int_equal(export_csv(st, &admin, ent, f, &crow, &e), 0);
		fclose(f);
		assert_true(rows > 0);
		assert_int_equal(rows, crow);
		const char *paths[2] = {xlsx, csv};
		for (int i = 0; i < 2; i++) {
			struct import_options o = {.dry_run = 1};
			struct import_report rep;
			int rc = imp(st, &admin, ent->collection, paths[i], &o, NULL, &rep, &e);
			ASSERT_OK(rc, &rep, e);
			if (rep.failed || rep.unchanged != rows) {
				print_problems(&rep);
				fail_msg("%s %s: %lld unchanged of %lld", ent->collection, paths[i],
					 (long long)rep.unchanged, (long long)rows);
			}
			import_report_free(&rep);
		}
		unlink(xlsx);
		unlink(csv);
		free(xlsx);
		free(csv);
	}
}

/* ---- templates, formats and their documentation ---------------------- */

static char *zip_entry(const char *path, const char *name)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(z);
	zip_stat_t sb;
	if (zip_stat(z, name, 0, &sb) != 0) {
		zip_discard(z);
		return NULL;
	}
	char *data = calloc(1, sb.size + 1);
	zip_file_t *f = zip_fopen(z, name, 0);
	assert_int_equal(zip_fread(f, data, sb.size), (zip_int64_t)sb.size);
	zip_fclose(f);
	zip_discard(z);
	return data;
}

static void test_template(void **state)
{
	struct store *st = *state;
	for (const struct entity *ent = entities; ent->collection; ent++) {
		char *path = test_tmp_path("import-template.xlsx");
		struct err e;
		assert_int_equal(import_template_xlsx(st, ent, path, &e), 0);
		char *wb = zip_entry(path, "xl/workbook.xml");
		assert_non_null(strstr(wb, "name=\"Hướng dẫn\""));
		assert_non_null(strstr(wb, "state=\"hidden\""));
		free(wb);
		char *sheet = zip_entry(path, "xl/worksheets/sheet1.xml");
		int has_enum = 0;
		for (const struct field *f = ent->fields; f->name; f++)
			has_enum |=
				!(f->flags & FF_READONLY) &&
				(f->type == F_ENUM || f->type == F_BOOL || f->type == F_PROVINCE);
		if (has_enum && !strstr(sheet, "<dataValidation "))
			fail_msg("%s: no drop-down in the template", ent->collection);
		free(sheet);
		/* Every header of the template names its field. */
		struct import_source *src;
		assert_int_equal(import_source_open(path, NULL, &src, &e), 0);
		struct import_report rep;
		struct import_options o = {.dry_run = 1};
		assert_int_equal(import_run(st, &admin, ent->collection, src, &o, &rep, &e),
				 ERR_INVALID);
		assert_non_null(strstr(e.message, "không có dữ liệu")); /* a header only */
		import_source_close(src);
		int writable = 0;
		for (const struct field *f = ent->fields; f->name; f++)
			writable += !(f->flags & FF_READONLY);
		assert_int_equal(json_array_size(rep.columns), writable);
		assert_int_equal(json_array_size(rep.ignored), 0);
		import_report_free(&rep);
		unlink(path);
		free(path);
	}
	/* The province drop-down lists the 34 provinces on the hidden sheet. */
	char *path = test_tmp_path("import-template.xlsx");
	struct err e;
	assert_int_equal(import_template_xlsx(st, entity_find("plans"), path, &e), 0);
	char *lists = zip_entry(path, "xl/worksheets/sheet3.xml");
	assert_non_null(strstr(lists, "r=\"A34\""));
	assert_null(strstr(lists, "r=\"A35\""));
	free(lists);
	unlink(path);
	free(path);
}

static void test_headers(void **state)
{
	(void)state;
	const struct entity *est = entity_find("establishments");
	struct import_col c;
	static const char *const mst[] = {"Mã số thuế", "MA SO THUE", "mã số thuế *",
					  "MST",	"tax_code",   "Tax code"};
	for (size_t i = 0; i < sizeof mst / sizeof mst[0]; i++) {
		assert_int_equal(import_match_header(est, mst[i], &c), 1);
		assert_string_equal(c.f->name, "tax_code");
	}
	assert_int_equal(import_match_header(est, "Xa/Phuong", &c), 1);
	assert_string_equal(c.f->name, "commune_id");
	assert_int_equal(import_match_header(est, "STT", &c), 1);
	assert_true(c.skipped);
	assert_int_equal(import_match_header(est, "Cột lạ", &c), 0);
	const struct entity *ben = entity_find("beneficiaries");
	assert_int_equal(import_match_header(ben, "Mã đề án", &c), 1);
	assert_string_equal(c.f->name, "project_id");
	assert_int_equal(c.mode, REF_KEY);
	assert_int_equal(import_match_header(ben, "Tên cơ sở", &c), 1);
	assert_string_equal(c.f->name, "establishment_id");
	assert_int_equal(c.mode, REF_TITLE);
	/* Every record type has a natural key, and every field its own name. */
	for (const struct entity *ent = entities; ent->collection; ent++) {
		if (!*import_key_text(ent))
			fail_msg("%s has no natural key in import_formats.c", ent->collection);
		for (const struct field *f = ent->fields; f->name; f++) {
			assert_int_equal(import_match_header(ent, f->name, &c), 1);
			assert_ptr_equal(c.f, f);
		}
	}
}

static void test_doc_in_sync(void **state)
{
	(void)state;
	char *path = source_path("docs/import.md");
	char *doc = slurp(path);
	if (!doc)
		fail_msg("cannot read %s", path);
	struct buf gen = BUF_INIT;
	import_doc_markdown(&gen);
	if (!strstr(doc, buf_cstr(&gen)))
		fail_msg("docs/import.md is out of date: regenerate its column reference with "
			 "`khuyencong import --doc`");
	for (const struct entity *ent = entities; ent->collection; ent++) {
		char head[200];
		snprintf(head, sizeof head, "(`%s`)", ent->collection);
		const char *sec = strstr(doc, head);
		if (!sec)
			fail_msg("docs/import.md lacks %s", ent->collection);
		for (const struct field *f = ent->fields; f->name; f++) {
			char cell[120];
			snprintf(cell, sizeof cell, "| `%s` |", f->name);
			const char *next = strstr(sec + 1, "\n### ");
			const char *at = strstr(sec, cell);
			if (!at || (next && at > next))
				fail_msg("docs/import.md: %s.%s is missing", ent->collection,
					 f->name);
		}
	}
	buf_free(&gen);
	free(doc);
	free(path);
}

/* ---- the CSV reader -------------------------------------------------- */

static void test_csv_rows_match_excel(void **state)
{
	(void)state;
	char *path = test_tmp_path("import-rows.csv");
	const char *text = "a,b\r\n\r\n\"x\r\ny\",2\r\n3,\"q\"\"q\"";
	put(path, text, strlen(text));
	struct csv_reader *r;
	struct err e;
	assert_int_equal(csv_reader_open(path, NULL, &r, &e), 0);
	struct read_row row;
	assert_int_equal(csv_reader_next(r, &row, &e), 1);
	assert_int_equal(row.number, 1);
	assert_int_equal(csv_reader_next(r, &row, &e), 1);
	assert_int_equal(row.number, 2);
	assert_int_equal(row.n, 0); /* the blank line */
	assert_int_equal(csv_reader_next(r, &row, &e), 1);
	assert_int_equal(row.number, 3); /* one row, though it spans two lines */
	assert_string_equal(row.cells[0], "x\r\ny");
	assert_int_equal(csv_reader_next(r, &row, &e), 1);
	assert_int_equal(row.number, 4);
	assert_string_equal(row.cells[1], "q\"q");
	assert_int_equal(csv_reader_next(r, &row, &e), 0);
	csv_reader_close(r);
	unlink(path);
	free(path);
}

/* A UTF-16 file with an odd number of bytes ends inside a character: an
 * error naming the encoding, where the reader used to read its last byte
 * again for ever (found by tests/fuzz/fuzz_csv). */
static void test_csv_utf16_cut_short(void **state)
{
	(void)state;
	char *path = test_tmp_path("import-utf16-odd.csv");
	put(path, "\xFF\xFE" "a\0,\0b\0\n\0c", 11);
	struct csv_reader *r;
	struct err e;
	assert_int_equal(csv_reader_open(path, NULL, &r, &e), 0);
	struct read_row row;
	int rc;
	for (int i = 0; i < 10 && (rc = csv_reader_next(r, &row, &e)) == 1; i++)
		;
	assert_int_equal(rc, ERR_INVALID);
	assert_string_equal(e.field, "encoding");
	assert_non_null(strstr(e.message, "ends inside a character"));
	csv_reader_close(r);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_rows_match_excel),
		cmocka_unit_test(test_csv_utf16_cut_short),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_doc_in_sync),
		cmocka_unit_test(test_csv_bom_and_plain),
		cmocka_unit_test(test_cp1258),
		cmocka_unit_test(test_semicolon_tab_and_bare_headers),
		cmocka_unit_test(test_vietnamese_values),
		cmocka_unit_test(test_unit_suffix_headers),
		cmocka_unit_test(test_questions),
		cmocka_unit_test(test_figure_places_and_totals),
		cmocka_unit_test(test_history_in_order),
		cmocka_unit_test(test_dry_run_writes_nothing),
		cmocka_unit_test(test_one_bad_row_writes_nothing),
		cmocka_unit_test(test_valid_only),
		cmocka_unit_test(test_reimport_changes_nothing),
		cmocka_unit_test(test_references_by_code),
		cmocka_unit_test(test_old_unit_column),
		cmocka_unit_test(test_names_as_before),
		cmocka_unit_test(test_scope_applies),
		cmocka_unit_test(test_xlsx_import),
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_cancel_and_progress),
		cmocka_unit_test(test_export_reads_back),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_many_rows),
		cmocka_unit_test(test_large_import_analyzes),
		cmocka_unit_test(test_dry_run_takes_no_write_lock),
		cmocka_unit_test(test_dry_run_counts_as_import),
		cmocka_unit_test(test_key_lookup_indexed),
		cmocka_unit_test(test_deadlock_retried),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
