/*
 * fuzz_fsck.c - libFuzzer target: the fsck_ufs checker core
 * (images/tools/fsck_ufs/) on an in-memory image, first with -n (which
 * must not write at all), then with -y on a copy (which may write
 * anywhere inside the image but never outside it), then -n again on the
 * repaired copy.  Whatever the input, the checker must return 0 or 8
 * without crashing, reading or writing out of bounds, or looping.
 *
 * The input is an image with its trailing zeros cut off (the seeds are
 * small newfs'd images): it is padded with zeros to the size its
 * superblock claims, up to FUZZ_MAX_IMAGE bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/tools/fsck_ufs/fsck.h"

#define FUZZ_MAX_IMAGE (4u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	uint8_t *buf;
	size_t size;
	int writes;
};

static int
mem_read(void *arg, void *buf, size_t len, uint64_t off)
{
	struct mem *m = arg;

	if (off > m->size || len > m->size - off)
		return (-1);
	memcpy(buf, m->buf + off, len);
	return (0);
}

static int
mem_write(void *arg, const void *buf, size_t len, uint64_t off)
{
	struct mem *m = arg;

	if (off > m->size || len > m->size - off)
		abort(); /* the core range-checks every write */
	memcpy(m->buf + off, buf, len);
	m->writes++;
	return (0);
}

/* The image size: the superblock's fs_size if it is plausible. */
static size_t
image_size(const uint8_t *data, size_t size)
{
	struct fs fs;
	uint64_t want;

	if (size < SBOFF + sizeof(fs))
		return (size);
	memcpy(&fs, data + SBOFF, sizeof(fs));
	if (fs.fs_fshift < 9 || fs.fs_fshift > 16 || fs.fs_size <= 0)
		return (size);
	want = (uint64_t)fs.fs_size << fs.fs_fshift;
	if (want > FUZZ_MAX_IMAGE)
		want = FUZZ_MAX_IMAGE;
	return (want > size ? (size_t)want : size);
}

static int
run(FILE *out, struct mem *m, enum fsck_mode mode)
{
	struct fsck_opts o = { mode, true, 0, "fuzz", out, NULL, out };
	struct fsck_io io = { mem_read, mode == FSCK_NO ? NULL : mem_write, m,
		m->size };
	int rc = fsck_check(&o, &io);

	if (rc != FSCK_EXIT_OK && rc != FSCK_EXIT_FAIL)
		abort();
	return (rc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *out;
	struct mem m;
	size_t len;

	if (size > FUZZ_MAX_IMAGE)
		return (0);
	if (out == NULL && (out = fopen("/dev/null", "w")) == NULL)
		abort();
	len = image_size(data, size);
	if ((m.buf = calloc(1, len ? len : 1)) == NULL)
		return (0);
	memcpy(m.buf, data, size);
	m.size = len;
	m.writes = 0;
	(void)run(out, &m, FSCK_NO);
	if (m.writes != 0 || memcmp(m.buf, data, size) != 0)
		abort(); /* -n wrote */
	(void)run(out, &m, FSCK_YES);
	(void)run(out, &m, FSCK_NO);
	free(m.buf);
	return (0);
}
