/* cli_backup.h - the restore subcommand, the counterpart of backup. */
#ifndef KC_CLI_BACKUP_H
#define KC_CLI_BACKUP_H

#include "core/cliopt.h"

/* Options of `khuyencong restore` (parsed by main before cmd_restore runs). */
extern struct cliopt restore_opts[];

/* `khuyencong restore --from FILE --db PATH [--force] [--verify-only]`:
 * prints what it did; returns the process exit status (0 ok, 1 refused). */
int cmd_restore(int argc, char **argv);

#endif
