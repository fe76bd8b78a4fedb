/* xlsx_read.h - reading one sheet of an Excel workbook (.xlsx) row by row:
 * libzip opens the parts, expat parses them, and the sheet's XML is streamed
 * so that only one row is in memory at a time (plus the shared strings).
 * Values come out as text an importer reads the Vietnamese way: numbers with
 * a decimal comma ("24,7"), date cells as dd/mm/yyyy, percentages "71,7%",
 * booleans TRUE/FALSE, formulas as their cached value (never evaluated). */
#ifndef KC_XLSX_READ_H
#define KC_XLSX_READ_H

#include "io/csv_read.h" /* struct read_row and the shared limits */

/* Limits of a workbook part: uncompressed size and compression ratio (zip
 * bombs), and the memory the shared strings may take. */
enum {
	XLSX_PART_MAX = 200 * 1024 * 1024,
	XLSX_RATIO_MAX = 100,
	XLSX_RATIO_FROM = 1024 * 1024, /* the ratio is checked on parts larger than this */
	XLSX_SST_MAX = 64 * 1024 * 1024,
};

struct xlsx_reader;

/* Opens the workbook at path and the sheet named sheet (compared without
 * marks and case), or the first sheet when sheet is NULL or "". Reads the
 * workbook, its relationships, styles (to know date and percent cells) and
 * shared strings. Clear errors for a ZIP that is not a workbook, a missing
 * sheet (naming those present), a part over the limits, malformed XML. */
int xlsx_reader_open(const char *path, const char *sheet, struct xlsx_reader **out, struct err *e);
/* Reads the next row that has cells: 1 and *row filled (row->number is the
 * sheet's row number), 0 at the end, < 0 on an error naming the row (a
 * shared string that does not exist, more than READ_MAX_COLUMNS columns, a
 * cell over READ_CELL_MAX, malformed XML). */
int xlsx_reader_next(struct xlsx_reader *r, struct read_row *row, struct err *e);
/* Starts the sheet again from its first row. */
int xlsx_reader_rewind(struct xlsx_reader *r, struct err *e);
/* Uncompressed bytes of the sheet read so far and its size. */
void xlsx_reader_progress(const struct xlsx_reader *r, int64_t *done, int64_t *total);
/* The name of the sheet being read. */
const char *xlsx_reader_sheet(const struct xlsx_reader *r);
/* Frees r. NULL is allowed. */
void xlsx_reader_close(struct xlsx_reader *r);

#endif
