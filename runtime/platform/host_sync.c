/*
 * host_sync.c - mutexes, condition variables and clocks for the
 * machine-independent kernel, on POSIX threads.
 *
 * The kernel keeps these objects in its own static storage as opaque
 * blobs (platform.h); this file is the only one that knows they are
 * pthread objects.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/platform/platform.h"

_Static_assert(sizeof(pthread_mutex_t) <= sizeof(host_mutex_t),
    "host_mutex_t too small for pthread_mutex_t");
_Static_assert(sizeof(pthread_cond_t) <= sizeof(host_cond_t),
    "host_cond_t too small for pthread_cond_t");

#define MTX(m) ((pthread_mutex_t *)(void *)(m)->opaque)
#define CND(c) ((pthread_cond_t *)(void *)(c)->opaque)

void
host_mutex_init(host_mutex_t *m)
{
	pthread_mutex_init(MTX(m), NULL);
}

void
host_mutex_lock(host_mutex_t *m)
{
	pthread_mutex_lock(MTX(m));
}

void
host_mutex_unlock(host_mutex_t *m)
{
	pthread_mutex_unlock(MTX(m));
}

/* Condition variables wait on CLOCK_MONOTONIC so that timeouts ignore
 * changes of the host's wall clock. */
void
host_cond_init(host_cond_t *c)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(CND(c), &attr);
	pthread_condattr_destroy(&attr);
}

void
host_cond_wait(host_cond_t *c, host_mutex_t *m)
{
	pthread_cond_wait(CND(c), MTX(m));
}

int
host_cond_timedwait(host_cond_t *c, host_mutex_t *m, uint64_t ns)
{
	struct timespec ts;
	uint64_t when;

	when = host_monotonic_ns() + ns;
	ts.tv_sec = (time_t)(when / 1000000000u);
	ts.tv_nsec = (long)(when % 1000000000u);
	return (pthread_cond_timedwait(CND(c), MTX(m), &ts) == ETIMEDOUT ?
		ETIMEDOUT :
		0);
}

void
host_cond_signal(host_cond_t *c)
{
	pthread_cond_signal(CND(c));
}

void
host_cond_broadcast(host_cond_t *c)
{
	pthread_cond_broadcast(CND(c));
}

uint64_t
host_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
}

void
host_realtime(int64_t *sec, int64_t *nsec)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
}

struct thread_start {
	void (*fn)(void *);
	void *arg;
};

static void *
thread_main(void *p)
{
	struct thread_start ts = *(struct thread_start *)p;

	free(p);
	ts.fn(ts.arg);
	return (NULL);
}

int
host_thread_create(void (*fn)(void *), void *arg, const char *name)
{
	struct thread_start *ts;
	pthread_attr_t attr;
	pthread_t tid;
	char shortname[16];
	int error;

	if ((ts = malloc(sizeof(*ts))) == NULL)
		return (ENOMEM);
	ts->fn = fn;
	ts->arg = arg;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = pthread_create(&tid, &attr, thread_main, ts);
	pthread_attr_destroy(&attr);
	if (error != 0) {
		free(ts);
		return (error);
	}
	snprintf(shortname, sizeof(shortname), "%s", name);
	pthread_setname_np(tid, shortname);
	return (0);
}

int
host_proc_rss(int pid, uint64_t *bytes)
{
	char path[64], buf[128];
	unsigned long long size, resident;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (errno);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return (EIO);
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu", &size, &resident) != 2)
		return (EIO);
	*bytes = (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE);
	return (0);
}

int
host_proc_times(int pid, uint64_t *utime_ns, uint64_t *stime_ns)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	long hz = sysconf(_SC_CLK_TCK);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (errno);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return (EIO);
	buf[n] = '\0';
	/* Fields 14 and 15, counted after the command's closing ")". */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1,
		" %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
		"%llu",
		&ut, &st) != 2 ||
	    hz <= 0)
		return (EIO);
	*utime_ns = ut * (1000000000ULL / (unsigned long long)hz);
	*stime_ns = st * (1000000000ULL / (unsigned long long)hz);
	return (0);
}
