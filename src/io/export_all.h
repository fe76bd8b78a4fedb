/* export_all.h - records out in the form import reads back unchanged: one
 * collection as CSV or XLSX (header = API field names, "id" first, values
 * canonical: ISO dates, integers, codes, units as era:code), or every
 * collection into a directory with a manifest, from which `import --all`
 * rebuilds a new database. Records are read one by one: memory does not
 * grow with the table. */
#ifndef KC_EXPORT_ALL_H
#define KC_EXPORT_ALL_H

#include "io/import.h"

#include <stdio.h>

enum { EXPORT_FORMAT_VERSION = 1 };

/* Writes every record of ent that a may read, in id order, as CSV (UTF-8
 * with BOM, RFC 4180) to f; *rows counts them (may be NULL). */
int export_csv(struct store *st, const struct actor *a, const struct entity *ent, FILE *f,
	       int64_t *rows, struct err *e);
/* The same as an XLSX workbook at path (one sheet; numbers as numbers). */
int export_xlsx(struct store *st, const struct actor *a, const struct entity *ent, const char *path,
		int64_t *rows, struct err *e);
/* Writes every collection as DIR/<collection>.csv and DIR/manifest.json
 * (format version, schema version, collections in dependency order with
 * their row counts and SHA-256). dir is created when absent and must hold
 * no manifest yet. */
int export_all(struct store *st, const struct actor *a, const char *dir, struct err *e);
/* Attached files (export_attach.c): writes each file of a record into dir
 * and appends its description to list; puts them back after a rebuild's
 * records, their parents' ids mapped through map, each checked against its
 * SHA-256 and by content. */
int export_attachments(struct store *st, const char *dir, json_t *list, struct err *e);
int import_attachments(struct store *st, const struct actor *a, const char *dir, json_t *list,
		       struct import_idmap *map, struct err *e);
/* The same for product photos and the files of proposals (export_photos.c),
 * described in two lists of the manifest. */
int export_photos(struct store *st, const char *dir, json_t *photos, json_t *files, struct err *e);
int import_photos(struct store *st, const struct actor *a, const char *dir, json_t *photos,
		  json_t *files, struct import_idmap *map, struct err *e);
/* dir/name written with n bytes of data; dir/file read into data and
 * checked against its SHA-256 want (hex) from the manifest. */
int export_write_file(const char *dir, const char *name, const unsigned char *data, size_t n,
		      struct err *e);
int export_read_file(const char *dir, const char *file, const char *want, struct buf *data,
		     struct err *e);

/* The collections in an order where every record comes after those it
 * refers to. Returns their count; order holds pointers into entities[]. */
int export_order(const struct entity **order, int max);

/* Called after each collection of a rebuild (for the command line's output). */
typedef void (*import_all_cb)(void *ctx, const char *collection, const struct import_report *rep);

/* Rebuilds from an export directory: checks the manifest (format, schema
 * version, every file's SHA-256 and row count) and imports the collections
 * in order in one transaction, mapping the export's ids to new ones and
 * setting read-only fields (statuses). Stops at the first collection with a
 * problem (its report goes to each) and writes nothing then; a dry run
 * checks everything and writes nothing. */
int import_all(struct store *st, const struct actor *a, const char *dir, int dry_run,
	       import_all_cb each, void *ctx, struct err *e);

#endif
