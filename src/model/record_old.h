/* record_old.h - keeps the stored old units of records (old_province_code,
 * old_district_code, old_commune_code, old_split) equal to what
 * unit_attr_record derives from their facts: after an establishment's or
 * craft village's commune changes, and once for records stored before
 * those columns existed. A record's own write derives them itself
 * (record.c). */
#ifndef KC_RECORD_OLD_H
#define KC_RECORD_OLD_H

#include "model/entity.h"
#include "store/store.h"

/* Re-derives the old units of the dated records that refer to record id of
 * ent (an establishment's machinery, a village's yearly figures...), inside
 * the caller's transaction. Records whose explicit old unit no longer fits
 * are left as they are. Fails only on a database error. */
int record_old_follow(struct store *st, const struct entity *ent, int64_t id, struct err *e);

/* Re-derives the old units of every record of ent; *changed (may be NULL)
 * counts the rows whose stored units differed. In batches, bounded memory;
 * inside the caller's transaction. Fails only on a database error. */
int record_old_refresh_all(struct store *st, const struct entity *ent, int64_t *changed,
			   struct err *e);

/* Runs the upkeep a migration left to do (table upkeep): task "old_units"
 * re-derives the old units of all records once, in one transaction, so
 * records stored before migration 0014 count under old units without being
 * saved again. Cheap when nothing is pending. *changed (may be NULL) counts
 * the rows changed. Fails only on a database error (nothing written). */
int record_upkeep(struct store *st, int64_t *changed, struct err *e);

#endif
