/* params.h - validated access to query and body values: the ..._or_reply()
 * helpers reply 400 naming the field and return < 0 on bad input. */
#ifndef KC_PARAMS_H
#define KC_PARAMS_H

#include "web/http.h"

/* A query parameter declared once: its name and the values it takes (an
 * integer in a range, or one of a few words). The router checks it on the
 * API's routes before any handler runs, handlers read it with
 * query_param_or_reply() / query_choice_or_reply(), and the OpenAPI
 * document types it from the same entry. An entry for one handler (only)
 * comes before the one for all; a text entry says the name is free text
 * there (the handler reads it). */
struct query_param {
	const char *name;
	void (*only)(struct req *r, struct resp *w); /* that handler's routes; NULL: any */
	int text;				     /* free text for that handler */
	int64_t def, min, max;			     /* an integer: def when absent or empty */
	const char *doc;			     /* English, for the API document */
	const char *choices; /* or one of these words, "a|b": the first when absent */
};

/* The declarations, ended by a NULL name. */
extern const struct query_param query_params[];
/* The declaration of parameter name for handler h, or NULL (none, or text). */
const struct query_param *query_param_find(const char *name,
					   void (*h)(struct req *r, struct resp *w));
/* The value of the declared integer parameter key of r's route into *out,
 * its default when absent; replies 400 naming key and returns < 0 when
 * the value is not a whole number in range. Aborts when key is not
 * declared (a broken table). */
int query_param_or_reply(struct req *r, struct resp *w, const char *key, int64_t *out);
/* The value of the declared choice parameter key of r's route into *out
 * (NULL when absent or empty); replies 400 naming key and the words it
 * takes, and returns < 0, for any other value. Aborts when undeclared. */
int query_choice_or_reply(struct req *r, struct resp *w, const char *key, const char **out);
/* Checks every declared parameter r carries (the router, on the API's
 * routes); replies 400 and returns < 0 on the first bad one. */
int query_params_or_reply(struct req *r, struct resp *w);

/* Query integer key in [min, max], def when absent. */
int query_int_or_reply(struct req *r, struct resp *w, const char *key, int64_t def, int64_t min,
                       int64_t max, int64_t *out);
/* JSON body string field (NULL when absent); a non-string replies 400. */
int json_str_or_reply(struct req *r, struct resp *w, const char *key, const char **out);
/* JSON body integer field (def when absent or null). */
int json_int_or_reply(struct req *r, struct resp *w, const char *key, int64_t def, int64_t *out);
/* JSON body boolean field: *out = -1 when absent. */
int json_bool_or_reply(struct req *r, struct resp *w, const char *key, int *out);
/* The years of the query parameters "from" and "to" (1900..2100; 0 when
 * absent). Replies 400 naming the parameter and returns < 0 on bad input. */
int years_or_reply(struct req *r, struct resp *w, int *from, int *to);
/* The province code of query parameter key, checked against the units of
 * era ("new": today's 34, "old": the 63 before 2025-07-01): *out is NULL
 * when absent or empty, "none" passes when allow_none. A name ("Hà Nội"),
 * a list ("01,33") or an unknown code replies 400 naming key and saying
 * what it accepts. */
int province_or_reply(struct req *r, struct resp *w, const char *key, const char *era,
		      int allow_none, const char **out);
/* The province codes of key, given once as a comma-separated list or as
 * the key repeated (a multi-select), each checked as by province_or_reply
 * (era "new"), into codes (at most max, no repeats). *n = 0 when absent. */
int provinces_or_reply(struct req *r, struct resp *w, const char *key, const char **codes, int max,
		       int *n);
/* Parses a decimal integer; 0 on success. */
int parse_int64(const char *s, int64_t *out);

#endif
