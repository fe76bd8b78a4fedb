/* sqlite_map.c - a VFS over the default one that maps each database file
 * once per process, not once per connection.
 *
 * SQLite's own memory map (PRAGMA mmap_size) belongs to one connection: with
 * a connection per request thread the same file was mapped four or eight
 * times, so the server's RSS counted every page it read that many times. Here
 * every connection of a file reads its pages (xFetch) from one shared
 * read-only MAP_SHARED mapping, reserved at the mmap_size the connection asks
 * for and kept until the last connection of the file closes. Writes still go
 * through the default VFS (write()): a shared mapping always shows the file's
 * current bytes. A connection hands out pages only below the file size it last
 * saw, refreshed (fstat) when SQLite says the file may have changed (xUnfetch
 * of nothing), after its own writes and truncations, and when asked beyond it:
 * the same rule as the default VFS's own map. Anything else is passed on. */
#include "store/sqlite_map.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* One mapping of one file (device, inode) and how many connections use it. */
struct region {
	dev_t dev;
	ino_t ino;
	char *base;
	sqlite3_int64 len;
	int users;
	struct region *next;
};

static pthread_mutex_t regions_lock = PTHREAD_MUTEX_INITIALIZER;
static struct region *regions;
static int mapped_count; /* sqlite_map_regions */

struct map_file {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, allocated right after */
	int fd;             /* of real, for fstat; -1 when not a main database */
	sqlite3_int64 cap;  /* the connection's mmap_size; 0 = no map */
	sqlite3_int64 size; /* the file size last seen; -1 = look again */
	struct region *region;
};

static sqlite3_vfs *real_vfs;

static struct region *region_get(int fd, sqlite3_int64 cap)
{
	struct stat sb;
	if (fstat(fd, &sb) != 0)
		return NULL;
	pthread_mutex_lock(&regions_lock);
	struct region *r = regions;
	while (r && (r->dev != sb.st_dev || r->ino != sb.st_ino))
		r = r->next;
	if (!r) {
		void *p = mmap(NULL, (size_t)cap, PROT_READ, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED) {
			r = calloc(1, sizeof *r);
			if (r) {
				*r = (struct region){sb.st_dev, sb.st_ino, p, cap, 0, regions};
				regions = r;
				mapped_count++;
			} else {
				munmap(p, (size_t)cap);
			}
		}
	}
	if (r)
		r->users++;
	pthread_mutex_unlock(&regions_lock);
	return r;
}

static void region_put(struct region *r)
{
	pthread_mutex_lock(&regions_lock);
	if (--r->users == 0) {
		struct region **pp = &regions;
		while (*pp != r)
			pp = &(*pp)->next;
		*pp = r->next;
		munmap(r->base, (size_t)r->len);
		mapped_count--;
		free(r);
	}
	pthread_mutex_unlock(&regions_lock);
}

int sqlite_map_regions(void)
{
	pthread_mutex_lock(&regions_lock);
	int n = mapped_count;
	pthread_mutex_unlock(&regions_lock);
	return n;
}

static sqlite3_file *real_of(sqlite3_file *f)
{
	return ((struct map_file *)f)->real;
}

static int m_close(sqlite3_file *f)
{
	struct map_file *m = (struct map_file *)f;
	if (m->region)
		region_put(m->region);
	m->region = NULL;
	return m->real->pMethods ? m->real->pMethods->xClose(m->real) : SQLITE_OK;
}

static int m_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}

static int m_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	((struct map_file *)f)->size = -1;
	return real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}

static int m_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	((struct map_file *)f)->size = -1;
	return real_of(f)->pMethods->xTruncate(real_of(f), size);
}

static int m_sync(sqlite3_file *f, int flags)
{
	return real_of(f)->pMethods->xSync(real_of(f), flags);
}

static int m_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return real_of(f)->pMethods->xFileSize(real_of(f), size);
}

static int m_lock(sqlite3_file *f, int level)
{
	return real_of(f)->pMethods->xLock(real_of(f), level);
}

static int m_unlock(sqlite3_file *f, int level)
{
	return real_of(f)->pMethods->xUnlock(real_of(f), level);
}

static int m_check_reserved(sqlite3_file *f, int *out)
{
	return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}

static int m_file_control(sqlite3_file *f, int op, void *arg)
{
	struct map_file *m = (struct map_file *)f;
	if (op == SQLITE_FCNTL_MMAP_SIZE && m->fd >= 0) {
		/* The map is ours: the default VFS is told to make none. */
		sqlite3_int64 want = *(sqlite3_int64 *)arg, none = 0;
		if (want >= 0 && !m->region)
			m->cap = want;
		*(sqlite3_int64 *)arg = m->cap;
		return real_of(f)->pMethods->xFileControl(real_of(f), op, &none);
	}
	if (op == SQLITE_FCNTL_SIZE_HINT)
		m->size = -1;
	return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}

static int m_sector_size(sqlite3_file *f)
{
	return real_of(f)->pMethods->xSectorSize(real_of(f));
}

static int m_device_characteristics(sqlite3_file *f)
{
	return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

static int m_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return real_of(f)->pMethods->xShmMap(real_of(f), pg, pgsz, extend, pp);
}

static int m_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}

static void m_shm_barrier(sqlite3_file *f)
{
	real_of(f)->pMethods->xShmBarrier(real_of(f));
}

static int m_shm_unmap(sqlite3_file *f, int del)
{
	return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}

static int m_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	struct map_file *m = (struct map_file *)f;
	*pp = NULL;
	if (m->fd < 0 || m->cap <= 0 || off + n > m->cap)
		return SQLITE_OK; /* SQLite reads it with xRead */
	if (!m->region && !(m->region = region_get(m->fd, m->cap)))
		return SQLITE_OK;
	if (off + n > m->size) {
		struct stat sb;
		m->size = fstat(m->fd, &sb) == 0 ? (sqlite3_int64)sb.st_size : 0;
	}
	if (off + n <= m->size && off + n <= m->region->len)
		*pp = m->region->base + off;
	return SQLITE_OK;
}

static int m_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)off;
	if (!p) /* the file may have changed: look at its size again */
		((struct map_file *)f)->size = -1;
	return SQLITE_OK;
}

static const sqlite3_io_methods map_methods = {
	.iVersion = 3,
	.xClose = m_close,
	.xRead = m_read,
	.xWrite = m_write,
	.xTruncate = m_truncate,
	.xSync = m_sync,
	.xFileSize = m_file_size,
	.xLock = m_lock,
	.xUnlock = m_unlock,
	.xCheckReservedLock = m_check_reserved,
	.xFileControl = m_file_control,
	.xSectorSize = m_sector_size,
	.xDeviceCharacteristics = m_device_characteristics,
	.xShmMap = m_shm_map,
	.xShmLock = m_shm_lock,
	.xShmBarrier = m_shm_barrier,
	.xShmUnmap = m_shm_unmap,
	.xFetch = m_fetch,
	.xUnfetch = m_unfetch,
};

/* The descriptor of the default VFS's file (struct unixFile begins pMethods,
 * pVfs, pInode, h; no file control returns it). A descriptor of our own would
 * not do: closing it would drop the POSIX locks SQLite holds on the file. It
 * is used only when it is the very file named (else no shared map: pages are
 * read with xRead). */
static int fd_of(sqlite3_file *real, const char *name)
{
	struct unix_head {
		const sqlite3_io_methods *methods;
		sqlite3_vfs *vfs;
		void *inode;
		int h;
	};
	int fd = ((struct unix_head *)(void *)real)->h;
	struct stat a, b;
	if (!name || fd < 0 || fstat(fd, &a) != 0 || stat(name, &b) != 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return -1;
	return fd;
}

static int m_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)vfs;
	struct map_file *m = (struct map_file *)f;
	memset(m, 0, sizeof *m);
	m->real = (sqlite3_file *)(m + 1);
	m->fd = -1;
	int rc = real_vfs->xOpen(real_vfs, name, m->real, flags, out);
	if (rc != SQLITE_OK || !m->real->pMethods)
		return rc;
	if (flags & SQLITE_OPEN_MAIN_DB)
		m->fd = fd_of(m->real, name);
	m->size = -1;
	f->pMethods = &map_methods;
	return SQLITE_OK;
}

static sqlite3_vfs map_vfs;

static void map_register(void)
{
	real_vfs = sqlite3_vfs_find(NULL);
	map_vfs = *real_vfs;
	map_vfs.zName = SQLITE_MAP_VFS;
	map_vfs.szOsFile = (int)sizeof(struct map_file) + real_vfs->szOsFile;
	map_vfs.xOpen = m_open;
	map_vfs.pNext = NULL;
	sqlite3_vfs_register(&map_vfs, 0);
}

const char *sqlite_map_vfs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, map_register);
	return SQLITE_MAP_VFS;
}
