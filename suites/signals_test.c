/*
 * signals_test.c - host signals to the kernel: SIGQUIT enters the
 * debugger and continue returns; SIGTERM shuts down cleanly with status
 * 0 (also from the debugger, also after a panic, with its status 33) and
 * gives the terminal back as it was.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh.h"

#define T 10

TestSuite(signals, .fini = vkh_test_end, .timeout = 60);

static struct vkh_guest *
boot(bool share)
{
	return (vkh_test_boot(&(struct vkh_boot_spec) { .share = share }));
}

/* SIGQUIT from the host, as the terminal's ^\ sends it. */
Test(signals, sigquit_enters_ddb_and_continue_returns)
{
	struct vkh_guest *g = boot(true);

	vkh_allow_debugger(g, true);
	vkh_test_signal(g, SIGQUIT);
	vkh_test_expect(g, "CAUGHT SIG 3 RIP [0-9a-f]+ RSP [0-9a-f]+ TD [0-9]+",
	    T);
	vkh_test_expect(g, "^db> ", T);
	vkh_test_send(g, "continue");
	vkh_test_expect(g, "^ restarted$", T);
	vkh_test_release(g);
}

Test(signals, sigterm_halts_cleanly_with_status_0)
{
	struct vkh_guest *g = boot(false);
	int ws;

	vkh_test_signal(g, SIGTERM);
	vkh_test_expect_text(g,
	    "Caught SIGTERM from host system. Shutting down...", T);
	vkh_test_expect_text(g, "syncing disks... done", T);
	vkh_test_expect_text(g, "The operating system has halted.", T);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "status %#x", ws);
}

Test(signals, sigterm_in_ddb_shuts_down)
{
	struct vkh_guest *g = boot(false);
	int ws;

	vkh_allow_debugger(g, true);
	cr_assert_eq(vkh_send(g, "\x1c"), 0);
	vkh_test_expect(g, "^db> ", T);
	vkh_test_signal(g, SIGTERM);
	vkh_test_expect(g, "^Signal from the host: leaving the debugger$", T);
	vkh_test_expect(g, "^ restarted$", T);
	vkh_test_expect_text(g,
	    "Caught SIGTERM from host system. Shutting down...", T);
	vkh_test_expect_text(g, "The operating system has halted.", T);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "status %#x", ws);
}

Test(signals, sigterm_in_ddb_after_a_panic_ends_the_panic)
{
	struct vkh_guest *g = boot(false);
	int ws;

	vkh_allow_debugger(g, true);
	vkh_test_send(g, "abort");
	vkh_test_expect(g, "^db> ", T);
	vkh_test_signal(g, SIGTERM);
	vkh_test_expect(g, "^Signal from the host: leaving the debugger$", T);
	vkh_test_expect_text(g, "syncing disks... done", T);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 33, "status %#x", ws);
}

/*
 * The terminal comes back as it was: a shell on the same pty (a profile
 * whose command is sh) records the settings before, during and after the
 * kernel ran.
 */
Test(signals, sigterm_restores_the_terminal)
{
	char path[] = "/tmp/vk-signals-profile.XXXXXX", during[700];
	char before[512] = "", after[512] = "", mid[512] = "";
	struct vkh_guest *g;
	const char *m;
	FILE *f;
	int fd = mkstemp(path);

	cr_assert(fd >= 0 && (f = fdopen(fd, "w")) != NULL);
	fprintf(f,
	    "name sh-around-vireo\ncommand /bin/sh -c \"stty -g; echo; "
	    "exec 3<&0; '${kernel}' -m 64m 0<&3 & pid=$!; sleep 1; "
	    "stty -g >${scratch}/during; kill -TERM $pid; wait $pid; "
	    "echo status=$?; stty -g; echo END\"\n"
	    "env VKERNEL_DIR=${scratch}\nsilence 10\n"
	    "phase banner 10 \"^Vireo [0-9][^ ]* #\"\n"
	    "phase end 15 \"^END$\"\npanic \"panic: \"\npanic-status 33\n");
	fclose(f);
	g = vkh_test_boot(&(struct vkh_boot_spec) { .profile = path });
	unlink(path);
	m = vkh_transcript(g);
	cr_assert_not_null(strstr(m, "status=0"), "%s", m);
	sscanf(m, "%511s", before);
	sscanf(strstr(m, "status=0") + strlen("status=0"), "%511s", after);
	cr_assert_str_eq(after, before, "terminal settings changed");
	snprintf(during, sizeof(during), "%s/during", vkh_scratch(g));
	cr_assert_not_null(f = fopen(during, "r"));
	cr_assert(fscanf(f, "%511s", mid) == 1);
	fclose(f);
	cr_assert_str_neq(mid, before, "the console was not put in raw mode");
}
