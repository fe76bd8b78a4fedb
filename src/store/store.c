/* store.c - driver dispatch, typed binding helpers and nested transactions. */
#include "store/driver.h"

#include "core/mem.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cache_drop(struct store *st, struct stmt *s, int server);

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
	if (store_open(st->url, out, e) < 0)
		return ERR_STORE;
	if (st->read_once && store_read_once(*out, e) < 0) {
		store_close(*out);
		*out = NULL;
		return ERR_STORE;
	}
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_read_end(st);
	if (st->memo && st->memo_free)
		st->memo_free(st->memo);
	while (st->newest)
		cache_drop(st, st->newest, 0);
	st->drv->close(st);
	free(st->versions);
	free(st->url);
	free(st);
}

const char *store_dialect(const struct store *st)
{
	return st->drv->dialect;
}

/* This connection may write: the versions it read are no longer its. */
static void versions_forget(struct store *st)
{
	free(st->versions);
	st->versions = NULL;
}

int store_exec(struct store *st, const char *sql, struct err *e)
{
	st->queries++;
	versions_forget(st);
	store_read_end(st);
	return st->drv->exec(st, sql, e);
}

/* The bucket of a statement's text: its length and its last bytes, where
 * texts built from one SELECT differ (their WHERE and ORDER BY); a page
 * looks up a dozen texts of a kilobyte or two, and hashing every byte was
 * a twentieth of a record's page. Texts that share the bucket are told
 * apart by comparing them whole. */
static unsigned hash_sql(const char *s)
{
	size_t n = strlen(s);
	unsigned h = 2166136261u ^ (unsigned)n;
	for (const char *p = s + (n > 96 ? n - 96 : 0); *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h % STORE_BUCKETS;
}

static void lru_unlink(struct store *st, struct stmt *s)
{
	if (s->newer)
		s->newer->older = s->older;
	else
		st->newest = s->older;
	if (s->older)
		s->older->newer = s->newer;
	else
		st->oldest = s->newer;
	s->newer = s->older = NULL;
}

static void lru_front(struct store *st, struct stmt *s)
{
	s->older = st->newest;
	s->newer = NULL;
	if (st->newest)
		st->newest->newer = s;
	st->newest = s;
	if (!st->oldest)
		st->oldest = s;
}

/* Takes s out of the cache and frees it (server: DEALLOCATE it there too). */
static void cache_drop(struct store *st, struct stmt *s, int server)
{
	struct stmt **p = &st->buckets[hash_sql(s->sql)];
	while (*p != s)
		p = &(*p)->hnext;
	*p = s->hnext;
	lru_unlink(st, s);
	st->ncached--;
	free(s->sql);
	st->drv->finalize(s, server);
}

/* Keeps the cache within its bound: the least recently used statements
 * that no one holds go. */
static void cache_trim(struct store *st)
{
	for (struct stmt *s = st->oldest, *next; s && st->ncached > STORE_CACHE_MAX; s = next) {
		next = s->newer;
		if (!s->held)
			cache_drop(st, s, 1);
	}
}

/* A statement that may write: the versions read are no longer ours, and
 * the shared read transaction ends (it would turn into a write one). */
static void may_write(struct store *st, const char *sql)
{
	if (strncmp(sql, "SELECT", 6)) {
		versions_forget(st);
		store_read_end(st);
	}
}

struct stmt *store_prepare(struct store *st, const char *sql, struct err *e)
{
	may_write(st, sql);
	unsigned h = hash_sql(sql);
	struct stmt *s = st->buckets[h];
	while (s && strcmp(s->sql, sql))
		s = s->hnext;
	if (s && s->looping) {
		err_set(e, ERR_STORE, "",
			"statement in use: prepared again inside a loop over its rows (%.80s); "
			"finish the loop first or use store_prepare_once",
			sql);
		return NULL;
	}
	if (s) {
		if (st->drv->reuse(s, e) < 0)
			return NULL;
		lru_unlink(st, s);
	} else {
		s = st->drv->prepare(st, sql, e);
		if (!s)
			return NULL;
		s->sql = xstrdup(sql);
		s->hnext = st->buckets[h];
		st->buckets[h] = s;
		st->ncached++;
	}
	lru_front(st, s);
	s->held = 1;
	s->started = 0;
	cache_trim(st);
	return s;
}

struct stmt *store_prepare_once(struct store *st, const char *sql, struct err *e)
{
	may_write(st, sql);
	struct stmt *s = st->drv->prepare(st, sql, e);
	if (s)
		s->held = 1;
	return s;
}

int store_cached(const struct store *st)
{
	return st->ncached;
}

int64_t store_queries(const struct store *st)
{
	return st->queries;
}

static void stmt_vbind(struct stmt *s, const char *types, va_list ap)
{
	/* No more types than placeholders: a type more reads a value never
	 * passed (va_arg past the last argument). Fewer is allowed: the caller
	 * may bind the rest itself. A programming error; the test builds stop
	 * on it. */
	assert(strlen(types ? types : "") <= (size_t)s->st->drv->params(s));
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

void stmt_bind_blob(struct stmt *s, int pos, const void *data, size_t n)
{
	s->st->drv->bind_blob(s, pos, data, n);
}

int stmt_step(struct stmt *s, struct err *e)
{
	if (!s->started++)
		s->st->queries++;
	int rc = s->st->drv->step(s, e);
	s->looping = rc == 1;
	return rc;
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

const unsigned char *stmt_blob(struct stmt *s, int col, size_t *n)
{
	return s->st->drv->col_blob(s, col, n);
}

int stmt_is_blob(struct stmt *s, int col)
{
	return s->st->drv->col_is_blob(s, col);
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
	if (!s)
		return;
	s->looping = s->held = s->started = 0;
	if (s->sql)
		s->st->drv->done(s);
	else
		s->st->drv->finalize(s, 1); /* one-shot */
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
	store_read_end(st);
	st->failed = 0;
	st->deadlocked = 0;
	int rc = st->drv->exec(st, st->drv->begin_sql, e);
	if (rc < 0)
		st->depth = 0;
	return rc;
}

int store_deadlocked(const struct store *st)
{
	return st->depth == 0 && st->deadlocked;
}

void store_read_begin(struct store *st)
{
	if (!st->reading && st->depth == 0 && st->drv->read_begin)
		st->reading = st->drv->read_begin(st) == 0;
}

void store_read_end(struct store *st)
{
	if (st->reading) {
		st->reading = 0;
		st->drv->read_end(st);
	}
}

int store_reading(const struct store *st)
{
	return st->reading;
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
	versions_forget(st);
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

/* "name=N\n" for each table with a version. */
static int versions_read(struct store *st, struct buf *b, struct err *e)
{
	struct stmt *s =
		store_prepare(st, "SELECT name, SUM(version) FROM table_versions GROUP BY name", e);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		buf_printf(b, "%s=%lld\n", stmt_text(s, 0), (long long)stmt_int(s, 1));
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int store_table_versions(struct store *st, const char *const *tables, char *out, size_t n,
			 struct err *e)
{
	if (n)
		out[0] = 0;
	if (st->depth > 0)
		return 0;
	if (!st->versions) {
		struct buf b = BUF_INIT;
		buf_putc(&b, '\n');
		int rc = versions_read(st, &b, e);
		if (rc < 0) {
			buf_free(&b);
			return rc;
		}
		st->versions = buf_detach(&b);
	}
	/* Appended, not printed: a dashboard asks for its statistics' dozen
	 * tables some thirty times a request (printf was a twentieth of it). */
	struct buf v = BUF_INIT;
	int whole = 1;
	for (size_t i = 0; tables[i] && whole; i++) {
		char key[80];
		size_t len = strlen(tables[i]);
		if (len + 3 > sizeof key)
			abort(); /* a table name is a constant of ours */
		key[0] = '\n';
		memcpy(key + 1, tables[i], len);
		memcpy(key + 1 + len, "=", 2);
		const char *at = strstr(st->versions, key);
		if (!at) {
			whole = 0; /* not versioned: never reused */
		} else {
			buf_append(&v, at + 1, strcspn(at + 1, "\n"));
			buf_putc(&v, ';');
		}
	}
	if (whole && v.len < n)
		memcpy(out, buf_cstr(&v), v.len + 1);
	buf_free(&v);
	if (!st->versions_pinned)
		versions_forget(st);
	return 0;
}

void store_pin_versions(struct store *st, int on)
{
	st->versions_pinned = on;
	versions_forget(st);
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

void *store_units(struct store *st)
{
	return st->units;
}

void store_set_units(struct store *st, void *units)
{
	st->units = units;
}

int store_can_copy(const struct store *st)
{
	return st->drv->copy_begin != NULL;
}

int store_copy_begin(struct store *st, const char *table, const char *cols, struct err *e)
{
	if (!st->drv->copy_begin || st->depth == 0)
		return err_set(e, ERR_STORE, "", "no bulk copy on %s outside a transaction",
			       st->drv->dialect);
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "COPY %s (%s) FROM STDIN WITH (FREEZE)", table, cols);
	int rc = st->drv->copy_begin(st, buf_cstr(&sql), e);
	buf_free(&sql);
	return rc;
}

int store_copy_put(struct store *st, const char *data, size_t n, struct err *e)
{
	return st->drv->copy_put(st, data, n, e);
}

int store_copy_end(struct store *st, int failed, struct err *e)
{
	return st->drv->copy_end(st, failed, e);
}

int store_analyze(struct store *st, const char *table, struct err *e)
{
	if (!st->drv->analyze_sql)
		return 0;
	struct buf sql = BUF_INIT;
	buf_puts(&sql, st->drv->analyze_sql);
	if (table) {
		buf_puts(&sql, " \"");
		for (const char *p = table; *p; p++) {
			if (*p == '"')
				buf_putc(&sql, '"');
			buf_putc(&sql, *p);
		}
		buf_putc(&sql, '"');
	}
	int rc = store_exec(st, buf_cstr(&sql), e);
	buf_free(&sql);
	return rc;
}

int store_read_once(struct store *st, struct err *e)
{
	st->read_once = 1;
	if (strcmp(store_dialect(st), "sqlite"))
		return 0;
	return store_exec(st, "PRAGMA mmap_size=0; PRAGMA cache_size=-2000;", e);
}
