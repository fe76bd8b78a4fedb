/* place.h - the places a reported figure may have above a province: the
 * nation ("Toàn quốc", code VN) and the six socio-economic regions (vùng
 * kinh tế - xã hội, Resolution 81/2023/QH15; codes R1..R6). They are not
 * administrative units (no table row, no succession): a figure of the nation
 * or a region keeps the place's code in figures.place_code and no unit. */
#ifndef KC_PLACE_H
#define KC_PLACE_H

#include <stddef.h>

/* Longest place code plus NUL. */
#define PLACE_CODE_MAX 8

/* Resolves text - a code ("VN", "R3") or a name with or without diacritics
 * ("Toàn quốc", "cả nước", "toan quoc", "vùng Đồng bằng sông Hồng") - to the
 * place's code in out; 0 when found, -1 otherwise (text is then no place
 * above a province; an empty text is none). */
int place_parse(const char *text, char out[PLACE_CODE_MAX]);

/* The Vietnamese (lang "vi") or English name of place code, or NULL when
 * code is no such place. Static storage. */
const char *place_name(const char *code, const char *lang);

/* 1 for the nation's code. */
int place_is_nation(const char *code);

#endif
