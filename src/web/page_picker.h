/* page_picker.h - the input of a reference field in a form: a select when
 * the user may choose among few records, else a text box that takes a code,
 * a name or "#id …" (resolved on submit), which static/picker.js turns into
 * a search-as-you-type list. */
#ifndef KC_PAGE_PICKER_H
#define KC_PAGE_PICKER_H

#include "model/entity.h"
#include "web/http.h"

/* Choices up to which a reference is a plain select. */
enum { PICKER_SELECT_MAX = 30 };

/* Renders the input named f->name (id "in-NAME") of field f (F_REF or
 * F_UNIT) of a form of ent, showing val (an id, "#id …" or typed text). */
void picker_input(struct req *r, struct resp *w, const struct entity *ent, const struct field *f,
		  const char *val);
/* A new record's form opened from its parent's page (?plan_id=5) takes
 * from the parent what they share: province, year, references. vals holds
 * the form strings; only absent ones are added. */
void picker_prefill(struct req *r, const struct entity *ent, json_t *vals);
/* Whether field f of ent is shown as rows (a lot's inputs and their origin). */
int picker_has_rows(const struct entity *ent, const struct field *f);
/* Renders a lot's inputs (val: the JSON text of the field) as rows of name,
 * origin (a commune picker), supplier and quantity, with blank rows. */
void picker_rows_input(struct req *r, struct resp *w, const char *val);
/* Gathers the posted rows (inputs_name, inputs_origin… in order) into
 * in["inputs"], and their JSON text into echo for a re-shown form; no rows
 * posted: nothing changes. On update, no filled row clears the field. */
void picker_rows_posted(struct req *r, const struct entity *ent, json_t *in, json_t *echo,
			int update);
/* A lot's inputs v (a JSON object) as a table, for its record page. */
void picker_rows_view(struct req *r, struct resp *w, json_t *v);
/* The script tag of the pickers, once per page with a form that has one. */
void picker_script(struct resp *w);

#endif
