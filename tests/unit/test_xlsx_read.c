/* test_xlsx_read.c - the streaming XLSX reader: workbooks written by
 * libxlsxwriter (shared strings, numbers, dates, percentages, booleans,
 * formulas with cached values, a merged title row, named sheets) and parts
 * written by hand with libzip (inline strings, 1904 dates, a missing shared
 * strings part, a ZIP that is no workbook, a zip bomb, 10 000 columns, a
 * 10 MB cell, malformed XML). */
#include "testutil.h"

#include "core/buf.h"
#include "io/xlsx_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

static const char WB[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook "
	"xmlns=\"http://schemas.openxmlformats.org/"
	"spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
	"relationships\">%s<sheets><sheet name=\"Trang 1\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
	"</workbook>";
static const char RELS[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas."
	"openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://"
	"schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
	"Target=\"worksheets/"
	"sheet1.xml\"/><Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"</Relationships>";
static const char STYLES[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet "
	"xmlns=\"http://schemas.openxmlformats."
	"org/spreadsheetml/2006/main\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode="
	"\"dd/mm/yyyy\"/></numFmts><cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
	"<xf numFmtId=\"9\"/></cellXfs></styleSheet>";

static char *sheet_xml(const char *rows)
{
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas."
		   "openxmlformats.org/spreadsheetml/2006/main\"><sheetData>%s</sheetData>"
		   "</worksheet>",
		   rows);
	return buf_detach(&b);
}

/* Writes a ZIP at path with the given parts (NULL-terminated name/content
 * pairs; a NULL content ends the list too). */
static void write_zip(const char *path, const char *const *parts)
{
	unlink(path);
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (int i = 0; parts[i] && parts[i + 1]; i += 2) {
		zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, parts[i], s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
}

/* A workbook of one sheet whose rows are given as sheetData XML. */
static void write_book(const char *path, const char *rows, const char *sst, const char *wbpr)
{
	char *sheet = sheet_xml(rows);
	struct buf wb = BUF_INIT;
	buf_printf(&wb, WB, wbpr ? wbpr : "");
	const char *parts[] = {"xl/workbook.xml",
			       buf_cstr(&wb),
			       "xl/_rels/workbook.xml.rels",
			       RELS,
			       "xl/styles.xml",
			       STYLES,
			       "xl/worksheets/sheet1.xml",
			       sheet,
			       sst ? "xl/sharedStrings.xml" : NULL,
			       sst,
			       NULL};
	write_zip(path, parts);
	buf_free(&wb);
	free(sheet);
}

/* Reads every row of path as "n:cell|cell" lines into out; returns the
 * reader's final code (0 at a clean end), with e filled on an error. */
static int read_all(const char *path, const char *sheet, struct buf *out, struct err *e)
{
	struct xlsx_reader *r;
	int rc = xlsx_reader_open(path, sheet, &r, e);
	if (rc < 0)
		return rc;
	struct read_row row;
	while ((rc = xlsx_reader_next(r, &row, e)) == 1) {
		buf_printf(out, "%lld:", (long long)row.number);
		for (int i = 0; i < row.n; i++)
			buf_printf(out, "%s%s", i ? "|" : "", row.cells[i]);
		buf_putc(out, '\n');
	}
	xlsx_reader_close(r);
	return rc;
}

static void test_libxlsxwriter_book(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-book.xlsx");
	lxw_workbook *wb = workbook_new(path);
	workbook_add_worksheet(wb, "Bìa");
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Cơ sở");
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "dd/mm/yyyy");
	lxw_format *pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.0%");
	worksheet_merge_range(ws, 0, 0, 0, 4, "DANH SÁCH CƠ SỞ NĂM 2024", NULL);
	worksheet_write_string(ws, 2, 0, "Tên cơ sở", NULL);
	worksheet_write_string(ws, 2, 1, "Số lao động", NULL);
	worksheet_write_string(ws, 3, 0, "Gốm Bát Tràng", NULL);
	worksheet_write_number(ws, 3, 1, 9590, NULL);
	lxw_datetime d = {2016, 5, 17, 0, 0, 0};
	worksheet_write_datetime(ws, 3, 2, &d, date);
	worksheet_write_boolean(ws, 3, 3, 1, NULL);
	worksheet_write_number(ws, 3, 4, 24.7, NULL);
	worksheet_write_number(ws, 3, 5, 0.717, pct);
	worksheet_write_formula_num(ws, 3, 6, "=B4*2", NULL, 19180);
	worksheet_write_formula_str(ws, 3, 7, "=A4", NULL, "Gốm Bát Tràng");
	worksheet_write_formula(ws, 3, 8, "=B4+1", NULL); /* no cached value: nothing */
	worksheet_write_number(ws, 3, 9, 24700000000.0, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	struct buf out = BUF_INIT;
	struct err e;
	err_clear(&e);
	assert_int_equal(read_all(path, "co so", &out, &e), 0);
	assert_string_equal(buf_cstr(&out),
			    "1:DANH SÁCH CƠ SỞ NĂM 2024\n"
			    "3:Tên cơ sở|Số lao động\n"
			    "4:Gốm Bát Tràng|9590|17/05/2016|TRUE|24,7|71,7%|19180|Gốm Bát Tràng|"
			    "0|24700000000\n");
	/* The first sheet by default; an unknown one is named with those present. */
	buf_reset(&out);
	assert_int_equal(read_all(path, NULL, &out, &e), 0);
	assert_string_equal(buf_cstr(&out), "");
	assert_int_equal(read_all(path, "Không có", &out, &e), ERR_INVALID);
	assert_non_null(strstr(e.message, "\"Bìa\", \"Cơ sở\""));
	buf_free(&out);
	unlink(path);
	free(path);
}

static void test_inline_strings_and_gaps(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-inline.xlsx");
	write_book(
		path,
		"<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>Tên</t></is></c>"
		"<c r=\"D2\" t=\"inlineStr\"><is><r><t>Mễ </t></r><r><t>Sở</t></r><rPh><t>x</t>"
		"</rPh></is></c></row>"
		"<row r=\"7\"><c r=\"A7\" s=\"1\"><v>42507</v></c><c r=\"B7\" t=\"s\"><v>1</v></c>"
		"<c r=\"C7\" t=\"str\"><f>A1</f><v>công thức</v></c><c r=\"D7\" t=\"b\"><v>0</v>"
		"</c><c r=\"E7\" t=\"e\"><v>#N/A</v></c><c r=\"F7\" s=\"2\"><v>0.5</v></c>"
		"<c r=\"G7\" t=\"inlineStr\"><is><t>a_x000D_b</t></is></c></row>",
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>"
		"không</t></si><si><r><t>Hưng </t></r><r><t>Yên</t></r></si></sst>",
		NULL);
	struct buf out = BUF_INIT;
	struct err e;
	assert_int_equal(read_all(path, NULL, &out, &e), 0);
	assert_string_equal(buf_cstr(&out),
			    "2:|Tên||Mễ Sở\n"
			    "7:17/05/2016|Hưng Yên|công thức|FALSE|#N/A|50%|a\rb\n");
	buf_free(&out);
	unlink(path);
	free(path);
}

static void test_date1904(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-1904.xlsx");
	/* 41045 days after 1904-01-01 is 2016-05-17. */
	write_book(path, "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>41045</v></c></row>", NULL,
		   "<workbookPr date1904=\"1\"/>");
	struct buf out = BUF_INIT;
	struct err e;
	assert_int_equal(read_all(path, NULL, &out, &e), 0);
	assert_string_equal(buf_cstr(&out), "1:17/05/2016\n");
	buf_free(&out);
	unlink(path);
	free(path);
}

static void expect_error(const char *path, int code, const char *words)
{
	struct buf out = BUF_INIT;
	struct err e;
	err_clear(&e);
	int rc = read_all(path, NULL, &out, &e);
	if (rc != code || !strstr(e.message, words))
		fail_msg("want %d \"%s\", got %d: %s", code, words, rc, e.message);
	buf_free(&out);
}

static void test_missing_shared_strings(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-nosst.xlsx");
	write_book(path, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", NULL, NULL);
	expect_error(path, ERR_INVALID, "xl/sharedStrings.xml");
	/* A shared string that does not exist is named too. */
	write_book(path, "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>5</v></c></row>",
		   "<sst><si><t>a</t></si></sst>", NULL);
	expect_error(path, ERR_INVALID, "Dòng 3");
	unlink(path);
	free(path);
}

static void test_not_a_workbook(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-notxlsx.xlsx");
	const char *parts[] = {"readme.txt", "just a zip", NULL};
	write_zip(path, parts);
	expect_error(path, ERR_INVALID, "không phải bảng tính Excel");
	FILE *f = fopen(path, "wb");
	fputs("PK\x03\x04 but no archive", f);
	fclose(f);
	expect_error(path, ERR_INVALID, "không phải .xlsx");
	unlink(path);
	free(path);
}

static void test_zip_bomb(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-bomb.xlsx");
	size_t n = 30u << 20; /* 30 MB of blanks compress about a thousand times */
	char *rows = malloc(n + 1);
	memset(rows, ' ', n);
	rows[n] = 0;
	write_book(path, rows, NULL, NULL);
	free(rows);
	expect_error(path, ERR_TOOBIG, "zip bomb");
	unlink(path);
	free(path);
}

/* Letters that do not compress much, so only the cell limit applies. */
static char *noise(size_t n)
{
	char *s = malloc(n + 1);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		s[i] = (char)('a' + (x >> 16) % 26);
	}
	s[n] = 0;
	return s;
}

static void test_limits(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-limits.xlsx");
	struct buf rows = BUF_INIT;
	buf_puts(&rows, "<row r=\"1\">");
	for (int c = 0; c < 10000; c++)
		buf_printf(&rows, "<c t=\"inlineStr\"><is><t>c%d</t></is></c>", c);
	buf_puts(&rows, "</row>");
	write_book(path, buf_cstr(&rows), NULL, NULL);
	expect_error(path, ERR_TOOBIG, "2.000");

	char *big = noise(10u << 20);
	buf_reset(&rows);
	buf_printf(&rows, "<row r=\"2\"><c t=\"inlineStr\"><is><t>%s</t></is></c></row>", big);
	write_book(path, buf_cstr(&rows), NULL, NULL);
	expect_error(path, ERR_TOOBIG, "1 MB");
	buf_reset(&rows);
	buf_printf(&rows, "<sst><si><t>%s</t></si></sst>", big);
	write_book(path, "<row r=\"1\"><c t=\"s\"><v>0</v></c></row>", buf_cstr(&rows), NULL);
	expect_error(path, ERR_TOOBIG, "1 MB");
	free(big);
	buf_free(&rows);
	unlink(path);
	free(path);
}

static void test_malformed_xml(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-bad.xlsx");
	write_book(path, "<row r=\"1\"><c><v>1</v></row>", NULL, NULL);
	expect_error(path, ERR_INVALID, "hỏng");
	write_book(path, "<row r=\"1\"><c><v>1</v></c></row>", NULL, NULL);
	/* A DOCTYPE (entity expansion) is refused outright. */
	const char *parts[] = {
		"xl/workbook.xml",
		"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><workbook/>", NULL};
	write_zip(path, parts);
	expect_error(path, ERR_INVALID, "DOCTYPE");
	/* In the shared strings and the styles too: their parsers carry a context of
	 * their own, which the DOCTYPE handler once took for the reader (a crash). */
	const char *dtd = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
			  "<sst><si><t>&a;</t></si></sst>";
	write_book(path, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", dtd, NULL);
	expect_error(path, ERR_INVALID, "DOCTYPE");
	struct buf wb = BUF_INIT;
	buf_printf(&wb, WB, "");
	char *sheet = sheet_xml("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
	const char *styled[] = {"xl/workbook.xml", buf_cstr(&wb), "xl/_rels/workbook.xml.rels", RELS,
				"xl/styles.xml",
				"<?xml version=\"1.0\"?><!DOCTYPE s><styleSheet/>",
				"xl/worksheets/sheet1.xml", sheet, NULL};
	write_zip(path, styled);
	free(sheet);
	buf_free(&wb);
	expect_error(path, ERR_INVALID, "DOCTYPE");
	/* An empty <v/> as the sheet's first value: its text was never
	 * allocated, and the reader wrote into a string literal (a crash). */
	write_book(path, "<row r=\"1\"><c r=\"A1\"><v></v></c><c r=\"B1\"><v>7</v></c></row>", NULL,
		   NULL);
	struct buf out = BUF_INIT;
	struct err e;
	assert_int_equal(read_all(path, NULL, &out, &e), 0);
	assert_string_equal(buf_cstr(&out), "1:|7\n");
	buf_free(&out);
	unlink(path);
	free(path);
}

static void test_rewind(void **state)
{
	(void)state;
	char *path = test_tmp_path("xr-rewind.xlsx");
	write_book(path, "<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c><v>2</v></c></row>",
		   NULL, NULL);
	struct xlsx_reader *r;
	struct err e;
	assert_int_equal(xlsx_reader_open(path, NULL, &r, &e), 0);
	struct read_row row;
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(xlsx_reader_next(r, &row, &e), 1);
		assert_string_equal(row.cells[0], "1");
		assert_int_equal(xlsx_reader_next(r, &row, &e), 1);
		assert_int_equal(row.number, 2);
		assert_int_equal(xlsx_reader_next(r, &row, &e), 0);
		int64_t done, total;
		xlsx_reader_progress(r, &done, &total);
		assert_true(total > 0 && done == total);
		assert_int_equal(xlsx_reader_rewind(r, &e), 0);
	}
	assert_string_equal(xlsx_reader_sheet(r), "Trang 1");
	xlsx_reader_close(r);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libxlsxwriter_book),
		cmocka_unit_test(test_inline_strings_and_gaps),
		cmocka_unit_test(test_date1904),
		cmocka_unit_test(test_missing_shared_strings),
		cmocka_unit_test(test_not_a_workbook),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_malformed_xml),
		cmocka_unit_test(test_rewind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
