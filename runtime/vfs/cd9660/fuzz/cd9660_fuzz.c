/*
 * cd9660_fuzz.c - libFuzzer target for the cd9660 library.
 *
 * The input is an image from block 16 (the volume descriptors) on: the
 * 32 KiB system area in front and up to SLACK bytes after it read as
 * zeros, so that seeds stay small (tests/cd9660_mkseeds.c writes them
 * without their trailing zeros).  The target mounts it and walks
 * the whole tree within bounds (depth, nodes, bytes): every directory
 * listed in small steps by cookie, every entry loaded from its id and
 * looked up by name, every file read and every link read.  Besides the
 * sanitizers it checks the library's promises: errno values only, cookies
 * that go forward, reads no longer than asked.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/vfs/cd9660/cd9660.h"

#define SYSTEM_AREA (16 * CD9660_BLOCK_SIZE)
#define SLACK	    (16 * CD9660_BLOCK_SIZE)
#define MAX_DEPTH   12
#define MAX_NODES   300
#define MAX_ENTRIES 64 /* looked at per directory */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_image {
	const uint8_t *p;
	size_t len;
};

struct walk {
	struct cd9660_mount mnt;
	int nodes;
};

struct dirlist {
	int n, taken;
	char names[MAX_ENTRIES][CD9660_NAME_MAX + 1];
	size_t lens[MAX_ENTRIES];
	uint64_t ids[MAX_ENTRIES];
};

static int
image_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct fuzz_image *im = ctx;
	uint8_t *b = buf;
	uint64_t end = SYSTEM_AREA + (uint64_t)im->len, pos;
	size_t i;

	if (off > end + SLACK || len > end + SLACK - off)
		return (EIO);
	for (i = 0; i < len; i++) {
		pos = off + i;
		b[i] = pos >= SYSTEM_AREA && pos < end ?
		    im->p[pos - SYSTEM_AREA] :
		    0;
	}
	return (0);
}

static void
check_errno(int error)
{
	if (error < 0 || error > 4095)
		abort();
}

static int
take(void *arg, const char *name, size_t len, uint64_t id,
    enum cd9660_type type, uint64_t next)
{
	struct dirlist *l = arg;

	if (len == 0 || len > CD9660_NAME_MAX || type < CD9660_REG ||
	    type > CD9660_SOCK)
		abort();
	if (l->taken == 3 || l->n == MAX_ENTRIES)
		return (1);
	memcpy(l->names[l->n], name, len);
	l->lens[l->n] = len;
	l->ids[l->n++] = id;
	l->taken++;
	return (0);
}

static void
read_node(struct walk *w, const struct cd9660_node *n)
{
	static uint8_t buf[16384];
	char link[CD9660_PATH_MAX + 1];
	uint64_t off;
	size_t done, len;
	int error;

	if (n->attr.type == CD9660_LNK) {
		error = cd9660_readlink(&w->mnt, n, link, sizeof(link), &len);
		check_errno(error);
		if (error == 0 && (len > CD9660_PATH_MAX || link[len] != '\0'))
			abort();
		return;
	}
	for (off = 0; off < n->attr.size && off < 4 * sizeof(buf);
	     off += done) {
		error = cd9660_read(&w->mnt, n, off, buf, sizeof(buf), &done);
		check_errno(error);
		if (error != 0 || done == 0)
			break;
		if (done > sizeof(buf))
			abort();
	}
}

static void
walk_dir(struct walk *w, const struct cd9660_node *dir, int depth)
{
	struct dirlist *l;
	struct cd9660_node n, m;
	uint64_t cookie = 0, before;
	int error, i, calls = 0;

	if (depth > MAX_DEPTH || ++w->nodes > MAX_NODES)
		return;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		abort();
	do {
		before = cookie;
		l->taken = 0;
		error = cd9660_readdir(&w->mnt, dir, &cookie, take, l);
		check_errno(error);
		if (error == 0 && cookie < before)
			abort();
	} while (error == 0 && l->taken > 0 && ++calls < 100);
	for (i = 0; i < l->n && w->nodes < MAX_NODES; i++) {
		error = cd9660_getnode(&w->mnt, l->ids[i], &n);
		check_errno(error);
		error = cd9660_lookup(&w->mnt, dir, l->names[i], l->lens[i],
		    &m);
		check_errno(error);
		if (error != 0 || (l->lens[i] <= 2 && l->names[i][0] == '.'))
			continue;
		w->nodes++;
		if (m.attr.type == CD9660_DIR)
			walk_dir(w, &m, depth + 1);
		else
			read_node(w, &m);
	}
	free(l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_image im = { data, size };
	struct walk w;
	struct cd9660_node root;
	int error;

	error = cd9660_mount(image_read, &im,
	    SYSTEM_AREA + (uint64_t)size + SLACK, &w.mnt);
	check_errno(error);
	if (error != 0)
		return (0);
	w.nodes = 0;
	error = cd9660_root(&w.mnt, &root);
	check_errno(error);
	if (error == 0)
		walk_dir(&w, &root, 0);
	return (0);
}
