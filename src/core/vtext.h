/* vtext.h - Vietnamese text: normalisation, search keys, numbers, money, dates.
 * Every string the system stores passes through vtext_normalize() first. */
#ifndef KC_VTEXT_H
#define KC_VTEXT_H

#include "core/buf.h"
#include "core/err.h"

#include <stdint.h>

/* NFC-normalises UTF-8 text s and mends look-alikes: U+00D0 (Ð) -> U+0110 (Đ),
 * U+00F0 (ð) -> U+0111 (đ); no-break and other Unicode spaces -> ' '; strips
 * control characters except \n and \t; trims leading/trailing whitespace.
 * Also drops U+200B and U+FEFF and turns U+2028/U+2029 into '\n'; inner runs
 * of spaces are kept. NULL reads as "". Returns a malloc'd string (caller
 * frees) or NULL with e filled (ERR_INVALID) when s is not valid UTF-8 (field
 * names the input). */
char *vtext_normalize(const char *s, const char *field, struct err *e);

/* True when s holds a look-alike letter that vtext_normalize() mends
 * (U+00D0 Ð, U+00F0 ð), so the caller can say what was changed. */
int vtext_has_lookalike(const char *s);

/* The search key of s: NFC, lower case, marks stripped, đ/Đ -> d, runs of
 * non-alphanumerics -> one space, trimmed. "Khuyến Công" -> "khuyen cong";
 * "Hòa" and "Hoà" -> "hoa". Returns a malloc'd string; invalid UTF-8 gives "". */
char *vtext_fold(const char *s);

/* s in capitals, marks kept ("Tỉnh Hưng Yên" -> "TỈNH HƯNG YÊN"), NFC; the
 * names of bodies in an administrative document's header are written so.
 * Returns a malloc'd string; invalid UTF-8 gives "". */
char *vtext_upper(const char *s);

/* True when s is one or more ASCII digits ("01", "0101234567"); NULL and ""
 * are not. */
int vtext_is_digits(const char *s);

/* True when every word of the folded query occurs as a word prefix in the
 * folded text (the search both backends implement the same way). An empty
 * query matches everything. */
int vtext_matches(const char *text, const char *query);

/* Canonical tone-mark placement ("Hoà" -> "Hòa", "Thuỷ" -> "Thủy", the old
 * style used by the 2025 lists) so names spelled either way compare equal.
 * Only syllables with one tone mark and a Vietnamese shape are touched
 * ("Hoàng", "Quý", "café" stay). Returns malloc'd NFC text; invalid UTF-8
 * gives "". */
char *vtext_tone_canonical(const char *s);

/* The key of an exact name comparison: NFC, case folded, tone marks in
 * their canonical place (vtext_tone_canonical), marks and đ kept - so
 * "Đông Thành" and "đông thành" compare equal but "Đông Thạnh" does not.
 * Returns a malloc'd string; invalid UTF-8 gives "". */
char *vtext_exact_key(const char *s);

/* Qualifier of a reported figure. "Nearly" (gần) is its own word: a value
 * just under the figure, which adds up like "about". */
enum vqual { VQ_EXACT = 0, VQ_AT_LEAST, VQ_ABOUT, VQ_AT_MOST, VQ_RANGE, VQ_NEARLY, VQ_COUNT };

/* The stored code of a qualifier ("exact", "at_least", "about", "at_most",
 * "range", "nearly"), and back: vtext_qual_parse gives VQ_EXACT for NULL and
 * -1 for an unknown code. */
const char *vtext_qual_code(enum vqual q);
int vtext_qual_parse(const char *code);

/* A number parsed from Vietnamese text, scaled to an integer.
 * value is in units of 10^-scale: "24,7" with scale 1 is 247. */
struct vnum {
	int64_t value;
	int64_t value_hi; /* for VQ_RANGE ("5–7"), else == value */
	enum vqual qual;  /* from "trên", "hơn", "gần", "khoảng", "tối đa", "dưới" ... */
};

/* Parses a Vietnamese decimal number: dot groups thousands, comma is the
 * decimal mark ("9.590" = 9590; "24,7"; "4.100"; "1.250"; "0,5"). An optional
 * qualifier word may precede it. Returns the value in units of 10^-scale
 * (scale 0..6); more decimals than scale, or ambiguous forms ("9.59" - a dot
 * not followed by exactly three digits; "1,234,567"; "1.2.3"), are refused
 * with e filled. field names the input for the message.
 * Also accepted: a space as thousands separator ("1 000"), a leading minus,
 * the multiplier words nghìn/ngàn, triệu, tỷ/tỉ ("45 nghìn" = 45000), and a
 * range "5–7", "5 - 7", "5 đến 7" (VQ_RANGE; refused when the end is smaller).
 * Nothing may follow the number ("12a", "9.590 người" are refused).
 * Qualifiers, matched without diacritics: trên, hơn, ít nhất, tối thiểu, từ ->
 * VQ_AT_LEAST; khoảng, xấp xỉ, chừng, ước tính -> VQ_ABOUT; gần -> VQ_NEARLY; dưới, tối đa,
 * không quá, ít hơn -> VQ_AT_MOST. Unknown words before the number are
 * refused. out is zeroed on failure. */
int vtext_parse_number(const char *s, int scale, struct vnum *out, const char *field,
                       struct err *e);

/* Parses money into integer đồng: "24,7 tỷ đồng" -> 24 700 000 000,
 * "821,5 triệu đồng" -> 821 500 000, "4.100 tỷ" , "5.000.000 đ", "5000000",
 * "300 triệu", "nghìn"/"ngàn". A fraction of a đồng is refused. Qualifiers
 * ("trên 5,8 tỷ đồng") go to out->qual. USD: "20 triệu USD" -> value in cents
 * with *currency set to "USD" (else "VND"); currency may be NULL.
 * Currency words: đồng, đ, VND/VNĐ; USD, đô la (Mỹ), đô. Ranges as in
 * vtext_parse_number ("5 - 7 triệu đồng"). Compound amounts ("1 tỷ 200
 * triệu") are refused with a message asking for "1,2 tỷ đồng". */
int vtext_parse_money(const char *s, struct vnum *out, const char **currency,
                      const char *field, struct err *e);

/* Parses a percentage: "71,7%" -> 717 (tenths of a percent, scale 1), also
 * "trên 80%" (qual at least). Values over 100% are allowed (growth rates).
 * Ranges "5–7%", "5% - 8%". The % sign may be left out ("80" = 80%); more
 * than one decimal ("71,75%") is refused. */
int vtext_parse_percent(const char *s, struct vnum *out, const char *field, struct err *e);

/* vtext_parse_percent with `scale` (1..6) decimals of a percent: "37,85%" at
 * scale 2 is 3785. More decimals than scale are refused, naming the limit. */
int vtext_parse_percent_at(const char *s, int scale, struct vnum *out, const char *field,
			   struct err *e);

/* Parses a date "dd/mm/yyyy" (also d/m/yyyy and ISO yyyy-mm-dd); checks the
 * calendar (29/02 only in leap years) and that the year is in 1900..2100.
 * Writes ISO "yyyy-mm-dd" into iso[11] ("" on failure). Other forms
 * ("2016/05/17", "17-05-16") are refused. */
int vtext_parse_date(const char *s, char iso[11], const char *field, struct err *e);

/* Parses a period: "2016 – 2020", "2016-2020", "giai đoạn 2021-2025", "2015"
 * (any dash: - – —), also "năm 2015", "từ năm 2016 đến năm 2020", "(2021-2025)".
 * Years must have four digits within 1900..2100. Refuses end < start. */
int vtext_parse_period(const char *s, int *from_year, int *to_year, const char *field,
                       struct err *e);

/* Formatting, appended to b:
 * vtext_fmt_int: 9590 -> "9.590", -1250 -> "-1.250".
 * vtext_fmt_decimal: value in units of 10^-scale, printed with at most
 *   `decimals` decimals (rounded half away from zero), trailing zeros
 *   dropped: (247,1,1) -> "24,7"; (2475,2,1) -> "24,8".
 * vtext_fmt_money: đồng -> the Vietnamese reading scale, exactly: 24 700 000 000
 *   -> "24,7 tỷ đồng"; 2 035 000 000 -> "2,035 tỷ đồng"; 821 500 000 ->
 *   "821,5 triệu đồng"; 4 100 000 000 000 -> "4.100 tỷ đồng"; 1 234 567 000 ->
 *   "1.234,567 triệu đồng"; an amount that needs more than three decimals of
 *   a million is written in full: 999 999 999 -> "999.999.999 đồng"; below a
 *   million -> "500.000 đồng". Nothing is rounded: the text parses back to
 *   the same amount.
 * vtext_fmt_usd: US cents the same way, exactly: 2 000 000 000 -> "20 triệu
 *   USD"; 1 234 500 000 -> "12,345 triệu USD"; 1 234 567 800 -> "12.345.678
 *   USD"; 5 500 000 -> "55.000 USD"; 1 234 -> "12,34 USD".
 * vtext_fmt_percent: tenths of a percent -> "71,7%".
 * vtext_fmt_date: ISO "2016-05-17" -> "17/05/2016"; anything else is
 *   appended unchanged (NULL appends nothing).
 * vtext_fmt_qual: the Vietnamese word for a qualifier ("trên ", "khoảng ",
 *   "gần ", "tối đa ", ""), to put before a number. */
void vtext_fmt_int(struct buf *b, int64_t v);
void vtext_fmt_decimal(struct buf *b, int64_t v, int scale, int decimals);
void vtext_fmt_money(struct buf *b, int64_t dong);
void vtext_fmt_usd(struct buf *b, int64_t cents);
void vtext_fmt_percent(struct buf *b, int64_t tenths);
void vtext_fmt_date(struct buf *b, const char *iso);
const char *vtext_fmt_qual(enum vqual q);

#endif
