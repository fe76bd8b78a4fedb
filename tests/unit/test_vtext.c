/* test_vtext.c - unit tests of core/vtext: normalisation, search keys, tone
 * placement, numbers, money, percentages, dates, periods and formatting.
 * Sample strings come from the seed articles; look-alike and space characters
 * are written as \u escapes so they can be seen. */
#include "testutil.h"

#include "core/vtext.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- helpers ---- */

static void assert_normalized(const char *in, const char *want)
{
	struct err e = {0};
	char *got = vtext_normalize(in, "text", &e);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void assert_folded(const char *in, const char *want)
{
	char *got = vtext_fold(in);
	assert_string_equal(got, want);
	free(got);
}

static void assert_tone(const char *in, const char *want)
{
	char *got = vtext_tone_canonical(in);
	assert_string_equal(got, want);
	free(got);
}

/* A refusal: ERR_INVALID returned and recorded, naming field, with a message. */
static void assert_refused(int rc, const struct err *e, const char *field)
{
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(e->code, ERR_INVALID);
	assert_string_equal(e->field, field);
	assert_true(strlen(e->message) > 0);
}

static void assert_number(const char *s, int scale, int64_t value, int64_t hi, enum vqual q)
{
	struct err e = {0};
	struct vnum v;
	assert_int_equal(vtext_parse_number(s, scale, &v, "so_lieu", &e), 0);
	assert_int_equal(v.value, value);
	assert_int_equal(v.value_hi, hi);
	assert_int_equal(v.qual, q);
}

static void refute_number(const char *s, int scale)
{
	struct err e = {0};
	struct vnum v;
	assert_refused(vtext_parse_number(s, scale, &v, "so_lieu", &e), &e, "so_lieu");
}

static void assert_money(const char *s, int64_t value, enum vqual q, const char *currency)
{
	struct err e = {0};
	struct vnum v;
	const char *cur = NULL;
	assert_int_equal(vtext_parse_money(s, &v, &cur, "kinh_phi", &e), 0);
	assert_int_equal(v.value, value);
	assert_int_equal(v.value_hi, value);
	assert_int_equal(v.qual, q);
	assert_string_equal(cur, currency);
}

/* Refuses s as money; returns the message for further checks. */
static void refute_money(const char *s, struct err *e)
{
	struct vnum v;
	const char *cur = NULL;
	memset(e, 0, sizeof *e);
	assert_refused(vtext_parse_money(s, &v, &cur, "kinh_phi", e), e, "kinh_phi");
}

static void assert_percent(const char *s, int64_t value, int64_t hi, enum vqual q)
{
	struct err e = {0};
	struct vnum v;
	assert_int_equal(vtext_parse_percent(s, &v, "ty_le", &e), 0);
	assert_int_equal(v.value, value);
	assert_int_equal(v.value_hi, hi);
	assert_int_equal(v.qual, q);
}

static void refute_percent(const char *s)
{
	struct err e = {0};
	struct vnum v;
	assert_refused(vtext_parse_percent(s, &v, "ty_le", &e), &e, "ty_le");
}

static void assert_date(const char *s, const char *want)
{
	struct err e = {0};
	char iso[11];
	assert_int_equal(vtext_parse_date(s, iso, "ngay", &e), 0);
	assert_string_equal(iso, want);
}

static void refute_date(const char *s)
{
	struct err e = {0};
	char iso[11] = "x";
	assert_refused(vtext_parse_date(s, iso, "ngay", &e), &e, "ngay");
	assert_string_equal(iso, "");
}

static void assert_period(const char *s, int from, int to)
{
	struct err e = {0};
	int a = 0, b = 0;
	assert_int_equal(vtext_parse_period(s, &a, &b, "giai_doan", &e), 0);
	assert_int_equal(a, from);
	assert_int_equal(b, to);
}

static void refute_period(const char *s)
{
	struct err e = {0};
	int a = -1, b = -1;
	assert_refused(vtext_parse_period(s, &a, &b, "giai_doan", &e), &e, "giai_doan");
}

/* ---- vtext_normalize ---- */

static void test_is_digits(void **state)
{
	(void)state;
	assert_true(vtext_is_digits("01"));
	assert_true(vtext_is_digits("0101234567"));
	assert_false(vtext_is_digits(""));
	assert_false(vtext_is_digits(NULL));
	assert_false(vtext_is_digits("12a"));
	assert_false(vtext_is_digits(" 12"));
	assert_false(vtext_is_digits("-1"));
	assert_false(vtext_is_digits("١٢")); /* Arabic-Indic digits are not ASCII */
}

static void test_normalize_eth_seed000(void **state)
{
	(void)state;
	/* Seed 000 opens a paragraph with U+00D0 (Icelandic Eth) for Đ. */
	assert_normalized("\u00D0ể khắc phục vấn đề này", "\u0110ể khắc phục vấn đề này");
	assert_normalized("\u00F0ào tạo", "đào tạo");
}

static void test_normalize_nbsp_seeds(void **state)
{
	(void)state;
	/* Seed 004's title holds two no-break spaces. */
	assert_normalized("Hưng Yên: Tăng giá trị\u00A0cho sản "
			  "phẩm\u00A0công nghiệp nông thôn",
			  "Hưng Yên: Tăng giá trị cho sản "
			  "phẩm công nghiệp nông thôn");
	/* Seed 001 has paragraphs made of one no-break space: they become empty. */
	assert_normalized("\u00A0", "");
	assert_normalized(" \u00A0\n", "");
}

static void test_normalize_other_spaces(void **state)
{
	(void)state;
	assert_normalized("9.590\u2009lao động", "9.590 lao động");
	assert_normalized("a\u2000b\u200Ac\u202Fd\u3000e", "a b c d e");
	assert_normalized("\u3000 24,7\u202Ftỷ đồng\u00A0", "24,7 tỷ đồng");
	/* Inner runs are kept; only the ends are trimmed. */
	assert_normalized("  a  b  ", "a  b");
}

static void test_normalize_controls(void **state)
{
	(void)state;
	assert_normalized("Theo Chinhphu.vn\r\n", "Theo Chinhphu.vn");
	assert_normalized("a\001b\177c\033d", "abcd");
	assert_normalized("dòng 1\ndòng\t2", "dòng 1\ndòng\t2");
	assert_normalized("\tHà Nội\n", "Hà Nội");
	assert_normalized("\uFEFFKhuyến công\u200B", "Khuyến công");
	assert_normalized("a\u2028b", "a\nb");
	/* A control character between a letter and its mark does not keep them
	 * apart: the result is still NFC. */
	assert_normalized("Ho\001\u0300a", "Hòa");
}

static void test_normalize_nfc(void **state)
{
	(void)state;
	/* Decomposed input (as some editors save it) comes out composed. */
	assert_normalized("Ha\u0300 No\u0302\u0323i", "Hà Nội");
	assert_normalized("Khuye\u0302\u0301n co\u0302ng", "Khuyến công");
	assert_normalized("", "");
	assert_normalized(NULL, "");
}

/* Text of Latin letters already in NFC is copied as it is (the common case,
 * without utf8proc): every such letter beside others, and after a letter
 * that a mark follows, comes out as utf8proc's NFC makes it. */
static void test_normalize_plain_latin(void **state)
{
	(void)state;
	static const int ranges[][2] = {{0xC0, 0x24F}, {0x1E00, 0x1EFF}};
	for (int r = 0; r < 2; r++)
		for (int cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
			utf8proc_uint8_t in[32], *p = in;
			p += utf8proc_encode_char('a', p);
			p += utf8proc_encode_char(cp, p);
			p += utf8proc_encode_char(cp, p);
			p += utf8proc_encode_char(0x1EA1, p); /* ạ */
			*p = 0;
			utf8proc_int32_t mended = cp == 0xD0 ? 0x110 : cp == 0xF0 ? 0x111 : cp;
			utf8proc_uint8_t want_in[32], *q = want_in;
			q += utf8proc_encode_char('a', q);
			q += utf8proc_encode_char(mended, q);
			q += utf8proc_encode_char(mended, q);
			q += utf8proc_encode_char(0x1EA1, q);
			*q = 0;
			utf8proc_uint8_t *want = utf8proc_NFC(want_in);
			assert_normalized((const char *)in, (const char *)want);
			free(want);
		}
	/* A mark after a plain letter composes with it: the long way. */
	assert_normalized("\u1EA1\u0302", "\u1EAD");
	assert_normalized("Vie\u0323\u0302t Nam", "Việt Nam");
}

/* Search keys of Latin letters come from a table (without utf8proc): each
 * the same as the long way, which a combining mark at the end forces. */
static void test_fold_plain_latin(void **state)
{
	(void)state;
	static const int ranges[][2] = {{0xC0, 0x24F}, {0x1E00, 0x1EFF}};
	for (int r = 0; r < 2; r++)
		for (int cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
			utf8proc_uint8_t in[32], *p = in;
			p += utf8proc_encode_char('X', p);
			p += utf8proc_encode_char(cp, p);
			p += utf8proc_encode_char(cp, p);
			p += utf8proc_encode_char('y', p);
			p += utf8proc_encode_char(' ', p);
			p += utf8proc_encode_char('z', p);
			*p = 0;
			char slow[40];
			snprintf(slow, sizeof slow, "%s\u0301", (const char *)in);
			char *a = vtext_fold((const char *)in), *b = vtext_fold(slow);
			assert_string_equal(a, b);
			free(a);
			free(b);
		}
	char *f = vtext_fold("Cơ sở Đông Thạnh, số 12");
	assert_string_equal(f, "co so dong thanh so 12");
	free(f);
}

static void test_normalize_invalid_utf8(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"ab\xff",	    /* never valid */
		"Nam \xc4",	    /* truncated Đ */
		"\xc0\xaf",	    /* overlong '/' */
		"\xed\xa0\x80",	    /* a surrogate */
		"\xf4\x90\x80\x80", /* beyond U+10FFFF */
		"H\xe1\xbb",	    /* truncated 3-byte sequence */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct err e = {0};
		assert_null(vtext_normalize(bad[i], "ten_co_so", &e));
		assert_int_equal(e.code, ERR_INVALID);
		assert_string_equal(e.field, "ten_co_so");
		assert_true(strlen(e.message) > 0);
	}
}

/* ---- vtext_fold and vtext_matches ---- */

static void test_fold(void **state)
{
	(void)state;
	assert_folded("\u0110ào tạo nghề", "dao tao nghe");
	assert_folded("\u00D0ể", "de");
	assert_folded("\u00F0ể", "de");
	assert_folded("Khuyến Công", "khuyen cong");
	assert_folded("Hòa", "hoa");
	assert_folded("Hoà", "hoa");
	assert_folded("Hoa\u0300", "hoa");
	assert_folded("Bà Rịa \u2013 Vũng Tàu", "ba ria vung tau");
	assert_folded("Hợp tác xã Chạm bạc Phù Ủng (Ân Thi);",
		      "hop tac xa cham bac phu ung an thi");
	assert_folded("Công ty TNHH Mật ong Danh Vị (xã Mễ Sở, "
		      "Văn Giang)…",
		      "cong ty tnhh mat ong danh vi xa me so van giang");
	assert_folded("  dịch bệnh Covid-19, ", "dich benh covid 19");
	assert_folded("9.590", "9 590");
	assert_folded("\u0110ỒNG THỜI", "dong thoi");
	assert_folded("", "");
	assert_folded("...", "");
	assert_folded(NULL, "");
	assert_folded("ab\xff", "");
}

/* ASCII text takes a short path (an import folds and normalises every
 * cell): for every ASCII character, in every position, the same result as
 * the same text through utf8proc, which a trailing zero-width space (dropped
 * by both, never a letter) sends it through. */
static void test_ascii_as_unicode(void **state)
{
	(void)state;
	for (int c = 1; c < 128; c++) {
		char t[32], slow[40];
		snprintf(t, sizeof t, "%cAb%c 9z%c", c, c, c);
		snprintf(slow, sizeof slow, "%s\u200B", t);
		char *f1 = vtext_fold(t), *f2 = vtext_fold(slow);
		char *n1 = vtext_normalize(t, "x", NULL), *n2 = vtext_normalize(slow, "x", NULL);
		if (strcmp(f1, f2) || strcmp(n1, n2))
			fail_msg("character %d: fold \"%s\" / \"%s\", normalize \"%s\" / \"%s\"", c,
				 f1, f2, n1, n2);
		free(f1);
		free(f2);
		free(n1);
		free(n2);
	}
}

static void test_matches(void **state)
{
	(void)state;
	const char *text = "Chương trình khuyến công TP. Hà "
			   "Nội giai đoạn 2016-2020";
	assert_true(vtext_matches(text, "khuyen cong"));
	assert_true(vtext_matches(text, "Khuyến công"));
	assert_true(vtext_matches(text, "ha noi"));
	assert_true(vtext_matches(text, "noi ha"));	  /* order does not matter */
	assert_true(vtext_matches(text, "khuy cong 20")); /* word prefixes */
	assert_true(vtext_matches(text, "giai doan 2016"));
	assert_true(vtext_matches(text, "tp"));
	assert_true(vtext_matches(text, ""));
	assert_true(vtext_matches(text, " - "));
	assert_false(vtext_matches(text, "uyen")); /* not at a word start */
	assert_false(vtext_matches(text, "khuyen nong"));
	assert_false(vtext_matches(text, "thanh pho"));
	assert_false(vtext_matches("", "a"));
	/* The Eth look-alike of seed 000 is found by a plain query. */
	assert_true(vtext_matches("\u00D0ể khắc phục", "de khac"));
	assert_true(vtext_matches("\u00D0ể khắc phục", "để"));
	/* Tone placement does not matter to search. */
	assert_true(vtext_matches("Xã Thuỷ Hòa", "thủy hoà"));
}

/* ---- vtext_tone_canonical ---- */

static void test_tone_open_diphthongs(void **state)
{
	(void)state;
	assert_tone("Hoà", "Hòa");
	assert_tone("Hòa", "Hòa");
	assert_tone("Thuỷ", "Thủy");
	assert_tone("Thủy", "Thủy");
	assert_tone("Khoẻ", "Khỏe");
	assert_tone("Hoá", "Hóa");
	assert_tone("Thuý", "Thúy");
	assert_tone("uỷ ban", "ủy ban");
	assert_tone("HOÀ", "HÒA");
	assert_tone("hàng hoá, thuỷ sản", "hàng hóa, thủy sản");
	/* Decomposed input gives NFC output. */
	assert_tone("Hoa\u0300", "Hòa");
	/* Both spellings of a name compare equal once canonical. */
	char *a = vtext_tone_canonical("Xã Hoà Bình");
	char *b = vtext_tone_canonical("Xã Hòa Bình");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_tone_left_alone(void **state)
{
	(void)state;
	static const char *const same[] = {
		"Hoàng",		 /* closed: mark on a */
		"Thuận",		 /* â carries it */
		"Quý",			 /* qu + y */
		"quả",			 /* qu + a */
		"già",			 /* gi + a */
		"gìn",			 /* g + i */
		"giữa",			 /* ư carries it */
		"Khoái Châu",		 /* oai: the middle vowel */
		"người",		 /* ươ: on ơ */
		"rượu",			 /* ươu: on ơ */
		"thuở",			 /* uơ: on ơ */
		"khuỷu",		 /* uyu: the middle */
		"Nguyễn",		 /* uyê: on ê */
		"Phù Ủng",    "múa mía", /* ua, ia: the first vowel */
		"café",			 /* not a Vietnamese syllable */
		"Covid-19",   "",
	};
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
		assert_tone(same[i], same[i]);
	/* A misplaced mark on a closed syllable is mended too. */
	assert_tone("Hòang", "Hoàng");
	assert_tone("ab\xff", "");
}

/* ---- vtext_parse_number ---- */

static void test_number_seed_figures(void **state)
{
	(void)state;
	assert_number("9.590", 0, 9590, 9590, VQ_EXACT);
	assert_number("7.200", 0, 7200, 7200, VQ_EXACT);
	assert_number("1.250", 0, 1250, 1250, VQ_EXACT);
	assert_number("44.000", 0, 44000, 44000, VQ_EXACT);
	assert_number("274", 0, 274, 274, VQ_EXACT);
	assert_number("24,7", 1, 247, 247, VQ_EXACT);
	assert_number("4,34", 2, 434, 434, VQ_EXACT);
	assert_number("0,5", 1, 5, 5, VQ_EXACT);
	assert_number("0,5", 3, 500, 500, VQ_EXACT);
	assert_number("9.590", 1, 95900, 95900, VQ_EXACT);
	assert_number("1.234.567", 0, 1234567, 1234567, VQ_EXACT);
	assert_number("24,70", 1, 247, 247, VQ_EXACT); /* trailing zero lost nothing */
	assert_number("  9.590\u00A0", 0, 9590, 9590, VQ_EXACT);
	assert_number("10 000", 0, 10000, 10000, VQ_EXACT);
	assert_number("-1.250", 0, -1250, -1250, VQ_EXACT);
	assert_number("45 nghìn", 0, 45000, 45000, VQ_EXACT);
	assert_number("9223372036854775807", 0, INT64_MAX, INT64_MAX, VQ_EXACT);
}

static void test_number_qualifiers(void **state)
{
	(void)state;
	assert_number("trên 10.000", 0, 10000, 10000, VQ_AT_LEAST);
	assert_number("tren 10.000", 0, 10000, 10000, VQ_AT_LEAST);
	assert_number("Trên 80", 0, 80, 80, VQ_AT_LEAST);
	assert_number("hơn 80", 0, 80, 80, VQ_AT_LEAST);
	assert_number("ít nhất 5", 0, 5, 5, VQ_AT_LEAST);
	assert_number("toi thieu 5", 0, 5, 5, VQ_AT_LEAST);
	assert_number("khoảng 50.000", 0, 50000, 50000, VQ_ABOUT);
	assert_number("gần 40", 0, 40, 40, VQ_NEARLY);
	assert_number("xấp xỉ 55.000", 0, 55000, 55000, VQ_ABOUT);
	assert_number("chừng 260", 0, 260, 260, VQ_ABOUT);
	assert_number("dưới 5", 0, 5, 5, VQ_AT_MOST);
	assert_number("tối đa 30", 0, 30, 30, VQ_AT_MOST);
	assert_number("toi da 30", 0, 30, 30, VQ_AT_MOST);
	assert_number("không quá 300", 0, 300, 300, VQ_AT_MOST);
}

static void test_number_ranges(void **state)
{
	(void)state;
	assert_number("5\u20137", 0, 5, 7, VQ_RANGE);
	assert_number("5 - 7", 0, 5, 7, VQ_RANGE);
	assert_number("5-7", 0, 5, 7, VQ_RANGE);
	assert_number("5 \u2014 7", 0, 5, 7, VQ_RANGE);
	assert_number("5 đến 7", 0, 5, 7, VQ_RANGE);
	assert_number("1.000-1.500", 0, 1000, 1500, VQ_RANGE);
	assert_number("5,5 - 7", 1, 55, 70, VQ_RANGE);
	assert_number("7 - 7", 0, 7, 7, VQ_RANGE);
	refute_number("7 - 5", 0);
	refute_number("5 -", 0);
}

static void test_number_refused(void **state)
{
	(void)state;
	refute_number("9.59", 0); /* a dot must be followed by three digits */
	refute_number("9.59", 2);
	refute_number("1,234,567", 0); /* one decimal comma at most */
	refute_number("1.2.3", 0);
	refute_number("1234.567", 0); /* first group too long */
	refute_number("1.234,5.6", 1);
	refute_number("1 000.000", 0); /* dot and space mixed */
	refute_number("12a", 0);
	refute_number("9.590 người", 0);
	refute_number("", 0);
	refute_number("   ", 0);
	refute_number(NULL, 0);
	refute_number("trên", 0);
	refute_number("đạt 5", 0); /* not a qualifier */
	refute_number("24,7", 0);  /* more decimals than scale */
	refute_number("24,75", 1);
	refute_number("9223372036854775808", 0);
	refute_number("922.337.203.685.477.581", 1);
	refute_number("1\xff", 0);
	/* A bad scale is refused too. */
	struct err e = {0};
	struct vnum v;
	assert_refused(vtext_parse_number("5", 7, &v, "so_lieu", &e), &e, "so_lieu");
	assert_refused(vtext_parse_number("5", -1, &v, "so_lieu", &e), &e, "so_lieu");
	/* The message says what is wrong and out is cleared. */
	memset(&e, 0, sizeof e);
	v.value = 42;
	assert_int_equal(vtext_parse_number("9.59", 0, &v, "so_lao_dong", &e), ERR_INVALID);
	assert_string_equal(e.field, "so_lao_dong");
	assert_non_null(strstr(e.message, "9.59"));
	assert_int_equal(v.value, 0);
}

/* ---- vtext_parse_money ---- */

static void test_money_seed_figures(void **state)
{
	(void)state;
	assert_money("24,7 tỷ đồng", 24700000000LL, VQ_EXACT, "VND");
	assert_money("821,5 triệu đồng", 821500000LL, VQ_EXACT, "VND");
	assert_money("4.100 tỷ đồng", 4100000000000LL, VQ_EXACT, "VND");
	assert_money("khoảng 4.100 tỷ đồng", 4100000000000LL, VQ_ABOUT, "VND");
	assert_money("4,34 tỷ đồng", 4340000000LL, VQ_EXACT, "VND");
	assert_money("5,2 tỷ", 5200000000LL, VQ_EXACT, "VND");
	assert_money("gần 5,2 tỷ đồng", 5200000000LL, VQ_NEARLY, "VND");
	assert_money("trên 2,2 tỷ đồng", 2200000000LL, VQ_AT_LEAST, "VND");
	assert_money("trên 5,8 tỷ đồng", 5800000000LL, VQ_AT_LEAST, "VND");
	assert_money("trên 7,3 nghìn tỷ đồng", 7300000000000LL, VQ_AT_LEAST, "VND");
	assert_money("1 000 triệu đồng", 1000000000LL, VQ_EXACT, "VND");
	assert_money("tối đa 300 triệu đồng", 300000000LL, VQ_AT_MOST, "VND");
}

static void test_money_forms(void **state)
{
	(void)state;
	assert_money("500.000 đồng", 500000, VQ_EXACT, "VND");
	assert_money("500.000đ", 500000, VQ_EXACT, "VND");
	assert_money("5.000.000 đ", 5000000, VQ_EXACT, "VND");
	assert_money("5000000", 5000000, VQ_EXACT, "VND");
	assert_money("300 triệu", 300000000, VQ_EXACT, "VND");
	assert_money("10 nghìn", 10000, VQ_EXACT, "VND");
	assert_money("10 ngàn đồng", 10000, VQ_EXACT, "VND");
	assert_money("24,7 ty dong", 24700000000LL, VQ_EXACT, "VND");
	assert_money("821,5 trieu", 821500000, VQ_EXACT, "VND");
	assert_money("2 tỉ", 2000000000LL, VQ_EXACT, "VND");
	assert_money("1.000 VND", 1000, VQ_EXACT, "VND");
	assert_money("1.000 VN\u0110", 1000, VQ_EXACT, "VND");
	assert_money("24,7\u00A0tỷ\u00A0đồng", 24700000000LL, VQ_EXACT, "VND");
}

/* Shorthand an officer types (issue 12): tr for triệu, k for nghìn. */
static void test_money_shorthand(void **state)
{
	(void)state;
	assert_money("500tr", 500000000, VQ_EXACT, "VND");
	assert_money("500 tr", 500000000, VQ_EXACT, "VND");
	assert_money("1,5tr", 1500000, VQ_EXACT, "VND");
	assert_money("1,5trđ", 1500000, VQ_EXACT, "VND");
	assert_money("360 tr đồng", 360000000, VQ_EXACT, "VND");
	assert_money("500k", 500000, VQ_EXACT, "VND");
	assert_money("500 K", 500000, VQ_EXACT, "VND");
	assert_money("1,2 tỷ", 1200000000, VQ_EXACT, "VND");
	assert_money("500 nghìn", 500000, VQ_EXACT, "VND");
	assert_money("trên 500tr", 500000000, VQ_AT_LEAST, "VND");
	assert_money("1,5k", 1500, VQ_EXACT, "VND");
	struct err e;
	refute_money("1,2345k", &e); /* 1 234,5 đồng: a fraction of a đồng */
	refute_money("500 kg", &e);
}

static void test_money_usd(void **state)
{
	(void)state;
	/* Seed 001: "trị giá trên 20 triệu USD", "xấp xỉ đạt 55.000 USD". */
	assert_money("20 triệu USD", 2000000000LL, VQ_EXACT, "USD");
	assert_money("trên 20 triệu USD", 2000000000LL, VQ_AT_LEAST, "USD");
	assert_money("55.000 USD", 5500000, VQ_EXACT, "USD");
	assert_money("550 triệu USD", 55000000000LL, VQ_EXACT, "USD");
	assert_money("20 triệu đô la Mỹ", 2000000000LL, VQ_EXACT, "USD");
	assert_money("12,34 USD", 1234, VQ_EXACT, "USD");
	/* currency may be NULL */
	struct err e = {0};
	struct vnum v;
	assert_int_equal(vtext_parse_money("55.000 USD", &v, NULL, "kinh_phi", &e), 0);
	assert_int_equal(v.value, 5500000);
}

static void test_money_ranges(void **state)
{
	(void)state;
	/* Seed 002: "bình quân đạt 5 - 7 triệu đồng/người/tháng". */
	struct err e = {0};
	struct vnum v;
	const char *cur = NULL;
	assert_int_equal(vtext_parse_money("5 - 7 triệu đồng", &v, &cur, "thu_nhap", &e), 0);
	assert_int_equal(v.value, 5000000);
	assert_int_equal(v.value_hi, 7000000);
	assert_int_equal(v.qual, VQ_RANGE);
	assert_string_equal(cur, "VND");
	assert_int_equal(vtext_parse_money("5 triệu \u2013 7 triệu USD", &v, &cur, "thu_nhap", &e),
			 0);
	assert_int_equal(v.value, 500000000);
	assert_int_equal(v.value_hi, 700000000);
	assert_string_equal(cur, "USD");
	/* The per-person-per-month tail is not part of the amount. */
	refute_money("5 - 7 triệu đồng/người/tháng", &e);
	refute_money("7 - 5 triệu đồng", &e);
	refute_money("5 USD - 7 đồng", &e);
}

static void test_money_refused(void **state)
{
	(void)state;
	struct err e;
	/* Compound amounts are refused with a message that shows the form to use. */
	refute_money("1 tỷ 200 triệu", &e);
	assert_non_null(strstr(e.message, "1,2 tỷ đồng"));
	refute_money("1 tỷ 200 triệu đồng", &e);
	/* A fraction of a đồng, or of a cent. */
	refute_money("0,5 đồng", &e);
	refute_money("1,5", &e);
	refute_money("12,345 USD", &e);
	/* int64 overflow: 9,3 billion billion đồng. */
	refute_money("9,3 tỷ tỷ đồng", &e);
	refute_money("9.300.000.000 tỷ đồng", &e);
	refute_money("100 triệu tỷ USD", &e); /* fits in đồng, not in cents */
	assert_money("100 triệu tỷ đồng", 100000000000000000LL, VQ_EXACT, "VND");
	assert_money("10 tỷ USD", 100000000000LL * 10, VQ_EXACT, "USD");
	/* Ambiguous or foreign numerals. */
	refute_money("9.59 tỷ", &e);
	refute_money("1,234,567 đồng", &e);
	refute_money("", &e);
	refute_money("tỷ đồng", &e);
	refute_money("24,7 tỷ euro", &e);
	refute_money("đạt 24,7 tỷ", &e);
}

/* ---- vtext_parse_percent ---- */

static void test_percent(void **state)
{
	(void)state;
	assert_percent("71,7%", 717, 717, VQ_EXACT);
	assert_percent("trên 80%", 800, 800, VQ_AT_LEAST);
	assert_percent("trên 70%", 700, 700, VQ_AT_LEAST);
	assert_percent("100%", 1000, 1000, VQ_EXACT);
	assert_percent("5\u20137%", 50, 70, VQ_RANGE);
	assert_percent("5% - 8%", 50, 80, VQ_RANGE); /* seed 001 */
	assert_percent("5 - 7 %", 50, 70, VQ_RANGE);
	assert_percent("150%", 1500, 1500, VQ_EXACT); /* growth above 100% */
	assert_percent("0,5%", 5, 5, VQ_EXACT);
	assert_percent("80", 800, 800, VQ_EXACT); /* the sign may be left out */
	assert_percent("71,7\u00A0%", 717, 717, VQ_EXACT);
	refute_percent("71,75%");
	refute_percent("71.7%");
	/* Two decimals where the caller keeps them (issue 16: "37,85%"). */
	struct vnum v;
	struct err e;
	assert_int_equal(vtext_parse_percent_at("37,85%", 2, &v, "ty_le", &e), 0);
	assert_int_equal(v.value, 3785);
	assert_int_equal(vtext_parse_percent_at("0,5%", 2, &v, "ty_le", &e), 0);
	assert_int_equal(v.value, 50);
	assert_int_not_equal(vtext_parse_percent_at("37,855%", 2, &v, "ty_le", &e), 0);
	assert_non_null(strstr(e.message, "tối đa 2 chữ số thập phân"));
	refute_percent("%");
	refute_percent("");
	refute_percent("8% - 5%");
	refute_percent("5%/năm");
	refute_percent("5 triệu %");
}

/* ---- vtext_parse_date ---- */

static void test_date(void **state)
{
	(void)state;
	assert_date("17/05/2016", "2016-05-17"); /* seed 003 */
	assert_date("29/06/2020", "2020-06-29"); /* seed 004 */
	assert_date("18/01/2025", "2025-01-18");
	assert_date("1/7/2025", "2025-07-01");
	assert_date("01/07/2025", "2025-07-01");
	assert_date("2016-05-17", "2016-05-17");
	assert_date(" 17/05/2016\u00A0", "2016-05-17");
	assert_date("29/02/2024", "2024-02-29");
	assert_date("29/02/2000", "2000-02-29");
	assert_date("31/12/2100", "2100-12-31");
	refute_date("31/02/2020");
	refute_date("29/02/2023");
	refute_date("29/02/1900"); /* 1900 is not a leap year */
	refute_date("31/04/2020");
	refute_date("00/05/2016");
	refute_date("17/13/2016");
	refute_date("2016/05/17");
	refute_date("17-05-16");
	refute_date("17/05/16");
	refute_date("17.05.2016");
	refute_date("2016-5-17");
	refute_date("017/05/2016");
	refute_date("17/05/2016 16:58");
	refute_date("1/1/1899");
	refute_date("");
	refute_date("hôm qua");
}

/* ---- vtext_parse_period ---- */

static void test_period(void **state)
{
	(void)state;
	assert_period("2016 \u2013 2020", 2016, 2020); /* seed 001, en dash with spaces */
	assert_period("2016-2020", 2016, 2020);
	assert_period("2016\u20142020", 2016, 2020);
	assert_period("2016 - 2020", 2016, 2020);
	assert_period("giai đoạn 2021-2025", 2021, 2025);
	assert_period("Giai đoạn 2021 \u2013 2025", 2021, 2025);
	assert_period("giai doan 2014-2020", 2014, 2020);
	assert_period("2015", 2015, 2015);
	assert_period("năm 2015", 2015, 2015);
	assert_period("(2021-2025)", 2021, 2025); /* seed 004 */
	assert_period("từ năm 2016 đến năm 2020", 2016, 2020);
	assert_period("2020-2020", 2020, 2020);
	refute_period("2020-2016");
	refute_period("1899-1905");
	refute_period("2099-2101");
	refute_period("2016 - 20");
	refute_period("2.016");
	refute_period("2016-2020-2025");
	refute_period("(2021-2025");
	refute_period("giai đoạn");
	refute_period("");
	refute_period("khoảng 2016");
}

/* ---- formatting ---- */

/* Runs one formatter into a fresh buffer and compares. */
#define ASSERT_FMT(call, want)                          \
	do {                                            \
		struct buf b_ = BUF_INIT;               \
		struct buf *b = &b_;                    \
		call;                                   \
		assert_string_equal(buf_cstr(b), want); \
		buf_free(b);                            \
	} while (0)

static void test_fmt_int_decimal(void **state)
{
	(void)state;
	ASSERT_FMT(vtext_fmt_int(b, 9590), "9.590");
	ASSERT_FMT(vtext_fmt_int(b, -1250), "-1.250");
	ASSERT_FMT(vtext_fmt_int(b, 0), "0");
	ASSERT_FMT(vtext_fmt_int(b, 999), "999");
	ASSERT_FMT(vtext_fmt_int(b, 1000), "1.000");
	ASSERT_FMT(vtext_fmt_int(b, 4100000000000LL), "4.100.000.000.000");
	ASSERT_FMT(vtext_fmt_int(b, INT64_MIN), "-9.223.372.036.854.775.808");
	ASSERT_FMT(vtext_fmt_decimal(b, 247, 1, 1), "24,7");
	ASSERT_FMT(vtext_fmt_decimal(b, 2470, 2, 2), "24,7");
	ASSERT_FMT(vtext_fmt_decimal(b, 2475, 2, 1), "24,8");
	ASSERT_FMT(vtext_fmt_decimal(b, -2475, 2, 1), "-24,8");
	ASSERT_FMT(vtext_fmt_decimal(b, 95900, 1, 1), "9.590");
	ASSERT_FMT(vtext_fmt_decimal(b, 1005, 3, 3), "1,005");
	ASSERT_FMT(vtext_fmt_decimal(b, 9996, 3, 2), "10");
	ASSERT_FMT(vtext_fmt_decimal(b, -4, 2, 1), "0");
	ASSERT_FMT(vtext_fmt_decimal(b, 12345, 0, 2), "12.345");
}

static void test_fmt_money(void **state)
{
	(void)state;
	ASSERT_FMT(vtext_fmt_money(b, 24700000000LL), "24,7 tỷ đồng");
	ASSERT_FMT(vtext_fmt_money(b, 821500000), "821,5 triệu đồng");
	ASSERT_FMT(vtext_fmt_money(b, 4100000000000LL), "4.100 tỷ đồng");
	ASSERT_FMT(vtext_fmt_money(b, 500000), "500.000 đồng");
	ASSERT_FMT(vtext_fmt_money(b, 5800000000LL), "5,8 tỷ đồng");
	ASSERT_FMT(vtext_fmt_money(b, 4340000000LL), "4,34 tỷ đồng");
	ASSERT_FMT(vtext_fmt_money(b, 7300000000000LL), "7.300 tỷ đồng");
	ASSERT_FMT(vtext_fmt_money(b, 1000000), "1 triệu đồng");
	ASSERT_FMT(vtext_fmt_money(b, 999999), "999.999 đồng");
	/* Exact: the digits the source gave, nothing rounded away (issue 16). */
	ASSERT_FMT(vtext_fmt_money(b, 999999999), "999.999.999 đồng");
	ASSERT_FMT(vtext_fmt_money(b, 1234567890), "1.234.567.890 đồng");
	ASSERT_FMT(vtext_fmt_money(b, 2035000000LL), "2,035 tỷ đồng");
	ASSERT_FMT(vtext_fmt_money(b, 12345000000LL), "12,345 tỷ đồng");
	ASSERT_FMT(vtext_fmt_money(b, 162500000), "162,5 triệu đồng");
	ASSERT_FMT(vtext_fmt_money(b, 1234567000), "1.234,567 triệu đồng");
	ASSERT_FMT(vtext_fmt_money(b, 1500), "1.500 đồng");
	ASSERT_FMT(vtext_fmt_money(b, 0), "0 đồng");
	ASSERT_FMT(vtext_fmt_money(b, -24700000000LL), "-24,7 tỷ đồng");
	ASSERT_FMT(vtext_fmt_usd(b, 2000000000LL), "20 triệu USD");
	ASSERT_FMT(vtext_fmt_usd(b, 55000000000LL), "550 triệu USD");
	ASSERT_FMT(vtext_fmt_usd(b, 5500000), "55.000 USD");
	ASSERT_FMT(vtext_fmt_usd(b, 1234), "12,34 USD");
	ASSERT_FMT(vtext_fmt_usd(b, 150000000000LL), "1,5 tỷ USD");
	ASSERT_FMT(vtext_fmt_usd(b, 1234567800LL), "12.345.678 USD"); /* exact */
	ASSERT_FMT(vtext_fmt_usd(b, 1234500000LL), "12,345 triệu USD");
}

static void test_fmt_percent_date_qual(void **state)
{
	(void)state;
	ASSERT_FMT(vtext_fmt_percent(b, 717), "71,7%");
	ASSERT_FMT(vtext_fmt_percent(b, 800), "80%");
	ASSERT_FMT(vtext_fmt_percent(b, 1000), "100%");
	ASSERT_FMT(vtext_fmt_percent(b, 5), "0,5%");
	ASSERT_FMT(vtext_fmt_date(b, "2016-05-17"), "17/05/2016");
	ASSERT_FMT(vtext_fmt_date(b, "2025-07-01"), "01/07/2025");
	ASSERT_FMT(vtext_fmt_date(b, "17/05/2016"), "17/05/2016");
	ASSERT_FMT(vtext_fmt_date(b, "2016-05"), "2016-05");
	ASSERT_FMT(vtext_fmt_date(b, NULL), "");
	assert_string_equal(vtext_fmt_qual(VQ_EXACT), "");
	assert_string_equal(vtext_fmt_qual(VQ_AT_LEAST), "trên ");
	assert_string_equal(vtext_fmt_qual(VQ_ABOUT), "khoảng ");
	assert_string_equal(vtext_fmt_qual(VQ_AT_MOST), "tối đa ");
	assert_string_equal(vtext_fmt_qual(VQ_RANGE), "");
	/* Appending keeps what is already there. */
	ASSERT_FMT((buf_puts(b, vtext_fmt_qual(VQ_AT_LEAST)), vtext_fmt_percent(b, 800)),
		   "trên 80%");
}

/* Every figure of the seeds survives format -> parse unchanged. */
static void test_round_trip(void **state)
{
	(void)state;
	static const int64_t dong[] = {
		24700000000LL, 821500000LL,   4100000000000LL, 4340000000LL, 5200000000LL,
		2200000000LL,  5800000000LL,  7300000000000LL, 500000LL,     2035000000LL,
		162500000LL,   12345000000LL, 1234567000LL,    999999999LL,  1234567891LL};
	for (size_t i = 0; i < sizeof dong / sizeof dong[0]; i++) {
		struct buf b = BUF_INIT;
		vtext_fmt_money(&b, dong[i]);
		assert_money(buf_cstr(&b), dong[i], VQ_EXACT, "VND");
		buf_free(&b);
	}
	struct buf b = BUF_INIT;
	vtext_fmt_percent(&b, 717);
	assert_percent(buf_cstr(&b), 717, 717, VQ_EXACT);
	buf_reset(&b);
	vtext_fmt_int(&b, 9590);
	assert_number(buf_cstr(&b), 0, 9590, 9590, VQ_EXACT);
	buf_reset(&b);
	vtext_fmt_usd(&b, 2000000000LL);
	assert_money(buf_cstr(&b), 2000000000LL, VQ_EXACT, "USD");
	buf_reset(&b);
	vtext_fmt_date(&b, "2016-05-17");
	assert_date(buf_cstr(&b), "2016-05-17");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_digits),
		cmocka_unit_test(test_normalize_eth_seed000),
		cmocka_unit_test(test_normalize_nbsp_seeds),
		cmocka_unit_test(test_normalize_other_spaces),
		cmocka_unit_test(test_normalize_controls),
		cmocka_unit_test(test_normalize_plain_latin),
		cmocka_unit_test(test_fold_plain_latin),
		cmocka_unit_test(test_normalize_nfc),
		cmocka_unit_test(test_normalize_invalid_utf8),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_ascii_as_unicode),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_tone_open_diphthongs),
		cmocka_unit_test(test_tone_left_alone),
		cmocka_unit_test(test_number_seed_figures),
		cmocka_unit_test(test_number_qualifiers),
		cmocka_unit_test(test_number_ranges),
		cmocka_unit_test(test_number_refused),
		cmocka_unit_test(test_money_seed_figures),
		cmocka_unit_test(test_money_forms),
		cmocka_unit_test(test_money_shorthand),
		cmocka_unit_test(test_money_usd),
		cmocka_unit_test(test_money_ranges),
		cmocka_unit_test(test_money_refused),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_fmt_int_decimal),
		cmocka_unit_test(test_fmt_money),
		cmocka_unit_test(test_fmt_percent_date_qual),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
