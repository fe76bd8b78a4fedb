/* stats_view.h - a statistics result made readable for a national reader:
 * rows in order, every province listed, how many provinces the numbers
 * cover, provinces compared side by side, ranks, values per establishment. */
#ifndef KC_STATS_VIEW_H
#define KC_STATS_VIEW_H

#include "stats/stats.h"

/* The order of two row keys: years (and periods "2016-2020") by their
 * first year, then as text; the unknown row ("") last. */
int stats_key_cmp(const char *a, const char *b);

/* Orders the "rows" of a stats_compute() result by stats_key_cmp(). */
void stats_rows_order(json_t *out);

/* stats_compute() of q, then: rows in order; broken down by today's
 * provinces in the nation's scope, every province of today (those without
 * a value say "không có số liệu"), each with its rank and its value per 100
 * establishments recorded in the province (sums only: the system holds no
 * population); "coverage" {with_data, of, text} in the nation's scope.
 * With ncompare > 0, the provinces of compare (today's codes) side by side:
 * q is broken down by province, only their rows kept and the total left
 * out (it would be the nation's). *out as stats_compute(); can fail as it. */
int stats_view(struct store *st, const struct actor *a, const struct stat_query *q,
	       const char *const *compare, int ncompare, json_t **out, struct err *e);

/* stats_view() of q (no provinces compared) for a reader that changes
 * nothing in *out nor in what it holds: the view itself is kept in the
 * statistics memo under q's statistic's versions (stats_memo_ident), and
 * the same view is shared, not copied (a warm dashboard's ~30 views were
 * a quarter of its time in copies and frees, issue 17). */
int stats_view_shared(struct store *st, const struct actor *a, const struct stat_query *q,
		      json_t **out, struct err *e);

#endif
