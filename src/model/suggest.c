/* suggest.c - the choices a picker offers while the user types: records
 * within the user's scope; units of the field's era and level, a commune of
 * today also found by the name of an old commune merged into it. */
#include "model/suggest.h"

#include "model/record.h"
#include "model/record_ref.h"
#include "model/unit.h"

#include <string.h>

static void add(json_t *items, int64_t id, const char *label, const char *hint)
{
	struct buf v = BUF_INIT;
	buf_printf(&v, "#%lld %s", (long long)id, label);
	json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "value", buf_cstr(&v), "label",
					       label, "hint", hint ? hint : ""));
	buf_free(&v);
}

/* Where and when, to tell apart records of one name: "Xã Mễ Sở · 2026". */
static void record_hint(struct buf *h, const struct entity *ent, json_t *rec)
{
	const char *place = json_string_value(json_object_get(rec, "commune_id_name"));
	if (!place)
		place = json_string_value(json_object_get(rec, "province_name"));
	if (place)
		buf_puts(h, place);
	json_t *y = ent->year_field ? json_object_get(rec, ent->year_field) : NULL;
	if (json_is_integer(y))
		buf_printf(h, "%s%lld", h->len ? " · " : "", (long long)json_integer_value(y));
	else if (json_is_string(y))
		buf_printf(h, "%s%s", h->len ? " · " : "", json_string_value(y));
}

static int suggest_records(struct store *st, const struct actor *a, const struct field *f,
			   const char *q, int limit, json_t *out, struct err *e)
{
	const struct entity *target = entity_find(f->ref);
	struct list_query qy = {.q = q, .limit = limit, .sort = entity_title(target)->name};
	json_t *items;
	int64_t total;
	if (record_list(st, a, target, &qy, &items, &total, e) < 0)
		return ERR_INVALID;
	size_t i;
	json_t *rec;
	json_array_foreach(items, i, rec)
	{
		struct buf l = BUF_INIT;
		record_ref_label(&l, target, rec);
		struct buf h = BUF_INIT;
		record_hint(&h, target, rec);
		add(out, json_integer_value(json_object_get(rec, "id")), buf_cstr(&l),
		    buf_cstr(&h));
		buf_free(&l);
		buf_free(&h);
	}
	json_decref(items);
	return 0;
}

/* Is unit id already offered? */
static int offered(json_t *out, int64_t id)
{
	char p[32];
	int n = snprintf(p, sizeof p, "#%lld ", (long long)id);
	size_t i;
	json_t *o;
	json_array_foreach(out, i, o) if (!strncmp(json_string_value(json_object_get(o, "value")),
						   p, (size_t)n)) return 1;
	return 0;
}

/* "Xã Mễ Sở, Hưng Yên": a unit with today's province, to tell apart the
 * many communes of one name. Appended to b. */
static void unit_label(struct buf *b, json_t *u)
{
	const char *p =
		json_string_value(json_object_get(json_object_get(u, "today_province"), "name"));
	const char *level = json_string_value(json_object_get(u, "level"));
	buf_puts(b, json_string_value(json_object_get(u, "full_name")));
	if (p && *p && level && strcmp(level, "province"))
		buf_printf(b, ", %s", p);
}

static int suggest_units(struct store *st, const struct actor *a, const struct field *f,
			 const char *q, int limit, json_t *out, struct err *e)
{
	const char *ref = f->ref ? f->ref : "";
	int old = !strcmp(ref, "old");
	const char *level = !strcmp(ref, "commune") || !strcmp(ref, "province") ? ref : NULL;
	const char *prov = actor_reads_all(a) ? NULL : a->province;
	struct unit_query uq = {q, old ? "old" : "new", level, prov, limit, 0};
	json_t *items;
	if (unit_search(st, &uq, &items, NULL, e) < 0)
		return ERR_INVALID;
	size_t i;
	json_t *u;
	json_array_foreach(items, i, u)
	{
		struct buf l = BUF_INIT;
		unit_label(&l, u);
		add(out, json_integer_value(json_object_get(u, "id")), buf_cstr(&l), NULL);
		buf_free(&l);
	}
	json_decref(items);
	if (old || (level && strcmp(level, "commune")))
		return 0;
	/* Today's communes by the name of an old one merged into them. */
	struct unit_query oq = {q, "old", "commune", prov, limit, 0};
	if (unit_search(st, &oq, &items, NULL, e) < 0)
		return ERR_INVALID;
	json_array_foreach(items, i, u)
	{
		size_t j;
		json_t *s;
		const char *district = json_string_value(json_object_get(u, "district_name"));
		json_array_foreach(json_object_get(u, "successors"), j, s)
		{
			int64_t id = json_integer_value(json_object_get(s, "id"));
			if (json_array_size(out) >= (size_t)limit || offered(out, id))
				continue;
			struct buf l = BUF_INIT, h = BUF_INIT;
			buf_puts(&l, json_string_value(json_object_get(s, "full_name")));
			const char *p = json_string_value(
				json_object_get(json_object_get(u, "today_province"), "name"));
			if (p && *p)
				buf_printf(&l, ", %s", p);
			buf_printf(&h, "← %s", json_string_value(json_object_get(u, "full_name")));
			if (district && *district)
				buf_printf(&h, ", %s", district);
			add(out, id, buf_cstr(&l), buf_cstr(&h));
			buf_free(&l);
			buf_free(&h);
		}
	}
	json_decref(items);
	return 0;
}

int suggest(struct store *st, const struct actor *a, const struct field *f, const char *q,
	    int limit, json_t **items, struct err *e)
{
	*items = NULL;
	if (limit < 1 || limit > SUGGEST_MAX)
		limit = SUGGEST_MAX;
	if (f->type != F_REF && f->type != F_UNIT)
		return err_set(
			e, ERR_INVALID, "field",
			"Trường %s không chọn từ danh sách / field %s is not picked from a list",
			f->name, f->name);
	json_t *out = json_array();
	int rc = f->type == F_REF ? suggest_records(st, a, f, q, limit, out, e)
				  : suggest_units(st, a, f, q, limit, out, e);
	if (rc < 0) {
		json_decref(out);
		return rc;
	}
	*items = out;
	return 0;
}
