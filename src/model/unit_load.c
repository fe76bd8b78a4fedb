/* unit_load.c - fills the unit tables from the CSVs compiled into the binary
 * (data/units/) and reconciles the NSO conversion table and the merger texts
 * with the official unit lists. Every code is checked; the known errors of
 * the table are corrected only when the name agrees; whatever cannot be
 * reconciled is recorded in unit_notes, never guessed.
 *
 * The work is done in memory first (read, check, link) and written in one
 * transaction at the end, so a failure leaves the database untouched. */
#include "model/unit.h"

#include "core/embed.h"
#include "core/mem.h"
#include "core/vtext.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- a small RFC 4180 reader ----
 * The files are in memory already (embedded), trusted and small; a reader
 * over a pointer pair is shorter than driving libcsv's callbacks and needs no
 * extra link dependency. Quoted fields may hold commas, "" and newlines. */

enum { CSV_MAX_FIELDS = 12 };

struct csv {
	const char *name;
	const char *p, *end;
	int line, next_line; /* where the current / next record starts */
	struct buf text;     /* the record's fields, each NUL-terminated */
	size_t off[CSV_MAX_FIELDS];
	const char *f[CSV_MAX_FIELDS];
	int n;
};

static int csv_open(struct csv *c, const char *name, struct err *e)
{
	memset(c, 0, sizeof *c);
	const struct embedded_file *f = embed_find(units_files, name);
	if (!f)
		return err_set(e, ERR_IO, "data", "data/units/%s is not compiled into this binary",
			       name);
	c->name = name;
	c->p = (const char *)f->data;
	c->end = c->p + f->size;
	if (f->size >= 3 && !memcmp(c->p, "\xEF\xBB\xBF", 3))
		c->p += 3;
	c->next_line = 1;
	return 0;
}

static void csv_close(struct csv *c)
{
	buf_free(&c->text);
}

static int csv_bad(const struct csv *c, const char *what, struct err *e)
{
	return err_set(e, ERR_IO, "data", "data/units/%s line %d: %s", c->name, c->line, what);
}

static int csv_quoted(struct csv *c, struct err *e)
{
	c->p++;
	for (;;) {
		if (c->p >= c->end)
			return csv_bad(c, "unterminated quoted field", e);
		char ch = *c->p++;
		if (ch == '"') {
			if (c->p < c->end && *c->p == '"') {
				c->p++;
				buf_putc(&c->text, '"');
				continue;
			}
			return 0;
		}
		if (ch == '\n')
			c->next_line++;
		buf_putc(&c->text, ch);
	}
}

/* Reads one field; returns 1 when a comma follows, 0 at the record's end. */
static int csv_field(struct csv *c, struct err *e)
{
	if (c->p < c->end && *c->p == '"') {
		if (csv_quoted(c, e) < 0)
			return ERR_IO;
	} else {
		const char *s = c->p;
		while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
			c->p++;
		buf_append(&c->text, s, (size_t)(c->p - s));
	}
	buf_putc(&c->text, '\0');
	if (c->p >= c->end)
		return 0;
	if (*c->p == ',') {
		c->p++;
		return 1;
	}
	if (*c->p != '\r' && *c->p != '\n')
		return csv_bad(c, "text after a closing quote", e);
	if (*c->p == '\r')
		c->p++;
	if (c->p < c->end && *c->p == '\n')
		c->p++;
	c->next_line++;
	return 0;
}

/* Reads the next record into c->f[0..n-1]: 1, or 0 at the end of the file. */
static int csv_next(struct csv *c, struct err *e)
{
	if (c->p >= c->end)
		return 0;
	buf_reset(&c->text);
	c->line = c->next_line;
	c->n = 0;
	int more;
	do {
		if (c->n == CSV_MAX_FIELDS)
			return csv_bad(c, "too many fields", e);
		c->off[c->n++] = c->text.len;
		more = csv_field(c, e);
		if (more < 0)
			return more;
	} while (more);
	for (int i = 0; i < c->n; i++)
		c->f[i] = c->text.data + c->off[i];
	return 1;
}

/* Opens name and checks that its header row is exactly header. */
static int csv_start(struct csv *c, const char *name, const char *header, struct err *e)
{
	int rc = csv_open(c, name, e);
	if (rc < 0)
		return rc;
	rc = csv_next(c, e);
	if (rc <= 0)
		return rc < 0 ? rc : csv_bad(c, "empty file", e);
	struct buf h = BUF_INIT;
	for (int i = 0; i < c->n; i++)
		buf_printf(&h, "%s%s", i ? "," : "", c->f[i]);
	rc = strcmp(buf_cstr(&h), header) ? csv_bad(c, "unexpected header row", e) : 0;
	buf_free(&h);
	return rc;
}

/* The next record with at least n fields: 1, 0 at the end, < 0 on error. */
static int csv_row(struct csv *c, int n, struct err *e)
{
	int rc;
	while ((rc = csv_next(c, e)) == 1) {
		if (c->n == 1 && !c->f[0][0])
			continue; /* blank line */
		return c->n >= n ? 1 : csv_bad(c, "too few fields", e);
	}
	return rc;
}

/* ---- the units while loading ---- */

struct lu;

struct succ {
	struct lu *old, *new;
	const char *kind, *note, *source;
	const char *nso_bare; /* the old unit's name as the NSO row spells it */
	struct succ *next_of_old, *next_of_new, *next;
};

struct alias {
	const char *kind, *name, *key, *source;
	struct alias *next;
};

struct lu {
	int64_t id, id2; /* row ids of the first and the 2026-04-30 version */
	const char *code, *name, *full_name, *name_en, *type;
	const char *province, *district; /* own era's codes */
	const char *key;		 /* fold_key: folded, tone-canonical name */
	const char *bare;		 /* key without a leading type word ("Phường Đúc") */
	int region;
	const char *type2, *full_name2, *name_en2; /* the 2026-04-30 version */
	char newp[4];				   /* today's province */
	int nsucc;
	struct succ *succ, *preds;
	struct alias *aliases;
	struct lu *communes, *next_in_district; /* old districts' communes */
};

struct uset {
	int digits;
	struct lu **by_code; /* 10^digits slots */
	struct lu **v;
	size_t n, cap;
};

struct note {
	const char *category, *ref, *message;
	struct note *next;
};

/* The corrections of the NSO table known from data/README.md: applied only
 * when the row's name (folded, without its type word) is `bare`. */
enum { FIX_NEW_CODE, FIX_OLD_CODE, FIX_OLD_PROVINCE };
static const struct fix {
	int field;
	const char *bare, *bad, *good, *what;
} fixes[] = {
	{FIX_NEW_CODE, "ba che", "06970", "06978", "new commune code of Xã Ba Chẽ"},
	{FIX_OLD_CODE, "my hung", "01615", "01651", "old commune code of Xã Mỹ Hưng"},
	{FIX_OLD_CODE, "phu thinh", "02485", "02482", "old commune code of Xã Phú Thịnh"},
	{FIX_OLD_CODE, "dang xa", "00553", "00556", "old commune code of Xã Đặng Xá"},
	{FIX_OLD_PROVINCE, "4", "82", "80", "old province code of Phường 4 (Tân An)"},
	{FIX_OLD_PROVINCE, "tien hai", "89", "91", "old province code of Xã Tiên Hải"},
	{FIX_OLD_PROVINCE, "con co", "44", "45", "old province code of Huyện Cồn Cỏ"},
};
enum { NFIX = sizeof fixes / sizeof fixes[0] };

struct loader {
	struct arena *a;
	struct uset oldp, oldd, oldc, newp, newc;
	const char *old_types[16], *new_types[16];
	int region_ids[16];
	const char *region_names[16], *region_en[16];
	int nregions;
	struct succ *succ, **succ_tail;
	struct note *notes, **notes_tail;
	int fix_rows[NFIX];
	int nso_rows, nso_banners, tone_aliases, mentions, mentions_ok;
};

static const char *L_keep(struct loader *L, char *heap)
{
	const char *s = arena_strdup(L->a, heap);
	free(heap);
	return s;
}

/* NFC text with look-alikes mended and ends trimmed ("" for bad UTF-8). */
static const char *L_norm(struct loader *L, const char *s)
{
	char *n = vtext_normalize(s, "", NULL);
	return n ? L_keep(L, n) : "";
}

/* The key names are compared by: folded, tone-canonical. */
static const char *L_key(struct loader *L, const char *s)
{
	char *t = vtext_tone_canonical(s);
	char *k = vtext_fold(t);
	free(t);
	return L_keep(L, k);
}

/* key without one leading type word; points into key. */
static const char *strip_type(const char *key)
{
	static const char *const words[] = {"thanh pho ", "thi tran ", "thi xa ", "dac khu ",
					    "phuong ",	  "tinh ",     "quan ",	  "huyen ",
					    "xa ",	  NULL};
	for (int i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if (!strncmp(key, words[i], n) && key[n])
			return key + n;
	}
	return key;
}

/* The key of a cell that names a unit with its type ("Xã Mễ Sở" -> "me so"). */
static const char *L_bare(struct loader *L, const char *cell)
{
	return strip_type(L_key(L, cell));
}

static int names_match(const struct lu *u, const char *bare)
{
	return !strcmp(bare, u->key) || !strcmp(bare, u->bare);
}

__attribute__((format(printf, 4, 5))) static void note_add(struct loader *L, const char *category,
							   const char *ref, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	struct note *n = arena_alloc(L->a, sizeof *n);
	n->category = category;
	n->ref = arena_strdup(L->a, ref);
	n->message = arena_strdup(L->a, buf_cstr(&b));
	buf_free(&b);
	*L->notes_tail = n;
	L->notes_tail = &n->next;
}

static void alias_add(struct loader *L, struct lu *u, const char *kind, const char *name,
		      const char *key, const char *source)
{
	if (!strcmp(kind, "name") && !strcmp(name, u->name))
		return;
	for (struct alias *x = u->aliases; x; x = x->next)
		if (!strcmp(x->kind, kind) && !strcmp(x->name, name))
			return;
	struct alias *x = arena_alloc(L->a, sizeof *x);
	*x = (struct alias){kind, arena_strdup(L->a, name), arena_strdup(L->a, key), source,
			    u->aliases};
	u->aliases = x;
}

/* ---- unit sets indexed by code ---- */

static void uset_init(struct uset *s, int digits)
{
	memset(s, 0, sizeof *s);
	s->digits = digits;
	size_t slots = 1;
	for (int i = 0; i < digits; i++)
		slots *= 10;
	s->by_code = xcalloc(slots, sizeof *s->by_code);
}

static void uset_free(struct uset *s)
{
	free(s->by_code);
	free(s->v);
}

static int code_index(const char *code, int digits)
{
	int v = 0;
	for (int i = 0; i < digits; i++) {
		if (code[i] < '0' || code[i] > '9')
			return -1;
		v = v * 10 + (code[i] - '0');
	}
	return code[digits] ? -1 : v;
}

static struct lu *uset_get(const struct uset *s, const char *code)
{
	int i = code ? code_index(code, s->digits) : -1;
	return i < 0 ? NULL : s->by_code[i];
}

static int uset_add(struct uset *s, struct lu *u)
{
	int i = code_index(u->code, s->digits);
	if (i < 0 || s->by_code[i])
		return -1;
	s->by_code[i] = u;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = u;
	return 0;
}

/* ---- the official lists ---- */

static int load_types(struct loader *L, const char *file, const char **names, struct err *e)
{
	struct csv c;
	int rc = csv_start(&c, file, "id,full_name,full_name_en,short_name,short_name_en", e);
	while (rc == 0 && (rc = csv_row(&c, 5, e)) == 1) {
		int id = atoi(c.f[0]);
		if (id <= 0 || id >= 16) {
			rc = csv_bad(&c, "unit type id out of range", e);
			break;
		}
		names[id] = L_norm(L, c.f[3]);
		rc = 0;
	}
	csv_close(&c);
	return rc < 0 ? rc : 0;
}

static int load_regions(struct loader *L, struct err *e)
{
	struct csv c;
	int rc = csv_start(&c, "regions.csv", "id,name,name_en", e);
	while (rc == 0 && (rc = csv_row(&c, 3, e)) == 1) {
		if (L->nregions == 16) {
			rc = csv_bad(&c, "too many regions", e);
			break;
		}
		L->region_ids[L->nregions] = atoi(c.f[0]);
		L->region_names[L->nregions] = L_norm(L, c.f[1]);
		L->region_en[L->nregions++] = L_norm(L, c.f[2]);
		rc = 0;
	}
	csv_close(&c);
	return rc < 0 ? rc : 0;
}

/* Where each list keeps what: column numbers, -1 when absent. */
struct listspec {
	const char *file, *header;
	int digits, col_district, col_province, col_type, col_region;
};

#define PROVINCE_HEADER "code,name,full_name,name_en,full_name_en,unit_type_id"
#define IN_PROVINCE_HEADER "code,name,full_name,name_en,full_name_en,province_code,unit_type_id"
static const struct listspec old_provinces = {.file = "2025-03-01_provinces.csv",
					      .header = PROVINCE_HEADER ",region_id",
					      .digits = 2,
					      .col_district = -1,
					      .col_province = -1,
					      .col_type = 5,
					      .col_region = 6};
static const struct listspec old_districts = {.file = "2025-03-01_districts.csv",
					      .header = IN_PROVINCE_HEADER,
					      .digits = 3,
					      .col_district = -1,
					      .col_province = 5,
					      .col_type = 6,
					      .col_region = -1};
static const struct listspec old_communes = {
	.file = "2025-03-01_communes.csv",
	.header =
		"code,name,full_name,name_en,full_name_en,district_code,province_code,unit_type_id",
	.digits = 5,
	.col_district = 5,
	.col_province = 6,
	.col_type = 7,
	.col_region = -1};
static const struct listspec new_provinces = {.file = "2025-07-01_provinces.csv",
					      .header = PROVINCE_HEADER,
					      .digits = 2,
					      .col_district = -1,
					      .col_province = -1,
					      .col_type = 5,
					      .col_region = -1};
static const struct listspec new_communes = {.file = "2025-07-01_communes.csv",
					     .header = IN_PROVINCE_HEADER,
					     .digits = 5,
					     .col_district = -1,
					     .col_province = 5,
					     .col_type = 6,
					     .col_region = -1};
static const struct listspec new_provinces_2026 = {.file = "2026-04-30_provinces.csv",
						   .header = PROVINCE_HEADER,
						   .digits = 2,
						   .col_district = -1,
						   .col_province = -1,
						   .col_type = 5,
						   .col_region = -1};
static const struct listspec new_communes_2026 = {.file = "2026-04-30_communes.csv",
						  .header = IN_PROVINCE_HEADER,
						  .digits = 5,
						  .col_district = -1,
						  .col_province = 5,
						  .col_type = 6,
						  .col_region = -1};

static struct lu *lu_from_row(struct loader *L, const struct listspec *ls, const struct csv *c,
			      const char **types)
{
	struct lu *u = arena_alloc(L->a, sizeof *u);
	u->code = arena_strdup(L->a, c->f[0]);
	u->name = L_norm(L, c->f[1]);
	u->full_name = L_norm(L, c->f[2]);
	u->name_en = L_norm(L, c->f[3]);
	u->key = L_key(L, u->name);
	u->bare = strip_type(u->key);
	int type = atoi(c->f[ls->col_type]);
	u->type = type > 0 && type < 16 ? types[type] : NULL;
	u->province = ls->col_province >= 0 ? arena_strdup(L->a, c->f[ls->col_province]) : u->code;
	u->district = ls->col_district >= 0 ? arena_strdup(L->a, c->f[ls->col_district]) : NULL;
	u->region = ls->col_region >= 0 ? atoi(c->f[ls->col_region]) : 0;
	return u;
}

/* Reads one official list into s; provinces (for the province check) and
 * districts (for communes) must be loaded already. Any fault is fatal: these
 * are the official lists everything else is checked against. */
static int load_list(struct loader *L, const struct listspec *ls, const char **types,
		     struct uset *s, const struct uset *provinces, struct uset *districts,
		     struct err *e)
{
	struct csv c;
	int rc = csv_start(&c, ls->file, ls->header, e);
	while (rc == 0 && (rc = csv_row(&c, ls->col_type + 1, e)) == 1) {
		struct lu *u = lu_from_row(L, ls, &c, types);
		struct lu *d = districts ? uset_get(districts, u->district) : NULL;
		if (!u->type)
			rc = csv_bad(&c, "unknown unit type", e);
		else if (!*u->name || uset_add(s, u) < 0)
			rc = csv_bad(&c, "bad or repeated code, or empty name", e);
		else if (provinces && !uset_get(provinces, u->province))
			rc = csv_bad(&c, "unknown province code", e);
		else if (districts && (!d || strcmp(d->province, u->province)))
			rc = csv_bad(&c, "unknown district code, or one of another province", e);
		else
			rc = 0;
		if (rc == 0 && d) {
			u->next_in_district = d->communes;
			d->communes = u;
		}
	}
	csv_close(&c);
	return rc < 0 ? rc : 0;
}

/* The 2026-04-30 list against the 2025-07-01 one: a changed type makes a
 * second version (Đồng Nai becomes a Thành phố); a name spelled with another
 * tone placement (Hoà / Hòa) is an alias; any other respelling is an alias
 * and a note. */
static void compare_2026_row(struct loader *L, const struct listspec *ls, struct uset *s,
			     const struct csv *c)
{
	struct lu *now = lu_from_row(L, ls, c, L->new_types);
	struct lu *u = uset_get(s, now->code);
	if (!u) {
		note_add(L, "unresolved", now->code,
			 "%s line %d: code %s (%s) is not in the 2025-07-01 list", ls->file,
			 c->line, now->code, now->full_name);
		return;
	}
	if (strcmp(now->province, u->province))
		note_add(L, "unresolved", u->code,
			 "%s: %s is in province %s, not %s as on 2025-07-01", ls->file,
			 u->full_name, now->province, u->province);
	if (now->type && strcmp(now->type, u->type)) {
		u->type2 = now->type;
		u->full_name2 = now->full_name;
		u->name_en2 = now->name_en;
		note_add(L, "change_2026", u->code, "%s (%s) is a %s from 2026-04-30: %s",
			 u->full_name, u->code, now->type, now->full_name);
	}
	if (!strcmp(now->name, u->name))
		return;
	char *a = vtext_tone_canonical(now->name), *b = vtext_tone_canonical(u->name);
	int tone_only = !strcmp(a, b);
	free(a);
	free(b);
	alias_add(L, u, "name", now->name, now->key,
		  tone_only ? "2026-04-30 list (tone placement)" : "2026-04-30 list");
	if (tone_only)
		L->tone_aliases++;
	else
		note_add(L, "change_2026", u->code,
			 "%s (%s) is spelled \"%s\" in the 2026-04-30 list", u->full_name, u->code,
			 now->name);
}

static int compare_2026(struct loader *L, const struct listspec *ls, struct uset *s, struct err *e)
{
	struct csv c;
	int rc = csv_start(&c, ls->file, ls->header, e);
	while (rc == 0 && (rc = csv_row(&c, ls->col_type + 1, e)) == 1) {
		compare_2026_row(L, ls, s, &c);
		rc = 0;
	}
	csv_close(&c);
	return rc < 0 ? rc : 0;
}

/* ---- succession ---- */

static void succ_add(struct loader *L, struct lu *old, struct lu *new, const char *kind,
		     const char *note, const char *source, const char *nso_bare)
{
	for (struct succ *x = old->succ; x; x = x->next_of_old) {
		if (x->new == new) {
			note_add(L, "unresolved", old->code,
				 "%s (%s) -> %s (%s) is listed twice (%s, %s); the first is kept",
				 old->full_name, old->code, new->full_name, new->code, x->kind,
				 kind);
			return;
		}
	}
	struct succ *s = arena_alloc(L->a, sizeof *s);
	*s = (struct succ){old, new, kind, note, source, nso_bare, old->succ, new->preds, NULL};
	old->succ = s;
	old->nsucc++;
	new->preds = s;
	*L->succ_tail = s;
	L->succ_tail = &s->next;
}

static int load_province_merger(struct loader *L, struct err *e)
{
	struct csv c;
	int rc = csv_start(&c, "merger_2025-07-01_provinces.csv",
			   "old_code,old_full_name,new_code,new_full_name", e);
	while (rc == 0 && (rc = csv_row(&c, 4, e)) == 1) {
		struct lu *o = uset_get(&L->oldp, c.f[0]), *n = uset_get(&L->newp, c.f[2]);
		rc = 0;
		if (!o || !n || strcmp(L_key(L, c.f[1]), L_key(L, o->full_name)) ||
		    strcmp(L_key(L, c.f[3]), L_key(L, n->full_name)))
			rc = csv_bad(&c, "province code or name not in the official lists", e);
		else if (o->newp[0])
			rc = csv_bad(&c, "old province listed twice", e);
		else
			snprintf(o->newp, sizeof o->newp, "%s", n->code);
		if (rc == 0)
			succ_add(L, o, n, "whole", "", "merger_2025-07-01_provinces.csv", NULL);
	}
	csv_close(&c);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < L->oldp.n; i++)
		if (!L->oldp.v[i]->newp[0])
			return err_set(e, ERR_IO, "data", "old province %s has no successor",
				       L->oldp.v[i]->code);
	/* A new province with one predecessor of its own code did not change. */
	for (struct succ *s = L->succ; s; s = s->next)
		if (!s->new->preds->next_of_new && !strcmp(s->old->code, s->new->code))
			s->kind = "unchanged";
	return 0;
}

/* ---- the NSO conversion table ---- */

/* The code in parentheses at the end of a cell: "Quận Ba Đình (001)". */
static const char *paren_code(struct loader *L, const char *cell)
{
	const char *open = strrchr(cell, '('), *close = open ? strchr(open, ')') : NULL;
	if (!close || close == open + 1)
		return "";
	for (const char *p = open + 1; p < close; p++)
		if (*p < '0' || *p > '9')
			return "";
	return arena_strndup(L->a, open + 1, (size_t)(close - open - 1));
}

static const struct fix *fix_find(int field, const char *bare, const char *bad)
{
	for (int i = 0; i < NFIX; i++)
		if (fixes[i].field == field && !strcmp(fixes[i].bare, bare) &&
		    !strcmp(fixes[i].bad, bad))
			return &fixes[i];
	return NULL;
}

/* Counts a row a correction was applied to (for the report). */
static void fix_applied(struct loader *L, const struct fix *f)
{
	L->fix_rows[f - fixes]++;
}

/* The kind of change from the "Ghi chú" cell, or NULL. */
static const char *nso_kind(const char *key)
{
	static const char *const exact[][2] = {
		{"nhap toan bo", "whole"},
		{"nhap toan bo dien tich", "whole"},
		{"giu nguyen", "unchanged"},
		{"nhap mot phan", "part"},
		{"nhap mot phan dien tich", "part_area"},
		{"nhap mot phan dien tich toan bo dan so", "part_area_all_population"},
		{"nhap mot phan dan so", "part_population"},
		{"doi ten", "renamed"},
		{"doi loai hinh", "type_changed"},
	};
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (!strcmp(key, exact[i][0]))
			return exact[i][1];
	/* "Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo" */
	if (!strncmp(key, "sap xep toan bo ", 16))
		return "whole";
	/* "Phần còn lại sau khi tách...", "Đổi tên (, đổi loại hình) từ một phần..." */
	if (!strncmp(key, "phan con lai ", 13) || strstr(key, " tu mot phan "))
		return "part";
	return NULL;
}

/* The cells of one NSO row, normalised. */
struct nso {
	int line;
	const char *new_prov, *new_name, *new_code, *old_name, *old_code, *note, *district,
		*old_prov;
	const char *kind;
};

/* Another unit spelled bare in the same district (old communes) or province. */
static struct lu *namesake(const struct loader *L, const struct uset *s, const struct lu *u,
			   const char *bare)
{
	if (u->district) {
		const struct lu *d = uset_get(&L->oldd, u->district);
		for (struct lu *x = d ? d->communes : NULL; x; x = x->next_in_district)
			if (x != u && names_match(x, bare))
				return x;
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct lu *x = s->v[i];
		if (x != u && !strcmp(x->province, u->province) && names_match(x, bare))
			return x;
	}
	return NULL;
}

static struct lu *nso_new_unit(struct loader *L, const struct nso *r)
{
	const char *bare = L_bare(L, r->new_name);
	struct lu *u = uset_get(&L->newc, r->new_code);
	if (!u || !names_match(u, bare)) {
		const struct fix *f = fix_find(FIX_NEW_CODE, bare, r->new_code);
		struct lu *g = f ? uset_get(&L->newc, f->good) : NULL;
		if (g && names_match(g, bare)) {
			fix_applied(L, f);
			alias_add(L, g, "code", f->bad, f->bad, "NSO conversion table");
			return g;
		}
	}
	if (!u) {
		note_add(L, "unresolved", r->new_code,
			 "NSO line %d: new commune %s has code %s, which is not in the "
			 "official list; row not used",
			 r->line, r->new_name, r->new_code);
		return NULL;
	}
	if (!names_match(u, bare)) {
		struct lu *other = namesake(L, &L->newc, u, bare);
		if (other) {
			note_add(L, "unresolved", u->code,
				 "NSO line %d: code %s is %s in the official list, but the "
				 "row names %s (code %s there); row not used",
				 r->line, u->code, u->full_name, r->new_name, other->code);
			return NULL;
		}
		alias_add(L, u, "name", r->new_name, bare, "NSO conversion table");
	}
	if (strcmp(paren_code(L, r->new_prov), u->province))
		note_add(L, "unresolved", u->code,
			 "NSO line %d: new province cell \"%s\" for %s (%s) of province %s",
			 r->line, r->new_prov, u->full_name, u->code, u->province);
	return u;
}

/* The old province cell against the official province of u. */
static void nso_check_old_province(struct loader *L, const struct nso *r, const struct lu *u,
				   const char *bare)
{
	const char *p = paren_code(L, r->old_prov);
	if (!strcmp(p, u->province))
		return;
	const struct fix *f = fix_find(FIX_OLD_PROVINCE, bare, p);
	if (f && !strcmp(f->good, u->province)) {
		fix_applied(L, f);
		return;
	}
	note_add(L, "unresolved", u->code,
		 "NSO line %d: old province cell \"%s\" for %s (%s) of province %s; row kept "
		 "(code and name agree)",
		 r->line, r->old_prov, u->full_name, u->code, u->province);
}

/* A cell without its trailing "(code)": "Huyện Cồn Cỏ (471)" -> "Huyện Cồn Cỏ". */
static const char *cell_name(struct loader *L, const char *cell)
{
	const char *open = strrchr(cell, '(');
	return open ? L_norm(L, arena_strndup(L->a, cell, (size_t)(open - cell))) : cell;
}

/* The island districts that became special zones whole have no commune. */
static struct lu *nso_old_district(struct loader *L, const struct nso *r)
{
	const char *code = paren_code(L, r->district);
	struct lu *d = uset_get(&L->oldd, code);
	if (!d || !names_match(d, L_bare(L, cell_name(L, r->district)))) {
		note_add(L, "unresolved", code,
			 "NSO line %d: district %s is not in the official list", r->line,
			 r->district);
		return NULL;
	}
	nso_check_old_province(L, r, d, d->bare);
	return d;
}

static int nso_old_spelling_ok(struct loader *L, const struct nso *r, struct lu *u,
			       const char *bare)
{
	struct lu *other = namesake(L, &L->oldc, u, bare);
	if (other || strcmp(paren_code(L, r->district), u->district)) {
		note_add(L, "unresolved", u->code,
			 "NSO line %d: old code %s is %s (district %s) in the official list, but "
			 "the row "
			 "names %s of %s%s%s; row not used",
			 r->line, u->code, u->full_name, u->district, r->old_name, r->district,
			 other ? ", which is code " : "", other ? other->code : "");
		return 0;
	}
	alias_add(L, u, "name", r->old_name, bare, "NSO conversion table");
	return 1;
}

static struct lu *nso_old_unit(struct loader *L, const struct nso *r)
{
	if (!r->old_code[0]) {
		if (!strncmp(L_key(L, r->note), "sap xep toan bo huyen ", 22))
			return nso_old_district(L, r);
		note_add(
			L, "unresolved", r->new_code,
			"NSO line %d: \"%s\" (into %s %s) has no code and is not an administrative "
			"unit; not linked",
			r->line, r->old_name, r->new_name, r->new_code);
		return NULL;
	}
	const char *bare = L_bare(L, r->old_name);
	const struct fix *f = fix_find(FIX_OLD_CODE, bare, r->old_code);
	struct lu *u = f ? uset_get(&L->oldc, f->good) : NULL;
	if (u && names_match(u, bare))
		fix_applied(L, f);
	else if (!(u = uset_get(&L->oldc, r->old_code))) {
		note_add(L, "unresolved", r->old_code,
			 "NSO line %d: old commune %s has code %s, which is not in the "
			 "official list; row not used",
			 r->line, r->old_name, r->old_code);
		return NULL;
	}
	if (!names_match(u, bare) && !nso_old_spelling_ok(L, r, u, bare))
		return NULL;
	if (strcmp(paren_code(L, r->district), u->district))
		note_add(L, "unresolved", u->code,
			 "NSO line %d: district cell \"%s\" for %s (%s) of district %s; row kept",
			 r->line, r->district, u->full_name, u->code, u->district);
	nso_check_old_province(L, r, u, bare);
	return u;
}

static void nso_row(struct loader *L, const struct csv *c)
{
	struct nso r = {c->line,
			L_norm(L, c->f[0]),
			L_norm(L, c->f[1]),
			L_norm(L, c->f[2]),
			L_norm(L, c->f[3]),
			L_norm(L, c->f[4]),
			L_norm(L, c->f[5]),
			L_norm(L, c->f[6]),
			L_norm(L, c->f[7]),
			NULL};
	if (!r.new_name[0] && !r.new_code[0]) {
		L->nso_banners++; /* "THÀNH PHỐ HÀ NỘI" */
		return;
	}
	L->nso_rows++;
	r.kind = nso_kind(L_key(L, r.note));
	if (!r.kind) {
		note_add(L, "unresolved", r.new_code,
			 "NSO line %d: unknown kind of change \"%s\"; row not used", r.line,
			 r.note);
		return;
	}
	struct lu *n = nso_new_unit(L, &r);
	struct lu *o = nso_old_unit(L, &r);
	if (n && o)
		succ_add(L, o, n, r.kind, r.note, "NSO conversion table", L_bare(L, r.old_name));
}

static int load_nso(struct loader *L, struct err *e)
{
	struct csv c;
	int rc = csv_open(&c, "merger_2025-07-01_communes_nso.csv", e);
	/* Two header rows: the eras, then the column names. */
	for (int i = 0; rc == 0 && i < 2; i++)
		rc = csv_row(&c, 9, e) == 1 ? 0 : csv_bad(&c, "missing header rows", e);
	if (rc == 0 && (strcmp(c.f[1], "Tên Xã mới") || strcmp(c.f[4], "Mã Xã cũ")))
		rc = csv_bad(&c, "unexpected header row", e);
	while (rc == 0 && (rc = csv_row(&c, 8, e)) == 1) {
		nso_row(L, &c);
		rc = 0;
	}
	csv_close(&c);
	return rc < 0 ? rc : 0;
}

static void note_fixes(struct loader *L)
{
	for (int i = 0; i < NFIX; i++) {
		const struct fix *f = &fixes[i];
		if (L->fix_rows[i])
			note_add(L, "correction", f->good,
				 "%s: %s -> %s (%d row%s of the NSO table)", f->what, f->bad,
				 f->good, L->fix_rows[i], L->fix_rows[i] > 1 ? "s" : "");
		else
			note_add(L, "correction", f->good, "%s: %s -> %s not needed (no such row)",
				 f->what, f->bad, f->good);
	}
}

/* Today's province of old districts (their province's) and old communes
 * (their successors', when all lie in one province). */
static void set_new_provinces(struct loader *L)
{
	for (size_t i = 0; i < L->oldd.n; i++) {
		struct lu *d = L->oldd.v[i];
		snprintf(d->newp, sizeof d->newp, "%s", uset_get(&L->oldp, d->province)->newp);
	}
	for (size_t i = 0; i < L->oldc.n; i++) {
		struct lu *u = L->oldc.v[i];
		if (!u->succ) {
			note_add(L, "unresolved", u->code,
				 "old commune %s (%s) has no successor in the NSO table",
				 u->full_name, u->code);
			continue;
		}
		const char *p = u->succ->new->province;
		for (struct succ *s = u->succ; s; s = s->next_of_old)
			if (strcmp(s->new->province, p))
				p = NULL;
		if (!p) {
			note_add(L, "unresolved", u->code,
				 "old commune %s (%s) went to several provinces", u->full_name,
				 u->code);
			continue;
		}
		snprintf(u->newp, sizeof u->newp, "%s", p);
		if (strcmp(p, uset_get(&L->oldp, u->province)->newp))
			note_add(L, "disagreement", u->code,
				 "old commune %s (%s) of province %s went to province %s, not to "
				 "its "
				 "province's successor %s",
				 u->full_name, u->code, u->province, p,
				 uset_get(&L->oldp, u->province)->newp);
	}
}

/* ---- the merger texts: "Xã Bình Minh (huyện Khoái Châu), Xã Thắng Lợi, ..." ----
 * Each old commune a new commune's text names must be among that commune's
 * rows of the NSO table (by name); a name found elsewhere in the province is a
 * disagreement, a name found nowhere is listed as unresolved. Text inside
 * parentheses is only read for a district ("(huyện Khoái Châu)"): the rest
 * there names new communes ("phần còn lại sau khi sáp nhập vào xã ..."). */

struct mention {
	const char *name, *qual; /* the name as written; the district's key or NULL */
	struct mention *next;
};

struct mctx {
	struct loader *L;
	struct mention *head, **tail, *last;
	int inherit; /* "của các phường A, B, C": B and C are wards too */
};

/* Words of the text; ',' and ';' are words of their own. */
struct words {
	char **w;
	int n, cap;
};

static void words_add(struct loader *L, struct words *ws, const char *s, size_t n)
{
	if (ws->n == ws->cap) {
		ws->cap = ws->cap ? ws->cap * 2 : 64;
		ws->w = xrealloc(ws->w, (size_t)ws->cap * sizeof *ws->w);
	}
	ws->w[ws->n++] = arena_strndup(L->a, s, n);
}

static void words_split(struct loader *L, struct words *ws, const char *s, size_t n)
{
	ws->n = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++;
		} else if (s[i] == ',' || s[i] == ';') {
			words_add(L, ws, s + i, 1);
			i++;
		} else {
			size_t j = i;
			while (j < n && !strchr(" \t\n,;", s[j]))
				j++;
			words_add(L, ws, s + i, j - i);
			i = j;
		}
	}
}

/* How many words (1 or 2) the type word at w[i] has, 0 when none. */
static int type_at(char **w, int n, int i, int *upper)
{
	static const char *const one[] = {"Xã", "Phường", "xã", "phường"};
	for (int k = 0; k < 4; k++) {
		if (!strcmp(w[i], one[k])) {
			*upper = k < 2;
			return 1;
		}
	}
	if (i + 1 < n && (!strcmp(w[i], "Thị") || !strcmp(w[i], "thị")) &&
	    (!strcmp(w[i + 1], "trấn") || !strcmp(w[i + 1], "Trấn"))) {
		*upper = w[i][0] == 'T';
		return 2;
	}
	return 0;
}

/* A word that can start a name: a capital letter or a digit. */
static int starts_name(const char *w)
{
	utf8proc_int32_t cp;
	if (utf8proc_iterate((const utf8proc_uint8_t *)w, -1, &cp) <= 0)
		return 0;
	utf8proc_category_t cat = utf8proc_category(cp);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_ND;
}

static void emit(struct mctx *m, char **w, int a, int b)
{
	struct buf name = BUF_INIT;
	for (int i = a; i < b; i++)
		buf_printf(&name, "%s%s", i > a ? " " : "", w[i]);
	struct mention *x = arena_alloc(m->L->a, sizeof *x);
	x->name = arena_strdup(m->L->a, buf_cstr(&name));
	buf_free(&name);
	*m->tail = x;
	m->tail = &x->next;
	m->last = x;
}

/* The name after a type word runs to the item's end or to the next
 * capitalised type word ("xã Yên Định  Xã Yên Định" names two). */
static void emit_names(struct mctx *m, char **w, int from, int b)
{
	int s = from;
	for (int j = from; j < b; j++) {
		int up, len = type_at(w, b, j, &up);
		if (len && up && j + len < b) { /* not "Xã Tân Xã": a name may end in "Xã" */
			if (j > s)
				emit(m, w, s, j);
			s = j + len;
			j = s - 1;
		}
	}
	if (s < b)
		emit(m, w, s, b);
}

static void item_mentions(struct mctx *m, char **w, int a, int b)
{
	int i = a, len = 0, upper = 0;
	while (i < b && !(len = type_at(w, b, i, &upper)))
		i++;
	if (i == b) {
		static const char *const stop[] = {"Toàn", "Một", "Phần", "Sắp", "Quy", NULL};
		int stopped = 0;
		for (int k = 0; stop[k]; k++)
			stopped |= !strcmp(w[a], stop[k]);
		if (m->inherit && starts_name(w[a]) && !stopped)
			emit(m, w, a, b);
		else
			m->inherit = 0;
		return;
	}
	if (i > a && !strcmp(w[i - 1], "vào")) { /* "sáp nhập vào xã X": a new commune */
		m->inherit = 0;
		return;
	}
	m->inherit = !upper || (i > a && !strcmp(w[i - 1], "các"));
	int t = i + len;
	while (t < b && (len = type_at(w, b, t, &upper))) /* "các phường Phường X" */
		t += len;
	emit_names(m, w, t, b);
}

static int is_separator(char **w, int n, int i)
{
	return !strcmp(w[i], ",") || !strcmp(w[i], ";") || !strcmp(w[i], "và") ||
	       (i + 1 < n && !strcmp(w[i], "sau") && !strcmp(w[i + 1], "khi"));
}

static void segment_mentions(struct mctx *m, struct words *ws, const char *s, size_t n)
{
	words_split(m->L, ws, s, n);
	m->last = NULL;
	int a = 0;
	for (int i = 0; i <= ws->n; i++) {
		if (i < ws->n && !is_separator(ws->w, ws->n, i))
			continue;
		if (i > a)
			item_mentions(m, ws->w, a, i);
		a = i + 1;
	}
}

/* "(huyện Khoái Châu)", "(Quận 3)", "(huyện Châu Thành, tỉnh Bến Tre)". */
static void paren_qualifier(struct mctx *m, const char *s, size_t n)
{
	if (!m->last)
		return;
	const char *comma = memchr(s, ',', n);
	const char *text = arena_strndup(m->L->a, s, comma ? (size_t)(comma - s) : n);
	const char *key = L_key(m->L, text);
	static const char *const kinds[] = {"quan ", "huyen ", "thi xa ", "thanh pho ", NULL};
	for (int k = 0; kinds[k]; k++)
		if (!strncmp(key, kinds[k], strlen(kinds[k])))
			m->last->qual = strip_type(key);
	m->last = NULL;
}

static struct mention *text_mentions(struct loader *L, const char *text)
{
	struct mctx m = {L, NULL, NULL, NULL, 0};
	m.tail = &m.head;
	struct words ws = {NULL, 0, 0};
	const char *p = text;
	while (*p) {
		const char *open = strchr(p, '(');
		size_t n = open ? (size_t)(open - p) : strlen(p);
		segment_mentions(&m, &ws, p, n);
		if (!open)
			break;
		const char *close = strchr(open, ')');
		size_t pn = close ? (size_t)(close - open - 1) : strlen(open + 1);
		paren_qualifier(&m, open + 1, pn);
		p = close ? close + 1 : open + 1 + pn;
	}
	free(ws.w);
	return m.head;
}

static int pred_named(const struct lu *n, const char *key)
{
	for (struct succ *s = n->preds; s; s = s->next_of_new)
		if ((s->nso_bare && !strcmp(s->nso_bare, key)) || names_match(s->old, key))
			return 1;
	return 0;
}

/* An old commune now in new province p named key (of district qual). */
static struct lu *old_named(struct loader *L, const char *p, const char *key, const char *qual)
{
	for (size_t i = 0; i < L->oldc.n; i++) {
		struct lu *x = L->oldc.v[i];
		if (!names_match(x, key) || strcmp(uset_get(&L->oldp, x->province)->newp, p))
			continue;
		if (!qual || names_match(uset_get(&L->oldd, x->district), qual))
			return x;
	}
	return NULL;
}

static void check_mention(struct loader *L, const struct lu *n, const struct mention *x)
{
	const char *key = L_key(L, x->name);
	L->mentions++;
	if (pred_named(n, key)) {
		L->mentions_ok++;
		return;
	}
	struct lu *o = old_named(L, n->province, key, x->qual);
	if (!o) {
		note_add(
			L, "unresolved", n->code,
			"the merger text of %s (%s) names \"%s\"%s%s%s, which is no old commune of "
			"today's province %s",
			n->full_name, n->code, x->name, x->qual ? " (district " : "",
			x->qual ? x->qual : "", x->qual ? ")" : "", n->province);
		return;
	}
	note_add(L, "disagreement", n->code,
		 "the merger text of %s (%s) names %s (%s, district %s), which the NSO table puts "
		 "into %s (%s)%s instead",
		 n->full_name, n->code, o->full_name, o->code, o->district,
		 o->succ ? o->succ->new->full_name : "nothing", o->succ ? o->succ->new->code : "-",
		 o->nsucc > 1 ? " and others" : "");
}

/* The new commune a row of the merger text file is about. */
static struct lu *source_unit(struct loader *L, const struct csv *c)
{
	const char *name = L_norm(L, c->f[1]), *bare = L_bare(L, name);
	struct lu *u = uset_get(&L->newc, c->f[0]), *found = NULL;
	if (u && names_match(u, bare) && !strcmp(u->province, c->f[2]))
		return u;
	int count = 0;
	for (size_t i = 0; i < L->newc.n; i++) {
		struct lu *x = L->newc.v[i];
		if (!strcmp(x->province, c->f[2]) && names_match(x, bare))
			found = x, count++;
	}
	if (count != 1) {
		note_add(L, "unresolved", c->f[0],
			 "merger text line %d: %s (%s, province %s) is not in the official list",
			 c->line, name, c->f[0], c->f[2]);
		return NULL;
	}
	note_add(L, "disagreement", found->code,
		 "the merger text file gives %s (province %s) code %s; the official list gives %s "
		 "(%s%s)",
		 name, c->f[2], c->f[0], found->code, u ? "which is " : "the list has no commune ",
		 u ? u->full_name : c->f[0]);
	return found;
}

static int check_texts(struct loader *L, struct err *e)
{
	struct csv c;
	int rc = csv_start(&c, "merger_2025-07-01_communes_source.csv",
			   "new_code,new_full_name,new_province_code,before_merger_text", e);
	while (rc == 0 && (rc = csv_row(&c, 4, e)) == 1) {
		rc = 0;
		struct lu *n = source_unit(L, &c);
		if (!n)
			continue;
		for (struct mention *x = text_mentions(L, L_norm(L, c.f[3])); x; x = x->next)
			check_mention(L, n, x);
	}
	csv_close(&c);
	return rc < 0 ? rc : 0;
}

/* ---- reading everything ---- */

static int read_lists(struct loader *L, struct err *e)
{
	int rc = load_types(L, "2025-03-01_unit_types.csv", L->old_types, e);
	if (rc == 0)
		rc = load_types(L, "2025-07-01_unit_types.csv", L->new_types, e);
	if (rc == 0)
		rc = load_regions(L, e);
	if (rc == 0)
		rc = load_list(L, &old_provinces, L->old_types, &L->oldp, NULL, NULL, e);
	if (rc == 0)
		rc = load_list(L, &old_districts, L->old_types, &L->oldd, &L->oldp, NULL, e);
	if (rc == 0)
		rc = load_list(L, &old_communes, L->old_types, &L->oldc, &L->oldp, &L->oldd, e);
	if (rc == 0)
		rc = load_list(L, &new_provinces, L->new_types, &L->newp, NULL, NULL, e);
	if (rc == 0)
		rc = load_list(L, &new_communes, L->new_types, &L->newc, &L->newp, NULL, e);
	if (rc == 0)
		rc = compare_2026(L, &new_provinces_2026, &L->newp, e);
	if (rc == 0)
		rc = compare_2026(L, &new_communes_2026, &L->newc, e);
	return rc;
}

static int read_all(struct loader *L, struct err *e)
{
	int rc = read_lists(L, e);
	if (rc == 0)
		rc = load_province_merger(L, e);
	if (rc == 0)
		rc = load_nso(L, e);
	if (rc < 0)
		return rc;
	note_fixes(L);
	for (size_t i = 0; i < L->newp.n; i++)
		snprintf(L->newp.v[i]->newp, sizeof L->newp.v[i]->newp, "%s", L->newp.v[i]->code);
	for (size_t i = 0; i < L->newc.n; i++)
		snprintf(L->newc.v[i]->newp, sizeof L->newc.v[i]->newp, "%s",
			 L->newc.v[i]->province);
	set_new_provinces(L);
	return check_texts(L, e);
}

/* ---- writing ---- */

static const char sql_unit[] =
	"INSERT INTO units(era, level, code, name, full_name, name_en, type_name, province_code,"
	" district_code, region_id, valid_from, valid_to, is_current, new_province_code, fold_key)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?)";

struct version {
	const char *type, *full_name, *name_en, *from, *to;
	int current;
};

static int insert_version(struct store *st, const struct lu *u, const char *era, const char *level,
			  const struct version *v, int64_t *id, struct err *e)
{
	int rc = store_run(st, e, sql_unit, "tttttttttittitt", era, level, u->code, u->name,
			   v->full_name, v->name_en, v->type, u->province, u->district,
			   (int64_t)u->region, v->from, v->to, (int64_t)v->current,
			   u->newp[0] ? u->newp : NULL, u->key);
	if (rc < 0)
		return rc;
	*id = store_last_id(st);
	return 0;
}

/* Every version of a unit carries its aliases, so that searches, which see
 * current versions only, find them. */
static int insert_aliases(struct store *st, const struct lu *u, int64_t id, struct err *e)
{
	for (struct alias *x = u->aliases; x; x = x->next) {
		int rc = store_run(st, e,
				   "INSERT INTO unit_aliases(unit_id, kind, name, fold_key, source)"
				   " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				   "itttt", id, x->kind, x->name, x->key, x->source);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Old units are valid from the date of their list to the reform; new ones
 * from the reform, in two versions when the 2026-04-30 list changed them. */
static int insert_set(struct store *st, struct uset *s, const char *era, const char *level,
		      struct err *e)
{
	int old = !strcmp(era, "old");
	for (size_t i = 0; i < s->n; i++) {
		struct lu *u = s->v[i];
		const char *to = old ? "2025-06-30" : u->type2 ? "2026-04-29" : NULL;
		struct version v1 = {
			.type = u->type, .full_name = u->full_name, .name_en = u->name_en};
		v1.from = old ? "2025-03-01" : "2025-07-01";
		v1.to = to;
		v1.current = !u->type2;
		struct version v2 = {u->type2, u->full_name2, u->name_en2, "2026-04-30", NULL, 1};
		int rc = insert_version(st, u, era, level, &v1, &u->id, e);
		if (rc == 0 && u->type2)
			rc = insert_version(st, u, era, level, &v2, &u->id2, e);
		if (rc == 0)
			rc = insert_aliases(st, u, u->id, e);
		if (rc == 0 && u->id2)
			rc = insert_aliases(st, u, u->id2, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int insert_rest(struct store *st, struct loader *L, struct err *e)
{
	int rc = 0;
	for (int i = 0; rc >= 0 && i < L->nregions; i++)
		rc = store_run(
			st, e, "INSERT INTO unit_regions(id, name, name_en) VALUES (?, ?, ?)",
			"itt", (int64_t)L->region_ids[i], L->region_names[i], L->region_en[i]);
	for (struct succ *s = L->succ; rc >= 0 && s; s = s->next)
		rc = store_run(
			st, e,
			"INSERT INTO unit_succession(old_unit_id, new_unit_id, kind, note, source)"
			" VALUES (?, ?, ?, ?, ?)",
			"iittt", s->old->id, s->new->id, s->kind, s->note, s->source);
	for (struct note *n = L->notes; rc >= 0 && n; n = n->next)
		rc = store_run(st, e,
			       "INSERT INTO unit_notes(category, ref, message) VALUES (?, ?, ?)",
			       "ttt", n->category, n->ref, n->message);
	return rc < 0 ? rc : 0;
}

static int write_all(struct store *st, struct loader *L, struct err *e)
{
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	rc = insert_set(st, &L->oldp, "old", "province", e);
	if (rc == 0)
		rc = insert_set(st, &L->oldd, "old", "district", e);
	if (rc == 0)
		rc = insert_set(st, &L->oldc, "old", "commune", e);
	if (rc == 0)
		rc = insert_set(st, &L->newp, "new", "province", e);
	if (rc == 0)
		rc = insert_set(st, &L->newc, "new", "commune", e);
	if (rc == 0)
		rc = insert_rest(st, L, e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

static void summary(const struct loader *L, struct buf *report)
{
	size_t nsucc = 0, split = 0, notes = 0;
	for (const struct succ *s = L->succ; s; s = s->next)
		nsucc++;
	for (size_t i = 0; i < L->oldc.n; i++)
		split += L->oldc.v[i]->nsucc > 1;
	for (const struct note *n = L->notes; n; n = n->next)
		notes++;
	buf_printf(report, "units: old: %zu provinces, %zu districts, %zu communes\n", L->oldp.n,
		   L->oldd.n, L->oldc.n);
	buf_printf(report, "units: new: %zu provinces, %zu communes; %d tone-placement aliases\n",
		   L->newp.n, L->newc.n, L->tone_aliases);
	buf_printf(report, "units: NSO table: %d rows (%d province banners skipped)\n", L->nso_rows,
		   L->nso_banners);
	buf_printf(report, "units: %zu successions; %zu old communes split between new ones\n",
		   nsucc, split);
	buf_printf(report, "units: merger texts name %d old communes, %d as the NSO table does\n",
		   L->mentions, L->mentions_ok);
	buf_printf(report, "units: %zu notes (see unit_reconcile_report)\n", notes);
}

static void loader_init(struct loader *L)
{
	memset(L, 0, sizeof *L);
	L->a = arena_new();
	uset_init(&L->oldp, 2);
	uset_init(&L->oldd, 3);
	uset_init(&L->oldc, 5);
	uset_init(&L->newp, 2);
	uset_init(&L->newc, 5);
	L->succ_tail = &L->succ;
	L->notes_tail = &L->notes;
}

static void loader_free(struct loader *L)
{
	uset_free(&L->oldp);
	uset_free(&L->oldd);
	uset_free(&L->oldc);
	uset_free(&L->newp);
	uset_free(&L->newc);
	arena_free(L->a);
}

int unit_load_all(struct store *st, struct buf *report, struct err *e)
{
	int64_t have = 0;
	int rc = store_int(st, e, &have, "SELECT COUNT(*) FROM units", "");
	if (rc < 0)
		return rc;
	if (have > 0) {
		if (report)
			buf_printf(report, "units: already loaded (%lld rows); nothing changed\n",
				   (long long)have);
		return 0;
	}
	struct loader L;
	loader_init(&L);
	rc = read_all(&L, e);
	if (rc == 0)
		rc = write_all(st, &L, e);
	if (rc == 0 && report)
		summary(&L, report);
	loader_free(&L);
	return rc;
}
