/* record_batch.c - creates written some hundred at a time (record_batch.h).
 * Per record an import otherwise spent two statements (the INSERT and its
 * audit row); on SQLite each INSERT also made the full-text index flush its
 * pending words (FTS5 does at every statement savepoint), a third of an
 * import's time. Here a batch is one INSERT ... RETURNING id and one audit
 * INSERT. */
#include "model/record_batch.h"

#include "core/mem.h"
#include "model/audit.h"
#include "model/entities_rules.h"
#include "model/record_sql.h"
#include "model/record_stage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows a statement: bounded by the parameters a statement may have
 * (SQLite 32 766, PostgreSQL 65 535), about 780 establishments. On SQLite
 * each statement makes the words table (FTS5) write what it holds as a new
 * segment, to be merged later: 64 rows a statement cost a tenth more CPU
 * for 100 000 rows into the national database (bench/results.md). */
enum { BATCH_ROWS = 1000, BATCH_PARAMS = 30000 };

struct record_batch {
	struct store *st;
	const struct actor *a;
	const struct entity *ent;
	record_batch_written cb;
	void *ctx;
	struct record_stage *rows;
	char **audit;
	const struct field **sorted; /* ent's fields by name, as the audit's JSON */
	struct buf json;
	int64_t *tags, *ids;
	size_t n, max;
	char *sql; /* the INSERT of max rows */
};

/* Is a unique field of ent a natural key by itself? */
static int unique_is_key(const struct entity *ent, const struct field *f)
{
	for (int j = 0; j < 3 && ent->keys[j]; j++)
		if (!strcmp(ent->keys[j], f->name))
			return 1;
	return 0;
}

int record_batch_suits(const struct entity *ent)
{
	if (ent->history)
		return 0;
	/* Rules that read other records of the same type would miss the kept
	 * ones: only types whose rules read none. */
	if (ent->validate && ent->validate != establishment_validate)
		return 0;
	for (const struct field *f = ent->fields; f->name; f++) {
		if ((f->flags & FF_UNIQUE) && !unique_is_key(ent, f))
			return 0;
		if (f->type == F_REF && f->ref && !strcmp(f->ref, ent->collection))
			return 0;
	}
	return 1;
}

/* ---- the audit's JSON ---------------------------------------------------- */

/* A string as jansson's json_dumps writes it (record_audit_json): '"', '\\'
 * and control characters escaped, the rest as it is (valid UTF-8). */
static void json_text(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	const char *run = s;
	for (const unsigned char *p = (const unsigned char *)s;; p++) {
		unsigned char c = *p;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)((const char *)p - run));
		run = (const char *)p + 1;
		if (!c)
			break;
		switch (c) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\b':
			buf_puts(b, "\\b");
			break;
		case '\f':
			buf_puts(b, "\\f");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			buf_printf(b, "\\u%04X", c);
		}
	}
	buf_putc(b, '"');
}

static void json_value(struct buf *b, json_t *v)
{
	if (!v || json_is_null(v)) {
		buf_puts(b, "null");
	} else if (json_is_string(v)) {
		json_text(b, json_string_value(v));
	} else if (json_is_integer(v)) {
		char n[24];
		int len = snprintf(n, sizeof n, "%lld", (long long)json_integer_value(v));
		buf_append(b, n, (size_t)len);
	} else if (json_is_boolean(v)) {
		buf_puts(b, json_is_true(v) ? "true" : "false");
	} else { /* an object (a quantity, revenue by year) or a list */
		char *t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		buf_puts(b, t ? t : "null");
		free(t);
	}
}

/* The text record_audit_json makes of rec, without building it in jansson
 * first (a fifth of a batch's time): {"field":value,...} by field name. */
static char *audit_json(struct record_batch *b, json_t *rec)
{
	buf_reset(&b->json);
	buf_putc(&b->json, '{');
	for (size_t i = 0; b->sorted[i]; i++) {
		buf_puts(&b->json, i ? ",\"" : "\"");
		buf_puts(&b->json, b->sorted[i]->name);
		buf_puts(&b->json, "\":");
		json_value(&b->json, json_object_get(rec, b->sorted[i]->name));
	}
	buf_putc(&b->json, '}');
	return xstrdup(buf_cstr(&b->json));
}

static int field_cmp(const void *x, const void *y)
{
	const struct field *a = *(const struct field *const *)x,
			   *b = *(const struct field *const *)y;
	return strcmp(a->name, b->name);
}

static const struct field **sorted_fields(const struct entity *ent)
{
	size_t n = 0;
	while (ent->fields[n].name)
		n++;
	const struct field **v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = &ent->fields[i];
	qsort(v, n, sizeof *v, field_cmp);
	return v;
}

/* ---- writing ------------------------------------------------------------- */

/* "INSERT INTO t (...) VALUES (row), (row)... RETURNING id" for n rows, from
 * the one-row INSERT of the record engine. */
static char *insert_sql(const struct entity *ent, size_t n)
{
	const char *one = ent_sql(ent)->insert;
	const char *values = strstr(one, " VALUES (");
	struct buf b = BUF_INIT;
	buf_append(&b, one, (size_t)(values - one) + 8);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", values + 8);
	buf_puts(&b, " RETURNING id");
	return buf_detach(&b);
}

size_t record_batch_rows(const struct entity *ent)
{
	size_t max = BATCH_PARAMS / (8 + (size_t)ent_sql(ent)->nfieldcols);
	return max > BATCH_ROWS ? BATCH_ROWS : max < 1 ? 1 : max;
}

struct record_batch *record_batch_new(struct store *st, const struct actor *a,
				      const struct entity *ent, record_batch_written cb, void *ctx)
{
	struct record_batch *b = xcalloc(1, sizeof *b);
	b->st = st;
	b->a = a;
	b->ent = ent;
	b->cb = cb;
	b->ctx = ctx;
	b->max = record_batch_rows(ent);
	b->rows = xcalloc(b->max, sizeof *b->rows);
	b->audit = xcalloc(b->max, sizeof *b->audit);
	b->tags = xcalloc(b->max, sizeof *b->tags);
	b->ids = xcalloc(b->max, sizeof *b->ids);
	b->sql = insert_sql(ent, b->max);
	b->sorted = sorted_fields(ent);
	return b;
}

static void drop_kept(struct record_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		record_stage_free(&b->rows[i]);
		free(b->audit[i]);
		b->audit[i] = NULL;
	}
	b->n = 0;
}

static int id_cmp(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* The INSERT of the kept rows; their ids in b->ids, in the order of the rows.
 * Each row's id is taken from the table's sequence as the row is inserted,
 * in the order of VALUES, so the ids returned, sorted, are the rows' ids. */
static int insert_rows(struct record_batch *b, struct err *e)
{
	char *own = b->n == b->max ? NULL : insert_sql(b->ent, b->n);
	struct stmt *s = own ? store_prepare_once(b->st, own, e) : store_prepare(b->st, b->sql, e);
	free(own);
	if (!s)
		return ERR_STORE;
	int pos = 1;
	for (size_t i = 0; i < b->n; i++)
		record_stage_bind(s, &pos, b->ent, &b->rows[i]);
	size_t got = 0;
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		if (got < b->n)
			b->ids[got++] = stmt_int(s, 0);
	stmt_done(s);
	if (rc < 0)
		return rc;
	if (got != b->n)
		return err_set(e, ERR_STORE, "",
			       "%zu of %zu records written / %zu of %zu records written", got, b->n,
			       got, b->n);
	qsort(b->ids, b->n, sizeof *b->ids, id_cmp);
	return 0;
}

int record_batch_flush(struct record_batch *b, struct err *e)
{
	if (!b || !b->n)
		return 0;
	int rc = insert_rows(b, e);
	if (rc == 0)
		rc = audit_append_many(b->st, b->a, b->ent->collection, "create", b->n, b->ids,
				       b->audit, e);
	for (size_t i = 0; rc == 0 && b->cb && i < b->n; i++)
		b->cb(b->ctx, b->tags[i], b->ids[i]);
	drop_kept(b);
	return rc;
}

int record_batch_add(struct record_batch *b, json_t *in, int64_t tag,
		     const struct record_free *free_val, struct errs *all, struct err *e)
{
	if (record_history_only(b->ent, e) < 0)
		return e->code;
	struct record_stage *r = &b->rows[b->n];
	int rc = record_stage_create(b->st, b->a, b->ent, in, free_val, all, r, e);
	if (rc < 0)
		return rc;
	b->audit[b->n] = audit_json(b, r->rec);
	b->tags[b->n] = tag;
	b->n++;
	return b->n == b->max;
}

void record_batch_free(struct record_batch *b)
{
	if (!b)
		return;
	drop_kept(b);
	free(b->rows);
	free(b->audit);
	free(b->tags);
	free(b->ids);
	free(b->sql);
	free(b->sorted);
	buf_free(&b->json);
	free(b);
}
