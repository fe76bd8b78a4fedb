/* import_formats.c - the import formats, read from the record types'
 * descriptions (entities.c: keys and aliases): the headers a column may
 * carry (besides the field's own name and labels), and the natural keys
 * that make re-importing a file idempotent. docs/import.md, the /import
 * page and the templates are generated from them. The lookups here are reads built from the entity
 * descriptions (names never come from input; values are bound). */
#include "io/import.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "model/entities_rules.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Headers that are known but map to no field. */
static const char *const skipped_headers[] = {"stt", "tt",	   "so tt",  "so thu tu",
					      "loi", "loi errors", "errors", NULL};

/* ---- the header table, built once ------------------------------------ */

struct alias {
	char *text;   /* as written, for documentation */
	char *folded; /* as compared */
	const struct field *f;
	enum ref_mode mode;
};

struct alias_table {
	struct alias *a;
	size_t n, cap;
};

static struct alias_table *tables; /* one per entity, in entities[] order */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void add_alias(struct alias_table *t, const char *text, const struct field *f,
		      enum ref_mode mode)
{
	char *folded = vtext_fold(text);
	for (size_t i = 0; i < t->n; i++) {
		if (!strcmp(t->a[i].folded, folded)) { /* the first meaning wins */
			free(folded);
			return;
		}
	}
	if (!*folded) {
		free(folded);
		return;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->a = xrealloc(t->a, t->cap * sizeof *t->a);
	}
	t->a[t->n++] = (struct alias){xstrdup(text), folded, f, mode};
}

/* "Giá trị sản xuất (đồng)" is also written without its parenthesis. */
static void add_label(struct alias_table *t, const char *label, const struct field *f)
{
	add_alias(t, label, f, REF_ANY);
	const char *paren = strchr(label, '(');
	if (paren && paren > label) {
		size_t n = (size_t)(paren - label);
		while (n > 0 && label[n - 1] == ' ')
			n--;
		char *short_label = xstrndup(label, n);
		add_alias(t, short_label, f, REF_ANY);
		free(short_label);
	}
}

static void add_list(struct alias_table *t, const char *list, const struct field *f)
{
	for (const char *p = list; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		char *one = xstrndup(p, len);
		add_alias(t, one, f, REF_ANY);
		free(one);
		p = bar ? bar + 1 : NULL;
	}
}

/* The format's aliases: "field=A|B" entries. */
static void add_format_aliases(struct alias_table *t, const struct entity *ent,
			       const char *const *specs)
{
	for (int i = 0; specs && i < 12 && specs[i]; i++) {
		const char *eq = strchr(specs[i], '=');
		char name[64];
		snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - specs[i]) : 0, specs[i]);
		const struct field *f = eq ? entity_field(ent, name) : NULL;
		if (!f)
			abort(); /* a typo in entities.c */
		add_list(t, eq + 1, f);
	}
}

/* The key field of a record type others refer to (tax code, code), or NULL. */
static const struct field *key_field(const struct entity *ent)
{
	for (const struct field *f = ent->fields; f->name; f++)
		if (f->flags & FF_UNIQUE)
			return f;
	return NULL;
}

/* Headers of a record's old unit (docs/import.md). */
#define OLD_UNIT_HEADERS                                                                                                \
	"Đơn vị cũ|Địa bàn cũ|Địa bàn (trước 01/7/2025)|Đơn vị hành chính (trước 01/7/2025)"  \
	"|Đơn vị hành chính trước sáp nhập|Địa bàn trước sáp nhập|Xã cũ|Huyện cũ|Tỉnh cũ" \
	"|Mã đơn vị cũ|Old unit|Old province|Old district|Old commune"

static void add_type_aliases(struct alias_table *t, const struct entity *ent)
{
	for (const struct field *f = ent->fields; f->name; f++) {
		if (f->type == F_PROVINCE)
			add_list(
				t,
				"Tỉnh|Tỉnh/TP|Tỉnh, thành phố|Tỉnh/thành phố|Mã tỉnh|Province code",
				f);
		if (f->type == F_UNIT && f->ref && !strcmp(f->ref, "commune"))
			add_list(t, "Xã|Phường|Xã, phường|Xã/phường/đặc khu|Mã xã|Địa bàn", f);
		if (f->type == F_UNIT && f->ref && !strcmp(f->ref, "old"))
			add_list(t, OLD_UNIT_HEADERS, f);
	}
	/* A reference may be written as the target's code or name. */
	for (const struct field *f = ent->fields; f->name; f++) {
		if (f->type != F_REF)
			continue;
		const struct entity *target = entity_find(f->ref);
		const struct field *k = key_field(target);
		if (k)
			add_alias(t, k->vi, f, REF_KEY);
		add_alias(t, entity_title(target)->vi, f, REF_TITLE);
	}
}

static void build_tables(void)
{
	size_t n = 0;
	while (entities[n].collection)
		n++;
	tables = xcalloc(n, sizeof *tables);
	for (size_t i = 0; i < n; i++) {
		const struct entity *ent = &entities[i];
		struct alias_table *t = &tables[i];
		for (const struct field *f = ent->fields; f->name; f++)
			add_alias(t, f->name, f, REF_ANY);
		for (const struct field *f = ent->fields; f->name; f++) {
			add_label(t, f->vi, f);
			add_label(t, f->en, f);
		}
		add_format_aliases(t, ent, ent->aliases);
		add_type_aliases(t, ent);
	}
}

static const struct alias_table *table_of(const struct entity *ent)
{
	pthread_once(&tables_once, build_tables);
	return &tables[ent - entities];
}

/* The money units a header may end with, folded, and how a bare number in
 * the column is read. */
static const struct {
	const char *folded, *words;
} money_units[] = {
	{"dong", NULL},
	{"d", NULL},
	{"vnd", NULL},
	{"nghin dong", "nghìn đồng"},
	{"ngan dong", "nghìn đồng"},
	{"1000 dong", "nghìn đồng"},
	{"1 000 dong", "nghìn đồng"},
	{"trieu dong", "triệu đồng"},
	{"tr dong", "triệu đồng"},
	{"trd", "triệu đồng"},
	{"tr d", "triệu đồng"},
	{"trieu", "triệu đồng"},
	{"ty dong", "tỷ đồng"},
	{"ti dong", "tỷ đồng"},
	{"ty", "tỷ đồng"},
};

/* Whether folded unit u is money; *words the reading of a bare number. */
static int money_unit(const char *u, const char **words)
{
	for (size_t i = 0; i < sizeof money_units / sizeof money_units[0]; i++)
		if (!strcmp(u, money_units[i].folded)) {
			*words = money_units[i].words;
			return 1;
		}
	return 0;
}

static int match_plain(const struct entity *ent, const char *header, struct import_col *out);

/* "Label (unit)", "Label, unit" or "Label - unit": the label matched alone
 * and the unit checked against the field (see import.h). */
static int match_with_unit(const struct entity *ent, const char *header, struct import_col *out)
{
	const char *open = strrchr(header, '(');
	size_t n = strlen(header);
	while (n && (header[n - 1] == ' ' || header[n - 1] == '*' || header[n - 1] == ':'))
		n--;
	const char *cut = NULL, *unit = NULL;
	size_t ulen = 0;
	if (open && open > header && n && header[n - 1] == ')') {
		cut = open;
		unit = open + 1;
		ulen = (size_t)(header + n - 1 - unit);
	} else if ((cut = strrchr(header, ',')) != NULL && cut > header) {
		unit = cut + 1;
		ulen = (size_t)(header + n - unit);
	} else {
		return 0;
	}
	char *base = xstrndup(header, (size_t)(cut - header));
	char *uraw = xstrndup(unit, ulen);
	char *u = vtext_fold(uraw);
	const char *words = NULL;
	int money = money_unit(u, &words);
	int pct = !*u && strchr(uraw, '%') != NULL;
	/* After a comma only a money unit or % is a unit ("Tên cơ sở, địa chỉ"
	 * is two things, not a name). */
	int rc = (*u || pct) && (cut == open || money || pct) && match_plain(ent, base, out) &&
		 out->f;
	if (rc && (out->f->type == F_MONEY) != money)
		rc = 0; /* "(triệu đồng)" on a count, "(người)" on an amount */
	if (rc && pct && out->f->type != F_PERCENT && out->f->type != F_QTY)
		rc = 0;
	if (rc && out->f->type == F_MONEY)
		out->money_unit = words;
	if (!rc)
		memset(out, 0, sizeof *out);
	free(base);
	free(uraw);
	free(u);
	return rc;
}

int import_match_header(const struct entity *ent, const char *header, struct import_col *out)
{
	return match_plain(ent, header, out) || match_with_unit(ent, header, out);
}

static int match_plain(const struct entity *ent, const char *header, struct import_col *out)
{
	memset(out, 0, sizeof *out);
	char *k = vtext_fold(header);
	int rc = 0;
	if (!strcmp(k, "id")) {
		out->is_id = 1;
		rc = 1;
	}
	for (int i = 0; !rc && skipped_headers[i]; i++)
		if (!strcmp(k, skipped_headers[i]))
			out->skipped = rc = 1;
	if (!rc && (!strcmp(k, "giai doan") || !strcmp(k, "thoi ky") || !strcmp(k, "period")) &&
	    entity_field(ent, "period_from") && entity_field(ent, "period_to"))
		out->period = rc = 1;
	const struct alias_table *t = table_of(ent);
	for (size_t i = 0; !rc && i < t->n; i++) {
		if (!strcmp(t->a[i].folded, k)) {
			out->f = t->a[i].f;
			out->mode = t->a[i].mode;
			rc = 1;
		}
	}
	free(k);
	return rc;
}

json_t *import_headers(const struct entity *ent, const struct field *f)
{
	const struct alias_table *t = table_of(ent);
	json_t *list = json_array();
	for (size_t i = 0; i < t->n; i++)
		if (t->a[i].f == f)
			json_array_append_new(list, json_string(t->a[i].text));
	return list;
}

/* ---- natural keys ---------------------------------------------------- */

struct key_part {
	const struct field *f;
	int optional;
};

struct key {
	struct key_part parts[10];
	int n;
	char *sql;
};

struct key_table {
	struct key keys[3];
	int n;
	char *text;
};

static struct key_table *keytabs;
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void parse_key(const struct entity *ent, const char *spec, struct key *k, struct buf *text)
{
	char *copy = xstrdup(spec), *save = NULL;
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "SELECT id FROM %s WHERE 1 = 1", ent->table);
	for (char *p = strtok_r(copy, "+", &save); p; p = strtok_r(NULL, "+", &save)) {
		size_t len = strlen(p);
		int opt = len && p[len - 1] == '?';
		if (opt)
			p[len - 1] = 0;
		const struct field *f = entity_field(ent, p);
		if (!f || k->n >= 10 || f->type == F_QTY)
			abort(); /* a typo in entities.c */
		k->parts[k->n++] = (struct key_part){f, opt};
		if (opt)
			buf_printf(&sql, " AND (%s = ? OR (%s IS NULL AND ? IS NULL))", f->name,
				   f->name);
		else
			buf_printf(&sql, " AND %s = ?", f->name);
		buf_printf(text, "%s%s%s", k->n > 1 ? " + " : "", f->name,
			   opt ? " (có thể trống / may be empty)" : "");
	}
	buf_puts(&sql, " ORDER BY id LIMIT 2");
	k->sql = buf_detach(&sql);
	free(copy);
}

static void build_keys(void)
{
	size_t n = 0;
	while (entities[n].collection)
		n++;
	keytabs = xcalloc(n, sizeof *keytabs);
	for (size_t i = 0; i < n; i++) {
		const struct entity *ent = &entities[i];
		struct buf text = BUF_INIT;
		for (int j = 0; j < 3 && ent->keys[j]; j++) {
			if (j)
				buf_puts(&text, "; nếu không có / otherwise: ");
			parse_key(ent, ent->keys[j], &keytabs[i].keys[j], &text);
			keytabs[i].n++;
		}
		keytabs[i].text = buf_detach(&text);
	}
}

static const struct key_table *keys_of(const struct entity *ent)
{
	pthread_once(&keys_once, build_keys);
	return &keytabs[ent - entities];
}

const char *import_key_text(const struct entity *ent)
{
	return keys_of(ent)->text;
}

void import_key_words(struct buf *b, const struct entity *ent, const char *lang)
{
	const struct key_table *kt = keys_of(ent);
	int en = lang && !strcmp(lang, "en");
	for (int j = 0; j < kt->n; j++) {
		if (j)
			buf_puts(b, en ? "; otherwise: " : "; nếu không có: ");
		for (int i = 0; i < kt->keys[j].n; i++) {
			const struct key_part *p = &kt->keys[j].parts[i];
			buf_printf(b, "%s%s%s", i ? " + " : "", field_label(p->f, lang),
				   !p->optional ? ""
				   : en		? " (may be empty)"
						: " (có thể trống)");
		}
	}
}

static int present(json_t *v)
{
	return v && !json_is_null(v);
}

static void bind_value(struct stmt *s, int *pos, json_t *v)
{
	if (json_is_integer(v))
		stmt_bind_int(s, (*pos)++, json_integer_value(v));
	else if (json_is_boolean(v))
		stmt_bind_int(s, (*pos)++, json_is_true(v));
	else if (json_is_string(v))
		stmt_bind_text(s, (*pos)++, json_string_value(v));
	else
		stmt_bind_null(s, (*pos)++);
}

/* Runs a "SELECT id ... LIMIT 2": 0 none, 1 one (*id), 2 several. */
static int ids_of(struct stmt *s, int64_t *id, struct err *e)
{
	int n = 0, rc;
	while ((rc = stmt_step(s, e)) == 1) {
		if (n++ == 0)
			*id = stmt_int(s, 0);
	}
	stmt_done(s);
	return rc < 0 ? rc : n;
}

/* The first key that applies to in, as import_find_existing picks it: its
 * index, or -1 when none applies. */
static int key_applies(const struct key_table *kt, json_t *in)
{
	for (int i = 0; i < kt->n; i++) {
		int applies = 1;
		for (int j = 0; j < kt->keys[i].n; j++)
			if (!kt->keys[i].parts[j].optional &&
			    !present(json_object_get(in, kt->keys[i].parts[j].f->name)))
				applies = 0;
		if (applies)
			return i;
	}
	return -1;
}

static int key_value(const struct key_table *kt, json_t *in, int which, struct buf *out)
{
	if (which >= kt->n)
		return -2;
	int i = which < 0 ? key_applies(kt, in) : which;
	for (int j = 0; i >= 0 && j < kt->keys[i].n; j++)
		if (!kt->keys[i].parts[j].optional &&
		    !present(json_object_get(in, kt->keys[i].parts[j].f->name)))
			return -1;
	if (i < 0)
		return -1;
	buf_printf(out, "%d", i);
	for (int j = 0; j < kt->keys[i].n; j++) {
		/* Each value by its type and length, so no two keys read alike. */
		json_t *v = json_object_get(in, kt->keys[i].parts[j].f->name);
		if (json_is_string(v)) {
			buf_printf(out, "\x1fs%zu:", json_string_length(v));
			buf_append(out, json_string_value(v), json_string_length(v));
		} else if (json_is_integer(v)) {
			buf_printf(out, "\x1fi%lld", (long long)json_integer_value(v));
		} else {
			char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			buf_printf(out, "\x1fj%s", t ? t : "null");
			free(t);
		}
	}
	return i;
}

int import_key_value(const struct entity *ent, json_t *in, int which, struct buf *out)
{
	json_t *own = NULL; /* as import_find_existing: figures by their place code */
	if (!strcmp(ent->collection, "figures")) {
		in = own = json_deep_copy(in);
		figure_place_split(in);
	}
	int rc = key_value(keys_of(ent), in, which, out);
	json_decref(own);
	return rc;
}

static int find_by_keys(struct store *st, const struct entity *ent, const struct key_table *kt,
			json_t *in, int64_t *id, struct err *e);

const struct field *import_key_unique(const struct entity *ent, json_t *in)
{
	if (!strcmp(ent->collection, "figures")) /* looked up by a place code of its own */
		return NULL;
	const struct key_table *kt = keys_of(ent);
	int i = key_applies(kt, in);
	if (i < 0 || kt->keys[i].n != 1 || kt->keys[i].parts[0].optional)
		return NULL;
	const struct field *f = kt->keys[i].parts[0].f;
	return f->flags & FF_UNIQUE ? f : NULL;
}

int import_find_existing(struct store *st, const struct entity *ent, json_t *in, int64_t *id,
			 struct err *e)
{
	const struct key_table *kt = keys_of(ent);
	/* A figure of the nation or a region is keyed by its place code. */
	json_t *own = NULL;
	if (!strcmp(ent->collection, "figures")) {
		in = own = json_deep_copy(in);
		figure_place_split(in);
	}
	int rc = find_by_keys(st, ent, kt, in, id, e);
	json_decref(own);
	return rc;
}

static int find_by_keys(struct store *st, const struct entity *ent, const struct key_table *kt,
			json_t *in, int64_t *id, struct err *e)
{
	int i = key_applies(kt, in);
	if (i >= 0) {
		const struct key *k = &kt->keys[i];
		struct stmt *s = store_prepare(st, k->sql, e);
		if (!s)
			return ERR_STORE;
		int pos = 1;
		for (int j = 0; j < k->n; j++) {
			json_t *v = json_object_get(in, k->parts[j].f->name);
			bind_value(s, &pos, v);
			if (k->parts[j].optional)
				bind_value(s, &pos, v);
		}
		int n = ids_of(s, id, e);
		if (n < 0)
			return n;
		if (n > 1)
			return err_set(e, ERR_CONFLICT, k->parts[0].f->name,
				       "Có nhiều %s cùng khóa (%s); thêm cột để phân biệt hoặc sửa "
				       "dữ liệu "
				       "trùng / several %s share the key (%s); add a column that "
				       "tells them "
				       "apart or mend the duplicates",
				       ent->plural_vi, import_key_text(ent), ent->plural_en,
				       import_key_text(ent));
		return n;
	}
	return 0;
}

/* ---- references ------------------------------------------------------ */

static int lookup_by(struct store *st, const struct entity *target, const struct field *f,
		     const char *text, int64_t *id, struct err *e)
{
	char sql[256];
	/* Names from the descriptions only. */
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s = ? ORDER BY id LIMIT 2",
		 target->table, f->name);
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	stmt_bind_text(s, 1, text);
	return ids_of(s, id, e);
}

int import_resolve_ref(struct store *st, const struct entity *target, const char *text,
		       enum ref_mode mode, int64_t *id, struct err *e)
{
	if (text[0] == '#') { /* "#12 name", as forms and exports show a record */
		char *end;
		long long v = strtoll(text + 1, &end, 10);
		if (end > text + 1 && (*end == 0 || *end == ' ')) {
			*id = v;
			return 0;
		}
	}
	if (mode == REF_ANY && vtext_is_digits(text) && strlen(text) <= 9) {
		*id = strtoll(text, NULL, 10);
		return 0;
	}
	const struct field *k = key_field(target), *title = entity_title(target);
	char padded[32];
	/* Excel drops the leading 0 of a tax code typed as a number. */
	if (k && !strcmp(k->name, "tax_code") && strlen(text) == 9 && vtext_is_digits(text)) {
		snprintf(padded, sizeof padded, "0%s", text);
		text = padded;
	}
	int n = 0;
	if (k && mode != REF_TITLE) {
		n = lookup_by(st, target, k, text, id, e);
		if (n < 0)
			return n;
		if (n == 1)
			return 0;
	}
	if (mode != REF_KEY || !k) {
		n = lookup_by(st, target, title, text, id, e);
		if (n < 0)
			return n;
		if (n == 1)
			return 0;
		if (n > 1)
			return err_set(
				e, ERR_INVALID, "",
				"Có nhiều %s tên \"%.200s\"; dùng mã hoặc số hiệu / several %s are "
				"named \"%.200s\"; use the code or the id",
				target->plural_vi, text, target->plural_en, text);
	}
	return err_set(e, ERR_INVALID, "", "Không có %s \"%.200s\" / no %s \"%.200s\"", target->vi,
		       text, target->en, text);
}

/* ---- documentation --------------------------------------------------- */

const char *import_forms(const struct field *f, const char *lang)
{
	int en = lang && !strcmp(lang, "en");
	switch (f->type) {
	case F_TEXT:
		return en ? "text, one line" : "chữ, một dòng";
	case F_LONGTEXT:
		return en ? "text" : "chữ";
	case F_INT:
		return en ? "whole number: 9.590 or 9590" : "số nguyên: 9.590 hoặc 9590";
	case F_MONEY:
		return en ? "đồng: 24700000000, 24,7 tỷ đồng, 821,5 triệu đồng, 500.000 đồng"
			  : "đồng: 24700000000, 24,7 tỷ đồng, 821,5 triệu đồng, 500.000 đồng";
	case F_DATE:
		return en ? "date: 17/05/2016 or 2016-05-17 (or an Excel date)"
			  : "ngày: 17/05/2016 hoặc 2016-05-17 (hoặc ô ngày của Excel)";
	case F_YEAR:
		return en ? "year: 2016" : "năm: 2016";
	case F_ENUM:
		return en ? "a code or its label" : "mã hoặc nhãn";
	case F_BOOL:
		return en ? "có/không, yes/no, 1/0, TRUE/FALSE" : "có/không, 1/0, TRUE/FALSE";
	case F_REF:
		return en ? "id, code or name of the record" : "số hiệu, mã hoặc tên bản ghi";
	case F_UNIT:
		if (f->ref && !strcmp(f->ref, "old"))
			return en ? "a unit before 2025-07-01 (province, district or commune), "
				    "code or "
				    "name: old:36, Nam Định, Huyện Ý Yên, Nam Định"
				  : "đơn vị trước 01/7/2025 (tỉnh, huyện hoặc xã), mã hoặc tên: "
				    "old:36, "
				    "Nam Định, Huyện Ý Yên, Nam Định";
		return en ? "code or name, with its province if needed (Mễ Sở, Hưng Yên); new:CODE "
			    "or "
			    "old:CODE"
			  : "mã hoặc tên, kèm tỉnh nếu cần (Mễ Sở, Hưng Yên); new:MÃ hoặc old:MÃ";
	case F_PROVINCE:
		return en ? "code (33) or name (Hưng Yên) of a province of today"
			  : "mã (33) hoặc tên (Hưng Yên) của tỉnh hiện nay";
	case F_PERCENT:
		return en ? "percent: 71,7%" : "phần trăm: 71,7%";
	case F_URLS:
		return en ? "web addresses, one per line" : "địa chỉ web, mỗi dòng một địa chỉ";
	case F_JSON:
		return en ? "JSON object: {\"2024\": 1500000000}"
			  : "đối tượng JSON: {\"2024\": 1500000000}";
	case F_QTY:
		return en ? "number with a qualifier: 4.100, trên 80%, khoảng 5–7"
			  : "số kèm từ định lượng: 4.100, trên 80%, khoảng 5–7";
	}
	return "";
}

const char *import_example(const struct field *f)
{
	switch (f->type) {
	case F_TEXT:
		return !strcmp(f->name, "tax_code") ? "0900000027"
		       : !strcmp(f->name, "code")   ? "HY-2021-QG-01"
						    : "";
	case F_LONGTEXT:
		return "";
	case F_INT:
		return "25";
	case F_MONEY:
		return "24,7 tỷ đồng";
	case F_DATE:
		return "17/05/2016";
	case F_YEAR:
		return "2024";
	case F_ENUM:
		return "";
	case F_BOOL:
		return "có";
	case F_REF:
		return !strcmp(f->ref, "establishments") ? "0900000027"
		       : !strcmp(f->ref, "projects")	 ? "HY-2021-QG-01"
		       : !strcmp(f->ref, "programmes")	 ? "CTKCQG-2021-2025"
							 : "12";
	case F_UNIT:
		if (f->ref && !strcmp(f->ref, "old"))
			return "";
		return f->ref && !strcmp(f->ref, "province") ? "Hưng Yên" : "Mễ Sở, Hưng Yên";
	case F_PROVINCE:
		return "Hưng Yên";
	case F_PERCENT:
		return "71,7%";
	case F_URLS:
		return "https://shopee.vn/coso";
	case F_JSON:
		return "{\"2024\": 1500000000}";
	case F_QTY:
		return "trên 80%";
	}
	return "";
}

static void md_cell(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else if (*s == '\n')
			buf_putc(b, ' ');
		else
			buf_putc(b, *s);
	}
}

static void md_enum(struct buf *b, const struct field *f)
{
	for (const char *p = f->values; p && *p;) {
		const char *c1 = strchr(p, ':'), *bar = strchr(p, '|');
		char code[64], label[200];
		snprintf(code, sizeof code, "%.*s", (int)(c1 - p), p);
		field_enum_label(f, code, "vi", label, sizeof label);
		buf_printf(b, "%s`%s` ", p == f->values ? ": " : ", ", code);
		md_cell(b, label);
		p = bar ? bar + 1 : NULL;
	}
}

static void md_entity(struct buf *b, const struct entity *ent)
{
	buf_printf(b, "### %s / %s (`%s`)\n\n", ent->plural_vi, ent->plural_en, ent->collection);
	buf_printf(b, "Khóa tự nhiên / natural key: `%s`\n\n", import_key_text(ent));
	buf_puts(
		b,
		"| Trường / field | Tiêu đề cột được nhận / accepted headers | Bắt buộc / required "
		"| Giá trị / values |\n|---|---|---|---|\n");
	for (const struct field *f = ent->fields; f->name; f++) {
		buf_printf(b, "| `%s` | ", f->name);
		json_t *hs = import_headers(ent, f);
		size_t i;
		json_t *h;
		json_array_foreach(hs, i, h)
		{
			buf_puts(b, i ? "; " : "");
			md_cell(b, json_string_value(h));
		}
		json_decref(hs);
		buf_printf(b, " | %s | ",
			   (f->flags & FF_READONLY)   ? "hệ thống / system"
			   : (f->flags & FF_REQUIRED) ? "có / yes"
						      : "");
		md_cell(b, import_forms(f, "vi"));
		if (f->type == F_ENUM)
			md_enum(b, f);
		buf_puts(b, " |\n");
	}
	buf_puts(b, "\n");
}

void import_doc_markdown(struct buf *out)
{
	buf_puts(out, "<!-- generated by `khuyencong import --doc`; a unit test keeps it in sync "
		      "-->\n\n");
	for (const struct entity *ent = entities; ent->collection; ent++)
		md_entity(out, ent);
}
