/* portal.h - what the pages of an establishment account add to the shared
 * record pages (page_portal.c), and the exchange on a proposal with the
 * notifications of both sides (page_proposal.c). */
#ifndef KC_PORTAL_H
#define KC_PORTAL_H

#include "model/entity.h"
#include "web/http.h"

/* The home page of an establishment account. */
void portal_home(struct req *r, struct resp *w);
/* True when field f is not shown to this account (staff-only fields). */
int portal_hides(const struct req *r, const struct field *f);
/* Writes the input of field f of a form of ent when the portal has its own
 * (an establishment's own establishment, said by name; its products to
 * pick from) and returns 1; 0 to let the form write its usual input. */
int portal_form_input(struct req *r, struct resp *w, const struct entity *ent,
		      const struct field *f, const char *val);

/* On a proposal's page: the note of its sending (reference and date)... */
void proposal_sent_note(struct req *r, struct resp *w, json_t *rec);
/* ...and the exchange of messages with the reply form. */
void proposal_thread_section(struct req *r, struct resp *w, json_t *rec, int64_t id);
/* On an outcome report's page: the moves the caller may make (send it;
 * accept or return it with a comment), page_outcomes.c. */
void outcome_actions(struct req *r, struct resp *w, json_t *rec, int64_t id);
/* On a lot's page: rows to add several steps at once (page_lot_steps.c). */
void lot_steps_form(struct req *r, struct resp *w, int64_t id);
/* The unread notifications of the caller, for the header's badge. */
int64_t portal_unread(struct req *r);

#endif
