/* sqlite_map.h - the VFS that maps each SQLite database file once per
 * process (sqlite_map.c). */
#ifndef KC_SQLITE_MAP_H
#define KC_SQLITE_MAP_H

#define SQLITE_MAP_VFS "kc-map"

/* Registers the VFS (once) and returns its name for sqlite3_open_v2. */
const char *sqlite_map_vfs(void);
/* How many files are mapped now (one per database file in use): for tests. */
int sqlite_map_regions(void);

#endif
