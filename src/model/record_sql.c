/* record_sql.c - builds each entity's SQL once from its field descriptions. */
#include "model/record_sql.h"

#include "core/buf.h"
#include "core/mem.h"

#include <pthread.h>
#include <string.h>

static struct ent_sql *built;
static pthread_once_t built_once = PTHREAD_ONCE_INIT;

int entity_index(const struct entity *ent)
{
	return (int)(ent - entities);
}

static void field_columns(struct buf *b, const struct field *f, const char *prefix)
{
	if (f->type == F_QTY)
		buf_printf(b, "%s%s, %s%s_hi, %s%s_scale, %s%s_qual", prefix, f->name, prefix, f->name,
		           prefix, f->name, prefix, f->name);
	else
		buf_printf(b, "%s%s", prefix, f->name);
}

static void build_select(const struct entity *ent, struct ent_sql *s)
{
	struct buf b = BUF_INIT, joins = BUF_INIT;
	buf_printf(&b, "SELECT t.id, t.version, t.created_at, t.updated_at, t.province_code,"
	               " t.old_province_code");
	s->nbase = 6;
	for (const struct field *f = ent->fields; f->name; f++) {
		buf_puts(&b, ", ");
		field_columns(&b, f, "t.");
		s->nfieldcols += f->type == F_QTY ? 4 : 1;
	}
	int j = 0;
	for (const struct field *f = ent->fields; f->name; f++, j++) {
		if (f->type == F_REF) {
			const struct entity *target = entity_find(f->ref);
			buf_printf(&b, ", j%d.%s", j, entity_title(target)->name);
			buf_printf(&joins, " LEFT JOIN %s j%d ON j%d.id = t.%s", target->table, j, j, f->name);
		} else if (f->type == F_UNIT) {
			/* "Xã Mễ Sở, Tỉnh Hưng Yên": a name alone is ambiguous. */
			buf_printf(&b, ", j%d.full_name || COALESCE(', ' || p%d.full_name, ''), j%d.code", j,
			           j, j);
			buf_printf(&joins,
			           " LEFT JOIN units j%d ON j%d.id = t.%s LEFT JOIN units p%d ON"
			           " j%d.level <> 'province' AND p%d.era = j%d.era AND p%d.level = 'province'"
			           " AND p%d.code = j%d.province_code AND p%d.is_current = 1",
			           j, j, f->name, j, j, j, j, j, j, j, j);
		} else if (f->type == F_PROVINCE) {
			buf_printf(&b, ", j%d.full_name", j);
			buf_printf(&joins,
			           " LEFT JOIN units j%d ON j%d.era = 'new' AND j%d.level = 'province' AND"
			           " j%d.code = t.%s AND j%d.is_current = 1",
			           j, j, j, j, f->name, j);
		}
	}
	buf_printf(&b, " FROM %s t%s", ent->table, buf_cstr(&joins));
	s->select = buf_detach(&b);
	buf_free(&joins);
	buf_printf(&b, "%s WHERE t.id = ?", s->select);
	s->by_id = buf_detach(&b);
}

static void build_writes(const struct entity *ent, struct ent_sql *s)
{
	struct buf b = BUF_INIT, vals = BUF_INIT;
	buf_printf(&b, "INSERT INTO %s (version, created_at, updated_at, province_code,"
	               " old_province_code, search_key",
	           ent->table);
	buf_puts(&vals, "1, ?, ?, ?, ?, ?");
	for (const struct field *f = ent->fields; f->name; f++) {
		buf_puts(&b, ", ");
		field_columns(&b, f, "");
		buf_puts(&vals, f->type == F_QTY ? ", ?, ?, ?, ?" : ", ?");
	}
	buf_printf(&b, ") VALUES (%s)", buf_cstr(&vals));
	s->insert = buf_detach(&b);
	buf_free(&vals);

	buf_printf(&b, "UPDATE %s SET version = version + 1, updated_at = ?, province_code = ?,"
	               " old_province_code = ?, search_key = ?",
	           ent->table);
	for (const struct field *f = ent->fields; f->name; f++) {
		if (f->type == F_QTY)
			buf_printf(&b, ", %s = ?, %s_hi = ?, %s_scale = ?, %s_qual = ?", f->name, f->name,
			           f->name, f->name);
		else
			buf_printf(&b, ", %s = ?", f->name);
	}
	buf_puts(&b, " WHERE id = ? AND version = ?");
	s->update = buf_detach(&b);
	buf_printf(&b, "DELETE FROM %s WHERE id = ? AND version = ?", ent->table);
	s->remove = buf_detach(&b);
	int u = 0;
	for (const struct field *f = ent->fields; f->name && u < 8; f++) {
		if (!(f->flags & FF_UNIQUE))
			continue;
		buf_printf(&b, "SELECT id FROM %s WHERE %s = ? AND id <> ?", ent->table, f->name);
		s->unique[u++] = buf_detach(&b);
	}
}

static void build_all(void)
{
	size_t n = 0;
	while (entities[n].collection)
		n++;
	built = xcalloc(n, sizeof *built);
	for (size_t i = 0; i < n; i++) {
		build_select(&entities[i], &built[i]);
		build_writes(&entities[i], &built[i]);
	}
}

const struct ent_sql *ent_sql(const struct entity *ent)
{
	pthread_once(&built_once, build_all);
	return &built[entity_index(ent)];
}
