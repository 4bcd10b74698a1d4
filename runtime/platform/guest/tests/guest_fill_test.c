/*
 * guest_fill_test.c - unit tests of guest_write_fill(): the filler's
 * bytes reach guest memory in pieces of at most a bounce buffer, through
 * a stopped thread and through the host (via NULL); a short piece ends
 * the transfer; EFAULT and the filler's own errors report the bytes moved
 * before them (for EFAULT, up to the page that faults, as a host copy
 * does); and the stub survives a faulting copy.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/platform/guest/tests/guest_test.h"

TestSuite(fill, .init = guest_fixture_setup, .fini = guest_fixture_teardown,
    .timeout = 20);

#define PIECE_MAX 65536 /* the bounce buffer of a thread */

/* A filler of a known pattern, with a limit and an error to inject. */
struct src {
	size_t pos;	/* bytes given so far */
	size_t limit;	/* bytes there are (the end of the "file") */
	int calls;	/* calls so far */
	int fail_at;	/* call (1-based) that fails with error, or 0 */
	int error;	/* its error */
	size_t biggest; /* largest piece asked for */
	bool overshoot; /* claim one byte more than asked */
};

static unsigned char
pattern(size_t i)
{
	return ((unsigned char)(i * 7 + i / 251));
}

static int
src_fill(void *arg, void *dst, size_t len, size_t *done)
{
	struct src *s = arg;
	unsigned char *p = dst;
	size_t i, n;

	s->calls++;
	if (len > s->biggest)
		s->biggest = len;
	if (s->fail_at == s->calls)
		return (s->error);
	n = s->limit - s->pos < len ? s->limit - s->pos : len;
	for (i = 0; i < n; i++)
		p[i] = pattern(s->pos + i);
	s->pos += n;
	*done = s->overshoot ? len + 1 : n;
	return (0);
}

/* Checks that guest memory at addr holds the pattern's first len bytes. */
static void
check_pattern(uint64_t addr, size_t len)
{
	unsigned char *buf = malloc(len);
	size_t i;

	cr_assert_not_null(buf);
	cr_assert_eq(guest_read(gt_space, NULL, addr, buf, len), 0);
	for (i = 0; i < len; i++)
		if (buf[i] != pattern(i))
			cr_assert_fail("byte %zu is %u, not %u", i, buf[i],
			    pattern(i));
	free(buf);
}

static void
whole_transfer(struct guest_thread *via)
{
	struct src s = { .limit = SIZE_MAX };
	size_t len = 3 * PIECE_MAX + 1234, moved = 1;

	gt_load(gt_space, gc_trap, gc_trap_end);
	cr_assert_eq(guest_write_fill(gt_space, via, GT_DATA + 8, len, src_fill,
			 &s, &moved),
	    0);
	cr_assert_eq(moved, len);
	cr_assert_eq(s.pos, len);
	cr_assert_eq(s.calls, 4, "pieces of a bounce buffer: %d", s.calls);
	cr_assert_leq(s.biggest, PIECE_MAX);
	check_pattern(GT_DATA + 8, len);
}

Test(fill, pieces_reach_guest_memory_through_the_stub)
{
	whole_transfer(gt_thread);
}

Test(fill, pieces_reach_guest_memory_through_the_host)
{
	whole_transfer(NULL);
}

static void
short_piece(struct guest_thread *via)
{
	struct src s = { .limit = PIECE_MAX + 100 };
	size_t moved = 0;

	gt_load(gt_space, gc_trap, gc_trap_end);
	cr_assert_eq(guest_write_fill(gt_space, via, GT_DATA, 4 * PIECE_MAX,
			 src_fill, &s, &moved),
	    0);
	cr_assert_eq(moved, PIECE_MAX + 100);
	cr_assert_eq(s.calls, 2, "nothing asked after a short piece");
	check_pattern(GT_DATA, moved);
}

Test(fill, a_short_piece_ends_the_transfer)
{
	short_piece(gt_thread);
	short_piece(NULL);
}

Test(fill, nothing_to_give_moves_nothing)
{
	struct src s = { .limit = 0 };
	size_t moved = 1;

	gt_load(gt_space, gc_trap, gc_trap_end);
	cr_assert_eq(guest_write_fill(gt_space, gt_thread, GT_DATA, 100,
			 src_fill, &s, &moved),
	    0);
	cr_assert_eq(moved, 0);
	cr_assert_eq(s.calls, 1);
	cr_assert_eq(guest_write_fill(gt_space, gt_thread, GT_DATA, 0, src_fill,
			 &s, &moved),
	    0);
	cr_assert_eq(s.calls, 1, "no call for an empty transfer");
}

/* A transfer that runs off the end of the data mapping. */
static void
efault_after_one_piece(struct guest_thread *via)
{
	struct src s = { .limit = SIZE_MAX };
	uint64_t addr = GT_DATA + GT_DATA_SIZE - PIECE_MAX - 100;
	size_t moved = 0;

	gt_load(gt_space, gc_trap, gc_trap_end);
	cr_assert_eq(guest_write_fill(gt_space, via, addr, 2 * PIECE_MAX,
			 src_fill, &s, &moved),
	    EFAULT);
	cr_assert_eq(moved, PIECE_MAX + 100,
	    "the first piece and the second's bytes before the fault: %zu",
	    moved);
	check_pattern(addr, moved);
	/* A fault inside the first piece. */
	s = (struct src) { .limit = SIZE_MAX };
	addr = GT_DATA + GT_DATA_SIZE - 5000;
	cr_assert_eq(guest_write_fill(gt_space, via, addr, 10000, src_fill, &s,
			 &moved),
	    EFAULT);
	cr_assert_eq(moved, 5000, "up to the page that faults: %zu", moved);
	check_pattern(addr, moved);
}

Test(fill, efault_reports_what_was_moved_before_it)
{
	efault_after_one_piece(gt_thread);
	efault_after_one_piece(NULL);
}

Test(fill, bad_destinations_are_efault)
{
	struct src s = { .limit = SIZE_MAX };
	struct guest_event ev;
	struct guest_regs r;
	size_t moved = 1;

	gt_load(gt_space, gc_trap, gc_trap_end);
	cr_assert_eq(guest_write_fill(gt_space, gt_thread, 0x5000000, 16,
			 src_fill, &s, &moved),
	    EFAULT, "unmapped");
	cr_assert_eq(moved, 0);
	cr_assert_eq(guest_write_fill(gt_space, gt_thread, GT_CODE, 16,
			 src_fill, &s, &moved),
	    EFAULT, "code is read-only");
	cr_assert_eq(guest_write_fill(gt_space, NULL, GT_CODE, 16, src_fill, &s,
			 &moved),
	    EFAULT, "code is read-only");
	s.calls = 0;
	cr_assert_eq(guest_write_fill(gt_space, gt_thread, GUEST_STUB_BASE, 16,
			 src_fill, &s, &moved),
	    EFAULT, "the stub's range");
	cr_assert_eq(guest_write_fill(gt_space, NULL, GUEST_ADDR_MAX - 8, 16,
			 src_fill, &s, &moved),
	    EFAULT, "past the user range");
	cr_assert_eq(s.calls, 0, "refused before asking the filler");
	gt_regs(&r);
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP, "the stub survived");
}

static void
filler_error(struct guest_thread *via)
{
	struct src s = { .limit = SIZE_MAX, .fail_at = 2, .error = EIO };
	size_t moved = 0;

	gt_load(gt_space, gc_trap, gc_trap_end);
	cr_assert_eq(guest_write_fill(gt_space, via, GT_DATA, 3 * PIECE_MAX,
			 src_fill, &s, &moved),
	    EIO);
	cr_assert_eq(moved, PIECE_MAX);
	cr_assert_eq(s.calls, 2);
	check_pattern(GT_DATA, PIECE_MAX);
}

Test(fill, the_fillers_error_ends_the_transfer)
{
	filler_error(gt_thread);
	filler_error(NULL);
}

Test(fill, a_filler_that_claims_too_much_is_einval)
{
	struct src s = { .limit = SIZE_MAX, .overshoot = true };
	size_t moved = 1;

	gt_load(gt_space, gc_trap, gc_trap_end);
	cr_assert_eq(guest_write_fill(gt_space, gt_thread, GT_DATA, 100,
			 src_fill, &s, &moved),
	    EINVAL);
	cr_assert_eq(moved, 0);
	cr_assert_eq(guest_write_fill(gt_space, NULL, GT_DATA, 100, src_fill,
			 &s, &moved),
	    EINVAL);
	cr_assert_eq(moved, 0);
}
