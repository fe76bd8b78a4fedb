/* stats_memo.h - recent statistics of one connection (or of the
 * connections of one server, stats_memo_share), reused while the
 * tables they read have not changed (store_table_versions: a version per
 * table, bumped by triggers in the writing transaction, migration 0029). A
 * dashboard or a report asks for the same figures several times, and people
 * look at the same dashboard again and again between two edits; at national
 * scale each figure is an index scan of up to hundreds of thousands of
 * entries. A write to a table no statistic reads (sessions' last_seen, audit,
 * notifications, jobs) or to another collection keeps them. */
#ifndef KC_STATS_MEMO_H
#define KC_STATS_MEMO_H

#include "store/store.h"

#include <jansson.h>

/* A copy of the result kept under key at version, or NULL. */
json_t *stats_memo_get(struct store *st, const char *key, const char *version);

/* The result kept under key at version itself (a reference: json_decref
 * it), or NULL: for a reader that changes nothing in it, it costs no copy. */
json_t *stats_memo_peek(struct store *st, const char *key, const char *version);

/* What a result kept under its tables' versions does first: the versions of
 * tables (NULL-ended) in version (n bytes; "" on a failure), and in *kept
 * the result kept under key at them (stats_memo_peek: read it, never change
 * it) or NULL, to compute then and stats_memo_put(st, key, version, ...).
 * 0, or ERR_STORE when the versions cannot be read. */
int stats_memo_lookup(struct store *st, const char *const *tables, const char *key, char *version,
		      size_t n, json_t **kept, struct err *e);

/* Keeps a copy of out under key at version (the oldest entry goes when
 * full). An empty version (inside a transaction) keeps nothing. */
void stats_memo_put(struct store *st, const char *key, const char *version, json_t *out);

/* Makes to use the memo of from (made when from has none): the server's
 * connections, one a thread, share one, so that a statistic computed on one
 * thread serves the next request whichever thread takes it (four threads
 * computed a national dashboard four times; issue 17). Results stay keyed
 * by the table versions each request reads, so sharing them is sound for
 * connections to one database only. from's memo is made when it has none:
 * before from is used by another thread (from == to makes it, nothing
 * more), as making it races with from's own use. */
void stats_memo_share(struct store *from, struct store *to);

/* How many results this connection (or those sharing its memo) has reused
 * (for tests and benchmarks). */
unsigned long stats_memo_hits(struct store *st);

#endif
