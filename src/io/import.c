/* import.c - the import engine: finds the header row, maps its columns to
 * fields, converts each row's cells to canonical values, finds the record
 * the row is (by natural key) and creates or updates it through the record
 * engine - all inside one transaction. Rows are streamed; what is kept is
 * the list of problems (capped), a bitmap of the failed rows, and two small
 * caches of resolved units and references. */
#include "io/import.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "io/csv_read.h"
#include "io/xlsx_read.h"
#include "model/place.h"
#include "model/record_batch.h"
#include "model/unit.h"
#include "model/workflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

enum { CACHE_SLOTS = 8192, VALUE_SHOWN = 300, XLSX_CELL_TEXT = 32000, PROGRESS_EVERY = 250 };

/* ---- sources --------------------------------------------------------- */

struct import_source {
	struct csv_reader *csv;
	struct xlsx_reader *xlsx;
};

static int sniff(const char *path, unsigned char head[8], struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "file", "Không mở được tệp %s / cannot open %s", path,
			       path);
	memset(head, 0, 8);
	size_t n = fread(head, 1, 8, f);
	fclose(f);
	if (n == 0)
		return err_set(e, ERR_INVALID, "file", "Tệp rỗng / the file is empty");
	return 0;
}

int import_source_open(const char *path, const struct import_source_opts *o,
		       struct import_source **out, struct err *e)
{
	static const struct import_source_opts none = {0};
	unsigned char head[8];
	if (!o)
		o = &none;
	int rc = sniff(path, head, e);
	if (rc < 0)
		return rc;
	static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	if (!memcmp(head, ole, 8))
		return err_set(
			e, ERR_INVALID, "file",
			"Tệp Excel 97-2003 (.xls) không được hỗ trợ; hãy lưu thành .xlsx hoặc CSV "
			"UTF-8 / Excel 97-2003 files (.xls) are not supported; save as .xlsx or "
			"CSV UTF-8");
	int zip = !memcmp(head, "PK\x03\x04", 4);
	if (o->format && strcmp(o->format, "csv") && strcmp(o->format, "xlsx"))
		return err_set(e, ERR_INVALID, "format",
			       "Định dạng là csv hoặc xlsx / format is csv or "
			       "xlsx");
	struct import_source *src = xcalloc(1, sizeof *src);
	if (o->format ? !strcmp(o->format, "xlsx") : zip)
		rc = xlsx_reader_open(path, o->sheet, &src->xlsx, e);
	else
		rc = csv_reader_open(path, o->encoding, &src->csv, e);
	if (rc < 0) {
		free(src);
		return rc;
	}
	*out = src;
	return 0;
}

void import_source_close(struct import_source *src)
{
	if (!src)
		return;
	csv_reader_close(src->csv);
	xlsx_reader_close(src->xlsx);
	free(src);
}

static int source_next(struct import_source *src, struct read_row *row, struct err *e)
{
	return src->csv ? csv_reader_next(src->csv, row, e) : xlsx_reader_next(src->xlsx, row, e);
}

static int source_rewind(struct import_source *src, struct err *e)
{
	return src->csv ? csv_reader_rewind(src->csv, e) : xlsx_reader_rewind(src->xlsx, e);
}

static void source_progress(struct import_source *src, int64_t *done, int64_t *total)
{
	if (src->csv)
		csv_reader_progress(src->csv, done, total);
	else
		xlsx_reader_progress(src->xlsx, done, total);
}

/* ---- the id map of a rebuild ----------------------------------------- */

struct id_pair {
	int64_t old_id, new_id;
};

struct id_list {
	struct id_pair *p;
	size_t n, cap;
	int sorted;
};

struct import_idmap {
	struct id_list *lists; /* one per entity, in entities[] order */
};

struct import_idmap *import_idmap_new(void)
{
	size_t n = 0;
	while (entities[n].collection)
		n++;
	struct import_idmap *m = xcalloc(1, sizeof *m);
	m->lists = xcalloc(n, sizeof *m->lists);
	return m;
}

void import_idmap_free(struct import_idmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; entities[i].collection; i++)
		free(m->lists[i].p);
	free(m->lists);
	free(m);
}

static void idmap_add(struct import_idmap *m, const struct entity *ent, int64_t old_id,
		      int64_t new_id)
{
	struct id_list *l = &m->lists[ent - entities];
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->p = xrealloc(l->p, l->cap * sizeof *l->p);
	}
	if (l->n && l->p[l->n - 1].old_id > old_id)
		l->sorted = 0;
	else if (l->n == 0)
		l->sorted = 1;
	l->p[l->n++] = (struct id_pair){old_id, new_id};
}

static int pair_cmp(const void *a, const void *b)
{
	const struct id_pair *x = a, *y = b;
	return (x->old_id > y->old_id) - (x->old_id < y->old_id);
}

static int idmap_get(struct import_idmap *m, const struct entity *ent, int64_t old_id,
		     int64_t *new_id)
{
	struct id_list *l = &m->lists[ent - entities];
	if (!l->sorted) {
		qsort(l->p, l->n, sizeof *l->p, pair_cmp);
		l->sorted = 1;
	}
	struct id_pair key = {old_id, 0};
	struct id_pair *hit = bsearch(&key, l->p, l->n, sizeof *l->p, pair_cmp);
	if (!hit)
		return 0;
	*new_id = hit->new_id;
	return 1;
}

int import_idmap_lookup(struct import_idmap *m, const struct entity *ent, int64_t old_id,
			int64_t *new_id)
{
	return idmap_get(m, ent, old_id, new_id);
}

/* ---- a small cache of resolved text ---------------------------------- */

struct cache_slot {
	char *key;
	int64_t id;
	char *value; /* or the text it resolved to (an enumeration's code) */
	char *error; /* the message when the text did not resolve */
	int code;
};

struct cache {
	struct cache_slot *slots;
	size_t n;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void cache_clear(struct cache *c)
{
	if (!c->slots)
		return;
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		free(c->slots[i].key);
		free(c->slots[i].value);
		free(c->slots[i].error);
	}
	memset(c->slots, 0, CACHE_SLOTS * sizeof *c->slots);
	c->n = 0;
}

static struct cache_slot *cache_find(struct cache *c, const char *key)
{
	if (!c->slots)
		c->slots = xcalloc(CACHE_SLOTS, sizeof *c->slots);
	for (size_t i = hash(key) % CACHE_SLOTS;; i = (i + 1) % CACHE_SLOTS)
		if (!c->slots[i].key || !strcmp(c->slots[i].key, key))
			return &c->slots[i];
}

/* Remembers a result; the cache starts over when half full (bounded). */
static void cache_put(struct cache *c, const char *key, int64_t id, const struct err *e)
{
	if (c->n >= CACHE_SLOTS / 2)
		cache_clear(c);
	struct cache_slot *s = cache_find(c, key);
	if (s->key)
		return;
	s->key = xstrdup(key);
	s->id = id;
	s->error = e ? xstrdup(e->message) : NULL;
	s->code = e ? e->code : 0;
	c->n++;
}

static void cache_free(struct cache *c)
{
	cache_clear(c);
	free(c->slots);
}

/* ---- records written by earlier rows ---------------------------------- */

/* Record id -> the row that wrote it, so two rows of one file with the same
 * natural key are an error naming both, not one record mixing them. Open
 * addressing; 16 bytes per record written. */
struct seen {
	int64_t *ids, *rows; /* 0: an empty slot */
	size_t n, cap;
};

static size_t seen_slot(const struct seen *m, int64_t id)
{
	size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL) & (m->cap - 1);
	while (m->ids[i] && m->ids[i] != id)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The row that wrote id earlier, or 0; remembers row for id otherwise. */
static int64_t seen_put(struct seen *m, int64_t id, int64_t row)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct seen old = *m;
		m->cap = old.cap ? old.cap * 2 : 1024;
		m->ids = xcalloc(m->cap, sizeof *m->ids);
		m->rows = xcalloc(m->cap, sizeof *m->rows);
		for (size_t i = 0; i < old.cap; i++)
			if (old.ids[i]) {
				size_t k = seen_slot(m, old.ids[i]);
				m->ids[k] = old.ids[i];
				m->rows[k] = old.rows[i];
			}
		free(old.ids);
		free(old.rows);
	}
	size_t k = seen_slot(m, id);
	if (m->ids[k])
		return m->rows[k];
	m->ids[k] = id;
	m->rows[k] = row;
	m->n++;
	return 0;
}

/* The row that wrote id earlier, or 0, remembering nothing. */
static int64_t seen_get(const struct seen *m, int64_t id)
{
	return m->cap ? m->rows[seen_slot(m, id)] : 0;
}

static void seen_free(struct seen *m)
{
	free(m->ids);
	free(m->rows);
	memset(m, 0, sizeof *m);
}

/* ---- the run --------------------------------------------------------- */

struct run {
	struct store *st;
	const struct actor *a;
	const struct entity *ent;
	const struct import_options *opt;
	struct import_report *rep;
	struct import_source *src;
	int ncols;
	struct import_col *cols;
	char **headers; /* the header cells as written */
	int era_col;	/* the unit_era column, or -1 */
	struct cache units, refs, enums;
	struct unit_index *unit_ix; /* the units in memory, loaded at the first name */
	int unit_ix_tried;
	unsigned char *bad; /* bitmap of failed rows, by row number */
	size_t bad_size;
	int pass;
	FILE *bad_csv;
	lxw_workbook *bad_wb;
	lxw_worksheet *bad_ws;
	lxw_row_t bad_row;
	struct buf why; /* this row's problems, for the bad-rows files */
	int row_problems;
	struct seen seen; /* records this file wrote, and by which row */
	int check_only;	  /* a dry run that writes nothing (see import_run) */
	struct record_batch *batch; /* creates written together, or NULL */
	struct seen kept;	    /* the keys of the batch's records not written yet */
	int batch_rc;		    /* a batch's failed write: the pass stops */
	struct err batch_err;
};

static char *cut(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return xstrdup(s);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--; /* not in the middle of a letter */
	struct buf b = BUF_INIT;
	buf_append(&b, s, max);
	buf_puts(&b, "…");
	return buf_detach(&b);
}

static void problem(struct run *x, int64_t row, const char *column, const char *value,
		    const char *reason)
{
	x->row_problems++;
	buf_printf(&x->why, "%s%s%s%s", x->why.len ? "; " : "", column ? column : "",
		   column && *column ? ": " : "", reason);
	struct import_report *rep = x->rep;
	rep->problems++;
	if (rep->nlist >= IMPORT_MAX_ERRORS)
		return;
	if (rep->nlist % 64 == 0)
		rep->list = xrealloc(rep->list, (rep->nlist + 64) * sizeof *rep->list);
	rep->list[rep->nlist++] =
		(struct import_problem){row, cut(column ? column : "", 200),
					cut(value ? value : "", VALUE_SHOWN), xstrdup(reason)};
}

/* Something changed on the way in that the user should know (pass 1 only:
 * pass 2 reads the same rows again). */
static void notice(struct run *x, int64_t row, const char *column, const char *value,
		   const char *what)
{
	struct import_report *rep = x->rep;
	if (x->pass == 2)
		return;
	if (!rep->notices)
		rep->notices = json_array();
	if (json_array_size(rep->notices) >= IMPORT_MAX_ERRORS)
		return;
	char *v = cut(value, VALUE_SHOWN);
	json_array_append_new(rep->notices,
			      json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)row, "column",
					column, "value", v, "notice", what));
	free(v);
}

static void mark_bad(struct run *x, int64_t row)
{
	size_t byte = (size_t)row / 8;
	if (byte >= x->bad_size) {
		size_t n = byte * 2 + 64;
		x->bad = xrealloc(x->bad, n);
		memset(x->bad + x->bad_size, 0, n - x->bad_size);
		x->bad_size = n;
	}
	x->bad[byte] |= (unsigned char)(1u << (row % 8));
}

static int is_bad(const struct run *x, int64_t row)
{
	size_t byte = (size_t)row / 8;
	return byte < x->bad_size && (x->bad[byte] & (1u << (row % 8)));
}

/* The column of field name (its header), or -1. */
static int column_of(const struct run *x, const char *name)
{
	for (int i = 0; i < x->ncols; i++)
		if (x->cols[i].f && !strcmp(x->cols[i].f->name, name))
			return i;
	return -1;
}

static const char *cell(const struct read_row *row, int i)
{
	return i >= 0 && i < row->n ? row->cells[i] : "";
}

/* A problem the record engine reported for field name. */
static void field_problem(struct run *x, const struct read_row *row, const struct err *e)
{
	int c = e->field[0] ? column_of(x, e->field) : -1;
	const struct field *f = e->field[0] ? entity_field(x->ent, e->field) : NULL;
	const char *column = c >= 0 ? x->headers[c] : f ? f->vi : "";
	problem(x, row->number, column, c >= 0 ? cell(row, c) : "", e->message);
}

/* ---- the bad-rows files ---------------------------------------------- */

static void csv_cell(FILE *f, const char *s)
{
	struct buf b = BUF_INIT;
	buf_csv_field(&b, s);
	fwrite(b.data, 1, b.len, f);
	buf_free(&b);
}

static void xlsx_text(struct run *x, lxw_col_t col, const char *s)
{
	/* As every export, no formula runs; Excel keeps 32 767 characters a cell. */
	struct buf q = BUF_INIT;
	buf_cell_text(&q, s, 0);
	char *t = cut(buf_cstr(&q), XLSX_CELL_TEXT);
	buf_free(&q);
	worksheet_write_string(x->bad_ws, x->bad_row, col, t, NULL);
	free(t);
}

static int bad_open(struct run *x, struct err *e)
{
	const struct import_options *o = x->opt;
	if (o->bad_rows_csv) {
		x->bad_csv = fopen(o->bad_rows_csv, "wb");
		if (!x->bad_csv)
			return err_set(e, ERR_IO, "", "cannot write %s", o->bad_rows_csv);
		fputs("\xEF\xBB\xBF", x->bad_csv);
		for (int i = 0; i < x->ncols; i++) {
			csv_cell(x->bad_csv, x->headers[i]);
			fputc(',', x->bad_csv);
		}
		csv_cell(x->bad_csv, "Lỗi / Errors");
		fputs("\r\n", x->bad_csv);
	}
	if (o->bad_rows_xlsx) {
		lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
		x->bad_wb = workbook_new_opt(o->bad_rows_xlsx, &wo);
		x->bad_ws = x->bad_wb ? workbook_add_worksheet(x->bad_wb, "Dòng lỗi") : NULL;
		if (!x->bad_ws)
			return err_set(e, ERR_IO, "", "cannot write %s", o->bad_rows_xlsx);
		for (int i = 0; i < x->ncols; i++)
			xlsx_text(x, (lxw_col_t)i, x->headers[i]);
		xlsx_text(x, (lxw_col_t)x->ncols, "Lỗi / Errors");
		x->bad_row = 1;
	}
	return 0;
}

static void bad_write(struct run *x, const struct read_row *row)
{
	int n = row->n > x->ncols ? row->n : x->ncols;
	if (x->bad_csv) {
		for (int i = 0; i < n; i++) {
			csv_cell(x->bad_csv, cell(row, i));
			fputc(',', x->bad_csv);
		}
		csv_cell(x->bad_csv, buf_cstr(&x->why));
		fputs("\r\n", x->bad_csv);
	}
	if (x->bad_ws && x->bad_row < LXW_ROW_MAX) {
		for (int i = 0; i < n; i++)
			if (*cell(row, i))
				xlsx_text(x, (lxw_col_t)i, cell(row, i));
		xlsx_text(x, (lxw_col_t)(x->ncols > row->n ? x->ncols : row->n), buf_cstr(&x->why));
		x->bad_row++;
	}
}

static int bad_close(struct run *x, struct err *e)
{
	int rc = 0;
	if (x->bad_csv && fclose(x->bad_csv) != 0)
		rc = err_set(e, ERR_IO, "", "cannot write %s", x->opt->bad_rows_csv);
	if (x->bad_wb && workbook_close(x->bad_wb) != LXW_NO_ERROR && rc == 0)
		rc = err_set(e, ERR_IO, "", "cannot write %s", x->opt->bad_rows_xlsx);
	x->bad_csv = NULL;
	x->bad_wb = NULL;
	x->bad_ws = NULL;
	return rc;
}

/* ---- the header ------------------------------------------------------ */

static int row_empty(const struct read_row *row)
{
	for (int i = 0; i < row->n; i++)
		if (row->cells[i][strspn(row->cells[i], " \t\r\n")])
			return 0;
	return 1;
}

/* Is row the header: it names a field, and at least half of its non-empty
 * cells are known? (A title row above it names nothing.) */
static int looks_like_header(const struct entity *ent, const struct read_row *row)
{
	int nonempty = 0, known = 0, fields = 0;
	for (int i = 0; i < row->n; i++) {
		if (!row->cells[i][strspn(row->cells[i], " \t\r\n")])
			continue;
		nonempty++;
		struct import_col c;
		if (import_match_header(ent, row->cells[i], &c)) {
			known++;
			fields += c.f != NULL || c.period;
		}
	}
	return fields > 0 && known * 2 >= nonempty;
}

static int no_header(struct run *x, const struct read_row *first, struct err *e)
{
	const char *hint_vi = "", *hint_en = "";
	if (first && first->n == 1 && x->src->csv) {
		hint_vi = " Chỉ đọc được một cột: tệp có thể dùng dấu phân cách khác (chỉ nhận dấu "
			  "phẩy, "
			  "chấm phẩy hoặc tab).";
		hint_en = " Only one column was read: the file may use another delimiter (comma, "
			  "semicolon and tab are read).";
	}
	return err_set(
		e, ERR_INVALID, "header",
		"Không tìm thấy dòng tiêu đề trong %d dòng đầu: không cột nào khớp với %s (xem "
		"mẫu nhập).%s / no header row in the first %d rows: no column names a field of "
		"%s (see the template).%s",
		IMPORT_HEADER_SEARCH, x->ent->plural_vi, hint_vi, IMPORT_HEADER_SEARCH,
		x->ent->plural_en, hint_en);
}

static const char *mode_name(const struct import_col *c)
{
	if (c->is_id)
		return "id";
	if (c->period)
		return "period";
	if (!c->f || c->f->type != F_REF)
		return "value";
	return c->mode == REF_KEY ? "code" : c->mode == REF_TITLE ? "name" : "id, code or name";
}

static int map_columns(struct run *x, const struct read_row *row, struct err *e)
{
	x->ncols = row->n;
	x->cols = xcalloc((size_t)row->n + 1, sizeof *x->cols);
	x->headers = xcalloc((size_t)row->n + 1, sizeof *x->headers);
	x->era_col = -1;
	struct import_report *rep = x->rep;
	rep->header_row = row->number;
	rep->columns = json_array();
	rep->ignored = json_array();
	rep->unmatched = json_array();
	rep->missing = json_array();
	for (int i = 0; i < row->n; i++) {
		char *h = vtext_normalize(row->cells[i], "header", NULL);
		x->headers[i] = h ? h : xstrdup(row->cells[i]);
		if (!*x->headers[i])
			continue;
		struct import_col *c = &x->cols[i];
		int known = import_match_header(x->ent, x->headers[i], c);
		if (!known || (c->f && (c->f->flags & FF_READONLY) && !x->opt->idmap)) {
			memset(c, 0, sizeof *c);
			json_array_append_new(rep->ignored, json_string(x->headers[i]));
			if (!known)
				json_array_append_new(rep->unmatched, json_string(x->headers[i]));
			continue;
		}
		for (int j = 0; c->f && j < i; j++)
			if (x->cols[j].f == c->f && c->f->type != F_REF)
				return err_set(e, ERR_INVALID, "header",
					       "Hai cột \"%s\" và \"%s\" cùng là %s / the columns "
					       "\"%s\" and "
					       "\"%s\" both mean %s",
					       x->headers[j], x->headers[i], c->f->vi,
					       x->headers[j], x->headers[i], c->f->en);
		if (c->f && !strcmp(c->f->name, "unit_era"))
			x->era_col = i;
		if (c->skipped) {
			json_array_append_new(rep->ignored, json_string(x->headers[i]));
			continue;
		}
		json_array_append_new(rep->columns, json_pack("{s:s,s:s?,s:s?,s:s}", "column",
							      x->headers[i], "field",
							      c->f	  ? c->f->name
							      : c->is_id  ? "id"
							      : c->period ? "period_from+period_to"
									  : NULL,
							      "label", c->f ? c->f->vi : NULL,
							      "mode", mode_name(c)));
	}
	int period = 0;
	for (int i = 0; i < x->ncols; i++)
		period |= x->cols[i].period;
	for (const struct field *f = x->ent->fields; f->name; f++)
		if ((f->flags & FF_REQUIRED) && column_of(x, f->name) < 0 &&
		    !(period && !strncmp(f->name, "period_", 7)))
			json_array_append_new(rep->missing, json_string(f->name));
	return 0;
}

static int find_header(struct run *x, struct err *e)
{
	struct read_row row;
	int seen = 0, rc;
	char *first = NULL;
	int first_n = 0;
	while ((rc = source_next(x->src, &row, e)) == 1) {
		if (row_empty(&row))
			continue;
		if (!seen++) {
			first = xstrdup(row.cells[0]);
			first_n = row.n;
		}
		if (looks_like_header(x->ent, &row)) {
			free(first);
			return map_columns(x, &row, e);
		}
		if (seen >= IMPORT_HEADER_SEARCH)
			break;
	}
	if (rc < 0) {
		free(first);
		return rc;
	}
	if (!seen)
		return err_set(e, ERR_INVALID, "file",
			       "Tệp không có dòng nào / the file has no rows");
	char *cells[1] = {first};
	struct read_row fr = {first_n, cells, 0};
	rc = no_header(x, &fr, e);
	free(first);
	return rc;
}

/* ---- converting cells ------------------------------------------------ */

/* A reference in a rebuild: the export's id, mapped to this database's. */
static int mapped_ref(struct run *x, const struct field *f, const char *text, json_t **out,
		      struct err *e)
{
	const char *digits = text[0] == '#' ? text + 1 : text;
	const struct entity *target = entity_find(f->ref);
	int64_t id;
	if (!vtext_is_digits(digits))
		return err_set(e, ERR_INVALID, f->name,
			       "%s: cần số hiệu bản ghi / a record id is needed", f->vi);
	if (!idmap_get(x->opt->idmap, target, strtoll(digits, NULL, 10), &id))
		return err_set(e, ERR_INVALID, f->name,
			       "%s: %s số %s không có trong bản xuất / %s %s is not in the export",
			       f->vi, target->vi, digits, target->en, digits);
	*out = json_integer(id);
	return 0;
}

static int ref_value(struct run *x, const struct field *f, enum ref_mode mode, const char *text,
		     json_t **out, struct err *e)
{
	if (x->opt->idmap)
		return mapped_ref(x, f, text, out, e);
	char key[600];
	snprintf(key, sizeof key, "%s\x1f%d\x1f%.500s", f->ref, (int)mode, text);
	struct cache_slot *s = cache_find(&x->refs, key);
	if (!s->key) {
		int64_t id = 0;
		struct err re;
		err_clear(&re);
		int rc = import_resolve_ref(x->st, entity_find(f->ref), text, mode, &id, &re);
		cache_put(&x->refs, key, id, rc < 0 ? &re : NULL);
		s = cache_find(&x->refs, key);
	}
	if (s->error)
		return err_set(e, s->code ? s->code : ERR_INVALID, f->name, "%s: %s", f->vi,
			       s->error);
	*out = json_integer(s->id);
	return 0;
}

/* Whether a unit field takes a code of this era and level: a figure's place
 * is a province or a district; a record's old unit any unit of the old era. */
static int unit_code_level_ok(const struct field *f, const char *era, const char *level)
{
	if (!f->ref || !*f->ref)
		return 1;
	if (!strcmp(f->ref, "old"))
		return !strcmp(era, "old");
	if (!strcmp(f->ref, "place"))
		return strcmp(level, "commune") != 0;
	return !strcmp(f->ref, level);
}

/* "new:12345" / "old:12345": a unit by era and code, as exports write it. */
static int unit_by_code(struct run *x, const struct field *f, const char *text, int64_t *id)
{
	const char *colon = strchr(text, ':');
	if (!colon || colon - text != 3 || (strncmp(text, "new", 3) && strncmp(text, "old", 3)) ||
	    !vtext_is_digits(colon + 1))
		return 0;
	char era[4];
	snprintf(era, sizeof era, "%.3s", text);
	static const char *const levels[] = {"province", "district", "commune"};
	struct unit u;
	for (int i = 0; i < 3; i++) {
		if (!unit_code_level_ok(f, era, levels[i]))
			continue;
		if (unit_get_by_code(x->st, era, levels[i], colon + 1, &u, NULL) == 0) {
			*id = u.id;
			return 1;
		}
	}
	return -1;
}

/* The units in memory, loaded once per import at the first name to resolve
 * (NULL when they could not be: the database answers, as slowly as before). */
static const struct unit_index *units_in_memory(struct run *x)
{
	if (!x->unit_ix_tried) {
		x->unit_ix_tried = 1;
		if (unit_index_load(x->st, &x->unit_ix, NULL) < 0)
			x->unit_ix = NULL;
	}
	return x->unit_ix;
}

static int unit_value(struct run *x, const struct field *f, const char *text, const char *era,
		      json_t **out, struct err *e)
{
	/* The nation and the regions are a figure's places, not units: their
	 * code goes on as text, as the API's (record_value.c's to_unit). */
	char pc[PLACE_CODE_MAX];
	if (f->ref && !strcmp(f->ref, "place") && place_parse(text, pc) == 0) {
		*out = json_string(pc);
		return 0;
	}
	char key[600];
	snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%.500s", f->name, f->ref ? f->ref : "",
		 era ? era : "", text);
	struct cache_slot *s = cache_find(&x->units, key);
	if (!s->key) {
		int64_t id = 0;
		struct err ue;
		err_clear(&ue);
		int byc = unit_by_code(x, f, text, &id);
		int rc = 0;
		if (byc < 0) {
			rc = err_set(&ue, ERR_INVALID, f->name,
				     "%s: không có đơn vị %s / no unit %s", f->vi, text, text);
		} else if (byc == 0) {
			json_t *in = json_string(text), *conv = NULL;
			rc = record_convert_unit(x->st, units_in_memory(x), f, in, era, &conv, &ue);
			id = rc == 0 && json_is_integer(conv) ? json_integer_value(conv) : 0;
			json_decref(in);
			json_decref(conv);
		}
		cache_put(&x->units, key, id, rc < 0 ? &ue : NULL);
		s = cache_find(&x->units, key);
	}
	if (s->error)
		return err_set(e, ERR_INVALID, f->name, "%s", s->error);
	*out = json_integer(s->id);
	return 0;
}

/* An enumeration's code for text, converted once per distinct text: a label
 * ("Hộ kinh doanh") is compared with every label folded, which costs more
 * than the rest of the row. */
static int enum_value(struct run *x, const struct field *f, const char *text, json_t **out,
		      struct err *e)
{
	char key[600];
	int n = snprintf(key, sizeof key, "%s\x1f%s", f->name, text);
	struct cache_slot *s = n < (int)sizeof key ? cache_find(&x->enums, key) : NULL;
	if (!s || !s->key) {
		json_t *in = json_string(text);
		int rc = record_convert(x->st, f, in, NULL, out, e);
		json_decref(in);
		if (!s) /* too long to remember */
			return rc;
		cache_put(&x->enums, key, 0, rc < 0 ? e : NULL);
		s = cache_find(&x->enums, key);
		s->value =
			rc == 0 && json_is_string(*out) ? xstrdup(json_string_value(*out)) : NULL;
		return rc;
	}
	if (s->error)
		return err_set(e, s->code ? s->code : ERR_INVALID, f->name, "%s", s->error);
	*out = s->value ? json_string(s->value) : NULL;
	return 0;
}

/* The era a row's units belong to (figures say it in unit_era). */
static const char *row_era(struct run *x, const struct read_row *row, char buf[8])
{
	if (x->era_col < 0)
		return NULL;
	const struct field *f = x->cols[x->era_col].f;
	json_t *in = json_string(cell(row, x->era_col)), *conv = NULL;
	struct err ignore;
	if (record_convert(x->st, f, in, NULL, &conv, &ignore) == 0 && json_is_string(conv))
		snprintf(buf, 8, "%s", json_string_value(conv));
	else
		buf[0] = 0;
	json_decref(in);
	json_decref(conv);
	return buf[0] ? buf : NULL;
}

static int convert(struct run *x, const struct import_col *c, const char *text, const char *era,
		   json_t **out, struct err *e)
{
	const struct field *f = c->f;
	json_t *in = NULL;
	char padded[16];
	int rc;
	switch (f->type) {
	case F_REF:
		return ref_value(x, f, c->mode, text, out, e);
	case F_UNIT:
		return unit_value(x, f, text, era, out, e);
	case F_ENUM:
		return enum_value(x, f, text, out, e);
	case F_QTY:
	case F_JSON:
		/* A quantity may be the exact object an export writes. */
		if (f->type == F_QTY && text[0] != '{') {
			in = json_string(text);
			break;
		}
		in = json_loads(text, 0, NULL);
		if (!in)
			return err_set(e, ERR_INVALID, f->name,
				       "%s: JSON không hợp lệ / malformed JSON", f->vi);
		break;
	case F_MONEY:
		/* A bare number under "Kinh phí (triệu đồng)" is in triệu đồng. */
		if (c->money_unit && strspn(text, "0123456789.,- ") == strlen(text)) {
			struct buf t = BUF_INIT;
			buf_printf(&t, "%s %s", text, c->money_unit);
			in = json_string(buf_cstr(&t));
			buf_free(&t);
			break;
		}
		in = json_string(text);
		break;
	case F_TEXT:
		/* Excel drops the leading 0 of a tax code typed as a number. */
		if (!strcmp(f->name, "tax_code") && strlen(text) == 9 && vtext_is_digits(text)) {
			snprintf(padded, sizeof padded, "0%s", text);
			text = padded;
		}
		/* fall through */
	default:
		in = json_string(text);
	}
	rc = record_convert(x->st, f, in, era, out, e);
	json_decref(in);
	return rc;
}

/* "2016 – 2020" in a period column: both years (a column of either year
 * given as well must agree). */
static void period_cell(struct run *x, const struct read_row *row, int i, const char *text,
			json_t *in)
{
	int from, to;
	struct err e;
	if (vtext_parse_period(text, &from, &to, "period", &e) < 0) {
		problem(x, row->number, x->headers[i], cell(row, i), e.message);
		return;
	}
	static const char *const names[2] = {"period_from", "period_to"};
	int years[2] = {from, to};
	for (int k = 0; k < 2; k++) {
		json_t *had = json_object_get(in, names[k]);
		if (had && json_integer_value(had) != years[k])
			problem(x, row->number, x->headers[i], cell(row, i),
				"Giai đoạn khác với cột năm / the period disagrees with the year "
				"column");
		else
			json_object_set_new(in, names[k], json_integer(years[k]));
	}
}

/* Converts the row's cells into in (fields) and sys (read-only fields of a
 * rebuild); problems are recorded per cell. */
static void convert_row(struct run *x, const struct read_row *row, json_t *in, json_t *sys,
			int64_t *src_id)
{
	char erabuf[8];
	const char *era = row_era(x, row, erabuf);
	for (int i = 0; i < x->ncols; i++) {
		const struct import_col *c = &x->cols[i];
		if (!c->f && !c->is_id && !c->period)
			continue;
		struct err e;
		err_clear(&e);
		/* The "'" that exports put before a formula-like text comes off. */
		char *text = vtext_normalize(cell_unquote(cell(row, i)), "", &e);
		if (!text) {
			problem(x, row->number, x->headers[i], cell(row, i), e.message);
			continue;
		}
		if (vtext_has_lookalike(cell(row, i)))
			notice(x, row->number, x->headers[i], text,
			       "Đã sửa chữ giống Đ/đ (Ð, ð) thành Đ/đ tiếng Việt / a look-alike "
			       "letter (Ð, ð) was mended to the Vietnamese Đ/đ");
		if (!*text) {
			free(text);
			continue;
		}
		if (c->is_id) {
			if (x->opt->idmap && vtext_is_digits(text))
				*src_id = strtoll(text, NULL, 10);
			free(text);
			continue;
		}
		if (c->period) {
			period_cell(x, row, i, text, in);
			free(text);
			continue;
		}
		json_t *v = NULL;
		json_t *dest = (c->f->flags & FF_READONLY) ? sys : in;
		json_t *had = json_object_get(dest, c->f->name);
		if (convert(x, c, text, era, &v, &e) < 0)
			problem(x, row->number, x->headers[i], cell(row, i), e.message);
		else if (had && v && !json_equal(had, v))
			problem(x, row->number, x->headers[i], cell(row, i),
				"Các cột cùng chỉ một trường nhưng khác nhau / columns naming the "
				"same field "
				"disagree");
		else if (v)
			json_object_set(dest, c->f->name, v);
		json_decref(v);
		free(text);
	}
	for (int i = x->ncols; i < row->n; i++)
		if (*cell(row, i)) {
			problem(x, row->number, "", cell(row, i),
				"Dòng có nhiều ô hơn dòng tiêu đề (dấu phân cách sai?) / the row "
				"has more "
				"cells than the header (a wrong delimiter?)");
			break;
		}
}

/* ---- writing --------------------------------------------------------- */

/* Sets read-only fields (a rebuild's status) that differ; counts a change. */
static int write_system(struct run *x, const struct read_row *row, int64_t id, json_t *sys,
			int *changed)
{
	if (!json_object_size(sys))
		return 0;
	json_t *cur;
	struct err e;
	if (record_get(x->st, x->a, x->ent, id, &cur, &e) < 0) {
		field_problem(x, row, &e);
		return -1;
	}
	const char *k;
	json_t *v;
	int rc = 0;
	json_object_foreach(sys, k, v)
	{
		if (json_equal(json_object_get(cur, k), v))
			continue;
		*changed = 1;
		json_t *one = json_pack("{s:O}", k, v);
		int wrc = x->check_only
				  ? record_check(x->st, x->a, x->ent, id, one, 1, &e)
				  : record_set_system(x->st, x->a, x->ent, id, k, v, "import", &e);
		json_decref(one);
		if (wrc < 0) {
			field_problem(x, row, &e);
			rc = -1;
			break;
		}
	}
	json_decref(cur);
	return rc;
}

/* Updates record id with the fields of in that differ from what is stored. */
static int update_existing(struct run *x, const struct read_row *row, int64_t id, json_t *in,
			   int *changed)
{
	json_t *cur, *diff = json_object();
	struct err e;
	if (record_get(x->st, x->a, x->ent, id, &cur, &e) < 0) {
		field_problem(x, row, &e);
		json_decref(diff);
		return -1;
	}
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) if (!json_equal(json_object_get(cur, k), v))
		json_object_set(diff, k, v);
	int rc = 0;
	if (json_object_size(diff)) {
		*changed = 1;
		int64_t version = json_integer_value(json_object_get(cur, "version"));
		if ((x->check_only
			     ? record_check(x->st, x->a, x->ent, id, diff, 0, &e)
			     : record_update(x->st, x->a, x->ent, id, diff, version, &e)) < 0) {
			field_problem(x, row, &e);
			rc = -1;
		}
	}
	json_decref(cur);
	json_decref(diff);
	return rc;
}

/* A dry run writes nothing, so the records earlier rows would create are
 * known by their keys: each key's text hashed to a negative id, which no
 * stored record has, in the same map as the records a commit writes. */
static int64_t key_id(const char *key)
{
	return (int64_t)(hash(key) | (1ULL << 63));
}

/* 1 and *id when an earlier row of a dry run would have created the record
 * that in names (by the key a commit would look it up by), else 0. */
static int dry_found(struct run *x, json_t *in, int64_t *id)
{
	struct buf key = BUF_INIT;
	int found = 0;
	if (import_key_value(x->ent, in, -1, &key) >= 0 && seen_get(&x->seen, key_id(key.data))) {
		*id = key_id(key.data);
		found = 1;
	}
	buf_free(&key);
	return found;
}

/* Remembers in m the record row creates (a dry run's, or one a batch keeps
 * unwritten) under each of its keys (a later row may name it by its tax
 * code, or by its name in its commune). */
static void keys_created(struct seen *m, const struct entity *ent, json_t *in, int64_t row)
{
	struct buf key = BUF_INIT;
	for (int i = 0;; i++) {
		buf_reset(&key);
		int k = import_key_value(ent, in, i, &key);
		if (k == -2)
			break;
		if (k >= 0)
			seen_put(m, key_id(key.data), row);
	}
	buf_free(&key);
}

static void dry_created(struct run *x, json_t *in, int64_t row)
{
	keys_created(&x->seen, x->ent, in, row);
}

/* The row whose record, kept in the batch and not in the table yet, has
 * in's key (the one import_find_existing would look it up by), or 0. */
static int64_t kept_row(struct run *x, json_t *in)
{
	struct buf key = BUF_INIT;
	int64_t row = 0;
	if (x->batch && import_key_value(x->ent, in, -1, &key) >= 0)
		row = seen_get(&x->kept, key_id(key.data));
	buf_free(&key);
	return row;
}

/* Creates the record of in. A project's step is a move of its lifecycle
 * (project_transition): taken in order, it moves the project's status with
 * it, so status and history never disagree; a step out of order is refused
 * naming the allowed ones. A rebuild (idmap) copies steps as they were. */
static int step_create(struct run *x, json_t *in, int64_t *id, struct err *e)
{
	/* A rebuild (id map) restores histories as they were; other imports make
	 * records, and a project's steps only through its transitions. */
	if (x->opt->idmap)
		return record_create_system(x->st, x->a, x->ent, in, id, e);
	if (strcmp(x->ent->collection, "project-events"))
		return record_create(x->st, x->a, x->ent, in, id, e);
	int64_t project = json_integer_value(json_object_get(in, "project_id"));
	const char *to = json_string_value(json_object_get(in, "status"));
	const char *date = json_string_value(json_object_get(in, "event_date"));
	int rc = project_transition_check(x->st, x->a, project, to, date, e);
	if (rc == 0)
		rc = project_transition(x->st, x->a, project, to, date,
					json_string_value(json_object_get(in, "decision_no")),
					json_string_value(json_object_get(in, "note")), e);
	if (rc < 0) {
		if (!strcmp(e->field, "to"))
			snprintf(e->field, sizeof e->field, "status");
		if (!strcmp(e->field, "date"))
			snprintf(e->field, sizeof e->field, "event_date");
		return rc;
	}
	*id = 0;
	return import_find_existing(x->st, x->ent, in, id, e) == 1 ? 0 : ERR_STORE;
}

/* Every required field whose cell is empty in a row that creates a record,
 * each a problem (the engine would stop at the first); how many. */
static int required_empty(struct run *x, const struct read_row *row, json_t *in)
{
	int n = 0;
	for (const struct field *f = x->ent->fields; f->name; f++) {
		int c = column_of(x, f->name);
		if (!(f->flags & FF_REQUIRED) || c < 0 || json_object_get(in, f->name))
			continue;
		struct err e;
		err_set(&e, ERR_INVALID, f->name, "%s là bắt buộc / %s is required", f->vi, f->en);
		const char *t = cell(row, c);
		if (strspn(t, " \t\r\n") == strlen(t)) { /* a failed cell said why */
			problem(x, row->number, x->headers[c], "", e.message);
			n++;
		}
	}
	return n;
}

/* Two rows of one file are the same record. */
static void same_key(struct run *x, const struct read_row *row, int64_t earlier)
{
	char why[400];
	snprintf(why, sizeof why,
		 "Trùng khóa tự nhiên với dòng %lld của cùng tệp (cùng một hồ sơ); gộp hai "
		 "dòng thành một hoặc sửa khóa / the same natural key as row %lld of this "
		 "file (the same record); merge the two rows or correct the key",
		 (long long)earlier, (long long)earlier);
	problem(x, row->number, "", "", why);
}

/* A record of a batch was written: later rows that find it in the table
 * find the row that made it. */
static void batch_written(void *ctx, int64_t row, int64_t id)
{
	struct run *x = ctx;
	seen_put(&x->seen, id, row);
}

/* Writes the batch's records (before any other write, and at the end). A
 * failure stops the pass: the transaction is rolled back. */
static int batch_flush(struct run *x)
{
	if (!x->batch || x->batch_rc < 0)
		return x->batch_rc;
	x->batch_rc = record_batch_flush(x->batch, &x->batch_err);
	seen_free(&x->kept); /* now in the table, found by their keys there */
	return x->batch_rc;
}

static void write_row(struct run *x, const struct read_row *row, json_t *in, json_t *sys,
		      int64_t src_id)
{
	struct err e;
	err_clear(&e);
	int64_t id = 0;
	/* A record an earlier row created and the batch keeps is not in the
	 * table yet: known by its keys (as in a dry run). */
	int64_t earlier = kept_row(x, in);
	if (earlier) {
		same_key(x, row, earlier);
		return;
	}
	int found = import_find_existing(x->st, x->ent, in, &id, &e);
	if (found < 0) {
		field_problem(x, row, &e);
		return;
	}
	if (!found && x->check_only)
		found = dry_found(x, in, &id);
	int changed = 0, created = 0;
	earlier = found ? seen_put(&x->seen, id, row->number) : 0;
	if (earlier) {
		same_key(x, row, earlier);
		return;
	}
	if (found) {
		if (batch_flush(x) < 0 || update_existing(x, row, id, in, &changed) < 0)
			return;
	} else if (x->check_only) {
		if (required_empty(x, row, in))
			return;
		if (record_check(x->st, x->a, x->ent, 0, in, 0, &e) < 0) {
			field_problem(x, row, &e);
			return;
		}
		created = 1;
		dry_created(x, in, row->number);
	} else if (x->batch) {
		if (required_empty(x, row, in))
			return;
		/* Its key (a tax code) was just looked up and is free: the engine's
		 * uniqueness check of the same value would ask the same. */
		const struct field *kf = import_key_unique(x->ent, in);
		struct record_free fv = {kf ? kf->name : "",
					 kf ? json_object_get(in, kf->name) : NULL};
		int rc = record_batch_add(x->batch, in, row->number, kf ? &fv : NULL, NULL, &e);
		if (rc < 0) {
			field_problem(x, row, &e);
			return;
		}
		created = 1;
		keys_created(&x->kept, x->ent, in, row->number);
		if (rc == 1 && batch_flush(x) < 0)
			return;
	} else {
		if (required_empty(x, row, in))
			return;
		if (step_create(x, in, &id, &e) < 0) {
			field_problem(x, row, &e);
			return;
		}
		created = 1;
		seen_put(&x->seen, id, row->number);
	}
	if (!((x->check_only || x->batch) && created) &&
	    write_system(x, row, id, sys, &changed) < 0)
		return;
	if (created)
		x->rep->created++;
	else if (changed)
		x->rep->updated++;
	else
		x->rep->unchanged++;
	if (x->opt->idmap && src_id > 0)
		idmap_add(x->opt->idmap, x->ent, src_id, id);
}

static void do_row(struct run *x, const struct read_row *row)
{
	x->row_problems = 0;
	buf_reset(&x->why);
	json_t *in = json_object(), *sys = json_object();
	int64_t src_id = 0;
	convert_row(x, row, in, sys, &src_id);
	if (!x->row_problems) {
		write_row(x, row, in, sys, src_id);
	} else {
		/* List the row's other problems too: empty required cells of a
		 * row that would create a record. */
		int64_t id;
		struct err e;
		if (!kept_row(x, in) && import_find_existing(x->st, x->ent, in, &id, &e) == 0)
			required_empty(x, row, in);
	}
	json_decref(in);
	json_decref(sys);
	if (x->row_problems && x->pass == 1) {
		x->rep->failed++;
		mark_bad(x, row->number);
		bad_write(x, row);
	}
}

static void progress(struct run *x, int force)
{
	if (!x->opt->progress || (!force && x->rep->rows % PROGRESS_EVERY))
		return;
	int64_t done, total;
	source_progress(x->src, &done, &total);
	x->opt->progress(x->opt->progress_ctx, x->rep->rows, done, total);
}

static int cancelled(const struct run *x)
{
	return x->opt->cancel && atomic_load(x->opt->cancel);
}

/* One pass over the data rows after the header. Pass 2 (valid only) skips
 * the rows pass 1 found bad. */
static int pass_rows_on(struct run *x, struct err *e)
{
	struct read_row row;
	int rc;
	int64_t header = x->rep->header_row;
	/* A commit writes its new records in batches (record_batch.h). */
	x->batch_rc = 0;
	if (!x->check_only && !x->opt->idmap && record_batch_suits(x->ent))
		x->batch = record_batch_new(x->st, x->a, x->ent, batch_written, x);
	while ((rc = source_next(x->src, &row, e)) == 1) {
		if (row.number <= header || row_empty(&row))
			continue;
		if (cancelled(x)) {
			x->rep->cancelled = 1;
			return err_set(e, ERR_INVALID, "",
				       "Đã hủy; không ghi gì / cancelled; nothing was "
				       "written");
		}
		if (x->pass == 2) {
			if (is_bad(x, row.number))
				continue;
			int64_t before = x->rep->problems;
			do_row(x, &row);
			if (x->batch_rc < 0) {
				*e = x->batch_err;
				return x->batch_rc;
			}
			if (x->rep->problems > before)
				return err_set(e, ERR_CONFLICT, "",
					       "Dòng %lld lỗi khi ghi; không ghi gì / row "
					       "%lld failed while writing; nothing was "
					       "written",
					       (long long)row.number, (long long)row.number);
			continue;
		}
		x->rep->rows++;
		do_row(x, &row);
		if (x->batch_rc < 0) {
			*e = x->batch_err;
			return x->batch_rc;
		}
		progress(x, 0);
	}
	progress(x, 1);
	return rc;
}
static int pass_rows(struct run *x, struct err *e)
{
	int rc = pass_rows_on(x, e);
	if (rc >= 0 && batch_flush(x) < 0) {
		*e = x->batch_err;
		rc = x->batch_rc;
	}
	record_batch_free(x->batch);
	x->batch = NULL;
	seen_free(&x->kept);
	return rc;
}

static void run_free(struct run *x)
{
	for (int i = 0; x->headers && i < x->ncols; i++)
		free(x->headers[i]);
	free(x->headers);
	free(x->cols);
	cache_free(&x->units);
	cache_free(&x->refs);
	cache_free(&x->enums);
	unit_index_free(x->unit_ix);
	free(x->bad);
	buf_free(&x->why);
	seen_free(&x->seen);
}

static void report_source(struct run *x)
{
	struct import_report *rep = x->rep;
	if (x->src->csv) {
		snprintf(rep->format, sizeof rep->format, "csv");
		snprintf(rep->encoding, sizeof rep->encoding, "%s",
			 csv_reader_encoding(x->src->csv));
		rep->delimiter = csv_reader_delimiter(x->src->csv);
	} else {
		snprintf(rep->format, sizeof rep->format, "xlsx");
		snprintf(rep->sheet, sizeof rep->sheet, "%s", xlsx_reader_sheet(x->src->xlsx));
	}
}

/* Pass 2 of a valid-only import: again from the top, without the bad rows. */
static int second_pass(struct run *x, struct err *e)
{
	struct import_report *rep = x->rep;
	rep->created = rep->updated = rep->unchanged = 0;
	x->pass = 2;
	seen_free(&x->seen);
	int rc = source_rewind(x->src, e);
	if (rc == 0)
		rc = store_begin(x->st, e);
	if (rc < 0)
		return rc;
	rc = pass_rows(x, e);
	if (rc < 0) {
		store_rollback(x->st);
		return rc;
	}
	rc = store_commit(x->st, e);
	rep->committed = rc == 0;
	return rc;
}

static int finish(struct run *x, int rc, struct err *e)
{
	struct import_report *rep = x->rep;
	const struct import_options *o = x->opt;
	if (rc == 0 && rep->rows == 0)
		rc = err_set(e, ERR_INVALID, "file",
			     "Tệp chỉ có dòng tiêu đề, không có dữ liệu / the file "
			     "has a header but no data rows");
	if (rc < 0 || o->dry_run || (rep->failed && !o->valid_only)) {
		if (!x->check_only) /* which began no transaction */
			store_rollback(x->st);
		if (rc == 0 && !o->dry_run)
			rc = err_set(
				e, ERR_INVALID, "",
				"%lld dòng có lỗi; không ghi dòng nào / %lld rows have problems; "
				"nothing was written",
				(long long)rep->failed, (long long)rep->failed);
		return rc;
	}
	if (rep->failed) {
		store_rollback(x->st);
		if (store_deadlocked(x->st)) /* rows failed for it: import_run again */
			return err_set(e, ERR_CONFLICT, "",
				       "Xung đột khóa với một lần ghi khác; không ghi dòng nào, "
				       "hãy nhập lại / a deadlock with another write rolled the "
				       "import back; nothing was written, import it again");
		return second_pass(x, e);
	}
	rc = store_commit(x->st, e);
	rep->committed = rc == 0;
	return rc;
}

static int import_once(struct store *st, const struct actor *a, const char *collection,
		       struct import_source *src, const struct import_options *opt,
		       struct import_report *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	const struct entity *ent = entity_find(collection ? collection : "");
	if (!ent)
		return err_set(e, ERR_INVALID, "kind", "Không có loại hồ sơ %s / no record type %s",
			       collection ? collection : "", collection ? collection : "");
	if (opt->valid_only && opt->idmap)
		return err_set(e, ERR_INVALID, "valid_only",
			       "--valid-only không dùng khi dựng lại từ bản "
			       "xuất / --valid-only cannot be used with --all");
	struct run x = {
		.st = st, .a = a, .ent = ent, .opt = opt, .rep = out, .src = src, .pass = 1};
	int rc = find_header(&x, e);
	report_source(&x); /* the delimiter is known once the first line was read */
	if (rc == 0)
		rc = bad_open(&x, e);
	if (rc < 0) {
		bad_close(&x, NULL);
		run_free(&x);
		return rc;
	}
	/* A dry run writes nothing, so it takes no write lock (on SQLite one
	 * lock serves the whole file: logins would wait for it). Only the steps
	 * of projects, each checked against the status the one before moved,
	 * are written and rolled back as before (small files). */
	x.check_only = opt->dry_run && strcmp(ent->collection, "project-events");
	int memo = unit_memo_on(st); /* units are not imported: read each once */
	rc = x.check_only ? 0 : store_begin(st, e);
	if (rc == 0) {
		rc = pass_rows(&x, e);
		int brc = bad_close(&x, e);
		rc = finish(&x, rc < 0 ? rc : brc, e);
		if (rc == 0 && out->committed && out->rows >= IMPORT_ANALYZE_ROWS)
			rc = store_analyze(st, ent->table, e); /* plans for the new rows */
	} else {
		bad_close(&x, NULL);
	}
	if (memo)
		unit_memo_off(st);
	run_free(&x);
	return rc;
}

/* On PostgreSQL two imports (or an import and an edit) that write records of
 * the same groups take the pre-aggregates' sum rows (migration 0036) in the
 * order of their rows, so each may wait for a row the other holds: the
 * server rolls one back (a deadlock). That one runs again, once, from the
 * top of its file; the other has gone on meanwhile. */
int import_run(struct store *st, const struct actor *a, const char *collection,
	       struct import_source *src, const struct import_options *opt,
	       struct import_report *out, struct err *e)
{
	int rc = import_once(st, a, collection, src, opt, out, e);
	if (rc < 0 && store_deadlocked(st) && !out->cancelled) {
		import_report_free(out);
		rc = source_rewind(src, e);
		if (rc == 0)
			rc = import_once(st, a, collection, src, opt, out, e);
	}
	return rc;
}

void import_report_free(struct import_report *out)
{
	for (size_t i = 0; i < out->nlist; i++) {
		free(out->list[i].column);
		free(out->list[i].value);
		free(out->list[i].reason);
	}
	free(out->list);
	json_decref(out->columns);
	json_decref(out->ignored);
	json_decref(out->unmatched);
	json_decref(out->notices);
	json_decref(out->missing);
	memset(out, 0, sizeof *out);
}
