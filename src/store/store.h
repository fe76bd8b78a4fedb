/* store.h - the only interface that speaks to a database. Drivers (sqlite.c,
 * pg.c) implement it; SQL uses '?' placeholders and portable types, and
 * migrations may use {{ID}} for the dialect's auto-increment primary key. */
#ifndef KC_STORE_H
#define KC_STORE_H

#include "core/buf.h"
#include "core/err.h"

#include <stddef.h>
#include <stdint.h>

struct store; /* one connection; use from one thread at a time */
struct stmt;  /* a prepared statement owned and cached by its store */

/* Opens the database named by url: a file path or "sqlite:PATH" (the SQLite
 * driver: WAL, foreign keys, synchronous=FULL, busy timeout; the file is
 * created when absent), or "postgresql://..." / "postgres://..." (pg.c, a
 * libpq connection URI; the database must exist). Returns 0 and *out (free
 * with store_close) or < 0. */
int store_open(const char *url, struct store **out, struct err *e);
/* Opens a second connection to the database st is connected to, for a read
 * that streams while st goes on serving other statements (a record cursor
 * of an export, record.h): on PostgreSQL one connection streams one result
 * at a time, and a nested statement would read the rest of it into memory. */
int store_open_again(struct store *st, struct store **out, struct err *e);
/* Closes st and finalises its cached statements. NULL is allowed. */
void store_close(struct store *st);
/* "sqlite" or "postgresql": for the rare code (migrations) that must know. */
const char *store_dialect(const struct store *st);
/* This connection reads each page once (a whole-table export, or an import,
 * which touches leaves of every index all over the file): on SQLite a small
 * page cache and no memory map, so that the process's memory stays flat
 * however large the table (a map would make every page of the file resident).
 * The map goes only where none is made yet: on the connections opened again
 * from st (the record cursor reads on one of its own), and on st if it has
 * read nothing. Nothing on PostgreSQL. */
int store_read_once(struct store *st, struct err *e);

/* Runs SQL text that takes no parameters (may hold several statements). */
int store_exec(struct store *st, const char *sql, struct err *e);

/* Two kinds of prepare, as in Fossil. store_prepare is for constant SQL text
 * (a literal, or text built once per process such as record_sql.c's): it
 * returns the cached prepared statement for sql (prepared on first use),
 * reset and with no bindings; NULL with e filled on a syntax or schema
 * error. The cache keeps the STORE_CACHE_MAX statements used last (one
 * no longer used is finalized, on PostgreSQL deallocated). Preparing it
 * again while a loop over its rows is open (a nested use, which would
 * reset the outer loop) is an error (ERR_STORE), never a silent reset.
 * store_prepare_once is for text built from the request (a list's filters,
 * a number of ids): a statement of its own, freed by stmt_done. Both
 * belong to st: call stmt_done() when finished with them. */
enum { STORE_CACHE_MAX = 200 };
struct stmt *store_prepare(struct store *st, const char *sql, struct err *e);
struct stmt *store_prepare_once(struct store *st, const char *sql, struct err *e);
/* The number of statements in st's cache, and of statements run on st
 * since it opened (each execution, however many rows): for tests. */
int store_cached(const struct store *st);
int64_t store_queries(const struct store *st);
/* Binds parameters from position 1 by a type string: 'i' int64_t,
 * 't' const char * (NULL binds NULL), 'n' NULL (no argument). At most one
 * type a placeholder (test builds assert it); the rest may be bound after. */
void stmt_bind(struct stmt *s, const char *types, ...);
void stmt_bind_int(struct stmt *s, int pos, int64_t v);
void stmt_bind_text(struct stmt *s, int pos, const char *v);
void stmt_bind_null(struct stmt *s, int pos);
/* Binds n bytes as a binary value (SQLite BLOB, PostgreSQL bytea). */
void stmt_bind_blob(struct stmt *s, int pos, const void *data, size_t n);
/* Steps: 1 when a row is ready, 0 when done, < 0 on error (e filled;
 * a constraint violation is ERR_CONFLICT). */
int stmt_step(struct stmt *s, struct err *e);
/* Column values of the current row (0-based). Text belongs to the statement
 * and is valid until the next step; NULL text is returned as NULL. */
int64_t stmt_int(struct stmt *s, int col);
const char *stmt_text(struct stmt *s, int col);
int stmt_isnull(struct stmt *s, int col);
/* A binary column's bytes and their number in *n (NULL and 0 for NULL);
 * valid until the next step or stmt_blob call on s. */
const unsigned char *stmt_blob(struct stmt *s, int col, size_t *n);
/* Is the current row's value in col binary (a BLOB, a bytea)? */
int stmt_is_blob(struct stmt *s, int col);
int stmt_columns(struct stmt *s);
const char *stmt_column_name(struct stmt *s, int col);
/* Resets s for reuse and clears its bindings. */
void stmt_done(struct stmt *s);

/* Prepare, bind by types, step once, done: for writes and single-row reads
 * that need no columns. Returns 1 (row), 0 (no row) or < 0. */
int store_run(struct store *st, struct err *e, const char *sql, const char *types, ...);
/* Returns the first column of the first row as an integer in *out (0 and
 * *out untouched when there is no row; 1 when found). */
int store_int(struct store *st, struct err *e, int64_t *out, const char *sql, const char *types,
              ...);
/* The id generated by the last INSERT on this connection. */
int64_t store_last_id(struct store *st);
/* Rows changed by the last statement. */
int64_t store_changes(struct store *st);

/* A text that changes whenever the data this connection sees may have
 * changed since the last call: a commit by any other connection or process,
 * or a write on this one. Equal texts mean nothing visible changed, so a
 * result computed under one can be reused. SQLite: data_version and this
 * connection's total changes; PostgreSQL: the current snapshot (xmin, xmax
 * and the transactions in progress), which any commit changes. Inside a
 * transaction *out is "" (never equal to anything worth reusing). */
int store_data_version(struct store *st, char *out, size_t n, struct err *e);

/* Appends to out (size n) the versions of the tables named (a NULL-ended
 * list) that this connection sees: a text equal to an earlier one only when
 * none of those tables changed since (table_versions, migration 0029:
 * bumped by triggers in each writing transaction, whoever writes). "" when
 * inside a transaction or when a table has no version (never reused).
 * Pinned (below), the versions are read once and kept until unpinned or
 * until this connection writes: one read serves a whole request. */
int store_table_versions(struct store *st, const char *const *tables, char *out, size_t n,
			 struct err *e);
/* Pins (on) or unpins (0) the table versions read: the web server pins them
 * for each request, so that its statistics cost one read between them. */
void store_pin_versions(struct store *st, int on);

/* One cache that lives as long as the connection (the statistics keep
 * their recent results there, stats.c): store_close calls free_fn on it. */
void *store_memo(struct store *st);
void store_set_memo(struct store *st, void *memo, void (*free_fn)(void *));
/* A slot for unit.c's units remembered by id while an import runs
 * (unit_memo_on/off); NULL otherwise. Owned and freed by unit.c. */
void *store_units(struct store *st);
void store_set_units(struct store *st, void *units);

/* Transactions; nesting is counted and only the outermost pair acts. A
 * rollback inside makes the outermost commit roll back and fail. */
int store_begin(struct store *st, struct err *e);
int store_commit(struct store *st, struct err *e);
/* Inside a transaction: waits until no other transaction holds key, and
 * holds it until this one ends, so that a read-then-write on key is atomic
 * on every backend (SQLite: the write transaction already is). 0 or < 0. */
int store_lock_key(struct store *st, const char *key, struct err *e);
void store_rollback(struct store *st);
/* 1 when st's last transaction, now ended, was rolled back because
 * PostgreSQL chose it as the victim of a deadlock (SQLSTATE 40P01: two
 * transactions each waiting for a row the other holds, e.g. the
 * pre-aggregates' sum rows taken in opposite orders): the caller may run it
 * again, whole. 0 inside a transaction and on SQLite (one writer at a time). */
int store_deadlocked(const struct store *st);

/* One snapshot for a read-only request's statements. On SQLite each
 * statement outside a transaction starts and ends a read transaction of its
 * own (file locks taken and released: a fifth of a record page's time);
 * between store_read_begin and store_read_end they share one (a deferred
 * BEGIN ... COMMIT). Anything that may write ends it first: store_begin, and
 * a statement that is not a SELECT (which then commits on its own, as
 * before); the statements after it run on their own again. Inside a
 * transaction, or on PostgreSQL (where a BEGIN is one more round trip), it
 * does nothing. Cannot fail: a read transaction that does not start leaves
 * each statement to start its own. store_reading says whether one is open
 * (for tests). */
void store_read_begin(struct store *st);
void store_read_end(struct store *st);
int store_reading(const struct store *st);

/* Writes a consistent copy of the database to path (safe while others write). */
int store_backup(struct store *st, const char *path, struct err *e);
/* Runs the driver's integrity check; findings are appended to report.
 * Returns 0 when healthy, ERR_STORE when damaged. */
int store_check(struct store *st, struct buf *report, struct err *e);

/* Bulk loading (khuyencong migrate): many rows into one table without a
 * round trip per row. store_copy_begin starts "COPY table (cols) FROM STDIN
 * WITH (FREEZE)" (table and cols quoted by the caller; the table must have
 * been emptied by TRUNCATE in the same transaction, so its rows arrive
 * frozen and its pages all-visible) in PostgreSQL's text format: one
 * line a row, values separated by a tab, NULL written \N, and a backslash,
 * tab, newline or carriage return inside a value written \\, \t, \n, \r
 * (bytea as "\\x" and hex); store_copy_put sends rows so written, in
 * pieces of any size; store_copy_end finishes the copy (abandons it when
 * failed is set) and reports the server's verdict on the rows. A driver
 * without a bulk path (SQLite: an INSERT is no round trip there) answers
 * store_can_copy 0 and ERR_STORE. Inside a transaction of st only. */
int store_can_copy(const struct store *st);
int store_copy_begin(struct store *st, const char *table, const char *cols, struct err *e);
int store_copy_put(struct store *st, const char *data, size_t n, struct err *e);
int store_copy_end(struct store *st, int failed, struct err *e);
/* Refreshes the planner's statistics of table (NULL: of every table) after a
 * large write, so that the next queries are planned for the rows now there
 * rather than for an empty table (PostgreSQL's ANALYZE; autovacuum would do
 * it only minutes later). Nothing on SQLite, whose plans here need none. */
int store_analyze(struct store *st, const char *table, struct err *e);

/* Migrations (migrate.c). Applies the numbered migrations compiled into the
 * binary that st lacks, each in its own transaction, and records them in
 * schema_version. A database newer than this binary is refused (ERR_CONFLICT). */
int store_migrate(struct store *st, struct err *e);
/* The same, only up to version upto: a database as an older release left it
 * (tests of a migration's conversion of existing rows). */
int store_migrate_to(struct store *st, int upto, struct err *e);
/* The highest migration applied to st (0 for an empty database), and the
 * highest this binary knows. */
int store_schema_version(struct store *st, struct err *e);
int store_schema_latest(void);

#endif
