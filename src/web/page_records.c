/* page_records.c - list, detail and form pages of every record type, driven
 * by entities[]; projects and proposals add their lifecycle. */
#include "core/vtext.h"
#include "io/list_place.h"
#include "io/record_csv.h"
#include "io/record_view.h"
#include "io/xlsx_export.h"
#include "model/audit.h"
#include "model/record.h"
#include "model/unit.h"
#include "model/unit_attr.h"
#include "model/workflow.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/page_picker.h"
#include "web/params.h"
#include "web/portal.h"
#include "web/records_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *ent_plural(const struct req *r, const struct entity *ent)
{
	return page_pick(r, ent->plural_vi, ent->plural_en);
}

static void page_start(struct req *r, struct resp *w, const char *title)
{
	page_begin_text(r, w, title);
}

/* ---- list ------------------------------------------------------------ */

static char *query_except(struct req *r, const char *drop);

static void filter_select(struct req *r, struct resp *w, const struct field *f)
{
	const char *cur = req_query(r, f->name);
	page_printf(w, "<label>%h<select name=\"%h\"><option value=\"\">—</option>",
	            field_label(f, r->lang), f->name);
	page_field_options(r, w, f, cur);
	page_printf(w, "</select></label>");
}

/* The parameters the filter form (or the pager) shows itself. */
static int form_param(const char *key)
{
	static const char *const own[] = {"q", "province", "year", "page", "per_page", "format",
	                                   "done", "sort", "order"};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		if (!strcmp(own[i], key))
			return 1;
	return 0;
}

static void list_filters(struct req *r, struct resp *w, const struct entity *ent)
{
	/* Folded on a phone (app.css unfolds it on a wider screen), saying how
	 * many conditions are set. */
	int set = 0;
	for (int i = 0; i < r->nquery; i++) {
		char key[72];
		snprintf(key, sizeof key, ",%s,", r->query[i].key);
		set += *r->query[i].value && !strstr(",page,per_page,format,done,sort,order,", key);
	}
	page_printf(w, "<details class=\"fold\" id=\"filter-box\"><summary>%h",
		    T(r, "rec.filters"));
	if (set)
		page_printf(w, " (%d)", set);
	page_printf(w, "</summary>");
	page_printf(w, "<form method=\"get\" class=\"filters\" id=\"list-filters\"><label>%h<input "
	               "name=\"q\" value=\"%h\" type=\"search\"></label>",
	            T(r, "rec.search_marks_optional"), req_query(r, "q"));
	const char *sort = req_query(r, "sort");
	if (sort && *sort)
		page_printf(w,
			    "<input type=\"hidden\" name=\"sort\" value=\"%h\">"
			    "<input type=\"hidden\" name=\"order\" value=\"%h\">",
			    sort, req_query(r, "order") ? req_query(r, "order") : "asc");
	for (const struct field *f = ent->fields; f->name; f++)
		if ((f->flags & FF_FILTER) && (f->type == F_ENUM || f->type == F_BOOL) &&
		    strcmp(f->name, "illustrative"))
			filter_select(r, w, f);
	if (actor_reads_all(&r->actor))
		page_printf(w, "<label>%h<input name=\"province\" value=\"%h\" maxlength=\"2\" "
		               "inputmode=\"numeric\"></label>",
		            T(r, "rec.province_code_today"),
		            req_query(r, "province"));
	if (ent->year_field)
		page_printf(w, "<label>%h<input name=\"year\" value=\"%h\" inputmode=\"numeric\" "
		               "maxlength=\"4\"></label>",
		            T(r, "dash.year"), req_query(r, "year"));
	/* Conditions the form has no field for (those of a link from a number:
	 * a date range, a filter through the establishment, ids…) are kept
	 * when filtering again, and said above the list. */
	int shown = 0;
	for (int i = 0; i < r->nquery; i++) {
		const char *k = r->query[i].key;
		const struct field *f = entity_field(ent, k);
		if (!*r->query[i].value || form_param(k) ||
		    (f && (f->flags & FF_FILTER) && (f->type == F_ENUM || f->type == F_BOOL) &&
		     strcmp(f->name, "illustrative")))
			continue;
		page_printf(w, "<input type=\"hidden\" name=\"%h\" value=\"%h\">", k,
		            r->query[i].value);
		shown++;
	}
	page_printf(w, "<button type=\"submit\">%h</button></form></details>", T(r, "rec.filter"));
	if (!shown)
		return;
	page_printf(w, "<p class=\"muted\" id=\"list-conditions\">%h:", T(r, "rec.other_conditions"));
	for (int i = 0, n = 0; i < r->nquery; i++) {
		const char *k = r->query[i].key;
		const struct field *f = entity_field(ent, k);
		if (!*r->query[i].value || form_param(k) ||
		    (f && (f->flags & FF_FILTER) && (f->type == F_ENUM || f->type == F_BOOL) &&
		     strcmp(f->name, "illustrative")))
			continue;
		page_printf(w, "%h <code>%h%h%h</code>", n++ ? "," : "", k,
		            k[strlen(k) - 1] == '!' ? "=" : " = ", r->query[i].value);
	}
	page_printf(w, " · <a href=\"/%h\">%h</a></p>", ent->collection, T(r, "rec.all_records"));
}

/* A warning sign after a project over a support cap, its reasons as a tooltip. */
static void cap_marker(struct req *r, struct resp *w, json_t *rec)
{
	json_t *flags = project_cap_flags(r->st, rec);
	if (json_array_size(flags)) {
		struct buf why = BUF_INIT;
		size_t i;
		json_t *f;
		json_array_foreach(flags, i, f) buf_printf(&why, "%s%s", i ? "; " : "",
		                                           page_message(r, json_string_value(f)));
		page_printf(w, " <span class=\"cap-flag\" title=\"%h\">⚠</span>", buf_cstr(&why));
		buf_free(&why);
	}
	json_decref(flags);
}

/* A column's header; on a list (q not NULL: the query without sort, order and
 * page) a link that sorts by it, ascending first, then the other way. */
static void list_th(struct req *r, struct resp *w, const struct entity *ent, const struct field *f,
		    const char *q)
{
	const char *sort = req_query(r, "sort"), *order = req_query(r, "order");
	int cur = q && sort && !strcmp(sort, f->name);
	int desc = cur && order && !strcmp(order, "desc");
	if (!q) {
		page_printf(w, "<th>%h</th>", field_label(f, r->lang));
		return;
	}
	if (cur)
		page_printf(w, "<th aria-sort=\"%h\">", desc ? "descending" : "ascending");
	else
		page_printf(w, "<th>");
	page_printf(w, "<a href=\"/%h?sort=%h&amp;order=%h%h\" title=\"%h\">%h</a></th>",
		    ent->collection, f->name, cur && !desc ? "desc" : "asc", q,
		    T(r, "list.sort_by"), field_label(f, r->lang));
}

/* A table of records; the column skip (the parent, on its own page) is left out. */
static void list_table(struct req *r, struct resp *w, const struct entity *ent, json_t *items,
                       const struct field *skip)
{
	const struct field *title = entity_title(ent);
	page_printf(w, "<div class=\"scroll\"><table class=\"records\" data-collection=\"%h\">"
	               "<thead><tr>",
	            ent->collection);
	char *q = skip ? NULL : query_except(r, ",sort,order,page,format,");
	for (const struct field *f = ent->fields; f->name; f++)
		if ((f->flags & FF_LIST) && f != skip)
			list_th(r, w, ent, f, q);
	page_printf(w, "</tr></thead><tbody>");
	size_t i;
	json_t *rec;
	json_array_foreach(items, i, rec) {
		long long id = (long long)json_integer_value(json_object_get(rec, "id"));
		page_printf(w, "<tr>");
		for (const struct field *f = ent->fields; f->name; f++) {
			if (!(f->flags & FF_LIST) || f == skip)
				continue;
			page_printf(w, "<td data-label=\"%h\">", field_label(f, r->lang));
			if (f == title) {
				struct buf t = BUF_INIT;
				view_text(&t, f, rec, r->lang);
				page_printf(w, "<a href=\"/%h/%lld\">%h</a>", ent->collection, id,
				            t.len ? buf_cstr(&t) : "#");
				buf_free(&t);
				if (!strcmp(ent->collection, "projects"))
					cap_marker(r, w, rec);
			} else {
				view_html(&w->body, f, rec, r->lang);
			}
			page_printf(w, "</td>");
		}
		page_printf(w, "</tr>");
	}
	if (!json_array_size(items))
		page_printf(w, "<tr><td colspan=\"20\">%h</td></tr>", T(r, "list.empty"));
	page_printf(w, "</tbody></table></div>");
}

/* The current query string ("&k=v..."), without the keys listed in drop
 * (",page,format,"), for links that change those. Arena memory. */
static char *query_except(struct req *r, const char *drop)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < r->nquery; i++) {
		char key[72];
		snprintf(key, sizeof key, ",%s,", r->query[i].key);
		if (strstr(drop, key))
			continue;
		buf_printf(&b, "&%t=%t", r->query[i].key, r->query[i].value);
	}
	char *s = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* A link to page p of the list; the current one is marked, not linked. */
static void page_link(struct resp *w, const struct entity *ent, const char *q, int64_t p,
		      int64_t cur)
{
	if (p == cur)
		page_printf(w,
			    "<li><a aria-current=\"page\" href=\"/%h?page=%lld%h\">%lld</a></li>",
			    ent->collection, (long long)p, q, (long long)p);
	else
		page_printf(w, "<li><a href=\"/%h?page=%lld%h\">%lld</a></li>", ent->collection,
			    (long long)p, q, (long long)p);
}

/* Numbered pages: the first, the last, two either side of the current one,
 * "…" for the gaps, and the previous and next pages. When the total was not
 * counted to the end (exact 0), last is the last page known to exist and is
 * not offered as the end: no "…" and last page after it. */
static void list_pages(struct req *r, struct resp *w, const struct entity *ent, const char *q,
		       int64_t cur, int64_t last, int exact)
{
	if (last <= 1)
		return;
	if (!exact && last > cur + 2)
		last = cur + 2;
	page_printf(w, "<nav class=\"pages\" aria-label=\"%h\"><ul>", T(r, "list.pages"));
	if (cur > 1)
		page_printf(w, "<li><a rel=\"prev\" href=\"/%h?page=%lld%h\">%h</a></li>",
			    ent->collection, (long long)(cur - 1), q, T(r, "list.prev"));
	for (int64_t p = 1, prev = 0; p <= last; prev = p++) {
		if (p > 1 && p < cur - 2)
			p = cur - 2;
		else if (p > cur + 2 && p < last)
			p = last;
		if (p > prev + 1)
			page_printf(w, "<li class=\"gap\">…</li>");
		page_link(w, ent, q, p, cur);
	}
	if (cur < last)
		page_printf(w, "<li><a rel=\"next\" href=\"/%h?page=%lld%h\">%h</a></li>",
			    ent->collection, (long long)(cur + 1), q, T(r, "list.next"));
	page_printf(w, "</ul></nav>");
}

static void list_pager(struct req *r, struct resp *w, const struct entity *ent, int64_t page,
		       int64_t per_page, int64_t total, int exact)
{
	char *q = query_except(r, ",page,format,");
	/* Past an inexact total one more row is known to exist. */
	list_pages(r, w, ent, q, page, (total + !exact + per_page - 1) / per_page, exact);
	if (exact)
		page_printf(w, "<p class=\"pager\">%h: <strong id=\"total\">%lld</strong>",
			    T(r, "list.total"), (long long)total);
	else
		page_printf(w,
			    "<p class=\"pager\">%h: <strong id=\"total\" data-exact=\"false\" "
			    "title=\"%h\">%h %lld</strong>",
			    T(r, "list.total"), T(r, "list.total_inexact"), T(r, "list.more_than"),
			    (long long)total);
	page_printf(w, " · <a href=\"/%h?format=xlsx%h\" id=\"export-xlsx\">%h</a>", ent->collection, q,
	            T(r, "rec.download_excel"));
	page_printf(w, " · <a href=\"/%h?format=csv%h\" id=\"export-csv\">%h</a></p>", ent->collection,
	            q, T(r, "rec.download_csv"));
}

/* A list export being sent: its cursor (on a connection of its own) and the
 * place lookups it makes on the thread's connection between parts. */
struct export_stream {
	struct store *st;
	const struct entity *ent;
	const char *lang;
	struct record_cursor *c;
	struct record_csv form;
	json_t *places;
	int fd;	     /* XLSX: the finished workbook, read out */
	int started; /* CSV: the header row is out */
};

enum { EXPORT_PART_ROWS = 256 };

static void export_free(void *ctx)
{
	struct export_stream *x = ctx;
	record_cursor_close(x->c);
	json_decref(x->places);
	if (x->fd >= 0)
		close(x->fd);
	free(x);
}

/* The next record of the export with its place columns: 1, 0 at the end, < 0. */
static int export_next(struct export_stream *x, json_t **rec, struct err *e)
{
	int rc = record_cursor_next(x->c, rec, e);
	if (rc == 1 && list_place_annotate_one(x->st, x->ent, *rec, x->places, e) < 0) {
		json_decref(*rec);
		return ERR_STORE;
	}
	return rc;
}

static int csv_fill(void *ctx, struct buf *out)
{
	struct export_stream *x = ctx;
	struct err e;
	json_t *rec;
	int rc = 1;
	if (!x->started++)
		record_csv_header(&x->form, out);
	for (int n = 0; n < EXPORT_PART_ROWS && (rc = export_next(x, &rec, &e)) == 1; n++) {
		record_csv_row(&x->form, rec, out);
		json_decref(rec);
	}
	if (rc < 0)
		fprintf(stderr, "list export of %s stopped: %s\n", x->ent->collection, e.message);
	return rc;
}

static int file_fill(void *ctx, struct buf *out)
{
	struct export_stream *x = ctx;
	char part[64 * 1024];
	ssize_t n = read(x->fd, part, sizeof part);
	if (n > 0)
		buf_append(out, part, (size_t)n);
	return n > 0 ? 1 : (int)n;
}

static void export_headers(struct req *r, struct resp *w, const struct entity *ent, const char *ext,
			   const char *type)
{
	w->status = 200;
	w->content_type = type;
	char *cd = arena_alloc(r->arena, 128);
	snprintf(cd, 128, "attachment; filename=\"%s.%s\"", ent->collection, ext);
	resp_header(r, w, "Content-Disposition", cd);
}

/* Writes every row into a constant-memory workbook in a temporary file,
 * then sends the file: a refusal (more rows than Excel holds) comes before
 * the first byte. */
static int xlsx_build(struct export_stream *x, struct err *e)
{
	char path[] = "/tmp/kc-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(e, ERR_IO, "", "cannot create a temporary file");
	struct xlsx_list *xl = NULL;
	int rc = xlsx_list_open(x->ent, x->lang, path, &xl, e);
	json_t *rec;
	while (rc == 0 && (rc = export_next(x, &rec, e)) == 1) {
		rc = xlsx_list_row(xl, rec, e);
		json_decref(rec);
	}
	struct err ce;
	if (xlsx_list_close(xl, &ce) < 0 && rc == 0) {
		*e = ce;
		rc = ERR_IO;
	}
	unlink(path);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	x->fd = fd; /* the same file, now written */
	return 0;
}

static void list_export(struct req *r, struct resp *w, const struct entity *ent,
			struct list_query *qy, int xlsx)
{
	struct err e;
	qy->limit = qy->offset = 0; /* every row: a list export is never cut short */
	struct export_stream *x = xcalloc(1, sizeof *x);
	*x = (struct export_stream){.st = r->st,
				    .ent = ent,
				    .lang = r->lang,
				    .form = {r->st, ent, CSV_DISPLAY, r->lang},
				    .places = json_object(),
				    .fd = -1};
	int rc = record_cursor_open(r->st, &r->actor, ent, qy, 1, &x->c, &e);
	if (rc == 0 && xlsx)
		rc = xlsx_build(x, &e);
	if (rc < 0) {
		export_free(x);
		reply_err(r, w, &e);
		return;
	}
	if (xlsx) {
		export_headers(r, w, ent, "xlsx",
			       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
		resp_stream(w, file_fill, export_free, x);
		return;
	}
	export_headers(r, w, ent, "csv", "text/csv; charset=utf-8");
	resp_stream(w, csv_fill, export_free, x);
}

void h_records_page(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	struct list_query qy;
	int64_t page;
	if (list_query_or_reply(r, w, ent, &qy, &page) < 0)
		return;
	const char *format;
	if (query_text_or_reply(r, w, "format", &format) < 0)
		return;
	int csv = format && !strcmp(format, "csv");
	int xlsx = format && !strcmp(format, "xlsx");
	if (csv || xlsx) {
		list_export(r, w, ent, &qy, xlsx);
		return;
	}
	struct err e;
	json_t *items;
	int64_t total;
	int exact;
	if (record_list_page(r->st, &r->actor, ent, &qy, &items, &total, &exact, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_start(r, w, ent_plural(r, ent));
	page_flash(r, w);
	if (record_may_create(&r->actor, ent) && !ent->history)
		page_printf(w, "<p><a class=\"button\" href=\"/%h/new\" id=\"new-record\">%h</a></p>",
		            ent->collection, T(r, "rec.add"));
	list_filters(r, w, ent);
	list_table(r, w, ent, items, NULL);
	list_pager(r, w, ent, page, qy.limit, total, exact);
	json_decref(items);
	page_end(r, w);
}

/* ---- detail ---------------------------------------------------------- */

static void detail_fields(struct req *r, struct resp *w, const struct entity *ent, json_t *rec)
{
	page_printf(w, "<dl class=\"fields\">");
	for (const struct field *f = ent->fields; f->name; f++) {
		json_t *v = json_object_get(rec, f->name);
		if (!v || json_is_null(v) || portal_hides(r, f))
			continue;
		page_printf(w, "<dt>%h</dt><dd id=\"f-%h\">", field_label(f, r->lang), f->name);
		if (picker_has_rows(ent, f) && json_is_object(v))
			picker_rows_view(r, w, v);
		else
			view_html(&w->body, f, rec, r->lang);
		page_printf(w, "</dd>");
	}
	page_printf(w, "</dl>");
}

/* The old units a record of the time counts under (unit_attr.h), and where
 * a level is unknown because a unit of today was formed from several, why. */
static void detail_old_units(struct req *r, struct resp *w, const struct entity *ent, json_t *rec)
{
	const char *split = json_string_value(json_object_get(rec, "old_split"));
	static const char *const levels[][2] = {{"old_commune_code", "commune"},
						{"old_district_code", "district"},
						{"old_province_code", "province"}};
	struct buf names = BUF_INIT;
	for (int i = 0; i < 3; i++) {
		const char *code = json_string_value(json_object_get(rec, levels[i][0]));
		struct unit u;
		if (code && unit_get_by_code(r->st, "old", levels[i][1], code, &u, NULL) == 0)
			buf_printf(&names, "%s%s", names.len ? ", " : "", u.full_name);
	}
	if (names.len || split) {
		page_printf(w, "<p id=\"old-units\"><b>%h:</b> %h", T(r, "rec.old_units"),
			    buf_cstr(&names));
		struct old_units ou;
		const char *prov = json_string_value(json_object_get(rec, "province_code"));
		if (split && unit_attr_record(r->st, ent, rec, prov, &ou, NULL) == 0 && ou.note[0])
			page_printf(w, " <span class=\"muted\" id=\"old-split\">%h</span>",
				    ou.note);
		page_printf(w, "</p>");
	}
	buf_free(&names);
}

/* Whether a record's page offers to add a record of o through o's field f
 * (filled in): its parts, and what a plan or a project is carried out by
 * (plan -> project -> class, model, machinery…). */
static int add_link_for(struct req *r, const struct entity *ent, const struct entity *o,
			const struct field *f)
{
	if (!record_may_create(&r->actor, o) || (f->flags & FF_READONLY) || o->history)
		return 0;
	if (o->parent_field && !strcmp(o->parent_field, f->name))
		return 1;
	/* An outcome is reported only once a project is accepted: from the
	 * page of outcomes (/outcomes), not from every project's page. */
	return (!strcmp(ent->collection, "plans") || !strcmp(ent->collection, "projects")) &&
	       strcmp(o->collection, "outcome-reports");
}

/* Records of other types that point at this one, each a short table. */
static void detail_related(struct req *r, struct resp *w, const struct entity *ent, int64_t id)
{
	uint64_t found;
	struct err e;
	if (record_referred(r->st, ent, id, &found, &e) < 0)
		found = ~(uint64_t)0; /* each list asks for itself */
	int i = 0;
	for (const struct entity *o = entities; o->collection; o++) {
		for (const struct field *f = o->fields; f->name; f++) {
			if (!record_refers(ent, f))
				continue;
			json_t *items;
			int64_t total = 0;
			int any = i >= 64 || (found >> i & 1);
			i++;
			if (!any)
				items = json_array(); /* no record refers to this one */
			else if (record_related(r->st, &r->actor, o, f, id, 200, &items, &total,
						&e) < 0)
				continue;
			int adds = add_link_for(r, ent, o, f);
			if (total > 0 || o->parent_field || adds) {
				page_printf(w, "<section class=\"related\" id=\"rel-%h\"><h2>%h (%lld)</h2>",
				            o->collection, ent_plural(r, o), (long long)total);
				if (total > 0)
					list_table(r, w, o, items, f);
				if (adds)
					page_printf(w,
						    "<p><a href=\"/%h/new?%h=%lld\" class=\"add\" "
						    "id=\"add-%h\">+ %h %h</a></p>",
						    o->collection, f->name, (long long)id,
						    o->collection, T(r, "rec.add_2"),
						    page_pick(r, o->vi, o->en));
				page_printf(w, "</section>");
			}
			json_decref(items);
		}
	}
}

static void detail_history(struct req *r, struct resp *w, const struct entity *ent, int64_t id)
{
	if (!actor_is_admin(&r->actor))
		return;
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	json_t *rows;
	struct err e;
	if (audit_of_record(r->st, &r->actor, ent->collection, idtext, 100, &rows, &e) < 0)
		return;
	page_printf(w, "<section id=\"history\"><h2>%h</h2><ul class=\"history\">",
	            T(r, "rec.history"));
	size_t i;
	json_t *a;
	json_array_foreach(rows, i, a) {
		/* Only the values that were set: a creation lists what was entered. */
		json_t *shown = json_deep_copy(json_object_get(a, "after"));
		const char *k;
		json_t *v, *tmp;
		json_object_foreach_safe(shown, tmp, k, v) if (json_is_null(v)) json_object_del(shown, k);
		char *after = json_dumps(shown, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(shown);
		page_printf(w, "<li><time>%h</time> %h: <strong>%h</strong> <code>%h</code></li>",
		            json_string_value(json_object_get(a, "at")),
		            json_string_value(json_object_get(a, "username")),
		            json_string_value(json_object_get(a, "action")), after);
		free(after);
	}
	page_printf(w, "</ul></section>");
	json_decref(rows);
}

static void project_budget(struct req *r, struct resp *w, json_t *rec)
{
	static const char *const src[] = {"national", "local", "counterpart", "other"};
	static const char *const src_vi[] = {"KC quốc gia", "KC địa phương", "Vốn đối ứng",
	                                     "Nguồn khác"};
	static const char *const src_en[] = {"National funds", "Local funds", "Counterpart", "Other"};
	page_printf(w, "<h2>%h</h2><div class=\"scroll\"><table id=\"budget\"><thead><tr><th>%h</th>"
	               "<th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
	            T(r, "rec.budget_by_source"), T(r, "rec.source"),
	            T(r, "rec.approved"), T(r, "rec.advanced"),
	            T(r, "rec.disbursed"));
	for (int i = 0; i < 4; i++) {
		page_printf(w, "<tr><td>%h</td>", page_pick(r, src_vi[i], src_en[i]));
		const char *kinds[] = {"approved", "advanced", "disbursed"};
		for (int k = 0; k < 3; k++) {
			char key[40];
			snprintf(key, sizeof key, "%s_%s", kinds[k], src[i]);
			json_t *v = json_object_get(rec, key);
			struct buf t = BUF_INIT;
			if (json_is_integer(v))
				vtext_fmt_money(&t, json_integer_value(v));
			page_printf(w, "<td>%h</td>", buf_cstr(&t));
			buf_free(&t);
		}
		page_printf(w, "</tr>");
	}
	page_printf(w, "</tbody></table></div>");
}

static void project_caps(struct req *r, struct resp *w, json_t *rec)
{
	json_t *flags = project_cap_flags(r->st, rec);
	size_t i;
	json_t *f;
	json_array_foreach(flags, i, f) page_printf(w, "<p class=\"error cap-flag\" role=\"alert\">⚠ %h</p>",
	                                            json_string_value(f));
	const char *why = json_string_value(json_object_get(rec, "cap_reason"));
	if (json_array_size(flags) && why)
		page_printf(w, "<p class=\"cap-reason\" id=\"cap-reason\"><strong>%h:</strong> %h</p>",
		            T(r, "caps.reason"), why);
	json_decref(flags);
}

/* One input of the step form: the posted value after a refused step, else
 * value; marked with its error from l. */
static void step_input(struct req *r, struct resp *w, const char *name, const char *label,
                       const char *value, const char *hint, const struct errs *l)
{
	const struct err *bad = l ? errs_find(l, name) : NULL;
	const char *posted = l ? req_form(r, name) : NULL;
	page_printf(w, "<div class=\"field%h\"><label for=\"in-%h\">%h</label><input name=\"%h\" "
	               "id=\"in-%h\" value=\"%h\" placeholder=\"%h\"",
	            bad ? " has-error" : "", name, label, name, name, posted ? posted : value, hint);
	if (bad)
		page_printf(w, " aria-invalid=\"true\" aria-describedby=\"error-%h\"", name);
	page_printf(w, ">");
	if (bad)
		page_printf(w, "<p class=\"field-error\" id=\"error-%h\">%h</p>", name,
		            page_message(r, bad->message));
	page_printf(w, "</div>");
}

/* The amounts a step may record, shown when one of the next statuses moves
 * money (an advance; acceptance and settlement need what was disbursed). */
static void step_amount_inputs(struct req *r, struct resp *w, json_t *rec, json_t *next,
                               const struct errs *l)
{
	static const char *const amounts[] = {PROJECT_STEP_AMOUNTS};
	int adv = 0, dis = 0;
	size_t i;
	json_t *s;
	json_array_foreach(next, i, s) {
		const char *to = json_string_value(s);
		adv |= !strcmp(to, "advanced") || !strcmp(to, "accepted");
		dis |= !strcmp(to, "accepted") || !strcmp(to, "settled");
	}
	if (!adv && !dis)
		return;
	const struct entity *projects = entity_find("projects");
	page_printf(w, "<fieldset id=\"step-amounts\"><legend>%h</legend>", T(r, "rec.step_amounts"));
	for (size_t k = 0; k < sizeof amounts / sizeof amounts[0]; k++) {
		int is_adv = !strncmp(amounts[k], "advanced_", 9);
		if ((is_adv && !adv) || (!is_adv && !dis))
			continue;
		const struct field *f = entity_field(projects, amounts[k]);
		struct buf v = BUF_INIT;
		view_input(&v, f, rec);
		step_input(r, w, f->name, field_label(f, r->lang), buf_cstr(&v), T(r, "rec.e_g_24_7"), l);
		buf_free(&v);
	}
	page_printf(w, "</fieldset>");
}

/* The form of the next step; after a refused step (l) it shows what was
 * typed and each error beside its input. */
static void project_lifecycle(struct req *r, struct resp *w, json_t *rec, int64_t id,
                              const struct errs *l)
{
	const struct field *sf = entity_field(entity_find("projects"), "status");
	const char *status = json_string_value(json_object_get(rec, "status"));
	json_t *next = project_next_statuses(status, json_string_value(json_object_get(rec, "kind")));
	if (r->actor.role == ROLE_VIEWER || r->actor.role == ROLE_ESTABLISHMENT ||
	    !json_array_size(next)) {
		json_decref(next);
		return;
	}
	page_printf(w, "<form method=\"post\" action=\"/projects/%lld/transition\" class=\"card\" "
	               "id=\"transition\" novalidate><h2>%h</h2>",
	            (long long)id, T(r, "rec.next_step"));
	page_csrf(r, w);
	const char *to = l ? req_form(r, "to") : NULL;
	const struct err *bad = l ? errs_find(l, "to") : NULL;
	page_printf(w, "<div class=\"field%h\"><label for=\"in-to\">%h</label><select name=\"to\" "
	               "id=\"in-to\"",
	            bad ? " has-error" : "", T(r, "rec.new_status"));
	if (bad)
		page_printf(w, " aria-invalid=\"true\" aria-describedby=\"error-to\"");
	page_printf(w, ">");
	size_t i;
	json_t *s;
	json_array_foreach(next, i, s) {
		char label[200];
		const char *code = json_string_value(s);
		field_enum_label(sf, code, r->lang, label, sizeof label);
		page_printf(w, "<option value=\"%h\"%h>%h</option>", code,
		            to && !strcmp(to, code) ? " selected" : "", label);
	}
	page_printf(w, "</select>");
	if (bad)
		page_printf(w, "<p class=\"field-error\" id=\"error-to\">%h</p>",
		            page_message(r, bad->message));
	page_printf(w, "</div>");
	step_input(r, w, "date", T(r, "rec.date"), "", "dd/mm/yyyy", l);
	step_input(r, w, "decision_no", T(r, "rec.decision_or_document"), "", "", l);
	step_input(r, w, "note", T(r, "rec.note"), "", "", l);
	step_amount_inputs(r, w, rec, next, l);
	page_printf(w, "<button type=\"submit\">%h</button></form>", T(r, "rec.record"));
	json_decref(next);
}

static void proposal_actions(struct req *r, struct resp *w, json_t *rec, int64_t id)
{
	const char *status = json_string_value(json_object_get(rec, "status"));
	const char *moves[4] = {0};
	if (r->actor.role == ROLE_ESTABLISHMENT) {
		if (status && (!strcmp(status, "draft") || !strcmp(status, "needs_supplement")))
			moves[0] = "submitted";
	} else if (r->actor.role != ROLE_VIEWER && status) {
		if (!strcmp(status, "submitted")) {
			moves[0] = "needs_supplement";
			moves[1] = "accepted";
			moves[2] = "rejected";
		} else if (!strcmp(status, "accepted")) {
			moves[0] = "converted";
		}
	}
	if (!moves[0])
		return;
	const struct field *sf = entity_field(entity_find("proposals"), "status");
	page_printf(w, "<form method=\"post\" action=\"/proposals/%lld/transition\" class=\"card\" "
	               "id=\"proposal-actions\">",
	            (long long)id);
	page_csrf(r, w);
	page_printf(w, "<label>%h<textarea name=\"note\" rows=\"2\"></textarea></label>",
		    r->actor.role == ROLE_ESTABLISHMENT ? T(r, "proposal.note_with")
							: T(r, "rec.department_s_comments"));
	for (int i = 0; moves[i]; i++) {
		char label[200];
		field_enum_label(sf, moves[i], r->lang, label, sizeof label);
		if (r->actor.role == ROLE_ESTABLISHMENT) /* an action, not a state */
			snprintf(label, sizeof label, "%s", T(r, "proposal.send"));
		page_printf(w, "<button type=\"submit\" name=\"to\" value=\"%h\">%h</button> ", moves[i],
		            label);
	}
	page_printf(w, "</form>");
}

/* Deleting asks for a tick first: pages carry no script to confirm with. */
static void delete_form(struct req *r, struct resp *w, const struct entity *ent, json_t *rec,
                        int64_t id)
{
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)json_integer_value(json_object_get(rec, "version")));
	page_printf(w, "<form method=\"post\" action=\"/%h/%lld/delete\" class=\"inline\" "
	               "id=\"delete\">",
	            ent->collection, (long long)id);
	page_csrf(r, w);
	page_printf(w, "<input type=\"hidden\" name=\"_version\" value=\"%h\"><label><input "
	               "type=\"checkbox\" name=\"confirm\" value=\"1\" required> %h</label> "
	               "<button type=\"submit\">%h</button></form>",
	            v, T(r, "rec.i_am_sure"), T(r, "rec.delete"));
}

void h_record_delete_post(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	int64_t id, version = -1;
	if (id_or_reply(r, w, r->params[1], &id) < 0)
		return;
	const char *v = req_form(r, "_version");
	if (v && parse_int64(v, &version) < 0)
		version = -1;
	struct err e;
	err_clear(&e);
	if (!req_form(r, "confirm"))
		err_set(&e, ERR_INVALID, "confirm", "Hãy đánh dấu xác nhận xóa / tick the confirmation");
	else
		record_delete(r->st, &r->actor, ent, id, version, &e);
	if (e.code) {
		reply_err(r, w, &e);
		return;
	}
	char *loc = arena_alloc(r->arena, 96);
	snprintf(loc, 96, "/%s?done=deleted", ent->collection);
	reply_redirect(r, w, loc);
}

/* The page of record idtext of ent; step holds the errors of a refused
 * lifecycle step (shown at the top and in the step's form), or NULL. */
static void record_page(struct req *r, struct resp *w, const struct entity *ent,
                        const char *idtext, const struct errs *step)
{
	int64_t id;
	json_t *rec = record_or_reply(r, w, ent, idtext, &id);
	if (!rec)
		return;
	struct buf title = BUF_INIT;
	view_text(&title, entity_title(ent), rec, r->lang);
	page_start(r, w, buf_cstr(&title));
	buf_free(&title);
	page_printf(w, "<p class=\"muted\"><a href=\"/%h\">%h</a> · #%lld · %h %lld</p>",
	            ent->collection, ent_plural(r, ent), (long long)id, T(r, "rec.version"),
	            (long long)json_integer_value(json_object_get(rec, "version")));
	if (step)
		page_error_summary(r, w, step);
	else
		page_flash(r, w);
	if (!strcmp(ent->collection, "proposals"))
		proposal_sent_note(r, w, rec);
	if (!strcmp(ent->collection, "projects"))
		project_caps(r, w, rec);
	detail_fields(r, w, ent, rec);
	detail_old_units(r, w, ent, rec);
	/* No "Sửa" that only leads to a refusal: a sent or accepted report
	 * (ent->may_change) is changed through its workflow, not the form. */
	if (r->actor.role != ROLE_VIEWER && !ent->history &&
	    record_may_write(&r->actor, ent, rec, NULL) == 0 &&
	    (!ent->may_change || ent->may_change(&r->actor, rec, NULL) == 0))
		page_printf(w, "<p><a href=\"/%h/%lld/edit\" id=\"edit\">%h</a></p>", ent->collection,
		            (long long)id, T(r, "rec.edit"));
	if (r->actor.role != ROLE_VIEWER && r->actor.role != ROLE_ESTABLISHMENT && !ent->history)
		delete_form(r, w, ent, rec, id);
	if (!strcmp(ent->collection, "projects")) {
		project_budget(r, w, rec);
		project_lifecycle(r, w, rec, id, step);
	}
	if (!strcmp(ent->collection, "proposals")) {
		proposal_actions(r, w, rec, id);
		proposal_thread_section(r, w, rec, id);
	}
	if (!strcmp(ent->collection, "outcome-reports"))
		outcome_actions(r, w, rec, id);
	if (!strcmp(ent->collection, "programmes"))
		page_printf(w,
			    "<p><a class=\"button\" href=\"/programmes/%lld/targets\" "
			    "id=\"targets-link\">%h</a></p>",
			    (long long)id, T(r, "targets.link"));
	products_page_extras(r, w, ent, rec, id);
	attachments_section(r, w, ent->collection, id);
	detail_related(r, w, ent, id);
	if (!strcmp(ent->collection, "lots"))
		lot_steps_form(r, w, id);
	detail_history(r, w, ent, id);
	json_decref(rec);
	page_end(r, w);
}

void h_record_page(struct req *r, struct resp *w)
{
	record_page(r, w, entity_find(r->params[0]), r->params[1], NULL);
}

/* ---- forms ----------------------------------------------------------- */

/* The attributes that tie an input to its error message, when it has one. */
static void form_aria(struct resp *w, const struct field *f, int bad)
{
	if (bad)
		page_printf(w, " aria-invalid=\"true\" aria-describedby=\"error-%h\"", f->name);
}

/* Writes the control of field f of ent with value val, marked invalid when bad. */
static void form_input(struct req *r, struct resp *w, const struct entity *ent,
		       const struct field *f, const char *val, int bad)
{
	if (picker_has_rows(ent, f)) {
		picker_rows_input(r, w, val);
		return;
	}
	switch (f->type) {
	case F_REF:
	case F_UNIT:
		picker_input(r, w, ent, f, val);
		return;
	case F_LONGTEXT:
	case F_URLS:
	case F_JSON:
		page_printf(w, "<textarea name=\"%h\" id=\"in-%h\" rows=\"3\"", f->name, f->name);
		form_aria(w, f, bad);
		page_printf(w, ">%h</textarea>", val);
		return;
	case F_ENUM:
	case F_BOOL:
	case F_PROVINCE:
		/* An officer's only province is chosen for them. */
		if (f->type == F_PROVINCE && (!val || !*val) && !actor_reads_all(&r->actor) &&
		    r->actor.province[0])
			val = r->actor.province;
		page_printf(w, "<select name=\"%h\" id=\"in-%h\"", f->name, f->name);
		form_aria(w, f, bad);
		page_printf(w, "><option value=\"\">—</option>");
		if (f->type == F_PROVINCE)
			page_province_options(r, w, "new", val);
		else
			page_field_options(r, w, f, val);
		page_printf(w, "</select>");
		return;
	default: break;
	}
	const char *hint = f->type == F_DATE    ? "dd/mm/yyyy"
	                   : f->type == F_MONEY ? T(r, "rec.e_g_24_7")
	                   : f->type == F_QTY   ? T(r, "rec.e_g_tren_80")
	                                        : "";
	page_printf(w, "<input name=\"%h\" id=\"in-%h\" value=\"%h\" placeholder=\"%h\"", f->name,
	            f->name, val, hint);
	form_aria(w, f, bad);
	page_printf(w, ">");
}

/* Renders the form of ent; vals holds the strings to show (posted or
 * stored), l the errors to show at the top and beside their fields (may be
 * NULL). */
static void form_page(struct req *r, struct resp *w, const struct entity *ent, int64_t id,
                      json_t *vals, const struct errs *l)
{
	char title[200];
	snprintf(title, sizeof title, "%s%s %s", l && l->n ? T(r, "form.error_prefix") : "",
	         id ? T(r, "rec.edit") : T(r, "rec.add_2"), page_pick(r, ent->vi, ent->en));
	page_start(r, w, title);
	page_error_summary(r, w, l);
	form_caps_hint(r, w, ent, vals);
	if (id)
		page_printf(w, "<form method=\"post\" action=\"/%h/%lld/edit\" class=\"card record-form\" "
		               "id=\"record-form\" novalidate>",
		            ent->collection, (long long)id);
	else
		page_printf(w, "<form method=\"post\" action=\"/%h/new\" class=\"card record-form\" "
		               "id=\"record-form\" novalidate>",
		            ent->collection);
	page_csrf(r, w);
	if (id)
		page_printf(w, "<input type=\"hidden\" name=\"_version\" value=\"%h\">",
		            json_string_value(json_object_get(vals, "_version")));
	for (const struct field *f = ent->fields; f->name; f++) {
		/* Illustrative (demo) data is the administrator's business. */
		if ((f->flags & FF_READONLY) ||
		    (!strcmp(f->name, "illustrative") && !actor_is_admin(&r->actor)))
			continue;
		const struct err *bad = l ? errs_find(l, f->name) : NULL;
		page_printf(w, "<div class=\"field%h\"><label for=\"in-%h\">%h%h</label>",
		            bad ? " has-error" : "", f->name, field_label(f, r->lang),
		            (f->flags & FF_REQUIRED) ? " *" : "");
		const char *val = json_string_value(json_object_get(vals, f->name));
		if (!portal_form_input(r, w, ent, f, val))
			form_input(r, w, ent, f, val, bad != NULL);
		if (bad)
			page_printf(w, "<p class=\"field-error\" id=\"error-%h\">%h</p>", f->name,
			            page_message(r, bad->message));
		page_printf(w, "</div>");
	}
	page_printf(w, "<button type=\"submit\" id=\"save\">%h</button></form>", T(r, "rec.save"));
	picker_script(w);
	page_end(r, w);
}

/* The form again, with what was typed and every error; frees l. An error
 * outside the input (a stale version, a store failure) is in e only. */
static void form_errors_page(struct req *r, struct resp *w, const struct entity *ent, int64_t id,
                             json_t *echo, struct errs *l, struct err *e)
{
	if (!l->n)
		errs_add(l, e);
	form_page(r, w, ent, id, echo, l);
	w->status = err_http_status(e->code);
	errs_free(l);
}

/* Stored values as form strings. */
static json_t *form_values(const struct entity *ent, json_t *rec)
{
	json_t *vals = json_object();
	for (const struct field *f = ent->fields; f->name; f++) {
		struct buf t = BUF_INIT;
		view_input(&t, f, rec);
		json_object_set_new(vals, f->name, json_string(buf_cstr(&t)));
		buf_free(&t);
	}
	char v[24];
	snprintf(v, sizeof v, "%lld", (long long)json_integer_value(json_object_get(rec, "version")));
	json_object_set_new(vals, "_version", json_string(v));
	return vals;
}

void h_record_new_page(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	if (!record_may_create(&r->actor, ent)) {
		page_error(r, w, 403,
			   "Bạn không thêm được loại bản ghi này / you cannot add records "
			   "of this kind");
		return;
	}
	json_t *vals = json_object();
	/* Links from a parent page prefill its reference (?project_id=5). */
	for (int i = 0; i < r->nquery; i++)
		if (entity_field(ent, r->query[i].key))
			json_object_set_new(vals, r->query[i].key, json_string(r->query[i].value));
	picker_prefill(r, ent, vals);
	form_page(r, w, ent, 0, vals, NULL);
	json_decref(vals);
}

/* The posted form as record input: empty fields are absent on create and
 * cleared on update. */
static json_t *posted(struct req *r, const struct entity *ent, int update, json_t **echo)
{
	json_t *in = json_object();
	*echo = json_object();
	for (int i = 0; i < r->nform; i++) {
		const char *k = r->form[i].key, *v = r->form[i].value;
		json_object_set_new(*echo, k, json_string(v));
		const struct field *f = entity_field(ent, k);
		if (!f || (f->flags & FF_READONLY))
			continue;
		if (!*v) {
			if (update)
				json_object_set_new(in, k, json_null());
			continue;
		}
		json_t *jv = f->type == F_JSON ? json_loads(v, 0, NULL) : NULL;
		json_object_set_new(in, k, jv ? jv : json_string(v));
	}
	picker_rows_posted(r, ent, in, *echo, update);
	return in;
}

void h_record_new_post(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	json_t *echo, *in = posted(r, ent, 0, &echo);
	struct err e;
	struct errs all = {0};
	err_clear(&e);
	int64_t id;
	if (record_create_all(r->st, &r->actor, ent, in, &id, &all, &e) < 0) {
		form_errors_page(r, w, ent, 0, echo, &all, &e);
	} else {
		char *loc = arena_alloc(r->arena, 96);
		snprintf(loc, 96, "/%s/%lld?done=saved", ent->collection, (long long)id);
		reply_redirect(r, w, loc);
	}
	json_decref(in);
	json_decref(echo);
}

void h_record_edit_page(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	int64_t id;
	json_t *rec = record_or_reply(r, w, ent, r->params[1], &id);
	if (!rec)
		return;
	json_t *vals = form_values(ent, rec);
	form_page(r, w, ent, id, vals, NULL);
	json_decref(vals);
	json_decref(rec);
}

void h_record_edit_post(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find(r->params[0]);
	int64_t id, version = -1;
	if (id_or_reply(r, w, r->params[1], &id) < 0)
		return;
	const char *v = req_form(r, "_version");
	if (v && parse_int64(v, &version) < 0)
		version = -1;
	json_t *echo, *in = posted(r, ent, 1, &echo);
	json_object_del(in, "_version");
	struct err e;
	struct errs all = {0};
	err_clear(&e);
	if (record_update_all(r->st, &r->actor, ent, id, in, version, &all, &e) < 0) {
		form_errors_page(r, w, ent, id, echo, &all, &e);
	} else {
		char *loc = arena_alloc(r->arena, 96);
		snprintf(loc, 96, "/%s/%lld?done=saved", ent->collection, (long long)id);
		reply_redirect(r, w, loc);
	}
	json_decref(in);
	json_decref(echo);
}

void h_project_transition_post(struct req *r, struct resp *w)
{
	static const char *const amounts[] = {PROJECT_STEP_AMOUNTS};
	int64_t id;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct project_step step = {req_form(r, "to"), req_form(r, "date"),
	                            req_form(r, "decision_no"), req_form(r, "note"), json_object()};
	for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
		const char *v = req_form(r, amounts[i]);
		if (v && *v)
			json_object_set_new(step.amounts, amounts[i], json_string(v));
	}
	struct err e;
	struct errs all = {0};
	err_clear(&e);
	int rc = project_step(r->st, &r->actor, id, &step, &all, &e);
	json_decref(step.amounts);
	json_t *seen = NULL;
	struct err ge;
	if (rc < 0 && (e.code == ERR_INVALID || e.code == ERR_CONFLICT) &&
	    record_get(r->st, &r->actor, entity_find("projects"), id, &seen, &ge) == 0) {
		/* The project page again, the step's input kept, every error shown. */
		record_page(r, w, entity_find("projects"), r->params[0], &all);
		if (w->status < 400)
			w->status = err_http_status(e.code);
	} else if (rc < 0) {
		reply_err(r, w, &e);
	} else {
		char *loc = arena_alloc(r->arena, 64);
		snprintf(loc, 64, "/projects/%lld?done=saved", (long long)id);
		reply_redirect(r, w, loc);
	}
	json_decref(seen);
	errs_free(&all);
}

void h_proposal_transition_post(struct req *r, struct resp *w)
{
	int64_t id, project = 0;
	if (id_or_reply(r, w, r->params[0], &id) < 0)
		return;
	struct err e;
	err_clear(&e);
	const char *to = req_form(r, "to");
	int rc = to && !strcmp(to, "converted")
	                 ? proposal_convert(r->st, &r->actor, id, 0, &project, &e)
	                 : proposal_transition(r->st, &r->actor, id, to, req_form(r, "note"), &e);
	if (rc < 0) {
		reply_err(r, w, &e);
		return;
	}
	char *loc = arena_alloc(r->arena, 64);
	if (project)
		snprintf(loc, 64, "/projects/%lld?done=saved", (long long)project);
	else
		snprintf(loc, 64, "/proposals/%lld?done=%s", (long long)id,
			 to && !strcmp(to, "submitted") ? "sent" : "saved");
	reply_redirect(r, w, loc);
}
