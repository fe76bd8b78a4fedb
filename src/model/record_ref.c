/* record_ref.c - references typed as people know the record: its code, tax
 * code or exact name (marks optional), or "#id …" as the pickers fill in;
 * resolved within what the user may see, ambiguity told with candidates. */
#include "model/record_ref.h"

#include "core/vtext.h"
#include "model/record.h"

#include <stdlib.h>
#include <string.h>

enum { REF_SCAN = 200, REF_SHOWN = 5, REF_ID_DIGITS = 7 };

/* The first unique text field (a code, a tax code, a GTIN), or NULL. */
static const struct field *code_field(const struct entity *ent)
{
	for (const struct field *f = ent->fields; f->name; f++)
		if ((f->flags & FF_UNIQUE) && f->type == F_TEXT)
			return f;
	return NULL;
}

void record_ref_label(struct buf *b, const struct entity *ent, json_t *rec)
{
	const struct field *t = entity_title(ent), *c = code_field(ent);
	json_t *tv = json_object_get(rec, t->name);
	if (json_is_string(tv))
		buf_puts(b, json_string_value(tv));
	else if (json_is_integer(tv))
		buf_printf(b, "%lld", (long long)json_integer_value(tv));
	const char *code = c ? json_string_value(json_object_get(rec, c->name)) : NULL;
	if (code && *code)
		buf_printf(b, " (%s)", code);
}

/* Folded texts equal ("Hưng Yên" and "hung yen"). */
static int same_folded(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	char *fa = vtext_fold(a), *fb = vtext_fold(b);
	int same = *fa && !strcmp(fa, fb);
	free(fa);
	free(fb);
	return same;
}

static int exact_match(const struct entity *ent, json_t *rec, const char *text)
{
	const struct field *c = code_field(ent);
	if (c && same_folded(json_string_value(json_object_get(rec, c->name)), text))
		return 1;
	return same_folded(json_string_value(json_object_get(rec, entity_title(ent)->name)), text);
}

/* "#3 Tên (mã), #7 Tên" for a message. */
static void list_candidates(struct buf *b, const struct entity *ent, json_t *items,
			    const char *only)
{
	size_t i, n = 0;
	json_t *rec;
	json_array_foreach(items, i, rec)
	{
		if (only && !exact_match(ent, rec, only))
			continue;
		if (n++ == REF_SHOWN) {
			buf_puts(b, ", …");
			break;
		}
		buf_printf(b, "%s#%lld ", n > 1 ? ", " : "",
			   (long long)json_integer_value(json_object_get(rec, "id")));
		record_ref_label(b, ent, rec);
	}
}

static int ref_error(const struct field *f, const struct entity *target, json_t *items,
		     const char *text, int nexact, struct err *e)
{
	struct buf c = BUF_INIT;
	int rc;
	if (nexact > 1) {
		list_candidates(&c, target, items, text);
		rc = err_set(e, ERR_INVALID, f->name,
			     "%s: “%s” khớp với nhiều bản ghi: %s; hãy chọn một (gõ “#số”) / “%s” "
			     "matches several records: %s; choose one (type “#number”)",
			     f->vi, text, buf_cstr(&c), text, buf_cstr(&c));
	} else if (json_array_size(items)) {
		list_candidates(&c, target, items, NULL);
		rc = err_set(
			e, ERR_INVALID, f->name,
			"%s: không có %s nào có mã hoặc tên đúng là “%s”; có thể là: %s / no %s "
			"has the code or name “%s”; did you mean: %s",
			f->vi, target->vi, text, buf_cstr(&c), target->en, text, buf_cstr(&c));
	} else {
		rc = err_set(
			e, ERR_INVALID, f->name,
			"%s: không tìm thấy %s nào theo “%s” (gõ mã, tên hoặc chọn trong danh "
			"sách) / no %s found for “%s” (type a code or a name, or pick from the "
			"list)",
			f->vi, target->vi, text, target->en, text);
	}
	buf_free(&c);
	return rc;
}

int record_ref_resolve(struct store *st, const struct actor *a, const struct field *f,
		       const char *text, int64_t *id, struct err *e)
{
	const struct entity *target = entity_find(f->ref);
	while (*text == ' ')
		text++;
	if (text[0] == '#') { /* "#12 Tên" as a picker fills it in */
		char *end;
		long long n = strtoll(text + 1, &end, 10);
		if (end == text + 1 || n <= 0 || (*end && *end != ' '))
			return err_set(e, ERR_INVALID, f->name,
				       "%s: “%s” không phải số hiệu bản ghi / "
				       "“%s” is not a record number",
				       f->vi, text, text);
		*id = n;
		return 0;
	}
	/* A short number is a record number, as the API and imports have always
	 * sent it (no search per imported row); codes and tax codes are longer. */
	if (vtext_is_digits(text) && strlen(text) <= REF_ID_DIGITS) {
		*id = atoll(text);
		return 0;
	}
	struct list_query qy = {.q = text, .limit = REF_SCAN};
	json_t *items;
	int64_t total;
	if (record_list(st, a, target, &qy, &items, &total, e) < 0)
		return ERR_INVALID;
	int nexact = 0;
	size_t i;
	json_t *rec;
	json_array_foreach(items, i, rec) if (exact_match(target, rec, text))
	{
		if (!nexact++)
			*id = json_integer_value(json_object_get(rec, "id"));
	}
	int rc = nexact == 1 ? 0 : ref_error(f, target, items, text, nexact, e);
	json_decref(items);
	return rc;
}

int record_refs_resolve(struct store *st, const struct actor *a, const struct entity *ent,
			json_t *in, struct err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(in, key, v)
	{
		const struct field *f = entity_field(ent, key);
		if (!f || f->type != F_REF || !json_is_string(v) || !*json_string_value(v))
			continue;
		int64_t id;
		if (record_ref_resolve(st, a, f, json_string_value(v), &id, e) < 0)
			return ERR_INVALID;
		json_object_set_new(in, key, json_integer(id));
	}
	return 0;
}
