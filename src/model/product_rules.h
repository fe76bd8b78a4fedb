/* product_rules.h - the cross-field rules of products, their lots and the
 * dated events of a lot (entities "products", "lots", "lot-events"). */
#ifndef KC_PRODUCT_RULES_H
#define KC_PRODUCT_RULES_H

#include "model/entity.h"

/* Products: the GTIN is checked and stored in its 14-digit form; a linked
 * award must be the same establishment's; a product with lots cannot move
 * to another establishment; "published" defaults to false. */
int product_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l);
/* Lots: the establishment is the product's (set here, read-only for users,
 * so scoping sees it); the lot code is checked and unique per product; the
 * inputs are {"name": "origin"} or {"name": {"origin", "supplier",
 * "quantity"}}; a recall needs its reason; the best-before date is not
 * before the production date. */
int lot_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l);
/* Lot events: the establishment is the lot's. */
int lot_event_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l);

#endif
