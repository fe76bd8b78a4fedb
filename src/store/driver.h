/* driver.h - what a database driver provides to store.c (private to store/). */
#ifndef KC_STORE_DRIVER_H
#define KC_STORE_DRIVER_H

#include "store/store.h"

#include <stdarg.h>

struct store_driver {
	const char *dialect;
	const char *id_column; /* text that replaces {{ID}} in migrations */
	const char *begin_sql; /* starts a write transaction */
	const char *file_tag;  /* NNNN_name.TAG.sql migrations are this dialect's own */
	const char *lock_sql;  /* serialises migrations between processes (or NULL) */
	const char *unlock_sql;
	/* One row, one text column that changes whenever the data this
	 * connection sees may have changed (store_data_version). */
	const char *version_sql;
	int (*open)(struct store *st, const char *url, struct err *e);
	void (*close)(struct store *st);
	int (*exec)(struct store *st, const char *sql, struct err *e);
	struct stmt *(*prepare)(struct store *st, const char *sql, struct err *e);
	void (*bind_int)(struct stmt *s, int pos, int64_t v);
	void (*bind_text)(struct stmt *s, int pos, const char *v);
	void (*bind_null)(struct stmt *s, int pos);
	int (*step)(struct stmt *s, struct err *e);
	int64_t (*col_int)(struct stmt *s, int col);
	const char *(*col_text)(struct stmt *s, int col);
	int (*col_isnull)(struct stmt *s, int col);
	int (*columns)(struct stmt *s);
	const char *(*column_name)(struct stmt *s, int col);
	void (*done)(struct stmt *s);
	int64_t (*last_id)(struct store *st);
	int64_t (*changes)(struct store *st);
	int (*backup)(struct store *st, const char *path, struct err *e);
	int (*check)(struct store *st, struct buf *report, struct err *e);
};

struct store {
	const struct store_driver *drv;
	void *impl;
	int depth;  /* transaction nesting */
	int failed; /* an inner rollback happened */
	void *memo; /* store_set_memo: freed with memo_free by store_close */
	char *url;  /* what store_open was given: store_open_again */
	void (*memo_free)(void *);
};

/* Every statement starts with a pointer back to its store. */
struct stmt {
	struct store *st;
};

extern const struct store_driver sqlite_driver;
extern const struct store_driver pg_driver;

#endif
