/* params.h - validated access to query and body values: the ..._or_reply()
 * helpers reply 400 naming the field and return < 0 on bad input. */
#ifndef KC_PARAMS_H
#define KC_PARAMS_H

#include "web/http.h"

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
/* Parses a decimal integer; 0 on success. */
int parse_int64(const char *s, int64_t *out);

#endif
