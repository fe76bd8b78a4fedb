/* chart_cache.c - the dashboard's charts drawn once (see chart_cache.h).
 * An entry is the drawing of one place (who asks, the dashboard's query, the
 * chart's place and size) with its ETag, a hash of what it draws: a page
 * that finds another ETag for the place draws it again and replaces it, so
 * an image URL naming the ETag is served from here without computing the
 * dashboard. The oldest entries make room for new places. */
#include "web/chart_cache.h"

#include "core/err.h"
#include "core/mem.h"
#include "io/chart.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { CACHE_SIZE = 256 }; /* 25 dashboards of 5 charts in 2 sizes, about 45 KB each */

struct entry {
	unsigned char place[16]; /* a hash of the place's text */
	struct chart_image img;
	char *svg;
	size_t len;
};

static struct entry cache[CACHE_SIZE];
static size_t cache_next; /* the slot to fill next: the oldest */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* Bars by province or kind get a line each, so the height follows their
 * number. */
static int chart_height(json_t *chart, int wd)
{
	size_t rows = json_array_size(json_object_get(chart, "labels"));
	const char *kind = json_string_value(json_object_get(chart, "kind"));
	return kind && strcmp(kind, "bar") ? 64 + 30 * (int)rows : wd < CHART_WIDE ? 280 : 320;
}

/* The ETag of d drawn wd wide by this version of the program. */
static void chart_etag(json_t *d, int wd, char etag[35])
{
	char *dump = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	char size[32];
	snprintf(size, sizeof size, "%d " KC_VERSION, wd);
	unsigned char h[16];
	crypto_generichash_state hs;
	crypto_generichash_init(&hs, NULL, 0, sizeof h);
	crypto_generichash_update(&hs, (const unsigned char *)dump, strlen(dump));
	crypto_generichash_update(&hs, (const unsigned char *)size, strlen(size));
	crypto_generichash_final(&hs, h, sizeof h);
	free(dump);
	etag[0] = '"';
	sodium_bin2hex(etag + 1, 33, h, sizeof h);
	etag[33] = '"';
	etag[34] = 0;
}

static void place_hash(const char *place, unsigned char h[16])
{
	crypto_generichash(h, 16, (const unsigned char *)place, strlen(place), NULL, 0);
}

/* The entry of place when it is etag, copied out (svg appended when not
 * NULL); 0 if found. */
static int lookup(const unsigned char place[16], const char *etag, struct chart_image *img,
		  struct buf *svg)
{
	int found = -1;
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < CACHE_SIZE; i++)
		if (cache[i].svg && !memcmp(cache[i].place, place, 16) &&
		    !strcmp(cache[i].img.etag, etag)) {
			*img = cache[i].img;
			if (svg)
				buf_append(svg, cache[i].svg, cache[i].len);
			found = 0;
			break;
		}
	pthread_mutex_unlock(&cache_lock);
	return found;
}

/* Keeps the drawing of place, in its entry or else the oldest. */
static void keep(const unsigned char place[16], const struct chart_image *img,
		 const struct buf *svg)
{
	char *copy = xmalloc(svg->len);
	memcpy(copy, svg->data, svg->len);
	pthread_mutex_lock(&cache_lock);
	struct entry *x = NULL;
	for (size_t i = 0; i < CACHE_SIZE && !x; i++)
		if (cache[i].svg && !memcmp(cache[i].place, place, 16))
			x = &cache[i];
	if (!x) {
		x = &cache[cache_next];
		cache_next = (cache_next + 1) % CACHE_SIZE;
	}
	free(x->svg);
	memcpy(x->place, place, 16);
	x->img = *img;
	x->svg = copy;
	x->len = svg->len;
	pthread_mutex_unlock(&cache_lock);
}

int chart_cache_find(const char *place, const char *etag, struct chart_image *img, struct buf *svg)
{
	unsigned char h[16];
	place_hash(place, h);
	return lookup(h, etag, img, svg);
}

int chart_cache_get(json_t *chart, int wd, const char *place, struct chart_image *img,
		    struct buf *svg)
{
	unsigned char h[16];
	place_hash(place, h);
	json_t *d = json_deep_copy(chart);
	json_object_del(d, "title");
	json_object_del(d, "link");
	json_object_set_new(d, "text_size", json_integer(CHART_TEXT));
	memset(img, 0, sizeof *img);
	chart_etag(d, wd, img->etag);
	if (lookup(h, img->etag, img, svg) == 0) {
		json_decref(d);
		return 0;
	}
	img->height = chart_height(d, wd);
	struct buf drawn = BUF_INIT;
	struct err e;
	err_clear(&e);
	int rc = chart_svg_text(d, wd, img->height, &drawn, &img->smallest, &e);
	json_decref(d);
	if (rc == 0) {
		keep(h, img, &drawn);
		if (svg)
			buf_append(svg, drawn.data, drawn.len);
	}
	buf_free(&drawn);
	return rc == 0 ? 0 : -1;
}
