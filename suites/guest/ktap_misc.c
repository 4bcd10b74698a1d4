/*
 * ktap_misc.c - a guest-side test program for the smaller calls: select
 * and pselect on a pipe, times and getrusage (CPU time grows with work),
 * getrandom, resource limits, madvise(MADV_DONTNEED), prctl names,
 * mremap growing and shrinking, and mmap of a file (the program's own
 * image, /sbin/ktap_misc).  Prints KTAP, then waits on the console.
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static int n;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static int
select_on_a_pipe(void)
{
	struct timeval tv = { 0, 20000 };
	struct timespec ts = { 0, 1000000 };
	fd_set r, w;
	sigset_t mask;
	int p[2];

	if (pipe(p) != 0)
		return (0);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	if (select(p[0] + 1, &r, NULL, NULL, &tv) != 0 || FD_ISSET(p[0], &r))
		return (0); /* nothing to read: a timeout */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	if (write(p[1], "x", 1) != 1 ||
	    select(p[1] + 1, &r, &w, NULL, NULL) != 2 || !FD_ISSET(p[0], &r) ||
	    !FD_ISSET(p[1], &w))
		return (0);
	sigemptyset(&mask);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	if (pselect(p[0] + 1, &r, NULL, NULL, &ts, &mask) != 1)
		return (0);
	FD_ZERO(&r);
	FD_SET(99, &r);
	return (select(100, &r, NULL, NULL, &tv) == -1 && errno == EBADF);
}

static int
cpu_times(void)
{
	struct tms a, b;
	struct rusage ru;
	volatile unsigned long x = 0;
	clock_t t0 = times(&a), t1;

	for (unsigned long i = 0; i < 400000000UL; i++)
		x += i;
	t1 = times(&b);
	if (t0 == (clock_t)-1 || t1 < t0 || b.tms_utime <= a.tms_utime)
		return (0);
	if (getrusage(RUSAGE_SELF, &ru) != 0 || ru.ru_utime.tv_sec +
		    ru.ru_utime.tv_usec == 0)
		return (0);
	return (getrusage(99, &ru) == -1 && errno == EINVAL);
}

static int
random_bytes(void)
{
	unsigned char a[64], b[64];

	if (getrandom(a, sizeof(a), 0) != 64 || getrandom(b, sizeof(b), 0) !=
		64 ||
	    memcmp(a, b, sizeof(a)) == 0)
		return (0);
	return (getrandom(a, 1, 0x100) == -1 && errno == EINVAL);
}

static int
limits(void)
{
	struct rlimit rl, nl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur != 1024)
		return (0);
	nl.rlim_cur = 64;
	nl.rlim_max = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &nl) != 0 ||
	    getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur != 64)
		return (0);
	nl.rlim_cur = 100;
	nl.rlim_max = 50;
	if (setrlimit(RLIMIT_NOFILE, &nl) != -1 || errno != EINVAL)
		return (0);
	nl.rlim_cur = nl.rlim_max = 1024;
	setrlimit(RLIMIT_NOFILE, &nl);
	return (prlimit(99999, RLIMIT_NOFILE, NULL, &rl) == -1 &&
	    errno == ESRCH);
}

static int
madvise_dontneed(void)
{
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return (0);
	memset(p, 7, 8192);
	if (madvise(p, 8192, MADV_DONTNEED) != 0 || p[0] != 0 || p[8191] != 0)
		return (0);
	return (madvise(p + 1, 4096, MADV_DONTNEED) == -1 && errno == EINVAL);
}

static int
process_name(void)
{
	char name[16];

	if (prctl(PR_SET_NAME, "renamed", 0, 0, 0) != 0 ||
	    prctl(PR_GET_NAME, name, 0, 0, 0) != 0)
		return (0);
	return (strcmp(name, "renamed") == 0);
}

static int
remap(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;

	if (p == MAP_FAILED)
		return (0);
	strcpy(p, "kept");
	q = mremap(p, 4096, 65536, MREMAP_MAYMOVE);
	if (q == MAP_FAILED || strcmp(q, "kept") != 0)
		return (0);
	q[65535] = 1;
	if (mremap(q, 65536, 4096, 0) != q || strcmp(q, "kept") != 0)
		return (0);
	return (mremap(q, 4096, 8192, 0) == MAP_FAILED && errno == ENOMEM);
}

static int
map_a_file(void)
{
	int fd = open("/sbin/ktap_misc", O_RDONLY);
	unsigned char *p;

	if (fd < 0)
		return (0);
	p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED || memcmp(p, "\177ELF", 4) != 0)
		return (0);
	/* Shared and writable would need a page cache: refused. */
	if (mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) !=
		MAP_FAILED ||
	    errno != ENODEV)
		return (0);
	close(fd);
	return (p[1] == 'E' && munmap(p, 8192) == 0);
}

/* Every clock id, time(2) and clock_getres. */
static int
clocks(void)
{
	struct timespec ts, res;
	int ids[] = { CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC,
		CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
		CLOCK_PROCESS_CPUTIME_ID };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (clock_gettime(ids[i], &ts) != 0 ||
		    clock_getres(ids[i], &res) != 0 || res.tv_sec != 0 ||
		    res.tv_nsec <= 0)
			return (0);
	if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) != 0 ||
	    ts.tv_sec < 1700000000 || syscall(SYS_time, NULL) < 1700000000)
		return (0);
	return (clock_getres(10, &res) == -1 && errno == EINVAL &&
	    clock_gettime(99, &ts) == -1 && errno == EINVAL);
}

int
main(void)
{
	char c;

	printf("KTAP version 1\n1..9\n");
	result(select_on_a_pipe(), "select_pselect_pipe");
	result(cpu_times(), "times_getrusage");
	result(random_bytes(), "getrandom");
	result(limits(), "getrlimit_setrlimit_prlimit");
	result(madvise_dontneed(), "madvise_dontneed_zeroes");
	result(process_name(), "prctl_name");
	result(remap(), "mremap_grow_shrink");
	result(map_a_file(), "mmap_private_file");
	result(clocks(), "clock_ids_time_getres");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
