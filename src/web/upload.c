/* upload.c - a small multipart/form-data reader: boundaries are found with
 * memmem (file parts are binary), each part's headers give its name and
 * file name; values point into the request body. */
#include "web/upload.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct part {
	const char *name, *filename, *type; /* arena copies; NULL when absent */
	const char *data;
	size_t size;
};

/* The boundary of a multipart/form-data content type, into out (size n);
 * 0 when ct is not multipart/form-data with a usable boundary. */
static int boundary_of(const char *ct, char *out, size_t n)
{
	if (!ct || strncasecmp(ct, "multipart/form-data", 19))
		return 0;
	const char *b = strcasestr(ct, "boundary=");
	if (!b)
		return 0;
	b += 9;
	size_t len;
	if (*b == '"') {
		const char *end = strchr(++b, '"');
		len = end ? (size_t)(end - b) : 0;
	} else {
		len = strcspn(b, "; \t");
	}
	if (len == 0 || len > 70 || len + 3 > n)
		return 0;
	snprintf(out, n, "--%.*s", (int)len, b);
	return 1;
}

/* The value of a parameter (name="x") of a header line [h, end), or NULL. */
static const char *header_param(struct arena *a, const char *h, const char *end, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = h; p + klen + 2 <= end; p++) {
		if ((p == h || p[-1] == ' ' || p[-1] == ';') && !strncasecmp(p, key, klen) &&
		    p[klen] == '=' && p[klen + 1] == '"') {
			const char *v = p + klen + 2, *q = memchr(v, '"', (size_t)(end - v));
			return q ? arena_strndup(a, v, (size_t)(q - v)) : NULL;
		}
	}
	return NULL;
}

/* Reads the headers [h, end) of one part into p. */
static void part_headers(struct arena *a, const char *h, const char *end, struct part *p)
{
	while (h < end) {
		const char *eol = memmem(h, (size_t)(end - h), "\r\n", 2);
		if (!eol)
			eol = end;
		if (!strncasecmp(h, "Content-Disposition:", 20)) {
			p->name = header_param(a, h, eol, "name");
			p->filename = header_param(a, h, eol, "filename");
		} else if (!strncasecmp(h, "Content-Type:", 13)) {
			const char *v = h + 13;
			while (v < eol && *v == ' ')
				v++;
			p->type = arena_strndup(a, v, (size_t)(eol - v));
		}
		h = eol + 2;
	}
}

/* The next part after *pos: 1 with p filled, 0 after the closing
 * delimiter, -1 when the body is malformed. */
static int next_part(struct arena *a, const char *body, size_t len, const char *delim, size_t *pos,
		     struct part *p)
{
	size_t dlen = strlen(delim);
	const char *end = body + len, *d = body + *pos;
	if (*pos == 0) {
		d = memmem(body, len, delim, dlen); /* skip the preamble */
		if (!d)
			return -1;
	}
	d += dlen;
	if (end - d >= 2 && !memcmp(d, "--", 2))
		return 0;
	if (end - d < 2 || memcmp(d, "\r\n", 2))
		return -1;
	const char *h = d + 2;
	const char *hend = memmem(h, (size_t)(end - h), "\r\n\r\n", 4);
	if (!hend)
		return -1;
	memset(p, 0, sizeof *p);
	part_headers(a, h, hend + 2, p);
	p->data = hend + 4;
	char closing[80];
	snprintf(closing, sizeof closing, "\r\n%s", delim);
	const char *next = memmem(p->data, (size_t)(end - p->data), closing, dlen + 2);
	if (!next || !p->name)
		return -1;
	p->size = (size_t)(next - p->data);
	*pos = (size_t)(next + 2 - body);
	return 1;
}

int upload_parse_fields(struct req *r)
{
	char delim[80];
	if (!boundary_of(req_header(r, "Content-Type"), delim, sizeof delim))
		return 0;
	size_t pos = 0;
	struct part p;
	int rc;
	while ((rc = next_part(r->arena, r->body, r->body_len, delim, &pos, &p)) == 1) {
		if (p.filename)
			continue;
		if (r->nform >= REQ_MAX_KV)
			return -1;
		r->form[r->nform].key = p.name;
		r->form[r->nform].value = arena_strndup(r->arena, p.data, p.size);
		r->nform++;
	}
	return rc;
}

int upload_file(const struct req *r, const char *field, struct upload *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	char delim[80];
	if (!boundary_of(req_header(r, "Content-Type"), delim, sizeof delim)) {
		out->data = (const unsigned char *)r->body;
		out->size = r->body_len;
		out->content_type = req_header(r, "Content-Type");
	} else {
		size_t pos = 0;
		struct part p;
		while (next_part(r->arena, r->body, r->body_len, delim, &pos, &p) == 1) {
			if (p.filename && !strcmp(p.name, field)) {
				out->data = (const unsigned char *)p.data;
				out->size = p.size;
				out->filename = p.filename;
				out->content_type = p.type;
				break;
			}
		}
	}
	if (!out->data || !out->size)
		return err_set(e, ERR_INVALID, field, "Chưa chọn tệp / no file was sent");
	return 0;
}
