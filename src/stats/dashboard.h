/* dashboard.h - the headline figures, charts and target progress of one
 * scope (the nation or a province) and period. */
#ifndef KC_DASHBOARD_H
#define KC_DASHBOARD_H

#include "model/actor.h"
#include "stats/period.h"
#include "store/store.h"

#include <jansson.h>

struct dashboard_query {
	const char *province;	     /* today's province code, or NULL for the nation */
	int from, to;		     /* years; 0 = open */
	int old_units;		     /* breakdowns by the units of the time */
	int illustrative;	     /* also count illustrative (demo) records */
	const char *today;	     /* ISO date for target progress */
	const struct period *period; /* NULL: calendar years from..to; else this period */
	const char *content_type;    /* only records and figures of this content type, or NULL */
	const char *funding;	     /* only records of this funding source, or NULL */
	const char *link_query;	     /* the period's parameters for links ("period=half_year&
					half=1&from=2024"), or NULL for from/to */
	const char *lang;	     /* "en": names and chart titles in English; else Vietnamese */
};

/* Builds {"headline": [{indicator, name, text, source, period (what the number
 * covers: the period asked for, and the periods of the reported figures in it:
 * "năm báo cáo 2026 (…)", "2014–2020"), link (the statistics page), records and
 * figures (the lists behind the number, or null)}], "charts":
 * [chart...] (io/doc.h chart model, each with "link"), "targets": [...],
 * "filters": {period, content_type, funding, units}} into *out (caller
 * json_decref's). Indicators without any value, or to which a filter does not
 * apply, are left out; every link carries the filters. */
int dashboard_build(struct store *st, const struct actor *a, const struct dashboard_query *q,
		    json_t **out, struct err *e);

/* A pivot of one indicator: rows by province (or year), columns by year (or
 * province or a field of its records): {"rows":[label...], "columns":[label...],
 * "cells":[[{text, link}...]...]}. */
int dashboard_pivot(struct store *st, const struct actor *a, const struct dashboard_query *q,
		    const char *indicator, const char *rows, const char *cols, json_t **out,
		    struct err *e);

#endif
