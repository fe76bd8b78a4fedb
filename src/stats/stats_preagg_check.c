/* stats_preagg_check.c - the pre-aggregates (stats_preagg.h) compared with
 * and rebuilt from their records: `khuyencong check` and `khuyencong rebuild
 * --preaggregates`, for a database restored from an old backup, edited by SQL
 * with the triggers off, or suspected of drift. The recompute is written from
 * the registry (keys, values), as migration 0036 filled the tables. */
#include "stats/stats_preagg.h"

#include "model/audit.h"

#include <string.h>

/* Migration 0036's bound: a value beyond ±(2^40 - 1) puts its record in a
 * group of its own (big), whose sums are never read. */
#define BOUND "1099511627775"

static int is_pg(struct store *st)
{
	return !strcmp(store_dialect(st), "postgresql");
}

/* "k1, k2, ..., v1_null, ..., big", each after prefix. */
static void key_cols(struct buf *b, const struct preagg *p, const char *prefix)
{
	for (size_t i = 0; p->keys[i]; i++)
		buf_printf(b, "%s%s, ", prefix, p->keys[i]);
	for (size_t i = 0; p->values[i]; i++)
		buf_printf(b, "%s%s_null, ", prefix, p->values[i]);
	buf_printf(b, "%sbig", prefix);
}

/* 1 when a record's values may not be summed exactly, as the triggers of
 * migration 0036 decide it (SQLite also keeps a value that is not an
 * integer apart; PostgreSQL's columns are integers). */
static void big_cond(struct store *st, struct buf *b, const struct preagg *p)
{
	buf_puts(b, "CASE WHEN 0 = 1");
	for (size_t i = 0; p->values[i]; i++) {
		const char *v = p->values[i];
		if (!is_pg(st))
			buf_printf(b, " OR typeof(%s) NOT IN ('integer', 'null')", v);
		buf_printf(b, " OR COALESCE(%s, 0) NOT BETWEEN -" BOUND " AND " BOUND, v);
	}
	buf_puts(b, " THEN 1 ELSE 0 END");
}

/* The rows the pre-aggregate of p should hold, computed from the records:
 * its columns in the order key_cols(), n, then the sums. */
static void recompute_sql(struct store *st, struct buf *b, const struct preagg *p)
{
	buf_puts(b, "SELECT ");
	key_cols(b, p, "");
	buf_puts(b, ", COUNT(*) AS n");
	for (size_t i = 0; p->values[i]; i++) {
		const char *v = p->values[i];
		if (is_pg(st)) /* NUMERIC sums, exact whatever the values */
			buf_printf(b, ", SUM(%s) AS %s", v, v);
		else /* big groups' sums are never read; SQLite's might be inexact */
			buf_printf(b, ", SUM(CASE WHEN big = 1 THEN NULL ELSE %s END) AS %s", v, v);
	}
	buf_puts(b, " FROM (SELECT ");
	for (size_t i = 0; p->keys[i]; i++)
		buf_printf(b, "%s, ", p->keys[i]);
	for (size_t i = 0; p->values[i]; i++)
		buf_printf(b, "CASE WHEN %s IS NULL THEN 1 ELSE 0 END AS %s_null, %s, ",
			   p->values[i], p->values[i], p->values[i]);
	big_cond(st, b, p);
	buf_printf(b, " AS big FROM %s) x GROUP BY ", p->table);
	key_cols(b, p, "");
}

static size_t count_of(const char *const *list)
{
	size_t n = 0;
	while (list[n])
		n++;
	return n;
}

/* One side of the comparison: the key, then 1 (a row of the side), its n
 * and sums, in the columns of stored (s_) or of the records (r_), the other
 * side's columns 0 and NULL. */
static void side_sql(struct buf *b, const struct preagg *p, int records)
{
	static const char *const side[] = {"s", "r"};
	buf_puts(b, "SELECT ");
	key_cols(b, p, "");
	for (int k = 0; k < 2; k++) {
		int mine = k == records;
		buf_printf(b, ", %d AS %s_rows, %s AS %s_n", mine, side[k], mine ? "n" : "0",
			   side[k]);
		for (size_t i = 0; p->values[i]; i++)
			buf_printf(b, ", %s AS %s_%s", mine ? p->values[i] : "NULL", side[k],
				   p->values[i]);
	}
}

/* Each key's stored rows beside its recompute, kept when they differ: the
 * key, then for each side n (NULL when the side has no row) and the sums.
 * A UNION grouped by the whole key (NULLs are equal there, in both
 * dialects), not a join: no nested loop over two unindexed sides. */
static void compare_sql(struct store *st, struct buf *b, const struct preagg *p)
{
	static const char *const side[] = {"s", "r"};
	buf_puts(b, "SELECT ");
	key_cols(b, p, "");
	for (int k = 0; k < 2; k++) {
		buf_printf(b, ", CASE WHEN SUM(%s_rows) > 0 THEN SUM(%s_n) END", side[k], side[k]);
		for (size_t i = 0; p->values[i]; i++)
			buf_printf(b, ", SUM(%s_%s)", side[k], p->values[i]);
	}
	buf_puts(b, " FROM (");
	side_sql(b, p, 0);
	buf_printf(b, " FROM %s UNION ALL ", p->sums);
	side_sql(b, p, 1);
	buf_puts(b, " FROM (");
	recompute_sql(st, b, p);
	buf_puts(b, ") r) x GROUP BY ");
	key_cols(b, p, "");
	/* A row whose records were all deleted stays with n = 0 and sums of 0
	 * (NULL in a group of empty values). */
	buf_puts(b, " HAVING SUM(s_n) <> SUM(r_n) OR (big = 0 AND (0 = 1");
	for (size_t i = 0; p->values[i]; i++) {
		const char *v = p->values[i];
		buf_printf(b,
			   " OR SUM(s_%s) IS DISTINCT FROM COALESCE(SUM(r_%s), CASE WHEN %s_null"
			   " = 0 THEN 0 END)",
			   v, v, v);
	}
	buf_puts(b, ")) ORDER BY ");
	size_t nk = count_of(p->keys) + count_of(p->values) + 1;
	for (size_t i = 0; i < nk; i++)
		buf_printf(b, "%s%zu", i ? ", " : "", i + 1);
}

static void value_text(struct buf *b, struct stmt *s, int col)
{
	const char *v = stmt_text(s, col);
	buf_puts(b, v ? v : "NULL");
}

/* "table (k=v, ...): stored n=.. v=..; records n=.. v=..\n" */
static void report_row(struct buf *b, const struct preagg *p, struct stmt *s)
{
	size_t nk = count_of(p->keys), nv = count_of(p->values);
	buf_printf(b, "%s (", p->sums);
	int col = 0;
	for (size_t i = 0; i < nk; i++, col++) {
		buf_printf(b, "%s=", p->keys[i]);
		value_text(b, s, col);
		buf_puts(b, ", ");
	}
	for (size_t i = 0; i < nv; i++, col++)
		buf_printf(b, "%s_null=%lld, ", p->values[i], (long long)stmt_int(s, col));
	buf_printf(b, "big=%lld)", (long long)stmt_int(s, col++));
	for (int side = 0; side < 2; side++, col += (int)nv + 1) {
		buf_puts(b, side ? "; records" : ": stored");
		if (stmt_isnull(s, col)) {
			buf_puts(b, " none");
			continue;
		}
		buf_printf(b, " n=%lld", (long long)stmt_int(s, col));
		for (size_t i = 0; i < nv; i++) {
			buf_printf(b, " %s=", p->values[i]);
			value_text(b, s, col + 1 + (int)i);
		}
	}
	buf_putc(b, '\n');
}

/* The keys of p that differ from the recompute: counted in *n, each
 * reported when report is not NULL. */
static int compare_one(struct store *st, const struct preagg *p, struct buf *report, int64_t *n,
		       struct err *e)
{
	struct buf sql = BUF_INIT;
	compare_sql(st, &sql, p);
	struct stmt *s = store_prepare_once(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		++*n;
		if (report)
			report_row(report, p, s);
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int preagg_check(struct store *st, struct buf *report, int64_t *differing, struct err *e)
{
	*differing = 0;
	const struct preagg *p;
	for (size_t i = 0; (p = preagg_at(i)); i++) {
		int rc = compare_one(st, p, report, differing, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int count_rows(struct store *st, const struct preagg *p, int64_t *n, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "SELECT COUNT(*) FROM %s", p->sums);
	int rc = store_int(st, e, n, buf_cstr(&sql), "");
	buf_free(&sql);
	return rc < 0 ? rc : 0;
}

/* Replaces p's rows by the recompute (rows whose count fell to 0 go). */
static int refill(struct store *st, const struct preagg *p, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "DELETE FROM %s", p->sums);
	int rc = store_exec(st, buf_cstr(&sql), e);
	buf_reset(&sql);
	buf_printf(&sql, "INSERT INTO %s (", p->sums);
	key_cols(&sql, p, "");
	buf_puts(&sql, ", n");
	for (size_t i = 0; p->values[i]; i++)
		buf_printf(&sql, ", %s", p->values[i]);
	buf_puts(&sql, ") ");
	recompute_sql(st, &sql, p);
	if (rc == 0)
		rc = store_exec(st, buf_cstr(&sql), e);
	buf_free(&sql);
	return rc;
}

int preagg_refill(struct store *st, struct err *e)
{
	const struct preagg *p;
	int rc = 0;
	for (size_t i = 0; rc == 0 && (p = preagg_at(i)); i++)
		rc = refill(st, p, e);
	return rc;
}

static int rebuild_one(struct store *st, const struct actor *a, const struct preagg *p,
		       struct buf *report, struct err *e)
{
	int64_t before = 0, differing = 0, after = 0;
	struct buf sql = BUF_INIT;
	int rc = 0;
	if (is_pg(st)) { /* writers wait (their triggers would change the rows) */
		buf_printf(&sql, "LOCK TABLE %s IN SHARE MODE", p->table);
		rc = store_exec(st, buf_cstr(&sql), e);
	}
	buf_free(&sql);
	if (rc == 0)
		rc = count_rows(st, p, &before, e);
	if (rc == 0)
		rc = compare_one(st, p, NULL, &differing, e);
	if (rc == 0)
		rc = refill(st, p, e);
	if (rc == 0)
		rc = count_rows(st, p, &after, e);
	/* The statistics memoized over the old rows are computed again. */
	if (rc == 0)
		rc = store_run(st, e,
			       "UPDATE table_versions SET version = version + 1"
			       " WHERE name = ? AND slot = 0",
			       "t", p->table);
	if (rc < 0)
		return rc;
	json_t *b = json_pack("{s:I,s:I}", "rows", (json_int_t)before, "differing",
			      (json_int_t)differing);
	json_t *af = json_pack("{s:I,s:i}", "rows", (json_int_t)after, "differing", 0);
	rc = audit_append(st, a, "preaggregates", p->sums, "rebuild", b, af, e);
	json_decref(b);
	json_decref(af);
	buf_printf(report, "%s: %lld rows, %lld keys differed from the records; now %lld rows\n",
		   p->sums, (long long)before, (long long)differing, (long long)after);
	return rc;
}

int preagg_rebuild(struct store *st, const struct actor *a, struct buf *report, struct err *e)
{
	if (!actor_is_admin(a))
		return err_set(e, ERR_FORBIDDEN, "",
			       "Chỉ quản trị viên được dựng lại bảng tổng hợp / only an "
			       "administrator rebuilds the pre-aggregates");
	int rc = store_begin(st, e);
	const struct preagg *p;
	for (size_t i = 0; rc == 0 && (p = preagg_at(i)); i++)
		rc = rebuild_one(st, a, p, report, e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}
