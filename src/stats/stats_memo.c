/* stats_memo.c - recent statistics of one connection, or of the connections
 * of one server (see stats_memo.h). */
#include "stats/stats_memo.h"

#include "core/mem.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Room for the dashboards of a few provinces and of the nation (~45
 * results each), shared by the server's threads. */
enum { MEMO_SIZE = 512 };

struct memo_entry {
	uint64_t hash; /* of key: most slots are told apart without a strcmp */
	char *key, *version;
	json_t *out; /* never changed once kept: readers copy it unlocked */
};

struct memo {
	pthread_mutex_t lock; /* the entries, next and hits, between connections */
	int users;	      /* connections using it (stats_memo_share) */
	struct memo_entry v[MEMO_SIZE];
	size_t next; /* the slot to fill next: the oldest */
	unsigned long hits;
};

/* FNV-1a: keys share long prefixes (the indicator, the query), so comparing
 * each of the slots' keys in full was a visible part of a warm dashboard. */
static uint64_t key_hash(const char *key)
{
	uint64_t h = 14695981039346656037u;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return h;
}

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
	pthread_mutex_lock(&m->lock);
	int last = --m->users == 0;
	pthread_mutex_unlock(&m->lock);
	if (!last)
		return;
	for (size_t i = 0; i < MEMO_SIZE; i++)
		entry_clear(&m->v[i]);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

static struct memo *memo_of(struct store *st, int create)
{
	struct memo *m = store_memo(st);
	if (!m && create) {
		m = xcalloc(1, sizeof *m);
		pthread_mutex_init(&m->lock, NULL);
		m->users = 1;
		store_set_memo(st, m, memo_free);
	}
	return m;
}

void stats_memo_share(struct store *from, struct store *to)
{
	struct memo *m = memo_of(from, 1);
	if (from == to)
		return;
	pthread_mutex_lock(&m->lock);
	m->users++;
	pthread_mutex_unlock(&m->lock);
	store_set_memo(to, m, memo_free);
}

json_t *stats_memo_get(struct store *st, const char *key, const char *version)
{
	json_t *kept = stats_memo_peek(st, key, version);
	json_t *copy = kept ? json_deep_copy(kept) : NULL;
	json_decref(kept);
	return copy;
}

json_t *stats_memo_peek(struct store *st, const char *key, const char *version)
{
	struct memo *m = memo_of(st, 0);
	if (!m || !*version)
		return NULL;
	json_t *kept = NULL;
	uint64_t h = key_hash(key);
	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < MEMO_SIZE; i++) {
		struct memo_entry *x = &m->v[i];
		if (x->key && x->hash == h && !strcmp(x->key, key)) {
			if (strcmp(x->version, version)) {
				/* the data changed since; a connection still reading
				 * the older version (its request began before the
				 * write) computes its own and keeps it, or not */
				entry_clear(x);
				break;
			}
			m->hits++;
			kept = json_incref(x->out); /* jansson counts atomically */
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return kept;
}

int stats_memo_lookup(struct store *st, const char *const *tables, const char *key, char *version,
		      size_t n, json_t **kept, struct err *e)
{
	*kept = NULL;
	version[0] = '\0';
	if (store_table_versions(st, tables, version, n, e) < 0) {
		version[0] = '\0';
		return ERR_STORE;
	}
	*kept = stats_memo_peek(st, key, version);
	return 0;
}

void stats_memo_put(struct store *st, const char *key, const char *version, json_t *out)
{
	if (!*version)
		return;
	struct memo *m = memo_of(st, 1);
	json_t *copy = json_deep_copy(out);
	uint64_t h = key_hash(key);
	pthread_mutex_lock(&m->lock);
	/* A slot left empty by a stale result (stats_memo_get) first: after a
	 * write, a dashboard's statistics computed again take their old slots
	 * back instead of pushing out what is still valid (the establishments'
	 * count by province, 20-60 ms at national scale: issue 17). The same key
	 * kept meanwhile by another connection is replaced. */
	struct memo_entry *x = NULL;
	for (size_t i = 0; i < MEMO_SIZE && !x; i++)
		if (m->v[i].key && m->v[i].hash == h && !strcmp(m->v[i].key, key))
			x = &m->v[i];
	for (size_t i = 0; i < MEMO_SIZE && !x; i++)
		if (!m->v[i].key)
			x = &m->v[i];
	if (!x) {
		x = &m->v[m->next];
		m->next = (m->next + 1) % MEMO_SIZE;
	}
	entry_clear(x);
	x->hash = h;
	x->key = xstrdup(key);
	x->version = xstrdup(version);
	x->out = copy;
	pthread_mutex_unlock(&m->lock);
}

unsigned long stats_memo_hits(struct store *st)
{
	struct memo *m = memo_of(st, 0);
	if (!m)
		return 0;
	pthread_mutex_lock(&m->lock);
	unsigned long h = m->hits;
	pthread_mutex_unlock(&m->lock);
	return h;
}
