/* api_stats.c - indicators and their values through the JSON API. */
#include "core/clock.h"
#include "io/map.h"
#include "stats/period.h"
#include "stats/stats.h"
#include "stats/stats_view.h"
#include "stats/targets.h"
#include "web/handlers.h"
#include "web/params.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The period of the query (period, from, to, half, date_from, date_to,
 * programme_id) into *out, allocated in the request; replies 4xx and returns
 * < 0 on bad input. */
int period_or_reply(struct req *r, struct resp *w, const struct period **out)
{
	struct period_spec sp = {0};
	const char *kind;
	int64_t half, prog;
	if (query_text_or_reply(r, w, "period", &kind) < 0 ||
	    years_or_reply(r, w, &sp.from, &sp.to) < 0 ||
	    query_param_or_reply(r, w, "half", &half) < 0 ||
	    query_param_or_reply(r, w, "programme_id", &prog) < 0 ||
	    query_text_or_reply(r, w, "date_from", &sp.date_from) < 0 ||
	    query_text_or_reply(r, w, "date_to", &sp.date_to) < 0)
		return -1;
	sp.kind = (enum period_kind)period_kind_parse(kind); /* one of the declared words */
	sp.half = (int)half;
	sp.programme_id = prog;
	struct period *p = arena_alloc(r->arena, sizeof *p);
	struct err e;
	err_clear(&e);
	if (period_resolve(r->st, &sp, p, &e) < 0) {
		reply_err(r, w, &e);
		return -1;
	}
	*out = p;
	return 0;
}

/* Reads the statistics query from the request; replies 400 and returns < 0. */
int stat_query_or_reply(struct req *r, struct resp *w, struct stat_query *q)
{
	memset(q, 0, sizeof *q);
	if (period_or_reply(r, w, &q->period) < 0)
		return -1;
	q->from = q->period->year_from;
	q->to = q->period->year_to;
	const char *v;
	if (query_text_or_reply(r, w, "content_type", &q->content_type) < 0 ||
	    query_text_or_reply(r, w, "funding", &q->funding) < 0 ||
	    query_text_or_reply(r, w, "establishment_kind", &q->establishment_kind) < 0 ||
	    query_text_or_reply(r, w, "product_group", &q->product_group) < 0)
		return -1;
	q->indicator = req_query(r, "indicator");
	/* Several provinces compare them (stats_compare_or_reply); one restricts. */
	const char *codes[STATS_COMPARE_MAX];
	int n;
	if (query_provinces_or_reply(r, w, "province", codes, &n) < 0 ||
	    query_text_or_reply(r, w, "old_province", &q->old_province) < 0 ||
	    query_text_or_reply(r, w, "by", &q->by) < 0)
		return -1;
	if (n == 1)
		q->province = codes[0];
	if (query_choice_or_reply(r, w, "units", &v) < 0)
		return -1;
	q->old_units = v && !strcmp(v, "old");
	if (query_choice_or_reply(r, w, "illustrative", &v) < 0)
		return -1;
	q->illustrative = v && !strcmp(v, "1");
	return 0;
}

int stats_compare_or_reply(struct req *r, struct resp *w, const char **codes, int *n)
{
	if (query_provinces_or_reply(r, w, "province", codes, n) < 0)
		return -1;
	if (*n < 2)
		*n = 0;
	return 0;
}

void h_api_indicators(struct req *r, struct resp *w)
{
	(void)r;
	static const char *const aggs[] = {"sum", "ratio", "stock"};
	json_t *arr = json_array();
	for (const struct indicator *i = indicators; i->code; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:i}", "code",
						     i->code, "section", i->section, "name", i->vi,
						     "name_en", i->en, "measure", i->measure, "agg",
						     aggs[i->agg], "computed_from", i->collection,
						     "scale", i->scale));
	reply_json(w, 200, json_pack("{s:o}", "items", arr));
}

void h_api_stats(struct req *r, struct resp *w)
{
	struct stat_query q;
	if (stat_query_or_reply(r, w, &q) < 0)
		return;
	const char *codes[STATS_COMPARE_MAX];
	int n;
	if (stats_compare_or_reply(r, w, codes, &n) < 0)
		return;
	struct err e;
	json_t *out;
	if (stats_view(r->st, &r->actor, &q, codes, n, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, out);
}

/* The statistic's link for one province: the request's own query without
 * its places and breakdown (map_svg adds the province). */
static const char *map_link(struct req *r)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "/stats?by=year");
	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, "province") && strcmp(r->query[i].key, "old_province") &&
		    strcmp(r->query[i].key, "by"))
			buf_printf(&b, "&%t=%t", r->query[i].key, r->query[i].value);
	const char *link = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return link;
}

int stats_map_svg(struct req *r, const struct stat_query *q, json_t *out, const char *id,
		  struct buf *svg, struct err *e)
{
	struct map_view v;
	if (map_view_build(out, q->old_units, &v, e) < 0)
		return ERR_INVALID;
	json_t *ind = json_object_get(out, "indicator");
	struct buf sub = BUF_INIT;
	buf_printf(&sub, "%s · %s", json_string_value(json_object_get(ind, "measure")),
		   json_string_value(json_object_get(json_object_get(json_object_get(out, "query"),
								      "period"),
						     "label")));
	struct map_opts o = {.title = json_string_value(json_object_get(ind, "name")),
			     .subtitle = buf_cstr(&sub),
			     .link = map_link(r),
			     .id = id};
	map_svg(&v, &o, svg);
	buf_free(&sub);
	return 0;
}

/* GET /api/v1/stats/map.svg: the statistic by province as a map. The ETag
 * hashes the statistic's result (and the units): it changes exactly when a
 * value shown does, and a revalidation naming it is answered 304. */
void h_api_stats_map(struct req *r, struct resp *w)
{
	struct stat_query q;
	if (stat_query_or_reply(r, w, &q) < 0)
		return;
	if (!q.by)
		q.by = "province";
	struct err e;
	err_clear(&e);
	json_t *out;
	if (stats_view(r->st, &r->actor, &q, NULL, 0, &out, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char *dump = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
	unsigned char h[16];
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, sizeof h);
	crypto_generichash_update(&hs, (const unsigned char *)dump, strlen(dump));
	crypto_generichash_update(&hs, (const unsigned char *)(q.old_units ? "o" : "n"), 1);
	crypto_generichash_final(&hs, h, sizeof h);
	free(dump);
	char *etag = arena_alloc(r->arena, 2 * sizeof h + 3);
	etag[0] = '"';
	sodium_bin2hex(etag + 1, 2 * sizeof h + 1, h, sizeof h);
	strcat(etag, "\"");
	resp_header(r, w, "ETag", etag);
	resp_header(r, w, "Cache-Control", "private, no-cache");
	const char *inm = req_header(r, "If-None-Match");
	if (inm && strstr(inm, etag)) {
		json_decref(out);
		buf_reset(&w->body);
		w->status = 304;
		return;
	}
	buf_reset(&w->body);
	if (stats_map_svg(r, &q, out, "map", &w->body, &e) < 0) {
		json_decref(out);
		reply_err(r, w, &e);
		return;
	}
	json_decref(out);
	w->status = 200;
	w->content_type = "image/svg+xml; charset=utf-8";
}

void h_api_targets(struct req *r, struct resp *w)
{
	int64_t programme;
	const char *prov;
	if (query_param_or_reply(r, w, "programme_id", &programme) < 0 ||
	    query_text_or_reply(r, w, "province", &prov) < 0)
		return;
	char today[11];
	clock_today(today);
	struct err e;
	json_t *items;
	if (targets_progress(r->st, &r->actor, programme, prov, today, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:s,s:o}", "as_of", today, "items", items));
}

void h_api_periods(struct req *r, struct resp *w)
{
	struct err e;
	err_clear(&e);
	json_t *items;
	if (period_rules_json(r->st, &items, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o}", "items", items));
}

/* PATCH /api/v1/reporting-periods/{kind}: the fields given replace the
 * rule's; the others stay. */
void h_api_period_update(struct req *r, struct resp *w)
{
	struct err e;
	err_clear(&e);
	struct period_rule rule;
	if (period_rule_get(r->st, r->params[0], &rule, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	static const char *const keys[] = {"start_month", "start_day", "end_month",
					   "end_day",	  "due_month", "due_day"};
	int *slots[] = {&rule.start_month, &rule.start_day, &rule.end_month,
			&rule.end_day,	   &rule.due_month, &rule.due_day};
	for (size_t i = 0; i < 6; i++) {
		int64_t v;
		if (json_int_or_reply(r, w, keys[i], *slots[i], &v) < 0)
			return;
		if (v < 0 || v > 31) {
			reply_error(r, w, 400, "invalid", "Ngoài khoảng / out of range", keys[i]);
			return;
		}
		*slots[i] = (int)v;
	}
	const char *basis;
	if (json_str_or_reply(r, w, "legal_basis", &basis) < 0)
		return;
	if (basis)
		snprintf(rule.legal_basis, sizeof rule.legal_basis, "%s", basis);
	if (period_rule_set(r->st, &r->actor, &rule, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	h_api_periods(r, w);
}
