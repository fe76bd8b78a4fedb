/* api_units.c - the administrative units, old and new, and what became of
 * them, through the JSON API (read-only reference data). */
#include "model/unit.h"
#include "web/handlers.h"
#include "web/params.h"

void h_api_units_list(struct req *r, struct resp *w)
{
	int64_t page, per_page;
	const char *era, *level;
	if (query_param_or_reply(r, w, "page", &page) < 0 ||
	    query_param_or_reply(r, w, "per_page", &per_page) < 0 ||
	    query_text_or_reply(r, w, "era", &era) < 0 ||
	    query_text_or_reply(r, w, "level", &level) < 0)
		return;
	struct unit_query q = {req_query(r, "q"),	 era,	   level,
			       req_query(r, "province"), per_page, (page - 1) * per_page};
	struct err e;
	json_t *items;
	int64_t total;
	if (unit_search(r->st, &q, &items, &total, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200,
		   json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total,
			     "page", (json_int_t)page, "per_page", (json_int_t)per_page));
}

void h_api_unit_get(struct req *r, struct resp *w)
{
	struct err e;
	json_t *o;
	if (unit_detail(r->st, r->params[0], r->params[1], r->params[2], &o, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, o);
}
