/* migrate.c - numbered schema migrations compiled into the binary.
 * Files are named NNNN_what.sql; {{ID}} becomes the dialect's auto-increment
 * primary key so one file serves every driver. Where a statement cannot be
 * written for both, NNNN_what.TAG.sql (TAG the driver's file_tag: "pg")
 * replaces NNNN_*.sql for that driver and is ignored by the others. */
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

/* The file that migration v is for st's driver: its own tagged file when
 * there is one, else the plain one; NULL when v has neither. */
static const struct embedded_file *migration_file(struct store *st, int v)
{
	const struct embedded_file *plain = NULL;
	for (const struct embedded_file *f = migrations_files; f->name; f++) {
		if (migration_number(f->name) != v)
			continue;
		char tag[16];
		if (!file_tag(f->name, tag, sizeof tag))
			plain = f;
		else if (st->drv->file_tag && !strcmp(tag, st->drv->file_tag))
			return f;
	}
	return plain;
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

static char *expand_dialect(struct store *st, const char *sql)
{
	struct buf b = BUF_INIT;
	const char *p = sql;
	const char *hit;
	while ((hit = strstr(p, "{{ID}}"))) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_puts(&b, st->drv->id_column);
		p = hit + 6;
	}
	buf_puts(&b, p);
	return buf_detach(&b);
}

static int apply_one(struct store *st, const struct embedded_file *f, struct err *e)
{
	char *sql = expand_dialect(st, (const char *)f->data);
	char now[32];
	time_t t = time(NULL);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	int rc = store_begin(st, e);
	if (rc == 0)
		rc = store_exec(st, sql, e);
	if (rc == 0)
		rc = store_run(st, e, "INSERT INTO schema_version(version, name, applied_at) VALUES (?, ?, ?)",
		               "itt", (int64_t)migration_number(f->name), f->name, now);
	if (rc < 0) {
		store_rollback(st);
		char msg[sizeof e->message];
		snprintf(msg, sizeof msg, "%s", e ? e->message : "");
		err_set(e, ERR_STORE, "", "migration %s failed: %s", f->name, msg);
		free(sql);
		return ERR_STORE;
	}
	free(sql);
	return store_commit(st, e);
}

static int migrate_locked(struct store *st, struct err *e)
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
	for (int v = have + 1; v <= latest; v++) {
		const struct embedded_file *f = migration_file(st, v);
		if (!f)
			continue;
		int rc = apply_one(st, f, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int store_migrate(struct store *st, struct err *e)
{
	if (st->drv->lock_sql) {
		int rc = store_exec(st, st->drv->lock_sql, e);
		if (rc < 0)
			return rc;
	}
	int rc = migrate_locked(st, e);
	if (st->drv->unlock_sql)
		store_exec(st, st->drv->unlock_sql, NULL);
	return rc;
}
