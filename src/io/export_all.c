/* export_all.c - canonical exports of the records and the rebuild from
 * them. One row source (a record cursor, record.h) and
 * two renderers (CSV, XLSX); the rebuild is the importer with an id map. */
#include "io/export_all.h"

#include "io/record_csv.h"

#include "core/clock.h"
#include "core/mem.h"
#include "core/vtext.h"
#include "model/unit.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

/* ---- the row source -------------------------------------------------- */

typedef int (*row_fn)(void *ctx, json_t *rec, struct err *e);

/* Calls fn for every record of ent that a may read, in id order: one
 * cursor, the scope in its SQL, on a connection of its own so that fn may
 * look things up on st while the rows stream. */
static int each_record(struct store *st, const struct actor *a, const struct entity *ent, row_fn fn,
		       void *ctx, struct err *e)
{
	struct list_query qy = {.sort = "id"};
	struct record_cursor *c;
	int rc = record_cursor_open(st, a, ent, &qy, 1, &c, e);
	json_t *rec;
	while (rc == 0 && (rc = record_cursor_next(c, &rec, e)) == 1) {
		rc = fn(ctx, rec, e);
		json_decref(rec);
	}
	record_cursor_close(c);
	return rc < 0 ? rc : 0;
}

/* ---- CSV ------------------------------------------------------------- */

struct csv_ctx {
	struct record_csv form;
	FILE *f;
	int64_t rows;
	struct buf line;
};

static int csv_row(void *ctx, json_t *rec, struct err *e)
{
	struct csv_ctx *c = ctx;
	buf_reset(&c->line);
	record_csv_row(&c->form, rec, &c->line);
	c->rows++;
	if (fwrite(c->line.data, 1, c->line.len, c->f) != c->line.len)
		return err_set(e, ERR_IO, "out", "cannot write: %s", strerror(errno));
	return 0;
}

int export_csv(struct store *st, const struct actor *a, const struct entity *ent, FILE *f,
	       int64_t *rows, struct err *e)
{
	struct csv_ctx c = {{st, ent, CSV_CANONICAL, NULL}, f, 0, BUF_INIT};
	record_csv_header(&c.form, &c.line);
	fwrite(c.line.data, 1, c.line.len, f);
	int rc = each_record(st, a, ent, csv_row, &c, e);
	buf_free(&c.line);
	if (rc == 0 && fflush(f) != 0)
		rc = err_set(e, ERR_IO, "out", "cannot write: %s", strerror(errno));
	if (rows)
		*rows = c.rows;
	return rc;
}

/* ---- XLSX ------------------------------------------------------------ */

struct xlsx_ctx {
	struct store *st;
	const struct entity *ent;
	lxw_worksheet *ws;
	lxw_row_t row;
};

static int numeric(const struct field *f)
{
	return f->type == F_INT || f->type == F_MONEY || f->type == F_YEAR || f->type == F_REF;
}

static int xlsx_row(void *ctx, json_t *rec, struct err *e)
{
	struct xlsx_ctx *c = ctx;
	if (c->row >= LXW_ROW_MAX)
		return err_set(e, ERR_TOOBIG, "out",
			       "Excel holds at most 1 048 576 rows; export as CSV");
	worksheet_write_number(c->ws, c->row, 0,
			       (double)json_integer_value(json_object_get(rec, "id")), NULL);
	lxw_col_t col = 1;
	struct buf v = BUF_INIT, cellt = BUF_INIT;
	for (const struct field *f = c->ent->fields; f->name; f++, col++) {
		json_t *x = json_object_get(rec, f->name);
		if (numeric(f) && json_is_integer(x)) {
			worksheet_write_number(c->ws, c->row, col, (double)json_integer_value(x),
					       NULL);
			continue;
		}
		buf_reset(&v);
		record_canonical(&v, c->st, f, rec);
		if (!v.len)
			continue;
		buf_reset(&cellt);
		buf_cell_text(&cellt, buf_cstr(&v), field_is_number(f));
		worksheet_write_string(c->ws, c->row, col, buf_cstr(&cellt), NULL);
	}
	buf_free(&v);
	buf_free(&cellt);
	c->row++;
	return 0;
}

int export_xlsx(struct store *st, const struct actor *a, const struct entity *ent, const char *path,
		int64_t *rows, struct err *e)
{
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
	lxw_workbook *wb = workbook_new_opt(path, &wo);
	if (!wb)
		return err_set(e, ERR_IO, "out", "cannot create %s", path);
	struct xlsx_ctx c = {st, ent, workbook_add_worksheet(wb, NULL), 1};
	worksheet_write_string(c.ws, 0, 0, "id", NULL);
	lxw_col_t col = 1;
	for (const struct field *f = ent->fields; f->name; f++, col++)
		worksheet_write_string(c.ws, 0, col, f->name, NULL);
	int rc = each_record(st, a, ent, xlsx_row, &c, e);
	lxw_error xe = workbook_close(wb);
	if (rc == 0 && xe != LXW_NO_ERROR)
		rc = err_set(e, ERR_IO, "out", "cannot write %s: %s", path, lxw_strerror(xe));
	if (rows)
		*rows = (int64_t)c.row - 1;
	return rc;
}

/* ---- everything ------------------------------------------------------ */

static int placed(const struct entity **order, int n, const struct entity *ent)
{
	for (int i = 0; i < n; i++)
		if (order[i] == ent)
			return 1;
	return 0;
}

static int ready(const struct entity **order, int n, const struct entity *ent)
{
	for (const struct field *f = ent->fields; f->name; f++)
		if (f->type == F_REF && strcmp(f->ref, ent->collection) &&
		    !placed(order, n, entity_find(f->ref)))
			return 0;
	return 1;
}

int export_order(const struct entity **order, int max)
{
	int n = 0, progress = 1;
	while (progress) {
		progress = 0;
		for (const struct entity *ent = entities; ent->collection && n < max; ent++) {
			if (!placed(order, n, ent) && ready(order, n, ent)) {
				order[n++] = ent;
				progress = 1;
			}
		}
	}
	return n;
}

static int file_sha256(const char *path, char hex[65], struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "file", "cannot read %s", path);
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	unsigned char buf[65536], out[crypto_hash_sha256_BYTES];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		crypto_hash_sha256_update(&h, buf, n);
	fclose(f);
	crypto_hash_sha256_final(&h, out);
	sodium_bin2hex(hex, 65, out, sizeof out);
	return 0;
}

static char *join(const char *dir, const char *name)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", dir, name);
	return buf_detach(&b);
}

static int export_one(struct store *st, const struct actor *a, const struct entity *ent,
		      const char *dir, json_t *list, struct err *e)
{
	char name[80];
	snprintf(name, sizeof name, "%s.csv", ent->collection);
	char *path = join(dir, name);
	FILE *f = fopen(path, "wb");
	int64_t rows = 0;
	int rc = f ? export_csv(st, a, ent, f, &rows, e)
		   : err_set(e, ERR_IO, "out", "cannot create %s: %s", path, strerror(errno));
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(e, ERR_IO, "out", "cannot write %s", path);
	char hex[65];
	if (rc == 0)
		rc = file_sha256(path, hex, e);
	if (rc == 0)
		json_array_append_new(list, json_pack("{s:s,s:s,s:I,s:s}", "collection",
						      ent->collection, "file", name, "rows",
						      (json_int_t)rows, "sha256", hex));
	free(path);
	return rc;
}

int export_all(struct store *st, const struct actor *a, const char *dir, struct err *e)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return err_set(e, ERR_IO, "out", "cannot create %s: %s", dir, strerror(errno));
	char *mpath = join(dir, "manifest.json");
	struct stat sb;
	if (stat(mpath, &sb) == 0) {
		free(mpath);
		return err_set(e, ERR_CONFLICT, "out",
			       "%s already holds an export; choose a new directory", dir);
	}
	const struct entity *order[64];
	int n = export_order(order, 64);
	json_t *list = json_array();
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = export_one(st, a, order[i], dir, list, e);
	json_t *files = json_array(), *photos = json_array(), *pfiles = json_array();
	if (rc == 0)
		rc = export_attachments(st, dir, files, e);
	if (rc == 0)
		rc = export_photos(st, dir, photos, pfiles, e);
	char now[21];
	clock_iso(clock_now(), now);
	json_t *m = json_pack("{s:s,s:i,s:i,s:s,s:s,s:o,s:o,s:o,s:o}", "format",
			      "khuyencong-export", "format_version", EXPORT_FORMAT_VERSION,
			      "schema_version", store_schema_version(st, NULL), "created_at", now,
			      "generator", "khuyencong " KC_VERSION, "collections", list,
			      "attachments", files, "photos", photos, "proposal_files", pfiles);
	if (rc == 0 && json_dump_file(m, mpath, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
		rc = err_set(e, ERR_IO, "out", "cannot write %s", mpath);
	json_decref(m);
	free(mpath);
	return rc;
}

/* ---- the rebuild ----------------------------------------------------- */

static int read_manifest(const char *dir, json_t **out, struct err *e)
{
	char *mpath = join(dir, "manifest.json");
	json_error_t je;
	json_t *m = json_load_file(mpath, 0, &je);
	free(mpath);
	if (!m)
		return err_set(e, ERR_INVALID, "dir", "%s/manifest.json: %s", dir, je.text);
	const char *format = json_string_value(json_object_get(m, "format"));
	json_int_t fv = json_integer_value(json_object_get(m, "format_version"));
	json_int_t sv = json_integer_value(json_object_get(m, "schema_version"));
	int rc = 0;
	if (!format || strcmp(format, "khuyencong-export") || fv != EXPORT_FORMAT_VERSION ||
	    !json_is_array(json_object_get(m, "collections")))
		rc = err_set(e, ERR_INVALID, "dir",
			     "%s is not a khuyencong export (format version %d)", dir,
			     EXPORT_FORMAT_VERSION);
	else if (sv > store_schema_latest())
		rc = err_set(e, ERR_CONFLICT, "dir",
			     "the export is of schema version %lld, newer than this program's %d; "
			     "upgrade khuyencong first",
			     (long long)sv, store_schema_latest());
	if (rc < 0) {
		json_decref(m);
		return rc;
	}
	*out = m;
	return 0;
}

/* Checks every file of the manifest before anything is imported. */
static int check_files(const char *dir, json_t *list, struct err *e)
{
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		const char *name = json_string_value(json_object_get(c, "file"));
		const char *coll = json_string_value(json_object_get(c, "collection"));
		const char *want = json_string_value(json_object_get(c, "sha256"));
		if (!name || !coll || !want || strchr(name, '/') || !entity_find(coll))
			return err_set(e, ERR_INVALID, "dir", "manifest entry %zu is malformed", i);
		char *path = join(dir, name);
		char hex[65];
		int rc = file_sha256(path, hex, e);
		free(path);
		if (rc < 0)
			return rc;
		if (strcmp(hex, want))
			return err_set(
				e, ERR_INVALID, "dir",
				"%s does not match its SHA-256 in the manifest: the export is "
				"incomplete or was changed",
				name);
	}
	return 0;
}

static int import_one(struct store *st, const struct actor *a, const char *dir, json_t *c,
		      struct import_idmap *map, import_all_cb each, void *ctx, struct err *e)
{
	const char *coll = json_string_value(json_object_get(c, "collection"));
	json_int_t rows = json_integer_value(json_object_get(c, "rows"));
	if (rows == 0)
		return 0;
	char *path = join(dir, json_string_value(json_object_get(c, "file")));
	struct import_source *src;
	struct import_source_opts so = {.format = "csv", .encoding = "utf-8"};
	int rc = import_source_open(path, &so, &src, e);
	free(path);
	if (rc < 0)
		return rc;
	struct import_options o = {.idmap = map};
	struct import_report rep;
	rc = import_run(st, a, coll, src, &o, &rep, e);
	import_source_close(src);
	if (each)
		each(ctx, coll, &rep);
	if (rc == 0 && rep.rows != rows)
		rc = err_set(e, ERR_INVALID, "dir", "%s: %lld rows read, the manifest says %lld",
			     coll, (long long)rep.rows, (long long)rows);
	import_report_free(&rep);
	return rc;
}

int import_all(struct store *st, const struct actor *a, const char *dir, int dry_run,
	       import_all_cb each, void *ctx, struct err *e)
{
	if (a->role != ROLE_ADMIN)
		return err_set(e, ERR_FORBIDDEN, "",
			       "only an administrator rebuilds from an export");
	json_t *m;
	int rc = read_manifest(dir, &m, e);
	if (rc < 0)
		return rc;
	json_t *list = json_object_get(m, "collections");
	rc = check_files(dir, list, e);
	if (rc == 0)
		rc = store_begin(st, e);
	if (rc < 0) {
		json_decref(m);
		return rc;
	}
	struct import_idmap *map = import_idmap_new();
	size_t i;
	json_t *c;
	json_array_foreach(list, i, c)
	{
		rc = import_one(st, a, dir, c, map, each, ctx, e);
		if (rc < 0)
			break;
	}
	json_t *files = json_object_get(m, "attachments"); /* absent in older exports */
	if (rc == 0 && json_is_array(files))
		rc = import_attachments(st, a, dir, files, map, e);
	if (rc == 0) /* both absent in older exports */
		rc = import_photos(st, a, dir, json_object_get(m, "photos"),
				   json_object_get(m, "proposal_files"), map, e);
	import_idmap_free(map);
	json_decref(m);
	if (rc < 0 || dry_run) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}
