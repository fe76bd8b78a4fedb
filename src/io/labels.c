/* labels.c - the A4 label sheet of a lot: QR codes from qr.c, text set with
 * pango in the report font (chart.h), so Vietnamese names print right. */
#include "io/labels.h"

#include "io/chart.h"
#include "io/qr.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <string.h>

#define MM (72.0 / 25.4) /* points per millimetre */
#define PAGE_W_MM 210.0
#define PAGE_H_MM 297.0
#define MARGIN_MM 10.0
#define PAD_MM 2.5

struct grid {
	double qr, font; /* code side and font size, in points */
	double cell_w, cell_h;
	int cols, rows;
	double x0, y0; /* top left of the grid, centred on the page */
};

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void grid_of(int qr_mm, struct grid *g)
{
	g->qr = qr_mm * MM;
	g->font = clampd(qr_mm * 0.22, 6.0, 10.0); /* points */
	/* Two lines of name and one of lot code under the code. */
	double text_h = 3 * g->font * 1.3;
	g->cell_w = g->qr + 2 * PAD_MM * MM;
	g->cell_h = g->qr + text_h + 2 * PAD_MM * MM;
	double avail_w = (PAGE_W_MM - 2 * MARGIN_MM) * MM,
	       avail_h = (PAGE_H_MM - 2 * MARGIN_MM) * MM;
	g->cols = (int)((avail_w + 0.01) / g->cell_w);
	g->rows = (int)((avail_h + 0.01) / g->cell_h);
	g->x0 = (PAGE_W_MM * MM - g->cols * g->cell_w) / 2;
	g->y0 = MARGIN_MM * MM;
}

int labels_per_page(int qr_mm)
{
	if (qr_mm < LABEL_QR_MIN_MM || qr_mm > LABEL_QR_MAX_MM)
		return 0;
	struct grid g;
	grid_of(qr_mm, &g);
	return g.cols * g.rows;
}

static void text_line(cairo_t *cr, PangoContext *pc, const char *s, double x, double y, double w,
		      double size, int bold, int lines)
{
	PangoLayout *l = chart_layout(pc, size, bold);
	pango_layout_set_text(l, s ? s : "", -1);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_height(l, -lines); /* at most `lines` lines, then "…" */
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

static void cut_lines(cairo_t *cr, double x, double y, const struct grid *g)
{
	static const double dash[] = {2.0, 2.0};
	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
	cairo_set_line_width(cr, 0.3);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_rectangle(cr, x, y, g->cell_w, g->cell_h);
	cairo_stroke(cr);
	cairo_restore(cr);
}

static int one_label(cairo_t *cr, PangoContext *pc, const struct label_sheet *ls,
		     const struct grid *g, double x, double y, struct err *e)
{
	cut_lines(cr, x, y, g);
	double pad = PAD_MM * MM;
	if (qr_draw(cr, ls->url, x + pad, y + pad, g->qr, e) < 0)
		return ERR_INVALID;
	cairo_set_source_rgb(cr, 0, 0, 0);
	double ty = y + pad + g->qr;
	text_line(cr, pc, ls->product, x + pad, ty, g->qr, g->font, 1, 2);
	char lot[64];
	snprintf(lot, sizeof lot, "Lô / Lot: %s", ls->lot ? ls->lot : "");
	text_line(cr, pc, lot, x + pad, ty + 2 * g->font * 1.3, g->qr, g->font, 0, 1);
	return 0;
}

static int draw_sheets(cairo_t *cr, const struct label_sheet *ls, const struct grid *g,
		       struct err *e)
{
	PangoContext *pc = chart_pango_context(cr);
	int per_page = g->cols * g->rows, rc = 0;
	for (int i = 0; i < ls->count && rc == 0; i++) {
		int k = i % per_page;
		if (i > 0 && k == 0)
			cairo_show_page(cr);
		rc = one_label(cr, pc, ls, g, g->x0 + (k % g->cols) * g->cell_w,
			       g->y0 + (k / g->cols) * g->cell_h, e);
	}
	cairo_show_page(cr);
	g_object_unref(pc);
	return rc;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int labels_pdf(const struct label_sheet *ls, struct buf *out, struct err *e)
{
	if (!labels_per_page(ls->qr_mm))
		return err_set(e, ERR_INVALID, "size",
			       "Cỡ mã QR từ %d đến %d mm / the code size is %d..%d mm",
			       LABEL_QR_MIN_MM, LABEL_QR_MAX_MM, LABEL_QR_MIN_MM, LABEL_QR_MAX_MM);
	if (ls->count < 1 || ls->count > LABEL_COUNT_MAX)
		return err_set(e, ERR_INVALID, "count", "Số nhãn từ 1 đến %d / 1..%d labels",
			       LABEL_COUNT_MAX, LABEL_COUNT_MAX);
	if (!ls->url || !*ls->url || strlen(ls->url) > QR_TEXT_MAX)
		return err_set(e, ERR_INVALID, "url",
			       "Địa chỉ của mã không dùng được / unusable URL");
	struct grid g;
	grid_of(ls->qr_mm, &g);
	size_t start = out->len;
	cairo_surface_t *s =
		cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W_MM * MM, PAGE_H_MM * MM);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, ls->product ? ls->product : "");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "khuyencong");
	cairo_t *cr = cairo_create(s);
	int rc = draw_sheets(cr, ls, &g, e);
	cairo_status_t cs = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (cs == CAIRO_STATUS_SUCCESS)
		cs = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (rc == 0 && cs != CAIRO_STATUS_SUCCESS)
		rc = err_set(e, ERR_IO, "", "cannot write the PDF: %s", cairo_status_to_string(cs));
	if (rc < 0)
		out->len = start;
	return rc;
}
