/* stats.c - the aggregation engine: computed values from records, reported
 * figures where no records exist, honest qualifiers, any breakdown. */
#include "stats/stats.h"

#include "stats/stats_memo.h"
#include "stats/stats_place.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "model/entity.h"
#include "model/place.h"
#include "model/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Same numbering as enum vqual (core/vtext.h). */
enum { Q_EXACT, Q_AT_LEAST, Q_ABOUT, Q_AT_MOST, Q_RANGE, Q_NEARLY };

static int qual_parse(const char *s)
{
	int q = vtext_qual_parse(s);
	return q < 0 ? Q_EXACT : q;
}

/* The qualifier of a sum of two qualified values. */
static int qual_add(int a, int b)
{
	if (a == b)
		return a;
	if (a == Q_EXACT)
		return b;
	if (b == Q_EXACT)
		return a;
	/* at least + at most, nearly + at least, or a range with a bound: only
	 * "about" is honest */
	return Q_ABOUT;
}

/* One place (and breakdown key): what the records say and what was reported. */
struct cell {
	char pkey[16], dkey[48];
	int64_t num, den, nrec; /* computed */
	int has_comp;
	int64_t rv, rhi; /* reported, in the indicator's unit at rep_scale() */
	int rqual, has_rep;
	char measures[160]; /* the distinct measures of the reported figures,
			       "lượt người|người" (measures_add) */
	json_t *figs;
};

/* Adds measure m to the '|'-separated list, once. */
static void measures_add(char *list, size_t size, const char *m)
{
	if (!m[0])
		return;
	char *hit = strstr(list, m);
	size_t n = strlen(m);
	if (hit && (hit == list || hit[-1] == '|') && (hit[n] == '|' || !hit[n]))
		return;
	size_t len = strlen(list);
	snprintf(list + len, size - len, "%s%s", len ? "|" : "", m);
}

struct cells {
	struct cell *v;
	size_t n, cap;
};

static struct cell *cell_get(struct cells *c, const char *pkey, const char *dkey)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].pkey, pkey) && !strcmp(c->v[i].dkey, dkey))
			return &c->v[i];
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	struct cell *x = &c->v[c->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->pkey, sizeof x->pkey, "%s", pkey ? pkey : "");
	snprintf(x->dkey, sizeof x->dkey, "%s", dkey ? dkey : "");
	x->figs = json_array();
	return x;
}

static void cells_free(struct cells *c)
{
	for (size_t i = 0; i < c->n; i++)
		json_decref(c->v[i].figs);
	free(c->v);
}

/* ---- SQL pieces, all built from the catalogue's constants ------------ */

static const char *pkey_expr(int old_units)
{
	return old_units ? "CASE WHEN t.old_province_code IS NOT NULL THEN 'old:' ||"
			   " t.old_province_code ELSE 'new:' || t.province_code END"
			 : "'new:' || t.province_code";
}

static void year_expr(const struct entity *ent, char *out, size_t n)
{
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	if (!yf)
		snprintf(out, n, "NULL");
	else if (yf->type == F_DATE)
		snprintf(out, n, "CAST(substr(t.%s, 1, 4) AS INTEGER)", yf->name);
	else
		snprintf(out, n, "t.%s", yf->name);
}

static int by_field_ok(const struct entity *ent, const char *by)
{
	const struct field *f = ent ? entity_field(ent, by) : NULL;
	return f && (f->flags & FF_FILTER) && (f->type == F_ENUM || f->type == F_BOOL);
}

static const char *const breakdowns[] = {STATS_BREAKDOWNS};

static int is_breakdown(const char *by)
{
	for (size_t i = 0; by && i < sizeof breakdowns / sizeof breakdowns[0]; i++)
		if (!strcmp(by, breakdowns[i]))
			return 1;
	return 0;
}

/* A statement's text and its parameters, in order. */
struct sqlb {
	struct buf b;
	int n;
	char type[32];
	int64_t iv[32];
	const char *tv[32];
};

static void arg_int(struct sqlb *s, int64_t v)
{
	s->type[s->n] = 'i';
	s->iv[s->n++] = v;
}

static void arg_text(struct sqlb *s, const char *v)
{
	s->type[s->n] = 't';
	s->tv[s->n++] = v;
}

static void sqlb_bind(const struct sqlb *s, struct stmt *st)
{
	for (int i = 0; i < s->n; i++) {
		if (s->type[i] == 'i')
			stmt_bind_int(st, i + 1, s->iv[i]);
		else
			stmt_bind_text(st, i + 1, s->tv[i]);
	}
}

/* The content type an indicator's report section stands for, for reported
 * figures that do not name one; NULL when the section is no content type. */
static const char *section_content(const struct indicator *ind)
{
	static const char *const map[][2] = {
		{"training", "training"},	 {"demo", "demo_model"}, {"machinery", "machinery"},
		{"products", "typical_product"}, {"fairs", "fairs"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(ind->section, map[i][0]))
			return map[i][1];
	return NULL;
}

/* The plan of one query: its period, the expressions of its breakdown and
 * filters, and the joins they need. */
struct plan {
	struct period p;
	struct rec_dims d;
	int by_dim;	    /* q->by is a breakdown of STATS_BREAKDOWNS */
	char by_sql[512];   /* expression of the breakdown over t, or "" */
	char ct_sql[512];   /* expression of the content type filter, or "" */
	char fund_sql[256]; /* expression of the funding filter, or "" */
	const char *ct_fig; /* the content type of figures not naming one (or NULL) */
};

static void year_bounds(struct sqlb *s, const char *col, const struct period *p)
{
	buf_puts(&s->b, "1 = 1");
	if (p->year_from) {
		buf_printf(&s->b, " AND t.%s >= ?", col);
		arg_int(s, p->year_from);
	}
	if (p->year_to) {
		buf_printf(&s->b, " AND t.%s <= ?", col);
		arg_int(s, p->year_to);
	}
}

static void date_bounds(struct sqlb *s, const char *col, const struct period *p)
{
	if (*p->date_from) {
		buf_printf(&s->b, " AND t.%s >= ?", col);
		arg_text(s, p->date_from);
	}
	if (*p->date_to) {
		buf_printf(&s->b, " AND t.%s <= ?", col);
		arg_text(s, p->date_to);
	}
}

/* Where the period places a record: by its date when the period is not
 * whole calendar years and the record has one (the start of a class or a
 * fair), else by its year; a record with only a year is in a period that
 * holds that whole year. */
static void period_sql(struct sqlb *s, const struct indicator *ind, const struct entity *ent,
		       const struct period *p)
{
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	if (ind->agg == AGG_STOCK || !yf)
		return;
	const struct field *df = yf->type == F_DATE ? yf : entity_field(ent, "date_from");
	if (df && df->type != F_DATE)
		df = NULL;
	const char *ycol = yf->type != F_DATE ? yf->name : NULL;
	if (p->by_date && df) {
		buf_printf(&s->b, " AND ((t.%s IS NOT NULL", df->name);
		date_bounds(s, df->name, p);
		buf_puts(&s->b, ")");
		if (ycol) {
			buf_printf(&s->b, " OR (t.%s IS NULL AND ", df->name);
			if (p->no_years)
				buf_puts(&s->b, "1 = 0");
			else
				year_bounds(s, ycol, p);
			buf_puts(&s->b, ")");
		}
		buf_puts(&s->b, ")");
	} else if (!ycol) {
		date_bounds(s, yf->name, p);
	} else if (p->no_years) {
		buf_puts(&s->b, " AND 1 = 0");
	} else {
		buf_puts(&s->b, " AND ");
		year_bounds(s, ycol, p);
	}
}

static void place_sql(struct sqlb *s, const char *prov, const struct stat_query *q)
{
	if (prov) {
		buf_puts(&s->b, " AND t.province_code = ?");
		arg_text(s, prov);
	}
	if (q->old_province) {
		buf_puts(&s->b, " AND t.old_province_code = ?");
		arg_text(s, q->old_province);
	}
}

static void records_where(struct sqlb *s, const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const char *prov, struct plan *pl);

static void computed_sql(struct sqlb *s, const struct indicator *ind, const struct entity *ent,
			 const struct stat_query *q, const char *prov, struct plan *pl)
{
	char yexpr[96], dexpr[600];
	year_expr(ent, yexpr, sizeof yexpr);
	if (q->by && !strcmp(q->by, "year"))
		snprintf(dexpr, sizeof dexpr, "CAST(%s AS TEXT)", yexpr);
	else if (pl->by_dim)
		snprintf(dexpr, sizeof dexpr, "%s", pl->by_sql);
	else if (q->by && strcmp(q->by, "province"))
		snprintf(dexpr, sizeof dexpr, "CAST(t.%s AS TEXT)", entity_field(ent, q->by)->name);
	else
		snprintf(dexpr, sizeof dexpr, "''");
	buf_printf(&s->b, "SELECT %s, COALESCE(%s, ''), %s, %s, COUNT(*)", pkey_expr(q->old_units),
		   dexpr, ind->expr, ind->denom ? ind->denom : "0");
	records_where(s, ind, ent, q, prov, pl);
	buf_puts(&s->b, " GROUP BY 1, 2");
}

/* FROM and WHERE of the records an indicator counts for query q. */
static void records_where(struct sqlb *s, const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const char *prov, struct plan *pl)
{
	buf_printf(&s->b, " FROM %s t", ent->table);
	rec_dims_joins(&s->b, ent, &pl->d);
	buf_printf(&s->b, " WHERE (%s) AND t.province_code IS NOT NULL",
		   ind->where ? ind->where : "1 = 1");
	/* Illustrative records are examples, not data: they never move a statistic
	 * unless asked for. */
	if (!q->illustrative && entity_field(ent, "illustrative"))
		buf_puts(&s->b, " AND COALESCE(t.illustrative, 0) = 0");
	place_sql(s, prov, q);
	period_sql(s, ind, ent, &pl->p);
	if (*pl->ct_sql) {
		buf_printf(&s->b, " AND %s = ?", pl->ct_sql);
		arg_text(s, q->content_type);
	}
	if (*pl->fund_sql) {
		buf_printf(&s->b, " AND %s = ?", pl->fund_sql);
		arg_text(s, q->funding);
	}
}

/* The commune key of unit id: "new:CODE" for today's commune (an old one
 * whose successor is one new commune rolls up into it), "old:CODE" for the
 * commune of the time (with old units, or when an old one was split among
 * several new ones and cannot be placed). */
static void commune_key(struct store *st, const char *idtext, int old_units, char *out, size_t n)
{
	snprintf(out, n, "%s", "");
	int64_t id = atoll(idtext);
	struct stmt *s = store_prepare(st, "SELECT era, code FROM units WHERE id = ?", NULL);
	if (!s)
		return;
	stmt_bind(s, "i", id);
	char era[8] = "", code[16] = "";
	if (stmt_step(s, NULL) == 1) {
		snprintf(era, sizeof era, "%s", stmt_text(s, 0));
		snprintf(code, sizeof code, "%s", stmt_text(s, 1));
	}
	stmt_done(s);
	if (!*era)
		return;
	snprintf(out, n, "%s:%s", era, code);
	if (old_units || strcmp(era, "old"))
		return;
	s = store_prepare(st,
			  "SELECT DISTINCT n.code FROM unit_succession x JOIN units n ON n.id ="
			  " x.new_unit_id WHERE x.old_unit_id = ? AND n.level = 'commune'",
			  NULL);
	if (!s)
		return;
	stmt_bind(s, "i", id);
	int found = 0;
	char succ[16] = "";
	while (stmt_step(s, NULL) == 1)
		if (found++ == 0)
			snprintf(succ, sizeof succ, "%s", stmt_text(s, 0));
	stmt_done(s);
	if (found == 1)
		snprintf(out, n, "new:%s", succ);
}

struct keymap {
	char id[48], key[48];
};

static int load_computed(struct store *st, const struct indicator *ind, const struct entity *ent,
			 const struct stat_query *q, const char *prov, struct plan *pl,
			 struct cells *cells, struct err *e)
{
	struct sqlb sb = {.b = BUF_INIT};
	computed_sql(&sb, ind, ent, q, prov, pl);
	struct stmt *s = store_prepare(st, buf_cstr(&sb.b), e);
	if (!s) {
		buf_free(&sb.b);
		return ERR_STORE;
	}
	sqlb_bind(&sb, s);
	int communes = q->by && !strcmp(q->by, "commune");
	struct keymap *km = NULL;
	size_t nkm = 0;
	int rc;
	/* Units are looked up after the statement is done: it is cached and one
	 * prepared statement is stepped at a time. */
	struct pending {
		char pkey[16], dkey[48];
		int64_t num, den, nrec;
	} *rows = NULL;
	size_t nrows = 0;
	while ((rc = stmt_step(s, e)) == 1) {
		/* A sum over a field nobody filled in is unknown, not zero. */
		if (stmt_isnull(s, 2))
			continue;
		rows = xrealloc(rows, (nrows + 1) * sizeof *rows);
		struct pending *x = &rows[nrows++];
		snprintf(x->pkey, sizeof x->pkey, "%s", stmt_text(s, 0));
		snprintf(x->dkey, sizeof x->dkey, "%s", stmt_text(s, 1));
		x->num = stmt_int(s, 2);
		x->den = stmt_int(s, 3);
		x->nrec = stmt_int(s, 4);
	}
	stmt_done(s);
	buf_free(&sb.b);
	for (size_t i = 0; rc == 0 && i < nrows; i++) {
		const char *dkey = rows[i].dkey;
		if (communes && *dkey) {
			size_t j = 0;
			while (j < nkm && strcmp(km[j].id, dkey))
				j++;
			if (j == nkm) {
				km = xrealloc(km, (nkm + 1) * sizeof *km);
				snprintf(km[nkm].id, sizeof km[nkm].id, "%s", dkey);
				commune_key(st, dkey, q->old_units, km[nkm].key,
					    sizeof km[nkm].key);
				nkm++;
			}
			dkey = km[j].key;
		}
		struct cell *x = cell_get(cells, rows[i].pkey, dkey);
		x->num += rows[i].num;
		x->den += rows[i].den;
		x->nrec += rows[i].nrec;
		x->has_comp = 1;
	}
	free(rows);
	free(km);
	return rc < 0 ? rc : 0;
}

/* ---- reported figures --------------------------------------------------- */

static int64_t pow10i(int n)
{
	int64_t p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

static int ind_is_money(const struct indicator *ind)
{
	return !strncmp(ind->measure, "đồng", strlen("đồng")) || !strcmp(ind->measure, "USD");
}

/* How many of the indicator's unit one unit of measure m is. */
int64_t stats_measure_factor(const struct indicator *ind, const char *m)
{
	if (!m)
		return 1;
	if (!strncmp(ind->measure, "đồng", strlen("đồng"))) {
		if (strstr(m, "nghìn tỷ"))
			return 1000000000000LL;
		if (strstr(m, "tỷ"))
			return 1000000000;
		if (strstr(m, "triệu"))
			return 1000000;
		if (strstr(m, "nghìn"))
			return 1000;
	}
	if (!strcmp(ind->measure, "USD") && strstr(m, "triệu"))
		return 1000000;
	return 1;
}

/* Reported figures add up with REP_EXTRA more decimals than the indicator
 * keeps, so "37,85%" is not read as 37,9% (amounts are whole đồng already). */
#define REP_EXTRA 3

static int rep_scale(const struct indicator *ind)
{
	return ind_is_money(ind) ? ind->scale : ind->scale + REP_EXTRA;
}

/* v (with scale from) in the indicator's unit and scale; rounds half up. */
static int64_t rescale(int64_t v, int from, int64_t factor, int to)
{
	__int128 x = (__int128)v * factor * pow10i(to);
	int64_t d = pow10i(from);
	return (int64_t)((x + (x >= 0 ? d / 2 : -d / 2)) / d);
}

/* Reported figures of an indicator: the place key, period, value, source
 * and content type (the figure's own, else the section's). */
static void reported_sql(struct sqlb *s, const struct indicator *ind, const struct stat_query *q,
			 const char *prov, const struct plan *pl)
{
	buf_printf(&s->b,
		   "SELECT %s, t.period_from, t.period_to, t.value, t.value_hi, t.value_scale,"
		   " t.value_qual, t.measure, t.id, t.source_title, t.source_publisher,"
		   " t.source_date, t.source_url, COALESCE(t.content_type, ?, ''), %s"
		   " FROM figures t WHERE t.indicator = ? AND (t.province_code IS NOT NULL%s)",
		   fig_pkey_expr(q->old_units), fig_own_place_expr(),
		   /* The nation's own figures count in the nation's statistics only. */
		   !prov && !q->old_province ? " OR t.place_code = 'VN'" : "");
	arg_text(s, pl->ct_fig);
	arg_text(s, ind->code);
	place_sql(s, prov, q);
	if (pl->p.year_from) {
		buf_puts(&s->b, " AND t.period_from >= ?");
		arg_int(s, pl->p.year_from);
	}
	if (pl->p.year_to) {
		buf_puts(&s->b, " AND t.period_to <= ?");
		arg_int(s, pl->p.year_to);
	}
	if (q->content_type) {
		buf_puts(&s->b, " AND COALESCE(t.content_type, ?, '') = ?");
		arg_text(s, pl->ct_fig);
		arg_text(s, q->content_type);
	}
	buf_puts(&s->b, " ORDER BY 1, 15, t.period_from, t.id");
}

static void add_reported(const struct indicator *ind, const struct stat_query *q, struct stmt *s,
			 struct cells *c, int *last_to, char *last_place)
{
	const char *pkey = stmt_text(s, 0);
	int from = (int)stmt_int(s, 1), to = (int)stmt_int(s, 2);
	/* Within the place a figure was reported for (not the province it rolls
	 * up into: two old provinces of one new one both count), figures of
	 * overlapping periods are not added twice. */
	char place[FIG_PLACE_MAX];
	snprintf(place, sizeof place, "%s|%s", pkey, stmt_text(s, 14) ? stmt_text(s, 14) : "");
	if (!strcmp(last_place, place) && from <= *last_to)
		return;
	snprintf(last_place, FIG_PLACE_MAX, "%s", place);
	*last_to = to;
	char dkey[48] = "";
	if (q->by && !strcmp(q->by, "content_type"))
		snprintf(dkey, sizeof dkey, "%s", stmt_text(s, 13) ? stmt_text(s, 13) : "");
	else if (q->by && !strcmp(q->by, "year")) {
		if (from == to)
			snprintf(dkey, sizeof dkey, "%d", from);
		else
			snprintf(dkey, sizeof dkey, "%d–%d", from, to);
	}
	int64_t f = stats_measure_factor(ind, stmt_text(s, 7));
	int scale = (int)stmt_int(s, 5);
	struct cell *x = cell_get(c, pkey, dkey);
	int qual = qual_parse(stmt_text(s, 6));
	x->rv += rescale(stmt_int(s, 3), scale, f, rep_scale(ind));
	x->rhi += rescale(stmt_int(s, 4), scale, f, rep_scale(ind));
	x->rqual = x->has_rep ? qual_add(x->rqual, qual) : qual;
	measures_add(x->measures, sizeof x->measures, stmt_text(s, 7) ? stmt_text(s, 7) : "");
	x->has_rep = 1;
	char period[16];
	snprintf(period, sizeof period, from == to ? "%d" : "%d–%d", from, to);
	json_array_append_new(x->figs,
			      json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?}", "id",
					(json_int_t)stmt_int(s, 8), "period", period,
					"source_title", stmt_text(s, 9) ? stmt_text(s, 9) : "",
					"source_publisher", stmt_text(s, 10), "source_date",
					stmt_text(s, 11), "source_url", stmt_text(s, 12)));
}

static int load_reported(struct store *st, const struct indicator *ind, const struct stat_query *q,
			 const char *prov, const struct plan *pl, struct cells *cells,
			 struct err *e)
{
	/* Figures have years only: a period holding no whole year holds none. */
	if (pl->p.no_years)
		return 0;
	struct sqlb sb = {.b = BUF_INIT};
	reported_sql(&sb, ind, q, prov, pl);
	struct stmt *s = store_prepare(st, buf_cstr(&sb.b), e);
	if (!s) {
		buf_free(&sb.b);
		return ERR_STORE;
	}
	sqlb_bind(&sb, s);
	int rc, last_to = 0;
	char last_place[FIG_PLACE_MAX] = "";
	while ((rc = stmt_step(s, e)) == 1)
		add_reported(ind, q, s, cells, &last_to, last_place);
	stmt_done(s);
	buf_free(&sb.b);
	return rc < 0 ? rc : 0;
}

/* ---- combining ----------------------------------------------------------- */

struct acc {
	int64_t num, den, nrec, rv, rhi;
	int rqual, comp, rep, rep_places;
	char measures[160]; /* of the figures added, as in struct cell */
	json_t *figs;
};

/* The place keys that have records: their reported figures give way. */
static int place_has_records(const struct cells *c, const char *pkey)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].has_comp && !strcmp(c->v[i].pkey, pkey))
			return 1;
	return 0;
}

static void acc_add(struct acc *a, const struct cells *all, const struct cell *x)
{
	if (x->has_comp) {
		a->num += x->num;
		a->den += x->den;
		a->nrec += x->nrec;
		a->comp = 1;
	}
	if (x->has_rep && !place_has_records(all, x->pkey)) {
		a->rv += x->rv;
		a->rhi += x->rhi;
		a->rqual = a->rep ? qual_add(a->rqual, x->rqual) : x->rqual;
		char list[sizeof x->measures], *save = NULL;
		snprintf(list, sizeof list, "%s", x->measures);
		for (char *m = strtok_r(list, "|", &save); m; m = strtok_r(NULL, "|", &save))
			measures_add(a->measures, sizeof a->measures, m);
		a->rep = 1;
		a->rep_places++;
		size_t i;
		json_t *f;
		json_array_foreach(x->figs, i, f) json_array_append(a->figs, f);
	}
}

static int64_t ratio(int64_t num, int64_t den)
{
	return den ? (num + den / 2) / den : 0;
}

static char *figures_link(const struct indicator *ind, json_t *figs);

/* v and hi, at rep_scale(), with the fewest decimals that keep them exact but
 * no fewer than the indicator's: a sum shows the precision of its parts
 * ("37,85%" stays 37,85; 12,1 + 37,85 = 49,95). Returns that scale. */
static int exact_scale(const struct indicator *ind, int64_t *v, int64_t *hi)
{
	int scale = rep_scale(ind);
	while (scale > ind->scale && *v % 10 == 0 && *hi % 10 == 0) {
		*v /= 10;
		*hi /= 10;
		scale--;
	}
	return scale;
}

static json_t *acc_json(const struct indicator *ind, struct acc *a, const char *key,
			const char *label, const char *link)
{
	json_t *o = json_pack("{s:s,s:s}", "key", key, "label", label);
	int64_t v = 0, hi = 0;
	int qual = Q_EXACT, scale = ind->scale;
	const char *source = "none";
	int ratio_ind = ind->agg == AGG_RATIO;
	if (a->comp && a->rep && ratio_ind) {
		source = "mixed"; /* a ratio of records and a reported ratio cannot be combined */
	} else if (a->comp || a->rep) {
		int64_t cv = ratio_ind ? ratio(a->num, a->den) : a->num;
		if (ratio_ind && a->rep && a->rep_places > 1)
			source = "not_additive";
		else {
			int64_t up = pow10i(rep_scale(ind) - ind->scale);
			v = (a->comp ? cv * up : 0) + (a->rep ? a->rv : 0);
			hi = (a->comp ? cv * up : 0) + (a->rep ? a->rhi : 0);
			scale = exact_scale(ind, &v, &hi);
			qual = a->rep ? a->rqual : Q_EXACT;
			source = a->comp && a->rep ? "mixed" : a->comp ? "records" : "reported";
		}
	}
	int has_value = strcmp(source, "none") && strcmp(source, "not_additive") &&
			!(ratio_ind && a->comp && a->rep);
	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "value", has_value ? json_integer(v) : json_null());
	json_object_set_new(o, "value_hi", has_value ? json_integer(hi) : json_null());
	json_object_set_new(o, "scale", json_integer(scale));
	json_object_set_new(o, "qualifier", json_string(vtext_qual_code(qual)));
	struct buf t = BUF_INIT;
	/* Reported counts read in the words of their source ("1.250 doanh nghiệp");
	 * amounts and percentages are already in the indicator's unit. */
	struct indicator own = *ind;
	int mixed = strchr(a->measures, '|') != NULL;
	if (!strcmp(source, "reported") && !mixed && a->measures[0] &&
	    strncmp(ind->measure, "đồng", strlen("đồng")) && strcmp(ind->measure, "USD") &&
	    ind->measure[0] != '%')
		own.measure = a->measures;
	if (has_value)
		stats_format(&t, &own, v, hi, scale, vtext_qual_code(qual));
	json_object_set_new(o, "text", json_string(buf_cstr(&t)));
	buf_free(&t);
	/* Figures in different measures ("7.200 lượt người" and "718 người")
	 * were added under the indicator's: say so rather than hide it. */
	if (mixed) {
		json_t *ms = json_array();
		char copy[sizeof a->measures], *save = NULL;
		snprintf(copy, sizeof copy, "%s", a->measures);
		for (char *m = strtok_r(copy, "|", &save); m; m = strtok_r(NULL, "|", &save))
			json_array_append_new(ms, json_string(m));
		json_object_set_new(o, "measures_mixed", ms);
	}
	json_object_set_new(o, "records_count", json_integer(a->nrec));
	json_object_set_new(o, "records", a->comp && link ? json_string(link) : json_null());
	json_object_set_new(o, "figures", json_incref(a->figs));
	char *fl = a->rep ? figures_link(ind, a->figs) : NULL;
	json_object_set_new(o, "figures_link", fl ? json_string(fl) : json_null());
	free(fl);
	return o;
}

/* ---- labels and links -------------------------------------------------- */

static void place_label(struct store *st, const char *pkey, char *out, size_t n)
{
	const char *era = !strncmp(pkey, "old:", 4) ? "old" : "new";
	const char *code = strchr(pkey, ':') ? strchr(pkey, ':') + 1 : pkey;
	snprintf(out, n, "%s", code);
	if (!strncmp(pkey, "place:", 6)) {
		snprintf(out, n, "%s", place_name(code, "vi") ? place_name(code, "vi") : code);
		return;
	}
	struct stmt *s = store_prepare(st,
				       "SELECT full_name FROM units WHERE era = ? AND"
				       " level = 'province' AND code = ? ORDER BY is_current DESC",
				       NULL);
	if (!s)
		return;
	stmt_bind(s, "tt", era, code);
	if (stmt_step(s, NULL) == 1)
		snprintf(out, n, "%s%s", stmt_text(s, 0), strcmp(era, "old") ? "" : " (cũ)");
	stmt_done(s);
}

/* The list of the records behind a value, with every condition of the
 * query: the lists take the statistics' own breakdowns as filters
 * (record.h, REC_DIMENSIONS), "none" for the unknown row, and a date range
 * placing records as period_sql() does. NULL when there are no records. */
static char *records_link(const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const struct plan *pl, const char *pkey,
			  const char *dim, const char *dval)
{
	if (!ent)
		return NULL;
	struct buf b = BUF_INIT;
	buf_printf(&b, "/%s?%s", ent->collection, ind->filter ? ind->filter : "");
	if (pkey && !strncmp(pkey, "new:", 4))
		/* With old units, a province of today holds what was recorded under
		 * today's units only. */
		buf_printf(&b, "&province=%t%s", pkey + 4, q->old_units ? "&old_province=none" : "");
	else if (pkey && !strncmp(pkey, "old:", 4))
		buf_printf(&b, "&old_province=%t", pkey + 4);
	else if (q->province)
		buf_printf(&b, "&province=%t", q->province);
	if (q->old_province && !pkey)
		buf_printf(&b, "&old_province=%t", q->old_province);
	if (!q->illustrative && entity_field(ent, "illustrative"))
		buf_puts(&b, "&illustrative=0");
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	if (ind->agg != AGG_STOCK && yf) {
		const struct field *df = record_date_field(ent);
		int years = 1;
		if (pl->p.by_date && df) {
			if (*pl->p.date_from)
				buf_printf(&b, "&date_from=%t", pl->p.date_from);
			if (*pl->p.date_to)
				buf_printf(&b, "&date_to=%t", pl->p.date_to);
			/* Records without a date count by year, or not at all. */
			years = df != yf && !pl->p.no_years;
		}
		if (years && pl->p.year_from)
			buf_printf(&b, "&year_from=%d", pl->p.year_from);
		if (years && pl->p.year_to)
			buf_printf(&b, "&year_to=%d", pl->p.year_to);
		if (dim && !strcmp(dim, "year") && dval && *dval)
			buf_printf(&b, "&year=%t", dval);
	}
	if (dim && strcmp(dim, "year") && strcmp(dim, "province")) {
		buf_printf(&b, "&%t=%t", dim, dval && *dval ? dval : "none");
		if (!strcmp(dim, "commune") && q->old_units)
			buf_puts(&b, "&units=old");
	}
	if (q->content_type && !(dim && !strcmp(dim, "content_type")))
		buf_printf(&b, "&content_type=%t", q->content_type);
	if (q->funding && !(dim && !strcmp(dim, "funding")))
		buf_printf(&b, "&funding=%t", q->funding);
	/* "/machinery?&province=01" reads "/machinery?province=01". */
	char *link = buf_detach(&b), *amp = strstr(link, "?&");
	if (amp)
		memmove(amp + 1, amp + 2, strlen(amp + 2) + 1);
	return link;
}

/* The list of the reported figures a value uses (NULL when none, or too
 * many for one list). */
static char *figures_link(const struct indicator *ind, json_t *figs)
{
	size_t n = json_array_size(figs);
	if (!n || n > LIST_MAX_IDS)
		return NULL;
	struct buf b = BUF_INIT;
	buf_printf(&b, "/figures?indicator=%t&ids=", ind->code);
	size_t i;
	json_t *f;
	json_array_foreach(figs, i, f)
		buf_printf(&b, "%s%lld", i ? "," : "",
			   (long long)json_integer_value(json_object_get(f, "id")));
	return buf_detach(&b);
}

/* The words of a breakdown's row key. */
static void dim_label(struct store *st, const char *dim, const char *key, char *out, size_t n)
{
	snprintf(out, n, "%s", key);
	if (!*key) {
		snprintf(out, n, "Không xác định");
		return;
	}
	const struct field *codes = rec_dim_codes(dim);
	if (codes) {
		field_enum_label(codes, key, "vi", out, n);
		return;
	}
	struct stmt *s = NULL;
	if (!strcmp(dim, "village")) {
		s = store_prepare(st, "SELECT name FROM villages WHERE id = ?", NULL);
		if (s)
			stmt_bind(s, "i", (int64_t)atoll(key));
	} else if (!strcmp(dim, "industry") && strchr(key, ':')) {
		char ed[8];
		snprintf(ed, sizeof ed, "%.*s", (int)(strchr(key, ':') - key), key);
		s = store_prepare(st,
				  "SELECT code || ' – ' || name || ' (VSIC ' || edition || ')' FROM"
				  " industries WHERE edition = ? AND code = ?",
				  NULL);
		if (s)
			stmt_bind(s, "tt", ed, strchr(key, ':') + 1);
	} else if (!strcmp(dim, "commune") && strchr(key, ':')) {
		char era[8];
		snprintf(era, sizeof era, "%.*s", (int)(strchr(key, ':') - key), key);
		s = store_prepare(
			st,
			"SELECT c.full_name || COALESCE(', ' || p.full_name, '') ||"
			" CASE WHEN c.era = 'old' THEN ' (cũ)' ELSE '' END FROM units c"
			" LEFT JOIN units p ON p.era = c.era AND p.level = 'province' AND"
			" p.code = c.province_code AND p.is_current = 1 WHERE c.era = ?"
			" AND c.level = 'commune' AND c.code = ? ORDER BY c.is_current DESC",
			NULL);
		if (s)
			stmt_bind(s, "tt", era, strchr(key, ':') + 1);
	}
	if (!s)
		return;
	if (stmt_step(s, NULL) == 1 && stmt_text(s, 0))
		snprintf(out, n, "%s", stmt_text(s, 0));
	stmt_done(s);
}

/* ---- the query ---------------------------------------------------------- */

static int not_applicable(struct err *e, const char *field, const char *what,
			  const struct indicator *ind)
{
	return err_set(
		e, ERR_INVALID, field,
		"Không áp dụng %s cho chỉ tiêu %s: hồ sơ của chỉ tiêu này không có thông tin đó"
		" / %s does not apply to %s: its records do not say it",
		what, ind->code, what, ind->code);
}

/* Checks q and plans it: the period, and the SQL of its breakdown and
 * filters over the records (or ERR_INVALID naming what does not apply). */
static int plan_query(struct store *st, const struct indicator *ind, const struct entity *ent,
		      const struct stat_query *q, struct plan *pl, struct err *e)
{
	memset(pl, 0, sizeof *pl);
	if (!ind)
		return err_set(e, ERR_INVALID, "indicator",
			       "Không có chỉ tiêu %s / unknown indicator",
			       q->indicator ? q->indicator : "");
	if (q->period)
		pl->p = *q->period;
	else {
		struct period_spec sp = {.kind = PERIOD_CALENDAR, .from = q->from, .to = q->to};
		int rc = period_resolve(st, &sp, &pl->p, e);
		if (rc < 0)
			return rc;
	}
	pl->by_dim = is_breakdown(q->by);
	if (q->by && strcmp(q->by, "province") && strcmp(q->by, "year") && !pl->by_dim &&
	    !by_field_ok(ent, q->by))
		return err_set(
			e, ERR_INVALID, "by",
			"Không chia được chỉ tiêu này theo %s / cannot break this indicator down "
			"by %s",
			q->by, q->by);
	if (q->content_type &&
	    !field_enum_label(entity_field(entity_find("projects"), "content_type"),
			      q->content_type, "vi", (char[8]){0}, 8))
		return err_set(e, ERR_INVALID, "content_type",
			       "Không có nội dung khuyến công %s / no content type %s",
			       q->content_type, q->content_type);
	if (q->funding && strcmp(q->funding, "national") && strcmp(q->funding, "local"))
		return err_set(
			e, ERR_INVALID, "funding",
			"Nguồn kinh phí là national hoặc local / funding is national or local");
	pl->ct_fig = section_content(ind);
	if (!ent) {
		/* Reported figures only: they say their content type, nothing else. */
		if (pl->by_dim && strcmp(q->by, "content_type"))
			return not_applicable(e, "by", q->by, ind);
		if (q->funding)
			return not_applicable(e, "funding", "funding", ind);
		return 0;
	}
	rec_dims_init(&pl->d, ent);
	if (pl->by_dim && rec_dim_sql(ent, &pl->d, q->by, pl->by_sql, sizeof pl->by_sql) < 0)
		return not_applicable(e, "by", q->by, ind);
	if (q->content_type &&
	    rec_dim_sql(ent, &pl->d, "content_type", pl->ct_sql, sizeof pl->ct_sql) < 0)
		return not_applicable(e, "content_type", "content_type", ind);
	if (q->funding &&
	    rec_dim_sql(ent, &pl->d, "funding", pl->fund_sql, sizeof pl->fund_sql) < 0)
		return not_applicable(e, "funding", "funding", ind);
	return 0;
}

static const char rule_text[] =
	"Với mỗi tỉnh và giai đoạn: có số liệu chi tiết thì tính từ số liệu chi tiết; không có thì "
	"dùng số liệu báo cáo có giai đoạn nằm trong giai đoạn hỏi, giữ nguyên từ định lượng "
	"(trên, khoảng) và nguồn. Bản ghi minh họa không được tính. / Per province and period: "
	"computed from detailed records when there are any; otherwise the reported figures whose "
	"period lies within the one asked, with their qualifier and source. Illustrative records "
	"are "
	"not counted.";

static const char placement_text[] =
	"Hồ sơ có ngày (lớp đào tạo, hội chợ: ngày bắt đầu) được xếp vào kỳ báo cáo theo ngày; hồ "
	"sơ "
	"chỉ có năm và số liệu báo cáo được xếp theo năm: chỉ được tính khi kỳ chứa trọn năm đó "
	"(năm "
	"báo cáo Y chứa hồ sơ năm Y; kỳ 6 tháng không chứa hồ sơ chỉ có năm). / Records with a "
	"date "
	"(classes, fairs: their start) are placed in a reporting period by date; records with only "
	"a "
	"year, and reported figures, by year: they count only when the period holds that whole "
	"year "
	"(reporting year Y holds the records of year Y; a half-year holds no year-only record).";

/* The nation's own reported figures, where there are any, are the nation's
 * total: they are what the national programme published, and the provinces'
 * figures and records are parts of it. The provinces' sum stays beside it
 * ("provinces_total"), never hidden. Consumes places. */
static json_t *nation_total(const struct indicator *ind, struct acc *nation, json_t *places)
{
	if (!nation->rep)
		return places;
	json_t *t = acc_json(ind, nation, "total", "Tổng", NULL);
	json_object_set_new(t, "provinces_total", places);
	return t;
}

static json_t *build_rows(struct store *st, const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const struct plan *pl, struct cells *c,
			  json_t **total)
{
	json_t *rows = json_array();
	struct acc all = {.figs = json_array()}, nation = {.figs = json_array()};
	int by_place = q->by && !strcmp(q->by, "province");
	/* Distinct row keys in first-seen order. */
	for (size_t i = 0; i < c->n; i++) {
		const char *key = by_place ? c->v[i].pkey : c->v[i].dkey;
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(key, by_place ? c->v[j].pkey : c->v[j].dkey);
		acc_add(fig_pkey_is_nation(c->v[i].pkey) ? &nation : &all, c, &c->v[i]);
		if (seen || !q->by)
			continue;
		struct acc a = {.figs = json_array()};
		for (size_t j = i; j < c->n; j++)
			if (!strcmp(key, by_place ? c->v[j].pkey : c->v[j].dkey))
				acc_add(&a, c, &c->v[j]);
		char label[200];
		if (by_place)
			place_label(st, key, label, sizeof label);
		else if (pl->by_dim || (strcmp(q->by, "year") && !*key))
			dim_label(st, q->by, key, label, sizeof label);
		else if (strcmp(q->by, "year") && ent)
			field_enum_label(entity_field(ent, q->by), key, "vi", label, sizeof label);
		else
			snprintf(label, sizeof label, "%s", *key ? key : "—");
		char *link = records_link(ind, ent, q, pl, by_place ? key : NULL, q->by, key);
		json_array_append_new(rows, acc_json(ind, &a, key, label, link));
		free(link);
		json_decref(a.figs);
	}
	char *link = records_link(ind, ent, q, pl, NULL, NULL, NULL);
	*total = nation_total(ind, &nation, acc_json(ind, &all, "total", "Tổng", link));
	free(link);
	json_decref(all.figs);
	json_decref(nation.figs);
	return rows;
}

/* Everything a result depends on besides the data: the query and whose
 * scope it is computed in. */
static void memo_key(struct buf *k, const struct actor *a, const struct stat_query *q)
{
	const struct period *p = q->period;
	buf_printf(k, "%s|%d|%d|%s|%s|%d|%s|%d|%s|%s|%d|%s|%d|", q->indicator ? q->indicator : "",
		   q->from, q->to, q->province ? q->province : "",
		   q->old_province ? q->old_province : "", q->old_units, q->by ? q->by : "",
		   q->illustrative, q->content_type ? q->content_type : "",
		   q->funding ? q->funding : "", actor_reads_all(a), a->province,
		   (int)a->role);
	if (p)
		buf_printf(k, "%s|%s|%d|%d|%d|%d|%s", p->date_from, p->date_to, p->year_from,
			   p->year_to, p->no_years, p->by_date, p->label);
}

static int compute_now(struct store *st, const struct actor *a, const struct stat_query *q,
		       json_t **out, struct err *e);

/* The result of the same query in the same scope is reused while the data
 * the connection sees is unchanged (stats_memo.h); anything else computes. */
int stats_compute(struct store *st, const struct actor *a, const struct stat_query *q, json_t **out,
		  struct err *e)
{
	char version[256];
	if (store_data_version(st, version, sizeof version, e) < 0)
		return ERR_STORE;
	struct buf key = BUF_INIT;
	memo_key(&key, a, q);
	*out = stats_memo_get(st, buf_cstr(&key), version);
	int rc = 0;
	if (!*out) {
		rc = compute_now(st, a, q, out, e);
		if (rc == 0)
			stats_memo_put(st, buf_cstr(&key), version, *out);
	}
	buf_free(&key);
	return rc;
}

/* Under old units, how many of the records counted have no old province
 * (counted under today's) or no old commune, because their place of today
 * was formed from several old ones (stats_place.h): said, never guessed.
 * With old_province, the records of the province of today it lies in. */
static int old_units_cover(struct store *st, const struct indicator *ind, const struct entity *ent,
			   const struct stat_query *q, const char *prov, struct plan *pl,
			   json_t *out, struct err *e)
{
	if (!ent || (!q->old_units && !q->old_province))
		return 0;
	struct stat_query wq = *q;
	wq.old_province = NULL;
	struct sqlb sb = {.b = BUF_INIT};
	buf_puts(&sb.b, "SELECT t.old_split, COUNT(*)");
	records_where(&sb, ind, ent, &wq, prov, pl);
	buf_puts(&sb.b, " AND t.old_split IS NOT NULL");
	if (q->old_province) {
		buf_puts(&sb.b, " AND t.province_code IN (SELECT new_province_code FROM units WHERE"
				" era = 'old' AND level = 'province' AND code = ?)");
		arg_text(&sb, q->old_province);
	}
	buf_puts(&sb.b, " GROUP BY t.old_split");
	struct stmt *s = store_prepare(st, buf_cstr(&sb.b), e);
	int rc = s ? 0 : ERR_STORE;
	int64_t nprov = 0, ncomm = 0;
	if (s) {
		sqlb_bind(&sb, s);
		while ((rc = stmt_step(s, e)) == 1)
			*(strcmp(stmt_text(s, 0), "province") ? &ncomm : &nprov) += stmt_int(s, 1);
		stmt_done(s);
	}
	buf_free(&sb.b);
	if (rc < 0)
		return rc;
	json_object_set_new(out, "old_units", stats_old_cover(nprov, ncomm));
	return 0;
}

static int compute_now(struct store *st, const struct actor *a, const struct stat_query *q,
		       json_t **out, struct err *e)
{
	const struct indicator *ind = indicator_find(q->indicator);
	const struct entity *ent = ind && ind->collection ? entity_find(ind->collection) : NULL;
	struct plan pl;
	int rc = plan_query(st, ind, ent, q, &pl, e);
	if (rc < 0)
		return rc;
	const char *prov = q->province;
	if (!actor_reads_all(a)) {
		if (a->role == ROLE_ESTABLISHMENT || (prov && strcmp(prov, a->province)))
			return err_set(e, ERR_FORBIDDEN, "province",
				       "Ngoài phạm vi của bạn / outside your scope");
		prov = a->province;
	}
	struct cells c = {0};
	if (ent)
		rc = load_computed(st, ind, ent, q, prov, &pl, &c, e);
	/* Reported figures carry no funding source: a funding filter leaves them out. */
	if (rc == 0 && !q->funding)
		rc = load_reported(st, ind, q, prov, &pl, &c, e);
	if (rc < 0) {
		cells_free(&c);
		return rc;
	}
	json_t *total;
	json_t *rows = build_rows(st, ind, ent, q, &pl, &c, &total);
	cells_free(&c);
	static const char *const aggs[] = {"sum", "ratio", "stock"};
	json_t *query =
		json_pack("{s:i,s:i,s:s?,s:s?,s:b,s:s?,s:b,s:s?,s:s?}", "from", pl.p.year_from,
			  "to", pl.p.year_to, "province", prov, "old_province", q->old_province,
			  "old_units", q->old_units, "by", q->by, "illustrative", q->illustrative,
			  "content_type", q->content_type, "funding", q->funding);
	json_object_set_new(query, "period",
			    json_pack("{s:s,s:s,s:s,s:b,s:b}", "label", pl.p.label, "date_from",
				      pl.p.date_from, "date_to", pl.p.date_to, "by_date",
				      pl.p.by_date, "year_only_counted", !pl.p.no_years));
	*out = json_pack("{s:{s:s,s:s,s:s,s:s,s:s,s:s},s:o,s:s,s:s,s:o,s:o}", "indicator", "code",
			 ind->code, "name", ind->vi, "name_en", ind->en, "measure", ind->measure,
			 "section", ind->section, "agg", aggs[ind->agg], "query", query, "rule",
			 rule_text, "placement", placement_text, "total", total, "rows", rows);
	rc = old_units_cover(st, ind, ent, q, prov, &pl, *out, e);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

/* "24,7 tỷ đồng"; a range in the unit of its upper end: "5–7 triệu đồng". */
static void money_text(struct buf *b, int64_t lo, int64_t hi, int range)
{
	if (!range) {
		vtext_fmt_money(b, lo);
		return;
	}
	/* Exact, as vtext_fmt_money: both ends in the largest unit that shows
	 * them with at most three decimals. */
	int scale = hi >= 1000000000 && lo % 1000000 == 0 && hi % 1000000 == 0 ? 9
		    : hi >= 1000000 && lo % 1000 == 0 && hi % 1000 == 0	       ? 6
									       : 0;
	const char *name = scale == 9 ? " tỷ đồng" : scale == 6 ? " triệu đồng" : " đồng";
	vtext_fmt_decimal(b, lo, scale, 3);
	buf_puts(b, "–");
	vtext_fmt_decimal(b, hi, scale, 3);
	buf_puts(b, name);
}

void stats_format(struct buf *b, const struct indicator *ind, int64_t value, int64_t hi, int scale,
		  const char *qualifier)
{
	int q = qual_parse(qualifier);
	if (q != Q_RANGE)
		buf_puts(b, vtext_fmt_qual((enum vqual)q));
	if (!strncmp(ind->measure, "đồng", strlen("đồng")) && scale == 0) {
		money_text(b, value, hi, q == Q_RANGE);
		buf_puts(b, ind->measure + strlen("đồng")); /* "/người/tháng" */
		return;
	}
	if (!strcmp(ind->measure, "USD")) {
		vtext_fmt_usd(b, value * 100);
		if (q == Q_RANGE) {
			buf_puts(b, " – ");
			vtext_fmt_usd(b, hi * 100);
		}
		return;
	}
	vtext_fmt_decimal(b, value, scale, scale);
	if (q == Q_RANGE) {
		buf_puts(b, "–");
		vtext_fmt_decimal(b, hi, scale, scale);
	}
	if (ind->measure[0] == '%')
		buf_puts(b, ind->measure); /* "%", "%/năm" */
	else
		buf_printf(b, " %s", ind->measure);
}
