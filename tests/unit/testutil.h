/* testutil.h - helpers shared by the cmocka unit tests. */
#ifndef KC_TESTUTIL_H
#define KC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Returns a fresh path under $KC_TEST_TMP (or /tmp) for a test database;
 * removes any file (and -wal/-shm) left there. Caller frees. */
char *test_tmp_path(const char *name);

#endif
