/*
 * umount.c - unmount file systems, as BSD's umount(8).
 *
 *	umount [-fv] special | node ...
 *	umount -a [-fv] [-t type]
 *
 * Each argument is a mount point, or a special file that /proc/mounts or
 * /etc/fstab says is mounted somewhere.  -a unmounts every file system
 * but / and /dev, the last mounted first (from /proc/mounts, or from
 * /etc/fstab when /proc is not mounted).  -f forces (MNT_FORCE); -v says
 * what was unmounted.  Exit status 0, or 1 when something failed.
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
static int flags;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: umount [-fv] special | node ...\n"
	    "       umount -a [-fv] [-t type]\n");
	exit(1);
}

static int
unmount(const char *node)
{
	if (umount2(node, flags) != 0) {
		fprintf(stderr, "umount: %s: %s\n", node,
		    errno == EINVAL ? "not a file system root directory" :
				      strerror(errno));
		return (1);
	}
	if (verbose)
		printf("%s: unmount from %s\n", node, node);
	return (0);
}

/* The table of mounts: /proc/mounts, else fstab.  Returns the count. */
static int
mounts(struct world_fs *f, bool *live)
{
	int n = world_fstab_read(PATH_PROC_MOUNTS, f, WORLD_FSTAB_MAX);

	*live = n >= 0;
	if (n < 0)
		n = world_fstab_read(PATH_FSTAB, f, WORLD_FSTAB_MAX);
	return (n < 0 ? 0 : n);
}

static int
unmount_all(const char *type)
{
	struct world_fs f[WORLD_FSTAB_MAX];
	int n, i, rval = 0;
	bool live;

	n = mounts(f, &live);
	for (i = n - 1; i >= 0; i--) {
		if (strcmp(f[i].file, "/") == 0 ||
		    strcmp(f[i].file, "/dev") == 0 ||
		    (type != NULL && strcmp(f[i].type, type) != 0 &&
			!(strcmp(type, "procfs") == 0 &&
			    strcmp(f[i].type, "proc") == 0)))
			continue;
		if (!live && !world_is_mountpoint(f[i].file))
			continue;
		rval |= unmount(f[i].file);
	}
	return (rval);
}

/* A special's mount point, when one of the tables names it. */
static const char *
node_of(const char *arg, char *buf, size_t size)
{
	struct world_fs f[WORLD_FSTAB_MAX];
	bool live;
	int n, i;

	if (world_is_mountpoint(arg))
		return (arg);
	n = mounts(f, &live);
	for (i = n - 1; i >= 0; i--) {
		const char *s = f[i].spec;

		if (strcmp(s, arg) == 0 ||
		    (strncmp(arg, "/dev/", 5) == 0 &&
			strcmp(s, arg + 5) == 0)) {
			snprintf(buf, size, "%s", f[i].file);
			return (buf);
		}
	}
	return (arg);
}

int
main(int argc, char *argv[])
{
	char buf[WORLD_FIELD_MAX];
	const char *type = NULL;
	bool all = false;
	int c, i, rval = 0;

	while ((c = getopt(argc, argv, "aAft:v")) != -1) {
		switch (c) {
		case 'a':
		case 'A':
			all = true;
			break;
		case 'f':
			flags |= MNT_FORCE;
			break;
		case 't':
			type = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (all) {
		if (argc != 0)
			usage();
		return (unmount_all(type));
	}
	if (argc == 0)
		usage();
	for (i = 0; i < argc; i++)
		rval |= unmount(node_of(argv[i], buf, sizeof(buf)));
	return (rval);
}
