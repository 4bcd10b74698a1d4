/*
 * disklabel.c - read and write BSD disk labels on image files.
 *
 *	disklabel [-r] disk			print the label
 *	disklabel -w [-r] disk auto		write a virgin label
 *	disklabel -R [-r] disk protofile	write a label from text
 *	disklabel -e [-r] disk			edit the label with $EDITOR
 *
 * The disk is vnN, vnNsM or /dev/... as bound by vnconfig(8), or an image
 * path (images/tools/common/).  Labels are always read from and written
 * to the image itself, so -r changes nothing.  Writing produces a
 * disklabel32 in sector 1 of the slice; reading also understands
 * disklabel64.  Nothing is written before the new label passed every
 * check, so a refused label leaves the image exactly as it was.
 */
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "images/tools/common/imgdev.h"
#include "images/tools/disklabel/dl_private.h"

static char specname[PATH_MAX + 8];

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: disklabel [-r] disk\n"
	    "       disklabel -w [-r] disk auto\n"
	    "       disklabel -R [-r] disk protofile\n"
	    "       disklabel -e [-r] disk\n");
	exit(EX_USAGE);
}

/* Reads the label of the slice; returns NULL or the reason there is none. */
static const char *
read_label(struct imgdev *d, struct dl_label *lp)
{
	uint8_t buf[DL_READSIZE];
	size_t len = sizeof(buf);

	if (d->slice_size * DL_SECSIZE < len)
		len = d->slice_size * DL_SECSIZE;
	imgdev_read(d, buf, len, 0);
	return (dl_read_label(buf, len, lp));
}

/* Writes lp into sector LABELSECTOR32, keeping the rest of the sector. */
static void
write_label(struct imgdev *d, const struct disklabel32 *lp)
{
	uint8_t sec[DL_SECSIZE];
	const char *msg;
	int bad;

	/* The callers checked it; this guards the write itself. */
	if ((msg = dl32_check(lp, d->slice_off, d->slice_size, &bad)) != NULL ||
	    dl32_checksum(lp) != 0)
		errx(EX_SOFTWARE, "%s: refusing to write a bad label: %s",
		    specname, msg != NULL ? msg : "checksum");
	imgdev_read(d, sec, sizeof(sec), LABELSECTOR32 * DL_SECSIZE);
	memcpy(sec + LABELOFFSET32, lp, sizeof(*lp));
	imgdev_write(d, sec, sizeof(sec), LABELSECTOR32 * DL_SECSIZE);
	imgdev_close(d);
}

static int
print_label(struct imgdev *d)
{
	struct dl_label l;
	const char *msg;

	if ((msg = read_label(d, &l)) != NULL)
		errx(EX_DATAERR, "%s: %s", specname, msg);
	if (l.kind == 32)
		dl_text_print32(stdout, specname, &l.u.l32, d->slice_off);
	else
		dl_text_print64(stdout, specname, &l.u.l64);
	if (fflush(stdout) != 0)
		err(EX_IOERR, "stdout");
	return (EX_OK);
}

static int
write_auto(struct imgdev *d, const char *type)
{
	struct disklabel32 l;
	const char *msg;

	if (strcmp(type, "auto") != 0)
		errx(EX_USAGE, "%s: unknown disk type; only auto is supported",
		    type);
	if ((msg = dl32_virgin(&l, d->slice_off, d->slice_size)) != NULL)
		errx(EX_DATAERR, "%s: %s", specname, msg);
	write_label(d, &l);
	return (EX_OK);
}

static int
restore(struct imgdev *d, const char *proto)
{
	struct disklabel32 l;
	FILE *f;
	int errors;

	if (strcmp(proto, "-") == 0)
		f = stdin;
	else if ((f = fopen(proto, "r")) == NULL)
		err(EX_NOINPUT, "%s", proto);
	errors = dl_text_parse(f, &l, d->slice_off, d->slice_size);
	if (f != stdin)
		fclose(f);
	if (errors != 0)
		errx(EX_DATAERR, "%s: %d error%s in %s; label not written",
		    specname, errors, errors == 1 ? "" : "s", proto);
	write_label(d, &l);
	return (EX_OK);
}

/* Runs $EDITOR (default vi) on file; true when it exited with 0. */
static bool
run_editor(const char *file)
{
	const char *ed = getenv("EDITOR");
	pid_t pid;
	int status;

	if (ed == NULL || *ed == '\0')
		ed = "vi";
	if ((pid = fork()) < 0) {
		warn("fork");
		return (false);
	}
	if (pid == 0) {
		/* Through sh, so that EDITOR may carry arguments. */
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, file,
		    (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			err(EX_OSERR, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		warnx("%s exited with an error; label not written", ed);
		return (false);
	}
	return (true);
}

static bool
ask_again(void)
{
	int c, r;

	if (!isatty(STDIN_FILENO))
		return (false);
	printf("re-edit the label? [y]: ");
	fflush(stdout);
	r = c = getchar();
	while (c != EOF && c != '\n')
		c = getchar();
	return (r != 'n' && r != EOF);
}

/* Compares two open files from the start. */
static bool
same_text(FILE *a, FILE *b)
{
	int ca, cb;

	rewind(a);
	rewind(b);
	do {
		ca = getc(a);
		cb = getc(b);
	} while (ca == cb && ca != EOF);
	return (ca == cb);
}

static int
edit(struct imgdev *d)
{
	char tmp[PATH_MAX];
	const char *dir = getenv("TMPDIR");
	struct dl_label l;
	struct disklabel32 nl;
	const char *msg;
	FILE *orig, *f;
	int fd, errors;

	msg = read_label(d, &l);
	if (msg != NULL && strcmp(msg, "no disk label") != 0)
		errx(EX_DATAERR, "%s: %s", specname, msg);
	if (msg == NULL && l.kind == 64)
		errx(EX_DATAERR,
		    "%s: has a disklabel64, which this disklabel "
		    "only reads",
		    specname);
	if (msg != NULL &&
	    (msg = dl32_virgin(&l.u.l32, d->slice_off, d->slice_size)) != NULL)
		errx(EX_DATAERR, "%s: %s", specname, msg);
	snprintf(tmp, sizeof(tmp), "%s/disklabel.XXXXXX",
	    dir != NULL && *dir != '\0' ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) < 0 || (f = fdopen(fd, "w")) == NULL)
		err(EX_CANTCREAT, "%s", tmp);
	if ((orig = tmpfile()) == NULL)
		err(EX_CANTCREAT, "tmpfile");
	dl_text_print32(f, specname, &l.u.l32, d->slice_off);
	dl_text_print32(orig, specname, &l.u.l32, d->slice_off);
	if (fclose(f) != 0)
		err(EX_IOERR, "%s", tmp);
	for (;;) {
		if (!run_editor(tmp))
			break;
		if ((f = fopen(tmp, "r")) == NULL) {
			warn("%s", tmp);
			break;
		}
		if (same_text(f, orig)) {
			fclose(f);
			unlink(tmp);
			printf("%s: no changes; label not written\n", specname);
			return (EX_OK);
		}
		rewind(f);
		errors = dl_text_parse(f, &nl, d->slice_off, d->slice_size);
		fclose(f);
		if (errors == 0) {
			unlink(tmp);
			write_label(d, &nl);
			return (EX_OK);
		}
		warnx("%s: %d error%s; label not written", specname, errors,
		    errors == 1 ? "" : "s");
		if (!ask_again())
			break;
	}
	unlink(tmp);
	return (EX_DATAERR);
}

int
main(int argc, char **argv)
{
	struct imgdev d;
	struct vn_name vn;
	int ch, op = 0;

	while ((ch = getopt(argc, argv, "eRrw")) != -1) {
		switch (ch) {
		case 'e':
		case 'R':
		case 'w':
			if (op != 0)
				usage();
			op = ch;
			break;
		case 'r':
			break; /* the label is always read from the image */
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2 || (argc == 2) != (op == 'w' || op == 'R'))
		usage();
	snprintf(specname, sizeof(specname), "%s%s",
	    vn_parse(argv[0], &vn) && strncmp(argv[0], "/dev/", 5) != 0 ?
		"/dev/" :
		"",
	    argv[0]);
	imgdev_open(&d, argv[0], op != 0);
	switch (op) {
	case 'w':
		return (write_auto(&d, argv[1]));
	case 'R':
		return (restore(&d, argv[1]));
	case 'e':
		return (edit(&d));
	default:
		return (print_label(&d));
	}
}
