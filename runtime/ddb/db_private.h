/*
 * db_private.h - what the files of the kernel debugger share.
 *
 * The debugger is split by responsibility: db_io.c (console lines and
 * output), db_lex.c (words and numbers of a command line), db_expr.c
 * (expressions), db_command.c (the command table, the parser and the
 * loop), db_examine.c (print, examine, write), db_show.c (show, trace,
 * set), db_ps.c (ps) and db_trap.c (entering and leaving, the only file
 * that talks to the host and the rest of the kernel).
 *
 * Every effect on the machine goes through struct db_ops, which db_trap.c
 * fills with the host's services and the unit tests with fakes: console
 * input and output, memory, symbols, the held cpus, reset and panic.
 * Numbers are 64-bit; the debugger reads and prints them in db_radix
 * (16 by default, as in BSD: "0t" marks a decimal number, "0x" a
 * hexadecimal one and "0o" an octal one whatever the radix).
 */
#ifndef RUNTIME_DDB_DB_PRIVATE_H
#define RUNTIME_DDB_DB_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/platform/platform.h"

#define DB_LINE_MAX   128 /* bytes in a command line, with the NUL */
#define DB_NAME_MAX   64  /* bytes in a word or a symbol name */
#define DB_THREAD_MAX (VK_MAXCPU + 1)

/* What db_readline() and db_command_loop() report besides a line. */
#define DB_INPUT_EOF	(-1) /* end of console input */
#define DB_INPUT_SIGNAL (-2) /* the host wants the kernel to stop */

/* A command's return value: 0 stays in the debugger, DB_LEAVE leaves. */
#define DB_LEAVE 1

/* A kernel thread for ps, as db_trap.c describes it. */
struct db_thread {
	int tid;	   /* host thread id */
	int cpuid;	   /* vcpu number, or HOST_DDB_INTR */
	const char *state; /* the kernel's view: "run", "idle", "intr" */
	bool held;	   /* stopped by the debugger */
	bool debugger;	   /* running the debugger */
	uint64_t pc;	   /* where it stopped, 0 when unknown */
};

/*
 * The debugger's view of the machine.  Every function returns 0 or an
 * errno value unless it says otherwise.
 *   getc	 a console byte, or DB_INPUT_EOF, DB_INPUT_SIGNAL
 *   write	 console output
 *   read_mem, write_mem	 kernel memory; EFAULT for a bad address
 *   sym_value	 a symbol's address (ENOENT)
 *   sym_name	 the symbol containing addr and the offset (ENOENT)
 *   regs, trace a held cpu's registers and return addresses (see
 *		 host_ddb_regs(); trace sets *np)
 *   threads	 fills t with up to max threads, returns how many
 *   reset	 re-executes the kernel; returns only in tests
 *   panic	 panics with msg; returns only in tests
 */
struct db_ops {
	int (*getc)(void);
	void (*write)(const char *buf, size_t len);
	int (*read_mem)(uintptr_t addr, void *buf, size_t len);
	int (*write_mem)(uintptr_t addr, const void *buf, size_t len);
	int (*sym_value)(const char *name, uintptr_t *valuep);
	int (*sym_name)(uintptr_t addr, char *buf, size_t size,
	    uintptr_t *offp);
	int (*regs)(int cpu, struct host_ddb_regs *regs);
	int (*trace)(int cpu, uint64_t *pcs, int max, int *np);
	int (*threads)(struct db_thread *t, int max);
	void (*reset)(void);
	void (*panic)(const char *msg);
};

/*
 * The session: the machine (set before anything else runs), the cpu that
 * show registers and trace default to, the input radix, and the address
 * after the last examine (where an examine without an address starts).
 */
extern const struct db_ops *db_ops;
extern int db_cpu;
extern int db_radix;
extern uintptr_t db_next;

/* ---- db_io.c ---- */

/* Formats like kprintf() and writes through db_ops. */
void db_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Reads a line with echo, erase (BS, DEL) and kill (^U) into buf (size
 * bytes, NUL-terminated); returns its length, DB_INPUT_EOF or
 * DB_INPUT_SIGNAL.
 */
int db_readline(char *buf, size_t size);
/* Prints addr as "symbol+0xoff" ("symbol" at offset 0), else in hex. */
void db_printsym(uintptr_t addr);

/* ---- db_lex.c: a cursor over one command line ---- */

struct db_lex {
	const char *p; /* the next character */
};

void db_lex_init(struct db_lex *lx, const char *line);
/* Skips blanks; true at the end of the line. */
bool db_lex_eol(struct db_lex *lx);
/* Skips blanks; consumes c and returns true if it comes next. */
bool db_lex_accept(struct db_lex *lx, char c);
/*
 * Skips blanks and consumes a word of letters, digits and "_.$"; copies
 * at most size - 1 bytes of it into buf.  Returns the word's full length
 * (0 when no word comes next; >= size when it was cut).
 */
size_t db_lex_word(struct db_lex *lx, char *buf, size_t size);
/* Skips blanks and consumes a word of any non-blank characters. */
size_t db_lex_arg(struct db_lex *lx, char *buf, size_t size);
/*
 * Skips blanks and consumes a decimal number (cpu numbers are decimal
 * whatever the radix).  Returns 0, or EINVAL when none comes next.
 */
int db_lex_decimal(struct db_lex *lx, int *valp);

/* ---- db_expr.c ---- */

/*
 * Evaluates the expression at lx: numbers, symbols, "." (db_next), the
 * variable $radix, parentheses, unary - ~ and * (the 8 bytes at an
 * address), * / % &, + - |, << >>.  Returns 0 and *valp; otherwise prints
 * why ("Syntax error", "Symbol 'x' not found", "Division by 0", ...) and
 * returns EINVAL, ENOENT, EDOM or EFAULT.
 */
int db_expression(struct db_lex *lx, uint64_t *valp);
/* Whether an expression (not the end of the line, not ',') comes next. */
bool db_expr_present(struct db_lex *lx);

/* ---- db_command.c ---- */

/* What a command is given. */
struct db_cmdargs {
	const char *modif; /* the characters after '/', "" without one */
	struct db_lex *lx; /* at the command's arguments */
	bool repeat;	   /* an empty line repeats this command */
};

typedef int db_cmdfn_t(const struct db_cmdargs *args);

/*
 * One entry of a command table; tables end with an entry whose name is
 * NULL.  An entry has either a function or a table of subcommands
 * ("show registers").
 */
struct db_command {
	const char *name;
	db_cmdfn_t *fn;
	const struct db_command *more;
};

/* The top-level table. */
extern const struct db_command db_commands[];

enum db_match {
	DB_MATCH_NONE,	   /* "No such command" */
	DB_MATCH_ONE,	   /* *cmdp is the command */
	DB_MATCH_AMBIGUOUS /* "Ambiguous" */
};

/*
 * Looks name up in table: an exact name wins, otherwise a unique prefix
 * of one name.  Sets *cmdp on DB_MATCH_ONE.
 */
enum db_match db_cmd_search(const struct db_command *table, const char *name,
    const struct db_command **cmdp);

/*
 * Parses and runs one command line ("name[ subname...][/modif] args");
 * repeat says that an empty line asked for it again.  Returns DB_LEAVE
 * when the command leaves the debugger, 0 otherwise (errors are printed).
 */
int db_command_line(const char *line, bool repeat);

/*
 * Prompts "db> " and runs commands until one leaves (returns 0) or input
 * ends (DB_INPUT_EOF) or the host signals (DB_INPUT_SIGNAL).  An empty
 * line repeats the previous command of this loop.
 */
int db_command_loop(void);

/* ---- the commands, by file ---- */

db_cmdfn_t db_print_cmd, db_examine_cmd, db_write_cmd; /* db_examine.c */
db_cmdfn_t db_show_registers_cmd, db_show_sysctl_cmd;  /* db_show.c */
db_cmdfn_t db_trace_cmd, db_set_cmd;		       /* db_show.c */
db_cmdfn_t db_ps_cmd;				       /* db_ps.c */

#endif /* RUNTIME_DDB_DB_PRIVATE_H */
