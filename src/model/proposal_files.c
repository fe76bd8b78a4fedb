/* proposal_files.c - files of a proposal in the database, binary like
 * product photos and attachments, audited; each noted in the exchange. */
#include "model/proposal_files.h"

#include "core/clock.h"
#include "core/mem.h"
#include "model/attachment.h"
#include "model/audit.h"
#include "model/photo.h"
#include "model/proposal_thread.h"
#include "model/record.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *proposal_file_sniff(const unsigned char *data, size_t n)
{
	if (n >= 8 && !memcmp(data, "%PDF-", 5))
		return "application/pdf";
	return n >= PHOTO_MIN_BYTES ? photo_sniff(data, n) : NULL;
}

static int check(const unsigned char *data, size_t n, const char **type, struct err *e)
{
	if (n > PROPOSAL_FILE_MAX_BYTES)
		return err_set(e, ERR_TOOBIG, "file",
			       "Tệp quá lớn (tối đa %d MB) / the file is too large (%d MB at most)",
			       PROPOSAL_FILE_MAX_BYTES >> 20, PROPOSAL_FILE_MAX_BYTES >> 20);
	*type = proposal_file_sniff(data, n);
	if (!*type)
		return err_set(e, ERR_INVALID, "file",
			       "Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG, WebP / only PDF files and JPEG, "
			       "PNG or WebP images are accepted");
	return 0;
}

/* Who sent a file, from which side and when: the actor now (NULL), or as
 * kept by an export. */
struct sent {
	const char *at, *by, *side;
};

static int insert_file(struct store *st, const struct actor *a, int64_t id, const char *name,
		       const char *type, const unsigned char *data, size_t n,
		       const struct sent *sent, int64_t *fid, struct err *e)
{
	char now[21], sha[PHOTO_SHA_TEXT];
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(sha, sizeof sha, h, sizeof h);
	clock_iso(clock_now(), now);
	const char *side = sent				   ? sent->side
			   : a->role == ROLE_ESTABLISHMENT ? "establishment"
							   : "department";
	struct stmt *s = store_prepare(
		st,
		"INSERT INTO proposal_files(proposal_id, created_at, username, side, name,"
		" content_type, bytes, sha256, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "itttttit", id, sent ? sent->at : now, sent ? sent->by : a->username, side,
		  name, type, (int64_t)n, sha);
	stmt_bind_blob(s, 9, data, n);
	int rc = stmt_step(s, e);
	stmt_done(s);
	if (rc < 0)
		return rc;
	*fid = store_last_id(st);
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)*fid);
	json_t *after = json_pack("{s:I,s:s,s:s,s:I,s:s}", "proposal_id", (json_int_t)id, "name",
				  name, "content_type", type, "bytes", (json_int_t)n, "sha256", sha);
	rc = audit_append(st, a, "proposal-files", idtext, "create", NULL, after, e);
	json_decref(after);
	return rc;
}

int proposal_file_add(struct store *st, const struct actor *a, int64_t id, const char *name,
		      const unsigned char *data, size_t n, int64_t *file_id, struct err *e)
{
	if (a->role == ROLE_VIEWER)
		return err_set(e, ERR_FORBIDDEN, "", "Tài khoản xem không được ghi / viewers cannot write");
	const char *type = NULL;
	char clean[256];
	attachment_clean_name(name, clean);
	json_t *p = NULL;
	int rc = store_begin(st, e);
	if (rc < 0)
		return rc;
	rc = record_get(st, a, entity_find("proposals"), id, &p, e);
	json_decref(p);
	if (rc == 0)
		rc = check(data, n, &type, e);
	int64_t count = 0;
	if (rc == 0)
		rc = store_int(st, e, &count, "SELECT COUNT(*) FROM proposal_files WHERE proposal_id = ?",
			       "i", id);
	if (rc >= 0 && count >= PROPOSAL_FILES_MAX)
		rc = err_set(e, ERR_TOOBIG, "file",
			     "Mỗi đề xuất có tối đa %d tệp / a proposal has at most %d files",
			     PROPOSAL_FILES_MAX, PROPOSAL_FILES_MAX);
	if (rc >= 0)
		rc = insert_file(st, a, id, clean, type, data, n, NULL, file_id, e);
	if (rc >= 0) {
		char note[320];
		snprintf(note, sizeof note, "Đính kèm tệp: %s", clean);
		rc = proposal_message_add(st, a, id, note, e);
	}
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int proposal_file_restore(struct store *st, const struct actor *a, int64_t id, const char *name,
			  const char *side, const char *created_at, const char *username,
			  const unsigned char *data, size_t n, int64_t *file_id, struct err *e)
{
	if (a->role != ROLE_ADMIN)
		return err_set(e, ERR_FORBIDDEN, "", "only an administrator rebuilds");
	if (!side || (strcmp(side, "establishment") && strcmp(side, "department")))
		return err_set(e, ERR_INVALID, "side", "side is establishment or department");
	char clean[256];
	attachment_clean_name(name, clean);
	const char *type = NULL;
	int rc = check(data, n, &type, e);
	struct sent sent = {created_at ? created_at : "", username ? username : "", side};
	return rc < 0 ? rc : insert_file(st, a, id, clean, type, data, n, &sent, file_id, e);
}

int proposal_files(struct store *st, const struct actor *a, int64_t id, json_t **out,
		   struct err *e)
{
	int rc = proposal_readable(st, a, id, e);
	if (rc < 0)
		return rc;
	struct stmt *s = store_prepare(st,
				       "SELECT id, name, content_type, bytes, created_at, username,"
				       " side FROM proposal_files WHERE proposal_id = ? ORDER BY id",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", id);
	*out = json_array();
	while ((rc = stmt_step(s, e)) == 1)
		json_array_append_new(
			*out, json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:s}", "id",
					(json_int_t)stmt_int(s, 0), "name", stmt_text(s, 1),
					"content_type", stmt_text(s, 2), "bytes",
					(json_int_t)stmt_int(s, 3), "created_at", stmt_text(s, 4),
					"username", stmt_text(s, 5), "side", stmt_text(s, 6)));
	stmt_done(s);
	if (rc < 0) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	return 0;
}

int proposal_file_get(struct store *st, const struct actor *a, int64_t id, int64_t file_id,
		      struct proposal_file *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int rc = proposal_readable(st, a, id, e);
	if (rc < 0)
		return rc;
	struct stmt *s = store_prepare(st,
				       "SELECT name, content_type, data FROM proposal_files"
				       " WHERE id = ? AND proposal_id = ?",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "ii", file_id, id);
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
	if (rc < 0) {
		free(out->data);
		out->data = NULL;
		return rc;
	}
	return 0;
}
