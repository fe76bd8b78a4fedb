/* secret.h - passwords, random tokens and their hashes (libsodium). */
#ifndef KC_SECRET_H
#define KC_SECRET_H

#include "core/err.h"

#include <stddef.h>

enum { PASSWORD_MIN = 10, PASSWORD_MAX = 1024 };
enum { TOKEN_TEXT = 44, HASH_TEXT = 65 }; /* sizes with the NUL */
/* Password hashes computed at once (each takes 64 MiB); more callers wait. */
enum { SECRET_HASHING_MAX = 2 };

/* Initialises libsodium; call once at start-up (cheap: it hashes nothing).
 * Returns 0 or ERR_IO. */
int secret_init(struct err *e);
/* An argon2id hash string with the parameters of secret_password_hash and a
 * random salt and digest, made by secret_init(): verifying against it costs
 * the same as a real check and never matches, so unknown usernames take as
 * long. */
const char *secret_dummy_hash(void);
/* Checks the password policy: length PASSWORD_MIN..PASSWORD_MAX, not blanks
 * only, not a run of digits or a few characters repeated, not a common
 * password (data/passwords/common.txt) with or without digits or signs at
 * its ends. ERR_INVALID naming "password". */
int secret_password_ok(const char *password, struct err *e);
/* Hashes password with argon2id (crypto_pwhash_str, interactive limits) into
 * out[crypto_pwhash_STRBYTES=128]. Returns 0 or < 0 (policy or memory). */
int secret_password_hash(const char *password, char out[128], struct err *e);
/* 1 when password matches the stored hash, 0 otherwise. Like
 * secret_password_hash, waits while SECRET_HASHING_MAX others hash. */
int secret_password_verify(const char *hash, const char *password);
/* For tests: hook(0) when a caller finds every hashing slot taken and waits,
 * hook(1) once it holds one, before it hashes. NULL removes it. */
void secret_set_gate_hook(void (*hook)(int admitted));
/* Fills out[TOKEN_TEXT] with 256 random bits as unpadded base64url. */
void secret_token(char out[TOKEN_TEXT]);
/* Fills out[HASH_TEXT] with the hex BLAKE2b-256 of s: what is stored for a token. */
void secret_token_hash(const char *s, char out[HASH_TEXT]);
/* Generates a readable random password of n (>= PASSWORD_MIN) letters and digits. */
void secret_password_generate(char *out, size_t n);
/* Constant-time comparison of two C strings; 1 when equal. */
int secret_equal(const char *a, const char *b);

#endif
