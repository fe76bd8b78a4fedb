/* record_view.h - how a record's values read to a person: one function per
 * field type, shared by pages and exports ("one query, many renderers"). */
#ifndef KC_RECORD_VIEW_H
#define KC_RECORD_VIEW_H

#include "core/buf.h"
#include "model/entity.h"

#include <jansson.h>

/* Appends the plain-text reading of field f of rec in lang: enum labels,
 * "9.590", "24,7 tỷ đồng", "17/05/2016", "trên 80%", names of referenced
 * records and units. Nothing for an empty value. */
void view_text(struct buf *b, const struct field *f, json_t *rec, const char *lang);
/* The same as HTML: escaped, references and URLs as links. */
void view_html(struct buf *b, const struct field *f, json_t *rec, const char *lang);
/* The value of f as an editable string (for forms): "24700000000",
 * "17/05/2016", URLs one per line. Appends nothing when empty. */
void view_input(struct buf *b, const struct field *f, json_t *rec);
/* The reading shared by forms and exports of a value v of f that is not a
 * date, unit, quantity, percent or yes/no: URLs one per line, JSON compact
 * with sorted keys, integers and strings as they are. */
void view_plain(struct buf *b, const struct field *f, json_t *v);

#endif
