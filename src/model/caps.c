/* caps.c - support caps in force, the limits they set and the errors of
 * support over them (caps.h). */
#include "model/caps.h"

#include "core/vtext.h"

#include <stdio.h>
#include <string.h>

/* The caps of province ("" for the national ones) in force on 31/12 of year. */
static int caps_query(struct store *st, const char *ct, const char *source, const char *province,
		      int64_t year, struct support_cap caps[CAPS_MAX])
{
	char day[16];
	snprintf(day, sizeof day, "%04lld-12-31", (long long)year);
	/* Few rows a province: filtered here, so two constant statements (the
	 * nation's, a province's; both on the index of 0020) serve every call. */
	struct stmt *s = store_prepare(
		st,
		*province ? "SELECT content_type, source, max_share_permille, max_amount, per_what,"
			    " legal_basis FROM support_caps WHERE province_code = ? AND valid_from "
			    "<= ?"
			    " AND (valid_to IS NULL OR valid_to >= ?) ORDER BY id"
			  : "SELECT content_type, source, max_share_permille, max_amount, per_what,"
			    " legal_basis FROM support_caps WHERE province_code IS NULL"
			    " AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY "
			    "id",
		NULL);
	if (!s)
		return 0;
	if (*province)
		stmt_bind(s, "ttt", province, day, day);
	else
		stmt_bind(s, "tt", day, day);
	int n = 0;
	while (n < CAPS_MAX && stmt_step(s, NULL) == 1) {
		if ((ct && strcmp(ct, stmt_text(s, 0))) || (source && strcmp(source, stmt_text(s, 1))))
			continue;
		struct support_cap *c = &caps[n++];
		snprintf(c->content_type, sizeof c->content_type, "%s", stmt_text(s, 0));
		snprintf(c->source, sizeof c->source, "%s", stmt_text(s, 1));
		c->share_permille = stmt_isnull(s, 2) ? -1 : stmt_int(s, 2);
		c->amount = stmt_isnull(s, 3) ? -1 : stmt_int(s, 3);
		snprintf(c->per, sizeof c->per, "%s", stmt_text(s, 4));
		snprintf(c->basis, sizeof c->basis, "%s", stmt_text(s, 5));
		snprintf(c->province, sizeof c->province, "%s", province);
	}
	stmt_done(s);
	return n;
}

int caps_in_force(struct store *st, const char *ct, const char *source, int64_t year,
		  struct support_cap caps[CAPS_MAX])
{
	return caps_query(st, ct, source, "", year, caps);
}

int caps_local(struct store *st, const char *ct, const char *province, int64_t year,
	       struct support_cap caps[CAPS_MAX])
{
	if (!province || !*province)
		return 0;
	return caps_query(st, ct, "local", province, year, caps);
}

/* permille of cost, rounded down, without overflow for any cost in đồng. */
static int64_t share_of(int64_t cost, int64_t permille)
{
	return cost / 1000 * permille + cost % 1000 * permille / 1000;
}

int64_t cap_limit(const struct support_cap *c, int64_t cost)
{
	int64_t lim = c->amount;
	if (c->share_permille >= 0 && cost >= 0) {
		int64_t share = share_of(cost, c->share_permille);
		if (lim < 0 || share < lim)
			lim = share;
	}
	return lim;
}

int64_t caps_limit(const struct support_cap *caps, int n, int64_t cost, int per_one, int *which)
{
	int64_t best = -1;
	for (int i = 0; i < n; i++) {
		struct support_cap c = caps[i];
		if (!per_one)
			c.amount = -1;
		int64_t lim = cap_limit(&c, cost);
		if (lim >= 0 && (best < 0 || lim < best)) {
			best = lim;
			if (which)
				*which = i;
		}
	}
	return best;
}

static const char *per_vi(const char *per)
{
	return !strcmp(per, "model") ? "mô hình" : !strcmp(per, "establishment") ? "cơ sở" : per;
}

static void money(char *out, size_t n, int64_t v)
{
	struct buf b = BUF_INIT;
	vtext_fmt_money(&b, v);
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
}

void caps_check(const struct support_cap *caps, int n, int64_t amount, int64_t cost, int per_one,
                const struct field *f, struct errs *l)
{
	char a[64], lim[64], base[64];
	money(a, sizeof a, amount);
	for (int i = 0; i < n; i++) {
		const struct support_cap *c = &caps[i];
		int64_t share = c->share_permille >= 0 && cost > 0 ? share_of(cost, c->share_permille) : -1;
		if (share >= 0 && amount > share) {
			money(base, sizeof base, cost);
			money(lim, sizeof lim, share);
			errs_set(l, ERR_INVALID, f->name,
			         "%s %s vượt mức %lld%% của %s (tối đa %s; %s) / %s of %s exceeds %lld%% of "
			         "%s (at most %s; %s)",
			         f->vi, a, (long long)(c->share_permille / 10), base, lim, c->basis, f->en, a,
			         (long long)(c->share_permille / 10), base, lim, c->basis);
		}
		if (per_one && c->amount >= 0 && amount > c->amount) {
			money(lim, sizeof lim, c->amount);
			errs_set(l, ERR_INVALID, f->name,
			         "%s %s vượt mức tối đa %s/%s (%s) / %s of %s exceeds the cap of %s per %s "
			         "(%s)",
			         f->vi, a, lim, per_vi(c->per), c->basis, f->en, a, lim, c->per, c->basis);
		}
	}
}

void cap_describe(struct buf *b, const struct support_cap *c)
{
	char lim[64] = "";
	if (c->amount >= 0)
		money(lim, sizeof lim, c->amount);
	buf_puts(b, "tối đa ");
	if (c->share_permille >= 0)
		buf_printf(b, "%lld%% chi phí%s", (long long)(c->share_permille / 10),
		           c->amount >= 0 ? " và " : "");
	if (c->amount >= 0)
		buf_printf(b, "%s/%s", lim, per_vi(c->per));
	buf_printf(b, " (%s) / at most ", c->basis);
	if (c->share_permille >= 0)
		buf_printf(b, "%lld%% of the cost%s", (long long)(c->share_permille / 10),
		           c->amount >= 0 ? " and " : "");
	if (c->amount >= 0)
		buf_printf(b, "%s per %s", lim, c->per);
	buf_printf(b, " (%s)", c->basis);
}

/* A level overlapping another of the same content, source, province and
 * unit would leave two limits in force for one day: the first one found. */
static void no_overlap(struct store *st, json_t *rec, const char *from, const char *to,
		       struct errs *l)
{
	const char *ct = json_string_value(json_object_get(rec, "content_type"));
	const char *src = json_string_value(json_object_get(rec, "source"));
	const char *per = json_string_value(json_object_get(rec, "per_what"));
	const char *prov = json_string_value(json_object_get(rec, "province"));
	json_t *id = json_object_get(rec, "id");
	if (!ct || !src || !per)
		return;
	struct stmt *s = store_prepare(
		st,
		"SELECT id, legal_basis, valid_from FROM support_caps WHERE content_type = ?"
		" AND source = ? AND per_what = ? AND COALESCE(province, '') = ? AND id <> ?"
		" AND valid_from <= ? AND COALESCE(valid_to, '9999-12-31') >= ? ORDER BY id",
		NULL);
	if (!s)
		return;
	stmt_bind(s, "ttttitt", ct, src, per, prov ? prov : "",
		  (int64_t)(json_is_integer(id) ? json_integer_value(id) : 0),
		  to ? to : "9999-12-31", from);
	if (stmt_step(s, NULL) == 1) {
		struct buf d = BUF_INIT;
		vtext_fmt_date(&d, stmt_text(s, 2));
		errs_set(
			l, ERR_CONFLICT, "valid_from",
			"Trùng thời gian hiệu lực với mức số %lld (%s, từ %s): ghi ngày hết hiệu "
			"lực "
			"của mức cũ trước / the validity overlaps cap %lld (%s, from %s): give the "
			"old one its end date first",
			(long long)stmt_int(s, 0), stmt_text(s, 1), buf_cstr(&d),
			(long long)stmt_int(s, 0), stmt_text(s, 1), buf_cstr(&d));
		buf_free(&d);
	}
	stmt_done(s);
}

int support_cap_validate(struct store *st, const struct entity *ent, json_t *rec, struct errs *l)
{
	(void)ent;
	const char *src = json_string_value(json_object_get(rec, "source"));
	int has_prov = json_is_string(json_object_get(rec, "province"));
	if (src && !strcmp(src, "local") && !has_prov)
		errs_set(l, ERR_INVALID, "province",
			 "Mức hỗ trợ từ kinh phí địa phương cần tỉnh/thành ban hành / a level of "
			 "local "
			 "funds needs the province that set it");
	if (src && !strcmp(src, "national") && has_prov)
		errs_set(l, ERR_INVALID, "province",
			 "Mức tối đa của kinh phí quốc gia áp dụng cả nước, không gắn với một tỉnh "
			 "/ a "
			 "cap of national funds applies nationwide, with no province");
	if (!json_is_integer(json_object_get(rec, "max_share_permille")) &&
	    !json_is_integer(json_object_get(rec, "max_amount")))
		errs_set(l, ERR_INVALID, "max_share_permille",
			 "Nhập tỷ lệ tối đa của chi phí, mức tối đa bằng tiền, hoặc cả hai / give "
			 "the "
			 "largest share of the cost, the largest amount, or both");
	const char *from = json_string_value(json_object_get(rec, "valid_from"));
	const char *to = json_string_value(json_object_get(rec, "valid_to"));
	if (from && to && strcmp(from, to) > 0)
		errs_set(l, ERR_INVALID, "valid_to",
			 "Ngày hết hiệu lực trước ngày có hiệu lực / the end of validity is before "
			 "its "
			 "start");
	else if (from)
		no_overlap(st, rec, from, to, l);
	return 0;
}
