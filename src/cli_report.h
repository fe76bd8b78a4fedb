/* cli_report.h - the report subcommand: the periodic report from cron. */
#ifndef KC_CLI_REPORT_H
#define KC_CLI_REPORT_H

#include "core/cliopt.h"

/* Options of `khuyencong report` (parsed by main before cmd_report runs). */
extern struct cliopt report_opts[];

/* `khuyencong report --db PATH (--province CODE | --old-province CODE |
 * --national) --from YEAR --to YEAR [--units current|historical]
 * --format xlsx|pdf|csv|json|txt --out FILE` (csv: --out is a directory that
 * receives one file per table). Returns the exit status. */
int cmd_report(int argc, char **argv);

#endif
