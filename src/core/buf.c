/* buf.c - growable buffer and the printf engine with escaping conversions. */
#include "core/buf.h"

#include "core/mem.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

int buf_read_file(struct buf *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

int cell_formula_like(const char *s)
{
	while (s && *s == '\'')
		s++;
	return s && *s && strchr("=+-@\t\r", *s);
}

/* "-5", "-1.234,5", "-7%": a negative number as the exports write it. */
static int plain_number(const char *s)
{
	if (*s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s) || *s == '.' || *s == ',')
		s++;
	if (*s == '%')
		s++;
	return !*s;
}

/* Is the "'" of buf_cell_text needed before s? */
static int needs_quote(const char *s, int figure)
{
	return cell_formula_like(s) && !(figure && plain_number(s));
}

void buf_cell_text(struct buf *b, const char *s, int figure)
{
	if (!s)
		return;
	if (needs_quote(s, figure))
		buf_putc(b, '\'');
	buf_puts(b, s);
}

const char *cell_unquote(const char *s)
{
	return s && *s == '\'' && cell_formula_like(s + 1) ? s + 1 : s;
}

static void csv_quoted(struct buf *b, const char *s, int figure)
{
	buf_putc(b, '"');
	if (needs_quote(s, figure))
		buf_putc(b, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

void buf_csv_field(struct buf *b, const char *s)
{
	csv_quoted(b, s, 0);
}

void buf_csv_number(struct buf *b, const char *s)
{
	csv_quoted(b, s, 1);
}

void buf_html(struct buf *b, const char *s)
{
	if (!s)
		return;
	/* Runs of plain text are copied whole: a page escapes most of its text. */
	for (const char *p = s;;) {
		size_t n = strcspn(p, "&<>\"'");
		if (n)
			buf_append(b, p, n);
		p += n;
		switch (*p) {
		case 0:
			return;
		case '&':
			buf_append(b, "&amp;", 5);
			break;
		case '<':
			buf_append(b, "&lt;", 4);
			break;
		case '>':
			buf_append(b, "&gt;", 4);
			break;
		case '"':
			buf_append(b, "&quot;", 6);
			break;
		default:
			buf_append(b, "&#39;", 5);
			break;
		}
		p++;
	}
}

void buf_url(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 3);
		}
	}
}

/* Does c need an escape in a JSON string literal (buf_json_str)? */
static int json_special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c == '<';
}

void buf_json_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!s) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s;; p++) {
		const unsigned char *run = p;
		while (*p && !json_special(*p))
			p++;
		if (p > run)
			buf_append(b, run, (size_t)(p - run)); /* plain text copied whole */
		unsigned char c = *p;
		switch (c) {
		case 0:
			buf_putc(b, '"');
			return;
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '<': buf_puts(b, "\\u003c"); break; /* safe inside <script> */
		default: {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			buf_append(b, e, 6);
		}
		}
	}
}

/* Formats one standard conversion spec with snprintf, sized exactly. */
#define FMT_INTO(b, spec, type, expr)                                                              \
	do {                                                                                       \
		type value = (expr); /* va_arg must run once */                                    \
		int n_ = snprintf(NULL, 0, spec, value);                                           \
		if (n_ > 0) {                                                                      \
			buf_grow(b, (size_t)n_);                                                   \
			snprintf((b)->data + (b)->len, (size_t)n_ + 1, spec, value);               \
			(b)->len += (size_t)n_;                                                    \
		}                                                                                  \
	} while (0)

static void fmt_standard(struct buf *b, const char *spec, char conv, const char *len, va_list *ap)
{
	if (conv == 's') {
		const char *s = va_arg(*ap, const char *);
		FMT_INTO(b, spec, const char *, s ? s : "(null)");
	} else if (conv == 'c') {
		FMT_INTO(b, spec, int, va_arg(*ap, int));
	} else if (strchr("eEfFgGaA", conv)) {
		if (!strcmp(len, "L"))
			FMT_INTO(b, spec, long double, va_arg(*ap, long double));
		else
			FMT_INTO(b, spec, double, va_arg(*ap, double));
	} else if (conv == 'p') {
		FMT_INTO(b, spec, void *, va_arg(*ap, void *));
	} else if (!strcmp(len, "ll")) {
		FMT_INTO(b, spec, long long, va_arg(*ap, long long));
	} else if (!strcmp(len, "l")) {
		FMT_INTO(b, spec, long, va_arg(*ap, long));
	} else if (!strcmp(len, "z")) {
		FMT_INTO(b, spec, size_t, va_arg(*ap, size_t));
	} else if (!strcmp(len, "j")) {
		FMT_INTO(b, spec, intmax_t, va_arg(*ap, intmax_t));
	} else if (!strcmp(len, "t")) {
		FMT_INTO(b, spec, ptrdiff_t, va_arg(*ap, ptrdiff_t));
	} else {
		FMT_INTO(b, spec, int, va_arg(*ap, int));
	}
}

/* v in decimal, as "%llu" writes it. */
static void put_unsigned(struct buf *b, unsigned long long v)
{
	char t[24], *p = t + sizeof t;
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	buf_append(b, p, (size_t)(t + sizeof t - p));
}

static void put_signed(struct buf *b, long long v)
{
	if (v < 0)
		buf_putc(b, '-');
	put_unsigned(b, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v);
}

/* The plainest conversions (no flag, width or precision) without snprintf,
 * which a page or a list makes thousands of times: 1 when done. */
static int fmt_plain(struct buf *b, char conv, const char *len, va_list *ap)
{
	if (conv == 's' && !*len) {
		const char *s = va_arg(*ap, const char *);
		buf_puts(b, s ? s : "(null)");
	} else if (conv == 'd' || conv == 'i') {
		if (!*len)
			put_signed(b, va_arg(*ap, int));
		else if (!strcmp(len, "l"))
			put_signed(b, va_arg(*ap, long));
		else if (!strcmp(len, "ll"))
			put_signed(b, va_arg(*ap, long long));
		else
			return 0;
	} else if (conv == 'u') {
		if (!*len)
			put_unsigned(b, va_arg(*ap, unsigned));
		else if (!strcmp(len, "l"))
			put_unsigned(b, va_arg(*ap, unsigned long));
		else if (!strcmp(len, "ll"))
			put_unsigned(b, va_arg(*ap, unsigned long long));
		else if (!strcmp(len, "z"))
			put_unsigned(b, va_arg(*ap, size_t));
		else
			return 0;
	} else {
		return 0;
	}
	return 1;
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap0)
{
	va_list ap;
	va_copy(ap, ap0);
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		if (!pct) {
			buf_puts(b, p);
			break;
		}
		buf_append(b, p, (size_t)(pct - p));
		const char *q = pct + 1;
		if (*q == '%') {
			buf_putc(b, '%');
			p = q + 1;
			continue;
		}
		char spec[32];
		size_t sn = 0;
		spec[sn++] = '%';
		while (*q && strchr("-+ #0", *q) && sn < 8)
			spec[sn++] = *q++;
		int star_w = 0, star_p = 0;
		if (*q == '*') {
			star_w = 1;
			spec[sn++] = *q++;
		}
		while (*q >= '0' && *q <= '9' && sn < 14)
			spec[sn++] = *q++;
		if (*q == '.') {
			spec[sn++] = *q++;
			if (*q == '*') {
				star_p = 1;
				spec[sn++] = *q++;
			}
			while (*q >= '0' && *q <= '9' && sn < 20)
				spec[sn++] = *q++;
		}
		/* h, j, t are escaping conversions unless an integer conversion follows. */
		char len[3] = "";
		if ((*q == 'h' || *q == 'j' || *q == 't') && q[1] && strchr("diouxX", q[1])) {
			len[0] = *q++;
		} else if (*q == 'h' && q[1] == 'h') {
			len[0] = 'h';
			len[1] = 'h';
			q += 2;
		} else if (*q == 'L') {
			len[0] = *q++;
		} else if (*q == 'l' || *q == 'z') {
			len[0] = *q++;
			if (len[0] == 'l' && *q == 'l')
				len[1] = *q++;
		}
		char conv = *q;
		if (!conv)
			break;
		p = q + 1;
		if (!len[0] && (conv == 'h' || conv == 't' || conv == 'j')) {
			const char *s = va_arg(ap, const char *);
			if (conv == 'h')
				buf_html(b, s);
			else if (conv == 't')
				buf_url(b, s);
			else
				buf_json_str(b, s);
			continue;
		}
		if (sn == 1 && fmt_plain(b, conv, len, &ap))
			continue;
		memcpy(spec + sn, len, strlen(len));
		sn += strlen(len);
		spec[sn++] = conv;
		spec[sn] = 0;
		/* Width/precision given as '*' are consumed and folded into the spec. */
		if (star_w || star_p) {
			char fixed[48];
			size_t fn = 0;
			for (size_t i = 0; i < sn && fn < sizeof fixed - 12; i++) {
				if (spec[i] == '*')
					fn += (size_t)snprintf(fixed + fn, sizeof fixed - fn, "%d", va_arg(ap, int));
				else
					fixed[fn++] = spec[i];
			}
			fixed[fn] = 0;
			fmt_standard(b, fixed, conv, len, &ap);
		} else {
			fmt_standard(b, spec, conv, len, &ap);
		}
	}
	va_end(ap);
	if (!b->data)
		buf_grow(b, 0), b->data[0] = 0;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *buf_cstr(struct buf *b)
{
	if (!b->data)
		buf_grow(b, 0), b->data[0] = 0;
	return b->data;
}

char *buf_detach(struct buf *b)
{
	buf_cstr(b);
	char *s = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
