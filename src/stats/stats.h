/* stats.h - indicator values for any place, period and breakdown, mixing
 * detailed records and reported figures by one explicit rule, per finest
 * cell (place x period x indicator x content type, funding, establishment
 * kind, product group): the reported figure where one exists (it is what was sent up),
 * with the records it covers shown as itemised; else the records. Totals
 * add cells. An empty amount is unknown, never 0 (docs/statistics.md).
 * Sums keep qualifiers honestly: adding an "at least" figure gives "at
 * least", an "about" figure gives "about". Ratios are ratios of sums and are
 * never added across places. */
#ifndef KC_STATS_H
#define KC_STATS_H

#include "model/actor.h"
#include "stats/indicator.h"
#include "stats/period.h"
#include "store/store.h"

#include <jansson.h>

struct stat_query {
	const char *indicator;	  /* code in the catalogue */
	int from, to;		  /* years, inclusive; 0 = open */
	const char *province;	  /* today's province code to restrict to, or NULL */
	const char *old_province; /* a province code before 2025-07-01 to restrict to, or NULL */
	int old_units;		  /* group places by the units of the time (before 2025-07-01) */
	const char *by;		  /* NULL, "province", "year", a dimension of rec_dimensions, or
				     an enum/yes-no filter field of the indicator's records */
	int illustrative;	  /* also count records marked illustrative (demo examples) */
	const struct period *period; /* NULL: calendar years from..to; else this period
					(from/to are then ignored) */
	const char *content_type;    /* only records and figures of this content type, or NULL */
	const char *establishment_kind; /* only records of establishments of this kind and
					   figures naming it, or NULL */
	const char *product_group;   /* only records (awards) and figures of this product
					group ("handicraft", "food", "machinery", "other"),
					or NULL; figures naming none are left out */
	const char *funding;	     /* only records and figures of this funding source
					("national", "local", "counterpart", "other"), or
					NULL; figures naming none are left out */
	int province_rows;	     /* with a breakdown other than province: also
					"province_rows" {code: rows}, each province's rows as the same
					query of that province alone gives them (one computation for a
					pivot of provinces, dashboard_pivot) */
	int year_rows;		     /* with calendar years from..to and a breakdown other
					than year: also "year_rows" {year: rows}, each year's rows as
					the same query of that calendar year alone gives them (one
					computation for a pivot of years, dashboard_pivot); not for
					stocks, records without years, nor a breakdown by commune:
					then no "year_rows" */
};

/* The breakdowns beyond province, year and the records' own fields are the
 * dimensions of model/record.h (rec_dimensions): commune (today's units, or
 * those of the time with old_units: through the establishment's commune or
 * the record's own), establishment_kind, industry (VSIC section of the
 * establishment), village and village_group (the establishment's craft
 * village or the record's own), content_type (the project's, else the one
 * the indicator's section stands for), funding (the project's kind or the
 * record's own source). */

/* Computes q for actor a (province accounts see their province only) into
 * *out (caller json_decref's):
 * {"indicator":{code,name,measure,agg}, "query":{...}, "rule": "...",
 *  "total": cell, "rows": [cell...]}
 * where a cell is {"key","label","value","value_hi","scale","qualifier",
 * "text" (Vietnamese), "source" ("records"|"reported"|"mixed"|"none"),
 * "covers" {records, reported, reported_and_records: cells}, "records_no_value",
 * "note" (or null), and where figures cover records "itemised" {value, text,
 * records_count, records_no_value}, "reported" {value, text}, "difference",
 * "records" (link to the records behind it, or null), "figures" ([{id,
 * period, text, source_title}])}. ERR_INVALID names a bad parameter; a
 * breakdown or filter that does not apply to the indicator's records names
 * "by", "content_type" or "funding". Rows of breakdowns the reported figures
 * cannot say (all but content type) hold them under the key "" labelled
 * "Không xác định" (unknown). */
int stats_compute(struct store *st, const struct actor *a, const struct stat_query *q, json_t **out,
		  struct err *e);

/* What stats_compute() keeps q's result under: its key (appended to key:
 * the query and the scope of a) and the versions of the tables it reads
 * (into version, n bytes). Something drawn from the result alone may be
 * kept under the same (stats_memo.h) with a prefix of its own. */
int stats_memo_ident(struct store *st, const struct actor *a, const struct stat_query *q,
		     struct buf *key, char *version, size_t n, struct err *e);

/* How many results stats_compute() has computed (not found in the memo),
 * in this process: for tests. */
int64_t stats_computations(void);

/* How many of ind's unit one unit of measure m is ("tỷ đồng" -> 10^9 for an
 * indicator in đồng, "triệu USD" -> 10^6 for one in USD; else 1). */
int64_t stats_measure_factor(const struct indicator *ind, const char *m);

/* The Vietnamese reading of a value of indicator ind: "9.590", "24,7 tỷ
 * đồng", "trên 80%", "khoảng 5–7 triệu đồng/người/tháng". */
void stats_format(struct buf *b, const struct indicator *ind, int64_t value, int64_t hi, int scale,
		  const char *qualifier);

#endif
