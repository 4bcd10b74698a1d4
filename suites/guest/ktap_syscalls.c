/*
 * ktap_syscalls.c - a guest-side test program: checks the system calls
 * the kernel answers so far and prints the results as KTAP, which the
 * harness parses into individual results.  Run as init; it then waits on
 * the console so that the kernel stays up until the harness stops it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

static int n;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static int
mmap_anonymous(void)
{
	char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok;

	if (p == MAP_FAILED)
		return (0);
	p[(1 << 20) - 1] = 5;
	ok = p[(1 << 20) - 1] == 5;
	return (munmap(p, 1 << 20) == 0 && ok);
}

static int
mprotect_toggles(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok;

	if (p == MAP_FAILED)
		return (0);
	ok = mprotect(p, 4096, PROT_READ) == 0 &&
	    mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0;
	if (ok)
		p[0] = 1;
	return (munmap(p, 4096) == 0 && ok);
}

int
main(void)
{
	struct utsname u;
	struct winsize ws;
	struct termios t;
	char *p, c;
	char *brk0;
	unsigned long fs = 0;

	printf("KTAP version 1\n1..10\n");
	result(getpid() == 1, "getpid_is_1");
	result(getppid() == 0, "getppid_is_0");
	result(uname(&u) == 0 && strcmp(u.sysname, "Vireo") == 0 &&
		strcmp(u.machine, "x86_64") == 0,
	    "uname");
	/* musl's sbrk() refuses increments; the system call does not. */
	brk0 = (char *)syscall(SYS_brk, 0);
	p = (char *)syscall(SYS_brk, brk0 + 3 * 4096);
	result(p == brk0 + 3 * 4096 &&
		(memset(brk0, 1, 3 * 4096), brk0[3 * 4096 - 1] == 1),
	    "brk_grows");
	result(mmap_anonymous(), "mmap_anonymous");
	result(mprotect_toggles(), "mprotect");
	result(ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_col == 80 &&
		ws.ws_row == 24,
	    "console_winsize");
	result(tcgetattr(0, &t) == 0 && (t.c_lflag & ICANON) &&
		(t.c_oflag & ONLCR),
	    "console_termios");
	result(syscall(999) == -1 && errno == ENOSYS, "unknown_call_is_enosys");
	result(syscall(SYS_arch_prctl, 0x1003, &fs) == 0 && fs != 0,
	    "arch_prctl_get_fs");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
