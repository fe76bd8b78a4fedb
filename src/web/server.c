/* server.c - libmicrohttpd glue: builds a struct req per request, hands it to
 * the router and sends the struct resp back. */
#include "web/server.h"

#include "core/clock.h"
#include "core/mem.h"
#include "stats/stats_memo.h"
#include "web/jobs.h"
#include "web/router.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct server_options *opts;
static atomic_int in_flight;

/* Each worker thread opens its own connection on first use; all are listed
 * so that shutdown can close them after the threads have stopped. */
static __thread struct store *thread_store;
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store **stores;
static size_t nstores;

static struct store *opened; /* server_options.opened until a thread takes it */

static struct store *store_for_thread(struct err *e)
{
	if (thread_store)
		return thread_store;
	pthread_mutex_lock(&stores_lock);
	struct store *st = opened;
	opened = NULL;
	pthread_mutex_unlock(&stores_lock);
	if (!st && store_open(opts->db, &st, e) < 0)
		return NULL;
	pthread_mutex_lock(&stores_lock);
	/* One memo of statistics for the threads (stats_memo.h), made with the
	 * first connection before its thread can use it. */
	stats_memo_share(nstores ? stores[0] : st, st);
	stores = xrealloc(stores, (nstores + 1) * sizeof *stores);
	stores[nstores++] = st;
	pthread_mutex_unlock(&stores_lock);
	thread_store = st;
	return st;
}

static void close_stores(void)
{
	pthread_mutex_lock(&stores_lock);
	for (size_t i = 0; i < nstores; i++)
		store_close(stores[i]);
	free(stores);
	stores = NULL;
	nstores = 0;
	store_close(opened);
	opened = NULL;
	pthread_mutex_unlock(&stores_lock);
}

/* What is kept across the calls MHD makes for one request. */
struct conn_state {
	struct arena *arena;
	struct buf body;
	int too_big;
	const char *malformed; /* why the request is refused (400), or NULL */
	int refused_status;    /* 400, or 431 when it has too many headers */
	const char *refused_field;
	size_t limit; /* of this request's route (router_body_limit) */
	int64_t started;
	const char *target; /* the request target as received, not decoded */
	int begun;
	struct offloaded *off; /* while its work runs off the request threads */
};

/* A request whose handler offloaded work (resp_offload): its connection is
 * suspended while a thread of its own runs the work, then resumed; MHD then
 * calls on_request again, which finishes and sends the response. */
struct offloaded {
	struct MHD_Connection *c;
	struct req r;
	struct resp w;
};

/* Called by MHD with the request target before it decodes it (and before
 * on_request): the Digital Link parser decodes that text once itself. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	struct conn_state *cs = xcalloc(1, sizeof *cs);
	cs->arena = arena_new();
	cs->started = clock_usec();
	cs->target = arena_strdup(cs->arena, uri ? uri : "");
	atomic_fetch_add(&in_flight, 1);
	return cs;
}

static enum MHD_Result collect_kv(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
	(void)kind;
	struct req *r = cls;
	struct kv *kv = r->headers;
	int *n = &r->nheaders;
	if (kind == MHD_GET_ARGUMENT_KIND) {
		kv = r->query;
		n = &r->nquery;
	}
	if (*n >= REQ_MAX_KV)
		return MHD_NO;
	kv[*n].key = arena_strdup(r->arena, key);
	kv[*n].value = arena_strdup(r->arena, value ? value : "");
	(*n)++;
	return MHD_YES;
}

static const char *client_addr(struct MHD_Connection *c, struct arena *a)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char tmp[INET6_ADDRSTRLEN] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, tmp,
			          sizeof tmp);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			          tmp, sizeof tmp);
	}
	return arena_strdup(a, tmp);
}

/* Behind a trusted proxy the client is the last address it appended to
 * X-Forwarded-For; from anyone else that header is ignored (it could be
 * forged to dodge the login throttle). */
static const char *forwarded_addr(struct req *r, const char *peer)
{
	const char *xff = req_header(r, "X-Forwarded-For");
	if (!opts->trust_proxy || strcmp(peer, opts->trust_proxy) || !xff || !*xff)
		return peer;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	size_t n = strcspn(last, " ");
	return n && n < 64 ? arena_strndup(r->arena, last, n) : peer;
}

static void access_log(const struct req *r, const struct resp *w, size_t bytes, int64_t usec)
{
	if (opts->quiet)
		return;
	char at[21];
	clock_iso(clock_now(), at);
	/* One line, one write: lines of concurrent requests never interleave. */
	fprintf(stderr, "%s %s %s %d %zu %lldus\n", at, r->method, r->path, w->status, bytes,
	        (long long)usec);
}

/* On every response (docs/security.md): no sniffing, no referrer to other
 * sites, never inside another site's frame, HTTPS only once served over it. */
static void add_security_headers(struct MHD_Response *mr, const struct resp *w)
{
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(mr, "Referrer-Policy", "same-origin");
	MHD_add_response_header(mr, "X-Frame-Options", "DENY");
	if (opts->secure_cookies)
		MHD_add_response_header(mr, "Strict-Transport-Security", "max-age=31536000");
	if (w->content_type && !strncmp(w->content_type, "text/html", 9)) {
		MHD_add_response_header(mr, "Content-Security-Policy",
		                        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
		/* unless the handler chose its own policy (resp_cache_public) */
		int own = 0;
		for (int i = 0; i < w->nheaders; i++)
			own |= !strcasecmp(w->headers[i].key, "Cache-Control");
		if (!own)
			MHD_add_response_header(mr, "Cache-Control", "no-store");
	} else {
		MHD_add_response_header(mr, "Content-Security-Policy", "frame-ancestors 'none'");
	}
}

/* A streamed body (resp_stream): the part made last and how much of it is sent. */
struct stream {
	int (*fill)(void *ctx, struct buf *out);
	void (*fill_free)(void *ctx);
	void *ctx;
	struct buf part;
	size_t sent;
	int ended;
};

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct stream *s = cls;
	while (s->sent == s->part.len) {
		if (s->ended)
			return MHD_CONTENT_READER_END_OF_STREAM;
		buf_reset(&s->part);
		s->sent = 0;
		int rc = s->fill(s->ctx, &s->part);
		if (rc < 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		s->ended = rc == 0;
	}
	size_t n = s->part.len - s->sent < max ? s->part.len - s->sent : max;
	memcpy(out, s->part.data + s->sent, n);
	s->sent += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *s = cls;
	if (s->fill_free)
		s->fill_free(s->ctx);
	buf_free(&s->part);
	free(s);
}

static struct MHD_Response *stream_response(struct resp *w)
{
	struct stream *s = xcalloc(1, sizeof *s);
	s->fill = w->fill;
	s->fill_free = w->fill_free;
	s->ctx = w->fill_ctx;
	w->fill = NULL; /* the response owns it now */
	struct MHD_Response *mr = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024,
								    stream_read, s, stream_free);
	if (!mr)
		stream_free(s);
	return mr;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct resp *w)
{
	/* For HEAD, MHD sends the headers of the full body and leaves it out. */
	size_t len = w->body.len;
	struct MHD_Response *mr =
		w->fill ? stream_response(w)
			: MHD_create_response_from_buffer(len, len ? w->body.data : (void *)"",
							  MHD_RESPMEM_MUST_COPY);
	if (!mr)
		return MHD_NO;
	if (w->content_type)
		MHD_add_response_header(mr, "Content-Type", w->content_type);
	add_security_headers(mr, w);
	for (int i = 0; i < w->nheaders; i++)
		MHD_add_response_header(mr, w->headers[i].key, w->headers[i].value);
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)w->status, mr);
	MHD_destroy_response(mr);
	return ok;
}

static void build_req(struct MHD_Connection *c, struct conn_state *cs, struct req *r,
                      const char *url, const char *method)
{
	memset(r, 0, sizeof *r);
	r->arena = cs->arena;
	r->method = arena_strdup(cs->arena, method);
	r->path = arena_strdup(cs->arena, url);
	r->target = cs->target;
	MHD_get_connection_values(c, MHD_HEADER_KIND, collect_kv, r);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_kv, r);
	r->body = buf_cstr(&cs->body);
	r->body_len = cs->body.len;
	r->addr = forwarded_addr(r, client_addr(c, cs->arena));
	r->secure_cookies = opts->secure_cookies;
	req_default_lang(r); /* early answers (413, 503) are pages in a language too */
}

static enum MHD_Result reply(struct MHD_Connection *c, struct conn_state *cs, struct req *r,
			     struct resp *w)
{
	enum MHD_Result ok = send_resp(c, w);
	access_log(r, w, w->body.len, clock_usec() - cs->started);
	json_decref(r->json);
	buf_free(&w->body);
	return ok;
}

static void *offload_thread(void *arg)
{
	struct offloaded *o = arg;
	o->w.offload.run(o->w.offload.arg);
	MHD_resume_connection(o->c);
	return NULL;
}

/* Suspends the connection and starts the work on a detached thread (or,
 * when no thread can start, runs it here). The work's concurrency is the
 * handler's to bound (labels: LABEL_RENDERS_MAX). */
static enum MHD_Result offload(struct MHD_Connection *c, struct conn_state *cs, struct req *r,
			       struct resp *w)
{
	struct offloaded *o = xcalloc(1, sizeof *o);
	o->c = c;
	o->r = *r;
	o->w = *w;
	cs->off = o;
	MHD_suspend_connection(c);
	pthread_attr_t at;
	pthread_t t;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &at, offload_thread, o) != 0)
		offload_thread(o);
	pthread_attr_destroy(&at);
	return MHD_YES;
}

/* Back on a request thread once the offloaded work is done. */
static enum MHD_Result deliver(struct MHD_Connection *c, struct conn_state *cs)
{
	struct offloaded *o = cs->off;
	cs->off = NULL;
	struct err e;
	o->r.st = store_for_thread(&e);
	struct resp_offload work = o->w.offload;
	memset(&o->w.offload, 0, sizeof o->w.offload);
	work.finish(work.arg, &o->r, &o->w);
	enum MHD_Result ok = reply(c, cs, &o->r, &o->w);
	free(o);
	return ok;
}

static enum MHD_Result answer(struct MHD_Connection *c, struct conn_state *cs, const char *url,
                              const char *method)
{
	struct req r;
	struct resp w = {.status = 200};
	build_req(c, cs, &r, url, method);
	struct err e;
	err_clear(&e);
	r.st = store_for_thread(&e);
	if (cs->malformed) {
		reply_error(&r, &w, cs->refused_status, "bad_request", cs->malformed,
			    cs->refused_field);
	} else if (cs->too_big) {
		/* The limit is the route's (a file upload's is larger): say it. */
		char msg[160];
		size_t mb = (cs->limit + (1u << 20) - 1) >> 20;
		snprintf(msg, sizeof msg,
			 "Dữ liệu gửi lên quá lớn: tối đa %zu MB mỗi lần gửi / request body too "
			 "large: %zu MB at most",
			 mb, mb);
		w.status = 413;
		reply_error(&r, &w, 413, "too_large", msg, "body");
	} else if (!r.st) {
		reply_error(&r, &w, 503, "store_error", e.message, NULL);
	} else {
		store_pin_versions(r.st, 1); /* one read of the table versions a request */
		router_dispatch(&r, &w);
		store_pin_versions(r.st, 0);
	}
	if (w.offload.run)
		return offload(c, cs, &r, &w);
	return reply(c, cs, &r, &w);
}

/* A path or argument that decodes to a NUL byte would be cut short at it
 * ("/static/app.css%00.x" served app.css): it becomes the one byte 0xFF,
 * which no path starts with and no text holds, and is refused. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	size_t n = MHD_http_unescape(s);
	if (strlen(s) != n) {
		s[0] = (char)0xFF;
		s[1] = 0;
		return 1;
	}
	return n;
}

static enum MHD_Result same_length(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	(void)kind;
	const char **first = cls;
	if (strcasecmp(key, "Content-Length"))
		return MHD_YES;
	if (*first && strcmp(*first, value)) {
		*first = NULL; /* two that differ */
		return MHD_NO;
	}
	*first = value;
	return MHD_YES;
}

/* Why a request is refused before anything else, or NULL: a NUL in its path
 * or arguments, two Content-Length headers that differ (which one would a
 * proxy in front have believed?). */
static enum MHD_Result nul_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	int *found = cls;
	*found |= key[0] == (char)0xFF || (value && value[0] == (char)0xFF && !value[1]);
	return MHD_YES;
}

/* More headers or query arguments than a request holds (REQ_MAX_KV) are
 * refused, never dropped: a dropped argument would change what was asked. */
static const char *too_many(struct conn_state *cs, struct MHD_Connection *c)
{
	if (MHD_get_connection_values(c, MHD_HEADER_KIND, NULL, NULL) > REQ_MAX_KV) {
		cs->refused_status = 431;
		cs->refused_field = "headers";
		return "Quá nhiều tiêu đề (tối đa 64) / too many headers (at most 64)";
	}
	if (MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL) > REQ_MAX_KV) {
		cs->refused_field = "query";
		return "Quá nhiều tham số (tối đa 64) / too many query parameters (at most 64)";
	}
	return NULL;
}

static const char *malformed(struct conn_state *cs, struct MHD_Connection *c, const char *url)
{
	cs->refused_status = 400;
	cs->refused_field = "path";
	int nul = url[0] == (char)0xFF;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, nul_arg, &nul);
	if (nul)
		return "Đường dẫn chứa ký tự NUL (%00) / the path holds a NUL character (%00)";
	const char *first = NULL;
	cs->refused_field = "Content-Length";
	if (MHD_get_connection_values(c, MHD_HEADER_KIND, same_length, &first) >= 0 && !first &&
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length"))
		return "Các tiêu đề Content-Length khác nhau / differing Content-Length headers";
	return too_many(cs, c);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	(void)cls;
	(void)version;
	struct conn_state *cs = *con_cls;
	if (!cs)
		*con_cls = cs = on_uri(NULL, url, c);
	if (cs->off)
		return deliver(c, cs);
	if (!cs->begun) {
		cs->begun = 1;
		cs->limit = router_body_limit(method, url);
		cs->malformed = malformed(cs, c, url);
		if (cs->malformed)
			return answer(c, cs, url, method);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > cs->limit) {
			cs->too_big = 1;
			return answer(c, cs, url, method); /* answer before reading the body */
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cs->too_big && cs->body.len + *upload_data_size <= cs->limit)
			buf_append(&cs->body, upload_data, *upload_data_size);
		else
			cs->too_big = 1;
		*upload_data_size = 0;
		return MHD_YES;
	}
	return answer(c, cs, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct conn_state *cs = *con_cls;
	if (!cs)
		return;
	arena_free(cs->arena);
	buf_free(&cs->body);
	free(cs);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct err *e)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return err_set(e, ERR_INVALID, "listen", "--listen must be ADDR:PORT, got %s", listen);
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return err_set(e, ERR_INVALID, "listen", "--listen must be IPv4ADDR:PORT, got %s",
		               listen);
	return 0;
}

static int wait_for_signal(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	int sig = 0;
	sigwait(&set, &sig);
	return sig;
}

int server_run(const struct server_options *o, struct err *e)
{
	opts = o;
	opened = o->opened;
	struct sockaddr_in sa;
	if (parse_listen(o->listen, &sa, e) < 0) {
		close_stores();
		return ERR_INVALID;
	}
	/* Block the signals in every thread; the main thread waits for them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME,
		0, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads > 0 ? o->threads : 4),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_URI_LOG_CALLBACK,
		on_uri, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)(o->idle_timeout > 0 ? o->idle_timeout : 15),
		/* One client cannot hold every connection: beyond its share, its
		 * new connections are closed at once (issue 11). */
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->per_address,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
		/* MHD zeroes this much at every request of a kept-alive connection:
		 * 256 KiB was a quarter of /healthz's time. 64 KiB holds 64 long
		 * headers (limits.test.mjs); bodies are read through it in parts. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_END);
	if (!d) {
		close_stores();
		return err_set(e, ERR_IO, "listen", "cannot listen on %s (port in use?)", o->listen);
	}
	if (o->workers > 0 && job_workers_start(o->db, o->workers, e) < 0) {
		MHD_stop_daemon(d);
		close_stores();
		return ERR_IO;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[64];
	snprintf(host, sizeof host, "%.*s", (int)(strrchr(o->listen, ':') - o->listen), o->listen);
	printf("khuyencong: serving http://%s:%u/ (database %s)\n", host,
	       di ? (unsigned)di->port : 0u, o->db);
	fflush(stdout);
	int sig = wait_for_signal();
	fprintf(stderr, "khuyencong: signal %d, finishing requests in flight\n", sig);
	/* Stop accepting: new connections are refused while requests finish. */
	MHD_socket lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		shutdown(lfd, SHUT_RDWR);
	fprintf(stderr, "khuyencong: no new connections; %d requests in flight\n",
		atomic_load(&in_flight));
	/* Meanwhile the jobs stop: cancelled, rolled back, queued again. */
	job_workers_stop();
	for (int i = 0; i < 3000 && atomic_load(&in_flight) > 0; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		close(lfd); /* ours after quiesce, closed only once MHD has stopped */
	close_stores();
	fprintf(stderr, "khuyencong: stopped\n");
	return 0;
}
