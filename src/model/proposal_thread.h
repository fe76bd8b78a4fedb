/* proposal_thread.h - an establishment's proposal as an exchange with the
 * department: its reference and sending date, every message of either side
 * (a status change with its note, or a reply), and the notifications each
 * sends to the other side (model/notify.h). */
#ifndef KC_PROPOSAL_THREAD_H
#define KC_PROPOSAL_THREAD_H

#include "model/entity.h"

enum { PROPOSAL_MESSAGE_MAX = 4000 }; /* characters of one message */

/* The reference of proposal id sent in year: "ĐX-2026-0007". */
void proposal_reference(int64_t id, int year, char out[32]);

/* Records, inside the caller's transaction, that a moved proposal p (as
 * read before the move) to status to with note (may be NULL or ""): a
 * message of a's side, the reference and date on its first sending, and a
 * notification to the other side. */
int proposal_thread_moved(struct store *st, const struct actor *a, json_t *p, const char *to,
			  const char *note, struct err *e);

/* Adds a reply body to proposal id from a's side (an account that can read
 * the proposal; viewers cannot write) and notifies the other side, audited,
 * in one transaction. ERR_INVALID (field body) when empty or longer than
 * PROPOSAL_MESSAGE_MAX characters. */
int proposal_message_add(struct store *st, const struct actor *a, int64_t id, const char *body,
			 struct err *e);

/* The messages of proposal id, oldest first, as a JSON array of {"id",
 * "created_at", "username", "side", "status", "body"} (caller decrefs);
 * ERR_NOTFOUND / ERR_FORBIDDEN as for reading the proposal. */
/* 0 when a may read proposal id; its error (ERR_NOTFOUND, ERR_FORBIDDEN) else. */
int proposal_readable(struct store *st, const struct actor *a, int64_t id, struct err *e);
int proposal_messages(struct store *st, const struct actor *a, int64_t id, json_t **out,
		      struct err *e);

#endif
