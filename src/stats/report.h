/* report.h - the periodic report of a province (or the nation): the
 * document every renderer (HTML, PDF, XLSX, text) reads. */
#ifndef KC_REPORT_H
#define KC_REPORT_H

#include "model/actor.h"
#include "stats/period.h"
#include "store/store.h"

#include <jansson.h>

struct report_query {
	const char *province;     /* today's province code, or NULL for the nation */
	const char *old_province; /* or a province before 2025-07-01 (units of the time) */
	int from, to;             /* years, inclusive (required) */
	int old_units;            /* tables by the units of the time */
	const char *today;        /* ISO date for target progress */
	const char *number;       /* the document's number (digits), or NULL: a draft */
	const struct period *period; /* a reporting period (stats/period.h) the figures cover
					instead of the calendar years from..to, or NULL */
};

/* Builds the report document (see io/doc.h for its shape) into *out: title,
 * sections in the order the departments write them (training, demonstration
 * models, machinery, typical products, fairs and trade promotion, other
 * support, craft villages, budget by source, programmes and projects, the
 * outcomes of support that establishments reported and their province
 * accepted, targets), each a table and a
 * Vietnamese paragraph written from the numbers, and the sources as notes.
 * Sections without any figure are left out. Each table also carries its
 * figures as numbers ("values": unit, qualifier, note marks; a total of the
 * rows above it names them in "sum"), some sections a chart of figures of
 * one kind, and "about" says what the report covers and when (Vietnam time)
 * and by which version it was made. */
/* "Hưng Yên, ngày 04 tháng 12 năm 2026" for place and ISO date iso, as Decree
 * 30/2020/NĐ-CP writes it (a 0 before days under 10 and months under 3). */
void report_place_date(struct buf *b, const char *place, const char *iso);

/* The note on a value that does not add up across places (a ratio, an
 * average, a count without double counting): the consolidated report keeps
 * such figures province by province. */
#define REPORT_NOTE_RATIO "Không cộng dồn (tỷ lệ, số bình quân hoặc số không trùng lặp)"

int report_build(struct store *st, const struct actor *a, const struct report_query *q,
                 json_t **out, struct err *e);

#endif
