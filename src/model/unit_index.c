/* unit_index.c - the units table in memory (unit_index.h): every version
 * row with the columns unit.c's conditions read, its codes and names and
 * those of its aliases in one sorted array, and every word start of its
 * names in another, so "LIKE '% name%'" is a range of the second. About
 * 1.5 MB for the 14 000 rows. */
#include "model/unit_index.h"

#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

struct uix_row {
	int64_t id;
	char era[4], level[10], code[8], type[32];
	int current;
};

struct uix_key {
	const char *text; /* a folded name, a code, or a word start in a name */
	int row;
	char kind; /* 'c' code, 'n' name (exact keys); 0 in the word array */
};

struct unit_index {
	struct uix_row *rows;
	size_t nrows;
	struct uix_key *keys, *words; /* sorted */
	size_t nkeys, nwords, capkeys, capwords;
	char **strings; /* what the keys point into */
	size_t nstrings, capstrings;
};

static const char *keep(struct unit_index *ix, const char *s)
{
	if (ix->nstrings == ix->capstrings) {
		ix->capstrings = ix->capstrings ? 2 * ix->capstrings : 4096;
		ix->strings = xrealloc(ix->strings, ix->capstrings * sizeof *ix->strings);
	}
	return ix->strings[ix->nstrings++] = xstrdup(s ? s : "");
}

static void push(struct uix_key **a, size_t *n, size_t *cap, struct uix_key k)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		*a = xrealloc(*a, *cap * sizeof **a);
	}
	(*a)[(*n)++] = k;
}

/* A name of row: its exact key, and each of its word starts. */
static void add_name(struct unit_index *ix, int row, const char *folded)
{
	const char *s = keep(ix, folded);
	push(&ix->keys, &ix->nkeys, &ix->capkeys, (struct uix_key){s, row, 'n'});
	for (const char *p = s; *p; p++)
		if (p == s || p[-1] == ' ')
			push(&ix->words, &ix->nwords, &ix->capwords, (struct uix_key){p, row, 0});
}

static void add_code(struct unit_index *ix, int row, const char *code)
{
	push(&ix->keys, &ix->nkeys, &ix->capkeys, (struct uix_key){keep(ix, code), row, 'c'});
}

static int key_cmp(const void *a, const void *b)
{
	const struct uix_key *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	int c = strcmp(x->text, y->text);
	return c ? c : x->row - y->row;
}

static int row_of(const struct unit_index *ix, int64_t id)
{
	size_t lo = 0, hi = ix->nrows;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ix->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->nrows && ix->rows[lo].id == id ? (int)lo : -1;
}

static int load_rows(struct store *st, struct unit_index *ix, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT id, era, level, code, type_name, is_current, fold_key"
			      " FROM units ORDER BY id",
			      e);
	if (!s)
		return ERR_STORE;
	size_t cap = 0;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		if (ix->nrows == cap) {
			cap = cap ? 2 * cap : 16384;
			ix->rows = xrealloc(ix->rows, cap * sizeof *ix->rows);
		}
		struct uix_row *r = &ix->rows[ix->nrows];
		r->id = stmt_int(s, 0);
		str_copy(r->era, sizeof r->era, stmt_text(s, 1));
		str_copy(r->level, sizeof r->level, stmt_text(s, 2));
		str_copy(r->code, sizeof r->code, stmt_text(s, 3));
		str_copy(r->type, sizeof r->type, stmt_text(s, 4));
		r->current = (int)stmt_int(s, 5);
		add_code(ix, (int)ix->nrows, r->code);
		add_name(ix, (int)ix->nrows, stmt_text(s, 6));
		ix->nrows++;
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

static int load_aliases(struct store *st, struct unit_index *ix, struct err *e)
{
	struct stmt *s = store_prepare(st, "SELECT unit_id, kind, fold_key FROM unit_aliases", e);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		int row = row_of(ix, stmt_int(s, 0));
		const char *kind = stmt_text(s, 1), *key = stmt_text(s, 2);
		if (row < 0 || !kind || !key)
			continue;
		if (!strcmp(kind, "code"))
			add_code(ix, row, key);
		else if (!strcmp(kind, "name"))
			add_name(ix, row, key);
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int unit_index_load(struct store *st, struct unit_index **out, struct err *e)
{
	struct unit_index *ix = xcalloc(1, sizeof *ix);
	int rc = load_rows(st, ix, e);
	if (rc == 0)
		rc = load_aliases(st, ix, e);
	if (rc < 0) {
		unit_index_free(ix);
		return rc;
	}
	qsort(ix->keys, ix->nkeys, sizeof *ix->keys, key_cmp);
	qsort(ix->words, ix->nwords, sizeof *ix->words, key_cmp);
	*out = ix;
	return 0;
}

void unit_index_free(struct unit_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nstrings; i++)
		free(ix->strings[i]);
	free(ix->strings);
	free(ix->rows);
	free(ix->keys);
	free(ix->words);
	free(ix);
}

/* The first entry of a (sorted, n) not before (kind, text). */
static size_t lower(const struct uix_key *a, size_t n, char kind, const char *text)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = a[mid].kind != kind ? a[mid].kind - kind : strcmp(a[mid].text, text);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int eq_or_any(const char *want, const char *have)
{
	return !want || !strcmp(want, have);
}

/* ---- exact matches, as candidates() reads them ---- */

static int candidate_cmp(const void *a, const void *b)
{
	const struct uix_row *x = *(const struct uix_row *const *)a,
			     *y = *(const struct uix_row *const *)b;
	int c = strcmp(x->era, y->era);
	if (!c)
		c = strcmp(x->level, y->level);
	if (!c)
		c = strcmp(x->code, y->code);
	if (!c)
		c = y->current - x->current;
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

int uix_exact(const struct unit_index *ix, const struct uix_filter *f, int64_t *ids, int max)
{
	char kind = f->code ? 'c' : 'n';
	const char *text = f->code ? f->code : f->name;
	if (!text)
		return 0;
	const struct uix_row **rows = NULL;
	int n = 0, cap = 0;
	for (size_t i = lower(ix->keys, ix->nkeys, kind, text);
	     i < ix->nkeys && ix->keys[i].kind == kind && !strcmp(ix->keys[i].text, text); i++) {
		const struct uix_row *r = &ix->rows[ix->keys[i].row];
		if (!eq_or_any(f->era, r->era) || !eq_or_any(f->type, r->type))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			rows = xrealloc(rows, (size_t)cap * sizeof *rows);
		}
		rows[n++] = r;
	}
	if (n > 1)
		qsort(rows, (size_t)n, sizeof *rows, candidate_cmp);
	int out = 0;
	for (int i = 0; i < n && out < max; i++)
		if (!i || rows[i] != rows[i - 1]) /* its name and an alias alike: one row */
			ids[out++] = rows[i]->id;
	free(rows);
	return out;
}

/* ---- unit_search's condition ---- */

static int search_keeps(const struct uix_filter *f, const struct uix_row *r)
{
	return eq_or_any(f->era, r->era) && eq_or_any(f->level, r->level) &&
	       eq_or_any(f->type, r->type) && (r->current || f->type);
}

/* Counts rows, up to 2: *first is the first, -1 before any. */
static int count_row(int row, int *first)
{
	if (*first < 0) {
		*first = row;
		return 1;
	}
	return row == *first ? 1 : 2;
}

static int search_code(const struct unit_index *ix, const struct uix_filter *f, int *first)
{
	int n = 0;
	for (size_t i = lower(ix->keys, ix->nkeys, 'c', f->code);
	     n < 2 && i < ix->nkeys && ix->keys[i].kind == 'c' &&
	     !strcmp(ix->keys[i].text, f->code);
	     i++)
		if (search_keeps(f, &ix->rows[ix->keys[i].row]))
			n = count_row(ix->keys[i].row, first);
	return n;
}

static int search_name(const struct unit_index *ix, const struct uix_filter *f, int *first)
{
	size_t len = strlen(f->name);
	int n = 0;
	for (size_t i = lower(ix->words, ix->nwords, 0, f->name);
	     n < 2 && i < ix->nwords && !strncmp(ix->words[i].text, f->name, len); i++)
		if (search_keeps(f, &ix->rows[ix->words[i].row]))
			n = count_row(ix->words[i].row, first);
	return n;
}

int uix_search_count(const struct unit_index *ix, const struct uix_filter *f, int64_t *id)
{
	int first = -1, n = 0;
	if (f->code)
		n = search_code(ix, f, &first);
	else if (f->name)
		n = search_name(ix, f, &first);
	else
		for (size_t i = 0; n < 2 && i < ix->nrows; i++)
			if (search_keeps(f, &ix->rows[i]))
				n = count_row((int)i, &first);
	if (n == 1)
		*id = ix->rows[first].id;
	return n;
}
