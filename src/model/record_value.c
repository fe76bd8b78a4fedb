/* record_value.c - converting input values to their canonical JSON form:
 * Vietnamese numbers, money, dates, units by code or name, URL lists. */
#include "model/record.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "model/place.h"
#include "model/unit.h"
#include "stats/indicator.h"
#include "stats/stats.h" /* stats_measure_factor */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_MAX = 2000, LONGTEXT_MAX = 20000, URLS_MAX = 20, URL_MAX = 500 };

static const char *label(const struct field *f)
{
	return f->vi;
}

static int bad(struct err *e, const struct field *f, const char *why)
{
	return err_set(e, ERR_INVALID, f->name, "%s: %s", label(f), why);
}

/* The plausible largest value of a field without bounds of its own, by
 * kind (docs/records.md): a count in one record (people, households, booths)
 * up to a million, money up to 10^15 đồng (a million tỷ), a percentage up to
 * 1 000%. Anything larger is a typing error, and would make sums overflow. */
static int64_t kind_max(const struct field *f)
{
	switch (f->type) {
	case F_MONEY:
		return RECORD_MONEY_MAX;
	case F_PERCENT:
		return 10000; /* tenths of a percent */
	default:
		return RECORD_COUNT_MAX;
	}
}

static int range_ok(const struct field *f, int64_t v, struct err *e)
{
	int64_t min = f->min, max = f->max;
	if (min == 0 && max == 0)
		max = kind_max(f);
	if (v < 0 && min == 0)
		return bad(e, f, "không được âm / must not be negative");
	if (v < min || v > max) {
		char why[160];
		snprintf(why, sizeof why, "phải từ %lld đến %lld / must be %lld..%lld",
			 (long long)min, (long long)max, (long long)min, (long long)max);
		return bad(e, f, why);
	}
	return 0;
}

static int to_text(const struct field *f, json_t *v, json_t **out, struct err *e)
{
	if (!json_is_string(v))
		return bad(e, f, "cần chuỗi ký tự / must be text");
	char *s = vtext_normalize(json_string_value(v), f->name, e);
	if (!s)
		return ERR_INVALID;
	size_t max = f->type == F_LONGTEXT ? LONGTEXT_MAX : TEXT_MAX;
	if (strlen(s) > max) {
		free(s);
		return err_set(e, ERR_TOOBIG, f->name, "%s: quá dài (tối đa %zu byte) / too long",
		               label(f), max);
	}
	if (f->type == F_TEXT && strchr(s, '\n')) {
		free(s);
		return bad(e, f, "chỉ một dòng / one line only");
	}
	*out = *s ? json_string(s) : NULL;
	free(s);
	return 0;
}

/* Integers from JSON numbers or Vietnamese text ("9.590"). */
static int to_int(const struct field *f, json_t *v, int64_t *out, struct err *e)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return bad(e, f, "cần số nguyên / must be an integer");
	struct vnum n;
	if (vtext_parse_number(json_string_value(v), 0, &n, f->name, e) < 0)
		return ERR_INVALID;
	if (n.qual != VQ_EXACT)
		return bad(e, f, "cần số chính xác; số ước lượng ghi ở số liệu báo cáo / an exact "
		                 "number is needed; approximate figures belong in reported figures");
	*out = n.value;
	return 0;
}

static int to_money(const struct field *f, json_t *v, int64_t *out, struct err *e)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		return bad(e, f, "cần số tiền (đồng) / must be an amount in đồng");
	struct vnum n;
	const char *cur = "VND";
	if (vtext_parse_money(json_string_value(v), &n, &cur, f->name, e) < 0)
		return ERR_INVALID;
	if (strcmp(cur, "VND"))
		return bad(e, f, "số tiền tính bằng đồng / amounts are in đồng");
	if (n.qual != VQ_EXACT)
		return bad(e, f, "cần số chính xác / an exact amount is needed");
	*out = n.value;
	return 0;
}

static int to_bool(const struct field *f, json_t *v, int64_t *out, struct err *e)
{
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
		*out = json_integer_value(v);
		return 0;
	}
	const char *s = json_string_value(v);
	char *k = s ? vtext_fold(s) : NULL;
	int rc = 0;
	if (k && (!strcmp(k, "1") || !strcmp(k, "true") || !strcmp(k, "on") || !strcmp(k, "co") ||
	          !strcmp(k, "yes")))
		*out = 1;
	else if (k && (!strcmp(k, "0") || !strcmp(k, "false") || !strcmp(k, "off") ||
	               !strcmp(k, "khong") || !strcmp(k, "no")))
		*out = 0;
	else
		rc = bad(e, f, "cần có/không / must be true or false");
	free(k);
	return rc;
}

static int enum_ok(const struct field *f, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = f->values; p && *p;) {
		const char *colon = strchr(p, ':');
		if (colon && (size_t)(colon - p) == n && !strncmp(p, code, n))
			return 1;
		p = strchr(p, '|');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

enum { ALLOWED_SHOWN = 20, ALLOWED_BYTES = 400 };

/* "not one of the allowed values", listing them (the first ALLOWED_SHOWN):
 * the Vietnamese labels a form shows in the Vietnamese half, the codes an
 * API takes in the English half (each half is shown alone on a page). */
static int not_allowed(struct err *e, const struct field *f)
{
	struct buf vi = BUF_INIT, en = BUF_INIT;
	int n = 0, shown = 0;
	for (const char *p = f->values; p && *p; n++) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (n < ALLOWED_SHOWN && vi.len < ALLOWED_BYTES && en.len < ALLOWED_BYTES) {
			char *item = xstrndup(p, len);
			char *c1 = strchr(item, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (c2)
				*c2 = 0;
			if (c1)
				*c1 = 0;
			buf_printf(&vi, "%s%s", n ? "; " : "", c1 ? c1 + 1 : item);
			buf_printf(&en, "%s%s", n ? ", " : "", item);
			free(item);
			shown++;
		}
		p = bar ? bar + 1 : NULL;
	}
	const char *more = shown < n ? "; …" : "";
	int rc = err_set(e, ERR_INVALID, f->name,
	                 "%s: giá trị không có trong danh sách; được phép: %s%s / not one of the "
	                 "allowed values: %s%s",
	                 label(f), buf_cstr(&vi), more, buf_cstr(&en), more);
	buf_free(&vi);
	buf_free(&en);
	return rc;
}

static int to_enum(const struct field *f, json_t *v, json_t **out, struct err *e)
{
	if (!json_is_string(v))
		return bad(e, f, "cần một mã trong danh sách / must be one of the listed codes");
	const char *s = json_string_value(v);
	if (!enum_ok(f, s)) {
		/* Accept a label (Vietnamese or English, with or without marks). */
		char *want = vtext_fold(s);
		for (const char *p = f->values; p && *p;) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			char *item = xstrndup(p, len);
			char *c1 = strchr(item, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (c1 && c2) {
				*c1 = *c2 = 0;
				char *vi = vtext_fold(c1 + 1), *en = vtext_fold(c2 + 1);
				int hit = !strcmp(vi, want) || !strcmp(en, want);
				free(vi);
				free(en);
				if (hit) {
					*out = json_string(item);
					free(item);
					free(want);
					return 0;
				}
			}
			free(item);
			p = bar ? bar + 1 : NULL;
		}
		free(want);
		return not_allowed(e, f);
	}
	*out = json_string(s);
	return 0;
}

static int to_urls(const struct field *f, json_t *v, json_t **out, struct err *e)
{
	json_t *list = json_array();
	json_t *src = json_is_array(v) ? json_incref(v) : NULL;
	if (!src && json_is_string(v)) {
		/* One URL per line or separated by spaces. */
		src = json_array();
		char *copy = xstrdup(json_string_value(v)), *save = NULL;
		for (char *tok = strtok_r(copy, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save))
			json_array_append_new(src, json_string(tok));
		free(copy);
	}
	if (!src) {
		json_decref(list);
		return bad(e, f, "cần danh sách địa chỉ web / must be a list of web addresses");
	}
	size_t i;
	json_t *u;
	int rc = 0;
	json_array_foreach(src, i, u) {
		const char *s = json_string_value(u);
		if (!s || (strncmp(s, "http://", 7) && strncmp(s, "https://", 8)) || strlen(s) > URL_MAX ||
		    strlen(s) < 11 || strpbrk(s, " <>\"'\\")) {
			rc = bad(e, f, "mỗi địa chỉ phải bắt đầu bằng http:// hoặc https:// / each address "
			               "must be an http(s) URL");
			break;
		}
		json_array_append(list, u);
	}
	if (rc == 0 && json_array_size(list) > URLS_MAX)
		rc = bad(e, f, "quá nhiều địa chỉ (tối đa 20) / too many addresses (20 at most)");
	json_decref(src);
	if (rc < 0 || json_array_size(list) == 0) {
		json_decref(list);
		*out = NULL;
		return rc;
	}
	*out = list;
	return 0;
}

/* A figure's place among units: a province of either era or a district
 * (districts exist before 2025-07-01 only). */
static int place_level_ok(const struct unit *u)
{
	return !strcmp(u->level, "province") || !strcmp(u->level, "district");
}

static int resolve_place(struct store *st, const struct unit_index *ix, const char *text,
			 const char *era, struct unit *u, struct err *e)
{
	const char *levels[] = {"province", "district"};
	for (int i = 0; i < 2; i++) {
		int64_t id;
		if (unit_find_one(st, ix, text, era, levels[i], &id))
			return unit_get(st, id, u, e);
	}
	if (!era && unit_resolve_in(st, ix, text, "new", u, e) < 0 &&
	    unit_resolve_in(st, ix, text, "old", u, NULL) < 0)
		return ERR_INVALID;
	if (era && unit_resolve_in(st, ix, text, era, u, e) < 0)
		return ERR_INVALID;
	if (!place_level_ok(u))
		return err_set(e, ERR_INVALID, "", "%s không phải tỉnh, huyện (trước 01/7/2025), vùng hay "
		               "toàn quốc / %s is not a province, district (before 2025-07-01), region "
		               "or the nation", u->full_name, u->full_name);
	return 0;
}

/* One unit of the wanted level: a unique match by level first, then the
 * general resolver (whose message lists the candidates). */
static int resolve_level(struct store *st, const struct unit_index *ix, const char *text,
			 const char *era, const char *level, struct unit *u, struct err *e)
{
	int64_t id;
	if (level && *level && unit_find_one(st, ix, text, era, level, &id))
		return unit_get(st, id, u, e);
	if (level && !strcmp(level, "place"))
		return resolve_place(st, ix, text, era, u, e);
	/* Without an era, today's units come first, then those before 2025. */
	if (!era && unit_resolve_in(st, ix, text, "new", u, e) < 0 &&
	    unit_resolve_in(st, ix, text, "old", u, NULL) < 0)
		return ERR_INVALID;
	if (era && unit_resolve_in(st, ix, text, era, u, e) < 0)
		return ERR_INVALID;
	if (level && *level && strcmp(u->level, level))
		return err_set(e, ERR_INVALID, "", "%s không phải cấp %s / %s is not a %s", u->full_name,
		               level, u->full_name, level);
	return 0;
}

/* A unit of the time before 2025-07-01, of any level (a record's old unit). */
static int is_old_ref(const struct field *f)
{
	return f->ref && !strcmp(f->ref, "old");
}

static int old_unit(struct store *st, const struct unit_index *ix, const struct field *f,
		    const char *text, json_t **out, struct err *e)
{
	struct unit u;
	struct err ue;
	err_clear(&ue);
	if (!strncmp(text, "old:", 4)) /* as exports write it */
		text += 4;
	if (unit_resolve_in(st, ix, text, "old", &u, &ue) < 0)
		return err_set(e, ERR_INVALID, f->name, "%s: %s", label(f), ue.message);
	*out = json_integer(u.id);
	return 0;
}

static int to_unit(struct store *st, const struct unit_index *ix, const struct field *f, json_t *v,
		   const char *era, json_t **out, struct err *e)
{
	struct unit u;
	if (json_is_integer(v)) {
		if (unit_get(st, json_integer_value(v), &u, e) < 0)
			return bad(e, f, "không có đơn vị hành chính này / no such administrative unit");
		int place = f->ref && !strcmp(f->ref, "place");
		if (is_old_ref(f) && strcmp(u.era, "old"))
			return bad(
				e, f,
				"cần đơn vị trước 01/7/2025 / a unit before 2025-07-01 is needed");
		if ((place && !place_level_ok(&u)) ||
		    (!place && !is_old_ref(f) && f->ref && *f->ref && strcmp(u.level, f->ref)))
			return bad(e, f, "sai cấp đơn vị hành chính / wrong level of administrative unit");
		*out = json_integer(u.id);
		return 0;
	}
	if (!json_is_string(v))
		return bad(e, f, "cần mã hoặc tên đơn vị hành chính / a unit code or name is needed");
	const char *t = json_string_value(v);
	if (t[0] == '#') { /* "#id name" as forms show a chosen unit */
		json_t *idv = json_integer(strtoll(t + 1, NULL, 10));
		int rc = to_unit(st, ix, f, idv, era, out, e);
		json_decref(idv);
		return rc;
	}
	/* The nation and the regions are places, not units: their code goes on
	 * as text (figure_validate keeps it in place_code). */
	char pc[PLACE_CODE_MAX];
	if (f->ref && !strcmp(f->ref, "place") && place_parse(t, pc) == 0) {
		*out = json_string(pc);
		return 0;
	}
	if (is_old_ref(f))
		return old_unit(st, ix, f, t, out, e);
	struct err ue;
	err_clear(&ue);
	if (resolve_level(st, ix, json_string_value(v), era, f->ref, &u, &ue) < 0)
		return err_set(e, ERR_INVALID, f->name, "%s: %s", label(f), ue.message);
	*out = json_integer(u.id);
	return 0;
}

static int to_province(struct store *st, const struct field *f, json_t *v, json_t **out,
                       struct err *e)
{
	const char *s = json_string_value(v);
	if (!s)
		return bad(e, f, "cần mã tỉnh 2 chữ số / a two-digit province code is needed");
	struct unit u;
	if (strlen(s) == 2 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    unit_get_by_code(st, "new", "province", s, &u, NULL) == 0) {
		*out = json_string(s);
		return 0;
	}
	struct err ue;
	if (resolve_level(st, NULL, s, "new", "province", &u, &ue) == 0) {
		*out = json_string(u.code);
		return 0;
	}
	return bad(e, f, "không có tỉnh/thành này (dùng mã hoặc tên tỉnh sau 01/7/2025) / no such "
	                 "province of today (use the code or name of a province after 2025-07-01)");
}

static int qty_from_text(const struct field *f, const char *s, json_t **out, struct err *e)
{
	struct vnum n;
	int scale = 0;
	struct err pe;
	int rc = -1;
	if (strchr(s, '%')) {
		/* "37,85%" keeps its two decimals; a text with % is a percentage
		 * and its error says why, not that the % is "extra". */
		for (scale = 1; rc < 0 && scale <= 4; scale++)
			if ((rc = vtext_parse_percent_at(s, scale, &n, f->name, &pe)) == 0)
				break;
		if (rc < 0)
			return err_set(e, ERR_INVALID, f->name, "%s: %s", label(f), pe.message);
	}
	for (scale = rc == 0 ? scale : 0; rc < 0 && scale <= 4; scale++)
		if ((rc = vtext_parse_number(s, scale, &n, f->name, &pe)) == 0)
			break;
	const char *cur = NULL;
	if (rc < 0) {
		rc = vtext_parse_money(s, &n, &cur, f->name, &pe);
		scale = 0;
	}
	if (rc < 0)
		return err_set(e, ERR_INVALID, f->name, "%s: %s", label(f), pe.message);
	*out = json_pack("{s:I,s:I,s:i,s:s}", "value", (json_int_t)n.value, "value_hi",
	                 (json_int_t)n.value_hi, "scale", scale, "qualifier", vtext_qual_code(n.qual));
	/* An amount that says its own unit ("15,75 tỷ đồng") is in đồng (USD
	 * cents); the record's validation puts it in the record's measure and
	 * drops this mark (figure_validate), never storing it. */
	if (cur)
		json_object_set_new(*out, QTY_CURRENCY, json_string(cur));
	return 0;
}

static int qual_known(const char *q)
{
	return q && vtext_qual_parse(q) >= 0;
}

static int to_qty(const struct field *f, json_t *v, json_t **out, struct err *e)
{
	if (json_is_integer(v)) {
		*out = json_pack("{s:O,s:O,s:i,s:s}", "value", v, "value_hi", v, "scale", 0,
		                 "qualifier", "exact");
		return 0;
	}
	if (json_is_string(v))
		return qty_from_text(f, json_string_value(v), out, e);
	json_t *val = json_object_get(v, "value"), *hi = json_object_get(v, "value_hi"),
	       *sc = json_object_get(v, "scale"), *q = json_object_get(v, "qualifier");
	if (!json_is_object(v) || !json_is_integer(val) || (hi && !json_is_integer(hi)) ||
	    (sc && (!json_is_integer(sc) || json_integer_value(sc) < 0 ||
	            json_integer_value(sc) > 6)) ||
	    (q && !qual_known(json_string_value(q))))
		return bad(e, f, "cần số, chuỗi như \"trên 80%\" hoặc {value, value_hi, scale, "
		                 "qualifier} / must be a number, text such as \"trên 80%\" or an object");
	*out = json_pack("{s:O,s:O,s:I,s:s}", "value", val, "value_hi", hi ? hi : val, "scale",
	                 (json_int_t)(sc ? json_integer_value(sc) : 0), "qualifier",
	                 q ? json_string_value(q) : "exact");
	return 0;
}

/* A reported quantity within ±RECORD_MONEY_MAX (its own scale). */
static int qty_range_ok(const struct field *f, json_t **out, struct err *e)
{
	int64_t lo = json_integer_value(json_object_get(*out, "value"));
	int64_t hi = json_integer_value(json_object_get(*out, "value_hi"));
	if (lo >= -RECORD_MONEY_MAX && lo <= RECORD_MONEY_MAX && hi >= -RECORD_MONEY_MAX &&
	    hi <= RECORD_MONEY_MAX)
		return 0;
	json_decref(*out);
	*out = NULL;
	return bad(e, f, "số quá lớn (tối đa 10^15) / the number is too large (at most 10^15)");
}

int record_convert_unit(struct store *st, const struct unit_index *ix, const struct field *f,
			json_t *v, const char *era, json_t **out, struct err *e)
{
	*out = NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
		return 0;
	return to_unit(st, ix, f, v, era, out, e);
}

int record_convert(struct store *st, const struct field *f, json_t *v, const char *era,
                   json_t **out, struct err *e)
{
	*out = NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
		return 0;
	int64_t n = 0;
	int rc = 0;
	char iso[11];
	switch (f->type) {
	case F_TEXT:
	case F_LONGTEXT: return to_text(f, v, out, e);
	case F_ENUM: return to_enum(f, v, out, e);
	case F_URLS: return to_urls(f, v, out, e);
	case F_UNIT:
		return to_unit(st, NULL, f, v, era, out, e);
	case F_PROVINCE: return to_province(st, f, v, out, e);
	case F_QTY:
		return to_qty(f, v, out, e) < 0 ? ERR_INVALID : qty_range_ok(f, out, e);
	case F_JSON:
		if (!json_is_object(v))
			return bad(e, f, "cần đối tượng JSON / must be a JSON object");
		*out = json_incref(v);
		return 0;
	case F_DATE:
		if (!json_is_string(v))
			return bad(e, f, "cần ngày dd/mm/yyyy / must be a date");
		if (vtext_parse_date(json_string_value(v), iso, f->name, e) < 0)
			return ERR_INVALID;
		*out = json_string(iso);
		return 0;
	case F_BOOL: rc = to_bool(f, v, &n, e); break;
	case F_MONEY: rc = to_money(f, v, &n, e); break;
	case F_PERCENT:
		if (json_is_string(v)) {
			struct vnum p;
			rc = vtext_parse_percent(json_string_value(v), &p, f->name, e);
			n = p.value;
		} else {
			rc = to_int(f, v, &n, e);
		}
		break;
	case F_INT:
	case F_REF:
	case F_YEAR: rc = to_int(f, v, &n, e); break;
	}
	if (rc < 0)
		return rc;
	if (f->type == F_YEAR && (n < 1900 || n > 2100))
		return bad(e, f, "năm phải từ 1900 đến 2100 / year must be 1900..2100");
	if ((f->type == F_INT || f->type == F_MONEY || f->type == F_PERCENT) && range_ok(f, n, e) < 0)
		return ERR_INVALID;
	*out = f->type == F_BOOL ? json_boolean(n) : json_integer(n);
	return 0;
}

void qty_in_measure(json_t *rec, struct errs *l)
{
	json_t *v = json_object_get(rec, "value");
	const char *cur = json_string_value(json_object_get(v, QTY_CURRENCY));
	if (!cur)
		return;
	cur = strcmp(cur, "USD") ? "đồng" : "USD";
	json_object_del(v, QTY_CURRENCY);
	const struct indicator *ind =
		indicator_find(json_string_value(json_object_get(rec, "indicator")));
	const char *measure = json_string_value(json_object_get(rec, "measure"));
	if (!ind || !measure)
		return; /* their own errors */
	if (strncmp(ind->measure, cur, strlen(cur))) {
		errs_set(l, ERR_INVALID, "value",
			 "Giá trị ghi số tiền (%s) nhưng chỉ tiêu %s tính bằng %s: ghi một con số"
			 " / the value is an amount (%s) but %s counts %s: write a number",
			 cur, ind->code, ind->measure, cur, ind->code, ind->measure);
		return;
	}
	int64_t factor = stats_measure_factor(ind, measure);
	int64_t lo = json_integer_value(json_object_get(v, "value"));
	int64_t hi = json_integer_value(json_object_get(v, "value_hi"));
	int64_t p10 = 1;
	for (int scale = 0; scale <= 6; scale++, p10 *= 10) {
		if (factor % p10)
			break;
		int64_t d = factor / p10;
		if (lo % d == 0 && hi % d == 0) {
			json_object_set_new(v, "value", json_integer(lo / d));
			json_object_set_new(v, "value_hi", json_integer(hi / d));
			json_object_set_new(v, "scale", json_integer(scale));
			return;
		}
	}
	errs_set(l, ERR_INVALID, "value",
		 "Số tiền không viết đúng được bằng %s: chọn đơn vị tính nhỏ hơn (đồng)"
		 " / the amount cannot be written exactly in %s: choose a smaller measure (đồng)",
		 measure, measure);
}
