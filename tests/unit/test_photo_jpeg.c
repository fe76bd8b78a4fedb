/* test_photo_jpeg.c - a phone's photo made fit for a page (photo_jpeg.c):
 * shrunk to PHOTO_MAX_SIDE, turned upright by its EXIF orientation, and a
 * damaged file refused at every length, never a crash (run under ASan). */
#include "testutil.h"

#include "model/photo.h"

#include <jpeglib.h>
#include <stdlib.h>
#include <string.h>

/* A w x h JPEG of a left-to-right gradient (malloc'd, *n bytes). */
static unsigned char *make_jpeg(unsigned w, unsigned h, size_t *n)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr err;
	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	unsigned char *out = NULL;
	unsigned long len = 0;
	jpeg_mem_dest(&c, &out, &len);
	c.image_width = w;
	c.image_height = h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_start_compress(&c, TRUE);
	unsigned char *row = malloc((size_t)w * 3);
	for (unsigned x = 0; x < w; x++) {
		row[3 * x] = (unsigned char)(x * 255 / w);
		row[3 * x + 1] = 90;
		row[3 * x + 2] = 30;
	}
	while (c.next_scanline < h) {
		JSAMPROW rp = row;
		jpeg_write_scanlines(&c, &rp, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	*n = len;
	return out;
}

static void size_of(const unsigned char *d, size_t n, unsigned *w, unsigned *h)
{
	struct jpeg_decompress_struct c;
	struct jpeg_error_mgr err;
	c.err = jpeg_std_error(&err);
	jpeg_create_decompress(&c);
	jpeg_mem_src(&c, d, (unsigned long)n);
	jpeg_read_header(&c, TRUE);
	*w = c.image_width;
	*h = c.image_height;
	jpeg_destroy_decompress(&c);
}

static void test_shrinks_to_the_side(void **state)
{
	(void)state;
	size_t n, outn;
	unsigned char *in = make_jpeg(4000, 3000, &n), *out = NULL;
	struct err e;
	assert_int_equal(photo_jpeg_shrink(in, n, &out, &outn, &e), 0);
	unsigned w, h;
	size_of(out, outn, &w, &h);
	assert_int_equal(w, PHOTO_MAX_SIDE);
	assert_int_equal(h, PHOTO_MAX_SIDE * 3 / 4);
	free(out);
	free(in);
}

/* The same JPEG with an EXIF APP1 saying orientation o, after its SOI. */
static unsigned char *with_orientation(const unsigned char *in, size_t n, int o, size_t *outn)
{
	unsigned char app1[] = {0xFF, 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
				'M',  'M',  0, 42, 0,	0,   0,	  8,   0, 1,
				0x01, 0x12, 0, 3,  0,	0,   0,	  1,   0, (unsigned char)o,
				0,    0,    0, 0,  0,	0};
	*outn = n + sizeof app1;
	unsigned char *d = malloc(*outn);
	memcpy(d, in, 2);
	memcpy(d + 2, app1, sizeof app1);
	memcpy(d + 2 + sizeof app1, in + 2, n - 2);
	return d;
}

static void test_upright(void **state)
{
	(void)state;
	size_t n, m, outn;
	unsigned char *in = make_jpeg(64, 48, &n);
	for (int o = 1; o <= 8; o++) {
		unsigned char *rot = with_orientation(in, n, o, &m), *out = NULL;
		struct err e;
		assert_int_equal(photo_jpeg_shrink(rot, m, &out, &outn, &e), 0);
		unsigned w, h;
		size_of(out, outn, &w, &h);
		int turned = o == 6 || o == 8;
		assert_int_equal(w, turned ? 48 : 64);
		assert_int_equal(h, turned ? 64 : 48);
		free(out);
		free(rot);
	}
	free(in);
}

static void test_damaged_at_every_length(void **state)
{
	(void)state;
	size_t n;
	unsigned char *in = make_jpeg(40, 30, &n);
	for (size_t len = 0; len < n; len += len < 700 ? 1 : 37) {
		unsigned char *cut = malloc(len ? len : 1), *out = NULL;
		memcpy(cut, in, len);
		size_t outn = 0;
		struct err e;
		int rc = photo_jpeg_shrink(cut, len, &out, &outn, &e);
		/* libjpeg pads a file cut in its data with grey: either an image
		 * or a refusal naming the file, never anything else. */
		assert_true(rc == 0 || (rc == ERR_INVALID && !strcmp(e.field, "file")));
		free(out);
		free(cut);
	}
	/* Bytes that are no JPEG at all behind the signature. */
	unsigned char junk[4096];
	memset(junk, 0x5A, sizeof junk);
	memcpy(junk, "\xFF\xD8\xFF\xE0", 4);
	unsigned char *out = NULL;
	size_t outn;
	struct err e;
	assert_int_equal(photo_jpeg_shrink(junk, sizeof junk, &out, &outn, &e), ERR_INVALID);
	assert_null(out);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrinks_to_the_side),
		cmocka_unit_test(test_upright),
		cmocka_unit_test(test_damaged_at_every_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
