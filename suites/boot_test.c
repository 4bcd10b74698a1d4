/*
 * boot_test.c - the boot sequence on the console: banner, memory, cpus,
 * device probe lines, root selection, the mountroot prompt, SIGTERM.
 *
 * Each test boots the built kernel ($VK_KERNEL) on a pty with its own
 * VKERNEL_DIR and checks the console text in order.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <tcl8.6/expect.h>
#include <unistd.h>

#include "suites/vkt.h"

#define BOOT_TIMEOUT 10

static struct vkt k;

static void
setup(void)
{
	vkt_init(&k);
}

static void
teardown(void)
{
	vkt_end(&k);
}

TestSuite(boot, .init = setup, .fini = teardown, .timeout = 60);

/* Boots with args and checks the lines up to the mountroot prompt. */
static void
boot_check(const char *const *args, const char *const *lines)
{
	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	cr_assert(vkt_in_order(&k, lines));
}

Test(boot, banner_memory_cpus_defaults)
{
	const char *args[] = { "-m", "64m", NULL };
	const char *lines[] = { "Using memory file: ", "/memimg.000000",
		"Vireo 0.1-DEVELOPMENT #",
		"real memory = 67108864 (65536K bytes)",
		"avail memory = ", "Vireo/MP: Multiprocessor", " cpu0 (BSP)",
		" cpu1 (AP)",
		"Manual root filesystem specification:", "mountroot> ", NULL };

	boot_check(args, lines);
	cr_assert_null(strstr(k.log, "DragonFly"),
	    "the kernel must use "
	    "its own name");
	cr_assert_null(strstr(k.log, " cpu2 (AP)"), "-n defaults to 2");
}

Test(boot, one_cpu_has_no_mp_line)
{
	const char *args[] = { "-m", "128m", "-n", "1", NULL };
	const char *lines[] = { "real memory = 134217728 (131072K bytes)",
		" cpu0 (BSP)", "mountroot> ", NULL };

	boot_check(args, lines);
	cr_assert_null(strstr(k.log, "Multiprocessor"));
	cr_assert_null(strstr(k.log, "(AP)"));
}

Test(boot, four_cpus)
{
	const char *args[] = { "-m", "96m", "-n", "4", NULL };
	const char *lines[] = { "real memory = 100663296 (98304K bytes)",
		"Vireo/MP: Multiprocessor", " cpu0 (BSP)", " cpu1 (AP)",
		" cpu2 (AP)", " cpu3 (AP)", "mountroot> ", NULL };

	boot_check(args, lines);
}

Test(boot, disk_then_cd_probe_lines_and_default_roots)
{
	const char *disk, *cd;
	char dpath[512];

	disk = vkt_image(&k, "root.img", 64LL << 20);
	snprintf(dpath, sizeof(dpath), "%s:SER42", disk);
	cd = vkt_image(&k, "cd.iso", 10LL << 20);
	{
		const char *args[] = { "-m", "64m", "-r", dpath, "-c", cd,
			NULL };
		const char *lines[] = { " cpu0 (BSP)",
			"vkd0: <Virtual disk> Serial Number SER42",
			"vkd0: 64MB (131072 512 byte sectors)",
			"vcd0: <Virtual CD-ROM>",
			"vcd0: 10MB (5120 2048 byte sectors)",
			"Mounting root from ufs:vkd0s0a",
			"Root mount failed: ", "Mounting root from ufs:vkd0s1a",
			"Root mount failed: ", "mountroot> ", NULL };

		boot_check(args, lines);
	}
	cr_assert_null(strstr(k.log, "cd9660:vcd0"));
}

Test(boot, cd_first_boots_cd9660_and_units_are_per_type)
{
	const char *cd0 = vkt_image(&k, "a.iso", 4LL << 20);
	char cd0p[512], d0p[512], cd1p[512];

	snprintf(cd0p, sizeof(cd0p), "%s", cd0);
	snprintf(d0p, sizeof(d0p), "%s", vkt_image(&k, "d.img", 8LL << 20));
	snprintf(cd1p, sizeof(cd1p), "%s", vkt_image(&k, "b.iso", 2LL << 20));
	{
		const char *args[] = { "-m", "64m", "-c", cd0p, "-r", d0p, "-c",
			cd1p, NULL };
		const char *lines[] = { "vcd0: 4MB (2048 2048 byte sectors)",
			"vkd0: 8MB (16384 512 byte sectors)",
			"vcd1: 2MB (1024 2048 byte sectors)",
			"Mounting root from cd9660:vcd0",
			"Root mount failed: ", "mountroot> ", NULL };

		boot_check(args, lines);
	}
	cr_assert_null(strstr(k.log, "Mounting root from ufs"));
}

Test(boot, kenv_mountfrom_is_tried_first)
{
	const char *disk = vkt_image(&k, "root.img", 8LL << 20);
	const char *args[] = { "-m", "64m", "-r", disk, "-e",
		"vfs.root.mountfrom=\"cd9660:vkd0\"", NULL };
	const char *lines[] = { "Mounting root from cd9660:vkd0",
		"Root mount failed: 19", "Mounting root from ufs:vkd0s0a",
		"mountroot> ", NULL };

	boot_check(args, lines);
}

Test(boot, no_root_device_goes_straight_to_the_prompt)
{
	const char *args[] = { "-m", "64m", NULL };

	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	cr_assert_null(strstr(k.log, "Mounting root from"));
}

Test(boot, mountroot_question_mark_lists_disks)
{
	const char *disk = vkt_image(&k, "root.img", 16LL << 20);
	const char *args[] = { "-m", "64m", "-r", disk, NULL };

	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	vkt_send(&k, "?\r");
	cr_assert(vkt_expect(&k, "List of disk devices:", 5));
	cr_assert(vkt_expect(&k, "vkd0\t16MB, 512 byte sectors", 5));
	cr_assert(vkt_expect(&k, "mountroot> ", 5));
}

Test(boot, mountroot_typed_root_is_tried)
{
	const char *args[] = { "-m", "64m", NULL };

	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	vkt_send(&k, "ufs:vkd3s0a\r");
	cr_assert(vkt_expect(&k, "Mounting root from ufs:vkd3s0a", 5));
	cr_assert(vkt_expect(&k, "no disk named 'vkd3s0a'", 5));
	cr_assert(vkt_expect(&k, "Root mount failed: 6", 5));
	cr_assert(vkt_expect(&k, "mountroot> ", 5));
	vkt_send(&k, "bogus\r");
	cr_assert(vkt_expect(&k, "Root mount failed: 22", 5));
}

Test(boot, sigterm_halts_cleanly_with_status_0)
{
	const char *args[] = { "-m", "64m", NULL };

	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	kill(k.pid, SIGTERM);
	cr_assert(vkt_expect(&k,
	    "Caught SIGTERM from host system. "
	    "Shutting down...",
	    5));
	cr_assert(vkt_expect(&k, "syncing disks... done", 5));
	cr_assert(vkt_expect(&k, "The operating system has halted.", 5));
	cr_assert(vkt_wait(&k, 5), "the kernel did not exit");
	cr_assert(WIFEXITED(k.status) && WEXITSTATUS(k.status) == 0,
	    "status %#x", k.status);
}

/*
 * The terminal comes back as it was: a shell on the same pty records the
 * settings before and after the kernel ran.
 */
Test(boot, sigterm_restores_the_terminal)
{
	char script[1024];
	const char *args[] = { "-c", script, NULL };
	const char *kernel = getenv("VK_KERNEL");
	char *before, *after;

	snprintf(script, sizeof(script),
	    "stty -g; echo; exec 3<&0; '%s' -m 64m 0<&3 & pid=$!; sleep 1; "
	    "stty -g >%s/during; kill -TERM $pid; wait $pid; "
	    "echo status=$?; stty -g; echo END",
	    kernel, k.dir);
	{
		char *argv[] = { "/bin/sh", (char *)args[0], script, NULL };

		setenv("VKERNEL_DIR", k.dir, 1);
		exp_loguser = 0;
		k.fd = exp_spawnv("/bin/sh", argv);
		cr_assert(k.fd >= 0);
		k.pid = exp_pid;
	}
	cr_assert(vkt_expect(&k, "END", 15));
	cr_assert_not_null(strstr(k.log, "status=0"), "%s", k.log);
	before = k.log;
	after = strstr(k.log, "status=0");
	{
		char b[512] = "", a[512] = "";

		sscanf(before, "%511s", b);
		sscanf(after + strlen("status=0"), "%511s", a);
		char d[512] = "", path[600];
		FILE *f;

		cr_assert_str_eq(a, b, "terminal settings changed");
		snprintf(path, sizeof(path), "%s/during", k.dir);
		cr_assert_not_null(f = fopen(path, "r"));
		cr_assert(fscanf(f, "%511s", d) == 1);
		fclose(f);
		cr_assert_str_neq(d, b, "the console was not put in raw mode");
	}
}

/* Reads the allowed cpus of the kernel thread named name. */
static void
thread_cpus(pid_t pid, const char *name, char *out, size_t size)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd),
	    "for t in /proc/%d/task/*; do [ \"$(cat $t/comm)\" = %s ] && "
	    "grep Cpus_allowed_list $t/status | cut -f2; done",
	    (int)pid, name);
	cr_assert_not_null(p = popen(cmd, "r"));
	out[0] = '\0';
	if (fgets(out, (int)size, p) != NULL)
		out[strcspn(out, "\n")] = '\0';
	pclose(p);
}

Test(boot, cpulock_map_pins_each_cpu)
{
	const char *args[] = { "-m", "64m", "-n", "2", "-l", "map,0", NULL };
	char c0[64], c1[64];

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 host cpus");
	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	thread_cpus(k.pid, "kernel", c0, sizeof(c0));
	thread_cpus(k.pid, "cpu1", c1, sizeof(c1));
	cr_assert_str_eq(c0, "0");
	cr_assert_str_eq(c1, "1");
}

Test(boot, cpulock_single_pins_all_cpus_to_one)
{
	const char *args[] = { "-m", "64m", "-n", "3", "-l", "1", NULL };
	char c[64];

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 host cpus");
	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	thread_cpus(k.pid, "kernel", c, sizeof(c));
	cr_assert_str_eq(c, "1");
	thread_cpus(k.pid, "cpu1", c, sizeof(c));
	cr_assert_str_eq(c, "1");
	thread_cpus(k.pid, "cpu2", c, sizeof(c));
	cr_assert_str_eq(c, "1");
}

Test(boot, cpulock_any_leaves_cpus_free)
{
	const char *args[] = { "-m", "64m", "-n", "2", NULL };
	char c[64];

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 host cpus");
	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	thread_cpus(k.pid, "cpu1", c, sizeof(c));
	cr_assert(strchr(c, '-') != NULL || strchr(c, ',') != NULL,
	    "cpu1 is pinned to %s", c);
}

Test(boot, verbose_adds_boot_lines)
{
	const char *args[] = { "-m", "64m", "-v", "-n", "2", "-l", "0", NULL };
	const char *lines[] = { " cpu1 (AP)", "Locking CPU0 to real cpu 0",
		"Locking CPU1 to real cpu 0", "SMP: AP CPU #1 Launched!",
		"Finish MP startup", "Device configuration finished.",
		"mountroot> ", NULL };

	boot_check(args, lines);
}

Test(boot, quiet_without_verbose)
{
	const char *args[] = { "-m", "64m", "-l", "0", NULL };

	vkt_spawn(&k, args);
	cr_assert(vkt_expect(&k, "mountroot> ", BOOT_TIMEOUT));
	cr_assert_null(strstr(k.log, "Launched"));
	cr_assert_null(strstr(k.log, "Locking CPU"));
	cr_assert_null(strstr(k.log, "Device configuration finished."));
}

/* The console also works on pipes: no terminal, input still read. */
Test(boot, console_on_pipes)
{
	int in[2], out[2], status;
	char buf[8192];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	cr_assert(pipe(in) == 0 && pipe(out) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(in[1]);
		close(out[0]);
		setenv("VKERNEL_DIR", k.dir, 1);
		execl(getenv("VK_KERNEL"), "kernel", "-m", "64m", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	cr_assert_eq(write(in[1], "?\n", 2), 2);
	while (len < sizeof(buf) - 1 &&
	    (n = read(out[0], buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "List of disk devices:") != NULL &&
		    strstr(strstr(buf, "List of disk devices:"), "mountroot> "))
			break;
	}
	kill(pid, SIGTERM);
	while ((n = read(out[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	waitpid(pid, &status, 0);
	cr_assert_not_null(strstr(buf, "List of disk devices:"), "%s", buf);
	cr_assert_not_null(strstr(buf, "The operating system has halted."));
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(in[1]);
	close(out[0]);
}
