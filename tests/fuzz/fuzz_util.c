/* fuzz_util.c - helpers of the fuzz targets. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	return s;
}

const char *fuzz_memfile(const void *data, size_t size, int *fd, char path[32])
{
	*fd = memfd_create("fuzz", 0);
	if (*fd < 0 || (size && write(*fd, data, size) != (ssize_t)size))
		abort();
	snprintf(path, 32, "/proc/self/fd/%d", *fd);
	return path;
}

char *fuzz_line(char **s)
{
	char *nl = strchr(*s, '\n');
	if (!nl)
		return NULL;
	*nl = 0;
	char *line = *s;
	*s = nl + 1;
	return line;
}
