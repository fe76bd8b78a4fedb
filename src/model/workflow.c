/* workflow.c - project and proposal lifecycles (DOMAIN.md, Decree 45/2012 as
 * amended by Decree 235/2025): transitions are a table, checked in one place. */
#include "model/workflow.h"

#include "core/vtext.h"
#include "model/caps.h"
#include "model/proposal_thread.h"
#include "model/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct transition {
	const char *from, *to;
	const char *kinds; /* NULL: every kind; else the project kinds it applies to */
};

static const struct transition project_moves[] = {
	{"draft", "province_appraised", NULL},
	{"draft", "cancelled", NULL},
	{"province_appraised", "ministry_appraised", "national_point national_group"},
	{"province_appraised", "approved", "local"},
	{"province_appraised", "needs_supplement", NULL},
	{"province_appraised", "rejected", NULL},
	{"province_appraised", "cancelled", NULL},
	{"ministry_appraised", "approved", NULL},
	{"ministry_appraised", "needs_supplement", NULL},
	{"ministry_appraised", "rejected", NULL},
	{"needs_supplement", "draft", NULL},
	{"needs_supplement", "cancelled", NULL},
	{"approved", "contracted", NULL},
	{"approved", "cancelled", NULL},
	{"contracted", "advanced", NULL},
	{"contracted", "in_progress", NULL},
	{"contracted", "cancelled", NULL},
	{"advanced", "in_progress", NULL},
	{"advanced", "cancelled", NULL},
	{"in_progress", "adjusted", NULL},
	{"in_progress", "accepted", NULL},
	{"in_progress", "cancelled", NULL},
	{"adjusted", "in_progress", NULL},
	{"adjusted", "accepted", NULL},
	{"adjusted", "cancelled", NULL},
	{"accepted", "settled", NULL},
	{NULL, NULL, NULL},
};

static int move_ok(const struct transition *t, const char *from, const char *to, const char *kind)
{
	return !strcmp(t->from, from) && (!to || !strcmp(t->to, to)) &&
	       (!t->kinds || (kind && strstr(t->kinds, kind)));
}

json_t *project_next_statuses(const char *status, const char *kind)
{
	json_t *arr = json_array();
	for (const struct transition *t = project_moves; t->from; t++)
		if (move_ok(t, status ? status : "draft", NULL, kind))
			json_array_append_new(arr, json_string(t->to));
	return arr;
}

static int illegal(const char *from, const char *to, json_t *allowed, struct err *e)
{
	char *list = json_dumps(allowed, JSON_COMPACT);
	err_set(e, ERR_CONFLICT, "to",
	        "Không chuyển được từ \"%s\" sang \"%s\"; được phép: %s / cannot move from %s to "
	        "%s; allowed: %s",
	        from, to, list, from, to, list);
	free(list);
	return ERR_CONFLICT;
}

/* The date of the latest step of project id ("" when none). */
static int last_step_date(struct store *st, int64_t id, char out[11], struct err *e)
{
	struct stmt *s = store_prepare(
		st, "SELECT MAX(event_date) FROM project_events WHERE project_id = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	int rc = stmt_step(s, e);
	const char *d = rc == 1 ? stmt_text(s, 0) : NULL;
	snprintf(out, 11, "%s", d ? d : "");
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* Whether project p (as stored) may move to `to`: 0, or ERR_CONFLICT naming
 * the moves allowed from its status. */
static int move_legal(json_t *p, const char *to, struct err *e)
{
	const char *from = json_string_value(json_object_get(p, "status"));
	const char *kind = json_string_value(json_object_get(p, "kind"));
	int ok = 0;
	for (const struct transition *t = project_moves; t->from && !ok; t++)
		ok = move_ok(t, from ? from : "draft", to, kind);
	if (ok)
		return 0;
	json_t *allowed = project_next_statuses(from, kind);
	int rc = illegal(from ? from : "draft", to, allowed, e);
	json_decref(allowed);
	return rc;
}

static void step_date(struct store *st, int64_t id, const char *date, char iso[11], struct errs *l);
static void money_needed(json_t *p, const char *to, struct errs *l);

int project_transition_check(struct store *st, const struct actor *a, int64_t id, const char *to,
			     const char *date, struct err *e)
{
	if (!to || !*to)
		return err_set(e, ERR_INVALID, "to", "Chọn trạng thái mới / choose the new status");
	json_t *p = NULL;
	int rc = record_get(st, a, entity_find("projects"), id, &p, e);
	if (rc == 0)
		rc = move_legal(p, to, e);
	if (rc == 0) {
		/* The date as project_step() checks it (dd/mm/yyyy in messages). */
		struct errs l = {0};
		char iso[11];
		step_date(st, id, date, iso, &l);
		if (!l.n)
			money_needed(p, to, &l);
		if (l.n) {
			*e = l.item[0];
			rc = e->code;
		}
		errs_free(&l);
	}
	json_decref(p);
	return rc;
}

int project_transition(struct store *st, const struct actor *a, int64_t id, const char *to,
                       const char *date, const char *decision_no, const char *note,
                       struct err *e)
{
	const struct project_step step = {to, date, decision_no, note, NULL};
	return project_step(st, a, id, &step, NULL, e);
}

static int64_t amount_sum(json_t *p, const char *prefix)
{
	static const char *const src[] = {"national", "local", "counterpart", "other"};
	int64_t sum = 0;
	for (size_t i = 0; i < 4; i++) {
		char key[40];
		snprintf(key, sizeof key, "%s_%s", prefix, src[i]);
		json_t *v = json_object_get(p, key);
		if (json_is_integer(v) && json_integer_value(v) > 0)
			sum += json_integer_value(v);
	}
	return sum;
}

/* A step that moves money needs the amount on project p (its amounts
 * applied); the error names the field of the project's own funds. */
static void money_needed(json_t *p, const char *to, struct errs *l)
{
	const char *kind = json_string_value(json_object_get(p, "kind"));
	int local = kind && !strcmp(kind, "local");
	int64_t adv = amount_sum(p, "advanced"), dis = amount_sum(p, "disbursed");
	if (!strcmp(to, "advanced") && adv <= 0)
		errs_set(l, ERR_INVALID, local ? "advanced_local" : "advanced_national",
		         "Bước tạm ứng cần số tiền tạm ứng / an advance needs the amount advanced");
	if (!strcmp(to, "accepted") && adv <= 0 && dis <= 0)
		errs_set(l, ERR_INVALID, local ? "disbursed_local" : "disbursed_national",
		         "Nghiệm thu cần số tiền đã tạm ứng hoặc giải ngân / acceptance needs the "
		         "amount advanced or disbursed");
	if (!strcmp(to, "settled") && dis <= 0)
		errs_set(l, ERR_INVALID, local ? "disbursed_local" : "disbursed_national",
		         "Quyết toán cần số tiền đã giải ngân / settlement needs the amount disbursed");
}

/* Applies the step's amounts to project id (a checked, audited change);
 * only PROJECT_STEP_AMOUNTS may be given. */
static int step_amounts(struct store *st, const struct actor *a, int64_t id, json_t *amounts,
                        struct errs *l)
{
	static const char *const allowed[] = {PROJECT_STEP_AMOUNTS};
	const char *key;
	json_t *v;
	json_object_foreach(amounts, key, v) {
		size_t i = 0;
		while (i < sizeof allowed / sizeof allowed[0] && strcmp(allowed[i], key))
			i++;
		if (i == sizeof allowed / sizeof allowed[0])
			return errs_set(l, ERR_INVALID, key,
			                "Bước không ghi được trường %s / a step cannot set %s", key, key);
	}
	struct err e;
	return record_update_all(st, a, entity_find("projects"), id, amounts, -1, l, &e);
}

/* The date of the step (ISO into iso) and its order after the previous one. */
static void step_date(struct store *st, int64_t id, const char *date, char iso[11],
                      struct errs *l)
{
	struct err e;
	iso[0] = 0;
	if (!date || !*date) {
		errs_set(l, ERR_INVALID, "date", "Cần ngày dd/mm/yyyy / a date is needed");
		return;
	}
	if (vtext_parse_date(date, iso, "date", &e) < 0) {
		errs_add(l, &e);
		return;
	}
	char last[11] = "";
	if (last_step_date(st, id, last, &e) < 0) {
		errs_add(l, &e);
		return;
	}
	if (last[0] && strcmp(iso, last) < 0) {
		struct buf d = BUF_INIT, prev = BUF_INIT;
		vtext_fmt_date(&d, iso);
		vtext_fmt_date(&prev, last);
		errs_set(l, ERR_INVALID, "date",
		         "Ngày %s trước ngày của bước trước (%s) / the date %s is before the previous "
		         "step (%s)",
		         buf_cstr(&d), buf_cstr(&prev), buf_cstr(&d), buf_cstr(&prev));
		buf_free(&d);
		buf_free(&prev);
	}
}

/* Records the step and the new status (the checks passed). */
static int step_write(struct store *st, const struct actor *a, int64_t id, const char *from,
                      const struct project_step *step, const char *iso, struct err *e)
{
	json_t *ev = json_pack("{s:I,s:s,s:s,s:s}", "project_id", (json_int_t)id, "status", step->to,
	                       "from_status", from, "event_date", iso);
	if (step->decision_no && *step->decision_no)
		json_object_set_new(ev, "decision_no", json_string(step->decision_no));
	if (step->note && *step->note)
		json_object_set_new(ev, "note", json_string(step->note));
	int rc = record_create_system(st, a, entity_find("project-events"), ev, NULL, e);
	json_decref(ev);
	if (rc == 0) {
		json_t *v = json_string(step->to);
		rc = record_set_system(st, a, entity_find("projects"), id, "status", v, "transition",
		                       e);
		json_decref(v);
	}
	return rc;
}

int project_step(struct store *st, const struct actor *a, int64_t id,
                 const struct project_step *step, struct errs *all, struct err *e)
{
	const struct entity *projects = entity_find("projects");
	const char *to = step->to;
	if (!to || !*to)
		return err_set(e, ERR_INVALID, "to", "Chọn trạng thái mới / choose the new status");
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	struct errs own = {0}, *l = all ? all : &own;
	struct err e1;
	json_t *p = NULL;
	if (record_get(st, a, projects, id, &p, &e1) < 0 || move_legal(p, to, &e1) < 0)
		errs_add(l, &e1);
	char iso[11] = "";
	if (!l->n)
		step_date(st, id, step->date, iso, l);
	if (p && !(l->n && l->item[0].code == ERR_CONFLICT) && json_object_size(step->amounts))
		step_amounts(st, a, id, step->amounts, l);
	json_t *now = NULL;
	if (!l->n && record_get(st, a, projects, id, &now, &e1) < 0)
		errs_add(l, &e1);
	if (now && !l->n)
		money_needed(now, to, l);
	if (!l->n) {
		const char *from = json_string_value(json_object_get(p, "status"));
		if (step_write(st, a, id, from ? from : "draft", step, iso, &e1) < 0)
			errs_add(l, &e1);
	}
	json_decref(now);
	json_decref(p);
	if (l->n) {
		store_rollback(st);
		if (e)
			*e = l->item[0];
		rc = l->item[0].code;
		errs_free(&own);
		return rc;
	}
	return store_commit(st, e);
}

static const struct transition proposal_moves[] = {
	{"draft", "submitted", "establishment"},
	{"needs_supplement", "submitted", "establishment"},
	{"submitted", "needs_supplement", "staff"},
	{"submitted", "accepted", "staff"},
	{"submitted", "rejected", "staff"},
	{NULL, NULL, NULL},
};

int proposal_transition(struct store *st, const struct actor *a, int64_t id, const char *to,
                        const char *note, struct err *e)
{
	const struct entity *proposals = entity_find("proposals");
	const char *who = a->role == ROLE_ESTABLISHMENT ? "establishment" : "staff";
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "", "Tài khoản xem không được ghi / viewers cannot write");
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	json_t *p = NULL;
	rc = record_get(st, a, proposals, id, &p, e);
	const char *from = p ? json_string_value(json_object_get(p, "status")) : NULL;
	if (!from)
		from = "draft";
	int ok = 0;
	for (const struct transition *t = proposal_moves; rc == 0 && t->from && !ok; t++)
		ok = move_ok(t, from, to ? to : "", who);
	if (rc == 0 && !ok)
		rc = err_set(e, ERR_CONFLICT, "to",
		             "Không chuyển được đề xuất từ \"%s\" sang \"%s\" / cannot move the proposal "
		             "from %s to %s",
		             from, to ? to : "", from, to ? to : "");
	if (rc == 0) {
		json_t *v = json_string(to);
		rc = record_set_system(st, a, proposals, id, "status", v, "transition", e);
		json_decref(v);
	}
	if (rc == 0 && note && *note && a->role != ROLE_ESTABLISHMENT) {
		json_t *v = json_string(note);
		rc = record_set_system(st, a, proposals, id, "review_note", v, "review", e);
		json_decref(v);
	}
	if (rc == 0)
		rc = proposal_thread_moved(st, a, p, to, note, e);
	json_decref(p);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int proposal_convert(struct store *st, const struct actor *a, int64_t id, int64_t plan_id,
                     int64_t *project_id, struct err *e)
{
	const struct entity *proposals = entity_find("proposals");
	const struct entity *projects = entity_find("projects");
	if (a->role == ROLE_ESTABLISHMENT || a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "", "Chỉ cán bộ Sở lập đề án / only department staff");
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	json_t *p = NULL;
	rc = record_get(st, a, proposals, id, &p, e);
	const char *status = p ? json_string_value(json_object_get(p, "status")) : NULL;
	if (rc == 0 && (!status || strcmp(status, "accepted")))
		rc = err_set(e, ERR_CONFLICT, "status",
		             "Chỉ đề xuất đã được chấp nhận mới lập thành đề án / only accepted proposals "
		             "become projects");
	int64_t pid = 0;
	if (rc == 0) {
		json_t *in = json_pack(
			"{s:O,s:O,s:O,s:s,s:O,s:s}", "title", json_object_get(p, "title"), "content_type",
			json_object_get(p, "content_type"), "year", json_object_get(p, "year"), "kind",
			"local", "establishment_id", json_object_get(p, "establishment_id"), "province",
			json_string_value(json_object_get(p, "province_code")));
		json_t *cost = json_object_get(p, "cost"), *cp = json_object_get(p, "counterpart");
		if (json_is_integer(cost))
			json_object_set(in, "cost_total", cost);
		if (json_is_integer(cp))
			json_object_set(in, "approved_counterpart", cp);
		if (plan_id > 0)
			json_object_set_new(in, "plan_id", json_integer(plan_id));
		rc = record_create(st, a, projects, in, &pid, e);
		json_decref(in);
	}
	if (rc == 0) {
		json_t *v = json_integer(pid);
		rc = record_set_system(st, a, proposals, id, "project_id", v, "convert", e);
		json_decref(v);
	}
	if (rc == 0) {
		json_t *v = json_string("converted");
		rc = record_set_system(st, a, proposals, id, "status", v, "transition", e);
		json_decref(v);
	}
	if (rc == 0)
		rc = proposal_thread_moved(st, a, p, "converted", NULL, e);
	json_decref(p);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	if (project_id)
		*project_id = pid;
	return store_commit(st, e);
}

/* Appends the flags of cap c against the project's funds of its source. */
static void cap_check(const struct support_cap *c, json_t *rec, json_t *flags)
{
	int nat = !strcmp(c->source, "national");
	int64_t share = c->share_permille, amount = c->amount;
	const char *basis = c->basis, *per = c->per;
	json_t *funds = json_object_get(rec, nat ? "approved_national" : "approved_local");
	json_t *cost = json_object_get(rec, "cost_total");
	if (!json_is_integer(funds))
		return;
	int64_t n = json_integer_value(funds);
	const char *vi = nat ? "quốc gia" : "địa phương", *en = nat ? "national" : "local";
	char msg[400];
	if (share >= 0 && json_is_integer(cost) && json_integer_value(cost) > 0 &&
	    n > cap_limit(&(struct support_cap){.share_permille = share, .amount = -1},
			  json_integer_value(cost))) {
		snprintf(msg, sizeof msg,
			 "Kinh phí KC %s vượt %lld%% tổng chi phí (%s) / %s funds exceed "
			 "%lld%% of the cost",
			 vi, (long long)(share / 10), basis, en, (long long)(share / 10));
		json_array_append_new(flags, json_string(msg));
	}
	if (amount >= 0 && n > amount) {
		snprintf(msg, sizeof msg,
			 "Kinh phí KC %s vượt mức tối đa %lld triệu đồng/%s (%s) / %s funds "
			 "exceed the cap of %lld million đồng per %s",
			 vi, (long long)(amount / 1000000),
			 !strcmp(per, "model")		 ? "mô hình"
			 : !strcmp(per, "establishment") ? "cơ sở"
							 : per,
			 basis, en, (long long)(amount / 1000000), per);
		json_array_append_new(flags, json_string(msg));
	}
}

/* National caps for a national project's national funds, the province's
 * levels for the local funds of any project (model/caps.h). */
json_t *project_cap_flags(struct store *st, json_t *rec)
{
	json_t *flags = json_array();
	const char *ct = json_string_value(json_object_get(rec, "content_type"));
	const char *prov = json_string_value(json_object_get(rec, "province"));
	json_t *year = json_object_get(rec, "year");
	if (!ct || !json_is_integer(year))
		return flags;
	struct support_cap caps[CAPS_MAX];
	int n = caps_in_force(st, ct, "national", json_integer_value(year), caps);
	for (int i = 0; i < n; i++)
		cap_check(&caps[i], rec, flags);
	n = caps_local(st, ct, prov, json_integer_value(year), caps);
	for (int i = 0; i < n; i++)
		cap_check(&caps[i], rec, flags);
	return flags;
}
