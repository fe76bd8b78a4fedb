/* page_admin.c - account administration, the audit trail and "my account". */
#include "model/audit.h"
#include "store/restore.h"
#include "web/handlers.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

/* After a form post: back to page saying it was saved, or page again with e. */
static void back_to(struct req *r, struct resp *w, const char *page, const struct err *e,
                    void (*again)(struct req *, struct resp *))
{
	if (e) {
		page_rerender(r, w, e, again);
		return;
	}
	struct buf loc = BUF_INIT;
	buf_printf(&loc, "%s?done=saved", page);
	reply_redirect(r, w, arena_strdup(r->arena, buf_cstr(&loc)));
	buf_free(&loc);
}

static void user_row(struct req *r, struct resp *w, json_t *u)
{
	const char *name = json_string_value(json_object_get(u, "username"));
	int disabled = json_is_true(json_object_get(u, "disabled"));
	char role_key[32];
	snprintf(role_key, sizeof role_key, "role.%s",
	         json_string_value(json_object_get(u, "role")));
	json_t *prov = json_object_get(u, "province");
	page_printf(w, "<tr><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>%h</td><td>", name,
	            json_string_value(json_object_get(u, "display_name")), T(r, role_key),
	            json_is_string(prov) ? json_string_value(prov) : "",
	            T(r, disabled ? "users.disabled" : "users.active"));
	page_printf(w, "<form method=\"post\" action=\"/admin/users/%t\" class=\"inline\">", name);
	page_csrf(r, w);
	page_printf(w, "<input type=\"hidden\" name=\"disabled\" value=\"%h\">"
	               "<button type=\"submit\">%h</button></form>",
	            disabled ? "0" : "1", T(r, disabled ? "users.enable" : "users.disable"));
	page_printf(w, "<form method=\"post\" action=\"/admin/users/%t\" class=\"inline\">", name);
	page_csrf(r, w);
	page_printf(w, "<input name=\"password\" type=\"password\" minlength=\"10\" required "
	               "aria-label=\"%h\" autocomplete=\"new-password\">"
	               "<button type=\"submit\">%h</button></form></td></tr>",
	            T(r, "users.password"), T(r, "users.set_password"));
}

static void user_form(struct req *r, struct resp *w)
{
	page_printf(w, "<h2>%h</h2><form method=\"post\" action=\"/admin/users\" class=\"card\" "
	               "id=\"user-create\">",
	            T(r, "users.create"));
	page_csrf(r, w);
	page_printf(w,
	            "<label>%h<input name=\"username\" required pattern=\"[a-z0-9._\\-]{3,64}\">"
	            "</label><label>%h<input name=\"display_name\"></label><label>%h<select "
	            "name=\"role\">",
	            T(r, "users.username"), T(r, "users.display_name"), T(r, "users.role"));
	for (int i = 0; i < ROLE_COUNT; i++) {
		char key[32];
		snprintf(key, sizeof key, "role.%s", role_name((enum role)i));
		page_printf(w, "<option value=\"%h\">%h</option>", role_name((enum role)i), T(r, key));
	}
	page_printf(w,
	            "</select></label><label>%h<input name=\"province\" inputmode=\"numeric\" "
	            "maxlength=\"2\"></label><label>%h<input name=\"establishment_id\" "
	            "inputmode=\"numeric\"></label><label>%h<input name=\"password\" "
	            "type=\"password\" minlength=\"10\" required autocomplete=\"new-password\">"
	            "</label><button type=\"submit\">%h</button></form>",
	            T(r, "users.province"), T(r, "users.establishment"), T(r, "users.password"),
	            T(r, "users.create"));
}

void h_users_page(struct req *r, struct resp *w)
{
	struct err e;
	json_t *rows;
	if (user_list(r->st, &r->actor, &rows, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	page_begin(r, w, "users.title");
	page_flash(r, w);
	char last[64];
	if (store_last_backup(r->st, last, sizeof last, NULL) == 0)
		page_printf(w, "<p class=\"muted\" id=\"last-backup\">%h: %h</p>",
		            page_message(r, "Lần sao lưu gần nhất / Last backup"),
		            last[0] ? last : page_message(r, "chưa có (khuyencong backup) / never"));
	page_printf(w, "<div class=\"scroll\"><table id=\"users\"><thead><tr><th>%h</th><th>%h</th>"
	               "<th>%h</th><th>%h</th><th>%h</th><th></th></tr></thead><tbody>",
	            T(r, "users.username"), T(r, "users.display_name"), T(r, "users.role"),
	            T(r, "users.province"), T(r, "users.status"));
	size_t i;
	json_t *u;
	json_array_foreach(rows, i, u) user_row(r, w, u);
	page_printf(w, "</tbody></table></div>");
	json_decref(rows);
	user_form(r, w);
	page_end(r, w);
}

void h_users_post(struct req *r, struct resp *w)
{
	struct user_input in = {
		.username = req_form(r, "username"),
		.display_name = req_form(r, "display_name"),
		.role = req_form(r, "role"),
		.province = req_form(r, "province"),
	};
	struct err e;
	err_clear(&e);
	const char *est = req_form(r, "establishment_id");
	if (est && *est) {
		char *end;
		in.establishment_id = strtoll(est, &end, 10);
		if (*end)
			in.establishment_id = -1;
	}
	int64_t id;
	if (user_add(r->st, &r->actor, &in, req_form(r, "password"), &id, &e) < 0) {
		back_to(r, w, "/admin/users", &e, h_users_page);
		return;
	}
	back_to(r, w, "/admin/users", NULL, h_users_page);
}

void h_user_post(struct req *r, struct resp *w)
{
	struct err e;
	err_clear(&e);
	int rc = 0;
	const char *pw = req_form(r, "password"), *dis = req_form(r, "disabled");
	if (pw)
		rc = user_set_password(r->st, &r->actor, r->params[0], pw, &e);
	if (rc == 0 && dis)
		rc = user_set_disabled(r->st, &r->actor, r->params[0], !strcmp(dis, "1"), &e);
	back_to(r, w, "/admin/users", rc < 0 ? &e : NULL, h_users_page);
}

void h_account_page(struct req *r, struct resp *w)
{
	page_begin(r, w, "account.title");
	page_flash(r, w);
	page_printf(w, "<p>%h: <strong>%h</strong></p>", T(r, "users.username"), r->actor.username);
	page_printf(w, "<form method=\"post\" action=\"/account\" class=\"card narrow\">");
	page_csrf(r, w);
	page_printf(w, "<label>%h<input name=\"current_password\" type=\"password\" required "
	               "autocomplete=\"current-password\"></label>",
	            T(r, "account.current_password"));
	page_printf(w, "<label>%h<input name=\"password\" type=\"password\" minlength=\"10\" required "
	               "autocomplete=\"new-password\"></label><button type=\"submit\">%h</button>"
	               "</form>",
	            T(r, "account.new_password"), T(r, "users.set_password"));
	page_end(r, w);
}

void h_account_post(struct req *r, struct resp *w)
{
	struct err e;
	err_clear(&e);
	int rc = user_change_own_password(r->st, &r->actor, req_form(r, "current_password"),
	                                  req_form(r, "password"), &e);
	back_to(r, w, "/account", rc < 0 ? &e : NULL, h_account_page);
}
