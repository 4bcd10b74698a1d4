/*
 * cd9660_test.c - unit tests of cd9660 against images that xorriso(1)
 * makes at test time from a tree written here: every name, type, mode,
 * owner, mtime, size, device number, symlink target and byte of data the
 * library returns is compared with the host's tree.  Rock Ridge images
 * with and without deep directory relocation, plain ISO 9660 and Joliet
 * (read through its primary descriptor).  Runs as root (mknod, chown).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runtime/vfs/cd9660/cd9660.h"
#include "runtime/vfs/cd9660/tests/cd9660_mkimg.h"

#define BIG_SIZE (3 * 1024 * 1024 + 123)
#define NMANY	 300
#define DEPTH	 12

static char top[64], tree[128], iso[128];
static struct mkimg_mem mem;
static struct cd9660_mount mnt;

static void
path_of(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	cr_assert(n > 0 && (size_t)n < size);
}

static void
put_file(const char *name, size_t size, unsigned int seed, mode_t mode)
{
	char path[512];
	unsigned char *b = malloc(size + 1);
	uint32_t x = seed * 2654435761u + 1;
	size_t i;
	int fd;

	cr_assert_not_null(b);
	for (i = 0; i < size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	path_of(path, sizeof(path), "%s/%s", tree, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(write(fd, b, size), (ssize_t)size);
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
	free(b);
}

static void
put_dir(const char *name, mode_t mode)
{
	char path[512];

	path_of(path, sizeof(path), "%s/%s", tree, name);
	cr_assert_eq(mkdir(path, mode), 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(chmod(path, mode), 0);
}

static void
put_link(const char *name, const char *target)
{
	char path[512];

	path_of(path, sizeof(path), "%s/%s", tree, name);
	cr_assert_eq(symlink(target, path), 0);
}

static void
set_times(const char *name, time_t atime, time_t mtime)
{
	struct timespec ts[2] = { { atime, 0 }, { mtime, 0 } };
	char path[512];

	path_of(path, sizeof(path), "%s/%s", tree, name);
	cr_assert_eq(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

/* The Rock Ridge test tree. */
static void
make_tree(void)
{
	char name[300], target[600];
	int i;

	put_file("empty", 0, 1, 0644);
	put_file("one", 1, 2, 0644);
	put_file("b2048", 2048, 3, 0600);
	put_file("b2049", 2049, 4, 0755);
	put_file("big", BIG_SIZE, 5, 0444);
	put_file("setuid", 10, 6, 04755);
	put_file("nomode", 10, 7, 0);
	memset(name, 'L', 240);
	strcpy(name + 240, ".long");
	put_file(name, 100, 8, 0644);
	put_file("owned", 5, 9, 0640);
	path_of(target, sizeof(target), "%s/owned", tree);
	cr_assert_eq(chown(target, 1234, 5678), 0);
	set_times("owned", 1000000000, 1234567890);

	put_link("ln_short", "one");
	put_link("ln_abs", "/usr/bin/env");
	put_link("ln_rel", "../up/there");
	put_link("ln_dots", "./a/../b/.");
	for (i = 0; i < 30; i++)
		memcpy(target + 20 * i, "component_number_xx/", 20);
	strcpy(target + 600 - 20, "last");
	put_link("ln_long", target);
	memset(target, 'c', 250);
	target[250] = '\0';
	put_link("ln_longcomp", target);
	path_of(target, sizeof(target), "%s/ln_short", tree);
	cr_assert_eq(lchown(target, 42, 43), 0);

	path_of(target, sizeof(target), "%s/fifo", tree);
	cr_assert_eq(mkfifo(target, 0620), 0);
	path_of(target, sizeof(target), "%s/null", tree);
	cr_assert_eq(mknod(target, S_IFCHR | 0666, makedev(1, 3)), 0);

	put_dir("d_0700", 0700);
	put_file("d_0700/inside", 3, 10, 0644);
	strcpy(name, "deep");
	put_dir(name, 0755);
	for (i = 1; i <= DEPTH; i++) {
		snprintf(name + strlen(name), sizeof(name) - strlen(name),
		    "/d%d", i);
		put_dir(name, 0750 + (i % 8));
	}
	strcat(name, "/bottom");
	put_file(name, 5000, 11, 0644);
	put_dir("many", 0755);
	for (i = 0; i < NMANY; i++) {
		snprintf(name, sizeof(name), "many/file_with_a_long_name_%03d",
		    i);
		put_file(name, (size_t)i, 100 + (unsigned int)i, 0644);
	}
}

/* The plain ISO 9660 tree: names that ISO level 1 maps. */
static void
make_plain_tree(void)
{
	put_file("README.TXT", 10, 1, 0600);
	put_file("noext", 1, 2, 0644);
	put_file("Mixed.Case", 2049, 3, 0644);
	put_dir("sub", 0700);
	put_file("sub/inner.c", 3, 4, 0644);
	set_times("sub/inner.c", 1000000000, 1234567890);
}

/* Builds the tree with make, the image with xorriso options, mounts it. */
static void
build(void (*make)(void), const char *options)
{
	char cmd[1024];
	struct stat st;
	FILE *f;
	uint8_t *img;

	strcpy(top, "/tmp/cd9660_test.XXXXXX");
	cr_assert_not_null(mkdtemp(top));
	path_of(tree, sizeof(tree), "%s/tree", top);
	path_of(iso, sizeof(iso), "%s/img.iso", top);
	cr_assert_eq(mkdir(tree, 0755), 0);
	make();
	path_of(cmd, sizeof(cmd),
	    "xorriso -as mkisofs -quiet %s -o %s %s >%s/log 2>&1", options, iso,
	    tree, top);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
	cr_assert_eq(stat(iso, &st), 0);
	img = malloc((size_t)st.st_size);
	cr_assert_not_null(img);
	f = fopen(iso, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(img, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	mem.p = img;
	mem.len = (size_t)st.st_size;
	cr_assert_eq(cd9660_mount(mkimg_read, &mem, mem.len, &mnt), 0);
}

static void
cleanup(void)
{
	char cmd[256];

	free((void *)mem.p);
	mem.p = NULL;
	if (top[0] != '\0') {
		path_of(cmd, sizeof(cmd), "rm -rf %s", top);
		(void)system(cmd);
	}
}

struct entry {
	char name[CD9660_NAME_MAX + 1];
	uint64_t id, cookie, next;
	enum cd9660_type type;
};

struct entries {
	struct entry e[NMANY + 8];
	int n, max; /* max: stop after this many in one call */
	int taken;
	uint64_t at; /* the cookie the call started from */
};

static int
collect(void *arg, const char *name, size_t len, uint64_t id,
    enum cd9660_type type, uint64_t next)
{
	struct entries *l = arg;
	struct entry *e;

	if (l->taken == l->max)
		return (1);
	cr_assert_lt(l->n, NMANY + 8);
	cr_assert_leq(len, CD9660_NAME_MAX);
	e = &l->e[l->n++];
	memcpy(e->name, name, len);
	e->name[len] = '\0';
	e->id = id;
	e->type = type;
	e->next = next;
	l->taken++;
	return (0);
}

/* Lists dir max entries per call (0: all in one), resuming by cookie. */
static void
list_dir(const struct cd9660_node *dir, struct entries *l, int max)
{
	uint64_t cookie = 0, before;
	int calls = 0;

	memset(l, 0, sizeof(*l));
	l->max = max > 0 ? max : NMANY + 8;
	do {
		before = cookie;
		l->taken = 0;
		cr_assert_eq(cd9660_readdir(&mnt, dir, &cookie, collect, l), 0);
		cr_assert(cookie > before ||
			(l->taken == 0 && cookie == before),
		    "cookie went from %ju to %ju", (uintmax_t)before,
		    (uintmax_t)cookie);
		cr_assert_lt(++calls, 1000);
	} while (l->taken > 0 && cookie < dir->attr.size);
	cr_assert_eq(cookie, dir->attr.size);
}

static enum cd9660_type
host_type(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFDIR:
		return (CD9660_DIR);
	case S_IFLNK:
		return (CD9660_LNK);
	case S_IFCHR:
		return (CD9660_CHR);
	case S_IFBLK:
		return (CD9660_BLK);
	case S_IFIFO:
		return (CD9660_FIFO);
	case S_IFSOCK:
		return (CD9660_SOCK);
	default:
		return (CD9660_REG);
	}
}

/* Compares file n's data with the host file path, in uneven chunks. */
static void
check_data(const struct cd9660_node *n, const char *path, off_t size)
{
	static uint8_t want[BIG_SIZE + 1], got[BIG_SIZE + 1];
	size_t off = 0, done, chunk = 1;
	FILE *f = fopen(path, "rb");

	cr_assert_not_null(f);
	cr_assert_leq(size, BIG_SIZE);
	cr_assert_eq(fread(want, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	while (off < (size_t)size) {
		cr_assert_eq(cd9660_read(&mnt, n, off, got + off, chunk, &done),
		    0);
		cr_assert_eq(done, chunk < size - off ? chunk : size - off);
		off += done;
		chunk = chunk * 3 + 7;
	}
	cr_assert_eq(cd9660_read(&mnt, n, off, got, 10, &done), 0);
	cr_assert_eq(done, 0, "read at the end");
	cr_assert_eq(memcmp(want, got, (size_t)size), 0, "%s differs", path);
}

/* Checks entry e of a directory against the host's path; returns a node. */
static void
check_entry(const struct entry *e, const char *path, struct cd9660_node *n)
{
	char want[1024], got[CD9660_PATH_MAX + 1];
	struct stat st;
	struct cd9660_attr a;
	ssize_t wl;
	size_t gl;

	cr_assert_eq(lstat(path, &st), 0, "%s is not on the host", path);
	cr_assert_eq(cd9660_getnode(&mnt, e->id, n), 0, "%s", path);
	cr_assert_eq(n->id, e->id);
	cr_assert_eq(cd9660_getattr(&mnt, n, &a), 0);
	cr_assert_eq(a.type, host_type(st.st_mode), "%s", path);
	cr_assert_eq(e->type, a.type, "%s", path);
	cr_assert_eq(a.ino, e->id);
	cr_assert_eq(a.mode, st.st_mode, "%s: %o, host %o", path, a.mode,
	    st.st_mode);
	cr_assert_eq(a.uid, st.st_uid, "%s", path);
	cr_assert_eq(a.gid, st.st_gid, "%s", path);
	cr_assert_eq(a.mtime.sec, st.st_mtim.tv_sec, "%s", path);
	if (S_ISREG(st.st_mode)) {
		cr_assert_eq(a.size, (uint64_t)st.st_size, "%s", path);
		cr_assert_eq(a.nlink, 1);
		check_data(n, path, st.st_size);
	} else if (S_ISLNK(st.st_mode)) {
		wl = readlink(path, want, sizeof(want));
		cr_assert(wl > 0);
		cr_assert_eq(a.size, (uint64_t)wl, "%s", path);
		cr_assert_eq(cd9660_readlink(&mnt, n, got, sizeof(got), &gl),
		    0);
		cr_assert_eq(gl, (size_t)wl);
		cr_assert_eq(memcmp(got, want, gl), 0, "%s: %s", path, got);
	} else if (S_ISCHR(st.st_mode)) {
		cr_assert_eq(a.rdev, st.st_rdev, "%s", path);
	}
}

/*
 * Walks directory dir (the host's path) comparing everything; returns the
 * number of entries.
 */
static int
check_tree(const struct cd9660_node *dir, uint64_t parent, const char *host,
    int depth)
{
	struct entries *l = malloc(sizeof(*l));
	struct cd9660_node n, m;
	char path[1024];
	int i, count = 0, hostcount = 0;
	DIR *d;
	struct dirent *de;

	cr_assert_not_null(l);
	cr_assert_lt(depth, 32);
	list_dir(dir, l, 0);
	cr_assert_geq(l->n, 2);
	cr_assert_str_eq(l->e[0].name, ".");
	cr_assert_eq(l->e[0].id, dir->id);
	cr_assert_str_eq(l->e[1].name, "..");
	cr_assert_eq(l->e[1].id, parent, "%s/..", host);
	cr_assert_eq(cd9660_lookup(&mnt, dir, "..", 2, &m), 0);
	cr_assert_eq(m.id, parent);
	for (i = 2; i < l->n; i++) {
		path_of(path, sizeof(path), "%s/%s", host, l->e[i].name);
		check_entry(&l->e[i], path, &n);
		cr_assert_eq(cd9660_lookup(&mnt, dir, l->e[i].name,
				 strlen(l->e[i].name), &m),
		    0);
		cr_assert_eq(m.id, n.id);
		if (n.attr.type == CD9660_DIR)
			count += check_tree(&n, dir->id, path, depth + 1);
		count++;
	}
	d = opendir(host);
	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL)
		hostcount += strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0;
	closedir(d);
	cr_assert_eq(l->n - 2, hostcount, "%s", host);
	free(l);
	return (count);
}

TestSuite(cd9660_xorriso, .fini = cleanup, .timeout = 120);

Test(cd9660_xorriso, rock_ridge_tree_matches_the_host)
{
	struct cd9660_node root;

	build(make_tree, "-R");
	cr_assert_eq(mnt.rr, 1);
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(check_tree(&root, root.id, tree, 0),
	    21 + NMANY + DEPTH + 1);
}

Test(cd9660_xorriso, relocated_deep_directories_match_the_host)
{
	struct cd9660_node root, moved, n;
	char path[256];
	int i;

	build(make_tree, "-R -rr_reloc_dir rr_moved");
	cr_assert_not_null(memmem(mem.p, mem.len, "RR_MOVED", 8),
	    "xorriso did not relocate");
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(check_tree(&root, root.id, tree, 0),
	    21 + NMANY + DEPTH + 1);
	/* xorriso marks rr_moved itself RE: hidden, as in BSD and Linux. */
	cr_assert_eq(cd9660_lookup(&mnt, &root, "rr_moved", 8, &moved), ENOENT);
	/* The path through the relocation. */
	cr_assert_eq(cd9660_lookup(&mnt, &root, "deep", 4, &n), 0);
	for (i = 1; i <= DEPTH; i++) {
		snprintf(path, sizeof(path), "d%d", i);
		moved = n;
		cr_assert_eq(cd9660_lookup(&mnt, &moved, path, strlen(path),
				 &n),
		    0, "%s", path);
		cr_assert_eq(n.attr.mode, 040750 + (i % 8));
	}
}

Test(cd9660_xorriso, readdir_resumes_from_its_cookies)
{
	struct cd9660_node root, many;
	struct entries *all = malloc(sizeof(*all));
	struct entries *part = malloc(sizeof(*part));
	uint64_t cookie;
	int i, step;

	cr_assert_not_null(all);
	cr_assert_not_null(part);
	build(make_tree, "-R");
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "many", 4, &many), 0);
	cr_assert_gt(many.attr.size, 4 * CD9660_BLOCK_SIZE);
	list_dir(&many, all, 0);
	cr_assert_eq(all->n, NMANY + 2);
	for (step = 1; step <= 13; step += 4) {
		list_dir(&many, part, step);
		cr_assert_eq(part->n, all->n);
		for (i = 0; i < all->n; i++) {
			cr_assert_str_eq(part->e[i].name, all->e[i].name);
			cr_assert_eq(part->e[i].id, all->e[i].id);
		}
	}
	/*
	 * Starting from an entry's next cookie lists the entry after it;
	 * stopping leaves the cookie at the entry refused.
	 */
	for (i = 0; i + 2 < all->n; i += 37) {
		cookie = all->e[i].next;
		memset(part, 0, sizeof(*part));
		part->max = 1;
		cr_assert_eq(cd9660_readdir(&mnt, &many, &cookie, collect,
				 part),
		    0);
		cr_assert_eq(part->n, 1);
		cr_assert_str_eq(part->e[0].name, all->e[i + 1].name);
		cr_assert_geq(cookie, all->e[i + 1].next);
		part->taken = 0;
		cr_assert_eq(cd9660_readdir(&mnt, &many, &cookie, collect,
				 part),
		    0);
		cr_assert_str_eq(part->e[1].name, all->e[i + 2].name);
	}
	free(all);
	free(part);
}

/* Checks the plain names, BSD's default attributes and record dates. */
static void
check_plain(void)
{
	static const char *const names[] = { ".", "..", "mixed.cas", "noext",
		"readme.txt", "sub" };
	struct cd9660_node root, n, sub;
	struct entries *l = malloc(sizeof(*l));
	char path[512];
	struct stat st;
	int i;

	cr_assert_eq(mnt.rr, 0);
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(root.attr.mode, 040555);
	list_dir(&root, l, 0);
	cr_assert_eq(l->n, 6);
	for (i = 0; i < 6; i++)
		cr_assert_str_eq(l->e[i].name, names[i]);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "README.txt", 10, &n), 0);
	cr_assert_eq(n.attr.mode, 0100555);
	cr_assert_eq(n.attr.uid, 0);
	cr_assert_eq(n.attr.nlink, 1);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "mixed.cas", 9, &n), 0);
	path_of(path, sizeof(path), "%s/Mixed.Case", tree);
	check_data(&n, path, 2049);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "sub", 3, &sub), 0);
	cr_assert_eq(sub.attr.mode, 040555);
	cr_assert_eq(cd9660_lookup(&mnt, &sub, "inner.c", 7, &n), 0);
	cr_assert_eq(n.attr.mtime.sec, 1234567890);
	cr_assert_eq(n.attr.atime.sec, 1234567890, "the record's date");
	path_of(path, sizeof(path), "%s/sub", tree);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(sub.attr.mtime.sec, st.st_mtim.tv_sec);
	cr_assert_eq(cd9660_lookup(&mnt, &sub, "..", 2, &n), 0);
	cr_assert_eq(n.id, root.id);
	free(l);
}

Test(cd9660_xorriso, plain_iso9660_names_and_defaults)
{
	build(make_plain_tree, "--norock");
	check_plain();
}

Test(cd9660_xorriso, joliet_image_read_through_its_primary_descriptor)
{
	build(make_plain_tree, "--norock -J");
	check_plain();
}

Test(cd9660_xorriso, reads_at_any_offset)
{
	struct cd9660_node root, n;
	static uint8_t buf[8192], want[8192];
	char path[512];
	size_t done;
	FILE *f;

	build(make_tree, "-R");
	cr_assert_eq(cd9660_root(&mnt, &root), 0);
	cr_assert_eq(cd9660_lookup(&mnt, &root, "b2049", 5, &n), 0);
	path_of(path, sizeof(path), "%s/b2049", tree);
	f = fopen(path, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(want, 1, 2049, f), 2049);
	fclose(f);
	cr_assert_eq(cd9660_read(&mnt, &n, 2047, buf, 10, &done), 0);
	cr_assert_eq(done, 2);
	cr_assert_eq(memcmp(buf, want + 2047, 2), 0);
	cr_assert_eq(cd9660_read(&mnt, &n, 2049, buf, 10, &done), 0);
	cr_assert_eq(done, 0);
	cr_assert_eq(cd9660_read(&mnt, &n, UINT64_MAX, buf, 10, &done), 0);
	cr_assert_eq(done, 0);
	cr_assert_eq(cd9660_read(&mnt, &n, 0, buf, sizeof(buf), &done), 0);
	cr_assert_eq(done, 2049);
	cr_assert_eq(memcmp(buf, want, 2049), 0);
}
