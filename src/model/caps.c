/* caps.c - support caps in force, the limits they set and the errors of
 * support over them (caps.h). */
#include "model/caps.h"

#include "core/vtext.h"

#include <stdio.h>
#include <string.h>

int caps_in_force(struct store *st, const char *ct, const char *source, int64_t year,
                  struct support_cap caps[CAPS_MAX])
{
	char day[16];
	snprintf(day, sizeof day, "%04lld-12-31", (long long)year);
	/* Few rows: filtered here, so one constant statement serves every call. */
	struct stmt *s = store_prepare(
		st,
		"SELECT content_type, source, max_share_permille, max_amount, per_what, legal_basis"
		" FROM support_caps WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)"
		" ORDER BY id",
		NULL);
	if (!s)
		return 0;
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
	}
	stmt_done(s);
	return n;
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
