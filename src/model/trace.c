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

/* Copies the segment [s, end) to out (size n), decoding %XX; -1 when it
 * does not fit or an escape is malformed. */
static int segment(const char *s, const char *end, char *out, size_t n)
{
	size_t k = 0;
	while (s < end) {
		int c = (unsigned char)*s++;
		if (c == '%') {
			int hi = end - s >= 2 ? hexval(s[0]) : -1,
			    lo = end - s >= 2 ? hexval(s[1]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			s += 2;
		}
		if (k + 1 >= n || c == 0)
			return -1;
		out[k++] = (char)c;
	}
	out[k] = 0;
	return 0;
}

int dlink_parse(const char *path, struct dlink *out, struct err *e)
{
	const char *bad = "Không phải đường dẫn GS1 Digital Link /01/{GTIN}/10/{lô} / not a GS1 "
			  "Digital Link path /01/{GTIN}/10/{lot}";
	if (!path || strncmp(path, "/01/", 4))
		return err_set(e, ERR_INVALID, "path", "%s", bad);
	const char *g = path + 4, *slash = strchr(g, '/');
	char gtin[32];
	if (!slash || strncmp(slash, "/10/", 4) || segment(g, slash, gtin, sizeof gtin) < 0)
		return err_set(e, ERR_INVALID, "path", "%s", bad);
	const char *lot = slash + 4;
	if (strchr(lot, '/') || segment(lot, lot + strlen(lot), out->lot, sizeof out->lot) < 0)
		return err_set(e, ERR_INVALID, "path", "%s", bad);
	if (strchr(gtin, ' ') || gtin_check(gtin, out->gtin, e) < 0 ||
	    lot_code_check(out->lot, e) < 0)
		return ERR_INVALID;
	return 0;
}

void dlink_format(struct buf *b, const struct dlink *d)
{
	buf_printf(b, "/01/%s/10/%t", d->gtin, d->lot);
}

void trace_path(struct buf *b, int64_t lot_id, const char *gtin14, const char *lot_code)
{
	if (gtin14 && strlen(gtin14) == 14 && lot_code && *lot_code) {
		struct dlink d;
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

/* Copies an http(s) URL without its trailing slashes; 0 when unusable. */
static int usable_base(const char *v, char *out, size_t n)
{
	if (!v || (strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) || strlen(v) >= n ||
	    strpbrk(v, " \"'<>\\?#"))
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
