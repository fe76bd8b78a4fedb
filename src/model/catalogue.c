/* catalogue.c - public reads of products, makers, villages, awards and lot
 * traces. The SQL is constant text with bound parameters; each SELECT names
 * the public columns it returns, which is what keeps private fields out. */
#include "model/catalogue.h"

#include "core/vtext.h"
#include "model/photo.h"
#include "model/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WORDS = 5 };

static json_t *text_or_null(struct stmt *s, int c)
{
	const char *t = stmt_text(s, c);
	return t ? json_string(t) : json_null();
}

static json_t *int_or_null(struct stmt *s, int c)
{
	return stmt_isnull(s, c) ? json_null() : json_integer(stmt_int(s, c));
}

/* A JSON column (channels, inputs) parsed, or null. */
static json_t *json_col(struct stmt *s, int c)
{
	const char *t = stmt_text(s, c);
	json_t *v = t ? json_loads(t, 0, NULL) : NULL;
	return v ? v : json_null();
}

static int not_found(struct err *e, const char *what_vi, const char *what_en, int64_t id)
{
	return err_set(e, ERR_NOTFOUND, "id", "Không có %s số %lld / no %s %lld", what_vi,
		       (long long)id, what_en, (long long)id);
}

/* ---- the product list ------------------------------------------------ */

#define PROVINCE_OF(alias, code)                                         \
	" LEFT JOIN units " alias " ON " alias ".era = 'new' AND " alias \
	".level = 'province' AND " alias ".code = " code " AND " alias ".is_current = 1"

#define LIST_FROM                                                             \
	" FROM products p JOIN establishments e ON e.id = p.establishment_id" \
	" LEFT JOIN awards a ON a.id = p.award_id" PROVINCE_OF(               \
		"u", "p.province_code") " WHERE p.published = 1"

/* The WHERE of a list: constant fragments for the filters in use only (an
 * "(? IS NULL OR col = ?)" pair would keep the database off its indexes),
 * and the values to bind, in order. */
struct where {
	struct buf sql;
	struct {
		int is_int;
		int64_t i;
		char t[80];
	} v[8 + WORDS];
	int n;
};

static void where_text(struct where *w, const char *frag, const char *v)
{
	if (!v || !*v)
		return;
	buf_printf(&w->sql, " AND %s", frag);
	w->v[w->n].is_int = 0;
	snprintf(w->v[w->n++].t, sizeof w->v[0].t, "%s", v);
}

static void where_int(struct where *w, const char *frag, int64_t v)
{
	if (v <= 0)
		return;
	buf_printf(&w->sql, " AND %s", frag);
	w->v[w->n].is_int = 1;
	w->v[w->n++].i = v;
}

static void where_build(struct where *w, const struct catalogue_query *q)
{
	memset(w, 0, sizeof *w);
	where_text(w, "p.province_code = ?", q->province);
	where_text(w, "p.category = ?", q->category);
	where_text(w, "a.level = ?", q->level);
	where_int(w, "COALESCE(p.ocop_stars, a.ocop_stars) >= ?", q->stars);
	where_int(w, "e.village_id = ?", q->village_id);
	where_int(w, "p.establishment_id = ?", q->establishment_id);
	where_int(w, "a.year = ?", q->year);
	/* Words match the start of a word of the folded key, as record lists do. */
	char *k = q->q ? vtext_fold(q->q) : NULL, *save = NULL;
	int n = 0;
	for (char *word = k ? strtok_r(k, " ", &save) : NULL; word && n < WORDS;
	     word = strtok_r(NULL, " ", &save), n++) {
		char like[80];
		snprintf(like, sizeof like, "%% %.70s%%", word);
		where_text(w, "(' ' || p.search_key) LIKE ?", like);
	}
	free(k);
}

static int where_bind(struct stmt *s, const struct where *w)
{
	for (int i = 0; i < w->n; i++) {
		if (w->v[i].is_int)
			stmt_bind_int(s, i + 1, w->v[i].i);
		else
			stmt_bind_text(s, i + 1, w->v[i].t);
	}
	return w->n + 1;
}

static json_t *list_row(struct stmt *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(stmt_int(s, 0)));
	json_object_set_new(o, "name", text_or_null(s, 1));
	json_object_set_new(o, "category", text_or_null(s, 2));
	json_object_set_new(o, "ocop_stars", int_or_null(s, 3));
	json_object_set_new(o, "award_level", text_or_null(s, 4));
	json_object_set_new(o, "award_year", int_or_null(s, 5));
	json_object_set_new(o, "establishment_id", json_integer(stmt_int(s, 6)));
	json_object_set_new(o, "establishment_name", text_or_null(s, 7));
	json_object_set_new(o, "province_code", text_or_null(s, 8));
	json_object_set_new(o, "province", text_or_null(s, 9));
	json_object_set_new(o, "photo_id", int_or_null(s, 10));
	return o;
}

int catalogue_list(struct store *st, const struct catalogue_query *q, json_t **items,
		   int64_t *total, struct err *e)
{
	struct where w;
	where_build(&w, q);
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "SELECT COUNT(*)" LIST_FROM "%s", buf_cstr(&w.sql));
	struct stmt *s = store_prepare_once(st, buf_cstr(&sql), e);
	int rc = s ? 0 : ERR_STORE;
	if (s) {
		where_bind(s, &w);
		rc = stmt_step(s, e);
		*total = rc == 1 ? stmt_int(s, 0) : 0;
		stmt_done(s);
	}
	buf_reset(&sql);
	buf_printf(
		&sql,
		"SELECT p.id, p.name, p.category, COALESCE(p.ocop_stars, a.ocop_stars), a.level,"
		" a.year, e.id, e.name, p.province_code, u.full_name, (SELECT MIN(ph.id) FROM"
		" product_photos ph WHERE ph.product_id = p.id AND ph.removed_at IS NULL)" LIST_FROM
		"%s ORDER BY p.name, p.id LIMIT ? OFFSET ?",
		buf_cstr(&w.sql));
	s = rc < 0 ? NULL : store_prepare_once(st, buf_cstr(&sql), e);
	buf_free(&sql);
	buf_free(&w.sql);
	if (!s)
		return rc < 0 ? rc : ERR_STORE;
	int pos = where_bind(s, &w);
	stmt_bind_int(s, pos++, q->limit > 0 ? q->limit : 24);
	stmt_bind_int(s, pos, q->offset > 0 ? q->offset : 0);
	json_t *arr = json_array();
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr, list_row(s));
	stmt_done(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

int catalogue_by_province(struct store *st, const struct catalogue_query *q, json_t **out,
			  struct err *e)
{
	struct catalogue_query all = *q;
	all.province = NULL;
	struct where w;
	where_build(&w, &all);
	struct buf sql = BUF_INIT;
	buf_printf(&sql,
		   "SELECT p.province_code, MIN(u.full_name), COUNT(*)" LIST_FROM
		   "%s GROUP BY p.province_code ORDER BY p.province_code",
		   buf_cstr(&w.sql));
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s) {
		buf_free(&w.sql);
		return ERR_STORE;
	}
	where_bind(s, &w);
	buf_free(&w.sql);
	json_t *rows = json_array();
	int rc;
	char key[16], text[48];
	while ((rc = stmt_step(s, e)) == 1) {
		if (!stmt_text(s, 0))
			continue;
		snprintf(key, sizeof key, "new:%s", stmt_text(s, 0));
		snprintf(text, sizeof text, "%lld sản phẩm", (long long)stmt_int(s, 2));
		json_array_append_new(
			rows, json_pack("{s:s,s:s?,s:I,s:i,s:s,s:s,s:s}", "key", key, "label",
					stmt_text(s, 1), "value", (json_int_t)stmt_int(s, 2), "scale",
					0, "qualifier", "exact", "text", text, "source", "records"));
	}
	stmt_done(s);
	if (rc < 0) {
		json_decref(rows);
		return rc;
	}
	*out = json_pack("{s:{s:s},s:o}", "query", "by", "province", "rows", rows);
	return 0;
}

/* ---- one product ----------------------------------------------------- */

/* The public columns of a maker (10: est_object() reads the first 9). */
#define EST_COLS                                                                           \
	"e.id, e.name, e.kind, cu.full_name, e.province_code, pu.full_name, v.id, v.name," \
	" e.founded_year, e.channels"
#define EST_JOINS                                                  \
	" LEFT JOIN units cu ON cu.id = e.commune_id" PROVINCE_OF( \
		"pu", "e.province_code") " LEFT JOIN villages v ON v.id = e.village_id"

static json_t *est_object(struct stmt *s, int c)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(stmt_int(s, c)));
	json_object_set_new(o, "name", text_or_null(s, c + 1));
	json_object_set_new(o, "kind", text_or_null(s, c + 2));
	json_object_set_new(o, "commune", text_or_null(s, c + 3));
	json_object_set_new(o, "province_code", text_or_null(s, c + 4));
	json_object_set_new(o, "province", text_or_null(s, c + 5));
	json_object_set_new(o, "village",
			    stmt_isnull(s, c + 6)
				    ? json_null()
				    : json_pack("{s:I,s:o}", "id", (json_int_t)stmt_int(s, c + 6),
						"name", text_or_null(s, c + 7)));
	json_object_set_new(o, "founded_year", int_or_null(s, c + 8));
	return o;
}

static int attach_photos(struct store *st, json_t *o, int64_t id, struct err *e)
{
	json_t *photos;
	if (photo_list(st, id, &photos, e) < 0)
		return ERR_STORE;
	json_t *ids = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(photos, i, p) json_array_append(ids, json_object_get(p, "id"));
	json_decref(photos);
	json_object_set_new(o, "photos", ids);
	return 0;
}

static json_t *product_row(struct stmt *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(stmt_int(s, 0)));
	json_object_set_new(o, "name", text_or_null(s, 1));
	json_object_set_new(o, "category", text_or_null(s, 2));
	json_object_set_new(o, "description", text_or_null(s, 3));
	json_object_set_new(o, "gtin", text_or_null(s, 4));
	json_object_set_new(o, "ocop_stars", int_or_null(s, 5));
	json_t *channels = json_col(s, 6);
	json_object_set_new(o, "award",
			    stmt_isnull(s, 7)
				    ? json_null()
				    : json_pack("{s:I,s:o,s:o}", "id", (json_int_t)stmt_int(s, 7),
						"level", text_or_null(s, 8), "year",
						int_or_null(s, 9)));
	json_object_set_new(o, "establishment", est_object(s, 10));
	/* A product without channels of its own sells through its maker's. */
	if (!json_is_array(channels) || !json_array_size(channels)) {
		json_decref(channels);
		channels = json_col(s, 19);
	}
	json_object_set_new(o, "channels", json_is_array(channels) ? channels : json_array());
	if (!json_is_array(channels))
		json_decref(channels);
	return o;
}

int catalogue_product(struct store *st, int64_t id, json_t **out, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT p.id, p.name, p.category, p.description, p.gtin,"
			      " COALESCE(p.ocop_stars, a.ocop_stars), p.channels, a.id, a.level, "
			      "a.year, " EST_COLS
			      " FROM products p JOIN establishments e ON e.id = p.establishment_id"
			      " LEFT JOIN awards a ON a.id = p.award_id" EST_JOINS
			      " WHERE p.id = ? AND p.published = 1",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, id);
	int rc = stmt_step(s, e);
	json_t *o = rc == 1 ? product_row(s) : NULL;
	stmt_done(s);
	if (rc == 0)
		return not_found(e, "sản phẩm", "product", id);
	if (rc < 0)
		return rc;
	if (attach_photos(st, o, id, e) < 0) {
		json_decref(o);
		return ERR_STORE;
	}
	*out = o;
	return 0;
}

/* ---- makers and villages --------------------------------------------- */

static int products_of(struct store *st, const char *key, int64_t id, json_t *o, struct err *e)
{
	struct catalogue_query q = {.limit = 200};
	if (!strcmp(key, "village_id"))
		q.village_id = id;
	else
		q.establishment_id = id;
	json_t *items;
	int64_t total;
	if (catalogue_list(st, &q, &items, &total, e) < 0)
		return ERR_STORE;
	json_object_set_new(o, "products", items);
	return (int)(total > 0);
}

int catalogue_establishment(struct store *st, int64_t id, json_t **out, struct err *e)
{
	struct stmt *s = store_prepare(
		st, "SELECT " EST_COLS " FROM establishments e" EST_JOINS " WHERE e.id = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, id);
	int rc = stmt_step(s, e);
	json_t *o = NULL;
	if (rc == 1) {
		o = est_object(s, 0);
		json_t *ch = json_col(s, 9);
		json_object_set_new(o, "channels", json_is_array(ch) ? ch : json_array());
		if (!json_is_array(ch))
			json_decref(ch);
	}
	stmt_done(s);
	if (rc < 0)
		return rc;
	/* A maker is public through its published products only. */
	rc = rc == 1 ? products_of(st, "establishment_id", id, o, e) : 0;
	json_t *awards = NULL;
	if (rc == 1 && catalogue_awards(st, 0, NULL, NULL, id, &awards, e) < 0)
		rc = ERR_STORE;
	if (rc <= 0) {
		json_decref(o);
		return rc < 0 ? rc : not_found(e, "cơ sở", "establishment", id);
	}
	json_object_set_new(o, "awards", awards);
	*out = o;
	return 0;
}

static json_t *village_row(struct stmt *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(stmt_int(s, 0)));
	json_object_set_new(o, "name", text_or_null(s, 1));
	json_object_set_new(o, "craft_group", text_or_null(s, 2));
	json_object_set_new(o, "craft", text_or_null(s, 3));
	json_object_set_new(o, "traditional", json_boolean(stmt_int(s, 4)));
	json_object_set_new(o, "recognised", json_boolean(stmt_int(s, 5)));
	json_object_set_new(o, "decision_no", text_or_null(s, 6));
	json_object_set_new(o, "decision_date", text_or_null(s, 7));
	json_object_set_new(o, "commune", text_or_null(s, 8));
	json_object_set_new(o, "province", text_or_null(s, 9));
	return o;
}

static int village_makers(struct store *st, int64_t id, json_t *o, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT DISTINCT e.id, e.name FROM establishments e JOIN products"
			      " p ON p.establishment_id = e.id WHERE e.village_id = ? AND"
			      " p.published = 1 ORDER BY e.name",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, id);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr, json_pack("{s:I,s:o}", "id", (json_int_t)stmt_int(s, 0),
						     "name", text_or_null(s, 1)));
	stmt_done(s);
	json_object_set_new(o, "establishments", arr);
	return rc;
}

int catalogue_village(struct store *st, int64_t id, json_t **out, struct err *e)
{
	struct stmt *s = store_prepare(
		st,
		"SELECT v.id, v.name, v.craft_group, v.craft, COALESCE(v.traditional, 0),"
		" COALESCE(v.recognised, 0), v.decision_no, v.decision_date, cu.full_name, "
		"pu.full_name"
		" FROM villages v LEFT JOIN units cu ON cu.id = v.commune_id" PROVINCE_OF(
			"pu", "v.province_code") " WHERE v.id = ?",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, id);
	int rc = stmt_step(s, e);
	json_t *o = rc == 1 ? village_row(s) : NULL;
	stmt_done(s);
	if (rc < 0)
		return rc;
	rc = rc == 1 ? products_of(st, "village_id", id, o, e) : 0;
	if (rc == 1 && village_makers(st, id, o, e) < 0)
		rc = ERR_STORE;
	if (rc <= 0) {
		json_decref(o);
		return rc < 0 ? rc : not_found(e, "làng nghề", "craft village", id);
	}
	*out = o;
	return 0;
}

/* ---- awards ---------------------------------------------------------- */

static json_t *award_row(struct stmt *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(stmt_int(s, 0)));
	json_object_set_new(o, "product_name", text_or_null(s, 1));
	json_object_set_new(o, "level", text_or_null(s, 2));
	json_object_set_new(o, "year", int_or_null(s, 3));
	json_object_set_new(o, "ocop_stars", int_or_null(s, 4));
	json_object_set_new(o, "product_group", text_or_null(s, 5));
	json_object_set_new(o, "establishment_id", json_integer(stmt_int(s, 6)));
	json_object_set_new(o, "establishment_name", text_or_null(s, 7));
	json_object_set_new(o, "establishment_public", json_boolean(stmt_int(s, 8) > 0));
	json_object_set_new(o, "product_id", int_or_null(s, 9));
	json_object_set_new(o, "province", text_or_null(s, 10));
	return o;
}

int catalogue_awards(struct store *st, int year, const char *level, const char *province,
		     int64_t establishment_id, json_t **out, struct err *e)
{
	struct where w;
	memset(&w, 0, sizeof w);
	where_int(&w, "a.year = ?", year);
	where_text(&w, "a.level = ?", level);
	where_text(&w, "a.province_code = ?", province);
	where_int(&w, "a.establishment_id = ?", establishment_id);
	struct buf sql = BUF_INIT;
	buf_printf(
		&sql,
		"SELECT a.id, a.product_name, a.level, a.year, a.ocop_stars, a.product_group, e.id,"
		" e.name, (SELECT COUNT(*) FROM products q WHERE q.establishment_id = e.id AND"
		" q.published = 1), (SELECT MIN(p.id) FROM products p WHERE p.award_id = a.id AND"
		" p.published = 1), pu.full_name FROM awards a JOIN establishments e ON e.id ="
		" a.establishment_id" PROVINCE_OF(
			"pu", "a.province_code") " WHERE (COALESCE(a.illustrative, 0) = 0 OR "
						 "EXISTS (SELECT 1 FROM products x WHERE"
						 " x.award_id = a.id AND x.published = 1))%s ORDER "
						 "BY a.year DESC, CASE a.level"
						 " WHEN 'national' THEN 1 WHEN 'region' THEN 2 "
						 "WHEN 'province' THEN 3 ELSE 4 END,"
						 " a.product_name, a.id LIMIT 2000",
		buf_cstr(&w.sql));
	struct stmt *s = store_prepare_once(st, buf_cstr(&sql), e);
	buf_free(&sql);
	buf_free(&w.sql);
	if (!s)
		return ERR_STORE;
	where_bind(s, &w);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr, award_row(s));
	stmt_done(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

/* ---- lots ------------------------------------------------------------ */

static int lot_events(struct store *st, int64_t lot_id, json_t *o, struct err *e)
{
	struct stmt *s = store_prepare(st,
				       "SELECT event_date, what, place, who FROM lot_events WHERE"
				       " lot_id = ? ORDER BY event_date, id",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, lot_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr,
				      json_pack("{s:o,s:o,s:o,s:o}", "date", text_or_null(s, 0),
						"what", text_or_null(s, 1), "place",
						text_or_null(s, 2), "who", text_or_null(s, 3)));
	stmt_done(s);
	json_object_set_new(o, "events", arr);
	return rc;
}

static json_t *lot_row(struct stmt *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(stmt_int(s, 0)));
	json_object_set_new(o, "lot_code", text_or_null(s, 1));
	json_object_set_new(o, "production_date", text_or_null(s, 2));
	json_object_set_new(o, "expiry_date", text_or_null(s, 3));
	json_object_set_new(o, "quantity", int_or_null(s, 4));
	json_object_set_new(o, "quantity_unit", text_or_null(s, 5));
	json_object_set_new(o, "inputs", json_col(s, 6));
	json_object_set_new(o, "recalled", json_boolean(stmt_int(s, 7)));
	json_object_set_new(o, "recall_reason", text_or_null(s, 8));
	return o;
}

int catalogue_lot(struct store *st, int64_t lot_id, json_t **out, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT l.id, l.lot_code, l.production_date, l.expiry_date,"
			      " l.quantity, l.quantity_unit, l.inputs,"
			      " COALESCE(l.recalled, 0), l.recall_reason, l.product_id FROM"
			      " lots l JOIN products p ON p.id = l.product_id WHERE l.id = ?"
			      " AND p.published = 1",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, lot_id);
	int rc = stmt_step(s, e);
	json_t *o = rc == 1 ? lot_row(s) : NULL;
	int64_t product = rc == 1 ? stmt_int(s, 9) : 0;
	stmt_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return not_found(e, "lô sản phẩm", "lot", lot_id);
	json_t *p = NULL;
	rc = lot_events(st, lot_id, o, e);
	if (rc >= 0)
		rc = catalogue_product(st, product, &p, e);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "product", p);
	*out = o;
	return 0;
}

int catalogue_lot_find(struct store *st, const char *gtin14, const char *lot_code, int64_t *lot_id,
		       struct err *e)
{
	int rc = store_int(st, e, lot_id,
			   "SELECT l.id FROM lots l JOIN products p ON p.id = l.product_id WHERE"
			   " p.gtin = ? AND l.lot_code = ? AND p.published = 1",
			   "tt", gtin14, lot_code);
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "lot",
			       "Không có lô %s của GTIN %s / no lot %s of GTIN %s", lot_code,
			       gtin14, lot_code, gtin14);
	return rc < 0 ? rc : 0;
}

int catalogue_product_find(struct store *st, const char *gtin14, int64_t *product_id, struct err *e)
{
	int rc = store_int(st, e, product_id,
			   "SELECT id FROM products WHERE gtin = ? AND published = 1", "t", gtin14);
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "gtin",
			       "Không có sản phẩm GTIN %s / no product with GTIN %s", gtin14,
			       gtin14);
	return rc < 0 ? rc : 0;
}

/* Appends the rows of a two-column query (id or code, name) to arr. */
static int pairs(struct store *st, const char *sql, const char *bind, json_t *arr, int int_key,
		 struct err *e)
{
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	if (bind)
		stmt_bind_text(s, 1, bind);
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(
			arr, json_pack("{s:o,s:o}", int_key ? "id" : "code",
				       int_key ? json_integer(stmt_int(s, 0)) : text_or_null(s, 0),
				       "name", text_or_null(s, 1)));
	stmt_done(s);
	return rc;
}

int catalogue_filters(struct store *st, const char *province, json_t **out, struct err *e)
{
	json_t *o = json_object(), *prov = json_array(), *vil = json_array();
	json_object_set_new(o, "provinces", prov);
	json_object_set_new(o, "villages", vil);
	/* Today's 34 provinces: a constant list, no scan of the products. */
	struct unit_province *u;
	size_t n;
	int rc = unit_provinces(st, "new", &u, &n, e);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		json_array_append_new(prov,
				      json_pack("{s:s,s:s}", "code", u[i].code, "name", u[i].name));
	if (rc >= 0)
		free(u);
	/* Villages only within a province: a national list would be thousands long. */
	if (rc >= 0 && province && *province)
		rc = pairs(st,
			   "SELECT DISTINCT v.id, v.name FROM products p JOIN establishments e ON "
			   "e.id ="
			   " p.establishment_id JOIN villages v ON v.id = e.village_id WHERE"
			   " p.province_code = ? AND p.published = 1 ORDER BY v.name",
			   province, vil, 1, e);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
