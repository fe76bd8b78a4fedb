/* clock.h - the time as the system records it. */
#ifndef KC_CLOCK_H
#define KC_CLOCK_H

#include <stdint.h>

/* Seconds since the epoch. */
int64_t clock_now(void);
/* Monotonic microseconds, for durations. */
int64_t clock_usec(void);
/* Today's date (UTC) as ISO "yyyy-mm-dd" into out[11]. */
void clock_today(char out[11]);
/* Today's date in Vietnam (Asia/Ho_Chi_Minh: UTC+7, no daylight saving since
 * 1975) as "yyyy-mm-dd": the day a document made now is dated. */
void clock_today_vn(char out[11]);
/* ISO-8601 UTC text of t ("2026-11-25T14:36:40Z") into out[21]. */
void clock_iso(int64_t t, char out[21]);

#endif
