/* secret.c - libsodium wrappers for passwords and session tokens. */
#include "core/secret.h"

#include <sodium.h>
#include <string.h>

static char dummy_hash[crypto_pwhash_STRBYTES];

int secret_init(struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, ERR_IO, "", "libsodium failed to initialise");
	if (!dummy_hash[0]) {
		char pw[24];
		secret_password_generate(pw, 20);
		if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
		                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
			return err_set(e, ERR_IO, "", "out of memory while preparing password checks");
	}
	return 0;
}

const char *secret_dummy_hash(void)
{
	return dummy_hash;
}

int secret_password_ok(const char *password, struct err *e)
{
	size_t n = password ? strlen(password) : 0;
	if (n < PASSWORD_MIN)
		return err_set(e, ERR_INVALID, "password",
		               "Mật khẩu phải có ít nhất %d ký tự / the password needs at least %d characters",
		               PASSWORD_MIN, PASSWORD_MIN);
	if (n > PASSWORD_MAX)
		return err_set(e, ERR_INVALID, "password", "Mật khẩu quá dài / the password is too long");
	return 0;
}

int secret_password_hash(const char *password, char out[128], struct err *e)
{
	int rc = secret_password_ok(password, e);
	if (rc < 0)
		return rc;
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_set(e, ERR_IO, "password", "out of memory while hashing the password");
	return 0;
}

int secret_password_verify(const char *hash, const char *password)
{
	if (!hash || !password)
		return 0;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void secret_token(char out[TOKEN_TEXT])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, TOKEN_TEXT, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void secret_token_hash(const char *s, char out[HASH_TEXT])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(out, HASH_TEXT, h, sizeof h);
}

void secret_password_generate(char *out, size_t n)
{
	/* No look-alikes (0/O, 1/l/I) so a printed password can be typed. */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[n] = 0;
}

int secret_equal(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return 0;
	return sodium_memcmp(a, b, n) == 0;
}
