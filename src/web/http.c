/* http.c - request lookups, urlencoded parsing and the reply helpers. */
#include "web/http.h"

#include "web/page.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *kv_get(const struct kv *kv, int n, const char *key, int nocase)
{
	for (int i = 0; i < n; i++)
		if (nocase ? !strcasecmp(kv[i].key, key) : !strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

const char *req_header(const struct req *r, const char *name)
{
	return kv_get(r->headers, r->nheaders, name, 1);
}

const char *req_query(const struct req *r, const char *key)
{
	return kv_get(r->query, r->nquery, key, 0);
}

const char *req_form(const struct req *r, const char *key)
{
	return kv_get(r->form, r->nform, key, 0);
}

const char *req_cookie(const struct req *r, const char *name)
{
	const char *c = req_header(r, "Cookie");
	size_t n = strlen(name);
	while (c && *c) {
		while (*c == ' ' || *c == ';')
			c++;
		const char *end = strchr(c, ';');
		size_t len = end ? (size_t)(end - c) : strlen(c);
		if (len > n && !strncmp(c, name, n) && c[n] == '=')
			return arena_strndup(r->arena, c + n + 1, len - n - 1);
		c = end;
	}
	return NULL;
}

int req_wants_json(const struct req *r)
{
	if (!strncmp(r->path, "/api/", 5))
		return 1;
	const char *accept = req_header(r, "Accept");
	return accept && strstr(accept, "application/json") && !strstr(accept, "text/html");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes %XX and '+' in place-copy of [s, s+n). */
static char *url_decode(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			*o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = 0;
	return out;
}

int http_parse_urlencoded(struct arena *a, const char *s, struct kv *kv, int max)
{
	int n = 0;
	while (s && *s) {
		const char *amp = strchr(s, '&');
		size_t len = amp ? (size_t)(amp - s) : strlen(s);
		if (len) {
			if (n >= max)
				return -1;
			const char *eq = memchr(s, '=', len);
			size_t klen = eq ? (size_t)(eq - s) : len;
			kv[n].key = url_decode(a, s, klen);
			kv[n].value = eq ? url_decode(a, eq + 1, len - klen - 1) : "";
			n++;
		}
		s = amp ? amp + 1 : NULL;
	}
	return n;
}

void resp_header(struct req *r, struct resp *w, const char *name, const char *value)
{
	if (w->nheaders >= RESP_MAX_HEADERS)
		return;
	w->headers[w->nheaders].key = name;
	/* Copied: a caller's buffer (a Location written on its stack) is gone
	 * by the time the response is sent. */
	w->headers[w->nheaders].value = arena_strdup(r->arena, value);
	w->nheaders++;
}

void reply_json(struct resp *w, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	buf_reset(&w->body);
	buf_puts(&w->body, s ? s : "null");
	free(s);
	w->status = status;
	w->content_type = "application/json; charset=utf-8";
}

void reply_text(struct resp *w, int status, const char *content_type, const char *text)
{
	buf_reset(&w->body);
	buf_puts(&w->body, text);
	w->status = status;
	w->content_type = content_type;
}

void resp_stream(struct resp *w, int (*fill)(void *ctx, struct buf *out),
		 void (*fill_free)(void *ctx), void *ctx)
{
	buf_reset(&w->body);
	w->fill = fill;
	w->fill_free = fill_free;
	w->fill_ctx = ctx;
}

int resp_drain(struct resp *w)
{
	int rc = 0;
	if (!w->fill)
		return 0;
	while ((rc = w->fill(w->fill_ctx, &w->body)) == 1)
		;
	if (w->fill_free)
		w->fill_free(w->fill_ctx);
	w->fill = NULL;
	return rc;
}

void req_default_lang(struct req *r)
{
	const char *l = req_cookie(r, "kc_lang");
	r->lang = l && !strcmp(l, "en") ? "en" : "vi";
}

void reply_error(struct req *r, struct resp *w, int status, const char *code,
                 const char *message, const char *field)
{
	if (req_wants_json(r)) {
		json_t *err = json_pack("{s:s,s:s}", "code", code, "message", message);
		json_object_set_new(err, "field", field && *field ? json_string(field) : json_null());
		reply_json(w, status, json_pack("{s:o}", "error", err));
		return;
	}
	page_error(r, w, status, message);
}

void reply_err(struct req *r, struct resp *w, const struct err *e)
{
	reply_error(r, w, err_http_status(e->code), err_name(e->code), e->message, e->field);
}

static json_t *err_json(const struct err *e)
{
	json_t *o = json_pack("{s:s,s:s}", "code", err_name(e->code), "message", e->message);
	json_object_set_new(o, "field", e->field[0] ? json_string(e->field) : json_null());
	return o;
}

void reply_errs(struct req *r, struct resp *w, const struct err *e, const struct errs *l)
{
	if (!req_wants_json(r) || !l || !l->n) {
		reply_err(r, w, e);
		return;
	}
	json_t *all = json_array();
	for (int i = 0; i < l->n; i++)
		json_array_append_new(all, err_json(&l->item[i]));
	reply_json(w, err_http_status(e->code),
	           json_pack("{s:o,s:o}", "error", err_json(e), "errors", all));
}

void reply_redirect(struct req *r, struct resp *w, const char *location)
{
	buf_reset(&w->body);
	w->status = 303;
	w->content_type = "text/plain; charset=utf-8";
	resp_header(r, w, "Location", location);
}

void resp_offload_here(struct req *r, struct resp *w)
{
	struct resp_offload o = w->offload;
	if (!o.run)
		return;
	memset(&w->offload, 0, sizeof w->offload);
	o.run(o.arg);
	o.finish(o.arg, r, w);
}
