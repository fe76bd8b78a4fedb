/* doc.h - a report as one JSON document, and the renderers that read it:
 * PDF, XLSX, HTML, plain text, and its charts as SVG or PNG ("one query,
 * many renderers": a report is built once and every format reads the same
 * model).
 *
 * The model (every key but "title" and "sections" is optional):
 *   {"title": "Báo cáo kết quả khuyến công", "subtitle": "Tỉnh Hưng Yên · 2021–2025",
 *    "sections": [
 *      {"title": "1. Đào tạo nghề",
 *       "paragraphs": ["Giai đoạn 2016 – 2020, đã tổ chức 274 lớp ... [1]"],
 *       "table": {"columns": [{"label": "Chỉ tiêu"}, {"label": "Giá trị", "numeric": true}],
 *                 "rows": [["Lớp truyền nghề", "274"], ["Lao động được đào tạo", "9.590"]]},
 *       "chart": {"kind": "bar", "title": "Học viên theo năm", "unit": "người",
 *                 "labels": ["2021", "2022"], "values": [120, 340.5]}}],
 *    "notes": ["[1] Sở Công Thương Hà Nội, ..."]}
 * Cells are strings already formatted the Vietnamese way (numbers and null are
 * accepted too); "numeric": true right-aligns a column. PDF, HTML and text
 * print the cells as they are.
 * A table may also carry "values", parallel to "rows": per cell null or the
 * number the reading shows, for the renderers that want numbers (XLSX, CSV):
 *   {"value": 24.7, "decimals": 1, "unit": "tỷ đồng",
 *    "qualifier": "at_least"|"about"|"nearly"|"at_most"|"range" (absent: exact),
 *    "value_hi": 7 (ranges), "notes": [1] (note marks),
 *    "sum": [0, 1, 2] (this row is the plain sum of those rows: a formula),
 *    "note": "why it is not a plain sum / cannot be added up"}
 * "unit" "%" (or "%/năm") is a percentage: "value" 71.7 means 71,7%. Where a
 * table has values, the XLSX writes the number with its number format, and
 * unit, qualifier ("trên", "khoảng"), note marks and notes each in a column
 * of their own; the CSV likewise. Without values the XLSX turns cells of
 * numeric columns back into numbers where they parse cleanly.
 * "about" (optional) describes the report for the XLSX cover and the PDF
 * title page: {"scope": "province"|"national", "place", "province", "from",
 * "to", "period", "units": "current"|"historical", "units_text",
 * "generated_at" (ISO, +07:00), "generated" ("dd/mm/yyyy hh:mm"), "version"}.
 * "letterhead" (optional) makes the report an administrative document (Decree
 * 30/2020/NĐ-CP): {"parent_body", "issuing_body", "number" ("Số: 125/BC-SCT"),
 * "place_date" ("Hưng Yên, ngày 04 tháng 12 năm 2026"), "kind" ("BÁO CÁO"),
 * "summary", "addressee": [..] (Kính gửi), "recipients": [..] (Nơi nhận),
 * "signer_authority", "signer_title", "signer_name", "draft": true|false}.
 * With it the PDF opens on the national name, motto and the two-column header
 * instead of a title page, ends with "Nơi nhận" and the signature, and a draft
 * says "DỰ THẢO" across every page; HTML and text print the same parts.
 * A section may have any of paragraphs, table, chart and map, drawn in that
 * order. "map" is a statistic by province drawn as a map of Vietnam
 * (io/map.h, map_model()): {"title", "old_units", "query": {"by":
 * "province"}, "rows": [...]}; the PDF draws it square at full text width,
 * the HTML inline as SVG.
 * Chart kinds: "bar" (vertical bars, one series), "hbar" (horizontal bars, for
 * long labels), "progress" ("values" = actual, "targets" = target: a bar per
 * label showing the share of its target reached). "values" and "targets" hold
 * numbers, or null for a missing figure. Optional: "integer": true (counts:
 * axis ticks only at whole numbers), "text_size" (6..32: the base font size in
 * the drawing's units, for a chart shown at a known size; no text is smaller
 * than 0.85 of it), "lang": "en" (the chart's own words — unit, no data — in
 * English). The drawing code is in io/chart.h. */
#ifndef KC_DOC_H
#define KC_DOC_H

#include "core/buf.h"
#include "core/err.h"

#include <jansson.h>

/* Checks doc against the model above (types of every key, charts through
 * chart_check()). Returns 0, or ERR_INVALID with e->field naming the part at
 * fault ("sections[1].table.rows[3]"). doc_pdf() and doc_xlsx() call it. */
int doc_check(json_t *doc, struct err *e);

/* The text of a table cell: a string as it is, a number formatted the
 * Vietnamese way (9590 -> "9.590", 24.7 -> "24,7"), anything else "". The
 * result is cell's own string or lives in tmp (until tmp changes). */
const char *doc_cell(json_t *cell, struct buf *tmp);

/* Draws chart as an SVG document of width x height pixels (16..10000) into
 * out (appended; starts with "<?xml"). Text is drawn as glyph outlines, so
 * the SVG needs no fonts. Returns 0, or ERR_INVALID for a bad chart or size,
 * ERR_IO if cairo fails; on failure out is left as it was. */
int chart_svg(json_t *chart, double width, double height, struct buf *out, struct err *e);

/* Draws chart as a PNG image of width x height pixels (16..4096), white
 * ground, appended to out. Errors as chart_svg(). */
int chart_png(json_t *chart, int width, int height, struct buf *out, struct err *e);

/* Renders doc as an A4 portrait PDF appended to out: 2 cm margins, a title
 * page (title, subtitle, "about", the sections with their pages), then the
 * sections with wrapped justified paragraphs, tables (header row
 * repeated on each page a table runs onto, numeric columns right-aligned),
 * charts at full text width and 7 cm high, notes at the end in a smaller
 * font, "Trang N/M" in every footer. Returns 0, ERR_INVALID (doc_check), or
 * ERR_IO when cairo fails; on failure out is left as it was. */
int doc_pdf(json_t *doc, struct buf *out, struct err *e);

/* Renders doc as an XLSX workbook appended to out: a cover "Trang bìa"
 * (title, "about", the tables, the notes), a sheet "Tổng hợp" with the
 * whole report, one sheet per section that has a table (named after the
 * section, made valid and unique; header row frozen), and a sheet "Nguồn"
 * with the notes when there are any. Tables with "values" are written in the
 * columns of doc_table_layout(): numbers with a number format (#,##0.0,
 * 0.0%), totals as =SUM() formulas with their value cached. Elsewhere cells
 * of numeric columns that parse cleanly ("9.590", "24,7", "71,7%") are
 * stored as numbers with a number format. Returns 0,
 * ERR_INVALID (doc_check), ERR_TOOBIG past a worksheet limit, or ERR_IO;
 * on failure out is left as it was. Uses a temporary file in /tmp. */
int doc_xlsx(json_t *doc, struct buf *out, struct err *e);

/* Appends doc as an HTML fragment (no <html> or <body>) to out: an
 * <article class="report-doc"> with <h1> title, <h2> per section, <p>
 * paragraphs, <table class="report"> (numeric cells class="num"), charts as
 * <figure class="chart"> with inline SVG (ids made unique per chart), notes
 * as <ol class="notes">. All text is escaped. Never fails: parts that do not
 * fit the model are skipped, a chart that cannot be drawn becomes a note. */
void doc_html(json_t *doc, struct buf *out);

/* The string key of letterhead h, or "" when absent. */
const char *doc_letterhead_text(json_t *h, const char *key);
/* The letterhead's parts before the sections and after them (nothing when
 * h is NULL), for doc_html() and doc_text(). */
void doc_html_letterhead_top(json_t *h, struct buf *out);
void doc_html_letterhead_end(json_t *h, struct buf *out);
void doc_text_letterhead_top(json_t *h, struct buf *out);
void doc_text_letterhead_end(json_t *h, struct buf *out);

/* Appends doc as Markdown-like plain text to out: "# title", "## section",
 * paragraphs, tables as pipe tables ("| Lớp truyền nghề | 274 | lớp |"),
 * charts as lists of their figures, notes at the end. Never fails. */
void doc_text(json_t *doc, struct buf *out);

/* The columns of a table as the XLSX and the CSV write them: a column with
 * values becomes the number (DOC_VALUE) and, when any of its cells needs
 * them, the end of ranges ("Đến"), the unit ("Đơn vị"; "%" only when
 * percent_unit, as the XLSX shows percentages by their format), the
 * qualifier ("Mức độ": trên, khoảng, tối đa, trong khoảng) and the note
 * marks ("Nguồn"); a last column "Ghi chú" holds the notes on totals and
 * ratios. Other columns stay as they are (DOC_CELL). */
enum doc_part { DOC_CELL, DOC_VALUE, DOC_HI, DOC_UNIT, DOC_QUAL, DOC_MARKS, DOC_NOTE };
struct doc_col {
	size_t src; /* the document's column */
	enum doc_part part;
	char label[160];
};

/* Lays table t out into *cols (caller frees); returns their number. */
size_t doc_table_layout(json_t *t, int percent_unit, struct doc_col **cols);

/* Is column j of the table columns cols "numeric" (right-aligned)? */
int doc_col_numeric(json_t *cols, size_t j);

/* The value of cell (row i, column j) of table t (an object with a numeric
 * "value"), or NULL. Borrowed from t. */
json_t *doc_table_value(json_t *t, size_t i, size_t j);

/* The text of column c in row i of t: the cell, the unit, the qualifier's
 * words, the marks "[1] [3]", the note; numbers the Vietnamese way
 * ("9.590"), or plain ("9590", "24.7") when plain, which also shows the
 * unit "%". Lives in t or tmp (until tmp changes). Never fails. */
const char *doc_table_text(json_t *t, size_t i, const struct doc_col *c, int plain,
			   struct buf *tmp);

/* Appends the table of section number `section` (0-based) of doc as CSV
 * (UTF-8 with BOM, RFC 4180, CRLF) to out. Returns 1, or 0 when that
 * section has no table (nothing appended). */
int doc_csv_table(json_t *doc, size_t section, struct buf *out);

#endif
