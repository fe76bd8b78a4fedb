/* targets.c - target tracking: progress, expected-by-now and status. */
#include "stats/targets.h"

#include "core/buf.h"
#include "model/record.h"
#include "stats/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Share of [from, to] (whole years) elapsed on today, in permille. */
static int64_t elapsed_permille(int from, int to, const char *today)
{
	int y = atoi(today), m = atoi(today + 5);
	double now = y + (m - 1) / 12.0, start = from, end = to + 1;
	if (now <= start)
		return 0;
	if (now >= end)
		return 1000;
	return (int64_t)(1000 * (now - start) / (end - start));
}

static const char *status_of(int64_t progress, int64_t expected)
{
	if (progress >= 1000)
		return "reached";
	return progress >= expected ? "on_track" : "behind";
}

/* Target value in the indicator's unit and scale (targets use the same
 * measure words as reported figures: "550 triệu USD" is 550 000 000 USD). */
static int target_value(const struct indicator *ind, json_t *val, const char *measure,
                        int64_t *out)
{
	int64_t v = json_integer_value(json_object_get(val, "value")) *
	            stats_measure_factor(ind, measure);
	int scale = (int)json_integer_value(json_object_get(val, "scale"));
	while (scale < ind->scale) {
		v *= 10;
		scale++;
	}
	while (scale > ind->scale) {
		v /= 10;
		scale--;
	}
	*out = v;
	return 0;
}

static json_t *one_target(struct store *st, const struct actor *a, json_t *prog, json_t *t,
			  const char *today, const char *in_province)
{
	const char *code = json_string_value(json_object_get(t, "indicator"));
	const struct indicator *ind = indicator_find(code);
	json_t *year = json_object_get(t, "year");
	int from = (int)json_integer_value(json_object_get(prog, "period_from"));
	int to = (int)json_integer_value(json_object_get(prog, "period_to"));
	if (json_is_integer(year))
		from = to = (int)json_integer_value(year);
	json_t *val = json_object_get(t, "value");
	struct buf tt = BUF_INIT;
	struct indicator own = {.code = code, .measure = json_string_value(json_object_get(t, "measure"))};
	if (!own.measure)
		own.measure = "";
	/* The target reads in its own words ("550 triệu USD", "15 mô hình"). */
	if (json_is_object(val))
		stats_format(&tt, &own, json_integer_value(json_object_get(val, "value")),
		             json_integer_value(json_object_get(val, "value_hi")),
		             (int)json_integer_value(json_object_get(val, "scale")),
		             json_string_value(json_object_get(val, "qualifier")));
	json_t *o = json_pack("{s:O,s:O,s:O,s:s?,s:O,s:s,s:i,s:i,s:O}", "target_id",
			      json_object_get(t, "id"), "programme_id", json_object_get(prog, "id"),
			      "programme", json_object_get(prog, "name"), "indicator", code,
			      "description", json_object_get(t, "description"), "target",
			      buf_cstr(&tt), "from", from, "to", to, "province",
			      json_object_get(prog, "province") ? json_object_get(prog, "province")
								: json_null());
	buf_free(&tt);
	int64_t expected = elapsed_permille(from, to, today);
	json_object_set_new(o, "expected", json_integer(expected));
	if (!ind || ind->agg == AGG_RATIO || !json_is_object(val)) {
		json_object_set_new(o, "status", json_string("not_comparable"));
		return o;
	}
	struct stat_query q = {.indicator = code, .from = from, .to = to,
	                       .province = json_string_value(json_object_get(prog, "province"))};
	if (!q.province && in_province)
		q.province = in_province; /* a national target, read in one province */
	json_t *res = NULL;
	struct err e;
	if (stats_compute(st, a, &q, &res, &e) < 0) {
		json_object_set_new(o, "status", json_string("no_data"));
		return o;
	}
	json_t *total = json_object_get(res, "total");
	json_object_set(o, "actual", json_object_get(total, "text"));
	json_object_set(o, "actual_source", json_object_get(total, "source"));
	json_t *av = json_object_get(total, "value");
	int64_t target;
	target_value(ind, val, own.measure, &target);
	if (!json_is_integer(av) || target <= 0) {
		json_object_set_new(o, "status", json_string("no_data"));
	} else {
		/* The actual keeps the decimals of its figures: compare at the
		 * indicator's scale, as the target is. */
		int64_t actual = json_integer_value(av);
		for (int sc = (int)json_integer_value(json_object_get(total, "scale"));
		     sc > ind->scale; sc--)
			actual /= 10;
		int64_t progress = actual * 1000 / target;
		json_object_set_new(o, "progress", json_integer(progress));
		json_object_set_new(o, "status", json_string(status_of(progress, expected)));
	}
	json_decref(res);
	return o;
}

static int programme_targets(struct store *st, const struct actor *a, json_t *prog,
			     const char *today, const char *in_province, json_t *out, struct err *e)
{
	struct list_query qy = {.nfilters = 1, .limit = 500, .sort = "id"};
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(prog, "id")));
	qy.filter_names[0] = "programme_id";
	qy.filter_values[0] = id;
	json_t *items;
	int64_t total;
	int rc = record_list(st, a, entity_find("targets"), &qy, &items, &total, e);
	if (rc < 0)
		return rc;
	size_t i;
	json_t *t;
	json_array_foreach(items, i, t)
		json_array_append_new(out, one_target(st, a, prog, t, today, in_province));
	json_decref(items);
	return 0;
}

int targets_progress(struct store *st, const struct actor *a, int64_t programme_id,
                     const char *province, const char *today, json_t **out, struct err *e)
{
	return targets_progress_in(st, a, programme_id, province, 0, 0, today, out, e);
}

static int progress(struct store *st, const struct actor *a, int64_t programme_id,
		    const char *province, int from, int to, const char *today,
		    const char *in_province, json_t **out, struct err *e);

int targets_progress_in(struct store *st, const struct actor *a, int64_t programme_id,
                        const char *province, int from, int to, const char *today, json_t **out,
                        struct err *e)
{
	return progress(st, a, programme_id, province, from, to, today, NULL, out, e);
}

int targets_progress_dashboard(struct store *st, const struct actor *a, const char *province,
			       int from, int to, const char *today, json_t **out, struct err *e)
{
	return progress(st, a, 0, province, from, to, today, province, out, e);
}

int targets_progress_of_province(struct store *st, const struct actor *a, int64_t programme_id,
				 const char *province, const char *today, json_t **out,
				 struct err *e)
{
	return progress(st, a, programme_id, province, 0, 0, today, province, out, e);
}

static int progress(struct store *st, const struct actor *a, int64_t programme_id,
		    const char *province, int from, int to, const char *today,
		    const char *in_province, json_t **out, struct err *e)
{
	const struct entity *programmes = entity_find("programmes");
	json_t *list = json_array(), *progs = NULL;
	int rc = 0;
	if (programme_id > 0) {
		json_t *p;
		rc = record_get(st, a, programmes, programme_id, &p, e);
		if (rc == 0) {
			progs = json_array();
			json_array_append_new(progs, p);
		}
	} else {
		struct list_query qy = {.limit = 500, .sort = "id"};
		int64_t total;
		rc = record_list(st, a, programmes, &qy, &progs, &total, e);
	}
	size_t i;
	json_t *p;
	json_array_foreach(progs, i, p) {
		const char *pp = json_string_value(json_object_get(p, "province"));
		if (province && pp && strcmp(pp, province))
			continue;
		int pf = (int)json_integer_value(json_object_get(p, "period_from"));
		int pt = (int)json_integer_value(json_object_get(p, "period_to"));
		if ((from && pt < from) || (to && pf > to))
			continue; /* the programme does not overlap the period asked */
		if (rc == 0)
			rc = programme_targets(st, a, p, today, in_province, list, e);
	}
	json_decref(progs);
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return 0;
}
