/*
 * guest_thread.c - guest threads of the systrap backend: creation, the
 * run loop's kernel half, interruption and the FPU state.
 *
 * A guest thread is a host thread of the stub that owns one slot of the
 * shared region.  It is created stopped: its first trap (an int3 in the
 * stub, "the park") leaves it in its signal handler, and its mailbox says
 * where the xsave area of the signal frame lies.  guest_run() copies the
 * registers in, hands the mailbox over and waits for the next event;
 * guest_interrupt() raises STUB_SIG_INTR in the thread, whose handler
 * reports GUEST_EVENT_INTERRUPT (or ignores the signal if the interrupt
 * was already consumed).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/platform/guest/guest_systrap.h"

/* Any value that is not a tid: the thread has not parked yet. */
#define STATE_PARKING STATE_TID_MASK

static struct systrap_thread *
to_thread(struct guest_thread *gt)
{
	return ((struct systrap_thread *)gt);
}

int
systrap_thread_create(struct guest_space *gs, struct guest_thread **out)
{
	struct systrap_space *sp = (struct systrap_space *)gs;
	struct systrap_thread *th;
	struct stub_mailbox *mb;
	int64_t result;
	unsigned slot;
	int error;

	if ((th = calloc(1, sizeof(*th))) == NULL)
		return (ENOMEM);
	pthread_mutex_lock(&sp->lock);
	for (slot = 1; slot <= STUB_MAX_THREADS && sp->used[slot]; slot++)
		continue;
	if (slot > STUB_MAX_THREADS) {
		pthread_mutex_unlock(&sp->lock);
		free(th);
		return (ENOSPC);
	}
	mb = (struct stub_mailbox *)(sp->shared + slot * STUB_SLOT_SIZE);
	memset(mb, 0, sizeof(*mb));
	mb->state = STATE_PARKING;
	error = systrap_control(sp, STUB_CMD_THREAD, slot, &result);
	if (error == 0 && result <= 0)
		error = result < 0 ? (int)-result : EAGAIN;
	if (error == 0)
		sp->used[slot] = 1;
	pthread_mutex_unlock(&sp->lock);
	/* Wait for the park, so that the FPU state is there to read. */
	if (error == 0)
		error = systrap_await(sp, &mb->state, STATE_PARKING);
	if (error != 0) {
		if (error == ECHILD)
			sp->dead = true;
		free(th);
		return (error == ECHILD ? ECHILD : error);
	}
	th->gt.ops = gs->ops;
	th->gt.space = gs;
	th->sp = sp;
	th->slot = slot;
	th->tid = (uint32_t)result;
	th->mb = mb;
	*out = &th->gt;
	return (0);
}

void
systrap_thread_destroy(struct guest_thread *gt)
{
	struct systrap_thread *th = to_thread(gt);
	struct systrap_space *sp = th->sp;

	if (!th->dead && !sp->dead) {
		systrap_handover(th->mb, th->tid, STUB_CMD_EXIT);
		/* The robust list marks the word STATE_DIED: ECHILD. */
		(void)systrap_await(sp, &th->mb->state, th->tid);
	}
	pthread_mutex_lock(&sp->lock);
	sp->used[th->slot] = 0;
	pthread_mutex_unlock(&sp->lock);
	free(th);
}

static unsigned
fault_access(uint64_t err)
{
	if (err & 0x10)
		return (GUEST_ACCESS_EXEC);
	if (err & 0x2)
		return (GUEST_ACCESS_WRITE);
	return (GUEST_ACCESS_READ);
}

/* Converts the mailbox's record of a trap into *ev. */
static void
get_event(const struct stub_mailbox *mb, struct guest_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->signo = mb->signo;
	ev->code = mb->code;
	ev->addr = mb->addr;
	ev->trapno = mb->trapno;
	ev->err = mb->err;
	ev->status = -1;
	switch (mb->event) {
	case STUB_EV_SYSCALL:
		ev->type = GUEST_EVENT_SYSCALL;
		ev->arch = mb->arch;
		break;
	case STUB_EV_FAULT:
		ev->type = GUEST_EVENT_FAULT;
		ev->access = fault_access(mb->err);
		break;
	case STUB_EV_INTERRUPT:
		ev->type = GUEST_EVENT_INTERRUPT;
		break;
	default:
		ev->type = GUEST_EVENT_SIGNAL;
		break;
	}
}

static void
died(struct systrap_thread *th, struct guest_event *ev)
{
	struct pollfd pfd = { .fd = th->sp->pidfd, .events = POLLIN };

	th->dead = true;
	memset(ev, 0, sizeof(*ev));
	ev->type = GUEST_EVENT_DIED;
	/* The thread is gone; the rest of the process follows shortly. */
	(void)poll(&pfd, 1, 200);
	ev->status = systrap_status(th->sp);
}

int
systrap_run(struct guest_thread *gt, struct guest_regs *regs,
    struct guest_event *ev)
{
	struct systrap_thread *th = to_thread(gt);
	struct stub_mailbox *mb = th->mb;
	int error;

	if (th->dead || th->sp->dead) {
		died(th, ev);
		return (0);
	}
	__atomic_store_n(&th->running, 1, __ATOMIC_SEQ_CST);
	if (__atomic_exchange_n(&mb->intr, 0, __ATOMIC_SEQ_CST) != 0) {
		__atomic_store_n(&th->running, 0, __ATOMIC_SEQ_CST);
		memset(ev, 0, sizeof(*ev));
		ev->type = GUEST_EVENT_INTERRUPT;
		ev->status = -1;
		return (0);
	}
	_Static_assert(sizeof(*regs) == sizeof(mb->regs), "register sets");
	memcpy(&mb->regs, regs, sizeof(*regs));
	mb->event = STUB_EV_NONE;
	systrap_handover(mb, th->tid, STUB_CMD_RUN);
	error = systrap_await(th->sp, &mb->state, th->tid);
	__atomic_store_n(&th->running, 0, __ATOMIC_SEQ_CST);
	if (error != 0) {
		died(th, ev);
		return (0);
	}
	memcpy(regs, &mb->regs, sizeof(*regs));
	get_event(mb, ev);
	return (0);
}

void
systrap_interrupt(struct guest_thread *gt)
{
	struct systrap_thread *th = to_thread(gt);

	__atomic_store_n(&th->mb->intr, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&th->running, __ATOMIC_SEQ_CST) && !th->dead)
		syscall(SYS_tgkill, th->sp->pid, th->tid, STUB_SIG_INTR);
}

/* The xsave area of a stopped thread in the kernel's mapping, or NULL. */
static char *
fpu_area(struct systrap_thread *th, size_t *len)
{
	uint64_t off = th->mb->fpu_off, n = th->mb->fpu_len;

	if (th->dead || __atomic_load_n(&th->running, __ATOMIC_SEQ_CST) ||
	    n < 512 || n > GUEST_FPU_MAX || off < SLOT_ALTSTACK_OFF ||
	    off > STUB_SLOT_SIZE - n || off % 64 != 0)
		return (NULL);
	*len = (size_t)n;
	return ((char *)th->mb + off);
}

int
systrap_fpu_get(struct guest_thread *gt, void *buf, size_t len, size_t *size)
{
	size_t n;
	char *p;

	if ((p = fpu_area(to_thread(gt), &n)) == NULL)
		return (EBUSY);
	*size = n;
	if (len < n)
		return (ERANGE);
	memcpy(buf, p, n);
	return (0);
}

int
systrap_fpu_set(struct guest_thread *gt, const void *buf, size_t len)
{
	size_t n;
	char *p;

	if ((p = fpu_area(to_thread(gt), &n)) == NULL)
		return (EBUSY);
	if (len > n)
		return (ERANGE);
	memcpy(p, buf, len);
	return (0);
}
