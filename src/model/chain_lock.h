/* chain_lock.h - an accepted periodic report locks its period: the records
 * and reported figures of its province dated in it cannot be created,
 * changed or deleted (docs/reporting.md). The submissions themselves are
 * kept by stats/submission.c; this is the one check the write path asks. */
#ifndef KC_CHAIN_LOCK_H
#define KC_CHAIN_LOCK_H

#include "model/entity.h"

/* 0 when neither the stored state before (NULL for a create) nor the
 * written state after (NULL for a delete) of record id of ent lies in a
 * period its province has an accepted submission for. Else ERR_CONFLICT
 * naming the record's date (or year) field, the period and the submission's
 * number. Called inside the write's transaction, after the row is written
 * (the row's province is read back), so a refusal rolls the write back. */
int chain_lock_check(struct store *st, const struct entity *ent, int64_t id, json_t *before,
		     json_t *after, struct err *e);

/* The same for one state rec of a record of province prov (today's code;
 * NULL or "" is never locked), without writing: what a dry run asks. */
int chain_lock_check_state(struct store *st, const struct entity *ent, const char *prov,
			   json_t *rec, struct err *e);

#endif
