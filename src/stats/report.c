/* report.c - the periodic report: tables and narrative from the statistics. */
#include "stats/report.h"

#include "core/buf.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/vtext.h"
#include "model/letterhead.h"
#include "stats/report_annex.h"
#include "stats/stats.h"
#include "stats/targets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

static const struct {
	const char *code, *title;
} sections[] = {
	{"training", "Đào tạo nghề, truyền nghề, nâng cao năng lực"},
	{"demo", "Mô hình trình diễn kỹ thuật"},
	{"machinery", "Ứng dụng máy móc thiết bị tiên tiến"},
	{"products", "Sản phẩm công nghiệp nông thôn tiêu biểu"},
	{"fairs", "Hội chợ, triển lãm và xúc tiến thương mại"},
	{"support", "Hỗ trợ tư vấn, thương hiệu, sản xuất sạch hơn"},
	{"villages", "Làng nghề và cơ sở công nghiệp nông thôn"},
	{"budget", "Kinh phí theo nguồn"},
	{"projects", "Chương trình, đề án khuyến công"},
	{"outcomes", "Hiệu quả sau hỗ trợ"},
};

/* Phrases of the narrative: one or two indicators read together. */
static const struct {
	const char *a, *b, *text; /* text has one %s per indicator */
} phrases[] = {
	{"training.craft_transfer.classes", "training.craft_transfer.trainees",
	 "đã tổ chức %s truyền nghề cho %s nông thôn"},
	{"training.craft_transfer.trainees", NULL, "đã truyền nghề cho %s nông thôn"},
	{"training.employment_rate", NULL, "%s số lao động có việc làm sau đào tạo"},
	{"training.management.classes", "training.management.trainees",
	 "%s tập huấn quản lý, thiết kế, xuất khẩu, bán hàng, tài chính cho %s"},
	{"training.management.trainees", NULL, "tập huấn nâng cao năng lực quản lý cho %s"},
	{"training.classes", "training.trainees", "đã tổ chức %s đào tạo, tập huấn cho %s"},
	{"training.classes", NULL, "đã tổ chức %s đào tạo, tập huấn"},
	{"training.trainees", NULL, "đào tạo, tập huấn cho %s"},
	{"training.vocational.trainees", NULL, "đào tạo nghề cho %s"},
	{"training.vocational.trainees.mechanical_intermediate",
	 "training.vocational.employed.mechanical_intermediate",
	 "đào tạo trung cấp cơ khí cho %s, trong đó %s có việc làm"},
	{"training.cleaner_production.trainees", NULL, "tập huấn sản xuất sạch hơn cho %s"},
	{"training.startup.trainees", NULL, "đào tạo khởi sự doanh nghiệp cho %s"},
	{"training.upskilling.trainees", NULL, "đào tạo nâng cao tay nghề cho %s"},
	{"training.officials.trainees", NULL, "bồi dưỡng cán bộ: %s"},
	{"labour.trained_share", NULL, "tỷ lệ lao động qua đào tạo đạt %s"},
	{"demo_models.count", "demo_models.counterpart",
	 "đã xây dựng %s trình diễn kỹ thuật, thu hút %s vốn đối ứng của các cơ sở"},
	{"demo_models.count", NULL, "đã xây dựng %s trình diễn kỹ thuật"},
	{"demo_models.avg_income", NULL, "thu nhập của người lao động đạt %s"},
	{"demo_models.jobs", NULL, "tạo việc làm cho %s"},
	{"machinery.establishments", "machinery.machines",
	 "đã hỗ trợ %s ứng dụng máy móc thiết bị tiên tiến (%s)"},
	{"machinery.establishments", NULL, "đã hỗ trợ %s ứng dụng máy móc thiết bị tiên tiến"},
	{"machinery.machines", NULL, "hỗ trợ %s"},
	{"machinery.support", NULL, "kinh phí hỗ trợ máy móc thiết bị %s"},
	{"machinery.support_times", NULL, "hỗ trợ %s ứng dụng máy móc thiết bị"},
	{"awards.district", NULL, "%s được công nhận sản phẩm CNNT tiêu biểu cấp huyện"},
	{"awards.commune", NULL, "%s được công nhận cấp xã"},
	{"awards.province", NULL, "%s cấp tỉnh"},
	{"awards.region", NULL, "%s cấp khu vực"},
	{"awards.national", NULL, "%s cấp quốc gia"},
	{"awards.entries.province", "awards.entrants.province",
	 "%s của %s tham gia bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh"},
	{"awards.entries.province", NULL, "%s tham gia bình chọn sản phẩm CNNT tiêu biểu cấp tỉnh"},
	{"awards.entrants.province", NULL, "%s có sản phẩm tham gia bình chọn cấp tỉnh"},
	{"fairs.count", "fairs.enterprises", "đã tổ chức %s với %s tham gia"},
	{"fairs.count", NULL, "đã tổ chức %s"},
	{"fairs.enterprises", NULL, "%s tham gia hội chợ, triển lãm"},
	{"fairs.importers", NULL, "thu hút %s"},
	{"fairs.contract_value_usd", NULL, "ký kết hợp đồng xuất khẩu trị giá %s"},
	{"fairs.booths", NULL, "bố trí %s"},
	{"fairs.provinces", NULL, "với sự tham gia của %s"},
	{"fairs.participated", NULL, "tham gia %s ngoài tỉnh"},
	{"trade_promotion.programmes.count", "trade_promotion.budget.total",
	 "thực hiện %s xúc tiến thương mại với kinh phí %s"},
	{"villages.count", NULL, "{scope} có %s"},
	{"villages.recognised", NULL, "%s đã được công nhận"},
	{"villages.workers", NULL, "thu hút %s"},
	{"villages.production_value", NULL, "giá trị sản xuất đạt %s"},
	{"cooperatives.count", NULL, "có %s"},
	{"budget.plan", NULL, "kinh phí khuyến công được giao %s"},
	{"budget.national", NULL, "kinh phí khuyến công quốc gia %s"},
	{"budget.local", NULL, "kinh phí khuyến công địa phương %s"},
	{"budget.counterpart", NULL, "vốn đối ứng của các cơ sở %s"},
	{"budget.leverage", NULL, "mỗi đồng khuyến công thu hút %s vốn đối ứng"},
	{"programmes.count", "budget.total", "triển khai %s khuyến công với kinh phí %s"},
	{"programmes.count", NULL, "triển khai %s khuyến công"},
	{"budget.total", NULL, "tổng kinh phí khuyến công %s"},
	{"projects.count.demo_model_machinery", "projects.budget.demo_model_machinery",
	 "thực hiện %s mô hình trình diễn và máy móc thiết bị với kinh phí %s"},
	{"projects.count", NULL, "thực hiện %s"},
	{"establishments.supported.count", NULL, "hỗ trợ %s"},
	{"establishments.supported", NULL, "hỗ trợ %s"},
	{"jobs.created", NULL, "tạo việc làm cho %s"},
	/* what establishments reported a year after their support, accepted */
	{"outcomes.reports", NULL, "đã chấp nhận %s kết quả sau hỗ trợ của các cơ sở"},
	{"outcomes.workers", NULL, "các cơ sở được hỗ trợ có %s"},
	{"outcomes.revenue", NULL, "doanh thu của các cơ sở đạt %s"},
	{"outcomes.machines_in_use_share", NULL, "%s máy móc thiết bị được hỗ trợ còn sử dụng"},
};

/* Rows that are the sum of other rows of their section: the total is put
 * after its parts, and the workbook writes it as a formula when the figures
 * shown add up (see total_check()). */
static const struct {
	const char *total, *parts[4];
} sums[] = {
	{"villages.count",
	 {"villages.count.processing", "villages.count.crafts_goods", "villages.count.handicraft"}},
	{"fairs.count", {"fairs.count.domestic", "fairs.count.abroad"}},
};

/* The charts of a section: figures of one kind side by side (money in tỷ
 * đồng). A chart is drawn when at least two of its figures are known. */
static const struct {
	const char *section, *title, *codes[6];
} charts[] = {
	{"products",
	 "Sản phẩm CNNT tiêu biểu được công nhận theo cấp",
	 {"awards.commune", "awards.district", "awards.province", "awards.region",
	  "awards.national"}},
	{"villages",
	 "Làng nghề theo nhóm ngành nghề",
	 {"villages.count.processing", "villages.count.crafts_goods", "villages.count.handicraft"}},
	{"budget",
	 "Kinh phí theo nguồn",
	 {"budget.national", "budget.local", "budget.counterpart"}},
};

#define NOTE_RATIO REPORT_NOTE_RATIO
#define NOTE_NOT_SUM "Số tổng được báo cáo riêng, không bằng tổng các dòng trên"
#define NOTE_QUALIFIED "Số tổng có số ước tính (trên, khoảng): không phải phép cộng các dòng trên"

struct ctx {
	struct store *st;
	const struct actor *a;
	const struct report_query *q;
	json_t *notes;   /* array of note strings */
	const char *scope; /* "toàn tỉnh", "toàn thành phố", "cả nước" */
	json_t *sources; /* source title -> note number */
};

/* The number of the note citing figure fig, added when new. */
static int note_for(struct ctx *c, json_t *fig)
{
	const char *title = json_string_value(json_object_get(fig, "source_title"));
	if (!title || !*title)
		return 0;
	json_t *n = json_object_get(c->sources, title);
	if (n)
		return (int)json_integer_value(n);
	int num = (int)json_array_size(c->notes) + 1;
	struct buf b = BUF_INIT;
	buf_printf(&b, "[%d] %s", num, title);
	/* Who published it, when, and where it can be read. */
	const char *pub = json_string_value(json_object_get(fig, "source_publisher"));
	const char *date = json_string_value(json_object_get(fig, "source_date"));
	const char *url = json_string_value(json_object_get(fig, "source_url"));
	if (pub)
		buf_printf(&b, " — %s", pub);
	if (date) {
		buf_puts(&b, ", ");
		vtext_fmt_date(&b, date);
	}
	if (url)
		buf_printf(&b, " (%s)", url);
	json_array_append_new(c->notes, json_string(buf_cstr(&b)));
	buf_free(&b);
	json_object_set_new(c->sources, title, json_integer(num));
	return num;
}

/* The rows of one indicator by a figure breakdown (content type, funding,
 * kind of establishment), or NULL. */
static json_t *groups_of(struct ctx *c, const struct indicator *ind, const char *by)
{
	struct stat_query sq = {.indicator = ind->code,
				.from = c->q->from,
				.to = c->q->to,
				.province = c->q->province,
				.old_province = c->q->old_province,
				.old_units = c->q->old_units,
				.by = by};
	json_t *res;
	struct err e;
	if (stats_compute(c->st, c->a, &sq, &res, &e) < 0)
		return NULL;
	json_t *rows = json_incref(json_object_get(res, "rows"));
	json_decref(res);
	return rows;
}

/* The total of one indicator, or NULL when nothing is known. */
static json_t *value_of(struct ctx *c, const struct indicator *ind)
{
	struct stat_query sq = {.indicator = ind->code, .from = c->q->from, .to = c->q->to,
	                        .province = c->q->province, .old_province = c->q->old_province,
	                        .old_units = c->q->old_units, .period = c->q->period};
	json_t *res;
	struct err e;
	if (stats_compute(c->st, c->a, &sq, &res, &e) < 0)
		return NULL;
	json_t *total = json_incref(json_object_get(res, "total"));
	json_decref(res);
	const char *src = json_string_value(json_object_get(total, "source"));
	if (!json_is_integer(json_object_get(total, "value")) || !src || !strcmp(src, "none")) {
		json_decref(total);
		return NULL;
	}
	return total;
}

/* The note numbers a section cites, each once, in the order first cited. */
struct marks {
	int n[64];
	int count;
};

static void mark_add(struct marks *m, int num)
{
	for (int i = 0; i < m->count; i++)
		if (m->n[i] == num)
			return;
	if (m->count < 64)
		m->n[m->count++] = num;
}

/* "274 lớp [1]" with the note marks of the figures behind it, which are also
 * added to the section's marks; the cell's own marks in *own. */
static char *cited(struct ctx *c, json_t *total, struct marks *m, struct marks *own)
{
	struct buf b = BUF_INIT;
	own->count = 0;
	buf_puts(&b, json_string_value(json_object_get(total, "text")));
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(total, "figures"), i, f) {
		int n = note_for(c, f);
		if (n)
			mark_add(own, n);
	}
	for (int k = 0; k < own->count; k++) {
		buf_printf(&b, " [%d]", own->n[k]);
		mark_add(m, own->n[k]);
	}
	return buf_detach(&b);
}

/* ---- a reading as a number ---- */

/* The qualifiers a reading may start with, in the words stats_format() writes
 * (vtext_fmt_qual). */
static const struct {
	enum vqual q;
	const char *code;
} quals[] = {{VQ_AT_LEAST, "at_least"}, {VQ_ABOUT, "about"}, {VQ_AT_MOST, "at_most"},
             {VQ_NEARLY, "nearly"}};

/* Reads the Vietnamese number at *p ("9.590", "24,7") into *v in units of
 * 10^-*dec; advances *p. */
static int reading_number(const char **p, int64_t *v, int *dec)
{
	size_t n = strspn(*p, "0123456789.,");
	if (!n || n > 30 || !isdigit((unsigned char)**p))
		return -1;
	char tok[32];
	memcpy(tok, *p, n);
	tok[n] = 0;
	const char *comma = strchr(tok, ',');
	*dec = comma ? (int)strlen(comma + 1) : 0;
	struct vnum num;
	struct err e;
	if (*dec > 6 || vtext_parse_number(tok, *dec, &num, "", &e) || num.qual != VQ_EXACT)
		return -1;
	*v = num.value;
	*p += n;
	return 0;
}

/* v in units of 10^-dec as a JSON number: one division, so 247, 1 is the
 * double nearest to 24.7. */
static double unscale(int64_t v, int64_t dec)
{
	double div = 1;
	while (dec-- > 0)
		div *= 10;
	return (double)v / div;
}

static json_t *scaled(int64_t v, int dec)
{
	return dec ? json_real(unscale(v, dec)) : json_integer(v);
}

/* The number a reading shows, for the renderers that want numbers (XLSX,
 * CSV): "trên 24,7 tỷ đồng" -> {"value": 24.7, "decimals": 1, "unit": "tỷ
 * đồng", "qualifier": "at_least"}; "5–7 triệu đồng/người/tháng" also has
 * "value_hi": 7 and "qualifier": "range"; "71,7%" has "unit": "%". NULL when
 * text is not such a reading (words, "không có số liệu"). The reading is
 * rebuilt from the parts and must be text again, so the number in a
 * workbook is always the one the report prints. */
static json_t *reading_value(const char *text)
{
	if (!text)
		return NULL;
	const char *p = text, *qual = NULL, *word = "";
	for (size_t i = 0; i < sizeof quals / sizeof quals[0]; i++)
		if (!strncmp(p, vtext_fmt_qual(quals[i].q), strlen(vtext_fmt_qual(quals[i].q)))) {
			word = vtext_fmt_qual(quals[i].q);
			qual = quals[i].code;
			p += strlen(word);
			break;
		}
	int64_t lo, hi = 0;
	int dlo, dhi = 0, range = 0;
	if (reading_number(&p, &lo, &dlo))
		return NULL;
	if (!strncmp(p, "–", strlen("–"))) {
		p += strlen("–");
		if (qual || reading_number(&p, &hi, &dhi) || dhi != dlo)
			return NULL;
		range = 1;
	}
	const char *unit = *p == '%' ? p : *p == ' ' && p[1] ? p + 1 : *p ? NULL : p;
	if (!unit || strstr(unit, "–"))
		return NULL;
	struct buf again = BUF_INIT;
	buf_puts(&again, word);
	vtext_fmt_decimal(&again, lo, dlo, dlo);
	if (range) {
		buf_puts(&again, "–");
		vtext_fmt_decimal(&again, hi, dhi, dhi);
	}
	buf_printf(&again, "%s%s", *unit && *unit != '%' ? " " : "", unit);
	int same = !strcmp(buf_cstr(&again), text);
	buf_free(&again);
	if (!same)
		return NULL;
	json_t *o =
		json_pack("{s:o,s:i,s:s}", "value", scaled(lo, dlo), "decimals", dlo, "unit", unit);
	if (range) {
		json_object_set_new(o, "value_hi", scaled(hi, dhi));
		qual = "range";
	}
	if (qual)
		json_object_set_new(o, "qualifier", json_string(qual));
	return o;
}

/* The machine value of a reading is the exact total, never the text's: money
 * in đồng ("2,035 tỷ đồng" -> 2035000000, unit "đồng"), other numbers with the
 * decimals of the total (37,85 -> 37.85). Rounding, if any, is for the
 * number format of whoever shows it. */
static void exact_value(json_t *o, json_t *total, const struct indicator *ind)
{
	if (!o)
		return;
	int64_t v = json_integer_value(json_object_get(total, "value"));
	int64_t hi = json_integer_value(json_object_get(total, "value_hi"));
	int dec = (int)json_integer_value(json_object_get(total, "scale"));
	int dong = !strncmp(ind->measure, "đồng", strlen("đồng"));
	if (dong || !strcmp(ind->measure, "USD")) {
		if (dec)
			return; /* not an amount of whole đồng: keep the reading */
		json_object_set_new(o, "unit", json_string(ind->measure));
	}
	while (dec > 0 && v % 10 == 0 && hi % 10 == 0) { /* 80,0% is read "80%" */
		v /= 10;
		hi /= 10;
		dec--;
	}
	json_object_set_new(o, "value", scaled(v, dec));
	json_object_set_new(o, "decimals", json_integer(dec));
	if (json_object_get(o, "value_hi"))
		json_object_set_new(o, "value_hi", scaled(hi, dec));
}

static void period_phrase(struct buf *b, const struct report_query *q)
{
	if (q->period)
		buf_printf(b, "%c%s", q->period->label[0] == 'n' ? 'N' : q->period->label[0],
			   q->period->label + 1);
	else if (q->from == q->to)
		buf_printf(b, "Năm %d", q->from);
	else
		buf_printf(b, "Giai đoạn %d – %d", q->from, q->to);
}

/* The paragraph of a section from the values found (code -> text); scope is
 * how the place is named in a sentence ("toàn tỉnh", "cả nước"). */
struct row {
	const struct indicator *ind;
	char *text;	       /* the reading with its note marks */
	char *basis;	       /* where the value comes from, with what it covers */
	json_t *value;	       /* reading_value(), or NULL */
	double raw;	       /* the value in the indicator's unit, for charts */
	char *label, *reading; /* a group's row: its label, its text without marks */
};

/* Starts the next part of the narrative: the period first, then "; ". */
static void narrative_part(struct buf *b, const struct report_query *q, int *parts)
{
	if ((*parts)++ == 0) {
		period_phrase(b, q);
		buf_puts(b, ", ");
	} else {
		buf_puts(b, "; ");
	}
}

/* A figure no phrase reads: "<its name, lower case>: <value>", so that every
 * row of the table is in the paragraph too. */
static void narrative_plain(struct buf *b, const char *name, const char *text)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)name, -1, &c);
	if (n > 0) {
		utf8proc_uint8_t low[4];
		buf_append(b, (const char *)low,
			   (size_t)utf8proc_encode_char(utf8proc_tolower(c), low));
		name += n;
	}
	buf_printf(b, "%s: %s", name, text);
}

static char *narrative(const struct report_query *q, json_t *texts, const char *scope,
		       const struct row *rows, int nrows)
{
	struct buf b = BUF_INIT;
	json_t *used = json_object();
	int parts = 0;
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++) {
		json_t *ta = json_object_get(texts, phrases[i].a);
		json_t *tb = phrases[i].b ? json_object_get(texts, phrases[i].b) : NULL;
		if (!ta || json_object_get(used, phrases[i].a) || (phrases[i].b && !tb) ||
		    (phrases[i].b && json_object_get(used, phrases[i].b)))
			continue;
		narrative_part(&b, q, &parts);
		/* Phrases are constants of this file with one or two %s. */
		char text[512];
		snprintf(text, sizeof text, phrases[i].text, json_string_value(ta),
		         tb ? json_string_value(tb) : "");
		const char *at = strstr(text, "{scope}");
		if (at) {
			buf_append(&b, text, (size_t)(at - text));
			buf_puts(&b, scope);
			buf_puts(&b, at + strlen("{scope}"));
		} else {
			buf_puts(&b, text);
		}
		json_object_set_new(used, phrases[i].a, json_true());
		if (phrases[i].b)
			json_object_set_new(used, phrases[i].b, json_true());
	}
	for (int i = 0; i < nrows; i++) {
		json_t *t = json_object_get(texts, rows[i].ind->code);
		if (!t || json_object_get(used, rows[i].ind->code))
			continue;
		narrative_part(&b, q, &parts);
		narrative_plain(&b, rows[i].ind->vi, json_string_value(t));
	}
	json_decref(used);
	if (!parts) {
		buf_free(&b);
		return NULL;
	}
	buf_puts(&b, ".");
	return buf_detach(&b);
}

/* One row of a section's table. */

static int row_of(struct row *rows, int n, const char *code);

/* The chart of section code from its rows, or NULL. */
static json_t *section_chart(const char *code, const struct row *rows, int n)
{
	for (size_t c = 0; c < sizeof charts / sizeof charts[0]; c++) {
		if (strcmp(charts[c].section, code))
			continue;
		json_t *labels = json_array(), *values = json_array();
		const char *unit = NULL;
		for (int k = 0; k < 6 && charts[c].codes[k]; k++) {
			int i = row_of((struct row *)rows, n, charts[c].codes[k]);
			if (i < 0)
				continue;
			int money = !strcmp(rows[i].ind->measure, "đồng");
			unit = money ? "tỷ đồng" : rows[i].ind->measure;
			json_array_append_new(labels, json_string(rows[i].ind->vi));
			json_array_append_new(values,
					      json_real(money ? rows[i].raw / 1e9 : rows[i].raw));
		}
		if (json_array_size(values) < 2) {
			json_decref(labels);
			json_decref(values);
			return NULL;
		}
		return json_pack("{s:s,s:s,s:s,s:o,s:o}", "kind", "hbar", "title", charts[c].title,
				 "unit", unit, "labels", labels, "values", values);
	}
	return NULL;
}

/* The value of v in units of 10^-dec (dec >= its decimals). */
static int64_t units_of(json_t *v, int dec)
{
	double d = json_number_value(json_object_get(v, "value"));
	for (int i = 0; i < dec; i++)
		d *= 10;
	return (int64_t)(d < 0 ? d - 0.5 : d + 0.5);
}

/* Whether the total t is the plain sum of the parts shown (same unit, no
 * qualifier, figures that add up exactly); the note saying why not in
 * *why otherwise. */
static int total_check(json_t *t, json_t **parts, int n, const char **why)
{
	*why = NULL;
	int dec = 0;
	for (int i = -1; i < n; i++) {
		json_t *v = i < 0 ? t : parts[i];
		if (!v || strcmp(json_string_value(json_object_get(v, "unit")),
				 json_string_value(json_object_get(t, "unit")))) {
			*why = NOTE_NOT_SUM;
			return 0;
		}
		if (json_object_get(v, "qualifier")) {
			*why = NOTE_QUALIFIED;
			return 0;
		}
		int d = (int)json_integer_value(json_object_get(v, "decimals"));
		dec = d > dec ? d : dec;
	}
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += units_of(parts[i], dec);
	if (sum != units_of(t, dec)) {
		*why = NOTE_NOT_SUM;
		return 0;
	}
	return 1;
}

static int row_of(struct row *rows, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(rows[i].ind->code, code))
			return i;
	return -1;
}

/* Gathers each total of sums[] and its parts where the first of them is, the
 * parts in their order and the total right after them, and marks the total:
 * "sum" (the row numbers of its parts) when it is their plain sum, else a
 * note saying why not. */
static void place_totals(struct row *rows, int n)
{
	for (size_t g = 0; g < sizeof sums / sizeof sums[0]; g++) {
		int t = row_of(rows, n, sums[g].total), first = t, np = 0, nparts = 0;
		for (int k = 0; k < 4 && sums[g].parts[k]; k++) {
			int at = row_of(rows, n, sums[g].parts[k]);
			nparts++;
			np += at >= 0;
			first = at >= 0 && at < first ? at : first;
		}
		if (t < 0 || !np || !rows[t].value)
			continue;
		struct row group[5], rest[64];
		int ng = 0, nr = 0;
		for (int k = 0; k < nparts; k++) {
			int at = row_of(rows, n, sums[g].parts[k]);
			if (at >= 0)
				group[ng++] = rows[at];
		}
		group[ng++] = rows[t];
		for (int i = first; i < n; i++) {
			int member = i == t;
			for (int k = 0; k < nparts; k++)
				member |= !strcmp(rows[i].ind->code, sums[g].parts[k]);
			if (!member)
				rest[nr++] = rows[i];
		}
		memcpy(rows + first, group, (size_t)ng * sizeof *rows);
		memcpy(rows + first + ng, rest, (size_t)nr * sizeof *rows);
		json_t *parts[4] = {0}, *idx = json_array();
		for (int k = 0; k < ng - 1; k++) {
			parts[k] = group[k].value;
			json_array_append_new(idx, json_integer(first + k));
		}
		const char *why = NOTE_NOT_SUM;
		if (np == nparts && total_check(rows[first + ng - 1].value, parts, np, &why))
			json_object_set_new(rows[first + ng - 1].value, "sum", idx);
		else {
			json_decref(idx);
			json_object_set_new(rows[first + ng - 1].value, "note", json_string(why));
		}
	}
}

static json_t *marks_json(const struct marks *m)
{
	json_t *a = json_array();
	for (int k = 0; k < m->count; k++)
		json_array_append_new(a, json_integer(m->n[k]));
	return a;
}

/* "số liệu báo cáo (báo cáo: 15 đề án; đã nhập chi tiết: 2 đề án)": where
 * a value comes from, and the reported figures beside the records they
 * cover (caller frees). */
static char *basis_text(const char *src, const char *note)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, !strcmp(src, "records")	? "số liệu chi tiết"
		     : !strcmp(src, "reported") ? "số liệu báo cáo"
						: "kết hợp");
	if (note)
		buf_printf(&b, " (%s)", note);
	return buf_detach(&b);
}

static int has_value(json_t *cell)
{
	const char *src = json_string_value(json_object_get(cell, "source"));
	return json_is_integer(json_object_get(cell, "value")) && src && strcmp(src, "none");
}

/* The groups of a value that reported figures break down (Bình Định 2022:
 * the local budget by content group, with "Khác / chưa phân loại"): rows
 * "<indicator> — <group>" after the section's own rows, so that the report
 * prints what its statistics hold. Only where figures are behind the value
 * and they name more than the whole. */
static int group_rows(struct ctx *c, const struct indicator *ind, json_t *total,
		      struct marks *marks, struct row *out, int room)
{
	json_t *cov = json_object_get(total, "covers");
	if (!json_integer_value(json_object_get(cov, "reported")) &&
	    !json_integer_value(json_object_get(cov, "reported_and_records")))
		return 0;
	static const char *const dims[] = {"content_type", "funding", "establishment_kind",
					   "product_group"};
	int n = 0;
	for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
		/* A sum of others by funding (budget.total) has its parts' own rows. */
		if (indicator_parts(ind->code) && !strcmp(dims[d], "funding"))
			continue;
		json_t *rows = groups_of(c, ind, dims[d]), *r;
		size_t i, named = 0, valued = 0;
		json_array_foreach(rows, i, r) if (has_value(r))
		{
			valued++;
			named += *json_string_value(json_object_get(r, "key")) != 0;
		}
		/* One group that is the whole tells nothing the row does not. */
		if (!named ||
		    (valued == 1 && json_equal(json_object_get(json_array_get(rows, 0), "value"),
					       json_object_get(total, "value")))) {
			json_decref(rows);
			continue;
		}
		json_array_foreach(rows, i, r)
		{
			if (!has_value(r) || n >= room)
				continue;
			struct marks own;
			struct row *x = &out[n++];
			memset(x, 0, sizeof *x);
			x->ind = ind;
			struct buf label = BUF_INIT;
			buf_printf(&label, "%s — %s", ind->vi,
				   json_string_value(json_object_get(r, "label")));
			x->label = buf_detach(&label);
			x->text = cited(c, r, marks, &own);
			x->basis = basis_text(json_string_value(json_object_get(r, "source")),
					      json_string_value(json_object_get(r, "note")));
			x->value = reading_value(json_string_value(json_object_get(r, "text")));
			exact_value(x->value, r, ind);
			x->reading = json_string_value(json_object_get(r, "text"))
					     ? strdup(json_string_value(json_object_get(r, "text")))
					     : NULL;
		}
		json_decref(rows);
	}
	return n;
}

/* "Trong đó: Kinh phí … — Tư vấn …: 630 triệu đồng; …." after the paragraph. */
static void groups_sentence(struct buf *b, const struct row *g, int n)
{
	for (int i = 0; i < n; i++)
		buf_printf(b, "%s%s: %s", i ? "; " : " Trong đó: ", g[i].label,
			   g[i].reading ? g[i].reading : "");
	if (n)
		buf_puts(b, ".");
}

static json_t *section_build(struct ctx *c, const char *code, const char *title, int number)
{
	json_t *texts = json_object();
	struct marks marks = {0};
	struct row rows[64], groups[64];
	int n = 0, ng = 0;
	for (const struct indicator *ind = indicators; ind->code && n < 64; ind++) {
		if (strcmp(ind->section, code))
			continue;
		json_t *total = value_of(c, ind);
		if (!total)
			continue;
		struct marks own;
		const char *src = json_string_value(json_object_get(total, "source"));
		struct row *r = &rows[n++];
		r->ind = ind;
		r->text = cited(c, total, &marks, &own);
		r->basis = basis_text(src, json_string_value(json_object_get(total, "note")));
		r->value = reading_value(json_string_value(json_object_get(total, "text")));
		exact_value(r->value, total, ind);
		r->raw = unscale(json_integer_value(json_object_get(total, "value")),
				 json_integer_value(json_object_get(total, "scale")));
		if (r->value && own.count)
			json_object_set_new(r->value, "notes", marks_json(&own));
		if (r->value && ind->agg == AGG_RATIO)
			json_object_set_new(r->value, "note", json_string(NOTE_RATIO));
		json_object_set(texts, ind->code, json_object_get(total, "text"));
		ng += group_rows(c, ind, total, &marks, groups + ng, 64 - ng);
		json_decref(total);
	}
	if (!n) {
		json_decref(texts);
		return NULL;
	}
	place_totals(rows, n);
	json_t *chart = section_chart(code, rows, n);
	json_t *jrows = json_array(), *values = json_array();
	for (int i = 0; i < n; i++) {
		json_array_append_new(
			jrows, json_pack("[s,s,s]", rows[i].ind->vi, rows[i].text, rows[i].basis));
		json_array_append_new(
			values, json_pack("[n,o,n]", rows[i].value ? rows[i].value : json_null()));
		free(rows[i].text);
		free(rows[i].basis);
	}
	for (int i = 0; i < ng; i++) {
		json_array_append_new(jrows, json_pack("[s,s,s]", groups[i].label, groups[i].text,
						       groups[i].basis));
		json_array_append_new(values, json_pack("[n,o,n]", groups[i].value ? groups[i].value
										   : json_null()));
	}
	char heading[160];
	snprintf(heading, sizeof heading, "%d. %s", number, title);
	json_t *table = json_pack("{s:[{s:s},{s:s,s:b},{s:s}],s:o,s:o}", "columns", "label",
				  "Chỉ tiêu", "label", "Giá trị", "numeric", 1, "label", "Căn cứ",
				  "rows", jrows, "values", values);
	json_t *sec = json_pack("{s:s,s:o}", "title", heading, "table", table);
	if (chart)
		json_object_set_new(sec, "chart", chart);
	char *para = narrative(c->q, texts, c->scope, rows, n);
	if (para) {
		struct buf pb = BUF_INIT;
		buf_puts(&pb, para);
		groups_sentence(&pb, groups, ng);
		for (int k = 0; k < marks.count; k++) /* the sources of its numbers */
			buf_printf(&pb, " [%d]", marks.n[k]);
		json_object_set_new(sec, "paragraphs", json_pack("[s]", buf_cstr(&pb)));
		buf_free(&pb);
		free(para);
	}
	for (int i = 0; i < ng; i++) {
		free(groups[i].label);
		free(groups[i].text);
		free(groups[i].basis);
		free(groups[i].reading);
	}
	json_decref(texts);
	return sec;
}

static const char *status_vi(const char *s)
{
	return !strcmp(s, "reached")    ? "Đã đạt"
	       : !strcmp(s, "on_track") ? "Đúng tiến độ"
	       : !strcmp(s, "behind")   ? "Chậm tiến độ"
	       : !strcmp(s, "no_data")  ? "Chưa có số liệu"
	                                : "Không so sánh được";
}

/* The targets of the programmes of province (today's code; NULL: all). */
static json_t *targets_section(struct ctx *c, int number, const char *province)
{
	json_t *list;
	struct err e;
	if (targets_progress_in(c->st, c->a, 0, province, c->q->from, c->q->to, c->q->today,
	                        &list, &e) < 0)
		return NULL;
	json_t *rows = json_array(), *values = json_array(), *labels = json_array(),
	       *actual = json_array(), *target = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(list, i, t) {
		/* The nation's report follows the national programmes only: a
		 * province's own targets are its report's. */
		if (!province && json_is_string(json_object_get(t, "province")))
			continue;
		const char *desc = json_string_value(json_object_get(t, "description"));
		json_t *prog = json_object_get(t, "progress");
		char pct[32] = "";
		if (json_is_integer(prog))
			snprintf(pct, sizeof pct, "%lld%%", (long long)(json_integer_value(prog) / 10));
		json_array_append_new(
			rows, json_pack("[s,s,s,s,s,s]", json_string_value(json_object_get(t, "programme")),
		                        desc ? desc : json_string_value(json_object_get(t, "indicator")),
		                        json_string_value(json_object_get(t, "target")),
		                        json_string_value(json_object_get(t, "actual")) ?: "", pct,
		                        status_vi(json_string_value(json_object_get(t, "status")))));
		json_t *row = json_array_get(rows, json_array_size(rows) - 1);
		json_array_append_new(
			values, json_pack("[n,n,o*,o*,o*,n]",
					  reading_value(json_string_value(json_array_get(row, 2))),
					  reading_value(json_string_value(json_array_get(row, 3))),
					  reading_value(pct)));
		if (json_is_integer(prog)) {
			json_array_append_new(labels, json_string(desc ? desc : "—"));
			json_array_append_new(actual, json_integer(json_integer_value(prog)));
			json_array_append_new(target, json_integer(1000));
		}
	}
	json_decref(list);
	if (!json_array_size(rows)) {
		json_decref(rows);
		json_decref(values);
		json_decref(labels);
		json_decref(actual);
		json_decref(target);
		return NULL;
	}
	char heading[64];
	snprintf(heading, sizeof heading, "%d. Mục tiêu chương trình", number);
	json_t *sec = json_pack(
		"{s:s,s:{s:[{s:s},{s:s},{s:s,s:b},{s:s,s:b},{s:s,s:b},{s:s}],s:o}}", "title", heading,
		"table", "columns", "label", "Chương trình", "label", "Mục tiêu", "label", "Chỉ tiêu",
		"numeric", 1, "label", "Thực hiện", "numeric", 1, "label", "Tiến độ", "numeric", 1,
		"label", "Đánh giá", "rows", rows);
	json_object_set_new(json_object_get(sec, "table"), "values", values);
	if (json_array_size(labels))
		json_object_set_new(sec, "chart",
		                    json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "kind", "progress", "title",
		                              "Tiến độ thực hiện mục tiêu", "unit", "‰", "labels", labels,
		                              "values", actual, "targets", target));
	else {
		json_decref(labels);
		json_decref(actual);
		json_decref(target);
	}
	return sec;
}

static char *place_name(struct store *st, const struct report_query *q)
{
	const char *code = q->old_province ? q->old_province : q->province;
	if (!code)
		return xstrdup("Toàn quốc");
	struct stmt *s = store_prepare(st, "SELECT full_name FROM units WHERE era = ? AND"
	                                   " level = 'province' AND code = ? ORDER BY is_current DESC",
	                               NULL);
	char *name = NULL;
	if (s) {
		stmt_bind(s, "tt", q->old_province ? "old" : "new", code);
		if (stmt_step(s, NULL) == 1)
			name = xstrdup(stmt_text(s, 0));
		stmt_done(s);
	}
	return name ? name : xstrdup(code);
}

/* What the cover of the workbook and the title page of the PDF say: scope,
 * period, units, when and by which version it was made. The time is Vietnam's
 * (Asia/Ho_Chi_Minh, UTC+7 without daylight saving since 1975), so it is
 * computed without the process's TZ. */
static json_t *about_of(const struct report_query *q, const char *place)
{
	struct buf period = BUF_INIT;
	period_phrase(&period, q);
	time_t t = (time_t)clock_now() + 7 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	char iso[32], shown[24];
	strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
	strftime(shown, sizeof shown, "%d/%m/%Y %H:%M", &tm);
	int old = q->old_units || q->old_province;
	json_t *a = json_pack("{s:s,s:s,s:s?,s:i,s:i,s:s,s:s,s:s,s:s,s:s,s:s}", "scope",
			      q->province || q->old_province ? "province" : "national", "place",
			      place, "province", q->old_province ? q->old_province : q->province,
			      "from", q->from, "to", q->to, "period", buf_cstr(&period), "units",
			      old ? "historical" : "current", "units_text",
			      old ? "Đơn vị hành chính tại thời điểm phát sinh (trước 01/07/2025)"
				  : "Đơn vị hành chính hiện nay",
			      "generated_at", iso, "generated", shown, "version", KC_VERSION);
	buf_free(&period);
	return a;
}

void report_place_date(struct buf *b, const char *place, const char *iso)
{
	int y = 0, m = 0, d = 0;
	sscanf(iso, "%d-%d-%d", &y, &m, &d);
	buf_printf(b, "%s, ngày %02d tháng %s%d năm %d", place, d, m < 3 ? "0" : "", m, y);
}

/* The lines of a multi-line setting as a JSON array of strings. */
static json_t *lines_of(const char *s)
{
	json_t *a = json_array();
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s += n + (s[n] == '\n');
	}
	return a;
}

/* The header, addressees, recipients and signer of the report as an
 * administrative document ("letterhead" in io/doc.h), from the settings of
 * scope (model/letterhead.h). Without a number it is a draft. */
static int letterhead_of(struct store *st, const struct actor *a, const struct report_query *q,
			 const char *scope, json_t **out, struct err *e)
{
	json_t *s;
	int rc = letterhead_get(st, a, scope, &s, e);
	if (rc < 0)
		return rc;
	const char *sym = json_string_value(json_object_get(s, "symbol"));
	struct buf num = BUF_INIT, date = BUF_INIT, sum = BUF_INIT;
	buf_printf(&num, "Số: %s/%s", q->number ? q->number : "      ", sym);
	char today[11];
	clock_today_vn(today);
	report_place_date(&date, json_string_value(json_object_get(s, "place")), today);
	buf_puts(&sum, "Kết quả công tác khuyến công ");
	if (q->period)
		buf_puts(&sum, q->period->label);
	else if (q->from == q->to)
		buf_printf(&sum, "năm %d", q->from);
	else
		buf_printf(&sum, "giai đoạn %d – %d", q->from, q->to);
	*out = json_pack("{s:O,s:O,s:s,s:s,s:s,s:s,s:o,s:o,s:O,s:O,s:O,s:b}", "parent_body",
			 json_object_get(s, "parent_body"), "issuing_body",
			 json_object_get(s, "issuing_body"), "number", buf_cstr(&num), "place_date",
			 buf_cstr(&date), "kind", "BÁO CÁO", "summary", buf_cstr(&sum), "addressee",
			 lines_of(json_string_value(json_object_get(s, "addressee"))), "recipients",
			 lines_of(json_string_value(json_object_get(s, "recipients"))),
			 "signer_authority", json_object_get(s, "signer_authority"), "signer_title",
			 json_object_get(s, "signer_title"), "signer_name",
			 json_object_get(s, "signer_name"), "draft", !q->number);
	json_decref(s);
	buf_free(&num);
	buf_free(&date);
	buf_free(&sum);
	return 0;
}

int report_build(struct store *st, const struct actor *a, const struct report_query *q,
                 json_t **out, struct err *e)
{
	if (!q->from || !q->to || q->from > q->to)
		return err_set(e, ERR_INVALID, "from", "Cần giai đoạn báo cáo (từ năm, đến năm) / a "
		                                       "period is required");
	if (q->number && (!vtext_is_digits(q->number) || strlen(q->number) > 7))
		return err_set(e, ERR_INVALID, "number",
			       "Số văn bản là số Ả Rập, tối đa 7 chữ số / the number is up to 7 "
			       "digits");
	struct report_query scoped = *q;
	if (!actor_reads_all(a)) {
		/* A province account reports on its own province only. */
		if (a->role == ROLE_ESTABLISHMENT || (q->province && strcmp(q->province, a->province)) ||
		    q->old_province)
			return err_set(e, ERR_FORBIDDEN, "province",
			               "Ngoài phạm vi của bạn / outside your scope");
		scoped.province = a->province;
		q = &scoped;
	}
	char *place = place_name(st, q);
	const char *scope = !q->province && !q->old_province ? "cả nước"
	                    : !strncmp(place, "Thành phố", strlen("Thành phố")) ? "toàn thành phố"
	                                                                       : "toàn tỉnh";
	struct ctx c = {.st = st, .a = a, .q = q, .notes = json_array(), .sources = json_object(),
	                .scope = scope};
	json_t *secs = json_array();
	int number = 1;
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		json_t *sec = section_build(&c, sections[i].code, sections[i].title, number);
		if (sec) {
			json_array_append_new(secs, sec);
			number++;
		}
	}
	char successor[8] = "";
	if (q->old_province && !q->province) {
		struct stmt *s = store_prepare(st, "SELECT new_province_code FROM units WHERE era = 'old'"
		                                   " AND level = 'province' AND code = ?",
		                               NULL);
		if (s) {
			stmt_bind(s, "t", q->old_province);
			if (stmt_step(s, NULL) == 1 && stmt_text(s, 0))
				snprintf(successor, sizeof successor, "%s", stmt_text(s, 0));
			stmt_done(s);
		}
	}
	json_t *tsec = targets_section(&c, number, successor[0] ? successor : q->province);
	if (tsec)
		json_array_append_new(secs, tsec);
	int covered = 0, of = 0;
	if (!q->province && !q->old_province) {
		if (report_annex(st, a, q, secs, &covered, &of, e) < 0) {
			free(place);
			json_decref(secs);
			json_decref(c.notes);
			json_decref(c.sources);
			return ERR_STORE;
		}
		/* "Toàn quốc" says how much of the nation the numbers cover. */
		if (covered < of) {
			struct buf pb = BUF_INIT;
			buf_printf(&pb, "%s (số liệu của %d/%d tỉnh, thành phố)", place, covered,
				   of);
			free(place);
			place = buf_detach(&pb);
		}
	}
	struct buf sub = BUF_INIT;
	buf_printf(&sub, "%s · ", place);
	period_phrase(&sub, q);
	buf_puts(&sub, q->old_units || q->old_province ? " · đơn vị hành chính tại thời điểm phát sinh"
	                                               : " · đơn vị hành chính hiện nay");
	json_t *about = about_of(q, place);
	free(place);
	json_t *head = NULL;
	const char *head_scope = q->province ? q->province : successor[0] ? successor : "national";
	int rc = letterhead_of(st, a, q, head_scope, &head, e);
	*out = rc < 0 ? NULL
		      : json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "title",
				  "Báo cáo kết quả công tác khuyến công", "subtitle", buf_cstr(&sub),
				  "about", about, "letterhead", head, "sections", secs, "notes",
				  c.notes);
	if (rc < 0) {
		json_decref(about);
		json_decref(secs);
		json_decref(c.notes);
	}
	buf_free(&sub);
	json_decref(c.sources);
	return rc;
}
