/* page_home.c - the home page: who is signed in (the province by its name),
 * what waits for them (projects at a step, reports due, imports left at the
 * dry run, targets behind schedule) and the latest changes. */
#include "core/clock.h"
#include "model/import_upload.h"
#include "model/record.h"
#include "model/unit.h"
#include "stats/period.h"
#include "stats/targets.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/portal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statuses a project waits in for someone's next step (the others are ends). */
static const char *const waiting[] = {
	"draft",      "province_appraised", "ministry_appraised", "needs_supplement", "approved",
	"contracted", "advanced",	    "in_progress",	  "adjusted",	      "accepted"};

static int staff(const struct req *r)
{
	return r->actor.role != ROLE_ESTABLISHMENT;
}

static int writer(const struct req *r)
{
	return staff(r) && r->actor.role != ROLE_VIEWER;
}

static void welcome(struct req *r, struct resp *w)
{
	char role_key[32];
	snprintf(role_key, sizeof role_key, "role.%s", role_name(r->actor.role));
	page_printf(w, "<p id=\"welcome\">%h, <strong>%h</strong>. %h: %h", T(r, "home.welcome"),
		    r->session.user.display_name[0] ? r->session.user.display_name
						    : r->actor.username,
		    T(r, "home.role"), T(r, role_key));
	struct unit u;
	struct err e;
	if (r->actor.province[0]) {
		int found =
			unit_get_by_code(r->st, "new", "province", r->actor.province, &u, &e) == 0;
		page_printf(w, " · %h: <span id=\"home-province\">%h</span>", T(r, "home.province"),
			    found ? u.full_name : r->actor.province);
	}
	page_printf(w, "</p>");
}

/* One line per status with projects waiting in it, linked to their list. */
static int todo_projects(struct req *r, struct resp *w)
{
	const struct entity *ent = entity_find("projects");
	const struct field *status = entity_field(ent, "status");
	int lines = 0;
	for (size_t i = 0; i < sizeof waiting / sizeof *waiting; i++) {
		struct list_query q = {.nfilters = 1, .limit = 1};
		q.filter_names[0] = "status";
		q.filter_values[0] = waiting[i];
		json_t *items;
		int64_t n = 0;
		struct err e;
		if (record_list(r->st, &r->actor, ent, &q, &items, &n, &e) < 0)
			return lines;
		json_decref(items);
		if (!n)
			continue;
		char label[200];
		field_enum_label(status, waiting[i], r->lang, label, sizeof label);
		page_printf(
			w,
			"<li class=\"todo-projects\"><a href=\"/projects?status=%t\">%lld %h</a> "
			"%h <strong>%h</strong></li>",
			waiting[i], (long long)n, T(r, "home.projects_at"), T(r, "home.at_step"),
			label);
		lines++;
	}
	return lines;
}

/* The next due date of each reporting period (rules kept as data). */
static int todo_reports(struct req *r, struct resp *w)
{
	static const struct {
		const char *kind, *key;
	} kinds[] = {{"half_year", "home.report_half"}, {"year", "home.report_year"}};
	char today[11];
	clock_today_vn(today);
	int year = atoi(today), lines = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		struct period_rule pr;
		struct err e;
		if (period_rule_get(r->st, kinds[i].kind, &pr, &e) < 0 || !pr.due_month)
			continue;
		/* The period of year y ends on end_month/end_day of y; its report is
		 * due on the next due_month/due_day (of y, or of y + 1). */
		for (int y = year - 1; y <= year + 1; y++) {
			int dy = y + (pr.due_month * 100 + pr.due_day <
				      pr.end_month * 100 + pr.end_day);
			char due[11];
			snprintf(due, sizeof due, "%04d-%02d-%02d", dy, pr.due_month, pr.due_day);
			if (strcmp(due, today) < 0)
				continue;
			page_printf(w,
				    "<li class=\"todo-report\"><a href=\"/reports\">%h %d</a>: %h "
				    "<strong>%02d/%02d/%04d</strong></li>",
				    T(r, kinds[i].key), y, T(r, "home.due"), pr.due_day,
				    pr.due_month, dy);
			lines++;
			break;
		}
	}
	return lines;
}

static int todo_imports(struct req *r, struct resp *w)
{
	int64_t n;
	struct err e;
	if (import_left(r->st, r->actor.user_id, &n, &e) < 0 || !n)
		return 0;
	page_printf(w, "<li class=\"todo-import\"><a href=\"/import\">%lld %h</a></li>",
		    (long long)n, T(r, "home.imports_left"));
	return 1;
}

/* Targets of this year's programmes behind the time elapsed. */
static int todo_targets(struct req *r, struct resp *w)
{
	char today[11];
	clock_today_vn(today);
	int year = atoi(today), lines = 0;
	json_t *items;
	struct err e;
	if (targets_progress_in(r->st, &r->actor, 0,
				r->actor.province[0] ? r->actor.province : NULL, year, year, today,
				&items, &e) < 0)
		return 0;
	size_t i;
	json_t *t;
	json_array_foreach(items, i, t)
	{
		const char *status = json_string_value(json_object_get(t, "status"));
		if (!status || strcmp(status, "behind") || lines >= 5)
			continue;
		const char *desc = json_string_value(json_object_get(t, "description"));
		page_printf(w,
			    "<li class=\"todo-target\">%h <a href=\"/programmes/%lld\">%h</a>: %h "
			    "(%h %h, %h %lld%%)</li>",
			    T(r, "home.target_behind"),
			    (long long)json_integer_value(json_object_get(t, "programme_id")),
			    json_string_value(json_object_get(t, "programme")),
			    desc ? desc : json_string_value(json_object_get(t, "indicator")),
			    T(r, "home.target"), json_string_value(json_object_get(t, "target")),
			    T(r, "home.reached"),
			    (long long)json_integer_value(json_object_get(t, "progress")) / 10);
		lines++;
	}
	json_decref(items);
	return lines;
}

void h_home(struct req *r, struct resp *w)
{
	if (r->actor.role == ROLE_ESTABLISHMENT) {
		portal_home(r, w); /* the establishment's own home page */
		return;
	}
	page_begin(r, w, "home.title");
	welcome(r, w);
	page_printf(w,
		    "<section aria-labelledby=\"todo-title\"><h2 id=\"todo-title\">%h</h2>"
		    "<ul class=\"todo\" id=\"todo\">",
		    T(r, "home.todo"));
	int lines = 0;
	if (writer(r))
		lines += todo_projects(r, w);
	lines += chain_home_todo(r, w);
	/* A province officer's reports due are the chain's lines above, with
	 * their status: the due dates again would list each report twice. */
	if (staff(r) && r->actor.role != ROLE_PROVINCE)
		lines += todo_reports(r, w);
	if (r->actor.role != ROLE_VIEWER)
		lines += todo_imports(r, w);
	if (staff(r))
		lines += todo_targets(r, w);
	if (!lines)
		page_printf(w, "<li>%h</li>", T(r, "home.nothing"));
	page_printf(w,
		    "</ul></section><section aria-labelledby=\"recent-title\"><h2 "
		    "id=\"recent-title\">%h</h2>",
		    T(r, actor_is_admin(&r->actor) ? "home.recent_all" : "home.recent_own"));
	audit_recent(r, w, 8);
	page_printf(w, "</section>");
	page_end(r, w);
}
