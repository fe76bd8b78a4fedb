/* page_import.c - the /import page: choose a record type, upload a CSV or
 * Excel file, read the dry run's report (every problem with its row,
 * column, value and reason; the bad rows as CSV/XLSX), then commit all rows
 * or only the valid ones. The upload is kept in the database (table
 * import_uploads, under the hash of a random token: model/import_upload.h)
 * between the dry run and the commit (a day at most), so the file is sent
 * once and any server can continue; each request works on a private
 * temporary copy, run by io/import_job.h. The commit, and
 * the dry run of a file over INLINE_DRY_RUN bytes, run as background jobs
 * (web/jobs.h) on whichever server's worker claims them: the request queues
 * the job and sends the browser to its page (/jobs/{id}), which shows the
 * progress, a cancel button and, at the end, the report drawn here
 * (import_job_html). A dry run (at once or as a job) keeps its bad rows, as
 * CSV and XLSX, beside the upload, so that /import/bad-rows sends them at
 * once from any server without checking the file again. */
#include "core/mem.h"
#include "core/secret.h"
#include "io/import_job.h"
#include "model/import_upload.h"
#include "web/handlers.h"
#include "web/jobs.h"
#include "web/page.h"
#include "web/upload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	PROBLEMS_SHOWN = IMPORT_PROBLEMS_SHOWN,
	INLINE_DRY_RUN = 1 << 20,
};

/* ---- the kept uploads (model/import_upload.h) ------------------------ */

/* Tokens are 43 characters of base64url. */
static int token_ok(const char *t)
{
	return t && strlen(t) == TOKEN_TEXT - 1 &&
	       strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
		       TOKEN_TEXT - 1;
}

static void forget(struct req *r, const char *token)
{
	char hash[HASH_TEXT];
	if (!token_ok(token))
		return;
	secret_token_hash(token, hash);
	import_upload_drop(r->st, hash);
}

/* The upload of token for the caller (see import_upload_load). */
static int load_upload(struct req *r, const char *token, struct import_kept *k, struct err *e)
{
	memset(k, 0, sizeof *k);
	if (!token_ok(token))
		return 0;
	char hash[HASH_TEXT];
	secret_token_hash(token, hash);
	return import_upload_load(r->st, r->actor.user_id, hash, k, e);
}

/* Whether the caller still has the upload of token (without reading it). */
static int have_upload(struct req *r, const char *token, char hash[HASH_TEXT], struct err *e)
{
	if (!token_ok(token))
		return 0;
	secret_token_hash(token, hash);
	return import_upload_exists(r->st, r->actor.user_id, hash, e);
}

/* ---- pieces of the pages --------------------------------------------- */

static const struct entity *kind_of(const char *kind)
{
	return kind ? entity_find(kind) : NULL;
}

static void kind_select(struct req *r, struct resp *w, const struct entity *cur)
{
	page_printf(w, "<label>%h<select name=\"kind\" id=\"kind\" required>",
		    T(r, "import.record_type"));
	for (const struct entity *ent = entities; ent->collection; ent++) {
		page_printf(w, "<option value=\"%h\"%h>%h</option>", ent->collection,
			    ent == cur ? " selected" : "", page_pick(r, ent->plural_vi, ent->plural_en));
	}
	page_printf(w, "</select></label>");
}

static void upload_form(struct req *r, struct resp *w, const struct entity *cur)
{
	page_printf(w, "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\" "
		       "class=\"card\" id=\"import-form\">");
	page_csrf(r, w);
	kind_select(r, w, cur);
	page_printf(w,
		    "<label>%h<input type=\"file\" name=\"file\" id=\"file\" required "
		    "accept=\".csv,.xlsx,text/csv\"></label>",
		    T(r, "import.csv_or_excel_xlsx"));
	page_printf(w, "<label>%h<input name=\"sheet\" id=\"sheet\"></label>",
		    T(r, "import.sheet_empty_the_first"));
	page_printf(w,
		    "<label>%h<select name=\"encoding\" id=\"encoding\"><option value=\"auto\">%h"
		    "</option><option value=\"utf-8\">UTF-8</option><option value=\"cp1258\">"
		    "Windows-1258 (CP1258)</option></select></label>",
		    T(r, "import.encoding_csv"), T(r, "import.detect"));
	page_printf(w, "<button type=\"submit\" id=\"dry-run\">%h</button></form>",
		    T(r, "import.check_writes_nothing"));
}

static void mapping_table(struct req *r, struct resp *w, const struct entity *ent)
{
	struct buf key = BUF_INIT;
	import_key_words(&key, ent, r->lang);
	page_printf(w,
		    "<section id=\"mapping\"><h2>%h: %h</h2><p>%h <span id=\"natural-key\">%h"
		    "</span>. <a href=\"/import/template?kind=%t\" id=\"template\">%h</a></p>",
		    T(r, "import.accepted_columns"),
		    page_pick(r, ent->plural_vi, ent->plural_en),
		    T(r, "import.a_row_with_the"),
		    buf_cstr(&key), ent->collection,
		    T(r, "import.download_the_excel_template"));
	buf_free(&key);
	page_printf(w,
		    "<div class=\"scroll\"><table><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
		    "<th>%h</th></tr></thead><tbody>",
		    T(r, "import.field"), T(r, "import.headers"),
		    T(r, "import.required"), T(r, "import.values"));
	for (const struct field *f = ent->fields; f->name; f++) {
		if (f->flags & FF_READONLY)
			continue;
		json_t *hs = import_headers(ent, f);
		struct buf h = BUF_INIT;
		size_t i;
		json_t *x;
		json_array_foreach(hs, i, x)
			buf_printf(&h, "%s%s", i ? "; " : "", json_string_value(x));
		json_decref(hs);
		page_printf(w, "<tr><td><code>%h</code></td><td>%h</td><td>%h</td><td>%h</td></tr>",
			    f->name, buf_cstr(&h),
			    (f->flags & FF_REQUIRED) ? T(r, "import.yes") : "",
			    import_forms(f, r->lang));
		buf_free(&h);
	}
	page_printf(w, "</tbody></table></div></section>");
}

static void count_cell(struct resp *w, const char *id, const char *label, int64_t n)
{
	page_printf(w, "<tr><th>%h</th><td id=\"%h\">%lld</td></tr>", label, id, (long long)n);
}

static void report_counts(struct req *r, struct resp *w, const struct import_report *rep)
{
	page_printf(w, "<table class=\"counts\" id=\"counts\"><tbody>");
	count_cell(w, "count-rows", T(r, "import.data_rows"), rep->rows);
	count_cell(w, "count-created", T(r, "import.new_records"), rep->created);
	count_cell(w, "count-updated", T(r, "import.updated"), rep->updated);
	count_cell(w, "count-unchanged", T(r, "import.unchanged"), rep->unchanged);
	count_cell(w, "count-failed", T(r, "import.rows_with_problems"), rep->failed);
	page_printf(w, "</tbody></table>");
}

/* What the user must see before committing: columns whose data will not be
 * read, and what was mended on the way in. Shown above the counts. */
static void report_warnings(struct req *r, struct resp *w, const struct import_report *rep)
{
	size_t i;
	json_t *c;
	if (json_array_size(rep->unmatched)) {
		page_printf(w, "<div class=\"error\" role=\"alert\" id=\"unmatched\"><p>%h</p><ul>",
			    T(r, "import.unmatched_columns"));
		json_array_foreach(rep->unmatched, i, c)
			page_printf(w, "<li>%h</li>", json_string_value(c));
		page_printf(w, "</ul></div>");
	}
	if (!json_array_size(rep->notices))
		return;
	page_printf(w, "<div class=\"ok\" role=\"status\" id=\"notices\"><p>%h</p><ul>",
		    T(r, "import.mended"));
	json_array_foreach(rep->notices, i, c)
	{
		if (i >= PROBLEMS_SHOWN)
			break;
		page_printf(w, "<li>%lld · %h · %h: %h</li>",
			    (long long)json_integer_value(json_object_get(c, "row")),
			    json_string_value(json_object_get(c, "column")),
			    json_string_value(json_object_get(c, "value")),
			    page_message(r, json_string_value(json_object_get(c, "notice"))));
	}
	page_printf(w, "</ul></div>");
}

static void report_columns(struct req *r, struct resp *w, const struct import_report *rep)
{
	if (!rep->columns)
		return;
	page_printf(w, "<details id=\"file-columns\"><summary>%h (%h %lld)</summary><ul>",
		    T(r, "import.columns_of_the_file"),
		    T(r, "import.header_at_row"), (long long)rep->header_row);
	size_t i;
	json_t *c;
	json_array_foreach(rep->columns, i, c) page_printf(
		w, "<li>%h → <code>%h</code></li>", json_string_value(json_object_get(c, "column")),
		json_string_value(json_object_get(c, "field")));
	json_array_foreach(rep->ignored, i, c)
		page_printf(w, "<li>%h → %h</li>", json_string_value(c), T(r, "import.ignored"));
	page_printf(w, "</ul></details>");
	if (json_array_size(rep->missing)) {
		page_printf(w, "<p class=\"muted\" id=\"missing\">%h",
			    T(r, "import.required_columns_missing_needed"));
		json_array_foreach(rep->missing, i, c)
			page_printf(w, " <code>%h</code>", json_string_value(c));
		page_printf(w, "</p>");
	}
}

static void report_problems(struct req *r, struct resp *w, const struct import_report *rep,
			    const char *token)
{
	if (!rep->problems)
		return;
	page_printf(w, "<h2>%h (%lld)</h2>", T(r, "import.problems"), (long long)rep->problems);
	if (token)
		page_printf(
			w,
			"<p>%h <a href=\"/import/bad-rows?token=%t&amp;format=xlsx\" "
			"id=\"bad-xlsx\">Excel</a> · <a href=\"/import/bad-rows?token=%t&amp;"
			"format=csv\" id=\"bad-csv\">CSV</a></p>",
			T(r, "import.download_the_rows_with"),
			token, token);
	page_printf(w,
		    "<div class=\"scroll\"><table class=\"records\" id=\"problems\"><thead><tr>"
		    "<th>%h</th><th>%h</th><th>%h</th><th>%h</th></tr></thead><tbody>",
		    T(r, "import.row"), T(r, "import.column"), T(r, "import.value"),
		    T(r, "import.reason"));
	for (size_t i = 0; i < rep->nlist && i < PROBLEMS_SHOWN; i++) {
		const struct import_problem *p = &rep->list[i];
		page_printf(w, "<tr><td>%lld</td><td>%h</td><td>%h</td><td>%h</td></tr>",
			    (long long)p->row, p->column, p->value, page_message(r, p->reason));
	}
	page_printf(w, "</tbody></table></div>");
	if (rep->problems > PROBLEMS_SHOWN)
		page_printf(w, "<p class=\"muted\">%h</p>",
			    T(r, "import.only_the_first_1"));
}

static void commit_buttons(struct req *r, struct resp *w, const struct import_report *rep,
			   const char *token)
{
	int64_t good = rep->rows - rep->failed;
	if (good <= 0)
		return;
	page_printf(
		w, "<form method=\"post\" action=\"/import/commit\" class=\"card\" id=\"commit\">");
	page_csrf(r, w);
	page_printf(w, "<input type=\"hidden\" name=\"token\" value=\"%h\">", token);
	if (!rep->failed)
		page_printf(w, "<button type=\"submit\" id=\"commit-all\">%h</button>",
			    T(r, "import.import"));
	else
		page_printf(w,
			    "<input type=\"hidden\" name=\"valid_only\" value=\"1\"><button "
			    "type=\"submit\" id=\"commit-valid\">%h (%lld)</button>",
			    T(r, "import.import_only_the_valid"),
			    (long long)good);
	page_printf(w, "</form>");
}

/* ---- handlers -------------------------------------------------------- */

void h_import_page(struct req *r, struct resp *w)
{
	const struct entity *ent = kind_of(req_query(r, "kind"));
	page_begin_text(r, w, T(r, "import.import_from_excel_csv"));
	page_printf(
		w, "<p>%h</p>",
		T(r, "import.step_1_check_the"));
	upload_form(r, w, ent);
	if (ent) {
		mapping_table(r, w, ent);
	} else {
		page_printf(w, "<ul id=\"kinds\">");
		for (const struct entity *e = entities; e->collection; e++)
			page_printf(w, "<li><a href=\"/import?kind=%t\">%h</a></li>", e->collection,
				    page_pick(r, e->plural_vi, e->plural_en));
		page_printf(w, "</ul>");
	}
	page_end(r, w);
}

/* Keeps the upload under a new random token (only its hash is stored) and
 * loads it into *k for this request; deletes uploads older than a day. */
static int save_upload(struct req *r, const struct entity *ent, const struct upload *up,
		       char token[TOKEN_TEXT], struct import_kept *k, struct err *e)
{
	memset(k, 0, sizeof *k);
	secret_token(token);
	const char *sheet = req_form(r, "sheet"), *enc = req_form(r, "encoding");
	k->meta = json_pack("{s:I,s:s,s:s,s:s,s:s?}", "user_id", (json_int_t)r->actor.user_id,
			    "kind", ent->collection, "sheet", sheet ? sheet : "", "encoding",
			    enc ? enc : "auto", "filename", up->filename);
	if (!k->meta) /* the sheet name was not UTF-8 */
		return err_set(e, ERR_INVALID, "sheet",
			       "Tên trang tính không hợp lệ / invalid sheet name");
	char *meta = json_dumps(k->meta, JSON_COMPACT);
	char hash[HASH_TEXT];
	secret_token_hash(token, hash);
	int rc = meta ? import_upload_save(r->st, r->actor.user_id, hash, meta, up->data, up->size,
					   e)
		      : ERR_IO;
	free(meta);
	if (rc < 0)
		return err_set(e, ERR_IO, "file",
			       "Không lưu được tệp tải lên / cannot keep the upload");
	return import_kept_file(k, up->data, up->size, e);
}

/* Runs the import of a kept upload as a (a dry run or the commit) on st; a
 * dry run writes the bad rows to bad_csv / bad_xlsx when they are not NULL.
 * (A job's run is import_job_run, io/import_job.c.) */
static int run_upload(struct store *st, const struct actor *a, const struct import_kept *k, int dry,
		      int valid_only, const char *bad_csv, const char *bad_xlsx,
		      struct import_report *rep, struct err *e)
{
	struct import_options o = {
		.dry_run = dry,
		.valid_only = valid_only,
		.bad_rows_csv = dry ? bad_csv : NULL,
		.bad_rows_xlsx = dry ? bad_xlsx : NULL,
	};
	return import_kept_run(st, a, k, &o, rep, e);
}

/* ---- the import as a job --------------------------------------------- */

/* Queues the import of the caller's upload (token, and its hash) as a job;
 * the token goes into the job's parameters so that its page can offer the
 * commit and the bad rows (an upload serves only the account that sent it). */
static int queue_import(struct req *r, const char *token, const char *hash, int dry, int valid_only,
			int64_t *id, struct err *e)
{
	json_t *p = json_pack("{s:s,s:s,s:b,s:b}", "upload", hash, "token", token, "dry_run", dry,
			      "valid_only", valid_only);
	int rc = job_create(r->st, &r->actor, "import", p, id, e);
	json_decref(p);
	if (rc == 0)
		job_workers_wake();
	return rc;
}

static void to_job(struct req *r, struct resp *w, int64_t id)
{
	char *loc = arena_alloc(r->arena, 48);
	snprintf(loc, 48, "/jobs/%lld", (long long)id);
	reply_redirect(r, w, loc);
}

void import_job_html(struct req *r, struct resp *w, const struct job *j)
{
	json_t *sum = j->summary ? j->summary : json_object_get(j->error, "report");
	const char *msg = json_string_value(json_object_get(j->error, "message"));
	if (msg && strcmp(j->status, "done"))
		page_printf(w, "<p class=\"error\" role=\"alert\" id=\"import-error\">%h</p>",
			    page_message(r, msg));
	if (!sum)
		return;
	const struct entity *ent = kind_of(json_string_value(json_object_get(sum, "kind")));
	const char *file = json_string_value(json_object_get(sum, "filename"));
	/* The upload serves only its owner: others see no buttons or links. */
	const char *token = r->actor.user_id == j->user_id
				    ? json_string_value(json_object_get(sum, "token"))
				    : NULL;
	int dry = json_is_true(json_object_get(sum, "dry_run"));
	struct import_report rep;
	import_report_from_json(sum, &rep);
	if (ent)
		page_printf(w, "<p class=\"muted\">%h · %h</p>",
			    page_pick(r, ent->plural_vi, ent->plural_en), file ? file : "");
	if (!strcmp(j->status, "done") && dry) {
		page_printf(w, "<p class=\"%h\" role=\"status\" id=\"import-status\">%h</p>",
			    rep.failed ? "error" : "ok",
			    rep.failed ? T(r, "import.some_rows_have_problems")
				       : T(r, "import.the_file_is_valid"));
		report_warnings(r, w, &rep);
		report_counts(r, w, &rep);
		report_columns(r, w, &rep);
		if (token)
			commit_buttons(r, w, &rep, token);
		report_problems(r, w, &rep, token);
	} else if (!strcmp(j->status, "done")) {
		page_printf(w, "<p class=\"ok\" role=\"status\" id=\"import-status\">%h</p>",
			    rep.failed ? T(r, "import.the_valid_rows_were")
				       : T(r, "import.imported"));
		report_counts(r, w, &rep);
	} else {
		report_counts(r, w, &rep);
		report_problems(r, w, &rep, token);
	}
	if (ent)
		page_printf(w,
			    "<p><a href=\"/%h\" id=\"to-list\">%h</a> · <a "
			    "href=\"/import?kind=%t\">%h</a>"
			    "</p>",
			    ent->collection, page_pick(r, ent->plural_vi, ent->plural_en),
			    ent->collection, T(r, "import.import_another_file"));
	import_report_free(&rep);
}

static void error_box(struct req *r, struct resp *w, const struct err *e)
{
	page_printf(w, "<p class=\"error\" role=\"alert\" id=\"import-error\">%h</p>",
		    page_message(r, e->message));
}

void h_import_post(struct req *r, struct resp *w)
{
	const struct entity *ent = kind_of(req_form(r, "kind"));
	if (!ent) {
		reply_error(r, w, 400, "invalid", "Chọn loại hồ sơ / choose a record type", "kind");
		return;
	}
	struct upload up;
	struct err e;
	err_clear(&e);
	char token[TOKEN_TEXT] = "";
	struct import_report rep = {0};
	struct import_kept k = {0};
	int rc = upload_file(r, "file", &up, &e);
	if (rc == 0)
		rc = save_upload(r, ent, &up, token, &k, &e);
	if (rc == 0 && up.size > INLINE_DRY_RUN) {
		/* A large file is checked by a job; its page shows the progress. */
		import_kept_free(&k);
		int64_t id;
		char hash[HASH_TEXT];
		secret_token_hash(token, hash);
		rc = queue_import(r, token, hash, 1, 0, &id, &e);
		if (rc == 0) {
			to_job(r, w, id);
			return;
		}
	}
	if (rc == 0) {
		struct import_bad_files bad;
		int keep = import_bad_files_make(&bad) == 0;
		rc = run_upload(r->st, &r->actor, &k, 1, 0, keep ? bad.csv : NULL,
				keep ? bad.xlsx : NULL, &rep, &e);
		if (keep && rc == 0 && rep.problems > 0) {
			char hash[HASH_TEXT];
			secret_token_hash(token, hash);
			import_bad_rows_keep(r->st, r->actor.user_id, hash, &bad);
		}
		if (keep)
			import_bad_files_free(&bad);
	}
	import_kept_free(&k);
	page_begin_text(r, w, T(r, "import.check_results"));
	page_printf(w, "<p class=\"muted\">%h · %h</p>", page_pick(r, ent->plural_vi, ent->plural_en),
		    up.filename ? up.filename : "");
	if (rc < 0) {
		error_box(r, w, &e);
		upload_form(r, w, ent);
		if (up.data)
			forget(r, token);
	} else {
		page_printf(
			w, "<p class=\"%h\" role=\"status\" id=\"import-status\">%h</p>",
			rep.failed ? "error" : "ok",
			rep.failed
				? T(r, "import.some_rows_have_problems")
				: T(r, "import.the_file_is_valid"));
		report_warnings(r, w, &rep);
		report_counts(r, w, &rep);
		report_columns(r, w, &rep);
		commit_buttons(r, w, &rep, token);
		report_problems(r, w, &rep, token);
	}
	mapping_table(r, w, ent);
	import_report_free(&rep);
	page_end(r, w);
	if (rc < 0)
		w->status = err_http_status(rc);
}

/* The commit runs as a job: checked here that the upload is still there,
 * queued, and the browser sent to the job's page. */
void h_import_commit_post(struct req *r, struct resp *w)
{
	const char *token = req_form(r, "token");
	struct err e;
	err_clear(&e);
	char hash[HASH_TEXT];
	int found = have_upload(r, token, hash, &e);
	if (found < 0) {
		reply_err(r, w, &e);
		return;
	}
	if (!found) {
		page_error(r, w, 404,
			   "Không còn tệp tải lên này; hãy tải lại tệp / this upload is gone; "
			   "upload the file again");
		return;
	}
	const char *vo = req_form(r, "valid_only");
	int64_t id;
	if (queue_import(r, token, hash, 0, vo && !strcmp(vo, "1"), &id, &e) < 0) {
		reply_err(r, w, &e);
		return;
	}
	to_job(r, w, id);
}

static void send_file(struct req *r, struct resp *w, const char *path, const char *type,
		      const char *filename)
{
	buf_reset(&w->body);
	if (buf_read_file(&w->body, path) < 0) {
		page_error(r, w, 404, "Không tìm thấy tệp / file not found");
		return;
	}
	w->status = 200;
	w->content_type = type;
	char *cd = arena_alloc(r->arena, 200);
	snprintf(cd, 200, "attachment; filename=\"%s\"", filename);
	resp_header(r, w, "Content-Disposition", cd);
}

static const char *const XLSX_TYPE =
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

static void send_bad_rows(struct req *r, struct resp *w, int xlsx)
{
	w->status = 200;
	w->content_type = xlsx ? XLSX_TYPE : "text/csv; charset=utf-8";
	resp_header(r, w, "Content-Disposition",
		    xlsx ? "attachment; filename=\"dong-loi.xlsx\""
			 : "attachment; filename=\"dong-loi.csv\"");
}

/* The bad rows kept by the dry run are sent as they are. When they are gone
 * (too big to keep, or an upload checked before they were kept) they are
 * made again: a dry run of the kept upload into a temporary file, sent and
 * removed. */
void h_import_bad_rows(struct req *r, struct resp *w)
{
	const char *token = req_query(r, "token"), *format = req_query(r, "format");
	int xlsx = format && !strcmp(format, "xlsx");
	struct import_kept k;
	struct err e;
	err_clear(&e);
	if (token_ok(token)) {
		char hash[HASH_TEXT];
		secret_token_hash(token, hash);
		buf_reset(&w->body);
		int kept = import_bad_rows_load(r->st, r->actor.user_id, hash, xlsx, &w->body, &e);
		if (kept < 0) {
			buf_reset(&w->body);
			reply_err(r, w, &e);
			return;
		}
		if (kept == 1) {
			send_bad_rows(r, w, xlsx);
			return;
		}
		buf_reset(&w->body);
	}
	int found = load_upload(r, token, &k, &e);
	if (found < 0) {
		reply_err(r, w, &e);
		return;
	}
	if (!found) {
		page_error(r, w, 404, "Không tìm thấy / not found");
		return;
	}
	char bad[600];
	int fd = import_temp_file(bad, sizeof bad);
	if (fd < 0) {
		import_kept_free(&k);
		page_error(r, w, 500, "cannot create a temporary file");
		return;
	}
	close(fd);
	struct import_report rep;
	int rc = run_upload(r->st, &r->actor, &k, 1, 0, xlsx ? NULL : bad, xlsx ? bad : NULL, &rep,
			    &e);
	import_report_free(&rep);
	import_kept_free(&k);
	if (rc < 0) {
		unlink(bad);
		page_error(r, w, 404, "Không tìm thấy tệp / file not found");
		return;
	}
	send_file(r, w, bad, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8",
		  xlsx ? "dong-loi.xlsx" : "dong-loi.csv");
	unlink(bad);
}

void h_import_template(struct req *r, struct resp *w)
{
	const struct entity *ent = kind_of(req_query(r, "kind"));
	if (!ent) {
		page_error(r, w, 404, "Không có loại hồ sơ này / no such record type");
		return;
	}
	char path[] = "/tmp/kc-template-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		page_error(r, w, 500, "cannot create a temporary file");
		return;
	}
	close(fd);
	struct err e;
	if (import_template_xlsx(r->st, ent, path, &e) < 0) {
		unlink(path);
		reply_err(r, w, &e);
		return;
	}
	char *name = arena_alloc(r->arena, 96);
	snprintf(name, 96, "mau-nhap-%s.xlsx", ent->collection);
	send_file(r, w, path, XLSX_TYPE, name);
	unlink(path);
}
