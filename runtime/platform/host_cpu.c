/*
 * host_cpu.c - virtual CPUs as host threads, and their pinning (-l).
 *
 * cpu0 is the thread that boots the kernel.  Every further virtual CPU is
 * a host thread created here.  -l any leaves the scheduling to the host,
 * -l map[,start] pins virtual cpu i to the i-th real cpu of the process's
 * affinity mask counted from real cpu start (wrapping around past the last
 * one, as the original does), and -l N pins every
 * virtual cpu to real cpu N.  Real cpus are named by their host numbers.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "runtime/platform/platform.h"

static cpu_set_t host_allowed; /* the process's mask at first use */
static int host_allowed_valid;
static uint64_t vcpu_real[VK_MAXCPU]; /* real cpu mask per vcpu */
static void (*vcpu_fn)(int);

static void
allowed_init(void)
{
	if (host_allowed_valid)
		return;
	if (sched_getaffinity(0, sizeof(host_allowed), &host_allowed) != 0) {
		CPU_ZERO(&host_allowed);
		CPU_SET(0, &host_allowed);
	}
	host_allowed_valid = 1;
}

int
host_cpu_count(void)
{
	allowed_init();
	return (CPU_COUNT(&host_allowed));
}

/* Returns the host number of the n-th allowed cpu (n counted mod count). */
static int
allowed_nth(int n)
{
	int count, i, seen;

	count = host_cpu_count();
	n %= count;
	for (i = 0, seen = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &host_allowed))
			continue;
		if (seen++ == n)
			return (i);
	}
	return (0);
}

/* Returns the position of host cpu real in the allowed mask (0 if absent). */
static int
allowed_index(int real)
{
	int i, n;

	for (i = 0, n = 0; i < real && i < CPU_SETSIZE; i++)
		if (CPU_ISSET(i, &host_allowed))
			n++;
	return (n);
}

/* Which real cpu -l puts virtual cpu cpuid on, or -1 for "any". */
static int
target_cpu(const struct vk_options *opts, int cpuid)
{
	switch (opts->cpulock) {
	case VK_CPULOCK_MAP:
		return (allowed_nth(allowed_index(opts->cpulock_cpu) + cpuid));
	case VK_CPULOCK_SINGLE:
		return (opts->cpulock_cpu);
	case VK_CPULOCK_ANY:
	default:
		return (-1);
	}
}

int
host_cpu_pin(const struct vk_options *opts, int cpuid)
{
	cpu_set_t set;
	int real, i;

	allowed_init();
	real = target_cpu(opts, cpuid);
	if (real < 0) {
		set = host_allowed;
	} else {
		CPU_ZERO(&set);
		CPU_SET(real, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			return (errno);
	}
	vcpu_real[cpuid] = 0;
	for (i = 0; i < 64; i++)
		if (CPU_ISSET(i, &set))
			vcpu_real[cpuid] |= (uint64_t)1 << i;
	return (0);
}

uint64_t
host_cpu_real(int cpuid)
{
	if (cpuid < 0 || cpuid >= VK_MAXCPU)
		return (0);
	return (vcpu_real[cpuid]);
}

struct vcpu_start {
	const struct vk_options *opts;
	int cpuid;
};

static struct vcpu_start vcpu_starts[VK_MAXCPU];

static void *
vcpu_main(void *arg)
{
	struct vcpu_start *vs = arg;
	char name[16];

	/* The name lets tests and gdb find each vcpu's thread. */
	snprintf(name, sizeof(name), "cpu%d", vs->cpuid);
	pthread_setname_np(pthread_self(), name);
	(void)host_cpu_pin(vs->opts, vs->cpuid);
	vcpu_fn(vs->cpuid);
	return (NULL);
}

int
host_cpu_start(const struct vk_options *opts, void (*fn)(int cpuid))
{
	pthread_attr_t attr;
	pthread_t tid;
	int cpuid, error;

	vcpu_fn = fn;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = 0;
	for (cpuid = 1; cpuid < opts->ncpus; cpuid++) {
		vcpu_starts[cpuid].opts = opts;
		vcpu_starts[cpuid].cpuid = cpuid;
		error = pthread_create(&tid, &attr, vcpu_main,
		    &vcpu_starts[cpuid]);
		if (error != 0)
			break;
	}
	pthread_attr_destroy(&attr);
	return (error);
}
