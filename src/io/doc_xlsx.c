/* doc_xlsx.c - a report as an Excel workbook. The other renderers are in
 * doc_pdf.c, doc_html.c and doc_text.c, the charts in chart.c. */
#include "io/doc.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "io/chart.h"
#include "io/map.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* ---- XLSX ---- */

#define MAX_DECIMALS 6
#define SHEET_COVER "Trang bìa"
#define SHEET_SUMMARY "Tổng hợp"
#define SHEET_NOTES "Nguồn"
#define WRAP_COLS 6 /* paragraphs span this many columns of the summary */

struct xw {
	lxw_workbook *wb;
	lxw_format *title, *subtitle, *heading, *head, *text, *para, *note;
	lxw_format *num[MAX_DECIMALS + 1]; /* #,##0 with 0..6 decimals */
	lxw_format *pct[3];		   /* 0%, 0.0% and 0.00% */
	lxw_format *label;		   /* bold, no border: the cover's labels */
	lxw_error err;			   /* the first write that failed */
	double *width;			   /* summary column widths, in characters */
	size_t nwidth;
	char **names; /* sheet names taken so far */
	size_t nnames;
	struct buf tmp;
};

static void note_err(struct xw *x, lxw_error rc)
{
	if (rc != LXW_NO_ERROR && x->err == LXW_NO_ERROR)
		x->err = rc;
}

static lxw_format *format_new(struct xw *x, int bold, double size)
{
	lxw_format *f = workbook_add_format(x->wb);
	if (bold)
		format_set_bold(f);
	if (size > 0)
		format_set_font_size(f, size);
	return f;
}

static lxw_format *cell_format(struct xw *x, int bold)
{
	lxw_format *f = format_new(x, bold, 0);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	return f;
}

static void formats(struct xw *x)
{
	x->title = format_new(x, 1, 14);
	x->subtitle = format_new(x, 0, 0);
	format_set_italic(x->subtitle);
	x->heading = format_new(x, 1, 12);
	x->head = cell_format(x, 1);
	format_set_bg_color(x->head, 0xE6ECF2);
	format_set_text_wrap(x->head);
	x->text = cell_format(x, 0);
	format_set_text_wrap(x->text);
	x->para = format_new(x, 0, 0);
	format_set_text_wrap(x->para);
	format_set_align(x->para, LXW_ALIGN_VERTICAL_TOP);
	x->note = format_new(x, 0, 0);
	format_set_text_wrap(x->note);
	for (int d = 0; d <= MAX_DECIMALS; d++) {
		char code[16] = "#,##0";
		if (d)
			snprintf(code, sizeof code, "#,##0.%.*s", d, "000000");
		x->num[d] = cell_format(x, 0);
		format_set_num_format(x->num[d], code);
	}
	static const char *const pcts[] = {"0%", "0.0%", "0.00%"};
	for (int d = 0; d < 3; d++) {
		x->pct[d] = cell_format(x, 0);
		format_set_num_format(x->pct[d], pcts[d]);
	}
	x->label = format_new(x, 1, 0);
	format_set_align(x->label, LXW_ALIGN_VERTICAL_TOP);
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* A cell of a numeric column as a number: plain Vietnamese numbers ("9.590",
 * "24,7", "-1.250") and percentages ("71,7%"). Qualified figures ("trên
 * 80%"), ranges and words ("45 nghìn") stay text. Returns the format, or NULL
 * when s is not such a number. */
static lxw_format *clean_number(struct xw *x, const char *s, double *v)
{
	size_t n = strlen(s);
	int pct = n && s[n - 1] == '%';
	if (!n || n > 40 || strspn(s, "0123456789.,- ") != n - (size_t)pct)
		return NULL;
	struct vnum num;
	struct err e;
	if (pct) {
		if (vtext_parse_percent(s, &num, "", &e) || num.qual != VQ_EXACT)
			return NULL;
		*v = (double)num.value / 1000;
		return x->pct[num.value % 10 != 0];
	}
	for (int scale = 0; scale <= MAX_DECIMALS; scale++) {
		if (vtext_parse_number(s, scale, &num, "", &e) != 0)
			continue;
		if (num.qual != VQ_EXACT)
			return NULL;
		*v = (double)num.value / pow(10, scale);
		return x->num[scale];
	}
	return NULL;
}

static void put_text(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		     lxw_format *f)
{
	struct buf t = BUF_INIT;
	buf_cell_text(&t, s, 0);
	note_err(x, worksheet_write_string(ws, r, c, buf_cstr(&t), f));
	buf_free(&t);
}

static void put_cell(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *cell,
		     int numeric)
{
	if (json_is_number(cell) && numeric) {
		note_err(x, worksheet_write_number(ws, r, c, json_number_value(cell),
						   x->num[json_is_integer(cell) ? 0 : 2]));
		return;
	}
	const char *s = doc_cell(cell, &x->tmp);
	double v;
	lxw_format *f = numeric ? clean_number(x, s, &v) : NULL;
	if (f)
		note_err(x, worksheet_write_number(ws, r, c, v, f));
	else
		put_text(x, ws, r, c, s, x->text);
}

static int is_percent(json_t *v)
{
	const char *u = json_string_value(json_object_get(v, "unit"));
	return u && u[0] == '%';
}

/* The number format of value v and the number to store. */
static lxw_format *value_format(struct xw *x, json_t *v, double *num, const char *key)
{
	int d = (int)json_integer_value(json_object_get(v, "decimals"));
	d = d < 0 ? 0 : d > MAX_DECIMALS ? MAX_DECIMALS : d;
	*num = json_number_value(json_object_get(v, key));
	if (is_percent(v)) {
		/* 71.7 -> 717 / 1000: the nearest double to 0.717, not 71.7 / 100 */
		double scale = pow(10, d);
		*num = round(*num * scale) / (scale * 100);
		return x->pct[d > 2 ? 2 : d];
	}
	return x->num[d];
}

/* Writes value v at (r, c): a formula when it is the sum of other rows
 * (first is the sheet row of the table's first row), with its value cached
 * so readers that do not calculate see it too. */
static void put_value(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v,
		      lxw_row_t first, const char *key)
{
	double num;
	lxw_format *f = value_format(x, v, &num, key);
	json_t *sum = json_object_get(v, "sum");
	if (!strcmp(key, "value") && json_array_size(sum)) {
		struct buf fm = BUF_INIT;
		size_t k, n = json_array_size(sum);
		json_t *ix;
		int contiguous = 1;
		json_array_foreach(sum, k, ix) contiguous &=
			json_integer_value(ix) ==
			json_integer_value(json_array_get(sum, 0)) + (json_int_t)k;
		char a[LXW_MAX_CELL_NAME_LENGTH], b[LXW_MAX_CELL_NAME_LENGTH];
		if (contiguous) {
			lxw_rowcol_to_cell(
				a, first + (lxw_row_t)json_integer_value(json_array_get(sum, 0)),
				c);
			lxw_rowcol_to_cell(
				b,
				first + (lxw_row_t)json_integer_value(json_array_get(sum, n - 1)),
				c);
			buf_printf(&fm, "=SUM(%s:%s)", a, b);
		} else {
			buf_putc(&fm, '=');
			json_array_foreach(sum, k, ix)
			{
				lxw_rowcol_to_cell(a, first + (lxw_row_t)json_integer_value(ix), c);
				buf_printf(&fm, "%s%s", k ? "+" : "", a);
			}
		}
		note_err(x, worksheet_write_formula_num(ws, r, c, buf_cstr(&fm), f, num));
		buf_free(&fm);
		return;
	}
	note_err(x, worksheet_write_number(ws, r, c, num, f));
}

/* Writes the table from row r; returns the row after it. */
static lxw_row_t put_table(struct xw *x, lxw_worksheet *ws, lxw_row_t r, json_t *t)
{
	json_t *cols = json_object_get(t, "columns"), *row;
	struct doc_col *l;
	size_t n = doc_table_layout(t, 0, &l);
	for (size_t k = 0; k < n; k++)
		put_text(x, ws, r, (lxw_col_t)k, l[k].label, x->head);
	r++;
	lxw_row_t first = r;
	size_t i;
	json_array_foreach(json_object_get(t, "rows"), i, row)
	{
		for (size_t k = 0; k < n; k++) {
			const struct doc_col *c = &l[k];
			json_t *v = doc_table_value(t, i, c->src);
			if (c->part == DOC_CELL || (c->part == DOC_VALUE && !v))
				put_cell(x, ws, r, (lxw_col_t)k, json_array_get(row, c->src),
					 c->part == DOC_CELL && doc_col_numeric(cols, c->src));
			else if (c->part == DOC_VALUE)
				put_value(x, ws, r, (lxw_col_t)k, v, first, "value");
			else if (c->part == DOC_HI && v && json_object_get(v, "value_hi"))
				put_value(x, ws, r, (lxw_col_t)k, v, first, "value_hi");
			else
				put_text(x, ws, r, (lxw_col_t)k,
					 doc_table_text(t, i, c, 0, &x->tmp), x->text);
		}
		r++;
	}
	free(l);
	return r;
}

/* The number of sheet columns of table t. */
static size_t table_width(json_t *t)
{
	struct doc_col *l;
	size_t n = doc_table_layout(t, 0, &l);
	free(l);
	return n;
}

/* A chart's figures as a small table, so the numbers behind it can be used. */
static lxw_row_t put_chart(struct xw *x, lxw_worksheet *ws, lxw_row_t r, json_t *c)
{
	const char *title = json_string_value(json_object_get(c, "title"));
	const char *unit = json_string_value(json_object_get(c, "unit"));
	int progress = strcmp(json_string_value(json_object_get(c, "kind")), "progress") == 0;
	buf_reset(&x->tmp);
	buf_printf(&x->tmp, "Biểu đồ: %s", title ? title : "");
	put_text(x, ws, r++, 0, buf_cstr(&x->tmp), x->heading);
	buf_reset(&x->tmp);
	buf_printf(&x->tmp, "%s%s%s%s", progress ? "Thực hiện" : "Giá trị", unit ? " (" : "",
		   unit ? unit : "", unit ? ")" : "");
	put_text(x, ws, r, 0, "", x->head);
	put_text(x, ws, r, 1, buf_cstr(&x->tmp), x->head);
	if (progress) {
		put_text(x, ws, r, 2, "Mục tiêu", x->head);
		put_text(x, ws, r, 3, "Tỷ lệ", x->head);
	}
	r++;
	json_t *labels = json_object_get(c, "labels"), *values = json_object_get(c, "values");
	json_t *targets = json_object_get(c, "targets");
	size_t n = json_array_size(labels) > json_array_size(values) ? json_array_size(labels)
								     : json_array_size(values);
	for (size_t i = 0; i < n; i++, r++) {
		json_t *v = json_array_get(values, i), *t = json_array_get(targets, i);
		put_text(x, ws, r, 0, json_string_value(json_array_get(labels, i)), x->text);
		put_cell(x, ws, r, 1, v, 1);
		if (!progress)
			continue;
		put_cell(x, ws, r, 2, t, 1);
		if (json_is_number(v) && json_is_number(t) && json_number_value(t) > 0)
			note_err(x, worksheet_write_number(
					    ws, r, 3, json_number_value(v) / json_number_value(t),
					    x->pct[1]));
		else
			put_text(x, ws, r, 3, "", x->text);
	}
	return r;
}

/* Widens column j to hold s (NULL holds nothing). */
static void widen(struct xw *x, size_t j, const char *s)
{
	if (j >= x->nwidth) {
		x->width = xrealloc(x->width, (j + 1) * sizeof *x->width);
		for (size_t k = x->nwidth; k <= j; k++)
			x->width[k] = 0;
		x->nwidth = j + 1;
	}
	double w = s ? (double)utf8_len(s) + 2 : 0;
	x->width[j] = w > x->width[j] ? w : x->width[j];
}

/* Widens the columns to the cells of table t. */
static void measure_table(struct xw *x, json_t *t)
{
	struct doc_col *l;
	size_t n = doc_table_layout(t, 0, &l);
	size_t nr = json_array_size(json_object_get(t, "rows"));
	for (size_t k = 0; k < n; k++) {
		widen(x, k, l[k].label);
		for (size_t i = 0; i < nr; i++)
			widen(x, k, doc_table_text(t, i, &l[k], 0, &x->tmp));
	}
	free(l);
}

/* Widens the columns to the figures of chart c as put_chart() writes them
 * (numbers are shown with separators, so count them formatted). */
static void measure_chart(struct xw *x, json_t *c)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(c, "labels"), i, v)
	{
		widen(x, 0, json_string_value(v));
	}
	static const char *const keys[] = {"values", "targets"};
	for (size_t k = 0; k < 2; k++)
		json_array_foreach(json_object_get(c, keys[k]), i, v)
		{
			buf_reset(&x->tmp);
			chart_fmt_number(&x->tmp, json_number_value(v), 2);
			widen(x, k + 1, buf_cstr(&x->tmp));
		}
}

static void set_widths(lxw_worksheet *ws, const double *w, size_t n, double first_min)
{
	for (size_t j = 0; j < n || j < WRAP_COLS; j++) {
		double cw = j < n ? w[j] : 0;
		cw = j == 0 && cw < first_min ? first_min : cw < 10 ? 10 : cw > 60 ? 60 : cw;
		worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, cw, NULL);
	}
}

/* A paragraph over WRAP_COLS merged cells, its row tall enough for the
 * wrapped text (Excel does not size merged rows itself). */
static void put_paragraph(struct xw *x, lxw_worksheet *ws, lxw_row_t r, const char *s)
{
	double chars = 0;
	for (size_t j = 0; j < WRAP_COLS; j++) {
		double cw = j < x->nwidth ? x->width[j] : 0;
		chars += j == 0 && cw < 30 ? 30 : cw < 10 ? 10 : cw > 60 ? 60 : cw;
	}
	double lines = ceil((double)utf8_len(s) * 1.15 / chars);
	note_err(x, worksheet_merge_range(ws, r, 0, r, WRAP_COLS - 1, s, x->para));
	worksheet_set_row(ws, r, 15 * (lines < 1 ? 1 : lines), NULL);
}

/* The map as a picture (libxlsxwriter copies the bytes), 480 pixels square:
 * the rows it covers are skipped. */
static lxw_row_t put_map(struct xw *x, lxw_worksheet *ws, lxw_row_t r, json_t *m)
{
	struct map_view v;
	struct err e;
	struct buf png = BUF_INIT;
	if (map_view_build(m, json_is_true(json_object_get(m, "old_units")), &v, &e) == 0 &&
	    map_png(&v, json_string_value(json_object_get(m, "title")), 960, &png, &e) == 0) {
		lxw_image_options o = {.x_scale = 0.5, .y_scale = 0.5};
		note_err(x, worksheet_insert_image_buffer_opt(
				    ws, r, 0, (const unsigned char *)png.data, png.len, &o));
		r += 25;
	}
	buf_free(&png);
	return r;
}

static void write_summary(struct xw *x, lxw_worksheet *ws, json_t *doc)
{
	size_t i, j;
	json_t *s, *v;
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		if ((v = json_object_get(s, "table")))
			measure_table(x, v);
		if ((v = json_object_get(s, "chart")))
			measure_chart(x, v);
	}
	set_widths(ws, x->width, x->nwidth, 30);
	lxw_row_t r = 0;
	put_text(x, ws, r++, 0, json_string_value(json_object_get(doc, "title")), x->title);
	const char *sub = json_string_value(json_object_get(doc, "subtitle"));
	if (sub)
		put_text(x, ws, r++, 0, sub, x->subtitle);
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		r++;
		const char *title = json_string_value(json_object_get(s, "title"));
		if (title)
			put_text(x, ws, r++, 0, title, x->heading);
		json_array_foreach(json_object_get(s, "paragraphs"), j, v)
			put_paragraph(x, ws, r++, json_string_value(v));
		if ((v = json_object_get(s, "table")))
			r = put_table(x, ws, r + 1, v);
		if ((v = json_object_get(s, "chart")))
			r = put_chart(x, ws, r + 1, v);
		if ((v = json_object_get(s, "map")))
			r = put_map(x, ws, r + 1, v);
	}
}

/* ---- sheet names ---- */

static int name_taken(struct xw *x, const char *name)
{
	char *key = vtext_fold(name);
	int taken = 0;
	for (size_t i = 0; i < x->nnames && !taken; i++) {
		char *k = vtext_fold(x->names[i]);
		taken = strcmp(k, key) == 0;
		free(k);
	}
	free(key);
	return taken;
}

static void name_take(struct xw *x, const char *name)
{
	x->names = xrealloc(x->names, (x->nnames + 1) * sizeof *x->names);
	x->names[x->nnames++] = xstrdup(name);
}

/* Copies at most max characters of s into b (whole UTF-8 sequences), cut at
 * the end of a word when s is longer ("6. Làng nghề và sản phẩm tiêu", not
 * "…tiêu b"), without a dangling comma, dash or bracket; a single word
 * longer than max is cut where it must be. */
static void put_prefix(struct buf *b, const char *s, size_t max)
{
	size_t n = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
			break;
	}
	if (s[i] && s[i] != ' ') {
		size_t k = i;
		while (k > 0 && s[k - 1] != ' ')
			k--;
		if (k > 0)
			i = k;
	}
	while (i > 0 && strchr(" ,;-(", s[i - 1]))
		i--;
	if (i >= 3 && !memcmp(s + i - 3, "\xE2\x80\x93", 3)) /* an en dash */
		i -= 3;
	while (i > 0 && s[i - 1] == ' ')
		i--;
	buf_append(b, s, i);
}

/* Excel's rules for a sheet name: at most 31 characters, none of []:*?/\,
 * no apostrophe at either end, unique (case-insensitively; we compare search
 * keys, which is stricter), never "History". Falls back to "Bảng N". */
static char *sheet_name(struct xw *x, const char *title, size_t n)
{
	struct buf clean = BUF_INIT, name = BUF_INIT;
	for (const char *p = title ? title : ""; *p; p++) {
		char ch = (unsigned char)*p < 0x20 || strchr("[]:*?/\\", *p) ? ' ' : *p;
		if (ch != ' ' || (clean.len && clean.data[clean.len - 1] != ' '))
			buf_putc(&clean, ch);
	}
	const char *base = buf_cstr(&clean);
	while (*base == '\'' || *base == ' ')
		base++;
	while (clean.len && strchr("' ", clean.data[clean.len - 1]))
		clean.data[--clean.len] = 0;
	if (!*base) {
		buf_printf(&clean, "Bảng %zu", n);
		base = clean.data;
	}
	for (int k = 1;; k++) {
		char suffix[16] = "";
		if (k > 1)
			snprintf(suffix, sizeof suffix, " (%d)", k);
		buf_reset(&name);
		put_prefix(&name, base, LXW_SHEETNAME_MAX - strlen(suffix));
		buf_puts(&name, suffix);
		if (!name_taken(x, buf_cstr(&name)))
			break;
	}
	buf_free(&clean);
	name_take(x, buf_cstr(&name));
	return buf_detach(&name);
}

static void write_section_sheet(struct xw *x, json_t *s, size_t i)
{
	char *name = sheet_name(x, json_string_value(json_object_get(s, "title")), i + 1);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	free(name);
	if (!ws) {
		note_err(x, LXW_ERROR_SHEETNAME_ALREADY_USED);
		return;
	}
	json_t *t = json_object_get(s, "table");
	double *saved = x->width;
	size_t nsaved = x->nwidth;
	x->width = NULL;
	x->nwidth = 0;
	measure_table(x, t);
	set_widths(ws, x->width, x->nwidth, 12);
	free(x->width);
	x->width = saved;
	x->nwidth = nsaved;
	const char *title = json_string_value(json_object_get(s, "title"));
	put_text(x, ws, 0, 0, title ? title : "", x->heading);
	lxw_row_t end = put_table(x, ws, 2, t);
	worksheet_freeze_panes(ws, 3, 0);
	note_err(x, worksheet_repeat_rows(ws, 2, 2)); /* printed: the header on every page */
	worksheet_set_landscape(ws);
	note_err(x, worksheet_autofilter(ws, 2, 0, end - 1, (lxw_col_t)(table_width(t) - 1)));
}

static void write_notes(struct xw *x, json_t *notes)
{
	if (!json_array_size(notes))
		return;
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, SHEET_NOTES);
	if (!ws) {
		note_err(x, LXW_ERROR_SHEETNAME_ALREADY_USED);
		return;
	}
	worksheet_set_column(ws, 0, 0, 110, NULL);
	put_text(x, ws, 0, 0, SHEET_NOTES, x->heading);
	worksheet_freeze_panes(ws, 1, 0);
	size_t i;
	json_t *n;
	json_array_foreach(notes, i, n)
		put_text(x, ws, (lxw_row_t)(i + 2), 0, json_string_value(n), x->note);
}

#define COVER_WIDTH 90 /* characters of the cover's second column */

/* A line of the cover: a label (or none) in A, the text in B, wrapped, its
 * row tall enough (Excel does not size rows of wrapped text itself). */
static void cover_line(struct xw *x, lxw_worksheet *ws, lxw_row_t r, const char *label,
		       const char *text)
{
	if (label)
		put_text(x, ws, r, 0, label, x->label);
	put_text(x, ws, r, 1, text, x->para);
	double lines = ceil((double)utf8_len(text ? text : "") * 1.1 / COVER_WIDTH);
	if (lines > 1)
		worksheet_set_row(ws, r, 15 * lines, NULL);
}

/* The first sheet: what the report is (title, scope, period, units, when
 * and by which version it was made), its tables, and the numbered sources. */
static void write_cover(struct xw *x, lxw_worksheet *ws, json_t *doc)
{
	json_t *about = json_object_get(doc, "about");
	worksheet_set_column(ws, 0, 0, 24, NULL);
	worksheet_set_column(ws, 1, 1, COVER_WIDTH, NULL);
	lxw_row_t r = 0;
	put_text(x, ws, r++, 0, json_string_value(json_object_get(doc, "title")), x->title);
	const char *sub = json_string_value(json_object_get(doc, "subtitle"));
	if (sub)
		put_text(x, ws, r++, 0, sub, x->subtitle);
	r++;
	const char *scope = json_string_value(json_object_get(about, "scope"));
	const char *version = json_string_value(json_object_get(about, "version"));
	const char *when = json_string_value(json_object_get(about, "generated"));
	struct buf v = BUF_INIT;
	if (json_string_value(json_object_get(about, "place"))) {
		buf_printf(&v, "%s (%s)", json_string_value(json_object_get(about, "place")),
			   scope && !strcmp(scope, "national") ? "cả nước" : "cấp tỉnh");
		cover_line(x, ws, r++, "Phạm vi", buf_cstr(&v));
	}
	static const char *const rows[][2] = {{"Kỳ báo cáo", "period"},
					      {"Đơn vị hành chính", "units_text"}};
	for (size_t i = 0; i < 2; i++) {
		const char *s = json_string_value(json_object_get(about, rows[i][1]));
		if (!s)
			continue;
		cover_line(x, ws, r++, rows[i][0], s);
	}
	if (when) {
		buf_reset(&v);
		buf_printf(&v, "%s (giờ Việt Nam)", when);
		cover_line(x, ws, r++, "Thời điểm lập", buf_cstr(&v));
	}
	buf_reset(&v);
	buf_printf(&v, "khuyencong%s%s", version ? " " : "", version ? version : "");
	cover_line(x, ws, r++, "Phần mềm", buf_cstr(&v));
	buf_free(&v);
	r++;
	size_t i, n = 0;
	json_t *s;
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		if (json_object_get(s, "table"))
			cover_line(x, ws, r++, n++ ? NULL : "Các bảng",
				   json_string_value(json_object_get(s, "title")));
	}
	json_t *notes = json_object_get(doc, "notes");
	r++;
	json_array_foreach(notes, i, s)
		cover_line(x, ws, r++, i ? NULL : "Nguồn số liệu", json_string_value(s));
}

static int slurp(const char *path, struct buf *out, struct err *e)
{
	return buf_read_file(out, path) < 0 ? err_set(e, ERR_IO, "", "cannot read the workbook") : 0;
}

static int lxw_to_err(lxw_error rc, struct err *e)
{
	if (rc == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE ||
	    rc == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		return err_set(e, ERR_TOOBIG, "", "the report exceeds a limit of Excel: %s",
			       lxw_strerror(rc));
	return err_set(e, ERR_IO, "", "workbook error: %s", lxw_strerror(rc));
}

static void write_workbook(struct xw *x, json_t *doc)
{
	formats(x);
	lxw_doc_properties props = {0};
	props.title = (char *)json_string_value(json_object_get(doc, "title"));
	workbook_set_properties(x->wb, &props);
	name_take(x, SHEET_COVER);
	name_take(x, SHEET_SUMMARY);
	name_take(x, SHEET_NOTES);
	name_take(x, "History");
	write_cover(x, workbook_add_worksheet(x->wb, SHEET_COVER), doc);
	lxw_worksheet *sum = workbook_add_worksheet(x->wb, SHEET_SUMMARY);
	write_summary(x, sum, doc);
	/* The summary holds many tables: its title and scope stay in view. */
	worksheet_freeze_panes(sum, json_object_get(doc, "subtitle") ? 2 : 1, 0);
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		if (json_object_get(s, "table"))
			write_section_sheet(x, s, i);
	}
	write_notes(x, json_object_get(doc, "notes"));
	/* Printed on A4, each sheet one page wide. */
	lxw_worksheet *ws;
	STAILQ_FOREACH(ws, x->wb->worksheets, list_pointers)
	{
		worksheet_set_paper(ws, 9);
		worksheet_fit_to_pages(ws, 1, 0);
	}
}

int doc_xlsx(json_t *doc, struct buf *out, struct err *e)
{
	int rc = doc_check(doc, e);
	if (rc)
		return rc;
	char path[] = "/tmp/kc-doc-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(e, ERR_IO, "", "cannot create a temporary file");
	close(fd);
	struct xw x = {0};
	x.wb = workbook_new(path);
	if (!x.wb) {
		unlink(path);
		return err_set(e, ERR_IO, "", "cannot create the workbook");
	}
	write_workbook(&x, doc);
	lxw_error closed = workbook_close(x.wb);
	size_t start = out->len;
	if (x.err != LXW_NO_ERROR)
		rc = lxw_to_err(x.err, e);
	else if (closed != LXW_NO_ERROR)
		rc = lxw_to_err(closed, e);
	else
		rc = slurp(path, out, e);
	if (rc) {
		out->len = start;
		if (out->data)
			out->data[start] = 0;
	}
	unlink(path);
	for (size_t i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	free(x.width);
	buf_free(&x.tmp);
	return rc;
}
