/* stats.c - the aggregation engine: computed values from records, reported
 * figures where no records exist, honest qualifiers, any breakdown. */
#include "stats/stats.h"

#include "core/mem.h"
#include "core/vtext.h"
#include "model/entity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { Q_EXACT, Q_AT_LEAST, Q_ABOUT, Q_AT_MOST, Q_RANGE };
static const char *const qual_codes[] = {"exact", "at_least", "about", "at_most", "range"};

static int qual_parse(const char *s)
{
	for (int i = 0; i < 5; i++)
		if (s && !strcmp(s, qual_codes[i]))
			return i;
	return Q_EXACT;
}

/* The qualifier of a sum of two qualified values. */
static int qual_add(int a, int b)
{
	if (a == b)
		return a;
	if (a == Q_EXACT)
		return b;
	if (b == Q_EXACT)
		return a;
	return Q_ABOUT; /* at least + at most, or a range with a bound: only "about" is honest */
}

/* One place (and breakdown key): what the records say and what was reported. */
struct cell {
	char pkey[16], dkey[48];
	int64_t num, den, nrec; /* computed */
	int has_comp;
	int64_t rv, rhi; /* reported, in the indicator's unit and scale */
	int rqual, has_rep;
	char measure[64]; /* of the reported figures, "" when they differ */
	json_t *figs;
};

struct cells {
	struct cell *v;
	size_t n, cap;
};

static struct cell *cell_get(struct cells *c, const char *pkey, const char *dkey)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].pkey, pkey) && !strcmp(c->v[i].dkey, dkey))
			return &c->v[i];
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	struct cell *x = &c->v[c->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->pkey, sizeof x->pkey, "%s", pkey ? pkey : "");
	snprintf(x->dkey, sizeof x->dkey, "%s", dkey ? dkey : "");
	x->figs = json_array();
	return x;
}

static void cells_free(struct cells *c)
{
	for (size_t i = 0; i < c->n; i++)
		json_decref(c->v[i].figs);
	free(c->v);
}

/* ---- SQL pieces, all built from the catalogue's constants ------------ */

static const char *pkey_expr(int old_units)
{
	return old_units ? "CASE WHEN t.old_province_code IS NOT NULL THEN 'old:' ||"
	                   " t.old_province_code ELSE 'new:' || t.province_code END"
	                 : "'new:' || t.province_code";
}

static void year_expr(const struct entity *ent, char *out, size_t n)
{
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	if (!yf)
		snprintf(out, n, "NULL");
	else if (yf->type == F_DATE)
		snprintf(out, n, "CAST(substr(t.%s, 1, 4) AS INTEGER)", yf->name);
	else
		snprintf(out, n, "t.%s", yf->name);
}

static int by_field_ok(const struct entity *ent, const char *by)
{
	const struct field *f = ent ? entity_field(ent, by) : NULL;
	return f && (f->flags & FF_FILTER) && (f->type == F_ENUM || f->type == F_BOOL);
}

/* The conditions of a query, only those in use (so indexes apply), and
 * their values in the same order. Year bounds compare a year column, or the
 * text of an ISO date column against "YYYY-01-01"/"YYYY-12-31". */
struct conds {
	const char *prov, *old;
	const char *from_col, *to_col; /* NULL: no period condition */
	int date;                      /* the columns hold ISO dates */
	int from, to;
	char from_text[11], to_text[11];
};

static void conds_init(struct conds *c, const char *prov, const struct stat_query *q,
                       const char *from_col, const char *to_col, int date)
{
	memset(c, 0, sizeof *c);
	c->prov = prov;
	c->old = q->old_province;
	c->from_col = from_col;
	c->to_col = to_col;
	c->date = date;
	c->from = q->from;
	c->to = q->to;
	snprintf(c->from_text, sizeof c->from_text, "%04d-01-01", q->from);
	snprintf(c->to_text, sizeof c->to_text, "%04d-12-31", q->to);
}

static void conds_sql(struct buf *b, const struct conds *c)
{
	if (c->prov)
		buf_puts(b, " AND t.province_code = ?");
	if (c->old)
		buf_puts(b, " AND t.old_province_code = ?");
	if (c->from_col && c->from)
		buf_printf(b, " AND t.%s >= ?", c->from_col);
	if (c->to_col && c->to)
		buf_printf(b, " AND t.%s <= ?", c->to_col);
}

static void conds_bind(struct stmt *s, int *pos, const struct conds *c)
{
	if (c->prov)
		stmt_bind_text(s, (*pos)++, c->prov);
	if (c->old)
		stmt_bind_text(s, (*pos)++, c->old);
	if (c->from_col && c->from) {
		if (c->date)
			stmt_bind_text(s, (*pos)++, c->from_text);
		else
			stmt_bind_int(s, (*pos)++, c->from);
	}
	if (c->to_col && c->to) {
		if (c->date)
			stmt_bind_text(s, (*pos)++, c->to_text);
		else
			stmt_bind_int(s, (*pos)++, c->to);
	}
}

static char *computed_sql(const struct indicator *ind, const struct entity *ent,
                          const struct stat_query *q, const struct conds *c)
{
	char yexpr[96], dexpr[128];
	year_expr(ent, yexpr, sizeof yexpr);
	if (q->by && !strcmp(q->by, "year"))
		snprintf(dexpr, sizeof dexpr, "CAST(%s AS TEXT)", yexpr);
	else if (q->by && strcmp(q->by, "province"))
		snprintf(dexpr, sizeof dexpr, "CAST(t.%s AS TEXT)", entity_field(ent, q->by)->name);
	else
		snprintf(dexpr, sizeof dexpr, "''");
	struct buf b = BUF_INIT;
	buf_printf(&b, "SELECT %s, COALESCE(%s, ''), %s, %s, COUNT(*) FROM %s t WHERE (%s)"
	               " AND t.province_code IS NOT NULL",
	           pkey_expr(q->old_units), dexpr, ind->expr, ind->denom ? ind->denom : "0",
	           ent->table, ind->where ? ind->where : "1 = 1");
	/* Illustrative records are examples, not data: they never move a statistic
	 * unless asked for. */
	if (!q->illustrative && entity_field(ent, "illustrative"))
		buf_puts(&b, " AND COALESCE(t.illustrative, 0) = 0");
	conds_sql(&b, c);
	buf_puts(&b, " GROUP BY 1, 2");
	return buf_detach(&b);
}

static int load_computed(struct store *st, const struct indicator *ind, const struct entity *ent,
                         const struct stat_query *q, const char *prov, struct cells *cells,
                         struct err *e)
{
	const struct field *yf = ent->year_field ? entity_field(ent, ent->year_field) : NULL;
	int dated = ind->agg != AGG_STOCK && yf;
	struct conds c;
	conds_init(&c, prov, q, dated ? yf->name : NULL, dated ? yf->name : NULL,
	           yf && yf->type == F_DATE);
	char *sql = computed_sql(ind, ent, q, &c);
	struct stmt *s = store_prepare(st, sql, e);
	free(sql);
	if (!s)
		return ERR_STORE;
	int pos = 1, rc;
	conds_bind(s, &pos, &c);
	while ((rc = stmt_step(s, e)) == 1) {
		/* A sum over a field nobody filled in is unknown, not zero. */
		if (stmt_isnull(s, 2))
			continue;
		struct cell *x = cell_get(cells, stmt_text(s, 0), stmt_text(s, 1));
		x->num += stmt_int(s, 2);
		x->den += stmt_int(s, 3);
		x->nrec += stmt_int(s, 4);
		x->has_comp = 1;
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* ---- reported figures --------------------------------------------------- */

static int64_t pow10i(int n)
{
	int64_t p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

/* How many of the indicator's unit one unit of measure m is. */
int64_t stats_measure_factor(const struct indicator *ind, const char *m)
{
	if (!m)
		return 1;
	if (!strncmp(ind->measure, "đồng", strlen("đồng"))) {
		if (strstr(m, "nghìn tỷ"))
			return 1000000000000LL;
		if (strstr(m, "tỷ"))
			return 1000000000;
		if (strstr(m, "triệu"))
			return 1000000;
		if (strstr(m, "nghìn"))
			return 1000;
	}
	if (!strcmp(ind->measure, "USD") && strstr(m, "triệu"))
		return 1000000;
	return 1;
}

/* v (with scale from) in the indicator's unit and scale; rounds half up. */
static int64_t rescale(int64_t v, int from, int64_t factor, int to)
{
	__int128 x = (__int128)v * factor * pow10i(to);
	int64_t d = pow10i(from);
	return (int64_t)((x + (x >= 0 ? d / 2 : -d / 2)) / d);
}

/* Reported figures of an indicator: the place key, period, value and source. */
static char *reported_sql(const struct stat_query *q, const struct conds *c)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "SELECT %s, t.period_from, t.period_to, t.value, t.value_hi, t.value_scale,"
	               " t.value_qual, t.measure, t.id, t.source_title, t.source_publisher,"
	               " t.source_date, t.source_url FROM figures t"
	               " WHERE t.indicator = ? AND t.province_code IS NOT NULL",
	           pkey_expr(q->old_units));
	conds_sql(&b, c);
	buf_puts(&b, " ORDER BY 1, t.period_from, t.id");
	return buf_detach(&b);
}

static void add_reported(const struct indicator *ind, const struct stat_query *q, struct stmt *s,
                         struct cells *c, int *last_to, char *last_pkey)
{
	const char *pkey = stmt_text(s, 0);
	int from = (int)stmt_int(s, 1), to = (int)stmt_int(s, 2);
	/* Within one place, figures of overlapping periods are not added twice. */
	if (!strcmp(last_pkey, pkey) && from <= *last_to)
		return;
	snprintf(last_pkey, 16, "%s", pkey);
	*last_to = to;
	char dkey[48] = "";
	if (q->by && !strcmp(q->by, "year")) {
		if (from == to)
			snprintf(dkey, sizeof dkey, "%d", from);
		else
			snprintf(dkey, sizeof dkey, "%d–%d", from, to);
	}
	int64_t f = stats_measure_factor(ind, stmt_text(s, 7));
	int scale = (int)stmt_int(s, 5);
	struct cell *x = cell_get(c, pkey, dkey);
	int qual = qual_parse(stmt_text(s, 6));
	x->rv += rescale(stmt_int(s, 3), scale, f, ind->scale);
	x->rhi += rescale(stmt_int(s, 4), scale, f, ind->scale);
	x->rqual = x->has_rep ? qual_add(x->rqual, qual) : qual;
	const char *m = stmt_text(s, 7) ? stmt_text(s, 7) : "";
	if (!x->has_rep)
		snprintf(x->measure, sizeof x->measure, "%s", m);
	else if (strcmp(x->measure, m))
		x->measure[0] = 0;
	x->has_rep = 1;
	char period[16];
	snprintf(period, sizeof period, from == to ? "%d" : "%d–%d", from, to);
	json_array_append_new(
		x->figs, json_pack("{s:I,s:s,s:s,s:s?,s:s?,s:s?}", "id", (json_int_t)stmt_int(s, 8),
	                           "period", period, "source_title", stmt_text(s, 9) ? stmt_text(s, 9) : "",
	                           "source_publisher", stmt_text(s, 10), "source_date",
	                           stmt_text(s, 11), "source_url", stmt_text(s, 12)));
}

static int load_reported(struct store *st, const struct indicator *ind, const struct stat_query *q,
                         const char *prov, struct cells *cells, struct err *e)
{
	struct conds c;
	conds_init(&c, prov, q, "period_from", "period_to", 0);
	char *sql = reported_sql(q, &c);
	struct stmt *s = store_prepare(st, sql, e);
	free(sql);
	if (!s)
		return ERR_STORE;
	int pos = 1;
	stmt_bind_text(s, pos++, ind->code);
	conds_bind(s, &pos, &c);
	int rc, last_to = 0;
	char last_pkey[16] = "";
	while ((rc = stmt_step(s, e)) == 1)
		add_reported(ind, q, s, cells, &last_to, last_pkey);
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

/* ---- combining ----------------------------------------------------------- */

struct acc {
	int64_t num, den, nrec, rv, rhi;
	int rqual, comp, rep, rep_places;
	char measure[64];
	int measure_mixed;
	json_t *figs;
};

/* The place keys that have records: their reported figures give way. */
static int place_has_records(const struct cells *c, const char *pkey)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].has_comp && !strcmp(c->v[i].pkey, pkey))
			return 1;
	return 0;
}

static void acc_add(struct acc *a, const struct cells *all, const struct cell *x)
{
	if (x->has_comp) {
		a->num += x->num;
		a->den += x->den;
		a->nrec += x->nrec;
		a->comp = 1;
	}
	if (x->has_rep && !place_has_records(all, x->pkey)) {
		a->rv += x->rv;
		a->rhi += x->rhi;
		a->rqual = a->rep ? qual_add(a->rqual, x->rqual) : x->rqual;
		if (!a->rep)
			snprintf(a->measure, sizeof a->measure, "%s", x->measure);
		else if (strcmp(a->measure, x->measure))
			a->measure_mixed = 1;
		a->rep = 1;
		a->rep_places++;
		size_t i;
		json_t *f;
		json_array_foreach(x->figs, i, f) json_array_append(a->figs, f);
	}
}

static int64_t ratio(int64_t num, int64_t den)
{
	return den ? (num + den / 2) / den : 0;
}

static json_t *acc_json(const struct indicator *ind, struct acc *a, const char *key,
                        const char *label, const char *link)
{
	json_t *o = json_pack("{s:s,s:s}", "key", key, "label", label);
	int64_t v = 0, hi = 0;
	int qual = Q_EXACT;
	const char *source = "none";
	int ratio_ind = ind->agg == AGG_RATIO;
	if (a->comp && a->rep && ratio_ind) {
		source = "mixed"; /* a ratio of records and a reported ratio cannot be combined */
	} else if (a->comp || a->rep) {
		int64_t cv = ratio_ind ? ratio(a->num, a->den) : a->num;
		if (ratio_ind && a->rep && a->rep_places > 1)
			source = "not_additive";
		else {
			v = (a->comp ? cv : 0) + (a->rep ? a->rv : 0);
			hi = (a->comp ? cv : 0) + (a->rep ? a->rhi : 0);
			qual = a->rep ? a->rqual : Q_EXACT;
			source = a->comp && a->rep ? "mixed" : a->comp ? "records" : "reported";
		}
	}
	int has_value = strcmp(source, "none") && strcmp(source, "not_additive") &&
	                !(ratio_ind && a->comp && a->rep);
	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "value", has_value ? json_integer(v) : json_null());
	json_object_set_new(o, "value_hi", has_value ? json_integer(hi) : json_null());
	json_object_set_new(o, "scale", json_integer(ind->scale));
	json_object_set_new(o, "qualifier", json_string(qual_codes[qual]));
	struct buf t = BUF_INIT;
	/* Reported counts read in the words of their source ("1.250 doanh nghiệp");
	 * amounts and percentages are already in the indicator's unit. */
	struct indicator own = *ind;
	if (!strcmp(source, "reported") && !a->measure_mixed && a->measure[0] &&
	    strncmp(ind->measure, "đồng", strlen("đồng")) && strcmp(ind->measure, "USD") &&
	    ind->measure[0] != '%')
		own.measure = a->measure;
	if (has_value)
		stats_format(&t, &own, v, hi, ind->scale, qual_codes[qual]);
	json_object_set_new(o, "text", json_string(buf_cstr(&t)));
	buf_free(&t);
	json_object_set_new(o, "records_count", json_integer(a->nrec));
	json_object_set_new(o, "records", a->comp && link ? json_string(link) : json_null());
	json_object_set_new(o, "figures", json_incref(a->figs));
	return o;
}

/* ---- labels and links -------------------------------------------------- */

static void place_label(struct store *st, const char *pkey, char *out, size_t n)
{
	const char *era = !strncmp(pkey, "old:", 4) ? "old" : "new";
	const char *code = strchr(pkey, ':') ? strchr(pkey, ':') + 1 : pkey;
	snprintf(out, n, "%s", code);
	struct stmt *s = store_prepare(st, "SELECT full_name FROM units WHERE era = ? AND"
	                                   " level = 'province' AND code = ? ORDER BY is_current DESC",
	                               NULL);
	if (!s)
		return;
	stmt_bind(s, "tt", era, code);
	if (stmt_step(s, NULL) == 1)
		snprintf(out, n, "%s%s", stmt_text(s, 0), strcmp(era, "old") ? "" : " (cũ)");
	stmt_done(s);
}

static char *records_link(const struct indicator *ind, const struct entity *ent,
                          const struct stat_query *q, const char *pkey, const char *dim,
                          const char *dval)
{
	if (!ent)
		return NULL;
	struct buf b = BUF_INIT;
	buf_printf(&b, "/%s?%s", ent->collection, ind->filter ? ind->filter : "");
	if (pkey && !strncmp(pkey, "new:", 4))
		buf_printf(&b, "&province=%t", pkey + 4);
	else if (pkey && !strncmp(pkey, "old:", 4))
		buf_printf(&b, "&old_province=%t", pkey + 4);
	else if (q->province)
		buf_printf(&b, "&province=%t", q->province);
	if (q->old_province && !pkey)
		buf_printf(&b, "&old_province=%t", q->old_province);
	if (ind->agg != AGG_STOCK && ent->year_field) {
		if (dim && !strcmp(dim, "year") && dval && *dval)
			buf_printf(&b, "&year=%t", dval);
		else {
			if (q->from)
				buf_printf(&b, "&year_from=%d", q->from);
			if (q->to)
				buf_printf(&b, "&year_to=%d", q->to);
		}
	}
	if (dim && strcmp(dim, "year") && strcmp(dim, "province") && dval && *dval)
		buf_printf(&b, "&%t=%t", dim, dval);
	return buf_detach(&b);
}

/* ---- the query ---------------------------------------------------------- */

static int check_query(const struct indicator *ind, const struct entity *ent,
                       const struct stat_query *q, struct err *e)
{
	if (!ind)
		return err_set(e, ERR_INVALID, "indicator", "Không có chỉ tiêu %s / unknown indicator",
		               q->indicator ? q->indicator : "");
	if (q->from && q->to && q->from > q->to)
		return err_set(e, ERR_INVALID, "to", "Năm kết thúc trước năm bắt đầu / to is before from");
	if (q->by && strcmp(q->by, "province") && strcmp(q->by, "year") && !by_field_ok(ent, q->by))
		return err_set(e, ERR_INVALID, "by",
		               "Không chia được chỉ tiêu này theo %s / cannot break this indicator down "
		               "by %s",
		               q->by, q->by);
	return 0;
}

static const char rule_text[] =
	"Với mỗi tỉnh và giai đoạn: có số liệu chi tiết thì tính từ số liệu chi tiết; không có thì "
	"dùng số liệu báo cáo có giai đoạn nằm trong giai đoạn hỏi, giữ nguyên từ định lượng "
	"(trên, khoảng) và nguồn. Bản ghi minh họa không được tính. / Per province and period: "
	"computed from detailed records when there are any; otherwise the reported figures whose "
	"period lies within the one asked, with their qualifier and source. Illustrative records are "
	"not counted.";

static json_t *build_rows(struct store *st, const struct indicator *ind, const struct entity *ent,
                          const struct stat_query *q, struct cells *c, json_t **total)
{
	json_t *rows = json_array();
	struct acc all = {.figs = json_array()};
	int by_place = q->by && !strcmp(q->by, "province");
	/* Distinct row keys in first-seen order. */
	for (size_t i = 0; i < c->n; i++) {
		const char *key = by_place ? c->v[i].pkey : c->v[i].dkey;
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(key, by_place ? c->v[j].pkey : c->v[j].dkey);
		acc_add(&all, c, &c->v[i]);
		if (seen || !q->by)
			continue;
		struct acc a = {.figs = json_array()};
		for (size_t j = i; j < c->n; j++)
			if (!strcmp(key, by_place ? c->v[j].pkey : c->v[j].dkey))
				acc_add(&a, c, &c->v[j]);
		char label[200];
		if (by_place)
			place_label(st, key, label, sizeof label);
		else if (q->by && strcmp(q->by, "year") && ent && *key)
			field_enum_label(entity_field(ent, q->by), key, "vi", label, sizeof label);
		else
			snprintf(label, sizeof label, "%s", *key ? key : "—");
		char *link = records_link(ind, ent, q, by_place ? key : NULL, q->by, key);
		json_array_append_new(rows, acc_json(ind, &a, key, label, link));
		free(link);
		json_decref(a.figs);
	}
	char *link = records_link(ind, ent, q, NULL, NULL, NULL);
	*total = acc_json(ind, &all, "total", "Tổng", link);
	free(link);
	json_decref(all.figs);
	return rows;
}

int stats_compute(struct store *st, const struct actor *a, const struct stat_query *q,
                  json_t **out, struct err *e)
{
	const struct indicator *ind = indicator_find(q->indicator);
	const struct entity *ent = ind && ind->collection ? entity_find(ind->collection) : NULL;
	int rc = check_query(ind, ent, q, e);
	if (rc < 0)
		return rc;
	const char *prov = q->province;
	if (!actor_reads_all(a)) {
		if (a->role == ROLE_ESTABLISHMENT || (prov && strcmp(prov, a->province)))
			return err_set(e, ERR_FORBIDDEN, "province",
			               "Ngoài phạm vi của bạn / outside your scope");
		prov = a->province;
	}
	struct cells c = {0};
	if (ent)
		rc = load_computed(st, ind, ent, q, prov, &c, e);
	int by_field = q->by && strcmp(q->by, "province") && strcmp(q->by, "year");
	if (rc == 0 && !by_field)
		rc = load_reported(st, ind, q, prov, &c, e);
	if (rc < 0) {
		cells_free(&c);
		return rc;
	}
	json_t *total;
	json_t *rows = build_rows(st, ind, ent, q, &c, &total);
	cells_free(&c);
	static const char *const aggs[] = {"sum", "ratio", "stock"};
	*out = json_pack("{s:{s:s,s:s,s:s,s:s,s:s,s:s},s:{s:i,s:i,s:s?,s:s?,s:b,s:s?,s:b},s:s,s:o,s:o}",
	                 "indicator", "code", ind->code, "name", ind->vi, "name_en", ind->en, "measure",
	                 ind->measure, "section", ind->section, "agg", aggs[ind->agg], "query", "from",
	                 q->from, "to", q->to, "province", prov, "old_province", q->old_province, "old_units", q->old_units, "by", q->by,
	                 "illustrative", q->illustrative,
	                 "rule", rule_text, "total", total, "rows", rows);
	return 0;
}

/* "24,7 tỷ đồng"; a range in the unit of its upper end: "5–7 triệu đồng". */
static void money_text(struct buf *b, int64_t lo, int64_t hi, int range)
{
	if (!range) {
		vtext_fmt_money(b, lo);
		return;
	}
	int64_t unit = hi >= 1000000000 ? 1000000000 : hi >= 1000000 ? 1000000 : 1;
	const char *name = unit == 1000000000 ? " tỷ đồng" : unit == 1000000 ? " triệu đồng" : " đồng";
	vtext_fmt_decimal(b, lo * 100 / unit, 2, 2);
	buf_puts(b, "–");
	vtext_fmt_decimal(b, hi * 100 / unit, 2, 2);
	buf_puts(b, name);
}

void stats_format(struct buf *b, const struct indicator *ind, int64_t value, int64_t hi,
                  int scale, const char *qualifier)
{
	int q = qual_parse(qualifier);
	static const enum vqual map[] = {VQ_EXACT, VQ_AT_LEAST, VQ_ABOUT, VQ_AT_MOST, VQ_RANGE};
	if (q != Q_RANGE)
		buf_puts(b, vtext_fmt_qual(map[q]));
	if (!strncmp(ind->measure, "đồng", strlen("đồng")) && scale == 0) {
		money_text(b, value, hi, q == Q_RANGE);
		buf_puts(b, ind->measure + strlen("đồng")); /* "/người/tháng" */
		return;
	}
	if (!strcmp(ind->measure, "USD")) {
		vtext_fmt_usd(b, value * 100);
		if (q == Q_RANGE) {
			buf_puts(b, " – ");
			vtext_fmt_usd(b, hi * 100);
		}
		return;
	}
	vtext_fmt_decimal(b, value, scale, scale);
	if (q == Q_RANGE) {
		buf_puts(b, "–");
		vtext_fmt_decimal(b, hi, scale, scale);
	}
	if (ind->measure[0] == '%')
		buf_puts(b, ind->measure); /* "%", "%/năm" */
	else
		buf_printf(b, " %s", ind->measure);
}
