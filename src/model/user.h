/* user.h - accounts: roles, scopes, passwords; every change audited. */
#ifndef KC_USER_H
#define KC_USER_H

#include "core/secret.h"
#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

enum { USERNAME_MAX = 64 }; /* usernames are 3..USERNAME_MAX of a-z 0-9 . _ - */

struct user {
	int64_t id;
	char username[72];
	char display_name[200];
	enum role role;
	char province[8];
	int64_t establishment_id;
	int disabled;
	char lang[4];
	int64_t version;
	char created_at[21];
	char updated_at[21];
};

/* What a caller supplies to create an account. */
struct user_input {
	const char *username;     /* 3-64 of a-z 0-9 . _ - */
	const char *display_name; /* may be NULL */
	const char *role;         /* role name */
	const char *province;     /* required for "province", optional for "viewer" */
	int64_t establishment_id; /* required for "establishment" */
};

/* Creates an account (admin only). The password must meet the policy.
 * Sets *id. Errors name the field: username, role, province, password. */
int user_add(struct store *st, const struct actor *a, const struct user_input *in,
             const char *password, int64_t *id, struct err *e);
/* Reads an account by name or id into *u (0, or ERR_NOTFOUND). */
int user_get_by_name(struct store *st, const char *username, struct user *u, struct err *e);
int user_get(struct store *st, int64_t id, struct user *u, struct err *e);
/* What session_lookup reads of a session besides its user. */
struct user_session {
	char csrf[TOKEN_TEXT];
	int64_t created, seen;
};
/* The user of the session stored under token_hash, with that session, in one
 * statement. Returns 0, ERR_NOTFOUND (no such session) or ERR_STORE. */
int user_get_by_session(struct store *st, const char *token_hash, struct user *u,
			struct user_session *out, struct err *e);
/* JSON object of u without secrets; caller json_decref's. */
json_t *user_json(const struct user *u);
/* All accounts as a JSON array (admin only). */
int user_list(struct store *st, const struct actor *a, json_t **out, struct err *e);
/* Sets a new password (admin, or the user themself) and ends the user's
 * other sessions. */
int user_set_password(struct store *st, const struct actor *a, const char *username,
                      const char *password, struct err *e);
/* A user's change of their own password: the current one must be given and
 * right (a session left open is not enough to take the account over). */
int user_change_own_password(struct store *st, const struct actor *a, const char *current,
                             const char *password, struct err *e);
/* Disables or re-enables an account (admin only); disabling ends its sessions. */
int user_set_disabled(struct store *st, const struct actor *a, const char *username, int disabled,
                      struct err *e);
/* Stores the interface language of an account ("vi" or "en"). */
int user_set_lang(struct store *st, const struct actor *a, const char *lang, struct err *e);
/* Fills the actor of an account. */
void user_actor(const struct user *u, const char *addr, struct actor *a);
/* Verifies username/password; returns 0 and *u, or ERR_AUTH (also for a
 * disabled account). Does not throttle: see session_login(). */
int user_check_password(struct store *st, const char *username, const char *password,
                        struct user *u, struct err *e);

#endif
