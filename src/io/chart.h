/* chart.h - the one drawing code of report charts, shared by the SVG and PNG
 * renderers (chart.c) and the PDF (doc_pdf.c), so a chart looks the same on
 * screen and on paper. The chart model is described in io/doc.h. */
#ifndef KC_CHART_H
#define KC_CHART_H

#include "core/buf.h"
#include "core/err.h"

#include <cairo.h>
#include <jansson.h>
#include <pango/pangocairo.h>

/* The font of every report text; Noto Sans and DejaVu Sans both carry the
 * Vietnamese letters (fonts-noto-core, fonts-dejavu-core). */
#define CHART_FONT "Noto Sans,DejaVu Sans"

/* Checks chart against the model of io/doc.h: an object whose "kind" is
 * "bar", "hbar" or "progress", "labels" an array of strings, "values" (and
 * for "progress" "targets") an array of numbers or nulls, "title" and "unit"
 * strings when present. Empty arrays are valid (drawn as "Không có số liệu").
 * field is the name of chart in the caller's input ("sections[2].chart"), used
 * as the prefix of e->field. Returns 0, or ERR_INVALID with e filled. */
int chart_check(json_t *chart, const char *field, struct err *e);

/* Draws chart into the rectangle (x, y, w, h) of cr, in cr's user units
 * (points on a PDF surface, pixels on an image). Font sizes follow the size
 * of the rectangle, so a chart keeps its proportions at any size; a chart
 * with "text_size" uses that base size instead and sets no text smaller than
 * 0.85 of it (crowded bars then label every few bars). Text is set with
 * pango. Never fails: a chart that chart_check() refuses is drawn as a short
 * message instead, and empty data as "Không có số liệu". cr's state (path,
 * source, current point) is saved and restored. Returns the size of the
 * smallest text drawn, in user units (INFINITY when none). */
double chart_draw(cairo_t *cr, json_t *chart, double x, double y, double w, double h);

/* chart_svg() (io/doc.h) that also stores the size of its smallest text, in
 * pixels of the SVG, in *smallest (when not NULL): what a page needs to know
 * that the chart stays readable at the size it shows it. */
int chart_svg_text(json_t *chart, double width, double height, struct buf *out, double *smallest,
		   struct err *e);

/* A pango context for drawing on cr with the settings every report uses:
 * unhinted metrics and unrounded glyph positions, so text takes the same room
 * on a PDF, an SVG and a PNG. Caller releases it with g_object_unref(). */
PangoContext *chart_pango_context(cairo_t *cr);

/* A layout in ctx with the report font at an absolute size (user units),
 * bold when bold is set. Caller releases it with g_object_unref(). */
PangoLayout *chart_layout(PangoContext *ctx, double size, int bold);

/* Appends v formatted the Vietnamese way with at most `decimals` decimals
 * (0..6), trailing zeros dropped: 9590 -> "9.590", 24.7 -> "24,7",
 * -1250.5 -> "-1.250,5". Values beyond +-1e15 are written with an exponent. */
void chart_fmt_number(struct buf *b, double v, int decimals);

#endif
