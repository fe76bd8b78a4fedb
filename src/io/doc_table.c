/* doc_table.c - the columns of a report table as the XLSX and the CSV write
 * them: a column with numbers ("values", see doc.h) becomes the number and,
 * beside it, its range end, unit, qualifier and note marks. */
#include "io/doc.h"

#include "core/mem.h"
#include "io/chart.h"

#include <stdio.h>
#include <string.h>

int doc_col_numeric(json_t *cols, size_t j)
{
	return json_is_true(json_object_get(json_array_get(cols, j), "numeric"));
}

json_t *doc_table_value(json_t *t, size_t i, size_t j)
{
	json_t *v = json_array_get(json_array_get(json_object_get(t, "values"), i), j);
	return json_is_object(v) && json_is_number(json_object_get(v, "value")) ? v : NULL;
}

static void add(struct doc_col **cols, size_t *n, size_t src, enum doc_part part, const char *label,
		const char *of)
{
	*cols = xrealloc(*cols, (*n + 1) * sizeof **cols);
	struct doc_col *c = &(*cols)[(*n)++];
	c->src = src;
	c->part = part;
	snprintf(c->label, sizeof c->label, "%s%s%s%s", label, of ? " (" : "", of ? of : "",
		 of ? ")" : "");
}

size_t doc_table_layout(json_t *t, int percent_unit, struct doc_col **cols)
{
	json_t *cs = json_object_get(t, "columns"), *rows = json_object_get(t, "rows");
	size_t nc = json_array_size(cs), nr = json_array_size(rows), nval = 0, n = 0;
	int any_note = 0;
	for (size_t j = 0; j < nc; j++)
		for (size_t i = 0; i < nr; i++)
			if (doc_table_value(t, i, j)) {
				nval++;
				break;
			}
	*cols = NULL;
	for (size_t j = 0; j < nc; j++) {
		const char *label =
			json_string_value(json_object_get(json_array_get(cs, j), "label"));
		int has = 0, hi = 0, unit = 0, qual = 0, marks = 0;
		for (size_t i = 0; i < nr; i++) {
			json_t *v = doc_table_value(t, i, j);
			if (!v)
				continue;
			const char *u = json_string_value(json_object_get(v, "unit"));
			has = 1;
			hi |= json_object_get(v, "value_hi") != NULL;
			unit |= u && *u && (percent_unit || strcmp(u, "%"));
			qual |= json_object_get(v, "qualifier") != NULL;
			marks |= json_array_size(json_object_get(v, "notes")) > 0;
			any_note |= json_is_string(json_object_get(v, "note"));
		}
		const char *of = nval > 1 ? label : NULL;
		add(cols, &n, j, has ? DOC_VALUE : DOC_CELL, label ? label : "", NULL);
		if (hi)
			add(cols, &n, j, DOC_HI, "Đến", of);
		if (unit)
			add(cols, &n, j, DOC_UNIT, "Đơn vị", of);
		if (qual)
			add(cols, &n, j, DOC_QUAL, "Mức độ", of);
		if (marks)
			add(cols, &n, j, DOC_MARKS, "Nguồn", of);
	}
	if (any_note)
		add(cols, &n, 0, DOC_NOTE, "Ghi chú", NULL);
	return n;
}

static const char *qual_words(const char *code)
{
	return !code			   ? ""
	       : !strcmp(code, "at_least") ? "trên"
	       : !strcmp(code, "about")	   ? "khoảng"
	       : !strcmp(code, "nearly")   ? "gần"
	       : !strcmp(code, "at_most")  ? "tối đa"
	       : !strcmp(code, "range")	   ? "trong khoảng"
					   : "";
}

/* v (a JSON number) with `decimals` decimals and a full stop, no grouping:
 * "9590", "24.7", "-0.5" (whatever the C locale). */
static void plain_number(struct buf *b, json_t *v, int decimals)
{
	double d = json_number_value(v);
	int neg = d < 0;
	d = neg ? -d : d;
	long long scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	long long units = (long long)(d * (double)scale + 0.5);
	if (neg && units)
		buf_putc(b, '-');
	buf_printf(b, "%lld", units / scale);
	if (decimals)
		buf_printf(b, ".%0*lld", decimals, units % scale);
}

const char *doc_table_text(json_t *t, size_t i, const struct doc_col *c, int plain, struct buf *tmp)
{
	json_t *row = json_array_get(json_object_get(t, "rows"), i);
	if (c->part == DOC_NOTE) {
		for (size_t j = 0; j < json_array_size(row); j++) {
			const char *n = json_string_value(
				json_object_get(doc_table_value(t, i, j), "note"));
			if (n)
				return n;
		}
		return "";
	}
	json_t *v = doc_table_value(t, i, c->src);
	if (c->part == DOC_CELL || (!v && c->part == DOC_VALUE))
		return doc_cell(json_array_get(row, c->src), tmp);
	if (!v)
		return "";
	const char *unit = json_string_value(json_object_get(v, "unit"));
	buf_reset(tmp);
	switch (c->part) {
	case DOC_UNIT:
		return unit && (plain || strcmp(unit, "%")) ? unit : "";
	case DOC_QUAL:
		return qual_words(json_string_value(json_object_get(v, "qualifier")));
	case DOC_MARKS: {
		size_t k;
		json_t *n;
		json_array_foreach(json_object_get(v, "notes"), k, n)
			buf_printf(tmp, "%s[%lld]", k ? " " : "", (long long)json_integer_value(n));
		return buf_cstr(tmp);
	}
	default: {
		json_t *n = json_object_get(v, c->part == DOC_HI ? "value_hi" : "value");
		int d = (int)json_integer_value(json_object_get(v, "decimals"));
		d = d < 0 ? 0 : d > 6 ? 6 : d;
		if (!n)
			return "";
		if (plain)
			plain_number(tmp, n, d);
		else
			chart_fmt_number(tmp, json_number_value(n), d);
		return buf_cstr(tmp);
	}
	}
}
