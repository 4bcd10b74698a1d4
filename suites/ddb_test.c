/*
 * ddb_test.c - the kernel debugger, tested on the built kernel
 * ($VK_KERNEL) running on a pseudo-terminal.
 *
 * Each test spawns the kernel with libexpect (exp_spawnv) on a fresh pty,
 * with VKERNEL_DIR a fresh scratch directory and -m 64m, waits for the
 * mountroot> prompt (the kernel has no root file system yet), and drives
 * the console as a user would: ^\ is the byte 0x1c, which the terminal
 * turns into SIGQUIT.  Patterns are chosen so that the echo of what the
 * test types cannot match them.  Every test ends the kernel (SIGKILL on
 * the failure paths) and removes its directory; a failure shows the
 * console transcript.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <tcl8.6/expect.h>
#pragma GCC diagnostic pop

#define EXPECT_TIMEOUT_S 15
#define EXIT_TIMEOUT_MS	 15000
#define TRANSCRIPT_MAX	 32768
#define BANNER		 "Vireo 0.1-DEVELOPMENT"
#define QUIT_CHAR	 "\x1c" /* ^\ */

static const char *kernel; /* $VK_KERNEL */
static char vkdir[] = "/tmp/vk-ddb.XXXXXX";
static char logpath[64];
static int kfd = -1; /* the pty's master side */
static pid_t kpid;   /* 0 once reaped */
static int kstatus;  /* its wait status once reaped */

static void
remove_dir(const char *dir)
{
	char path[512];
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void
setup(void)
{
	kernel = getenv("VK_KERNEL");
	cr_assert_not_null(kernel,
	    "set VK_KERNEL to the absolute path of the kernel");
	cr_assert_not_null(mkdtemp(vkdir));
	cr_assert_eq(setenv("VKERNEL_DIR", vkdir, 1), 0);
	snprintf(logpath, sizeof(logpath), "%s.log", vkdir);
	exp_logfile = fopen(logpath, "w");
	cr_assert_not_null(exp_logfile);
	exp_loguser = 0;
	exp_logfile_all = 1; /* the transcript, whatever is matched */
	exp_timeout = EXPECT_TIMEOUT_S;
}

static void
teardown(void)
{
	if (kpid != 0) {
		kill(kpid, SIGKILL);
		waitpid(kpid, NULL, 0);
		kpid = 0;
	}
	if (kfd >= 0)
		close(kfd);
	kfd = -1;
	if (exp_logfile != NULL)
		fclose(exp_logfile);
	exp_logfile = NULL;
	unlink(logpath);
	remove_dir(vkdir);
}

TestSuite(ddb, .init = setup, .fini = teardown, .timeout = 90);

/* Fails the test, showing why and what the console said. */
static void
fail(const char *why, const char *what)
{
	static char transcript[TRANSCRIPT_MAX];
	size_t n = 0;
	FILE *f;

	fflush(exp_logfile);
	if ((f = fopen(logpath, "r")) != NULL) {
		n = fread(transcript, 1, sizeof(transcript) - 1, f);
		fclose(f);
	}
	transcript[n] = '\0';
	cr_assert_fail("%s '%s'\n---- console transcript ----\n%s\n----", why,
	    what, transcript);
}

/* Starts the kernel with -m 64m -n ncpus and the extra arguments. */
static void
start(int ncpus, const char *extra)
{
	char n[8];
	char *argv[8];
	int argc = 0;

	snprintf(n, sizeof(n), "%d", ncpus);
	argv[argc++] = (char *)kernel;
	argv[argc++] = "-m";
	argv[argc++] = "64m";
	argv[argc++] = "-n";
	argv[argc++] = n;
	if (extra != NULL)
		argv[argc++] = (char *)extra;
	argv[argc] = NULL;
	kfd = exp_spawnv((char *)kernel, argv);
	cr_assert_geq(kfd, 0, "exp_spawnv: %s", strerror(errno));
	kpid = exp_pid;
}

/* Waits for the exact text s; fails the test if it does not come. */
static void
expect(const char *s)
{
	int r = exp_expectl(kfd, exp_exact, (char *)s, 1, exp_end);

	if (r != 1)
		fail(r == EXP_TIMEOUT ? "timed out waiting for" :
					"the console ended before",
		    s);
}

/* Waits for good or bad; fails the test on bad, a timeout or the end. */
static void
expect_not(const char *good, const char *bad)
{
	int r = exp_expectl(kfd, exp_exact, (char *)good, 1, exp_exact,
	    (char *)bad, 2, exp_end);

	if (r == 2)
		fail("unexpected", bad);
	if (r != 1)
		fail("no", good);
}

/* Waits for the regular expression re; exp_match points at the match. */
static void
expect_re(const char *re)
{
	if (exp_expectl(kfd, exp_regexp, (char *)re, 1, exp_end) != 1)
		fail("no match for", re);
}

static void
send(const char *s)
{
	size_t len = strlen(s);

	cr_assert_eq(write(kfd, s, len), (ssize_t)len);
}

/* Types a command line. */
static void
command(const char *line)
{
	send(line);
	send("\r");
}

/* The console has ended; waits for the exit and returns the status. */
static int
wait_exit(void)
{
	int ms;
	pid_t r;

	for (ms = 0; ms < EXIT_TIMEOUT_MS; ms += 10) {
		r = waitpid(kpid, &kstatus, WNOHANG);
		if (r == kpid) {
			kpid = 0;
			cr_assert(WIFEXITED(kstatus), "killed by signal %d",
			    WTERMSIG(kstatus));
			return (WEXITSTATUS(kstatus));
		}
		usleep(10000);
	}
	fail("the kernel did not exit", "");
	return (-1);
}

/* Reads everything until the console ends, then the exit status. */
static int
expect_exit(void)
{
	if (exp_expectl(kfd, exp_exact, "\x01never\x02", 1, exp_end) != EXP_EOF)
		fail("the console did not end", "");
	return (wait_exit());
}

/* Boots to the mountroot prompt and enters ddb with ^\. */
static void
boot_and_enter(int ncpus, const char *extra)
{
	start(ncpus, extra);
	expect("mountroot> ");
	send(QUIT_CHAR);
	expect("Debugger(\"interrupt from console\")");
	expect("db> ");
}

/* The name /proc gives a thread of the kernel. */
static void
thread_name(int tid, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)kpid, tid);
	buf[0] = '\0';
	if ((fd = open(path, O_RDONLY)) < 0)
		return;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n - 1 : 0] = '\0'; /* without the newline */
}

Test(ddb, console_enters_with_cpu0_context_and_continue_returns)
{
	unsigned long rip = 0, rsp = 0;
	int td = 0;

	start(2, NULL);
	expect("mountroot> ");
	send(QUIT_CHAR);
	expect_re("CAUGHT SIG 3 RIP [0-9a-f]+ RSP [0-9a-f]+ TD [0-9]+");
	cr_assert_eq(sscanf(exp_match, "CAUGHT SIG 3 RIP %lx RSP %lx TD %d",
			 &rip, &rsp, &td),
	    3);
	cr_assert_neq(rip, 0);
	cr_assert_neq(rsp, 0);
	/* cpu0 is the thread that booted: its tid is the process id. */
	cr_assert_eq(td, kpid, "TD %d is not cpu0's thread %d", td, kpid);
	expect("Debugger(\"interrupt from console\")\r\n");
	expect("CPU0 stopping CPUs: 0x00000002\r\n stopped\r\n");
	expect("Stopped at\t");
	expect("db> ");
	command("continue");
	expect("CPU0 restarting CPUs: 0x00000002\r\n restarted\r\n");
	/* The kernel answers again where it was. */
	command("?");
	expect("List of disk devices:");
	expect("mountroot> ");
	/* And the debugger can be entered again; "c" is continue.  A ^\
	 * typed in the debugger is dropped, not queued for later. */
	send(QUIT_CHAR);
	expect("db> ");
	send(QUIT_CHAR);
	command("c");
	expect(" restarted\r\n");
	command("?");
	expect_not("List of disk devices:", "db> ");
	kill(kpid, SIGTERM);
	expect("The operating system has halted.");
	cr_assert_eq(expect_exit(), 0);
}

Test(ddb, commands_names_prefixes_and_errors)
{
	boot_and_enter(3, NULL);
	command("show sysctl hw.ncpu");
	expect_not("hw.ncpu: 3\r\n", "No such");
	command("sh sysc kern.ostype");
	expect_not("kern.ostype: Vireo\r\n", "No such");
	command("show sysctl hw.nosuch");
	expect("No such sysctl: hw.nosuch\r\n");
	command("frobnicate");
	expect("No such command\r\n");
	command("s");
	expect("Ambiguous\r\n");
	command("help");
	expect("continue");
	expect("reset");
	expect("db> ");
	command("print 0t6*7");
	expect_not("\r\n2a\r\n", "error");
	command("p nosuch_symbol");
	expect("Symbol 'nosuch_symbol' not found\r\n");
	/* An empty line repeats the last command. */
	command("x/xb host_version");
	expect_re("host_version:\t56\r\n");
	command("");
	expect_re("host_version\\+0x1:\t69\r\n");
	command("cont");
	expect(" restarted\r\n");
}

Test(ddb, ps_lists_the_real_threads)
{
	char name[32];
	int tid;

	boot_and_enter(2, NULL);
	command("ps");
	expect("No processes: init has not been started.\r\n");
	/* cpu0 may still be writing the prompt or already waiting. */
	expect_re("[0-9]+  cpu0   (run |idle)  stopped");
	cr_assert_eq(sscanf(exp_match, "%d", &tid), 1);
	cr_assert_eq(tid, kpid);
	expect_re("[0-9]+  cpu1   idle  stopped");
	cr_assert_eq(sscanf(exp_match, "%d", &tid), 1);
	thread_name(tid, name, sizeof(name));
	cr_assert_str_eq(name, "cpu1");
	expect_re("[0-9]+  intr   intr  debugger");
	cr_assert_eq(sscanf(exp_match, "%d", &tid), 1);
	thread_name(tid, name, sizeof(name));
	cr_assert_str_eq(name, "intr");
	expect("CURCPU 0 CURTHREAD intr");
	command("show all procs");
	expect("No processes: init has not been started.\r\n");
	expect("db> ");
}

Test(ddb, registers_and_traces_are_the_stopped_cpus)
{
	unsigned long rip = 0, rsp = 0, reg = 0;
	char pattern[64];
	int td;

	start(2, NULL);
	expect("mountroot> ");
	send(QUIT_CHAR);
	expect_re("CAUGHT SIG 3 RIP [0-9a-f]+ RSP [0-9a-f]+ TD [0-9]+");
	cr_assert_eq(sscanf(exp_match, "CAUGHT SIG 3 RIP %lx RSP %lx TD %d",
			 &rip, &rsp, &td),
	    3);
	expect("db> ");
	command("show registers");
	expect_re("rsp +0x[0-9a-f]+");
	cr_assert_eq(sscanf(exp_match + 3, " 0x%lx", &reg), 1);
	cr_assert_eq(reg, rsp, "rsp %lx, caught at %lx", reg, rsp);
	snprintf(pattern, sizeof(pattern), "rip +0x%lx  ", rip);
	expect_re(pattern);
	expect("rflags");
	expect("db> ");
	/* cpu0 waits for a line at the mountroot prompt. */
	command("trace");
	expect("Tracing cpu0\r\n");
	expect("vfs_mountroot() at vfs_mountroot+0x");
	expect("kern_boot() at kern_boot+0x");
	expect("db> ");
	/* cpu1 idles in its loop (a static function: the symbol table). */
	command("trace 1");
	expect("Tracing cpu1\r\n");
	expect("ap_main() at ap_main+0x");
	expect("db> ");
	command("show registers/c 1");
	expect("rip ");
	expect("db> ");
	command("trace 9");
	expect("No such cpu 9\r\n");
	command("c");
	expect(" restarted\r\n");
}

Test(ddb, examine_reads_memory_safely)
{
	boot_and_enter(2, NULL);
	command("x/s host_version");
	expect("host_version:\t" BANNER " #");
	command("x/4xb host_version");
	expect("host_version:\t56 69 72 65\r\n");
	command("x/d debugger_on_panic");
	expect("debugger_on_panic:\t1\r\n");
	/* A bad address is an error, not a crash. */
	command("x/x 8");
	expect("Cannot read memory at 0x8\r\n");
	command("p *0");
	expect("Cannot read memory at 0x0\r\n");
	command("p 1+1");
	expect_not("\r\n2\r\n", "Cannot");
	command("c");
	expect(" restarted\r\n");
}

Test(ddb, write_is_refused_without_U)
{
	boot_and_enter(2, NULL);
	command("write debugger_on_panic 0");
	expect("kernel memory is read-only (boot with -U)\r\n");
	command("x/d debugger_on_panic");
	expect("debugger_on_panic:\t1\r\n");
	command("show sysctl kern.kmem_writable");
	expect("kern.kmem_writable: 0\r\n");
}

Test(ddb, write_with_U_changes_the_kernel)
{
	boot_and_enter(2, "-U");
	command("show sysctl kern.kmem_writable");
	expect("kern.kmem_writable: 1\r\n");
	command("w debugger_on_panic 0");
	expect("debugger_on_panic\t\t0x1\t=\t0\r\n");
	command("x/d debugger_on_panic");
	expect("debugger_on_panic:\t0\r\n");
	command("show sysctl debug.debugger_on_panic");
	expect("debug.debugger_on_panic: 0\r\n");
	/* Text stays read-only even so. */
	command("w/b kern_boot 0");
	expect("Cannot write memory at 0x");
	command("c");
	expect(" restarted\r\n");
	/* With debugger_on_panic 0, a panic does not stop in ddb. */
	command("abort");
	expect("panic: Root mount failed, startup aborted.\r\n");
	expect_not("syncing disks", "db> ");
	cr_assert_eq(expect_exit(), 33);
}

Test(ddb, abort_at_mountroot_panics_into_ddb)
{
	start(2, NULL);
	expect("mountroot> ");
	command("abort");
	expect("panic: Root mount failed, startup aborted.\r\n");
	expect("cpuid = 0\r\n");
	expect("Debugger(\"panic\")\r\n");
	expect("CPU0 stopping CPUs: 0x00000002\r\n stopped\r\n");
	expect("db> ");
	command("trace");
	expect("panic() at panic+0x");
	expect("vfs_mountroot() at vfs_mountroot+0x");
	expect("db> ");
	command("continue");
	expect("CPU0 restarting CPUs: 0x00000002\r\n restarted\r\n");
	expect("syncing disks... done");
	cr_assert_eq(expect_exit(), 33);
}

Test(ddb, panic_typed_in_ddb_nests_and_exits_33)
{
	boot_and_enter(2, NULL);
	command("panic");
	expect("panic: from debugger\r\n");
	expect("Debugger(\"panic\")\r\n");
	expect("db> ");
	command("ps");
	expect("CURTHREAD intr");
	command("c");
	expect("syncing disks... done");
	cr_assert_eq(expect_exit(), 33);
}

Test(ddb, reset_reexecutes_the_kernel)
{
	int td = 0;

	start(2, NULL);
	expect(BANNER);
	expect("mountroot> ");
	send(QUIT_CHAR);
	expect("db> ");
	command("reset");
	expect("cpu reset, rebooting vkernel\r\n");
	expect(BANNER); /* the second time in this run */
	expect("mountroot> ");
	/* The same process, booted again; ddb works in it too. */
	send(QUIT_CHAR);
	expect_re("CAUGHT SIG 3 RIP [0-9a-f]+ RSP [0-9a-f]+ TD [0-9]+");
	cr_assert_eq(sscanf(exp_match, "CAUGHT SIG 3 RIP %*x RSP %*x TD %d",
			 &td),
	    1);
	cr_assert_eq(td, kpid);
	expect("db> ");
	command("c");
	expect(" restarted\r\n");
	kill(kpid, SIGTERM);
	cr_assert_eq(expect_exit(), 0);
}

Test(ddb, sigterm_in_ddb_shuts_down)
{
	boot_and_enter(2, NULL);
	kill(kpid, SIGTERM);
	expect("Signal from the host: leaving the debugger\r\n");
	expect(" restarted\r\n");
	expect("Caught SIGTERM from host system. Shutting down...");
	expect("The operating system has halted.");
	cr_assert_eq(expect_exit(), 0);
}

Test(ddb, sigterm_in_ddb_after_a_panic_ends_the_panic)
{
	start(2, NULL);
	expect("mountroot> ");
	command("abort");
	expect("db> ");
	kill(kpid, SIGTERM);
	expect("Signal from the host: leaving the debugger\r\n");
	expect("syncing disks... done");
	cr_assert_eq(expect_exit(), 33);
}
