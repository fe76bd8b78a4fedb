/* stats_place.h - where a reported figure was reported, for the statistics
 * engine: the figure's own place (its unit, or the nation), as distinct from
 * the province of today it rolls up into. */
#ifndef KC_STATS_PLACE_H
#define KC_STATS_PLACE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Room for "<pkey>|<own place>" (add_reported's overlap key). */
#define FIG_PLACE_MAX 48

/* SQL over figures t: the figure's own place ("123" the unit id, "VN" the
 * nation). Figures of one own place whose periods overlap are not added
 * twice; figures of two places (two old provinces now one, two districts)
 * always add. Constant text. */
const char *fig_own_place_expr(void);

/* SQL over figures t: the place key a figure counts under - "place:VN" for
 * the nation, else as records ("new:37", with old_units "old:36"). */
const char *fig_pkey_expr(int old_units);

/* 1 when pkey is the nation's ("place:VN"). */
int fig_pkey_is_nation(const char *pkey);

/* The statistics' word on old units (new reference): of the records counted,
 * nprov have no old province (their place of today was formed from several
 * old provinces; they count under today's) and ncomm an old province but no
 * old commune (today's commune was formed from several old ones).
 * {"province_unknown", "commune_unknown", "note"}; the note is "" when both
 * are 0. */
json_t *stats_old_cover(int64_t nprov, int64_t ncomm);

#endif
