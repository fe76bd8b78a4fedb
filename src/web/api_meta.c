/* api_meta.c - health check, the route index and static assets. */
#include "core/embed.h"
#include "web/handlers.h"
#include "web/router.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void h_healthz(struct req *r, struct resp *w)
{
	struct err e;
	/* One statement, no DDL: it answers for the database and the schema. */
	int64_t v = 0;
	int rc = store_int(r->st, &e, &v, "SELECT COALESCE(MAX(version), 0) FROM schema_version",
			   "");
	int version = rc == 1 ? (int)v : -1;
	json_t *body = json_pack("{s:s,s:s,s:i}", "status", rc == 1 ? "ok" : "unavailable", "version",
	                         KC_VERSION, "schema", version);
	reply_json(w, rc == 1 ? 200 : 503, body);
	resp_header(r, w, "Cache-Control", "no-store");
}

static const char *access_name(enum access a)
{
	static const char *const names[] = {"public", "login", "writer", "admin"};
	return names[a];
}

void h_api_index(struct req *r, struct resp *w)
{
	(void)r;
	json_t *arr = json_array();
	for (const struct route *rt = routes; rt->method; rt++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "method", rt->method, "path",
		                                     rt->pattern, "access", access_name(rt->access),
		                                     "summary", rt->summary));
	reply_json(w, 200, json_pack("{s:s,s:o}", "version", KC_VERSION, "routes", arr));
}

static const char *mime_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},             {".png", "image/png"},
		{".ico", "image/x-icon"},              {".txt", "text/plain; charset=utf-8"},
	};
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

void h_static(struct req *r, struct resp *w)
{
	const struct embedded_file *f = embed_find(assets_files, r->params[0]);
	if (!f) {
		reply_error(r, w, 404, "not_found", "Không tìm thấy / not found", NULL);
		return;
	}
	/* The ETag is the content hash: it changes exactly when the asset does. */
	unsigned char h[16];
	crypto_generichash(h, sizeof h, f->data, f->size, NULL, 0);
	char hex[33], *etag = arena_alloc(r->arena, 40);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(etag, 40, "\"%s\"", hex);
	resp_header(r, w, "ETag", etag);
	resp_header(r, w, "Cache-Control", "public, max-age=86400");
	const char *inm = req_header(r, "If-None-Match");
	if (inm && !strcmp(inm, etag)) {
		w->status = 304;
		return;
	}
	buf_reset(&w->body);
	buf_append(&w->body, f->data, f->size);
	w->status = 200;
	w->content_type = mime_of(f->name);
}
