/* map_geo.h - the map's geometry, private to map.c and map_geo.c: the 63
 * provinces of data/maps projected onto the map's square once per process,
 * with the border segments each pair of provinces shares. */
#ifndef KC_MAP_GEO_H
#define KC_MAP_GEO_H

#include "io/map.h"

struct map_ring {
	int n;	    /* points, the first repeated last */
	int *q;	    /* x, y of each point in map units (rounded) */
	int *other; /* per segment: the old province sharing it, or -1 */
	int unit;   /* old province */
};

struct map_unit {
	char code[4];
	char name[48];
	int succ;      /* today's province (old units), index in nu[] */
	double cx, cy; /* the centre of its largest ring: where its text goes */
	double area;   /* of that ring */
};

/* An islet of Hoàng Sa (group 0) or Trường Sa (group 1): drawn with a
 * minimum size, since at national scale it is smaller than a pixel. */
struct map_islet {
	double x, y;
	int group, unit;
};

#define MAP_ISLETS_MAX 32

struct map_geo {
	struct map_ring *rings;
	int nrings;
	struct map_unit old[MAP_UNITS_MAX];
	int nold;
	struct map_unit nu[MAP_UNITS_MAX];
	int nnew;
	struct map_islet islets[MAP_ISLETS_MAX];
	int nislets;
	int bad;		      /* segments shared by more than two rings */
	int shared;		      /* segments shared by two provinces */
	char *fill[2][MAP_UNITS_MAX]; /* SVG path data of each unit: [0] old, [1] new */
	char *borders[2];	      /* SVG path data of the borders to draw */
};

/* The geometry, built on first use (thread-safe); never NULL: the data is
 * compiled in, and a broken copy aborts at start (the tests catch it). */
const struct map_geo *map_geo(void);

/* Receives a path: move to, line to, close. */
struct map_pen {
	void (*move)(void *ctx, int x, int y);
	void (*line)(void *ctx, int x, int y);
	void (*close)(void *ctx);
	void *ctx;
};

/* The outline of unit u (old index, or new with old_units 0): its rings,
 * members alike, in one path. */
void map_geo_fill(const struct map_geo *g, int old_units, int u, const struct map_pen *p);

/* Every border to draw once: the coast, and the segments between two units
 * (not those inside one new province). */
void map_geo_borders(const struct map_geo *g, int old_units, const struct map_pen *p);

#endif
