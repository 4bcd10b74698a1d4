/*
 * guest_isolation_test.c - unit tests that a guest reaches no host system
 * call: raw open(O_CREAT), openat, socket, ptrace, execve, kill of the
 * kernel, the x32 entry and int $0x80 each come back to the kernel as an
 * event and leave no trace on the host, and a guest that jumps to the
 * stub's own syscall instruction to make a forbidden call is killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/platform/guest/guest_stub.h"
#include "runtime/platform/guest/tests/guest_test.h"

TestSuite(isolation, .init = guest_fixture_setup,
    .fini = guest_fixture_teardown, .timeout = 20);

static char marker[64];

/* A path on the host that must never come to exist; also in guest data. */
static void
put_marker(void)
{
	snprintf(marker, sizeof(marker), "/tmp/vireo-guest-escape.%d",
	    (int)getpid());
	unlink(marker);
	cr_assert_eq(guest_write(gt_space, NULL, GT_DATA, marker,
			 strlen(marker) + 1),
	    0);
}

static void
assert_no_marker(void)
{
	cr_assert_eq(access(marker, F_OK), -1, "%s exists", marker);
	cr_assert_eq(errno, ENOENT);
}

/*
 * Runs the syscall_trap program with the call nr(a0, a1, a2): it must
 * come back as a system call event with that number, arch and registers;
 * the kernel answers -EPERM and the guest goes on to its int3.
 */
static void
expect_trapped(const char *start, const char *end, uint64_t nr, uint64_t a0,
    uint64_t a1, uint64_t a2, uint32_t arch)
{
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, start, end);
	put_marker();
	gt_regs(&r);
	r.rax = nr;
	r.rdi = a0 == 1 ? GT_DATA : a0;
	r.rsi = a1;
	r.rdx = a2;
	r.rbx = a0 == 1 ? GT_DATA : a0; /* int $0x80 takes ebx, ecx, edx */
	r.rcx = a1;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_SYSCALL, "event %d signo %d", ev.type,
	    ev.signo);
	cr_assert_eq(ev.arch, arch);
	cr_assert_eq(r.rax, nr);
	r.rax = (uint64_t)-EPERM;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_SIGNAL);
	cr_assert_eq(ev.signo, SIGTRAP);
	cr_assert_eq(r.rax, (uint64_t)-EPERM);
	assert_no_marker();
}

#define X86_64(nr, a0, a1, a2)                                                 \
	expect_trapped(gc_syscall_trap, gc_syscall_trap_end, (nr), (a0), (a1), \
	    (a2), AUDIT_ARCH_X86_64)

/* An argument of 1 stands for the marker path in guest memory. */
Test(isolation, open_creat_never_reaches_the_host)
{
	X86_64(SYS_open, 1, O_CREAT | O_WRONLY, 0644);
}

Test(isolation, openat_creat_never_reaches_the_host)
{
	X86_64(SYS_openat, (uint64_t)AT_FDCWD, 1, O_CREAT | O_WRONLY);
}

Test(isolation, socket_is_trapped)
{
	X86_64(SYS_socket, AF_INET, SOCK_STREAM, 0);
}

Test(isolation, ptrace_is_trapped)
{
	char path[64], line[128];
	int tracer = -1;
	FILE *f;

	X86_64(SYS_ptrace, PTRACE_TRACEME, 0, 0);
	snprintf(path, sizeof(path), "/proc/%d/status",
	    guest_space_pid(gt_space));
	cr_assert_not_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "TracerPid: %d", &tracer) == 1)
			break;
	fclose(f);
	cr_assert_eq(tracer, 0, "nobody traces the stub");
}

Test(isolation, execve_never_runs_a_program)
{
	/* execve("/usr/bin/touch", {"touch", marker, NULL}, NULL) */
	const char path[] = "/usr/bin/touch";
	uint64_t argv[3];
	char exe[64], buf[256];
	ssize_t n;

	gt_load(gt_space, gc_syscall_trap, gc_syscall_trap_end);
	put_marker();
	cr_assert_eq(guest_write(gt_space, NULL, GT_DATA + 1024, path,
			 sizeof(path)),
	    0);
	argv[0] = GT_DATA + 1024 + 10; /* "touch" */
	argv[1] = GT_DATA;
	argv[2] = 0;
	cr_assert_eq(guest_write(gt_space, NULL, GT_DATA + 2048, argv,
			 sizeof(argv)),
	    0);
	snprintf(exe, sizeof(exe), "/proc/%d/exe", guest_space_pid(gt_space));
	n = readlink(exe, buf, sizeof(buf) - 1);
	X86_64(SYS_execve, GT_DATA + 1024, GT_DATA + 2048, 0);
	/* The stub is still the kernel's image, not touch. */
	cr_assert_eq(readlink(exe, buf + 128, sizeof(buf) - 129), n);
}

Test(isolation, kill_of_the_kernel_is_trapped)
{
	X86_64(SYS_kill, (uint64_t)getpid(), SIGKILL, 0);
	X86_64(SYS_kill, (uint64_t)getppid(), SIGKILL, 0);
	X86_64(SYS_tgkill, (uint64_t)getpid(), (uint64_t)getpid(), SIGKILL);
}

Test(isolation, the_x32_entry_is_trapped)
{
	X86_64(0x40000000 | SYS_open, 1, O_CREAT | O_WRONLY, 0644);
}

Test(isolation, int80_is_trapped_as_i386)
{
	/* i386 open is 5, creat 8. */
	expect_trapped(gc_int80, gc_int80_end, 5, 1, O_CREAT | O_WRONLY, 0644,
	    AUDIT_ARCH_I386);
	expect_trapped(gc_int80, gc_int80_end, 8, 1, 0644, 0, AUDIT_ARCH_I386);
}

Test(isolation, jumping_into_the_stub_kills_the_guest)
{
	const struct stub_header *hdr = (const void *)GUEST_STUB_BASE;
	struct guest_event ev;
	struct guest_regs r;

	gt_load(gt_space, gc_trap, gc_trap_end);
	put_marker();
	cr_assert_eq(hdr->magic, STUB_MAGIC);
	gt_regs(&r);
	r.rip = hdr->syscall_ret - 2; /* the stub's syscall instruction */
	r.rax = SYS_open;
	r.rdi = GT_DATA;
	r.rsi = O_CREAT | O_WRONLY;
	r.rdx = 0644;
	ev = gt_run(gt_thread, &r);
	cr_assert_eq(ev.type, GUEST_EVENT_DIED);
	cr_assert(WIFSIGNALED(ev.status) ? WTERMSIG(ev.status) == SIGSYS :
					   ev.status == SIGSYS,
	    "killed by seccomp, status %#x", ev.status);
	assert_no_marker();
}
