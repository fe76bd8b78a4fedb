/* record_old.c - stored old units kept equal to their derivation (record_old.h). */
#include "model/record_old.h"

#include "core/buf.h"
#include "model/unit_attr.h"

#include <stdio.h>
#include <string.h>

#define BATCH 200

/* The fields unit_attr_record reads, those ent has. */
static int inputs(const struct entity *ent, const struct field *out[5])
{
	const char *names[] = {ent->year_field, "old_unit_id",
			       ent->prov == PROV_UNIT || ent->prov == PROV_FIELD ? ent->prov_field
										 : NULL,
			       "establishment_id", "village_id"};
	int n = 0;
	for (int i = 0; i < 5; i++) {
		const struct field *f = names[i] ? entity_field(ent, names[i]) : NULL;
		int dup = 0;
		for (int j = 0; j < n && f; j++)
			dup |= out[j] == f;
		if (f && !dup)
			out[n++] = f;
	}
	return n;
}

/* Whether old units can apply to ent's records at all. */
static int applies(const struct entity *ent)
{
	return ent->year_field || ent->prov == PROV_UNIT;
}

static int same(const char *stored, const char *derived)
{
	return !strcmp(stored ? stored : "", derived);
}

/* One batch of rows (after id *after, optionally where col = val): their
 * inputs as records, then, the statement done, their units compared and
 * rewritten where they differ. Returns the number of rows read, or < 0. */
static int batch(struct store *st, const struct entity *ent, const char *col, int64_t val,
		 int64_t *after, int64_t *changed, struct err *e)
{
	const struct field *in[5];
	int nin = inputs(ent, in);
	struct buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT t.id, t.province_code, t.old_province_code, t.old_district_code,"
		       " t.old_commune_code, t.old_split");
	for (int i = 0; i < nin; i++)
		buf_printf(&sql, ", t.%s", in[i]->name);
	/* Names from the descriptions only. */
	buf_printf(&sql, " FROM %s t WHERE t.id > ?%s%s%s ORDER BY t.id LIMIT %d", ent->table,
		   col ? " AND t." : "", col ? col : "", col ? " = ?" : "", BATCH);
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, *after);
	if (col)
		stmt_bind_int(s, 2, val);
	json_t *rows = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		json_t *r = json_object();
		json_object_set_new(r, "id", json_integer(stmt_int(s, 0)));
		const char *sys[] = {"province_code", "old_province_code", "old_district_code",
				     "old_commune_code", "old_split"};
		for (int i = 0; i < 5; i++)
			json_object_set_new(
				r, sys[i],
				json_string(stmt_text(s, i + 1) ? stmt_text(s, i + 1) : ""));
		for (int i = 0; i < nin; i++) {
			int c = 6 + i, text = in[i]->type == F_DATE || in[i]->type == F_PROVINCE;
			json_object_set_new(r, in[i]->name,
					    stmt_isnull(s, c) ? json_null()
					    : text	      ? json_string(stmt_text(s, c))
							      : json_integer(stmt_int(s, c)));
		}
		json_array_append_new(rows, r);
	}
	stmt_done(s);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		if (rc < 0)
			break;
		*after = json_integer_value(json_object_get(r, "id"));
		const char *prov = json_string_value(json_object_get(r, "province_code"));
		struct old_units ou;
		struct err ie;
		err_clear(&ie);
		int arc = unit_attr_record(st, ent, r, prov, &ou, &ie);
		if (arc == ERR_INVALID)
			continue; /* an explicit old unit that no longer fits stays */
		if (arc < 0) {
			rc = arc;
			*e = ie;
			break;
		}
		const char *now[] = {ou.province, ou.district, ou.commune, ou.split};
		const char *was[] = {"old_province_code", "old_district_code", "old_commune_code",
				     "old_split"};
		int differ = 0;
		for (int k = 0; k < 4; k++)
			differ |= !same(json_string_value(json_object_get(r, was[k])), now[k]);
		if (!differ)
			continue;
		char upd[200];
		snprintf(upd, sizeof upd,
			 "UPDATE %s SET old_province_code = ?, old_district_code = ?,"
			 " old_commune_code = ?, old_split = ? WHERE id = ?",
			 ent->table);
		rc = store_run(st, e, upd, "tttti", *now[0] ? now[0] : NULL,
			       *now[1] ? now[1] : NULL, *now[2] ? now[2] : NULL,
			       *now[3] ? now[3] : NULL, *after);
		if (rc >= 0 && changed)
			(*changed)++;
	}
	int n = (int)json_array_size(rows);
	json_decref(rows);
	return rc < 0 ? rc : n;
}

static int refresh(struct store *st, const struct entity *ent, const char *col, int64_t val,
		   int64_t *changed, struct err *e)
{
	if (!applies(ent))
		return 0;
	int64_t after = 0;
	int n;
	while ((n = batch(st, ent, col, val, &after, changed, e)) == BATCH)
		;
	return n < 0 ? n : 0;
}

int record_old_follow(struct store *st, const struct entity *ent, int64_t id, struct err *e)
{
	for (const struct entity *o = entities; o->collection; o++) {
		if (!o->year_field)
			continue;
		for (const struct field *f = o->fields; f->name; f++) {
			if (f->type != F_REF || strcmp(f->ref, ent->collection))
				continue;
			int rc = refresh(st, o, f->name, id, NULL, e);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int record_old_refresh_all(struct store *st, const struct entity *ent, int64_t *changed,
			   struct err *e)
{
	return refresh(st, ent, NULL, 0, changed, e);
}

int record_upkeep(struct store *st, int64_t *changed, struct err *e)
{
	int64_t n = 0;
	int rc = store_int(st, e, &n, "SELECT COUNT(*) FROM upkeep WHERE task = 'old_units'", "");
	if (rc < 0 || n == 0)
		return rc < 0 ? rc : 0;
	rc = store_begin(st, e);
	for (const struct entity *ent = entities; rc == 0 && ent->collection; ent++)
		rc = record_old_refresh_all(st, ent, changed, e);
	if (rc == 0)
		rc = store_run(st, e, "DELETE FROM upkeep WHERE task = 'old_units'", "");
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}
