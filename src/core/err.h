/* err.h - the one error convention: functions return 0 or a negative code and
 * fill a struct err with a message a user can read. */
#ifndef KC_ERR_H
#define KC_ERR_H

enum err_code {
	ERR_OK = 0,
	ERR_INVALID = -1,   /* bad input: field names the culprit (400) */
	ERR_NOTFOUND = -2,  /* no such record (404) */
	ERR_FORBIDDEN = -3, /* outside the caller's role or scope (403) */
	ERR_CONFLICT = -4,  /* duplicate or illegal state change (409) */
	ERR_STALE = -5,     /* If-Match did not match (412) */
	ERR_TOOBIG = -6,    /* a limit was exceeded (413) */
	ERR_AUTH = -7,      /* not authenticated (401) */
	ERR_THROTTLED = -8, /* too many attempts (429) */
	ERR_STORE = -9,     /* database failure (500) */
	ERR_IO = -10,       /* file or system failure (500) */
};

struct err {
	int code;          /* one of enum err_code */
	char field[64];    /* the input field or row at fault, or "" */
	char message[1024]; /* Vietnamese or English text for a person */
};

/* Every error of one input (a whole form) rather than the first only: one
 * per field, in the order found. Zero-initialise; errs_free() when done. */
struct errs {
	int n, cap;
	struct err *item;
};

/* Fills e (if not NULL) and returns code. Never fails. */
int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Appends a copy of e to l unless e's field already has an error there (the
 * first error of a field is the one to fix). Returns e->code. */
int errs_add(struct errs *l, const struct err *e);
/* Formats an error and appends it as errs_add() does; returns code. */
int errs_set(struct errs *l, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The error of field in l, or NULL. */
const struct err *errs_find(const struct errs *l, const char *field);
/* Frees the list (l itself is the caller's) and empties it. */
void errs_free(struct errs *l);
/* Clears e to ERR_OK. */
void err_clear(struct err *e);
/* A short machine name for code ("invalid", "not_found", ...). Static string. */
const char *err_name(int code);
/* The HTTP status that answers code. */
int err_http_status(int code);

#endif
