/* csv_read.h - reading a CSV file row by row (RFC 4180, libcsv): UTF-8 with
 * or without a BOM, or Windows-1258 (CP1258) converted to UTF-8; the
 * delimiter (comma, semicolon or tab) is read off the header line. Memory
 * stays bounded by the chunk size and the cell limit, whatever the file's
 * size. Also defines the row both readers hand out (see xlsx_read.h). */
#ifndef KC_CSV_READ_H
#define KC_CSV_READ_H

#include "core/err.h"

#include <stdint.h>

/* Limits shared by the CSV and XLSX readers: exceeding one is a clear error. */
enum { READ_MAX_COLUMNS = 2000, READ_CELL_MAX = 1 << 20 };

/* One row of a spreadsheet. cells[0..n) are NUL-terminated UTF-8 strings (not
 * yet NFC-normalised; "" for an empty cell) owned by the reader and valid
 * until its next call. number is the row number a spreadsheet program shows
 * for it (the file's first row is 1). */
struct read_row {
	int n;
	char **cells;
	int64_t number;
};

struct csv_reader;

/* Opens the CSV file at path. encoding is NULL or "auto" (UTF-8, or CP1258
 * when the bytes are not valid UTF-8 and there is no BOM), "utf-8" or
 * "cp1258". Fails with a message a person can act on: an empty file, bytes
 * that are neither UTF-8 nor CP1258 (naming the line), an unreadable file.
 * *out is closed with csv_reader_close(). */
int csv_reader_open(const char *path, const char *encoding, struct csv_reader **out, struct err *e);
/* Reads the next row: 1 and *row filled, 0 at the end, < 0 on a malformed
 * file (unterminated quote, stray quote, too many columns, a cell over
 * READ_CELL_MAX, a NUL byte, invalid bytes), e naming the row. Blank lines
 * are returned as rows with no cells so that numbers match a spreadsheet. */
int csv_reader_next(struct csv_reader *r, struct read_row *row, struct err *e);
/* Starts again from the first row. */
int csv_reader_rewind(struct csv_reader *r, struct err *e);
/* Bytes of the file consumed so far and its size, for progress. */
void csv_reader_progress(const struct csv_reader *r, int64_t *done, int64_t *total);
/* "utf-8" or "cp1258": what the file was read as. */
const char *csv_reader_encoding(const struct csv_reader *r);
/* The delimiter in use: ',', ';' or '\t'. */
char csv_reader_delimiter(const struct csv_reader *r);
/* Frees r. NULL is allowed. */
void csv_reader_close(struct csv_reader *r);

#endif
