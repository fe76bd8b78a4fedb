/* xlsx_read.c - the parts of a workbook read with libzip and expat: the
 * workbook (sheet names), its relationships (which part is which), styles
 * (which cells are dates or percentages), shared strings (loaded, bounded)
 * and one worksheet streamed: expat is suspended at the end of every row. */
#include "io/xlsx_read.h"

#include "core/buf.h"
#include "core/mem.h"
#include "core/vtext.h"

#include <expat.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

enum { CHUNK = 64 * 1024 };

enum xf_kind { XF_PLAIN, XF_DATE, XF_PERCENT };

struct sheet_ref {
	char *name, *rid, *path;
};

struct rcell {
	int64_t col;
	size_t off;
};

struct xlsx_reader {
	zip_t *za;
	struct sheet_ref *sheets;
	int nsheets, sheet; /* the chosen one */
	int date1904;
	char *sst_path, *styles_path;
	/* shared strings: offsets into one buffer */
	struct buf sst;
	size_t *sst_off;
	size_t nsst, sst_cap;
	int have_sst;
	/* styles: the kind of each cellXfs entry */
	unsigned char *xf;
	size_t nxf, xf_cap;
	/* the sheet being streamed */
	zip_file_t *zf;
	XML_Parser xp;
	int64_t size, done;
	int final_fed, suspended, eof;
	/* the cell being read */
	int in_c, in_v, in_is, in_t, in_rph, in_f, has_v;
	char ctype[16];
	long cstyle;
	int64_t ccol, next_col;
	struct buf text;
	/* the row being built */
	int64_t rownum;
	struct buf rowdata;
	struct rcell *rc;
	size_t nrc, rc_cap;
	int row_ready;
	char **out;
	size_t out_cap;
	int failed;
	struct err err;
	XML_Parser cur; /* the parser running, to stop it on an error */
};

static const char *local_name(const char *name)
{
	const char *bar = strrchr(name, '|');
	return bar ? bar + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(local_name(atts[i]), want))
			return atts[i + 1];
	return NULL;
}

/* The relationship id attribute (r:id) is the namespaced "id". */
static const char *attr_rid(const char **atts)
{
	for (int i = 0; atts[i]; i += 2)
		if (strchr(atts[i], '|') && !strcmp(local_name(atts[i]), "id"))
			return atts[i + 1];
	return NULL;
}

/* Stops the parser in use; the message is already in r->err. */
static void stop(struct xlsx_reader *r)
{
	r->failed = 1;
	if (r->cur)
		XML_StopParser(r->cur, XML_FALSE);
}

#define FAIL(r, code, ...)                                         \
	do {                                                       \
		if (!(r)->failed)                                  \
			err_set(&(r)->err, code, "", __VA_ARGS__); \
		stop(r);                                           \
	} while (0)

/* ---- zip parts ------------------------------------------------------- */

static int part_check(struct xlsx_reader *r, const char *name, zip_uint64_t *size, struct err *e)
{
	zip_stat_t sb;
	zip_stat_init(&sb);
	if (zip_stat(r->za, name, 0, &sb) != 0)
		return ERR_NOTFOUND;
	zip_uint64_t comp = (sb.valid & ZIP_STAT_COMP_SIZE) && sb.comp_size ? sb.comp_size : 1;
	if (sb.size > XLSX_PART_MAX)
		return err_set(
			e, ERR_TOOBIG, "file",
			"Phần %s của tệp Excel quá lớn (%llu MB, tối đa 200 MB) / part %s of the "
			"workbook is too large (%llu MB, at most 200 MB)",
			name, (unsigned long long)(sb.size >> 20), name,
			(unsigned long long)(sb.size >> 20));
	if (sb.size > XLSX_RATIO_FROM && sb.size / comp > XLSX_RATIO_MAX)
		return err_set(
			e, ERR_TOOBIG, "file",
			"Phần %s nén với tỷ lệ bất thường (%llu:1, tệp có thể là zip bomb) / part "
			"%s is compressed %llu:1 (a zip bomb?)",
			name, (unsigned long long)(sb.size / comp), name,
			(unsigned long long)(sb.size / comp));
	*size = sb.size;
	return 0;
}

static XML_Parser new_parser(void *ctx)
{
	XML_Parser p = XML_ParserCreateNS(NULL, '|');
	if (!p)
		abort(); /* out of memory */
	XML_SetUserData(p, ctx);
	return p;
}

static void refuse_doctype(struct xlsx_reader *r)
{
	FAIL(r, ERR_INVALID,
	     "Tệp Excel có khai báo DOCTYPE, không được chấp nhận / the workbook has "
	     "a DOCTYPE, which is refused");
}

/* The sheet's parser has the reader itself as its user data. */
static void no_doctype(void *ctx, const XML_Char *name, const XML_Char *sysid,
		       const XML_Char *pubid, int internal)
{
	(void)name, (void)sysid, (void)pubid, (void)internal;
	refuse_doctype(ctx);
}

/* Every other part's parser has a context that starts with the reader (part_ctx,
 * styles_ctx, sst_ctx: checked by the static assertions below them). */
struct part_ctx {
	struct xlsx_reader *r;
};

static void part_no_doctype(void *ctx, const XML_Char *name, const XML_Char *sysid,
			    const XML_Char *pubid, int internal)
{
	(void)name, (void)sysid, (void)pubid, (void)internal;
	refuse_doctype(((struct part_ctx *)ctx)->r);
}

static int xml_error(XML_Parser p, const char *part, struct err *e)
{
	return err_set(e, ERR_INVALID, "file",
		       "Tệp Excel hỏng: %s dòng %lu: %s / the workbook is damaged: %s line %lu: %s",
		       part, (unsigned long)XML_GetCurrentLineNumber(p),
		       XML_ErrorString(XML_GetErrorCode(p)), part,
		       (unsigned long)XML_GetCurrentLineNumber(p),
		       XML_ErrorString(XML_GetErrorCode(p)));
}

/* Parses a whole (small) part with the handlers already set on p. */
static int parse_part(struct xlsx_reader *r, const char *name, XML_Parser p, struct err *e)
{
	zip_uint64_t size;
	int rc = part_check(r, name, &size, e);
	if (rc < 0)
		return rc;
	zip_file_t *zf = zip_fopen(r->za, name, 0);
	if (!zf)
		return err_set(e, ERR_INVALID, "file",
			       "Không đọc được %s trong tệp Excel / cannot read %s", name, name);
	XML_SetStartDoctypeDeclHandler(p, part_no_doctype);
	r->cur = p;
	zip_uint64_t total = 0;
	for (;;) {
		void *buf = XML_GetBuffer(p, CHUNK);
		zip_int64_t n = buf ? zip_fread(zf, buf, CHUNK) : -1;
		if (n < 0) {
			rc = err_set(e, ERR_INVALID, "file",
				     "Tệp Excel hỏng (%s) / damaged workbook (%s)", name, name);
			break;
		}
		total += (zip_uint64_t)n;
		if (total > size || total > XLSX_PART_MAX) {
			rc = err_set(e, ERR_TOOBIG, "file",
				     "Phần %s lớn hơn khai báo / part %s is larger "
				     "than declared",
				     name, name);
			break;
		}
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			if (r->failed)
				*e = r->err;
			rc = r->failed ? e->code : xml_error(p, name, e);
			break;
		}
		if (n == 0)
			break;
	}
	zip_fclose(zf);
	r->cur = NULL;
	return rc;
}

/* ---- workbook and relationships -------------------------------------- */

static void wb_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ((struct part_ctx *)ctx)->r;
	const char *l = local_name(name);
	if (!strcmp(l, "sheet")) {
		const char *n = attr(atts, "name"), *rid = attr_rid(atts);
		r->sheets = xrealloc(r->sheets, (size_t)(r->nsheets + 1) * sizeof *r->sheets);
		r->sheets[r->nsheets++] =
			(struct sheet_ref){xstrdup(n ? n : ""), xstrdup(rid ? rid : ""), NULL};
	} else if (!strcmp(l, "workbookPr")) {
		const char *d = attr(atts, "date1904");
		r->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
	}
}

/* "worksheets/sheet1.xml" relative to xl/, or "/xl/..." absolute. */
static char *part_path(const char *target)
{
	struct buf b = BUF_INIT;
	if (target[0] == '/')
		buf_puts(&b, target + 1);
	else
		buf_printf(&b, "xl/%s", target);
	return buf_detach(&b);
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcmp(s + n - m, tail);
}

static void rels_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ((struct part_ctx *)ctx)->r;
	if (strcmp(local_name(name), "Relationship"))
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"),
		   *target = attr(atts, "Target");
	if (!id || !type || !target)
		return;
	if (ends_with(type, "/sharedStrings") && !r->sst_path)
		r->sst_path = part_path(target);
	else if (ends_with(type, "/styles") && !r->styles_path)
		r->styles_path = part_path(target);
	for (int i = 0; i < r->nsheets; i++)
		if (!strcmp(r->sheets[i].rid, id) && !r->sheets[i].path)
			r->sheets[i].path = part_path(target);
}

static int read_workbook(struct xlsx_reader *r, struct err *e)
{
	struct part_ctx pc = {r};
	XML_Parser p = new_parser(&pc);
	XML_SetStartElementHandler(p, wb_start);
	int rc = parse_part(r, "xl/workbook.xml", p, e);
	XML_ParserFree(p);
	if (rc == ERR_NOTFOUND)
		return err_set(
			e, ERR_INVALID, "file",
			"Tệp ZIP này không phải bảng tính Excel (.xlsx): không có xl/workbook.xml "
			"/ "
			"this ZIP file is not an Excel workbook (.xlsx): no xl/workbook.xml");
	if (rc < 0)
		return rc;
	if (r->nsheets == 0)
		return err_set(e, ERR_INVALID, "file",
			       "Tệp Excel không có trang tính nào / the workbook "
			       "has no sheets");
	p = new_parser(&pc);
	XML_SetStartElementHandler(p, rels_start);
	rc = parse_part(r, "xl/_rels/workbook.xml.rels", p, e);
	XML_ParserFree(p);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_INVALID, "file",
			       "Tệp Excel thiếu xl/_rels/workbook.xml.rels / the "
			       "workbook lacks xl/_rels/workbook.xml.rels");
	return rc;
}

static int choose_sheet(struct xlsx_reader *r, const char *want, struct err *e)
{
	r->sheet = -1;
	if (!want || !*want) {
		r->sheet = 0;
	} else {
		char *fw = vtext_fold(want);
		for (int i = 0; i < r->nsheets && r->sheet < 0; i++) {
			char *fs = vtext_fold(r->sheets[i].name);
			if (!strcmp(r->sheets[i].name, want) || !strcmp(fs, fw))
				r->sheet = i;
			free(fs);
		}
		free(fw);
	}
	if (r->sheet < 0) {
		struct buf names = BUF_INIT;
		for (int i = 0; i < r->nsheets; i++)
			buf_printf(&names, "%s\"%s\"", i ? ", " : "", r->sheets[i].name);
		int rc = err_set(
			e, ERR_INVALID, "sheet",
			"Không có trang tính \"%s\"; tệp có: %s / no sheet \"%s\"; the workbook "
			"has: %s",
			want, buf_cstr(&names), want, buf_cstr(&names));
		buf_free(&names);
		return rc;
	}
	if (!r->sheets[r->sheet].path)
		return err_set(e, ERR_INVALID, "file",
			       "Tệp Excel hỏng: trang \"%s\" không có nội dung / "
			       "damaged workbook: sheet \"%s\" has no part",
			       r->sheets[r->sheet].name, r->sheets[r->sheet].name);
	return 0;
}

/* ---- styles ---------------------------------------------------------- */

struct styles_ctx {
	struct xlsx_reader *r;
	int in_xfs;
	int *custom_id; /* numFmt ids and their kinds */
	unsigned char *custom_kind;
	size_t ncustom;
};
_Static_assert(offsetof(struct styles_ctx, r) == 0, "a part's context starts with the reader");

/* A number format shows a date when, outside quotes and brackets, it has
 * d or y (m alone may be minutes); a percentage when it has %. */
static enum xf_kind format_kind(const char *code)
{
	int date = 0, pct = 0;
	for (const char *p = code; *p; p++) {
		if (*p == '"') {
			const char *q = strchr(p + 1, '"');
			if (!q)
				break;
			p = q;
		} else if (*p == '[') {
			const char *q = strchr(p + 1, ']');
			if (!q)
				break;
			p = q;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == 'd' || *p == 'D' || *p == 'y' || *p == 'Y') {
			date = 1;
		} else if (*p == '%') {
			pct = 1;
		}
	}
	return date ? XF_DATE : pct ? XF_PERCENT : XF_PLAIN;
}

static enum xf_kind builtin_kind(long id)
{
	if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
	    (id >= 50 && id <= 58))
		return XF_DATE;
	if (id == 9 || id == 10)
		return XF_PERCENT;
	return XF_PLAIN;
}

static void styles_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct styles_ctx *s = ctx;
	const char *l = local_name(name);
	if (!strcmp(l, "numFmt")) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (!id || !code)
			return;
		s->custom_id = xrealloc(s->custom_id, (s->ncustom + 1) * sizeof *s->custom_id);
		s->custom_kind = xrealloc(s->custom_kind, s->ncustom + 1);
		s->custom_id[s->ncustom] = atoi(id);
		s->custom_kind[s->ncustom++] = (unsigned char)format_kind(code);
	} else if (!strcmp(l, "cellXfs")) {
		s->in_xfs = 1;
	} else if (!strcmp(l, "xf") && s->in_xfs) {
		struct xlsx_reader *r = s->r;
		const char *id = attr(atts, "numFmtId");
		long fid = id ? atol(id) : 0;
		enum xf_kind k = builtin_kind(fid);
		for (size_t i = 0; i < s->ncustom; i++)
			if (s->custom_id[i] == fid)
				k = (enum xf_kind)s->custom_kind[i];
		if (r->nxf == r->xf_cap) {
			r->xf_cap = r->xf_cap ? 2 * r->xf_cap : 64;
			r->xf = xrealloc(r->xf, r->xf_cap);
		}
		r->xf[r->nxf++] = (unsigned char)k;
	}
}

static void styles_end(void *ctx, const XML_Char *name)
{
	struct styles_ctx *s = ctx;
	if (!strcmp(local_name(name), "cellXfs"))
		s->in_xfs = 0;
}

static int read_styles(struct xlsx_reader *r, struct err *e)
{
	struct styles_ctx s = {.r = r};
	XML_Parser p = new_parser(&s);
	XML_SetElementHandler(p, styles_start, styles_end);
	int rc = parse_part(r, r->styles_path ? r->styles_path : "xl/styles.xml", p, e);
	XML_ParserFree(p);
	free(s.custom_id);
	free(s.custom_kind);
	return rc == ERR_NOTFOUND ? 0 : rc; /* no styles: every number is plain */
}

/* ---- shared strings -------------------------------------------------- */

struct sst_ctx {
	struct xlsx_reader *r;
	int in_si, in_t, in_rph;
	size_t si_start;
};
_Static_assert(offsetof(struct sst_ctx, r) == 0, "a part's context starts with the reader");

static void sst_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	struct sst_ctx *s = ctx;
	const char *l = local_name(name);
	if (!strcmp(l, "si")) {
		s->in_si = 1;
		s->si_start = s->r->sst.len;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph = 1; /* phonetic runs are not part of the text */
	} else if (!strcmp(l, "t") && s->in_si && !s->in_rph) {
		s->in_t = 1;
	}
}

static void sst_end(void *ctx, const XML_Char *name)
{
	struct sst_ctx *s = ctx;
	struct xlsx_reader *r = s->r;
	const char *l = local_name(name);
	if (!strcmp(l, "t")) {
		s->in_t = 0;
	} else if (!strcmp(l, "rPh")) {
		s->in_rph = 0;
	} else if (!strcmp(l, "si")) {
		s->in_si = 0;
		if (r->nsst == r->sst_cap) {
			r->sst_cap = r->sst_cap ? 2 * r->sst_cap : 1024;
			r->sst_off = xrealloc(r->sst_off, r->sst_cap * sizeof *r->sst_off);
		}
		r->sst_off[r->nsst++] = s->si_start;
		buf_putc(&r->sst, 0);
	}
}

static void sst_text(void *ctx, const XML_Char *t, int len)
{
	struct sst_ctx *s = ctx;
	struct xlsx_reader *r = s->r;
	if (!s->in_t || r->failed)
		return;
	if (r->sst.len - s->si_start + (size_t)len > READ_CELL_MAX)
		FAIL(r, ERR_TOOBIG,
		     "Một chuỗi trong tệp Excel lớn hơn 1 MB / a string of the workbook "
		     "is larger than 1 MB");
	else if (r->sst.len + (size_t)len > XLSX_SST_MAX)
		FAIL(r, ERR_TOOBIG,
		     "Các chuỗi dùng chung của tệp Excel vượt 64 MB / the workbook's "
		     "shared strings exceed 64 MB");
	else
		buf_append(&r->sst, t, (size_t)len);
}

static int read_sst(struct xlsx_reader *r, struct err *e)
{
	const char *path = r->sst_path ? r->sst_path : "xl/sharedStrings.xml";
	struct sst_ctx s = {.r = r};
	XML_Parser p = new_parser(&s);
	XML_SetElementHandler(p, sst_start, sst_end);
	XML_SetCharacterDataHandler(p, sst_text);
	int rc = parse_part(r, path, p, e);
	XML_ParserFree(p);
	if (rc == ERR_NOTFOUND)
		return 0; /* an error only if a cell refers to one */
	r->have_sst = rc == 0;
	return rc;
}

/* ---- values ---------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d and back (proleptic Gregorian). */
static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* An Excel serial day as dd/mm/yyyy; 0 when it is not a plausible date. */
static int serial_date(double v, int date1904, char out[16])
{
	if (!isfinite(v) || v < 1 || v > 2958465)
		return 0;
	int64_t days = (int64_t)floor(v);
	int64_t unix_days;
	if (date1904)
		unix_days = days - 24107; /* 1904-01-01 is day 0 */
	else if (days >= 61)
		unix_days = days - 25569; /* 1899-12-30 + days (Lotus' 29/02/1900 counted) */
	else
		unix_days = days - 25568;
	int y, m, d;
	civil_from_days(unix_days, &y, &m, &d);
	snprintf(out, 16, "%02d/%02d/%04d", d, m, y);
	return 1;
}

/* A number as Vietnamese text: "9590", "24,7". */
static void number_text(struct buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 9e15) {
		buf_printf(b, "%.0f", v == 0 ? 0.0 : v);
		return;
	}
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%.15g", v);
	for (char *p = tmp; *p; p++)
		if (*p == '.')
			*p = ',';
	buf_puts(b, tmp);
}

/* "_x000D_" escapes of OOXML strings. */
static void unescape_x(char *s)
{
	char *o = s;
	for (char *p = s; *p;) {
		unsigned v;
		int n = 0;
		if (p[0] == '_' && p[1] == 'x' && sscanf(p + 2, "%4x%n", &v, &n) == 1 && n == 4 &&
		    p[6] == '_' && v > 0 && v < 0x80) {
			*o++ = (char)v;
			p += 7;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
}

/* The text of the finished cell, appended to rowdata. 0 or an error. */
static int cell_value(struct xlsx_reader *r)
{
	const char *t = r->ctype, *v = buf_cstr(&r->text);
	struct buf *out = &r->rowdata;
	if (!strcmp(t, "s")) {
		char *end;
		long i = strtol(v, &end, 10);
		if (!r->have_sst) {
			FAIL(r, ERR_INVALID,
			     "Dòng %lld: ô dùng chuỗi dùng chung nhưng tệp Excel không có "
			     "xl/sharedStrings.xml / row %lld: a cell refers to shared strings but "
			     "the "
			     "workbook has no xl/sharedStrings.xml",
			     (long long)r->rownum, (long long)r->rownum);
			return -1;
		}
		if (*end || i < 0 || (size_t)i >= r->nsst) {
			FAIL(r, ERR_INVALID,
			     "Dòng %lld: ô tham chiếu chuỗi dùng chung số %.20s không có / row "
			     "%lld: a "
			     "cell refers to shared string %.20s, which does not exist",
			     (long long)r->rownum, v, (long long)r->rownum, v);
			return -1;
		}
		buf_puts(out, r->sst.data + r->sst_off[i]);
		return 0;
	}
	if (!strcmp(t, "inlineStr") || !strcmp(t, "str") || !strcmp(t, "e")) {
		buf_puts(out, v);
		return 0;
	}
	if (!strcmp(t, "b")) {
		buf_puts(out, !strcmp(v, "1") ? "TRUE" : "FALSE");
		return 0;
	}
	if (!strcmp(t, "d")) { /* ISO 8601 date cell */
		int y, m, d;
		if (sscanf(v, "%4d-%2d-%2d", &y, &m, &d) == 3)
			buf_printf(out, "%02d/%02d/%04d", d, m, y);
		else
			buf_puts(out, v);
		return 0;
	}
	char *end;
	double x = strtod(v, &end);
	if (end == v || *end) {
		buf_puts(out, v);
		return 0;
	}
	enum xf_kind k = r->cstyle >= 0 && (size_t)r->cstyle < r->nxf
				 ? (enum xf_kind)r->xf[r->cstyle]
				 : XF_PLAIN;
	char date[16];
	if (k == XF_DATE && serial_date(x, r->date1904, date)) {
		buf_puts(out, date);
	} else if (k == XF_PERCENT) {
		number_text(out, x * 100);
		buf_putc(out, '%');
	} else {
		number_text(out, x);
	}
	return 0;
}

/* ---- the sheet ------------------------------------------------------- */

/* "BC12" -> column 54 (0-based), row 12. */
static int parse_ref(const char *ref, int64_t *col, int64_t *row)
{
	int64_t c = 0;
	const char *p = ref;
	while (*p >= 'A' && *p <= 'Z' && c < 100000)
		c = c * 26 + (*p++ - 'A' + 1);
	if (p == ref)
		return -1;
	*col = c - 1;
	if (row)
		*row = atoll(p);
	return 0;
}

static void sheet_start(void *ctx, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx_reader *r = ctx;
	const char *l = local_name(name);
	if (r->failed)
		return;
	if (!strcmp(l, "row")) {
		const char *n = attr(atts, "r");
		r->rownum = n ? atoll(n) : r->rownum + 1;
		r->next_col = 0;
		r->nrc = 0;
		buf_reset(&r->rowdata);
	} else if (!strcmp(l, "c")) {
		const char *ref = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
		r->in_c = 1;
		r->has_v = 0;
		snprintf(r->ctype, sizeof r->ctype, "%s", t ? t : "n");
		r->cstyle = s ? atol(s) : -1;
		if (!ref || parse_ref(ref, &r->ccol, NULL) < 0)
			r->ccol = r->next_col;
		r->next_col = r->ccol + 1;
		buf_reset(&r->text);
	} else if (r->in_c && !strcmp(l, "v")) {
		r->in_v = 1;
		r->has_v = 1;
	} else if (r->in_c && !strcmp(l, "is")) {
		r->in_is = 1;
		r->has_v = 1;
	} else if (r->in_is && !strcmp(l, "rPh")) {
		r->in_rph = 1;
	} else if (r->in_is && !strcmp(l, "t") && !r->in_rph) {
		r->in_t = 1;
	}
}

static void end_cell(struct xlsx_reader *r)
{
	r->in_c = 0;
	if (!r->has_v)
		return; /* a styled empty cell, or a formula without a cached value */
	if (r->ccol >= READ_MAX_COLUMNS) {
		FAIL(r, ERR_TOOBIG,
		     "Dòng %lld có quá 2.000 cột / row %lld has more than 2,000 columns",
		     (long long)r->rownum, (long long)r->rownum);
		return;
	}
	if (r->nrc == r->rc_cap) {
		r->rc_cap = r->rc_cap ? 2 * r->rc_cap : 32;
		r->rc = xrealloc(r->rc, r->rc_cap * sizeof *r->rc);
	}
	size_t off = r->rowdata.len;
	if (r->text.data) /* an empty <v/> first in the sheet has no text yet: nothing to write */
		unescape_x(r->text.data);
	if (cell_value(r) < 0)
		return;
	buf_putc(&r->rowdata, 0);
	r->rc[r->nrc++] = (struct rcell){r->ccol, off};
}

static void sheet_end(void *ctx, const XML_Char *name)
{
	struct xlsx_reader *r = ctx;
	const char *l = local_name(name);
	if (r->failed)
		return;
	if (!strcmp(l, "v"))
		r->in_v = 0;
	else if (!strcmp(l, "t"))
		r->in_t = 0;
	else if (!strcmp(l, "rPh"))
		r->in_rph = 0;
	else if (!strcmp(l, "is"))
		r->in_is = 0;
	else if (!strcmp(l, "c"))
		end_cell(r);
	else if (!strcmp(l, "row") && r->nrc > 0) {
		r->row_ready = 1;
		XML_StopParser(r->xp, XML_TRUE); /* hand this row out; resume for the next */
	}
}

static void sheet_text(void *ctx, const XML_Char *t, int len)
{
	struct xlsx_reader *r = ctx;
	if (r->failed || !(r->in_v || r->in_t))
		return;
	if (r->text.len + (size_t)len > READ_CELL_MAX) {
		FAIL(r, ERR_TOOBIG,
		     "Dòng %lld: một ô lớn hơn 1 MB / row %lld: a cell is larger than 1 MB",
		     (long long)r->rownum, (long long)r->rownum);
		return;
	}
	buf_append(&r->text, t, (size_t)len);
}

static int sheet_open(struct xlsx_reader *r, struct err *e)
{
	const char *path = r->sheets[r->sheet].path;
	zip_uint64_t size;
	int rc = part_check(r, path, &size, e);
	if (rc == ERR_NOTFOUND)
		return err_set(e, ERR_INVALID, "file", "Tệp Excel thiếu %s / the workbook lacks %s",
			       path, path);
	if (rc < 0)
		return rc;
	r->zf = zip_fopen(r->za, path, 0);
	if (!r->zf)
		return err_set(e, ERR_INVALID, "file", "Không đọc được %s / cannot read %s", path,
			       path);
	r->size = (int64_t)size;
	r->done = 0;
	r->final_fed = r->suspended = r->eof = r->failed = 0;
	r->rownum = 0;
	r->xp = new_parser(r);
	r->cur = r->xp;
	XML_SetElementHandler(r->xp, sheet_start, sheet_end);
	XML_SetCharacterDataHandler(r->xp, sheet_text);
	XML_SetStartDoctypeDeclHandler(r->xp, no_doctype);
	return 0;
}

static void sheet_close(struct xlsx_reader *r)
{
	if (r->xp)
		XML_ParserFree(r->xp);
	if (r->zf)
		zip_fclose(r->zf);
	r->xp = r->cur = NULL;
	r->zf = NULL;
}

/* One step of the parser: resume after a row, or parse the next chunk. */
static int sheet_step(struct xlsx_reader *r, struct err *e)
{
	enum XML_Status st;
	if (r->suspended) {
		st = XML_ResumeParser(r->xp);
	} else {
		void *buf = XML_GetBuffer(r->xp, CHUNK);
		zip_int64_t n = buf ? zip_fread(r->zf, buf, CHUNK) : -1;
		if (n < 0)
			return err_set(e, ERR_INVALID, "file",
				       "Tệp Excel hỏng / the workbook is damaged");
		r->done += n;
		if (r->done > r->size || r->done > XLSX_PART_MAX)
			return err_set(e, ERR_TOOBIG, "file",
				       "Trang tính lớn hơn khai báo / the sheet is "
				       "larger than declared");
		r->final_fed = n == 0;
		st = XML_ParseBuffer(r->xp, (int)n, n == 0);
	}
	r->suspended = st == XML_STATUS_SUSPENDED;
	if (r->failed) {
		*e = r->err;
		return e->code;
	}
	if (st == XML_STATUS_ERROR)
		return xml_error(r->xp, r->sheets[r->sheet].path, e);
	if (st == XML_STATUS_OK && r->final_fed)
		r->eof = 1;
	return 0;
}

int xlsx_reader_next(struct xlsx_reader *r, struct read_row *row, struct err *e)
{
	r->row_ready = 0;
	while (!r->row_ready) {
		if (r->eof)
			return 0;
		int rc = sheet_step(r, e);
		if (rc < 0)
			return rc;
	}
	int64_t n = 0;
	for (size_t i = 0; i < r->nrc; i++)
		if (r->rc[i].col + 1 > n)
			n = r->rc[i].col + 1;
	if ((size_t)n + 1 > r->out_cap) {
		r->out_cap = (size_t)n + 16;
		r->out = xrealloc(r->out, r->out_cap * sizeof *r->out);
	}
	static char empty[1] = "";
	for (int64_t i = 0; i < n; i++)
		r->out[i] = empty;
	for (size_t i = 0; i < r->nrc; i++)
		r->out[r->rc[i].col] = r->rowdata.data + r->rc[i].off;
	row->n = (int)n;
	row->cells = r->out;
	row->number = r->rownum;
	return 1;
}

int xlsx_reader_rewind(struct xlsx_reader *r, struct err *e)
{
	sheet_close(r);
	return sheet_open(r, e);
}

void xlsx_reader_progress(const struct xlsx_reader *r, int64_t *done, int64_t *total)
{
	*done = r->done;
	*total = r->size;
}

const char *xlsx_reader_sheet(const struct xlsx_reader *r)
{
	return r->sheets[r->sheet].name;
}

int xlsx_reader_open(const char *path, const char *sheet, struct xlsx_reader **out, struct err *e)
{
	struct xlsx_reader *r = xcalloc(1, sizeof *r);
	int zerr = 0;
	int rc = 0;
	r->za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!r->za)
		rc = err_set(
			e, ERR_INVALID, "file",
			"Không đọc được tệp Excel (.xlsx): tệp ZIP hỏng hoặc không phải .xlsx / "
			"cannot read the Excel file (.xlsx): a damaged ZIP or not an .xlsx");
	if (rc == 0)
		rc = read_workbook(r, e);
	if (rc == 0)
		rc = choose_sheet(r, sheet, e);
	if (rc == 0)
		rc = read_styles(r, e);
	if (rc == 0)
		rc = read_sst(r, e);
	if (rc == 0)
		rc = sheet_open(r, e);
	if (rc < 0) {
		xlsx_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

void xlsx_reader_close(struct xlsx_reader *r)
{
	if (!r)
		return;
	sheet_close(r);
	if (r->za)
		zip_discard(r->za);
	for (int i = 0; i < r->nsheets; i++) {
		free(r->sheets[i].name);
		free(r->sheets[i].rid);
		free(r->sheets[i].path);
	}
	free(r->sheets);
	free(r->sst_path);
	free(r->styles_path);
	buf_free(&r->sst);
	free(r->sst_off);
	free(r->xf);
	buf_free(&r->text);
	buf_free(&r->rowdata);
	free(r->rc);
	free(r->out);
	free(r);
}
