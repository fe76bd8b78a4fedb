/* stats.c - the aggregation engine: reported figures and the records they
 * cover (itemised), computed values where no figure was reported, honest
 * qualifiers, any breakdown. */
#include "stats/stats.h"

#include "stats/stats_memo.h"
#include "stats/stats_place.h"
#include "stats/stats_preagg.h"
#include "stats/figure_parts.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "model/entity.h"
#include "model/place.h"
#include "model/record.h"

#include <stdint.h>
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

/* One finest cell: a place and breakdown key, and either the records not
 * covered by a reported figure (fid 0) or one reported figure (fid) with the
 * records it covers ("of which itemised"). */
struct cell {
	char pkey[16], dkey[48];
	int64_t fid;
	int64_t num, den, nrec, nnull; /* records counted: value, records, without a value */
	int has_comp, has_num;
	int64_t inum, iden, inrec, innull; /* records a figure covers (itemised) */
	int has_item, has_inum;
	int64_t rv, rhi; /* reported, in the indicator's unit at rep_scale() */
	int rqual, has_rep, covers; /* covers: the figure has itemised records */
	/* A sum went past what an int64 holds exactly (stored data may hold any
	 * number, written by SQL around the range checks of record_value.c):
	 * of the records counted or the figure (overflow), of the itemised
	 * records (ioverflow). */
	int overflow, ioverflow;
	/* A total ("Tổng") with parts counts rv = what they leave of it, the
	 * part "khác / chưa phân loại"; total_rv is the total itself. */
	int remainder, tqual;		       /* tqual: the total's own qualifier */
	int64_t parent;			       /* the figure of the total holding this one, or 0 */
	int64_t total_rv, unclass, unclass_hi; /* with the parts that name no group */
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
	json_t *index; /* "fid|pkey|dkey" and "F<fid>" (its first cell) to positions in v */
};

/* The position in c->v of the cell under key, or -1. */
static json_int_t cell_find(const struct cells *c, const char *key)
{
	json_t *at = c->index ? json_object_get(c->index, key) : NULL;
	return at ? json_integer_value(at) : -1;
}

static struct cell *cell_get(struct cells *c, const char *pkey, const char *dkey, int64_t fid)
{
	char key[96];
	snprintf(key, sizeof key, "%lld|%s|%s", (long long)fid, pkey ? pkey : "", dkey ? dkey : "");
	json_int_t at = cell_find(c, key);
	if (at >= 0)
		return &c->v[at];
	if (!c->index)
		c->index = json_object();
	json_object_set_new(c->index, key, json_integer((json_int_t)c->n));
	char fkey[24];
	snprintf(fkey, sizeof fkey, "F%lld", (long long)fid);
	if (fid && cell_find(c, fkey) < 0)
		json_object_set_new(c->index, fkey, json_integer((json_int_t)c->n));
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	struct cell *x = &c->v[c->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->pkey, sizeof x->pkey, "%s", pkey ? pkey : "");
	snprintf(x->dkey, sizeof x->dkey, "%s", dkey ? dkey : "");
	x->fid = fid;
	x->figs = json_array();
	return x;
}

/* The cell of reported figure fid, or NULL when it was not added. */
static struct cell *cell_of_figure(struct cells *c, int64_t fid)
{
	char fkey[24];
	snprintf(fkey, sizeof fkey, "F%lld", (long long)fid);
	json_int_t at = fid ? cell_find(c, fkey) : -1;
	if (at < 0)
		return NULL; /* no cell of this figure at all */
	if (c->v[at].has_rep)
		return &c->v[at]; /* figures come first: their own cell is the first */
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].fid == fid && c->v[i].has_rep)
			return &c->v[i];
	return NULL;
}

static void cells_free(struct cells *c)
{
	for (size_t i = 0; i < c->n; i++)
		json_decref(c->v[i].figs);
	free(c->v);
	json_decref(c->index);
}

/* ---- SQL pieces, all built from the catalogue's constants ------------ */

/* Less specific figures first: a total is added before a part of it that
 * names a breakdown the total leaves empty (fig_overlaps). */
#define FIG_SPECIFICITY(a)                                                                \
	"(CASE WHEN " a ".content_type IS NULL THEN 0 ELSE 1 END + CASE WHEN " a          \
	".funding IS NULL THEN 0 ELSE 1 END + CASE WHEN " a ".establishment_kind IS NULL" \
	" THEN 0 ELSE 1 END + CASE WHEN " a ".product_group IS NULL THEN 0 ELSE 1 END)"

/* The province key of a record. Under today's units the column itself, and
 * "new:" is put before it in C (rec_pkey): grouping by an expression made
 * SQLite sort every record in a temporary b-tree (43 ms of CPU against 13 ms
 * by the column, national trainees). */
static const char *pkey_expr(int old_units)
{
	return old_units ? "CASE WHEN t.old_province_code IS NOT NULL THEN 'old:' ||"
			   " t.old_province_code ELSE 'new:' || t.province_code END"
			 : "t.province_code";
}

static void rec_pkey(char *out, size_t n, const char *col, int old_units)
{
	snprintf(out, n, "%s%s", old_units ? "" : "new:", col ? col : "");
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
 * figures that do not name one: the one its records stand for, else the
 * records of its section's first indicator computed from records
 * (entity_content); NULL when the section is no content type. */
static const char *section_content(const struct indicator *ind)
{
	const struct indicator *i = indicators;
	while (!ind->collection && i->code && (!i->collection || strcmp(i->section, ind->section)))
		i++;
	const char *coll = ind->collection ? ind->collection : i->collection;
	return coll ? entity_content(entity_find(coll)) : NULL;
}

/* The plan of one query: its period, the expressions of its breakdown and
 * filters, and the joins they need. */
struct plan {
	struct period p;
	struct rec_dims d;
	int by_dim;	    /* q->by is one of rec_dimensions */
	char by_sql[512];   /* expression of the breakdown over t, or "" */
	char ct_sql[512];   /* expression of the content type filter, or "" */
	char fund_sql[256]; /* expression of the funding filter, or "" */
	char kind_sql[128]; /* expression of the establishment kind filter, or "" */
	char group_sql[64]; /* expression of the product group filter, or "" */
	const char *ct_fig; /* the content type of figures not naming one (or NULL) */
	const struct indicator_part *parts; /* the indicator sums these (or NULL) */
	const char *own_fund;		    /* the one source of its amounts (or NULL) */
	char fig_fund[2][256];		    /* a figure's funding source over alias t and f */
	int figures;	    /* reported figures were added: records may be covered */
	/* The records' breakdowns a figure may name, for the cover test (or "") */
	char cov_ct[512], cov_fund[256], cov_kind[128], cov_group[64];
	const struct preagg *pa; /* the records are read from their pre-aggregate */
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

/* The figures an indicator counts, over alias a: its own, and where it is
 * the sum of others (indicator_parts) theirs too. */
static void fig_indicator_sql(struct sqlb *s, const char *a, const struct indicator *ind,
			      const struct plan *pl)
{
	buf_printf(&s->b, "%s.indicator IN (?", a);
	arg_text(s, ind->code);
	for (const struct indicator_part *p = pl->parts; p && p->code; p++) {
		buf_puts(&s->b, ", ?");
		arg_text(s, p->code);
	}
	buf_puts(&s->b, ")");
}

/* A figure's funding source over alias a: its own, else its part's
 * (a budget.local figure is local funds) or its indicator's (a
 * budget.counterpart figure is counterpart funds). Built from catalogue
 * constants. */
static void fig_fund_expr(char *out, size_t n, const char *a, const struct plan *pl)
{
	if (!pl->parts) {
		if (pl->own_fund)
			snprintf(out, n, "COALESCE(%s.funding, '%s')", a, pl->own_fund);
		else
			snprintf(out, n, "%s.funding", a);
		return;
	}
	size_t o = (size_t)snprintf(out, n, "COALESCE(%s.funding, CASE %s.indicator", a, a);
	for (const struct indicator_part *p = pl->parts; p->code && o < n; p++)
		o += (size_t)snprintf(out + o, n - o, " WHEN '%s' THEN '%s'", p->code, p->funding);
	if (o < n)
		snprintf(out + o, n - o, " END)");
}

/* The column a sum adds ("t.support_amount" of "SUM(t.support_amount)"):
 * its records without a value are counted, never as 0. 0 when the
 * indicator is not a plain sum of one column. */
static int value_column(const struct indicator *ind, char *out, size_t n)
{
	const char *e = ind->expr;
	if (!e || strncmp(e, "SUM(t.", 6))
		return 0;
	size_t len = strspn(e + 6, "abcdefghijklmnopqrstuvwxyz_");
	if (e[6 + len] != ')')
		return 0;
	snprintf(out, n, "t.%.*s", (int)len, e + 6);
	return 1;
}

/* The reported figure that covers a record (its place, a period holding
 * the record's year, and the breakdowns it names equal to the record's), the
 * first in the order figures are added; 0 when none. Only figures the
 * query itself uses can cover (same conditions as reported_sql). */
static void cover_sql(struct sqlb *s, const struct indicator *ind, const struct stat_query *q,
		      const struct plan *pl, const char *yexpr)
{
	if (!pl->figures) {
		buf_puts(&s->b, "0");
		return;
	}
	/* A province's figure: a figure of today's province covers its records;
	 * one of an old province those of that old province (or of an unchanged
	 * province whose records do not say it). Figures of districts, regions
	 * and the nation cover none: records do not say their district. */
	/* Only where a figure of the indicator exists at all: the test of one
	 * record's group is a correlated subquery (three index probes and a
	 * sort), run once for each of the ~500 groups of a national statistic
	 * over the pre-aggregate, when figures are kept by a few provinces; the
	 * list of those is read once (a hashed subquery) and skips the others
	 * (PostgreSQL: 3 ms to 0.3 ms a statement, issue 17). */
	buf_puts(&s->b,
		 "CASE WHEN t.province_code IN (SELECT c.province_code FROM figures c WHERE ");
	fig_indicator_sql(s, "c", ind, pl);
	buf_puts(&s->b, ") THEN COALESCE((SELECT f.id FROM figures f WHERE ");
	fig_indicator_sql(s, "f", ind, pl);
	buf_puts(&s->b, " AND f.province_code = t.province_code AND f.place_code IS NULL AND EXISTS"
			" (SELECT 1 FROM units u WHERE u.id = f.unit_id AND u.level = 'province')"
			" AND (f.unit_era = 'new' OR f.old_province_code = t.old_province_code OR"
			" (t.old_province_code IS NULL AND (SELECT COUNT(*) FROM units o WHERE"
			" o.era = 'old' AND o.level = 'province' AND o.new_province_code ="
			" t.province_code) = 1))");
	if (ind->agg != AGG_STOCK && strcmp(yexpr, "NULL"))
		buf_printf(&s->b, " AND %s BETWEEN f.period_from AND f.period_to", yexpr);
	if (q->year_rows) /* what a query of one year holds */
		buf_puts(&s->b, " AND f.period_from = f.period_to");
	if (pl->p.year_from) {
		buf_puts(&s->b, " AND f.period_from >= ?");
		arg_int(s, pl->p.year_from);
	}
	if (pl->p.year_to) {
		buf_puts(&s->b, " AND f.period_to <= ?");
		arg_int(s, pl->p.year_to);
	}
	if (q->content_type) {
		buf_puts(&s->b, " AND COALESCE(f.content_type, ?, '') = ?");
		arg_text(s, pl->ct_fig);
		arg_text(s, q->content_type);
	}
	const char *ffund = pl->fig_fund[1];
	if (q->funding) {
		buf_printf(&s->b, " AND %s = ?", ffund);
		arg_text(s, q->funding);
	}
	if (q->establishment_kind) {
		buf_puts(&s->b, " AND f.establishment_kind = ?");
		arg_text(s, q->establishment_kind);
	}
	if (q->product_group) {
		buf_puts(&s->b, " AND f.product_group = ?");
		arg_text(s, q->product_group);
	}
	const char *cols[] = {"f.content_type", ffund, "f.establishment_kind", "f.product_group"};
	const char *exprs[] = {pl->cov_ct, pl->cov_fund, pl->cov_kind, pl->cov_group};
	for (int i = 0; i < 4; i++)
		buf_printf(&s->b, " AND (%s IS NULL OR %s = %s)", cols[i], cols[i],
			   *exprs[i] ? exprs[i] : "CAST(NULL AS TEXT)");
	/* The innermost figure: a record of a group a total names is that
	 * group's; a part's figure (budget.local) before the whole's. */
	buf_puts(&s->b, " ORDER BY f.period_from, ");
	if (pl->parts) {
		buf_puts(&s->b, "CASE WHEN f.indicator = ? THEN 1 ELSE 0 END, ");
		arg_text(s, ind->code);
	}
	buf_printf(&s->b,
		   "(CASE WHEN f.content_type IS NULL THEN 0 ELSE 1 END + CASE WHEN %s IS NULL"
		   " THEN 0 ELSE 1 END + CASE WHEN f.establishment_kind IS NULL THEN 0 ELSE 1"
		   " END + CASE WHEN f.product_group IS NULL THEN 0 ELSE 1 END) DESC,"
		   " CASE WHEN f.scope = 'total' THEN 1 ELSE 0 END, f.id LIMIT 1), 0) ELSE 0 END",
		   ffund);
}

/* Aggregate expr as computed_sql() selects it. Once SQLite's SUM() stopped
 * at an overflow (reals, 1), each SUM adds reals, which never stop, and a
 * result that a double does not hold exactly (2^53 and beyond) reads as
 * INT64_MAX: exact_col() tells that cell, the others keep their exact value
 * and an empty sum stays NULL (unknown, not 0). */
static void sum_sql(struct buf *b, const char *expr, int reals)
{
	if (!reals) {
		buf_puts(b, expr);
		return;
	}
	struct buf r = BUF_INIT;
	for (const char *p = expr; *p; p++) {
		if (!strncmp(p, "SUM(", 4)) {
			buf_puts(&r, "SUM(0.0 + ");
			p += 3;
		} else {
			buf_putc(&r, *p);
		}
	}
	buf_printf(b,
		   "(CASE WHEN (%s) IS NULL THEN NULL WHEN ABS(%s) < 9007199254740992.0 THEN"
		   " CAST((%s) AS INTEGER) ELSE 9223372036854775807 END)",
		   buf_cstr(&r), buf_cstr(&r), buf_cstr(&r));
	buf_free(&r);
}

static void records_where(struct sqlb *s, const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const char *prov, struct plan *pl);

/* The records' groups as load_computed() reads them; over their
 * pre-aggregate when pl->pa, then -1 when an aggregate cannot be read from
 * it (the statement is not to be run). */
static int computed_sql(struct sqlb *s, const struct indicator *ind, const struct entity *ent,
			const struct stat_query *q, const char *prov, struct plan *pl, int reals)
{
	char yexpr[96], dexpr[760];
	year_expr(ent, yexpr, sizeof yexpr);
	if (q->by && !strcmp(q->by, "year"))
		snprintf(dexpr, sizeof dexpr, "CAST(%s AS TEXT)", yexpr);
	else if (pl->by_dim)
		snprintf(dexpr, sizeof dexpr, "%s", pl->by_sql);
	else if (q->by && strcmp(q->by, "province"))
		snprintf(dexpr, sizeof dexpr, "CAST(t.%s AS TEXT)", entity_field(ent, q->by)->name);
	else
		snprintf(dexpr, sizeof dexpr, "''");
	if (q->year_rows) { /* "2023|" and the breakdown's key */
		char inner[sizeof dexpr - 160];
		snprintf(inner, sizeof inner, "%.*s", (int)sizeof inner - 1, dexpr);
		snprintf(dexpr, sizeof dexpr, "CAST(%s AS TEXT) || '|' || COALESCE(%s, '')", yexpr,
			 inner);
	}
	char col[64], nulls[96] = "0";
	if (value_column(ind, col, sizeof col))
		snprintf(nulls, sizeof nulls, "COUNT(*) - COUNT(%s)", col);
	const char *aggs[] = {ind->expr, ind->denom ? ind->denom : "0", "COUNT(*)", nulls};
	struct buf ag[4] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	int rc = 0;
	for (int i = 0; i < 4; i++)
		if (!pl->pa)
			buf_puts(&ag[i], aggs[i]);
		else if (preagg_agg(pl->pa, aggs[i], &ag[i]) < 0)
			rc = -1; /* not a sum or count of what the pre-aggregate keeps */
	buf_printf(&s->b, "SELECT %s, COALESCE(%s, ''), ", pkey_expr(q->old_units), dexpr);
	sum_sql(&s->b, buf_cstr(&ag[0]), reals);
	buf_puts(&s->b, ", ");
	sum_sql(&s->b, buf_cstr(&ag[1]), reals);
	buf_printf(&s->b, ", %s, %s, ", buf_cstr(&ag[2]), buf_cstr(&ag[3]));
	for (int i = 0; i < 4; i++)
		buf_free(&ag[i]);
	cover_sql(s, ind, q, pl, yexpr);
	records_where(s, ind, ent, q, prov, pl);
	buf_puts(&s->b, " GROUP BY 1, 2, 7");
	return rc;
}

/* FROM and WHERE of the records an indicator counts for query q. */
static void records_where(struct sqlb *s, const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const char *prov, struct plan *pl)
{
	buf_printf(&s->b, " FROM %s t", pl->pa ? pl->pa->sums : ent->table);
	rec_dims_joins(&s->b, ent, &pl->d);
	buf_puts(&s->b, " WHERE (");
	indicator_where(ind, &s->b);
	buf_puts(&s->b, ") AND t.province_code IS NOT NULL");
	if (pl->pa) /* groups whose records were all deleted stay, empty */
		buf_puts(&s->b, " AND t.n > 0");
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
	if (*pl->kind_sql) {
		buf_printf(&s->b, " AND %s = ?", pl->kind_sql);
		arg_text(s, q->establishment_kind);
	}
	if (*pl->group_sql) {
		buf_printf(&s->b, " AND %s = ?", pl->group_sql);
		arg_text(s, q->product_group);
	}
}

/* Wraps the computed SQL of a breakdown by commune so that its second column
 * is the commune key of the unit id it held: "new:CODE" for today's commune
 * (an old one whose successor is one new commune rolls up into it),
 * "old:CODE" for the commune of the time (with old units, or when an old one
 * was split among several new ones and cannot be placed), "" when unknown.
 * One statement: no lookup per commune. */
static void commune_keys_sql(struct buf *b, const char *inner, int old_units)
{
	buf_printf(b,
		   "WITH x(p, d, n, dn, c, nn, cv) AS (%s) SELECT x.p, CASE WHEN u.id IS NULL"
		   " THEN ''",
		   inner);
	if (!old_units)
		buf_puts(b, " WHEN u.era = 'old' THEN COALESCE((SELECT 'new:' || MIN(n.code) FROM"
			    " unit_succession s JOIN units n ON n.id = s.new_unit_id WHERE"
			    " s.old_unit_id = u.id AND n.level = 'commune' HAVING COUNT(DISTINCT"
			    " n.code) = 1), 'old:' || u.code)");
	buf_puts(b, " ELSE u.era || ':' || u.code END, x.n, x.dn, x.c, x.nn, x.cv FROM x"
		    " LEFT JOIN units u ON u.id = CAST(NULLIF(x.d, '') AS INTEGER)");
}

/* *a += b, or *ovf = 1 (and *a unchanged) when the sum would overflow. */
static void add_checked(int64_t *a, int64_t b, int *ovf)
{
	int64_t r;
	if (__builtin_add_overflow(*a, b, &r))
		*ovf = 1;
	else
		*a = r;
}

/* Did the statement stop at an integer overflow (SQLite's SUM)? */
static int sum_overflowed(const struct err *e)
{
	return strstr(e->message, "integer overflow") != NULL;
}

/* Column col as an exact integer: 0, or 1 when it is past what can be held
 * exactly: the saturated INT64_MAX / INT64_MIN of SQLite's real beyond
 * int64 (sum_sql) or of PostgreSQL's numeric SUM read by strtoll. */
static int exact_col(struct stmt *s, int col, int64_t *out)
{
	*out = stmt_int(s, col);
	return *out == INT64_MAX || *out == INT64_MIN;
}

/* Adds a group of records (v: value, denominator, records, records without
 * a value) to its cell: counted, or itemised under the figure covering them
 * (the one rule: where a figure was reported, it is the value). */
struct rec_group {
	char pkey[16], dkey[48];
	int64_t num, den, nrec, nnull, cover;
	int has_num, overflow;
};

/* Records inside a figure that names no group of the breakdown (a total
 * without funding beside national projects) are their group's row, and the
 * figure's row is what they leave of it: the rows add up to the figure, and
 * each row is what the filter of its group gives. up: 10^(rep - ind scale). */
static int carve_out(struct cell *f, const struct rec_group *g, const char *dkey, int64_t up)
{
	int64_t v, rv, rhi;
	if (!strcmp(f->dkey, dkey) || !g->has_num || g->overflow ||
	    __builtin_mul_overflow(g->num, up, &v) || __builtin_sub_overflow(f->rv, v, &rv) ||
	    __builtin_sub_overflow(f->rhi, v, &rhi))
		return 0;
	f->rv = rv;
	f->rhi = rhi;
	return 1;
}

static void add_records(struct cells *c, const struct rec_group *g, const char *dkey, int64_t carve)
{
	struct cell *f = cell_of_figure(c, g->cover);
	if (f && carve && carve_out(f, g, dkey, carve))
		f = NULL;
	struct cell *x = cell_get(c, g->pkey, dkey, f ? g->cover : 0);
	if (f) {
		f->covers = 1;
		x->ioverflow |= g->overflow;
		add_checked(&x->inum, g->num, &x->ioverflow);
		add_checked(&x->iden, g->den, &x->ioverflow);
		x->inrec += g->nrec;
		x->innull += g->nnull;
		x->has_item = 1;
		x->has_inum |= g->has_num;
		return;
	}
	x->overflow |= g->overflow;
	add_checked(&x->num, g->num, &x->overflow);
	add_checked(&x->den, g->den, &x->overflow);
	x->nrec += g->nrec;
	x->nnull += g->nnull;
	x->has_comp = 1;
	x->has_num |= g->has_num;
}

static int64_t pow10i(int n);
static int rep_scale(const struct indicator *ind);
static int figure_dim(const char *by);

/* The statement of the records' groups: over their pre-aggregate when there
 * is one, it holds them exactly and the statement reads only what it keeps;
 * else over the records (the same answer). */
static void computed_stmt(struct sqlb *sb, const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const char *prov, struct plan *pl, int reals)
{
	int communes = q->by && !strcmp(q->by, "commune");
	for (;;) {
		memset(sb, 0, sizeof *sb);
		sb->b = (struct buf)BUF_INIT;
		int rc = computed_sql(sb, ind, ent, q, prov, pl, reals);
		if (communes) {
			struct buf w = BUF_INIT;
			commune_keys_sql(&w, buf_cstr(&sb->b), q->old_units);
			buf_free(&sb->b);
			sb->b = w;
		}
		if (!pl->pa || (rc == 0 && preagg_sql_ok(pl->pa, buf_cstr(&sb->b))))
			return;
		buf_free(&sb->b);
		pl->pa = NULL;
	}
}

/* Sets pl->pa to the pre-aggregate of ent's records when it holds them
 * exactly and the period is by years (periods by dates need each record's
 * date, which no pre-aggregate keeps); else NULL. ERR_STORE on a failure. */
static int pick_preagg(struct store *st, const struct entity *ent, struct plan *pl, struct err *e)
{
	pl->pa = pl->p.by_date ? NULL : preagg_of(ent->table);
	int rc = pl->pa ? preagg_usable(st, pl->pa, e) : 0;
	if (rc <= 0)
		pl->pa = NULL;
	return rc < 0 ? rc : 0;
}

static int load_computed(struct store *st, const struct indicator *ind, const struct entity *ent,
			 const struct stat_query *q, const char *prov, struct plan *pl,
			 struct cells *cells, struct err *e)
{
	int rc = pick_preagg(st, ent, pl, e);
	if (rc < 0)
		return rc;
	struct rec_group *rows = NULL;
	size_t nrows = 0, cap = 0;
	/* Once SUM() stopped at an overflow, again with reals to tell the
	 * cells that overflow from the others (sum_sql). */
	for (int reals = 0; reals < 2; reals++) {
		struct sqlb sb;
		computed_stmt(&sb, ind, ent, q, prov, pl, reals);
		struct stmt *s = store_prepare(st, buf_cstr(&sb.b), e);
		if (!s) {
			buf_free(&sb.b);
			rc = ERR_STORE;
			break;
		}
		sqlb_bind(&sb, s);
		nrows = 0;
		while ((rc = stmt_step(s, e)) == 1) {
			if (nrows == cap) {
				cap = cap ? 2 * cap : 64;
				rows = xrealloc(rows, cap * sizeof *rows);
			}
			struct rec_group *x = &rows[nrows++];
			rec_pkey(x->pkey, sizeof x->pkey, stmt_text(s, 0), q->old_units);
			snprintf(x->dkey, sizeof x->dkey, "%s", stmt_text(s, 1));
			/* A sum over a field nobody filled in is unknown, not zero. */
			x->has_num = !stmt_isnull(s, 2);
			x->overflow = exact_col(s, 2, &x->num) | exact_col(s, 3, &x->den);
			x->nrec = stmt_int(s, 4);
			x->nnull = stmt_int(s, 5);
			x->cover = stmt_int(s, 6);
		}
		stmt_done(s);
		buf_free(&sb.b);
		if (rc >= 0 || reals || !sum_overflowed(e))
			break;
		err_clear(e);
	}
	/* By a breakdown figures name, records inside a figure naming none are
	 * their own group's row (carve_out); sums only. */
	int64_t carve = pl->by_dim && figure_dim(q->by) && ind->agg == AGG_SUM
				? pow10i(rep_scale(ind) - ind->scale)
				: 0;
	for (size_t i = 0; rc == 0 && i < nrows; i++)
		add_records(cells, &rows[i], rows[i].dkey, carve);
	free(rows);
	pl->pa = NULL; /* the other statements of this plan read the records */
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

/* v (with scale from) in the indicator's unit and scale; rounds half up.
 * *ovf = 1 (and 0 returned) when the result does not fit. */
static int64_t rescale(int64_t v, int from, int64_t factor, int to, int *ovf)
{
	/* 10^18 is the largest power of ten an int64 holds. */
	__int128 x, r;
	if (from > 18 || to > 18 ||
	    __builtin_mul_overflow((__int128)v * factor, (__int128)pow10i(to), &x)) {
		*ovf = 1;
		return 0;
	}
	int64_t d = pow10i(from);
	if (__builtin_add_overflow(x, x >= 0 ? d / 2 : -d / 2, &r)) {
		*ovf = 1;
		return 0;
	}
	r /= d;
	if (r > INT64_MAX || r < INT64_MIN) {
		*ovf = 1;
		return 0;
	}
	return (int64_t)r;
}

/* Reported figures of an indicator: the place key, period, value, source,
 * content type (the figure's own, else the section's) and the breakdowns
 * the figure names; totals before their parts (FIG_SPECIFICITY). */
static void reported_sql(struct sqlb *s, const struct indicator *ind, const struct stat_query *q,
			 const char *prov, const struct plan *pl)
{
	buf_printf(&s->b,
		   "SELECT %s, t.period_from, t.period_to, t.value, t.value_hi, t.value_scale,"
		   " t.value_qual, t.measure, t.id, t.source_title, t.source_publisher,"
		   " t.source_date, t.source_url, COALESCE(t.content_type, ?, ''), %s,"
		   " COALESCE(t.content_type, ''), COALESCE(%s, ''),"
		   " COALESCE(t.establishment_kind, ''), COALESCE(t.scope, ''), t.indicator,"
		   " COALESCE(t.product_group, '') FROM figures t WHERE ",
		   fig_pkey_expr(q->old_units), fig_own_place_expr(), pl->fig_fund[0]);
	arg_text(s, pl->ct_fig);
	fig_indicator_sql(s, "t", ind, pl);
	/* The nation's own figures count in the nation's statistics only. */
	buf_printf(&s->b, " AND (t.province_code IS NOT NULL%s)",
		   !prov && !q->old_province ? " OR t.place_code = 'VN'" : "");
	place_sql(s, prov, q);
	if (pl->p.year_from) {
		buf_puts(&s->b, " AND t.period_from >= ?");
		arg_int(s, pl->p.year_from);
	}
	if (pl->p.year_to) {
		buf_puts(&s->b, " AND t.period_to <= ?");
		arg_int(s, pl->p.year_to);
	}
	if (q->year_rows) /* what a query of one year holds */
		buf_puts(&s->b, " AND t.period_from = t.period_to");
	if (q->content_type) {
		buf_puts(&s->b, " AND COALESCE(t.content_type, ?, '') = ?");
		arg_text(s, pl->ct_fig);
		arg_text(s, q->content_type);
	}
	/* A figure that names no funding source is a total of unknown split: a
	 * funding filter leaves it out. */
	if (q->funding) {
		buf_printf(&s->b, " AND %s = ?", pl->fig_fund[0]);
		arg_text(s, q->funding);
	}
	if (q->establishment_kind) {
		buf_puts(&s->b, " AND t.establishment_kind = ?");
		arg_text(s, q->establishment_kind);
	}
	if (q->product_group) {
		buf_puts(&s->b, " AND t.product_group = ?");
		arg_text(s, q->product_group);
	}
	/* By the figure's own place (column 15), then as fig_resolve() needs:
	 * totals, and coarser figures, before their parts. */
	buf_puts(&s->b, " ORDER BY 1, 15, CASE WHEN t.scope = 'total' THEN 0 ELSE 1 END,"
			" t.period_from, " FIG_SPECIFICITY("t") ", t.id");
}

/* The row key a figure falls under for breakdown by: the breakdown it
 * names (its content type: its own or its section's), its period for
 * years, else "" (unknown). */
static void figure_dkey(const struct stat_query *q, struct stmt *s, char *out, size_t n)
{
	/* The columns of reported_sql() holding each breakdown a figure names. */
	static const struct {
		const char *by;
		int col;
	} dims[] = {{"content_type", 13},
		    {"funding", 16},
		    {"establishment_kind", 17},
		    {"product_group", 20}};
	int from = (int)stmt_int(s, 1), to = (int)stmt_int(s, 2);
	snprintf(out, n, "%s", "");
	for (size_t i = 0; q->by && i < sizeof dims / sizeof dims[0]; i++)
		if (!strcmp(q->by, dims[i].by) && stmt_text(s, dims[i].col))
			snprintf(out, n, "%s", stmt_text(s, dims[i].col));
	if (q->by && !strcmp(q->by, "year"))
		snprintf(out, n, from == to ? "%d" : "%d–%d", from, to);
	if (q->year_rows) { /* "2023|" before it: one year, reported_sql() */
		char year[16];
		size_t k = (size_t)snprintf(year, sizeof year, "%d|", from), len = strlen(out);
		if (len + k < n) {
			memmove(out + k, out, len + 1);
			memcpy(out, year, k);
		}
	}
}

/* One reported figure as read, before fig_resolve() says where it counts. */
struct figrow {
	struct figkey k;
	char pkey[16], dkey[48], measure[64];
	int64_t id, rv, rhi;
	int rqual, overflow;
	json_t *fig;
};

static void read_figure(const struct indicator *ind, const struct stat_query *q, struct stmt *s,
			struct figrow *r)
{
	memset(r, 0, sizeof *r);
	r->k.from = (int)stmt_int(s, 1);
	r->k.to = (int)stmt_int(s, 2);
	snprintf(r->pkey, sizeof r->pkey, "%s", stmt_text(s, 0));
	snprintf(r->k.place, sizeof r->k.place, "%s|%s", r->pkey,
		 stmt_text(s, 14) ? stmt_text(s, 14) : "");
	snprintf(r->k.ct, sizeof r->k.ct, "%s", stmt_text(s, 15) ? stmt_text(s, 15) : "");
	snprintf(r->k.fund, sizeof r->k.fund, "%s", stmt_text(s, 16) ? stmt_text(s, 16) : "");
	snprintf(r->k.kind, sizeof r->k.kind, "%s", stmt_text(s, 17) ? stmt_text(s, 17) : "");
	snprintf(r->k.group, sizeof r->k.group, "%s", stmt_text(s, 20) ? stmt_text(s, 20) : "");
	r->k.total = stmt_text(s, 18) && !strcmp(stmt_text(s, 18), "total");
	figure_dkey(q, s, r->dkey, sizeof r->dkey);
	int64_t f = stats_measure_factor(ind, stmt_text(s, 7));
	int scale = (int)stmt_int(s, 5);
	r->rv = rescale(stmt_int(s, 3), scale, f, rep_scale(ind), &r->overflow);
	r->rhi = rescale(stmt_int(s, 4), scale, f, rep_scale(ind), &r->overflow);
	r->rqual = qual_parse(stmt_text(s, 6));
	snprintf(r->measure, sizeof r->measure, "%s", stmt_text(s, 7) ? stmt_text(s, 7) : "");
	r->id = stmt_int(s, 8);
	char period[16];
	snprintf(period, sizeof period, r->k.from == r->k.to ? "%d" : "%d–%d", r->k.from,
		 r->k.to);
	r->fig = json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?}", "id", (json_int_t)r->id, "period",
			   period, "source_title", stmt_text(s, 9) ? stmt_text(s, 9) : "",
			   "source_publisher", stmt_text(s, 10), "source_date", stmt_text(s, 11),
			   "source_url", stmt_text(s, 12));
}

/* A total counts what its parts leave of it ("khác / chưa phân loại"):
 * the total minus its parts, exact only when they all are; the cell still
 * lists the total's figure, and the total and its parts add up to it. */
static void remainder_of(struct figrow *r, size_t n, const size_t *parent, size_t t,
			 struct cell *x)
{
	int64_t v = r[t].rv, hi = r[t].rhi, un = 0, unhi = 0;
	int qual = r[t].rqual, parts = 0;
	for (size_t i = 0; i < n; i++) {
		if (parent[i] != t + 1)
			continue;
		parts = 1;
		if (__builtin_sub_overflow(v, r[i].rv, &v) ||
		    __builtin_sub_overflow(hi, r[i].rhi, &hi))
			x->overflow = 1;
		if (r[i].rqual != Q_EXACT)
			qual = Q_ABOUT;
		if (!strcmp(r[i].k.ct, r[t].k.ct) && !strcmp(r[i].k.fund, r[t].k.fund) &&
		    !strcmp(r[i].k.kind, r[t].k.kind) && !strcmp(r[i].k.group, r[t].k.group)) {
			add_checked(&un, r[i].rv, &x->overflow);
			add_checked(&unhi, r[i].rhi, &x->overflow);
		}
	}
	add_checked(&un, v, &x->overflow);
	add_checked(&unhi, hi, &x->overflow);
	x->unclass = un;
	x->unclass_hi = unhi;
	x->rv = v;
	x->rhi = hi;
	x->rqual = qual;
	x->remainder = parts;
	x->tqual = r[t].rqual;
	x->total_rv = r[t].rv;
}

static void add_figure(struct figrow *r, size_t n, const size_t *parent, size_t i,
		       struct cells *c)
{
	struct cell *x = cell_get(c, r[i].pkey, r[i].dkey, r[i].id);
	x->overflow |= r[i].overflow;
	x->rv = r[i].rv;
	x->rhi = r[i].rhi;
	x->rqual = r[i].rqual;
	x->parent = parent[i] ? r[parent[i] - 1].id : 0;
	if (r[i].k.total || r[i].k.whole)
		remainder_of(r, n, parent, i, x);
	measures_add(x->measures, sizeof x->measures, r[i].measure);
	x->has_rep = 1;
	json_array_append(x->figs, r[i].fig);
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
	int rc;
	struct figrow *r = NULL;
	size_t n = 0;
	while ((rc = stmt_step(s, e)) == 1) {
		r = xrealloc(r, (n + 1) * sizeof *r);
		read_figure(ind, q, s, &r[n]);
		/* A figure of the sum itself holds its parts' figures. */
		r[n++].k.whole = pl->parts && !strcmp(stmt_text(s, 19), ind->code);
	}
	stmt_done(s);
	buf_free(&sb.b);
	struct figkey *k = xcalloc(n ? n : 1, sizeof *k);
	int *skip = xcalloc(n ? n : 1, sizeof *skip);
	size_t *parent = xcalloc(n ? n : 1, sizeof *parent);
	for (size_t i = 0; i < n; i++)
		k[i] = r[i].k;
	fig_resolve(k, n, skip, parent);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		if (!skip[i])
			add_figure(r, n, parent, i, cells);
	for (size_t i = 0; i < n; i++)
		json_decref(r[i].fig);
	free(r);
	free(k);
	free(skip);
	free(parent);
	return rc < 0 ? rc : 0;
}

/* ---- combining ----------------------------------------------------------- */

struct acc {
	int64_t num, den, nrec, nnull, rv, rhi;
	int rqual, comp, has_num, rep, rep_places;
	int64_t inum, iden, inrec, innull, rcov; /* itemised records; the figures covering them */
	int item, has_inum, covered, rcov_qual;
	int overflow, ioverflow; /* as in struct cell */
	int cells_rec, cells_rep, cells_both; /* what the value covers */
	int64_t rem, remhi; /* the totals' remainders, "khác / chưa phân loại" */
	int has_rem, rem_qual;
	char measures[160]; /* of the figures added, as in struct cell */
	json_t *figs;
};

static void acc_add(struct acc *a, const struct cell *x)
{
	if (x->has_comp) {
		a->overflow |= x->overflow;
		add_checked(&a->num, x->num, &a->overflow);
		add_checked(&a->den, x->den, &a->overflow);
		a->nrec += x->nrec;
		a->nnull += x->nnull;
		a->has_num |= x->has_num;
		a->comp = 1;
		a->cells_rec++;
	}
	if (x->has_item) {
		a->ioverflow |= x->ioverflow;
		add_checked(&a->inum, x->inum, &a->ioverflow);
		add_checked(&a->iden, x->iden, &a->ioverflow);
		a->inrec += x->inrec;
		a->innull += x->innull;
		a->has_inum |= x->has_inum;
		a->item = 1;
	}
	if (x->has_rep) {
		a->overflow |= x->overflow;
		add_checked(&a->rv, x->rv, &a->overflow);
		add_checked(&a->rhi, x->rhi, &a->overflow);
		a->rqual = a->rep ? qual_add(a->rqual, x->rqual) : x->rqual;
		char list[sizeof x->measures], *save = NULL;
		snprintf(list, sizeof list, "%s", x->measures);
		for (char *m = strtok_r(list, "|", &save); m; m = strtok_r(NULL, "|", &save))
			measures_add(a->measures, sizeof a->measures, m);
		if (x->remainder) {
			add_checked(&a->rem, x->unclass, &a->overflow);
			add_checked(&a->remhi, x->unclass_hi, &a->overflow);
			a->rem_qual = a->has_rem ? qual_add(a->rem_qual, x->rqual) : x->rqual;
			a->has_rem = 1;
		}
		a->rep = 1;
		a->rep_places++;
		if (x->covers) {
			add_checked(&a->rcov, x->rv, &a->overflow);
			a->rcov_qual = a->covered ? qual_add(a->rcov_qual, x->rqual) : x->rqual;
			a->covered = 1;
			a->cells_both++;
		} else
			a->cells_rep++;
		size_t i;
		json_t *f;
		json_array_foreach(x->figs, i, f) json_array_append(a->figs, f);
	}
}

/* num / den rounded half up; *ovf = 1 when that does not fit. */
static int64_t ratio(int64_t num, int64_t den, int *ovf)
{
	int64_t n;
	if (!den)
		return 0;
	if (__builtin_add_overflow(num, den / 2, &n)) {
		*ovf = 1;
		return 0;
	}
	return n / den;
}

/* v * m + add, or *ovf = 1 when it does not fit. */
static int64_t mul_add(int64_t v, int64_t m, int64_t add, int *ovf)
{
	int64_t r;
	if (__builtin_mul_overflow(v, m, &r) || __builtin_add_overflow(r, add, &r)) {
		*ovf = 1;
		return 0;
	}
	return r;
}

static const char overflow_msg[] =
	"Tổng vượt quá số lớn nhất tính chính xác được: có số liệu bất thường, hãy kiểm tra "
	"các hồ sơ / the sum is too large to compute exactly: some stored number is absurd, "
	"check the records";

/* A cell whose sum overflowed: no value (never a wrong one), the reason
 * in its text and "error", the records and figures behind it still linked. */
static void overflow_cell(json_t *o)
{
	json_object_set_new(o, "source", json_string("overflow"));
	json_object_set_new(o, "value", json_null());
	json_object_set_new(o, "value_hi", json_null());
	json_object_set_new(o, "text", json_string(overflow_msg));
	json_object_set_new(o, "error", json_string(overflow_msg));
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

/* What totals leave unnamed by their parts: "unclassified" in the JSON and
 * "khác / chưa phân loại: 430 triệu đồng" in the note. */
static void remainder_json(json_t *o, const struct indicator *ind, const struct acc *a,
			   struct buf *note)
{
	if (!a->has_rem)
		return;
	int64_t v = a->rem, hi = a->remhi;
	int scale = exact_scale(ind, &v, &hi);
	struct buf t = BUF_INIT;
	stats_format(&t, ind, v, hi, scale, vtext_qual_code(a->rem_qual));
	json_object_set_new(o, "unclassified",
			    json_pack("{s:I,s:I,s:i,s:s,s:s}", "value", (json_int_t)v, "value_hi",
				      (json_int_t)hi, "scale", scale, "qualifier",
				      vtext_qual_code(a->rem_qual), "text", buf_cstr(&t)));
	buf_printf(note, "%skhác / chưa phân loại: %s", note->len ? "; " : "", buf_cstr(&t));
	buf_free(&t);
}

/* The reported figures beside the records they cover, and their difference
 * ("báo cáo: 15 đề án; đã nhập chi tiết: 2 đề án"); what the value covers;
 * records without a value, which count as unknown, never as 0. */
static void acc_cover_json(json_t *o, const struct indicator *ind, const struct acc *a)
{
	int ratio_ind = ind->agg == AGG_RATIO;
	struct buf t = BUF_INIT, note = BUF_INIT;
	if (a->item) {
		/* The itemised records' sum overflowed: an error of the
		 * itemisation; the figure covering them is still the value. */
		int iovf = a->ioverflow;
		int64_t iv = ratio_ind ? ratio(a->inum, a->iden, &iovf) : a->inum;
		int has_inum = a->has_inum && !iovf;
		if (has_inum)
			stats_format(&t, ind, iv, iv, ind->scale, "exact");
		else if (iovf)
			buf_puts(&t, overflow_msg);
		json_t *it = json_pack("{s:o,s:i,s:s,s:I,s:I}", "value",
				       has_inum ? json_integer(iv) : json_null(), "scale", ind->scale,
				       "text", buf_cstr(&t), "records_count", (json_int_t)a->inrec,
				       "records_no_value", (json_int_t)a->innull);
		if (iovf)
			json_object_set_new(it, "error", json_string(overflow_msg));
		json_object_set_new(o, "itemised", it);
		if (a->covered) {
			/* The figures are at rep_scale(), the records at the
			 * indicator's: the difference at the figures' exact scale. */
			int64_t rv = a->rcov, d = 0, up;
			int has_d = has_inum &&
				    !__builtin_mul_overflow(iv, pow10i(rep_scale(ind) - ind->scale),
							    &up) &&
				    !__builtin_sub_overflow(a->rcov, up, &d);
			if (!has_d)
				d = 0;
			int rscale = exact_scale(ind, &rv, &d);
			struct buf r = BUF_INIT;
			stats_format(&r, ind, rv, rv, rscale, vtext_qual_code(a->rcov_qual));
			json_object_set_new(o, "reported",
					    json_pack("{s:I,s:i,s:s}", "value", (json_int_t)rv,
						      "scale", rscale, "text", buf_cstr(&r)));
			if (!ratio_ind && has_d)
				json_object_set_new(o, "difference", json_integer(d));
			buf_printf(&note, "báo cáo: %s; đã nhập chi tiết: %s", buf_cstr(&r),
				   has_inum ? buf_cstr(&t)
				   : iovf   ? "lỗi: tổng vượt quá số lớn nhất tính chính xác được"
					    : "chưa có số liệu");
			buf_free(&r);
		}
	}
	remainder_json(o, ind, a, &note);
	int64_t nnull = a->nnull + a->innull;
	if (nnull)
		buf_printf(&note, "%s%lld hồ sơ chưa có số liệu (không tính là 0)",
			   note.len ? "; " : "", (long long)nnull);
	json_object_set_new(o, "records_no_value", json_integer(nnull));
	json_object_set_new(o, "covers",
			    json_pack("{s:i,s:i,s:i}", "records", a->cells_rec, "reported",
				      a->cells_rep, "reported_and_records", a->cells_both));
	json_object_set_new(o, "note", note.len ? json_string(buf_cstr(&note)) : json_null());
	buf_free(&t);
	buf_free(&note);
}

static json_t *acc_json(const struct indicator *ind, struct acc *a, const char *key,
			const char *label, const char *link)
{
	json_t *o = json_pack("{s:s,s:s}", "key", key, "label", label);
	int64_t v = 0, hi = 0;
	int qual = Q_EXACT, scale = ind->scale;
	const char *source = "none";
	int ratio_ind = ind->agg == AGG_RATIO;
	/* Records whose values are all empty say nothing about the value. */
	int known = a->comp && a->has_num;
	if (known && a->rep && ratio_ind) {
		source = "mixed"; /* a ratio of records and a reported ratio cannot be combined */
	} else if (known || a->rep) {
		int64_t cv = ratio_ind ? ratio(a->num, a->den, &a->overflow) : a->num;
		if (ratio_ind && a->rep && a->rep_places > 1)
			source = "not_additive";
		else {
			int64_t up = pow10i(rep_scale(ind) - ind->scale);
			v = mul_add(known ? cv : 0, up, a->rep ? a->rv : 0, &a->overflow);
			hi = mul_add(known ? cv : 0, up, a->rep ? a->rhi : 0, &a->overflow);
			scale = exact_scale(ind, &v, &hi);
			qual = a->rep ? a->rqual : Q_EXACT;
			source = known && a->rep ? "mixed" : known ? "records" : "reported";
		}
	}
	/* A ratio of records over nothing (no khuyến công funds to divide the
	 * counterpart by) is not a number: "—", never 0. */
	int no_den = ratio_ind && known && !a->rep && a->den == 0;
	int has_value = strcmp(source, "none") && strcmp(source, "not_additive") &&
			!(ratio_ind && known && a->rep) && !no_den;
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
	else if (no_den)
		buf_puts(&t, "—");
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
	json_object_set_new(o, "records_count", json_integer(a->nrec + a->inrec));
	json_object_set_new(o, "records",
			    (a->comp || a->item) && link ? json_string(link) : json_null());
	acc_cover_json(o, ind, a);
	json_object_set_new(o, "figures", json_incref(a->figs));
	char *fl = a->rep ? figures_link(ind, a->figs) : NULL;
	json_object_set_new(o, "figures_link", fl ? json_string(fl) : json_null());
	free(fl);
	if (a->overflow)
		overflow_cell(o);
	return o;
}

/* ---- labels and links -------------------------------------------------- */

/* The words of a result's row keys: looked up one by one for a few rows,
 * else read at once, every key of the breakdown in one query, so that a
 * national breakdown by commune makes a bounded number of queries. */
enum { LABELS_ONE_BY_ONE = 32 };

struct labels {
	struct store *st;
	size_t rows; /* the rows to label */
	json_t *map; /* key -> words, once read at once */
	struct err *e; /* a database error while reading: an error, never a */
	int failed;    /* row under a wrong name ("Không xác định") */
};

/* Every label of a breakdown: key and words, current units read last. */
static const char *labels_sql(const char *dim)
{
	if (!strcmp(dim, "province"))
		return "SELECT era || ':' || code, full_name || CASE WHEN era = 'old' THEN ' (cũ)'"
		       " ELSE '' END FROM units WHERE level = 'province' ORDER BY is_current";
	if (!strcmp(dim, "commune"))
		return "SELECT c.era || ':' || c.code, c.full_name || COALESCE(', ' || p.full_name,"
		       " '') || CASE WHEN c.era = 'old' THEN ' (cũ)' ELSE '' END FROM units c"
		       " LEFT JOIN units p ON p.era = c.era AND p.level = 'province' AND"
		       " p.code = c.province_code AND p.is_current = 1 WHERE c.level = 'commune'"
		       " ORDER BY c.is_current";
	if (!strcmp(dim, "village"))
		return "SELECT CAST(id AS TEXT), name FROM villages";
	if (!strcmp(dim, "industry"))
		return "SELECT edition || ':' || code, code || ' – ' || name || ' (VSIC ' ||"
		       " edition || ')' FROM industries";
	return NULL;
}

/* The words of key from the whole set, read on first use when there are
 * many rows; NULL when they are to be looked up alone (or not found). */
static const char *labels_get(struct labels *L, const char *dim, const char *key)
{
	const char *sql = labels_sql(dim);
	if (!sql || L->rows <= LABELS_ONE_BY_ONE)
		return NULL;
	/* The provinces' words are reused until the units change
	 * (stats_memo.h): every statistic by province reads them. */
	static const char *const units[] = {"units", NULL};
	char version[128] = "";
	int memo = !strcmp(dim, "province");
	/* Kept, never changed once filled: read without a copy. */
	if (!L->map && memo &&
	    stats_memo_lookup(L->st, units, "|labels of provinces", version, sizeof version,
			      &L->map, L->e) < 0)
		L->failed = 1;
	if (!L->map) {
		L->map = json_object();
		struct stmt *s = store_prepare(L->st, sql, L->e);
		int rc = -1;
		while (s && (rc = stmt_step(s, L->e)) == 1)
			if (stmt_text(s, 0) && stmt_text(s, 1))
				json_object_set_new(L->map, stmt_text(s, 0),
						    json_string(stmt_text(s, 1)));
		stmt_done(s);
		L->failed |= rc < 0;
		if (memo && rc == 0)
			stats_memo_put(L->st, "|labels of provinces", version, L->map);
	}
	return json_string_value(json_object_get(L->map, key));
}

static void place_label(struct labels *L, const char *pkey, char *out, size_t n)
{
	struct store *st = L->st;
	const char *era = !strncmp(pkey, "old:", 4) ? "old" : "new";
	const char *code = strchr(pkey, ':') ? strchr(pkey, ':') + 1 : pkey;
	snprintf(out, n, "%s", code);
	if (!strncmp(pkey, "place:", 6)) {
		snprintf(out, n, "%s", place_name(code, "vi") ? place_name(code, "vi") : code);
		return;
	}
	char key[64];
	snprintf(key, sizeof key, "%s:%s", era, code);
	const char *all = labels_get(L, "province", key);
	if (all) {
		snprintf(out, n, "%s", all);
		return;
	}
	struct stmt *s = store_prepare(st,
				       "SELECT full_name FROM units WHERE era = ? AND"
				       " level = 'province' AND code = ? ORDER BY is_current DESC",
				       L->e);
	if (!s) {
		L->failed = 1;
		return;
	}
	stmt_bind(s, "tt", era, code);
	int rc = stmt_step(s, L->e);
	if (rc == 1)
		snprintf(out, n, "%s%s", stmt_text(s, 0), strcmp(era, "old") ? "" : " (cũ)");
	stmt_done(s);
	L->failed |= rc < 0;
}

/* The list of the records behind a value, with every condition of the
 * query: the lists take the statistics' own breakdowns as filters
 * (record.h, rec_dimensions), "none" for the unknown row, and a date range
 * placing records as period_sql() does. NULL when there are no records. */
static char *records_link(const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const struct plan *pl, const char *pkey,
			  const char *dim, const char *dval)
{
	if (!ent)
		return NULL;
	struct buf b = BUF_INIT;
	buf_printf(&b, "/%s?", ent->collection);
	indicator_filter(ind, &b);
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
	/* Counterpart funds are all counterpart: the list has no such filter. */
	int own_fund = indicator_funding(ind->code) != NULL;
	if (dim && strcmp(dim, "year") && strcmp(dim, "province") &&
	    !(own_fund && !strcmp(dim, "funding"))) {
		buf_printf(&b, "&%t=%t", dim, dval && *dval ? dval : "none");
		if (!strcmp(dim, "commune") && q->old_units)
			buf_puts(&b, "&units=old");
	}
	if (q->content_type && !(dim && !strcmp(dim, "content_type")))
		buf_printf(&b, "&content_type=%t", q->content_type);
	if (q->funding && !own_fund && !(dim && !strcmp(dim, "funding")))
		buf_printf(&b, "&funding=%t", q->funding);
	if (q->establishment_kind && !(dim && !strcmp(dim, "establishment_kind")))
		buf_printf(&b, "&establishment_kind=%t", q->establishment_kind);
	if (q->product_group && !(dim && !strcmp(dim, "product_group")))
		buf_printf(&b, "&product_group=%t", q->product_group);
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
	/* A sum of others (budget.total) lists its parts' figures too. */
	if (indicator_parts(ind->code))
		buf_puts(&b, "/figures?ids=");
	else
		buf_printf(&b, "/figures?indicator=%t&ids=", ind->code);
	size_t i;
	json_t *f;
	json_array_foreach(figs, i, f)
		buf_printf(&b, "%s%lld", i ? "," : "",
			   (long long)json_integer_value(json_object_get(f, "id")));
	return buf_detach(&b);
}

/* The words of a breakdown's row key. */
static void dim_label(struct labels *L, const char *dim, const char *key, char *out, size_t n)
{
	struct store *st = L->st;
	snprintf(out, n, "%s", key);
	if (!*key) {
		/* A figure or record that names no group of a breakdown, and what a
		 * total's named groups leave of it. */
		int fig_dim = !strcmp(dim, "content_type") || !strcmp(dim, "funding") ||
			      !strcmp(dim, "establishment_kind") || !strcmp(dim, "product_group");
		snprintf(out, n, "%s", fig_dim ? "Khác / chưa phân loại" : "Không xác định");
		return;
	}
	const struct field *codes = rec_dim_codes(dim);
	if (codes) {
		field_enum_label(codes, key, "vi", out, n);
		return;
	}
	const char *all = labels_get(L, dim, key);
	if (all) {
		snprintf(out, n, "%s", all);
		return;
	}
	struct stmt *s = NULL;
	if (!strcmp(dim, "village")) {
		s = store_prepare(st, "SELECT name FROM villages WHERE id = ?", L->e);
		if (s)
			stmt_bind(s, "i", (int64_t)atoll(key));
	} else if (!strcmp(dim, "industry") && strchr(key, ':')) {
		char ed[8];
		snprintf(ed, sizeof ed, "%.*s", (int)(strchr(key, ':') - key), key);
		s = store_prepare(st,
				  "SELECT code || ' – ' || name || ' (VSIC ' || edition || ')' FROM"
				  " industries WHERE edition = ? AND code = ?",
				  L->e);
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
			L->e);
		if (s)
			stmt_bind(s, "tt", era, strchr(key, ':') + 1);
	} else {
		return; /* a key that is its own label */
	}
	if (!s) {
		L->failed = 1;
		return;
	}
	int rc = stmt_step(s, L->e);
	if (rc == 1 && stmt_text(s, 0))
		snprintf(out, n, "%s", stmt_text(s, 0));
	stmt_done(s);
	L->failed |= rc < 0;
}

/* ---- the query ---------------------------------------------------------- */

/* The breakdowns a reported figure may name (figure_fields). */
static int figure_dim(const char *by)
{
	return !strcmp(by, "content_type") || !strcmp(by, "funding") ||
	       !strcmp(by, "establishment_kind") || !strcmp(by, "product_group");
}

static int not_applicable(struct err *e, const char *field, const char *what,
			  const struct indicator *ind)
{
	return err_set(
		e, ERR_INVALID, field,
		"Không áp dụng %s cho chỉ tiêu %s: hồ sơ của chỉ tiêu này không có thông tin đó"
		" / %s does not apply to %s: its records do not say it",
		what, ind->code, what, ind->code);
}

/* The SQL of the records' dimension what (rec_dim_sql), but for the funding
 * of an indicator all of whose amounts are of one source whatever the
 * project's (indicator_funding: counterpart funds), that source. */
static int dim_sql(const struct indicator *ind, const struct entity *ent, struct rec_dims *d,
		   const char *what, char *out, size_t n)
{
	const char *own = indicator_funding(ind->code);
	if (own && !strcmp(what, "funding")) {
		snprintf(out, n, "'%s'", own);
		return 0;
	}
	return rec_dim_sql(ent, d, what, out, n);
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
	pl->by_dim = rec_dim_find(q->by) != NULL;
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
	if (q->funding &&
	    !field_enum_label(rec_dim_codes("funding"), q->funding, "vi", (char[64]){0}, 64))
		return err_set(e, ERR_INVALID, "funding",
			       "Không có nguồn kinh phí %s / no funding source %s", q->funding,
			       q->funding);
	if (q->establishment_kind &&
	    !field_enum_label(rec_dim_codes("establishment_kind"), q->establishment_kind, "vi",
			      (char[64]){0}, 64))
		return err_set(e, ERR_INVALID, "establishment_kind",
			       "Không có loại hình cơ sở %s / no establishment kind %s",
			       q->establishment_kind, q->establishment_kind);
	if (q->product_group && !field_enum_label(rec_dim_codes("product_group"), q->product_group,
						  "vi", (char[64]){0}, 64))
		return err_set(e, ERR_INVALID, "product_group",
			       "Không có nhóm sản phẩm %s / no product group %s", q->product_group,
			       q->product_group);
	pl->ct_fig = section_content(ind);
	pl->parts = indicator_parts(ind->code);
	pl->own_fund = indicator_funding(ind->code);
	fig_fund_expr(pl->fig_fund[0], sizeof pl->fig_fund[0], "t", pl);
	fig_fund_expr(pl->fig_fund[1], sizeof pl->fig_fund[1], "f", pl);
	if (!ent) {
		/* Reported figures only: they say the breakdowns a figure names. */
		if (pl->by_dim && !figure_dim(q->by))
			return not_applicable(e, "by", q->by, ind);
		return 0;
	}
	rec_dims_init(&pl->d, ent);
	if (pl->by_dim && dim_sql(ind, ent, &pl->d, q->by, pl->by_sql, sizeof pl->by_sql) < 0)
		return not_applicable(e, "by", q->by, ind);
	if (q->content_type &&
	    rec_dim_sql(ent, &pl->d, "content_type", pl->ct_sql, sizeof pl->ct_sql) < 0)
		return not_applicable(e, "content_type", "content_type", ind);
	if (q->funding &&
	    dim_sql(ind, ent, &pl->d, "funding", pl->fund_sql, sizeof pl->fund_sql) < 0)
		return not_applicable(e, "funding", "funding", ind);
	if (q->establishment_kind &&
	    rec_dim_sql(ent, &pl->d, "establishment_kind", pl->kind_sql, sizeof pl->kind_sql) < 0)
		return not_applicable(e, "establishment_kind", "establishment_kind", ind);
	if (q->product_group &&
	    rec_dim_sql(ent, &pl->d, "product_group", pl->group_sql, sizeof pl->group_sql) < 0)
		return not_applicable(e, "product_group", "product_group", ind);
	return 0;
}

/* "Tiếng Việt / English": the page shows the reader's half, cut at the one
 * " / " (page_message), so neither half may hold another. */
static const char rule_text[] =
	"Với mỗi ô (địa bàn × giai đoạn × chỉ tiêu × nội dung, nguồn kinh phí, loại hình cơ sở, "
	"nhóm "
	"sản phẩm): "
	"có số liệu báo cáo thì lấy số liệu báo cáo (là số đã gửi lên), hồ sơ chi tiết của ô đó "
	"được ghi là \"đã nhập chi tiết\" kèm chênh lệch; không có thì tính từ hồ sơ chi tiết. "
	"Tổng cộng các ô, nên số báo cáo của ô này cộng với hồ sơ của ô khác. Số liệu báo cáo "
	"giữ nguyên từ định lượng (trên, khoảng) và nguồn; hồ sơ chưa có số liệu không tính là 0. "
	"Số liệu ghi \"Tổng\" là tổng của các nhóm cùng địa bàn, cùng năm; phần các nhóm chưa nêu "
	"là \"khác, chưa phân loại\". Tổng kinh phí khuyến công là tổng của hai ô kinh phí quốc "
	"gia và địa phương (mỗi ô theo quy tắc trên), trừ khi chính nó được báo cáo. "
	"Bản ghi minh họa không được tính. / For each cell (place × period × indicator × content "
	"type, funding, establishment kind, product group): the reported figure where one exists "
	"(it is what was sent up), with the cell's records shown as \"itemised\" and the "
	"difference; else "
	"the records. Totals add cells, so a reported figure of one cell adds to the records of "
	"another. A figure marked \"Tổng\" is the total of its groups of the same place and "
	"year; what they leave of it is \"other, not itemised\". Total khuyến công funds are "
	"the sum of the national and local funds cells (each by this rule), unless reported "
	"themselves. "
	"Figures keep their qualifier and source; a record with no value is unknown, "
	"never 0. Illustrative records are not counted.";

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

/* Is figure cell j inside the total of cell t (its part, or a part's part)? */
static int inside(struct cells *c, size_t j, size_t t)
{
	/* Bounded: totals of overlapping periods may hold each other. */
	struct cell *p = cell_of_figure(c, c->v[j].parent);
	for (size_t k = 0; p && k < c->n; k++, p = cell_of_figure(c, p->parent))
		if (p == &c->v[t])
			return 1;
	return 0;
}

/* The qualifier of the figures of cells in[] (marked 1): each adds as in any
 * sum, except that a total all of whose parts are there stands for them with
 * its own qualifier: the sum is then the total, and "gần 9 tỷ" stays "gần"
 * (its remainder alone is "khoảng", remainder_of). */
static int family_qual(struct cells *c, const char *in)
{
	char *whole = xcalloc(c->n + 1, 1);
	for (size_t t = 0; t < c->n; t++) {
		whole[t] = in[t] && c->v[t].has_rep && c->v[t].remainder;
		for (size_t j = 0; whole[t] && j < c->n; j++)
			if (c->v[j].has_rep && !in[j] && inside(c, j, t))
				whole[t] = 0;
	}
	int qual = Q_EXACT, any = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (!in[i] || !c->v[i].has_rep)
			continue;
		int held = 0;
		for (size_t t = 0; t < c->n && !held; t++)
			held = whole[t] && t != i && inside(c, i, t);
		if (held)
			continue;
		int q = whole[i] ? c->v[i].tqual : c->v[i].rqual;
		qual = any ? qual_add(qual, q) : q;
		any = 1;
	}
	free(whole);
	return qual;
}

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

/* The label of the row of key when the breakdown is not by province. */
static void row_label(struct labels *L, const struct entity *ent, const struct stat_query *q,
		      const struct plan *pl, const char *key, char *label, size_t n)
{
	if (pl->by_dim || (strcmp(q->by, "year") && !*key))
		dim_label(L, q->by, key, label, n);
	else if (strcmp(q->by, "year") && ent)
		field_enum_label(entity_field(ent, q->by), key, "vi", label, n);
	else
		snprintf(label, n, "%s", *key ? key : "—");
}

/* The row of the cells chained from first (next) under key. */
static json_t *group_row(const struct indicator *ind, struct cells *c, const size_t *next,
			 size_t first, const char *key, const char *label, const char *link)
{
	struct acc a = {.figs = json_array()};
	char *in = xcalloc(c->n + 1, 1);
	for (size_t j = first; j != (size_t)-1; j = next[j]) {
		acc_add(&a, &c->v[j]);
		in[j] = 1;
	}
	if (a.rep)
		a.rqual = family_qual(c, in);
	free(in);
	json_t *row = acc_json(ind, &a, key, label, link);
	json_decref(a.figs);
	return row;
}

/* Under old units, the province of today of each old province ("36" ->
 * "37"); NULL with L->failed set when it cannot be read. */
static json_t *old_provinces(struct labels *L)
{
	json_t *map = json_object();
	struct stmt *s = store_prepare(L->st,
				       "SELECT code, new_province_code FROM units WHERE era = 'old'"
				       " AND level = 'province' AND new_province_code IS NOT NULL",
				       L->e);
	int rc = -1;
	while (s && (rc = stmt_step(s, L->e)) == 1)
		json_object_set_new(map, stmt_text(s, 0), json_string(stmt_text(s, 1)));
	stmt_done(s);
	if (rc < 0) {
		L->failed = 1;
		json_decref(map);
		return NULL;
	}
	return map;
}

/* The province of today a cell's place key lies in ("new:37"; "old:36"
 * through old), or NULL (the nation, a place of no province). */
static const char *pkey_province(const char *pkey, json_t *old)
{
	if (!strncmp(pkey, "new:", 4))
		return pkey + 4;
	if (old && !strncmp(pkey, "old:", 4))
		return json_string_value(json_object_get(old, pkey + 4));
	return NULL;
}

/* Cells grouped by a key in first-seen order: first[k] is the first cell of
 * group k (n groups), next[i] the cell after i in its group ((size_t)-1:
 * the last, or in no group). */
struct groups {
	json_t *index; /* key -> k */
	size_t *first, *last, *next, n;
};

static void groups_init(struct groups *g, size_t cells)
{
	g->index = json_object();
	g->first = xcalloc(cells + 1, sizeof *g->first);
	g->last = xcalloc(cells + 1, sizeof *g->last);
	g->next = xcalloc(cells + 1, sizeof *g->next);
	g->n = 0;
}

/* Puts cell i in the group of key (NULL: in none); cells come in order. */
static void groups_add(struct groups *g, size_t i, const char *key)
{
	g->next[i] = (size_t)-1;
	json_t *at = key ? json_object_get(g->index, key) : NULL;
	if (at) {
		size_t k = (size_t)json_integer_value(at);
		g->next[g->last[k]] = i;
		g->last[k] = i;
	} else if (key) {
		json_object_set_new(g->index, key, json_integer((json_int_t)g->n));
		g->first[g->n] = g->last[g->n] = i;
		g->n++;
	}
}

static void groups_free(struct groups *g)
{
	json_decref(g->index);
	free(g->first);
	free(g->last);
	free(g->next);
}

/* Appends row to the rows of by under name. */
static void put_row(json_t *by, const char *name, json_t *row)
{
	json_t *rows = json_object_get(by, name);
	if (!rows)
		json_object_set_new(by, name, rows = json_array());
	json_array_append_new(rows, row);
}

/* q->province_rows: the rows of each province of today, from the cells of
 * that province (the nation's own figures count in none; under old units
 * those of the old provinces it was formed from), in the order the query of
 * that province alone meets them: {code: rows}. */
static json_t *province_rows(const struct indicator *ind, const struct entity *ent,
			     const struct stat_query *q, const struct plan *pl, struct cells *c,
			     struct labels *L)
{
	json_t *old = q->old_units ? old_provinces(L) : NULL;
	if (q->old_units && !old)
		return NULL;
	json_t *out = json_object();
	struct groups g;
	groups_init(&g, c->n);
	for (size_t i = 0; i < c->n; i++) {
		const char *code = pkey_province(c->v[i].pkey, old);
		char gkey[96];
		snprintf(gkey, sizeof gkey, "%s|%s", code ? code : "", c->v[i].dkey);
		groups_add(&g, i, code ? gkey : NULL);
	}
	for (size_t k = 0; k < g.n; k++) {
		const char *code = pkey_province(c->v[g.first[k]].pkey, old),
			   *key = c->v[g.first[k]].dkey;
		struct stat_query pq = *q;
		pq.province = code;
		char label[200];
		row_label(L, ent, q, pl, key, label, sizeof label);
		char *link = records_link(ind, ent, &pq, pl, NULL, q->by, key);
		put_row(out, code, group_row(ind, c, g.next, g.first[k], key, label, link));
		free(link);
	}
	groups_free(&g);
	json_decref(old);
	return out;
}

/* q->year_rows: the rows of each year, from the cells of that year (their
 * key "2023|" and the breakdown's, reported_sql() and computed_sql()), in
 * the order the query of that calendar year alone meets them, labelled and
 * linked as it does: {year: rows}. */
static json_t *year_rows(const struct indicator *ind, const struct entity *ent,
			 const struct stat_query *q, const struct plan *pl, struct cells *c,
			 struct labels *L)
{
	int by_place = !strcmp(q->by, "province");
	json_t *out = json_object();
	struct groups g;
	groups_init(&g, c->n);
	for (size_t i = 0; i < c->n; i++) {
		char gkey[96];
		snprintf(gkey, sizeof gkey, "%s%s", c->v[i].dkey, by_place ? c->v[i].pkey : "");
		groups_add(&g, i, gkey);
	}
	struct plan *ypl = xcalloc(1, sizeof *ypl);
	for (size_t k = 0; k < g.n && !L->failed; k++) {
		const struct cell *x = &c->v[g.first[k]];
		char year[8];
		snprintf(year, sizeof year, "%.*s", (int)strcspn(x->dkey, "|"), x->dkey);
		const char *bar = strchr(x->dkey, '|'), *key = by_place ? x->pkey
							       : bar	? bar + 1
									: "";
		char label[200];
		if (by_place)
			place_label(L, key, label, sizeof label);
		else
			row_label(L, ent, q, pl, key, label, sizeof label);
		/* The link of the query of that calendar year (period_resolve). */
		*ypl = *pl;
		ypl->p.by_date = 0;
		ypl->p.year_from = ypl->p.year_to = atoi(year);
		char *link = records_link(ind, ent, q, ypl, by_place ? key : NULL, q->by, key);
		put_row(out, year, group_row(ind, c, g.next, g.first[k], key, label, link));
		free(link);
	}
	free(ypl);
	groups_free(&g);
	return out;
}

/* The rows and *total; NULL with e set when a label cannot be read. */
static json_t *build_rows(struct store *st, const struct indicator *ind, const struct entity *ent,
			  const struct stat_query *q, const struct plan *pl, struct cells *c,
			  json_t **total, json_t **by_prov, struct err *e)
{
	json_t *rows = json_array();
	struct acc all = {.figs = json_array()}, nation = {.figs = json_array()};
	int by_place = q->by && !strcmp(q->by, "province");
	/* Distinct row keys in first-seen order: each cell's group. */
	struct groups g;
	groups_init(&g, c->n);
	char *in_all = xcalloc(c->n + 1, 1), *in_nation = xcalloc(c->n + 1, 1);
	for (size_t i = 0; i < c->n; i++) {
		int nat = fig_pkey_is_nation(c->v[i].pkey);
		acc_add(nat ? &nation : &all, &c->v[i]);
		(nat ? in_nation : in_all)[i] = 1;
		groups_add(&g, i, by_place ? c->v[i].pkey : c->v[i].dkey);
	}
	struct labels L = {.st = st, .rows = g.n, .e = e};
	for (size_t k = 0; q->by && !q->year_rows && k < g.n; k++) {
		const char *key = by_place ? c->v[g.first[k]].pkey : c->v[g.first[k]].dkey;
		char label[200];
		if (by_place)
			place_label(&L, key, label, sizeof label);
		else
			row_label(&L, ent, q, pl, key, label, sizeof label);
		char *link = records_link(ind, ent, q, pl, by_place ? key : NULL, q->by, key);
		json_array_append_new(rows,
				      group_row(ind, c, g.next, g.first[k], key, label, link));
		free(link);
	}
	*by_prov = q->province_rows && q->by && !by_place ? province_rows(ind, ent, q, pl, c, &L)
		   : q->year_rows			  ? year_rows(ind, ent, q, pl, c, &L)
							  : NULL;
	json_decref(L.map);
	groups_free(&g);
	if (all.rep)
		all.rqual = family_qual(c, in_all);
	if (nation.rep)
		nation.rqual = family_qual(c, in_nation);
	free(in_all);
	free(in_nation);
	if (L.failed) {
		json_decref(*by_prov);
		json_decref(rows);
		json_decref(all.figs);
		json_decref(nation.figs);
		return NULL;
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
	buf_printf(k, "%s|%d|%d|%s|", q->establishment_kind ? q->establishment_kind : "",
		   q->province_rows, q->year_rows, q->product_group ? q->product_group : "");
	buf_printf(k, "pa%d|", preagg_on()); /* the full recompute is memoized apart */
	if (p)
		buf_printf(k, "%s|%s|%d|%d|%d|%d|%s", p->date_from, p->date_to, p->year_from,
			   p->year_to, p->no_years, p->by_date, p->label);
}

static int compute_now(struct store *st, const struct actor *a, const struct stat_query *q,
		       json_t **out, struct err *e);

/* The versions of the tables a statistic of q may read (migration 0029):
 * its collection's, the reported figures, the records it joins for a
 * breakdown (rec_dims_joins), the units, industries and periods it places
 * and labels them by. Any other table (sessions, audit, notifications,
 * another collection) may change and the result is still reused. */
static int stat_versions(struct store *st, const struct stat_query *q, char *out, size_t n,
			 struct err *e)
{
	const struct indicator *ind = indicator_find(q->indicator);
	const struct entity *ent = ind && ind->collection ? entity_find(ind->collection) : NULL;
	/* Figures only: "figures" twice, harmless. */
	const char *tables[] = {ent ? ent->table : "figures",
				"figures",
				"establishments",
				"villages",
				"village_years",
				"projects",
				"industries",
				"units",
				"unit_succession",
				"unit_aliases",
				"unit_regions",
				"reporting_periods",
				NULL};
	return store_table_versions(st, tables, out, n, e);
}

/* The result of the same query in the same scope is reused while the tables
 * it reads are unchanged (stats_memo.h); anything else computes. */
int stats_memo_ident(struct store *st, const struct actor *a, const struct stat_query *q,
		     struct buf *key, char *version, size_t n, struct err *e)
{
	if (stat_versions(st, q, version, n, e) < 0)
		return ERR_STORE;
	memo_key(key, a, q);
	return 0;
}

int stats_compute(struct store *st, const struct actor *a, const struct stat_query *q, json_t **out,
		  struct err *e)
{
	char version[1024];
	struct buf key = BUF_INIT;
	if (stats_memo_ident(st, a, q, &key, version, sizeof version, e) < 0)
		return ERR_STORE;
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

/* Prepares the cover test of records when figures were added: the
 * records' own content type, funding, establishment kind and product group
 * (or none). */
static void cover_dims(const struct indicator *ind, const struct entity *ent, struct plan *pl,
		       int figures)
{
	pl->figures = figures;
	if (!figures)
		return;
	if (rec_dim_sql(ent, &pl->d, "content_type", pl->cov_ct, sizeof pl->cov_ct) < 0)
		*pl->cov_ct = 0;
	if (dim_sql(ind, ent, &pl->d, "funding", pl->cov_fund, sizeof pl->cov_fund) < 0)
		*pl->cov_fund = 0;
	if (rec_dim_sql(ent, &pl->d, "establishment_kind", pl->cov_kind, sizeof pl->cov_kind) < 0)
		*pl->cov_kind = 0;
	if (rec_dim_sql(ent, &pl->d, "product_group", pl->cov_group, sizeof pl->cov_group) < 0)
		*pl->cov_group = 0;
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
	int rc = pick_preagg(st, ent, pl, e);
	if (rc < 0)
		return rc;
	struct sqlb sb;
	for (;;) { /* over the pre-aggregate when it keeps what this reads */
		memset(&sb, 0, sizeof sb);
		sb.b = (struct buf)BUF_INIT;
		buf_printf(&sb.b, "SELECT t.old_split, %s", pl->pa ? "SUM(t.n)" : "COUNT(*)");
		records_where(&sb, ind, ent, &wq, prov, pl);
		buf_puts(&sb.b, " AND t.old_split IS NOT NULL");
		if (q->old_province) {
			buf_puts(&sb.b,
				 " AND t.province_code IN (SELECT new_province_code FROM"
				 " units WHERE era = 'old' AND level = 'province' AND code = ?)");
			arg_text(&sb, q->old_province);
		}
		buf_puts(&sb.b, " GROUP BY t.old_split");
		if (!pl->pa || preagg_sql_ok(pl->pa, buf_cstr(&sb.b)))
			break;
		buf_free(&sb.b);
		pl->pa = NULL;
	}
	pl->pa = NULL;
	struct stmt *s = store_prepare(st, buf_cstr(&sb.b), e);
	rc = s ? 0 : ERR_STORE;
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

static int64_t computations;

int64_t stats_computations(void)
{
	return __atomic_load_n(&computations, __ATOMIC_RELAXED);
}

static int compute_now(struct store *st, const struct actor *a, const struct stat_query *asked,
		       json_t **out, struct err *e)
{
	__atomic_add_fetch(&computations, 1, __ATOMIC_RELAXED);
	const struct indicator *ind = indicator_find(asked->indicator);
	const struct entity *ent = ind && ind->collection ? entity_find(ind->collection) : NULL;
	struct stat_query yq = *asked, *q = &yq;
	/* Years apart in one computation where each record and figure has one
	 * year: not stocks (every year counts them all), not records without
	 * years, not communes (commune_keys_sql reads the breakdown's key). */
	yq.year_rows = yq.year_rows && !yq.period && yq.by && strcmp(yq.by, "year") &&
		       strcmp(yq.by, "commune") && !yq.province_rows && ind &&
		       ind->agg != AGG_STOCK && (!ent || ent->year_field);
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
	/* Figures first: the records a figure covers are itemised under it. */
	struct cells c = {0};
	rc = load_reported(st, ind, q, prov, &pl, &c, e);
	if (rc == 0 && ent) {
		cover_dims(ind, ent, &pl, c.n > 0);
		rc = load_computed(st, ind, ent, q, prov, &pl, &c, e);
	}
	if (rc < 0) {
		cells_free(&c);
		return rc;
	}
	json_t *total, *by_prov;
	json_t *rows = build_rows(st, ind, ent, q, &pl, &c, &total, &by_prov, e);
	cells_free(&c);
	if (!rows)
		return e->code;
	static const char *const aggs[] = {"sum", "ratio", "stock"};
	json_t *query =
		json_pack("{s:i,s:i,s:s?,s:s?,s:b,s:s?,s:b,s:s?,s:s?,s:s?,s:s?}", "from",
			  pl.p.year_from, "to", pl.p.year_to, "province", prov, "old_province",
			  q->old_province, "old_units", q->old_units, "by", q->by, "illustrative",
			  q->illustrative, "content_type", q->content_type, "funding", q->funding,
			  "establishment_kind", q->establishment_kind, "product_group",
			  q->product_group);
	json_object_set_new(query, "period",
			    json_pack("{s:s,s:s,s:s,s:b,s:b}", "label", pl.p.label, "date_from",
				      pl.p.date_from, "date_to", pl.p.date_to, "by_date",
				      pl.p.by_date, "year_only_counted", !pl.p.no_years));
	*out = json_pack("{s:{s:s,s:s,s:s,s:s,s:s,s:s},s:o,s:s,s:s,s:o,s:o}", "indicator", "code",
			 ind->code, "name", ind->vi, "name_en", ind->en, "measure", ind->measure,
			 "section", ind->section, "agg", aggs[ind->agg], "query", query, "rule",
			 rule_text, "placement", placement_text, "total", total, "rows", rows);
	if (by_prov)
		json_object_set_new(*out, q->year_rows ? "year_rows" : "province_rows", by_prov);
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
