/* pg_wrap.c - runs the unit tests on PostgreSQL unchanged: linked with
 * -Wl,--wrap=store_open, it turns every SQLite file a test opens into a fresh
 * PostgreSQL database of the cluster named by KC_TEST_PG (scripts/pg-test).
 * The same path opened again is the same database; all of them are dropped
 * when the test process exits. Without KC_TEST_PG it changes nothing.
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

#define MAX_DBS 256

static struct {
	char *path;
	char name[64];
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

int __wrap_store_open(const char *url, struct store **out, struct err *e)
{
	const char *pg = getenv("KC_TEST_PG");
	if (!pg || !*pg || strstr(url, "://"))
		return __real_store_open(url, out, e);
	const char *path = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
	int i;
	for (i = 0; i < ndbs; i++)
		if (!strcmp(dbs[i].path, path))
			break;
	/* A test that removes its file and opens it again wants a new database:
	 * a path whose file is gone (the tests unlink before creating) is new. */
	if (i < ndbs && access(path, F_OK) != 0) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbs[i].name);
		admin_sql(sql);
		if (create_db(dbs[i].name) < 0)
			return err_set(e, ERR_STORE, "db", "pg_wrap: cannot create %s",
				       dbs[i].name);
	}
	if (i == ndbs) {
		if (ndbs == MAX_DBS)
			return err_set(e, ERR_STORE, "db", "pg_wrap: too many databases");
		if (ndbs == 0)
			atexit(drop_all);
		snprintf(dbs[i].name, sizeof dbs[i].name, "u%d_%d", (int)getpid(), i);
		if (create_db(dbs[i].name) < 0)
			return err_set(e, ERR_STORE, "db", "pg_wrap: cannot create %s",
				       dbs[i].name);
		dbs[i].path = strdup(path);
		ndbs++;
	}
	/* The file stands for the database: tests that check it exists still can. */
	FILE *f = fopen(path, "a");
	if (f)
		fclose(f);
	char real[1024];
	db_url(pg, dbs[i].name, real, sizeof real);
	return __real_store_open(real, out, e);
}
