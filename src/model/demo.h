/* demo.h - the demo data set: every figure of the seed articles as reported
 * figures with their sources, and illustrative detailed records. */
#ifndef KC_DEMO_H
#define KC_DEMO_H

#include "model/actor.h"
#include "store/store.h"

/* Loads data/demo/demo.json (compiled in) through the record engine, as
 * actor a, in one transaction; refuses (ERR_CONFLICT) when demo data is
 * already present. *count receives the number of records written. Errors
 * name the record ("records[12].unit_id"). */
int demo_load(struct store *st, const struct actor *a, int *count, struct err *e);

#endif
