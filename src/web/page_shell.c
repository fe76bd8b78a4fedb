/* page_shell.c - login, logout, language and the results overview. */
#include "model/entity.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/portal.h"
#include "web/session_cookie.h"

#include <stdio.h>
#include <string.h>

/* Only local paths are followed after login, never another site. Browsers
 * drop tabs and newlines inside a URL and read a backslash as a slash, so
 * "/\t/evil" or "/\\evil" would become "//evil" (another host): a path with
 * any control character, space, backslash or colon (a scheme) is refused,
 * as is one starting with "//". */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/')
		return "/";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '\\' || *p == ':')
			return "/";
	return next;
}

void h_login_page(struct req *r, struct resp *w)
{
	if (r->authed) {
		reply_redirect(r, w, safe_next(req_query(r, "next")));
		return;
	}
	page_begin(r, w, "login.title");
	if (req_query(r, "failed"))
		page_printf(w, "<p class=\"error\" role=\"alert\" id=\"login-error\">%h</p>",
		            T(r, "login.failed"));
	page_printf(w,
	            "<form method=\"post\" action=\"/login\" class=\"card narrow\">"
	            "<input type=\"hidden\" name=\"next\" value=\"%h\">"
	            "<label>%h<input name=\"username\" autocomplete=\"username\" required "
	            "autofocus></label>"
	            "<label>%h<input name=\"password\" type=\"password\" "
	            "autocomplete=\"current-password\" required></label>"
	            "<button type=\"submit\">%h</button></form>",
	            safe_next(req_query(r, "next")), T(r, "login.username"), T(r, "login.password"),
	            T(r, "login.submit"));
	page_end(r, w);
}

void h_login_post(struct req *r, struct resp *w)
{
	struct session s;
	const char *next = safe_next(req_form(r, "next"));
	int rc = web_login(r, w, req_form(r, "username"), req_form(r, "password"), &s, 0);
	if (rc == ERR_TOOBIG) /* answered: an over-long username */
		return;
	if (rc == ERR_THROTTLED || rc == ERR_AUTH || rc == ERR_INVALID) {
		struct buf loc = BUF_INIT;
		buf_printf(&loc, "/login?failed=1&next=%t", next);
		reply_redirect(r, w, arena_strdup(r->arena, buf_cstr(&loc)));
		buf_free(&loc);
		if (rc == ERR_THROTTLED)
			w->status = 303;
		return;
	}
	if (rc < 0) {
		reply_error(r, w, 500, "store_error", "Lỗi cơ sở dữ liệu / database error", NULL);
		return;
	}
	reply_redirect(r, w, next);
}

void h_logout_post(struct req *r, struct resp *w)
{
	session_logout(r->st, &r->actor, r->session.token, NULL);
	session_cookie_set(r, w, "", 1);
	reply_redirect(r, w, "/login");
}

void h_lang_post(struct req *r, struct resp *w)
{
	const char *lang = req_form(r, "lang");
	if (!lang || (strcmp(lang, "vi") && strcmp(lang, "en"))) {
		reply_error(r, w, 400, "invalid", "Ngôn ngữ là vi hoặc en / lang is vi or en", "lang");
		return;
	}
	if (r->authed) {
		struct err e;
		if (user_set_lang(r->st, &r->actor, lang, &e) < 0) {
			reply_err(r, w, &e);
			return;
		}
	}
	resp_header(r, w, "Set-Cookie",
	            strcmp(lang, "en") ? "kc_lang=vi; Path=/; SameSite=Lax; Max-Age=31536000"
	                               : "kc_lang=en; Path=/; SameSite=Lax; Max-Age=31536000");
	reply_redirect(r, w, safe_next(req_form(r, "next")));
}

void h_results_page(struct req *r, struct resp *w)
{
	page_begin(r, w, "results.title");
	page_printf(w, "<p>%h</p><div class=\"cards\">", T(r, "results.intro"));
	/* The results are the record types that stand for a content type. */
	for (const struct entity *ent = entities; ent->collection; ent++) {
		if (!ent->content)
			continue;
		page_printf(w, "<a class=\"card\" href=\"/%h\"><h3>%h</h3></a>", ent->collection,
		            strcmp(r->lang, "en") ? ent->plural_vi : ent->plural_en);
	}
	page_printf(w, "</div>");
	page_end(r, w);
}
