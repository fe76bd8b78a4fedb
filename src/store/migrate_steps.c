/* migrate_steps.c - what a migration does that its SQL cannot do on every
 * dialect (SQLite 3.40 decodes neither base64 nor hex): a C step, run by
 * apply_one (migrate.c) after the migration's files and before its
 * schema_version row, in the same transaction, so that a step that fails or
 * is killed half-way leaves the database as it was. */
#include "store/driver.h"

#include "core/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ids of the rows of table whose column is not NULL. */
static int ids_with(struct store *st, const char *table, const char *column, int64_t **ids,
		    size_t *n, struct err *e)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s IS NOT NULL ORDER BY id", table,
		 column);
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		*ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = stmt_int(s, 0);
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* Row id of table: the base64 text of column from, decoded into the binary
 * column to. Text that is not base64 stops the migration, naming the row. */
static int decode_row(struct store *st, const char *table, const char *from, const char *to,
		      int64_t id, struct err *e)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE id = ?", from, table);
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, id);
	int rc = stmt_step(s, e);
	unsigned char *bin = NULL;
	size_t n = 0;
	if (rc == 1) {
		const char *b64 = stmt_text(s, 0);
		size_t len = strlen(b64);
		bin = xmalloc(len / 4 * 3 + 3);
		if (sodium_base642bin(bin, len / 4 * 3 + 3, b64, len, NULL, &n, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0)
			rc = err_set(e, ERR_STORE, from, "%s %lld: %s is not base64", table,
				     (long long)id, from);
	}
	stmt_done(s);
	if (rc == 1) {
		snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE id = ?", table, to);
		s = store_prepare(st, sql, e);
		rc = s ? 0 : ERR_STORE;
		if (s) {
			stmt_bind_blob(s, 1, bin, n);
			stmt_bind_int(s, 2, id);
			rc = stmt_step(s, e);
			stmt_done(s);
		}
	}
	free(bin);
	return rc < 0 ? rc : 0;
}

/* Every row's base64 column from decoded into the binary column to; then
 * from is dropped. */
static int base64_to_blob(struct store *st, const char *table, const char *from, const char *to,
			  struct err *e)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = ids_with(st, table, from, &ids, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = decode_row(st, table, from, to, ids[i], e);
	free(ids);
	char sql[160];
	snprintf(sql, sizeof sql, "ALTER TABLE %s DROP COLUMN %s", table, from);
	return rc < 0 ? rc : store_exec(st, sql, e);
}

/* 0034: product photos and proposal files from base64 text to binary. */
static int binary_photos(struct store *st, struct err *e)
{
	int rc = base64_to_blob(st, "product_photos", "data_base64", "data", e);
	if (rc == 0)
		rc = base64_to_blob(st, "product_photos", "original_base64", "original_data", e);
	if (rc == 0)
		rc = base64_to_blob(st, "proposal_files", "data_base64", "data", e);
	return rc;
}

static const struct {
	int version;
	int (*run)(struct store *st, struct err *e);
} steps[] = {
	{34, binary_photos},
};

int migration_step(struct store *st, int v, struct err *e)
{
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (steps[i].version == v)
			return steps[i].run(st, e);
	return 0;
}
