/* chart_cache.h - the dashboard's charts drawn once: a small bounded cache
 * of SVG drawings keyed by what they draw, shared by the server's threads. */
#ifndef KC_CHART_CACHE_H
#define KC_CHART_CACHE_H

#include "core/buf.h"

#include <jansson.h>

/* Chart text in pixels of the drawing: drawn at the size it is shown, so
 * the smallest text (0.85 of it) is at least 11 px on the screen. */
#define CHART_TEXT 13
#define CHART_WIDE 520	 /* a column of at least 34rem */
#define CHART_NARROW 288 /* a phone (up to 40rem) */

/* A drawing of a dashboard chart: its ETag (a hash of the chart's data,
 * size and this program's version, so it changes exactly when the drawing
 * does), height and the size of its smallest text, in pixels. */
struct chart_image {
	char etag[35];
	int height;
	double smallest;
};

/* The dashboard's chart (an item of its "charts": its title and link are
 * not drawn) drawn wd pixels wide, at text size CHART_TEXT: found in the
 * cache or drawn and kept as the chart of place, the text that names it
 * (who asks, the dashboard's query, the chart's place and size; it replaces
 * the drawing kept for place before). Fills *img and, when svg is not NULL,
 * appends the SVG to it. Returns 0, or -1 when it cannot be drawn. */
int chart_cache_get(json_t *chart, int wd, const char *place, struct chart_image *img,
		    struct buf *svg);
/* The drawing kept for place when its ETag is etag (with the quotes): fills
 * *img, appends the SVG to svg and returns 0; -1 when another or none is
 * kept. */
int chart_cache_find(const char *place, const char *etag, struct chart_image *img, struct buf *svg);

#endif
