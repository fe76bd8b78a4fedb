/* chart.c - report charts (bars, horizontal bars, progress toward targets)
 * drawn with cairo and pango on any surface, and their SVG and PNG renderers.
 * The PDF calls chart_draw() too, so screen and paper show the same chart. */
#include "io/chart.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "io/doc.h"

#include <cairo-svg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum kind { K_BAR, K_HBAR, K_PROGRESS };

static const char *const kind_names[] = {"bar", "hbar", "progress"};

struct point {
	const char *label;
	double value, target;
	int has_value, has_target;
};

/* A chart read from its JSON, with what drawing needs along. */
struct chart {
	enum kind kind;
	const char *title; /* "" when none */
	const char *unit;  /* "" when none */
	struct point *pts;
	size_t n;
	double div;	  /* values are written divided by div ... */
	const char *mult; /* ... and the axis title says so: "", "triệu", "tỷ" */
	double fs;	  /* base font size in user units */
	double floor;	  /* no text smaller than this (3 unless "text_size" says) */
	double smallest;  /* the smallest text drawn */
	int integer;	  /* counts: no tick between whole numbers */
	int en;		  /* "lang": "en": the chart's own words in English */
	cairo_t *cr;
	PangoContext *pc;
};

/* Colours, 0xRRGGBB. */
enum {
	C_TEXT = 0x222222,
	C_MUTED = 0x666666,
	C_GRID = 0xdddddd,
	C_AXIS = 0x555555,
	C_BAR = 0x3b6ea8,
	C_DONE = 0x2f8f5b,
	C_TRACK = 0xe4e9f0,
};

/* ---- the model ---- */

static int kind_of(const char *s)
{
	for (int i = 0; s && i < (int)(sizeof kind_names / sizeof *kind_names); i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

static int refuse(struct err *e, const char *field, const char *key, const char *msg)
{
	char f[128]; /* err_set keeps what fits */
	snprintf(f, sizeof f, "%s%s%s", field ? field : "", field && *field ? "." : "", key);
	return err_set(e, ERR_INVALID, f, "%s", msg);
}

/* Checks that a (when present) is an array of strings (numbers when
 * numbers is set, which also admit null). */
static int check_array(json_t *a, int numbers, const char *field, const char *key, struct err *e)
{
	if (!a)
		return 0;
	if (!json_is_array(a))
		return refuse(e, field, key, "must be an array");
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		int ok = numbers ? json_is_number(v) || json_is_null(v) : json_is_string(v);
		if (!ok)
			return refuse(e, field, key,
				      numbers ? "must hold numbers (or null)"
					      : "must hold strings");
	}
	return 0;
}

static int check_string(json_t *s, const char *field, const char *key, struct err *e)
{
	return s && !json_is_string(s) ? refuse(e, field, key, "must be a string") : 0;
}

int chart_check(json_t *chart, const char *field, struct err *e)
{
	if (!json_is_object(chart))
		return err_set(e, ERR_INVALID, field ? field : "", "a chart must be a JSON object");
	if (kind_of(json_string_value(json_object_get(chart, "kind"))) < 0)
		return refuse(e, field, "kind", "the chart kind must be bar, hbar or progress");
	int rc = check_string(json_object_get(chart, "title"), field, "title", e);
	if (!rc)
		rc = check_string(json_object_get(chart, "unit"), field, "unit", e);
	if (!rc)
		rc = check_array(json_object_get(chart, "labels"), 0, field, "labels", e);
	if (!rc)
		rc = check_array(json_object_get(chart, "values"), 1, field, "values", e);
	if (!rc)
		rc = check_array(json_object_get(chart, "targets"), 1, field, "targets", e);
	json_t *ts = json_object_get(chart, "text_size"), *in = json_object_get(chart, "integer");
	if (!rc && ts &&
	    !(json_is_number(ts) && json_number_value(ts) >= 6 && json_number_value(ts) <= 32))
		rc = refuse(e, field, "text_size", "must be a number from 6 to 32");
	if (!rc && in && !json_is_boolean(in))
		rc = refuse(e, field, "integer", "must be true or false");
	if (!rc)
		rc = check_string(json_object_get(chart, "lang"), field, "lang", e);
	return rc;
}

static const char *str_or_empty(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* Reads a checked chart; c->pts is malloc'd (free it). */
static void chart_load(struct chart *c, json_t *chart)
{
	json_t *labels = json_object_get(chart, "labels");
	json_t *values = json_object_get(chart, "values");
	json_t *targets = json_object_get(chart, "targets");
	c->kind = (enum kind)kind_of(json_string_value(json_object_get(chart, "kind")));
	c->title = str_or_empty(chart, "title");
	c->unit = str_or_empty(chart, "unit");
	c->integer = json_is_true(json_object_get(chart, "integer"));
	c->en = !strcmp(str_or_empty(chart, "lang"), "en");
	c->n = json_array_size(labels);
	if (json_array_size(values) > c->n)
		c->n = json_array_size(values);
	c->pts = xcalloc(c->n ? c->n : 1, sizeof *c->pts);
	for (size_t i = 0; i < c->n; i++) {
		struct point *p = &c->pts[i];
		const char *l = json_string_value(json_array_get(labels, i));
		json_t *v = json_array_get(values, i), *t = json_array_get(targets, i);
		p->label = l ? l : "";
		p->has_value = json_is_number(v);
		p->value = p->has_value ? json_number_value(v) : 0;
		p->has_target = json_is_number(t);
		p->target = p->has_target ? json_number_value(t) : 0;
	}
}

static int has_data(const struct chart *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->pts[i].has_value)
			return 1;
	return 0;
}

/* Large values are written in triệu or tỷ, with the word in the axis title,
 * so that 7 300 000 000 000 đồng reads "7.300" on an axis of "tỷ đồng". */
static void pick_multiplier(struct chart *c)
{
	double m = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->pts[i].has_value && fabs(c->pts[i].value) > m)
			m = fabs(c->pts[i].value);
	c->div = 1;
	c->mult = "";
	if (c->kind == K_PROGRESS)
		return;
	if (m >= 1e9) {
		c->div = 1e9;
		c->mult = "tỷ";
	} else if (m >= 1e7) {
		c->div = 1e6;
		c->mult = "triệu";
	}
	if (c->en && *c->mult)
		c->mult = c->div == 1e9 ? "billion" : "million";
}

/* ---- numbers ---- */

void chart_fmt_number(struct buf *b, double v, int decimals)
{
	decimals = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
	if (!isfinite(v) || fabs(v) >= 1e15) {
		char tmp[32];
		snprintf(tmp, sizeof tmp, "%.3g", v);
		for (char *p = tmp; *p; p++)
			buf_putc(b, *p == '.' ? ',' : *p);
		return;
	}
	double scaled = round(v * pow(10, decimals));
	if (fabs(scaled) >= 9e18) { /* too many decimals for int64: drop them */
		scaled = round(v);
		decimals = 0;
	}
	vtext_fmt_decimal(b, (int64_t)scaled, decimals, decimals);
}

/* v as written on the chart: divided by c->div, at most 2 decimals. */
static void fmt_value(const struct chart *c, struct buf *b, double v)
{
	chart_fmt_number(b, v / c->div, 2);
}

static void fmt_percent(struct buf *b, double share)
{
	chart_fmt_number(b, share * 100, 1);
	buf_putc(b, '%');
}

/* An axis from lo to hi in steps of step: round numbers, 1, 2 or 5 times a
 * power of ten, with about nmax steps; always includes zero. */
struct axis {
	double lo, hi, step;
	int decimals;
};

static void axis_fit(struct axis *a, double lo, double hi, int nmax, int integer)
{
	lo = lo > 0 ? 0 : lo;
	hi = hi < 0 ? 0 : hi;
	if (hi - lo <= 0)
		hi = lo + 1;
	nmax = nmax < 1 ? 1 : nmax;
	double raw = (hi - lo) / nmax, mag = pow(10, floor(log10(raw))), f = raw / mag;
	double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
	if (integer && step < 1) /* counts: no tick at 0,2 */
		step = 1;
	a->lo = floor(lo / step + 1e-9) * step;
	a->hi = ceil(hi / step - 1e-9) * step;
	a->step = step;
	a->decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
}

static int axis_ticks(const struct axis *a)
{
	return (int)floor((a->hi - a->lo) / a->step + 0.5) + 1;
}

static double axis_tick(const struct axis *a, int i)
{
	double t = a->lo + i * a->step;
	return fabs(t) < a->step * 1e-9 ? 0 : t; /* no "-0" */
}

/* Where v falls between p0 (at a->lo) and p1 (at a->hi). */
static double axis_map(const struct axis *a, double v, double p0, double p1)
{
	return p0 + (v - a->lo) / (a->hi - a->lo) * (p1 - p0);
}

/* ---- text and shapes ---- */

PangoContext *chart_pango_context(cairo_t *cr)
{
	PangoContext *pc = pango_cairo_create_context(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(pc, FALSE);
	pango_context_set_language(pc, pango_language_from_string("vi"));
	return pc;
}

PangoLayout *chart_layout(PangoContext *ctx, double size, int bold)
{
	PangoLayout *l = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_from_string(CHART_FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	return l;
}

static void set_rgb(cairo_t *cr, int rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
			     (rgb & 0xff) / 255.0);
}

/* A one-line layout of s, cut with "…" when wider than maxw (0: no limit). */
static PangoLayout *line(struct chart *c, const char *s, double size, int bold, double maxw)
{
	if (size < c->floor)
		size = c->floor;
	if (*s && size < c->smallest)
		c->smallest = size;
	PangoLayout *l = chart_layout(c->pc, size, bold);
	pango_layout_set_text(l, s, -1);
	pango_layout_set_single_paragraph_mode(l, TRUE);
	if (maxw > 0) {
		pango_layout_set_width(l, (int)(maxw * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	return l;
}

static double text_w(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return r.width / (double)PANGO_SCALE;
}

static double text_h(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return r.height / (double)PANGO_SCALE;
}

/* Draws l so that the point (ax, ay) of its box (0 left/top, 0.5 centre,
 * 1 right/bottom) lands on (x, y); then releases l. */
static void put(struct chart *c, PangoLayout *l, double x, double y, double ax, double ay, int rgb)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	double w = r.width / (double)PANGO_SCALE, h = r.height / (double)PANGO_SCALE;
	set_rgb(c->cr, rgb);
	cairo_move_to(c->cr, x - ax * w - r.x / (double)PANGO_SCALE,
		      y - ay * h - r.y / (double)PANGO_SCALE);
	pango_cairo_show_layout(c->cr, l);
	g_object_unref(l);
}

/* The width of the widest value (or share, when percent) as c writes it. */
static double widest_value(struct chart *c, double size, int percent)
{
	double m = 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < c->n; i++) {
		const struct point *p = &c->pts[i];
		buf_reset(&b);
		if (percent && p->has_value && p->has_target && p->target > 0)
			fmt_percent(&b, p->value / p->target);
		else if (!percent && p->has_value)
			fmt_value(c, &b, p->value);
		else
			buf_puts(&b, "—");
		PangoLayout *l = line(c, buf_cstr(&b), size, 0, 0);
		double w = text_w(l);
		g_object_unref(l);
		m = w > m ? w : m;
	}
	buf_free(&b);
	return m;
}

static double widest_label(struct chart *c, double size)
{
	double m = 0;
	for (size_t i = 0; i < c->n; i++) {
		PangoLayout *l = line(c, c->pts[i].label, size, 0, 0);
		double w = text_w(l);
		g_object_unref(l);
		m = w > m ? w : m;
	}
	return m;
}

static void rect(cairo_t *cr, double x0, double y0, double x1, double y1, int rgb)
{
	set_rgb(cr, rgb);
	cairo_rectangle(cr, fmin(x0, x1), fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0));
	cairo_fill(cr);
}

static void rule(cairo_t *cr, double x0, double y0, double x1, double y1, double width, int rgb)
{
	set_rgb(cr, rgb);
	cairo_set_line_width(cr, width);
	cairo_move_to(cr, x0, y0);
	cairo_line_to(cr, x1, y1);
	cairo_stroke(cr);
}

/* ---- the parts every kind shares ---- */

/* The title and the axis title at the top of (x, *y, w); moves *y below them. */
static void draw_head(struct chart *c, double x, double *y, double w)
{
	if (*c->title) {
		PangoLayout *l = line(c, c->title, c->fs * 1.2, 1, w);
		double h = text_h(l);
		put(c, l, x, *y, 0, 0, C_TEXT);
		*y += h + c->fs * 0.2;
	}
	struct buf b = BUF_INIT;
	if (c->kind == K_PROGRESS)
		buf_puts(&b, c->en ? "Share of the target reached (%)"
				   : "Tỷ lệ thực hiện so với mục tiêu (%)");
	else if (*c->mult || *c->unit)
		buf_printf(&b, "%s%s%s%s", c->en ? "Unit: " : "Đơn vị: ", c->mult,
			   *c->mult && *c->unit ? " " : "", c->unit);
	if (b.len) {
		PangoLayout *l = line(c, buf_cstr(&b), c->fs * 0.9, 0, w);
		double h = text_h(l);
		put(c, l, x, *y, 0, 0, C_MUTED);
		*y += h + c->fs * 0.5;
	}
	buf_free(&b);
}

static void draw_message(struct chart *c, const char *msg, double x, double y, double w, double h)
{
	PangoLayout *l = line(c, msg, c->fs * 1.1, 0, w);
	put(c, l, x + w / 2, y + h / 2, 0.5, 0.5, C_MUTED);
}

/* Tick labels along a horizontal axis at y (below the plot of hbar and
 * progress); percent writes the ticks as shares. */
static void draw_xticks(struct chart *c, const struct axis *a, double x0, double x1, double top,
			double bottom, int percent)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < axis_ticks(a); i++) {
		double t = axis_tick(a, i), px = axis_map(a, t, x0, x1);
		rule(c->cr, px, top, px, bottom, 0.6, t == 0 ? C_AXIS : C_GRID);
		buf_reset(&b);
		if (percent)
			fmt_percent(&b, t);
		else
			chart_fmt_number(&b, t, a->decimals);
		put(c, line(c, buf_cstr(&b), c->fs * 0.85, 0, 0), px, bottom + c->fs * 0.25, 0.5, 0,
		    C_MUTED);
	}
	buf_free(&b);
}

/* The widest tick label of a when written with size. */
static double widest_tick(struct chart *c, const struct axis *a, double size, int percent)
{
	double m = 0;
	struct buf b = BUF_INIT;
	for (int i = 0; i < axis_ticks(a); i++) {
		buf_reset(&b);
		if (percent)
			fmt_percent(&b, axis_tick(a, i));
		else
			chart_fmt_number(&b, axis_tick(a, i), a->decimals);
		PangoLayout *l = line(c, buf_cstr(&b), size, 0, 0);
		double w = text_w(l);
		g_object_unref(l);
		m = w > m ? w : m;
	}
	buf_free(&b);
	return m;
}

static void value_range(const struct chart *c, double *lo, double *hi)
{
	*lo = 0;
	*hi = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->pts[i].has_value) {
			double v = c->pts[i].value / c->div;
			*lo = v < *lo ? v : *lo;
			*hi = v > *hi ? v : *hi;
		}
}

/* A horizontal value axis over [x0, x1] with as many ticks as fit. */
static void fit_xaxis(struct chart *c, struct axis *a, double lo, double hi, double x0, double x1)
{
	for (int nmax = 8; nmax >= 1; nmax--) {
		axis_fit(a, lo, hi, nmax, c->integer);
		double tw = widest_tick(c, a, c->fs * 0.85, 0) + c->fs;
		if (tw * axis_ticks(a) <= (x1 - x0) * 1.1)
			return;
	}
}

/* ---- vertical bars ---- */

static void bar_values(struct chart *c, const struct axis *a, double pl, double slot, double pt,
		       double pb)
{
	double size = c->fs * 0.85;
	if (widest_value(c, size, 0) > slot * 0.98)
		size = fmax(c->fs * 0.7, c->floor);
	if (widest_value(c, size, 0) > slot * 0.98)
		return; /* too many bars for their numbers: the axis tells */
	struct buf b = BUF_INIT;
	double zero = axis_map(a, 0, pb, pt);
	for (size_t i = 0; i < c->n; i++) {
		const struct point *p = &c->pts[i];
		double cx = pl + slot * (i + 0.5);
		buf_reset(&b);
		if (!p->has_value) {
			put(c, line(c, "—", size, 0, 0), cx, zero - 2, 0.5, 1, C_MUTED);
			continue;
		}
		fmt_value(c, &b, p->value);
		double py = axis_map(a, p->value / c->div, pb, pt);
		int below = p->value < 0;
		put(c, line(c, buf_cstr(&b), size, 0, 0), cx, below ? py + 2 : py - 2, 0.5,
		    below ? 0 : 1, C_TEXT);
	}
	buf_free(&b);
}

/* The plot of a vertical bar chart and how its category labels are set. */
struct vplot {
	struct axis a;
	double pl, pr, pt, pb; /* the plot */
	double slot;	       /* width of one category */
	double lsize;	       /* font size of the category labels */
	double lmax;	       /* their longest length when slanted, else 0 */
	size_t every;	       /* a label under every `every`-th bar (crowded: not all) */
};

/* Lays the plot out above a label band of height band. */
static void vplot_fit(struct chart *c, struct vplot *v, double x, double y, double w, double h,
		      double band)
{
	PangoLayout *probe = line(c, "Ag", c->fs * 0.9, 0, 0);
	double lh = text_h(probe);
	g_object_unref(probe);
	double lo, hi;
	value_range(c, &lo, &hi);
	v->pt = y + lh * 1.2;
	v->pb = y + h - band - c->fs * 0.3 - (lo < 0 ? lh : 0); /* numbers under negative bars */
	int nmax = (int)((v->pb - v->pt) / (c->fs * 2.5));
	axis_fit(&v->a, lo, hi, nmax < 2 ? 2 : nmax > 8 ? 8 : nmax, c->integer);
	v->pl = x + widest_tick(c, &v->a, c->fs * 0.85, 0) + c->fs * 0.5;
	v->pr = x + w - c->fs * 0.2;
	v->slot = (v->pr - v->pl) / (double)c->n;
}

/* Labels that do not fit under their bars are slanted at 45 degrees, cut
 * to at most a third of the chart's height. */
static void vplot_layout(struct chart *c, struct vplot *v, double x, double y, double w, double h)
{
	v->lsize = c->fs * 0.9;
	PangoLayout *probe = line(c, "Ag", v->lsize, 0, 0);
	double lh = text_h(probe);
	g_object_unref(probe);
	vplot_fit(c, v, x, y, w, h, lh);
	v->lmax = 0;
	v->every = 1;
	double wl = widest_label(c, v->lsize);
	if (wl <= v->slot * 0.96)
		return;
	/* Slanted lines sit slot * sin 45 apart: shrink the font to fit, down
	 * to the smallest readable size; below it, label every few bars. */
	double fit = v->slot * M_SQRT1_2 * 0.85;
	v->lsize = fmax(fmin(v->lsize, fit), fmax(c->floor, 3));
	if (v->lsize > fit)
		v->every = (size_t)ceil(v->lsize / fit);
	wl = widest_label(c, v->lsize);
	v->lmax = fmin(wl + 1, h / 3 * M_SQRT2);
	vplot_fit(c, v, x, y, w, h, (v->lmax + lh) * M_SQRT1_2);
}

static void bar_label(struct chart *c, const struct vplot *v, size_t i, double bottom)
{
	if (i % v->every)
		return;
	double cx = v->pl + v->slot * (i + 0.5);
	if (!v->lmax) {
		put(c, line(c, c->pts[i].label, v->lsize, 0, v->slot * 0.96), cx, bottom, 0.5, 1,
		    C_TEXT);
		return;
	}
	/* Reads upward to the right and ends under its bar. */
	PangoLayout *l = line(c, c->pts[i].label, v->lsize, 0, v->lmax);
	cairo_save(c->cr);
	cairo_translate(c->cr, cx, v->pb + c->fs * 0.4);
	cairo_rotate(c->cr, -M_PI / 4);
	put(c, l, 0, 0, 1, 0.5, C_TEXT);
	cairo_restore(c->cr);
}

static void draw_bar(struct chart *c, double x, double y, double w, double h)
{
	struct vplot v;
	vplot_layout(c, &v, x, y, w, h);
	struct buf b = BUF_INIT;
	for (int i = 0; i < axis_ticks(&v.a); i++) {
		double t = axis_tick(&v.a, i), py = axis_map(&v.a, t, v.pb, v.pt);
		rule(c->cr, v.pl, py, v.pr, py, 0.6, t == 0 ? C_AXIS : C_GRID);
		buf_reset(&b);
		chart_fmt_number(&b, t, v.a.decimals);
		put(c, line(c, buf_cstr(&b), c->fs * 0.85, 0, 0), v.pl - c->fs * 0.3, py, 1, 0.5,
		    C_MUTED);
	}
	buf_free(&b);
	double bw = fmin(v.slot * 0.65, c->fs * 6), zero = axis_map(&v.a, 0, v.pb, v.pt);
	for (size_t i = 0; i < c->n; i++) {
		const struct point *p = &c->pts[i];
		double cx = v.pl + v.slot * (i + 0.5);
		if (p->has_value && p->value != 0)
			rect(c->cr, cx - bw / 2, zero, cx + bw / 2,
			     axis_map(&v.a, p->value / c->div, v.pb, v.pt), C_BAR);
		bar_label(c, &v, i, y + h);
	}
	bar_values(c, &v.a, v.pl, v.slot, v.pt, v.pb);
}

/* ---- horizontal bars and progress rows ---- */

/* The rows of hbar and progress: label column, plot, value column. */
struct rows {
	double pl, pr, pt, pb; /* the plot */
	double slot, thick;    /* height of a row, thickness of a bar */
	double size;	       /* font size of labels and values */
};

static void rows_fit(struct chart *c, struct rows *r, double x, double y, double w, double h,
		     double left_extra)
{
	PangoLayout *probe = line(c, "Ag", c->fs * 0.85, 0, 0);
	double tick_h = text_h(probe);
	g_object_unref(probe);
	r->pt = y;
	r->pb = y + h - tick_h - c->fs * 0.4;
	r->slot = (r->pb - r->pt) / (double)c->n;
	r->thick = fmin(r->slot * 0.62, c->fs * 2);
	/* Labels shrink with crowded rows so that they never overlap. */
	r->size = fmin(c->fs * 0.9, r->slot * 0.72);
	r->size = r->size < 3 ? 3 : r->size;
	double lw = fmin(widest_label(c, r->size), w * 0.35);
	double vw = widest_value(c, r->size, c->kind == K_PROGRESS) + c->fs * 0.5;
	r->pl = x + lw + c->fs * 0.5 + left_extra;
	r->pr = x + w - vw - c->fs * 0.2;
}

static void row_label(struct chart *c, const struct rows *r, size_t i, double x)
{
	double cy = r->pt + r->slot * (i + 0.5);
	/* A little slack: the widest label must not be cut by rounding. */
	double maxw = r->pl - x - c->fs * 0.5 + 1;
	PangoLayout *l = line(c, c->pts[i].label, r->size, 0, maxw > 1 ? maxw : 1);
	put(c, l, r->pl - c->fs * 0.4, cy, 1, 0.5, C_TEXT);
}

static void draw_hbar(struct chart *c, double x, double y, double w, double h)
{
	double lo, hi;
	value_range(c, &lo, &hi);
	struct rows r;
	rows_fit(c, &r, x, y, w, h, 0);
	if (lo < 0) /* numbers of negative bars go left of them */
		rows_fit(c, &r, x, y, w, h, widest_value(c, r.size, 0) + c->fs * 0.4);
	struct axis a;
	fit_xaxis(c, &a, lo, hi, r.pl, r.pr);
	draw_xticks(c, &a, r.pl, r.pr, r.pt, r.pb, 0);
	double zero = axis_map(&a, 0, r.pl, r.pr);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < c->n; i++) {
		const struct point *p = &c->pts[i];
		double cy = r.pt + r.slot * (i + 0.5);
		row_label(c, &r, i, x);
		buf_reset(&b);
		if (!p->has_value) {
			put(c, line(c, "—", r.size, 0, 0), zero + 3, cy, 0, 0.5, C_MUTED);
			continue;
		}
		double end = axis_map(&a, p->value / c->div, r.pl, r.pr);
		if (p->value != 0)
			rect(c->cr, zero, cy - r.thick / 2, end, cy + r.thick / 2, C_BAR);
		fmt_value(c, &b, p->value);
		int left = p->value < 0;
		put(c, line(c, buf_cstr(&b), r.size, 0, 0), left ? end - 3 : end + 3, cy,
		    left ? 1 : 0, 0.5, C_TEXT);
	}
	buf_free(&b);
}

/* The largest share of target reached, for the length of the axis. */
static double max_share(const struct chart *c)
{
	double m = 1;
	for (size_t i = 0; i < c->n; i++) {
		const struct point *p = &c->pts[i];
		if (p->has_value && p->has_target && p->target > 0 && p->value / p->target > m)
			m = p->value / p->target;
	}
	return m;
}

static void draw_progress(struct chart *c, double x, double y, double w, double h)
{
	struct rows r;
	rows_fit(c, &r, x, y, w, h, 0);
	/* 0..100% in quarters; past the target up to 200%, beyond that bars stop
	 * at the end and the number tells. */
	double m = fmin(max_share(c), 2);
	struct axis a = {0, 0, m <= 1.25 ? 0.25 : 0.5, 0};
	a.hi = ceil(m / a.step - 1e-9) * a.step;
	draw_xticks(c, &a, r.pl, r.pr, r.pt, r.pb, 1);
	double full = axis_map(&a, 1, r.pl, r.pr);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < c->n; i++) {
		const struct point *p = &c->pts[i];
		double cy = r.pt + r.slot * (i + 0.5), y0 = cy - r.thick / 2, y1 = cy + r.thick / 2;
		row_label(c, &r, i, x);
		rect(c->cr, r.pl, y0, full, y1, C_TRACK);
		buf_reset(&b);
		if (!p->has_value || !p->has_target || p->target <= 0) {
			put(c, line(c, "—", r.size, 0, 0), r.pr + c->fs * 0.4, cy, 0, 0.5, C_MUTED);
			continue;
		}
		double share = p->value / p->target;
		double end = axis_map(&a, fmax(0, fmin(share, a.hi)), r.pl, r.pr);
		rect(c->cr, r.pl, y0, end, y1, share >= 1 ? C_DONE : C_BAR);
		fmt_percent(&b, share);
		put(c, line(c, buf_cstr(&b), r.size, 1, 0), r.pr + c->fs * 0.4, cy, 0, 0.5,
		    share >= 1 ? C_DONE : C_TEXT);
	}
	buf_free(&b);
	rule(c->cr, full, r.pt, full, r.pb, 1.2, C_AXIS); /* the target */
}

/* ---- entry points ---- */

double chart_draw(cairo_t *cr, json_t *chart, double x, double y, double w, double h)
{
	struct chart c = {0};
	c.cr = cr;
	c.fs = fmin(w / 48, h / 18);
	c.fs = c.fs < 6 ? 6 : c.fs > 16 ? 16 : c.fs;
	c.floor = 3;
	c.smallest = INFINITY;
	json_t *ts = json_object_get(chart, "text_size");
	if (json_is_number(ts) && chart_check(chart, "chart", NULL) == 0) {
		/* Drawn to be read at its size: every text at least 0.85 of it. */
		c.fs = json_number_value(ts);
		c.floor = c.fs * 0.85;
	}
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	c.pc = chart_pango_context(cr);
	double pad = c.fs * 0.4;
	x += pad;
	y += pad;
	w -= 2 * pad;
	h -= 2 * pad;
	if (chart_check(chart, "chart", NULL) != 0) {
		draw_message(&c, "Biểu đồ không hợp lệ", x, y, w, h);
		goto done;
	}
	chart_load(&c, chart);
	pick_multiplier(&c);
	double top = y;
	draw_head(&c, x, &top, w);
	h -= top - y;
	if (!has_data(&c) || h < c.fs * 3)
		draw_message(&c, c.en ? "No data" : "Không có số liệu", x, top, w, h);
	else if (c.kind == K_BAR)
		draw_bar(&c, x, top, w, h);
	else if (c.kind == K_HBAR)
		draw_hbar(&c, x, top, w, h);
	else
		draw_progress(&c, x, top, w, h);
	free(c.pts);
done:
	g_object_unref(c.pc);
	cairo_restore(cr);
	return c.smallest;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* Drops what a failed renderer appended after start. */
static void truncate_to(struct buf *b, size_t start)
{
	b->len = start;
	if (b->data)
		b->data[start] = 0;
}

static int check_size(double w, double h, double max, struct err *e)
{
	if (!(w >= 16 && w <= max))
		return err_set(e, ERR_INVALID, "width", "the chart width must be 16..%g", max);
	if (!(h >= 16 && h <= max))
		return err_set(e, ERR_INVALID, "height", "the chart height must be 16..%g", max);
	return 0;
}

/* Paints the white ground, draws the chart, and reports cairo's verdict. */
static int paint(cairo_surface_t *s, json_t *chart, double w, double h, double *smallest,
		 struct err *e)
{
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	double m = chart_draw(cr, chart, 0, 0, w, h);
	if (smallest)
		*smallest = m;
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	return st == CAIRO_STATUS_SUCCESS ? 0
					  : err_set(e, ERR_IO, "", "cannot draw the chart: %s",
						    cairo_status_to_string(st));
}

int chart_svg(json_t *chart, double width, double height, struct buf *out, struct err *e)
{
	return chart_svg_text(chart, width, height, out, NULL, e);
}

int chart_svg_text(json_t *chart, double width, double height, struct buf *out, double *smallest,
		   struct err *e)
{
	int rc = check_size(width, height, 10000, e);
	if (!rc)
		rc = chart_check(chart, "chart", e);
	if (rc)
		return rc;
	size_t start = out->len;
	cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_buf, out, width, height);
	cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
	cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
	rc = paint(s, chart, width, height, smallest, e);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (!rc && st != CAIRO_STATUS_SUCCESS)
		rc = err_set(e, ERR_IO, "", "cannot write the SVG: %s", cairo_status_to_string(st));
	if (rc)
		truncate_to(out, start);
	return rc;
}

int chart_png(json_t *chart, int width, int height, struct buf *out, struct err *e)
{
	int rc = check_size(width, height, 4096, e);
	if (!rc)
		rc = chart_check(chart, "chart", e);
	if (rc)
		return rc;
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
	rc = paint(s, chart, width, height, NULL, e);
	size_t start = out->len;
	cairo_status_t st =
		rc ? CAIRO_STATUS_SUCCESS : cairo_surface_write_to_png_stream(s, to_buf, out);
	cairo_surface_destroy(s);
	if (!rc && st != CAIRO_STATUS_SUCCESS)
		rc = err_set(e, ERR_IO, "", "cannot write the PNG: %s", cairo_status_to_string(st));
	if (rc)
		truncate_to(out, start);
	return rc;
}
