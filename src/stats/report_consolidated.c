/* report_consolidated.c - the ministry's national report of a period built
 * from what the provinces sent: the report frozen in the latest sending of
 * each province's accepted submission, never the live data. Figures are
 * added up where they add (same unit, exact, not a ratio), each with the
 * number of provinces behind it and, where the same provinces' live data
 * now add up differently, the live sum beside it; an annex lists every
 * figure with its province and submission number (docs/reporting.md). */
#include "stats/submission.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/vtext.h"
#include "model/unit.h"
#include "stats/period.h"
#include "stats/report.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct prov {
	char code[8], name[96], status[16], number[48], hash[65], decided[24];
	int64_t id, seq;
	json_t *content; /* the accepted sending, when it is included */
};

static const char *status_vi(const char *s)
{
	static const char *const names[][2] = {
		{"not_started", "Chưa bắt đầu"},
		{"draft", "Dự thảo"},
		{"submitted", "Đã gửi, chờ Bộ xem"},
		{"returned", "Bị trả lại"},
		{"reopened", "Bộ đã mở lại"},
		{"accepted", "Đã chấp nhận"},
		{"hash_bad", "Đã chấp nhận, nội dung không khớp mã băm"}};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(s, names[i][0]))
			return names[i][1];
	return s;
}

/* Today's provinces into *ps (caller frees). */
static int provinces(struct store *st, struct prov **ps, size_t *n, struct err *e)
{
	struct unit_province *u;
	int rc = unit_provinces(st, "new", &u, n, e);
	if (rc < 0)
		return rc;
	*ps = xcalloc(*n ? *n : 1, sizeof **ps);
	for (size_t i = 0; i < *n; i++) {
		str_copy((*ps)[i].code, sizeof(*ps)[i].code, u[i].code);
		str_copy((*ps)[i].name, sizeof(*ps)[i].name, u[i].name);
		str_copy((*ps)[i].status, sizeof(*ps)[i].status, "not_started");
	}
	free(u);
	return 0;
}

/* The submission of each province for the period and, for an accepted one
 * whose stored text still has its hash, its latest (the accepted) sending. */
static int fill(struct store *st, const char *kind, int64_t year, struct prov *ps, size_t n,
		struct err *e)
{
	struct stmt *s = store_prepare(
		st,
		"SELECT s.province_code, s.id, s.number, s.status, s.decided_at, n.seq,"
		" n.snapshot, n.content_hash FROM submissions s LEFT JOIN submission_snapshots n"
		" ON n.submission_id = s.id AND n.seq = (SELECT MAX(m.seq) FROM"
		" submission_snapshots m WHERE m.submission_id = s.id) WHERE s.period_kind = ?"
		" AND s.year = ? AND s.status <> 'withdrawn'",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ti", kind, year);
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		struct prov *p = NULL;
		for (size_t i = 0; i < n && !p; i++)
			if (!strcmp(ps[i].code, stmt_text(s, 0)))
				p = &ps[i];
		if (!p)
			continue;
		p->id = stmt_int(s, 1);
		snprintf(p->number, sizeof p->number, "%s", stmt_text(s, 2));
		snprintf(p->status, sizeof p->status, "%s", stmt_text(s, 3));
		snprintf(p->decided, sizeof p->decided, "%s",
			 stmt_isnull(s, 4) ? "" : stmt_text(s, 4));
		if (stmt_isnull(s, 5))
			continue;
		p->seq = stmt_int(s, 5);
		snprintf(p->hash, sizeof p->hash, "%s", stmt_text(s, 7));
		if (strcmp(p->status, "accepted"))
			continue;
		const char *text = stmt_text(s, 6);
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
		sodium_bin2hex(hex, sizeof hex, h, sizeof h);
		if (strcmp(hex, p->hash)) { /* altered since it was sent: not used */
			snprintf(p->status, sizeof p->status, "hash_bad");
			continue;
		}
		p->content = json_loads(text, 0, NULL);
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* "1. Đào tạo nghề" -> "Đào tạo nghề": a section's numbering differs from
 * province to province (sections without figures are left out). */
static const char *bare_title(const char *t)
{
	const char *p = t;
	while (*p >= '0' && *p <= '9')
		p++;
	return p > t && p[0] == '.' && p[1] == ' ' ? p + 2 : t;
}

/* The position in arr of the entry whose "key" is key and "nth" nth, or -1. */
static int find(json_t *arr, const char *key, int nth)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
	{
		if (!strcmp(json_string_value(json_object_get(x, "key")), key) &&
		    json_integer_value(json_object_get(x, "nth")) == nth)
			return (int)i;
	}
	return -1;
}

/* The entry of arr for key and nth: with live, only one that exists (NULL
 * else); otherwise a new one put right after position *prev (the entry the
 * same report had before it) when there is none, so that the merged order
 * follows every report's own order. Sets *prev to its position. */
static json_t *entry(json_t *arr, const char *key, int nth, int *prev, int live)
{
	int at = find(arr, key, nth);
	if (at < 0 && live)
		return NULL;
	if (at < 0) {
		at = *prev + 1;
		json_array_insert_new(arr, (size_t)at,
				      json_pack("{s:s,s:i,s:[],s:[],s:[]}", "key", key, "nth", nth,
						"rows", "sent", "live"));
	}
	*prev = at;
	return json_array_get(arr, (size_t)at);
}

/* How many rows before row j of rows have the label label. */
static int nth_of(json_t *rows, size_t j, const char *label)
{
	int n = 0;
	for (size_t k = 0; k < j; k++) {
		const char *l = json_string_value(json_array_get(json_array_get(rows, k), 0));
		n += l && !strcmp(l, label);
	}
	return n;
}

/* Adds the figures of report (a province's, sent or live) to merged:
 * section -> row -> {p (index of the province), text, value}. Live figures
 * go only to rows some sending has. */
static void merge(json_t *merged, json_t *report, size_t pi, int live)
{
	size_t i, j;
	json_t *sec, *row;
	int ps = -1;
	json_array_foreach(json_object_get(report, "sections"), i, sec)
	{
		json_t *t = json_object_get(sec, "table");
		const char *title = json_string_value(json_object_get(sec, "title"));
		const char *col = json_string_value(
			json_object_get(json_array_get(json_object_get(t, "columns"), 1), "label"));
		if (!title || !col || strcmp(col, "Giá trị")) /* targets: not figures to add */
			continue;
		json_t *m = entry(merged, bare_title(title), 0, &ps, live);
		if (!m)
			continue;
		json_t *rows = json_object_get(t, "rows"), *values = json_object_get(t, "values");
		int pr = -1;
		json_array_foreach(rows, j, row)
		{
			const char *label = json_string_value(json_array_get(row, 0));
			json_t *x = label ? entry(json_object_get(m, "rows"), label,
						  nth_of(rows, j, label), &pr, live)
					  : NULL;
			if (!x)
				continue;
			json_t *v = json_array_get(json_array_get(values, j), 1);
			json_array_append_new(json_object_get(x, live ? "live" : "sent"),
					      json_pack("{s:I,s:O,s:O}", "p", (json_int_t)pi,
							"text", json_array_get(row, 1), "value",
							v ? v : json_null()));
		}
	}
}

/* The value of v in units of 10^-dec (dec >= its decimals). */
static int64_t units_of(json_t *v, int dec)
{
	double d = json_number_value(json_object_get(v, "value"));
	for (int i = 0; i < dec; i++)
		d *= 10;
	return (int64_t)(d < 0 ? d - 0.5 : d + 0.5);
}

/* The sum of the figures items as {value, decimals, unit} with its reading
 * in text, or NULL (text: why not) when they do not add up: a figure
 * without a number, estimated, a percentage or ratio, or units that differ. */
static json_t *sum_of(json_t *items, struct buf *text)
{
	size_t i;
	json_t *it;
	const char *unit = NULL;
	int dec = 0;
	json_array_foreach(items, i, it)
	{
		json_t *v = json_object_get(it, "value");
		const char *u = json_string_value(json_object_get(v, "unit"));
		const char *note = json_string_value(json_object_get(v, "note"));
		if (!json_is_number(json_object_get(v, "value")) ||
		    json_object_get(v, "qualifier") || !u || strchr(u, '%') ||
		    (note && !strcmp(note, REPORT_NOTE_RATIO)) || (unit && strcmp(unit, u))) {
			buf_puts(text, "Không cộng được (xem phụ lục)");
			return NULL;
		}
		unit = u;
		int d = (int)json_integer_value(json_object_get(v, "decimals"));
		dec = d > dec ? d : dec;
	}
	if (!unit)
		return NULL;
	int64_t sum = 0;
	json_array_foreach(items, i, it) sum += units_of(json_object_get(it, "value"), dec);
	if (!strcmp(unit, "đồng") && !dec)
		vtext_fmt_money(text, sum);
	else {
		vtext_fmt_decimal(text, sum, dec, dec);
		if (*unit)
			buf_printf(text, " %s", unit);
	}
	double v = (double)sum;
	for (int k = 0; k < dec; k++)
		v /= 10;
	return json_pack("{s:o,s:i,s:s}", "value", dec ? json_real(v) : json_integer(sum),
			 "decimals", dec, "unit", unit);
}

/* One section of merged m as a table: the figure, how many provinces, and
 * the live sum where it differs. */
static json_t *section_of(json_t *m, int number)
{
	json_t *rows = json_array(), *values = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(m, "rows"), i, x)
	{
		struct buf sent = BUF_INIT, now = BUF_INIT, count = BUF_INIT;
		json_t *sv = sum_of(json_object_get(x, "sent"), &sent);
		json_t *live = json_object_get(x, "live"), *lv = NULL;
		if (json_array_size(live))
			lv = sum_of(live, &now);
		else
			buf_puts(&now, "Không còn số liệu");
		if (!strcmp(buf_cstr(&now), buf_cstr(&sent))) {
			buf_reset(&now);
			json_decref(lv);
			lv = NULL;
		}
		buf_printf(&count, "%zu", json_array_size(json_object_get(x, "sent")));
		json_array_append_new(
			rows, json_pack("[s,s,s,s]", json_string_value(json_object_get(x, "key")),
					buf_cstr(&sent), buf_cstr(&count), buf_cstr(&now)));
		json_array_append_new(values, json_pack("[n,o,n,o]", sv ? sv : json_null(),
							lv ? lv : json_null()));
		buf_free(&sent);
		buf_free(&now);
		buf_free(&count);
	}
	char title[200];
	snprintf(title, sizeof title, "%d. %s", number,
		 json_string_value(json_object_get(m, "key")));
	return json_pack("{s:s,s:{s:[{s:s},{s:s,s:b},{s:s,s:b},{s:s,s:b}],s:o,s:o}}", "title",
			 title, "table", "columns", "label", "Chỉ tiêu", "label",
			 "Tổng hợp từ báo cáo đã chấp nhận", "numeric", 1, "label", "Số tỉnh",
			 "numeric", 1, "label", "Số liệu hiện nay (nếu khác)", "numeric", 1, "rows",
			 rows, "values", values);
}

/* The annex: every figure sent, with its province and submission. */
static json_t *annex_of(json_t *merged, const struct prov *ps)
{
	json_t *rows = json_array(), *values = json_array(), *m, *x, *it;
	size_t i, j, k;
	json_array_foreach(merged, i, m) json_array_foreach(json_object_get(m, "rows"), j, x)
		json_array_foreach(json_object_get(x, "sent"), k, it)
	{
		const struct prov *p = &ps[json_integer_value(json_object_get(it, "p"))];
		char num[80];
		snprintf(num, sizeof num, "%s (lần gửi %lld)", p->number, (long long)p->seq);
		json_t *text = json_object_get(it, "text");
		json_array_append_new(
			rows, json_pack("[s,s,s,s,s]", json_string_value(json_object_get(m, "key")),
					json_string_value(json_object_get(x, "key")), p->name, num,
					json_is_string(text) ? json_string_value(text) : ""));
		json_t *v = json_object_get(it, "value");
		json_array_append_new(values, json_pack("[n,n,n,n,O]", v ? v : json_null()));
	}
	return json_pack("{s:s,s:{s:[{s:s},{s:s},{s:s},{s:s},{s:s,s:b}],s:o,s:o}}", "title",
			 "Phụ lục. Số liệu theo tỉnh và số báo cáo", "table", "columns", "label",
			 "Phần", "label", "Chỉ tiêu", "label", "Tỉnh, thành phố", "label",
			 "Báo cáo số", "label", "Giá trị đã gửi", "numeric", 1, "rows", rows,
			 "values", values);
}

/* The first section (who is in, who is not) and the coverage as data. */
static json_t *coverage_of(const struct prov *ps, size_t n, const struct period *pd, json_t **cov)
{
	json_t *rows = json_array(), *list = json_array();
	size_t in = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const struct prov *p = &ps[i];
			if ((pass == 0) != (p->content != NULL))
				continue;
			in += pass == 0;
			char seq[24] = "", sha[13] = "", when[24] = "";
			if (p->seq)
				snprintf(seq, sizeof seq, "%lld", (long long)p->seq);
			snprintf(sha, sizeof sha, "%.12s", p->hash);
			if (p->content)
				snprintf(when, sizeof when, "%.10s", p->decided);
			json_array_append_new(rows, json_pack("[s,s,s,s,s,s]", p->name,
							      status_vi(p->status), p->number, seq,
							      when, sha));
			json_t *o =
				json_pack("{s:s,s:s,s:s,s:b}", "province", p->code, "name", p->name,
					  "status", p->status, "included", p->content != NULL);
			if (p->id) {
				json_object_set_new(o, "submission_id", json_integer(p->id));
				json_object_set_new(o, "number", json_string(p->number));
			}
			if (p->seq) {
				json_object_set_new(o, "seq", json_integer(p->seq));
				json_object_set_new(o, "content_hash", json_string(p->hash));
			}
			json_array_append_new(list, o);
		}
	*cov = json_pack("{s:I,s:I,s:o}", "expected", (json_int_t)n, "included", (json_int_t)in,
			 "provinces", list);
	struct buf para = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
	vtext_fmt_date(&from, pd->date_from);
	vtext_fmt_date(&to, pd->date_to);
	buf_printf(&para,
		   "Báo cáo tổng hợp số liệu %s (%s – %s) từ báo cáo đã được Bộ chấp nhận của "
		   "%zu/%zu tỉnh, thành phố, đúng như khi gửi (lần gửi được chấp nhận), không lấy "
		   "số liệu hiện tại. %zu tỉnh, thành phố chưa có báo cáo được chấp nhận nên "
		   "không có trong các bảng dưới đây.",
		   pd->label, buf_cstr(&from), buf_cstr(&to), in, n, n - in);
	json_t *sec = json_pack("{s:s,s:[s],s:{s:[{s:s},{s:s},{s:s},{s:s,s:b},{s:s},{s:s}],s:o}}",
				"title", "Phạm vi tổng hợp", "paragraphs", buf_cstr(&para), "table",
				"columns", "label", "Tỉnh, thành phố", "label", "Tình trạng",
				"label", "Báo cáo số", "label", "Lần gửi", "numeric", 1, "label",
				"Ngày chấp nhận", "label", "SHA-256", "rows", rows);
	buf_free(&para);
	buf_free(&from);
	buf_free(&to);
	return sec;
}

static json_t *document(struct store *st, const struct actor *a, struct prov *ps, size_t n,
			const struct period *pd, struct err *e, int *rc)
{
	json_t *merged = json_array(), *cov = NULL;
	for (size_t i = 0; i < n; i++)
		if (ps[i].content)
			merge(merged, json_object_get(ps[i].content, "report"), i, 0);
	for (size_t i = 0; i < n && *rc == 0; i++) {
		json_t *live = NULL;
		if (ps[i].content)
			*rc = submission_report_now(st, a, ps[i].content, &live, NULL, e);
		if (live)
			merge(merged, live, i, 1);
		json_decref(live);
	}
	json_t *secs = json_array();
	json_array_append_new(secs, coverage_of(ps, n, pd, &cov));
	size_t i;
	json_t *m;
	json_array_foreach(merged, i, m) json_array_append_new(secs, section_of(m, (int)i + 1));
	if (json_array_size(merged))
		json_array_append_new(secs, annex_of(merged, ps));
	json_decref(merged);
	char now[21];
	clock_iso(clock_now(), now);
	struct buf sub = BUF_INIT;
	buf_printf(&sub,
		   "Toàn quốc · %s · tổng hợp từ báo cáo đã được Bộ chấp nhận của %lld/%lld "
		   "tỉnh, thành phố",
		   pd->label, (long long)json_integer_value(json_object_get(cov, "included")),
		   (long long)n);
	json_t *doc = json_pack(
		"{s:s,s:s,s:o,s:[s,s],s:o,s:s}", "title",
		"Báo cáo tổng hợp kết quả công tác khuyến công", "subtitle", buf_cstr(&sub),
		"sections", secs, "notes",
		"Số liệu của mỗi tỉnh là số liệu trong lần gửi đã được Bộ chấp nhận, không phải "
		"số liệu hiện nay; cột “Số liệu hiện nay” chỉ ghi khi số liệu hiện nay của chính "
		"các tỉnh đó cộng lại khác đi.",
		"“Không cộng được”: tỷ lệ, số bình quân, số ước tính (trên, khoảng) hoặc đơn vị "
		"khác nhau; số liệu từng tỉnh ở phụ lục.",
		"coverage", cov, "generated_at", now);
	buf_free(&sub);
	return doc;
}

int report_consolidated(struct store *st, const struct actor *a, const char *kind, int64_t year,
			json_t **out, struct err *e)
{
	*out = NULL;
	if (!actor_reads_all(a))
		return err_set(e, ERR_FORBIDDEN, "",
			       "Báo cáo tổng hợp toàn quốc dành cho Bộ / the national consolidated "
			       "report is the ministry's");
	struct period pd;
	char due[11];
	int rc = submission_period(st, kind, year, &pd, due, e);
	struct prov *ps = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = provinces(st, &ps, &n, e);
	if (rc == 0)
		rc = fill(st, kind, year, ps, n, e);
	json_t *doc = rc == 0 ? document(st, a, ps, n, &pd, e, &rc) : NULL;
	for (size_t i = 0; i < n; i++)
		json_decref(ps[i].content);
	free(ps);
	if (rc < 0) {
		json_decref(doc);
		return rc;
	}
	*out = doc;
	return 0;
}
