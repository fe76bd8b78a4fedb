/* list_place.c - the place columns of list exports, from the units and
 * establishments tables, each looked up once per export. */
#include "io/list_place.h"

#include <stdio.h>
#include <string.h>

static const char *const headers[LIST_PLACE_COLS][2] = {
	{"Mã tỉnh (hiện nay)", "Province code (today)"},
	{"Tỉnh, thành phố (hiện nay)", "Province (today)"},
	{"Mã xã (hiện nay)", "Commune code (today)"},
	{"Xã, phường (hiện nay)", "Commune (today)"},
	{"Tỉnh (trước 01/7/2025)", "Province (before 2025-07-01)"},
	{"Huyện (trước 01/7/2025)", "District (before 2025-07-01)"},
	{"Xã (trước 01/7/2025)", "Commune (before 2025-07-01)"},
	{"Mã số thuế", "Tax code"},
};

int list_place_cols(const struct entity *ent)
{
	int own_tax = ent->est_field && !strcmp(ent->est_field, "id");
	return LIST_PLACE_COLS - own_tax;
}

const char *list_place_header(int i, const char *lang)
{
	return headers[i][lang && !strcmp(lang, "en")];
}

const char *list_display_header(const struct field *f, const char *lang)
{
	static _Thread_local char h[160];
	int en = lang && !strcmp(lang, "en");
	snprintf(h, sizeof h, "%s (%s)", field_label(f, lang), en ? "as read" : "cách đọc");
	return h;
}

/* A unit's full name by era, level and code, through the cache. */
static const char *unit_name(struct store *st, json_t *cache, const char *era, const char *level,
			     const char *code, struct err *e)
{
	if (!code || !*code)
		return "";
	char key[48];
	snprintf(key, sizeof key, "%s:%s:%s", era, level, code);
	json_t *hit = json_object_get(cache, key);
	if (hit)
		return json_string_value(hit);
	struct stmt *s = store_prepare(st,
				       "SELECT full_name FROM units WHERE era = ? AND level = ? AND"
				       " code = ? ORDER BY is_current DESC",
				       e);
	if (!s)
		return NULL;
	stmt_bind(s, "ttt", era, level, code);
	int rc = stmt_step(s, e);
	json_object_set_new(cache, key, json_string(rc == 1 ? stmt_text(s, 0) : code));
	stmt_done(s);
	return rc < 0 ? NULL : json_string_value(json_object_get(cache, key));
}

/* Today's commune [code, name] of a unit id; ["", ""] for a unit of the
 * time (its columns are the old ones). */
static json_t *commune_of(struct store *st, json_t *cache, json_int_t id, struct err *e)
{
	char key[40];
	snprintf(key, sizeof key, "unit:%lld", (long long)id);
	json_t *hit = json_object_get(cache, key);
	if (hit)
		return hit;
	struct stmt *s = store_prepare(
		st, "SELECT code, full_name FROM units WHERE id = ? AND era = 'new'", e);
	if (!s)
		return NULL;
	stmt_bind(s, "i", (int64_t)id);
	int rc = stmt_step(s, e);
	json_object_set_new(cache, key,
			    rc == 1 ? json_pack("[ss]", stmt_text(s, 0), stmt_text(s, 1))
				    : json_pack("[ss]", "", ""));
	stmt_done(s);
	return rc < 0 ? NULL : json_object_get(cache, key);
}

/* The establishment's [tax code, commune unit id]. */
static json_t *establishment_of(struct store *st, json_t *cache, json_int_t id, struct err *e)
{
	char key[40];
	snprintf(key, sizeof key, "est:%lld", (long long)id);
	json_t *hit = json_object_get(cache, key);
	if (hit)
		return hit;
	struct stmt *s = store_prepare(
		st, "SELECT tax_code, commune_id FROM establishments WHERE id = ?", e);
	if (!s)
		return NULL;
	stmt_bind(s, "i", (int64_t)id);
	int rc = stmt_step(s, e);
	json_object_set_new(cache, key,
			    rc == 1 ? json_pack("[s,I]", stmt_text(s, 0) ? stmt_text(s, 0) : "",
						(json_int_t)stmt_int(s, 1))
				    : json_pack("[s,I]", "", (json_int_t)0));
	stmt_done(s);
	return rc < 0 ? NULL : json_object_get(cache, key);
}

static const char *str(json_t *rec, const char *key)
{
	const char *v = json_string_value(json_object_get(rec, key));
	return v ? v : "";
}

int list_place_annotate_one(struct store *st, const struct entity *ent, json_t *rec, json_t *cache,
			    struct err *e)
{
	json_int_t unit = json_integer_value(json_object_get(rec, "commune_id"));
	const char *tax = str(rec, "tax_code");
	json_t *est = ent->est_field && strcmp(ent->est_field, "id")
			      ? json_object_get(rec, ent->est_field)
			      : NULL;
	if (json_is_integer(est)) {
		json_t *info = establishment_of(st, cache, json_integer_value(est), e);
		if (!info)
			return ERR_STORE;
		tax = json_string_value(json_array_get(info, 0));
		if (!unit)
			unit = json_integer_value(json_array_get(info, 1));
	}
	json_t *comm = unit ? commune_of(st, cache, unit, e) : json_pack("[ss]", "", "");
	if (!comm)
		return ERR_STORE;
	const char *prov = str(rec, "province_code");
	const char *v[LIST_PLACE_COLS] = {
		prov,
		unit_name(st, cache, "new", "province", prov, e),
		json_string_value(json_array_get(comm, 0)),
		json_string_value(json_array_get(comm, 1)),
		unit_name(st, cache, "old", "province", str(rec, "old_province_code"), e),
		unit_name(st, cache, "old", "district", str(rec, "old_district_code"), e),
		unit_name(st, cache, "old", "commune", str(rec, "old_commune_code"), e),
		tax,
	};
	json_t *out = json_array();
	int rc = 0;
	for (int i = 0; i < list_place_cols(ent); i++) {
		if (!v[i])
			rc = ERR_STORE;
		json_array_append_new(out, json_string(v[i] ? v[i] : ""));
	}
	if (!unit)
		json_decref(comm);
	json_object_set_new(rec, "export_place", out);
	return rc;
}
