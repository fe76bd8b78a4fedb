/* doc_csv.c - the tables of a report document as CSV, one per table. */
#include "io/doc.h"

static void csv_cell(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

int doc_csv_table(json_t *doc, size_t section, struct buf *out)
{
	json_t *sec = json_array_get(json_object_get(doc, "sections"), section);
	json_t *table = json_object_get(sec, "table");
	if (!json_is_object(table))
		return 0;
	buf_puts(out, "\xEF\xBB\xBF");
	size_t i, j;
	json_t *col, *row, *cell;
	json_array_foreach(json_object_get(table, "columns"), i, col) {
		if (i)
			buf_putc(out, ',');
		csv_cell(out, json_string_value(json_object_get(col, "label")) ?: "");
	}
	buf_puts(out, "\r\n");
	struct buf tmp = BUF_INIT;
	json_array_foreach(json_object_get(table, "rows"), i, row) {
		json_array_foreach(row, j, cell) {
			if (j)
				buf_putc(out, ',');
			csv_cell(out, doc_cell(cell, &tmp));
		}
		buf_puts(out, "\r\n");
	}
	buf_free(&tmp);
	return 1;
}
