/* import_upload.c - the uploads kept between an import's dry run and its
 * commit, and the bad rows kept beside them (import_upload.h). */
#include "model/import_upload.h"

#include "core/mem.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* An upload loaded for one request: its description and its bytes in a
 * private temporary file (import_source_open takes a path), removed by
 * import_kept_free() before the request ends. */


void import_kept_free(struct import_kept *k)
{
	json_decref(k->meta);
	k->meta = NULL;
	if (k->path[0])
		unlink(k->path);
	k->path[0] = '\0';
}

/* Creates a private (0600) empty file under $TMPDIR or /tmp; fd or -1. */
int import_temp_file(char *path, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(path, n, "%s/kc-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		path[0] = '\0';
	return fd;
}

static int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Writes data into a new temporary file named in k->path. */
int import_kept_file(struct import_kept *k, const void *data, size_t n, struct err *e)
{
	int fd = import_temp_file(k->path, sizeof k->path);
	if (fd < 0)
		return err_set(e, ERR_IO, "file", "Không lưu được tệp tải lên / cannot keep the upload");
	int rc = write_all(fd, data, n);
	if (close(fd) != 0 || rc != 0)
		return err_set(e, ERR_IO, "file", "Không lưu được tệp tải lên / cannot keep the upload");
	return 0;
}

/* ---- the kept bad rows ------------------------------------------------
 * Rows of import_uploads too, under the upload's hash with ".csv" or ".xlsx"
 * appended (no token hashes to that), with the same owner and the same day
 * of life, and deleted with the upload. */

static void bad_key(const char *hash, int xlsx, char out[HASH_TEXT + 8])
{
	snprintf(out, HASH_TEXT + 8, "%s.%s", hash, xlsx ? "xlsx" : "csv");
}

/* Deletes the upload stored under hash and its kept bad rows. */
void import_upload_drop(struct store *st, const char *hash)
{
	char csv[HASH_TEXT + 8], xlsx[HASH_TEXT + 8];
	bad_key(hash, 0, csv);
	bad_key(hash, 1, xlsx);
	struct err e;
	store_run(st, &e, "DELETE FROM import_uploads WHERE token_hash IN (?, ?, ?)", "ttt", hash,
		  csv, xlsx);
}

/* Two private temporary files for a dry run's bad rows (CSV, XLSX); 0, or
 * -1 with none left behind. */


int import_bad_files_make(struct import_bad_files *b)
{
	b->csv[0] = b->xlsx[0] = '\0';
	int fd = import_temp_file(b->csv, sizeof b->csv);
	if (fd < 0)
		return -1;
	close(fd);
	fd = import_temp_file(b->xlsx, sizeof b->xlsx);
	if (fd < 0) {
		unlink(b->csv);
		b->csv[0] = '\0';
		return -1;
	}
	close(fd);
	return 0;
}

void import_bad_files_free(struct import_bad_files *b)
{
	if (b->csv[0])
		unlink(b->csv);
	if (b->xlsx[0])
		unlink(b->xlsx);
	b->csv[0] = b->xlsx[0] = '\0';
}

/* Keeps the bad-rows files of a dry run of the upload stored under hash
 * for its owner user_id. A file that cannot be kept (too big, a write that
 * fails) is simply not: the download then checks the upload again. */
void import_bad_rows_keep(struct store *st, int64_t user_id, const char *hash,
			  const struct import_bad_files *b)
{
	for (int xlsx = 0; xlsx < 2; xlsx++) {
		struct buf data = BUF_INIT;
		if (buf_read_file(&data, xlsx ? b->xlsx : b->csv) < 0 || data.len == 0 ||
		    data.len > IMPORT_BAD_ROWS_KEPT_MAX) {
			buf_free(&data);
			continue;
		}
		size_t len = sodium_base64_ENCODED_LEN(data.len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = xmalloc(len);
		sodium_bin2base64(b64, len, (const unsigned char *)data.data, data.len,
				  sodium_base64_VARIANT_ORIGINAL);
		char key[HASH_TEXT + 8];
		bad_key(hash, xlsx, key);
		struct err e;
		/* A job run again after its server stopped finds its first copy. */
		store_run(st, &e, "DELETE FROM import_uploads WHERE token_hash = ?", "t", key);
		store_run(st, &e,
			  "INSERT INTO import_uploads (token_hash, user_id, created_at, meta, data)"
			  " VALUES (?, ?, ?, ?, ?)",
			  "tiitt", key, user_id, (int64_t)time(NULL),
			  xlsx ? "{\"bad_rows\":\"xlsx\"}" : "{\"bad_rows\":\"csv\"}", b64);
		free(b64);
		buf_free(&data);
	}
}

/* The kept bad rows (xlsx or CSV) of the upload of hash, for user_id, into
 * out: 1, 0 when there are none, < 0 on error. */
int import_bad_rows_load(struct store *st, int64_t user_id, const char *hash, int xlsx,
			 struct buf *out, struct err *e)
{
	char key[HASH_TEXT + 8];
	bad_key(hash, xlsx, key);
	struct stmt *s = store_prepare(st,
				       "SELECT data FROM import_uploads WHERE token_hash = ?"
				       " AND user_id = ? AND created_at >= ?",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "tii", key, user_id, (int64_t)time(NULL) - IMPORT_KEEP_SECONDS);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		const char *b64 = stmt_text(s, 0);
		size_t len = b64 ? strlen(b64) : 0, n = 0;
		unsigned char *bin = xmalloc(len / 4 * 3 + 3);
		if (b64 && sodium_base642bin(bin, len / 4 * 3 + 3, b64, len, NULL, &n, NULL,
					     sodium_base64_VARIANT_ORIGINAL) == 0)
			buf_append(out, bin, n);
		else
			rc = 0; /* unreadable: made again */
		free(bin);
	}
	stmt_done(s);
	return rc;
}

/* The upload stored under hash, only for the account user_id that sent it
 * and for a day: 1 and *k filled, 0 when there is none, < 0 on error. */
int import_upload_load(struct store *st, int64_t user_id, const char *hash, struct import_kept *k,
			    struct err *e)
{
	memset(k, 0, sizeof *k);
	struct stmt *s = store_prepare(st,
				       "SELECT meta, data FROM import_uploads WHERE token_hash = ?"
				       " AND user_id = ? AND created_at >= ?",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "tii", hash, user_id, (int64_t)time(NULL) - IMPORT_KEEP_SECONDS);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		const char *meta = stmt_text(s, 0), *b64 = stmt_text(s, 1);
		size_t len = b64 ? strlen(b64) : 0, n = 0;
		unsigned char *bin = xmalloc(len / 4 * 3 + 3);
		k->meta = meta ? json_loads(meta, 0, NULL) : NULL;
		if (!k->meta || !b64 ||
		    sodium_base642bin(bin, len / 4 * 3 + 3, b64, len, NULL, &n, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0)
			rc = err_set(e, ERR_IO, "file", "Không đọc được tệp tải lên / cannot read the upload");
		else if (import_kept_file(k, bin, n, e) < 0)
			rc = ERR_IO;
		free(bin);
	}
	stmt_done(s);
	if (rc != 1)
		import_kept_free(k);
	return rc;
}

int import_left(struct store *st, int64_t user_id, int64_t *n, struct err *e)
{
	/* Uploads, not the bad rows kept beside them (meta {"bad_rows":…}); a
	 * commit deletes its upload. */
	*n = 0;
	return store_int(st, e, n,
			 "SELECT COUNT(*) FROM import_uploads WHERE user_id = ? AND created_at >= ?"
			 " AND meta NOT LIKE '{\"bad_rows\"%'",
			 "ii", user_id, (int64_t)time(NULL) - IMPORT_KEEP_SECONDS);
}

int import_upload_exists(struct store *st, int64_t user_id, const char *hash, struct err *e)
{
	int64_t n = 0;
	int rc = store_int(st, e, &n,
			   "SELECT COUNT(*) FROM import_uploads WHERE token_hash = ? AND user_id = ?"
			   " AND created_at >= ?",
			   "tii", hash, user_id, (int64_t)time(NULL) - IMPORT_KEEP_SECONDS);
	return rc < 0 ? rc : n > 0;
}

int import_upload_save(struct store *st, int64_t user_id, const char *hash, const char *meta,
		       const void *data, size_t size, struct err *e)
{
	int64_t now = (int64_t)time(NULL);
	int rc = store_run(st, e, "DELETE FROM import_uploads WHERE created_at < ?", "i",
			   now - IMPORT_KEEP_SECONDS);
	if (rc < 0)
		return rc;
	size_t len = sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(len);
	sodium_bin2base64(b64, len, data, size, sodium_base64_VARIANT_ORIGINAL);
	rc = store_run(st, e,
		       "INSERT INTO import_uploads (token_hash, user_id, created_at, meta, data)"
		       " VALUES (?, ?, ?, ?, ?)",
		       "tiitt", hash, user_id, now, meta, b64);
	free(b64);
	return rc < 0 ? rc : 0;
}
