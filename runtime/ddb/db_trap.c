/*
 * db_trap.c - entering and leaving the debugger, and the machine it
 * works on (struct db_ops on the host's services).
 *
 * The entry follows the original's messages:
 *
 *	CAUGHT SIG 3 RIP <rip> RSP <rsp> TD <tid>	(^\ only: cpu0's
 *							 interrupted context)
 *	Debugger("<why>")
 *	CPU<n> stopping CPUs: 0x<mask>
 *	 stopped
 *	Stopped at	<symbol>+<offset>
 *	db>
 *
 * and leaving with "CPU<n> restarting CPUs: 0x<mask>", " restarted".
 * For ^\ the debugger runs on the interrupt thread on behalf of cpu0:
 * cpu0 is stopped first (it "caught" the signal), then the others.  For
 * a panic it runs on the panicking thread, which stops the other cpus and
 * the interrupt thread (so that nothing else reads the console); after a
 * continue the cpus go on, but the interrupt thread stays stopped while
 * the panic syncs and exits, so that a SIGTERM cannot race with it.
 *
 * One thread at a time is in the debugger (db_lock); the thread already
 * in it may enter again (a panic typed at the prompt), which nests a new
 * prompt without stopping anything again.
 */
#include <stdbool.h>
#include <stdint.h>

#include "runtime/ddb/db_private.h"
#include "runtime/ddb/ddb.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/sysctl.h"

static host_mutex_t db_lock;
static volatile int db_owner; /* host tid of the thread in the debugger */

static int
db_host_getc(void)
{
	int c = host_ddb_getc();

	if (c == HOST_DDB_EOF)
		return (DB_INPUT_EOF);
	if (c == HOST_DDB_SIGNAL)
		return (DB_INPUT_SIGNAL);
	return (c);
}

static void
db_host_write(const char *buf, size_t len)
{
	host_console_write(buf, len);
}

static int
db_host_threads(struct db_thread *t, int max)
{
	struct host_ddb_thread ht[DB_THREAD_MAX];
	int n, i;

	n = host_ddb_threads(ht, max < DB_THREAD_MAX ? max : DB_THREAD_MAX);
	for (i = 0; i < n; i++) {
		t[i].tid = ht[i].tid;
		t[i].cpuid = ht[i].cpuid;
		t[i].held = ht[i].held;
		t[i].debugger = ht[i].debugger;
		t[i].pc = ht[i].pc;
		if (ht[i].cpuid == HOST_DDB_INTR)
			t[i].state = "intr";
		else
			t[i].state = cpu_infos[ht[i].cpuid].idle ? "idle" :
								   "run";
	}
	return (n);
}

/* reset: re-execute the kernel at once, without syncing (cpu_reset()). */
static void
db_host_reset(void)
{
	int error;

	kprintf("cpu reset, rebooting vkernel\n");
	if (kern_host != NULL) {
		error = host_reboot(kern_host);
		kprintf("reset: cannot re-execute the kernel: error %d\n",
		    error);
	}
	host_exit(NULL, VK_EXIT_PANIC);
}

static void
db_host_panic(const char *msg)
{
	panic("%s", msg);
}

static const struct db_ops db_host_ops = {
	.getc = db_host_getc,
	.write = db_host_write,
	.read_mem = host_ddb_read,
	.write_mem = host_ddb_write,
	.sym_value = host_ddb_sym_value,
	.sym_name = host_ddb_sym_name,
	.regs = host_ddb_regs,
	.trace = host_ddb_trace,
	.threads = db_host_threads,
	.reset = db_host_reset,
	.panic = db_host_panic,
};

/* Prints where the thread of cpu (or HOST_DDB_INTR) stopped. */
static void
db_stopped_at(int cpu)
{
	struct host_ddb_regs regs;

	if (host_ddb_regs(cpu, &regs) != 0)
		return;
	db_printf("Stopped at\t");
	db_printsym((uintptr_t)regs.rip);
	db_printf("\n");
}

/* The host thread id of vcpu cpu, or 0. */
static int
db_cpu_tid(int cpu)
{
	struct host_ddb_thread t[DB_THREAD_MAX];
	int n, i;

	n = host_ddb_threads(t, DB_THREAD_MAX);
	for (i = 0; i < n; i++)
		if (t[i].cpuid == cpu)
			return (t[i].tid);
	return (0);
}

/* ^\: stop cpu0 first and report its context, as its signal handler
 * does in the original. */
static void
db_catch_console_signal(void)
{
	struct host_ddb_regs regs;

	(void)host_ddb_hold(1u, false, NULL);
	if (host_ddb_regs(0, &regs) == 0)
		db_printf("CAUGHT SIG 3 RIP %08llx RSP %08llx TD %d\n",
		    (unsigned long long)regs.rip, (unsigned long long)regs.rsp,
		    db_cpu_tid(0));
	else
		db_printf("CAUGHT SIG 3 (cpu0 is not running yet)\n");
}

/* The prompt; explains an exit that was not a command. */
static void
db_run_loop(void)
{
	switch (db_command_loop()) {
	case DB_INPUT_EOF:
		db_printf("\nEnd of console input: leaving the debugger\n");
		break;
	case DB_INPUT_SIGNAL:
		db_printf("\nSignal from the host: leaving the debugger\n");
		break;
	default:
		break;
	}
}

/* A second entry by the thread already in the debugger. */
static void
db_trap_nested(const char *why)
{
	int saved_cpu = db_cpu, self;

	db_printf("Debugger(\"%s\")\n", why);
	host_ddb_snapshot();
	self = host_ddb_self_cpu();
	if (self >= 0)
		db_cpu = self;
	db_stopped_at(self != HOST_DDB_NOCPU ? self : db_cpu);
	db_run_loop();
	db_cpu = saved_cpu;
}

/*
 * The debugger: console says ^\ brought us here (on the interrupt
 * thread), panic that a panic did.
 */
static void
db_trap(const char *why, bool console, bool panicking)
{
	int self_tid = host_ddb_thread_id(), self, where;
	uint32_t others, held;

	if (__atomic_load_n(&db_owner, __ATOMIC_ACQUIRE) == self_tid) {
		db_trap_nested(why);
		return;
	}
	host_mutex_lock(&db_lock);
	__atomic_store_n(&db_owner, self_tid, __ATOMIC_RELEASE);
	db_ops = &db_host_ops;
	self = host_ddb_self_cpu();
	host_ddb_snapshot();
	others = host_ddb_cpus();
	if (console) {
		db_catch_console_signal();
		db_cpu = 0;
		where = 0;
		others &= ~(uint32_t)1; /* cpu0 stopped already */
	} else if (self >= 0) {
		db_cpu = where = self;
		others &= ~((uint32_t)1 << self);
	} else {
		/* The interrupt thread (or another) panicked: every cpu
		 * stops, cpu0 stands for the machine. */
		db_cpu = 0;
		where = self == HOST_DDB_INTR ? self : 0;
	}
	db_printf("Debugger(\"%s\")\n", why);
	db_printf("\nCPU%d stopping CPUs: 0x%08x\n", db_cpu, others);
	if (host_ddb_hold(others, true, &held) != 0)
		db_printf(" not all stopped: 0x%08x did not\n", others & ~held);
	else
		db_printf(" stopped\n");
	db_stopped_at(where);

	host_console_debug(true);
	db_run_loop();
	host_console_debug(false);

	db_printf("\nCPU%d restarting CPUs: 0x%08x\n", db_cpu, others);
	host_ddb_release(!panicking);
	db_printf(" restarted\n");
	__atomic_store_n(&db_owner, 0, __ATOMIC_RELEASE);
	host_mutex_unlock(&db_lock);
}

/* kdb_panic_hook: the debugger, if debug.debugger_on_panic says so. */
static void
db_panic_hook(const char *msg)
{
	(void)msg; /* panic() has printed it */
	if (debugger_on_panic == 0)
		return;
	db_trap("panic", false, true);
}

void
kdb_init(void)
{
	host_mutex_init(&db_lock);
	host_ddb_init();
	db_ops = &db_host_ops;
	kdb_panic_hook = db_panic_hook;
}

void
kdb_console_enter(void)
{
	db_trap("interrupt from console", true, false);
}

void
kdb_enter(const char *why)
{
	db_trap(why, false, false);
}
