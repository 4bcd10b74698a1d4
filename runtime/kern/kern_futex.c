/*
 * kern_futex.c - futex(2): sleeping on a word of guest memory.
 *
 * A waiter is queued under the kernel lock after checking that the word
 * still holds the expected value, so that a waker (which also runs under
 * the kernel lock) either sees it queued or the guest has changed the
 * word before the check: no wake-up is lost.  Waiters are keyed by
 * (address space, address): the threads of a process share them.
 * XXX Shared futexes between processes (MAP_SHARED memory) are keyed by
 * address space too, so they do not meet across processes; the priority
 * inheritance operations and FUTEX_WAKE_OP answer ENOSYS.
 */
#include <errno.h>
#include <stdint.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/syscall_private.h"

#define FUTEX_WAIT	     0
#define FUTEX_WAKE	     1
#define FUTEX_REQUEUE	     3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_ANY     0xffffffffu

struct futex_waiter {
	const void *fw_key; /* the address space */
	uint64_t fw_addr;
	uint32_t fw_bitset;
	bool fw_woken;
	struct futex_waiter *fw_next;
};

static struct futex_waiter *futex_queue; /* XXX one list: few waiters */

struct lt_timespec {
	int64_t sec, nsec;
};

static void
enqueue(struct futex_waiter *fw)
{
	struct futex_waiter **wp;

	for (wp = &futex_queue; *wp != NULL; wp = &(*wp)->fw_next)
		continue;
	fw->fw_next = NULL;
	*wp = fw;
}

static void
dequeue(struct futex_waiter *fw)
{
	struct futex_waiter **wp;

	for (wp = &futex_queue; *wp != NULL; wp = &(*wp)->fw_next)
		if (*wp == fw) {
			*wp = fw->fw_next;
			return;
		}
}

/*
 * Wakes up to n waiters on (key, addr) whose bitset meets bitset, and
 * moves up to nmove more to addr2 (requeue).  Returns how many woke (and
 * with requeue, moved).
 */
static int
futex_wake_key(const void *key, uint64_t addr, uint32_t bitset, int n,
    uint64_t addr2, int nmove)
{
	struct futex_waiter **wp = &futex_queue, *fw;
	int woken = 0, moved = 0;

	while ((fw = *wp) != NULL) {
		if (fw->fw_key != key || fw->fw_addr != addr ||
		    (fw->fw_bitset & bitset) == 0) {
			wp = &fw->fw_next;
			continue;
		}
		if (woken < n) {
			*wp = fw->fw_next;
			fw->fw_woken = true;
			wakeup(fw);
			woken++;
		} else if (moved < nmove) {
			fw->fw_addr = addr2;
			moved++;
			wp = &fw->fw_next;
		} else
			break;
	}
	return (woken + moved);
}

int
futex_wake(struct proc *p, uint64_t uaddr, int n)
{
	return (futex_wake_key(p->p_space, uaddr, FUTEX_BITSET_ANY, n, 0, 0));
}

/* The nanoseconds to sleep for timeout ts (absolute: a deadline). */
static int
timeout_ns(const struct lt_timespec *ts, bool absolute, bool realtime,
    uint64_t *nsp)
{
	int64_t now_sec, now_nsec, ns;

	if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= 1000000000)
		return (EINVAL);
	ns = ts->sec * 1000000000 + ts->nsec;
	if (absolute) {
		if (realtime)
			host_realtime(&now_sec, &now_nsec);
		else {
			uint64_t up = uptime_ns();

			now_sec = (int64_t)(up / 1000000000u);
			now_nsec = (int64_t)(up % 1000000000u);
		}
		ns -= now_sec * 1000000000 + now_nsec;
	}
	*nsp = ns > 0 ? (uint64_t)ns : 0;
	return (ns > 0 ? 0 : ETIMEDOUT);
}

static int64_t
futex_wait(struct lwp *l, uint64_t uaddr, uint32_t val, uint64_t utimeout,
    uint32_t bitset, bool absolute, bool realtime)
{
	struct futex_waiter fw = { .fw_key = l->l_proc->p_space,
		.fw_addr = uaddr,
		.fw_bitset = bitset };
	struct lt_timespec ts;
	uint64_t ns = 0;
	uint32_t cur;
	int error;

	if (bitset == 0)
		return (-EINVAL);
	if (utimeout != 0) {
		if ((error = copyin(l, utimeout, &ts, sizeof(ts))) != 0)
			return (-error);
		error = timeout_ns(&ts, absolute, realtime, &ns);
		if (error == EINVAL)
			return (-EINVAL);
	}
	if ((error = copyin(l, uaddr, &cur, sizeof(cur))) != 0)
		return (-error);
	if (cur != val)
		return (-EAGAIN);
	if (utimeout != 0 && ns == 0)
		return (-ETIMEDOUT);
	enqueue(&fw);
	error = tsleep(&fw, PCATCH, "futex", ns);
	if (fw.fw_woken)
		return (0);
	dequeue(&fw);
	return (error == EWOULDBLOCK ? -ETIMEDOUT : -error);
}

int64_t
sys_futex(struct lwp *l, const uint64_t *a)
{
	const void *key = l->l_proc->p_space;
	uint64_t uaddr = a[0];
	int op = (int)a[1],
	    cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
	uint32_t val = (uint32_t)a[2], cur;
	int error;

	if ((uaddr & 3) != 0)
		return (-EINVAL);
	switch (cmd) {
	case FUTEX_WAIT:
		return (futex_wait(l, uaddr, val, a[3], FUTEX_BITSET_ANY, false,
		    realtime));
	case FUTEX_WAIT_BITSET:
		return (futex_wait(l, uaddr, val, a[3], (uint32_t)a[5], true,
		    realtime));
	case FUTEX_WAKE:
		return (futex_wake_key(key, uaddr, FUTEX_BITSET_ANY,
		    (int)(val > INT32_MAX ? INT32_MAX : val), 0, 0));
	case FUTEX_WAKE_BITSET:
		if ((uint32_t)a[5] == 0)
			return (-EINVAL);
		return (futex_wake_key(key, uaddr, (uint32_t)a[5],
		    (int)(val > INT32_MAX ? INT32_MAX : val), 0, 0));
	case FUTEX_CMP_REQUEUE:
		if ((error = copyin(l, uaddr, &cur, sizeof(cur))) != 0)
			return (-error);
		if (cur != (uint32_t)a[5])
			return (-EAGAIN);
		/* FALLTHROUGH */
	case FUTEX_REQUEUE:
		if ((a[4] & 3) != 0 || (int)val < 0 || (int)a[3] < 0)
			return (-EINVAL);
		return (futex_wake_key(key, uaddr, FUTEX_BITSET_ANY, (int)val,
		    a[4], (int)a[3]));
	default:
		return (-ENOSYS);
	}
}
