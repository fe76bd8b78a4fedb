/* record_words.c - how common each search word is on PostgreSQL, from the
 * statistics ANALYZE keeps of migration 0028's text-search index, so that a
 * search leaves out of its index query the words that would not narrow it. */
#include "model/record_words.h"

#include "core/buf.h"
#include "core/clock.h"
#include "model/entity.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int record_words_ttl = 600;

enum { MAX_TABLES = 64 };

/* Per record type: "word share\n" lines, the most common words of its
 * TABLE_words index (PostgreSQL keeps up to a thousand, with the share of
 * the rows holding each), and when they were read. Shared by the server's
 * threads: they only choose a plan, never what a search finds, so a list a
 * few minutes old (or another database's, in a test) is harmless. */
static struct {
	char *lines;
	int64_t at; /* clock_usec */
} common[MAX_TABLES];
static pthread_mutex_t common_lock = PTHREAD_MUTEX_INITIALIZER;

/* The lines of ent's most common words; "" when there are none (no ANALYZE
 * yet) or they cannot be read. Caller frees. */
static char *common_read(struct store *st, const struct entity *ent)
{
	struct err e;
	struct buf b = BUF_INIT;
	buf_puts(&b, "");
	struct stmt *s =
		store_prepare(st,
			      "SELECT u.e, u.f FROM pg_stats s, unnest("
			      "s.most_common_elems::text::text[], s.most_common_elem_freqs) u(e, f)"
			      " WHERE s.schemaname = current_schema() AND s.tablename = ?"
			      " AND u.e IS NOT NULL",
			      &e);
	if (!s)
		return buf_detach(&b);
	char name[96];
	snprintf(name, sizeof name, "%s_words", ent->table);
	stmt_bind_text(s, 1, name);
	while (stmt_step(s, &e) == 1)
		buf_printf(&b, "%s %s\n", stmt_text(s, 0), stmt_text(s, 1));
	stmt_done(s);
	return buf_detach(&b);
}

/* The share of rows with a word starting with w: the sum over the common
 * words it begins (a row may hold several: a bound, not a count). */
static double share_of(const char *lines, const char *w)
{
	size_t n = strlen(w);
	double sum = 0;
	for (const char *p = lines; *p;) {
		const char *sp = strchr(p, ' '), *nl = strchr(p, '\n');
		if (!sp || !nl)
			break;
		if ((size_t)(sp - p) >= n && !strncmp(p, w, n))
			sum += strtod(sp + 1, NULL);
		p = nl + 1;
	}
	return sum;
}

void record_word_shares(struct store *st, const struct entity *ent, char *const *words, int n,
			double *share)
{
	for (int i = 0; i < n; i++)
		share[i] = 0;
	size_t k = (size_t)(ent - entities);
	if (strcmp(store_dialect(st), "postgresql") || k >= MAX_TABLES)
		return;
	int64_t now = clock_usec();
	pthread_mutex_lock(&common_lock);
	int stale = !common[k].lines || now - common[k].at >= (int64_t)record_words_ttl * 1000000;
	if (stale)
		common[k].at = now; /* one thread reads them again */
	pthread_mutex_unlock(&common_lock);
	char *fresh = stale ? common_read(st, ent) : NULL;
	pthread_mutex_lock(&common_lock);
	if (fresh) {
		free(common[k].lines);
		common[k].lines = fresh;
	}
	for (int i = 0; i < n && common[k].lines; i++)
		share[i] = share_of(common[k].lines, words[i]);
	pthread_mutex_unlock(&common_lock);
}
