/* driver.h - what a database driver provides to store.c (private to store/). */
#ifndef KC_STORE_DRIVER_H
#define KC_STORE_DRIVER_H

#include "store/store.h"

#include <stdarg.h>

enum { STORE_BUCKETS = 256 };

struct store_driver {
	const char *dialect;
	const char *id_column; /* text that replaces {{ID}} in migrations */
	const char *begin_sql; /* starts a write transaction */
	const char *blob_type; /* text that replaces {{BLOB}} in migrations */
	const char *file_tag;  /* NNNN_name.TAG.sql migrations are this dialect's own */
	const char *lock_sql;  /* serialises migrations between processes (or NULL) */
	const char *unlock_sql;
	/* One row, one text column that changes whenever the data this
	 * connection sees may have changed (store_data_version). */
	const char *version_sql;
	int (*open)(struct store *st, const char *url, struct err *e);
	void (*close)(struct store *st);
	int (*exec)(struct store *st, const char *sql, struct err *e);
	/* A new statement for sql, owned by the caller (store.c's cache or a
	 * one-shot use); reuse makes a cached one ready again (reset, no
	 * bindings; PostgreSQL prepares it again on a new connection);
	 * finalize frees it (PostgreSQL: DEALLOCATE on the server when
	 * server is set, not when the connection is closing anyway). */
	struct stmt *(*prepare)(struct store *st, const char *sql, struct err *e);
	int (*reuse)(struct stmt *s, struct err *e);
	void (*finalize)(struct stmt *s, int server);
	void (*bind_int)(struct stmt *s, int pos, int64_t v);
	void (*bind_text)(struct stmt *s, int pos, const char *v);
	void (*bind_null)(struct stmt *s, int pos);
	void (*bind_blob)(struct stmt *s, int pos, const void *data, size_t n);
	int (*step)(struct stmt *s, struct err *e);
	int64_t (*col_int)(struct stmt *s, int col);
	const char *(*col_text)(struct stmt *s, int col);
	int (*col_isnull)(struct stmt *s, int col);
	const unsigned char *(*col_blob)(struct stmt *s, int col, size_t *n);
	int (*col_is_blob)(struct stmt *s, int col);
	int (*columns)(struct stmt *s);
	int (*params)(struct stmt *s); /* its placeholders: stmt_bind checks them */
	const char *(*column_name)(struct stmt *s, int col);
	void (*done)(struct stmt *s);
	int64_t (*last_id)(struct store *st);
	int64_t (*changes)(struct store *st);
	int (*backup)(struct store *st, const char *path, struct err *e);
	int (*check)(struct store *st, struct buf *report, struct err *e);
	/* Bulk loading (store_copy_begin); NULL where there is none. */
	int (*copy_begin)(struct store *st, const char *sql, struct err *e);
	int (*copy_put)(struct store *st, const char *data, size_t n, struct err *e);
	int (*copy_end)(struct store *st, int failed, struct err *e);
	const char *analyze_sql; /* store_analyze: "ANALYZE" (a table may follow), or NULL */
	/* store_read_begin / store_read_end: a read transaction outside any
	 * other (0 when started / ended), or NULL where there is none. */
	int (*read_begin)(struct store *st);
	int (*read_end)(struct store *st);
};

struct store {
	const struct store_driver *drv;
	void *impl;
	int depth;  /* transaction nesting */
	int failed; /* an inner rollback happened */
	int deadlocked; /* a statement of this transaction was a deadlock's victim */
	void *memo; /* store_set_memo: freed with memo_free by store_close */
	char *url;  /* what store_open was given: store_open_again */
	void (*memo_free)(void *);
	void *units; /* store_set_units: unit.c's rows by id during an import */
	/* The statement cache (store.c): constant SQL texts, hashed, in
	 * least-recently-used order, at most STORE_CACHE_MAX of them. */
	struct stmt *buckets[STORE_BUCKETS];
	struct stmt *newest, *oldest;
	int ncached;
	int64_t queries; /* statements run (a first stmt_step, a store_exec): store_queries */
	/* store_table_versions: the versions read while pinned ("name=N\n"
	 * lines), until unpinned or this connection writes. */
	int versions_pinned;
	char *versions;
	int read_once; /* store_read_once: and so its store_open_again */
	int reading;   /* store_read_begin's read transaction is open */
};

/* Every statement starts with this: its store and its place in the cache. */
struct stmt {
	struct store *st;
	char *sql;   /* the cache key; NULL for a one-shot statement */
	int held;    /* prepared and not yet done: never evicted */
	int looping; /* a row is out and the loop not finished (stmt_step) */
	int started; /* stepped since prepared */
	struct stmt *hnext, *newer, *older;
};

/* The files of migration v that the driver whose file_tag is tag runs, in
 * order, into out: the plain NNNN_what.sql (every dialect), then its own
 * NNNN_what.TAG.sql, which adds to the plain one (migrate.c). Returns how
 * many (0 when v has files for other dialects only, still a version to
 * record as name, "NNNN_what.sql"), or -1 when v has no file at all. */
struct embedded_file;
int migration_files(const char *tag, int v, const struct embedded_file *out[2], char *name,
		    size_t size);
/* The C step of migration v (migrate_steps.c), run after its files in the
 * same transaction: 0 when v has none or it succeeded. */
int migration_step(struct store *st, int v, struct err *e);

extern const struct store_driver sqlite_driver;
extern const struct store_driver pg_driver;

#endif
