/* testutil.c - helpers shared by the unit tests. */
#include "testutil.h"

#include "core/buf.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

char *test_tmp_path(const char *name)
{
	const char *dir = getenv("KC_TEST_TMP");
	if (!dir || !*dir)
		dir = "/tmp";
	mkdir(dir, 0700);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s-%d", dir, name, (int)getpid());
	const char *p = buf_cstr(&b);
	unlink(p);
	struct buf x = BUF_INIT;
	buf_printf(&x, "%s-wal", p);
	unlink(buf_cstr(&x));
	buf_reset(&x);
	buf_printf(&x, "%s-shm", p);
	unlink(buf_cstr(&x));
	buf_free(&x);
	return buf_detach(&b);
}

struct store *test_store_new(const char *name, char **path)
{
	char *p = test_tmp_path(name);
	struct store *st = NULL;
	struct err e;
	err_clear(&e);
	int rc = store_open(p, &st, &e);
	if (rc == 0)
		rc = store_migrate(st, &e);
	if (rc != 0) {
		fprintf(stderr, "test_store_new(%s): %s\n", p, e.message);
		store_close(st);
		free(p);
		fail_msg("cannot open and migrate a test database");
	}
	if (path)
		*path = p;
	else
		free(p);
	return st;
}

int64_t test_count(struct store *st, const char *sql)
{
	struct err e;
	err_clear(&e);
	int64_t v = -1;
	int rc = store_int(st, &e, &v, sql, "");
	if (rc != 1)
		fail_msg("query failed or gave no row: %s: %s", sql, e.message);
	return v;
}
