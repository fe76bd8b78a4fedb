/* cli_io.c - `khuyencong import` and `khuyencong export`: files in and out
 * for scripts and cron, printing the same report the /import page shows. */
#include "cli_io.h"

#include "io/export_all.h"
#include "io/import.h"
#include "model/actor.h"
#include "model/job.h"
#include "model/record_old.h"
#include "store/store.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_DB "data/khuyencong.db"

enum { EXIT_OK = 0, EXIT_PROBLEMS = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3 };

struct cliopt import_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default " DEFAULT_DB ")"},
	{"kind", 1, NULL,
	 "record type, e.g. establishments, projects, training-classes (see --doc)"},
	{"dry-run", 0, NULL, "check every row and report; write nothing"},
	{"valid-only", 0, NULL, "write the valid rows even when others have problems"},
	{"sheet", 1, NULL, "XLSX: the sheet to read (default: the first)"},
	{"encoding", 1, NULL, "CSV: auto (default), utf-8 or cp1258 (Windows-1258)"},
	{"errors-out", 1, NULL, "write the rows with problems to this .csv or .xlsx file"},
	{"all", 1, NULL, "rebuild from the directory written by `export --all` (admin)"},
	{"doc", 0, NULL, "print the accepted columns of every record type (docs/import.md)"},
	{NULL, 0, NULL, NULL},
};

struct cliopt export_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default " DEFAULT_DB ")"},
	{"kind", 1, NULL, "record type to export"},
	{"out", 1, NULL,
	 "output: FILE.csv or FILE.xlsx (--kind; default: CSV to stdout), a new "
	 "directory (--all), FILE.xlsx (--template)"},
	{"all", 0, NULL, "every record type as CSV, with manifest.json, into the --out directory"},
	{"template", 1, NULL, "write the Excel import template of this record type to --out"},
	{NULL, 0, NULL, NULL},
};

static int fail(const struct err *e, int status)
{
	if (e->field[0])
		fprintf(stderr, "khuyencong: %s [%s]\n", e->message, e->field);
	else
		fprintf(stderr, "khuyencong: %s\n", e->message);
	return status;
}

static int usage(const char *msg)
{
	fprintf(stderr, "khuyencong: %s (see --help)\n", msg);
	return EXIT_USAGE;
}

static struct store *open_db(const struct cliopt *opts, struct err *e)
{
	const char *db = cliopt_get(opts, "db");
	if (!db || !*db)
		db = getenv("KC_DB");
	if (!db || !*db)
		db = DEFAULT_DB;
	if (!strchr(db, ':') && access(db, F_OK) != 0) {
		err_set(e, ERR_NOTFOUND, "db",
			"no database at %s: create it with `khuyencong init --db %s`", db, db);
		return NULL;
	}
	struct store *st;
	if (store_open(db, &st, e) < 0)
		return NULL;
	if (store_migrate(st, e) < 0 || record_upkeep(st, NULL, e) < 0) {
		store_close(st);
		return NULL;
	}
	return st;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcmp(s + n - m, tail);
}

/* ---- import ---------------------------------------------------------- */

static atomic_int interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	atomic_store(&interrupted, 1);
}

static void progress_line(void *ctx, int64_t rows, int64_t done, int64_t total)
{
	(void)ctx;
	int pct = total > 0 ? (int)(100 * done / total) : 0;
	fprintf(stderr, "\r  %lld dòng / rows · %d%%   ", (long long)rows, pct);
	fflush(stderr);
}

static void print_columns(const struct import_report *rep)
{
	size_t i;
	json_t *c;
	printf("columns (header at row %lld):\n", (long long)rep->header_row);
	json_array_foreach(rep->columns, i, c)
		printf("  \"%s\" -> %s (%s)\n", json_string_value(json_object_get(c, "column")),
		       json_string_value(json_object_get(c, "field")),
		       json_string_value(json_object_get(c, "mode")));
	json_array_foreach(rep->ignored, i, c)
		printf("  \"%s\" ignored / bỏ qua\n", json_string_value(c));
	if (json_array_size(rep->missing)) {
		printf("  required columns not in the file (needed to create records):");
		json_array_foreach(rep->missing, i, c) printf(" %s", json_string_value(c));
		printf("\n");
	}
}

static void print_report(const char *what, const struct import_report *rep)
{
	printf("khuyencong: %s: %s", what, rep->format);
	if (rep->encoding[0])
		printf(", %s, delimiter '%s'", rep->encoding,
		       rep->delimiter == '\t'  ? "tab"
		       : rep->delimiter == ';' ? ";"
					       : ",");
	if (rep->sheet[0])
		printf(", sheet \"%s\"", rep->sheet);
	printf("\n");
	size_t k;
	json_t *c;
	if (json_array_size(rep->unmatched)) {
		printf("WARNING / CẢNH BÁO: columns that match no field are NOT imported / các cột "
		       "không khớp trường nào, dữ liệu KHÔNG được nhập:");
		json_array_foreach(rep->unmatched, k, c) printf(" \"%s\"", json_string_value(c));
		printf("\n");
	}
	json_array_foreach(rep->notices, k, c)
		printf("  row %lld, \"%s\" = \"%s\": %s\n",
		       (long long)json_integer_value(json_object_get(c, "row")),
		       json_string_value(json_object_get(c, "column")),
		       json_string_value(json_object_get(c, "value")),
		       json_string_value(json_object_get(c, "notice")));
	if (rep->columns)
		print_columns(rep);
	for (size_t i = 0; i < rep->nlist; i++) {
		const struct import_problem *p = &rep->list[i];
		printf("  row %lld, \"%s\" = \"%s\": %s\n", (long long)p->row, p->column, p->value,
		       p->reason);
	}
	if (rep->problems > (int64_t)rep->nlist)
		printf("  ... and %lld more problems\n",
		       (long long)(rep->problems - (int64_t)rep->nlist));
	printf("rows %lld: created %lld, updated %lld, unchanged %lld, with problems %lld\n",
	       (long long)rep->rows, (long long)rep->created, (long long)rep->updated,
	       (long long)rep->unchanged, (long long)rep->failed);
}

static void all_each(void *ctx, const char *collection, const struct import_report *rep)
{
	(void)ctx;
	print_report(collection, rep);
}

static int import_dir(struct store *st, const struct actor *a, const char *dir)
{
	struct err e;
	err_clear(&e);
	int dry = cliopt_get(import_opts, "dry-run") != NULL;
	if (cliopt_get(import_opts, "valid-only"))
		return usage("--valid-only cannot be used with --all");
	int rc = import_all(st, a, dir, dry, all_each, NULL, &e);
	if (rc < 0)
		return fail(&e, EXIT_PROBLEMS);
	printf("khuyencong: %s\n",
	       dry ? "dry run: nothing was written" : "rebuilt from the export");
	return EXIT_OK;
}

static int import_file(struct store *st, const struct actor *a, const char *kind, const char *path)
{
	struct err e;
	err_clear(&e);
	struct import_source_opts so = {.encoding = cliopt_get(import_opts, "encoding"),
					.sheet = cliopt_get(import_opts, "sheet")};
	struct import_source *src;
	if (import_source_open(path, &so, &src, &e) < 0)
		return fail(&e, EXIT_PROBLEMS);
	const char *errors = cliopt_get(import_opts, "errors-out");
	struct import_options o = {
		.dry_run = cliopt_get(import_opts, "dry-run") != NULL,
		.valid_only = cliopt_get(import_opts, "valid-only") != NULL,
		.progress = isatty(STDERR_FILENO) ? progress_line : NULL,
		.cancel = &interrupted,
		.bad_rows_csv = errors && !ends_with(errors, ".xlsx") ? errors : NULL,
		.bad_rows_xlsx = errors && ends_with(errors, ".xlsx") ? errors : NULL,
	};
	signal(SIGINT, on_sigint);
	struct import_report rep;
	int rc = import_run(st, a, kind, src, &o, &rep, &e);
	import_source_close(src);
	if (o.progress)
		fputc('\n', stderr);
	print_report(kind, &rep);
	int status = EXIT_OK;
	if (rc < 0) {
		status = fail(&e, EXIT_PROBLEMS);
	} else if (o.dry_run) {
		printf("dry run: nothing was written%s\n",
		       rep.failed ? "" : "; the file can be imported");
		status = rep.failed ? EXIT_PROBLEMS : EXIT_OK;
	} else {
		printf("written: %lld created, %lld updated%s\n", (long long)rep.created,
		       (long long)rep.updated,
		       rep.failed ? "; the rows with problems were skipped" : "");
		status = rep.failed ? EXIT_PARTIAL : EXIT_OK;
	}
	import_report_free(&rep);
	return status;
}

int cmd_import(int argc, char **argv)
{
	struct err e;
	err_clear(&e);
	const char *pos[2];
	int npos = 0;
	if (cliopt_parse(argc, argv, import_opts, pos, 2, &npos, &e) < 0)
		return fail(&e, EXIT_USAGE);
	if (cliopt_get(import_opts, "doc")) {
		struct buf b = BUF_INIT;
		import_doc_markdown(&b);
		fputs(buf_cstr(&b), stdout);
		buf_free(&b);
		return EXIT_OK;
	}
	const char *dir = cliopt_get(import_opts, "all"), *kind = cliopt_get(import_opts, "kind");
	if (!dir && (!kind || npos != 1))
		return usage(
			"usage: khuyencong import --kind KIND FILE [--dry-run] [--valid-only], or "
			"--all DIR");
	if (dir && (kind || npos))
		return usage("--all DIR takes no --kind or FILE");
	if (kind && !entity_find(kind))
		return usage("unknown --kind; `khuyencong import --doc` lists the record types");
	struct store *st = open_db(import_opts, &e);
	if (!st)
		return fail(&e, EXIT_PROBLEMS);
	/* An import touches pages all over the file (the indexes' leaves of each
	 * row): through a map every one stayed resident (233 MB for 100 000 rows
	 * into the national database); a small cache is as fast (bench/results.md). */
	if (store_read_once(st, &e) < 0) {
		store_close(st);
		return fail(&e, EXIT_PROBLEMS);
	}
	struct actor cli;
	actor_cli(&cli);
	int status = dir ? import_dir(st, &cli, dir) : import_file(st, &cli, kind, pos[0]);
	store_close(st);
	return status;
}

/* ---- export ---------------------------------------------------------- */

static int export_kind(struct store *st, const struct actor *a, const struct entity *ent,
		       const char *out)
{
	struct err e;
	err_clear(&e);
	int64_t rows = 0;
	int rc;
	if (out && ends_with(out, ".xlsx")) {
		rc = export_xlsx(st, a, ent, out, &rows, &e);
	} else {
		FILE *f = out ? fopen(out, "wb") : stdout;
		if (!f) {
			err_set(&e, ERR_IO, "out", "cannot create %s", out);
			return fail(&e, EXIT_PROBLEMS);
		}
		rc = export_csv(st, a, ent, f, &rows, &e);
		if (f != stdout && fclose(f) != 0 && rc == 0)
			rc = err_set(&e, ERR_IO, "out", "cannot write %s", out);
	}
	if (rc < 0)
		return fail(&e, EXIT_PROBLEMS);
	if (out)
		printf("khuyencong: %lld %s written to %s\n", (long long)rows, ent->collection,
		       out);
	return EXIT_OK;
}

static int export_template(const char *kind, const char *out)
{
	struct err e;
	err_clear(&e);
	const struct entity *ent = entity_find(kind);
	if (!ent)
		return usage("unknown --template kind; `khuyencong import --doc` lists the record "
			     "types");
	if (!out || !ends_with(out, ".xlsx"))
		return usage("--template KIND needs --out FILE.xlsx");
	/* The database (when there is one) gives the province list. */
	struct store *st = open_db(export_opts, &e);
	int rc = import_template_xlsx(st, ent, out, &e);
	store_close(st);
	if (rc < 0)
		return fail(&e, EXIT_PROBLEMS);
	printf("khuyencong: template of %s written to %s\n", ent->collection, out);
	return EXIT_OK;
}

int cmd_export(int argc, char **argv)
{
	struct err e;
	err_clear(&e);
	const char *pos[1];
	int npos = 0;
	if (cliopt_parse(argc, argv, export_opts, pos, 0, &npos, &e) < 0)
		return fail(&e, EXIT_USAGE);
	const char *kind = cliopt_get(export_opts, "kind"), *out = cliopt_get(export_opts, "out");
	const char *tpl = cliopt_get(export_opts, "template");
	int all = cliopt_get(export_opts, "all") != NULL;
	if ((kind != NULL) + all + (tpl != NULL) != 1)
		return usage("choose one of --kind KIND, --all or --template KIND");
	if (tpl)
		return export_template(tpl, out);
	if (all && !out)
		return usage("--all needs --out DIR");
	const struct entity *ent = kind ? entity_find(kind) : NULL;
	if (kind && !ent)
		return usage("unknown --kind; `khuyencong import --doc` lists the record types");
	struct store *st = open_db(export_opts, &e);
	if (!st)
		return fail(&e, EXIT_PROBLEMS);
	if (store_read_once(st, &e) < 0) {
		store_close(st);
		return fail(&e, EXIT_PROBLEMS);
	}
	struct actor cli;
	actor_cli(&cli);
	int status;
	if (all) {
		status = export_all(st, &cli, out, &e) < 0 ? fail(&e, EXIT_PROBLEMS) : EXIT_OK;
		if (status == EXIT_OK)
			printf("khuyencong: every collection written to %s (manifest.json)\n", out);
	} else {
		status = export_kind(st, &cli, ent, out);
	}
	store_close(st);
	return status;
}

struct cliopt job_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default " DEFAULT_DB ")"},
	{NULL, 0, NULL, NULL},
};

int cmd_job(int argc, char **argv)
{
	struct err e;
	err_clear(&e);
	const char *pos[2];
	int npos = 0;
	if (cliopt_parse(argc, argv, job_opts, pos, 2, &npos, &e) < 0)
		return fail(&e, EXIT_USAGE);
	char *end = NULL;
	long long id = npos == 2 ? strtoll(pos[1], &end, 10) : 0;
	if (npos != 2 || strcmp(pos[0], "cancel") || id <= 0 || *end)
		return usage("usage: khuyencong job cancel ID");
	struct store *st = open_db(job_opts, &e);
	if (!st)
		return fail(&e, 1);
	struct actor cli;
	actor_cli(&cli);
	int rc = job_cancel(st, &cli, id, &e);
	struct job j = {0};
	if (rc == 0)
		rc = job_load(st, id, &j, &e);
	store_close(st);
	if (rc == ERR_STORE)
		fprintf(stderr,
			"khuyencong: the database is busy (a running import may hold it): stop "
			"the server, run this again, then start the server; a cancelled job "
			"is not run again\n");
	if (rc < 0)
		return fail(&e, 1);
	printf("khuyencong: job %lld %s\n", id,
	       !strcmp(j.status, "cancelled") ? "cancelled"
					      : "asked to stop (its server stops it at its next "
						"check, or cancels it when restarted)");
	job_free(&j);
	return 0;
}
