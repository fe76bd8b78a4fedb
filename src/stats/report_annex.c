/* report_annex.c - the national report's tables by province: what the
 * sections add up, province by province, so that a reader sees who the
 * numbers come from and who has none. */
#include "stats/report_annex.h"

#include "core/buf.h"
#include "stats/stats_view.h"

#include <stdio.h>
#include <string.h>

/* The number a cell shows, for XLSX and CSV (io/doc.h "values"). */
static json_t *cell_value(json_t *row, const char *measure)
{
	json_t *v = json_object_get(row, "value");
	if (!json_is_integer(v))
		return json_null();
	int scale = (int)json_integer_value(json_object_get(row, "scale"));
	double d = (double)json_integer_value(v),
	       hi = (double)json_integer_value(json_object_get(row, "value_hi"));
	for (int s = 0; s < scale; s++) {
		d /= 10;
		hi /= 10;
	}
	json_t *o = json_pack("{s:f,s:i,s:s}", "value", d, "decimals", scale, "unit", measure);
	const char *q = json_string_value(json_object_get(row, "qualifier"));
	if (q && strcmp(q, "exact")) {
		json_object_set_new(o, "qualifier", json_string(q));
		if (!strcmp(q, "range"))
			json_object_set_new(o, "value_hi", json_real(hi));
	}
	return o;
}

static const char *basis_of(json_t *row)
{
	const char *s = json_string_value(json_object_get(row, "source"));
	return !s || !strcmp(s, "none")	    ? ""
	       : !strcmp(s, "records")	    ? "số liệu chi tiết"
	       : !strcmp(s, "reported")	    ? "số liệu báo cáo"
	       : !strcmp(s, "not_additive") ? "không cộng được"
					    : "kết hợp";
}

/* The part of stats (by province) the report keeps for its map: io/doc.h's
 * section "map". */
static json_t *map_model(json_t *stats, int old_units, const char *title)
{
	static const char *const keep[] = {"key",	"label", "value", "value_hi",
					   "scale",	"qualifier", "text", "source"};
	json_t *rows = json_array(), *row;
	size_t i;
	json_array_foreach(json_object_get(stats, "rows"), i, row)
	{
		json_t *r = json_object();
		for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++)
			if (json_object_get(row, keep[k]))
				json_object_set(r, keep[k], json_object_get(row, keep[k]));
		json_array_append_new(rows, r);
	}
	return json_pack("{s:s,s:b,s:{s:s},s:o}", "title", title ? title : "", "old_units",
			 old_units, "query", "by", "province", "rows", rows);
}

/* One annex table: rows of res (with data only when only_data). */
static json_t *annex_section(json_t *res, const char *title, int only_data, json_t *seen)
{
	const char *measure =
		json_string_value(json_object_get(json_object_get(res, "indicator"), "measure"));
	json_t *rows = json_array(), *values = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(res, "rows"), i, row)
	{
		const char *key = json_string_value(json_object_get(row, "key"));
		if (strncmp(key, "new:", 4) && strncmp(key, "old:", 4))
			continue; /* the nation's own figures are in the section itself */
		if (only_data && !json_is_integer(json_object_get(row, "value")))
			continue;
		if (!strncmp(key, "new:", 4) && json_is_integer(json_object_get(row, "value")))
			json_object_set_new(seen, key + 4, json_true());
		json_array_append_new(
			rows,
			json_pack("[s,s,s]", json_string_value(json_object_get(row, "label")),
				  json_string_value(json_object_get(row, "text")), basis_of(row)));
		json_array_append_new(values, json_pack("[n,o,n]", cell_value(row, measure)));
	}
	json_t *sec = json_pack("{s:s,s:{s:[{s:s},{s:s,s:b},{s:s}],s:o,s:o}}", "title", title,
				"table", "columns", "label", "Tỉnh, thành phố", "label", "Giá trị",
				"numeric", 1, "label", "Căn cứ", "rows", rows, "values", values);
	const char *cov =
		json_string_value(json_object_get(json_object_get(res, "coverage"), "text"));
	if (cov) {
		char p[200];
		snprintf(p, sizeof p, "%s.", cov);
		json_object_set_new(sec, "paragraphs", json_pack("[s]", p));
	}
	return sec;
}

/* Appends the rows of res with data, under the units of the time, to the
 * old-units table (rows, values). */
static void old_rows(json_t *res, const struct indicator *ind, json_t *rows, json_t *values)
{
	const char *measure =
		json_string_value(json_object_get(json_object_get(res, "indicator"), "measure"));
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(res, "rows"), i, row)
	{
		const char *key = json_string_value(json_object_get(row, "key"));
		if (strncmp(key, "old:", 4) && strncmp(key, "new:", 4))
			continue;
		if (!json_is_integer(json_object_get(row, "value")))
			continue;
		json_array_append_new(
			rows,
			json_pack("[s,s,s,s]", json_string_value(json_object_get(row, "label")),
				  ind->vi, json_string_value(json_object_get(row, "text")),
				  basis_of(row)));
		json_array_append_new(values, json_pack("[n,n,o,n]", cell_value(row, measure)));
	}
}

/* The table of one indicator by today's provinces; its rows under the
 * units of the time go to the old-units table when there is one. */
static int annex_of(struct store *st, const struct actor *a, const struct report_query *q,
		    const struct indicator *ind, int *number, json_t *secs, json_t *old,
		    json_t *seen, int *of, struct err *e)
{
	struct stat_query sq = {
		.indicator = ind->code, .from = q->from, .to = q->to, .by = "province"};
	json_t *res;
	if (stats_view(st, a, &sq, NULL, 0, &res, e) < 0)
		return e->code == ERR_STORE ? ERR_STORE : 0;
	const json_t *cov = json_object_get(res, "coverage");
	*of = (int)json_integer_value(json_object_get(cov, "of"));
	if (!json_integer_value(json_object_get(cov, "with_data"))) {
		json_decref(res);
		return 0;
	}
	char title[256];
	snprintf(title, sizeof title, "Phụ lục %d. %s theo tỉnh, thành phố", (*number)++, ind->vi);
	json_t *sec = annex_section(res, title, 0, seen);
	if (*number == 2) /* the first annex: its indicator on the map of today's provinces */
		json_object_set_new(sec, "map", map_model(res, 0, ind->vi));
	json_array_append_new(secs, sec);
	json_decref(res);
	if (!old)
		return 0;
	sq.old_units = 1;
	if (stats_view(st, a, &sq, NULL, 0, &res, e) < 0)
		return e->code == ERR_STORE ? ERR_STORE : 0;
	json_t *t = json_object_get(old, "table");
	old_rows(res, ind, json_object_get(t, "rows"), json_object_get(t, "values"));
	json_decref(res);
	return 0;
}

int report_annex(struct store *st, const struct actor *a, const struct report_query *q,
		 json_t *secs, int *covered, int *of, struct err *e)
{
	json_t *seen = json_object();
	*of = 0;
	int number = 1;
	/* A period before 2025-07-01 also reads by the provinces of the time:
	 * one table of those with data. */
	json_t *old = q->from < 2025
			      ? json_pack("{s:{s:[{s:s},{s:s},{s:s,s:b},{s:s}],s:[],s:[]}}",
					  "table", "columns", "label", "Tỉnh (trước 01/7/2025)",
					  "label", "Chỉ tiêu", "label", "Giá trị", "numeric", 1,
					  "label", "Căn cứ", "rows", "values")
			      : NULL;
	int rc = 0;
	for (const struct indicator *ind = indicators; rc == 0 && ind->code; ind++)
		rc = annex_of(st, a, q, ind, &number, secs, old, seen, of, e);
	if (rc == 0 && old &&
	    json_array_size(json_object_get(json_object_get(old, "table"), "rows"))) {
		char title[160];
		snprintf(
			title, sizeof title,
			"Phụ lục %d. Số liệu theo tỉnh trước 01/7/2025 (đơn vị hành chính tại thời "
			"điểm phát sinh)",
			number);
		json_object_set_new(old, "title", json_string(title));
		json_object_set_new(old, "paragraphs",
				    json_pack("[s]",
					      "Chỉ những tỉnh có số liệu; số liệu ghi theo "
					      "đơn vị hiện nay được xếp theo tỉnh hiện nay."));
		json_array_append(secs, old);
	}
	json_decref(old);
	*covered = (int)json_object_size(seen);
	json_decref(seen);
	return rc;
}
