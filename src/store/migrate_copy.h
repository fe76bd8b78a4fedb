/* migrate_copy.h - copying a whole database from one store to another
 * (SQLite to PostgreSQL when an office moves up, or back), then proving the
 * copy equal table by table. */
#ifndef KC_MIGRATE_COPY_H
#define KC_MIGRATE_COPY_H

#include "store/store.h"

/* Copies every table of from into to, in one transaction on to.
 * from must have this binary's latest schema (upgrade it first); to must be
 * empty (schema version 0) unless replace is set, in which case its rows are
 * deleted. to is migrated to the latest schema first, so both schema versions
 * are equal. Tables are copied parents first (foreign keys), identity
 * sequences are moved past the largest id. Into PostgreSQL the rows go by
 * COPY (no round trip a row) while its foreign keys and secondary indexes
 * wait (made again, in the same transaction, once the rows are in), and
 * ANALYZE follows the commit. Afterwards every table is
 * compared: row count and an order-independent checksum of the text of every
 * row. One line per table is appended to report. Returns 0 when the copy is
 * identical; ERR_CONFLICT on a difference (to keeps the copy for inspection),
 * or another negative code with e filled. */
typedef int (*store_refill_fn)(struct store *st, struct err *e);

/* Into PostgreSQL, when refill is given, the triggers that keep the
 * statistics' pre-aggregates (stat_sums_*, one upsert a record) are off while
 * the rows go in, and refill computes those tables from the rows copied, in
 * the same transaction, before the triggers are on again. */
int store_copy(struct store *from, struct store *to, int replace, store_refill_fn refill,
	       struct buf *report, struct err *e);

/* Compares every table of a and b (row counts and row checksums) and appends
 * one line per table to report. Returns 0 when equal, ERR_CONFLICT when not. */
int store_compare(struct store *a, struct store *b, struct buf *report, struct err *e);

#endif
