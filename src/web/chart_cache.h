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
 * cache or drawn and kept. Fills *img and, when svg is not NULL, appends
 * the SVG to it. Returns 0, or -1 when it cannot be drawn. */
int chart_cache_get(json_t *chart, int wd, struct chart_image *img, struct buf *svg);

#endif
