/* doc_pdf.c - a report as an A4 PDF: pango lays the text out (Vietnamese
 * shaped correctly), cairo draws it, charts come from chart_draw(). Also
 * doc_cell(), shared by every renderer; the model's validator is in
 * doc_check.c. */
#include "io/doc.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "io/chart.h"
#include "io/map.h"

#include <cairo-pdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *doc_cell(json_t *cell, struct buf *tmp)
{
	if (json_is_string(cell))
		return json_string_value(cell);
	buf_reset(tmp);
	if (json_is_integer(cell))
		vtext_fmt_int(tmp, json_integer_value(cell));
	else if (json_is_real(cell))
		chart_fmt_number(tmp, json_real_value(cell), 6);
	return buf_cstr(tmp);
}

/* ---- page layout ---- */

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 56.693 /* 2 cm */
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN)
#define CHART_H 198.425 /* 7 cm */

/* Font sizes in points. */
#define SZ_TITLE 17.0
#define SZ_SUBTITLE 11.5
#define SZ_SECTION 13.0
#define SZ_BODY 10.5
#define SZ_CELL 9.5
#define SZ_NOTE 8.5
#define SZ_FOOT 8.5

#define PAD_X 4.0 /* inside a table cell */
#define PAD_Y 2.5

enum {
	C_TEXT = 0x1f1f1f,
	C_MUTED = 0x5f6368,
	C_RULE = 0x9aa5b1,
	C_HEAD = 0xe6ecf2,
	C_ZEBRA = 0xf6f8fa,
};

struct pdf {
	cairo_t *cr;
	PangoContext *pc;
	int draw;  /* 0 in the counting pass: lay out, draw nothing */
	int page;  /* the current page, from 1 */
	int pages; /* the total, known in the drawing pass */
	int probe; /* measuring a section: stop once it runs onto a second page */
	double y;  /* top of the free space on the page */
	int *starts; /* the page each section starts on (counting pass fills it) */
	int draft;   /* an administrative document without a number: "DỰ THẢO" on every page */
};

/* True when a probe has learnt what it wanted: the section does not fit on
 * one page. Loops over rows and paragraphs stop early then. */
static int overflowed(const struct pdf *p)
{
	return p->probe && p->page > 1;
}

static void set_rgb(cairo_t *cr, int rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			     (rgb & 0xff) / 255.0);
}

/* A layout of s wrapped at width (0: one line). Caller unrefs it. */
static PangoLayout *block(struct pdf *p, const char *s, double size, int bold, double width)
{
	PangoLayout *l = chart_layout(p->pc, size, bold);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, s ? s : "", -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return r.height / (double)PANGO_SCALE;
}

static double width_of(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return r.width / (double)PANGO_SCALE;
}

static void footer(struct pdf *p)
{
	char s[48];
	snprintf(s, sizeof s, "Trang %d/%d", p->page, p->pages);
	PangoLayout *l = block(p, s, SZ_FOOT, 0, TEXT_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	set_rgb(p->cr, C_MUTED);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN * 0.6);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

/* "DỰ THẢO" across the page, light, over the text. */
static void watermark(struct pdf *p)
{
	PangoLayout *l = block(p, "DỰ THẢO", 72, 1, 0);
	cairo_save(p->cr);
	cairo_translate(p->cr, PAGE_W / 2, PAGE_H / 2);
	cairo_rotate(p->cr, -M_PI / 6);
	cairo_set_source_rgba(p->cr, 0.75, 0.1, 0.1, 0.14);
	cairo_move_to(p->cr, -width_of(l) / 2, -height_of(l) / 2);
	pango_cairo_show_layout(p->cr, l);
	cairo_restore(p->cr);
	g_object_unref(l);
}

static void page_end(struct pdf *p)
{
	if (!p->draw)
		return;
	if (p->draft)
		watermark(p);
	footer(p);
	cairo_show_page(p->cr);
}

static void page_break(struct pdf *p)
{
	page_end(p);
	p->page++;
	p->y = MARGIN;
}

/* Starts a new page unless h more points fit on this one (a page that is
 * still empty takes anything). */
static void need(struct pdf *p, double h)
{
	if (p->y + h > BOTTOM && p->y > MARGIN)
		page_break(p);
}

/* Draws l line by line from p->y at x, breaking pages between lines;
 * leading is added after each line. */
static void flow(struct pdf *p, PangoLayout *l, double x, double leading, int rgb)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double h = r.height / (double)PANGO_SCALE;
		double base = (pango_layout_iter_get_baseline(it) - r.y) / (double)PANGO_SCALE;
		need(p, h);
		if (p->draw) {
			set_rgb(p->cr, rgb);
			cairo_move_to(p->cr, x + r.x / (double)PANGO_SCALE, p->y + base);
			pango_cairo_show_layout_line(p->cr,
						     pango_layout_iter_get_line_readonly(it));
		}
		p->y += h + leading;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* A block of text across the text width: size, weight, alignment, colour,
 * then space after it. */
static void text(struct pdf *p, const char *s, double size, int bold, PangoAlignment align, int rgb,
		 double after)
{
	PangoLayout *l = block(p, s, size, bold, TEXT_W);
	pango_layout_set_alignment(l, align);
	flow(p, l, MARGIN, size * 0.2, rgb);
	g_object_unref(l);
	p->y += after;
}

static void paragraph(struct pdf *p, const char *s)
{
	PangoLayout *l = block(p, s, SZ_BODY, 0, TEXT_W);
	pango_layout_set_justify(l, TRUE);
	flow(p, l, MARGIN, SZ_BODY * 0.3, C_TEXT);
	g_object_unref(l);
	p->y += SZ_BODY * 0.6;
}

/* ---- tables ---- */

struct table {
	json_t *cols, *rows;
	size_t nc;
	double *w;    /* column widths */
	int *numeric; /* right-aligned columns */
	struct buf tmp;
};

/* The natural (one line) width of s, and in *word that of its longest word. */
static double measure(struct pdf *p, const char *s, int bold, double *word)
{
	PangoLayout *l = block(p, s, SZ_CELL, bold, 0);
	double w = width_of(l);
	if (word) {
		*word = 0;
		for (const char *a = s; *a;) {
			size_t n = strcspn(a, " \n\t");
			pango_layout_set_text(l, a, (int)n);
			double ww = width_of(l);
			*word = ww > *word ? ww : *word;
			a += n;
			a += strspn(a, " \n\t");
		}
	}
	g_object_unref(l);
	return w;
}

/* The text of column c of row (the header when row is NULL). */
static const char *cell_of(struct table *t, json_t *row, size_t c)
{
	if (!row)
		return json_string_value(json_object_get(json_array_get(t->cols, c), "label"));
	return doc_cell(json_array_get(row, c), &t->tmp);
}

/* Column widths the way browsers do it: each column gets its one-line width
 * when all fit, and the spare room in proportion; else at least its longest
 * word and the rest in proportion to what it lacks; else words break. */
static void table_widths(struct pdf *p, struct table *t)
{
	double *mx = xcalloc(t->nc, sizeof *mx), *mn = xcalloc(t->nc, sizeof *mn);
	double smx = 0, smn = 0, slack = 0;
	size_t nr = json_array_size(t->rows);
	for (size_t c = 0; c < t->nc; c++) {
		for (size_t r = 0; r <= nr; r++) {
			json_t *row = r ? json_array_get(t->rows, r - 1) : NULL;
			double word, w = measure(p, cell_of(t, row, c), !row, &word) + 2 * PAD_X;
			mx[c] = w > mx[c] ? w : mx[c];
			mn[c] = word + 2 * PAD_X > mn[c] ? word + 2 * PAD_X : mn[c];
		}
		mn[c] = fmin(mn[c], TEXT_W * 0.4);
		smx += mx[c];
		smn += mn[c];
		slack += mx[c] - mn[c];
	}
	for (size_t c = 0; c < t->nc; c++) {
		if (smx <= TEXT_W)
			t->w[c] = mx[c] + (TEXT_W - smx) * mx[c] / smx;
		else if (smn <= TEXT_W)
			t->w[c] =
				mn[c] + (TEXT_W - smn) * (slack > 0 ? (mx[c] - mn[c]) / slack : 0);
		else
			t->w[c] = TEXT_W * mn[c] / smn;
	}
	free(mx);
	free(mn);
}

/* Lays out the cells of row (header when NULL) into ls; returns the row's
 * height. */
static double row_layout(struct pdf *p, struct table *t, json_t *row, PangoLayout **ls)
{
	double h = 0;
	for (size_t c = 0; c < t->nc; c++) {
		ls[c] = block(p, cell_of(t, row, c), SZ_CELL, !row, t->w[c] - 2 * PAD_X);
		if (t->numeric[c])
			pango_layout_set_alignment(ls[c], PANGO_ALIGN_RIGHT);
		double ch = height_of(ls[c]);
		h = ch > h ? ch : h;
	}
	return h + 2 * PAD_Y;
}

static void row_paint(struct pdf *p, struct table *t, PangoLayout **ls, double h, int fill)
{
	double x = MARGIN;
	cairo_set_line_width(p->cr, 0.5);
	for (size_t c = 0; c < t->nc; c++) {
		cairo_rectangle(p->cr, x, p->y, t->w[c], h);
		if (fill) {
			set_rgb(p->cr, fill);
			cairo_fill_preserve(p->cr);
		}
		set_rgb(p->cr, C_RULE);
		cairo_stroke(p->cr);
		set_rgb(p->cr, C_TEXT);
		cairo_move_to(p->cr, x + PAD_X, p->y + PAD_Y);
		pango_cairo_show_layout(p->cr, ls[c]);
		x += t->w[c];
	}
}

static void row_free(struct table *t, PangoLayout **ls)
{
	for (size_t c = 0; c < t->nc; c++)
		g_object_unref(ls[c]);
}

/* Draws one row (the header when row is NULL, index i for the zebra),
 * first breaking the page and repeating the header when it does not fit. */
static void table_row(struct pdf *p, struct table *t, json_t *row, size_t i)
{
	PangoLayout **ls = xcalloc(t->nc, sizeof *ls);
	double h = row_layout(p, t, row, ls);
	if (row && p->y + h > BOTTOM && p->y > MARGIN) {
		page_break(p);
		table_row(p, t, NULL, 0);
	}
	if (p->draw)
		row_paint(p, t, ls, h, !row ? C_HEAD : i % 2 ? C_ZEBRA : 0);
	p->y += h;
	row_free(t, ls);
	free(ls);
}

static void table(struct pdf *p, json_t *tj)
{
	struct table t = {0};
	t.cols = json_object_get(tj, "columns");
	t.rows = json_object_get(tj, "rows");
	t.nc = json_array_size(t.cols);
	t.w = xcalloc(t.nc, sizeof *t.w);
	t.numeric = xcalloc(t.nc, sizeof *t.numeric);
	for (size_t c = 0; c < t.nc; c++)
		t.numeric[c] = doc_col_numeric(t.cols, c);
	table_widths(p, &t);
	/* The header never stays alone at the foot of a page. */
	PangoLayout **ls = xcalloc(t.nc, sizeof *ls);
	double h = row_layout(p, &t, NULL, ls);
	row_free(&t, ls);
	if (json_array_size(t.rows)) {
		h += row_layout(p, &t, json_array_get(t.rows, 0), ls);
		row_free(&t, ls);
	}
	free(ls);
	need(p, h);
	table_row(p, &t, NULL, 0);
	size_t i;
	json_t *row;
	json_array_foreach(t.rows, i, row)
	{
		if (overflowed(p))
			break;
		table_row(p, &t, row, i);
	}
	p->y += SZ_BODY;
	buf_free(&t.tmp);
	free(t.w);
	free(t.numeric);
}

/* ---- the document ---- */

static void chart(struct pdf *p, json_t *c)
{
	need(p, CHART_H);
	if (p->draw)
		chart_draw(p->cr, c, MARGIN, p->y, TEXT_W, CHART_H);
	p->y += CHART_H + SZ_BODY;
}

/* A map, square at the text's width: the same drawing as the SVG's. */
static void map(struct pdf *p, json_t *m)
{
	need(p, TEXT_W);
	struct map_view v;
	struct err e;
	if (p->draw && map_view_build(m, json_is_true(json_object_get(m, "old_units")), &v, &e) == 0)
		map_draw(p->cr, &v, json_string_value(json_object_get(m, "title")), MARGIN, p->y,
			 TEXT_W, TEXT_W);
	p->y += TEXT_W + SZ_BODY;
}

static void section_body(struct pdf *p, json_t *s)
{
	const char *title = json_string_value(json_object_get(s, "title"));
	if (title && *title) {
		p->y += p->y > MARGIN ? SZ_SECTION * 0.5 : 0;
		text(p, title, SZ_SECTION, 1, PANGO_ALIGN_LEFT, C_TEXT, SZ_SECTION * 0.4);
	}
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(s, "paragraphs"), i, v)
	{
		if (overflowed(p))
			return;
		paragraph(p, json_string_value(v));
	}
	if ((v = json_object_get(s, "table")))
		table(p, v);
	if ((v = json_object_get(s, "chart")))
		chart(p, v);
	if ((v = json_object_get(s, "map")))
		map(p, v);
}

/* The height of s on a page of its own, or INFINITY when it needs more. */
static double section_height(const struct pdf *p, json_t *s)
{
	struct pdf q = *p;
	q.draw = 0;
	q.probe = 1;
	q.page = 1;
	q.y = MARGIN + 1; /* as if something came before it */
	section_body(&q, s);
	return q.page == 1 ? q.y - MARGIN - 1 : INFINITY;
}

/* What must follow a section title on its page: a few lines of the first
 * paragraph, the head of the table, or the whole chart. */
static double section_head(struct pdf *p, json_t *s)
{
	const char *title = json_string_value(json_object_get(s, "title"));
	PangoLayout *l = block(p, title ? title : "", SZ_SECTION, 1, TEXT_W);
	double h = height_of(l) + SZ_SECTION;
	g_object_unref(l);
	if (json_array_size(json_object_get(s, "paragraphs")))
		return h + SZ_BODY * 5;
	if (json_object_get(s, "table"))
		return h + SZ_CELL * 6;
	return h + (json_object_get(s, "chart") ? CHART_H : 0);
}

/* A short section is never split (a title alone at the foot of a page, a
 * chart on the next one, reads badly); a long one starts where it is, its
 * title kept with the start of what follows. */
static void section(struct pdf *p, json_t *s, size_t i)
{
	double h = section_height(p, s);
	need(p, h <= (BOTTOM - MARGIN) * 0.6 ? h : section_head(p, s));
	if (!p->draw)
		p->starts[i] = p->page;
	section_body(p, s);
}

/* A line of the title page's contents: the section title, dots, its page. */
static void contents_line(struct pdf *p, const char *title, int page)
{
	char num[16];
	snprintf(num, sizeof num, "%d", page);
	PangoLayout *n = block(p, "000", SZ_BODY, 0, 0);
	/* The same room for any page number, so both passes wrap alike. */
	double nw = width_of(n) + SZ_BODY;
	pango_layout_set_text(n, num, -1);
	PangoLayout *l = block(p, title, SZ_BODY, 0, TEXT_W - nw);
	double h = height_of(l);
	need(p, h);
	if (p->draw) {
		set_rgb(p->cr, C_TEXT);
		cairo_move_to(p->cr, MARGIN, p->y);
		pango_cairo_show_layout(p->cr, l);
		cairo_move_to(p->cr, MARGIN + TEXT_W - width_of(n), p->y + h - height_of(n));
		pango_cairo_show_layout(p->cr, n);
	}
	p->y += h + SZ_BODY * 0.4;
	g_object_unref(l);
	g_object_unref(n);
}

/* The first page: title, subtitle, what the report covers ("about" in
 * doc.h), and the sections with the page each starts on. */
static void title_page(struct pdf *p, json_t *doc)
{
	p->y = MARGIN + (BOTTOM - MARGIN) * 0.18;
	text(p, json_string_value(json_object_get(doc, "title")), SZ_TITLE * 1.3, 1,
	     PANGO_ALIGN_CENTER, C_TEXT, SZ_TITLE * 0.5);
	const char *sub = json_string_value(json_object_get(doc, "subtitle"));
	if (sub && *sub)
		text(p, sub, SZ_SUBTITLE, 0, PANGO_ALIGN_CENTER, C_MUTED, 0);
	p->y += SZ_TITLE * 2;
	json_t *about = json_object_get(doc, "about");
	static const char *const lines[][2] = {{"Phạm vi", "place"},
					       {"Kỳ báo cáo", "period"},
					       {"Đơn vị hành chính", "units_text"},
					       {"Thời điểm lập", "generated"}};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		const char *v = json_string_value(json_object_get(about, lines[i][1]));
		if (!v)
			continue;
		buf_reset(&b);
		buf_printf(&b, "%s: %s%s", lines[i][0], v,
			   i == 3 ? " (giờ Việt Nam)" : "");
		text(p, buf_cstr(&b), SZ_BODY, 0, PANGO_ALIGN_CENTER, C_TEXT, SZ_BODY * 0.3);
	}
	buf_free(&b);
	p->y += SZ_TITLE * 2;
	json_t *secs = json_object_get(doc, "sections"), *s;
	size_t i;
	int any = 0;
	json_array_foreach(secs, i, s)
	{
		const char *t = json_string_value(json_object_get(s, "title"));
		if (!t || !*t)
			continue;
		if (!any++)
			text(p, "Nội dung", SZ_SECTION, 1, PANGO_ALIGN_LEFT, C_TEXT,
			     SZ_SECTION * 0.4);
		contents_line(p, t, p->starts[i]);
	}
	page_break(p);
}

/* ---- the administrative document (Decree 30/2020/NĐ-CP, Appendix I) ---- */

#define SZ_HEAD 11.5 /* header lines, addressees, signer */
#define SZ_MOTTO 12.0

enum { T_BOLD = 1, T_ITALIC = 2 };

/* Draws s centred in the column [x, x + w) at p->y (no page break: the header
 * and the signature are kept whole by their callers); returns its height. */
static double centred(struct pdf *p, const char *s, double size, int style, double x, double w,
		      double y)
{
	PangoLayout *l = block(p, s, size, style & T_BOLD, w);
	if (style & T_ITALIC) {
		PangoFontDescription *fd =
			pango_font_description_copy(pango_layout_get_font_description(l));
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
		pango_layout_set_font_description(l, fd);
		pango_font_description_free(fd);
	}
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	double h = height_of(l);
	if (p->draw) {
		set_rgb(p->cr, C_TEXT);
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, l);
	}
	g_object_unref(l);
	return h;
}

/* A rule of length len centred in [x, x + w) at y. */
static void rule_under(struct pdf *p, double x, double w, double len, double y)
{
	if (!p->draw)
		return;
	set_rgb(p->cr, C_TEXT);
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, x + (w - len) / 2, y);
	cairo_line_to(p->cr, x + (w + len) / 2, y);
	cairo_stroke(p->cr);
}

/* "DỰ THẢO" in a box at the top right of the first page, as drafts are marked. */
static void draft_stamp(struct pdf *p)
{
	PangoLayout *l = block(p, "DỰ THẢO", SZ_HEAD, 1, 0);
	double w = width_of(l), h = height_of(l), x = MARGIN + TEXT_W - w - 6, y = MARGIN * 0.45;
	if (p->draw) {
		cairo_set_source_rgb(p->cr, 0.7, 0.1, 0.1);
		cairo_set_line_width(p->cr, 0.8);
		cairo_rectangle(p->cr, x - 4, y - 2, w + 8, h + 4);
		cairo_stroke(p->cr);
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, l);
	}
	g_object_unref(l);
}

/* The two columns of the header: the bodies and the number on the left, the
 * national name, motto and place and date on the right. */
static void letterhead_top(struct pdf *p, json_t *h)
{
	double lw = TEXT_W * 0.46, rw = TEXT_W * 0.54, rx = MARGIN + lw, y = MARGIN;
	double ly = y + centred(p, doc_letterhead_text(h, "parent_body"), SZ_HEAD - 0.5, 0, MARGIN,
				lw, y);
	ly += centred(p, doc_letterhead_text(h, "issuing_body"), SZ_HEAD, T_BOLD, MARGIN, lw, ly) +
	      2;
	rule_under(p, MARGIN, lw, lw / 3, ly);
	ly += 6;
	ly += centred(p, doc_letterhead_text(h, "number"), SZ_HEAD, 0, MARGIN, lw, ly);
	double ry = y + centred(p, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SZ_HEAD, T_BOLD, rx, rw, y);
	PangoLayout *m = block(p, "Độc lập - Tự do - Hạnh phúc", SZ_MOTTO, 1, 0);
	double mw = width_of(m);
	g_object_unref(m);
	ry += centred(p, "Độc lập - Tự do - Hạnh phúc", SZ_MOTTO, T_BOLD, rx, rw, ry) + 2;
	rule_under(p, rx, rw, mw, ry);
	ry += 6;
	ry += centred(p, doc_letterhead_text(h, "place_date"), SZ_HEAD, T_ITALIC, rx, rw, ry);
	p->y = (ly > ry ? ly : ry) + SZ_HEAD * 2;
	if (p->draft)
		draft_stamp(p);
}

/* The first page's head: header, kind and summary, "Kính gửi". */
static void letterhead_page(struct pdf *p, json_t *h)
{
	letterhead_top(p, h);
	p->y += centred(p, doc_letterhead_text(h, "kind"), SZ_SECTION, T_BOLD, MARGIN, TEXT_W,
			p->y);
	p->y += centred(p, doc_letterhead_text(h, "summary"), SZ_HEAD, T_BOLD, MARGIN, TEXT_W,
			p->y) +
		5;
	rule_under(p, MARGIN, TEXT_W, TEXT_W / 5, p->y);
	p->y += SZ_HEAD * 1.2;
	json_t *to = json_object_get(h, "addressee");
	struct buf b = BUF_INIT;
	size_t i;
	json_t *t;
	json_array_foreach(to, i, t)
	{
		buf_reset(&b);
		if (json_array_size(to) == 1)
			buf_printf(&b, "Kính gửi: %s", json_string_value(t));
		else
			buf_printf(&b, "%s- %s;", i ? "" : "Kính gửi:\n", json_string_value(t));
		p->y += centred(p, buf_cstr(&b), SZ_HEAD, 0, MARGIN, TEXT_W, p->y);
	}
	buf_free(&b);
	p->y += SZ_HEAD;
}

/* "Nơi nhận" on the left, the signer on the right, kept on one page. */
static void letterhead_end(struct pdf *p, json_t *h)
{
	double lw = TEXT_W * 0.45, rw = TEXT_W * 0.55, rx = MARGIN + lw;
	json_t *to = json_object_get(h, "recipients");
	need(p, SZ_HEAD * (6 + json_array_size(to)));
	p->y += SZ_HEAD;
	double y = p->y;
	struct buf b = BUF_INIT;
	size_t i;
	json_t *t;
	json_array_foreach(to, i, t) buf_printf(&b, "%s- %s", i ? "\n" : "", json_string_value(t));
	PangoLayout *l = block(p, "Nơi nhận:", SZ_BODY, 1, lw);
	double hh = height_of(l);
	if (p->draw) {
		PangoFontDescription *fd =
			pango_font_description_copy(pango_layout_get_font_description(l));
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
		pango_layout_set_font_description(l, fd);
		pango_font_description_free(fd);
		set_rgb(p->cr, C_TEXT);
		cairo_move_to(p->cr, MARGIN, y);
		pango_cairo_show_layout(p->cr, l);
	}
	g_object_unref(l);
	l = block(p, buf_cstr(&b), SZ_NOTE + 0.5, 0, lw);
	if (p->draw && json_array_size(to)) {
		cairo_move_to(p->cr, MARGIN, y + hh);
		pango_cairo_show_layout(p->cr, l);
	}
	double left = hh + (json_array_size(to) ? height_of(l) : 0);
	g_object_unref(l);
	buf_free(&b);
	double ry = y;
	if (*doc_letterhead_text(h, "signer_authority"))
		ry += centred(p, doc_letterhead_text(h, "signer_authority"), SZ_HEAD, T_BOLD, rx,
			      rw, ry);
	ry += centred(p, doc_letterhead_text(h, "signer_title"), SZ_HEAD, T_BOLD, rx, rw, ry);
	ry += SZ_HEAD * 5; /* the signature and the seal */
	ry += centred(p, doc_letterhead_text(h, "signer_name"), SZ_HEAD, T_BOLD, rx, rw, ry);
	p->y = (y + left > ry ? y + left : ry) + SZ_HEAD;
}

static void notes(struct pdf *p, json_t *ns)
{
	if (!json_array_size(ns))
		return;
	need(p, SZ_NOTE * 6);
	p->y += SZ_NOTE;
	if (p->draw) {
		set_rgb(p->cr, C_RULE);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, MARGIN, p->y);
		cairo_line_to(p->cr, MARGIN + TEXT_W / 3, p->y);
		cairo_stroke(p->cr);
	}
	p->y += SZ_NOTE * 0.6;
	text(p, "Nguồn", SZ_NOTE, 1, PANGO_ALIGN_LEFT, C_MUTED, SZ_NOTE * 0.2);
	size_t i;
	json_t *n;
	json_array_foreach(ns, i, n)
		text(p, json_string_value(n), SZ_NOTE, 0, PANGO_ALIGN_LEFT, C_MUTED, SZ_NOTE * 0.2);
}

/* Lays the whole document out (and draws it when p->draw); returns the
 * number of pages. */
static int render(struct pdf *p, json_t *doc)
{
	p->page = 1;
	json_t *head = json_object_get(doc, "letterhead");
	p->draft = head && json_is_true(json_object_get(head, "draft"));
	if (head)
		letterhead_page(p, head);
	else
		title_page(p, doc);
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		section(p, s, i);
	}
	if (head)
		letterhead_end(p, head);
	notes(p, json_object_get(doc, "notes"));
	page_end(p);
	return p->page;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int doc_pdf(json_t *doc, struct buf *out, struct err *e)
{
	int rc = doc_check(doc, e);
	if (rc)
		return rc;
	size_t start = out->len;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       json_string_value(json_object_get(doc, "title")));
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "khuyencong");
	struct pdf p = {0};
	p.cr = cairo_create(s);
	p.pc = chart_pango_context(p.cr);
	p.starts = xcalloc(json_array_size(json_object_get(doc, "sections")) + 1, sizeof *p.starts);
	/* Two passes: the first counts the pages for "Trang N/M"; layout is
	 * deterministic (unhinted metrics), so the second breaks the same way. */
	p.pages = render(&p, doc);
	p.draw = 1;
	render(&p, doc);
	g_object_unref(p.pc);
	free(p.starts);
	cairo_status_t st = cairo_status(p.cr);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		out->len = start;
		if (out->data)
			out->data[start] = 0;
		return err_set(e, ERR_IO, "", "cannot write the PDF: %s",
			       cairo_status_to_string(st));
	}
	return 0;
}
