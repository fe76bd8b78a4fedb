/* openapi.c - the OpenAPI 3.1 document, generated from the route table and the
 * record types. Routes, paths, access, bodies and record fields come from the
 * tables; what they do not say (the type of a parameter by its name, the shape
 * a handler answers with) is in the two small dictionaries below, and a name
 * missing from them is still documented, as a string "(not described)". */
#include "web/openapi.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/secret.h"
#include "model/actor.h"
#include "model/entity.h"
#include "model/letterhead.h"
#include "model/record.h"
#include "web/handlers.h"
#include "web/params.h"
#include "web/router.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void handler_fn(struct req *r, struct resp *w);

/* A JSON literal of this file; a broken one is a programming error. */
static json_t *J(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, JSON_DECODE_ANY, &je);
	if (!v) {
		fprintf(stderr, "openapi.c: bad JSON literal (%s): %s\n", je.text, text);
		abort();
	}
	return v;
}

static json_t *ref(const char *kind, const char *name)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "#/components/%s/%s", kind, name);
	json_t *o = json_pack("{s:s}", "$ref", buf_cstr(&b));
	buf_free(&b);
	return o;
}

/* ---- what the route table names but does not type -------------------- */

struct name_doc {
	const char *name;
	handler_fn *only; /* this entry is for that route's handler only; NULL: any */
	const char *schema;
	const char *doc;
	const char *example; /* JSON text, or NULL */
};

#define YEAR_SCHEMA "{\"type\":\"integer\",\"minimum\":1900,\"maximum\":2100}"
#define CHAIN_KIND "{\"type\":\"string\",\"enum\":[\"year\",\"half_year\"]}"
#define CHAIN_YEAR "{\"type\":\"integer\",\"minimum\":2000,\"maximum\":2100}"
#define ERA_SCHEMA "{\"type\":\"string\",\"enum\":[\"old\",\"new\"]}"
#define STR "{\"type\":\"string\"}"
#define ID_SCHEMA "{\"type\":\"integer\",\"minimum\":1}"
#define MONEY_IN "{\"type\":[\"integer\",\"string\"]}" /* đồng, or "300 triệu" */

static const struct name_doc path_docs[] = {
	{"id", NULL, ID_SCHEMA, "Id of the record", "1"},
	{"username", NULL, STR, "Login name of the account", "\"admin\""},
	{"era", NULL, ERA_SCHEMA, "old: units before 2025-07-01; new: from then on", "\"new\""},
	{"level", NULL, "{\"type\":\"string\",\"enum\":[\"province\",\"district\",\"commune\"]}",
	 "Level of the unit (districts exist only in the old era)", "\"province\""},
	{"code", NULL, STR, "Official code of the unit", "\"01\""},
	{"file", NULL, STR, "Name of a file compiled into the binary", "\"app.css\""},
	{"photo", NULL, ID_SCHEMA, "Id of the photo", "1"},
	{"parent", NULL,
	 "{\"type\":\"string\",\"enum\":[\"projects\",\"plans\",\"establishments\","
	 "\"submissions\",\"outcome-reports\"]}",
	 "What the files are attached to", "\"projects\""},
	{"attachment", NULL, ID_SCHEMA, "Id of the attached file", "1"},
	{"seq", NULL, ID_SCHEMA, "Which sending of the submission: 1 for the first", "1"},
	{"format", h_api_submission_file, "{\"type\":\"string\",\"enum\":[\"pdf\",\"xlsx\"]}",
	 "The file of the sending: its PDF or its Excel workbook", "\"pdf\""},
	{"record_type", h_api_suggest, STR,
	 "The record type whose form holds the field (a collection name, e.g. projects)",
	 "\"projects\""},
	{"field", h_api_suggest, STR,
	 "A field of that record type that refers to a record or an administrative unit",
	 "\"plan_id\""},
	{"kind", h_api_period_update, "{\"type\":\"string\",\"enum\":[\"year\",\"half_year\"]}",
	 "The reporting year, or its first half", "\"year\""},
	{"scope", NULL, "{\"type\":\"string\",\"pattern\":\"^([0-9]{2}|national)$\"}",
	 "A province (today's two-digit code), or national for the ministry", "\"33\""},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct name_doc query_docs[] = {
	{"q", h_api_units_list, STR, "Code or name of a unit, with or without diacritics", NULL},
	{"q", h_api_suggest, STR,
	 "What the user typed: words of a code, tax code or name; diacritics optional", NULL},
	{"q", NULL, STR,
	 "Search words; case and diacritics do not matter (\"dao tao\" finds \"Đào tạo\")", NULL},
	{"level", NULL, STR,
	 "Level (of a unit: province, commune; of an award: province, national…)", NULL},
	{"indicator", NULL, STR, "Indicator code (GET /api/v1/indicators)", NULL},
	{"from", h_api_audit_list, STR, "From this ISO date or time (inclusive)", NULL},
	{"to", h_api_audit_list, STR, "Before this ISO date or time (exclusive)", NULL},
	{"preset", h_api_dashboard, STR,
	 "A period of the dashboard's picker: ry-YYYY (reporting year), h1-YYYY / h2-YYYY (its "
	 "halves), cal-YYYY-YYYY (calendar years), all (every year), custom (the period "
	 "parameters). With no preset and no period parameter: the current reporting year",
	 NULL},
	{"preset", h_dashboard_chart, STR, "As for GET /api/v1/dashboard: a period of its picker",
	 NULL},
	{"v", h_dashboard_chart, STR,
	 "The drawing's version (its ETag without quotes), as the dashboard page names it: kept, "
	 "it is answered without computing the dashboard, cacheable for a year",
	 NULL},
	{"entity", NULL, STR, "Record type (collection name, or users, sessions)", NULL},
	{"entity_id", NULL, STR, "Id of the record", NULL},
	{"username", NULL, STR, "Account that acted", NULL},
	{"action", NULL, STR, "What was done (create, update, delete, login, …)", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

/* "@roles" and "@status" are filled in by body_field_schema(). */
static const struct name_doc body_docs[] = {
	{"username", h_api_session_create, STR, "Login name", NULL},
	{"password", h_api_session_create, STR, "Password", NULL},
	{"username", NULL, "{\"type\":\"string\",\"pattern\":\"^[a-z0-9._-]{3,64}$\"}",
	 "Login name: 3-64 of a-z 0-9 . _ -", NULL},
	{"password", NULL, "@password", "New password", NULL},
	{"current_password", NULL, STR,
	 "The current password: required when an account changes its own password", NULL},
	{"display_name", NULL, "{\"type\":[\"string\",\"null\"]}", "The person's full name", NULL},
	{"role", NULL, "@roles", "Role of the account", NULL},
	{"province", NULL, "{\"type\":[\"string\",\"null\"],\"pattern\":\"^[0-9]{2}$\"}",
	 "Province (today's two-digit code) of a province or viewer account", NULL},
	{"establishment_id", NULL, "{\"type\":[\"integer\",\"null\"],\"minimum\":1}",
	 "Establishment of an establishment account", NULL},
	{"disabled", NULL, "{\"type\":\"boolean\"}", "true disables the account, false enables it",
	 NULL},
	{"lang", NULL, "{\"type\":\"string\",\"enum\":[\"vi\",\"en\"]}",
	 "Interface language (own account only)", NULL},
	{"period_kind", NULL, CHAIN_KIND,
	 "year (a reporting year) or half_year (its first half: the six-month report)", NULL},
	{"year", h_api_submission_create, CHAIN_YEAR, "The reporting year", NULL},
	{"province", h_api_submission_create,
	 "{\"type\":[\"string\",\"null\"],\"pattern\":\"^[0-9]{2}$\"}",
	 "Today's province (administrators only; a province officer's is their own)", NULL},
	{"to", h_api_submission_transition,
	 "{\"type\":\"string\",\"enum\":[\"submitted\",\"withdrawn\",\"accepted\","
	 "\"returned\",\"reopened\"]}",
	 "The next status: the province submits and withdraws, the ministry accepts, returns and "
	 "reopens",
	 NULL},
	{"note", h_api_submission_transition, "{\"type\":[\"string\",\"null\"],\"maxLength\":4000}",
	 "Comment or reason: required to return and to reopen", NULL},
	{"sections", h_api_submission_transition,
	 "{\"type\":[\"array\",\"null\"],\"items\":{\"type\":\"object\",\"required\":["
	 "\"section\"],\"properties\":{\"section\":{\"type\":\"string\"},\"note\":{\"type\":"
	 "\"string\",\"maxLength\":4000}}}}",
	 "With to=returned: comments per section, each naming the title of a section of the "
	 "report last sent (items with an empty note are left out); shown in the timeline",
	 NULL},
	{"to", NULL, "@status", "The next status", NULL},
	{"date", NULL, STR, "Date of the step: 2025-03-17 or 17/03/2025", NULL},
	{"decision_no", NULL, STR, "Number of the decision or document", NULL},
	{"note", NULL, STR, "Note", NULL},
	{"advanced_national", NULL, MONEY_IN,
	 "With to=advanced: national funds advanced (đồng, or text such as 300 triệu)", NULL},
	{"advanced_local", NULL, MONEY_IN, "With to=advanced: local funds advanced", NULL},
	{"disbursed_national", NULL, MONEY_IN, "National funds disbursed (acceptance, settlement)",
	 NULL},
	{"disbursed_local", NULL, MONEY_IN, "Local funds disbursed (acceptance, settlement)", NULL},
	{"disbursed_counterpart", NULL, MONEY_IN, "Counterpart funds disbursed", NULL},
	{"disbursed_other", NULL, MONEY_IN, "Other sources disbursed", NULL},
	{"body", NULL, "{\"type\":\"string\",\"minLength\":1,\"maxLength\":4000}",
	 "The message: up to 4000 characters", NULL},
	{"plan_id", NULL, ID_SCHEMA, "With to=converted: the annual plan of the new project", NULL},
	{"file", NULL, "{\"type\":\"string\",\"contentMediaType\":\"application/octet-stream\"}",
	 "The file", NULL},
	{"start_month", NULL, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":12}",
	 "Month of the first day of the period", NULL},
	{"start_day", NULL, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":31}",
	 "Day of the first day of the period", NULL},
	{"end_month", NULL, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":12}",
	 "Month of the last day of the period", NULL},
	{"end_day", NULL, "{\"type\":\"integer\",\"minimum\":1,\"maximum\":31}",
	 "Day of the last day of the period", NULL},
	{"due_month", NULL, "{\"type\":\"integer\",\"minimum\":0,\"maximum\":12}",
	 "Month the report is due (0: not set)", NULL},
	{"due_day", NULL, "{\"type\":\"integer\",\"minimum\":0,\"maximum\":31}",
	 "Day the report is due (0: not set)", NULL},
	{"legal_basis", NULL, STR, "The document the rule comes from", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct name_doc *find_doc(const struct name_doc *docs, const char *name,
                                       handler_fn *h)
{
	const struct name_doc *any = NULL;
	for (const struct name_doc *d = docs; d->name; d++) {
		if (strcmp(d->name, name))
			continue;
		if (d->only == h)
			return d;
		if (!d->only && !any)
			any = d;
	}
	return any;
}

/* ---- what a handler answers ------------------------------------------- */

enum {
	OP_THROTTLED = 1 << 0,	 /* 429 with Retry-After */
	OP_CONFLICT = 1 << 1,	 /* 409: duplicate, referenced, illegal step */
	OP_ETAG = 1 << 2,	 /* ETag: the record's version */
	OP_LOCATION = 1 << 3,	 /* Location of the new record */
	OP_IF_MATCH = 1 << 4,	 /* If-Match, 412 when stale */
	OP_UNAVAILABLE = 1 << 5, /* 503 with the same body */
	OP_COOKIE = 1 << 6,	 /* sets or clears the session cookie */
	OP_MEDIA_ONLY = 1 << 7,	 /* the body is only of the types of media (no JSON), with an
				    ETag of its content for If-None-Match (304) */
};

struct op_doc {
	handler_fn *handler;
	int status;           /* on success */
	const char *schema;   /* of the success body: JSON text, "@record", "@list"; NULL: none */
	const char *required; /* body fields that must be given, comma-separated */
	unsigned flags;
	const char *media; /* more media types of the success body, comma-separated */
	const char *notes; /* a longer description, or NULL */
};

#define LIST_OF(item)                                                                            \
	"{\"type\":\"object\",\"required\":[\"items\",\"total\",\"page\",\"per_page\"],"           \
	"\"properties\":{\"items\":{\"type\":\"array\",\"items\":" item "},"                       \
	"\"total\":{\"type\":\"integer\",\"minimum\":0},\"page\":{\"type\":\"integer\","           \
	"\"minimum\":1},\"per_page\":{\"type\":\"integer\",\"minimum\":1}}}"
#define SCHEMA_REF(name) "{\"$ref\":\"#/components/schemas/" name "\"}"
#define OBJECT "{\"type\":\"object\"}"

#define THREAD_SCHEMA                                                                            \
	"{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{\"type\":"       \
	"\"array\",\"items\":{\"type\":\"object\",\"required\":[\"id\",\"created_at\",\"username\","  \
	"\"side\",\"status\",\"body\"],\"properties\":{\"side\":{\"enum\":[\"establishment\","     \
	"\"department\"]},\"status\":{\"type\":[\"string\",\"null\"]}}}}}}"

static const struct op_doc op_docs[] = {
	{h_healthz, 200, SCHEMA_REF("Health"), NULL, OP_UNAVAILABLE, NULL,
	 "For load balancers and monitoring: 503 when the database cannot be reached."},
	{h_api_index, 200, SCHEMA_REF("RouteIndex"), NULL, 0, NULL,
	 "Every route of the server, HTML pages included, with its access level."},
	{h_api_openapi, 200, OBJECT, NULL, 0, NULL,
	 "This document, generated by the server from its route table and record types."},
	{h_api_session_create, 201, SCHEMA_REF("Session"), "username,password",
	 OP_THROTTLED | OP_COOKIE, NULL,
	 "Answers the bearer token and the CSRF token, and sets the kc_session cookie. Repeated "
	 "failures for an account or an address are refused for a while (429, Retry-After)."},
	{h_api_session_get, 200, SCHEMA_REF("SessionInfo"), NULL, 0, NULL, NULL},
	{h_api_session_delete, 204, NULL, NULL, OP_COOKIE, NULL,
	 "Ends the session of the token or cookie."},
	{h_api_users_list, 200,
	 "{\"type\":\"object\",\"required\":[\"items\",\"total\"],\"properties\":{\"items\":{"
	 "\"type\":\"array\",\"items\":" SCHEMA_REF("User") "},\"total\":{\"type\":\"integer\"}}}",
	 NULL, 0, NULL, NULL},
	{h_api_users_create, 201, SCHEMA_REF("User"), "username,role,password", OP_CONFLICT, NULL,
	 NULL},
	{h_api_user_update, 200, SCHEMA_REF("User"), NULL, 0, NULL,
	 "Administrators change any account; everyone may change their own password and language."},
	{h_api_audit_list, 200, LIST_OF(SCHEMA_REF("AuditEntry")), NULL, 0, NULL, NULL},
	{h_api_units_list, 200, LIST_OF(OBJECT), NULL, 0, NULL, NULL},
	{h_api_unit_get, 200, OBJECT, NULL, 0, NULL, NULL},
	{h_api_indicators, 200,
	 "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{\"type\":"
	 "\"array\",\"items\":" SCHEMA_REF("Indicator") "}}}",
	 NULL, 0, NULL, NULL},
	{h_api_stats, 200, OBJECT, NULL, 0, NULL, NULL},
	{h_api_stats_map, 200, OBJECT, NULL, OP_MEDIA_ONLY, "image/svg+xml",
	 "The parameters of GET /api/v1/stats; by is province (the default). A province links to "
	 "the statistic restricted to it. Provinces without a value are hatched grey; reported "
	 "values striped; values that are not exact (\"trên 80%\") dotted, with their text on the "
	 "map. Hoàng Sa and Trường Sa are always drawn."},
	{h_api_targets, 200,
	 "{\"type\":\"object\",\"required\":[\"as_of\",\"items\"],\"properties\":{\"as_of\":{"
	 "\"type\":\"string\",\"format\":\"date\"},\"items\":{\"type\":\"array\",\"items\":"
	 "{\"type\":\"object\"}}}}",
	 NULL, 0, NULL, NULL},
	{h_api_report, 200, OBJECT, NULL, 0,
	 "application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
	 "application/zip,text/plain",
	 "format=pdf, xlsx, csv (a ZIP of one CSV per table and the text) or txt answers a "
	 "download (Content-Disposition: attachment)."},
	{h_api_dashboard, 200, OBJECT, NULL, 0, NULL, NULL},
	{h_dashboard_chart, 200, OBJECT, NULL, OP_MEDIA_ONLY, "image/svg+xml",
	 "The parameters of GET /api/v1/dashboard; the chart is scoped as the dashboard is. The "
	 "drawing is kept by the server and its ETag hashes what it draws: a revalidation naming "
	 "it is answered 304 (Cache-Control: private, no-cache; with the v of the dashboard page's "
	 "URL: private, immutable). The chart's title (its text alternative) and link are in the "
	 "dashboard's charts."},
	{h_api_periods, 200, OBJECT, NULL, 0, NULL, NULL},
	{h_api_period_update, 200, OBJECT, NULL, 0, NULL,
	 "Only the fields given change; the rule is checked (a reporting year follows the one "
	 "before, the first half-year starts with it and ends inside it) and the change audited."},
	{h_api_project_steps, 200,
	 "{\"type\":\"object\",\"required\":[\"status\",\"next\",\"steps\"],\"properties\":{"
	 "\"status\":{\"type\":\"string\"},\"next\":{\"type\":\"array\",\"items\":{\"type\":"
	 "\"string\"}},\"steps\":{\"type\":\"array\",\"items\":" SCHEMA_REF("ProjectStep") "}}}",
	 NULL, 0, NULL, NULL},
	{h_api_project_transition, 200, SCHEMA_REF("Project"), "to", OP_CONFLICT, NULL,
	 "A step that the lifecycle does not allow is 409 naming the allowed ones."},
	{h_api_proposal_transition, 200, SCHEMA_REF("Proposal"), "to", OP_CONFLICT, NULL,
	 "The first sending gives the proposal its reference (ĐX-YEAR-NNNN) and date; every move "
	 "with its note joins the exchange, and the other side is notified."},
	{h_api_outcome_transition, 200, SCHEMA_REF("OutcomeReport"), "to", OP_CONFLICT, NULL,
	 "The establishment sends its own report (draft or returned -> submitted); an officer of "
	 "its province accepts it or returns it (returned needs note). Each move is audited and "
	 "notified to the other side; only accepted reports count in the statistics."},
	{h_api_outcomes, 200,
	 "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{\"type\":"
	 "\"array\",\"items\":{\"type\":\"object\",\"required\":[\"project_id\","
	 "\"project_title\",\"establishment_id\",\"establishment_name\",\"accepted_on\","
	 "\"due_date\",\"report_id\",\"report_year\",\"state\"],\"properties\":{\"state\":"
	 "{\"enum\":[\"due\",\"overdue\",\"draft\",\"submitted\",\"accepted\",\"returned\"]}}}}}}",
	 NULL, 0, NULL,
	 "An establishment sees its own supports, a province officer the province's, the "
	 "ministry all. due_date is a year after the project's acceptance step; state is the "
	 "latest report's status, or due / overdue without one. More than 2000 is 413."},
	{h_api_proposal_messages, 200, THREAD_SCHEMA, NULL, 0, NULL,
	 "Status changes with their notes and replies, of both sides, oldest first."},
	{h_api_proposal_message_create, 201, THREAD_SCHEMA, "body", 0, NULL,
	 "The other side (the establishment's accounts, or the staff of the proposal's province) "
	 "is notified in the application; no e-mail is sent."},
	{h_api_notifications, 200,
	 "{\"type\":\"object\",\"required\":[\"items\",\"unread\"],\"properties\":{\"items\":{"
	 "\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"id\",\"created_at\","
	 "\"message\",\"link\",\"read\"]}},\"unread\":{\"type\":\"integer\"}}}",
	 NULL, 0, NULL, NULL},
	{h_api_suggest, 200,
	 "{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{\"type\":"
	 "\"array\",\"items\":{\"type\":\"object\",\"required\":[\"value\",\"label\",\"hint\"],"
	 "\"properties\":{\"value\":{\"type\":\"string\"},\"label\":{\"type\":\"string\"},"
	 "\"hint\":{\"type\":\"string\"}}}}}}",
	 NULL, 0, NULL,
	 "value (\"#id name\") is what the form's field takes; the server resolves it on submit, "
	 "as it resolves a typed code or exact name."},
	{h_api_records_list, 200, "@list", NULL, 0, NULL, NULL},
	{h_api_record_get, 200, "@record", NULL, OP_ETAG, NULL, NULL},
	{h_api_record_create, 201, "@record", NULL, OP_ETAG | OP_LOCATION | OP_CONFLICT, NULL,
	 "Values may be given in their Vietnamese forms; every error names its field."},
	{h_api_record_update, 200, "@record", NULL, OP_ETAG | OP_IF_MATCH | OP_CONFLICT, NULL,
	 "Only the fields given change; null or \"\" empties a field."},
	{h_api_record_delete, 204, NULL, NULL, OP_IF_MATCH | OP_CONFLICT, NULL,
	 "Records that others refer to are refused (409)."},
	{h_api_backup_status, 200, SCHEMA_REF("BackupStatus"), NULL, 0, NULL, NULL},
	{h_api_job_get, 200, SCHEMA_REF("Job"), NULL, 0, NULL,
	 "Only the owner of a job and administrators see it (404 for anyone else). progress.done "
	 "of "
	 "progress.total (bytes of the file for an import, steps for a report); result.url, once "
	 "done, downloads the file it made."},
	{h_api_job_cancel, 202, SCHEMA_REF("Job"), NULL, OP_CONFLICT, NULL,
	 "A queued job is cancelled at once; a running one stops at its next step and writes "
	 "nothing. A job that has ended is 409."},
	{h_api_submissions_list, 200,
	 "{\"type\":\"object\",\"required\":[\"items\"],"
	 "\"properties\":{\"items\":{\"type\":\"array\",\"items\":" SCHEMA_REF("Submission") "}}}",
	 NULL, 0, NULL, "Newest first; a province officer sees their own province's."},
	{h_api_submission_create, 201, SCHEMA_REF("Submission"), "period_kind,year",
	 OP_LOCATION | OP_CONFLICT, NULL,
	 "A province has one submission per period that is not withdrawn (409). The period's "
	 "dates and deadline are copied from the reporting periods."},
	{h_api_submission_get, 200, SCHEMA_REF("Submission"), NULL, 0, NULL,
	 "moves are those the caller may make; snapshot is the content last sent with its SHA-256 "
	 "(hash_ok: the stored text still has it)."},
	{h_api_submission_snapshot, 200, OBJECT, NULL, 0, NULL,
	 "{seq, created_at, content_hash, hash_ok, content, files}: the report (every table and "
	 "paragraph, values and sources) and the records behind it (collection, id, version); "
	 "files: {format, name, content_type, bytes, sha256} of the PDF and Excel generated "
	 "when it was sent (.../snapshots/{seq}/{format})."},
	{h_api_submission_file, 200, NULL, NULL, 0,
	 "application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	 "The file rendered from the snapshot when it was sent and stored with it: the same bytes "
	 "(files[].sha256 of the snapshot) however the records change afterwards. Always a "
	 "download (Content-Disposition: attachment)."},
	{h_api_submission_compare, 200,
	 "{\"type\":\"object\",\"required\":[\"from\",\"to\",\"changed\",\"figures\","
	 "\"records\"],\"properties\":{\"from\":{\"type\":\"integer\"},\"to\":{\"type\":"
	 "\"integer\"},\"changed\":{\"type\":\"boolean\"},\"figures\":{\"type\":\"array\"},"
	 "\"records\":{\"type\":\"object\"}}}",
	 NULL, 0, NULL,
	 "Any two sendings, either way round (to: the latest by default; from: the one before to "
	 "by default): figures are the rows of the report's tables whose "
	 "cells differ (sent: the row in from, now: in to); records changed, added or removed "
	 "between them. 404 naming seq for a sending that does not exist."},
	{h_api_submission_changes, 200,
	 "{\"type\":\"object\",\"required\":[\"seq\",\"changed\",\"figures\",\"records\"],"
	 "\"properties\":{\"seq\":{\"type\":\"integer\"},\"changed\":{\"type\":\"boolean\"},"
	 "\"figures\":{\"type\":\"array\"},\"records\":{\"type\":\"object\"}}}",
	 NULL, 0, NULL,
	 "The report is built again from the live data and compared row by row with the one last "
	 "sent; records are compared by collection, id and version."},
	{h_api_submission_transition, 200, SCHEMA_REF("Submission"), "to", OP_CONFLICT, NULL,
	 "Sending freezes a new snapshot. Accepting locks the province's records dated in the "
	 "period (writes answer 409 naming the submission) until the ministry reopens it."},
	{h_api_reporting_status, 200, OBJECT, NULL, 0, NULL,
	 "Every province of the period's time (63 before 2025-07-01, 34 after), overdue first; "
	 "reporting_rate and timeliness_rate are percentages of the provinces expected, rounded "
	 "to 0.1."},
	{h_api_attachment_delete, 204, NULL, NULL, OP_CONFLICT, NULL,
	 "As attaching allows: the parent's role and scope, not in a period locked by an accepted "
	 "report, and on a periodic report only while it is a draft or returned (409 once sent). "
	 "The file is kept, marked removed, and audited (detach); it is no longer listed, served "
	 "or exported."},
	{h_api_consolidated, 200, OBJECT, NULL, 0,
	 "application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	 "Built from the report frozen in the latest sending of each province's accepted "
	 "submission, never from the live data: figures added up where they add (the number of "
	 "provinces behind each; the live sum of the same provinces beside it where it now "
	 "differs), an annex of every figure with its province and submission number, and "
	 "coverage: {expected, included, provinces: [{province, name, status, included, "
	 "submission_id, number, seq, content_hash}]}. For the ministry, administrators and "
	 "national viewers (403 else); period_kind and year are required."},
	{NULL, 0, NULL, NULL, 0, NULL, NULL},
};

static const struct op_doc *find_op(handler_fn *h)
{
	for (const struct op_doc *o = op_docs; o->handler; o++)
		if (o->handler == h)
			return o;
	return NULL;
}

/* ---- shared components ------------------------------------------------ */

static const char *const shared_schemas[][2] = {
	{"Error",
	 "{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":"
	 "\"object\",\"required\":[\"code\",\"message\",\"field\"],\"properties\":{\"code\":{"
	 "\"type\":\"string\",\"description\":\"Machine-readable code\"},\"message\":{\"type\":"
	 "\"string\",\"description\":\"For a person: Vietnamese / English\"},\"field\":{\"type\":"
	 "[\"string\",\"null\"],\"description\":\"The input field, parameter or header at "
	 "fault\"}}},\"errors\":{\"type\":\"array\",\"description\":\"Every error of the "
	 "input when a record's body has several (the first is error), in the order of its "
	 "fields\",\"items\":{\"type\":\"object\",\"required\":[\"code\",\"message\",\"field\"],"
	 "\"properties\":{\"code\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"},"
	 "\"field\":{\"type\":[\"string\",\"null\"]}}}}}}"},
	{"Quantity",
	 "{\"type\":\"object\",\"description\":\"A reported quantity: the number is value / "
	 "10^scale (value_hi for the top of a range)\",\"required\":[\"value\",\"value_hi\","
	 "\"scale\",\"qualifier\"],\"properties\":{\"value\":{\"type\":\"integer\"},\"value_hi\":{"
	 "\"type\":\"integer\"},\"scale\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":6},"
	 "\"qualifier\":{\"type\":\"string\",\"enum\":[\"exact\",\"at_least\",\"about\","
	 "\"at_most\",\"range\",\"nearly\"]}}}"},
	{"QuantityInput",
	 "{\"type\":\"object\",\"required\":[\"value\"],\"additionalProperties\":false,"
	 "\"properties\":{\"value\":{\"type\":\"integer\"},\"value_hi\":{\"type\":\"integer\"},"
	 "\"scale\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":6},\"qualifier\":{\"type\":"
	 "\"string\",\"enum\":[\"exact\",\"at_least\",\"about\",\"at_most\",\"range\",\"nearly\"]}}"
	 "}"},
	{"User",
	 "{\"type\":\"object\",\"required\":[\"id\",\"username\",\"display_name\",\"role\","
	 "\"disabled\",\"lang\",\"version\",\"created_at\",\"updated_at\",\"province\","
	 "\"establishment_id\"],\"properties\":{\"id\":{\"type\":\"integer\"},\"username\":{"
	 "\"type\":\"string\"},\"display_name\":{\"type\":\"string\"},\"role\":\"@roles\","
	 "\"disabled\":{\"type\":\"boolean\"},\"lang\":{\"type\":\"string\"},\"version\":{\"type\":"
	 "\"integer\"},\"created_at\":{\"type\":\"string\"},\"updated_at\":{\"type\":\"string\"},"
	 "\"province\":{\"type\":[\"string\",\"null\"]},\"establishment_id\":{\"type\":["
	 "\"integer\",\"null\"]}}}"},
	{"Submission",
	 "{\"type\":\"object\",\"required\":[\"id\",\"number\",\"province\",\"period_kind\","
	 "\"year\",\"status\",\"period_label\",\"due_date\",\"submitted_at\",\"version\"],"
	 "\"properties\":{\"id\":{\"type\":\"integer\"},\"number\":{\"type\":\"string\"},"
	 "\"province\":{\"type\":\"string\"},\"period_kind\":" CHAIN_KIND ",\"year\":{"
	 "\"type\":\"integer\"},\"status\":{\"type\":\"string\",\"enum\":[\"draft\","
	 "\"submitted\",\"withdrawn\",\"accepted\",\"returned\",\"reopened\"]},"
	 "\"period_label\":{\"type\":\"string\"},\"due_date\":{\"type\":[\"string\","
	 "\"null\"]},\"submitted_at\":{\"type\":[\"string\",\"null\"]},\"version\":{"
	 "\"type\":\"integer\"},\"moves\":{\"type\":\"array\"},\"timeline\":{\"type\":"
	 "\"array\"},\"snapshot\":{\"type\":[\"object\",\"null\"]}}}"},
	{"Session",
	 "{\"type\":\"object\",\"required\":[\"token\",\"csrf\",\"user\"],\"properties\":{"
	 "\"token\":{\"type\":\"string\",\"description\":\"Send as Authorization: Bearer "
	 "TOKEN\"},\"csrf\":{\"type\":\"string\",\"description\":\"Send as X-CSRF-Token on "
	 "unsafe requests authenticated by the cookie\"},\"user\":" SCHEMA_REF("User") "}}"},
	{"SessionInfo",
	 "{\"type\":\"object\",\"required\":[\"csrf\",\"user\"],\"properties\":{\"csrf\":{"
	 "\"type\":\"string\"},\"user\":" SCHEMA_REF("User") "}}"},
	{"Health",
	 "{\"type\":\"object\",\"required\":[\"status\",\"version\",\"schema\"],\"properties\":{"
	 "\"status\":{\"type\":\"string\",\"enum\":[\"ok\",\"unavailable\"]},\"version\":{\"type\":"
	 "\"string\"},\"schema\":{\"type\":\"integer\",\"description\":\"Schema version of the "
	 "database\"}}}"},
	{"RouteIndex",
	 "{\"type\":\"object\",\"required\":[\"version\",\"routes\"],\"properties\":{\"version\":"
	 "{\"type\":\"string\"},\"routes\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
	 "\"required\":[\"method\",\"path\",\"access\",\"summary\"],\"properties\":{\"method\":{"
	 "\"type\":\"string\"},\"path\":{\"type\":\"string\"},\"access\":{\"type\":\"string\","
	 "\"enum\":[\"public\",\"login\",\"writer\",\"admin\"]},\"summary\":{\"type\":"
	 "\"string\"}}}}}}"},
	{"AuditEntry",
	 "{\"type\":\"object\",\"required\":[\"id\",\"at\",\"user_id\",\"username\",\"addr\","
	 "\"entity\",\"entity_id\",\"action\",\"before\",\"after\"],\"properties\":{\"id\":{"
	 "\"type\":\"integer\"},\"at\":{\"type\":\"string\"},\"user_id\":{\"type\":\"integer\"},"
	 "\"username\":{\"type\":\"string\"},\"addr\":{\"type\":\"string\"},\"entity\":{\"type\":"
	 "\"string\"},\"entity_id\":{\"type\":\"string\"},\"action\":{\"type\":\"string\"},"
	 "\"before\":{\"type\":[\"object\",\"null\"]},\"after\":{\"type\":[\"object\",\"null\"]}}"
	 "}"},
	{"Indicator",
	 "{\"type\":\"object\",\"required\":[\"code\",\"section\",\"name\",\"name_en\","
	 "\"measure\",\"agg\",\"scale\"],\"properties\":{\"code\":{\"type\":\"string\"},"
	 "\"section\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"name_en\":{\"type\":"
	 "\"string\"},\"measure\":{\"type\":\"string\"},\"agg\":{\"type\":\"string\",\"enum\":["
	 "\"sum\",\"ratio\",\"stock\"]},\"computed_from\":{\"type\":[\"string\",\"null\"]},"
	 "\"scale\":{"
	 "\"type\":\"integer\"}}}"},
	{"Job",
	 "{\"type\":\"object\",\"required\":[\"id\",\"kind\",\"status\",\"owner\",\"progress\","
	 "\"cancel_requested\",\"created_at\",\"attempts\",\"summary\",\"error\"],\"properties\":{"
	 "\"id\":{\"type\":\"integer\"},\"kind\":{\"type\":\"string\",\"enum\":[\"import\","
	 "\"report\"]},\"status\":{\"type\":\"string\",\"enum\":[\"queued\",\"running\",\"done\","
	 "\"failed\",\"cancelled\"]},\"owner\":{\"type\":\"object\",\"properties\":{\"id\":{"
	 "\"type\":\"integer\"},\"username\":{\"type\":\"string\"}}},\"progress\":{\"type\":"
	 "\"object\",\"required\":[\"done\",\"total\",\"message\"],\"properties\":{\"done\":{"
	 "\"type\":\"integer\"},\"total\":{\"type\":\"integer\"},\"message\":{\"type\":"
	 "\"string\"}}},\"cancel_requested\":{\"type\":\"boolean\"},\"created_at\":{\"type\":"
	 "\"integer\",\"description\":\"Unix seconds, like started_at and finished_at\"},"
	 "\"started_at\":{\"type\":\"integer\"},\"finished_at\":{\"type\":\"integer\"},"
	 "\"attempts\":{\"type\":\"integer\"},\"summary\":{\"type\":[\"object\",\"null\"],"
	 "\"description\":\"The outcome: an import's counts and problems, a report file's size\"},"
	 "\"error\":{\"type\":[\"object\",\"null\"],\"description\":\"Why it failed: message, "
	 "field and, for an import refused for bad rows, report\"},\"result\":{\"type\":\"object\","
	 "\"properties\":{\"url\":{\"type\":\"string\"},\"type\":{\"type\":\"string\"},"
	 "\"name\":{\"type\":\"string\"}}}}}"},
	{"BackupStatus",
	 "{\"type\":\"object\",\"required\":[\"last_backup\",\"schema_version\",\"schema_latest\"],"
	 "\"properties\":{\"last_backup\":{\"type\":[\"string\",\"null\"],\"description\":\"UTC "
	 "time of the last `khuyencong backup`, or null\"},\"schema_version\":{\"type\":"
	 "\"integer\"},\"schema_latest\":{\"type\":\"integer\"}}}"},
};

static const struct {
	int status;
	const char *name, *doc;
} error_responses[] = {
	{400, "BadRequest",
	 "Invalid input: an undeclared or malformed parameter or field, or malformed JSON (field "
	 "names it)"},
	{401, "Unauthorized", "Not logged in: no valid bearer token or session cookie"},
	{403, "Forbidden",
	 "The role or the province scope does not allow this (code forbidden), or a cookie-"
	 "authenticated unsafe request lacks the right X-CSRF-Token (code csrf)"},
	{404, "NotFound", "No such record or resource"},
	{405, "MethodNotAllowed", "The path exists but not with this method (Allow lists them)"},
	{409, "Conflict",
	 "Duplicate natural key, a record still referred to, or a step the lifecycle forbids"},
	{412, "PreconditionFailed", "If-Match is not the record's current version"},
	{413, "PayloadTooLarge", "A body over 1 MiB, a parameter over 4 KiB or too many fields"},
	{415, "UnsupportedMediaType", "The body is not application/json"},
	{429, "TooManyRequests", "Too many failed logins: wait Retry-After seconds"},
	{500, "ServerError", "The database or the system failed; nothing was changed"},
};

/* Codes the router answers itself, beside those of struct err (err.h). */
static const struct {
	int status;
	const char *code;
} router_codes[] = {
	{400, "invalid_json"},
	{403, "csrf"},
	{405, "method_not_allowed"},
	{415, "unsupported_media_type"},
};

/* "invalid, invalid_json": the error codes that come with status. */
static void codes_of(int status, struct buf *b)
{
	for (int c = ERR_INVALID; c >= ERR_IO; c--)
		if (err_http_status(c) == status)
			buf_printf(b, "%s%s", b->len ? ", " : "", err_name(c));
	for (size_t i = 0; i < sizeof router_codes / sizeof router_codes[0]; i++)
		if (router_codes[i].status == status)
			buf_printf(b, "%s%s", b->len ? ", " : "", router_codes[i].code);
}

static const char *error_response_name(int status)
{
	for (size_t i = 0; i < sizeof error_responses / sizeof error_responses[0]; i++)
		if (error_responses[i].status == status)
			return error_responses[i].name;
	abort();
}

/* Fills "@roles" and "@password" placeholders anywhere in schema. */
static json_t *role_enum(void)
{
	json_t *codes = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		json_array_append_new(codes, json_string(role_name((enum role)i)));
	return json_pack("{s:s,s:o}", "type", "string", "enum", codes);
}

static void fill_placeholders(json_t *schema)
{
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(schema, tmp, key, v) {
		if (json_is_string(v) && !strcmp(json_string_value(v), "@roles"))
			json_object_set_new(schema, key, role_enum());
		else if (json_is_object(v))
			fill_placeholders(v);
	}
}

/* ---- records ---------------------------------------------------------- */

/* Component name of an entity: its English singular in CamelCase. */
static void schema_name(const struct entity *ent, const char *suffix, char *out, size_t n)
{
	size_t k = 0;
	int up = 1;
	for (const char *p = ent->en; *p && k + 1 < n; p++) {
		if (!isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80) {
			up = 1;
			continue;
		}
		out[k++] = up ? (char)toupper((unsigned char)*p) : *p;
		up = 0;
	}
	out[k] = 0;
	snprintf(out + k, n - k, "%s", suffix);
}

/* The codes of an F_ENUM field as a JSON array, and "code: nhãn / label; …". */
static json_t *enum_codes(const struct field *f, struct buf *doc)
{
	json_t *codes = json_array();
	for (const char *p = f->values; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		const char *c1 = memchr(p, ':', len);
		size_t clen = c1 ? (size_t)(c1 - p) : len;
		char *code = strndup(p, clen);
		json_array_append_new(codes, json_string(code));
		if (doc) {
			char label[200];
			field_enum_label(f, code, "vi", label, sizeof label);
			buf_printf(doc, "%s%s: %s", doc->len ? "; " : "", code, label);
			field_enum_label(f, code, "en", label, sizeof label);
			buf_printf(doc, " / %s", label);
		}
		free(code);
		p = bar ? bar + 1 : NULL;
	}
	return codes;
}

static json_t *nullable(const char *type)
{
	return json_pack("[s,s]", type, "null");
}

static void set_range(json_t *s, const struct field *f)
{
	if (f->type == F_YEAR) {
		json_object_set_new(s, "minimum", json_integer(1900));
		json_object_set_new(s, "maximum", json_integer(2100));
	} else if (f->min == 0 && f->max == 0) {
		json_object_set_new(s, "minimum", json_integer(0));
	} else {
		json_object_set_new(s, "minimum", json_integer(f->min));
		json_object_set_new(s, "maximum", json_integer(f->max));
	}
}

/* Title (Vietnamese) and description (English and notes) of a field. */
static void label_schema(json_t *s, const struct field *f, const char *note)
{
	json_object_set_new(s, "title", json_string(f->vi));
	struct buf d = BUF_INIT;
	buf_puts(&d, f->en);
	if (note && *note)
		buf_printf(&d, ". %s", note);
	json_object_set_new(s, "description", json_string(buf_cstr(&d)));
	buf_free(&d);
}

/* A field as the API answers it: canonical values, null when empty. */
static json_t *field_output(const struct field *f)
{
	json_t *s;
	struct buf note = BUF_INIT;
	switch (f->type) {
	case F_ENUM: {
		json_t *codes = enum_codes(f, &note);
		json_array_append_new(codes, json_null());
		s = json_pack("{s:o,s:o}", "type", nullable("string"), "enum", codes);
		break;
	}
	case F_DATE: s = json_pack("{s:o,s:s}", "type", nullable("string"), "format", "date"); break;
	case F_BOOL: s = json_pack("{s:o}", "type", nullable("boolean")); break;
	case F_URLS:
		s = json_pack("{s:o,s:{s:s}}", "type", nullable("array"), "items", "type", "string");
		break;
	case F_JSON: s = json_pack("{s:o}", "type", nullable("object")); break;
	case F_QTY:
		s = json_pack("{s:[o,{s:s}]}", "anyOf", ref("schemas", "Quantity"), "type", "null");
		break;
	case F_INT:
	case F_MONEY:
	case F_YEAR:
	case F_PERCENT:
	case F_REF:
	case F_UNIT: s = json_pack("{s:o}", "type", nullable("integer")); break;
	case F_TEXT:
	case F_LONGTEXT:
	case F_PROVINCE:
	default: s = json_pack("{s:o}", "type", nullable("string")); break;
	}
	if (f->type == F_MONEY)
		buf_puts(&note, "Integer đồng");
	else if (f->type == F_PERCENT)
		buf_puts(&note, "Tenths of a percent (717 = 71,7%)");
	else if (f->type == F_REF)
		buf_printf(&note, "Id of a record of /api/v1/%s", f->ref);
	else if (f->type == F_UNIT)
		buf_puts(&note, "Id of an administrative unit (GET /api/v1/units)");
	else if (f->type == F_PROVINCE)
		buf_puts(&note, "Two-digit code of a province of today");
	if (f->flags & FF_READONLY)
		buf_printf(&note, "%sSet by the system", note.len ? ". " : "");
	label_schema(s, f, buf_cstr(&note));
	buf_free(&note);
	return s;
}

/* A field as the API accepts it: the canonical form or a Vietnamese one. */
static json_t *field_input(const struct field *f)
{
	json_t *s;
	struct buf note = BUF_INIT;
	switch (f->type) {
	case F_ENUM: {
		json_t *codes = enum_codes(f, &note);
		json_array_append_new(codes, json_null());
		s = json_pack("{s:o,s:o}", "type", nullable("string"), "enum", codes);
		buf_puts(&note, " (a label in Vietnamese or English is accepted too)");
		break;
	}
	case F_DATE:
		s = json_pack("{s:o,s:[s]}", "type", nullable("string"), "examples", "2016-05-17");
		buf_puts(&note, "ISO date 2016-05-17 or Vietnamese 17/05/2016");
		break;
	case F_BOOL:
		s = json_pack("{s:[s,s,s,s]}", "type", "boolean", "integer", "string", "null");
		buf_puts(&note, "true/false; also 1/0, \"có\"/\"không\"");
		break;
	case F_URLS:
		s = json_pack("{s:[{s:s,s:i,s:{s:s,s:s}},{s:s},{s:s}]}", "anyOf", "type", "array",
		              "maxItems", 20, "items", "type", "string", "format", "uri", "type", "string",
		              "type", "null");
		buf_puts(&note, "http(s) addresses: a list, or text with one per line");
		break;
	case F_JSON: s = json_pack("{s:o}", "type", nullable("object")); break;
	case F_QTY:
		s = json_pack("{s:[{s:s},{s:s},o,{s:s}]}", "anyOf", "type", "integer", "type", "string",
		              ref("schemas", "QuantityInput"), "type", "null");
		buf_puts(&note, "A number, Vietnamese text (\"trên 80%\", \"khoảng 4.100\", \"5–7\", "
		                "\"24,7 tỷ đồng\") or {value, value_hi, scale, qualifier}");
		break;
	case F_MONEY:
		s = json_pack("{s:[s,s,s]}", "type", "integer", "string", "null");
		set_range(s, f);
		buf_puts(&note, "Integer đồng, or Vietnamese text: \"24,7 tỷ đồng\", \"821,5 triệu "
		                "đồng\", \"500.000\"");
		break;
	case F_PERCENT:
		s = json_pack("{s:[s,s,s]}", "type", "integer", "string", "null");
		set_range(s, f);
		buf_puts(&note, "Tenths of a percent (717), or text \"71,7%\"");
		break;
	case F_INT:
	case F_YEAR:
		s = json_pack("{s:[s,s,s]}", "type", "integer", "string", "null");
		set_range(s, f);
		buf_puts(&note, "A number; Vietnamese text such as \"9.590\" is accepted");
		break;
	case F_REF:
		s = json_pack("{s:o,s:i}", "type", nullable("integer"), "minimum", 1);
		buf_printf(&note, "Id of a record of /api/v1/%s", f->ref);
		break;
	case F_UNIT:
		s = json_pack("{s:[s,s,s]}", "type", "integer", "string", "null");
		buf_printf(&note, "Id, code or name of the %s (\"Xã Mễ Sở, Hưng Yên\"; diacritics "
		                  "optional; today's units first, those before 2025-07-01 too)",
		           f->ref && *f->ref ? f->ref : "unit");
		break;
	case F_PROVINCE:
		s = json_pack("{s:o}", "type", nullable("string"));
		buf_puts(&note, "Two-digit code or name of a province of today");
		break;
	case F_TEXT:
	case F_LONGTEXT:
	default:
		s = json_pack("{s:o}", "type", nullable("string"));
		buf_puts(&note, f->type == F_TEXT ? "One line" : "Several lines");
		break;
	}
	if (f->flags & FF_UNIQUE)
		buf_puts(&note, ". Unique: a duplicate is 409");
	label_schema(s, f, buf_cstr(&note));
	buf_free(&note);
	return s;
}

static json_t *record_schema(const struct entity *ent)
{
	json_t *props = json_object(), *req = json_array();
	static const char *const system[][3] = {
		{"id", "integer", "Id"},
		{"version", "integer", "Version: the ETag; it grows with each change"},
		{"created_at", "string", "Created (UTC)"},
		{"updated_at", "string", "Last changed (UTC)"},
		{"province_code", "string|null", "Province of today that the record belongs to"},
		{"old_province_code", "string|null", "Province before 2025-07-01, when known"},
		{"old_district_code", "string|null", "District before 2025-07-01, when known"},
		{"old_commune_code", "string|null", "Commune before 2025-07-01, when known"},
		{"old_split", "string|null",
		 "Why an old unit is unknown: 'commune' or 'province' of today was formed from "
		 "several"},
	};
	for (size_t i = 0; i < sizeof system / sizeof system[0]; i++) {
		json_t *t = strchr(system[i][1], '|') ? nullable("string") : json_string(system[i][1]);
		json_object_set_new(props, system[i][0],
		                    json_pack("{s:o,s:s}", "type", t, "description", system[i][2]));
	}
	char key[96];
	for (const struct field *f = ent->fields; f->name; f++) {
		json_object_set_new(props, f->name, field_output(f));
		const char *const *extra = NULL;
		static const char *const ref_extra[] = {"_title", NULL};
		static const char *const unit_extra[] = {"_name", "_code", NULL};
		static const char *const prov_extra[] = {"_name", NULL};
		if (f->type == F_REF)
			extra = ref_extra;
		else if (f->type == F_UNIT)
			extra = unit_extra;
		else if (f->type == F_PROVINCE)
			extra = prov_extra;
		for (; extra && *extra; extra++) {
			snprintf(key, sizeof key, "%s%s", f->name, *extra);
			json_object_set_new(props, key,
			                    json_pack("{s:o,s:s,s:b}", "type", nullable("string"),
			                              "description",
			                              !strcmp(*extra, "_title") ? "Title of the record referred to"
			                              : !strcmp(*extra, "_code") ? "Official code of the unit"
			                                                         : "Name, for display",
			                              "readOnly", 1));
		}
	}
	const char *k;
	json_t *v;
	json_object_foreach(props, k, v) json_array_append_new(req, json_string(k));
	return json_pack("{s:s,s:s,s:s,s:o,s:o}", "type", "object", "title", ent->vi, "description",
	                 ent->en, "required", req, "properties", props);
}

static json_t *input_schema(const struct entity *ent)
{
	json_t *props = json_object();
	for (const struct field *f = ent->fields; f->name; f++)
		if (!(f->flags & FF_READONLY))
			json_object_set_new(props, f->name, field_input(f));
	return json_pack("{s:s,s:s,s:b,s:o}", "type", "object", "description",
	                 "Writable fields; any other is refused (400)", "additionalProperties", 0,
	                 "properties", props);
}

static json_t *list_schema(const struct entity *ent)
{
	char name[96];
	schema_name(ent, "", name, sizeof name);
	json_t *s = J(LIST_OF("{}"));
	json_t *props = json_object_get(s, "properties");
	json_object_set_new(json_object_get(props, "items"), "items", ref("schemas", name));
	json_object_set_new(
		props, "total_exact",
		json_pack("{s:s,s:s}", "type", "boolean", "description",
			  "false when more records match than were counted: total is then a lower "
			  "bound (1000, or the end of this page if further) and the list goes on "
			  "past it; page on while a page comes back full"));
	json_array_append_new(json_object_get(s, "required"), json_string("total_exact"));
	return s;
}

/* ---- parameters ------------------------------------------------------- */

static json_t *param(const char *name, const char *in, int required, json_t *schema,
                     const char *doc)
{
	json_t *p = json_pack("{s:s,s:s,s:b,s:o}", "name", name, "in", in, "required", required,
	                      "schema", schema);
	json_object_set_new(p, "description", json_string(doc && *doc ? doc : "(not described)"));
	return p;
}

/* The words of "a|b" as a JSON array. */
static json_t *words_of(const char *choices)
{
	json_t *words = json_array();
	for (const char *c = choices; *c;) {
		size_t len = strcspn(c, "|");
		json_array_append_new(words, json_stringn(c, len));
		c += len + (c[len] == '|');
	}
	return words;
}

/* The schema of a declared parameter other than an integer or a choice. */
static json_t *text_schema(const struct query_param *qp)
{
	char pattern[80];
	switch (qp->type) {
	case QP_PROVINCE:
	case QP_OLD_PROVINCE:
		snprintf(pattern, sizeof pattern, "^(%s%s[0-9]{2})$",
			 qp->choices ? qp->choices : "", qp->choices ? "|" : "");
		return json_pack("{s:s,s:s}", "type", "string", "pattern", pattern);
	case QP_PROVINCES:
		return json_pack("{s:s,s:s}", "type", "string", "pattern",
				 "^[0-9]{2}(,[0-9]{2})*$");
	case QP_DIGITS:
		snprintf(pattern, sizeof pattern, "^[0-9]{1,%lld}$", (long long)qp->max);
		return json_pack("{s:s,s:s}", "type", "string", "pattern", pattern);
	case QP_WORD:
		return json_pack("{s:s,s:o}", "type", "string", "enum", words_of(qp->choices));
	case QP_CODE: {
		const char *field = qp->choices ? qp->choices : ".";
		char coll[40];
		snprintf(coll, sizeof coll, "%.*s", (int)strcspn(field, "."), field);
		struct buf codes = BUF_INIT;
		json_t *s = json_pack(
			"{s:s,s:o}", "type", "string", "enum",
			enum_codes(entity_field(entity_find(coll), strchr(field, '.') + 1),
				   &codes));
		buf_free(&codes);
		return s;
	}
	default:
		return json_pack("{s:s}", "type", "string");
	}
}

static json_t *doc_param(const struct name_doc *docs, const char *name, const char *in,
                         handler_fn *h)
{
	const struct query_param *qp = strcmp(in, "query") ? NULL : query_param_find(name, h);
	/* Declared once in params.c, as the router and handlers read it. */
	if (qp && qp->type == QP_INT && qp->choices) {
		json_t *words = words_of(qp->choices);
		return param(name, in, 0,
			     json_pack("{s:s,s:o,s:O}", "type", "string", "enum", words, "default",
				       json_array_get(words, 0)),
			     qp->doc);
	}
	if (qp && qp->type != QP_INT)
		return param(name, in, 0, text_schema(qp), qp->doc);
	if (qp) {
		json_t *schema = json_pack("{s:s,s:I,s:I}", "type", "integer", "minimum",
					   (json_int_t)qp->min, "maximum", (json_int_t)qp->max);
		if (qp->def)
			json_object_set_new(schema, "default", json_integer(qp->def));
		return param(name, in, 0, schema, qp->doc);
	}
	const struct name_doc *d = find_doc(docs, name, h);
	json_t *p = param(name, in, !strcmp(in, "path"), J(d ? d->schema : STR), d ? d->doc : NULL);
	if (d && d->example)
		json_object_set_new(p, "example", J(d->example));
	return p;
}

/* Calls fn for each name of a comma-separated list. */
static void each_name(const char *list, void (*fn)(const char *name, void *ctx), void *ctx)
{
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *name = strndup(p, len);
		fn(name, ctx);
		free(name);
		p = comma ? comma + 1 : NULL;
	}
}

static int has_param(json_t *params, const char *name, const char *in)
{
	size_t i;
	json_t *p;
	json_array_foreach(params, i, p) {
		if (!strcmp(json_string_value(json_object_get(p, "name")), name) &&
		    !strcmp(json_string_value(json_object_get(p, "in")), in))
			return 1;
	}
	return 0;
}

struct qctx {
	json_t *params;
	handler_fn *h;
};

static void add_query(const char *name, void *ctx)
{
	struct qctx *q = ctx;
	if (!has_param(q->params, name, "query"))
		json_array_append_new(q->params, doc_param(query_docs, name, "query", q->h));
}

/* The list parameters the statistics' links use: a date range, ids, and
 * the breakdowns through the record's establishment, village or project. */
static void add_link_params(json_t *params, const struct entity *ent)
{
	const struct field *df = record_date_field(ent);
	static const char date_schema[] = "{\"type\":\"string\",\"format\":\"date\"}";
	if (df) {
		struct buf d = BUF_INIT;
		buf_printf(&d,
		           "Records whose %s is on or after this day (2024-03-01 or 01/03/2024); "
		           "records without one are listed by year only within year_from..year_to",
		           df->en);
		json_array_append_new(params, param("date_from", "query", 0, J(date_schema),
		                                    buf_cstr(&d)));
		buf_reset(&d);
		buf_printf(&d, "Records whose %s is on or before this day (2024-08-31 or 31/08/2024)",
		           df->en);
		json_array_append_new(params, param("date_to", "query", 0, J(date_schema),
		                                    buf_cstr(&d)));
		buf_free(&d);
	}
	json_array_append_new(
		params, param("ids", "query", 0,
			      J("{\"type\":\"string\",\"pattern\":\"^[0-9]+(,[0-9]+){0,199}$\"}"),
			      "Only these records: up to 200 ids separated by commas"));
	int communes = 0;
	for (const struct rec_dim *dim = rec_dimensions; dim->name; dim++) {
		struct rec_dims d;
		char expr[600];
		rec_dims_init(&d, ent);
		if (has_param(params, dim->name, "query") ||
		    rec_dim_sql(ent, &d, dim->name, expr, sizeof expr) < 0)
			continue;
		const struct field *own = entity_field(ent, dim->name);
		if (own && (own->flags & FF_FILTER))
			continue; /* its own field, documented with the fields */
		communes |= !strcmp(dim->name, "commune");
		json_array_append_new(params, param(dim->name, "query", 0, J(STR), dim->doc));
	}
	if (communes)
		json_array_append_new(
			params, param("units", "query", 0, J(ERA_SCHEMA),
			              "old: commune= matches the commune as recorded, without rolling "
			              "old communes up into today's"));
}

/* The list parameters of a record type: the common ones and its filters. */
static void add_list_params(json_t *params, const struct entity *ent, handler_fn *h)
{
	static const char *const common[] = {"q",        "page",         "per_page", "sort",
	                                     "order",    "province",     "old_province",
	                                     "year",     "year_from",    "year_to"};
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
		const char *name = common[i];
		if (!strncmp(name, "year", 4) && !ent->year_field)
			continue; /* the list refuses year filters for these */
		if (!strcmp(name, "sort")) {
			json_t *names = json_pack("[s,s]", "id", "updated_at");
			for (const struct field *f = ent->fields; f->name; f++)
				json_array_append_new(names, json_string(f->name));
			json_array_append_new(params, param("sort", "query", 0,
			                                    json_pack("{s:s,s:o}", "type", "string",
			                                              "enum", names),
			                                    "Sort by this field (default: newest changes "
			                                    "first)"));
			continue;
		}
		json_t *p = doc_param(query_docs, name, "query", h);
		if (!strncmp(name, "year", 4)) {
			struct buf d = BUF_INIT;
			buf_printf(&d, "%s (by %s)",
			           json_string_value(json_object_get(p, "description")), ent->year_field);
			json_object_set_new(p, "description", json_string(buf_cstr(&d)));
			buf_free(&d);
		}
		json_array_append_new(params, p);
	}
	add_link_params(params, ent);
	for (const struct field *f = ent->fields; f->name; f++) {
		if (!(f->flags & FF_FILTER) || has_param(params, f->name, "query"))
			continue;
		json_t *s;
		struct buf d = BUF_INIT;
		buf_printf(&d, "Only records whose %s is this", f->en);
		if (f->type == F_ENUM) {
			struct buf codes = BUF_INIT;
			s = json_pack("{s:s,s:o}", "type", "string", "enum", enum_codes(f, &codes));
			buf_printf(&d, " (%s)", buf_cstr(&codes));
			buf_free(&codes);
		} else if (f->type == F_BOOL) {
			s = json_pack("{s:s,s:[s,s]}", "type", "string", "enum", "0", "1");
			buf_puts(&d, " (1 yes, 0 no)");
		} else if (f->type == F_REF || f->type == F_INT || f->type == F_YEAR) {
			s = json_pack("{s:s}", "type", "integer");
		} else {
			s = json_pack("{s:s}", "type", "string");
		}
		json_array_append_new(params, param(f->name, "query", 0, s, buf_cstr(&d)));
		buf_free(&d);
	}
}

/* ---- bodies ----------------------------------------------------------- */

/* The status codes of the record type named by the path's first segment
 * ("/api/v1/projects/{id}/transitions" -> projects' status field). */
static json_t *status_enum(const char *path)
{
	const char *seg = path + strlen("/api/v1/");
	const char *slash = strchr(seg, '/');
	char coll[64];
	snprintf(coll, sizeof coll, "%.*s", slash ? (int)(slash - seg) : (int)strlen(seg), seg);
	const struct entity *ent = entity_find(coll);
	const struct field *f = ent ? entity_field(ent, "status") : NULL;
	if (!f)
		return json_pack("{s:s}", "type", "string");
	struct buf d = BUF_INIT;
	json_t *s = json_pack("{s:s,s:o}", "type", "string", "enum", enum_codes(f, &d));
	json_object_set_new(s, "description", json_string(buf_cstr(&d)));
	buf_free(&d);
	return s;
}

struct bctx {
	json_t *props;
	handler_fn *h;
	const char *path;
};

static void add_body_field(const char *name, void *ctx)
{
	struct bctx *b = ctx;
	const struct name_doc *d = find_doc(body_docs, name, b->h);
	json_t *s;
	if (d && !strcmp(d->schema, "@roles"))
		s = role_enum();
	else if (d && !strcmp(d->schema, "@status"))
		s = status_enum(b->path);
	else if (d && !strcmp(d->schema, "@password"))
		s = json_pack("{s:s,s:i,s:i}", "type", "string", "minLength", PASSWORD_MIN, "maxLength",
		              PASSWORD_MAX);
	else
		s = J(d ? d->schema : STR);
	const struct letterhead_field *lf = d ? NULL : letterhead_fields;
	while (lf && lf->key && strcmp(lf->key, name))
		lf++;
	if (lf && lf->key) { /* the report's document settings describe themselves */
		json_decref(s);
		s = json_pack("{s:[s,s],s:I,s:s}", "type", "string", "null", "maxLength",
			      (json_int_t)lf->max, "description", lf->en);
	}
	if (!json_object_get(s, "description"))
		json_object_set_new(s, "description", json_string(d ? d->doc : "(not described)"));
	json_object_set_new(b->props, name, s);
}

static json_t *csv_array(const char *list)
{
	json_t *a = json_array();
	for (const char *p = list; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		json_array_append_new(a, json_stringn(p, len));
		p = comma ? comma + 1 : NULL;
	}
	return a;
}

static json_t *request_body(const struct route *rt, const char *path, const struct entity *ent,
                            const struct op_doc *od)
{
	json_t *schema;
	if (rt->fields && !strcmp(rt->fields, "*") && ent) {
		char name[96];
		schema_name(ent, "Input", name, sizeof name);
		schema = ref("schemas", name);
		if (!strcmp(rt->method, "POST")) {
			json_t *req = json_array();
			for (const struct field *f = ent->fields; f->name; f++)
				if ((f->flags & FF_REQUIRED) && !(f->flags & FF_READONLY))
					json_array_append_new(req, json_string(f->name));
			schema = json_pack("{s:[o],s:o}", "allOf", schema, "required", req);
		}
	} else {
		struct bctx b = {json_object(), rt->handler, path};
		each_name(rt->fields, add_body_field, &b);
		schema = json_pack("{s:s,s:b,s:o}", "type", "object", "additionalProperties", 0,
		                   "properties", b.props);
		if (od && od->required)
			json_object_set_new(schema, "required", csv_array(od->required));
		else if (rt->body != BODY_JSON && rt->body != BODY_FORM)
			json_object_set_new(schema, "required", csv_array(rt->fields));
	}
	json_t *content;
	if (rt->body == BODY_JSON)
		content = json_pack("{s:{s:o}}", "application/json", "schema", schema);
	else if (rt->body == BODY_FORM)
		content = json_pack("{s:{s:o}}", "application/x-www-form-urlencoded", "schema", schema);
	else /* an upload: a form with the file, or the file's bytes alone */
		content = json_pack("{s:{s:o},s:{s:{s:s,s:s}}}", "multipart/form-data", "schema", schema,
		                    "application/octet-stream", "schema", "type", "string",
		                    "contentMediaType", "application/octet-stream");
	return json_pack("{s:b,s:o}", "required", strcmp(rt->method, "PATCH") != 0, "content",
	                 content);
}

/* ---- operations ------------------------------------------------------- */

static const char *access_name(enum access a)
{
	static const char *const names[] = {"public", "login", "writer", "admin"};
	return names[a];
}

static const char *access_doc(enum access a)
{
	static const char *const docs[] = {
		"Access: anyone.",
		"Access: any logged-in account (province accounts see their province).",
		"Access: a logged-in account that is not a viewer, within its scope.",
		"Access: administrators.",
	};
	return docs[a];
}

/* "/api/v1/units/{era}/{level}/{code}" + GET -> getUnitsByEraByLevelByCode */
static void operation_id(const char *method, const char *path, char *out, size_t n)
{
	struct buf b = BUF_INIT;
	for (const char *m = method; *m; m++)
		buf_putc(&b, (char)tolower((unsigned char)*m));
	const char *p = !strncmp(path, "/api/v1", 7) ? path + 7 : path;
	if (!*p)
		buf_puts(&b, "Index");
	int up = 1;
	for (; *p; p++) {
		if (*p == '{') {
			buf_puts(&b, "By");
			up = 1;
		} else if (isalnum((unsigned char)*p)) {
			buf_putc(&b, up ? (char)toupper((unsigned char)*p) : *p);
			up = 0;
		} else {
			up = 1;
		}
	}
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* The tag of a path: the record type or the first segment after /api/v1. */
static void path_tag(const char *path, char *out, size_t n)
{
	const char *p = !strncmp(path, "/api/v1", 7) ? path + 7 : NULL;
	if (!p || !*p || !strcmp(p, "/openapi.json")) {
		snprintf(out, n, "meta");
		return;
	}
	p++;
	/* /api/v1/{parent}/{id}/attachments: the last named segment. */
	for (const char *q = p; *p == '{' && (q = strchr(q, '/')); )
		if (*++q != '{')
			p = q;
	const char *slash = strchr(p, '/');
	snprintf(out, n, "%.*s", slash ? (int)(slash - p) : (int)strlen(p), p);
}

static json_t *header(const char *type, const char *doc)
{
	return json_pack("{s:s,s:{s:s}}", "description", doc, "schema", "type", type);
}

static json_t *success_response(const struct entity *ent, const struct op_doc *od)
{
	json_t *resp = json_object();
	int status = od ? od->status : 0;
	const char *schema_text = od ? od->schema : OBJECT;
	json_object_set_new(resp, "description",
	                    json_string(status == 201   ? "Created"
	                                : status == 204 ? "Done, no body"
	                                : status == 0   ? "Success"
	                                                : "OK"));
	if (schema_text) {
		json_t *schema;
		char name[96];
		if (!strcmp(schema_text, "@record") || !strcmp(schema_text, "@list")) {
			schema_name(ent, schema_text[1] == 'l' ? "List" : "", name, sizeof name);
			schema = ref("schemas", name);
		} else {
			schema = J(schema_text);
		}
		json_t *content = json_pack("{s:{s:o}}", "application/json", "schema", schema);
		if (od && (od->flags & OP_MEDIA_ONLY))
			json_object_clear(content);
		if (od && od->media) {
			json_t *types = csv_array(od->media);
			size_t i;
			json_t *t;
			json_array_foreach(types, i, t) json_object_set_new(
				content, json_string_value(t),
				json_pack("{s:{s:s,s:s}}", "schema", "type", "string", "format", "binary"));
			json_decref(types);
		}
		json_object_set_new(resp, "content", content);
	}
	json_t *headers = json_object();
	if (od && (od->flags & OP_ETAG))
		json_object_set_new(headers, "ETag",
		                    header("string", "The record's version, quoted: send it back as "
		                                     "If-Match"));
	if (od && (od->flags & OP_MEDIA_ONLY))
		json_object_set_new(headers, "ETag",
				    header("string",
					   "Changes exactly when the content does: send it "
					   "back as If-None-Match to get 304"));
	if (od && (od->flags & OP_LOCATION))
		json_object_set_new(headers, "Location", header("string", "URL of the new record"));
	if (od && (od->flags & OP_COOKIE))
		json_object_set_new(headers, "Set-Cookie",
		                    header("string", "kc_session (HttpOnly, SameSite=Lax)"));
	if (json_object_size(headers))
		json_object_set_new(resp, "headers", headers);
	else
		json_decref(headers);
	return resp;
}

static void add_error(json_t *responses, int status)
{
	char code[8];
	snprintf(code, sizeof code, "%d", status);
	json_object_set_new(responses, code, ref("responses", error_response_name(status)));
}

static json_t *operation(const struct route *rt, const char *path, const struct entity *ent)
{
	const struct op_doc *od = find_op(rt->handler);
	json_t *op = json_object();
	char tag[64], opid[160];
	path_tag(path, tag, sizeof tag);
	operation_id(rt->method, path, opid, sizeof opid);
	json_object_set_new(op, "tags", json_pack("[s]", tag));
	json_object_set_new(op, "operationId", json_string(opid));
	struct buf s = BUF_INIT, d = BUF_INIT;
	if (ent)
		buf_printf(&s, "%s: %s", ent->plural_en, rt->summary);
	else
		buf_puts(&s, rt->summary);
	json_object_set_new(op, "summary", json_string(buf_cstr(&s)));
	if (ent)
		buf_printf(&d, "%s (%s). ", ent->plural_vi, ent->collection);
	if (od && od->notes)
		buf_printf(&d, "%s ", od->notes);
	buf_puts(&d, access_doc(rt->access));
	json_object_set_new(op, "description", json_string(buf_cstr(&d)));
	buf_free(&s);
	buf_free(&d);
	json_object_set_new(op, OPENAPI_ACCESS_KEY, json_string(access_name(rt->access)));
	if (rt->access == ACCESS_PUBLIC)
		json_object_set_new(op, "security", json_array());

	/* Parameters: the path's placeholders, then the declared query. */
	json_t *params = json_array();
	for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		char *name = strndup(p + 1, (size_t)(end - p - 1));
		json_array_append_new(params, doc_param(path_docs, name, "path", rt->handler));
		free(name);
	}
	if (rt->query && !strcmp(rt->query, "*") && ent) {
		add_list_params(params, ent, rt->handler);
	} else {
		struct qctx q = {params, rt->handler};
		each_name(rt->query, add_query, &q);
	}
	if (od && (od->flags & OP_IF_MATCH))
		json_array_append_new(params, ref("parameters", "IfMatch"));
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);

	if (rt->body != BODY_NONE)
		json_object_set_new(op, "requestBody", request_body(rt, path, ent, od));

	json_t *responses = json_object();
	char code[8];
	/* A handler op_docs does not know: 200 for a read, any 2XX otherwise. */
	if (od)
		snprintf(code, sizeof code, "%d", od->status);
	else
		snprintf(code, sizeof code, "%s", strcmp(rt->method, "GET") ? "2XX" : "200");
	json_object_set_new(responses, code, success_response(ent, od));
	/* Every route refuses undeclared query parameters. */
	add_error(responses, 400);
	if (rt->access != ACCESS_PUBLIC) {
		add_error(responses, 401);
		add_error(responses, 403);
	}
	if (strchr(path, '{'))
		add_error(responses, 404);
	if (od && (od->flags & OP_CONFLICT))
		add_error(responses, 409);
	if (od && (od->flags & OP_IF_MATCH))
		add_error(responses, 412);
	if (rt->query || rt->body != BODY_NONE)
		add_error(responses, 413);
	if (rt->body == BODY_JSON)
		add_error(responses, 415);
	if (od && (od->flags & OP_THROTTLED))
		add_error(responses, 429);
	if (od && (od->flags & OP_UNAVAILABLE))
		json_object_set_new(responses, "503",
		                    json_pack("{s:s,s:{s:{s:o}}}", "description",
		                              "The database cannot be reached", "content",
		                              "application/json", "schema", ref("schemas", "Health")));
	json_object_set_new(op, "responses", responses);
	return op;
}

static int documented(const struct route *rt)
{
	return !strcmp(rt->pattern, "/healthz") || !strcmp(rt->pattern, "/api/v1") ||
	       !strncmp(rt->pattern, "/api/v1/", 8);
}

static void add_operation(json_t *paths, json_t *tags, const struct route *rt, const char *path,
                          const struct entity *ent)
{
	json_t *item = json_object_get(paths, path);
	if (!item) {
		item = json_object();
		json_object_set_new(paths, path, item);
	}
	char method[16];
	snprintf(method, sizeof method, "%s", rt->method);
	for (char *m = method; *m; m++)
		*m = (char)tolower((unsigned char)*m);
	json_t *op = operation(rt, path, ent);
	const char *tag = json_string_value(json_array_get(json_object_get(op, "tags"), 0));
	if (!json_object_get(tags, tag))
		json_object_set_new(tags, tag, json_null());
	json_object_set_new(item, method, op);
}

/* ---- the document ----------------------------------------------------- */

static const char *const tag_docs[][2] = {
	{"meta", "Máy chủ và mô tả API / Server health and this description"},
	{"session", "Đăng nhập, đăng xuất / Logging in and out"},
	{"users", "Tài khoản / Accounts"},
	{"audit", "Nhật ký thay đổi / The audit trail"},
	{"units", "Đơn vị hành chính cũ và mới / Administrative units, old and new"},
	{"suggest",
	 "Gợi ý khi gõ vào ô chọn bản ghi / What the pickers of forms offer while typing"},
	{"indicators", "Danh mục chỉ tiêu / The indicator catalogue"},
	{"stats", "Thống kê / Statistics"},
	{"reports", "Báo cáo định kỳ / Periodic reports"},
	{"dashboard", "Bảng điều khiển / Dashboard"},
	{"reporting-periods", "Kỳ báo cáo / Reporting periods"},
	{"submissions", "Báo cáo định kỳ gửi Bộ / Periodic reports sent up the chain"},
	{"reporting-status", "Tình hình gửi báo cáo / Who has reported"},
	{"outcomes", "Kết quả sau hỗ trợ: báo cáo đến hạn của cơ sở / Outcomes after support: "
		     "the reports due from establishments"},
	{"report-settings", "Thể thức văn bản báo cáo / The report's document settings"},
	{"backup", "Sao lưu / Backups"},
	{"jobs", "Công việc nền: nhập tệp, tệp báo cáo / Background jobs: imports, report files"},
	{"notifications",
	 "Thông báo trong hệ thống của tài khoản / The account's in-app notifications"},
	{"attachments", "Tệp đính kèm của đề án, kế hoạch, cơ sở, báo cáo / Files attached to "
			"projects, plans, establishments and reports"},
	{"public", "Danh mục công khai và truy xuất nguồn gốc / Public catalogue and traceability"},
};

static json_t *tag_list(json_t *seen)
{
	json_t *tags = json_array();
	const char *name;
	json_t *v;
	json_object_foreach(seen, name, v) {
		struct buf d = BUF_INIT;
		const struct entity *ent = entity_find(name);
		if (ent)
			buf_printf(&d, "%s / %s", ent->plural_vi, ent->plural_en);
		for (size_t i = 0; !ent && i < sizeof tag_docs / sizeof tag_docs[0]; i++)
			if (!strcmp(tag_docs[i][0], name))
				buf_puts(&d, tag_docs[i][1]);
		json_t *t = json_pack("{s:s}", "name", name);
		if (d.len)
			json_object_set_new(t, "description", json_string(buf_cstr(&d)));
		json_array_append_new(tags, t);
		buf_free(&d);
	}
	return tags;
}

static const char info_doc[] =
	"The JSON API of khuyencong, the information system of Vietnam's industrial-extension "
	"(khuyến công) offices. This document is generated by the server from its route table "
	"and record types.\n\n"
	"**Authentication.** `POST /api/v1/session` with `{\"username\",\"password\"}` answers a "
	"`token` and a `csrf` token and sets the `kc_session` cookie. Programs send "
	"`Authorization: Bearer TOKEN`. Browsers use the cookie; then every unsafe request "
	"(POST, PATCH, DELETE) must carry the `X-CSRF-Token` header with the `csrf` value "
	"(`GET /api/v1/session` tells it again), or it is refused with 403 `csrf`.\n\n"
	"**Errors** are `{\"error\":{\"code\",\"message\",\"field\"}}` with the HTTP status: the "
	"message is \"Vietnamese / English\" and field names the parameter, field or header at "
	"fault. A path that exists with other methods answers 405 with `Allow`.\n\n"
	"**Concurrency.** A record's `ETag` is its version; send it back as `If-Match` on PATCH "
	"and DELETE, and a change made meanwhile by someone else is refused with 412 "
	"`precondition_failed`.\n\n"
	"**Lists** answer `{items, total, page, per_page}`; `page` from 1, `per_page` up to 500. "
	"A record list also says `total_exact`: its matches are counted up to 1000 (or to the "
	"end of the page asked for), and when more match, `total` is that bound and "
	"`total_exact` is false (shown as \"hơn 1000\" on the list page). "
	"Query parameters and body fields that a route does not declare are refused (400).\n\n"
	"**Vietnamese values.** Numbers `9.590`, decimals `24,7`, money `24,7 tỷ đồng` (stored as "
	"integer đồng), dates `17/05/2016`, quantities `trên 80%`, units and provinces by code "
	"or name with or without diacritics, enum values by code or label.";

static json_t *build(void)
{
	json_t *paths = json_object(), *seen_tags = json_object();
	for (const struct route *rt = routes; rt->method; rt++) {
		if (!documented(rt))
			continue;
		if (strstr(rt->pattern, "{collection}")) {
			const char *at = strstr(rt->pattern, "{collection}");
			for (const struct entity *ent = entities; ent->collection; ent++) {
				if (!route_serves(rt, ent))
					continue;
				struct buf p = BUF_INIT;
				buf_printf(&p, "%.*s%s%s", (int)(at - rt->pattern), rt->pattern, ent->collection,
				           at + strlen("{collection}"));
				add_operation(paths, seen_tags, rt, buf_cstr(&p), ent);
				buf_free(&p);
			}
		} else {
			add_operation(paths, seen_tags, rt, rt->pattern, NULL);
		}
	}

	json_t *schemas = json_object();
	for (size_t i = 0; i < sizeof shared_schemas / sizeof shared_schemas[0]; i++) {
		json_t *s = J(shared_schemas[i][1]);
		fill_placeholders(s);
		json_object_set_new(schemas, shared_schemas[i][0], s);
	}
	for (const struct entity *ent = entities; ent->collection; ent++) {
		char name[96];
		schema_name(ent, "", name, sizeof name);
		json_object_set_new(schemas, name, record_schema(ent));
		schema_name(ent, "Input", name, sizeof name);
		json_object_set_new(schemas, name, input_schema(ent));
		schema_name(ent, "List", name, sizeof name);
		json_object_set_new(schemas, name, list_schema(ent));
	}

	json_t *responses = json_object();
	for (size_t i = 0; i < sizeof error_responses / sizeof error_responses[0]; i++) {
		struct buf d = BUF_INIT, codes = BUF_INIT;
		codes_of(error_responses[i].status, &codes);
		buf_printf(&d, "%s. Error code: %s.", error_responses[i].doc, buf_cstr(&codes));
		buf_free(&codes);
		json_t *r = json_pack("{s:s,s:{s:{s:o}}}", "description", buf_cstr(&d), "content",
		                      "application/json", "schema", ref("schemas", "Error"));
		if (error_responses[i].status == 405)
			json_object_set_new(r, "headers",
			                    json_pack("{s:o}", "Allow",
			                              header("string", "The methods of the path")));
		if (error_responses[i].status == 429)
			json_object_set_new(r, "headers",
			                    json_pack("{s:o}", "Retry-After",
			                              header("integer", "Seconds to wait")));
		json_object_set_new(responses, error_responses[i].name, r);
		buf_free(&d);
	}

	json_t *parameters = json_pack(
		"{s:{s:s,s:s,s:b,s:{s:s},s:s,s:s}}", "IfMatch", "name", "If-Match", "in", "header",
		"required", 0, "schema", "type", "string", "description",
		"The ETag of the record as read (\"3\"; W/\"3\" and 3 are accepted too). Without it the "
		"change is made whatever the version.",
		"example", "\"3\"");

	json_t *security_schemes = json_pack(
		"{s:{s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s}}", "bearerAuth", "type", "http", "scheme",
		"bearer", "description",
		"The token answered by POST /api/v1/session: Authorization: Bearer TOKEN. No CSRF "
		"token is needed.",
		"cookieAuth", "type", "apiKey", "in", "cookie", "name", "kc_session", "description",
		"The session cookie set at login (HttpOnly, SameSite=Lax). Unsafe methods (POST, "
		"PATCH, DELETE) must also send the header X-CSRF-Token with the csrf value answered "
		"by POST or GET /api/v1/session; without it they are refused with 403 csrf.");

	json_t *tags = tag_list(seen_tags);
	json_decref(seen_tags);
	return json_pack(
		"{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:[{s:[]},{s:[]}],s:o,s:{s:o,s:o,s:o,s:o}}",
		"openapi", "3.1.0", "info", "title", "khuyencong API", "version", KC_VERSION,
		"description", info_doc, "servers", "url", "/", "tags", tags, "security", "bearerAuth",
		"cookieAuth", "paths", paths, "components", "schemas", schemas, "responses", responses,
		"parameters", parameters, "securitySchemes", security_schemes);
}

static char *doc_text;
static pthread_once_t doc_once = PTHREAD_ONCE_INIT;

static void build_once(void)
{
	json_t *doc = build();
	doc_text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!doc_text)
		abort();
}

const char *openapi_text(void)
{
	pthread_once(&doc_once, build_once);
	return doc_text;
}

json_t *openapi_document(void)
{
	return J(openapi_text());
}

void h_api_openapi(struct req *r, struct resp *w)
{
	(void)r;
	buf_reset(&w->body);
	buf_puts(&w->body, openapi_text());
	w->status = 200;
	w->content_type = "application/json; charset=utf-8";
	resp_header(r, w, "Cache-Control", "no-cache");
}
