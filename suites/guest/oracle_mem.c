/*
 * oracle_mem.c - memory, checked against the host (suites/oracle_test.c):
 * anonymous mappings, mprotect and the faults it causes (caught by a
 * SIGSEGV handler that reports si_code and whether si_addr is the address
 * touched), copy-on-write after fork, partial munmap, brk, system calls
 * given memory they may not use (EFAULT), and the errors of the memory
 * calls.  Addresses are never printed, only whether they are the ones
 * expected.
 *
 * Usage: oracle_mem ROOT (ROOT is unused).  Cases where the kernel is
 * known to differ are marked XXX and compiled only with -DORACLE_ALL.
 */
#define _GNU_SOURCE /* mremap */
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "oracle.h"

#define PG 4096

static sigjmp_buf jump;
static volatile int fault_code;
static void *volatile fault_addr;

static void
on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(jump, sig);
}

/*
 * Touches p (reads it, or writes it when write is set) and says what
 * happened: "ok", or the signal with its si_code and whether si_addr was
 * p.
 */
static void
touch(const char *what, volatile char *p, int write)
{
	int sig;

	fault_code = 0;
	fault_addr = NULL;
	if ((sig = sigsetjmp(jump, 1)) == 0) {
		if (write)
			*p = 'w';
		else
			(void)*p;
		say("%s: ok\n", what);
		return;
	}
	say("%s: signal %d, si_addr is it: %s\n", what, sig,
	    fault_addr == (void *)p ? "yes" : "no");
	say("%s: si_code %d\n", what, fault_code);
}

static void
anonymous(void)
{
	char *p, *q;

	p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	yes("mmap private anonymous", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	yes("page aligned", ((uintptr_t)p & (PG - 1)) == 0);
	yes("zero filled", p[0] == 0 && p[PG + 5] == 0 && p[3 * PG - 1] == 0);
	memset(p, 'a', 3 * PG);
	touch("write", p + PG, 1);
	/* Read only: reads work, writes fault with SEGV_ACCERR. */
	ok("mprotect PROT_READ", mprotect(p, PG, PROT_READ));
	touch("read a PROT_READ page", p, 0);
	touch("write a PROT_READ page", p + 10, 1);
	touch("write the next page", p + PG, 1);
	ok("mprotect PROT_NONE", mprotect(p + PG, PG, PROT_NONE));
	touch("read a PROT_NONE page", p + PG + 1, 0);
	ok("mprotect back", mprotect(p, 2 * PG, PROT_READ | PROT_WRITE));
	yes("contents kept", p[0] == 'a' && p[PG] == 'w' && p[PG + 1] == 'a');
	/* Partial munmap: the middle page goes, its neighbours stay. */
	ok("munmap the middle page", munmap(p + PG, PG));
	touch("read the first page", p, 0);
	touch("read the unmapped page", p + PG + 8, 0);
	touch("read the last page", p + 2 * PG, 0);
	/* MAP_FIXED over the hole: fresh zeroes. */
	q = mmap(p + PG, PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	yes("MAP_FIXED into the hole", q == p + PG);
	yes("its page is zero", q != MAP_FAILED && q[8] == 0);
	ok("munmap all", munmap(p, 3 * PG));
	touch("read after munmap", p + 2 * PG, 0);
	/* cppcheck-suppress doubleFree ; unmapping twice is the test */
	ok("munmap an unmapped range", munmap(p, 3 * PG));
	/* Executable anonymous memory runs code: "mov $42, %eax; ret". */
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p != MAP_FAILED) {
		static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
		int (*fn)(void);

		memcpy(p, code, sizeof(code));
		mprotect(p, PG, PROT_READ | PROT_EXEC);
		fn = (int (*)(void))(uintptr_t)p;
		say("code in PROT_EXEC memory returns %d\n", fn());
		munmap(p, PG);
	}
	/* cppcheck-suppress memleak ; q was inside p, unmapped with it */
}

static void
copy_on_write(void)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static char data[PG] = "parent data";
	char stack[64] = "parent stack";
	pid_t pid;
	int st;

	if (p == MAP_FAILED)
		return;
	strcpy(p, "parent map");
	if ((pid = fork()) == 0) {
		int bad = 0;

		bad |= strcmp(p, "parent map") != 0;
		bad |= (strcmp(data, "parent data") != 0) << 1;
		bad |= (strcmp(stack, "parent stack") != 0) << 2;
		strcpy(p, "child map");
		strcpy(data, "child data");
		strcpy(stack, "child stack");
		_exit(bad);
	}
	waitpid(pid, &st, 0);
	say("child saw the parent's values: %s\n", wstatus(st));
	say("after the child wrote: %s, %s, %s\n", p, data, stack);
	/* The parent writes after the fork; a child sees its old copy. */
	if ((pid = fork()) == 0)
		_exit(strcmp(p, "parent map") == 0 ? 0 : 1);
	strcpy(p, "parent again");
	waitpid(pid, &st, 0);
	say("child's copy: %s\n", wstatus(st));
	munmap(p, PG);
}

/*
 * Shared anonymous memory is shared with the children of later forks
 * (and theirs), also after mremap moves it; private memory moved by
 * mremap keeps its contents.
 */
static void
shared_anonymous(void)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0),
	     *q;
	pid_t pid;
	int st;

	yes("mmap shared anonymous", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	strcpy(p, "before");
	if ((pid = fork()) == 0) {
		if (fork() == 0) {
			strcpy(p + 100, "and the grandchild");
			_exit(0);
		}
		wait(NULL);
		strcpy(p, "written by the child");
		_exit(0);
	}
	waitpid(pid, &st, 0);
	say("shared page after the child: %s, %s\n", p, p + 100);
	/* Only its first page is used: Linux has none past the first. */
	q = mremap(p, PG, 2 * PG, MREMAP_MAYMOVE);
	yes("mremap of shared anonymous memory", q != MAP_FAILED);
	if (q == MAP_FAILED)
		return;
	if ((pid = fork()) == 0) {
		strcpy(q, "moved, written by a child");
		_exit(0);
	}
	waitpid(pid, &st, 0);
	say("moved shared page after the child: %s\n", q);
	munmap(q, 2 * PG);
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	strcpy(p, "private, moved");
	q = mremap(p, PG, 4 * PG, MREMAP_MAYMOVE);
	yes("mremap grows private memory", q != MAP_FAILED);
	if (q == MAP_FAILED)
		return;
	touch("write its new last page", q + 4 * PG - 1, 1);
	say("its contents: %s\n", q);
	num("mremap of unmapped memory",
	    mremap(q + 64 * PG, PG, 2 * PG, MREMAP_MAYMOVE) == MAP_FAILED ? -1 :
									    0);
	munmap(q, 4 * PG);
}

/* A large mapping, touched at both ends; mprotect splits it. */
static void
large(void)
{
	size_t len = 64 << 20;
	char *p, *q;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	yes("mmap 64 MiB", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	touch("write its first byte", p, 1);
	touch("write its last byte", p + len - 1, 1);
	ok("mprotect a page in the middle",
	    mprotect(p + len / 2, PG, PROT_READ));
	touch("write before it", p + len / 2 - 1, 1);
	touch("write it", p + len / 2, 1);
	touch("write after it", p + len / 2 + PG, 1);
	q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	yes("a second mapping lies outside it",
	    q != MAP_FAILED && (q + PG <= p || q >= p + len));
	munmap(q, PG);
	ok("munmap it", munmap(p, len));
}

static void
program_break(void)
{
	char *b0 = (char *)syscall(SYS_brk, 0), *b;

	b = (char *)syscall(SYS_brk, b0 + 5 * PG);
	yes("brk grows", b == b0 + 5 * PG);
	memset(b0, 'b', 5 * PG);
	touch("write the new break's last byte", b0 + 5 * PG - 1, 1);
	b = (char *)syscall(SYS_brk, b0 + PG);
	yes("brk shrinks", b == b0 + PG);
	touch("read below the break", b0 + 10, 0);
	/* Below the start: refused, the break stays. */
	b = (char *)syscall(SYS_brk, b0 - 16 * PG);
	yes("brk below its start is refused", b == b0 + PG);
	b = (char *)syscall(SYS_brk, b0);
	yes("brk back to its start", b == b0);
}

/* System calls given memory they may not read or write fail EFAULT. */
static void
bad_memory(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fds[2];

	if (p == MAP_FAILED || pipe(fds) != 0)
		return;
	memset(p, 'm', 2 * PG);
	mprotect(p, PG, PROT_READ);
	mprotect(p + PG, PG, PROT_NONE);
	num("write from a PROT_READ page", write(fds[1], p, 10));
	num("write from a PROT_NONE page", write(fds[1], p + PG, 10));
	num("read into a PROT_READ page", read(fds[0], p, 10));
	num("read the rest", read(fds[0], p + PG - 100, 100));
	num("write from address 8", write(fds[1], (void *)8, 1));
	num("write crossing into PROT_NONE", write(fds[1], p + PG - 4, 8));
	close(fds[0]);
	close(fds[1]);
	munmap(p, 2 * PG);
}

/* Prints "what: ok" for a mapping made (and unmaps it), else the errno. */
static void
mapped(const char *what, void *p)
{
	if (p == MAP_FAILED) {
		say("%s: %s\n", what, ename(errno));
		return;
	}
	say("%s: ok\n", what);
	munmap(p, PG);
}

static void
errors(void)
{
	int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	char *p;

	/* cppcheck-suppress invalidFunctionArg ; the error is the test */
	mapped("mmap length 0", mmap(NULL, 0, PROT_READ, anon, -1, 0));
	mapped("mmap neither shared nor private",
	    mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0));
	mapped("mmap MAP_FIXED unaligned",
	    mmap((void *)0x10000001, PG, PROT_READ, anon | MAP_FIXED, -1, 0));
	mapped("mmap bad descriptor",
	    mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 99, 0));
	mapped("mmap bad prot", mmap(NULL, PG, 0x100, anon, -1, 0));
	num("munmap unaligned", munmap((void *)0x10000001, PG));
	/* cppcheck-suppress invalidFunctionArg ; the error is the test */
	num("munmap length 0", munmap((void *)0x10000000, 0));
	num("mprotect unaligned", mprotect((void *)0x10000001, PG, PROT_READ));
	p = mmap(NULL, PG, PROT_READ, anon, -1, 0);
	num("mprotect bad prot", mprotect(p, PG, 0x100));
	munmap(p, PG);
	num("mprotect unmapped", mprotect(p, PG, PROT_READ));
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, anon, -1, 0);
	p = mremap(p, 2 * PG, PG, 0);
	yes("mremap shrinks in place", p != MAP_FAILED);
}

int
main(void)
{
	struct sigaction sa;

	oracle_begin("oracle_mem");
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	anonymous();
	copy_on_write();
	shared_anonymous();
	large();
	program_break();
	bad_memory();
	errors();
	return (oracle_end());
}
