/*
 * cmdline_test.c - the kernel's command line and host setup, tested on
 * the built binary ($VK_KERNEL).
 *
 * Each test spawns the kernel with posix_spawn(3), its stdout and stderr
 * captured in files and its stdin a pipe the test keeps open, with
 * VKERNEL_DIR set to a fresh scratch directory.  Refused command lines
 * must exit with their sysexits(3) code, name what was wrong, print the
 * usage line (for usage errors) and create no file.  A kernel that sets up
 * successfully goes on to boot and keeps running; the test stops it with
 * SIGTERM and expects a clean exit 0 with the pidfile removed.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define USAGE                                                             \
	"usage: kernel [-hsUv] [-c file] [-e name=value:name=value:...] " \
	"[-i file]\n"                                                     \
	"\t[-I interface[:address1[:address2]][/netmask]] [-l cpulock]\n" \
	"\t[-m size] [-n numcpus] [-p file] [-r file]\n"
#define OUTPUT_MAX	 65536
#define EXIT_TIMEOUT_MS	 10000
#define READY_TIMEOUT_MS 10000

static const char *kernel;			/* $VK_KERNEL */
static char vkdir[] = "/tmp/vk-cmdline.XXXXXX"; /* $VKERNEL_DIR */
static char outdir[] = "/tmp/vk-cmdline-out.XXXXXX";
static char files[] = "/tmp/vk-cmdline-files.XXXXXX";

/* One kernel process. */
struct run {
	pid_t pid;    /* 0 once reaped */
	int status;   /* its wait status */
	int stdin_fd; /* our end of its standard input */
	char out[OUTPUT_MAX], err[OUTPUT_MAX];
};

static struct run run;

static void
remove_tree(const char *dir)
{
	struct dirent *de;
	char path[4096];
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) != 0)
			remove_tree(path);
	}
	closedir(d);
	rmdir(dir);
}

static int
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	cr_assert_not_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return (n);
}

static void
setup(void)
{
	kernel = getenv("VK_KERNEL");
	cr_assert(kernel != NULL && *kernel == '/',
	    "set VK_KERNEL to the absolute path of the kernel");
	cr_assert_eq(access(kernel, X_OK), 0, "%s: %s", kernel,
	    strerror(errno));
	cr_assert_not_null(mkdtemp(vkdir));
	cr_assert_not_null(mkdtemp(outdir));
	cr_assert_not_null(mkdtemp(files));
	cr_assert_eq(setenv("VKERNEL_DIR", vkdir, 1), 0);
	memset(&run, 0, sizeof(run));
	run.stdin_fd = -1;
}

static void
teardown(void)
{
	if (run.pid > 0) {
		kill(run.pid, SIGKILL);
		waitpid(run.pid, NULL, 0);
	}
	if (run.stdin_fd >= 0)
		close(run.stdin_fd);
	remove_tree(vkdir);
	remove_tree(outdir);
	remove_tree(files);
}

TestSuite(cmdline, .init = setup, .fini = teardown, .timeout = 60);

/* A path in the directory of test files (not VKERNEL_DIR). */
static const char *
test_file(const char *name)
{
	static char pool[16][4096];
	static int used;

	cr_assert_lt(used, 16, "out of path buffers");
	snprintf(pool[used], sizeof(pool[used]), "%s/%s", files, name);
	return (pool[used++]);
}

static void
capture_path(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", outdir, name);
}

/* Starts the kernel with args (NULL-terminated, without argv[0]). */
static void
spawn_kernel(const char *const *args)
{
	posix_spawn_file_actions_t fa;
	char outpath[4200], errpath[4200];
	char *argv[64];
	int in[2], i, error;

	argv[0] = (char *)kernel;
	for (i = 0; args[i] != NULL; i++) {
		cr_assert_lt(i, 62);
		argv[i + 1] = (char *)args[i];
	}
	argv[i + 1] = NULL;
	if (run.stdin_fd >= 0)
		close(run.stdin_fd);
	capture_path(outpath, sizeof(outpath), "stdout");
	capture_path(errpath, sizeof(errpath), "stderr");
	cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, outpath,
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, errpath,
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	error = posix_spawn(&run.pid, kernel, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	cr_assert_eq(error, 0, "posix_spawn %s: %s", kernel, strerror(error));
	run.stdin_fd = in[1];
}

static void
read_capture(const char *name, char *buf)
{
	char path[4200];
	ssize_t n;
	int fd;

	capture_path(path, sizeof(path), name);
	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return;
	n = read(fd, buf, OUTPUT_MAX - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
}

static void
read_output(void)
{
	read_capture("stdout", run.out);
	read_capture("stderr", run.err);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Reaps the kernel within ms milliseconds; false if it is still running. */
static bool
wait_exit(long ms)
{
	pid_t pid;

	for (; ms >= 0; ms -= 10) {
		pid = waitpid(run.pid, &run.status, WNOHANG);
		cr_assert_geq(pid, 0, "waitpid: %s", strerror(errno));
		if (pid == run.pid) {
			run.pid = 0;
			read_output();
			return (true);
		}
		sleep_ms(10);
	}
	return (false);
}

/* Runs the kernel with args to its end; asserts it ends in time. */
static void
run_kernel(const char *const *args)
{
	spawn_kernel(args);
	cr_assert(wait_exit(EXIT_TIMEOUT_MS), "the kernel did not exit");
}

#define RUN(...)                                             \
	do {                                                 \
		const char *args_[] = { __VA_ARGS__, NULL }; \
		run_kernel(args_);                           \
	} while (0)

static void
assert_exit(int code)
{
	cr_assert(WIFEXITED(run.status), "not a normal exit: status %#x",
	    run.status);
	cr_assert_eq(WEXITSTATUS(run.status), code,
	    "exit %d, want %d; stderr:\n%s", WEXITSTATUS(run.status), code,
	    run.err);
}

static void
assert_err_has(const char *what)
{
	cr_assert_not_null(strstr(run.err, what), "stderr lacks \"%s\":\n%s",
	    what, run.err);
}

/* A refused command line: 64, the message, the usage, no file at all. */
static void
assert_usage_error(const char *what)
{
	size_t len = strlen(run.err), ulen = strlen(USAGE);

	assert_exit(EX_USAGE);
	assert_err_has(what);
	cr_assert(len >= ulen && strcmp(run.err + len - ulen, USAGE) == 0,
	    "stderr does not end with the usage line:\n%s", run.err);
	cr_assert_str_eq(run.out, "");
	cr_assert_eq(count_entries(vkdir), 0, "a file was created");
}

Test(cmdline, no_arguments)
{
	const char *none[] = { NULL };

	run_kernel(none);
	assert_usage_error("kernel: no options given\n");
}

Test(cmdline, every_bad_option_is_named)
{
	static const struct {
		const char *args[4];
		const char *what;
	} cases[] = {
		{ { "-x" }, "unknown option -x" },
		{ { "-m" }, "option -m needs an argument" },
		{ { "-r" }, "option -r needs an argument" },
		{ { "-m", "64m", "stray" }, "unexpected argument 'stray'" },
		{ { "-m", "65m" },
		    "-m 65m: Bad maxmem specification: 64MB "
		    "minimum, multiples of 2MB only" },
		{ { "-m", "12q" }, "-m 12q: Bad maxmem option" },
		{ { "-m", "-64m" }, "-m -64m: Bad maxmem option" },
		{ { "-m", "99999999999g" }, "-m 99999999999g: Bad maxmem" },
		{ { "-n", "32" }, "-n 32: Bad ncpus, valid range is 1-31" },
		{ { "-n", "0" }, "-n 0: Bad ncpus, valid range is 1-31" },
		{ { "-l", "99999" },
		    "-l 99999: Bad target CPU, valid range is 0-" },
		{ { "-l", "sometimes" }, "-l sometimes: Bad cpulock" },
		{ { "-e", "novalue" }, "entry 'novalue' has no '='" },
		{ { "-e", "a=\"open" }, "unterminated \" quote" },
		{ { "-I", "auto:10.0.0.1/32" }, "Invalid netmask len: 32" },
		{ { "-I", "auto:10.0.0.999" }, "Bad address1 '10.0.0.999'" },
		{ { "-I", "auto=01:00:00:00:00:01" }, "multicast" },
		{ { "-r", "" }, "-r '': empty file name" },
		{ { "-i", "" }, "-i '': empty file name" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_kernel(cases[i].args);
		assert_usage_error(cases[i].what);
	}
}

Test(cmdline, bad_option_touches_no_file)
{
	const char *pidfile = test_file("kernel.pid");
	const char *root = test_file("root.img");
	char buf[32] = "";
	int fd;

	fd = open(pidfile, O_WRONLY | O_CREAT, 0644);
	cr_assert_eq(write(fd, "77\n", 3), 3);
	close(fd);
	RUN("-p", pidfile, "-r", root, "-m", "64m", "-n", "99");
	assert_usage_error("-n 99: Bad ncpus");
	fd = open(pidfile, O_RDONLY);
	cr_assert_eq(read(fd, buf, sizeof(buf)), 3);
	close(fd);
	cr_assert_str_eq(buf, "77\n");
	cr_assert_eq(access(root, F_OK), -1);
}

Test(cmdline, too_many_disks)
{
	const char *args[40];
	char names[17][8];
	int i;

	for (i = 0; i < 17; i++) {
		snprintf(names[i], sizeof(names[i]), "d%d", i);
		args[2 * i] = "-c";
		args[2 * i + 1] = names[i];
	}
	args[34] = NULL;
	run_kernel(args);
	assert_usage_error("-c d16: too many disk images, at most 16");
}

Test(cmdline, help)
{
	static const char *const opts[] = { "-c file", "-e name=value", "-h ",
		"-i file", "-I interface", "-l cpulock", "-m size",
		"-n numcpus", "-p file", "-r file", "-s ", "-U ", "-v " };
	char want[32];
	size_t i;

	RUN("-h");
	assert_exit(0);
	cr_assert_str_eq(run.err, "");
	cr_assert_eq(strncmp(run.out, USAGE, strlen(USAGE)), 0, "%s", run.out);
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		snprintf(want, sizeof(want), "\n  %s", opts[i]);
		cr_assert_not_null(strstr(run.out, want), "help lacks %s:\n%s",
		    opts[i], run.out);
	}
	cr_assert_eq(count_entries(vkdir), 0);
}

Test(cmdline, network_device_is_not_built_yet)
{
	RUN("-m", "64m", "-I", "auto:10.0.0.1:10.0.0.2/24", "-p",
	    test_file("kernel.pid"));
	assert_exit(EX_UNAVAILABLE);
	assert_err_has("kernel: -I auto: the vke network device is not "
		       "built into this kernel yet\n");
	cr_assert_eq(count_entries(vkdir), 0);
	cr_assert_eq(count_entries(files), 0);
	/* A bad option anywhere still wins. */
	RUN("-I", "auto", "-m", "1k");
	assert_usage_error("-m 1k: Bad maxmem");
}

Test(cmdline, missing_disk_image)
{
	const char *root = test_file("root.img");
	char want[4200];

	RUN("-m", "64m", "-r", root);
	assert_exit(EX_NOINPUT);
	snprintf(want, sizeof(want), "Cannot open disk image %s (vkd0)", root);
	assert_err_has(want);
	cr_assert_eq(count_entries(vkdir), 0);
}

Test(cmdline, disk_image_in_use)
{
	const char *root = test_file("root.img");
	char want[4200];
	int fd;

	fd = open(root, O_RDWR | O_CREAT, 0644);
	cr_assert_eq(ftruncate(fd, 1 << 20), 0);
	cr_assert_eq(flock(fd, LOCK_EX), 0);
	RUN("-m", "64m", "-c", root);
	assert_exit(EX_TEMPFAIL);
	snprintf(want, sizeof(want),
	    "kernel: Disk image %s is already in use\n", root);
	assert_err_has(want);
	cr_assert_eq(count_entries(vkdir), 0);
	close(fd);
}

Test(cmdline, missing_vkernel_directory)
{
	char want[4200];

	cr_assert_eq(setenv("VKERNEL_DIR", test_file("none"), 1), 0);
	RUN("-m", "64m");
	assert_exit(EX_CANTCREAT);
	snprintf(want, sizeof(want), "vkernel directory %s does not exist",
	    test_file("none"));
	assert_err_has(want);
	cr_assert_eq(count_entries(files), 0);
}

Test(cmdline, memory_size_needed_for_a_new_image)
{
	const char *img = test_file("mem.img");
	char want[4200];

	RUN("-i", img);
	assert_exit(EX_USAGE);
	snprintf(want, sizeof(want),
	    "Cannot create new memory file %s unless "
	    "system memory size is specified with -m",
	    img);
	assert_err_has(want);
	cr_assert_eq(count_entries(files), 0);
}

Test(cmdline, memory_image_in_use)
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

Test(cmdline, pidfile_held_by_another_process)
{
	const char *pidfile = test_file("kernel.pid");
	char want[4200], buf[64] = "";
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
		(void)write(ready[1], "x", 1);
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
	long ms;
	ssize_t n;
	int fd;

	snprintf(want, sizeof(want), "%ld\n", (long)run.pid);
	for (ms = 0; ms < READY_TIMEOUT_MS; ms += 10) {
		read_output();
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
		sleep_ms(10);
	}
	cr_assert_fail("the kernel did not come up:\n%s%s", run.out, run.err);
}

/* Stops a running kernel with SIGTERM: it must exit 0 in time. */
static void
terminate(void)
{
	cr_assert_eq(kill(run.pid, SIGTERM), 0);
	cr_assert(wait_exit(EXIT_TIMEOUT_MS),
	    "SIGTERM did not stop the kernel");
	assert_exit(0);
}

Test(cmdline, boots_with_the_first_memory_image)
{
	const char *pidfile = test_file("kernel.pid");
	char want[4200];
	const char *args[] = { "-m", "64m", "-p", pidfile, NULL };
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

Test(cmdline, memory_image_naming_skips_a_locked_image)
{
	const char *pidfile = test_file("kernel.pid");
	char first[4200], want[4200];
	const char *args[] = { "-m", "64m", "-p", pidfile, NULL };
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

Test(cmdline, second_kernel_on_a_running_pidfile)
{
	const char *pidfile = test_file("kernel.pid");
	const char *args[] = { "-m", "64m", "-p", pidfile, NULL };
	char buf[64], want[64];
	struct run first;
	int fd;

	spawn_kernel(args);
	wait_running(pidfile);
	first = run;
	memset(&run, 0, sizeof(run));
	run.stdin_fd = -1;
	RUN("-m", "64m", "-p", pidfile);
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
	close(run.stdin_fd);
	run = first;
	terminate();
}

Test(cmdline, early_sigterm_leaves_no_pidfile)
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
		cr_assert(wait_exit(EXIT_TIMEOUT_MS),
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
