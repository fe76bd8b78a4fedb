/* export_photos.c - product photos and the files of proposals in `export
 * --all` and back in `import --all`, like attached files (export_attach.c):
 * each as stored, beside the CSV files, described in the manifest ("photos",
 * "proposal_files") with its record (by the export's id), type, size,
 * SHA-256, who and when; a photo shown resized keeps the photo as sent
 * ("original"). Removed photos are not exported, as removed attachments. */
#include "core/buf.h"
#include "io/export_all.h"
#include "model/attachment.h"
#include "model/photo.h"
#include "model/proposal_files.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* {"file", "bytes", "sha256"} of blob col of s, written as dir/name. */
static json_t *put_blob(struct stmt *s, int col, const char *dir, const char *name,
			const char *type, int *rc, struct err *e)
{
	size_t n;
	const unsigned char *data = stmt_blob(s, col, &n);
	char file[80], hex[65];
	snprintf(file, sizeof file, "%s%s", name, attachment_ext(type));
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data ? data : (const unsigned char *)"", n);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	*rc = export_write_file(dir, file, data, n, e);
	return json_pack("{s:s,s:I,s:s}", "file", file, "bytes", (json_int_t)n, "sha256", hex);
}

int export_photos(struct store *st, const char *dir, json_t *photos, json_t *files, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT id, product_id, content_type, created_at, created_by,"
			      " data, original_data FROM product_photos"
			      " WHERE removed_at IS NULL ORDER BY id",
			      e);
	if (!s)
		return ERR_STORE;
	int rc, wrc = 0;
	while (wrc == 0 && (rc = stmt_step(s, e)) == 1) {
		char name[48];
		snprintf(name, sizeof name, "photo-%lld", (long long)stmt_int(s, 0));
		json_t *p = put_blob(s, 5, dir, name, stmt_text(s, 2), &wrc, e);
		json_object_update_new(p, json_pack("{s:I,s:s,s:s,s:s}", "product_id",
						    (json_int_t)stmt_int(s, 1), "content_type",
						    stmt_text(s, 2), "created_at", stmt_text(s, 3),
						    "created_by", stmt_text(s, 4)));
		if (wrc == 0 && !stmt_isnull(s, 6)) {
			strcat(name, "-original");
			json_object_set_new(p, "original",
					    put_blob(s, 6, dir, name, stmt_text(s, 2), &wrc, e));
		}
		json_array_append_new(photos, p);
	}
	stmt_done(s);
	if (wrc < 0 || rc < 0)
		return wrc < 0 ? wrc : rc;
	s = store_prepare(st,
			  "SELECT id, proposal_id, name, side, content_type, created_at, username,"
			  " data FROM proposal_files ORDER BY id",
			  e);
	if (!s)
		return ERR_STORE;
	while (wrc == 0 && (rc = stmt_step(s, e)) == 1) {
		char name[48];
		snprintf(name, sizeof name, "proposal-file-%lld", (long long)stmt_int(s, 0));
		json_t *f = put_blob(s, 7, dir, name, stmt_text(s, 4), &wrc, e);
		json_object_update_new(f, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "proposal_id",
						    (json_int_t)stmt_int(s, 1), "name",
						    stmt_text(s, 2), "side", stmt_text(s, 3),
						    "content_type", stmt_text(s, 4), "created_at",
						    stmt_text(s, 5), "username", stmt_text(s, 6)));
		json_array_append_new(files, f);
	}
	stmt_done(s);
	return wrc < 0 ? wrc : rc < 0 ? rc : 0;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The id in this database of the record of collection coll that entry f
 * names by key, or an error naming the entry's file. */
static int parent_id(json_t *f, const char *coll, const char *key, struct import_idmap *map,
		     int64_t *id, struct err *e)
{
	json_int_t old = json_integer_value(json_object_get(f, key));
	if (import_idmap_lookup(map, entity_find(coll), old, id))
		return 0;
	return err_set(e, ERR_INVALID, "dir", "%s: its %s record %lld is not in the export",
		       str(f, "file") ? str(f, "file") : "?", coll, (long long)old);
}

static int import_photo(struct store *st, const struct actor *a, const char *dir, json_t *f,
			struct import_idmap *map, struct err *e)
{
	int64_t pid = 0, id;
	struct buf data = BUF_INIT, orig = BUF_INIT;
	json_t *o = json_object_get(f, "original");
	int rc = parent_id(f, "products", "product_id", map, &pid, e);
	if (rc == 0)
		rc = export_read_file(dir, str(f, "file"), str(f, "sha256"), &data, e);
	if (rc == 0 && o)
		rc = export_read_file(dir, str(o, "file"), str(o, "sha256"), &orig, e);
	if (rc == 0)
		rc = photo_restore(st, a, pid, (const unsigned char *)data.data, data.len,
				   o ? (const unsigned char *)orig.data : NULL, orig.len,
				   str(f, "created_at"), str(f, "created_by"), &id, e);
	buf_free(&data);
	buf_free(&orig);
	return rc;
}

static int import_file(struct store *st, const struct actor *a, const char *dir, json_t *f,
		       struct import_idmap *map, struct err *e)
{
	int64_t pid = 0, id;
	struct buf data = BUF_INIT;
	int rc = parent_id(f, "proposals", "proposal_id", map, &pid, e);
	if (rc == 0)
		rc = export_read_file(dir, str(f, "file"), str(f, "sha256"), &data, e);
	if (rc == 0)
		rc = proposal_file_restore(st, a, pid, str(f, "name"), str(f, "side"),
					   str(f, "created_at"), str(f, "username"),
					   (const unsigned char *)data.data, data.len, &id, e);
	buf_free(&data);
	return rc;
}

int import_photos(struct store *st, const struct actor *a, const char *dir, json_t *photos,
		  json_t *files, struct import_idmap *map, struct err *e)
{
	size_t i;
	json_t *f;
	json_array_foreach(photos, i, f)
	{
		int rc = import_photo(st, a, dir, f, map, e);
		if (rc < 0)
			return rc;
	}
	json_array_foreach(files, i, f)
	{
		int rc = import_file(st, a, dir, f, map, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}
