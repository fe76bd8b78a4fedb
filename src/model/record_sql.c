/* record_sql.c - builds each entity's SQL once from its field descriptions. */
#include "model/record_sql.h"

#include "model/record.h"

#include "core/buf.h"
#include "core/mem.h"

#include <pthread.h>
#include <stdio.h>
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
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   "SELECT t.id, t.version, t.created_at, t.updated_at, t.province_code,"
		   " t.old_province_code, t.old_district_code, t.old_commune_code, t.old_split");
	s->nbase = 9;
	for (const struct field *f = ent->fields; f->name; f++) {
		buf_puts(&b, ", ");
		field_columns(&b, f, "t.");
		s->nfieldcols += f->type == F_QTY ? 4 : 1;
	}
	/* The names of what the record refers to, each a subquery of one row
	 * rather than a LEFT JOIN: the same values, but PostgreSQL plans a list
	 * (planned again for each page: its LIMIT and OFFSET are bound) without
	 * searching the join orders of up to a dozen tables (half of a province
	 * list's server time), and a subquery runs only for the rows kept. */
	for (const struct field *f = ent->fields; f->name; f++) {
		if (f->type == F_REF) {
			const struct entity *target = entity_find(f->ref);
			buf_printf(&b, ", (SELECT j.%s FROM %s j WHERE j.id = t.%s)",
				   entity_title(target)->name, target->table, f->name);
		} else if (f->type == F_UNIT) {
			/* "Xã Mễ Sở, Tỉnh Hưng Yên": a name alone is ambiguous. */
			buf_printf(
				&b,
				", (SELECT j.full_name || COALESCE(', ' || (SELECT p.full_name FROM"
				" units p WHERE j.level <> 'province' AND p.era = j.era AND"
				" p.level = 'province' AND p.code = j.province_code AND"
				" p.is_current = 1 LIMIT 1), '') FROM units j WHERE j.id = t.%s),"
				" (SELECT j.code FROM units j WHERE j.id = t.%s)",
				f->name, f->name);
		} else if (f->type == F_PROVINCE) {
			buf_printf(&b,
				   ", (SELECT j.full_name FROM units j WHERE j.era = 'new' AND"
				   " j.level = 'province' AND j.code = t.%s AND j.is_current = 1"
				   " LIMIT 1)",
				   f->name);
		}
	}
	buf_printf(&b, " FROM %s t", ent->table);
	s->select = buf_detach(&b);
	buf_printf(&b, "%s WHERE t.id = ?", s->select);
	s->by_id = buf_detach(&b);
}

static void build_writes(const struct entity *ent, struct ent_sql *s)
{
	struct buf b = BUF_INIT, vals = BUF_INIT;
	buf_printf(&b,
		   "INSERT INTO %s (version, created_at, updated_at, province_code,"
		   " old_province_code, old_district_code, old_commune_code, old_split,"
		   " search_key",
		   ent->table);
	buf_puts(&vals, "1, ?, ?, ?, ?, ?, ?, ?, ?");
	for (const struct field *f = ent->fields; f->name; f++) {
		buf_puts(&b, ", ");
		field_columns(&b, f, "");
		buf_puts(&vals, f->type == F_QTY ? ", ?, ?, ?, ?" : ", ?");
	}
	buf_printf(&b, ") VALUES (%s)", buf_cstr(&vals));
	s->insert = buf_detach(&b);
	buf_free(&vals);

	buf_printf(&b,
		   "UPDATE %s SET version = version + 1, updated_at = ?, province_code = ?,"
		   " old_province_code = ?, old_district_code = ?, old_commune_code = ?,"
		   " old_split = ?, search_key = ?",
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

/* ---- dimensions shared by the statistics and the lists ------------------ */

const struct rec_dim rec_dimensions[] = {
	{"commune", NULL, NULL, "Xã/phường", "Commune",
	 "Commune of the record (or of its establishment or village): new:CODE for today's "
	 "commune with the old ones that roll up into it, old:CODE for a commune before "
	 "2025-07-01; none for unknown"},
	{"establishment_kind", "establishments", "kind", "Loại hình cơ sở", "Establishment kind",
	 "Kind of the record's establishment (enterprise, cooperative, cooperative_group, "
	 "household); none for unknown"},
	{"industry", NULL, NULL, "Ngành (VSIC cấp 1)", "Industry (VSIC section)",
	 "VSIC section of the establishment with its edition, 2025:C; none for unknown"},
	{"village", NULL, NULL, "Làng nghề", "Craft village",
	 "Id of the craft village of the record or its establishment; none for unknown"},
	{"village_group", "villages", "craft_group", "Nhóm làng nghề", "Craft village group",
	 "Craft group of the record's village; none for unknown"},
	{"content_type", "projects", "content_type", "Nội dung khuyến công", "Content type",
	 "Content type as the statistics read it: the project's, else what the record stands "
	 "for; none for unknown"},
	{"funding", "figures", "funding", "Nguồn kinh phí", "Funding source",
	 "Funding as the statistics read it (national, local): the project's kind, else the "
	 "record's own source; none for unknown"},
	{"product_group", "awards", "product_group", "Nhóm sản phẩm", "Product group",
	 "Product group of the typical-product selection (handicraft, food, machinery, other): "
	 "the award's own; none for unknown"},
	{NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct rec_dim *rec_dim_find(const char *name)
{
	for (const struct rec_dim *d = rec_dimensions; name && d->name; d++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

const struct field *rec_dim_codes(const char *what)
{
	const struct rec_dim *d = rec_dim_find(what);
	return d && d->codes ? entity_field(entity_find(d->codes_coll), d->codes) : NULL;
}

void rec_dims_init(struct rec_dims *d, const struct entity *ent)
{
	memset(d, 0, sizeof *d);
	if (ent->est_field && !strcmp(ent->est_field, "id"))
		d->est = "t"; /* the establishment itself */
	else if (ent->est_field)
		d->est = "e";
	if (!strcmp(ent->collection, "villages"))
		d->vil = "t";
	else if (entity_field(ent, "village_id")) {
		d->vil = "v";
		snprintf(d->vil_on, sizeof d->vil_on, "t.village_id");
	} else if (d->est) {
		d->vil = "v";
		snprintf(d->vil_on, sizeof d->vil_on, "%s.village_id", d->est);
	}
}

static void need_est(struct rec_dims *d)
{
	if (!strcmp(d->est, "e"))
		d->join_e = 1;
}

static void need_vil(struct rec_dims *d)
{
	if (!strcmp(d->vil, "v")) {
		d->join_v = 1;
		if (!strncmp(d->vil_on, "e.", 2))
			d->join_e = 1;
	}
}

/* The content type a record stands for when no project says it, as SQL
 * into out (size n), from the record type's description (entity.h:
 * content): a constant, or a CASE on the kind. -1: none. */
static int content_default(const struct entity *ent, char *out, size_t n)
{
	const char *c = ent->content;
	if (!c)
		return -1;
	if (!strchr(c, '=')) {
		snprintf(out, n, "'%s'", c);
		return 0;
	}
	struct buf b = BUF_INIT;
	buf_puts(&b, "CASE");
	for (const char *p = c;; p++) {
		size_t len = strcspn(p, "|");
		const char *eq = memchr(p, '=', len);
		if (!eq) {
			buf_printf(&b, " ELSE '%.*s'", (int)len, p);
			break;
		}
		buf_printf(&b, " WHEN t.kind IN (");
		for (const char *k = eq + 1; k < p + len; k++) {
			size_t kl = strcspn(k, ",|");
			buf_printf(&b, "%s'%.*s'", k == eq + 1 ? "" : ", ", (int)kl, k);
			k += kl;
		}
		buf_printf(&b, ") THEN '%.*s'", (int)(eq - p), p);
		p += len;
		if (!*p)
			break;
	}
	buf_puts(&b, " END");
	snprintf(out, n, "%s", buf_cstr(&b));
	buf_free(&b);
	return 0;
}

#define KIND_FUNDING(a)                                       \
	"CASE WHEN " a ".kind = 'local' THEN 'local' WHEN " a \
	".kind IS NOT NULL THEN 'national' END"

/* The SQL expression of breakdown (or filter) what over ent's records into
 * out, marking the joins it needs in d; -1 when it does not apply to them. */
int rec_dim_sql(const struct entity *ent, struct rec_dims *d, const char *what, char *out, size_t n)
{
	int has_project = entity_field(ent, "project_id") != NULL;
	if (!strcmp(what, "commune")) {
		if (entity_field(ent, "commune_id"))
			snprintf(out, n, "CAST(t.commune_id AS TEXT)");
		else if (d->est) {
			need_est(d);
			snprintf(out, n, "CAST(%s.commune_id AS TEXT)", d->est);
		} else if (d->vil) {
			need_vil(d);
			snprintf(out, n, "CAST(%s.commune_id AS TEXT)", d->vil);
		} else
			return -1;
	} else if (!strcmp(what, "establishment_kind")) {
		if (!d->est)
			return -1;
		need_est(d);
		snprintf(out, n, "%s.kind", d->est);
	} else if (!strcmp(what, "industry")) {
		if (!d->est)
			return -1;
		need_est(d);
		d->join_i = 1;
		snprintf(out, n,
			 "CASE WHEN length(%s.industry_code) = 1 THEN %s.industry_edition || ':' ||"
			 " %s.industry_code WHEN i.parent_code IS NOT NULL THEN i.edition || ':' ||"
			 " i.parent_code END",
			 d->est, d->est, d->est);
	} else if (!strcmp(what, "village") || !strcmp(what, "village_group")) {
		if (!d->vil)
			return -1;
		need_vil(d);
		if (!strcmp(what, "village"))
			snprintf(out, n, "CAST(%s.id AS TEXT)", d->vil);
		else
			snprintf(out, n, "%s.craft_group", d->vil);
	} else if (!strcmp(what, "content_type")) {
		char def[400];
		int has_def = content_default(ent, def, sizeof def) == 0;
		if (entity_field(ent, "content_type"))
			snprintf(out, n, "t.content_type");
		else if (has_project) {
			d->join_p = 1;
			snprintf(out, n, "COALESCE(p.content_type, %s)", has_def ? def : "NULL");
		} else if (has_def)
			snprintf(out, n, "%s", def);
		else
			return -1; /* establishments, villages...: no content type */
	} else if (!strcmp(what, "product_group")) {
		if (!entity_field(ent, "product_group"))
			return -1; /* only awards say their product's group */
		snprintf(out, n, "t.product_group");
	} else if (!strcmp(what, "funding")) {
		if (!strcmp(ent->collection, "projects"))
			snprintf(out, n, KIND_FUNDING("t"));
		else if (entity_field(ent, "funding_source") && has_project) {
			d->join_p = 1;
			snprintf(out, n, "COALESCE(t.funding_source, " KIND_FUNDING("p") ")");
		} else if (entity_field(ent, "funding_source"))
			snprintf(out, n, "t.funding_source");
		else if (has_project) {
			d->join_p = 1;
			snprintf(out, n, KIND_FUNDING("p"));
		} else
			return -1;
	} else
		return -1;
	return 0;
}

void rec_dims_joins(struct buf *b, const struct entity *ent, const struct rec_dims *d)
{
	if (d->join_e)
		buf_printf(b, " LEFT JOIN establishments e ON e.id = t.%s", ent->est_field);
	if (d->join_v)
		buf_printf(b, " LEFT JOIN villages v ON v.id = %s", d->vil_on);
	if (d->join_p)
		buf_puts(b, " LEFT JOIN projects p ON p.id = t.project_id");
	if (d->join_i)
		buf_printf(b,
			   " LEFT JOIN industries i ON i.edition = %s.industry_edition AND i.code ="
			   " substr(%s.industry_code, 1, 2)",
			   d->est, d->est);
}
