/* bench/timer.c - the single timings of `make bench` (bench/table), without
 * the fork and exec of a shell or curl in the measured time.
 *
 *   timer exec CMD...          run CMD (its output discarded); print its wall
 *                              time in ms and its peak resident set in kB
 *   timer first200 PORT CMD... start CMD, send GET /healthz to 127.0.0.1:PORT
 *                              until a 200 comes back, print the ms from exec to
 *                              that answer, then stop CMD (SIGTERM) and wait
 *
 * Exits 1 when CMD fails or dies before answering. Built by bench/table with cc. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static pid_t spawn(char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0), dup2(null, 1), dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* 1 when 127.0.0.1:port answered GET /healthz with 200. */
static int healthy(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int ok = 0;
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) == 0) {
		static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
		char buf[64] = {0};
		if (write(s, req, sizeof req - 1) == (ssize_t)sizeof req - 1 &&
		    read(s, buf, sizeof buf - 1) > 12)
			ok = !strncmp(buf + 9, "200", 3);
	}
	close(s);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "exec")) {
		double t0 = now_ms();
		pid_t pid = spawn(argv + 2);
		int status;
		struct rusage ru;
		if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
			return 1;
		double ms = now_ms() - t0;
		printf("%.2f %ld\n", ms, ru.ru_maxrss);
		return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
	}
	if (argc > 3 && !strcmp(argv[1], "first200")) {
		int port = atoi(argv[2]);
		double t0 = now_ms();
		pid_t pid = spawn(argv + 3);
		int status;
		while (!healthy(port)) {
			if (waitpid(pid, &status, WNOHANG) == pid || now_ms() - t0 > 30000) {
				fprintf(stderr, "timer: %s did not answer on port %d\n", argv[3], port);
				kill(pid, SIGKILL);
				return 1;
			}
			usleep(200); /* a benchmark's poll, not a test's wait */
		}
		double ms = now_ms() - t0;
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
		printf("%.2f\n", ms);
		return 0;
	}
	fprintf(stderr, "usage: timer exec CMD... | timer first200 PORT CMD...\n");
	return 2;
}
