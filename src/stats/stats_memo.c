/* stats_memo.c - recent statistics of one connection (see stats_memo.h). */
#include "stats/stats_memo.h"

#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

enum { MEMO_SIZE = 128 };

struct memo_entry {
	char *key, *version;
	json_t *out;
};

struct memo {
	struct memo_entry v[MEMO_SIZE];
	size_t next; /* the slot to fill next: the oldest */
	unsigned long hits;
};

static void entry_clear(struct memo_entry *m)
{
	free(m->key);
	free(m->version);
	json_decref(m->out);
	memset(m, 0, sizeof *m);
}

static void memo_free(void *p)
{
	struct memo *m = p;
	for (size_t i = 0; i < MEMO_SIZE; i++)
		entry_clear(&m->v[i]);
	free(m);
}

static struct memo *memo_of(struct store *st, int create)
{
	struct memo *m = store_memo(st);
	if (!m && create) {
		m = xcalloc(1, sizeof *m);
		store_set_memo(st, m, memo_free);
	}
	return m;
}

json_t *stats_memo_get(struct store *st, const char *key, const char *version)
{
	struct memo *m = memo_of(st, 0);
	if (!m || !*version)
		return NULL;
	for (size_t i = 0; i < MEMO_SIZE; i++) {
		struct memo_entry *x = &m->v[i];
		if (x->key && !strcmp(x->key, key)) {
			if (strcmp(x->version, version)) {
				entry_clear(x); /* the data changed since */
				return NULL;
			}
			m->hits++;
			return json_deep_copy(x->out);
		}
	}
	return NULL;
}

void stats_memo_put(struct store *st, const char *key, const char *version, json_t *out)
{
	if (!*version)
		return;
	struct memo *m = memo_of(st, 1);
	/* A slot left empty by a stale result (stats_memo_get) first: after a
	 * write, a dashboard's statistics computed again take their old slots
	 * back instead of pushing out what is still valid (the establishments'
	 * count by province, 20-60 ms at national scale: issue 17). */
	struct memo_entry *x = NULL;
	for (size_t i = 0; i < MEMO_SIZE && !x; i++)
		if (!m->v[i].key)
			x = &m->v[i];
	if (!x) {
		x = &m->v[m->next];
		m->next = (m->next + 1) % MEMO_SIZE;
	}
	entry_clear(x);
	x->key = xstrdup(key);
	x->version = xstrdup(version);
	x->out = json_deep_copy(out);
}

unsigned long stats_memo_hits(struct store *st)
{
	struct memo *m = memo_of(st, 0);
	return m ? m->hits : 0;
}
