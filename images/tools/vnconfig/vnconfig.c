/*
 * vnconfig.c - bind vn device names to image files, without root.
 *
 *	vnconfig [-c] [-s option[,option...]] vnN file
 *	vnconfig -u vnN
 *	vnconfig -l [vnN]
 *
 * No kernel device is involved: a binding is the file $VN_DIR/vnN (default
 * /var/run/vn/vnN) holding the image's absolute path and the -s options,
 * which disklabel(8) and newfs(8) of this project read to accept vnN,
 * vnNs0 and /dev/vnNs0a as the manual uses them (images/tools/common/).
 */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "images/tools/common/imgdev.h"

/* The -s options of the original; all are accepted and recorded. */
static const char *const vn_options[] = { "labels", "cluster", "reserve", "io",
	"follow", NULL };

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: vnconfig -c [-s option[,option...]] vnN file\n"
	    "       vnconfig -u vnN\n"
	    "       vnconfig -l [vnN]\n");
	exit(EX_USAGE);
}

/* The unit of a "vnN" or "/dev/vnN" argument; exits on anything else. */
static int
unit_of(const char *name)
{
	struct vn_name vn;

	if (!vn_parse(name, &vn) || vn.slice >= 0 || vn.part >= 0)
		errx(EX_USAGE, "%s: not a vn unit name (vn0 to vn%d)", name,
		    VN_MAXUNIT);
	return (vn.unit);
}

static void
check_options(const char *opts)
{
	char buf[256];
	char *tok, *save;

	if (strlen(opts) >= sizeof(buf))
		errx(EX_USAGE, "-s %s: too long", opts);
	strcpy(buf, opts);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		int i;

		for (i = 0; vn_options[i] != NULL; i++)
			if (strcmp(tok, vn_options[i]) == 0)
				break;
		if (vn_options[i] == NULL)
			errx(EX_USAGE, "-s: unknown option %s", tok);
	}
}

static void
unit_file(int unit, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/vn%d", vn_dir(), unit) >= size)
		errx(EX_USAGE, "%s: registry path too long", vn_dir());
}

static int
configure(int unit, const char *file, const char *opts)
{
	char path[PATH_MAX], reg[PATH_MAX], bound[PATH_MAX];
	struct stat st;
	FILE *f;
	int fd;

	if (realpath(file, path) == NULL)
		err(EX_NOINPUT, "%s", file);
	if (stat(path, &st) != 0)
		err(EX_NOINPUT, "%s", path);
	if (!S_ISREG(st.st_mode))
		errx(EX_USAGE, "%s: not a regular file", path);
	if (strchr(path, '\n') != NULL)
		errx(EX_USAGE, "%s: a newline in the path", file);
	if (vn_lookup(unit, bound, sizeof(bound)) == 0)
		errx(EX_CANTCREAT, "vn%d: already configured to %s", unit,
		    bound);
	if (mkdir(vn_dir(), 0755) != 0 && errno != EEXIST)
		err(EX_CANTCREAT, "%s", vn_dir());
	unit_file(unit, reg, sizeof(reg));
	/* O_EXCL: two vnconfig -c of one unit cannot both succeed. */
	fd = open(reg, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0 && errno == EEXIST)
		errx(EX_CANTCREAT, "vn%d: already configured", unit);
	if (fd < 0)
		err(EX_CANTCREAT, "%s", reg);
	if ((f = fdopen(fd, "w")) == NULL)
		err(EX_OSERR, "fdopen");
	fprintf(f, "%s\n%s\n", path, opts != NULL ? opts : "");
	if (fflush(f) != 0 || fsync(fd) != 0 || fclose(f) != 0) {
		warn("%s", reg);
		unlink(reg);
		exit(EX_IOERR);
	}
	return (EX_OK);
}

static int
unconfigure(int unit)
{
	char reg[PATH_MAX];

	unit_file(unit, reg, sizeof(reg));
	if (unlink(reg) != 0) {
		if (errno == ENOENT)
			errx(EX_NOINPUT, "vn%d: not configured", unit);
		err(EX_IOERR, "%s", reg);
	}
	return (EX_OK);
}

static int
list_one(int unit, int verbose)
{
	char path[PATH_MAX];

	if (vn_lookup(unit, path, sizeof(path)) == 0) {
		printf("vn%d: covering %s\n", unit, path);
		return (1);
	}
	if (errno != ENOENT)
		warn("vn%d", unit);
	else if (verbose)
		printf("vn%d: not in use\n", unit);
	return (0);
}

int
main(int argc, char **argv)
{
	const char *opts = NULL;
	int ch, action = 0;

	while ((ch = getopt(argc, argv, "cls:u")) != -1) {
		switch (ch) {
		case 'c':
		case 'l':
		case 'u':
			if (action != 0 && action != ch)
				usage();
			action = ch;
			break;
		case 's':
			check_options(optarg);
			opts = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (action == 0 && argc == 2)
		action = 'c'; /* as the original, -c is the default */
	switch (action) {
	case 'c':
		if (argc != 2)
			usage();
		return (configure(unit_of(argv[0]), argv[1], opts));
	case 'u':
		if (argc != 1 || opts != NULL)
			usage();
		return (unconfigure(unit_of(argv[0])));
	case 'l':
		if (argc > 1 || opts != NULL)
			usage();
		if (argc == 1) {
			list_one(unit_of(argv[0]), 1);
			return (EX_OK);
		}
		for (int u = 0; u <= VN_MAXUNIT; u++)
			list_one(u, 0);
		return (EX_OK);
	default:
		usage();
	}
}
