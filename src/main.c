/* main.c - the khuyencong command: one table of subcommands and their dispatch. */
#include "cli_backup.h"
#include "cli_io.h"
#include "cli_pg.h"
#include "cli_report.h"
#include "core/cliopt.h"
#include "core/clock.h"
#include "core/secret.h"
#include "model/demo.h"
#include "model/industry.h"
#include "model/record_old.h"
#include "model/trace.h"
#include "model/unit.h"
#include "model/user.h"
#include "stats/stats_preagg.h"
#include "store/store.h"
#include "web/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_DB "data/khuyencong.db"
#define DEFAULT_LISTEN "127.0.0.1:8080"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage; /* after "khuyencong NAME " */
	const char *help;
	struct cliopt *opts;
};

static int fail(const struct err *e)
{
	if (e->field[0])
		fprintf(stderr, "khuyencong: %s [%s]\n", e->message, e->field);
	else
		fprintf(stderr, "khuyencong: %s\n", e->message);
	return 1;
}

static const char *db_url(const struct cliopt *opts)
{
	const char *db = cliopt_get(opts, "db");
	if (!db)
		db = getenv("KC_DB");
	return db && *db ? db : DEFAULT_DB;
}

/* Opens the database and brings its schema up to date. */
static struct store *open_db(const char *url, int must_exist, struct err *e)
{
	if (must_exist && !strchr(url, ':') && access(url, F_OK) != 0) {
		err_set(e, ERR_NOTFOUND, "db",
		        "no database at %s: create it with `khuyencong init --db %s`", url, url);
		return NULL;
	}
	struct store *st;
	if (store_open(url, &st, e) < 0)
		return NULL;
	if (store_migrate(st, e) < 0 || record_upkeep(st, NULL, e) < 0) {
		store_close(st);
		return NULL;
	}
	return st;
}

/* Reads a password from stdin (without echo on a terminal). Never from argv. */
static int read_password(char *out, size_t size, const char *prompt, struct err *e)
{
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	char *got = fgets(out, (int)size, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return err_set(e, ERR_INVALID, "password", "no password on standard input");
	out[strcspn(out, "\r\n")] = 0;
	return secret_password_ok(out, e);
}

static struct cliopt serve_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default " DEFAULT_DB ")"},
	{"listen", 1, NULL, "address and port (env KC_LISTEN; default " DEFAULT_LISTEN ")"},
	{"threads", 1, "4",
	 "request threads; each holds one database connection, so this sizes the server's "
	 "connection pool"},
	{"workers", 1, "1", "background job threads (web imports, report files); 0 runs none, "
	                    "for a server that only answers requests while others do the jobs"},
	{"secure-cookies", 0, NULL, "mark cookies Secure (when served behind HTTPS)"},
	{"quiet", 0, NULL, "no access log"},
	{"trust-proxy", 1, NULL, "address of the reverse proxy (e.g. 127.0.0.1) whose X-Forwarded-For "
	                         "names the client"},
	{"per-address", 1, NULL,
	 "open connections allowed from one client address, 0 for no limit (env KC_PER_ADDRESS; "
	 "default 128, or 0 with --trust-proxy: the proxy limits clients)"},
	{"idle-timeout", 1, NULL,
	 "seconds an idle connection is kept open (env KC_IDLE_TIMEOUT; default 15)"},
	{NULL, 0, NULL, NULL},
};

/* A serve option given on the command line, else in the environment, else
 * def; in 0..max, else -1. */
static int serve_number(const char *name, const char *env, int def, int max)
{
	const char *v = cliopt_get(serve_opts, name);
	if (!v)
		v = getenv(env);
	if (!v || !*v)
		return def;
	if (strspn(v, "0123456789") != strlen(v) || strlen(v) > 6 || atoi(v) > max)
		return -1;
	return atoi(v);
}

static int cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	err_clear(&e);
	const char *db = db_url(serve_opts);
	/* Codes printed under a path prefix would answer 404: refuse it now. */
	const char *pub = getenv("KC_PUBLIC_URL");
	if (pub && *pub && trace_base_check(pub, &e) < 0)
		return fail(&e);
	const char *listen = cliopt_get(serve_opts, "listen");
	if (!listen)
		listen = getenv("KC_LISTEN");
	struct server_options o = {
		.db = db,
		.listen = listen && *listen ? listen : DEFAULT_LISTEN,
		.threads = atoi(cliopt_get(serve_opts, "threads")),
		.secure_cookies = cliopt_get(serve_opts, "secure-cookies") != NULL,
		.quiet = cliopt_get(serve_opts, "quiet") != NULL,
		.trust_proxy = cliopt_get(serve_opts, "trust-proxy"),
		.workers = atoi(cliopt_get(serve_opts, "workers")),
		.per_address = serve_number("per-address", "KC_PER_ADDRESS",
					    cliopt_get(serve_opts, "trust-proxy") ? 0 : 128, 100000),
		.idle_timeout = serve_number("idle-timeout", "KC_IDLE_TIMEOUT", 15, 3600),
	};
	if (o.per_address < 0) {
		err_set(&e, ERR_INVALID, "per-address", "--per-address must be 0..100000");
		return fail(&e);
	}
	if (o.idle_timeout < 1) {
		err_set(&e, ERR_INVALID, "idle-timeout", "--idle-timeout must be 1..3600 seconds");
		return fail(&e);
	}
	if (o.threads < 1 || o.threads > 256) {
		err_set(&e, ERR_INVALID, "threads", "--threads must be 1..256");
		return fail(&e);
	}
	const char *wk = cliopt_get(serve_opts, "workers");
	if (strspn(wk, "0123456789") != strlen(wk) || !*wk || o.workers > 64) {
		err_set(&e, ERR_INVALID, "workers", "--workers must be 0..64");
		return fail(&e);
	}
	o.opened = open_db(db, 1, &e); /* then the first request thread's connection */
	if (!o.opened)
		return fail(&e);
	return server_run(&o, &e) < 0 ? fail(&e) : 0;
}

static struct cliopt init_opts[] = {
	{"db", 1, NULL, "database file to create or upgrade (env KC_DB; default " DEFAULT_DB ")"},
	{"admin", 1, "admin", "name of the first administrator account"},
	{"no-demo", 0, NULL, "do not load the demo data into a new database"},
	{NULL, 0, NULL, NULL},
};

/* Loads the reference data shipped in the binary: administrative units and
 * industry codes. Both loaders change nothing when already current. */
static int load_reference(struct store *st, struct err *e)
{
	struct buf rep = BUF_INIT;
	int rc = unit_load_all(st, &rep, e);
	if (rc == 0)
		rc = industry_load_all(st, e);
	fputs(buf_cstr(&rep), stdout);
	buf_free(&rep);
	return rc;
}

static int load_demo(struct store *st, struct err *e)
{
	struct actor cli;
	actor_cli(&cli);
	int n = 0;
	int rc = demo_load(st, &cli, &n, e);
	if (rc == 0)
		printf("khuyencong: loaded %d demo records (figures of the seed articles and "
		       "illustrative records)\n",
		       n);
	return rc;
}

static int cmd_init(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	err_clear(&e);
	const char *db = db_url(init_opts);
	struct store *st = open_db(db, 0, &e);
	if (!st)
		return fail(&e);
	int64_t users = 0;
	int rc = load_reference(st, &e);
	if (rc == 0)
		rc = store_int(st, &e, &users, "SELECT COUNT(*) FROM users", "");
	if (rc >= 0 && users == 0) {
		struct actor cli;
		actor_cli(&cli);
		char pw[20];
		secret_password_generate(pw, 16);
		struct user_input in = {.username = cliopt_get(init_opts, "admin"),
		                        .display_name = "Quản trị viên",
		                        .role = "admin"};
		rc = user_add(st, &cli, &in, pw, NULL, &e);
		if (rc == 0 && !cliopt_get(init_opts, "no-demo"))
			rc = load_demo(st, &e);
		if (rc == 0)
			printf("khuyencong: created %s with administrator \"%s\", password: %s\n"
			       "            (shown only once; change it under Tài khoản của tôi)\n",
			       db, in.username, pw);
	} else if (rc >= 0) {
		printf("khuyencong: %s is up to date (schema version %d)\n", db,
		       store_schema_version(st, &e));
	}
	store_close(st);
	return rc < 0 ? fail(&e) : 0;
}

static struct cliopt user_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default " DEFAULT_DB ")"},
	{"role", 1, NULL, "add: admin, ministry, province, establishment or viewer"},
	{"province", 1, NULL, "add: two-digit code of the (2025) province of a province/viewer account"},
	{"establishment", 1, NULL, "add: id of the establishment of an establishment account"},
	{"name", 1, NULL, "add: the person's full name"},
	{"enable", 0, NULL, "disable: re-enable the account instead"},
	{NULL, 0, NULL, NULL},
};

static int user_do_list(struct store *st, struct err *e)
{
	struct actor cli;
	actor_cli(&cli);
	json_t *rows;
	if (user_list(st, &cli, &rows, e) < 0)
		return -1;
	size_t i;
	json_t *u;
	printf("%-24s %-14s %-8s %-9s %s\n", "USERNAME", "ROLE", "PROVINCE", "STATUS", "NAME");
	json_array_foreach(rows, i, u) {
		json_t *p = json_object_get(u, "province");
		printf("%-24s %-14s %-8s %-9s %s\n", json_string_value(json_object_get(u, "username")),
		       json_string_value(json_object_get(u, "role")),
		       json_is_string(p) ? json_string_value(p) : "-",
		       json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active",
		       json_string_value(json_object_get(u, "display_name")));
	}
	json_decref(rows);
	return 0;
}

static int user_do(struct store *st, const char *verb, const char *name, struct err *e)
{
	struct actor cli;
	actor_cli(&cli);
	char pw[PASSWORD_MAX + 2];
	if (!strcmp(verb, "add")) {
		const char *est = cliopt_get(user_opts, "establishment");
		struct user_input in = {.username = name,
		                        .display_name = cliopt_get(user_opts, "name"),
		                        .role = cliopt_get(user_opts, "role"),
		                        .province = cliopt_get(user_opts, "province"),
		                        .establishment_id = est ? atoll(est) : 0};
		if (read_password(pw, sizeof pw, "Password: ", e) < 0)
			return -1;
		return user_add(st, &cli, &in, pw, NULL, e);
	}
	if (!strcmp(verb, "passwd")) {
		if (read_password(pw, sizeof pw, "New password: ", e) < 0)
			return -1;
		return user_set_password(st, &cli, name, pw, e);
	}
	if (!strcmp(verb, "disable"))
		return user_set_disabled(st, &cli, name, !cliopt_get(user_opts, "enable"), e);
	return err_set(e, ERR_INVALID, verb, "unknown user command %s (add, list, passwd, disable)",
	               verb);
}

static int cmd_user(int argc, char **argv)
{
	struct err e;
	err_clear(&e);
	const char *pos[2];
	int npos = 0;
	if (cliopt_parse(argc, argv, user_opts, pos, 2, &npos, &e) < 0)
		return fail(&e);
	if (npos < 1 || (strcmp(pos[0], "list") && npos < 2)) {
		err_set(&e, ERR_INVALID, "", "usage: khuyencong user add|list|passwd|disable [USERNAME]");
		return fail(&e);
	}
	struct store *st = open_db(db_url(user_opts), 1, &e);
	if (!st)
		return fail(&e);
	int rc = !strcmp(pos[0], "list") ? user_do_list(st, &e) : user_do(st, pos[0], pos[1], &e);
	store_close(st);
	if (rc < 0)
		return fail(&e);
	if (strcmp(pos[0], "list"))
		printf("khuyencong: user %s: %s done\n", pos[1], pos[0]);
	return 0;
}

static struct cliopt backup_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default " DEFAULT_DB ")"},
	{"out", 1, NULL, "file to write the backup to (must not exist)"},
	{NULL, 0, NULL, NULL},
};

static int cmd_backup(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	err_clear(&e);
	const char *out = cliopt_get(backup_opts, "out");
	if (!out) {
		err_set(&e, ERR_INVALID, "out", "--out FILE is required");
		return fail(&e);
	}
	if (access(out, F_OK) == 0) {
		err_set(&e, ERR_CONFLICT, "out", "%s exists; choose a new file", out);
		return fail(&e);
	}
	struct store *st = open_db(db_url(backup_opts), 1, &e);
	if (!st)
		return fail(&e);
	int rc = store_backup(st, out, &e);
	if (rc == 0) {
		char now[21];
		clock_iso(clock_now(), now);
		store_run(st, NULL,
		          "INSERT INTO settings(key, value) VALUES ('last_backup', ?)"
		          " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		          "t", now);
	}
	store_close(st);
	if (rc < 0)
		return fail(&e);
	printf("khuyencong: backup written to %s\n", out);
	return 0;
}

static struct cliopt check_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default " DEFAULT_DB ")"},
	{NULL, 0, NULL, NULL},
};

/* The pre-aggregates against their records; only on a schema this binary
 * made (check upgrades nothing: an older one lacks some of them). */
static int check_preaggregates(struct store *st, int version, struct buf *report, struct err *e)
{
	if (version != store_schema_latest()) {
		buf_printf(
			report,
			"pre-aggregates: not compared (schema version %d, this binary's is %d)\n",
			version, store_schema_latest());
		return 0;
	}
	int64_t differing = 0;
	int rc = preagg_check(st, report, &differing, e);
	if (rc == 0 && differing)
		rc = err_set(e, ERR_CONFLICT, "",
			     "%lld khóa của bảng tổng hợp sẵn khác với hồ sơ; chạy `khuyencong "
			     "rebuild --preaggregates` / %lld pre-aggregate keys differ from their "
			     "records: run `khuyencong rebuild --preaggregates`",
			     (long long)differing, (long long)differing);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	err_clear(&e);
	struct store *st;
	const char *db = db_url(check_opts);
	if (!strchr(db, ':') && access(db, R_OK) != 0) {
		err_set(&e, ERR_NOTFOUND, "db", "no database at %s", db);
		return fail(&e);
	}
	if (store_open(db, &st, &e) < 0)
		return fail(&e);
	struct buf report = BUF_INIT;
	int rc = store_check(st, &report, &e);
	int version = rc == 0 ? store_schema_version(st, &e) : -1;
	if (version >= 0)
		rc = check_preaggregates(st, version, &report, &e);
	store_close(st);
	fputs(buf_cstr(&report), stdout);
	buf_free(&report);
	if (rc < 0 || version < 0)
		return fail(&e);
	printf("khuyencong: %s is healthy (schema version %d of %d)\n", db, version,
	       store_schema_latest());
	return 0;
}

static struct cliopt rebuild_opts[] = {
	{"db", 1, NULL, "database file or URL (env KC_DB; default " DEFAULT_DB ")"},
	{"preaggregates", 0, NULL, "recompute the statistics' pre-aggregates from the records"},
	{NULL, 0, NULL, NULL},
};

static int cmd_rebuild(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	err_clear(&e);
	if (!cliopt_get(rebuild_opts, "preaggregates")) {
		err_set(&e, ERR_INVALID, "preaggregates", "say what to rebuild: --preaggregates");
		return fail(&e);
	}
	struct store *st = open_db(db_url(rebuild_opts), 1, &e);
	if (!st)
		return fail(&e);
	struct actor cli;
	actor_cli(&cli);
	struct buf report = BUF_INIT;
	int rc = preagg_rebuild(st, &cli, &report, &e);
	store_close(st);
	fputs(buf_cstr(&report), stdout);
	buf_free(&report);
	if (rc < 0)
		return fail(&e);
	printf("khuyencong: pre-aggregates rebuilt from the records\n");
	return 0;
}

static struct cliopt no_opts[] = {{NULL, 0, NULL, NULL}};

static struct cliopt demo_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default " DEFAULT_DB ")"},
	{NULL, 0, NULL, NULL},
};

static int cmd_demo(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	err_clear(&e);
	struct store *st = open_db(db_url(demo_opts), 0, &e);
	if (!st)
		return fail(&e);
	int rc = load_reference(st, &e);
	if (rc == 0)
		rc = load_demo(st, &e);
	store_close(st);
	return rc < 0 ? fail(&e) : 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("khuyencong %s (schema %d)\n", KC_VERSION, store_schema_latest());
	return 0;
}

static const struct command commands[] = {
	{"serve", cmd_serve, "[--db PATH] [--listen ADDR:PORT]", "serve the web application and API",
	 serve_opts},
	{"init", cmd_init, "[--db PATH]",
	 "create (or upgrade) a database and its first administrator", init_opts},
	{"demo", cmd_demo, "[--db PATH]",
	 "load the demo data (the seed articles' figures and illustrative records)", demo_opts},
	{"user", cmd_user, "add|list|passwd|disable [USERNAME] [options]",
	 "manage accounts; passwords are read from standard input", user_opts},
	{"backup", cmd_backup, "--out FILE [--db PATH]",
	 "write a consistent copy of the database (safe while serving)", backup_opts},
	{"report", cmd_report, "--from YEAR [--to YEAR] --province CODE|--national --out FILE",
	 "write the periodic report (xlsx, pdf, csv, json, txt)", report_opts},
	{"restore", cmd_restore, "--from FILE --db PATH [--force]",
	 "check a backup and restore it into a database file (old one kept with --force)",
	 restore_opts},
	{"check", cmd_check, "[--db PATH]",
	 "check the database's integrity and pre-aggregates; exit 1 on damage", check_opts},
	{"rebuild", cmd_rebuild, "--preaggregates [--db PATH]",
	 "recompute the statistics' pre-aggregates from the records (audited)", rebuild_opts},
	{"migrate", cli_migrate, CLI_MIGRATE_USAGE, CLI_MIGRATE_HELP, cli_migrate_opts},
	{"import", cmd_import, "--kind KIND FILE [--dry-run] [--valid-only] | --all DIR [--db PATH]",
	 "import records from CSV or Excel: dry run first; all rows or none", import_opts},
	{"export", cmd_export, "--kind KIND [--out FILE] | --all --out DIR | --template KIND --out FILE",
	 "export records as CSV/XLSX, everything for a rebuild, or an import template", export_opts},
	{"job", cmd_job, "cancel ID [--db PATH]",
	 "cancel a web import or report job (when the web pages cannot be reached)", job_opts},
	{"version", cmd_version, "", "print the version", no_opts},
	{NULL, NULL, NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: khuyencong COMMAND [options]   (khuyencong COMMAND --help)\n\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->help);
}

static int has_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct err e;
	err_clear(&e);
	if (secret_init(&e) < 0)
		return fail(&e);
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(c->name, argv[1]))
			continue;
		if (has_help(argc - 2, argv + 2)) {
			printf("usage: khuyencong %s %s\n%s\n\noptions:\n", c->name, c->usage, c->help);
			cliopt_usage(c->opts);
			return 0;
		}
		if (c->run == cmd_import || c->run == cmd_export) /* they take FILE/DIR words */
			return c->run(argc - 2, argv + 2);
		if (c->run != cmd_user && c->run != cmd_job) {
			const char *pos[1];
			int npos;
			if (cliopt_parse(argc - 2, argv + 2, c->opts, pos, 0, &npos, &e) < 0)
				return fail(&e);
		}
		return c->run(argc - 2, argv + 2);
	}
	fprintf(stderr, "khuyencong: unknown command %s\n", argv[1]);
	usage(stderr);
	return 2;
}
