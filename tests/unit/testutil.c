/* testutil.c - helpers shared by the unit tests. */
#include "testutil.h"

#include "core/buf.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

char *test_tmp_path(const char *name)
{
	const char *dir = getenv("KC_TEST_TMP");
	if (!dir || !*dir)
		dir = "/tmp";
	mkdir(dir, 0700);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s-%d", dir, name, (int)getpid());
	const char *p = buf_cstr(&b);
	unlink(p);
	struct buf x = BUF_INIT;
	buf_printf(&x, "%s-wal", p);
	unlink(buf_cstr(&x));
	buf_reset(&x);
	buf_printf(&x, "%s-shm", p);
	unlink(buf_cstr(&x));
	buf_free(&x);
	return buf_detach(&b);
}
