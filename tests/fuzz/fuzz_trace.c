/* fuzz_trace.c - what a scanned QR code brings in (model/trace.c,
 * web/public_trace.c): GS1 Digital Link paths, /t/{id} paths, GTINs, lot
 * codes and the signature of a signed URL. Input: "path\nquery\nsignature". A path
 * that parses is formatted and signed again: the canonical form must read
 * back as itself and its own signature must verify. */
#include "fuzz.h"

#include "model/trace.h"
#include "web/public.h"

#include <stdlib.h>
#include <string.h>

static struct trace_key key;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	trace_key_generate(&key);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *rest = s;
	char *path = fuzz_line(&rest);
	char *query = path ? fuzz_line(&rest) : NULL;
	const char *sig = rest;
	if (!path)
		path = s, sig = NULL;
	struct err e;
	char gtin[GTIN_TEXT];
	gtin_check(path, gtin, &e);
	if (strlen(path) >= 2)
		gtin_check_digit(path, strlen(path)); /* its contract: n >= 2 */
	lot_code_check(path, &e);
	struct dlink d;
	if (dlink_parse(path, query, &d, &e) == 0) {
		/* The canonical form reads back as itself, and its own signature verifies. */
		struct buf b = BUF_INIT;
		dlink_format(&b, &d);
		struct dlink again;
		if (dlink_parse(buf_cstr(&b), NULL, &again, &e) != 0 || strcmp(d.gtin, again.gtin) ||
		    strcmp(d.lot, again.lot) || strcmp(d.variant, again.variant) ||
		    strcmp(d.serial, again.serial))
			abort();
		char good[TRACE_SIG_TEXT];
		trace_sign(&key, buf_cstr(&b), good);
		if (!trace_verify(key.pk, buf_cstr(&b), good))
			abort();
		buf_free(&b);
	}
	trace_verify(key.pk, path, sig);
	free(s);
	return 0;
}
