/* template.c - the Excel template of each record type: a header row the
 * importer recognises, drop-down lists for codes (on a hidden sheet, so any
 * length fits), and an instructions sheet generated from the formats. */
#include "io/import.h"

#include "core/mem.h"
#include "model/unit.h"
#include "stats/indicator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

enum { TEMPLATE_ROWS = 5000 }; /* rows that carry the drop-downs */

/* libxlsxwriter 1.1.4 (Debian 12) never frees a small copy it makes for each
 * data validation; LeakSanitizer (present in test builds only, hence weak)
 * is told to ignore what that one call allocates. */
extern void __lsan_disable(void) __attribute__((weak));
extern void __lsan_enable(void) __attribute__((weak));

struct tpl {
	lxw_workbook *wb;
	lxw_worksheet *data, *guide, *lists;
	lxw_format *bold, *required, *wrap;
	lxw_col_t list_col; /* next free column of the hidden sheet */
};

/* Excel refuses []:*?/\ in sheet names and more than 31 characters. */
static void sheet_name(const char *in, char *out, size_t n)
{
	size_t o = 0;
	int chars = 0;
	for (const char *p = in; *p;) {
		size_t len = 1;
		while (((unsigned char)p[len] & 0xC0) == 0x80)
			len++;
		if (chars == 31 || o + len >= n)
			break;
		if (!strchr("[]:*?/\\", *p)) {
			memcpy(out + o, p, len);
			o += len;
			chars++;
		}
		p += len;
	}
	out[o] = 0;
}

static void col_letters(lxw_col_t c, char out[8])
{
	char tmp[8];
	int n = 0;
	c++;
	while (c > 0 && n < 7) {
		tmp[n++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = 0;
}

/* Writes values down a column of the hidden sheet and puts a drop-down on
 * the data column col that offers them. */
static void dropdown(struct tpl *t, lxw_col_t col, json_t *values)
{
	size_t n = json_array_size(values);
	if (!n)
		return;
	struct buf v = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_reset(&v);
		buf_cell_text(&v, json_string_value(json_array_get(values, i)), 0);
		worksheet_write_string(t->lists, (lxw_row_t)i, t->list_col, buf_cstr(&v), NULL);
	}
	buf_free(&v);
	char letters[8], formula[64];
	col_letters(t->list_col, letters);
	snprintf(formula, sizeof formula, "=DanhMuc!$%s$1:$%s$%zu", letters, letters, n);
	lxw_data_validation dv = {
		.validate = LXW_VALIDATION_TYPE_LIST_FORMULA,
		.value_formula = formula,
		.ignore_blank = LXW_VALIDATION_ON,
		.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING,
	};
	if (__lsan_disable)
		__lsan_disable();
	worksheet_data_validation_range(t->data, 1, col, TEMPLATE_ROWS, col, &dv);
	if (__lsan_enable)
		__lsan_enable();
	t->list_col++;
}

static json_t *enum_labels(const struct field *f)
{
	json_t *list = json_array();
	for (const char *p = f->values; p && *p;) {
		const char *c1 = strchr(p, ':'), *bar = strchr(p, '|');
		char code[64], label[200];
		snprintf(code, sizeof code, "%.*s", (int)(c1 - p), p);
		field_enum_label(f, code, "vi", label, sizeof label);
		json_array_append_new(list, json_string(label));
		p = bar ? bar + 1 : NULL;
	}
	return list;
}

static json_t *province_names(struct store *st)
{
	json_t *list = json_array(), *items = NULL;
	struct unit_query q = {.era = "new", .level = "province", .limit = 100};
	struct err e;
	if (st && unit_search(st, &q, &items, NULL, &e) == 0) {
		size_t i;
		json_t *u;
		json_array_foreach(items, i, u) json_array_append(list, json_object_get(u, "name"));
	}
	json_decref(items);
	return list;
}

/* A field naming an indicator (figures, targets) takes a catalogue code. */
static int is_indicator(const struct field *f)
{
	return f->type == F_TEXT && !strcmp(f->name, "indicator");
}

static json_t *indicator_codes(void)
{
	json_t *list = json_array();
	for (const struct indicator *i = indicators; i->code; i++)
		json_array_append_new(list, json_string(i->code));
	return list;
}

static void field_dropdown(struct tpl *t, struct store *st, const struct field *f, lxw_col_t col)
{
	json_t *values = NULL;
	if (is_indicator(f))
		values = indicator_codes();
	else if (f->type == F_ENUM)
		values = enum_labels(f);
	else if (f->type == F_BOOL)
		values = json_pack("[s,s]", "có", "không");
	else if (f->type == F_PROVINCE)
		values = province_names(st);
	if (values)
		dropdown(t, col, values);
	json_decref(values);
}

static void guide_row(struct tpl *t, lxw_row_t row, const struct entity *ent, const struct field *f)
{
	char values[4000] = "";
	if (f->type == F_ENUM) {
		json_t *labels = enum_labels(f);
		size_t i, o = 0;
		json_t *l;
		json_array_foreach(labels, i, l) o +=
			(size_t)snprintf(values + o, o < sizeof values ? sizeof values - o : 0,
					 "%s%s", i ? "; " : "", json_string_value(l));
		json_decref(labels);
	} else if (is_indicator(f))
		snprintf(values, sizeof values, "%s",
			 "Mã trong danh mục chỉ tiêu (danh sách thả xuống; GET /api/v1/indicators)"
			 " / a code of the indicator catalogue");
	json_t *hs = import_headers(ent, f);
	struct buf other = BUF_INIT;
	size_t i;
	json_t *h;
	json_array_foreach(hs, i, h)
		buf_printf(&other, "%s%s", i ? "; " : "", json_string_value(h));
	json_decref(hs);
	worksheet_write_string(t->guide, row, 0, f->vi, t->bold);
	worksheet_write_string(t->guide, row, 1, f->name, NULL);
	worksheet_write_string(t->guide, row, 2, (f->flags & FF_REQUIRED) ? "Bắt buộc" : "", NULL);
	worksheet_write_string(t->guide, row, 3, import_forms(f, "vi"), t->wrap);
	worksheet_write_string(t->guide, row, 4, import_example(f), NULL);
	worksheet_write_string(t->guide, row, 5, values, t->wrap);
	worksheet_write_string(t->guide, row, 6, buf_cstr(&other), t->wrap);
	buf_free(&other);
}

static void write_guide(struct tpl *t, const struct entity *ent)
{
	static const char *const intro[] = {
		"Cách dùng mẫu nhập",
		"1. Điền mỗi hồ sơ một dòng, bắt đầu từ dòng 2 của trang đầu; không đổi dòng tiêu "
		"đề "
		"(có thể bỏ các cột không dùng, thêm cột STT).",
		"2. Cột có dấu * là bắt buộc khi tạo hồ sơ mới. Ô trống không xóa giá trị đã có.",
		"3. Vào trang Nhập dữ liệu (/import), chọn loại hồ sơ và tệp, bấm Kiểm tra: mọi "
		"lỗi được "
		"liệt kê theo dòng và cột; không có gì được ghi.",
		"4. Sửa các lỗi rồi bấm Nhập: tất cả các dòng được ghi cùng lúc, hoặc không dòng "
		"nào. "
		"Nhập lại cùng tệp không tạo bản ghi trùng (khóa tự nhiên bên dưới).",
	};
	lxw_row_t r = 0;
	for (size_t i = 0; i < sizeof intro / sizeof intro[0]; i++)
		worksheet_write_string(t->guide, r++, 0, intro[i], i ? NULL : t->bold);
	char key[600];
	snprintf(key, sizeof key, "Khóa tự nhiên (dòng trùng khóa cập nhật hồ sơ đã có): %s",
		 import_key_text(ent));
	worksheet_write_string(t->guide, r++, 0, key, NULL);
	r++;
	static const char *const head[] = {"Cột",
					   "Tên trường",
					   "Bắt buộc",
					   "Cách ghi",
					   "Ví dụ",
					   "Các giá trị",
					   "Tiêu đề cũng được nhận"};
	for (lxw_col_t c = 0; c < 7; c++)
		worksheet_write_string(t->guide, r, c, head[c], t->bold);
	r++;
	for (const struct field *f = ent->fields; f->name; f++)
		if (!(f->flags & FF_READONLY))
			guide_row(t, r++, ent, f);
	worksheet_set_column(t->guide, 0, 0, 34, NULL);
	worksheet_set_column(t->guide, 1, 2, 16, NULL);
	worksheet_set_column(t->guide, 3, 3, 48, NULL);
	worksheet_set_column(t->guide, 4, 4, 20, NULL);
	worksheet_set_column(t->guide, 5, 6, 60, NULL);
}

int import_template_xlsx(struct store *st, const struct entity *ent, const char *path,
			 struct err *e)
{
	struct tpl t = {0};
	t.wb = workbook_new(path);
	if (!t.wb)
		return err_set(e, ERR_IO, "out", "cannot create %s", path);
	char name[128];
	sheet_name(ent->plural_vi, name, sizeof name);
	t.data = workbook_add_worksheet(t.wb, name);
	t.guide = workbook_add_worksheet(t.wb, "Hướng dẫn");
	t.lists = workbook_add_worksheet(t.wb, "DanhMuc");
	t.bold = workbook_add_format(t.wb);
	format_set_bold(t.bold);
	t.required = workbook_add_format(t.wb);
	format_set_bold(t.required);
	format_set_bg_color(t.required, 0xFCE4D6);
	t.wrap = workbook_add_format(t.wb);
	format_set_text_wrap(t.wrap);
	lxw_col_t col = 0;
	for (const struct field *f = ent->fields; f->name; f++) {
		if (f->flags & FF_READONLY)
			continue;
		char label[300];
		snprintf(label, sizeof label, "%s%s", f->vi, (f->flags & FF_REQUIRED) ? " *" : "");
		worksheet_write_string(t.data, 0, col, label,
				       (f->flags & FF_REQUIRED) ? t.required : t.bold);
		worksheet_write_comment(t.data, 0, col, import_forms(f, "vi"));
		worksheet_set_column(t.data, col, col, 22, NULL);
		field_dropdown(&t, st, f, col);
		col++;
	}
	worksheet_freeze_panes(t.data, 1, 0);
	write_guide(&t, ent);
	worksheet_hide(t.lists);
	lxw_error rc = workbook_close(t.wb);
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_IO, "out", "cannot write %s: %s", path, lxw_strerror(rc));
	return 0;
}
