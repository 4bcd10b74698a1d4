/*
 * fsck_test.c - fsck_ufs(8) end to end: fresh newfs and makefs images are
 * clean and stay byte for byte as they were; each corruption injected at
 * offsets computed from the format headers is found by -n (exit 8, image
 * unchanged), repaired by -y, after which a second run finds nothing;
 * preen fixes the safe ones and stops on the others; every option, the
 * second name fsck and every usage error.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "images/tests/tools_util.h"
#include "runtime/vfs/ufs/ufs_dinode.h"
#include "runtime/vfs/ufs/ufs_dir.h"
#include "runtime/vfs/ufs/ufs_fs.h"

#define IMG "img"

/* An image opened for editing; the file system starts at byte 0. */
struct img {
	int fd;
	struct fs fs;
};

static void
img_open(struct img *m)
{
	m->fd = open(IMG, O_RDWR);
	cr_assert_geq(m->fd, 0);
	cr_assert_eq(pread(m->fd, &m->fs, sizeof(m->fs), SBOFF),
	    (ssize_t)sizeof(m->fs));
	cr_assert_eq(m->fs.fs_magic, FS_MAGIC);
}

static void
img_close(struct img *m)
{
	cr_assert_eq(pwrite(m->fd, &m->fs, sizeof(m->fs), SBOFF),
	    (ssize_t)sizeof(m->fs));
	close(m->fd);
}

static off_t
ino_off(const struct img *m, uint32_t ino)
{
	return ((off_t)ufs_fsbtobyte(&m->fs, ufs_ino_to_fsba(&m->fs, ino)) +
	    (off_t)(ufs_ino_to_fsbo(&m->fs, ino) * sizeof(struct ufs1_dinode)));
}

static void
get_inode(struct img *m, uint32_t ino, struct ufs1_dinode *d)
{
	cr_assert_eq(pread(m->fd, d, sizeof(*d), ino_off(m, ino)),
	    (ssize_t)sizeof(*d));
}

static void
put_inode(struct img *m, uint32_t ino, const struct ufs1_dinode *d)
{
	cr_assert_eq(pwrite(m->fd, d, sizeof(*d), ino_off(m, ino)),
	    (ssize_t)sizeof(*d));
}

/*
 * Finds name in the first block of directory dir: returns its inode and
 * the byte offset of its entry in the image (*where).
 */
static uint32_t
find_entry(struct img *m, uint32_t dir, const char *name, off_t *where)
{
	struct ufs1_dinode d;
	uint8_t buf[DIRBLKSIZ * 4];
	off_t base;
	size_t len;

	get_inode(m, dir, &d);
	len = d.di_size < sizeof(buf) ? (size_t)d.di_size : sizeof(buf);
	base = (off_t)ufs_fsbtobyte(&m->fs, d.di_db[0]);
	cr_assert_eq(pread(m->fd, buf, len, base), (ssize_t)len);
	for (size_t off = 0; off + 8 <= len;) {
		struct direct *de = (struct direct *)(void *)(buf + off);

		cr_assert_geq(de->d_reclen, 8);
		if (de->d_ino != 0 && de->d_namlen == strlen(name) &&
		    memcmp(de->d_name, name, de->d_namlen) == 0) {
			if (where != NULL)
				*where = base + (off_t)off;
			return (de->d_ino);
		}
		off += de->d_reclen;
	}
	cr_assert_fail("%s not found in directory %u", name, dir);
	return (0);
}

static void
set_entry_ino(struct img *m, off_t where, uint32_t ino)
{
	cr_assert_eq(pwrite(m->fd, &ino, 4, where), 4);
}

/* The cylinder group block of group 0, read and written. */
static void
cg_io(struct img *m, uint8_t *buf, bool write)
{
	off_t off = (off_t)ufs_fsbtobyte(&m->fs, ufs_cgtod(&m->fs, 0));
	size_t len = (size_t)m->fs.fs_cgsize;

	if (write)
		cr_assert_eq(pwrite(m->fd, buf, len, off), (ssize_t)len);
	else
		cr_assert_eq(pread(m->fd, buf, len, off), (ssize_t)len);
}

/*
 * A makefs(8) UFS1 image with DragonFly's block sizes: files, a zero
 * length file, a file past the direct blocks, directories, symlinks, a
 * hard link and lost+found.
 */
static void
make_tree_image(void)
{
	tu_scratch();
	cr_assert_eq(tu_run("command -v makefs"), 0, "makefs is missing");
	cr_assert_eq(
	    tu_run("mkdir -p t/dir/sub t/lost+found && "
		   "echo hello >t/a.txt && echo world >t/b.txt && "
		   ": >t/empty && "
		   "head -c 300000 /dev/urandom >t/big.bin && "
		   "echo deep >t/dir/sub/c.txt && ln -s a.txt t/link && "
		   "ln t/b.txt t/dir/b2.txt && "
		   "makefs -t ffs -o version=1,bsize=16384,fsize=2048 "
		   "-s 16m " IMG " t"),
	    0, "%s", tu_err);
}

static void
make_newfs_image(void)
{
	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 64m " IMG " && newfs " IMG), 0, "%s",
	    tu_err);
}

/* Runs fsck_ufs with args on the image; returns the status. */
static int
fsck(const char *args)
{
	return (tu_run("fsck_ufs %s " IMG, args));
}

/* A clean run: status 0, nothing modified, the image as it was. */
static void
expect_clean(void)
{
	uint64_t h = tu_hash(IMG);

	cr_assert_eq(fsck("-n"), 0, "%s%s", tu_out, tu_err);
	cr_assert(strstr(tu_out, "MODIFIED") == NULL, "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h);
	cr_assert_eq(fsck("-y"), 0, "%s%s", tu_out, tu_err);
	cr_assert(strstr(tu_out, "MODIFIED") == NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, "? yes") == NULL, "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h, "a clean check changed the image");
}

/* The output of the last repair by expect_repair(). */
static char repaired[sizeof(tu_out)];

/*
 * A corruption: -n finds msg, exits 8 and leaves the image alone; -y
 * repairs it ("MODIFIED"), its output kept in repaired[]; then the file
 * system is clean.
 */
static void
expect_repair(const char *msg)
{
	uint64_t h = tu_hash(IMG);

	cr_assert_eq(fsck("-n"), 8, "%s%s", tu_out, tu_err);
	cr_assert(strstr(tu_out, msg) != NULL, "no %s in:\n%s", msg, tu_out);
	cr_assert_eq(tu_hash(IMG), h, "-n changed the image");
	cr_assert_eq(fsck("-y"), 0, "%s%s", tu_out, tu_err);
	cr_assert(strstr(tu_out, msg) != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, "***** FILE SYSTEM WAS MODIFIED *****") !=
		NULL,
	    "%s", tu_out);
	memcpy(repaired, tu_out, sizeof(repaired));
	expect_clean();
	tu_check_fs(IMG, 0);
}

Test(fsck, newfs_image_is_clean, .timeout = 60)
{
	uint64_t h;

	make_newfs_image();
	h = tu_hash(IMG);
	expect_clean();
	cr_assert(strstr(tu_out, "** Phase 1 - Check Blocks and Sizes\n") !=
	    NULL);
	cr_assert(strstr(tu_out, "** Phase 5 - Check Cyl groups\n") != NULL);
	cr_assert(strstr(tu_out, "2 files, 9 used, ") != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, " frags, ") != NULL &&
		strstr(tu_out, "% fragmentation)\n") != NULL,
	    "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h);
}

/* A full check of a 64 MiB image with a thousand files is quick. */
Test(fsck, fast, .timeout = 60)
{
	struct timespec t0, t1;
	double secs;

	tu_scratch();
	cr_assert_eq(tu_run("mkdir -p t/d && for i in $(seq 1 1000); do "
			    "echo $i >t/d/f$i; done && "
			    "head -c 20000000 /dev/urandom >t/big && "
			    "makefs -t ffs -o version=1,bsize=16384,fsize=2048 "
			    "-s 64m " IMG " t"),
	    0, "%s", tu_err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(fsck("-n"), 0, "%s", tu_out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cr_assert(strstr(tu_out, "1003 files, ") != NULL, "%s", tu_out);
	cr_assert_lt(secs, 1.0, "the check took %.2f s", secs);
}

Test(fsck, makefs_image_is_clean, .timeout = 60)
{
	make_tree_image();
	expect_clean();
	cr_assert(strstr(tu_out, "10 files, ") != NULL, "%s", tu_out);
}

Test(fsck, fsck_name_and_vn_partition, .timeout = 60)
{
	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 64M " IMG " && "
			    "vnconfig -c vn0 " IMG " && "
			    "disklabel -r -w vn0s0 auto && "
			    "disklabel vn0s0 >proto && "
			    "echo 'a: * 0 4.2BSD' >>proto && "
			    "disklabel -R vn0s0 proto && newfs /dev/vn0s0a"),
	    0, "%s", tu_err);
	cr_assert_eq(tu_run("fsck -n /dev/vn0s0a"), 0, "%s%s", tu_out, tu_err);
	cr_assert(strstr(tu_out, "** /dev/vn0s0a (NO WRITE)\n") != NULL, "%s",
	    tu_out);
	cr_assert_eq(tu_run("fsck -y vn0s0"), 0, "%s%s", tu_out, tu_err);
	cr_assert(strstr(tu_out, "2 files, 9 used") != NULL, "%s", tu_out);
	cr_assert_eq(tu_run("vnconfig -u vn0"), 0, "%s", tu_err);
}

Test(fsck, wrong_link_count, .timeout = 60)
{
	struct img m;
	struct ufs1_dinode d;
	uint32_t ino;

	make_tree_image();
	img_open(&m);
	ino = find_entry(&m, ROOTINO, "a.txt", NULL);
	get_inode(&m, ino, &d);
	d.di_nlink = 3;
	put_inode(&m, ino, &d);
	img_close(&m);
	expect_repair("LINK COUNT FILE");
	cr_assert(strstr(tu_out, "COUNT 3 SHOULD BE 1") == NULL);
	img_open(&m);
	get_inode(&m, ino, &d);
	cr_assert_eq(d.di_nlink, 1);
	close(m.fd);
}

Test(fsck, unreferenced_inode_reconnected, .timeout = 60)
{
	struct img m;
	off_t where;
	uint32_t ino;
	char name[32];

	make_tree_image();
	img_open(&m);
	find_entry(&m, ROOTINO, "b.txt", &where);
	set_entry_ino(&m, where, 0);
	img_close(&m);
	/* b.txt keeps its second name dir/b2.txt: a link count to fix. */
	expect_repair("LINK COUNT FILE");
	img_open(&m);
	ino = find_entry(&m, ROOTINO, "a.txt", &where);
	set_entry_ino(&m, where, 0);
	img_close(&m);
	expect_repair("UNREF FILE");
	img_open(&m);
	snprintf(name, sizeof(name), "#%u", ino);
	cr_assert_eq(find_entry(&m, find_entry(&m, ROOTINO, "lost+found", NULL),
			 name, NULL),
	    ino);
	close(m.fd);
}

Test(fsck, entry_to_free_inode, .timeout = 60)
{
	struct img m;
	struct ufs1_dinode d;
	off_t where;
	uint32_t free_ino;

	make_tree_image();
	img_open(&m);
	free_ino = (uint32_t)m.fs.fs_ipg - 1;
	get_inode(&m, free_ino, &d);
	cr_assert_eq(d.di_mode, 0);
	find_entry(&m, ROOTINO, "a.txt", &where);
	set_entry_ino(&m, where, free_ino);
	img_close(&m);
	expect_repair("UNALLOCATED");
	cr_assert(strstr(repaired, "UNREF FILE") != NULL, "%s", repaired);
}

Test(fsck, bad_block_pointer, .timeout = 60)
{
	struct img m;
	struct ufs1_dinode d;
	uint32_t ino;

	make_tree_image();
	img_open(&m);
	ino = find_entry(&m, ROOTINO, "a.txt", NULL);
	get_inode(&m, ino, &d);
	d.di_db[0] = m.fs.fs_size + 100;
	put_inode(&m, ino, &d);
	img_close(&m);
	expect_repair(" BAD I=");
	cr_assert(strstr(repaired, "DUP/BAD") != NULL, "%s", repaired);
	img_open(&m);
	get_inode(&m, ino, &d);
	cr_assert_eq(d.di_mode, 0, "the bad file was not cleared");
	close(m.fd);
}

/* The first block of big.bin is given to a.txt as well. */
static void
inject_dup(void)
{
	struct img m;
	struct ufs1_dinode a, b;
	uint32_t ia, ib;

	img_open(&m);
	ia = find_entry(&m, ROOTINO, "a.txt", NULL);
	ib = find_entry(&m, ROOTINO, "big.bin", NULL);
	get_inode(&m, ia, &a);
	get_inode(&m, ib, &b);
	a.di_db[0] = b.di_db[0];
	put_inode(&m, ia, &a);
	img_close(&m);
}

Test(fsck, duplicate_block, .timeout = 60)
{
	make_tree_image();
	inject_dup();
	expect_repair(" DUP I=");
	cr_assert(strstr(repaired, "** Phase 1b - Rescan For More DUPS") !=
		NULL,
	    "%s", repaired);
}

Test(fsck, preen_stops_on_duplicate_block, .timeout = 60)
{
	uint64_t h;

	make_tree_image();
	inject_dup();
	/* A clean file system: -p skips it without -f. */
	cr_assert_eq(fsck("-p"), 0);
	h = tu_hash(IMG);
	cr_assert_eq(fsck("-p -f"), 8, "%s", tu_out);
	cr_assert(strstr(tu_out,
		      IMG ": UNEXPECTED INCONSISTENCY; RUN fsck "
			  "MANUALLY.\n") != NULL,
	    "%s", tu_out);
	cr_assert(strstr(tu_out, " DUP I=") != NULL, "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h, "preen wrote before it stopped");
}

Test(fsck, wrong_free_map_bit, .timeout = 60)
{
	struct img m;
	uint8_t buf[65536] = { 0 };
	struct cg *cg = (struct cg *)(void *)buf;
	struct ufs1_dinode d;

	make_tree_image();
	img_open(&m);
	get_inode(&m, find_entry(&m, ROOTINO, "a.txt", NULL), &d);
	cg_io(&m, buf, false);
	/* a.txt's fragment marked free. */
	buf[cg->cg_freeoff + d.di_db[0] / 8] |= (uint8_t)(1
	    << (d.di_db[0] % 8));
	cg_io(&m, buf, true);
	img_close(&m);
	expect_repair("BLK(S) MISSING IN BIT MAPS");
}

Test(fsck, wrong_cg_summary, .timeout = 60)
{
	struct img m;
	uint8_t buf[65536] = { 0 };
	struct cg *cg = (struct cg *)(void *)buf;

	make_tree_image();
	img_open(&m);
	cg_io(&m, buf, false);
	cg->cg_cs.cs_nffree += 2;
	cg->cg_frsum[1]++;
	cg_io(&m, buf, true);
	img_close(&m);
	expect_repair("SUMMARY INFORMATION BAD");
}

Test(fsck, wrong_cs_totals, .timeout = 60)
{
	struct img m;

	make_tree_image();
	img_open(&m);
	m.fs.fs_cstotal.cs_nbfree -= 3;
	m.fs.fs_cstotal.cs_nifree += 1;
	img_close(&m);
	expect_repair("FREE BLK COUNT(S) WRONG IN SUPERBLK");
}

Test(fsck, lost_directory_reconnected, .timeout = 60)
{
	struct img m;
	off_t where;
	uint32_t dir, lf;
	char name[32];

	make_tree_image();
	img_open(&m);
	dir = find_entry(&m, ROOTINO, "dir", &where);
	set_entry_ino(&m, where, 0);
	img_close(&m);
	expect_repair("UNREF DIR");
	img_open(&m);
	lf = find_entry(&m, ROOTINO, "lost+found", NULL);
	snprintf(name, sizeof(name), "#%u", dir);
	cr_assert_eq(find_entry(&m, lf, name, NULL), dir);
	cr_assert_eq(find_entry(&m, dir, "..", NULL), lf);
	close(m.fd);
}

Test(fsck, lost_found_created, .timeout = 60)
{
	struct img m;
	off_t where;

	tu_scratch();
	cr_assert_eq(tu_run("mkdir t && echo x >t/f && "
			    "makefs -t ffs -o version=1 -s 4m " IMG " t"),
	    0, "%s", tu_err);
	expect_clean();
	img_open(&m);
	find_entry(&m, ROOTINO, "f", &where);
	set_entry_ino(&m, where, 0);
	img_close(&m);
	expect_repair("UNREF FILE");
	cr_assert(strstr(repaired, "NO lost+found DIRECTORY") != NULL, "%s",
	    repaired);
	img_open(&m);
	cr_assert_neq(find_entry(&m, ROOTINO, "lost+found", NULL), 0);
	close(m.fd);
}

Test(fsck, preen_fixes_safe_problems, .timeout = 60)
{
	struct img m;
	struct ufs1_dinode d;
	off_t where;
	uint32_t ino;
	uint8_t buf[65536] = { 0 };
	struct cg *cg = (struct cg *)(void *)buf;

	make_tree_image();
	img_open(&m);
	ino = find_entry(&m, ROOTINO, "a.txt", NULL);
	get_inode(&m, ino, &d);
	d.di_nlink = 2;
	put_inode(&m, ino, &d);
	ino = find_entry(&m, ROOTINO, "empty", &where);
	set_entry_ino(&m, where, 0);
	cg_io(&m, buf, false);
	cg->cg_cs.cs_ndir++;
	cg_io(&m, buf, true);
	m.fs.fs_cstotal.cs_nffree++;
	m.fs.fs_clean = 0;
	img_close(&m);
	cr_assert_eq(fsck("-p"), 0, "%s%s", tu_out, tu_err);
	cr_assert(strstr(tu_out, IMG ": LINK COUNT FILE") != NULL, "%s",
	    tu_out);
	cr_assert(strstr(tu_out, "(ADJUSTED)") != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, IMG ": UNREF FILE") != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, "(CLEARED)") != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, "SUMMARY INFORMATION BAD (FIXED)") != NULL,
	    "%s", tu_out);
	cr_assert(strstr(tu_out, "** Phase") == NULL, "%s", tu_out);
	img_open(&m);
	cr_assert_eq(m.fs.fs_clean, 1);
	get_inode(&m, ino, &d);
	cr_assert_eq(d.di_mode, 0, "the empty unreferenced file stays");
	close(m.fd);
	expect_clean();
}

Test(fsck, unclean_flag, .timeout = 60)
{
	struct img m;
	uint64_t h;

	make_newfs_image();
	/* Clean: preen skips it, unless -f. */
	h = tu_hash(IMG);
	cr_assert_eq(fsck("-p"), 0);
	cr_assert_str_eq(tu_out,
	    IMG ": clean, 32222 free (14 frags, 4026 blocks, 0.0% "
		"fragmentation)\n");
	cr_assert_eq(fsck("-p -f"), 0);
	cr_assert(strstr(tu_out, IMG ": 2 files, 9 used, 32222 free") != NULL,
	    "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h);
	img_open(&m);
	m.fs.fs_clean = 0;
	img_close(&m);
	h = tu_hash(IMG);
	cr_assert_eq(fsck("-n"), 0, "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h, "-n marked it clean");
	cr_assert_eq(fsck("-p"), 0, "%s", tu_out);
	cr_assert(strstr(tu_out, IMG ": 2 files, 9 used") != NULL, "%s",
	    tu_out);
	img_open(&m);
	cr_assert_eq(m.fs.fs_clean, 1, "preen did not mark it clean");
	close(m.fd);
	cr_assert_eq(fsck("-p"), 0);
	cr_assert(strstr(tu_out, "clean, ") != NULL, "%s", tu_out);
	/* Without -p, marking clean is not a modification. */
	img_open(&m);
	m.fs.fs_clean = 0;
	img_close(&m);
	cr_assert_eq(fsck("-y"), 0, "%s", tu_out);
	cr_assert(strstr(tu_out, "***** FILE SYSTEM MARKED CLEAN *****") !=
		NULL,
	    "%s", tu_out);
	cr_assert(strstr(tu_out, "MODIFIED") == NULL, "%s", tu_out);
}

Test(fsck, interactive_answers, .timeout = 60)
{
	struct img m;
	struct ufs1_dinode d;
	uint32_t ino;
	uint64_t h;

	make_tree_image();
	img_open(&m);
	ino = find_entry(&m, ROOTINO, "a.txt", NULL);
	get_inode(&m, ino, &d);
	d.di_nlink = 4;
	put_inode(&m, ino, &d);
	img_close(&m);
	h = tu_hash(IMG);
	/* EOF answers no. */
	cr_assert_eq(tu_run("fsck_ufs " IMG), 8, "%s", tu_out);
	cr_assert(strstr(tu_out, "ADJUST? ") != NULL, "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h);
	cr_assert_eq(tu_run("echo n | fsck_ufs " IMG), 8, "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h);
	cr_assert_eq(tu_run("yes | fsck_ufs " IMG), 0, "%s", tu_out);
	cr_assert(strstr(tu_out, "MODIFIED") != NULL, "%s", tu_out);
	expect_clean();
}

Test(fsck, not_ufs, .timeout = 60)
{
	uint64_t h;

	tu_scratch();
	cr_assert_eq(tu_run("head -c 1048576 /dev/zero >" IMG), 0);
	h = tu_hash(IMG);
	cr_assert_eq(fsck("-y"), 8);
	cr_assert(strstr(tu_err, IMG ": BAD SUPER BLOCK: MAGIC NUMBER WRONG") !=
		NULL,
	    "%s", tu_err);
	cr_assert_eq(tu_hash(IMG), h);
	cr_assert_eq(tu_run("head -c 4096 /dev/urandom >" IMG), 0);
	cr_assert_eq(fsck("-n"), 8);
	cr_assert(strstr(tu_err, "CANNOT READ SUPERBLOCK") != NULL, "%s",
	    tu_err);
}

Test(fsck, usage_errors, .timeout = 60)
{
	tu_scratch();
	cr_assert_eq(tu_run("fsck_ufs"), 64);
	cr_assert(
	    strstr(tu_err,
		"usage: fsck_ufs [-p | -n | -y] [-f] [-b block] special") !=
		NULL,
	    "%s", tu_err);
	cr_assert_eq(tu_run("fsck"), 64);
	cr_assert(strstr(tu_err, "usage: fsck [-p") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run("fsck_ufs -x img"), 64);
	cr_assert_eq(tu_run("fsck_ufs -p -n img"), 64);
	cr_assert(strstr(tu_err, "exclude each other") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run("fsck_ufs -n -y img"), 64);
	cr_assert_eq(tu_run("fsck_ufs -y -p img"), 64);
	cr_assert_eq(tu_run("fsck_ufs -f"), 64);
	cr_assert_eq(tu_run("fsck_ufs -b x img"), 64);
	cr_assert(strstr(tu_err, "-b x: not a sector number") != NULL, "%s",
	    tu_err);
	cr_assert_eq(tu_run("fsck_ufs -b 0 img"), 64);
	cr_assert_eq(tu_run("fsck_ufs -n -b"), 64);
	cr_assert_eq(tu_run("fsck_ufs -n missing.img"), 66);
	cr_assert(strstr(tu_err, "missing.img") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run("mkdir d && fsck_ufs -n d"), 64);
	cr_assert(strstr(tu_err, "not a regular file") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run(": >e && fsck_ufs -n e"), 65);
	cr_assert(strstr(tu_err, "empty image") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run("fsck_ufs -n vn7s0a"), 66);
	cr_assert(strstr(tu_err, "vn7 is not configured") != NULL, "%s",
	    tu_err);
}

Test(fsck, busy_image, .timeout = 60)
{
	make_newfs_image();
	cr_assert_eq(tu_run("command -v flock"), 0, "flock(1) is missing");
	cr_assert_eq(tu_run("flock -x " IMG " fsck_ufs -n " IMG), 75);
	cr_assert(strstr(tu_err, "image in use") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run("flock -s " IMG " fsck_ufs -y " IMG), 75);
	cr_assert_eq(tu_run("flock -s " IMG " fsck_ufs -n " IMG), 0, "%s",
	    tu_err);
}

/*
 * Fuzz finds, replayed through the command on an image padded as the
 * fuzz target pads it: any answer but a crash.
 */
static void
replay(const char *seed)
{
	struct fs fs;
	int fd;
	off_t size;
	int rc;

	tu_scratch();
	cr_assert_eq(tu_run("cp '%s/%s' " IMG, FSCK_SEEDS, seed), 0, "%s",
	    tu_err);
	fd = open(IMG, O_RDWR);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pread(fd, &fs, sizeof(fs), SBOFF), (ssize_t)sizeof(fs));
	size = (off_t)fs.fs_size << fs.fs_fshift;
	cr_assert(size > 0 && size <= (4 << 20));
	cr_assert_eq(ftruncate(fd, size), 0);
	close(fd);
	rc = fsck("-n");
	cr_assert(rc == 0 || rc == 8, "-n: %d\n%s%s", rc, tu_out, tu_err);
	rc = fsck("-y");
	cr_assert(rc == 0 || rc == 8, "-y: %d\n%s%s", rc, tu_out, tu_err);
	rc = fsck("-n");
	cr_assert(rc == 0 || rc == 8, "-n: %d\n%s%s", rc, tu_out, tu_err);
}

/* A negative fs_cpg sized the rotational tables of phase 5. */
Test(fsck_regress, crash_negative_cpg, .timeout = 60)
{
	replay("crash-negative-cpg");
	cr_assert(strstr(tu_out, "** Phase 5") != NULL, "%s", tu_out);
}

Test(fsck_regress, corrupt_seed, .timeout = 60)
{
	replay("makefs-64k-corrupt");
	cr_assert_eq(fsck("-n"), 0, "-y left:\n%s", tu_out);
}

/* A 700 MB image has four groups: its primary superblock destroyed. */
Test(fsck, alternate_superblock, .timeout = 60)
{
	struct img m;
	char arg[64];
	int32_t zero = 0;
	uint64_t h;

	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 700m " IMG " && newfs " IMG), 0, "%s",
	    tu_err);
	img_open(&m);
	cr_assert_geq(m.fs.fs_ncg, 2);
	snprintf(arg, sizeof(arg), "-b %jd",
	    (intmax_t)(ufs_cgsblock(&m.fs, 1) << m.fs.fs_fsbtodb));
	cr_assert(strstr(tu_out, arg + 3) != NULL, "newfs did not list %s",
	    arg + 3);
	cr_assert_eq(pwrite(m.fd, &zero, 4, SBOFF + 1372), 4);
	close(m.fd);
	h = tu_hash(IMG);
	cr_assert_eq(fsck("-n"), 8);
	cr_assert(strstr(tu_err, "BAD SUPER BLOCK: MAGIC NUMBER WRONG") != NULL,
	    "%s", tu_err);
	cr_assert_eq(tu_run("fsck_ufs -n -b 99999999 " IMG), 8);
	cr_assert_eq(tu_run("fsck_ufs -n -b 16 " IMG), 8);
	cr_assert(strstr(tu_err, "no superblock at -b") != NULL, "%s", tu_err);
	cr_assert_eq(tu_run("fsck_ufs -n %s " IMG, arg), 8, "%s", tu_out);
	cr_assert(strstr(tu_out, "Alternate super block location: ") != NULL,
	    "%s", tu_out);
	cr_assert(strstr(tu_out, "2 files, 9 used") != NULL, "%s", tu_out);
	cr_assert_eq(tu_hash(IMG), h);
	cr_assert_eq(tu_run("fsck_ufs -y %s " IMG, arg), 0, "%s", tu_out);
	cr_assert(strstr(tu_out, "UPDATE STANDARD SUPERBLOCK") != NULL, "%s",
	    tu_out);
	cr_assert(strstr(tu_out, "MODIFIED") != NULL, "%s", tu_out);
	expect_clean();
	tu_check_fs(IMG, 0);
}

Test(fsck, several_specials, .timeout = 60)
{
	make_newfs_image();
	cr_assert_eq(tu_run("cp " IMG " img2 && head -c 65536 /dev/zero >z"),
	    0);
	cr_assert_eq(tu_run("fsck_ufs -n " IMG " img2"), 0, "%s", tu_out);
	cr_assert_eq(tu_run("fsck_ufs -n " IMG " z img2"), 8, "%s", tu_out);
	cr_assert(strstr(tu_out, "** img2 (NO WRITE)") != NULL, "%s", tu_out);
}
