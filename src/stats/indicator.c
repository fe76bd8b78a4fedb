/* indicator.c - every kind of figure the seed articles quote, once.
 * Codes match the reported figures of data/demo/demo.json. Money is in đồng;
 * ratios are permille shown as percent with one decimal. */
#include "stats/indicator.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "model/entity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TC "training-classes"
#define RATIO_PCT(num, den) AGG_RATIO, TC, num, den
/* An indicator's `when` is written in the lists' filter words (indicator.h). */

const struct indicator indicators[] = {
	/* training */
	{"training.classes", "training", "Lớp đào tạo, tập huấn", "Training classes", "lớp",
	 AGG_SUM, TC, "COUNT(*)", NULL, 0, ""},
	{"training.trainees", "training", "Học viên", "Trainees", "người", AGG_SUM, TC,
	 "SUM(t.trainees)", NULL, 0, ""},
	{"training.craft_transfer.classes", "training", "Lớp truyền nghề", "Craft-transfer classes",
	 "lớp", AGG_SUM, TC, "COUNT(*)", NULL, 0, "kind=craft_transfer"},
	{"training.craft_transfer.trainees", "training", "Lao động được truyền nghề",
	 "Craft-transfer trainees", "lao động", AGG_SUM, TC, "SUM(t.trainees)", NULL, 0,
	 "kind=craft_transfer"},
	{"training.vocational.classes", "training", "Lớp đào tạo nghề", "Vocational classes", "lớp",
	 AGG_SUM, TC, "COUNT(*)", NULL, 0, "kind=vocational"},
	{"training.vocational.trainees", "training", "Học viên đào tạo nghề", "Vocational trainees",
	 "người", AGG_SUM, TC, "SUM(t.trainees)", NULL, 0, "kind=vocational"},
	{"training.management.classes", "training", "Lớp tập huấn quản lý", "Management courses",
	 "lớp", AGG_SUM, TC, "COUNT(*)", NULL, 0, "kind=management"},
	{"training.management.trainees", "training", "Lượt người được tập huấn quản lý",
	 "Management course participants", "lượt người", AGG_SUM, TC, "SUM(t.trainees)", NULL, 0,
	 "kind=management"},
	{"training.startup.trainees", "training", "Học viên khởi sự doanh nghiệp",
	 "Start-up trainees", "người", AGG_SUM, TC, "SUM(t.trainees)", NULL, 0, "kind=startup"},
	{"training.cleaner_production.trainees", "training", "Học viên sản xuất sạch hơn",
	 "Cleaner-production trainees", "người", AGG_SUM, TC, "SUM(t.trainees)", NULL, 0,
	 "kind=cleaner_production"},
	{"training.officials.trainees", "training", "Lượt cán bộ được bồi dưỡng",
	 "Officials trained", "lượt người", AGG_SUM, TC, "SUM(t.trainees)", NULL, 0,
	 "kind=officials"},
	/* "đào tạo nâng cao tay nghề cho gần 1.800 người" (national results, 2008):
	 * reported figures only, no class kind of its own. */
	{"training.upskilling.trainees", "training", "Người được đào tạo nâng cao tay nghề",
	 "Workers upskilled", "người", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"training.employed", "training", "Lao động có việc làm sau đào tạo",
	 "Employed after training", "người", AGG_SUM, TC, "SUM(t.employed)", NULL, 0, ""},
	{"training.employment_rate", "training", "Tỷ lệ có việc làm sau đào tạo",
	 "Employment rate after training", "%",
	 RATIO_PCT("1000 * SUM(t.employed)", "SUM(t.trainees)"), 1, "employed!=none"},
	{"training.vocational.employed.mechanical_intermediate", "training",
	 "Học viên trung cấp cơ khí có việc làm", "Employed intermediate mechanical trainees",
	 "người", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"training.vocational.trainees.mechanical_intermediate", "training",
	 "Học viên trung cấp cơ khí", "Intermediate mechanical trainees", "người", AGG_SUM, NULL,
	 NULL, NULL, 0, NULL},
	{"labour.trained_share", "training", "Tỷ lệ lao động qua đào tạo",
	 "Share of trained labour", "%", AGG_RATIO, NULL, NULL, NULL, 1, NULL},
	/* demonstration models */
	{"demo_models.count", "demo", "Mô hình trình diễn kỹ thuật", "Demonstration models",
	 "mô hình", AGG_SUM, "demo-models", "COUNT(*)", NULL, 0, ""},
	{"demo_models.support", "demo", "Kinh phí khuyến công cho mô hình trình diễn",
	 "Khuyến công funds for demonstration models", "đồng", AGG_SUM, "demo-models",
	 "SUM(t.support_amount)", NULL, 0, ""},
	{"demo_models.counterpart", "demo", "Vốn đối ứng thu hút vào mô hình trình diễn",
	 "Counterpart investment in demonstration models", "đồng", AGG_SUM, "demo-models",
	 "SUM(t.counterpart)", NULL, 0, ""},
	{"demo_models.jobs", "demo", "Việc làm tạo ra từ mô hình", "Jobs created by models",
	 "người", AGG_SUM, "demo-models", "SUM(t.jobs_created)", NULL, 0, ""},
	{"demo_models.avg_income", "demo", "Thu nhập bình quân của lao động",
	 "Average income of workers", "đồng/người/tháng", AGG_RATIO, NULL, NULL, NULL, 0, NULL},
	{"demo_models.leverage", "demo", "Vốn đối ứng trên mỗi đồng khuyến công",
	 "Counterpart đồng per khuyến công đồng", "đồng/đồng", AGG_RATIO, "demo-models",
	 "100 * SUM(t.counterpart)", "SUM(t.support_amount)", 2, "support_amount!=0"},
	/* machinery */
	{"machinery.establishments", "machinery", "Cơ sở được hỗ trợ máy móc thiết bị",
	 "Establishments supported with machinery", "cơ sở", AGG_SUM, "machinery",
	 "COUNT(DISTINCT t.establishment_id)", NULL, 0, ""},
	{"machinery.support_times", "machinery", "Lượt cơ sở được hỗ trợ máy móc thiết bị",
	 "Establishment-times supported with machinery", "lượt cơ sở", AGG_SUM, "machinery",
	 "COUNT(*)", NULL, 0, ""},
	{"machinery.machines", "machinery", "Máy móc, thiết bị tiên tiến được hỗ trợ",
	 "Advanced machines supported", "máy móc, thiết bị", AGG_SUM, "machinery", "COUNT(*)", NULL,
	 0, ""},
	{"machinery.technology_lines", "machinery", "Dây chuyền công nghệ được hỗ trợ",
	 "Technology lines supported", "dây chuyền", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"clusters.pollution_treatment.establishments", "support",
	 "Cơ sở được hỗ trợ xử lý ô nhiễm môi trường", "Establishments helped to treat pollution",
	 "cơ sở", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"establishments.supported", "projects", "Lượt cơ sở được hỗ trợ",
	 "Establishment-times supported", "lượt cơ sở", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"establishments.supported.count", "projects", "Cơ sở được hỗ trợ",
	 "Establishments supported", "cơ sở", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"jobs.created", "projects", "Việc làm tạo ra cho lao động nông thôn",
	 "Jobs created for rural workers", "lao động", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"exports.handicraft.growth", "fairs", "Tăng trưởng kim ngạch xuất khẩu thủ công mỹ nghệ",
	 "Growth of handicraft exports", "%/năm", AGG_RATIO, NULL, NULL, NULL, 1, NULL},
	{"exports.handicraft.value_usd", "fairs", "Kim ngạch xuất khẩu thủ công mỹ nghệ",
	 "Handicraft exports", "USD", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"cleaner_production.energy_management_share", "support",
	 "Tỷ lệ cơ sở trọng điểm có hệ thống quản lý năng lượng",
	 "Share of key energy users with an energy management system", "%", AGG_RATIO, NULL, NULL,
	 NULL, 1, NULL},
	{"cleaner_production.energy_saving", "support", "Mức tiết kiệm năng lượng", "Energy saving",
	 "%", AGG_RATIO, NULL, NULL, NULL, 1, NULL},
	{"cleaner_production.material_reduction", "support", "Mức giảm tiêu hao nguyên vật liệu",
	 "Reduction of material use", "%", AGG_RATIO, NULL, NULL, NULL, 1, NULL},
	{"machinery.support", "machinery", "Kinh phí hỗ trợ máy móc thiết bị", "Machinery support",
	 "đồng", AGG_SUM, "machinery", "SUM(t.support_amount)", NULL, 0, ""},
	/* Effectiveness: what establishments report a year after their support
	 * (outcome-reports, model/outcome.h), accepted by their province only:
	 * the periodic report's section "Hiệu quả sau hỗ trợ" (stats/report.c). */
	{"outcomes.reports", "outcomes", "Báo cáo kết quả sau hỗ trợ đã được chấp nhận",
	 "Outcome reports accepted", "báo cáo", AGG_SUM, "outcome-reports", "COUNT(*)", NULL, 0,
	 "status=accepted"},
	{"outcomes.machines_in_use_share", "outcomes", "Tỷ lệ máy móc được hỗ trợ còn sử dụng",
	 "Share of supported machines still in use", "%", AGG_RATIO, "outcome-reports",
	 "1000 * SUM(CASE WHEN t.machine_in_use = 'yes' THEN 1 ELSE 0 END)", "COUNT(*)", 1,
	 "status=accepted&machine_in_use=yes,no"},
	{"outcomes.workers", "outcomes", "Lao động tại cơ sở sau hỗ trợ",
	 "Workers of establishments after support", "lao động", AGG_SUM, "outcome-reports",
	 "SUM(t.workers)", NULL, 0, "status=accepted"},
	{"outcomes.revenue", "outcomes", "Doanh thu của cơ sở sau hỗ trợ",
	 "Revenue of establishments after support", "đồng", AGG_SUM, "outcome-reports",
	 "SUM(t.revenue)", NULL, 0, "status=accepted"},
	/* typical products */
	{"awards.district", "products", "Sản phẩm CNNT tiêu biểu cấp huyện",
	 "District-level typical products", "sản phẩm", AGG_SUM, "awards", "COUNT(*)", NULL, 0,
	 "level=district"},
	{"awards.commune", "products", "Sản phẩm CNNT tiêu biểu cấp xã",
	 "Commune-level typical products", "sản phẩm", AGG_SUM, "awards", "COUNT(*)", NULL, 0,
	 "level=commune"},
	{"awards.province", "products", "Sản phẩm CNNT tiêu biểu cấp tỉnh",
	 "Provincial typical products", "sản phẩm", AGG_SUM, "awards", "COUNT(*)", NULL, 0,
	 "level=province"},
	{"awards.region", "products", "Sản phẩm CNNT tiêu biểu cấp khu vực",
	 "Regional typical products", "sản phẩm", AGG_SUM, "awards", "COUNT(*)", NULL, 0,
	 "level=region"},
	{"awards.national", "products", "Sản phẩm CNNT tiêu biểu cấp quốc gia",
	 "National typical products", "sản phẩm", AGG_SUM, "awards", "COUNT(*)", NULL, 0,
	 "level=national"},
	/* The provincial selection itself: what was entered and by how many
	 * establishments ("26 sản phẩm tham gia bình chọn … của 148 cơ sở"),
	 * reported figures only (an award records only what was recognised);
	 * by product group like the awards (figures.product_group). */
	{"awards.entries.province", "products", "Sản phẩm tham gia bình chọn cấp tỉnh",
	 "Products entered in the provincial selection", "sản phẩm", AGG_SUM, NULL, NULL, NULL, 0,
	 NULL},
	{"awards.entrants.province", "products", "Cơ sở có sản phẩm tham gia bình chọn cấp tỉnh",
	 "Establishments entering the provincial selection", "cơ sở", AGG_SUM, NULL, NULL, NULL, 0,
	 NULL},
	/* fairs and trade promotion */
	{"fairs.count", "fairs", "Hội chợ, triển lãm tổ chức", "Fairs organised", "hội chợ",
	 AGG_SUM, "trade-fairs", "COUNT(*)", NULL, 0, ""},
	{"fairs.count.domestic", "fairs", "Hội chợ, triển lãm trong nước", "Domestic fairs",
	 "hội chợ", AGG_SUM, "trade-fairs", "COUNT(*)", NULL, 0, "abroad=0"},
	{"fairs.count.abroad", "fairs", "Hội chợ, triển lãm ở nước ngoài", "Fairs abroad",
	 "hội chợ", AGG_SUM, "trade-fairs", "COUNT(*)", NULL, 0, "abroad=1"},
	{"fairs.participated", "fairs", "Hội chợ tham gia ngoài tỉnh", "Fairs attended elsewhere",
	 "hội chợ", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"fairs.booths", "fairs", "Gian hàng", "Booths", "gian hàng", AGG_SUM, "trade-fairs",
	 "SUM(t.booths)", NULL, 0, ""},
	{"fairs.enterprises", "fairs", "Lượt cơ sở, doanh nghiệp tham gia hội chợ",
	 "Establishments at fairs", "lượt cơ sở", AGG_SUM, "trade-fairs", "SUM(t.establishments)",
	 NULL, 0, ""},
	{"fairs.importers", "fairs", "Nhà nhập khẩu", "Importers", "nhà nhập khẩu", AGG_SUM,
	 "trade-fairs", "SUM(t.importers)", NULL, 0, ""},
	{"fairs.importer_countries", "fairs", "Quốc gia, vùng lãnh thổ của nhà nhập khẩu",
	 "Countries of importers", "quốc gia và vùng lãnh thổ", AGG_RATIO, NULL, NULL, NULL, 0,
	 NULL},
	{"fairs.provinces", "fairs", "Tỉnh, thành có doanh nghiệp tham gia",
	 "Provinces represented", "tỉnh, thành phố", AGG_RATIO, NULL, NULL, NULL, 0, NULL},
	{"fairs.contract_value_usd", "fairs", "Giá trị hợp đồng xuất khẩu ký kết",
	 "Export contracts signed", "USD", AGG_SUM, "trade-fairs", "SUM(t.contract_value) / 100",
	 NULL, 0, "contract_currency=USD"},
	{"fairs.contract_value_per_enterprise_usd.abroad", "fairs",
	 "Giá trị hợp đồng bình quân mỗi doanh nghiệp mỗi năm",
	 "Average contract value per enterprise per year", "USD/doanh nghiệp/năm", AGG_RATIO, NULL,
	 NULL, NULL, 0, NULL},
	{"fairs.customer_found_share.abroad", "fairs",
	 "Tỷ lệ cơ sở tìm được khách hàng tại hội chợ nước ngoài",
	 "Share finding customers at fairs abroad", "%", AGG_RATIO, NULL, NULL, NULL, 1, NULL},
	{"trade_promotion.programmes.count", "fairs", "Chương trình xúc tiến thương mại",
	 "Trade promotion programmes", "chương trình", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{"trade_promotion.budget.total", "fairs", "Kinh phí xúc tiến thương mại",
	 "Trade promotion funds", "đồng", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	/* other support */
	{"support.count", "support", "Lượt hỗ trợ tư vấn, thương hiệu, sản xuất sạch hơn",
	 "Consulting, branding and cleaner-production support", "lượt", AGG_SUM, "other-support",
	 "COUNT(*)", NULL, 0, ""},
	{"support.amount", "support", "Kinh phí hỗ trợ khác", "Other support funds", "đồng",
	 AGG_SUM, "other-support", "SUM(t.amount)", NULL, 0, ""},
	/* craft villages */
	{"villages.count", "villages", "Làng nghề", "Craft villages", "làng nghề", AGG_STOCK,
	 "villages", "COUNT(*)", NULL, 0, ""},
	{"villages.recognised", "villages", "Làng nghề được công nhận", "Recognised craft villages",
	 "làng nghề", AGG_STOCK, "villages", "COUNT(*)", NULL, 0, "recognised=1"},
	{"villages.count.processing", "villages", "Làng nghề chế biến nông, lâm, thủy sản",
	 "Villages processing farm, forest and fishery products", "làng nghề", AGG_STOCK,
	 "villages", "COUNT(*)", NULL, 0, "craft_group=processing"},
	{"villages.count.crafts_goods", "villages",
	 "Làng nghề gỗ, mây tre, thủy tinh, dệt may, cơ khí, tái chế",
	 "Wood, rattan, glass, textile, mechanical, recycling villages", "làng nghề", AGG_STOCK,
	 "villages", "COUNT(*)", NULL, 0, "craft_group=crafts_goods"},
	{"villages.count.handicraft", "villages", "Làng nghề thủ công mỹ nghệ",
	 "Handicraft villages", "làng nghề", AGG_STOCK, "villages", "COUNT(*)", NULL, 0,
	 "craft_group=handicraft"},
	{"villages.workers", "villages", "Lao động làng nghề", "Craft village workers", "lao động",
	 AGG_SUM, "village-years", "SUM(t.workers)", NULL, 0, ""},
	{"villages.production_value", "villages", "Giá trị sản xuất làng nghề",
	 "Craft village production value", "đồng", AGG_SUM, "village-years",
	 "SUM(t.production_value)", NULL, 0, ""},
	{"cooperatives.count", "villages", "Hợp tác xã", "Cooperatives", "hợp tác xã", AGG_STOCK,
	 "establishments", "COUNT(*)", NULL, 0, "kind=cooperative"},
	{"cooperatives.count.textile", "villages", "Hợp tác xã dệt may", "Textile cooperatives",
	 "hợp tác xã", AGG_STOCK, NULL, NULL, NULL, 0, NULL},
	{"cooperatives.count.mechanical", "villages", "Hợp tác xã cơ khí",
	 "Mechanical cooperatives", "hợp tác xã", AGG_STOCK, NULL, NULL, NULL, 0, NULL},
	/* budget */
	{"budget.national", "budget", "Kinh phí khuyến công quốc gia", "National khuyến công funds",
	 "đồng", AGG_SUM, "projects", "SUM(t.approved_national)", NULL, 0, "status!=cancelled"},
	{"budget.local", "budget", "Kinh phí khuyến công địa phương", "Local khuyến công funds",
	 "đồng", AGG_SUM, "projects", "SUM(t.approved_local)", NULL, 0, "status!=cancelled"},
	{"budget.counterpart", "budget", "Vốn đối ứng của cơ sở", "Counterpart funds", "đồng",
	 AGG_SUM, "projects", "SUM(t.approved_counterpart)", NULL, 0, "status!=cancelled"},
	{"budget.total", "projects", "Tổng kinh phí khuyến công", "Total khuyến công funds", "đồng",
	 AGG_SUM, "projects",
	 "SUM(COALESCE(t.approved_national, 0) + COALESCE(t.approved_local, 0))", NULL, 0,
	 "status!=cancelled"},
	{"budget.disbursed", "budget", "Kinh phí khuyến công đã giải ngân",
	 "Khuyến công funds disbursed", "đồng", AGG_SUM, "projects",
	 "SUM(CASE WHEN t.disbursed_national IS NULL AND t.disbursed_local IS NULL THEN NULL ELSE"
	 " COALESCE(t.disbursed_national, 0) + COALESCE(t.disbursed_local, 0) END)",
	 NULL, 0, "status!=cancelled"},
	{"budget.plan", "budget", "Kinh phí kế hoạch khuyến công được giao",
	 "Khuyến công funds planned", "đồng", AGG_SUM, "plans",
	 "SUM(CASE WHEN t.budget_national IS NULL AND t.budget_local IS NULL THEN NULL ELSE"
	 " COALESCE(t.budget_national, 0) + COALESCE(t.budget_local, 0) END)",
	 NULL, 0, ""},
	{"budget.leverage", "budget", "Vốn đối ứng trên mỗi đồng khuyến công",
	 "Counterpart đồng per khuyến công đồng", "đồng/đồng", AGG_RATIO, "projects",
	 "100 * SUM(t.approved_counterpart)",
	 "SUM(COALESCE(t.approved_national, 0) + COALESCE(t.approved_local, 0))", 2,
	 "status!=cancelled"},
	{"budget.local.direct_support_share", "budget",
	 "Tỷ lệ kinh phí địa phương hỗ trợ trực tiếp cơ sở",
	 "Share of local funds given directly to establishments", "%", AGG_RATIO, NULL, NULL, NULL,
	 1, NULL},
	/* projects and programmes */
	{"projects.count", "projects", "Đề án khuyến công", "Khuyến công projects", "đề án",
	 AGG_SUM, "projects", "COUNT(*)", NULL, 0, "status!=cancelled"},
	{"projects.count.demo_model_machinery", "projects",
	 "Đề án mô hình trình diễn và máy móc thiết bị",
	 "Demonstration-model and machinery projects", "đề án", AGG_SUM, "projects", "COUNT(*)",
	 NULL, 0, "content_type=demo_model,machinery&status!=cancelled"},
	{"projects.budget.demo_model_machinery", "projects",
	 "Kinh phí đề án mô hình trình diễn và máy móc thiết bị",
	 "Funds of demonstration-model and machinery projects", "đồng", AGG_SUM, "projects",
	 "SUM(COALESCE(t.approved_national, 0) + COALESCE(t.approved_local, 0))", NULL, 0,
	 "content_type=demo_model,machinery&status!=cancelled"},
	{"programmes.count", "projects", "Chương trình khuyến công", "Khuyến công programmes",
	 "chương trình", AGG_SUM, NULL, NULL, NULL, 0, NULL},
	{NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
};

/* A value of field f as SQL: a number as it is, a code quoted. Codes hold
 * letters, digits and "_" only (anything else is refused). */
static int cond_value(struct buf *b, const struct field *f, const char *v, size_t n)
{
	static const char word[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
	if (!n || strspn(v, word) < n)
		return -1;
	if (field_is_number(f) || f->type == F_BOOL)
		buf_printf(b, "%.*s", (int)n, v);
	else
		buf_printf(b, "'%.*s'", (int)n, v);
	return 0;
}

/* One condition name[!]=value (n bytes) as SQL, as record_list() reads the
 * same words. */
static int cond_sql(struct buf *b, const struct entity *ent, const char *c, size_t n)
{
	const char *eq = memchr(c, '=', n);
	if (!eq)
		return -1;
	int neg = eq > c && eq[-1] == '!';
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(eq - c - neg), c);
	const struct field *f = entity_field(ent, name);
	const char *v = eq + 1;
	size_t vn = n - (size_t)(v - c);
	if (!f)
		return -1;
	if (neg && vn == 4 && !strncmp(v, "none", 4)) {
		buf_printf(b, "t.%s IS NOT NULL", f->name);
		return 0;
	}
	if (neg) {
		buf_printf(b, "t.%s <> ", f->name);
		return cond_value(b, f, v, vn);
	}
	if (f->type == F_BOOL && vn == 1 && *v == '0') {
		buf_printf(b, "COALESCE(t.%s, 0) = 0", f->name);
		return 0;
	}
	if (!memchr(v, ',', vn)) {
		buf_printf(b, "t.%s = ", f->name);
		return cond_value(b, f, v, vn);
	}
	buf_printf(b, "t.%s IN (", f->name);
	for (const char *p = v, *end = v + vn; p < end;) {
		size_t k = strcspn(p, ",&");
		if (k > (size_t)(end - p))
			k = (size_t)(end - p);
		if (p > v)
			buf_puts(b, ", ");
		if (cond_value(b, f, p, k) < 0)
			return -1;
		p += k + 1;
	}
	buf_puts(b, ")");
	return 0;
}

int indicator_where(const struct indicator *ind, struct buf *b)
{
	const struct entity *ent = entity_find(ind->collection);
	const char *when = ind->when ? ind->when : "";
	struct buf sql = BUF_INIT;
	int rc = ent ? 0 : -1;
	buf_puts(&sql, "1 = 1");
	for (const char *p = when; rc == 0 && *when; p++) {
		size_t n = strcspn(p, "&");
		buf_puts(&sql, " AND ");
		rc = cond_sql(&sql, ent, p, n);
		p += n;
		if (!*p)
			break;
	}
	if (rc == 0)
		buf_puts(b, buf_cstr(&sql));
	buf_free(&sql);
	return rc;
}

void indicator_filter(const struct indicator *ind, struct buf *b)
{
	/* The lists' own words: letters, digits, "_", ",", "!", "=" and "&",
	 * nothing to escape (indicator_where refuses anything else). */
	buf_puts(b, ind->when ? ind->when : "");
}

const struct indicator *indicator_find(const char *code)
{
	for (const struct indicator *i = indicators; code && i->code; i++)
		if (!strcmp(i->code, code))
			return i;
	return NULL;
}

/* The edit distance of a and b (bytes), capped at 255. */
static int distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 200 || lb > 200)
		return 255;
	int row[201];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j];
			int best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb] > 255 ? 255 : row[lb];
}

void indicator_closest(const char *text, char *out, size_t n)
{
	char *want = vtext_fold(text ? text : "");
	const struct indicator *best[3] = {0};
	int score[3] = {256, 256, 256};
	for (const struct indicator *i = indicators; i->code; i++) {
		char *vi = vtext_fold(i->vi);
		int d = distance(want, i->code), dn = distance(want, vi);
		free(vi);
		if (dn < d)
			d = dn;
		for (int k = 0; k < 3; k++) {
			if (d >= score[k])
				continue;
			for (int m = 2; m > k; m--) {
				score[m] = score[m - 1];
				best[m] = best[m - 1];
			}
			score[k] = d;
			best[k] = i;
			break;
		}
	}
	free(want);
	size_t o = 0;
	if (n)
		out[0] = 0;
	for (int k = 0; k < 3 && best[k] && o < n; k++)
		o += (size_t)snprintf(out + o, n - o, "%s%s (%s)", k ? ", " : "", best[k]->code,
				      best[k]->vi);
}

const struct indicator_part *indicator_parts(const char *code)
{
	static const struct indicator_part budget[] = {
		{"budget.national", "national"}, {"budget.local", "local"}, {NULL, NULL}};
	return code && !strcmp(code, "budget.total") ? budget : NULL;
}

const char *indicator_funding(const char *code)
{
	/* Counterpart funds are the establishments' own money, whatever the
	 * project's source: budget.counterpart is the counterpart cell. */
	return code && !strcmp(code, "budget.counterpart") ? "counterpart" : NULL;
}
