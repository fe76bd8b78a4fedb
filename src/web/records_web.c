/* records_web.c - parsing list queries, ids and If-Match for records. */
#include "web/records_web.h"

#include "web/params.h"

#include <stdio.h>
#include <string.h>

static const char *const common_params[] = {"q",          "page",         "per_page", "sort",
                                            "order",      "province",     "old_province",
                                            "year",       "year_from",    "year_to",
                                            "format",     "saved",        NULL};

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
	if (query_int_or_reply(r, w, key, 0, 1900, 2100, &v) < 0)
		return -1;
	if (v)
		*out = (int)v;
	return 0;
}

int list_query_or_reply(struct req *r, struct resp *w, const struct entity *ent,
                        struct list_query *qy, int64_t *page)
{
	memset(qy, 0, sizeof *qy);
	int64_t per_page;
	if (query_int_or_reply(r, w, "page", 1, 1, 1000000, page) < 0 ||
	    query_int_or_reply(r, w, "per_page", 50, 1, 500, &per_page) < 0 ||
	    year_or_reply(r, w, "year_from", &qy->year_from) < 0 ||
	    year_or_reply(r, w, "year_to", &qy->year_to) < 0)
		return -1;
	int year = 0;
	if (year_or_reply(r, w, "year", &year) < 0)
		return -1;
	if (year)
		qy->year_from = qy->year_to = year;
	if ((qy->year_from || qy->year_to) && !ent->year_field) {
		reply_error(r, w, 400, "invalid", "Bản ghi loại này không có năm / these records have no "
		            "year", req_query(r, "year") ? "year" : qy->year_from ? "year_from" : "year_to");
		return -1;
	}
	qy->limit = per_page;
	qy->offset = (*page - 1) * per_page;
	const char *v;
	if ((v = req_query(r, "q")) && *v)
		qy->q = v;
	if ((v = req_query(r, "province")) && *v)
		qy->province = v;
	if ((v = req_query(r, "old_province")) && *v)
		qy->old_province = v;
	if ((v = req_query(r, "sort")) && *v)
		qy->sort = v;
	v = req_query(r, "order");
	qy->desc = v && !strcmp(v, "desc");
	for (int i = 0; i < r->nquery; i++) {
		const char *key = r->query[i].key;
		if (is_common(key) || !*r->query[i].value)
			continue;
		const struct field *f = entity_field(ent, key);
		if (!f || !(f->flags & FF_FILTER) || qy->nfilters >= LIST_MAX_FILTERS) {
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
