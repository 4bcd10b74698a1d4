/*
 * cd9660_mkseeds.c - writes the seeds of the cd9660 fuzz target into a
 * directory: the sample images of cd9660_mkimg.c, with and without Rock
 * Ridge, and one with a cycle of continuation areas.
 *
 *   cd9660_mkseeds dir
 *
 * A seed is an image from block 16 (the volume descriptors) on, without
 * its trailing zero bytes; the fuzz target puts the 32 KiB system area
 * back in front and zeros after it.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "runtime/vfs/cd9660/tests/cd9660_mkimg.h"

static uint8_t img[MKIMG_SAMPLE_BLOCKS * MKIMG_BLOCK];

static void
put(const char *dir, const char *name)
{
	size_t start = 16 * MKIMG_BLOCK, len = sizeof(img) - start;
	char path[1024];
	FILE *f;

	while (len > 0 && img[start + len - 1] == 0)
		len--;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		err(EX_CANTCREAT, "%s", path);
	if (fwrite(img + start, 1, len, f) != len || fclose(f) != 0)
		err(EX_IOERR, "%s", path);
}

int
main(int argc, char **argv)
{
	struct mkimg_su su = { .n = 0 };

	if (argc != 2) {
		fprintf(stderr, "usage: cd9660_mkseeds dir\n");
		return (EX_USAGE);
	}
	mkimg_sample(img, 1);
	put(argv[1], "sample_rr");
	mkimg_sample(img, 0);
	put(argv[1], "sample_plain");
	mkimg_sample(img, 1);
	mkimg_su_nm(&su, 1, "ab");
	mkimg_su_ce(&su, 20, 0, 64);
	memset(img + 20 * MKIMG_BLOCK, 0, MKIMG_BLOCK);
	memcpy(img + 20 * MKIMG_BLOCK, su.b, su.n);
	put(argv[1], "ce_loop");
	return (0);
}
