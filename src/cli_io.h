/* cli_io.h - the import and export subcommands (see `khuyencong import
 * --help`, `khuyencong export --help` and docs/import.md). */
#ifndef KC_CLI_IO_H
#define KC_CLI_IO_H

#include "core/cliopt.h"

extern struct cliopt import_opts[];
extern struct cliopt export_opts[];
extern struct cliopt job_opts[];

/* The subcommands; argv holds what follows the command's name. They parse
 * their own arguments (both take a positional FILE/DIR) and return the
 * process's exit status: 0 done, 1 problems (nothing written), 2 usage,
 * 3 a valid-only import that skipped rows. */
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
/* `khuyencong job cancel ID`: stops a web import or report job (a queued one
 * at once, a running one at its next check, or when its server restarts),
 * for the administrator who cannot reach the web pages. 0, 1 or 2 as above. */
int cmd_job(int argc, char **argv);

#endif
