/* err.c - filling and naming struct err. */
#include "core/err.h"

#include "core/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int err_set(struct err *e, int code, const char *field, const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
	return code;
}

const struct err *errs_find(const struct errs *l, const char *field)
{
	for (int i = 0; field && i < l->n; i++)
		if (!strcmp(l->item[i].field, field))
			return &l->item[i];
	return NULL;
}

int errs_add(struct errs *l, const struct err *e)
{
	if (e->field[0] && errs_find(l, e->field))
		return e->code;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->item = xrealloc(l->item, (size_t)l->cap * sizeof *l->item);
	}
	l->item[l->n++] = *e;
	return e->code;
}

int errs_set(struct errs *l, int code, const char *field, const char *fmt, ...)
{
	struct err e = {.code = code};
	snprintf(e.field, sizeof e.field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	return errs_add(l, &e);
}

void errs_free(struct errs *l)
{
	free(l->item);
	l->item = NULL;
	l->n = l->cap = 0;
}

void err_clear(struct err *e)
{
	if (!e)
		return;
	e->code = ERR_OK;
	e->field[0] = 0;
	e->message[0] = 0;
}

static const struct {
	int code;
	const char *name;
	int status;
} err_table[] = {
	{ERR_OK, "ok", 200},
	{ERR_INVALID, "invalid", 400},
	{ERR_NOTFOUND, "not_found", 404},
	{ERR_FORBIDDEN, "forbidden", 403},
	{ERR_CONFLICT, "conflict", 409},
	{ERR_STALE, "precondition_failed", 412},
	{ERR_TOOBIG, "too_large", 413},
	{ERR_AUTH, "unauthorized", 401},
	{ERR_THROTTLED, "too_many_requests", 429},
	{ERR_STORE, "store_error", 500},
	{ERR_IO, "io_error", 500},
};

const char *err_name(int code)
{
	for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++)
		if (err_table[i].code == code)
			return err_table[i].name;
	return "error";
}

int err_http_status(int code)
{
	for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++)
		if (err_table[i].code == code)
			return err_table[i].status;
	return 500;
}
