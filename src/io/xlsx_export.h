/* xlsx_export.h - records as an Excel workbook (libxlsxwriter). */
#ifndef KC_XLSX_EXPORT_H
#define KC_XLSX_EXPORT_H

#include "core/buf.h"
#include "core/err.h"
#include "model/entity.h"

#include <jansson.h>

/* Writes items (records of ent) as one sheet with a header row of field
 * labels in lang; counts and money are numeric cells (money in đồng, with a
 * column of its reading beside it), other values read as on screen; then
 * the place columns of list_place.h when the records carry them. The .xlsx
 * bytes are appended to out. */
int xlsx_records(const struct entity *ent, json_t *items, const char *lang, struct buf *out,
                 struct err *e);

#endif
