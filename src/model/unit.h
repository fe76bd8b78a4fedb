/* unit.h - Vietnam's administrative units before the 2025 reform ("old":
 * 63 provinces, districts, communes) and after it ("new": 34 provinces and
 * 3 321 communes from 2025-07-01), and the succession old -> new. Facts keep
 * the unit that existed when they happened; these functions map them to
 * today's units. The data is read-only reference data (data/units/). */
#ifndef KC_UNIT_H
#define KC_UNIT_H

#include "core/buf.h"
#include "store/store.h"

#include <jansson.h>

/* One unit (one version of it, see valid_from/valid_to). Plain values, no
 * pointers: copy freely. Empty strings stand for SQL NULL. */
struct unit {
	int64_t id;
	char era[4];	     /* "old" or "new" */
	char level[10];	     /* "province", "district", "commune" */
	char code[8];	     /* official code: 2, 3 or 5 digits */
	char name[96];	     /* "Mễ Sở" */
	char full_name[128]; /* "Xã Mễ Sở" */
	char name_en[96];
	char type_name[32];	   /* "Xã", "Phường", "Tỉnh", "Thành phố", ... */
	char province_code[4];	   /* the province of its era (itself for provinces) */
	char district_code[4];	   /* old communes only */
	char valid_from[11];	   /* ISO date */
	char valid_to[11];	   /* ISO date, "" while valid */
	int is_current;		   /* the latest version of (era, level, code) */
	char new_province_code[4]; /* today's province; "" when split between several */
};

/* Fills the unit tables from the CSVs compiled into the binary, in one
 * transaction, reconciling the NSO conversion table against the official
 * lists (see docs/units.md); what it corrected or could not reconcile goes
 * to unit_notes. Idempotent: when units are already loaded it changes
 * nothing and returns 0. A few summary lines (or "already loaded") are
 * appended to report when it is not NULL. Takes about 0.5 s. Fails (< 0,
 * nothing written) only on a database error or unreadable embedded data. */
int unit_load_all(struct store *st, struct buf *report, struct err *e);

/* Renders the reconciliation report of the loaded data as Markdown into out:
 * counts per change kind, old communes split between several new ones with
 * their successors, corrections applied, spellings accepted, disagreements
 * and unresolved items. Fails only on a database error. */
int unit_reconcile_report(struct store *st, struct buf *out, struct err *e);

/* The current version of the unit (era "old"/"new", level, official code);
 * a code alias (Xã Ba Chẽ 06970) finds its unit. ERR_NOTFOUND when absent,
 * ERR_INVALID for a bad era or level. */
int unit_get_by_code(struct store *st, const char *era, const char *level, const char *code,
		     struct unit *out, struct err *e);
/* The version of the unit valid on ISO date (Đồng Nai on 2026-04-29 is a
 * Tỉnh, from 2026-04-30 a Thành phố); NULL date = the current version. */
int unit_get_on(struct store *st, const char *era, const char *level, const char *code,
		const char *date, struct unit *out, struct err *e);
/* The unit row id (any version). ERR_NOTFOUND when absent. */
int unit_get(struct store *st, int64_t id, struct unit *out, struct err *e);

/* A unit as a JSON object (new reference; caller decrefs). */
json_t *unit_json(const struct unit *u);

/* A search (list) of units. Empty or NULL fields do not filter. */
struct unit_query {
	const char *q;	      /* code, or name with or without diacritics,
				 optionally prefixed by its type ("xã Mễ Sở",
				 "tỉnh Nam Định", "TP Hồ Chí Minh") */
	const char *era;      /* "old" or "new" */
	const char *level;    /* "province", "district", "commune" */
	const char *province; /* a province code: of the unit's era or today's */
	int64_t limit;	      /* 1..500 (default 50) */
	int64_t offset;
};

/* Searches units: exact name (or alias) matches first, then names where the
 * query starts a word; provinces before districts before communes, new
 * before old. *items (caller decrefs) holds unit objects, each with
 * "successors" (old units: the new units and the kind of change),
 * "predecessors" (new units) and "today_province" {code, name}; *total
 * counts all matches (may be NULL). ERR_INVALID names the bad filter. */
int unit_search(struct store *st, const struct unit_query *q, json_t **items, int64_t *total,
		struct err *e);
/* The model's short form of unit_search (offset 0, no province filter). */
int unit_find(struct store *st, const char *query, const char *era, const char *level,
	      int64_t limit, json_t **out, struct err *e);

/* What old unit unit_id became: a JSON array (caller decrefs) of the new
 * units with "kind" (whole, part, unchanged, part_area, ...) and "note";
 * empty for new units and for districts (abolished; see new_province). */
int unit_successors(struct store *st, int64_t unit_id, json_t **out, struct err *e);
/* The old units that new unit unit_id came from, in the same form. */
int unit_predecessors(struct store *st, int64_t unit_id, json_t **out, struct err *e);

/* One unit in full for the API: the current version of (era, level, code)
 * as unit_search renders it, plus "versions" (type and name by validity)
 * and "aliases" (other spellings and codes). *out is a new reference.
 * ERR_NOTFOUND / ERR_INVALID as unit_get_by_code. */
int unit_detail(struct store *st, const char *era, const char *level, const char *code,
		json_t **out, struct err *e);

/* Today's province code of any unit (itself or its province for new units,
 * through the succession for old ones), for scoping. ERR_INVALID naming the
 * provinces when the unit's successors lie in several; ERR_NOTFOUND when
 * there is no such unit. */
int unit_new_province(struct store *st, int64_t unit_id, char out[8], struct err *e);

/* For importers: resolves text - a code, or a name as unit_search accepts,
 * optionally followed by its district and/or province ("Mễ Sở, Văn Giang,
 * Hưng Yên") - to exactly one unit, within era_hint ("old", "new" or NULL
 * for either). Versions of one unit count once (its current version is
 * returned). ERR_INVALID when nothing or several units match; the message
 * lists up to ten candidates with their codes and provinces. */
int unit_resolve(struct store *st, const char *text, const char *era_hint, struct unit *out,
		 struct err *e);

/* The units table in memory, for an importer that resolves thousands of
 * names (unit_index.c): loaded once (about 1.5 MB), it answers the two
 * functions below as the database would, without a LIKE over every name
 * per name. Read-only once loaded; free with unit_index_free(). */
struct unit_index;
int unit_index_load(struct store *st, struct unit_index **out, struct err *e);
/* While on, unit_get remembers the units it read on st and answers again
 * from memory (an import reads its communes' units thrice a row). For a
 * run that writes no units: nothing notices a unit changed meanwhile, as
 * with the unit_index. Off frees them. 1 when this call turned it on (the
 * caller then turns it off), 0 when it already was. */
int unit_memo_on(struct store *st);
void unit_memo_off(struct store *st);
void unit_index_free(struct unit_index *ix);
/* Whether unit_find(query, era, level, limit 2) finds exactly one row: 1
 * and *id, else 0 (also when the query is refused). ix NULL: the database
 * answers. */
int unit_find_one(struct store *st, const struct unit_index *ix, const char *query, const char *era,
		  const char *level, int64_t *id);
/* unit_resolve with the candidates from ix (NULL: from the database). */
int unit_resolve_in(struct store *st, const struct unit_index *ix, const char *text,
		    const char *era_hint, struct unit *out, struct err *e);

/* A province as lists of provinces show it. */
struct unit_province {
	char code[8], name[96], today[8]; /* today: today's province code */
	char short_name[64];		  /* the name without its type ("Hưng Yên") */
};

/* The provinces of era ("new": today's 34; "old": the 63 before 2025-07-01)
 * in code order, each once under its current name, into *out (caller frees).
 * Every list of provinces reads them here, so that they agree. */
int unit_provinces(struct store *st, const char *era, struct unit_province **out, size_t *n,
		   struct err *e);

#endif
