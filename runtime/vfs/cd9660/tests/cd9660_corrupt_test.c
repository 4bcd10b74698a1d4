/*
 * cd9660_corrupt_test.c - unit tests of cd9660 on small hand-made images
 * (tests/cd9660_mkimg.c): the sample image's Rock Ridge features (CE, NM
 * continued, SL, CL/PL/RE relocation, multi-extent), the dates, and
 * corrupt images, which must be refused or read without harm.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/vfs/cd9660/cd9660.h"
#include "runtime/vfs/cd9660/cd9660_private.h"
#include "runtime/vfs/cd9660/tests/cd9660_mkimg.h"

#define NBLK MKIMG_SAMPLE_BLOCKS

static uint8_t img[NBLK * MKIMG_BLOCK];
static struct mkimg_mem mem = { img, sizeof(img) };
static struct cd9660_mount mnt;

/* The names a directory lists, joined with ' ', in listing order. */
struct listing {
	char names[4096];
	int n;
};

static int
list_cb(void *arg, const char *name, size_t len, uint64_t id,
    enum cd9660_type type, uint64_t next)
{
	struct listing *l = arg;
	size_t used = strlen(l->names);

	snprintf(l->names + used, sizeof(l->names) - used, "%s%.*s",
	    l->n > 0 ? " " : "", (int)len, name);
	l->n++;
	return (0);
}

static int
list(const struct cd9660_node *dir, struct listing *l)
{
	uint64_t cookie = 0;

	memset(l, 0, sizeof(*l));
	return (cd9660_readdir(&mnt, dir, &cookie, list_cb, l));
}

static void
sample(int rr)
{
	mkimg_sample(img, rr);
	mem.len = sizeof(img);
}

static void
node_at(const char *path, struct cd9660_node *np)
{
	struct cd9660_node dir;
	const char *p = path, *slash;
	size_t len;

	cr_assert_eq(cd9660_root(&mnt, np), 0);
	while (*p != '\0') {
		slash = strchr(p, '/');
		len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		dir = *np;
		cr_assert_eq(cd9660_lookup(&mnt, &dir, p, len, np), 0,
		    "lookup of %.*s in %s", (int)len, p, path);
		p += len + (slash != NULL);
	}
}

Test(cd9660_sample, rock_ridge_names_and_relocation, .timeout = 10)
{
	struct cd9660_node root, n, m;
	struct listing l;
	char buf[64];
	size_t done;

	sample(1);
	cr_assert_eq(cd9660_mount(mkimg_read, &mem, sizeof(img), &mnt), 0);
	cr_assert_eq(mnt.rr, 1);
	cr_assert_str_eq(mnt.volume_id, "SAMPLE");
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(root.id, 18 * MKIMG_BLOCK);
	cr_assert_eq(root.attr.mode, 040755);
	cr_assert_eq(list(&root, &l), 0);
	cr_assert_str_eq(l.names,
	    ". .. hello.txt link a_long_name_continued_in_a_ce_area moved "
	    "rr_moved sub");

	/* CL: "moved" is the directory at block 22; PL: its ".." is /. */
	node_at("moved", &n);
	cr_assert_eq(n.id, 22 * MKIMG_BLOCK);
	cr_assert_eq(n.attr.type, CD9660_DIR);
	cr_assert_eq(cd9660_lookup(&mnt, &n, "..", 2, &m), 0);
	cr_assert_eq(m.id, root.id);
	cr_assert_eq(list(&n, &l), 0);
	cr_assert_str_eq(l.names, ". .. inner");
	node_at("moved/inner", &n);
	cr_assert_eq(cd9660_read(&mnt, &n, 0, buf, sizeof(buf), &done), 0);
	cr_assert_eq(done, 6);
	cr_assert_arr_eq(buf, "inner\n", 6);
	/* RE: the relocated directory's record in rr_moved is hidden. */
	node_at("rr_moved", &n);
	cr_assert_eq(list(&n, &l), 0);
	cr_assert_str_eq(l.names, ". ..");
	cr_assert_eq(cd9660_lookup(&mnt, &n, "moved", 5, &m), ENOENT);

	/* NM continued in a CE area, with the PX found there. */
	node_at("a_long_name_continued_in_a_ce_area", &n);
	cr_assert_eq(n.attr.mode, 0100444);
	node_at("link", &n);
	cr_assert_eq(n.attr.type, CD9660_LNK);
	cr_assert_eq(n.attr.size, 8);
	cr_assert_eq(cd9660_readlink(&mnt, &n, buf, sizeof(buf), &done), 0);
	cr_assert_str_eq(buf, "/usr/bin");
	cr_assert_eq(done, 8);
	cr_assert_eq(cd9660_readlink(&mnt, &n, buf, 8, &done), ENAMETOOLONG);

	node_at("hello.txt", &n);
	cr_assert_eq(n.attr.mode, 0100644);
	cr_assert_eq(n.attr.uid, 1000);
	cr_assert_eq(n.attr.gid, 100);
	cr_assert_eq(n.attr.mtime.sec, 1000000000);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "HELLO.TXT", 9, &n), ENOENT);
	node_at("sub/empty", &n);
	cr_assert_eq(n.attr.size, 0);
	cr_assert_eq(cd9660_read(&mnt, &n, 0, buf, sizeof(buf), &done), 0);
	cr_assert_eq(done, 0);
}

Test(cd9660_sample, plain_iso_names_and_defaults, .timeout = 10)
{
	struct cd9660_node root, n;
	struct listing l;

	sample(0);
	cr_assert_eq(cd9660_mount(mkimg_read, &mem, sizeof(img), &mnt), 0);
	cr_assert_eq(mnt.rr, 0);
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(list(&root, &l), 0);
	cr_assert_str_eq(l.names,
	    ". .. hello.txt link long.txt moved "
	    "rr_moved sub");
	cr_assert_eq(root.attr.mode, 040555);
	node_at("HELLO.txt", &n);
	cr_assert_eq(n.attr.mode, 0100555);
	cr_assert_eq(n.attr.nlink, 1);
	cr_assert_eq(n.attr.uid, 0);
	cr_assert_eq(n.attr.mtime.sec, 1000000000);
	cr_assert_eq(n.attr.atime.sec, 1000000000);
	node_at("link", &n);
	cr_assert_eq(n.attr.type, CD9660_REG);
	node_at("moved/inner", &n);
}

Test(cd9660_sample, errors_of_the_wrong_node_type, .timeout = 10)
{
	struct cd9660_node root, file, n;
	uint64_t cookie = 0;
	char buf[8];
	size_t done;

	sample(1);
	cr_assert_eq(cd9660_mount(mkimg_read, &mem, sizeof(img), &mnt), 0);
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	node_at("hello.txt", &file);
	cr_assert_eq(cd9660_lookup(&mnt, &file, "x", 1, &n), ENOTDIR);
	cr_assert_eq(cd9660_readdir(&mnt, &file, &cookie, list_cb, NULL),
	    ENOTDIR);
	cr_assert_eq(cd9660_read(&mnt, &root, 0, buf, 8, &done), EISDIR);
	cr_assert_eq(cd9660_readlink(&mnt, &file, buf, 8, &done), EINVAL);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "nope", 4, &n), ENOENT);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "a/b", 3, &n), ENOENT);
	cr_assert_eq(cd9660_getnode(&mnt, 5, &n), EINVAL);
	cr_assert_eq(cd9660_getnode(&mnt, sizeof(img), &n), EINVAL);
}

Test(cd9660_sample, multi_extent_file_listed_once_and_refused, .timeout = 10)
{
	struct cd9660_node root, n;
	struct listing l;
	struct mkimg_su su = { .n = 0 };
	size_t off, len, done;
	uint8_t rec[256];
	char buf[8];

	sample(1);
	/* Make hello.txt two extents: flag its record, insert the second. */
	off = mkimg_find(img, 18, "HELLO.TXT;1");
	cr_assert_neq(off, 0);
	img[off + 25] |= 0x80;
	mkimg_su_nm(&su, 0, "hello.txt");
	len = mkimg_rec(rec, 24, 6, 0, "HELLO.TXT;1", 11, &su);
	off += img[off];
	memmove(img + off + len, img + off, 19 * MKIMG_BLOCK - off - len);
	memcpy(img + off, rec, len);
	cr_assert_eq(cd9660_mount(mkimg_read, &mem, sizeof(img), &mnt), 0);
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(list(&root, &l), 0);
	cr_assert_str_eq(l.names,
	    ". .. hello.txt link a_long_name_continued_in_a_ce_area moved "
	    "rr_moved sub");
	node_at("hello.txt", &n);
	cr_assert_eq(cd9660_read(&mnt, &n, 0, buf, 8, &done), EFBIG);
}

/* Replaces the continuation area (block 20) with su. */
static void
set_ce_area(const struct mkimg_su *su)
{
	memset(img + 20 * MKIMG_BLOCK, 0, MKIMG_BLOCK);
	memcpy(img + 20 * MKIMG_BLOCK, su->b, su->n);
}

Test(cd9660_sample, long_form_times_and_device_numbers, .timeout = 10)
{
	static const char stamps[] = "2020010203040550\x04"
				     "1999123123595900\xf8";
	struct mkimg_su su = { .n = 0 };
	uint8_t tf[1 + 2 * 17], pn[16];
	struct cd9660_node n;

	sample(1);
	tf[0] = 0x80 | 0x02 | 0x04;
	memcpy(tf + 1, stamps, 2 * 17);
	mkimg_733(pn, 0);
	mkimg_733(pn + 8, 0x103);
	mkimg_su_nm(&su, 0, "dev");
	mkimg_su_px(&su, 020640, 1, 0, 0);
	mkimg_su_raw(&su, "PN", pn, sizeof(pn));
	mkimg_su_raw(&su, "TF", tf, sizeof(tf));
	set_ce_area(&su);
	cr_assert_leq(su.n, 200);
	cr_assert_eq(cd9660_mount(mkimg_read, &mem, sizeof(img), &mnt), 0);
	node_at("a_long_name_dev", &n);
	cr_assert_eq(n.attr.type, CD9660_CHR);
	cr_assert_eq(n.attr.mode, 020640);
	cr_assert_eq(n.attr.rdev, 0x103);
	cr_assert_eq(n.attr.size, 0);
	/* 2020-01-02 03:04:05.50 at GMT+1; 1999-12-31 23:59:59 at GMT-2. */
	cr_assert_eq(n.attr.mtime.sec, 1577930645);
	cr_assert_eq(n.attr.mtime.nsec, 500000000);
	cr_assert_eq(n.attr.atime.sec, 946684799 + 7200);
	cr_assert_eq(n.attr.ctime.sec, 1000000000, "the record's date");
}

Test(cd9660_dates, seven_and_seventeen_byte_forms)
{
	static const uint8_t d7[7] = { 120, 1, 2, 3, 4, 5, 4 };
	static const uint8_t bad7[7] = { 120, 13, 2, 3, 4, 5, 0 };
	static const uint8_t zero7[7] = { 0 };
	static const uint8_t d17[17] = "2020010203040550\x04";
	static const uint8_t old17[17] = "1969123123595900\x00";
	static const uint8_t none17[17] = "0000000000000000\x00";
	struct cd9660_time t;

	/* 2020-01-02 03:04:05 at GMT+1 is 02:04:05 UTC. */
	cr_assert(cd9660_time7(d7, &t));
	cr_assert_eq(t.sec, 1577930645);
	cr_assert(cd9660_time17(d17, &t));
	cr_assert_eq(t.sec, 1577930645);
	cr_assert_eq(t.nsec, 500000000);
	cr_assert(cd9660_time17(old17, &t));
	cr_assert_eq(t.sec, -1);
	cr_assert_not(cd9660_time7(bad7, &t));
	cr_assert_not(cd9660_time7(zero7, &t));
	cr_assert_not(cd9660_time17(none17, &t));
}

static int
mount_sample(size_t len)
{
	mem.len = len;
	return (cd9660_mount(mkimg_read, &mem, len, &mnt));
}

Test(cd9660_corrupt, bad_volume_descriptors_are_refused, .timeout = 10)
{
	uint8_t *vd = img + 16 * MKIMG_BLOCK;

	sample(1);
	cr_assert_eq(mount_sample(20 * MKIMG_BLOCK), EIO, "truncated");
	cr_assert_eq(mount_sample(17 * MKIMG_BLOCK), EIO, "only the PVD");
	cr_assert_eq(mount_sample(16 * MKIMG_BLOCK), EINVAL, "no PVD");
	cr_assert_eq(mount_sample(10 * MKIMG_BLOCK), EINVAL, "too short");
	vd[1] = 'X';
	cr_assert_eq(mount_sample(sizeof(img)), EINVAL, "not CD001");
	sample(1);
	vd[0] = 2;
	cr_assert_eq(mount_sample(sizeof(img)), EINVAL, "no primary");
	sample(1);
	mkimg_723(vd + 128, 512);
	cr_assert_eq(mount_sample(sizeof(img)), EINVAL, "512-byte blocks");
	sample(1);
	vd[80] ^= 1;
	cr_assert_eq(mount_sample(sizeof(img)), EINVAL, "size halves differ");
	sample(1);
	mkimg_733(vd + 156 + 2, NBLK);
	cr_assert_eq(mount_sample(sizeof(img)), EINVAL, "root past the end");
	sample(1);
	vd[156 + 25] = 0;
	cr_assert_eq(mount_sample(sizeof(img)), EINVAL, "root not a dir");
	sample(1);
	img[18 * MKIMG_BLOCK] = 0;
	cr_assert_eq(mount_sample(sizeof(img)), EINVAL, "root without .");
	sample(1);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
}

/*
 * Fills directory block blk after its records with one-letter records up
 * to 40 bytes before its end, then writes a record of length lastlen there.
 */
static void
fill_block_end(uint32_t blk, uint8_t lastlen)
{
	uint8_t *p = img + (size_t)blk * MKIMG_BLOCK;
	uint8_t *end = p + MKIMG_BLOCK;
	size_t len;

	while (*p != 0)
		p += *p;
	while (end - p > 40) {
		len = end - p > 240 ? 100 : (size_t)(end - p - 40);
		memset(p, 0, len);
		p[0] = (uint8_t)len;
		p[32] = 1;
		p[33] = 'x';
		p += len;
	}
	p[0] = lastlen;
	p[32] = 1;
	p[33] = 'y';
}

Test(cd9660_corrupt, bad_records_are_refused, .timeout = 10)
{
	struct cd9660_node root, n;
	struct listing l;
	size_t off;

	sample(1);
	off = mkimg_find(img, 18, "HELLO.TXT;1");
	mkimg_733(img + off + 2, 1000000);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "hello.txt", 9, &n), EINVAL,
	    "extent past the end");
	cr_assert_eq(list(&root, &l), 0);
	cr_assert_eq(l.n, 8);
	cr_assert_eq(cd9660_getnode(&mnt, off, &n), EINVAL);

	/* A record running past the directory's end. */
	sample(1);
	mkimg_733(img + 18 * MKIMG_BLOCK + 10, 300);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(root.attr.size, 300);
	cr_assert_eq(list(&root, &l), EINVAL);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "nope", 4, &n), EINVAL);

	/* A record running past its block, after valid fillers. */
	sample(1);
	fill_block_end(19, 200);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	node_at("sub", &n);
	cr_assert_eq(list(&n, &l), EINVAL);
	cr_assert_eq(cd9660_lookup(&mnt, &n, "nope", 4, &root), EINVAL);
	sample(1);
	fill_block_end(19, 0);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	cr_assert_eq(list(&n, &l), 0, "the same fillers are valid");
	cr_assert_gt(l.n, 10);

	/* A zero-length record ends its block: "empty" is not seen. */
	sample(1);
	img[mkimg_find(img, 19, "EMPTY.;1")] = 0;
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	node_at("sub", &n);
	cr_assert_eq(list(&n, &l), 0);
	cr_assert_str_eq(l.names, ". ..");
	cr_assert_eq(cd9660_lookup(&mnt, &n, "empty", 5, &root), ENOENT);
	/* A zero-length "." leaves no directory to load. */
	img[19 * MKIMG_BLOCK] = 0;
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "sub", 3, &n), EINVAL);
	/* No ".." record: no parent. */
	sample(1);
	img[mkimg_find(img, 19, "\1")] = 0;
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	node_at("sub", &n);
	cr_assert_eq(cd9660_lookup(&mnt, &n, "..", 2, &root), EINVAL);

	/* A name of length 0 in a record. */
	sample(1);
	off = mkimg_find(img, 19, "EMPTY.;1");
	img[off + 32] = 0;
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	node_at("sub", &n);
	cr_assert_eq(list(&n, &l), EINVAL);
}

Test(cd9660_corrupt, continuation_areas_are_bounded, .timeout = 10)
{
	struct mkimg_su su = { .n = 0 };
	struct cd9660_node root;
	struct listing l;

	/* A CE area continuing itself: 32 areas, then the walk ends. */
	sample(1);
	mkimg_su_nm(&su, 1, "ab");
	mkimg_su_ce(&su, 20, 0, 64);
	set_ce_area(&su);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(list(&root, &l), 0);
	cr_assert(strstr(l.names, " a_long_name_abababab") != NULL, "%s",
	    l.names);
	cr_assert_eq(l.n, 8);

	/* Too long a name in the loop: the ISO 9660 name is used. */
	sample(1);
	su.n = 0;
	mkimg_su_nm(&su, 1, "abcdefghijklmnopqrstuvwxyz");
	mkimg_su_ce(&su, 20, 0, 64);
	set_ce_area(&su);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	cr_assert_eq(list(&root, &l), 0);
	cr_assert(strstr(l.names, " long.txt ") != NULL, "%s", l.names);

	/* Areas outside the volume or their block are ignored. */
	sample(1);
	su.n = 0;
	mkimg_su_ce(&su, NBLK, 0, 64);
	set_ce_area(&su);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	cr_assert_eq(list(&root, &l), 0);
	cr_assert(strstr(l.names, " a_long_name_ ") != NULL, "%s", l.names);
	su.n = 0;
	mkimg_su_ce(&su, 20, 2000, 64);
	set_ce_area(&su);
	cr_assert_eq(list(&root, &l), 0);
	cr_assert(strstr(l.names, " a_long_name_ ") != NULL, "%s", l.names);
}

Test(cd9660_corrupt, bad_system_use_entries_end_the_area, .timeout = 10)
{
	struct mkimg_su su = { .n = 0 };
	struct cd9660_node n;
	char buf[64];
	size_t len;

	/* An entry claiming more than is left, after a good PX. */
	sample(1);
	mkimg_su_nm(&su, 0, "renamed");
	mkimg_su_px(&su, 0100600, 1, 7, 7);
	su.b[14] = 250;
	set_ce_area(&su);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	node_at("a_long_name_renamed", &n);
	cr_assert_eq(n.attr.mode, 0100555, "the PX was cut: no mode");

	/* An SL component longer than its entry. */
	sample(1);
	su.n = 0;
	mkimg_su_nm(&su, 0, "badlink");
	mkimg_su_px(&su, 0120777, 1, 0, 0);
	mkimg_su_sl(&su, "ok/abc");
	su.b[su.n - 4] = 100;
	set_ce_area(&su);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	node_at("a_long_name_badlink", &n);
	cr_assert_eq(n.attr.type, CD9660_LNK);
	cr_assert_eq(cd9660_readlink(&mnt, &n, buf, sizeof(buf), &len), 0);
	cr_assert_str_eq(buf, "ok");
}

Test(cd9660_corrupt, every_id_loads_or_is_refused, .timeout = 30)
{
	struct cd9660_node n;
	uint64_t id;
	int error, ok = 0;

	sample(1);
	cr_assert_eq(mount_sample(sizeof(img)), 0);
	for (id = 0; id < sizeof(img) + 4; id++) {
		error = cd9660_getnode(&mnt, id, &n);
		cr_assert(error == 0 || error == EINVAL, "id %ju: %d",
		    (uintmax_t)id, error);
		ok += error == 0;
	}
	/* The 18 records of directories and files, at least. */
	cr_assert_geq(ok, 18);
}
