/* record.c - the generic, scoped, audited record engine. */
#include "model/record.h"

#include "core/clock.h"
#include "core/mem.h"
#include "core/vtext.h"
#include "model/audit.h"
#include "model/chain_lock.h"
#include "model/record_old.h"
#include "model/record_ref.h"
#include "model/record_sql.h"
#include "model/record_stage.h"
#include "model/record_words.h"
#include "model/unit.h"
#include "model/unit_attr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- reading rows ---------------------------------------------------- */

static json_t *col_int_or_null(struct stmt *s, int c)
{
	return stmt_isnull(s, c) ? json_null() : json_integer(stmt_int(s, c));
}

static json_t *col_text_or_null(struct stmt *s, int c)
{
	const char *t = stmt_text(s, c);
	return t ? json_string(t) : json_null();
}

static json_t *qty_json(struct stmt *s, int c)
{
	if (stmt_isnull(s, c))
		return json_null();
	const char *q = stmt_text(s, c + 3);
	return json_pack("{s:I,s:I,s:I,s:s}", "value", (json_int_t)stmt_int(s, c), "value_hi",
	                 (json_int_t)stmt_int(s, c + 1), "scale", (json_int_t)stmt_int(s, c + 2),
	                 "qualifier", q ? q : "exact");
}

/* The canonical fields of the current row (what audit rows hold). */
static json_t *row_fields(const struct entity *ent, struct stmt *s, int nbase)
{
	json_t *o = json_object();
	int c = nbase;
	for (const struct field *f = ent->fields; f->name; f++) {
		json_t *v;
		switch (f->type) {
		case F_QTY: v = qty_json(s, c); c += 4; break;
		case F_URLS:
		case F_JSON: {
			const char *t = stmt_text(s, c++);
			v = t ? json_loads(t, 0, NULL) : NULL;
			if (!v)
				v = json_null();
			break;
		}
		case F_TEXT:
		case F_LONGTEXT:
		case F_DATE:
		case F_ENUM:
		case F_PROVINCE: v = col_text_or_null(s, c++); break;
		case F_BOOL:
			v = stmt_isnull(s, c) ? json_null() : json_boolean(stmt_int(s, c));
			c++;
			break;
		default: v = col_int_or_null(s, c++);
		}
		json_object_set_new(o, f->name, v);
	}
	return o;
}

/* The system columns every SELECT begins with (record_sql.c), in order:
 * the first SYS_INTS integers, the others text. */
static const char *const sys_cols[] = {"id",
				       "version",
				       "created_at",
				       "updated_at",
				       "province_code",
				       "old_province_code",
				       "old_district_code",
				       "old_commune_code",
				       "old_split"};
enum { SYS_COLS = sizeof sys_cols / sizeof sys_cols[0], SYS_INTS = 2 };

/* The key suffixes of the names a field's reference adds after the fields
 * (one column each): "_title" of a record, "_name" and "_code" of a unit,
 * "_name" of a province; NULL at the end. */
static const char *ref_suffix(const struct field *f, int i)
{
	static const char *const ref[] = {"_title", NULL}, *const unit[] = {"_name", "_code", NULL},
				 *const prov[] = {"_name", NULL};
	if (f->type == F_REF)
		return ref[i];
	if (f->type == F_UNIT)
		return unit[i];
	return f->type == F_PROVINCE ? prov[i] : NULL;
}

/* The whole record: system columns, fields, and names of what it refers to. */
static json_t *row_record(const struct entity *ent, struct stmt *s, const struct ent_sql *q)
{
	json_t *o = row_fields(ent, s, q->nbase);
	for (int i = 0; i < SYS_COLS; i++)
		json_object_set_new(o, sys_cols[i],
				    i < SYS_INTS ? json_integer(stmt_int(s, i))
						 : col_text_or_null(s, i));
	int c = q->nbase + q->nfieldcols;
	char key[80];
	for (const struct field *f = ent->fields; f->name; f++) {
		const char *suffix;
		for (int i = 0; (suffix = ref_suffix(f, i)); i++) {
			snprintf(key, sizeof key, "%s%s", f->name, suffix);
			json_object_set_new(o, key, col_text_or_null(s, c++));
		}
	}
	return o;
}

/* ---- the same record written as JSON text ---------------------------- */

static void json_key(struct buf *b, int *n, const char *key, const char *suffix)
{
	buf_puts(b, (*n)++ ? ",\"" : "{\"");
	buf_puts(b, key); /* names of the descriptions: nothing to escape */
	buf_puts(b, suffix);
	buf_puts(b, "\":");
}

static void json_int_col(struct buf *b, struct stmt *s, int c)
{
	if (stmt_isnull(s, c))
		buf_puts(b, "null");
	else
		buf_printf(b, "%lld", (long long)stmt_int(s, c));
}

static int dump_to_buf(const char *p, size_t n, void *b)
{
	buf_append(b, p, n);
	return 0;
}

/* A field's value as row_fields has it, written (c: its first column). */
static int field_json(struct buf *b, const struct field *f, struct stmt *s, int c)
{
	switch (f->type) {
	case F_QTY:
		if (stmt_isnull(s, c)) {
			buf_puts(b, "null");
		} else {
			const char *q = stmt_text(s, c + 3);
			buf_printf(b,
				   "{\"value\":%lld,\"value_hi\":%lld,\"scale\":%lld,\"qualifier\":"
				   "%j}",
				   (long long)stmt_int(s, c), (long long)stmt_int(s, c + 1),
				   (long long)stmt_int(s, c + 2), q ? q : "exact");
		}
		return 4;
	case F_URLS:
	case F_JSON: {
		const char *t = stmt_text(s, c);
		json_t *v = t ? json_loads(t, 0, NULL) : NULL;
		if (!v || json_dump_callback(v, dump_to_buf, b, JSON_COMPACT) < 0)
			buf_puts(b, "null");
		json_decref(v);
		return 1;
	}
	case F_TEXT:
	case F_LONGTEXT:
	case F_DATE:
	case F_ENUM:
	case F_PROVINCE:
		buf_json_str(b, stmt_text(s, c));
		return 1;
	case F_BOOL:
		buf_puts(b, stmt_isnull(s, c) ? "null" : stmt_int(s, c) ? "true" : "false");
		return 1;
	default:
		json_int_col(b, s, c);
		return 1;
	}
}

/* Appends the current row as a JSON object: the same keys, in the same
 * order, and values as row_record's object (the API list writes its pages
 * so, without making each record an object only to print it). */
static void row_json(const struct entity *ent, struct stmt *s, const struct ent_sql *q,
		     struct buf *b)
{
	int n = 0, c = q->nbase;
	for (const struct field *f = ent->fields; f->name; f++) {
		json_key(b, &n, f->name, "");
		c += field_json(b, f, s, c);
	}
	for (int i = 0; i < SYS_COLS; i++) {
		json_key(b, &n, sys_cols[i], "");
		if (i < SYS_INTS)
			json_int_col(b, s, i);
		else
			buf_json_str(b, stmt_text(s, i));
	}
	c = q->nbase + q->nfieldcols;
	for (const struct field *f = ent->fields; f->name; f++) {
		const char *suffix;
		for (int i = 0; (suffix = ref_suffix(f, i)); i++) {
			json_key(b, &n, f->name, suffix);
			buf_json_str(b, stmt_text(s, c++));
		}
	}
	buf_puts(b, n ? "}" : "{}");
}

/* ---- scope ----------------------------------------------------------- */

static int est_matches(const struct entity *ent, const struct actor *a, json_t *rec)
{
	if (!ent->est_field || a->establishment_id <= 0)
		return 0;
	json_t *v = !strcmp(ent->est_field, "id") ? json_object_get(rec, "id")
	                                          : json_object_get(rec, ent->est_field);
	return json_is_integer(v) && json_integer_value(v) == a->establishment_id;
}

/* May a read a record of ent in province prov (NULL: national) whose
 * establishment is est (0: none)? */
static int can_read_in(const struct entity *ent, const struct actor *a, const char *prov,
		       int64_t est)
{
	if (a->role == ROLE_ESTABLISHMENT)
		return (ent->est_field && a->establishment_id > 0 && est == a->establishment_id) ||
		       (!prov && ent->prov != PROV_UNIT);
	if (!prov)
		return 1; /* national records are read by everyone logged in */
	return actor_can_read_province(a, prov);
}

static int can_read(const struct entity *ent, const struct actor *a, json_t *rec)
{
	return can_read_in(ent, a, json_string_value(json_object_get(rec, "province_code")),
			   est_matches(ent, a, rec) ? a->establishment_id : 0);
}

int record_may_create(const struct actor *a, const struct entity *ent)
{
	if (a->role == ROLE_VIEWER)
		return 0;
	if (a->role != ROLE_ESTABLISHMENT)
		return 1;
	/* Its own establishment exists already; the rest hangs under it. */
	return ent->est_writes && strcmp(ent->est_field, "id");
}

/* An establishment account's records are its own: the establishment field
 * left out is filled in, so no form asks for its record number. */
static void est_default(const struct entity *ent, const struct actor *a, json_t *in)
{
	if (a->role != ROLE_ESTABLISHMENT || !ent->est_field || !strcmp(ent->est_field, "id"))
		return;
	const struct field *f = entity_field(ent, ent->est_field);
	if (f && !(f->flags & FF_READONLY) && !json_object_get(in, f->name))
		json_object_set_new(in, f->name, json_integer(a->establishment_id));
}

static int can_write(const struct entity *ent, const struct actor *a, const char *prov,
                     json_t *rec)
{
	if (a->role == ROLE_ESTABLISHMENT)
		return ent->est_writes && est_matches(ent, a, rec);
	if (!prov)
		return a->role == ROLE_ADMIN || a->role == ROLE_MINISTRY;
	return actor_can_write_province(a, prov);
}

/* ---- reads ----------------------------------------------------------- */

/* ent's row of id stepped to in *s (1; *s NULL when it cannot be
 * prepared), or the error that there is none. The caller ends *s. */
static int step_by_id(struct store *st, const struct entity *ent, int64_t id, struct stmt **s,
		      struct err *e)
{
	*s = store_prepare(st, ent_sql(ent)->by_id, e);
	if (!*s)
		return ERR_STORE;
	stmt_bind(*s, "i", id);
	int rc = stmt_step(*s, e);
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "id", "Không có %s số %lld / no %s %lld", ent->vi,
			       (long long)id, ent->en, (long long)id);
	return rc;
}

/* A record the actor may not read, as record_get and record_get_json say it. */
static int out_of_scope(struct err *e)
{
	return err_set(e, ERR_FORBIDDEN, "id",
		       "Bản ghi ngoài phạm vi của bạn / the record is outside your scope");
}

static int load(struct store *st, const struct entity *ent, int64_t id, json_t **out,
                struct err *e)
{
	*out = NULL; /* gcc -O2 cannot see that a row sets it whenever 0 is returned */
	struct stmt *s;
	int rc = step_by_id(st, ent, id, &s, e);
	if (rc == 1)
		*out = row_record(ent, s, ent_sql(ent));
	if (s)
		stmt_done(s);
	return rc < 0 ? rc : 0;
}

int record_get(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
               json_t **out, struct err *e)
{
	json_t *rec;
	int rc = load(st, ent, id, &rec, e);
	if (rc < 0)
		return rc;
	if (!can_read(ent, a, rec)) {
		json_decref(rec);
		return out_of_scope(e);
	}
	*out = rec;
	return 0;
}

/* The column of ent's row (ent_sql's select) holding field name ("id":
 * the first); -1 when there is none. */
static int field_column(const struct entity *ent, const struct ent_sql *q, const char *name)
{
	if (!strcmp(name, "id"))
		return 0;
	int c = q->nbase;
	for (const struct field *f = ent->fields; f->name; f++) {
		if (!strcmp(f->name, name))
			return c;
		c += f->type == F_QTY ? 4 : 1;
	}
	return -1;
}

int record_get_json(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
		    struct buf *out, int64_t *version, struct err *e)
{
	const struct ent_sql *q = ent_sql(ent);
	struct stmt *s;
	int rc = step_by_id(st, ent, id, &s, e);
	if (rc == 1) {
		int c = ent->est_field ? field_column(ent, q, ent->est_field) : -1;
		int64_t est = c >= 0 && !stmt_isnull(s, c) ? stmt_int(s, c) : 0;
		if (!can_read_in(ent, a, stmt_text(s, 4), est))
			rc = out_of_scope(e);
		else
			*version = stmt_int(s, 1), row_json(ent, s, q, out);
	}
	if (s)
		stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* A WHERE clause built from constant fragments with only the conditions in
 * use, so the database can use its indexes (an "(? IS NULL OR col = ?)"
 * pair defeats them), and the values to bind in order. */
enum {
	WHERE_MAX_BINDS = 128 + LIST_MAX_IDS,
	OWNED_MAX = 2 * LIST_MAX_FILTERS + SEARCH_WORDS + 4,
};

struct where {
	struct buf sql;
	struct {
		int is_int;
		int64_t i;
		const char *t;
	} binds[WHERE_MAX_BINDS];
	int n;
	/* converted filter values, search words, dates */
	char owned[OWNED_MAX][128];
	int nowned;
	char match[512]; /* the search words as a full-text query (where_words) */
	char join[160];	 /* SQLite: the full-text index joined as tw (where_words) */
	int few;	 /* the count found every match within the page (cursor_open) */
	size_t match_at; /* PostgreSQL: where the text-search condition starts in sql */
	int newest;	 /* the page's ids come from the newest record_newest_rows */
	int once;	 /* the text varies with the values (ids, search words) */
};

/* A list's statement: from the store's cache when its text is one of the
 * few that the filters and the sort make (values are bound), so that the
 * same list asked again is not parsed and planned again (on PostgreSQL not
 * prepared again on the server); of its own when the text grows with the
 * request (a number of ids or words), which would only churn the cache, and
 * when searching, whose plan PostgreSQL must make for the words given. */
void (*record_list_seen)(const char *sql);

static struct stmt *where_prepare(struct store *st, const struct where *w, const char *sql,
				  struct err *e)
{
	if (record_list_seen)
		record_list_seen(sql);
	return w->once ? store_prepare_once(st, sql, e) : store_prepare(st, sql, e);
}

static void where_text(struct where *w, const char *frag, const char *v)
{
	buf_printf(&w->sql, " AND %s", frag);
	w->binds[w->n].is_int = 0;
	w->binds[w->n++].t = v;
}

static void where_raw(struct where *w, const char *frag)
{
	buf_printf(&w->sql, " AND %s", frag);
}

static void where_int(struct where *w, const char *frag, int64_t v)
{
	buf_printf(&w->sql, " AND %s", frag);
	w->binds[w->n].is_int = 1;
	w->binds[w->n++].i = v;
}

static int where_bind(struct stmt *s, const struct where *w)
{
	for (int i = 0; i < w->n; i++) {
		if (w->binds[i].is_int)
			stmt_bind_int(s, i + 1, w->binds[i].i);
		else
			stmt_bind_text(s, i + 1, w->binds[i].t);
	}
	return w->n + 1;
}

/* Canonical text of a filter value (booleans as 0/1, enum labels to codes). */
static int filter_value(struct store *st, const struct field *f, const char *v, char *out,
                        size_t n, struct err *e)
{
	json_t *in = json_string(v), *conv = NULL;
	int rc = record_convert(st, f, in, NULL, &conv, e);
	json_decref(in);
	if (rc < 0)
		return rc;
	if (json_is_boolean(conv))
		snprintf(out, n, "%d", json_is_true(conv));
	else if (json_is_integer(conv))
		snprintf(out, n, "%lld", (long long)json_integer_value(conv));
	else if (json_is_string(conv))
		snprintf(out, n, "%s", json_string_value(conv));
	else
		snprintf(out, n, "%s", v);
	json_decref(conv);
	return 0;
}

static int where_scope(struct where *w, const struct actor *a, const struct entity *ent,
                       struct err *e)
{
	if (a->role == ROLE_ESTABLISHMENT) {
		if (!ent->est_field)
			return err_set(e, ERR_FORBIDDEN, "", "Ngoài phạm vi / outside your scope");
		/* Column names come from the descriptions, never from input. */
		char frag[96];
		snprintf(frag, sizeof frag, "t.%s = ?", ent->est_field);
		where_int(w, frag, a->establishment_id);
	} else if (!actor_reads_all(a)) {
		/* Province accounts also read national records (no province). */
		where_text(w, "(t.province_code = ? OR t.province_code IS NULL)", a->province);
	}
	return 0;
}

const struct field *record_date_field(const struct entity *ent)
{
	const struct field *f = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	if (!f || f->type != F_DATE)
		f = entity_field(ent, "date_from");
	return f && f->type == F_DATE ? f : NULL;
}

/* The bounds of years on the year field (a date field: whole years). */
static void year_bounds(struct where *w, const struct field *yf, int from, int to)
{
	char frag[128];
	if (yf->type == F_DATE) {
		/* ISO dates compare as text: the whole year is [from-01-01, to-12-31]. */
		if (from) {
			snprintf(frag, sizeof frag, "t.%s >= ?", yf->name);
			snprintf(w->owned[w->nowned], 128, "%04d-01-01", from);
			where_text(w, frag, w->owned[w->nowned++]);
		}
		if (to) {
			snprintf(frag, sizeof frag, "t.%s <= ?", yf->name);
			snprintf(w->owned[w->nowned], 128, "%04d-12-31", to);
			where_text(w, frag, w->owned[w->nowned++]);
		}
		return;
	}
	snprintf(frag, sizeof frag, "t.%s >= ?", yf->name);
	if (from)
		where_int(w, frag, from);
	snprintf(frag, sizeof frag, "t.%s <= ?", yf->name);
	if (to)
		where_int(w, frag, to);
}

/* Years, and a date range the way the statistics place records in a
 * reporting period: a record with a date by its date, one without by its
 * year (only within year_from..year_to; none when those are open). */
static int where_period(struct where *w, const struct entity *ent, const struct list_query *qy,
			struct err *e)
{
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	if (yf && qy->year)
		year_bounds(w, yf, qy->year, qy->year);
	if (!qy->date_from && !qy->date_to) {
		if (yf)
			year_bounds(w, yf, qy->year_from, qy->year_to);
		return 0;
	}
	const struct field *df = record_date_field(ent);
	if (!df)
		return err_set(e, ERR_INVALID, qy->date_from ? "date_from" : "date_to",
			       "Bản ghi loại này không có ngày / these records have no date");
	char frag[160];
	snprintf(frag, sizeof frag, "(t.%s IS NOT NULL", df->name);
	buf_printf(&w->sql, " AND (%s", frag);
	if (qy->date_from) {
		snprintf(frag, sizeof frag, "t.%s >= ?", df->name);
		where_text(w, frag, qy->date_from);
	}
	if (qy->date_to) {
		snprintf(frag, sizeof frag, "t.%s <= ?", df->name);
		where_text(w, frag, qy->date_to);
	}
	buf_puts(&w->sql, ")");
	if (yf && yf != df && (qy->year_from || qy->year_to)) {
		buf_printf(&w->sql, " OR (t.%s IS NULL", df->name);
		year_bounds(w, yf, qy->year_from, qy->year_to);
		buf_puts(&w->sql, ")");
	}
	buf_puts(&w->sql, ")");
	return 0;
}

/* A commune filter's unit condition over a commune id expression: today's
 * commune with the old ones that roll up into it (as the statistics do),
 * or, as recorded (units_old), exactly the unit of that era and code. */
static int where_commune(struct where *w, const char *expr, const char *v, int units_old,
			 struct err *e)
{
	int is_new = !strncmp(v, "new:", 4), is_old = !strncmp(v, "old:", 4);
	const char *code = v + 4;
	size_t n = strlen(code);
	if ((!is_new && !is_old) || n == 0 || n > 10 || strspn(code, "0123456789") != n)
		return err_set(
			e, ERR_INVALID, "commune",
			"Xã là new:MÃ (xã hiện nay) hoặc old:MÃ (xã trước 01/7/2025) / commune "
			"is new:CODE (today's) or old:CODE (before 2025-07-01)");
		/* How many communes of today an old commune went into. */
#define SUCCESSORS                                                                     \
	"(SELECT COUNT(DISTINCT n.code) FROM unit_succession x JOIN units n ON n.id =" \
	" x.new_unit_id WHERE x.old_unit_id = u.id AND n.level = 'commune')"
	char frag[1600]; /* the expression (up to 600) and the constant text */
	if (units_old || is_old) {
		snprintf(frag, sizeof frag,
			 "%s IN (SELECT CAST(u.id AS TEXT) FROM units u WHERE u.level = 'commune' "
			 "AND"
			 " u.era = '%s' AND u.code = ?%s)",
			 expr, is_new ? "new" : "old",
			 units_old || is_new ? "" : " AND " SUCCESSORS " <> 1");
		where_text(w, frag, code);
		return 0;
	}
	/* The old communes are found from the new one's predecessors, and only
	 * those are counted for successors. */
	snprintf(frag, sizeof frag,
		 "%s IN (SELECT CAST(u.id AS TEXT) FROM units u WHERE u.level = 'commune' AND"
		 " ((u.era = 'new' AND u.code = ?) OR (u.era = 'old' AND u.id IN (SELECT"
		 " x.old_unit_id FROM unit_succession x JOIN units n ON n.id = x.new_unit_id"
		 " WHERE n.level = 'commune' AND n.code = ?) AND " SUCCESSORS " = 1)))",
		 expr);
#undef SUCCESSORS
	where_text(w, frag, code);
	w->binds[w->n].is_int = 0;
	w->binds[w->n++].t = code;
	return 0;
}

/* Checks a dimension filter's value (other than "none"). */
static int dim_value_ok(const char *dim, const char *v, struct err *e)
{
	const struct field *codes = rec_dim_codes(dim);
	char tmp[8];
	if (codes) {
		if (field_enum_label(codes, v, "vi", tmp, sizeof tmp))
			return 0;
		return err_set(e, ERR_INVALID, dim, "%s: không có mã %.40s / no code %.40s", dim, v,
			       v);
	}
	size_t n = strlen(v);
	if (!strcmp(dim, "village") && n && n < 19 && strspn(v, "0123456789") == n)
		return 0;
	/* A VSIC section with its edition: 2025:C */
	if (!strcmp(dim, "industry") && n == 6 && strspn(v, "0123456789") == 4 && v[4] == ':' &&
	    v[5] >= 'A' && v[5] <= 'Z')
		return 0;
	if (!strcmp(dim, "commune"))
		return 0; /* checked where it is used */
	return err_set(e, ERR_INVALID, dim, "%s: giá trị %.40s không hợp lệ / bad value %.40s", dim,
		       v, v);
}

/* A filter through the record's establishment, village or project: the
 * statistics' own expression of that dimension, in a subquery so that its
 * joins neither clash with the list's nor repeat rows. The list's place
 * goes inside too, so that the subquery reads no more than the list. */
static int where_dimension(struct where *w, const struct entity *ent, const char *dim,
			   const char *v, const struct list_query *qy, struct err *e)
{
	struct rec_dims d;
	char expr[600];
	rec_dims_init(&d, ent);
	if (rec_dim_sql(ent, &d, dim, expr, sizeof expr) < 0)
		return err_set(e, ERR_INVALID, dim,
			       "Không lọc được %s theo %s / cannot filter %s by %s", ent->plural_vi,
			       dim, ent->collection, dim);
	int none = !strcmp(v, "none");
	if (!none && dim_value_ok(dim, v, e) < 0)
		return ERR_INVALID;
	struct where *in = xcalloc(1, sizeof *in);
	if (qy->province)
		where_text(in, "t.province_code = ?", qy->province);
	if (qy->old_province && !strcmp(qy->old_province, "none"))
		where_raw(in, "t.old_province_code IS NULL");
	else if (qy->old_province)
		where_text(in, "t.old_province_code = ?", qy->old_province);
	int rc = 0;
	if (none)
		buf_printf(&in->sql, " AND COALESCE(%s, '') = ''", expr);
	else if (!strcmp(dim, "commune"))
		rc = where_commune(in, expr, v, qy->units_old, e);
	else {
		char frag[700];
		snprintf(frag, sizeof frag, "%s = ?", expr);
		where_text(in, frag, v);
	}
	if (rc == 0) {
		buf_printf(&w->sql, " AND t.id IN (SELECT t.id FROM %s t", ent->table);
		rec_dims_joins(&w->sql, ent, &d);
		buf_printf(&w->sql, " WHERE 1 = 1%s)", in->sql.len ? buf_cstr(&in->sql) : "");
		for (int i = 0; i < in->n; i++)
			w->binds[w->n++] = in->binds[i];
	}
	buf_free(&in->sql);
	free(in);
	return rc;
}

/* name!=value: records whose filter field is not value (and is known);
 * name!=none: records where any field name is filled in; name!=0: records
 * where a count or amount is known and not zero. */
static int where_not(struct where *w, struct store *st, const struct entity *ent,
                     const char *key, const char *v, struct err *e)
{
	char name[64], frag[160];
	snprintf(name, sizeof name, "%.*s", (int)(strlen(key) - 1), key);
	const struct field *f = entity_field(ent, name);
	int none = !strcmp(v, "none");
	/* Any count or amount can be asked to be known and not zero. */
	int zero = f && (f->type == F_INT || f->type == F_MONEY) && !strcmp(v, "0");
	if (!f || (!none && !zero && !(f->flags & FF_FILTER)) || f->type == F_QTY)
		return err_set(e, ERR_INVALID, key, "Không lọc được theo %s / cannot filter by %s",
		               key, key);
	if (none) {
		snprintf(frag, sizeof frag, "t.%s IS NOT NULL", f->name);
		where_raw(w, frag);
		return 0;
	}
	char *val = w->owned[w->nowned++];
	if (filter_value(st, f, v, val, 128, e) < 0)
		return ERR_INVALID;
	snprintf(frag, sizeof frag, "t.%s <> ?", f->name);
	where_text(w, frag, val);
	return 0;
}

/* name=a,b: an enum field that is one of the codes (at most 8). */
static int where_enum_set(struct where *w, const struct field *f, const char *v, struct err *e)
{
	char tmp[8];
	struct buf frag = BUF_INIT;
	buf_printf(&frag, "t.%s IN (", f->name);
	int n = 0;
	for (const char *p = v;; p++) {
		size_t len = strcspn(p, ",");
		char *code = w->owned[w->nowned];
		snprintf(code, 128, "%.*s", (int)(len < 127 ? len : 127), p);
		/* Room for the codes within the statement's bounds. */
		if (w->nowned >= LIST_MAX_FILTERS || w->n >= 40)
			n = 8;
		if (n == 8 || !field_enum_label(f, code, "vi", tmp, sizeof tmp)) {
			buf_free(&frag);
			return err_set(e, ERR_INVALID, f->name, "%s: không có mã %.40s / no code %.40s",
			               f->name, code, code);
		}
		w->nowned++;
		buf_puts(&frag, n++ ? ", ?" : "?");
		w->binds[w->n].is_int = 0;
		w->binds[w->n++].t = code;
		p += len;
		if (!*p)
			break;
	}
	buf_printf(&w->sql, " AND %s)", buf_cstr(&frag));
	buf_free(&frag);
	return 0;
}

static int where_filters(struct where *w, struct store *st, const struct entity *ent,
                         const struct list_query *qy, struct err *e)
{
	for (int i = 0; i < qy->nfilters; i++) {
		const struct field *f = entity_field(ent, qy->filter_names[i]);
		size_t len = strlen(qy->filter_names[i]);
		if (!f && len > 1 && qy->filter_names[i][len - 1] == '!') {
			if (where_not(w, st, ent, qy->filter_names[i], qy->filter_values[i], e) < 0)
				return ERR_INVALID;
			continue;
		}
		if ((!f || !(f->flags & FF_FILTER)) && rec_dim_find(qy->filter_names[i])) {
			if (where_dimension(w, ent, qy->filter_names[i], qy->filter_values[i], qy,
					    e) < 0)
				return ERR_INVALID;
			continue;
		}
		if (!f || !(f->flags & FF_FILTER))
			return err_set(e, ERR_INVALID, qy->filter_names[i],
				       "Không lọc được theo %s / cannot filter by %s",
				       qy->filter_names[i], qy->filter_names[i]);
		char frag[96];
		if (!strcmp(qy->filter_values[i], "none") && f->type != F_TEXT) {
			/* The "Không xác định" row of a breakdown by this field. */
			snprintf(frag, sizeof frag, "t.%s IS NULL", f->name);
			where_raw(w, frag);
			continue;
		}
		if (f->type == F_ENUM && strchr(qy->filter_values[i], ',')) {
			if (where_enum_set(w, f, qy->filter_values[i], e) < 0)
				return ERR_INVALID;
			continue;
		}
		char *val = w->owned[w->nowned++];
		if (filter_value(st, f, qy->filter_values[i], val, 128, e) < 0)
			return ERR_INVALID;
		/* A yes/no left empty is no (as the statistics read illustrative). */
		if (f->type == F_BOOL && !strcmp(val, "0"))
			snprintf(frag, sizeof frag, "(t.%s = ? OR t.%s IS NULL)", f->name, f->name);
		else
			snprintf(frag, sizeof frag, "t.%s = ?", f->name);
		where_text(w, frag, val);
	}
	return 0;
}

/* A folded word that PostgreSQL's text-search parser keeps whole as the
 * start of any word it begins: letters a-z only or digits only. */
static int ts_word(const char *w)
{
	return strspn(w, "abcdefghijklmnopqrstuvwxyz") == strlen(w) ||
	       strspn(w, "0123456789") == strlen(w);
}

/* Each folded word of q at the start of a word of the search key, by the
 * LIKE that defines the search. An index finds the rows first (migration
 * 0028, TABLE_words): on SQLite the full-text index, where "word" * matches
 * exactly what the LIKE matches; on PostgreSQL a text-search index, whose
 * prefix query word:* holds every row the LIKE matches for a word ts_word()
 * accepts. There the LIKE is then written so that it does not match 0009's
 * trigram index ("|| ''"), which the planner would otherwise intersect at
 * the cost of reading a dozen lists of the whole table; with no such word
 * the trigram index answers the LIKE. A word in a share of the rows that
 * COMMON_SHARE bounds from below is left to the LIKE too (record_words.c):
 * GIN reads a prefix query's whole list, and "lang" or "so" lists nearly
 * every establishment of the nation, where the LIKE of the rows another
 * word found, or of the newest rows when every word is common, costs less. */
#define COMMON_SHARE 0.05

static void where_words(struct where *w, struct store *st, const struct entity *ent, int sqlite,
			const char *q)
{
	if (!q || !*q)
		return;
	w->once = 1;
	char *k = vtext_fold(q), *save = NULL, *words[OWNED_MAX];
	int nwords = 0;
	for (char *word = strtok_r(k, " ", &save); word && w->nowned + nwords < OWNED_MAX;
	     word = strtok_r(NULL, " ", &save))
		words[nwords++] = word;
	double share[OWNED_MAX];
	record_word_shares(st, ent, words, nwords, share);
	for (int i = 0; i < nwords; i++) {
		const char *word = words[i];
		snprintf(w->owned[w->nowned + i], 128, "%% %.70s%%", word);
		/* A folded word has letters and digits only: nothing to quote. */
		size_t len = strlen(w->match);
		if (len + 80 >= sizeof w->match ||
		    (!sqlite && (strlen(word) > 70 || !ts_word(word))))
			continue;
		if (share[i] >= COMMON_SHARE)
			continue;
		snprintf(w->match + len, sizeof w->match - len, sqlite ? "%s\"%.70s\" *" : "%s%s:*",
			 len ? (sqlite ? " AND " : " & ") : "", word);
	}
	/* When the text-search index finds the rows, every LIKE only tests
	 * them: none may send PostgreSQL to 0009's index, whose lists of a
	 * common word ("lang" in 1 000 000 rows of 1 600 000) it intersected
	 * with the text search's when it guessed the word in less than half
	 * the rows (185 ms instead of 8). When every word is common, their
	 * LIKEs keep the form whose selectivity PostgreSQL knows (0009's index
	 * gives it statistics): it reads the newest rows and stops at the
	 * page, where it estimated "|| ''" at a few rows and read and sorted
	 * the whole table. On PostgreSQL by LIKE's own operator ~~, not the
	 * ILIKE the driver makes of a LIKE: the key and the words are folded
	 * (lower case) already, and ILIKE folds each row again, twice the
	 * cost of a row's test (a national search tests thousands). */
	for (int i = 0; i < nwords; i++)
		where_text(w,
			   sqlite	 ? "(' ' || t.search_key) LIKE ?"
			   : w->match[0] ? "(' ' || t.search_key || '') ~~ ?"
					 : "(' ' || t.search_key) ~~ ?",
			   w->owned[w->nowned++]);
	free(k);
	if (!w->match[0])
		return;
	char frag[160];
	/* Joined rather than "t.id IN (SELECT rowid ...)", which made the list
	 * of every match before the first row (a national "lang nghe" merged
	 * two lists of the whole table, for the count and again for the page):
	 * joined, the index gives its rows in id order as they are asked for,
	 * so the page and the capped count stop after the rows they need. */
	if (sqlite) {
		snprintf(w->join, sizeof w->join, " JOIN %s_words tw ON tw.rowid = t.id",
			 ent->table);
		snprintf(frag, sizeof frag, "tw.%s_words MATCH ?", ent->table);
	} else {
		snprintf(frag, sizeof frag,
			 "to_tsvector('simple', t.search_key) @@ to_tsquery('simple', ?)");
		w->match_at = w->sql.len; /* the last condition (newest_first) */
	}
	where_text(w, frag, w->match);
}

static int build_where(struct where *w, struct store *st, const struct actor *a,
                       const struct entity *ent, const struct list_query *qy, struct err *e)
{
	memset(w, 0, sizeof *w);
	buf_puts(&w->sql, " WHERE 1 = 1");
	if (qy->province)
		where_text(w, "t.province_code = ?", qy->province);
	if (qy->old_province && !strcmp(qy->old_province, "none"))
		where_raw(w, "t.old_province_code IS NULL"); /* recorded under today's units */
	else if (qy->old_province)
		where_text(w, "t.old_province_code = ?", qy->old_province);
	int rc = where_scope(w, a, ent, e);
	if (rc == 0)
		rc = where_period(w, ent, qy, e);
	if (rc == 0)
		rc = where_filters(w, st, ent, qy, e);
	if (rc == 0 && qy->ids) {
		w->once = 1;
		buf_puts(&w->sql, " AND t.id IN (");
		for (int i = 0; i < qy->nids && i < LIST_MAX_IDS; i++) {
			buf_puts(&w->sql, i ? ", ?" : "?");
			w->binds[w->n].is_int = 1;
			w->binds[w->n++].i = qy->ids[i];
		}
		buf_puts(&w->sql, qy->nids ? ")" : "NULL)");
	}
	if (rc == 0)
		where_words(w, st, ent, !strcmp(store_dialect(st), "sqlite"), qy->q);
	return rc;
}

/* The ORDER BY column: a field of the description, "id" or "updated_at". */
static int sort_column(const struct entity *ent, const struct list_query *qy, const char **col,
                       struct err *e)
{
	const struct field *sf = qy->sort ? entity_field(ent, qy->sort) : NULL;
	if (sf)
		*col = sf->name;
	else if (!qy->sort || !strcmp(qy->sort, "id"))
		*col = "id";
	else if (!strcmp(qy->sort, "updated_at"))
		*col = "updated_at";
	else
		return err_set(e, ERR_INVALID, "sort", "Không sắp xếp được theo %s / cannot sort by %s",
		               qy->sort, qy->sort);
	return 0;
}

int64_t record_count_cap = LIST_COUNT_CAP;
int64_t record_newest_rows = 20000;

/* The number of matches in *total; with cap > 0 at most cap + 1 rows are
 * counted, and more than cap gives cap with *exact 0. */
static int list_count(struct store *st, const struct entity *ent, const struct where *w,
		      int64_t cap, int64_t *total, int *exact, struct err *e)
{
	struct buf sql = BUF_INIT;
	/* The cap is written into the text (a C integer, one statement a cap):
	 * a bound LIMIT is unknown to PostgreSQL's generic plan, which then
	 * never wins over the custom one and every count is planned again. */
	if (cap > 0)
		buf_printf(&sql, "SELECT COUNT(*) FROM (SELECT 1 FROM %s t%s%s LIMIT %lld) c",
			   ent->table, w->join, buf_cstr((struct buf *)&w->sql),
			   (long long)(cap + 1));
	else
		buf_printf(&sql, "SELECT COUNT(*) FROM %s t%s%s", ent->table, w->join,
			   buf_cstr((struct buf *)&w->sql));
	struct stmt *s = where_prepare(st, w, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	where_bind(s, w);
	int rc = stmt_step(s, e);
	*total = rc == 1 ? stmt_int(s, 0) : 0;
	stmt_done(s);
	*exact = cap <= 0 || *total <= cap;
	if (!*exact)
		*total = cap;
	return rc < 0 ? rc : 0;
}

struct record_cursor {
	const struct entity *ent;
	const struct ent_sql *q;
	struct store *own; /* the cursor's own connection, or NULL */
	struct stmt *s;
	int newest; /* its rows come from the newest rows only (newest_first) */
};

/* The SELECT of qy over ent: constant fragments, its values bound to s. */
static struct stmt *cursor_stmt(struct store *st, const struct entity *ent, const struct where *w,
				const char *col, const struct list_query *qy, struct err *e)
{
	const char *dir = (qy->sort ? qy->desc : 1) ? "DESC" : "ASC";
	struct buf sql = BUF_INIT;
	/* By the index's own order, which it can give (t.id is the same);
	 * but a few matches, all of which the count has just read, are read
	 * forwards again and sorted: FTS5 seeks backwards through the lists of
	 * common words page by page, forwards through their page index. */
	char order[96];
	if (w->join[0] && !strcmp(col, "id") && !w->few)
		snprintf(order, sizeof order, "tw.rowid %s", dir);
	else
		snprintf(order, sizeof order, "t.%s %s, t.id DESC", col, dir);
	/* A page is found first by its ids alone, then its rows are read by
	 * id: the ids come from an index (PostgreSQL: 0039's (province_code,
	 * id) read backwards, from the index alone) where the whole rows would
	 * be read until the page is full (PostgreSQL reads the primary key
	 * backwards and drops other provinces' rows, 2 800 of them for 50 of a
	 * province's), and the names each row refers to are looked up for
	 * the page's rows only, also past an OFFSET. The LIMIT (the page size,
	 * a C integer: one statement a size) is written into the text and the
	 * first page has no OFFSET, so that PostgreSQL's generic plan knows
	 * how many rows it fetches and is kept instead of planning each time;
	 * the OFFSET of a later page is bound (one statement for every page). */
	int later = qy->limit > 0 && qy->offset > 0;
	char from[96];
	if (w->newest)
		snprintf(from, sizeof from, "(SELECT * FROM %s ORDER BY id DESC LIMIT %lld)",
			 ent->table, (long long)record_newest_rows);
	else
		snprintf(from, sizeof from, "%s", ent->table);
	if (qy->limit > 0)
		buf_printf(&sql,
			   "%s WHERE t.id IN (SELECT t.id FROM %s t%s%s ORDER BY %s"
			   " LIMIT %lld%s) ORDER BY t.%s %s, t.id DESC",
			   ent_sql(ent)->select, from, w->join, buf_cstr((struct buf *)&w->sql),
			   order, (long long)qy->limit, later ? " OFFSET ?" : "", col, dir);
	else
		buf_printf(&sql, "%s%s%s ORDER BY %s", ent_sql(ent)->select, w->join,
			   buf_cstr((struct buf *)&w->sql), order);
	struct stmt *s = where_prepare(st, w, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return NULL;
	int pos = where_bind(s, w);
	if (later)
		stmt_bind_int(s, pos, qy->offset);
	return s;
}

/* PostgreSQL: a search that matches more rows than the count counts (a
 * national "lang nghe 42": 22 000 of a million) has its page, the newest
 * matches, among the newest rows almost always, but PostgreSQL reads every
 * match its text-search index gives (22 000 rows from all over the table,
 * 35 ms) and sorts them, misled by the LIKEs it cannot estimate. So the
 * page is looked for first among the newest record_newest_rows rows, read
 * by the primary key backwards and tested by the LIKEs alone, which define
 * the search (a row's to_tsvector() would cost more than its LIKEs): 2 ms
 * there. More matches than the page exist (the count said so), so a page
 * found short there lies partly in older rows, and list_impl reads it again
 * as before (at most record_newest_rows rows read in vain). Only for the
 * newest first: any other order may need the oldest rows. */
static void newest_first(struct where *w, const char *col, const struct list_query *qy)
{
	int desc = qy->sort ? qy->desc : 1;
	if (!w->match_at || strcmp(col, "id") || !desc || qy->limit <= 0)
		return;
	w->sql.len = w->match_at; /* the text-search condition, last, goes */
	w->sql.data[w->sql.len] = '\0';
	w->n--;
	w->newest = 1;
}

/* What cursor_open counts: into total (NULL: nothing), at most cap + 1 rows
 * when cap > 0 (list_count). */
struct list_total {
	int64_t cap;
	int64_t *total;
	int *exact;
};

static int cursor_open(struct store *st, const struct actor *a, const struct entity *ent,
		       const struct list_query *qy, int own, const struct list_total *count,
		       struct record_cursor **out, struct err *e)
{
	struct where w;
	const char *col = "id";
	int rc = build_where(&w, st, a, ent, qy, e);
	if (rc == 0)
		rc = sort_column(ent, qy, &col, e);
	if (rc == 0 && count) {
		rc = list_count(st, ent, &w, count->cap, count->total, count->exact, e);
		w.few = rc == 0 && *count->exact && *count->total <= qy->offset + qy->limit;
		if (rc == 0 && !*count->exact)
			newest_first(&w, col, qy);
	}
	struct record_cursor *c = NULL;
	if (rc == 0) {
		c = xcalloc(1, sizeof *c);
		c->newest = w.newest;
		c->ent = ent;
		c->q = ent_sql(ent);
		if (own && store_open_again(st, &c->own, e) < 0)
			rc = ERR_STORE;
	}
	if (rc == 0 && !(c->s = cursor_stmt(c->own ? c->own : st, ent, &w, col, qy, e)))
		rc = ERR_STORE;
	buf_free(&w.sql);
	if (rc < 0) {
		record_cursor_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

int record_cursor_open(struct store *st, const struct actor *a, const struct entity *ent,
		       const struct list_query *qy, int own, struct record_cursor **out,
		       struct err *e)
{
	return cursor_open(st, a, ent, qy, own, NULL, out, e);
}

int record_cursor_next(struct record_cursor *c, json_t **rec, struct err *e)
{
	int rc = stmt_step(c->s, e);
	if (rc == 1)
		*rec = row_record(c->ent, c->s, c->q);
	return rc;
}

void record_cursor_close(struct record_cursor *c)
{
	if (!c)
		return;
	if (c->s)
		stmt_done(c->s);
	store_close(c->own);
	free(c);
}

/* A page of matches as a JSON array: in *items (out NULL), or written to
 * out as the text json_dumps would make of that array. */
static int list_impl(struct store *st, const struct actor *a, const struct entity *ent,
		     const struct list_query *qy, json_t **items, struct buf *out,
		     struct list_total *count, struct err *e)
{
	struct list_query page = *qy;
	if (page.limit <= 0)
		page.limit = 50;
	/* A capped count still tells whether the page after this one exists. */
	if (count->cap > 0 && count->cap < page.offset + page.limit)
		count->cap = page.offset + page.limit;
	struct record_cursor *c;
	int rc = cursor_open(st, a, ent, &page, 0, count, &c, e);
	if (rc < 0)
		return rc;
	json_t *arr = out ? NULL : json_array();
	size_t start = out ? out->len : 0;
	if (out)
		buf_putc(out, '[');
	int n = 0;
	for (;;) {
		for (; (rc = stmt_step(c->s, e)) == 1; n++) {
			if (arr) {
				json_array_append_new(arr, row_record(ent, c->s, c->q));
				continue;
			}
			if (n)
				buf_putc(out, ',');
			row_json(ent, c->s, c->q, out);
		}
		if (rc < 0 || !c->newest || n >= page.limit)
			break;
		/* Short among the newest rows: the page again, from them all
		 * (counted already). */
		record_cursor_close(c);
		c = NULL;
		n = 0;
		if (arr)
			json_array_clear(arr);
		else {
			out->len = start + 1; /* after the '[' */
			out->data[out->len] = '\0';
		}
		rc = cursor_open(st, a, ent, &page, 0, NULL, &c, e);
		if (rc < 0)
			break;
	}
	record_cursor_close(c);
	if (out)
		buf_putc(out, ']');
	if (rc < 0) {
		json_decref(arr); /* out holds a part: the caller replies an error instead */
		return rc;
	}
	if (arr)
		*items = arr;
	return 0;
}

int record_list(struct store *st, const struct actor *a, const struct entity *ent,
		const struct list_query *qy, json_t **items, int64_t *total, struct err *e)
{
	int exact;
	struct list_total count = {0, total, &exact};
	return list_impl(st, a, ent, qy, items, NULL, &count, e);
}

int record_list_page(struct store *st, const struct actor *a, const struct entity *ent,
		     const struct list_query *qy, json_t **items, int64_t *total, int *exact,
		     struct err *e)
{
	struct list_total count = {record_count_cap, total, exact};
	return list_impl(st, a, ent, qy, items, NULL, &count, e);
}

int record_list_json(struct store *st, const struct actor *a, const struct entity *ent,
		     const struct list_query *qy, int count_all, struct buf *out, int64_t *total,
		     int *exact, struct err *e)
{
	*exact = 1;
	struct list_total count = {count_all ? 0 : record_count_cap, total, exact};
	return list_impl(st, a, ent, qy, NULL, out, &count, e);
}

int record_refers(const struct entity *ent, const struct field *f)
{
	return f->type == F_REF && !strcmp(f->ref, ent->collection) && (f->flags & FF_FILTER);
}

/* A record's page shows a list of each record type that refers to it, most
 * of them empty (an establishment is referred to by eight): one statement
 * tells which are, where each list would take a round trip of its own to
 * PostgreSQL. The text depends only on ent (the store's cache keeps it). */
int record_referred(struct store *st, const struct entity *ent, int64_t id, uint64_t *found,
		    struct err *e)
{
	struct buf sql = BUF_INIT;
	int n = 0;
	for (const struct entity *o = entities; o->collection; o++)
		for (const struct field *f = o->fields; f->name; f++)
			if (record_refers(ent, f) && n < 64)
				buf_printf(&sql, "%sEXISTS (SELECT 1 FROM %s WHERE %s = ?)",
					   n++ ? ", " : "SELECT ", o->table, f->name);
	*found = ~(uint64_t)0;
	if (!n) {
		buf_free(&sql);
		return 0;
	}
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	for (int i = 1; i <= n; i++)
		stmt_bind_int(s, i, id);
	int rc = stmt_step(s, e);
	if (rc == 1)
		for (int i = 0; i < n; i++)
			if (!stmt_int(s, i))
				*found &= ~((uint64_t)1 << i);
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* The page of the records of ent whose reference f is id, visible to a:
 * the SQL text depends only on ent, f and the kind of a's scope (the
 * values are bound), so the store's cache keeps it prepared between
 * requests; the count runs only when the page is full. */
int record_related(struct store *st, const struct actor *a, const struct entity *ent,
		   const struct field *f, int64_t id, int64_t limit, json_t **items, int64_t *total,
		   struct err *e)
{
	struct where *w = xmalloc(sizeof *w); /* 16 KB: only what is used is set */
	w->sql = (struct buf)BUF_INIT;
	w->n = w->nowned = w->once = 0;
	w->join[0] = '\0';
	buf_puts(&w->sql, " WHERE 1 = 1");
	int rc = where_scope(w, a, ent, e);
	char frag[96];
	snprintf(frag, sizeof frag, "t.%s = ?", f->name);
	where_int(w, frag, id);
	const char *col =
		ent->year_field && entity_field(ent, ent->year_field) ? ent->year_field : "id";
	struct buf sql = BUF_INIT;
	buf_printf(&sql, "%s%s ORDER BY t.%s %s, t.id DESC LIMIT ?", ent_sql(ent)->select,
		   buf_cstr(&w->sql), col, strcmp(col, "id") ? "ASC" : "DESC");
	struct stmt *s = rc < 0 ? NULL : store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	json_t *arr = json_array();
	if (s) {
		stmt_bind_int(s, where_bind(s, w), limit);
		while ((rc = stmt_step(s, e)) == 1)
			json_array_append_new(arr, row_record(ent, s, ent_sql(ent)));
		stmt_done(s);
	} else if (rc == 0) {
		rc = ERR_STORE;
	}
	*total = (int64_t)json_array_size(arr);
	if (rc == 0 && *total >= limit) {
		int exact;
		rc = list_count(st, ent, w, 0, total, &exact, e);
	}
	buf_free(&w->sql);
	free(w);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

/* ---- writes ---------------------------------------------------------- */

/* Puts the field's label before a message that does not name it ("Kinh phí
 * khuyến công quốc gia: ..."), so that a list of a form's errors reads on
 * its own. */
static void err_name_field(struct err *e, const struct field *f)
{
	if (!strncmp(e->message, f->vi, strlen(f->vi)))
		return;
	char msg[sizeof e->message + 256];
	const char *sep = strstr(e->message, " / ");
	if (sep)
		snprintf(msg, sizeof msg, "%s: %.*s / %s: %s", f->vi, (int)(sep - e->message),
		         e->message, f->en, sep + 3);
	else
		snprintf(msg, sizeof msg, "%s: %s", f->vi, e->message);
	size_t n = strlen(msg);
	if (n >= sizeof e->message) { /* cut on a character, never inside one */
		n = sizeof e->message - 1;
		while (n > 0 && ((unsigned char)msg[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(e->message, msg, n);
	e->message[n] = 0;
}

/* Converts the input fields of in and merges them into rec (canonical); a
 * field that does not convert is left out of rec and its error added to l. */
static void merge_input(struct store *st, const struct entity *ent, json_t *in, json_t *rec,
                        int system, struct errs *l)
{
	const char *key;
	json_t *v;
	/* A record that says which era its units belong to narrows unit names. */
	const char *era = json_string_value(json_object_get(in, "unit_era"));
	if (!era)
		era = json_string_value(json_object_get(rec, "unit_era"));
	json_object_foreach(in, key, v) {
		const struct field *f = entity_field(ent, key);
		if (!f) {
			errs_set(l, ERR_INVALID, key, "Không có trường %s / unknown field %s", key, key);
			continue;
		}
		if ((f->flags & FF_READONLY) && !system) {
			errs_set(l, ERR_INVALID, key, "%s do hệ thống đặt / %s is set by the system",
			         f->vi, f->en);
			continue;
		}
		json_t *conv;
		struct err e;
		if (record_convert(st, f, v, era, &conv, &e) < 0) {
			err_name_field(&e, f);
			errs_add(l, &e);
			json_object_del(rec, key);
			continue;
		}
		json_object_set_new(rec, key, conv ? conv : json_null());
	}
}

static void check_required(const struct entity *ent, json_t *rec, struct errs *l)
{
	for (const struct field *f = ent->fields; f->name; f++) {
		json_t *v = json_object_get(rec, f->name);
		if ((f->flags & FF_REQUIRED) && (!v || json_is_null(v)))
			errs_set(l, ERR_INVALID, f->name, "%s là bắt buộc / %s is required", f->vi, f->en);
	}
}

/* References must exist and be visible; returns the parent's province. */
static void check_refs(struct store *st, const struct actor *a, const struct entity *ent,
                       json_t *rec, char *parent_prov, size_t n, struct errs *l)
{
	for (const struct field *f = ent->fields; f->name; f++) {
		json_t *v = json_object_get(rec, f->name);
		if (f->type != F_REF || !json_is_integer(v))
			continue;
		const struct entity *target = entity_find(f->ref);
		json_t *other;
		struct err ignore;
		int visible = 0;
		if (load(st, target, json_integer_value(v), &other, &ignore) == 0) {
			visible = can_read(target, a, other);
			const char *p = json_string_value(json_object_get(other, "province_code"));
			if (ent->parent_field && !strcmp(ent->parent_field, f->name))
				snprintf(parent_prov, n, "%s", p ? p : "");
			json_decref(other);
		}
		if (!visible)
			errs_set(l, ERR_INVALID, f->name, "%s: không có bản ghi số %lld / no record %lld",
			         f->vi, (long long)json_integer_value(v), (long long)json_integer_value(v));
	}
}

/* free, when not NULL, is a unique field and the value its caller found no
 * record with in this transaction (an import's natural key): not asked again. */
static int check_unique(struct store *st, const struct entity *ent, json_t *rec, int64_t id,
			const struct record_free *free_val, struct errs *l)
{
	const struct ent_sql *q = ent_sql(ent);
	int u = 0;
	for (const struct field *f = ent->fields; f->name && u < 8; f++) {
		if (!(f->flags & FF_UNIQUE))
			continue;
		const char *sql = q->unique[u++];
		json_t *v = json_object_get(rec, f->name);
		if (!v || json_is_null(v))
			continue;
		if (free_val && !strcmp(free_val->field, f->name) && json_equal(free_val->value, v))
			continue;
		int64_t other = 0;
		struct err e;
		int rc = json_is_integer(v)
		                 ? store_int(st, &e, &other, sql, "ii", (int64_t)json_integer_value(v), id)
		                 : store_int(st, &e, &other, sql, "ti", json_string_value(v), id);
		if (rc < 0)
			return errs_add(l, &e);
		if (rc == 1)
			errs_set(l, ERR_CONFLICT, f->name,
			         "%s đã có ở bản ghi số %lld / %s already used by record %lld", f->vi,
			         (long long)other, f->en, (long long)other);
	}
	return 0;
}

/* Today's province and the old one (for facts under pre-2025 units). */
static int derive_province(struct store *st, const struct entity *ent, json_t *rec,
                           const char *parent_prov, char prov[8], char old[8], struct err *e)
{
	prov[0] = old[0] = 0;
	json_t *v = ent->prov_field ? json_object_get(rec, ent->prov_field) : NULL;
	switch (ent->prov) {
	case PROV_NONE: return 0;
	case PROV_PARENT: snprintf(prov, 8, "%s", parent_prov); return 0;
	case PROV_FIELD:
		/* A record under a parent (a class under a project) takes the parent's
		 * province when it names none. */
		if (!json_is_string(v) && parent_prov[0]) {
			json_object_set_new(rec, ent->prov_field, json_string(parent_prov));
			v = json_object_get(rec, ent->prov_field);
		}
		if (json_is_string(v))
			snprintf(prov, 8, "%s", json_string_value(v));
		return 0;
	case PROV_UNIT:
		if (!json_is_integer(v))
			return 0;
		struct unit u;
		if (unit_get(st, json_integer_value(v), &u, e) < 0)
			return ERR_INVALID;
		if (!strcmp(u.era, "old"))
			snprintf(old, 8, "%s", u.province_code);
		if (!u.new_province_code[0])
			return err_set(e, ERR_INVALID, ent->prov_field,
			               "%s được chia cho nhiều tỉnh; hãy chọn đơn vị hiện nay / %s was split "
			               "between provinces; choose a unit of today",
			               u.full_name, u.full_name);
		snprintf(prov, 8, "%s", u.new_province_code);
		return 0;
	}
	return 0;
}

static char *search_key(const struct entity *ent, json_t *rec)
{
	struct buf b = BUF_INIT;
	for (const struct field *f = ent->fields; f->name; f++) {
		json_t *v = json_object_get(rec, f->name);
		if (!(f->flags & FF_SEARCH) || !v)
			continue;
		if (json_is_string(v))
			buf_printf(&b, "%s ", json_string_value(v));
		else if (json_is_integer(v))
			buf_printf(&b, "%lld ", (long long)json_integer_value(v));
	}
	char *k = vtext_fold(buf_cstr(&b));
	buf_free(&b);
	return k;
}

static void bind_opt(struct stmt *s, int *pos, const char *v)
{
	stmt_bind_text(s, (*pos)++, v && *v ? v : NULL);
}

/* old_district_code, old_commune_code, old_split (record_sql.c's order). */
static void bind_old_units(struct stmt *s, int *pos, const struct old_units *ou)
{
	bind_opt(s, pos, ou->district);
	bind_opt(s, pos, ou->commune);
	bind_opt(s, pos, ou->split);
}

static void bind_field(struct stmt *s, int *pos, const struct field *f, json_t *v)
{
	if (f->type == F_QTY) {
		if (!json_is_object(v)) {
			for (int i = 0; i < 4; i++)
				stmt_bind_null(s, (*pos)++);
			return;
		}
		stmt_bind_int(s, (*pos)++, json_integer_value(json_object_get(v, "value")));
		stmt_bind_int(s, (*pos)++, json_integer_value(json_object_get(v, "value_hi")));
		stmt_bind_int(s, (*pos)++, json_integer_value(json_object_get(v, "scale")));
		stmt_bind_text(s, (*pos)++, json_string_value(json_object_get(v, "qualifier")));
		return;
	}
	if (!v || json_is_null(v)) {
		stmt_bind_null(s, (*pos)++);
	} else if (json_is_integer(v)) {
		stmt_bind_int(s, (*pos)++, json_integer_value(v));
	} else if (json_is_boolean(v)) {
		stmt_bind_int(s, (*pos)++, json_is_true(v));
	} else if (json_is_string(v)) {
		stmt_bind_text(s, (*pos)++, json_string_value(v));
	} else {
		char *t = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		stmt_bind_text(s, (*pos)++, t);
		free(t);
	}
}

/* Validates rec fully and computes what every write stores besides fields. */
struct prepared {
	const struct record_free *free_val; /* check_unique's */
	char prov[8], old[8];
	struct old_units ou; /* the old district, commune and why one is unknown */
	char *key;
};

/* The position of field name in ent (unknown names first), to list errors
 * in the order of the form. */
static int field_rank(const struct entity *ent, const char *name)
{
	int i = 0;
	for (const struct field *f = ent->fields; f->name; f++, i++)
		if (!strcmp(f->name, name))
			return i + 1;
	return 0;
}

/* Orders l as the fields of ent and copies its first error into e. */
static int errs_finish(const struct entity *ent, struct errs *l, struct err *e)
{
	for (int i = 1; i < l->n; i++) {
		struct err x = l->item[i];
		int j = i, rank = field_rank(ent, x.field);
		for (; j > 0 && field_rank(ent, l->item[j - 1].field) > rank; j--)
			l->item[j] = l->item[j - 1];
		l->item[j] = x;
	}
	if (!l->n)
		return 0;
	if (e)
		*e = l->item[0];
	return l->item[0].code;
}

/* Validates rec fully, every error into l, and computes what every write
 * stores besides fields. */
static int prepare_write(struct store *st, const struct actor *a, const struct entity *ent,
                         json_t *rec, int64_t id, struct prepared *p, struct errs *l)
{
	char parent_prov[8] = "";
	struct err e;
	p->key = NULL;
	check_required(ent, rec, l);
	check_refs(st, a, ent, rec, parent_prov, sizeof parent_prov, l);
	qty_in_measure(rec, l);
	int rc = check_unique(st, ent, rec, id, p->free_val, l);
	if (rc == 0 && ent->validate)
		rc = ent->validate(st, ent, rec, l);
	if (rc < 0 && !l->n)
		errs_set(l, rc, "", "Không kiểm tra được bản ghi / the record could not be checked");
	if (l->n)
		return l->item[0].code;
	rc = derive_province(st, ent, rec, parent_prov, p->prov, p->old, &e);
	if (rc == 0)
		rc = unit_attr_record(st, ent, rec, p->prov, &p->ou, &e);
	if (rc == 0 && p->ou.province[0])
		snprintf(p->old, sizeof p->old, "%s", p->ou.province);
	if (rc == 0 && !can_write(ent, a, p->prov[0] ? p->prov : NULL, rec))
		rc = err_set(&e, ERR_FORBIDDEN, ent->prov_field ? ent->prov_field : "",
		             "Bạn không được ghi dữ liệu của tỉnh/cơ sở này / you may not write data of "
		             "this province or establishment");
	if (rc < 0)
		return errs_add(l, &e);
	p->key = search_key(ent, rec);
	return 0;
}

static json_t *fields_only(const struct entity *ent, json_t *rec)
{
	json_t *o = json_object();
	for (const struct field *f = ent->fields; f->name; f++) {
		json_t *v = json_object_get(rec, f->name);
		json_object_set(o, f->name, v ? v : json_null());
	}
	return o;
}

/* The audit row of a change whose lock of accepted periods was checked. */
static int audit_write(struct store *st, const struct actor *a, const struct entity *ent,
		       int64_t id, const char *action, json_t *before, json_t *after, struct err *e)
{
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	json_t *b = before ? fields_only(ent, before) : NULL;
	json_t *af = after ? fields_only(ent, after) : NULL;
	int rc = audit_append(st, a, ent->collection, idtext, action, b, af, e);
	json_decref(b);
	json_decref(af);
	return rc;
}

static int audit_change(struct store *st, const struct actor *a, const struct entity *ent,
			int64_t id, const char *action, json_t *before, json_t *after,
			struct err *e)
{
	/* Every write passes here: an accepted period refuses it. */
	int rc = chain_lock_check(st, ent, id, before, after, e);
	return rc < 0 ? rc : audit_write(st, a, ent, id, action, before, after, e);
}

int record_history_only(const struct entity *ent, struct err *e)
{
	if (!ent->history)
		return 0;
	return err_set(
		e, ERR_FORBIDDEN, "",
		"%s chỉ được ghi qua chuyển trạng thái (POST /api/v1/projects/{id}/transitions); "
		"sửa sai bằng một bước mới / %s are written only through a transition; correct "
		"one with a new step",
		ent->plural_vi, ent->plural_en);
}

/* The stored record may be changed by a (ent->may_change). */
static int may_change(const struct entity *ent, const struct actor *a, json_t *stored,
		      struct err *e)
{
	return ent->may_change ? ent->may_change(a, stored, e) : 0;
}

/* Validates the input of a create into rec: every error in *all when the
 * caller wants them, the first in e. */
static int create_check(struct store *st, const struct actor *a, const struct entity *ent,
                        json_t *in, json_t *rec, struct prepared *p, struct errs *all,
                        struct err *e)
{
	struct errs own = {0}, *l = all ? all : &own;
	merge_input(st, ent, in, rec, 0, l);
	prepare_write(st, a, ent, rec, 0, p, l);
	int rc = errs_finish(ent, l, e);
	errs_free(&own);
	return rc;
}

/* Checks a create of in (every check of a write, the lock of accepted
 * periods included) and computes what its INSERT binds, without writing:
 * record_create writes it at once, record_batch.c many in one statement. */
int record_stage_create(struct store *st, const struct actor *a, const struct entity *ent,
			json_t *in, const struct record_free *free_val, struct errs *all,
			struct record_stage *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "", "Tài khoản xem không được ghi / viewers cannot write");
	json_t *rec = json_object();
	struct prepared p = {.free_val = free_val};
	est_default(ent, a, in);
	int rc = record_refs_resolve(st, a, ent, in, e);
	if (rc < 0 && all)
		errs_add(all, e); /* a form lists it with the rest */
	if (rc == 0)
		rc = create_check(st, a, ent, in, rec, &p, all, e);
	/* A new record has no stored province to read back: what it will store
	 * is p.prov (chain_lock_check's "after" for a create). */
	if (rc == 0)
		rc = chain_lock_check_state(st, ent, p.prov, rec, e);
	if (rc < 0) {
		free(p.key);
		json_decref(rec);
		return rc;
	}
	snprintf(out->prov, sizeof out->prov, "%s", p.prov);
	snprintf(out->old, sizeof out->old, "%s", p.old);
	out->ou = p.ou;
	out->key = p.key;
	out->rec = rec;
	clock_iso(clock_now(), out->now);
	return 0;
}

void record_stage_bind(struct stmt *s, int *pos, const struct entity *ent,
		       const struct record_stage *r)
{
	stmt_bind_text(s, (*pos)++, r->now);
	stmt_bind_text(s, (*pos)++, r->now);
	stmt_bind_text(s, (*pos)++, r->prov[0] ? r->prov : NULL);
	stmt_bind_text(s, (*pos)++, r->old[0] ? r->old : NULL);
	bind_old_units(s, pos, &r->ou);
	stmt_bind_text(s, (*pos)++, r->key);
	for (const struct field *f = ent->fields; f->name; f++)
		bind_field(s, pos, f, json_object_get(r->rec, f->name));
}

char *record_audit_json(const struct entity *ent, json_t *rec)
{
	json_t *o = fields_only(ent, rec);
	char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return t;
}

void record_stage_free(struct record_stage *r)
{
	free(r->key);
	json_decref(r->rec);
	memset(r, 0, sizeof *r);
}

static int create_impl(struct store *st, const struct actor *a, const struct entity *ent,
		       json_t *in, int64_t *id, struct errs *all, struct err *e)
{
	struct record_stage r;
	int rc = record_stage_create(st, a, ent, in, NULL, all, &r, e);
	if (rc == 0)
		rc = store_begin(st, e);
	if (rc < 0) {
		record_stage_free(&r);
		return rc;
	}
	struct stmt *s = store_prepare(st, ent_sql(ent)->insert, e);
	rc = s ? 0 : ERR_STORE;
	if (s) {
		int pos = 1;
		record_stage_bind(s, &pos, ent, &r);
		rc = stmt_step(s, e);
		stmt_done(s);
	}
	int64_t newid = rc >= 0 ? store_last_id(st) : 0;
	if (rc >= 0) /* the lock was checked by record_stage_create */
		rc = audit_write(st, a, ent, newid, "create", NULL, r.rec, e);
	record_stage_free(&r);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	if (id)
		*id = newid;
	return store_commit(st, e);
}

int record_check(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
		 json_t *in, int system, struct err *e)
{
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "",
			       "Tài khoản xem không được ghi / viewers cannot write");
	json_t *rec = NULL;
	int rc = id ? record_get(st, a, ent, id, &rec, e) : 0;
	if (rc == 0 && id &&
	    !can_write(ent, a, json_string_value(json_object_get(rec, "province_code")), rec))
		rc = err_set(e, ERR_FORBIDDEN, "",
			     "Bạn không được sửa bản ghi này / you may not "
			     "change this record");
	if (!rec)
		rec = json_object();
	struct prepared p = {0};
	if (rc == 0) {
		/* The checks of a write, all collected: the first is the one the
		 * write would report. */
		struct errs l = {0};
		merge_input(st, ent, in, rec, system, &l);
		prepare_write(st, a, ent, rec, id, &p, &l);
		rc = errs_finish(ent, &l, e);
		errs_free(&l);
	}
	if (rc == 0) /* what the write would refuse in an accepted period */
		rc = chain_lock_check_state(st, ent, p.prov, rec, e);
	free(p.key);
	json_decref(rec);
	return rc;
}

int record_create(struct store *st, const struct actor *a, const struct entity *ent, json_t *in,
		  int64_t *id, struct err *e)
{
	return record_create_all(st, a, ent, in, id, NULL, e);
}

int record_create_all(struct store *st, const struct actor *a, const struct entity *ent,
                      json_t *in, int64_t *id, struct errs *all, struct err *e)
{
	if (record_history_only(ent, e) < 0)
		return e->code;
	return create_impl(st, a, ent, in, id, all, e);
}

int record_create_system(struct store *st, const struct actor *a, const struct entity *ent,
			 json_t *in, int64_t *id, struct err *e)
{
	return create_impl(st, a, ent, in, id, NULL, e);
}

static int write_update(struct store *st, const struct entity *ent, int64_t id, int64_t version,
                        json_t *rec, const struct prepared *p, struct err *e)
{
	char now[21];
	clock_iso(clock_now(), now);
	struct stmt *s = store_prepare(st, ent_sql(ent)->update, e);
	if (!s)
		return ERR_STORE;
	int pos = 1;
	stmt_bind_text(s, pos++, now);
	stmt_bind_text(s, pos++, p->prov[0] ? p->prov : NULL);
	stmt_bind_text(s, pos++, p->old[0] ? p->old : NULL);
	bind_old_units(s, &pos, &p->ou);
	stmt_bind_text(s, pos++, p->key);
	for (const struct field *f = ent->fields; f->name; f++)
		bind_field(s, &pos, f, json_object_get(rec, f->name));
	stmt_bind_int(s, pos++, id);
	stmt_bind_int(s, pos++, version);
	int rc = stmt_step(s, e);
	stmt_done(s);
	if (rc >= 0 && store_changes(st) != 1)
		return err_set(e, ERR_STALE, "version",
		               "Bản ghi vừa được người khác sửa; tải lại rồi sửa lại / the record was "
		               "changed by someone else; reload and edit again");
	return rc < 0 ? rc : 0;
}

/* Validates the changes in into rec (a copy of the stored record): every
 * error in *all when the caller wants them, the first in e. */
static int update_check(struct store *st, const struct actor *a, const struct entity *ent,
                        int64_t id, json_t *in, json_t *rec, int system, struct prepared *p,
                        struct errs *all, struct err *e)
{
	struct errs own = {0}, *l = all ? all : &own;
	merge_input(st, ent, in, rec, system, l);
	prepare_write(st, a, ent, rec, id, p, l);
	int rc = errs_finish(ent, l, e);
	errs_free(&own);
	return rc;
}

/* A record whose unit others take their old units from (an establishment's
 * or craft village's commune) moved. */
static int place_changed(const struct entity *ent, json_t *before, json_t *after)
{
	if (ent->prov != PROV_UNIT || !ent->prov_field)
		return 0;
	return !json_equal(json_object_get(before, ent->prov_field),
			   json_object_get(after, ent->prov_field));
}

static int update_impl(struct store *st, const struct actor *a, const struct entity *ent,
                       int64_t id, json_t *in, int64_t if_version, int system,
                       const char *action, struct errs *all, struct err *e)
{
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "", "Tài khoản xem không được ghi / viewers cannot write");
	if (!system && record_history_only(ent, e) < 0)
		return e->code;
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	json_t *before = NULL, *rec = NULL;
	struct prepared p = {0};
	rc = record_get(st, a, ent, id, &before, e);
	if (rc == 0) {
		const char *prov = json_string_value(json_object_get(before, "province_code"));
		if (!can_write(ent, a, prov, before))
			rc = err_set(e, ERR_FORBIDDEN, "", "Bạn không được sửa bản ghi này / you may not "
			                                   "change this record");
	}
	if (rc == 0 && !system)
		rc = may_change(ent, a, before, e);
	int64_t version = before ? json_integer_value(json_object_get(before, "version")) : 0;
	if (rc == 0 && if_version >= 0 && if_version != version)
		rc = err_set(e, ERR_STALE, "version",
		             "Bản ghi đã đổi (phiên bản %lld, bạn gửi %lld) / the record changed "
		             "(version %lld, you sent %lld)",
		             (long long)version, (long long)if_version, (long long)version,
		             (long long)if_version);
	if (rc == 0) {
		rec = json_deep_copy(before);
		rc = record_refs_resolve(st, a, ent, in, e);
		if (rc < 0 && all)
			errs_add(all, e);
		if (rc == 0)
			rc = update_check(st, a, ent, id, in, rec, system, &p, all, e);
	}
	if (rc == 0)
		rc = write_update(st, ent, id, version, rec, &p, e);
	if (rc == 0 && place_changed(ent, before, rec))
		rc = record_old_follow(st, ent, id, e);
	if (rc == 0)
		rc = audit_change(st, a, ent, id, action, before, rec, e);
	free(p.key);
	json_decref(before);
	json_decref(rec);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int record_update(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
                  json_t *in, int64_t if_version, struct err *e)
{
	return update_impl(st, a, ent, id, in, if_version, 0, "update", NULL, e);
}

int record_update_all(struct store *st, const struct actor *a, const struct entity *ent,
                      int64_t id, json_t *in, int64_t if_version, struct errs *all, struct err *e)
{
	return update_impl(st, a, ent, id, in, if_version, 0, "update", all, e);
}

int record_set_system(struct store *st, const struct actor *a, const struct entity *ent,
                      int64_t id, const char *field, json_t *value, const char *action,
                      struct err *e)
{
	json_t *in = json_object();
	json_object_set(in, field, value);
	int rc = update_impl(st, a, ent, id, in, -1, 1, action, NULL, e);
	json_decref(in);
	return rc;
}

/* Refuses to delete a record that others refer to, naming who. */
static int check_referrers(struct store *st, const struct entity *ent, int64_t id, struct err *e)
{
	for (const struct entity *o = entities; o->collection; o++) {
		for (const struct field *f = o->fields; f->name; f++) {
			if (f->type != F_REF || strcmp(f->ref, ent->collection))
				continue;
			char sql[200];
			/* Names from the descriptions only. */
			snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s = ?", o->table, f->name);
			int64_t n = 0;
			int rc = store_int(st, e, &n, sql, "i", id);
			if (rc < 0)
				return rc;
			if (n > 0)
				return err_set(e, ERR_CONFLICT, "id",
				               "Không xóa được: %lld %s đang tham chiếu / cannot delete: %lld "
				               "%s refer to it",
				               (long long)n, o->plural_vi, (long long)n, o->plural_en);
		}
	}
	return 0;
}

int record_delete(struct store *st, const struct actor *a, const struct entity *ent, int64_t id,
                  int64_t if_version, struct err *e)
{
	if (a->role == ROLE_VIEWER || a->role == ROLE_ESTABLISHMENT)
		return err_set(e, ERR_FORBIDDEN, "", "Bạn không được xóa / you may not delete");
	if (record_history_only(ent, e) < 0)
		return e->code;
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	json_t *before = NULL;
	rc = record_get(st, a, ent, id, &before, e);
	if (rc == 0 && !can_write(ent, a, json_string_value(json_object_get(before, "province_code")),
	                          before))
		rc = err_set(e, ERR_FORBIDDEN, "", "Bạn không được xóa bản ghi này / you may not "
		                                   "delete this record");
	if (rc == 0)
		rc = may_change(ent, a, before, e);
	int64_t version = before ? json_integer_value(json_object_get(before, "version")) : 0;
	if (rc == 0 && if_version >= 0 && if_version != version)
		rc = err_set(e, ERR_STALE, "version", "Bản ghi đã đổi / the record changed");
	if (rc == 0)
		rc = check_referrers(st, ent, id, e);
	if (rc == 0)
		rc = store_run(st, e, ent_sql(ent)->remove, "ii", id, version);
	if (rc > 0)
		rc = 0;
	/* Under READ COMMITTED a writer may have changed the row since it was
	 * read: the DELETE then removed nothing, and nothing is audited. */
	if (rc == 0 && store_changes(st) != 1)
		rc = err_set(
			e, ERR_STALE, "version",
			"Bản ghi vừa được người khác sửa; tải lại rồi thử lại / the record was "
			"changed by someone else; reload and try again");
	if (rc == 0)
		rc = audit_change(st, a, ent, id, "delete", before, NULL, e);
	json_decref(before);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int record_check_write(struct store *st, const struct actor *a, const struct entity *ent,
                       int64_t id, struct err *e)
{
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "", "Tài khoản xem không được ghi / viewers cannot write");
	json_t *rec = NULL; /* gcc -O2 cannot see record_get() sets it on success */
	int rc = record_get(st, a, ent, id, &rec, e);
	if (rc < 0)
		return rc;
	rc = record_may_write(a, ent, rec, e);
	json_decref(rec);
	return rc;
}

int record_may_write(const struct actor *a, const struct entity *ent, json_t *rec, struct err *e)
{
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "",
			       "Tài khoản xem không được ghi / viewers cannot write");
	if (!can_read(ent, a, rec) ||
	    !can_write(ent, a, json_string_value(json_object_get(rec, "province_code")), rec))
		return err_set(e, ERR_FORBIDDEN, "",
			       "Bạn không được sửa bản ghi này / you may not change "
			       "this record");
	return 0;
}
