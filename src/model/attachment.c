/* attachment.c - files attached to records and periodic reports, binary in
 * the database, checked by content, audited as their parent's. */
#include "model/attachment.h"

#include "core/clock.h"
#include "core/mem.h"
#include "core/vtext.h"
#include "model/audit.h"
#include "model/chain_lock.h"
#include "model/entity.h"
#include "model/record.h"
#include "stats/submission.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const parents[] = {"projects", "plans", "establishments", "submissions",
				      "outcome-reports"};

int attachment_parent_known(const char *parent)
{
	for (size_t i = 0; i < sizeof parents / sizeof *parents; i++)
		if (parent && !strcmp(parent, parents[i]))
			return 1;
	return 0;
}

int attachment_sniff(const unsigned char *d, size_t n, const char **type, struct err *e)
{
	*type = NULL;
	if (n >= 8 && !memcmp(d, "%PDF-", 5))
		*type = "application/pdf";
	else if (n >= 8 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8))
		*type = "image/png";
	else if (n >= 4 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		*type = "image/jpeg";
	else if (n >= 4 && !memcmp(d, "PK\x03\x04", 4))
		return attachment_sniff_zip(d, n, type, e);
	if (*type)
		return 0;
	return err_set(
		e, ERR_INVALID, "file",
		"Chỉ nhận tệp PDF, ảnh PNG, JPEG hoặc văn bản ODF/OOXML (.odt, .ods, "
		".docx, .xlsx, .pptx); loại tệp đọc từ nội dung, không từ tên / only PDF "
		"files, PNG or JPEG images and ODF/OOXML documents are accepted; the type is "
		"read from the content, not the name");
}

const char *attachment_ext(const char *type)
{
	static const struct {
		const char *type, *ext;
	} exts[] = {
		{"application/pdf", ".pdf"},
		{"image/png", ".png"},
		{"image/jpeg", ".jpg"},
		{"image/webp", ".webp"},
		{"application/vnd.oasis.opendocument.text", ".odt"},
		{"application/vnd.oasis.opendocument.spreadsheet", ".ods"},
		{"application/vnd.oasis.opendocument.presentation", ".odp"},
		{"application/vnd.oasis.opendocument.graphics", ".odg"},
		{"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		 ".docx"},
		{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
		{"application/vnd.openxmlformats-officedocument.presentationml.presentation",
		 ".pptx"},
	};
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
		if (!strcmp(type, exts[i].type))
			return exts[i].ext;
	return ".bin";
}

void attachment_clean_name(const char *sent, char out[256])
{
	char *n = vtext_normalize(sent ? sent : "", "file", NULL);
	const char *base = n ? n : "";
	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	size_t len = strlen(base);
	if (len > 200) {
		len = 200;
		while (len > 0 && ((unsigned char)base[len] & 0xC0) == 0x80)
			len--;
	}
	snprintf(out, 256, "%.*s", (int)len, len ? base : "tep");
	free(n);
}

static int unknown_parent(struct err *e)
{
	return err_set(e, ERR_NOTFOUND, "collection",
		       "Không đính kèm tệp vào loại này / files do not attach to this collection");
}

/* May a read parent/id? Its scope, as reading it. */
static int readable(struct store *st, const struct actor *a, const char *parent, int64_t id,
		    struct err *e)
{
	if (!attachment_parent_known(parent))
		return unknown_parent(e);
	json_t *rec = NULL;
	int rc = !strcmp(parent, "submissions")
			 ? submission_get(st, a, id, &rec, e)
			 : record_get(st, a, entity_find(parent), id, &rec, e);
	json_decref(rec);
	return rc;
}

static int submission_writable(struct store *st, const struct actor *a, int64_t id, struct err *e)
{
	json_t *sub = NULL;
	int rc = submission_get(st, a, id, &sub, e);
	const char *prov = json_string_value(json_object_get(sub, "province"));
	const char *status = json_string_value(json_object_get(sub, "status"));
	if (rc == 0 && !(a->role == ROLE_ADMIN ||
			 (a->role == ROLE_PROVINCE && prov && !strcmp(prov, a->province))))
		rc = err_set(e, ERR_FORBIDDEN, "file",
			     "Chỉ cán bộ của tỉnh đính kèm công văn vào báo cáo của tỉnh / only "
			     "the province's officers attach the letter to its report");
	if (rc == 0 && status && strcmp(status, "draft") && strcmp(status, "returned"))
		rc = err_set(
			e, ERR_CONFLICT, "file",
			"Báo cáo %s đã gửi (%s): chỉ đính kèm khi còn là bản nháp hoặc bị trả "
			"lại / report %s has been sent (%s): files are attached to a draft or a "
			"returned report",
			json_string_value(json_object_get(sub, "number")), status,
			json_string_value(json_object_get(sub, "number")), status);
	json_decref(sub);
	return rc;
}

/* May a attach to parent/id? As changing it: role, scope, locked periods. */
static int writable(struct store *st, const struct actor *a, const char *parent, int64_t id,
		    struct err *e)
{
	if (!attachment_parent_known(parent))
		return unknown_parent(e);
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "",
			       "Tài khoản xem không được ghi / viewers cannot write");
	if (!strcmp(parent, "submissions"))
		return submission_writable(st, a, id, e);
	const struct entity *ent = entity_find(parent);
	json_t *rec = NULL;
	int rc = record_get(st, a, ent, id, &rec, e);
	if (rc == 0)
		rc = record_check_write(st, a, ent, id, e);
	if (rc == 0 && ent->may_change) /* an outcome report once sent: 409 */
		rc = ent->may_change(a, rec, e);
	if (rc == 0)
		rc = chain_lock_check_state(
			st, ent, json_string_value(json_object_get(rec, "province_code")), rec, e);
	json_decref(rec);
	return rc;
}

static int too_big(struct err *e)
{
	return err_set(e, ERR_TOOBIG, "file",
		       "Tệp quá lớn (tối đa %d MB) / the file is too large (%d MB at most)",
		       ATTACHMENT_MAX_BYTES >> 20, ATTACHMENT_MAX_BYTES >> 20);
}

/* Who sent a file and when: the actor now, or as kept by an export. */
struct sent {
	const char *at, *by;
};

static int insert(struct store *st, const struct actor *a, const char *parent, int64_t pid,
		  const char *name, const char *type, const unsigned char *data, size_t n,
		  const struct sent *sent, int64_t *id, struct err *e)
{
	char now[21], sha[65];
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(sha, sizeof sha, h, sizeof h);
	clock_iso(clock_now(), now);
	const char *at = sent ? sent->at : now, *by = sent ? sent->by : a->username;
	struct stmt *s =
		store_prepare(st,
			      "INSERT INTO attachments(parent, parent_id, name, content_type,"
			      " bytes, sha256, created_at, username, data)"
			      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "tittitt", parent, pid, name, type, (int64_t)n, sha, at);
	stmt_bind_text(s, 8, by);
	stmt_bind_blob(s, 9, data, n);
	int rc = stmt_step(s, e);
	stmt_done(s);
	if (rc < 0)
		return rc;
	*id = store_last_id(st);
	char pidtext[24];
	snprintf(pidtext, sizeof pidtext, "%lld", (long long)pid);
	json_t *after =
		json_pack("{s:{s:I,s:s,s:s,s:I,s:s}}", "attachment", "id", (json_int_t)*id, "name",
			  name, "content_type", type, "bytes", (json_int_t)n, "sha256", sha);
	rc = audit_append(st, a, parent, pidtext, "attach", NULL, after, e);
	json_decref(after);
	return rc;
}

int attachment_add(struct store *st, const struct actor *a, const char *parent, int64_t parent_id,
		   const char *name, const unsigned char *data, size_t n, int64_t *id,
		   struct err *e)
{
	char clean[256];
	attachment_clean_name(name, clean);
	const char *type = NULL;
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	char key[64];
	snprintf(key, sizeof key, "attach:%s:%lld", parent, (long long)parent_id);
	rc = store_lock_key(st, key, e);
	if (rc == 0)
		rc = writable(st, a, parent, parent_id, e);
	if (rc == 0 && n > ATTACHMENT_MAX_BYTES)
		rc = too_big(e);
	if (rc == 0)
		rc = attachment_sniff(data, n, &type, e);
	int64_t count = 0;
	if (rc == 0)
		rc = store_int(
			st, e, &count,
			"SELECT COUNT(*) FROM attachments WHERE parent = ? AND parent_id = ? AND"
			" removed_at IS NULL",
			"ti", parent, parent_id);
	if (rc >= 0 && count >= ATTACHMENTS_MAX)
		rc = err_set(e, ERR_TOOBIG, "file",
			     "Mỗi hồ sơ có tối đa %d tệp đính kèm / a record has at most %d files",
			     ATTACHMENTS_MAX, ATTACHMENTS_MAX);
	if (rc >= 0)
		rc = insert(st, a, parent, parent_id, clean, type, data, n, NULL, id, e);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int attachment_restore(struct store *st, const struct actor *a, const char *parent,
		       int64_t parent_id, const char *name, const char *created_at,
		       const char *username, const unsigned char *data, size_t n, int64_t *id,
		       struct err *e)
{
	if (a->role != ROLE_ADMIN)
		return err_set(e, ERR_FORBIDDEN, "", "only an administrator rebuilds");
	if (!attachment_parent_known(parent) || !strcmp(parent, "submissions"))
		return unknown_parent(e);
	char clean[256];
	attachment_clean_name(name, clean);
	const char *type = NULL;
	int rc = n > ATTACHMENT_MAX_BYTES ? too_big(e) : attachment_sniff(data, n, &type, e);
	struct sent sent = {created_at ? created_at : "", username ? username : ""};
	return rc < 0 ? rc : insert(st, a, parent, parent_id, clean, type, data, n, &sent, id, e);
}

int attachment_put(struct store *st, const struct actor *a, const char *parent, int64_t parent_id,
		   const char *name, const char *type, const unsigned char *data, size_t n,
		   int64_t *id, struct err *e)
{
	return insert(st, a, parent, parent_id, name, type, data, n, NULL, id, e);
}

int attachment_list(struct store *st, const struct actor *a, const char *parent, int64_t parent_id,
		    json_t **out, struct err *e)
{
	*out = NULL;
	int rc = readable(st, a, parent, parent_id, e);
	return rc < 0 ? rc : attachment_files(st, parent, parent_id, out, e);
}

int attachment_files(struct store *st, const char *parent, int64_t parent_id, json_t **out,
		     struct err *e)
{
	*out = NULL;
	int rc;
	struct stmt *s =
		store_prepare(st,
			      "SELECT id, name, content_type, bytes, sha256, created_at,"
			      " username FROM attachments WHERE parent = ? AND parent_id = ?"
			      " AND removed_at IS NULL ORDER BY id",
			      e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ti", parent, parent_id);
	*out = json_array();
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(
			*out,
			json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)stmt_int(s, 0),
				  "name", stmt_text(s, 1), "content_type", stmt_text(s, 2), "bytes",
				  (json_int_t)stmt_int(s, 3), "sha256", stmt_text(s, 4),
				  "created_at", stmt_text(s, 5), "username", stmt_text(s, 6)));
	stmt_done(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int attachment_get(struct store *st, const struct actor *a, const char *parent, int64_t parent_id,
		   int64_t id, struct attachment *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int rc = readable(st, a, parent, parent_id, e);
	if (rc < 0)
		return rc;
	struct stmt *s = store_prepare(st,
				       "SELECT name, content_type, data FROM attachments"
				       " WHERE id = ? AND parent = ? AND parent_id = ? AND"
				       " removed_at IS NULL",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "iti", id, parent, parent_id);
	rc = stmt_step(s, e);
	if (rc == 1) {
		snprintf(out->name, sizeof out->name, "%s", stmt_text(s, 0));
		snprintf(out->content_type, sizeof out->content_type, "%s", stmt_text(s, 1));
		const unsigned char *p = stmt_blob(s, 2, &out->size);
		out->data = xmalloc(out->size + 1);
		if (out->size)
			memcpy(out->data, p, out->size);
	}
	stmt_done(s);
	if (rc == 0)
		rc = err_set(e, ERR_NOTFOUND, "file", "Không có tệp này / no such file");
	return rc < 0 ? rc : 0;
}

int attachment_remove(struct store *st, const struct actor *a, const char *parent,
		      int64_t parent_id, int64_t id, struct err *e)
{
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	char key[64], now[21], pidtext[24];
	snprintf(key, sizeof key, "attach:%s:%lld", parent, (long long)parent_id);
	clock_iso(clock_now(), now);
	rc = store_lock_key(st, key, e);
	if (rc == 0)
		rc = writable(st, a, parent, parent_id, e);
	json_t *before = NULL;
	struct stmt *s = rc == 0 ? store_prepare(st,
						 "SELECT name, content_type, bytes, sha256,"
						 " created_at, username FROM attachments WHERE"
						 " id = ? AND parent = ? AND parent_id = ? AND"
						 " removed_at IS NULL",
						 e)
				 : NULL;
	if (rc == 0 && !s)
		rc = ERR_STORE;
	if (s) {
		stmt_bind(s, "iti", id, parent, parent_id);
		rc = stmt_step(s, e);
		if (rc == 1)
			before = json_pack("{s:{s:I,s:s,s:s,s:I,s:s,s:s,s:s}}", "attachment", "id",
					   (json_int_t)id, "name", stmt_text(s, 0), "content_type",
					   stmt_text(s, 1), "bytes", (json_int_t)stmt_int(s, 2),
					   "sha256", stmt_text(s, 3), "created_at", stmt_text(s, 4),
					   "username", stmt_text(s, 5));
		stmt_done(s);
		if (rc == 0)
			rc = err_set(e, ERR_NOTFOUND, "attachment",
				     "Không có tệp này / no such file");
	}
	if (rc >= 0)
		rc = store_run(st, e,
			       "UPDATE attachments SET removed_at = ?, removed_by = ? WHERE id = ?",
			       "tti", now, a->username, id);
	snprintf(pidtext, sizeof pidtext, "%lld", (long long)parent_id);
	if (rc >= 0)
		rc = audit_append(st, a, parent, pidtext, "detach", before, NULL, e);
	json_decref(before);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

void attachment_download_name(const char *name, const char *type, char out[272])
{
	const char *ext = attachment_ext(type);
	size_t n = strlen(name), k = strlen(ext);
	int has = n >= k && !strcasecmp(name + n - k, ext);
	snprintf(out, 272, "%s%s", name, has ? "" : ext);
}
