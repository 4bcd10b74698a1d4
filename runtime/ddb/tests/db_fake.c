/*
 * db_fake.c - the fake machine of db_fake.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "runtime/ddb/tests/db_fake.h"
#include "runtime/kern/sysctl.h"

unsigned char fake_mem[FAKE_MEM_SIZE];
char fake_out[16384];
int fake_resets;
char fake_panic_msg[64];

static size_t fake_outlen;
static const char *fake_input;
static int fake_end_code;

static const struct {
	const char *name;
	uintptr_t addr;
} fake_syms[] = {
	{ "alpha", FAKE_ALPHA },
	{ "beta", FAKE_BETA },
	{ "gamma", FAKE_GAMMA },
	{ "text", FAKE_TEXT },
};
#define FAKE_NSYMS (sizeof(fake_syms) / sizeof(fake_syms[0]))

/* subr_prf.o writes kprintf() output through this. */
void
host_console_write(const void *buf, size_t len)
{
	if (len > sizeof(fake_out) - 1 - fake_outlen)
		len = sizeof(fake_out) - 1 - fake_outlen;
	memcpy(fake_out + fake_outlen, buf, len);
	fake_outlen += len;
	fake_out[fake_outlen] = '\0';
}

static int
fake_getc(void)
{
	if (*fake_input == '\0')
		return (fake_end_code);
	return ((unsigned char)*fake_input++);
}

static void
fake_write(const char *buf, size_t len)
{
	host_console_write(buf, len);
}

static bool
fake_in(uintptr_t addr, size_t len, uintptr_t limit)
{
	return (addr >= FAKE_BASE && addr <= limit && len <= limit - addr);
}

static int
fake_read_mem(uintptr_t addr, void *buf, size_t len)
{
	if (!fake_in(addr, len, FAKE_BASE + FAKE_MEM_SIZE))
		return (EFAULT);
	memcpy(buf, fake_mem + (addr - FAKE_BASE), len);
	return (0);
}

static int
fake_write_mem(uintptr_t addr, const void *buf, size_t len)
{
	if (!fake_in(addr, len, FAKE_RO))
		return (EFAULT);
	memcpy(fake_mem + (addr - FAKE_BASE), buf, len);
	return (0);
}

static int
fake_sym_value(const char *name, uintptr_t *valuep)
{
	size_t i;

	for (i = 0; i < FAKE_NSYMS; i++) {
		if (strcmp(fake_syms[i].name, name) == 0) {
			*valuep = fake_syms[i].addr;
			return (0);
		}
	}
	return (ENOENT);
}

static int
fake_sym_name(uintptr_t addr, char *buf, size_t size, uintptr_t *offp)
{
	size_t i;

	if (addr < FAKE_BASE || addr >= FAKE_BASE + FAKE_MEM_SIZE)
		return (ENOENT);
	for (i = FAKE_NSYMS; i-- > 0;) {
		if (fake_syms[i].addr <= addr) {
			snprintf(buf, size, "%s", fake_syms[i].name);
			*offp = addr - fake_syms[i].addr;
			return (0);
		}
	}
	return (ENOENT);
}

static int
fake_regs(int cpu, struct host_ddb_regs *regs)
{
	if (cpu == 1)
		return (EBUSY);
	if (cpu != 0)
		return (ESRCH);
	memset(regs, 0, sizeof(*regs));
	regs->rax = 0x1234;
	regs->rsp = FAKE_RSP;
	regs->rip = FAKE_RIP;
	regs->rflags = 0x246;
	regs->cs = 0x33;
	return (0);
}

static int
fake_trace(int cpu, uint64_t *pcs, int max, int *np)
{
	static const uint64_t stack[] = { FAKE_RIP, FAKE_BETA + 1,
		0xdead0000u };
	int i;

	if (cpu != 0)
		return (cpu == 1 ? EBUSY : ESRCH);
	for (i = 0; i < 3 && i < max; i++)
		pcs[i] = stack[i];
	*np = i;
	return (0);
}

static int
fake_threads(struct db_thread *t, int max)
{
	static const struct db_thread threads[] = {
		{ .tid = 100,
		    .cpuid = 0,
		    .state = "run",
		    .held = true,
		    .pc = FAKE_RIP },
		{ .tid = 101, .cpuid = 1, .state = "idle" },
		{ .tid = 102,
		    .cpuid = HOST_DDB_INTR,
		    .state = "intr",
		    .debugger = true,
		    .pc = FAKE_TEXT },
	};
	int i;

	for (i = 0; i < 3 && i < max; i++)
		t[i] = threads[i];
	return (i);
}

static void
fake_reset(void)
{
	fake_resets++;
}

static void
fake_panic(const char *msg)
{
	snprintf(fake_panic_msg, sizeof(fake_panic_msg), "%s", msg);
}

static const struct db_ops fake_ops = {
	.getc = fake_getc,
	.write = fake_write,
	.read_mem = fake_read_mem,
	.write_mem = fake_write_mem,
	.sym_value = fake_sym_value,
	.sym_name = fake_sym_name,
	.regs = fake_regs,
	.trace = fake_trace,
	.threads = fake_threads,
	.reset = fake_reset,
	.panic = fake_panic,
};

void
fake_setup(const char *input, int end_code)
{
	static const unsigned char init[] = { 0x01, 0x02, 0x03, 0x04, 0xfe,
		0xff, 0xff, 0xff };
	uint64_t p = FAKE_BETA + 2;

	fake_input = input;
	fake_end_code = end_code;
	memset(fake_mem, 0, sizeof(fake_mem));
	memcpy(fake_mem, init, sizeof(init));
	memcpy(fake_mem + 0x10, "hello\0A\001", 8);
	memcpy(fake_mem + 0x20, &p, sizeof(p));
	fake_clear_output();
	fake_resets = 0;
	fake_panic_msg[0] = '\0';
	db_ops = &fake_ops;
	db_cpu = 0;
	db_radix = 16;
	db_next = 0;
}

void
fake_clear_output(void)
{
	fake_outlen = 0;
	fake_out[0] = '\0';
}

const char *
fake_run(const char *line)
{
	fake_clear_output();
	(void)db_command_line(line, false);
	return (fake_out);
}

void
fake_sysctl(bool kmem_writable)
{
	struct sysctl_bootinfo bi = {
		.ncpu = 4,
		.physmem = 64ULL << 20,
		.kmem_writable = kmem_writable,
	};

	if (sysctl_init_standard(&bi) != 0)
		fprintf(stderr, "fake_sysctl: sysctl_init_standard failed\n");
}
