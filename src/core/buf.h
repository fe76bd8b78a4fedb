/* buf.h - the growable byte buffer and the one printf engine of the project.
 *
 * buf_printf() understands the C conversions (%s %d %u %ld %lld %zu %x %c %f
 * %g %% with flags, width and precision) plus three escaping ones that take a
 * const char *:
 *   %h  HTML-escaped text (& < > " '), NULL prints nothing
 *   %t  URL-encoded text (RFC 3986 unreserved kept), NULL prints nothing
 *   %j  a JSON string literal with its quotes, NULL prints null
 * GCC cannot check these custom conversions, so the printf attribute is not
 * declared; scripts/codecheck instead compiles every call of buf_printf and
 * page_printf against a printf-checked declaration (with %h %t %j read as
 * %s: a const char *), so arguments that disagree with their format, or a
 * format that is not a literal, fail the suite; and it rejects a bare %s in
 * page_printf (HTML). A "*" width or precision is not read for %h %t %j. */
#ifndef KC_BUF_H
#define KC_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data; /* always NUL-terminated when len > 0 or after buf_cstr() */
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

/* Appends n bytes / a C string / one byte. Never fails (aborts on OOM). */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
/* Appends the whole file at path: 0, or -1 (errno says why) when it cannot
 * be opened or read; what was read before a read error stays appended. */
int buf_read_file(struct buf *b, const char *path);

/* Appends formatted text using the engine described above. */
void buf_printf(struct buf *b, const char *fmt, ...);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Escaping appenders used by the engine, callable directly. */
void buf_html(struct buf *b, const char *s);
void buf_url(struct buf *b, const char *s);
void buf_json_str(struct buf *b, const char *s);
/* Text that leaves the system in a spreadsheet (CSV, XLSX) is neutralised by
 * OWASP's rule against formula injection: a text starting with = + - @ tab
 * or CR gets a "'" in front, so that no spreadsheet runs it. A text that
 * starts with "'" before such a start gets one too, so the rule can be
 * undone exactly (cell_unquote).
 * cell_formula_like: does s need the "'"? (NULL: no).
 * buf_cell_text: appends s, with the "'" when needed; `figure` says s is the
 *   text of a number column, where a plain number ("-5", "-1.234,5", "-7%")
 *   stays as it is (a number, never run as a formula).
 * cell_unquote: s without a "'" that buf_cell_text added (s or s + 1). */
int cell_formula_like(const char *s);
void buf_cell_text(struct buf *b, const char *s, int figure);
const char *cell_unquote(const char *s);
/* s as one RFC 4180 field, always quoted, '"' doubled (NULL: ""), as text
 * (buf_cell_text); buf_csv_number the same for a number column. */
void buf_csv_field(struct buf *b, const char *s);
void buf_csv_number(struct buf *b, const char *s);
/* Returns the contents as a C string (an empty string for an empty buffer).
 * The pointer belongs to b and is valid until the next change. */
const char *buf_cstr(struct buf *b);
/* Hands the heap string to the caller (free() it) and leaves b empty. */
char *buf_detach(struct buf *b);
/* Empties b but keeps its memory. */
void buf_reset(struct buf *b);
/* Frees b's memory and leaves it empty. */
void buf_free(struct buf *b);

#endif
