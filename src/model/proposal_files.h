/* proposal_files.h - the files sent with a proposal (quotations, licences),
 * by either side, kept in the database. The type is read from the content
 * (PDF, JPEG, PNG, WebP), never from the name; the name is only text. */
#ifndef KC_PROPOSAL_FILES_H
#define KC_PROPOSAL_FILES_H

#include "model/entity.h"

enum {
	PROPOSAL_FILE_MAX_BYTES = 5 * 1024 * 1024, /* one file */
	PROPOSAL_FILES_MAX = 20,		   /* files of one proposal */
};

/* The media type of a file by its first bytes: "application/pdf",
 * "image/jpeg", "image/png", "image/webp"; NULL for anything else. */
const char *proposal_file_sniff(const unsigned char *data, size_t n);

/* Adds file name (n bytes of data) to proposal id for a (who can read the
 * proposal; viewers cannot write), notes it in the exchange and notifies
 * the other side, audited, in one transaction; sets *file_id. ERR_TOOBIG
 * over PROPOSAL_FILE_MAX_BYTES or PROPOSAL_FILES_MAX, ERR_INVALID (field
 * "file") for a type not accepted. */
int proposal_file_add(struct store *st, const struct actor *a, int64_t id, const char *name,
		      const unsigned char *data, size_t n, int64_t *file_id, struct err *e);

/* A file of an export (`import --all`, export_photos.c) put back as it was,
 * with its side ("establishment" or "department"), sender and time; checked
 * like proposal_file_add, audited, not noted again in the exchange; in the
 * caller's transaction. Administrators only. */
int proposal_file_restore(struct store *st, const struct actor *a, int64_t id, const char *name,
			  const char *side, const char *created_at, const char *username,
			  const unsigned char *data, size_t n, int64_t *file_id, struct err *e);

/* The files of proposal id, oldest first: a JSON array of {"id", "name",
 * "content_type", "bytes", "created_at", "username", "side"}. */
int proposal_files(struct store *st, const struct actor *a, int64_t id, json_t **out,
		   struct err *e);

struct proposal_file {
	char name[256];
	char content_type[32];
	unsigned char *data; /* malloc'd; free() it */
	size_t size;
};
/* File file_id of proposal id, as a may read the proposal. ERR_NOTFOUND
 * when it is not a file of that proposal. */
int proposal_file_get(struct store *st, const struct actor *a, int64_t id, int64_t file_id,
		      struct proposal_file *out, struct err *e);

#endif
