/* api_admin.c - accounts and the audit trail through the JSON API. */
#include "model/audit.h"
#include "web/handlers.h"
#include "web/params.h"

#include <string.h>

void h_api_users_list(struct req *r, struct resp *w)
{
	struct err e;
	json_t *rows;
	if (user_list(r->st, &r->actor, &rows, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o,s:I}", "items", rows, "total",
	                             (json_int_t)json_array_size(rows)));
}

void h_api_users_create(struct req *r, struct resp *w)
{
	struct user_input in = {0};
	const char *password;
	if (json_str_or_reply(r, w, "username", &in.username) < 0 ||
	    json_str_or_reply(r, w, "display_name", &in.display_name) < 0 ||
	    json_str_or_reply(r, w, "role", &in.role) < 0 ||
	    json_str_or_reply(r, w, "province", &in.province) < 0 ||
	    json_int_or_reply(r, w, "establishment_id", 0, &in.establishment_id) < 0 ||
	    json_str_or_reply(r, w, "password", &password) < 0)
		return;
	struct err e;
	int64_t id;
	if (user_add(r->st, &r->actor, &in, password, &id, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	struct user u;
	if (user_get(r->st, id, &u, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 201, user_json(&u));
}

void h_api_user_update(struct req *r, struct resp *w)
{
	const char *name = r->params[0], *password, *current, *lang;
	int disabled;
	if (json_str_or_reply(r, w, "password", &password) < 0 ||
	    json_str_or_reply(r, w, "current_password", &current) < 0 ||
	    json_bool_or_reply(r, w, "disabled", &disabled) < 0 ||
	    json_str_or_reply(r, w, "lang", &lang) < 0)
		return;
	struct err e;
	err_clear(&e);
	int rc = 0;
	if (password && !strcmp(name, r->actor.username))
		rc = user_change_own_password(r->st, &r->actor, current, password, &e);
	else if (password)
		rc = user_set_password(r->st, &r->actor, name, password, &e);
	if (rc == 0 && disabled >= 0)
		rc = user_set_disabled(r->st, &r->actor, name, disabled, &e);
	if (rc == 0 && lang) {
		if (strcmp(name, r->actor.username))
			rc = err_set(&e, ERR_FORBIDDEN, "lang", "Chỉ đổi ngôn ngữ của mình / own account only");
		else
			rc = user_set_lang(r->st, &r->actor, lang, &e);
	}
	struct user u;
	if (rc == 0)
		rc = user_get_by_name(r->st, name, &u, &e);
	if (rc < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, user_json(&u));
}

int audit_filter_or_reply(struct req *r, struct resp *w, struct audit_filter *f, int64_t *page)
{
	memset(f, 0, sizeof *f);
	int64_t per_page;
	if (query_param_or_reply(r, w, "page", page) < 0 ||
	    query_param_or_reply(r, w, "per_page", &per_page) < 0)
		return -1;
	const char *keys[] = {"entity", "entity_id", "username", "action", "from", "to"};
	const char **slots[] = {&f->entity, &f->entity_id, &f->username,
	                        &f->action, &f->from,      &f->to};
	for (size_t i = 0; i < 6; i++) {
		const char *v = req_query(r, keys[i]);
		*slots[i] = v && *v ? v : NULL;
	}
	f->limit = per_page;
	f->offset = (*page - 1) * per_page;
	return 0;
}

void h_api_audit_list(struct req *r, struct resp *w)
{
	struct audit_filter f;
	int64_t page, total;
	if (audit_filter_or_reply(r, w, &f, &page) < 0)
		return;
	struct err e;
	json_t *rows;
	if (audit_list(r->st, &r->actor, &f, &rows, &total, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	reply_json(w, 200, json_pack("{s:o,s:I,s:I,s:I}", "items", rows, "total", (json_int_t)total,
	                             "page", (json_int_t)page, "per_page", (json_int_t)f.limit));
}
