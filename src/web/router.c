/* router.c - dispatch through the route table with every check in one place. */
#include "web/router.h"

#include "model/entity.h"
#include "model/record.h"
#include "web/page.h"
#include "web/params.h"
#include "web/upload.h"

#include <stdio.h>
#include <string.h>

int router_match(struct arena *a, const char *pattern, const char *path,
                 const char *params[REQ_MAX_PARAMS])
{
	const char *p = pattern, *s = path;
	int np = 0;
	while (*p && *s) {
		if (*p == '{') {
			const char *pend = strchr(p, '}');
			const char *send = strchr(s, '/');
			size_t len = send ? (size_t)(send - s) : strlen(s);
			if (!pend || len == 0 || np >= REQ_MAX_PARAMS)
				return 0;
			/* {id} is a number, so /targets/progress is not record "progress". */
			if (!strncmp(p, "{id}", 4) && strspn(s, "0123456789") != len)
				return 0;
			/* {collection} matches the record types only, so other paths
			 * stay 404 and 405 answers list the right methods. */
			if (!strncmp(p, "{collection}", 12)) {
				char name[64];
				if (len >= sizeof name)
					return 0;
				memcpy(name, s, len);
				name[len] = 0;
				if (!entity_find(name))
					return 0;
			}
			if (params)
				params[np] = arena_strndup(a, s, len);
			np++;
			p = pend + 1;
			s += len;
		} else if (*p == *s) {
			p++;
			s++;
		} else {
			return 0;
		}
	}
	return !*p && !*s;
}

/* Is key in the comma-separated list? */
static int declared(const char *list, const char *key)
{
	if (list && !strcmp(list, "*"))
		return 1; /* the handler validates names against the entity */
	size_t n = strlen(key);
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !strncmp(p, key, n))
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

int route_serves(const struct route *rt, const struct entity *ent)
{
	int writes = strcmp(rt->method, "GET") || rt->access == ACCESS_WRITER;
	return !(ent && ent->history && writes && strstr(rt->pattern, "{collection}"));
}

/* The history rt would write at r's path (see route_serves), or NULL. */
static const struct entity *closed_history(struct req *r, const struct route *rt)
{
	const char *p[REQ_MAX_PARAMS] = {0};
	if (!strstr(rt->pattern, "{collection}") ||
	    !router_match(r->arena, rt->pattern, r->path, p))
		return NULL;
	const struct entity *ent = entity_find(p[0]); /* {collection} comes first */
	return route_serves(rt, ent) ? NULL : ent;
}

static const struct route *find_route(struct req *r, struct resp *w)
{
	int path_known = 0;
	struct buf allow = BUF_INIT;
	const struct entity *history = NULL;
	for (const struct route *rt = routes; rt->method; rt++) {
		if (!router_match(r->arena, rt->pattern, r->path, NULL))
			continue;
		path_known = 1;
		const struct entity *closed = closed_history(r, rt);
		int head = !strcmp(r->method, "HEAD") && !strcmp(rt->method, "GET");
		if (closed) {
			if (!strcmp(rt->method, r->method) || head)
				history = closed;
			continue;
		}
		if (!strcmp(rt->method, r->method) || head) {
			router_match(r->arena, rt->pattern, r->path, r->params);
			buf_free(&allow);
			return rt;
		}
		if (!strstr(buf_cstr(&allow), rt->method)) /* each method once */
			buf_printf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
	}
	if (path_known) {
		struct err e = {.message = "Phương thức không được hỗ trợ / method not allowed"};
		if (history)
			record_history_only(history, &e);
		resp_header(r, w, "Allow", arena_strdup(r->arena, buf_cstr(&allow)));
		reply_error(r, w, 405, "method_not_allowed", e.message, NULL);
	} else {
		reply_error(r, w, 404, "not_found", "Không tìm thấy trang / not found", NULL);
	}
	buf_free(&allow);
	return NULL;
}

static int check_query(struct req *r, struct resp *w)
{
	for (int i = 0; i < r->nquery; i++) {
		if (!declared(r->route->query, r->query[i].key)) {
			char msg[320];
			snprintf(msg, sizeof msg, "Tham số không được khai báo: %.80s / undeclared parameter: %.80s",
			         r->query[i].key, r->query[i].key);
			reply_error(r, w, 400, "invalid", msg, r->query[i].key);
			return -1;
		}
		if (strlen(r->query[i].value) > PARAM_VALUE_LIMIT) {
			reply_error(r, w, 413, "too_large", "Tham số quá dài / parameter too long",
			            r->query[i].key);
			return -1;
		}
	}
	/* The API's declared parameters are checked before its handlers run;
	 * pages check the same declarations where they read them. */
	if (!strncmp(r->route->pattern, "/api/v1/", 8) && query_params_or_reply(r, w) < 0)
		return -1;
	return 0;
}

static void authenticate(struct req *r)
{
	const char *token = NULL;
	const char *auth = req_header(r, "Authorization");
	if (auth && !strncmp(auth, "Bearer ", 7)) {
		token = auth + 7;
	} else {
		token = req_cookie(r, "kc_session");
		r->via_cookie = token != NULL;
	}
	if (token && session_lookup(r->st, token, &r->session, NULL) == 0) {
		r->authed = 1;
		user_actor(&r->session.user, r->addr, &r->actor);
		r->lang = r->session.user.lang[0] ? arena_strdup(r->arena, r->session.user.lang) : "vi";
	} else {
		r->via_cookie = 0;
		snprintf(r->actor.addr, sizeof r->actor.addr, "%s", r->addr ? r->addr : "");
	}
}

static int is_unsafe(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

static int check_access(struct req *r, struct resp *w)
{
	enum access need = r->route->access;
	if (need == ACCESS_PUBLIC)
		return 0;
	if (!r->authed) {
		if (req_wants_json(r)) {
			reply_error(r, w, 401, "unauthorized", "Cần đăng nhập / login required", NULL);
		} else {
			struct buf loc = BUF_INIT;
			buf_printf(&loc, "/login?next=%t", r->path);
			reply_redirect(r, w, arena_strdup(r->arena, buf_cstr(&loc)));
			buf_free(&loc);
		}
		return -1;
	}
	int ok = need == ACCESS_LOGIN || (need == ACCESS_WRITER && r->actor.role != ROLE_VIEWER) ||
	         (need == ACCESS_ADMIN && r->actor.role == ROLE_ADMIN);
	if (!ok) {
		reply_error(r, w, 403, "forbidden",
		            "Vai trò của bạn không được làm việc này / your role does not allow this", NULL);
		return -1;
	}
	return 0;
}

static int check_csrf(struct req *r, struct resp *w)
{
	/* Public routes (login, language) act on credentials, not the session. */
	if (!r->via_cookie || !is_unsafe(r->method) || r->route->access == ACCESS_PUBLIC)
		return 0;
	const char *t = req_header(r, "X-CSRF-Token");
	if (!t)
		t = req_form(r, "_csrf");
	if (t && secret_equal(t, r->session.csrf))
		return 0;
	reply_error(r, w, 403, "csrf",
	            "Thiếu hoặc sai mã chống giả mạo (CSRF); tải lại trang / missing or wrong CSRF token",
	            "_csrf");
	return -1;
}

static int parse_json_body(struct req *r, struct resp *w)
{
	if (r->body_len == 0) {
		r->json = json_object();
		return 0;
	}
	json_error_t je;
	r->json = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!r->json || !json_is_object(r->json)) {
		char msg[300];
		snprintf(msg, sizeof msg, "JSON không hợp lệ / malformed JSON: %s (line %d, column %d)",
		         r->json ? "expected an object" : je.text, je.line, je.column);
		json_decref(r->json);
		r->json = NULL;
		reply_error(r, w, 400, "invalid_json", msg, "body");
		return -1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(r->json, key, v) {
		if (!declared(r->route->fields, key)) {
			char msg[200];
			snprintf(msg, sizeof msg, "Trường không được khai báo / unknown field: %.100s", key);
			reply_error(r, w, 400, "invalid", msg, key);
			return -1;
		}
	}
	return 0;
}

/* The form fields (urlencoded or the text parts of a multipart body) are
 * the route's declared ones, and the CSRF token. */
static int check_form_fields(struct req *r, struct resp *w)
{
	for (int i = 0; i < r->nform; i++) {
		if (strcmp(r->form[i].key, "_csrf") && !declared(r->route->fields, r->form[i].key)) {
			reply_error(r, w, 400, "invalid", "Trường không được khai báo / unknown field",
			            r->form[i].key);
			return -1;
		}
	}
	return 0;
}

static int parse_form_body(struct req *r, struct resp *w)
{
	r->nform = http_parse_urlencoded(r->arena, r->body, r->form, REQ_MAX_KV);
	if (r->nform < 0) {
		r->nform = 0;
		reply_error(r, w, 413, "too_large", "Quá nhiều trường / too many fields", NULL);
		return -1;
	}
	return check_form_fields(r, w);
}

static int parse_body(struct req *r, struct resp *w)
{
	const char *ct = req_header(r, "Content-Type");
	if (r->route->body == BODY_JSON) {
		if (r->body_len && ct && !strstr(ct, "application/json")) {
			reply_error(r, w, 415, "unsupported_media_type",
			            "Cần Content-Type: application/json", "Content-Type");
			return -1;
		}
		return parse_json_body(r, w);
	}
	if (r->route->body == BODY_FORM)
		return parse_form_body(r, w);
	if (r->route->body == BODY_UPLOAD && upload_parse_fields(r) < 0) {
		reply_error(r, w, 400, "invalid",
		            "Dữ liệu tải lên không đúng dạng multipart/form-data / malformed upload",
		            "body");
		return -1;
	}
	return r->route->body == BODY_UPLOAD ? check_form_fields(r, w) : 0;
}

size_t router_body_limit(const char *method, const char *path)
{
	for (const struct route *rt = routes; rt->method; rt++)
		if (rt->body == BODY_UPLOAD && !strcmp(rt->method, method) &&
		    router_match(NULL, rt->pattern, path, NULL))
			return !strcmp(rt->pattern, "/import") ? IMPORT_UPLOAD_LIMIT : UPLOAD_LIMIT;
	return BODY_LIMIT;
}

/* The health check and the static files answer everyone alike: they read
 * no session (a browser sends its cookie with each stylesheet, a client
 * its token with each probe; that was one statement more for each). */
static int sessionless(const struct req *r)
{
	return !strcmp(r->path, "/healthz") || !strncmp(r->path, "/static/", 8);
}

static void dispatch(struct req *r, struct resp *w)
{
	w->status = 200;
	req_default_lang(r);
	if (!sessionless(r))
		authenticate(r); /* a signed-in user's own language replaces the cookie's */
	else
		snprintf(r->actor.addr, sizeof r->actor.addr, "%s", r->addr ? r->addr : "");
	r->route = find_route(r, w);
	if (!r->route)
		return;
	/* Forms carry the CSRF token in their body, so parse before checking it. */
	if (check_query(r, w) < 0 || check_access(r, w) < 0 || parse_body(r, w) < 0 ||
	    check_csrf(r, w) < 0)
		return;
	r->route->handler(r, w);
}

void router_dispatch(struct req *r, struct resp *w)
{
	/* A request that only reads reads one snapshot (store_read_begin):
	 * one read transaction, not one for each of its statements. */
	int reads = !is_unsafe(r->method);
	if (reads)
		store_read_begin(r->st);
	dispatch(r, w);
	if (reads)
		store_read_end(r->st);
}
