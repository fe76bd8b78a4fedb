/* labels.h - printable A4 sheets of QR labels for a product lot (cairo PDF):
 * a grid of equal labels, each the lot's code with the product's name and
 * the lot code under it, and faint cut lines. */
#ifndef KC_LABELS_H
#define KC_LABELS_H

#include "core/buf.h"
#include "core/err.h"

enum {
	LABEL_QR_MIN_MM = 15,
	LABEL_QR_MAX_MM = 90,
	LABEL_COUNT_MAX = 200, /* one request's work: about 1 s and 3 MB of PDF */
	LABEL_RENDERS_MAX = 2, /* renders at once in one server (each on a thread of its own) */
};

struct label_sheet {
	const char *url;     /* what every code holds (the signed trace URL) */
	const char *product; /* the name printed under each code */
	const char *lot;     /* the lot code printed under the name */
	int qr_mm;	     /* side of the code, quiet zone included, in mm */
	int count;	     /* how many labels; the sheets needed are made */
};

/* How many labels of a side of qr_mm fit on one A4 sheet (0 for a bad size). */
int labels_per_page(int qr_mm);
/* Appends the PDF of the sheet to out. ERR_INVALID naming "size" or "count"
 * outside LABEL_*, or "url" for an unusable URL; ERR_IO when cairo fails
 * (out is then unchanged). */
int labels_pdf(const struct label_sheet *ls, struct buf *out, struct err *e);

#endif
