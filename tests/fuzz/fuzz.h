/* fuzz.h - what the libFuzzer targets share (tests/fuzz/README.md). */
#ifndef KC_FUZZ_H
#define KC_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A malloc'd NUL-terminated copy of data (cut at its first NUL). */
char *fuzz_cstr(const uint8_t *data, size_t size);
/* The path of an anonymous in-memory file holding data ("/proc/self/fd/N"),
 * for readers that take a path; *fd is closed by the caller. */
const char *fuzz_memfile(const void *data, size_t size, int *fd, char path[32]);
/* Splits *s at the first '\n': returns the line (NUL-terminated in place)
 * and moves *s past it; NULL when *s has no '\n'. */
char *fuzz_line(char **s);
#endif
