/* unit_index.h - the units table in memory, for unit.c only: an importer
 * resolves thousands of distinct names, and each of unit.c's queries (a
 * LIKE over every name) costs milliseconds. The index answers the same two
 * questions with the same rules from sorted keys. The public half
 * (unit_index_load/free) is in unit.h. */
#ifndef KC_UNIT_INDEX_H
#define KC_UNIT_INDEX_H

#include "model/unit.h"

/* What a search filters by; NULL fields do not filter. code and name are
 * folded (vtext_fold), name without its type word. */
struct uix_filter {
	const char *era, *level, *type;
	const char *code, *name;
};

/* The rows (versions) whose code, or name, equals f's, or has an alias of
 * that kind that does (unit.c's resolve_*_sql, level not filtered), in the
 * order of their query: era, level, code, current version first. At most
 * max ids go to ids; returns how many. */
int uix_exact(const struct unit_index *ix, const struct uix_filter *f, int64_t *ids, int max);

/* How many rows unit_search's condition (SEARCH_WHERE, no province) keeps:
 * f's code equals the row's or an alias's; f's name starts a word of the
 * row's name or of an alias (LIKE '% name%'); current versions only unless
 * a type is asked for. Counts up to 2; *id is the row when there is one. */
int uix_search_count(const struct unit_index *ix, const struct uix_filter *f, int64_t *id);

#endif
