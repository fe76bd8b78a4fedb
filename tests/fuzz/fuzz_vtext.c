/* fuzz_vtext.c - Vietnamese numbers, money, percentages, dates, periods and
 * the text normalisation every stored string passes (core/vtext.c). A parsed
 * value is formatted again, so the formatters see every value the parsers
 * let through. Input: the first byte picks the scale, the rest is the text. */
#include "fuzz.h"

#include "core/vtext.h"

#include <stdlib.h>

static void format_all(const struct vnum *v, int scale)
{
	struct buf b = BUF_INIT;
	vtext_fmt_int(&b, v->value);
	vtext_fmt_decimal(&b, v->value_hi, scale, 2);
	vtext_fmt_money(&b, v->value);
	vtext_fmt_usd(&b, v->value_hi);
	vtext_fmt_percent(&b, v->value);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	int scale = data[0] % 7;
	char *s = fuzz_cstr(data + 1, size - 1);
	struct err e;
	struct vnum v;
	const char *cur = NULL;
	char iso[11];
	int from, to;
	if (vtext_parse_number(s, scale, &v, "f", &e) == 0)
		format_all(&v, scale);
	if (vtext_parse_money(s, &v, &cur, "f", &e) == 0)
		format_all(&v, 0);
	if (vtext_parse_percent(s, &v, "f", &e) == 0)
		format_all(&v, 1);
	if (vtext_parse_date(s, iso, "f", &e) == 0) {
		struct buf b = BUF_INIT;
		vtext_fmt_date(&b, iso);
		buf_free(&b);
	}
	vtext_parse_period(s, &from, &to, "f", &e);
	free(vtext_normalize(s, "f", &e));
	free(vtext_fold(s));
	free(vtext_tone_canonical(s));
	vtext_matches(s, s + (size - 1) / 2);
	vtext_qual_parse(s);
	free(s);
	return 0;
}
