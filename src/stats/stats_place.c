/* stats_place.c - the place keys of reported figures (stats_place.h). */
#include "stats/stats_place.h"

#include <string.h>

const char *fig_own_place_expr(void)
{
	return "COALESCE(CAST(t.unit_id AS TEXT), t.place_code, '')";
}

const char *fig_pkey_expr(int old_units)
{
	return old_units ? "CASE WHEN t.place_code IS NOT NULL THEN 'place:' || t.place_code"
			   " WHEN t.old_province_code IS NOT NULL THEN 'old:' || t.old_province_code"
			   " ELSE 'new:' || t.province_code END"
			 : "CASE WHEN t.place_code IS NOT NULL THEN 'place:' || t.place_code"
			   " ELSE 'new:' || t.province_code END";
}

int fig_pkey_is_nation(const char *pkey)
{
	return pkey && !strcmp(pkey, "place:VN");
}
