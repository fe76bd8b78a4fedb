/* submission.c - the lifecycle of a province's periodic report up the chain
 * (docs/reporting.md): its moves are a table, checked in one place, like the
 * project lifecycle (model/workflow.c). Every move is an event of the
 * submission's timeline and an audit row, in the move's transaction. */
#include "stats/submission.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/mem.h"
#include "model/audit.h"
#include "stats/period.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum by { BY_PROVINCE, BY_MINISTRY };

static const struct move {
	const char *from, *to;
	enum by by;
	int note;	    /* a written comment or reason is required */
	const char *action; /* in the audit trail */
} moves[] = {
	{"draft", "submitted", BY_PROVINCE, 0, "submit"},
	{"submitted", "withdrawn", BY_PROVINCE, 0, "withdraw"},
	{"submitted", "accepted", BY_MINISTRY, 0, "accept"},
	{"submitted", "returned", BY_MINISTRY, 1, "return"},
	{"returned", "submitted", BY_PROVINCE, 0, "submit"},
	{"accepted", "reopened", BY_MINISTRY, 1, "reopen"},
	{"reopened", "submitted", BY_PROVINCE, 0, "submit"},
	{NULL, NULL, 0, 0, NULL},
};

json_t *submission_moves(const char *status)
{
	json_t *arr = json_array();
	for (const struct move *m = moves; m->from; m++)
		if (status && !strcmp(m->from, status))
			json_array_append_new(
				arr, json_pack("{s:s,s:s,s:b}", "to", m->to, "by",
					       m->by == BY_PROVINCE ? "province" : "ministry",
					       "note_required", m->note));
	return arr;
}

static int may_move(const struct actor *a, const struct move *m, const char *prov)
{
	if (m->by == BY_MINISTRY)
		return a->role == ROLE_MINISTRY || a->role == ROLE_ADMIN;
	return a->role == ROLE_PROVINCE && !strcmp(a->province, prov);
}

#define SUB_COLS                                                                                  \
	"id, number, province_code, period_kind, year, status, date_from, date_to, period_label," \
	" due_date, created_at, created_by, submitted_at, first_submitted_at, decided_at, "       \
	"version,"                                                                                \
	" (SELECT full_name FROM units u WHERE u.era = 'new' AND u.level = 'province' AND"        \
	" u.code = s.province_code ORDER BY is_current DESC LIMIT 1)"

static json_t *opt_text(struct stmt *s, int c)
{
	return stmt_isnull(s, c) ? json_null() : json_string(stmt_text(s, c));
}

static json_t *row_json(struct stmt *s)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id",
			      (json_int_t)stmt_int(s, 0), "number", stmt_text(s, 1), "province",
			      stmt_text(s, 2), "period_kind", stmt_text(s, 3), "year",
			      (json_int_t)stmt_int(s, 4), "status", stmt_text(s, 5), "date_from",
			      stmt_text(s, 6), "date_to", stmt_text(s, 7), "period_label",
			      stmt_text(s, 8), "created_at", stmt_text(s, 10), "created_by",
			      stmt_text(s, 11), "version", (json_int_t)stmt_int(s, 15));
	json_object_set_new(o, "due_date", opt_text(s, 9));
	json_object_set_new(o, "submitted_at", opt_text(s, 12));
	json_object_set_new(o, "first_submitted_at", opt_text(s, 13));
	json_object_set_new(o, "decided_at", opt_text(s, 14));
	json_object_set_new(o, "province_name",
			    stmt_isnull(s, 16) ? json_string(stmt_text(s, 2)) : opt_text(s, 16));
	return o;
}

/* Submission id into *out (caller json_decref's) when a may read it. */
static int load(struct store *st, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	*out = NULL;
	struct stmt *s =
		store_prepare(st, "SELECT " SUB_COLS " FROM submissions s WHERE id = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	int rc = stmt_step(s, e);
	if (rc == 1)
		*out = row_json(s);
	stmt_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "id",
			       "Không có báo cáo gửi số %lld / no submission %lld", (long long)id,
			       (long long)id);
	const char *prov = json_string_value(json_object_get(*out, "province"));
	if (a->role == ROLE_ESTABLISHMENT || !actor_can_read_province(a, prov)) {
		json_decref(*out);
		*out = NULL;
		return err_set(e, ERR_FORBIDDEN, "id",
			       "Ngoài phạm vi của bạn / outside your scope");
	}
	return 0;
}

static int add_event(struct store *st, const struct actor *a, int64_t id, const char *from,
		     const char *to, const char *note, int64_t seq, const char *now, struct err *e)
{
	struct stmt *s = store_prepare(st,
				       "INSERT INTO submission_events (submission_id, created_at,"
				       " username, from_status, to_status, note, snapshot_seq)"
				       " VALUES (?, ?, ?, ?, ?, ?, ?)",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "itt", id, now, a->username);
	stmt_bind_text(s, 4, from);
	stmt_bind_text(s, 5, to);
	stmt_bind_text(s, 6, note ? note : "");
	if (seq)
		stmt_bind_int(s, 7, seq);
	else
		stmt_bind_null(s, 7);
	int rc = stmt_step(s, e);
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* The section titles of the report last sent of submission id, as a JSON
 * array of strings into *out (empty before the first sending). */
static int sent_sections(struct store *st, int64_t id, json_t **out, struct err *e)
{
	*out = json_array();
	struct stmt *s = store_prepare(st,
				       "SELECT snapshot FROM submission_snapshots WHERE"
				       " submission_id = ? ORDER BY seq DESC",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		json_t *snap = json_loads(stmt_text(s, 0), 0, NULL), *sec;
		size_t i;
		json_array_foreach(json_object_get(json_object_get(snap, "report"), "sections"), i,
				   sec)
		{
			json_t *t = json_object_get(sec, "title");
			if (json_is_string(t))
				json_array_append(*out, t);
		}
		json_decref(snap);
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* Checks the comments per section of a move to to (an array of {section,
 * note}; those with an empty note are left out) against the sections of
 * the report last sent; the ones to keep into *keep. Only a return carries
 * them. */
static int section_notes_check(struct store *st, int64_t id, const char *to, json_t *sections,
			       json_t **keep, struct err *e)
{
	*keep = json_array();
	if (!sections || json_is_null(sections))
		return 0;
	if (!json_is_array(sections))
		return err_set(e, ERR_INVALID, "sections",
			       "Ý kiến theo phần là một danh sách {section, note} / sections is an "
			       "array of {section, note}");
	if (json_array_size(sections) && strcmp(to, "returned"))
		return err_set(
			e, ERR_INVALID, "sections",
			"Chỉ ghi ý kiến theo phần khi trả lại báo cáo / comments per section "
			"go with a return only");
	json_t *titles = NULL, *x;
	int rc = sent_sections(st, id, &titles, e);
	size_t i;
	char field[48];
	json_array_foreach(sections, i, x)
	{
		if (rc < 0)
			break;
		const char *sec = json_string_value(json_object_get(x, "section"));
		const char *note = json_string_value(json_object_get(x, "note"));
		snprintf(field, sizeof field, "sections[%zu]", i);
		if (!sec || (json_object_get(x, "note") && !note)) {
			rc = err_set(e, ERR_INVALID, field,
				     "Cần section và note là chuỗi / section and note are strings");
			break;
		}
		if (!note || !*note)
			continue;
		size_t k;
		json_t *t, *seen;
		int found = 0;
		json_array_foreach(titles, k, t) found |= !strcmp(json_string_value(t), sec);
		json_array_foreach(
			*keep, k,
			seen) if (!strcmp(json_string_value(json_object_get(seen, "section")), sec))
			found = -1;
		if (found <= 0)
			rc = err_set(e, ERR_INVALID, field,
				     found < 0 ? "Phần \"%s\" đã có ý kiến / section \"%s\" is "
						 "commented twice"
					       : "Báo cáo đã gửi không có phần \"%s\" / the report "
						 "sent has no section \"%s\"",
				     sec, sec);
		else if (strlen(note) > 4000)
			rc = err_set(e, ERR_TOOBIG, field,
				     "Ý kiến tối đa 4000 byte / a comment is at most 4000 bytes");
		else
			json_array_append_new(*keep,
					      json_pack("{s:s,s:s}", "section", sec, "note", note));
	}
	json_decref(titles);
	return rc < 0 ? rc : 0;
}

static int section_notes_put(struct store *st, int64_t event_id, json_t *notes, struct err *e)
{
	size_t i;
	json_t *x;
	int rc = 0;
	json_array_foreach(notes, i, x)
	{
		if (rc == 0)
			rc = store_run(
				st, e,
				"INSERT INTO submission_section_notes (event_id, section, note)"
				" VALUES (?, ?, ?)",
				"itt", event_id, json_string_value(json_object_get(x, "section")),
				json_string_value(json_object_get(x, "note")));
	}
	return rc < 0 ? rc : 0;
}

static int audit_move(struct store *st, const struct actor *a, int64_t id, const char *action,
		      json_t *before, json_t *after, struct err *e)
{
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	int rc = audit_append(st, a, "submissions", idtext, action, before, after, e);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* The province a submission is started for: the officer's own, or the one
 * an administrator names. */
static int create_scope(struct store *st, const struct actor *a, const char *province, char prov[8],
			struct err *e)
{
	if (a->role == ROLE_PROVINCE &&
	    (!province || !*province || !strcmp(province, a->province))) {
		snprintf(prov, 8, "%s", a->province);
		return 0;
	}
	if (a->role != ROLE_ADMIN)
		return err_set(e, ERR_FORBIDDEN, "province",
			       "Chỉ cán bộ của tỉnh gửi báo cáo của tỉnh / only the province's "
			       "officers submit its report");
	int64_t n = 0;
	int rc = province && strlen(province) < 8
			 ? store_int(st, e, &n,
				     "SELECT COUNT(*) FROM units WHERE era = 'new' AND"
				     " level = 'province' AND code = ?",
				     "t", province)
			 : 0;
	if (rc < 0)
		return rc;
	if (!n)
		return err_set(e, ERR_INVALID, "province",
			       "Không có tỉnh mã \"%s\" / no province with code \"%s\"",
			       province ? province : "", province ? province : "");
	snprintf(prov, 8, "%s", province);
	return 0;
}

static int insert_row(struct store *st, const struct actor *a, const char *prov, const char *kind,
		      int64_t year, const struct period *p, const char *due, int64_t *id,
		      struct err *e)
{
	int64_t live = 0, all = 0;
	int rc = store_int(st, e, &live,
			   "SELECT COUNT(*) FROM submissions WHERE province_code = ? AND"
			   " period_kind = ? AND year = ? AND status <> 'withdrawn'",
			   "tti", prov, kind, year);
	if (rc >= 0 && live)
		return err_set(e, ERR_CONFLICT, "year",
			       "Tỉnh đã có báo cáo %s (chưa rút) / the province already has a "
			       "submission for %s that was not withdrawn",
			       p->label, p->label);
	if (rc >= 0)
		rc = store_int(st, e, &all,
			       "SELECT COUNT(*) FROM submissions WHERE province_code = ? AND"
			       " period_kind = ? AND year = ?",
			       "tti", prov, kind, year);
	if (rc < 0)
		return rc;
	char number[48], now[21];
	snprintf(number, sizeof number, "BC-%s-%lld%s-%lld", prov, (long long)year,
		 strcmp(kind, "half_year") ? "" : "-6T", (long long)all + 1);
	clock_iso(clock_now(), now);
	struct stmt *s = store_prepare(
		st,
		"INSERT INTO submissions (number, province_code, period_kind, year, status,"
		" date_from, date_to, year_from, year_to, no_years, period_label, due_date,"
		" created_at, created_by) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "tttittiiit", number, prov, kind, year, p->date_from, p->date_to,
		  (int64_t)p->year_from, (int64_t)p->year_to, (int64_t)p->no_years, p->label);
	stmt_bind_text(s, 11, *due ? due : NULL);
	stmt_bind_text(s, 12, now);
	stmt_bind_text(s, 13, a->username);
	rc = stmt_step(s, e);
	stmt_done(s);
	if (rc < 0)
		return rc;
	*id = store_last_id(st);
	rc = add_event(st, a, *id, NULL, "draft", "", 0, now, e);
	if (rc == 0)
		rc = audit_move(st, a, *id, "create", NULL,
				json_pack("{s:s,s:s,s:s,s:I,s:s}", "number", number, "province",
					  prov, "period_kind", kind, "year", (json_int_t)year,
					  "status", "draft"),
				e);
	return rc;
}

int submission_create(struct store *st, const struct actor *a, const char *province,
		      const char *kind, int64_t year, int64_t *id, struct err *e)
{
	char prov[8], due[11];
	struct period p;
	int rc = create_scope(st, a, province, prov, e);
	if (rc == 0)
		rc = submission_period(st, kind, year, &p, due, e);
	if (rc == 0)
		rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	char key[48];
	snprintf(key, sizeof key, "submission:%s:%s:%lld", prov, kind, (long long)year);
	rc = store_lock_key(st, key, e);
	if (rc == 0)
		rc = insert_row(st, a, prov, kind, year, &p, due, id, e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

static int illegal(const char *from, const char *to, struct err *e)
{
	json_t *allowed = json_array();
	for (const struct move *m = moves; m->from; m++)
		if (!strcmp(m->from, from))
			json_array_append_new(allowed, json_string(m->to));
	char *list = json_dumps(allowed, JSON_COMPACT);
	json_decref(allowed);
	err_set(e, ERR_CONFLICT, "to",
		"Không chuyển được báo cáo từ \"%s\" sang \"%s\"; được phép: %s / cannot move the "
		"submission from %s to %s; allowed: %s",
		from, to ? to : "", list, from, to ? to : "", list);
	free(list);
	return ERR_CONFLICT;
}

/* Freezes and stores the next snapshot of submission sub; sets *seq. */
static int store_snapshot(struct store *st, const struct actor *a, json_t *sub, const char *now,
			  int64_t *seq, char hash[65], struct err *e)
{
	int64_t id = json_integer_value(json_object_get(sub, "id"));
	const char *kind = json_string_value(json_object_get(sub, "period_kind"));
	int64_t year = json_integer_value(json_object_get(sub, "year"));
	/* The dates frozen when the submission was started. */
	struct period p = {0};
	snprintf(p.date_from, sizeof p.date_from, "%s",
		 json_string_value(json_object_get(sub, "date_from")));
	snprintf(p.date_to, sizeof p.date_to, "%s",
		 json_string_value(json_object_get(sub, "date_to")));
	snprintf(p.label, sizeof p.label, "%s",
		 json_string_value(json_object_get(sub, "period_label")));
	struct stmt *s = store_prepare(
		st, "SELECT no_years, year_from, year_to FROM submissions WHERE id = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	int rc = stmt_step(s, e);
	if (rc == 1) {
		p.no_years = (int)stmt_int(s, 0);
		p.year_from = (int)stmt_int(s, 1);
		p.year_to = (int)stmt_int(s, 2);
	}
	stmt_done(s);
	p.by_date = 1;
	if (rc >= 0)
		rc = store_int(st, e, seq,
			       "SELECT COALESCE(MAX(seq), 0) + 1 FROM submission_snapshots WHERE"
			       " submission_id = ?",
			       "i", id);
	char *text = NULL;
	if (rc >= 0)
		rc = submission_freeze(st, a, json_string_value(json_object_get(sub, "province")),
				       json_string_value(json_object_get(sub, "number")), kind,
				       year, &p, &text, hash, e);
	if (rc >= 0)
		rc = store_run(st, e,
			       "INSERT INTO submission_snapshots (submission_id, seq, created_at,"
			       " snapshot, content_hash) VALUES (?, ?, ?, ?, ?)",
			       "iittt", id, *seq, now, text, hash);
	if (rc >= 0)
		rc = submission_files_make(st, a, store_last_id(st),
					   json_string_value(json_object_get(sub, "number")), *seq,
					   text, e);
	free(text);
	return rc < 0 ? rc : 0;
}

static int do_move(struct store *st, const struct actor *a, json_t *sub, const struct move *m,
		   const char *note, json_t *notes, struct err *e)
{
	int64_t id = json_integer_value(json_object_get(sub, "id"));
	int64_t version = json_integer_value(json_object_get(sub, "version"));
	char now[21], hash[65] = "";
	clock_iso(clock_now(), now);
	int64_t seq = 0;
	int submit = !strcmp(m->to, "submitted");
	int rc = submit ? store_snapshot(st, a, sub, now, &seq, hash, e) : 0;
	/* The deadline in force when sent: a sending by it stays on time. */
	struct period p;
	char due[11] = "";
	if (rc == 0 && submit)
		rc = submission_period(st, json_string_value(json_object_get(sub, "period_kind")),
				       json_integer_value(json_object_get(sub, "year")), &p, due,
				       e);
	if (rc == 0 && submit)
		rc = store_run(
			st, e,
			"UPDATE submissions SET status = ?, submitted_at = ?,"
			" first_submitted_at = COALESCE(first_submitted_at, ?), due_date = ?,"
			" version = version + 1 WHERE id = ? AND version = ?",
			"ttttii", m->to, now, now, *due ? due : NULL, id, version);
	else if (rc == 0)
		rc = store_run(st, e,
			       "UPDATE submissions SET status = ?, decided_at = ?,"
			       " version = version + 1 WHERE id = ? AND version = ?",
			       "ttii", m->to, now, id, version);
	if (rc >= 0 && store_changes(st) != 1)
		rc = err_set(
			e, ERR_STALE, "version",
			"Báo cáo vừa được người khác chuyển; tải lại / the submission was just "
			"moved by someone else; reload");
	if (rc >= 0)
		rc = add_event(st, a, id, m->from, m->to, note, seq, now, e);
	if (rc >= 0)
		rc = section_notes_put(st, store_last_id(st), notes, e);
	if (rc >= 0) {
		json_t *after = json_pack("{s:s,s:s}", "status", m->to, "note", note ? note : "");
		if (json_array_size(notes))
			json_object_set(after, "sections", notes);
		if (submit)
			json_object_set_new(after, "content_hash", json_string(hash));
		rc = audit_move(st, a, id, m->action, json_pack("{s:s}", "status", m->from), after,
				e);
	}
	return rc < 0 ? rc : 0;
}

int submission_transition(struct store *st, const struct actor *a, int64_t id, const char *to,
			  const char *note, struct err *e)
{
	return submission_transition_notes(st, a, id, to, note, NULL, e);
}

int submission_transition_notes(struct store *st, const struct actor *a, int64_t id, const char *to,
				const char *note, json_t *sections, struct err *e)
{
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	char key[40];
	snprintf(key, sizeof key, "submission:%lld", (long long)id);
	json_t *sub = NULL;
	rc = store_lock_key(st, key, e);
	if (rc == 0)
		rc = load(st, a, id, &sub, e);
	const struct move *m = NULL;
	const char *from = rc == 0 ? json_string_value(json_object_get(sub, "status")) : "";
	for (const struct move *x = moves; rc == 0 && x->from; x++)
		if (to && !strcmp(x->from, from) && !strcmp(x->to, to))
			m = x;
	if (rc == 0 && !m)
		rc = illegal(from, to, e);
	if (rc == 0 && !may_move(a, m, json_string_value(json_object_get(sub, "province"))))
		rc = err_set(
			e, ERR_FORBIDDEN, "to",
			m->by == BY_PROVINCE
				? "Chỉ cán bộ của tỉnh gửi hoặc rút báo cáo / only the "
				  "province's officers submit or withdraw its report"
				: "Chỉ Bộ (Cục) hoặc quản trị viên chấp nhận, trả lại hoặc mở "
				  "lại báo cáo / only the ministry or an administrator accepts, "
				  "returns or reopens a report");
	if (rc == 0 && m->note && (!note || !*note))
		rc = err_set(e, ERR_INVALID, "note",
			     "Cần ghi ý kiến hoặc lý do / a comment or reason is required");
	if (rc == 0 && note && strlen(note) > 4000)
		rc = err_set(e, ERR_TOOBIG, "note",
			     "Ý kiến tối đa 4000 byte / the note is at most 4000 bytes");
	json_t *notes = NULL;
	if (rc == 0)
		rc = section_notes_check(st, id, m->to, sections, &notes, e);
	if (rc == 0)
		rc = do_move(st, a, sub, m, note, notes, e);
	json_decref(notes);
	json_decref(sub);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* The comments per section of the events of submission id, into the
 * "sections" of each event of arr (their ids in "_id", removed here). */
static int events_sections(struct store *st, int64_t id, json_t *arr, struct err *e)
{
	struct stmt *s = store_prepare(
		st,
		"SELECT n.event_id, n.section, n.note FROM submission_section_notes n JOIN"
		" submission_events v ON v.id = n.event_id WHERE v.submission_id = ? ORDER BY n.id",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	size_t i;
	json_t *ev;
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_foreach(arr, i, ev) if (json_integer_value(json_object_get(ev, "_id")) ==
						   stmt_int(s, 0))
			json_array_append_new(json_object_get(ev, "sections"),
					      json_pack("{s:s,s:s}", "section", stmt_text(s, 1),
							"note", stmt_text(s, 2)));
	stmt_done(s);
	json_array_foreach(arr, i, ev) json_object_del(ev, "_id");
	return rc < 0 ? rc : 0;
}

static json_t *events_of(struct store *st, int64_t id, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT created_at, username, from_status, to_status, note,"
			      " snapshot_seq, id FROM submission_events WHERE submission_id = ?"
			      " ORDER BY id",
			      e);
	if (!s)
		return NULL;
	stmt_bind(s, "i", id);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		json_t *ev = json_pack("{s:s,s:s,s:o,s:s,s:s}", "at", stmt_text(s, 0), "username",
				       stmt_text(s, 1), "from", opt_text(s, 2), "to",
				       stmt_text(s, 3), "note", stmt_text(s, 4));
		json_object_set_new(ev, "snapshot_seq",
				    stmt_isnull(s, 5) ? json_null() : json_integer(stmt_int(s, 5)));
		json_object_set_new(ev, "_id", json_integer(stmt_int(s, 6)));
		json_object_set_new(ev, "sections", json_array());
		json_array_append_new(arr, ev);
	}
	stmt_done(s);
	if (rc >= 0)
		rc = events_sections(st, id, arr, e);
	if (rc < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* Snapshot seq of id (0: the latest) as {seq, created_at, content_hash,
 * hash_ok, content}, or JSON null when there is none. */
static int snapshot_of(struct store *st, int64_t id, int64_t seq, json_t **out, struct err *e)
{
	struct stmt *s = store_prepare(
		st,
		seq ? "SELECT seq, created_at, snapshot, content_hash, id FROM submission_snapshots"
		      " WHERE submission_id = ? AND seq = ?"
		    : "SELECT seq, created_at, snapshot, content_hash, id FROM submission_snapshots"
		      " WHERE submission_id = ? AND seq > ? ORDER BY seq DESC",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ii", id, seq);
	int rc = stmt_step(s, e);
	*out = json_null();
	if (rc == 1) {
		const char *text = stmt_text(s, 2);
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		json_t *content = json_loads(text, 0, NULL);
		*out = json_pack("{s:I,s:s,s:s,s:b,s:o}", "seq", (json_int_t)stmt_int(s, 0),
				 "created_at", stmt_text(s, 1), "content_hash", stmt_text(s, 3),
				 "hash_ok", !strcmp(hex, stmt_text(s, 3)), "content",
				 content ? content : json_null());
		int64_t snap_id = stmt_int(s, 4);
		stmt_done(s);
		json_t *files = NULL;
		rc = submission_files_list(st, snap_id, &files, e);
		json_object_set_new(*out, "files", files ? files : json_array());
		return rc < 0 ? rc : 0;
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int submission_get(struct store *st, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	json_t *sub;
	int rc = load(st, a, id, &sub, e);
	if (rc < 0)
		return rc;
	json_t *moves_all = submission_moves(json_string_value(json_object_get(sub, "status")));
	json_t *mine = json_array(), *v;
	size_t i;
	const char *prov = json_string_value(json_object_get(sub, "province"));
	json_array_foreach(moves_all, i, v)
	{
		const char *by = json_string_value(json_object_get(v, "by"));
		struct move m = {.by = strcmp(by, "province") ? BY_MINISTRY : BY_PROVINCE};
		if (may_move(a, &m, prov))
			json_array_append(mine, v);
	}
	json_decref(moves_all);
	json_object_set_new(sub, "moves", mine);
	json_t *events = events_of(st, id, e), *snap = NULL;
	rc = events ? snapshot_of(st, id, 0, &snap, e) : ERR_STORE;
	if (rc < 0) {
		json_decref(events);
		json_decref(sub);
		return rc;
	}
	json_object_set_new(sub, "timeline", events);
	json_object_set_new(sub, "snapshot", snap);
	*out = sub;
	return 0;
}

int submission_snapshot(struct store *st, const struct actor *a, int64_t id, int64_t seq,
			json_t **out, struct err *e)
{
	json_t *sub;
	int rc = load(st, a, id, &sub, e);
	json_decref(sub);
	if (rc == 0 && seq < 1)
		rc = err_set(e, ERR_INVALID, "seq", "seq từ 1 / seq is 1 or more");
	if (rc == 0)
		rc = snapshot_of(st, id, seq, out, e);
	if (rc == 0 && json_is_null(*out))
		rc = err_set(e, ERR_NOTFOUND, "seq", "Không có lần gửi %lld / no snapshot %lld",
			     (long long)seq, (long long)seq);
	return rc;
}

int submission_list(struct store *st, const struct actor *a, const char *kind, int64_t year,
		    json_t **out, struct err *e)
{
	if (a->role == ROLE_ESTABLISHMENT)
		return err_set(e, ERR_FORBIDDEN, "", "Ngoài phạm vi của bạn / outside your scope");
	if (kind && submission_period_check(kind, year, e) < 0)
		return ERR_INVALID;
	struct buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT " SUB_COLS " FROM submissions s WHERE 1 = 1");
	int own = !actor_reads_all(a);
	if (own)
		buf_puts(&sql, " AND province_code = ?");
	if (kind)
		buf_puts(&sql, " AND period_kind = ? AND year = ?");
	buf_puts(&sql, " ORDER BY id DESC");
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	int pos = 1;
	if (own)
		stmt_bind_text(s, pos++, a->province);
	if (kind) {
		stmt_bind_text(s, pos++, kind);
		stmt_bind_int(s, pos++, year);
	}
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr, row_json(s));
	stmt_done(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}
