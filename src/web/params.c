/* params.c - typed, validated parameters for handlers. */
#include "web/params.h"

#include "core/vtext.h"
#include "io/labels.h"
#include "model/entity.h"
#include "model/suggest.h"
#include "model/unit.h"
#include "web/handlers.h"
#include "web/router.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_int64(const char *s, int64_t *out)
{
	if (!s || !*s)
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static void reply_field(struct req *r, struct resp *w, const char *key, const char *what)
{
	char msg[384];
	const char *v = req_query(r, key);
	snprintf(
		msg, sizeof msg,
		"Giá trị không hợp lệ của tham số %.60s: «%.60s» / invalid value for %.60s: %.120s",
		key, v ? v : "", key, what);
	reply_error(r, w, 400, "invalid", msg, key);
}

int query_int_or_reply(struct req *r, struct resp *w, const char *key, int64_t def, int64_t min,
                       int64_t max, int64_t *out)
{
	const char *s = req_query(r, key);
	if (!s || !*s) {
		*out = def;
		return 0;
	}
	int64_t v;
	if (parse_int64(s, &v) < 0 || v < min || v > max) {
		char what[80];
		snprintf(what, sizeof what, "an integer from %lld to %lld", (long long)min,
		         (long long)max);
		reply_field(r, w, key, what);
		return -1;
	}
	*out = v;
	return 0;
}

#define PROVINCES_DOC                                                                           \
	"A province of today (two digits); several, separated by commas or with the parameter " \
	"repeated, are compared side by side (rows of those provinces, no total)"
#define OLD_PROVINCE_DOC "Two-digit code of a province as it was before 2025-07-01"
#define PUBLIC_FILTERS(h)                                                                \
	{"category", h, QP_CODE, 0, 0, 0, "Product category code", "products.category"}, \
		{"level", h, QP_CODE, 0, 0, 0, "Level of the award", "awards.level"},    \
		{"stars", h, QP_INT, 0, 1, 5, "OCOP stars", NULL},                       \
		{"village", h, QP_INT, 0, 1, INT64_MAX, "Id of a craft village", NULL},  \
	{                                                                                \
		"page", h, QP_INT, 1, 1, 10000, "Page number, from 1", NULL              \
	}

/* The statistics' breakdown filters, codes of the fields whose codes they
 * take (the record lists filter those fields with their own words). */
#define CT_DOC "Only records and reported figures of this content type (a project's content_type)"
#define FUNDING_DOC                                                                               \
	"Only records and reported figures of this funding source (figures naming none are left " \
	"out)"
#define EST_KIND_DOC "Only records of establishments of this kind and reported figures naming it"
#define GROUP_DOC                                                                            \
	"Only typical-product awards and reported figures of this product group (figures naming " \
	"none are left out)"
#define STATS_FILTERS(h)                                                                       \
	{"content_type", h, QP_CODE, 0, 0, 0, CT_DOC, "projects.content_type"},                \
		{"funding", h, QP_CODE, 0, 0, 0, FUNDING_DOC, "figures.funding"},              \
		{"establishment_kind", h, QP_CODE, 0, 0, 0, EST_KIND_DOC,                      \
		 "establishments.kind"},                                                       \
	{                                                                                      \
		"product_group", h, QP_CODE, 0, 0, 0, GROUP_DOC, "awards.product_group"        \
	}
/* The year of a period of the reporting chain. */
#define CHAIN_YEAR_DOC "The reporting year (with period_kind)"
#define CHAIN_YEAR(h)                                                  \
	{                                                              \
		"year", h, QP_INT, 0, 2000, 2100, CHAIN_YEAR_DOC, NULL \
	}

const struct query_param query_params[] = {
	{"page", NULL, 0, 1, 1, 1000000, "Page number, from 1", NULL},
	{"per_page", NULL, 0, 50, 1, 500, "Items per page", NULL},
	{"year", NULL, 0, 0, 1900, 2100, "Only this year", NULL},
	{"year_from", NULL, 0, 0, 1900, 2100, "From this year on", NULL},
	{"year_to", NULL, 0, 0, 1900, 2100, "Up to this year", NULL},
	/* The audit trail's from and to are dates or times (openapi.c says so). */
	{"from", h_api_audit_list, 1, 0, 0, 0, NULL, NULL},
	{"to", h_api_audit_list, 1, 0, 0, 0, NULL, NULL},
	{"from", h_audit_page, 1, 0, 0, 0, NULL, NULL},
	{"to", h_audit_page, 1, 0, 0, 0, NULL, NULL},
	{"from", h_api_submission_compare, 0, 0, 1, INT32_MAX,
	 "The sending compared against, 1 for the first (default: the one before to)", NULL},
	{"to", h_api_submission_compare, 0, 0, 1, INT32_MAX,
	 "The sending compared, 1 for the first (default: the latest)", NULL},
	{"from", h_submission_page, 0, 0, 1, INT32_MAX, "The sending compared against", NULL},
	{"to", h_submission_page, 0, 0, 1, INT32_MAX, "The sending compared", NULL},
	{"from", NULL, 0, 0, 1900, 2100, "First year of the period", NULL},
	{"to", NULL, 0, 0, 1900, 2100, "Last year of the period (default: from)", NULL},
	{"half", NULL, 0, 0, 1, 2,
	 "With period=half_year: the first or second half of the reporting year", NULL},
	{"programme_id", h_api_targets, 0, 0, 0, INT64_MAX, "Only the targets of this programme",
	 NULL},
	{"programme_id", NULL, 0, 0, 1, INT64_MAX, "With period=programme: the programme's years",
	 NULL},
	{"units", NULL, 0, 0, 0, 0,
	 "Places as today's units (new, the default) or as the units before 2025-07-01 "
	 "(old)",
	 "new|old"},
	{"order", NULL, 0, 0, 0, 0, "Order of sort (without sort: newest changes first)",
	 "asc|desc"},
	/* On the record lists illustrative is a yes/no field of the records, a filter. */
	{"illustrative", h_api_records_list, 1, 0, 0, 0, NULL, NULL},
	{"illustrative", h_records_page, 1, 0, 0, 0, NULL, NULL},
	{"illustrative", NULL, 0, 0, 0, 0, "1: count the illustrative (demo) records too", "0|1"},
	{"count", h_api_records_list, QP_INT, 0, 0, 0,
	 "capped (the default): total counts at most 1 000 matches and says total_exact false "
	 "beyond; exact: count every match (slower on a national list)",
	 "capped|exact"},
	/* The reporting chain's period (chain_period_or_reply). */
	CHAIN_YEAR(h_api_submissions_list),
	CHAIN_YEAR(h_api_reporting_status),
	CHAIN_YEAR(h_api_consolidated),
	CHAIN_YEAR(h_submissions_page),
	CHAIN_YEAR(h_reporting_status_page),
	CHAIN_YEAR(h_consolidated_page),
	{"period_kind", NULL, QP_WORD, 0, 0, 0,
	 "Reporting period: year (a reporting year) or half_year (its first half: the six-month "
	 "report); with year",
	 "year|half_year"},
	/* The units of an era and level (both: any when absent). */
	{"era", h_api_units_list, QP_WORD, 0, 0, 0,
	 "old: units before 2025-07-01; new: from then on (default: both)", "old|new"},
	{"level", h_api_units_list, QP_WORD, 0, 0, 0,
	 "Level of unit (districts exist only in the old era; default: all)",
	 "province|district|commune"},
	/* The dashboard's pivot table: what it takes depends on the indicator. */
	{"rows", NULL, QP_STRING, 0, 0, 0,
	 "Rows of the pivot table: province (default), year or a field", NULL},
	{"cols", NULL, QP_STRING, 0, 0, 0,
	 "Columns of the pivot table: year (default), province or a field", NULL},
	STATS_FILTERS(h_api_stats),
	STATS_FILTERS(h_api_stats_map),
	STATS_FILTERS(h_stats_page),
	STATS_FILTERS(h_api_dashboard),
	STATS_FILTERS(h_dashboard_page),
	STATS_FILTERS(h_dashboard_chart),
	{"number", NULL, QP_DIGITS, 0, 0, 7,
	 "The report's document number, 1 to 7 digits; without it the report is a draft (DỰ "
	 "THẢO)",
	 NULL},
	{"chart", h_dashboard_chart, QP_INT, 0, 0, 15,
	 "The chart's place in the dashboard's charts (GET /api/v1/dashboard), from 0; a place "
	 "without one is drawn as \"Không có số liệu\" (no data)",
	 NULL},
	{"size", h_dashboard_chart, QP_INT, 0, 0, 0,
	 "Drawn for a column of at least 34rem (520 px wide) or a phone (288 px)", "wide|narrow"},
	{"limit", h_api_suggest, QP_INT, SUGGEST_MAX, 1, SUGGEST_MAX, "Most choices answered",
	 NULL},
	{"period", NULL, QP_INT, 0, 0, 0,
	 "Calendar years from..to; reporting years from..to (cut-off dates: GET "
	 "/api/v1/reporting-periods); half `half` of reporting year `from`; date_from..date_to; or "
	 "the years of programme_id",
	 "calendar|reporting_year|half_year|dates|programme"},
	{"date_from", NULL, QP_DATE, 0, 0, 0,
	 "With period=dates: first day, 2024-03-01 or 01/03/2024", NULL},
	{"date_to", NULL, QP_DATE, 0, 0, 0, "With period=dates: last day, 2024-08-31 or 31/08/2024",
	 NULL},
	/* The statistics compare several provinces side by side. */
	{"province", h_api_stats, QP_PROVINCES, 0, 0, STATS_COMPARE_MAX, PROVINCES_DOC, NULL},
	{"province", h_api_stats_map, QP_PROVINCES, 0, 0, STATS_COMPARE_MAX, PROVINCES_DOC, NULL},
	{"province", h_stats_page, QP_PROVINCES, 0, 0, STATS_COMPARE_MAX, PROVINCES_DOC, NULL},
	{"province", h_api_units_list, QP_STRING, 0, 0, 0,
	 "Two-digit code of a province of the era asked (unit_query checks it)", NULL},
	{"province", NULL, QP_PROVINCE, 0, 0, 0,
	 "Two-digit code of a province of today (from 2025-07-01)", NULL},
	/* The record lists find the records of no province with none. */
	{"old_province", h_api_records_list, QP_OLD_PROVINCE, 0, 0, 0, OLD_PROVINCE_DOC " or none",
	 "none"},
	{"old_province", h_records_page, QP_OLD_PROVINCE, 0, 0, 0, OLD_PROVINCE_DOC " or none",
	 "none"},
	{"old_province", NULL, QP_OLD_PROVINCE, 0, 0, 0, OLD_PROVINCE_DOC, NULL},
	{"by", NULL, QP_STRING, 0, 0, 0,
	 "Break the value down by province, year, a dimension or a field of the indicator's "
	 "records",
	 NULL},
	{"format", h_api_report, QP_INT, 0, 0, 0, "Form of the answer", "json|pdf|xlsx|csv|txt"},
	{"format", h_reports_page, QP_INT, 0, 0, 0,
	 "A file of the report instead of the page (json, pdf, xlsx, csv, txt)",
	 "json|pdf|xlsx|csv|txt"},
	{"format", h_report_job_post, QP_INT, 0, 0, 0, "The file to make (required)",
	 "pdf|xlsx|csv"},
	{"format", h_api_consolidated, QP_INT, 0, 0, 0,
	 "Form of the answer: the document as JSON, or a PDF or Excel download", "json|pdf|xlsx"},
	{"format", h_consolidated_page, QP_WORD, 0, 0, 0,
	 "A file of the report (PDF or Excel) instead of the page", "pdf|xlsx"},
	{"format", h_records_page, QP_WORD, 0, 0, 0, "The list as a file instead of the page",
	 "csv|xlsx"},
	{"format", h_import_bad_rows, QP_WORD, 0, 0, 0, "The bad rows as Excel (default: CSV)",
	 "csv|xlsx"},
	{"view", h_stats_page, QP_WORD, 0, 0, 0,
	 "The values by province as a table (default) or a map", "table|map"},
	/* A lot's sheet of labels: without a count, one sheet. */
	{"size", h_lot_labels, QP_INT, 30, LABEL_QR_MIN_MM, LABEL_QR_MAX_MM,
	 "Side of a QR code in mm", NULL},
	{"count", h_lot_labels, QP_INT, 0, 1, LABEL_COUNT_MAX,
	 "Number of labels (default: one sheet)", NULL},
	/* The public catalogue's filters (its page and its API). */
	PUBLIC_FILTERS(h_pub_products),
	PUBLIC_FILTERS(h_api_pub_products),
	{"level", h_pub_typical, QP_CODE, 0, 0, 0, "Level of the award", "awards.level"},
	{NULL, NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct query_param *query_param_find(const char *name,
					   void (*h)(struct req *r, struct resp *w))
{
	const struct query_param *any = NULL;
	for (const struct query_param *p = query_params; name && p->name; p++) {
		if (strcmp(p->name, name))
			continue;
		if (p->only == h) {
			any = p;
			break;
		}
		if (!p->only && !any)
			any = p;
	}
	return any && any->type != QP_FREE ? any : NULL;
}

int query_param_or_reply(struct req *r, struct resp *w, const char *key, int64_t *out)
{
	const struct query_param *p = query_param_find(key, r->route ? r->route->handler : NULL);
	if (!p || p->type != QP_INT || p->choices)
		abort(); /* read but not declared in query_params[] */
	return query_int_or_reply(r, w, key, p->def, p->min, p->max, out);
}

int query_choice_or_reply(struct req *r, struct resp *w, const char *key, const char **out)
{
	const struct query_param *p = query_param_find(key, r->route ? r->route->handler : NULL);
	if (!p || p->type != QP_INT || !p->choices)
		abort(); /* read but not declared in query_params[] */
	const char *v = req_query(r, key);
	*out = v && *v ? v : NULL;
	size_t n = *out ? strlen(v) : 0;
	for (const char *c = p->choices; *out;) {
		size_t len = strcspn(c, "|");
		if (len == n && !strncmp(c, v, n))
			return 0;
		if (!c[len]) {
			char what[80];
			snprintf(what, sizeof what, "one of %s", p->choices);
			reply_field(r, w, key, what);
			return -1;
		}
		c += len + 1;
	}
	return 0;
}

int query_params_or_reply(struct req *r, struct resp *w)
{
	int64_t v;
	const char *c, *codes[STATS_COMPARE_MAX];
	int n;
	for (int i = 0; i < r->nquery; i++) {
		const struct query_param *p = query_param_find(r->query[i].key, r->route->handler);
		if (!p || p->type == QP_STRING)
			continue;
		if ((p->type == QP_PROVINCES ? query_provinces_or_reply(r, w, p->name, codes, &n)
		     : p->type != QP_INT     ? query_text_or_reply(r, w, p->name, &c)
		     : p->choices	     ? query_choice_or_reply(r, w, p->name, &c)
					     : query_param_or_reply(r, w, p->name, &v)) < 0)
			return -1;
	}
	return 0;
}

/* Is v a word of the list "a|b"? */
static int is_word(const char *list, const char *v)
{
	size_t n = strlen(v);
	for (const char *c = list; c && *c;) {
		size_t len = strcspn(c, "|");
		if (len == n && !strncmp(c, v, n))
			return 1;
		c += len + (c[len] == '|');
	}
	return 0;
}

/* Is v a code of the enum field "collection.field"? */
static int is_code(const char *field, const char *v)
{
	char coll[40], label[200];
	snprintf(coll, sizeof coll, "%.*s", (int)strcspn(field, "."), field);
	const struct field *f = entity_field(entity_find(coll), strchr(field, '.') + 1);
	return f && field_enum_label(f, v, "vi", label, sizeof label);
}

static int province_known(struct req *r, const char *era, const char *v);

/* Checks the value v (not empty) of p; the value to use into *out. */
static int text_ok(struct req *r, const struct query_param *p, const char *v, const char **out)
{
	char iso[11];
	struct err e = {0};
	*out = v;
	switch (p->type) {
	case QP_PROVINCE:
	case QP_OLD_PROVINCE:
		return is_word(p->choices, v) ||
		       province_known(r, p->type == QP_PROVINCE ? "new" : "old", v);
	case QP_DATE:
		if (vtext_parse_date(v, iso, p->name, &e) < 0)
			return 0;
		*out = arena_strdup(r->arena, iso);
		return 1;
	case QP_CODE:
		return is_code(p->choices, v);
	case QP_DIGITS:
		return strspn(v, "0123456789") == strlen(v) && strlen(v) <= (size_t)p->max;
	case QP_INT:
	case QP_WORD:
		return !p->choices || is_word(p->choices, v);
	default:
		return 1;
	}
}

static const struct query_param *declared_text(struct req *r, const char *key)
{
	const struct query_param *p = query_param_find(key, r->route ? r->route->handler : NULL);
	if (!p || p->type == QP_PROVINCES || (p->type == QP_INT && !p->choices))
		abort(); /* read but not declared so in query_params[] */
	return p;
}

int query_text_check(struct req *r, const char *key, const char **out)
{
	const struct query_param *p = declared_text(r, key);
	const char *v = req_query(r, key);
	*out = NULL;
	if (!v || !*v)
		return 0;
	return text_ok(r, p, v, out) ? 0 : -1;
}

static void reply_province(struct req *r, struct resp *w, const char *key, const char *era,
			   const char *v);

int query_text_or_reply(struct req *r, struct resp *w, const char *key, const char **out)
{
	if (query_text_check(r, key, out) == 0)
		return 0;
	const struct query_param *p = declared_text(r, key);
	const char *v = req_query(r, key);
	if (p->type == QP_PROVINCE || p->type == QP_OLD_PROVINCE) {
		reply_province(r, w, key, p->type == QP_PROVINCE ? "new" : "old", v);
		return -1;
	}
	char what[120];
	if (p->type == QP_DATE)
		snprintf(what, sizeof what, "a day, 2024-03-01 or 01/03/2024");
	else if (p->type == QP_CODE)
		snprintf(what, sizeof what, "a code of %s", p->choices);
	else if (p->type == QP_DIGITS)
		snprintf(what, sizeof what, "1 to %lld digits", (long long)p->max);
	else
		snprintf(what, sizeof what, "one of %s", p->choices);
	reply_field(r, w, key, what);
	return -1;
}

int query_provinces_or_reply(struct req *r, struct resp *w, const char *key, const char **codes,
			     int *n)
{
	const struct query_param *p = query_param_find(key, r->route ? r->route->handler : NULL);
	if (!p || (p->type != QP_PROVINCES && p->type != QP_PROVINCE))
		abort(); /* read but not declared so in query_params[] */
	if (p->type == QP_PROVINCE) {
		*n = 0;
		if (query_text_or_reply(r, w, key, &codes[0]) < 0)
			return -1;
		*n = codes[0] != NULL;
		return 0;
	}
	return provinces_or_reply(r, w, key, codes, (int)p->max, n);
}

int json_str_or_reply(struct req *r, struct resp *w, const char *key, const char **out)
{
	json_t *v = json_object_get(r->json, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		reply_field(r, w, key, "a string");
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

int json_int_or_reply(struct req *r, struct resp *w, const char *key, int64_t def, int64_t *out)
{
	json_t *v = json_object_get(r->json, key);
	*out = def;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v)) {
		reply_field(r, w, key, "an integer");
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

int json_bool_or_reply(struct req *r, struct resp *w, const char *key, int *out)
{
	json_t *v = json_object_get(r->json, key);
	*out = -1;
	if (!v)
		return 0;
	if (!json_is_boolean(v)) {
		reply_field(r, w, key, "true or false");
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

int years_or_reply(struct req *r, struct resp *w, int *from, int *to)
{
	int64_t f, t;
	if (query_param_or_reply(r, w, "from", &f) < 0 || query_param_or_reply(r, w, "to", &t) < 0)
		return -1;
	*from = (int)f;
	*to = (int)t;
	return 0;
}

/* 400 for a province parameter that names no province of era. */
static void reply_province(struct req *r, struct resp *w, const char *key, const char *era,
			   const char *v)
{
	char msg[640];
	snprintf(msg, sizeof msg,
		 "%.40s: không có tỉnh mã \"%.40s\"; nhận mã tỉnh %s (2 chữ số, ví dụ 01 là Hà "
		 "Nội, 33 là Hưng Yên), chọn theo tên trong danh sách / %.40s: no province "
		 "\"%.40s\"; give the two-digit code of a province of %s (01 is Hà Nội)",
		 key, v, strcmp(era, "old") ? "hiện nay" : "trước 01/07/2025", key, v,
		 strcmp(era, "old") ? "today" : "before 2025-07-01");
	reply_error(r, w, 400, "invalid", msg, key);
}

static int province_known(struct req *r, const char *era, const char *v)
{
	struct unit u;
	struct err e;
	char key[sizeof r->province_found];
	err_clear(&e);
	if (strlen(v) != 2 || strspn(v, "0123456789") != 2)
		return 0;
	snprintf(key, sizeof key, "%.3s:%s", era, v);
	if (!strcmp(key, r->province_found))
		return 1;
	if (unit_get_by_code(r->st, era, "province", v, &u, &e) < 0)
		return 0;
	memcpy(r->province_found, key, sizeof key);
	return 1;
}

int province_or_reply(struct req *r, struct resp *w, const char *key, const char *era,
		      int allow_none, const char **out)
{
	const char *v = req_query(r, key);
	*out = NULL;
	if (!v || !*v)
		return 0;
	if (!(allow_none && !strcmp(v, "none")) && !province_known(r, era, v)) {
		reply_province(r, w, key, era, v);
		return -1;
	}
	*out = v;
	return 0;
}

int provinces_or_reply(struct req *r, struct resp *w, const char *key, const char **codes, int max,
		       int *n)
{
	*n = 0;
	for (int i = 0; i < r->nquery; i++) {
		if (strcmp(r->query[i].key, key))
			continue;
		for (const char *p = r->query[i].value; *p;) {
			size_t len = strcspn(p, ",");
			char *code = arena_strndup(r->arena, p, len);
			p += len + (p[len] == ',');
			if (!*code)
				continue;
			if (!province_known(r, "new", code)) {
				reply_province(r, w, key, "new", code);
				return -1;
			}
			int seen = 0;
			for (int j = 0; j < *n; j++)
				seen |= !strcmp(codes[j], code);
			if (seen)
				continue;
			if (*n == max) {
				reply_error(r, w, 400, "invalid",
					    "Chọn quá nhiều tỉnh / too many provinces", key);
				return -1;
			}
			codes[(*n)++] = code;
		}
	}
	return 0;
}
