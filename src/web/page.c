/* page.c - layout of every HTML page. */
#include "web/page.h"

#include "core/embed.h"
#include "model/entity.h"
#include "model/unit.h"
#include "web/i18n.h"
#include "web/portal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *T(const struct req *r, const char *key)
{
	return tr(r->lang, key);
}

const char *page_pick(const struct req *r, const char *vi, const char *en)
{
	return strcmp(r->lang, "en") ? vi : en;
}

void page_option(struct resp *w, const char *value, const char *label, int selected)
{
	page_printf(w, "<option value=\"%h\"", value);
	if (selected)
		page_printf(w, " selected");
	page_printf(w, ">%h</option>", label);
}

void page_field_options(struct req *r, struct resp *w, const struct field *f, const char *cur)
{
	if (f->type == F_BOOL) {
		page_option(w, "1", T(r, "rec.yes"), cur && !strcmp(cur, "1"));
		page_option(w, "0", T(r, "rec.no"), cur && !strcmp(cur, "0"));
		return;
	}
	for (const char *p = f->values; p && *p;) {
		const char *c1 = strchr(p, ':'), *bar = strchr(p, '|');
		char code[64], label[200];
		snprintf(code, sizeof code, "%.*s", (int)(c1 - p), p);
		field_enum_label(f, code, r->lang, label, sizeof label);
		page_option(w, code, label, cur && !strcmp(cur, code));
		p = bar ? bar + 1 : NULL;
	}
}

void page_printf(struct resp *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&w->body, fmt, ap);
	va_end(ap);
}

void page_csrf(struct req *r, struct resp *w)
{
	if (r->authed)
		page_printf(w, "<input type=\"hidden\" name=\"_csrf\" value=\"%h\">", r->session.csrf);
}

static void page_header(struct req *r, struct resp *w)
{
	page_printf(w, "<header class=\"top\"><a class=\"brand\" href=\"/\">%h</a>",
	            T(r, "app.name"));
	page_printf(w, "<div class=\"tools\"><form method=\"post\" action=\"/lang\">");
	page_csrf(r, w);
	page_printf(w,
	            "<input type=\"hidden\" name=\"lang\" value=\"%h\">"
	            "<input type=\"hidden\" name=\"next\" value=\"%h\">"
	            "<button class=\"link\" type=\"submit\" id=\"lang-switch\">%h</button></form>",
	            strcmp(r->lang, "en") ? "en" : "vi", r->path, T(r, "lang.switch"));
	if (r->authed) {
		int64_t unread = portal_unread(r);
		page_printf(w,
			    "<a href=\"/notifications\" id=\"notify-badge\" class=\"badge%h\">%h "
			    "<b>%lld</b></a>",
			    unread ? " unread" : "", T(r, "notify.title"), (long long)unread);
		page_printf(w, "<a href=\"/account\" class=\"who\">%h</a>", r->actor.username);
		page_printf(w, "<form method=\"post\" action=\"/logout\">");
		page_csrf(r, w);
		page_printf(w, "<button class=\"link\" type=\"submit\" id=\"logout\">%h</button></form>",
		            T(r, "nav.logout"));
	}
	page_printf(w, "</div></header>");
}

void page_province_options(struct req *r, struct resp *w, const char *era, const char *cur)
{
	struct unit_province *u;
	size_t n;
	struct err e;
	if (unit_provinces(r->st, era, &u, &n, &e) < 0)
		return;
	int own_only = !actor_reads_all(&r->actor) && !strcmp(era, "new");
	for (size_t i = 0; i < n; i++) {
		if (own_only && strcmp(u[i].code, r->actor.province))
			continue;
		page_printf(w, "<option value=\"%h\"", u[i].code);
		if (cur && !strcmp(cur, u[i].code))
			page_printf(w, " selected");
		page_printf(w, ">%h – %h</option>", u[i].code, u[i].short_name);
	}
	free(u);
}

void page_flash(struct req *r, struct resp *w)
{
	static const struct {
		const char *code, *key;
	} done[] = {{"saved", "users.saved"}, {"deleted", "flash.deleted"}};
	if (r->form_error) {
		page_printf(w, "<p class=\"error\" role=\"alert\" id=\"form-error\">%h</p>",
		            page_message(r, r->form_error->message));
		return;
	}
	const char *code = req_query(r, "done");
	for (size_t i = 0; code && i < sizeof done / sizeof *done; i++)
		if (!strcmp(code, done[i].code))
			page_printf(w, "<p class=\"ok\" role=\"status\" id=\"form-done\">%h</p>",
			            T(r, done[i].key));
}

void page_error_summary(struct req *r, struct resp *w, const struct errs *l)
{
	if (!l || !l->n)
		return;
	page_printf(w, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" "
	               "id=\"form-error\" aria-labelledby=\"error-summary-title\"><h2 "
	               "id=\"error-summary-title\">%h</h2><ul>",
	            T(r, "form.errors_title"));
	for (int i = 0; i < l->n; i++) {
		const char *msg = page_message(r, l->item[i].message);
		if (l->item[i].field[0])
			page_printf(w, "<li><a href=\"#in-%h\">%h</a></li>", l->item[i].field, msg);
		else
			page_printf(w, "<li>%h</li>", msg);
	}
	page_printf(w, "</ul></div>");
}

void page_rerender(struct req *r, struct resp *w, const struct err *e,
                   void (*page)(struct req *, struct resp *))
{
	r->form_error = e;
	page(r, w);
	w->status = err_http_status(e->code);
}

void page_begin(struct req *r, struct resp *w, const char *title_key)
{
	page_begin_text(r, w, T(r, title_key));
}

void page_begin_text(struct req *r, struct resp *w, const char *title)
{
	buf_reset(&w->body);
	page_printf(w,
	            "<!DOCTYPE html>\n<html lang=\"%h\"><head><meta charset=\"utf-8\">"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	            "<title>%h – %h</title>"
	            "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
	            "<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body>",
	            r->lang, title, T(r, "app.name"));
	page_skip_link(r, w);
	page_header(r, w);
	if (r->authed)
		page_nav(r, w);
	page_printf(w, "<main id=\"main\"><h1>%h</h1>", title);
}

void page_end(struct req *r, struct resp *w)
{
	page_printf(w, "</main><footer class=\"foot\">%h · <a href=\"/api\">%h</a>"
	               "</footer></body></html>\n",
	            T(r, "app.tagline"), T(r, "nav.api"));
	w->status = 200;
	w->content_type = "text/html; charset=utf-8";
}

const char *page_message(struct req *r, const char *message)
{
	/* Model messages are "Vietnamese / English": show the reader's half. */
	const char *sep = message ? strstr(message, " / ") : NULL;
	if (!sep)
		return message;
	if (!strcmp(r->lang, "en"))
		return sep + 3;
	return arena_strndup(r->arena, message, (size_t)(sep - message));
}

void page_error(struct req *r, struct resp *w, int status, const char *message)
{
	message = page_message(r, message);
	page_begin(r, w, "error.title");
	page_printf(w, "<p class=\"error\" role=\"alert\">%h</p><p><a href=\"/\">%h</a></p>", message,
	            T(r, "error.back"));
	page_end(r, w);
	w->status = status;
}
