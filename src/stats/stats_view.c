/* stats_view.c - what a ministry reader needs around a statistics result:
 * order, the provinces without data, coverage, comparison and ranks. The
 * result itself is stats_compute()'s, untouched. */
#include "stats/stats_view.h"

#include "core/buf.h"
#include "core/mem.h"
#include "model/unit.h"
#include "stats/stats_memo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int stats_key_cmp(const char *a, const char *b)
{
	if (!*a || !*b)
		return !*a - !*b; /* the unknown row last */
	long ya = strtol(a, NULL, 10), yb = strtol(b, NULL, 10);
	if (ya != yb)
		return ya < yb ? -1 : 1;
	return strcmp(a, b);
}

static int row_cmp(const void *x, const void *y)
{
	json_t *const *a = x, *const *b = y;
	return stats_key_cmp(json_string_value(json_object_get(*a, "key")),
			     json_string_value(json_object_get(*b, "key")));
}

/* Province rows ("new:01") compare by their code: the official order. */
static const char *sort_key(json_t *row)
{
	const char *k = json_string_value(json_object_get(row, "key"));
	const char *c = k ? strchr(k, ':') : NULL;
	return c ? c + 1 : k ? k : "";
}

static int prow_cmp(const void *x, const void *y)
{
	json_t *const *a = x, *const *b = y;
	int d = stats_key_cmp(sort_key(*a), sort_key(*b));
	return d ? d
		 : strcmp(json_string_value(json_object_get(*a, "key")),
			  json_string_value(json_object_get(*b, "key")));
}

static void order_rows(json_t *rows, int (*cmp)(const void *, const void *))
{
	size_t n = json_array_size(rows);
	json_t **v = calloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(rows, i));
	qsort(v, n, sizeof *v, cmp);
	json_array_clear(rows);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, v[i]);
	free(v);
}

void stats_rows_order(json_t *out)
{
	order_rows(json_object_get(out, "rows"), row_cmp);
}

/* Today's provinces, code -> full name. Reused until the units change
 * (stats_memo.h): a national dashboard views some forty statistics, and
 * reading the provinces for each was a third of its statements (issue 17). */
static int provinces_today(struct store *st, json_t **out, struct err *e)
{
	static const char *const tables[] = {"units", NULL};
	static const char key[] = "|provinces of today";
	char version[128];
	if (stats_memo_lookup(st, tables, key, version, sizeof version, out, e) < 0)
		return ERR_STORE;
	if (*out) /* only read: fill_provinces, rank_rows */
		return 0;
	struct unit_province *u;
	size_t n;
	int rc = unit_provinces(st, "new", &u, &n, e);
	if (rc < 0)
		return rc;
	*out = json_object();
	for (size_t i = 0; i < n; i++)
		json_object_set_new(*out, u[i].code, json_string(u[i].name));
	free(u);
	stats_memo_put(st, key, version, *out);
	return 0;
}

/* Establishments recorded per province of today (not the illustrative):
 * every statistic by province ranks its rows by them. Reused until the
 * establishments change (stats_memo.h): counting them all was most of a
 * national statistic after a write to another table (issue 17). */
static int establishments_by_province(struct store *st, json_t **out, struct err *e)
{
	static const char *const tables[] = {"establishments", NULL};
	static const char key[] = "|establishments by province";
	char version[128];
	if (stats_memo_lookup(st, tables, key, version, sizeof version, out, e) < 0)
		return ERR_STORE;
	if (*out) /* only read: fill_provinces, rank_rows */
		return 0;
	struct stmt *s =
		store_prepare(st,
			      "SELECT province_code, COUNT(*) FROM establishments WHERE"
			      " province_code IS NOT NULL AND COALESCE(illustrative, 0) = 0"
			      " GROUP BY province_code",
			      e);
	if (!s)
		return ERR_STORE;
	*out = json_object();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_object_set_new(*out, stmt_text(s, 0), json_integer(stmt_int(s, 1)));
	stmt_done(s);
	if (rc < 0) {
		json_decref(*out);
		return rc;
	}
	stats_memo_put(st, key, version, *out);
	return 0;
}

static int has_value(json_t *row)
{
	return json_is_integer(json_object_get(row, "value"));
}

static double row_value(json_t *row)
{
	double d = (double)json_integer_value(json_object_get(row, "value"));
	for (json_int_t s = json_integer_value(json_object_get(row, "scale")); s > 0; s--)
		d /= 10;
	return d;
}

/* A row for a province without any value. */
static json_t *empty_row(const char *code, const char *name)
{
	char key[16];
	snprintf(key, sizeof key, "new:%s", code);
	return json_pack("{s:s,s:s,s:s,s:n,s:n,s:i,s:s,s:s,s:i,s:n,s:[],s:n}", "key", key, "label",
			 name, "source", "none", "value", "value_hi", "scale", 0, "qualifier",
			 "exact", "text", "không có số liệu", "records_count", 0, "records",
			 "figures", "figures_link");
}

/* Fills in the provinces of today missing from rows. Returns how many of
 * them have a value. */
static int fill_provinces(json_t *rows, json_t *names)
{
	const char *code;
	json_t *name;
	int with = 0;
	json_object_foreach(names, code, name)
	{
		char key[16];
		snprintf(key, sizeof key, "new:%s", code);
		json_t *found = NULL, *row;
		size_t i;
		json_array_foreach(rows, i,
				   row) if (!strcmp(json_string_value(json_object_get(row, "key")),
						    key)) found = row;
		if (!found)
			json_array_append_new(rows, empty_row(code, json_string_value(name)));
		else
			with += has_value(found);
	}
	return with;
}

/* Ranks (1 = highest; equal values share a rank) and values per 100
 * establishments of the province, for the rows with a value. */
static void rank_rows(json_t *rows, json_t *est, int per_est)
{
	/* The values read once: comparing every row with every other through
	 * their JSON was a tenth of a dashboard's time. */
	size_t n = json_array_size(rows), i, j;
	double *v = xmalloc((n ? n : 1) * sizeof *v);
	char *has = xmalloc(n ? n : 1);
	for (i = 0; i < n; i++) {
		has[i] = (char)has_value(json_array_get(rows, i));
		v[i] = has[i] ? row_value(json_array_get(rows, i)) : 0;
	}
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		if (!has[i])
			continue;
		int rank = 1;
		for (j = 0; j < n; j++)
			rank += has[j] && v[j] > v[i];
		json_object_set_new(row, "rank", json_integer(rank));
		const char *k = json_string_value(json_object_get(row, "key"));
		json_int_t est_n = json_integer_value(json_object_get(est, k + 4));
		if (!per_est || strncmp(k, "new:", 4))
			continue;
		json_object_set_new(row, "establishments", json_integer(est_n));
		if (est_n) {
			char t[32];
			snprintf(t, sizeof t, "%.1f", v[i] * 100 / (double)est_n);
			char *dot = strchr(t, '.');
			if (dot)
				*dot = ','; /* Vietnamese decimal comma */
			json_object_set_new(row, "per_100_establishments", json_string(t));
		}
	}
	free(v);
	free(has);
}

static void set_coverage(json_t *out, int with, size_t of)
{
	char t[160];
	snprintf(t, sizeof t, "Số liệu của %d/%zu tỉnh, thành phố", with, of);
	json_object_set_new(
		out, "coverage",
		json_pack("{s:i,s:i,s:s}", "with_data", with, "of", (int)of, "text", t));
	if ((size_t)with < of) {
		char label[96];
		snprintf(label, sizeof label, "Tổng của %d/%zu tỉnh có số liệu", with, of);
		json_object_set_new(json_object_get(out, "total"), "label", json_string(label));
	}
}

/* Keeps the rows of the provinces compared, in the order they were given. */
static void keep_compared(json_t *out, const char *const *compare, int n)
{
	json_t *rows = json_object_get(out, "rows"), *kept = json_array();
	for (int c = 0; c < n; c++) {
		size_t i;
		json_t *row;
		json_array_foreach(rows, i, row)
		{
			const char *k = json_string_value(json_object_get(row, "key"));
			if (!strncmp(k, "new:", 4) && !strcmp(k + 4, compare[c]))
				json_array_append(kept, row);
		}
	}
	json_object_set_new(out, "rows", kept);
	json_object_del(out, "total");
	json_t *codes = json_array();
	for (int c = 0; c < n; c++)
		json_array_append_new(codes, json_string(compare[c]));
	json_object_set_new(out, "compare", codes);
}

/* How many provinces of today have a value for q, by a breakdown by them. */
static int coverage_of(struct store *st, const struct actor *a, const struct stat_query *q,
		       json_t *names, json_t *out, struct err *e)
{
	struct stat_query pq = *q;
	pq.by = "province";
	pq.old_units = 0;
	json_t *res;
	int rc = stats_compute(st, a, &pq, &res, e);
	if (rc < 0)
		return rc;
	set_coverage(out, fill_provinces(json_object_get(res, "rows"), names),
		     json_object_size(names));
	json_decref(res);
	return 0;
}

int stats_view(struct store *st, const struct actor *a, const struct stat_query *q,
	       const char *const *compare, int ncompare, json_t **out, struct err *e)
{
	struct stat_query vq = *q;
	if (ncompare)
		vq.by = "province";
	int rc = stats_compute(st, a, &vq, out, e);
	if (rc < 0)
		return rc;
	int by_province = vq.by && !strcmp(vq.by, "province");
	int nation = actor_reads_all(a) && !vq.province && !vq.old_province;
	json_t *names = NULL, *est = NULL;
	if (by_province && (rc = provinces_today(st, &names, e)) == 0)
		rc = establishments_by_province(st, &est, e);
	else if (nation && !vq.by)
		rc = provinces_today(st, &names, e);
	json_t *rows = json_object_get(*out, "rows");
	if (rc == 0 && by_province && nation && !vq.old_units) {
		set_coverage(*out, fill_provinces(rows, names), json_object_size(names));
	} else if (rc == 0 && nation && !vq.by)
		rc = coverage_of(st, a, &vq, names, *out, e);
	if (rc == 0 && by_province) {
		const struct indicator *ind = indicator_find(q->indicator);
		rank_rows(rows, est, ind && ind->agg == AGG_SUM);
		order_rows(rows, prow_cmp);
	} else
		stats_rows_order(*out);
	if (rc == 0 && ncompare)
		keep_compared(*out, compare, ncompare);
	json_decref(names);
	json_decref(est);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int stats_view_shared(struct store *st, const struct actor *a, const struct stat_query *q,
		      json_t **out, struct err *e)
{
	struct buf key = BUF_INIT;
	char version[1024];
	buf_puts(&key, "|view|");
	int rc = stats_memo_ident(st, a, q, &key, version, sizeof version, e);
	if (rc == 0 && !(*out = stats_memo_peek(st, buf_cstr(&key), version)) &&
	    (rc = stats_view(st, a, q, NULL, 0, out, e)) == 0)
		stats_memo_put(st, buf_cstr(&key), version, *out);
	buf_free(&key);
	return rc;
}
