/* page.h - the HTML layout shared by every page: head, navigation, footer,
 * and the escaping printf that page code writes with. */
#ifndef KC_PAGE_H
#define KC_PAGE_H

#include "web/http.h"

/* Starts an HTML page titled by catalogue key title_key in w. */
void page_begin(struct req *r, struct resp *w, const char *title_key);
/* The outcome of the last form post: the error of a post whose page is shown
 * again (r->form_error), or a fixed message chosen by ?done=saved|deleted.
 * Never text taken from the URL: a link cannot put words in the system's mouth. */
void page_flash(struct req *r, struct resp *w);
/* <option>s of the provinces of era ("new": today's 34, "old": the 63 until
 * 2025-06-30), "CODE – Name", cur selected. Of today's, an account of one
 * province is offered its own only. */
void page_province_options(struct req *r, struct resp *w, const char *era, const char *cur);
/* Answers a failed form post with its page (page, a GET handler) showing e,
 * with e's status: no redirect carries the message. */
void page_rerender(struct req *r, struct resp *w, const struct err *e,
                   void (*page)(struct req *, struct resp *));
/* The same with a title that is already text (a record's name). */
void page_begin_text(struct req *r, struct resp *w, const char *title);
/* The menu of the signed-in user's role (page_nav.c), and the link that
 * skips it to #main; page_begin_text() writes both. */
void page_nav(struct req *r, struct resp *w);
void page_skip_link(struct req *r, struct resp *w);
/* Closes the page and sets status 200 / text/html. */
void page_end(struct req *r, struct resp *w);
/* Appends formatted HTML (the buf engine: use %h for text, never %s). */
void page_printf(struct resp *w, const char *fmt, ...);
/* The translation of key for this request. */
const char *T(const struct req *r, const char *key);
/* The name of a piece of data in the reader's language (record types,
 * indicators and other descriptions carry both); page text uses T(). */
const char *page_pick(const struct req *r, const char *vi, const char *en);

struct field;
/* <option value="value" [selected]>label</option>. */
void page_option(struct resp *w, const char *value, const char *label, int selected);
/* The <option>s of a field's values in the reader's language, cur selected:
 * the codes of an enum field, or 1/0 (có/không) of a yes-no field. */
void page_field_options(struct req *r, struct resp *w, const struct field *f, const char *cur);
/* A hidden input carrying the CSRF token, for forms. */
void page_csrf(struct req *r, struct resp *w);
/* The half of a bilingual "tiếng Việt / English" message for this request's
 * language (the whole message when it has one language). Arena memory. */
const char *page_message(struct req *r, const char *message);
/* A whole error page with status. */
void page_error(struct req *r, struct resp *w, int status, const char *message);

#endif
