/* vtext.c - Vietnamese text: NFC and look-alike mending, search keys, tone
 * placement, and the numbers, money, dates and periods documents contain. */
#include "core/vtext.h"

#include "core/mem.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef utf8proc_int32_t cp_t;

/* ---- UTF-8 helpers ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Bytes of s that fit in max without cutting a UTF-8 sequence (for messages). */
static int clip(const char *s, int max)
{
	int n = (int)strlen(s);
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

static void put_cp(struct buf *b, cp_t cp)
{
	utf8proc_uint8_t tmp[4];
	utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
	buf_append(b, tmp, (size_t)n);
}

static int is_letter(cp_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return 1;
	default:
		return 0;
	}
}

static int is_mark(cp_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

static int is_alnum(cp_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return is_letter(cp) || c == UTF8PROC_CATEGORY_ND || c == UTF8PROC_CATEGORY_NL ||
	       c == UTF8PROC_CATEGORY_NO;
}

/* The NFC form of valid UTF-8 s (malloc'd). utf8proc only fails here when out
 * of memory, which aborts like the xmalloc family. */
static char *nfc(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		abort();
	return (char *)out;
}

/* ---- normalisation ---- */

/* What normalisation makes of one code point: -1 drops it. */
static cp_t mend_cp(cp_t cp)
{
	switch (cp) {
	case 0x00D0: /* Icelandic Eth, typed for Đ */
		return 0x0110;
	case 0x00F0:
		return 0x0111;
	case '\n':
	case '\t':
		return cp;
	case 0x2028: /* line and paragraph separators */
	case 0x2029:
		return '\n';
	case 0x200B: /* zero-width space and byte-order mark: invisible noise */
	case 0xFEFF:
		return -1;
	}
	utf8proc_category_t c = utf8proc_category(cp);
	if (c == UTF8PROC_CATEGORY_CC)
		return -1;
	if (c == UTF8PROC_CATEGORY_ZS) /* NBSP, U+2000..U+200A, U+202F, U+3000 ... */
		return ' ';
	return cp;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static void trim(char *s)
{
	size_t a = 0, n = strlen(s);
	while (a < n && is_blank(s[a]))
		a++;
	while (n > a && is_blank(s[n - 1]))
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = 0;
}

/* Is s ASCII and Latin letters that are NFC as they stand and compose with
 * nothing around them: U+00C0-U+024F but Ð and ð (which vtext_normalize
 * mends), and U+1E00-U+1EFF, which hold every Vietnamese letter? (None of
 * them decomposes to something else, has a combining class or is the
 * second of a composition; a combining mark, outside these ranges, sends
 * the text the long way.) Such text is its own NFC. */
/* The code point at *p if it is ASCII or in U+00C0-U+024F or U+1E00-U+1EFF
 * (*p moves past it), else -1. */
static cp_t latin_next(const unsigned char **p)
{
	const unsigned char *q = *p;
	cp_t cp;
	if (q[0] < 0x80) {
		cp = q[0];
		*p += 1;
	} else if (q[0] >= 0xC3 && q[0] <= 0xC9 && (q[1] & 0xC0) == 0x80) {
		cp = ((cp_t)(q[0] & 0x1F) << 6) | (q[1] & 0x3F);
		*p += 2;
	} else if (q[0] == 0xE1 && q[1] >= 0xB8 && q[1] <= 0xBB && (q[2] & 0xC0) == 0x80) {
		cp = 0x1000 | ((cp_t)(q[1] & 0x3F) << 6) | (q[2] & 0x3F);
		*p += 3;
	} else {
		return -1;
	}
	return cp > 0x24F && cp < 0x1E00 ? -1 : cp;
}

static int is_plain_latin(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		cp_t cp = latin_next(&p);
		if (cp < 0 || cp == 0x00D0 || cp == 0x00F0)
			return 0;
	}
	return 1;
}

/* vtext_normalize of ASCII (or is_plain_latin text), its own NFC: control
 * characters go (as mend_cp drops them), tabs and newlines stay. */
static char *normalize_ascii(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	for (; *s; s++)
		if ((unsigned char)*s >= 0x20 ? *s != 0x7F : *s == '\n' || *s == '\t')
			*o++ = *s;
	*o = 0;
	trim(out);
	return out;
}

char *vtext_normalize(const char *s, const char *field, struct err *e)
{
	if (!s)
		s = "";
	if (is_plain_latin(s)) /* ASCII, or Vietnamese written in NFC */
		return normalize_ascii(s);
	struct buf b = BUF_INIT;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		cp_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &cp);
		if (k < 0) {
			buf_free(&b);
			err_set(e, ERR_INVALID, field,
				"Văn bản không phải UTF-8 hợp lệ (byte thứ %zu)", i + 1);
			return NULL;
		}
		i += (size_t)k;
		/* Mend before composing, so a dropped control character cannot
		 * leave a base letter and its mark uncomposed. */
		cp = mend_cp(cp);
		if (cp >= 0)
			put_cp(&b, cp);
	}
	char *out = nfc(buf_cstr(&b));
	buf_free(&b);
	trim(out);
	return out;
}

int vtext_has_lookalike(const char *s)
{
	return s && (strstr(s, "\xC3\x90") || strstr(s, "\xC3\xB0"));
}

char *vtext_exact_key(const char *s)
{
	char *t = vtext_tone_canonical(s ? s : "");
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)t, 0, &out,
					  UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
						  UTF8PROC_CASEFOLD);
	free(t);
	if (n < 0)
		return xstrdup("");
	char *r = xstrdup((const char *)out);
	free(out);
	return r;
}

/* ---- search keys ---- */

/* đ, Đ and their look-alikes (Eth, African D), which have no decomposition. */
static int is_dbar(cp_t cp)
{
	return cp == 0x0111 || cp == 0x0110 || cp == 0x00F0 || cp == 0x00D0 || cp == 0x0256 ||
	       cp == 0x0189;
}

static char *fold_slow(const char *s);

/* What vtext_fold makes of each Latin letter of latin_next's ranges: its
 * ASCII letter or digit, FOLD_GAP (a gap between words), FOLD_NONE
 * (nothing) or FOLD_SLOW (more: the string goes the long way). Each is what
 * fold_slow makes of the letter between two others, so a string of them
 * folds as fold_slow folds it (decomposing, folding case and stripping
 * marks act letter by letter when no mark follows). */
enum { FOLD_GAP = 1, FOLD_NONE = 2, FOLD_SLOW = 3 };
static unsigned char latin_fold[0x1F00 - 0xC0];
static pthread_once_t latin_fold_once = PTHREAD_ONCE_INIT;

static void latin_fold_build(void)
{
	for (cp_t cp = 0xC0; cp < 0x1F00; cp++) {
		if (cp > 0x24F && cp < 0x1E00)
			continue;
		struct buf b = BUF_INIT;
		buf_putc(&b, 'a');
		put_cp(&b, cp);
		buf_putc(&b, 'b');
		char *f = fold_slow(buf_cstr(&b));
		unsigned char v = FOLD_SLOW;
		if (!strcmp(f, "a b"))
			v = FOLD_GAP;
		else if (!strcmp(f, "ab"))
			v = FOLD_NONE;
		else if (strlen(f) == 3 && f[0] == 'a' && f[2] == 'b' && isalnum((unsigned char)f[1]))
			v = (unsigned char)f[1];
		latin_fold[cp - 0xC0] = v;
		free(f);
		buf_free(&b);
	}
}

/* vtext_fold of a string of ASCII and latin_next's letters by the table
 * (ASCII letters lowered, digits kept, anything else a gap), or NULL when a
 * letter needs the long way. */
static char *fold_latin(const char *s)
{
	pthread_once(&latin_fold_once, latin_fold_build);
	char *out = xmalloc(strlen(s) + 1), *o = out;
	int gap = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		cp_t cp = latin_next(&p);
		int c;
		if (cp < 0 || (cp >= 0x80 && latin_fold[cp - 0xC0] == FOLD_SLOW) ||
		    (cp >= 0x80 && cp < 0xC0)) {
			free(out);
			return NULL;
		}
		if (cp < 0x80)
			c = cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp;
		else if (latin_fold[cp - 0xC0] == FOLD_NONE)
			continue;
		else
			c = latin_fold[cp - 0xC0] == FOLD_GAP ? ' ' : latin_fold[cp - 0xC0];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			gap = o > out;
			continue;
		}
		if (gap)
			*o++ = ' ';
		gap = 0;
		*o++ = (char)c;
	}
	*o = 0;
	return out;
}

char *vtext_fold(const char *s)
{
	char *f = s ? fold_latin(s) : NULL;
	return f ? f : fold_slow(s);
}

static char *fold_slow(const char *s)
{
	utf8proc_uint8_t *d = NULL;
	if (!s || utf8proc_map((const utf8proc_uint8_t *)s, 0, &d,
			       UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
				       UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK) < 0)
		return xstrdup("");
	struct buf b = BUF_INIT;
	int gap = 0;
	for (const utf8proc_uint8_t *p = d; *p;) {
		cp_t cp;
		p += utf8proc_iterate(p, -1, &cp);
		if (is_dbar(cp))
			cp = 'd';
		if (!is_alnum(cp)) {
			gap = b.len > 0;
			continue;
		}
		if (gap)
			buf_putc(&b, ' ');
		gap = 0;
		put_cp(&b, cp);
	}
	free(d);
	return buf_detach(&b);
}

char *vtext_upper(const char *s)
{
	utf8proc_uint8_t *n = NULL;
	struct buf b = BUF_INIT;
	if (utf8proc_map((const utf8proc_uint8_t *)(s ? s : ""), 0, &n,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0)
		return buf_detach(&b);
	for (const utf8proc_uint8_t *p = n; *p;) {
		cp_t cp;
		p += utf8proc_iterate(p, -1, &cp);
		put_cp(&b, utf8proc_toupper(cp));
	}
	free(n);
	return buf_detach(&b);
}

/* True when some word of folded text t starts with the n bytes at w. */
static int has_word_prefix(const char *t, const char *w, size_t n)
{
	for (const char *p = t; *p;) {
		if (strncmp(p, w, n) == 0)
			return 1;
		p = strchr(p, ' ');
		if (!p)
			return 0;
		p++;
	}
	return 0;
}

int vtext_matches(const char *text, const char *query)
{
	char *t = vtext_fold(text), *q = vtext_fold(query);
	int ok = 1;
	for (const char *w = q; *w && ok;) {
		size_t n = strcspn(w, " ");
		ok = has_word_prefix(t, w, n);
		w += n;
		if (*w == ' ')
			w++;
	}
	free(t);
	free(q);
	return ok;
}

/* ---- tone placement ---- */

static int is_tone(cp_t c)
{
	return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

/* Whether a circumflex, breve or horn belongs on vowel v (â ê ô, ă, ơ ư). */
static int quality_fits(char v, cp_t mark)
{
	switch (mark) {
	case 0x302:
		return v == 'a' || v == 'e' || v == 'o';
	case 0x306:
		return v == 'a';
	case 0x31B:
		return v == 'o' || v == 'u';
	default:
		return 0;
	}
}

struct syl_letter {
	size_t end;  /* one past the letter's marks in the code point array */
	char c;	     /* the letter in ASCII lower case, 0 when not ASCII */
	int vowel;   /* a e i o u y */
	int quality; /* carries a circumflex, breve or horn */
};

#define SYL_MAX 12

/* In "qu" and "gi" before another vowel the u and i belong to the onset. */
static size_t skip_glide(const struct syl_letter *L, size_t n, size_t i)
{
	if (i + 1 >= n || !L[i + 1].vowel || L[i].quality)
		return i;
	if (i >= 1 && L[i - 1].c == 'q' && L[i].c == 'u')
		return i + 1;
	if (i == 1 && L[0].c == 'g' && L[i].c == 'i')
		return i + 1;
	return i;
}

static int valid_final(const struct syl_letter *L, size_t n)
{
	static const char *const finals[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};
	char f[3] = "";
	if (n > 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(f[i] = L[i].c))
			return 0;
	for (size_t i = 0; i < sizeof finals / sizeof finals[0]; i++)
		if (strcmp(f, finals[i]) == 0)
			return 1;
	return 0;
}

/* The letter that carries the tone in the old style of the 2025 lists: the
 * vowel with a quality mark (the last one: ươ -> ơ); else the middle of three
 * vowels; of two, the first in an open syllable (hòa, thủy, khỏe, múa) and
 * the second before a final consonant (hoàng, toán). -1 when the word is not a
 * Vietnamese syllable, which is then left alone. */
static int tone_target(const struct syl_letter *L, size_t n, size_t *k)
{
	size_t i = 0;
	while (i < n && !L[i].vowel)
		i++;
	if (i == n)
		return -1;
	i = skip_glide(L, n, i);
	size_t j = i;
	while (j < n && L[j].vowel)
		j++;
	size_t nv = j - i;
	if (nv > 3 || !valid_final(L + j, n - j))
		return -1;
	for (size_t t = j; t-- > i;)
		if (L[t].quality) {
			*k = t;
			return 0;
		}
	if (nv == 3)
		*k = i + 1;
	else if (nv == 2 && j < n)
		*k = i + 1;
	else
		*k = i;
	return 0;
}

/* Moves the mark at from so it sits just before index to. */
static void move_mark(cp_t *cp, size_t from, size_t to)
{
	cp_t m = cp[from];
	if (from < to) {
		memmove(cp + from, cp + from + 1, (to - from - 1) * sizeof *cp);
		cp[to - 1] = m;
	} else if (from > to) {
		memmove(cp + to + 1, cp + to, (from - to) * sizeof *cp);
		cp[to] = m;
	}
}

/* Puts the one tone mark of the NFD word cp[start..end) on its canonical
 * vowel. Words with no tone, two tones or foreign marks are left alone. */
static void fix_syllable(cp_t *cp, size_t start, size_t end)
{
	struct syl_letter L[SYL_MAX];
	size_t n = 0, tone = (size_t)-1;
	for (size_t i = start; i < end; i++) {
		if (is_mark(cp[i])) {
			if (n == 0)
				return;
			if (is_tone(cp[i])) {
				if (tone != (size_t)-1)
					return;
				tone = i;
			} else if (!L[n - 1].quality && quality_fits(L[n - 1].c, cp[i])) {
				L[n - 1].quality = 1;
			} else {
				return;
			}
			L[n - 1].end = i + 1;
			continue;
		}
		if (n == SYL_MAX)
			return;
		char c = cp[i] < 128 ? (char)tolower((int)cp[i]) : 0;
		L[n++] = (struct syl_letter){i + 1, c, c && strchr("aeiouy", c) != NULL, 0};
	}
	size_t k;
	if (tone == (size_t)-1 || tone_target(L, n, &k) < 0)
		return;
	move_mark(cp, tone, L[k].end);
}

/* The NFD code points of s into *out (malloc'd); their count, or -1. */
static utf8proc_ssize_t decompose(const char *s, cp_t **out)
{
	const utf8proc_option_t opt = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_DECOMPOSE;
	utf8proc_ssize_t cap = (utf8proc_ssize_t)strlen(s) + 1;
	cp_t *cp = xmalloc((size_t)cap * sizeof *cp);
	utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s, 0, cp, cap, opt);
	if (n > cap) {
		cp = xrealloc(cp, (size_t)n * sizeof *cp);
		n = utf8proc_decompose((const utf8proc_uint8_t *)s, 0, cp, n, opt);
	}
	if (n < 0) {
		free(cp);
		return -1;
	}
	*out = cp;
	return n;
}

char *vtext_tone_canonical(const char *s)
{
	cp_t *cp = NULL;
	utf8proc_ssize_t sn = decompose(s ? s : "", &cp);
	if (sn < 0)
		return xstrdup("");
	size_t n = (size_t)sn;
	for (size_t i = 0; i < n;) {
		if (!is_letter(cp[i])) {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && (is_letter(cp[j]) || is_mark(cp[j])))
			j++;
		fix_syllable(cp, i, j);
		i = j;
	}
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		put_cp(&b, cp[i]);
	free(cp);
	char *out = nfc(buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* ---- tokens of a figure: "trên 24,7 tỷ đồng" ---- */

enum tok_kind { TK_NUM, TK_WORD, TK_SYM };

struct tok {
	enum tok_kind kind;
	const char *at; /* in the normalised input */
	size_t len;
	cp_t sym;      /* TK_SYM: the code point */
	char word[24]; /* TK_WORD: folded; "" when too long to be a keyword */
};

#define TOK_MAX 24

struct toks {
	struct tok t[TOK_MAX];
	size_t n;
};

/* Three digits and no fourth: a thousands group after a space ("1 000"). */
static int group3(const char *p)
{
	return is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && !is_digit(p[3]);
}

/* The end of the numeral at p: digits joined by '.', ',' or by a space before
 * a group of three. Whether it reads well is numeral_value()'s concern. */
static const char *lex_numeral(const char *p)
{
	const char *q = p;
	while (is_digit(*q))
		q++;
	int spaced = q - p <= 3;
	for (;;) {
		if ((*q == '.' || *q == ',') && is_digit(q[1])) {
			spaced = 0;
			for (q++; is_digit(*q);)
				q++;
		} else if (spaced && *q == ' ' && group3(q + 1)) {
			q += 4;
		} else {
			return q;
		}
	}
}

/* The end of the word (letters and their marks) at p; its folded form to w. */
static const char *lex_word(const char *p, char *w, size_t wsize)
{
	const char *q = p;
	cp_t cp;
	for (;;) {
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)q, -1, &cp);
		if (k <= 0 || !(is_letter(cp) || is_mark(cp)))
			break;
		q += k;
	}
	char *raw = xstrndup(p, (size_t)(q - p));
	char *f = vtext_fold(raw);
	if (strlen(f) < wsize)
		strcpy(w, f);
	else
		w[0] = 0;
	free(raw);
	free(f);
	return q;
}

/* Splits normalised text s into tokens; -1 when there are too many. */
static int tokenize(const char *s, struct toks *tk)
{
	const char *p = s;
	tk->n = 0;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			return 0;
		if (tk->n == TOK_MAX)
			return -1;
		struct tok *t = &tk->t[tk->n++];
		memset(t, 0, sizeof *t);
		t->at = p;
		cp_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
		if (is_digit(*p)) {
			t->kind = TK_NUM;
			p = lex_numeral(p);
		} else if (is_letter(cp)) {
			t->kind = TK_WORD;
			p = lex_word(p, t->word, sizeof t->word);
		} else {
			t->kind = TK_SYM;
			t->sym = cp;
			p += k;
		}
		t->len = (size_t)(p - t->at);
	}
}

/* When the words at tk[i..] spell phrase (folded words, one space apart),
 * returns how many tokens it takes, else 0. */
static size_t match_phrase(const struct toks *tk, size_t i, const char *phrase)
{
	size_t k = 0;
	for (const char *p = phrase; *p; k++) {
		size_t n = strcspn(p, " ");
		if (i + k >= tk->n || tk->t[i + k].kind != TK_WORD)
			return 0;
		const char *w = tk->t[i + k].word;
		if (strlen(w) != n || strncmp(w, p, n) != 0)
			return 0;
		p += n;
		if (*p == ' ')
			p++;
	}
	return k;
}

static int is_dash(cp_t c)
{
	return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

/* ---- numerals ---- */

static const char msg_dot[] = "dấu chấm phân cách hàng nghìn phải có đúng 3 chữ số sau nó "
			      "(9.590); phần thập phân viết sau dấu phẩy (24,7)";
static const char msg_big[] = "số quá lớn";

/* The digits of a numeral ("9.590", "24,7", "1 000") as mantissa and count of
 * decimals; NULL, or why the numeral is refused. */
static const char *numeral_value(const char *p, size_t n, int64_t *mant, int *ndec)
{
	int64_t m = 0;
	int dec = -1;  /* digits after the comma, -1 before it */
	int group = 0; /* digits since the last separator */
	char sep = 0;  /* the thousands separator in use */
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (is_digit(c)) {
			if (m > (INT64_MAX - (c - '0')) / 10)
				return msg_big;
			m = m * 10 + (c - '0');
			group++;
			if (dec >= 0)
				dec++;
		} else if (c == ',') {
			if (dec >= 0)
				return "chỉ được một dấu phẩy thập phân; "
				       "hàng nghìn phân cách bằng dấu chấm (1.234.567)";
			if (sep && group != 3)
				return msg_dot;
			dec = 0;
		} else {
			if (dec >= 0)
				return "sau dấu phẩy thập phân không được có dấu chấm";
			if (sep && sep != c)
				return "không được trộn dấu chấm và khoảng trắng "
				       "để phân cách hàng nghìn";
			if (sep ? group != 3 : group > 3)
				return msg_dot;
			sep = c;
			group = 0;
		}
	}
	if (sep && dec < 0 && group != 3)
		return msg_dot;
	*mant = m;
	*ndec = dec < 0 ? 0 : dec;
	return NULL;
}

/* ---- figures and quantities ---- */

enum unit { UNIT_NONE, UNIT_PERCENT, UNIT_VND, UNIT_USD };
enum qkind { Q_NUMBER, Q_PERCENT, Q_MONEY };

/* One number as written: "24,7 tỷ đồng". */
struct figure {
	int64_t mant;	/* its digits */
	int ndec;	/* how many of them follow the comma */
	int neg;	/* written with a minus sign */
	int exp;	/* power of ten of the multiplier words (tỷ: 9) */
	enum unit unit; /* % or a currency, when written */
};

struct quantity {
	enum vqual qual;
	struct figure lo, hi;
};

struct qparse {
	const struct toks *tk;
	size_t i;
	enum qkind kind;
	const char *text; /* the normalised input, for messages */
	const char *field;
	struct err *e;
};

static const struct {
	const char *words;
	enum vqual q;
} qual_words[] = {
	{"tren", VQ_AT_LEAST},	    {"hon", VQ_AT_LEAST},   {"it nhat", VQ_AT_LEAST},
	{"toi thieu", VQ_AT_LEAST}, {"tu", VQ_AT_LEAST},    {"khoang", VQ_ABOUT},
	{"gan", VQ_NEARLY},	    {"xap xi", VQ_ABOUT},   {"chung", VQ_ABOUT},
	{"uoc tinh", VQ_ABOUT},	    {"duoi", VQ_AT_MOST},   {"toi da", VQ_AT_MOST},
	{"khong qua", VQ_AT_MOST},  {"it hon", VQ_AT_MOST},
};

static const struct {
	const char *word;
	int exp;
} mult_words[] = {
	{"nghin", 3}, {"ngan", 3}, {"trieu", 6}, {"ty", 9}, {"ti", 9},
	/* Shorthand of notes and messages: "500tr", "500k", "1,5trđ". */
	{"k", 3},     {"tr", 6},   {"trd", 6},
};

/* Longer phrases first: "đô la Mỹ" before "đô". */
static const struct {
	const char *words;
	enum unit unit;
} currency_words[] = {
	{"dong", UNIT_VND},  {"vnd", UNIT_VND}, {"d", UNIT_VND},  {"do la my", UNIT_USD},
	{"do la", UNIT_USD}, {"usd", UNIT_USD}, {"do", UNIT_USD},
};

static int refuse(struct qparse *qp, const char *why)
{
	return err_set(qp->e, ERR_INVALID, qp->field, "\"%.*s\": %s", clip(qp->text, 80), qp->text,
		       why);
}

static const struct tok *cur(const struct qparse *qp)
{
	return qp->i < qp->tk->n ? &qp->tk->t[qp->i] : NULL;
}

/* The qualifier words before the number: all of them or none must be known. */
static int parse_qual(struct qparse *qp, enum vqual *qual)
{
	*qual = VQ_EXACT;
	if (!cur(qp) || cur(qp)->kind != TK_WORD)
		return 0;
	for (size_t i = 0; i < sizeof qual_words / sizeof qual_words[0]; i++) {
		size_t k = match_phrase(qp->tk, qp->i, qual_words[i].words);
		if (k && (qp->i + k >= qp->tk->n || qp->tk->t[qp->i + k].kind != TK_WORD)) {
			qp->i += k;
			*qual = qual_words[i].q;
			return 0;
		}
	}
	return refuse(qp, "chữ đứng trước con số không phải từ chỉ mức (trên, hơn, khoảng, gần, "
			  "dưới, tối đa...)");
}

/* A minus sign touching the digits that follow it. */
static int at_sign(const struct qparse *qp)
{
	const struct tok *t = cur(qp);
	if (!t || t->kind != TK_SYM || (t->sym != '-' && t->sym != 0x2212) ||
	    qp->i + 1 >= qp->tk->n)
		return 0;
	const struct tok *next = t + 1;
	return next->kind == TK_NUM && next->at == t->at + t->len;
}

static void take_multipliers(struct qparse *qp, struct figure *f)
{
	for (const struct tok *t; (t = cur(qp)) && t->kind == TK_WORD;) {
		size_t i = 0, n = sizeof mult_words / sizeof mult_words[0];
		while (i < n && strcmp(t->word, mult_words[i].word) != 0)
			i++;
		if (i == n)
			return;
		f->exp += mult_words[i].exp;
		qp->i++;
	}
}

static void take_unit(struct qparse *qp, struct figure *f)
{
	const struct tok *t = cur(qp);
	if (!t)
		return;
	if (qp->kind == Q_PERCENT && t->kind == TK_SYM && t->sym == '%') {
		f->unit = UNIT_PERCENT;
		qp->i++;
	}
	if (qp->kind != Q_MONEY)
		return;
	for (size_t i = 0; i < sizeof currency_words / sizeof currency_words[0]; i++) {
		size_t k = match_phrase(qp->tk, qp->i, currency_words[i].words);
		if (k) {
			f->unit = currency_words[i].unit;
			qp->i += k;
			return;
		}
	}
}

/* One figure: [-]numeral [multiplier words] [unit]. */
static int parse_figure(struct qparse *qp, struct figure *f)
{
	memset(f, 0, sizeof *f);
	if (at_sign(qp)) {
		f->neg = 1;
		qp->i++;
	}
	const struct tok *t = cur(qp);
	if (!t || t->kind != TK_NUM)
		return refuse(qp, "thiếu con số");
	qp->i++;
	const char *why = numeral_value(t->at, t->len, &f->mant, &f->ndec);
	if (why)
		return refuse(qp, why);
	if (qp->kind != Q_PERCENT)
		take_multipliers(qp, f);
	take_unit(qp, f);
	return 0;
}

static int take_range_sep(struct qparse *qp)
{
	const struct tok *t = cur(qp);
	if (!t)
		return 0;
	if ((t->kind == TK_SYM && is_dash(t->sym)) ||
	    (t->kind == TK_WORD && (!strcmp(t->word, "den") || !strcmp(t->word, "toi")))) {
		qp->i++;
		return 1;
	}
	return 0;
}

/* The second end of a range lends its multiplier and unit to the first:
 * "5–7 triệu đồng", "5–7%". */
static int join_range(struct qparse *qp, struct figure *lo, struct figure *hi)
{
	if (!lo->exp)
		lo->exp = hi->exp;
	if (lo->unit && hi->unit && lo->unit != hi->unit)
		return refuse(qp, "hai đầu của khoảng khác đơn vị");
	if (!lo->unit)
		lo->unit = hi->unit;
	hi->unit = lo->unit;
	return 0;
}

static int refuse_trailing(struct qparse *qp, const struct figure *lo)
{
	const struct tok *t = cur(qp);
	if (t->kind == TK_NUM && qp->kind == Q_MONEY && lo->exp)
		return refuse(qp,
			      "ghi số tiền bằng một con số với một đơn vị, ví dụ \"1,2 tỷ đồng\" "
			      "(không ghi \"1 tỷ 200 triệu\")");
	char why[160];
	int n = clip(t->at, 60);
	snprintf(why, sizeof why, "thừa \"%.*s\" sau con số", n, t->at);
	return refuse(qp, why);
}

/* [qualifier] figure [dash figure], nothing else. */
static int parse_quantity(struct qparse *qp, struct quantity *q)
{
	int rc;
	if (qp->tk->n == 0)
		return refuse(qp, "chưa có con số");
	if ((rc = parse_qual(qp, &q->qual)) || (rc = parse_figure(qp, &q->lo)))
		return rc;
	q->hi = q->lo;
	if (take_range_sep(qp)) {
		if ((rc = parse_figure(qp, &q->hi)) || (rc = join_range(qp, &q->lo, &q->hi)))
			return rc;
		q->qual = VQ_RANGE;
	}
	if (cur(qp))
		return refuse_trailing(qp, &q->lo);
	return 0;
}

/* Normalises s into *text (caller frees) and parses it as a quantity. */
static int read_quantity(const char *s, enum qkind kind, struct quantity *q, char **text,
			 const char *field, struct err *e)
{
	struct toks tk;
	memset(q, 0, sizeof *q);
	*text = vtext_normalize(s, field, e);
	if (!*text)
		return ERR_INVALID;
	struct qparse qp = {&tk, 0, kind, *text, field, e};
	if (tokenize(*text, &tk) < 0)
		return refuse(&qp, "quá dài cho một con số");
	return parse_quantity(&qp, q);
}

/* mant·10^(exp+scale−ndec) into *v: 0, 1 when a fraction below the unit would
 * be lost, 2 on overflow. */
static int figure_value(const struct figure *f, int scale, int64_t *v)
{
	int64_t m = f->mant;
	int nd = f->ndec;
	while (nd > 0 && m % 10 == 0) {
		m /= 10;
		nd--;
	}
	int x = f->exp + scale - nd;
	if (x < 0 && m != 0)
		return 1;
	for (; x > 0 && m != 0; x--) {
		if (m > INT64_MAX / 10)
			return 2;
		m *= 10;
	}
	*v = f->neg ? -m : m;
	return 0;
}

/* Scales both ends of q into out; frac says why a fraction is refused. */
static int settle(const char *text, const struct quantity *q, int scale, const char *frac,
		  struct vnum *out, const char *field, struct err *e)
{
	struct qparse qp = {NULL, 0, Q_NUMBER, text, field, e};
	int rc = figure_value(&q->lo, scale, &out->value);
	if (!rc)
		rc = figure_value(&q->hi, scale, &out->value_hi);
	if (rc)
		return refuse(&qp, rc == 1 ? frac : msg_big);
	if (out->value_hi < out->value)
		return refuse(&qp, "số cuối khoảng nhỏ hơn số đầu");
	out->qual = q->qual;
	return 0;
}

int vtext_parse_number(const char *s, int scale, struct vnum *out, const char *field, struct err *e)
{
	struct quantity q;
	char *text = NULL;
	int rc;
	memset(out, 0, sizeof *out);
	if (scale < 0 || scale > 6)
		return err_set(e, ERR_INVALID, field, "Số chữ số thập phân %d ngoài khoảng 0..6",
			       scale);
	rc = read_quantity(s, Q_NUMBER, &q, &text, field, e);
	if (!rc) {
		char frac[96];
		snprintf(frac, sizeof frac, "chỉ được tối đa %d chữ số thập phân", scale);
		rc = settle(text, &q, scale, scale ? frac : "phải là số nguyên", out, field, e);
	}
	free(text);
	return rc;
}

int vtext_parse_money(const char *s, struct vnum *out, const char **currency, const char *field,
		      struct err *e)
{
	struct quantity q;
	char *text = NULL;
	memset(out, 0, sizeof *out);
	if (currency)
		*currency = "VND";
	int rc = read_quantity(s, Q_MONEY, &q, &text, field, e);
	int usd = q.lo.unit == UNIT_USD;
	if (!rc)
		rc = settle(text, &q, usd ? 2 : 0,
			    usd ? "số tiền lẻ dưới một cent" : "số tiền lẻ dưới một đồng", out,
			    field, e);
	if (!rc && currency)
		*currency = usd ? "USD" : "VND";
	free(text);
	return rc;
}

int vtext_parse_percent_at(const char *s, int scale, struct vnum *out, const char *field,
			   struct err *e)
{
	struct quantity q;
	char *text = NULL;
	memset(out, 0, sizeof *out);
	if (scale < 1 || scale > 6)
		return err_set(e, ERR_INVALID, field, "Số chữ số thập phân %d ngoài khoảng 1..6",
			       scale);
	int rc = read_quantity(s, Q_PERCENT, &q, &text, field, e);
	if (!rc) {
		char frac[128];
		if (scale == 1)
			snprintf(frac, sizeof frac, "%s",
				 "tỷ lệ phần trăm chỉ lấy một chữ số thập phân (71,7%)");
		else
			snprintf(frac, sizeof frac,
				 "tỷ lệ phần trăm chỉ lấy tối đa %d chữ số thập phân", scale);
		rc = settle(text, &q, scale, frac, out, field, e);
	}
	free(text);
	return rc;
}

int vtext_parse_percent(const char *s, struct vnum *out, const char *field, struct err *e)
{
	return vtext_parse_percent_at(s, 1, out, field, e);
}

/* ---- dates and periods ---- */

/* Reads min..max digits at *p into *v, advancing *p; -1 when the count is off. */
static int read_digits(const char **p, int min, int max, int *v)
{
	int n = 0, x = 0;
	while (is_digit((*p)[n])) {
		if (n == max)
			return -1;
		x = x * 10 + (*p)[n] - '0';
		n++;
	}
	if (n < min)
		return -1;
	*p += n;
	*v = x;
	return 0;
}

static int expect(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

/* dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd into *y, *m, *d; -1 on any other form. */
static int read_date(const char *p, int *y, int *m, int *d)
{
	if (strlen(p) == 10 && p[4] == '-')
		return read_digits(&p, 4, 4, y) || expect(&p, '-') || read_digits(&p, 2, 2, m) ||
				       expect(&p, '-') || read_digits(&p, 2, 2, d) || *p
			       ? -1
			       : 0;
	return read_digits(&p, 1, 2, d) || expect(&p, '/') || read_digits(&p, 1, 2, m) ||
			       expect(&p, '/') || read_digits(&p, 4, 4, y) || *p
		       ? -1
		       : 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

#define YEAR_MIN 1900
#define YEAR_MAX 2100

static void put_digits(char *p, int v, int width)
{
	for (int i = width; i-- > 0; v /= 10)
		p[i] = (char)('0' + v % 10);
}

int vtext_parse_date(const char *s, char iso[11], const char *field, struct err *e)
{
	int y, m, d, rc = 0;
	iso[0] = 0;
	char *t = vtext_normalize(s, field, e);
	if (!t)
		return ERR_INVALID;
	if (read_date(t, &y, &m, &d) < 0) {
		rc = err_set(e, ERR_INVALID, field,
			     "\"%.*s\" không phải ngày dạng dd/mm/yyyy (ví dụ 17/05/2016)",
			     clip(t, 80), t);
	} else if (y < YEAR_MIN || y > YEAR_MAX) {
		rc = err_set(e, ERR_INVALID, field, "Năm %d ngoài khoảng %d–%d", y, YEAR_MIN,
			     YEAR_MAX);
	} else if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
		rc = err_set(e, ERR_INVALID, field, "Ngày %02d/%02d/%04d không có trong lịch", d, m,
			     y);
	} else {
		put_digits(iso, y, 4);
		iso[4] = iso[7] = '-';
		put_digits(iso + 5, m, 2);
		put_digits(iso + 8, d, 2);
		iso[10] = 0;
	}
	free(t);
	return rc;
}

/* A year token: four plain digits within YEAR_MIN..YEAR_MAX; else -1. */
static int token_year(struct qparse *qp, int *y)
{
	const struct tok *t = cur(qp);
	int v = 0;
	if (!t || t->kind != TK_NUM || t->len != 4)
		return refuse(qp, "năm phải viết đủ 4 chữ số, ví dụ 2016 – 2020");
	for (size_t i = 0; i < 4; i++) {
		if (!is_digit(t->at[i]))
			return refuse(qp, "năm phải viết đủ 4 chữ số, ví dụ 2016 – 2020");
		v = v * 10 + t->at[i] - '0';
	}
	if (v < YEAR_MIN || v > YEAR_MAX)
		return refuse(qp, "năm ngoài khoảng 1900–2100");
	qp->i++;
	*y = v;
	return 0;
}

static int take_sym(struct qparse *qp, cp_t c)
{
	const struct tok *t = cur(qp);
	if (!t || t->kind != TK_SYM || t->sym != c)
		return 0;
	qp->i++;
	return 1;
}

/* [giai đoạn | năm | từ (năm)] [(] year [dash|đến [năm] year] [)] */
static int parse_years(struct qparse *qp, int *from, int *to)
{
	static const char *const lead[] = {"trong giai doan", "giai doan", "tu nam", "nam", "tu"};
	int rc;
	for (size_t i = 0; i < sizeof lead / sizeof lead[0]; i++) {
		size_t k = match_phrase(qp->tk, qp->i, lead[i]);
		if (k) {
			qp->i += k;
			break;
		}
	}
	int paren = take_sym(qp, '(');
	if ((rc = token_year(qp, from)))
		return rc;
	*to = *from;
	if (take_range_sep(qp)) {
		qp->i += match_phrase(qp->tk, qp->i, "nam");
		if ((rc = token_year(qp, to)))
			return rc;
	}
	if ((paren && !take_sym(qp, ')')) || cur(qp))
		return refuse(qp, "không phải giai đoạn dạng 2016 – 2020");
	if (*to < *from)
		return refuse(qp, "năm kết thúc trước năm bắt đầu");
	return 0;
}

int vtext_parse_period(const char *s, int *from_year, int *to_year, const char *field,
		       struct err *e)
{
	struct toks tk;
	int from = 0, to = 0, rc;
	*from_year = *to_year = 0;
	char *t = vtext_normalize(s, field, e);
	if (!t)
		return ERR_INVALID;
	struct qparse qp = {&tk, 0, Q_NUMBER, t, field, e};
	if (tokenize(t, &tk) < 0)
		rc = refuse(&qp, "quá dài cho một giai đoạn");
	else if (tk.n == 0)
		rc = refuse(&qp, "chưa có năm");
	else
		rc = parse_years(&qp, &from, &to);
	if (!rc) {
		*from_year = from;
		*to_year = to;
	}
	free(t);
	return rc;
}

/* ---- formatting ---- */

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static uint64_t pow10u(int n)
{
	uint64_t p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

/* v with a dot between each group of three digits. */
static void put_grouped(struct buf *b, uint64_t v)
{
	char d[24];
	int n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n--) {
		buf_putc(b, d[n]);
		if (n && n % 3 == 0)
			buf_putc(b, '.');
	}
}

void vtext_fmt_int(struct buf *b, int64_t v)
{
	if (v < 0)
		buf_putc(b, '-');
	put_grouped(b, magnitude(v));
}

void vtext_fmt_decimal(struct buf *b, int64_t v, int scale, int decimals)
{
	scale = scale < 0 ? 0 : scale > 18 ? 18 : scale;
	decimals = decimals < 0 ? 0 : decimals > scale ? scale : decimals;
	uint64_t div = pow10u(scale - decimals), mag = magnitude(v);
	uint64_t q = mag / div, r = mag % div;
	if (r && r >= div - r) /* round half away from zero */
		q++;
	uint64_t unit = pow10u(decimals), ip = q / unit, fp = q % unit;
	if (v < 0 && q)
		buf_putc(b, '-');
	put_grouped(b, ip);
	if (!fp)
		return;
	int n = decimals;
	for (; fp % 10 == 0; n--)
		fp /= 10;
	char d[20];
	for (int i = n; i-- > 0; fp /= 10)
		d[i] = (char)('0' + fp % 10);
	buf_putc(b, ',');
	buf_append(b, d, (size_t)n);
}

/* Exact: the largest of tỷ and triệu that shows the amount with at most three
 * decimals, else every đồng ("2,035 tỷ", "1.234,567 triệu", "1.234.567.891
 * đồng"): a reader sees the digits the source gave, nothing rounded away. */
void vtext_fmt_money(struct buf *b, int64_t dong)
{
	uint64_t mag = magnitude(dong);
	if (mag >= 1000000000ULL && mag % 1000000 == 0) {
		vtext_fmt_decimal(b, dong, 9, 3);
		buf_puts(b, " tỷ đồng");
	} else if (mag >= 1000000 && mag % 1000 == 0) {
		vtext_fmt_decimal(b, dong, 6, 3);
		buf_puts(b, " triệu đồng");
	} else {
		vtext_fmt_int(b, dong);
		buf_puts(b, " đồng");
	}
}

void vtext_fmt_usd(struct buf *b, int64_t cents)
{
	uint64_t mag = magnitude(cents);
	if (mag >= 100000000000ULL && mag % 100000000 == 0) {
		vtext_fmt_decimal(b, cents, 11, 3);
		buf_puts(b, " tỷ USD");
	} else if (mag >= 100000000 && mag % 100000 == 0) {
		vtext_fmt_decimal(b, cents, 8, 3);
		buf_puts(b, " triệu USD");
	} else {
		vtext_fmt_decimal(b, cents, 2, 2);
		buf_puts(b, " USD");
	}
}

void vtext_fmt_percent(struct buf *b, int64_t tenths)
{
	vtext_fmt_decimal(b, tenths, 1, 1);
	buf_putc(b, '%');
}

static int is_iso_date(const char *s)
{
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !is_digit(s[i]))
			return 0;
	return s[10] == 0;
}

void vtext_fmt_date(struct buf *b, const char *iso)
{
	if (!iso)
		return;
	if (!is_iso_date(iso)) {
		buf_puts(b, iso);
		return;
	}
	buf_append(b, iso + 8, 2);
	buf_putc(b, '/');
	buf_append(b, iso + 5, 2);
	buf_putc(b, '/');
	buf_append(b, iso, 4);
}

int vtext_is_digits(const char *s)
{
	return s && *s && s[strspn(s, "0123456789")] == '\0';
}

const char *vtext_fmt_qual(enum vqual q)
{
	switch (q) {
	case VQ_AT_LEAST:
		return "trên ";
	case VQ_ABOUT:
		return "khoảng ";
	case VQ_AT_MOST:
		return "tối đa ";
	case VQ_NEARLY:
		return "gần ";
	default:
		return "";
	}
}

static const char *const qual_codes[VQ_COUNT] = {"exact", "at_least", "about",
                                                 "at_most", "range", "nearly"};

const char *vtext_qual_code(enum vqual q)
{
	return q >= 0 && q < VQ_COUNT ? qual_codes[q] : "exact";
}

int vtext_qual_parse(const char *code)
{
	if (!code)
		return VQ_EXACT;
	for (int i = 0; i < VQ_COUNT; i++)
		if (!strcmp(code, qual_codes[i]))
			return i;
	return -1;
}
