/* test_secret.c - password policy and hashing, tokens and their hashes. */
#include "testutil.h"

#include "core/secret.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static int setup(void **state)
{
	(void)state;
	struct err e;
	return secret_init(&e) == 0 ? 0 : -1;
}

static void test_password_policy(void **state)
{
	(void)state;
	struct err e;
	err_clear(&e);
	assert_int_equal(secret_password_ok("123456789", &e), ERR_INVALID); /* 9 chars */
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.field, "password");
	assert_true(strlen(e.message) > 0);

	err_clear(&e);
	assert_int_equal(secret_password_ok("Cau-Long-B1", &e), 0); /* 11 chars */
	assert_int_equal(secret_password_ok("", &e), ERR_INVALID);
	assert_int_equal(secret_password_ok(NULL, &e), ERR_INVALID);

	char longpw[PASSWORD_MAX + 2];
	for (size_t i = 0; i < PASSWORD_MAX; i++)
		longpw[i] = (char)('a' + i % 26);
	longpw[PASSWORD_MAX] = 0;
	assert_int_equal(secret_password_ok(longpw, &e), 0);
	longpw[PASSWORD_MAX] = 'a';
	longpw[PASSWORD_MAX + 1] = 0;
	err_clear(&e);
	assert_int_equal(secret_password_ok(longpw, &e), ERR_INVALID);
	assert_string_equal(e.field, "password");

	/* Hashing refuses a short password too. */
	char out[128];
	err_clear(&e);
	assert_int_equal(secret_password_hash("short", out, &e), ERR_INVALID);
	assert_string_equal(e.field, "password");
}

/* Trivial and common passwords are refused wherever a password is set (the
 * three the probe got accepted first). */
static void test_common_passwords(void **state)
{
	(void)state;
	const char *bad[] = {"          ", "1234567890",   "password12",	 "0987654321",
			     "2468024680", "aaaaaaaaaaaa", "1212121212",	 "Password2024!",
			     "qwertyuiop", "!!iloveyou99", "\t\t\t\t\t \t\t\t\t"};
	struct err e;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err_clear(&e);
		assert_int_equal(secret_password_ok(bad[i], &e), ERR_INVALID);
		assert_string_equal(e.field, "password");
		assert_non_null(strstr(e.message, "too common or easy to guess"));
	}
	const char *good[] = {"Cau-Long-B1", "ngo-mon-hue-1802", "4719283056", "passwords-of-hue"};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		assert_int_equal(secret_password_ok(good[i], &e), 0);
	char out[128];
	assert_int_equal(secret_password_hash("password12", out, &e), ERR_INVALID);
}

static void test_hash_and_verify(void **state)
{
	(void)state;
	struct err e;
	char h1[128], h2[128];
	assert_int_equal(secret_password_hash("correct horse battery", h1, &e), 0);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_int_equal(secret_password_verify(h1, "correct horse battery"), 1);
	assert_int_equal(secret_password_verify(h1, "correct horse batterY"), 0);
	assert_int_equal(secret_password_verify(h1, ""), 0);
	assert_int_equal(secret_password_verify(h1, NULL), 0);
	assert_int_equal(secret_password_verify(NULL, "correct horse battery"), 0);
	assert_int_equal(secret_password_verify("not a hash", "correct horse battery"), 0);

	/* Salted: the same password hashes differently, and both verify. */
	assert_int_equal(secret_password_hash("correct horse battery", h2, &e), 0);
	assert_string_not_equal(h1, h2);
	assert_int_equal(secret_password_verify(h2, "correct horse battery"), 1);

	/* The dummy hash exists and matches nothing we would guess. */
	assert_int_equal(strncmp(secret_dummy_hash(), "$argon2id$", 10), 0);
	assert_int_equal(secret_password_verify(secret_dummy_hash(), "correct horse battery"), 0);
}

/* The dummy hash is written at start-up, not hashed, yet it is a well-formed
 * argon2id string under the very parameters real hashes use: checking a
 * password against it costs what a real check costs. */
static void test_dummy_hash_costs_a_real_check(void **state)
{
	(void)state;
	const char *d = secret_dummy_hash();
	assert_int_equal(crypto_pwhash_str_needs_rehash(d, crypto_pwhash_OPSLIMIT_INTERACTIVE,
							crypto_pwhash_MEMLIMIT_INTERACTIVE),
			 0);
	struct err e;
	char real[128];
	assert_int_equal(secret_password_hash("correct horse battery", real, &e), 0);
	/* the same parameter part as a real hash: "$argon2id$v=19$m=65536,t=2,p=1$" */
	size_t n = (size_t)(strchr(strchr(real + 1, '$') + 1, '$') - real);
	n = (size_t)(strchr(real + n + 1, '$') - real);
	assert_int_equal(strncmp(d, real, n + 1), 0);
	assert_int_equal(secret_password_verify(d, ""), 0);
}

/* Concurrent checks, each held once it has a hashing slot: when every
 * caller has either a slot or is waiting for one, exactly SECRET_HASHING_MAX
 * hold one; released, every check completes and succeeds. */
enum { CHECKERS = 5 };
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_moved = PTHREAD_COND_INITIALIZER;
static int admitted, waiting, released;
static char checked_hash[128];

static void gate_hook(int in)
{
	pthread_mutex_lock(&gate_lock);
	admitted += in;
	waiting += !in;
	pthread_cond_broadcast(&gate_moved);
	while (in && !released)
		pthread_cond_wait(&gate_moved, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
}

static void *check(void *arg)
{
	*(int *)arg = secret_password_verify(checked_hash, "correct horse battery");
	return NULL;
}

static void test_hashing_is_bounded(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(secret_password_hash("correct horse battery", checked_hash, &e), 0);
	secret_set_gate_hook(gate_hook);
	pthread_t t[CHECKERS];
	int ok[CHECKERS] = {0};
	for (int i = 0; i < CHECKERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, check, &ok[i]), 0);
	pthread_mutex_lock(&gate_lock);
	while (admitted + waiting < CHECKERS)
		pthread_cond_wait(&gate_moved, &gate_lock);
	int at_once = admitted;
	released = 1;
	pthread_cond_broadcast(&gate_moved);
	pthread_mutex_unlock(&gate_lock);
	for (int i = 0; i < CHECKERS; i++)
		pthread_join(t[i], NULL);
	secret_set_gate_hook(NULL);
	assert_int_equal(at_once, SECRET_HASHING_MAX);
	assert_int_equal(waiting, CHECKERS - SECRET_HASHING_MAX);
	assert_int_equal(admitted, CHECKERS);
	for (int i = 0; i < CHECKERS; i++)
		assert_int_equal(ok[i], 1);
}

static int is_base64url(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static void test_tokens(void **state)
{
	(void)state;
	char t1[TOKEN_TEXT], t2[TOKEN_TEXT];
	secret_token(t1);
	secret_token(t2);
	assert_int_equal(strlen(t1), 43);
	assert_int_equal(strlen(t2), 43);
	for (int i = 0; i < 43; i++) {
		assert_true(is_base64url(t1[i]));
		assert_true(is_base64url(t2[i]));
	}
	assert_string_not_equal(t1, t2);
}

static void test_token_hash(void **state)
{
	(void)state;
	char h1[HASH_TEXT], h2[HASH_TEXT], h3[HASH_TEXT];
	secret_token_hash("abc", h1);
	secret_token_hash("abc", h2);
	secret_token_hash("abd", h3);
	assert_int_equal(strlen(h1), 64);
	for (int i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", h1[i]));
	assert_string_equal(h1, h2);
	assert_string_not_equal(h1, h3);
	/* BLAKE2b with a 32-byte output, unkeyed, of "abc". */
	assert_string_equal(h1, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	/* The empty string hashes too. */
	secret_token_hash("", h3);
	assert_int_equal(strlen(h3), 64);
}

static void test_generated_password(void **state)
{
	(void)state;
	char pw[64];
	struct err e;
	for (size_t n = PASSWORD_MIN; n < 40; n += 7) {
		for (int round = 0; round < 50; round++) {
			secret_password_generate(pw, n);
			assert_int_equal(strlen(pw), n);
			assert_null(strpbrk(pw, "0O1lI"));
			for (size_t i = 0; i < n; i++)
				assert_true((pw[i] >= 'a' && pw[i] <= 'z') ||
					    (pw[i] >= 'A' && pw[i] <= 'Z') ||
					    (pw[i] >= '2' && pw[i] <= '9'));
			assert_int_equal(secret_password_ok(pw, &e), 0);
		}
	}
	char other[64];
	secret_password_generate(pw, 20);
	secret_password_generate(other, 20);
	assert_string_not_equal(pw, other);
}

static void test_equal(void **state)
{
	(void)state;
	assert_int_equal(secret_equal("abc", "abc"), 1);
	assert_int_equal(secret_equal("abc", "abd"), 0);
	assert_int_equal(secret_equal("abc", "abcd"), 0);
	assert_int_equal(secret_equal("abcd", "abc"), 0);
	assert_int_equal(secret_equal("", ""), 1);
	assert_int_equal(secret_equal("", "a"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password_policy),
		cmocka_unit_test(test_common_passwords),
		cmocka_unit_test(test_hash_and_verify),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_token_hash),
		cmocka_unit_test(test_generated_password),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_dummy_hash_costs_a_real_check),
		cmocka_unit_test(test_hashing_is_bounded),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
