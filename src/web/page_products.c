/* page_products.c - what staff and establishments do with products beyond
 * the generic record pages: photos (upload, remove), and for a lot its QR
 * code, its signed trace URL and the printable label sheet. */
#include "core/mem.h"
#include "io/labels.h"
#include "model/photo.h"
#include "model/record.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/params.h"
#include "web/public.h"
#include "web/upload.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int can_edit(const struct req *r)
{
	return r->actor.role != ROLE_VIEWER;
}

static void product_photos(struct req *r, struct resp *w, json_t *rec, int64_t id)
{
	json_t *photos;
	if (photo_list(r->st, id, &photos, NULL) < 0)
		return;
	page_printf(w, "<section class=\"related\" id=\"photos\"><h2>%h (%zu)</h2>",
		    T(r, "products.photos"), json_array_size(photos));
	if (json_is_true(json_object_get(rec, "published")))
		page_printf(w, "<p><a href=\"/san-pham/%lld\" id=\"public-page\">%h ↗</a></p>",
			    (long long)id, T(r, "products.public_page"));
	else
		page_printf(w, "<p class=\"muted\" id=\"not-published\">%h</p>",
			    T(r, "products.not_published"));
	page_printf(w, "<div class=\"thumbs\">");
	size_t i;
	json_t *p;
	json_array_foreach(photos, i, p) {
		long long pid = (long long)json_integer_value(json_object_get(p, "id"));
		page_printf(w, "<figure><img src=\"/anh/%lld\" alt=\"\" loading=\"lazy\">", pid);
		if (can_edit(r)) {
			page_printf(w,
				    "<form method=\"post\" "
				    "action=\"/products/%lld/photos/%lld/remove\">",
				    (long long)id, pid);
			page_csrf(r, w);
			page_printf(w, "<button type=\"submit\" class=\"link\">%h</button></form>",
				    T(r, "products.photo_remove"));
		}
		page_printf(w, "</figure>");
	}
	page_printf(w, "</div>");
	json_decref(photos);
	if (can_edit(r)) {
		page_printf(w,
			    "<form method=\"post\" action=\"/products/%lld/photos\" "
			    "enctype=\"multipart/form-data\" class=\"card\" id=\"photo-upload\">",
			    (long long)id);
		page_csrf(r, w);
		page_printf(w,
			    "<label>%h<input type=\"file\" name=\"file\" "
			    "accept=\"image/jpeg,image/png,image/webp\" required></label>"
			    "<p class=\"muted\">%h</p><button type=\"submit\">%h</button></form>",
			    T(r, "products.photo_file"), T(r, "products.photo_rules"),
			    T(r, "products.photo_add"));
	}
	page_printf(w, "</section>");
}

static void lot_code(struct req *r, struct resp *w, int64_t id)
{
	struct buf url = BUF_INIT;
	json_t *info = NULL;
	struct err e;
	if (trace_url_for(r, id, &url, &info, &e) < 0) {
		buf_free(&url);
		return;
	}
	page_printf(w, "<section class=\"related\" id=\"qr\"><h2>%h</h2>", T(r, "products.qr"));
	if (!json_is_true(json_object_get(info, "published")))
		page_printf(w, "<p class=\"muted\" id=\"not-published\">%h</p>",
			    T(r, "products.not_published"));
	page_printf(w,
		    "<p><img src=\"/t/%lld/qr.svg\" alt=\"QR\" width=\"192\" height=\"192\" "
		    "id=\"qr-image\"></p><p>%h: <a href=\"%h\" id=\"trace-url\">%h</a></p>"
		    "<p><a href=\"/t/%lld/qr.png\" download>PNG</a> · <a href=\"/t/%lld/qr.svg\" "
		    "download>SVG</a></p>",
		    (long long)id, T(r, "products.trace_url"), buf_cstr(&url), buf_cstr(&url),
		    (long long)id, (long long)id);
	page_printf(w,
		    "<form method=\"get\" action=\"/lots/%lld/labels.pdf\" class=\"card\" "
		    "id=\"labels-form\"><h3>%h</h3><label>%h<select name=\"size\">",
		    (long long)id, T(r, "products.labels"), T(r, "products.labels_size"));
	static const int sizes[] = {20, 25, 30, 40, 50, 70};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		page_printf(w, "<option value=\"%d\"%h>%d mm (%d / A4)</option>", sizes[i],
			    sizes[i] == 30 ? " selected" : "", sizes[i], labels_per_page(sizes[i]));
	page_printf(w,
		    "</select></label><label>%h<input name=\"count\" value=\"%d\" "
		    "inputmode=\"numeric\" maxlength=\"3\"></label><button type=\"submit\">%h"
		    "</button></form></section>",
		    T(r, "products.labels_count"), labels_per_page(30),
		    T(r, "products.labels_make"));
	buf_free(&url);
	json_decref(info);
}

void products_page_extras(struct req *r, struct resp *w, const struct entity *ent, json_t *rec,
			  int64_t id)
{
	if (!strcmp(ent->collection, "products"))
		product_photos(r, w, rec, id);
	else if (!strcmp(ent->collection, "lots"))
		lot_code(r, w, id);
}

/* ---- photos: form and API -------------------------------------------- */

void h_photo_upload_post(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]), photo;
	struct upload up;
	struct err e;
	err_clear(&e);
	int rc = id ? upload_file(r, "file", &up, &e) : ERR_NOTFOUND;
	if (rc == 0)
		rc = photo_add(r->st, &r->actor, id, up.data, up.size, &photo, &e);
	if (rc < 0) {
		if (rc == ERR_NOTFOUND && !e.message[0])
			err_set(&e, ERR_NOTFOUND, "id", "Không có sản phẩm này / no such product");
		page_error(r, w, err_http_status(rc), e.message);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/products/%lld?done=saved", (long long)id);
	reply_redirect(r, w, loc);
}

void h_photo_remove_post(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]), photo = public_id(r->params[1]);
	struct err e;
	if (!id || !photo) {
		page_error(r, w, 404, "Không tìm thấy / not found");
		return;
	}
	if (photo_remove(r->st, &r->actor, id, photo, &e) < 0) {
		page_error(r, w, err_http_status(e.code), e.message);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	snprintf(loc, 64, "/products/%lld?done=saved", (long long)id);
	reply_redirect(r, w, loc);
}

void h_api_photos_list(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]);
	json_t *rec, *photos;
	struct err e;
	if (!id) {
		reply_error(r, w, 404, "not_found", "Không có sản phẩm này / no such product",
			    "id");
		return;
	}
	if (record_get(r->st, &r->actor, entity_find("products"), id, &rec, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	json_decref(rec);
	if (photo_list(r->st, id, &photos, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o}", "items", photos));
}

void h_api_photo_create(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]), photo;
	struct upload up;
	struct err e;
	if (!id) {
		reply_error(r, w, 404, "not_found", "Không có sản phẩm này / no such product",
			    "id");
		return;
	}
	if (upload_file(r, "file", &up, &e) < 0 ||
	    photo_add(r->st, &r->actor, id, up.data, up.size, &photo, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	char *loc = arena_alloc(r->arena, 48);
	snprintf(loc, 48, "/anh/%lld", (long long)photo);
	resp_header(r, w, "Location", loc);
	reply_json(w, 201,
		   json_pack("{s:I,s:I,s:s}", "id", (json_int_t)photo, "product_id", (json_int_t)id,
			     "url", loc));
}

void h_api_photo_delete(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]), photo = public_id(r->params[1]);
	struct err e;
	if (!id || !photo) {
		reply_error(r, w, 404, "not_found", "Không tìm thấy / not found", "id");
		return;
	}
	if (photo_remove(r->st, &r->actor, id, photo, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	w->status = 204;
	buf_reset(&w->body);
}

/* ---- the label sheet ------------------------------------------------- */

static int labels_params(struct req *r, struct resp *w, int *size, int *count)
{
	int64_t s, c;
	if (query_param_or_reply(r, w, "size", &s) < 0 ||
	    query_param_or_reply(r, w, "count", &c) < 0)
		return -1;
	*size = (int)s;
	/* Without a count: one sheet (of at most LABEL_COUNT_MAX small codes). */
	if (!c)
		c = labels_per_page(*size) < LABEL_COUNT_MAX ? labels_per_page(*size)
							     : LABEL_COUNT_MAX;
	*count = (int)c;
	return 0;
}

/* Label sheets are the most expensive request: each renders on a thread of
 * its own (resp_offload), at most LABEL_RENDERS_MAX at once, and each
 * account one at a time. The slots hold the user ids rendering. */
static pthread_mutex_t render_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t rendering[LABEL_RENDERS_MAX];

/* Takes a slot for user: 0, or replies 429 (this user renders already) or
 * 503 (every slot busy) with Retry-After and returns -1. */
static int render_begin(struct req *r, struct resp *w, int64_t user)
{
	int mine = 0, free_slot = -1;
	pthread_mutex_lock(&render_lock);
	for (int i = 0; i < LABEL_RENDERS_MAX; i++) {
		mine |= rendering[i] == user;
		if (!rendering[i] && free_slot < 0)
			free_slot = i;
	}
	if (!mine && free_slot >= 0)
		rendering[free_slot] = user;
	pthread_mutex_unlock(&render_lock);
	if (!mine && free_slot >= 0)
		return 0;
	resp_header(r, w, "Retry-After", "5");
	if (mine)
		reply_error(r, w, 429, "too_many_requests",
			    "Bạn đang tạo một tệp nhãn; chờ tệp đó xong / you are already making a "
			    "label sheet; wait for it to finish",
			    NULL);
	else
		reply_error(r, w, 503, "busy",
			    "Máy chủ đang tạo nhiều tệp nhãn; thử lại sau ít giây / the server is "
			    "making other label sheets; try again in a few seconds",
			    NULL);
	return -1;
}

static void render_end(int64_t user)
{
	pthread_mutex_lock(&render_lock);
	for (int i = 0; i < LABEL_RENDERS_MAX; i++)
		if (rendering[i] == user)
			rendering[i] = 0;
	pthread_mutex_unlock(&render_lock);
}

/* Tests hold renders here to watch the server while they run: with
 * KC_TEST_LABELS_GATE naming a FIFO, each render says so on stderr, then
 * opens the FIFO, which waits for the test to open it for writing. */
static void test_gate(void)
{
	const char *fifo = getenv("KC_TEST_LABELS_GATE");
	if (!fifo)
		return;
	fprintf(stderr, "labels: render held at the test gate\n");
	int fd = open(fifo, O_RDONLY);
	if (fd >= 0)
		close(fd);
}

/* Only the lot's maker, the staff of its province and administrators
 * print its labels (not the ministry, not other provinces). */
static int may_print(struct req *r, int64_t id, struct err *e)
{
	if (r->actor.role == ROLE_MINISTRY)
		return err_set(e, ERR_FORBIDDEN, "",
			       "Chỉ cơ sở sản xuất lô và Sở Công Thương của tỉnh "
			       "in được nhãn / only the lot's maker and its "
			       "province print its labels");
	return record_check_write(r->st, &r->actor, entity_find("lots"), id, e);
}

/* A label sheet rendered off the request threads (resp_offload): what the
 * render needs, owned here, and what it made. */
struct label_job {
	struct label_sheet ls;
	struct buf url;
	json_t *info; /* holds ls.product and ls.lot */
	int64_t user;
	struct buf pdf;
	struct err e;
	int rc;
};

static void labels_run(void *arg)
{
	struct label_job *j = arg;
	test_gate();
	j->rc = labels_pdf(&j->ls, &j->pdf, &j->e);
	render_end(j->user);
}

static void labels_finish(void *arg, struct req *r, struct resp *w)
{
	struct label_job *j = arg;
	if (j->rc < 0) {
		reply_err(r, w, &j->e);
	} else {
		char *cd = arena_alloc(r->arena, 96);
		snprintf(cd, 96, "inline; filename=\"nhan-lo-%s.pdf\"", j->ls.lot ? j->ls.lot : "");
		buf_free(&w->body);
		w->body = j->pdf;
		j->pdf = (struct buf)BUF_INIT;
		w->status = 200;
		w->content_type = "application/pdf";
		resp_header(r, w, "Content-Disposition", cd);
		resp_header(r, w, "Cache-Control", "private, no-store");
	}
	buf_free(&j->url);
	buf_free(&j->pdf);
	json_decref(j->info);
	free(j);
}

void h_lot_labels(struct req *r, struct resp *w)
{
	int64_t id = public_id(r->params[0]);
	int size, count;
	if (labels_params(r, w, &size, &count) < 0)
		return;
	struct label_job *j = xcalloc(1, sizeof *j);
	int rc = id ? trace_url_for(r, id, &j->url, &j->info, &j->e) : ERR_NOTFOUND;
	if (rc == 0 && may_print(r, id, &j->e) < 0) {
		rc = j->e.code;
		if (rc == ERR_FORBIDDEN && !j->e.message[0])
			err_set(&j->e, ERR_FORBIDDEN, "",
				"Bạn không in được nhãn của lô này / you may "
				"not print this lot's labels");
	}
	if (rc == ERR_NOTFOUND)
		reply_error(r, w, 404, "not_found", "Không có lô này / no such lot", "id");
	else if (rc < 0)
		reply_err(r, w, &j->e); /* a database failure is a 500 of its own */
	if (rc < 0 || render_begin(r, w, r->session.user.id) < 0) {
		buf_free(&j->url);
		json_decref(j->info);
		free(j);
		return;
	}
	j->user = r->session.user.id;
	j->ls = (struct label_sheet){.url = buf_cstr(&j->url),
				     .product =
					     json_string_value(json_object_get(j->info, "product")),
				     .lot = json_string_value(json_object_get(j->info, "lot_code")),
				     .qr_mm = size,
				     .count = count};
	w->offload = (struct resp_offload){labels_run, labels_finish, j};
}
