/* session_cookie.h - the session cookie and the shared login step. */
#ifndef KC_SESSION_COOKIE_H
#define KC_SESSION_COOKIE_H

#include "web/http.h"

/* Sets (or with clear, expires) the kc_session cookie: HttpOnly,
 * SameSite=Lax, Path=/, and Secure when the server runs with --secure-cookies. */
void session_cookie_set(struct req *r, struct resp *w, const char *token, int clear);
/* Logs in and sets the cookie; on failure replies (when reply_on_error) and
 * returns < 0 (ERR_AUTH, ERR_THROTTLED with Retry-After, ...). */
int web_login(struct req *r, struct resp *w, const char *username, const char *password,
              struct session *s, int reply_on_error);

#endif
