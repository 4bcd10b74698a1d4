/*
 * interop_test.c - the image tools and the shared code against images
 * they did not make: UFS1 from Debian's makefs (NetBSD's tool) passes
 * the superblock and cylinder group checks and reads file for file
 * through the independent reader; images with an MBR (slices s1..s4) and
 * with a disklabel64 are found by disklabel and newfs at the right
 * offsets.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "images/tests/tools_util.h"
#include "images/tests/ufs_reader.h"
#include "runtime/sys/disklabel.h"

struct names {
	char list[2048];
};

static void
collect(void *ctx, const char *name, uint32_t ino, int type)
{
	struct names *n = ctx;

	(void)ino;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return;
	snprintf(n->list + strlen(n->list), sizeof(n->list) - strlen(n->list),
	    "%s:%d ", name, type);
}

/* Compares file path on the host with the same path in the image. */
static void
same_file(struct ur_fs *u, const char *path)
{
	static char want[1 << 20], got[1 << 20];
	ssize_t wn, gn;
	uint32_t ino = ur_lookup(u, path);
	int fd = open(path + 0, O_RDONLY);

	cr_assert_neq(ino, 0, "%s missing in the image", path);
	cr_assert_geq(fd, 0);
	wn = read(fd, want, sizeof(want));
	close(fd);
	gn = ur_read(u, ino, got, sizeof(got));
	cr_assert_eq(gn, wn, "%s: %zd bytes, wanted %zd", path, gn, wn);
	cr_assert_eq(memcmp(want, got, (size_t)wn), 0, "%s differs", path);
}

Test(interop, makefs_image, .timeout = 60)
{
	struct ur_fs u;
	struct names n = { "" };
	const char *why;

	tu_scratch();
	cr_assert_eq(tu_run("command -v makefs"), 0,
	    "makefs is missing: run scripts/deps.sh");
	cr_assert_eq(tu_run("mkdir -p t/dir/sub && echo hello >t/a.txt && "
			    "head -c 300000 /dev/urandom >t/dir/big.bin && "
			    "head -c 20000 /dev/urandom >t/dir/sub/mid.bin && "
			    "ln -s a.txt t/link && "
			    "makefs -t ffs -o version=1 -s 16m mk.img t"),
	    0, "%s", tu_err);
	tu_check_fs("mk.img", 0);
	cr_assert_eq(ur_open(&u, "mk.img", 0, &why), 0, "%s", why);
	cr_assert_gt(ur_readdir(&u, 2, collect, &n), 0);
	cr_assert(strstr(n.list, "a.txt:8 ") != NULL, "%s", n.list);
	cr_assert(strstr(n.list, "dir:4 ") != NULL, "%s", n.list);
	cr_assert(strstr(n.list, "link:10 ") != NULL, "%s", n.list);
	cr_assert_eq(chdir("t"), 0);
	same_file(&u, "a.txt");
	same_file(&u, "dir/big.bin"); /* past the direct blocks */
	same_file(&u, "dir/sub/mid.bin");
	n.list[0] = '\0';
	cr_assert_eq(ur_readdir(&u, ur_lookup(&u, "dir"), collect, &n), 4);
	cr_assert_str_eq(n.list, "sub:4 big.bin:8 ");
	ur_close(&u);
	cr_assert_eq(chdir(".."), 0);
	/* Our tools see it as an unlabelled image. */
	cr_assert_eq(tu_run("disklabel mk.img"), 65);
	cr_assert(strstr(tu_err, "no disk label") != NULL);
}

static void
write_at(const char *path, const void *buf, size_t len, off_t off)
{
	int fd = open(path, O_WRONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(pwrite(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

Test(interop, mbr_slices, .timeout = 60)
{
	uint8_t mbr[512] = { 0 };
	struct dos_partition dp = { 0 };
	uint8_t buf[DL_READSIZE];
	struct disklabel32 l;
	int fd;

	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 64M img"), 0);
	dp.dp_typ = DOSPTYP_386BSD;
	dp.dp_start = 2048;
	dp.dp_size = 131072 - 2048;
	memcpy(mbr + DOSPARTOFF, &dp, sizeof(dp));
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	write_at("img", mbr, sizeof(mbr), 0);
	cr_assert_eq(tu_run("vnconfig -c vn0 img"), 0);
	cr_assert_eq(tu_run("disklabel -w vn0s0 auto"), 66);
	cr_assert(strstr(tu_err, "has an MBR") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run("disklabel -w vn0 auto"), 64);
	cr_assert_eq(tu_run("disklabel -w vn0s2 auto"), 66);
	cr_assert_eq(tu_run("disklabel -w vn0s1 auto && disklabel vn0s1 >p && "
			    "echo 'a: * * 4.2BSD' >>p && disklabel -R vn0s1 p"),
	    0, "%s", tu_err);
	/* On disk the offsets are absolute; the text shows them relative. */
	fd = open("img", O_RDONLY);
	cr_assert_eq(pread(fd, buf, sizeof(buf), 2048 * 512),
	    (ssize_t)sizeof(buf));
	close(fd);
	cr_assert_null(dl32_read(buf, sizeof(buf), &l));
	cr_assert_eq(l.d_partitions[RAW_PART].p_offset, 2048);
	cr_assert_eq(l.d_partitions[0].p_offset, 2048 + 16);
	cr_assert_eq(l.d_partitions[0].p_size, 131072 - 2048 - 16);
	cr_assert_eq(tu_run("disklabel vn0s1"), 0);
	cr_assert(strstr(tu_out, "  a:     129008         16    4.2BSD") !=
		NULL,
	    "%s", tu_out);
	cr_assert_eq(tu_run("newfs /dev/vn0s1a"), 0, "%s", tu_err);
	tu_check_fs("img", (2048 + 16) * 512);
}

Test(interop, disklabel64, .timeout = 60)
{
	static struct disklabel64 l;

	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 64M img"), 0);
	l.d_magic = DISKMAGIC64;
	l.d_npartitions = 16;
	l.d_total_size = 64 << 20;
	l.d_bbase = 4096;
	l.d_pbase = 1 << 20;
	l.d_pstop = l.d_total_size;
	l.d_abase = l.d_pstop;
	memcpy(l.d_packname, "pack64", 6);
	l.d_partitions[0].p_boffset = 1 << 20;
	l.d_partitions[0].p_bsize = 32 << 20;
	l.d_partitions[0].p_fstype = FS_BSDFFS;
	dl64_setcrc(&l);
	write_at("img", &l, sizeof(l), 0);
	cr_assert_eq(tu_run("disklabel img"), 0, "%s", tu_err);
	cr_assert(strstr(tu_out, "label: pack64\n") != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, "  a:   33554432    1048576    4.2BSD") !=
		NULL,
	    "%s", tu_out);
	cr_assert_eq(tu_run("newfs img"), 0, "%s", tu_err);
	cr_assert(strstr(tu_out, "media size  32.00MB") != NULL, "%s", tu_out);
	tu_check_fs("img", 1 << 20);
	/* A bad CRC is reported, not used. */
	l.d_crc ^= 1;
	write_at("img", &l, sizeof(l), 0);
	cr_assert_eq(tu_run("disklabel img"), 65);
	cr_assert(strstr(tu_err, "disklabel64 corrupted, bad CRC") != NULL);
}
