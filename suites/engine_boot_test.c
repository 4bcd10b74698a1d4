/*
 * engine_boot_test.c - the real kernel on the harness engine: boots to
 * the mountroot phase of harness/profiles/vireo.profile, shuts down with
 * SIGTERM, and is reported hung in the right phase when a profile expects
 * a phase it never reaches.
 *
 * Run from the top of the tree with VK_KERNEL set (make test-kernel).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/vkh.h"

TestSuite(engine_boot, .fini = vkh_test_end, .timeout = 60);

Test(engine_boot, reaches_mountroot_and_halts_on_sigterm)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "vireo",
	    .vars = { "memory=96m", "ncpu=1" } });

	cr_assert(vkh_phase_time(g, "banner") >= 0);
	cr_assert(vkh_phase_time(g, "mountroot") >=
	    vkh_phase_time(g, "banner"));
	cr_assert(vkh_console_contains(g,
	    "real memory = 100663296 (98304K bytes)"));
	vkh_test_shutdown(g);
}

/* True when process pid has file path open. */
static bool
has_open(pid_t pid, const char *path)
{
	char dir[64], link[600], target[600];
	struct dirent *d;
	bool found = false;
	ssize_t n;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	if ((dp = opendir(dir)) == NULL)
		return (false);
	while (!found && (d = readdir(dp)) != NULL) {
		snprintf(link, sizeof(link), "%s/%s", dir, d->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			found = strcmp(target, path) == 0;
		}
	}
	closedir(dp);
	return (found);
}

Test(engine_boot, boots_a_fresh_copy_of_its_disk_image)
{
	char master[] = "/tmp/vkh-engine-disk.XXXXXX";
	int fd = mkstemp(master);
	struct vkh_guest *g;

	cr_assert(fd >= 0);
	cr_assert(ftruncate(fd, 8 << 20) == 0);
	close(fd);
	g = vkh_test_boot(&(struct vkh_boot_spec) { .profile = "vireo",
	    .images = { master } });
	cr_assert(vkh_console_contains(g,
	    "vkd0: 8MB (16384 512 byte "
	    "sectors)"));
	cr_assert(has_open(vkh_pid(g), vkh_image(g, 0)),
	    "the kernel did not open the copy %s", vkh_image(g, 0));
	cr_assert_not(has_open(vkh_pid(g), master), "it opened the master");
	vkh_test_shutdown(g);
	unlink(master);
}

/*
 * A profile whose boot goes on past mountroot: the kernel sits silent at
 * its prompt, so the engine must call it a hang in the phase "login".
 */
Test(engine_boot, a_phase_never_reached_is_a_hang_naming_it)
{
	char path[] = "/tmp/vkh-hang.XXXXXX";
	struct vkh_status st;
	struct vkh_guest *g;
	FILE *f;
	int fd = mkstemp(path);

	cr_assert(fd >= 0 && (f = fdopen(fd, "w")) != NULL);
	fprintf(f,
	    "command ${kernel} -m 64m\nenv VKERNEL_DIR=${scratch}\n"
	    "silence 2\nphase banner 10 \"^Vireo \"\n"
	    "phase mountroot 10 \"^mountroot> $\"\n"
	    "phase login 30 \"login: $\"\npanic \"panic: \"\n"
	    "panic-status 33\n");
	fclose(f);
	g = vkh_boot(&(struct vkh_boot_spec) { .profile = path }, &st);
	unlink(path);
	cr_assert_eq(st.verdict, VKH_HANG, "%s: %s",
	    vkh_verdict_name(st.verdict), st.message);
	cr_assert_str_eq(st.phase, "login");
	cr_assert_not_null(strstr(st.message, "silent"), "%s", st.message);
	cr_assert_not_null(strstr(st.tail, "mountroot> "), "%s", st.tail);
	cr_assert(vkh_phase_time(g, "mountroot") > 0);
	vkh_destroy(g);
}

Test(engine_boot, a_bad_option_is_an_unexpected_exit)
{
	struct vkh_status st;
	struct vkh_guest *g =
	    vkh_boot(&(struct vkh_boot_spec) { .profile = "vireo",
			 .vars = { "memory=lots" } },
		&st);

	cr_assert_eq(st.verdict, VKH_CRASH, "%s", st.message);
	cr_assert_str_eq(st.phase, "banner");
	cr_assert_not_null(strstr(st.message, "status 64"), "%s", st.message);
	vkh_destroy(g);
}
