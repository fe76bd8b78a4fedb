/* attachment.h - files attached to a record or a periodic report: a
 * project's decisions, contracts and minutes, a plan's approval, an
 * establishment's papers, a submission's signed letter (docs/records.md).
 * Kept as binary in the database (SQLite BLOB, PostgreSQL bytea). The type
 * is read from the content, never from the name: PDF, PNG, JPEG, and office
 * documents (ODF, OOXML) checked as a zip with the entries their format
 * requires, within a bounded uncompressed size. Reading and attaching
 * follow the parent's scope and rules; every attachment is audited. */
#ifndef KC_ATTACHMENT_H
#define KC_ATTACHMENT_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

enum {
	ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024, /* one file, as sent */
	ATTACHMENT_ZIP_MAX = 64 * 1024 * 1024,	/* an office document, unpacked */
	ATTACHMENT_ZIP_ENTRIES = 10000,		/* entries of one */
	ATTACHMENTS_MAX = 50,			/* files of one parent */
};

/* The collections files attach to: "projects", "plans", "establishments"
 * (records) and "submissions" (periodic reports). */
int attachment_parent_known(const char *parent);

/* The media type of n bytes read from their content into *type (a static
 * string), or ERR_INVALID naming "file": not a PDF, PNG, JPEG, ODF or
 * OOXML document, a damaged zip, or one that unpacks to more than
 * ATTACHMENT_ZIP_MAX bytes or ATTACHMENT_ZIP_ENTRIES entries. */
int attachment_sniff(const unsigned char *data, size_t n, const char **type, struct err *e);
/* Only the office formats (zip based): the same contract as above, for
 * data that starts as a zip. */
int attachment_sniff_zip(const unsigned char *data, size_t n, const char **type, struct err *e);

/* The name as sent, without any folder, NFC, at most 200 bytes (whole
 * characters); "tep" when nothing is left. Only ever text. */
void attachment_clean_name(const char *sent, char out[256]);

/* Attaches file name (n bytes) to parent/parent_id for a, who must be
 * allowed to change the parent (a record: its role, scope and the lock of
 * accepted periods; a submission: its province's officers while it is a
 * draft or returned), audited as the parent's, in one transaction; sets
 * *id. ERR_TOOBIG (field "file") over ATTACHMENT_MAX_BYTES or
 * ATTACHMENTS_MAX; ERR_INVALID (field "file") for content not accepted. */
int attachment_add(struct store *st, const struct actor *a, const char *parent, int64_t parent_id,
		   const char *name, const unsigned char *data, size_t n, int64_t *id,
		   struct err *e);

/* For a rebuild from `export --all` by an administrator, inside its
 * transaction: adds a file as it was (its name, who sent it and when),
 * checking its content and size again, audited as a's. */
int attachment_restore(struct store *st, const struct actor *a, const char *parent,
		       int64_t parent_id, const char *name, const char *created_at,
		       const char *username, const unsigned char *data, size_t n, int64_t *id,
		       struct err *e);

/* The files of parent/parent_id a may read, oldest first: a JSON array of
 * {"id", "name", "content_type", "bytes", "sha256", "created_at",
 * "username"}. */
int attachment_list(struct store *st, const struct actor *a, const char *parent, int64_t parent_id,
		    json_t **out, struct err *e);
/* attachment_list for a parent the caller has just read as a (record_get,
 * submission_get: its scope checked), without reading it again. */
int attachment_files(struct store *st, const char *parent, int64_t parent_id, json_t **out,
		     struct err *e);

struct attachment {
	char name[256];
	char content_type[80];
	unsigned char *data; /* malloc'd; free() it */
	size_t size;
};
/* File id of parent/parent_id, as a may read the parent. ERR_NOTFOUND when
 * it is not a file of that parent. */
int attachment_get(struct store *st, const struct actor *a, const char *parent, int64_t parent_id,
		   int64_t id, struct attachment *out, struct err *e);

/* Stores a file the system made itself (the PDF and Excel of a sending:
 * stats/submission_files.c) under parent/parent_id, inside the caller's
 * transaction, audited as a's; no check of role or content. Only ever
 * inserted, like any attachment. */
int attachment_put(struct store *st, const struct actor *a, const char *parent, int64_t parent_id,
		   const char *name, const char *type, const unsigned char *data, size_t n,
		   int64_t *id, struct err *e);

/* Removes file id of parent/parent_id for a, who must be allowed to attach
 * to the parent (its role and scope, the lock of accepted periods; a
 * submission only while a draft or returned: ERR_CONFLICT once sent). The
 * file is kept, marked removed (when, by whom), and no longer listed or
 * served; the audit row ("detach") names it. ERR_NOTFOUND naming
 * "attachment" when it is not a file of that parent. */
int attachment_remove(struct store *st, const struct actor *a, const char *parent,
		      int64_t parent_id, int64_t id, struct err *e);

/* The name a file is downloaded under: the name it was sent with, its
 * checked type's extension added unless it already ends with it. */
void attachment_download_name(const char *name, const char *type, char out[272]);

/* The file name extension of a type this module accepts (".pdf", ...). */
const char *attachment_ext(const char *type);

#endif
