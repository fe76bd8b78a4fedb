/* page_api.c - /api, the API described for people: the routes grouped by
 * module with method, path, access, summary and parameters, rendered from the
 * same OpenAPI document that /api/v1/openapi.json serves. */
#include "web/handlers.h"
#include "web/openapi.h"
#include "web/page.h"

#include <stdio.h>
#include <string.h>

static const char *M(struct req *r, const char *bilingual)
{
	return page_message(r, bilingual);
}

/* Follows a local "$ref" (and the first allOf member) to the schema itself. */
static json_t *resolve(json_t *doc, json_t *schema)
{
	for (int depth = 0; schema && depth < 4; depth++) {
		json_t *all = json_object_get(schema, "allOf");
		if (json_is_array(all)) {
			schema = json_array_get(all, 0);
			continue;
		}
		const char *ref = json_string_value(json_object_get(schema, "$ref"));
		if (!ref || strncmp(ref, "#/components/schemas/", 21))
			return schema;
		schema = json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"),
		                         ref + 21);
	}
	return schema;
}

/* A short form of a schema's type: "integer", "string | null", "old | new". */
static void type_brief(struct buf *b, json_t *schema)
{
	const char *ref = json_string_value(json_object_get(schema, "$ref"));
	if (ref) {
		const char *slash = strrchr(ref, '/');
		buf_puts(b, slash ? slash + 1 : ref);
		return;
	}
	json_t *en = json_object_get(schema, "enum");
	if (json_is_array(en)) {
		size_t i;
		json_t *v;
		json_array_foreach(en, i, v) {
			if (i == 12) {
				buf_puts(b, " | …");
				break;
			}
			buf_printf(b, "%s%s", i ? " | " : "", json_is_null(v) ? "null" : json_string_value(v));
		}
		return;
	}
	json_t *any = json_object_get(schema, "anyOf");
	if (json_is_array(any)) {
		size_t i;
		json_t *v;
		json_array_foreach(any, i, v) {
			if (i)
				buf_puts(b, " | ");
			type_brief(b, v);
		}
		return;
	}
	json_t *t = json_object_get(schema, "type");
	if (json_is_string(t)) {
		buf_puts(b, json_string_value(t));
	} else if (json_is_array(t)) {
		size_t i;
		json_t *v;
		json_array_foreach(t, i, v) buf_printf(b, "%s%s", i ? " | " : "", json_string_value(v));
	} else {
		buf_puts(b, "any");
	}
}

/* A parameter given as a "$ref" (If-Match) to the parameter itself. */
static json_t *resolve_param(json_t *doc, json_t *p)
{
	const char *ref = json_string_value(json_object_get(p, "$ref"));
	const char *prefix = "#/components/parameters/";
	if (!ref || strncmp(ref, prefix, strlen(prefix)))
		return p;
	return json_object_get(json_object_get(json_object_get(doc, "components"), "parameters"),
	                       ref + strlen(prefix));
}

static void item_row(struct req *r, struct resp *w, const char *name, const char *where,
                     int required, json_t *schema, const char *doc)
{
	struct buf t = BUF_INIT;
	type_brief(&t, schema);
	page_printf(w, "<tr><td><code>%h</code>%h</td><td>%h</td><td><code>%h</code></td><td>%h</td>"
	               "</tr>",
	            name, required ? " *" : "", where, buf_cstr(&t), doc ? doc : "");
	buf_free(&t);
	(void)r;
}

static void op_details(struct req *r, struct resp *w, json_t *doc, json_t *op)
{
	json_t *params = json_object_get(op, "parameters");
	json_t *content = json_object_get(json_object_get(op, "requestBody"), "content");
	json_t *media = json_object_get(content, "application/json");
	if (!media)
		media = json_object_get(content, "multipart/form-data");
	json_t *body = json_object_get(media, "schema");
	json_t *body_schema = resolve(doc, body);
	json_t *required = json_object_get(body, "required");
	if (!json_is_array(required))
		required = json_object_get(body_schema, "required");
	json_t *props = json_object_get(body_schema, "properties");
	page_printf(w, "<details><summary>%h</summary><p>%h</p>", M(r, "Chi tiết / Details"),
	            json_string_value(json_object_get(op, "description")));
	if (json_array_size(params) || json_object_size(props)) {
		page_printf(w, "<table class=\"api-params\"><thead><tr><th>%h</th><th>%h</th><th>%h</th>"
		               "<th>%h</th></tr></thead><tbody>",
		            M(r, "Tên / Name"), M(r, "Ở đâu / In"), M(r, "Kiểu / Type"),
		            M(r, "Ý nghĩa / Meaning"));
		size_t i;
		json_t *p;
		json_array_foreach(params, i, p) {
			p = json_object_get(p, "$ref") ? resolve_param(doc, p) : p;
			item_row(r, w, json_string_value(json_object_get(p, "name")),
			         json_string_value(json_object_get(p, "in")),
			         json_is_true(json_object_get(p, "required")), json_object_get(p, "schema"),
			         json_string_value(json_object_get(p, "description")));
		}
		const char *key;
		json_t *s;
		json_object_foreach(props, key, s) {
			int req = 0;
			json_t *q;
			json_array_foreach(required, i, q) req |= !strcmp(json_string_value(q), key);
			const char *title = json_string_value(json_object_get(s, "title"));
			const char *desc = json_string_value(json_object_get(s, "description"));
			struct buf d = BUF_INIT;
			if (title && strcmp(r->lang, "en"))
				buf_printf(&d, "%s. ", title);
			buf_puts(&d, desc ? desc : "");
			item_row(r, w, key, "body", req, s, buf_cstr(&d));
			buf_free(&d);
		}
		page_printf(w, "</tbody></table>");
	}
	page_printf(w, "<p class=\"muted\">%h:", M(r, "Trả lời / Responses"));
	const char *code;
	json_t *resp;
	json_object_foreach(json_object_get(op, "responses"), code, resp) page_printf(w, " %h", code);
	page_printf(w, "</p></details>");
}

static const char *access_label(struct req *r, const char *access)
{
	if (!access)
		return "";
	if (!strcmp(access, "public"))
		return M(r, "công khai / public");
	if (!strcmp(access, "login"))
		return M(r, "đã đăng nhập / logged in");
	if (!strcmp(access, "writer"))
		return M(r, "được ghi (không phải người xem) / writer (not a viewer)");
	if (!strcmp(access, "admin"))
		return M(r, "quản trị viên / administrator");
	return access;
}

static void tag_section(struct req *r, struct resp *w, json_t *doc, json_t *tag)
{
	const char *name = json_string_value(json_object_get(tag, "name"));
	const char *desc = json_string_value(json_object_get(tag, "description"));
	page_printf(w, "<section class=\"api-tag\" id=\"tag-%h\"><h2>%h</h2>", name,
	            desc ? M(r, desc) : name);
	page_printf(w, "<div class=\"scroll\"><table class=\"api\"><thead><tr><th>%h</th><th>%h</th>"
	               "<th>%h</th><th>%h</th></tr></thead><tbody>",
	            M(r, "Phương thức / Method"), M(r, "Đường dẫn / Path"),
	            M(r, "Quyền / Access"), M(r, "Mô tả / Summary"));
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op) {
			const char *t = json_string_value(json_array_get(json_object_get(op, "tags"), 0));
			if (!t || strcmp(t, name))
				continue;
			char upper[16];
			size_t k = 0;
			for (; method[k] && k + 1 < sizeof upper; k++)
				upper[k] = (char)(method[k] >= 'a' && method[k] <= 'z' ? method[k] - 32
				                                                       : method[k]);
			upper[k] = 0;
			page_printf(w, "<tr id=\"%h\"><td><code class=\"method\">%h</code></td><td><code>%h"
			               "</code></td><td>%h</td><td>%h",
			            json_string_value(json_object_get(op, "operationId")), upper, path,
			            access_label(r, json_string_value(json_object_get(op, OPENAPI_ACCESS_KEY))),
			            json_string_value(json_object_get(op, "summary")));
			op_details(r, w, doc, op);
			page_printf(w, "</td></tr>");
		}
	}
	page_printf(w, "</tbody></table></div></section>");
}

void h_api_page(struct req *r, struct resp *w)
{
	json_t *doc = openapi_document();
	page_begin_text(r, w, M(r, "Giao diện lập trình (API) / Programming interface (API)"));
	page_printf(w,
	            "<p id=\"api-intro\">%h <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> "
	            "(OpenAPI %h, %h %h).</p>",
	            M(r, "Mô tả máy đọc được của mọi đường dẫn dưới đây: / The machine-readable "
	                 "description of every route below:"),
	            json_string_value(json_object_get(doc, "openapi")), M(r, "phiên bản / version"),
	            json_string_value(json_object_get(json_object_get(doc, "info"), "version")));
	page_printf(w, "<h2 id=\"auth\">%h</h2><ul>", M(r, "Xác thực / Authentication"));
	const char *name;
	json_t *scheme;
	json_object_foreach(json_object_get(json_object_get(doc, "components"), "securitySchemes"),
	                    name, scheme)
		page_printf(w, "<li><strong>%h</strong>: %h</li>", name,
		            json_string_value(json_object_get(scheme, "description")));
	page_printf(w, "</ul><p>%h <code>{\"error\":{\"code\",\"message\",\"field\"}}</code>. %h</p>",
	            M(r, "Lỗi luôn có dạng / Errors always have the shape"),
	            M(r, "Sửa bản ghi: gửi lại ETag trong If-Match (412 nếu người khác đã sửa). Danh "
	                 "sách: page, per_page (tối đa 500). Số, tiền, ngày nhập được theo kiểu Việt "
	                 "Nam (9.590; 24,7 tỷ đồng; 17/05/2016). / Changing a record: send its ETag "
	                 "back in If-Match (412 when someone changed it meanwhile). Lists: page, "
	                 "per_page (500 at most). Numbers, money and dates may be written the "
	                 "Vietnamese way (9.590; 24,7 tỷ đồng; 17/05/2016)."));
	json_t *tags = json_object_get(doc, "tags");
	page_printf(w, "<nav aria-label=\"%h\" class=\"api-toc\"><p>", M(r, "Nhóm / Modules"));
	size_t i;
	json_t *tag;
	json_array_foreach(tags, i, tag) {
		const char *t = json_string_value(json_object_get(tag, "name"));
		const char *d = json_string_value(json_object_get(tag, "description"));
		page_printf(w, "%h<a href=\"#tag-%h\">%h</a>", i ? " · " : "", t, d ? M(r, d) : t);
	}
	page_printf(w, "</p></nav>");
	json_array_foreach(tags, i, tag) tag_section(r, w, doc, tag);
	json_decref(doc);
	page_end(r, w);
}
