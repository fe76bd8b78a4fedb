/* pgtest.h - throwaway databases for the C tests under tests/pg, in the
 * cluster whose maintenance database KC_TEST_PG names (scripts/pg-test). */
#ifndef KC_PGTEST_H
#define KC_PGTEST_H

#include <stddef.h>

/* Runs one command on KC_TEST_PG's database; prints its error, if any. */
void pgtest_admin(const char *sql);

/* Creates the database "<prefix>_<pid>": its name goes to name, its URL to
 * url. -1 with a message on stderr when KC_TEST_PG is unset. */
int pgtest_create(const char *prefix, char *name, size_t nlen, char *url, size_t ulen);

/* Drops a database made by pgtest_create, whoever is still connected. */
void pgtest_drop(const char *name);

/* "<KC_TEST_TMP or /tmp>/<prefix>-<pid>.db", removed if it exists. */
void pgtest_sqlite_path(const char *prefix, char *path, size_t n);

#endif
