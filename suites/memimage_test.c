/*
 * memimage_test.c - the memory image (-i, VKERNEL_DIR/memimg.NNNNNN) and
 * the pidfile (-p): how images are named, created, skipped when held,
 * refused when in use; the pidfile written, refused when another kernel
 * holds it, and never left behind, even by a SIGTERM early in startup.
 *
 * Plain runs of the kernel (vkh_proc: standard output and error apart,
 * standard input a pipe kept open), with VKERNEL_DIR a fresh directory.
 * A kernel that sets up successfully boots and keeps running; the test
 * stops it with SIGTERM and expects a clean exit 0.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "harness/vkh.h"
#include "suites/kproc.h"

#define READY_TIMEOUT 10

static void
setup(void)
{
	kproc_setup("memimage");
}

static void
teardown(void)
{
	kproc_teardown();
}

TestSuite(memimage, .init = setup, .fini = teardown, .timeout = 60);


Test(memimage, memory_size_needed_for_a_new_image)
{
	const char *img = test_file("mem.img");
	char want[700];

	RUN("-i", img);
	assert_exit(EX_USAGE);
	snprintf(want, sizeof(want),
	    "Cannot create new memory file %s unless "
	    "system memory size is specified with -m",
	    img);
	assert_err_has(want);
	cr_assert_eq(count_entries(files), 0);
}

Test(memimage, memory_image_in_use)
{
	const char *img = test_file("mem.img");
	int fd;

	fd = open(img, O_RDWR | O_CREAT, 0644);
	cr_assert_eq(ftruncate(fd, 64 << 20), 0);
	cr_assert_eq(flock(fd, LOCK_EX), 0);
	RUN("-i", img);
	assert_exit(EX_TEMPFAIL);
	assert_err_has("already in use");
	assert_err_has(img);
	close(fd);
}

Test(memimage, pidfile_held_by_another_process)
{
	const char *pidfile = test_file("kernel.pid");
	char want[700], buf[64] = "";
	struct stat before, after;
	int fd, ready[2];
	pid_t holder;

	fd = open(pidfile, O_WRONLY | O_CREAT, 0644);
	cr_assert_eq(write(fd, "31337\n", 6), 6);
	close(fd);
	cr_assert_eq(stat(pidfile, &before), 0);
	cr_assert_eq(pipe(ready), 0);
	if ((holder = fork()) == 0) {
		int hfd = open(pidfile, O_RDONLY);

		if (flock(hfd, LOCK_EX) != 0)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	cr_assert_eq(read(ready[0], buf, 1), 1);
	RUN("-m", "64m", "-p", pidfile);
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	assert_exit(EX_TEMPFAIL);
	snprintf(want, sizeof(want),
	    "kernel: Failed to lock pidfile %s, vkernel already running\n",
	    pidfile);
	assert_err_has(want);
	fd = open(pidfile, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	cr_assert_eq(read(fd, buf, sizeof(buf)), 6);
	close(fd);
	cr_assert_str_eq(buf, "31337\n");
	cr_assert_eq(stat(pidfile, &after), 0);
	cr_assert_eq(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	cr_assert_eq(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	cr_assert_eq(count_entries(vkdir), 0, "memory image left behind");
}

/* Waits until the pidfile holds the kernel's pid and it has printed its
 * banner, i.e. setup is done and the kernel is running. */
static void
wait_running(const char *pidfile)
{
	char want[32], buf[64];
	ssize_t n;
	int fd, ms;

	snprintf(want, sizeof(want), "%ld\n", (long)run.pid);
	for (ms = 0; ms < READY_TIMEOUT * 1000; ms += 10) {
		vkh_proc_read(&run);
		cr_assert(waitpid(run.pid, &run.status, WNOHANG) == 0,
		    "the kernel exited early (status %#x):\n%s%s", run.status,
		    run.out, run.err);
		buf[0] = '\0';
		if ((fd = open(pidfile, O_RDONLY)) >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			buf[n > 0 ? n : 0] = '\0';
			close(fd);
		}
		if (strcmp(buf, want) == 0 && strstr(run.out, "Vireo") != NULL)
			return;
		usleep(10 * 1000);
	}
	cr_assert_fail("the kernel did not come up:\n%s%s", run.out, run.err);
}

/* Stops a running kernel with SIGTERM: it must exit 0 in time. */
static void
terminate(void)
{
	cr_assert_eq(kill(run.pid, SIGTERM), 0);
	cr_assert(vkh_proc_wait(&run, KPROC_EXIT_TIMEOUT),
	    "SIGTERM did not stop the kernel");
	assert_exit(0);
}

Test(memimage, boots_with_the_first_memory_image)
{
	const char *pidfile = test_file("kernel.pid");
	const char *args[] = { "-m", "64m", "-p", pidfile, NULL };
	char want[700];
	struct stat st;

	spawn_kernel(args);
	wait_running(pidfile);
	snprintf(want, sizeof(want), "Using memory file: %s/memimg.000000\n",
	    vkdir);
	assert_err_has(want);
	snprintf(want, sizeof(want), "%s/memimg.000000", vkdir);
	cr_assert_eq(stat(want, &st), 0);
	cr_assert_eq(st.st_size, 64 << 20);
	terminate();
	cr_assert_eq(access(pidfile, F_OK), -1, "pidfile left behind");
	/* The memory image stays for the next boot. */
	cr_assert_eq(access(want, F_OK), 0);
}

Test(memimage, memory_image_naming_skips_a_locked_image)
{
	const char *pidfile = test_file("kernel.pid");
	const char *args[] = { "-m", "64m", "-p", pidfile, NULL };
	char first[700], want[700];
	struct stat st;
	int fd;

	snprintf(first, sizeof(first), "%s/memimg.000000", vkdir);
	fd = open(first, O_RDWR | O_CREAT, 0644);
	cr_assert_eq(ftruncate(fd, 128 << 20), 0);
	cr_assert_eq(flock(fd, LOCK_EX), 0);
	spawn_kernel(args);
	wait_running(pidfile);
	snprintf(want, sizeof(want), "Using memory file: %s/memimg.000001\n",
	    vkdir);
	assert_err_has(want);
	cr_assert_eq(stat(first, &st), 0);
	cr_assert_eq(st.st_size, 128 << 20, "the held image was changed");
	terminate();
	close(fd);
}

Test(memimage, second_kernel_on_a_running_pidfile)
{
	const char *pidfile = test_file("kernel.pid");
	const char *args[] = { "-m", "64m", "-p", pidfile, NULL };
	char buf[64], want[64], dir2[700];
	struct vkh_proc first;
	int fd;

	spawn_kernel(args);
	wait_running(pidfile);
	first = run;
	run.pid = 0;
	run.stdin_fd = -1;
	run.out = run.err = NULL;
	/* The second kernel's output goes elsewhere than the first's. */
	snprintf(dir2, sizeof(dir2), "%s/second", outdir);
	cr_assert_eq(mkdir(dir2, 0755), 0);
	{
		char *argv[] = { getenv("VK_KERNEL"), "-m", "64m", "-p",
			(char *)pidfile, NULL };
		char *env[] = { vkenv, NULL };

		cr_assert_eq(vkh_proc_start(&run, dir2, argv, env), 0);
		cr_assert(vkh_proc_wait(&run, KPROC_EXIT_TIMEOUT),
		    "the kernel did not exit");
	}
	assert_exit(EX_TEMPFAIL);
	assert_err_has("vkernel already running");
	/* The first kernel's pidfile is intact and it alone ran on. */
	snprintf(want, sizeof(want), "%ld\n", (long)first.pid);
	fd = open(pidfile, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	cr_assert_gt(read(fd, buf, sizeof(buf) - 1), 0);
	close(fd);
	cr_assert_str_eq(buf, want);
	/* Only its memory image exists: the second one's was removed. */
	cr_assert_eq(count_entries(vkdir), 1);
	vkh_proc_end(&run);
	run = first;
	terminate();
}

Test(memimage, early_sigterm_leaves_no_pidfile)
{
	const char *pidfile = test_file("kernel.pid");
	const char *args[] = { "-m", "64m", "-p", pidfile, NULL };
	long delay_us;

	/*
	 * A SIGTERM at any moment of startup either kills the kernel before
	 * it has made anything, or is held until the kernel can shut down
	 * cleanly: the pidfile never outlives the process.
	 */
	for (delay_us = 0; delay_us <= 5000; delay_us += 50) {
		struct timespec ts = { 0, delay_us * 1000 };

		spawn_kernel(args);
		nanosleep(&ts, NULL);
		cr_assert_eq(kill(run.pid, SIGTERM), 0);
		cr_assert(vkh_proc_wait(&run, KPROC_EXIT_TIMEOUT),
		    "SIGTERM did not stop the kernel");
		cr_assert(WIFEXITED(run.status) ?
			WEXITSTATUS(run.status) == 0 :
			WTERMSIG(run.status) == SIGTERM,
		    "status %#x after %ld us:\n%s", run.status, delay_us,
		    run.err);
		cr_assert_eq(access(pidfile, F_OK), -1,
		    "pidfile left behind after a SIGTERM at %ld us", delay_us);
	}
}
