/* api_suggest.c - GET /api/v1/suggest/{record_type}/{field}: the choices a
 * picker (static/picker.js) offers while the user types into a reference. */
#include "model/suggest.h"
#include "web/handlers.h"
#include "web/params.h"

void h_api_suggest(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	const struct field *f = ent ? entity_field(ent, r->params[1]) : NULL;
	int64_t limit;
	if (query_param_or_reply(r, w, "limit", &limit) < 0)
		return;
	if (!ent) {
		reply_error(r, w, 404, "not_found",
			    "Không có loại bản ghi này / no such record type", "record_type");
		return;
	}
	if (!f) {
		reply_error(r, w, 404, "not_found", "Không có trường này / no such field", "field");
		return;
	}
	const char *q = req_query(r, "q");
	json_t *items;
	struct err e;
	if (suggest(r->st, &r->actor, f, q ? q : "", (int)limit, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o}", "items", items));
}
