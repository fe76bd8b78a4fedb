/* dashboard.c - headline figures, charts and pivots from the statistics. */
#include "stats/dashboard.h"

#include "core/buf.h"
#include "stats/stats.h"
#include "stats/stats_view.h"
#include "stats/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const headline[] = {
	"training.trainees",
	"training.craft_transfer.trainees",
	"training.employment_rate",
	"demo_models.count",
	"machinery.establishments",
	"awards.province",
	"fairs.count",
	"villages.count",
	"budget.national",
	"budget.local",
	"budget.leverage",
	"projects.count",
};

/* The link to the statistics page of one indicator in this scope. */
static char *stats_link(const struct dashboard_query *q, const char *code, const char *by)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "/stats?indicator=%t", code);
	if (q->link_query && *q->link_query)
		buf_printf(&b, "&%s",
			   q->link_query); /* built by the caller from validated values */
	else {
		if (q->from)
			buf_printf(&b, "&from=%d", q->from);
		if (q->to)
			buf_printf(&b, "&to=%d", q->to);
	}
	if (q->province)
		buf_printf(&b, "&province=%t", q->province);
	if (q->old_units)
		buf_puts(&b, "&units=old");
	if (q->illustrative)
		buf_puts(&b, "&illustrative=1");
	if (q->content_type)
		buf_printf(&b, "&content_type=%t", q->content_type);
	if (q->funding)
		buf_printf(&b, "&funding=%t", q->funding);
	if (by)
		buf_printf(&b, "&by=%t", by);
	return buf_detach(&b);
}

/* The statistic of code by `by`, or NULL: a filter that does not apply to
 * its records (said on the card), or a failure of the database, kept in e
 * (the dashboard then fails, never shows it as "not applicable"). Shared
 * with the statistics memo (stats_view_shared): read it, never change it. */
static json_t *compute(struct store *st, const struct actor *a, const struct dashboard_query *q,
		       const char *code, const char *by, struct err *e)
{
	struct stat_query sq = {.indicator = code,
				.from = q->from,
				.to = q->to,
				.province = q->province,
				.old_units = q->old_units,
				.by = by,
				.illustrative = q->illustrative,
				.period = q->period,
				.content_type = q->content_type,
				.funding = q->funding};
	json_t *res;
	struct err own;
	err_clear(&own);
	if (stats_view_shared(st, a, &sq, &res, &own) == 0)
		return res;
	if (own.code == ERR_STORE || own.code == ERR_IO)
		*e = own;
	return NULL;
}

static int english(const struct dashboard_query *q)
{
	return q->lang && !strcmp(q->lang, "en");
}

/* The period asked for, in words: the resolved period's label, else the
 * calendar years. */
static void query_period(const struct dashboard_query *q, struct buf *b)
{
	int en = english(q);
	if (q->period)
		buf_puts(b, en ? q->period->label_en : q->period->label);
	else if (q->from && q->from == q->to)
		buf_printf(b, en ? "year %d" : "năm %d", q->from);
	else if (q->from && q->to)
		buf_printf(b, en ? "years %d – %d" : "năm %d – %d", q->from, q->to);
	else if (q->from)
		buf_printf(b, en ? "from %d" : "từ năm %d", q->from);
	else if (q->to)
		buf_printf(b, en ? "up to %d" : "đến năm %d", q->to);
	else
		buf_puts(b, en ? "all years" : "mọi năm");
}

/* What a card's number covers: the period asked for when records count in
 * it, and the periods of the reported figures it holds ("2014–2020"), so a
 * reported total of other years never reads as this period's. */
static char *card_period(const struct dashboard_query *q, json_t *total, const char *source)
{
	struct buf b = BUF_INIT;
	json_t *figs = json_object_get(total, "figures");
	int reported = !strcmp(source, "reported"), mixed = !strcmp(source, "mixed");
	if (!reported) {
		/* The dates of the period are in the page's heading (filters.
		 * period_text): the card names it ("năm báo cáo 2026"). */
		query_period(q, &b);
		char *open = strstr(b.data, " (");
		if (open && strchr(open, '/') && b.data[b.len - 1] == ')') {
			b.len = (size_t)(open - b.data);
			b.data[b.len] = 0;
		}
	}
	if ((reported || mixed) && json_array_size(figs)) {
		json_t *seen = json_object();
		size_t i;
		json_t *f;
		if (!reported)
			buf_puts(&b, english(q) ? "; reported figures " : "; số liệu báo cáo ");
		json_array_foreach(figs, i, f)
		{
			const char *per = json_string_value(json_object_get(f, "period"));
			if (!per || json_object_get(seen, per))
				continue;
			buf_printf(&b, "%s%s", json_object_size(seen) ? ", " : "", per);
			json_object_set_new(seen, per, json_true());
		}
		json_decref(seen);
	}
	return buf_detach(&b);
}

static json_t *headline_item(struct store *st, const struct actor *a,
			     const struct dashboard_query *q, const char *code, struct err *e)
{
	json_t *res = compute(st, a, q, code, NULL, e);
	const struct indicator *ind = indicator_find(code);
	if (!res) { /* a filter that does not apply to its records: said on the card */
		if (!ind)
			return NULL;
		char *l = stats_link(q, code, "province");
		struct buf per = BUF_INIT;
		query_period(q, &per);
		json_t *it = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:n,s:n}", "indicator", code,
				       "name", english(q) ? ind->en : ind->vi, "text",
				       "không áp dụng với bộ lọc đã chọn", "source", "none",
				       "period", buf_cstr(&per), "link", l, "records", "figures");
		buf_free(&per);
		free(l);
		return it;
	}
	json_t *total = json_object_get(res, "total");
	/* A figure that overflowed is shown with its error, never left out. */
	const char *source = json_string_value(json_object_get(total, "source"));
	int has = json_is_integer(json_object_get(total, "value")) ||
		  (source && !strcmp(source, "overflow"));
	char *link = stats_link(q, code, "province");
	/* link: the statistics page; records and figures: the lists behind the
	 * number itself (null when nothing of that kind). A figure without a
	 * value says so rather than leave the card out. */
	const char *src = has ? json_string_value(json_object_get(total, "source")) : "none";
	char *per = card_period(q, total, src);
	json_t *item = json_pack(
		"{s:s,s:o,s:s,s:s,s:s,s:s,s:O,s:O}", "indicator", code, "name",
		english(q) && ind
			? json_string(ind->en)
			: json_incref(json_object_get(json_object_get(res, "indicator"), "name")),
		"text",
		has ? json_string_value(json_object_get(total, "text")) : "không có số liệu",
		"source", src, "period", per, "link", link, "records",
		json_object_get(total, "records"), "figures",
		json_object_get(total, "figures_link"));
	free(per);
	json_t *cov = json_object_get(res, "coverage");
	if (cov)
		json_object_set(item, "coverage", cov);
	free(link);
	json_decref(res);
	return item;
}

/* A count (of people, classes, villages...): whole numbers, no money, no
 * share. */
static int is_count(const struct indicator *ind)
{
	return ind->agg != AGG_RATIO && !ind->scale && strcmp(ind->measure, "đồng") &&
	       !strchr(ind->measure, '%');
}

/* A chart of code broken down by `by`: bars of the rows that have values. */
static json_t *chart_of(struct store *st, const struct actor *a, const struct dashboard_query *q,
			const char *code, const char *by, const char *kind, const char *title,
			struct err *e)
{
	json_t *res = compute(st, a, q, code, by, e);
	if (!res)
		return NULL;
	json_t *labels = json_array(), *values = json_array();
	size_t i;
	json_t *row;
	int scale = 0;
	json_array_foreach(json_object_get(res, "rows"), i, row)
	{
		json_t *v = json_object_get(row, "value");
		if (!json_is_integer(v))
			continue;
		scale = (int)json_integer_value(json_object_get(row, "scale"));
		double d = (double)json_integer_value(v);
		for (int s = 0; s < scale; s++)
			d /= 10;
		json_array_append_new(labels, json_incref(json_object_get(row, "label")));
		json_array_append_new(values, json_real(d));
	}
	json_t *chart = NULL;
	if (json_array_size(values)) {
		char *link = stats_link(q, code, by);
		const struct indicator *ind = indicator_find(code);
		chart = json_pack(
			"{s:s,s:s,s:O,s:o,s:o,s:s,s:b}", "kind", kind, "title", title, "unit",
			json_object_get(json_object_get(res, "indicator"), "measure"), "labels",
			labels, "values", values, "link", link, "integer", ind && is_count(ind));
		if (english(q))
			json_object_set_new(chart, "lang", json_string("en"));
		free(link);
	} else {
		json_decref(labels);
		json_decref(values);
	}
	json_decref(res);
	return chart;
}

static json_t *targets_chart(json_t *targets, int en)
{
	json_t *labels = json_array(), *values = json_array(), *goals = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(targets, i, t)
	{
		json_t *p = json_object_get(t, "progress");
		if (!json_is_integer(p))
			continue;
		const char *d = json_string_value(json_object_get(t, "description"));
		json_array_append_new(
			labels,
			json_string(d ? d : json_string_value(json_object_get(t, "indicator"))));
		json_array_append_new(values, json_real(json_integer_value(p) / 10.0));
		json_array_append_new(goals, json_real(100.0));
	}
	if (!json_array_size(labels)) {
		json_decref(labels);
		json_decref(values);
		json_decref(goals);
		return NULL;
	}
	json_t *c = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "kind", "progress", "title",
			      en ? "Progress toward the targets" : "Tiến độ thực hiện mục tiêu",
			      "unit", "%", "labels", labels, "values", values, "targets", goals);
	if (en)
		json_object_set_new(c, "lang", json_string("en"));
	return c;
}

static int in_headline(const char *code)
{
	for (size_t i = 0; i < sizeof headline / sizeof headline[0]; i++)
		if (!strcmp(headline[i], code))
			return 1;
	return 0;
}

/* After the fixed headline figures, every other indicator the scope has
 * reported figures for in (or overlapping) the period, in catalogue order:
 * what an office reported is what it expects to see ("400 học viên may công
 * nghiệp" is no training.trainees). The mixing rule then decides each value;
 * one without a value in the period is left out. Figures are few (a handful
 * per province and year), so this is one small query. */
static int reported_headlines(struct store *st, const struct actor *a,
			      const struct dashboard_query *q, json_t *items, struct err *e)
{
	struct buf sql = BUF_INIT;
	buf_puts(&sql, "SELECT DISTINCT t.indicator FROM figures t WHERE t.province_code IS NOT NULL");
	if (q->province)
		buf_puts(&sql, " AND t.province_code = ?");
	if (q->from)
		buf_puts(&sql, " AND t.period_to >= ?");
	if (q->to)
		buf_puts(&sql, " AND t.period_from <= ?");
	struct stmt *s = store_prepare(st, buf_cstr(&sql), e);
	buf_free(&sql);
	if (!s)
		return ERR_STORE;
	int pos = 1;
	if (q->province)
		stmt_bind_text(s, pos++, q->province);
	if (q->from)
		stmt_bind_int(s, pos++, q->from);
	if (q->to)
		stmt_bind_int(s, pos++, q->to);
	json_t *codes = json_object();
	int rc;
	while ((rc = stmt_step(s, e)) == 1)
		if (stmt_text(s, 0))
			json_object_set_new(codes, stmt_text(s, 0), json_true());
	stmt_done(s);
	for (const struct indicator *ind = indicators; rc == 0 && !e->code && ind->code; ind++) {
		if (!json_object_get(codes, ind->code) || in_headline(ind->code))
			continue;
		json_t *it = headline_item(st, a, q, ind->code, e);
		if (it && strcmp(json_string_value(json_object_get(it, "source")), "none"))
			json_array_append_new(items, it);
		else
			json_decref(it);
	}
	json_decref(codes);
	return rc < 0 ? rc : e->code;
}

int dashboard_build(struct store *st, const struct actor *a, const struct dashboard_query *q,
		    json_t **out, struct err *e)
{
	if (q->from && q->to && q->from > q->to)
		return err_set(e, ERR_INVALID, "to",
			       "Năm kết thúc trước năm bắt đầu / to is before from");
	if (q->province && !actor_reads_all(a) && strcmp(q->province, a->province))
		return err_set(e, ERR_FORBIDDEN, "province",
			       "Ngoài phạm vi của bạn / outside your scope");
	json_t *items = json_array(), *charts = json_array();
	err_clear(e);
	for (size_t i = 0; i < sizeof headline / sizeof headline[0]; i++) {
		json_t *it = headline_item(st, a, q, headline[i], e);
		if (it)
			json_array_append_new(items, it);
	}
	if (e->code || reported_headlines(st, a, q, items, e) < 0) {
		json_decref(items);
		json_decref(charts);
		return ERR_STORE;
	}
	static const struct {
		const char *code, *by, *kind, *vi, *en;
	} plan[] = {
		{"training.trainees", "year", "bar", "Học viên đào tạo theo năm",
		 "Trainees by year"},
		{"budget.national", "year", "bar", "Kinh phí khuyến công quốc gia theo năm",
		 "National khuyến công funds by year"},
		{"villages.count", "province", "hbar", "Làng nghề theo tỉnh",
		 "Craft villages by province"},
		{"projects.count", "content_type", "hbar", "Đề án theo nội dung khuyến công",
		 "Projects by kind of support"},
	};
	for (size_t i = 0; i < sizeof plan / sizeof plan[0]; i++) {
		json_t *c = chart_of(st, a, q, plan[i].code, plan[i].by, plan[i].kind,
				     english(q) ? plan[i].en : plan[i].vi, e);
		if (c)
			json_array_append_new(charts, c);
	}
	if (e->code) { /* never charts with a failed one left out */
		json_decref(items);
		json_decref(charts);
		return e->code;
	}
	json_t *targets = NULL;
	int rc = targets_progress_dashboard(st, a, q->province, q->from, q->to, q->today, &targets,
	                                    e);
	if (rc == ERR_STORE || rc == ERR_IO) {
		json_decref(items);
		json_decref(charts);
		return rc;
	}
	if (rc < 0)
		targets = json_array();
	json_t *tc = targets_chart(targets, english(q));
	if (tc)
		json_array_append_new(charts, tc);
	json_t *filters = json_pack("{s:s?,s:s?,s:s,s:i,s:i}", "content_type", q->content_type,
				    "funding", q->funding, "units", q->old_units ? "old" : "new",
				    "from", q->from, "to", q->to);
	if (q->period)
		json_object_set_new(filters, "period",
				    json_pack("{s:s,s:s,s:s}", "label", q->period->label,
					      "date_from", q->period->date_from, "date_to",
					      q->period->date_to));
	struct buf per = BUF_INIT;
	query_period(q, &per);
	json_object_set_new(filters, "period_text", json_string(buf_cstr(&per)));
	buf_free(&per);
	*out = json_pack("{s:o,s:o,s:o,s:o}", "headline", items, "charts", charts, "targets",
			 targets, "filters", filters);
	return 0;
}

/* One row of the pivot: the cells of rows (a breakdown by the columns)
 * under the columns' labels, a new label added as a new column. */
static json_t *pivot_line(json_t *clabels, json_t *rows)
{
	json_t *line = json_array();
	size_t j;
	json_t *c;
	json_array_foreach(rows, j, c)
	{
		const char *label = json_string_value(json_object_get(c, "label"));
		size_t k, found = (size_t)-1;
		json_t *l;
		json_array_foreach(clabels, k, l) if (!strcmp(json_string_value(l), label)) found =
			k;
		if (found == (size_t)-1) {
			json_array_append_new(clabels, json_string(label));
			found = json_array_size(clabels) - 1;
		}
		while (json_array_size(line) <= found)
			json_array_append_new(line, json_null());
		json_array_set_new(line, found,
				   json_pack("{s:O,s:O,s:O}", "text", json_object_get(c, "text"),
					     "link", json_object_get(c, "records"), "figures_link",
					     json_object_get(c, "figures_link")));
	}
	return line;
}

/* Years as columns in order, whatever order the rows met them in: the
 * labels sorted and every line of cells moved with them. */
static void pivot_order_columns(json_t *labels, json_t *cells)
{
	size_t n = json_array_size(labels);
	size_t *idx = calloc(n ? n : 1, sizeof *idx);
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	for (size_t i = 1; i < n; i++) /* insertion sort: a few columns */
		for (size_t j = i;
		     j > 0 && stats_key_cmp(json_string_value(json_array_get(labels, idx[j - 1])),
					    json_string_value(json_array_get(labels, idx[j]))) > 0;
		     j--) {
			size_t t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	json_t *sorted = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(sorted, json_array_get(labels, idx[i]));
	json_array_clear(labels);
	json_array_extend(labels, sorted);
	json_decref(sorted);
	size_t k;
	json_t *line;
	json_array_foreach(cells, k, line)
	{
		json_t *moved = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *c = json_array_get(line, idx[i]);
			json_array_append(moved, c ? c : json_null());
		}
		json_array_clear(line);
		json_array_extend(line, moved);
		json_decref(moved);
	}
	free(idx);
}

/* The first and last of the years that are rows of first (a breakdown by
 * year): 0 when there is none. */
static int pivot_years(json_t *first, int *from, int *to)
{
	size_t i;
	json_t *row;
	*from = *to = 0;
	json_array_foreach(json_object_get(first, "rows"), i, row)
	{
		char *end;
		long y = strtol(json_string_value(json_object_get(row, "key")), &end, 10);
		if (*end || y <= 0 || y > 9999)
			continue;
		*from = !*from || y < *from ? (int)y : *from;
		*to = y > *to ? (int)y : *to;
	}
	return *from != 0;
}

int dashboard_pivot(struct store *st, const struct actor *a, const struct dashboard_query *q,
		    const char *indicator, const char *rows, const char *cols, json_t **out,
		    struct err *e)
{
	if (strcmp(rows, "province") && strcmp(rows, "year"))
		return err_set(e, ERR_INVALID, "rows",
			       "Dòng theo tỉnh hoặc năm / rows are province or year");
	if (!strcmp(rows, cols))
		return err_set(e, ERR_INVALID, "cols",
			       "Cột phải khác dòng / columns must differ from rows");
	struct stat_query sq = {.indicator = indicator,
				.from = q->from,
				.to = q->to,
				.province = q->province,
				.old_units = q->old_units,
				.by = rows,
				.illustrative = q->illustrative,
				.period = q->period,
				.content_type = q->content_type,
				.funding = q->funding};
	json_t *first;
	int rc = stats_view(st, a, &sq, NULL, 0, &first, e);
	if (rc < 0)
		return rc;
	/* Provinces of today as rows: every province's line out of one
	 * computation broken down by the columns (stats.h, province_rows), not one
	 * per province. Years as rows: every year's line out of one computation
	 * over those calendar years (year_rows) where the statistics can tell
	 * the years apart in one, else one per row. */
	json_t *by_prov = NULL, *all = NULL;
	struct stat_query oq = sq;
	oq.by = cols;
	if (!strcmp(rows, "province"))
		oq.province_rows = 1;
	else if (pivot_years(first, &oq.from, &oq.to)) {
		oq.year_rows = 1;
		oq.period = NULL;
	}
	if (oq.province_rows || oq.year_rows) {
		rc = stats_compute(st, a, &oq, &all, e);
		if (rc < 0) {
			json_decref(first);
			return rc;
		}
		by_prov = json_object_get(all, oq.year_rows ? "year_rows" : "province_rows");
	}
	json_t *rlabels = json_array(), *clabels = json_array(), *cells = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(first, "rows"), i, row)
	{
		const char *key = json_string_value(json_object_get(row, "key"));
		struct stat_query cq = sq;
		cq.by = cols;
		if (!strcmp(rows, "province")) {
			if (strncmp(key, "new:", 4))
				continue; /* old provinces are shown by the units of the time only
					     as rows */
			cq.province = key + 4;
		} else {
			char *end;
			long y = strtol(key, &end, 10);
			if (*end || y <= 0 || y > 9999)
				continue; /* a reported period (2014–2020) cannot be split into
					     its years: no row of its own */
			cq.from = cq.to = (int)y;
			cq.period = NULL; /* a row of the pivot is one calendar year */
		}
		json_t *res = NULL;
		if (by_prov)
			res = json_pack("{s:O*}", "rows",
					json_object_get(by_prov, oq.year_rows ? key : cq.province));
		else
			rc = stats_compute(st, a, &cq, &res, e);
		if (rc < 0) { /* an error, never a pivot with rows left out */
			json_decref(rlabels);
			json_decref(clabels);
			json_decref(cells);
			json_decref(all);
			json_decref(first);
			return rc;
		}
		json_array_append_new(rlabels, json_incref(json_object_get(row, "label")));
		json_array_append_new(cells, pivot_line(clabels, json_object_get(res, "rows")));
		json_decref(res);
	}
	json_decref(all);
	json_decref(first);
	if (!strcmp(cols, "year"))
		pivot_order_columns(clabels, cells);
	*out = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "indicator", indicator, "rows_by", rows,
			 "columns_by", cols, "rows", rlabels, "columns", clabels, "cells", cells);
	return 0;
}
