/* pgtest.c - throwaway databases for the C tests under tests/pg. */
#include "pgtest.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void pgtest_admin(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("KC_TEST_PG"));
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

int pgtest_create(const char *prefix, char *name, size_t nlen, char *url, size_t ulen)
{
	const char *base = getenv("KC_TEST_PG");
	if (!base || !*base || !strstr(base, "://")) {
		fprintf(stderr, "KC_TEST_PG is not set (scripts/pg-test)\n");
		return -1;
	}
	snprintf(name, nlen, "%s_%d", prefix, (int)getpid());
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	pgtest_admin(sql);
	/* The same URL with this database instead of the maintenance one. */
	const char *q = strchr(base, '?');
	const char *slash = strchr(strstr(base, "://") + 3, '/');
	if (!slash)
		slash = q ? q : base + strlen(base);
	snprintf(url, ulen, "%.*s/%s%s", (int)(slash - base), base, name, q ? q : "");
	return 0;
}

void pgtest_drop(const char *name)
{
	char sql[128];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	pgtest_admin(sql);
}

void pgtest_sqlite_path(const char *prefix, char *path, size_t n)
{
	const char *tmp = getenv("KC_TEST_TMP");
	snprintf(path, n, "%s/%s-%d.db", tmp && *tmp ? tmp : "/tmp", prefix, (int)getpid());
	unlink(path);
}
