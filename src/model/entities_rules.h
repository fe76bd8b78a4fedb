/* entities_rules.h - the cross-field rules of the record types and the
 * status lists their lifecycles use. */
#ifndef KC_ENTITIES_RULES_H
#define KC_ENTITIES_RULES_H

#include "model/entity.h"

#define PROJECT_STATUSES                                                                          \
	"draft:Dự thảo:Draft|province_appraised:Sở Công Thương đã thẩm định:Appraised by the "      \
	"province|ministry_appraised:Cục đã thẩm định:Appraised by the ministry"                      \
	"|needs_supplement:Cần bổ sung:Needs supplement|rejected:Không phê duyệt:Rejected"           \
	"|approved:Đã phê duyệt:Approved|contracted:Đã ký hợp đồng:Contract signed"                   \
	"|advanced:Đã tạm ứng:Advance paid|in_progress:Đang thực hiện:In progress"                   \
	"|adjusted:Đã điều chỉnh:Adjusted|accepted:Đã nghiệm thu:Accepted (nghiệm thu)"              \
	"|settled:Đã quyết toán:Settled (quyết toán)|cancelled:Đã hủy:Cancelled"

#define PROPOSAL_STATUSES                                                                         \
	"draft:Đang soạn:Draft|submitted:Đã gửi:Submitted|needs_supplement:Cần bổ sung:Needs "       \
	"supplement|accepted:Được chấp nhận:Accepted|rejected:Không chấp nhận:Rejected"              \
	"|converted:Đã lập đề án:Turned into a project"

int establishment_validate(struct store *st, const struct entity *ent, json_t *rec,
                           struct err *e);
int programme_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e);
int project_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e);
int training_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e);
int fair_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e);
int award_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e);
int proposal_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e);
/* A figure's converted unit_id that names the nation or a region (its code,
 * text) moves to place_code; a unit's id clears place_code. */
void figure_place_split(json_t *rec);
/* A proposal is the establishment's to change while a draft or sent back
 * for supplement; once submitted only its workflow moves it (409 naming the
 * status). Staff may still correct it. */
int proposal_may_change(const struct actor *a, json_t *stored, struct err *e);
int figure_validate(struct store *st, const struct entity *ent, json_t *rec, struct err *e);

/* Checks a Vietnamese tax code: 10 digits with the check digit, optionally
 * "-NNN" for a branch, or a 12-digit personal identification number (used
 * as the tax code of household businesses since 2025). 0 or ERR_INVALID. */
int tax_code_check(const char *code, struct err *e);

#endif
