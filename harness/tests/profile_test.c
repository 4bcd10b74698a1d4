/*
 * profile_test.c - the profile parser: the shipped profiles load, the
 * line format's quoting and defaults, and every malformed line is refused
 * with a message naming its line.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness/vkh.h"

static char err[512];

static struct vkh_profile *
parse(const char *text)
{
	err[0] = '\0';
	return (vkh_profile_parse(text, "t.profile", err, sizeof(err)));
}

/* The parse must fail with a message holding want. */
static void
refused(const char *text, const char *want)
{
	struct vkh_profile *p = parse(text);

	cr_assert_null(p, "accepted:\n%s", text);
	cr_assert_not_null(strstr(err, want), "message \"%s\" lacks \"%s\"",
	    err, want);
}

#define OK "command k\nphase a 1 x\n"

Test(profile, shipped_profiles_load)
{
	struct vkh_profile *p;

	p = vkh_profile_load("harness/profiles/vireo.profile", err,
	    sizeof(err));
	cr_assert_not_null(p, "%s", err);
	cr_assert_str_eq(vkh_profile_name(p), "vireo");
	cr_assert_eq(vkh_profile_nphases(p), 2);
	cr_assert_str_eq(vkh_profile_phase(p, 0), "banner");
	cr_assert_str_eq(vkh_profile_phase(p, 1), "mountroot");
	cr_assert_null(vkh_profile_phase(p, 2));
	vkh_profile_free(p);
	p = vkh_profile_load("harness/tests/fake.profile", err, sizeof(err));
	cr_assert_not_null(p, "%s", err);
	cr_assert_eq(vkh_profile_nphases(p), 5);
	vkh_profile_free(p);
}

Test(profile, quoting_comments_and_defaults)
{
	struct vkh_profile *p = parse("# comment\n\n  name \"a b\"  # tail\n"
				      "command k \"x y\"\n"
				      "phase a 1.5 \"^a \\\"q\\\" \\.$\"\n");

	cr_assert_not_null(p, "%s", err);
	cr_assert_str_eq(vkh_profile_name(p), "a b");
	vkh_profile_free(p);
	p = parse(OK);
	cr_assert_not_null(p, "%s", err);
	cr_assert_str_eq(vkh_profile_name(p), "t.profile");
	vkh_profile_free(p);
}

Test(profile, errors_name_the_line)
{
	refused(OK "bogus 1\n", "t.profile:3: unknown key 'bogus'");
	refused(OK "name \"open\n", "t.profile:3: unterminated quote");
	refused(OK "phase b x y\n", "t.profile:3: bad timeout 'x'");
	refused(OK "phase b 1\n", "t.profile:3: usage: phase");
	refused(OK "phase a 1 y\n", "t.profile:3: phase 'a' given twice");
	refused(OK "phase b 1 \"(\"\n", "t.profile:3: bad pattern");
	refused(OK "phase b 1 y sned x\n", "unknown phase option 'sned'");
	refused(OK "silence -1\n", "t.profile:3: 'silence' takes");
	refused(OK "panic-status 300\n", "exit status 0-255");
	refused(OK "shutdown signal NOPE\n", "unknown signal 'NOPE'");
	refused(OK "shutdown reboot\n", "usage: shutdown");
	refused(OK "env NOEQUALS\n", "usage: env NAME=VALUE");
	refused(OK "set a\n", "usage: set NAME VALUE");
	refused(OK "name a b\n", "'name' takes one value");
	refused(OK "panic \"[\"\n", "bad pattern");
	refused(OK "name \"a\"b\n", "text after closing quote");
}

Test(profile, whole_profile_checks)
{
	refused("phase a 1 x\n", "t.profile: no 'command' line");
	refused("command k\n", "t.profile: no 'phase' line");
	refused(OK "shell-phase nope\nprompt-command x\n",
	    "shell-phase 'nope' needs a phase");
	refused(OK "shell-phase a\n",
	    "needs a phase of that name and a "
	    "prompt-command");
}

Test(profile, verdict_names_round_trip)
{
	int v;

	for (v = VKH_PASS; v <= VKH_ERROR; v++)
		cr_assert_eq(vkh_verdict_parse(vkh_verdict_name(v)), v);
	cr_assert_eq(vkh_verdict_parse("nope"), -1);
	cr_assert_str_eq(vkh_verdict_name(VKH_FLAKY), "flaky");
}

Test(profile, find_by_name_and_path)
{
	char buf[512];

	cr_assert_eq(vkh_profile_find("vireo", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "harness/profiles/vireo.profile");
	cr_assert_eq(vkh_profile_find("harness/tests/fake.profile", buf,
			 sizeof(buf)),
	    0);
	cr_assert_neq(vkh_profile_find("nosuch", buf, sizeof(buf)), 0);
}
