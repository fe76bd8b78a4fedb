/* export_attach.c - the attached files in `export --all` and back in
 * `import --all`: each file as it was stored, beside the CSV files, and
 * listed in the manifest with its parent (by the export's id), name, type,
 * size, SHA-256, who and when. Files of periodic reports (the signed
 * letter, the PDF and Excel of each sending) are not exported, as the
 * reports themselves are not. */
#include "core/buf.h"
#include "io/export_all.h"
#include "model/attachment.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int export_write_file(const char *dir, const char *name, const unsigned char *data, size_t n,
		      struct err *e)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, name);
	FILE *f = fopen(buf_cstr(&path), "wb");
	int rc = 0;
	if (!f || (n && fwrite(data, 1, n, f) != n))
		rc = err_set(e, ERR_IO, "out", "cannot write %s: %s", buf_cstr(&path),
			     strerror(errno));
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(e, ERR_IO, "out", "cannot write %s", buf_cstr(&path));
	buf_free(&path);
	return rc;
}

int export_attachments(struct store *st, const char *dir, json_t *list, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT id, parent, parent_id, name, content_type, bytes, sha256,"
			      " created_at, username, data FROM attachments"
			      " WHERE parent NOT IN ('submissions', 'submission_snapshots')"
			      " AND removed_at IS NULL"
			      " ORDER BY id",
			      e);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		char name[64];
		snprintf(name, sizeof name, "attachment-%lld%s", (long long)stmt_int(s, 0),
			 attachment_ext(stmt_text(s, 4)));
		size_t n;
		const unsigned char *data = stmt_blob(s, 9, &n);
		rc = export_write_file(dir, name, data, n, e);
		if (rc < 0)
			break;
		json_array_append_new(
			list,
			json_pack("{s:s,s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s}", "parent",
				  stmt_text(s, 1), "parent_id", (json_int_t)stmt_int(s, 2), "name",
				  stmt_text(s, 3), "content_type", stmt_text(s, 4), "bytes",
				  (json_int_t)n, "sha256", stmt_text(s, 6), "created_at",
				  stmt_text(s, 7), "username", stmt_text(s, 8), "file", name));
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int export_read_file(const char *dir, const char *file, const char *want, struct buf *data,
		     struct err *e)
{
	if (!file || strchr(file, '/') || !want)
		return err_set(e, ERR_INVALID, "dir", "a file of the manifest is malformed");
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, file);
	int rc = buf_read_file(data, buf_cstr(&path)) < 0
			 ? err_set(e, ERR_IO, "dir", "cannot read %s", buf_cstr(&path))
			 : 0;
	buf_free(&path);
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)(data->data ? data->data : ""), data->len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	if (rc == 0 && strcmp(hex, want))
		rc = err_set(e, ERR_INVALID, "dir",
			     "%s does not match its SHA-256 in the manifest: the export is "
			     "incomplete or was changed",
			     file);
	return rc;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int import_one(struct store *st, const struct actor *a, const char *dir, json_t *f,
		      struct import_idmap *map, struct err *e)
{
	const char *file = str(f, "file"), *parent = str(f, "parent"), *want = str(f, "sha256");
	const struct entity *ent = parent ? entity_find(parent) : NULL;
	if (!file || strchr(file, '/') || !want || !ent || !attachment_parent_known(parent))
		return err_set(e, ERR_INVALID, "dir", "an attachment of the manifest is malformed");
	int64_t pid = 0;
	if (!import_idmap_lookup(map, ent, json_integer_value(json_object_get(f, "parent_id")),
				 &pid))
		return err_set(e, ERR_INVALID, "dir", "%s: its %s record %lld is not in the export",
			       file, parent,
			       (long long)json_integer_value(json_object_get(f, "parent_id")));
	struct buf data = BUF_INIT;
	int rc = export_read_file(dir, file, want, &data, e);
	int64_t id;
	if (rc == 0)
		rc = attachment_restore(st, a, parent, pid, str(f, "name"), str(f, "created_at"),
					str(f, "username"), (const unsigned char *)data.data,
					data.len, &id, e);
	buf_free(&data);
	return rc;
}

int import_attachments(struct store *st, const struct actor *a, const char *dir, json_t *list,
		       struct import_idmap *map, struct err *e)
{
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f)
	{
		int rc = import_one(st, a, dir, f, map, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}
