/*
 * vfs_mountroot.c - choosing and mounting the root file system.
 *
 * The candidates, in the original's order: the kenv value
 * vfs.root.mountfrom (several may be given, separated by ';'), then the
 * defaults of the boot device: ufs:vkd0s0a and ufs:vkd0s1a when the first
 * -r/-c image is a disk, cd9660:vcd0 when it is a CD.  Each try prints
 * "Mounting root from <fstype>:<device>"; a failure prints "Root mount
 * failed: <errno>".  When every candidate fails the console asks, with
 * the "Manual root filesystem specification" menu and a "mountroot> "
 * prompt.
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/dev.h"
#include "runtime/kern/kenv.h"
#include "runtime/kern/kern.h"
#include "runtime/vfs/vfs.h"

/*
 * Splits "vkd0s0a" into the disk ("vkd0") and checks that the rest is a
 * slice and partition: "", "a".."p", "sN" or "sNa".."sNp".
 */
static int
parse_device(const char *dev, char *disk, size_t size)
{
	const char *p = dev;
	size_t n;

	while (*p >= 'a' && *p <= 'z')
		p++;
	if (p == dev || !(*p >= '0' && *p <= '9'))
		return (EINVAL);
	while (*p >= '0' && *p <= '9')
		p++;
	n = (size_t)(p - dev);
	if (n >= size)
		return (EINVAL);
	memcpy(disk, dev, n);
	disk[n] = '\0';
	if (*p == 's') {
		if (!(*++p >= '0' && *p <= '9'))
			return (EINVAL);
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p >= 'a' && *p <= 'p')
		p++;
	return (*p == '\0' ? 0 : EINVAL);
}

/* Tries one "<fstype>:<device>"; returns 0 or an errno value. */
static int
mountroot_try(const char *spec)
{
	char fstype[32], disk[16];
	const struct vfs_type *vt;
	const char *colon, *dev;
	size_t n;
	int error;

	kprintf("Mounting root from %s\n", spec);
	colon = strchr(spec, ':');
	if (colon == NULL || colon == spec ||
	    (n = (size_t)(colon - spec)) >= sizeof(fstype))
		return (EINVAL);
	memcpy(fstype, spec, n);
	fstype[n] = '\0';
	dev = colon + 1;
	if (parse_device(dev, disk, sizeof(disk)) != 0)
		return (EINVAL);
	if (disk_lookup(disk) == NULL) {
		kprintf("no disk named '%s'\n", dev);
		return (ENXIO);
	}
	if ((vt = vfs_type_find(fstype)) == NULL)
		return (ENODEV);
	/* Read-only, as BSD: rc checks it and remounts it (mount -u -o rw). */
	error = vfs_mount(vt, dev, MNT_RDONLY, NULL, NULL);
	return (error);
}

/* Tries each ';'-separated candidate of list; returns 0 on the first mount. */
static int
mountroot_try_list(const char *list)
{
	char one[128];
	const char *p = list, *end;
	size_t n;
	int error;

	while (*p != '\0') {
		end = strchr(p, ';');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n > 0 && n < sizeof(one)) {
			memcpy(one, p, n);
			one[n] = '\0';
			if ((error = mountroot_try(one)) == 0)
				return (0);
			kprintf("Root mount failed: %d\n", error);
		}
		p += n;
		if (*p == ';')
			p++;
	}
	return (ENOENT);
}

static void
mountroot_list_devices(void)
{
	struct disk *dk;
	int i;

	kprintf("\nList of disk devices:\n");
	for (i = 0; (dk = disk_at(i)) != NULL; i++)
		kprintf("  %s\t%lluMB, %u byte sectors%s\n", dk->name,
		    (unsigned long long)(dk->size >> 20), dk->secsize,
		    dk->readonly ? ", read-only" : "");
	if (i == 0)
		kprintf("  (none)\n");
}

/* Asks on the console; returns 0 once mounted, ECANCELED on abort. */
static int
mountroot_ask(void)
{
	char line[128];

	for (;;) {
		kprintf("\nManual root filesystem specification:\n");
		kprintf("  <fstype>:<device>  Specify root "
			"(e.g. ufs:vkd0s0a)\n");
		kprintf("  ?                  List valid disk boot devices\n");
		kprintf("  panic              Just panic\n");
		kprintf("  abort              Abort manual input\n");
		kprintf("\nmountroot> ");
		cons_gets(line, sizeof(line));
		if (line[0] == '\0')
			continue;
		if (strcmp(line, "?") == 0)
			mountroot_list_devices();
		else if (strcmp(line, "panic") == 0)
			panic("panic from console");
		else if (strcmp(line, "abort") == 0)
			return (ECANCELED);
		else if (mountroot_try_list(line) == 0)
			return (0);
	}
}

void
vfs_mountroot(const struct vk_options *opts)
{
	const char *from;

	from = kenv_get("vfs.root.mountfrom");
	if (from != NULL && mountroot_try_list(from) == 0)
		return;
	if (opts->ndisks > 0) {
		if (opts->disks[0].type == VK_DISK_CD) {
			if (mountroot_try_list("cd9660:vcd0") == 0)
				return;
		} else if (mountroot_try_list("ufs:vkd0s0a;ufs:vkd0s1a") == 0)
			return;
	}
	inject_point("mountroot");
	if (mountroot_ask() != 0)
		panic("Root mount failed, startup aborted.");
}
