/* openapi.h - the OpenAPI 3.1 description of the JSON API, generated from the
 * route table (routes.c) and the record types (entities.c), never kept by hand. */
#ifndef KC_OPENAPI_H
#define KC_OPENAPI_H

#include <jansson.h>

/* The document as compact JSON text. Built once, on first use, from tables
 * that do not change after start-up; the text is shared and lives as long as
 * the process (do not free it). Never fails (aborts on a broken literal). */
const char *openapi_text(void);

/* The document as a new JSON object (caller json_decref's). */
json_t *openapi_document(void);

/* The access level name of an operation as the document states it
 * ("public", "login", "writer", "admin"); the extension key is "x-access". */
#define OPENAPI_ACCESS_KEY "x-access"

#endif
