/*
 * options_test.c - every vkernel(7) option's effect (-c -e -i -I -l -m -n
 * -p -r -s -U -v) and the command-line errors.
 *
 * Refused command lines run the kernel plainly (vkh_proc: standard output
 * and error apart, standard input a pipe): they must exit with their
 * sysexits(3) code, name what was wrong, print the usage line (for usage
 * errors) and create no file.  Accepted options boot on the engine and
 * are checked on the console, in sysctl values or in the host's view of
 * the process.  Deeper tests of some options live with their feature:
 * devices (-c -r), memimage (-i -p), single_user (-s), ddb (-U).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "harness/vkh.h"
#include "suites/kproc.h"

#define USAGE                                                             \
	"usage: kernel [-hsUv] [-c file] [-e name=value:name=value:...] " \
	"[-i file]\n"                                                     \
	"\t[-I interface[:address1[:address2]][/netmask]] [-l cpulock]\n" \
	"\t[-m size] [-n numcpus] [-p file] [-r file]\n"
#define T 10

static void
setup(void)
{
	kproc_setup("options");
}

static void
teardown(void)
{
	kproc_teardown();
}

TestSuite(options, .init = setup, .fini = teardown, .timeout = 60);

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

Test(options, no_arguments)
{
	const char *none[] = { NULL };

	run_kernel(none);
	assert_usage_error("kernel: no options given\n");
}

Test(options, every_bad_option_is_named)
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

Test(options, bad_option_touches_no_file)
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

Test(options, too_many_disks)
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

Test(options, help)
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

/* -I: the network device is not built yet; it is refused cleanly. */
Test(options, I_network_device_is_not_built_yet)
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

Test(options, r_missing_disk_image)
{
	const char *root = test_file("root.img");
	char want[700];

	RUN("-m", "64m", "-r", root);
	assert_exit(EX_NOINPUT);
	snprintf(want, sizeof(want), "Cannot open disk image %s (vkd0)", root);
	assert_err_has(want);
	cr_assert_eq(count_entries(vkdir), 0);
}

Test(options, c_disk_image_in_use)
{
	const char *root = test_file("root.img");
	char want[700];
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

Test(options, missing_vkernel_directory)
{
	const char *none = test_file("none");
	char want[700];

	snprintf(vkenv, sizeof(vkenv), "VKERNEL_DIR=%s", none);
	RUN("-m", "64m");
	assert_exit(EX_CANTCREAT);
	snprintf(want, sizeof(want), "vkernel directory %s does not exist",
	    none);
	assert_err_has(want);
	cr_assert_eq(count_entries(files), 0);
}

/* Creates a sparse file of size bytes at path. */
static void
sparse(const char *path, long long size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	cr_assert(fd >= 0, "create %s: %s", path, strerror(errno));
	cr_assert_eq(ftruncate(fd, size), 0);
	close(fd);
}

/* Boots with the profile's defaults plus args; the console is kept. */
static struct vkh_guest *
boot(const char *memory, const char *ncpu, const char *const *args)
{
	static char m[32], n[32];
	struct vkh_boot_spec spec = { .vars = { m, n } };
	int i;

	snprintf(m, sizeof(m), "memory=%s", memory);
	snprintf(n, sizeof(n), "ncpu=%s", ncpu);
	for (i = 0; args != NULL && args[i] != NULL; i++)
		spec.args[i] = args[i];
	return (vkh_test_boot(&spec));
}

/* The texts appear on the console in this order, from the boot on. */
static void
in_order(struct vkh_guest *g, const char *const *texts)
{
	const char *all = vkh_transcript(g), *p = all;

	for (; *texts != NULL; texts++) {
		p = strstr(p, *texts);
		cr_assert_not_null(p, "missing or out of order: \"%s\"\n%s",
		    *texts, all);
		p += strlen(*texts);
	}
}

/*
 * -m and -n: memory and cpu lines; the default of -n.  The vireo profile
 * always gives -n, so this boot uses suites/defaults.profile, which gives
 * only -m.
 */
Test(options, m_n_banner_memory_cpus_defaults)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "suites/defaults.profile" });
	const char *lines[] = { "Using memory file: ", "/memimg.000000",
		"Vireo 0.1-DEVELOPMENT #",
		"real memory = 67108864 (65536K bytes)",
		"avail memory = ", "Vireo/MP: Multiprocessor", " cpu0 (BSP)",
		" cpu1 (AP)",
		"Manual root filesystem specification:", "mountroot> ", NULL };

	in_order(g, lines);
	cr_assert_not(vkh_console_contains(g, "DragonFly"),
	    "the kernel must use its own name");
	cr_assert_not(vkh_console_contains(g, " cpu2 (AP)"),
	    "-n defaults to 2");
	vkh_test_shutdown(g);
}

Test(options, n_one_cpu_has_no_mp_line)
{
	struct vkh_guest *g = boot("128m", "1", NULL);
	const char *lines[] = { "real memory = 134217728 (131072K bytes)",
		" cpu0 (BSP)", "mountroot> ", NULL };

	in_order(g, lines);
	cr_assert_not(vkh_console_contains(g, "Multiprocessor"));
	cr_assert_not(vkh_console_contains(g, "(AP)"));
}

Test(options, n_four_cpus)
{
	struct vkh_guest *g = boot("96m", "4", NULL);
	const char *lines[] = { "real memory = 100663296 (98304K bytes)",
		"Vireo/MP: Multiprocessor", " cpu0 (BSP)", " cpu1 (AP)",
		" cpu2 (AP)", " cpu3 (AP)", "mountroot> ", NULL };

	in_order(g, lines);
}

/* The allowed host cpus of the kernel thread named name. */
static const char *
thread_cpus(struct vkh_guest *g, const char *name)
{
	static struct vkh_thread t;

	cr_assert(vkh_thread_find(vkh_pid(g), name, &t), "no thread %s", name);
	return (t.cpus);
}

Test(options, l_map_pins_each_cpu)
{
	const char *args[] = { "-l", "map,0", NULL };
	struct vkh_guest *g;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 host cpus");
	g = boot("64m", "2", args);
	cr_assert_str_eq(thread_cpus(g, "kernel"), "0");
	cr_assert_str_eq(thread_cpus(g, "cpu1"), "1");
}

Test(options, l_single_pins_all_cpus_to_one)
{
	const char *args[] = { "-l", "1", NULL };
	struct vkh_guest *g;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 host cpus");
	g = boot("64m", "3", args);
	cr_assert_str_eq(thread_cpus(g, "kernel"), "1");
	cr_assert_str_eq(thread_cpus(g, "cpu1"), "1");
	cr_assert_str_eq(thread_cpus(g, "cpu2"), "1");
}

Test(options, l_any_leaves_cpus_free)
{
	struct vkh_guest *g;
	const char *c;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("needs 2 host cpus");
	g = boot("64m", "2", NULL);
	c = thread_cpus(g, "cpu1");
	cr_assert(strchr(c, '-') != NULL || strchr(c, ',') != NULL,
	    "cpu1 is pinned to %s", c);
}

Test(options, v_adds_boot_lines)
{
	const char *args[] = { "-v", "-l", "0", NULL };
	struct vkh_guest *g = boot("64m", "2", args);
	const char *lines[] = { " cpu1 (AP)", "Locking CPU0 to real cpu 0",
		"Locking CPU1 to real cpu 0", "SMP: AP CPU #1 Launched!",
		"Finish MP startup", "Device configuration finished.",
		"mountroot> ", NULL };

	in_order(g, lines);
}

Test(options, quiet_without_v)
{
	const char *args[] = { "-l", "0", NULL };
	struct vkh_guest *g = boot("64m", "2", args);

	cr_assert_not(vkh_console_contains(g, "Launched"));
	cr_assert_not(vkh_console_contains(g, "Locking CPU"));
	cr_assert_not(vkh_console_contains(g,
	    "Device configuration finished."));
}

/* -e: vfs.root.mountfrom is tried before the default roots. */
Test(options, e_kenv_mountfrom_is_tried_first)
{
	const char *disk = test_file("root.img");
	const char *args[] = { "-r", disk, "-e",
		"vfs.root.mountfrom=\"cd9660:vkd0\"", NULL };
	/* A blank disk is no ISO 9660 volume: cd9660 refuses it (EINVAL). */
	const char *lines[] = { "Mounting root from cd9660:vkd0",
		"Root mount failed: 22", "Mounting root from ufs:vkd0s0a",
		"mountroot> ", NULL };
	struct vkh_guest *g;

	sparse(disk, 8 << 20);
	g = boot("64m", "2", args);
	in_order(g, lines);
}

/* -e: a file system type the kernel does not have is ENODEV. */
Test(options, e_kenv_mountfrom_unknown_type)
{
	const char *disk = test_file("root.img");
	const char *args[] = { "-r", disk, "-e",
		"vfs.root.mountfrom=\"nofs:vkd0\"", NULL };
	const char *lines[] = { "Mounting root from nofs:vkd0",
		"Root mount failed: 19", "mountroot> ", NULL };
	struct vkh_guest *g;

	sparse(disk, 8 << 20);
	g = boot("64m", "2", args);
	in_order(g, lines);
}

/* Asks ddb for a sysctl (the guest must be in ddb). */
static void
expect_sysctl(struct vkh_guest *g, const char *name, const char *value)
{
	char cmd[128], re[256];

	snprintf(cmd, sizeof(cmd), "show sysctl %s", name);
	snprintf(re, sizeof(re), "^%s: %s$", name, value);
	vkh_test_send(g, cmd);
	vkh_test_expect(g, re, T);
	vkh_test_expect(g, "^db> ", T);
}

static void
enter_ddb(struct vkh_guest *g)
{
	vkh_allow_debugger(g, true);
	cr_assert_eq(vkh_send(g, "\x1c"), 0);
	vkh_test_expect(g, "^db> ", T);
}

/* -s boots single-user, -U makes kernel memory writable. */
Test(options, s_and_U_show_in_sysctl)
{
	const char *args[] = { "-s", "-U", NULL };
	struct vkh_guest *g = boot("64m", "2", args);

	enter_ddb(g);
	expect_sysctl(g, "debug.boothowto", "2");
	expect_sysctl(g, "kern.kmem_writable", "1");
}

/* -i names the memory image; -p writes the pidfile while it runs. */
Test(options, i_and_p_name_the_memory_image_and_pidfile)
{
	const char *img = test_file("mem.img"), *pid = test_file("k.pid");
	const char *args[] = { "-i", img, "-p", pid, NULL };
	struct vkh_guest *g = boot("64m", "2", args);
	char want[700], buf[32] = "";
	struct stat st;
	FILE *f;

	snprintf(want, sizeof(want), "Using memory file: %s", img);
	cr_assert(vkh_console_contains(g, want), "no \"%s\"", want);
	cr_assert_eq(stat(img, &st), 0);
	cr_assert_eq(st.st_size, 64 << 20);
	cr_assert_not_null(f = fopen(pid, "r"));
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	cr_assert_eq(atoi(buf), vkh_pid(g));
	vkh_test_shutdown(g);
	cr_assert_eq(access(pid, F_OK), -1, "pidfile left behind");
}

/* -c and -r attach devices in command-line order (more in devices). */
Test(options, c_and_r_attach_a_cd_and_a_disk)
{
	const char *cd = test_file("cd.iso"), *disk = test_file("d.img");
	const char *args[] = { "-c", cd, "-r", disk, NULL };
	const char *lines[] = { "vcd0: <Virtual CD-ROM>",
		"vkd0: <Virtual disk>", "Mounting root from cd9660:vcd0",
		"mountroot> ", NULL };
	struct vkh_guest *g;

	sparse(cd, 2 << 20);
	sparse(disk, 8 << 20);
	g = boot("64m", "2", args);
	in_order(g, lines);
}
