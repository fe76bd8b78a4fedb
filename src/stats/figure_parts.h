/* figure_parts.h - reported figures that are the total of their groups
 * ("Tổng") and the figures that are its parts: which figure of a place and
 * period counts where, the remainder "khác / chưa phân loại", and the check
 * that the parts do not add up to more than their total (docs/statistics.md). */
#ifndef KC_FIGURE_PARTS_H
#define KC_FIGURE_PARTS_H

#include "core/err.h"
#include "stats/stats_place.h"

#include <jansson.h>
#include <stddef.h>

struct store;

/* What makes a figure's cell: the place it was reported for, its period,
 * the breakdowns it names ("" for one it leaves empty), whether it is
 * marked as the total of its groups, and whether it is a figure of an
 * indicator that sums others (whole: budget.total beside the budget.local
 * and budget.national figures it holds, indicator_parts()). */
struct figkey {
	char place[FIG_PLACE_MAX], ct[24], fund[16], kind[24], group[16];
	int from, to, total, whole;
};

/* For n figures of one indicator in the order they are added (totals and
 * coarser figures first): skip[i] = 1 when an earlier figure of the same
 * place, an overlapping period, the same breakdowns and the same scope
 * already counts (a figure reported twice); parent[i] = 1 + the index of
 * the innermost total that holds figure i (its place, a period that meets
 * it, every breakdown the total names equal), or 0. A whole figure holds
 * the parts' figures as a total does, marked or not. Cannot fail. */
void fig_resolve(const struct figkey *k, size_t n, int *skip, size_t *parent);

/* Checks that rec, a figure about to be written, does not make the parts of
 * a total add up to more than it (the total's upper bound; a total "trên …"
 * may be exceeded): an error on "value" naming the total and the sum.
 * Returns 0, or a negative code when the store fails. */
int figure_parts_check(struct store *st, json_t *rec, struct errs *l);

#endif
