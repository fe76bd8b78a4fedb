/* handlers.h - every request handler named in the route table (routes.c). */
#ifndef KC_HANDLERS_H
#define KC_HANDLERS_H

#include "web/http.h"

/* meta */
void h_healthz(struct req *r, struct resp *w);
void h_api_index(struct req *r, struct resp *w);
void h_static(struct req *r, struct resp *w);
/* the API described (openapi.c, page_api.c) and backups (api_backup.c) */
void h_api_openapi(struct req *r, struct resp *w);
void h_api_page(struct req *r, struct resp *w);
void h_api_backup_status(struct req *r, struct resp *w);
/* session API */
void h_api_session_create(struct req *r, struct resp *w);
void h_api_session_get(struct req *r, struct resp *w);
void h_api_session_delete(struct req *r, struct resp *w);
/* accounts and audit API */
void h_api_users_list(struct req *r, struct resp *w);
void h_api_users_create(struct req *r, struct resp *w);
void h_api_user_update(struct req *r, struct resp *w);
void h_api_audit_list(struct req *r, struct resp *w);
/* shell pages */
void h_login_page(struct req *r, struct resp *w);
void h_login_post(struct req *r, struct resp *w);
void h_logout_post(struct req *r, struct resp *w);
void h_lang_post(struct req *r, struct resp *w);
void h_home(struct req *r, struct resp *w);
/* The latest changes as a list: the whole trail for an administrator, the
 * caller's own changes otherwise; nothing on error (page_audit.c). */
void audit_recent(struct req *r, struct resp *w, int limit);
/* admin and account pages */
void h_users_page(struct req *r, struct resp *w);
void h_users_post(struct req *r, struct resp *w);
void h_user_post(struct req *r, struct resp *w);
void h_audit_page(struct req *r, struct resp *w);
void h_account_page(struct req *r, struct resp *w);
void h_account_post(struct req *r, struct resp *w);

/* records API (api_records.c) */
void h_api_records_list(struct req *r, struct resp *w);
void h_api_suggest(struct req *r, struct resp *w);
void h_api_record_get(struct req *r, struct resp *w);
void h_api_record_create(struct req *r, struct resp *w);
void h_api_record_update(struct req *r, struct resp *w);
void h_api_record_delete(struct req *r, struct resp *w);
void h_api_project_steps(struct req *r, struct resp *w);
void h_api_project_transition(struct req *r, struct resp *w);
void h_api_proposal_transition(struct req *r, struct resp *w);
/* record pages (page_records.c) */
void h_records_page(struct req *r, struct resp *w);
void h_record_page(struct req *r, struct resp *w);
void h_record_new_page(struct req *r, struct resp *w);
void h_record_new_post(struct req *r, struct resp *w);
void h_record_edit_page(struct req *r, struct resp *w);
void h_record_edit_post(struct req *r, struct resp *w);
void h_record_delete_post(struct req *r, struct resp *w);
void h_project_transition_post(struct req *r, struct resp *w);
void h_proposal_transition_post(struct req *r, struct resp *w);
void h_results_page(struct req *r, struct resp *w);
/* outcome reports of establishments (page_outcomes.c) */
void h_outcomes_page(struct req *r, struct resp *w);
void h_outcome_transition_post(struct req *r, struct resp *w);
void h_api_outcome_transition(struct req *r, struct resp *w);
void h_api_outcomes(struct req *r, struct resp *w);
/* the exchange on a proposal and notifications (page_proposal.c) */
void h_proposal_message_post(struct req *r, struct resp *w);
void h_api_proposal_messages(struct req *r, struct resp *w);
void h_api_proposal_message_create(struct req *r, struct resp *w);
void h_notifications_page(struct req *r, struct resp *w);
void h_notifications_read_post(struct req *r, struct resp *w);
void h_api_notifications(struct req *r, struct resp *w);
void h_proposal_file_post(struct req *r, struct resp *w);
void h_proposal_file_get(struct req *r, struct resp *w);
void h_attachment_post(struct req *r, struct resp *w);
void h_api_attachments_list(struct req *r, struct resp *w);
void h_api_attachment_create(struct req *r, struct resp *w);
void h_api_attachment_get(struct req *r, struct resp *w);
void h_api_attachment_delete(struct req *r, struct resp *w);
void h_attachment_delete_post(struct req *r, struct resp *w);
/* The files of parent/id (a project, plan, establishment or submission)
 * and the form to attach one; nothing for other parents (page_attachments.c).
 * For the parent's own page, which has read it as r's actor already (its
 * scope checked): the parent is not read again. */
void attachments_section(struct req *r, struct resp *w, const char *parent, int64_t id);
/* A file to save, never shown in the page's origin: Content-Disposition
 * attachment with name, a sandbox CSP, private; data is copied
 * (page_attachments.c). */
void reply_download(struct req *r, struct resp *w, const char *name, const char *content_type,
		    const void *data, size_t size);
/* A stored UTC time as read in Vietnam: 05/12/2026 07:37 (arena memory). */
const char *page_when(struct req *r, const char *iso);
/* several steps of a lot at once (page_lot_steps.c) */
void h_lot_steps_post(struct req *r, struct resp *w);

/* a programme's targets (page_targets.c) */
void h_targets_page(struct req *r, struct resp *w);
/* the reporting chain (page_submissions.c, api_submissions.c) */
void h_submissions_page(struct req *r, struct resp *w);
void h_submissions_post(struct req *r, struct resp *w);
void h_submission_page(struct req *r, struct resp *w);
void h_submission_transition_post(struct req *r, struct resp *w);
void h_reporting_status_page(struct req *r, struct resp *w);
void h_api_submissions_list(struct req *r, struct resp *w);
void h_api_submission_create(struct req *r, struct resp *w);
void h_api_submission_get(struct req *r, struct resp *w);
void h_api_submission_snapshot(struct req *r, struct resp *w);
void h_api_submission_file(struct req *r, struct resp *w);
void h_api_submission_compare(struct req *r, struct resp *w);
void h_api_submission_changes(struct req *r, struct resp *w);
void h_api_submission_transition(struct req *r, struct resp *w);
void h_api_reporting_status(struct req *r, struct resp *w);
/* the national report consolidated from accepted submissions (page_consolidated.c) */
void h_consolidated_page(struct req *r, struct resp *w);
void h_api_consolidated(struct req *r, struct resp *w);
/* The period_kind and year of the query, checked (both required when
 * required, else both or neither: *kind NULL); replies 400 and returns < 0. */
int chain_period_or_reply(struct req *r, struct resp *w, int required, const char **kind,
			  int64_t *year);
/* An ISO date ("2025-06-20": "20/06/2025") or UTC time ("…T03:11:14Z":
 * Vietnam's "05/12/2026 10:11") as the pages show it; "—" for NULL. */
void chain_date(char out[24], const char *iso);
/* The reports the province officer of r still has to send or resend, as
 * <li> lines of the home page's to-do list; returns how many. */
int chain_home_todo(struct req *r, struct resp *w);

/* statistics (api_stats.c, page_stats.c) */
struct stat_query;
int stat_query_or_reply(struct req *r, struct resp *w, struct stat_query *q);
/* Provinces compared side by side: the query's "province" when it names
 * several (a list or a multi-select), into codes; *n = 0 for one or none. */
#define STATS_COMPARE_MAX 34
int stats_compare_or_reply(struct req *r, struct resp *w, const char **codes, int *n);
/* The map of out (a stats_view() result of q by province) as SVG into svg,
 * titled with its indicator and period, each province linking to /stats
 * with the request's query; the <svg> gets id. ERR_INVALID naming "by" when
 * out is not by province. */
/* The map of indicator by province for the request's period and filters,
 * as a figure on the page; nothing for an account that sees one province. */
void stats_map_section(struct req *r, struct resp *w, const char *indicator);
/* How many map sections were served as drawn before (kept in the statistics
 * memo under their statistic's versions), in this process: for tests. */
unsigned long map_sections_reused(void);
int stats_map_svg(struct req *r, const struct stat_query *q, json_t *out, const char *id,
		  struct buf *svg, struct err *e);
struct period;
int period_or_reply(struct req *r, struct resp *w, const struct period **out);
void h_api_periods(struct req *r, struct resp *w);
/* The period and filter fields of the statistics and dashboard forms. */
void stats_period_fields(struct req *r, struct resp *w);
/* Its two halves: the period's fields only, and the content type, funding
 * and illustrative filters. */
void stats_period_only_fields(struct req *r, struct resp *w);
void stats_filter_fields(struct req *r, struct resp *w);
/* The province picker of the statistics and dashboard forms: today's
 * provinces by name, several at once, the query's "province" selected. */
void stats_province_picker(struct req *r, struct resp *w);
void h_api_period_update(struct req *r, struct resp *w);
void h_periods_page(struct req *r, struct resp *w);
void h_periods_post(struct req *r, struct resp *w);
void h_api_indicators(struct req *r, struct resp *w);
void h_api_stats(struct req *r, struct resp *w);
void h_api_stats_map(struct req *r, struct resp *w);
void h_stats_page(struct req *r, struct resp *w);
/* The options of a "break down by" select (province, year, the records'
 * dimensions) with labels in the reader's language; cur selected. */
void page_by_options(struct req *r, struct resp *w, const char *cur);
void h_api_targets(struct req *r, struct resp *w);
void h_api_report(struct req *r, struct resp *w);
void h_reports_page(struct req *r, struct resp *w);
void h_api_report_settings(struct req *r, struct resp *w);
void h_api_report_settings_update(struct req *r, struct resp *w);
void h_report_settings_page(struct req *r, struct resp *w);
void h_report_settings_post(struct req *r, struct resp *w);
void h_api_dashboard(struct req *r, struct resp *w);
void h_dashboard_page(struct req *r, struct resp *w);
void h_dashboard_chart(struct req *r, struct resp *w);

/* Reads the audit filter and page from the query (shared by the API and the
 * page); replies 400 and returns < 0 on bad input. */
struct audit_filter;
int audit_filter_or_reply(struct req *r, struct resp *w, struct audit_filter *f, int64_t *page);

/* administrative units API (api_units.c) */
void h_api_units_list(struct req *r, struct resp *w);
void h_api_unit_get(struct req *r, struct resp *w);

/* the public side (public.c, public_trace.c) and products (page_products.c) */
void h_pub_products(struct req *r, struct resp *w);
void h_pub_product(struct req *r, struct resp *w);
void h_pub_establishment(struct req *r, struct resp *w);
void h_pub_village(struct req *r, struct resp *w);
void h_pub_typical(struct req *r, struct resp *w);
void h_pub_verify(struct req *r, struct resp *w);
void h_pub_photo(struct req *r, struct resp *w);
void h_trace_lot(struct req *r, struct resp *w);
void h_trace_dlink(struct req *r, struct resp *w);
void h_trace_qr_svg(struct req *r, struct resp *w);
void h_trace_qr_png(struct req *r, struct resp *w);
void h_api_pub_products(struct req *r, struct resp *w);
void h_api_pub_product(struct req *r, struct resp *w);
void h_api_pub_lot(struct req *r, struct resp *w);
void h_api_pub_key(struct req *r, struct resp *w);
void h_api_photos_list(struct req *r, struct resp *w);
void h_api_photo_create(struct req *r, struct resp *w);
void h_api_photo_delete(struct req *r, struct resp *w);
void h_photo_upload_post(struct req *r, struct resp *w);
void h_photo_remove_post(struct req *r, struct resp *w);
void h_lot_labels(struct req *r, struct resp *w);
/* The product and lot parts of their record pages (photos, QR code and
 * labels), called by h_record_page for every record type. */
struct entity;
void products_page_extras(struct req *r, struct resp *w, const struct entity *ent, json_t *rec,
                          int64_t id);

/* import (page_import.c) */
void h_import_page(struct req *r, struct resp *w);
void h_import_post(struct req *r, struct resp *w);
void h_import_commit_post(struct req *r, struct resp *w);
void h_import_bad_rows(struct req *r, struct resp *w);
void h_import_template(struct req *r, struct resp *w);

/* background jobs (page_jobs.c) and report files made by one (page_reports.c) */
void h_api_job_get(struct req *r, struct resp *w);
void h_api_job_cancel(struct req *r, struct resp *w);
void h_job_page(struct req *r, struct resp *w);
void h_job_cancel_post(struct req *r, struct resp *w);
void h_job_result(struct req *r, struct resp *w);
void h_report_job_post(struct req *r, struct resp *w);

#endif
