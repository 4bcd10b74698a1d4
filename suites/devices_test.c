/*
 * devices_test.c - the virtual devices of vkernel(7): vkd disks (-r) and
 * vcd CD-ROMs (-c), their probe lines, units numbered per type in
 * command-line order, and the default roots they give.
 *
 * Image files are made sparse in the boot's scratch directory's sibling,
 * a directory of the test, and named on the command line (.args); the
 * engine's image copies (.images) are tested in engine_boot_test.c.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vkh.h"

static char dir[] = "/tmp/vk-devices.XXXXXX";

static void
setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[600];

	vkh_test_end();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(devices, .init = setup, .fini = teardown, .timeout = 60);

/* Creates a sparse image of size bytes; returns its path (kept). */
static const char *
image(const char *name, long long size)
{
	static char pool[8][600];
	static int used;
	char *path = pool[used++ % 8];
	int fd;

	snprintf(path, sizeof(pool[0]), "%s/%s", dir, name);
	cr_assert((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) >= 0);
	cr_assert_eq(ftruncate(fd, size), 0);
	close(fd);
	return (path);
}

/* The texts appear on the console in this order. */
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

Test(devices, disk_then_cd_probe_lines_and_default_roots)
{
	char dpath[700];
	const char *cd;
	struct vkh_guest *g;

	snprintf(dpath, sizeof(dpath), "%s:SER42",
	    image("root.img", 64LL << 20));
	cd = image("cd.iso", 10LL << 20);
	g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .args = { "-r", dpath, "-c", cd } });
	{
		const char *lines[] = { " cpu0 (BSP)",
			"vkd0: <Virtual disk> Serial Number SER42",
			"vkd0: 64MB (131072 512 byte sectors)",
			"vcd0: <Virtual CD-ROM>",
			"vcd0: 10MB (5120 2048 byte sectors)",
			"Mounting root from ufs:vkd0s0a",
			"Root mount failed: ", "Mounting root from ufs:vkd0s1a",
			"Root mount failed: ", "mountroot> ", NULL };

		in_order(g, lines);
	}
	cr_assert_not(vkh_console_contains(g, "cd9660:vcd0"));
}

Test(devices, cd_first_boots_cd9660_and_units_are_per_type)
{
	char cd0[700], d0[700], cd1[700];
	struct vkh_guest *g;

	snprintf(cd0, sizeof(cd0), "%s", image("a.iso", 4LL << 20));
	snprintf(d0, sizeof(d0), "%s", image("d.img", 8LL << 20));
	snprintf(cd1, sizeof(cd1), "%s", image("b.iso", 2LL << 20));
	g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .args = { "-c", cd0, "-r", d0, "-c", cd1 } });
	{
		const char *lines[] = { "vcd0: 4MB (2048 2048 byte sectors)",
			"vkd0: 8MB (16384 512 byte sectors)",
			"vcd1: 2MB (1024 2048 byte sectors)",
			"Mounting root from cd9660:vcd0",
			"Root mount failed: ", "mountroot> ", NULL };

		in_order(g, lines);
	}
	cr_assert_not(vkh_console_contains(g, "Mounting root from ufs"));
}

/* Units count per type: two disks are vkd0 and vkd1, in order. */
Test(devices, disks_are_numbered_in_order)
{
	char d0[700], d1[700];
	struct vkh_guest *g;

	snprintf(d0, sizeof(d0), "%s", image("d0.img", 8LL << 20));
	snprintf(d1, sizeof(d1), "%s", image("d1.img", 16LL << 20));
	g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .args = { "-r", d0, "-r", d1 } });
	{
		const char *lines[] = { "vkd0: 8MB (16384 512 byte sectors)",
			"vkd1: 16MB (32768 512 byte sectors)", "mountroot> ",
			NULL };

		in_order(g, lines);
	}
	cr_assert_not(vkh_console_contains(g, "vcd0"));
	/* The mountroot list shows both. */
	vkh_test_send(g, "?");
	vkh_test_expect(g, "^List of disk devices:$", 5);
	vkh_test_expect(g, "^  vkd0\t8MB, 512 byte sectors", 5);
	vkh_test_expect(g, "^  vkd1\t16MB, 512 byte sectors", 5);
	vkh_test_expect(g, "^mountroot> ", 5);
}
