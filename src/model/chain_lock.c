/* chain_lock.c - the lock of accepted reporting periods, asked by every
 * write of record.c (so the API, forms, imports and jobs all obey it). A
 * record is placed as the statistics place it: by its date when it has one,
 * else by its year (or years: a reported figure's period_from..period_to),
 * and a half-year holds no whole year. */
#include "model/chain_lock.h"

#include "model/record.h"

#include <stdio.h>
#include <string.h>

/* The accepted submission of province prov whose period holds the date
 * (or, with date NULL, the years y0..y1): its number and period label into
 * num/label; 1 when there is one, 0 when none, < 0 on error. */
static int find_lock(struct store *st, const char *prov, const char *date, int64_t y0, int64_t y1,
		     char *num, size_t nn, char *label, size_t nl, struct err *e)
{
	struct stmt *s = store_prepare(
		st,
		date ? "SELECT number, period_label FROM submissions WHERE province_code = ? AND"
		       " status = 'accepted' AND date_from <= ? AND date_to >= ? ORDER BY id"
		     : "SELECT number, period_label FROM submissions WHERE province_code = ? AND"
		       " status = 'accepted' AND no_years = 0 AND year_from <= ? AND year_to >= ?"
		       " ORDER BY id",
		e);
	if (!s)
		return ERR_STORE;
	if (date)
		stmt_bind(s, "ttt", prov, date, date);
	else
		stmt_bind(s, "tii", prov, y1, y0);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		snprintf(num, nn, "%s", stmt_text(s, 0));
		snprintf(label, nl, "%s", stmt_text(s, 1));
	}
	stmt_done(s);
	return rc;
}

int chain_lock_check_state(struct store *st, const struct entity *ent, const char *prov,
			   json_t *rec, struct err *e)
{
	if (!prov || !*prov || !rec)
		return 0;
	const struct field *df = record_date_field(ent);
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	const char *date = df ? json_string_value(json_object_get(rec, df->name)) : NULL;
	json_t *y = yf && yf->type == F_YEAR ? json_object_get(rec, yf->name) : NULL;
	const struct field *field = date ? df : yf;
	if (!date && !json_is_integer(y))
		return 0; /* undated: no period holds it */
	int64_t y0 = json_integer_value(y), y1 = y0;
	json_t *yto = json_object_get(rec, "period_to"); /* a figure over several years */
	if (!date && json_is_integer(yto) && json_integer_value(yto) > y0)
		y1 = json_integer_value(yto);
	char num[64], label[128];
	int rc = find_lock(st, prov, date, y0, y1, num, sizeof num, label, sizeof label, e);
	if (rc <= 0)
		return rc;
	return err_set(e, ERR_CONFLICT, field->name,
		       "Báo cáo %s của tỉnh đã được Bộ chấp nhận (số %s): không thêm, sửa, xóa "
		       "hay nhập được số liệu trong kỳ này / the report for %s of this province "
		       "was accepted (submission %s): its records cannot be created, changed, "
		       "deleted or imported",
		       label, num, label, num);
}

/* Has rec a date or a year a period can hold? */
static int dated(const struct entity *ent, json_t *rec)
{
	const struct field *df = record_date_field(ent);
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	return (df && json_is_string(json_object_get(rec, df->name))) ||
	       (yf && yf->type == F_YEAR && json_is_integer(json_object_get(rec, yf->name)));
}

int chain_lock_check(struct store *st, const struct entity *ent, int64_t id, json_t *before,
		     json_t *after, struct err *e)
{
	int rc = chain_lock_check_state(
		st, ent, json_string_value(json_object_get(before, "province_code")), before, e);
	if (rc < 0 || !after || !dated(ent, after))
		return rc; /* an undated record reads no province back */
	char sql[160], prov[8] = "";
	/* The table name comes from the descriptions, never from input. */
	snprintf(sql, sizeof sql, "SELECT province_code FROM %s WHERE id = ?", ent->table);
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	rc = stmt_step(s, e);
	if (rc == 1 && stmt_text(s, 0))
		snprintf(prov, sizeof prov, "%s", stmt_text(s, 0));
	stmt_done(s);
	return rc < 0 ? rc : chain_lock_check_state(st, ent, prov, after, e);
}
