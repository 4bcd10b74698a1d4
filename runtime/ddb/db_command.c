/*
 * db_command.c - the debugger's command table, the command-line parser
 * and the command loop, with the commands that only steer the debugger
 * (help, continue, reset, panic).
 *
 * A line is "name [subname ...][/modifiers] [arguments]".  Names match
 * as in BSD's ddb: an exact name wins, otherwise any unique prefix of one
 * ("cont" is continue, "sh reg" is show registers); the short aliases of
 * the original (p, x, w, c) are entries of their own.  An empty line
 * repeats the previous command, which lets examine go on where it
 * stopped.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "runtime/ddb/db_private.h"

#define DB_HELP_COLUMNS 6

static db_cmdfn_t db_help_cmd, db_continue_cmd, db_reset_cmd, db_panic_cmd;

static const struct db_command db_show_all_commands[] = {
	{ .name = "procs", .fn = db_ps_cmd },
	{ .name = NULL },
};

static const struct db_command db_show_commands[] = {
	{ .name = "all", .more = db_show_all_commands },
	{ .name = "registers", .fn = db_show_registers_cmd },
	{ .name = "sysctl", .fn = db_show_sysctl_cmd },
	{ .name = NULL },
};

const struct db_command db_commands[] = {
	{ .name = "print", .fn = db_print_cmd },
	{ .name = "p", .fn = db_print_cmd },
	{ .name = "examine", .fn = db_examine_cmd },
	{ .name = "x", .fn = db_examine_cmd },
	{ .name = "write", .fn = db_write_cmd },
	{ .name = "w", .fn = db_write_cmd },
	{ .name = "set", .fn = db_set_cmd },
	{ .name = "continue", .fn = db_continue_cmd },
	{ .name = "c", .fn = db_continue_cmd },
	{ .name = "trace", .fn = db_trace_cmd },
	{ .name = "where", .fn = db_trace_cmd },
	{ .name = "show", .more = db_show_commands },
	{ .name = "ps", .fn = db_ps_cmd },
	{ .name = "reset", .fn = db_reset_cmd },
	{ .name = "panic", .fn = db_panic_cmd },
	{ .name = "help", .fn = db_help_cmd },
	{ .name = NULL },
};

enum db_match
db_cmd_search(const struct db_command *table, const char *name,
    const struct db_command **cmdp)
{
	const struct db_command *found = NULL;
	size_t len = strlen(name);
	int prefixes = 0;

	if (len == 0)
		return (DB_MATCH_NONE);
	for (; table->name != NULL; table++) {
		if (strcmp(table->name, name) == 0) {
			*cmdp = table;
			return (DB_MATCH_ONE);
		}
		if (strncmp(table->name, name, len) == 0) {
			found = table;
			prefixes++;
		}
	}
	if (prefixes > 1)
		return (DB_MATCH_AMBIGUOUS);
	if (prefixes == 0)
		return (DB_MATCH_NONE);
	*cmdp = found;
	return (DB_MATCH_ONE);
}

/* Lists the names of table in columns, as BSD's help does. */
static void
db_list_names(const struct db_command *table)
{
	int col = 0;

	for (; table->name != NULL; table++) {
		db_printf("%-12s", table->name);
		if (++col == DB_HELP_COLUMNS) {
			db_printf("\n");
			col = 0;
		}
	}
	if (col != 0)
		db_printf("\n");
}

static int
db_help_cmd(const struct db_cmdargs *args)
{
	(void)args;
	db_list_names(db_commands);
	return (0);
}

static int
db_continue_cmd(const struct db_cmdargs *args)
{
	(void)args;
	return (DB_LEAVE);
}

static int
db_reset_cmd(const struct db_cmdargs *args)
{
	(void)args;
	db_ops->reset();
	return (0);
}

static int
db_panic_cmd(const struct db_cmdargs *args)
{
	(void)args;
	db_ops->panic("from debugger");
	return (0);
}

/*
 * Finds the command a line names, descending into subcommand tables;
 * prints why when there is none.  Returns the command or NULL.
 */
static const struct db_command *
db_find_command(struct db_lex *lx)
{
	const struct db_command *table = db_commands, *cmd = NULL;
	char name[DB_NAME_MAX];

	for (;;) {
		if (db_lex_word(lx, name, sizeof(name)) == 0) {
			if (cmd == NULL) {
				db_printf("Syntax error\n");
				return (NULL);
			}
			/* "show" alone: say what it can show. */
			db_list_names(table);
			return (NULL);
		}
		switch (db_cmd_search(table, name, &cmd)) {
		case DB_MATCH_NONE:
			db_printf("No such command\n");
			return (NULL);
		case DB_MATCH_AMBIGUOUS:
			db_printf("Ambiguous\n");
			return (NULL);
		case DB_MATCH_ONE:
			break;
		}
		if (cmd->more == NULL)
			return (cmd);
		table = cmd->more;
	}
}

int
db_command_line(const char *line, bool repeat)
{
	const struct db_command *cmd;
	struct db_cmdargs args;
	char modif[DB_NAME_MAX];
	struct db_lex lx;

	db_lex_init(&lx, line);
	if (db_lex_eol(&lx))
		return (0);
	if ((cmd = db_find_command(&lx)) == NULL)
		return (0);
	modif[0] = '\0';
	if (db_lex_accept(&lx, '/') &&
	    db_lex_word(&lx, modif, sizeof(modif)) >= sizeof(modif)) {
		db_printf("Bad modifier\n");
		return (0);
	}
	args.modif = modif;
	args.lx = &lx;
	args.repeat = repeat;
	return (cmd->fn(&args));
}

int
db_command_loop(void)
{
	char line[DB_LINE_MAX], last[DB_LINE_MAX];
	bool repeat;
	int n;

	last[0] = '\0';
	for (;;) {
		db_printf("db> ");
		n = db_readline(line, sizeof(line));
		if (n == DB_INPUT_EOF || n == DB_INPUT_SIGNAL)
			return (n);
		repeat = false;
		if (n == 0 || strspn(line, " \t") == (size_t)n) {
			if (last[0] == '\0')
				continue;
			memcpy(line, last, sizeof(line));
			repeat = true;
		} else {
			memcpy(last, line, sizeof(last));
		}
		if (db_command_line(line, repeat) == DB_LEAVE)
			return (0);
	}
}
