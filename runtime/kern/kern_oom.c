/*
 * kern_oom.c - guest memory against -m: refusing requests that cannot
 * fit, and killing a process when the guests together use more than the
 * machine has.
 *
 * Guest memory is host memory of the stub processes (demand-paged by the
 * host), so what the guests use is what the stubs have resident.  The
 * kernel accounts it against the size given with -m, less what the
 * kernel itself has taken from the memory image:
 *
 *  - A request for address space (mmap, brk, mremap) larger than what is
 *    left (by the daemon's last count) gets ENOMEM at once, as Linux's
 *    heuristic overcommit refuses an obviously excessive allocation.
 *  - A daemon ("pagedaemon") looks ten times a second (and frees the
 *    zombies whose parents ignore SIGCHLD); when the guests
 *    use more than there is, the process with the most resident memory
 *    (never init) is killed with SIGKILL, as BSD's pageout daemon does,
 *    with BSD's message.  The kernel itself is never at risk: its own
 *    memory is the memory image.
 *
 * XXX Resident sizes count pages shared copy-on-write after fork in every
 * process that shares them, so the guests may be killed somewhat early.
 */
#include <errno.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/proc.h"
#include "runtime/vm/vm.h"

#define OOM_PERIOD_NS (100 * 1000 * 1000ULL)

static int pagedaemon_chan;

/* Bytes -m gives the guests now: all memory less the kernel's share. */
static uint64_t
guest_limit(void)
{
	uint64_t total = vm_page_count(), kernel;

	kernel = total - vm_page_free_count();
	return ((total - kernel) * PAGE_SIZE);
}

/* Resident bytes of p's address space (0 when it has none). */
static uint64_t
proc_rss(const struct proc *p)
{
	uint64_t bytes = 0;
	int pid;

	if (p->p_space == NULL || (pid = guest_space_pid(p->p_space)) <= 0 ||
	    host_proc_rss(pid, &bytes) != 0)
		return (0);
	return (bytes);
}

static uint64_t
guests_rss(struct proc **biggest)
{
	uint64_t total = 0, rss, most = 0;
	struct proc *p;

	*biggest = NULL;
	for (p = allproc; p != NULL; p = p->p_allnext) {
		if (p->p_state != PRS_ACTIVE || p->p_exiting)
			continue;
		total += rss = proc_rss(p);
		if (rss > most && p != initproc) {
			most = rss;
			*biggest = p;
		}
	}
	return (total);
}

/*
 * What the guests had resident at the last count: requests are weighed
 * against it rather than reading every stub's size from the host on each
 * mmap and brk; only a request that would not fit counts again (memory
 * freed since, by an exit for one, is then seen at once).
 */
static uint64_t guests_used;

int
vm_request(uint64_t bytes)
{
	uint64_t limit = guest_limit();
	struct proc *biggest;

	if (bytes > limit)
		return (ENOMEM);
	if (guests_used > limit - bytes)
		guests_used = guests_rss(&biggest);
	return (guests_used > limit - bytes ? ENOMEM : 0);
}

static void
pagedaemon(void *arg)
{
	struct proc *victim;
	uint64_t used;

	(void)arg;
	for (;;) {
		tsleep(&pagedaemon_chan, 0, "pgdaemon", OOM_PERIOD_NS);
		proc_autoreap(); /* zombies nobody waits for */
		guests_used = used = guests_rss(&victim);
		if (used <= guest_limit() || victim == NULL)
			continue;
		kprintf("pid %d (%s), uid %u, was killed: out of swap space\n",
		    victim->p_pid, victim->p_comm, victim->p_ruid);
		psignal(victim, 9);
	}
}

void
pagedaemon_start(void)
{
	int error;

	if ((error = kthread_create(pagedaemon, NULL, "pagedaemon", NULL)) != 0)
		panic("cannot start the pagedaemon: error %d", error);
}
