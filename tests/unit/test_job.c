/* test_job.c - the jobs table: claimed exactly once by two connections,
 * progress, cancel (queued and running), finish with a file, who sees a job,
 * stale jobs requeued then failed, old jobs deleted. */
#include "testutil.h"

#include "model/job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fx {
	struct store *st, *st2; /* two connections to one database */
	char *path;
	struct actor owner, other, admin;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->st = test_store_new("job", &f->path);
	struct err e;
	if (store_open(f->path, &f->st2, &e) < 0)
		return -1;
	f->owner = test_actor(ROLE_PROVINCE, "33", 0);
	f->owner.user_id = 7;
	f->other = test_actor(ROLE_PROVINCE, "33", 0);
	f->other.user_id = 8;
	f->admin = test_actor(ROLE_ADMIN, NULL, 0);
	f->admin.user_id = 1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st2);
	store_close(f->st);
	free(f->path);
	free(f);
	return 0;
}

static int64_t queue(struct fx *f, const char *kind)
{
	struct err e;
	int64_t id = 0;
	json_t *p = json_pack("{s:s}", "format", "pdf");
	if (job_create(f->st, &f->owner, kind, p, &id, &e) != 0)
		fail_msg("job_create: %s", e.message);
	json_decref(p);
	assert_true(id > 0);
	return id;
}

static void test_claim_exactly_once(void **state)
{
	struct fx *f = *state;
	int64_t a = queue(f, "report"), b = queue(f, "report");
	struct job j1, j2, j3;
	struct err e;
	/* Two connections (two workers) take the two jobs, oldest first, and a
	 * third claim finds nothing. */
	assert_int_equal(job_claim(f->st, "w1", &j1, &e), 1);
	assert_int_equal(job_claim(f->st2, "w2", &j2, &e), 1);
	assert_int_equal(job_claim(f->st2, "w2", &j3, &e), 0);
	assert_int_equal(j1.id, a);
	assert_int_equal(j2.id, b);
	assert_string_equal(j1.status, "running");
	assert_string_equal(j1.worker, "w1");
	assert_string_equal(j2.worker, "w2");
	assert_int_equal(j1.attempts, 1);
	assert_string_equal(json_string_value(json_object_get(j1.params, "format")), "pdf");
	assert_string_equal(j1.username, f->owner.username);
	assert_string_equal(j1.province, "33");
	/* A worker that does not hold a job cannot finish it. */
	assert_int_equal(job_finish(f->st2, a, "w2", NULL, NULL, 0, NULL, NULL, &e), ERR_CONFLICT);
	job_free(&j1);
	job_free(&j2);
	/* The guarded UPDATE itself: claiming an already running job changes no row. */
	assert_int_equal(
		store_run(f->st2, &e,
			  "UPDATE jobs SET worker = 'w3' WHERE id = ? AND status = 'queued'", "i",
			  a),
		0);
	assert_int_equal(store_changes(f->st2), 0);
	assert_int_equal(test_count(f->st, "SELECT COUNT(*) FROM jobs WHERE worker = 'w3'"), 0);
}

/* Two workers, each on its own connection and thread, race for 40 jobs. */
enum { RACE_JOBS = 40 };

struct racer {
	struct store *st;
	const char *name;
	int64_t got[RACE_JOBS];
	int n;
	int errors;
};

static void *race(void *arg)
{
	struct racer *x = arg;
	struct err e;
	for (;;) {
		struct job j;
		int rc = job_claim(x->st, x->name, &j, &e);
		if (rc < 0) {
			x->errors++;
			break;
		}
		if (rc == 0)
			break;
		if (x->n < RACE_JOBS)
			x->got[x->n] = j.id;
		x->n++;
		job_free(&j);
	}
	return NULL;
}

static void test_claim_race(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < RACE_JOBS; i++)
		queue(f, "report");
	struct racer a = {.st = f->st, .name = "ra"}, b = {.st = f->st2, .name = "rb"};
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, race, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, race, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.errors + b.errors, 0);
	/* Every job was taken, and by one worker only. */
	assert_int_equal(a.n + b.n, RACE_JOBS);
	for (int i = 0; i < a.n; i++)
		for (int k = 0; k < b.n; k++)
			assert_true(a.got[i] != b.got[k]);
	assert_int_equal(test_count(f->st, "SELECT COUNT(*) FROM jobs WHERE status = 'running'"
					   " AND attempts = 1"),
			 RACE_JOBS);
	assert_int_equal(test_count(f->st, "SELECT COUNT(*) FROM jobs WHERE worker = 'ra'"), a.n);
}

static void test_progress_finish_and_result(void **state)
{
	struct fx *f = *state;
	int64_t id = queue(f, "report");
	struct job j;
	struct err e;
	assert_int_equal(job_claim(f->st, "w1", &j, &e), 1);
	job_free(&j);
	int cancel = -1;
	assert_int_equal(job_progress(f->st, id, "w1", 2, 3, "vẽ", &cancel, &e), 0);
	assert_int_equal(cancel, 0);
	assert_int_equal(job_get(f->st2, &f->owner, id, &j, &e), 0);
	assert_int_equal(j.done, 2);
	assert_int_equal(j.total, 3);
	assert_string_equal(j.message, "vẽ");
	job_free(&j);

	json_t *sum = json_pack("{s:i}", "rows", 5);
	static const char bytes[] = "%PDF-1.5\n\0binary\xff";
	assert_int_equal(job_finish(f->st, id, "w1", sum, bytes, sizeof bytes, "application/pdf",
				    "bao-cao.pdf", &e),
			 0);
	json_decref(sum);
	assert_int_equal(job_get(f->st2, &f->owner, id, &j, &e), 0);
	assert_string_equal(j.status, "done");
	assert_true(job_finished(&j));
	assert_int_equal(j.done, 3); /* a finished job shows its whole total */
	assert_int_equal(json_integer_value(json_object_get(j.summary, "rows")), 5);
	assert_true(j.has_result);
	json_t *api = job_json(&j);
	char url[64];
	snprintf(url, sizeof url, "/jobs/%lld/result", (long long)id);
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(api, "result"), "url")), url);
	assert_null(json_object_get(api, "params"));
	json_decref(api);
	job_free(&j);

	struct buf out = BUF_INIT;
	char type[128], name[128];
	assert_int_equal(job_result(f->st2, &f->owner, id, &out, type, name, &e), 0);
	assert_int_equal(out.len, sizeof bytes);
	assert_memory_equal(out.data, bytes, sizeof bytes);
	assert_string_equal(type, "application/pdf");
	assert_string_equal(name, "bao-cao.pdf");
	buf_free(&out);
	/* Another account sees neither the job nor its file; an admin sees both. */
	assert_int_equal(job_get(f->st, &f->other, id, &j, &e), ERR_NOTFOUND);
	assert_int_equal(job_result(f->st, &f->other, id, &out, type, name, &e), ERR_NOTFOUND);
	assert_int_equal(job_cancel(f->st, &f->other, id, &e), ERR_NOTFOUND);
	assert_int_equal(job_get(f->st, &f->admin, id, &j, &e), 0);
	job_free(&j);
	/* A finished job cannot be cancelled. */
	assert_int_equal(job_cancel(f->st, &f->owner, id, &e), ERR_CONFLICT);
}

static void test_cancel(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct job j;
	/* Queued: cancelled at once and never claimed. */
	int64_t q = queue(f, "import");
	assert_int_equal(job_cancel(f->st2, &f->owner, q, &e), 0);
	assert_int_equal(job_get(f->st, &f->owner, q, &j, &e), 0);
	assert_string_equal(j.status, "cancelled");
	job_free(&j);
	assert_int_equal(job_claim(f->st, "w1", &j, &e), 0);

	/* Running: the worker learns it from its next progress and records it. */
	int64_t r = queue(f, "import");
	assert_int_equal(job_claim(f->st, "w1", &j, &e), 1);
	assert_int_equal(j.id, r);
	job_free(&j);
	int cancel = 0;
	assert_int_equal(job_progress(f->st, r, "w1", 1, 10, NULL, &cancel, &e), 0);
	assert_int_equal(cancel, 0);
	assert_int_equal(job_cancel(f->st2, &f->owner, r, &e), 0);
	assert_int_equal(job_cancel_requested(f->st, r, &e), 1);
	assert_int_equal(job_progress(f->st, r, "w1", 2, 10, NULL, &cancel, &e), 0);
	assert_int_equal(cancel, 1);
	json_t *why = json_pack("{s:s}", "message", "cancelled");
	assert_int_equal(job_fail(f->st, r, "w1", "cancelled", why, &e), 0);
	json_decref(why);
	assert_int_equal(job_get(f->st2, &f->owner, r, &j, &e), 0);
	assert_string_equal(j.status, "cancelled");
	assert_string_equal(json_string_value(json_object_get(j.error, "message")), "cancelled");
	assert_int_equal(j.has_result, 0);
	job_free(&j);
}

static void test_stale_requeue_then_fail(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct job j;
	int64_t id = queue(f, "report");
	int64_t n = -1;
	for (int attempt = 1; attempt <= JOB_MAX_ATTEMPTS; attempt++) {
		assert_int_equal(job_claim(f->st, "dead", &j, &e), 1);
		assert_int_equal(j.id, id);
		assert_int_equal(j.attempts, attempt);
		job_free(&j);
		/* A cut-off in the past touches nothing: the heartbeat is fresh. */
		assert_int_equal(job_requeue_stale(f->st2, (int64_t)time(NULL) - 60, "w2", &n, &e),
				 0);
		assert_int_equal(n, 0);
		/* The dead worker's own server never takes its jobs for dead. */
		assert_int_equal(job_requeue_stale(f->st2, (int64_t)time(NULL) + 1, "dead", &n, &e),
				 0);
		assert_int_equal(n, 0);
		/* Another server, with a cut-off after the heartbeat, does. */
		assert_int_equal(job_requeue_stale(f->st2, (int64_t)time(NULL) + 1, "w2", &n, &e),
				 0);
		assert_int_equal(n, 1);
		assert_int_equal(job_get(f->st, &f->owner, id, &j, &e), 0);
		assert_string_equal(j.status, attempt < JOB_MAX_ATTEMPTS ? "queued" : "failed");
		/* Queued again, it belongs to no worker; failed, it names the last. */
		assert_string_equal(j.worker, attempt < JOB_MAX_ATTEMPTS ? "" : "dead");
		job_free(&j);
	}
	/* The dead worker's late finish is refused. */
	assert_int_equal(job_finish(f->st, id, "dead", NULL, NULL, 0, NULL, NULL, &e),
			 ERR_CONFLICT);
}

static void test_requeue_on_shutdown(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct job j;
	int64_t id = queue(f, "import");
	assert_int_equal(job_claim(f->st, "w1", &j, &e), 1);
	job_free(&j);
	assert_int_equal(job_progress(f->st, id, "w1", 5, 10, "x", NULL, &e), 0);
	assert_int_equal(job_requeue(f->st, id, "w1", &e), 0);
	assert_int_equal(job_get(f->st, &f->owner, id, &j, &e), 0);
	assert_string_equal(j.status, "queued");
	assert_int_equal(j.done, 0);
	job_free(&j);
	/* Another worker takes it up. */
	assert_int_equal(job_claim(f->st2, "w2", &j, &e), 1);
	assert_int_equal(j.id, id);
	assert_int_equal(j.attempts, 2);
	job_free(&j);
}

/* A job someone asked to stop is never queued again: neither when its
 * server stops nor when another finds it stale after a crash. Before, a
 * restart queued again the dry run that held the whole system. */
static void test_cancelled_not_requeued(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct job j;
	int64_t id = queue(f, "import");
	assert_int_equal(job_claim(f->st, "w1", &j, &e), 1);
	job_free(&j);
	assert_int_equal(job_cancel(f->st2, &f->owner, id, &e), 0);
	assert_int_equal(job_requeue(f->st, id, "w1", &e), 0);
	assert_int_equal(job_get(f->st, &f->owner, id, &j, &e), 0);
	assert_string_equal(j.status, "cancelled");
	job_free(&j);
	assert_int_equal(job_claim(f->st2, "w2", &j, &e), 0);

	int64_t id2 = queue(f, "import"), n = 0;
	assert_int_equal(job_claim(f->st, "dead", &j, &e), 1);
	job_free(&j);
	assert_int_equal(job_cancel(f->st2, &f->owner, id2, &e), 0);
	assert_int_equal(job_requeue_stale(f->st2, (int64_t)time(NULL) + 1, "w2", &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(job_get(f->st, &f->owner, id2, &j, &e), 0);
	assert_string_equal(j.status, "cancelled");
	job_free(&j);
	assert_int_equal(job_claim(f->st2, "w2", &j, &e), 0);
}

static void test_cleanup(void **state)
{
	struct fx *f = *state;
	struct err e;
	struct job j;
	int64_t done = queue(f, "report"), waiting = queue(f, "report");
	assert_int_equal(job_claim(f->st, "w1", &j, &e), 1);
	assert_int_equal(j.id, done);
	job_free(&j);
	assert_int_equal(job_finish(f->st, done, "w1", NULL, "x", 1, "text/plain", "x.txt", &e), 0);
	int64_t n = -1;
	/* Finished just now: kept by a cut-off a day ago. */
	assert_int_equal(job_cleanup(f->st, (int64_t)time(NULL) - JOB_KEEP_SECONDS, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(job_cleanup(f->st, (int64_t)time(NULL) + 1, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(job_get(f->st, &f->admin, done, &j, &e), ERR_NOTFOUND);
	/* A queued job is never cleaned up, however old. */
	assert_int_equal(job_get(f->st, &f->owner, waiting, &j, &e), 0);
	assert_string_equal(j.status, "queued");
	job_free(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claim_exactly_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancelled_not_requeued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_race, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_finish_and_result, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_requeue_then_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requeue_on_shutdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cleanup, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
