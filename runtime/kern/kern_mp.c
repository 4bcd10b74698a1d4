/*
 * kern_mp.c - virtual CPUs: announcing them, starting the application
 * processors, and their idle loop.
 *
 * cpu0 (the BSP) is the thread that boots.  mp_start() starts the others
 * (APs) through the platform, one host thread each, and waits until every
 * one has reached its idle loop, so that the boot continues on a complete
 * machine.  An idle cpu sleeps on its own condition variable; the
 * scheduler (a later issue) wakes it when there is work.
 */
#include "runtime/kern/kern.h"
#include "runtime/kern/sysctl.h"

struct cpu_info cpu_infos[VK_MAXCPU];
int ncpus = 1;

static host_mutex_t mp_lock;
static host_cond_t mp_launched_cv;
static host_cond_t mp_idle_cv[VK_MAXCPU];
static int mp_nlaunched;

/* Runs on each AP's host thread; never returns. */
static void
ap_main(int cpuid)
{
	struct cpu_info *ci = &cpu_infos[cpuid];

	curcpu = cpuid;
	host_cpu_register_self(cpuid); /* the debugger can stop it */
	host_mutex_lock(&mp_lock);
	ci->launched = true;
	ci->idle = true;
	mp_nlaunched++;
	host_cond_broadcast(&mp_launched_cv);
	for (;;)
		host_cond_wait(&mp_idle_cv[cpuid], &mp_lock);
}

void
mp_start(const struct vk_options *opts)
{
	int i, error;

	host_mutex_init(&mp_lock);
	host_cond_init(&mp_launched_cv);
	ncpus = opts->ncpus;
	for (i = 0; i < ncpus; i++) {
		cpu_infos[i].cpuid = i;
		host_cond_init(&mp_idle_cv[i]);
	}
	cpu_infos[0].launched = true;
	host_cpu_register_self(0);
	if (ncpus > 1)
		kprintf("%s/MP: Multiprocessor\n", VK_OSTYPE);
	kprintf(" cpu0 (BSP)\n");
	for (i = 1; i < ncpus; i++)
		kprintf(" cpu%d (AP)\n", i);

	if ((error = host_cpu_pin(opts, 0)) != 0)
		panic("mp_start: cannot pin cpu0: error %d", error);
	if ((error = host_cpu_start(opts, ap_main)) != 0)
		panic("mp_start: cannot start APs: error %d", error);
	host_mutex_lock(&mp_lock);
	while (mp_nlaunched < ncpus - 1)
		host_cond_wait(&mp_launched_cv, &mp_lock);
	host_mutex_unlock(&mp_lock);
	if (opts->verbose) {
		for (i = 0; i < ncpus && opts->cpulock != VK_CPULOCK_ANY; i++)
			kprintf("Locking CPU%d to real cpu %d\n", i,
			    __builtin_ctzll(host_cpu_real(i)));
		for (i = 1; i < ncpus; i++)
			kprintf("SMP: AP CPU #%d Launched!\n", i);
		kprintf("Finish MP startup\n");
	}
	inject_point("mp");
}

void
mp_sysctl_init(void)
{
	struct sysctl_oid *kern, *machdep, *cpu;
	char name[16];
	int i, error;

	error = sysctl_find("kern", &kern);
	if (error == 0)
		error = sysctl_add_ulong(kern, "ticks", CTLFLAG_RD, &ticks,
		    "Clock ticks since boot (HZ a second)", NULL);
	if (error == 0)
		error = sysctl_find("machdep", &machdep);
	for (i = 0; i < ncpus && error == 0; i++) {
		ksnprintf(name, sizeof(name), "cpu%d", i);
		error = sysctl_add_node(machdep, name, "A virtual cpu", &cpu);
		if (error == 0)
			error = sysctl_add_ulong(cpu, "idle_ticks", CTLFLAG_RD,
			    &cpu_infos[i].idle_ticks,
			    "Clock ticks this cpu spent idle", NULL);
		if (error == 0)
			error = sysctl_add_ulong(cpu, "busy_ticks", CTLFLAG_RD,
			    &cpu_infos[i].busy_ticks,
			    "Clock ticks this cpu spent busy", NULL);
	}
	if (error != 0)
		panic("mp_sysctl_init: error %d", error);
}
