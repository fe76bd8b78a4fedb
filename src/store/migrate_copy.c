/* migrate_copy.c - `khuyencong migrate`: copies a whole database between two
 * stores of any dialects and proves the copy equal. It knows no domain: the
 * tables, their columns and their foreign keys come from the catalogues. */
#include "store/migrate_copy.h"

#include "core/mem.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct table {
	char *name;
	char **parents; /* tables its foreign keys refer to */
	size_t nparents;
	int placed;
};

struct tables {
	struct table *v;
	size_t n;
};

static int is_pg(struct store *st)
{
	return !strcmp(store_dialect(st), "postgresql");
}

static void tables_free(struct tables *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		for (size_t j = 0; j < t->v[i].nparents; j++)
			free(t->v[i].parents[j]);
		free(t->v[i].parents);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static struct table *table_find(struct tables *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name))
			return &t->v[i];
	return NULL;
}

/* The tables of st (schema_version and table_versions aside: each database
 * keeps its own, and the copy's own writes bump the latter; nor the
 * statistics' pre-aggregates stat_sums_*, computed again from the records
 * copied, migration 0036). On SQLite not
 * the full-text indexes (migration 0028: virtual tables and their shadow
 * tables), which the target's own triggers fill as rows arrive. */
static int list_tables(struct store *st, struct tables *out, struct err *e)
{
	const char *sql = is_pg(st)
				  ? "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p')"
				    " AND c.relnamespace = to_regnamespace(current_schema())::oid"
				    " ORDER BY c.relname"
				  : "SELECT name FROM pragma_table_list WHERE schema = 'main'"
				    " AND type = 'table' AND name NOT LIKE 'sqlite^_%' ESCAPE '^'"
				    " ORDER BY name";
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		const char *name = stmt_text(s, 0);
		if (!name || !strcmp(name, "schema_version") || !strcmp(name, "table_versions") ||
		    !strncmp(name, "stat_sums_", 10))
			continue;
		out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
		memset(&out->v[out->n], 0, sizeof out->v[out->n]);
		out->v[out->n++].name = xstrdup(name);
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

static void add_parent(struct table *t, const char *parent)
{
	if (!parent || !strcmp(parent, t->name))
		return;
	for (size_t i = 0; i < t->nparents; i++)
		if (!strcmp(t->parents[i], parent))
			return;
	t->parents = xrealloc(t->parents, (t->nparents + 1) * sizeof *t->parents);
	t->parents[t->nparents++] = xstrdup(parent);
}

/* "name" with inner quotes doubled: names come from a catalogue, but a file
 * handed to us may hold any name, so they are quoted, never trusted. */
static void quote_ident(struct buf *b, const char *name)
{
	buf_putc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_putc(b, '"');
		buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static int load_parents(struct store *st, struct tables *t, struct err *e)
{
	if (is_pg(st)) {
		struct stmt *s = store_prepare(st,
					       "SELECT c.relname, p.relname FROM pg_constraint k"
					       " JOIN pg_class c ON c.oid = k.conrelid JOIN "
					       "pg_class p ON p.oid = k.confrelid"
					       " WHERE k.contype = 'f' AND c.relnamespace = "
					       "to_regnamespace(current_schema())::oid",
					       e);
		if (!s)
			return ERR_STORE;
		int rc;
		while ((rc = stmt_step(s, e)) == 1) {
			struct table *x = table_find(t, stmt_text(s, 0));
			if (x)
				add_parent(x, stmt_text(s, 1));
		}
		stmt_done(s);
		return rc < 0 ? rc : 0;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct stmt *s =
			store_prepare(st, "SELECT \"table\" FROM pragma_foreign_key_list(?)", e);
		if (!s)
			return ERR_STORE;
		stmt_bind_text(s, 1, t->v[i].name);
		int rc;
		while ((rc = stmt_step(s, e)) == 1)
			add_parent(&t->v[i], stmt_text(s, 0));
		stmt_done(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Parents before children; a cycle (none today) keeps catalogue order. */
static void topo_order(struct tables *t, struct table ***order)
{
	*order = xcalloc(t->n + 1, sizeof **order);
	size_t n = 0;
	for (int progress = 1; progress && n < t->n;) {
		progress = 0;
		for (size_t i = 0; i < t->n; i++) {
			struct table *x = &t->v[i];
			if (x->placed)
				continue;
			int ready = 1;
			for (size_t j = 0; j < x->nparents && ready; j++) {
				struct table *p = table_find(t, x->parents[j]);
				ready = !p || p->placed;
			}
			if (ready) {
				x->placed = 1;
				(*order)[n++] = x;
				progress = 1;
			}
		}
	}
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].placed)
			(*order)[n++] = &t->v[i];
}

/* ---- checksums ---------------------------------------------------------- */

struct sum {
	int64_t rows;
	uint64_t h[2]; /* sums of the rows' 128-bit BLAKE2b hashes: order-independent */
};

static void row_hash(struct stmt *s, int ncols, struct sum *out)
{
	crypto_generichash_state g;
	crypto_generichash_init(&g, NULL, 0, 16);
	for (int c = 0; c < ncols; c++) {
		char head[24];
		if (stmt_is_blob(s, c)) { /* the bytes, whatever their text form */
			size_t len;
			const unsigned char *b = stmt_blob(s, c, &len);
			int n = snprintf(head, sizeof head, "b%zu:", len);
			crypto_generichash_update(&g, (const unsigned char *)head,
						  (unsigned long long)n);
			crypto_generichash_update(&g, b ? b : (const unsigned char *)"", len);
			continue;
		}
		const char *v = stmt_text(s, c);
		int n = v ? snprintf(head, sizeof head, "%zu:", strlen(v))
			  : snprintf(head, sizeof head, "N;");
		crypto_generichash_update(&g, (const unsigned char *)head, (unsigned long long)n);
		if (v)
			crypto_generichash_update(&g, (const unsigned char *)v, strlen(v));
	}
	unsigned char d[16];
	crypto_generichash_final(&g, d, sizeof d);
	uint64_t a, b;
	memcpy(&a, d, 8);
	memcpy(&b, d + 8, 8);
	out->h[0] += a;
	out->h[1] += b;
	out->rows++;
}

/* The columns of table in st, in catalogue order, as one quoted list. */
static int column_list(struct store *st, const char *table, struct buf *cols, int *ncols,
		       struct err *e)
{
	const char *sql = is_pg(st) ? "SELECT a.attname FROM pg_attribute a"
				      " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0"
				      " AND NOT a.attisdropped ORDER BY a.attnum"
				    : "SELECT name FROM pragma_table_info(?) ORDER BY cid";
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	struct buf q = BUF_INIT;
	if (is_pg(st))
		quote_ident(&q, table);
	stmt_bind_text(s, 1, is_pg(st) ? buf_cstr(&q) : table);
	int rc;
	*ncols = 0;
	while ((rc = stmt_step(s, e)) == 1) {
		if ((*ncols)++)
			buf_puts(cols, ", ");
		quote_ident(cols, stmt_text(s, 0));
	}
	stmt_done(s);
	buf_free(&q);
	return rc < 0 ? rc : 0;
}

/* Checksums a table, reading the columns listed (the same on both sides). */
static int table_sum(struct store *st, const char *table, const char *cols, int ncols,
		     struct sum *out, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "SELECT %s FROM ", cols);
	quote_ident(&sql, table);
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	memset(out, 0, sizeof *out);
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		row_hash(s, ncols, out);
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int store_compare(struct store *a, struct store *b, struct buf *report, struct err *e)
{
	struct tables ta = {0}, tb = {0};
	int rc = list_tables(a, &ta, e);
	if (rc == 0)
		rc = list_tables(b, &tb, e);
	int differ = 0;
	for (size_t i = 0; rc == 0 && i < ta.n; i++) {
		const char *name = ta.v[i].name;
		if (!table_find(&tb, name)) {
			buf_printf(report, "%-24s missing from the target\n", name);
			differ = 1;
			continue;
		}
		struct buf cols = BUF_INIT;
		int ncols = 0;
		struct sum sa, sb;
		rc = column_list(a, name, &cols, &ncols, e);
		if (rc == 0)
			rc = table_sum(a, name, buf_cstr(&cols), ncols, &sa, e);
		if (rc == 0)
			rc = table_sum(b, name, buf_cstr(&cols), ncols, &sb, e);
		buf_free(&cols);
		if (rc < 0)
			break;
		int same = sa.rows == sb.rows && sa.h[0] == sb.h[0] && sa.h[1] == sb.h[1];
		buf_printf(report, "%-24s %9lld rows  %016llx%016llx  %s\n", name,
			   (long long)sa.rows, (unsigned long long)sa.h[0],
			   (unsigned long long)sa.h[1], same ? "same" : "DIFFERENT");
		if (!same) {
			buf_printf(report, "%-24s %9lld rows  %016llx%016llx  in the target\n", "",
				   (long long)sb.rows, (unsigned long long)sb.h[0],
				   (unsigned long long)sb.h[1]);
			differ = 1;
		}
	}
	for (size_t i = 0; rc == 0 && i < tb.n; i++) {
		if (!table_find(&ta, tb.v[i].name)) {
			buf_printf(report, "%-24s only in the target\n", tb.v[i].name);
			differ = 1;
		}
	}
	tables_free(&ta);
	tables_free(&tb);
	if (rc < 0)
		return rc;
	return differ ? err_set(e, ERR_CONFLICT, "", "the databases differ (see the table above)")
		      : 0;
}

/* ---- copying ------------------------------------------------------------ */

/* A value in COPY's text format (store.h): the four bytes that mean
 * something there escaped, everything else (UTF-8 included) as it is. */
static void copy_text(struct buf *b, const char *v)
{
	for (;;) {
		size_t n = strcspn(v, "\\\t\n\r");
		buf_append(b, v, n);
		v += n;
		if (!*v)
			return;
		buf_putc(b, '\\');
		buf_putc(b, *v == '\t' ? 't' : *v == '\n' ? 'n' : *v == '\r' ? 'r' : '\\');
		v++;
	}
}

/* Bytes as bytea's hex input "\x..." with its backslash escaped. */
static void copy_bytes(struct buf *b, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_puts(b, "\\\\x");
	for (size_t i = 0; i < n; i++) {
		buf_putc(b, hex[p[i] >> 4]);
		buf_putc(b, hex[p[i] & 15]);
	}
}

/* The current row of s as one line of COPY's text format. */
static void copy_line(struct buf *b, struct stmt *s, int ncols)
{
	for (int c = 0; c < ncols; c++) {
		if (c)
			buf_putc(b, '\t');
		if (stmt_is_blob(s, c)) {
			size_t len;
			const unsigned char *v = stmt_blob(s, c, &len);
			copy_bytes(b, v, len);
			continue;
		}
		const char *v = stmt_text(s, c);
		if (v)
			copy_text(b, v);
		else
			buf_puts(b, "\\N");
	}
	buf_putc(b, '\n');
}

enum { COPY_CHUNK = 256 * 1024 }; /* bytes sent to the server at a time */

/* The rows of s streamed into table of to with COPY: no round trip a row. */
static int copy_rows_bulk(struct stmt *s, int ncols, struct store *to, const char *table,
			  const char *cols, int64_t *rows, struct err *e)
{
	struct buf q = BUF_INIT, line = BUF_INIT;
	quote_ident(&q, table);
	int rc = store_copy_begin(to, buf_cstr(&q), cols, e);
	buf_free(&q);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(s, e)) == 1) {
		copy_line(&line, s, ncols);
		(*rows)++;
		if (line.len >= COPY_CHUNK) {
			rc = store_copy_put(to, line.data, line.len, e);
			buf_reset(&line);
			if (rc < 0)
				break;
		}
	}
	if (rc == 0 && line.len)
		rc = store_copy_put(to, line.data, line.len, e);
	buf_free(&line);
	int end = store_copy_end(to, rc < 0, e);
	return rc < 0 ? rc : end;
}

/* The rows of s inserted one by one (a target without COPY: SQLite). */
static int copy_rows_insert(struct stmt *s, int ncols, struct store *to, const char *table,
			    const char *cols, int64_t *rows, struct err *e)
{
	struct buf ins = BUF_INIT;
	buf_puts(&ins, "INSERT INTO ");
	quote_ident(&ins, table);
	buf_printf(&ins, " (%s) VALUES (", cols);
	for (int i = 0; i < ncols; i++)
		buf_puts(&ins, i ? ", ?" : "?");
	buf_putc(&ins, ')');
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		struct stmt *w = store_prepare(to, buf_cstr(&ins), e);
		if (!w) {
			rc = ERR_STORE;
			break;
		}
		/* Values travel as text: each backend converts to the column's type,
		 * as it does for the model's own writes; binary values as bytes. */
		for (int c = 0; c < ncols; c++) {
			size_t len;
			if (stmt_is_blob(s, c)) {
				const unsigned char *b = stmt_blob(s, c, &len);
				stmt_bind_blob(w, c + 1, b, len);
			} else {
				stmt_bind_text(w, c + 1, stmt_text(s, c));
			}
		}
		rc = stmt_step(w, e);
		stmt_done(w);
		if (rc < 0)
			break;
		(*rows)++;
	}
	buf_free(&ins);
	return rc < 0 ? rc : 0;
}

static int copy_table(struct store *from, struct store *to, const char *table, int64_t *rows,
		      struct err *e)
{
	struct buf cols = BUF_INIT, sel = BUF_INIT;
	int ncols = 0;
	*rows = 0;
	int rc = column_list(from, table, &cols, &ncols, e);
	if (rc < 0 || ncols == 0) {
		buf_free(&cols);
		return rc;
	}
	buf_printf(&sel, "SELECT %s FROM ", buf_cstr(&cols));
	quote_ident(&sel, table);
	struct stmt *s = store_prepare(from, buf_cstr(&sel), e);
	if (!s)
		rc = ERR_STORE;
	else if (store_can_copy(to))
		rc = copy_rows_bulk(s, ncols, to, table, buf_cstr(&cols), rows, e);
	else
		rc = copy_rows_insert(s, ncols, to, table, buf_cstr(&cols), rows, e);
	if (s)
		stmt_done(s);
	buf_free(&cols);
	buf_free(&sel);
	return rc < 0 ? rc : 0;
}

/* PostgreSQL builds an index over the rows already there far faster than
 * it keeps one up to date row by row, and checks a foreign key over a whole
 * table with one join rather than with a trigger a row. So, inside the
 * copy's transaction (a failure leaves them as they were), the target's
 * foreign keys and the indexes that back no constraint are dropped, and
 * the statements that make them again from their own definitions, indexes
 * first, are appended to remake, to run once the rows are in. */
static int defer_checks(struct store *to, struct buf *remake, struct err *e)
{
	if (!is_pg(to))
		return 0;
	struct stmt *s = store_prepare(
		to,
		"SELECT 0, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, "
		"conname),"
		" format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,"
		" pg_get_constraintdef(oid))"
		" FROM pg_constraint WHERE contype = 'f'"
		" AND connamespace = to_regnamespace(current_schema())::oid"
		" UNION ALL SELECT 1, format('DROP INDEX %s', i.indexrelid::regclass),"
		" pg_get_indexdef(i.indexrelid)"
		" FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
		" WHERE c.relnamespace = to_regnamespace(current_schema())::oid"
		" AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
		e);
	if (!s)
		return ERR_STORE;
	struct buf drop = BUF_INIT, keys = BUF_INIT;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		buf_printf(&drop, "%s;\n", stmt_text(s, 1));
		buf_printf(stmt_int(s, 0) ? remake : &keys, "%s;\n", stmt_text(s, 2));
	}
	stmt_done(s);
	buf_append(remake, keys.data, keys.len);
	if (rc == 0 && drop.len)
		rc = store_exec(to, buf_cstr(&drop), e);
	buf_free(&drop);
	buf_free(&keys);
	return rc;
}

/* Moves each identity sequence of to past the largest id copied. */
static int reset_sequences(struct store *to, struct table **order, struct err *e)
{
	if (!is_pg(to))
		return 0; /* SQLite's INTEGER PRIMARY KEY continues from max(rowid) */
	for (size_t i = 0; order[i]; i++) {
		struct buf sql = BUF_INIT, q = BUF_INIT;
		quote_ident(&q, order[i]->name);
		buf_puts(&sql,
			 "SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id)"
			 " FROM ");
		buf_puts(&sql, buf_cstr(&q));
		buf_puts(&sql, "), 0) + 1, false)");
		int has = 0;
		struct stmt *chk = store_prepare(
			to,
			"SELECT COUNT(*) FROM pg_attribute WHERE attrelid = to_regclass(?)"
			" AND attname = 'id' AND attidentity <> ''",
			e);
		int rc = chk ? 0 : ERR_STORE;
		if (chk) {
			stmt_bind_text(chk, 1, buf_cstr(&q));
			rc = stmt_step(chk, e);
			has = rc == 1 && stmt_int(chk, 0) > 0;
			stmt_done(chk);
		}
		if (rc >= 0 && has)
			rc = store_run(to, e, buf_cstr(&sql), "t", buf_cstr(&q));
		buf_free(&sql);
		buf_free(&q);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The pre-aggregates stat_sums_* are not copied: refill computes them from
 * the records copied (sums_triggers) or, without it, the target's triggers
 * fill them as the records arrive (list_tables), one upsert a record, which on
 * PostgreSQL leaves a dead row version a record (200 000 classes: 199 000
 * dead rows, 22 MB for 1 000 live rows). A statistic reads them at every
 * computation; until autovacuum came (never, in a cluster without it) each
 * read walked the dead versions (2 271 heap pages for 510 rows: a national
 * dashboard after a write 90 ms of PostgreSQL's CPU instead of 35, issue 17).
 * A plain VACUUM leaves the file and its key's index their size (249 index
 * pages, 7.8 ms a national statistic), so, after the commit, VACUUM FULL
 * rewrites them: 216 kB, a sequential scan of 14 pages, 0.5 ms; a fraction of
 * a second, while the target serves no one yet. */
/* The pre-aggregates stat_sums_* of to, quoted, after lead ("" when none). */
static int sums_tables(struct store *to, const char *lead, struct buf *out, struct err *e)
{
	struct stmt *s = store_prepare(
		to,
		"SELECT quote_ident(relname) FROM pg_class WHERE relkind = 'r' AND relname"
		" LIKE 'stat^_sums^_%' ESCAPE '^'"
		" AND relnamespace = to_regnamespace(current_schema())::oid",
		e);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		buf_printf(out, "%s%s", out->len ? ", " : lead, stmt_text(s, 0));
	stmt_done(s);
	return rc;
}

static int vacuum_sums(struct store *to, struct err *e)
{
	if (!is_pg(to))
		return 0; /* SQLite updates in place */
	struct buf sql = BUF_INIT;
	int rc = sums_tables(to, "VACUUM FULL ", &sql, e);
	if (rc == 0 && sql.len)
		rc = store_exec(to, buf_cstr(&sql), e);
	buf_free(&sql);
	return rc;
}

/* The triggers that keep the pre-aggregates (migration 0036): one upsert a
 * record, the national database's 200 000 classes 14 s of migrate's COPY, and
 * a dead row version each. Into PostgreSQL, when the caller can compute those
 * tables whole (refill), they are off while the rows go in: appends to off the
 * statements that turn them off, to on those that turn them on again. */
static int sums_triggers(struct store *to, struct buf *off, struct buf *on, struct err *e)
{
	struct stmt *s = store_prepare(
		to,
		"SELECT format('ALTER TABLE %s DISABLE TRIGGER %I', tgrelid::regclass, tgname),"
		" format('ALTER TABLE %s ENABLE TRIGGER %I', tgrelid::regclass, tgname)"
		" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
		" WHERE NOT t.tgisinternal AND t.tgname LIKE 'stat^_sums^_%' ESCAPE '^'"
		" AND c.relnamespace = to_regnamespace(current_schema())::oid",
		e);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		buf_printf(off, "%s;\n", stmt_text(s, 0));
		buf_printf(on, "%s;\n", stmt_text(s, 1));
	}
	stmt_done(s);
	return rc;
}

/* Empties the target's tables before the copy, in its transaction: the rows
 * the migrations inserted and, with --replace, all others. PostgreSQL
 * truncates (its foreign keys are dropped by now), with the pre-aggregates,
 * whose triggers a TRUNCATE does not fire: a table emptied so in this
 * transaction takes COPY FREEZE, whose rows arrive frozen and their pages
 * all-visible, so that neither the VACUUM after the copy nor a list's count
 * (an index alone) has to visit them again (the national database: migrate
 * 64 s with DELETE, a plain COPY and a VACUUM that wrote every page again).
 * SQLite deletes, children before parents. */
static int empty_tables(struct store *to, struct table **order, size_t n, struct err *e)
{
	struct buf sql = BUF_INIT;
	int rc = 0;
	if (is_pg(to)) {
		for (size_t i = 0; i < n; i++) {
			buf_puts(&sql, i ? ", " : "TRUNCATE ");
			quote_ident(&sql, order[i]->name);
		}
		rc = n ? sums_tables(to, "", &sql, e) : 0;
		if (rc == 0 && n)
			rc = store_exec(to, buf_cstr(&sql), e);
	}
	for (size_t i = n; !is_pg(to) && rc == 0 && i-- > 0;) {
		buf_reset(&sql);
		buf_puts(&sql, "DELETE FROM ");
		quote_ident(&sql, order[i]->name);
		rc = store_exec(to, buf_cstr(&sql), e);
	}
	buf_free(&sql);
	return rc;
}

int store_copy(struct store *from, struct store *to, int replace, store_refill_fn refill,
	       struct buf *report, struct err *e)
{
	int latest = store_schema_latest();
	int vfrom = store_schema_version(from, e);
	if (vfrom < 0)
		return vfrom;
	if (vfrom != latest)
		return err_set(e, ERR_CONFLICT, "from",
			       "the source has schema version %d, this khuyencong %d: upgrade the "
			       "source first (khuyencong init --db SOURCE) with the same version",
			       vfrom, latest);
	int vto = store_schema_version(to, e);
	if (vto < 0)
		return vto;
	if (vto > 0 && !replace)
		return err_set(
			e, ERR_CONFLICT, "to",
			"the target already holds a khuyencong database (schema version %d): "
			"give an empty database, or --replace to overwrite it",
			vto);
	int rc = store_migrate(to, e);
	if (rc < 0)
		return rc;
	vto = store_schema_version(to, e);
	if (vto != vfrom)
		return err_set(e, ERR_CONFLICT, "to",
			       "schema versions differ: source %d, target %d", vfrom, vto);

	struct tables t = {0};
	struct table **order = NULL;
	rc = list_tables(from, &t, e);
	if (rc == 0)
		rc = load_parents(from, &t, e);
	if (rc < 0)
		goto done;
	topo_order(&t, &order);
	rc = store_begin(to, e);
	if (rc < 0)
		goto done;
	struct buf remake = BUF_INIT, off = BUF_INIT, on = BUF_INIT;
	rc = defer_checks(to, &remake, e);
	if (rc == 0 && refill && is_pg(to))
		rc = sums_triggers(to, &off, &on, e);
	if (rc == 0 && off.len)
		rc = store_exec(to, buf_cstr(&off), e);
	if (rc == 0)
		rc = empty_tables(to, order, t.n, e);
	for (size_t i = 0; rc == 0 && i < t.n; i++) {
		int64_t rows = 0;
		rc = copy_table(from, to, order[i]->name, &rows, e);
		if (rc < 0) {
			char msg[sizeof e->message];
			snprintf(msg, sizeof msg, "%s", e ? e->message : "");
			err_set(e, rc, order[i]->name, "copying %s: %s", order[i]->name, msg);
		}
	}
	if (rc == 0 && remake.len) {
		rc = store_exec(to, buf_cstr(&remake), e);
		if (rc < 0) {
			char msg[sizeof e->message];
			snprintf(msg, sizeof msg, "%s", e ? e->message : "");
			err_set(e, rc, "", "making the indexes and foreign keys again: %s", msg);
		}
	}
	buf_free(&remake);
	int refilled = rc == 0 && on.len;
	if (refilled) {
		rc = refill(to, e);
		if (rc == 0)
			rc = store_exec(to, buf_cstr(&on), e);
	}
	buf_free(&off);
	buf_free(&on);
	if (rc == 0)
		rc = reset_sequences(to, order, e);
	if (rc < 0) {
		store_rollback(to);
		goto done;
	}
	rc = store_commit(to, e);
	int committed = rc == 0;
	if (committed && !refilled) /* refill wrote them whole, no dead row */
		rc = vacuum_sums(to, e);
	if (rc == 0)
		rc = store_compare(from, to, report, e);
	/* Plans for the rows now there, not for empty tables. On PostgreSQL
	 * VACUUM also marks the copied pages all-visible, which autovacuum would
	 * do only later: until then a list's count (of at most 1 001 rows, a
	 * province's 31 000 in a national database) reads each row's page
	 * instead of the index alone, 1 ms a list instead of 0.1. It runs after
	 * the comparison, which read every row: VACUUM marks a page only when
	 * its rows carry the hint that their transaction committed, which the
	 * first reader sets (and cannot yet, right after an asynchronous commit
	 * on a server with synchronous_commit off). */
	if (committed) {
		struct err ea;
		int arc = strcmp(store_dialect(to), "postgresql")
				  ? store_analyze(to, NULL, &ea)
				  : store_exec(to, "VACUUM (ANALYZE)", &ea);
		if (arc < 0 && rc == 0) {
			if (e)
				*e = ea;
			rc = arc;
		}
	}
done:
	free(order);
	tables_free(&t);
	return rc;
}
