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

#include <stdlib.h>
#include <string.h>

/* Rows a statement: bounded by the parameters a statement may have
 * (SQLite 32 766, PostgreSQL 65 535). */
enum { BATCH_ROWS = 256, BATCH_PARAMS = 30000 };

struct record_batch {
	struct store *st;
	const struct actor *a;
	const struct entity *ent;
	record_batch_written cb;
	void *ctx;
	struct record_stage *rows;
	char **audit;
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

struct record_batch *record_batch_new(struct store *st, const struct actor *a,
				      const struct entity *ent, record_batch_written cb,
				      void *ctx)
{
	struct record_batch *b = xcalloc(1, sizeof *b);
	b->st = st;
	b->a = a;
	b->ent = ent;
	b->cb = cb;
	b->ctx = ctx;
	size_t params = 8 + (size_t)ent_sql(ent)->nfieldcols;
	b->max = BATCH_PARAMS / params;
	if (b->max > BATCH_ROWS)
		b->max = BATCH_ROWS;
	if (b->max < 1)
		b->max = 1;
	b->rows = xcalloc(b->max, sizeof *b->rows);
	b->audit = xcalloc(b->max, sizeof *b->audit);
	b->tags = xcalloc(b->max, sizeof *b->tags);
	b->ids = xcalloc(b->max, sizeof *b->ids);
	b->sql = insert_sql(ent, b->max);
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
		return err_set(e, ERR_STORE, "", "%zu of %zu records written / %zu of %zu records written",
			       got, b->n, got, b->n);
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

int record_batch_add(struct record_batch *b, json_t *in, int64_t tag, struct errs *all,
		     struct err *e)
{
	if (record_history_only(b->ent, e) < 0)
		return e->code;
	struct record_stage *r = &b->rows[b->n];
	int rc = record_stage_create(b->st, b->a, b->ent, in, all, r, e);
	if (rc < 0)
		return rc;
	b->audit[b->n] = record_audit_json(b->ent, r->rec);
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
	free(b);
}
