/* entity.h - record types described as data: their fields, types, rules and
 * scope. One generic engine (record.c) reads, validates, writes, audits,
 * lists and searches every type; the API, pages and exports read the same
 * descriptions. */
#ifndef KC_ENTITY_H
#define KC_ENTITY_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

enum ftype {
	F_TEXT,     /* one line of text, NFC-normalised */
	F_LONGTEXT, /* several lines */
	F_INT,      /* integer count */
	F_MONEY,    /* integer đồng (accepts "24,7 tỷ đồng") */
	F_DATE,     /* ISO date (accepts dd/mm/yyyy) */
	F_YEAR,     /* a year 1900..2100 */
	F_ENUM,     /* one of values */
	F_BOOL,     /* 0/1 */
	F_REF,      /* id of a record of entity `ref` */
	F_UNIT,     /* id of an administrative unit (accepts a code or a name) */
	F_PROVINCE, /* two-digit code of a province of today (2025) */
	F_PERCENT,  /* tenths of a percent (accepts "71,7%") */
	F_URLS,     /* JSON array of http(s) URLs */
	F_JSON,     /* JSON object, validated by the entity's hook */
	F_QTY,      /* a reported quantity: value, value_hi, scale, qualifier columns */
};

enum {
	FF_REQUIRED = 1 << 0, /* must be present and non-empty */
	FF_SEARCH = 1 << 1,   /* part of the search key */
	FF_LIST = 1 << 2,     /* a column of list views */
	FF_FILTER = 1 << 3,   /* an exact-match filter of lists (?name=value) */
	FF_UNIQUE = 1 << 4,   /* natural key: duplicates refused */
	FF_READONLY = 1 << 5, /* set by the system (e.g. status), not by forms */
	FF_TITLE = 1 << 6,    /* the record's display name */
};

struct field {
	const char *name; /* column and JSON key */
	enum ftype type;
	const char *vi, *en; /* labels */
	unsigned flags;
	const char *values; /* F_ENUM: "code:nhãn:label|code:..." */
	const char *ref;    /* F_REF: collection of the target; F_UNIT: "commune"/"province"/""
			       (any level), "place" (a figure's), "old" (any level, era old) */
	int64_t min, max;   /* for numbers; both 0 = 0..the kind's plausible largest value */
};

/* Where a record's province (today's code, for scoping) comes from. */
enum province_from { PROV_NONE, PROV_FIELD, PROV_UNIT, PROV_PARENT };

struct entity {
	const char *collection; /* URL segment and table name, e.g. "establishments" */
	const char *table;
	const char *vi, *en;               /* singular labels */
	const char *plural_vi, *plural_en; /* plural labels */
	const struct field *fields;        /* ended by a NULL name */
	enum province_from prov;
	const char *prov_field;   /* the field PROV_* reads */
	const char *est_field;    /* field holding the establishment id ("id" for establishments) */
	const char *year_field;   /* F_YEAR/F_DATE field used by year filters, or NULL */
	const char *parent_field; /* F_REF to the record this one belongs under, or NULL */
	/* Cross-field rules after field validation; rec is the merged record.
	 * Every broken rule goes into l (all of them, not only the first);
	 * returns < 0 only when checking could not go on (a store failure). */
	int (*validate)(struct store *st, const struct entity *ent, json_t *rec, struct errs *l);
	/* A history written only by a workflow (project steps): the record
	 * API and forms only read it; record_create_system adds to it. */
	int history;
	/* May a caller change or delete the stored record (before any field
	 * rule)? 0, or an error naming why not (e.g. a submitted proposal).
	 * NULL: always. Workflow writes (record_set_system) skip it. */
	int (*may_change)(const struct actor *a, json_t *stored, struct err *e);
	/* The khuyến công content type (projects.content_type codes) the records
	 * stand for when no project says it: "code" for all of them, or by their
	 * field kind, "code=kind,kind|code=kind|code" (the last, without "=",
	 * for the other kinds; none: no content type). NULL: they stand for no
	 * content type (they are no result of khuyến công). entity_content(). */
	const char *content;
	/* Establishment accounts write records of this type (theirs only). */
	int est_writes;
	/* Import: the natural keys that make re-importing a file idempotent, tried
	 * in order ("field+field?": the first whose fields the row has decides;
	 * '?' may be empty and then matches an empty value), and the headers a
	 * column of a field may carry besides its name and labels
	 * ("field=Header|Header", one entry per field). io/import_formats.c. */
	const char *keys[3];
	const char *aliases[12];
};

/* The plausible largest count in one record (people, households, booths...)
 * and amount of money (đồng) of a field without bounds of its own; reported
 * quantities (F_QTY) are bounded by RECORD_MONEY_MAX either side of 0. */
#define RECORD_COUNT_MAX 1000000LL
#define RECORD_MONEY_MAX 1000000000000000LL

/* Every record type, ended by a NULL collection. */
extern const struct entity entities[];

/* The entity of a collection name, or NULL. */
const struct entity *entity_find(const char *collection);
/* The content type ent's records stand for when nothing else says it:
 * the one of all of them, or of the kinds not named (ent->content's last
 * part); NULL when none. */
const char *entity_content(const struct entity *ent);
/* The field of ent named name, or NULL. */
const struct field *entity_field(const struct entity *ent, const char *name);
/* The field flagged FF_TITLE (never NULL for a valid table). */
const struct field *entity_title(const struct entity *ent);
/* Does f hold a number (count, money, year, percent, quantity)? Exports
 * write such a column as a figure, never as text. */
int field_is_number(const struct field *f);
/* Label of a field or entity in lang ("vi"/"en"). */
const char *field_label(const struct field *f, const char *lang);
/* Label of an enum value in lang; the code itself when unknown. Copies into
 * out (size n). Returns 1 when code is one of the values. */
int field_enum_label(const struct field *f, const char *code, const char *lang, char *out, size_t n);

#endif
