/* submission_snapshot.c - what a submission freezes: the periodic report of
 * the province for the period and the ids and versions of the records behind
 * it, as canonical JSON with its SHA-256 (libsodium, already linked). */
#include "stats/submission.h"

#include "core/buf.h"
#include "core/clock.h"
#include "model/record.h"
#include "stats/period.h"
#include "stats/report.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int submission_period_check(const char *kind, int64_t year, struct err *e)
{
	if (!kind || (strcmp(kind, "year") && strcmp(kind, "half_year")))
		return err_set(e, ERR_INVALID, "period_kind",
			       "Kỳ báo cáo là year (năm) hoặc half_year (6 tháng) / period_kind is "
			       "year or half_year");
	if (year < 2000 || year > 2100)
		return err_set(e, ERR_INVALID, "year",
			       "Năm báo cáo từ 2000 đến 2100 / year is 2000..2100");
	return 0;
}

int submission_period(struct store *st, const char *kind, int64_t year, struct period *p,
		      char due[11], struct err *e)
{
	int rc = submission_period_check(kind, year, e);
	if (rc < 0)
		return rc;
	int half = !strcmp(kind, "half_year");
	struct period_spec spec = {.kind = half ? PERIOD_HALF_YEAR : PERIOD_REPORTING_YEAR,
				   .from = (int)year,
				   .to = (int)year,
				   .half = half};
	rc = period_resolve(st, &spec, p, e);
	struct period_rule r;
	if (rc == 0)
		rc = period_rule_get(st, kind, &r, e);
	if (rc < 0)
		return rc;
	due[0] = 0;
	if (r.due_month && r.due_day) {
		char d[32];
		snprintf(d, sizeof d, "%04d-%02d-%02d", (int)year, r.due_month % 100,
			 r.due_day % 100);
		if (strcmp(d, p->date_to) < 0) /* due after the period ends */
			snprintf(d, sizeof d, "%04d-%02d-%02d", (int)year + 1, r.due_month % 100,
				 r.due_day % 100);
		memcpy(due, d, 11);
		due[10] = 0;
	}
	return 0;
}

/* Appends to arr {collection, id, version} of every record of ent of
 * province prov placed in p (by date, else by year as the statistics do). */
static int records_of_ent(struct store *st, const struct entity *ent, const char *prov,
			  const struct period *p, json_t *arr, struct err *e)
{
	const struct field *df = record_date_field(ent);
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	if (yf && (yf->type != F_YEAR || p->no_years))
		yf = NULL;
	if (!df && !yf)
		return 0;
	const char *yto = yf && entity_field(ent, "period_to") ? "period_to" : yf ? yf->name : "";
	struct buf sql = BUF_INIT;
	/* Names from the descriptions only; values bound. */
	buf_printf(&sql, "SELECT id, version FROM %s WHERE province_code = ? AND (", ent->table);
	if (df)
		buf_printf(&sql, "(%s IS NOT NULL AND %s >= ? AND %s <= ?)", df->name, df->name,
			   df->name);
	if (yf)
		buf_printf(&sql, "%s(%s%s%s <= ? AND %s >= ?)", df ? " OR " : "",
			   df ? df->name : "", df ? " IS NULL AND " : "", yf->name, yto);
	buf_puts(&sql, ") ORDER BY id");
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	int pos = 1;
	stmt_bind_text(s, pos++, prov);
	if (df) {
		stmt_bind_text(s, pos++, p->date_from);
		stmt_bind_text(s, pos++, p->date_to);
	}
	if (yf) {
		stmt_bind_int(s, pos++, p->year_to);
		stmt_bind_int(s, pos++, p->year_from);
	}
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr, json_pack("{s:s,s:I,s:I}", "collection", ent->collection,
						     "id", (json_int_t)stmt_int(s, 0), "version",
						     (json_int_t)stmt_int(s, 1)));
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int submission_records(struct store *st, const char *prov, const struct period *p, json_t *arr,
		       struct err *e)
{
	int rc = 0;
	for (const struct entity *ent = entities; rc == 0 && ent->collection; ent++)
		rc = records_of_ent(st, ent, prov, p, arr, e);
	return rc;
}

int submission_freeze(struct store *st, const struct actor *a, const char *prov, const char *number,
		      const char *kind, int64_t year, const struct period *p, char **text,
		      char hash[65], struct err *e)
{
	char today[11];
	clock_today_vn(today);
	struct report_query q = {
		.province = prov, .from = (int)year, .to = (int)year, .today = today, .period = p};
	json_t *report = NULL;
	int rc = report_build(st, a, &q, &report, e);
	if (rc < 0)
		return rc;
	json_t *recs = json_array();
	rc = submission_records(st, prov, p, recs, e);
	if (rc < 0) {
		json_decref(report);
		json_decref(recs);
		return rc;
	}
	char now[21];
	clock_iso(clock_now(), now);
	json_t *snap = json_pack("{s:s,s:s,s:{s:s,s:I,s:s,s:s,s:s},s:s,s:s,s:o,s:o}", "number",
				 number, "province", prov, "period", "kind", kind, "year",
				 (json_int_t)year, "label", p->label, "date_from", p->date_from,
				 "date_to", p->date_to, "frozen_at", now, "frozen_by", a->username,
				 "report", report, "records", recs);
	*text = json_dumps(snap, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(snap);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)*text, strlen(*text));
	sodium_bin2hex(hash, 65, h, sizeof h);
	return 0;
}
