/* unit_attr.c - old-unit attribution of records (unit_attr.h). */
#include "model/unit_attr.h"

#include "model/unit.h"

#include <stdio.h>
#include <string.h>

/* Where all the old communes agree on a level, that level is known. */
static void agree(char *have, size_t n, const char *v, int first)
{
	if (first)
		snprintf(have, n, "%s", v ? v : "");
	else if (strcmp(have, v ? v : ""))
		have[0] = 0;
}

int unit_attr_old(struct store *st, int64_t commune_id, struct old_units *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct unit u;
	int rc = unit_get(st, commune_id, &u, e);
	if (rc < 0)
		return rc;
	if (!strcmp(u.era, "old")) {
		snprintf(out->province, sizeof out->province, "%s", u.province_code);
		/* A district's own code; a commune's district. */
		snprintf(out->district, sizeof out->district, "%s",
			 !strcmp(u.level, "district") ? u.code : u.district_code);
		if (!strcmp(u.level, "commune"))
			snprintf(out->commune, sizeof out->commune, "%s", u.code);
		return 0;
	}
	struct stmt *s = store_prepare(st,
				       "SELECT o.province_code, o.district_code, o.code, o.full_name"
				       " FROM unit_succession x JOIN units o ON o.id = x.old_unit_id"
				       " WHERE x.new_unit_id = ? AND o.level = 'commune'"
				       " ORDER BY o.code",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", commune_id);
	int n = 0;
	char names[200] = "";
	while ((rc = stmt_step(s, e)) == 1) {
		agree(out->province, sizeof out->province, stmt_text(s, 0), n == 0);
		agree(out->district, sizeof out->district, stmt_text(s, 1), n == 0);
		agree(out->commune, sizeof out->commune, stmt_text(s, 2), n == 0);
		size_t len = strlen(names);
		if (len < sizeof names - 1)
			snprintf(names + len, sizeof names - len, "%s%s %s", n ? ", " : "",
				 stmt_text(s, 3), stmt_text(s, 2));
		n++;
	}
	stmt_done(s);
	if (rc < 0)
		return rc;
	if (n > 1) {
		snprintf(out->split, sizeof out->split, "%s",
			 out->province[0] ? "commune" : "province");
		snprintf(out->note, sizeof out->note,
			 "%s được lập từ %d xã cũ (%s): không xác định được xã cũ / %s was formed "
			 "from %d old communes: the old commune is unknown",
			 u.full_name, n, names, u.full_name, n);
	}
	return 0;
}

/* The old province of today's province code: known when it was one old
 * province (Hà Nội), said to be unknown when several merged into it. */
static int province_old(struct store *st, const char *code, struct old_units *out, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT code, full_name FROM units WHERE era = 'old' AND"
			      " level = 'province' AND is_current = 1 AND new_province_code = ?"
			      " ORDER BY code",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", code);
	int rc, n = 0;
	char names[200] = "";
	while ((rc = stmt_step(s, e)) == 1) {
		agree(out->province, sizeof out->province, stmt_text(s, 0), n == 0);
		size_t len = strlen(names);
		if (len < sizeof names - 1)
			snprintf(names + len, sizeof names - len, "%s%s", n ? ", " : "",
				 stmt_text(s, 1));
		n++;
	}
	stmt_done(s);
	if (rc < 0)
		return rc;
	if (n > 1)
		snprintf(out->split, sizeof out->split, "province");
	if (n > 1)
		snprintf(out->note, sizeof out->note,
			 "Tỉnh hôm nay (%s) gồm %d tỉnh cũ (%s): không xác định được tỉnh cũ; ghi "
			 "cột "
			 "Đơn vị hành chính cũ / today's province (%s) was formed from %d old "
			 "provinces: the old province is unknown; give the old administrative unit",
			 code, n, names, code, n);
	return 0;
}

/* An old unit given explicitly must fit the record: a record dated after the
 * reform has none, and its successor lies in the record's province. */
static int explicit_ok(struct store *st, const struct entity *ent, json_t *rec, const char *prov,
		       int64_t id, struct err *e)
{
	json_t *v = ent->year_field ? json_object_get(rec, ent->year_field) : NULL;
	if ((json_is_integer(v) && json_integer_value(v) > 2025) ||
	    (json_is_string(v) && strcmp(json_string_value(v), "2025-07-01") >= 0))
		return err_set(e, ERR_INVALID, "old_unit_id",
			       "Đơn vị hành chính cũ chỉ dùng cho hồ sơ trước 01/7/2025 / an old "
			       "administrative unit is for records before 2025-07-01 only");
	struct unit u;
	int rc = unit_get(st, id, &u, e);
	if (rc < 0)
		return rc;
	if (prov && *prov && u.new_province_code[0] && strcmp(prov, u.new_province_code))
		return err_set(
			e, ERR_INVALID, "old_unit_id",
			"%s nay thuộc tỉnh mã %s, không phải tỉnh mã %s của hồ sơ / %s is now "
			"in province %s, not the record's province %s",
			u.full_name, u.new_province_code, prov, u.full_name, u.new_province_code,
			prov);
	return 0;
}

int unit_attr_record(struct store *st, const struct entity *ent, json_t *rec, const char *prov,
		     struct old_units *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	json_t *v = json_object_get(rec, "old_unit_id");
	if (json_is_integer(v)) {
		int rc = explicit_ok(st, ent, rec, prov, json_integer_value(v), e);
		return rc < 0 ? rc : unit_attr_old(st, json_integer_value(v), out, e);
	}
	v = ent->prov == PROV_UNIT ? json_object_get(rec, ent->prov_field) : NULL;
	if (json_is_integer(v)) {
		/* A unit of its own: of the old era it is the old unit; of today it
		 * says nothing of the time (an establishment is not dated). */
		struct unit u;
		int rc = unit_get(st, json_integer_value(v), &u, e);
		if (rc < 0 || strcmp(u.era, "old"))
			return rc < 0 ? rc : 0;
		return unit_attr_old(st, u.id, out, e);
	}
	if (!unit_attr_before_reform(rec, ent->year_field))
		return 0;
	static const char *const refs[] = {"establishment_id", "village_id"};
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		const struct field *f = entity_field(ent, refs[i]);
		v = json_object_get(rec, refs[i]);
		if (!f || f->type != F_REF || !json_is_integer(v))
			continue;
		/* Constant text per table: one of two statements. */
		const char *sql = i == 0 ? "SELECT commune_id FROM establishments WHERE id = ?"
					 : "SELECT commune_id FROM villages WHERE id = ?";
		int64_t commune = 0;
		int rc = store_int(st, e, &commune, sql, "i", (int64_t)json_integer_value(v));
		if (rc < 0)
			return rc;
		return rc == 1 && commune ? unit_attr_old(st, commune, out, e) : 0;
	}
	v = ent->prov == PROV_FIELD ? json_object_get(rec, ent->prov_field) : NULL;
	return json_is_string(v) ? province_old(st, json_string_value(v), out, e) : 0;
}

int unit_attr_before_reform(json_t *rec, const char *year_field)
{
	json_t *v = year_field ? json_object_get(rec, year_field) : NULL;
	if (json_is_integer(v))
		return json_integer_value(v) < 2025;
	if (json_is_string(v))
		return strcmp(json_string_value(v), "2025-07-01") < 0;
	return 0;
}
