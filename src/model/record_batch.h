/* record_batch.h - many creates of one record type written together (an
 * import): each is checked when added, exactly as record_create checks it
 * (record_stage_create), and the checked records are written some hundred
 * at a time, by one INSERT and one audit INSERT, inside the caller's
 * transaction. One audit row per record, as record_create writes.
 *
 * What a batch does not see: records added but not yet written are not in
 * the table, so checks that read the table (uniqueness, natural keys, a
 * rule reading sibling records) do not see them. A caller adds only
 * records that cannot clash with each other that way (import.c tells them
 * apart by their natural keys in memory, and batches only record types
 * whose unique fields are natural keys: record_batch_suits), and flushes
 * before any other write. */
#ifndef KC_RECORD_BATCH_H
#define KC_RECORD_BATCH_H

#include "model/record.h"

struct record_batch;

/* Called at each write with the tag given to record_batch_add and the
 * record's new id. */
typedef void (*record_batch_written)(void *ctx, int64_t tag, int64_t id);

/* Can records of ent be created in a batch? Not a project's steps (written
 * through transitions), not a type whose rules read its own sibling records
 * or whose unique field is not a natural key by itself. */
int record_batch_suits(const struct entity *ent);
/* How many records of ent a batch writes a statement (as many as the
 * statement's parameters allow, at most 1 000). */
size_t record_batch_rows(const struct entity *ent);
struct record_batch *record_batch_new(struct store *st, const struct actor *a,
				      const struct entity *ent, record_batch_written cb, void *ctx);
/* A unique field and the value a caller found no record with, in this
 * transaction, by the same lookup the uniqueness check makes (an import's
 * natural key, "tax_code"): the check does not ask again. */
struct record_free {
	const char *field;
	json_t *value;
};

/* Checks the create of in (every error in *all when given, the first in e)
 * and keeps it: 0, or 1 when the batch is full (flush it now), or < 0 when
 * a check failed (nothing kept). free_val: NULL, or see struct record_free. */
int record_batch_add(struct record_batch *b, json_t *in, int64_t tag,
		     const struct record_free *free_val, struct errs *all, struct err *e);
/* Writes the records kept so far. 0, or < 0 (a store error: the caller's
 * transaction is then to be rolled back). */
int record_batch_flush(struct record_batch *b, struct err *e);
/* Frees b; records not flushed are dropped. */
void record_batch_free(struct record_batch *b);

#endif
