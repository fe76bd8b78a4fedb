/* pg_wrap.c - runs the unit tests on PostgreSQL unchanged: linked with
 * -Wl,--wrap=store_open, it turns every SQLite file a test opens into a fresh
 * PostgreSQL database of the cluster named by KC_TEST_PG (scripts/pg-test).
 * The same path opened again is the same database; all of them are dropped
 * when the test process exits. Without KC_TEST_PG it changes nothing. It also
 * wraps test_db_copy() (tests/unit/testutil.c), the tests' way of copying a
 * fixture database: the copy is made with CREATE DATABASE ... TEMPLATE.
 *
 * Two test files use SQLite functions in their own SQL (not the model's):
 * test_record.c counts columns with pragma_table_info() and test_session.c
 * writes strftime('%s', 'now'). Each database gets small stand-ins for those
 * two, here, so the tests run unchanged; the product's schema has none. */
#include "store/store.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int __real_store_open(const char *url, struct store **out, struct err *e);
int __wrap_store_open(const char *url, struct store **out, struct err *e);
int __real_test_db_copy(const char *from, const char *to);
int __wrap_test_db_copy(const char *from, const char *to);

#define MAX_DBS 256

static struct {
	char *path;
	char name[64];
	int made; /* the database exists */
} dbs[MAX_DBS];
static int ndbs;

static const char shims[] =
	"CREATE FUNCTION pragma_table_info(t text) RETURNS TABLE (cid int, name text, type text,"
	" \"notnull\" int, dflt_value text, pk int) LANGUAGE sql STABLE AS $$"
	" SELECT a.attnum - 1, a.attname::text, format_type(a.atttypid, a.atttypmod),"
	" a.attnotnull::int, NULL::text, 0 FROM pg_attribute a WHERE a.attrelid = t::regclass"
	" AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum $$;"
	"CREATE FUNCTION strftime(fmt text, t text) RETURNS bigint LANGUAGE sql STABLE AS $$"
	" SELECT CASE WHEN fmt = '%s' AND t = 'now' THEN floor(extract(epoch FROM now()))::bigint END $$;";

static void db_url(const char *base, const char *name, char *out, size_t n);

/* Runs one statement on database name (NULL: the cluster's maintenance one). */
static int admin_sql_on(const char *name, const char *sql)
{
	char url[1024];
	if (name)
		db_url(getenv("KC_TEST_PG"), name, url, sizeof url);
	PGconn *c = PQconnectdb(name ? url : getenv("KC_TEST_PG"));
	int ok = PQstatus(c) == CONNECTION_OK;
	if (ok) {
		PGresult *r = PQexec(c, sql);
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			fprintf(stderr, "pg_wrap: %s: %s", sql, PQresultErrorMessage(r));
		PQclear(r);
	} else {
		fprintf(stderr, "pg_wrap: %s", PQerrorMessage(c));
	}
	PQfinish(c);
	return ok ? 0 : -1;
}

static int admin_sql(const char *sql)
{
	return admin_sql_on(NULL, sql);
}

static int create_db(const char *name)
{
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	return admin_sql(sql) < 0 ? -1 : admin_sql_on(name, shims);
}

static void drop_all(void)
{
	char sql[128];
	for (int i = 0; i < ndbs; i++) {
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbs[i].name);
		admin_sql(sql);
		free(dbs[i].path);
	}
	ndbs = 0;
}

/* The cluster URL with its database replaced by name. */
static void db_url(const char *base, const char *name, char *out, size_t n)
{
	const char *auth = strstr(base, "://");
	const char *slash = auth ? strchr(auth + 3, '/') : NULL;
	const char *query = strchr(base, '?');
	if (!slash || (query && query < slash))
		slash = query ? query : base + strlen(base);
	snprintf(out, n, "%.*s/%s%s", (int)(slash - base), base, name, query ? query : "");
}

/* The slot of path, a new one (named, its database not yet made) when the
 * path was never opened; -1 when there are too many. */
static int slot_of(const char *path)
{
	int i;
	for (i = 0; i < ndbs; i++)
		if (!strcmp(dbs[i].path, path))
			return i;
	if (ndbs == MAX_DBS)
		return -1;
	if (ndbs == 0)
		atexit(drop_all);
	snprintf(dbs[i].name, sizeof dbs[i].name, "u%d_%d", (int)getpid(), i);
	dbs[i].path = strdup(path);
	dbs[i].made = 0;
	ndbs++;
	return i;
}

/* The file stands for the database: tests that check it exists still can. */
static void touch(const char *path)
{
	FILE *f = fopen(path, "a");
	if (f)
		fclose(f);
}

int __wrap_store_open(const char *url, struct store **out, struct err *e)
{
	const char *pg = getenv("KC_TEST_PG");
	if (!pg || !*pg || strstr(url, "://"))
		return __real_store_open(url, out, e);
	const char *path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
	int i = slot_of(path);
	if (i < 0)
		return err_set(e, ERR_STORE, "db", "pg_wrap: too many databases");
	/* A test that removes its file and opens it again wants a new database:
	 * a path whose file is gone (the tests unlink before creating) is new. */
	if (!dbs[i].made || access(path, F_OK) != 0) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbs[i].name);
		if (dbs[i].made)
			admin_sql(sql);
		if (create_db(dbs[i].name) < 0)
			return err_set(e, ERR_STORE, "db", "pg_wrap: cannot create %s",
				       dbs[i].name);
		dbs[i].made = 1;
	}
	touch(path);
	char real[1024];
	db_url(pg, dbs[i].name, real, sizeof real);
	return __real_store_open(real, out, e);
}

/* The database of to becomes a copy of that of from (which no connection may
 * use: CREATE DATABASE copies a template only when nobody is connected). */
int __wrap_test_db_copy(const char *from, const char *to)
{
	const char *pg = getenv("KC_TEST_PG");
	if (!pg || !*pg)
		return __real_test_db_copy(from, to);
	int f = slot_of(from), t = slot_of(to);
	if (f < 0 || t < 0 || !dbs[f].made) {
		fprintf(stderr, "pg_wrap: test_db_copy: %s is not a test database\n", from);
		return -1;
	}
	char sql[200];
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbs[t].name);
	admin_sql(sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", dbs[t].name, dbs[f].name);
	if (admin_sql(sql) < 0)
		return -1;
	dbs[t].made = 1;
	touch(to);
	return 0;
}
