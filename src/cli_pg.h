/* cli_pg.h - subcommands for moving up to PostgreSQL: `khuyencong migrate`. */
#ifndef KC_CLI_PG_H
#define KC_CLI_PG_H

#include "core/cliopt.h"

#define CLI_MIGRATE_USAGE "--from SOURCE --to TARGET [--replace | --verify]"
#define CLI_MIGRATE_HELP \
	"copy a whole database (e.g. sqlite:PATH to postgresql://...) and compare every table"

/* The options of `migrate`, parsed by main before cli_migrate() runs. */
extern struct cliopt cli_migrate_opts[];

/* Copies --from into --to (store_copy) and prints one line per table.
 * Returns the process exit status: 0 when the copy is identical, 1 otherwise. */
int cli_migrate(int argc, char **argv);

#endif
