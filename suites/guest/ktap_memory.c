/*
 * ktap_memory.c - a guest-side test program for memory against -m (the
 * suite boots it with -m 64m): a mapping or a heap larger than the whole
 * machine is refused with ENOMEM, a child that keeps touching new memory
 * past what there is (two mappings that each fit, touched together) is
 * killed with SIGKILL while its parent (and the
 * kernel) go on, and the memory is usable again afterwards.  Prints
 * KTAP, then waits on the console.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MB (1024UL * 1024UL)

static int n;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static int
too_big_is_refused(void)
{
	void *p = mmap(NULL, 256 * MB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *brk0 = sbrk(0);

	if (p != MAP_FAILED || errno != ENOMEM)
		return (0);
	/* The heap cannot grow past it either. */
	return (sbrk(256 * MB) == (void *)-1 && sbrk(0) == brk0);
}

static int
overcommit_kills_the_hog(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		/*
		 * Two mappings of 40 MiB each fit one at a time (nothing is
		 * resident yet), but touching both needs more than 64 MiB:
		 * the pagedaemon must kill this process.
		 */
		char *a = mmap(NULL, 40 * MB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *b = mmap(NULL, 40 * MB, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (a == MAP_FAILED || b == MAP_FAILED)
			_exit(3);
		/* Keep using it for up to 5 s: the daemon looks every 0.1 s. */
		for (time_t end = time(NULL) + 5; time(NULL) < end;) {
			for (size_t o = 0; o < 40 * MB; o += 4096)
				a[o] = b[o] = (char)o;
		}
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return (0);
	printf("# hog: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
	    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	return (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static int
memory_usable_again(void)
{
	char *p = mmap(NULL, 16 * MB, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return (0);
	for (size_t o = 0; o < 16 * MB; o += 4096)
		p[o] = 2;
	return (munmap(p, 16 * MB) == 0);
}

int
main(void)
{
	char c;

	printf("KTAP version 1\n1..3\n");
	result(too_big_is_refused(), "mmap_and_brk_beyond_memory_enomem");
	result(overcommit_kills_the_hog(), "overcommit_kills_the_biggest");
	result(memory_usable_again(), "memory_usable_after_the_kill");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
