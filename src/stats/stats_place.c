/* stats_place.c - the place keys of reported figures (stats_place.h). */
#include "stats/stats_place.h"

#include "core/buf.h"

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

json_t *stats_old_cover(int64_t nprov, int64_t ncomm)
{
	struct buf b = BUF_INIT;
	if (nprov)
		buf_printf(
			&b,
			"%lld hồ sơ trước 01/7/2025 không xác định được tỉnh cũ (nơi hôm nay được "
			"lập từ nhiều tỉnh cũ), được tính theo tỉnh hôm nay. ",
			(long long)nprov);
	if (ncomm)
		buf_printf(&b,
			   "%lld hồ sơ biết tỉnh cũ nhưng không xác định được xã cũ (xã hôm nay "
			   "được lập "
			   "từ nhiều xã cũ). ",
			   (long long)ncomm);
	if (nprov || ncomm)
		buf_puts(&b, "Hệ thống không đoán; ghi cột Đơn vị hành chính cũ để gán. / ");
	if (nprov)
		buf_printf(
			&b,
			"%lld records before 2025-07-01 have no known old province (their place of "
			"today was formed from several), so they count under today's province. ",
			(long long)nprov);
	if (ncomm)
		buf_printf(&b,
			   "%lld records have an old province but no known old commune (today's "
			   "commune "
			   "was formed from several). ",
			   (long long)ncomm);
	if (nprov || ncomm)
		buf_puts(&b,
			 "Nothing is guessed; give the old administrative unit to attribute them.");
	json_t *o = json_pack("{s:I,s:I,s:s}", "province_unknown", (json_int_t)nprov,
			      "commune_unknown", (json_int_t)ncomm, "note", buf_cstr(&b));
	buf_free(&b);
	return o;
}
