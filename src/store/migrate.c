/* migrate.c - numbered schema migrations compiled into the binary.
 * Files are named NNNN_what.sql and run on every driver; {{ID}} becomes the
 * dialect's auto-increment primary key and {{BLOB}} its binary type, so one
 * file serves every driver. What only one dialect needs (PostgreSQL's
 * trigram indexes, SQLite's AUTOINCREMENT repair) goes in NNNN_what.TAG.sql
 * (TAG the driver's file_tag: "pg", "sqlite"), which runs after the plain
 * file, in the same transaction, and adds to it: it never repeats it. What
 * SQL cannot do on every dialect (decoding base64 on SQLite) is a C step of
 * the migration (migrate_steps.c), run after its files in the same
 * transaction. A version is recorded on every driver, even one it gives
 * nothing to do. */
#include "store/driver.h"

#include "core/embed.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int migration_number(const char *name)
{
	return atoi(name);
}

/* The dialect tag of NNNN_what.TAG.sql, or NULL for a plain NNNN_what.sql. */
static const char *file_tag(const char *name, char *out, size_t n)
{
	size_t len = strlen(name);
	if (len < 4 || strcmp(name + len - 4, ".sql"))
		return NULL;
	const char *dot = NULL;
	for (const char *p = name; p < name + len - 4; p++)
		if (*p == '.')
			dot = p;
	if (!dot)
		return NULL;
	snprintf(out, n, "%.*s", (int)(name + len - 4 - dot - 1), dot + 1);
	return out;
}

int migration_files(const char *tag, int v, const struct embedded_file *out[2], char *name,
		    size_t size)
{
	const struct embedded_file *plain = NULL, *own = NULL;
	int any = 0;
	for (const struct embedded_file *f = migrations_files; f->name; f++) {
		if (migration_number(f->name) != v)
			continue;
		if (!any++) /* NNNN_what.sql, whatever the file's tag */
			snprintf(name, size, "%.*s.sql", (int)strcspn(f->name, "."), f->name);
		char t[16];
		if (!file_tag(f->name, t, sizeof t))
			plain = f;
		else if (tag && !strcmp(t, tag))
			own = f;
	}
	if (!any)
		return -1;
	int n = 0;
	if (plain)
		out[n++] = plain;
	if (own)
		out[n++] = own;
	return n;
}

int store_schema_latest(void)
{
	int latest = 0;
	for (const struct embedded_file *f = migrations_files; f->name; f++)
		if (migration_number(f->name) > latest)
			latest = migration_number(f->name);
	return latest;
}

static int ensure_version_table(struct store *st, struct err *e)
{
	return store_exec(st,
	                  "CREATE TABLE IF NOT EXISTS schema_version ("
	                  " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
	                  e);
}

int store_schema_version(struct store *st, struct err *e)
{
	int rc = ensure_version_table(st, e);
	if (rc < 0)
		return rc;
	int64_t v = 0;
	rc = store_int(st, e, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_version", "");
	return rc < 0 ? rc : (int)v;
}

/* text with each {{NAME}} replaced by the dialect's word for it */
static char *expand_dialect(struct store *st, const char *sql)
{
	const struct {
		const char *mark, *word;
	} words[] = {{"{{ID}}", st->drv->id_column}, {"{{BLOB}}", st->drv->blob_type}};
	struct buf b = BUF_INIT;
	for (const char *p = sql; *p;) {
		size_t i = 0;
		while (i < sizeof words / sizeof *words &&
		       strncmp(p, words[i].mark, strlen(words[i].mark)))
			i++;
		if (i == sizeof words / sizeof *words) {
			buf_putc(&b, *p++);
			continue;
		}
		buf_puts(&b, words[i].word);
		p += strlen(words[i].mark);
	}
	return buf_detach(&b);
}

/* Migration v (name): its files for st's driver, none when it has nothing
 * for this dialect, its C step if any, then its row in schema_version, in
 * one transaction. */
static int apply_one(struct store *st, int v, const char *name,
		     const struct embedded_file *const *f, int n, struct err *e)
{
	char now[32];
	time_t t = time(NULL);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	int rc = store_begin(st, e);
	for (int i = 0; rc == 0 && i < n; i++) {
		char *sql = expand_dialect(st, (const char *)f[i]->data);
		rc = store_exec(st, sql, e);
		free(sql);
		if (rc < 0)
			name = f[i]->name;
	}
	if (rc == 0)
		rc = migration_step(st, v, e);
	if (rc == 0)
		rc = store_run(
			st, e,
			"INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)",
			"itt", (int64_t)v, name, now);
	if (rc < 0) {
		store_rollback(st);
		char msg[sizeof e->message];
		snprintf(msg, sizeof msg, "%s", e ? e->message : "");
		err_set(e, ERR_STORE, "", "migration %s failed: %s", name, msg);
		return ERR_STORE;
	}
	return store_commit(st, e);
}

static int migrate_locked(struct store *st, int upto, struct err *e)
{
	int have = store_schema_version(st, e);
	if (have < 0)
		return have;
	int latest = store_schema_latest();
	if (have > latest)
		return err_set(e, ERR_CONFLICT, "db",
		               "the database has schema version %d but this khuyencong knows only up to %d: "
		               "use a newer khuyencong (nothing was changed)",
		               have, latest);
	for (int v = have + 1; v <= upto && v <= latest; v++) {
		const struct embedded_file *f[2];
		char name[128];
		int n = migration_files(st->drv->file_tag, v, f, name, sizeof name);
		if (n < 0)
			continue; /* numbers may have gaps */
		int rc = apply_one(st, v, name, f, n, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int store_migrate(struct store *st, struct err *e)
{
	return store_migrate_to(st, store_schema_latest(), e);
}

int store_migrate_to(struct store *st, int upto, struct err *e)
{
	if (st->drv->lock_sql) {
		int rc = store_exec(st, st->drv->lock_sql, e);
		if (rc < 0)
			return rc;
	}
	int rc = migrate_locked(st, upto, e);
	if (st->drv->unlock_sql)
		store_exec(st, st->drv->unlock_sql, NULL);
	return rc;
}
