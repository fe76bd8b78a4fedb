/* outcome.h - what an establishment reports of the support it received, a
 * year after its project was accepted (issue 14, docs/reporting.md): the
 * record type "outcome-reports" (entities.c) with its rules, and its
 * review by the province, whose moves are a table like a proposal's. */
#ifndef KC_OUTCOME_H
#define KC_OUTCOME_H

#include "model/entity.h"

/* The record rules: a report belongs to a project (or a machinery support)
 * of its establishment that was accepted; its due date is one year after
 * the acceptance step (after the end of the support's year when a
 * machinery support has no project); one report per support and year. */
int outcome_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l);
/* A report is changed while a draft or returned, never once sent or
 * accepted (its review moves it on). */
int outcome_may_change(const struct actor *a, json_t *stored, struct err *e);

/* The statuses report id may move to from status, for a's role, as a JSON
 * array of {"to", "note_required"} (caller decrefs). */
json_t *outcome_moves(const struct actor *a, const char *status);

/* Moves report id to status to, audited, in one transaction: the
 * establishment's account submits its own (draft/returned -> submitted);
 * an officer of the report's province (or an admin) accepts it or returns
 * it with a note (required). ERR_CONFLICT for a move not in the table,
 * ERR_FORBIDDEN outside the actor's scope, ERR_INVALID (field note). */
int outcome_transition(struct store *st, const struct actor *a, int64_t id, const char *to,
		       const char *note, struct err *e);

/* The supports outcome reports are due for, in a's scope (an
 * establishment: its own; a province officer: the province's; the ministry
 * and admins: all): each accepted project with each establishment it
 * supported, as a JSON array (caller decrefs) of {"project_id",
 * "project_title", "establishment_id", "establishment_name", "accepted_on",
 * "due_date", "report_id", "report_year", "state"}, state being the latest
 * report's status or, without one, "due" / "overdue" (after due_date).
 * ERR_TOOBIG beyond 2000 pairs. */
int outcome_supports(struct store *st, const struct actor *a, json_t **out, struct err *e);

#endif
