/* photo.h - photos of products, kept in the database (table product_photos)
 * so that every server of a deployment has them. The type is read from the
 * content (JPEG, PNG or WebP), never from a file name or a declared type;
 * nothing a user sends becomes a path. */
#ifndef KC_PHOTO_H
#define KC_PHOTO_H

#include "model/actor.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum {
	PHOTO_MAX_BYTES = 8 * 1024 * 1024, /* one photo as sent (a phone's is 5-7 MB) */
	PHOTO_SHRINK_BYTES = 1024 * 1024,  /* a larger JPEG is shown resized */
	PHOTO_MAX_SIDE = 1600,		   /* pixels of the longer side shown */
	PHOTO_JPEG_QUALITY = 85,
	PHOTO_MAX_PIXELS = 100000000, /* what a JPEG may claim to hold */
	PHOTO_MIN_BYTES = 64,	      /* smaller is no picture */
	PHOTO_MAX_PER_PRODUCT = 8,
	PHOTO_SHA_TEXT = 65, /* hex SHA-256 and NUL */
};

/* The media type of an image by its first bytes: "image/jpeg", "image/png"
 * or "image/webp"; NULL for anything else (an executable named .jpg, a
 * GIF, text). Static strings. */
const char *photo_sniff(const unsigned char *data, size_t n);

/* Adds a photo of product product_id for a (who must be allowed to change
 * the product) in one audited transaction; sets *id. ERR_TOOBIG over
 * PHOTO_MAX_BYTES or past PHOTO_MAX_PER_PRODUCT photos, ERR_INVALID for a
 * type photo_sniff() does not know (field "file"), ERR_NOTFOUND or
 * ERR_FORBIDDEN for the product. */
int photo_add(struct store *st, const struct actor *a, int64_t product_id,
	      const unsigned char *data, size_t n, int64_t *id, struct err *e);
/* A photo of an export (`import --all`, export_photos.c) put back as it
 * was: the photo shown (data, n bytes) and, when not NULL, the photo as sent
 * (orig, orig_n bytes), with who sent it and when; checked by content like
 * photo_add, audited; in the caller's transaction. Administrators only. */
int photo_restore(struct store *st, const struct actor *a, int64_t product_id,
		  const unsigned char *data, size_t n, const unsigned char *orig, size_t orig_n,
		  const char *created_at, const char *created_by, int64_t *id, struct err *e);
/* Takes a photo off its product (the row stays, marked removed; audited).
 * ERR_NOTFOUND when it is not a live photo of product_id. */
int photo_remove(struct store *st, const struct actor *a, int64_t product_id, int64_t photo_id,
		 struct err *e);

/* Re-encodes JPEG in (n bytes) with its longer side at most PHOTO_MAX_SIDE
 * pixels, upright by its EXIF orientation, at PHOTO_JPEG_QUALITY: *out is
 * malloc'd (*outn bytes). ERR_INVALID (field "file") when the JPEG cannot
 * be decoded, ERR_TOOBIG past PHOTO_MAX_PIXELS. */
int photo_jpeg_shrink(const unsigned char *in, size_t n, unsigned char **out, size_t *outn,
		      struct err *e);

struct photo {
	int64_t id, product_id;
	char content_type[16];
	char sha256[PHOTO_SHA_TEXT];
	unsigned char *data; /* malloc'd bytes; free with photo_free() */
	size_t size;
};
/* Reads a live photo with its bytes. ERR_NOTFOUND when there is none. */
int photo_get(struct store *st, int64_t id, struct photo *out, struct err *e);
void photo_free(struct photo *p);
/* The live photos of a product, oldest first, as a JSON array of
 * {"id", "content_type", "bytes", "sha256"} in *out (caller decrefs). */
int photo_list(struct store *st, int64_t product_id, json_t **out, struct err *e);

#endif
