/* xlsx_export.c - one sheet per list: the same rows the page shows. */
#include "io/xlsx_export.h"

#include "io/list_place.h"
#include "io/record_view.h"

#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

static int numeric(const struct field *f)
{
	return f->type == F_INT || f->type == F_MONEY || f->type == F_YEAR;
}

static void write_row(lxw_worksheet *ws, lxw_format *money, const struct entity *ent, json_t *rec,
                      lxw_row_t row, const char *lang)
{
	worksheet_write_number(ws, row, 0, (double)json_integer_value(json_object_get(rec, "id")),
	                       NULL);
	lxw_col_t col = 1;
	for (const struct field *f = ent->fields; f->name; f++, col++) {
		json_t *v = json_object_get(rec, f->name);
		int display = f->type == F_MONEY; /* the amount, then its reading */
		if (!v || json_is_null(v)) {
			col += display;
			continue;
		}
		if (numeric(f) && json_is_integer(v))
			worksheet_write_number(ws, row, col, (double)json_integer_value(v),
			                       f->type == F_YEAR ? NULL : money);
		if (display)
			col++;
		if (numeric(f) && json_is_integer(v) && !display)
			continue;
		struct buf t = BUF_INIT, cell = BUF_INIT;
		view_text(&t, f, rec, lang);
		buf_cell_text(&cell, buf_cstr(&t), field_is_number(f));
		worksheet_write_string(ws, row, col, buf_cstr(&cell), NULL);
		buf_free(&t);
		buf_free(&cell);
	}
	json_t *place = json_object_get(rec, "export_place");
	for (size_t i = 0; i < json_array_size(place); i++)
		worksheet_write_string(ws, row, col + (lxw_col_t)i,
				       json_string_value(json_array_get(place, i)), NULL);
}

struct xlsx_list {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *money;
	const struct entity *ent;
	const char *lang;
	lxw_row_t row;
};

int xlsx_list_open(const struct entity *ent, const char *lang, const char *path,
		   struct xlsx_list **out, struct err *e)
{
	/* Rows go to a temporary file as they come: memory stays flat. */
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
	lxw_workbook *wb = workbook_new_opt(path, &wo);
	if (!wb)
		return err_set(e, ERR_IO, "", "cannot create the workbook");
	struct xlsx_list *x = xcalloc(1, sizeof *x);
	x->wb = wb;
	x->ws = workbook_add_worksheet(wb, NULL);
	x->ent = ent;
	x->lang = lang;
	x->row = 1;
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	x->money = workbook_add_format(wb);
	format_set_num_format(x->money, "#,##0");
	worksheet_freeze_panes(x->ws, 1, 0);
	worksheet_write_string(x->ws, 0, 0, "id", bold);
	lxw_col_t col = 1;
	for (const struct field *f = ent->fields; f->name; f++, col++) {
		worksheet_write_string(x->ws, 0, col, field_label(f, lang), bold);
		if (f->type == F_MONEY)
			worksheet_write_string(x->ws, 0, ++col, list_display_header(f, lang), bold);
	}
	for (int i = 0; i < list_place_cols(ent); i++)
		worksheet_write_string(x->ws, 0, col + (lxw_col_t)i, list_place_header(i, lang),
				       bold);
	*out = x;
	return 0;
}

int xlsx_list_row(struct xlsx_list *x, json_t *rec, struct err *e)
{
	if (x->row >= LXW_ROW_MAX)
		return err_set(
			e, ERR_TOOBIG, "format",
			"Excel chứa tối đa 1 048 576 dòng, hãy tải CSV / Excel holds at most "
			"1 048 576 rows; download CSV");
	write_row(x->ws, x->money, x->ent, rec, x->row++, x->lang);
	return 0;
}

int xlsx_list_close(struct xlsx_list *x, struct err *e)
{
	if (!x)
		return 0;
	lxw_error rc = workbook_close(x->wb);
	free(x);
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_IO, "", "workbook error: %s", lxw_strerror(rc));
	return 0;
}
