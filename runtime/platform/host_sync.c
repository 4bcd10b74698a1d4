/*
 * host_sync.c - mutexes, condition variables, clocks and host threads
 * (pooled) for the machine-independent kernel, on POSIX threads.
 *
 * The kernel keeps these objects in its own static storage as opaque
 * blobs (platform.h); this file is the only one that knows they are
 * pthread objects.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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

/*
 * Host threads for kernel threads, pooled.  Each guest process costs a
 * kernel thread, so a fork+exec+wait used to cost a pthread_create (clone3,
 * rseq, robust list, the stack's mmap/mprotect and at the end its munmap
 * and madvise) and a pthread_setname_np (an open, write and close of
 * /proc/self/task/TID/comm): about 25 us.  Instead a host thread whose
 * function has returned parks on its own condition variable and is handed
 * the next host_thread_create(); it ends after POOL_IDLE_NS without work,
 * or at once when POOL_IDLE_MAX threads are parked already.  The threads
 * stay detached: nobody joins them.  A reused thread takes the signal mask
 * of the thread that created the work, as a new thread would, and names
 * itself with prctl(PR_SET_NAME) ("pool" while parked).
 *
 * A host fork of the kernel (tests) copies only the forking thread: the
 * child's pool starts empty (pthread_atfork below).
 */
#define POOL_IDLE_MAX 16
#define POOL_IDLE_NS  (5ULL * 1000000000u)

struct pool_thread {
	struct pool_thread *next; /* on pool_idle */
	pthread_cond_t cv;	  /* parked: waits here for work */
	bool work;		  /* fn is set and not yet started */
	void (*fn)(void *);
	void *arg;
	char name[16];
	sigset_t mask; /* the creator's signal mask */
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static struct pool_thread *pool_idle; /* parked, the latest first */
static int pool_nidle;
static int pool_max = POOL_IDLE_MAX;
static uint64_t pool_idle_ns = POOL_IDLE_NS;

static void
pool_prepare(void)
{
	pthread_mutex_lock(&pool_lock);
}

static void
pool_parent(void)
{
	pthread_mutex_unlock(&pool_lock);
}

/* The child of a host fork: the parked threads are the parent's only. */
static void
pool_child(void)
{
	struct pool_thread *w, *next;

	for (w = pool_idle; w != NULL; w = next) {
		next = w->next;
		free(w); /* its condition variable has no waiter here */
	}
	pool_idle = NULL;
	pool_nidle = 0;
	pthread_mutex_init(&pool_lock, NULL);
}

static void
pool_init(void)
{
	(void)pthread_atfork(pool_prepare, pool_parent, pool_child);
}

/*
 * Parks w until host_thread_create() hands it work (true) or it has
 * waited long enough, or the pool is full (false: the thread ends).
 */
static bool
pool_park(struct pool_thread *w)
{
	struct pool_thread **pp;
	struct timespec ts;
	uint64_t when;

	pthread_mutex_lock(&pool_lock);
	if (pool_nidle >= pool_max) {
		pthread_mutex_unlock(&pool_lock);
		return (false);
	}
	w->work = false;
	w->next = pool_idle;
	pool_idle = w;
	pool_nidle++;
	when = host_monotonic_ns() + pool_idle_ns;
	ts.tv_sec = (time_t)(when / 1000000000u);
	ts.tv_nsec = (long)(when % 1000000000u);
	while (!w->work) {
		if (pthread_cond_timedwait(&w->cv, &pool_lock, &ts) !=
			ETIMEDOUT ||
		    w->work)
			continue;
		/* Nobody took it: it is still parked, so unlink it. */
		for (pp = &pool_idle; *pp != NULL; pp = &(*pp)->next)
			if (*pp == w) {
				*pp = w->next;
				break;
			}
		pool_nidle--;
		pthread_mutex_unlock(&pool_lock);
		return (false);
	}
	pthread_mutex_unlock(&pool_lock);
	return (true);
}

static void *
pool_main(void *p)
{
	struct pool_thread *w = p;

	for (;;) {
		(void)prctl(PR_SET_NAME, w->name, 0, 0, 0);
		w->fn(w->arg);
		(void)prctl(PR_SET_NAME, "pool", 0, 0, 0);
		if (!pool_park(w))
			break;
		pthread_sigmask(SIG_SETMASK, &w->mask, NULL);
	}
	pthread_cond_destroy(&w->cv);
	free(w);
	return (NULL);
}

static void
pool_job(struct pool_thread *w, void (*fn)(void *), void *arg, const char *name,
    const sigset_t *mask)
{
	w->fn = fn;
	w->arg = arg;
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->mask = *mask;
	w->work = true;
}

int
host_thread_create(void (*fn)(void *), void *arg, const char *name)
{
	struct pool_thread *w;
	pthread_condattr_t cattr;
	pthread_attr_t attr;
	pthread_t tid;
	sigset_t mask;
	int error;

	(void)pthread_once(&pool_once, pool_init);
	pthread_sigmask(SIG_SETMASK, NULL, &mask);
	pthread_mutex_lock(&pool_lock);
	if ((w = pool_idle) != NULL) {
		pool_idle = w->next;
		pool_nidle--;
		pool_job(w, fn, arg, name, &mask);
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&pool_lock);
		return (0);
	}
	pthread_mutex_unlock(&pool_lock);

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return (ENOMEM);
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	error = pthread_cond_init(&w->cv, &cattr);
	pthread_condattr_destroy(&cattr);
	if (error != 0) {
		free(w);
		return (error);
	}
	pool_job(w, fn, arg, name, &mask);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = pthread_create(&tid, &attr, pool_main, w);
	pthread_attr_destroy(&attr);
	if (error != 0) {
		pthread_cond_destroy(&w->cv);
		free(w);
	}
	return (error);
}

int
host_thread_idle(void)
{
	int n;

	pthread_mutex_lock(&pool_lock);
	n = pool_nidle;
	pthread_mutex_unlock(&pool_lock);
	return (n);
}

void
host_thread_pool_limits(int max_idle, uint64_t idle_ns)
{
	pthread_mutex_lock(&pool_lock);
	pool_max = max_idle;
	pool_idle_ns = idle_ns;
	pthread_mutex_unlock(&pool_lock);
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

/* The CPU-time clock of process pid (Linux's encoding, clock_getcpuclockid). */
#define PROC_CPUCLOCK(pid, which) \
	((clockid_t)((~(unsigned)(pid) << 3) | (unsigned)(which)))
#define CPUCLOCK_PROF 0 /* user and system */
#define CPUCLOCK_VIRT 1 /* user */

static uint64_t
ts_ns(const struct timespec *ts)
{
	return ((uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec);
}

int
host_proc_times(int pid, uint64_t *utime_ns, uint64_t *stime_ns)
{
	struct timespec prof, virt;

	if (clock_gettime(PROC_CPUCLOCK(pid, CPUCLOCK_VIRT), &virt) != 0 ||
	    clock_gettime(PROC_CPUCLOCK(pid, CPUCLOCK_PROF), &prof) != 0)
		return (errno);
	*utime_ns = ts_ns(&virt);
	*stime_ns = ts_ns(&prof) > ts_ns(&virt) ? ts_ns(&prof) - ts_ns(&virt) :
						  0;
	return (0);
}
