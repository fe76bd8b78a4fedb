/* targets.h - programme targets against what was achieved. */
#ifndef KC_TARGETS_H
#define KC_TARGETS_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

/* Progress of the targets of the programmes visible to a (one programme when
 * programme_id > 0; those of today's province province, plus national ones,
 * when province is given), as of the date today (ISO): a JSON array (caller
 * json_decref's) of {programme, target_id, indicator, description, target
 * (text), actual (text, source), progress (permille or null), expected
 * (permille of the period elapsed), status: "reached" | "on_track" |
 * "behind" | "no_data" | "not_comparable"}. An actual is computed with the
 * statistics rule for the programme's province (or the nation) and period
 * (or the target's year). */
int targets_progress(struct store *st, const struct actor *a, int64_t programme_id,
                     const char *province, const char *today, json_t **out, struct err *e);

/* The same, keeping only programmes whose period overlaps [from, to]
 * (0 = open). */
int targets_progress_in(struct store *st, const struct actor *a, int64_t programme_id,
                        const char *province, int from, int to, const char *today, json_t **out,
                        struct err *e);

/* The targets a dashboard shows: as targets_progress_in() for all
 * programmes, with the actuals of national targets read in province when
 * one is given, as the province's own accounts read them (the province's
 * part of the national target; the guide's targets page "chọn một tỉnh").
 * A province's dashboard so costs the province's statistics, never the
 * nation's. */
int targets_progress_dashboard(struct store *st, const struct actor *a, const char *province,
			       int from, int to, const char *today, json_t **out, struct err *e);

/* The targets of one programme (all when programme_id is 0) with the
 * actuals of national targets computed in today's province province (a
 * province's own programme is read in its province as always); province
 * NULL: as targets_progress(). */
int targets_progress_of_province(struct store *st, const struct actor *a, int64_t programme_id,
				 const char *province, const char *today, json_t **out,
				 struct err *e);

#endif
