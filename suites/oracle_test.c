/*
 * oracle_test.c - the host as the oracle for system calls: each program
 * of suites/guest/oracle_*.c (static musl) runs natively and then in the
 * guest (busybox sh as init on a cd9660 root, the program run between
 * the engine's markers), and the two outputs must be the same, line by
 * line.  A difference is a kernel bug or a missing feature; the failure
 * names the first line that differs on both sides.
 *
 * The programs take the root of a fixture tree as their argument: "/" in
 * the guest, where the tree is the image's root, and natively the same
 * tree, the one the image was made from, bind-mounted read-only onto
 * itself in a mount namespace of the program's own so that writes fail
 * with EROFS on both sides.  They print paths relative to it.
 *
 * A comparison cannot pass vacuously: both sides must exit 0, print the
 * program's "begin" line first and its "done" line last, and print at
 * least a minimum number of lines.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/vkh.h"
#include "suites/guest_iso.h"

#define MAX_OUT	 (256 * 1024)
#define RUN_TIME 10 /* seconds a program may take on either side */

static char dir[] = "/tmp/vk-oracle.XXXXXX";
static char iso[300];

/*
 * The fixture tree (under fx/ of the image's root): files of known
 * content and modes, a directory with entries and a subdirectory,
 * symbolic links (to a file, a directory, nowhere, and a loop) and files
 * that are not programs.
 */
#define FIXTURE                                                        \
	"mkdir -p $r/fx/d/sub; "                                       \
	"printf 'hello, oracle\\n' >$r/fx/hello.txt; "                 \
	"seq 1 2000 >$r/fx/numbers; : >$r/fx/empty; "                  \
	"echo a >$r/fx/d/a; echo bb >$r/fx/d/b; echo ccc >$r/fx/d/c; " \
	"echo inner >$r/fx/d/sub/inner; "                              \
	"printf 'echo not a program\\n' >$r/fx/script; "               \
	"cp $r/fx/hello.txt $r/fx/noexec; "                            \
	"chmod -R u=rwX,go=rX $r/fx; chmod 755 $r/fx/script; "         \
	"chmod 600 $r/fx/d/b; chmod 444 $r/fx/d/c; "                   \
	"ln -s hello.txt $r/fx/link; ln -s nothere $r/fx/dangling; "   \
	"ln -s loop2 $r/fx/loop1; ln -s loop1 $r/fx/loop2; "           \
	"ln -s d $r/fx/dirlink; ln -s ../d/sub/inner $r/fx/d/up"

static void
setup(void)
{
	if (access("/bin/busybox", X_OK) != 0)
		cr_skip_test("no /bin/busybox (Debian busybox-static)");
	guest_iso(dir,
	    "mkdir -p $r/bin; cp $b $r/bin/busybox; ln -s busybox $r/bin/sh; "
	    "cp $g/oracle_* $r/sbin/; " FIXTURE,
	    "oracle.iso", iso, sizeof(iso));
}

static void
teardown(void)
{
	vkh_test_end();
	guest_iso_remove(dir);
}

TestSuite(oracle, .init = setup, .fini = teardown, .timeout = 60);

/* The directory of the guest programs: ../guest-tests beside us. */
static void
guest_tests(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	cr_assert(n > 0 && (size_t)n + 16 < size);
	buf[n] = '\0';
	strcpy(strrchr(buf, '/'), "/../guest-tests");
}

/*
 * In the native child: a mount namespace of its own in which root is
 * read-only, as the guest's cd9660 root is.  Returns 0 or an errno.
 */
static int
readonly_root(const char *root)
{
	if (unshare(CLONE_NEWNS) != 0)
		return (errno);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount(root, root, NULL, MS_BIND | MS_REC, NULL) != 0 ||
	    mount(NULL, root, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) !=
		0)
		return (errno);
	return (0);
}

/*
 * Runs prog natively with the fixture root as its argument; returns its
 * output (to free) and its wait status in *status.  Standard input is
 * /dev/null; standard error is discarded.
 */
static char *
run_native(const char *prog, const char *root, int *status)
{
	char *out = calloc(1, MAX_OUT + 1);
	size_t len = 0;
	int fds[2];
	pid_t pid;
	time_t end = time(NULL) + RUN_TIME;

	cr_assert_not_null(out);
	cr_assert_eq(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_RDWR);
		int error = readonly_root(root);

		if (error != 0) {
			dprintf(fds[1], "read-only fixture: %s\n",
			    strerror(error));
			_exit(70);
		}
		dup2(null, 0);
		dup2(fds[1], 1);
		dup2(null, 2);
		execl(prog, prog, root, (char *)NULL);
		_exit(127);
	}
	cr_assert_gt(pid, 0);
	close(fds[1]);
	/* Until end of file: the program and every child it left. */
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		ssize_t n;

		if (time(NULL) > end || poll(&p, 1, 1000) < 0)
			break;
		if (p.revents == 0)
			continue;
		if ((n = read(fds[0], out + len, MAX_OUT - len)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fds[0]);
	if (time(NULL) > end)
		kill(pid, SIGKILL);
	cr_assert_eq(waitpid(pid, status, 0), pid);
	out[len] = '\0';
	return (out);
}

/*
 * A kernel message on the console, not the program's output: the kernel
 * names each process a fault kills ("pid 15 (oracle_signal): signal 11
 * at 0x10 rip 0x4015b0"), as Linux logs segfaults in dmesg.
 */
static bool
kernel_message(const char *line)
{
	int pid, end = 0;

	return (sscanf(line, "pid %d (%*[^)]): signal %*d at %*s rip %*s%n",
		    &pid, &end) == 1 &&
	    end > 0 && line[end] == '\0');
}

/*
 * Splits text into lines in place, leaving out kernel messages when
 * console is set; returns how many (at most max).
 */
static int
split_lines(char *text, char **lines, int max, bool console)
{
	int n = 0;
	char *s = text, *nl;

	while (*s != '\0' && n < max) {
		if ((nl = strchr(s, '\n')) != NULL)
			*nl = '\0';
		if (!console || !kernel_message(s))
			lines[n++] = s;
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return (n);
}

/*
 * Checks one side's output: first line "NAME: begin", last "NAME: done",
 * at least min lines.
 */
static void
check_side(const char *side, const char *name, char **lines, int n, int min)
{
	char begin[64], done[64];

	snprintf(begin, sizeof(begin), "%s: begin", name);
	snprintf(done, sizeof(done), "%s: done", name);
	cr_assert_geq(n, min, "%s: %d lines, at least %d expected (last: %s)",
	    side, n, min, n > 0 ? lines[n - 1] : "none");
	cr_assert_str_eq(lines[0], begin, "%s: first line", side);
	cr_assert_str_eq(lines[n - 1], done, "%s: last line", side);
}

/*
 * The test of one program: native run, guest run, line-by-line
 * comparison.  min is the fewest lines a complete run prints.
 */
static void
oracle(const char *name, int min)
{
	static char *host[4096], *guest[4096];
	char gt[256], prog[400], root[400], cmd[128];
	char *hout, *gout;
	int hst, gst, nh, ng;
	struct vkh_guest *g;

	guest_tests(gt, sizeof(gt));
	snprintf(prog, sizeof(prog), "%s/%s", gt, name);
	snprintf(root, sizeof(root), "%s/root", dir);
	hout = run_native(prog, root, &hst);
	cr_assert(WIFEXITED(hst) && WEXITSTATUS(hst) == 0,
	    "native %s: wait status %#x, output:\n%s", name, hst, hout);

	g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "suites/busybox.profile",
	    .images = { iso } });
	snprintf(cmd, sizeof(cmd), "/sbin/%s /", name);
	gout = vkh_test_run(g, cmd, RUN_TIME, &gst);
	cr_assert_eq(gst, 0, "guest %s: exit status %d, output:\n%s", name, gst,
	    gout);

	nh = split_lines(hout, host, 4096, false);
	ng = split_lines(gout, guest, 4096, true);
	check_side("host", name, host, nh, min);
	check_side("guest", name, guest, ng, min);
	for (int i = 0; i < nh && i < ng; i++)
		cr_assert_str_eq(guest[i], host[i],
		    "line %d differs:\n  host:  %s\n  guest: %s", i + 1,
		    host[i], guest[i]);
	cr_assert_eq(ng, nh,
	    "host printed %d lines, guest %d; the first extra: %s", nh, ng,
	    nh > ng ? host[ng] : guest[nh]);
	free(hout);
	free(gout);
	vkh_test_shutdown(g);
}

Test(oracle, processes)
{
	oracle("oracle_proc", 45);
}

Test(oracle, pipes)
{
	oracle("oracle_pipe", 60);
}

Test(oracle, signals)
{
	oracle("oracle_signal", 60);
}

Test(oracle, memory)
{
	oracle("oracle_mem", 50);
}

Test(oracle, files)
{
	oracle("oracle_file", 190);
}

/* Threads (clone with CLONE_VM, since 320c4a8) and futexes. */
Test(oracle, threads)
{
	oracle("oracle_thread", 20);
}
