/* fuzz_http.c - whole requests through the router and every handler, as one
 * of the roles, on a copy of a database made by `khuyencong init` (units,
 * industries, demo records): query strings, cookies, headers, route
 * parameters, JSON bodies of each record type, forms, multipart uploads.
 *
 * Environment: KC_FUZZ_DB, the path of that database (scripts/fuzz makes
 * it); it is copied, never written. Input: the first byte picks the caller
 * (anonymous, admin, ministry, province 33, province 01, establishment 1,
 * viewer, viewer of province 33), then "METHOD path?query\n", header lines
 * "Name: value\n", an empty line and the body. */
#include "fuzz.h"

#include "core/secret.h"
#include "model/session.h"
#include "web/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PW "fuzz-password-1"

static struct store *st;
static struct {
	struct user_input in;
	char token[TOKEN_TEXT];
} who[] = {
	{{"fz.admin", "F", "admin", NULL, 0}, ""},
	{{"fz.ministry", "F", "ministry", NULL, 0}, ""},
	{{"fz.p33", "F", "province", "33", 0}, ""},
	{{"fz.p01", "F", "province", "01", 0}, ""},
	{{"fz.est", "F", "establishment", NULL, 1}, ""},
	{{"fz.viewer", "F", "viewer", NULL, 0}, ""},
	{{"fz.viewer33", "F", "viewer", "33", 0}, ""},
};
enum { NWHO = sizeof who / sizeof who[0] };

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "fuzz_http: %s: %s\n", what, e->message);
	exit(1);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	if (!in || !out) {
		fprintf(stderr, "fuzz_http: cannot copy %s (KC_FUZZ_DB) to %s\n", from, to);
		exit(1);
	}
	char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

/* A live session of caller i (a fuzzed request may have ended it). */
static const char *token_of(int i)
{
	struct session s;
	if (who[i].token[0] && session_lookup(st, who[i].token, &s, NULL) == 0)
		return who[i].token;
	int64_t retry;
	struct err e;
	if (session_login(st, who[i].in.username, PW, "10.0.0.1", NULL, &s, &retry, &e) != 0)
		return NULL; /* disabled or a changed password: anonymous then */
	memcpy(who[i].token, s.token, TOKEN_TEXT);
	return who[i].token;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct err e;
	err_clear(&e);
	const char *tmpl = getenv("KC_FUZZ_DB");
	if (!tmpl) {
		fprintf(stderr, "fuzz_http: KC_FUZZ_DB must name a database made by init\n");
		exit(1);
	}
	char path[64];
	snprintf(path, sizeof path, "/tmp/kc-fuzz-http-%d.db", (int)getpid());
	copy_file(tmpl, path);
	if (secret_init(&e) < 0 || store_open(path, &st, &e) < 0)
		die("open", &e);
	unlink(path); /* gone when the process ends; the open file stays usable */
	struct actor cli;
	actor_cli(&cli);
	for (int i = 0; i < NWHO; i++)
		if (user_add(st, &cli, &who[i].in, PW, NULL, &e) < 0)
			die(who[i].in.username, &e);
	return 0;
}

static void add_header(struct req *r, char *line)
{
	char *colon = strchr(line, ':');
	if (!colon || r->nheaders >= REQ_MAX_KV)
		return;
	*colon = 0;
	const char *v = colon + 1;
	while (*v == ' ')
		v++;
	r->headers[r->nheaders++] = (struct kv){line, v};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	char *s = fuzz_cstr(data + 1, size - 1), *rest = s;
	char *first = fuzz_line(&rest), *sp = first ? strchr(first, ' ') : NULL;
	if (!sp) {
		free(s);
		return 0;
	}
	*sp = 0;
	struct req r = {.arena = arena_new(),
			.method = first,
			.path = sp + 1,
			.addr = "10.0.0.2",
			.st = st};
	char *q = strchr(sp + 1, '?');
	if (q) {
		*q = 0;
		int n = http_parse_urlencoded(r.arena, q + 1, r.query, REQ_MAX_KV);
		r.nquery = n < 0 ? 0 : n;
	}
	char *line;
	while ((line = fuzz_line(&rest)) && *line)
		add_header(&r, line);
	int caller = data[0] % (NWHO + 1);
	const char *token = caller ? token_of(caller - 1) : NULL;
	if (token && r.nheaders < REQ_MAX_KV) {
		char *auth = arena_alloc(r.arena, TOKEN_TEXT + 8);
		snprintf(auth, TOKEN_TEXT + 8, "Bearer %s", token);
		r.headers[r.nheaders++] = (struct kv){"Authorization", auth};
	}
	r.body = line ? rest : "";
	r.body_len = strlen(r.body);
	req_default_lang(&r);
	struct resp w = {.status = 200};
	router_dispatch(&r, &w);
	resp_drain(&w); /* a streamed body (list exports) too */
	if (w.status >= 500 && w.status != 503) {
		fprintf(stderr, "fuzz_http: %s %s answered %d: %.*s\n", r.method, r.path, w.status,
			(int)w.body.len, w.body.data);
		abort(); /* bad input is a 4xx, never a server error */
	}
	json_decref(r.json);
	buf_free(&w.body);
	arena_free(r.arena);
	free(s);
	return 0;
}
