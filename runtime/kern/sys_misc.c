/*
 * sys_misc.c - the smaller calls programs expect: times and getrusage
 * (CPU time is what each guest's stub used on the host), getrandom,
 * resource limits (getrlimit, setrlimit, prlimit64), madvise, prctl and
 * mremap.
 *
 * XXX Limits are kept and reported, and RLIMIT_NOFILE bounds nothing
 * beyond the descriptor table's own size; the others are not enforced.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/vm/vm.h"

#define NS_PER_TICK    (1000000000ULL / 100) /* clock_t: USER_HZ 100 */
#define RANDOM_CHUNK   256
#define GRND_FLAGS     0x7 /* NONBLOCK, RANDOM, INSECURE */
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2
#define PG_MASK	       4095ULL

int64_t
sys_times(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	struct {
		int64_t utime, stime, cutime, cstime;
	} t;
	uint64_t u, s;
	int error;

	proc_cputime(p, &u, &s);
	t.utime = (int64_t)(u / NS_PER_TICK);
	t.stime = (int64_t)(s / NS_PER_TICK);
	t.cutime = (int64_t)(p->p_cutime / NS_PER_TICK);
	t.cstime = (int64_t)(p->p_cstime / NS_PER_TICK);
	if (a[0] != 0 && (error = copyout(l, &t, a[0], sizeof(t))) != 0)
		return (-error);
	return ((int64_t)(uptime_ns() / NS_PER_TICK));
}

int64_t
sys_getrusage(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	struct {
		int64_t utime_sec, utime_usec, stime_sec, stime_usec;
		int64_t maxrss, rest[13];
	} ru;
	uint64_t u, s, rss = 0;
	int who = (int)a[0], pid;

	memset(&ru, 0, sizeof(ru));
	switch (who) {
	case 0: /* RUSAGE_SELF */
	case 1: /* RUSAGE_THREAD: the process's, XXX */
		proc_cputime(p, &u, &s);
		if (p->p_space != NULL &&
		    (pid = guest_space_pid(p->p_space)) > 0)
			(void)host_proc_rss(pid, &rss);
		break;
	case -1: /* RUSAGE_CHILDREN */
		u = p->p_cutime;
		s = p->p_cstime;
		break;
	default:
		return (-EINVAL);
	}
	ru.utime_sec = (int64_t)(u / 1000000000u);
	ru.utime_usec = (int64_t)(u % 1000000000u / 1000u);
	ru.stime_sec = (int64_t)(s / 1000000000u);
	ru.stime_usec = (int64_t)(s % 1000000000u / 1000u);
	ru.maxrss = (int64_t)(rss / 1024);
	return (-copyout(l, &ru, a[1], sizeof(ru)));
}

int64_t
sys_getrandom(struct lwp *l, const uint64_t *a)
{
	uint8_t buf[RANDOM_CHUNK];
	size_t done = 0, n;
	int error;

	if ((a[2] & ~(uint64_t)GRND_FLAGS) != 0)
		return (-EINVAL);
	while (done < a[1]) {
		n = a[1] - done < sizeof(buf) ? (size_t)(a[1] - done) :
						sizeof(buf);
		host_random(buf, n);
		if ((error = copyout(l, buf, a[0] + done, n)) != 0)
			return (done > 0 ? (int64_t)done : -error);
		done += n;
	}
	return ((int64_t)done);
}

int64_t
sys_prlimit64(struct lwp *l, const uint64_t *a)
{
	struct proc *p = (int)a[0] == 0 ? l->l_proc : pfind((int)a[0]);
	struct rlimit_k nl, old;
	int res = (int)a[1], error;

	if (p == NULL)
		return (-ESRCH);
	if (res < 0 || res >= PROC_NRLIMIT)
		return (-EINVAL);
	old = p->p_rlimit[res];
	if (a[2] != 0) {
		if ((error = copyin(l, a[2], &nl, sizeof(nl))) != 0)
			return (-error);
		if (nl.cur > nl.max)
			return (-EINVAL);
		if (nl.max > old.max && l->l_proc->p_euid != 0)
			return (-EPERM);
		if (res == 7 && nl.max > FD_MAX) /* RLIMIT_NOFILE */
			return (-EPERM);
		p->p_rlimit[res] = nl;
	}
	if (a[3] != 0 && (error = copyout(l, &old, a[3], sizeof(old))) != 0)
		return (-error);
	return (0);
}

int64_t
sys_getrlimit(struct lwp *l, const uint64_t *a)
{
	uint64_t b[4] = { 0, a[0], 0, a[1] };

	return (sys_prlimit64(l, b));
}

int64_t
sys_setrlimit(struct lwp *l, const uint64_t *a)
{
	uint64_t b[4] = { 0, a[0], a[1], 0 };

	return (sys_prlimit64(l, b));
}

int64_t
sys_madvise(struct lwp *l, const uint64_t *a)
{
	struct guest_map_op op;
	uint64_t len = (a[1] + PG_MASK) & ~PG_MASK;

	if ((a[0] & PG_MASK) != 0 || !guest_range_ok(a[0], len))
		return (-EINVAL);
	switch ((int)a[2]) {
	case 0: /* MADV_NORMAL */
	case 1: /* MADV_RANDOM */
	case 2: /* MADV_SEQUENTIAL */
	case 3: /* MADV_WILLNEED */
	case 8: /* MADV_FREE: the contents may go; keeping them is fine */
		return (0);
	case 4: /* MADV_DONTNEED: private pages read as zeros afterwards */
		if (len == 0)
			return (0);
		/* The host's own: protections stay, shared memory keeps
		 * its contents. */
		op = (struct guest_map_op) { .kind = GUEST_DISCARD,
			.fd = -1,
			.addr = a[0],
			.len = len };
		return (-guest_map(l->l_proc->p_space, l->l_gt, &op, 1));
	default:
		return (-EINVAL);
	}
}

int64_t
sys_prctl(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	char name[16];
	int error;

	switch ((int)a[0]) {
	case 15: /* PR_SET_NAME */
		memset(name, 0, sizeof(name));
		if ((error = copyinstr(l, a[1], name, sizeof(name))) != 0 &&
		    error != ENAMETOOLONG)
			return (-error);
		name[sizeof(name) - 1] = '\0';
		memcpy(p->p_comm, name, sizeof(p->p_comm));
		return (0);
	case 16: /* PR_GET_NAME */
		return (-copyout(l, p->p_comm, a[1], sizeof(p->p_comm)));
	case 38: /* PR_SET_NO_NEW_PRIVS: nothing here gains privileges */
		return (a[1] == 1 ? 0 : -EINVAL);
	default:
		return (-EINVAL);
	}
}

/*
 * mremap(2).  Shrinking in place unmaps the tail.  Moving (MREMAP_MAYMOVE,
 * to the address of MREMAP_FIXED or a new one) is the host's mremap in
 * the stub: the pages move, nothing is copied, protections stay and
 * shared memory stays shared.  XXX Growth in place is refused (ENOMEM):
 * the kernel keeps no map of what follows.
 */
int64_t
sys_mremap(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	uint64_t old = a[0], oldlen = (a[1] + PG_MASK) & ~PG_MASK;
	uint64_t newlen = (a[2] + PG_MASK) & ~PG_MASK, to;
	struct guest_map_op op;
	int flags = (int)a[3], error = 0;

	if ((old & PG_MASK) != 0 || newlen == 0 ||
	    (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) != 0 ||
	    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) ||
	    !guest_range_ok(old, oldlen) || !guest_range_ok(old, newlen))
		return (-EINVAL);
	if (newlen <= oldlen && !(flags & MREMAP_FIXED)) {
		if (newlen < oldlen) {
			op = (struct guest_map_op) { .kind = GUEST_UNMAP,
				.fd = -1,
				.addr = old + newlen,
				.len = oldlen - newlen };
			error = guest_map(p->p_space, l->l_gt, &op, 1);
		}
		return (error != 0 ? -error : (int64_t)old);
	}
	if (!(flags & MREMAP_MAYMOVE))
		return (-ENOMEM);
	if (newlen > oldlen && (error = vm_request(newlen - oldlen)) != 0)
		return (-error);
	if (flags & MREMAP_FIXED) {
		to = a[4];
		if ((to & PG_MASK) != 0 || !guest_range_ok(to, newlen) ||
		    (to < old + oldlen && old < to + newlen))
			return (-EINVAL);
	} else {
		if (newlen > p->p_mmap_next ||
		    !guest_range_ok(p->p_mmap_next - newlen, newlen))
			return (-ENOMEM);
		to = p->p_mmap_next -= newlen;
	}
	op = (struct guest_map_op) { .kind = GUEST_REMAP,
		.fd = -1,
		.addr = old,
		.len = oldlen,
		.to = to,
		.tolen = newlen };
	error = guest_map(p->p_space, l->l_gt, &op, 1);
	return (error != 0 ? -error : (int64_t)to);
}
