/* period.h - reporting periods: the cut-off dates of the reporting year and
 * half-year kept as data (table reporting_periods, changed by an
 * administrator and audited), and the dates and years any period of a
 * statistic covers: calendar years, reporting years, a reporting half-year,
 * a date range or a programme's years. */
#ifndef KC_PERIOD_H
#define KC_PERIOD_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>

/* One cut-off rule: a period ends on end_month/end_day of its year and
 * starts on start_month/start_day of the previous year when that falls after
 * the end in the calendar (15 Dec - 14 Dec), else of the same year. */
struct period_rule {
	char kind[12]; /* "year" or "half_year" (the first half; the second is the rest) */
	int start_month, start_day, end_month, end_day;
	int due_month, due_day; /* 0 when not set */
	char legal_basis[512];
	int64_t version;
};

/* The rule of kind ("year", "half_year") into *out. ERR_NOTFOUND naming
 * "kind" when there is none. */
int period_rule_get(struct store *st, const char *kind, struct period_rule *out, struct err *e);

/* Every rule as a JSON array of {kind, start_month, ..., legal_basis,
 * version} in *out (caller json_decref's). */
int period_rules_json(struct store *st, json_t **out, struct err *e);

/* Replaces the rule of r->kind (administrators only, ERR_FORBIDDEN else),
 * after checking it: days exist in every year (no 29 Feb), a reporting year
 * starts the day after the previous one ends, the first half-year ends
 * before the year does (ERR_INVALID naming the field). The first half always
 * starts with the year; when a new year rule leaves the first half's end
 * outside it, the first half becomes the year's first six months. Every rule
 * changed gets its audit row, all in one transaction. */
int period_rule_set(struct store *st, const struct actor *a, const struct period_rule *r,
		    struct err *e);

enum period_kind {
	PERIOD_CALENDAR,       /* calendar years from..to (open ends allowed) */
	PERIOD_REPORTING_YEAR, /* reporting years from..to */
	PERIOD_HALF_YEAR,      /* half `half` (1, 2) of reporting year `from` */
	PERIOD_DATES,	       /* date_from..date_to (ISO), either may be empty */
	PERIOD_PROGRAMME,      /* the years of programme `programme_id` */
};

struct period_spec {
	enum period_kind kind;
	int from, to, half;
	const char *date_from, *date_to;
	int64_t programme_id;
};

/* What a period covers. Records with a date are placed by date in
 * [date_from, date_to] ("" = open); records with only a year, and reported
 * figures (which have years), by year in [year_from, year_to] (0 = open),
 * or not at all when no_years (a half-year or a range shorter than a whole
 * calendar year holds no whole year). */
struct period {
	char date_from[11], date_to[11];
	int year_from, year_to;
	int no_years;
	int by_date;	/* placement of dated records differs from their year */
	char label[96]; /* Vietnamese: "năm báo cáo 2024 (15/12/2023 – 14/12/2024)" */
	char label_en[96]; /* English: "reporting year 2024 (15/12/2023 – 14/12/2024)" */
};

/* Resolves spec into *out. ERR_INVALID names the bad parameter ("to",
 * "half", "date_from", "date_to", "programme_id"); ERR_NOTFOUND when the
 * programme does not exist. */
int period_resolve(struct store *st, const struct period_spec *spec, struct period *out,
		   struct err *e);

/* The reporting year that holds the ISO date (by the rule of kind "year":
 * with periods ending 14 Dec, 2026-12-20 is in reporting year 2027) into
 * *year. ERR_INVALID for a bad date; ERR_NOTFOUND without a rule. */
int period_year_of(struct store *st, const char *date, int *year, struct err *e);

/* Parses the period name of the API ("calendar", "reporting_year",
 * "half_year", "dates", "programme"; NULL or "" is calendar); -1 if unknown. */
int period_kind_parse(const char *s);
const char *period_kind_name(enum period_kind k);

#endif
