/* page_picker.c - reference fields of forms as people fill them: a select
 * among few records, else a text box for a code or a name that picker.js
 * completes as the user types (and the server resolves on submit, so it
 * works without JavaScript too). */
#include "web/page_picker.h"

#include "io/record_view.h"
#include "model/record.h"
#include "model/record_ref.h"
#include "web/page.h"

#include <stdlib.h>
#include <string.h>

/* The id val names: "12" or "#12 …"; 0 for typed text. */
static int64_t val_id(const char *val)
{
	if (!val)
		return 0;
	const char *p = val[0] == '#' ? val + 1 : val;
	char *end;
	long long n = strtoll(p, &end, 10);
	if (end == p || n <= 0 || (*end && (val[0] != '#' || *end != ' ')))
		return 0;
	return n;
}

static void ref_select(struct req *r, struct resp *w, const struct field *f,
		       const struct entity *target, json_t *items, int64_t cur)
{
	page_printf(w, "<select name=\"%h\" id=\"in-%h\"><option value=\"\">—</option>", f->name,
		    f->name);
	int found = 0;
	size_t i;
	json_t *rec;
	json_array_foreach(items, i, rec)
	{
		int64_t id = json_integer_value(json_object_get(rec, "id"));
		struct buf l = BUF_INIT, v = BUF_INIT;
		record_ref_label(&l, target, rec);
		buf_printf(&v, "%lld", (long long)id);
		page_option(w, buf_cstr(&v), buf_cstr(&l), id == cur);
		found |= id == cur;
		buf_free(&l);
		buf_free(&v);
	}
	if (cur && !found) { /* kept, not lost, when the user may not see it */
		char v[24];
		snprintf(v, sizeof v, "%lld", (long long)cur);
		page_option(w, v, v, 1);
	}
	(void)r;
	page_printf(w, "</select>");
}

/* What the text box shows: "#12 Name (code)" for a known record. */
static const char *ref_display(struct req *r, const struct entity *target, const char *val)
{
	int64_t id = val_id(val);
	json_t *rec;
	struct err e;
	if (!id || record_get(r->st, &r->actor, target, id, &rec, &e) < 0)
		return val;
	struct buf b = BUF_INIT;
	buf_printf(&b, "#%lld ", (long long)id);
	record_ref_label(&b, target, rec);
	json_decref(rec);
	const char *s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static const char *hint_key(const struct field *f)
{
	if (f->type == F_UNIT)
		return f->ref && !strcmp(f->ref, "commune") ? "pick.commune" : "pick.unit";
	return !strcmp(f->ref, "establishments") ? "pick.establishment" : "pick.record";
}

void picker_input(struct req *r, struct resp *w, const struct entity *ent, const struct field *f,
		  const char *val)
{
	if (f->type == F_REF) {
		const struct entity *target = entity_find(f->ref);
		struct list_query qy = {.limit = PICKER_SELECT_MAX,
					.sort = entity_title(target)->name};
		json_t *items;
		int64_t total;
		struct err e;
		if (record_list(r->st, &r->actor, target, &qy, &items, &total, &e) == 0) {
			int few = total <= PICKER_SELECT_MAX;
			if (few && (!val || !*val || val_id(val)))
				ref_select(r, w, f, target, items, val_id(val));
			json_decref(items);
			if (few && (!val || !*val || val_id(val)))
				return;
		}
		val = ref_display(r, target, val);
	}
	page_printf(
		w,
		"<input name=\"%h\" id=\"in-%h\" value=\"%h\" class=\"picker\" "
		"data-suggest=\"/api/v1/suggest/%h/%h\" placeholder=\"%h\" autocomplete=\"off\">",
		f->name, f->name, val ? val : "", ent->collection, f->name, T(r, hint_key(f)));
}

void picker_script(struct resp *w)
{
	page_printf(w, "<script src=\"/static/picker.js\" defer></script>");
}

/* Copies into vals what the record a prefilled reference names has of the
 * same name: a plan's province, year and programme for its new project; a
 * project's main establishment and year for its new model or machinery. */
static void prefill_from(struct req *r, const struct entity *ent, const struct field *ref,
			 json_t *vals)
{
	const struct entity *parent = entity_find(ref->ref);
	int64_t id = val_id(json_string_value(json_object_get(vals, ref->name)));
	json_t *rec;
	struct err e;
	if (!id || record_get(r->st, &r->actor, parent, id, &rec, &e) < 0)
		return;
	for (const struct field *f = ent->fields; f->name; f++) {
		const struct field *pf = entity_field(parent, f->name);
		json_t *v = json_object_get(rec, f->name);
		if (!pf || pf->type != f->type || (f->flags & FF_READONLY) || !v ||
		    json_is_null(v) || json_object_get(vals, f->name) ||
		    (f->type != F_PROVINCE && f->type != F_YEAR && f->type != F_REF))
			continue;
		struct buf t = BUF_INIT;
		view_input(&t, pf, rec);
		json_object_set_new(vals, f->name, json_string(buf_cstr(&t)));
		buf_free(&t);
	}
	json_decref(rec);
}

void picker_prefill(struct req *r, const struct entity *ent, json_t *vals)
{
	for (const struct field *f = ent->fields; f->name; f++)
		if (f->type == F_REF && json_object_get(vals, f->name))
			prefill_from(r, ent, f, vals);
}
