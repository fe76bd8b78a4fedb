/* submission_changes.c - a submission against the live data: the rows of
 * the report whose figures now read differently, and the records behind it
 * changed, added or removed since it was sent (what the ministry checks
 * before accepting, and what a reopened report will change); and two
 * sendings of one submission against each other. */
#include "stats/submission.h"

#include "core/clock.h"
#include "stats/period.h"
#include "stats/report.h"

#include <stdio.h>
#include <string.h>

/* The nth row (from 0) whose first cell is label in the table of the
 * section titled title, or NULL: rows are matched by label and, where a
 * label repeats (a programme's targets), by order. */
static json_t *row_of(json_t *sections, const char *title, const char *label, int nth)
{
	size_t i, j;
	json_t *sec, *row;
	json_array_foreach(sections, i, sec)
	{
		const char *t = json_string_value(json_object_get(sec, "title"));
		if (!t || strcmp(t, title))
			continue;
		json_array_foreach(json_object_get(json_object_get(sec, "table"), "rows"), j, row)
		{
			const char *l = json_string_value(json_array_get(row, 0));
			if (l && !strcmp(l, label) && nth-- == 0)
				return row;
		}
	}
	return NULL;
}

/* How many rows before row j of rows have the same first cell. */
static int nth_of(json_t *rows, size_t j, const char *label)
{
	int n = 0;
	for (size_t k = 0; k < j; k++) {
		const char *l = json_string_value(json_array_get(json_array_get(rows, k), 0));
		n += l && !strcmp(l, label);
	}
	return n;
}

/* Appends to out the rows of from missing or different in to; with
 * reversed, only those missing (the rows that appeared), as now. */
static void diff_rows(json_t *from, json_t *to, int reversed, json_t *out)
{
	size_t i, j;
	json_t *sec, *row;
	json_array_foreach(from, i, sec)
	{
		const char *title = json_string_value(json_object_get(sec, "title"));
		json_t *rows = json_object_get(json_object_get(sec, "table"), "rows");
		json_array_foreach(rows, j, row)
		{
			const char *label = json_string_value(json_array_get(row, 0));
			if (!title || !label)
				continue;
			json_t *other = row_of(to, title, label, nth_of(rows, j, label));
			if (other && (reversed || json_equal(row, other)))
				continue;
			json_array_append_new(out, json_pack("{s:s,s:s,s:O,s:O}", "section", title,
							     "row", label, "sent",
							     reversed ? json_null() : row, "now",
							     reversed ? row
							     : other  ? other
								      : json_null()));
		}
	}
}

static const char *key_of(json_t *r, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%lld", json_string_value(json_object_get(r, "collection")),
		 (long long)json_integer_value(json_object_get(r, "id")));
	return buf;
}

/* The records changed, added and removed between sent and now (arrays of
 * {collection, id, version}). */
static json_t *diff_records(json_t *sent, json_t *now)
{
	json_t *bykey = json_object(), *changed = json_array(), *added = json_array(),
	       *removed = json_array(), *r;
	size_t i;
	char k[96];
	json_array_foreach(sent, i, r) json_object_set(bykey, key_of(r, k, sizeof k), r);
	json_array_foreach(now, i, r)
	{
		json_t *old = json_object_get(bykey, key_of(r, k, sizeof k));
		if (!old)
			json_array_append(added, r);
		else if (!json_equal(json_object_get(old, "version"),
				     json_object_get(r, "version")))
			json_array_append_new(changed,
					      json_pack("{s:O,s:O,s:O,s:O}", "collection",
							json_object_get(r, "collection"), "id",
							json_object_get(r, "id"), "sent_version",
							json_object_get(old, "version"), "version",
							json_object_get(r, "version")));
		if (old)
			json_object_del(bykey, k);
	}
	json_array_foreach(sent, i, r) if (json_object_get(bykey, key_of(r, k, sizeof k)))
		json_array_append(removed, r);
	json_decref(bykey);
	return json_pack("{s:o,s:o,s:o}", "changed", changed, "added", added, "removed", removed);
}

/* The report rows (sections) and records that differ from sent to now:
 * {changed, figures, records} as submission_changes() describes. */
static json_t *diff_of(json_t *sent_secs, json_t *sent_recs, json_t *now_secs, json_t *now_recs)
{
	json_t *figs = json_array();
	diff_rows(sent_secs, now_secs, 0, figs);
	diff_rows(now_secs, sent_secs, 1, figs);
	json_t *recs = diff_records(sent_recs, now_recs);
	int changed = json_array_size(figs) || json_array_size(json_object_get(recs, "changed")) ||
		      json_array_size(json_object_get(recs, "added")) ||
		      json_array_size(json_object_get(recs, "removed"));
	return json_pack("{s:b,s:o,s:o}", "changed", changed, "figures", figs, "records", recs);
}

static json_t *sections_of(json_t *content)
{
	return json_object_get(json_object_get(content, "report"), "sections");
}

int submission_compare(struct store *st, const struct actor *a, int64_t id, int64_t from,
		       int64_t to, json_t **out, struct err *e)
{
	json_t *x = NULL, *y = NULL;
	int rc = submission_snapshot(st, a, id, from, &x, e);
	if (rc == 0)
		rc = submission_snapshot(st, a, id, to, &y, e);
	if (rc == 0) {
		json_t *cx = json_object_get(x, "content"), *cy = json_object_get(y, "content");
		*out = diff_of(sections_of(cx), json_object_get(cx, "records"), sections_of(cy),
			       json_object_get(cy, "records"));
		json_object_set_new(*out, "from", json_integer(from));
		json_object_set_new(*out, "to", json_integer(to));
	}
	json_decref(x);
	json_decref(y);
	return rc;
}

int submission_report_now(struct store *st, const struct actor *a, json_t *content, json_t **report,
			  json_t *records, struct err *e)
{
	json_t *pj = json_object_get(content, "period");
	struct period p = {0};
	char today[11];
	clock_today_vn(today);
	const char *prov = json_string_value(json_object_get(content, "province"));
	snprintf(p.date_from, sizeof p.date_from, "%s",
		 json_string_value(json_object_get(pj, "date_from")));
	snprintf(p.date_to, sizeof p.date_to, "%s",
		 json_string_value(json_object_get(pj, "date_to")));
	snprintf(p.label, sizeof p.label, "%s", json_string_value(json_object_get(pj, "label")));
	int64_t year = json_integer_value(json_object_get(pj, "year"));
	p.year_from = p.year_to = (int)year;
	const char *kind = json_string_value(json_object_get(pj, "kind"));
	p.no_years = kind && !strcmp(kind, "half_year");
	p.by_date = 1;
	*report = NULL;
	int rc = records ? submission_records(st, prov, &p, records, e) : 0;
	struct report_query q = {
		.province = prov, .from = (int)year, .to = (int)year, .today = today, .period = &p};
	if (rc == 0)
		rc = report_build(st, a, &q, report, e);
	return rc;
}

int submission_changes(struct store *st, const struct actor *a, int64_t id, json_t **out,
		       struct err *e)
{
	json_t *sub;
	int rc = submission_get(st, a, id, &sub, e);
	if (rc < 0)
		return rc;
	json_t *snap = json_object_get(sub, "snapshot"),
	       *content = json_object_get(snap, "content");
	if (!json_is_object(content)) {
		json_decref(sub);
		*out = json_pack("{s:i,s:b,s:[],s:{s:[],s:[],s:[]}}", "seq", 0, "changed", 0,
				 "figures", "records", "changed", "added", "removed");
		return 0;
	}
	json_t *now = json_array(), *live = NULL;
	rc = submission_report_now(st, a, content, &live, now, e);
	if (rc == 0) {
		*out = diff_of(sections_of(content), json_object_get(content, "records"),
			       json_object_get(live, "sections"), now);
		json_object_set(*out, "seq", json_object_get(snap, "seq"));
	}
	json_decref(live);
	json_decref(now);
	json_decref(sub);
	return rc;
}
