/* demo.c - loads the demo data through the same validated, audited path as
 * every user's input, so the demo proves the model accepts the seeds. */
#include "model/demo.h"

#include "core/embed.h"
#include "model/record.h"
#include "model/workflow.h"

#include <stdio.h>
#include <string.h>

/* Replaces "@key" strings by the ids created earlier. */
static int resolve_refs(json_t *fields, json_t *keys, const char *where, struct err *e)
{
	const char *k;
	json_t *v;
	json_object_foreach(fields, k, v) {
		const char *s = json_string_value(v);
		if (!s || s[0] != '@')
			continue;
		json_t *id = json_object_get(keys, s + 1);
		if (!id)
			return err_set(e, ERR_INVALID, where, "%s.%s: unknown key %s", where, k, s);
		json_object_set(fields, k, id);
	}
	return 0;
}

static int load_records(struct store *st, const struct actor *a, json_t *records, json_t *keys,
                        int *count, struct err *e)
{
	size_t i;
	json_t *r;
	json_array_foreach(records, i, r) {
		char where[48];
		snprintf(where, sizeof where, "records[%zu]", i);
		const struct entity *ent = entity_find(json_string_value(json_object_get(r, "collection")) ?: "");
		json_t *fields = json_object_get(r, "fields");
		if (!ent || !json_is_object(fields))
			return err_set(e, ERR_INVALID, where, "%s: unknown collection or no fields", where);
		if (resolve_refs(fields, keys, where, e) < 0)
			return ERR_INVALID;
		int64_t id;
		struct err re;
		if (record_create(st, a, ent, fields, &id, &re) < 0)
			return err_set(e, re.code, where, "%s.%s (%s): %s", where, re.field, ent->collection,
			               re.message);
		const char *key = json_string_value(json_object_get(r, "key"));
		if (key)
			json_object_set_new(keys, key, json_integer(id));
		(*count)++;
	}
	return 0;
}

static int load_steps(struct store *st, const struct actor *a, json_t *steps, json_t *keys,
                      struct err *e)
{
	size_t i;
	json_t *s;
	json_array_foreach(steps, i, s) {
		char where[48];
		snprintf(where, sizeof where, "steps[%zu]", i);
		const char *p = json_string_value(json_object_get(s, "project"));
		json_t *id = p && p[0] == '@' ? json_object_get(keys, p + 1) : NULL;
		if (!id)
			return err_set(e, ERR_INVALID, where, "%s: unknown project", where);
		struct err re;
		if (project_transition(st, a, json_integer_value(id),
		                       json_string_value(json_object_get(s, "to")),
		                       json_string_value(json_object_get(s, "date")),
		                       json_string_value(json_object_get(s, "decision_no")),
		                       json_string_value(json_object_get(s, "note")), &re) < 0)
			return err_set(e, re.code, where, "%s: %s", where, re.message);
	}
	return 0;
}

int demo_load(struct store *st, const struct actor *a, int *count, struct err *e)
{
	*count = 0;
	const struct embedded_file *f = embed_find(demo_files, "demo.json");
	if (!f)
		return err_set(e, ERR_IO, "", "the demo data is missing from this build");
	int64_t n = 0;
	if (store_int(st, e, &n, "SELECT COUNT(*) FROM figures", "") < 0)
		return ERR_STORE;
	if (n > 0)
		return err_set(e, ERR_CONFLICT, "db", "the database already holds reported figures; "
		                                      "demo data is loaded only into a new database");
	json_error_t je;
	json_t *doc = json_loadb((const char *)f->data, f->size, 0, &je);
	if (!doc)
		return err_set(e, ERR_INVALID, "demo.json", "demo.json line %d: %s", je.line, je.text);
	json_t *keys = json_object();
	int rc = store_begin(st, e);
	if (rc == 0)
		rc = load_records(st, a, json_object_get(doc, "records"), keys, count, e);
	if (rc == 0)
		rc = load_steps(st, a, json_object_get(doc, "steps"), keys, e);
	json_decref(keys);
	json_decref(doc);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}
