/*
 * kern_boot.c - the boot order, in one place.
 *
 * kern_boot() runs on the thread that will be cpu0, after the platform
 * has parsed the command line and acquired the pidfile, the memory image
 * and the disk images.  Each step below may depend on every step before
 * it; nothing is started by constructors or link order.
 */
#include "runtime/ddb/ddb.h"
#include "runtime/dev/dev.h"
#include "runtime/dev/device.h"
#include "runtime/kern/kenv.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/proc.h"
#include "runtime/kern/sysctl.h"
#include "runtime/vm/vm.h"

static struct thread thread0;

static void
intr_event(enum host_event ev)
{
	switch (ev) {
	case HOST_EV_TERM:
		shutdown_from_host();
		break;
	case HOST_EV_QUIT:
		kdb_console_enter();
		break;
	case HOST_EV_WINCH:
		break; /* the tty layer arrives with the processes issue */
	}
}

static const struct host_intr_ops kern_intr_ops = {
	.console_input = cons_input,
	.event = intr_event,
	.tick = hardclock,
};

static void
announce(void)
{
	kprintf("Copyright (c) 2026 The %s Project.\n", VK_OSTYPE);
	kprintf("%s", host_version);
}

static void
memory_announce(void)
{
	uint64_t real = kern_host->mem.size;
	uint64_t avail = vm_page_free_count() * PAGE_SIZE;

	kprintf("real memory = %llu (%lluK bytes)\n", (unsigned long long)real,
	    (unsigned long long)(real >> 10));
	kprintf("avail memory = %llu (%lluK bytes)\n",
	    (unsigned long long)avail, (unsigned long long)(avail >> 10));
}

static void
vm_counts(uint32_t *page_count, uint32_t *free_count)
{
	*page_count = (uint32_t)vm_page_count();
	*free_count = (uint32_t)vm_page_free_count();
}

static void
sysctl_boot(const struct vk_options *opts)
{
	struct sysctl_bootinfo bi = { 0 };
	struct sysctl_oid *debug, *kern;
	int64_t sec, nsec;
	int error;

	host_realtime(&sec, &nsec);
	sec -= (int64_t)(uptime_ns() / 1000000000u);
	bi.ncpu = opts->ncpus;
	bi.physmem = kern_host->mem.size;
	bi.version = host_version;
	bi.boottime.sec = sec;
	bi.boottime.usec = nsec / 1000;
	bi.kmem_writable = opts->kmem_writable;
	bi.vm_counts = vm_counts;
	if ((error = sysctl_init_standard(&bi)) != 0)
		panic("sysctl_init_standard: error %d", error);
	/* The boot flags (-s sets RB_SINGLE), as BSD's debug.boothowto. */
	if ((error = sysctl_find("debug", &debug)) != 0 ||
	    (error = sysctl_add_int(debug, "boothowto", CTLFLAG_RD, &boothowto,
		 "Boot control flags, passed from the command line", NULL)) !=
		0)
		panic("sysctl debug.boothowto: error %d", error);
	/* System calls answered ENOSYS: the ones still to write. */
	if ((error = sysctl_find("kern", &kern)) != 0 ||
	    (error = sysctl_add_ulong(kern, "nosys_calls", CTLFLAG_RD,
		 &syscall_nosys_count,
		 "System calls answered ENOSYS (boot -v names each)", NULL)) !=
		0)
		panic("sysctl kern.nosys_calls: error %d", error);
	syscall_verbose = opts->verbose;
}

/*
 * Loader tunables: a -e name=value whose name is a writable sysctl sets
 * it (-e debug.debugger_on_panic=0, -e kern.hostname=vk1), as BSD's loader
 * environment does for tunable sysctls.
 */
static void
sysctl_tunables(void)
{
	const char *name, *value;
	struct sysctl_oid *oid;
	size_t i;
	int error;

	for (i = 0; i < kenv_count(); i++) {
		if (kenv_entry(i, &name, &value) != 0 ||
		    sysctl_find(name, &oid) != 0 ||
		    (sysctl_oid_kind(oid) & CTLFLAG_WR) == 0)
			continue;
		if ((error = sysctl_set_from_text(oid, value)) != 0)
			kprintf("tunable %s=%s not set: error %d\n", name,
			    value, error);
	}
}

_Noreturn void
kern_boot(const struct vk_options *opts, struct vk_host *host)
{
	int error;

	inject_point("boot");
	kern_host = host;
	if (opts->single_user)
		boothowto |= RB_SINGLE;

	/* 1. Time starts: uptime and the boot time count from here. */
	clock_init();
	/* 2. Console output and input; the terminal goes raw. */
	cons_init();
	host_console_init();
	/* 3. The interrupt thread: host signals, console input, the clock.
	 *    It must start before any other thread so that every thread
	 *    inherits the blocked host signals. */
	if ((error = host_intr_start(&kern_intr_ops, HZ, host)) != 0)
		panic("cannot start the interrupt thread: error %d", error);
	/*    The debugger: ^\ and panics enter it from here on.  It finds
	 *    the interrupt thread, and the cpus register with it. */
	kdb_init();
	/* 4. Who we are. */
	announce();
	/* 5. Physical memory: the memory image. */
	vm_page_init(host->mem.base, host->mem.size);
	kmalloc_init();
	bio_init(vm_page_count() / 4); /* a quarter of memory for disk blocks */
	memory_announce();
	/* 6. The kernel environment (-e) and the sysctl tree. */
	if ((error = kenv_init(opts->kenv, opts->nkenv)) != 0)
		kprintf("kenv: some -e values were not set: error %d\n", error);
	sysctl_boot(opts);
	sysctl_tunables();
	/* 7. The virtual cpus (-n, -l). */
	mp_start(opts);
	mp_sysctl_init();
	/* 8. Devices, in command-line order. */
	disk_attach_all(host);
	if ((error = mem_dev_init()) != 0 || (error = cons_tty_init()) != 0)
		panic("device init: error %d", error);
	if ((error = vfs_register(&devfs_vfstype)) != 0 ||
	    (error = vfs_register(&cd9660_vfstype)) != 0 ||
	    (error = vfs_register(&ufs_vfstype)) != 0 ||
	    (error = vfs_register(&procfs_vfstype)) != 0 ||
	    (error = vfs_register(&procfs_linux_vfstype)) != 0)
		panic("vfs_register: error %d", error);
	if (opts->verbose)
		kprintf("Device configuration finished.\n");
	/* 9. The root file system. */
	vfs_mountroot(opts);
	/* 10. From here on kernel threads run under the kernel lock and the
	 *     cpu tokens; this thread becomes thread 0. */
	sched_init(opts->ncpus, &thread0);
	pagedaemon_start(); /* guest memory against -m */
	/* 11. /dev, the console terminal, and init. */
	start_init();
}
