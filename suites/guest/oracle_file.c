/*
 * oracle_file.c - files, checked against the host (suites/oracle_test.c):
 * reads with lseek, pread and readv; the stat fields both kernels must
 * agree on (type, mode, owner, size and links of files); directory
 * listings (getdents64, sorted); symbolic links; access(2); the errno of
 * a list of bad calls; current directories and execve of files that are
 * not programs.
 *
 * Usage: oracle_file ROOT.  ROOT holds the fixture tree fx/ that
 * suites/oracle_test.c makes (its FIXTURE): "/" in the guest, where it is
 * the read-only cd9660 root, and natively the same tree mounted
 * read-only.  Paths are printed relative to ROOT.  What differs
 * legitimately between Linux's file systems and cd9660 (st_dev, st_ino,
 * times, directory sizes and link counts, blocks) is never printed.
 * Cases where the kernel is known to differ are marked XXX and compiled
 * only with -DORACLE_ALL.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "oracle.h"

#define VFS_NAME_LEN (NAME_MAX + 3)

static const char *root;

/* ROOT/rel, in a rotating set of buffers (several per line). */
static const char *
P(const char *rel)
{
	static char bufs[4][PATH_MAX];
	static int i;
	char *b = bufs[i++ % 4];

	snprintf(b, PATH_MAX, "%s%s%s", root,
	    root[strlen(root) - 1] == '/' ? "" : "/", rel);
	return (b);
}

/* Prints bytes with newlines and other controls escaped. */
static void
show_bytes(const char *what, const char *buf, long n)
{
	char out[512];
	int o = 0;

	for (long i = 0; i < n && o < (int)sizeof(out) - 5; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n')
			o += snprintf(out + o, sizeof(out) - o, "\\n");
		else if (c < 32 || c > 126)
			o += snprintf(out + o, sizeof(out) - o, "\\%03o", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	say("%s: %ld \"%s\"\n", what, n, out);
}

static void
reading(void)
{
	char buf[256], a[5], b[7], c[9];
	struct iovec iov[3] = { { a, 5 }, { b, 7 }, { c, 9 } };
	long n, total = 0, lines = 0, sum = 0;
	int fd;

	fd = open(P("fx/hello.txt"), O_RDONLY);
	ok("open hello.txt", fd);
	n = read(fd, buf, sizeof(buf));
	show_bytes("read", buf, n);
	num("read at end of file", read(fd, buf, sizeof(buf)));
	num("lseek SEEK_SET 7", lseek(fd, 7, SEEK_SET));
	n = read(fd, buf, 3);
	show_bytes("read 3", buf, n);
	num("lseek SEEK_CUR -4", lseek(fd, -4, SEEK_CUR));
	num("lseek SEEK_END 0", lseek(fd, 0, SEEK_END));
	num("lseek SEEK_END -6", lseek(fd, -6, SEEK_END));
	n = read(fd, buf, sizeof(buf));
	show_bytes("read the end", buf, n);
	num("lseek past the end", lseek(fd, 1000, SEEK_SET));
	num("read past the end", read(fd, buf, sizeof(buf)));
	n = pread(fd, buf, 5, 7);
	show_bytes("pread 5 at 7", buf, n);
	num("offset unchanged by pread", lseek(fd, 0, SEEK_CUR));
	num("pread past the end", pread(fd, buf, 5, 100));
	num("pread negative offset", pread(fd, buf, 5, -1));
	close(fd);

	fd = open(P("fx/numbers"), O_RDONLY);
	ok("open numbers", fd);
	while ((n = read(fd, buf, 100)) > 0) {
		total += n;
		for (long i = 0; i < n; i++) {
			lines += buf[i] == '\n';
			sum = (sum * 31 + (unsigned char)buf[i]) % 1000003;
		}
	}
	say("numbers: %ld bytes, %ld lines, hash %ld\n", total, lines, sum);
	n = pread(fd, buf, 20, 5000);
	show_bytes("pread 20 at 5000", buf, n);
	lseek(fd, 4090, SEEK_SET);
	n = read(fd, buf, 12); /* across a 2 KiB sector and a 4 KiB page */
	show_bytes("read 12 at 4090", buf, n);
	lseek(fd, 0, SEEK_SET);
	num("readv 5+7+9", readv(fd, iov, 3));
	show_bytes("readv 1", a, 5);
	show_bytes("readv 2", b, 7);
	show_bytes("readv 3", c, 9);
	num("offset after readv", lseek(fd, 0, SEEK_CUR));
	close(fd);

	fd = open(P("fx/empty"), O_RDONLY);
	num("read empty", read(fd, buf, sizeof(buf)));
	close(fd);
}

/* One stat line: type, permissions, owner; size and links of non-dirs. */
static void
show_stat(const char *what, const char *rel, int follow)
{
	struct stat sb;
	int r = follow ? stat(P(rel), &sb) : lstat(P(rel), &sb);
	char type;

	if (r != 0) {
		say("%s %s: %s\n", what, rel, ename(errno));
		return;
	}
	type = S_ISREG(sb.st_mode) ? '-' :
	    S_ISDIR(sb.st_mode)	   ? 'd' :
	    S_ISLNK(sb.st_mode)	   ? 'l' :
				     '?';
	if (type == 'd')
		say("%s %s: %c %04o uid %d gid %d\n", what, rel, type,
		    (unsigned)(sb.st_mode & 07777), (int)sb.st_uid,
		    (int)sb.st_gid);
	else
		say("%s %s: %c %04o uid %d gid %d size %lld nlink %ld\n", what,
		    rel, type, (unsigned)(sb.st_mode & 07777), (int)sb.st_uid,
		    (int)sb.st_gid, (long long)sb.st_size, (long)sb.st_nlink);
}

static void
stats(void)
{
	static const char *const names[] = { "fx/hello.txt", "fx/numbers",
		"fx/empty", "fx/script", "fx/noexec", "fx/d/a", "fx/d/b",
		"fx/d/c", "fx/d/sub/inner", "fx/link", "fx/dangling",
		"fx/dirlink", "fx/d/up", "fx/d", "fx/d/sub", "fx" };
	struct stat a, b;
	int fd;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		show_stat("stat", names[i], 1);
		show_stat("lstat", names[i], 0);
	}
	fd = open(P("fx/numbers"), O_RDONLY);
	yes("fstat is stat",
	    fstat(fd, &a) == 0 && stat(P("fx/numbers"), &b) == 0 &&
		a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
		a.st_size == b.st_size && a.st_mode == b.st_mode);
	close(fd);
	yes("a directory's .. is its parent",
	    stat(P("fx/d/sub/.."), &a) == 0 && stat(P("fx/d"), &b) == 0 &&
		a.st_ino == b.st_ino);
	yes("a link and its target are one file",
	    stat(P("fx/link"), &a) == 0 && stat(P("fx/hello.txt"), &b) == 0 &&
		a.st_ino == b.st_ino);
	num("fstatat AT_SYMLINK_NOFOLLOW",
	    fstatat(AT_FDCWD, P("fx/link"), &a, AT_SYMLINK_NOFOLLOW));
	yes("is a link", S_ISLNK(a.st_mode));
	num("fstatat AT_EMPTY_PATH",
	    (fd = open(P("fx/empty"), O_RDONLY)) < 0 ?
		-1 :
		fstatat(fd, "", &a, AT_EMPTY_PATH));
	close(fd);
}

static int
by_name(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Lists a directory with getdents64 in small reads, sorted. */
static void
listing(const char *rel, size_t bufsize)
{
	char buf[4096], *names[64], types[64][VFS_NAME_LEN];
	int fd, n = 0, calls = 0;
	long got;

	if ((fd = open(P(rel), O_RDONLY | O_DIRECTORY)) < 0) {
		say("list %s: %s\n", rel, ename(errno));
		return;
	}
	while ((got = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
		calls++;
		for (long off = 0; off < got;) {
			struct dirent *de = (struct dirent *)(buf + off);
			char t = de->d_type == DT_DIR ? 'd' :
			    de->d_type == DT_REG      ? '-' :
			    de->d_type == DT_LNK      ? 'l' :
							'?';

			if (n < 64) {
				snprintf(types[n], sizeof(types[n]), "%s %c",
				    de->d_name, t);
				names[n] = types[n];
				n++;
			}
			off += de->d_reclen;
		}
	}
	if (got < 0)
		say("getdents64 %s: %s\n", rel, ename(errno));
	num("getdents64 at the end", got);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	say("list %s (%d entries):", rel, n);
	for (int i = 0; i < n; i++)
		say(" [%s]", names[i]);
	say("\n");
	yes("more than one call with a small buffer",
	    bufsize > 1024 || calls > 1);
	/* After the end, lseek to 0 lists again. */
	lseek(fd, 0, SEEK_SET);
	got = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	yes("rewound", got > 0);
	num("buffer too small for an entry",
	    (lseek(fd, 0, SEEK_SET), syscall(SYS_getdents64, fd, buf, 8)));
	close(fd);
}

static void
links(void)
{
	char buf[256];
	long n;
	int fd;

	n = readlink(P("fx/link"), buf, sizeof(buf));
	show_bytes("readlink link", buf, n);
	n = readlink(P("fx/link"), buf, 4);
	show_bytes("readlink link, 4 bytes", buf, n);
	n = readlink(P("fx/d/up"), buf, sizeof(buf));
	show_bytes("readlink d/up", buf, n);
	n = readlink(P("fx/dangling"), buf, sizeof(buf));
	show_bytes("readlink dangling", buf, n);
	num("readlink a file", readlink(P("fx/hello.txt"), buf, sizeof(buf)));
	num("readlink a missing file", readlink(P("fx/nope"), buf, 10));
	num("readlink size 0", readlink(P("fx/link"), buf, 0));
	fd = open(P("fx/d/up"), O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	show_bytes("read through d/up", buf, n);
	close(fd);
	fd = open(P("fx/dirlink/c"), O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	show_bytes("read dirlink/c", buf, n);
	close(fd);
	num("open a dangling link", open(P("fx/dangling"), O_RDONLY));
	num("open a loop", open(P("fx/loop1"), O_RDONLY));
	num("stat a loop", stat(P("fx/loop1"), (struct stat[1]) { 0 }));
	ok("lstat a loop", lstat(P("fx/loop1"), (struct stat[1]) { 0 }));
	num("open a link O_NOFOLLOW",
	    open(P("fx/link"), O_RDONLY | O_NOFOLLOW));
	num("open through a loop", open(P("fx/loop1/x"), O_RDONLY));
}

static void
accessing(void)
{
	ok("access F_OK", access(P("fx/hello.txt"), F_OK));
	ok("access R_OK", access(P("fx/hello.txt"), R_OK));
	num("access X_OK, not executable", access(P("fx/noexec"), X_OK));
	ok("access X_OK", access(P("fx/script"), X_OK));
	ok("access X_OK on a directory", access(P("fx/d"), X_OK));
	num("access W_OK on a read-only file system",
	    access(P("fx/hello.txt"), W_OK));
	num("access a missing file", access(P("fx/nope"), F_OK));
	num("access a dangling link", access(P("fx/dangling"), F_OK));
	num("access bad mode", access(P("fx/hello.txt"), 0x100));
	ok("faccessat relative", faccessat(AT_FDCWD, P("fx/d/a"), R_OK, 0));
}

static void
errors(void)
{
	char buf[64], *name, *path;
	struct iovec iov[1] = { { buf, sizeof(buf) } };
	int fd, dfd;

	num("open missing", open(P("fx/nope"), O_RDONLY));
	num("open missing directory", open(P("fx/nodir/x"), O_RDONLY));
	num("open through a file", open(P("fx/hello.txt/x"), O_RDONLY));
	num("open a directory O_WRONLY", open(P("fx/d"), O_WRONLY));
	num("open a directory O_RDWR", open(P("fx/d"), O_RDWR));
	num("open a file O_DIRECTORY",
	    open(P("fx/hello.txt"), O_RDONLY | O_DIRECTORY));
	num("open a file with a slash", open(P("fx/hello.txt/"), O_RDONLY));
	num("open bad pointer", open((char *)8, O_RDONLY));
	num("open empty path", open("", O_RDONLY));
	num("open a file O_WRONLY", open(P("fx/hello.txt"), O_WRONLY));
	num("open a file O_RDWR", open(P("fx/hello.txt"), O_RDWR));
	num("create a file", open(P("fx/new"), O_WRONLY | O_CREAT, 0644));
	num("create an existing file O_EXCL",
	    open(P("fx/hello.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644));
	dfd = open(P("fx/d"), O_RDONLY);
	num("read a directory", read(dfd, buf, sizeof(buf)));
	num("write a directory", write(dfd, buf, 1));
	fd = open(P("fx/hello.txt"), O_RDONLY);
	num("write a read-only descriptor", write(fd, "x", 1));
	num("read into a bad pointer", read(fd, (void *)8, 10));
	/* cppcheck-suppress invalidFunctionArg ; the error is the test */
	num("lseek bad whence", lseek(fd, 0, 99));
	num("lseek before the start", lseek(fd, -1, SEEK_SET));
	num("getdents64 of a file", syscall(SYS_getdents64, fd, buf, 64));
	num("openat relative to a file", openat(fd, "x", O_RDONLY));
	ok("openat relative to a directory", openat(dfd, "a", O_RDONLY));
	num("openat bad descriptor", openat(99, "a", O_RDONLY));
	ok("openat absolute ignores the descriptor",
	    openat(99, P("fx/d/a"), O_RDONLY));
	num("pread a directory", pread(dfd, buf, 1, 0));
	num("readv no vectors", readv(fd, iov, 0));
	num("readv too many vectors", readv(fd, iov, 1025));
	num("readv bad vector pointer", readv(fd, (struct iovec *)8, 1));
	num("writev a read-only descriptor", writev(fd, iov, 1));
	num("stat empty path", stat("", (struct stat[1]) { 0 }));
	num("getdents64 bad descriptor", syscall(SYS_getdents64, 99, buf, 64));
	ok("access W_OK /dev/null", access("/dev/null", W_OK));
	close(fd);
	close(dfd);
	num("read bad descriptor", read(99, buf, 1));
	/* cppcheck-suppress invalidFunctionArg ; the error is the test */
	num("read -1", read(-1, buf, 1));
	num("close bad descriptor", close(99));
	num("fstat bad descriptor", fstat(99, (struct stat[1]) { 0 }));
	num("dup bad descriptor", dup(99));
	/* cppcheck-suppress invalidFunctionArg ; the error is the test */
	num("dup2 to -1", dup2(0, -1));
	num("fcntl bad descriptor", fcntl(99, F_GETFD));
	num("fcntl bad command", fcntl(0, 9999));
	num("chdir to a file", chdir(P("fx/hello.txt")));
	num("chdir missing", chdir(P("fx/nope")));
	/* A name of 300 bytes, a path of 5000. */
	name = malloc(6000);
	path = malloc(6000);
	memset(name, 'n', 300);
	name[300] = '\0';
	snprintf(path, 6000, "%s", P("fx/"));
	strcat(path, name);
	num("a name too long", open(path, O_RDONLY));
	num("stat a name too long", stat(path, (struct stat[1]) { 0 }));
	path[0] = '\0';
	for (int i = 0; i < 1400; i++)
		strcat(path, i == 0 ? P("fx/d") : "/..");
	num("a path too long", open(path, O_RDONLY));
	free(name);
	free(path);
	/* On a read-only root: EROFS, or the lookup's error first. */
	num("mkdir", mkdir(P("fx/newdir"), 0755));
	num("mkdir existing", mkdir(P("fx/d"), 0755));
	num("rmdir", rmdir(P("fx/d/sub")));
	num("unlink", unlink(P("fx/hello.txt")));
	num("rename", rename(P("fx/hello.txt"), P("fx/bye")));
	num("symlink", symlink("x", P("fx/newlink")));
	num("chmod", chmod(P("fx/hello.txt"), 0600));
	num("truncate", truncate(P("fx/hello.txt"), 0));
	num("unlink missing", unlink(P("fx/nope")));
}

/* The current directory, printed relative to ROOT. */
static void
show_cwd(const char *what)
{
	char buf[PATH_MAX];
	size_t n = strlen(root);

	if (getcwd(buf, sizeof(buf)) == NULL) {
		say("%s: %s\n", what, ename(errno));
		return;
	}
	if (root[n - 1] == '/')
		n--;
	if (strncmp(buf, root, n) == 0 && (buf[n] == '/' || buf[n] == '\0'))
		say("%s: ROOT%s\n", what, buf + n);
	else
		say("%s: outside ROOT\n", what);
}

static void
directories(void)
{
	char buf[16];
	int fd;
	long n;

	ok("chdir fx/d", chdir(P("fx/d")));
	show_cwd("getcwd");
	fd = open("b", O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	show_bytes("read b, relative", buf, n);
	close(fd);
	ok("chdir sub", chdir("sub"));
	show_cwd("getcwd");
	ok("chdir ../..", chdir("../.."));
	show_cwd("getcwd");
	ok("chdir dirlink", chdir("dirlink"));
	show_cwd("getcwd through a link");
	ok("access ./a", access("./a", R_OK));
	fd = open(P("fx"), O_RDONLY | O_DIRECTORY);
	ok("fchdir", syscall(SYS_fchdir, fd));
	show_cwd("getcwd after fchdir");
	close(fd);
	num("getcwd into 2 bytes", getcwd(buf, 2) == NULL ? -1 : 0);
	chdir("/");
}

static void
execs(void)
{
	static const char *const files[] = { "fx/script", "fx/noexec",
		"fx/empty", "fx/d", "fx/nope", "fx/link", "fx/loop1" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *args[] = { (char *)P(files[i]), NULL };
		char *env[] = { NULL };
		char what[64];

		snprintf(what, sizeof(what), "execve %s", files[i]);
		num(what, execve(args[0], args, env));
	}
}

static void
descriptors(void)
{
	char a[8], b[8];
	struct pollfd p;
	int fd, d;

	fd = open(P("fx/numbers"), O_RDONLY | O_CLOEXEC);
	num("F_GETFD with O_CLOEXEC", fcntl(fd, F_GETFD));
	say("F_GETFL: %#x\n",
	    fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_APPEND));
	d = dup(fd);
	num("F_GETFD of a dup", fcntl(d, F_GETFD));
	read(fd, a, 4);
	read(d, b, 4);
	show_bytes("read", a, 4);
	show_bytes("read from the dup goes on", b, 4);
	num("offset", lseek(fd, 0, SEEK_CUR));
	close(d);
	d = open(P("fx/numbers"), O_RDONLY);
	read(d, b, 4);
	show_bytes("a second open has its own offset", b, 4);
	close(d);
	num("F_DUPFD from 10", fcntl(fd, F_DUPFD, 10));
	num("F_DUPFD_CLOEXEC from 20", (d = fcntl(fd, F_DUPFD_CLOEXEC, 20)));
	num("its F_GETFD", fcntl(d, F_GETFD));
	num("dup2 onto itself", dup2(fd, fd));
	num("dup3 onto itself", syscall(SYS_dup3, fd, fd, 0));
	num("F_SETFL O_NONBLOCK", fcntl(fd, F_SETFL, O_NONBLOCK));
	say("F_GETFL: %#x\n",
	    fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_APPEND));
	p = (struct pollfd) { fd, POLLIN | POLLOUT, 0 };
	num("poll a file", poll(&p, 1, 0));
	say("revents: %#x\n", p.revents);
	close(fd);
}

/* The devices both sides have in /dev (devfs in the guest). */
static void
devices(void)
{
	char buf[16];
	struct stat sb;
	int fd;

	fd = open("/dev/null", O_RDWR);
	ok("open /dev/null", fd);
	num("read /dev/null", read(fd, buf, sizeof(buf)));
	num("write /dev/null", write(fd, "discarded", 9));
	num("lseek /dev/null", lseek(fd, 10, SEEK_SET));
	num("fstat", fstat(fd, &sb));
	yes("a character device", S_ISCHR(sb.st_mode));
	say("mode: %04o\n", (unsigned)(sb.st_mode & 07777));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	num("read /dev/zero", read(fd, buf, sizeof(buf)));
	yes("zeroes", buf[0] == 0 && buf[15] == 0);
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	num("read /dev/urandom", read(fd, buf, sizeof(buf)));
	close(fd);
	num("open /dev/nonexistent", open("/dev/nonexistent", O_RDONLY));
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: oracle_file ROOT\n");
		return (64);
	}
	root = argv[1];
	oracle_begin("oracle_file");
	reading();
	stats();
	listing("fx", 4096);
	listing("fx/d", 4096);
	listing("fx/d", 64);
	links();
	accessing();
	errors();
	directories();
	execs();
	descriptors();
	devices();
	return (oracle_end());
}
