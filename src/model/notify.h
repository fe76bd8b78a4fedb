/* notify.h - in-app notifications: a short message and a link for one
 * account, read on the notifications page and counted in the header. Sent
 * to the accounts of one side of an exchange (an establishment's accounts,
 * or a province's staff). No e-mail is sent: the server has no mail
 * configuration (docs/guide.md says so). */
#ifndef KC_NOTIFY_H
#define KC_NOTIFY_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

/* Notifies the enabled accounts of establishment est_id ("Vietnamese /
 * English" message, local link), inside the caller's transaction. */
int notify_establishment(struct store *st, int64_t est_id, const char *message, const char *link,
			 struct err *e);
/* The same for the enabled province accounts of province (today's code). */
int notify_province(struct store *st, const char *province, const char *message, const char *link,
		    struct err *e);
/* The number of unread notifications of the account user_id in *n. */
int notify_unread(struct store *st, int64_t user_id, int64_t *n, struct err *e);
/* The newest limit notifications of user_id as a JSON array of {"id",
 * "created_at", "message", "link", "read"} (caller decrefs). */
int notify_list(struct store *st, int64_t user_id, int limit, json_t **out, struct err *e);
/* Marks every notification of user_id read. */
int notify_mark_read(struct store *st, int64_t user_id, struct err *e);

#endif
