/* secret.c - libsodium wrappers for passwords and session tokens. */
#include "core/secret.h"

#include "core/embed.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static char dummy_hash[crypto_pwhash_STRBYTES];

/* At most SECRET_HASHING_MAX argon2id hashes at once (64 MiB each): more
 * logins wait for a slot, never fail. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_free = PTHREAD_COND_INITIALIZER;
static int hashing;
static void (*gate_hook)(int admitted);

void secret_set_gate_hook(void (*hook)(int admitted))
{
	gate_hook = hook;
}

static void gate_enter(void)
{
	pthread_mutex_lock(&gate_lock);
	if (hashing >= SECRET_HASHING_MAX && gate_hook) {
		pthread_mutex_unlock(&gate_lock);
		gate_hook(0);
		pthread_mutex_lock(&gate_lock);
	}
	while (hashing >= SECRET_HASHING_MAX)
		pthread_cond_wait(&gate_free, &gate_lock);
	hashing++;
	pthread_mutex_unlock(&gate_lock);
	if (gate_hook)
		gate_hook(1);
}

static void gate_leave(void)
{
	pthread_mutex_lock(&gate_lock);
	hashing--;
	pthread_cond_signal(&gate_free);
	pthread_mutex_unlock(&gate_lock);
}

/* The dummy is written, not computed: random salt and digest under the same
 * argon2id parameters as secret_password_hash, so checking a password
 * against it costs a real check and never succeeds, and start-up (every
 * command) does not spend a 64 MiB hash making it. */
static void make_dummy(void)
{
	unsigned char salt[crypto_pwhash_SALTBYTES], digest[32];
	char salt64[sodium_base64_ENCODED_LEN(sizeof salt,
					      sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
	char digest64[sodium_base64_ENCODED_LEN(sizeof digest,
						sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
	randombytes_buf(salt, sizeof salt);
	randombytes_buf(digest, sizeof digest);
	sodium_bin2base64(salt64, sizeof salt64, salt, sizeof salt,
			  sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	sodium_bin2base64(digest64, sizeof digest64, digest, sizeof digest,
			  sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	snprintf(dummy_hash, sizeof dummy_hash, "$argon2id$v=19$m=%u,t=%u,p=1$%s$%s",
		 (unsigned)(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024),
		 (unsigned)crypto_pwhash_OPSLIMIT_INTERACTIVE, salt64, digest64);
}

int secret_init(struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, ERR_IO, "", "libsodium failed to initialise");
	if (!dummy_hash[0])
		make_dummy();
	return 0;
}

const char *secret_dummy_hash(void)
{
	return dummy_hash;
}

/* 1 when word (lower case) is a line of the common-passwords list. */
static int listed(const char *word, size_t n)
{
	const struct embedded_file *f = embed_find(passwords_files, "common.txt");
	const char *p = f ? (const char *)f->data : "";
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && !memcmp(p, word, n))
			return 1;
		p += len + (end != NULL);
	}
	return 0;
}

/* A common password, or one with digits or signs added at its ends
 * ("password12", "!qwerty2024"), compared without case. */
static int common(const char *pw, size_t n)
{
	char low[PASSWORD_MAX + 1];
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)pw[i]);
	size_t a = 0, b = n;
	while (a < b && !isalpha((unsigned char)low[a]))
		a++;
	while (b > a && !isalpha((unsigned char)low[b - 1]))
		b--;
	return listed(low, n) || (b - a >= 4 && listed(low + a, b - a));
}

/* Blanks only, few distinct characters ("aaaaaaaaaa", "1212121212"), or
 * digits in a regular run ("1234567890", "9876543210", "2468024680"). */
static int trivial(const char *pw, size_t n)
{
	unsigned char seen[256] = {0};
	int distinct = 0, blank = 1, digits = 1, run = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pw[i];
		distinct += !seen[c]++;
		blank &= isspace(c) != 0;
		digits &= isdigit(c) != 0;
		if (i >= 2 && (pw[i] - pw[i - 1] + 10) % 10 != (pw[1] - pw[0] + 10) % 10)
			run = 0;
	}
	return blank || distinct < 4 || (digits && run);
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
	if (trivial(password, n) || common(password, n))
		return err_set(
			e, ERR_INVALID, "password",
			"Mật khẩu quá phổ biến hoặc dễ đoán, hãy chọn mật khẩu khác / the password "
			"is too common or easy to guess, choose another");
	return 0;
}

int secret_password_hash(const char *password, char out[128], struct err *e)
{
	int rc = secret_password_ok(password, e);
	if (rc < 0)
		return rc;
	gate_enter();
	rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			       crypto_pwhash_MEMLIMIT_INTERACTIVE);
	gate_leave();
	if (rc != 0)
		return err_set(e, ERR_IO, "password", "out of memory while hashing the password");
	return 0;
}

int secret_password_verify(const char *hash, const char *password)
{
	if (!hash || !password)
		return 0;
	gate_enter();
	int rc = crypto_pwhash_str_verify(hash, password, strlen(password));
	gate_leave();
	return rc == 0;
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
