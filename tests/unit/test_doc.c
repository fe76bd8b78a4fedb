/* test_doc.c - the report model and its renderers: PDF (read back with
 * pdftotext), XLSX (opened with libzip), HTML, plain text, and charts as SVG
 * and PNG, including their awkward data (empty, one value, zeros, very large
 * values, long labels, missing figures). */
#include "testutil.h"

#include "core/buf.h"
#include "core/vtext.h"
#include "io/chart.h"
#include "io/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#define PARA                                                                                                         \
	"Giai đoạn 2016 – 2020, đã tổ chức 274 lớp truyền nghề cho 9.590 lao động nông thôn; " \
	"trên 80% số lao động có việc làm sau đào tạo."

/* ---- helpers ---- */

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("bad test JSON at %d: %s", je.line, je.text);
	return j;
}

static json_t *sample_doc(void)
{
	return parse(
		"{\"title\": \"Báo cáo kết quả khuyến công\","
		" \"subtitle\": \"Tỉnh Hưng Yên · 2021–2025\","
		" \"sections\": ["
		"  {\"title\": \"1. Đào tạo nghề\", \"paragraphs\": [\"" PARA " [1]\"],"
		"   \"table\": {\"columns\": [{\"label\": \"Chỉ tiêu\"},"
		"     {\"label\": \"Giá trị\", \"numeric\": true}, {\"label\": \"Đơn vị\"}],"
		"     \"rows\": [[\"Lớp truyền nghề\", \"274\", \"lớp\"],"
		"       [\"Lao động được đào tạo\", \"9.590\", \"lao động\"],"
		"       [\"Kinh phí\", \"24,7\", \"tỷ đồng\"],"
		"       [\"Tỷ lệ có việc làm\", \"trên 80%\", \"\"]]},"
		"   \"chart\": {\"kind\": \"bar\", \"title\": \"Học viên theo năm\","
		"     \"unit\": \"người\", \"labels\": [\"2021\", \"2022\", \"2023\"],"
		"     \"values\": [120, 340.5, 80]}},"
		"  {\"title\": \"2. Kinh phí theo tỉnh\", \"paragraphs\": [\"Kinh phí khuyến công"
		" địa phương, tính đến hết năm 2025.\"],"
		"   \"chart\": {\"kind\": \"hbar\", \"title\": \"Kinh phí\", \"unit\": \"đồng\","
		"     \"labels\": [\"Hà Nội\", \"Thành phố Hồ Chí Minh\", \"Hưng Yên\"],"
		"     \"values\": [7300000000000, 2100000000000, 45000000000]}},"
		"  {\"title\": \"3. Tiến độ kế hoạch\","
		"   \"chart\": {\"kind\": \"progress\", \"title\": \"Thực hiện so với kế hoạch\","
		"     \"labels\": [\"Đào tạo nghề\", \"Mô hình trình diễn\", \"Máy móc thiết bị\"],"
		"     \"values\": [274, 12, 80], \"targets\": [300, 10, 0]}}],"
		" \"notes\": [\"[1] Sở Công Thương Hà Nội, Báo cáo tổng kết 2016–2020.\"]}");
}

/* A section whose table has n rows. */
static json_t *long_doc(int n)
{
	json_t *doc = parse("{\"title\": \"Danh sách cơ sở\", \"sections\": [{\"title\": \"Cơ sở\","
			    " \"table\": {\"columns\": [{\"label\": \"Tên cơ sở\"},"
			    " {\"label\": \"Số lao động\", \"numeric\": true}], \"rows\": []}}]}");
	json_t *rows = json_object_get(
		json_object_get(json_array_get(json_object_get(doc, "sections"), 0), "table"),
		"rows");
	for (int i = 1; i <= n; i++) {
		char name[64], num[16];
		snprintf(name, sizeof name, "Hợp tác xã mây tre đan số %d", i);
		snprintf(num, sizeof num, "%d", i * 7);
		json_array_append_new(rows, json_pack("[ss]", name, num));
	}
	return doc;
}

static int have_tool(const char *name)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

static void write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

/* The text of pages first..last of the PDF at path (0, 0: all), NFC, with
 * runs of white space (line ends included) squeezed to one space. */
static char *pdf_text(const char *path, int first, int last)
{
	struct buf cmd = BUF_INIT, raw = BUF_INIT, out = BUF_INIT;
	buf_puts(&cmd, "pdftotext -layout");
	if (first)
		buf_printf(&cmd, " -f %d -l %d", first, last);
	buf_printf(&cmd, " '%s' -", path);
	FILE *p = popen(buf_cstr(&cmd), "r");
	assert_non_null(p);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&raw, chunk, n);
	assert_int_equal(pclose(p), 0);
	struct err e = {0};
	char *nfc = vtext_normalize(buf_cstr(&raw), "pdf", &e);
	assert_non_null(nfc);
	for (const char *s = nfc; *s; s++) {
		int space = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\f' || *s == '\r';
		if (!space)
			buf_putc(&out, *s);
		else if (out.len && out.data[out.len - 1] != ' ')
			buf_putc(&out, ' ');
	}
	free(nfc);
	buf_free(&cmd);
	buf_free(&raw);
	return buf_detach(&out);
}

/* The number of pages, read from the footer "Trang 1/N" of page 1. */
static int pdf_pages(const char *path)
{
	char *t = pdf_text(path, 1, 1);
	const char *f = strstr(t, "Trang 1/");
	int n = f ? atoi(f + strlen("Trang 1/")) : 0;
	free(t);
	return n;
}

/* Reads a member of the ZIP in b; NULL when absent. Caller frees. */
static char *zip_member(const struct buf *b, const char *name)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &ze);
	assert_non_null(src);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_stat_t st;
	char *text = NULL;
	if (zip_stat(z, name, 0, &st) == 0) {
		zip_file_t *f = zip_fopen(z, name, 0);
		assert_non_null(f);
		text = calloc(1, st.size + 1);
		assert_int_equal(zip_fread(f, text, st.size), (zip_int64_t)st.size);
		zip_fclose(f);
	}
	zip_close(z);
	zip_error_fini(&ze);
	return text;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ---- PDF ---- */

static void test_pdf_sample(void **state)
{
	(void)state;
	json_t *doc = sample_doc();
	struct buf pdf = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_pdf(doc, &pdf, &e), 0);
	assert_true(pdf.len > 1000);
	assert_memory_equal(pdf.data, "%PDF", 4);
	if (!have_tool("pdftotext")) {
		print_message("pdftotext is not installed (poppler-utils): PDF text not checked\n");
		buf_free(&pdf);
		json_decref(doc);
		skip();
	}
	char *path = test_tmp_path("doc-sample.pdf");
	write_file(path, &pdf);
	char *text = pdf_text(path, 0, 0);
	assert_non_null(strstr(text, "9.590 lao động nông thôn"));
	assert_non_null(strstr(text, "Báo cáo kết quả khuyến công"));
	assert_non_null(strstr(text, "Trang 1/"));
	assert_non_null(strstr(text, "Lao động được đào tạo 9.590 lao động"));
	assert_non_null(strstr(text, "Sở Công Thương Hà Nội"));
	unlink(path);
	free(text);
	free(path);
	buf_free(&pdf);
	json_decref(doc);
}

static void test_pdf_long_table(void **state)
{
	(void)state;
	json_t *doc = long_doc(120);
	struct buf pdf = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_pdf(doc, &pdf, &e), 0);
	assert_memory_equal(pdf.data, "%PDF", 4);
	if (!have_tool("pdftotext")) {
		print_message("pdftotext is not installed (poppler-utils): pages not checked\n");
		buf_free(&pdf);
		json_decref(doc);
		skip();
	}
	char *path = test_tmp_path("doc-long.pdf");
	write_file(path, &pdf);
	int pages = pdf_pages(path);
	assert_true(pages >= 4); /* a title page, then 120 rows over 3 pages */
	/* Page 1 is the title page: the title and the contents, no table. */
	char *p1 = pdf_text(path, 1, 1);
	assert_non_null(strstr(p1, "Danh sách cơ sở Nội dung Cơ sở 2 Trang 1/"));
	assert_null(strstr(p1, "Tên cơ sở"));
	/* The table starts on page 2 and its header is repeated at the top of
	 * page 3, the first page it runs onto. */
	char *p2 = pdf_text(path, 2, 2);
	assert_true(strncmp(p2, "Cơ sở Tên cơ sở Số lao động Hợp tác xã mây tre đan số 1 7 ",
			    strlen("Cơ sở Tên cơ sở Số lao động Hợp tác xã mây tre đan số 1 7 ")) ==
		    0);
	char *p3 = pdf_text(path, 3, 3);
	assert_true(strncmp(p3, "Tên cơ sở Số lao động Hợp tác xã mây tre đan số ",
			    strlen("Tên cơ sở Số lao động Hợp tác xã mây tre đan số ")) == 0);
	char foot[32];
	snprintf(foot, sizeof foot, "Trang 3/%d", pages);
	assert_non_null(strstr(p3, foot));
	char *all = pdf_text(path, 0, 0);
	assert_non_null(strstr(all, "Hợp tác xã mây tre đan số 120 840"));
	assert_int_equal(count(all, "Tên cơ sở"), (size_t)pages - 1);
	unlink(path);
	free(all);
	free(p1);
	free(p3);
	free(p2);
	free(path);
	buf_free(&pdf);
	json_decref(doc);
}

static void test_pdf_refuses_bad_doc(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct err e = {0};
	json_t *doc = parse("{\"sections\": []}");
	assert_int_equal(doc_pdf(doc, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "title");
	assert_int_equal(out.len, 0);
	json_decref(doc);
	doc = parse(
		"{\"title\": \"x\", \"sections\": [{\"table\": {\"columns\": [{\"label\": \"a\"}],"
		" \"rows\": [[\"1\"], [{}]]}}]}");
	assert_int_equal(doc_pdf(doc, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "sections[0].table.rows[1]");
	json_decref(doc);
	doc = parse("{\"title\": \"x\", \"sections\": [{\"chart\": {\"kind\": \"pie\"}}]}");
	assert_int_equal(doc_xlsx(doc, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "sections[0].chart.kind");
	assert_int_equal(out.len, 0);
	json_decref(doc);
}

static void test_pdf_empty_and_odd(void **state)
{
	(void)state;
	/* No sections, an empty table, an empty chart, an empty paragraph. */
	json_t *doc = parse("{\"title\": \"Trống\", \"sections\": [{}, {\"paragraphs\": [\"\"],"
			    " \"table\": {\"columns\": [{\"label\": \"A\"}]},"
			    " \"chart\": {\"kind\": \"bar\"}}], \"notes\": []}");
	struct buf pdf = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_pdf(doc, &pdf, &e), 0);
	assert_memory_equal(pdf.data, "%PDF", 4);
	buf_free(&pdf);
	json_decref(doc);
}

/* ---- charts ---- */

static json_t *bar3(void)
{
	return parse("{\"kind\": \"bar\", \"title\": \"Học viên theo năm\", \"unit\": \"người\","
		     " \"labels\": [\"2021\", \"2022\", \"2023\"], \"values\": [120, 340.5, 80]}");
}

static void test_chart_svg(void **state)
{
	(void)state;
	json_t *c = bar3(), *empty = parse("{\"kind\": \"bar\", \"title\": \"Học viên theo năm\"}");
	struct buf svg = BUF_INIT, none = BUF_INIT;
	struct err e = {0};
	assert_int_equal(chart_svg(c, 640, 300, &svg, &e), 0);
	assert_int_equal(chart_svg(empty, 640, 300, &none, &e), 0);
	const char *s = buf_cstr(&svg);
	assert_true(strncmp(s, "<?xml", 5) == 0 || strncmp(s, "<svg", 4) == 0);
	assert_non_null(strstr(s, "<svg"));
	assert_non_null(strstr(s, "</svg>"));
	assert_non_null(strstr(s, "<path"));
	assert_true(svg.len > none.len);
	/* Cairo writes each bar as a path filled with the bar colour #3b6ea8. */
	assert_int_equal(count(s, "fill:rgb(23.137255%,43.137255%,65.882353%)"), 3);
	assert_int_equal(count(buf_cstr(&none), "fill:rgb(23.137255%,43.137255%,65.882353%)"), 0);
	buf_free(&svg);
	buf_free(&none);
	json_decref(c);
	json_decref(empty);
}

/* The width and height of a PNG, from its IHDR chunk. */
static void png_size(const struct buf *b, unsigned *w, unsigned *h)
{
	const unsigned char *p = (const unsigned char *)b->data;
	assert_true(b->len > 24);
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(p + 12, "IHDR", 4);
	*w = (unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 | p[19];
	*h = (unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 | p[23];
}

static void test_chart_png(void **state)
{
	(void)state;
	json_t *c = bar3();
	struct buf png = BUF_INIT;
	struct err e = {0};
	assert_int_equal(chart_png(c, 800, 400, &png, &e), 0);
	unsigned w, h;
	png_size(&png, &w, &h);
	assert_int_equal(w, 800);
	assert_int_equal(h, 400);
	buf_reset(&png);
	assert_int_equal(chart_png(c, 5000, 400, &png, &e), ERR_INVALID);
	assert_string_equal(e.field, "width");
	assert_int_equal(png.len, 0);
	buf_free(&png);
	json_decref(c);
}

/* Awkward data draws without error at several sizes. */
static void test_chart_edge_cases(void **state)
{
	(void)state;
	static const char *const charts[] = {
		"{\"kind\": \"bar\"}",
		"{\"kind\": \"hbar\", \"labels\": [], \"values\": []}",
		"{\"kind\": \"bar\", \"labels\": [\"2025\"], \"values\": [42]}",
		"{\"kind\": \"bar\", \"labels\": [\"a\", \"b\"], \"values\": [0, 0]}",
		"{\"kind\": \"bar\", \"labels\": [\"a\", \"b\"], \"values\": [0.004, 0.5]}",
		"{\"kind\": \"bar\", \"unit\": \"đồng\", \"labels\": [\"Cả nước\", \"Hà Nội\"],"
		" \"values\": [7300000000000, 1]}",
		"{\"kind\": \"bar\", \"labels\": [\"a\", \"b\", \"c\"], \"values\": [-5, null, "
		"12.25]}",
		"{\"kind\": \"hbar\", \"labels\": [\"Thành phố Hồ Chí Minh và các tỉnh lân cận "
		"vùng Đông "
		"Nam Bộ\", \"Hà Nội\"], \"values\": [1e30, -2]}",
		"{\"kind\": \"progress\", \"labels\": [\"a\", \"b\", \"c\", \"d\"],"
		" \"values\": [5, 50, null, 3], \"targets\": [10, 10, 10]}",
		"{\"kind\": \"progress\", \"labels\": [\"a\"], \"values\": [1], \"targets\": [0]}",
	};
	for (size_t i = 0; i < sizeof charts / sizeof *charts; i++) {
		json_t *c = parse(charts[i]);
		struct buf b = BUF_INIT;
		struct err e = {0};
		assert_int_equal(chart_png(c, 320, 160, &b, &e), 0);
		buf_reset(&b);
		assert_int_equal(chart_png(c, 16, 16, &b, &e), 0);
		buf_reset(&b);
		assert_int_equal(chart_svg(c, 640, 300, &b, &e), 0);
		buf_free(&b);
		json_decref(c);
	}
	/* Many bars: 34 provinces. */
	json_t *c = parse("{\"kind\": \"hbar\", \"labels\": [], \"values\": []}");
	for (int i = 0; i < 34; i++) {
		json_array_append_new(json_object_get(c, "labels"),
				      json_string("Tỉnh Bà Rịa – Vũng Tàu"));
		json_array_append_new(json_object_get(c, "values"), json_integer(i * 1000));
	}
	struct buf b = BUF_INIT;
	struct err e = {0};
	assert_int_equal(chart_png(c, 640, 300, &b, &e), 0);
	json_object_set_new(c, "kind", json_string("bar"));
	assert_int_equal(chart_png(c, 640, 300, &b, &e), 0);
	buf_free(&b);
	json_decref(c);
}

static void test_chart_refuses(void **state)
{
	(void)state;
	static const struct {
		const char *json, *field;
	} bad[] = {
		{"[]", "chart"},
		{"{\"kind\": \"pie\"}", "chart.kind"},
		{"{\"kind\": \"bar\", \"labels\": [1]}", "chart.labels"},
		{"{\"kind\": \"bar\", \"values\": [\"1\"]}", "chart.values"},
		{"{\"kind\": \"bar\", \"title\": 3}", "chart.title"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *c = parse(bad[i].json);
		struct buf b = BUF_INIT;
		struct err e = {0};
		assert_int_equal(chart_svg(c, 640, 300, &b, &e), ERR_INVALID);
		assert_string_equal(e.field, bad[i].field);
		assert_int_equal(b.len, 0);
		json_decref(c);
	}
}

/* The text of a PDF holding only chart (owned by the caller), squeezed. */
static char *chart_pdf_text(const char *chart)
{
	struct buf d = BUF_INIT;
	buf_printf(&d, "{\"title\": \"t\", \"sections\": [{\"chart\": %s}]}", chart);
	json_t *doc = parse(buf_cstr(&d));
	struct buf pdf = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_pdf(doc, &pdf, &e), 0);
	char *path = test_tmp_path("doc-chart.pdf");
	write_file(path, &pdf);
	char *text = pdf_text(path, 0, 0);
	unlink(path);
	free(path);
	buf_free(&pdf);
	buf_free(&d);
	json_decref(doc);
	return text;
}

/* Counts ("integer": true) have ticks at whole numbers only: one project is
 * drawn on 0 and 1, never on 0,2 / 0,4 (issue 12, 4). */
static void test_chart_integer_ticks(void **state)
{
	(void)state;
	if (!have_tool("pdftotext")) {
		print_message("pdftotext is not installed (poppler-utils): ticks not checked\n");
		skip();
	}
	char *counts = chart_pdf_text("{\"kind\": \"hbar\", \"integer\": true, "
				      "\"labels\": [\"Máy móc\"], \"values\": [1]}");
	char *shares = chart_pdf_text("{\"kind\": \"hbar\", "
				      "\"labels\": [\"Máy móc\"], \"values\": [1]}");
	assert_null(strstr(counts, "0,2"));
	assert_null(strstr(counts, "0,5"));
	assert_non_null(strstr(shares, "0,2")); /* the same chart without "integer" */
	free(counts);
	free(shares);
}

/* With "text_size" no text is smaller than 0.85 of it, however crowded the
 * chart: 40 bars 288 px wide keep 11 px text (they label every few bars). */
static void test_chart_text_size(void **state)
{
	(void)state;
	struct buf c = BUF_INIT;
	buf_puts(&c, "{\"kind\": \"bar\", \"labels\": [");
	for (int i = 0; i < 40; i++)
		buf_printf(&c, "%s\"Năm %d\"", i ? "," : "", 1990 + i);
	buf_puts(&c, "], \"values\": [");
	for (int i = 0; i < 40; i++)
		buf_printf(&c, "%s%d", i ? "," : "", 1000 + 37 * i);
	buf_puts(&c, "]}");
	json_t *plain = parse(buf_cstr(&c));
	json_t *sized = json_deep_copy(plain);
	json_object_set_new(sized, "text_size", json_integer(13));
	struct buf svg = BUF_INIT;
	struct err e = {0};
	double small = 0, big = 0;
	assert_int_equal(chart_svg_text(plain, 288, 280, &svg, &small, &e), 0);
	assert_int_equal(chart_svg_text(sized, 288, 280, &svg, &big, &e), 0);
	assert_true(small < 11);
	assert_true(big >= 11);
	json_object_set_new(sized, "text_size", json_integer(40));
	assert_int_equal(chart_svg_text(sized, 288, 280, &svg, &big, &e), ERR_INVALID);
	assert_string_equal(e.field, "chart.text_size");
	buf_free(&svg);
	buf_free(&c);
	json_decref(plain);
	json_decref(sized);
}

static void expect_number(double v, int decimals, const char *want)
{
	struct buf b = BUF_INIT;
	chart_fmt_number(&b, v, decimals);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void test_fmt_number(void **state)
{
	(void)state;
	expect_number(9590, 0, "9.590");
	expect_number(24.7, 2, "24,7");
	expect_number(340.5, 2, "340,5");
	expect_number(-1250.5, 2, "-1.250,5");
	expect_number(7300000000000.0, 0, "7.300.000.000.000");
	expect_number(0, 2, "0");
	expect_number(0.25, 2, "0,25");
}

/* ---- XLSX ---- */

static void test_xlsx(void **state)
{
	(void)state;
	json_t *doc = sample_doc();
	struct buf x = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_xlsx(doc, &x, &e), 0);
	assert_memory_equal(x.data, "PK\x03\x04", 4);
	char *book = zip_member(&x, "xl/workbook.xml");
	/* sheet1 is the cover; then the summary, the section, the sources. */
	char *s1 = zip_member(&x, "xl/worksheets/sheet2.xml");
	char *s2 = zip_member(&x, "xl/worksheets/sheet3.xml");
	char *s3 = zip_member(&x, "xl/worksheets/sheet4.xml");
	char *strings = zip_member(&x, "xl/sharedStrings.xml");
	assert_non_null(book);
	assert_non_null(s1);
	assert_non_null(s2);
	assert_non_null(s3);
	assert_non_null(strings);
	assert_null(zip_member(&x, "xl/worksheets/sheet5.xml"));
	assert_true(strstr(book, "name=\"Trang bìa\"") < strstr(book, "name=\"Tổng hợp\""));
	assert_non_null(strstr(book, "name=\"Tổng hợp\""));
	assert_non_null(strstr(book, "name=\"1. Đào tạo nghề\""));
	assert_non_null(strstr(book, "name=\"Nguồn\""));
	/* Numeric cells as numbers; qualified figures stay text. */
	assert_non_null(strstr(s1, "<v>9590</v>"));
	assert_non_null(strstr(s2, "<v>9590</v>"));
	assert_non_null(strstr(s2, "<v>24.7</v>"));
	assert_non_null(strstr(s2, "<v>274</v>"));
	assert_non_null(strstr(strings, "trên 80%"));
	assert_non_null(strstr(strings, "9.590 lao động nông thôn"));
	assert_non_null(strstr(strings, "Sở Công Thương Hà Nội"));
	free(book);
	free(s1);
	free(s2);
	free(s3);
	free(strings);
	buf_free(&x);
	json_decref(doc);
}

/* Section titles make valid, unique sheet names. */
static void test_xlsx_sheet_names(void **state)
{
	(void)state;
	json_t *doc = parse("{\"title\": \"T\", \"sections\": []}");
	json_t *sections = json_object_get(doc, "sections");
	static const char *const titles[] = {
		"Kết quả [năm 2025]: tỉnh/thành phố * ? \\ cả nước và vùng",
		"Kết quả [năm 2025]: tỉnh/thành phố * ? \\ cả nước và vùng",
		"Nguồn",
		"",
		"'History'",
		"Hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
		"Đào tạo nghề, truyền nghề – nâng cao năng lực",
	};
	for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
		json_array_append_new(sections,
				      json_pack("{s:s, s:{s:[{s:s}], s:[[s]]}}", "title", titles[i],
						"table", "columns", "label", "A", "rows", "1"));
	struct buf x = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_xlsx(doc, &x, &e), 0);
	char *book = zip_member(&x, "xl/workbook.xml");
	assert_non_null(book);
	/* Forbidden characters become single spaces; 31 characters at most. */
	assert_non_null(strstr(book, "name=\"Kết quả năm 2025 tỉnh thành phố\""));
	assert_non_null(strstr(book, "name=\"Kết quả năm 2025 tỉnh thành (2)\""));
	assert_non_null(strstr(book, "name=\"Nguồn (2)\""));
	assert_non_null(strstr(book, "name=\"Bảng 4\""));
	assert_non_null(strstr(book, "name=\"History (2)\""));
	/* Shortened at the end of a word, without a dangling dash (issue 19). */
	assert_non_null(strstr(book, "name=\"Hỗ trợ ứng dụng máy móc thiết\""));
	assert_non_null(strstr(book, "name=\"Đào tạo nghề, truyền nghề\""));
	assert_null(zip_member(&x, "xl/worksheets/sheet10.xml")); /* no notes, no "Nguồn" */
	free(book);
	buf_free(&x);
	json_decref(doc);
}

/* A table of figures with their numbers (report.c's "values"): parts and
 * their total (a formula), a qualified figure, a decimal, a percentage, a
 * range, a sum of rows that are not next to each other. cached is the value
 * the total of the first three rows claims (98 when honest). */
static json_t *values_doc(int cached)
{
	json_t *doc = parse(
		"{\"title\": \"Làng nghề\", \"about\": {\"scope\": \"province\","
		" \"place\": \"Tỉnh Nam Định\", \"period\": \"Năm 2015\","
		" \"units_text\": \"Đơn vị hành chính tại thời điểm phát sinh\","
		" \"generated\": \"25/11/2026 09:05\", \"version\": \"9.8.7\"},"
		" \"sections\": [{\"title\": \"Làng nghề\", \"table\": {\"columns\": [{\"label\":"
		" \"Chỉ tiêu\"}, {\"label\": \"Giá trị\", \"numeric\": true}, {\"label\": \"Căn "
		"cứ\"}],"
		" \"rows\": ["
		"  [\"Chế biến\", \"11 làng nghề [1]\", \"báo cáo\"],"
		"  [\"Gỗ, mây tre\", \"51 làng nghề [1]\", \"báo cáo\"],"
		"  [\"Thủ công mỹ nghệ\", \"36 làng nghề [1]\", \"báo cáo\"],"
		"  [\"Làng nghề\", \"98 làng nghề [1]\", \"báo cáo\"],"
		"  [\"Giá trị sản xuất\", \"khoảng 4.100 tỷ đồng [1] [2]\", \"báo cáo\"],"
		"  [\"Vốn đối ứng\", \"24,7 tỷ đồng\", \"chi tiết\"],"
		"  [\"Tỷ lệ hỗ trợ trực tiếp\", \"71,7%\", \"báo cáo\"],"
		"  [\"Thu nhập\", \"5–7 triệu đồng/người/tháng\", \"báo cáo\"],"
		"  [\"Chế biến và thủ công\", \"47 làng nghề\", \"báo cáo\"]],"
		" \"values\": ["
		"  [null, {\"value\": 11, \"decimals\": 0, \"unit\": \"làng nghề\", \"notes\": "
		"[1]}, null],"
		"  [null, {\"value\": 51, \"decimals\": 0, \"unit\": \"làng nghề\", \"notes\": "
		"[1]}, null],"
		"  [null, {\"value\": 36, \"decimals\": 0, \"unit\": \"làng nghề\", \"notes\": "
		"[1]}, null],"
		"  [null, {\"value\": 98, \"decimals\": 0, \"unit\": \"làng nghề\", \"notes\": [1],"
		"          \"sum\": [0, 1, 2]}, null],"
		"  [null, {\"value\": 4100, \"decimals\": 0, \"unit\": \"tỷ đồng\", \"qualifier\":"
		"          \"about\", \"notes\": [1, 2]}, null],"
		"  [null, {\"value\": 24.7, \"decimals\": 1, \"unit\": \"tỷ đồng\"}, null],"
		"  [null, {\"value\": 71.7, \"decimals\": 1, \"unit\": \"%\", \"note\": \"Không "
		"cộng dồn\"}],"
		"  [null, {\"value\": 5, \"value_hi\": 7, \"decimals\": 0, \"unit\":"
		"          \"triệu đồng/người/tháng\", \"qualifier\": \"range\"}, null],"
		"  [null, {\"value\": 47, \"decimals\": 0, \"unit\": \"làng nghề\", \"sum\": [0, "
		"2]}]]}}],"
		" \"notes\": [\"[1] Sở Công Thương Nam Định, 17/05/2016\", \"[2] Báo cáo thử\"]}");
	json_t *v = json_array_get(
		json_object_get(json_object_get(json_array_get(json_object_get(doc, "sections"), 0),
						"table"),
				"values"),
		3);
	json_object_set_new(json_array_get(v, 1), "value", json_integer(cached));
	return doc;
}

/* The <c> element of cell ref ("B7") in a sheet's XML, up to the next
 * cell or the end of its row ("" when absent). Caller frees. */
static char *xml_cell(const char *sheet, const char *ref)
{
	char open[32];
	snprintf(open, sizeof open, "<c r=\"%s\"", ref);
	const char *a = strstr(sheet, open);
	if (!a)
		return strdup("");
	const char *next = strstr(a + 1, "<c "), *row = strstr(a, "</row>");
	const char *end = next && (!row || next < row) ? next : row ? row : a + strlen(a);
	return strndup(a, (size_t)(end - a));
}

static void expect_cell(const char *sheet, const char *ref, const char *want)
{
	char *c = xml_cell(sheet, ref);
	if (!strstr(c, want))
		fail_msg("%s is %s, wanted %s", ref, c, want);
	free(c);
}

static void test_xlsx_values(void **state)
{
	(void)state;
	json_t *doc = values_doc(98);
	struct buf x = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_xlsx(doc, &x, &e), 0);
	char *cover = zip_member(&x, "xl/worksheets/sheet1.xml");
	char *sum = zip_member(&x, "xl/worksheets/sheet2.xml");
	char *sec = zip_member(&x, "xl/worksheets/sheet3.xml");
	char *strings = zip_member(&x, "xl/sharedStrings.xml");
	char *styles = zip_member(&x, "xl/styles.xml");
	assert_non_null(cover);
	assert_non_null(sec);
	/* The section sheet: title in row 1, header in row 3 (frozen), figures
	 * from row 4. Columns: A Chỉ tiêu, B Giá trị, C Đến, D Đơn vị, E Mức độ,
	 * F Nguồn, G Căn cứ, H Ghi chú. */
	assert_non_null(strstr(sec, "<pane ySplit=\"3\" topLeftCell=\"A4\""));
	assert_non_null(strstr(strings, "<t>Đến</t>"));
	assert_non_null(strstr(strings, "<t>Đơn vị</t>"));
	assert_non_null(strstr(strings, "<t>Mức độ</t>"));
	assert_non_null(strstr(strings, "<t>Ghi chú</t>"));
	expect_cell(sec, "B4", "<v>11</v>");
	expect_cell(sec, "B6", "<v>36</v>");
	/* The total is a formula over the rows above it, its value cached. */
	expect_cell(sec, "B7", "<f>SUM(B4:B6)</f><v>98</v>");
	expect_cell(sec, "B8", "<v>4100</v>");
	expect_cell(sec, "B9", "<v>24.7</v>");
	expect_cell(sec, "B10", "<v>0.717</v>"); /* 71,7% as a percentage */
	expect_cell(sec, "B11", "<v>5</v>");
	expect_cell(sec, "C11", "<v>7</v>");
	/* Rows that are not next to each other add up one by one. */
	expect_cell(sec, "B12", "<f>B4+B6</f><v>47</v>");
	/* Only numbers in the value column: no text cell (t="s") there. */
	for (int r = 4; r <= 12; r++) {
		char ref[8];
		snprintf(ref, sizeof ref, "B%d", r);
		char *c = xml_cell(sec, ref);
		assert_null(strstr(c, "t=\"s\""));
		free(c);
	}
	/* The number formats a Vietnamese Excel shows as 9.590, 24,7 and 71,7%. */
	assert_non_null(strstr(styles, "formatCode=\"#,##0.0\""));
	assert_non_null(strstr(styles, "formatCode=\"0.0%\""));
	/* Qualifier, unit and marks are text beside the number. */
	assert_non_null(strstr(strings, "<t>khoảng</t>"));
	assert_non_null(strstr(strings, "<t>trong khoảng</t>"));
	assert_non_null(strstr(strings, "<t>[1] [2]</t>"));
	assert_non_null(strstr(strings, "<t>triệu đồng/người/tháng</t>"));
	assert_non_null(strstr(strings, "<t>Không cộng dồn</t>"));
	/* The summary sheet's formula points at its own rows (title in row 1,
	 * section title in row 3, header in row 5). */
	assert_non_null(strstr(sum, "<f>SUM(B6:B8)</f><v>98</v>"));
	/* The cover: scope, period, units, time, version, tables, sources. */
	for (const char *const *w =
		     (const char *const[]){"Phạm vi", "Tỉnh Nam Định (cấp tỉnh)", "Kỳ báo cáo",
					   "Năm 2015", "Thời điểm lập",
					   "25/11/2026 09:05 (giờ Việt Nam)", "khuyencong 9.8.7",
					   "Các bảng", "Nguồn số liệu", "[2] Báo cáo thử", NULL};
	     *w; w++)
		if (!strstr(strings, *w))
			fail_msg("the cover lacks %s", *w);
	free(cover);
	free(sum);
	free(sec);
	free(strings);
	free(styles);
	buf_free(&x);
	json_decref(doc);
}

static void test_csv_values(void **state)
{
	(void)state;
	json_t *doc = values_doc(98);
	struct buf c = BUF_INIT;
	assert_int_equal(doc_csv_table(doc, 0, &c), 1);
	const char *s = buf_cstr(&c);
	assert_memory_equal(s, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(s,
			       "\xEF\xBB\xBF\"Chỉ tiêu\",\"Giá trị\",\"Đến\",\"Đơn vị\",\"Mức độ\","
			       "\"Nguồn\",\"Căn cứ\",\"Ghi chú\"\r\n"));
	assert_non_null(strstr(s, "\r\n\"Làng nghề\",\"98\",\"\",\"làng nghề\",\"\",\"[1]\","
				  "\"báo cáo\",\"\"\r\n"));
	assert_non_null(strstr(s, "\r\n\"Giá trị sản xuất\",\"4100\",\"\",\"tỷ đồng\",\"khoảng\","
				  "\"[1] [2]\",\"báo cáo\",\"\"\r\n"));
	assert_non_null(strstr(s, "\r\n\"Vốn đối ứng\",\"24.7\",\"\",\"tỷ đồng\",\"\",\"\","
				  "\"chi tiết\",\"\"\r\n"));
	assert_non_null(strstr(s, "\r\n\"Tỷ lệ hỗ trợ trực tiếp\",\"71.7\",\"\",\"%\",\"\",\"\","
				  "\"báo cáo\",\"Không cộng dồn\"\r\n"));
	assert_non_null(strstr(s, "\r\n\"Thu nhập\",\"5\",\"7\",\"triệu đồng/người/tháng\","
				  "\"trong khoảng\",\"\",\"báo cáo\",\"\"\r\n"));
	assert_int_equal(count(s, "\r\n"), 10);
	/* A section without a table writes nothing. */
	assert_int_equal(doc_csv_table(doc, 1, &c), 0);
	buf_free(&c);
	json_decref(doc);
}

static void test_check_values(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct err e = {0};
	json_t *doc = values_doc(98);
	json_t *v = json_array_get(
		json_object_get(json_object_get(json_array_get(json_object_get(doc, "sections"), 0),
						"table"),
				"values"),
		8);
	json_object_set_new(json_array_get(v, 1), "sum", json_pack("[i,i]", 0, 9));
	assert_int_equal(doc_xlsx(doc, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "sections[0].table.values[8]");
	json_object_set_new(json_array_get(v, 1), "sum", json_pack("[i]", 8)); /* itself */
	assert_int_equal(doc_pdf(doc, &out, &e), ERR_INVALID);
	json_array_set_new(v, 1, json_string("47"));
	assert_int_equal(doc_xlsx(doc, &out, &e), ERR_INVALID);
	assert_int_equal(out.len, 0);
	json_decref(doc);
}

/* Runs LibreOffice on xlsx (bytes) and returns the CSV of sheet `sheet` as
 * LibreOffice calculates it (each sheet to its own CSV: the filter's 12th
 * token, -1). The profile is new and set to recalculate every formula on
 * load, so a cached value cannot stand in for the formula. NULL when
 * soffice is not installed. */
static char *libreoffice_csv(const struct buf *xlsx, const char *sheet)
{
	if (!have_tool("soffice"))
		return NULL;
	char *dir = test_tmp_path("doc-lo");
	struct buf cmd = BUF_INIT, path = BUF_INIT;
	buf_printf(&cmd, "mkdir -p '%s/profile/user'", dir);
	assert_int_equal(system(buf_cstr(&cmd)), 0);
	buf_printf(&path, "%s/profile/user/registrymodifications.xcu", dir);
	FILE *f = fopen(buf_cstr(&path), "w");
	assert_non_null(f);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<oor:items"
	      " xmlns:oor=\"http://openoffice.org/2001/registry\""
	      " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\""
	      " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
	      "<item oor:path=\"/org.openoffice.Office.Calc/Formula/Load\">"
	      "<prop oor:name=\"OOXMLRecalcMode\" oor:op=\"fuse\"><value>0</value></prop></item>\n"
	      "</oor:items>\n",
	      f);
	assert_int_equal(fclose(f), 0);
	buf_reset(&path);
	buf_printf(&path, "%s/book.xlsx", dir);
	write_file(buf_cstr(&path), xlsx);
	buf_reset(&cmd);
	buf_printf(&cmd,
		   "cd '%s' && soffice --headless -env:UserInstallation=file://%s/profile"
		   " --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
		   "false,false,-1' --outdir '%s' book.xlsx >/dev/null 2>&1",
		   dir, dir, dir);
	assert_int_equal(system(buf_cstr(&cmd)), 0);
	buf_reset(&path);
	buf_printf(&path, "%s/book-%s.csv", dir, sheet);
	f = fopen(buf_cstr(&path), "rb");
	if (!f)
		fail_msg("LibreOffice wrote no %s", buf_cstr(&path));
	struct buf csv = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&csv, chunk, n);
	fclose(f);
	buf_reset(&cmd);
	buf_printf(&cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(buf_cstr(&cmd)), 0);
	buf_free(&cmd);
	buf_free(&path);
	free(dir);
	if (!csv.len)
		buf_puts(&csv, "");
	return buf_detach(&csv);
}

static void test_xlsx_libreoffice(void **state)
{
	(void)state;
	/* The total claims 999 in its cache: LibreOffice must compute 98. */
	json_t *doc = values_doc(999);
	struct buf x = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_xlsx(doc, &x, &e), 0);
	char *csv = libreoffice_csv(&x, "Làng nghề");
	if (!csv) {
		print_message("soffice is not installed (libreoffice-calc-nogui): not checked\n");
		buf_free(&x);
		json_decref(doc);
		skip();
	}
	assert_non_null(strstr(csv, "\nChế biến,11,,làng nghề,,[1],báo cáo,\n"));
	assert_non_null(strstr(csv, "\nLàng nghề,98,,làng nghề,,[1],báo cáo,\n"));
	assert_non_null(strstr(csv, "\nChế biến và thủ công,47,,làng nghề,,,báo cáo,\n"));
	assert_non_null(strstr(csv, "\nVốn đối ứng,24.7,,tỷ đồng,,,chi tiết,\n"));
	assert_non_null(strstr(csv, "\nTỷ lệ hỗ trợ trực tiếp,71.7%,,,,,báo cáo,Không cộng dồn\n"));
	assert_non_null(
		strstr(csv, "\nThu nhập,5,7,triệu đồng/người/tháng,trong khoảng,,báo cáo,\n"));
	assert_null(strstr(csv, "999"));
	free(csv);
	buf_free(&x);
	json_decref(doc);
}

/* ---- HTML and text ---- */

static void test_html(void **state)
{
	(void)state;
	json_t *doc = sample_doc();
	json_object_set_new(json_array_get(json_object_get(doc, "sections"), 1), "title",
			    json_string("<script>alert('x')</script> & co"));
	struct buf h = BUF_INIT;
	doc_html(doc, &h);
	const char *s = buf_cstr(&h);
	assert_null(strstr(s, "<script>"));
	assert_non_null(
		strstr(s, "<h2>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</h2>"));
	assert_non_null(strstr(s, "<h2>1. Đào tạo nghề</h2>"));
	assert_non_null(strstr(s, "<td class=\"num\">9.590</td>"));
	assert_non_null(strstr(s, "<th class=\"num\">Giá trị</th>"));
	assert_non_null(strstr(s, "<table class=\"report\">"));
	assert_non_null(strstr(s, "<ol class=\"notes\">"));
	assert_null(strstr(s, "<?xml"));
	assert_null(strstr(s, "<html"));
	assert_int_equal(count(s, "<figure class=\"chart\">"), 3);
	assert_int_equal(count(s, "<svg role=\"img\" aria-label=\"Học viên theo năm\""), 1);
	assert_int_equal(count(s, "</svg>"), 3);
	/* Each chart's ids carry its own prefix: no bare cairo ids remain. */
	assert_null(strstr(s, "id=\"glyph"));
	assert_null(strstr(s, "href=\"#glyph"));
	buf_free(&h);
	json_decref(doc);
}

static void test_text(void **state)
{
	(void)state;
	json_t *doc = sample_doc();
	struct buf t = BUF_INIT;
	doc_text(doc, &t);
	const char *s = buf_cstr(&t);
	assert_true(strncmp(s, "# Báo cáo kết quả khuyến công\n", 31) == 0);
	assert_non_null(strstr(s, "## 1. Đào tạo nghề\n"));
	assert_non_null(strstr(s, PARA));
	assert_non_null(strstr(s, "| Chỉ tiêu | Giá trị | Đơn vị |\n| --- | ---: | --- |\n"));
	assert_non_null(strstr(s, "| Lớp truyền nghề | 274 | lớp |"));
	assert_non_null(strstr(s, "- 2022: 340,5\n"));
	assert_non_null(strstr(s, "- Đào tạo nghề: 274 / 300 (91,3%)\n"));
	assert_non_null(strstr(s, "[1] Sở Công Thương Hà Nội"));
	buf_free(&t);
	json_decref(doc);
}

/* fontconfig's one-time configuration, kept for the life of the process, is
 * the only leak in these stacks: the same rule as tests/unit/lsan.supp, built
 * in so that the test passes however it is started. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_sample),
		cmocka_unit_test(test_pdf_long_table),
		cmocka_unit_test(test_pdf_refuses_bad_doc),
		cmocka_unit_test(test_pdf_empty_and_odd),
		cmocka_unit_test(test_chart_svg),
		cmocka_unit_test(test_chart_png),
		cmocka_unit_test(test_chart_edge_cases),
		cmocka_unit_test(test_chart_refuses),
		cmocka_unit_test(test_fmt_number),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_xlsx_sheet_names),
		cmocka_unit_test(test_xlsx_values),
		cmocka_unit_test(test_csv_values),
		cmocka_unit_test(test_check_values),
		cmocka_unit_test(test_xlsx_libreoffice),
		cmocka_unit_test(test_chart_integer_ticks),
		cmocka_unit_test(test_chart_text_size),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_text),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	/* Let go of the font caches so that LeakSanitizer sees only our leaks:
	 * pango's per-thread font map, cairo's static data, fontconfig's config. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	return failed;
}
