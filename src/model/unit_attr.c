/* unit_attr.c - old-unit attribution of records (unit_attr.h). */
#include "model/unit_attr.h"

#include "model/unit.h"

#include <stdio.h>
#include <string.h>

/* Where all the old communes agree on a level, that level is known. */
static void agree(char *have, size_t n, const char *v, int first)
{
	if (first)
		snprintf(have, n, "%s", v ? v : "");
	else if (strcmp(have, v ? v : ""))
		have[0] = 0;
}

int unit_attr_old(struct store *st, int64_t commune_id, struct old_units *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct unit u;
	int rc = unit_get(st, commune_id, &u, e);
	if (rc < 0)
		return rc;
	if (!strcmp(u.era, "old")) {
		snprintf(out->province, sizeof out->province, "%s", u.province_code);
		snprintf(out->district, sizeof out->district, "%s", u.district_code);
		if (!strcmp(u.level, "commune"))
			snprintf(out->commune, sizeof out->commune, "%s", u.code);
		return 0;
	}
	struct stmt *s = store_prepare(st,
				       "SELECT o.province_code, o.district_code, o.code, o.full_name"
				       " FROM unit_succession x JOIN units o ON o.id = x.old_unit_id"
				       " WHERE x.new_unit_id = ? AND o.level = 'commune'"
				       " ORDER BY o.code",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", commune_id);
	int n = 0;
	char names[200] = "";
	while ((rc = stmt_step(s, e)) == 1) {
		agree(out->province, sizeof out->province, stmt_text(s, 0), n == 0);
		agree(out->district, sizeof out->district, stmt_text(s, 1), n == 0);
		agree(out->commune, sizeof out->commune, stmt_text(s, 2), n == 0);
		size_t len = strlen(names);
		if (len < sizeof names - 1)
			snprintf(names + len, sizeof names - len, "%s%s %s", n ? ", " : "",
				 stmt_text(s, 3), stmt_text(s, 2));
		n++;
	}
	stmt_done(s);
	if (rc < 0)
		return rc;
	if (n > 1)
		snprintf(out->note, sizeof out->note,
			 "%s được lập từ %d xã cũ (%s): không xác định được xã cũ / %s was formed "
			 "from %d old communes: the old commune is unknown",
			 u.full_name, n, names, u.full_name, n);
	return 0;
}

int unit_attr_before_reform(json_t *rec, const char *year_field)
{
	json_t *v = year_field ? json_object_get(rec, year_field) : NULL;
	if (json_is_integer(v))
		return json_integer_value(v) < 2025;
	if (json_is_string(v))
		return strcmp(json_string_value(v), "2025-07-01") < 0;
	return 0;
}
