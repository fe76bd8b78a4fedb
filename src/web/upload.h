/* upload.h - file uploads on routes declared BODY_UPLOAD: a browser form's
 * multipart/form-data body (RFC 7578), or the file's raw bytes from an API
 * client. The bytes stay in the request body; nothing here touches a file
 * system, and a sent file name is only ever text. */
#ifndef KC_UPLOAD_H
#define KC_UPLOAD_H

#include "web/http.h"

struct upload {
	const unsigned char *data; /* inside the request body */
	size_t size;
	const char *filename;	  /* as sent (arena copy) or NULL: informative only */
	const char *content_type; /* as declared (arena copy) or NULL: informative only */
};

/* Puts the text fields of a multipart body into r->form (so that the
 * router's CSRF check finds "_csrf"); does nothing for other bodies.
 * Returns 0, or -1 when a body announced as multipart is malformed or has
 * more than REQ_MAX_KV fields. */
int upload_parse_fields(struct req *r);
/* The uploaded file: for a multipart body, the part named field that has a
 * file name; for any other body, the whole body. ERR_INVALID naming field
 * when there is none or it is empty. */
int upload_file(const struct req *r, const char *field, struct upload *out, struct err *e);

#endif
