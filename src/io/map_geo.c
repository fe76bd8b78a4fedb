/* map_geo.c - reads the provinces of data/maps (compiled in) once, projects
 * them onto the map's square and finds the borders two provinces share, so
 * a new province is drawn as its old ones filled alike without the borders
 * between them (data/maps/README.md). */
#include "io/map_geo.h"

#include "core/embed.h"
#include "core/mem.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Equirectangular, with longitudes shortened by cos(16°) (the country's
 * middle latitude): Vietnam spans 15° of latitude, where this is within a
 * few per cent of a conic projection, and keeps north up. */
#define LON0 102.1
#define LAT0 23.4
#define SCALE 64.0 /* map units per degree of latitude */

static double proj_x(double lon)
{
	return 110 + (lon - LON0) * SCALE * cos(16 * M_PI / 180);
}

static double proj_y(double lat)
{
	return 20 + (LAT0 - lat) * SCALE;
}

static struct map_geo geo;
static pthread_once_t geo_once = PTHREAD_ONCE_INIT;

static _Noreturn void broken(const char *what)
{
	fprintf(stderr, "khuyencong: data/maps is broken: %s\n", what);
	abort();
}

/* The field at col (0-based) of a CSV line without quotes into out. */
static void csv_col(const char *line, int col, char *out, size_t n)
{
	for (; col > 0 && line; col--)
		line = strchr(line, ',') ? strchr(line, ',') + 1 : NULL;
	size_t len = line ? strcspn(line, ",\r\n") : 0;
	snprintf(out, n, "%.*s", (int)len, line ? line : "");
}

/* Calls fn on each data line of an embedded unit list. */
static void each_line(const char *file, void (*fn)(const char *line))
{
	const struct embedded_file *f = embed_find(units_files, file);
	if (!f)
		broken(file);
	const char *p = strchr((const char *)f->data, '\n');
	for (; p && p[1]; p = strchr(p + 1, '\n'))
		fn(p + 1);
}

static void new_unit(const char *line)
{
	if (geo.nnew == MAP_UNITS_MAX)
		broken("too many provinces");
	struct map_unit *u = &geo.nu[geo.nnew++];
	csv_col(line, 0, u->code, sizeof u->code);
	csv_col(line, 1, u->name, sizeof u->name);
}

static void merger(const char *line)
{
	char old[4], nu[4];
	csv_col(line, 0, old, sizeof old);
	csv_col(line, 2, nu, sizeof nu);
	for (int i = 0; i < geo.nold; i++)
		if (!strcmp(geo.old[i].code, old))
			for (int j = 0; j < geo.nnew; j++)
				if (!strcmp(geo.nu[j].code, nu))
					geo.old[i].succ = j;
}

/* A ring of unit u from its GeoJSON positions; islets of Hoàng Sa (east
 * of 110°E in Đà Nẵng) and Trường Sa (east of 113°E in Khánh Hòa) are also
 * kept as points. raw receives the positions in 1/10000 degree. */
static void add_ring(json_t *pos, int u, int **raw)
{
	struct map_ring *r = &geo.rings[geo.nrings++];
	r->n = (int)json_array_size(pos);
	r->unit = u;
	r->q = xmalloc(2 * sizeof(int) * (size_t)r->n);
	r->other = xmalloc(sizeof(int) * (size_t)r->n);
	*raw = xmalloc(2 * sizeof(int) * (size_t)r->n);
	double mx = 0, my = 0, area = 0, ax = 0, ay = 0;
	for (int i = 0; i < r->n; i++) {
		json_t *p = json_array_get(pos, (size_t)i);
		double lon = json_number_value(json_array_get(p, 0));
		double lat = json_number_value(json_array_get(p, 1));
		(*raw)[2 * i] = (int)lround(lon * 10000);
		(*raw)[2 * i + 1] = (int)lround(lat * 10000);
		double x = proj_x(lon), y = proj_y(lat);
		r->q[2 * i] = (int)lround(x);
		r->q[2 * i + 1] = (int)lround(y);
		r->other[i] = -1;
		mx += x / r->n;
		my += y / r->n;
		if (i) { /* shoelace: area and centroid */
			double x0 = proj_x(json_number_value(
				json_array_get(json_array_get(pos, (size_t)i - 1), 0)));
			double y0 = proj_y(json_number_value(
				json_array_get(json_array_get(pos, (size_t)i - 1), 1)));
			double c = x0 * y - x * y0;
			area += c / 2;
			ax += (x0 + x) * c;
			ay += (y0 + y) * c;
		}
	}
	struct map_unit *mu = &geo.old[u];
	if (fabs(area) > mu->area && area != 0) {
		mu->area = fabs(area);
		mu->cx = ax / (6 * area);
		mu->cy = ay / (6 * area);
	}
	int group = !strcmp(mu->code, "48") && mx > proj_x(110)	  ? 0
		    : !strcmp(mu->code, "56") && mx > proj_x(113) ? 1
								  : -1;
	if (group >= 0 && geo.nislets < MAP_ISLETS_MAX)
		geo.islets[geo.nislets++] = (struct map_islet){mx, my, group, u};
}

struct seg {
	int64_t a, b; /* the two ends in 1/10000 degree, smaller first */
	int ring, idx;
};

static int seg_cmp(const void *pa, const void *pb)
{
	const struct seg *x = pa, *y = pb;
	return x->a != y->a ? (x->a < y->a ? -1 : 1) : x->b != y->b ? (x->b < y->b ? -1 : 1) : 0;
}

/* Marks each segment two rings share with the other's unit; the exact
 * 4-decimal positions decide, before rounding to map units. */
static void find_shared(int **raw, int npts)
{
	struct seg *s = xmalloc(sizeof *s * (size_t)npts);
	int n = 0;
	for (int r = 0; r < geo.nrings; r++)
		for (int i = 0; i + 1 < geo.rings[r].n; i++) {
			int64_t p = (int64_t)raw[r][2 * i] * 10000000 + raw[r][2 * i + 1];
			int64_t q = (int64_t)raw[r][2 * i + 2] * 10000000 + raw[r][2 * i + 3];
			s[n++] = (struct seg){p < q ? p : q, p < q ? q : p, r, i};
		}
	qsort(s, (size_t)n, sizeof *s, seg_cmp);
	for (int i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && !seg_cmp(&s[i], &s[j]); j++)
			;
		if (j - i > 2)
			geo.bad++;
		if (j - i != 2)
			continue;
		struct map_ring *x = &geo.rings[s[i].ring], *y = &geo.rings[s[i + 1].ring];
		x->other[s[i].idx] = y->unit;
		y->other[s[i + 1].idx] = x->unit;
		geo.shared += x->unit != y->unit;
	}
	free(s);
}

static int multi_polygon(json_t *g)
{
	const char *type = json_string_value(json_object_get(g, "type"));
	if (!type || (strcmp(type, "Polygon") && strcmp(type, "MultiPolygon")))
		broken("a geometry is neither a Polygon nor a MultiPolygon");
	return !strcmp(type, "MultiPolygon");
}

static int ring_count(json_t *g)
{
	json_t *coords = json_object_get(g, "coordinates"), *poly;
	if (!multi_polygon(g))
		return (int)json_array_size(coords);
	int n = 0;
	size_t k;
	json_array_foreach(coords, k, poly) n += (int)json_array_size(poly);
	return n;
}

static void read_features(void)
{
	const struct embedded_file *f = embed_find(maps_files, "provinces_2025-03-01.geojson");
	json_error_t je;
	json_t *fc = f ? json_loadb((const char *)f->data, f->size, 0, &je) : NULL;
	json_t *feats = json_object_get(fc, "features");
	if (!json_array_size(feats) || json_array_size(feats) > MAP_UNITS_MAX)
		broken("no features");
	int cap = 0, npts = 0;
	size_t i;
	json_t *ft;
	json_array_foreach(feats, i, ft) cap += ring_count(json_object_get(ft, "geometry"));
	geo.rings = xcalloc((size_t)cap, sizeof *geo.rings);
	int **raw = xcalloc((size_t)cap, sizeof *raw);
	json_array_foreach(feats, i, ft)
	{
		json_t *props = json_object_get(ft, "properties"),
		       *g = json_object_get(ft, "geometry");
		struct map_unit *u = &geo.old[geo.nold];
		snprintf(u->code, sizeof u->code, "%s",
			 json_string_value(json_object_get(props, "code")));
		snprintf(u->name, sizeof u->name, "%s",
			 json_string_value(json_object_get(props, "name")));
		u->succ = -1;
		int multi = multi_polygon(g);
		json_t *coords = json_object_get(g, "coordinates"), *poly, *ring;
		size_t k, m;
		json_array_foreach(coords, k, poly)
		{
			json_t *rings = multi ? poly : coords;
			json_array_foreach(rings, m, ring)
			{
				if (geo.nrings == cap)
					broken("too many rings");
				add_ring(ring, geo.nold, &raw[geo.nrings]);
				npts += geo.rings[geo.nrings - 1].n;
			}
			if (!multi)
				break; /* a Polygon's rings were all read above */
		}
		geo.nold++;
	}
	find_shared(raw, npts);
	for (int r = 0; r < geo.nrings; r++)
		free(raw[r]);
	free(raw);
	json_decref(fc);
}

/* ---- paths ---- */

/* Emits a ring's rounded points, dropping repeats; rings that round to
 * fewer than three points (islets) are left to the islet markers. */
static void ring_path(const struct map_ring *r, const struct map_pen *p)
{
	int distinct = 0, lx = INT32_MIN, ly = INT32_MIN;
	for (int i = 0; i < r->n; i++)
		if (r->q[2 * i] != lx || r->q[2 * i + 1] != ly) {
			distinct++;
			lx = r->q[2 * i];
			ly = r->q[2 * i + 1];
		}
	if (distinct < 4)
		return;
	lx = r->q[0];
	ly = r->q[1];
	p->move(p->ctx, lx, ly);
	for (int i = 1; i + 1 < r->n; i++)
		if (r->q[2 * i] != lx || r->q[2 * i + 1] != ly) {
			lx = r->q[2 * i];
			ly = r->q[2 * i + 1];
			p->line(p->ctx, lx, ly);
		}
	p->close(p->ctx);
}

void map_geo_fill(const struct map_geo *g, int old_units, int u, const struct map_pen *p)
{
	for (int r = 0; r < g->nrings; r++) {
		int unit = g->rings[r].unit;
		if (old_units ? unit == u : g->old[unit].succ == u)
			ring_path(&g->rings[r], p);
	}
}

static int draw_segment(const struct map_geo *g, int old_units, int unit, int other)
{
	if (other < 0)
		return 1; /* coast or land border */
	if (!old_units && g->old[unit].succ == g->old[other].succ)
		return 0;    /* inside one new province */
	return unit < other; /* shared: drawn once, from the smaller side */
}

void map_geo_borders(const struct map_geo *g, int old_units, const struct map_pen *p)
{
	for (int r = 0; r < g->nrings; r++) {
		const struct map_ring *ring = &g->rings[r];
		int open = 0;
		for (int i = 0; i + 1 < ring->n; i++) {
			const int *a = &ring->q[2 * i], *b = a + 2;
			if (!draw_segment(g, old_units, ring->unit, ring->other[i])) {
				open = 0;
				continue;
			}
			if (a[0] == b[0] && a[1] == b[1])
				continue;
			if (!open)
				p->move(p->ctx, a[0], a[1]);
			p->line(p->ctx, b[0], b[1]);
			open = 1;
		}
	}
}

/* SVG path data, relative after the first point of each subpath. */
struct svg_pen {
	struct buf b;
	int x, y, in_line;
};

static void svg_move(void *ctx, int x, int y)
{
	struct svg_pen *s = ctx;
	buf_printf(&s->b, "M%d %d", x, y);
	s->x = x;
	s->y = y;
	s->in_line = 0;
}

static void svg_line(void *ctx, int x, int y)
{
	struct svg_pen *s = ctx;
	buf_printf(&s->b, s->in_line ? " %d %d" : "l%d %d", x - s->x, y - s->y);
	s->x = x;
	s->y = y;
	s->in_line = 1;
}

static void svg_close(void *ctx)
{
	buf_puts(&((struct svg_pen *)ctx)->b, "z");
}

static char *svg_path(int old_units, int u, int borders)
{
	struct svg_pen s = {.b = BUF_INIT};
	struct map_pen p = {svg_move, svg_line, svg_close, &s};
	if (borders)
		map_geo_borders(&geo, old_units, &p);
	else
		map_geo_fill(&geo, old_units, u, &p);
	buf_cstr(&s.b);
	return buf_detach(&s.b);
}

static void build(void)
{
	read_features();
	each_line("2025-07-01_provinces.csv", new_unit);
	each_line("merger_2025-07-01_provinces.csv", merger);
	for (int i = 0; i < geo.nold; i++) {
		if (geo.old[i].succ < 0)
			broken(geo.old[i].code);
		struct map_unit *n = &geo.nu[geo.old[i].succ];
		if (geo.old[i].area > n->area) { /* text goes in the largest member */
			n->area = geo.old[i].area;
			n->cx = geo.old[i].cx;
			n->cy = geo.old[i].cy;
		}
	}
	for (int m = 0; m < 2; m++) {
		for (int u = 0; u < (m ? geo.nnew : geo.nold); u++)
			geo.fill[m][u] = svg_path(!m, u, 0);
		geo.borders[m] = svg_path(!m, 0, 1);
	}
}

const struct map_geo *map_geo(void)
{
	pthread_once(&geo_once, build);
	return &geo;
}

int map_old_count(void)
{
	return map_geo()->nold;
}

const char *map_old_code(int i)
{
	return i >= 0 && i < map_geo()->nold ? geo.old[i].code : NULL;
}

const char *map_old_name(int i)
{
	return i >= 0 && i < map_geo()->nold ? geo.old[i].name : NULL;
}

const char *map_old_successor(int i)
{
	return i >= 0 && i < map_geo()->nold ? geo.nu[geo.old[i].succ].code : NULL;
}

int map_bad_segments(void)
{
	return map_geo()->bad;
}
