/* import.h - bringing records in from CSV and XLSX files. Every row goes
 * through the record engine (record_create/record_update), so validation,
 * scope and the audit trail apply as for a form; all the rows of a file are
 * written in one transaction, or none of them. Rows are streamed: memory is
 * bounded by one row and the list of problems, never by the file's size.
 *
 * The formats (import_formats.c): which headers name which field (the API
 * name, the Vietnamese and English labels, compared without marks or case,
 * plus aliases), the natural key that finds the record a row updates, and
 * how references are read (an id, or the target's code or name). */
#ifndef KC_IMPORT_H
#define KC_IMPORT_H

#include "core/buf.h"
#include "model/record.h"

#include <stdatomic.h>

enum { IMPORT_MAX_ERRORS = 10000, IMPORT_HEADER_SEARCH = 20 };

/* ---- sources --------------------------------------------------------- */

struct import_source; /* an open CSV or XLSX file, read row by row */

struct import_source_opts {
	const char *format;   /* NULL (by content), "csv" or "xlsx" */
	const char *encoding; /* CSV: NULL/"auto", "utf-8" or "cp1258" */
	const char *sheet;    /* XLSX: a sheet name, NULL for the first */
};

/* Opens path as an XLSX workbook (it starts with a ZIP signature) or a CSV
 * file. An old .xls, an empty file, an unreadable workbook are refused with
 * a message a person can act on. Close with import_source_close(). */
int import_source_open(const char *path, const struct import_source_opts *o,
		       struct import_source **out, struct err *e);
void import_source_close(struct import_source *src);

/* ---- running an import ----------------------------------------------- */

/* One problem: where it is as the user sees it in Excel (the header row is
 * 1 when the file starts with it), the column's header as written, the
 * value, and the reason (Vietnamese / English). */
struct import_problem {
	int64_t row;
	char *column, *value, *reason;
};

struct import_report {
	int64_t rows; /* data rows read (blank rows are skipped) */
	int64_t created, updated, unchanged, failed;
	int64_t problems;	     /* every problem found ... */
	struct import_problem *list; /* ... of which the first IMPORT_MAX_ERRORS */
	size_t nlist;
	int64_t header_row; /* where the header was found */
	json_t *columns;    /* [{column, field, label, mode}] as mapped */
	json_t *ignored;    /* headers that map to no field */
	json_t *unmatched;  /* ... of which those that mean nothing known: a
			       warning the user must see (the column's data is
			       not read) */
	json_t *notices;    /* [{row, column, value, notice}]: what was mended
			       on the way in (look-alike letters), the first
			       IMPORT_MAX_ERRORS */
	json_t *missing;    /* required fields no column names */
	char format[8], encoding[12], sheet[64];
	char delimiter;
	int committed; /* the changes were written */
	int cancelled;
};

/* Frees the lists of out and zeroes it. */
void import_report_free(struct import_report *out);

struct import_idmap; /* old ids of an export -> ids in this database */

struct import_options {
	int dry_run;	/* validate everything, write nothing */
	int valid_only; /* write the valid rows even when others fail */
	/* Called every few hundred rows: rows done and bytes of the file read. */
	void (*progress)(void *ctx, int64_t rows, int64_t done, int64_t total);
	void *progress_ctx;
	const atomic_int *cancel; /* when it becomes non-zero, stop and write nothing */
	/* Where to write the rows that failed, with an extra error column (CSV
	 * UTF-8 with BOM / XLSX); NULL for none. */
	const char *bad_rows_csv, *bad_rows_xlsx;
	/* Rebuilding from `export --all`: read the id column and references
	 * through idmap, and set read-only fields (status) as the system. */
	struct import_idmap *idmap;
};

/* Imports the rows of src into collection (any record type) as actor a.
 * Returns 0 when it did what was asked: a dry run (the report tells what
 * would happen and what is wrong), a commit with no problems, or a
 * valid-only commit. Returns ERR_INVALID with e summarising when a commit
 * was refused because rows have problems (nothing written; the report lists
 * them), and < 0 with e filled for a file that cannot be read (no header,
 * header only, malformed) or a cancelled run (report->cancelled). After a
 * commit of IMPORT_ANALYZE_ROWS rows or more, the table's planner
 * statistics are refreshed (store_analyze: PostgreSQL). */
enum { IMPORT_ANALYZE_ROWS = 1000 };
int import_run(struct store *st, const struct actor *a, const char *collection,
	       struct import_source *src, const struct import_options *opt,
	       struct import_report *out, struct err *e);

/* An id map for rebuilding a database; free with import_idmap_free(). */
struct import_idmap *import_idmap_new(void);
void import_idmap_free(struct import_idmap *m);
/* The id in this database of record old_id of ent in the export: 1 and
 * *new_id, or 0 when it was not imported. */
int import_idmap_lookup(struct import_idmap *m, const struct entity *ent, int64_t old_id,
			int64_t *new_id);

/* ---- formats (import_formats.c) -------------------------------------- */

/* How a column that names a reference is read. */
enum ref_mode {
	REF_ANY,   /* an id (digits), else the target's code, else its name */
	REF_KEY,   /* the target's code (project code, tax code, programme code) */
	REF_TITLE, /* the target's name, when it names exactly one record */
};

/* What a header cell means. */
struct import_col {
	const struct field *f; /* NULL: no field */
	enum ref_mode mode;
	int is_id;   /* the "id" column of an export */
	int skipped; /* a known column to leave alone (STT, the error column) */
	int period;  /* "Giai đoạn": "2016-2020" fills period_from and period_to */
	/* A money column whose header names its unit ("Kinh phí (triệu đồng)"):
	 * the words a bare number in it is read with ("triệu đồng"), else NULL. */
	const char *money_unit;
};

/* Matches header text (any marks, case, a trailing "*" or ":") for ent.
 * A unit in parentheses or after a comma that the label lacks is read, not
 * compared: "Kinh phí hỗ trợ (đồng)", "Số học viên (người)"; a money field's
 * unit must be money ("(triệu đồng)" then scales bare numbers, money_unit)
 * and a money unit never names another field. Returns 1 when it names a field
 * or a known column (filled in *out), 0 when unknown. */
int import_match_header(const struct entity *ent, const char *header, struct import_col *out);
/* Finds the record that in (canonical values) is the same as, by ent's
 * natural keys: 1 with *id, 0 when none applies or matches, ERR_CONFLICT
 * when several records share the key (e names them). */
int import_find_existing(struct store *st, const struct entity *ent, json_t *in, int64_t *id,
			 struct err *e);
/* Appends to out natural key which of in (its number and values), or, for
 * which -1, the key import_find_existing would find in by: how a dry run,
 * which writes nothing, knows that a row updates an earlier row's record.
 * Returns the key's number, -1 when it does not apply (nothing appended),
 * -2 when ent has no key which. */
int import_key_value(const struct entity *ent, json_t *in, int which, struct buf *out);
/* The unique field that import_find_existing looks in up by alone (its
 * natural key is that one field: a tax code), or NULL. */
const struct field *import_key_unique(const struct entity *ent, json_t *in);
/* Reads a reference to target written as text (an id, "#id", a code or a
 * name, by mode): 0 with *id, or ERR_INVALID explaining. */
int import_resolve_ref(struct store *st, const struct entity *target, const char *text,
		       enum ref_mode mode, int64_t *id, struct err *e);
/* The natural keys of ent as text ("tax_code; else name + commune_id"). */
const char *import_key_text(const struct entity *ent);
/* The natural keys of ent in words of lang ("vi"/"en"), for people: the
 * field labels ("Đề án + Nghề/chủ đề + Năm…"), appended to b. */
void import_key_words(struct buf *b, const struct entity *ent, const char *lang);
/* The forms accepted for field f, and an example value, in lang. */
const char *import_forms(const struct field *f, const char *lang);
const char *import_example(const struct field *f);
/* The headers that name field f of ent (its own first), as a JSON array of
 * strings (new reference). */
json_t *import_headers(const struct entity *ent, const struct field *f);
/* Appends the column reference of every importable record type as Markdown
 * (the generated part of docs/import.md). */
void import_doc_markdown(struct buf *out);

/* ---- templates (template.c) ------------------------------------------ */

/* Writes an XLSX template for ent to path: a header row of Vietnamese
 * labels with drop-downs for enumerations, booleans and provinces (lists on
 * a hidden sheet), and a sheet "Hướng dẫn" explaining every column. */
int import_template_xlsx(struct store *st, const struct entity *ent, const char *path,
			 struct err *e);

#endif
