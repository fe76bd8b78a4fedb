/* import_upload.h - the uploads kept between an import's dry run and its
 * commit (table import_uploads, under the hash of a random token, a day at
 * most, only for the account that sent them), the bad rows a dry run keeps
 * beside them (rows of the same table under the hash with ".csv" or ".xlsx"
 * appended), and the private temporary files a request works on. Storage
 * only: running an upload is io/import_job.h, the pages web/page_import.c. */
#ifndef KC_IMPORT_UPLOAD_H
#define KC_IMPORT_UPLOAD_H

#include "core/buf.h"
#include "core/err.h"
#include "core/secret.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum {
	IMPORT_KEEP_SECONDS = 24 * 3600,
	IMPORT_BAD_ROWS_KEPT_MAX = 32 << 20, /* a bigger bad-rows file is made again on demand */
};

/* An upload loaded for one request: its description and its bytes in a
 * private temporary file (import_source_open takes a path), removed by
 * import_kept_free() before the request ends. */
struct import_kept {
	json_t *meta;
	char path[600];
};
void import_kept_free(struct import_kept *k);
/* Writes data into a new temporary file named in k->path. */
int import_kept_file(struct import_kept *k, const void *data, size_t n, struct err *e);
/* Creates a private (0600) empty file under $TMPDIR or /tmp; fd or -1. */
int import_temp_file(char *path, size_t n);

/* Two private temporary files for a dry run's bad rows (CSV, XLSX). */
struct import_bad_files {
	char csv[600], xlsx[600];
};
/* 0, or -1 with none left behind. */
int import_bad_files_make(struct import_bad_files *b);
void import_bad_files_free(struct import_bad_files *b);

/* Keeps the upload (meta: its description as JSON text) under hash for
 * user_id; deletes uploads older than a day first. */
int import_upload_save(struct store *st, int64_t user_id, const char *hash, const char *meta,
		       const void *data, size_t size, struct err *e);
/* The upload stored under hash, only for the account user_id that sent it
 * and for a day: 1 and *k filled, 0 when there is none, < 0 on error. */
int import_upload_load(struct store *st, int64_t user_id, const char *hash, struct import_kept *k,
		       struct err *e);
/* Whether user_id still has the upload of hash (without reading it): 1, 0, < 0. */
int import_upload_exists(struct store *st, int64_t user_id, const char *hash, struct err *e);
/* Deletes the upload stored under hash and its kept bad rows. */
void import_upload_drop(struct store *st, const char *hash);
/* Keeps the bad-rows files of a dry run of the upload stored under hash
 * for its owner user_id. A file that cannot be kept (too big, a write that
 * fails) is simply not: the download then checks the upload again. */
void import_bad_rows_keep(struct store *st, int64_t user_id, const char *hash,
			  const struct import_bad_files *b);
/* The kept bad rows (xlsx or CSV) of the upload of hash, for user_id, into
 * out: 1, 0 when there are none, < 0 on error. */
int import_bad_rows_load(struct store *st, int64_t user_id, const char *hash, int xlsx,
			 struct buf *out, struct err *e);
/* The uploads user_id checked (a dry run) and has not imported yet, within
 * the day they are kept, into *n (not the bad rows kept beside them). */
int import_left(struct store *st, int64_t user_id, int64_t *n, struct err *e);

#endif
