/* proposal_thread.c - the messages of a proposal and the notices they send. */
#include "model/proposal_thread.h"

#include "core/clock.h"
#include "core/vtext.h"
#include "model/audit.h"
#include "model/notify.h"
#include "model/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void proposal_reference(int64_t id, int year, char out[32])
{
	snprintf(out, 32, "ĐX-%04d-%04lld", year, (long long)id);
}

static const char *side_of(const struct actor *a)
{
	return a->role == ROLE_ESTABLISHMENT ? "establishment" : "department";
}

static int insert_message(struct store *st, const struct actor *a, int64_t id, const char *status,
			  const char *body, struct err *e)
{
	char now[21];
	clock_iso(clock_now(), now);
	int rc = store_run(st, e,
			   "INSERT INTO proposal_messages(proposal_id, created_at, username, side,"
			   " status, body) VALUES (?, ?, ?, ?, ?, ?)",
			   "ittttt", id, now, a->username, side_of(a), status, body ? body : "");
	if (rc < 0)
		return rc;
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)store_last_id(st));
	json_t *after = json_pack("{s:I,s:s,s:s?,s:s}", "proposal_id", (json_int_t)id, "side",
				  side_of(a), "status", status, "body", body ? body : "");
	rc = audit_append(st, a, "proposal-messages", idtext, "create", NULL, after, e);
	json_decref(after);
	return rc;
}

/* A notice to the side that did not act: the establishment's accounts, or
 * the staff of the proposal's province. */
static int notify_other(struct store *st, const struct actor *a, json_t *p, const char *message,
			struct err *e)
{
	char link[48];
	snprintf(link, sizeof link, "/proposals/%lld",
		 (long long)json_integer_value(json_object_get(p, "id")));
	if (a->role == ROLE_ESTABLISHMENT)
		return notify_province(st, json_string_value(json_object_get(p, "province_code")),
				       message, link, e);
	return notify_establishment(st, json_integer_value(json_object_get(p, "establishment_id")),
				    message, link, e);
}

static const char *ref_or_title(json_t *p)
{
	const char *ref = json_string_value(json_object_get(p, "reference"));
	return ref ? ref : json_string_value(json_object_get(p, "title"));
}

int proposal_thread_moved(struct store *st, const struct actor *a, json_t *p, const char *to,
			  const char *note, struct err *e)
{
	const struct entity *proposals = entity_find("proposals");
	int64_t id = json_integer_value(json_object_get(p, "id"));
	int rc = insert_message(st, a, id, to, note, e);
	char ref[32] = "";
	if (rc == 0 && !strcmp(to, "submitted") &&
	    !json_string_value(json_object_get(p, "reference"))) {
		char today[11];
		clock_today_vn(today);
		proposal_reference(id, atoi(today), ref);
		json_t *v = json_string(ref);
		rc = record_set_system(st, a, proposals, id, "reference", v, "submit", e);
		json_decref(v);
		v = json_string(today);
		if (rc == 0)
			rc = record_set_system(st, a, proposals, id, "submitted_on", v, "submit",
					       e);
		json_decref(v);
	}
	if (rc < 0)
		return rc;
	char label_vi[80], label_en[80], msg[400];
	const struct field *sf = entity_field(proposals, "status");
	field_enum_label(sf, to, "vi", label_vi, sizeof label_vi);
	field_enum_label(sf, to, "en", label_en, sizeof label_en);
	const char *name = ref[0] ? ref : ref_or_title(p);
	snprintf(msg, sizeof msg, "Đề xuất %s: %s / Proposal %s: %s", name ? name : "", label_vi,
		 name ? name : "", label_en);
	return notify_other(st, a, p, msg, e);
}

int proposal_message_add(struct store *st, const struct actor *a, int64_t id, const char *body,
			 struct err *e)
{
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "",
			       "Tài khoản xem không được ghi / viewers cannot write");
	char *text = body ? vtext_normalize(body, "body", e) : NULL;
	if (body && !text)
		return ERR_INVALID;
	const char *t = text ? text : ""; /* trimmed by vtext_normalize() */
	int rc = 0;
	size_t chars = 0;
	for (const unsigned char *c = (const unsigned char *)t; *c; c++)
		chars += (*c & 0xC0) != 0x80;
	if (!*t)
		rc = err_set(e, ERR_INVALID, "body",
			     "Hãy viết nội dung ý kiến / write the message");
	else if (chars > PROPOSAL_MESSAGE_MAX)
		rc = err_set(e, ERR_TOOBIG, "body",
			     "Ý kiến dài quá %d ký tự / the message is longer than %d characters",
			     PROPOSAL_MESSAGE_MAX, PROPOSAL_MESSAGE_MAX);
	json_t *p = NULL;
	if (rc == 0)
		rc = store_begin(st, e);
	if (rc < 0) {
		free(text);
		return rc;
	}
	rc = record_get(st, a, entity_find("proposals"), id, &p, e);
	if (rc == 0)
		rc = insert_message(st, a, id, NULL, t, e);
	if (rc == 0) {
		char msg[400];
		const char *name = ref_or_title(p);
		snprintf(msg, sizeof msg, "Ý kiến mới về đề xuất %s / New message on proposal %s",
			 name ? name : "", name ? name : "");
		rc = notify_other(st, a, p, msg, e);
	}
	json_decref(p);
	free(text);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int proposal_readable(struct store *st, const struct actor *a, int64_t id, struct err *e)
{
	json_t *p = NULL;
	int rc = record_get(st, a, entity_find("proposals"), id, &p, e);
	json_decref(p);
	return rc < 0 ? rc : 0;
}

int proposal_messages(struct store *st, const struct actor *a, int64_t id, json_t **out,
		      struct err *e)
{
	int rc = proposal_readable(st, a, id, e);
	if (rc < 0)
		return rc;
	struct stmt *s = store_prepare(st,
				       "SELECT id, created_at, username, side, status, body FROM"
				       " proposal_messages WHERE proposal_id = ? ORDER BY id",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	*out = json_array();
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(*out, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s}", "id",
						      (json_int_t)stmt_int(s, 0), "created_at",
						      stmt_text(s, 1), "username", stmt_text(s, 2),
						      "side", stmt_text(s, 3), "status",
						      stmt_text(s, 4), "body", stmt_text(s, 5)));
	stmt_done(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}
