/*
 * guest_stub_entry.S - the assembly half of the systrap stub: its header,
 * its single host system call instruction, the signal restorer, the start
 * of a new thread, the park trap and the fault-tolerant copy.
 *
 * The seccomp filter lets through only system calls whose instruction
 * pointer is stub_syscall_ret, so every host call of the stub, including
 * rt_sigreturn, executes the one syscall instruction below.
 */
#include "runtime/platform/guest/guest_stub.h"

	.section .stub.header, "ax"
	.globl	stub_header
stub_header:
	.quad	STUB_MAGIC
	.quad	stub_start
	.quad	stub_syscall_ret
	.quad	stub_code_end - stub_header

	.text
/* A new stub process: the kernel set rsp to the top of the private stack. */
	.globl	stub_start
stub_start:
	call	stub_main
	ud2

/* long stub_syscall(long nr, long a1, ..., long a6) */
	.globl	stub_syscall, stub_syscall_insn, stub_syscall_ret
stub_syscall:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	movq	8(%rsp), %r9
stub_syscall_insn:
	syscall
stub_syscall_ret:
	/* A new thread pops its start address from its new stack here. */
	ret

	.globl	stub_restorer
stub_restorer:
	movl	$15, %eax		/* rt_sigreturn */
	jmp	stub_syscall_insn

/* A new thread: its stack holds the slot number. */
	.globl	stub_thread_entry
stub_thread_entry:
	movq	(%rsp), %rdi
	andq	$-16, %rsp
	call	stub_thread_main
	ud2

/* The control thread of a process forked by a guest thread: its key. */
	.globl	stub_control_entry
stub_control_entry:
	movq	(%rsp), %rdi
	andq	$-16, %rsp
	call	stub_control_main
	ud2

/*
 * long stub_on_stack(uint64_t sp, long (*fn)(uint64_t, uint64_t),
 * uint64_t arg): calls fn(arg, old) on the stack sp, where old is the
 * lowest address of the caller's stack that is in use, and returns its
 * result on the caller's stack.  A fork inside fn returns twice.
 */
	.globl	stub_on_stack
stub_on_stack:
	pushq	%rbp
	movq	%rsp, %rbp
	movq	%rsi, %rax
	movq	%rdi, %rsp
	movq	%rdx, %rdi
	movq	%rbp, %rsi
	call	*%rax
	movq	%rbp, %rsp
	popq	%rbp
	ret

/* The first trap of a thread: the handler recognises stub_park_ret. */
	.globl	stub_park, stub_park_ret
stub_park:
	int3
stub_park_ret:
	ud2

/*
 * int stub_copy(void *dst, const void *src, size_t n): 0, or EFAULT when
 * a fault in the copy sent the handler to stub_copy_fault.
 */
	.globl	stub_copy, stub_copy_insn, stub_copy_insn_end, stub_copy_fault
stub_copy:
	movq	%rdx, %rcx
stub_copy_insn:
	rep movsb
stub_copy_insn_end:
	xorl	%eax, %eax
	ret
stub_copy_fault:
	movl	$14, %eax
	ret

	.section .note.GNU-stack, "", @progbits

	.section .stub.end, "ax"
	.globl	stub_code_end
stub_code_end:
