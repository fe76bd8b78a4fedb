/* doc_check.c - doc_check(): a report document against its model (doc.h),
 * before any renderer reads it. */
#include "io/doc.h"

#include "io/chart.h"
#include "io/map.h"

#include <stdio.h>
#include <string.h>

static int refuse(struct err *e, const char *field, const char *msg)
{
	return err_set(e, ERR_INVALID, field, "%s", msg);
}

static int check_strings(json_t *a, const char *field, struct err *e)
{
	if (!a)
		return 0;
	if (!json_is_array(a))
		return refuse(e, field, "must be an array of strings");
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		if (json_is_string(v))
			continue;
		char f[128]; /* err_set keeps what fits */
		snprintf(f, sizeof f, "%s[%zu]", field, i);
		return refuse(e, f, "must be a string");
	}
	return 0;
}

static int check_columns(json_t *cols, const char *field, struct err *e)
{
	char f[128]; /* err_set keeps what fits */
	snprintf(f, sizeof f, "%s.columns", field);
	if (!json_is_array(cols) || json_array_size(cols) == 0)
		return refuse(e, f, "a table needs a non-empty array of columns");
	size_t i;
	json_t *c;
	json_array_foreach(cols, i, c)
	{
		snprintf(f, sizeof f, "%s.columns[%zu]", field, i);
		json_t *num = json_object_get(c, "numeric");
		if (!json_is_object(c) || !json_is_string(json_object_get(c, "label")))
			return refuse(e, f, "a column is an object with a string label");
		if (num && !json_is_boolean(num))
			return refuse(e, f, "numeric must be true or false");
	}
	return 0;
}

static int check_table(json_t *t, const char *field, struct err *e)
{
	if (!json_is_object(t))
		return refuse(e, field, "a table must be an object");
	int rc = check_columns(json_object_get(t, "columns"), field, e);
	json_t *rows = json_object_get(t, "rows");
	char f[128]; /* err_set keeps what fits */
	snprintf(f, sizeof f, "%s.rows", field);
	if (rc || !rows)
		return rc;
	if (!json_is_array(rows))
		return refuse(e, f, "rows must be an array of arrays");
	size_t i, j;
	json_t *row, *cell;
	json_array_foreach(rows, i, row)
	{
		snprintf(f, sizeof f, "%s.rows[%zu]", field, i);
		if (!json_is_array(row))
			return refuse(e, f, "a row must be an array of cells");
		json_array_foreach(row, j, cell)
		{
			if (!json_is_string(cell) && !json_is_number(cell) && !json_is_null(cell))
				return refuse(e, f, "a cell must be a string, a number or null");
		}
	}
	return 0;
}

/* "values" (doc.h): per row an array of null or {"value": number, ...};
 * "sum" names other rows of the table. */
static int check_values(json_t *t, const char *field, struct err *e)
{
	json_t *values = json_object_get(t, "values"), *row, *v;
	if (!values)
		return 0;
	char f[128]; /* err_set keeps what fits */
	snprintf(f, sizeof f, "%s.values", field);
	if (!json_is_array(values))
		return refuse(e, f, "values must be an array of arrays");
	size_t nr = json_array_size(json_object_get(t, "rows")), i, j, k;
	json_array_foreach(values, i, row)
	{
		snprintf(f, sizeof f, "%s.values[%zu]", field, i);
		if (!json_is_array(row) || i >= nr)
			return refuse(e, f, "values must be an array of arrays, one per row");
		json_array_foreach(row, j, v)
		{
			if (json_is_null(v))
				continue;
			json_t *sum = json_object_get(v, "sum"), *ix;
			if (!json_is_object(v) || !json_is_number(json_object_get(v, "value")))
				return refuse(e, f,
					      "a value is null or an object with a numeric value");
			json_array_foreach(sum, k, ix)
			{
				if (!json_is_integer(ix) || json_integer_value(ix) < 0 ||
				    (size_t)json_integer_value(ix) >= nr ||
				    (size_t)json_integer_value(ix) == i)
					return refuse(e, f,
						      "sum must list other rows of the table");
			}
		}
	}
	return 0;
}

static int check_section(json_t *s, size_t i, struct err *e)
{
	char f[40], g[64];
	snprintf(f, sizeof f, "sections[%zu]", i);
	if (!json_is_object(s))
		return refuse(e, f, "a section must be an object");
	json_t *title = json_object_get(s, "title"), *v;
	snprintf(g, sizeof g, "%s.title", f);
	if (title && !json_is_string(title))
		return refuse(e, g, "must be a string");
	snprintf(g, sizeof g, "%s.paragraphs", f);
	int rc = check_strings(json_object_get(s, "paragraphs"), g, e);
	snprintf(g, sizeof g, "%s.table", f);
	if (!rc && (v = json_object_get(s, "table")))
		rc = check_table(v, g, e) ? ERR_INVALID : check_values(v, g, e);
	snprintf(g, sizeof g, "%s.chart", f);
	if (!rc && (v = json_object_get(s, "chart")))
		rc = chart_check(v, g, e);
	snprintf(g, sizeof g, "%s.map", f);
	if (!rc && (v = json_object_get(s, "map")))
		rc = map_model_check(v, g, e);
	return rc;
}

static int check_letterhead(json_t *h, struct err *e)
{
	if (!h)
		return 0;
	if (!json_is_object(h))
		return refuse(e, "letterhead", "must be an object");
	static const char *const strs[] = {"parent_body",      "issuing_body", "number",
					   "place_date",       "kind",         "summary",
					   "signer_authority", "signer_title", "signer_name"};
	char f[48];
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
		json_t *v = json_object_get(h, strs[i]);
		snprintf(f, sizeof f, "letterhead.%s", strs[i]);
		if (v && !json_is_string(v))
			return refuse(e, f, "must be a string");
	}
	json_t *d = json_object_get(h, "draft");
	if (d && !json_is_boolean(d))
		return refuse(e, "letterhead.draft", "must be true or false");
	int rc = check_strings(json_object_get(h, "addressee"), "letterhead.addressee", e);
	return rc ? rc : check_strings(json_object_get(h, "recipients"), "letterhead.recipients", e);
}

int doc_check(json_t *doc, struct err *e)
{
	if (!json_is_object(doc))
		return refuse(e, "", "a report must be a JSON object");
	if (!json_is_string(json_object_get(doc, "title")))
		return refuse(e, "title", "a report needs a title");
	json_t *sub = json_object_get(doc, "subtitle");
	if (sub && !json_is_string(sub))
		return refuse(e, "subtitle", "must be a string");
	json_t *sections = json_object_get(doc, "sections");
	if (!json_is_array(sections))
		return refuse(e, "sections", "a report needs an array of sections");
	size_t i;
	json_t *s;
	json_array_foreach(sections, i, s)
	{
		int rc = check_section(s, i, e);
		if (rc)
			return rc;
	}
	int rc = check_letterhead(json_object_get(doc, "letterhead"), e);
	return rc ? rc : check_strings(json_object_get(doc, "notes"), "notes", e);
}
