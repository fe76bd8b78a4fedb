/* api_session.c - logging in and out through the JSON API. */
#include "web/handlers.h"
#include "web/session_cookie.h"

#include <stdio.h>
#include <string.h>

/* Shared by the API and the login form: checks credentials, sets the cookie.
 * Returns 0 or replies with the error and returns < 0. */
int web_login(struct req *r, struct resp *w, const char *username, const char *password,
              struct session *s, int reply_on_error)
{
	struct err e;
	err_clear(&e);
	int64_t retry = 0;
	const char *old = req_cookie(r, "kc_session");
	int rc = session_login(r->st, username, password, r->addr, old, s, &retry, &e);
	if (rc < 0) {
		if (rc == ERR_THROTTLED) {
			char *ra = arena_alloc(r->arena, 24);
			snprintf(ra, 24, "%lld", (long long)retry);
			resp_header(r, w, "Retry-After", ra);
		}
		if (reply_on_error || rc == ERR_TOOBIG) /* the form too: a 4xx, not a retry */
			reply_err(r, w, &e);
		return rc;
	}
	session_cookie_set(r, w, s->token, 0);
	return 0;
}

static const char *json_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

void h_api_session_create(struct req *r, struct resp *w)
{
	const char *u = json_str(r->json, "username"), *p = json_str(r->json, "password");
	if (!u || !p) {
		reply_error(r, w, 400, "invalid", "Cần username và password (chuỗi) / username and "
		            "password (strings) are required", u ? "password" : "username");
		return;
	}
	struct session s;
	if (web_login(r, w, u, p, &s, 1) < 0)
		return;
	json_t *body = json_pack("{s:s,s:s,s:o}", "token", s.token, "csrf", s.csrf, "user",
	                         user_json(&s.user));
	reply_json(w, 201, body);
}

void h_api_session_get(struct req *r, struct resp *w)
{
	reply_json(w, 200, json_pack("{s:s,s:o}", "csrf", r->session.csrf, "user",
	                             user_json(&r->session.user)));
}

void h_api_session_delete(struct req *r, struct resp *w)
{
	struct err e;
	if (session_logout(r->st, &r->actor, r->session.token, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	session_cookie_set(r, w, "", 1);
	w->status = 204;
	buf_reset(&w->body);
}
