/* letterhead.h - what makes the periodic report an administrative document
 * (Decree 30/2020/NĐ-CP, Appendix I): the issuing body and the body above it,
 * the symbol of its number, the place, "Kính gửi", "Nơi nhận" and the signer.
 * Kept per province (its code of today) and for the ministry ("national");
 * every field has a default made from the province's name, so a report is a
 * complete draft before anyone fills the settings in. */
#ifndef KC_LETTERHEAD_H
#define KC_LETTERHEAD_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

struct letterhead_field {
	const char *key;
	const char *vi, *en; /* labels */
	size_t max;          /* bytes */
	int lines;           /* one entry a line ("Kính gửi", "Nơi nhận") */
};

/* The keys of letterhead_fields as the router declares them (a unit test
 * checks that the two agree). */
#define LETTERHEAD_KEYS                                                                   \
	"parent_body,issuing_body,symbol,place,addressee,recipients,signer_authority,"    \
	"signer_title,signer_name"

/* The fields, in the order the settings form shows them; ends with {0}. */
extern const struct letterhead_field letterhead_fields[];

/* The settings of scope ("national" or a province code of today) as an object
 * of every field (strings; defaults filled in) plus "scope" and "custom" (the
 * keys set by someone rather than defaulted) into *out (caller decrefs).
 * Anyone who may read the scope's report may read them. ERR_NOTFOUND for an
 * unknown province. */
int letterhead_get(struct store *st, const struct actor *a, const char *scope, json_t **out,
                   struct err *e);

/* Sets some fields of scope from the object in (strings; "" or null returns a
 * field to its default), audited as one change. Admins set any scope, ministry
 * accounts "national", province accounts their own province. An unknown key,
 * a value too long or with control characters is ERR_INVALID naming it. */
int letterhead_set(struct store *st, const struct actor *a, const char *scope, json_t *in,
                   struct err *e);

#endif
