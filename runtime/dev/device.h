/*
 * device.h - character devices: the device switch and the registry that
 * devfs shows under /dev.
 *
 * A driver fills a struct cdevsw with designated initializers and calls
 * make_dev() for each node; an operation it leaves NULL answers ENODEV
 * (open and close default to success).
 */
#ifndef RUNTIME_DEV_DEVICE_H
#define RUNTIME_DEV_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/vfs/vfs.h"

#define DEV_NAME_MAX 32
#define DEV_MAX	     128

struct cdev;

struct cdevsw {
	const char *d_name; /* the driver: "mem", "cons" */
	int (*d_open)(struct cdev *dev, int flags);
	/* lseek(2): may refuse (ESPIPE) or change *offp; NULL: any offset */
	int (*d_seek)(struct cdev *dev, int64_t *offp);
	int (*d_close)(struct cdev *dev, int flags);
	int (*d_read)(struct cdev *dev, struct uio *uio, int ioflag);
	int (*d_write)(struct cdev *dev, struct uio *uio, int ioflag);
	int (*d_ioctl)(struct cdev *dev, unsigned long cmd, void *data);
	/* Ready POLL* events; NULL: always ready. */
	int (*d_poll)(struct cdev *dev, int events);
};

struct cdev {
	char si_name[DEV_NAME_MAX]; /* the node's name under /dev */
	const struct cdevsw *si_devsw;
	int si_unit;	  /* the driver's minor number */
	uint32_t si_mode; /* permission bits */
	uint32_t si_uid, si_gid;
	uint64_t si_rdev; /* device number, unique */
	void *si_drv1;	  /* the driver's own */
};

/*
 * Creates the node name for unit of devsw.  Returns 0 and the device in
 * *devp (may be NULL), or EEXIST, ENAMETOOLONG, ENOSPC.
 */
int make_dev(const struct cdevsw *devsw, int unit, uint32_t uid, uint32_t gid,
    uint32_t mode, const char *name, struct cdev **devp);
/* The i-th device (0..), or NULL past the end. */
struct cdev *dev_at(int i);
/* The device called name, or NULL. */
struct cdev *dev_lookup(const char *name, size_t len);

/*
 * The console terminal (cons_tty.c): cons_tty_init() creates
 * /dev/console; cons_tty_attach() (caller holds the kernel lock) makes
 * console input go to its line discipline from then on.
 */
int cons_tty_init(void);
void cons_tty_attach(void);

/* Creates the memory devices: null, zero, random, urandom. */
int mem_dev_init(void);

/* devfs, the file system of /dev (devfs_vnops.c). */
extern const struct vfs_type devfs_vfstype;

#endif /* RUNTIME_DEV_DEVICE_H */
