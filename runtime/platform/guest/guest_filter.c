/*
 * guest_filter.c - the seccomp filter of a systrap stub.
 *
 * Every system call whose instruction pointer is not the stub's one
 * syscall instruction traps (SECCOMP_RET_TRAP: SIGSYS to the stub, whose
 * handler hands it to the kernel), and so does every call of another
 * architecture (int $0x80 of i386) or with the x32 bit: the handler
 * reports its arch and the kernel refuses it.  Calls from the stub's
 * instruction pass if they are among those the stub makes, with clone(),
 * prctl() and arch_prctl() restricted to the arguments it uses; anything
 * else from there kills the process (a guest jumping into the stub).
 *
 * XXX A guest can still jump to the stub's instruction with its own
 * arguments for the calls listed below: map or unmap its own memory,
 * map the descriptors the space keeps, create threads or fork.  None of
 * this reaches beyond the stub process and what it was given, but it
 * bypasses the kernel's accounting; closing it needs the stub's calls to
 * be told apart from the guest's (gVisor has the same exposure).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <asm/prctl.h>

#include "runtime/platform/guest/guest_systrap.h"

enum {
	L_NEXT,
	L_TRAP,
	L_KILL,
	L_ALLOW,
	L_CLONE,
	L_PRCTL,
	L_ARCH,
	L_SIGMASK,
	L_COUNT
};

struct builder {
	struct sock_filter *prog;
	unsigned char jt[SYSTRAP_FILTER_MAX], jf[SYSTRAP_FILTER_MAX];
	size_t n, max;
	size_t label[L_COUNT];
	bool overflow;
};

static void
emit(struct builder *b, uint16_t code, uint32_t k, int jt, int jf)
{
	if (b->n >= b->max) {
		b->overflow = true;
		return;
	}
	b->prog[b->n] = (struct sock_filter)BPF_STMT(code, k);
	b->jt[b->n] = (unsigned char)jt;
	b->jf[b->n] = (unsigned char)jf;
	b->n++;
}

static void
load(struct builder *b, size_t offset)
{
	emit(b, BPF_LD | BPF_W | BPF_ABS, (uint32_t)offset, L_NEXT, L_NEXT);
}

/* Jumps to jt if A == k, else to jf. */
static void
jeq(struct builder *b, uint32_t k, int jt, int jf)
{
	emit(b, BPF_JMP | BPF_JEQ | BPF_K, k, jt, jf);
}

static void
place(struct builder *b, int label)
{
	b->label[label] = b->n;
}

#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#define ARG_HI(i) (ARG_LO(i) + 4)

/* Allows the call only if its first argument is k1 or k2. */
static void
check_arg0(struct builder *b, int label, uint32_t k1, uint32_t k2)
{
	place(b, label);
	load(b, ARG_HI(0));
	jeq(b, 0, L_NEXT, L_KILL);
	load(b, ARG_LO(0));
	jeq(b, k1, L_ALLOW, L_NEXT);
	jeq(b, k2, L_ALLOW, L_KILL);
}

int
systrap_filter(struct sock_filter *prog, size_t max, uint64_t syscall_ret,
    size_t *len)
{
	static const uint32_t allowed[] = { SYS_rt_sigreturn, SYS_futex,
		SYS_mmap, SYS_munmap, SYS_mprotect, SYS_mremap, SYS_madvise,
		SYS_exit, SYS_exit_group, SYS_set_robust_list, SYS_sigaltstack,
		SYS_getppid, SYS_gettid, SYS_getpid, SYS_memfd_create,
		SYS_ftruncate, SYS_close, SYS_sched_yield };
	struct builder b = { .prog = prog, .max = max };
	size_t i, target;
	int l;

	if (max > SYSTRAP_FILTER_MAX)
		b.max = SYSTRAP_FILTER_MAX;
	load(&b, offsetof(struct seccomp_data, arch));
	jeq(&b, AUDIT_ARCH_X86_64, L_NEXT, L_TRAP);
	load(&b, offsetof(struct seccomp_data, instruction_pointer));
	jeq(&b, (uint32_t)syscall_ret, L_NEXT, L_TRAP);
	load(&b, offsetof(struct seccomp_data, instruction_pointer) + 4);
	jeq(&b, (uint32_t)(syscall_ret >> 32), L_NEXT, L_TRAP);
	load(&b, offsetof(struct seccomp_data, nr));
	emit(&b, BPF_JMP | BPF_JGE | BPF_K, 0x40000000, L_KILL, L_NEXT);
	jeq(&b, SYS_clone, L_CLONE, L_NEXT);
	jeq(&b, SYS_prctl, L_PRCTL, L_NEXT);
	jeq(&b, SYS_arch_prctl, L_ARCH, L_NEXT);
	jeq(&b, SYS_rt_sigprocmask, L_SIGMASK, L_NEXT);
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		jeq(&b, allowed[i], L_ALLOW, L_NEXT);
	emit(&b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, L_NEXT, L_NEXT);
	check_arg0(&b, L_CLONE, STUB_THREAD_FLAGS, STUB_FORK_FLAGS);
	check_arg0(&b, L_PRCTL, PR_SET_PDEATHSIG, PR_SET_PDEATHSIG);
	check_arg0(&b, L_ARCH, ARCH_SET_FS, ARCH_SET_FS);
	check_arg0(&b, L_SIGMASK, SIG_SETMASK, SIG_SETMASK);
	place(&b, L_KILL);
	emit(&b, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, L_NEXT, L_NEXT);
	place(&b, L_ALLOW);
	emit(&b, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, L_NEXT, L_NEXT);
	place(&b, L_TRAP);
	emit(&b, BPF_RET | BPF_K, SECCOMP_RET_TRAP, L_NEXT, L_NEXT);
	if (b.overflow)
		return (ENOSPC);
	/* Resolve the labels into relative jumps. */
	for (i = 0; i < b.n; i++) {
		if (BPF_CLASS(prog[i].code) != BPF_JMP)
			continue;
		l = b.jt[i];
		target = l == L_NEXT ? i + 1 : b.label[l];
		prog[i].jt = (uint8_t)(target - i - 1);
		l = b.jf[i];
		target = l == L_NEXT ? i + 1 : b.label[l];
		prog[i].jf = (uint8_t)(target - i - 1);
	}
	*len = b.n;
	return (0);
}
