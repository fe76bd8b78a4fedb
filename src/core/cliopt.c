/* cliopt.c - command-line options for the subcommands. */
#include "core/cliopt.h"

#include <stdio.h>
#include <string.h>

static struct cliopt *find(struct cliopt *opts, const char *name, size_t n)
{
	for (struct cliopt *o = opts; o->name; o++)
		if (strlen(o->name) == n && !strncmp(o->name, name, n))
			return o;
	return NULL;
}

int cliopt_parse(int argc, char **argv, struct cliopt *opts, const char **positional, int max_pos,
                 int *npos, struct err *e)
{
	*npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) || !a[2]) {
			if (*npos >= max_pos)
				return err_set(e, ERR_INVALID, a, "unexpected argument: %s", a);
			positional[(*npos)++] = a;
			continue;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t n = eq ? (size_t)(eq - name) : strlen(name);
		struct cliopt *o = find(opts, name, n);
		if (!o)
			return err_set(e, ERR_INVALID, a, "unknown option --%.*s (see --help)", (int)n, name);
		if (!o->has_value) {
			if (eq)
				return err_set(e, ERR_INVALID, a, "--%s takes no value", o->name);
			o->value = "1";
		} else if (eq) {
			o->value = eq + 1;
		} else if (i + 1 < argc) {
			o->value = argv[++i];
		} else {
			return err_set(e, ERR_INVALID, a, "--%s needs a value", o->name);
		}
	}
	return 0;
}

const char *cliopt_get(const struct cliopt *opts, const char *name)
{
	for (const struct cliopt *o = opts; o->name; o++)
		if (!strcmp(o->name, name))
			return o->value;
	return NULL;
}

void cliopt_usage(const struct cliopt *opts)
{
	for (const struct cliopt *o = opts; o->name; o++)
		printf("  --%s%s\n      %s\n", o->name, o->has_value ? " VALUE" : "", o->help);
}
