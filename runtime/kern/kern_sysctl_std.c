/*
 * kern_sysctl_std.c - what is built on the sysctl tree's public functions:
 * the standard nodes the boot creates (kern.*, hw.*, debug.*, vm.stats.*),
 * and the text form of values that "sysctl name=value" and the
 * debugger's "show sysctl" use.
 *
 * The values of the standard nodes live here, in static storage, filled
 * from struct sysctl_bootinfo; the ones other code reads or writes
 * (debugger_on_panic, kern_hostname) are declared in sysctl.h.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/sysctl.h"

#define STD_PAGE_SIZE 4096 /* hw.pagesize: the x86-64 page */
#define STD_NGROUPS   16   /* kern.ngroups: BSD's NGROUPS */

int debugger_on_panic = 1;
char kern_hostname[SYSCTL_HOSTNAMEMAX + 1];

static char std_ostype[] = VK_OSTYPE;
static char std_osrelease[] = VK_OSRELEASE;
static char std_machine[] = "x86_64";
static char std_version[512];
static int32_t std_ncpu;
static int32_t std_kmem_writable;
static uint64_t std_physmem;
static struct sysctl_timeval std_boottime;
static void (*std_vm_counts)(uint32_t *page_count, uint32_t *free_count);

/* The top-level nodes, by BSD number. */
static const struct {
	int number;
	const char *name;
	const char *descr;
} std_tops[] = {
	{ CTL_KERN, "kern", "General kernel state" },
	{ CTL_VM, "vm", "Virtual memory" },
	{ CTL_VFS, "vfs", "File systems" },
	{ CTL_NET, "net", "Networking" },
	{ CTL_DEBUG, "debug", "Debugging" },
	{ CTL_HW, "hw", "Hardware" },
	{ CTL_MACHDEP, "machdep", "Machine dependent" },
	{ CTL_USER, "user", "User-level limits" },
};

/* The standard leaves directly under a top-level node. */
static const struct {
	int top;    /* CTL_ number of the parent */
	int number; /* BSD's number, or OID_AUTO */
	const char *name;
	unsigned kind;
	void *arg1; /* NULL: an integer constant in arg2 */
	intptr_t arg2;
	const char *fmt;
	const char *descr;
} std_leaves[] = {
	{ CTL_KERN, KERN_OSTYPE, "ostype", CTLTYPE_STRING | CTLFLAG_RD,
	    std_ostype, 0, NULL, "Operating system type" },
	{ CTL_KERN, KERN_OSRELEASE, "osrelease", CTLTYPE_STRING | CTLFLAG_RD,
	    std_osrelease, 0, NULL, "Operating system release" },
	{ CTL_KERN, KERN_VERSION, "version", CTLTYPE_STRING | CTLFLAG_RD,
	    std_version, 0, NULL, "Kernel version" },
	{ CTL_KERN, KERN_HOSTNAME, "hostname", CTLTYPE_STRING | CTLFLAG_RW,
	    kern_hostname, sizeof(kern_hostname), NULL, "Host name" },
	{ CTL_KERN, KERN_NGROUPS, "ngroups", CTLTYPE_INT | CTLFLAG_RD, NULL,
	    STD_NGROUPS, NULL, "Supplementary groups per process" },
	{ CTL_KERN, KERN_BOOTTIME, "boottime", CTLTYPE_OPAQUE | CTLFLAG_RD,
	    &std_boottime, sizeof(std_boottime), "S,timeval",
	    "Time the system was booted" },
	{ CTL_KERN, OID_AUTO, "kmem_writable", CTLTYPE_INT | CTLFLAG_RD,
	    &std_kmem_writable, 0, NULL,
	    "Kernel memory is writable by the debugger (-U)" },
	{ CTL_HW, HW_MACHINE, "machine", CTLTYPE_STRING | CTLFLAG_RD,
	    std_machine, 0, NULL, "Machine class" },
	{ CTL_HW, HW_NCPU, "ncpu", CTLTYPE_INT | CTLFLAG_RD, &std_ncpu, 0, NULL,
	    "Number of virtual cpus" },
	{ CTL_HW, HW_PHYSMEM, "physmem", CTLTYPE_ULONG | CTLFLAG_RD,
	    &std_physmem, 0, NULL, "Physical memory in bytes" },
	{ CTL_HW, HW_PAGESIZE, "pagesize", CTLTYPE_INT | CTLFLAG_RD, NULL,
	    STD_PAGE_SIZE, NULL, "System memory page size" },
	{ CTL_HW, HW_MACHINE_ARCH, "machine_arch", CTLTYPE_STRING | CTLFLAG_RD,
	    std_machine, 0, NULL, "Machine architecture" },
	{ CTL_DEBUG, OID_AUTO, "debugger_on_panic", CTLTYPE_INT | CTLFLAG_RW,
	    &debugger_on_panic, 0, NULL, "Enter the debugger on a panic" },
};

/* vm.stats.vm.v_page_count (arg2 0) and v_free_count (arg2 1). */
static int
std_vmstat(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req)
{
	uint32_t pages, free, v;

	if (std_vm_counts != NULL)
		std_vm_counts(&pages, &free);
	else
		pages = free = (uint32_t)(std_physmem / STD_PAGE_SIZE);
	v = arg2 == 0 ? pages : free;
	return sysctl_handle_int(oid, &v, 0, req);
}

static int
std_vm_stats(struct sysctl_oid *vm)
{
	struct sysctl_oid *stats, *vmstats;
	int error;

	if ((error = sysctl_add_node(vm, "stats", "Statistics", &stats)) ||
	    (error = sysctl_add_node(stats, "vm", "Virtual memory statistics",
		 &vmstats)))
		return error;
	if ((error = sysctl_add_proc(vmstats, "v_page_count",
		 CTLTYPE_UINT | CTLFLAG_RD, std_vmstat, NULL, 0, NULL,
		 "Pages of physical memory", NULL)))
		return error;
	return sysctl_add_proc(vmstats, "v_free_count",
	    CTLTYPE_UINT | CTLFLAG_RD, std_vmstat, NULL, 1, NULL,
	    "Free pages of physical memory", NULL);
}

/* Creates the standard nodes; see sysctl.h.  Called once, during boot. */
int
sysctl_init_standard(const struct sysctl_bootinfo *bi)
{
	struct sysctl_oid *tops[CTL_USER + 1];
	size_t i;
	int error;

	std_ncpu = bi->ncpu;
	std_physmem = bi->physmem;
	std_boottime = bi->boottime;
	std_kmem_writable = bi->kmem_writable;
	std_vm_counts = bi->vm_counts;
	if (bi->version != NULL)
		ksnprintf(std_version, sizeof(std_version), "%s", bi->version);
	else
		ksnprintf(std_version, sizeof(std_version), "%s %s\n",
		    VK_OSTYPE, VK_OSRELEASE);

	for (i = 0; i < sizeof(std_tops) / sizeof(std_tops[0]); i++) {
		error = sysctl_add_oid(NULL, std_tops[i].number,
		    std_tops[i].name, CTLTYPE_NODE, NULL, 0, NULL, NULL,
		    std_tops[i].descr, &tops[std_tops[i].number]);
		if (error != 0)
			return error;
	}
	for (i = 0; i < sizeof(std_leaves) / sizeof(std_leaves[0]); i++) {
		error = sysctl_add_oid(tops[std_leaves[i].top],
		    std_leaves[i].number, std_leaves[i].name,
		    std_leaves[i].kind, std_leaves[i].arg1, std_leaves[i].arg2,
		    NULL, std_leaves[i].fmt, std_leaves[i].descr, NULL);
		if (error != 0)
			return error;
	}
	return std_vm_stats(tops[CTL_VM]);
}

/*
 * Parses an integer as strtoimax(3) with base 0 would, without its
 * leniency: the whole text must be one number.  Returns 0, EINVAL or
 * ERANGE (beyond 64 bits).
 */
static int
parse_integer(const char *s, bool *negp, uint64_t *magp)
{
	uint64_t v = 0;
	unsigned base = 10, d;
	bool neg = false;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2] != '\0') {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] != '\0') {
		base = 8;
		s++;
	}
	if (*s == '\0')
		return EINVAL;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return EINVAL;
		if (d >= base)
			return EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return ERANGE;
		v = v * base + d;
	}
	*negp = neg;
	*magp = v;
	return 0;
}

/* Sets oid from text; see sysctl.h. */
int
sysctl_set_from_text(struct sysctl_oid *oid, const char *text)
{
	unsigned type = sysctl_oid_kind(oid) & CTLTYPE;
	uint64_t mag, max, v64;
	uint32_t v32;
	bool neg, is_signed, wide;
	int error;

	if (type == CTLTYPE_NODE)
		return EISDIR;
	if (type == CTLTYPE_STRING)
		return sysctl_oid_request(oid, NULL, NULL, text, strlen(text));
	if (type == CTLTYPE_OPAQUE)
		return EINVAL;
	if ((error = parse_integer(text, &neg, &mag)) != 0)
		return error;
	is_signed = type == CTLTYPE_INT || type == CTLTYPE_S64 ||
	    type == CTLTYPE_LONG;
	wide = type != CTLTYPE_INT && type != CTLTYPE_UINT;
	if (is_signed)
		max = (wide ? (uint64_t)INT64_MAX : INT32_MAX) + (neg ? 1 : 0);
	else
		max = neg ? 0 : wide ? UINT64_MAX : UINT32_MAX;
	if (mag > max)
		return ERANGE;
	if (wide) {
		/* Two's complement: the negation of mag modulo 2^64. */
		v64 = neg ? 0 - mag : mag;
		return sysctl_oid_request(oid, NULL, NULL, &v64, sizeof(v64));
	}
	v32 = (uint32_t)(neg ? 0 - mag : mag);
	return sysctl_oid_request(oid, NULL, NULL, &v32, sizeof(v32));
}

/* Renders a string node straight into buf. */
static int
format_string(struct sysctl_oid *oid, char *buf, size_t size)
{
	size_t len = size;
	int error;

	error = sysctl_oid_request(oid, buf, &len, NULL, 0);
	if (error != 0 && error != ENOMEM) {
		buf[0] = '\0';
		return error;
	}
	if (len > 0 && buf[len - 1] == '\0')
		return 0;
	if (len < size) {
		buf[len] = '\0';
		return 0;
	}
	buf[size - 1] = '\0';
	return ENOMEM;
}

/* Renders an opaque value: a timeval as BSD's sysctl(8) does, else hex. */
static int
format_opaque(struct sysctl_oid *oid, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[256];
	struct sysctl_timeval tv;
	size_t len = sizeof(raw), i, pos = 0;
	int error, n;

	error = sysctl_oid_request(oid, raw, &len, NULL, 0);
	if (error != 0 && error != ENOMEM)
		return error;
	if (error == 0 && strcmp(sysctl_oid_fmt(oid), "S,timeval") == 0 &&
	    len == sizeof(tv)) {
		memcpy(&tv, raw, sizeof(tv));
		n = ksnprintf(buf, size, "{ sec = %lld, usec = %lld }",
		    (long long)tv.sec, (long long)tv.usec);
		return (size_t)n < size ? 0 : ENOMEM;
	}
	/* "0x" and two digits a byte, as far as they fit. */
	for (i = 0; i < len + 1; i++) {
		if (pos + 2 >= size) {
			error = ENOMEM;
			break;
		}
		buf[pos++] = i == 0 ? '0' : hex[raw[i - 1] >> 4];
		buf[pos++] = i == 0 ? 'x' : hex[raw[i - 1] & 0xf];
	}
	buf[pos] = '\0';
	return error;
}

/* Renders oid's value as text; see sysctl.h. */
int
sysctl_format_value(struct sysctl_oid *oid, char *buf, size_t size)
{
	unsigned type = sysctl_oid_kind(oid) & CTLTYPE;
	union {
		int32_t i32;
		uint32_t u32;
		int64_t i64;
		uint64_t u64;
	} v;
	size_t len = sizeof(v);
	int error, n;

	if (size == 0)
		return ENOMEM;
	buf[0] = '\0';
	if (type == CTLTYPE_NODE)
		return EISDIR;
	if (type == CTLTYPE_STRING)
		return format_string(oid, buf, size);
	if (type == CTLTYPE_OPAQUE)
		return format_opaque(oid, buf, size);
	memset(&v, 0, sizeof(v));
	if ((error = sysctl_oid_request(oid, &v, &len, NULL, 0)) != 0)
		return error;
	if (type == CTLTYPE_INT)
		n = ksnprintf(buf, size, "%d", (int)v.i32);
	else if (type == CTLTYPE_UINT)
		n = ksnprintf(buf, size, "%u", (unsigned)v.u32);
	else if (type == CTLTYPE_S64 || type == CTLTYPE_LONG)
		n = ksnprintf(buf, size, "%lld", (long long)v.i64);
	else
		n = ksnprintf(buf, size, "%llu", (unsigned long long)v.u64);
	return (size_t)n < size ? 0 : ENOMEM;
}
