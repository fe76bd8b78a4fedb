/* restore.h - putting a backup back (SQLite files): the checks that a backup is
 * whole and of a known schema, the atomic replacement of the database file,
 * and the record of when the last backup was taken. */
#ifndef KC_RESTORE_H
#define KC_RESTORE_H

#include "store/store.h"

#include <limits.h>

struct restore_result {
	int version;         /* schema version of the backup */
	int migrated_to;     /* schema version after the restore (newer migrations applied) */
	int tables;          /* tables in the restored database */
	char kept[PATH_MAX]; /* where the replaced database was kept, or "" */
};

/* Checks that the file at path is a complete khuyencong database without
 * changing it: the SQLite header and the file's size agree (a cut copy is
 * refused), no write-ahead log is beside it, PRAGMA integrity_check and
 * foreign_key_check are clean, schema_version lists every migration from 1
 * up to one this binary knows, and the tables each applied migration creates
 * exist. Returns 0 with *version set, or ERR_INVALID / ERR_CONFLICT (newer
 * schema) / ERR_IO with a message naming the problem. */
int store_verify_backup(const char *path, int *version, struct err *e);

/* Restores the backup from into the database file db ("PATH" or
 * "sqlite:PATH"): verifies it (above) on a copy written to a temporary file in
 * db's folder, applies the migrations the backup lacks, syncs it, and renames
 * it over db. An existing db is refused unless force; then it is kept as
 * db.before-restore (refused when that exists, or when db is open elsewhere).
 * On failure nothing at db changes. Fills *res (may be NULL). */
int store_restore(const char *from, const char *db, int force, struct restore_result *res,
                  struct err *e);

/* Records now as the time of the last backup (settings key last_backup). */
int store_note_backup(struct store *st, struct err *e);
/* The UTC time of the last backup into out ("" when none). Returns 0 or < 0. */
int store_last_backup(struct store *st, char *out, size_t n, struct err *e);

#endif
