/*
 * mem_dev.c - the memory devices: /dev/null, /dev/zero, /dev/random and
 * /dev/urandom.
 *
 * null reads end of file and swallows writes; zero reads zeros and
 * swallows writes; random and urandom both read from the host's random
 * source (which does not block once the host is seeded) and accept writes
 * as entropy that they ignore, as Linux does for unprivileged writers.
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/device.h"
#include "runtime/platform/platform.h"

enum {
	MEM_NULL,
	MEM_ZERO,
	MEM_RANDOM,
	MEM_URANDOM
};

static int
mem_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	unsigned char buf[512];
	size_t n;
	int error = 0;

	(void)ioflag;
	if (dev->si_unit == MEM_NULL)
		return (0);
	if (dev->si_unit == MEM_ZERO)
		memset(buf, 0, sizeof(buf));
	while (uio->uio_resid > 0 && error == 0) {
		n = uio->uio_resid < sizeof(buf) ? uio->uio_resid : sizeof(buf);
		if (dev->si_unit != MEM_ZERO)
			host_random(buf, n);
		error = uiomove(buf, n, uio);
	}
	return (error);
}

static int
mem_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	(void)dev;
	(void)ioflag;
	/* Consumed without being read: a sink. */
	uio->uio_done += uio->uio_resid;
	uio->uio_offset += uio->uio_resid;
	uio->uio_resid = 0;
	return (0);
}

/* Seeking these devices leaves them at 0, as Linux's do. */
static int
mem_seek(struct cdev *dev, int64_t *offp)
{
	(void)dev;
	*offp = 0;
	return (0);
}

static const struct cdevsw mem_cdevsw = {
	.d_name = "mem",
	.d_read = mem_read,
	.d_seek = mem_seek,
	.d_write = mem_write,
};

int
mem_dev_init(void)
{
	static const struct {
		const char *name;
		int unit;
	} nodes[] = {
		{ "null", MEM_NULL },
		{ "zero", MEM_ZERO },
		{ "random", MEM_RANDOM },
		{ "urandom", MEM_URANDOM },
	};
	size_t i;
	int error;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++)
		if ((error = make_dev(&mem_cdevsw, nodes[i].unit, 0, 0, 0666,
			 nodes[i].name, NULL)) != 0)
			return (error);
	return (0);
}
