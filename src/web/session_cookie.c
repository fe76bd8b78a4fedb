/* session_cookie.c - the attributes of the session cookie, in one place. */
#include "web/session_cookie.h"

void session_cookie_set(struct req *r, struct resp *w, const char *token, int clear)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "kc_session=%t; Path=/; HttpOnly; SameSite=Lax%s%s", token,
	           r->secure_cookies ? "; Secure" : "", clear ? "; Max-Age=0" : "");
	resp_header(r, w, "Set-Cookie", arena_strdup(r->arena, buf_cstr(&b)));
	buf_free(&b);
}
