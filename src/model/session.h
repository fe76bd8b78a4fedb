/* session.h - login sessions kept in the database (so several servers can
 * share them), and the throttling of failed logins. */
#ifndef KC_SESSION_H
#define KC_SESSION_H

#include "core/secret.h"
#include "model/user.h"

struct session_policy {
	int64_t idle_seconds;     /* a session unused this long ends (default 2 h) */
	int64_t absolute_seconds; /* and every session ends after this (default 12 h) */
	int account_free;         /* failures per account before delays start (5) */
	int addr_free;            /* failures per client address before delays start (20) */
	int64_t base_delay;       /* first delay in seconds, doubled per failure (30) */
	int64_t max_delay;        /* cap of the delay (900) */
	int64_t window;           /* failures older than this are forgotten (900) */
};

/* The policy in force (defaults above; tests may change it before use). */
extern struct session_policy session_policy;

struct session {
	char token[TOKEN_TEXT]; /* given to the client once; only its hash is stored */
	char csrf[TOKEN_TEXT];
	struct user user;
};

/* Checks the credentials of username from client addr. A username over
 * USERNAME_MAX is ERR_TOOBIG and leaves no trace. Throttled attempts return
 * ERR_THROTTLED with *retry_after seconds (the password is not even
 * checked). The check and the count of an attempt are one transaction, so
 * concurrent guesses cannot pass the limit; failures are kept as one row per
 * (account, address) with a count, and audited (the first few of a pair,
 * then every power of two, with the count). On success ends the session
 * old_token (rotation; may be NULL) and creates a new one in *out. */
int session_login(struct store *st, const char *username, const char *password, const char *addr,
                  const char *old_token, struct session *out, int64_t *retry_after,
                  struct err *e);
/* Finds the live session of token: 0 and *out (token copied, user loaded),
 * or ERR_AUTH when unknown, expired or the account is disabled. */
int session_lookup(struct store *st, const char *token, struct session *out, struct err *e);
/* Ends the session of token (logout). Unknown tokens are not an error. */
int session_logout(struct store *st, const struct actor *a, const char *token, struct err *e);

#endif
