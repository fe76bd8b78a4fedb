/* restore.c - checks that a backup is whole before it replaces a database, and
 * replaces it atomically. SQLite files only: PostgreSQL has pg_dump/pg_restore.
 * The checks read the copy through an immutable connection, so a refused file
 * leaves nothing behind and the backup itself is never touched. */
#include "store/restore.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/embed.h"
#include "store/driver.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the file as bytes ------------------------------------------------ */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The SQLite header against the file's size: a copy cut short is caught here
 * with a plain message, before SQLite reads zeros past the end. */
static int check_file(const char *path, struct err *e)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return err_set(e, ERR_IO, "from", "cannot read %s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return err_set(e, ERR_INVALID, "from", "%s is not a regular file", path);
	unsigned char h[100];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_IO, "from", "cannot read %s: %s", path, strerror(errno));
	ssize_t got = read(fd, h, sizeof h);
	close(fd);
	if (got < (ssize_t)sizeof h)
		return err_set(e, ERR_INVALID, "from",
		               "%s is not a database backup: it is only %lld bytes long", path,
		               (long long)sb.st_size);
	if (memcmp(h, "SQLite format 3", 16))
		return err_set(e, ERR_INVALID, "from", "%s is not an SQLite database (wrong header)",
		               path);
	long page = (long)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	if (page < 512 || (page & (page - 1)))
		return err_set(e, ERR_INVALID, "from", "%s has a damaged header (page size %ld)", path,
		               page);
	long long pages = be32(h + 28), expected = pages * page;
	/* The page count is trusted only when written by the same change as the
	 * header (SQLite's "version-valid-for" rule). */
	int count_valid = pages > 0 && be32(h + 92) == be32(h + 24);
	if (count_valid && sb.st_size < expected)
		return err_set(e, ERR_INVALID, "from",
		               "%s is incomplete: the database it holds has %lld pages of %ld bytes "
		               "(%lld bytes) but the file has only %lld bytes; the copy was cut short. "
		               "Nothing was changed; use another backup",
		               path, pages, page, expected, (long long)sb.st_size);
	if (sb.st_size % page)
		return err_set(e, ERR_INVALID, "from",
		               "%s is incomplete: its %lld bytes are not a whole number of %ld-byte "
		               "pages; the copy was cut short. Nothing was changed; use another backup",
		               path, (long long)sb.st_size, page);
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (stat(wal, &sb) == 0 && sb.st_size > 0)
		return err_set(e, ERR_INVALID, "from",
		               "%s has a write-ahead log beside it (%s): it is a live database, not a "
		               "backup. Take one with `khuyencong backup --db %s --out NEW` and restore "
		               "that",
		               path, wal, path);
	return 0;
}

static int fsync_path(const char *path, int dir, struct err *e)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return err_set(e, ERR_IO, "db", "cannot sync %s: %s", path, strerror(err));
	}
	close(fd);
	return 0;
}

static int copy_file(const char *from, int out, const char *to, struct err *e)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err_set(e, ERR_IO, "from", "cannot read %s: %s", from, strerror(errno));
	char *b = malloc(1 << 16);
	int rc = b ? 0 : err_set(e, ERR_IO, "", "out of memory");
	ssize_t n = 0;
	while (rc == 0 && (n = read(in, b, 1 << 16)) > 0) {
		for (ssize_t off = 0; rc == 0 && off < n;) {
			ssize_t w = write(out, b + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				rc = err_set(e, ERR_IO, "db", "cannot write %s: %s", to, strerror(errno));
			else
				off += w;
		}
	}
	if (rc == 0 && n < 0)
		rc = err_set(e, ERR_IO, "from", "cannot read %s: %s", from, strerror(errno));
	if (rc == 0 && fsync(out) != 0)
		rc = err_set(e, ERR_IO, "db", "cannot sync %s: %s", to, strerror(errno));
	free(b);
	close(in);
	return rc;
}

/* ---- the file as a database ------------------------------------------- */

/* Opens path read-only as an immutable file: no lock, no journal, nothing
 * written beside it. */
static int open_immutable(const char *path, sqlite3 **db, struct err *e)
{
	struct buf uri = BUF_INIT;
	buf_puts(&uri, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '?' || *p == '#' || *p == '%')
			buf_printf(&uri, "%%%02X", (unsigned char)*p);
		else
			buf_putc(&uri, *p);
	}
	buf_puts(&uri, "?immutable=1");
	int rc = sqlite3_open_v2(buf_cstr(&uri), db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	buf_free(&uri);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_INVALID, "from", "cannot open %s: %s", path,
		        *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
		sqlite3_close(*db);
		*db = NULL;
		return ERR_INVALID;
	}
	return 0;
}

/* Runs a one-column query; calls fn for each row (stops when fn returns
 * non-zero). Returns 0, or ERR_INVALID with the SQLite message. */
static int each_row(sqlite3 *db, const char *sql, const char *label,
                    int (*fn)(sqlite3_stmt *s, void *ctx), void *ctx, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(s, ctx)) {
			rc = SQLITE_DONE;
			break;
		}
	if (rc != SQLITE_DONE) {
		err_set(e, ERR_INVALID, "from", "%s is not a complete database: %s", label,
		        sqlite3_errmsg(db));
		sqlite3_finalize(s);
		return ERR_INVALID;
	}
	sqlite3_finalize(s);
	return 0;
}

struct findings {
	struct buf text;
	int n;
};

static int collect(sqlite3_stmt *s, void *ctx)
{
	struct findings *f = ctx;
	const char *t = (const char *)sqlite3_column_text(s, 0);
	if (t && !strcmp(t, "ok") && f->n == 0)
		return 1;
	if (f->n++ < 5)
		buf_printf(&f->text, "%s%s", f->text.len ? "; " : "", t ? t : "?");
	return 0;
}

static int one_int(sqlite3_stmt *s, void *ctx)
{
	int64_t *out = ctx;
	for (int i = 0; i < sqlite3_column_count(s); i++)
		out[i] = sqlite3_column_int64(s, i);
	return 1;
}

/* The files of migration v that the SQLite driver runs (migrate.c); -1 when
 * v is no migration at all. */
static int sqlite_migration(int v, const struct embedded_file *out[2])
{
	char name[128];
	return migration_files(sqlite_driver.file_tag, v, out, name, sizeof name);
}

/* Calls fn with each table name that sql creates (create = 1) or drops. */
static void sql_tables(const char *sql, void (*fn)(const char *name, int create, void *ctx),
                       void *ctx)
{
	for (const char *p = sql; *p;) {
		if (p[0] == '-' && p[1] == '-') {
			p = strchr(p, '\n');
			if (!p)
				break;
			continue;
		}
		int create = !strncasecmp(p, "CREATE ", 7), drop = !strncasecmp(p, "DROP TABLE ", 11);
		if ((!create && !drop) || (p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			p++;
			continue;
		}
		const char *q = p + (create ? 7 : 11);
		if (create) {
			while (*q == ' ')
				q++;
			if (!strncasecmp(q, "VIRTUAL ", 8))
				q += 8;
			while (*q == ' ')
				q++;
			if (strncasecmp(q, "TABLE ", 6)) {
				p = q;
				continue;
			}
			q += 6;
		}
		while (*q == ' ')
			q++;
		if (!strncasecmp(q, "IF NOT EXISTS ", 14))
			q += 14;
		else if (!strncasecmp(q, "IF EXISTS ", 10))
			q += 10;
		while (*q == ' ' || *q == '"')
			q++;
		size_t len = 0;
		while (isalnum((unsigned char)q[len]) || q[len] == '_')
			len++;
		if (len) {
			char name[128];
			snprintf(name, sizeof name, "%.*s", (int)len, q);
			fn(name, create, ctx);
		}
		p = q + len;
	}
}

struct wanted {
	char names[256][128];
	char from[256][128]; /* the migration that creates each */
	int n;
	const char *current;
};

static void want_table(const char *name, int create, void *ctx)
{
	struct wanted *w = ctx;
	for (int i = 0; i < w->n; i++) {
		if (!strcmp(w->names[i], name)) {
			if (!create) { /* dropped later: no longer expected */
				w->n--;
				memmove(w->names[i], w->names[w->n], sizeof w->names[i]);
				memmove(w->from[i], w->from[w->n], sizeof w->from[i]);
			}
			return;
		}
	}
	if (create && w->n < 256) {
		snprintf(w->names[w->n], sizeof w->names[0], "%s", name);
		snprintf(w->from[w->n], sizeof w->from[0], "%s", w->current);
		w->n++;
	}
}

/* The database checks; label names the file in messages. */
static int check_db(sqlite3 *db, const char *label, int *version, int *tables, struct err *e)
{
	struct findings f = {BUF_INIT, 0};
	int rc = each_row(db, "PRAGMA integrity_check(20)", label, collect, &f, e);
	if (rc == 0 && f.n > 0)
		rc = err_set(e, ERR_INVALID, "from",
		             "%s is damaged (integrity check: %s); nothing was changed, use another "
		             "backup",
		             label, buf_cstr(&f.text));
	buf_free(&f.text);
	if (rc < 0)
		return rc;
	int64_t v[1] = {0};
	rc = each_row(db,
	              "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
	              "'schema_version'",
	              label, one_int, v, e);
	if (rc == 0 && v[0] == 0)
		rc = err_set(e, ERR_INVALID, "from",
		             "%s is not a khuyencong database: it has no schema_version table", label);
	if (rc == 0)
		rc = each_row(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", label,
		              one_int, v, e);
	if (rc < 0)
		return rc;
	int latest = store_schema_latest();
	if (v[0] > latest)
		return err_set(e, ERR_CONFLICT, "from",
		               "%s has schema version %lld but this khuyencong knows only up to %d: "
		               "restore it with a newer khuyencong (nothing was changed)",
		               label, (long long)v[0], latest);
	if (v[0] < 1)
		return err_set(e, ERR_INVALID, "from",
		               "%s is not a khuyencong database: no migration was ever applied to it",
		               label);
	*version = (int)v[0];
	/* Every migration up to its version that SQLite applies must be listed. */
	sqlite3_stmt *s = NULL;
	rc = sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM schema_version WHERE version = ?", -1, &s,
	                        NULL);
	for (int n = 1; rc == SQLITE_OK && n <= *version; n++) {
		const struct embedded_file *files[2];
		if (sqlite_migration(n, files) < 0)
			continue;
		sqlite3_reset(s);
		sqlite3_bind_int(s, 1, n);
		if (sqlite3_step(s) != SQLITE_ROW)
			rc = SQLITE_ERROR;
		else if (sqlite3_column_int(s, 0) == 0)
			rc = err_set(e, ERR_INVALID, "from",
			             "%s is incomplete: schema_version lacks migration %d (of %d)", label, n,
			             *version);
	}
	sqlite3_finalize(s);
	if (rc > 0)
		return err_set(e, ERR_INVALID, "from", "%s: %s", label, sqlite3_errmsg(db));
	if (rc < 0)
		return rc;

	/* Every table the applied migrations create, in order, must be there. */
	struct wanted *w = calloc(1, sizeof *w);
	if (!w)
		return err_set(e, ERR_IO, "", "out of memory");
	for (int n = 1; n <= *version; n++) {
		const struct embedded_file *m[2];
		for (int i = 0, k = sqlite_migration(n, m); i < k; i++) {
			w->current = m[i]->name;
			sql_tables((const char *)m[i]->data, want_table, w);
		}
	}
	rc = sqlite3_prepare_v2(db,
	                        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
	                        -1, &s, NULL);
	for (int i = 0; rc == SQLITE_OK && i < w->n; i++) {
		sqlite3_reset(s);
		sqlite3_bind_text(s, 1, w->names[i], -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_ROW) {
			rc = SQLITE_ERROR;
			break;
		}
		if (sqlite3_column_int(s, 0) == 0) {
			err_set(e, ERR_INVALID, "from",
			        "%s is incomplete: table %s (of migration %s) is missing", label,
			        w->names[i], w->from[i]);
			rc = -1;
		}
	}
	sqlite3_finalize(s);
	free(w);
	if (rc > 0)
		return err_set(e, ERR_INVALID, "from", "%s: %s", label, sqlite3_errmsg(db));
	if (rc < 0)
		return ERR_INVALID;
	int64_t t = 0;
	rc = each_row(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", label, one_int,
	              &t, e);
	if (tables)
		*tables = (int)t;
	return rc;
}

int store_verify_backup(const char *path, int *version, struct err *e)
{
	int rc = check_file(path, e);
	if (rc < 0)
		return rc;
	sqlite3 *db;
	if ((rc = open_immutable(path, &db, e)) < 0)
		return rc;
	rc = check_db(db, path, version, NULL, e);
	sqlite3_close(db);
	return rc;
}

/* ---- replacing the database ------------------------------------------- */

static int exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0;
}

/* Folds the old database's log into it and makes sure nobody else has it
 * open: a connection that stays (a running server) keeps its -wal file. */
static int target_idle(const char *db, struct err *e)
{
	char wal[PATH_MAX + 8];
	snprintf(wal, sizeof wal, "%s-wal", db);
	if (!exists(wal))
		return 0;
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(h, 2000);
		sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	}
	sqlite3_close(h);
	if (exists(wal))
		return err_set(e, ERR_CONFLICT, "db",
		               "%s is in use (its write-ahead log %s stays open): stop the server "
		               "first; nothing was changed",
		               db, wal);
	return 0;
}

static void remove_temp(const char *tmp)
{
	char side[PATH_MAX + 8];
	unlink(tmp);
	snprintf(side, sizeof side, "%s-wal", tmp);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", tmp);
	unlink(side);
}

static void dir_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, n, ".");
	else if (slash == path)
		snprintf(out, n, "/");
	else
		snprintf(out, n, "%.*s", (int)(slash - path), path);
}

int store_restore(const char *from, const char *db, int force, struct restore_result *res,
                  struct err *e)
{
	struct restore_result local;
	if (!res)
		res = &local;
	memset(res, 0, sizeof *res);
	if (!strncmp(db, "sqlite:", 7))
		db += 7;
	else if (strstr(db, "://") || !strncmp(db, "postgres", 8))
		return err_set(e, ERR_INVALID, "db",
		               "restore writes SQLite files; for PostgreSQL use pg_restore");
	if (strlen(db) + 32 >= PATH_MAX)
		return err_set(e, ERR_INVALID, "db", "the path %s is too long", db);
	int rc = check_file(from, e);
	if (rc < 0)
		return rc;
	struct stat fs, ds;
	int replacing = stat(db, &ds) == 0;
	if (replacing && stat(from, &fs) == 0 && fs.st_dev == ds.st_dev && fs.st_ino == ds.st_ino)
		return err_set(e, ERR_INVALID, "db", "%s and %s are the same file", from, db);
	char kept[PATH_MAX];
	snprintf(kept, sizeof kept, "%s.before-restore", db);
	if (replacing && !force)
		return err_set(e, ERR_CONFLICT, "db",
		               "%s exists: add --force to replace it (it is then kept as %s); nothing "
		               "was changed",
		               db, kept);
	if (replacing && exists(kept))
		return err_set(e, ERR_CONFLICT, "db",
		               "%s exists from an earlier restore: move it away first; nothing was "
		               "changed",
		               kept);
	if (replacing && (rc = target_idle(db, e)) < 0)
		return rc;
	char side[PATH_MAX + 8];
	snprintf(side, sizeof side, "%s-wal", db);
	if (!replacing && exists(side))
		return err_set(e, ERR_CONFLICT, "db",
		               "%s exists without %s: a log left from another database; move it away "
		               "first",
		               side, db);

	/* The copy goes to a temporary file beside db, so the rename is atomic. */
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.restore-XXXXXX", db);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		char dir[PATH_MAX];
		dir_of(db, dir, sizeof dir);
		return err_set(e, ERR_IO, "db", "cannot write in %s: %s", dir, strerror(errno));
	}
	rc = copy_file(from, fd, tmp, e);
	close(fd);
	sqlite3 *h = NULL;
	if (rc == 0)
		rc = open_immutable(tmp, &h, e);
	if (rc == 0) {
		rc = check_db(h, from, &res->version, &res->tables, e);
		sqlite3_close(h);
	}
	res->migrated_to = res->version;
	if (rc == 0 && res->version < store_schema_latest()) {
		char url[PATH_MAX + 8];
		snprintf(url, sizeof url, "sqlite:%s", tmp);
		struct store *st;
		rc = store_open(url, &st, e);
		if (rc == 0) {
			rc = store_migrate(st, e);
			if (rc == 0)
				res->migrated_to = store_schema_version(st, e);
			store_close(st);
		}
	}
	if (rc == 0)
		rc = fsync_path(tmp, 0, e);
	int linked = 0;
	if (rc == 0 && replacing) {
		/* A hard link keeps the old file without a moment with no db; where
		 * links are not possible, a rename does. */
		if (link(db, kept) == 0)
			linked = 1;
		else if (rename(db, kept) != 0)
			rc = err_set(e, ERR_IO, "db", "cannot keep %s as %s: %s", db, kept,
			             strerror(errno));
		if (rc == 0)
			snprintf(res->kept, sizeof res->kept, "%s", kept);
	}
	if (rc == 0 && rename(tmp, db) != 0) {
		rc = err_set(e, ERR_IO, "db", "cannot rename %s to %s: %s", tmp, db, strerror(errno));
		if (linked)
			unlink(kept);
		else if (replacing)
			rename(kept, db);
		res->kept[0] = 0;
	}
	if (rc < 0) {
		remove_temp(tmp);
		return rc;
	}
	char dir[PATH_MAX];
	dir_of(db, dir, sizeof dir);
	return fsync_path(dir, 1, e);
}

/* ---- when the last backup was taken ----------------------------------- */

int store_note_backup(struct store *st, struct err *e)
{
	char now[21];
	clock_iso(clock_now(), now);
	int rc = store_run(st, e,
	                   "INSERT INTO settings(key, value) VALUES ('last_backup', ?)"
	                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	                   "t", now);
	return rc < 0 ? rc : 0;
}

int store_last_backup(struct store *st, char *out, size_t n, struct err *e)
{
	out[0] = 0;
	struct stmt *s = store_prepare(st, "SELECT value FROM settings WHERE key = 'last_backup'", e);
	if (!s)
		return ERR_STORE;
	int rc = stmt_step(s, e);
	if (rc == 1 && stmt_text(s, 0))
		snprintf(out, n, "%s", stmt_text(s, 0));
	stmt_done(s);
	return rc < 0 ? rc : 0;
}
