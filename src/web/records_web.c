/* records_web.c - parsing list queries, ids and If-Match for records. */
#include "web/records_web.h"

#include "web/params.h"

#include "core/mem.h"
#include "core/vtext.h"

#include <stdio.h>
#include <string.h>

static const char *const common_params[] = {
	"q",	"page",	     "per_page", "sort",   "order", "province",	 "old_province",
	"year", "year_from", "year_to",	 "format", "done",  "date_from", "date_to",
	"ids",	"units",     "count",	 NULL};

static int is_common(const char *key)
{
	for (int i = 0; common_params[i]; i++)
		if (!strcmp(common_params[i], key))
			return 1;
	return 0;
}

static int year_or_reply(struct req *r, struct resp *w, const char *key, int *out)
{
	int64_t v;
	if (query_param_or_reply(r, w, key, &v) < 0)
		return -1;
	if (v)
		*out = (int)v;
	return 0;
}

/* ids=3,5,8: only these records (the reported figures behind a number). */
static int ids_or_reply(struct req *r, struct resp *w, struct list_query *qy)
{
	const char *v = req_query(r, "ids");
	if (!v || !*v)
		return 0;
	int64_t *ids = arena_alloc(r->arena, LIST_MAX_IDS * sizeof *ids);
	int n = 0;
	for (const char *p = v; *p;) {
		char num[24];
		size_t len = strcspn(p, ",");
		int64_t id;
		snprintf(num, sizeof num, "%.*s", (int)(len < 23 ? len : 23), p);
		if (n == LIST_MAX_IDS || len == 0 || len > 18 || parse_int64(num, &id) < 0 ||
		    id <= 0) {
			reply_error(r, w, 400, "invalid",
				    "ids là các số bản ghi cách nhau bởi dấu phẩy, tối đa 200 / "
				    "ids is up to "
				    "200 record ids separated by commas",
				    "ids");
			return -1;
		}
		ids[n++] = id;
		p += len;
		if (*p == ',' && *++p == 0) {
			reply_error(r, w, 400, "invalid",
				    "ids: thiếu số sau dấu phẩy / ids: an id is missing", "ids");
			return -1;
		}
	}
	qy->ids = ids;
	qy->nids = n;
	return 0;
}

int list_query_or_reply(struct req *r, struct resp *w, const struct entity *ent,
                        struct list_query *qy, int64_t *page)
{
	memset(qy, 0, sizeof *qy);
	int64_t per_page;
	if (query_param_or_reply(r, w, "page", page) < 0 ||
	    query_param_or_reply(r, w, "per_page", &per_page) < 0 ||
	    year_or_reply(r, w, "year_from", &qy->year_from) < 0 ||
	    year_or_reply(r, w, "year_to", &qy->year_to) < 0)
		return -1;
	if (year_or_reply(r, w, "year", &qy->year) < 0 ||
	    query_text_or_reply(r, w, "date_from", &qy->date_from) < 0 ||
	    query_text_or_reply(r, w, "date_to", &qy->date_to) < 0 || ids_or_reply(r, w, qy) < 0)
		return -1;
	if ((qy->date_from || qy->date_to) && !record_date_field(ent)) {
		reply_error(r, w, 400, "invalid",
			    "Bản ghi loại này không có ngày / these records have no "
			    "date",
			    qy->date_from ? "date_from" : "date_to");
		return -1;
	}
	const char *units;
	if (query_choice_or_reply(r, w, "units", &units) < 0)
		return -1;
	qy->units_old = units && !strcmp(units, "old");
	if ((qy->year || qy->year_from || qy->year_to) && !ent->year_field) {
		reply_error(r, w, 400, "invalid",
			    "Bản ghi loại này không có năm / these records have no "
			    "year",
			    req_query(r, "year") ? "year"
			    : qy->year_from	 ? "year_from"
						 : "year_to");
		return -1;
	}
	qy->limit = per_page;
	qy->offset = (*page - 1) * per_page;
	const char *v;
	if ((v = req_query(r, "q")) && *v)
		qy->q = v;
	if (query_text_or_reply(r, w, "province", &qy->province) < 0 ||
	    query_text_or_reply(r, w, "old_province", &qy->old_province) < 0)
		return -1;
	if ((v = req_query(r, "sort")) && *v)
		qy->sort = v;
	if (query_choice_or_reply(r, w, "order", &v) < 0)
		return -1;
	qy->desc = v && !strcmp(v, "desc");
	for (int i = 0; i < r->nquery; i++) {
		const char *key = r->query[i].key;
		if (is_common(key) || !*r->query[i].value)
			continue;
		const struct field *f = entity_field(ent, key);
		/* name! (name!=value) negates a filter; record_list checks it. */
		size_t len = strlen(key);
		int negated = len > 1 && key[len - 1] == '!' && len < 64 &&
		              entity_field(ent, arena_strndup(r->arena, key, len - 1));
		if ((!f || !(f->flags & FF_FILTER) || qy->nfilters >= LIST_MAX_FILTERS) &&
		    !((rec_dim_find(key) || negated) && qy->nfilters < LIST_MAX_FILTERS)) {
			char msg[200];
			snprintf(msg, sizeof msg, "Không lọc được theo %.60s / cannot filter %.60s by that",
			         key, ent->collection);
			reply_error(r, w, 400, "invalid", msg, key);
			return -1;
		}
		qy->filter_names[qy->nfilters] = key;
		qy->filter_values[qy->nfilters++] = r->query[i].value;
	}
	return 0;
}

int id_or_reply(struct req *r, struct resp *w, const char *text, int64_t *id)
{
	if (parse_int64(text, id) < 0 || *id <= 0) {
		reply_error(r, w, 404, "not_found", "Không có bản ghi này / no such record", "id");
		return -1;
	}
	return 0;
}

json_t *record_or_reply(struct req *r, struct resp *w, const struct entity *ent,
                        const char *text, int64_t *id)
{
	int64_t n;
	if (id_or_reply(r, w, text, &n) < 0)
		return NULL;
	if (id)
		*id = n;
	struct err e;
	json_t *rec;
	if (record_get(r->st, &r->actor, ent, n, &rec, &e) < 0) {
		reply_err(r, w, &e);
		return NULL;
	}
	return rec;
}

int if_match_or_reply(struct req *r, struct resp *w, int64_t *version)
{
	const char *h = req_header(r, "If-Match");
	*version = -1;
	if (!h || !strcmp(h, "*"))
		return 0;
	if (!strncmp(h, "W/", 2))
		h += 2;
	char digits[24];
	size_t n = strlen(h);
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"')
		snprintf(digits, sizeof digits, "%.*s", (int)(n - 2), h + 1);
	else
		snprintf(digits, sizeof digits, "%s", h);
	if (parse_int64(digits, version) < 0 || *version < 1) {
		reply_error(r, w, 400, "invalid", "If-Match phải là ETag của bản ghi / If-Match must be "
		            "the record's ETag", "If-Match");
		return -1;
	}
	return 0;
}
