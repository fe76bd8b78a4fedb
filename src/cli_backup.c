/* cli_backup.c - `khuyencong restore`: puts a backup back after checking that
 * it is whole and of a schema this binary knows (store/restore.c). */
#include "cli_backup.h"

#include "store/restore.h"

#include <stdio.h>
#include <stdlib.h>

struct cliopt restore_opts[] = {
	{"from", 1, NULL, "the backup file (written by khuyencong backup)"},
	{"db", 1, NULL, "database file to restore into (env KC_DB); must not exist unless --force"},
	{"force", 0, NULL, "replace an existing database, keeping it as PATH.before-restore"},
	{"verify-only", 0, NULL, "only check the backup (complete, known schema); write nothing"},
	{NULL, 0, NULL, NULL},
};

static int refuse(const struct err *e)
{
	fprintf(stderr, "khuyencong: restore refused: %s\n", e->message);
	return 1;
}

int cmd_restore(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	err_clear(&e);
	const char *from = cliopt_get(restore_opts, "from");
	const char *db = cliopt_get(restore_opts, "db");
	if (!db || !*db)
		db = getenv("KC_DB");
	if (!from || !*from) {
		err_set(&e, ERR_INVALID, "from", "--from FILE is required (the backup to restore)");
		return refuse(&e);
	}
	if (cliopt_get(restore_opts, "verify-only")) {
		int version = 0;
		if (store_verify_backup(from, &version, &e) < 0)
			return refuse(&e);
		printf("khuyencong: %s is a complete backup (schema version %d of %d)\n", from, version,
		       store_schema_latest());
		return 0;
	}
	if (!db || !*db) {
		err_set(&e, ERR_INVALID, "db", "--db PATH is required (the database file to write)");
		return refuse(&e);
	}
	struct restore_result res;
	if (store_restore(from, db, cliopt_get(restore_opts, "force") != NULL, &res, &e) < 0)
		return refuse(&e);
	printf("khuyencong: restored %s to %s (schema version %d", from, db, res.version);
	if (res.migrated_to != res.version)
		printf(", upgraded to %d", res.migrated_to);
	printf(", %d tables)\n", res.tables);
	if (res.kept[0])
		printf("khuyencong: the replaced database is kept as %s\n", res.kept);
	return 0;
}
