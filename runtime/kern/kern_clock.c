/*
 * kern_clock.c - the clock: hardclock ticks, uptime, per-cpu idle
 * accounting.
 *
 * The interrupt thread calls hardclock() HZ times a second.  Each tick is
 * charged to every virtual cpu as idle or busy according to what the cpu
 * is doing at that moment, the sampling that BSD's statclock does.
 */
#include "runtime/kern/kern.h"

uint64_t ticks;
static uint64_t boot_ns;

void
clock_init(void)
{
	boot_ns = host_monotonic_ns();
}

void
hardclock(void)
{
	int i;

	__atomic_fetch_add(&ticks, 1, __ATOMIC_RELAXED);
	for (i = 0; i < ncpus; i++) {
		if (cpu_infos[i].idle)
			cpu_infos[i].idle_ticks++;
		else
			cpu_infos[i].busy_ticks++;
	}
}

uint64_t
uptime_ns(void)
{
	return (host_monotonic_ns() - boot_ns);
}
