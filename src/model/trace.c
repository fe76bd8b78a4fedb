/* trace.c - GTIN, lot codes, GS1 Digital Link and the Ed25519 signature of
 * trace URLs (libsodium). */
#include "model/trace.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_SETTING "trace.ed25519"

int gtin_check_digit(const char *digits, size_t n)
{
	/* GS1: weights 3 and 1 alternate from the digit left of the check digit. */
	int sum = 0, weight = 3;
	for (size_t i = n - 1; i-- > 0;) {
		if (digits[i] < '0' || digits[i] > '9')
			return -1;
		sum += (digits[i] - '0') * weight;
		weight = weight == 3 ? 1 : 3;
	}
	return (10 - sum % 10) % 10;
}

int gtin_check(const char *text, char out[GTIN_TEXT], struct err *e)
{
	char d[GTIN_TEXT];
	size_t n = 0;
	for (const char *p = text ? text : ""; *p; p++) {
		if (*p == ' ')
			continue; /* "893 4567 890123" as printed under a barcode */
		if (*p < '0' || *p > '9' || n == 14)
			return err_set(e, ERR_INVALID, "gtin",
				       "GTIN chỉ gồm 8, 12, 13 hoặc 14 chữ số / a GTIN has 8, 12, "
				       "13 or 14 "
				       "digits");
		d[n++] = *p;
	}
	d[n] = 0;
	if (n != 8 && n != 12 && n != 13 && n != 14)
		return err_set(e, ERR_INVALID, "gtin",
			       "GTIN chỉ gồm 8, 12, 13 hoặc 14 chữ số / a GTIN has 8, 12, 13 or 14 "
			       "digits");
	if (strspn(d, "0") == n)
		return err_set(e, ERR_INVALID, "gtin",
			       "GTIN không thể toàn số 0 / a GTIN cannot be all "
			       "zeros");
	int check = gtin_check_digit(d, n);
	if (check != d[n - 1] - '0')
		return err_set(
			e, ERR_INVALID, "gtin",
			"GTIN %s sai số kiểm tra (phải là %d) / GTIN %s has a wrong check digit "
			"(should be %d)",
			d, check, d, check);
	memset(out, '0', 14 - n);
	memcpy(out + 14 - n, d, n + 1);
	return 0;
}

int lot_code_check(const char *code, struct err *e)
{
	static const char ok[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._";
	size_t n = code ? strlen(code) : 0;
	if (n == 0 || n > LOT_CODE_MAX || strspn(code, ok) != n)
		return err_set(
			e, ERR_INVALID, "lot_code",
			"Mã lô gồm 1–20 ký tự: chữ không dấu, chữ số, - . _ / a lot code has 1–20 "
			"characters: A-Z, a-z, 0-9, - . _");
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes [s, end) once into out (size n): %XX escapes (a '%' without two
 * hex digits stays itself, as GS1's parser reads it), and '+' as a space
 * when plus_space (a query; in a path '+' is itself). -1 when it does not
 * fit or decodes to a NUL, which would cut the value short for every C
 * string after it. */
static int decode(const char *s, const char *end, char *out, size_t n, int plus_space)
{
	size_t k = 0;
	while (s < end) {
		int c = (unsigned char)*s++;
		int hi = c == '%' && end - s >= 2 ? hexval(s[0]) : -1,
		    lo = hi >= 0 ? hexval(s[1]) : -1;
		if (lo >= 0) {
			c = hi * 16 + lo;
			s += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (k + 1 >= n || c == 0)
			return -1;
		out[k++] = (char)c;
	}
	out[k] = 0;
	return 0;
}

/* GS1 General Specifications 7.11, character set 82: what AIs (10), (21),
 * (22) and the X attributes may hold. */
static int cset82(const char *v)
{
	static const char ok[] = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
				 "abcdefghijklmnopqrstuvwxyz";
	return *v && strspn(v, ok) == strlen(v);
}

static int all_digits(const char *v, size_t n)
{
	return n && strspn(v, "0123456789") >= n;
}

/* A date YYMMDD of GS1: day 00 means the end of the month. */
static int gs1_date(const char *v)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (strlen(v) != 6 || !all_digits(v, 6))
		return 0;
	int m = (v[2] - '0') * 10 + v[3] - '0', d = (v[4] - '0') * 10 + v[5] - '0';
	return m >= 1 && m <= 12 && d <= mdays[m - 1];
}

/* The query attributes known here: what a label of a lot may carry (GS1
 * General Specifications 3.2). kind: 'D' date, 'N' digits, 'X' set 82. */
struct dl_attr {
	const char *ai;
	unsigned char min, max;
	char kind;
};
static const struct dl_attr dl_attrs[] = {
	{"11", 6, 6, 'D'},  {"13", 6, 6, 'D'},	{"15", 6, 6, 'D'},  {"16", 6, 6, 'D'},
	{"17", 6, 6, 'D'},  {"30", 1, 8, 'N'},	{"37", 1, 8, 'N'},  {"7003", 10, 10, 'N'},
	{"90", 1, 30, 'X'}, {"91", 1, 90, 'X'}, {"92", 1, 90, 'X'}, {"93", 1, 90, 'X'},
	{"94", 1, 90, 'X'}, {"95", 1, 90, 'X'}, {"96", 1, 90, 'X'}, {"97", 1, 90, 'X'},
	{"98", 1, 90, 'X'}, {"99", 1, 90, 'X'}, {NULL, 0, 0, 0},
};

/* The rule of key, or NULL when it is not an attribute known here. Trade
 * measures 31nn..36nn (last digit: decimals 0..5) are N6, prices 392n N..15. */
static const struct dl_attr *attr_of(const char *key)
{
	static const struct dl_attr measure = {"3nnn", 6, 6, 'N'}, price = {"392n", 1, 15, 'N'};
	for (const struct dl_attr *a = dl_attrs; a->ai; a++)
		if (!strcmp(a->ai, key))
			return a;
	if (strlen(key) == 4 && key[0] == '3' && key[1] >= '1' && key[1] <= '6' && key[3] <= '5')
		return &measure;
	if (strlen(key) == 4 && !strncmp(key, "392", 3))
		return &price;
	return NULL;
}

int dlink_attr_check(const char *key, const char *value, struct err *e)
{
	if (!strcmp(key, "01") || !strcmp(key, "10") || !strcmp(key, "21") || !strcmp(key, "22"))
		return err_set(
			e, ERR_INVALID, key,
			"AI (%s) thuộc phần đường dẫn, không phải tham số / AI (%s) belongs in "
			"the path, not the query",
			key, key);
	const struct dl_attr *a = attr_of(key);
	if (!a)
		return err_set(
			e, ERR_INVALID, key,
			"AI (%s) không có hoặc không được hỗ trợ / unknown or unsupported AI "
			"(%s)",
			key, key);
	size_t n = strlen(value);
	int ok = n >= a->min && n <= a->max &&
		 (a->kind == 'D'   ? gs1_date(value)
		  : a->kind == 'N' ? all_digits(value, n)
				   : cset82(value));
	if (!ok)
		return err_set(e, ERR_INVALID, key,
			       "Giá trị AI (%s) không hợp lệ / invalid value of AI (%s)%s", key,
			       key, a->kind == 'D' ? ": YYMMDD" : "");
	return 0;
}

static int not_dlink(struct err *e)
{
	return err_set(e, ERR_INVALID, "path",
		       "Không phải GS1 Digital Link /01/{GTIN}[/22/…][/10/{lô}][/21/…] / not a GS1 "
		       "Digital Link path /01/{GTIN}[/22/…][/10/{lot}][/21/…]");
}

/* The query: s kept, known AIs checked, anything else ignored (GS1: a
 * resolver ignores what it does not use). */
static int dlink_query(const char *q, struct dlink *d, struct err *e)
{
	char seen[16][5];
	int nseen = 0, have_sig = 0;
	for (const char *p = q; p && *p;) {
		const char *end = p + strcspn(p, "&"), *eq = memchr(p, '=', (size_t)(end - p));
		char key[8], val[96];
		size_t klen = eq ? (size_t)(eq - p) : 0;
		if (eq && klen == 1 && *p == 's') {
			if (have_sig++)
				return err_set(e, ERR_INVALID, "s",
					       "Tham số s lặp lại / s given twice");
			if (decode(eq + 1, end, d->sig, sizeof d->sig, 1) < 0)
				d->sig_bad = 1;
			d->sig_bad |= !d->sig[0];
		} else if (eq && all_digits(p, klen)) {
			if (klen >= sizeof key)
				klen = sizeof key - 1; /* still numeric, still unknown */
			memcpy(key, p, klen);
			key[klen] = 0;
			if (decode(eq + 1, end, val, sizeof val, 1) < 0)
				return err_set(
					e, ERR_INVALID, key,
					"Giá trị AI (%s) không hợp lệ / invalid value of AI (%s)",
					key, key);
			if (dlink_attr_check(key, val, e) < 0)
				return ERR_INVALID;
			for (int i = 0; i < nseen; i++)
				if (!strcmp(seen[i], key))
					return err_set(e, ERR_INVALID, key,
						       "AI (%s) lặp lại / AI (%s) given twice", key,
						       key);
			if (nseen == 16)
				return err_set(e, ERR_INVALID, key,
					       "Quá nhiều AI / too many AIs (at most 16)");
			memcpy(seen[nseen++], key, sizeof seen[0]);
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int dlink_parse(const char *path, const char *query, struct dlink *d, struct err *e)
{
	static const char *const quals[] = {"22", "10", "21"}; /* GS1's order */
	memset(d, 0, sizeof *d);
	if (!path || strncmp(path, "/01/", 4))
		return not_dlink(e);
	const char *p = path + 4, *end = p + strcspn(p, "/");
	char gtin[32];
	if (decode(p, end, gtin, sizeof gtin, 0) < 0 || strchr(gtin, ' '))
		return err_set(e, ERR_INVALID, "gtin",
			       "GTIN chỉ gồm 8, 12, 13 hoặc 14 chữ số / a GTIN has 8, 12, 13 or 14 "
			       "digits");
	if (gtin_check(gtin, d->gtin, e) < 0)
		return ERR_INVALID;
	d->short_gtin = strlen(gtin) != 14;
	for (int next = 0; *end;) {
		const char *ai = end + 1, *v = strchr(ai, '/');
		int k = next;
		while (v && k < 3 &&
		       (strlen(quals[k]) != (size_t)(v - ai) ||
			strncmp(ai, quals[k], (size_t)(v - ai))))
			k++;
		if (!v || k == 3)
			return not_dlink(e);
		end = v + 1 + strcspn(v + 1, "/");
		char *out = k == 0 ? d->variant : k == 1 ? d->lot : d->serial;
		if (decode(v + 1, end, out, DL_VALUE_MAX + 1, 0) < 0 || !cset82(out))
			return err_set(
				e, ERR_INVALID, quals[k],
				"Giá trị AI (%s) phải có 1–20 ký tự GS1 (bộ 82), không có %%00 / "
				"AI (%s) takes 1–20 characters of GS1 set 82, no %%00",
				quals[k], quals[k]);
		next = k + 1;
	}
	return dlink_query(query, d, e);
}

void dlink_format(struct buf *b, const struct dlink *d)
{
	buf_printf(b, "/01/%s", d->gtin);
	if (d->variant[0])
		buf_printf(b, "/22/%t", d->variant);
	if (d->lot[0])
		buf_printf(b, "/10/%t", d->lot);
	if (d->serial[0])
		buf_printf(b, "/21/%t", d->serial);
}

void trace_path(struct buf *b, int64_t lot_id, const char *gtin14, const char *lot_code)
{
	if (gtin14 && strlen(gtin14) == 14 && lot_code && *lot_code) {
		struct dlink d = {0};
		snprintf(d.gtin, sizeof d.gtin, "%s", gtin14);
		snprintf(d.lot, sizeof d.lot, "%s", lot_code);
		dlink_format(b, &d);
	} else {
		buf_printf(b, "/t/%lld", (long long)lot_id);
	}
}

/* ---- keys and signatures -------------------------------------------- */

void trace_key_generate(struct trace_key *k)
{
	if (sodium_init() < 0)
		abort(); /* no entropy source: nothing can be signed safely */
	crypto_sign_keypair(k->pk, k->sk);
}

/* Reads the stored secret key; 1 when found and well formed. */
static int key_read(struct store *st, struct trace_key *k, struct err *e)
{
	struct stmt *s = store_prepare(st, "SELECT value FROM settings WHERE key = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind_text(s, 1, KEY_SETTING);
	int rc = stmt_step(s, e);
	int found = 0;
	if (rc == 1) {
		const char *v = stmt_text(s, 0);
		size_t len = 0;
		found = v &&
			sodium_base642bin(k->sk, sizeof k->sk, v, strlen(v), NULL, &len, NULL,
					  sodium_base64_VARIANT_ORIGINAL) == 0 &&
			len == sizeof k->sk;
	}
	stmt_done(s);
	if (rc < 0)
		return rc;
	if (rc == 1 && !found)
		return err_set(e, ERR_STORE, KEY_SETTING,
			       "the stored trace signing key is damaged (settings " KEY_SETTING
			       ")");
	if (found)
		crypto_sign_ed25519_sk_to_pk(k->pk, k->sk);
	return found;
}

int trace_key_load(struct store *st, struct trace_key *k, struct err *e)
{
	if (sodium_init() < 0)
		abort();
	int rc = key_read(st, k, e);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	struct trace_key fresh;
	trace_key_generate(&fresh);
	char text[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(text, sizeof text, fresh.sk, sizeof fresh.sk,
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(&fresh, sizeof fresh);
	/* The first pair stored wins; a server that lost the race reads it. */
	rc = store_run(st, e,
		       "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
		       "tt", KEY_SETTING, text);
	sodium_memzero(text, sizeof text);
	if (rc < 0)
		return rc;
	rc = key_read(st, k, e);
	if (rc == 0)
		return err_set(e, ERR_STORE, KEY_SETTING,
			       "the trace signing key could not be stored");
	return rc < 0 ? rc : 0;
}

void trace_sign(const struct trace_key *k, const char *path, char out[TRACE_SIG_TEXT])
{
	unsigned char sig[crypto_sign_BYTES];
	crypto_sign_detached(sig, NULL, (const unsigned char *)path, strlen(path), k->sk);
	sodium_bin2base64(out, TRACE_SIG_TEXT, sig, sizeof sig,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int trace_verify(const unsigned char pk[32], const char *path, const char *sig)
{
	if (!path || !sig || sodium_init() < 0)
		return 0;
	unsigned char raw[crypto_sign_BYTES];
	size_t len = 0;
	const char *end = NULL;
	if (strlen(sig) > TRACE_SIG_TEXT ||
	    sodium_base642bin(raw, sizeof raw, sig, strlen(sig), NULL, &len, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    len != sizeof raw || (end && *end))
		return 0;
	return crypto_sign_verify_detached(raw, (const unsigned char *)path, strlen(path), pk) == 0;
}

void trace_pk_text(const unsigned char pk[32], char out[TRACE_PK_TEXT])
{
	sodium_bin2base64(out, TRACE_PK_TEXT, pk, 32, sodium_base64_VARIANT_ORIGINAL);
}

void trace_signed_url(struct buf *b, const struct trace_key *k, const char *base, const char *path)
{
	char sig[TRACE_SIG_TEXT];
	trace_sign(k, path, sig);
	buf_printf(b, "%s%s?s=%s", base, path, sig);
}

/* ---- the public address --------------------------------------------- */

int trace_base_check(const char *v, struct err *e)
{
	const char *host = !v				? NULL
			   : !strncmp(v, "http://", 7)	? v + 7
			   : !strncmp(v, "https://", 8) ? v + 8
							: NULL;
	const char *rest = host ? host + strcspn(host, "/") : NULL;
	if (!host || rest == host || strlen(v) >= 256 || strpbrk(v, " \"'<>\\?#") ||
	    strspn(rest, "/") != strlen(rest))
		return err_set(e, ERR_INVALID, "KC_PUBLIC_URL",
			       "Địa chỉ công khai phải là http(s)://máy[:cổng], không có đường dẫn "
			       "(mã QR in /01/… ngay dưới nó): %.80s / the public URL must be "
			       "http(s)://host[:port] with no path (codes print /01/… right under "
			       "it): %.80s",
			       v ? v : "", v ? v : "");
	return 0;
}

/* Copies an http(s) URL without its trailing slashes; 0 when unusable. */
static int usable_base(const char *v, char *out, size_t n)
{
	if (trace_base_check(v, NULL) < 0 || strlen(v) >= n)
		return 0;
	snprintf(out, n, "%s", v);
	for (size_t len = strlen(out); len > 8 && out[len - 1] == '/'; len--)
		out[len - 1] = 0;
	return 1;
}

void trace_base_url(struct store *st, const char *host, const char *proto, char *out, size_t n)
{
	if (usable_base(getenv("KC_PUBLIC_URL"), out, n))
		return;
	if (st) {
		struct stmt *s = store_prepare(
			st, "SELECT value FROM settings WHERE key = 'public_url'", NULL);
		int found = 0;
		if (s && stmt_step(s, NULL) == 1)
			found = usable_base(stmt_text(s, 0), out, n);
		if (s)
			stmt_done(s);
		if (found)
			return;
	}
	static const char host_ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				      "0123456789.-:[]";
	int https = proto && !strcmp(proto, "https");
	if (host && *host && strlen(host) < 200 && strspn(host, host_ok) == strlen(host))
		snprintf(out, n, "%s://%s", https ? "https" : "http", host);
	else
		snprintf(out, n, "http://localhost");
}
