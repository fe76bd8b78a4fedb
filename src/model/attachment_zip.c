/* attachment_zip.c - office documents are zips: an OpenDocument file names
 * its type in its first entry "mimetype"; an Office Open XML file has
 * "[Content_Types].xml" and the main part of its kind. Every entry is
 * unpacked once, counting the bytes that really come out (not the sizes the
 * zip declares), so a zip bomb stops at ATTACHMENT_ZIP_MAX. */
#include "model/attachment.h"

#include <string.h>
#include <zip.h>

static const struct {
	const char *part; /* an entry the format requires */
	const char *type;
} ooxml[] = {
	{"word/document.xml",
	 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	{"xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"ppt/presentation.xml",
	 "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
};

static const char *const odf[] = {
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
	"application/vnd.oasis.opendocument.graphics",
};

static int refuse(struct err *e)
{
	return err_set(e, ERR_INVALID, "file",
		       "Tệp văn phòng không hợp lệ: ZIP hỏng hoặc thiếu phần bắt buộc của "
		       "ODF/OOXML / not a valid office document: a damaged zip or one without "
		       "the parts ODF/OOXML require");
}

static int bomb(struct err *e)
{
	return err_set(e, ERR_INVALID, "file",
		       "Tệp nén giải ra quá lớn (tối đa %d MB, %d mục) / the document unpacks "
		       "to too much (%d MB, %d entries at most)",
		       ATTACHMENT_ZIP_MAX >> 20, ATTACHMENT_ZIP_ENTRIES, ATTACHMENT_ZIP_MAX >> 20,
		       ATTACHMENT_ZIP_ENTRIES);
}

/* Unpacks entry i, adding the bytes it gives to *total; its first bytes
 * (at most cap - 1) into head when head is not NULL. */
static int unpack(zip_t *za, zip_int64_t i, zip_uint64_t *total, char *head, size_t cap,
		  struct err *e)
{
	zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
	if (!zf)
		return refuse(e);
	static __thread char chunk[65536];
	size_t got = 0;
	zip_int64_t n;
	int rc = 0;
	while ((n = zip_fread(zf, chunk, sizeof chunk)) > 0) {
		*total += (zip_uint64_t)n;
		if (*total > ATTACHMENT_ZIP_MAX) {
			rc = bomb(e);
			break;
		}
		if (head && got + 1 < cap) {
			size_t k = (size_t)n < cap - 1 - got ? (size_t)n : cap - 1 - got;
			memcpy(head + got, chunk, k);
			got += k;
			head[got] = 0;
		}
	}
	if (rc == 0 && n < 0)
		rc = refuse(e); /* a bad CRC or a stream that lies about its size */
	zip_fclose(zf);
	return rc;
}

static const char *kind(zip_t *za, const char *mimetype)
{
	if (zip_name_locate(za, "mimetype", 0) == 0 &&
	    zip_name_locate(za, "META-INF/manifest.xml", 0) >= 0)
		for (size_t i = 0; i < sizeof odf / sizeof *odf; i++)
			if (!strcmp(mimetype, odf[i]))
				return odf[i];
	if (zip_name_locate(za, "[Content_Types].xml", 0) < 0)
		return NULL;
	for (size_t i = 0; i < sizeof ooxml / sizeof *ooxml; i++)
		if (zip_name_locate(za, ooxml[i].part, 0) >= 0)
			return ooxml[i].type;
	return NULL;
}

int attachment_sniff_zip(const unsigned char *data, size_t n, const char **type, struct err *e)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
	zip_error_fini(&ze);
	if (!za) {
		zip_source_free(src);
		return refuse(e);
	}
	zip_int64_t entries = zip_get_num_entries(za, 0);
	int rc = entries > ATTACHMENT_ZIP_ENTRIES ? bomb(e) : 0;
	zip_uint64_t total = 0;
	char mimetype[80] = "";
	zip_int64_t mi = zip_name_locate(za, "mimetype", 0);
	for (zip_int64_t i = 0; rc == 0 && i < entries; i++)
		rc = unpack(za, i, &total, i == mi ? mimetype : NULL, sizeof mimetype, e);
	*type = rc == 0 ? kind(za, mimetype) : NULL;
	if (rc == 0 && !*type)
		rc = refuse(e);
	zip_discard(za); /* frees src */
	return rc;
}
