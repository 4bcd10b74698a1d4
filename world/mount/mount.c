/*
 * mount.c - mount file systems, as BSD's mount(8).
 *
 *	mount [-v]
 *	mount -a [-v] [-t type]
 *	mount [-ruvw] [-o options] [-t type] special node
 *	mount [-ruvw] [-o options] node | special
 *
 * Without arguments mount lists what is mounted, BSD style
 * ("/dev/vkd0s0a on / (ufs, local)"), from /proc/mounts.  -a mounts every
 * /etc/fstab line that is not "noauto" and not mounted yet (of type
 * -t when given).  With one argument the rest comes from /etc/fstab.  -u
 * changes a mounted file system (with -o ro or -r, -o rw or -w): "mount
 * -u -o rw /" makes the root writable and needs nothing else, not even
 * /proc.  -v says what was mounted.
 *
 * Types are the kernel's: ufs, cd9660, procfs (also "proc"), devfs.  The
 * options understood are ro, rw, update, noauto and "sw"/"xx" lines are
 * skipped; others are accepted and ignored (XXX: nosuid, noexec ... are
 * not enforced by the kernel yet).  Linux mount(2) does the work:
 * MS_RDONLY and MS_REMOUNT.  Exit status 0, or 1 when something failed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "world/lib/world.h"

static bool verbose;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: mount [-aruvw] [-o options] [-t type] "
	    "[special] [node]\n");
	exit(1);
}

/* The device name as BSD shows it: the root's "vkd0s0a" is /dev/vkd0s0a. */
static void
show_spec(const char *spec, char *buf, size_t size)
{
	char path[WORLD_FIELD_MAX + 8];

	snprintf(path, sizeof(path), "/dev/%s", spec);
	if (strchr(spec, '/') == NULL && strncmp(spec, "vkd", 3) == 0)
		snprintf(buf, size, "%s", path);
	else if (strchr(spec, '/') == NULL && strncmp(spec, "vcd", 3) == 0)
		snprintf(buf, size, "%s", path);
	else
		snprintf(buf, size, "%s", spec);
}

static void
print_mount(const struct world_fs *f)
{
	char spec[WORLD_FIELD_MAX + 8];
	bool local = strcmp(f->type, "ufs") == 0 ||
	    strcmp(f->type, "cd9660") == 0;
	const char *type = strcmp(f->type, "proc") == 0 ? "procfs" : f->type;

	show_spec(f->spec, spec, sizeof(spec));
	printf("%s on %s (%s%s%s)\n", spec, f->file, type,
	    local ? ", local" : "",
	    world_hasopt(f->opts, "ro") ? ", read-only" : "");
}

static int
list(void)
{
	struct world_fs f[WORLD_FSTAB_MAX];
	int n, i;

	if ((n = world_fstab_read(PATH_PROC_MOUNTS, f, WORLD_FSTAB_MAX)) < 0) {
		fprintf(stderr, "mount: %s: %s (mount -t procfs proc /proc)\n",
		    PATH_PROC_MOUNTS, strerror(errno));
		return (1);
	}
	for (i = 0; i < n; i++)
		print_mount(&f[i]);
	return (0);
}

/* The kernel's name of a type. */
static const char *
kernel_type(const char *type)
{
	if (strcmp(type, "ffs") == 0 || strcmp(type, "4.2BSD") == 0)
		return ("ufs");
	return (type);
}

/* True when the last of ro (rdonly) and rw in opts is ro, as BSD. */
static bool
readonly(const char *opts)
{
	bool ro = false;
	size_t len;

	for (; *opts != '\0'; opts += len + (opts[len] == ',')) {
		len = strcspn(opts, ",");
		if ((len == 2 && strncmp(opts, "ro", 2) == 0) ||
		    (len == 6 && strncmp(opts, "rdonly", 6) == 0))
			ro = true;
		else if (len == 2 && strncmp(opts, "rw", 2) == 0)
			ro = false;
	}
	return (ro);
}

/* mount(2) of one file system; reports and returns 0 or 1. */
static int
do_mount(const char *spec, const char *node, const char *type, const char *opts,
    bool update)
{
	unsigned long flags = 0;
	const char *verb = update ? "update" : "mount";

	if (readonly(opts))
		flags |= MS_RDONLY;
	if (update || world_hasopt(opts, "update"))
		flags |= MS_REMOUNT;
	if (flags & MS_REMOUNT) {
		if (mount(NULL, node, NULL, flags, NULL) != 0) {
			fprintf(stderr, "mount: %s: %s\n", node,
			    strerror(errno));
			return (1);
		}
	} else if (mount(spec, node, kernel_type(type), flags, NULL) != 0) {
		if (errno == ENODEV)
			fprintf(stderr, "mount: %s: unknown file system type\n",
			    type);
		else
			fprintf(stderr, "mount: %s on %s: %s\n", spec, node,
			    strerror(errno));
		return (1);
	}
	if (verbose)
		printf("%s %s on %s (%s%s)\n", spec, verb, node, type,
		    (flags & MS_RDONLY) ? ", read-only" : "");
	return (0);
}

/* mount -a: every fstab line not "noauto", not swap, not mounted. */
static int
mount_all(const char *only)
{
	struct world_fs f[WORLD_FSTAB_MAX];
	int n, i, rval = 0;

	if ((n = world_fstab_read(PATH_FSTAB, f, WORLD_FSTAB_MAX)) < 0) {
		fprintf(stderr, "mount: %s: %s\n", PATH_FSTAB, strerror(errno));
		return (1);
	}
	for (i = 0; i < n; i++) {
		if (world_hasopt(f[i].opts, "noauto") ||
		    world_hasopt(f[i].opts, "sw") ||
		    world_hasopt(f[i].opts, "xx") ||
		    strcmp(f[i].type, "swap") == 0 ||
		    (only != NULL && strcmp(only, f[i].type) != 0))
			continue;
		if (world_is_mountpoint(f[i].file))
			continue;
		rval |= do_mount(f[i].spec, f[i].file, f[i].type, f[i].opts,
		    false);
	}
	return (rval);
}

/* One argument: the rest from fstab, by node or by special. */
static int
mount_one(const char *what, const char *type, const char *opts, bool update)
{
	struct world_fs f[WORLD_FSTAB_MAX];
	char merged[2 * WORLD_FIELD_MAX + 2];
	int n, i;

	n = world_fstab_read(PATH_FSTAB, f, WORLD_FSTAB_MAX);
	for (i = 0; i < n; i++)
		if (strcmp(f[i].file, what) == 0 ||
		    strcmp(f[i].spec, what) == 0)
			break;
	if (update && (i >= n || opts[0] != '\0'))
		return (do_mount(NULL, what, "", opts, true));
	if (n < 0 || i >= n) {
		fprintf(stderr,
		    "mount: %s: unknown special file or file "
		    "system\n",
		    what);
		return (1);
	}
	/* The command line's options come after fstab's and win. */
	snprintf(merged, sizeof(merged), "%s%s%s", f[i].opts,
	    opts[0] != '\0' ? "," : "", opts);
	return (do_mount(f[i].spec, f[i].file, type != NULL ? type : f[i].type,
	    merged, update));
}

int
main(int argc, char *argv[])
{
	bool all = false, update = false;
	const char *type = NULL;
	char opts[WORLD_FIELD_MAX] = "";
	int c;

	while ((c = getopt(argc, argv, "afo:rt:uvw")) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'f': /* force: nothing to force yet */
			break;
		case 'o':
			if (strlen(opts) + strlen(optarg) + 2 > sizeof(opts))
				usage();
			if (opts[0] != '\0')
				strcat(opts, ",");
			strcat(opts, optarg);
			break;
		case 'r':
			strcat(opts, opts[0] != '\0' ? ",ro" : "ro");
			break;
		case 't':
			type = optarg;
			break;
		case 'u':
			update = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'w':
			strcat(opts, opts[0] != '\0' ? ",rw" : "rw");
			break;
		default:
			usage();
		}
		if (strlen(opts) + 4 > sizeof(opts))
			usage();
	}
	argc -= optind;
	argv += optind;
	if (world_hasopt(opts, "update"))
		update = true;
	if (all) {
		if (argc != 0)
			usage();
		return (mount_all(type));
	}
	switch (argc) {
	case 0:
		if (update || opts[0] != '\0' || type != NULL)
			usage();
		return (list());
	case 1:
		return (mount_one(argv[0], type, opts, update));
	case 2:
		return (do_mount(argv[0], argv[1], type != NULL ? type : "ufs",
		    opts, update));
	default:
		usage();
	}
	return (1);
}
