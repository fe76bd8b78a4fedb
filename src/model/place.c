/* place.c - the nation and the six socio-economic regions as places of
 * reported figures (place.h). One table, written once. */
#include "model/place.h"

#include "core/vtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The six socio-economic regions of the national master plan 2021-2030
 * (Resolution 81/2023/QH15, art. 2); the nation first. Names are matched
 * folded (no marks, đ -> d), with or without "vùng". */
static const struct place {
	const char *code, *vi, *en, *alias;
} places[] = {
	{"VN", "Toàn quốc", "Nationwide", "cả nước"},
	{"R1", "Trung du và miền núi phía Bắc", "Northern Midlands and Mountains", NULL},
	{"R2", "Đồng bằng sông Hồng", "Red River Delta", NULL},
	{"R3", "Bắc Trung Bộ và duyên hải miền Trung", "North Central and Central Coast", NULL},
	{"R4", "Tây Nguyên", "Central Highlands", NULL},
	{"R5", "Đông Nam Bộ", "Southeast", NULL},
	{"R6", "Đồng bằng sông Cửu Long", "Mekong River Delta", NULL},
};
#define NPLACES (sizeof places / sizeof places[0])

static int folded_is(const char *folded, const char *name)
{
	if (!name)
		return 0;
	char *f = vtext_fold(name);
	int hit = !strcmp(folded, f);
	free(f);
	return hit;
}

int place_parse(const char *text, char out[PLACE_CODE_MAX])
{
	out[0] = 0;
	if (!text || !*text)
		return -1;
	char *f = vtext_fold(text);
	const char *t = f;
	while (*t == ' ')
		t++;
	if (!strncmp(t, "vung ", 5))
		t += 5;
	int found = -1;
	for (size_t i = 0; i < NPLACES && found < 0; i++) {
		char code[PLACE_CODE_MAX];
		snprintf(code, sizeof code, "%s", places[i].code);
		char *fc = vtext_fold(code);
		if (!strcmp(t, fc) || folded_is(t, places[i].vi) || folded_is(t, places[i].en) ||
		    folded_is(t, places[i].alias))
			found = (int)i;
		free(fc);
	}
	free(f);
	if (found < 0)
		return -1;
	snprintf(out, PLACE_CODE_MAX, "%s", places[found].code);
	return 0;
}

const char *place_name(const char *code, const char *lang)
{
	for (size_t i = 0; code && i < NPLACES; i++)
		if (!strcmp(code, places[i].code))
			return lang && !strcmp(lang, "en") ? places[i].en : places[i].vi;
	return NULL;
}

int place_is_nation(const char *code)
{
	return code && !strcmp(code, "VN");
}
