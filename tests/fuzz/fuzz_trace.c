/* fuzz_trace.c - what a scanned QR code brings in (model/trace.c,
 * web/public_trace.c): GS1 Digital Link paths, /t/{id} paths, GTINs, lot
 * codes and the signature of a signed URL. Input: "path\nsignature". A path
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
	if (dlink_parse(path, &d, &e) == 0) {
		struct buf b = BUF_INIT;
		dlink_format(&b, &d);
		struct dlink again;
		if (dlink_parse(buf_cstr(&b), &again, &e) != 0 || strcmp(d.gtin, again.gtin) ||
		    strcmp(d.lot, again.lot))
			abort(); /* a canonical link must read back as itself */
		buf_free(&b);
	}
	struct buf canon = BUF_INIT;
	if (trace_canonical(path, &canon) == 0) {
		char good[TRACE_SIG_TEXT];
		trace_sign(&key, buf_cstr(&canon), good);
		if (!trace_verify(key.pk, buf_cstr(&canon), good))
			abort();
	}
	trace_verify(key.pk, path, sig);
	buf_free(&canon);
	free(s);
	return 0;
}
