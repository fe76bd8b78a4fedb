/* trace.h - identifiers and signatures of product traceability: GTIN check
 * digits, lot codes, GS1 Digital Link paths (/01/{GTIN}/10/{lot}), and the
 * Ed25519 signature a QR code carries so that the public trace page can say
 * whether the code was made by this deployment. Pure functions except the
 * key pair, which lives in the settings table. */
#ifndef KC_TRACE_H
#define KC_TRACE_H

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

#include <stdint.h>

enum {
	GTIN_TEXT = 15,	     /* 14 digits and NUL */
	LOT_CODE_MAX = 20,   /* GS1 AI (10): at most 20 characters */
	TRACE_SIG_TEXT = 90, /* 64 bytes in unpadded base64url (86) and NUL */
	TRACE_PK_TEXT = 48,  /* 32 bytes in padded base64 (44) and NUL */
	TRACE_URL_MAX = 512, /* a whole signed URL */
};

/* Checks a GTIN-8, -12, -13 or -14 (digits only, spaces ignored, check digit
 * of GS1 General Specifications 7.9.1) and writes its 14-digit form
 * (left-padded with zeros, as GS1 recommends storing it) to out. Returns 0,
 * or ERR_INVALID naming field "gtin" with a message saying what is wrong. */
int gtin_check(const char *text, char out[GTIN_TEXT], struct err *e);
/* The check digit (0..9) of the n-1 leading digits of digits (n >= 2);
 * -1 when one of them is not a digit. */
int gtin_check_digit(const char *digits, size_t n);

/* Checks a lot code: 1..20 characters among A-Z a-z 0-9 - . _ (the part of
 * the GS1 AI (10) character set that needs no escaping in a URL path).
 * 0 or ERR_INVALID naming field "lot_code". */
int lot_code_check(const char *code, struct err *e);

/* A GS1 Digital Link path: GTIN (14 digits) and lot code. */
struct dlink {
	char gtin[GTIN_TEXT];
	char lot[LOT_CODE_MAX + 1];
};
/* Parses "/01/{gtin}/10/{lot}" (an 8-, 12-, 13- or 14-digit GTIN with a
 * valid check digit; the lot as lot_code_check() accepts it). Anything
 * after the lot (a query) must already be cut off. Returns 0, or
 * ERR_INVALID when path is not such a link. */
int dlink_parse(const char *path, struct dlink *out, struct err *e);
/* Appends the canonical path of d: "/01/" 14 digits "/10/" lot. */
void dlink_format(struct buf *b, const struct dlink *d);
/* Appends the canonical trace path of a lot: the Digital Link when gtin14
 * is a 14-digit GTIN (non-NULL, non-empty), else "/t/{lot_id}". */
void trace_path(struct buf *b, int64_t lot_id, const char *gtin14, const char *lot_code);

/* The deployment's signing key pair. */
struct trace_key {
	unsigned char pk[32];
	unsigned char sk[64];
};
/* Loads the key pair from the settings table (key "trace.ed25519"); on
 * first use generates one and stores it. Several servers racing on an
 * empty table all end with the same, first stored, pair. ERR_STORE on a
 * database failure. */
int trace_key_load(struct store *st, struct trace_key *k, struct err *e);
/* A fresh random key pair (for tests and the first use). */
void trace_key_generate(struct trace_key *k);
/* The signature of path by k as unpadded base64url text. */
void trace_sign(const struct trace_key *k, const char *path, char out[TRACE_SIG_TEXT]);
/* 1 when sig (unpadded base64url) is a valid signature of path by the key
 * pk; 0 for anything else (a wrong, altered, truncated or malformed
 * signature, a NULL sig). Never fails. */
int trace_verify(const unsigned char pk[32], const char *path, const char *sig);
/* The public key as padded standard base64 (44 characters). */
void trace_pk_text(const unsigned char pk[32], char out[TRACE_PK_TEXT]);
/* Appends base + path + "?s=" + the signature of path. */
void trace_signed_url(struct buf *b, const struct trace_key *k, const char *base, const char *path);

/* Writes the public base URL of the deployment ("https://example.vn", no
 * trailing slash) to out: $KC_PUBLIC_URL when set, else the setting
 * "public_url", else "http://" (or "https://" when proto is "https") and the
 * request's host when it is a plain host[:port], else "http://localhost".
 * proto and host may be NULL. Never fails. */
void trace_base_url(struct store *st, const char *host, const char *proto, char *out, size_t n);

#endif
