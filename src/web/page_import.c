/* page_import.c - the /import page: choose a record type, upload a CSV or
 * Excel file, read the dry run's report (every problem with its row,
 * column, value and reason; the bad rows as CSV/XLSX), then commit all rows
 * or only the valid ones. The upload is kept under a random token in a
 * private directory between the dry run and the commit (a day at most), so
 * the file is sent once. Imports run within the request (no job queue):
 * large files are for `khuyencong import`. */
#include "core/mem.h"
#include "core/secret.h"
#include "io/import.h"
#include "web/handlers.h"
#include "web/page.h"
#include "web/upload.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { KEEP_SECONDS = 24 * 3600, PROBLEMS_SHOWN = 1000 };

/* ---- the upload directory -------------------------------------------- */

/* $KC_UPLOAD_DIR, or khuyencong-imports-UID under $TMPDIR or /tmp; 0700. */
static const char *upload_dir(struct req *r)
{
	const char *d = getenv("KC_UPLOAD_DIR");
	char *path;
	if (d && *d) {
		path = arena_strdup(r->arena, d);
	} else {
		const char *tmp = getenv("TMPDIR");
		path = arena_alloc(r->arena, 512);
		snprintf(path, 512, "%s/khuyencong-imports-%d", tmp && *tmp ? tmp : "/tmp",
			 (int)getuid());
	}
	mkdir(path, 0700);
	return path;
}

static const char *token_path(struct req *r, const char *token, const char *suffix)
{
	char *p = arena_alloc(r->arena, 700);
	snprintf(p, 700, "%s/%s%s", upload_dir(r), token, suffix);
	return p;
}

/* Tokens are 43 characters of base64url: nothing else reaches a path. */
static int token_ok(const char *t)
{
	return t && strlen(t) == TOKEN_TEXT - 1 &&
	       strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
		       TOKEN_TEXT - 1;
}

/* Removes uploads older than a day. */
static void sweep(struct req *r)
{
	const char *dir = upload_dir(r);
	DIR *d = opendir(dir);
	if (!d)
		return;
	time_t now = time(NULL);
	struct dirent *de;
	char path[800];
	while ((de = readdir(d))) {
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (de->d_name[0] != '.' && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    now - sb.st_mtime > KEEP_SECONDS)
			unlink(path);
	}
	closedir(d);
}

static void forget(struct req *r, const char *token)
{
	static const char *const suffixes[] = {".json", ".data", "-bad.csv", "-bad.xlsx"};
	for (size_t i = 0; i < 4; i++)
		unlink(token_path(r, token, suffixes[i]));
}

static int write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	const char *p = data;
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k <= 0) {
			close(fd);
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return close(fd);
}

static int read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(out, chunk, n);
	fclose(f);
	return 0;
}

/* The upload's description, only for the account that sent it. */
static json_t *load_meta(struct req *r, const char *token)
{
	if (!token_ok(token))
		return NULL;
	json_t *m = json_load_file(token_path(r, token, ".json"), 0, NULL);
	if (m && json_integer_value(json_object_get(m, "user_id")) != r->actor.user_id) {
		json_decref(m);
		return NULL;
	}
	return m;
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
	page_printf(w,
		    "<section id=\"mapping\"><h2>%h: %h</h2><p>%h <code>%h</code>. "
		    "<a href=\"/import/template?kind=%t\" id=\"template\">%h</a></p>",
		    T(r, "import.accepted_columns"),
		    page_pick(r, ent->plural_vi, ent->plural_en),
		    T(r, "import.a_row_with_the"),
		    import_key_text(ent), ent->collection,
		    T(r, "import.download_the_excel_template"));
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

static int save_upload(struct req *r, const struct entity *ent, const struct upload *up,
		       char token[TOKEN_TEXT], struct err *e)
{
	sweep(r);
	secret_token(token);
	if (write_file(token_path(r, token, ".data"), up->data, up->size) != 0)
		return err_set(e, ERR_IO, "file",
			       "Không lưu được tệp tải lên / cannot keep the upload");
	const char *sheet = req_form(r, "sheet"), *enc = req_form(r, "encoding");
	json_t *m = json_pack("{s:I,s:s,s:s,s:s}", "user_id", (json_int_t)r->actor.user_id, "kind",
			      ent->collection, "sheet", sheet ? sheet : "", "encoding",
			      enc ? enc : "auto");
	if (!m) /* the sheet name was not UTF-8 */
		return err_set(e, ERR_INVALID, "sheet",
			       "Tên trang tính không hợp lệ / invalid sheet name");
	int rc = json_dump_file(m, token_path(r, token, ".json"), JSON_COMPACT);
	json_decref(m);
	return rc == 0 ? 0 : err_set(e, ERR_IO, "file", "cannot keep the upload");
}

/* Runs the import of a kept upload (a dry run or the commit). */
static int run_upload(struct req *r, const char *token, json_t *meta, int dry, int valid_only,
		      struct import_report *rep, struct err *e)
{
	const char *sheet = json_string_value(json_object_get(meta, "sheet"));
	struct import_source_opts so = {
		.encoding = json_string_value(json_object_get(meta, "encoding")),
		.sheet = sheet && *sheet ? sheet : NULL,
	};
	struct import_source *src;
	memset(rep, 0, sizeof *rep);
	int rc = import_source_open(token_path(r, token, ".data"), &so, &src, e);
	if (rc < 0)
		return rc;
	struct import_options o = {
		.dry_run = dry,
		.valid_only = valid_only,
		.bad_rows_csv = dry ? token_path(r, token, "-bad.csv") : NULL,
		.bad_rows_xlsx = dry ? token_path(r, token, "-bad.xlsx") : NULL,
	};
	rc = import_run(r->st, &r->actor, json_string_value(json_object_get(meta, "kind")), src, &o,
			rep, e);
	import_source_close(src);
	return rc;
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
	char token[TOKEN_TEXT];
	struct import_report rep = {0};
	int rc = upload_file(r, "file", &up, &e);
	if (rc == 0)
		rc = save_upload(r, ent, &up, token, &e);
	json_t *meta = rc == 0 ? load_meta(r, token) : NULL;
	if (rc == 0 && meta)
		rc = run_upload(r, token, meta, 1, 0, &rep, &e);
	json_decref(meta);
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

void h_import_commit_post(struct req *r, struct resp *w)
{
	const char *token = req_form(r, "token");
	json_t *meta = load_meta(r, token);
	if (!meta) {
		page_error(r, w, 404,
			   "Không còn tệp tải lên này; hãy tải lại tệp / this upload is gone; "
			   "upload the file again");
		return;
	}
	const struct entity *ent = kind_of(json_string_value(json_object_get(meta, "kind")));
	const char *vo = req_form(r, "valid_only");
	struct import_report rep;
	struct err e;
	err_clear(&e);
	int rc = run_upload(r, token, meta, 0, vo && !strcmp(vo, "1"), &rep, &e);
	json_decref(meta);
	page_begin_text(r, w, T(r, "import.import_results"));
	if (rc < 0) {
		error_box(r, w, &e);
	} else {
		page_printf(w, "<p class=\"ok\" role=\"status\" id=\"import-status\">%h</p>",
			    rep.failed
				    ? T(r, "import.the_valid_rows_were")
				    : T(r, "import.imported"));
		forget(r, token);
	}
	report_counts(r, w, &rep);
	report_problems(r, w, &rep, rc < 0 ? token : NULL);
	page_printf(w,
		    "<p><a href=\"/%h\" id=\"to-list\">%h</a> · <a href=\"/import?kind=%t\">%h</a>"
		    "</p>",
		    ent->collection, page_pick(r, ent->plural_vi, ent->plural_en), ent->collection,
		    T(r, "import.import_another_file"));
	import_report_free(&rep);
	page_end(r, w);
	if (rc < 0)
		w->status = err_http_status(rc);
}

static void send_file(struct req *r, struct resp *w, const char *path, const char *type,
		      const char *filename)
{
	buf_reset(&w->body);
	if (read_file(path, &w->body) < 0) {
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

void h_import_bad_rows(struct req *r, struct resp *w)
{
	const char *token = req_query(r, "token"), *format = req_query(r, "format");
	json_t *meta = load_meta(r, token);
	if (!meta) {
		page_error(r, w, 404, "Không tìm thấy / not found");
		return;
	}
	json_decref(meta);
	int xlsx = format && !strcmp(format, "xlsx");
	send_file(r, w, token_path(r, token, xlsx ? "-bad.xlsx" : "-bad.csv"),
		  xlsx ? XLSX_TYPE : "text/csv; charset=utf-8",
		  xlsx ? "dong-loi.xlsx" : "dong-loi.csv");
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
