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
