/* map.h - a statistic by province drawn as a choropleth map of Vietnam: one
 * geometry (data/maps, compiled in), projected and joined into the 34 new
 * provinces once per process, written as SVG (with a title per province,
 * links and a legend) or drawn with cairo (PDF, PNG) from the same paths. */
#ifndef KC_MAP_H
#define KC_MAP_H

#include "core/buf.h"
#include "core/err.h"

#include <cairo.h>
#include <jansson.h>

#define MAP_UNITS_MAX 63 /* provinces before 2025-07-01; 34 after */
#define MAP_CLASSES_MAX 5
#define MAP_CATS_MAX 8 /* categories of a categorical map */
#define MAP_SIZE 1000 /* the map's square, in its own units (the SVG's viewBox) */

enum {
	MAP_REPORTED = 1,  /* the value comes (wholly or partly) from reported figures */
	MAP_QUALIFIED = 2, /* the value is not exact: "trên", "khoảng", "dưới" */
	MAP_MARKED = 4,	   /* categorical maps: striped, the legend's mark_label */
};

/* The values of one statistic laid on the map's units. Strings are borrowed
 * from the statistics result given to map_view_build(), which must outlive
 * the view. */
struct map_view {
	int old_units;			  /* the 63 provinces of the time, else today's 34 */
	int nunits;			  /* 63 or 34 */
	int ncls;			  /* classes, 0 when no province has a value */
	double lo[MAP_CLASSES_MAX];	  /* smallest value of each class */
	double hi[MAP_CLASSES_MAX];	  /* largest value of each class */
	int decimals;			  /* of the values (the indicator's scale) */
	int cls[MAP_UNITS_MAX];		  /* class of each unit, -1 without a value */
	int flags[MAP_UNITS_MAX];	  /* MAP_REPORTED | MAP_QUALIFIED */
	const char *text[MAP_UNITS_MAX];  /* the value as written ("trên 80%"), or NULL */
	const char *label[MAP_UNITS_MAX]; /* the unit's full name */
	char code[MAP_UNITS_MAX][4];	  /* the unit's province code */
	/* Categorical maps (ncat > 0): cls[u] is a category, not a class. */
	int ncat;
	const char *cat_label[MAP_CATS_MAX];  /* legend text of each category */
	const char *cat_colour[MAP_CATS_MAX]; /* its fill, "#rrggbb" */
	const char *mark_label;		      /* legend of MAP_MARKED units, or NULL */
	const char *href[MAP_UNITS_MAX];      /* a unit's own link (before map_opts.link) */
};

/* Starts a view with the units of old_units (codes, names, no class, no
 * data), for the caller to fill: categorical maps set ncat, cat_*, cls[]
 * and flags[] themselves. */
void map_view_units(struct map_view *v, int old_units);

/* The unit of province code in v, or -1. */
int map_unit_of(const struct map_view *v, const char *code);

/* Lays stats, a stats_view() result broken down by province (rows keyed
 * "new:CC" or "old:CC"), on the units of old_units: values in classes by
 * quantiles of the provinces that have one (at most 5; the bounds of each
 * class are values of the table). Rows without a numeric value (no data,
 * ratios of several provinces) are left without a class. Returns 0, or
 * ERR_INVALID naming "by" when stats is not broken down by province. */
int map_view_build(json_t *stats, int old_units, struct map_view *v, struct err *e);

/* Checks a section's "map" (io/doc.h: an object with "rows" as a
 * stats_view() result has them, and a string "title"); ERR_INVALID naming
 * field. */
int map_model_check(json_t *map, const char *field, struct err *e);

/* Display options of map_svg(). */
struct map_opts {
	const char *title;    /* heading drawn on the map and the SVG's <title>, or NULL */
	const char *subtitle; /* a second line (period, unit of measure), or NULL */
	const char *link;     /* each province links to link + "&province=CC" (or
				 "&old_province=CC"), or NULL for no links */
	const char *id;	      /* id attribute of the <svg>, or NULL */
	const char *legend;   /* the legend's heading, or NULL for "Chú giải" */
};

/* Appends to out a standalone SVG document (no XML declaration, so it can be
 * placed inside HTML too) of v: one <path> per unit with a <title> "name:
 * value", classes filled from a light-to-dark scale, units without data
 * hatched grey, reported values striped and qualified ones dotted with their
 * text written on the map, a legend in Vietnamese number format, and the
 * archipelagos Hoàng Sa and Trường Sa always drawn and labelled as Vietnam's.
 * A categorical map fills each unit with its category's colour, stripes the
 * MAP_MARKED ones, and lists the categories in the legend. Cannot fail. */
void map_svg(const struct map_view *v, const struct map_opts *o, struct buf *out);

/* Draws the same map into the rectangle (x, y, w, h) of cr (kept square,
 * centred). cr's state is saved and restored. Cannot fail. */
void map_draw(cairo_t *cr, const struct map_view *v, const char *title, double x, double y,
	      double w, double h);

/* The same map as a PNG of size x size pixels (64..4096) on a white ground,
 * appended to out. Returns 0, or ERR_INVALID for a bad size, ERR_IO when
 * cairo fails (out left as it was). */
int map_png(const struct map_view *v, const char *title, int size, struct buf *out, struct err *e);

/* The fill colour of class c of n as "#rrggbb" (a static string), or the
 * no-data grey for c < 0 (numeric maps; see map_unit_colour for any). */
const char *map_class_colour(int c, int n);

/* The fill colour of unit u of v, numeric or categorical. */
const char *map_unit_colour(const struct map_view *v, int u);

/* A class's legend text into b: "35", or "35 – 120" (Vietnamese numbers). */
void map_class_label(const struct map_view *v, int c, struct buf *b);

/* For tests and checks of the embedded geometry: the number of provinces
 * before 2025-07-01 (63) and the code and name of the i-th; the code of its
 * province from 2025-07-01; the number of border segments that more than two
 * rings share (0 for a sound geometry). NULL for i out of range. */
int map_old_count(void);
const char *map_old_code(int i);
const char *map_old_name(int i);
const char *map_old_successor(int i);
int map_bad_segments(void);

#endif
