/* testutil.c - helpers shared by the unit tests. */
#include "testutil.h"

#include "model/record.h"

#include "core/buf.h"
#include "model/industry.h"
#include "model/unit.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int test_db_copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
	char buf[65536];
	size_t n;
	int ok = in && out;
	while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
		ok = fwrite(buf, 1, n, out) == n;
	if (in && ferror(in))
		ok = 0;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "test_db_copy: cannot copy %s to %s\n", from, to);
	return ok ? 0 : -1;
}

const char *test_dialect(void)
{
	static char dialect[16];
	if (!dialect[0]) {
		char *p = test_tmp_path("dialect-probe");
		struct store *st = NULL;
		struct err e;
		err_clear(&e);
		if (store_open(p, &st, &e) < 0)
			fail_msg("cannot open a test database: %s", e.message);
		snprintf(dialect, sizeof dialect, "%s", store_dialect(st));
		store_close(st);
		unlink(p);
		free(p);
	}
	return dialect;
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

struct store *test_store_reference(const char *name, char **path)
{
	char *p = test_tmp_path(name);
	struct store *st = NULL;
	struct err e;
	err_clear(&e);
	int rc = store_open(p, &st, &e);
	if (rc == 0)
		rc = store_migrate(st, &e);
	if (rc == 0)
		rc = unit_load_all(st, NULL, &e);
	if (rc == 0)
		rc = industry_load_all(st, &e);
	if (rc != 0) {
		fprintf(stderr, "test_store_reference(%s): %s (%s)\n", p, e.message, e.field);
		store_close(st);
		free(p);
		return NULL;
	}
	if (path)
		*path = p;
	else
		free(p);
	return st;
}

int test_group_reference(void **state, const char *name, char **path, struct actor *admin)
{
	struct store *st = test_store_reference(name, path);
	if (!st)
		return -1;
	actor_cli(admin);
	*state = st;
	return 0;
}

int test_group_close(void **state, char *path)
{
	store_close(*state);
	unlink(path);
	free(path);
	return 0;
}

struct actor test_actor(enum role r, const char *province, int64_t est)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 1000;
	snprintf(a.username, sizeof a.username, "test-%s", role_name(r));
	a.role = r;
	snprintf(a.province, sizeof a.province, "%s", province ? province : "");
	a.establishment_id = est;
	snprintf(a.addr, sizeof a.addr, "127.0.0.1");
	snprintf(a.lang, sizeof a.lang, "vi");
	return a;
}

json_t *test_json_parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("bad JSON in the test: %s: %s", je.text, text);
	return j;
}

int64_t test_create_ok(struct store *st, const struct actor *a, const char *coll, json_t *in)
{
	struct err e;
	err_clear(&e);
	int64_t id = 0;
	int rc = record_create(st, a, entity_find(coll), in, &id, &e);
	json_decref(in);
	if (rc != 0)
		fail_msg("record_create(%s) = %d, field \"%s\": %s", coll, rc, e.field, e.message);
	assert_true(id > 0);
	return id;
}

void test_create_fails(struct store *st, const struct actor *a, const char *coll, json_t *in,
                       int code, const char *field)
{
	struct err e;
	err_clear(&e);
	int64_t id = 0;
	int rc = record_create(st, a, entity_find(coll), in, &id, &e);
	json_decref(in);
	if (rc != code || strcmp(e.field, field))
		fail_msg("record_create(%s): expected %d naming \"%s\", got %d naming \"%s\": %s", coll,
		         code, field, rc, e.field, e.message);
}

json_t *test_get_ok(struct store *st, const struct actor *a, const char *coll, int64_t id)
{
	struct err e;
	err_clear(&e);
	json_t *r = NULL;
	int rc = record_get(st, a, entity_find(coll), id, &r, &e);
	if (rc != 0)
		fail_msg("record_get(%s, %lld) = %d: %s", coll, (long long)id, rc, e.message);
	return r;
}
