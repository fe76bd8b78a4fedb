/* xlsx_export.c - one sheet per list: the same rows the page shows. */
#include "io/xlsx_export.h"

#include "io/record_view.h"

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
		if (!v || json_is_null(v))
			continue;
		if (numeric(f) && json_is_integer(v)) {
			worksheet_write_number(ws, row, col, (double)json_integer_value(v),
			                       f->type == F_YEAR ? NULL : money);
			continue;
		}
		struct buf t = BUF_INIT, cell = BUF_INIT;
		view_text(&t, f, rec, lang);
		buf_cell_text(&cell, buf_cstr(&t), field_is_number(f));
		worksheet_write_string(ws, row, col, buf_cstr(&cell), NULL);
		buf_free(&t);
		buf_free(&cell);
	}
}

int xlsx_records(const struct entity *ent, json_t *items, const char *lang, struct buf *out,
                 struct err *e)
{
	char path[] = "/tmp/kc-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(e, ERR_IO, "", "cannot create a temporary file");
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		unlink(path);
		return err_set(e, ERR_IO, "", "cannot create the workbook");
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_format *money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0");
	worksheet_write_string(ws, 0, 0, "id", bold);
	lxw_col_t col = 1;
	for (const struct field *f = ent->fields; f->name; f++, col++)
		worksheet_write_string(ws, 0, col, field_label(f, lang), bold);
	worksheet_freeze_panes(ws, 1, 0);
	size_t i;
	json_t *rec;
	json_array_foreach(items, i, rec) write_row(ws, money, ent, rec, (lxw_row_t)(i + 1), lang);
	lxw_error rc = workbook_close(wb);
	int result = 0;
	if (rc != LXW_NO_ERROR)
		result = err_set(e, ERR_IO, "", "workbook error: %s", lxw_strerror(rc));
	else if (buf_read_file(out, path) < 0)
		result = err_set(e, ERR_IO, "", "cannot read the workbook");
	unlink(path);
	return result;
}
