/* record_csv.c - the one CSV writer of records (record_csv.h). */
#include "io/record_csv.h"

#include "core/vtext.h"
#include "io/list_place.h"
#include "io/record_view.h"
#include "model/unit.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- canonical values ------------------------------------------------ */

/* A decimal with exactly `scale` decimals ("80,0"), so that import reads
 * the same scale back. */
static void decimal(struct buf *b, int64_t v, int scale)
{
	if (v < 0) {
		buf_putc(b, '-');
		v = -v;
	}
	int64_t p = 1;
	for (int i = 0; i < scale; i++)
		p *= 10;
	buf_printf(b, "%lld", (long long)(v / p));
	if (scale > 0)
		buf_printf(b, ",%0*lld", scale, (long long)(v % p));
}

/* Does decimal() print v with a trailing zero decimal ("80,0")? Such text
 * would read back with a smaller scale. */
static int trailing_zero(int64_t v, int scale)
{
	return scale > 0 && v % 10 == 0;
}

static void qty(struct buf *b, json_t *v)
{
	int64_t lo = json_integer_value(json_object_get(v, "value"));
	int64_t hi = json_integer_value(json_object_get(v, "value_hi"));
	int scale = (int)json_integer_value(json_object_get(v, "scale"));
	const char *q = json_string_value(json_object_get(v, "qualifier"));
	int known = vtext_qual_parse(q);
	enum vqual vq = known < 0 ? VQ_EXACT : (enum vqual)known;
	if (trailing_zero(lo, scale) || (vq == VQ_RANGE && trailing_zero(hi, scale))) {
		/* The exact object, which import reads as is. */
		char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		buf_puts(b, s ? s : "");
		free(s);
		return;
	}
	if (vq != VQ_RANGE)
		buf_puts(b, vtext_fmt_qual(vq));
	decimal(b, lo, scale);
	if (vq == VQ_RANGE) {
		buf_puts(b, "–");
		decimal(b, hi, scale);
	}
}

void record_canonical(struct buf *b, struct store *st, const struct field *f, json_t *rec)
{
	json_t *v = json_object_get(rec, f->name);
	if (!v || json_is_null(v))
		return;
	struct unit u;
	switch (f->type) {
	case F_BOOL:
		buf_puts(b, json_is_true(v) ? "1" : "0");
		break;
	case F_PERCENT:
		vtext_fmt_percent(b, json_integer_value(v));
		break;
	case F_QTY:
		qty(b, v);
		break;
	case F_UNIT:
		/* A code alone is ambiguous between the units before and after 2025. */
		if (unit_get(st, json_integer_value(v), &u, NULL) == 0)
			buf_printf(b, "%s:%s", u.era, u.code);
		else
			buf_printf(b, "#%lld", (long long)json_integer_value(v));
		break;
	default:
		view_plain(b, f, v);
	}
}

/* ---- values as read -------------------------------------------------- */

/* One field: counts, amounts and years as plain digits (a spreadsheet reads
 * them as numbers), an amount followed by its reading ("600 triệu đồng"),
 * the rest as on screen. */
static void display_value(struct buf *b, const struct field *f, json_t *rec, const char *lang)
{
	json_t *v = json_object_get(rec, f->name);
	int num = f->type == F_INT || f->type == F_MONEY || f->type == F_YEAR;
	if (num && json_is_integer(v))
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	if (num && json_is_integer(v) && f->type != F_MONEY)
		return;
	if (f->type == F_MONEY)
		buf_putc(b, ',');
	struct buf t = BUF_INIT;
	view_text(&t, f, rec, lang);
	buf_csv_field(b, buf_cstr(&t));
	buf_free(&t);
}

/* ---- rows ------------------------------------------------------------ */

void record_csv_header(const struct record_csv *c, struct buf *out)
{
	int display = c->form == CSV_DISPLAY;
	buf_puts(out, "\xEF\xBB\xBF");
	buf_csv_field(out, "id");
	for (const struct field *f = c->ent->fields; f->name; f++) {
		buf_putc(out, ',');
		buf_csv_field(out, display ? field_label(f, c->lang) : f->name);
		if (display && f->type == F_MONEY) {
			buf_putc(out, ',');
			buf_csv_field(out, list_display_header(f, c->lang));
		}
	}
	for (int i = 0; display && i < list_place_cols(c->ent); i++) {
		buf_putc(out, ',');
		buf_csv_field(out, list_place_header(i, c->lang));
	}
	buf_puts(out, "\r\n");
}

void record_csv_row(const struct record_csv *c, json_t *rec, struct buf *out)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(rec, "id")));
	if (c->form == CSV_DISPLAY)
		buf_csv_field(out, id);
	else
		buf_puts(out, id);
	struct buf v = BUF_INIT;
	for (const struct field *f = c->ent->fields; f->name; f++) {
		buf_putc(out, ',');
		if (c->form == CSV_DISPLAY) {
			display_value(out, f, rec, c->lang);
			continue;
		}
		buf_reset(&v);
		record_canonical(&v, c->st, f, rec);
		if (field_is_number(f))
			buf_csv_number(out, buf_cstr(&v));
		else
			buf_csv_field(out, buf_cstr(&v));
	}
	buf_free(&v);
	json_t *place = json_object_get(rec, "export_place");
	for (int k = 0; c->form == CSV_DISPLAY && k < list_place_cols(c->ent); k++) {
		buf_putc(out, ',');
		buf_csv_field(out, json_string_value(json_array_get(place, (size_t)k)));
	}
	buf_puts(out, "\r\n");
}
