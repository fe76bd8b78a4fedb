/* unit.c - reads of the administrative units: by code, search by name with
 * or without diacritics, successors and predecessors, today's province,
 * resolution of a code or name for importers. The tables are filled by
 * unit_load.c and never change afterwards. */
#include "model/unit.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "model/unit_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_COLS                                                                    \
	"u.id, u.era, u.level, u.code, u.name, u.full_name, u.name_en, u.type_name," \
	" u.province_code, u.district_code, u.valid_from, u.valid_to, u.is_current," \
	" u.new_province_code"
enum { UNIT_NCOLS = 14 };

static void unit_from_row(struct stmt *s, struct unit *u)
{
	memset(u, 0, sizeof *u);
	u->id = stmt_int(s, 0);
	str_copy(u->era, sizeof u->era, stmt_text(s, 1));
	str_copy(u->level, sizeof u->level, stmt_text(s, 2));
	str_copy(u->code, sizeof u->code, stmt_text(s, 3));
	str_copy(u->name, sizeof u->name, stmt_text(s, 4));
	str_copy(u->full_name, sizeof u->full_name, stmt_text(s, 5));
	str_copy(u->name_en, sizeof u->name_en, stmt_text(s, 6));
	str_copy(u->type_name, sizeof u->type_name, stmt_text(s, 7));
	str_copy(u->province_code, sizeof u->province_code, stmt_text(s, 8));
	str_copy(u->district_code, sizeof u->district_code, stmt_text(s, 9));
	str_copy(u->valid_from, sizeof u->valid_from, stmt_text(s, 10));
	str_copy(u->valid_to, sizeof u->valid_to, stmt_text(s, 11));
	u->is_current = (int)stmt_int(s, 12);
	str_copy(u->new_province_code, sizeof u->new_province_code, stmt_text(s, 13));
}

static int check_era(const char *era, struct err *e)
{
	if (era && (!strcmp(era, "old") || !strcmp(era, "new")))
		return 0;
	return err_set(e, ERR_INVALID, "era",
		       "era phải là \"old\" hoặc \"new\" / era must be old or new");
}

static int check_level(const char *level, struct err *e)
{
	if (level &&
	    (!strcmp(level, "province") || !strcmp(level, "district") || !strcmp(level, "commune")))
		return 0;
	return err_set(e, ERR_INVALID, "level",
		       "level phải là province, district hoặc commune / level must be province, "
		       "district or commune");
}

/* ---- one unit ---- */

/* The version valid on date (the current one when date is NULL): the last
 * version starting on or before date, else the first. */
static int get_version(struct store *st, const char *era, const char *level, const char *code,
		       const char *date, struct unit *out, struct err *e)
{
	struct stmt *s = store_prepare(st,
				       "SELECT " UNIT_COLS " FROM units u"
				       " WHERE u.era = ? AND u.level = ? AND u.code = ?"
				       " ORDER BY u.valid_from",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ttt", era, level, code);
	int rc, found = 0;
	struct unit u;
	while ((rc = stmt_step(s, e)) == 1) {
		unit_from_row(s, &u);
		int take = date ? (!found || strcmp(u.valid_from, date) <= 0) : u.is_current;
		if (take) {
			*out = u;
			found = 1;
		}
	}
	stmt_done(s);
	if (rc < 0)
		return rc;
	return found ? 0 : ERR_NOTFOUND;
}

/* The unit's own code for a code alias (06970 -> 06978), "" when none. */
static int code_alias(struct store *st, const char *era, const char *level, const char *code,
		      char real[8], struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT u.code FROM unit_aliases a JOIN units u ON u.id = a.unit_id"
			      " WHERE a.kind = 'code' AND a.fold_key = ? AND u.era = ?"
			      " AND u.level = ?",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ttt", code, era, level);
	int rc = stmt_step(s, e);
	str_copy(real, 8, rc == 1 ? stmt_text(s, 0) : "");
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int unit_get_on(struct store *st, const char *era, const char *level, const char *code,
		const char *date, struct unit *out, struct err *e)
{
	if (check_era(era, e) < 0 || check_level(level, e) < 0)
		return ERR_INVALID;
	if (!vtext_is_digits(code))
		return err_set(e, ERR_INVALID, "code",
			       "mã đơn vị chỉ gồm chữ số / a unit code is digits");
	char iso[11];
	if (date && vtext_parse_date(date, iso, "date", e) < 0)
		return ERR_INVALID;
	int rc = get_version(st, era, level, code, date ? iso : NULL, out, e);
	if (rc != ERR_NOTFOUND)
		return rc;
	char real[8];
	rc = code_alias(st, era, level, code, real, e);
	if (rc == 0 && real[0])
		rc = get_version(st, era, level, real, date, out, e);
	else if (rc == 0)
		rc = ERR_NOTFOUND;
	if (rc == ERR_NOTFOUND)
		err_set(e, ERR_NOTFOUND, "code", "Không có đơn vị %s / no %s %s unit with code %s",
			code, era, level, code);
	return rc;
}

int unit_get_by_code(struct store *st, const char *era, const char *level, const char *code,
		     struct unit *out, struct err *e)
{
	return unit_get_on(st, era, level, code, NULL, out, e);
}

/* Units read by id, remembered while an import runs (unit_memo_on): open
 * addressing, at most MEMO_MAX units (about 450 bytes each, allocated as
 * read: an import of 3 000 communes keeps 1.4 MB). */
enum { MEMO_SLOTS = 16384, MEMO_MAX = MEMO_SLOTS / 2 };

struct unit_memo {
	struct unit **slots; /* NULL: empty */
	size_t n;
};

int unit_memo_on(struct store *st)
{
	if (store_units(st))
		return 0;
	struct unit_memo *m = xcalloc(1, sizeof *m);
	m->slots = xcalloc(MEMO_SLOTS, sizeof *m->slots);
	store_set_units(st, m);
	return 1;
}

void unit_memo_off(struct store *st)
{
	struct unit_memo *m = store_units(st);
	if (!m)
		return;
	for (size_t i = 0; i < MEMO_SLOTS; i++)
		free(m->slots[i]);
	free(m->slots);
	free(m);
	store_set_units(st, NULL);
}

static struct unit **memo_slot(struct unit_memo *m, int64_t id)
{
	size_t i = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL) & (MEMO_SLOTS - 1);
	while (m->slots[i] && m->slots[i]->id != id)
		i = (i + 1) & (MEMO_SLOTS - 1);
	return &m->slots[i];
}

int unit_get(struct store *st, int64_t id, struct unit *out, struct err *e)
{
	struct unit_memo *m = store_units(st);
	struct unit **slot = m ? memo_slot(m, id) : NULL;
	if (slot && *slot) {
		*out = **slot;
		return 0;
	}
	struct stmt *s = store_prepare(st, "SELECT " UNIT_COLS " FROM units u WHERE u.id = ?", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	int rc = stmt_step(s, e);
	if (rc == 1)
		unit_from_row(s, out);
	stmt_done(s);
	if (rc == 1 && slot && m->n < MEMO_MAX) {
		*slot = xmalloc(sizeof **slot);
		**slot = *out;
		m->n++;
	}
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "unit", "Không có đơn vị / no unit with id %lld",
			       (long long)id);
	return rc < 0 ? rc : 0;
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *unit_json(const struct unit *u)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id",
			      (json_int_t)u->id, "era", u->era, "level", u->level, "code", u->code,
			      "name", u->name, "full_name", u->full_name, "name_en", u->name_en,
			      "type_name", u->type_name, "province_code", u->province_code,
			      "valid_from", u->valid_from, "is_current", u->is_current);
	json_object_set_new(o, "district_code", str_or_null(u->district_code));
	json_object_set_new(o, "valid_to", str_or_null(u->valid_to));
	json_object_set_new(o, "new_province_code", str_or_null(u->new_province_code));
	return o;
}

/* ---- successors and predecessors, for up to LINK_BATCH units at once ---- */

#define Q10 "?,?,?,?,?,?,?,?,?,?"
#define IN_BATCH Q10 "," Q10 "," Q10 "," Q10 "," Q10
enum { LINK_BATCH = 50 };
#define LINK_COLS                                                                                \
	"r.id, c.id, c.era, c.level, c.code, c.name, c.full_name, c.type_name, c.province_code," \
	" s.kind, s.note"

/* What old units r became: the current version of each new unit. */
static const char succ_batch_sql[] = "SELECT " LINK_COLS " FROM units r"
				     " JOIN unit_succession s ON s.old_unit_id = r.id"
				     " JOIN units n ON n.id = s.new_unit_id"
				     " JOIN units c ON c.era = n.era AND c.level = n.level AND "
				     "c.code = n.code AND c.is_current = 1"
				     " WHERE r.id IN (" IN_BATCH ") ORDER BY r.id, c.code";
/* What new units r (any version) came from. */
static const char pred_batch_sql[] =
	"SELECT " LINK_COLS " FROM units r"
	" JOIN units v ON v.era = r.era AND v.level = r.level AND v.code = r.code"
	" JOIN unit_succession s ON s.new_unit_id = v.id"
	" JOIN units c ON c.id = s.old_unit_id"
	" WHERE r.id IN (" IN_BATCH ") ORDER BY r.id, c.level DESC, c.code";

static json_t *link_json(struct stmt *s)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
			 (json_int_t)stmt_int(s, 1), "era", stmt_text(s, 2), "level",
			 stmt_text(s, 3), "code", stmt_text(s, 4), "name", stmt_text(s, 5),
			 "full_name", stmt_text(s, 6), "type_name", stmt_text(s, 7),
			 "province_code", stmt_text(s, 8), "kind", stmt_text(s, 9), "note",
			 stmt_text(s, 10));
}

/* Runs sql for ids[0..n-1] (n <= LINK_BATCH) and appends each link to
 * arrays[i] of the unit ids[i]. */
static int links_batch(struct store *st, const char *sql, const int64_t *ids, json_t **arrays,
		       size_t n, struct err *e)
{
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	for (int i = 0; i < LINK_BATCH; i++) {
		if ((size_t)i < n)
			stmt_bind_int(s, i + 1, ids[i]);
		else
			stmt_bind_null(s, i + 1);
	}
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		int64_t id = stmt_int(s, 0);
		for (size_t i = 0; i < n; i++)
			if (ids[i] == id)
				json_array_append_new(arrays[i], link_json(s));
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

static int links_of(struct store *st, const char *sql, int64_t id, json_t **out, struct err *e)
{
	json_t *arr = json_array();
	int rc = links_batch(st, sql, &id, &arr, 1, e);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

int unit_successors(struct store *st, int64_t unit_id, json_t **out, struct err *e)
{
	struct unit u;
	int rc = unit_get(st, unit_id, &u, e);
	if (rc < 0)
		return rc;
	return links_of(st, succ_batch_sql, unit_id, out, e);
}

int unit_predecessors(struct store *st, int64_t unit_id, json_t **out, struct err *e)
{
	struct unit u;
	int rc = unit_get(st, unit_id, &u, e);
	if (rc < 0)
		return rc;
	return links_of(st, pred_batch_sql, unit_id, out, e);
}

/* Gives every item of items (unit objects) its "successors" (old units) or
 * "predecessors" (new units), LINK_BATCH units per query. */
static int attach_links(struct store *st, json_t *items, struct err *e)
{
	size_t total = json_array_size(items);
	for (size_t from = 0; from < total; from += LINK_BATCH) {
		int64_t ids[LINK_BATCH];
		json_t *arrays[LINK_BATCH];
		size_t n = total - from < LINK_BATCH ? total - from : LINK_BATCH;
		for (size_t i = 0; i < n; i++) {
			json_t *item = json_array_get(items, from + i);
			int old = !strcmp(json_string_value(json_object_get(item, "era")), "old");
			ids[i] = json_integer_value(json_object_get(item, "id"));
			arrays[i] = json_array();
			json_object_set_new(item, old ? "successors" : "predecessors", arrays[i]);
		}
		int rc = links_batch(st, succ_batch_sql, ids, arrays, n, e);
		if (rc == 0)
			rc = links_batch(st, pred_batch_sql, ids, arrays, n, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- search ---- */

/* A query split into a code, or a name key and a type ("xã Mễ Sở" -> "Xã",
 * "me so"). */
struct parsed {
	char *code;	  /* digits, or NULL */
	char *key;	  /* the folded, tone-canonical query (malloc'd), or NULL */
	const char *bare; /* key without its type word (points into key) */
	const char *type; /* the type_name the query asked for, or NULL */
	char *pattern;	  /* LIKE pattern for names where bare starts a word */
};

static const char *const type_prefixes[][2] = {
	{"thanh pho ", "Thành phố"}, {"tp ", "Thành phố"},  {"thi tran ", "Thị trấn"},
	{"tt ", "Thị trấn"},	     {"thi xa ", "Thị xã"}, {"tx ", "Thị xã"},
	{"dac khu ", "Đặc khu"},     {"phuong ", "Phường"}, {"tinh ", "Tỉnh"},
	{"quan ", "Quận"},	     {"huyen ", "Huyện"},   {"xa ", "Xã"},
};

static void parsed_free(struct parsed *p)
{
	free(p->code);
	free(p->key);
	free(p->pattern);
	memset(p, 0, sizeof *p);
}

/* with_type: whether a leading type word filters by type (else it is part
 * of the name: "Phường Đúc" is also a name). */
static void parse_query(const char *q, int with_type, struct parsed *p)
{
	memset(p, 0, sizeof *p);
	char *t = vtext_tone_canonical(q ? q : "");
	char *key = vtext_fold(t);
	free(t);
	if (!*key) {
		free(key);
		return;
	}
	if (vtext_is_digits(key)) {
		p->code = key;
		return;
	}
	p->key = key;
	p->bare = key;
	for (size_t i = 0; with_type && i < sizeof type_prefixes / sizeof type_prefixes[0]; i++) {
		size_t n = strlen(type_prefixes[i][0]);
		if (!strncmp(key, type_prefixes[i][0], n) && key[n]) {
			p->type = type_prefixes[i][1];
			p->bare = key + n;
			break;
		}
	}
	struct buf b = BUF_INIT;
	buf_printf(&b, "%% %s%%", p->bare);
	p->pattern = buf_detach(&b);
}

#define SEARCH_WHERE                                                                     \
	" WHERE (? IS NULL OR u.era = ?) AND (? IS NULL OR u.level = ?)"                 \
	" AND (? IS NULL OR u.province_code = ? OR u.new_province_code = ?)"             \
	" AND (? IS NULL OR u.type_name = ?) AND (u.is_current = 1 OR ? IS NOT NULL)"    \
	" AND (? IS NULL OR u.code = ? OR u.id IN (SELECT a.unit_id FROM unit_aliases a" \
	"  WHERE a.kind = 'code' AND a.fold_key = ?))"                                   \
	" AND (? IS NULL OR u.fold_key = ? OR (' ' || u.fold_key) LIKE ?"                \
	"  OR u.id IN (SELECT a.unit_id FROM unit_aliases a WHERE a.kind = 'name'"       \
	"  AND (a.fold_key = ? OR (' ' || a.fold_key) LIKE ?)))"

static const char search_count_sql[] = "SELECT COUNT(*) FROM units u" SEARCH_WHERE;
static const char search_list_sql[] =
	"SELECT " UNIT_COLS ", tp.name, pr.full_name, d.full_name,"
	" CASE WHEN u.fold_key = ? OR u.code = ? OR u.id IN (SELECT a.unit_id FROM unit_aliases a"
	"  WHERE a.fold_key = ?) THEN 0 ELSE 1 END AS rank"
	" FROM units u"
	" LEFT JOIN units tp ON tp.era = 'new' AND tp.level = 'province'"
	"  AND tp.code = u.new_province_code AND tp.is_current = 1"
	" LEFT JOIN units pr ON pr.era = u.era AND pr.level = 'province'"
	"  AND pr.code = u.province_code AND pr.is_current = 1"
	" LEFT JOIN units d ON d.era = u.era AND d.level = 'district' AND d.code = "
	"u.district_code" SEARCH_WHERE
	" ORDER BY rank, CASE u.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END,"
	" u.era, u.code, u.valid_from LIMIT ? OFFSET ?";

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

/* Binds the SEARCH_WHERE parameters from position pos + 1. */
static int bind_where(struct stmt *s, int pos, const struct unit_query *q, const struct parsed *p)
{
	const char *era = nonempty(q->era), *level = nonempty(q->level);
	const char *prov = nonempty(q->province), *name = p->key ? p->bare : NULL;
	const char *v[] = {era,	    era,     level,   level,	  prov,	   prov,
			   prov,    p->type, p->type, p->type,	  p->code, p->code,
			   p->code, name,    name,    p->pattern, name,	   p->pattern};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		stmt_bind_text(s, ++pos, v[i]);
	return pos;
}

static json_t *search_item(struct stmt *s)
{
	struct unit u;
	unit_from_row(s, &u);
	json_t *o = unit_json(&u);
	json_object_set_new(o, "province_name", str_or_null(stmt_text(s, UNIT_NCOLS + 1)));
	json_object_set_new(o, "district_name", str_or_null(stmt_text(s, UNIT_NCOLS + 2)));
	json_object_set_new(
		o, "today_province",
		u.new_province_code[0]
			? json_pack("{s:s,s:s}", "code", u.new_province_code, "name",
				    stmt_text(s, UNIT_NCOLS) ? stmt_text(s, UNIT_NCOLS) : "")
			: json_null());
	return o;
}

static int search_count(struct store *st, const struct unit_query *q, const struct parsed *p,
			int64_t *total, struct err *e)
{
	struct stmt *s = store_prepare(st, search_count_sql, e);
	if (!s)
		return ERR_STORE;
	bind_where(s, 0, q, p);
	int rc = stmt_step(s, e);
	*total = rc == 1 ? stmt_int(s, 0) : 0;
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

static int search_list(struct store *st, const struct unit_query *q, const struct parsed *p,
		       json_t **items, struct err *e)
{
	struct stmt *s = store_prepare(st, search_list_sql, e);
	if (!s)
		return ERR_STORE;
	const char *name = p->key ? p->bare : NULL;
	stmt_bind(s, "ttt", name, p->code, name ? name : p->code);
	int pos = bind_where(s, 3, q, p);
	stmt_bind_int(s, pos + 1, q->limit > 0 ? q->limit : 50);
	stmt_bind_int(s, pos + 2, q->offset > 0 ? q->offset : 0);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr, search_item(s));
	stmt_done(s);
	if (rc == 0)
		rc = attach_links(st, arr, e);
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*items = arr;
	return 0;
}

static int check_query(const struct unit_query *q, struct err *e)
{
	if (nonempty(q->era) && check_era(q->era, e) < 0)
		return ERR_INVALID;
	if (nonempty(q->level) && check_level(q->level, e) < 0)
		return ERR_INVALID;
	if (nonempty(q->province) && (!vtext_is_digits(q->province) || strlen(q->province) != 2))
		return err_set(e, ERR_INVALID, "province",
			       "mã tỉnh gồm 2 chữ số / a province code has 2 digits");
	if (q->limit < 0 || q->limit > 500 || q->offset < 0)
		return err_set(e, ERR_INVALID, "per_page", "1..500");
	if (q->q && strlen(q->q) > 200)
		return err_set(e, ERR_TOOBIG, "q",
			       "Chuỗi tìm quá dài / query too long (200 bytes)");
	char *valid = vtext_normalize(q->q, "q", e); /* refuses bad UTF-8 */
	free(valid);
	return valid ? 0 : ERR_INVALID;
}

static int search_once(struct store *st, const struct unit_query *q, const struct parsed *p,
		       json_t **items, int64_t *total, struct err *e)
{
	int rc = search_count(st, q, p, total, e);
	return rc < 0 ? rc : search_list(st, q, p, items, e);
}

int unit_search(struct store *st, const struct unit_query *q, json_t **items, int64_t *total,
		struct err *e)
{
	if (check_query(q, e) < 0)
		return ERR_INVALID;
	struct parsed p;
	parse_query(q->q, 1, &p);
	int64_t n = 0;
	int rc = search_once(st, q, &p, items, &n, e);
	if (rc == 0 && n == 0 && p.type) {
		/* "Phường Đúc": the type word may belong to the name. */
		json_decref(*items);
		parsed_free(&p);
		parse_query(q->q, 0, &p);
		rc = search_once(st, q, &p, items, &n, e);
	}
	parsed_free(&p);
	if (rc == 0 && total)
		*total = n;
	return rc;
}

int unit_find(struct store *st, const char *query, const char *era, const char *level,
	      int64_t limit, json_t **out, struct err *e)
{
	struct unit_query q = {query, era, level, NULL, limit, 0};
	return unit_search(st, &q, out, NULL, e);
}

/* unit_search's count from the index, up to 2 (p as parse_query made it). */
static int indexed_count(const struct unit_index *ix, const struct unit_query *q,
			 const struct parsed *p, int64_t *id)
{
	struct uix_filter f = {nonempty(q->era), nonempty(q->level), p->type, p->code,
			       p->key ? p->bare : NULL};
	return uix_search_count(ix, &f, id);
}

int unit_find_one(struct store *st, const struct unit_index *ix, const char *query, const char *era,
		  const char *level, int64_t *id)
{
	struct err fe;
	if (!ix) {
		json_t *found = NULL;
		int one = unit_find(st, query, era, level, 2, &found, &fe) == 0 &&
			  json_array_size(found) == 1;
		if (one)
			*id = json_integer_value(json_object_get(json_array_get(found, 0), "id"));
		json_decref(found);
		return one;
	}
	struct unit_query q = {query, era, level, NULL, 2, 0};
	if (check_query(&q, &fe) < 0)
		return 0;
	struct parsed p;
	parse_query(query, 1, &p);
	int n = indexed_count(ix, &q, &p, id);
	if (n == 0 && p.type) { /* as unit_search: the type word may be the name's */
		parsed_free(&p);
		parse_query(query, 0, &p);
		n = indexed_count(ix, &q, &p, id);
	}
	parsed_free(&p);
	return n == 1;
}

/* ---- today's province ---- */

int unit_new_province(struct store *st, int64_t unit_id, char out[8], struct err *e)
{
	struct unit u;
	int rc = unit_get(st, unit_id, &u, e);
	if (rc < 0)
		return rc;
	if (u.new_province_code[0]) {
		str_copy(out, 8, u.new_province_code);
		return 0;
	}
	struct stmt *s =
		store_prepare(st,
			      "SELECT DISTINCT n.province_code FROM unit_succession s"
			      " JOIN units n ON n.id = s.new_unit_id WHERE s.old_unit_id = ?"
			      " ORDER BY n.province_code",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", unit_id);
	struct buf list = BUF_INIT;
	while ((rc = stmt_step(s, e)) == 1)
		buf_printf(&list, "%s%s", list.len ? ", " : "", stmt_text(s, 0));
	stmt_done(s);
	if (rc == 0)
		rc = err_set(
			e, ERR_INVALID, "unit",
			"%s (%s) nay thuộc nhiều tỉnh hoặc không rõ tỉnh / lies today in several "
			"provinces or none: %s",
			u.full_name, u.code, list.len ? buf_cstr(&list) : "-");
	buf_free(&list);
	return rc;
}

/* ---- resolution for importers ---- */

struct candidate {
	struct unit u;
	char district_key[96], province_key[96], today_key[96];
	char district[128], province[128];
};

enum { MAX_CANDIDATES = 200 };

#define RESOLVE_SQL(match)                                                                      \
	"SELECT " UNIT_COLS ", d.fold_key, pr.fold_key, tp.fold_key, d.full_name, pr.full_name" \
	" FROM units u"                                                                         \
	" LEFT JOIN units d ON d.era = u.era AND d.level = 'district' AND d.code = "            \
	"u.district_code"                                                                       \
	" LEFT JOIN units pr ON pr.era = u.era AND pr.level = 'province'"                       \
	"  AND pr.code = u.province_code AND pr.is_current = 1"                                 \
	" LEFT JOIN units tp ON tp.era = 'new' AND tp.level = 'province'"                       \
	"  AND tp.code = u.new_province_code AND tp.is_current = 1"                             \
	" WHERE (? IS NULL OR u.era = ?) AND (? IS NULL OR u.type_name = ?) AND " match         \
	" ORDER BY u.era, u.level, u.code, u.is_current DESC"

static const char resolve_code_sql[] =
	RESOLVE_SQL("(u.code = ? OR u.id IN (SELECT a.unit_id FROM unit_aliases a"
		    " WHERE a.kind = 'code' AND a.fold_key = ?))");
static const char resolve_name_sql[] =
	RESOLVE_SQL("(u.fold_key = ? OR u.id IN (SELECT a.unit_id FROM unit_aliases a"
		    " WHERE a.kind = 'name' AND a.fold_key = ?))");

static const char resolve_id_sql[] = RESOLVE_SQL("u.id = ?");

/* Adds the unit of row s to c[n] unless it is another version of c[n - 1];
 * the new count. */
static int add_candidate(struct stmt *s, struct candidate *c, int n)
{
	struct candidate *x = &c[n];
	unit_from_row(s, &x->u);
	if (n > 0 && !strcmp(c[n - 1].u.era, x->u.era) && !strcmp(c[n - 1].u.level, x->u.level) &&
	    !strcmp(c[n - 1].u.code, x->u.code))
		return n; /* another version of the same unit */
	str_copy(x->district_key, sizeof x->district_key, stmt_text(s, UNIT_NCOLS));
	str_copy(x->province_key, sizeof x->province_key, stmt_text(s, UNIT_NCOLS + 1));
	str_copy(x->today_key, sizeof x->today_key, stmt_text(s, UNIT_NCOLS + 2));
	str_copy(x->district, sizeof x->district, stmt_text(s, UNIT_NCOLS + 3));
	str_copy(x->province, sizeof x->province, stmt_text(s, UNIT_NCOLS + 4));
	return n + 1;
}

/* candidates() from the index: its rows, in the query's order, each read
 * by id. */
static int indexed_candidates(struct store *st, const struct unit_index *ix, const struct parsed *p,
			      const char *era, struct candidate *c, struct err *e)
{
	enum { MAX_ROWS = 4 * MAX_CANDIDATES };
	int64_t ids[MAX_ROWS];
	struct uix_filter f = {nonempty(era), NULL, p->type, p->code, p->code ? NULL : p->bare};
	int nids = uix_exact(ix, &f, ids, MAX_ROWS), n = 0;
	for (int i = 0; i < nids && n < MAX_CANDIDATES; i++) {
		struct stmt *s = store_prepare(st, resolve_id_sql, e);
		if (!s)
			return ERR_STORE;
		stmt_bind(s, "nnnni", ids[i]);
		int rc = stmt_step(s, e);
		if (rc == 1)
			n = add_candidate(s, c, n);
		stmt_done(s);
		if (rc < 0)
			return rc;
	}
	return n;
}

/* Loads the units matching p (one entry per unit: versions collapse to the
 * current one) into c; returns their number or < 0. */
static int candidates(struct store *st, const struct unit_index *ix, const struct parsed *p,
		      const char *era, struct candidate *c, struct err *e)
{
	if (ix)
		return indexed_candidates(st, ix, p, era, c, e);
	struct stmt *s = store_prepare(st, p->code ? resolve_code_sql : resolve_name_sql, e);
	if (!s)
		return ERR_STORE;
	const char *match = p->code ? p->code : p->bare;
	stmt_bind(s, "tttttt", era, era, p->type, p->type, match, match);
	int rc, n = 0;
	while ((rc = stmt_step(s, e)) == 1 && n < MAX_CANDIDATES)
		n = add_candidate(s, c, n);
	stmt_done(s);
	return rc < 0 ? rc : n;
}

/* Keeps the candidates whose district, province or today's province is
 * named by context (a key, its type word stripped). */
static int narrow(struct candidate *c, int n, const char *context)
{
	struct parsed p;
	parse_query(context, 1, &p);
	const char *k = p.key ? p.bare : p.code;
	int kept = 0;
	for (int i = 0; k && i < n; i++) {
		if (!strcmp(k, c[i].district_key) || !strcmp(k, c[i].province_key) ||
		    !strcmp(k, c[i].today_key) || (p.key && !strcmp(p.key, c[i].district_key)))
			c[kept++] = c[i];
	}
	parsed_free(&p);
	return k ? kept : n;
}

static const char *level_vi(const char *level)
{
	return !strcmp(level, "province") ? "tỉnh" : !strcmp(level, "district") ? "huyện" : "xã";
}

/* Appends "Xã Mễ Sở (old commune 12345, Huyện Văn Giang, Tỉnh Hưng Yên)". */
static void describe(struct buf *b, const struct candidate *c)
{
	buf_printf(b, "%s (%s %s %s %s", c->u.full_name, c->u.era, level_vi(c->u.level), c->u.level,
		   c->u.code);
	if (c->district[0])
		buf_printf(b, ", %s", c->district);
	if (strcmp(c->u.level, "province"))
		buf_printf(b, ", %s", c->province);
	buf_puts(b, ")");
}

/* e's message from b, cut at a character boundary to fit. */
static int fail_with(struct err *e, int code, const char *field, struct buf *b)
{
	const char *s = buf_cstr(b);
	size_t n = strlen(s), max = sizeof e->message - 8;
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	err_set(e, code, field, "%.*s%s", (int)n, s, n < strlen(s) ? "…" : "");
	buf_free(b);
	return code;
}

static int resolve_fail(const char *text, const struct candidate *c, int n, struct err *e)
{
	struct buf b = BUF_INIT;
	if (n == 0) {
		buf_printf(
			&b,
			"Không tìm thấy đơn vị hành chính \"%s\" / no administrative unit matches",
			text);
		return fail_with(e, ERR_INVALID, "unit", &b);
	}
	buf_printf(
		&b,
		"\"%s\" khớp %d đơn vị; thêm huyện, tỉnh hoặc dùng mã / matches %d units, add the "
		"district or province or use the code: ",
		text, n, n);
	for (int i = 0; i < n && i < 10; i++) {
		buf_puts(&b, i ? "; " : "");
		describe(&b, &c[i]);
	}
	return fail_with(e, ERR_INVALID, "unit", &b);
}

/* Splits "Mễ Sở, Văn Giang, Hưng Yên" into the name and its context. */
static int split_parts(char *t, char *parts[4])
{
	int n = 0;
	for (char *p = t; p && n < 4;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		while (*p == ' ')
			p++;
		parts[n++] = p;
		p = comma ? comma + 1 : NULL;
	}
	return n;
}

/* Names that differ only by a mark fold alike ("Đông Thành", "Đông Thạnh"
 * in one district): when some candidates carry exactly the name written
 * (marks and all, case aside), they win; else all stay, to be listed. */
static int prefer_exact(struct candidate *c, int n, const char *written)
{
	char *want = vtext_exact_key(written);
	int kept = 0;
	for (int i = 0; i < n; i++) {
		char *name = vtext_exact_key(c[i].u.name),
		     *full = vtext_exact_key(c[i].u.full_name);
		if (!strcmp(want, name) || !strcmp(want, full)) {
			struct candidate t = c[kept];
			c[kept++] = c[i];
			c[i] = t;
		}
		free(name);
		free(full);
	}
	free(want);
	return kept ? kept : n;
}

static int resolve_in(struct store *st, const struct unit_index *ix, char **parts, int nparts,
		      const char *era, struct candidate *c, struct err *e)
{
	struct parsed p;
	parse_query(parts[0], 1, &p);
	if (!p.key && !p.code) {
		parsed_free(&p);
		return 0;
	}
	int n = candidates(st, ix, &p, era, c, e);
	if (n == 0 && p.type) {
		parsed_free(&p);
		parse_query(parts[0], 0, &p);
		n = candidates(st, ix, &p, era, c, e);
	}
	parsed_free(&p);
	for (int i = 1; n > 0 && i < nparts; i++)
		n = narrow(c, n, parts[i]);
	return n > 1 ? prefer_exact(c, n, parts[0]) : n;
}

int unit_resolve(struct store *st, const char *text, const char *era_hint, struct unit *out,
		 struct err *e)
{
	return unit_resolve_in(st, NULL, text, era_hint, out, e);
}

int unit_resolve_in(struct store *st, const struct unit_index *ix, const char *text,
		    const char *era_hint, struct unit *out, struct err *e)
{
	const char *era = nonempty(era_hint);
	if (era && check_era(era, e) < 0)
		return ERR_INVALID;
	char *t = vtext_normalize(text, "unit", e);
	if (!t)
		return ERR_INVALID;
	if (strlen(t) > 300) {
		free(t);
		return err_set(e, ERR_TOOBIG, "unit", "Tên đơn vị quá dài / unit name too long");
	}
	char *copy_text = xstrdup(t), *parts[4];
	int nparts = split_parts(t, parts);
	struct candidate *c = xcalloc(MAX_CANDIDATES, sizeof *c);
	int n = resolve_in(st, ix, parts, nparts, era, c, e);
	int rc = n < 0 ? n : n == 1 ? 0 : resolve_fail(copy_text, c, n, e);
	if (rc == 0)
		*out = c[0].u;
	free(c);
	free(copy_text);
	free(t);
	return rc;
}

/* ---- one unit in full, for the API ---- */

static int versions_json(struct store *st, const struct unit *u, json_t *o, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT u.type_name, u.full_name, u.valid_from, u.valid_to"
			      " FROM units u WHERE u.era = ? AND u.level = ? AND u.code = ?"
			      " ORDER BY u.valid_from",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ttt", u->era, u->level, u->code);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		json_t *v = json_pack("{s:s,s:s,s:s}", "type_name", stmt_text(s, 0), "full_name",
				      stmt_text(s, 1), "valid_from", stmt_text(s, 2));
		json_object_set_new(v, "valid_to", str_or_null(stmt_text(s, 3)));
		json_array_append_new(arr, v);
	}
	stmt_done(s);
	json_object_set_new(o, "versions", arr);
	return rc < 0 ? rc : 0;
}

static int aliases_json(struct store *st, const struct unit *u, json_t *o, struct err *e)
{
	struct stmt *s =
		store_prepare(st,
			      "SELECT DISTINCT a.kind, a.name, a.source FROM unit_aliases a"
			      " JOIN units v ON v.id = a.unit_id"
			      " WHERE v.era = ? AND v.level = ? AND v.code = ?"
			      " ORDER BY a.kind, a.name",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ttt", u->era, u->level, u->code);
	json_t *arr = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(arr,
				      json_pack("{s:s,s:s,s:s}", "kind", stmt_text(s, 0), "name",
						stmt_text(s, 1), "source", stmt_text(s, 2)));
	stmt_done(s);
	json_object_set_new(o, "aliases", arr);
	return rc < 0 ? rc : 0;
}

int unit_detail(struct store *st, const char *era, const char *level, const char *code,
		json_t **out, struct err *e)
{
	struct unit u;
	int rc = unit_get_by_code(st, era, level, code, &u, e);
	if (rc < 0)
		return rc;
	struct unit_query q = {u.code, u.era, u.level, NULL, 50, 0};
	json_t *items;
	rc = unit_search(st, &q, &items, NULL, e);
	if (rc < 0)
		return rc;
	json_t *o = NULL;
	for (size_t i = 0; i < json_array_size(items); i++)
		if (json_integer_value(json_object_get(json_array_get(items, i), "id")) == u.id)
			o = json_incref(json_array_get(items, i));
	json_decref(items);
	if (!o)
		return err_set(e, ERR_NOTFOUND, "code", "no unit %s", code);
	rc = versions_json(st, &u, o, e);
	if (rc == 0)
		rc = aliases_json(st, &u, o, e);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* ---- the reconciliation report ---- */

/* Runs sql (no parameters) and calls row() for each row. */
static int each_row(struct store *st, const char *sql, void (*row)(struct stmt *, struct buf *),
		    struct buf *out, struct err *e)
{
	struct stmt *s = store_prepare(st, sql, e);
	if (!s)
		return ERR_STORE;
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		row(s, out);
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

static void count_row(struct stmt *s, struct buf *out)
{
	buf_printf(out, "| %s | %s | %lld |\n", stmt_text(s, 0), stmt_text(s, 1),
		   (long long)stmt_int(s, 2));
}

static void spread_row(struct stmt *s, struct buf *out)
{
	buf_printf(out, "| %lld | %lld |\n", (long long)stmt_int(s, 0), (long long)stmt_int(s, 1));
}

static void note_row(struct stmt *s, struct buf *out)
{
	buf_printf(out, "- %s\n", stmt_text(s, 0));
}

static void alias_row(struct stmt *s, struct buf *out)
{
	buf_printf(out, "| %s | %s | %s | %s |\n", stmt_text(s, 0), stmt_text(s, 1),
		   stmt_text(s, 2), stmt_text(s, 3));
}

static int int_of(struct store *st, const char *sql, int64_t *out, struct err *e)
{
	*out = 0;
	return store_int(st, e, out, sql, "");
}

static const char split_sql[] =
	"SELECT o.code, o.full_name, d.full_name, p.full_name, x.n, c.code, c.full_name, s.kind"
	" FROM (SELECT old_unit_id, COUNT(*) AS n FROM unit_succession GROUP BY old_unit_id"
	"  HAVING COUNT(*) > 1) x"
	" JOIN units o ON o.id = x.old_unit_id AND o.level = 'commune'"
	" JOIN unit_succession s ON s.old_unit_id = o.id"
	" JOIN units n ON n.id = s.new_unit_id"
	" JOIN units c ON c.era = n.era AND c.level = n.level AND c.code = n.code AND c.is_current "
	"= 1"
	" LEFT JOIN units d ON d.era = 'old' AND d.level = 'district' AND d.code = o.district_code"
	" LEFT JOIN units p ON p.era = 'old' AND p.level = 'province' AND p.code = o.province_code"
	" ORDER BY o.code, c.code";

/* One table row per split commune; its successors come one query row each,
 * ordered by the old code. */
static int report_split_rows(struct store *st, struct buf *out, struct err *e)
{
	buf_puts(out, "\n| old code | old commune | district | old province | successors |"
		      " new communes (kind) |\n|---|---|---|---|---|---|\n");
	struct stmt *s = store_prepare(st, split_sql, e);
	if (!s)
		return ERR_STORE;
	char prev[8] = "";
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		const char *code = stmt_text(s, 0);
		if (!strcmp(prev, code)) {
			buf_printf(out, "; %s %s (%s)", stmt_text(s, 5), stmt_text(s, 6),
				   stmt_text(s, 7));
			continue;
		}
		buf_printf(out, "%s| %s | %s | %s | %s | %lld | %s %s (%s)", prev[0] ? " |\n" : "",
			   code, stmt_text(s, 1), stmt_text(s, 2) ? stmt_text(s, 2) : "",
			   stmt_text(s, 3) ? stmt_text(s, 3) : "", (long long)stmt_int(s, 4),
			   stmt_text(s, 5), stmt_text(s, 6), stmt_text(s, 7));
		str_copy(prev, sizeof prev, code);
	}
	stmt_done(s);
	if (prev[0])
		buf_puts(out, " |\n");
	return rc < 0 ? rc : 0;
}

static int report_split(struct store *st, struct buf *out, struct err *e)
{
	int64_t split = 0, elsewhere = 0;
	int rc = int_of(st,
			"SELECT COUNT(*) FROM (SELECT s.old_unit_id FROM unit_succession s"
			" JOIN units o ON o.id = s.old_unit_id WHERE o.level = 'commune'"
			" GROUP BY s.old_unit_id HAVING COUNT(*) > 1) x",
			&split, e);
	if (rc >= 0)
		rc = int_of(st,
			    "SELECT COUNT(*) FROM units WHERE era = 'old' AND level = 'commune'"
			    " AND new_province_code IS NULL",
			    &elsewhere, e);
	if (rc < 0)
		return rc;
	buf_printf(out,
		   "\n## Xã cũ bị chia cho nhiều xã mới / Old communes split between several new "
		   "ones\n\n"
		   "**%lld** old communes went to more than one new commune; **%lld** old communes "
		   "have "
		   "successors in more than one province. Successors per split commune:\n\n"
		   "| successors | old communes |\n|---|---|\n",
		   (long long)split, (long long)elsewhere);
	rc = each_row(st,
		      "SELECT n, COUNT(*) FROM (SELECT s.old_unit_id, COUNT(*) AS n"
		      " FROM unit_succession s JOIN units o ON o.id = s.old_unit_id"
		      " WHERE o.level = 'commune' GROUP BY s.old_unit_id HAVING COUNT(*) > 1) x"
		      " GROUP BY n ORDER BY n",
		      spread_row, out, e);
	if (rc < 0)
		return rc;
	return report_split_rows(st, out, e);
}

static int report_notes(struct store *st, struct buf *out, const char *category, const char *title,
			struct err *e)
{
	int64_t n = 0;
	int rc = store_int(st, e, &n, "SELECT COUNT(*) FROM unit_notes WHERE category = ?", "t",
			   category);
	if (rc < 0)
		return rc;
	buf_printf(out, "\n## %s (%lld)\n\n", title, (long long)n);
	struct stmt *s = store_prepare(
		st, "SELECT message FROM unit_notes WHERE category = ? ORDER BY id", e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", category);
	while ((rc = stmt_step(s, e)) == 1)
		note_row(s, out);
	stmt_done(s);
	if (rc == 0 && n == 0)
		buf_puts(out, "(none)\n");
	return rc < 0 ? rc : 0;
}

static int report_counts(struct store *st, struct buf *out, struct err *e)
{
	buf_puts(out, "\n## Số đơn vị / Units held\n\n| era | level | units |\n|---|---|---|\n");
	int rc = each_row(st,
			  "SELECT era, level, COUNT(DISTINCT code) FROM units GROUP BY era, level"
			  " ORDER BY era DESC, CASE level WHEN 'province' THEN 0"
			  " WHEN 'district' THEN 1 ELSE 2 END",
			  count_row, out, e);
	if (rc < 0)
		return rc;
	buf_puts(out, "\n## Kế thừa theo loại / Successions by kind\n\n"
		      "One row per (old unit, new unit) pair. Kinds come from the NSO table's "
		      "\"Ghi chú\": "
		      "whole = Nhập toàn bộ (also \"Sắp xếp toàn bộ huyện/xã … thành đặc khu …\"), "
		      "part = Nhập một phần (also \"Phần còn lại…\", \"Đổi tên … từ một phần …\"), "
		      "unchanged = Giữ nguyên, part_area = Nhập một phần diện tích, "
		      "part_area_all_population = Nhập một phần diện tích, toàn bộ dân số, "
		      "part_population = Nhập một phần dân số, renamed = Đổi tên, "
		      "type_changed = Đổi loại hình. Provinces come from the province merger list "
		      "(unchanged = a province merged with no other).\n\n"
		      "| old level | kind | pairs |\n|---|---|---|\n");
	return each_row(st,
			"SELECT o.level, s.kind, COUNT(*) FROM unit_succession s"
			" JOIN units o ON o.id = s.old_unit_id GROUP BY o.level, s.kind"
			" ORDER BY CASE o.level WHEN 'province' THEN 0 WHEN 'district' THEN 1"
			" ELSE 2 END, COUNT(*) DESC, s.kind",
			count_row, out, e);
}

static int report_spellings(struct store *st, struct buf *out, struct err *e)
{
	int64_t tone = 0, nso = 0;
	int rc = int_of(st,
			"SELECT COUNT(*) FROM unit_aliases"
			" WHERE source = '2026-04-30 list (tone placement)'",
			&tone, e);
	if (rc >= 0)
		rc = int_of(st,
			    "SELECT COUNT(*) FROM unit_aliases"
			    " WHERE source = 'NSO conversion table' AND kind = 'name'",
			    &nso, e);
	if (rc < 0)
		return rc;
	buf_printf(out,
		   "\n%lld names of the 2026-04-30 list differ from the 2025-07-01 list only in "
		   "where the tone mark sits (Hoà / Hòa); they are held as aliases of the same "
		   "unit.\n",
		   (long long)tone);
	buf_printf(
		out,
		"\n## Cách viết khác, chấp nhận theo mã / Spellings accepted by code (%lld)\n\n"
		"The NSO table spells these units differently from the official list (beyond "
		"diacritics and tone placement, which searches ignore); the code and the district "
		"agree, so the row is used and its spelling kept as an alias.\n\n"
		"| era | code | official name | NSO spelling |\n|---|---|---|---|\n",
		(long long)nso);
	return each_row(st,
			"SELECT u.era, u.code, u.full_name, a.name FROM unit_aliases a"
			" JOIN units u ON u.id = a.unit_id"
			" WHERE a.source = 'NSO conversion table' AND a.kind = 'name'"
			" ORDER BY u.era DESC, u.code",
			alias_row, out, e);
}

int unit_reconcile_report(struct store *st, struct buf *out, struct err *e)
{
	buf_puts(
		out,
		"# Đối chiếu đơn vị hành chính / Reconciliation of the administrative units\n\n"
		"Generated by `unit_reconcile_report()` (src/model/unit.c) from the data of this "
		"folder as `unit_load_all()` loads it; do not edit by hand (see README.md for how "
		"to regenerate it). Every code of the NSO conversion table was checked against the "
		"official lists; known errors were corrected only where the name agrees; the "
		"merger texts were compared with the table. Nothing below was guessed.\n");
	int rc = report_counts(st, out, e);
	if (rc == 0)
		rc = report_split(st, out, e);
	if (rc == 0)
		rc = report_notes(st, out, "correction", "Sửa lỗi đã áp dụng / Corrections applied",
				  e);
	if (rc == 0)
		rc = report_notes(st, out, "disagreement",
				  "Các nguồn không khớp / Disagreements between the sources", e);
	if (rc == 0)
		rc = report_notes(st, out, "unresolved", "Chưa đối chiếu được / Unresolved", e);
	if (rc == 0)
		rc = report_notes(
			st, out, "change_2026",
			"Thay đổi theo danh mục 30/04/2026 / Changes in the 2026-04-30 list", e);
	if (rc == 0)
		rc = report_spellings(st, out, e);
	return rc;
}

int unit_provinces(struct store *st, const char *era, struct unit_province **out, size_t *n,
		   struct err *e)
{
	struct stmt *s = store_prepare(
		st,
		"SELECT code, full_name, CASE WHEN era = 'new' THEN code ELSE new_province_code END"
		", name FROM units WHERE era = ? AND level = 'province' AND is_current = 1"
		" ORDER BY code",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "t", era);
	size_t cap = 64;
	*out = xcalloc(cap, sizeof **out);
	*n = 0;
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		if (*n == cap) {
			cap *= 2;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct unit_province *p = &(*out)[(*n)++];
		str_copy(p->code, sizeof p->code, stmt_text(s, 0));
		str_copy(p->name, sizeof p->name, stmt_text(s, 1));
		str_copy(p->today, sizeof p->today, stmt_text(s, 2) ? stmt_text(s, 2) : "");
		str_copy(p->short_name, sizeof p->short_name,
			 stmt_text(s, 3) ? stmt_text(s, 3) : "");
	}
	stmt_done(s);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc < 0 ? rc : 0;
}
