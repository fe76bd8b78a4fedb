/* public_trace.c - what a scanned QR code opens: the trace page of a lot
 * (/t/{id} or the GS1 Digital Link /01/{GTIN}/10/{lot}) with the verdict on
 * its signature, the code itself as SVG or PNG, and product photos. A
 * forged or altered code is a page that says so, never a server error. */
#include "core/vtext.h"
#include "io/qr.h"
#include "model/catalogue.h"
#include "model/photo.h"
#include "model/record.h"
#include "model/trace.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/public.h"

#include <stdio.h>
#include <string.h>

/* ---- signatures ------------------------------------------------------ */

/* The s of a /t/{id} URL's query (base64url needs no decoding). */
static const char *plain_sig(struct req *r, const char *query)
{
	for (const char *p = query; p && *p; p += strcspn(p, "&"), p += *p == '&')
		if (!strncmp(p, "s=", 2))
			return arena_strndup(r->arena, p + 2, strcspn(p + 2, "&"));
	return NULL;
}

int trace_canonical(struct req *r, const char *path, const char *query, struct buf *canon,
		    const char **sig)
{
	*sig = NULL;
	if (!path)
		return -1;
	if (!strncmp(path, "/t/", 3)) {
		int64_t id = public_id(path + 3);
		if (!id)
			return -1;
		buf_printf(canon, "/t/%lld", (long long)id);
		*sig = plain_sig(r, query);
		return 0;
	}
	struct dlink d;
	if (dlink_parse(path, query, &d, NULL) < 0 || !d.lot[0])
		return -1;
	dlink_format(canon, &d);
	*sig = d.sig_bad ? "!" : d.sig[0] ? arena_strdup(r->arena, d.sig) : NULL;
	return 0;
}

int trace_signed_ok(struct req *r, const char *canon, const char *sig)
{
	struct trace_key k;
	if (!sig || trace_key_load(r->st, &k, NULL) < 0)
		return 0;
	return trace_verify(k.pk, canon, sig);
}

/* The lot as the caller may see it: {"lot_code", "gtin", "product",
 * "published"}. Staff reach the lots of their scope, anyone the lots of
 * published products. */
static int lot_target(struct req *r, int64_t id, json_t **out, struct err *e)
{
	json_t *lot = NULL, *p = NULL;
	if (r->authed && record_get(r->st, &r->actor, entity_find("lots"), id, &lot, e) == 0) {
		int64_t pid = json_integer_value(json_object_get(lot, "product_id"));
		int rc = record_get(r->st, &r->actor, entity_find("products"), pid, &p, e);
		if (rc == 0)
			*out = json_pack("{s:O,s:O,s:O,s:O}", "lot_code",
					 json_object_get(lot, "lot_code"), "gtin",
					 json_object_get(p, "gtin"), "product",
					 json_object_get(p, "name"), "published",
					 json_object_get(p, "published"));
		json_decref(lot);
		json_decref(p);
		return rc;
	}
	int rc = catalogue_lot(r->st, id, &lot, e);
	if (rc < 0)
		return rc;
	p = json_object_get(lot, "product");
	*out = json_pack("{s:O,s:O,s:O,s:b}", "lot_code", json_object_get(lot, "lot_code"), "gtin",
			 json_object_get(p, "gtin"), "product", json_object_get(p, "name"),
			 "published", 1);
	json_decref(lot);
	return 0;
}

int trace_url_for(struct req *r, int64_t id, struct buf *url, json_t **info, struct err *e)
{
	json_t *t = NULL;
	struct trace_key k;
	int rc = lot_target(r, id, &t, e);
	if (rc < 0)
		return rc;
	if ((rc = trace_key_load(r->st, &k, e)) < 0) {
		json_decref(t);
		return rc;
	}
	struct buf path = BUF_INIT;
	trace_path(&path, id, json_string_value(json_object_get(t, "gtin")),
		   json_string_value(json_object_get(t, "lot_code")));
	trace_signed_url(url, &k, public_base(r), buf_cstr(&path));
	buf_free(&path);
	if (info)
		*info = t;
	else
		json_decref(t);
	return 0;
}

/* ---- the trace page -------------------------------------------------- */

static const char *date_of(struct req *r, json_t *v)
{
	struct buf b = BUF_INIT;
	if (json_is_string(v))
		vtext_fmt_date(&b, json_string_value(v));
	const char *s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void verdict(struct req *r, struct resp *w, int ok, const char *sig)
{
	if (ok)
		page_printf(w,
			    "<p class=\"verified\" id=\"trace-status\" data-verified=\"1\" "
			    "role=\"status\">✔ %h</p>",
			    T(r, "pub.verified"));
	else
		page_printf(w,
			    "<p class=\"unverified\" id=\"trace-status\" data-verified=\"0\" "
			    "role=\"alert\">✖ %h<br><small>%h</small></p>",
			    T(r, "pub.unverified"),
			    T(r, sig ? "pub.unverified.why" : "pub.unsigned"));
}

static void recall_banner(struct req *r, struct resp *w, json_t *lot)
{
	if (!json_is_true(json_object_get(lot, "recalled")))
		return;
	page_printf(w,
		    "<div class=\"recall\" id=\"recall\" role=\"alert\"><strong>⚠ %h</strong>"
		    "<p>%h</p></div>",
		    T(r, "pub.recalled"), json_string_value(json_object_get(lot, "recall_reason")));
}

static void lot_facts(struct req *r, struct resp *w, json_t *lot, json_t *p)
{
	page_printf(w,
		    "<dl class=\"fields\" id=\"lot-facts\"><dt>%h</dt><dd><a href=\"/san-pham/"
		    "%lld\" id=\"product-link\">%h</a></dd><dt>%h</dt><dd><code id=\"lot-code\">%h"
		    "</code></dd>",
		    T(r, "pub.product"), (long long)json_integer_value(json_object_get(p, "id")),
		    json_string_value(json_object_get(p, "name")), T(r, "pub.lot"),
		    json_string_value(json_object_get(lot, "lot_code")));
	if (json_is_string(json_object_get(p, "gtin")))
		page_printf(w, "<dt>GTIN</dt><dd><code id=\"gtin\">%h</code></dd>",
			    public_gtin(json_string_value(json_object_get(p, "gtin"))));
	page_printf(w, "<dt>%h</dt><dd>%h</dd>", T(r, "pub.produced"),
		    date_of(r, json_object_get(lot, "production_date")));
	if (json_is_string(json_object_get(lot, "expiry_date")))
		page_printf(w, "<dt>%h</dt><dd>%h</dd>", T(r, "pub.best_before"),
			    date_of(r, json_object_get(lot, "expiry_date")));
	json_t *qty = json_object_get(lot, "quantity");
	if (json_is_integer(qty)) {
		struct buf b = BUF_INIT;
		vtext_fmt_int(&b, json_integer_value(qty));
		page_printf(w, "<dt>%h</dt><dd>%h %h</dd>", T(r, "pub.quantity"), buf_cstr(&b),
			    json_string_value(json_object_get(lot, "quantity_unit")));
		buf_free(&b);
	}
	json_t *est = json_object_get(p, "establishment");
	page_printf(w, "<dt>%h</dt><dd><a href=\"/co-so/%lld\" id=\"maker-link\">%h</a></dd></dl>",
		    T(r, "pub.maker"), (long long)json_integer_value(json_object_get(est, "id")),
		    json_string_value(json_object_get(est, "name")));
}

static void inputs_table(struct req *r, struct resp *w, json_t *inputs)
{
	if (!json_is_object(inputs) || !json_object_size(inputs))
		return;
	page_printf(w,
		    "<h2>%h</h2><div class=\"scroll\"><table id=\"inputs\"><thead><tr><th>%h</th>"
		    "<th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
		    T(r, "pub.inputs"), T(r, "pub.input"), T(r, "pub.origin"), T(r, "pub.supplier"),
		    T(r, "pub.quantity"));
	const char *name;
	json_t *v;
	json_object_foreach(inputs, name, v) {
		page_printf(w, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td></tr>", name,
			    json_string_value(json_object_get(v, "origin")),
			    json_string_value(json_object_get(v, "supplier")),
			    json_string_value(json_object_get(v, "quantity")));
	}
	page_printf(w, "</tbody></table></div>");
}

static void events_list(struct req *r, struct resp *w, json_t *events)
{
	if (!json_array_size(events))
		return;
	page_printf(w, "<h2>%h</h2><ol class=\"timeline\" id=\"events\">", T(r, "pub.events"));
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		page_printf(w, "<li><time>%h</time> <strong>%h</strong>",
			    date_of(r, json_object_get(ev, "date")),
			    json_string_value(json_object_get(ev, "what")));
		const char *place = json_string_value(json_object_get(ev, "place"));
		const char *who = json_string_value(json_object_get(ev, "who"));
		if (place)
			page_printf(w, "<br><span class=\"muted\">%h: %h</span>", T(r, "pub.where"),
				    place);
		if (who)
			page_printf(w, "<br><span class=\"muted\">%h: %h</span>", T(r, "pub.who"),
				    who);
		page_printf(w, "</li>");
	}
	page_printf(w, "</ol>");
}

/* The page of lot_id; canon is what sig must sign, self the page's own
 * canonical path. */
static void trace_page(struct req *r, struct resp *w, int64_t lot_id, const char *canon,
		       const char *sig, const char *self)
{
	json_t *lot;
	struct err e;
	int rc = catalogue_lot(r->st, lot_id, &lot, &e);
	if (rc < 0) {
		public_error(r, w, rc == ERR_NOTFOUND ? 404 : 500,
			     rc == ERR_NOTFOUND ? T(r, "pub.lot.notfound") : e.message);
		return;
	}
	int ok = trace_signed_ok(r, canon, sig);
	json_t *p = json_object_get(lot, "product");
	json_t *photo = json_array_get(json_object_get(p, "photos"), 0);
	char img[40];
	if (json_is_integer(photo))
		snprintf(img, sizeof img, "/anh/%lld", (long long)json_integer_value(photo));
	struct og og = {.type = "product",
			.description = T(r, "pub.trace.intro"),
			.image = json_is_integer(photo) ? img : NULL,
			.canonical = self};
	struct buf title = BUF_INIT;
	buf_printf(&title, "%s – %s %s", json_string_value(json_object_get(p, "name")),
		   T(r, "pub.lot"), json_string_value(json_object_get(lot, "lot_code")));
	page_begin_public(r, w, buf_cstr(&title), &og);
	buf_free(&title);
	verdict(r, w, ok, sig);
	recall_banner(r, w, lot);
	page_printf(w, "<article class=\"trace\" id=\"trace\" data-lot=\"%lld\">",
		    (long long)lot_id);
	if (json_is_integer(photo))
		page_printf(w, "<img class=\"trace-photo\" src=\"%h\" alt=\"%h\">", img,
			    json_string_value(json_object_get(p, "name")));
	lot_facts(r, w, lot, p);
	inputs_table(r, w, json_object_get(lot, "inputs"));
	events_list(r, w, json_object_get(lot, "events"));
	public_channels(r, w, json_object_get(p, "channels"));
	page_printf(w, "</article>");
	json_decref(lot);
	page_end_public(r, w);
}

void h_trace_lot(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]);
	if (!id) {
		public_error(r, w, 404, T(r, "pub.lot.notfound"));
		return;
	}
	char canon[40];
	snprintf(canon, sizeof canon, "/t/%lld", (long long)id);
	trace_page(r, w, id, canon, req_query(r, "s"), canon);
}

/* The path and query of r as received, in the arena; the decoded path
 * when there is no target (requests built in-process). */
static void target_parts(struct req *r, const char **path, const char **query)
{
	const char *t = r->target ? r->target : r->path;
	size_t n = strcspn(t, "?");
	*path = arena_strndup(r->arena, t, n);
	*query = t[n] == '?' ? t + n + 1 : NULL;
}

/* A 301 to the canonical form of d with the query unchanged. */
static void dlink_redirect(struct req *r, struct resp *w, const struct dlink *d, const char *query)
{
	struct buf loc = BUF_INIT;
	dlink_format(&loc, d);
	if (query)
		buf_printf(&loc, "?%s", query);
	reply_redirect(r, w, arena_strdup(r->arena, buf_cstr(&loc)));
	buf_free(&loc);
	w->status = 301;
}

/* The trace page of lot_id reached by d: s must sign d's own canonical path
 * (qualifiers included); the page's canonical address is the lot's. */
static void dlink_lot_page(struct req *r, struct resp *w, const struct dlink *d, int64_t lot_id)
{
	struct buf canon = BUF_INIT, self = BUF_INIT;
	struct dlink lot = {0};
	memcpy(lot.gtin, d->gtin, sizeof lot.gtin);
	memcpy(lot.lot, d->lot, sizeof lot.lot);
	dlink_format(&canon, d);
	dlink_format(&self, &lot);
	const char *sig = d->sig_bad ? "!" : d->sig[0] ? d->sig : NULL;
	trace_page(r, w, lot_id, buf_cstr(&canon), sig, arena_strdup(r->arena, buf_cstr(&self)));
	buf_free(&canon);
	buf_free(&self);
}

/* Resolves a GS1 Digital Link as GS1 resolvers do: a GTIN written short
 * goes to its 14-digit form; a lot (with or without variant or serial) is
 * its trace page; a GTIN alone, or with a variant or serial but no lot, its
 * product page. Malformed links are 400, unknown ones 404. */
void h_trace_dlink(struct req *r, struct resp *w)
{
	const char *path, *query;
	target_parts(r, &path, &query);
	struct dlink d;
	struct err e;
	if (dlink_parse(path, query, &d, &e) < 0) {
		public_error(r, w, 400, e.message);
		return;
	}
	if (d.short_gtin) {
		dlink_redirect(r, w, &d, query);
		return;
	}
	int64_t id = 0;
	int rc = d.lot[0] ? catalogue_lot_find(r->st, d.gtin, d.lot, &id, &e)
			  : catalogue_product_find(r->st, d.gtin, &id, &e);
	if (rc < 0) {
		public_error(r, w, rc == ERR_NOTFOUND ? 404 : 500,
			     rc == ERR_NOTFOUND
				     ? T(r, d.lot[0] ? "pub.lot.notfound" : "pub.notfound.text")
				     : e.message);
		return;
	}
	char self[40]; /* one address per product: its page in the catalogue */
	snprintf(self, sizeof self, "/san-pham/%lld", (long long)id);
	if (d.lot[0])
		dlink_lot_page(r, w, &d, id);
	else
		public_product_page(r, w, id, arena_strdup(r->arena, self));
}

void h_api_pub_lot(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]);
	json_t *lot;
	struct err e;
	if (!id) {
		reply_error(r, w, 404, "not_found", "Không có lô này / no such lot", "id");
		return;
	}
	if (catalogue_lot(r->st, id, &lot, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, lot);
}

/* ---- the code as an image -------------------------------------------- */

static void qr_reply(struct req *r, struct resp *w, int png)
{
	int64_t id = public_id(r->params[0]);
	struct buf url = BUF_INIT;
	json_t *info = NULL;
	struct err e;
	int rc = id ? trace_url_for(r, id, &url, &info, &e) : ERR_NOTFOUND;
	if (rc < 0) {
		buf_free(&url);
		if (rc == ERR_NOTFOUND)
			reply_error(r, w, 404, "not_found", "Không có lô này / no such lot", "id");
		else
			reply_err(r, w, &e); /* a database failure is a 500 of its own */
		return;
	}
	buf_reset(&w->body);
	rc = png ? qr_png(buf_cstr(&url), 8, &w->body, &e)
		 : qr_svg(buf_cstr(&url), 256, &w->body, &e);
	buf_free(&url);
	if (rc < 0) {
		json_decref(info);
		reply_err(r, w, &e);
		return;
	}
	w->status = 200;
	w->content_type = png ? "image/png" : "image/svg+xml";
	/* The code of an unpublished product is for its staff only. */
	resp_header(r, w, "Cache-Control",
		    json_is_true(json_object_get(info, "published")) ? "public, max-age=3600"
								     : "private, no-store");
	json_decref(info);
}

void h_trace_qr_svg(struct req *r, struct resp *w)
{
	qr_reply(r, w, 0);
}

void h_trace_qr_png(struct req *r, struct resp *w)
{
	qr_reply(r, w, 1);
}

/* ---- photos ---------------------------------------------------------- */

/* 1 for a photo of a published product, 2 for one the logged-in caller may
 * read (not public), 0 for neither. */
static int photo_visible(struct req *r, int64_t product_id)
{
	json_t *p;
	if (catalogue_product(r->st, product_id, &p, NULL) == 0) {
		json_decref(p);
		return 1;
	}
	if (r->authed &&
	    record_get(r->st, &r->actor, entity_find("products"), product_id, &p, NULL) == 0) {
		json_decref(p);
		return 2;
	}
	return 0;
}

void h_pub_photo(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]);
	struct photo ph;
	struct err e;
	int rc = id ? photo_get(r->st, id, &ph, &e) : ERR_NOTFOUND;
	int seen = rc == 0 ? photo_visible(r, ph.product_id) : 0;
	if (rc == ERR_STORE) {
		reply_error(r, w, 500, "store_error", e.message, NULL);
		return;
	}
	if (!seen) {
		if (rc == 0)
			photo_free(&ph);
		reply_error(r, w, 404, "not_found", "Không có ảnh này / no such photo", "id");
		return;
	}
	char *etag = arena_alloc(r->arena, PHOTO_SHA_TEXT + 2);
	snprintf(etag, PHOTO_SHA_TEXT + 2, "\"%s\"", ph.sha256);
	resp_header(r, w, "ETag", etag);
	/* A photo's bytes never change under its id. */
	resp_header(r, w, "Cache-Control",
		    seen == 1 ? "public, max-age=604800, immutable" : "private, max-age=0");
	resp_header(r, w, "Content-Security-Policy", "default-src 'none'; sandbox");
	w->content_type = arena_strdup(r->arena, ph.content_type);
	const char *inm = req_header(r, "If-None-Match");
	buf_reset(&w->body);
	if (inm && !strcmp(inm, etag)) {
		w->status = 304;
	} else {
		buf_append(&w->body, ph.data, ph.size);
		w->status = 200;
	}
	photo_free(&ph);
}
