/* figure_parts.c - totals ("Tổng") and their parts among reported figures:
 * one rule (fig_resolve) for the statistics and for the check on write. */
#include "stats/figure_parts.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/vtext.h"
#include "stats/indicator.h"
#include "stats/stats.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int specificity(const struct figkey *k)
{
	return (k->ct[0] != 0) + (k->fund[0] != 0) + (k->kind[0] != 0) + (k->group[0] != 0);
}

static int meets(const struct figkey *a, const struct figkey *b)
{
	return !strcmp(a->place, b->place) && a->from <= b->to && b->from <= a->to;
}

static int same_cell(const struct figkey *a, const struct figkey *b)
{
	return meets(a, b) && a->total == b->total && a->whole == b->whole &&
	       !strcmp(a->ct, b->ct) && !strcmp(a->fund, b->fund) && !strcmp(a->kind, b->kind) &&
	       !strcmp(a->group, b->group);
}

static int covers(const char *t, const char *p)
{
	return !*t || !strcmp(t, p);
}

/* Total t holds figure p: p is one of its groups (or, naming nothing more,
 * a part it does not classify). A whole figure (budget.total) is the total
 * of the parts' figures (budget.local, budget.national) of its cell. */
static int holds(const struct figkey *t, const struct figkey *p)
{
	return (t->total || t->whole > p->whole) && meets(t, p) && covers(t->ct, p->ct) &&
	       covers(t->fund, p->fund) && covers(t->kind, p->kind) && covers(t->group, p->group);
}

/* The innermost of two totals: the one naming more breakdowns, then a
 * part's figure before a whole one. */
static int inner(const struct figkey *a, const struct figkey *b)
{
	return 2 * specificity(a) - a->whole > 2 * specificity(b) - b->whole;
}

void fig_resolve(const struct figkey *k, size_t n, int *skip, size_t *parent)
{
	for (size_t i = 0; i < n; i++) {
		skip[i] = 0;
		parent[i] = 0;
		for (size_t j = 0; j < i && !skip[i]; j++)
			skip[i] = !skip[j] && same_cell(&k[j], &k[i]);
	}
	for (size_t i = 0; i < n; i++) {
		if (skip[i])
			continue;
		size_t best = 0;
		for (size_t j = 0; j < n; j++)
			if (j != i && !skip[j] && holds(&k[j], &k[i]) &&
			    (!best || inner(&k[j], &k[best - 1])))
				best = j + 1;
		parent[i] = best;
	}
}

/* ---- the check on write ------------------------------------------------ */

/* Values compared at this many decimals of the indicator's unit. */
#define CMP_SCALE 6

struct part {
	struct figkey k;
	__int128 lo, hi; /* in the indicator's unit, at CMP_SCALE */
	int at_least, is_rec;
	char subject[120];
};

static __int128 base_value(const struct indicator *ind, int64_t v, int scale, const char *m)
{
	__int128 x = (__int128)v * stats_measure_factor(ind, m);
	for (int s = scale; s < CMP_SCALE; s++)
		x *= 10;
	for (int s = scale; s > CMP_SCALE; s--)
		x /= 10;
	return x;
}

static void part_dims(struct part *p, const char *ct, const char *fund, const char *kind,
		      const char *group, const char *scope)
{
	snprintf(p->k.ct, sizeof p->k.ct, "%s", ct ? ct : "");
	snprintf(p->k.fund, sizeof p->k.fund, "%s", fund ? fund : "");
	snprintf(p->k.kind, sizeof p->k.kind, "%s", kind ? kind : "");
	snprintf(p->k.group, sizeof p->k.group, "%s", group ? group : "");
	p->k.total = scope && !strcmp(scope, "total");
}

static int cmp_parts(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	if (x->k.total != y->k.total)
		return y->k.total - x->k.total;
	return specificity(&x->k) - specificity(&y->k);
}

static void amount_text(struct buf *b, const struct indicator *ind, __int128 v)
{
	int scale = CMP_SCALE;
	while (scale > ind->scale && v % 10 == 0) {
		v /= 10;
		scale--;
	}
	while (scale > ind->scale + 4) { /* a sum this fine is shown to 4 decimals */
		v /= 10;
		scale--;
	}
	if (v > INT64_MAX || v < INT64_MIN)
		buf_puts(b, "?");
	else
		stats_format(b, ind, (int64_t)v, (int64_t)v, scale, "exact");
}

/* The figure about to be written as a part (last, so that a figure of the
 * same cell already stored is the one it replaces). */
static void rec_part(json_t *rec, const struct indicator *ind, struct part *p)
{
	json_t *v = json_object_get(rec, "value");
	part_dims(p, json_string_value(json_object_get(rec, "content_type")),
		  json_string_value(json_object_get(rec, "funding")),
		  json_string_value(json_object_get(rec, "establishment_kind")),
		  json_string_value(json_object_get(rec, "product_group")),
		  json_string_value(json_object_get(rec, "scope")));
	const char *m = json_string_value(json_object_get(rec, "measure"));
	int scale = (int)json_integer_value(json_object_get(v, "scale"));
	p->lo = base_value(ind, json_integer_value(json_object_get(v, "value")), scale, m);
	p->hi = base_value(ind, json_integer_value(json_object_get(v, "value_hi")), scale, m);
	const char *q = json_string_value(json_object_get(v, "qualifier"));
	p->at_least = q && !strcmp(q, "at_least");
	p->k.from = (int)json_integer_value(json_object_get(rec, "period_from"));
	p->k.to = (int)json_integer_value(json_object_get(rec, "period_to"));
	snprintf(p->subject, sizeof p->subject, "%s",
		 json_string_value(json_object_get(rec, "subject"))
			 ? json_string_value(json_object_get(rec, "subject"))
			 : "");
	p->is_rec = 1;
}

static int load_parts(struct store *st, json_t *rec, const struct indicator *ind, struct part **out,
		      size_t *n)
{
	json_t *uid = json_object_get(rec, "unit_id");
	const char *pc = json_string_value(json_object_get(rec, "place_code"));
	if (!json_is_integer(uid) && !pc)
		return 0;
	struct part me = {0};
	rec_part(rec, ind, &me);
	struct err e;
	struct stmt *s = store_prepare(
		st,
		"SELECT value, value_hi, value_scale, value_qual, measure, content_type, funding,"
		" establishment_kind, scope, period_from, period_to, subject, product_group FROM"
		" figures"
		" WHERE indicator = ? AND (unit_id = ? OR place_code = ?) AND period_from <= ?"
		" AND period_to >= ? ORDER BY id",
		&e);
	if (!s)
		return -1;
	stmt_bind(s, "titii", ind->code,
		  json_is_integer(uid) ? (int64_t)json_integer_value(uid) : (int64_t)-1,
		  pc ? pc : "", (int64_t)me.k.to, (int64_t)me.k.from);
	struct part *v = NULL;
	size_t len = 0;
	int rc;
	while ((rc = stmt_step(s, &e)) == 1) {
		struct part p = {0};
		part_dims(&p, stmt_text(s, 5), stmt_text(s, 6), stmt_text(s, 7), stmt_text(s, 12),
			  stmt_text(s, 8));
		p.k.from = (int)stmt_int(s, 9);
		p.k.to = (int)stmt_int(s, 10);
		if (p.k.from == me.k.from && p.k.to == me.k.to && same_cell(&p.k, &me.k))
			continue; /* the stored version of the figure being written */
		p.lo = base_value(ind, stmt_int(s, 0), (int)stmt_int(s, 2), stmt_text(s, 4));
		p.hi = base_value(ind, stmt_int(s, 1), (int)stmt_int(s, 2), stmt_text(s, 4));
		p.at_least = stmt_text(s, 3) && !strcmp(stmt_text(s, 3), "at_least");
		snprintf(p.subject, sizeof p.subject, "%s",
			 stmt_text(s, 11) ? stmt_text(s, 11) : "");
		v = xrealloc(v, (len + 2) * sizeof *v);
		v[len++] = p;
	}
	stmt_done(s);
	if (rc < 0) {
		free(v);
		return -1;
	}
	v = xrealloc(v, (len + 1) * sizeof *v);
	v[len++] = me;
	qsort(v, len, sizeof *v, cmp_parts);
	*out = v;
	*n = len;
	return 0;
}

int figure_parts_check(struct store *st, json_t *rec, struct errs *l)
{
	const char *code = json_string_value(json_object_get(rec, "indicator"));
	const struct indicator *ind = indicator_find(code ? code : "");
	if (!ind || !json_is_object(json_object_get(rec, "value")))
		return 0;
	struct part *v = NULL;
	size_t n = 0;
	if (load_parts(st, rec, ind, &v, &n) < 0)
		return ERR_STORE;
	struct figkey *k = xcalloc(n ? n : 1, sizeof *k);
	int *skip = xcalloc(n ? n : 1, sizeof *skip);
	size_t *parent = xcalloc(n ? n : 1, sizeof *parent);
	for (size_t i = 0; i < n; i++)
		k[i] = v[i].k;
	fig_resolve(k, n, skip, parent);
	for (size_t t = 0; t < n; t++) {
		if (skip[t] || !v[t].k.total || v[t].at_least)
			continue;
		__int128 sum = 0;
		int mine = v[t].is_rec;
		for (size_t i = 0; i < n; i++)
			if (parent[i] == t + 1) {
				sum += v[i].lo;
				mine |= v[i].is_rec;
			}
		if (!mine || sum <= v[t].hi)
			continue;
		struct buf a = BUF_INIT, b = BUF_INIT;
		amount_text(&a, ind, sum);
		amount_text(&b, ind, v[t].hi);
		errs_set(
			l, ERR_INVALID, "value",
			"Các phần của số liệu tổng \"%s\" cộng lại %s, lớn hơn tổng %s / the parts "
			"of the total \"%s\" add up to %s, more than the total %s",
			v[t].subject, buf_cstr(&a), buf_cstr(&b), v[t].subject, buf_cstr(&a),
			buf_cstr(&b));
		buf_free(&a);
		buf_free(&b);
		break;
	}
	free(k);
	free(skip);
	free(parent);
	free(v);
	return 0;
}
