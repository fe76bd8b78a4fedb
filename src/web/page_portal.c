/* page_portal.c - the portal of an establishment account: its home page (my establishment, my proposals with what needs my action first,
 * the support I received, my products and lots), and its forms filled in
 * with its own establishment. Only what the role can do is offered. */
#include "core/vtext.h"
#include "io/record_view.h"
#include "model/notify.h"
#include "model/record.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/portal.h"

#include <stdio.h>
#include <string.h>

/* The records of collection the account may read (its own), newest first. */
static json_t *mine(struct req *r, const char *collection, int64_t limit, int64_t *total)
{
	struct list_query qy = {.limit = limit};
	json_t *items = NULL;
	struct err e;
	*total = 0;
	if (record_list(r->st, &r->actor, entity_find(collection), &qy, &items, total, &e) < 0)
		return json_array();
	return items;
}

static void cell(struct req *r, struct resp *w, const char *collection, const char *field,
		 json_t *rec)
{
	const struct field *f = entity_field(entity_find(collection), field);
	page_printf(w, "<td>");
	if (f)
		view_html(&w->body, f, rec, r->lang);
	page_printf(w, "</td>");
}

static void title_cell(struct req *r, struct resp *w, const char *collection, json_t *rec)
{
	const struct entity *ent = entity_find(collection);
	struct buf t = BUF_INIT;
	view_text(&t, entity_title(ent), rec, r->lang);
	page_printf(w, "<td><a href=\"/%h/%lld\">%h</a></td>", collection,
		    (long long)json_integer_value(json_object_get(rec, "id")),
		    t.len ? buf_cstr(&t) : "#");
	buf_free(&t);
}

static void my_establishment(struct req *r, struct resp *w)
{
	json_t *rec = NULL;
	struct err e;
	const struct entity *ent = entity_find("establishments");
	long long id = (long long)r->actor.establishment_id;
	page_printf(w, "<section class=\"card\" id=\"my-establishment\"><h2>%h</h2>",
		    T(r, "portal.my_establishment"));
	if (record_get(r->st, &r->actor, ent, r->actor.establishment_id, &rec, &e) == 0) {
		static const char *const shown[] = {"name", "kind", "tax_code", "commune_id",
						    "workers"};
		page_printf(w, "<dl class=\"fields\">");
		for (size_t i = 0; i < sizeof shown / sizeof *shown; i++) {
			const struct field *f = entity_field(ent, shown[i]);
			if (!json_object_get(rec, f->name) ||
			    json_is_null(json_object_get(rec, f->name)))
				continue;
			page_printf(w, "<dt>%h</dt><dd>", field_label(f, r->lang));
			view_html(&w->body, f, rec, r->lang);
			page_printf(w, "</dd>");
		}
		page_printf(w, "</dl>");
		json_decref(rec);
	}
	page_printf(
		w,
		"<p><a href=\"/establishments/%lld\">%h</a> · <a "
		"href=\"/establishments/%lld/edit\" id=\"edit-establishment\">%h</a></p></section>",
		id, T(r, "portal.view_all"), id, T(r, "portal.edit_establishment"));
}

/* Draft and returned proposals wait for the establishment: listed first. */
static int needs_me(json_t *p)
{
	const char *s = json_string_value(json_object_get(p, "status"));
	return !s || !strcmp(s, "draft") || !strcmp(s, "needs_supplement");
}

static void proposal_rows(struct req *r, struct resp *w, json_t *items, int want_mine)
{
	size_t i;
	json_t *p;
	json_array_foreach(items, i, p)
	{
		if (needs_me(p) != want_mine)
			continue;
		/* Three columns, readable on a phone: what, where it stands, who acts. */
		page_printf(w, "<tr%h>", want_mine ? " class=\"needs-me\"" : "");
		title_cell(r, w, "proposals", p);
		page_printf(w, "<td>");
		view_html(&w->body, entity_field(entity_find("proposals"), "status"), p, r->lang);
		const char *ref = json_string_value(json_object_get(p, "reference"));
		if (ref) {
			struct buf d = BUF_INIT;
			vtext_fmt_date(&d, json_string_value(json_object_get(p, "submitted_on")));
			page_printf(w, "<br><small class=\"muted\">%h · %h</small>", ref,
				    buf_cstr(&d));
			buf_free(&d);
		}
		const char *s = json_string_value(json_object_get(p, "status"));
		page_printf(w, "</td><td>%h</td></tr>",
			    want_mine			   ? T(r, "portal.your_turn")
			    : s && !strcmp(s, "submitted") ? T(r, "portal.department_turn")
							   : "");
	}
}

static void my_proposals(struct req *r, struct resp *w)
{
	int64_t total;
	json_t *items = mine(r, "proposals", 200, &total);
	page_printf(w,
		    "<section id=\"my-proposals\"><h2>%h (%lld)</h2><p><a class=\"button\" "
		    "href=\"/proposals/new\" id=\"new-proposal\">%h</a></p>",
		    T(r, "portal.my_proposals"), (long long)total, T(r, "portal.new_proposal"));
	if (json_array_size(items)) {
		page_printf(w,
			    "<div class=\"scroll\"><table class=\"records\"><thead><tr><th>%h</th>"
			    "<th>%h</th><th>%h</th></tr></thead><tbody>",
			    T(r, "portal.col_title"), T(r, "portal.status"), T(r, "portal.next"));
		proposal_rows(r, w, items, 1);
		proposal_rows(r, w, items, 0);
		page_printf(w, "</tbody></table></div>");
	} else
		page_printf(w, "<p class=\"muted\">%h</p>", T(r, "portal.no_proposals"));
	page_printf(w, "</section>");
	json_decref(items);
}

/* The support received: every record type that names the establishment,
 * other than what the establishment keeps itself. */
static int is_support(const struct entity *o)
{
	static const char *const own[] = {"establishments", "proposals", "products", "lots",
					  "lot-events", "outcome-reports"};
	if (!o->est_field)
		return 0;
	for (size_t i = 0; i < sizeof own / sizeof *own; i++)
		if (!strcmp(o->collection, own[i]))
			return 0;
	return 1;
}

static void my_support(struct req *r, struct resp *w)
{
	page_printf(w,
		    "<section id=\"my-support\"><h2>%h</h2><p><a class=\"button\" "
		    "href=\"/outcomes\" id=\"my-outcomes\">%h</a></p>",
		    T(r, "portal.my_support"), T(r, "outcomes.title"));
	int any = 0;
	for (const struct entity *o = entities; o->collection; o++) {
		if (!is_support(o))
			continue;
		int64_t total;
		json_t *items = mine(r, o->collection, 50, &total);
		if (total > 0) {
			any = 1;
			page_printf(w, "<h3>%h (%lld)</h3><ul class=\"support\">",
				    page_pick(r, o->plural_vi, o->plural_en), (long long)total);
			size_t i;
			json_t *rec;
			json_array_foreach(items, i, rec)
			{
				struct buf t = BUF_INIT, y = BUF_INIT;
				view_text(&t, entity_title(o), rec, r->lang);
				const struct field *yf =
					o->year_field ? entity_field(o, o->year_field) : NULL;
				if (yf)
					view_text(&y, yf, rec, r->lang);
				page_printf(
					w, "<li><a href=\"/%h/%lld\">%h</a>%h%h</li>",
					o->collection,
					(long long)json_integer_value(json_object_get(rec, "id")),
					t.len ? buf_cstr(&t) : "#", y.len ? " · " : "",
					buf_cstr(&y));
				buf_free(&t);
				buf_free(&y);
			}
			page_printf(w, "</ul>");
		}
		json_decref(items);
	}
	if (!any)
		page_printf(w, "<p class=\"muted\">%h</p>", T(r, "portal.no_support"));
	page_printf(w, "</section>");
}

static void my_products(struct req *r, struct resp *w)
{
	int64_t total, lots;
	json_t *items = mine(r, "products", 100, &total);
	json_decref(mine(r, "lots", 1, &lots));
	page_printf(
		w,
		"<section id=\"my-products\"><h2>%h (%lld)</h2><p><a class=\"button\" "
		"href=\"/products/new\" id=\"new-product\">%h</a> · <a href=\"/lots\">%h (%lld)</a>"
		"</p>",
		T(r, "portal.my_products"), (long long)total, T(r, "portal.new_product"),
		T(r, "portal.lots"), (long long)lots);
	if (json_array_size(items)) {
		page_printf(w, "<div class=\"scroll\"><table class=\"records\"><tbody>");
		size_t i;
		json_t *p;
		json_array_foreach(items, i, p)
		{
			page_printf(w, "<tr>");
			title_cell(r, w, "products", p);
			cell(r, w, "products", "category", p);
			page_printf(w, "<td>%h</td>",
				    json_is_true(json_object_get(p, "published"))
					    ? T(r, "portal.published")
					    : T(r, "portal.not_published"));
			page_printf(w,
				    "<td><a href=\"/lots/new?product_id=%lld\">+ %h</a></td></tr>",
				    (long long)json_integer_value(json_object_get(p, "id")),
				    T(r, "portal.new_lot"));
		}
		page_printf(w, "</tbody></table></div>");
	}
	page_printf(w, "</section>");
	json_decref(items);
}

void portal_home(struct req *r, struct resp *w)
{
	page_begin(r, w, "portal.title");
	page_printf(w, "<p id=\"welcome\">%h, <strong>%h</strong>.</p>", T(r, "home.welcome"),
		    r->session.user.display_name[0] ? r->session.user.display_name
						    : r->actor.username);
	my_proposals(r, w);
	my_establishment(r, w);
	my_support(r, w);
	my_products(r, w);
	page_end(r, w);
}

int portal_hides(const struct req *r, const struct field *f)
{
	/* Whether a record is illustrative is the department's business. */
	return r->actor.role == ROLE_ESTABLISHMENT && !strcmp(f->name, "illustrative");
}

/* The establishment's own records of f's collection (its products for a
 * lot, its lots for a step, its awards for a product), to pick one by name
 * rather than type a record number. */
static void own_select(struct req *r, struct resp *w, const struct field *f, const char *val)
{
	int64_t total;
	const struct entity *ent = entity_find(f->ref);
	json_t *items = mine(r, f->ref, 500, &total);
	page_printf(w, "<select name=\"%h\" id=\"in-%h\"%h><option value=\"\">—</option>", f->name,
		    f->name, (f->flags & FF_REQUIRED) ? " required" : "");
	size_t i;
	json_t *p;
	json_array_foreach(items, i, p)
	{
		char id[24];
		struct buf t = BUF_INIT;
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(p, "id")));
		view_text(&t, entity_title(ent), p, r->lang);
		page_option(w, id, t.len ? buf_cstr(&t) : id, val && !strcmp(val, id));
		buf_free(&t);
	}
	page_printf(w, "</select>");
	json_decref(items);
}

int portal_form_input(struct req *r, struct resp *w, const struct entity *ent,
		      const struct field *f, const char *val)
{
	if (r->actor.role != ROLE_ESTABLISHMENT || f->type != F_REF)
		return 0;
	if (!strcmp(f->ref, "establishments") && ent->est_field &&
	    !strcmp(f->name, ent->est_field)) {
		/* Its own establishment, said by name; the server fills it in too. */
		json_t *rec = NULL;
		struct err e;
		const char *name = "";
		if (record_get(r->st, &r->actor, entity_find("establishments"),
			       r->actor.establishment_id, &rec, &e) == 0)
			name = json_string_value(json_object_get(rec, "name"));
		page_printf(w,
			    "<input type=\"hidden\" name=\"%h\" value=\"%lld\"><p class=\"own\" "
			    "id=\"in-%h\">%h</p>",
			    f->name, (long long)r->actor.establishment_id, f->name,
			    name ? name : "");
		json_decref(rec);
		return 1;
	}
	const struct entity *target = entity_find(f->ref);
	if (target && target->est_field && strcmp(target->est_field, "id")) {
		own_select(r, w, f, val);
		return 1;
	}
	return 0;
}
