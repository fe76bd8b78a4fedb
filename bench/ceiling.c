/* bench/ceiling.c - the HTTP ceiling of `make bench` (bench/table): a
 * libmicrohttpd server answering every request with the same small body, in
 * the threading mode of src/web/server.c (an internal polling thread per pool
 * member, epoll, a pool of THREADS, 4 by default). What khuyencong's answers
 * are compared with: the cost of HTTP on this machine, with no work behind it.
 *
 *   ceiling PORT [THREADS]   serve on 127.0.0.1:PORT (0: any free port), print
 *                            "ceiling: serving http://127.0.0.1:PORT/", stop on
 *                            SIGTERM or SIGINT
 *   ceiling --exit           load the library and exit (the start-up floor)
 *
 * Built by bench/table with cc and pkg-config libmicrohttpd; not part of the
 * product. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char body[] = "{\"status\":\"ok\"}\n";

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *size, void **state)
{
	(void)cls, (void)url, (void)method, (void)version, (void)data, (void)size;
	if (!*state) { /* the headers: answer on the next call, as khuyencong does */
		*state = c;
		return MHD_YES;
	}
	struct MHD_Response *r =
		MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result rc = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return MHD_get_version() ? 0 : 1;
	if (argc < 2) {
		fprintf(stderr, "usage: ceiling PORT [THREADS] | ceiling --exit\n");
		return 2;
	}
	unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 4;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
			MHD_ALLOW_SUSPEND_RESUME,
		0, NULL, NULL, answer, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT, 15u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024), MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "ceiling: cannot listen on port %s\n", argv[1]);
		return 1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	printf("ceiling: serving http://127.0.0.1:%u/\n", di ? di->port : 0);
	fflush(stdout);
	int sig;
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	return 0;
}
