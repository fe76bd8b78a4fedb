/* server.h - the HTTP server: libmicrohttpd, a thread pool, one database
 * connection per thread, access log, limits and graceful shutdown. */
#ifndef KC_SERVER_H
#define KC_SERVER_H

#include "core/err.h"

struct server_options {
	const char *db;     /* database URL or path */
	const char *listen; /* "ADDR:PORT"; port 0 picks a free one */
	int threads;        /* worker threads (default 4) */
	int secure_cookies; /* mark cookies Secure (behind HTTPS) */
	int quiet;          /* no access log */
	const char *trust_proxy; /* address of a reverse proxy whose X-Forwarded-For is believed */
	int workers;             /* background job threads (web/jobs.h); 0 for none */
	int per_address;	 /* open connections from one address; 0: no limit */
	int idle_timeout;	 /* seconds before an idle connection is closed */
	/* A connection to db already open (serve's, which migrated it), or
	 * NULL: the first request thread takes it rather than open one more
	 * (a schema read; the first answer comes that much sooner). Owned by
	 * server_run from the call on, closed with the others. */
	struct store *opened;
};

/* Serves until SIGINT or SIGTERM, then stops accepting, stops the job
 * workers (a running job is cancelled and queued again for another server),
 * lets requests in flight finish (up to 30 s), closes every database
 * connection and returns 0.
 * Prints the URL (with the real port) on stdout once listening. */
int server_run(const struct server_options *o, struct err *e);

#endif
