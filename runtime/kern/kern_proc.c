/*
 * kern_proc.c - processes: creation, the thread that runs a process's
 * guest thread, exit and wait.
 *
 * Each guest thread has a kernel thread (struct lwp, whose first member
 * is its struct thread) that loops: run the guest until it traps, then
 * handle the trap under the kernel lock.  While the guest runs the kernel
 * thread holds a cpu token but not the kernel lock, so up to -n guests run
 * at once and the kernel stays available to everyone else.
 * XXX One thread per process, no fork, signals or process groups yet:
 * those are the rest of issue 5.
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/file.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"

#define AUDIT_ARCH_X86_64 0xc000003eu
#define SIGSYS_NUMBER	  31 /* Linux's SIGSYS: a wait status of 31 */

static int pid_next = 1;

int
proc_create(struct proc *parent, struct filedesc *fdp, struct proc **pp)
{
	struct proc *p;

	if (pid_next > PID_MAX)
		return (EAGAIN); /* XXX pids are not reused yet */
	if ((p = kmalloc(sizeof(*p))) == NULL)
		return (ENOMEM);
	p->p_pid = pid_next++;
	p->p_state = PRS_NEW;
	p->p_pptr = parent;
	p->p_fd = fdp;
	fdp->fd_refcnt++;
	*pp = p;
	return (0);
}

/* Signal number of a fatal guest event, as a wait status. */
static int
fatal_status(const struct guest_event *ev)
{
	return (ev->type == GUEST_EVENT_DIED ? 9 : ev->signo);
}

static void
lwp_main(void *arg)
{
	struct lwp *l = arg;
	struct proc *p = l->l_proc;
	struct guest_event ev;
	int error;

	while (!l->l_exiting) {
		kernel_unlock();
		error = guest_run(l->l_gt, &l->l_regs, &ev);
		kernel_lock();
		if (error != 0)
			panic("guest_run: pid %d: error %d", p->p_pid, error);
		switch (ev.type) {
		case GUEST_EVENT_SYSCALL:
			if (ev.arch != AUDIT_ARCH_X86_64) {
				/* int $0x80: the 32-bit entry is not served. */
				proc_exit(p, SIGSYS_NUMBER);
				break;
			}
			syscall_dispatch(l);
			break;
		case GUEST_EVENT_INTERRUPT:
			/* Preempted: let the threads in line go first. */
			cpu_release();
			cpu_acquire();
			break;
		case GUEST_EVENT_FAULT:
			kprintf("pid %d (%s): fault at %#llx rip %#llx\n",
			    p->p_pid, p->p_comm, (unsigned long long)ev.addr,
			    (unsigned long long)l->l_regs.rip);
			proc_exit(p, fatal_status(&ev));
			break;
		case GUEST_EVENT_SIGNAL:
		case GUEST_EVENT_DIED:
		default:
			proc_exit(p, fatal_status(&ev));
			break;
		}
	}
	guest_thread_destroy(l->l_gt);
	guest_space_destroy(p->p_space);
	p->p_space = NULL;
	p->p_state = PRS_ZOMBIE;
	wakeup(p);
}

int
proc_start(struct proc *p)
{
	if (p->p_lwp == NULL || p->p_state != PRS_NEW)
		return (EINVAL);
	p->p_state = PRS_ACTIVE;
	return (kthread_start(&p->p_lwp->l_td, lwp_main, p->p_lwp, p->p_comm));
}

void
proc_exit(struct proc *p, int xstat)
{
	p->p_xstat = xstat;
	p->p_lwp->l_exiting = true;
	if (p->p_fd != NULL) {
		fd_free(p->p_fd);
		p->p_fd = NULL;
	}
}

int
proc_wait(struct proc *p)
{
	while (p->p_state != PRS_ZOMBIE)
		tsleep(p, 0, "wait", 0);
	return (p->p_xstat);
}
