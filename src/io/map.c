/* map.c - a statistic by province as a choropleth map of Vietnam: classes
 * by quantiles, the SVG (titles, links, legend, patterns for missing,
 * reported and qualified values) and the same drawing through cairo. The
 * geometry comes ready from map_geo.c. */
#include "io/map.h"

#include "io/chart.h"
#include "io/map_geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ColorBrewer YlGnBu, light to dark; readable in grey and by the colour-blind. */
static const char *const ramp[MAP_CLASSES_MAX] = {"#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8",
						  "#253494"};
#define NO_DATA "#d9d9d9"
#define FONT "Noto Sans,DejaVu Sans,sans-serif"

static const char *const groups[2] = {"Quần đảo Hoàng Sa", "Quần đảo Trường Sa"};

const char *map_class_colour(int c, int n)
{
	if (c < 0 || n <= 0)
		return NO_DATA;
	return ramp[n == 1 ? 3 : c * (MAP_CLASSES_MAX - 1) / (n - 1)];
}

const char *map_unit_colour(const struct map_view *v, int u)
{
	if (v->ncat)
		return v->cls[u] < 0 || v->cls[u] >= v->ncat ? NO_DATA : v->cat_colour[v->cls[u]];
	return map_class_colour(v->cls[u], v->ncls);
}

void map_class_label(const struct map_view *v, int c, struct buf *b)
{
	chart_fmt_number(b, v->lo[c], v->decimals);
	if (v->hi[c] != v->lo[c]) {
		buf_puts(b, " – ");
		chart_fmt_number(b, v->hi[c], v->decimals);
	}
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Quantile classes of the n values val[] of the units has[]: the upper
 * bound of class c is the value at rank ceil((c+1)n/k); equal bounds merge. */
static void classify(struct map_view *v, const double *val, const int *has)
{
	double sorted[MAP_UNITS_MAX], upper[MAP_CLASSES_MAX];
	int n = 0, k = 0;
	for (int u = 0; u < v->nunits; u++)
		if (has[u])
			sorted[n++] = val[u];
	if (!n)
		return;
	qsort(sorted, (size_t)n, sizeof *sorted, dbl_cmp);
	int want = n < MAP_CLASSES_MAX ? n : MAP_CLASSES_MAX;
	for (int c = 0; c < want; c++) {
		double up = sorted[((c + 1) * n + want - 1) / want - 1];
		if (!k || up > upper[k - 1])
			upper[k++] = up;
	}
	v->ncls = k;
	for (int c = 0; c < k; c++)
		v->lo[c] = INFINITY, v->hi[c] = -INFINITY;
	for (int u = 0; u < v->nunits; u++) {
		if (!has[u])
			continue;
		int c = 0;
		while (val[u] > upper[c])
			c++;
		v->cls[u] = c;
		v->lo[c] = fmin(v->lo[c], val[u]);
		v->hi[c] = fmax(v->hi[c], val[u]);
	}
}

void map_view_units(struct map_view *v, int old_units)
{
	const struct map_geo *g = map_geo();
	memset(v, 0, sizeof *v);
	v->old_units = old_units;
	v->nunits = old_units ? g->nold : g->nnew;
	for (int u = 0; u < v->nunits; u++) {
		const struct map_unit *mu = old_units ? &g->old[u] : &g->nu[u];
		memcpy(v->code[u], mu->code, sizeof v->code[u]);
		v->label[u] = mu->name;
		v->cls[u] = -1;
	}
}

int map_unit_of(const struct map_view *v, const char *code)
{
	for (int u = 0; code && u < v->nunits; u++)
		if (!strcmp(v->code[u], code))
			return u;
	return -1;
}

/* The unit of a row key ("new:01", "old:28"), or -1. */
static int unit_of(const struct map_view *v, const char *key)
{
	const char *want = v->old_units ? "old:" : "new:";
	if (!key || strncmp(key, want, 4))
		return -1;
	return map_unit_of(v, key + 4);
}

int map_view_build(json_t *stats, int old_units, struct map_view *v, struct err *e)
{
	const char *by = json_string_value(json_object_get(json_object_get(stats, "query"), "by"));
	if (!by || strcmp(by, "province"))
		return err_set(e, ERR_INVALID, "by",
			       "Bản đồ cần thống kê theo tỉnh (by=province) / a map needs the "
			       "statistic by province (by=province)");
	map_view_units(v, old_units);
	double val[MAP_UNITS_MAX] = {0};
	int has[MAP_UNITS_MAX] = {0};
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(stats, "rows"), i, row)
	{
		int u = unit_of(v, json_string_value(json_object_get(row, "key")));
		if (u < 0)
			continue;
		json_t *value = json_object_get(row, "value"),
		       *hi = json_object_get(row, "value_hi");
		const char *label = json_string_value(json_object_get(row, "label"));
		const char *src = json_string_value(json_object_get(row, "source"));
		const char *qual = json_string_value(json_object_get(row, "qualifier"));
		int scale = (int)json_integer_value(json_object_get(row, "scale"));
		v->label[u] = label ? label : v->label[u];
		v->text[u] = json_string_value(json_object_get(row, "text"));
		if (!json_is_number(value))
			continue;
		has[u] = 1;
		val[u] = json_number_value(value) / pow(10, scale);
		v->decimals = scale > v->decimals ? scale : v->decimals;
		if (src && (!strcmp(src, "reported") || !strcmp(src, "mixed")))
			v->flags[u] |= MAP_REPORTED;
		if ((qual && strcmp(qual, "exact")) ||
		    (json_is_number(hi) && json_number_value(hi) != json_number_value(value)))
			v->flags[u] |= MAP_QUALIFIED;
	}
	classify(v, val, has);
	return 0;
}

int map_model_check(json_t *map, const char *field, struct err *e)
{
	if (!json_is_object(map) || !json_is_array(json_object_get(map, "rows")))
		return err_set(e, ERR_INVALID, field, "a map must be an object with rows");
	json_t *title = json_object_get(map, "title");
	if (title && !json_is_string(title))
		return err_set(e, ERR_INVALID, field, "a map's title must be a string");
	return 0;
}

/* ---- SVG ---- */

static void svg_defs(struct buf *b)
{
	buf_printf(b,
		   "<defs><pattern id=\"map-nodata\" width=\"8\" height=\"8\" "
		   "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect "
		   "width=\"8\" height=\"8\" fill=\"%s\"/><rect width=\"3\" height=\"8\" "
		   "fill=\"#a6a6a6\"/></pattern><pattern id=\"map-reported\" width=\"10\" "
		   "height=\"10\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\">"
		   "<rect width=\"2\" height=\"10\" fill=\"#000\" fill-opacity=\".35\"/></pattern>"
		   "<pattern id=\"map-qualified\" width=\"9\" height=\"9\" "
		   "patternUnits=\"userSpaceOnUse\"><circle cx=\"4.5\" cy=\"4.5\" r=\"1.8\" "
		   "fill=\"#000\" fill-opacity=\".55\"/></pattern><pattern id=\"map-marked\" "
		   "width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\" "
		   "patternTransform=\"rotate(45)\"><rect width=\"2.5\" height=\"7\" "
		   "fill=\"#000\" fill-opacity=\".5\"/></pattern></defs>",
		   NO_DATA);
}

static const char *unit_fill(const struct map_view *v, int u)
{
	return v->cls[u] < 0 ? "url(#map-nodata)" : map_unit_colour(v, u);
}

static void unit_title(const struct map_view *v, int u, struct buf *b)
{
	buf_printf(b, "<title>%h: %h</title>", v->label[u],
		   v->text[u] ? v->text[u] : "không có số liệu");
}

static void svg_units(const struct map_view *v, const struct map_opts *o, struct buf *b)
{
	const struct map_geo *g = map_geo();
	buf_puts(b, "<g class=\"map-units\">");
	for (int u = 0; u < v->nunits; u++) {
		const char *d = g->fill[!v->old_units][u];
		if (v->href[u])
			buf_printf(b, "<a href=\"%h\">", v->href[u]);
		else if (o->link)
			buf_printf(b, "<a href=\"%h&amp;%s=%h\">", o->link,
				   v->old_units ? "old_province" : "province", v->code[u]);
		buf_printf(b,
			   "<path class=\"map-unit\" data-code=\"%h\" data-class=\"%d\" "
			   "fill=\"%h\" d=\"%s\">",
			   v->code[u], v->cls[u], unit_fill(v, u), d);
		unit_title(v, u, b);
		buf_puts(b, "</path>");
		if (v->flags[u] & MAP_REPORTED)
			buf_printf(b,
				   "<path class=\"map-reported\" fill=\"url(#map-reported)\" "
				   "pointer-events=\"none\" d=\"%s\"/>",
				   d);
		if (v->flags[u] & MAP_QUALIFIED)
			buf_printf(b,
				   "<path class=\"map-qualified\" fill=\"url(#map-qualified)\" "
				   "pointer-events=\"none\" d=\"%s\"/>",
				   d);
		if (v->flags[u] & MAP_MARKED)
			buf_printf(b,
				   "<path class=\"map-marked\" data-code=\"%h\" "
				   "fill=\"url(#map-marked)\" pointer-events=\"none\" d=\"%s\"/>",
				   v->code[u], d);
		if (v->href[u] || o->link)
			buf_puts(b, "</a>");
	}
	buf_printf(b,
		   "</g><path class=\"map-borders\" fill=\"none\" stroke=\"#4d4d4d\" "
		   "stroke-width=\"0.8\" stroke-linejoin=\"round\" d=\"%s\"/>",
		   g->borders[!v->old_units]);
}

/* The unit holding islet group grp, in v's units. */
static int group_unit(const struct map_view *v, int grp)
{
	const struct map_geo *g = map_geo();
	for (int i = 0; i < g->nislets; i++)
		if (g->islets[i].group == grp)
			return v->old_units ? g->islets[i].unit : g->old[g->islets[i].unit].succ;
	return -1;
}

/* The box around islet group grp: x0, y0, x1, y1 in map units. */
static void group_box(int grp, double box[4])
{
	const struct map_geo *g = map_geo();
	box[0] = box[1] = INFINITY;
	box[2] = box[3] = -INFINITY;
	for (int i = 0; i < g->nislets; i++)
		if (g->islets[i].group == grp) {
			box[0] = fmin(box[0], g->islets[i].x - 10);
			box[1] = fmin(box[1], g->islets[i].y - 10);
			box[2] = fmax(box[2], g->islets[i].x + 10);
			box[3] = fmax(box[3], g->islets[i].y + 10);
		}
}

static void svg_islands(const struct map_view *v, struct buf *b)
{
	const struct map_geo *g = map_geo();
	for (int grp = 0; grp < 2; grp++) {
		int u = group_unit(v, grp);
		double box[4];
		group_box(grp, box);
		buf_printf(b,
			   "<g class=\"map-islands\" id=\"map-%s\"><title>%h (Việt Nam) – %h: "
			   "%h</title>",
			   grp ? "truong-sa" : "hoang-sa", groups[grp], u < 0 ? "" : v->label[u],
			   u >= 0 && v->text[u] ? v->text[u] : "không có số liệu");
		buf_printf(b,
			   "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" rx=\"6\" "
			   "fill=\"none\" stroke=\"#4d4d4d\" stroke-dasharray=\"4 3\"/>",
			   box[0], box[1], box[2] - box[0], box[3] - box[1]);
		for (int i = 0; i < g->nislets; i++)
			if (g->islets[i].group == grp)
				buf_printf(b,
					   "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%h\" "
					   "stroke=\"#333\" stroke-width=\"0.8\"/>",
					   g->islets[i].x, g->islets[i].y,
					   u < 0 ? NO_DATA : map_unit_colour(v, u));
		buf_printf(b,
			   "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\" font-size=\"15\">"
			   "<tspan x=\"%.0f\">%h</tspan><tspan x=\"%.0f\" dy=\"17\">(Việt "
			   "Nam)</tspan></text></g>",
			   (box[0] + box[2]) / 2, box[3] + 17, (box[0] + box[2]) / 2, groups[grp],
			   (box[0] + box[2]) / 2);
	}
}

/* The qualified values written on the map, so "trên 80%" is never read as 80%. */
static void svg_qualified(const struct map_view *v, struct buf *b)
{
	const struct map_geo *g = map_geo();
	for (int u = 0; u < v->nunits; u++) {
		if (!(v->flags[u] & MAP_QUALIFIED) || !v->text[u])
			continue;
		const struct map_unit *mu = v->old_units ? &g->old[u] : &g->nu[u];
		buf_printf(b,
			   "<text class=\"map-qualifier\" data-code=\"%h\" x=\"%.0f\" y=\"%.0f\" "
			   "text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" "
			   "stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" "
			   "pointer-events=\"none\">%h</text>",
			   v->code[u], mu->cx, mu->cy + 5, v->text[u]);
	}
}

static void legend_row(struct buf *b, int y, const char *fill, const char *overlay, const char *cls,
		       const char *text)
{
	buf_printf(b,
		   "<g class=\"%h\"><rect x=\"20\" y=\"%d\" width=\"28\" height=\"20\" "
		   "fill=\"%h\" stroke=\"#4d4d4d\" stroke-width=\"0.8\"/>",
		   cls, y, fill);
	if (overlay)
		buf_printf(b, "<rect x=\"20\" y=\"%d\" width=\"28\" height=\"20\" fill=\"%h\"/>", y,
			   overlay);
	buf_printf(b, "<text x=\"56\" y=\"%d\" font-size=\"17\">%h</text></g>", y + 16, text);
}

/* A categorical map's legend: its categories, then the marked units. */
static void svg_legend_cats(const struct map_view *v, int y, struct buf *b)
{
	for (int c = 0; c < v->ncat; c++, y += 28)
		legend_row(b, y, v->cat_colour[c], NULL, "map-cat", v->cat_label[c]);
	if (v->mark_label)
		legend_row(b, y, "#ffffff", "url(#map-marked)", "map-key-marked", v->mark_label);
	buf_puts(b, "</g>");
}

/* The legend sits where the map is empty: south-west, over Cambodia's place. */
static void svg_legend(const struct map_view *v, const struct map_opts *o, struct buf *b)
{
	int y = 560;
	buf_printf(b,
		   "<g class=\"map-legend\" id=\"map-legend\"><text x=\"20\" y=\"%d\" "
		   "font-size=\"18\" font-weight=\"bold\">%h</text>",
		   y, o->legend ? o->legend : "Chú giải");
	y += 14;
	if (v->ncat) {
		svg_legend_cats(v, y, b);
		return;
	}
	struct buf t = BUF_INIT;
	for (int c = 0; c < v->ncls; c++, y += 28) {
		buf_reset(&t);
		map_class_label(v, c, &t);
		legend_row(b, y, map_class_colour(c, v->ncls), NULL, "map-class", buf_cstr(&t));
	}
	buf_free(&t);
	legend_row(b, y, "url(#map-nodata)", NULL, "map-nodata", "Không có số liệu");
	legend_row(b, y + 28, "#ffffff", "url(#map-reported)", "map-key-reported", "Có số báo cáo");
	legend_row(b, y + 56, "#ffffff", "url(#map-qualified)", "map-key-qualified",
		   "Số gần đúng (trên, khoảng)");
	buf_puts(b, "</g>");
}

/* The heading, in the empty sea north-east, wrapped at a space. */
static void svg_heading(const struct map_opts *o, struct buf *b)
{
	const char *lines[2] = {o->title, o->subtitle};
	for (int i = 0, y = 44; i < 2; i++, y += 30)
		if (lines[i] && *lines[i])
			buf_printf(
				b,
				"<text x=\"985\" y=\"%d\" text-anchor=\"end\" font-size=\"%d\"%s>"
				"%h</text>",
				y, i ? 17 : 21, i ? "" : " font-weight=\"bold\"", lines[i]);
}

void map_svg(const struct map_view *v, const struct map_opts *o, struct buf *out)
{
	const char *id = o->id ? o->id : "map";
	int linked = o->link != NULL;
	for (int u = 0; u < v->nunits; u++)
		linked |= v->href[u] != NULL;
	buf_printf(out,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		   "class=\"map\" id=\"%h\" role=\"%s\" aria-labelledby=\"%h-title\" "
		   "font-family=\"%s\"><title id=\"%h-title\">%h</title>",
		   MAP_SIZE, MAP_SIZE, id, linked ? "group" : "img", id, FONT, id,
		   o->title ? o->title : "Bản đồ các tỉnh, thành phố của Việt Nam");
	svg_defs(out);
	buf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#eef5fa\"/>", MAP_SIZE, MAP_SIZE);
	svg_units(v, o, out);
	svg_islands(v, out);
	svg_qualified(v, out);
	svg_legend(v, o, out);
	svg_heading(o, out);
	buf_puts(out, "<text x=\"985\" y=\"990\" text-anchor=\"end\" font-size=\"11\" "
		      "fill=\"#666\">Made with Natural Earth</text></svg>");
}

/* ---- cairo: the same map on a PDF page or a PNG ---- */

static void cr_move(void *ctx, int x, int y)
{
	cairo_move_to(ctx, x, y);
}

static void cr_line(void *ctx, int x, int y)
{
	cairo_line_to(ctx, x, y);
}

static void cr_close(void *ctx)
{
	cairo_close_path(ctx);
}

static void rgb(cairo_t *cr, const char *hex, double alpha)
{
	unsigned long c = strtoul(hex + 1, NULL, 16);
	cairo_set_source_rgba(cr, (double)(c >> 16 & 255) / 255, (double)(c >> 8 & 255) / 255,
			      (double)(c & 255) / 255, alpha);
}

/* Lines across the current clip, every step units, at slope dir (1 or -1). */
static void hatch(cairo_t *cr, double step, int dir, double width)
{
	double x0, y0, x1, y1;
	cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
	double h = y1 - y0;
	for (double x = x0 - h; x < x1 + h; x += step) {
		cairo_move_to(cr, x, y0);
		cairo_line_to(cr, x + dir * h, y1);
	}
	cairo_set_line_width(cr, width);
	cairo_stroke(cr);
}

/* Dots over the current clip, as the SVG's pattern map-qualified. */
static void dots(cairo_t *cr)
{
	double x0, y0, x1, y1;
	cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
	cairo_new_path(cr);
	cairo_set_source_rgba(cr, 0, 0, 0, .55);
	for (double y = floor(y0 / 9) * 9 + 4.5; y < y1; y += 9)
		for (double x = floor(x0 / 9) * 9 + 4.5; x < x1; x += 9) {
			cairo_new_sub_path(cr);
			cairo_arc(cr, x, y, 1.8, 0, 2 * M_PI);
		}
	cairo_fill(cr);
}

static void cr_unit(cairo_t *cr, const struct map_view *v, int u)
{
	struct map_pen pen = {cr_move, cr_line, cr_close, cr};
	cairo_new_path(cr);
	map_geo_fill(map_geo(), v->old_units, u, &pen);
	rgb(cr, map_unit_colour(v, u), 1);
	cairo_fill_preserve(cr);
	cairo_save(cr);
	cairo_clip(cr);
	if (v->cls[u] < 0) {
		rgb(cr, "#a6a6a6", 1);
		hatch(cr, 8, 1, 2);
	}
	if (v->flags[u] & MAP_REPORTED) {
		cairo_set_source_rgba(cr, 0, 0, 0, .35);
		hatch(cr, 10, -1, 2);
	}
	if (v->flags[u] & MAP_QUALIFIED)
		dots(cr);
	if (v->flags[u] & MAP_MARKED) {
		cairo_set_source_rgba(cr, 0, 0, 0, .5);
		hatch(cr, 7, 1, 2.5);
	}
	cairo_restore(cr);
}

/* Text with its baseline at y, anchored left (0), centre (1) or right (2). */
static void cr_text(cairo_t *cr, PangoContext *pc, double x, double y, double size, int bold,
		    int anchor, const char *s)
{
	PangoLayout *l = chart_layout(pc, size, bold);
	pango_layout_set_text(l, s, -1);
	int w, base = pango_layout_get_baseline(l);
	pango_layout_get_size(l, &w, NULL);
	cairo_move_to(cr, x - anchor * (double)w / PANGO_SCALE / 2, y - (double)base / PANGO_SCALE);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

static void cr_islands(cairo_t *cr, PangoContext *pc, const struct map_view *v)
{
	const struct map_geo *g = map_geo();
	for (int grp = 0; grp < 2; grp++) {
		int u = group_unit(v, grp);
		double box[4];
		group_box(grp, box);
		double dash[] = {4, 3};
		cairo_set_dash(cr, dash, 2, 0);
		cairo_rectangle(cr, box[0], box[1], box[2] - box[0], box[3] - box[1]);
		rgb(cr, "#4d4d4d", 1);
		cairo_set_line_width(cr, 1);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		for (int i = 0; i < g->nislets; i++) {
			if (g->islets[i].group != grp)
				continue;
			cairo_arc(cr, g->islets[i].x, g->islets[i].y, 3.5, 0, 2 * M_PI);
			rgb(cr, u < 0 ? NO_DATA : map_unit_colour(v, u), 1);
			cairo_fill_preserve(cr);
			rgb(cr, "#333333", 1);
			cairo_set_line_width(cr, 0.8);
			cairo_stroke(cr);
		}
		double cx = (box[0] + box[2]) / 2;
		cr_text(cr, pc, cx, box[3] + 17, 15, 0, 1, groups[grp]);
		cr_text(cr, pc, cx, box[3] + 34, 15, 0, 1, "(Việt Nam)");
	}
}

static void cr_legend_row(cairo_t *cr, PangoContext *pc, const struct map_view *v, int y, int c,
			  const char *text)
{
	cairo_rectangle(cr, 20, y, 28, 20);
	rgb(cr, c >= 0 ? map_class_colour(c, v->ncls) : c == -1 ? NO_DATA : "#ffffff", 1);
	cairo_fill_preserve(cr);
	cairo_save(cr);
	cairo_clip(cr);
	cairo_set_source_rgba(cr, 0, 0, 0, .35);
	if (c == -1 || c == -2)
		hatch(cr, c == -1 ? 8 : 10, c == -1 ? 1 : -1, 2);
	else if (c == -3)
		dots(cr);
	cairo_restore(cr);
	cairo_rectangle(cr, 20, y, 28, 20);
	rgb(cr, "#4d4d4d", 1);
	cairo_set_line_width(cr, 0.8);
	cairo_stroke(cr);
	rgb(cr, "#000000", 1);
	cr_text(cr, pc, 56, y + 16, 17, 0, 0, text);
}

static void cr_legend_cats(cairo_t *cr, PangoContext *pc, const struct map_view *v, int y)
{
	for (int c = 0; c <= v->ncat; c++, y += 28) {
		if (c == v->ncat && !v->mark_label)
			break;
		cairo_rectangle(cr, 20, y, 28, 20);
		rgb(cr, c < v->ncat ? v->cat_colour[c] : "#ffffff", 1);
		cairo_fill_preserve(cr);
		if (c == v->ncat) {
			cairo_save(cr);
			cairo_clip(cr);
			cairo_set_source_rgba(cr, 0, 0, 0, .5);
			hatch(cr, 7, 1, 2.5);
			cairo_restore(cr);
		}
		cairo_new_path(cr);
		cairo_rectangle(cr, 20, y, 28, 20);
		rgb(cr, "#4d4d4d", 1);
		cairo_set_line_width(cr, 0.8);
		cairo_stroke(cr);
		rgb(cr, "#000000", 1);
		cr_text(cr, pc, 56, y + 16, 17, 0, 0,
			c < v->ncat ? v->cat_label[c] : v->mark_label);
	}
}

static void cr_legend(cairo_t *cr, PangoContext *pc, const struct map_view *v)
{
	int y = 560;
	rgb(cr, "#000000", 1);
	cr_text(cr, pc, 20, y, 18, 1, 0, "Chú giải");
	y += 14;
	if (v->ncat) {
		cr_legend_cats(cr, pc, v, y);
		return;
	}
	struct buf t = BUF_INIT;
	for (int c = 0; c < v->ncls; c++, y += 28) {
		buf_reset(&t);
		map_class_label(v, c, &t);
		cr_legend_row(cr, pc, v, y, c, buf_cstr(&t));
	}
	buf_free(&t);
	cr_legend_row(cr, pc, v, y, -1, "Không có số liệu");
	cr_legend_row(cr, pc, v, y + 28, -2, "Có số báo cáo");
	cr_legend_row(cr, pc, v, y + 56, -3, "Số gần đúng (trên, khoảng)");
}

void map_draw(cairo_t *cr, const struct map_view *v, const char *title, double x, double y,
	      double w, double h)
{
	double s = fmin(w, h) / MAP_SIZE;
	cairo_save(cr);
	cairo_translate(cr, x + (w - s * MAP_SIZE) / 2, y + (h - s * MAP_SIZE) / 2);
	cairo_scale(cr, s, s);
	cairo_rectangle(cr, 0, 0, MAP_SIZE, MAP_SIZE);
	rgb(cr, "#eef5fa", 1);
	cairo_fill(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (int u = 0; u < v->nunits; u++)
		cr_unit(cr, v, u);
	struct map_pen pen = {cr_move, cr_line, cr_close, cr};
	cairo_new_path(cr);
	map_geo_borders(map_geo(), v->old_units, &pen);
	rgb(cr, "#4d4d4d", 1);
	cairo_set_line_width(cr, 0.8);
	cairo_stroke(cr);
	PangoContext *pc = chart_pango_context(cr);
	cr_islands(cr, pc, v);
	const struct map_geo *g = map_geo();
	for (int u = 0; u < v->nunits; u++) {
		if (!(v->flags[u] & MAP_QUALIFIED) || !v->text[u])
			continue;
		const struct map_unit *mu = v->old_units ? &g->old[u] : &g->nu[u];
		rgb(cr, "#000000", 1);
		cr_text(cr, pc, mu->cx, mu->cy + 5, 14, 1, 1, v->text[u]);
	}
	cr_legend(cr, pc, v);
	if (title && *title)
		cr_text(cr, pc, 985, 44, 21, 1, 2, title);
	g_object_unref(pc);
	cairo_restore(cr);
}

static cairo_status_t png_to_buf(void *closure, const unsigned char *data, unsigned int n)
{
	buf_append(closure, data, n);
	return CAIRO_STATUS_SUCCESS;
}

int map_png(const struct map_view *v, const char *title, int size, struct buf *out, struct err *e)
{
	if (size < 64 || size > 4096)
		return err_set(e, ERR_INVALID, "size", "a map is 64 to 4096 pixels wide");
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, size, size);
	cairo_t *cr = cairo_create(s);
	map_draw(cr, v, title, 0, 0, size, size);
	cairo_destroy(cr);
	size_t start = out->len;
	cairo_status_t st = cairo_surface_write_to_png_stream(s, png_to_buf, out);
	cairo_surface_destroy(s);
	if (st == CAIRO_STATUS_SUCCESS)
		return 0;
	out->len = start;
	return err_set(e, ERR_IO, "", "cannot write the map: %s", cairo_status_to_string(st));
}
