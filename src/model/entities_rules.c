/* entities_rules.c - rules that involve several fields of a record. */
#include "model/entities_rules.h"

#include "model/industry.h"
#include "model/unit.h"
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
static int not_more(json_t *rec, const char *a, const char *b, const char *msg, struct err *e)
{
	int pa, pb;
	int64_t va = num(rec, a, &pa), vb = num(rec, b, &pb);
	if (pa && pb && va > vb)
		return err_set(e, ERR_INVALID, a, "%s", msg);
	return 0;
}

static int dates_in_order(json_t *rec, const char *from, const char *to, struct err *e)
{
	const char *a = json_string_value(json_object_get(rec, from));
	const char *b = json_string_value(json_object_get(rec, to));
	if (a && b && strcmp(a, b) > 0)
		return err_set(e, ERR_INVALID, to,
		               "Ngày kết thúc trước ngày bắt đầu / the end date is before the start");
	return 0;
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

static int revenue_ok(json_t *rev, struct err *e)
{
	const char *year;
	json_t *v;
	json_object_foreach(rev, year, v) {
		size_t n = strlen(year);
		if (n != 4 || strspn(year, "0123456789") != 4 || strcmp(year, "1900") < 0 ||
		    strcmp(year, "2100") > 0 || !json_is_integer(v) || json_integer_value(v) < 0)
			return err_set(e, ERR_INVALID, "revenue",
			               "Doanh thu ghi dạng {\"năm\": số đồng}, ví dụ {\"2024\": 1500000000} / "
			               "revenue is {\"year\": đồng}");
	}
	return 0;
}

int establishment_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)ent;
	const char *tax = json_string_value(json_object_get(rec, "tax_code"));
	if (tax && tax_code_check(tax, e) < 0)
		return ERR_INVALID;
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
		if (industry_check(st, ind, when, &edition, e) < 0)
			return ERR_INVALID;
		json_object_set_new(rec, "industry_edition", json_string(edition));
	} else {
		json_object_set_new(rec, "industry_edition", json_null());
	}
	json_t *rev = json_object_get(rec, "revenue");
	if (json_is_object(rev) && revenue_ok(rev, e) < 0)
		return ERR_INVALID;
	return not_more(rec, "workers_female", "workers",
	                "Lao động nữ không thể nhiều hơn tổng số lao động / female workers cannot "
	                "exceed workers",
	                e);
}

static int period_in_order(json_t *rec, struct err *e)
{
	return not_more(rec, "period_from", "period_to",
	                "Năm bắt đầu sau năm kết thúc / the period starts after it ends", e);
}

int programme_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)st;
	(void)ent;
	const char *level = json_string_value(json_object_get(rec, "level"));
	json_t *prov = json_object_get(rec, "province");
	if (level && !strcmp(level, "local") && !json_is_string(prov))
		return err_set(e, ERR_INVALID, "province",
		               "Chương trình địa phương cần tỉnh/thành / a local programme needs its "
		               "province");
	if (level && !strcmp(level, "national") && json_is_string(prov))
		return err_set(e, ERR_INVALID, "province",
		               "Chương trình quốc gia không gắn với một tỉnh / a national programme has no "
		               "province");
	return period_in_order(rec, e);
}

static const char *const sources[] = {"national", "local", "counterpart", "other"};

int project_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)st;
	(void)ent;
	json_t *status = json_object_get(rec, "status");
	if (!json_is_string(status))
		json_object_set_new(rec, "status", json_string("draft"));
	for (size_t i = 0; i < 4; i++) {
		char approved[40], disbursed[40], advanced[40];
		snprintf(approved, sizeof approved, "approved_%s", sources[i]);
		snprintf(disbursed, sizeof disbursed, "disbursed_%s", sources[i]);
		snprintf(advanced, sizeof advanced, "advanced_%s", sources[i]);
		if (not_more(rec, disbursed, approved,
		             "Giải ngân vượt mức được duyệt của nguồn này / disbursed exceeds the "
		             "approved amount of this source",
		             e) < 0 ||
		    (i < 2 && not_more(rec, advanced, approved,
		                       "Tạm ứng vượt mức được duyệt / the advance exceeds the approved "
		                       "amount",
		                       e) < 0))
			return ERR_INVALID;
	}
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	int p;
	if (kind && !strcmp(kind, "local") && num(rec, "approved_national", &p) > 0)
		return err_set(e, ERR_INVALID, "approved_national",
		               "Đề án địa phương không dùng kinh phí khuyến công quốc gia / a local "
		               "project has no national funds");
	return 0;
}

int training_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)st;
	(void)ent;
	if (not_more(rec, "employed", "completed",
	             "Số có việc làm không thể nhiều hơn số hoàn thành / employed cannot exceed "
	             "completed",
	             e) < 0 ||
	    not_more(rec, "completed", "trainees",
	             "Số hoàn thành không thể nhiều hơn số học viên / completed cannot exceed "
	             "trainees",
	             e) < 0 ||
	    not_more(rec, "trainees_female", "trainees",
	             "Học viên nữ không thể nhiều hơn tổng số / female trainees cannot exceed "
	             "trainees",
	             e) < 0)
		return ERR_INVALID;
	int p;
	if (num(rec, "employed", &p) > 0 && !json_is_integer(json_object_get(rec, "completed")))
		return err_set(e, ERR_INVALID, "completed",
		               "Nhập số hoàn thành trước số có việc làm / enter completed with employed");
	if (!json_is_string(json_object_get(rec, "province")) &&
	    !json_is_integer(json_object_get(rec, "project_id")))
		return err_set(e, ERR_INVALID, "province",
		               "Lớp không thuộc đề án cần tỉnh/thành / a class without a project needs its "
		               "province");
	return dates_in_order(rec, "date_from", "date_to", e);
}

int fair_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)st;
	(void)ent;
	if (json_is_true(json_object_get(rec, "abroad")) &&
	    !json_is_string(json_object_get(rec, "country")))
		return err_set(e, ERR_INVALID, "country",
		               "Hội chợ ở nước ngoài cần tên quốc gia / a fair abroad needs its country");
	if (json_is_integer(json_object_get(rec, "contract_value")) &&
	    !json_is_string(json_object_get(rec, "contract_currency")))
		return err_set(e, ERR_INVALID, "contract_currency",
		               "Chọn tiền tệ của giá trị hợp đồng / choose the contract currency");
	return dates_in_order(rec, "date_from", "date_to", e);
}

int award_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)st;
	(void)ent;
	const char *level = json_string_value(json_object_get(rec, "level"));
	int p;
	int64_t year = num(rec, "year", &p);
	if (level && p && !strcmp(level, "district") && year > 2025)
		return err_set(e, ERR_INVALID, "level",
		               "Cấp huyện chỉ có đến 30/6/2025 / the district level ended on 2025-06-30");
	if (level && p && !strcmp(level, "commune") && year < 2025)
		return err_set(e, ERR_INVALID, "level",
		               "Cấp xã chỉ có từ 01/7/2025 / the commune level exists from 2025-07-01");
	return 0;
}

int proposal_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)st;
	(void)ent;
	(void)e;
	if (!json_is_string(json_object_get(rec, "status")))
		json_object_set_new(rec, "status", json_string("draft"));
	return 0;
}

/* A figure counts only under a code of the catalogue: any other text (even
 * an indicator's own name) is refused with the closest codes. */
static int indicator_known(json_t *rec, struct err *e)
{
	const char *code = json_string_value(json_object_get(rec, "indicator"));
	if (!code || indicator_find(code))
		return 0;
	char near[320];
	indicator_closest(code, near, sizeof near);
	return err_set(
		e, ERR_INVALID, "indicator",
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

static int figure_place(json_t *rec, struct err *e)
{
	figure_place_split(rec);
	if (!json_is_integer(json_object_get(rec, "unit_id")) &&
	    !json_is_string(json_object_get(rec, "place_code"))) {
		return err_set(e, ERR_INVALID, "unit_id",
		               "Địa bàn là bắt buộc: tỉnh, huyện (trước 01/7/2025), vùng hoặc \"Toàn "
		               "quốc\" / Place is required: a province, a district (before 2025-07-01), "
		               "a region or \"Toàn quốc\" (the nation)");
	}
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

int figure_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e)
{
	(void)ent;
	if (indicator_known(rec, e) < 0)
		return ERR_INVALID;
	if (period_in_order(rec, e) < 0)
		return ERR_INVALID;
	if (figure_place(rec, e) < 0)
		return ERR_INVALID;
	json_t *uid = json_object_get(rec, "unit_id");
	const char *era = json_string_value(json_object_get(rec, "unit_era"));
	struct unit u;
	if (json_is_integer(uid) && era && unit_get(st, json_integer_value(uid), &u, e) == 0 &&
	    strcmp(u.era, era))
		return err_set(e, ERR_INVALID, "unit_id",
		               "Địa bàn không thuộc thời kỳ đã chọn / the place is not a unit of the "
		               "chosen era");
	return 0;
}
