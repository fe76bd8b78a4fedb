/* product_rules.c - rules of products, lots and lot events that involve
 * several fields or other records. */
#include "model/product_rules.h"

#include "core/vtext.h"
#include "model/trace.h"

#include <stdlib.h>
#include <string.h>

enum { INPUTS_MAX = 50, INPUT_NAME_MAX = 200, INPUT_TEXT_MAX = 500 };

static int64_t rec_int(json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static void default_false(json_t *rec, const char *key)
{
	if (!json_is_boolean(json_object_get(rec, key)))
		json_object_set_new(rec, key, json_false());
}

static int product_check(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)ent;
	const char *gtin = json_string_value(json_object_get(rec, "gtin"));
	if (gtin) {
		char g[GTIN_TEXT];
		if (gtin_check(gtin, g, e) < 0)
			return ERR_INVALID;
		json_object_set_new(rec, "gtin", json_string(g));
	}
	int64_t est = rec_int(rec, "establishment_id"), award = rec_int(rec, "award_id");
	int64_t id = rec_int(rec, "id"), moved = 0, owner = 0;
	if (id > 0) {
		int rc = store_int(
			st, e, &moved,
			"SELECT COUNT(*) FROM lots WHERE product_id = ? AND establishment_id <> ?",
			"ii", id, est);
		if (rc < 0)
			return rc;
		if (moved > 0)
			return err_set(e, ERR_INVALID, "establishment_id",
				       "Sản phẩm đã có lô không chuyển được sang cơ sở khác / a "
				       "product with "
				       "lots cannot move to another establishment");
	}
	if (award > 0) {
		int rc = store_int(st, e, &owner,
				   "SELECT establishment_id FROM awards WHERE id = ?", "i", award);
		if (rc < 0)
			return rc;
		if (owner != est)
			return err_set(
				e, ERR_INVALID, "award_id",
				"Công nhận này thuộc cơ sở khác / this award belongs to another "
				"establishment");
	}
	default_false(rec, "published");
	return 0;
}

/* A normalised copy of one text of the inputs, or NULL (e filled). */
static json_t *input_text(json_t *v, size_t max, struct err *e)
{
	const char *s = json_string_value(v);
	if (!s || !*s || strlen(s) > max) {
		err_set(e, ERR_INVALID, "inputs",
			"Nguyên liệu: tên và nguồn gốc là chuỗi ký tự không rỗng, không quá dài / "
			"inputs: names and origins are non-empty, not too long texts");
		return NULL;
	}
	char *n = vtext_normalize(s, "inputs", e);
	if (!n)
		return NULL;
	json_t *out = json_string(n);
	free(n);
	return out;
}

/* {"origin", "supplier", "quantity"} of one input, from a string (the
 * origin) or an object; NULL when malformed. */
static json_t *input_entry(json_t *v, struct err *e)
{
	json_t *out = json_object();
	if (json_is_string(v)) {
		json_t *o = input_text(v, INPUT_TEXT_MAX, e);
		if (!o) {
			json_decref(out);
			return NULL;
		}
		json_object_set_new(out, "origin", o);
		return out;
	}
	const char *k;
	json_t *x;
	if (json_is_object(v) && json_is_string(json_object_get(v, "origin"))) {
		json_object_foreach(v, k, x) {
			json_t *t = strcmp(k, "origin") && strcmp(k, "supplier") &&
						    strcmp(k, "quantity")
					    ? NULL
					    : input_text(x, INPUT_TEXT_MAX, e);
			if (!t) {
				json_decref(out);
				return NULL;
			}
			json_object_set_new(out, k, t);
		}
		return out;
	}
	json_decref(out);
	err_set(e, ERR_INVALID, "inputs",
		"Nguyên liệu ghi dạng {\"Nghệ tươi\": \"Khoái Châu, Hưng Yên\"} hoặc {\"Nghệ "
		"tươi\": "
		"{\"origin\": \"…\", \"supplier\": \"…\", \"quantity\": \"…\"}} / inputs are "
		"{\"name\": \"origin\"} or {\"name\": {\"origin\", \"supplier\", \"quantity\"}}");
	return NULL;
}

static int inputs_check(json_t *rec, struct err *e)
{
	json_t *in = json_object_get(rec, "inputs");
	if (!json_is_object(in))
		return 0;
	if (json_object_size(in) > INPUTS_MAX)
		return err_set(e, ERR_TOOBIG, "inputs",
			       "Tối đa 50 nguyên liệu / at most 50 inputs");
	json_t *out = json_object();
	const char *name;
	json_t *v;
	json_object_foreach(in, name, v) {
		json_t *key = json_string(name);
		json_t *nk = key ? input_text(key, INPUT_NAME_MAX, e) : NULL;
		json_t *entry = nk ? input_entry(v, e) : NULL;
		json_decref(key);
		if (!entry) {
			json_decref(nk);
			json_decref(out);
			return ERR_INVALID;
		}
		json_object_set_new(out, json_string_value(nk), entry);
		json_decref(nk);
	}
	json_object_set_new(rec, "inputs", json_object_size(out) ? out : json_null());
	if (!json_object_size(out))
		json_decref(out);
	return 0;
}

static int lot_code_unique(struct store *st, json_t *rec, struct err *e)
{
	const char *code = json_string_value(json_object_get(rec, "lot_code"));
	if (!code)
		return 0;
	if (lot_code_check(code, e) < 0)
		return ERR_INVALID;
	int64_t other = 0;
	int rc = store_int(st, e, &other,
			   "SELECT id FROM lots WHERE product_id = ? AND lot_code = ? AND id <> ?",
			   "iti", rec_int(rec, "product_id"), code, rec_int(rec, "id"));
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(
			e, ERR_CONFLICT, "lot_code",
			"Sản phẩm đã có lô %s (bản ghi số %lld) / the product already has lot %s "
			"(record %lld)",
			code, (long long)other, code, (long long)other);
	return 0;
}

static int lot_check(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)ent;
	int64_t est = 0;
	int rc = store_int(st, e, &est, "SELECT establishment_id FROM products WHERE id = ?", "i",
			   rec_int(rec, "product_id"));
	if (rc < 0)
		return rc;
	json_object_set_new(rec, "establishment_id", rc == 1 ? json_integer(est) : json_null());
	if ((rc = lot_code_unique(st, rec, e)) < 0 || (rc = inputs_check(rec, e)) < 0)
		return rc;
	default_false(rec, "recalled");
	if (json_is_true(json_object_get(rec, "recalled")) &&
	    !json_is_string(json_object_get(rec, "recall_reason")))
		return err_set(e, ERR_INVALID, "recall_reason",
			       "Lô bị thu hồi cần ghi lý do / a recalled lot needs the reason");
	const char *made = json_string_value(json_object_get(rec, "production_date"));
	const char *best = json_string_value(json_object_get(rec, "expiry_date"));
	if (made && best && strcmp(best, made) < 0)
		return err_set(
			e, ERR_INVALID, "expiry_date",
			"Hạn sử dụng trước ngày sản xuất / the best-before date is before the "
			"production date");
	return 0;
}

static int lot_event_check(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)ent;
	int64_t est = 0;
	int rc = store_int(st, e, &est, "SELECT establishment_id FROM lots WHERE id = ?", "i",
			   rec_int(rec, "lot_id"));
	if (rc < 0)
		return rc;
	json_object_set_new(rec, "establishment_id", rc == 1 ? json_integer(est) : json_null());
	return 0;
}

/* The rules above stop at their first error; a form lists it with the
 * errors of the other fields. */
static int to_list(int rc, const struct err *e, struct errs *l)
{
	return rc < 0 ? errs_add(l, e) : 0;
}

int product_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	struct err e;
	return to_list(product_check(st, ent, rec, &e), &e, l);
}

int lot_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	struct err e;
	return to_list(lot_check(st, ent, rec, &e), &e, l);
}

int lot_event_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	struct err e;
	return to_list(lot_event_check(st, ent, rec, &e), &e, l);
}
