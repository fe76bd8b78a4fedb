/* qr.c - one encoding (libqrencode), three drawings of it. */
#include "io/qr.h"

#include <qrencode.h>
#include <string.h>

/* The code of text, or NULL with e filled; caller QRcode_free()s it. */
static QRcode *encode(const char *text, struct err *e)
{
	size_t n = text ? strlen(text) : 0;
	if (n == 0 || n > QR_TEXT_MAX) {
		err_set(e, ERR_INVALID, "text", "QR: cần 1–%d ký tự / QR: 1–%d characters",
			QR_TEXT_MAX, QR_TEXT_MAX);
		return NULL;
	}
	/* 8-bit mode, case kept: a URL's signature is case-sensitive. */
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		err_set(e, ERR_INVALID, "text",
			"QR: không mã hóa được / QR: cannot encode the text");
	return q;
}

static int dark(const QRcode *q, int x, int y)
{
	return q->data[y * q->width + x] & 1;
}

/* Appends the dark modules as one path in module units, offset by the
 * quiet zone; runs of a row are merged into one rectangle. */
static void svg_path(struct buf *b, const QRcode *q)
{
	for (int y = 0; y < q->width; y++) {
		for (int x = 0; x < q->width;) {
			if (!dark(q, x, y)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < q->width && dark(q, x + run, y))
				run++;
			buf_printf(b, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
			x += run;
		}
	}
}

int qr_svg(const char *text, int size, struct buf *out, struct err *e)
{
	if (size < 16 || size > 4096)
		return err_set(e, ERR_INVALID, "size",
			       "QR: kích thước 16–4096 / QR: size 16..4096");
	QRcode *q = encode(text, e);
	if (!q)
		return ERR_INVALID;
	int n = q->width + 2 * QR_QUIET;
	buf_printf(out,
		   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
		   "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   size, size, n, n, n, n);
	svg_path(out, q);
	buf_puts(out, "\"/></svg>\n");
	QRcode_free(q);
	return 0;
}

static void modules(cairo_t *cr, const QRcode *q, double x, double y, double m)
{
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++)
			if (dark(q, c, r))
				cairo_rectangle(cr, x + (c + QR_QUIET) * m, y + (r + QR_QUIET) * m,
						m, m);
}

int qr_draw(cairo_t *cr, const char *text, double x, double y, double side, struct err *e)
{
	QRcode *q = encode(text, e);
	if (!q)
		return ERR_INVALID;
	double m = side / (q->width + 2 * QR_QUIET);
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, side, side);
	cairo_fill(cr);
	/* No antialiasing: neighbouring modules must not leave hairlines. */
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_set_source_rgb(cr, 0, 0, 0);
	modules(cr, q, x, y, m);
	cairo_fill(cr);
	cairo_restore(cr);
	QRcode_free(q);
	return 0;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

int qr_png(const char *text, int scale, struct buf *out, struct err *e)
{
	if (scale < 1 || scale > 32)
		return err_set(e, ERR_INVALID, "scale",
			       "QR: 1–32 điểm ảnh mỗi ô / QR: scale 1..32");
	QRcode *q = encode(text, e);
	if (!q)
		return ERR_INVALID;
	int px = (q->width + 2 * QR_QUIET) * scale;
	QRcode_free(q);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, px, px);
	cairo_t *cr = cairo_create(s);
	int rc = qr_draw(cr, text, 0, 0, px, e);
	cairo_destroy(cr);
	size_t start = out->len;
	cairo_status_t cs =
		rc == 0 ? cairo_surface_write_to_png_stream(s, to_buf, out) : CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	if (rc == 0 && cs != CAIRO_STATUS_SUCCESS) {
		out->len = start;
		return err_set(e, ERR_IO, "", "QR: cannot write the PNG: %s",
			       cairo_status_to_string(cs));
	}
	return rc;
}
