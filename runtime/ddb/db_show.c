/*
 * db_show.c - the commands that show the machine: show registers, show
 * sysctl, trace, and set (the debugger's variables).
 *
 *	show registers[/c cpu]	registers of a held cpu (default: db_cpu)
 *	show sysctl name	a sysctl's value, or every leaf under a node
 *	trace [cpu]		a held cpu's stack, innermost frame first
 *	set $radix [=] expr	the input radix: 8, 10 or 16
 *
 * cpu numbers are decimal.  Registers and stacks are what the cpu's host
 * thread had when the debugger stopped it (see host_ddb.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "runtime/ddb/db_private.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/sysctl.h"

#define DB_SYSCTL_VALUE_MAX 512

int db_cpu;

/* The registers "show registers" prints, in BSD's order. */
static const struct {
	const char *name;
	size_t offset;
} db_regs[] = {
	{ "cs", offsetof(struct host_ddb_regs, cs) },
	{ "fs", offsetof(struct host_ddb_regs, fs) },
	{ "gs", offsetof(struct host_ddb_regs, gs) },
	{ "rax", offsetof(struct host_ddb_regs, rax) },
	{ "rcx", offsetof(struct host_ddb_regs, rcx) },
	{ "rdx", offsetof(struct host_ddb_regs, rdx) },
	{ "rbx", offsetof(struct host_ddb_regs, rbx) },
	{ "rsp", offsetof(struct host_ddb_regs, rsp) },
	{ "rbp", offsetof(struct host_ddb_regs, rbp) },
	{ "rsi", offsetof(struct host_ddb_regs, rsi) },
	{ "rdi", offsetof(struct host_ddb_regs, rdi) },
	{ "r8", offsetof(struct host_ddb_regs, r8) },
	{ "r9", offsetof(struct host_ddb_regs, r9) },
	{ "r10", offsetof(struct host_ddb_regs, r10) },
	{ "r11", offsetof(struct host_ddb_regs, r11) },
	{ "r12", offsetof(struct host_ddb_regs, r12) },
	{ "r13", offsetof(struct host_ddb_regs, r13) },
	{ "r14", offsetof(struct host_ddb_regs, r14) },
	{ "r15", offsetof(struct host_ddb_regs, r15) },
	{ "rip", offsetof(struct host_ddb_regs, rip) },
	{ "rflags", offsetof(struct host_ddb_regs, rflags) },
};

/* Explains why cpu's state cannot be shown. */
static void
db_cpu_error(int cpu, int error)
{
	if (error == EBUSY)
		db_printf("cpu%d is not stopped\n", cpu);
	else
		db_printf("No such cpu %d\n", cpu);
}

/*
 * The cpu a command names: a decimal argument (after /c or alone), else
 * db_cpu.  Returns 0 or EINVAL after printing "Syntax error".
 */
static int
db_cpu_arg(const struct db_cmdargs *args, int *cpup)
{
	*cpup = db_cpu;
	if (!db_lex_eol(args->lx) || strchr(args->modif, 'c') != NULL) {
		if (db_lex_decimal(args->lx, cpup) != 0 ||
		    !db_lex_eol(args->lx)) {
			db_printf("Syntax error: a decimal cpu number\n");
			return (EINVAL);
		}
	}
	return (0);
}

int
db_show_registers_cmd(const struct db_cmdargs *args)
{
	struct host_ddb_regs regs;
	uint64_t v;
	size_t i;
	int cpu, error;

	if (db_cpu_arg(args, &cpu) != 0)
		return (0);
	if ((error = db_ops->regs(cpu, &regs)) != 0) {
		db_cpu_error(cpu, error);
		return (0);
	}
	for (i = 0; i < sizeof(db_regs) / sizeof(db_regs[0]); i++) {
		memcpy(&v, (const char *)&regs + db_regs[i].offset, sizeof(v));
		db_printf("%-12s%#18llx", db_regs[i].name,
		    (unsigned long long)v);
		if (db_regs[i].offset == offsetof(struct host_ddb_regs, rip)) {
			db_printf("  ");
			db_printsym((uintptr_t)v);
		}
		db_printf("\n");
	}
	return (0);
}

/* Prints "name: value" for one leaf. */
static void
db_show_leaf(struct sysctl_oid *oid)
{
	char name[256], value[DB_SYSCTL_VALUE_MAX];
	int error;

	sysctl_oid_fullname(oid, name, sizeof(name));
	error = sysctl_format_value(oid, value, sizeof(value));
	if (error != 0 && error != ENOMEM) {
		db_printf("%s: error %d\n", name, error);
		return;
	}
	db_printf("%s: %s%s\n", name, value, error == ENOMEM ? "..." : "");
}

/* Prints every leaf under node, in MIB order. */
static void
db_show_node(struct sysctl_oid *node)
{
	int mib[CTL_MAXNAME], cur[CTL_MAXNAME], next[CTL_MAXNAME];
	size_t len, curlen, nextlen;
	struct sysctl_oid *oid;

	sysctl_oid_mib(node, mib, &len);
	memcpy(cur, mib, sizeof(mib));
	curlen = len;
	while (sysctl_next(cur, curlen, next, &nextlen) == 0) {
		if (nextlen < len || memcmp(next, mib, len * sizeof(int)) != 0)
			break; /* past the node */
		if (sysctl_find_mib(next, nextlen, &oid) == 0)
			db_show_leaf(oid);
		memcpy(cur, next, nextlen * sizeof(int));
		curlen = nextlen;
	}
}

int
db_show_sysctl_cmd(const struct db_cmdargs *args)
{
	char name[DB_NAME_MAX * 2];
	struct sysctl_oid *oid;
	size_t len;

	len = db_lex_arg(args->lx, name, sizeof(name));
	if (len == 0 || len >= sizeof(name) || !db_lex_eol(args->lx)) {
		db_printf("usage: show sysctl name\n");
		return (0);
	}
	if (sysctl_find(name, &oid) != 0) {
		db_printf("No such sysctl: %s\n", name);
		return (0);
	}
	if ((sysctl_oid_kind(oid) & CTLTYPE) == CTLTYPE_NODE)
		db_show_node(oid);
	else
		db_show_leaf(oid);
	return (0);
}

/* One frame: "function() at function+0xoff". */
static void
db_trace_frame(uint64_t pc, bool innermost)
{
	char name[DB_NAME_MAX];
	uintptr_t look, off;

	/*
	 * A return address may already be in the next function when the
	 * call was the last instruction (a _Noreturn callee): name the
	 * function of the call instead.
	 */
	look = innermost ? (uintptr_t)pc : (uintptr_t)pc - 1;
	if (db_ops->sym_name(look, name, sizeof(name), &off) != 0) {
		db_printf("?() at %#llx\n", (unsigned long long)pc);
		return;
	}
	if (!innermost)
		off++;
	db_printf("%s() at %s+%#lx\n", name, name, (unsigned long)off);
}

int
db_trace_cmd(const struct db_cmdargs *args)
{
	uint64_t pcs[HOST_DDB_MAXFRAMES];
	int cpu, n, i, error;

	if (db_cpu_arg(args, &cpu) != 0)
		return (0);
	if ((error = db_ops->trace(cpu, pcs, HOST_DDB_MAXFRAMES, &n)) != 0) {
		db_cpu_error(cpu, error);
		return (0);
	}
	db_printf("Tracing cpu%d\n", cpu);
	for (i = 0; i < n; i++)
		db_trace_frame(pcs[i], i == 0);
	return (0);
}

int
db_set_cmd(const struct db_cmdargs *args)
{
	char name[DB_NAME_MAX];
	uint64_t v;

	if (db_lex_word(args->lx, name, sizeof(name)) == 0 || name[0] != '$') {
		db_printf("usage: set $variable [=] expr\n");
		return (0);
	}
	if (strcmp(name, "$radix") != 0) {
		db_printf("Unknown variable %s\n", name);
		return (0);
	}
	(void)db_lex_accept(args->lx, '=');
	if (db_expression(args->lx, &v) != 0)
		return (0);
	if (!db_lex_eol(args->lx)) {
		db_printf("Syntax error\n");
		return (0);
	}
	if (v != 8 && v != 10 && v != 16) {
		db_printf("Bad radix: 8, 10 or 16\n");
		return (0);
	}
	db_radix = (int)v;
	return (0);
}
