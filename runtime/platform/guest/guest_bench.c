/*
 * guest_bench.c - benchmark of the systrap guest backend against the host.
 *
 *	guest_bench [-r runs]
 *
 * Reports, as the median of the runs (default 7) in ns per operation and
 * as a ratio to the native operation measured in the same run:
 *	getpid		a guest's raw getpid answered by the kernel (4242)
 *	fault		a guest's first touch of an unmapped page that the
 *			kernel maps (through the stopped thread) and retries
 *	touch		a guest's first touch of mapped anonymous memory,
 *			which the host handles alone (no kernel round trip)
 *	fork		fork of an address space (and its destruction)
 *	read64/read4k	copies from guest memory by process_vm_readv and
 *			through the stub's bounce buffer
 * Exit status 0, 70 on an unexpected event or error.
 */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "runtime/platform/guest/guest.h"
#include "runtime/platform/guest/tests/guest_code.h"

#define CODE	  0x400000ULL
#define DATA	  0x10000000ULL
#define STACK_TOP 0x7fff00000000ULL
#define MAX_RUNS  31

static struct guest_space *space;
static struct guest_thread *thread;

static uint64_t
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

static uint64_t
median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_u64);
	return (v[n / 2]);
}

static void
check(int error, const char *what)
{
	if (error != 0)
		errx(EX_SOFTWARE, "%s: %s", what, strerror(error));
}

static void
map(uint64_t addr, uint64_t len, int prot)
{
	struct guest_map_op op = { .kind = GUEST_MAP_ANON,
		.prot = prot,
		.addr = addr,
		.len = len };

	check(guest_map(space, NULL, &op, 1), "map");
}

static void
load(const char *start, const char *end)
{
	struct guest_map_op op = { .kind = GUEST_PROTECT,
		.prot = PROT_READ | PROT_EXEC,
		.addr = CODE,
		.len = 0x10000 };

	map(CODE, 0x10000, PROT_READ | PROT_WRITE);
	check(guest_write(space, NULL, CODE, start, (size_t)(end - start)),
	    "write code");
	check(guest_map(space, NULL, &op, 1), "protect code");
}

static void
start_regs(struct guest_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->rip = CODE;
	r->rsp = STACK_TOP - 64;
	r->rflags = 0x202;
}

/* Runs until exit (syscall 60); getpid answers 4242; returns the calls. */
static uint64_t
serve(struct guest_regs *r)
{
	struct guest_event ev;
	uint64_t calls = 0;

	for (;;) {
		check(guest_run(thread, r, &ev), "run");
		if (ev.type != GUEST_EVENT_SYSCALL)
			errx(EX_SOFTWARE,
			    "unexpected event %d signal %d at %#lx", ev.type,
			    ev.signo, (unsigned long)r->rip);
		if (r->rax == 60)
			return (calls);
		calls++;
		r->rax = r->rax == 39 ? 4242 : (uint64_t)-ENOSYS;
	}
}

static uint64_t
bench_getpid(int n)
{
	struct guest_regs r;
	uint64_t t0;

	load(gc_getpid_loop, gc_getpid_loop_end);
	start_regs(&r);
	r.rbx = (uint64_t)n;
	t0 = now();
	if (serve(&r) != (uint64_t)n)
		errx(EX_SOFTWARE, "getpid: wrong number of calls");
	return ((now() - t0) / (uint64_t)n);
}

static uint64_t
native_getpid(int n)
{
	uint64_t t0 = now();
	long r;
	int i;

	for (i = 0; i < n; i++)
		__asm__ volatile("syscall"
				 : "=a"(r)
				 : "0"((long)SYS_getpid)
				 : "rcx", "r11", "memory");
	return ((now() - t0) / (uint64_t)n);
}

/* Faults on n unmapped pages, each mapped by the kernel when it faults. */
static uint64_t
bench_fault(int n, bool premapped)
{
	struct guest_map_op op = { .kind = GUEST_MAP_ANON,
		.prot = PROT_READ | PROT_WRITE,
		.len = 4096 };
	struct guest_event ev;
	struct guest_regs r;
	uint64_t t0, elapsed;

	load(gc_touch, gc_touch_end);
	op.addr = DATA;
	op.len = (uint64_t)n * 4096;
	op.kind = GUEST_UNMAP;
	check(guest_map(space, NULL, &op, 1), "unmap");
	if (premapped)
		map(DATA, (uint64_t)n * 4096, PROT_READ | PROT_WRITE);
	op.kind = GUEST_MAP_ANON;
	op.len = 4096;
	start_regs(&r);
	r.rdi = DATA;
	r.rsi = (uint64_t)n;
	t0 = now();
	for (;;) {
		check(guest_run(thread, &r, &ev), "run");
		if (ev.type == GUEST_EVENT_SYSCALL && r.rax == 60)
			break;
		if (ev.type != GUEST_EVENT_FAULT)
			errx(EX_SOFTWARE, "fault: event %d", ev.type);
		op.addr = ev.addr & ~0xfffULL;
		check(guest_map(space, thread, &op, 1), "map page");
	}
	elapsed = now() - t0;
	return (elapsed / (uint64_t)n);
}

static uint64_t
native_touch(int n)
{
	volatile char *p;
	uint64_t t0, elapsed;
	int i;

	p = mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		err(EX_OSERR, "mmap");
	t0 = now();
	for (i = 0; i < n; i++)
		p[(size_t)i * 4096] = 1;
	elapsed = now() - t0;
	munmap((void *)p, (size_t)n * 4096);
	return (elapsed / (uint64_t)n);
}

static uint64_t
bench_fork(int n)
{
	struct guest_space *child;
	uint64_t t0 = now();
	int i;

	for (i = 0; i < n; i++) {
		check(guest_space_fork(space, &child), "fork");
		guest_space_destroy(child);
	}
	return ((now() - t0) / (uint64_t)n);
}

static uint64_t
native_fork(int n)
{
	uint64_t t0 = now();
	pid_t pid;
	int i;

	for (i = 0; i < n; i++) {
		if ((pid = fork()) == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			err(EX_OSERR, "fork");
	}
	return ((now() - t0) / (uint64_t)n);
}

static uint64_t
bench_read(int n, size_t len, struct guest_thread *via)
{
	static char buf[4096];
	uint64_t t0 = now();
	int i;

	for (i = 0; i < n; i++)
		check(guest_read(space, via, DATA, buf, len), "read");
	return ((now() - t0) / (uint64_t)n);
}

static uint64_t
memcpy_read(int n, size_t len)
{
	static char src[4096], dst[4096];
	uint64_t t0 = now();
	int i;

	for (i = 0; i < n; i++) {
		memcpy(dst, src, len);
		__asm__ volatile("" : : "r"(dst) : "memory");
	}
	return ((now() - t0) / (uint64_t)n);
}

static void
report(const char *name, uint64_t *v, uint64_t *native, int runs)
{
	uint64_t a = median(v, runs), b = median(native, runs);

	printf("%-8s %10lu ns  native %8lu ns  ratio %6.1f\n", name,
	    (unsigned long)a, (unsigned long)b, b ? (double)a / (double)b : 0);
}

int
main(int argc, char **argv)
{
	struct guest_space_config cfg = { 0 };
	uint64_t v[MAX_RUNS], nat[MAX_RUNS];
	int c, i, runs = 7;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c != 'r' || (runs = atoi(optarg)) < 1 || runs > MAX_RUNS) {
			fprintf(stderr, "usage: guest_bench [-r runs]\n");
			return (EX_USAGE);
		}
	}
	check(guest_space_create(&guest_systrap_ops, &cfg, &space), "create");
	check(guest_thread_create(space, &thread), "thread");
	map(STACK_TOP - 0x10000, 0x10000, PROT_READ | PROT_WRITE);
	for (i = 0; i < runs; i++) {
		v[i] = bench_getpid(20000);
		nat[i] = native_getpid(200000);
	}
	report("getpid", v, nat, runs);
	for (i = 0; i < runs; i++) {
		v[i] = bench_fault(2000, false);
		nat[i] = native_touch(2000);
	}
	report("fault", v, nat, runs);
	for (i = 0; i < runs; i++) {
		v[i] = bench_fault(2000, true);
		nat[i] = native_touch(2000);
	}
	report("touch", v, nat, runs);
	for (i = 0; i < runs; i++) {
		v[i] = bench_fork(20);
		nat[i] = native_fork(20);
	}
	report("fork", v, nat, runs);
	for (i = 0; i < runs; i++) {
		v[i] = bench_read(20000, 64, NULL);
		nat[i] = memcpy_read(20000, 64);
	}
	report("read64h", v, nat, runs);
	for (i = 0; i < runs; i++) {
		v[i] = bench_read(20000, 64, thread);
		nat[i] = memcpy_read(20000, 64);
	}
	report("read64s", v, nat, runs);
	for (i = 0; i < runs; i++) {
		v[i] = bench_read(20000, 4096, NULL);
		nat[i] = memcpy_read(20000, 4096);
	}
	report("read4kh", v, nat, runs);
	for (i = 0; i < runs; i++) {
		v[i] = bench_read(20000, 4096, thread);
		nat[i] = memcpy_read(20000, 4096);
	}
	report("read4ks", v, nat, runs);
	guest_thread_destroy(thread);
	guest_space_destroy(space);
	return (0);
}
