/* mem.h - allocation that aborts on out-of-memory, and per-request arenas. */
#ifndef KC_MEM_H
#define KC_MEM_H

#include <stddef.h>

/* The xmalloc family never returns NULL: out of memory aborts the process. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* s (NULL as "") into dst of n > 0 bytes, cut to fit; no printf, for
 * copies made by the thousand (units read by an import). */
void str_copy(char *dst, size_t n, const char *s);

/* An arena hands out memory freed all at once by arena_free(); requests own one. */
struct arena;
/* Returns a new empty arena; caller frees it with arena_free(). */
struct arena *arena_new(void);
/* Frees every allocation of a and a itself. NULL is allowed. */
void arena_free(struct arena *a);
/* Zeroed memory that lives until arena_free(a). Never fails. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies of s (or its first n bytes) in a; NULL gives NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

#endif
