/*
 * ktap_test.c - guest-side test programs: a static musl program runs as
 * init on a cd9660 root, checks the kernel's system calls from inside and
 * prints KTAP; the harness turns each KTAP case into a result of its own.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vkh.h"

static char dir[] = "/tmp/vk-ktap.XXXXXX";
static char iso[300];

static void
setup(void)
{
	char self[256], cmd[1200];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	cr_assert_gt(n, 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	cr_assert_not_null(mkdtemp(dir));
	snprintf(iso, sizeof(iso), "%s/ktap.iso", dir);
	snprintf(cmd, sizeof(cmd),
	    "set -e; mkdir -p %s/root/sbin %s/root/dev; "
	    "cp %s/../guest-tests/ktap_syscalls %s/root/sbin/init; "
	    "xorriso -as mkisofs -R -o %s %s/root >/dev/null 2>&1",
	    dir, dir, self, dir, iso, dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

static void
teardown(void)
{
	char cmd[100];

	vkh_test_end();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(ktap, .init = setup, .fini = teardown, .timeout = 60);

Test(ktap, syscalls_from_inside_the_guest)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .until = "banner",
	    .args = { "-c", iso, NULL } });

	vkh_test_expect(g, "^Mounting root from cd9660:vcd0", 10);
	vkh_test_ktap(g, 20);
	vkh_test_shutdown(g);
}
