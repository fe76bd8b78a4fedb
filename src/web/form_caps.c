/* form_caps.c - the support caps beside the forms of support (a proposal, a
 * project, machinery, a demonstration model): the caps in force for the
 * record's year, in words, and the limit they set for the cost typed. */
#include "core/clock.h"
#include "core/vtext.h"
#include "model/caps.h"
#include "model/record.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/records_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Which records get the hint: their content type (a field, or fixed) and
 * the field that holds the cost a share is taken of. */
static const struct {
	const char *collection, *ct_field, *ct, *cost;
} hinted[] = {
	{"proposals", "content_type", NULL, "cost"},
	{"projects", "content_type", NULL, "cost_total"},
	{"machinery", NULL, "machinery", "value"},
	{"demo-models", NULL, "demo_model", "total_investment"},
};

/* The integer a form string of field name means (money, a year), or -1. */
static int64_t form_number(struct req *r, const struct entity *ent, json_t *vals,
                           const char *name)
{
	const struct field *f = entity_field(ent, name);
	const char *v = json_string_value(json_object_get(vals, name));
	if (!f || !v || !*v)
		return -1;
	json_t *in = json_string(v), *out = NULL;
	struct err e;
	int64_t n = -1;
	if (record_convert(r->st, f, in, NULL, &out, &e) == 0 && json_is_integer(out))
		n = json_integer_value(out);
	json_decref(in);
	json_decref(out);
	return n;
}

/* The province whose local levels apply: the project's, or the
 * establishment's (the form's, or the caller's own), or the caller's. */
static void hint_province(struct req *r, const struct entity *ent, json_t *vals, char prov[8])
{
	const char *p = json_string_value(json_object_get(vals, "province"));
	snprintf(prov, 8, "%s", p && *p ? p : r->actor.province);
	if (p && *p)
		return;
	int64_t est = entity_field(ent, "establishment_id")
			      ? form_number(r, ent, vals, "establishment_id")
			      : -1;
	if (est < 0 && r->actor.establishment_id)
		est = r->actor.establishment_id;
	json_t *rec = NULL;
	struct err e;
	if (est > 0 &&
	    record_get(r->st, &r->actor, entity_find("establishments"), est, &rec, &e) == 0) {
		const char *code = json_string_value(json_object_get(rec, "province_code"));
		if (code)
			snprintf(prov, 8, "%s", code);
	}
	json_decref(rec);
}

/* One item a cap: its content type, source, rule in words and, for the cost
 * typed, the limit. */
static void hint_items(struct req *r, struct resp *w, const struct support_cap *caps, int n,
		       int64_t cost, const char *source_key)
{
	const struct field *ctf = entity_field(entity_find("projects"), "content_type");
	for (int i = 0; i < n; i++) {
		char label[200];
		field_enum_label(ctf, caps[i].content_type, r->lang, label, sizeof label);
		struct buf d = BUF_INIT;
		cap_describe(&d, &caps[i]);
		if (caps[i].province[0])
			page_printf(w, "<li data-source=\"local\" data-content-type=\"%h\">",
				    caps[i].content_type);
		else
			page_printf(w, "<li data-content-type=\"%h\">", caps[i].content_type);
		page_printf(w, "<strong>%h</strong> (%h): %h", label, T(r, source_key),
			    page_message(r, buf_cstr(&d)));
		buf_free(&d);
		int64_t lim = cost >= 0 ? cap_limit(&caps[i], cost) : -1;
		if (lim >= 0) {
			struct buf c = BUF_INIT, l = BUF_INIT;
			vtext_fmt_money(&c, cost);
			vtext_fmt_money(&l, lim);
			page_printf(w, "<br><span class=\"cap-limit\">%h %h: %h <strong>%h</strong></span>",
			            T(r, "caps.with_cost"), buf_cstr(&c), T(r, "caps.at_most"),
			            buf_cstr(&l));
			buf_free(&c);
			buf_free(&l);
		}
		page_printf(w, "</li>");
	}
}

void form_caps_hint(struct req *r, struct resp *w, const struct entity *ent, json_t *vals)
{
	size_t k = 0;
	while (k < sizeof hinted / sizeof hinted[0] &&
	       strcmp(hinted[k].collection, ent->collection))
		k++;
	if (k == sizeof hinted / sizeof hinted[0])
		return;
	const char *ct = hinted[k].ct
				 ? hinted[k].ct
				 : json_string_value(json_object_get(vals, hinted[k].ct_field));
	if (ct && !*ct)
		ct = NULL;
	int64_t year = form_number(r, ent, vals, "year");
	if (year < 1900) {
		char today[11];
		clock_today(today);
		year = atoi(today);
	}
	int64_t cost = form_number(r, ent, vals, hinted[k].cost);
	struct support_cap caps[CAPS_MAX];
	int n = caps_in_force(r->st, ct, "national", year, caps);
	page_printf(w, "<aside class=\"caps-hint card\" id=\"caps-hint\"><h2>%h</h2><ul>",
		    T(r, "caps.title"));
	hint_items(r, w, caps, n, cost, "caps.national_funds");
	if (!n)
		page_printf(w, "<li>%h</li>", T(r, "caps.none_national"));
	char prov[8];
	hint_province(r, ent, vals, prov);
	n = caps_local(r->st, ct, prov, year, caps);
	hint_items(r, w, caps, n, cost, "caps.local_funds_of");
	if (!n)
		page_printf(w, "<li>%h</li>",
			    T(r, prov[0] ? "caps.none_local" : "caps.local_funds"));
	page_printf(w, "</ul></aside>");
}
