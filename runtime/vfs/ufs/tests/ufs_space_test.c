/*
 * ufs_space_test.c - unit tests of the UFS1 library's block handling:
 * fragment tails growing and shrinking, holes, single, double and triple
 * indirect blocks (sparse), truncation down and up, random writes against
 * a model, ENOSPC for blocks and inodes and the free counts returning
 * exactly to newfs's after everything is removed.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/tests/ufs_reader.h"
#include "runtime/vfs/ufs/tests/ufs_testutil.h"

#define N(s)   s, strlen(s)
#define BS     16384
#define FS     2048
#define NINDIR (BS / 4)

static struct ufs_inode root;

static void
setup(void)
{
	ut_newfs("img", "32M", "");
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
}

static void
wr(struct ufs_inode *ip, uint64_t off, const void *buf, size_t len)
{
	size_t done;
	int error = ufs_write(&ut_mnt, ip, off, buf, len, &ut_root, &done);

	cr_assert_eq(error, 0, "write %zu at %ju: %s", len, (uintmax_t)off,
	    strerror(error));
	cr_assert_eq(done, len);
}

/* Reads len bytes at off and compares with the pattern (0: zeros). */
static void
expect(struct ufs_inode *ip, uint64_t off, size_t len, unsigned seed)
{
	uint8_t *got = malloc(len), *want = malloc(len);
	size_t done;

	cr_assert(got && want);
	if (seed == 0)
		memset(want, 0, len);
	else
		ut_pattern(want, len, seed, off);
	cr_assert_eq(ufs_read(&ut_mnt, ip, off, got, len, &done), 0);
	cr_assert_eq(done, len);
	cr_assert_eq(memcmp(got, want, len), 0, "data at %ju", (uintmax_t)off);
	free(got);
	free(want);
}

static void
wpat(struct ufs_inode *ip, uint64_t off, size_t len, unsigned seed)
{
	uint8_t *b = malloc(len);

	cr_assert_not_null(b);
	ut_pattern(b, len, seed, off);
	wr(ip, off, b, len);
	free(b);
}

static void
settrunc(struct ufs_inode *ip, uint64_t len)
{
	int error = ufs_truncate(&ut_mnt, ip, len, &ut_root);

	cr_assert_eq(error, 0, "truncate %ju: %s", (uintmax_t)len,
	    strerror(error));
}

Test(ufs_space, fragments, .init = setup, .timeout = 20)
{
	struct ufs_inode ip, other;

	ut_mkfile(&root, "f", NULL, 0, &ip);
	wpat(&ip, 0, 100, 1);
	cr_assert_eq(ip.din.di_blocks, 4, "one fragment");
	/* Block the in-place extension with another small file. */
	ut_mkfile(&root, "g", "x", 1, &other);
	wpat(&ip, 100, 4900, 1);
	cr_assert_eq(ip.din.di_blocks, 12, "three fragments");
	expect(&ip, 0, 5000, 1);
	wpat(&ip, 5000, 15000, 1);
	cr_assert_eq(ip.din.di_blocks, 32 + 8, "a block and 2 fragments");
	expect(&ip, 0, 20000, 1);
	/* Shrink into the first block: the tail becomes 2 fragments. */
	settrunc(&ip, 3000);
	cr_assert_eq(ip.din.di_blocks, 8);
	expect(&ip, 0, 3000, 1);
	/* Grow again: the bytes past 3000 read as zeros. */
	settrunc(&ip, 10000);
	expect(&ip, 0, 3000, 1);
	expect(&ip, 3000, 7000, 0);
	cr_assert_eq(ip.din.di_blocks, 20, "the tail grows to 5 fragments");
	settrunc(&ip, 40000);
	cr_assert_eq(ip.din.di_blocks, 32, "the old tail is now a block");
	expect(&ip, 3000, 37000, 0);
	ut_umount();
	ut_check("img", 0);
}

Test(ufs_space, holes_and_indirects, .init = setup, .timeout = 20)
{
	struct ufs_inode ip;
	struct csum before = ut_mnt.fs->fs_cstotal;
	uint64_t single = (uint64_t)NDADDR * BS;
	uint64_t dbl = single + (uint64_t)NINDIR * BS;
	uint64_t triple = dbl + (uint64_t)NINDIR * NINDIR * BS;
	struct ur_fs u;
	const char *why;
	uint8_t *all;

	ut_mkfile(&root, "sparse", NULL, 0, &ip);
	wpat(&ip, 5, 10, 2);
	wpat(&ip, single + 100, 20000, 3);
	wpat(&ip, dbl - 10, 30, 4);
	wpat(&ip, dbl + 3 * BS, 100, 5);
	cr_assert_neq(ip.din.di_ib[0], 0);
	cr_assert_neq(ip.din.di_ib[1], 0);
	cr_assert_eq(ip.din.di_ib[2], 0);
	expect(&ip, 0, 5, 0);
	expect(&ip, 5, 10, 2);
	expect(&ip, 15, BS * 3, 0);
	expect(&ip, single + 100, 20000, 3);
	expect(&ip, dbl - 10, 30, 4);
	expect(&ip, dbl + 3 * BS, 100, 5);
	/*
	 * Blocks: lbn 0; 12, 13 and the single indirect; 4107 (the last
	 * under it) and 4108 with the double indirect and its first
	 * indirect; 4111.
	 */
	cr_assert_eq(ip.din.di_blocks, 9 * (BS / 512), "%d", ip.din.di_blocks);
	ut_umount();
	ut_check("img", 0);
	/* The independent reader agrees (it reads double indirects). */
	cr_assert_eq(ur_open(&u, "img", 0, &why), 0, "%s", why);
	all = malloc(dbl + 3 * BS + 100);
	cr_assert_not_null(all);
	cr_assert_eq(ur_read(&u, ur_lookup(&u, "sparse"), all,
			 dbl + 3 * BS + 100),
	    (ssize_t)(dbl + 3 * BS + 100));
	{
		uint8_t want[100];

		ut_pattern(want, 100, 5, dbl + 3 * BS);
		cr_assert_eq(memcmp(all + dbl + 3 * BS, want, 100), 0);
		ut_pattern(want, 30, 4, dbl - 10);
		cr_assert_eq(memcmp(all + dbl - 10, want, 30), 0);
	}
	free(all);
	ur_close(&u);
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ut_namei("sparse"), &ip);
	/* Triple indirect, then truncations down through each level. */
	wpat(&ip, triple + 7 * BS + 1, 40, 6);
	cr_assert_neq(ip.din.di_ib[2], 0);
	expect(&ip, triple + 7 * BS + 1, 40, 6);
	expect(&ip, triple, BS, 0);
	settrunc(&ip, triple + 1);
	cr_assert_neq(ip.din.di_ib[2], 0,
	    "block triple+0 is a hole but "
	    "its indirect blocks may stay");
	settrunc(&ip, dbl + 3 * BS + 50);
	cr_assert_eq(ip.din.di_ib[2], 0);
	expect(&ip, dbl + 3 * BS, 50, 5);
	settrunc(&ip, dbl + 1);
	settrunc(&ip, single + 5000);
	cr_assert_eq(ip.din.di_ib[1], 0);
	expect(&ip, single + 100, 4900, 3);
	settrunc(&ip, 12);
	cr_assert_eq(ip.din.di_ib[0], 0);
	cr_assert_eq(ip.din.di_blocks, 4);
	expect(&ip, 5, 7, 2);
	cr_assert_eq(ufs_remove(&ut_mnt, &root, N("sparse"), &ip), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &ip), 0);
	ut_iget(ROOTINO, &root);
	(void)before;
	ut_umount();
	ut_check("img", 0);
}

Test(ufs_space, efbig, .init = setup, .timeout = 20)
{
	struct ufs_inode ip;
	size_t done;

	ut_mkfile(&root, "f", NULL, 0, &ip);
	cr_assert_eq(ufs_write(&ut_mnt, &ip, ut_mnt.maxfilesize, "x", 1,
			 &ut_root, &done),
	    EFBIG);
	cr_assert_eq(ufs_truncate(&ut_mnt, &ip, ut_mnt.maxfilesize + 1,
			 &ut_root),
	    EFBIG);
	ut_umount();
	ut_check("img", 0);
}

/* Random writes and truncations against a model in memory. */
static void
random_model(void)
{
	enum {
		MAX = 400000
	};
	uint8_t *model = calloc(MAX, 1), *buf = malloc(MAX), *got = malloc(MAX);
	struct ufs_inode ip;
	uint64_t size = 0;
	unsigned x = 12345;
	size_t done;

	cr_assert(model && buf && got);
	ut_mkfile(&root, "r", NULL, 0, &ip);
	for (int i = 0; i < 300; i++) {
		uint64_t off, len;

		x = x * 1103515245u + 12345u;
		off = (x >> 8) % MAX;
		x = x * 1103515245u + 12345u;
		len = (x >> 8) % (i % 3 == 0 ? 40000 : 3000) + 1;
		if (off + len > MAX)
			len = MAX - off;
		if (i % 17 == 5) {
			settrunc(&ip, off);
			if (off < size)
				memset(model + off, 0, size - off);
			size = off;
			continue;
		}
		ut_pattern(buf, len, (unsigned)i + 1, off);
		wr(&ip, off, buf, len);
		memcpy(model + off, buf, len);
		if (off + len > size)
			size = off + len;
		cr_assert_eq(ip.din.di_size, size);
	}
	cr_assert_eq(ufs_read(&ut_mnt, &ip, 0, got, MAX, &done), 0);
	cr_assert_eq(done, size);
	cr_assert_eq(memcmp(got, model, size), 0);
	ut_umount();
	ut_check("img", 0);
	free(model);
	free(buf);
	free(got);
}

Test(ufs_space, random_model, .init = setup, .timeout = 30)
{
	random_model();
}

/* 512-byte fragments, 4096-byte blocks: eight fragments a block. */
Test(ufs_space, random_model_small, .timeout = 30)
{
	ut_newfs("img", "32M", "-b 4096 -f 512");
	cr_assert_eq(ut_mount("img", 0), 0);
	cr_assert_eq(ut_mnt.fs->fs_frag, 8);
	ut_iget(ROOTINO, &root);
	random_model();
}

/* 1024-byte fragments, indirect blocks reached sooner. */
Test(ufs_space, indirect_small_blocks, .timeout = 30)
{
	struct ufs_inode ip;
	uint64_t bs = 8192, nind = 8192 / 4;
	uint64_t tri = (NDADDR + nind + nind * nind) * bs;

	ut_newfs("img", "16M", "-b 8192 -f 1024");
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	ut_mkfile(&root, "t", NULL, 0, &ip);
	wpat(&ip, 1000, 3000, 3);
	wpat(&ip, tri + 5 * bs - 7, 9000, 4);
	expect(&ip, 1000, 3000, 3);
	expect(&ip, tri + 5 * bs - 7, 9000, 4);
	expect(&ip, tri, 5 * bs - 7, 0);
	cr_assert_eq(ip.din.di_blocks, (1 + 3 + 3) * 16);
	settrunc(&ip, 2000);
	cr_assert_eq(ip.din.di_blocks, 4);
	expect(&ip, 1000, 1000, 3);
	ut_umount();
	ut_check("img", 0);
}

/* Fills the file system, then removes everything. */
static void
fill_and_empty(const char *size, const char *opts)
{
	static uint8_t mb[1 << 20];
	struct csum *cs0, total0;
	struct ufs_inode ip, d;
	struct ufs_statfs sf;
	char name[32];
	size_t done;
	int n = 0, error = 0, ncg;

	ut_newfs("img", size, opts);
	cr_assert_eq(ut_mount("img", 0), 0);
	total0 = ut_mnt.fs->fs_cstotal;
	ncg = ut_mnt.fs->fs_ncg;
	cs0 = malloc((size_t)ncg * sizeof(*cs0));
	memcpy(cs0, ut_mnt.cs, (size_t)ncg * sizeof(*cs0));
	ut_iget(ROOTINO, &root);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("d"), 0755, &ut_root, &d), 0);
	ut_pattern(mb, sizeof(mb), 9, 0);
	/* A user stops at the minfree reserve. */
	while (error == 0) {
		snprintf(name, sizeof(name), "u%d", n++);
		cr_assert_eq(ufs_create(&ut_mnt, &d, N(name), IFREG | 0644, 0,
				 &ut_user, &ip),
		    0);
		error = ufs_write(&ut_mnt, &ip, 0, mb, sizeof(mb), &ut_user,
		    &done);
		if (error == 0 && done < sizeof(mb))
			error = ufs_write(&ut_mnt, &ip, done, mb + done,
			    sizeof(mb) - done, &ut_user, &done);
	}
	cr_assert_eq(error, ENOSPC);
	cr_assert_eq(ufs_statfs(&ut_mnt, &sf), 0);
	cr_assert_lt(sf.bavail, 16, "user stopped at the reserve: %jd %d %d",
	    (intmax_t)sf.bavail, ut_mnt.fs->fs_cstotal.cs_nbfree,
	    ut_mnt.fs->fs_cstotal.cs_nffree);
	/* Root goes on into it. */
	error = 0;
	while (error == 0) {
		snprintf(name, sizeof(name), "r%d", n++);
		error = ufs_create(&ut_mnt, &d, N(name), IFREG | 0644, 0,
		    &ut_root, &ip);
		if (error == 0)
			error = ufs_write(&ut_mnt, &ip, 0, mb, 100000, &ut_root,
			    &done);
		if (error == 0 && done < 100000)
			error = ENOSPC;
	}
	cr_assert_eq(error, ENOSPC);
	cr_assert_eq(ufs_statfs(&ut_mnt, &sf), 0);
	cr_assert_lt(sf.bavail, 0);
	ut_umount();
	ut_check("img", 0);
	/* Remove it all. */
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	ut_iget(ut_namei("d"), &d);
	for (int i = 0; i < n; i++) {
		uint32_t ino;

		snprintf(name, sizeof(name), "%c%d", i < n ? 'u' : 'r', i);
		if (ufs_lookup(&ut_mnt, &d, N(name), &ino) != 0) {
			name[0] = 'r';
			if (ufs_lookup(&ut_mnt, &d, N(name), &ino) != 0)
				continue;
		}
		ut_iget(ino, &ip);
		cr_assert_eq(ufs_remove(&ut_mnt, &d, N(name), &ip), 0);
		cr_assert_eq(ufs_inactive(&ut_mnt, &ip), 0);
	}
	cr_assert_eq(ufs_rmdir(&ut_mnt, &root, N("d"), &d), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &d), 0);
	cr_assert_eq(memcmp(&total0, &ut_mnt.fs->fs_cstotal, sizeof(total0)), 0,
	    "totals: nbfree %d/%d nffree %d/%d nifree %d/%d", total0.cs_nbfree,
	    ut_mnt.fs->fs_cstotal.cs_nbfree, total0.cs_nffree,
	    ut_mnt.fs->fs_cstotal.cs_nffree, total0.cs_nifree,
	    ut_mnt.fs->fs_cstotal.cs_nifree);
	cr_assert_eq(memcmp(cs0, ut_mnt.cs, (size_t)ncg * sizeof(*cs0)), 0,
	    "group summaries not back");
	ut_umount();
	ut_check("img", 0);
	free(cs0);
}

Test(ufs_space, enospc_and_back, .timeout = 30)
{
	fill_and_empty("16M", "");
}

/* Four cylinder groups: allocation moves on as groups fill. */
Test(ufs_space, enospc_and_back_groups, .timeout = 30)
{
	fill_and_empty("32M", "-b 4096 -f 512");
}

/* New directories spread over the groups; files follow their directory. */
Test(ufs_space, group_policy, .timeout = 30)
{
	struct ufs_inode d[4], f;
	const struct fs *fs;
	int seen = 0;

	ut_newfs("img", "32M", "-b 4096 -f 512");
	cr_assert_eq(ut_mount("img", 0), 0);
	fs = ut_mnt.fs;
	cr_assert_eq(fs->fs_ncg, 4);
	ut_iget(ROOTINO, &root);
	for (int i = 0; i < 4; i++) {
		char name[8];

		snprintf(name, sizeof(name), "d%d", i);
		cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N(name), 0755, &ut_root,
				 &d[i]),
		    0);
		seen |= 1 << ufs_ino_to_cg(fs, d[i].ino);
		ut_mkfile(&d[i], "f", "data", 4, &f);
		cr_assert_eq(ufs_ino_to_cg(fs, f.ino),
		    ufs_ino_to_cg(fs, d[i].ino),
		    "a file's inode in its directory's group");
		cr_assert_eq(f.din.di_db[0] / fs->fs_fpg,
		    (int)ufs_ino_to_cg(fs, f.ino), "data near the inode");
	}
	/* Group 0 has root and lost+found: fewer free inodes than average. */
	cr_assert_eq(seen, 0xe, "directories in groups 1-3: %x", seen);
	ut_umount();
	ut_check("img", 0);
}

Test(ufs_space, out_of_inodes, .timeout = 30)
{
	struct ufs_inode ip;
	char name[32];
	int n, error = 0;
	uint32_t nifree;

	ut_newfs("img", "4M", "-i 65536");
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
	nifree = (uint32_t)ut_mnt.fs->fs_cstotal.cs_nifree;
	for (n = 0; error == 0; n++) {
		snprintf(name, sizeof(name), "f%d", n);
		error = ufs_create(&ut_mnt, &root, N(name), IFREG | 0644, 0,
		    &ut_root, &ip);
	}
	cr_assert_eq(error, ENOSPC);
	cr_assert_eq((uint32_t)(n - 1), nifree);
	cr_assert_eq(ut_mnt.fs->fs_cstotal.cs_nifree, 0);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("d"), 0755, &ut_root, &ip),
	    ENOSPC);
	ut_umount();
	ut_check("img", 0);
}
