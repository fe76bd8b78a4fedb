/* indicator.h - the catalogue of indicators: what each figure of a report
 * means, how it is computed from the detailed records, and how it adds up.
 * Reported figures (the `figures` records) use the same codes. */
#ifndef KC_INDICATOR_H
#define KC_INDICATOR_H

#include "core/buf.h"

#include <stddef.h>

enum agg {
	AGG_SUM,   /* add up across places and years */
	AGG_RATIO, /* a ratio of sums (numerator / denominator), never a sum of ratios */
	AGG_STOCK, /* a count of what exists (villages, cooperatives): no period */
};

struct indicator {
	const char *code;    /* stable: "training.craft_transfer.trainees" */
	const char *section; /* report section: training, demo, machinery, products, fairs,
	                        support, villages, budget, projects, other */
	const char *vi, *en; /* names */
	const char *measure; /* unit of measure in Vietnamese: "lớp", "lượt người", "đồng", "%" */
	enum agg agg;
	/* Computation from detailed records (NULL collection: reported figures only). */
	const char *collection; /* entity collection, e.g. "training-classes" */
	const char *expr;       /* SQL aggregate over alias t: "COUNT(*)", "SUM(t.trainees)" */
	const char *denom;	/* AGG_RATIO: the denominator aggregate */
	int scale;              /* decimals of the value (ratios in tenths of a percent: 1) */
	/* Which of the collection's records it counts, in the lists' own filter
	 * words ("" for all of them): field=code, field=a,b (one of), field=0/1
	 * (a yes/no; 0: no or left empty), field!=code, field!=none (known),
	 * field!=0 (a count or amount known and not zero), joined by "&".
	 * indicator_where() renders it as SQL and indicator_filter() as the
	 * link to those records, so that both always say the same. */
	const char *when;
};

/* The catalogue, ended by a NULL code. */
extern const struct indicator indicators[];

/* Appends to b the SQL condition over alias t of the records ind counts
 * ("1 = 1" for all), read from ind->when: constant text from the catalogue,
 * never from input. Returns -1 (b unchanged) when a condition is not one
 * the lists read (test_stats checks every indicator). */
int indicator_where(const struct indicator *ind, struct buf *b);
/* Appends to b the list filter of those same records, as a query string
 * ("kind=craft_transfer&status!=cancelled"; "" for all). */
void indicator_filter(const struct indicator *ind, struct buf *b);

/* The indicator of code, or NULL. */
const struct indicator *indicator_find(const char *code);

/* Writes into out (size n) up to three catalogue codes closest to text, as
 * "code (name), code (name)": by edit distance to the code or to the
 * Vietnamese name, both folded (so a name written without marks finds its
 * code). Never fails; out is "" only when the catalogue is empty. */
void indicator_closest(const char *text, char *out, size_t n);

/* An indicator that is the sum of others, each the part of one funding
 * source: budget.total = budget.national + budget.local. A figure of a part
 * that names no funding source stands for its part's. */
struct indicator_part {
	const char *code, *funding;
};

/* The parts of the indicator of code, ended by a NULL code; NULL when it is
 * not a sum of others. */
const struct indicator_part *indicator_parts(const char *code);

/* The funding source every amount of the indicator of code is, whatever
 * the record's project says (budget.counterpart: "counterpart"), or NULL
 * when its records are of their project's source (rec_dim_sql). */
const char *indicator_funding(const char *code);

#endif
