/*
 * sysctl.c - sysctl(8) for the Vireo guest: reads and sets the kernel's
 * sysctl variables by name, as DragonFly's sysctl does.
 *
 *	sysctl [-eiNnq] name[=value] ...
 *	sysctl [-eNnq] -a
 *
 * Everything goes through the kernel's text interface (vireo_sys.h):
 * values come back formatted the way "sysctl -n" prints them and new
 * values are parsed by the kernel according to the node's type, so this
 * program never needs a node's type or MIB.  A name that is an interior
 * node ("kern") shows every leaf under it, walked with
 * vireo_sysctl_next().
 *
 * Messages and exit status are BSD's: "unknown oid 'x'", "oid 'x' is read
 * only" and "oid 'x' isn't a leaf node" exit 1; a value the kernel
 * refuses is reported with warn(3) and makes the exit status 1 once every
 * argument was tried; a bad command line exits 1 with the usage.
 */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "world/vireo_sys.h"

#define NAME_MAX_LEN 512 /* a dotted name, NUL included */

static bool aflag, eflag, iflag, Nflag, nflag, qflag;
static int warncount;

static _Noreturn void
usage(void)
{
	fprintf(stderr, "%s\n%s\n", "usage: sysctl [-eiNnq] name[=value] ...",
	    "       sysctl [-eNnq] -a");
	exit(1);
}

/*
 * Reads the value of name as text into a new buffer (*valp, to free).
 * Returns 0 or the errno value of the call (ENOENT, ENOTDIR, ...).
 */
static int
get_value(const char *name, char **valp)
{
	size_t len = 0, size;
	char *buf;

	if (vireo_sysctl(name, NULL, &len, NULL, 0) != 0)
		return (errno);
	for (;;) {
		/* Room for a value that grows between the two calls. */
		size = len + 64;
		len = size;
		if ((buf = malloc(size)) == NULL)
			err(1, "malloc");
		if (vireo_sysctl(name, buf, &len, NULL, 0) == 0)
			break;
		free(buf);
		if (errno != ENOMEM)
			return (errno);
	}
	/* The kernel terminates the text; never trust it past the buffer. */
	buf[len < size ? len : size - 1] = '\0';
	*valp = buf;
	return (0);
}

/* Prints name and value as the flags say: "name: value" by default. */
static void
print_var(const char *name, const char *value)
{
	if (Nflag)
		printf("%s\n", name);
	else if (nflag)
		printf("%s\n", value);
	else
		printf("%s%s%s\n", name, eflag ? "=" : ": ", value);
}

/* Shows one leaf; leaves that cannot be read are skipped silently. */
static void
show_leaf(const char *name)
{
	char *value;

	if (get_value(name, &value) != 0)
		return;
	print_var(name, value);
	free(value);
}

/*
 * Shows every leaf under prefix ("" for all), in tree order.  Returns
 * the number shown.
 */
static int
show_tree(const char *prefix)
{
	char cur[NAME_MAX_LEN], next[NAME_MAX_LEN];
	size_t plen = strlen(prefix);
	int n = 0;

	if (plen >= sizeof(cur))
		errx(1, "name too long: '%s'", prefix);
	strcpy(cur, prefix);
	for (;;) {
		if (vireo_sysctl_next(cur, next, sizeof(next)) != 0) {
			if (errno != ENOENT)
				err(1, "sysctl_next after '%s'", cur);
			break;
		}
		if (plen > 0 &&
		    (strncmp(next, prefix, plen) != 0 || next[plen] != '.'))
			break;
		show_leaf(next);
		n++;
		strcpy(cur, next);
	}
	return (n);
}

/* Reports an unknown name as BSD does; returns unless that is fatal. */
static void
unknown(const char *name)
{
	if (iflag)
		return;
	if (qflag)
		exit(1);
	errx(1, "unknown oid '%s'", name);
}

/* "name=value": shows the old value, sets it, shows the new one. */
static void
set_var(const char *name, const char *newval)
{
	char *old, *cur;
	int error;

	if ((error = get_value(name, &old)) == ENOENT) {
		unknown(name);
		return;
	}
	if (error == ENOTDIR)
		errx(1, "oid '%s' isn't a leaf node", name);
	if (error != 0) {
		errno = error;
		err(1, "%s", name);
	}
	if (vireo_sysctl(name, NULL, NULL, newval, strlen(newval)) != 0) {
		error = errno;
		free(old);
		if (error == EPERM)
			errx(1, "oid '%s' is read only", name);
		errno = error;
		warn("%s", name);
		warncount++;
		return;
	}
	if (get_value(name, &cur) != 0)
		err(1, "%s", name);
	if (Nflag)
		printf("%s\n", name);
	else if (nflag)
		printf("%s -> %s\n", old, cur);
	else
		printf("%s%s%s -> %s\n", name, eflag ? "=" : ": ", old, cur);
	free(old);
	free(cur);
}

/* One argument: "name" or "name=value". */
static void
parse(char *arg)
{
	char *eq = strchr(arg, '='), *value;
	int error;

	if (eq != NULL) {
		*eq = '\0';
		set_var(arg, eq + 1);
		return;
	}
	error = get_value(arg, &value);
	if (error == 0) {
		print_var(arg, value);
		free(value);
		return;
	}
	if (error == ENOENT) {
		unknown(arg);
		return;
	}
	if (error == ENOTDIR) {
		show_tree(arg);
		return;
	}
	errno = error;
	warn("%s", arg);
	warncount++;
}

int
main(int argc, char **argv)
{
	int ch;

	while ((ch = getopt(argc, argv, "AaeiNnqw")) != -1) {
		switch (ch) {
		case 'A':
		case 'a':
			aflag = true;
			break;
		case 'e':
			eflag = true;
			break;
		case 'i':
			iflag = true;
			break;
		case 'N':
			Nflag = true;
			break;
		case 'n':
			nflag = true;
			break;
		case 'q':
			qflag = true;
			break;
		case 'w':
			/* Historical: "name=value" is a write anyway. */
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (Nflag && nflag)
		usage();
	if (aflag && argc == 0) {
		show_tree("");
		return (0);
	}
	if (aflag || argc == 0)
		usage();
	for (int i = 0; i < argc; i++)
		parse(argv[i]);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (warncount > 0 ? 1 : 0);
}
