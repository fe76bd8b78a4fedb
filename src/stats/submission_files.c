/* submission_files.c - the PDF and Excel files of each sending of a
 * submission, rendered from the report frozen in its snapshot by the same
 * renderers as /reports (io/doc.h) and kept as attachments of the snapshot
 * row (parent "submission_snapshots"), only ever inserted: what the ministry
 * received, byte for byte, whatever changes afterwards. */
#include "stats/submission.h"

#include "core/buf.h"
#include "core/mem.h"
#include "io/doc.h"
#include "model/attachment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *format, *type;
	int (*render)(json_t *doc, struct buf *out, struct err *e);
} formats[] = {
	{"pdf", "application/pdf", doc_pdf},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", doc_xlsx},
};

enum { NFORMATS = sizeof formats / sizeof *formats };

/* bao-cao_<number>_lan-<seq>.<format>, the number kept to [A-Za-z0-9-]. */
static void file_name(const char *number, int64_t seq, const char *format, char out[160])
{
	char num[64];
	size_t j = 0;
	for (const char *p = number ? number : ""; *p && j < sizeof num - 1; p++)
		num[j++] = (strchr("-_", *p) || (*p >= '0' && *p <= '9') ||
			    (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
				   ? *p
				   : '-';
	num[j] = 0;
	snprintf(out, 160, "bao-cao_%s_lan-%lld.%s", num, (long long)seq, format);
}

int submission_files_make(struct store *st, const struct actor *a, int64_t snapshot_id,
			  const char *number, int64_t seq, const char *text, struct err *e)
{
	json_t *snap = json_loads(text, 0, NULL);
	json_t *doc = json_object_get(snap, "report");
	int rc = doc ? 0 : err_set(e, ERR_INVALID, "snapshot", "snapshot without a report");
	for (size_t i = 0; rc == 0 && i < NFORMATS; i++) {
		struct buf out = BUF_INIT;
		char name[160];
		int64_t id;
		file_name(number, seq, formats[i].format, name);
		rc = formats[i].render(doc, &out, e);
		if (rc == 0)
			rc = attachment_put(st, a, "submission_snapshots", snapshot_id, name,
					    formats[i].type, (const unsigned char *)out.data,
					    out.len, &id, e);
		buf_free(&out);
	}
	json_decref(snap);
	return rc < 0 ? rc : 0;
}

int submission_files_list(struct store *st, int64_t snapshot_id, json_t **out, struct err *e)
{
	struct stmt *s = store_prepare(st,
				       "SELECT name, content_type, bytes, sha256 FROM attachments"
				       " WHERE parent = 'submission_snapshots' AND parent_id = ?"
				       " ORDER BY id",
				       e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "i", snapshot_id);
	*out = json_array();
	int rc;
	while ((rc = stmt_step(s, e)) == 1) {
		const char *type = stmt_text(s, 1), *format = "";
		for (size_t i = 0; i < NFORMATS; i++)
			if (!strcmp(type, formats[i].type))
				format = formats[i].format;
		json_array_append_new(*out, json_pack("{s:s,s:s,s:s,s:I,s:s}", "format", format,
						      "name", stmt_text(s, 0), "content_type", type,
						      "bytes", (json_int_t)stmt_int(s, 2), "sha256",
						      stmt_text(s, 3)));
	}
	stmt_done(s);
	return rc < 0 ? rc : 0;
}

int submission_file_get(struct store *st, const struct actor *a, int64_t id, int64_t seq,
			const char *format, struct attachment *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	size_t f = 0;
	while (f < NFORMATS && strcmp(formats[f].format, format ? format : ""))
		f++;
	if (f == NFORMATS)
		return err_set(e, ERR_NOTFOUND, "format",
			       "Tệp pdf hoặc xlsx / format is pdf or xlsx");
	json_t *snap = NULL;
	int rc = submission_snapshot(st, a, id, seq, &snap, e); /* scope, and the sending */
	json_decref(snap);
	if (rc < 0)
		return rc;
	struct stmt *s = store_prepare(
		st,
		"SELECT a.name, a.data FROM attachments a JOIN submission_snapshots n ON"
		" a.parent = 'submission_snapshots' AND a.parent_id = n.id WHERE n.submission_id = "
		"?"
		" AND n.seq = ? AND a.content_type = ? ORDER BY a.id",
		e);
	if (!s)
		return ERR_STORE;
	stmt_bind(s, "iit", id, seq, formats[f].type);
	rc = stmt_step(s, e);
	if (rc == 1) {
		snprintf(out->name, sizeof out->name, "%s", stmt_text(s, 0));
		snprintf(out->content_type, sizeof out->content_type, "%s", formats[f].type);
		const unsigned char *p = stmt_blob(s, 1, &out->size);
		out->data = xmalloc(out->size + 1);
		if (out->size)
			memcpy(out->data, p, out->size);
	}
	stmt_done(s);
	if (rc == 0)
		rc = err_set(e, ERR_NOTFOUND, "format",
			     "Lần gửi này không có tệp %s / this sending has no %s file", format,
			     format);
	return rc < 0 ? rc : 0;
}
