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

static void ref_select(struct resp *w, const struct field *f, const struct entity *target,
		       json_t *items, int64_t cur)
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
		/* Typed text (a form shown again) stays in a text box, as typed. */
		int typed = val && *val && !val_id(val);
		struct list_query qy = {.limit = PICKER_SELECT_MAX,
					.sort = entity_title(target)->name};
		json_t *items = NULL;
		int64_t total = 0;
		struct err e;
		if (!typed && record_list(r->st, &r->actor, target, &qy, &items, &total, &e) == 0 &&
		    total <= PICKER_SELECT_MAX) {
			ref_select(w, f, target, items, val_id(val));
			json_decref(items);
			return;
		}
		json_decref(items);
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

/* ---- a lot's inputs as rows ----------------------------------------- */

static const char *const row_cols[] = {"name", "origin", "supplier", "quantity"};
enum { ROW_COLS = 4, ROWS_BLANK = 3 };

int picker_has_rows(const struct entity *ent, const struct field *f)
{
	return !strcmp(ent->collection, "lots") && !strcmp(f->name, "inputs");
}

static void row_cell(struct req *r, struct resp *w, int col, int row, const char *v)
{
	static const char *const label_keys[] = {"pick.input_name", "pick.input_origin",
						 "pick.input_supplier", "pick.input_quantity"};
	page_printf(w, "<td><input name=\"inputs_%h\"", row_cols[col]);
	if (!row && !col)
		page_printf(w, " id=\"in-inputs\"");
	page_printf(w, " value=\"%h\" aria-label=\"%h %d\"", v ? v : "", T(r, label_keys[col]),
		    row + 1);
	if (col == 1) /* where from: a commune, new or old, as text */
		page_printf(w,
			    " class=\"picker\" data-plain=\"1\" autocomplete=\"off\" "
			    "data-suggest=\"/api/v1/suggest/establishments/commune_id\" "
			    "placeholder=\"%h\"",
			    T(r, "pick.commune"));
	page_printf(w, "></td>");
}

/* The inputs {"name": {"origin", "supplier", "quantity"}} (or "name":
 * "origin") as a table of rows, and blank rows to add more. */
void picker_rows_input(struct req *r, struct resp *w, const char *val)
{
	json_t *in = val && *val ? json_loads(val, 0, NULL) : json_object();
	if (!json_is_object(in)) { /* not an object: kept as it was typed */
		json_decref(in);
		page_printf(w,
			    "<textarea name=\"inputs\" id=\"in-inputs\" rows=\"3\">%h</textarea>",
			    val);
		return;
	}
	page_printf(w,
		    "<div class=\"scroll\"><table class=\"rows\" id=\"inputs-rows\"><thead><tr>"
		    "<th>%h</th><th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
		    T(r, "pick.input_name"), T(r, "pick.input_origin"), T(r, "pick.input_supplier"),
		    T(r, "pick.input_quantity"));
	int row = 0;
	const char *name;
	json_t *v;
	json_object_foreach(in, name, v)
	{
		page_printf(w, "<tr>");
		row_cell(r, w, 0, row, name);
		for (int c = 1; c < ROW_COLS; c++)
			row_cell(r, w, c, row,
				 json_is_string(v)
					 ? (c == 1 ? json_string_value(v) : "")
					 : json_string_value(json_object_get(v, row_cols[c])));
		page_printf(w, "</tr>");
		row++;
	}
	for (int k = 0; k < ROWS_BLANK; k++, row++) {
		page_printf(w, "<tr>");
		for (int c = 0; c < ROW_COLS; c++)
			row_cell(r, w, c, row, "");
		page_printf(w, "</tr>");
	}
	page_printf(w, "</tbody></table></div>");
	json_decref(in);
}

/* The n-th posted value of key, or "". */
static const char *nth_form(struct req *r, const char *key, int n)
{
	for (int i = 0; i < r->nform; i++)
		if (!strcmp(r->form[i].key, key) && n-- == 0)
			return r->form[i].value;
	return "";
}

void picker_rows_posted(struct req *r, const struct entity *ent, json_t *in, json_t *echo,
			int update)
{
	const struct field *f = entity_field(ent, "inputs");
	int rows = 0;
	for (int i = 0; i < r->nform; i++)
		rows += !strcmp(r->form[i].key, "inputs_name");
	if (!f || !picker_has_rows(ent, f) || !rows)
		return;
	json_t *obj = json_object();
	for (int n = 0; n < rows; n++) {
		const char *cell[ROW_COLS];
		int any = 0;
		for (int c = 0; c < ROW_COLS; c++) {
			char key[32];
			snprintf(key, sizeof key, "inputs_%s", row_cols[c]);
			cell[c] = nth_form(r, key, n);
			any |= *cell[c] != 0;
		}
		if (!any)
			continue;
		/* An empty name or origin is kept: the lot's rules say what is missing. */
		json_t *entry = json_pack("{s:s}", "origin", cell[1]);
		for (int c = 2; c < ROW_COLS; c++)
			if (*cell[c])
				json_object_set_new(entry, row_cols[c], json_string(cell[c]));
		json_object_set_new(obj, cell[0], entry);
	}
	char *text = json_dumps(obj, JSON_COMPACT);
	json_object_set_new(echo, "inputs", json_string(text ? text : "{}"));
	free(text);
	if (json_object_size(obj))
		json_object_set_new(in, "inputs", obj);
	else {
		if (update)
			json_object_set_new(in, "inputs", json_null());
		json_decref(obj);
	}
}

void picker_rows_view(struct req *r, struct resp *w, json_t *v)
{
	page_printf(w,
		    "<table class=\"rows\"><thead><tr><th>%h</th><th>%h</th><th>%h</th><th>%h"
		    "</th></tr></thead><tbody>",
		    T(r, "pick.input_name"), T(r, "pick.input_origin"), T(r, "pick.input_supplier"),
		    T(r, "pick.input_quantity"));
	const char *name;
	json_t *e;
	json_object_foreach(v, name, e)
	{
		page_printf(w, "<tr><td>%h</td>", name);
		for (int c = 1; c < ROW_COLS; c++) {
			const char *t =
				json_is_string(e)
					? (c == 1 ? json_string_value(e) : NULL)
					: json_string_value(json_object_get(e, row_cols[c]));
			page_printf(w, "<td>%h</td>", t ? t : "");
		}
		page_printf(w, "</tr>");
	}
	page_printf(w, "</tbody></table>");
}
