/* clock.c - wall and monotonic time. */
#include "core/clock.h"

#include <stdio.h>
#include <time.h>

int64_t clock_now(void)
{
	return (int64_t)time(NULL);
}

int64_t clock_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void clock_iso(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void clock_today_vn(char out[11])
{
	char iso[21];
	clock_iso(clock_now() + 7 * 3600, iso);
	snprintf(out, 11, "%.10s", iso);
}

void clock_today(char out[11])
{
	char iso[21];
	clock_iso(clock_now(), iso);
	snprintf(out, 11, "%.10s", iso);
}
