/* suggest.h - what a picker offers while the user types into a reference
 * field: records by code, tax code or name; units by their name of today or
 * the name of an old unit merged into them. Scoped like every list. */
#ifndef KC_SUGGEST_H
#define KC_SUGGEST_H

#include "model/entity.h"

enum { SUGGEST_MAX = 10 };

/* Up to limit (1..SUGGEST_MAX) choices for field f (F_REF or F_UNIT) of a
 * form, matching the words q (marks optional), as a JSON array (caller
 * decrefs) in *items of {"value", "label", "hint"}: value is what the form
 * field takes ("#id name", resolved on submit), label what to show, hint a
 * second line (the old units a commune was formed from, …) or "". An
 * officer's units are those of their province. ERR_INVALID when f is of
 * another type. */
int suggest(struct store *st, const struct actor *a, const struct field *f, const char *q,
	    int limit, json_t **items, struct err *e);

#endif
