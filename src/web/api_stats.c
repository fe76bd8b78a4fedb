/* api_stats.c - indicators and their values through the JSON API. */
#include "stats/stats.h"
#include "stats/targets.h"
#include "web/handlers.h"
#include "core/clock.h"
#include "web/params.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

/* Reads the statistics query from the request; replies 400 and returns < 0. */
int stat_query_or_reply(struct req *r, struct resp *w, struct stat_query *q)
{
	memset(q, 0, sizeof *q);
	if (years_or_reply(r, w, &q->from, &q->to) < 0)
		return -1;
	const char *v;
	q->indicator = req_query(r, "indicator");
	if ((v = req_query(r, "province")) && *v)
		q->province = v;
	if ((v = req_query(r, "old_province")) && *v)
		q->old_province = v;
	if ((v = req_query(r, "by")) && *v)
		q->by = v;
	v = req_query(r, "units");
	if (v && *v && strcmp(v, "old") && strcmp(v, "new")) {
		reply_error(r, w, 400, "invalid", "units là old hoặc new / units is old or new", "units");
		return -1;
	}
	q->old_units = v && !strcmp(v, "old");
	v = req_query(r, "illustrative");
	q->illustrative = v && !strcmp(v, "1");
	return 0;
}

void h_api_indicators(struct req *r, struct resp *w)
{
	(void)r;
	static const char *const aggs[] = {"sum", "ratio", "stock"};
	json_t *arr = json_array();
	for (const struct indicator *i = indicators; i->code; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:i}", "code", i->code,
		                                     "section", i->section, "name", i->vi, "name_en",
		                                     i->en, "measure", i->measure, "agg", aggs[i->agg],
		                                     "computed_from", i->collection, "scale", i->scale));
	reply_json(w, 200, json_pack("{s:o}", "items", arr));
}

void h_api_stats(struct req *r, struct resp *w)
{
	struct stat_query q;
	if (stat_query_or_reply(r, w, &q) < 0)
		return;
	struct err e;
	json_t *out;
	if (stats_compute(r->st, &r->actor, &q, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, out);
}

void h_api_targets(struct req *r, struct resp *w)
{
	int64_t programme;
	if (query_int_or_reply(r, w, "programme_id", 0, 0, INT64_MAX, &programme) < 0)
		return;
	const char *prov = req_query(r, "province");
	char today[11];
	clock_today(today);
	struct err e;
	json_t *items;
	if (targets_progress(r->st, &r->actor, programme, prov && *prov ? prov : NULL, today, &items,
	                     &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:s,s:o}", "as_of", today, "items", items));
}
