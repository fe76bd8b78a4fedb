/* sqlite.c - the SQLite driver: one file, WAL, durable commits, cached statements. */
#include "store/driver.h"

#include "core/mem.h"
#include "store/sqlite_map.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct sqlite_stmt {
	struct stmt base;
	sqlite3_stmt *h;
};

struct sqlite_db {
	sqlite3 *db;
	sqlite3_stmt *begin, *commit; /* store_read_begin / store_read_end, prepared once */
};

static struct sqlite_db *db_of(struct store *st)
{
	return st->impl;
}

static int sqlite_error(struct store *st, int rc, struct err *e)
{
	sqlite3 *db = db_of(st)->db;
	int primary = rc & 0xff;
	if (primary == SQLITE_CONSTRAINT)
		return err_set(e, ERR_CONFLICT, "", "constraint failed: %s", sqlite3_errmsg(db));
	return err_set(e, ERR_STORE, "", "database error: %s", sqlite3_errmsg(db));
}

static int sqlite_exec(struct store *st, const char *sql, struct err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db_of(st)->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int code = (rc & 0xff) == SQLITE_CONSTRAINT ? ERR_CONFLICT : ERR_STORE;
		err_set(e, code, "", "database error: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return code;
	}
	return 0;
}

static int sqlite_open(struct store *st, const char *path, struct err *e)
{
	struct sqlite_db *d = xcalloc(1, sizeof *d);
	st->impl = d;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	int rc = sqlite3_open_v2(path, &d->db, flags, sqlite_map_vfs());
	if (rc != SQLITE_OK) {
		err_set(e, ERR_STORE, "db", "cannot open database %s: %s", path,
		        d->db ? sqlite3_errmsg(d->db) : sqlite3_errstr(rc));
		sqlite3_close(d->db);
		free(d);
		return ERR_STORE;
	}
	sqlite3_busy_timeout(d->db, 10000);
	sqlite3_extended_result_codes(d->db, 1);
	rc = sqlite_exec(st,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			 "PRAGMA temp_store=MEMORY;"
			 /* Reads through a memory map of the file instead of copying
			  * each page with pread (at national scale the statistics scan
			  * hundreds of MB): one map per file for the whole process,
			  * however many connections (sqlite_map.c). The private cache
			  * then holds only pages read from the WAL and pages written. */
			 "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;",
			 e);
	if (rc < 0) {
		sqlite3_close(d->db);
		free(d);
		return rc;
	}
	return 0;
}

static void sqlite_close(struct store *st)
{
	struct sqlite_db *d = db_of(st);
	sqlite3_finalize(d->begin);
	sqlite3_finalize(d->commit);
	sqlite3_close(d->db);
	free(d);
}

static struct stmt *sqlite_prepare(struct store *st, const char *sql, struct err *e)
{
	struct sqlite_db *d = db_of(st);
	sqlite3_stmt *h = NULL;
	int rc = sqlite3_prepare_v3(d->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL);
	if (rc != SQLITE_OK) {
		sqlite_error(st, rc, e);
		return NULL;
	}
	struct sqlite_stmt *s = xcalloc(1, sizeof *s);
	s->base.st = st;
	s->h = h;
	return &s->base;
}

static sqlite3_stmt *h_of(struct stmt *s)
{
	return ((struct sqlite_stmt *)s)->h;
}

static void sqlite_bind_int(struct stmt *s, int pos, int64_t v)
{
	sqlite3_bind_int64(h_of(s), pos, v);
}

static void sqlite_bind_text(struct stmt *s, int pos, const char *v)
{
	sqlite3_bind_text(h_of(s), pos, v, -1, SQLITE_TRANSIENT);
}

static void sqlite_bind_null(struct stmt *s, int pos)
{
	sqlite3_bind_null(h_of(s), pos);
}

static void sqlite_bind_blob(struct stmt *s, int pos, const void *data, size_t n)
{
	sqlite3_bind_blob64(h_of(s), pos, n ? data : "", n, SQLITE_TRANSIENT);
}

static int sqlite_step(struct stmt *s, struct err *e)
{
	int rc = sqlite3_step(h_of(s));
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	int code = sqlite_error(s->st, rc, e);
	sqlite3_reset(h_of(s));
	return code;
}

static int64_t sqlite_col_int(struct stmt *s, int col)
{
	return sqlite3_column_int64(h_of(s), col);
}

static const char *sqlite_col_text(struct stmt *s, int col)
{
	return (const char *)sqlite3_column_text(h_of(s), col);
}

static int sqlite_col_isnull(struct stmt *s, int col)
{
	return sqlite3_column_type(h_of(s), col) == SQLITE_NULL;
}

static const unsigned char *sqlite_col_blob(struct stmt *s, int col, size_t *n)
{
	const unsigned char *p = sqlite3_column_blob(h_of(s), col);
	*n = p ? (size_t)sqlite3_column_bytes(h_of(s), col) : 0;
	return p;
}

static int sqlite_col_is_blob(struct stmt *s, int col)
{
	return sqlite3_column_type(h_of(s), col) == SQLITE_BLOB;
}

static int sqlite_columns(struct stmt *s)
{
	return sqlite3_column_count(h_of(s));
}

static int sqlite_params(struct stmt *s)
{
	return sqlite3_bind_parameter_count(h_of(s));
}

static const char *sqlite_column_name(struct stmt *s, int col)
{
	return sqlite3_column_name(h_of(s), col);
}

static void sqlite_done(struct stmt *s)
{
	sqlite3_reset(h_of(s));
	sqlite3_clear_bindings(h_of(s));
}

static int sqlite_reuse(struct stmt *s, struct err *e)
{
	(void)e;
	sqlite_done(s);
	return 0;
}

static void sqlite_finalize(struct stmt *s, int server)
{
	(void)server;
	sqlite3_finalize(h_of(s));
	free(s);
}

/* Runs *h (prepared from sql on first use): 0 when done, -1 otherwise. */
static int run_kept(sqlite3 *db, sqlite3_stmt **h, const char *sql)
{
	if (!*h && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, h, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(*h);
	sqlite3_reset(*h);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* A deferred BEGIN takes no lock: the first statement's read starts the
 * snapshot that the next ones share, and COMMIT ends it. */
static int sqlite_read_begin(struct store *st)
{
	struct sqlite_db *d = db_of(st);
	return run_kept(d->db, &d->begin, "BEGIN DEFERRED");
}

static int sqlite_read_end(struct store *st)
{
	struct sqlite_db *d = db_of(st);
	if (run_kept(d->db, &d->commit, "COMMIT") == 0)
		return 0;
	/* A read transaction has nothing to lose: never left open. */
	sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int64_t sqlite_last_id(struct store *st)
{
	return sqlite3_last_insert_rowid(db_of(st)->db);
}

static int64_t sqlite_changes(struct store *st)
{
	return sqlite3_changes64(db_of(st)->db);
}

/* The online backup API copies pages while other connections keep writing. */
static int sqlite_backup(struct store *st, const char *path, struct err *e)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open(path, &dst);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_IO, "out", "cannot create backup %s: %s", path, sqlite3_errstr(rc));
		sqlite3_close(dst);
		return ERR_IO;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db_of(st)->db, "main");
	if (!b) {
		err_set(e, ERR_STORE, "out", "backup failed: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return ERR_STORE;
	}
	/* One step copies a whole snapshot: copying in slices would restart
	 * after every write and never finish under a steady stream of writes. */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		err_set(e, ERR_STORE, "out", "backup failed: %s", sqlite3_errstr(rc));
		sqlite3_close(dst);
		return ERR_STORE;
	}
	rc = sqlite3_close(dst);
	return rc == SQLITE_OK ? 0 : err_set(e, ERR_IO, "out", "cannot close backup %s", path);
}

static int sqlite_check(struct store *st, struct buf *report, struct err *e)
{
	int bad = 0;
	static const char *checks[] = {"PRAGMA integrity_check", "PRAGMA foreign_key_check"};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *h = NULL;
		int rc = sqlite3_prepare_v2(db_of(st)->db, checks[i], -1, &h, NULL);
		if (rc != SQLITE_OK) {
			buf_printf(report, "%s: %s\n", checks[i], sqlite3_errmsg(db_of(st)->db));
			sqlite3_finalize(h);
			bad = 1;
			continue;
		}
		while ((rc = sqlite3_step(h)) == SQLITE_ROW) {
			const char *v = (const char *)sqlite3_column_text(h, 0);
			if (i == 0 && v && !strcmp(v, "ok"))
				continue;
			bad = 1;
			buf_printf(report, "%s: %s\n", checks[i], v ? v : "(row)");
		}
		if (rc != SQLITE_DONE) {
			bad = 1;
			buf_printf(report, "%s: %s\n", checks[i], sqlite3_errmsg(db_of(st)->db));
		}
		sqlite3_finalize(h);
	}
	if (bad)
		return err_set(e, ERR_STORE, "", "the database is damaged");
	return 0;
}

const struct store_driver sqlite_driver = {
	.dialect = "sqlite",
	.id_column = "INTEGER PRIMARY KEY AUTOINCREMENT", /* ids never reused (0015) */
	.blob_type = "BLOB",
	.file_tag = "sqlite",
	.begin_sql = "BEGIN IMMEDIATE",
	.version_sql =
		"SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes()",
	.open = sqlite_open,
	.close = sqlite_close,
	.exec = sqlite_exec,
	.prepare = sqlite_prepare,
	.reuse = sqlite_reuse,
	.finalize = sqlite_finalize,
	.bind_int = sqlite_bind_int,
	.bind_text = sqlite_bind_text,
	.bind_null = sqlite_bind_null,
	.bind_blob = sqlite_bind_blob,
	.step = sqlite_step,
	.col_int = sqlite_col_int,
	.col_text = sqlite_col_text,
	.col_isnull = sqlite_col_isnull,
	.col_blob = sqlite_col_blob,
	.col_is_blob = sqlite_col_is_blob,
	.columns = sqlite_columns,
	.params = sqlite_params,
	.column_name = sqlite_column_name,
	.done = sqlite_done,
	.last_id = sqlite_last_id,
	.changes = sqlite_changes,
	.backup = sqlite_backup,
	.check = sqlite_check,
	.read_begin = sqlite_read_begin,
	.read_end = sqlite_read_end,
};
