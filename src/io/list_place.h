/* list_place.h - the place and code columns every list export carries:
 * today's province and commune, the units of the time (before 2025-07-01)
 * and the establishment's tax code, so that a ministry can sort and pivot
 * any list by place without a lookup of its own. */
#ifndef KC_LIST_PLACE_H
#define KC_LIST_PLACE_H

#include "model/entity.h"
#include "store/store.h"

#include <jansson.h>

#define LIST_PLACE_COLS 8

/* How many place columns an export of ent carries: all of them, but the
 * tax code for establishments, whose own fields hold it already. */
int list_place_cols(const struct entity *ent);

/* The header of place column i (0..LIST_PLACE_COLS-1) in lang. */
const char *list_place_header(int i, const char *lang);

/* The header of the column that reads a money field as on screen ("Giá trị
 * (chữ)"), beside its plain number; in a static buffer per thread. */
const char *list_display_header(const struct field *f, const char *lang);

/* Adds to rec (of ent) "export_place": an array of list_place_cols(ent) strings
 * ("" where unknown). cache (a JSON object, caller json_decref's) is kept
 * across the records of one export, so that each unit and establishment is
 * looked up once. Fails only on a database error. */
int list_place_annotate_one(struct store *st, const struct entity *ent, json_t *rec, json_t *cache,
			    struct err *e);

#endif
