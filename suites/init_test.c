/*
 * init_test.c - booting a cd9660 root to process 1: the kernel mounts
 * cd9660:vcd0 from a Rock Ridge image made with xorriso, mounts devfs on
 * /dev, opens /dev/console as descriptors 0-2 and executes the first
 * init_path entry that runs; init exiting is a panic.
 *
 * The console is a pipe here (the kernel works with pipes as with a
 * terminal); debug.debugger_on_panic=0 makes the final panic exit 33.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites/guest_iso.h"

static char dir[] = "/tmp/vk-init.XXXXXX";
static char iso[300];

static void
setup(void)
{
	/* A kernel that exits early must not kill the test by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	guest_iso(dir,
	    "mkdir -p $r/bin; cp $g/hello_init $r/sbin/init; "
	    "cp $g/hello_init $r/bin/other",
	    "world.iso", iso, sizeof(iso));
}

static void
teardown(void)
{
	guest_iso_remove(dir);
}

TestSuite(init, .init = setup, .fini = teardown, .timeout = 60);

/*
 * Boots with extra arguments, typing input on the console; returns the
 * exit status and the console output in out.
 */
static int
boot(const char *const *extra, const char *input, char *out, size_t size)
{
	const char *argv[24] = { "kernel", "-m", "64m", "-c", iso, "-e",
		"debug.debugger_on_panic=0" };
	int in[2], op[2], status, n = 7;
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	while (*extra != NULL)
		argv[n++] = *extra++;
	argv[n] = NULL;
	cr_assert(pipe(in) == 0 && pipe(op) == 0);
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(op[1], 1);
		dup2(op[1], 2);
		close(in[1]);
		close(op[0]);
		setenv("VKERNEL_DIR", dir, 1);
		execv(getenv("VK_KERNEL"), (char **)argv);
		_exit(127);
	}
	close(in[0]);
	close(op[1]);
	if (input != NULL)
		cr_assert_eq(write(in[1], input, strlen(input)),
		    (ssize_t)strlen(input));
	while (len < size - 1 &&
	    (r = read(op[0], out + len, size - 1 - len)) > 0)
		len += (size_t)r;
	out[len] = '\0';
	close(op[0]);
	close(in[1]);
	waitpid(pid, &status, 0);
	return (status);
}

Test(init, cd9660_root_runs_sbin_init_on_the_console)
{
	static char out[65536];
	const char *extra[] = { NULL };
	int status;

	status = boot(extra, "hello there\r", out, sizeof(out));
	cr_assert_not_null(strstr(out, "Mounting root from cd9660:vcd0"), "%s",
	    out);
	cr_assert_null(strstr(out, "Root mount failed"), "%s", out);
	cr_assert_not_null(strstr(out,
			       "hello_init: pid 1 sysname Vireo args "
			       "[/sbin/init]\r\n"),
	    "%s", out);
	/* The line went through the console's line discipline: CR became
	 * NL and the program read exactly that line; output NLs became
	 * CR NL (ONLCR), as on any terminal. */
	cr_assert_not_null(strstr(out, "hello_init: read 12: hello there\r\n"),
	    "%s", out);
	cr_assert_not_null(strstr(out, "panic: init died (signal 0, exit 7)"),
	    "%s", out);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 33, "status %#x",
	    status);
}

Test(init, init_path_is_honoured_and_single_user_passes_s)
{
	static char out[65536];
	const char *extra[] = { "-s", "-e", "init_path=\"/nope:/bin/other\"",
		NULL };

	boot(extra, "x\r", out, sizeof(out));
	cr_assert_not_null(strstr(out, "init: /nope: error 2"), "%s", out);
	cr_assert_not_null(strstr(out, "args [/bin/other] [-s]\r\n"), "%s",
	    out);
}

Test(init, no_init_is_a_panic)
{
	static char out[65536];
	const char *extra[] = { "-e", "init_path=/nope", NULL };
	int status;

	status = boot(extra, NULL, out, sizeof(out));
	cr_assert_not_null(strstr(out, "panic: no init found in /nope"), "%s",
	    out);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 33);
}

Test(init, sigterm_still_halts_with_init_running)
{
	static char out[65536];
	const char *argv[] = { "kernel", "-m", "64m", "-c", iso, NULL };
	int op[2], in[2], status;
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	cr_assert(pipe(in) == 0 && pipe(op) == 0);
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(op[1], 1);
		dup2(op[1], 2);
		close(op[0]);
		close(in[1]);
		setenv("VKERNEL_DIR", dir, 1);
		execv(getenv("VK_KERNEL"), (char **)argv);
		_exit(127);
	}
	close(in[0]);
	close(op[1]);
	/* Wait until init asks for its line, then stop the kernel. */
	while (len < sizeof(out) - 1 &&
	    (r = read(op[0], out + len, sizeof(out) - 1 - len)) > 0) {
		len += (size_t)r;
		out[len] = '\0';
		if (strstr(out, "type a line") != NULL)
			break;
	}
	kill(pid, SIGTERM);
	while ((r = read(op[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)r;
	out[len] = '\0';
	waitpid(pid, &status, 0);
	close(in[1]);
	close(op[0]);
	cr_assert_not_null(strstr(out, "The operating system has halted."),
	    "%s", out);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
