/* xlsx_export.h - records as an Excel workbook (libxlsxwriter). */
#ifndef KC_XLSX_EXPORT_H
#define KC_XLSX_EXPORT_H

#include "core/buf.h"
#include "core/err.h"
#include "model/entity.h"

#include <jansson.h>

/* A list exported as one sheet, a row at a time into a workbook at path
 * (libxlsxwriter's constant-memory mode: flat memory for any length): a
 * header row of field labels in lang and of the place columns
 * (list_place.h); counts and money are numeric cells (money in đồng, with a
 * column of its reading beside it), other values read as on screen. */
struct xlsx_list;
int xlsx_list_open(const struct entity *ent, const char *lang, const char *path,
		   struct xlsx_list **out, struct err *e);
/* Adds rec (with its "export_place"); ERR_TOOBIG past Excel's last row. */
int xlsx_list_row(struct xlsx_list *x, json_t *rec, struct err *e);
/* Writes the workbook out and frees x (NULL is allowed). */
int xlsx_list_close(struct xlsx_list *x, struct err *e);

#endif
