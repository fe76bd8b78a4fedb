/* record_sql.h - the SQL of each entity, built once from the descriptions
 * (constant text only; values are always bound). Private to model/record*.c. */
#ifndef KC_RECORD_SQL_H
#define KC_RECORD_SQL_H

#include "model/entity.h"

enum { SEARCH_WORDS = 5 };

struct ent_sql {
	char *select;      /* SELECT columns FROM table t LEFT JOIN ... (no WHERE) */
	char *by_id;       /* select + WHERE t.id = ? */
	char *insert;      /* INSERT INTO table (...) VALUES (...) */
	char *update;      /* UPDATE table SET ... WHERE id = ? AND version = ? */
	char *remove;      /* DELETE FROM table WHERE id = ? AND version = ? */
	char *unique[8];   /* per FF_UNIQUE field: SELECT id ... WHERE f = ? AND id <> ? */
	int nbase;         /* number of leading system columns (id, version, ...) */
	int nfieldcols;    /* columns of fields (F_QTY takes four) */
};

/* The SQL of ent (built on first use, thread-safe, lives for the process). */
const struct ent_sql *ent_sql(const struct entity *ent);
/* The index of ent in entities[]. */
int entity_index(const struct entity *ent);

#endif
