/* stats_preagg.c - which records have a pre-aggregate (migration 0036), and
 * the aggregates and statements of the statistics rewritten over it. */
#include "stats/stats_preagg.h"

#include "stats/stats_memo.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const training_keys[] = {
	"province_code", "old_province_code", "old_split", "project_id", "kind",
	"year",		 "illustrative",      NULL};
static const char *const training_values[] = {"trainees", "employed", NULL};

/* Each must match its tables and triggers in migration 0036. */
static const struct preagg preaggs[] = {
	{"training_classes", "stat_sums_training_classes", training_keys, training_values},
};

/* -1: not read yet from the environment. */
static int switched = -1;

void preagg_switch(int on)
{
	__atomic_store_n(&switched, on ? 1 : 0, __ATOMIC_RELAXED);
}

int preagg_on(void)
{
	int on = __atomic_load_n(&switched, __ATOMIC_RELAXED);
	if (on < 0) {
		const char *env = getenv("KC_STATS_PREAGG");
		on = !env || strcmp(env, "0");
		__atomic_store_n(&switched, on, __ATOMIC_RELAXED);
	}
	return on;
}

const struct preagg *preagg_of(const char *table)
{
	if (!table || !preagg_on())
		return NULL;
	for (size_t i = 0; i < sizeof preaggs / sizeof preaggs[0]; i++)
		if (!strcmp(preaggs[i].table, table))
			return &preaggs[i];
	return NULL;
}

const struct preagg *preagg_at(size_t i)
{
	return i < sizeof preaggs / sizeof preaggs[0] ? &preaggs[i] : NULL;
}

static int in_list(const char *const *list, const char *name, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && !strncmp(*list, name, len))
			return 1;
	return 0;
}

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The length of the column named at "t.<name>" in s, or 0. */
static size_t column_at(const char *s, const char *start)
{
	if (strncmp(s, "t.", 2) || (s > start && (ident_char(s[-1]) || s[-1] == '.')))
		return 0;
	size_t n = 0;
	while (ident_char(s[2 + n]))
		n++;
	return n;
}

int preagg_agg(const struct preagg *p, const char *expr, struct buf *out)
{
	for (const char *s = expr; *s;) {
		size_t n;
		if (!strncmp(s, "COUNT(*)", 8)) {
			buf_puts(out, "SUM(t.n)");
			s += 8;
		} else if (!strncmp(s, "COUNT(", 6) && (n = column_at(s + 6, s + 6)) &&
			   s[8 + n] == ')' && in_list(p->values, s + 8, n)) {
			buf_printf(out, "SUM(CASE WHEN t.%.*s IS NULL THEN 0 ELSE t.n END)", (int)n,
				   s + 8);
			s += 9 + n;
		} else if (!strncmp(s, "SUM(", 4) && (n = column_at(s + 4, s + 4)) &&
			   s[6 + n] == ')' && in_list(p->values, s + 6, n)) {
			buf_printf(out, "SUM(t.%.*s)", (int)n, s + 6); /* a sum of sums */
			s += 7 + n;
		} else if (isalpha((unsigned char)*s) || *s == '(' || *s == '.') {
			return -1; /* another function, column or a nested expression */
		} else {
			buf_putc(out, *s++);
		}
	}
	return 0;
}

/* Is the summed column at s (length n, after "t.") read as a whole? */
static int value_use_ok(const char *sql, const char *s, size_t n)
{
	static const char *const before[] = {"SUM(", "SUM(0.0 + "};
	for (size_t i = 0; i < sizeof before / sizeof before[0]; i++) {
		size_t k = strlen(before[i]);
		if ((size_t)(s - sql) >= k && !strncmp(s - k, before[i], k) && s[2 + n] == ')')
			return 1;
	}
	return !strncmp(s + 2 + n, " IS NULL", 8) || !strncmp(s + 2 + n, " IS NOT NULL", 12);
}

static int64_t reads;

int64_t preagg_reads(void)
{
	return __atomic_load_n(&reads, __ATOMIC_RELAXED);
}

int preagg_sql_ok(const struct preagg *p, const char *sql)
{
	for (const char *s = sql; (s = strstr(s, "t.")); s += 2) {
		size_t n = column_at(s, sql);
		if (!n)
			continue;
		if (in_list(p->keys, s + 2, n) || (n == 1 && s[2] == 'n'))
			continue;
		if (!in_list(p->values, s + 2, n) || !value_use_ok(sql, s, n))
			return 0;
	}
	__atomic_add_fetch(&reads, 1, __ATOMIC_RELAXED);
	return 1;
}

/* 1 when no group of p holds a value beyond the bound, read now. */
static int no_big_group(struct store *st, const struct preagg *p, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "SELECT 1 FROM %s WHERE big = 1 AND n > 0 LIMIT 1", p->sums);
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	int rc = stmt_step(s, e);
	stmt_done(s);
	return rc < 0 ? rc : !rc;
}

/* Reused until the records change (stats_memo.h): every statistic over
 * the records asks, a national dashboard after a write twenty times. */
int preagg_usable(struct store *st, const struct preagg *p, struct err *e)
{
	const char *tables[] = {p->table, NULL};
	char version[128], key[96];
	snprintf(key, sizeof key, "|usable %s", p->sums);
	json_t *m;
	if (stats_memo_lookup(st, tables, key, version, sizeof version, &m, e) < 0)
		return ERR_STORE;
	if (m) {
		int on = json_is_true(m);
		json_decref(m);
		return on;
	}
	int rc = no_big_group(st, p, e);
	if (rc >= 0) {
		m = json_boolean(rc);
		stats_memo_put(st, key, version, m);
		json_decref(m);
	}
	return rc;
}
