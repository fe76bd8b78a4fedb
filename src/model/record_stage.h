/* record_stage.h - a create checked and ready to write, for the record
 * engine's own files (record.c writes one, record_batch.c many in one
 * statement): the same checks either way. */
#ifndef KC_RECORD_STAGE_H
#define KC_RECORD_STAGE_H

#include "model/record.h"
#include "model/record_batch.h"
#include "model/unit_attr.h"

struct record_stage {
	char prov[8], old[8];
	struct old_units ou;
	char *key;   /* the folded search key */
	json_t *rec; /* the canonical record */
	char now[21];
};

/* Every check of a create of in (as record_create: scope, fields, rules,
 * uniqueness against stored records, the lock of accepted periods) into
 * *out; writes nothing. 0, or < 0 with e (and every error in *all when
 * given). record_stage_free() after a 0. free_val (or NULL): see
 * record_batch_add. */
int record_stage_create(struct store *st, const struct actor *a, const struct entity *ent,
			json_t *in, const struct record_free *free_val, struct errs *all,
			struct record_stage *out, struct err *e);
/* Binds r's values at *pos onward, in the order of ent_sql(ent)->insert. */
void record_stage_bind(struct stmt *s, int *pos, const struct entity *ent,
		       const struct record_stage *r);
/* The audit trail's "after" of a record: its fields, as audit_append writes. */
char *record_audit_json(const struct entity *ent, json_t *rec);
void record_stage_free(struct record_stage *r);

#endif
