/* records_web.h - request parsing shared by the record API and pages. */
#ifndef KC_RECORDS_WEB_H
#define KC_RECORDS_WEB_H

#include "model/record.h"
#include "web/http.h"

/* The list query of ent from the request's query string: q, page,
 * per_page (1..500), sort, order (asc/desc), province, old_province, year,
 * year_from, year_to, date_from, date_to (a date range, dd/mm/yyyy or ISO),
 * ids (comma-separated), units (new|old), any filter field of ent and the
 * dimensions of rec_dimensions (checked by record_list). Replies 400 and returns
 * < 0 on bad input. Strings live in the request arena. */
int list_query_or_reply(struct req *r, struct resp *w, const struct entity *ent,
                        struct list_query *qy, int64_t *page);
/* A positive record id from text, or 404. */
int id_or_reply(struct req *r, struct resp *w, const char *text, int64_t *id);
/* The record of ent whose id is text, as the actor may read it: NULL after
 * replying 404 (bad id, no such record) or 403; *id is set when given. */
json_t *record_or_reply(struct req *r, struct resp *w, const struct entity *ent,
                        const char *text, int64_t *id);
/* The version in If-Match ("\"3\"", W/"3" or 3); -1 when absent; 400 when
 * malformed. */
int if_match_or_reply(struct req *r, struct resp *w, int64_t *version);

/* The support caps in force beside the form of a record of support (a
 * proposal, project, machinery, demonstration model; nothing for others),
 * with the limit they set for the cost in vals (the form's strings). */
void form_caps_hint(struct req *r, struct resp *w, const struct entity *ent, json_t *vals);

#endif
