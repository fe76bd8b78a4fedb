/* qr.h - QR codes (libqrencode) drawn as SVG, PNG, or into a cairo context
 * (the PDF label sheet). Error correction level M (15 %), so a label that
 * is a little scratched still scans; a quiet zone of 4 modules all round. */
#ifndef KC_QR_H
#define KC_QR_H

#include "core/buf.h"
#include "core/err.h"

#include <cairo.h>

enum { QR_TEXT_MAX = 1024, QR_QUIET = 4 };

/* Appends an SVG document of the code of text, size px wide and high
 * (16..4096; the modules are a path, crisp at any zoom). ERR_INVALID for an
 * empty or too long text or a bad size; out is then unchanged. */
int qr_svg(const char *text, int size, struct buf *out, struct err *e);
/* Appends a PNG of the code, scale pixels per module (1..32), black on
 * white. Errors as qr_svg(), ERR_IO when cairo fails. */
int qr_png(const char *text, int scale, struct buf *out, struct err *e);
/* Draws the code, quiet zone included, in the square (x, y, side) of cr's
 * user space (black modules on a white square). cr's state is kept.
 * Errors as qr_svg(). */
int qr_draw(cairo_t *cr, const char *text, double x, double y, double side, struct err *e);

#endif
