/* public.c - the public catalogue, no login: product list with search and
 * filters, product, maker and craft-village pages, typical products by year
 * and level, the signing key page, and the same data as JSON. Reads come
 * from model/catalogue.c, which selects public columns only. */
#include "web/public.h"
#include "core/vtext.h"
#include "io/map.h"
#include "model/catalogue.h"
#include "model/entity.h"
#include "model/trace.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"
#include "web/router.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PER_PAGE = 24, Q_MAX = 200 };

/* ---- layout ---------------------------------------------------------- */

const char *public_base(struct req *r)
{
	char base[256];
	trace_base_url(r->st, req_header(r, "Host"), req_header(r, "X-Forwarded-Proto"), base,
		       sizeof base);
	return arena_strdup(r->arena, base);
}

static void og_tags(struct req *r, struct resp *w, const char *title, const struct og *og)
{
	const char *base = public_base(r);
	const char *desc = og && og->description ? og->description : T(r, "pub.tagline");
	const char *self = og && og->canonical ? og->canonical : r->path;
	page_printf(w,
		    "<meta name=\"description\" content=\"%h\">"
		    "<link rel=\"canonical\" href=\"%h%h\">"
		    "<meta property=\"og:site_name\" content=\"%h\">"
		    "<meta property=\"og:locale\" content=\"%h\">"
		    "<meta property=\"og:type\" content=\"%h\">"
		    "<meta property=\"og:title\" content=\"%h\">"
		    "<meta property=\"og:description\" content=\"%h\">"
		    "<meta property=\"og:url\" content=\"%h%h\">",
		    desc, base, self, T(r, "pub.brand"), strcmp(r->lang, "en") ? "vi_VN" : "en_US",
		    og && og->type ? og->type : "website", title, desc, base, self);
	if (og && og->image)
		page_printf(w, "<meta property=\"og:image\" content=\"%h%h\">", base, og->image);
}

static void public_header(struct req *r, struct resp *w)
{
	page_printf(w,
		    "<header class=\"top pub-top\"><a class=\"brand\" href=\"/san-pham\">%h</a>"
		    "<nav class=\"pub-nav\" aria-label=\"%h\"><a href=\"/san-pham\">%h</a>"
		    "<a href=\"/san-pham-tieu-bieu\">%h</a><a href=\"/verify\">%h</a></nav>"
		    "<div class=\"tools\"><form method=\"post\" action=\"/lang\">",
		    T(r, "pub.brand"), T(r, "nav.menu"), T(r, "pub.nav.products"),
		    T(r, "pub.nav.typical"), T(r, "pub.nav.verify"));
	page_csrf(r, w);
	page_printf(w,
		    "<input type=\"hidden\" name=\"lang\" value=\"%h\">"
		    "<input type=\"hidden\" name=\"next\" value=\"%h\">"
		    "<button class=\"link\" type=\"submit\" id=\"lang-switch\">%h</button></form>"
		    "<a href=\"%h\" id=\"staff-link\">%h</a></div></header>",
		    strcmp(r->lang, "en") ? "en" : "vi", r->path, T(r, "lang.switch"),
		    r->authed ? "/" : "/login", T(r, "pub.staff"));
}

void page_begin_public(struct req *r, struct resp *w, const char *title, const struct og *og)
{
	buf_reset(&w->body);
	page_printf(w,
		    "<!DOCTYPE html>\n<html lang=\"%h\" prefix=\"og: https://ogp.me/ns#\"><head>"
		    "<meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>%h – %h</title>",
		    r->lang, title, T(r, "pub.brand"));
	og_tags(r, w, title, og);
	page_printf(w, "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
		       "<link rel=\"stylesheet\" href=\"/static/app.css\">"
		       "<link rel=\"stylesheet\" href=\"/static/public.css\"></head>"
		       "<body class=\"public\">");
	public_header(r, w);
	page_printf(w, "<main id=\"main\"><h1>%h</h1>", title);
}

static void public_footer(struct req *r, struct resp *w)
{
	struct trace_key k;
	char pk[TRACE_PK_TEXT] = "";
	if (trace_key_load(r->st, &k, NULL) == 0)
		trace_pk_text(k.pk, pk);
	page_printf(
		w,
		"</main><footer class=\"foot pub-foot\"><p>%h</p><p>%h: <code id=\"public-key\">"
		"%h</code> · <a href=\"/verify\">%h</a> · <a href=\"/api/v1/public/products\">"
		"JSON</a></p></footer></body></html>\n",
		T(r, "pub.foot.about"), T(r, "pub.foot.key"), pk, T(r, "pub.nav.verify"));
	w->content_type = "text/html; charset=utf-8";
}

int public_max_age(void)
{
	const char *v = getenv("KC_PUBLIC_MAX_AGE");
	char *end;
	long n = v && *v ? strtol(v, &end, 10) : -1;
	return n >= 0 && n <= 86400 && !*end ? (int)n : 60;
}

/* A public page holds nothing of its caller when no session is in play
 * (the language is the kc_lang cookie: Vary), so shared caches (nginx, a
 * CDN) may keep it for public_max_age() seconds (s-maxage). The ETag hashes the bytes:
 * it changes with anything shown (the lot, its steps, its product, its
 * maker), and a revalidation that names it is answered 304 with no body. */
static void cache_public(struct req *r, struct resp *w)
{
	if (r->authed || req_cookie(r, "kc_session"))
		return; /* send_resp's no-store */
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)w->body.data, w->body.len, NULL, 0);
	char *etag = arena_alloc(r->arena, 2 * sizeof h + 3), *cc = arena_alloc(r->arena, 48);
	etag[0] = '"';
	sodium_bin2hex(etag + 1, 2 * sizeof h + 1, h, sizeof h);
	strcat(etag, "\"");
	/* Browsers ask again each time (a 304 when nothing changed), so a page
	 * seen before a change is never shown after it; shared caches keep it. */
	snprintf(cc, 48, "public, max-age=0, s-maxage=%d", public_max_age());
	resp_header(r, w, "ETag", etag);
	resp_header(r, w, "Cache-Control", cc);
	resp_header(r, w, "Vary", "Cookie");
	const char *inm = req_header(r, "If-None-Match");
	if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
		buf_reset(&w->body);
		w->status = 304;
	}
}

void page_end_public(struct req *r, struct resp *w)
{
	public_footer(r, w);
	w->status = 200;
	cache_public(r, w);
}

void public_error(struct req *r, struct resp *w, int status, const char *message)
{
	page_begin_public(r, w, T(r, status == 404 ? "pub.notfound" : "error.title"), NULL);
	page_printf(w,
		    "<p class=\"error\" role=\"alert\" id=\"public-error\">%h</p>"
		    "<p><a href=\"/san-pham\">%h</a></p>",
		    page_message(r, message), T(r, "pub.back"));
	public_footer(r, w);
	w->status = status; /* not cached: the lot may exist a minute later */
}

/* ---- small pieces ---------------------------------------------------- */

const char *public_label(struct req *r, const char *collection, const char *field, const char *code)
{
	if (!code)
		return "";
	const struct field *f = entity_field(entity_find(collection), field);
	char label[200];
	field_enum_label(f, code, r->lang, label, sizeof label);
	return arena_strdup(r->arena, label);
}

int64_t public_id(const char *text)
{
	size_t n = text ? strlen(text) : 0;
	if (n == 0 || n > 18 || strspn(text, "0123456789") != n || text[0] == '0')
		return 0;
	return strtoll(text, NULL, 10);
}

static const char *date_text(struct req *r, const char *iso)
{
	struct buf b = BUF_INIT;
	if (iso)
		vtext_fmt_date(&b, iso);
	const char *s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void stars(struct req *r, struct resp *w, json_t *n)
{
	if (!json_is_integer(n))
		return;
	int k = (int)json_integer_value(n);
	page_printf(w, "<span class=\"stars\" aria-label=\"%d %h\" title=\"%d %h\">", k,
		    T(r, "pub.ocop_stars"), k, T(r, "pub.ocop_stars"));
	for (int i = 1; i <= 5; i++)
		page_printf(w, "%h", i <= k ? "★" : "☆");
	page_printf(w, "</span>");
}

/* "Sản phẩm CNNT tiêu biểu cấp tỉnh · 2021" */
static void award_badge(struct req *r, struct resp *w, const char *level, json_t *year)
{
	if (!level)
		return;
	page_printf(w, "<span class=\"badge award\">%h: %h", T(r, "pub.typical"),
		    public_label(r, "awards", "level", level));
	if (json_is_integer(year))
		page_printf(w, " · %lld", (long long)json_integer_value(year));
	page_printf(w, "</span>");
}

/* A button's text for a shop address: the marketplace's name when it is a
 * well-known one, else the host and the first step of the path. */
static const char *shop_name(struct req *r, const char *url)
{
	static const struct {
		const char *host, *name;
	} known[] = {
		{"shopee.vn", "Shopee"},      {"lazada.vn", "Lazada"},
		{"tiki.vn", "Tiki"},	      {"sendo.vn", "Sendo"},
		{"facebook.com", "Facebook"}, {"zalo.me", "Zalo"},
		{"tiktok.com", "TikTok"},     {"amazon.com", "Amazon"},
		{"alibaba.com", "Alibaba"},   {"postmart.vn", "Postmart"},
		{"voso.vn", "Voso"},
	};
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t n = strcspn(h, "/?#");
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		size_t k = strlen(known[i].host);
		if (n >= k && !strncmp(h + n - k, known[i].host, k) &&
		    (n == k || h[n - k - 1] == '.'))
			return known[i].name;
	}
	if (h[n] == '/')
		n += 1 + strcspn(h + n + 1, "/?#");
	if (!strncmp(h, "www.", 4)) {
		h += 4;
		n -= 4;
	}
	return arena_strndup(r->arena, h, n > 60 ? 60 : n);
}

void public_channels(struct req *r, struct resp *w, json_t *list)
{
	if (!json_array_size(list))
		return;
	page_printf(w,
		    "<section class=\"channels\" id=\"channels\"><h2>%h</h2><p class=\"buttons\">",
		    T(r, "pub.channels"));
	size_t i;
	json_t *u;
	json_array_foreach(list, i, u) {
		const char *url = json_string_value(u);
		if (url && (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8)))
			page_printf(
				w,
				"<a class=\"button channel\" href=\"%h\" rel=\"noopener nofollow\">"
				"%h ↗</a> ",
				url, shop_name(r, url));
	}
	page_printf(w, "</p></section>");
}

const char *public_gtin(const char *gtin14)
{
	/* GTIN-13 (EAN) is what a package prints: drop the 14-digit form's pad. */
	return gtin14 && strlen(gtin14) == 14 && gtin14[0] == '0' ? gtin14 + 1 : gtin14;
}

static void paragraphs(struct req *r, struct resp *w, const char *text)
{
	if (!text)
		return;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > 0)
			page_printf(w, "<p>%h</p>", arena_strndup(r->arena, p, n));
		p += n;
		if (*p)
			p++;
	}
}

/* The <option>s of an enum field's values, cur selected. */
static void enum_options(struct req *r, struct resp *w, const char *collection, const char *field,
			 const char *cur)
{
	page_field_options(r, w, entity_field(entity_find(collection), field), cur);
}

/* ---- the product list ------------------------------------------------ */

static const char *opt(struct req *r, const char *key)
{
	const char *v = req_query(r, key);
	return v && *v ? v : NULL;
}

/* The declared integer parameter key (params.c) into *out, its default
 * when absent; -1 when not such a number. */
static int opt_int(struct req *r, const char *key, int64_t *out)
{
	const struct query_param *p = query_param_find(key, r->route->handler);
	const char *v = opt(r, key);
	*out = p->def;
	if (v && (parse_int64(v, out) < 0 || *out < p->min || *out > p->max))
		return -1;
	return 0;
}

static int bad_query(struct req *r, struct resp *w, int json, const char *field)
{
	char msg[200];
	snprintf(msg, sizeof msg, "Giá trị lọc không hợp lệ: %.40s / invalid filter: %.40s", field,
		 field);
	if (json)
		reply_error(r, w, 400, "invalid", msg, field);
	else
		public_error(r, w, 400, msg);
	return -1;
}

/* The filters of the product list from the query; replies 400 (JSON or a
 * public page) and returns -1 on bad input. */
static int list_query_or_reply(struct req *r, struct resp *w, int json, struct catalogue_query *q,
			       int64_t *page)
{
	memset(q, 0, sizeof *q);
	int64_t v;
	q->q = opt(r, "q");
	if (q->q && strlen(q->q) > Q_MAX)
		return bad_query(r, w, json, "q");
	static const char *const texts[] = {"province", "category", "level"};
	const char **slots[] = {&q->province, &q->category, &q->level};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (query_text_check(r, texts[i], slots[i]) < 0)
			return bad_query(r, w, json, texts[i]);
	if (opt_int(r, "stars", &v) < 0)
		return bad_query(r, w, json, "stars");
	q->stars = (int)v;
	if (opt_int(r, "year", &v) < 0)
		return bad_query(r, w, json, "year");
	q->year = (int)v;
	if (opt_int(r, "village", &q->village_id) < 0)
		return bad_query(r, w, json, "village");
	if (opt_int(r, "page", page) < 0)
		return bad_query(r, w, json, "page");
	q->limit = PER_PAGE;
	q->offset = (*page - 1) * PER_PAGE;
	return 0;
}

static void product_card(struct req *r, struct resp *w, json_t *it)
{
	long long id = (long long)json_integer_value(json_object_get(it, "id"));
	const char *name = json_string_value(json_object_get(it, "name"));
	json_t *photo = json_object_get(it, "photo_id");
	page_printf(w, "<a class=\"pcard\" href=\"/san-pham/%lld\" data-id=\"%lld\">", id, id);
	if (json_is_integer(photo))
		page_printf(w, "<img class=\"pimg\" src=\"/anh/%lld\" alt=\"%h\" loading=\"lazy\">",
			    (long long)json_integer_value(photo), name);
	else
		page_printf(w, "<span class=\"pimg none\" aria-hidden=\"true\">%h</span>",
			    public_label(r, "products", "category",
					 json_string_value(json_object_get(it, "category"))));
	page_printf(w,
		    "<span class=\"pbody\"><strong class=\"pname\">%h</strong>"
		    "<span class=\"maker\">%h</span><span class=\"meta\">%h</span>",
		    name, json_string_value(json_object_get(it, "establishment_name")),
		    json_string_value(json_object_get(it, "province")));
	award_badge(r, w, json_string_value(json_object_get(it, "award_level")),
		    json_object_get(it, "award_year"));
	stars(r, w, json_object_get(it, "ocop_stars"));
	page_printf(w, "</span></a>");
}

static void product_grid(struct req *r, struct resp *w, json_t *items)
{
	page_printf(w, "<div class=\"pgrid\" id=\"products\">");
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) product_card(r, w, it);
	page_printf(w, "</div>");
	if (!json_array_size(items))
		page_printf(w, "<p class=\"muted\" id=\"no-products\">%h</p>", T(r, "pub.none"));
}

static void select_filter(struct req *r, struct resp *w, const char *key, const char *label)
{
	page_printf(w, "<label>%h<select name=\"%h\"><option value=\"\">%h</option>", label, key,
		    T(r, "pub.any"));
}

static void list_filters(struct req *r, struct resp *w, json_t *f)
{
	page_printf(w,
		    "<form method=\"get\" action=\"/san-pham\" class=\"filters pub-filters\" "
		    "id=\"product-filters\" role=\"search\"><label>%h<input type=\"search\" "
		    "name=\"q\" value=\"%h\" maxlength=\"200\"></label>",
		    T(r, "pub.search"), req_query(r, "q"));
	select_filter(r, w, "province", T(r, "pub.province"));
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(f, "provinces"), i, o) {
		const char *code = json_string_value(json_object_get(o, "code"));
		page_printf(w, "<option value=\"%h\"%h>%h</option>", code,
			    opt(r, "province") && !strcmp(opt(r, "province"), code) ? " selected"
										    : "",
			    json_string_value(json_object_get(o, "name")));
	}
	page_printf(w, "</select></label>");
	select_filter(r, w, "category", T(r, "pub.category"));
	enum_options(r, w, "products", "category", opt(r, "category"));
	page_printf(w, "</select></label>");
	select_filter(r, w, "level", T(r, "pub.level"));
	enum_options(r, w, "awards", "level", opt(r, "level"));
	page_printf(w, "</select></label>");
	select_filter(r, w, "stars", T(r, "pub.stars_from"));
	for (int k = 1; k <= 5; k++)
		page_printf(w, "<option value=\"%d\"%h>%d ★</option>", k,
			    opt(r, "stars") && atoi(opt(r, "stars")) == k ? " selected" : "", k);
	page_printf(w, "</select></label>");
	if (!json_array_size(json_object_get(f, "villages"))) {
		page_printf(w, "<button type=\"submit\">%h</button></form>", T(r, "pub.filter"));
		return;
	}
	select_filter(r, w, "village", T(r, "pub.village"));
	json_array_foreach(json_object_get(f, "villages"), i, o) {
		long long id = (long long)json_integer_value(json_object_get(o, "id"));
		page_printf(w, "<option value=\"%lld\"%h>%h</option>", id,
			    opt(r, "village") && atoll(opt(r, "village")) == id ? " selected" : "",
			    json_string_value(json_object_get(o, "name")));
	}
	page_printf(w, "</select></label><button type=\"submit\">%h</button></form>",
		    T(r, "pub.filter"));
}

/* The current query without page, for the pager's links. */
static const char *query_rest(struct req *r)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, "page"))
			buf_printf(&b, "&%t=%t", r->query[i].key, r->query[i].value);
	const char *s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void pager(struct req *r, struct resp *w, int64_t page, int64_t total)
{
	const char *rest = query_rest(r);
	page_printf(w, "<p class=\"pager\">");
	if (page > 1)
		page_printf(w, "<a href=\"/san-pham?page=%lld%h\" rel=\"prev\">%h</a> ",
			    (long long)(page - 1), rest, T(r, "list.prev"));
	if (page * PER_PAGE < total)
		page_printf(w, "<a href=\"/san-pham?page=%lld%h\" rel=\"next\">%h</a>",
			    (long long)(page + 1), rest, T(r, "list.next"));
	page_printf(w, "</p>");
}

/* Products by province on the map; a province filters the list (the
 * query kept, its province and page replaced). */
static void products_map(struct req *r, struct resp *w, const struct catalogue_query *q)
{
	json_t *counts;
	struct err e;
	struct map_view v;
	if (catalogue_by_province(r->st, q, &counts, &e) < 0)
		return;
	if (map_view_build(counts, 0, &v, &e) == 0) {
		struct buf link = BUF_INIT, svg = BUF_INIT;
		buf_puts(&link, "/san-pham?page=1");
		for (int i = 0; i < r->nquery; i++)
			if (strcmp(r->query[i].key, "province") && strcmp(r->query[i].key, "page"))
				buf_printf(&link, "&%t=%t", r->query[i].key, r->query[i].value);
		map_svg(&v,
			&(struct map_opts){.title = T(r, "pub.map_title"),
					   .link = buf_cstr(&link),
					   .id = "products-map"},
			&svg);
		page_printf(w, "<details class=\"pub-map\" id=\"pub-map\"><summary>%h</summary>"
			       "<figure class=\"map-figure\">",
			    T(r, "pub.map_show"));
		buf_append(&w->body, svg.data, svg.len);
		page_printf(w, "</figure></details>");
		buf_free(&link);
		buf_free(&svg);
	}
	json_decref(counts);
}

void h_pub_products(struct req *r, struct resp *w)
{
	struct catalogue_query q;
	int64_t page, total;
	if (list_query_or_reply(r, w, 0, &q, &page) < 0)
		return;
	struct err e;
	json_t *items = NULL, *filters = NULL;
	if (catalogue_list(r->st, &q, &items, &total, &e) < 0 ||
	    catalogue_filters(r->st, q.province, &filters, &e) < 0) {
		json_decref(items);
		public_error(r, w, 500, e.message);
		return;
	}
	struct og og = {.description = T(r, "pub.list.intro")};
	page_begin_public(r, w, T(r, "pub.list.title"), &og);
	page_printf(w, "<p class=\"lead\">%h</p>", T(r, "pub.list.intro"));
	list_filters(r, w, filters);
	products_map(r, w, &q);
	page_printf(w, "<p class=\"count\">%h: <strong id=\"total\">%lld</strong></p>",
		    T(r, "pub.found"), (long long)total);
	product_grid(r, w, items);
	pager(r, w, page, total);
	json_decref(items);
	json_decref(filters);
	page_end_public(r, w);
}

/* ---- one product ----------------------------------------------------- */

/* "Xã Mễ Sở, Tỉnh Hưng Yên" of a maker object. */
static const char *place_of(struct req *r, json_t *est)
{
	const char *c = json_string_value(json_object_get(est, "commune"));
	const char *p = json_string_value(json_object_get(est, "province"));
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s%s%s", c ? c : "", c && p ? ", " : "", p ? p : "");
	const char *s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void maker_facts(struct req *r, struct resp *w, json_t *est, int link)
{
	long long id = (long long)json_integer_value(json_object_get(est, "id"));
	page_printf(w, "<dt>%h</dt><dd id=\"maker\">", T(r, "pub.maker"));
	if (link)
		page_printf(w, "<a href=\"/co-so/%lld\">%h</a>", id,
			    json_string_value(json_object_get(est, "name")));
	else
		page_printf(w, "%h", json_string_value(json_object_get(est, "name")));
	page_printf(w, " <span class=\"muted\">(%h)</span></dd><dt>%h</dt><dd>%h</dd>",
		    public_label(r, "establishments", "kind",
				 json_string_value(json_object_get(est, "kind"))),
		    T(r, "pub.place"), place_of(r, est));
	json_t *v = json_object_get(est, "village");
	if (json_is_object(v))
		page_printf(w,
			    "<dt>%h</dt><dd><a href=\"/lang-nghe/%lld\" "
			    "id=\"village-link\">%h</a></dd>",
			    T(r, "pub.village"),
			    (long long)json_integer_value(json_object_get(v, "id")),
			    json_string_value(json_object_get(v, "name")));
}

static void product_facts(struct req *r, struct resp *w, json_t *p)
{
	page_printf(w, "<dl class=\"fields\" id=\"product-facts\"><dt>%h</dt><dd>%h</dd>",
		    T(r, "pub.category"),
		    public_label(r, "products", "category",
				 json_string_value(json_object_get(p, "category"))));
	json_t *award = json_object_get(p, "award");
	if (json_is_object(award)) {
		page_printf(w, "<dt>%h</dt><dd id=\"award\">", T(r, "pub.typical"));
		award_badge(r, w, json_string_value(json_object_get(award, "level")),
			    json_object_get(award, "year"));
		page_printf(w, "</dd>");
	}
	if (json_is_integer(json_object_get(p, "ocop_stars"))) {
		page_printf(w, "<dt>OCOP</dt><dd>");
		stars(r, w, json_object_get(p, "ocop_stars"));
		page_printf(w, "</dd>");
	}
	const char *gtin = json_string_value(json_object_get(p, "gtin"));
	if (gtin)
		page_printf(w, "<dt>GTIN</dt><dd><code id=\"gtin\">%h</code></dd>",
			    public_gtin(gtin));
	maker_facts(r, w, json_object_get(p, "establishment"), 1);
	page_printf(w, "</dl>");
}

static void gallery(struct resp *w, json_t *p)
{
	json_t *photos = json_object_get(p, "photos");
	if (!json_array_size(photos))
		return;
	const char *name = json_string_value(json_object_get(p, "name"));
	page_printf(w, "<div class=\"gallery\" id=\"gallery\">");
	size_t i;
	json_t *id;
	json_array_foreach(photos, i, id)
		page_printf(w, "<img src=\"/anh/%lld\" alt=\"%h\"%h>",
			    (long long)json_integer_value(id), name, i ? " loading=\"lazy\"" : "");
	page_printf(w, "</div>");
}

/* The first sentences of a description, for Open Graph. */
static const char *summary(struct req *r, const char *text)
{
	if (!text)
		return NULL;
	size_t n = strcspn(text, "\n");
	if (n > 200) {
		n = 200;
		while (n > 0 && (text[n] & 0xC0) == 0x80)
			n--; /* never cut a UTF-8 sequence */
	}
	return arena_strndup(r->arena, text, n);
}

static const char *first_photo(struct req *r, json_t *p)
{
	json_t *id = json_array_get(json_object_get(p, "photos"), 0);
	if (!json_is_integer(id))
		return NULL;
	char path[40];
	snprintf(path, sizeof path, "/anh/%lld", (long long)json_integer_value(id));
	return arena_strdup(r->arena, path);
}

void h_pub_product(struct req *r, struct resp *w)
{
	public_product_page(r, w, public_id(r->params[0]), NULL);
}

void public_product_page(struct req *r, struct resp *w, int64_t id, const char *canonical)
{
	json_t *p = NULL;
	struct err e;
	int rc = id ? catalogue_product(r->st, id, &p, &e) : ERR_NOTFOUND;
	if (rc < 0) {
		public_error(r, w, rc == ERR_NOTFOUND ? 404 : 500,
			     rc == ERR_NOTFOUND ? T(r, "pub.notfound.text") : e.message);
		return;
	}
	const char *desc = json_string_value(json_object_get(p, "description"));
	struct og og = {.type = "product",
			.description = summary(r, desc),
			.image = first_photo(r, p),
			.canonical = canonical};
	page_begin_public(r, w, json_string_value(json_object_get(p, "name")), &og);
	page_printf(w, "<article class=\"product\" id=\"product\" data-id=\"%lld\">",
		    (long long)id);
	gallery(w, p);
	page_printf(w, "<div class=\"about\">");
	product_facts(r, w, p);
	page_printf(w, "<div class=\"description\">");
	paragraphs(r, w, desc);
	page_printf(w, "</div>");
	public_channels(r, w, json_object_get(p, "channels"));
	page_printf(w, "<p class=\"muted trace-hint\">%h</p></div></article>",
		    T(r, "pub.trace_hint"));
	json_decref(p);
	page_end_public(r, w);
}

/* ---- makers, villages, typical products ------------------------------ */

static void award_rows(struct req *r, struct resp *w, json_t *awards, int with_maker)
{
	page_printf(w,
		    "<div class=\"scroll\"><table class=\"awards\" id=\"awards\"><thead><tr>"
		    "<th>%h</th>",
		    T(r, "pub.product"));
	if (with_maker)
		page_printf(w, "<th>%h</th>", T(r, "pub.maker"));
	page_printf(w, "<th>%h</th><th>%h</th><th>OCOP</th><th>%h</th></tr></thead><tbody>",
		    T(r, "pub.level"), T(r, "pub.year"), T(r, "pub.province"));
	size_t i;
	json_t *a;
	json_array_foreach(awards, i, a) {
		json_t *pid = json_object_get(a, "product_id");
		const char *name = json_string_value(json_object_get(a, "product_name"));
		if (json_is_integer(pid))
			page_printf(w, "<tr><td><a href=\"/san-pham/%lld\">%h</a></td>",
				    (long long)json_integer_value(pid), name);
		else
			page_printf(w, "<tr><td>%h</td>", name);
		const char *maker = json_string_value(json_object_get(a, "establishment_name"));
		if (with_maker && json_is_true(json_object_get(a, "establishment_public")))
			page_printf(w, "<td><a href=\"/co-so/%lld\">%h</a></td>",
				    (long long)json_integer_value(
					    json_object_get(a, "establishment_id")),
				    maker);
		else if (with_maker)
			page_printf(w, "<td>%h</td>", maker);
		page_printf(w, "<td>%h</td><td>%lld</td><td>",
			    public_label(r, "awards", "level",
					 json_string_value(json_object_get(a, "level"))),
			    (long long)json_integer_value(json_object_get(a, "year")));
		stars(r, w, json_object_get(a, "ocop_stars"));
		page_printf(w, "</td><td>%h</td></tr>",
			    json_string_value(json_object_get(a, "province")));
	}
	if (!json_array_size(awards))
		page_printf(w, "<tr><td colspan=\"6\">%h</td></tr>", T(r, "list.empty"));
	page_printf(w, "</tbody></table></div>");
}

void h_pub_establishment(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]);
	json_t *o = NULL;
	struct err e;
	int rc = id ? catalogue_establishment(r->st, id, &o, &e) : ERR_NOTFOUND;
	if (rc < 0) {
		public_error(r, w, rc == ERR_NOTFOUND ? 404 : 500,
			     rc == ERR_NOTFOUND ? T(r, "pub.notfound.text") : e.message);
		return;
	}
	struct og og = {.description = place_of(r, o)};
	page_begin_public(r, w, json_string_value(json_object_get(o, "name")), &og);
	page_printf(w, "<dl class=\"fields\" id=\"maker-facts\">");
	maker_facts(r, w, o, 0);
	if (json_is_integer(json_object_get(o, "founded_year")))
		page_printf(w, "<dt>%h</dt><dd>%lld</dd>", T(r, "pub.founded"),
			    (long long)json_integer_value(json_object_get(o, "founded_year")));
	page_printf(w, "</dl>");
	public_channels(r, w, json_object_get(o, "channels"));
	page_printf(w, "<h2>%h</h2>", T(r, "pub.products"));
	product_grid(r, w, json_object_get(o, "products"));
	if (json_array_size(json_object_get(o, "awards"))) {
		page_printf(w, "<h2>%h</h2>", T(r, "pub.typical.title"));
		award_rows(r, w, json_object_get(o, "awards"), 0);
	}
	json_decref(o);
	page_end_public(r, w);
}

void h_pub_village(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]);
	json_t *o = NULL;
	struct err e;
	int rc = id ? catalogue_village(r->st, id, &o, &e) : ERR_NOTFOUND;
	if (rc < 0) {
		public_error(r, w, rc == ERR_NOTFOUND ? 404 : 500,
			     rc == ERR_NOTFOUND ? T(r, "pub.notfound.text") : e.message);
		return;
	}
	const char *craft = json_string_value(json_object_get(o, "craft"));
	struct og og = {.description = craft};
	page_begin_public(r, w, json_string_value(json_object_get(o, "name")), &og);
	page_printf(w, "<dl class=\"fields\" id=\"village-facts\"><dt>%h</dt><dd>%h</dd>",
		    T(r, "pub.craft_group"),
		    public_label(r, "villages", "craft_group",
				 json_string_value(json_object_get(o, "craft_group"))));
	if (craft)
		page_printf(w, "<dt>%h</dt><dd>%h</dd>", T(r, "pub.craft"), craft);
	page_printf(w, "<dt>%h</dt><dd>%h, %h</dd>", T(r, "pub.place"),
		    json_string_value(json_object_get(o, "commune")),
		    json_string_value(json_object_get(o, "province")));
	if (json_is_true(json_object_get(o, "traditional")))
		page_printf(w, "<dt>%h</dt><dd>%h</dd>", T(r, "pub.traditional"), T(r, "pub.yes"));
	if (json_is_true(json_object_get(o, "recognised"))) {
		page_printf(w, "<dt>%h</dt><dd>%h", T(r, "pub.recognised"), T(r, "pub.yes"));
		const char *no = json_string_value(json_object_get(o, "decision_no"));
		const char *on = json_string_value(json_object_get(o, "decision_date"));
		if (no)
			page_printf(w, " · %h", no);
		if (on)
			page_printf(w, " · %h", date_text(r, on));
		page_printf(w, "</dd>");
	}
	page_printf(w, "</dl><h2>%h</h2><ul id=\"makers\">", T(r, "pub.makers"));
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(o, "establishments"), i, m)
		page_printf(w, "<li><a href=\"/co-so/%lld\">%h</a></li>",
			    (long long)json_integer_value(json_object_get(m, "id")),
			    json_string_value(json_object_get(m, "name")));
	page_printf(w, "</ul><h2>%h</h2>", T(r, "pub.products"));
	product_grid(r, w, json_object_get(o, "products"));
	json_decref(o);
	page_end_public(r, w);
}

void h_pub_typical(struct req *r, struct resp *w)
{
	int64_t year;
	const char *level, *province;
	if (opt_int(r, "year", &year) < 0) {
		bad_query(r, w, 0, "year");
		return;
	}
	if (query_text_check(r, "level", &level) < 0) {
		bad_query(r, w, 0, "level");
		return;
	}
	if (query_text_check(r, "province", &province) < 0) {
		bad_query(r, w, 0, "province");
		return;
	}
	json_t *awards;
	struct err e;
	if (catalogue_awards(r->st, (int)year, level, province, 0, &awards, &e) < 0) {
		public_error(r, w, 500, e.message);
		return;
	}
	struct og og = {.description = T(r, "pub.typical.intro")};
	page_begin_public(r, w, T(r, "pub.typical.title"), &og);
	page_printf(w,
		    "<p class=\"lead\">%h</p><form method=\"get\" class=\"filters pub-filters\" "
		    "id=\"typical-filters\"><label>%h<input name=\"year\" value=\"%h\" "
		    "inputmode=\"numeric\" maxlength=\"4\"></label>",
		    T(r, "pub.typical.intro"), T(r, "pub.year"), req_query(r, "year"));
	select_filter(r, w, "level", T(r, "pub.level"));
	enum_options(r, w, "awards", "level", level);
	page_printf(w, "</select></label><button type=\"submit\">%h</button></form>",
		    T(r, "pub.filter"));
	award_rows(r, w, awards, 1);
	json_decref(awards);
	page_end_public(r, w);
}

/* ---- the signing key and a URL checker -------------------------------- */

/* The path and query of a URL or path text ("https://host/t/5?s=..." ->
 * "/t/5", "s=..."), still encoded, in the arena; *path NULL when none. */
static void split_url(struct req *r, const char *url, const char **path, const char **query)
{
	const char *p = url, *scheme = strstr(url, "://");
	if (scheme)
		p = strchr(scheme + 3, '/');
	*path = *query = NULL;
	if (!p)
		return;
	size_t n = strcspn(p, "?#");
	*path = arena_strndup(r->arena, p, n);
	if (p[n] == '?')
		*query = arena_strndup(r->arena, p + n + 1, strcspn(p + n + 1, "#"));
}

/* The same checks as the trace page itself (trace_canonical()). */
static void verify_result(struct req *r, struct resp *w, const char *url)
{
	const char *path, *query, *sig = NULL;
	split_url(r, url, &path, &query);
	struct buf canon = BUF_INIT;
	int ok = path && trace_canonical(r, path, query, &canon, &sig) == 0 &&
		 trace_signed_ok(r, buf_cstr(&canon), sig);
	page_printf(w,
		    "<p class=\"%h\" id=\"verify-result\" data-verified=\"%d\" role=\"status\">"
		    "%h</p>",
		    ok ? "verified" : "unverified", ok,
		    T(r, ok ? "pub.verified" : "pub.unverified"));
	if (ok)
		page_printf(w, "<p><a href=\"%h?s=%t\">%h</a></p>", buf_cstr(&canon), sig,
			    T(r, "pub.open_trace"));
	buf_free(&canon);
}

void h_pub_verify(struct req *r, struct resp *w)
{
	struct trace_key k;
	struct err e;
	if (trace_key_load(r->st, &k, &e) < 0) {
		public_error(r, w, 500, e.message);
		return;
	}
	char pk[TRACE_PK_TEXT], hex[65];
	trace_pk_text(k.pk, pk);
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[k.pk[i] >> 4];
		hex[2 * i + 1] = digits[k.pk[i] & 15];
	}
	hex[64] = 0;
	const char *url = opt(r, "url");
	struct og og = {.description = T(r, "pub.verify.intro")};
	page_begin_public(r, w, T(r, "pub.verify.title"), &og);
	page_printf(w, "<p class=\"lead\">%h</p>", T(r, "pub.verify.intro"));
	page_printf(
		w,
		"<form method=\"get\" action=\"/verify\" class=\"card\" id=\"verify-form\"><label>"
		"%h<input name=\"url\" value=\"%h\" maxlength=\"512\" required></label>"
		"<button type=\"submit\">%h</button></form>",
		T(r, "pub.verify.url"), url, T(r, "pub.verify.check"));
	if (url)
		verify_result(r, w, url);
	page_printf(w,
		    "<h2>%h</h2><dl class=\"fields\"><dt>%h</dt><dd>Ed25519 (RFC 8032)</dd>"
		    "<dt>%h (base64)</dt><dd><code id=\"key-base64\">%h</code></dd>"
		    "<dt>%h (hex)</dt><dd><code id=\"key-hex\">%h</code></dd></dl><p>%h</p>",
		    T(r, "pub.verify.key"), T(r, "pub.verify.algorithm"), T(r, "pub.foot.key"), pk,
		    T(r, "pub.foot.key"), hex, T(r, "pub.verify.how"));
	page_end_public(r, w);
}

/* ---- the same as JSON ------------------------------------------------ */

/* Adds labels and URLs to a product of catalogue_list(). */
static void label_item(struct req *r, json_t *it)
{
	json_object_set_new(
		it, "category_label",
		json_string(public_label(r, "products", "category",
					 json_string_value(json_object_get(it, "category")))));
	json_t *level = json_object_get(it, "award_level");
	if (json_is_string(level))
		json_object_set_new(
			it, "award_level_label",
			json_string(public_label(r, "awards", "level", json_string_value(level))));
	char url[48];
	snprintf(url, sizeof url, "/san-pham/%lld",
		 (long long)json_integer_value(json_object_get(it, "id")));
	json_object_set_new(it, "url", json_string(url));
}

void h_api_pub_products(struct req *r, struct resp *w)
{
	struct catalogue_query q;
	int64_t page, total;
	if (list_query_or_reply(r, w, 1, &q, &page) < 0)
		return;
	struct err e;
	json_t *items;
	if (catalogue_list(r->st, &q, &items, &total, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) label_item(r, it);
	reply_json(w, 200,
		   json_pack("{s:o,s:I,s:I,s:i}", "items", items, "total", (json_int_t)total,
			     "page", (json_int_t)page, "per_page", PER_PAGE));
}

void h_api_pub_product(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]);
	json_t *p;
	struct err e;
	if (!id) {
		reply_error(r, w, 404, "not_found", "Không có sản phẩm này / no such product",
			    "id");
		return;
	}
	if (catalogue_product(r->st, id, &p, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	label_item(r, p);
	reply_json(w, 200, p);
}

void h_api_pub_key(struct req *r, struct resp *w)
{
	struct trace_key k;
	struct err e;
	if (trace_key_load(r->st, &k, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char pk[TRACE_PK_TEXT];
	trace_pk_text(k.pk, pk);
	reply_json(w, 200,
		   json_pack("{s:s,s:s,s:s,s:s}", "algorithm", "Ed25519", "public_key", pk,
			     "signed_message",
			     "the canonical path: /t/{lot id} or /01/{GTIN-14}/10/{lot}",
			     "signature", "query parameter s, unpadded base64url of 64 bytes"));
}
