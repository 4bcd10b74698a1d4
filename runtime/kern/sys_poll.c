/*
 * sys_poll.c - waiting for descriptors: poll, ppoll, select and pselect6.
 *
 * All four scan the descriptors' fo_poll and, while nothing is ready,
 * sleep on the one channel every readiness change wakes (selwait, see
 * selwakeup() in kern_synch.c), then scan again.  select's bit sets are
 * turned into a pollfd array and back.  ppoll and pselect6 install their
 * signal mask for the wait the way sigsuspend does: a handler that runs
 * sees it, and the caller's mask comes back afterwards (l_oldmask).
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"

#define POLL_MAX   1024 /* descriptors in one call */
#define FDSET_BITS 1024 /* Linux's FD_SETSIZE */

struct lt_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

struct lt_timespec {
	int64_t sec, nsec;
};

/* Fills revents; returns how many descriptors have something. */
static int
poll_scan(struct lwp *l, struct lt_pollfd *pfd, size_t n)
{
	struct file *fp;
	size_t i;
	int ready = 0;

	for (i = 0; i < n; i++) {
		pfd[i].revents = 0;
		if (pfd[i].fd < 0)
			continue;
		if (fd_get(l->l_proc->p_fd, pfd[i].fd, &fp) != 0)
			pfd[i].revents = POLLNVAL;
		else {
			pfd[i].revents = (int16_t)(fp->f_ops->fo_poll != NULL ?
				fp->f_ops->fo_poll(fp, pfd[i].events) :
				pfd[i].events & (POLLIN | POLLOUT));
			fdrop(fp);
		}
		ready += pfd[i].revents != 0;
	}
	return (ready);
}

/*
 * Scans until something is ready or timeout_ns (-1: never) passes.
 * Returns the number ready (0 on timeout) or -errno; *leftp, when not
 * NULL, gets the nanoseconds left of the timeout.
 */
static int64_t
poll_wait(struct lwp *l, struct lt_pollfd *pfd, size_t n, int64_t timeout_ns,
    uint64_t *leftp)
{
	uint64_t deadline = 0, now = 0;
	int ready, error;

	if (timeout_ns > 0)
		deadline = host_monotonic_ns() + (uint64_t)timeout_ns;
	for (;;) {
		if ((ready = poll_scan(l, pfd, n)) > 0 || timeout_ns == 0)
			break;
		now = host_monotonic_ns();
		if (timeout_ns > 0 && now >= deadline)
			break;
		error = tsleep(&selwait, PCATCH, "poll",
		    timeout_ns > 0 ? deadline - now : 0);
		if (error != 0 && error != EWOULDBLOCK)
			return (-error);
	}
	if (leftp != NULL)
		*leftp = timeout_ns > 0 && deadline > host_monotonic_ns() ?
		    deadline - host_monotonic_ns() :
		    0;
	return (ready);
}

static int64_t
do_poll(struct lwp *l, uint64_t ufds, uint64_t nfds, int64_t timeout_ns)
{
	struct lt_pollfd *pfd;
	size_t size = nfds * sizeof(*pfd);
	int64_t r;
	int error;

	if (nfds > POLL_MAX)
		return (-EINVAL);
	if ((pfd = kmalloc(size + 1)) == NULL)
		return (-ENOMEM);
	if ((error = copyin(l, ufds, pfd, size)) != 0)
		r = -error;
	else if ((r = poll_wait(l, pfd, (size_t)nfds, timeout_ns, NULL)) >= 0 &&
	    (error = copyout(l, pfd, ufds, size)) != 0)
		r = -error;
	kfree(pfd);
	return (r);
}

/* A timespec from the guest as nanoseconds (-1 for a NULL pointer). */
static int
timeout_in(struct lwp *l, uint64_t uts, int64_t *nsp)
{
	struct lt_timespec ts;
	int error;

	*nsp = -1;
	if (uts == 0)
		return (0);
	if ((error = copyin(l, uts, &ts, sizeof(ts))) != 0)
		return (error);
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
		return (EINVAL);
	*nsp = ts.sec * 1000000000 + ts.nsec;
	return (0);
}

/* ppoll and pselect6: the wait's signal mask, as sigsuspend has it. */
static int
wait_mask(struct lwp *l, uint64_t umask, size_t size)
{
	uint64_t mask;
	int error;

	if (umask == 0)
		return (0);
	if (size != 8)
		return (EINVAL);
	if ((error = copyin(l, umask, &mask, 8)) != 0)
		return (error);
	l->l_oldmask = l->l_sigmask;
	l->l_hasoldmask = true;
	l->l_sigmask = mask & ~(((uint64_t)1 << 8) | ((uint64_t)1 << 18));
	return (0);
}

int64_t
sys_poll(struct lwp *l, const uint64_t *a)
{
	int ms = (int)a[2];

	return (do_poll(l, a[0], a[1], ms < 0 ? -1 : (int64_t)ms * 1000000));
}

int64_t
sys_ppoll(struct lwp *l, const uint64_t *a)
{
	int64_t ns;
	int error;

	if ((error = timeout_in(l, a[2], &ns)) != 0 ||
	    (error = wait_mask(l, a[3], (size_t)a[4])) != 0)
		return (-error);
	return (do_poll(l, a[0], a[1], ns));
}

/* The three fd_sets of select as one pollfd array and back. */
static int64_t
do_select(struct lwp *l, int nfds, const uint64_t usets[3], int64_t ns,
    uint64_t *leftp)
{
	static const int16_t ev[3] = { POLLIN, POLLOUT, POLLPRI };
	uint64_t sets[3][FDSET_BITS / 64], out[3][FDSET_BITS / 64];
	struct lt_pollfd *pfd;
	size_t bytes = ((size_t)nfds + 63) / 64 * 8, n = 0, i;
	int64_t r;
	int fd, k, error, count = 0;

	if (nfds < 0 || nfds > FDSET_BITS)
		return (-EINVAL);
	memset(sets, 0, sizeof(sets));
	for (k = 0; k < 3; k++)
		if (usets[k] != 0 &&
		    (error = copyin(l, usets[k], sets[k], bytes)) != 0)
			return (-error);
	if ((pfd = kmalloc(sizeof(*pfd) * (size_t)(nfds + 1))) == NULL)
		return (-ENOMEM);
	for (fd = 0; fd < nfds; fd++) {
		int16_t events = 0;

		for (k = 0; k < 3; k++)
			if (sets[k][fd / 64] >> (fd % 64) & 1)
				events |= ev[k];
		if (events != 0)
			pfd[n++] = (struct lt_pollfd) { fd, events, 0 };
	}
	r = poll_wait(l, pfd, n, ns, leftp);
	memset(out, 0, sizeof(out));
	for (i = 0; r >= 0 && i < n; i++) {
		int16_t re = pfd[i].revents;

		fd = pfd[i].fd;
		if (re & POLLNVAL) {
			r = -EBADF;
			break;
		}
		for (k = 0; k < 3; k++) {
			bool hit = k == 0 ?
			    (re & (POLLIN | POLLHUP | POLLERR)) :
			    k == 1 ? (re & (POLLOUT | POLLERR)) :
				     (re & POLLPRI);

			if (hit && (pfd[i].events & ev[k])) {
				out[k][fd / 64] |= (uint64_t)1 << (fd % 64);
				count++;
			}
		}
	}
	kfree(pfd);
	if (r < 0)
		return (r);
	for (k = 0; k < 3; k++)
		if (usets[k] != 0 &&
		    (error = copyout(l, out[k], usets[k], bytes)) != 0)
			return (-error);
	return (count);
}

int64_t
sys_select(struct lwp *l, const uint64_t *a)
{
	struct {
		int64_t sec, usec;
	} tv;
	uint64_t sets[3] = { a[1], a[2], a[3] }, left = 0;
	int64_t ns = -1, r;
	int error;

	if (a[4] != 0) {
		if ((error = copyin(l, a[4], &tv, sizeof(tv))) != 0)
			return (-error);
		if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1000000)
			return (-EINVAL);
		ns = tv.sec * 1000000000 + tv.usec * 1000;
	}
	r = do_select(l, (int)a[0], sets, ns, &left);
	if (r >= 0 && a[4] != 0) {
		/* Linux tells how much of the timeout is left. */
		tv.sec = (int64_t)(left / 1000000000u);
		tv.usec = (int64_t)(left % 1000000000u / 1000u);
		(void)copyout(l, &tv, a[4], sizeof(tv));
	}
	return (r);
}

int64_t
sys_pselect6(struct lwp *l, const uint64_t *a)
{
	struct {
		uint64_t mask, size;
	} sm = { 0, 0 };
	uint64_t sets[3] = { a[1], a[2], a[3] };
	int64_t ns;
	int error;

	if ((error = timeout_in(l, a[4], &ns)) != 0)
		return (-error);
	if (a[5] != 0 && (error = copyin(l, a[5], &sm, sizeof(sm))) != 0)
		return (-error);
	if ((error = wait_mask(l, sm.mask, (size_t)sm.size)) != 0)
		return (-error);
	return (do_select(l, (int)a[0], sets, ns, NULL));
}
