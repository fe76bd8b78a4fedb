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

/* A GS1 Digital Link URI as this system resolves it: the primary key GTIN
 * (AI 01) with the qualifiers GS1 allows after it, in their order
 * /01/{gtin}[/22/{variant}][/10/{lot}][/21/{serial}], and of the query the
 * signature s. Other query attributes are checked (known AIs) or ignored
 * (anything not numeric: linkType, utm_source, ...); none is kept. */
enum { DL_VALUE_MAX = 20 }; /* AIs (22), (10), (21): at most 20 characters */
struct dlink {
	char gtin[GTIN_TEXT];		/* 14 digits */
	char variant[DL_VALUE_MAX + 1]; /* AI (22), "" when absent */
	char lot[LOT_CODE_MAX + 1];	/* AI (10), "" when absent */
	char serial[DL_VALUE_MAX + 1];	/* AI (21), "" when absent */
	int short_gtin;			/* written with 8, 12 or 13 digits */
	char sig[TRACE_SIG_TEXT];	/* the s attribute, "" when absent */
	int sig_bad;			/* s given but unusable: never verifies */
};
/* Parses a Digital Link from path (as received: still percent-encoded,
 * decoded here exactly once) and query (as received, without '?'; may be
 * NULL): the GTIN with a valid check digit, each value 1..20 characters of
 * GS1's character set 82 with no %00, and in the query the AIs of
 * dlink_attr_check(). Returns 0, or ERR_INVALID naming the part ("path",
 * "gtin", "10", "17", ...) with a message saying what is wrong. */
int dlink_parse(const char *path, const char *query, struct dlink *out, struct err *e);
/* Checks the query attribute (key, value already decoded) of a Digital
 * Link: 0 for a known AI with a well-formed value; ERR_INVALID for an AI
 * that belongs in the path, an unknown numeric key, or a bad value. */
int dlink_attr_check(const char *key, const char *value, struct err *e);
/* Appends the canonical path of d: "/01/" 14 digits, then each qualifier
 * present, in GS1's order, percent-encoded. This is what s signs. */
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

/* Checks a public base URL ($KC_PUBLIC_URL, the setting public_url):
 * http(s)://host[:port], nothing after it but slashes, since the server
 * answers the Digital Links it prints (/01/…) at its root only. 0, or
 * ERR_INVALID naming field "KC_PUBLIC_URL". */
int trace_base_check(const char *url, struct err *e);

/* Writes the public base URL of the deployment ("https://example.vn", no
 * trailing slash) to out: $KC_PUBLIC_URL when set, else the setting
 * "public_url", else "http://" (or "https://" when proto is "https") and the
 * request's host when it is a plain host[:port], else "http://localhost".
 * proto and host may be NULL. Never fails. */
void trace_base_url(struct store *st, const char *host, const char *proto, char *out, size_t n);

#endif
