/* workflow.h - the lifecycles: a project from draft to settlement, and an
 * establishment's proposal from draft to the project made of it. */
#ifndef KC_WORKFLOW_H
#define KC_WORKFLOW_H

#include "model/entity.h"

/* The statuses a project of kind may move to from status, as a JSON array of
 * codes (caller json_decref's). */
json_t *project_next_statuses(const char *status, const char *kind);
/* Moves project id to status to on date (ISO or dd/mm/yyyy) with the
 * decision number and note, recording a project step and auditing both in
 * one transaction. Illegal moves are ERR_CONFLICT with a message naming the
 * allowed ones; a date before the previous step is ERR_INVALID (field date). */
int project_transition(struct store *st, const struct actor *a, int64_t id, const char *to,
                       const char *date, const char *decision_no, const char *note,
                       struct err *e);

/* The project fields a step may set: the money it moves (as a list, and as
 * the parameter list of the routes that take a step). */
#define PROJECT_STEP_AMOUNTS                                                                      \
	"advanced_national", "advanced_local", "disbursed_national", "disbursed_local",           \
		"disbursed_counterpart", "disbursed_other"
#define PROJECT_STEP_AMOUNTS_CSV                                                                  \
	"advanced_national,advanced_local,disbursed_national,disbursed_local,"                    \
	"disbursed_counterpart,disbursed_other"

/* One lifecycle step of a project: the status it moves to, its date (ISO or
 * dd/mm/yyyy), decision and note, and the money it records: amounts holds
 * PROJECT_STEP_AMOUNTS fields in any form a record accepts ("300 triệu"),
 * or is NULL. */
struct project_step {
	const char *to, *date, *decision_no, *note;
	json_t *amounts;
};

/* project_transition with the step's amounts, checked like any change of
 * the project (an advance or disbursement above the approved amount is
 * refused). Steps that move money need it, given with the step or already
 * on the project: an advance (advanced) an amount advanced, acceptance
 * (accepted) an amount advanced or disbursed, settlement (settled) an
 * amount disbursed. Every error goes to *all when not NULL (caller
 * errs_free's), the first to e; dates in messages are dd/mm/yyyy. */
int project_step(struct store *st, const struct actor *a, int64_t id,
                 const struct project_step *step, struct errs *all, struct err *e);

/* Checks, without writing, what project_transition() would refuse (an
 * illegal move, a date before the last step, a step that moves money the
 * project does not record); 0 when the move is legal. The first error only,
 * as project_step() reports it (dates dd/mm/yyyy). */
int project_transition_check(struct store *st, const struct actor *a, int64_t id, const char *to,
                             const char *date, struct err *e);

/* Moves proposal id to status to. Establishment accounts submit their own
 * drafts (draft/needs_supplement -> submitted); province staff answer
 * (submitted -> needs_supplement | accepted | rejected), with a note. */
int proposal_transition(struct store *st, const struct actor *a, int64_t id, const char *to,
                        const char *note, struct err *e);
/* Turns an accepted proposal into a local project of its province (in plan
 * plan_id when > 0); sets *project_id and marks the proposal converted. */
int proposal_convert(struct store *st, const struct actor *a, int64_t id, int64_t plan_id,
                     int64_t *project_id, struct err *e);

/* The support caps (rules stored in support_caps with their legal basis and
 * validity) that project rec exceeds, as a JSON array of messages (caller
 * json_decref's; empty when none or when the figures are missing). */
json_t *project_cap_flags(struct store *st, json_t *rec);

#endif
