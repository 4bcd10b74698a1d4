/*
 * guest_code.c - the guest programs of guest_code.h, in assembly.  They end
 * with exit (syscall 60, which the tests answer by not running the thread
 * again) or an int3 whose SIGTRAP event the test expects.
 *
 *	getpid_loop	rbx times: getpid, which must return 4242; then exit(0);
 *			ud2 on a wrong answer
 *	write_hello	write(1, GC_HELLO, len), then exit(result)
 *	touch		store a byte at rdi, rdi += 4096, rsi times; exit(0)
 *	load		rax = *(uint64_t *)rdi; int3
 *	trap		int3; exit(0)
 *	syscall_trap	syscall with the registers given; int3
 *	int80		int $0x80 with the registers given; int3
 *	spin		loop forever
 *	count		rsi times: ++*(uint64_t *)rdi; int3
 *	fpu		xmm0 = rax; int3; rax = xmm0; int3
 *	tls		rax = %fs:0 (the first word at the TLS base); int3
 */
#include "runtime/platform/guest/tests/guest_code.h"

#define BEGIN(name) ".globl gc_" #name "\ngc_" #name ":\n"
#define END(name)   ".globl gc_" #name "_end\ngc_" #name "_end:\n"

__asm__(".pushsection .rodata\n" BEGIN(
    getpid_loop) "1:	movl $39, %eax\n"
		 "	syscall\n"
		 "	cmpq $4242, %rax\n"
		 "	jne 2f\n"
		 "	decq %rbx\n"
		 "	jnz 1b\n"
		 "	movl $60, %eax\n"
		 "	xorl %edi, %edi\n"
		 "	syscall\n"
		 "2:	ud2\n" END(getpid_loop) BEGIN(
		     write_hello) "	movl $1, %eax\n"
				  "	movl $1, %edi\n"
				  "	leaq 1f(%rip), %rsi\n"
				  "	movl $21, %edx\n"
				  "	syscall\n"
				  "	movq %rax, %rdi\n"
				  "	movl $60, %eax\n"
				  "	syscall\n"
				  "	ud2\n"
				  "1:	.ascii \"hello from the guest\\n\"\n" END(write_hello) BEGIN(
				      touch) "1:	movb $1, (%rdi)\n"
					     "	addq $4096, %rdi\n"
					     "	decq %rsi\n"
					     "	jnz 1b\n"
					     "	movl $60, %eax\n"
					     "	xorl %edi, %edi\n"
					     "	syscall\n" END(touch) BEGIN(
						 load) "	movq (%rdi), %rax\n"
						       "	int3\n" END(load) BEGIN(
							   trap) "	int3\n"
								 "	movl $60, %eax\n"
								 "	xorl %edi, %edi\n"
								 "	syscall\n" END(trap) BEGIN(
								     syscall_trap) "	syscall\n"
										   "	int3\n" END(syscall_trap) BEGIN(
										       int80) "	int $0x80\n"
											      "	int3\n" END(int80) BEGIN(
												  spin) "1:	jmp 1b\n" END(spin)
												  BEGIN(
												      count) "1:	incq (%rdi)\n"
													     "	decq %rsi\n"
													     "	jnz 1b\n"
													     "	int3\n" END(count) BEGIN(
														 fpu) "	movq %rax, %xmm0\n"
														      "	int3\n"
														      "	movq %xmm0, %rax\n"
														      "	int3\n" END(
															  fpu)
															  BEGIN(
															      tls) "	movq %fs:0, %rax\n"
																   "	int3\n" END(
																       tls) ".popsection\n");
