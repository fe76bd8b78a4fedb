/* store.c - driver dispatch, typed binding helpers and nested transactions. */
#include "store/driver.h"

#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_open(const char *url, struct store **out, struct err *e)
{
	const struct store_driver *drv = &sqlite_driver;
	const char *arg = url;
	if (!strncmp(url, "sqlite:", 7)) {
		arg = url + 7;
	} else if (!strncmp(url, "postgresql:", 11) || !strncmp(url, "postgres:", 9)) {
		drv = &pg_driver; /* libpq reads the whole URL */
	}
	struct store *st = xcalloc(1, sizeof *st);
	st->drv = drv;
	int rc = drv->open(st, arg, e);
	if (rc < 0) {
		free(st);
		return rc;
	}
	st->url = xstrdup(url);
	*out = st;
	return 0;
}

int store_open_again(struct store *st, struct store **out, struct err *e)
{
	return store_open(st->url, out, e);
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->memo && st->memo_free)
		st->memo_free(st->memo);
	st->drv->close(st);
	free(st->url);
	free(st);
}

const char *store_dialect(const struct store *st)
{
	return st->drv->dialect;
}

int store_exec(struct store *st, const char *sql, struct err *e)
{
	return st->drv->exec(st, sql, e);
}

struct stmt *store_prepare(struct store *st, const char *sql, struct err *e)
{
	return st->drv->prepare(st, sql, e);
}

static void stmt_vbind(struct stmt *s, const char *types, va_list ap)
{
	int pos = 1;
	for (const char *t = types; t && *t; t++, pos++) {
		switch (*t) {
		case 'i': stmt_bind_int(s, pos, va_arg(ap, int64_t)); break;
		case 't': stmt_bind_text(s, pos, va_arg(ap, const char *)); break;
		case 'n': stmt_bind_null(s, pos); break;
		default: abort(); /* a programming error in a type string */
		}
	}
}

void stmt_bind(struct stmt *s, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	stmt_vbind(s, types, ap);
	va_end(ap);
}

void stmt_bind_int(struct stmt *s, int pos, int64_t v)
{
	s->st->drv->bind_int(s, pos, v);
}

void stmt_bind_text(struct stmt *s, int pos, const char *v)
{
	if (v)
		s->st->drv->bind_text(s, pos, v);
	else
		s->st->drv->bind_null(s, pos);
}

void stmt_bind_null(struct stmt *s, int pos)
{
	s->st->drv->bind_null(s, pos);
}

int stmt_step(struct stmt *s, struct err *e)
{
	return s->st->drv->step(s, e);
}

int64_t stmt_int(struct stmt *s, int col)
{
	return s->st->drv->col_int(s, col);
}

const char *stmt_text(struct stmt *s, int col)
{
	return s->st->drv->col_text(s, col);
}

int stmt_isnull(struct stmt *s, int col)
{
	return s->st->drv->col_isnull(s, col);
}

int stmt_columns(struct stmt *s)
{
	return s->st->drv->columns(s);
}

const char *stmt_column_name(struct stmt *s, int col)
{
	return s->st->drv->column_name(s, col);
}

void stmt_done(struct stmt *s)
{
	if (s)
		s->st->drv->done(s);
}

int store_run(struct store *st, struct err *e, const char *sql, const char *types, ...)
{
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return e ? e->code : ERR_STORE;
	va_list ap;
	va_start(ap, types);
	stmt_vbind(s, types, ap);
	va_end(ap);
	int rc = stmt_step(s, e);
	stmt_done(s);
	return rc;
}

int store_int(struct store *st, struct err *e, int64_t *out, const char *sql, const char *types,
              ...)
{
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return e ? e->code : ERR_STORE;
	va_list ap;
	va_start(ap, types);
	stmt_vbind(s, types, ap);
	va_end(ap);
	int rc = stmt_step(s, e);
	if (rc == 1)
		*out = stmt_int(s, 0);
	stmt_done(s);
	return rc;
}

int64_t store_last_id(struct store *st)
{
	return st->drv->last_id(st);
}

int64_t store_changes(struct store *st)
{
	return st->drv->changes(st);
}

int store_begin(struct store *st, struct err *e)
{
	if (st->depth++ > 0)
		return 0;
	st->failed = 0;
	int rc = st->drv->exec(st, st->drv->begin_sql, e);
	if (rc < 0)
		st->depth = 0;
	return rc;
}

int store_lock_key(struct store *st, const char *key, struct err *e)
{
	if (st->depth <= 0)
		abort(); /* the lock lasts for a transaction */
	/* SQLite's BEGIN IMMEDIATE already took the one write lock. */
	if (strcmp(st->drv->dialect, "postgresql"))
		return 0;
	int rc = store_run(st, e, "SELECT pg_advisory_xact_lock(27492, hashtext(?))", "t", key);
	return rc < 0 ? rc : 0;
}

int store_commit(struct store *st, struct err *e)
{
	if (st->depth <= 0)
		abort(); /* commit without begin */
	if (--st->depth > 0)
		return 0;
	if (st->failed) {
		st->drv->exec(st, "ROLLBACK", NULL);
		return err_set(e, ERR_STORE, "", "transaction rolled back by an inner failure");
	}
	int rc = st->drv->exec(st, "COMMIT", e);
	if (rc < 0)
		st->drv->exec(st, "ROLLBACK", NULL);
	return rc;
}

void store_rollback(struct store *st)
{
	if (st->depth <= 0)
		return;
	if (--st->depth > 0) {
		st->failed = 1;
		return;
	}
	st->drv->exec(st, "ROLLBACK", NULL);
}

int store_backup(struct store *st, const char *path, struct err *e)
{
	return st->drv->backup(st, path, e);
}

int store_check(struct store *st, struct buf *report, struct err *e)
{
	return st->drv->check(st, report, e);
}

int store_data_version(struct store *st, char *out, size_t n, struct err *e)
{
	if (n)
		out[0] = 0;
	if (st->depth > 0 || !st->drv->version_sql)
		return 0;
	struct stmt *s = store_prepare(st, st->drv->version_sql, e);
	if (!s)
		return ERR_STORE;
	int rc = stmt_step(s, e);
	if (rc == 1)
		snprintf(out, n, "%s", stmt_text(s, 0) ? stmt_text(s, 0) : "");
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

void *store_memo(struct store *st)
{
	return st->memo;
}

void store_set_memo(struct store *st, void *memo, void (*free_fn)(void *))
{
	if (st->memo && st->memo_free)
		st->memo_free(st->memo);
	st->memo = memo;
	st->memo_free = free_fn;
}
