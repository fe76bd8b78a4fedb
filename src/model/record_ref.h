/* record_ref.h - references (F_REF fields) given as a code, a tax code, an
 * exact name or "#id …", resolved within the caller's scope. */
#ifndef KC_RECORD_REF_H
#define KC_RECORD_REF_H

#include "core/buf.h"
#include "model/entity.h"

/* Resolves text for field f (an F_REF) to a record id: "#12 …" and a number
 * of up to 7 digits are record 12 (visibility is checked when the record is
 * written); otherwise the one record visible to a whose code (its first
 * unique text field: a code, a tax code, a GTIN) or title equals text,
 * folded (marks and case ignored). Several or no matches are ERR_INVALID
 * naming f, with up to five candidates "#id name (code)". */
int record_ref_resolve(struct store *st, const struct actor *a, const struct field *f,
		       const char *text, int64_t *id, struct err *e);
/* Replaces every F_REF value of in given as text by the id it resolves to;
 * the first failure is returned (in is then partly resolved). */
int record_refs_resolve(struct store *st, const struct actor *a, const struct entity *ent,
			json_t *in, struct err *e);
/* Appends the name a person knows rec of ent by: its title, and its code in
 * brackets when it has one. */
void record_ref_label(struct buf *b, const struct entity *ent, json_t *rec);

#endif
