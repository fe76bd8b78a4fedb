/* csv_read.c - a pull reader over libcsv's push parser: the file is read in
 * chunks, converted to UTF-8 when needed, and parsed into a small queue of
 * rows that next() hands out one at a time. */
#include "io/csv_read.h"

#include "core/buf.h"
#include "core/mem.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { CHUNK = 64 * 1024 };

enum encoding { ENC_UTF8, ENC_CP1258, ENC_UTF16 };

struct qrow {
	size_t first; /* index of its first cell in cell_off */
	int n;
	int64_t number;
};

struct csv_reader {
	FILE *f;
	int64_t size, consumed;
	enum encoding enc;
	iconv_t cd;
	size_t skip; /* bytes of the BOM */
	char delim;
	int delim_known;
	struct csv_parser p;
	/* Rows parsed but not yet handed out. */
	struct buf data; /* cell bytes, each cell NUL-terminated */
	size_t *cell_off;
	size_t ncell, cell_cap;
	struct qrow *rows;
	size_t nrows, rows_cap, next_row;
	char **out; /* the pointers of the row handed out */
	size_t out_cap;
	int row_cells;	   /* cells of the row being parsed */
	int64_t rows_done; /* rows completed (their numbers) */
	int last_term;	   /* what ended the previous row, for CRLF */
	int64_t line;	   /* physical lines consumed (for decoding errors) */
	int eof;
	int failed;
	int parser_live; /* p was initialised */
	struct err cb_err;
	char raw[CHUNK];
};

/* ---- encoding -------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at p (n bytes available), 0 when the
 * bytes are invalid, -1 when they are a valid but incomplete prefix. */
static int utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	int len = c < 0x80	       ? 1
		  : (c & 0xE0) == 0xC0 ? 2
		  : (c & 0xF0) == 0xE0 ? 3
		  : (c & 0xF8) == 0xF0 ? 4
				       : 0;
	if (!len || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4))
		return 0;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return -1;
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	}
	if (len == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)))
		return 0; /* overlong or a surrogate */
	if (len == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)))
		return 0;
	return len;
}

/* Scans the whole file once: 1 when it is valid UTF-8, else 0 with the line
 * of the first bad byte in *bad_line. Memory: one chunk. */
static int file_is_utf8(FILE *f, int64_t *bad_line)
{
	unsigned char buf[CHUNK + 4];
	size_t keep = 0, n;
	int64_t line = 1;
	while ((n = fread(buf + keep, 1, CHUNK, f)) > 0 || keep) {
		size_t len = keep + n, i = 0;
		int at_end = n == 0;
		keep = 0;
		while (i < len) {
			int s = utf8_seq(buf + i, len - i);
			if (s < 0 && !at_end) {
				keep = len - i;
				memmove(buf, buf + i, keep);
				break;
			}
			if (s <= 0) {
				*bad_line = line;
				return 0;
			}
			line += buf[i] == '\n';
			i += (size_t)s;
		}
		if (at_end)
			break;
	}
	return 1;
}

static int pick_encoding(struct csv_reader *r, const char *encoding, struct err *e)
{
	unsigned char head[3] = {0};
	size_t n = fread(head, 1, 3, r->f);
	if (n >= 2 &&
	    ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))) {
		r->enc = ENC_UTF16; /* Excel's "Unicode text"; iconv reads the BOM */
	} else if (n == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
		r->skip = 3;
	}
	rewind(r->f);
	int auto_enc = !encoding || !*encoding || !strcmp(encoding, "auto");
	if (!auto_enc && strcmp(encoding, "utf-8") && strcmp(encoding, "utf8") &&
	    strcmp(encoding, "cp1258") && strcmp(encoding, "windows-1258"))
		return err_set(
			e, ERR_INVALID, "encoding",
			"Bảng mã không hỗ trợ: %s (dùng utf-8 hoặc cp1258) / unsupported encoding "
			"%s (use utf-8 or cp1258)",
			encoding, encoding);
	if (r->enc == ENC_UTF16)
		return 0;
	if (!auto_enc && (!strcmp(encoding, "cp1258") || !strcmp(encoding, "windows-1258"))) {
		r->enc = ENC_CP1258;
		return 0;
	}
	int64_t bad = 0;
	int ok = file_is_utf8(r->f, &bad);
	rewind(r->f);
	if (ok)
		return 0;
	if (!auto_enc || r->skip)
		return err_set(
			e, ERR_INVALID, "encoding",
			"Tệp không phải UTF-8 hợp lệ (dòng %lld); lưu lại dạng CSV UTF-8 / the "
			"file is not valid UTF-8 (line %lld); save it again as CSV UTF-8",
			(long long)bad, (long long)bad);
	r->enc = ENC_CP1258; /* old Vietnamese Windows files */
	return 0;
}

static int open_iconv(struct csv_reader *r, struct err *e)
{
	if (r->enc == ENC_UTF8)
		return 0;
	r->cd = iconv_open("UTF-8", r->enc == ENC_CP1258 ? "CP1258" : "UTF-16");
	if (r->cd == (iconv_t)-1)
		return err_set(e, ERR_IO, "encoding", "iconv cannot convert from %s",
			       r->enc == ENC_CP1258 ? "CP1258" : "UTF-16");
	return 0;
}

/* Converts n bytes of in to UTF-8 appended to out; *used tells how many
 * were consumed (an incomplete sequence at the end stays for later). */
static int decode(struct csv_reader *r, const char *in, size_t n, size_t *used, struct buf *out,
		  struct err *e)
{
	char tmp[CHUNK];
	char *ip = (char *)in;
	size_t left = n;
	while (left > 0) {
		char *op = tmp;
		size_t room = sizeof tmp;
		size_t rc = iconv(r->cd, &ip, &left, &op, &room);
		buf_append(out, tmp, (size_t)(op - tmp));
		if (rc != (size_t)-1 || errno == E2BIG)
			continue;
		if (errno == EINVAL)
			break; /* an incomplete sequence: wait for more bytes */
		int64_t line = r->line;
		for (const char *p = in; p < ip; p++)
			line += *p == '\n';
		return err_set(
			e, ERR_INVALID, "encoding",
			"Tệp không phải UTF-8 cũng không phải Windows-1258 (byte 0x%02X ở dòng "
			"%lld); lưu lại dạng CSV UTF-8 / the file is neither UTF-8 nor "
			"Windows-1258 (byte 0x%02X on line %lld); save it again as CSV UTF-8",
			(unsigned char)*ip, (long long)line, (unsigned char)*ip, (long long)line);
	}
	*used = n - left;
	return 0;
}

/* ---- the row queue --------------------------------------------------- */

/* Drops the rows handed out; the cells of a row still being parsed (its
 * end lies in the next chunk) move to the front. */
static void queue_reset(struct csv_reader *r)
{
	size_t keep = (size_t)r->row_cells;
	if (keep == 0 || r->ncell < keep) {
		buf_reset(&r->data);
		r->ncell = 0;
	} else {
		size_t from = r->cell_off[r->ncell - keep], len = r->data.len - from;
		memmove(r->data.data, r->data.data + from, len);
		r->data.len = len;
		for (size_t i = 0; i < keep; i++)
			r->cell_off[i] = r->cell_off[r->ncell - keep + i] - from;
		r->ncell = keep;
	}
	r->nrows = r->next_row = 0;
}

static int cb_fail(struct csv_reader *r, int code, const char *vi, const char *en)
{
	if (!r->failed)
		err_set(&r->cb_err, code, "", "Dòng %lld: %s / row %lld: %s",
			(long long)(r->rows_done + 1), vi, (long long)(r->rows_done + 1), en);
	r->failed = 1;
	return -1;
}

static void on_cell(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;
	if (r->failed)
		return;
	if (len > READ_CELL_MAX) {
		cb_fail(r, ERR_TOOBIG, "một ô lớn hơn 1 MB", "a cell is larger than 1 MB");
		return;
	}
	if (r->row_cells >= READ_MAX_COLUMNS) {
		cb_fail(r, ERR_TOOBIG, "quá 2.000 cột", "more than 2,000 columns");
		return;
	}
	if (len && memchr(s, 0, len)) {
		cb_fail(r, ERR_INVALID, "ô chứa byte NUL (tệp nhị phân?)",
			"a cell holds a NUL byte "
			"(a binary file?)");
		return;
	}
	if (r->ncell == r->cell_cap) {
		r->cell_cap = r->cell_cap ? 2 * r->cell_cap : 256;
		r->cell_off = xrealloc(r->cell_off, r->cell_cap * sizeof *r->cell_off);
	}
	r->cell_off[r->ncell++] = r->data.len;
	buf_append(&r->data, s ? s : "", len);
	buf_putc(&r->data, 0);
	r->row_cells++;
}

static void on_row(int c, void *data)
{
	struct csv_reader *r = data;
	if (r->failed)
		return;
	int term = c;
	/* With CSV_REPALL_NL the LF of a CRLF arrives as an empty row of its own. */
	if (r->row_cells == 0 && c == '\n' && r->last_term == '\r') {
		r->last_term = '\n';
		return;
	}
	r->last_term = term;
	if (r->nrows == r->rows_cap) {
		r->rows_cap = r->rows_cap ? 2 * r->rows_cap : 64;
		r->rows = xrealloc(r->rows, r->rows_cap * sizeof *r->rows);
	}
	r->rows[r->nrows++] =
		(struct qrow){r->ncell - (size_t)r->row_cells, r->row_cells, ++r->rows_done};
	r->row_cells = 0;
}

static int space_char(unsigned char c)
{
	return c == ' '; /* not tab: it may be the delimiter */
}

/* ---- parsing --------------------------------------------------------- */

/* The delimiter that occurs most often outside quotes in the first line. */
static char sniff_delimiter(const char *s, size_t n)
{
	int comma = 0, semi = 0, tab = 0, quoted = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && (s[i] == '\n' || s[i] == '\r'))
			break;
		else if (!quoted) {
			comma += s[i] == ',';
			semi += s[i] == ';';
			tab += s[i] == '\t';
		}
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

static int parse_error(struct csv_reader *r, struct err *e)
{
	int64_t row = r->rows_done + 1;
	return err_set(
		e, ERR_INVALID, "",
		"Lỗi cú pháp CSV ở dòng %lld: dấu ngoặc kép (\") đặt sai chỗ hoặc không được "
		"đóng / CSV syntax error at row %lld: a misplaced or unterminated quote (\")",
		(long long)row, (long long)row);
}

/* Feeds UTF-8 text to libcsv in pieces, checking the cell being built. */
static int feed(struct csv_reader *r, const char *s, size_t n, struct err *e)
{
	if (!r->delim_known && n) {
		r->delim = sniff_delimiter(s, n);
		csv_set_delim(&r->p, (unsigned char)r->delim);
		r->delim_known = 1;
	}
	for (size_t off = 0; off < n;) {
		size_t piece = n - off < CHUNK ? n - off : CHUNK;
		size_t done = csv_parse(&r->p, s + off, piece, on_cell, on_row, r);
		if (r->failed) {
			*e = r->cb_err;
			return e->code;
		}
		if (done < piece)
			return csv_error(&r->p) == CSV_EPARSE
				       ? parse_error(r, e)
				       : err_set(e, ERR_IO, "", "CSV: %s",
						 csv_strerror(csv_error(&r->p)));
		if (r->p.entry_pos > READ_CELL_MAX) {
			cb_fail(r, ERR_TOOBIG, "một ô lớn hơn 1 MB", "a cell is larger than 1 MB");
			*e = r->cb_err;
			return e->code;
		}
		off += piece;
	}
	return 0;
}

static int finish(struct csv_reader *r, struct err *e)
{
	r->eof = 1;
	if (r->cd != (iconv_t)0 && r->cd != (iconv_t)-1) {
		char tmp[64], *op = tmp;
		size_t room = sizeof tmp;
		iconv(r->cd, NULL, NULL, &op, &room); /* a composed letter held back */
		if (op > tmp && feed(r, tmp, (size_t)(op - tmp), e) < 0)
			return e->code;
	}
	if (csv_fini(&r->p, on_cell, on_row, r) != 0)
		return parse_error(r, e);
	if (r->failed) {
		*e = r->cb_err;
		return e->code;
	}
	return 0;
}

/* Reads and parses the next chunk of the file. */
static int read_chunk(struct csv_reader *r, struct err *e)
{
	char *raw = r->raw;
	size_t keep = 0;
	struct buf dec = BUF_INIT;
	size_t n = fread(raw, 1, CHUNK, r->f);
	if (n == 0) {
		if (ferror(r->f))
			return err_set(e, ERR_IO, "", "Không đọc được tệp / cannot read the file");
		return finish(r, e);
	}
	r->consumed += (int64_t)n;
	int rc = 0;
	if (r->enc == ENC_UTF8) {
		rc = feed(r, raw, n, e);
	} else {
		size_t used = 0;
		rc = decode(r, raw, n, &used, &dec, e);
		keep = n - used;
		if (rc == 0)
			rc = feed(r, buf_cstr(&dec), dec.len, e);
		/* Rare: a sequence split across chunks is read again with the next;
		 * at the end of the file it would never complete (and was read again
		 * for ever: an odd-sized UTF-16 file, found by tests/fuzz). */
		if (rc == 0 && keep && feof(r->f))
			rc = err_set(e, ERR_INVALID, "encoding",
				     "Tệp kết thúc giữa một ký tự (dòng %lld) / the file ends "
				     "inside a character (line %lld)",
				     (long long)r->line + 1, (long long)r->line + 1);
		else if (rc == 0 && keep)
			fseek(r->f, -(long)keep, SEEK_CUR), r->consumed -= (int64_t)keep;
	}
	for (size_t i = 0; i < n - keep; i++)
		r->line += raw[i] == '\n';
	buf_free(&dec);
	return rc;
}

static int start(struct csv_reader *r, struct err *e)
{
	rewind(r->f);
	if (r->skip)
		fseek(r->f, (long)r->skip, SEEK_SET);
	r->consumed = (int64_t)r->skip;
	r->line = 1;
	r->rows_done = 0;
	r->row_cells = 0;
	r->last_term = 0;
	r->eof = r->failed = 0;
	queue_reset(r);
	if (r->cd != (iconv_t)0 && r->cd != (iconv_t)-1)
		iconv(r->cd, NULL, NULL, NULL, NULL);
	if (r->parser_live)
		csv_free(&r->p);
	r->parser_live = 0;
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
		return err_set(e, ERR_IO, "", "cannot start the CSV parser");
	r->parser_live = 1;
	csv_set_space_func(&r->p, space_char);
	if (r->delim_known)
		csv_set_delim(&r->p, (unsigned char)r->delim);
	return 0;
}

int csv_reader_open(const char *path, const char *encoding, struct csv_reader **out, struct err *e)
{
	struct csv_reader *r = xcalloc(1, sizeof *r);
	r->delim = ',';
	r->f = fopen(path, "rb");
	struct stat sb;
	int rc = 0;
	if (!r->f || fstat(fileno(r->f), &sb) != 0)
		rc = err_set(e, ERR_IO, "file", "Không mở được tệp %s / cannot open %s", path,
			     path);
	else if ((r->size = sb.st_size) == 0)
		rc = err_set(e, ERR_INVALID, "file", "Tệp rỗng / the file is empty");
	if (rc == 0)
		rc = pick_encoding(r, encoding, e);
	if (rc == 0)
		rc = open_iconv(r, e);
	if (rc == 0)
		rc = start(r, e);
	if (rc < 0) {
		csv_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int csv_reader_next(struct csv_reader *r, struct read_row *row, struct err *e)
{
	if (r->next_row >= r->nrows) {
		queue_reset(r);
		while (r->nrows == 0) {
			if (r->eof)
				return 0;
			int rc = read_chunk(r, e);
			if (rc < 0)
				return rc;
		}
	}
	struct qrow *q = &r->rows[r->next_row++];
	if ((size_t)q->n + 1 > r->out_cap) {
		r->out_cap = (size_t)q->n + 16;
		r->out = xrealloc(r->out, r->out_cap * sizeof *r->out);
	}
	for (int i = 0; i < q->n; i++)
		r->out[i] = r->data.data + r->cell_off[q->first + (size_t)i];
	row->n = q->n;
	row->cells = r->out;
	row->number = q->number;
	return 1;
}

int csv_reader_rewind(struct csv_reader *r, struct err *e)
{
	return start(r, e);
}

void csv_reader_progress(const struct csv_reader *r, int64_t *done, int64_t *total)
{
	*done = r->consumed;
	*total = r->size;
}

const char *csv_reader_encoding(const struct csv_reader *r)
{
	return r->enc == ENC_CP1258 ? "cp1258" : r->enc == ENC_UTF16 ? "utf-16" : "utf-8";
}

char csv_reader_delimiter(const struct csv_reader *r)
{
	return r->delim;
}

void csv_reader_close(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	if (r->cd != (iconv_t)0 && r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	if (r->parser_live)
		csv_free(&r->p);
	buf_free(&r->data);
	free(r->cell_off);
	free(r->rows);
	free(r->out);
	free(r);
}
