/* unit_attr.h - the old units (before 2025-07-01) a record of that time
 * belongs to, from its commune: an old commune gives them directly; a commune
 * of today gives them through the succession table where its old communes
 * agree, and says where they do not rather than guess. */
#ifndef KC_UNIT_ATTR_H
#define KC_UNIT_ATTR_H

#include "model/entity.h"
#include "store/store.h"

#include <jansson.h>

struct old_units {
	char province[4]; /* old province code, "" when unknown */
	char district[8]; /* old district code, "" when unknown */
	char commune[8];  /* old commune code, "" when unknown */
	char split[12];	  /* "commune" when today's commune was formed from several
			     old communes, "province" when the place spans several
			     old provinces; "" otherwise */
	char note[768];	  /* why a level is unknown ("Phường X was formed from 3 old
			     communes: ..."), or "" */
};

/* Fills out for commune unit commune_id (of either era). Fails only on a
 * database error or an unknown unit. */
int unit_attr_old(struct store *st, int64_t commune_id, struct old_units *out, struct err *e);

/* The old units of record rec of ent (its merged fields) whose province of
 * today is prov ("" when none), first found of: the old unit given
 * explicitly (old_unit_id); its own unit when of the old era (a figure, an
 * establishment); and for a record dated before 2025-07-01, its
 * establishment's or craft village's commune, else its own province of
 * today when that was one old province. All empty when none applies.
 * ERR_INVALID (field old_unit_id) when an old unit given explicitly
 * contradicts the record's date or today's province; else fails only on a
 * database error. */
int unit_attr_record(struct store *st, const struct entity *ent, json_t *rec, const char *prov,
		     struct old_units *out, struct err *e);

/* 1 when record rec of an entity whose year/date field is year_field was
 * dated before 2025-07-01: a date before it, or a year before 2025 (a year
 * of 2025 alone does not say which side of 1 July it is). */
int unit_attr_before_reform(json_t *rec, const char *year_field);

#endif
