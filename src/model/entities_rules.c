/* entities_rules.c - rules that involve several fields of a record. */
#include "model/entities_rules.h"

#include "core/vtext.h"
#include "model/caps.h"
#include "model/industry.h"
#include "model/unit.h"
#include "stats/figure_parts.h"
#include "stats/indicator.h" /* the catalogue is data: a figure's code must be in it */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t num(json_t *rec, const char *key, int *present)
{
	json_t *v = json_object_get(rec, key);
	*present = json_is_integer(v);
	return *present ? json_integer_value(v) : 0;
}

/* a <= b when both are present; the error names field a. */
static void not_more(json_t *rec, const char *a, const char *b, const char *msg, struct errs *l)
{
	int pa, pb;
	int64_t va = num(rec, a, &pa), vb = num(rec, b, &pb);
	if (pa && pb && va > vb)
		errs_set(l, ERR_INVALID, a, "%s", msg);
}

static void dates_in_order(json_t *rec, const char *from, const char *to, struct errs *l)
{
	const char *a = json_string_value(json_object_get(rec, from));
	const char *b = json_string_value(json_object_get(rec, to));
	if (a && b && strcmp(a, b) > 0)
		errs_set(l, ERR_INVALID, to,
		         "Ngày kết thúc trước ngày bắt đầu / the end date is before the start");
}

int tax_code_check(const char *code, struct err *e)
{
	static const int weights[9] = {31, 29, 23, 19, 17, 13, 7, 5, 3};
	size_t n = strlen(code), digits = strspn(code, "0123456789");
	if (n == 12 && digits == 12)
		return 0;
	int branch = n == 14 && digits == 10 && code[10] == '-' &&
	             strspn(code + 11, "0123456789") == 3;
	if (!(n == 10 && digits == 10) && !branch)
		return err_set(e, ERR_INVALID, "tax_code",
		               "Mã số thuế gồm 10 chữ số, 10 chữ số-3 chữ số (chi nhánh) hoặc 12 chữ số "
		               "(số định danh cá nhân) / a tax code has 10 digits, 10-3 digits or 12 "
		               "digits");
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (code[i] - '0') * weights[i];
	int check = 10 - sum % 11;
	if (check == 10 || check != code[9] - '0')
		return err_set(e, ERR_INVALID, "tax_code",
		               "Mã số thuế %.14s sai số kiểm tra / tax code %.14s has a wrong check digit",
		               code, code);
	return 0;
}

static void revenue_ok(json_t *rev, struct errs *l)
{
	const char *year;
	json_t *v;
	json_object_foreach(rev, year, v) {
		size_t n = strlen(year);
		if (n != 4 || strspn(year, "0123456789") != 4 || strcmp(year, "1900") < 0 ||
		    strcmp(year, "2100") > 0 || !json_is_integer(v) || json_integer_value(v) < 0)
			errs_set(l, ERR_INVALID, "revenue",
			         "Doanh thu ghi dạng {\"năm\": số đồng}, ví dụ {\"2024\": 1500000000} / "
			         "revenue is {\"year\": đồng}");
	}
}

int establishment_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	(void)ent;
	struct err e;
	const char *tax = json_string_value(json_object_get(rec, "tax_code"));
	if (tax && tax_code_check(tax, &e) < 0)
		errs_add(l, &e);
	const char *ind = json_string_value(json_object_get(rec, "industry_code"));
	if (ind) {
		const char *edition = NULL;
		/* Codes of records made before VSIC 2025 took effect may be VSIC 2018. */
		const char *created = json_string_value(json_object_get(rec, "created_at"));
		char when[11];
		if (created) {
			snprintf(when, sizeof when, "%.10s", created); /* the date of a timestamp */
		} else {
			time_t t = time(NULL);
			strftime(when, sizeof when, "%Y-%m-%d", gmtime(&t));
		}
		if (industry_check(st, ind, when, &edition, &e) < 0)
			errs_add(l, &e);
		else
			json_object_set_new(rec, "industry_edition", json_string(edition));
	} else {
		json_object_set_new(rec, "industry_edition", json_null());
	}
	json_t *rev = json_object_get(rec, "revenue");
	if (json_is_object(rev))
		revenue_ok(rev, l);
	not_more(rec, "workers_female", "workers",
	         "Lao động nữ không thể nhiều hơn tổng số lao động / female workers cannot exceed "
	         "workers",
	         l);
	return 0;
}

static void period_in_order(json_t *rec, struct errs *l)
{
	not_more(rec, "period_from", "period_to",
	         "Năm bắt đầu sau năm kết thúc / the period starts after it ends", l);
}

int programme_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	(void)st;
	(void)ent;
	const char *level = json_string_value(json_object_get(rec, "level"));
	json_t *prov = json_object_get(rec, "province");
	if (level && !strcmp(level, "local") && !json_is_string(prov))
		errs_set(l, ERR_INVALID, "province",
		         "Chương trình địa phương cần tỉnh/thành / a local programme needs its "
		         "province");
	if (level && !strcmp(level, "national") && json_is_string(prov))
		errs_set(l, ERR_INVALID, "province",
		         "Chương trình quốc gia không gắn với một tỉnh / a national programme has no "
		         "province");
	period_in_order(rec, l);
	return 0;
}

static const char *const sources[] = {"national", "local", "counterpart", "other"};

/* The money text of v đồng, for messages. */
static void money_text(char *out, size_t n, int64_t v)
{
	struct buf b = BUF_INIT;
	vtext_fmt_money(&b, v);
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* part <= whole when both are known; the error names part, with both sums. */
static void within(json_t *rec, const struct entity *ent, const char *part, int64_t pv,
                   const char *whole, struct errs *l)
{
	int pw;
	int64_t wv = num(rec, whole, &pw);
	if (!pw || pv <= wv)
		return;
	const struct field *fp = entity_field(ent, part), *fw = entity_field(ent, whole);
	char a[64], b[64];
	money_text(a, sizeof a, pv);
	money_text(b, sizeof b, wv);
	errs_set(l, ERR_INVALID, part, "%s (%s) vượt %s (%s) / %s (%s) exceeds %s (%s)", fp->vi, a,
	         fw->vi, b, fp->en, a, fw->en, b);
}

/* The approved funds of source ("national", "local") within caps[0..n): a
 * share of the cost for every project, the amount per establishment or model
 * for a project of one place (a group's amount is split between
 * beneficiaries named later: over it, the project says why, and its flag on
 * the project page stays a warning). Local funds count against the levels of
 * the project's province, whatever its kind. */
static void project_caps(const struct entity *ent, json_t *rec, const char *source,
			 const struct support_cap *caps, int n, struct errs *l)
{
	char key[40];
	snprintf(key, sizeof key, "approved_%s", source);
	int p, pc;
	int64_t amount = num(rec, key, &p), cost = num(rec, "cost_total", &pc);
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	int one = kind && !strcmp(kind, "national_point");
	if (!p || !n)
		return;
	const struct field *f = entity_field(ent, key);
	caps_check(caps, n, amount, pc ? cost : -1, one, f, l);
	const char *why = json_string_value(json_object_get(rec, "cap_reason"));
	for (int i = 0; i < n && !one && !(why && *why); i++)
		if (caps[i].amount >= 0 && amount > caps[i].amount) {
			char a[64], lim[64];
			money_text(a, sizeof a, amount);
			money_text(lim, sizeof lim, caps[i].amount);
			int nat = !strcmp(source, "national");
			errs_set(l, ERR_INVALID, "cap_reason",
				 "Kinh phí KC %s %s vượt mức %s cho mỗi cơ sở hoặc mô hình (%s): "
				 "ghi "
				 "lý do, ví dụ số cơ sở thụ hưởng của nhóm / %s funds of %s exceed "
				 "%s "
				 "per establishment or model (%s): give the reason",
				 nat ? "quốc gia" : "địa phương", a, lim, caps[i].basis,
				 nat ? "national" : "local", a, lim, caps[i].basis);
		}
}

/* The sources approved add up to at most the total cost; national funds
 * stay within the caps in force (Circular 28/2018/TT-BTC, kept as data),
 * local funds within the levels of the province (its resolution). */
static void project_money(struct store *st, const struct entity *ent, json_t *rec,
                          struct errs *l)
{
	int64_t sum = 0;
	int any = 0, p;
	for (size_t i = 0; i < 4; i++) {
		char key[40];
		snprintf(key, sizeof key, "approved_%s", sources[i]);
		int64_t v = num(rec, key, &p);
		sum += p ? v : 0;
		any |= p;
	}
	if (any && json_is_integer(json_object_get(rec, "cost_total")) &&
	    sum > json_integer_value(json_object_get(rec, "cost_total"))) {
		char a[64], b[64];
		money_text(a, sizeof a, sum);
		money_text(b, sizeof b, json_integer_value(json_object_get(rec, "cost_total")));
		errs_set(l, ERR_INVALID, "cost_total",
		         "Các nguồn được duyệt cộng lại %s, vượt tổng kinh phí %s / the approved sources "
		         "add up to %s, more than the total cost %s",
		         a, b, a, b);
	}
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	const char *ct = json_string_value(json_object_get(rec, "content_type"));
	const char *prov = json_string_value(json_object_get(rec, "province"));
	int py;
	int64_t year = num(rec, "year", &py);
	if (!py || !ct || !kind)
		return;
	struct support_cap caps[CAPS_MAX];
	if (!strncmp(kind, "national", 8))
		project_caps(ent, rec, "national", caps,
			     caps_in_force(st, ct, "national", year, caps), l);
	if (prov)
		project_caps(ent, rec, "local", caps, caps_local(st, ct, prov, year, caps), l);
}

int project_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	json_t *status = json_object_get(rec, "status");
	if (!json_is_string(status))
		json_object_set_new(rec, "status", json_string("draft"));
	for (size_t i = 0; i < 4; i++) {
		char approved[40], disbursed[40], advanced[40];
		snprintf(approved, sizeof approved, "approved_%s", sources[i]);
		snprintf(disbursed, sizeof disbursed, "disbursed_%s", sources[i]);
		snprintf(advanced, sizeof advanced, "advanced_%s", sources[i]);
		not_more(rec, disbursed, approved,
		         "Giải ngân vượt mức được duyệt của nguồn này / disbursed exceeds the approved "
		         "amount of this source",
		         l);
		if (i < 2)
			not_more(rec, advanced, approved,
			         "Tạm ứng vượt mức được duyệt / the advance exceeds the approved amount", l);
	}
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	int p;
	if (kind && !strcmp(kind, "local") && num(rec, "approved_national", &p) > 0)
		errs_set(l, ERR_INVALID, "approved_national",
		         "Đề án địa phương không dùng kinh phí khuyến công quốc gia / a local project has "
		         "no national funds");
	project_money(st, ent, rec, l);
	return 0;
}

int training_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	(void)st;
	(void)ent;
	not_more(rec, "employed", "completed",
	         "Số có việc làm không thể nhiều hơn số hoàn thành / employed cannot exceed completed",
	         l);
	not_more(rec, "completed", "trainees",
	         "Số hoàn thành không thể nhiều hơn số học viên / completed cannot exceed trainees", l);
	not_more(rec, "trainees_female", "trainees",
	         "Học viên nữ không thể nhiều hơn tổng số / female trainees cannot exceed trainees", l);
	int p;
	if (num(rec, "employed", &p) > 0 && !json_is_integer(json_object_get(rec, "completed")))
		errs_set(l, ERR_INVALID, "completed",
		         "Nhập số hoàn thành trước số có việc làm / enter completed with employed");
	if (!json_is_string(json_object_get(rec, "province")) &&
	    !json_is_integer(json_object_get(rec, "project_id")))
		errs_set(l, ERR_INVALID, "province",
		         "Lớp không thuộc đề án cần tỉnh/thành / a class without a project needs its "
		         "province");
	dates_in_order(rec, "date_from", "date_to", l);
	return 0;
}

int fair_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	(void)st;
	(void)ent;
	if (json_is_true(json_object_get(rec, "abroad")) &&
	    !json_is_string(json_object_get(rec, "country")))
		errs_set(l, ERR_INVALID, "country",
		         "Hội chợ ở nước ngoài cần tên quốc gia / a fair abroad needs its country");
	if (json_is_integer(json_object_get(rec, "contract_value")) &&
	    !json_is_string(json_object_get(rec, "contract_currency")))
		errs_set(l, ERR_INVALID, "contract_currency",
		         "Chọn tiền tệ của giá trị hợp đồng / choose the contract currency");
	dates_in_order(rec, "date_from", "date_to", l);
	return 0;
}

int award_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	(void)st;
	(void)ent;
	const char *level = json_string_value(json_object_get(rec, "level"));
	int p;
	int64_t year = num(rec, "year", &p);
	if (level && p && !strcmp(level, "district") && year > 2025)
		errs_set(l, ERR_INVALID, "level",
		         "Cấp huyện chỉ có đến 30/6/2025 / the district level ended on 2025-06-30");
	if (level && p && !strcmp(level, "commune") && year < 2025)
		errs_set(l, ERR_INVALID, "level",
		         "Cấp xã chỉ có từ 01/7/2025 / the commune level exists from 2025-07-01");
	return 0;
}

/* The province (today's code) of the record's establishment into prov; 0
 * when it has none or it is unknown. */
static int est_province(struct store *st, json_t *rec, char prov[8])
{
	int p;
	int64_t id = num(rec, "establishment_id", &p);
	struct stmt *s =
		p ? store_prepare(st, "SELECT province_code FROM establishments WHERE id = ?", NULL)
		  : NULL;
	if (!s)
		return 0;
	stmt_bind(s, "i", id);
	int found = stmt_step(s, NULL) == 1 && !stmt_isnull(s, 0);
	if (found)
		snprintf(prov, 8, "%s", stmt_text(s, 0));
	stmt_done(s);
	return found;
}

/* What a proposal asks of khuyến công funds (its cost less the counterpart)
 * is at most what one of them may give one establishment: the national caps
 * or the levels of its province's local funds. Refused only when both are
 * known (a province that has not entered its levels may still give more). */
static void proposal_ask(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	int pc, pp, py;
	int64_t cost = num(rec, "cost", &pc), cp = num(rec, "counterpart", &pp);
	int64_t year = num(rec, "year", &py);
	const char *ct = json_string_value(json_object_get(rec, "content_type"));
	char prov[8];
	if (!pc || !pp || !py || !ct || cp > cost || !est_province(st, rec, prov))
		return;
	struct support_cap nat[CAPS_MAX], loc[CAPS_MAX];
	int wn = 0, wl = 0;
	int64_t ln = caps_limit(nat, caps_in_force(st, ct, "national", year, nat), cost, 1, &wn);
	int64_t ll = caps_limit(loc, caps_local(st, ct, prov, year, loc), cost, 1, &wl);
	if (ln < 0 || ll < 0 || cost - cp <= (ln > ll ? ln : ll))
		return;
	char ask[64], a[64], b[64], need[64];
	money_text(ask, sizeof ask, cost - cp);
	money_text(a, sizeof a, ln);
	money_text(b, sizeof b, ll);
	money_text(need, sizeof need, cost - (ln > ll ? ln : ll));
	const struct field *f = entity_field(ent, "counterpart");
	errs_set(l, ERR_INVALID, "counterpart",
		 "Kinh phí đề nghị hỗ trợ %s (tổng kinh phí trừ vốn đối ứng) vượt mức hỗ trợ tối "
		 "đa: %s từ kinh phí quốc gia (%s), %s từ kinh phí địa phương (%s); %s cần ít nhất "
		 "%s / the support asked, %s (cost less counterpart), exceeds the most either "
		 "source gives: %s national (%s), %s local (%s); %s must be at least %s",
		 ask, a, nat[wn].basis, b, loc[wl].basis, f->vi, need, ask, a, nat[wn].basis, b,
		 loc[wl].basis, f->en, need);
}

int proposal_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	if (!json_is_string(json_object_get(rec, "status")))
		json_object_set_new(rec, "status", json_string("draft"));
	int p;
	int64_t cp = num(rec, "counterpart", &p);
	if (p)
		within(rec, ent, "counterpart", cp, "cost", l);
	proposal_ask(st, ent, rec, l);
	return 0;
}

/* Machinery support: at most the equipment's value; under national funds
 * within the caps in force (a share of the value, an amount per
 * establishment), under local funds within the levels of the
 * establishment's province; with the other machinery support of its project, at most
 * the khuyến công funds the project has approved. */
int machinery_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	int p, pv, py;
	int64_t support = num(rec, "support_amount", &p), value = num(rec, "value", &pv);
	int64_t year = num(rec, "year", &py);
	if (!p)
		return 0;
	within(rec, ent, "support_amount", support, "value", l);
	const char *src = json_string_value(json_object_get(rec, "funding_source"));
	if (src && !strcmp(src, "national") && py) {
		struct support_cap caps[CAPS_MAX];
		int n = caps_in_force(st, "machinery", "national", year, caps);
		caps_check(caps, n, support, pv ? value : -1, 1, entity_field(ent, "support_amount"), l);
	}
	char prov[8];
	if (src && !strcmp(src, "local") && py && est_province(st, rec, prov)) {
		struct support_cap caps[CAPS_MAX];
		int n = caps_local(st, "machinery", prov, year, caps);
		caps_check(caps, n, support, pv ? value : -1, 1,
			   entity_field(ent, "support_amount"), l);
	}
	int pp;
	int64_t project = num(rec, "project_id", &pp), id = num(rec, "id", &py);
	int64_t others = 0, approved = 0;
	struct err e;
	if (!pp ||
	    store_int(st, &e, &approved,
	              "SELECT COALESCE(approved_national, 0) + COALESCE(approved_local, 0) FROM projects"
	              " WHERE id = ? AND (approved_national IS NOT NULL OR approved_local IS NOT NULL)",
	              "i", project) != 1 ||
	    store_int(st, &e, &others,
	              "SELECT COALESCE(SUM(support_amount), 0) FROM machinery WHERE project_id = ?"
	              " AND id <> ?",
	              "ii", project, id) < 0)
		return 0;
	if (support + others > approved) {
		char a[64], b[64];
		money_text(a, sizeof a, support + others);
		money_text(b, sizeof b, approved);
		errs_set(l, ERR_INVALID, "support_amount",
		         "Hỗ trợ máy móc thiết bị của đề án cộng lại %s, vượt kinh phí khuyến công được "
		         "duyệt %s / the project's machinery support adds up to %s, more than its "
		         "approved khuyến công funds %s",
		         a, b, a, b);
	}
	return 0;
}

/* The project a record of support belongs to: its kind, content type,
 * province and year into the caller's buffers; 0 when there is none. */
static int project_of(struct store *st, json_t *rec, char kind[32], char ct[32], char prov[8],
		      int64_t *year)
{
	int p;
	int64_t id = num(rec, "project_id", &p);
	struct stmt *s = p ? store_prepare(st,
					   "SELECT kind, content_type, year, province FROM projects"
					   " WHERE id = ?",
					   NULL)
			   : NULL;
	if (!s)
		return 0;
	stmt_bind(s, "i", id);
	int found = stmt_step(s, NULL) == 1;
	if (found) {
		snprintf(kind, 32, "%s", stmt_text(s, 0) ? stmt_text(s, 0) : "");
		snprintf(ct, 32, "%s", stmt_text(s, 1) ? stmt_text(s, 1) : "");
		*year = stmt_int(s, 2);
		snprintf(prov, 8, "%s", stmt_text(s, 3) ? stmt_text(s, 3) : "");
	}
	stmt_done(s);
	return found;
}

/* Support given under a project stays within the caps of its content type:
 * a national project's within the national caps, a local project's within
 * the levels of its province; a share of cost (when known) and the amount
 * per model or establishment (each record is one). */
static void project_support_caps(struct store *st, const struct entity *ent, json_t *rec,
				 int64_t cost, struct errs *l)
{
	char kind[32], ct[32], prov[8];
	int64_t year;
	int p;
	int64_t support = num(rec, "support_amount", &p);
	if (!p || !project_of(st, rec, kind, ct, prov, &year))
		return;
	struct support_cap caps[CAPS_MAX];
	int n = !strncmp(kind, "national", 8) ? caps_in_force(st, ct, "national", year, caps)
		: !strcmp(kind, "local")      ? caps_local(st, ct, prov, year, caps)
					      : 0;
	caps_check(caps, n, support, cost, 1, entity_field(ent, "support_amount"), l);
}

/* A demonstration model's support is at most its total investment and,
 * under a national project, within the caps (30% and 1 000 triệu a model),
 * under a local one within its province's levels. */
int demo_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	int p, pc;
	int64_t support = num(rec, "support_amount", &p);
	int64_t cost = num(rec, "total_investment", &pc);
	if (p)
		within(rec, ent, "support_amount", support, "total_investment", l);
	project_support_caps(st, ent, rec, pc ? cost : -1, l);
	return 0;
}

/* A beneficiary of a project gets at most the amount per establishment of
 * its content type (national caps, or the province's levels for a local
 * project): where a group's cap is enforced. */
int beneficiary_validate(struct store *st, const struct entity *ent, json_t *rec,
                         struct errs *l)
{
	project_support_caps(st, ent, rec, -1, l);
	return 0;
}

/* A figure counts only under a code of the catalogue: any other text (even
 * an indicator's own name) is refused with the closest codes. */
static int indicator_known(json_t *rec, struct errs *l)
{
	const char *code = json_string_value(json_object_get(rec, "indicator"));
	if (!code || indicator_find(code))
		return 0;
	char near[320];
	indicator_closest(code, near, sizeof near);
	return errs_set(
		l, ERR_INVALID, "indicator",
		"\"%.60s\" không phải mã chỉ tiêu của danh mục / is not a catalogue indicator"
		" code. Mã gần nhất / closest codes: %s",
		code, near);
}

/* A figure's place is a unit (province, old district) in unit_id, or the
 * nation or a region, which the converter gives as its code: kept in
 * place_code. An empty place is refused, never taken for the nation. */
void figure_place_split(json_t *rec)
{
	json_t *uid = json_object_get(rec, "unit_id");
	if (json_is_string(uid)) {
		json_object_set_new(rec, "place_code", json_string(json_string_value(uid)));
		json_object_set_new(rec, "unit_id", json_null());
	} else if (json_is_integer(uid)) {
		json_object_set_new(rec, "place_code", json_null());
	}
}

static int figure_place(json_t *rec, struct errs *l)
{
	figure_place_split(rec);
	if (!json_is_integer(json_object_get(rec, "unit_id")) &&
	    !json_is_string(json_object_get(rec, "place_code")))
		return errs_set(l, ERR_INVALID, "unit_id",
		                "Địa bàn là bắt buộc: tỉnh, huyện (trước 01/7/2025), vùng hoặc \"Toàn "
		                "quốc\" / Place is required: a province, a district (before 2025-07-01), "
		                "a region or \"Toàn quốc\" (the nation)");
	return 0;
}

int proposal_may_change(const struct actor *a, json_t *stored, struct err *e)
{
	const char *status = json_string_value(json_object_get(stored, "status"));
	if (a->role != ROLE_ESTABLISHMENT || !status || !strcmp(status, "draft") ||
	    !strcmp(status, "needs_supplement"))
		return 0;
	return err_set(
		e, ERR_CONFLICT, "status",
		"Đề xuất đã ở trạng thái \"%s\" nên không sửa được; chỉ Sở Công Thương chuyển "
		"tiếp được (hoặc trả lại để bổ sung) / the proposal is \"%s\": it can no longer "
		"be changed, only moved on by its workflow (or sent back for supplement)",
		status, status);
}

int figure_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	(void)ent;
	indicator_known(rec, l);
	period_in_order(rec, l);
	if (figure_place(rec, l) < 0)
		return 0;
	json_t *uid = json_object_get(rec, "unit_id");
	const char *era = json_string_value(json_object_get(rec, "unit_era"));
	struct unit u;
	struct err e;
	if (json_is_integer(uid) && era && unit_get(st, json_integer_value(uid), &u, &e) == 0 &&
	    strcmp(u.era, era))
		errs_set(l, ERR_INVALID, "unit_id",
		         "Địa bàn không thuộc thời kỳ đã chọn / the place is not a unit of the chosen era");
	/* A total's parts may not add up to more than it (docs/statistics.md). */
	return figure_parts_check(st, rec, l);
}
