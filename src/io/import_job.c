/* import_job.c - an import of a kept upload and its report as JSON
 * (io/import_job.h). */
#include "io/import_job.h"

#include "core/mem.h"

#include <string.h>

int import_kept_run(struct store *st, const struct actor *a, const struct import_kept *k,
		    const struct import_options *o, struct import_report *rep, struct err *e)
{
	const char *sheet = json_string_value(json_object_get(k->meta, "sheet"));
	struct import_source_opts so = {
		.encoding = json_string_value(json_object_get(k->meta, "encoding")),
		.sheet = sheet && *sheet ? sheet : NULL,
	};
	struct import_source *src;
	memset(rep, 0, sizeof *rep);
	int rc = import_source_open(k->path, &so, &src, e);
	if (rc < 0)
		return rc;
	rc = import_run(st, a, json_string_value(json_object_get(k->meta, "kind")), src, o, rep, e);
	import_source_close(src);
	return rc;
}

json_t *import_report_json(const struct import_report *rep, size_t shown)
{
	json_t *list = json_array();
	for (size_t i = 0; i < rep->nlist && i < shown; i++) {
		const struct import_problem *p = &rep->list[i];
		json_array_append_new(list,
				      json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)p->row,
						"column", p->column ? p->column : "", "value",
						p->value ? p->value : "", "reason",
						p->reason ? p->reason : ""));
	}
	json_t *notices = json_array();
	for (size_t i = 0; i < json_array_size(rep->notices) && i < shown; i++)
		json_array_append(notices, json_array_get(rep->notices, i));
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:O?,s:O?,s:O?,s:O?,s:o,s:o}", "rows",
			 (json_int_t)rep->rows, "created", (json_int_t)rep->created, "updated",
			 (json_int_t)rep->updated, "unchanged", (json_int_t)rep->unchanged,
			 "failed", (json_int_t)rep->failed, "problems", (json_int_t)rep->problems,
			 "header_row", (json_int_t)rep->header_row, "committed", rep->committed,
			 "columns", rep->columns, "ignored", rep->ignored, "unmatched",
			 rep->unmatched, "missing", rep->missing, "notices", notices, "list", list);
}

static int64_t jint(json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

static json_t *jarray(json_t *o, const char *key)
{
	json_t *a = json_object_get(o, key);
	return json_is_array(a) ? json_incref(a) : NULL;
}

void import_report_from_json(json_t *o, struct import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	rep->rows = jint(o, "rows");
	rep->created = jint(o, "created");
	rep->updated = jint(o, "updated");
	rep->unchanged = jint(o, "unchanged");
	rep->failed = jint(o, "failed");
	rep->problems = jint(o, "problems");
	rep->header_row = jint(o, "header_row");
	rep->committed = json_is_true(json_object_get(o, "committed"));
	rep->columns = jarray(o, "columns");
	rep->ignored = jarray(o, "ignored");
	rep->unmatched = jarray(o, "unmatched");
	rep->notices = jarray(o, "notices");
	rep->missing = jarray(o, "missing");
	json_t *list = json_object_get(o, "list");
	size_t n = json_array_size(list);
	rep->list = n ? xcalloc(n, sizeof *rep->list) : NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_array_get(list, i);
		const char *c = json_string_value(json_object_get(p, "column"));
		const char *v = json_string_value(json_object_get(p, "value"));
		const char *why = json_string_value(json_object_get(p, "reason"));
		rep->list[i].row = jint(p, "row");
		rep->list[i].column = xstrdup(c ? c : "");
		rep->list[i].value = xstrdup(v ? v : "");
		rep->list[i].reason = xstrdup(why ? why : "");
	}
	rep->nlist = n;
}
