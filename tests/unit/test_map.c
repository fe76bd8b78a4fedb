/* test_map.c - the map of provinces: the compiled-in geometry agrees with the
 * unit lists (63 codes and names, 34 successors, shared borders), and the
 * SVG and cairo renderings carry a title per province, a legend of table
 * values, qualifiers, Hoàng Sa and Trường Sa. */
#include "testutil.h"

#include "core/buf.h"
#include "core/embed.h"
#include "io/doc.h"
#include "io/map.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The geometry's 63 provinces are exactly data/units/2025-03-01_provinces.csv
 * (code and name), each with its new province of the merger table. */
static void test_geometry_matches_units(void **state)
{
	(void)state;
	const struct embedded_file *f = embed_find(units_files, "2025-03-01_provinces.csv");
	assert_non_null(f);
	assert_int_equal(map_old_count(), 63);
	int seen = 0;
	const char *line = strchr((const char *)f->data, '\n');
	for (; line && line[1]; line = strchr(line + 1, '\n')) {
		char code[4], name[64];
		assert_int_equal(sscanf(line + 1, "%3[^,],%63[^,]", code, name), 2);
		int found = 0;
		for (int i = 0; i < map_old_count(); i++)
			if (!strcmp(map_old_code(i), code)) {
				assert_string_equal(map_old_name(i), name);
				assert_non_null(map_old_successor(i));
				found++;
			}
		assert_int_equal(found, 1);
		seen++;
	}
	assert_int_equal(seen, 63);
	char succ[64][4];
	int nsucc = 0;
	for (int i = 0; i < 63; i++) {
		int k = 0;
		while (k < nsucc && strcmp(succ[k], map_old_successor(i)))
			k++;
		if (k == nsucc)
			snprintf(succ[nsucc++], 4, "%s", map_old_successor(i));
	}
	assert_int_equal(nsucc, 34);
	assert_int_equal(map_bad_segments(), 0);
	assert_null(map_old_code(63));
}

static json_t *stats_fixture(const char *by, int old)
{
	json_error_t je;
	json_t *j = json_loads(
		old ? "{\"query\":{\"by\":\"province\"},\"rows\":["
		      "{\"key\":\"old:36\",\"label\":\"Tỉnh Nam Định\",\"value\":12,\"scale\":0,"
		      "\"qualifier\":\"exact\",\"text\":\"12 người\",\"source\":\"records\"},"
		      "{\"key\":\"old:01\",\"label\":\"Thành phố Hà Nội\",\"value\":35,"
		      "\"scale\":0,\"qualifier\":\"exact\",\"text\":\"35 người\","
		      "\"source\":\"records\"}]}"
		    : "{\"query\":{\"by\":\"province\"},\"rows\":["
		      "{\"key\":\"new:01\",\"label\":\"Thành phố Hà Nội\",\"value\":800,"
		      "\"value_hi\":800,\"scale\":1,\"qualifier\":\"at_least\","
		      "\"text\":\"trên 80%\",\"source\":\"reported\"},"
		      "{\"key\":\"new:33\",\"label\":\"Tỉnh Hưng Yên\",\"value\":857,\"scale\":1,"
		      "\"qualifier\":\"exact\",\"text\":\"85,7%\",\"source\":\"records\"},"
		      "{\"key\":\"new:79\",\"label\":\"Thành phố Hồ Chí Minh\",\"value\":505,"
		      "\"scale\":1,\"qualifier\":\"exact\",\"text\":\"50,5%\",\"source\":"
		      "\"records\"},"
		      "{\"key\":\"new:04\",\"label\":\"Tỉnh Cao Bằng\",\"value\":null,\"scale\":0,"
		      "\"qualifier\":\"exact\",\"text\":\"không có số "
		      "liệu\",\"source\":\"none\"}]}",
		0, &je);
	assert_non_null(j);
	json_object_set_new(json_object_get(j, "query"), "by", json_string(by));
	return j;
}

static void test_svg_new_units(void **state)
{
	(void)state;
	json_t *st = stats_fixture("province", 0);
	struct map_view v;
	struct err e;
	assert_int_equal(map_view_build(st, 0, &v, &e), 0);
	assert_int_equal(v.nunits, 34);
	assert_int_equal(v.ncls, 3);
	struct buf b = BUF_INIT;
	map_svg(&v, &(struct map_opts){.title = "Tỷ lệ có việc làm", .link = "/stats?indicator=x"},
		&b);
	const char *s = buf_cstr(&b);
	assert_int_equal(count(s, "<path class=\"map-unit\""), 34);
	assert_int_equal(count(s, "</title></path>"), 34);
	assert_non_null(strstr(s, "<title>Thành phố Hà Nội: trên 80%</title>"));
	assert_non_null(strstr(s, "<title>Tỉnh Cao Bằng: không có số liệu</title>"));
	/* the qualifier is written on the map, and the province is dotted */
	assert_non_null(strstr(s, "data-code=\"01\" x="));
	assert_non_null(strstr(s, ">trên 80%</text>"));
	assert_int_equal(count(s, "class=\"map-qualified\""), 1);
	assert_int_equal(count(s, "class=\"map-reported\""), 1);
	/* three classes, one value each: the legend says the table's values */
	assert_non_null(strstr(s, ">50,5</text>"));
	assert_non_null(strstr(s, ">80</text>"));
	assert_non_null(strstr(s, ">85,7</text>"));
	assert_non_null(strstr(s, "Không có số liệu"));
	assert_non_null(strstr(s, "id=\"map-hoang-sa\""));
	assert_non_null(strstr(s, "id=\"map-truong-sa\""));
	assert_int_equal(count(s, "(Việt Nam)</t"), 2);
	assert_non_null(strstr(s, "href=\"/stats?indicator=x&amp;province=01\""));
	/* one geometry: a new province is one path; borders inside it are left out */
	assert_int_equal(count(s, "class=\"map-borders\""), 1);
	buf_free(&b);
	json_decref(st);
}

static void test_svg_old_units(void **state)
{
	(void)state;
	json_t *st = stats_fixture("province", 1);
	struct map_view v, vn;
	struct err e;
	assert_int_equal(map_view_build(st, 1, &v, &e), 0);
	assert_int_equal(map_view_build(st, 0, &vn, &e), 0);
	assert_int_equal(v.nunits, 63);
	assert_int_equal(v.ncls, 2);
	assert_int_equal(vn.ncls, 0); /* old rows do not land on new units */
	struct buf b = BUF_INIT, bn = BUF_INIT;
	map_svg(&v, &(struct map_opts){0}, &b);
	map_svg(&vn, &(struct map_opts){0}, &bn);
	const char *s = buf_cstr(&b);
	assert_int_equal(count(s, "</title></path>"), 63);
	assert_non_null(strstr(s, "<title>Tỉnh Nam Định: 12 người</title>"));
	assert_non_null(strstr(s, "id=\"map-hoang-sa\""));
	/* the old units draw the borders the new ones leave out */
	const char *ob = strstr(s, "class=\"map-borders\"");
	const char *nb = strstr(buf_cstr(&bn), "class=\"map-borders\"");
	assert_true(strlen(ob) > strlen(nb) + 1000);
	buf_free(&b);
	buf_free(&bn);
	json_decref(st);
}

static void test_needs_province(void **state)
{
	(void)state;
	json_t *st = stats_fixture("year", 0);
	struct map_view v;
	struct err e;
	assert_int_equal(map_view_build(st, 0, &v, &e), ERR_INVALID);
	assert_string_equal(e.field, "by");
	json_decref(st);
}

/* The cairo drawing fills Hà Nội with its class colour (the darkest of 3). */
static void test_cairo_colour(void **state)
{
	(void)state;
	json_t *st = stats_fixture("province", 0);
	struct map_view v;
	struct err e;
	assert_int_equal(map_view_build(st, 0, &v, &e), 0);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1000, 1000);
	cairo_t *cr = cairo_create(s);
	map_draw(cr, &v, "Tỷ lệ", 0, 0, 1000, 1000);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	/* Hồ Chí Minh (lowest class, #ffffcc) around 106.7°E 10.8°N: x 393, y 826 */
	unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	uint32_t c = *(uint32_t *)(px + 826 * stride + 393 * 4) & 0xffffff;
	assert_int_equal(c, 0xffffcc);
	cairo_surface_destroy(s);
	json_decref(st);
}

/* A categorical map (the reporting status): each unit filled with its
 * category's colour, in the SVG and through cairo; the marked unit striped,
 * the categories and the mark in the legend, each unit's own link. */
static void test_categorical(void **state)
{
	(void)state;
	struct map_view v;
	map_view_units(&v, 0);
	assert_int_equal(v.nunits, 34);
	v.ncat = 2;
	v.cat_label[0] = "Đã chấp nhận";
	v.cat_colour[0] = "#1a9850";
	v.cat_label[1] = "Trả lại";
	v.cat_colour[1] = "#f46d43";
	v.mark_label = "Gửi muộn";
	for (int u = 0; u < v.nunits; u++)
		v.cls[u] = 0;
	int hcm = map_unit_of(&v, "79"), hn = map_unit_of(&v, "01");
	assert_true(hcm >= 0 && hn >= 0);
	assert_int_equal(map_unit_of(&v, "99"), -1);
	v.cls[hcm] = 1;
	v.flags[hn] = MAP_MARKED;
	v.href[hn] = "/submissions/7";
	struct buf b = BUF_INIT;
	map_svg(&v, &(struct map_opts){.id = "who"}, &b);
	const char *svg = buf_cstr(&b);
	assert_non_null(strstr(svg, "data-code=\"79\" data-class=\"1\" fill=\"#f46d43\""));
	assert_non_null(strstr(svg, "<a href=\"/submissions/7\"><path class=\"map-unit\" "
				    "data-code=\"01\" data-class=\"0\" fill=\"#1a9850\""));
	assert_non_null(strstr(svg, "<path class=\"map-marked\" data-code=\"01\""));
	assert_null(strstr(svg, "<path class=\"map-marked\" data-code=\"79\""));
	assert_non_null(strstr(svg, ">Trả lại</text>"));
	assert_non_null(strstr(svg, ">Gửi muộn</text>"));
	assert_null(strstr(svg, "Không có số liệu</text>"));
	assert_non_null(strstr(svg, "role=\"group\""));
	buf_free(&b);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1000, 1000);
	cairo_t *cr = cairo_create(s);
	map_draw(cr, &v, "Tình hình gửi báo cáo", 0, 0, 1000, 1000);
	cairo_destroy(cr);
	cairo_surface_flush(s);
	unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	assert_int_equal(*(uint32_t *)(px + 826 * stride + 393 * 4) & 0xffffff, 0xf46d43);
	cairo_surface_destroy(s);
}

/* The report's map: a section "map" of io/doc.h, drawn in the PDF (read back
 * with pdftoppm: Hồ Chí Minh's pixel has its class colour) and inline in the
 * HTML with both archipelagos. */
static void test_report_map(void **state)
{
	(void)state;
	json_t *st = stats_fixture("province", 0);
	json_object_set_new(st, "title", json_string("Tỷ lệ có việc làm"));
	json_t *doc = json_pack("{s:s,s:[{s:O}]}", "title", "Báo cáo", "sections", "map", st);
	struct buf pdf = BUF_INIT, html = BUF_INIT;
	struct err e = {0};
	assert_int_equal(doc_pdf(doc, &pdf, &e), 0);
	char *path = test_tmp_path("map-report.pdf"), *png = test_tmp_path("map-report");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(pdf.data, 1, pdf.len, f), pdf.len);
	assert_int_equal(fclose(f), 0);
	struct buf cmd = BUF_INIT;
	/* page 2 (after the title page) at 72 dpi: one pixel per point; the map
	 * is the square of the text's width (481,9 pt) at the 2 cm margins */
	buf_printf(&cmd, "pdftoppm -f 2 -l 2 -r 72 -png -singlefile '%s' '%s'", path, png);
	assert_int_equal(system(buf_cstr(&cmd)), 0);
	buf_reset(&cmd);
	buf_printf(&cmd, "%s.png", png);
	cairo_surface_t *s = cairo_image_surface_create_from_png(buf_cstr(&cmd));
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	double k = (595.276 - 2 * 56.693) / MAP_SIZE;
	int x = (int)(56.693 + 393 * k), y = (int)(56.693 + 826 * k);
	uint32_t c = *(uint32_t *)(px + y * stride + x * 4) & 0xffffff;
	assert_int_equal(c, 0xffffcc);
	/* Cao Bằng (no data) around 106.1°E 22.7°N: hatched grey, not a class */
	x = (int)(56.693 + (110 + 4.0 * 61.52) * k);
	y = (int)(56.693 + (20 + 0.7 * 64) * k);
	c = *(uint32_t *)(px + y * stride + x * 4) & 0xffffff;
	assert_true(c == 0xd9d9d9 || c == 0xa6a6a6 || ((c >> 16) == ((c >> 8) & 255)));
	cairo_surface_destroy(s);
	/* the XLSX holds the map as a picture */
	struct buf xlsx = BUF_INIT;
	assert_int_equal(doc_xlsx(doc, &xlsx, &e), 0);
	zip_error_t ze;
	zip_source_t *src = zip_source_buffer_create(xlsx.data, xlsx.len, 0, &ze);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	assert_true(zip_name_locate(z, "xl/media/image1.png", 0) >= 0);
	zip_close(z);
	buf_free(&xlsx);
	doc_html(doc, &html);
	assert_non_null(strstr(buf_cstr(&html), "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(buf_cstr(&html), "id=\"map-truong-sa\""));
	assert_int_equal(count(buf_cstr(&html), "</title></path>"), 34);
	buf_free(&cmd);
	buf_free(&pdf);
	buf_free(&html);
	free(path);
	free(png);
	json_decref(doc);
	json_decref(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_matches_units),
		cmocka_unit_test(test_svg_new_units),
		cmocka_unit_test(test_svg_old_units),
		cmocka_unit_test(test_needs_province),
		cmocka_unit_test(test_cairo_colour),
		cmocka_unit_test(test_categorical),
		cmocka_unit_test(test_report_map),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
