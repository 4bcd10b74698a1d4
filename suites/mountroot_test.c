/*
 * mountroot_test.c - the mountroot prompt: reached straight when there is
 * no root device, "?" lists the disks, a typed root is tried and its
 * error shown, and the prompt also works on pipes (no terminal).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh.h"

#define T 5

static char dir[] = "/tmp/vk-mountroot.XXXXXX";

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

TestSuite(mountroot, .init = setup, .fini = teardown, .timeout = 60);

Test(mountroot, no_root_device_goes_straight_to_the_prompt)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) { 0 });

	cr_assert(vkh_console_contains(g, "mountroot> "));
	cr_assert_not(vkh_console_contains(g, "Mounting root from"));
}

Test(mountroot, question_mark_lists_disks)
{
	char path[700];
	struct vkh_guest *g;
	int fd;

	snprintf(path, sizeof(path), "%s/root.img", dir);
	cr_assert((fd = open(path, O_RDWR | O_CREAT, 0644)) >= 0);
	cr_assert_eq(ftruncate(fd, 16LL << 20), 0);
	close(fd);
	g = vkh_test_boot(&(struct vkh_boot_spec) { .args = { "-r", path } });
	vkh_test_send(g, "?");
	vkh_test_expect(g, "^List of disk devices:$", T);
	vkh_test_expect(g, "^  vkd0\t16MB, 512 byte sectors$", T);
	vkh_test_expect(g, "^mountroot> ", T);
}

Test(mountroot, question_mark_without_disks_says_none)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .share = true });

	vkh_test_send(g, "?");
	vkh_test_expect(g, "^List of disk devices:$", T);
	vkh_test_expect(g, "^  \\(none\\)$", T);
	vkh_test_expect(g, "^mountroot> ", T);
	vkh_test_release(g);
}

Test(mountroot, typed_root_is_tried)
{
	struct vkh_guest *g = vkh_test_boot(&(struct vkh_boot_spec) {
	    .share = true });

	vkh_test_send(g, "ufs:vkd3s0a");
	vkh_test_expect(g, "^Mounting root from ufs:vkd3s0a", T);
	vkh_test_expect_text(g, "no disk named 'vkd3s0a'", T);
	vkh_test_expect(g, "^Root mount failed: 6$", T);
	vkh_test_expect(g, "^mountroot> ", T);
	vkh_test_send(g, "bogus");
	vkh_test_expect(g, "^Root mount failed: 22$", T);
	vkh_test_expect(g, "^mountroot> ", T);
	vkh_test_release(g);
}

/* The console also works on pipes: no terminal, input still read. */
Test(mountroot, console_on_pipes)
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
		setenv("VKERNEL_DIR", dir, 1);
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
