/* pg.c - the PostgreSQL driver (libpq): one connection, statements prepared
 * once per connection, SQLite's portable dialect translated on the way in.
 *
 * The model writes one dialect: '?' placeholders and what SQLite and
 * PostgreSQL share. The few places where the two differ in meaning are
 * translated here, mechanically, when a statement is prepared:
 *
 *  - '?' becomes $1..$n (not inside literals, quoted names or comments).
 *  - "? IS NULL" becomes "CAST($n AS TEXT) IS NULL": PostgreSQL must know the
 *    type of every parameter and "$n IS NULL" gives it none ("could not
 *    determine data type of parameter"). Every other parameter gets its type
 *    from its context (the column it is compared with or stored in), so each
 *    statement is prepared once with untyped parameters and values are sent as
 *    text. This is also what SQLite's column affinity does: an integer bound
 *    against a TEXT column compares as text, "7" bound against an integer
 *    column compares as 7.
 *  - LIKE becomes ILIKE ... ESCAPE '': SQLite's LIKE ignores ASCII case and
 *    has no escape character; PostgreSQL's LIKE is case-sensitive and treats
 *    '\' as an escape. With the C locale (docs/deploy.md) ILIKE folds ASCII
 *    only, as SQLite does.
 *  - ORDER BY terms get NULLS FIRST (ascending) or NULLS LAST (descending):
 *    SQLite sorts NULL below every value, PostgreSQL above. Not a term that
 *    is a table's id ("id", "t.id"), never NULL: a b-tree read backwards
 *    gives DESC NULLS FIRST, so "ORDER BY t.id DESC NULLS LAST" would read
 *    and sort every matching row where "ORDER BY t.id DESC" reads the
 *    primary key backwards and stops at the LIMIT.
 *  - CAST(... AS INTEGER) becomes CAST(... AS BIGINT): SQLite's INTEGER is
 *    64 bits, PostgreSQL's 32.
 *  - An INSERT into a table whose id is an identity column gets a hidden
 *    "RETURNING id", which store_last_id() reports (SQLite's
 *    last_insert_rowid); the caller sees no rows.
 *
 * Reads stream: a statement that returns rows (SELECT, WITH, VALUES) is sent
 * with PQsendQueryPrepared in single-row mode, and each step takes the next
 * row off the connection, so iterating a whole table holds one row at a time.
 * A connection carries one such stream at a time, while the model nests
 * statements as SQLite allows (a read inside the loop over another, a write
 * or a COMMIT in the middle). So whoever needs the connection first "parks"
 * the stream: its remaining rows are read into a queue the statement then
 * steps through, exactly as the whole result used to be. A statement
 * finished early (stmt_done, or prepared again) drops the rest of its stream:
 * a few rows are read and discarded, and a longer remainder outside a
 * transaction is cancelled on the server (inside one a cancel would abort the
 * transaction, so it is read to the end). Either way the connection is ready
 * for the next statement. Writes run whole (PQexecPrepared): their result is
 * at most the rows they return. Booleans read as 1/0. */
#include "store/driver.h"

#include "core/mem.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BOOLOID 16
#define BYTEAOID 17

struct pg_stmt {
	struct stmt base;
	char *sql;     /* the caller's text: the cache key */
	char *pgsql;   /* translated */
	char name[24]; /* the server-side prepared statement */
	unsigned gen;  /* connection generation it was prepared in (0: not yet) */
	int nparams;
	char **vals;	/* text of each parameter; NULL is SQL NULL */
	char **owned;	/* what vals point into, freed on rebind and done */
	int hidden_ret; /* an INSERT given "RETURNING id" by us */
	int reads;	/* returns rows: streamed (see the top of this file) */
	PGresult *res;	/* of the current execution: the whole result or one row */
	PGresult *desc; /* column names before the first step, on demand */
	int row, nrows;
	int executed;
	int streaming;	  /* rows still come from the connection (db->active) */
	PGresult **queue; /* rows read ahead when the stream was parked */
	size_t qhead, qlen, qcap;
	PGresult *qerr;	      /* the error that ended a parked stream, reported after the queue */
	unsigned char *blob;  /* the last stmt_blob's bytes (PQunescapeBytea) */
};

struct id_table {
	char *name;
	int has_id;
	struct id_table *next;
};

struct pg_db {
	PGconn *conn;
	unsigned gen; /* bumped when the connection is reset: prepared statements are gone */
	unsigned nprepared;
	struct id_table *tables;
	int64_t last_id, changes;
	struct pg_stmt *active; /* the statement whose rows are streaming, or NULL */
};

static struct pg_db *db_of(struct store *st)
{
	return st->impl;
}

static struct pg_stmt *ps_of(struct stmt *s)
{
	return (struct pg_stmt *)s;
}

/* ---- errors -------------------------------------------------------------- */

static int pg_result_error(struct store *st, const PGresult *res, struct err *e)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : "";
	if (!msg || !*msg)
		msg = PQerrorMessage(db_of(st)->conn);
	char clean[400];
	snprintf(clean, sizeof clean, "%s", msg);
	clean[strcspn(clean, "\n")] = 0;
	if (state && !strncmp(state, "23", 2))
		return err_set(e, ERR_CONFLICT, "", "constraint failed: %s", clean);
	/* serialization failure, deadlock: another transaction won; try again */
	if (state && !strcmp(state, "40P01"))
		st->deadlocked = 1; /* store_deadlocked */
	if (state && !strncmp(state, "40", 2))
		return err_set(e, ERR_CONFLICT, "", "concurrent change, try again: %s", clean);
	return err_set(e, ERR_STORE, "", "database error: %s", clean);
}

/* ---- streams ------------------------------------------------------------ */

/* Rows a parked stream reads ahead before a cancel is worth its round trip. */
enum { DRAIN_BEFORE_CANCEL = 256 };

static void queue_push(struct pg_stmt *s, PGresult *r)
{
	if (s->qlen == s->qcap) {
		s->qcap = s->qcap ? s->qcap * 2 : 64;
		s->queue = xrealloc(s->queue, s->qcap * sizeof *s->queue);
	}
	s->queue[s->qlen++] = r;
}

static void queue_clear(struct pg_stmt *s)
{
	for (size_t i = s->qhead; i < s->qlen; i++)
		PQclear(s->queue[i]);
	s->qhead = s->qlen = 0;
	PQclear(s->qerr);
	s->qerr = NULL;
}

/* The end of a stream that stopped without its final result: the
 * connection's error (it broke). */
static PGresult *broken(PGconn *c)
{
	return PQmakeEmptyPGresult(c, PGRES_FATAL_ERROR);
}

/* Frees the connection for another command: the active stream's remaining
 * rows go to its queue, its error (if it ends in one) to qerr. */
static void park(struct pg_db *d)
{
	struct pg_stmt *s = d->active;
	if (!s)
		return;
	d->active = NULL;
	s->streaming = 0;
	int ended = 0;
	PGresult *r;
	while ((r = PQgetResult(d->conn))) {
		ExecStatusType t = PQresultStatus(r);
		if (t == PGRES_SINGLE_TUPLE || (t == PGRES_TUPLES_OK && PQntuples(r) > 0)) {
			queue_push(s, r);
			ended = t == PGRES_TUPLES_OK;
		} else if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK) {
			PQclear(r);
			ended = 1;
		} else {
			if (!s->qerr)
				s->qerr = r;
			else
				PQclear(r);
			ended = 1;
		}
	}
	if (!ended && !s->qerr)
		s->qerr = broken(d->conn);
}

/* Drops the rest of s's stream (see the top of this file). */
static void abandon(struct store *st, struct pg_stmt *s)
{
	struct pg_db *d = st->impl;
	if (d->active != s)
		return;
	d->active = NULL;
	s->streaming = 0;
	PGresult *r;
	int n = 0;
	while ((r = PQgetResult(d->conn))) {
		ExecStatusType t = PQresultStatus(r);
		PQclear(r);
		if (t != PGRES_SINGLE_TUPLE)
			continue; /* the end (or an error): only NULL follows */
		if (++n == DRAIN_BEFORE_CANCEL && st->depth == 0) {
			/* Outside a transaction nothing is lost by stopping the
			 * query; the cancel's error result is read and dropped
			 * below. Should the query end first, the cancel is a
			 * no-op on an idle connection. */
			PGcancel *c = PQgetCancel(d->conn);
			char msg[256];
			if (c) {
				PQcancel(c, msg, sizeof msg);
				PQfreeCancel(c);
			}
		}
	}
}

/* ---- translation of the portable dialect --------------------------------- */

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Is the text at p the keyword kw (any case) followed by a non-name char? */
static int word_is(const char *p, size_t n, const char *kw)
{
	return strlen(kw) == n && !strncasecmp(p, kw, n);
}

static const char *skip_space(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* After a '?', is "IS [NOT] NULL" next? */
static int is_null_test(const char *p)
{
	p = skip_space(p);
	if (strncasecmp(p, "IS", 2) || ident_char(p[2]))
		return 0;
	p = skip_space(p + 2);
	if (!strncasecmp(p, "NOT", 3) && !ident_char(p[3]))
		p = skip_space(p + 3);
	return !strncasecmp(p, "NULL", 4) && !ident_char(p[4]);
}

/* Copies a literal, quoted name or comment starting at p; returns past it. */
static const char *copy_quoted(struct buf *b, const char *p)
{
	const char *start = p;
	if (*p == '\'' || *p == '"') {
		char q = *p++;
		for (; *p; p++) {
			if (*p == q) {
				if (p[1] == q) {
					p++;
					continue;
				}
				p++;
				break;
			}
		}
	} else if (p[0] == '-' && p[1] == '-') {
		while (*p && *p != '\n')
			p++;
	} else if (p[0] == '/' && p[1] == '*') {
		const char *end = strstr(p + 2, "*/");
		p = end ? end + 2 : p + strlen(p);
	}
	buf_append(b, start, (size_t)(p - start));
	return p;
}

#define MAX_ORDER_DEPTH 16

struct order_ctx {
	int depth;	    /* parenthesis depth of the ORDER BY */
	int desc;	    /* the current term ends in DESC */
	int explicit_nulls; /* the current term says NULLS already */
	size_t start;	    /* where the current term begins in the output */
};

/* The term t..end is an id column ("id", "x.id"), ASC or DESC. */
static int term_is_id(const char *t, const char *end)
{
	while (t < end && (isspace((unsigned char)*t) || *t == ','))
		t++;
	while (end > t && isspace((unsigned char)end[-1]))
		end--;
	const char *w = end;
	while (w > t && ident_char(w[-1]))
		w--;
	if (word_is(w, (size_t)(end - w), "DESC") || word_is(w, (size_t)(end - w), "ASC")) {
		end = w;
		while (end > t && isspace((unsigned char)end[-1]))
			end--;
	}
	if (end - t == 2)
		return !strncasecmp(t, "id", 2);
	if (end - t < 4 || strncasecmp(end - 3, ".id", 3))
		return 0;
	while (t < end - 3 && ident_char(*t))
		t++;
	return t == end - 3;
}

static void close_term(struct buf *b, struct order_ctx *o)
{
	if (!o->explicit_nulls && !term_is_id(b->data + o->start, b->data + b->len))
		buf_puts(b, o->desc ? " NULLS LAST " : " NULLS FIRST ");
	o->desc = 0;
	o->explicit_nulls = 0;
	o->start = b->len;
}

/* Translates sql (see the top of this file). *nparams gets the number of
 * parameters, *insert_table the table of a plain INSERT (caller frees) or
 * NULL. Returns the new text (caller frees). */
static char *translate(const char *sql, int *nparams, char **insert_table, int *has_returning)
{
	struct buf b = BUF_INIT;
	struct order_ctx ord[MAX_ORDER_DEPTH];
	int nord = 0, depth = 0, n = 0, first_word = 1, is_insert = 0, after_into = 0;
	int prev_as = 0;
	*insert_table = NULL;
	*has_returning = 0;
	const char *p = sql;
	while (*p) {
		char c = *p;
		if (c == '\'' || c == '"' || (c == '-' && p[1] == '-') ||
		    (c == '/' && p[1] == '*')) {
			p = copy_quoted(&b, p);
			continue;
		}
		if (c == '?') {
			n++;
			if (is_null_test(p + 1))
				buf_printf(&b, "CAST($%d AS TEXT)", n);
			else
				buf_printf(&b, "$%d", n);
			p++;
			prev_as = 0;
			continue;
		}
		if (c == '(') {
			depth++;
		} else if (c == ')' || c == ';') {
			while (nord > 0 && (c == ';' || ord[nord - 1].depth >= depth)) {
				close_term(&b, &ord[nord - 1]);
				nord--;
			}
			if (c == ')')
				depth--;
		} else if (c == ',' && nord > 0 && ord[nord - 1].depth == depth) {
			close_term(&b, &ord[nord - 1]);
		}
		if ((isalpha((unsigned char)c) || c == '_') && (p == sql || !ident_char(p[-1]))) {
			const char *w = p;
			while (ident_char(*p))
				p++;
			size_t len = (size_t)(p - w);
			int qualified = w > sql && w[-1] == '.';
			if (first_word) {
				is_insert = word_is(w, len, "INSERT");
				first_word = 0;
			}
			if (qualified) {
				buf_append(&b, w, len);
				prev_as = 0;
				continue;
			}
			if (is_insert && after_into && !*insert_table) {
				*insert_table = xstrndup(w, len);
				after_into = 0;
			} else if (is_insert && word_is(w, len, "INTO")) {
				after_into = 1;
			}
			if (word_is(w, len, "RETURNING"))
				*has_returning = 1;
			struct order_ctx *top =
				nord > 0 && ord[nord - 1].depth == depth ? &ord[nord - 1] : NULL;
			if (top && (word_is(w, len, "LIMIT") || word_is(w, len, "OFFSET") ||
				    word_is(w, len, "UNION") || word_is(w, len, "EXCEPT") ||
				    word_is(w, len, "INTERSECT") || word_is(w, len, "FETCH") ||
				    word_is(w, len, "FOR") || word_is(w, len, "RETURNING"))) {
				close_term(&b, top);
				nord--;
				top = NULL;
			}
			if (word_is(w, len, "ORDER")) {
				const char *q = skip_space(p);
				if (!strncasecmp(q, "BY", 2) && !ident_char(q[2])) {
					buf_append(&b, w, len);
					buf_append(&b, p, (size_t)(q + 2 - p));
					p = q + 2;
					if (nord < MAX_ORDER_DEPTH)
						ord[nord++] = (struct order_ctx){.depth = depth,
										 .start = b.len};
					prev_as = 0;
					continue;
				}
			}
			if (top) {
				if (word_is(w, len, "DESC"))
					top->desc = 1;
				else if (word_is(w, len, "ASC"))
					top->desc = 0;
				else if (word_is(w, len, "NULLS"))
					top->explicit_nulls = 1;
			}
			if (word_is(w, len, "LIKE")) {
				/* "x LIKE ?" or "x LIKE 'lit'": the pattern is one token */
				buf_puts(&b, "ILIKE");
				const char *q = skip_space(p);
				if (*q == '?' || *q == '\'') {
					buf_append(&b, p, (size_t)(q - p));
					p = q;
					if (*p == '?') {
						n++;
						buf_printf(&b, "$%d", n);
						p++;
					} else {
						p = copy_quoted(&b, p);
					}
					const char *r = skip_space(p);
					if (strncasecmp(r, "ESCAPE", 6) || ident_char(r[6]))
						buf_puts(&b, " ESCAPE ''");
				}
				prev_as = 0;
				continue;
			}
			if (prev_as && word_is(w, len, "INTEGER"))
				buf_puts(&b, "BIGINT");
			else
				buf_append(&b, w, len);
			prev_as = word_is(w, len, "AS");
			continue;
		}
		if (!isspace((unsigned char)c))
			prev_as = 0;
		buf_putc(&b, c);
		p++;
	}
	while (nord > 0)
		close_term(&b, &ord[--nord]);
	*nparams = n;
	return buf_detach(&b);
}

/* ---- connection ---------------------------------------------------------- */

static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* "relation already exists, skipping" and the like */
}

static int ensure_connected(struct store *st, int in_tx, struct err *e);

static int pg_exec(struct store *st, const char *sql, struct err *e)
{
	/* store_begin() counts the transaction before it sends BEGIN */
	int starting = !strncmp(sql, "BEGIN", 5);
	if (ensure_connected(st, st->depth > (starting ? 1 : 0), e) < 0)
		return ERR_STORE;
	PGresult *res = PQexec(db_of(st)->conn, sql);
	ExecStatusType t = PQresultStatus(res);
	if (t == PGRES_FATAL_ERROR && PQstatus(db_of(st)->conn) == CONNECTION_BAD &&
	    st->depth <= (starting ? 1 : 0)) {
		/* the server went away since the last request: once more, anew */
		PQclear(res);
		if (ensure_connected(st, 0, e) < 0)
			return ERR_STORE;
		res = PQexec(db_of(st)->conn, sql);
		t = PQresultStatus(res);
	}
	int rc = 0;
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_EMPTY_QUERY)
		rc = pg_result_error(st, res, e);
	else if (!strcasecmp(sql, "COMMIT") && !strcmp(PQcmdStatus(res), "ROLLBACK"))
		/* COMMIT of a transaction that failed earlier rolls back quietly */
		rc = err_set(e, ERR_STORE, "", "transaction rolled back by an earlier error");
	PQclear(res);
	return rc;
}

/* No parallel query by default: our statements are small (a page, a count
 * capped at 1 001, a sum of pre-aggregates) and many at once on a few cores,
 * where starting two workers costs more than they save (the count of a
 * national search: 10.9 ms with two workers, 4.3 ms without, issue 17).
 * Before the URL, whose own options= replaces it. */
static const char default_options[] = "-c max_parallel_workers_per_gather=0";

static int pg_open(struct store *st, const char *url, struct err *e)
{
	static const char *const keys[] = {"options", "dbname", "fallback_application_name", NULL};
	const char *const vals[] = {default_options, url, "khuyencong", NULL};
	PGconn *conn = PQconnectdbParams(keys, vals, 1);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", conn ? PQerrorMessage(conn) : "out of memory");
		msg[strcspn(msg, "\n")] = 0;
		PQfinish(conn);
		/* never echo the URL: it may hold a password */
		return err_set(e, ERR_STORE, "db", "cannot connect to PostgreSQL: %s", msg);
	}
	PQsetNoticeProcessor(conn, quiet_notice, NULL);
	if (PQsetClientEncoding(conn, "UTF8") != 0) {
		PQfinish(conn);
		return err_set(e, ERR_STORE, "db", "PostgreSQL: cannot use UTF-8");
	}
	struct pg_db *d = xcalloc(1, sizeof *d);
	d->conn = conn;
	d->gen = 1;
	st->impl = d;
	return 0;
}

static void stmt_clear(struct pg_stmt *s)
{
	abandon(s->base.st, s);
	queue_clear(s);
	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
	s->executed = 0;
	PQfreemem(s->blob);
	s->blob = NULL;
	for (int i = 0; i < s->nparams; i++) {
		free(s->owned[i]);
		s->owned[i] = NULL;
		s->vals[i] = NULL;
	}
}

static void pg_finalize(struct stmt *st, int server)
{
	struct pg_stmt *s = ps_of(st);
	struct pg_db *d = db_of(s->base.st);
	stmt_clear(s);
	if (server && s->gen == d->gen && PQstatus(d->conn) == CONNECTION_OK) {
		char sql[40];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		park(d);
		PQclear(PQexec(d->conn, sql));
	}
	PQclear(s->desc);
	free(s->queue);
	free(s->vals);
	free(s->owned);
	free(s->sql);
	free(s->pgsql);
	free(s);
}

static void pg_close(struct store *st)
{
	struct pg_db *d = db_of(st);
	for (struct id_table *t = d->tables, *next; t; t = next) {
		next = t->next;
		free(t->name);
		free(t);
	}
	PQfinish(d->conn);
	free(d);
}

/* A connection lost between transactions (server restart, failover) is
 * re-established; inside a transaction the failure is the caller's. */
static int ensure_connected(struct store *st, int in_tx, struct err *e)
{
	struct pg_db *d = db_of(st);
	park(d); /* whoever asks is about to use the connection */
	if (PQstatus(d->conn) == CONNECTION_OK)
		return 0;
	if (in_tx)
		return err_set(e, ERR_STORE, "", "lost the connection to PostgreSQL");
	PQreset(d->conn);
	if (PQstatus(d->conn) != CONNECTION_OK)
		return err_set(e, ERR_STORE, "", "cannot reconnect to PostgreSQL: %s",
			       PQerrorMessage(d->conn));
	PQsetClientEncoding(d->conn, "UTF8");
	d->gen++;
	return 0;
}

/* Does table have an identity column "id"? Cached once the table exists. */
static int table_has_id(struct store *st, const char *table)
{
	struct pg_db *d = db_of(st);
	for (struct id_table *t = d->tables; t; t = t->next)
		if (!strcmp(t->name, table))
			return t->has_id;
	const char *params[1] = {table};
	park(d);
	PGresult *res = PQexecParams(
		d->conn,
		"SELECT c IS NOT NULL, EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c"
		" AND a.attname = 'id' AND a.attidentity <> '' AND NOT a.attisdropped)"
		" FROM to_regclass($1) AS c",
		1, NULL, params, NULL, NULL, 0);
	int has = 0;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
		has = PQgetvalue(res, 0, 1)[0] == 't';
		if (PQgetvalue(res, 0, 0)[0] == 't') {
			struct id_table *t = xcalloc(1, sizeof *t);
			t->name = xstrdup(table);
			t->has_id = has;
			t->next = d->tables;
			d->tables = t;
		}
	}
	PQclear(res);
	return has;
}

/* Does the text hold INSERT, UPDATE or DELETE as a word of its own? Not
 * inside a name ("updated_at"), a quoted name or a string literal. */
static int writes(const char *p)
{
	while (*p) {
		if (*p == '\'' || *p == '"') {
			const char *end = strchr(p + 1, *p);
			p = end ? end + 1 : p + strlen(p);
			continue;
		}
		size_t n = 0;
		while (ident_char(p[n]))
			n++;
		if (word_is(p, n, "INSERT") || word_is(p, n, "UPDATE") || word_is(p, n, "DELETE"))
			return 1;
		p += n ? n : 1;
	}
	return 0;
}

/* Does the (translated) statement return rows? SELECT, VALUES, TABLE, and
 * WITH unless it writes (the model's SQL has no data-modifying WITH; one
 * that did would still run, whole). */
static int returns_rows(const char *sql)
{
	const char *p = sql;
	while (*p == '(' || isspace((unsigned char)*p))
		p++;
	size_t n = 0;
	while (ident_char(p[n]))
		n++;
	if (word_is(p, n, "SELECT") || word_is(p, n, "VALUES") || word_is(p, n, "TABLE"))
		return 1;
	return word_is(p, n, "WITH") && !writes(p);
}

static int server_prepare(struct store *st, struct pg_stmt *s, struct err *e)
{
	struct pg_db *d = db_of(st);
	if (s->gen == d->gen)
		return 0;
	park(d);
	snprintf(s->name, sizeof s->name, "kc%u", ++d->nprepared);
	PGresult *res = PQprepare(d->conn, s->name, s->pgsql, 0, NULL);
	int rc = 0;
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_result_error(st, res, e);
	else
		s->gen = d->gen;
	PQclear(res);
	return rc;
}

static struct stmt *pg_prepare(struct store *st, const char *sql, struct err *e)
{
	if (ensure_connected(st, st->depth > 0, e) < 0)
		return NULL;
	struct pg_stmt *s = xcalloc(1, sizeof *s);
	s->base.st = st;
	s->sql = xstrdup(sql);
	char *table = NULL;
	int has_returning = 0;
	char *text = translate(sql, &s->nparams, &table, &has_returning);
	if (table && !has_returning && table_has_id(st, table)) {
		struct buf b = BUF_INIT;
		size_t len = strlen(text);
		while (len > 0 && (isspace((unsigned char)text[len - 1]) || text[len - 1] == ';'))
			len--;
		buf_append(&b, text, len);
		buf_puts(&b, " RETURNING id");
		free(text);
		text = buf_detach(&b);
		s->hidden_ret = 1;
	}
	free(table);
	s->pgsql = text;
	s->reads = !s->hidden_ret && returns_rows(text);
	s->vals = xcalloc((size_t)s->nparams + 1, sizeof *s->vals);
	s->owned = xcalloc((size_t)s->nparams + 1, sizeof *s->owned);
	if (server_prepare(st, s, e) < 0) {
		pg_finalize(&s->base, 0);
		return NULL;
	}
	return &s->base;
}

/* A cached statement used again: its own stream, if any, is not worth
 * parking; on a new connection it is prepared again. */
static int pg_reuse(struct stmt *st, struct err *e)
{
	struct pg_stmt *s = ps_of(st);
	abandon(st->st, s);
	if (ensure_connected(st->st, st->st->depth > 0, e) < 0)
		return ERR_STORE;
	stmt_clear(s);
	return server_prepare(st->st, s, e);
}

/* ---- binding and stepping ------------------------------------------------ */

/* A position out of range is ignored, as SQLite does (SQLITE_RANGE). */
static void set_param(struct pg_stmt *s, int pos, char *owned)
{
	if (pos < 1 || pos > s->nparams) {
		free(owned);
		return;
	}
	free(s->owned[pos - 1]);
	s->owned[pos - 1] = owned;
	s->vals[pos - 1] = owned;
}

static void pg_bind_int(struct stmt *st, int pos, int64_t v)
{
	char tmp[24];
	snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	set_param(ps_of(st), pos, xstrdup(tmp));
}

static void pg_bind_text(struct stmt *st, int pos, const char *v)
{
	set_param(ps_of(st), pos, xstrdup(v));
}

static void pg_bind_null(struct stmt *st, int pos)
{
	set_param(ps_of(st), pos, NULL);
}

/* Bytes go as bytea's text form, "\\x" and two hex digits each. */
static void pg_bind_blob(struct stmt *st, int pos, const void *data, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = data;
	char *t = xmalloc(2 * n + 3);
	t[0] = '\\';
	t[1] = 'x';
	for (size_t i = 0; i < n; i++) {
		t[2 + 2 * i] = hex[p[i] >> 4];
		t[3 + 2 * i] = hex[p[i] & 15];
	}
	t[2 + 2 * n] = 0;
	set_param(ps_of(st), pos, t);
}

/* Sends a read in single-row mode; s becomes the active stream. */
static int send_read(struct pg_stmt *s)
{
	struct pg_db *d = db_of(s->base.st);
	if (!PQsendQueryPrepared(d->conn, s->name, s->nparams, (const char *const *)s->vals, NULL,
				 NULL, 0))
		return -1;
	/* Refused only when the query is not the latest sent: never here. The
	 * rows would then come whole, which the steps below also take. */
	PQsetSingleRowMode(d->conn);
	d->active = s;
	s->streaming = 1;
	return 0;
}

/* Takes the next result of s's stream: 1 when it holds rows, 0 at the end,
 * < 0 on an error (the stream is over in both of the last cases). */
static int take_next(struct pg_stmt *s, struct err *e)
{
	struct store *st = s->base.st;
	struct pg_db *d = db_of(st);
	PGresult *r = PQgetResult(d->conn);
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (r && t == PGRES_SINGLE_TUPLE) {
		PQclear(s->res);
		s->res = r;
		s->row = -1;
		s->nrows = 1;
		return 1;
	}
	/* The end: a final result (no rows in single-row mode), then NULL. */
	d->active = NULL;
	s->streaming = 0;
	if (!r)
		r = broken(d->conn);
	else
		for (PGresult *x; (x = PQgetResult(d->conn));)
			PQclear(x);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
		int rc = pg_result_error(st, r, e);
		PQclear(r);
		return rc;
	}
	s->res = r; /* kept for its column names */
	s->nrows = PQntuples(r);
	return s->nrows > 0;
}

/* Starts a read: sends it and takes its first result, so that an error in
 * the statement shows at the first step as with a whole result. */
static int execute_read(struct pg_stmt *s, struct err *e)
{
	struct store *st = s->base.st;
	struct pg_db *d = db_of(st);
	park(d);
	s->executed = 1;
	s->row = -1;
	s->nrows = 0;
	int sent = send_read(s) == 0;
	PGresult *first = sent ? PQgetResult(d->conn) : NULL;
	if ((!sent || PQresultStatus(first) == PGRES_FATAL_ERROR) &&
	    PQstatus(d->conn) == CONNECTION_BAD && st->depth == 0) {
		/* The server went away since the last request (restart, failover):
		 * outside a transaction nothing is lost by trying once more. */
		PQclear(first);
		first = NULL;
		d->active = NULL;
		s->streaming = 0;
		if (ensure_connected(st, 0, e) < 0 || server_prepare(st, s, e) < 0)
			return ERR_STORE;
		sent = send_read(s) == 0;
	}
	if (!sent) {
		PGresult *r = broken(d->conn);
		int rc = pg_result_error(st, r, e);
		PQclear(r);
		return rc;
	}
	if (first) {
		/* put the first result back in line: take_next reads it */
		if (PQresultStatus(first) == PGRES_SINGLE_TUPLE) {
			PQclear(s->res);
			s->res = first;
			s->nrows = 1;
			return 0;
		}
		/* an end or an error at once: finish as take_next would */
		d->active = NULL;
		s->streaming = 0;
		for (PGresult *x; (x = PQgetResult(d->conn));)
			PQclear(x);
		ExecStatusType t = PQresultStatus(first);
		if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
			int rc = pg_result_error(st, first, e);
			PQclear(first);
			return rc;
		}
		PQclear(s->res);
		s->res = first;
		s->nrows = PQntuples(first);
		return 0;
	}
	int rc = take_next(s, e);
	return rc < 0 ? rc : 0;
}

/* Runs a write whole. */
static int execute(struct pg_stmt *s, struct err *e)
{
	struct store *st = s->base.st;
	struct pg_db *d = db_of(st);
	park(d);
	PQclear(s->res);
	s->res = PQexecPrepared(d->conn, s->name, s->nparams, (const char *const *)s->vals, NULL,
				NULL, 0);
	s->executed = 1;
	s->row = -1;
	s->nrows = 0;
	ExecStatusType t = PQresultStatus(s->res);
	if (t == PGRES_FATAL_ERROR && PQstatus(d->conn) == CONNECTION_BAD && st->depth == 0) {
		/* The server went away since the last request (restart, failover):
		 * outside a transaction nothing is lost by trying once more. */
		if (ensure_connected(st, 0, e) < 0 || server_prepare(st, s, e) < 0)
			return ERR_STORE;
		PQclear(s->res);
		s->res = PQexecPrepared(d->conn, s->name, s->nparams, (const char *const *)s->vals,
					NULL, NULL, 0);
		t = PQresultStatus(s->res);
	}
	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		int rc = pg_result_error(st, s->res, e);
		PQclear(s->res);
		s->res = NULL;
		return rc;
	}
	const char *cmd = PQcmdStatus(s->res);
	if (!strncmp(cmd, "INSERT", 6) || !strncmp(cmd, "UPDATE", 6) || !strncmp(cmd, "DELETE", 6))
		d->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
	if (s->hidden_ret) {
		int n = PQntuples(s->res);
		if (n > 0)
			d->last_id = strtoll(PQgetvalue(s->res, n - 1, 0), NULL, 10);
		return 0;
	}
	s->nrows = t == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
	return 0;
}

static int pg_step(struct stmt *st, struct err *e)
{
	struct pg_stmt *s = ps_of(st);
	if (!s->executed) {
		int rc = s->reads ? execute_read(s, e) : execute(s, e);
		if (rc < 0)
			return rc;
	}
	for (;;) {
		if (s->row + 1 < s->nrows) {
			s->row++;
			return 1;
		}
		if (s->qhead < s->qlen) {
			/* rows read ahead when the stream was parked */
			PQclear(s->res);
			s->res = s->queue[s->qhead++];
			s->row = -1;
			s->nrows = PQntuples(s->res);
			continue;
		}
		if (s->qerr) {
			int rc = pg_result_error(s->base.st, s->qerr, e);
			PQclear(s->qerr);
			s->qerr = NULL;
			return rc;
		}
		if (!s->streaming)
			break;
		int rc = take_next(s, e);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
	}
	s->row = s->nrows;
	return 0;
}

static int valid_cell(struct pg_stmt *s, int col)
{
	return s->res && s->row >= 0 && s->row < s->nrows && col >= 0 && col < PQnfields(s->res);
}

static int pg_col_isnull(struct stmt *st, int col)
{
	struct pg_stmt *s = ps_of(st);
	return !valid_cell(s, col) || PQgetisnull(s->res, s->row, col);
}

static const char *pg_col_text(struct stmt *st, int col)
{
	struct pg_stmt *s = ps_of(st);
	if (pg_col_isnull(st, col))
		return NULL;
	const char *v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == BOOLOID)
		return v[0] == 't' ? "1" : "0";
	return v;
}

static const unsigned char *pg_col_blob(struct stmt *st, int col, size_t *n)
{
	struct pg_stmt *s = ps_of(st);
	PQfreemem(s->blob);
	s->blob = NULL;
	*n = 0;
	const char *v = pg_col_text(st, col);
	if (v)
		s->blob = PQunescapeBytea((const unsigned char *)v, n);
	return s->blob;
}

static int pg_col_is_blob(struct stmt *st, int col)
{
	struct pg_stmt *s = ps_of(st);
	return !pg_col_isnull(st, col) && PQftype(s->res, col) == BYTEAOID;
}

/* As sqlite3_column_int64: leading digits of text, 0 when there are none;
 * "12.5" (numeric from SUM()/n) gives 12, as SQLite's integer division. */
static int64_t pg_col_int(struct stmt *st, int col)
{
	const char *v = pg_col_text(st, col);
	return v ? strtoll(v, NULL, 10) : 0;
}

/* The result's shape: of the execution, or described before it. */
static const PGresult *shape(struct pg_stmt *s)
{
	if (s->res && !s->hidden_ret)
		return s->res;
	if (!s->desc) {
		park(db_of(s->base.st));
		s->desc = PQdescribePrepared(db_of(s->base.st)->conn, s->name);
	}
	return PQresultStatus(s->desc) == PGRES_COMMAND_OK ? s->desc : NULL;
}

static int pg_params(struct stmt *st)
{
	return ps_of(st)->nparams;
}

static int pg_columns(struct stmt *st)
{
	const PGresult *r = shape(ps_of(st));
	return r && !ps_of(st)->hidden_ret ? PQnfields(r) : 0;
}

static const char *pg_column_name(struct stmt *st, int col)
{
	const PGresult *r = shape(ps_of(st));
	return r && col >= 0 && col < PQnfields(r) ? PQfname(r, col) : NULL;
}

static void pg_done(struct stmt *st)
{
	stmt_clear(ps_of(st));
}

static int64_t pg_last_id(struct store *st)
{
	return db_of(st)->last_id;
}

static int64_t pg_changes(struct store *st)
{
	return db_of(st)->changes;
}

/* ---- backup and check ------------------------------------------------- */

static int pg_backup(struct store *st, const char *path, struct err *e)
{
	(void)st;
	(void)path;
	return err_set(
		e, ERR_INVALID, "db",
		"khuyencong backup copies SQLite files only; back up PostgreSQL with its own "
		"tools: pg_dump for one database, pg_basebackup with WAL archiving for the "
		"cluster and point-in-time recovery (docs/deploy.md)");
}

static const char *one_value(PGconn *c, const char *sql, char *out, size_t n)
{
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0 && PQnfields(res) > 0)
		snprintf(out, n, "%s", PQgetvalue(res, 0, 0));
	else
		snprintf(out, n, "?");
	PQclear(res);
	return out;
}

static int pg_check(struct store *st, struct buf *report, struct err *e)
{
	PGconn *c = db_of(st)->conn;
	park(db_of(st));
	if (PQstatus(c) != CONNECTION_OK) {
		buf_printf(report, "connection: %s\n", PQerrorMessage(c));
		return err_set(e, ERR_STORE, "", "cannot reach PostgreSQL");
	}
	char ver[64], coll[64], ctype[64], enc[32], rec[8];
	one_value(c, "SHOW server_version", ver, sizeof ver);
	one_value(c, "SELECT datcollate FROM pg_database WHERE datname = current_database()", coll,
		  sizeof coll);
	one_value(c, "SELECT datctype FROM pg_database WHERE datname = current_database()", ctype,
		  sizeof ctype);
	one_value(c, "SHOW server_encoding", enc, sizeof enc);
	one_value(c, "SELECT pg_is_in_recovery()", rec, sizeof rec);
	buf_printf(report, "postgresql: server %s, encoding %s, collation %s, ctype %s%s\n", ver,
		   enc, coll, ctype, rec[0] == 't' ? ", read-only replica" : "");
	int bad = 0;
	if (strcmp(enc, "UTF8")) {
		buf_printf(report, "postgresql: the database must be UTF8 (it is %s)\n", enc);
		bad = 1;
	}
	if (strcmp(coll, "C") && strcmp(coll, "POSIX"))
		buf_printf(report,
			   "postgresql: warning: collation %s sorts text differently from "
			   "SQLite; create the database with LC_COLLATE 'C' (docs/deploy.md)\n",
			   coll);
	/* Foreign keys and indexes are enforced by the server itself; what can
	 * still be wrong is an index left invalid by a failed CREATE INDEX
	 * CONCURRENTLY. */
	PGresult *res = PQexec(c, "SELECT c.relname FROM pg_index i JOIN pg_class c"
				  " ON c.oid = i.indexrelid WHERE NOT i.indisvalid");
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_printf(report, "postgresql: %s", PQresultErrorMessage(res));
		bad = 1;
	} else {
		for (int i = 0; i < PQntuples(res); i++) {
			buf_printf(report, "postgresql: index %s is invalid (REINDEX it)\n",
				   PQgetvalue(res, i, 0));
			bad = 1;
		}
	}
	PQclear(res);
	if (bad)
		return err_set(e, ERR_STORE, "", "the database needs attention");
	return 0;
}

/* ---- bulk loading (COPY FROM STDIN) -------------------------------------- */

static int pg_copy_begin(struct store *st, const char *sql, struct err *e)
{
	if (ensure_connected(st, 1, e) < 0)
		return ERR_STORE;
	PGresult *res = PQexec(db_of(st)->conn, sql);
	int rc = PQresultStatus(res) == PGRES_COPY_IN ? 0 : pg_result_error(st, res, e);
	PQclear(res);
	return rc;
}

static int pg_copy_put(struct store *st, const char *data, size_t n, struct err *e)
{
	/* libpq queues what the socket cannot take yet (blocking connection) */
	for (size_t off = 0; off < n;) {
		int part = n - off > (1 << 30) ? 1 << 30 : (int)(n - off);
		if (PQputCopyData(db_of(st)->conn, data + off, part) != 1)
			return err_set(e, ERR_STORE, "", "database error: %s",
				       PQerrorMessage(db_of(st)->conn));
		off += (size_t)part;
	}
	return 0;
}

/* Ends the copy and reads its verdict: the rows' errors (a constraint, a
 * value that is not of the column's type) come here, for the whole copy. */
static int pg_copy_end(struct store *st, int failed, struct err *e)
{
	PGconn *c = db_of(st)->conn;
	int rc = PQputCopyEnd(c, failed ? "abandoned by khuyencong" : NULL) == 1
			 ? 0
			 : err_set(e, ERR_STORE, "", "database error: %s", PQerrorMessage(c));
	PGresult *res;
	while ((res = PQgetResult(c))) {
		if (rc == 0 && !failed && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = pg_result_error(st, res, e);
		PQclear(res);
	}
	return rc;
}

const struct store_driver pg_driver = {
	.dialect = "postgresql",
	.id_column = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
	.begin_sql = "BEGIN ISOLATION LEVEL READ COMMITTED",
	.blob_type = "BYTEA",
	.file_tag = "pg",
	/* Servers started together must not migrate one database twice; the key
	 * is arbitrary but fixed ("kc" in ASCII, 0x6b63, and schema). */
	.lock_sql = "SELECT pg_advisory_lock(27491, 1)",
	.unlock_sql = "SELECT pg_advisory_unlock(27491, 1)",
	.version_sql = "SELECT pg_current_snapshot()::text",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.reuse = pg_reuse,
	.finalize = pg_finalize,
	.bind_int = pg_bind_int,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.bind_blob = pg_bind_blob,
	.step = pg_step,
	.col_int = pg_col_int,
	.col_text = pg_col_text,
	.col_isnull = pg_col_isnull,
	.col_blob = pg_col_blob,
	.col_is_blob = pg_col_is_blob,
	.columns = pg_columns,
	.params = pg_params,
	.column_name = pg_column_name,
	.done = pg_done,
	.last_id = pg_last_id,
	.changes = pg_changes,
	.backup = pg_backup,
	.check = pg_check,
	.copy_begin = pg_copy_begin,
	.copy_put = pg_copy_put,
	.copy_end = pg_copy_end,
	.analyze_sql = "ANALYZE",
};
