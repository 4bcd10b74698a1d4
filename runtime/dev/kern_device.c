/*
 * kern_device.c - the registry of character devices.
 *
 * Devices live in a fixed table for the kernel's life: drivers attach at
 * boot and nothing detaches yet.  Device numbers are handed out in
 * creation order from 1, with the driver's unit in the low bits as a
 * reader of stat(2) would expect a minor number to be.
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/device.h"

static struct cdev devices[DEV_MAX];
static int ndevices;

int
make_dev(const struct cdevsw *devsw, int unit, uint32_t uid, uint32_t gid,
    uint32_t mode, const char *name, struct cdev **devp)
{
	struct cdev *dev;
	size_t len = strlen(name);

	if (len == 0 || len >= DEV_NAME_MAX)
		return (ENAMETOOLONG);
	if (dev_lookup(name, len) != NULL)
		return (EEXIST);
	if (ndevices == DEV_MAX)
		return (ENOSPC);
	dev = &devices[ndevices++];
	memcpy(dev->si_name, name, len + 1);
	dev->si_devsw = devsw;
	dev->si_unit = unit;
	dev->si_uid = uid;
	dev->si_gid = gid;
	dev->si_mode = mode;
	dev->si_rdev = ((uint64_t)ndevices << 8) | ((uint64_t)unit & 0xff);
	if (devp != NULL)
		*devp = dev;
	return (0);
}

struct cdev *
dev_at(int i)
{
	return (i >= 0 && i < ndevices ? &devices[i] : NULL);
}

struct cdev *
dev_lookup(const char *name, size_t len)
{
	int i;

	for (i = 0; i < ndevices; i++)
		if (strlen(devices[i].si_name) == len &&
		    memcmp(devices[i].si_name, name, len) == 0)
			return (&devices[i]);
	return (NULL);
}
