/* cli_pg.c - `khuyencong migrate`: one office's SQLite file moves to the
 * national PostgreSQL (or back), checked table by table. */
#include "cli_pg.h"

#include "core/buf.h"
#include "stats/stats_preagg.h"
#include "store/migrate_copy.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct cliopt cli_migrate_opts[] = {
	{"from", 1, NULL, "source database: sqlite:PATH, a file path or postgresql://..."},
	{"to", 1, NULL,
	 "target database, empty (schema version 0): postgresql://... or sqlite:PATH"},
	{"replace", 0, NULL, "delete the rows the target already holds first"},
	{"verify", 0, NULL, "copy nothing: only compare the two databases, table by table"},
	{NULL, 0, NULL, NULL},
};

static int fail(const struct err *e)
{
	if (e->field[0])
		fprintf(stderr, "khuyencong: %s [%s]\n", e->message, e->field);
	else
		fprintf(stderr, "khuyencong: %s\n", e->message);
	return 1;
}

/* The URL with any password hidden, for messages. */
static void redact(const char *url, char *out, size_t n)
{
	const char *scheme = strstr(url, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
	if (at && colon && colon < at)
		snprintf(out, n, "%.*s:***%s", (int)(colon - url), url, at);
	else
		snprintf(out, n, "%s", url);
}

int cli_migrate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	err_clear(&e);
	const char *from = cliopt_get(cli_migrate_opts, "from");
	const char *to = cliopt_get(cli_migrate_opts, "to");
	if (!from || !to) {
		err_set(&e, ERR_INVALID, from ? "to" : "from", "usage: khuyencong migrate %s",
			CLI_MIGRATE_USAGE);
		return fail(&e);
	}
	const char *path = !strncmp(from, "sqlite:", 7) ? from + 7 : from;
	if (!strstr(from, "://") && access(path, R_OK) != 0) {
		err_set(&e, ERR_NOTFOUND, "from", "no database at %s", path);
		return fail(&e);
	}
	struct store *src = NULL, *dst = NULL;
	if (store_open(from, &src, &e) < 0)
		return fail(&e);
	if (store_open(to, &dst, &e) < 0) {
		store_close(src);
		return fail(&e);
	}
	/* Every row of both read once: no map that would make whole files resident. */
	if (store_read_once(src, &e) < 0 || store_read_once(dst, &e) < 0) {
		store_close(src);
		store_close(dst);
		return fail(&e);
	}
	struct buf report = BUF_INIT;
	int verify = cliopt_get(cli_migrate_opts, "verify") != NULL;
	int rc = verify ? store_compare(src, dst, &report, &e)
			: store_copy(src, dst, cliopt_get(cli_migrate_opts, "replace") != NULL,
				     preagg_refill, &report, &e);
	store_close(src);
	store_close(dst);
	fputs(buf_cstr(&report), stdout);
	buf_free(&report);
	if (rc < 0)
		return fail(&e);
	char shown[512];
	redact(to, shown, sizeof shown);
	printf("khuyencong: %s %s; every table is identical (schema version %d)\n",
	       verify ? "compared with" : "copied to", shown, store_schema_latest());
	return 0;
}
