/*
 * platform.h - the contract between the vkernel and its Linux host.
 *
 * runtime/platform/ is the only part of the kernel that includes Linux or
 * libc headers for host services.  Everything the machine-independent kernel
 * needs from the host (its command line, the memory image, disk images,
 * virtual CPU threads, the console, host signals) is reached through the
 * declarations below.
 *
 * Errors: functions return 0 or an errno value unless they say otherwise;
 * the option parser returns a sysexits(3) code because its caller exits
 * with it.
 */
#ifndef RUNTIME_PLATFORM_PLATFORM_H
#define RUNTIME_PLATFORM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits from vkernel(7) and the original's md_var.h. */
#define VK_MAXCPU	  31 /* -n: "Up to 31 CPUs are supported." */
#define VK_DEFAULT_NCPU	  2
#define VK_DISK_MAX	  16 /* -r and -c together */
#define VK_NETIF_MAX	  16 /* -I */
#define VK_KENV_MAX	  128
#define VK_MEMIMG_DIR	  "/var/vkernel"
#define VK_MEMIMG_DIR_ENV "VKERNEL_DIR" /* overrides VK_MEMIMG_DIR */

enum vk_disk_type {
	VK_DISK_RW, /* -r file[:serno]: vkdN */
	VK_DISK_CD  /* -c file: vcdN, read-only, 2048-byte sectors */
};

/* One -r or -c argument, in command-line order (the first one boots). */
struct vk_disk_spec {
	enum vk_disk_type type;
	const char *path;  /* points into argv or a private copy */
	const char *serno; /* -r file:serno, or NULL */
	int unit;	   /* index within its own type: vkd0.., vcd0.. */
};

enum vk_cpulock {
	VK_CPULOCK_ANY,	  /* -l any (default): no pinning */
	VK_CPULOCK_MAP,	  /* -l map[,start]: vcpu i -> real cpu start+i */
	VK_CPULOCK_SINGLE /* -l N: every vcpu on real cpu N */
};

/* One -I interface[:address1[:address2]][/netmask][=MAC] argument. */
struct vk_netif_spec {
	char iface[64];	    /* "auto", a tap(4) name, or a path */
	bool bridge;	    /* address1 was bridgeX: join that bridge */
	char bridge_if[16]; /* the bridgeX name when bridge is set */
	bool has_addr1, has_addr2;
	uint32_t addr1; /* tap side, network byte order */
	uint32_t addr2; /* vke side, network byte order */
	int masklen;	/* 1..31, or 0 when not given */
	bool has_mac;
	uint8_t mac[6];
};

/* One name=value pair given with -e. */
struct vk_kenv_pair {
	char *name;
	char *value;
};

/*
 * Everything the command line says.  Filled by vk_options_parse(); the
 * strings it owns are released by vk_options_free().
 */
struct vk_options {
	int ncpus;		 /* -n, 1..VK_MAXCPU */
	int lbits, cbits;	 /* -n N:lbits:cbits (topology hints), or 0 */
	enum vk_cpulock cpulock; /* -l */
	int cpulock_cpu;	 /* start cpu for MAP, the cpu for SINGLE */
	uint64_t memsize;	 /* -m in bytes, 0 when not given */
	const char *memimg;	 /* -i file, or NULL */
	const char *pidfile;	 /* -p file, or NULL */
	struct vk_disk_spec disks[VK_DISK_MAX];
	int ndisks; /* vkd and vcd together */
	struct vk_netif_spec netifs[VK_NETIF_MAX];
	int nnetifs;
	struct vk_kenv_pair kenv[VK_KENV_MAX];
	int nkenv;
	bool single_user;   /* -s */
	bool kmem_writable; /* -U */
	bool verbose;	    /* -v */
	bool help;	    /* -h: print the long help and exit 0 */
};


/* The memory image: the kernel's physical memory (-m, -i). */
struct vk_memimg {
	int fd; /* open and flock'd for as long as the kernel runs */
	char path[4096];
	uint64_t size; /* bytes; the file is truncated to this size */
	void *base;    /* MAP_SHARED mapping of the whole file */
};

/* An opened -r/-c image. */
struct vk_host_disk {
	int fd;	       /* flock'd; O_RDWR for vkd, O_RDONLY for vcd */
	uint64_t size; /* bytes */
	const struct vk_disk_spec *spec;
	void *base; /* read-only MAP_SHARED mapping of the image, or NULL */
};

/* What host setup acquired for the kernel, released on every exit path. */
struct vk_host {
	struct vk_memimg mem;
	struct vk_host_disk disks[VK_DISK_MAX];
	int ndisks;
	int pidfile_fd; /* -1 without -p */
	const char *pidfile_path;
	int argc; /* the command line, kept for reboot's re-exec */
	char **argv;
};

/*
 * Parses the command line into *opts.  Returns 0 on success; otherwise
 * prints a message naming the bad option or argument and the usage line to
 * stderr and returns EX_USAGE, with *opts left empty.  -h prints the long
 * help to stdout and sets opts->help.  Creates and changes no file, and
 * leaves argv as it was.  -i and -p point into argv; the disk names and
 * -e pairs are copies that vk_options_free() releases (safe to call twice).
 */
int vk_options_parse(int argc, char **argv, struct vk_options *opts);
void vk_options_free(struct vk_options *opts);

/*
 * Acquires what the options name: opens and locks the disk images, then
 * the memory image (printing "Using memory file: <path>" to stderr), then
 * the pidfile; only when all of them are held does it size and map the
 * memory image and write the pid.  Returns 0, or a sysexits(3) code after
 * printing why; on failure everything acquired so far is released and no
 * file is left created or changed.  host keeps pointers into opts and
 * argv, which must outlive it.  Every descriptor is close-on-exec.
 */
int vk_host_setup(const struct vk_options *opts, int argc, char **argv,
    struct vk_host *host);

/*
 * Releases everything vk_host_setup() acquired: removes the pidfile (only
 * if this process holds its lock), unmaps and closes the memory image
 * (which stays, as in the original), closes the disk images.  Safe to call
 * twice and async-signal-safe.  A reboot must call it before re-executing
 * the kernel, so that the new image can take the locks again.
 */
void vk_host_release(struct vk_host *host);

/*
 * Exit statuses of the kernel process besides the sysexits(3) codes used
 * for bad command lines: a clean halt exits 0 (EX_OK).
 */
#define VK_EXIT_PANIC 33 /* the kernel panicked (no debugger) */

/*
 * Console: the kernel's console is the process's standard input and
 * output.  host_console_write() writes all of buf, retrying short writes;
 * it is async-signal-safe.
 */
void host_console_write(const void *buf, size_t len);

/*
 * Console mode.  host_console_init() puts a terminal on standard input
 * into raw mode in which only ^\ (SIGQUIT) raises a signal, and arranges
 * for the original settings to come back on every exit path.  Pipes and
 * files are left alone.  host_console_debug(true) re-enables the terminal
 * signal characters (the debugger's mode), false goes back to raw.
 */
void host_console_init(void);
void host_console_debug(bool on);
void host_console_restore(void);

/*
 * Reads console input synchronously, for the debugger only (the
 * interrupt thread owns console input otherwise).  Returns the byte, or
 * -1 at end of input.
 */
int host_console_getc_sync(void);

/*
 * Host synchronisation for the machine-independent kernel, usable from
 * static storage without host headers.  The storage is large enough for
 * the host's objects (checked at compile time in host_sync.c).
 */
typedef struct {
	_Alignas(16) unsigned char opaque[64];
} host_mutex_t;
typedef struct {
	_Alignas(16) unsigned char opaque[64];
} host_cond_t;

void host_mutex_init(host_mutex_t *m);
void host_mutex_lock(host_mutex_t *m);
void host_mutex_unlock(host_mutex_t *m);
void host_cond_init(host_cond_t *c);
void host_cond_wait(host_cond_t *c, host_mutex_t *m);
/* Waits at most ns nanoseconds; returns 0 when woken, ETIMEDOUT otherwise. */
int host_cond_timedwait(host_cond_t *c, host_mutex_t *m, uint64_t ns);
void host_cond_signal(host_cond_t *c);
void host_cond_broadcast(host_cond_t *c);

/* Fills buf with len bytes from the host's random source (getrandom). */
void host_random(void *buf, size_t len);

/*
 * Starts fn(arg) on a detached host thread named name (the first 15
 * bytes, for ps, gdb and tests) with the caller's signal mask.  Returns 0
 * or an errno value.  Host threads are pooled: one whose fn returned
 * parks and takes the next call's fn, so fn must leave nothing behind in
 * its thread (thread-local variables start as the last fn left them).
 * A parked thread ends after 5 s without work, or at once when 16 are
 * parked already.  host_thread_idle() counts the parked threads;
 * host_thread_pool_limits() changes the two bounds (tests).
 */
int host_thread_create(void (*fn)(void *), void *arg, const char *name);
int host_thread_idle(void);
void host_thread_pool_limits(int max_idle, uint64_t idle_ns);

/* Monotonic nanoseconds since an arbitrary origin; wall-clock time. */
uint64_t host_monotonic_ns(void);
void host_realtime(int64_t *sec, int64_t *nsec);
/*
 * The resident memory of host process pid (a guest's stub) in bytes, from
 * /proc/pid/statm.  Returns 0 or an errno value (ESRCH once it is gone).
 */
int host_proc_rss(int pid, uint64_t *bytes);
/*
 * The user and system CPU time of host process pid, from its CPU-time
 * clocks (two system calls, 0.5 us; /proc/pid/stat took 14 us).
 * Returns 0 or an errno value (EINVAL once it is reaped).
 */
int host_proc_times(int pid, uint64_t *utime_ns, uint64_t *stime_ns);

/*
 * Virtual CPUs.  The calling thread becomes cpu0; host_cpu_start() creates
 * one host thread per further cpu, each pinned as opts->cpulock says, and
 * runs fn(cpuid) on it.  Returns 0 or an errno value.  host_cpu_pin() pins
 * the calling thread for cpu cpuid.  host_cpu_real() reports the real
 * cpus a virtual cpu is allowed on as a bit mask (for sysctl and tests).
 */
int host_cpu_start(const struct vk_options *opts, void (*fn)(int cpuid));
int host_cpu_pin(const struct vk_options *opts, int cpuid);
uint64_t host_cpu_real(int cpuid);
int host_cpu_count(void); /* real cpus available to this process */

/*
 * Host events delivered by the interrupt thread.  host_intr_start() blocks
 * the asynchronous signals in the calling thread (so that every thread
 * created after it inherits the mask) and starts the thread, which calls
 * the ops: console input as it arrives, the host signals below, and a
 * clock tick hz times a second.  SIGINT and SIGHUP from the host restore
 * the console, release host resources and end the process by that signal;
 * SIGTSTP restores the console, stops, and goes back to raw mode on
 * continue.
 */
enum host_event {
	HOST_EV_TERM, /* SIGTERM: clean shutdown */
	HOST_EV_QUIT, /* SIGQUIT (^\): enter the debugger */
	HOST_EV_WINCH /* SIGWINCH: console size changed */
};
struct host_intr_ops {
	void (*console_input)(const char *buf, size_t len);
	void (*event)(enum host_event ev);
	void (*tick)(void);
};
int host_intr_start(const struct host_intr_ops *ops, int hz,
    struct vk_host *host);

/*
 * Leaving the process.  host_exit() restores the console, releases the
 * host resources and exits with status.  host_reboot() does the same and
 * then re-executes the kernel binary with its original arguments; it
 * returns only if the re-exec failed (errno value).
 */
_Noreturn void host_exit(struct vk_host *host, int status);
/*
 * Reads len bytes at offset off of a disk image into buf: a copy from
 * the image's mapping (hd->base), or pread without one; a range past the
 * end is EIO.  Returns 0 or an errno value.
 */
int host_disk_pread(const struct vk_host_disk *hd, void *buf, size_t len,
    uint64_t off);
/* Writes len bytes of buf at offset off (vkd only); as host_disk_pread. */
int host_disk_pwrite(const struct vk_host_disk *hd, const void *buf, size_t len,
    uint64_t off);
/* Makes the writes to one image durable (fdatasync); 0 or an errno. */
int host_disk_flush(const struct vk_host_disk *hd);
/* Flushes the disk images to stable storage; returns 0 or an errno. */
int host_disks_sync(struct vk_host *host);
/* Blocks the calling thread for good (another thread is exiting). */
_Noreturn void host_park(void);
int host_reboot(struct vk_host *host);

/* The build's version string: "<name> <release> #<rev>: <date>\n ..." */
extern const char host_version[];

/*
 * ---- The kernel debugger's host services (host_ddb.c, host_ddb_sym.c) ----
 *
 * For runtime/ddb/ and the two registrations in kern_mp.c only.  ddb stops
 * the virtual cpus for real: each vcpu thread registers itself with
 * host_cpu_register_self(); host_ddb_hold() sends the chosen threads
 * SIGXCPU, whose handler saves the thread's registers and a backtrace and
 * then waits (sigsuspend) until host_ddb_release().  The interrupt thread,
 * found by its name "intr", can be held the same way; it is not a cpu.
 * While threads are held the debugger must not take locks they may hold:
 * it uses the functions below, kprintf() and the sysctl tree only.
 * Running the kernel under gdb needs "handle SIGXCPU nostop noprint".
 *
 * Memory access is safe: host_ddb_read() and host_ddb_write() go through
 * process_vm_readv/writev(2) on the kernel's own process (or
 * /proc/self/mem where those are refused), so an unmapped or protected
 * address yields EFAULT instead of a fault.
 */
#define HOST_DDB_MAXFRAMES 48	/* frames kept per held thread */
#define HOST_DDB_INTR	   (-1) /* "cpu" number of the interrupt thread */
#define HOST_DDB_NOCPU	   (-2) /* a thread that is neither */
#define HOST_DDB_EOF	   (-1) /* host_ddb_getc(): end of console input */
#define HOST_DDB_SIGNAL	   (-2) /* host_ddb_getc(): the host wants us gone */

/* A held thread's registers, from its signal context (or getcontext()). */
struct host_ddb_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t cs, fs, gs;
};

/* One kernel thread as the debugger sees it (ps). */
struct host_ddb_thread {
	int tid;       /* host thread id */
	int cpuid;     /* vcpu number, or HOST_DDB_INTR */
	bool held;     /* stopped by host_ddb_hold() */
	bool debugger; /* the thread running the debugger */
	uint64_t pc;   /* where it was held or snapshotted, else 0 */
};

/*
 * host_ddb_init() installs the SIGXCPU handler and loads the kernel's
 * symbol table; call it once, before the first vcpu registers.
 * host_cpu_register_self() records the calling thread as vcpu cpuid
 * (0..VK_MAXCPU-1); cpu0 and each AP call it first thing.
 */
void host_ddb_init(void);
void host_cpu_register_self(int cpuid);

/* The calling thread: its host thread id, and its vcpu (or HOST_DDB_INTR,
 * HOST_DDB_NOCPU). */
int host_ddb_thread_id(void);
int host_ddb_self_cpu(void);
/* Bit mask of the registered vcpus. */
uint32_t host_ddb_cpus(void);

/*
 * Records the calling thread's registers and backtrace as if it were
 * held, so that the debugger's own cpu can be shown and traced.
 */
void host_ddb_snapshot(void);

/*
 * Holds the registered vcpus in cpus (the calling thread excepted) and,
 * when intr is true and the caller is not the interrupt thread, the
 * interrupt thread; waits up to a second for each.  *heldp (may be NULL)
 * receives the vcpus now held.  Returns 0, or ETIMEDOUT when one of them
 * did not stop in time.  host_ddb_release() lets the held vcpus go, and
 * the interrupt thread too when intr is true, waiting up to a second.
 */
int host_ddb_hold(uint32_t cpus, bool intr, uint32_t *heldp);
void host_ddb_release(bool intr);

/*
 * State of a held (or snapshotted) thread; cpuid may be HOST_DDB_INTR.
 * Return 0, EINVAL for a cpu number out of range, ESRCH for a cpu that
 * does not exist, EBUSY for one that is running (not held).
 * host_ddb_trace() stores up to max return addresses, innermost first,
 * starting with the interrupted pc, and their number in *np.
 */
int host_ddb_regs(int cpuid, struct host_ddb_regs *regs);
int host_ddb_trace(int cpuid, uint64_t *pcs, int max, int *np);
/* Fills t with the vcpu threads and the interrupt thread; returns how
 * many (at most max). */
int host_ddb_threads(struct host_ddb_thread *t, int max);

/* Safe kernel memory access: 0 or EFAULT (nothing partial is reported). */
int host_ddb_read(uintptr_t addr, void *buf, size_t len);
int host_ddb_write(uintptr_t addr, const void *buf, size_t len);

/*
 * Symbols of the kernel binary (static ones included) and of the shared
 * libraries.  host_ddb_sym_value() returns 0 or ENOENT.
 * host_ddb_sym_name() stores the name of the symbol containing addr (or
 * the library's file name when the symbol is unknown) and sets *offp to
 * addr's offset from it; returns 0 or ENOENT.
 */
void host_ddb_sym_init(void); /* by host_ddb_init(): loads the table */
int host_ddb_sym_value(const char *name, uintptr_t *valuep);
int host_ddb_sym_name(uintptr_t addr, char *buf, size_t size, uintptr_t *offp);

/*
 * Reads one console byte for the debugger (host_console_getc_sync()),
 * watching the host signals meanwhile: returns the byte, HOST_DDB_EOF at
 * end of input, or HOST_DDB_SIGNAL when SIGTERM, SIGINT or SIGHUP is
 * pending (left pending for the interrupt thread).  A pending SIGQUIT is
 * discarded; SIGTSTP stops the process with the console restored.
 */
int host_ddb_getc(void);

#endif /* RUNTIME_PLATFORM_PLATFORM_H */
