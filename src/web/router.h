/* router.h - the one table of routes and the dispatch that enforces it:
 * method and path matching, declared parameters, authentication, CSRF,
 * roles, body parsing. The OpenAPI document and the access tests read the
 * same table. */
#ifndef KC_ROUTER_H
#define KC_ROUTER_H

#include "web/http.h"

enum access {
	ACCESS_PUBLIC, /* anyone */
	ACCESS_LOGIN,  /* any logged-in account */
	ACCESS_WRITER, /* logged in and not a viewer */
	ACCESS_ADMIN,  /* administrators */
};

/* BODY_UPLOAD: a file, as multipart/form-data or raw bytes (web/upload.h),
 * up to UPLOAD_LIMIT. */
enum body_kind { BODY_NONE, BODY_JSON, BODY_FORM, BODY_UPLOAD };

struct route {
	const char *method;
	const char *pattern; /* segments; "{name}" matches one segment */
	enum access access;
	enum body_kind body;
	const char *query;  /* declared query parameters, comma-separated, or NULL */
	const char *fields; /* declared body fields, comma-separated, or NULL */
	void (*handler)(struct req *r, struct resp *w);
	const char *summary; /* one line for the API description */
};

/* The route table, ended by an entry with a NULL method. */
extern const struct route routes[];

/* Limits applied by the server and the router. */
enum { BODY_LIMIT = 1 << 20, UPLOAD_LIMIT = 9 << 20, PARAM_VALUE_LIMIT = 4096 };
/* POST /import takes spreadsheets up to this size. */
enum { IMPORT_UPLOAD_LIMIT = 20 << 20 };

struct entity;

/* Does route rt serve the records of ent? Not when rt writes (a write
 * method, or a form to write) and ent is a history only a workflow writes
 * (project steps): such requests get 405. */
int route_serves(const struct route *rt, const struct entity *ent);

/* The largest body the route of method and path accepts: UPLOAD_LIMIT for
 * BODY_UPLOAD routes (an 8 MB photo and its form), else BODY_LIMIT. */
size_t router_body_limit(const char *method, const char *path);

/* Answers r into w: the whole pipeline described above. r->st must be set.
 * A GET, HEAD or OPTIONS reads in one read transaction (store_read_begin),
 * ended before it returns; a streamed body's later reads run on their own. */
void router_dispatch(struct req *r, struct resp *w);

/* Matches path against pattern, filling params (arena copies) when given.
 * Returns 1 on a match. */
int router_match(struct arena *a, const char *pattern, const char *path,
                 const char *params[REQ_MAX_PARAMS]);

#endif
