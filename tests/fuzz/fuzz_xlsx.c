/* fuzz_xlsx.c - the Excel reader of imports (io/xlsx_read.c): the ZIP layer
 * (libzip) and every XML part it parses (expat): workbook, relationships,
 * styles, shared strings, the sheet.
 *
 * An input that starts with "PK" is the workbook file itself. Any other input
 * is a list of parts, each "=== name\n" and its text, which this target packs
 * into a ZIP (stored, uncompressed) before reading it: mutations then reach
 * the XML directly instead of breaking the compressed stream or its CRC.
 * The first line of such an input names the sheet to open ("" for the first). */
#include "fuzz.h"

#include "io/xlsx_read.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

static void read_all(struct xlsx_reader *r)
{
	struct read_row row;
	struct err e;
	for (int i = 0; i < 100000 && xlsx_reader_next(r, &row, &e) > 0; i++)
		for (int c = 0; c < row.n; c++)
			(void)row.cells[c][0];
}

/* Packs the parts of text into a ZIP in memory; *out is malloc'd. */
static int pack(char *text, void **out, size_t *n)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!z) {
		zip_source_free(src);
		return -1;
	}
	zip_source_keep(src);
	for (char *p = strstr(text, "=== "); p;) {
		char *name = p + 4, *nl = strchr(name, '\n');
		if (!nl)
			break;
		*nl = 0;
		char *body = nl + 1, *next = strstr(body, "\n=== ");
		size_t len = next ? (size_t)(next - body) : strlen(body);
		zip_source_t *part = zip_source_buffer(z, body, len, 0);
		zip_int64_t idx = part ? zip_file_add(z, name, part, ZIP_FL_OVERWRITE) : -1;
		if (idx < 0)
			zip_source_free(part);
		else
			zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
		p = next ? next + 1 : NULL;
	}
	int rc = zip_close(z) == 0 ? 0 : -1;
	if (rc) {
		zip_discard(z);
	} else {
		zip_stat_t st;
		zip_source_stat(src, &st);
		*n = (size_t)st.size;
		*out = malloc(*n ? *n : 1);
		zip_source_open(src);
		zip_source_read(src, *out, *n);
		zip_source_close(src);
	}
	zip_source_free(src);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *file = NULL;
	size_t n = size;
	char *text = NULL;
	const char *sheet = NULL;
	if (size >= 2 && !memcmp(data, "PK", 2)) {
		file = malloc(size ? size : 1);
		memcpy(file, data, size);
	} else {
		text = fuzz_cstr(data, size);
		char *rest = text;
		sheet = fuzz_line(&rest);
		if (!sheet || pack(rest, &file, &n) < 0) {
			free(text);
			return 0;
		}
	}
	int fd;
	char path[32];
	fuzz_memfile(file, n, &fd, path);
	struct xlsx_reader *r = NULL;
	struct err e;
	if (xlsx_reader_open(path, sheet, &r, &e) == 0) {
		read_all(r);
		if (xlsx_reader_rewind(r, &e) == 0)
			read_all(r);
		xlsx_reader_sheet(r);
	}
	xlsx_reader_close(r);
	close(fd);
	free(file);
	free(text);
	return 0;
}
