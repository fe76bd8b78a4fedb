/* fuzz_csv.c - the CSV reader of imports (io/csv_read.c): encodings,
 * delimiters, quotes, limits. Input: the first byte picks the declared
 * encoding (auto, utf-8, cp1258), the rest is the file. Every row is read,
 * then the file again after a rewind. */
#include "fuzz.h"

#include "io/csv_read.h"

#include <unistd.h>

static void read_all(struct csv_reader *r)
{
	struct read_row row;
	struct err e;
	for (int i = 0; i < 100000 && csv_reader_next(r, &row, &e) > 0; i++)
		for (int c = 0; c < row.n; c++)
			(void)row.cells[c][0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	static const char *enc[] = {"auto", "utf-8", "cp1258", NULL};
	int fd;
	char path[32];
	fuzz_memfile(data + 1, size - 1, &fd, path);
	struct csv_reader *r = NULL;
	struct err e;
	if (csv_reader_open(path, enc[data[0] % 4], &r, &e) == 0) {
		read_all(r);
		if (csv_reader_rewind(r, &e) == 0)
			read_all(r);
		int64_t done, total;
		csv_reader_progress(r, &done, &total);
		csv_reader_encoding(r);
		csv_reader_delimiter(r);
	}
	csv_reader_close(r);
	close(fd);
	return 0;
}
