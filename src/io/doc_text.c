/* doc_text.c - a report as Markdown-like plain text: pipe tables, charts as
 * lists of their figures (doc.h). */
#include "io/doc.h"

#include "io/chart.h"

#include <string.h>

/* A cell of a pipe table: '|' escaped, line breaks as spaces. */
static void text_cell(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			buf_putc(out, '\\');
		buf_putc(out, *s == '\n' || *s == '\r' ? ' ' : *s);
	}
}

static void text_table(struct buf *out, json_t *t)
{
	json_t *cols = json_object_get(t, "columns"), *row;
	size_t i, j, nc = json_array_size(cols);
	struct buf tmp = BUF_INIT;
	buf_puts(out, "|");
	for (j = 0; j < nc; j++) {
		buf_putc(out, ' ');
		text_cell(out,
			  json_string_value(json_object_get(json_array_get(cols, j), "label")));
		buf_puts(out, " |");
	}
	buf_puts(out, "\n|");
	for (j = 0; j < nc; j++)
		buf_puts(out, doc_col_numeric(cols, j) ? " ---: |" : " --- |");
	buf_putc(out, '\n');
	json_array_foreach(json_object_get(t, "rows"), i, row)
	{
		buf_puts(out, "|");
		for (j = 0; j < nc; j++) {
			buf_putc(out, ' ');
			text_cell(out, doc_cell(json_array_get(row, j), &tmp));
			buf_puts(out, " |");
		}
		buf_putc(out, '\n');
	}
	buf_putc(out, '\n');
	buf_free(&tmp);
}

static void text_chart(struct buf *out, json_t *c)
{
	const char *title = json_string_value(json_object_get(c, "title"));
	const char *unit = json_string_value(json_object_get(c, "unit"));
	const char *kind = json_string_value(json_object_get(c, "kind"));
	int progress = kind && strcmp(kind, "progress") == 0;
	json_t *labels = json_object_get(c, "labels"), *values = json_object_get(c, "values");
	json_t *targets = json_object_get(c, "targets");
	buf_printf(out, "Biểu đồ: %s%s%s%s\n", title ? title : "", unit ? " (" : "",
		   unit ? unit : "", unit ? ")" : "");
	for (size_t i = 0; i < json_array_size(labels); i++) {
		json_t *v = json_array_get(values, i), *t = json_array_get(targets, i);
		const char *l = json_string_value(json_array_get(labels, i));
		buf_printf(out, "- %s: ", l ? l : "");
		if (!json_is_number(v)) {
			buf_puts(out, "không có số liệu\n");
			continue;
		}
		chart_fmt_number(out, json_number_value(v), 2);
		if (progress && json_is_number(t) && json_number_value(t) > 0) {
			buf_puts(out, " / ");
			chart_fmt_number(out, json_number_value(t), 2);
			buf_puts(out, " (");
			chart_fmt_number(out, 100 * json_number_value(v) / json_number_value(t), 1);
			buf_puts(out, "%)");
		}
		buf_putc(out, '\n');
	}
	buf_putc(out, '\n');
}

void doc_text(json_t *doc, struct buf *out)
{
	size_t i, j;
	json_t *s, *v;
	const char *title = json_string_value(json_object_get(doc, "title"));
	const char *sub = json_string_value(json_object_get(doc, "subtitle"));
	doc_text_letterhead_top(json_object_get(doc, "letterhead"), out);
	buf_printf(out, "# %s\n\n", title ? title : "");
	if (sub)
		buf_printf(out, "%s\n\n", sub);
	json_array_foreach(json_object_get(doc, "sections"), i, s)
	{
		const char *st = json_string_value(json_object_get(s, "title"));
		if (st)
			buf_printf(out, "## %s\n\n", st);
		json_array_foreach(json_object_get(s, "paragraphs"), j, v)
			buf_printf(out, "%s\n\n", json_string_value(v) ? json_string_value(v) : "");
		if (json_is_object(v = json_object_get(s, "table")))
			text_table(out, v);
		if (json_is_object(v = json_object_get(s, "chart")))
			text_chart(out, v);
	}
	doc_text_letterhead_end(json_object_get(doc, "letterhead"), out);
	json_t *notes = json_object_get(doc, "notes");
	if (json_array_size(notes)) {
		buf_puts(out, "## Nguồn\n\n");
		json_array_foreach(notes, j, v)
			buf_printf(out, "%s\n", json_string_value(v) ? json_string_value(v) : "");
	}
}
