/*
 * ktap_perms.c - a guest-side test program for file permissions with the
 * process credentials, on a writable UFS root (suites/disks_test.c runs
 * it as root from the shell, installed by make installworld): it builds
 * /permtest as root, then a child that became uid 1000 (gid 1000, no
 * other groups) tries reads, writes, creates, execs, chdir, chmod,
 * chown, truncate, access and a removal in a sticky directory, each
 * checked against BSD's rules.  Prints KTAP and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define T	"/permtest"
#define USER	1000
#define NCASES	12

static int
mkfile(const char *path, mode_t mode, uid_t uid)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, "data\n", 5) != 5 || close(fd) != 0 ||
	    chmod(path, mode) != 0 || chown(path, uid, uid) != 0)
		return (-1);
	return (0);
}

static int
setup(void)
{
	umask(0);
	if (mkdir(T, 0755) != 0 || mkdir(T "/private", 0700) != 0 ||
	    mkdir(T "/mine", 0755) != 0 || chown(T "/mine", USER, USER) != 0 ||
	    mkdir(T "/sticky", 01777) != 0)
		return (-1);
	return (mkfile(T "/secret", 0600, 0) | mkfile(T "/public", 0644, 0) |
	    mkfile(T "/private/inner", 0644, 0) |
	    mkfile(T "/noexec", 0644, 0) | mkfile(T "/rootonly", 0700, 0) |
	    mkfile(T "/sticky/roots", 0666, 0));
}

/* errno of a call that must fail with want, or -1 if it succeeded. */
static int
fails(int r, int want)
{
	return (r == -1 && errno == want);
}

/* The cases, as uid 1000; returns a bit per failed case. */
static unsigned
as_user(void)
{
	char *argv[] = { T "/noexec", NULL }, *envp[] = { NULL };
	unsigned bad = 0;
	struct stat st;
	char buf[8];
	int fd;

	if (fails(open(T "/secret", O_RDONLY), EACCES) == 0)
		bad |= 1 << 0;
	fd = open(T "/public", O_RDONLY);
	if (fd < 0 || read(fd, buf, 5) != 5 ||
	    !fails(open(T "/public", O_WRONLY), EACCES))
		bad |= 1 << 1;
	if (!fails(open(T "/new", O_WRONLY | O_CREAT, 0644), EACCES) ||
	    !fails(mkdir(T "/newdir", 0755), EACCES))
		bad |= 1 << 2;
	if (close(open(T "/mine/f", O_WRONLY | O_CREAT, 0644)) != 0 ||
	    stat(T "/mine/f", &st) != 0 || st.st_uid != USER ||
	    st.st_gid != USER)
		bad |= 1 << 3;
	if (!fails(chmod(T "/public", 0666), EPERM) ||
	    chmod(T "/mine/f", 0600) != 0)
		bad |= 1 << 4;
	if (!fails(chown(T "/mine/f", 0, USER), EPERM))
		bad |= 1 << 5;
	if (!fails(execve(argv[0], argv, envp), EACCES) ||
	    !fails(execve(T "/rootonly", argv, envp), EACCES))
		bad |= 1 << 6;
	if (!fails(chdir(T "/private"), EACCES) || chdir(T "/mine") != 0)
		bad |= 1 << 7;
	if (!fails(unlink(T "/sticky/roots"), EPERM) ||
	    !fails(truncate(T "/public", 0), EACCES))
		bad |= 1 << 8;
	if (!fails(access(T "/secret", R_OK), EACCES) ||
	    access(T "/public", R_OK) != 0 ||
	    !fails(access(T "/public", W_OK), EACCES))
		bad |= 1 << 9;
	/* Halting is the superuser's (Linux's magic numbers, HALT). */
	if (!fails((int)syscall(SYS_reboot, 0xfee1dead, 672274793, 0xcdef0123,
		       NULL),
		EPERM))
		bad |= 1 << 10;
	/* A readable file inside a directory the user may not search. */
	if (!fails(open(T "/private/inner", O_RDONLY), EACCES) ||
	    !fails(stat(T "/private/inner", &st), EACCES))
		bad |= 1 << 11;
	return (bad);
}

int
main(void)
{
	static const char *const names[NCASES] = { "read_refused",
		"read_allowed_write_refused", "create_in_root_dir_refused",
		"create_in_own_dir_owned_by_creator",
		"chmod_only_by_owner", "chown_only_by_root",
		"exec_needs_x_for_the_user", "chdir_needs_search",
		"sticky_dir_and_truncate", "access_real_ids",
		"reboot_refused", "search_permission_on_the_way" };
	unsigned bad = ~0U;
	int status = 0, p[2], i;
	pid_t pid;

	printf("KTAP version 1\n1..%d\n", NCASES + 1);
	printf("%sok 1 setup_as_root\n", setup() == 0 ? "" : "not ");
	fflush(stdout);
	if (pipe(p) != 0)
		return (1);
	pid = fork();
	if (pid == 0) {
		gid_t none[1] = { 0 };

		close(p[0]);
		if (setgroups(0, none) == 0 && setgid(USER) == 0 &&
		    setuid(USER) == 0)
			bad = as_user();
		_exit(write(p[1], &bad, sizeof(bad)) == sizeof(bad) ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &bad, sizeof(bad)) != sizeof(bad))
		bad = ~0U;
	waitpid(pid, &status, 0);
	for (i = 0; i < NCASES; i++)
		printf("%sok %d %s\n", (bad >> i) & 1 ? "not " : "", i + 2,
		    names[i]);
	return (0);
}
