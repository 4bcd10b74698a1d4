/*
 * guest_test_util.c - the helpers of guest_test.h.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "runtime/platform/guest/tests/guest_test.h"

struct guest_space *gt_space;
struct guest_thread *gt_thread;

void
guest_fixture_setup(void)
{
	struct guest_space_config cfg = { 0 };

	cr_assert_eq(guest_space_create(&guest_systrap_ops, &cfg, &gt_space),
	    0);
	cr_assert_eq(guest_thread_create(gt_space, &gt_thread), 0);
}

void
guest_fixture_teardown(void)
{
	if (gt_thread != NULL)
		guest_thread_destroy(gt_thread);
	if (gt_space != NULL)
		guest_space_destroy(gt_space);
	gt_thread = NULL;
	gt_space = NULL;
}

void
gt_load(struct guest_space *space, const char *start, const char *end)
{
	const struct guest_map_op ops[] = {
		{ .kind = GUEST_MAP_ANON,
		    .prot = PROT_READ | PROT_WRITE,
		    .addr = GT_CODE,
		    .len = GT_CODE_SIZE },
		{ .kind = GUEST_MAP_ANON,
		    .prot = PROT_READ | PROT_WRITE,
		    .addr = GT_DATA,
		    .len = GT_DATA_SIZE },
		{ .kind = GUEST_MAP_ANON,
		    .prot = PROT_READ | PROT_WRITE,
		    .addr = GT_STACK_TOP - GT_STACK_SIZE,
		    .len = GT_STACK_SIZE },
	};
	const struct guest_map_op rx = { .kind = GUEST_PROTECT,
		.prot = PROT_READ | PROT_EXEC,
		.addr = GT_CODE,
		.len = GT_CODE_SIZE };

	cr_assert_eq(guest_map(space, NULL, ops, 3), 0);
	cr_assert_eq(guest_write(space, NULL, GT_CODE, start,
			 (size_t)(end - start)),
	    0);
	cr_assert_eq(guest_map(space, NULL, &rx, 1), 0);
}

void
gt_regs(struct guest_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = GT_CODE;
	regs->rsp = GT_STACK_TOP - 64;
	regs->rflags = 0x202;
}

struct guest_event
gt_run(struct guest_thread *thread, struct guest_regs *r)
{
	struct guest_event ev;

	cr_assert_eq(guest_run(thread, r, &ev), 0);
	return (ev);
}

struct guest_event
gt_run_to_trap(struct guest_thread *thread, struct guest_regs *r)
{
	struct guest_event ev;

	for (;;) {
		ev = gt_run(thread, r);
		if (ev.type != GUEST_EVENT_SYSCALL)
			return (ev);
		r->rax = (uint64_t)-ENOSYS;
	}
}

uint64_t
gt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec);
}
