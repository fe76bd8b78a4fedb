/* entities.c - the record types of khuyến công, described once: every kind of
 * fact in the seed articles has a home here. Labels: Vietnamese, English. */
#include "model/caps.h"
#include "model/entities_rules.h"
#include "model/outcome.h"
#include "model/product_rules.h"

#include <string.h>

#define CONTENT_TYPES                                                                            \
	"training:Đào tạo nghề, truyền nghề:Vocational training and craft transfer"                 \
	"|management:Nâng cao năng lực quản lý:Management capacity"                                 \
	"|demo_model:Mô hình trình diễn kỹ thuật:Demonstration models"                              \
	"|machinery:Ứng dụng máy móc thiết bị tiên tiến:Advanced machinery"                         \
	"|typical_product:Phát triển sản phẩm CNNT tiêu biểu:Typical product development"           \
	"|fairs:Hội chợ, triển lãm, phòng trưng bày:Trade fairs and showrooms"                      \
	"|consulting:Tư vấn, thương hiệu, sở hữu trí tuệ:Consulting, branding and IP"               \
	"|communication:Thông tin, tuyên truyền:Communication"                                      \
	"|cleaner_production:Sản xuất sạch hơn, tiết kiệm năng lượng:Cleaner production and energy" \
	"|clusters:Cụm công nghiệp, xử lý ô nhiễm:Industrial clusters and pollution treatment"      \
	"|cooperation:Liên kết, hợp tác quốc tế:Links and international cooperation"                \
	"|capacity:Nâng cao năng lực hệ thống khuyến công:Capacity of the khuyến công system"       \
	"|digital:Chuyển đổi số:Digital transformation"                                             \
	"|sustainable:Sản xuất và tiêu dùng bền vững:Sustainable production and consumption"        \
	"|artisans:Hỗ trợ nghệ nhân:Support to artisans"

#define ESTABLISHMENT_KINDS                                                                      \
	"company_llc:Công ty TNHH:Limited liability company"                                        \
	"|company_jsc:Công ty cổ phần:Joint-stock company"                                          \
	"|company_private:Doanh nghiệp tư nhân:Private enterprise"                                  \
	"|company_partnership:Công ty hợp danh:Partnership"                                         \
	"|cooperative:Hợp tác xã:Cooperative"                                                       \
	"|coop_union:Liên hiệp hợp tác xã:Union of cooperatives"                                   \
	"|coop_group:Tổ hợp tác:Cooperative group"                                                  \
	"|household:Hộ kinh doanh:Household business"

#define VILLAGE_GROUPS                                                                           \
	"processing:Chế biến, bảo quản nông, lâm, thủy sản:Processing of farm, forest and fishery "  \
	"products"                                                                                  \
	"|crafts_goods:Đồ gỗ, mây tre, gốm sứ, thủy tinh, dệt may, cơ khí, tái chế:Wood, rattan "   \
	"and bamboo, ceramics, glass, textile, mechanical, recycling"                               \
	"|materials:Xử lý, chế biến nguyên vật liệu:Processing of materials for rural trades"       \
	"|handicraft:Thủ công mỹ nghệ:Handicraft"                                                   \
	"|ornamental:Sinh vật cảnh:Ornamental plants and animals"                                   \
	"|services:Dịch vụ nông thôn:Rural services"

/* Where the money comes from: the two khuyến công budgets, as records say
 * them (machinery), and as reported figures may also break them down. */
#define FUNDING_KC "national:KC quốc gia:National funds|local:KC địa phương:Local funds"
#define FUNDING_SOURCES FUNDING_KC "|counterpart:Đối ứng:Counterpart funds|other:Khác:Other sources"

/* The old unit (before 2025-07-01) a record of that time belongs to, when the
 * user gives it: any level, era old (model/unit_attr.h). */
#define OLD_UNIT                                                                                  \
	{"old_unit_id", F_UNIT, "Đơn vị hành chính cũ", "Old administrative unit", 0, 0, "old", 0, 0}

#define QUALIFIERS                                                                               \
	"exact:Chính xác:Exact|at_least:Trên:At least|about:Khoảng:About|at_most:Tối đa:At most"    \
	"|range:Khoảng từ … đến:Range|nearly:Gần:Nearly"

static const struct field establishment_fields[] = {
	{"name", F_TEXT, "Tên cơ sở", "Name", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0, 0, 0},
	{"kind", F_ENUM, "Loại hình", "Kind", FF_REQUIRED | FF_LIST | FF_FILTER, ESTABLISHMENT_KINDS,
	 0, 0, 0},
	{"tax_code", F_TEXT, "Mã số thuế", "Tax code", FF_SEARCH | FF_LIST | FF_UNIQUE, 0, 0, 0, 0},
	{"industry_code", F_TEXT, "Mã ngành VSIC", "VSIC industry code", FF_FILTER, 0, 0, 0, 0},
	{"industry_edition", F_ENUM, "Bảng VSIC", "VSIC edition", FF_READONLY,
	 "2018:VSIC 2018:VSIC 2018|2025:VSIC 2025:VSIC 2025", 0, 0, 0},
	{"address", F_TEXT, "Địa chỉ", "Address", FF_SEARCH, 0, 0, 0, 0},
	{"commune_id", F_UNIT, "Xã/phường", "Commune", FF_REQUIRED | FF_LIST, 0, "commune", 0, 0},
	{"village_id", F_REF, "Làng nghề", "Craft village", FF_FILTER, 0, "villages", 0, 0},
	{"founded_year", F_YEAR, "Năm thành lập", "Founded", 0, 0, 0, 0, 0},
	{"workers", F_INT, "Số lao động", "Workers", FF_LIST, 0, 0, 0, 0},
	{"workers_female", F_INT, "Lao động nữ", "Female workers", 0, 0, 0, 0, 0},
	{"revenue", F_JSON, "Doanh thu theo năm (đồng)", "Revenue by year (đồng)", 0, 0, 0, 0, 0},
	{"owner_female", F_BOOL, "Chủ cơ sở là nữ", "Owned by a woman", FF_FILTER, 0, 0, 0, 0},
	{"owner_ethnic", F_BOOL, "Chủ cơ sở là người dân tộc thiểu số",
	 "Owned by an ethnic minority member", FF_FILTER, 0, 0, 0, 0},
	{"contact_name", F_TEXT, "Người liên hệ", "Contact person", 0, 0, 0, 0, 0},
	{"phone", F_TEXT, "Điện thoại", "Phone", 0, 0, 0, 0, 0},
	{"email", F_TEXT, "Thư điện tử", "Email", 0, 0, 0, 0, 0},
	{"channels", F_URLS, "Kênh bán hàng trực tuyến", "Online sales channels", 0, 0, 0, 0, 0},
	{"illustrative", F_BOOL, "Dữ liệu minh họa", "Illustrative data", FF_FILTER, 0, 0, 0, 0},
	{"note", F_LONGTEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	{0},
};

static const struct field village_fields[] = {
	{"name", F_TEXT, "Tên làng nghề", "Name", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0,
	 0, 0},
	{"commune_id", F_UNIT, "Xã/phường", "Commune", FF_REQUIRED | FF_LIST, 0, "commune", 0, 0},
	{"craft_group", F_ENUM, "Nhóm ngành nghề", "Craft group", FF_REQUIRED | FF_LIST | FF_FILTER,
	 VILLAGE_GROUPS, 0, 0, 0},
	{"craft", F_TEXT, "Nghề", "Craft", FF_SEARCH | FF_LIST, 0, 0, 0, 0},
	{"traditional", F_BOOL, "Làng nghề truyền thống", "Traditional", FF_FILTER | FF_LIST, 0, 0,
	 0, 0},
	{"recognised", F_BOOL, "Đã được công nhận", "Recognised", FF_FILTER | FF_LIST, 0, 0, 0, 0},
	{"decision_no", F_TEXT, "Số quyết định công nhận", "Recognition decision", FF_SEARCH, 0, 0,
	 0, 0},
	{"decision_date", F_DATE, "Ngày công nhận", "Recognised on", 0, 0, 0, 0, 0},
	{"illustrative", F_BOOL, "Dữ liệu minh họa", "Illustrative data", FF_FILTER, 0, 0, 0, 0},
	{"note", F_LONGTEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	{0},
};

static const struct field village_year_fields[] = {
	{"village_id", F_REF, "Làng nghề", "Craft village", FF_REQUIRED | FF_LIST | FF_FILTER, 0,
	 "villages", 0, 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST | FF_TITLE | FF_SEARCH, 0, 0, 0, 0},
	{"households", F_INT, "Số hộ", "Households", FF_LIST, 0, 0, 0, 0},
	{"craft_households", F_INT, "Số hộ làm nghề", "Households in the craft", FF_LIST, 0, 0, 0, 0},
	{"workers", F_INT, "Số lao động", "Workers", FF_LIST, 0, 0, 0, 0},
	{"production_value", F_MONEY, "Giá trị sản xuất (đồng)", "Production value (đồng)", FF_LIST,
	 0, 0, 0, 0},
	{"env_status", F_ENUM, "Môi trường", "Environment", FF_LIST | FF_FILTER,
	 "met:Đạt yêu cầu:Meets the requirements|not_met:Chưa đạt:Does not meet them"
	 "|unknown:Chưa đánh giá:Not assessed",
	 0, 0, 0},
	{"illustrative", F_BOOL, "Dữ liệu minh họa", "Illustrative data", FF_FILTER, 0, 0, 0, 0},
	{0},
};

static const struct field programme_fields[] = {
	{"code", F_TEXT, "Mã chương trình", "Code", FF_SEARCH | FF_UNIQUE | FF_LIST, 0, 0, 0, 0},
	{"name", F_TEXT, "Tên chương trình", "Name", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0,
	 0, 0, 0},
	{"kind", F_ENUM, "Loại chương trình", "Kind", FF_REQUIRED | FF_LIST | FF_FILTER,
	 "khuyen_cong:Khuyến công:Industrial extension|trade_promotion:Xúc tiến thương mại:Trade "
	 "promotion|craft_village:Phát triển làng nghề:Craft-village development|other:Khác:Other",
	 0, 0, 0},
	{"level", F_ENUM, "Cấp", "Level", FF_REQUIRED | FF_LIST | FF_FILTER,
	 "national:Quốc gia:National|local:Địa phương:Local", 0, 0, 0},
	{"province", F_PROVINCE, "Tỉnh/thành (chương trình địa phương)", "Province (local programmes)",
	 FF_LIST, 0, 0, 0, 0},
	{"owner", F_TEXT, "Cơ quan chủ trì", "Owner", FF_SEARCH, 0, 0, 0, 0},
	{"period_from", F_YEAR, "Từ năm", "From", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"period_to", F_YEAR, "Đến năm", "To", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"legal_basis", F_TEXT, "Căn cứ pháp lý", "Legal basis", FF_SEARCH | FF_LIST, 0, 0, 0, 0},
	{"decision_date", F_DATE, "Ngày quyết định", "Decision date", 0, 0, 0, 0, 0},
	{"budget", F_MONEY, "Kinh phí (đồng)", "Budget (đồng)", 0, 0, 0, 0, 0},
	{"illustrative", F_BOOL, "Dữ liệu minh họa", "Illustrative data", FF_FILTER, 0, 0, 0, 0},
	{"note", F_LONGTEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	{0},
};

static const struct field target_fields[] = {
	{"programme_id", F_REF, "Chương trình", "Programme", FF_REQUIRED | FF_LIST | FF_FILTER, 0,
	 "programmes", 0, 0},
	{"indicator", F_TEXT, "Chỉ tiêu", "Indicator", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE |
	 FF_FILTER, 0, 0, 0, 0},
	{"description", F_TEXT, "Nội dung mục tiêu", "Target", FF_SEARCH | FF_LIST, 0, 0, 0, 0},
	{"value", F_QTY, "Giá trị", "Value", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"measure", F_TEXT, "Đơn vị tính", "Measure", FF_LIST, 0, 0, 0, 0},
	{"year", F_YEAR, "Năm (để trống: cả giai đoạn)", "Year (empty: the whole period)", FF_LIST, 0,
	 0, 0, 0},
	{"note", F_LONGTEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	{0},
};

static const struct field plan_fields[] = {
	{"name", F_TEXT, "Tên kế hoạch", "Name", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0,
	 0, 0},
	{"province", F_PROVINCE, "Tỉnh/thành", "Province", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"programme_id", F_REF, "Chương trình", "Programme", FF_FILTER, 0, "programmes", 0, 0},
	{"budget_national", F_MONEY, "Kinh phí khuyến công quốc gia", "National khuyến công funds",
	 FF_LIST, 0, 0, 0, 0},
	{"budget_local", F_MONEY, "Kinh phí khuyến công địa phương", "Local khuyến công funds",
	 FF_LIST, 0, 0, 0, 0},
	{"budget_counterpart", F_MONEY, "Vốn đối ứng", "Counterpart funds", 0, 0, 0, 0, 0},
	{"budget_other", F_MONEY, "Nguồn khác", "Other sources", 0, 0, 0, 0, 0},
	{"decision_no", F_TEXT, "Số quyết định", "Decision", FF_SEARCH, 0, 0, 0, 0},
	{"decision_date", F_DATE, "Ngày quyết định", "Decision date", 0, 0, 0, 0, 0},
	{"illustrative", F_BOOL, "Dữ liệu minh họa", "Illustrative data", FF_FILTER, 0, 0, 0, 0},
	OLD_UNIT,
	{0},
};

static const struct field project_fields[] = {
	{"code", F_TEXT, "Mã đề án", "Code", FF_SEARCH | FF_UNIQUE | FF_LIST, 0, 0, 0, 0},
	{"title", F_TEXT, "Tên đề án", "Title", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0, 0,
	 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"province", F_PROVINCE, "Tỉnh/thành", "Province", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"plan_id", F_REF, "Kế hoạch", "Plan", FF_FILTER, 0, "plans", 0, 0},
	{"programme_id", F_REF, "Chương trình", "Programme", FF_FILTER, 0, "programmes", 0, 0},
	{"content_type", F_ENUM, "Nội dung khuyến công", "Content type",
	 FF_REQUIRED | FF_LIST | FF_FILTER, CONTENT_TYPES, 0, 0, 0},
	{"kind", F_ENUM, "Loại đề án", "Kind", FF_REQUIRED | FF_LIST | FF_FILTER,
	 "national_point:Quốc gia – điểm:National, one place|national_group:Quốc gia – nhóm:National "
	 "group|local:Địa phương:Local",
	 0, 0, 0},
	{"status", F_ENUM, "Trạng thái", "Status", FF_READONLY | FF_LIST | FF_FILTER, PROJECT_STATUSES,
	 0, 0, 0},
	{"implementing_unit", F_TEXT, "Đơn vị thực hiện", "Implementing unit", FF_SEARCH, 0, 0, 0, 0},
	{"establishment_id", F_REF, "Cơ sở thụ hưởng chính", "Main beneficiary", FF_FILTER, 0,
	 "establishments", 0, 0},
	{"cost_total", F_MONEY, "Tổng kinh phí (đồng)", "Total cost (đồng)", FF_LIST, 0, 0, 0, 0},
	{"approved_national", F_MONEY, "Duyệt – KC quốc gia", "Approved – national funds", 0, 0, 0,
	 0, 0},
	{"approved_local", F_MONEY, "Duyệt – KC địa phương", "Approved – local funds", 0, 0, 0, 0, 0},
	{"approved_counterpart", F_MONEY, "Duyệt – vốn đối ứng", "Approved – counterpart", 0, 0, 0,
	 0, 0},
	{"approved_other", F_MONEY, "Duyệt – nguồn khác", "Approved – other", 0, 0, 0, 0, 0},
	{"cap_reason", F_LONGTEXT, "Lý do vượt mức hỗ trợ tối đa", "Why a support cap is exceeded", 0,
	 0, 0, 0, 0},
	{"advanced_national", F_MONEY, "Tạm ứng – KC quốc gia", "Advanced – national funds", 0, 0, 0,
	 0, 0},
	{"advanced_local", F_MONEY, "Tạm ứng – KC địa phương", "Advanced – local funds", 0, 0, 0, 0,
	 0},
	{"disbursed_national", F_MONEY, "Giải ngân – KC quốc gia", "Disbursed – national funds", 0, 0,
	 0, 0, 0},
	{"disbursed_local", F_MONEY, "Giải ngân – KC địa phương", "Disbursed – local funds", 0, 0, 0,
	 0, 0},
	{"disbursed_counterpart", F_MONEY, "Giải ngân – vốn đối ứng", "Disbursed – counterpart", 0,
	 0, 0, 0, 0},
	{"disbursed_other", F_MONEY, "Giải ngân – nguồn khác", "Disbursed – other", 0, 0, 0, 0, 0},
	{"illustrative", F_BOOL, "Dữ liệu minh họa", "Illustrative data", FF_FILTER, 0, 0, 0, 0},
	{"note", F_LONGTEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	OLD_UNIT,
	{0},
};

static const struct field event_fields[] = {
	{"project_id", F_REF, "Đề án", "Project", FF_REQUIRED | FF_LIST | FF_FILTER, 0, "projects", 0,
	 0},
	{"status", F_ENUM, "Trạng thái mới", "New status", FF_REQUIRED | FF_LIST | FF_TITLE,
	 PROJECT_STATUSES, 0, 0, 0},
	{"from_status", F_ENUM, "Trạng thái trước", "Previous status", FF_LIST, PROJECT_STATUSES, 0, 0,
	 0},
	{"event_date", F_DATE, "Ngày", "Date", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"decision_no", F_TEXT, "Số quyết định/văn bản", "Decision or document", FF_LIST | FF_SEARCH,
	 0, 0, 0, 0},
	{"note", F_LONGTEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	{0},
};

static const struct field beneficiary_fields[] = {
	{"project_id", F_REF, "Đề án", "Project", FF_REQUIRED | FF_LIST | FF_FILTER, 0, "projects", 0,
	 0},
	{"establishment_id", F_REF, "Cơ sở", "Establishment", FF_REQUIRED | FF_LIST | FF_FILTER |
	 FF_TITLE, 0, "establishments", 0, 0},
	{"support_amount", F_MONEY, "Kinh phí hỗ trợ", "Support", FF_LIST, 0, 0, 0, 0},
	{"note", F_TEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	{0},
};

#define PROJECT_REF                                                                               \
	{"project_id", F_REF, "Đề án", "Project", FF_LIST | FF_FILTER, 0, "projects", 0, 0}
#define PROVINCE_OPT                                                                              \
	{"province", F_PROVINCE, "Tỉnh/thành", "Province", FF_LIST, 0, 0, 0, 0}
#define ILLUSTRATIVE                                                                              \
	{"illustrative", F_BOOL, "Dữ liệu minh họa", "Illustrative data", FF_FILTER, 0, 0, 0, 0}

static const struct field training_fields[] = {
	PROJECT_REF,
	PROVINCE_OPT,
	{"kind", F_ENUM, "Loại lớp", "Kind", FF_REQUIRED | FF_LIST | FF_FILTER,
	 "vocational:Đào tạo nghề:Vocational training|craft_transfer:Truyền nghề, cấy nghề:Craft "
	 "transfer|management:Tập huấn quản lý:Management course|startup:Khởi sự doanh "
	 "nghiệp:Business start-up|cleaner_production:Sản xuất sạch hơn:Cleaner production"
	 "|officials:Bồi dưỡng cán bộ:Officials' training|other:Khác:Other",
	 0, 0, 0},
	{"topic", F_TEXT, "Nghề/chủ đề", "Trade or topic", FF_REQUIRED | FF_SEARCH | FF_LIST |
	 FF_TITLE, 0, 0, 0, 0},
	{"place", F_TEXT, "Địa điểm", "Place", FF_SEARCH, 0, 0, 0, 0},
	{"date_from", F_DATE, "Từ ngày", "From", FF_LIST, 0, 0, 0, 0},
	{"date_to", F_DATE, "Đến ngày", "To", 0, 0, 0, 0, 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"trainees", F_INT, "Học viên", "Trainees", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"trainees_female", F_INT, "Học viên nữ", "Female trainees", 0, 0, 0, 0, 0},
	{"completed", F_INT, "Hoàn thành", "Completed", FF_LIST, 0, 0, 0, 0},
	{"employed", F_INT, "Có việc làm sau đào tạo", "Employed after", FF_LIST, 0, 0, 0, 0},
	ILLUSTRATIVE,
	OLD_UNIT,
	{0},
};

static const struct field demo_fields[] = {
	PROJECT_REF,
	{"establishment_id", F_REF, "Cơ sở", "Establishment", FF_REQUIRED | FF_LIST | FF_FILTER, 0,
	 "establishments", 0, 0},
	{"technology", F_TEXT, "Công nghệ, dây chuyền", "Technology", FF_REQUIRED | FF_SEARCH |
	 FF_LIST | FF_TITLE, 0, 0, 0, 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"total_investment", F_MONEY, "Tổng vốn đầu tư", "Total investment", FF_LIST, 0, 0, 0, 0},
	{"support_amount", F_MONEY, "Kinh phí khuyến công hỗ trợ", "Khuyến công support", FF_LIST, 0,
	 0, 0, 0},
	{"counterpart", F_MONEY, "Vốn đối ứng", "Counterpart", FF_LIST, 0, 0, 0, 0},
	{"jobs_created", F_INT, "Việc làm tạo ra", "Jobs created", 0, 0, 0, 0, 0},
	{"avg_income", F_MONEY, "Thu nhập bình quân (đồng/người/tháng)",
	 "Average income (đồng per worker per month)", 0, 0, 0, 0, 0},
	ILLUSTRATIVE,
	OLD_UNIT,
	{0},
};

static const struct field machinery_fields[] = {
	PROJECT_REF,
	{"establishment_id", F_REF, "Cơ sở", "Establishment", FF_REQUIRED | FF_LIST | FF_FILTER, 0,
	 "establishments", 0, 0},
	{"equipment", F_TEXT, "Máy móc, thiết bị", "Equipment", FF_REQUIRED | FF_SEARCH | FF_LIST |
	 FF_TITLE, 0, 0, 0, 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"value", F_MONEY, "Giá trị thiết bị", "Equipment value", FF_LIST, 0, 0, 0, 0},
	{"support_amount", F_MONEY, "Kinh phí hỗ trợ", "Support", FF_LIST, 0, 0, 0, 0},
	{"funding_source", F_ENUM, "Nguồn hỗ trợ", "Source", FF_FILTER, FUNDING_KC, 0, 0, 0},
	ILLUSTRATIVE,
	OLD_UNIT,
	{0},
};

static const struct field fair_fields[] = {
	PROJECT_REF,
	PROVINCE_OPT,
	{"name", F_TEXT, "Tên hội chợ, triển lãm", "Name",
	 FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0, 0, 0},
	{"place", F_TEXT, "Địa điểm", "Place", FF_SEARCH | FF_LIST, 0, 0, 0, 0},
	{"abroad", F_BOOL, "Ở nước ngoài", "Abroad", FF_FILTER, 0, 0, 0, 0},
	{"country", F_TEXT, "Quốc gia", "Country", 0, 0, 0, 0, 0},
	{"date_from", F_DATE, "Từ ngày", "From", FF_LIST, 0, 0, 0, 0},
	{"date_to", F_DATE, "Đến ngày", "To", 0, 0, 0, 0, 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"booths", F_INT, "Số gian hàng", "Booths", FF_LIST, 0, 0, 0, 0},
	{"establishments", F_INT, "Cơ sở tham gia", "Participating establishments", FF_LIST, 0, 0,
	 0, 0},
	{"visitors", F_INT, "Lượt khách", "Visitors", 0, 0, 0, 0, 100000000},
	{"importers", F_INT, "Nhà nhập khẩu", "Importers", 0, 0, 0, 0, 0},
	{"importer_countries", F_INT, "Số quốc gia, vùng lãnh thổ của nhà nhập khẩu",
	 "Countries and territories of importers", 0, 0, 0, 0, 0},
	{"contracts", F_INT, "Hợp đồng ký kết", "Contracts signed", 0, 0, 0, 0, 0},
	{"contract_value", F_INT, "Giá trị hợp đồng", "Contract value", 0, 0, 0, 0,
	 RECORD_MONEY_MAX},
	{"contract_currency", F_ENUM, "Tiền tệ của giá trị hợp đồng", "Contract currency",
	 FF_FILTER, "VND:Đồng:VND (đồng)|USD:USD (cent):USD (cents)", 0, 0, 0},
	ILLUSTRATIVE,
	OLD_UNIT,
	{0},
};

/* The groups of the typical product awards (Circular 26/2014/TT-BCT): of
 * awards, products and the reported figures of the selection. */
#define PRODUCT_GROUPS                                                                           \
	"handicraft:Thủ công mỹ nghệ:Handicraft|food:Chế biến nông, lâm, thủy sản và thực "          \
	"phẩm:Processed farm, forest and fishery products and food|machinery:Máy móc, thiết bị, "    \
	"dụng cụ cơ khí:Machinery and mechanical parts|other:Khác:Other"

static const struct field award_fields[] = {
	{"product_name", F_TEXT, "Tên sản phẩm", "Product", FF_REQUIRED | FF_SEARCH | FF_LIST |
	 FF_TITLE, 0, 0, 0, 0},
	{"establishment_id", F_REF, "Cơ sở", "Establishment", FF_REQUIRED | FF_LIST | FF_FILTER, 0,
	 "establishments", 0, 0},
	PROJECT_REF,
	{"level", F_ENUM, "Cấp công nhận", "Level", FF_REQUIRED | FF_LIST | FF_FILTER,
	 "district:Cấp huyện (đến 30/6/2025):District (until 2025-06-30)|commune:Cấp xã (từ "
	 "1/7/2025):Commune (from 2025-07-01)|province:Cấp tỉnh:Provincial|region:Cấp khu "
	 "vực:Regional|national:Cấp quốc gia:National",
	 0, 0, 0},
	{"product_group", F_ENUM, "Nhóm sản phẩm", "Product group", FF_REQUIRED | FF_LIST | FF_FILTER,
	 PRODUCT_GROUPS, 0, 0, 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"score", F_INT, "Điểm (thang 100)", "Score (of 100)", FF_LIST, 0, 0, 0, 100},
	{"certificate_no", F_TEXT, "Số giấy chứng nhận", "Certificate", FF_SEARCH, 0, 0, 0, 0},
	{"ocop_stars", F_INT, "Sao OCOP", "OCOP stars", FF_LIST | FF_FILTER, 0, 0, 1, 5},
	ILLUSTRATIVE,
	OLD_UNIT,
	{0},
};

static const struct field support_fields[] = {
	PROJECT_REF,
	{"establishment_id", F_REF, "Cơ sở", "Establishment", FF_REQUIRED | FF_LIST | FF_FILTER, 0,
	 "establishments", 0, 0},
	{"kind", F_ENUM, "Hình thức hỗ trợ", "Kind", FF_REQUIRED | FF_LIST | FF_FILTER | FF_TITLE,
	 "consulting:Tư vấn:Consulting|trademark:Đăng ký nhãn hiệu, sở hữu trí tuệ:Trademark and IP"
	 "|packaging:Thiết kế mẫu mã, bao bì:Packaging design|energy_audit:Kiểm toán năng "
	 "lượng:Energy audit|cleaner_production:Sản xuất sạch hơn:Cleaner production"
	 "|ecommerce:Thương mại điện tử:E-commerce|other:Khác:Other",
	 0, 0, 0},
	{"year", F_YEAR, "Năm", "Year", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"amount", F_MONEY, "Kinh phí hỗ trợ", "Support", FF_LIST, 0, 0, 0, 0},
	{"outcome", F_TEXT, "Kết quả", "Outcome", FF_SEARCH | FF_LIST, 0, 0, 0, 0},
	{"energy_saved", F_PERCENT, "Tiết kiệm năng lượng (%)", "Energy saved (%)", 0, 0, 0, 0, 1000},
	ILLUSTRATIVE,
	OLD_UNIT,
	{0},
};

static const struct field consultant_fields[] = {
	{"name", F_TEXT, "Họ tên", "Name", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0, 0, 0},
	{"expertise", F_TEXT, "Chuyên môn", "Expertise", FF_SEARCH | FF_LIST, 0, 0, 0, 0},
	{"province", F_PROVINCE, "Tỉnh/thành", "Province", FF_LIST, 0, 0, 0, 0},
	{"organisation", F_TEXT, "Cơ quan", "Organisation", FF_SEARCH, 0, 0, 0, 0},
	{"phone", F_TEXT, "Điện thoại", "Phone", 0, 0, 0, 0, 0},
	{"email", F_TEXT, "Thư điện tử", "Email", 0, 0, 0, 0, 0},
	{"certifications", F_LONGTEXT, "Chứng chỉ", "Certifications", 0, 0, 0, 0, 0},
	ILLUSTRATIVE,
	{0},
};

static const struct field assignment_fields[] = {
	{"consultant_id", F_REF, "Tư vấn viên", "Consultant", FF_REQUIRED | FF_LIST | FF_FILTER |
	 FF_TITLE, 0, "consultants", 0, 0},
	{"project_id", F_REF, "Đề án", "Project", FF_REQUIRED | FF_LIST | FF_FILTER, 0, "projects", 0,
	 0},
	{"role", F_ENUM, "Vai trò", "Role", FF_REQUIRED | FF_LIST | FF_FILTER,
	 "survey:Khảo sát:Survey|proposal:Xây dựng đề án:Proposal|appraisal:Thẩm định:Appraisal"
	 "|delivery:Thực hiện:Delivery",
	 0, 0, 0},
	{"note", F_TEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	{0},
};

static const struct field proposal_fields[] = {
	{"establishment_id", F_REF, "Cơ sở đề xuất", "Establishment", FF_REQUIRED | FF_LIST |
	 FF_FILTER, 0, "establishments", 0, 0},
	{"title", F_TEXT, "Tên đề xuất", "Title", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0,
	 0, 0},
	{"content_type", F_ENUM, "Nội dung khuyến công", "Content type",
	 FF_REQUIRED | FF_LIST | FF_FILTER, CONTENT_TYPES, 0, 0, 0},
	{"year", F_YEAR, "Năm đề nghị hỗ trợ", "Year of support", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"needs", F_LONGTEXT, "Nhu cầu hỗ trợ", "What is needed", FF_SEARCH, 0, 0, 0, 0},
	{"cost", F_MONEY, "Tổng kinh phí dự kiến", "Estimated cost", FF_LIST, 0, 0, 0, 0},
	{"counterpart", F_MONEY, "Vốn đối ứng của cơ sở", "Counterpart offered", FF_LIST, 0, 0, 0, 0},
	{"status", F_ENUM, "Trạng thái", "Status", FF_READONLY | FF_LIST | FF_FILTER,
	 PROPOSAL_STATUSES, 0, 0, 0},
	/* Set when first sent (model/proposal_thread.c): ĐX-YEAR-NNNN. */
	{"reference", F_TEXT, "Số đề xuất", "Reference", FF_READONLY | FF_LIST | FF_SEARCH, 0, 0, 0,
	 0},
	{"submitted_on", F_DATE, "Ngày gửi", "Sent on", FF_READONLY, 0, 0, 0, 0},
	{"project_id", F_REF, "Đề án được lập", "Resulting project", FF_READONLY, 0, "projects", 0,
	 0},
	{"review_note", F_LONGTEXT, "Ý kiến của Sở", "Department's comments", FF_READONLY, 0, 0, 0,
	 0},
	OLD_UNIT,
	{0},
};

/* What an establishment reports a year after its support (model/outcome.c). */
static const struct field outcome_fields[] = {
	{"establishment_id", F_REF, "Cơ sở", "Establishment", FF_REQUIRED | FF_LIST | FF_FILTER, 0,
	 "establishments", 0, 0},
	{"project_id", F_REF, "Đề án được hỗ trợ", "Project supported",
	 FF_LIST | FF_FILTER | FF_TITLE, 0, "projects", 0, 0},
	{"machinery_id", F_REF, "Máy móc được hỗ trợ", "Machinery supported", FF_FILTER, 0,
	 "machinery", 0, 0},
	{"year", F_YEAR, "Năm báo cáo", "Year reported", FF_REQUIRED | FF_LIST | FF_FILTER, 0, 0, 0,
	 0},
	{"revenue", F_MONEY, "Doanh thu trong năm (đồng)", "Revenue in the year (đồng)",
	 FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"workers", F_INT, "Số lao động", "Workers (jobs)", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"products", F_LONGTEXT, "Sản phẩm làm ra", "Products made", FF_SEARCH, 0, 0, 0, 0},
	{"machine_in_use", F_ENUM, "Máy móc còn sử dụng", "Machine in use", FF_REQUIRED | FF_FILTER,
	 "yes:Còn sử dụng:In use|no:Không còn sử dụng:Not in use|na:Không áp dụng:Not applicable",
	 0, 0, 0},
	{"note", F_LONGTEXT, "Ghi chú", "Note", 0, 0, 0, 0, 0},
	{"status", F_ENUM, "Trạng thái", "Status", FF_READONLY | FF_LIST | FF_FILTER,
	 "draft:Bản nháp:Draft|submitted:Đã gửi:Submitted|accepted:Đã chấp nhận:Accepted"
	 "|returned:Trả lại:Returned",
	 0, 0, 0},
	{"due_date", F_DATE, "Hạn báo cáo", "Due", FF_READONLY | FF_LIST, 0, 0, 0, 0},
	{"submitted_on", F_DATE, "Ngày gửi", "Sent on", FF_READONLY, 0, 0, 0, 0},
	{"review_note", F_LONGTEXT, "Ý kiến của Sở", "Department's comments", FF_READONLY, 0, 0, 0,
	 0},
	OLD_UNIT,
	{0},
};

static const struct field figure_fields[] = {
	{"indicator", F_TEXT, "Mã chỉ tiêu", "Indicator code",
	 FF_REQUIRED | FF_SEARCH | FF_LIST | FF_FILTER, 0, 0, 0, 0},
	{"subject", F_TEXT, "Nội dung", "What is counted",
	 FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0, 0, 0},
	{"unit_era", F_ENUM, "Đơn vị hành chính theo", "Units of", FF_REQUIRED | FF_FILTER,
	 "old:Trước 01/7/2025:Before 2025-07-01|new:Từ 01/7/2025:From 2025-07-01", 0, 0, 0},
	/* A province, an old district, a region or the nation (figure_validate
	 * requires one and moves a region or the nation to place_code). */
	{"unit_id", F_UNIT, "Địa bàn", "Place", FF_LIST, 0, "place", 0, 0},
	{"place_code", F_TEXT, "Toàn quốc / vùng", "Nation or region", FF_READONLY | FF_FILTER, 0,
	 0, 0, 0},
	{"period_from", F_YEAR, "Từ năm", "From", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"period_to", F_YEAR, "Đến năm", "To", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"value", F_QTY, "Giá trị", "Value", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"measure", F_TEXT, "Đơn vị tính", "Measure", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	/* The breakdowns the source gives: part of the figure's identity (an
	 * empty one covers every value). */
	{"content_type", F_ENUM, "Nội dung khuyến công", "Content type", FF_FILTER, CONTENT_TYPES,
	 0, 0, 0},
	{"funding", F_ENUM, "Nguồn kinh phí", "Funding source", FF_FILTER, FUNDING_SOURCES, 0, 0,
	 0},
	{"establishment_kind", F_ENUM, "Loại hình cơ sở", "Kind of establishment", FF_FILTER,
	 ESTABLISHMENT_KINDS, 0, 0, 0},
	{"product_group", F_ENUM, "Nhóm sản phẩm", "Product group", FF_FILTER, PRODUCT_GROUPS, 0, 0,
	 0},
	/* "Tổng": the total of the figures that name a breakdown it leaves empty;
	 * empty: one part among the others (docs/statistics.md). */
	{"scope", F_ENUM, "Phạm vi số liệu", "Scope", FF_FILTER, "total:Tổng:Total", 0, 0, 0},
	{"source_title", F_TEXT, "Nguồn (bài, văn bản)", "Source (article, document)",
	 FF_REQUIRED | FF_SEARCH, 0, 0, 0, 0},
	{"source_publisher", F_TEXT, "Cơ quan công bố", "Publisher", FF_SEARCH, 0, 0, 0, 0},
	{"source_date", F_DATE, "Ngày công bố", "Published", 0, 0, 0, 0, 0},
	{"source_url", F_TEXT, "Địa chỉ/tệp nguồn", "Source URL or file", 0, 0, 0, 0, 0},
	{"quote", F_LONGTEXT, "Trích nguyên văn", "Quotation", FF_SEARCH, 0, 0, 0, 0},
	{0},
};

/* Products, their lots and the dated steps of a lot: the public catalogue
 * and traceability (docs/public.md). */
static const struct field product_fields[] = {
	{"establishment_id", F_REF, "Cơ sở sản xuất", "Maker", FF_REQUIRED | FF_LIST | FF_FILTER, 0,
	 "establishments", 0, 0},
	{"name", F_TEXT, "Tên sản phẩm", "Product name", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE,
	 0, 0, 0, 0},
	{"category", F_ENUM, "Nhóm sản phẩm", "Category", FF_REQUIRED | FF_LIST | FF_FILTER,
	 PRODUCT_GROUPS, 0, 0, 0},
	{"description", F_LONGTEXT, "Mô tả", "Description", FF_SEARCH, 0, 0, 0, 0},
	{"gtin", F_TEXT, "Mã số thương phẩm GTIN (mã vạch)", "GTIN (barcode number)",
	 FF_SEARCH | FF_UNIQUE | FF_LIST, 0, 0, 0, 0},
	{"ocop_stars", F_INT, "Sao OCOP", "OCOP stars", FF_LIST | FF_FILTER, 0, 0, 1, 5},
	{"award_id", F_REF, "Công nhận sản phẩm CNNT tiêu biểu", "Typical product award", FF_FILTER,
	 0, "awards", 0, 0},
	{"channels", F_URLS, "Kênh bán hàng trực tuyến", "Online sales channels", 0, 0, 0, 0, 0},
	{"published", F_BOOL, "Công khai", "Published", FF_LIST | FF_FILTER, 0, 0, 0, 0},
	ILLUSTRATIVE,
	{"note", F_LONGTEXT, "Ghi chú nội bộ", "Internal note", 0, 0, 0, 0, 0},
	{0},
};

static const struct field lot_fields[] = {
	{"product_id", F_REF, "Sản phẩm", "Product", FF_REQUIRED | FF_LIST | FF_FILTER, 0, "products",
	 0, 0},
	{"establishment_id", F_REF, "Cơ sở sản xuất", "Maker", FF_READONLY, 0, "establishments", 0,
	 0},
	{"lot_code", F_TEXT, "Mã lô", "Lot code", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0,
	 0, 0},
	{"production_date", F_DATE, "Ngày sản xuất", "Produced on", FF_REQUIRED | FF_LIST, 0, 0, 0,
	 0},
	{"expiry_date", F_DATE, "Hạn sử dụng", "Best before", FF_LIST, 0, 0, 0, 0},
	{"quantity", F_INT, "Số lượng", "Quantity", FF_LIST, 0, 0, 0, 1000000000},
	{"quantity_unit", F_TEXT, "Đơn vị tính", "Unit", FF_LIST, 0, 0, 0, 0},
	{"inputs", F_JSON, "Nguyên liệu và nguồn gốc", "Inputs and their origin", 0, 0, 0, 0, 0},
	{"recalled", F_BOOL, "Đã thu hồi", "Recalled", FF_LIST | FF_FILTER, 0, 0, 0, 0},
	{"recall_reason", F_LONGTEXT, "Lý do thu hồi", "Reason for the recall", 0, 0, 0, 0, 0},
	ILLUSTRATIVE,
	{"note", F_LONGTEXT, "Ghi chú nội bộ", "Internal note", 0, 0, 0, 0, 0},
	{0},
};

static const struct field lot_event_fields[] = {
	{"lot_id", F_REF, "Lô sản phẩm", "Lot", FF_REQUIRED | FF_LIST | FF_FILTER, 0, "lots", 0, 0},
	{"establishment_id", F_REF, "Cơ sở sản xuất", "Maker", FF_READONLY, 0, "establishments", 0,
	 0},
	{"event_date", F_DATE, "Ngày", "Date", FF_REQUIRED | FF_LIST, 0, 0, 0, 0},
	{"what", F_TEXT, "Công đoạn", "Step", FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0, 0,
	 0},
	{"place", F_TEXT, "Địa điểm", "Where", FF_SEARCH | FF_LIST, 0, 0, 0, 0},
	{"who", F_TEXT, "Người, đơn vị thực hiện", "Who", FF_SEARCH | FF_LIST, 0, 0, 0, 0},
	ILLUSTRATIVE,
	{0},
};

/* The most support may be (model/caps.h): national caps (no province) from
 * the ministry's circulars, a province's own levels for its local funds from
 * its People's Council's resolution. The share is of the cost, the amount per
 * model or establishment; whichever is lower binds. */
static const struct field support_cap_fields[] = {
	{"content_type", F_ENUM, "Nội dung khuyến công", "Content type",
	 FF_REQUIRED | FF_LIST | FF_FILTER, CONTENT_TYPES, 0, 0, 0},
	{"source", F_ENUM, "Nguồn kinh phí", "Source of funds", FF_REQUIRED | FF_LIST | FF_FILTER,
	 FUNDING_KC, 0, 0, 0},
	{"province", F_PROVINCE, "Tỉnh/thành (kinh phí địa phương)", "Province (local funds)",
	 FF_LIST | FF_FILTER, 0, 0, 0, 0},
	{"max_share_permille", F_PERCENT, "Tỷ lệ tối đa của chi phí (%)",
	 "Largest share of the cost (%)", FF_LIST, 0, 0, 0, 1000},
	{"max_amount", F_MONEY, "Mức tối đa (đồng)", "Largest amount (đồng)", FF_LIST, 0, 0, 0, 0},
	{"per_what", F_ENUM, "Mức tối đa tính cho mỗi", "The amount is per", FF_REQUIRED | FF_LIST,
	 "establishment:Cơ sở:Establishment|model:Mô hình:Model", 0, 0, 0},
	{"legal_basis", F_TEXT, "Căn cứ (số nghị quyết, quyết định, thông tư)",
	 "Legal basis (resolution, decision or circular)",
	 FF_REQUIRED | FF_SEARCH | FF_LIST | FF_TITLE, 0, 0, 0, 0},
	{"valid_from", F_DATE, "Hiệu lực từ ngày", "In force from", FF_REQUIRED | FF_LIST, 0, 0, 0,
	 0},
	{"valid_to", F_DATE, "Hết hiệu lực sau ngày", "In force until", FF_LIST, 0, 0, 0, 0},
	{"note", F_LONGTEXT, "Ghi chú", "Note", FF_SEARCH, 0, 0, 0, 0},
	{0},
};

const struct entity entities[] = {
	{
		.collection = "establishments",
		.table = "establishments",
		.vi = "cơ sở CNNT",
		.en = "establishment",
		.plural_vi = "Cơ sở CNNT",
		.plural_en = "Establishments",
		.fields = establishment_fields,
		.prov = PROV_UNIT,
		.prov_field = "commune_id",
		.est_field = "id",
		.validate = establishment_validate,
		.est_writes = 1,
		.keys = {"tax_code", "name+commune_id"},
		.aliases = {"tax_code=MST|Mã số DN|Mã số doanh nghiệp|Mã số thuế/CCCD",
			    "name=Tên doanh nghiệp|Tên DN|Tên HTX|Tên cơ sở sản xuất|Cơ sở",
			    "kind=Loại hình doanh nghiệp|Loại hình DN",
			    "workers=Lao động|Tổng số lao động|Tổng lao động|Số LĐ",
			    "workers_female=LĐ nữ|Số lao động nữ", "founded_year=Năm TL",
			    "phone=SĐT|Số điện thoại", "email=Email|E-mail",
			    "industry_code=Mã ngành|Ngành nghề (VSIC)", "address=Địa chỉ trụ sở",
			    "contact_name=Người đại diện|Chủ cơ sở"},
	},
	{
		.collection = "villages",
		.table = "villages",
		.vi = "làng nghề",
		.en = "craft village",
		.plural_vi = "Làng nghề",
		.plural_en = "Craft villages",
		.fields = village_fields,
		.prov = PROV_UNIT,
		.prov_field = "commune_id",
		.keys = {"name+commune_id"},
		.aliases = {"name=Làng nghề|Tên làng", "craft=Nghề|Ngành nghề",
			    "decision_date=Ngày quyết định"},
	},
	{
		.collection = "village-years",
		.table = "village_years",
		.vi = "số liệu năm của làng nghề",
		.en = "village yearly figures",
		.plural_vi = "Số liệu làng nghề theo năm",
		.plural_en = "Village yearly figures",
		.fields = village_year_fields,
		.prov = PROV_PARENT,
		.prov_field = "village_id",
		.year_field = "year",
		.parent_field = "village_id",
		.keys = {"village_id+year"},
		.aliases = {"households=Tổng số hộ", "workers=Lao động"},
	},
	{
		.collection = "programmes",
		.table = "programmes",
		.vi = "chương trình",
		.en = "programme",
		.plural_vi = "Chương trình",
		.plural_en = "Programmes",
		.fields = programme_fields,
		.prov = PROV_FIELD,
		.prov_field = "province",
		.validate = programme_validate,
		.keys = {"code", "name+period_from"},
		.aliases = {"name=Chương trình|Tên"},
	},
	{
		.collection = "targets",
		.table = "targets",
		.vi = "mục tiêu",
		.en = "target",
		.plural_vi = "Mục tiêu",
		.plural_en = "Targets",
		.fields = target_fields,
		.prov = PROV_PARENT,
		.prov_field = "programme_id",
		.year_field = "year",
		.parent_field = "programme_id",
		.keys = {"programme_id+indicator+year?"},
		.aliases = {"indicator=Mã chỉ tiêu"},
	},
	{
		.collection = "plans",
		.table = "plans",
		.vi = "kế hoạch khuyến công",
		.en = "annual plan",
		.plural_vi = "Kế hoạch năm",
		.plural_en = "Annual plans",
		.fields = plan_fields,
		.prov = PROV_FIELD,
		.prov_field = "province",
		.year_field = "year",
		.keys = {"province+year+name"},
		.aliases = {"name=Kế hoạch"},
	},
	{
		.collection = "projects",
		.table = "projects",
		.vi = "đề án",
		.en = "project",
		.plural_vi = "Đề án",
		.plural_en = "Projects",
		.fields = project_fields,
		.prov = PROV_FIELD,
		.prov_field = "province",
		.est_field = "establishment_id",
		.year_field = "year",
		.validate = project_validate,
		.keys = {"code", "title+year+province"},
		.aliases = {"code=Mã số đề án|Số hiệu đề án", "title=Tên đề án khuyến công|Đề án",
			    "cost_total=Tổng kinh phí|Tổng kinh phí thực hiện",
			    "implementing_unit=Đơn vị chủ trì|Đơn vị thực hiện đề án"},
	},
	{
		.collection = "project-events",
		.table = "project_events",
		.vi = "bước của đề án",
		.en = "project step",
		.plural_vi = "Tiến trình đề án",
		.plural_en = "Project steps",
		.fields = event_fields,
		.prov = PROV_PARENT,
		.prov_field = "project_id",
		.year_field = "event_date",
		.parent_field = "project_id",
		.history = 1,
		.keys = {"project_id+status+event_date"},
		.aliases = {"event_date=Ngày quyết định"},
	},
	{
		.collection = "beneficiaries",
		.table = "beneficiaries",
		.vi = "cơ sở thụ hưởng",
		.en = "beneficiary",
		.plural_vi = "Cơ sở thụ hưởng",
		.plural_en = "Beneficiaries",
		.fields = beneficiary_fields,
		.prov = PROV_PARENT,
		.prov_field = "project_id",
		.est_field = "establishment_id",
		.parent_field = "project_id",
		.validate = beneficiary_validate,
		.keys = {"project_id+establishment_id"},
		.aliases = {"support_amount=Kinh phí"},
	},
	{
		.collection = "training-classes",
		.table = "training_classes",
		.vi = "lớp đào tạo",
		.en = "training class",
		.plural_vi = "Lớp đào tạo",
		.plural_en = "Training classes",
		.fields = training_fields,
		.prov = PROV_FIELD,
		.prov_field = "province",
		.year_field = "year",
		.parent_field = "project_id",
		.validate = training_validate,
		.content = "management=management,startup|cleaner_production=cleaner_production"
			   "|capacity=officials|training",
		.keys = {"project_id+topic+year+date_from?", "province+topic+year+date_from?"},
		.aliases = {"topic=Nghề|Nghề đào tạo|Chủ đề|Tên lớp",
			    "trainees=Số học viên|Số lượng học viên",
			    "trainees_female=Học viên nữ|Số học viên nữ", "place=Địa điểm tổ chức"},
	},
	{
		.collection = "demo-models",
		.table = "demo_models",
		.vi = "mô hình trình diễn",
		.en = "demonstration model",
		.plural_vi = "Mô hình trình diễn",
		.plural_en = "Demonstration models",
		.fields = demo_fields,
		.prov = PROV_PARENT,
		.prov_field = "establishment_id",
		.est_field = "establishment_id",
		.year_field = "year",
		.parent_field = "establishment_id",
		.validate = demo_validate,
		.content = "demo_model",
		.keys = {"establishment_id+technology+year"},
		.aliases = {"technology=Tên mô hình|Mô hình"},
	},
	{
		.collection = "machinery",
		.table = "machinery",
		.vi = "hỗ trợ máy móc thiết bị",
		.en = "machinery support",
		.plural_vi = "Hỗ trợ máy móc thiết bị",
		.plural_en = "Machinery support",
		.fields = machinery_fields,
		.prov = PROV_PARENT,
		.prov_field = "establishment_id",
		.est_field = "establishment_id",
		.year_field = "year",
		.parent_field = "establishment_id",
		.validate = machinery_validate,
		.content = "machinery",
		.keys = {"establishment_id+equipment+year"},
		.aliases = {"equipment=Tên máy móc thiết bị|Thiết bị"},
	},
	{
		.collection = "trade-fairs",
		.table = "trade_fairs",
		.vi = "hội chợ, triển lãm",
		.en = "trade fair",
		.plural_vi = "Hội chợ, triển lãm",
		.plural_en = "Trade fairs",
		.fields = fair_fields,
		.prov = PROV_FIELD,
		.prov_field = "province",
		.year_field = "year",
		.parent_field = "project_id",
		.validate = fair_validate,
		.content = "fairs",
		.keys = {"project_id+name+year+date_from?", "name+year+date_from?+province?"},
		.aliases = {"name=Hội chợ|Triển lãm|Tên hội chợ", "booths=Gian hàng"},
	},
	{
		.collection = "awards",
		.table = "awards",
		.vi = "sản phẩm CNNT tiêu biểu",
		.en = "typical product award",
		.plural_vi = "Sản phẩm CNNT tiêu biểu",
		.plural_en = "Typical product awards",
		.fields = award_fields,
		.prov = PROV_PARENT,
		.prov_field = "establishment_id",
		.est_field = "establishment_id",
		.year_field = "year",
		.parent_field = "establishment_id",
		.validate = award_validate,
		.content = "typical_product",
		.keys = {"establishment_id+product_name+level+year"},
		.aliases = {"product_name=Sản phẩm|Tên sản phẩm CNNT tiêu biểu",
			    "certificate_no=Số giấy chứng nhận"},
	},
	{
		.collection = "other-support",
		.table = "other_support",
		.vi = "hỗ trợ khác",
		.en = "other support",
		.plural_vi = "Hỗ trợ khác",
		.plural_en = "Other support",
		.fields = support_fields,
		.prov = PROV_PARENT,
		.prov_field = "establishment_id",
		.est_field = "establishment_id",
		.year_field = "year",
		.parent_field = "establishment_id",
		.content = "consulting=consulting,trademark,packaging"
			   "|cleaner_production=energy_audit,cleaner_production|digital=ecommerce",
		.keys = {"establishment_id+kind+year+project_id?"},
		.aliases = {"amount=Kinh phí"},
	},
	{
		.collection = "consultants",
		.table = "consultants",
		.vi = "tư vấn viên",
		.en = "consultant",
		.plural_vi = "Tư vấn viên",
		.plural_en = "Consultants",
		.fields = consultant_fields,
		.prov = PROV_FIELD,
		.prov_field = "province",
		.keys = {"name+province?"},
		.aliases = {"name=Tư vấn viên|Chuyên gia"},
	},
	{
		.collection = "consultant-assignments",
		.table = "consultant_assignments",
		.vi = "phân công tư vấn",
		.en = "consultant assignment",
		.plural_vi = "Phân công tư vấn",
		.plural_en = "Consultant assignments",
		.fields = assignment_fields,
		.prov = PROV_PARENT,
		.prov_field = "project_id",
		.parent_field = "project_id",
		.keys = {"consultant_id+project_id+role"},
	},
	{
		.collection = "proposals",
		.table = "proposals",
		.vi = "đề xuất của cơ sở",
		.en = "proposal",
		.plural_vi = "Đề xuất của cơ sở",
		.plural_en = "Proposals",
		.fields = proposal_fields,
		.prov = PROV_PARENT,
		.prov_field = "establishment_id",
		.est_field = "establishment_id",
		.year_field = "year",
		.parent_field = "establishment_id",
		.validate = proposal_validate,
		.may_change = proposal_may_change,
		.est_writes = 1,
		.keys = {"establishment_id+title+year"},
		.aliases = {"title=Đề xuất|Nội dung đề xuất"},
	},
	{
		.collection = "outcome-reports",
		.table = "outcome_reports",
		.vi = "báo cáo kết quả sau hỗ trợ",
		.en = "outcome report",
		.plural_vi = "Báo cáo kết quả sau hỗ trợ",
		.plural_en = "Outcome reports",
		.fields = outcome_fields,
		.prov = PROV_PARENT,
		.prov_field = "establishment_id",
		.est_field = "establishment_id",
		.year_field = "year",
		.parent_field = "establishment_id",
		.validate = outcome_validate,
		.may_change = outcome_may_change,
		.est_writes = 1,
		.keys = {"establishment_id+project_id?+machinery_id?+year"},
	},
	{
		.collection = "figures",
		.table = "figures",
		.vi = "số liệu báo cáo",
		.en = "reported figure",
		.plural_vi = "Số liệu báo cáo",
		.plural_en = "Reported figures",
		.fields = figure_fields,
		.prov = PROV_UNIT,
		.prov_field = "unit_id",
		.year_field = "period_from",
		.validate = figure_validate,
		.keys = {"indicator+unit_id?+place_code?+period_from+period_to+content_type?+"
			 "funding?+establishment_kind?+product_group?+scope?"},
		.aliases = {"indicator=Chỉ tiêu", "unit_id=Tỉnh|Tỉnh/thành|Địa phương",
			    "value=Số liệu|Giá trị báo cáo"},
	},
	{
		.collection = "products",
		.table = "products",
		.vi = "sản phẩm",
		.en = "product",
		.plural_vi = "Sản phẩm",
		.plural_en = "Products",
		.fields = product_fields,
		.prov = PROV_PARENT,
		.prov_field = "establishment_id",
		.est_field = "establishment_id",
		.parent_field = "establishment_id",
		.validate = product_validate,
		.est_writes = 1,
		.keys = {"gtin", "establishment_id+name"},
		.aliases = {"name=Sản phẩm|Tên hàng", "gtin=GTIN|Mã vạch"},
	},
	{
		.collection = "lots",
		.table = "lots",
		.vi = "lô sản phẩm",
		.en = "product lot",
		.plural_vi = "Lô sản phẩm",
		.plural_en = "Product lots",
		.fields = lot_fields,
		.prov = PROV_PARENT,
		.prov_field = "product_id",
		.est_field = "establishment_id",
		.year_field = "production_date",
		.parent_field = "product_id",
		.validate = lot_validate,
		.est_writes = 1,
		.keys = {"product_id+lot_code"},
		.aliases = {"lot_code=Lô|Số lô"},
	},
	{
		.collection = "lot-events",
		.table = "lot_events",
		.vi = "công đoạn của lô",
		.en = "lot step",
		.plural_vi = "Nhật ký lô sản phẩm",
		.plural_en = "Lot steps",
		.fields = lot_event_fields,
		.prov = PROV_PARENT,
		.prov_field = "lot_id",
		.est_field = "establishment_id",
		.year_field = "event_date",
		.parent_field = "lot_id",
		.validate = lot_event_validate,
		.est_writes = 1,
		.keys = {"lot_id+event_date+what"},
	},
	{
		.collection = "support-caps",
		.table = "support_caps",
		.vi = "mức hỗ trợ tối đa",
		.en = "support cap",
		.plural_vi = "Mức hỗ trợ tối đa",
		.plural_en = "Support caps",
		.fields = support_cap_fields,
		.prov = PROV_FIELD,
		.prov_field = "province",
		.year_field = "valid_from",
		.validate = support_cap_validate,
		.keys = {"content_type+source+province?+per_what+valid_from"},
		.aliases = {"legal_basis=Căn cứ|Nghị quyết|Số nghị quyết"},
	},
	{0},
};

const struct entity *entity_find(const char *collection)
{
	for (const struct entity *e = entities; e->collection; e++)
		if (!strcmp(e->collection, collection))
			return e;
	return NULL;
}

const char *entity_content(const struct entity *ent)
{
	const char *c = ent ? ent->content : NULL;
	const char *last = c ? strrchr(c, '|') : NULL;
	last = last ? last + 1 : c; /* the last part ends the text */
	return last && !strchr(last, '=') ? last : NULL;
}

const struct field *entity_field(const struct entity *ent, const char *name)
{
	for (const struct field *f = ent->fields; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

const struct field *entity_title(const struct entity *ent)
{
	for (const struct field *f = ent->fields; f->name; f++)
		if (f->flags & FF_TITLE)
			return f;
	return ent->fields;
}

int field_is_number(const struct field *f)
{
	return f->type == F_INT || f->type == F_MONEY || f->type == F_YEAR ||
	       f->type == F_PERCENT || f->type == F_QTY;
}

const char *field_label(const struct field *f, const char *lang)
{
	return lang && !strcmp(lang, "en") ? f->en : f->vi;
}

int field_enum_label(const struct field *f, const char *code, const char *lang, char *out, size_t n)
{
	size_t len = strlen(code);
	int en = lang && !strcmp(lang, "en");
	for (const char *p = f->values; p && *p;) {
		const char *c1 = strchr(p, ':');
		const char *bar = strchr(p, '|');
		const char *end = bar ? bar : p + strlen(p);
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(end - c1 - 1)) : NULL;
		if (c1 && c2 && (size_t)(c1 - p) == len && !strncmp(p, code, len)) {
			const char *from = en ? c2 + 1 : c1 + 1;
			const char *to = en ? end : c2;
			snprintf(out, n, "%.*s", (int)(to - from), from);
			return 1;
		}
		p = bar ? bar + 1 : NULL;
	}
	snprintf(out, n, "%s", code);
	return 0;
}
