/* http.h - a request and its response as handlers see them, independent of
 * libmicrohttpd so that tests can build requests and call the router. */
#ifndef KC_HTTP_H
#define KC_HTTP_H

#include "core/buf.h"
#include "core/mem.h"
#include "model/session.h"
#include "store/store.h"

#include <jansson.h>

struct kv {
	const char *key;
	const char *value;
};

enum { REQ_MAX_KV = 64, REQ_MAX_PARAMS = 4, RESP_MAX_HEADERS = 12 };

struct route;
struct resp;

struct req {
	struct arena *arena;   /* everything below lives in it */
	const char *method;    /* "GET", "POST", ... */
	const char *path;      /* decoded path without the query */
	const char *target;    /* path and query as received (not decoded), or NULL */
	struct kv query[REQ_MAX_KV];
	int nquery;
	struct kv headers[REQ_MAX_KV];
	int nheaders;
	const char *body;      /* NUL-terminated, body_len bytes */
	size_t body_len;
	const char *addr;      /* client address */
	/* Filled by the router: */
	const struct route *route;
	const char *params[REQ_MAX_PARAMS]; /* {placeholders} of the path, in order */
	struct kv form[REQ_MAX_KV];         /* urlencoded form fields */
	int nform;
	json_t *json;                       /* parsed JSON body, owned by the request */
	struct store *st;                   /* this thread's connection */
	int authed;                         /* a live session was found */
	int via_cookie;                     /* ...through the cookie (CSRF applies) */
	struct session session;
	struct actor actor;                 /* the caller (empty when not authed) */
	const char *lang;                   /* "vi" or "en" */
	const struct err *form_error;       /* a failed form post, its page shown again */
	char province_found[8];		    /* era and code of the last province found
					       (params.c): a query's province is looked
					       up once, not by each check of it */
	int secure_cookies;
};

/* Work a handler hands off the request threads (a label sheet's render), so
 * that they stay free for other requests: run(arg) goes on a thread of its
 * own, with no request and no database; then finish(arg, r, w) fills the
 * response back on a request thread, and frees arg. */
struct resp_offload {
	void (*run)(void *arg);
	void (*finish)(void *arg, struct req *r, struct resp *w);
	void *arg;
};

struct resp {
	int status;
	const char *content_type;
	struct buf body;
	struct kv headers[RESP_MAX_HEADERS];
	int nheaders;
	struct resp_offload offload; /* set by a handler that offloads, else zero */
	/* A body made while it is sent (resp_stream), instead of body. */
	int (*fill)(void *ctx, struct buf *out);
	void (*fill_free)(void *ctx);
	void *fill_ctx;
};

/* Sends the body as fill makes it, a part at a time, in constant memory:
 * fill appends the next part to out (runs on this thread, with r->st free
 * between calls) and returns 1, 0 once it has appended the last part, or < 0
 * on an error, which cuts the transfer off (the client sees an incomplete
 * response, never a short one that looks whole). fill_free(ctx) runs when
 * the response ends, however it ends. */
void resp_stream(struct resp *w, int (*fill)(void *ctx, struct buf *out),
		 void (*fill_free)(void *ctx), void *ctx);
/* Makes a streamed body whole in w->body (for callers without a socket:
 * tests). Returns the last fill's result: 0, or < 0 when it failed. */
int resp_drain(struct resp *w);

/* Lookups; NULL when absent. Header names compare case-insensitively. */
const char *req_header(const struct req *r, const char *name);
const char *req_query(const struct req *r, const char *key);
const char *req_form(const struct req *r, const char *key);
const char *req_cookie(const struct req *r, const char *name);
/* Sets r->lang from the kc_lang cookie (Vietnamese unless it says "en"). */
void req_default_lang(struct req *r);
/* True when the client asked for JSON (path under /api/ or Accept: json). */
int req_wants_json(const struct req *r);

/* Parses an application/x-www-form-urlencoded string into kv (arena copies);
 * returns the number of pairs or -1 when more than max. */
int http_parse_urlencoded(struct arena *a, const char *s, struct kv *kv, int max);

/* Adds a header to the response; the value is copied into the request's
 * arena (the name must be a literal). */
void resp_header(struct req *r, struct resp *w, const char *name, const char *value);

/* Replies. They set status, content type and body. */
void reply_json(struct resp *w, int status, json_t *body); /* steals body */
void reply_text(struct resp *w, int status, const char *content_type, const char *text);
/* An error as {"error":{"code","message","field"}} or as an HTML page,
 * chosen by req_wants_json(). field may be NULL. */
void reply_error(struct req *r, struct resp *w, int status, const char *code,
                 const char *message, const char *field);
/* The error e with the status its code implies. */
void reply_err(struct req *r, struct resp *w, const struct err *e);
/* reply_err, and in JSON every error of the input too: {"error": the first
 * (e), "errors": [each of l, same shape]}. */
void reply_errs(struct req *r, struct resp *w, const struct err *e, const struct errs *l);
/* 303 See Other to location. */
void reply_redirect(struct req *r, struct resp *w, const char *location);
/* Runs w's offloaded work here and now, on the calling thread (callers of
 * router_dispatch without a server: tests, fuzzing); nothing when none. */
void resp_offload_here(struct req *r, struct resp *w);

#endif
