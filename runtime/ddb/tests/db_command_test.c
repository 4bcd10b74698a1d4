/*
 * db_command_test.c - the debugger's command table, the parser and the
 * command loop, on the fake machine (db_fake.h).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "runtime/ddb/tests/db_fake.h"

static void
setup(void)
{
	fake_setup("", DB_INPUT_EOF);
}

TestSuite(db_command, .init = setup, .timeout = 10);

/* The name the real table resolves name to, or a reason it does not. */
static const char *
resolve(const char *name)
{
	const struct db_command *cmd = NULL;

	switch (db_cmd_search(db_commands, name, &cmd)) {
	case DB_MATCH_NONE:
		return ("(none)");
	case DB_MATCH_AMBIGUOUS:
		return ("(ambiguous)");
	case DB_MATCH_ONE:
		break;
	}
	return (cmd->name);
}

Test(db_command, exact_names_and_aliases)
{
	cr_assert_str_eq(resolve("continue"), "continue");
	cr_assert_str_eq(resolve("c"), "c");
	cr_assert_str_eq(resolve("p"), "p");
	cr_assert_str_eq(resolve("ps"), "ps");
	cr_assert_str_eq(resolve("x"), "x");
	cr_assert_str_eq(resolve("w"), "w");
}

Test(db_command, unique_prefixes)
{
	cr_assert_str_eq(resolve("cont"), "continue");
	cr_assert_str_eq(resolve("pr"), "print");
	cr_assert_str_eq(resolve("pa"), "panic");
	cr_assert_str_eq(resolve("sh"), "show");
	cr_assert_str_eq(resolve("tr"), "trace");
	cr_assert_str_eq(resolve("wh"), "where");
	cr_assert_str_eq(resolve("res"), "reset");
}

Test(db_command, ambiguous_and_unknown)
{
	cr_assert_str_eq(resolve("s"), "(ambiguous)"); /* set, show */
	cr_assert_str_eq(resolve("se"), "set");
	cr_assert_str_eq(resolve("frobnicate"), "(none)");
	cr_assert_str_eq(resolve("continuex"), "(none)");
	cr_assert_str_eq(resolve(""), "(none)");
}

Test(db_command, exact_name_beats_longer_names)
{
	static const struct db_command table[] = {
		{ .name = "ab" },
		{ .name = "abc" },
		{ .name = "abd" },
		{ .name = NULL },
	};
	const struct db_command *cmd = NULL;

	cr_assert_eq(db_cmd_search(table, "ab", &cmd), DB_MATCH_ONE);
	cr_assert_str_eq(cmd->name, "ab");
	cr_assert_eq(db_cmd_search(table, "a", &cmd), DB_MATCH_AMBIGUOUS);
	cr_assert_eq(db_cmd_search(table, "abd", &cmd), DB_MATCH_ONE);
	cr_assert_str_eq(cmd->name, "abd");
	cr_assert_eq(db_cmd_search(table, "abe", &cmd), DB_MATCH_NONE);
}

Test(db_command, messages_for_bad_names)
{
	cr_assert_str_eq(fake_run("frobnicate"), "No such command\n");
	cr_assert_str_eq(fake_run("s"), "Ambiguous\n");
	cr_assert_str_eq(fake_run("show frob"), "No such command\n");
	cr_assert_str_eq(fake_run("/x"), "Syntax error\n");
	cr_assert_str_eq(fake_run("   "), "");
}

Test(db_command, continue_leaves)
{
	cr_assert_eq(db_command_line("c", false), DB_LEAVE);
	cr_assert_eq(db_command_line("  cont  ", false), DB_LEAVE);
	cr_assert_eq(db_command_line("help", false), 0);
}

Test(db_command, help_lists_every_command_in_columns)
{
	const char *out = fake_run("help");
	const char *nl = strchr(out, '\n');

	cr_assert_not_null(nl);
	/* Six columns of 12 characters on a full line. */
	cr_assert_eq(nl - out, 6 * 12, "first line: %.*s", (int)(nl - out),
	    out);
	cr_assert_eq(strncmp(out, "print       p           examine", 31), 0,
	    "%s", out);
	for (const struct db_command *c = db_commands; c->name != NULL; c++)
		cr_assert_not_null(strstr(out, c->name), "%s missing", c->name);
}

Test(db_command, show_alone_lists_what_it_shows)
{
	cr_assert_str_eq(fake_run("show"),
	    "all         registers   sysctl      \n");
	cr_assert_str_eq(fake_run("show all"), "procs       \n");
}

Test(db_command, panic_and_reset_reach_the_machine)
{
	fake_run("panic");
	cr_assert_str_eq(fake_panic_msg, "from debugger");
	cr_assert_eq(fake_resets, 0);
	fake_run("reset");
	cr_assert_eq(fake_resets, 1);
}

Test(db_command, loop_prompts_runs_and_leaves)
{
	fake_setup("frob\rhelp\rc\rnever\r", DB_INPUT_EOF);
	cr_assert_eq(db_command_loop(), 0);
	cr_assert_eq(strncmp(fake_out, "db> frob\nNo such command\ndb> help\n",
			 34),
	    0, "%s", fake_out);
	cr_assert(strstr(fake_out, "db> c\n") != NULL);
	cr_assert(strstr(fake_out, "never") == NULL, "ran past continue");
}

Test(db_command, empty_line_repeats_the_last_command)
{
	fake_setup("frob\r\r  \rc\r", DB_INPUT_EOF);
	cr_assert_eq(db_command_loop(), 0);
	cr_assert_str_eq(fake_out,
	    "db> frob\nNo such command\n"
	    "db> \nNo such command\n"
	    "db>   \nNo such command\n"
	    "db> c\n");
}

Test(db_command, empty_line_first_does_nothing)
{
	fake_setup("\rc\r", DB_INPUT_EOF);
	cr_assert_eq(db_command_loop(), 0);
	cr_assert_str_eq(fake_out, "db> \ndb> c\n");
}

Test(db_command, end_of_input_and_host_signal_end_the_loop)
{
	fake_setup("help\r", DB_INPUT_EOF);
	cr_assert_eq(db_command_loop(), DB_INPUT_EOF);
	fake_setup("hel", DB_INPUT_SIGNAL);
	cr_assert_eq(db_command_loop(), DB_INPUT_SIGNAL);
}

Test(db_command, line_editing)
{
	char line[DB_LINE_MAX];

	/* DEL and BS erase, ^U kills the line, other controls are dropped. */
	fake_setup("contx\x7f\r", DB_INPUT_EOF);
	cr_assert_eq(db_readline(line, sizeof(line)), 4);
	cr_assert_str_eq(line, "cont");
	cr_assert_str_eq(fake_out, "contx\b \b\n");

	fake_setup("junk\x15\x01pr\bs\n", DB_INPUT_EOF);
	cr_assert_eq(db_readline(line, sizeof(line)), 2);
	cr_assert_str_eq(line, "ps");

	fake_setup("\x7f\x7fok\r", DB_INPUT_EOF);
	cr_assert_eq(db_readline(line, sizeof(line)), 2);
	cr_assert_str_eq(fake_out, "ok\n"); /* nothing to erase: no echo */
}

Test(db_command, long_lines_are_cut_not_overflowed)
{
	char input[400], line[16];

	memset(input, 'a', 300);
	strcpy(input + 300, "\r");
	fake_setup(input, DB_INPUT_EOF);
	cr_assert_eq(db_readline(line, sizeof(line)), 15);
	cr_assert_eq(strlen(line), 15);
}
