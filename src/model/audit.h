/* audit.h - the append-only trail of every change. */
#ifndef KC_AUDIT_H
#define KC_AUDIT_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

/* Appends one audit row for a change by a to entity/id. before and after are
 * JSON objects (either may be NULL: create has no before, delete no after);
 * for updates only the fields that differ are kept. Call inside the write's
 * transaction so both land or neither. The JSON stays owned by the caller. */
int audit_append(struct store *st, const struct actor *a, const char *entity, const char *entity_id,
                 const char *action, json_t *before, json_t *after, struct err *e);

/* Appends n audit rows of creates by a in one statement (a batch of an
 * import): entity's records ids[i], each with its fields after[i] (JSON
 * text, as audit_append writes it), one row a record, as n audit_append
 * calls would. */
int audit_append_many(struct store *st, const struct actor *a, const char *entity,
		      const char *action, size_t n, const int64_t *ids, char *const *after,
		      struct err *e);

struct audit_filter {
	const char *entity;    /* exact, or NULL */
	const char *entity_id; /* exact, or NULL */
	const char *username;  /* exact, or NULL */
	const char *action;    /* exact, or NULL */
	const char *from;      /* ISO date/time lower bound (inclusive), or NULL */
	const char *to;        /* ISO date/time upper bound (exclusive), or NULL */
	int64_t limit, offset;
};

/* Lists rows newest first as a JSON array of objects in *rows (caller
 * json_decref's), with the number of matching rows in *total. Admin only,
 * except a filter on the caller's own username. */
int audit_list(struct store *st, const struct actor *a, const struct audit_filter *f, json_t **rows,
               int64_t *total, struct err *e);
/* The newest limit rows of one record, as audit_list's rows, in one
 * statement that the index on (entity, entity_id) serves (audit_list's
 * optional filters defeat it): a record page's history. Admin only. */
int audit_of_record(struct store *st, const struct actor *a, const char *entity,
		    const char *entity_id, int64_t limit, json_t **rows, struct err *e);

#endif
