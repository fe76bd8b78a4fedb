/* params.h - validated access to query and body values: the ..._or_reply()
 * helpers reply 400 naming the field and return < 0 on bad input. */
#ifndef KC_PARAMS_H
#define KC_PARAMS_H

#include "web/http.h"

/* What a declared query parameter takes. */
enum query_type {
	QP_INT,		 /* a whole number in def/min/max, or with choices one of the words */
	QP_FREE,	 /* free text for that handler (the handler reads it) */
	QP_STRING,	 /* text; its values depend on other parameters (the model checks) */
	QP_PROVINCE,	 /* a province of today, two digits; choices: other words taken */
	QP_OLD_PROVINCE, /* a province as it was before 2025-07-01 (idem) */
	QP_PROVINCES,	 /* today's provinces, comma-separated or repeated, at most max */
	QP_DATE,	 /* a day, 2024-03-01 or 01/03/2024 */
	QP_CODE,	 /* a code of the enum field choices, "collection.field" */
};

/* A query parameter declared once: its name, type and the values it takes.
 * The router checks it on the API's routes before any handler runs,
 * handlers read it with query_param_or_reply() / query_choice_or_reply() /
 * query_text_or_reply() / query_provinces_or_reply(), and the OpenAPI
 * document types and describes it from the same entry. An entry for one
 * handler (only) comes before the one for all; a QP_FREE entry says the
 * name is free text there (the handler reads it). */
struct query_param {
	const char *name;
	void (*only)(struct req *r, struct resp *w); /* that handler's routes; NULL: any */
	enum query_type type;
	int64_t def, min, max; /* an integer: def when absent or empty */
	const char *doc;       /* English, for the API document */
	const char *choices;   /* or one of these words, "a|b": the first when absent */
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
/* The value of the declared parameter key of r's route (a string, a choice,
 * a province, a date as ISO text, a code) into *out, NULL when absent or
 * empty; replies 400 naming key and what it takes, and returns < 0, for a
 * bad value. Aborts when key is not declared so. */
int query_text_or_reply(struct req *r, struct resp *w, const char *key, const char **out);
/* The same check without replying (-1 on a bad value), for a page that
 * shows its own error. */
int query_text_check(struct req *r, const char *key, const char **out);
/* The province codes of the declared parameter key (QP_PROVINCES: at most
 * its max; QP_PROVINCE: one) into codes, *n of them (0 when absent). */
int query_provinces_or_reply(struct req *r, struct resp *w, const char *key, const char **codes,
			     int *n);
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
