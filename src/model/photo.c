/* photo.c - product photos in the database: checked by content, audited,
 * removed by marking (the bytes stay for the record). */
#include "model/photo.h"

#include "core/clock.h"
#include "core/mem.h"
#include "model/audit.h"
#include "model/record.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *photo_sniff(const unsigned char *d, size_t n)
{
	/* The signatures of the formats, and the first chunk each must open
	 * with, so that a few magic bytes glued to something else do not pass. */
	if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF && d[3] >= 0xC0)
		return "image/jpeg";
	if (n >= 16 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8) && !memcmp(d + 12, "IHDR", 4))
		return "image/png";
	if (n >= 16 && !memcmp(d, "RIFF", 4) && !memcmp(d + 8, "WEBPVP8", 7) &&
	    (d[15] == ' ' || d[15] == 'L' || d[15] == 'X'))
		return "image/webp";
	return NULL;
}

static void sha256_hex(const unsigned char *data, size_t n, char out[PHOTO_SHA_TEXT])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, PHOTO_SHA_TEXT, h, sizeof h);
}

static int content_ok(const unsigned char *data, size_t n, const char **type, struct err *e)
{
	if (n > PHOTO_MAX_BYTES)
		return err_set(
			e, ERR_TOOBIG, "file",
			"Ảnh quá lớn (tối đa %d MB) / the photo is too large (%d MB at most)",
			PHOTO_MAX_BYTES >> 20, PHOTO_MAX_BYTES >> 20);
	*type = n >= PHOTO_MIN_BYTES ? photo_sniff(data, n) : NULL;
	if (!*type)
		return err_set(
			e, ERR_INVALID, "file",
			"Chỉ nhận ảnh JPEG, PNG hoặc WebP / only JPEG, PNG or WebP images are "
			"accepted");
	return 0;
}

/* Who sent a photo and when: the actor now (NULL), or as kept by an export. */
struct sent {
	const char *at, *by;
};

/* The photo shown is data (n bytes); orig, when not NULL, is the photo as
 * sent (orig_n bytes), kept beside the resized copy. */
static int insert_photo(struct store *st, const struct actor *a, int64_t product_id,
			const unsigned char *data, size_t n, const char *type,
			const unsigned char *orig, size_t orig_n, const struct sent *sent,
			int64_t *id, struct err *e)
{
	char sha[PHOTO_SHA_TEXT], now[21];
	sha256_hex(data, n, sha);
	clock_iso(clock_now(), now);
	struct stmt *s = store_prepare(
		st,
		"INSERT INTO product_photos(product_id, created_at, created_by, content_type,"
		" bytes, sha256, data, original_type, original_bytes, original_data)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "itttit", product_id, sent ? sent->at : now, sent ? sent->by : a->username,
		  type, (int64_t)n, sha);
	stmt_bind_blob(s, 7, data, n);
	if (orig) {
		stmt_bind_text(s, 8, type);
		stmt_bind_int(s, 9, (int64_t)orig_n);
		stmt_bind_blob(s, 10, orig, orig_n);
	} else {
		stmt_bind_null(s, 8);
		stmt_bind_int(s, 9, 0);
		stmt_bind_null(s, 10);
	}
	int rc = stmt_step(s, e);
	stmt_done(s);
	if (rc < 0)
		return rc;
	*id = store_last_id(st);
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)*id);
	/* The trail keeps what identifies the photo, not its megabytes. */
	json_t *after = json_pack("{s:I,s:s,s:I,s:s}", "product_id", (json_int_t)product_id,
				  "content_type", type, "bytes", (json_int_t)n, "sha256", sha);
	if (orig)
		json_object_set_new(after, "original_bytes", json_integer((json_int_t)orig_n));
	rc = audit_append(st, a, "product-photos", idtext, "create", NULL, after, e);
	json_decref(after);
	return rc;
}

int photo_add(struct store *st, const struct actor *a, int64_t product_id,
	      const unsigned char *data, size_t n, int64_t *id, struct err *e)
{
	const char *type = NULL;
	int rc = record_check_write(st, a, entity_find("products"), product_id, e);
	if (rc == 0)
		rc = content_ok(data, n, &type, e);
	if (rc == 0)
		rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	int64_t count = 0;
	rc = store_int(
		st, e, &count,
		"SELECT COUNT(*) FROM product_photos WHERE product_id = ? AND removed_at IS NULL",
		"i", product_id);
	if (rc >= 0 && count >= PHOTO_MAX_PER_PRODUCT)
		rc = err_set(e, ERR_TOOBIG, "file",
			     "Mỗi sản phẩm có tối đa %d ảnh / a product has at most %d photos",
			     PHOTO_MAX_PER_PRODUCT, PHOTO_MAX_PER_PRODUCT);
	/* A large JPEG (a phone's photo) is shown resized; the sent one is kept. */
	unsigned char *small = NULL;
	size_t small_n = 0;
	if (rc >= 0 && n > PHOTO_SHRINK_BYTES && !strcmp(type, "image/jpeg"))
		rc = photo_jpeg_shrink(data, n, &small, &small_n, e);
	if (rc >= 0)
		rc = small ? insert_photo(st, a, product_id, small, small_n, type, data, n, NULL,
					  id, e)
			   : insert_photo(st, a, product_id, data, n, type, NULL, 0, NULL, id, e);
	free(small);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int photo_restore(struct store *st, const struct actor *a, int64_t product_id,
		  const unsigned char *data, size_t n, const unsigned char *orig, size_t orig_n,
		  const char *created_at, const char *created_by, int64_t *id, struct err *e)
{
	if (a->role != ROLE_ADMIN)
		return err_set(e, ERR_FORBIDDEN, "", "only an administrator rebuilds");
	const char *type = NULL, *orig_type = NULL;
	int rc = content_ok(data, n, &type, e);
	if (rc == 0 && orig)
		rc = content_ok(orig, orig_n, &orig_type, e);
	if (rc == 0 && orig && strcmp(type, orig_type))
		rc = err_set(e, ERR_INVALID, "file",
			     "the photo as sent is not of the type of the photo shown");
	struct sent sent = {created_at ? created_at : "", created_by ? created_by : ""};
	return rc < 0 ? rc
		      : insert_photo(st, a, product_id, data, n, type, orig, orig_n, &sent, id, e);
}

int photo_remove(struct store *st, const struct actor *a, int64_t product_id, int64_t photo_id,
		 struct err *e)
{
	int rc = record_check_write(st, a, entity_find("products"), product_id, e);
	if (rc == 0)
		rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	char now[21], idtext[24];
	clock_iso(clock_now(), now);
	rc = store_run(
		st, e,
		"UPDATE product_photos SET removed_at = ? WHERE id = ? AND product_id = ? AND"
		" removed_at IS NULL",
		"tii", now, photo_id, product_id);
	if (rc >= 0 && store_changes(st) != 1)
		rc = err_set(e, ERR_NOTFOUND, "photo", "Không có ảnh số %lld / no photo %lld",
			     (long long)photo_id, (long long)photo_id);
	if (rc >= 0) {
		snprintf(idtext, sizeof idtext, "%lld", (long long)photo_id);
		json_t *before = json_pack("{s:I}", "product_id", (json_int_t)product_id);
		rc = audit_append(st, a, "product-photos", idtext, "delete", before, NULL, e);
		json_decref(before);
	}
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int photo_get(struct store *st, int64_t id, struct photo *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct stmt *s = store_prepare(st,
				       "SELECT product_id, content_type, sha256, data FROM"
				       " product_photos WHERE id = ? AND removed_at IS NULL",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, id);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		out->id = id;
		out->product_id = stmt_int(s, 0);
		snprintf(out->content_type, sizeof out->content_type, "%s", stmt_text(s, 1));
		snprintf(out->sha256, sizeof out->sha256, "%s", stmt_text(s, 2));
		const unsigned char *p = stmt_blob(s, 3, &out->size);
		out->data = xmalloc(out->size + 1);
		if (out->size)
			memcpy(out->data, p, out->size);
	}
	stmt_done(s);
	if (rc == 0)
		rc = err_set(e, ERR_NOTFOUND, "photo", "Không có ảnh số %lld / no photo %lld",
			     (long long)id, (long long)id);
	if (rc < 0) {
		photo_free(out);
		return rc;
	}
	return 0;
}

void photo_free(struct photo *p)
{
	free(p->data);
	p->data = NULL;
	p->size = 0;
}

int photo_list(struct store *st, int64_t product_id, json_t **out, struct err *e)
{
	struct stmt *s = store_prepare(st,
				       "SELECT id, content_type, bytes, sha256 FROM product_photos"
				       " WHERE product_id = ? AND removed_at IS NULL ORDER BY id",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind_int(s, 1, product_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(
			arr, json_pack("{s:I,s:s,s:I,s:s}", "id", (json_int_t)stmt_int(s, 0),
				       "content_type", stmt_text(s, 1), "bytes",
				       (json_int_t)stmt_int(s, 2), "sha256", stmt_text(s, 3)));
	stmt_done(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}
