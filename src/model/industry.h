/* industry.h - industry codes of the Vietnam Standard Industrial Classification
 * (VSIC): edition 2018 (Decision 27/2018/QĐ-TTg, levels 1-2) and edition 2025
 * (Decision 36/2025/QĐ-TTg, levels 1-5), compiled into the binary from
 * data/vsic/ and kept in the table industries. */
#ifndef KC_INDUSTRY_H
#define KC_INDUSTRY_H

#include "store/store.h"

#include <jansson.h>

/* The first day on which records must carry a VSIC 2025 code. */
#define INDUSTRY_VSIC2025_FROM "2025-11-15"

/* Loads both editions from the embedded CSV files (vsic2018_l12.csv,
 * vsic2025.csv) into industries, in one transaction: rows are inserted or
 * updated, rows no longer in the data are removed, so a second call changes
 * nothing. Every row is checked (code shape for its level, parent one level up
 * and present); a bad file is refused whole with ERR_INVALID naming the file
 * and line in e->field. Returns 0 or < 0. */
int industry_load_all(struct store *st, struct err *e);

/* One code of one edition ("2018" or "2025") as a JSON object
 * {edition, code, level, name, parent_code (null for a section)}; caller
 * json_decref's *out. ERR_INVALID (field "edition") for another edition,
 * ERR_NOTFOUND (field "code") when there is no such code. */
int industry_get(struct store *st, const char *edition, const char *code, json_t **out,
		 struct err *e);

/* Validates the industry code of an establishment's record dated date_iso
 * ("yyyy-mm-dd" or "dd/mm/yyyy"; NULL or "" means today). Records dated on or
 * after INDUSTRY_VSIC2025_FROM must use a VSIC 2025 code; earlier ones may use
 * a 2018 or a 2025 code (2018 is preferred when the code is in both). Surrounding
 * spaces are ignored and a section letter may be lower case. On success sets
 * *edition_out (may be NULL) to the static string "2018" or "2025" and returns 0.
 * An empty or unknown code, or a 2018-only code on a record from 2025-11-15,
 * is ERR_INVALID with field "industry_code"; a bad date is ERR_INVALID with
 * field "date". Only levels 1-2 of VSIC 2018 are known, so a more detailed
 * 2018-only code is refused. */
int industry_check(struct store *st, const char *code, const char *date_iso,
		   const char **edition_out, struct err *e);

/* Searches industry codes. A query of digits matches codes that start with it;
 * any other query matches names that hold every word of it as a word prefix,
 * ignoring case and diacritics ("che bien" finds "chế biến"); an empty query
 * matches everything. edition "2018", "2025", or NULL/"" for both. At most
 * limit results (<= 0 means 20; capped at 500), ordered newest edition first,
 * then by level and code, as a JSON array of the objects industry_get
 * returns; caller json_decref's *out. ERR_INVALID (field "edition") for an
 * unknown edition. */
int industry_search(struct store *st, const char *q, const char *edition, int limit, json_t **out,
		    struct err *e);

#endif
