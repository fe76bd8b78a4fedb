/* period.c - the reporting periods' cut-off rules (data, audited) and the
 * dates and years of any period a statistic is asked for. */
#include "stats/period.h"

#include "core/clock.h"
#include "core/vtext.h"
#include "model/audit.h"
#include "stats/stats_memo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const kind_names[] = {"calendar", "reporting_year", "half_year", "dates",
					 "programme"};

int period_kind_parse(const char *s)
{
	if (!s || !*s)
		return PERIOD_CALENDAR;
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return -1;
}

const char *period_kind_name(enum period_kind k)
{
	return kind_names[k];
}

/* ---- the rules ------------------------------------------------------------ */

#define RULE_COLS                                                                   \
	"kind, start_month, start_day, end_month, end_day, COALESCE(due_month, 0)," \
	" COALESCE(due_day, 0), legal_basis, version"

static void rule_read(struct stmt *s, struct period_rule *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->kind, sizeof r->kind, "%s", stmt_text(s, 0));
	r->start_month = (int)stmt_int(s, 1);
	r->start_day = (int)stmt_int(s, 2);
	r->end_month = (int)stmt_int(s, 3);
	r->end_day = (int)stmt_int(s, 4);
	r->due_month = (int)stmt_int(s, 5);
	r->due_day = (int)stmt_int(s, 6);
	snprintf(r->legal_basis, sizeof r->legal_basis, "%s",
		 stmt_text(s, 7) ? stmt_text(s, 7) : "");
	r->version = stmt_int(s, 8);
}

static json_t *rule_json(const struct period_rule *r)
{
	return json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:s,s:I}", "kind", r->kind, "start_month",
			 r->start_month, "start_day", r->start_day, "end_month", r->end_month,
			 "end_day", r->end_day, "due_month", r->due_month, "due_day", r->due_day,
			 "legal_basis", r->legal_basis, "version", (json_int_t)r->version);
}

/* The rule as rule_json() wrote it. */
static void rule_of_json(json_t *j, struct period_rule *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->kind, sizeof r->kind, "%s", json_string_value(json_object_get(j, "kind")));
	r->start_month = (int)json_integer_value(json_object_get(j, "start_month"));
	r->start_day = (int)json_integer_value(json_object_get(j, "start_day"));
	r->end_month = (int)json_integer_value(json_object_get(j, "end_month"));
	r->end_day = (int)json_integer_value(json_object_get(j, "end_day"));
	r->due_month = (int)json_integer_value(json_object_get(j, "due_month"));
	r->due_day = (int)json_integer_value(json_object_get(j, "due_day"));
	snprintf(r->legal_basis, sizeof r->legal_basis, "%s",
		 json_string_value(json_object_get(j, "legal_basis")));
	r->version = json_integer_value(json_object_get(j, "version"));
}

static int rule_read_now(struct store *st, const char *kind, struct period_rule *out, struct err *e)
{
	struct stmt *s =
		store_prepare(st, "SELECT " RULE_COLS " FROM reporting_periods WHERE kind = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", kind);
	int rc = stmt_step(s, e);
	if (rc == 1)
		rule_read(s, out);
	stmt_done(s);
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "kind",
			       "Không có quy định kỳ báo cáo %s / no reporting period rule %s",
			       kind ? kind : "", kind ? kind : "");
	return rc < 0 ? rc : 0;
}

/* Reused until the rules change (stats_memo.h): a dashboard resolves a
 * dozen periods (its picker's presets, each statistic's), each read the
 * rules again (17 statements of a province's dashboard, issue 17). */
int period_rule_get(struct store *st, const char *kind, struct period_rule *out, struct err *e)
{
	static const char *const tables[] = {"reporting_periods", NULL};
	char version[128], key[64];
	snprintf(key, sizeof key, "|period rule %s", kind ? kind : "");
	json_t *m;
	if (stats_memo_lookup(st, tables, key, version, sizeof version, &m, e) < 0)
		return ERR_STORE;
	if (m) {
		rule_of_json(m, out);
		json_decref(m);
		return 0;
	}
	int rc = rule_read_now(st, kind, out, e);
	if (rc == 0) {
		m = rule_json(out);
		stats_memo_put(st, key, version, m);
		json_decref(m);
	}
	return rc;
}

int period_rules_json(struct store *st, json_t **out, struct err *e)
{
	struct stmt *s = store_prepare(
		st, "SELECT " RULE_COLS " FROM reporting_periods ORDER BY kind DESC", e);
	if (!s)
		return ERR_STORE;
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		struct period_rule r;
		rule_read(s, &r);
		json_array_append_new(arr, rule_json(&r));
	}
	stmt_done(s);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

/* ---- date arithmetic ------------------------------------------------------ */

static int month_days(int month)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return d[month - 1]; /* 29 Feb is refused: a rule must hold every year */
}

static int md_cmp(int m1, int d1, int m2, int d2)
{
	return m1 != m2 ? m1 - m2 : d1 - d2;
}

/* y-m-d as ISO; the values come from checked rules and years 1900..2100. */
static void iso(char out[11], int y, int m, int d)
{
	char t[48];
	snprintf(t, sizeof t, "%04d-%02d-%02d", y, m, d);
	memcpy(out, t, 10);
	out[10] = 0;
}

/* The day after y-m-d, ISO. */
static void day_after(char out[11], int y, int m, int d)
{
	struct tm t = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + 1, .tm_hour = 12};
	time_t x = timegm(&t);
	struct tm n;
	gmtime_r(&x, &n);
	iso(out, n.tm_year + 1900, n.tm_mon + 1, n.tm_mday);
}

/* The first and last day of the period of rule r ending in year y. */
static void rule_range(const struct period_rule *r, int y, char from[11], char to[11])
{
	int wraps = md_cmp(r->start_month, r->start_day, r->end_month, r->end_day) > 0;
	iso(from, wraps ? y - 1 : y, r->start_month, r->start_day);
	iso(to, y, r->end_month, r->end_day);
}

/* The first half of reporting year y: from the year's first day to the
 * first end_month/end_day on or after it. */
static void half_range(const struct period_rule *yr, const struct period_rule *h, int y,
		       char from[11], char to[11])
{
	char yt[11];
	rule_range(yr, y, from, yt);
	int sy = atoi(from);
	int same = md_cmp(h->end_month, h->end_day, yr->start_month, yr->start_day) >= 0;
	iso(to, same ? sy : sy + 1, h->end_month, h->end_day);
}

static int check_day(int month, int day, const char *mfield, const char *dfield, struct err *e)
{
	if (month < 1 || month > 12)
		return err_set(e, ERR_INVALID, mfield, "Tháng từ 1 đến 12 / month is 1 to 12");
	if (day < 1 || day > month_days(month))
		return err_set(
			e, ERR_INVALID, dfield,
			"Ngày không có trong mọi năm của tháng %d / day %d is not in month %d "
			"every year",
			month, day, month);
	return 0;
}

/* A reporting year follows the one before without a gap or overlap, in
 * common and in leap years alike. */
static int check_year(const struct period_rule *y, struct err *e)
{
	char yf[11], yt[11], next[11];
	for (int year = 2023; year <= 2024; year++) {
		rule_range(y, year, yf, yt);
		day_after(next, year - 1, y->end_month, y->end_day);
		if (strcmp(next, yf))
			return err_set(
				e, ERR_INVALID, "start_day",
				"Năm báo cáo phải bắt đầu ngay sau ngày kết thúc của năm trước / "
				"the reporting year must start the day after the previous one "
				"ends");
	}
	return 0;
}

/* Does the first half h end inside reporting year y (before its last day)? */
static int half_fits(const struct period_rule *y, const struct period_rule *h, char ht[11])
{
	char yf[11], yt[11], hf[11];
	rule_range(y, 2023, yf, yt);
	half_range(y, h, 2023, hf, ht);
	return strcmp(ht, yt) < 0;
}

/* The last day of the six months from the year's first day: 15 Dec -> 14 Jun. */
static void six_months(const struct period_rule *y, struct period_rule *h)
{
	int m = (y->start_month - 1 + 6) % 12 + 1, d = y->start_day - 1;
	if (d == 0) {
		m = m == 1 ? 12 : m - 1;
		d = month_days(m);
	}
	h->end_month = m;
	h->end_day = d;
}

static int write_rule(struct store *st, const struct actor *a, const struct period_rule *before,
		      const struct period_rule *r, const char *now, struct err *e)
{
	int rc = store_run(
		st, e,
		"UPDATE reporting_periods SET start_month = ?, start_day = ?, end_month = ?,"
		" end_day = ?, due_month = ?, due_day = ?, legal_basis = ?,"
		" version = version + 1, updated_at = ? WHERE kind = ?",
		"iiiiiittt", (int64_t)r->start_month, (int64_t)r->start_day, (int64_t)r->end_month,
		(int64_t)r->end_day, (int64_t)r->due_month, (int64_t)r->due_day, r->legal_basis,
		now, r->kind);
	if (rc < 0)
		return rc;
	struct period_rule after = *r;
	after.version = before->version + 1;
	json_t *b = rule_json(before), *af = rule_json(&after);
	rc = audit_append(st, a, "reporting_periods", r->kind, "update", b, af, e);
	json_decref(b);
	json_decref(af);
	return rc;
}

int period_rule_set(struct store *st, const struct actor *a, const struct period_rule *r,
		    struct err *e)
{
	if (!actor_is_admin(a))
		return err_set(
			e, ERR_FORBIDDEN, "kind",
			"Chỉ quản trị viên đổi kỳ báo cáo / only administrators change reporting "
			"periods");
	if (strcmp(r->kind, "year") && strcmp(r->kind, "half_year"))
		return err_set(e, ERR_INVALID, "kind",
			       "kind là year hoặc half_year / kind is year or half_year");
	int rc = check_day(r->start_month, r->start_day, "start_month", "start_day", e);
	if (rc == 0)
		rc = check_day(r->end_month, r->end_day, "end_month", "end_day", e);
	if (rc == 0 && (r->due_month || r->due_day))
		rc = check_day(r->due_month, r->due_day, "due_month", "due_day", e);
	if (rc < 0)
		return rc;
	struct period_rule year, half, year0, half0;
	if ((rc = period_rule_get(st, "year", &year0, e)) < 0 ||
	    (rc = period_rule_get(st, "half_year", &half0, e)) < 0)
		return rc;
	year = year0;
	half = half0;
	char ht[11];
	int move_half = 0;
	if (!strcmp(r->kind, "year")) {
		year = *r;
		if ((rc = check_year(&year, e)) < 0)
			return rc;
		/* A first half that no longer ends inside the new year becomes its
		 * first six months (else changing both would need two steps that
		 * each refuse the other). */
		if (!half_fits(&year, &half, ht)) {
			six_months(&year, &half);
			move_half = 1;
		}
	} else {
		half = *r;
		if (!half_fits(&year, &half, ht))
			return err_set(
				e, ERR_INVALID, "end_day",
				"6 tháng đầu phải kết thúc trước ngày cuối của năm báo cáo (nay "
				"kết "
				"thúc %s) / the first half-year must end before the reporting year "
				"does (it now ends on %s)",
				ht, ht);
	}
	/* The first half-year starts with the reporting year, always. */
	move_half |= half.start_month != year.start_month || half.start_day != year.start_day;
	half.start_month = year.start_month;
	half.start_day = year.start_day;
	char now[21];
	clock_iso(clock_now(), now);
	if ((rc = store_begin(st, e)) < 0)
		return rc;
	if (!strcmp(r->kind, "year"))
		rc = write_rule(st, a, &year0, &year, now, e);
	if (rc >= 0 && (move_half || !strcmp(r->kind, "half_year")))
		rc = write_rule(st, a, &half0, &half, now, e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* ---- the current reporting year -------------------------------------------- */

int period_year_of(struct store *st, const char *date, int *year, struct err *e)
{
	struct period_rule y;
	int rc = period_rule_get(st, "year", &y, e);
	if (rc < 0)
		return rc;
	int yy = 0, m = 0, d = 0;
	if (!date || sscanf(date, "%d-%d-%d", &yy, &m, &d) != 3)
		return err_set(e, ERR_INVALID, "date", "Ngày không hợp lệ / invalid date");
	/* The year whose period ends on or after the date: past the end day,
	 * the date belongs to the next reporting year. */
	*year = md_cmp(m, d, y.end_month, y.end_day) > 0 ? yy + 1 : yy;
	return 0;
}

/* ---- resolving a period ------------------------------------------------------ */

static void fmt_date(char *out, size_t n, const char *isod)
{
	struct buf b = BUF_INIT;
	vtext_fmt_date(&b, isod);
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

static void label_range(struct period *p, const char *what, const char *what_en)
{
	char f[16] = "…", t[16] = "…";
	if (*p->date_from)
		fmt_date(f, sizeof f, p->date_from);
	if (*p->date_to)
		fmt_date(t, sizeof t, p->date_to);
	snprintf(p->label, sizeof p->label, "%s (%s – %s)", what, f, t);
	snprintf(p->label_en, sizeof p->label_en, "%s (%s – %s)", what_en, f, t);
}

static int resolve_reporting(struct store *st, const struct period_spec *s, struct period *p,
			     struct err *e)
{
	struct period_rule y;
	int rc = period_rule_get(st, "year", &y, e);
	if (rc < 0)
		return rc;
	char f[11], t[11];
	if (s->from) {
		rule_range(&y, s->from, f, t);
		snprintf(p->date_from, sizeof p->date_from, "%s", f);
	}
	if (s->to) {
		rule_range(&y, s->to, f, t);
		snprintf(p->date_to, sizeof p->date_to, "%s", t);
	}
	p->year_from = s->from;
	p->year_to = s->to;
	char what[48], en[48];
	if (s->from && s->from == s->to) {
		snprintf(what, sizeof what, "năm báo cáo %d", s->from);
		snprintf(en, sizeof en, "reporting year %d", s->from);
	} else {
		snprintf(what, sizeof what, "năm báo cáo %d – %d", s->from, s->to);
		snprintf(en, sizeof en, "reporting years %d – %d", s->from, s->to);
	}
	label_range(p, what, en);
	return 0;
}

static int resolve_half(struct store *st, const struct period_spec *s, struct period *p,
			struct err *e)
{
	if (!s->from || (s->to && s->to != s->from))
		return err_set(
			e, ERR_INVALID, "from",
			"6 tháng: chọn một năm báo cáo (from) / a half-year needs one reporting "
			"year in from");
	if (s->half != 1 && s->half != 2)
		return err_set(e, ERR_INVALID, "half", "half là 1 hoặc 2 / half is 1 or 2");
	struct period_rule y, h;
	int rc = period_rule_get(st, "year", &y, e);
	if (rc == 0)
		rc = period_rule_get(st, "half_year", &h, e);
	if (rc < 0)
		return rc;
	char yf[11], yt[11], hf[11], ht[11];
	rule_range(&y, s->from, yf, yt);
	half_range(&y, &h, s->from, hf, ht); /* the first half starts with the year */
	if (s->half == 1) {
		snprintf(p->date_from, sizeof p->date_from, "%s", hf);
		snprintf(p->date_to, sizeof p->date_to, "%s", ht);
	} else {
		day_after(p->date_from, atoi(ht), h.end_month, h.end_day);
		snprintf(p->date_to, sizeof p->date_to, "%s", yt);
	}
	p->no_years = 1; /* a year-only record cannot be placed in half a year */
	char what[64], en[64];
	snprintf(what, sizeof what, "6 tháng %s năm báo cáo %d", s->half == 1 ? "đầu" : "cuối",
		 s->from);
	snprintf(en, sizeof en, "%s half of reporting year %d", s->half == 1 ? "first" : "second",
		 s->from);
	label_range(p, what, en);
	return 0;
}

static int resolve_dates(const struct period_spec *s, struct period *p, struct err *e)
{
	if (s->date_from && *s->date_from &&
	    vtext_parse_date(s->date_from, p->date_from, "date_from", e) < 0)
		return ERR_INVALID;
	if (s->date_to && *s->date_to && vtext_parse_date(s->date_to, p->date_to, "date_to", e) < 0)
		return ERR_INVALID;
	if (*p->date_from && *p->date_to && strcmp(p->date_from, p->date_to) > 0)
		return err_set(e, ERR_INVALID, "date_to",
			       "Ngày kết thúc trước ngày bắt đầu / date_to is before date_from");
	/* The whole calendar years inside the range: year-only records and
	 * yearly figures of those years count, no others. */
	int y;
	if (*p->date_from) {
		sscanf(p->date_from, "%d", &y);
		p->year_from = strcmp(p->date_from + 4, "-01-01") ? y + 1 : y;
	}
	if (*p->date_to) {
		sscanf(p->date_to, "%d", &y);
		p->year_to = strcmp(p->date_to + 4, "-12-31") ? y - 1 : y;
	}
	if (p->year_from && p->year_to && p->year_from > p->year_to)
		p->no_years = 1;
	label_range(p, "từ ngày đến ngày", "dates");
	return 0;
}

static int resolve_programme(struct store *st, const struct period_spec *s, struct period *p,
			     struct err *e)
{
	if (s->programme_id <= 0)
		return err_set(
			e, ERR_INVALID, "programme_id",
			"Chọn chương trình (programme_id) / choose a programme (programme_id)");
	struct stmt *q = store_prepare(
		st,
		"SELECT period_from, period_to, COALESCE(code, name) FROM programmes WHERE id = ?",
		e);
	if (!q)
		return ERR_STORE;
	stmt_bind(q, "i", s->programme_id);
	int rc = stmt_step(q, e);
	if (rc == 1) {
		p->year_from = (int)stmt_int(q, 0);
		p->year_to = (int)stmt_int(q, 1);
		snprintf(p->label, sizeof p->label, "chương trình %.60s (%d – %d)",
			 stmt_text(q, 2) ? stmt_text(q, 2) : "", p->year_from, p->year_to);
		snprintf(p->label_en, sizeof p->label_en, "programme %.60s (%d – %d)",
			 stmt_text(q, 2) ? stmt_text(q, 2) : "", p->year_from, p->year_to);
	}
	stmt_done(q);
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "programme_id",
			       "Không có chương trình %lld / no programme %lld",
			       (long long)s->programme_id, (long long)s->programme_id);
	if (rc < 0)
		return rc;
	if (p->year_from)
		iso(p->date_from, p->year_from, 1, 1);
	if (p->year_to)
		iso(p->date_to, p->year_to, 12, 31);
	return 0;
}

int period_resolve(struct store *st, const struct period_spec *s, struct period *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	if (s->kind != PERIOD_DATES && s->kind != PERIOD_PROGRAMME && s->from && s->to &&
	    s->from > s->to)
		return err_set(e, ERR_INVALID, "to",
			       "Năm kết thúc trước năm bắt đầu / to is before from");
	switch (s->kind) {
	case PERIOD_CALENDAR:
		p->year_from = s->from;
		p->year_to = s->to;
		if (s->from)
			iso(p->date_from, s->from, 1, 1);
		if (s->to)
			iso(p->date_to, s->to, 12, 31);
		label_range(p, "năm dương lịch", "calendar years");
		return 0;
	case PERIOD_REPORTING_YEAR:
		p->by_date = 1;
		return resolve_reporting(st, s, p, e);
	case PERIOD_HALF_YEAR:
		p->by_date = 1;
		return resolve_half(st, s, p, e);
	case PERIOD_DATES:
		p->by_date = 1;
		return resolve_dates(s, p, e);
	case PERIOD_PROGRAMME:
		return resolve_programme(st, s, p, e);
	}
	return err_set(e, ERR_INVALID, "period", "Kỳ không hợp lệ / unknown period");
}
