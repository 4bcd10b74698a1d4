/*
 * guest_trap_test.c - unit tests of the guest backend's events: system
 * calls answered by the kernel, reads of guest memory, faults with their
 * address and access, int3, FPU state and the TLS base, and the emptiness
 * of a stub process.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/platform/guest/tests/guest_test.h"

TestSuite(trap, .init = guest_fixture_setup, .fini = guest_fixture_teardown,
    .timeout = 20);

Test(trap, getpid_gets_the_kernels_answer)
{
	struct guest_event ev;
	struct guest_regs r;
	int calls = 0;

	gt_load(gt_space, gc_getpid_loop, gc_getpid_loop_end);
	gt_regs(&r);
	r.rbx = 3;
	for (;;) {
		ev = gt_run(gt_thread, &r);
		cr_assert_eq(ev.type, GUEST_EVENT_SYSCALL, "event %d signo %d",
		    ev.type, ev.signo);
		if (r.rax != 39)
			break;
		cr_assert_eq(ev.signo, SIGSYS);
		cr_assert_eq(r.rip, GT_CODE + 7, "rip past the syscall");
		calls++;
		r.rax = 4242;
	}
	cr_assert_eq(calls, 3);
	cr_assert_eq(r.rax, 60, "exit after the loop, got %lu",
	    (unsigned long)r.rax);
	cr_assert_eq(r.rdi, 0);
	cr_assert_neq(getpid(), 4242);
}

Test(trap, a_wrong_answer_is_seen_by_the_guest)
{
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_getpid_loop, gc_getpid_loop_end);
	gt_regs(&r);
	r.rbx = 3;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_SYSCALL);
	r.rax = (uint64_t)getpid(); /* the host's answer: ud2 follows */
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_SIGNAL);
	cr_assert_eq(ev.signo, SIGILL);
}

static void
check_write(struct guest_thread *via)
{
	struct guest_event ev;
	struct guest_regs r;
	char buf[64];

	gt_load(gt_space, gc_write_hello, gc_write_hello_end);
	gt_regs(&r);
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_SYSCALL);
	cr_assert_eq(r.rax, 1);
	cr_assert_eq(r.rdi, 1);
	cr_assert_eq(r.rdx, strlen(GC_HELLO));
	memset(buf, 0, sizeof(buf));
	cr_assert_eq(guest_read(gt_space, via, r.rsi, buf, r.rdx), 0);
	cr_assert_str_eq(buf, GC_HELLO);
	r.rax = 17;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_SYSCALL);
	cr_assert_eq(r.rax, 60);
	cr_assert_eq(r.rdi, 17, "the guest saw our result");
}

Test(trap, write_is_intercepted_and_read_by_the_host)
{
	check_write(NULL);
}

Test(trap, write_is_intercepted_and_read_through_the_stub)
{
	check_write(gt_thread);
}

Test(trap, a_read_fault_reports_its_address_and_retries)
{
	const uint64_t addr = 0xdead000, value = 0x1122334455667788ULL;
	const struct guest_map_op op = { .kind = GUEST_MAP_ANON,
		.prot = PROT_READ | PROT_WRITE,
		.addr = addr,
		.len = 4096 };
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_load, gc_load_end);
	gt_regs(&r);
	r.rdi = addr + 8;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_FAULT);
	cr_assert_eq(ev.signo, SIGSEGV);
	cr_assert_eq(ev.addr, addr + 8);
	cr_assert_eq(ev.access, GUEST_ACCESS_READ);
	cr_assert_eq(ev.code, SEGV_MAPERR);
	cr_assert_eq(r.rip, GT_CODE, "the faulting instruction");
	cr_assert_eq(guest_map(gt_space, gt_thread, &op, 1), 0);
	cr_assert_eq(guest_write(gt_space, NULL, addr + 8, &value, 8), 0);
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_SIGNAL);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(r.rax, value);
}

Test(trap, write_and_protection_faults)
{
	const struct guest_map_op ro = { .kind = GUEST_MAP_ANON,
		.prot = PROT_READ,
		.addr = 0x900000,
		.len = 4096 };
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_touch, gc_touch_end);
	gt_regs(&r);
	r.rdi = 0x800010;
	r.rsi = 1;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_FAULT);
	cr_assert_eq(ev.addr, 0x800010);
	cr_assert_eq(ev.access, GUEST_ACCESS_WRITE);
	cr_assert_eq(guest_map(gt_space, NULL, &ro, 1), 0);
	r.rdi = 0x900000;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_FAULT);
	cr_assert_eq(ev.addr, 0x900000);
	cr_assert_eq(ev.access, GUEST_ACCESS_WRITE);
	cr_assert_eq(ev.code, SEGV_ACCERR);
}

Test(trap, an_instruction_fetch_fault)
{
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_trap, gc_trap_end);
	gt_regs(&r);
	r.rip = 0x12340000;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_FAULT);
	cr_assert_eq(ev.addr, 0x12340000);
	cr_assert_eq(ev.access, GUEST_ACCESS_EXEC);
	/* Data is not executable: the guest's pages keep their protection. */
	r.rip = GT_DATA;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_FAULT);
	cr_assert_eq(ev.access, GUEST_ACCESS_EXEC);
}

Test(trap, int3_is_sigtrap)
{
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_trap, gc_trap_end);
	gt_regs(&r);
	r.r12 = 0x1212;
	r.r15 = 0x1515;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_SIGNAL);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(r.rip, GT_CODE + 1);
	cr_assert_eq(r.r12, 0x1212, "registers survive the round trip");
	cr_assert_eq(r.r15, 0x1515);
	cr_assert_eq(r.rsp, GT_STACK_TOP - 64);
}

Test(trap, fpu_state_is_read_and_written)
{
	unsigned char area[GUEST_FPU_MAX];
	struct guest_event ev;
	struct guest_regs r;
	uint64_t xmm0;
	size_t size;

	gt_load(gt_space, gc_fpu, gc_fpu_end);
	gt_regs(&r);
	r.rax = 0x1234567887654321ULL;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(guest_fpu_get(gt_thread, area, sizeof(area), &size), 0);
	cr_assert_geq(size, 512);
	memcpy(&xmm0, area + 160, 8); /* fxsave: xmm0 at byte 160 */
	cr_assert_eq(xmm0, 0x1234567887654321ULL);
	cr_assert_eq(guest_fpu_get(gt_thread, area, 100, &size), ERANGE);
	xmm0 = 0x0abcdef0;
	memcpy(area + 160, &xmm0, 8);
	cr_assert_eq(guest_fpu_set(gt_thread, area, size), 0);
	r.rax = 0;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(r.rax, 0x0abcdef0);
}

Test(trap, fs_base_is_the_tls_base)
{
	const uint64_t value = 0x7e7e7e7e, other = 0x5a5a5a5a;
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_tls, gc_tls_end);
	cr_assert_eq(guest_write(gt_space, NULL, GT_DATA + 256, &value, 8), 0);
	gt_regs(&r);
	r.fs_base = GT_DATA + 256;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(r.rax, value);
	cr_assert_eq(r.fs_base, GT_DATA + 256);
	/* A new base takes effect on the next run. */
	cr_assert_eq(guest_write(gt_space, NULL, GT_DATA + 512, &other, 8), 0);
	gt_regs(&r);
	r.fs_base = GT_DATA + 512;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(r.rax, other);
}

Test(trap, copies_of_unmapped_memory_fail_cleanly)
{
	char buf[16];
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_trap, gc_trap_end);
	cr_assert_eq(guest_read(gt_space, NULL, 0x5000000, buf, 16), EFAULT);
	cr_assert_eq(guest_read(gt_space, gt_thread, 0x5000000, buf, 16),
	    EFAULT);
	cr_assert_eq(guest_write(gt_space, gt_thread, GT_CODE, buf, 16), EFAULT,
	    "code is read-only");
	cr_assert_eq(guest_read(gt_space, NULL, GUEST_STUB_BASE, buf, 16),
	    EFAULT);
	gt_regs(&r);
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.signo, SIGTRAP, "the stub survived");
}

Test(trap, mappings_may_not_touch_the_stub)
{
	struct guest_map_op op = { .kind = GUEST_MAP_ANON,
		.prot = PROT_READ | PROT_WRITE,
		.addr = GUEST_STUB_BASE - 4096,
		.len = 8192 };

	cr_assert_eq(guest_map(gt_space, NULL, &op, 1), EINVAL);
	op.kind = GUEST_UNMAP;
	op.addr = GUEST_STUB_END - 4096;
	cr_assert_eq(guest_map(gt_space, gt_thread, &op, 1), EINVAL);
	op.addr = 0x1001;
	cr_assert_eq(guest_map(gt_space, NULL, &op, 1), EINVAL);
	op.kind = GUEST_MAP_SHARED;
	op.addr = 0x100000;
	op.fd = 0;
	cr_assert_eq(guest_map(gt_space, NULL, &op, 1), EBADF);
}

Test(trap, the_stub_holds_nothing_of_the_kernel)
{
	char path[64], line[512];
	unsigned long lo, hi;
	struct dirent *d;
	int n = 0, fds = 0;
	FILE *f;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/maps",
	    guest_space_pid(gt_space));
	cr_assert_not_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		cr_assert_eq(sscanf(line, "%lx-%lx", &lo, &hi), 2);
		if (strstr(line, "[vsyscall]") != NULL)
			continue;
		cr_assert(lo >= GUEST_STUB_BASE && hi <= GUEST_STUB_END,
		    "mapping outside the stub: %s", line);
		n++;
	}
	fclose(f);
	cr_assert_geq(n, 3, "code, private stack, shared region");
	snprintf(path, sizeof(path), "/proc/%d/fd", guest_space_pid(gt_space));
	cr_assert_not_null(dir = opendir(path));
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			fds++;
	closedir(dir);
	cr_assert_eq(fds, 0, "the stub keeps no descriptor");
}
