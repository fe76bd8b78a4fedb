/* embed.h - files compiled into the binary (migrations, assets, reference data). */
#ifndef KC_EMBED_H
#define KC_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name;          /* path relative to its folder, e.g. "0001_init.sql" */
	const unsigned char *data; /* NUL-terminated after size bytes */
	size_t size;
};

/* Tables generated at build time; each ends with an all-zero entry. */
extern const struct embedded_file migrations_files[];
extern const size_t migrations_count;
extern const struct embedded_file assets_files[];
extern const size_t assets_count;
extern const struct embedded_file units_files[];
extern const size_t units_count;
extern const struct embedded_file vsic_files[];
extern const size_t vsic_count;
extern const struct embedded_file passwords_files[];
extern const size_t passwords_count;
extern const struct embedded_file maps_files[];
extern const size_t maps_count;
extern const struct embedded_file demo_files[];
extern const size_t demo_count;

/* Returns the entry named name in table, or NULL. */
const struct embedded_file *embed_find(const struct embedded_file *table, const char *name);

#endif
