/* caps.h - the support caps in force: legal limits on khuyến công support
 * kept as data (record type support-caps: content type, source of funds,
 * province, share of the cost and amount, legal basis, validity), read by the
 * rules that refuse support over a cap and by the forms that show the limits.
 * National caps have no province; a province keeps the levels of its local
 * funds (its People's Council's resolution) as rows of source "local". */
#ifndef KC_CAPS_H
#define KC_CAPS_H

#include "core/buf.h"
#include "core/err.h"
#include "model/entity.h"
#include "store/store.h"

#include <stdint.h>

enum { CAPS_MAX = 8 };

struct support_cap {
	char content_type[32], source[16];
	int64_t share_permille; /* of the cost; -1 when none */
	int64_t amount;         /* đồng per what; -1 when none */
	char per[32];           /* what the amount is per: "model", "establishment" */
	char basis[96];         /* the legal basis, e.g. "Thông tư 28/2018/TT-BTC" */
	char province[8];	/* "" for a national cap */
};

/* The national caps (no province) in force on 31/12 of year for content
 * type ct (NULL: every type) paid from source ("national", "local"; NULL:
 * any): at most CAPS_MAX into caps. Returns how many (0 when none, or when
 * the store fails). */
int caps_in_force(struct store *st, const char *ct, const char *source, int64_t year,
                  struct support_cap caps[CAPS_MAX]);
/* The levels province (today's code) set for its local funds, in force on
 * 31/12 of year, for content type ct (NULL: every type); as caps_in_force. */
int caps_local(struct store *st, const char *ct, const char *province, int64_t year,
	       struct support_cap caps[CAPS_MAX]);
/* The lowest limit caps[0..n) set for cost (per_one: the amounts count
 * too); -1 when none sets one. *which: the index of the cap that binds. */
int64_t caps_limit(const struct support_cap *caps, int n, int64_t cost, int per_one, int *which);
/* The rules of a support cap record: a local level names its province, a
 * national cap none; a share or an amount; a validity in order that
 * overlaps no other cap of the same content, source, province and unit. */
int support_cap_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l);
/* The most that cap c allows for a cost (cost < 0: unknown, only the amount
 * counts); -1 when it sets no bound. */
int64_t cap_limit(const struct support_cap *c, int64_t cost);
/* Adds to l an error on field f for each cap of caps[0..n) that amount
 * exceeds: its share of cost (when cost > 0) and, when per_one (the amount
 * goes to one model or establishment), its amount. Messages name the cap,
 * the limit in money and the legal basis. */
void caps_check(const struct support_cap *caps, int n, int64_t amount, int64_t cost, int per_one,
                const struct field *f, struct errs *l);
/* Appends cap c in words, Vietnamese then English after " / " (the pages
 * show the reader's half): "tối đa 50% chi phí và 300 triệu đồng/cơ sở
 * (Thông tư 28/2018/TT-BTC) / at most ...". */
void cap_describe(struct buf *b, const struct support_cap *c);

#endif
