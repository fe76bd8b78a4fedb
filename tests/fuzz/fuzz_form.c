/* fuzz_form.c - the request parsers that need no database: query strings and
 * urlencoded forms (http_parse_urlencoded), cookies (req_cookie and the
 * language cookie), multipart bodies (web/upload.c) and route parameters
 * (router_match against every pattern of the route table).
 * Input: "Content-Type\nCookie\npath\nbody" (the body may hold anything). */
#include "fuzz.h"

#include "web/router.h"
#include "web/upload.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *rest = s;
	char *ct = fuzz_line(&rest), *cookie = fuzz_line(&rest), *path = fuzz_line(&rest);
	if (!path) {
		free(s);
		return 0;
	}
	struct req r = {.arena = arena_new(), .method = "POST", .path = path, .addr = "127.0.0.1"};
	r.headers[r.nheaders++] = (struct kv){"Content-Type", ct};
	r.headers[r.nheaders++] = (struct kv){"Cookie", cookie};
	/* The body keeps its bytes after a NUL: multipart parts are binary. */
	size_t off = (size_t)(rest - s);
	r.body = (const char *)data + (off < size ? off : size);
	r.body_len = off < size ? size - off : 0;
	char *body = arena_alloc(r.arena, r.body_len + 1);
	memcpy(body, r.body, r.body_len);
	body[r.body_len] = 0;
	r.body = body;

	r.nquery = http_parse_urlencoded(r.arena, body, r.query, REQ_MAX_KV);
	req_cookie(&r, "kc_session");
	req_cookie(&r, "");
	req_default_lang(&r);
	if (upload_parse_fields(&r) == 0) {
		struct upload up;
		struct err e;
		upload_file(&r, "file", &up, &e);
		req_form(&r, "_csrf");
	}
	const char *params[REQ_MAX_PARAMS];
	for (const struct route *rt = routes; rt->method; rt++)
		router_match(r.arena, rt->pattern, path, params);
	router_body_limit("POST", path);
	arena_free(r.arena);
	free(s);
	return 0;
}
