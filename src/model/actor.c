/* actor.c - roles and the scope rules every model write checks. */
#include "model/actor.h"

#include <stdio.h>
#include <string.h>

static const char *const role_names[ROLE_COUNT] = {"admin", "ministry", "province",
                                                   "establishment", "viewer"};

void actor_cli(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->role = ROLE_ADMIN;
	snprintf(a->username, sizeof a->username, "cli");
	snprintf(a->addr, sizeof a->addr, "cli");
	snprintf(a->lang, sizeof a->lang, "vi");
}

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "unknown";
}

int role_parse(const char *s)
{
	for (int i = 0; s && i < ROLE_COUNT; i++)
		if (!strcmp(s, role_names[i]))
			return i;
	return -1;
}

int actor_is_admin(const struct actor *a)
{
	return a && a->role == ROLE_ADMIN;
}

int actor_reads_all(const struct actor *a)
{
	if (!a)
		return 0;
	return a->role == ROLE_ADMIN || a->role == ROLE_MINISTRY ||
	       (a->role == ROLE_VIEWER && !a->province[0]);
}

int actor_can_read_province(const struct actor *a, const char *province)
{
	if (!a)
		return 0;
	if (actor_reads_all(a))
		return 1;
	if (a->role == ROLE_PROVINCE || a->role == ROLE_VIEWER)
		return province && !strcmp(a->province, province);
	return 0;
}

int actor_can_write_province(const struct actor *a, const char *province)
{
	if (!a)
		return 0;
	if (a->role == ROLE_ADMIN || a->role == ROLE_MINISTRY)
		return 1;
	if (a->role == ROLE_PROVINCE)
		return province && !strcmp(a->province, province);
	return 0;
}
