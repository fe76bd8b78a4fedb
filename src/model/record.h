/* record.h - the generic engine over the entity descriptions (entity.h):
 * validated, scoped, audited create/read/update/delete, lists and search. */
#ifndef KC_RECORD_H
#define KC_RECORD_H

#include "model/entity.h"

enum { LIST_MAX_FILTERS = 24 };

struct list_query {
	const char *q;                             /* search words, folded; NULL for none */
	const char *filter_names[LIST_MAX_FILTERS]; /* FF_FILTER fields to match exactly */
	const char *filter_values[LIST_MAX_FILTERS];
	int nfilters;
	const char *province;     /* today's province code, or NULL */
	const char *old_province; /* province code before 2025-07-01, or NULL */
	int year_from, year_to;   /* 0 when open */
	const char *sort;         /* a field name, or NULL for newest first */
	int desc;
	int64_t limit, offset;
};

/* Lists records of ent visible to a, matching qy, as a JSON array in *items
 * (caller json_decref's) with the number of matches in *total. Unknown
 * filter or sort names are ERR_INVALID naming them. */
int record_list(struct store *st, const struct actor *a, const struct entity *ent,
                const struct list_query *qy, json_t **items, int64_t *total, struct err *e);
/* Reads one record as JSON into *out (caller json_decref's): ERR_NOTFOUND,
 * or ERR_FORBIDDEN outside the caller's scope. */
int record_get(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
               json_t **out, struct err *e);
/* Creates a record from the JSON object in (field values, Vietnamese forms
 * accepted: "24,7 tỷ đồng", "17/05/2016", commune names); sets *id. Every
 * error names its field. Audited in the same transaction. */
int record_create(struct store *st, const struct actor *a, const struct entity *ent, json_t *in,
                  int64_t *id, struct err *e);
/* Changes the fields present in in. if_version >= 0 must equal the stored
 * version (else ERR_STALE and nothing changes). */
int record_update(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
                  json_t *in, int64_t if_version, struct err *e);
/* Deletes a record; its last state stays in the audit trail. Records that
 * others refer to are refused (ERR_CONFLICT). */
int record_delete(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
                  int64_t if_version, struct err *e);
/* Sets one read-only field (e.g. a status changed by a transition) inside
 * the caller's transaction, audited as action. Permission is checked. */
int record_set_system(struct store *st, const struct actor *a, const struct entity *ent,
                      int64_t id, const char *field, json_t *value, const char *action,
                      struct err *e);
/* 0 when a may change record id of ent (what hangs off it, such as a
 * product's photos, follows the record's rules); ERR_NOTFOUND, or
 * ERR_FORBIDDEN outside the caller's role or scope. */
int record_check_write(struct store *st, const struct actor *a, const struct entity *ent,
                       int64_t id, struct err *e);
/* Converts one input value for field f to its canonical JSON (new reference;
 * NULL for empty). era ("old", "new" or NULL) narrows unit names. Exposed
 * for importers and tests. */
int record_convert(struct store *st, const struct field *f, json_t *v, const char *era,
                   json_t **out, struct err *e);

#endif
