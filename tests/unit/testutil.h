/* testutil.h - helpers shared by the cmocka unit tests. */
#ifndef KC_TESTUTIL_H
#define KC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

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

#endif
