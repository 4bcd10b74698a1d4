/*
 * console_test.c - self-tests of the console engine against scripted
 * consoles that misbehave (harness/tests/consoles/fakeos.sh through
 * harness/tests/fake.profile): every detection rule, the phases, commands
 * between markers and the shutdown.  Run from the top of the tree.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh.h"

#define PROFILE "harness/tests/fake.profile"

static struct vkh_guest *g;
static struct vkh_status st;

static void
teardown(void)
{
	vkh_destroy(g);
	g = NULL;
}

TestSuite(console, .fini = teardown, .timeout = 60);

/* Boots the scripted console in mode (and arg) up to phase until. */
static struct vkh_guest *
boot(const char *mode, const char *arg, const char *until)
{
	char m[64], a[256];
	struct vkh_boot_spec spec = { .profile = PROFILE,
		.kernel = "unused",
		.until = until,
		.vars = { m, a } };

	snprintf(m, sizeof(m), "mode=%s", mode);
	snprintf(a, sizeof(a), "arg=%s", arg != NULL ? arg : "");
	g = vkh_boot(&spec, &st);
	cr_assert_not_null(g);
	return (g);
}

static void
assert_verdict(enum vkh_verdict v, const char *phase, const char *text)
{
	cr_assert_eq(st.verdict, v, "verdict %s, expected %s (%s: %s)\n%s",
	    vkh_verdict_name(st.verdict), vkh_verdict_name(v), st.phase,
	    st.message, st.tail);
	if (phase != NULL)
		cr_assert_str_eq(st.phase, phase, "%s", st.message);
	if (text != NULL)
		cr_assert_not_null(strstr(st.message, text),
		    "message \"%s\" lacks \"%s\"", st.message, text);
}

Test(console, boots_through_every_phase_to_the_shell)
{
	boot("normal", NULL, NULL);
	assert_verdict(VKH_PASS, NULL, NULL);
	cr_assert(vkh_phase_time(g, "banner") >= 0);
	cr_assert(vkh_phase_time(g, "password") >= 0);
	cr_assert(vkh_phase_time(g, "shell") >= vkh_phase_time(g, "login"));
	cr_assert(vkh_phase_time(g, "nosuch") < 0);
}

Test(console, commands_return_output_and_status)
{
	char *out;
	int code = -1;

	boot("normal", NULL, NULL);
	assert_verdict(VKH_PASS, NULL, NULL);
	cr_assert(vkh_run(g, "echo one; echo 'two  words'", 5, &out, &code,
	    &st));
	cr_assert_str_eq(out, "one\ntwo  words\n");
	cr_assert_eq(code, 0);
	free(out);
	cr_assert(vkh_run(g, "printf partial; (exit 7)", 5, &out, &code, &st));
	cr_assert_str_eq(out, "partial");
	cr_assert_eq(code, 7);
	free(out);
	cr_assert(vkh_run(g, "true # a comment does not eat the marker", 5,
	    &out, &code, &st));
	cr_assert_eq(code, 0);
	free(out);
}

Test(console, guest_output_cannot_forge_the_status)
{
	char *out;
	int code = -1;

	boot("normal", NULL, NULL);
	cr_assert(vkh_run(g,
	    "echo VKE.0123456789abcdef:0; echo 'VKB. x'; false", 5, &out, &code,
	    &st));
	cr_assert_eq(code, 1, "the forged marker was believed: %s", out);
	cr_assert_not_null(strstr(out, "VKE.0123456789abcdef:0"));
	free(out);
}

Test(console, kernel_noise_does_not_break_commands)
{
	char *out;
	int code = -1, i;

	boot("noisy", NULL, NULL);
	assert_verdict(VKH_PASS, NULL, NULL);
	for (i = 0; i < 10; i++) {
		cr_assert(vkh_run(g, "echo marker-test; sh -c 'exit 3'", 5,
			      &out, &code, &st),
		    "%s", st.message);
		cr_assert_not_null(strstr(out, "marker-test\n"));
		cr_assert_eq(code, 3);
		free(out);
	}
}

Test(console, a_hung_command_is_a_hang_in_phase_command)
{
	char *out;
	int code;

	boot("normal", NULL, NULL);
	cr_assert_not(vkh_run(g, "sleep 30", 1, &out, &code, &st));
	assert_verdict(VKH_HANG, "command", "sleep 30");
	cr_assert_null(out);
}

Test(console, panic_in_mid_line_is_a_crash_with_its_message)
{
	/* "Mounting root from fapanic: ..." still counts as the root mount. */
	boot("panic-midline", NULL, NULL);
	assert_verdict(VKH_CRASH, "login", "panic: mid-line trouble");
	cr_assert_not_null(strstr(st.tail, "cpuid = 0"));
	cr_assert(WIFEXITED(st.wstatus) && WEXITSTATUS(st.wstatus) == 33);
}

Test(console, panic_then_debugger_prompt_is_a_crash)
{
	boot("debugger", NULL, NULL);
	assert_verdict(VKH_CRASH, "rootmount", "panic: fake ddb panic");
	cr_assert_not_null(strstr(st.message, "debugger"));
	cr_assert(st.elapsed < 1.5, "took %.2f s", st.elapsed);
}

Test(console, debugger_prompt_alone_is_a_crash)
{
	boot("dbonly", NULL, NULL);
	assert_verdict(VKH_CRASH, "rootmount", "stopped in the debugger");
}

Test(console, allowed_debugger_is_no_crash)
{
	boot("dbonly", NULL, "banner");
	assert_verdict(VKH_PASS, NULL, NULL);
	vkh_allow_debugger(g, true);
	cr_assert(vkh_expect(g, "^db> $", 2, &st), "%s", st.message);
}

Test(console, userland_panic_text_is_not_a_crash)
{
	char *out;
	int code;

	boot("fakepanic", NULL, NULL);
	assert_verdict(VKH_PASS, NULL, NULL);
	cr_assert(vkh_run(g, "echo 'panic: said a program'; sleep 1.5", 5, &out,
	    &code, &st));
	free(out);
	cr_assert(vkh_run(g, "echo still alive", 5, &out, &code, &st), "%s",
	    st.message);
	cr_assert_str_eq(out, "still alive\n");
	free(out);
}

Test(console, silence_before_root_mount_is_a_hang_there)
{
	boot("silence", "rootmount", NULL);
	assert_verdict(VKH_HANG, "rootmount", "silent");
	cr_assert(st.elapsed >= 1.9 && st.elapsed < 3.5, "%.2f", st.elapsed);
	cr_assert_not_null(strstr(st.tail, "real memory"));
}

Test(console, silence_before_login_is_a_hang_there)
{
	boot("silence", "login", NULL);
	assert_verdict(VKH_HANG, "login", NULL);
}

Test(console, flood_is_drained_and_the_boot_goes_on)
{
	boot("flood", NULL, NULL);
	assert_verdict(VKH_PASS, NULL, NULL);
	cr_assert(vkh_console_contains(g, "drown the harness"));
}

Test(console, early_exit_is_a_crash_with_the_status)
{
	boot("exit", "3", NULL);
	assert_verdict(VKH_CRASH, "rootmount", "status 3");
	cr_assert(WIFEXITED(st.wstatus) && WEXITSTATUS(st.wstatus) == 3);
}

Test(console, panic_status_alone_is_a_crash)
{
	boot("exit", "33", NULL);
	assert_verdict(VKH_CRASH, "rootmount", "panic status");
}

Test(console, death_by_signal_is_a_crash_naming_it)
{
	boot("signal", "SEGV", NULL);
	assert_verdict(VKH_CRASH, "rootmount", "signal 11");
}

Test(console, shutdown_by_signal_checks_halt_line_and_status)
{
	boot("normal", NULL, NULL);
	cr_assert(vkh_shutdown(g, &st), "%s: %s\n%s", st.phase, st.message,
	    st.tail);
	cr_assert(WIFEXITED(st.wstatus) && WEXITSTATUS(st.wstatus) == 0);
}

Test(console, shutdown_with_a_wrong_status_fails)
{
	boot("badhalt", "5", NULL);
	assert_verdict(VKH_PASS, NULL, NULL);
	cr_assert_not(vkh_shutdown(g, &st));
	assert_verdict(VKH_FAIL, "shutdown", "exit status 5");
}

Test(console, until_stops_at_the_named_phase)
{
	char *out;
	int code;

	boot("normal", NULL, "rootmount");
	assert_verdict(VKH_PASS, NULL, NULL);
	cr_assert(vkh_phase_time(g, "login") < 0);
	cr_assert_not(vkh_run(g, "true", 1, &out, &code, &st));
	assert_verdict(VKH_ERROR, "command", "no shell");
}

Test(console, unknown_phase_and_missing_profile_are_errors)
{
	boot("normal", NULL, "nosuch");
	assert_verdict(VKH_ERROR, "setup", "no phase 'nosuch'");
	vkh_destroy(g);
	g = vkh_boot(&(struct vkh_boot_spec) { .profile = "/nonexistent/x" },
	    &st);
	assert_verdict(VKH_ERROR, "setup", "no profile");
}

Test(console, images_are_fresh_copies_in_the_scratch_dir)
{
	char master[] = "/tmp/vkh-master.XXXXXX", *out;
	struct vkh_boot_spec spec = { .profile = PROFILE,
		.kernel = "unused",
		.images = { master } };
	struct stat before, after;
	int fd = mkstemp(master), code;

	cr_assert(fd >= 0);
	cr_assert(write(fd, "master data\n", 12) == 12);
	close(fd);
	stat(master, &before);
	g = vkh_boot(&spec, &st);
	assert_verdict(VKH_PASS, NULL, NULL);
	cr_assert_not_null(vkh_image(g, 0));
	cr_assert(strncmp(vkh_image(g, 0), vkh_scratch(g),
		      strlen(vkh_scratch(g))) == 0);
	cr_assert(vkh_run(g, "echo changed >>\"$FAKEOS_SCRATCH\"/0-vkh-*", 5,
	    &out, &code, &st));
	cr_assert_eq(code, 0, "%s", out);
	free(out);
	stat(master, &after);
	cr_assert_eq(before.st_size, after.st_size, "the master changed");
	unlink(master);
}
