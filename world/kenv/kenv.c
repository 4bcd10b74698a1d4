/*
 * kenv.c - kenv(1) for the Vireo guest: lists, reads, sets and removes
 * the variables of the kernel environment (the -e pairs of the kernel's
 * command line and what was set since), as BSD's kenv does.
 *
 *	kenv [-hNq]
 *	kenv [-qv] variable[=value]
 *	kenv [-q] -u variable
 *
 * The calls are the kernel's vireo_kenv() (vireo_sys.h), which has the
 * operations of BSD's kenv(2).  Output and messages are BSD's: the dump
 * and -v print name="value", a get prints the value alone, a set prints
 * name="value"; failures print "unable to get/set/unset ..." unless -q.
 * Exit status as BSD's kenv: 0, 1 for a bad command line, and 255 when
 * the kernel refused (BSD returns -1 from main).
 */
#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "world/vireo_sys.h"

#define KENV_FAIL 255 /* BSD's kenv returns -1 from main */

static bool hflag, Nflag, qflag, uflag, vflag;

static _Noreturn void
usage(void)
{
	fprintf(stderr, "%s\n%s\n%s\n", "usage: kenv [-hNq]",
	    "       kenv [-qv] variable[=value]",
	    "       kenv [-q] -u variable");
	exit(1);
}

/* Prints every variable (only hint.* with -h; names only with -N). */
static int
dump(void)
{
	long need = vireo_kenv(KENV_DUMP, NULL, NULL, 0);
	char *buf = NULL;
	size_t size;

	for (;;) {
		if (need < 0)
			goto fail;
		/* Some slack for variables set between the two calls. */
		size = (size_t)need + 256;
		free(buf);
		if ((buf = calloc(1, size + 1)) == NULL)
			goto fail;
		need = vireo_kenv(KENV_DUMP, NULL, buf, size);
		if (need >= 0 && (size_t)need <= size)
			break;
		if (need < 0 && errno == ENOMEM)
			need = (long)size * 2;
	}
	for (char *p = buf; p < buf + need && *p != '\0'; p += strlen(p) + 1) {
		char *eq = strchr(p, '=');

		if (eq == NULL || (hflag && strncmp(p, "hint.", 5) != 0))
			continue;
		if (Nflag)
			printf("%.*s\n", (int)(eq - p), p);
		else
			printf("%.*s=\"%s\"\n", (int)(eq - p), p, eq + 1);
	}
	free(buf);
	return (0);
fail:
	free(buf);
	if (!qflag)
		warn("kdumpenv");
	return (KENV_FAIL);
}

static int
get(const char *name)
{
	char buf[1024];

	if (vireo_kenv(KENV_GET, name, buf, sizeof(buf)) < 0) {
		if (!qflag)
			warnx("unable to get %s", name);
		return (KENV_FAIL);
	}
	buf[sizeof(buf) - 1] = '\0';
	if (vflag)
		printf("%s=\"%s\"\n", name, buf);
	else
		printf("%s\n", buf);
	return (0);
}

static int
set(const char *name, const char *value)
{
	if (vireo_kenv(KENV_SET, name, (char *)value, strlen(value) + 1) < 0) {
		if (!qflag)
			warnx("unable to set %s to %s", name, value);
		return (KENV_FAIL);
	}
	printf("%s=\"%s\"\n", name, value);
	return (0);
}

static int
unset(const char *name)
{
	if (vireo_kenv(KENV_UNSET, name, NULL, 0) < 0) {
		if (!qflag)
			warnx("unable to unset %s", name);
		return (KENV_FAIL);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	char *name = NULL, *value = NULL;
	int ch, rc;

	while ((ch = getopt(argc, argv, "hNquv")) != -1) {
		switch (ch) {
		case 'h':
			hflag = true;
			break;
		case 'N':
			Nflag = true;
			break;
		case 'q':
			qflag = true;
			break;
		case 'u':
			uflag = true;
			break;
		case 'v':
			vflag = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0) {
		name = argv[0];
		if ((value = strchr(name, '=')) != NULL)
			*value++ = '\0';
		argc--;
	}
	if (argc > 0 || ((hflag || Nflag) && name != NULL) ||
	    ((uflag || vflag) && name == NULL) || (uflag && value != NULL))
		usage();
	if (name == NULL)
		rc = dump();
	else if (uflag)
		rc = unset(name);
	else if (value == NULL)
		rc = get(name);
	else
		rc = set(name, value);
	if (fflush(stdout) != 0)
		err(1, "stdout");
	return (rc);
}
