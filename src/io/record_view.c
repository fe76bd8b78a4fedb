/* record_view.c - reading values the Vietnamese way. */
#include "io/record_view.h"

#include "core/vtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void qty_text(struct buf *b, json_t *v, const char *measure)
{
	int64_t val = json_integer_value(json_object_get(v, "value"));
	int64_t hi = json_integer_value(json_object_get(v, "value_hi"));
	int scale = (int)json_integer_value(json_object_get(v, "scale"));
	const char *q = json_string_value(json_object_get(v, "qualifier"));
	int known = vtext_qual_parse(q);
	enum vqual vq = known < 0 ? VQ_EXACT : (enum vqual)known;
	if (vq != VQ_RANGE)
		buf_puts(b, vtext_fmt_qual(vq));
	vtext_fmt_decimal(b, val, scale, scale);
	if (vq == VQ_RANGE) {
		buf_puts(b, "–");
		vtext_fmt_decimal(b, hi, scale, scale);
	}
	(void)measure;
}

static void bool_text(struct buf *b, json_t *v, const char *lang)
{
	int en = lang && !strcmp(lang, "en");
	buf_puts(b, json_is_true(v) ? (en ? "yes" : "có") : (en ? "no" : "không"));
}

void view_text(struct buf *b, const struct field *f, json_t *rec, const char *lang)
{
	json_t *v = json_object_get(rec, f->name);
	char key[96], label[200];
	if (!v || json_is_null(v))
		return;
	switch (f->type) {
	case F_ENUM:
		field_enum_label(f, json_string_value(v), lang, label, sizeof label);
		buf_puts(b, label);
		break;
	case F_BOOL: bool_text(b, v, lang); break;
	case F_MONEY: vtext_fmt_money(b, json_integer_value(v)); break;
	case F_PERCENT: vtext_fmt_percent(b, json_integer_value(v)); break;
	case F_INT: vtext_fmt_int(b, json_integer_value(v)); break;
	case F_YEAR: buf_printf(b, "%lld", (long long)json_integer_value(v)); break;
	case F_DATE: vtext_fmt_date(b, json_string_value(v)); break;
	case F_QTY: qty_text(b, v, NULL); break;
	case F_REF:
		snprintf(key, sizeof key, "%s_title", f->name);
		if (json_is_string(json_object_get(rec, key)))
			buf_puts(b, json_string_value(json_object_get(rec, key)));
		else
			buf_printf(b, "#%lld", (long long)json_integer_value(v));
		break;
	case F_UNIT:
		snprintf(key, sizeof key, "%s_name", f->name);
		buf_puts(b, json_string_value(json_object_get(rec, key)) ?: "");
		break;
	case F_PROVINCE:
		snprintf(key, sizeof key, "%s_name", f->name);
		if (json_is_string(json_object_get(rec, key)))
			buf_printf(b, "%s (%s)", json_string_value(json_object_get(rec, key)),
			           json_string_value(v));
		else
			buf_puts(b, json_string_value(v));
		break;
	case F_URLS:
	case F_JSON: {
		char *s = json_dumps(v, JSON_COMPACT);
		buf_puts(b, s ? s : "");
		free(s);
		break;
	}
	default: buf_puts(b, json_is_string(v) ? json_string_value(v) : "");
	}
}

/* An object of years and whole amounts ({"2021":4500000000}, revenue by
 * year) as a table read by people, years in order. */
static int year_table(struct buf *b, json_t *v)
{
	const char *k;
	json_t *x;
	if (!json_is_object(v) || !json_object_size(v))
		return 0;
	json_object_foreach(v, k, x)
	{
		if (strlen(k) != 4 || !vtext_is_digits(k) || !json_is_integer(x))
			return 0;
	}
	buf_puts(b, "<table class=\"years\"><tbody>");
	for (int y = 1900; y <= 2100; y++) {
		char key[8];
		snprintf(key, sizeof key, "%d", y);
		json_t *a = json_object_get(v, key);
		if (!a)
			continue;
		buf_printf(b, "<tr><th scope=\"row\">%h</th><td class=\"num\">", key);
		vtext_fmt_int(b, json_integer_value(a));
		buf_puts(b, "</td></tr>");
	}
	buf_puts(b, "</tbody></table>");
	return 1;
}

void view_html(struct buf *b, const struct field *f, json_t *rec, const char *lang)
{
	json_t *v = json_object_get(rec, f->name);
	if (!v || json_is_null(v))
		return;
	if (f->type == F_JSON && year_table(b, v))
		return;
	if (f->type == F_REF) {
		struct buf t = BUF_INIT;
		view_text(&t, f, rec, lang);
		buf_printf(b, "<a href=\"/%h/%lld\">%h</a>", f->ref, (long long)json_integer_value(v),
		           buf_cstr(&t));
		buf_free(&t);
		return;
	}
	if (f->type == F_URLS && json_is_array(v)) {
		size_t i;
		json_t *u;
		json_array_foreach(v, i, u) buf_printf(b, "%s<a href=\"%h\" rel=\"nofollow noopener\">%h</a>",
		                                       i ? "<br>" : "", json_string_value(u),
		                                       json_string_value(u));
		return;
	}
	struct buf t = BUF_INIT;
	view_text(&t, f, rec, lang);
	buf_html(b, buf_cstr(&t));
	buf_free(&t);
}

void view_input(struct buf *b, const struct field *f, json_t *rec)
{
	json_t *v = json_object_get(rec, f->name);
	char key[96];
	if (!v || json_is_null(v))
		return;
	switch (f->type) {
	case F_DATE: vtext_fmt_date(b, json_string_value(v)); break;
	case F_BOOL: buf_puts(b, json_is_true(v) ? "1" : "0"); break;
	case F_QTY: qty_text(b, v, NULL); break;
	case F_PERCENT: vtext_fmt_percent(b, json_integer_value(v)); break;
	case F_UNIT:
		/* "#id name": codes alone are ambiguous between old and new units. */
		snprintf(key, sizeof key, "%s_name", f->name);
		buf_printf(b, "#%lld %s", (long long)json_integer_value(v),
		           json_string_value(json_object_get(rec, key)) ?: "");
		break;
	default:
		view_plain(b, f, v);
	}
}

void view_plain(struct buf *b, const struct field *f, json_t *v)
{
	if (f->type == F_URLS) {
		size_t i;
		json_t *u;
		json_array_foreach(v, i, u) buf_printf(b, "%s%s", i ? "\n" : "", json_string_value(u));
	} else if (f->type == F_JSON) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		buf_puts(b, s ? s : "");
		free(s);
	} else if (json_is_integer(v)) {
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_string(v)) {
		buf_puts(b, json_string_value(v));
	}
}
