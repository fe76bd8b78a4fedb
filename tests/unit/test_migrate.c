/* test_migrate.c - the store: migrations, refusal of foreign or newer
 * databases, integrity check, backup, nested transactions, conflicts. */
#include "testutil.h"

#include "core/embed.h"
#include "model/photo.h"
#include "model/proposal_files.h"
#include "store/sqlite_map.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_pg(struct store *st)
{
	return !strcmp(store_dialect(st), "postgresql");
}

/* The number of migrations (versions; numbers may have gaps, and a
 * version may have a file per dialect). */
static int migration_count(void)
{
	int n = 0;
	for (int v = 1; v <= store_schema_latest(); v++)
		for (const struct embedded_file *f = migrations_files; f->name; f++)
			if (atoi(f->name) == v) {
				n++;
				break;
			}
	return n;
}

static int table_exists(struct store *st, const char *name)
{
	struct err e;
	int64_t n = -1;
	int rc = store_int(st, &e, &n,
			   is_pg(st) ? "SELECT COUNT(*) FROM information_schema.tables WHERE"
				       " table_schema = current_schema() AND table_name = ?"
				     : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
				       " AND name = ?",
			   "t", name);
	assert_int_equal(rc, 1);
	return n == 1;
}

/* Tables, indexes and the like: what a second migration must not add to. */
static int64_t schema_objects(struct store *st)
{
	return test_count(st, is_pg(st) ? "SELECT COUNT(*) FROM pg_class WHERE relnamespace ="
					  " to_regnamespace(current_schema())::oid"
					: "SELECT COUNT(*) FROM sqlite_master");
}

static void insert_user(struct store *st, const char *username, int expect_rc)
{
	struct err e;
	err_clear(&e);
	int rc =
		store_run(st, &e,
			  "INSERT INTO users(username, role, password_hash, created_at, updated_at)"
			  " VALUES (?, 'admin', 'x', 't', 't')",
			  "t", username);
	assert_int_equal(rc, expect_rc);
}

static void test_fresh_migrate(void **state)
{
	(void)state;
	char *path = test_tmp_path("migrate-fresh");
	struct store *st = NULL;
	struct err e;
	err_clear(&e);
	assert_int_equal(store_open(path, &st, &e), 0);
	assert_string_equal(store_dialect(st), test_dialect());
	assert_int_equal(store_schema_version(st, &e), 0);
	assert_true(store_schema_latest() >= 1);

	assert_int_equal(store_migrate(st, &e), 0);
	assert_int_equal(store_schema_version(st, &e), store_schema_latest());
	assert_true(table_exists(st, "users"));
	assert_true(table_exists(st, "sessions"));
	assert_true(table_exists(st, "audit"));
	assert_true(table_exists(st, "login_failures"));
	assert_true(table_exists(st, "settings"));
	assert_true(table_exists(st, "schema_version"));
	assert_false(table_exists(st, "no_such_table"));
	/* One schema_version row per migration. */
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM schema_version"), migration_count());

	/* Running again is a no-op. */
	int64_t tables = schema_objects(st);
	err_clear(&e);
	assert_int_equal(store_migrate(st, &e), 0);
	assert_int_equal(e.code, ERR_OK);
	assert_int_equal(store_schema_version(st, &e), store_schema_latest());
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM schema_version"), migration_count());
	assert_int_equal(schema_objects(st), tables);
	store_close(st);

	/* ...also after reopening the file, through the sqlite: prefix. */
	char url[600];
	snprintf(url, sizeof url, "sqlite:%s", path);
	assert_int_equal(store_open(url, &st, &e), 0);
	assert_int_equal(store_schema_version(st, &e), store_schema_latest());
	assert_int_equal(store_migrate(st, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM schema_version"), migration_count());
	store_close(st);
	free(path);
}

static void test_newer_database_refused(void **state)
{
	(void)state;
	struct store *st = test_store_new("migrate-newer", NULL);
	struct err e;
	int latest = store_schema_latest();
	assert_int_equal(store_run(st, &e,
				   "INSERT INTO schema_version(version, name, applied_at)"
				   " VALUES (?, 'future', '2099-01-01T00:00:00Z')",
				   "i", (int64_t)(latest + 1)),
			 0);
	assert_int_equal(store_schema_version(st, &e), latest + 1);
	err_clear(&e);
	assert_int_equal(store_migrate(st, &e), ERR_CONFLICT);
	assert_int_equal(e.code, ERR_CONFLICT);
	assert_non_null(strstr(e.message, "newer"));
	/* Nothing was changed. */
	assert_int_equal(store_schema_version(st, &e), latest + 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM schema_version"),
			 migration_count() + 1);
	store_close(st);
}

/* SQLite only: a file that is not a SQLite database. */
static void test_not_sqlite_refused(void **state)
{
	(void)state;
	if (strcmp(test_dialect(), "sqlite"))
		skip();
	char *path = test_tmp_path("migrate-garbage");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (int i = 0; i < 8192; i++)
		fputc("this is not a database, just text\n"[i % 34], f);
	fclose(f);

	struct store *st = NULL;
	struct err e;
	err_clear(&e);
	int rc = store_open(path, &st, &e);
	if (rc == 0) {
		rc = store_migrate(st, &e);
		store_close(st);
	}
	assert_int_equal(rc, ERR_STORE);
	assert_int_equal(e.code, ERR_STORE);
	assert_true(strlen(e.message) > 0);
	free(path);
}

/* A postgresql:// URL selects the PostgreSQL driver (pg.c); a server that is
 * not there is a store error naming --db. (The driver itself is tested on a
 * live cluster by the http-pg/ and pg/ suites.) */
static void test_postgres_unreachable(void **state)
{
	(void)state;
	struct store *st = NULL;
	struct err e;
	err_clear(&e);
	assert_int_equal(store_open("postgresql:///kc?host=/nonexistent-kc-socket-dir", &st, &e),
	                 ERR_STORE);
	assert_null(st);
	assert_string_equal(e.field, "db");
	assert_non_null(strstr(e.message, "PostgreSQL"));
}

/* Lines of /proc/self/maps that map the file at path. */
static int mappings_of(const char *path)
{
	FILE *f = fopen("/proc/self/maps", "r");
	assert_non_null(f);
	char line[4096];
	int n = 0;
	size_t len = strlen(path);
	while (fgets(line, sizeof line, f)) {
		char *end = line + strcspn(line, "\n");
		*end = 0;
		n += (size_t)(end - line) >= len && !strcmp(end - len, path);
	}
	fclose(f);
	return n;
}

/* Three connections to one SQLite file read it through one memory map, not
 * one each (the server's RSS counted the file once per request thread), and
 * each sees what another wrote, also once the file has grown. */
static void test_file_mapped_once(void **state)
{
	(void)state;
	if (strcmp(test_dialect(), "sqlite"))
		skip();
	char *path;
	struct store *a = test_store_new("migrate-mapped", &path), *b, *c;
	struct err e;
	assert_int_equal(store_open(path, &b, &e), 0);
	assert_int_equal(store_open(path, &c, &e), 0);
	const char *fill = "INSERT INTO m WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
			   "FROM s WHERE i < 2000) SELECT printf('%0500d', i) FROM s;"
			   "PRAGMA wal_checkpoint(TRUNCATE);";
	assert_int_equal(store_exec(a, "CREATE TABLE m(x TEXT);", &e), 0);
	for (int round = 1; round <= 2; round++) {
		assert_int_equal(store_exec(a, fill, &e), 0); /* into the file, not the WAL */
		int64_t n = 0;
		const char *sql = "SELECT COUNT(*) + SUM(length(x) != 500) FROM m";
		assert_int_equal(store_int(b, &e, &n, sql, ""), 1);
		assert_int_equal(n, 2000 * round);
		assert_int_equal(store_int(c, &e, &n, sql, ""), 1);
		assert_int_equal(n, 2000 * round);
		assert_int_equal(mappings_of(path), 1);
	}
	int regions = sqlite_map_regions();
	store_close(c);
	store_close(b);
	assert_int_equal(sqlite_map_regions(), regions);
	store_close(a);
	assert_int_equal(sqlite_map_regions(), regions - 1);
	assert_int_equal(mappings_of(path), 0);
	free(path);
}

/* A whole-table export reads each page once: a small cache on SQLite, and
 * no map on the connection the record cursor opens again to read, so that
 * its memory does not grow with the file. */
static void test_read_once_not_mapped(void **state)
{
	(void)state;
	if (strcmp(test_dialect(), "sqlite"))
		skip();
	char *path;
	struct store *a = test_store_new("migrate-read-once", &path), *b;
	struct err e;
	int64_t n = 0;
	assert_int_equal(store_int(a, &e, &n, "PRAGMA mmap_size", ""), 1);
	assert_true(n > 0);
	assert_int_equal(store_read_once(a, &e), 0);
	assert_int_equal(store_open_again(a, &b, &e), 0);
	assert_int_equal(store_int(b, &e, &n, "PRAGMA mmap_size", ""), 1);
	assert_int_equal(n, 0);
	struct store *both[] = {a, b};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(store_int(both[i], &e, &n, "PRAGMA cache_size", ""), 1);
		assert_int_equal(n, -2000);
	}
	store_close(b);
	store_close(a);
	free(path);
}

static void test_check(void **state)
{
	(void)state;
	struct store *st = test_store_new("migrate-check", NULL);
	struct err e;
	struct buf report = BUF_INIT;
	err_clear(&e);
	assert_int_equal(store_check(st, &report, &e), 0);
	/* SQLite reports only findings; PostgreSQL names the server and its
	 * settings in one line first, and nothing more when they are right. */
	if (is_pg(st)) {
		const char *r = buf_cstr(&report);
		assert_true(!strncmp(r, "postgresql: server ", 19));
		assert_non_null(strstr(r, "encoding UTF8"));
		assert_null(strstr(r, "warning"));
		assert_ptr_equal(strchr(r, '\n'), r + strlen(r) - 1);
	} else {
		assert_string_equal(buf_cstr(&report), "");
	}
	buf_free(&report);
	store_close(st);
}

/* `khuyencong backup` copies SQLite files; PostgreSQL refuses it and names
 * its own tools, and the connection stays usable. */
static void test_backup(void **state)
{
	(void)state;
	struct store *st = test_store_new("migrate-backup-src", NULL);
	struct err e;
	struct buf report = BUF_INIT;
	err_clear(&e);
	insert_user(st, "alice", 0);
	insert_user(st, "bob", 0);
	insert_user(st, "chi", 0);

	char *bpath = test_tmp_path("migrate-backup");
	if (is_pg(st)) {
		assert_int_equal(store_backup(st, bpath, &e), ERR_INVALID);
		assert_non_null(strstr(e.message, "pg_dump"));
		assert_non_null(strstr(e.message, "pg_basebackup"));
		insert_user(st, "dung", 0);
		assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), 4);
		free(bpath);
		store_close(st);
		return;
	}
	assert_int_equal(store_backup(st, bpath, &e), 0);

	struct store *copy = NULL;
	assert_int_equal(store_open(bpath, &copy, &e), 0);
	assert_int_equal(store_check(copy, &report, &e), 0);
	assert_int_equal(store_schema_version(copy, &e), store_schema_latest());
	assert_int_equal(test_count(copy, "SELECT COUNT(*) FROM users"), 3);
	struct stmt *s = store_prepare(copy, "SELECT username FROM users ORDER BY username", &e);
	assert_non_null(s);
	const char *want[] = {"alice", "bob", "chi"};
	for (int i = 0; i < 3; i++) {
		assert_int_equal(stmt_step(s, &e), 1);
		assert_string_equal(stmt_text(s, 0), want[i]);
	}
	assert_int_equal(stmt_step(s, &e), 0);
	stmt_done(s);
	store_close(copy);

	/* A later write to the original does not reach the copy. */
	insert_user(st, "dung", 0);
	assert_int_equal(store_open(bpath, &copy, &e), 0);
	assert_int_equal(test_count(copy, "SELECT COUNT(*) FROM users"), 3);
	store_close(copy);

	buf_free(&report);
	free(bpath);
	store_close(st);
}

static void test_transactions(void **state)
{
	(void)state;
	struct store *st = test_store_new("migrate-tx", NULL);
	struct err e;

	/* Plain commit. */
	assert_int_equal(store_begin(st, &e), 0);
	insert_user(st, "one", 0);
	assert_int_equal(store_commit(st, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), 1);

	/* Plain rollback. */
	assert_int_equal(store_begin(st, &e), 0);
	insert_user(st, "two", 0);
	store_rollback(st);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), 1);

	/* Nested: inner commit then outer commit keeps both writes. */
	assert_int_equal(store_begin(st, &e), 0);
	insert_user(st, "three", 0);
	assert_int_equal(store_begin(st, &e), 0);
	insert_user(st, "four", 0);
	assert_int_equal(store_commit(st, &e), 0);
	assert_int_equal(store_commit(st, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), 3);

	/* Nested: inner rollback makes the outer commit fail and write nothing. */
	assert_int_equal(store_begin(st, &e), 0);
	insert_user(st, "five", 0);
	assert_int_equal(store_begin(st, &e), 0);
	insert_user(st, "six", 0);
	store_rollback(st);
	err_clear(&e);
	assert_int_equal(store_commit(st, &e), ERR_STORE);
	assert_int_equal(e.code, ERR_STORE);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), 3);
	assert_int_equal(
		test_count(st, "SELECT COUNT(*) FROM users WHERE username IN ('five','six')"), 0);

	/* The failure does not stick to the next transaction. */
	assert_int_equal(store_begin(st, &e), 0);
	insert_user(st, "seven", 0);
	assert_int_equal(store_commit(st, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), 4);

	/* A rollback with no transaction open is harmless. */
	store_rollback(st);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), 4);
	store_close(st);
}

static void test_constraint_is_conflict(void **state)
{
	(void)state;
	struct store *st = test_store_new("migrate-conflict", NULL);
	struct err e;
	insert_user(st, "dup", 0);
	insert_user(st, "dup", ERR_CONFLICT);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM users"), 1);

	/* The CHECK on role is a constraint too. */
	err_clear(&e);
	assert_int_equal(store_run(st, &e,
				   "INSERT INTO users(username, role, password_hash, created_at,"
				   " updated_at) VALUES ('x', 'boss', 'x', 't', 't')",
				   ""),
			 ERR_CONFLICT);
	assert_int_equal(e.code, ERR_CONFLICT);

	/* Through store_exec as well. */
	err_clear(&e);
	assert_int_equal(store_exec(st,
				    "INSERT INTO users(username, role, password_hash, created_at,"
				    " updated_at) VALUES ('dup', 'admin', 'x', 't', 't')",
				    &e),
			 ERR_CONFLICT);

	/* A syntax error is a store error, not a conflict. */
	err_clear(&e);
	assert_null(store_prepare(st, "SELEC nothing", &e));
	assert_int_equal(e.code, ERR_STORE);
	store_close(st);
}

static void test_statements(void **state)
{
	(void)state;
	struct store *st = test_store_new("migrate-stmt", NULL);
	struct err e;
	assert_int_equal(store_run(st, &e, "INSERT INTO settings(key, value) VALUES (?, ?)", "tt",
				   "k1", "v1"),
			 0);
	assert_int_equal(store_changes(st), 1);
	insert_user(st, "someone", 0);
	int64_t id = store_last_id(st);
	assert_true(id > 0);
	assert_int_equal(test_count(st, "SELECT MAX(id) FROM users"), id);

	struct stmt *s =
		store_prepare(st, "SELECT key, value, NULL AS blank, 7 AS seven FROM settings", &e);
	assert_non_null(s);
	assert_int_equal(stmt_step(s, &e), 1);
	assert_int_equal(stmt_columns(s), 4);
	assert_string_equal(stmt_column_name(s, 0), "key");
	assert_string_equal(stmt_column_name(s, 3), "seven");
	assert_string_equal(stmt_text(s, 0), "k1");
	assert_string_equal(stmt_text(s, 1), "v1");
	assert_true(stmt_isnull(s, 2));
	assert_null(stmt_text(s, 2));
	assert_false(stmt_isnull(s, 3));
	assert_int_equal(stmt_int(s, 3), 7);
	assert_int_equal(stmt_step(s, &e), 0);
	stmt_done(s);

	/* store_int: 0 and untouched when no row. (A parameter whose type
	 * nothing around it gives, as in "? + ?", needs a CAST on PostgreSQL.) */
	int64_t v = 99;
	assert_int_equal(store_int(st, &e, &v, "SELECT 1 FROM settings WHERE key = ?", "t", "none"),
			 0);
	assert_int_equal(v, 99);
	assert_int_equal(store_int(st, &e, &v, "SELECT CAST(? AS INTEGER) + CAST(? AS INTEGER)",
				   "ii", (int64_t)40, (int64_t)2),
			 1);
	assert_int_equal(v, 42);
	/* 't' with NULL binds NULL; 'n' binds NULL without an argument. */
	assert_int_equal(
		store_int(st, &e, &v, "SELECT ? IS NULL AND ? IS NULL", "tn", (const char *)NULL),
		1);
	assert_int_equal(v, 1);
	store_close(st);
}

/* Migration 0015 on a table of an older database (INTEGER PRIMARY KEY without
 * AUTOINCREMENT, no sqlite_sequence row: made so here from a fresh one): the
 * newest row deleted, the next gets a new id, and the rows are kept. SQLite
 * only: PostgreSQL's identity columns never reuse a value. */
static void test_ids_never_reused(void **state)
{
	(void)state;
	struct store *st = test_store_new("migrate-ids", NULL);
	if (is_pg(st)) {
		store_close(st);
		skip();
	}
	struct err e;
	assert_int_equal(
		store_exec(st, "INSERT INTO consultants (created_at, updated_at, name) VALUES"
			       " ('t', 't', 'a'), ('t', 't', 'b'), ('t', 't', 'c');"
			       "PRAGMA writable_schema = ON;"
			       "UPDATE sqlite_master SET sql = replace(sql, ' AUTOINCREMENT', '')"
			       " WHERE name = 'consultants';"
			       "PRAGMA writable_schema = OFF;"
			       "DELETE FROM sqlite_sequence WHERE name = 'consultants';"
			       "CREATE TABLE reload (x); DROP TABLE reload",
			   &e),
		0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'consultants'"
				       " AND sql LIKE '%AUTOINCREMENT%'"),
			 0);
	const struct embedded_file *f =
		embed_find(migrations_files, "0015_ids_never_reused.sqlite.sql");
	assert_non_null(f);
	assert_int_equal(store_exec(st, (const char *)f->data, &e), 0);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'consultants'"
				       " AND sql LIKE '%AUTOINCREMENT%'"),
			 1);
	/* The next migration may alter a table at once (0016 adds columns to
	 * figures): the edited schema must be the one SQLite reads. */
	assert_int_equal(store_exec(st, "ALTER TABLE figures ADD COLUMN upgrade_probe TEXT", &e), 0);
	int64_t top = test_count(st, "SELECT MAX(id) FROM consultants");
	char sql[160];
	snprintf(sql, sizeof sql,
		 "DELETE FROM consultants WHERE id = %lld;"
		 "INSERT INTO consultants (created_at, updated_at, name) VALUES ('t', 't', 'd')",
		 (long long)top);
	assert_int_equal(store_exec(st, sql, &e), 0);
	assert_int_equal(test_count(st, "SELECT MAX(id) FROM consultants"), top + 1);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM pragma_integrity_check WHERE"
				       " integrity_check = 'ok'"),
			 1);
	store_close(st);
}

/* Base64 text of n bytes, as product photos and proposal files were kept
 * before migration 0034. */
static char *old_base64(const unsigned char *d, size_t n)
{
	size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *b = malloc(len);
	sodium_bin2base64(b, len, d, n, sodium_base64_VARIANT_ORIGINAL);
	return b;
}

static void assert_same_bytes(const unsigned char *got, size_t got_n, const unsigned char *want,
			      size_t want_n)
{
	unsigned char a[crypto_hash_sha256_BYTES], b[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(a, got, got_n);
	crypto_hash_sha256(b, want, want_n);
	assert_int_equal(got_n, want_n);
	assert_memory_equal(a, b, sizeof a);
}

/* A database as release 0033 left it: a product with a photo (shown and as
 * sent) and one without its original, a proposal with a file, all base64;
 * damaged, when not NULL, is the text of the second photo instead. */
static struct store *store_before_0034(const char *name, const unsigned char *d, size_t n,
				       const char *damaged)
{
	char *path = test_tmp_path(name);
	struct store *st = NULL;
	struct err e;
	err_clear(&e);
	assert_int_equal(store_open(path, &st, &e), 0);
	free(path);
	assert_int_equal(store_migrate_to(st, 33, &e), 0);
	assert_int_equal(store_schema_version(st, &e), 33);
	char *shown = old_base64(d, n / 2), *sent = old_base64(d, n),
	     *file = old_base64(d + 1, n - 1);
	assert_int_equal(
		store_run(st, &e,
			  "INSERT INTO products(id, created_at, updated_at) VALUES (1, 't', 't')",
			  ""),
		0);
	assert_int_equal(
		store_run(st, &e,
			  "INSERT INTO proposals(id, created_at, updated_at) VALUES (1, 't', 't')",
			  ""),
		0);
	assert_int_equal(
		store_run(st, &e,
			  "INSERT INTO product_photos(id, product_id, created_at, created_by,"
			  " content_type, bytes, sha256, data, original_type, original_bytes,"
			  " original_data) VALUES (1, 1, 't', 'a', 'image/jpeg', ?, 'x', ?,"
			  " 'image/jpeg', ?, ?), (2, 1, 't', 'a', 'image/png', ?, 'y', ?, NULL,"
			  " 0, NULL)",
			  "ititit", (int64_t)(n / 2), shown, (int64_t)n, sent, (int64_t)n,
			  damaged ? damaged : sent),
		0);
	assert_int_equal(
		store_run(st, &e,
			  "INSERT INTO proposal_files(id, proposal_id, created_at, username, side,"
			  " name, content_type, bytes, sha256, data) VALUES (1, 1, 't', 'a',"
			  " 'department', 'bao-gia.pdf', 'application/pdf', ?, 'z', ?)",
			  "it", (int64_t)(n - 1), file),
		0);
	free(shown);
	free(sent);
	free(file);
	return st;
}

/* Migration 0034 turns the base64 text of product photos and proposal files
 * into binary in its C step: every byte served after it is the byte stored
 * before, and the text columns are gone. */
static void test_photos_become_binary(void **state)
{
	(void)state;
	unsigned char d[3000]; /* every byte value, NUL included */
	for (size_t i = 0; i < sizeof d; i++)
		d[i] = (unsigned char)(i * 7 + i / 256);
	struct store *st = store_before_0034("migrate-0034", d, sizeof d, NULL);
	struct err e;
	err_clear(&e);
	assert_int_equal(store_migrate(st, &e), 0);
	assert_int_equal(store_schema_version(st, &e), store_schema_latest());

	struct photo p;
	assert_int_equal(photo_get(st, 1, &p, &e), 0);
	assert_same_bytes(p.data, p.size, d, sizeof d / 2);
	photo_free(&p);
	assert_int_equal(photo_get(st, 2, &p, &e), 0);
	assert_same_bytes(p.data, p.size, d, sizeof d);
	photo_free(&p);
	struct stmt *s =
		store_prepare(st, "SELECT original_data FROM product_photos WHERE id = 1", &e);
	assert_non_null(s);
	assert_int_equal(stmt_step(s, &e), 1);
	size_t n = 0;
	const unsigned char *orig = stmt_blob(s, 0, &n);
	assert_same_bytes(orig, n, d, sizeof d);
	stmt_done(s);
	assert_int_equal(test_count(st, "SELECT COUNT(*) FROM product_photos WHERE id = 2 AND"
					" original_data IS NULL"),
			 1);

	struct actor admin;
	actor_cli(&admin);
	struct proposal_file f;
	assert_int_equal(proposal_file_get(st, &admin, 1, 1, &f, &e), 0);
	assert_same_bytes(f.data, f.size, d + 1, sizeof d - 1);
	assert_string_equal(f.content_type, "application/pdf");
	free(f.data);

	/* The text columns are gone. */
	assert_null(store_prepare(st, "SELECT data_base64 FROM proposal_files", &e));
	assert_null(store_prepare(st, "SELECT original_base64 FROM product_photos", &e));
	store_close(st);
}

/* A row that is not base64 stops migration 0034, naming the row, and the
 * database stays as it was: still 0033, the text still there. */
static void test_photos_migration_is_atomic(void **state)
{
	(void)state;
	unsigned char d[200];
	memset(d, 0xAB, sizeof d);
	struct store *st = store_before_0034("migrate-0034-damaged", d, sizeof d, "not base64!");
	struct err e;
	err_clear(&e);
	assert_true(store_migrate(st, &e) < 0);
	assert_non_null(strstr(e.message, "product_photos 2"));
	err_clear(&e);
	assert_int_equal(store_schema_version(st, &e), 33);
	struct stmt *s = store_prepare(st, "SELECT data FROM product_photos ORDER BY id", &e);
	assert_non_null(s);
	assert_int_equal(stmt_step(s, &e), 1);
	char *shown = old_base64(d, sizeof d / 2);
	assert_string_equal(stmt_text(s, 0), shown);
	assert_int_equal(stmt_step(s, &e), 1);
	assert_string_equal(stmt_text(s, 0), "not base64!");
	free(shown);
	stmt_done(s);
	assert_int_equal(
		test_count(st, "SELECT COUNT(*) FROM proposal_files WHERE data IS NOT NULL"), 1);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_migrate),
		cmocka_unit_test(test_ids_never_reused),
		cmocka_unit_test(test_newer_database_refused),
		cmocka_unit_test(test_not_sqlite_refused),
		cmocka_unit_test(test_postgres_unreachable),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_file_mapped_once),
		cmocka_unit_test(test_read_once_not_mapped),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_constraint_is_conflict),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_photos_become_binary),
		cmocka_unit_test(test_photos_migration_is_atomic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
