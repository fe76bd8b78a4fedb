/* job_worker.c - the background workers of `serve`: N threads that claim
 * queued jobs (model/job.h) and run them, and one keeper thread that keeps
 * the heartbeat of this process's running jobs fresh, queues again the jobs
 * of servers that stopped, and deletes finished jobs after a day.
 *
 * Progress lives in two places. The database row (read by every server) is
 * written a few times a second from the worker's bookkeeping connection. On
 * SQLite that write would wait for the import's own write transaction
 * (BEGIN IMMEDIATE holds the one write lock of the file), so there only the
 * in-process copy below is updated while a job runs, and the row at its end;
 * a request to the same process reads the live copy (job_live). */
#include "web/jobs.h"

#include "core/mem.h"
#include "io/import_job.h"
#include "model/user.h"

#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum {
	IDLE_MS = 1000,		 /* a worker looks for queued jobs at least this often */
	PROGRESS_EVERY_MS = 250, /* and writes progress at most this often */
	HEARTBEAT_SECONDS = 5,	 /* the keeper's rhythm */
	STALE_SECONDS = 60,	 /* no heartbeat for this long: the worker is gone */
	REAP_SECONDS = 30,	 /* how often stale jobs are looked for */
	CLEANUP_SECONDS = 600,	 /* how often old jobs are deleted */
};

/* A job running in this process. */
struct live {
	int64_t id;
	atomic_int cancel; /* the runner's stop flag */
	int shutdown;	   /* ...set because the server stops (requeue, not cancel) */
	int64_t done, total;
	char message[200];
	int64_t last_write_ms;
	struct store *book;
	int write_progress; /* not SQLite: the row can be written while it runs */
	int gated;	    /* held once at the test gate (test_gate) */
	struct live *next;
};

static struct {
	char db[1024];
	char name[96];
	pthread_t *threads;
	int n;
	pthread_t keeper;
	int started;
	atomic_int stop;
	pthread_mutex_t lock; /* guards everything below and the live entries' fields */
	pthread_cond_t cond;
	int wakeups;
	struct live *live;
} W = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *job_worker_name(void)
{
	return W.name;
}

static void name_process(void)
{
	char host[64] = "localhost";
	gethostname(host, sizeof host - 1);
	host[sizeof host - 1] = '\0';
	unsigned char rnd[4];
	randombytes_buf(rnd, sizeof rnd);
	snprintf(W.name, sizeof W.name, "%s:%ld:%02x%02x%02x%02x", host, (long)getpid(), rnd[0],
		 rnd[1], rnd[2], rnd[3]);
}

/* Waits up to ms for the stop or, when wakeable (a worker), for a wake-up;
 * 1 when woken by job_workers_wake. */
static int idle_wait(int ms, int wakeable)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&W.lock);
	int rc = 0;
	while (!atomic_load(&W.stop) && !(wakeable && W.wakeups) && rc == 0)
		rc = pthread_cond_timedwait(&W.cond, &W.lock, &until);
	int woken = wakeable && W.wakeups > 0;
	if (woken)
		W.wakeups--;
	pthread_mutex_unlock(&W.lock);
	return woken;
}

void job_workers_wake(void)
{
	pthread_mutex_lock(&W.lock);
	if (W.started && W.wakeups < W.n) { /* no workers here: the others poll */
		W.wakeups++;
		pthread_cond_broadcast(&W.cond);
	}
	pthread_mutex_unlock(&W.lock);
}

int job_live(int64_t id, int cancel, int64_t *done, int64_t *total, char *message, size_t n)
{
	int found = 0;
	pthread_mutex_lock(&W.lock);
	for (struct live *l = W.live; l; l = l->next) {
		if (l->id != id)
			continue;
		found = 1;
		if (cancel)
			atomic_store(&l->cancel, 1);
		if (done)
			*done = l->done;
		if (total)
			*total = l->total;
		if (message)
			snprintf(message, n, "%s", l->message);
	}
	pthread_mutex_unlock(&W.lock);
	return found;
}

/* Tests hold a running job to act on it meanwhile (cancel it) without
 * racing its end: when KC_TEST_JOB_GATE names a FIFO that exists, a job's
 * first progress past row 0 is held there. */
static int test_gate_due(const struct live *l, int64_t done)
{
	const char *fifo = getenv("KC_TEST_JOB_GATE");
	struct stat sb;
	return fifo && !l->gated && done > 0 && stat(fifo, &sb) == 0 && S_ISFIFO(sb.st_mode);
}

/* Says so on stderr, then opens the FIFO, which waits for the test to open
 * it for writing. */
static void test_gate_hold(struct live *l)
{
	l->gated = 1;
	fprintf(stderr, "jobs: job %lld held at the test gate\n", (long long)l->id);
	int fd = open(getenv("KC_TEST_JOB_GATE"), O_RDONLY);
	if (fd >= 0)
		close(fd);
}

/* Writes the progress into the job's row (not SQLite) and reads whether a
 * cancel was asked there. */
static void progress_sync(struct live *l, int64_t done, int64_t total, const char *message)
{
	struct err e;
	int cancel = 0;
	if (l->write_progress) {
		if (job_progress(l->book, l->id, W.name, done, total, message, &cancel, &e) ==
		    ERR_CONFLICT)
			cancel = 1; /* taken for dead and given to another worker: stop */
	} else {
		/* SQLite: reading is never blocked by the work's transaction (WAL). */
		cancel = job_cancel_requested(l->book, l->id, &e) == 1;
	}
	if (cancel)
		atomic_store(&l->cancel, 1);
}

/* The progress of a run (job_run_progress, model/job.h). */
static void live_progress(void *live, int64_t done, int64_t total, const char *message)
{
	struct live *l = live;
	pthread_mutex_lock(&W.lock);
	l->done = done;
	l->total = total;
	snprintf(l->message, sizeof l->message, "%s", message ? message : "");
	pthread_mutex_unlock(&W.lock);
	int64_t t = now_ms();
	int gate = test_gate_due(l, done);
	if (!gate && t - l->last_write_ms < PROGRESS_EVERY_MS)
		return;
	l->last_write_ms = t;
	progress_sync(l, done, total, message);
	if (gate) { /* what happened while held (a cancel) is read at once */
		test_gate_hold(l);
		progress_sync(l, done, total, message);
	}
}

static const struct {
	const char *kind;
	int (*run)(struct job_run *run, struct err *e);
} runners[] = {
	{"import", import_job_run},
	{"report", report_job_run},
};

static int run_kind(struct job_run *run, struct err *e)
{
	for (size_t i = 0; i < sizeof runners / sizeof *runners; i++)
		if (!strcmp(runners[i].kind, run->job->kind))
			return runners[i].run(run, e);
	return err_set(e, ERR_INVALID, "kind", "Không biết loại công việc %s / unknown job kind %s",
		       run->job->kind, run->job->kind);
}

/* The owner as the account is now: a disabled account's jobs do not run. */
static int owner_actor(struct store *book, const struct job *j, struct actor *a, struct err *e)
{
	struct user u;
	int rc = user_get(book, j->user_id, &u, e);
	if (rc < 0)
		return rc;
	if (u.disabled)
		return err_set(e, ERR_FORBIDDEN, "user",
			       "Tài khoản đã bị khóa / the account is disabled");
	char addr[32];
	snprintf(addr, sizeof addr, "job %lld", (long long)j->id);
	user_actor(&u, addr, a);
	return 0;
}

static void run_one(struct store *work, struct store *book, const struct job *j)
{
	struct live *l = xcalloc(1, sizeof *l);
	l->id = j->id;
	l->book = book;
	l->write_progress = strcmp(store_dialect(book), "sqlite") != 0;
	pthread_mutex_lock(&W.lock);
	l->next = W.live;
	W.live = l;
	if (atomic_load(&W.stop)) {
		atomic_store(&l->cancel, 1);
		l->shutdown = 1;
	}
	pthread_mutex_unlock(&W.lock);

	struct job_run run = {
		.st = work, .job = j, .cancel = &l->cancel, .progress = live_progress, .live = l};
	struct err e;
	err_clear(&e);
	int rc = owner_actor(book, j, &run.actor, &e);
	if (rc == 0)
		rc = run_kind(&run, &e);

	pthread_mutex_lock(&W.lock);
	for (struct live **p = &W.live; *p; p = &(*p)->next)
		if (*p == l) {
			*p = l->next;
			break;
		}
	int shutdown = l->shutdown;
	pthread_mutex_unlock(&W.lock);

	struct err fe;
	int frc;
	if (run.cancelled && shutdown) {
		frc = job_requeue(book, j->id, W.name, &fe);
	} else if (run.cancelled) {
		json_t *why = json_pack("{s:s}", "message",
					"Đã hủy; không ghi gì / cancelled; nothing was written");
		frc = job_fail(book, j->id, W.name, "cancelled", why, &fe);
		json_decref(why);
	} else if (rc < 0) {
		json_t *why = run.error ? json_incref(run.error) : json_object();
		json_object_set_new(why, "message", json_string(e.message));
		json_object_set_new(why, "field", json_string(e.field));
		json_object_set_new(why, "status", json_integer(err_http_status(rc)));
		frc = job_fail(book, j->id, W.name, "failed", why, &fe);
		json_decref(why);
	} else {
		/* The last progress (on SQLite the first the row gets), then the end. */
		pthread_mutex_lock(&W.lock);
		int64_t done = l->done, total = l->total;
		char msg[sizeof l->message];
		memcpy(msg, l->message, sizeof msg);
		pthread_mutex_unlock(&W.lock);
		job_progress(book, j->id, W.name, done, total, msg, NULL, &fe);
		frc = job_finish(book, j->id, W.name, run.summary,
				 run.result_type ? run.result.data : NULL, run.result.len,
				 run.result_type, run.result_name, &fe);
	}
	if (frc < 0)
		fprintf(stderr, "khuyencong: job %lld: %s\n", (long long)j->id, fe.message);
	json_decref(run.summary);
	json_decref(run.error);
	buf_free(&run.result);
	free(l);
}

/* Opens a connection, trying again every second until it works or we stop. */
static struct store *open_retrying(void)
{
	while (!atomic_load(&W.stop)) {
		struct store *st;
		struct err e;
		if (store_open(W.db, &st, &e) == 0)
			return st;
		fprintf(stderr, "khuyencong: job worker: %s\n", e.message);
		idle_wait(1000, 0);
	}
	return NULL;
}

static void *worker_main(void *arg)
{
	(void)arg;
	struct store *work = open_retrying();
	struct store *book = work ? open_retrying() : NULL;
	while (book && !atomic_load(&W.stop)) {
		struct job j;
		struct err e;
		int rc = job_claim(book, W.name, &j, &e);
		if (rc < 0)
			fprintf(stderr, "khuyencong: job worker: %s\n", e.message);
		if (rc <= 0) {
			idle_wait(IDLE_MS, 1);
			continue;
		}
		run_one(work, book, &j);
		job_free(&j);
	}
	store_close(book);
	store_close(work);
	return NULL;
}

static void *keeper_main(void *arg)
{
	(void)arg;
	struct store *st = open_retrying();
	int64_t last_beat = 0, last_reap = 0, last_clean = 0;
	while (st && !atomic_load(&W.stop)) {
		int64_t t = (int64_t)time(NULL);
		struct err e;
		if (t - last_beat >= HEARTBEAT_SECONDS) {
			last_beat = t;
			job_heartbeat(st, W.name, &e);
		}
		/* Only other servers' jobs: ours are alive as long as we are. */
		if (t - last_reap >= REAP_SECONDS) {
			last_reap = t;
			int64_t n = 0;
			if (job_requeue_stale(st, t - STALE_SECONDS, W.name, &n, &e) == 0 &&
			    n > 0) {
				fprintf(stderr,
					"khuyencong: %lld job(s) of a stopped server queued "
					"again\n",
					(long long)n);
				for (int64_t i = 0; i < n; i++)
					job_workers_wake();
			}
		}
		if (t - last_clean >= CLEANUP_SECONDS) {
			last_clean = t;
			job_cleanup(st, t - JOB_KEEP_SECONDS, NULL, &e);
		}
		idle_wait(1000, 0);
	}
	store_close(st);
	return NULL;
}

int job_workers_start(const char *db, int n, struct err *e)
{
	if (n < 1)
		n = 1;
	snprintf(W.db, sizeof W.db, "%s", db);
	name_process();
	atomic_store(&W.stop, 0);
	W.threads = xcalloc((size_t)n, sizeof *W.threads);
	int made = 0;
	while (made < n && pthread_create(&W.threads[made], NULL, worker_main, NULL) == 0)
		made++;
	int keeper = made == n && pthread_create(&W.keeper, NULL, keeper_main, NULL) == 0;
	pthread_mutex_lock(&W.lock);
	W.n = made;
	W.started = keeper ? 2 : 1;
	pthread_mutex_unlock(&W.lock);
	if (!keeper) {
		job_workers_stop();
		return err_set(e, ERR_IO, "workers", "cannot start the job workers");
	}
	return 0;
}

void job_workers_stop(void)
{
	pthread_mutex_lock(&W.lock);
	int started = W.started;
	atomic_store(&W.stop, 1);
	for (struct live *l = W.live; l; l = l->next) {
		l->shutdown = 1;
		atomic_store(&l->cancel, 1);
	}
	pthread_cond_broadcast(&W.cond);
	pthread_mutex_unlock(&W.lock);
	if (!started)
		return;
	for (int i = 0; i < W.n; i++)
		pthread_join(W.threads[i], NULL);
	if (started == 2)
		pthread_join(W.keeper, NULL);
	pthread_mutex_lock(&W.lock);
	free(W.threads);
	W.threads = NULL;
	W.n = 0;
	W.started = 0;
	pthread_mutex_unlock(&W.lock);
}
