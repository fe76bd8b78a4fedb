/* page_nav.c - the menu of every page: one table of items, each with its group
 * and the roles that see it, rendered as a few top-level entries whose groups
 * open as <details> (no JavaScript), and a skip link to the content. */
#include "web/page.h"

#include "model/entity.h"

#include <stdlib.h>
#include <string.h>

#define R(x) (1u << ROLE_##x)
#define R_ALL (R(ADMIN) | R(MINISTRY) | R(PROVINCE) | R(ESTABLISHMENT) | R(VIEWER))
#define R_STAFF (R(ADMIN) | R(MINISTRY) | R(PROVINCE) | R(VIEWER))
#define R_WRITERS (R(ADMIN) | R(MINISTRY) | R(PROVINCE) | R(ESTABLISHMENT))

/* The menu. group is a catalogue key ("" for a top-level link); items of one
 * group are adjacent, in the order shown. text is a catalogue key, or NULL
 * for the plural name of the record type at href. hint says, under the item,
 * what sets it apart from its neighbours. roles: a bit per enum role that
 * sees it - only items a role can use, never one that answers "outside your
 * scope" (tests/http/nav.test.mjs follows every item of every role). */
static const struct nav_item {
	const char *group, *href, *text, *hint;
	unsigned roles;
} nav_items[] = {
	{"", "/", "nav.home", NULL, R_ALL},
	{"nav.g.records", "/programmes", "nav.programmes", NULL, R_STAFF},
	{"nav.g.records", "/plans", NULL, NULL, R_STAFF},
	{"nav.g.records", "/projects", "nav.projects", NULL, R_ALL},
	{"nav.g.records", "/establishments", "nav.establishments", NULL, R_ALL},
	{"nav.g.records", "/villages", "nav.villages", NULL, R_STAFF},
	{"nav.g.records", "/proposals", NULL, NULL, R_ALL},
	{"nav.g.records", "/outcomes", "outcomes.title", NULL, R_ALL},
	{"nav.g.records", "/consultants", "nav.consultants", NULL, R_STAFF},
	{"nav.g.records", "/support-caps", NULL, NULL, R_STAFF},
	{"nav.g.results", "/results", "nav.results", "nav.hint.results", R_STAFF},
	{"nav.g.results", "/training-classes", NULL, NULL, R_STAFF},
	{"nav.g.results", "/demo-models", NULL, NULL, R_ALL},
	{"nav.g.results", "/machinery", NULL, NULL, R_ALL},
	{"nav.g.results", "/trade-fairs", NULL, NULL, R_STAFF},
	{"nav.g.results", "/awards", NULL, NULL, R_ALL},
	{"nav.g.results", "/other-support", NULL, NULL, R_ALL},
	{"nav.g.stats", "/dashboard", "nav.dashboard", "nav.hint.dashboard", R_STAFF},
	{"nav.g.stats", "/stats", "nav.stats", "nav.hint.stats", R_STAFF},
	{"nav.g.stats", "/reports", "nav.reports", "nav.hint.reports", R_STAFF},
	{"nav.g.stats", "/submissions", "chain.title", "nav.hint.submissions", R_STAFF},
	{"nav.g.stats", "/reporting-status", "chain.who_title", "nav.hint.reporting_status", R_STAFF},
	{"nav.g.stats", "/figures", "nav.figures", "nav.hint.figures", R_STAFF},
	{"nav.g.stats", "/import", "nav.import", "nav.hint.import", R_WRITERS},
	{"nav.g.products", "/products", "nav.products", NULL, R_ALL},
	{"nav.g.products", "/lots", NULL, NULL, R_ALL},
	{"nav.g.admin", "/admin/users", "nav.users", NULL, R(ADMIN)},
	{"nav.g.admin", "/admin/audit", "nav.audit", NULL, R(ADMIN)},
	{"nav.g.admin", "/admin/reporting-periods", "nav.periods", NULL, R(ADMIN)},
	{"nav.g.admin", "/reports/settings", "nav.report_settings", NULL, R(ADMIN) | R(PROVINCE)},
};
enum { NAV_N = sizeof nav_items / sizeof nav_items[0] };

static int nav_sees(const struct req *r, const struct nav_item *it)
{
	return (it->roles >> r->actor.role) & 1u;
}

/* How much of the path href covers: "/" only itself, others their subtree. */
static size_t nav_match(const struct req *r, const char *href)
{
	if (!strcmp(href, "/"))
		return !strcmp(r->path, "/");
	size_t n = strlen(href);
	return !strncmp(r->path, href, n) && (r->path[n] == 0 || r->path[n] == '/') ? n : 0;
}

/* The item of this page: the one whose href covers most of the path. */
static const struct nav_item *nav_here(const struct req *r)
{
	const struct nav_item *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; i < NAV_N; i++) {
		size_t n = nav_sees(r, &nav_items[i]) ? nav_match(r, nav_items[i].href) : 0;
		if (n > best_n) {
			best = &nav_items[i];
			best_n = n;
		}
	}
	return best;
}

static const char *nav_text(const struct req *r, const struct nav_item *it)
{
	if (it->text)
		return T(r, it->text);
	const struct entity *ent = entity_find(it->href + 1);
	return ent ? page_pick(r, ent->plural_vi, ent->plural_en) : it->href;
}

static void nav_link(struct req *r, struct resp *w, const struct nav_item *it, int here)
{
	page_printf(w, "<li><a href=\"%h\"", it->href);
	if (here)
		page_printf(w, " aria-current=\"page\"");
	page_printf(w, ">%h</a>", nav_text(r, it));
	if (it->hint)
		page_printf(w, "<small>%h</small>", T(r, it->hint));
	page_printf(w, "</li>");
}

/* One group from item *i on, as a disclosure; *i is left on its last item.
 * The summary names the current item too, so it shows with the group closed. */
static void nav_group(struct req *r, struct resp *w, size_t *i, const struct nav_item *here)
{
	const char *group = nav_items[*i].group;
	size_t end = *i;
	int has_here = 0, any = 0;
	for (; end < NAV_N && !strcmp(nav_items[end].group, group); end++) {
		any |= nav_sees(r, &nav_items[end]);
		has_here |= &nav_items[end] == here;
	}
	if (any) {
		page_printf(w, "<li class=\"nav-group%h\"><details name=\"nav\"><summary>%h",
			    has_here ? " here" : "", T(r, group));
		if (has_here)
			page_printf(w, "<span class=\"nav-here\">: %h</span>", nav_text(r, here));
		page_printf(w, "</summary><ul>");
		for (size_t k = *i; k < end; k++)
			if (nav_sees(r, &nav_items[k]))
				nav_link(r, w, &nav_items[k], &nav_items[k] == here);
		page_printf(w, "</ul></details></li>");
	}
	*i = end - 1;
}

static void nav_render(struct req *r, struct resp *w, const struct nav_item *here)
{
	page_printf(w, "<nav class=\"nav\" aria-label=\"%h\"><ul class=\"nav-top\">",
		    T(r, "nav.menu"));
	for (size_t i = 0; i < NAV_N; i++) {
		if (!*nav_items[i].group) {
			if (nav_sees(r, &nav_items[i]))
				nav_link(r, w, &nav_items[i], &nav_items[i] == here);
			continue;
		}
		nav_group(r, w, &i, here);
	}
	page_printf(w, "</ul></nav>");
}

/* The menu depends only on the reader's language, role and page (here), all
 * from the constant table: each is written once for the process and kept
 * (at most 2 x ROLE_COUNT x (NAV_N + 1) texts of a few KB, never freed),
 * not formatted again for every page (a twelfth of a record page's time).
 * Threads that write the same one at once keep the first. */
static char *rendered[2][ROLE_COUNT][NAV_N + 1];

void page_nav(struct req *r, struct resp *w)
{
	const struct nav_item *here = nav_here(r);
	unsigned role = (unsigned)r->actor.role;
	if (role >= ROLE_COUNT) {
		nav_render(r, w, here);
		return;
	}
	char **slot = &rendered[!strcmp(r->lang, "en")][role][here ? here - nav_items + 1 : 0];
	char *text = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
	if (!text) {
		struct resp made = {0};
		nav_render(r, &made, here);
		text = buf_detach(&made.body);
		char *none = NULL;
		if (!__atomic_compare_exchange_n(slot, &none, text, 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE)) {
			free(text);
			text = none;
		}
	}
	buf_puts(&w->body, text);
}

void page_skip_link(struct req *r, struct resp *w)
{
	page_printf(w, "<a class=\"skip\" href=\"#main\">%h</a>", T(r, "nav.skip"));
}
