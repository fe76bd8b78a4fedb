/* cli_report.c - `khuyencong report`: the same document as the report page,
 * written to a file for cron and scripts. */
#include "cli_report.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/mem.h"
#include "io/doc.h"
#include "model/record_old.h"
#include "stats/report.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct cliopt report_opts[] = {
	{"db", 1, NULL, "database file (env KC_DB; default data/khuyencong.db)"},
	{"province", 1, NULL, "two-digit code of a province of today"},
	{"old-province", 1, NULL, "or the code of a province before 2025-07-01"},
	{"national", 0, NULL, "or the whole country"},
	{"from", 1, NULL, "first year of the period"},
	{"to", 1, NULL, "last year of the period (default: from)"},
	{"units", 1, "current", "current (today's provinces) or historical (those of the time)"},
	{"format", 1, "pdf", "xlsx, pdf, csv, json or txt"},
	{"number", 1, NULL, "the document's number (digits); without it the report is a draft"},
	{"out", 1, NULL, "file to write (csv: a directory, one file per table)"},
	{NULL, 0, NULL, NULL},
};

static int fail(const char *msg, const char *field)
{
	fprintf(stderr, "khuyencong: %s [%s]\n", msg, field);
	return 1;
}

static int write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->data ? b->data : "", 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "khuyencong: cannot write %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int write_csv_dir(json_t *doc, const char *dir)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return fail("cannot create the output directory", "out");
	size_t n = json_array_size(json_object_get(doc, "sections")), written = 0;
	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT, path = BUF_INIT;
		if (doc_csv_table(doc, i, &b)) {
			buf_printf(&path, "%s/%02zu.csv", dir, i + 1);
			if (write_file(buf_cstr(&path), &b)) {
				buf_free(&b);
				buf_free(&path);
				return 1;
			}
			written++;
		}
		buf_free(&b);
		buf_free(&path);
	}
	printf("khuyencong: %zu tables written to %s\n", written, dir);
	return 0;
}

static int render(json_t *doc, const char *format, const char *out)
{
	struct buf b = BUF_INIT;
	struct err e;
	err_clear(&e);
	int rc = 0;
	if (!strcmp(format, "csv"))
		return write_csv_dir(doc, out);
	if (!strcmp(format, "pdf"))
		rc = doc_pdf(doc, &b, &e);
	else if (!strcmp(format, "xlsx"))
		rc = doc_xlsx(doc, &b, &e);
	else if (!strcmp(format, "txt"))
		doc_text(doc, &b);
	else if (!strcmp(format, "json")) {
		char *s = json_dumps(doc, JSON_INDENT(2));
		buf_puts(&b, s ? s : "");
		free(s);
	} else {
		buf_free(&b);
		return fail("--format is xlsx, pdf, csv, json or txt", "format");
	}
	int status = rc < 0 ? fail(e.message, "format") : write_file(out, &b);
	buf_free(&b);
	if (!status)
		printf("khuyencong: report written to %s\n", out);
	return status;
}

int cmd_report(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	const char *from = cliopt_get(report_opts, "from"), *to = cliopt_get(report_opts, "to");
	const char *out = cliopt_get(report_opts, "out"), *units = cliopt_get(report_opts, "units");
	struct report_query q = {.province = cliopt_get(report_opts, "province"),
	                         .old_province = cliopt_get(report_opts, "old-province")};
	int national = cliopt_get(report_opts, "national") != NULL;
	if (national + (q.province != NULL) + (q.old_province != NULL) != 1)
		return fail("give one of --province, --old-province or --national", "province");
	if (!from || !out)
		return fail("--from and --out are required", from ? "out" : "from");
	q.from = atoi(from);
	q.to = to ? atoi(to) : q.from;
	if (strcmp(units, "current") && strcmp(units, "historical"))
		return fail("--units is current or historical", "units");
	q.old_units = !strcmp(units, "historical");
	char today[11];
	clock_today(today);
	q.today = today;
	q.number = cliopt_get(report_opts, "number");
	const char *db = cliopt_get(report_opts, "db");
	if (!db)
		db = getenv("KC_DB");
	struct store *st;
	struct err e;
	err_clear(&e);
	if (store_open(db && *db ? db : "data/khuyencong.db", &st, &e) < 0 ||
	    store_migrate(st, &e) < 0 || record_upkeep(st, NULL, &e) < 0)
		return fail(e.message, "db");
	struct actor cli;
	actor_cli(&cli);
	json_t *doc = NULL;
	int rc = report_build(st, &cli, &q, &doc, &e);
	int status = rc < 0 ? fail(e.message, e.field) : render(doc, cliopt_get(report_opts, "format"), out);
	json_decref(doc);
	store_close(st);
	return status;
}
