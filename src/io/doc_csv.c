/* doc_csv.c - the tables of a report document as CSV, one per table. The
 * columns are the workbook's (doc_table_layout): figures as plain numbers
 * ("9590", "24.7") with their unit, qualifier and note marks beside them. */
#include "io/doc.h"

#include <stdlib.h>

int doc_csv_table(json_t *doc, size_t section, struct buf *out)
{
	json_t *sec = json_array_get(json_object_get(doc, "sections"), section);
	json_t *table = json_object_get(sec, "table");
	if (!json_is_object(table))
		return 0;
	buf_puts(out, "\xEF\xBB\xBF");
	struct doc_col *cols;
	size_t n = doc_table_layout(table, 1, &cols);
	for (size_t k = 0; k < n; k++) {
		if (k)
			buf_putc(out, ',');
		buf_csv_field(out, cols[k].label);
	}
	buf_puts(out, "\r\n");
	struct buf tmp = BUF_INIT;
	size_t nr = json_array_size(json_object_get(table, "rows"));
	for (size_t i = 0; i < nr; i++) {
		for (size_t k = 0; k < n; k++) {
			if (k)
				buf_putc(out, ',');
			const char *s = doc_table_text(table, i, &cols[k], 1, &tmp);
			if (cols[k].part == DOC_VALUE || cols[k].part == DOC_HI)
				buf_csv_number(out, s);
			else
				buf_csv_field(out, s);
		}
		buf_puts(out, "\r\n");
	}
	buf_free(&tmp);
	free(cols);
	return 1;
}
