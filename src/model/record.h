/* record.h - the generic engine over the entity descriptions (entity.h):
 * validated, scoped, audited create/read/update/delete, lists and search. */
#ifndef KC_RECORD_H
#define KC_RECORD_H

#include "core/buf.h"
#include "model/entity.h"

enum { LIST_MAX_FILTERS = 24, LIST_MAX_IDS = 200 };

struct list_query {
	const char *q;                             /* search words, folded; NULL for none */
	const char *filter_names[LIST_MAX_FILTERS]; /* FF_FILTER fields to match exactly */
	const char *filter_values[LIST_MAX_FILTERS];
	int nfilters;
	const char *province;     /* today's province code, or NULL */
	const char *old_province; /* province code before 2025-07-01 ("none": recorded under
	                             today's units), or NULL */
	int year_from, year_to;   /* 0 when open; with a date range, of the undated records */
	int year;                 /* only this year (0: any), whatever the other bounds */
	const char *date_from;    /* ISO dates bounding the entity's date field */
	const char *date_to;      /* (record_date_field); NULL when open */
	int units_old;            /* commune filters match the commune as recorded */
	const int64_t *ids;       /* only these records (nids of them), or NULL */
	int nids;
	const char *sort;         /* a field name, or NULL for newest first */
	int desc;
	int64_t limit, offset;
};

/* Lists records of ent visible to a, matching qy, as a JSON array in *items
 * (caller json_decref's) with the number of matches in *total. Unknown
 * filter or sort names are ERR_INVALID naming them. A filter name is a
 * FF_FILTER field or one of rec_dimensions (the statistics' breakdowns,
 * through the record's establishment, village or project); the value
 * "none" matches records where it is unknown (empty). */
int record_list(struct store *st, const struct actor *a, const struct entity *ent,
                const struct list_query *qy, json_t **items, int64_t *total, struct err *e);
/* record_list for a page people read (the list page and the API list): the
 * matches are counted only up to record_count_cap rows (or to the end of the
 * page, if further), not through a whole table. With more, *total is that
 * bound and *exact 0 ("1 000+"); else *total is exact and *exact 1. */
enum { LIST_COUNT_CAP = 1000 };
extern int64_t record_count_cap; /* LIST_COUNT_CAP; tests lower it */
/* PostgreSQL: a search matching more than record_count_cap rows takes its
 * page, newest first, from the newest record_newest_rows rows when they
 * hold it (record.c, newest_first). 20 000; tests lower it. */
extern int64_t record_newest_rows;
/* Tests: called with the text of each list statement (count and page) as it
 * is prepared, so that they can read its plan; NULL otherwise. */
extern void (*record_list_seen)(const char *sql);
int record_list_page(struct store *st, const struct actor *a, const struct entity *ent,
		     const struct list_query *qy, json_t **items, int64_t *total, int *exact,
		     struct err *e);
/* The page of record_list_page (or, with count_all, of record_list: every
 * match counted) written as JSON text: appends to out the array of the
 * records, the text json_dumps makes of their items (same keys, order and
 * values), without making each record a JSON object first. On an error out
 * holds a part of the array, to be thrown away. */
int record_list_json(struct store *st, const struct actor *a, const struct entity *ent,
		     const struct list_query *qy, int count_all, struct buf *out, int64_t *total,
		     int *exact, struct err *e);
/* Whether the field f (of another record type) refers to records of ent and
 * lists can be filtered by it: the lists on a page of ent (record_related). */
int record_refers(const struct entity *ent, const struct field *f);
/* Which of the lists of record_refers (in the order of entities[] and of
 * their fields) may hold records for the record id of ent: bit i of *found
 * for the i-th, set when any record of any scope refers to id (a list with
 * its bit clear is empty for everyone and needs no statement; past the 64th
 * every bit is set). One statement for them all. Fails on a store error. */
int record_referred(struct store *st, const struct entity *ent, int64_t id, uint64_t *found,
		    struct err *e);
/* The records of ent visible to a whose reference f is id (the lists on a
 * record's page), in ent's year order (else newest first), at most limit of
 * them in *items, with the number of them all in *total. */
int record_related(struct store *st, const struct actor *a, const struct entity *ent,
		   const struct field *f, int64_t id, int64_t limit, json_t **items, int64_t *total,
		   struct err *e);
/* A cursor over the records of ent visible to a that match qy, in qy's
 * order (record_list's; limit and offset when limit > 0, else every row),
 * one statement with the caller's scope in its WHERE clause: what every
 * list renderer (page, API, CSV, XLSX, export) reads. With own set it runs
 * on a second connection (store_open_again), so that the caller may run
 * other statements on st between rows while memory stays flat: for
 * exports of a whole table. Unknown filter or sort names as record_list. */
struct record_cursor;
int record_cursor_open(struct store *st, const struct actor *a, const struct entity *ent,
		       const struct list_query *qy, int own, struct record_cursor **out,
		       struct err *e);
/* 1 with the next record in *rec (caller json_decref's), 0 at the end, < 0
 * on an error (e filled). */
int record_cursor_next(struct record_cursor *c, json_t **rec, struct err *e);
/* Ends the cursor (also before its end). NULL is allowed. */
void record_cursor_close(struct record_cursor *c);
/* The date field a date range filters ent's lists by: its year field when
 * that is a date, else a date field "date_from" (the start of a class or a
 * fair); NULL when its records have no date. */
const struct field *record_date_field(const struct entity *ent);
/* Reads one record as JSON into *out (caller json_decref's): ERR_NOTFOUND,
 * or ERR_FORBIDDEN outside the caller's scope. */
int record_get(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
               json_t **out, struct err *e);
/* record_get written as JSON text: appends to out the text json_dumps
 * makes of record_get's *out (row_json: same keys, order and values) and
 * sets *version; the same errors, and nothing appended on one. For the API,
 * which would otherwise make the record an object only to print it. */
int record_get_json(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
		    struct buf *out, int64_t *version, struct err *e);
/* Creates a record from the JSON object in (field values, Vietnamese forms
 * accepted: "24,7 tỷ đồng", "17/05/2016", commune names); sets *id. Every
 * error names its field. Audited in the same transaction. */
int record_create(struct store *st, const struct actor *a, const struct entity *ent, json_t *in,
                  int64_t *id, struct err *e);
/* record_create, with every error of the input (not only the first, which
 * e holds) appended to *all, in the order of ent's fields, when all is not
 * NULL (caller errs_free's): what a form shows at once. */
int record_create_all(struct store *st, const struct actor *a, const struct entity *ent,
                      json_t *in, int64_t *id, struct errs *all, struct err *e);
/* The same for the workflow and a rebuild: also adds to a history
 * (ent->history), which record_create, record_update and record_delete
 * refuse. */
int record_create_system(struct store *st, const struct actor *a, const struct entity *ent,
			 json_t *in, int64_t *id, struct err *e);
/* 0, or ERR_FORBIDDEN (in e) when ent is a history only a workflow writes. */
int record_history_only(const struct entity *ent, struct err *e);
/* Changes the fields present in in. if_version >= 0 must equal the stored
 * version (else ERR_STALE and nothing changes); ent->may_change is asked
 * first (a submitted proposal: ERR_CONFLICT). */
int record_update(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
                  json_t *in, int64_t if_version, struct err *e);
/* record_update, with every error of the input in *all as record_create_all. */
int record_update_all(struct store *st, const struct actor *a, const struct entity *ent,
                      int64_t id, json_t *in, int64_t if_version, struct errs *all, struct err *e);
/* Deletes a record; its last state stays in the audit trail. Records that
 * others refer to are refused (ERR_CONFLICT). */
int record_delete(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
                  int64_t if_version, struct err *e);
/* Sets one read-only field (e.g. a status changed by a transition) inside
 * the caller's transaction, audited as action. Permission is checked. */
int record_set_system(struct store *st, const struct actor *a, const struct entity *ent,
                      int64_t id, const char *field, json_t *value, const char *action,
                      struct err *e);
/* Checks, writing nothing, what record_create (id 0) or record_update (id,
 * without a version) or record_set_system (system) would say about in: the
 * same validation, references, uniqueness and permission. For dry runs,
 * which must not take the database's write lock. */
int record_check(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
		 json_t *in, int system, struct err *e);
/* 0 when a may change record id of ent (what hangs off it, such as a
 * product's photos, follows the record's rules); ERR_NOTFOUND, or
 * ERR_FORBIDDEN outside the caller's role or scope. */
int record_check_write(struct store *st, const struct actor *a, const struct entity *ent,
                       int64_t id, struct err *e);
/* record_check_write of a record already read (record_get's *out), with
 * no statement: for a page that shows the record and offers to change it. */
int record_may_write(const struct actor *a, const struct entity *ent, json_t *rec, struct err *e);
/* May a create records of ent at all (its role; the record's own scope is
 * checked on writing)? Establishment accounts add their proposals, products,
 * lots and lot steps, and nothing else. */
int record_may_create(const struct actor *a, const struct entity *ent);
/* Converts one input value for field f to its canonical JSON (new reference;
 * NULL for empty). era ("old", "new" or NULL) narrows unit names. Exposed
 * for importers and tests. */
int record_convert(struct store *st, const struct field *f, json_t *v, const char *era,
                   json_t **out, struct err *e);
/* A quantity (F_QTY) converted from an amount written with its currency
 * ("15,75 tỷ đồng") carries it under this key ("VND" or "USD"): the value is
 * then in đồng (USD cents), whatever the record's measure says. The entity's
 * validation converts it and removes the key; it is never stored. */
#define QTY_CURRENCY "currency"
/* Puts rec's value written with its currency in rec's measure ("15,75 tỷ
 * đồng" with measure "tỷ đồng": 1575 at scale 2), exactly, or adds an error
 * naming value to l: stored as it came, the measure would multiply it again
 * (15,75 tỷ tỷ đồng). For reported figures and targets (indicator, measure). */
void qty_in_measure(json_t *rec, struct errs *l);
/* record_convert of a unit field (F_UNIT) with its names resolved through
 * ix (unit_index_load; NULL: the database), for importers: the same units
 * and the same errors, without a search of every name per name. */
struct unit_index;
int record_convert_unit(struct store *st, const struct unit_index *ix, const struct field *f,
			json_t *v, const char *era, json_t **out, struct err *e);

/* How the records of an entity reach their establishment, craft village and
 * project, and which of those joins a query needs: the dimensions the
 * statistics break down by and the lists filter by (one definition for
 * both, so a link from a number lists exactly the records it counts). */
struct rec_dims {
	const char *est; /* alias of the establishment: "t" (itself), "e" (joined) or NULL */
	const char *vil; /* alias of the craft village: "t", "v" or NULL */
	char vil_on[48]; /* the village id v joins on */
	int join_e, join_v, join_p, join_i;
};

/* A dimension: a name the lists filter by and the statistics break down by
 * (beyond province, year and the records' own fields), written once here;
 * its SQL is rec_dim_sql(). */
struct rec_dim {
	const char *name;		/* "commune", "establishment_kind"... */
	const char *codes_coll, *codes; /* the enum field whose codes are its values, or NULL */
	const char *vi, *en;		/* labels of a breakdown by it */
	const char *doc;		/* what it is, in English (the API document) */
};

/* Every dimension, ended by a NULL name. */
extern const struct rec_dim rec_dimensions[];

/* The dimension called name, or NULL: the one "is this a dimension". */
const struct rec_dim *rec_dim_find(const char *name);

/* The enum field whose codes are the values of dimension what
 * (establishment_kind: establishments.kind; village_group, content_type,
 * funding likewise), or NULL when its values are not codes (commune,
 * industry, village). */
const struct field *rec_dim_codes(const char *what);

/* Sets up d for the records of ent (no joins needed yet). */
void rec_dims_init(struct rec_dims *d, const struct entity *ent);
/* Writes into out (size n) the SQL expression of dimension what over ent's
 * records (alias t), marking the joins it needs in d; -1 when it does not
 * apply to them. Constant text only. */
int rec_dim_sql(const struct entity *ent, struct rec_dims *d, const char *what, char *out,
                size_t n);
/* Appends to b the LEFT JOINs d needs (aliases e, v, p, i). */
void rec_dims_joins(struct buf *b, const struct entity *ent, const struct rec_dims *d);

#endif
