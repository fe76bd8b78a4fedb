/* photo_jpeg.c - a phone's photo made fit for a web page: decoded with
 * libjpeg-turbo (scaled while decoding, then averaged down), turned upright
 * by its EXIF orientation (the re-encoded file carries no EXIF), and
 * re-encoded. A broken JPEG is an error, never a crash: libjpeg's fatal
 * errors jump back here instead of exiting. */
#include "model/photo.h"

#include "core/mem.h"

#include <jpeglib.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jerr {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
};

static void jerr_exit(j_common_ptr c)
{
	longjmp(((struct jerr *)c->err)->back, 1);
}

static void jerr_quiet(j_common_ptr c, int level)
{
	(void)c;
	(void)level; /* warnings of a slightly odd file are not errors */
}

static unsigned rd16(const unsigned char *p, int le)
{
	return le ? (unsigned)(p[0] | p[1] << 8) : (unsigned)(p[0] << 8 | p[1]);
}

static unsigned long rd32(const unsigned char *p, int le)
{
	return le ? (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
			       (unsigned long)p[3] << 24
		  : (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
			       (unsigned long)p[2] << 8 | (unsigned long)p[3];
}

/* The EXIF orientation (1..8) of a JPEG's APP1 segment, 1 when absent. */
static int exif_orientation(jpeg_saved_marker_ptr m)
{
	for (; m; m = m->next) {
		const unsigned char *d = m->data;
		unsigned long n = m->data_length;
		if (m->marker != JPEG_APP0 + 1 || n < 14 || memcmp(d, "Exif\0\0", 6))
			continue;
		const unsigned char *t = d + 6; /* the TIFF header */
		n -= 6;
		int le = t[0] == 'I';
		unsigned long ifd = rd32(t + 4, le);
		if (ifd + 2 > n)
			return 1;
		unsigned count = rd16(t + ifd, le);
		for (unsigned i = 0; i < count && ifd + 2 + 12 * (i + 1) <= n; i++) {
			const unsigned char *e = t + ifd + 2 + 12 * i;
			if (rd16(e, le) == 0x0112) {
				unsigned v = rd16(e + 8, le);
				return v >= 1 && v <= 8 ? (int)v : 1;
			}
		}
	}
	return 1;
}

/* src (sw x sh RGB) averaged down into dst (dw x dh), dw <= sw, dh <= sh. */
static void box_shrink(const unsigned char *src, unsigned sw, unsigned sh, unsigned char *dst,
		       unsigned dw, unsigned dh)
{
	for (unsigned y = 0; y < dh; y++) {
		unsigned y0 = y * sh / dh, y1 = (y + 1) * sh / dh;
		for (unsigned x = 0; x < dw; x++) {
			unsigned x0 = x * sw / dw, x1 = (x + 1) * sw / dw;
			unsigned long sum[3] = {0, 0, 0}, k = 0;
			for (unsigned yy = y0; yy < y1; yy++)
				for (unsigned xx = x0; xx < x1; xx++, k++)
					for (int c = 0; c < 3; c++)
						sum[c] += src[((size_t)yy * sw + xx) * 3 + c];
			for (int c = 0; c < 3; c++)
				dst[((size_t)y * dw + x) * 3 + c] =
					(unsigned char)(sum[c] / (k ? k : 1));
		}
	}
}

/* Turns an image upright: orientations 3 (180°), 6 (90° clockwise) and 8
 * (90° counter-clockwise); mirrored ones (2, 4, 5, 7) are rare and kept. */
static unsigned char *upright(unsigned char *px, unsigned *w, unsigned *h, int o)
{
	if (o != 3 && o != 6 && o != 8)
		return px;
	unsigned W = *w, H = *h, nw = o == 3 ? W : H, nh = o == 3 ? H : W;
	unsigned char *out = xmalloc((size_t)W * H * 3);
	for (unsigned y = 0; y < H; y++)
		for (unsigned x = 0; x < W; x++) {
			unsigned nx = o == 3 ? W - 1 - x : o == 6 ? H - 1 - y : y;
			unsigned ny = o == 3 ? H - 1 - y : o == 6 ? x : W - 1 - x;
			memcpy(out + ((size_t)ny * nw + nx) * 3, px + ((size_t)y * W + x) * 3, 3);
		}
	free(px);
	*w = nw;
	*h = nh;
	return out;
}

static int encode(const unsigned char *px, unsigned w, unsigned h, unsigned char **out,
		  size_t *outn)
{
	struct jpeg_compress_struct c;
	struct jerr je;
	c.err = jpeg_std_error(&je.mgr);
	je.mgr.error_exit = jerr_exit;
	unsigned char *mem = NULL;
	unsigned long n = 0;
	if (setjmp(je.back)) {
		jpeg_destroy_compress(&c);
		return -1;
	}
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &n);
	c.image_width = w;
	c.image_height = h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, PHOTO_JPEG_QUALITY, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < h) {
		JSAMPROW row = (JSAMPROW)(px + (size_t)c.next_scanline * w * 3);
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	*out = mem;
	*outn = n;
	return 0;
}

int photo_jpeg_shrink(const unsigned char *in, size_t n, unsigned char **out, size_t *outn,
		      struct err *e)
{
	struct jpeg_decompress_struct d;
	struct jerr je;
	unsigned char *volatile px = NULL; /* read after a longjmp */
	d.err = jpeg_std_error(&je.mgr);
	je.mgr.error_exit = jerr_exit;
	je.mgr.emit_message = jerr_quiet;
	if (setjmp(je.back)) {
		jpeg_destroy_decompress(&d);
		free(px);
		return err_set(e, ERR_INVALID, "file",
			       "Không đọc được ảnh JPEG này / this JPEG could not be read");
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, in, (unsigned long)n);
	jpeg_save_markers(&d, JPEG_APP0 + 1, 0xFFFF);
	jpeg_read_header(&d, TRUE);
	if ((unsigned long long)d.image_width * d.image_height > PHOTO_MAX_PIXELS) {
		jpeg_destroy_decompress(&d);
		return err_set(
			e, ERR_TOOBIG, "file",
			"Ảnh quá lớn (tối đa %d triệu điểm ảnh) / the photo has more than %d "
			"million pixels",
			PHOTO_MAX_PIXELS / 1000000, PHOTO_MAX_PIXELS / 1000000);
	}
	int orientation = exif_orientation(d.marker_list);
	d.out_color_space = JCS_RGB;
	/* Scaled while decoding (1/2, 1/4, 1/8) as far as the side stays above
	 * the target: a 12-megapixel photo never sits whole in memory. */
	unsigned long side = d.image_width > d.image_height ? d.image_width : d.image_height;
	d.scale_num = 1;
	d.scale_denom = 1;
	while (d.scale_denom < 8 && side / (d.scale_denom * 2) >= PHOTO_MAX_SIDE)
		d.scale_denom *= 2;
	jpeg_start_decompress(&d);
	unsigned w = d.output_width, h = d.output_height;
	px = xmalloc((size_t)w * h * 3);
	while (d.output_scanline < h) {
		JSAMPROW row = px + (size_t)d.output_scanline * w * 3;
		jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	unsigned long big = w > h ? w : h;
	if (big > PHOTO_MAX_SIDE) {
		unsigned dw = (unsigned)((unsigned long)w * PHOTO_MAX_SIDE / big);
		unsigned dh = (unsigned)((unsigned long)h * PHOTO_MAX_SIDE / big);
		dw = dw ? dw : 1;
		dh = dh ? dh : 1;
		unsigned char *small = xmalloc((size_t)dw * dh * 3);
		box_shrink(px, w, h, small, dw, dh);
		free(px);
		px = small;
		w = dw;
		h = dh;
	}
	px = upright(px, &w, &h, orientation);
	int rc = encode(px, w, h, out, outn);
	free(px);
	if (rc < 0)
		return err_set(e, ERR_INVALID, "file",
			       "Không nén lại được ảnh / the photo could not be re-encoded");
	return 0;
}
