/*
 * proc.h - threads of the kernel, the kernel lock, the virtual cpus as
 * tokens, and sleeping.
 *
 * Every thread of control in the kernel that can block is a struct thread
 * on its own host thread: the thread that serves a guest thread (issue 5),
 * and kernel daemons.  Two rules bound what runs at once:
 *
 *  - The kernel lock ("giant") serialises all kernel code.  It is held
 *    while kernel code runs and released while a thread sleeps or runs
 *    guest code.
 *  - -n N gives N cpu tokens.  A thread runs (kernel or guest code) only
 *    while it holds one; token i is virtual cpu i, so at most N threads
 *    run at once and hw.ncpu means what it says.  Sleeping gives the
 *    token back.  Waiters get tokens in arrival order.
 *
 * tsleep() and wakeup() are BSD's: a thread sleeps on an address (the
 * "channel") with a message for ps and ddb, and wakeup(chan) makes every
 * sleeper on chan runnable.
 */
#ifndef RUNTIME_KERN_PROC_H
#define RUNTIME_KERN_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/platform/guest/guest.h"
#include "runtime/platform/platform.h"

#define PCATCH 0x100 /* tsleep: a pending signal interrupts the sleep */

struct thread {
	int td_tid;
	char td_name[16];
	int td_cpu;		   /* the cpu token held, or -1 */
	host_cond_t td_cv;	   /* what the thread sleeps on */
	const void *td_wchan;	   /* the channel slept on, or NULL */
	const char *td_wmesg;	   /* why, for ps and ddb */
	bool td_woken;		   /* set by wakeup(), cleared by tsleep() */
	bool td_sigpending;	   /* set by signal delivery (PCATCH) */
	uint64_t td_ticket;	   /* place in the cpu token queue */
	struct thread *td_slpnext; /* sleep queue chain */
	void *td_proc;		   /* the process (issue 5), or NULL */
	bool td_done;		   /* its host thread has let go of it */
};

/* The thread running on this host thread (NULL outside the kernel). */
extern _Thread_local struct thread *curthread;

/*
 * Sets up the kernel lock and ncpu tokens; the calling thread becomes
 * thread 0 holding token 0 and the kernel lock.  Called once in the boot.
 */
void sched_init(int ncpu, struct thread *td0);

void kernel_lock(void);
void kernel_unlock(void);
bool kernel_lock_held(void);

/*
 * Takes a cpu token for curthread, waiting in line for one; gives it
 * back.  Caller holds the kernel lock (released while waiting).
 */
void cpu_acquire(void);
void cpu_release(void);
/* Tokens in use now, and threads waiting for one (for tests and ps). */
int cpu_tokens_busy(void);
int cpu_tokens_waiting(void);

/*
 * Sleeps on chan until wakeup(chan), for at most timo nanoseconds (0:
 * no limit).  Caller holds the kernel lock and a cpu token; both are
 * given up while sleeping and held again on return.  Returns 0 when
 * woken, EWOULDBLOCK on timeout, EINTR when PCATCH is in flags and a
 * signal is pending (before or during the sleep).
 */
int tsleep(const void *chan, int flags, const char *wmesg, uint64_t timo);
/* Wakes every thread sleeping on chan; caller holds the kernel lock. */
void wakeup(const void *chan);
/* Wakes the longest sleeper on chan only. */
void wakeup_one(const void *chan);
/*
 * poll(2) and select(2) sleep on one channel: anything that makes a file
 * ready calls selwakeup(), and the pollers look again.  Caller holds the
 * kernel lock.
 */
extern int selwait;
void selwakeup(void);
/* Interrupts td's PCATCH sleep: a signal is pending for it. */
void thread_signal(struct thread *td);

/*
 * Starts fn(arg) on a new host thread as a kernel thread named name; it
 * begins holding the kernel lock and a cpu token, and ends by returning
 * (giving both up).  Returns 0 or an errno value.
 */
int kthread_create(void (*fn)(void *), void *arg, const char *name,
    struct thread **tdp);
/* The same with the caller's struct thread (e.g. inside a struct lwp). */
int kthread_start(struct thread *td, void (*fn)(void *), void *arg,
    const char *name);

/* --- Processes (kern_proc.c, kern_exec.c, kern_syscall.c) ------------ */

struct filedesc;

#define PID_MAX	     99999
#define SIG_NUM	     64 /* Linux's signals, 1..64 */
#define PROC_NGROUPS 16 /* supplementary groups */
#define PROC_NRLIMIT 16 /* Linux's RLIM_NLIMITS */
#define LWP_MAXARGS  6

/* What a pending signal says about itself (its siginfo). */
struct ksiginfo {
	int32_t code;	/* si_code: SI_USER 0, SI_TKILL -6, CLD_* */
	int32_t pid;	/* the sender, or the child for SIGCHLD */
	uint32_t uid;	/* the sender's real uid */
	int32_t status; /* SIGCHLD: exit code or signal */
};

/* A guest thread and the kernel thread that serves it. */
struct lwp {
	struct thread l_td; /* the kernel side; first member */
	struct proc *l_proc;
	struct lwp *l_next;	   /* the next thread of l_proc */
	int l_tid;		   /* thread id (the pid for the first) */
	struct guest_thread *l_gt; /* the guest side */
	struct guest_regs l_regs;  /* stopped: the guest's registers */
	uint64_t l_clear_tid;	   /* set_tid_address, CLONE_CHILD_CLEARTID */
	uint64_t l_robust_list;	   /* set_robust_list (kept, not walked) */
	bool l_exiting;		   /* leave the run loop and end */
	int l_exitcode;		   /* exit(2) status of this thread */
	uint64_t l_sigmask;	   /* blocked signals (bit n-1 for signal n) */
	uint64_t l_sigpend;	   /* pending signals sent to this thread */
	uint64_t l_sigwait;	   /* sigtimedwait: the signals awaited */
	struct ksiginfo l_siginfo[SIG_NUM]; /* of l_sigpend's signals */
	uint64_t l_sysnr;   /* the system call being served, for restart */
	bool l_insyscall;   /* l_sysnr is the call just served */
	uint64_t l_oldmask; /* sigsuspend: the mask to restore afterwards */
	bool l_hasoldmask;
	uint64_t l_altstack_sp, l_altstack_size; /* sigaltstack */
};

enum proc_state {
	PRS_NEW,
	PRS_ACTIVE,
	PRS_ZOMBIE
};

struct proc {
	int p_pid;
	enum proc_state p_state;
	struct proc *p_pptr;	     /* parent */
	struct guest_space *p_space; /* the address space */
	struct filedesc *p_fd;
	struct lwp *p_lwps;	/* its threads, the oldest first */
	int p_nlwps;		/* how many there are */
	struct lwp *p_deadlwps; /* ended threads, freed by the reaper */
	bool p_exiting;		/* exit_group or a fatal signal */
	bool p_stopped;		/* stopped by a signal (job control) */
	int p_stopsig;		/* which */
	int p_jobreport;	/* for wait: CLD_STOPPED, _CONTINUED, 0 */
	uint64_t p_sigpend;	/* pending signals sent to the process */
	struct ksiginfo p_siginfo[SIG_NUM]; /* of p_sigpend's signals */
	bool p_autoreap;	    /* a zombie nobody waits for (SIGCHLD
				     * ignored): the pagedaemon frees it */
	int p_xstat;		    /* wait status once a zombie */
	uint64_t p_brk_base, p_brk; /* the heap (brk) */
	uint64_t p_mmap_next;	    /* next address for mmap(NULL) */
	char p_comm[16];
	/* Credentials (sys_vireo.c): real, effective, saved. */
	uint32_t p_ruid, p_euid, p_suid, p_rgid, p_egid, p_sgid;
	uint32_t p_groups[PROC_NGROUPS];
	int p_ngroups;
	/* CPU time: its own (kept when its stub goes) and its reaped
	 * children's, in nanoseconds (times, getrusage). */
	uint64_t p_utime, p_stime, p_cutime, p_cstime;
	struct rlimit_k {
		uint64_t cur, max;
	} p_rlimit[PROC_NRLIMIT]; /* by Linux's RLIMIT_* */
	struct proc *p_children;  /* first child */
	struct proc *p_sibling;	  /* next child of p_pptr */
	struct proc *p_allnext;	  /* every process, for kill(-1) and pgrps */
	int p_pgid, p_sid;	  /* process group and session */
	bool *p_vforkdone; /* vfork: the waiting parent's flag (sys_proc.c) */
	char *p_args;	   /* argv, NUL-separated (/proc/pid/cmdline) */
	size_t p_argslen;
	uint64_t p_start_ticks; /* when it was created, in ticks */
	struct sigaction_k {
		uint64_t handler, flags, restorer, mask;
	} p_sigacts[64]; /* by signal number - 1 */
};

/* The first thread of p (the one ps and ddb show), or NULL. */
static inline struct lwp *
proc_lwp(const struct proc *p)
{
	return (p->p_lwps);
}

/* Process 1, the parent of orphans (set by start_init). */
extern struct proc *initproc;

/*
 * Creates a process with no address space and the given descriptor table
 * (referenced), with a new pid.  Returns 0 or ENOMEM / EAGAIN.
 */
int proc_create(struct proc *parent, struct filedesc *fdp, struct proc **pp);
/*
 * Replaces p's program by path (resolved from p's directories) with the
 * NULL-terminated argv and envp: a new address space with the ELF's
 * segments, a stack, and one stopped thread ready to run.  Returns 0,
 * ENOENT, EACCES (not a regular file), ENOEXEC, E2BIG, ENOMEM or an I/O
 * error; on failure p keeps what it had.
 */
int proc_exec(struct proc *p, const char *path, const char *const *argv,
    const char *const *envp);
/* Starts the kernel thread that runs p's thread.  Caller holds giant. */
int proc_start(struct proc *p);
/* Waits until p is a zombie; returns its wait status.  Caller holds giant. */
int proc_wait(struct proc *p);
/*
 * fork(2): a copy of p (its calling thread l stopped in the system call)
 * with a copy-on-write address space, the same files and registers, and
 * 0 in rax.  Starts it and returns 0 with *childp, or an errno value.
 */
int proc_fork(struct proc *p, struct lwp *l, struct proc **childp);
/*
 * Ends the wait of the parent that vforked p, if one waits: p has
 * executed a program or is ending.  Caller holds giant.
 */
void proc_vfork_release(struct proc *p);
/* Unlinks a reaped zombie from its parent and frees it. */
void proc_reap(struct proc *p);
/*
 * p's CPU time so far in nanoseconds: what its stub used (read from the
 * host while it lives, kept when it goes).
 */
void proc_cputime(struct proc *p, uint64_t *utime, uint64_t *stime);
/*
 * Ends p with wait status xstat: every thread of p leaves its run loop
 * (running guests are interrupted, PCATCH sleeps cut short) and the last
 * one out makes p a zombie.  The first call's status counts.
 */
void proc_exit(struct proc *p, int xstat);
/*
 * clone(2) of a thread: a new thread of l's process with l's registers
 * (rax 0), its FPU state, the stack pointer stack and, with settls, the
 * TLS base tls.  Starts it and returns 0 with *nlp, or ENOMEM or EAGAIN
 * (the space has its maximum of threads).
 */
int lwp_create(struct lwp *l, uint64_t stack, bool settls, uint64_t tls,
    struct lwp **nlp);
/*
 * Ends every thread of l's process but l, and waits until they are gone
 * (execve).  Returns 0, or EINTR when the process is exiting itself.
 */
int proc_single_thread(struct lwp *l);
/* The thread whose id is tid, or NULL. */
struct lwp *lwp_find(int tid);
/* The active process whose pid is pid, or NULL (kern_sig.c). */
struct proc *pfind(int pid);

/*
 * Mounts devfs on /dev, opens the console as descriptors 0-2, executes
 * init and waits for it (init_main.c).  Never returns.
 */
_Noreturn void start_init(void);

/* Signals (kern_sig.c); numbers are Linux's, 1..64 (SIG_NUM above). */
/*
 * Makes sig pending for p and wakes or interrupts a thread of p that
 * does not block it.
 */
void psignal(struct proc *p, int sig);
/* The same with what the handler's siginfo says (NULL: nothing). */
void psignal_info(struct proc *p, int sig, const struct ksiginfo *si);
/* Makes sig pending for thread l only (tgkill). */
void lwp_signal(struct lwp *l, int sig, const struct ksiginfo *si);
/* Frees the zombies whose parent ignores SIGCHLD (pagedaemon). */
void proc_autoreap(void);
/* Signals every process of process group pgid. */
void pgsignal(int pgid, int sig);
/*
 * Before l returns to its guest: acts on the first pending unblocked
 * signal (runs its default action, or builds a handler frame on the
 * guest's stack).  Returns true if it did something.
 */
bool signal_deliver(struct lwp *l);
/* Parks l while its process is stopped (before running guest code). */
void proc_stopwait(struct lwp *l);
/*
 * A synchronous fault (code: its si_code, SEGV_MAPERR...): sig must reach
 * a handler, or the process dies.
 */
void signal_trap(struct lwp *l, int sig, uint64_t addr, int code);
/* True when p does something on sig other than its default action. */
bool signal_caught(const struct proc *p, int sig);
extern struct proc *allproc;

/*
 * Wakes up to n threads waiting in futex(2) on the word at uaddr of p's
 * address space; returns how many (kern_futex.c).
 */
int futex_wake(struct proc *p, uint64_t uaddr, int n);

/*
 * Guest memory against -m (kern_oom.c).  vm_request() answers ENOMEM
 * when bytes more of guest memory cannot fit beside what the guests use
 * now, else 0.  pagedaemon_start() starts the daemon that kills the
 * biggest process when the guests use more than there is.  Caller holds
 * the kernel lock.
 */
int vm_request(uint64_t bytes);
void pagedaemon_start(void);

/*
 * Permissions (kern_access.c).  VACCESS_* are ORed into mode.
 * vaccess_cred() checks va's mode bits for user uid (with p's groups);
 * vn_access() does it for p's effective user (p NULL: the kernel, always
 * allowed).  Return 0 or EACCES (or the getattr's error).
 */
#define VACCESS_EXEC  1
#define VACCESS_WRITE 2
#define VACCESS_READ  4
struct vattr;
struct vnode;
bool proc_groupmember(const struct proc *p, uint32_t gid);
int vaccess_cred(const struct vattr *va, uint32_t uid, const struct proc *p,
    int mode);
int vn_access(struct vnode *vp, const struct proc *p, int mode);
/* namei's ni_search for process proc: search permission on dir. */
int vn_search(struct vnode *dir, void *proc);

/* The system-call layer (kern_syscall.c). */
void syscall_dispatch(struct lwp *l);
/*
 * Serves l's system call without the kernel lock if it is one of the few
 * that read no shared state (getpid, gettid, the clocks: BSD's MPSAFE
 * calls) and returns true; false for every other call, untouched.
 * Caller: l's own thread, without the kernel lock.
 */
bool syscall_dispatch_unlocked(struct lwp *l);
/* Copies between kernel memory and the guest memory of l's process. */
int copyin(struct lwp *l, uint64_t uaddr, void *kaddr, size_t len);
int copyout(struct lwp *l, const void *kaddr, uint64_t uaddr, size_t len);
/*
 * Copies a NUL-terminated string of at most size bytes (with the NUL)
 * from the guest.  Returns 0, EFAULT, or ENAMETOOLONG without a NUL.
 */
int copyinstr(struct lwp *l, uint64_t uaddr, char *buf, size_t size);
/* System calls answered ENOSYS so far (the sysctl kern.nosys_calls). */
extern uint64_t syscall_nosys_count;
/* Set by -v: each unimplemented call is reported once on the console. */
extern bool syscall_verbose;

#endif /* RUNTIME_KERN_PROC_H */
