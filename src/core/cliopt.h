/* cliopt.h - "--name value", "--name=value" and "--flag" options, declared
 * per subcommand; anything undeclared is an error naming it. */
#ifndef KC_CLIOPT_H
#define KC_CLIOPT_H

#include "core/err.h"

struct cliopt {
	const char *name;  /* without the dashes */
	int has_value;     /* 1: takes a value; 0: a flag */
	const char *value; /* the value given, or the default; flags: "1" when set */
	const char *help;
};

/* Parses argv[0..argc) against opts (ended by a NULL name). Non-option words
 * are collected in positional (up to max_pos) and counted in *npos.
 * Returns 0, or ERR_INVALID with e naming the option. */
int cliopt_parse(int argc, char **argv, struct cliopt *opts, const char **positional, int max_pos,
                 int *npos, struct err *e);
/* The value of name ("" flags unset give NULL). */
const char *cliopt_get(const struct cliopt *opts, const char *name);
/* Prints the options with their help to stdout. */
void cliopt_usage(const struct cliopt *opts);

#endif
