/*
 * fsck_opts.c - the command line both fsck mains take (the host's
 * fsck_ufs and the guest's fsck): -p | -n | -y, -f and -b block.
 */
#include <err.h>
#include <stdlib.h>
#include <unistd.h>

#include "images/tools/fsck_ufs/fsck.h"

int
fsck_getopts(int argc, char **argv, struct fsck_opts *o, void (*usage)(void))
{
	enum fsck_mode m;
	char *end;
	int ch;

	*o = (struct fsck_opts) { .mode = FSCK_ASK };
	while ((ch = getopt(argc, argv, "b:fnpy")) != -1) {
		switch (ch) {
		case 'b':
			o->altsb = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || o->altsb <= 0) {
				warnx("-b %s: not a sector number", optarg);
				usage();
			}
			continue;
		case 'f':
			o->force = true;
			continue;
		case 'n':
			m = FSCK_NO;
			break;
		case 'p':
			m = FSCK_PREEN;
			break;
		case 'y':
			m = FSCK_YES;
			break;
		default:
			usage();
			continue; /* not reached: usage() exits */
		}
		if (o->mode != FSCK_ASK && o->mode != m) {
			warnx("-p, -n and -y exclude each other");
			usage();
		}
		o->mode = m;
	}
	return (optind);
}
