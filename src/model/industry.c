/* industry.c - VSIC industry codes: loading the embedded CSV files, lookup,
 * validation of an establishment's code by the date of its record, search. */
#include "model/industry.h"

#include "core/clock.h"
#include "core/embed.h"
#include "core/mem.h"
#include "core/vtext.h"

#include <csv.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MAX 8    /* the longest code is 5 digits */
#define FIELD_MAX 600 /* bytes; the longest name in the data has 192 */
#define SEARCH_DEFAULT 20
#define SEARCH_MAX 500

#define ROW_COLS "SELECT edition, code, level, name, parent_code FROM industries"

/* ---- code shapes ---- */

/* True when code has the shape of a level: one capital letter for level 1,
 * exactly `level` digits for levels 2-5. */
static int code_shape_ok(const char *code, int level)
{
	size_t n = strlen(code);
	if (level == 1)
		return n == 1 && code[0] >= 'A' && code[0] <= 'Z';
	if (level < 2 || level > 5 || n != (size_t)level)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)code[i]))
			return 0;
	return 1;
}

/* The level a code's shape implies (1-5), or 0 when it fits none. */
static int code_level(const char *code)
{
	for (int level = 1; level <= 5; level++)
		if (code_shape_ok(code, level))
			return level;
	return 0;
}

/* ---- loading ---- */

/* State of one CSV file being loaded; libcsv calls back field by field. */
struct loader {
	struct store *st;
	struct err *e;
	const char *edition;
	const char *file;
	int line;   /* records seen, the header being 1 */
	int nfield; /* fields of the current record so far */
	char field[4][FIELD_MAX];
	int too_long;		 /* a field of this record did not fit */
	int rc;			 /* first error; later records are skipped */
	char (*codes)[CODE_MAX]; /* codes loaded, for removing stale rows */
	size_t ncodes, cap;
};

static void load_field(void *data, size_t len, void *arg)
{
	struct loader *l = arg;
	if (l->nfield < 4) {
		if (len >= sizeof l->field[0])
			l->too_long = 1;
		else {
			memcpy(l->field[l->nfield], data ? data : "", data ? len : 0);
			l->field[l->nfield][data ? len : 0] = '\0';
		}
	}
	l->nfield++;
}

/* Fills l->e for the current line and remembers the failure. */
static void load_fail(struct loader *l, const char *vi, const char *en)
{
	char where[64];
	snprintf(where, sizeof where, "%s:%d", l->file, l->line);
	l->rc = err_set(l->e, ERR_INVALID, where, "%s: %s / %s", where, vi, en);
}

/* What is wrong with a record's code, level and parent: the Vietnamese text,
 * with the English in *en; NULL when nothing is. Sets *level (0 if bad). */
static const char *row_problem(const char *code, const char *lv, const char *parent, int *level,
			       const char **en)
{
	*level = (lv[0] >= '1' && lv[0] <= '5' && !lv[1]) ? lv[0] - '0' : 0;
	if (!*level) {
		*en = "level must be 1-5";
		return "cấp phải từ 1 đến 5";
	}
	if (!code_shape_ok(code, *level)) {
		*en = "the code does not fit its level";
		return "mã không đúng dạng của cấp";
	}
	if (*level == 1 && parent[0]) {
		*en = "a section has no parent";
		return "ngành cấp 1 không có mã cha";
	}
	if (*level == 2 && !code_shape_ok(parent, 1)) {
		*en = "the parent of a division must be a section letter";
		return "mã cha của ngành cấp 2 phải là chữ cái";
	}
	size_t np = strlen(parent);
	if (*level > 2 && (np != (size_t)*level - 1 || strncmp(code, parent, np))) {
		*en = "the parent must be the code without its last digit";
		return "mã cha phải là mã bỏ chữ số cuối";
	}
	return NULL;
}

/* Checks one data record and upserts it. */
static void load_row(struct loader *l)
{
	const char *code = l->field[0], *parent = l->field[3];
	const char *en = NULL;
	int level;
	const char *vi = row_problem(code, l->field[1], parent, &level, &en);
	if (vi) {
		load_fail(l, vi, en);
		return;
	}
	struct err ne;
	char *name = vtext_normalize(l->field[2], "name", &ne);
	if (!name || !name[0]) {
		free(name);
		load_fail(l, "tên ngành trống hoặc không phải UTF-8",
			  "the name is empty or not valid UTF-8");
		return;
	}
	char *fold = vtext_fold(name);
	int rc = store_run(
		l->st, l->e,
		"INSERT INTO industries(edition, code, level, name, parent_code, fold_key)"
		" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (edition, code) DO UPDATE SET"
		" level = excluded.level, name = excluded.name,"
		" parent_code = excluded.parent_code, fold_key = excluded.fold_key",
		"ttittt", l->edition, code, (int64_t)level, name, parent[0] ? parent : NULL, fold);
	free(fold);
	free(name);
	if (rc < 0) {
		l->rc = rc;
		return;
	}
	if (l->ncodes == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->codes = xrealloc(l->codes, l->cap * sizeof *l->codes);
	}
	snprintf(l->codes[l->ncodes++], CODE_MAX, "%.7s", code); /* shape-checked: <= 5 */
}

static void load_record(int term, void *arg)
{
	(void)term;
	struct loader *l = arg;
	l->line++;
	int n = l->nfield, too_long = l->too_long;
	l->nfield = 0;
	l->too_long = 0;
	if (l->rc < 0)
		return;
	if (n != 4)
		load_fail(l, "cần đúng 4 cột", "exactly 4 columns are needed");
	else if (too_long)
		load_fail(l, "trường quá dài", "a field is too long");
	else if (l->line > 1)
		load_row(l);
	else if (strcmp(l->field[0], "code") || strcmp(l->field[1], "level") ||
		 strcmp(l->field[2], "name") || strcmp(l->field[3], "parent_code"))
		load_fail(l, "dòng tiêu đề phải là code,level,name,parent_code",
			  "the header must be code,level,name,parent_code");
}

static int code_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Removes the rows of l->edition whose code the file no longer has. */
static int remove_stale(struct loader *l)
{
	qsort(l->codes, l->ncodes, sizeof *l->codes, code_cmp);
	struct stmt *s =
		store_prepare(l->st, "SELECT code FROM industries WHERE edition = ?", l->e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", l->edition);
	char **stale = NULL;
	size_t nstale = 0, cap = 0;
	int rc;
	while ((rc = stmt_step(s, l->e)) == 1) {
		const char *code = stmt_text(s, 0);
		if (bsearch(code, l->codes, l->ncodes, sizeof *l->codes, code_cmp))
			continue;
		if (nstale == cap) {
			cap = cap ? 2 * cap : 16;
			stale = xrealloc(stale, cap * sizeof *stale);
		}
		stale[nstale++] = xstrdup(code);
	}
	stmt_done(s);
	for (size_t i = 0; rc == 0 && i < nstale; i++)
		rc = store_run(l->st, l->e, "DELETE FROM industries WHERE edition = ? AND code = ?",
			       "tt", l->edition, stale[i]);
	for (size_t i = 0; i < nstale; i++)
		free(stale[i]);
	free(stale);
	return rc < 0 ? rc : 0;
}

/* Refuses an edition where a row's parent is missing. */
static int check_parents(struct loader *l)
{
	struct stmt *s = store_prepare(
		l->st,
		"SELECT c.code FROM industries c WHERE c.edition = ?"
		" AND c.parent_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
		" industries p WHERE p.edition = c.edition AND p.code = c.parent_code)"
		" ORDER BY c.code",
		l->e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", l->edition);
	int rc = stmt_step(s, l->e);
	char code[CODE_MAX] = "";
	if (rc == 1)
		snprintf(code, sizeof code, "%s", stmt_text(s, 0));
	stmt_done(s);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(l->e, ERR_INVALID, l->file,
			       "%s: mã cha của %s không có / the parent of %s is missing", l->file,
			       code, code);
	return 0;
}

/* Loads one embedded file of one edition inside the caller's transaction. */
static int load_file(struct store *st, const char *file, const char *edition, struct err *e)
{
	const struct embedded_file *f = embed_find(vsic_files, file);
	if (!f)
		return err_set(e, ERR_IO, file,
			       "Thiếu tệp dữ liệu %s / the data file %s is missing", file, file);
	struct loader l = {.st = st, .e = e, .edition = edition, .file = file};
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return err_set(e, ERR_IO, file, "csv_init failed");
	const unsigned char *data = f->data;
	size_t size = f->size;
	if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) {
		data += 3; /* a UTF-8 byte order mark */
		size -= 3;
	}
	int rc = 0;
	if (csv_parse(&p, data, size, load_field, load_record, &l) != size ||
	    csv_fini(&p, load_field, load_record, &l) != 0)
		rc = err_set(e, ERR_INVALID, file, "%s: CSV không hợp lệ (%s) / invalid CSV (%s)",
			     file, csv_strerror(csv_error(&p)), csv_strerror(csv_error(&p)));
	csv_free(&p);
	if (rc == 0 && l.rc < 0)
		rc = l.rc;
	if (rc == 0 && l.line < 2)
		rc = err_set(e, ERR_INVALID, file, "%s: tệp không có dòng dữ liệu / no data rows",
			     file);
	if (rc == 0)
		rc = remove_stale(&l);
	if (rc == 0)
		rc = check_parents(&l);
	free(l.codes);
	return rc;
}

int industry_load_all(struct store *st, struct err *e)
{
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	rc = load_file(st, "vsic2018_l12.csv", "2018", e);
	if (rc == 0)
		rc = load_file(st, "vsic2025.csv", "2025", e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* ---- reading ---- */

static int edition_ok(const char *edition)
{
	return edition && (!strcmp(edition, "2018") || !strcmp(edition, "2025"));
}

static int edition_refused(struct err *e)
{
	return err_set(
		e, ERR_INVALID, "edition",
		"Phiên bản VSIC phải là 2018 hoặc 2025 / the VSIC edition must be 2018 or 2025");
}

/* The current row (ROW_COLS) as a JSON object. */
static json_t *row_json(struct stmt *s)
{
	json_t *o =
		json_pack("{s:s,s:s,s:I,s:s}", "edition", stmt_text(s, 0), "code", stmt_text(s, 1),
			  "level", (json_int_t)stmt_int(s, 2), "name", stmt_text(s, 3));
	const char *parent = stmt_text(s, 4);
	json_object_set_new(o, "parent_code", parent ? json_string(parent) : json_null());
	return o;
}

int industry_get(struct store *st, const char *edition, const char *code, json_t **out,
		 struct err *e)
{
	*out = NULL;
	if (!edition_ok(edition))
		return edition_refused(e);
	struct stmt *s = store_prepare(st, ROW_COLS " WHERE edition = ? AND code = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "tt", edition, code ? code : "");
	int rc = stmt_step(s, e);
	if (rc == 1)
		*out = row_json(s);
	stmt_done(s);
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "code",
			       "Không có mã ngành này trong VSIC %s / no such code in VSIC %s",
			       edition, edition);
	return rc < 0 ? rc : 0;
}

/* 1 when edition has code, 0 when not, < 0 on error. */
static int has_code(struct store *st, const char *edition, const char *code, struct err *e)
{
	int64_t one = 0;
	return store_int(st, e, &one, "SELECT 1 FROM industries WHERE edition = ? AND code = ?",
			 "tt", edition, code);
}

/* Copies code without surrounding spaces into out, a section letter in capitals.
 * Returns 0 when the result has the shape of some level, else -1. */
static int code_clean(const char *code, char out[CODE_MAX])
{
	out[0] = '\0';
	if (!code)
		return -1;
	while (*code == ' ' || *code == '\t')
		code++;
	size_t n = strlen(code);
	while (n && (code[n - 1] == ' ' || code[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= CODE_MAX)
		return -1;
	memcpy(out, code, n);
	out[n] = '\0';
	if (n == 1 && islower((unsigned char)out[0]))
		out[0] = (char)toupper((unsigned char)out[0]);
	return code_level(out) ? 0 : -1;
}

int industry_check(struct store *st, const char *code, const char *date_iso,
		   const char **edition_out, struct err *e)
{
	if (edition_out)
		*edition_out = NULL;
	char iso[11];
	if (date_iso && date_iso[0]) {
		int rc = vtext_parse_date(date_iso, iso, "date", e);
		if (rc < 0)
			return rc;
	} else {
		char now[21];
		clock_iso(clock_now(), now);
		snprintf(iso, sizeof iso, "%.10s", now);
	}
	char c[CODE_MAX];
	if (!code || !code[0] || code_clean(code, c) < 0) {
		if (!code || strspn(code, " \t") == strlen(code))
			return err_set(e, ERR_INVALID, "industry_code",
				       "Cần mã ngành kinh tế (VSIC) / an industry code (VSIC) is "
				       "required");
		return err_set(
			e, ERR_INVALID, "industry_code",
			"Mã ngành kinh tế không hợp lệ: mã VSIC là một chữ cái hoặc 2-5 chữ số / "
			"not a valid industry code: a VSIC code is a letter or 2-5 digits");
	}
	int in2025 = has_code(st, "2025", c, e);
	if (in2025 < 0)
		return in2025;
	int in2018 = has_code(st, "2018", c, e);
	if (in2018 < 0)
		return in2018;
	const char *edition = NULL;
	if (strcmp(iso, INDUSTRY_VSIC2025_FROM) >= 0) {
		if (in2025)
			edition = "2025";
		else if (in2018)
			return err_set(
				e, ERR_INVALID, "industry_code",
				"Mã ngành %s thuộc VSIC 2018; hồ sơ từ ngày 15/11/2025 phải "
				"dùng mã VSIC 2025 (Quyết định 36/2025/QĐ-TTg) / %s is a VSIC "
				"2018 code; records dated from 2025-11-15 need a VSIC 2025 code",
				c, c);
	} else {
		edition = in2018 ? "2018" : in2025 ? "2025" : NULL;
	}
	if (!edition)
		return err_set(
			e, ERR_INVALID, "industry_code",
			"Mã ngành %s không có trong Hệ thống ngành kinh tế Việt Nam (VSIC) / "
			"%s is not a VSIC industry code",
			c, c);
	if (edition_out)
		*edition_out = edition;
	return 0;
}

/* ---- search ---- */

int industry_search(struct store *st, const char *q, const char *edition, int limit, json_t **out,
		    struct err *e)
{
	*out = NULL;
	if (!edition)
		edition = "";
	if (edition[0] && !edition_ok(edition))
		return edition_refused(e);
	if (limit <= 0)
		limit = SEARCH_DEFAULT;
	if (limit > SEARCH_MAX)
		limit = SEARCH_MAX;
	char *key = vtext_fold(q ? q : "");
	/* A code prefix: the folded query is all digits ("01", "1010"). The
	 * pattern then holds digits and '%' only; a word pattern holds the first
	 * folded word, which has letters and digits only, so no LIKE wildcard
	 * can come from the query. */
	int by_code = vtext_is_digits(key);
	struct buf pat = BUF_INIT;
	if (!by_code)
		buf_putc(&pat, '%');
	buf_append(&pat, key, by_code ? strlen(key) : strcspn(key, " "));
	if (key[0])
		buf_putc(&pat, '%');
	static const char sql_code[] = ROW_COLS " WHERE code LIKE ? AND (? = '' OR edition = ?)"
						" ORDER BY edition DESC, level, code";
	static const char sql_name[] = ROW_COLS " WHERE fold_key LIKE ? AND (? = '' OR edition = ?)"
						" ORDER BY edition DESC, level, code";
	struct stmt *s = store_prepare(st, by_code ? sql_code : sql_name, e);
	if (!s) {
		buf_free(&pat);
		free(key);
		return ERR_STORE;
	}
	stmt_bind(s, "ttt", buf_cstr(&pat), edition, edition);
	json_t *arr = json_array();
	int rc = 0;
	int n = 0;
	while (n < limit && (rc = stmt_step(s, e)) == 1) {
		/* The LIKE on the first word is a coarse filter; every word must
		 * start a word of the name. */
		if (!by_code && key[0] && !vtext_matches(stmt_text(s, 3), key))
			continue;
		json_array_append_new(arr, row_json(s));
		n++;
	}
	if (n >= limit)
		rc = 0;
	stmt_done(s);
	buf_free(&pat);
	free(key);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}
