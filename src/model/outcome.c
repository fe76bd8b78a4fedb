/* outcome.c - an establishment's report of the outcomes of its support and
 * its review by the province (docs/reporting.md "Báo cáo kết quả sau hỗ
 * trợ"): the moves are a table, checked in one place; each is a status
 * change of the record, audited, and a notice to the other side. */
#include "model/outcome.h"

#include "core/clock.h"
#include "core/vtext.h"
#include "model/notify.h"
#include "model/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum by { BY_ESTABLISHMENT, BY_PROVINCE };

static const struct move {
	const char *from, *to;
	enum by by;
	int note; /* a written comment is required */
} moves[] = {
	{"draft", "submitted", BY_ESTABLISHMENT, 0},
	{"returned", "submitted", BY_ESTABLISHMENT, 0},
	{"submitted", "accepted", BY_PROVINCE, 0},
	{"submitted", "returned", BY_PROVINCE, 1},
	{NULL, NULL, 0, 0},
};

static int by_of(const struct actor *a)
{
	if (a->role == ROLE_ESTABLISHMENT)
		return BY_ESTABLISHMENT;
	return a->role == ROLE_PROVINCE || a->role == ROLE_ADMIN ? BY_PROVINCE : -1;
}

json_t *outcome_moves(const struct actor *a, const char *status)
{
	json_t *arr = json_array();
	for (const struct move *m = moves; m->from; m++)
		if (status && !strcmp(m->from, status) && (int)m->by == by_of(a))
			json_array_append_new(
				arr, json_pack("{s:s,s:b}", "to", m->to, "note_required", m->note));
	return arr;
}

static int64_t int_of(json_t *rec, const char *key)
{
	json_t *v = json_object_get(rec, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* The machinery support mid: it must be the establishment's; its project
 * into *pid (when it has one and none was given), else the day its report
 * is due (the end of the year after the support's) into due. */
static int machinery_of(struct store *st, int64_t est, int64_t mid, int64_t *pid, char due[32],
			struct errs *l, struct err *e)
{
	struct stmt *s = store_prepare(
		st, "SELECT establishment_id, project_id, year FROM machinery WHERE id = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", mid);
	int rc = stmt_step(s, e);
	if (rc == 1 && stmt_int(s, 0) != est)
		errs_set(l, ERR_INVALID, "machinery_id",
			 "Máy móc này không được hỗ trợ cho cơ sở của báo cáo / this machinery "
			 "support is not the establishment's");
	else if (rc == 1 && !stmt_isnull(s, 1) && *pid && stmt_int(s, 1) != *pid)
		errs_set(l, ERR_INVALID, "machinery_id",
			 "Máy móc này thuộc đề án khác / this machinery support belongs to "
			 "another project");
	else if (rc == 1 && !stmt_isnull(s, 1))
		*pid = stmt_int(s, 1);
	else if (rc == 1 && !stmt_isnull(s, 2))
		snprintf(due, 32, "%04lld-12-31", (long long)stmt_int(s, 2) + 1);
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* The day a year after ISO date d (29 Feb: 28 Feb). */
static void year_after(const char *d, char due[32])
{
	if (strlen(d) < 10) {
		due[0] = 0;
		return;
	}
	snprintf(due, 32, "%04d-%.5s", atoi(d) + 1, strcmp(d + 4, "-02-29") ? d + 5 : "02-28");
}

/* Project pid must support est and be accepted; its acceptance date plus
 * a year into due ("" when no acceptance step is dated). */
static int project_of(struct store *st, int64_t est, int64_t pid, char due[32], struct errs *l,
		      struct err *e)
{
	struct stmt *s = store_prepare(
		st,
		"SELECT p.status, (SELECT MIN(event_date) FROM project_events v WHERE"
		" v.project_id = p.id AND v.status = 'accepted') FROM projects p WHERE p.id = ? AND"
		" (p.establishment_id = ? OR EXISTS (SELECT 1 FROM beneficiaries b WHERE"
		" b.project_id = p.id AND b.establishment_id = ?))",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "iii", pid, est, est);
	int rc = stmt_step(s, e);
	const char *status = rc == 1 && !stmt_isnull(s, 0) ? stmt_text(s, 0) : "";
	if (rc == 0)
		errs_set(l, ERR_INVALID, "project_id",
			 "Đề án này không hỗ trợ cơ sở của báo cáo / this project did not support "
			 "the establishment");
	else if (rc == 1 && strcmp(status, "accepted") && strcmp(status, "settled"))
		errs_set(l, ERR_INVALID, "project_id",
			 "Đề án chưa được nghiệm thu: kết quả được báo cáo sau nghiệm thu / the "
			 "project is not accepted yet: outcomes are reported after acceptance");
	else if (rc == 1 && !stmt_isnull(s, 1))
		year_after(stmt_text(s, 1), due);
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* One report per support and year. */
static int one_per_year(struct store *st, json_t *rec, int64_t est, struct errs *l, struct err *e)
{
	int64_t n = 0, year = int_of(rec, "year");
	int rc = store_int(st, e, &n,
			   "SELECT COUNT(*) FROM outcome_reports WHERE establishment_id = ? AND"
			   " COALESCE(project_id, 0) = ? AND COALESCE(machinery_id, 0) = ? AND"
			   " year = ? AND id <> ?",
			   "iiiii", est, int_of(rec, "project_id"), int_of(rec, "machinery_id"),
			   year, int_of(rec, "id"));
	if (rc >= 0 && n > 0)
		errs_set(l, ERR_CONFLICT, "year",
			 "Đã có báo cáo kết quả năm %lld cho hỗ trợ này / there is already an "
			 "outcome report of %lld for this support",
			 (long long)year, (long long)year);
	return rc < 0 ? rc : 0;
}

int outcome_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	(void)ent;
	if (!json_is_string(json_object_get(rec, "status")))
		json_object_set_new(rec, "status", json_string("draft"));
	int64_t est = int_of(rec, "establishment_id"), pid = int_of(rec, "project_id"),
		mid = int_of(rec, "machinery_id");
	if (!est)
		return 0; /* the required field says it */
	if (!pid && !mid) {
		errs_set(l, ERR_INVALID, "project_id",
			 "Chọn đề án hoặc máy móc được hỗ trợ / choose the project or the "
			 "machinery support reported on");
		return 0;
	}
	char due[32] = "";
	struct err e;
	int n = l->n, rc = mid ? machinery_of(st, est, mid, &pid, due, l, &e) : 0;
	if (rc == 0 && pid && l->n == n) {
		json_object_set_new(rec, "project_id", json_integer(pid));
		rc = project_of(st, est, pid, due, l, &e);
	}
	int64_t year = int_of(rec, "year");
	if (rc == 0 && due[0] && year && year < atoi(due) - 1)
		errs_set(l, ERR_INVALID, "year",
			 "Năm báo cáo trước năm được hỗ trợ (%d) / the year reported is before "
			 "the year of the support (%d)",
			 atoi(due) - 1, atoi(due) - 1);
	if (rc == 0 && l->n == n)
		rc = one_per_year(st, rec, est, l, &e);
	if (rc < 0)
		return rc;
	json_object_set_new(rec, "due_date", due[0] ? json_string(due) : json_null());
	return 0;
}

int outcome_may_change(const struct actor *a, json_t *stored, struct err *e)
{
	(void)a;
	const char *status = json_string_value(json_object_get(stored, "status"));
	if (!status || !strcmp(status, "draft") || !strcmp(status, "returned"))
		return 0;
	return err_set(e, ERR_CONFLICT, "status",
		       "Báo cáo kết quả đã ở trạng thái \"%s\" nên không sửa được; Sở Công "
		       "Thương trả lại thì mới sửa được / the outcome report is \"%s\": it can "
		       "be changed only once returned by the department",
		       status, status);
}

static int set_text(struct store *st, const struct actor *a, int64_t id, const char *field,
		    const char *v, const char *action, struct err *e)
{
	json_t *j = json_string(v);
	int rc = record_set_system(st, a, entity_find("outcome-reports"), id, field, j, action, e);
	json_decref(j);
	return rc;
}

/* A notice to the side that did not act. */
static int notify_other(struct store *st, const struct actor *a, json_t *r, const char *to,
			struct err *e)
{
	int64_t id = int_of(r, "id");
	char link[48], msg[200];
	snprintf(link, sizeof link, "/outcome-reports/%lld", (long long)id);
	const struct field *sf = entity_field(entity_find("outcome-reports"), "status");
	char vi[60], en[60];
	field_enum_label(sf, to, "vi", vi, sizeof vi);
	field_enum_label(sf, to, "en", en, sizeof en);
	snprintf(msg, sizeof msg, "Báo cáo kết quả số %lld: %s / Outcome report %lld: %s",
		 (long long)id, vi, (long long)id, en);
	if (a->role == ROLE_ESTABLISHMENT)
		return notify_province(st, json_string_value(json_object_get(r, "province_code")),
				       msg, link, e);
	return notify_establishment(st, int_of(r, "establishment_id"), msg, link, e);
}

static const struct move *find_move(const struct actor *a, const char *from, const char *to)
{
	for (const struct move *m = moves; m->from; m++)
		if (!strcmp(m->from, from) && !strcmp(m->to, to) && (int)m->by == by_of(a))
			return m;
	return NULL;
}

/* The move itself, in the caller's transaction. */
static int move(struct store *st, const struct actor *a, int64_t id, const char *to,
		const char *note, struct err *e)
{
	json_t *r = NULL;
	int rc = record_get(st, a, entity_find("outcome-reports"), id, &r, e);
	const char *from = r ? json_string_value(json_object_get(r, "status")) : NULL;
	const struct move *m = rc == 0 ? find_move(a, from ? from : "draft", to) : NULL;
	if (rc == 0 && !m)
		rc = err_set(e, ERR_CONFLICT, "to",
			     "Không chuyển được báo cáo kết quả từ \"%s\" sang \"%s\" / cannot "
			     "move the outcome report from %s to %s",
			     from ? from : "draft", to, from ? from : "draft", to);
	if (rc == 0 && m->note && !*note)
		rc = err_set(e, ERR_INVALID, "note",
			     "Hãy ghi lý do trả lại / write why the report is returned");
	if (rc == 0)
		rc = set_text(st, a, id, "status", to, "transition", e);
	char today[11];
	clock_today_vn(today);
	if (rc == 0 && m->by == BY_ESTABLISHMENT)
		rc = set_text(st, a, id, "submitted_on", today, "submit", e);
	if (rc == 0 && m->by == BY_PROVINCE)
		rc = set_text(st, a, id, "review_note", note, "review", e);
	if (rc == 0)
		rc = notify_other(st, a, r, to, e);
	json_decref(r);
	return rc;
}

int outcome_transition(struct store *st, const struct actor *a, int64_t id, const char *to,
		       const char *note, struct err *e)
{
	if (by_of(a) < 0)
		return err_set(e, ERR_FORBIDDEN, "",
			       "Chỉ cơ sở gửi và Sở Công Thương xét báo cáo kết quả / only the "
			       "establishment sends and the department reviews an outcome report");
	if (!to || !*to)
		return err_set(e, ERR_INVALID, "to", "Chọn trạng thái mới / choose the new status");
	char *text = note && *note ? vtext_normalize(note, "note", e) : NULL;
	if (note && *note && !text)
		return ERR_INVALID;
	int rc = store_begin(st, e);
	if (rc == 0)
		rc = move(st, a, id, to, text ? text : "", e);
	free(text);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* ---- the supports an outcome is due for ------------------------------ */

#define SUPPORTS_MAX 2000

/* Each accepted project with each establishment it supported (its main
 * beneficiary and those listed), the latest outcome report of that pair. */
static const char supports_sql[] =
	"SELECT p.id, p.title, x.est, e.name, (SELECT MIN(event_date) FROM project_events v"
	" WHERE v.project_id = p.id AND v.status = 'accepted'), o.id, o.status, o.year"
	" FROM projects p JOIN (SELECT id AS pid, establishment_id AS est FROM projects WHERE"
	" establishment_id IS NOT NULL UNION SELECT project_id, establishment_id FROM"
	" beneficiaries WHERE establishment_id IS NOT NULL) x ON x.pid = p.id"
	" JOIN establishments e ON e.id = x.est"
	" LEFT JOIN outcome_reports o ON o.id = (SELECT MAX(id) FROM outcome_reports q WHERE"
	" q.project_id = p.id AND q.establishment_id = x.est AND q.year = (SELECT MAX(year)"
	" FROM outcome_reports r WHERE r.project_id = p.id AND r.establishment_id = x.est))"
	" WHERE p.status IN ('accepted', 'settled') AND (? = 0 OR x.est = ?) AND (? = '' OR"
	" p.province_code = ?) ORDER BY 5, p.id, x.est LIMIT ?";

/* What the pair stands at: its report's status, else due or overdue. */
static const char *state_of(struct stmt *s, const char *due, const char *today)
{
	if (!stmt_isnull(s, 6))
		return stmt_text(s, 6);
	return due[0] && strcmp(today, due) > 0 ? "overdue" : "due";
}

static json_t *support_json(struct stmt *s, const char *today)
{
	char due[32] = "";
	if (!stmt_isnull(s, 4))
		year_after(stmt_text(s, 4), due);
	json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:s}", "project_id", (json_int_t)stmt_int(s, 0),
			      "project_title", stmt_isnull(s, 1) ? "" : stmt_text(s, 1),
			      "establishment_id", (json_int_t)stmt_int(s, 2), "establishment_name",
			      stmt_isnull(s, 3) ? "" : stmt_text(s, 3), "state",
			      state_of(s, due, today));
	json_object_set_new(o, "accepted_on",
			    stmt_isnull(s, 4) ? json_null() : json_string(stmt_text(s, 4)));
	json_object_set_new(o, "due_date", due[0] ? json_string(due) : json_null());
	json_object_set_new(o, "report_id",
			    stmt_isnull(s, 5) ? json_null() : json_integer(stmt_int(s, 5)));
	json_object_set_new(o, "report_year",
			    stmt_isnull(s, 7) ? json_null() : json_integer(stmt_int(s, 7)));
	return o;
}

int outcome_supports(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	*out = NULL;
	if (a->role == ROLE_ESTABLISHMENT && a->establishment_id <= 0)
		return err_set(e, ERR_FORBIDDEN, "", "Ngoài phạm vi của bạn / outside your scope");
	int64_t est = a->role == ROLE_ESTABLISHMENT ? a->establishment_id : 0;
	const char *prov = est || actor_reads_all(a) ? "" : a->province;
	struct stmt *s = store_prepare(st, supports_sql, e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "iitti", est, est, prov, prov, (int64_t)SUPPORTS_MAX + 1);
	char today[11];
	clock_today_vn(today);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr, support_json(s, today));
	stmt_done(s);
	if (rc == 0 && json_array_size(arr) > SUPPORTS_MAX)
		rc = err_set(e, ERR_TOOBIG, "",
			     "Hơn %d đề án đã nghiệm thu trong phạm vi của bạn / more than %d "
			     "accepted projects in your scope",
			     SUPPORTS_MAX, SUPPORTS_MAX);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}
