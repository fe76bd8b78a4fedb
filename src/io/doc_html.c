/* doc_html.c - a report as an HTML fragment: tables, inline SVG charts and
 * maps, written cell by cell like the other renderers (doc.h). */
#include "io/doc.h"

#include "io/chart.h"
#include "io/map.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static void html_table(struct buf *out, json_t *t)
{
	json_t *cols = json_object_get(t, "columns"), *row, *col;
	size_t i, j, nc = json_array_size(cols);
	struct buf tmp = BUF_INIT;
	buf_puts(out, "<table class=\"report\">\n<thead><tr>");
	json_array_foreach(cols, j, col)
	{
		buf_puts(out, doc_col_numeric(cols, j) ? "<th class=\"num\">" : "<th>");
		buf_printf(out, "%h</th>", json_string_value(json_object_get(col, "label")));
	}
	buf_puts(out, "</tr></thead>\n<tbody>\n");
	json_array_foreach(json_object_get(t, "rows"), i, row)
	{
		buf_puts(out, "<tr>");
		for (j = 0; j < nc; j++) {
			buf_puts(out, doc_col_numeric(cols, j) ? "<td class=\"num\">" : "<td>");
			buf_printf(out, "%h</td>", doc_cell(json_array_get(row, j), &tmp));
		}
		buf_puts(out, "</tr>\n");
	}
	buf_puts(out, "</tbody>\n</table>\n");
	buf_free(&tmp);
}

/* Several SVGs on one page share one id space, and cairo names its glyphs
 * and clips alike in every SVG ("glyph0-1"): prefix them per chart so each
 * chart keeps its own glyphs. The SVG is cairo's output, not user text. */
static void put_svg(struct buf *out, const char *svg, const char *label)
{
	static atomic_uint seq;
	unsigned n = atomic_fetch_add(&seq, 1) + 1;
	char pfx[24];
	snprintf(pfx, sizeof pfx, "kc%u-", n);
	const char *p = strstr(svg, "<svg");
	if (!p)
		return;
	buf_printf(out, "<svg role=\"img\" aria-label=\"%h\"", label);
	p += 4;
	static const char *const refs[] = {"id=\"", "href=\"#", "url(#"};
	while (*p) {
		size_t k, len = 0;
		for (k = 0; k < 3; k++) {
			len = strlen(refs[k]);
			if (strncmp(p, refs[k], len) == 0)
				break;
		}
		if (k == 3) {
			buf_putc(out, *p++);
			continue;
		}
		buf_append(out, p, len);
		buf_puts(out, pfx);
		p += len;
	}
}

static void html_chart(struct buf *out, json_t *c)
{
	struct buf svg = BUF_INIT;
	struct err e;
	const char *title = json_string_value(json_object_get(c, "title"));
	buf_puts(out, "<figure class=\"chart\">\n");
	if (chart_svg(c, 640, 300, &svg, &e) == 0)
		put_svg(out, buf_cstr(&svg), title ? title : "");
	else
		buf_printf(out, "<p class=\"chart-error\">Không vẽ được biểu đồ: %h</p>",
			   e.message);
	buf_puts(out, "</figure>\n");
	buf_free(&svg);
}

/* The map inline, with its titles and legend; the table of the same
 * section reads every number. */
static void html_map(struct buf *out, json_t *m, size_t n)
{
	struct map_view v;
	struct err e;
	if (map_view_build(m, json_is_true(json_object_get(m, "old_units")), &v, &e) < 0)
		return;
	char id[32];
	snprintf(id, sizeof id, "report-map-%zu", n);
	buf_puts(out, "<figure class=\"chart map-figure\">\n");
	map_svg(&v, &(struct map_opts){.title = json_string_value(json_object_get(m, "title")), .id = id},
		out);
	buf_puts(out, "</figure>\n");
}

void doc_html(json_t *doc, struct buf *out)
{
	size_t i, j;
	json_t *s, *v;
	json_t *head = json_object_get(doc, "letterhead");
	buf_puts(out, "<article class=\"report-doc\">\n");
	doc_html_letterhead_top(head, out);
	buf_printf(out, "<h1%s>%h</h1>\n", head ? " class=\"lh-hidden\"" : "",
		   json_string_value(json_object_get(doc, "title")));
	const char *sub = json_string_value(json_object_get(doc, "subtitle"));
	if (sub)
		buf_printf(out, "<p class=\"subtitle\">%h</p>\n", sub);
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		buf_puts(out, "<section>\n");
		const char *title = json_string_value(json_object_get(s, "title"));
		if (title)
			buf_printf(out, "<h2>%h</h2>\n", title);
		json_array_foreach(json_object_get(s, "paragraphs"), j, v)
			buf_printf(out, "<p>%h</p>\n", json_string_value(v));
		if (json_is_object(v = json_object_get(s, "table")))
			html_table(out, v);
		if ((v = json_object_get(s, "chart")))
			html_chart(out, v);
		if ((v = json_object_get(s, "map")))
			html_map(out, v, i);
		buf_puts(out, "</section>\n");
	}
	doc_html_letterhead_end(head, out);
	json_t *notes = json_object_get(doc, "notes");
	if (json_array_size(notes)) {
		buf_puts(out, "<ol class=\"notes\">\n");
		json_array_foreach(notes, j, v)
			buf_printf(out, "<li>%h</li>\n", json_string_value(v));
		buf_puts(out, "</ol>\n");
	}
	buf_puts(out, "</article>\n");
}
