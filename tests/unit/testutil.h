/* testutil.h - helpers shared by the cmocka unit tests. */
#ifndef KC_TESTUTIL_H
#define KC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/actor.h"

#include <jansson.h>

struct store;

/* Returns a fresh path under $KC_TEST_TMP (or /tmp) for a test database;
 * removes any file (and -wal/-shm) left there. Caller frees. */
char *test_tmp_path(const char *name);

/* Opens a fresh database at test_tmp_path(name) and migrates it; fails the
 * test on error. Sets *path (caller frees) when path is not NULL. Close the
 * store with store_close(). */
struct store *test_store_new(const char *name, char **path);

/* The integer answer of a one-value query with no parameters; fails the
 * test when the query fails or returns no row. */
int64_t test_count(struct store *st, const char *sql);

/* Opens a fresh migrated database at test_tmp_path(name) with the reference
 * data loaded (administrative units and VSIC codes). Returns NULL after
 * printing the error when that fails (for group setups, which cannot use
 * fail_msg). Sets *path (caller frees) when path is not NULL. */
struct store *test_store_reference(const char *name, char **path);

/* Group setup of a suite that shares one database: opens it with
 * test_store_reference(name, path), makes *admin the command-line actor
 * (actor_cli) and sets *state to the store. Returns 0, or -1 when the
 * database cannot be made. Undo with test_group_close(state, *path). */
int test_group_reference(void **state, const char *name, char **path, struct actor *admin);

/* Group teardown: closes the store in *state, removes the database file at
 * path and frees path. Returns 0. */
int test_group_close(void **state, char *path);

/* Copies the database at path from (closed: no store may have it open) to
 * path to, replacing what was there; returns 0 or -1 after printing why. On
 * SQLite the file is copied; the PostgreSQL unit suites (tests/pg/pg_wrap.c)
 * make the database of to from that of from as a template, so a test that
 * builds a fixture once and copies it per test runs on both backends. */
int test_db_copy(const char *from, const char *to);

/* The dialect the tests' databases have ("sqlite", or "postgresql" in the
 * unit-pg suites): the few SQLite-only tests skip() on the other. */
const char *test_dialect(void);

/* An actor of role r in province (NULL for none) with establishment est (0
 * for none), user id 1000, address 127.0.0.1. */
struct actor test_actor(enum role r, const char *province, int64_t est);

/* Parses JSON text (caller decrefs); fails the test when it is invalid. */
json_t *test_json_parse(const char *text);
/* Creates a record of collection coll from in (consumed) as a and returns its
 * id (> 0); fails the test when the engine refuses it. */
int64_t test_create_ok(struct store *st, const struct actor *a, const char *coll, json_t *in);
/* Asserts that creating in (consumed) fails with code naming field. */
void test_create_fails(struct store *st, const struct actor *a, const char *coll, json_t *in,
                       int code, const char *field);
/* Record id of coll as a reads it (caller decrefs); fails the test otherwise. */
json_t *test_get_ok(struct store *st, const struct actor *a, const char *coll, int64_t id);

#endif
