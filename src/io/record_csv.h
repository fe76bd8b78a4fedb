/* record_csv.h - the one CSV writer of records: UTF-8 with a BOM (Excel
 * reads it), RFC 4180, CRLF, a header row and then a row per record, in one
 * of two forms. Canonical (`export --kind`, `export --all`): API field
 * names, values that import reads back unchanged (ISO dates, integers,
 * codes, units as era:code). As read (the lists' CSV download): labels in a
 * language, counts, amounts and years as plain digits, an amount followed
 * by its reading, the rest as on screen, then the place columns of
 * list_place.h. */
#ifndef KC_RECORD_CSV_H
#define KC_RECORD_CSV_H

#include "core/buf.h"
#include "model/entity.h"
#include "store/store.h"

#include <jansson.h>

enum csv_form { CSV_CANONICAL, CSV_DISPLAY };

struct record_csv {
	struct store *st; /* canonical units are looked up there */
	const struct entity *ent;
	enum csv_form form;
	const char *lang; /* CSV_DISPLAY: "vi" or "en" */
};

/* Appends the header row (with the BOM) to out. */
void record_csv_header(const struct record_csv *c, struct buf *out);
/* Appends the row of rec (CSV_DISPLAY: with its "export_place") to out. */
void record_csv_row(const struct record_csv *c, json_t *rec, struct buf *out);
/* Appends the canonical text of field f of rec (nothing when empty): what
 * the canonical CSV and XLSX exports hold. */
void record_canonical(struct buf *b, struct store *st, const struct field *f, json_t *rec);

#endif
