/*
 * guest_space_test.c - unit tests of address spaces and threads: fork is
 * copy-on-write while shared mappings stay shared, two guest threads run
 * at the same time, a spinning guest is interrupted, the death of a stub
 * is reported, thread slots are reused, and a killed kernel takes its
 * stubs (and their forks) with it.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/platform/guest/tests/guest_test.h"

TestSuite(space, .init = guest_fixture_setup, .fini = guest_fixture_teardown,
    .timeout = 30);

static uint64_t
peek(struct guest_space *space, uint64_t addr)
{
	uint64_t v;

	cr_assert_eq(guest_read(space, NULL, addr, &v, 8), 0);
	return (v);
}

/* Runs count on addr, n times, in a new thread of space. */
static void
count_in(struct guest_space *space, uint64_t addr, uint64_t n)
{
	struct guest_thread *th;
	struct guest_event ev;
	struct guest_regs r;

	cr_assert_eq(guest_thread_create(space, &th), 0);
	gt_regs(&r);
	r.rip = GT_CODE;
	r.rdi = addr;
	r.rsi = n;
	ev = gt_run(th, &r);
	cr_assert_eq(ev.signo, SIGTRAP, "event %d signo %d", ev.type, ev.signo);
	guest_thread_destroy(th);
}

Test(space, fork_is_copy_on_write_and_shared_stays_shared)
{
	struct guest_space_config cfg = { .nfds = 1 };
	const uint64_t shared = 0x700000;
	struct guest_space *parent, *child;
	struct guest_map_op op = { .kind = GUEST_MAP_SHARED,
		.prot = PROT_READ | PROT_WRITE,
		.addr = shared,
		.len = 4096 };
	volatile uint64_t *image;
	uint64_t one = 1;

	/* A space that keeps a memfd standing for the memory image. */
	cr_assert_geq(cfg.fds[0] = memfd_create("image", 0), 0);
	cr_assert_eq(ftruncate(cfg.fds[0], 4096), 0);
	image = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfg.fds[0],
	    0);
	cr_assert_neq(image, MAP_FAILED);
	cr_assert_eq(guest_space_create(&guest_systrap_ops, &cfg, &parent), 0);
	gt_load(parent, gc_count, gc_count_end);
	op.fd = cfg.fds[0];
	cr_assert_eq(guest_map(parent, NULL, &op, 1), 0);
	cr_assert_eq(guest_write(parent, NULL, GT_DATA, &one, 8), 0);

	cr_assert_eq(guest_space_fork(parent, &child), 0);
	cr_assert_neq(guest_space_pid(child), guest_space_pid(parent));
	cr_assert_eq(peek(child, GT_DATA), 1, "the child has a copy");
	count_in(child, GT_DATA, 5);
	cr_assert_eq(peek(child, GT_DATA), 6);
	cr_assert_eq(peek(parent, GT_DATA), 1,
	    "the child's writes are private");
	count_in(parent, GT_DATA, 2);
	cr_assert_eq(peek(parent, GT_DATA), 3);
	cr_assert_eq(peek(child, GT_DATA), 6, "and the parent's too");

	count_in(child, shared, 7);
	cr_assert_eq(image[0], 7, "MAP_SHARED writes reach the image");
	cr_assert_eq(peek(parent, shared), 7);

	/* The child outlives its parent and forks again. */
	guest_space_destroy(parent);
	count_in(child, GT_DATA, 1);
	cr_assert_eq(peek(child, GT_DATA), 7);
	cr_assert_eq(guest_space_fork(child, &parent), 0);
	count_in(parent, GT_DATA, 1);
	cr_assert_eq(peek(parent, GT_DATA), 8);
	cr_assert_eq(peek(child, GT_DATA), 7);
	guest_space_destroy(parent);
	guest_space_destroy(child);
}

/* Copies the program between start and end to addr in space. */
static void
put_code(struct guest_space *space, uint64_t addr, const char *start,
    const char *end)
{
	cr_assert_eq(guest_write(space, NULL, addr, start,
			 (size_t)(end - start)),
	    0);
}

/*
 * A fork by a stopped thread: the child's thread is its copy (same FPU
 * state, runs at once from the registers given), memory is copied on
 * write, the child's control channel works (via NULL: mappings, copies,
 * new threads), and the child outlives its parent and forks again.
 */
Test(space, thread_fork_gives_the_child_a_copy_of_the_thread)
{
	unsigned char area[GUEST_FPU_MAX];
	struct guest_space *child, *grandchild;
	struct guest_thread *cth, *gth;
	struct guest_map_op op = { .kind = GUEST_MAP_ANON,
		.prot = PROT_READ | PROT_WRITE,
		.addr = 0x800000,
		.len = 4096 };
	struct guest_event ev;
	struct guest_regs r, stopped;
	uint64_t one = 1, xmm0;
	size_t size;

	/* fpu stops at its first int3; count comes later, in the child. */
	gt_load(gt_space, gc_fpu, gc_fpu_end);
	cr_assert_eq(guest_write(gt_space, NULL, GT_DATA, &one, 8), 0);
	gt_regs(&r);
	r.rax = 0x1122334455667788ULL;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP);

	stopped = r;
	cr_assert_eq(guest_thread_fork(gt_thread, &child, &cth), 0);
	cr_assert_neq(guest_space_pid(child), guest_space_pid(gt_space));
	cr_assert_eq(guest_fpu_get(cth, area, sizeof(area), &size), 0);
	memcpy(&xmm0, area + 160, 8);
	cr_assert_eq(xmm0, 0x1122334455667788ULL, "the FPU state is copied");
	/* The child's thread goes on where the parent's stopped. */
	ev = gt_run(cth, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(r.rax, 0x1122334455667788ULL);
	r = stopped;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP, "and the parent's thread too");
	cr_assert_eq(r.rax, 0x1122334455667788ULL);

	/* Memory is copied on write; the control channel serves the child
	 * once its thread has started it. */
	cr_assert_eq(peek(child, GT_DATA), 1);
	cr_assert_eq(guest_map(child, NULL, &op, 1), ENOTCONN);
	cr_assert_eq(guest_thread_create(child, &gth), ENOTCONN);
	cr_assert_eq(guest_space_control(child, cth), 0);
	cr_assert_eq(guest_space_control(child, cth), 0, "once is enough");
	cr_assert_eq(guest_map(child, NULL, &op, 1), 0);
	put_code(child, 0x800000, gc_count, gc_count_end);
	op.kind = GUEST_PROTECT;
	op.prot = PROT_READ | PROT_EXEC;
	cr_assert_eq(guest_map(child, NULL, &op, 1), 0);
	cr_assert_eq(guest_thread_create(child, &gth), 0);
	gt_regs(&r);
	r.rip = 0x800000;
	r.rdi = GT_DATA;
	r.rsi = 4;
	ev = gt_run(gth, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	guest_thread_destroy(gth);
	cr_assert_eq(peek(child, GT_DATA), 5);
	cr_assert_eq(peek(gt_space, GT_DATA), 1,
	    "the child's writes are private");
	cr_assert_eq(guest_read(gt_space, NULL, 0x800000, &xmm0, 8), EFAULT,
	    "the child's mappings too");

	/* The child outlives its parent and forks again, by its thread. */
	guest_thread_destroy(gt_thread);
	guest_space_destroy(gt_space);
	gt_thread = NULL;
	gt_space = NULL;
	gt_regs(&r);
	r.rip = 0x800000;
	r.rdi = GT_DATA;
	r.rsi = 1;
	ev = gt_run(cth, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(guest_thread_fork(cth, &grandchild, &gth), 0);
	r.rsi = 10;
	r.rip = 0x800000;
	ev = gt_run(gth, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(peek(grandchild, GT_DATA), 16);
	cr_assert_eq(peek(child, GT_DATA), 6);
	guest_thread_destroy(gth);
	guest_space_destroy(grandchild);
	guest_thread_destroy(cth);
	guest_space_destroy(child);
}

/* A fork by a second thread: the child's thread is in that thread's slot. */
Test(space, thread_fork_from_a_second_thread)
{
	struct guest_thread *second, *cth, *more;
	struct guest_space *child;
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_count, gc_count_end);
	cr_assert_eq(guest_thread_create(gt_space, &second), 0);
	gt_regs(&r);
	r.rdi = GT_DATA;
	r.rsi = 3;
	ev = gt_run(second, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(guest_thread_fork(second, &child, &cth), 0);
	r.rip = GT_CODE;
	r.rsi = 3;
	ev = gt_run(cth, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(peek(child, GT_DATA), 6);
	/* Slot 1 is free in the child: a new thread takes it. */
	cr_assert_eq(guest_space_control(child, cth), 0);
	cr_assert_eq(guest_thread_create(child, &more), 0);
	r.rip = GT_CODE;
	r.rsi = 3;
	ev = gt_run(more, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(peek(child, GT_DATA), 9);
	cr_assert_eq(peek(gt_space, GT_DATA), 3);
	guest_thread_destroy(more);
	guest_thread_destroy(cth);
	guest_space_destroy(child);
	guest_thread_destroy(second);
}

static void *
long_count_main(void *arg)
{
	struct guest_event *ev = arg;
	struct guest_regs r;

	gt_regs(&r);
	r.rdi = GT_DATA;
	r.rsi = 1ULL << 40;
	(void)guest_run(gt_thread, &r, ev);
	return (NULL);
}

/* A running thread cannot fork; stopped again, it can. */
Test(space, thread_fork_of_a_running_thread_is_refused)
{
	struct guest_space *child = NULL;
	struct guest_thread *cth = NULL;
	struct guest_event ev;
	pthread_t t;

	gt_load(gt_space, gc_count, gc_count_end);
	cr_assert_eq(pthread_create(&t, NULL, long_count_main, &ev), 0);
	while (peek(gt_space, GT_DATA) == 0) /* it counts: it runs */
		usleep(100);
	cr_assert_eq(guest_thread_fork(gt_thread, &child, &cth), EINVAL);
	guest_interrupt(gt_thread);
	pthread_join(t, NULL);
	cr_assert_eq(ev.type, GUEST_EVENT_INTERRUPT);
	cr_assert_eq(guest_thread_fork(gt_thread, &child, &cth), 0);
	cr_assert_gt(peek(child, GT_DATA), 0);
	guest_thread_destroy(cth);
	guest_space_destroy(child);
}

struct counting {
	struct guest_thread *th;
	uint64_t addr, n, ns;
	int signo;
};

static void *
counting_main(void *arg)
{
	struct counting *c = arg;
	struct guest_event ev;
	struct guest_regs r;
	uint64_t t0 = gt_now();

	gt_regs(&r);
	r.rdi = c->addr;
	r.rsi = c->n;
	if (guest_run(c->th, &r, &ev) == 0)
		c->signo = ev.signo;
	c->ns = gt_now() - t0;
	return (NULL);
}

/* CPU time used by the stub process so far, in ns. */
static uint64_t
stub_cpu(struct guest_space *space)
{
	struct timespec ts;
	clockid_t clock;

	cr_assert_eq(clock_getcpuclockid(guest_space_pid(space), &clock), 0);
	cr_assert_eq(clock_gettime(clock, &ts), 0);
	return ((uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
}

/*
 * Runs two threads counting n each at the same time; returns the CPU time
 * the stub used divided by the time that passed, in percent.
 */
static uint64_t
run_both(struct counting *c, uint64_t n)
{
	uint64_t t0, cpu, wall;
	pthread_t thr[2];
	int i;

	t0 = gt_now();
	cpu = stub_cpu(gt_space);
	for (i = 0; i < 2; i++) {
		c[i].addr = GT_DATA + 4096 * (uint64_t)(i + 1);
		cr_assert_eq(guest_write(gt_space, NULL, c[i].addr,
				 &(uint64_t) { 0 }, 8),
		    0);
		c[i].n = n;
		pthread_create(&thr[i], NULL, counting_main, &c[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(thr[i], NULL);
	wall = gt_now() - t0;
	cpu = stub_cpu(gt_space) - cpu;
	for (i = 0; i < 2; i++) {
		cr_assert_eq(c[i].signo, SIGTRAP);
		cr_assert_eq(peek(gt_space, c[i].addr), n);
	}
	cr_log_info("both: %lu ms, stub CPU %lu ms",
	    (unsigned long)(wall / 1000000), (unsigned long)(cpu / 1000000));
	return (cpu * 100 / wall);
}

/*
 * The stub uses more CPU time than the time that passes only if its two
 * threads run at the same time; other load on the host (Criterion runs
 * tests in parallel) can hide that but not fake it, so a few attempts.
 */
Test(space, two_threads_run_at_the_same_time)
{
	const struct timespec pause = { 0, 200 * 1000 * 1000 };
	uint64_t n = 20000000, ratio = 0;
	struct counting c[2];
	int attempt;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("one CPU");
	gt_load(gt_space, gc_count, gc_count_end);
	memset(c, 0, sizeof(c));
	c[0].th = gt_thread;
	cr_assert_eq(guest_thread_create(gt_space, &c[1].th), 0);
	/* Calibrate: about 100 ms for one thread alone. */
	for (;;) {
		c[0].addr = GT_DATA;
		c[0].n = n;
		counting_main(&c[0]);
		cr_assert_eq(c[0].signo, SIGTRAP);
		if (c[0].ns > 100000000 || n > (1ULL << 36))
			break;
		n *= 4;
	}
	for (attempt = 0; attempt < 8 && ratio < 130; attempt++) {
		nanosleep(&pause, NULL);
		ratio = run_both(c, n);
	}
	cr_assert_geq(ratio, 130, "the stub used %lu%% of one CPU",
	    (unsigned long)ratio);
	guest_thread_destroy(c[1].th);
}

static void *
interrupter(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	guest_interrupt(arg);
	return (NULL);
}

Test(space, interrupt_stops_a_spinning_guest)
{
	struct guest_event ev;
	struct guest_regs r;
	pthread_t thr;
	uint64_t t0;
	int i;

	gt_load(gt_space, gc_spin, gc_spin_end);
	gt_regs(&r);
	for (i = 0; i < 3; i++) {
		t0 = gt_now();
		pthread_create(&thr, NULL, interrupter, gt_thread);
		ev = gt_run(gt_thread, &r);
		pthread_join(thr, NULL);
		cr_assert_eq(ev.type, GUEST_EVENT_INTERRUPT, "event %d",
		    ev.type);
		cr_assert_eq(r.rip, GT_CODE, "stopped in the loop");
		cr_assert_geq(gt_now() - t0, 40000000ULL);
	}
	/* Before the run: the run returns at once, and only once. */
	guest_interrupt(gt_thread);
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_INTERRUPT);
	gt_load(gt_space, gc_trap, gc_trap_end);
	gt_regs(&r);
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP, "no stale interrupt");
}

static void *
killer(void *arg)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	kill(guest_space_pid(arg), SIGKILL);
	return (NULL);
}

Test(space, the_death_of_a_stub_is_reported)
{
	struct guest_event ev;
	struct guest_regs r;
	pthread_t thr;

	gt_load(gt_space, gc_spin, gc_spin_end);
	gt_regs(&r);
	pthread_create(&thr, NULL, killer, gt_space);
	ev = gt_run(gt_thread, &r);
	pthread_join(thr, NULL);
	cr_assert_eq(ev.type, GUEST_EVENT_DIED);
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_DIED);
}

Test(space, thread_slots_are_reused)
{
	struct guest_thread *th[8];
	struct guest_event ev;
	struct guest_regs r;
	int i, j;

	gt_load(gt_space, gc_trap, gc_trap_end);
	for (i = 0; i < 40; i++) {
		for (j = 0; j < 8; j++)
			cr_assert_eq(guest_thread_create(gt_space, &th[j]), 0);
		for (j = 0; j < 8; j++) {
			gt_regs(&r);
			ev = gt_run(th[j], &r);
			cr_assert_eq(ev.signo, SIGTRAP);
			guest_thread_destroy(th[j]);
		}
	}
}

static bool
gone_within(int pidfd, int ms)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return (poll(&pfd, 1, ms) == 1);
}

Test(space, a_killed_kernel_takes_its_stubs_with_it)
{
	struct guest_space *sp, *forked;
	struct guest_thread *th;
	struct guest_event ev;
	struct guest_regs r;
	int fds[2], pidfd[2], i, status;
	pid_t kernel, pids[2];

	cr_assert_eq(pipe(fds), 0);
	if ((kernel = fork()) == 0) {
		struct guest_space_config cfg = { 0 };

		/* The child plays the kernel: a space, a fork, a running guest. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (guest_space_create(&guest_systrap_ops, &cfg, &sp) != 0 ||
		    guest_space_fork(sp, &forked) != 0 ||
		    guest_thread_create(sp, &th) != 0)
			_exit(1);
		gt_load(sp, gc_spin, gc_spin_end);
		pids[0] = guest_space_pid(sp);
		pids[1] = guest_space_pid(forked);
		if (write(fds[1], pids, sizeof(pids)) != sizeof(pids))
			_exit(1);
		gt_regs(&r);
		guest_run(th, &r, &ev);
		_exit(2);
	}
	cr_assert_gt(kernel, 0);
	cr_assert_eq(read(fds[0], pids, sizeof(pids)), sizeof(pids));
	for (i = 0; i < 2; i++) {
		pidfd[i] = (int)syscall(SYS_pidfd_open, pids[i], 0);
		cr_assert_geq(pidfd[i], 0);
		cr_assert_not(gone_within(pidfd[i], 100), "stub %d alive",
		    (int)pids[i]);
	}
	cr_assert_eq(kill(kernel, SIGKILL), 0);
	cr_assert_eq(waitpid(kernel, &status, 0), kernel);
	cr_assert(WIFSIGNALED(status));
	for (i = 0; i < 2; i++)
		cr_assert(gone_within(pidfd[i], 5000), "stub %d outlived us",
		    (int)pids[i]);
}
