/*
 * ktap_files.c - a guest-side test program for the file system calls, on
 * the cd9660 root that suites/ktap_test.c builds: /etc/motd holds
 * "vireo motd\n", /bin/motdlink -> ../etc/motd, /d holds a, b and c.
 * Prints KTAP, then waits on the console.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int n;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static int
read_motd(void)
{
	char buf[64];
	int fd = open("/etc/motd", O_RDONLY);
	ssize_t r;

	if (fd < 0)
		return (0);
	r = read(fd, buf, sizeof(buf));
	close(fd);
	return (r == 11 && memcmp(buf, "vireo motd\n", 11) == 0);
}

static int
seek_and_pread(void)
{
	char c = 0, d = 0;
	int fd = open("/etc/motd", O_RDONLY), ok;

	if (fd < 0)
		return (0);
	ok = lseek(fd, 6, SEEK_SET) == 6 && read(fd, &c, 1) == 1 && c == 'm' &&
	    pread(fd, &d, 1, 0) == 1 && d == 'v' &&
	    lseek(fd, 0, SEEK_CUR) == 7 && lseek(fd, -1, SEEK_END) == 10 &&
	    lseek(fd, -100, SEEK_SET) == -1 && errno == EINVAL;
	close(fd);
	return (ok);
}

static int
stats(void)
{
	struct stat st, lst;

	return (stat("/etc/motd", &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == 11 && stat("/bin/motdlink", &lst) == 0 &&
	    lst.st_ino == st.st_ino && lstat("/bin/motdlink", &lst) == 0 &&
	    S_ISLNK(lst.st_mode) && stat("/d", &st) == 0 &&
	    S_ISDIR(st.st_mode) && stat("/dev/null", &st) == 0 &&
	    S_ISCHR(st.st_mode));
}

static int
link_target(void)
{
	char buf[64];
	ssize_t r = readlink("/bin/motdlink", buf, sizeof(buf));

	return (r == 11 && memcmp(buf, "../etc/motd", 11) == 0 &&
	    readlink("/etc/motd", buf, sizeof(buf)) == -1 && errno == EINVAL);
}

static int
list_dir(void)
{
	DIR *d = opendir("/d");
	struct dirent *e;
	int seen = 0;

	if (d == NULL)
		return (0);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, "a") == 0 && e->d_type == DT_REG)
			seen |= 1;
		else if (strcmp(e->d_name, "b") == 0)
			seen |= 2;
		else if (strcmp(e->d_name, "c") == 0)
			seen |= 4;
		else if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			seen |= 8;
	}
	closedir(d);
	return (seen == 7);
}

static int
at_calls(void)
{
	int dfd = open("/d", O_RDONLY | O_DIRECTORY), fd, ok;
	struct stat st;

	if (dfd < 0)
		return (0);
	fd = openat(dfd, "b", O_RDONLY);
	ok = fd >= 0 && fstatat(dfd, "c", &st, 0) == 0 && S_ISREG(st.st_mode);
	if (fd >= 0)
		close(fd);
	close(dfd);
	return (ok);
}

static int
cwd(void)
{
	char buf[64];
	int fd;

	if (chdir("/d") != 0 || getcwd(buf, sizeof(buf)) == NULL ||
	    strcmp(buf, "/d") != 0)
		return (0);
	fd = open("a", O_RDONLY);
	if (fd < 0)
		return (0);
	close(fd);
	return (chdir("../etc/..") == 0 && getcwd(buf, sizeof(buf)) != NULL &&
	    strcmp(buf, "/") == 0 && chdir("/etc/motd") == -1 &&
	    errno == ENOTDIR);
}

static int
errors(void)
{
	return (open("/nope", O_RDONLY) == -1 && errno == ENOENT &&
	    open("/etc/motd", O_RDONLY | O_DIRECTORY) == -1 &&
	    errno == ENOTDIR && open("/etc/motd", O_WRONLY) == -1 &&
	    errno == EROFS &&
	    open("/etc/new", O_CREAT | O_WRONLY, 0644) == -1 &&
	    errno == EROFS && open("/d", O_WRONLY) == -1 && errno == EISDIR &&
	    access("/etc/motd", R_OK) == 0 && access("/nope", F_OK) == -1 &&
	    errno == ENOENT && access("/etc/motd", X_OK) == -1);
}

static int
descriptors(void)
{
	int fd = open("/etc/motd", O_RDONLY), d1, d2, ok;
	char c;

	if (fd < 0)
		return (0);
	d1 = dup(fd);
	d2 = fcntl(fd, F_DUPFD_CLOEXEC, 20);
	ok = d1 > fd && d2 >= 20 && fcntl(d2, F_GETFD) == FD_CLOEXEC &&
	    fcntl(d1, F_GETFD) == 0 && dup2(fd, 30) == 30 &&
	    read(30, &c, 1) == 1 && c == 'v' && lseek(d1, 0, SEEK_CUR) == 1 &&
	    dup3(fd, fd, 0) == -1 && errno == EINVAL &&
	    (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY;
	close(d1);
	close(d2);
	close(30);
	close(fd);
	return (ok && read(30, &c, 1) == -1 && errno == EBADF);
}

static int
devices(void)
{
	int fd = open("/dev/null", O_RDWR), z, ok;
	char buf[8] = "xxxxxxx";

	if (fd < 0)
		return (0);
	z = open("/dev/zero", O_RDONLY);
	ok = write(fd, "gone", 4) == 4 && read(fd, buf, 4) == 0 && z >= 0 &&
	    read(z, buf, 4) == 4 && buf[0] == 0 && buf[3] == 0;
	close(fd);
	close(z);
	return (ok);
}

int
main(void)
{
	char c;

	printf("KTAP version 1\n1..11\n");
	result(read_motd(), "open_read_close");
	result(seek_and_pread(), "lseek_pread");
	result(stats(), "stat_lstat_follow_links");
	result(link_target(), "readlink");
	result(list_dir(), "getdents64");
	result(at_calls(), "openat_fstatat");
	result(cwd(), "chdir_getcwd");
	result(errors(), "errors");
	result(descriptors(), "dup_dup2_fcntl");
	result(devices(), "dev_null_zero");
	result(umask(027) == 022 && umask(022) == 027, "umask");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
