/* report_annex.h - the annex of the national report: each indicator by
 * province. */
#ifndef KC_REPORT_ANNEX_H
#define KC_REPORT_ANNEX_H

#include "stats/report.h"

/* Appends to secs, for every indicator of the catalogue with a value in
 * the nation for q's period, a section "Phụ lục N. <indicator> theo tỉnh,
 * thành phố": every province of today (those without data "không có số
 * liệu"), the coverage said above the table; and when the period begins
 * before 2025-07-01, one more table of every indicator by the provinces of
 * the time (those with data). Tables carry their numbers ("values",
 * io/doc.h). *covered: how many provinces of today have any value, of *of.
 * Fails only on a database error. */
int report_annex(struct store *st, const struct actor *a, const struct report_query *q,
		 json_t *secs, int *covered, int *of, struct err *e);

#endif
