/* stats_preagg.h - the pre-aggregates of the records the statistics sum
 * (migration 0036): one row per combination of the columns a statistic
 * filters, groups and covers by, with the count of records and the sum of
 * each summed column, kept by triggers in the writing transaction. The
 * statistics engine reads them instead of the records when the statement it
 * built needs no other column; the answer is the same, only faster
 * (docs/engineering.md, "Pre-aggregates"). */
#ifndef KC_STATS_PREAGG_H
#define KC_STATS_PREAGG_H

#include "core/buf.h"
#include "model/actor.h"
#include "store/store.h"

#include <stdint.h>

struct preagg {
	const char *table;	   /* the records: "training_classes" */
	const char *sums;	   /* their pre-aggregate: "stat_sums_training_classes" */
	const char *const *keys;   /* columns kept as they are, NULL-ended */
	const char *const *values; /* columns summed (NULL when all empty), NULL-ended */
};

/* The pre-aggregate of the records of table, or NULL when it has none or
 * pre-aggregates are switched off (preagg_switch, or KC_STATS_PREAGG=0 in
 * the environment: the full recompute, for tests and benchmarks). */
const struct preagg *preagg_of(const char *table);

/* The i-th pre-aggregate (from 0), whether switched on or not, or NULL past
 * the last: `khuyencong check` and `rebuild` go through all of them
 * (stats_preagg_check.c). */
const struct preagg *preagg_at(size_t i);

/* Switches the use of pre-aggregates on (1) or off (0) in this process;
 * preagg_on() says which (part of a memoized statistic's key). */
void preagg_switch(int on);
int preagg_on(void);

/* Appends to out the aggregate expr of the records ("COUNT(*)",
 * "SUM(t.trainees)", "1000 * SUM(t.employed)", "COUNT(t.employed)") as the
 * same aggregate over p's rows ("SUM(t.n)", ...). Returns -1 (out
 * unchanged in meaning, to be discarded) when expr is not a sum or count of
 * p's columns. */
int preagg_agg(const struct preagg *p, const char *expr, struct buf *out);

/* 1 when the statement sql, built over p's rows as alias t, reads only
 * columns p keeps, each summed column only inside SUM() or as IS [NOT] NULL;
 * else 0 (the caller reads the records instead). */
int preagg_sql_ok(const struct preagg *p, const char *sql);

/* How many statements preagg_sql_ok() let read a pre-aggregate, in this
 * process: for tests. */
int64_t preagg_reads(void);

/* 1 when p's rows hold every record's values exactly (no record in a group
 * of its own for a value beyond the bound, migration 0036), 0 when not,
 * ERR_STORE on a failure of the database. */
int preagg_usable(struct store *st, const struct preagg *p, struct err *e);

/* Compares every pre-aggregate with its recompute from the records, one
 * statement (one snapshot) each: appends to report one line per differing
 * key (the key's columns, the stored count and sums, the recomputed ones)
 * and sets *differing to their number. Only counts are compared where a
 * record's value is beyond the bound (big: those sums are never read), and a
 * stored row whose count fell to 0 is right with sums of 0 (or NULL).
 * Returns 0 (whether they differ or not) or ERR_STORE. */
int preagg_check(struct store *st, struct buf *report, int64_t *differing, struct err *e);

/* Recomputes every pre-aggregate from its records in one transaction (on
 * PostgreSQL the records are locked against writes meanwhile, so none is
 * counted twice or missed), with one audit row each (entity
 * "preaggregates", id the table, action "rebuild": rows and differing keys
 * before, rows after), and bumps its records' table version so that
 * memoized statistics are computed again. Admin only (ERR_FORBIDDEN).
 * Appends a line per table to report. 0 or < 0, nothing changed then. */
int preagg_rebuild(struct store *st, const struct actor *a, struct buf *report, struct err *e);

/* Replaces the rows of every pre-aggregate by their recompute from the
 * records, in the caller's transaction, without audit or version bump: for
 * `khuyencong migrate`, which copies the records with the triggers off
 * (store_copy). 0 or ERR_STORE. */
int preagg_refill(struct store *st, struct err *e);

#endif
