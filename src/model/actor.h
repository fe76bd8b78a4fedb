/* actor.h - who is acting, and what their role lets them touch. Every model
 * write takes an actor; the web layer builds it from the session, the CLI
 * builds the local administrator. */
#ifndef KC_ACTOR_H
#define KC_ACTOR_H

#include <stdint.h>

enum role { ROLE_ADMIN, ROLE_MINISTRY, ROLE_PROVINCE, ROLE_ESTABLISHMENT, ROLE_VIEWER, ROLE_COUNT };

struct actor {
	int64_t user_id;          /* 0 for the command line */
	char username[72];
	enum role role;
	char province[8];         /* new (2025) province code for province/viewer roles, else "" */
	int64_t establishment_id; /* for the establishment role, else 0 */
	char addr[64];            /* client address or "cli" */
	char lang[4];             /* "vi" or "en" */
};

/* The actor of the command line: an administrator named "cli". */
void actor_cli(struct actor *a);
/* Role names as stored ("admin", ...); role_parse returns -1 when unknown. */
const char *role_name(enum role r);
int role_parse(const char *s);

/* Permission rules (pure functions, tested in test_actor.c). */
int actor_is_admin(const struct actor *a);
/* May a read data of province code (a new-unit code)? */
int actor_can_read_province(const struct actor *a, const char *province);
/* May a change data of province code? Viewers never write. */
int actor_can_write_province(const struct actor *a, const char *province);
/* May a read every province (national figures)? */
int actor_reads_all(const struct actor *a);

#endif
