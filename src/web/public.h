/* public.h - the public side's page layout (no staff navigation, Open Graph
 * tags, the signing key in the footer) and helpers shared by the public
 * pages (public.c, public_trace.c) and the staff product pages
 * (page_products.c). */
#ifndef KC_PUBLIC_H
#define KC_PUBLIC_H

#include "web/http.h"

/* Open Graph description of a page; any member may be NULL. */
struct og {
	const char *type;	 /* "website" when NULL, or "product" */
	const char *description; /* a sentence or two */
	const char *image;	 /* a path of this site ("/anh/3") */
	const char *canonical;	 /* the page's own path when not r->path */
};

/* Starts a public page titled title (text) in w. */
void page_begin_public(struct req *r, struct resp *w, const char *title, const struct og *og);
/* Closes it (status 200, text/html): cacheable by shared caches for
 * public_max_age() seconds with an ETag, 304 when the client has it; a
 * caller with a session gets no-store. */
void page_end_public(struct req *r, struct resp *w);
/* Seconds shared caches keep a public page: $KC_PUBLIC_MAX_AGE (0..86400),
 * else 60. */
int public_max_age(void);
/* A whole public error page ("không tìm thấy" for 404) with status. */
void public_error(struct req *r, struct resp *w, int status, const char *message);

/* The public base URL of this deployment for r (trace_base_url()), in the
 * request arena. */
const char *public_base(struct req *r);

/* The signed trace URL of lot id (Digital Link when its product has a
 * GTIN) into url, and {"lot_code", "product", "published"} in *info
 * (caller decrefs; may be NULL). A logged-in caller reaches the lots of
 * its scope, anyone else those of published products. ERR_NOTFOUND,
 * ERR_FORBIDDEN or ERR_STORE. */
int trace_url_for(struct req *r, int64_t id, struct buf *url, json_t **info, struct err *e);

/* The canonical form of a trace URL's path and query (as a link carries
 * them, still percent-encoded; query may be NULL) into canon: "/t/{id}" with
 * the id written plainly, or the Digital Link of dlink_format(), which is
 * what s signs; and the s it carries into *sig (arena; NULL when none). 0,
 * or -1 when it is no trace URL of this system (canon is then unchanged). */
int trace_canonical(struct req *r, const char *path, const char *query, struct buf *canon,
		    const char **sig);
/* 1 when sig is this deployment's signature of the canonical path canon,
 * 0 for anything else (including a missing key). Never fails. */
int trace_signed_ok(struct req *r, const char *canon, const char *sig);

/* The public page of published product id (a 404 page for any other id);
 * canonical: its path when not r->path (NULL: r->path). */
void public_product_page(struct req *r, struct resp *w, int64_t id, const char *canonical);

/* The "Mua trực tuyến" section: one button per http(s) URL of list. */
void public_channels(struct req *r, struct resp *w, json_t *list);
/* A stored 14-digit GTIN as packages print it (13 digits when it has a
 * leading pad zero); static or inside gtin14. */
const char *public_gtin(const char *gtin14);

/* The label of an enum code of collection's field in the request's language,
 * in the arena ("" for NULL code). */
const char *public_label(struct req *r, const char *collection, const char *field,
			 const char *code);
/* Parses a positive decimal id of at most 18 digits; 0 when it is not one. */
int64_t public_id(const char *text);

#endif
