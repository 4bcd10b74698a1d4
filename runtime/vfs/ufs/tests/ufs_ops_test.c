/*
 * ufs_ops_test.c - unit tests of the UFS1 library's name operations:
 * create of every type, mkdir/rmdir, link, unlink of an open file,
 * symlinks short and long, rename in all its cases, big directories and
 * readdir cookies, setattr and times.  Every test ends with the
 * consistency check of ufs_check.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/tests/ufs_reader.h"
#include "runtime/vfs/ufs/tests/ufs_testutil.h"

#define N(s) s, strlen(s)

static struct ufs_inode root;

static void
setup(void)
{
	ut_newfs("img", "32M", "");
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ROOTINO, &root);
}

static void
finish(void)
{
	ut_umount();
	ut_check("img", 0);
}

Test(ufs_ops, create_types, .init = setup, .timeout = 20)
{
	static const uint32_t types[] = { IFREG, IFIFO, IFCHR, IFBLK, IFSOCK };
	struct ufs_inode ip, f;
	char name[300];
	uint32_t ino;

	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		cr_assert_eq(ufs_create(&ut_mnt, &root, N(name),
				 types[i] | 0640, 0x1234, &ut_user, &ip),
		    0);
		cr_assert_eq(ip.din.di_mode, types[i] | 0640);
		cr_assert_eq(ip.din.di_nlink, 1);
		cr_assert_eq(ip.din.di_uid, 1000);
		cr_assert_eq(ip.din.di_gid, root.din.di_gid);
		cr_assert_eq(ufs_lookup(&ut_mnt, &root, N(name), &ino), 0);
		cr_assert_eq(ino, ip.ino);
		ut_iget(ino, &f);
		cr_assert_eq(memcmp(&f.din, &ip.din, sizeof(f.din)), 0);
		if (types[i] == IFCHR || types[i] == IFBLK)
			cr_assert_eq(f.din.di_db[0], 0x1234);
	}
	cr_assert_eq(ufs_create(&ut_mnt, &root, N("n0"), IFREG | 0644, 0,
			 &ut_root, &ip),
	    EEXIST);
	cr_assert_eq(ufs_create(&ut_mnt, &root, N("d"), IFDIR | 0644, 0,
			 &ut_root, &ip),
	    EINVAL);
	memset(name, 'x', 256);
	name[256] = '\0';
	cr_assert_eq(ufs_create(&ut_mnt, &root, N(name), IFREG | 0644, 0,
			 &ut_root, &ip),
	    ENAMETOOLONG);
	cr_assert_eq(ufs_lookup(&ut_mnt, &root, N(name), &ino), ENAMETOOLONG);
	name[255] = '\0';
	cr_assert_eq(ufs_create(&ut_mnt, &root, N(name), IFREG | 0644, 0,
			 &ut_root, &ip),
	    0);
	ut_iget(ut_namei("n0"), &f);
	cr_assert_eq(ufs_create(&ut_mnt, &f, N("x"), IFREG | 0644, 0, &ut_root,
			 &ip),
	    ENOTDIR);
	cr_assert_eq(ufs_lookup(&ut_mnt, &root, N("nope"), &ino), ENOENT);
	finish();
}

Test(ufs_ops, mkdir_rmdir, .init = setup, .timeout = 20)
{
	struct ufs_inode a, b, f;
	uint32_t ino;
	int16_t n0 = root.din.di_nlink;

	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("a"), 0755, &ut_root, &a), 0);
	cr_assert_eq(root.din.di_nlink, n0 + 1);
	cr_assert_eq(a.din.di_nlink, 2);
	cr_assert_eq(a.din.di_size, DIRBLKSIZ);
	cr_assert_eq(ufs_lookup(&ut_mnt, &a, N(".."), &ino), 0);
	cr_assert_eq(ino, ROOTINO);
	cr_assert_eq(ufs_lookup(&ut_mnt, &a, N("."), &ino), 0);
	cr_assert_eq(ino, a.ino);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &a, N("b"), 0700, &ut_root, &b), 0);
	cr_assert_eq(a.din.di_nlink, 3);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("a"), 0755, &ut_root, &b),
	    EEXIST);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &root, N("a"), &a), ENOTEMPTY);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &a, N("."), &a), EINVAL);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &root, N("."), &root), EINVAL);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &root, N(".."), &root), ENOTEMPTY);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &a, N(".."), &root), ENOTEMPTY);
	ut_mkfile(&b, "f", "x", 1, &f);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &b, N("f"), &f), ENOTDIR);
	cr_assert_eq(ufs_remove(&ut_mnt, &a, N("b"), &b), EISDIR);
	cr_assert_eq(ufs_remove(&ut_mnt, &b, N("f"), &f), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &f), 0);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &a, N("b"), &b), 0);
	cr_assert_eq(b.din.di_nlink, 0);
	cr_assert_eq(a.din.di_nlink, 2);
	/* The removed directory takes no new entries. */
	cr_assert_eq(ufs_create(&ut_mnt, &b, N("g"), IFREG | 0644, 0, &ut_root,
			 &f),
	    ENOENT);
	cr_assert_eq(ufs_inactive(&ut_mnt, &b), 0);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &root, N("a"), &a), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &a), 0);
	cr_assert_eq(root.din.di_nlink, n0);
	cr_assert_eq(ufs_lookup(&ut_mnt, &root, N("a"), &ino), ENOENT);
	finish();
}

Test(ufs_ops, unlink_open_file, .init = setup, .timeout = 20)
{
	struct ufs_inode ip;
	struct csum before = ut_mnt.fs->fs_cstotal;
	uint8_t buf[70000], got[70000];
	size_t done;

	ut_pattern(buf, sizeof(buf), 1, 0);
	ut_mkfile(&root, "f", buf, sizeof(buf), &ip);
	cr_assert_eq(ufs_remove(&ut_mnt, &root, N("f"), &ip), 0);
	cr_assert_eq(ip.din.di_nlink, 0);
	/* Still open: still readable and writable. */
	cr_assert_eq(ufs_read(&ut_mnt, &ip, 0, got, sizeof(got), &done), 0);
	cr_assert_eq(done, sizeof(got));
	cr_assert_eq(memcmp(buf, got, sizeof(got)), 0);
	cr_assert_eq(ufs_write(&ut_mnt, &ip, 70000, buf, 1000, &ut_root, &done),
	    0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &ip), 0);
	cr_assert_eq(memcmp(&before, &ut_mnt.fs->fs_cstotal, sizeof(before)), 0,
	    "free counts not back");
	finish();
}

Test(ufs_ops, hard_links, .init = setup, .timeout = 20)
{
	struct ufs_inode ip, d;
	uint32_t ino;

	ut_mkfile(&root, "f", "abc", 3, &ip);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("d"), 0755, &ut_root, &d), 0);
	cr_assert_eq(ufs_link(&ut_mnt, &d, N("g"), &ip, &ut_root), 0);
	cr_assert_eq(ip.din.di_nlink, 2);
	cr_assert_eq(ufs_lookup(&ut_mnt, &d, N("g"), &ino), 0);
	cr_assert_eq(ino, ip.ino);
	cr_assert_eq(ufs_link(&ut_mnt, &d, N("g"), &ip, &ut_root), EEXIST);
	cr_assert_eq(ufs_link(&ut_mnt, &root, N("dd"), &d, &ut_root), EPERM);
	ip.din.di_nlink = 32767;
	cr_assert_eq(ufs_iupdate(&ut_mnt, &ip), 0);
	cr_assert_eq(ufs_link(&ut_mnt, &d, N("h"), &ip, &ut_root), EMLINK);
	ip.din.di_nlink = 2;
	cr_assert_eq(ufs_iupdate(&ut_mnt, &ip), 0);
	cr_assert_eq(ufs_remove(&ut_mnt, &root, N("f"), &ip), 0);
	cr_assert_eq(ip.din.di_nlink, 1);
	cr_assert_eq(ufs_remove(&ut_mnt, &root, N("g"), &ip), ENOENT);
	finish();
}

Test(ufs_ops, symlinks, .init = setup, .timeout = 20)
{
	struct ufs_inode s, l, x;
	char t59[60], t60[61], big[1100], buf[1100];
	size_t len;

	memset(t59, 'a', 59);
	t59[59] = '\0';
	memset(t60, 'b', 60);
	t60[60] = '\0';
	cr_assert_eq(ufs_symlink(&ut_mnt, &root, N("s"), N(t59), &ut_root, &s),
	    0);
	cr_assert_eq(s.din.di_blocks, 0, "59 bytes: in the inode");
	cr_assert_eq(s.din.di_size, 59);
	cr_assert_eq(ufs_symlink(&ut_mnt, &root, N("l"), N(t60), &ut_root, &l),
	    0);
	cr_assert_eq(l.din.di_blocks, 4, "60 bytes: one fragment");
	ut_iget(ut_namei("s"), &x);
	cr_assert_eq(ufs_readlink(&ut_mnt, &x, buf, sizeof(buf), &len), 0);
	cr_assert_eq(len, 59);
	cr_assert_str_eq(buf, t59);
	ut_iget(ut_namei("l"), &x);
	cr_assert_eq(ufs_readlink(&ut_mnt, &x, buf, sizeof(buf), &len), 0);
	cr_assert_str_eq(buf, t60);
	cr_assert_eq(ufs_readlink(&ut_mnt, &x, buf, 60, &len), ENAMETOOLONG);
	cr_assert_eq(ufs_readlink(&ut_mnt, &root, buf, 60, &len), EINVAL);
	memset(big, 'c', 1023);
	big[1023] = '\0';
	cr_assert_eq(ufs_symlink(&ut_mnt, &root, N("big"), N(big), &ut_root,
			 &x),
	    0);
	cr_assert_eq(ufs_readlink(&ut_mnt, &x, buf, sizeof(buf), &len), 0);
	cr_assert_eq(len, 1023);
	big[1023] = 'c';
	big[1024] = '\0';
	cr_assert_eq(ufs_symlink(&ut_mnt, &root, N("big2"), N(big), &ut_root,
			 &x),
	    ENAMETOOLONG);
	/* Removing both frees the long one's block. */
	cr_assert_eq(ufs_remove(&ut_mnt, &root, N("l"), &l), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &l), 0);
	cr_assert_eq(ufs_remove(&ut_mnt, &root, N("s"), &s), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &s), 0);
	finish();
}

static uint32_t
dotdot(struct ufs_inode *dp)
{
	uint32_t ino = 0;

	cr_assert_eq(ufs_lookup(&ut_mnt, dp, N(".."), &ino), 0);
	return (ino);
}

Test(ufs_ops, rename_files, .init = setup, .timeout = 20)
{
	struct ufs_inode a, b, c, d;
	uint32_t ino;

	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("d"), 0755, &ut_root, &d), 0);
	ut_mkfile(&root, "a", "aaa", 3, &a);
	ut_mkfile(&root, "b", "bbb", 3, &b);
	/* Within a directory. */
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("a"), &a, &root, N("a2"),
			 NULL, &ut_root),
	    0);
	cr_assert_eq(ufs_lookup(&ut_mnt, &root, N("a"), &ino), ENOENT);
	cr_assert_eq(ufs_lookup(&ut_mnt, &root, N("a2"), &ino), 0);
	cr_assert_eq(ino, a.ino);
	cr_assert_eq(a.din.di_nlink, 1);
	/* Across directories. */
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("a2"), &a, &d, N("a3"), NULL,
			 &ut_root),
	    0);
	cr_assert_eq(ut_namei("d/a3"), a.ino);
	/* Over an existing file: b loses its only link. */
	cr_assert_eq(ufs_rename(&ut_mnt, &d, N("a3"), &a, &root, N("b"), &b,
			 &ut_root),
	    0);
	cr_assert_eq(b.din.di_nlink, 0);
	cr_assert_eq(ut_namei("b"), a.ino);
	cr_assert_eq(ufs_inactive(&ut_mnt, &b), 0);
	/* Stale view of the target. */
	ut_mkfile(&root, "c", "c", 1, &c);
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("b"), &a, &root, N("c"), NULL,
			 &ut_root),
	    EINVAL);
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("b"), &a, &root, N("."), NULL,
			 &ut_root),
	    EINVAL);
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("nope"), &a, &root, N("x"),
			 NULL, &ut_root),
	    ENOENT);
	/* A file over a directory and the other way round. */
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("c"), &c, &root, N("d"), &d,
			 &ut_root),
	    EISDIR);
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("d"), &d, &root, N("c"), &c,
			 &ut_root),
	    ENOTDIR);
	/* Two names of one file: nothing happens. */
	cr_assert_eq(ufs_link(&ut_mnt, &root, N("c2"), &c, &ut_root), 0);
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("c"), &c, &root, N("c2"), &c,
			 &ut_root),
	    0);
	cr_assert_eq(c.din.di_nlink, 2);
	finish();
}

Test(ufs_ops, rename_dirs, .init = setup, .timeout = 20)
{
	struct ufs_inode a, b, sub, e, f;
	int16_t n0 = root.din.di_nlink;

	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("a"), 0755, &ut_root, &a), 0);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("b"), 0755, &ut_root, &b), 0);
	cr_assert_eq(ufs_mkdir(&ut_mnt, &a, N("sub"), 0755, &ut_root, &sub), 0);
	ut_mkfile(&sub, "f", "f", 1, &f);
	cr_assert_eq(a.din.di_nlink, 3);
	/* Into its own subtree, or onto itself as parent. */
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("a"), &a, &sub, N("x"), NULL,
			 &ut_root),
	    EINVAL);
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("a"), &a, &a, N("x"), NULL,
			 &ut_root),
	    EINVAL);
	/* Move sub from a to b: ".." and both parents' counts follow. */
	cr_assert_eq(ufs_rename(&ut_mnt, &a, N("sub"), &sub, &b, N("sub2"),
			 NULL, &ut_root),
	    0);
	cr_assert_eq(a.din.di_nlink, 2);
	cr_assert_eq(b.din.di_nlink, 3);
	cr_assert_eq(sub.din.di_nlink, 2);
	cr_assert_eq(dotdot(&sub), b.ino);
	cr_assert_eq(ut_namei("b/sub2/f"), f.ino);
	/* Over an empty directory in another parent. */
	cr_assert_eq(ufs_mkdir(&ut_mnt, &a, N("e"), 0755, &ut_root, &e), 0);
	cr_assert_eq(a.din.di_nlink, 3);
	cr_assert_eq(ufs_rename(&ut_mnt, &b, N("sub2"), &sub, &a, N("e"), &e,
			 &ut_root),
	    0);
	cr_assert_eq(e.din.di_nlink, 0);
	cr_assert_eq(a.din.di_nlink, 3);
	cr_assert_eq(b.din.di_nlink, 2);
	cr_assert_eq(dotdot(&sub), a.ino);
	cr_assert_eq(ufs_inactive(&ut_mnt, &e), 0);
	/* Over a non-empty directory. */
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("b"), &b, &a, N("e"), &sub,
			 &ut_root),
	    ENOTEMPTY);
	/* Same parent: counts unchanged. */
	cr_assert_eq(ufs_rename(&ut_mnt, &root, N("b"), &b, &root, N("b2"),
			 NULL, &ut_root),
	    0);
	cr_assert_eq(root.din.di_nlink, n0 + 2);
	cr_assert_eq(dotdot(&b), ROOTINO);
	finish();
}

struct listing {
	int n, stop_every, calls;
	char seen[2000];
};

static int
list_fn(void *arg, const char *name, size_t len, uint32_t ino, int type,
    uint64_t next)
{
	struct listing *l = arg;
	int i;

	if (l->stop_every && l->calls++ == l->stop_every) {
		l->calls = 0;
		return (1);
	}
	if (sscanf(name, "file-number-%d", &i) == 1) {
		cr_assert(i >= 0 && i < 2000);
		cr_assert_eq(l->seen[i], 0, "entry %d twice", i);
		l->seen[i] = 1;
	}
	l->n++;
	return (0);
}

static void
count_fn(void *ctx, const char *name, uint32_t ino, int type)
{
}

Test(ufs_ops, big_directory, .init = setup, .timeout = 30)
{
	struct ufs_inode d, ip;
	struct listing l;
	char name[64];
	uint64_t cookie = 0, size;
	struct ur_fs u;
	const char *why;
	int entries;

	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("d"), 0755, &ut_root, &d), 0);
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "file-number-%d", i);
		cr_assert_eq(ufs_create(&ut_mnt, &d, N(name), IFREG | 0644, 0,
				 &ut_root, &ip),
		    0, "create %d", i);
	}
	cr_assert_gt(d.din.di_size, 3 * 16384, "more than three blocks");
	memset(&l, 0, sizeof(l));
	l.stop_every = 7;
	for (int calls = 0; calls < 1000; calls++) {
		uint64_t before = cookie;

		cr_assert_eq(ufs_readdir(&ut_mnt, &d, &cookie, list_fn, &l), 0);
		if (cookie >= d.din.di_size)
			break;
		cr_assert_gt(cookie, before, "cookie goes forward");
	}
	cr_assert_eq(l.n, 2002);
	/* Remove every other one; new names reuse the space. */
	for (int i = 0; i < 2000; i += 2) {
		snprintf(name, sizeof(name), "file-number-%d", i);
		cr_assert_eq(ufs_lookup(&ut_mnt, &d, N(name), &ip.ino), 0);
		ut_iget(ip.ino, &ip);
		cr_assert_eq(ufs_remove(&ut_mnt, &d, N(name), &ip), 0);
		cr_assert_eq(ufs_inactive(&ut_mnt, &ip), 0);
	}
	size = d.din.di_size;
	for (int i = 0; i < 2000; i += 2) {
		snprintf(name, sizeof(name), "gile-number-%d", i);
		cr_assert_eq(ufs_create(&ut_mnt, &d, N(name), IFREG | 0644, 0,
				 &ut_root, &ip),
		    0);
	}
	cr_assert_eq(d.din.di_size, size, "squeezed into the free space");
	finish();
	cr_assert_eq(ur_open(&u, "img", 0, &why), 0, "%s", why);
	entries = ur_readdir(&u, ur_lookup(&u, "d"), count_fn, NULL);
	cr_assert_eq(entries, 2002);
	ur_close(&u);
}

Test(ufs_ops, setattr_times, .init = setup, .timeout = 20)
{
	struct ufs_inode ip;
	struct ufs_setattr sa = { 0 };
	int32_t m0 = root.din.di_mtime;
	uint8_t buf[10];
	size_t done;

	ut_mkfile(&root, "f", "0123456789", 10, &ip);
	cr_assert_geq(root.din.di_mtime, m0);
	sa.valid = UFS_SA_MODE;
	sa.mode = 04755;
	cr_assert_eq(ufs_setattr(&ut_mnt, &ip, &sa, &ut_root), 0);
	cr_assert_eq(ip.din.di_mode, IFREG | 04755);
	sa.valid = UFS_SA_UID | UFS_SA_GID;
	sa.uid = 1000;
	sa.gid = 1000;
	cr_assert_eq(ufs_setattr(&ut_mnt, &ip, &sa, &ut_user), 0);
	cr_assert_eq(ip.din.di_mode, IFREG | 0755, "set-id cleared");
	cr_assert_eq(ip.din.di_uid, 1000);
	sa.valid = UFS_SA_ATIME | UFS_SA_MTIME;
	sa.atime = 1000000;
	sa.mtime = 2000000;
	sa.mtimensec = 5;
	cr_assert_eq(ufs_setattr(&ut_mnt, &ip, &sa, &ut_root), 0);
	ut_iget(ip.ino, &ip);
	cr_assert_eq(ip.din.di_atime, 1000000);
	cr_assert_eq(ip.din.di_mtime, 2000000);
	cr_assert_eq(ip.din.di_mtimensec, 5);
	cr_assert_gt(ip.din.di_ctime, 2000000);
	cr_assert_eq(ufs_read(&ut_mnt, &ip, 0, buf, 10, &done), 0);
	cr_assert_gt(ip.din.di_atime, 1000000, "read sets atime");
	cr_assert(ip.flags & UFS_IN_MODIFIED);
	cr_assert_eq(ufs_fsync(&ut_mnt, &ip), 0);
	sa.valid = UFS_SA_SIZE;
	sa.size = 3;
	cr_assert_eq(ufs_setattr(&ut_mnt, &ip, &sa, &ut_root), 0);
	cr_assert_eq(ip.din.di_size, 3);
	cr_assert_eq(ufs_setattr(&ut_mnt, &root, &sa, &ut_root), EISDIR);
	cr_assert_eq(ufs_access(&ut_mnt, &ip, &ut_user, 4 | 2), 0);
	cr_assert_eq(ufs_access(&ut_mnt, &root, &ut_user, 2), EACCES);
	finish();
}

/* A directory past its direct blocks: entries of 200-byte names. */
Test(ufs_ops, directory_indirect, .init = setup, .timeout = 30)
{
	struct ufs_inode d, ip;
	struct listing l;
	char name[256];
	uint64_t cookie = 0;
	uint32_t ino;

	cr_assert_eq(ufs_mkdir(&ut_mnt, &root, N("d"), 0755, &ut_root, &d), 0);
	memset(name, 'n', 200);
	for (int i = 0; i < 1000; i++) {
		snprintf(name + 200, sizeof(name) - 200, "%d", i);
		cr_assert_eq(ufs_create(&ut_mnt, &d, N(name), IFREG | 0644, 0,
				 &ut_root, &ip),
		    0, "create %d", i);
	}
	cr_assert_gt(d.din.di_size, (uint64_t)NDADDR * 16384);
	cr_assert_neq(d.din.di_ib[0], 0);
	memset(&l, 0, sizeof(l));
	cr_assert_eq(ufs_readdir(&ut_mnt, &d, &cookie, list_fn, &l), 0);
	cr_assert_eq(l.n, 1002);
	snprintf(name + 200, sizeof(name) - 200, "%d", 999);
	cr_assert_eq(ufs_lookup(&ut_mnt, &d, N(name), &ino), 0);
	ut_umount();
	ut_check("img", 0);
	cr_assert_eq(ut_mount("img", 0), 0);
	ut_iget(ut_namei("d"), &d);
	for (int i = 0; i < 1000; i++) {
		snprintf(name + 200, sizeof(name) - 200, "%d", i);
		cr_assert_eq(ufs_lookup(&ut_mnt, &d, N(name), &ino), 0);
		ut_iget(ino, &ip);
		cr_assert_eq(ufs_remove(&ut_mnt, &d, N(name), &ip), 0);
		cr_assert_eq(ufs_inactive(&ut_mnt, &ip), 0);
	}
	ut_iget(ROOTINO, &root);
	cr_assert_eq(ufs_rmdir(&ut_mnt, &root, N("d"), &d), 0);
	cr_assert_eq(ufs_inactive(&ut_mnt, &d), 0);
	finish();
}
