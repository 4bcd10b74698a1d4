/*
 * sysctl.h - the kernel's sysctl tree (kern_sysctl.c).
 *
 * A tree of named, numbered nodes as in BSD: "kern.ostype" is MIB {1, 1}.
 * Interior nodes have type CTLTYPE_NODE; leaves hold an int, a 64-bit
 * integer, a string or opaque bytes, either as a pointer to kernel storage
 * or through a handler that computes the value.  Subsystems register their
 * nodes at boot or attach time with the sysctl_add_*() functions (there is
 * no linker-set magic); the boot creates the standard nodes with
 * sysctl_init_standard() before anything else adds to the tree.
 *
 * Requests follow sysctl(3): sysctl_mib() and sysctl_byname() read the old
 * value into (oldp, *oldlenp) and store the new one from (newp, newlen) in
 * one call.  With oldp == NULL, *oldlenp reports the size needed; a buffer
 * that is too small receives what fits, *oldlenp says how much, and the
 * request fails with ENOMEM.  The meta-MIB {CTL_SYSCTL, ...} of BSD
 * (name, next, name2oid, oidfmt, oiddescr) is answered by sysctl_mib(), so
 * a sysctl(8) needs nothing else.
 *
 * Storage: nodes come from a static pool of SYSCTL_MAXOIDS entries; names
 * are copied, descriptions and format strings are not (pass string
 * constants).  Locking: the tree has none of its own; registration and
 * removal happen during boot and attach, which the boot order serialises,
 * and callers on several cpus hold the kernel lock.
 */
#ifndef RUNTIME_KERN_SYSCTL_H
#define RUNTIME_KERN_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits. */
#define SYSCTL_MAXOIDS	   512 /* nodes in the pool, interior ones too */
#define SYSCTL_NAMEMAX	   31  /* bytes in one name component */
#define CTL_MAXNAME	   12  /* components in a MIB (depth) */
#define SYSCTL_HOSTNAMEMAX 255 /* kern.hostname, without the NUL */

/* Kinds: the type in the low bits, flags above (as in BSD). */
#define CTLTYPE	       0xfu
#define CTLTYPE_NODE   1 /* interior node */
#define CTLTYPE_INT    2 /* int32_t */
#define CTLTYPE_STRING 3 /* NUL-terminated string */
#define CTLTYPE_S64    4 /* int64_t */
#define CTLTYPE_QUAD   CTLTYPE_S64
#define CTLTYPE_OPAQUE 5 /* raw bytes, e.g. a structure */
#define CTLTYPE_STRUCT CTLTYPE_OPAQUE
#define CTLTYPE_UINT   6 /* uint32_t */
#define CTLTYPE_LONG   7 /* int64_t (long on the LP64 guest ABI) */
#define CTLTYPE_ULONG  8 /* uint64_t */
#define CTLTYPE_U64    9 /* uint64_t */

#define CTLFLAG_RD 0x80000000u /* readable */
#define CTLFLAG_WR 0x40000000u /* writable */
#define CTLFLAG_RW (CTLFLAG_RD | CTLFLAG_WR)
/* Writable only while sysctl_secure_writable() is true. */
#define CTLFLAG_SECURE 0x08000000u

/* Numbers. */
#define OID_AUTO       (-1) /* pick the next free number >= CTL_AUTO_START */
#define CTL_AUTO_START 0x100

#define CTL_SYSCTL  0 /* the meta-MIB below, not a real node */
#define CTL_KERN    1
#define CTL_VM	    2
#define CTL_VFS	    3
#define CTL_NET	    4
#define CTL_DEBUG   5
#define CTL_HW	    6
#define CTL_MACHDEP 7
#define CTL_USER    8

#define CTL_SYSCTL_NAME	    1 /* {0,1,mib...}: old = "dotted.name" */
#define CTL_SYSCTL_NEXT	    2 /* {0,2,mib...}: old = next leaf's MIB */
#define CTL_SYSCTL_NAME2OID 3 /* {0,3}: new = name, old = its MIB */
#define CTL_SYSCTL_OIDFMT   4 /* {0,4,mib...}: old = uint32 kind, fmt */
#define CTL_SYSCTL_OIDDESCR 5 /* {0,5,mib...}: old = description */

#define KERN_OSTYPE    1
#define KERN_OSRELEASE 2
#define KERN_VERSION   4
#define KERN_HOSTNAME  10
#define KERN_NGROUPS   18
#define KERN_BOOTTIME  21

#define HW_MACHINE	1
#define HW_NCPU		3
#define HW_PHYSMEM	5
#define HW_PAGESIZE	7
#define HW_MACHINE_ARCH 11

struct sysctl_oid; /* a node; opaque, see the accessors below */

/*
 * One request in flight, as the handlers see it: the old-value buffer
 * (oldptr may be NULL: then output is only counted) and the new value
 * (newptr NULL when none is being set).  The idx fields say how much has
 * been moved so far.
 */
struct sysctl_req {
	void *oldptr;
	size_t oldlen;
	size_t oldidx;
	const void *newptr;
	size_t newlen;
	size_t newidx;
};

/*
 * A handler moves the value of oid out with sysctl_req_out() and, when
 * req->newptr is set, the new value in with sysctl_req_in().  arg1 and
 * arg2 are what the node was registered with.  Returns 0 or an errno
 * value.  Handlers run with the caller's locks and must not sleep.
 */
typedef int sysctl_handler_t(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req);

/* kern.boottime, format "S,timeval". */
struct sysctl_timeval {
	int64_t sec;
	int64_t usec;
};

/* What the boot knows when it creates the standard nodes. */
struct sysctl_bootinfo {
	int ncpu;	     /* hw.ncpu */
	uint64_t physmem;    /* hw.physmem, bytes */
	const char *version; /* kern.version; NULL: built from the name */
	struct sysctl_timeval boottime;
	bool kmem_writable; /* -U: kern.kmem_writable */
	/*
	 * vm.stats.vm.v_page_count and v_free_count, asked for at every
	 * read; NULL reports physmem / page size pages, all of them free.
	 */
	void (*vm_counts)(uint32_t *page_count, uint32_t *free_count);
};

/* debug.debugger_on_panic: panic() enters ddb when nonzero.  Default 1. */
extern int debugger_on_panic;
/* kern.hostname, NUL-terminated; empty until set. */
extern char kern_hostname[SYSCTL_HOSTNAMEMAX + 1];

/*
 * Creates the top-level nodes (kern, vm, vfs, net, debug, hw, machdep,
 * user) and the standard leaves from bi.  Called once during boot, before
 * any other registration.  Returns 0 or the errno of the first failure.
 */
int sysctl_init_standard(const struct sysctl_bootinfo *bi);

/*
 * Registration.  parent NULL is the root.  number is OID_AUTO or a fixed
 * number >= 0.  name is a non-empty component of at most SYSCTL_NAMEMAX
 * bytes without '.'.  descr and fmt must outlive the node (string
 * constants); either may be NULL.  On success *oidp (if oidp is not NULL)
 * is the new node.  Returns 0, EINVAL (bad name, number, kind or a parent
 * that is not a node), ENAMETOOLONG (name too long), E2BIG (deeper than
 * CTL_MAXNAME), EEXIST (the name or the number is taken under parent) or
 * ENOSPC (the pool is full).
 *
 * sysctl_add_oid() is the general form: kind is a CTLTYPE_ value with
 * CTLFLAG_ values, handler NULL selects the standard handler of the type.
 * The others register with OID_AUTO:
 *   node		an interior node (flags ignored)
 *   int, uint		a 32-bit integer at ptr
 *   long, ulong	a 64-bit integer at ptr (long is BSD's quad too)
 *   string		a buffer of bufsize bytes; writes must leave room for
 *			the NUL
 *   const_string	a constant string, always read-only
 *   opaque		size bytes at ptr, shown with fmt ("S,timeval")
 *   proc		a handler computing a value of type kind & CTLTYPE
 */
int sysctl_add_oid(struct sysctl_oid *parent, int number, const char *name,
    unsigned kind, void *arg1, intptr_t arg2, sysctl_handler_t *handler,
    const char *fmt, const char *descr, struct sysctl_oid **oidp);
int sysctl_add_node(struct sysctl_oid *parent, const char *name,
    const char *descr, struct sysctl_oid **oidp);
int sysctl_add_int(struct sysctl_oid *parent, const char *name, unsigned flags,
    int32_t *ptr, const char *descr, struct sysctl_oid **oidp);
int sysctl_add_uint(struct sysctl_oid *parent, const char *name, unsigned flags,
    uint32_t *ptr, const char *descr, struct sysctl_oid **oidp);
int sysctl_add_long(struct sysctl_oid *parent, const char *name, unsigned flags,
    int64_t *ptr, const char *descr, struct sysctl_oid **oidp);
int sysctl_add_ulong(struct sysctl_oid *parent, const char *name,
    unsigned flags, uint64_t *ptr, const char *descr, struct sysctl_oid **oidp);
int sysctl_add_string(struct sysctl_oid *parent, const char *name,
    unsigned flags, char *buf, size_t bufsize, const char *descr,
    struct sysctl_oid **oidp);
int sysctl_add_const_string(struct sysctl_oid *parent, const char *name,
    const char *str, const char *descr, struct sysctl_oid **oidp);
int sysctl_add_opaque(struct sysctl_oid *parent, const char *name,
    unsigned flags, void *ptr, size_t size, const char *fmt, const char *descr,
    struct sysctl_oid **oidp);
int sysctl_add_proc(struct sysctl_oid *parent, const char *name, unsigned kind,
    sysctl_handler_t *handler, void *arg1, intptr_t arg2, const char *fmt,
    const char *descr, struct sysctl_oid **oidp);

/*
 * Removes oid and everything under it, returning the nodes to the pool
 * (a detaching driver).  Returns 0, or EINVAL for the root or a node that
 * is not in the tree.
 */
int sysctl_remove(struct sysctl_oid *oid);

/*
 * Lookup.  sysctl_find() takes a dotted name ("hw.vke0.tap_unit"),
 * sysctl_find_mib() a MIB.  Both return 0 and set *oidp, ENOENT when no
 * such node exists, EINVAL for a malformed name or a MIB longer than
 * CTL_MAXNAME.  sysctl_name2mib() stores the MIB of name in mib, whose
 * capacity is *lenp entries, and sets *lenp to its length (ENOMEM if it
 * does not fit).
 */
int sysctl_find(const char *name, struct sysctl_oid **oidp);
int sysctl_find_mib(const int *mib, size_t len, struct sysctl_oid **oidp);
int sysctl_name2mib(const char *name, int *mib, size_t *lenp);

/*
 * Iteration in MIB order, the walk behind "sysctl -a": stores in next
 * (capacity CTL_MAXNAME) the MIB of the first leaf after mib[0..len) and
 * its length in *nextlen.  len 0 starts the walk; a node's first leaf
 * comes after the node.  Returns 0, or ENOENT after the last leaf.
 */
int sysctl_next(const int *mib, size_t len, int *next, size_t *nextlen);

/* Accessors.  The strings live as long as the node. */
const char *sysctl_oid_name(const struct sysctl_oid *oid); /* component */
int sysctl_oid_number(const struct sysctl_oid *oid);
unsigned sysctl_oid_kind(const struct sysctl_oid *oid);	    /* type | flags */
const char *sysctl_oid_descr(const struct sysctl_oid *oid); /* or "" */
const char *sysctl_oid_fmt(const struct sysctl_oid *oid);   /* "I", "A".. */
/* Dotted full name; 0 or ENOMEM (truncated, NUL-terminated) */
int sysctl_oid_fullname(const struct sysctl_oid *oid, char *buf, size_t size);
/* MIB into mib (capacity CTL_MAXNAME); sets *lenp. */
void sysctl_oid_mib(const struct sysctl_oid *oid, int *mib, size_t *lenp);

/*
 * Requests, with the sysctl(3) semantics described at the top.  Return 0,
 * ENOENT (no such node), EISDIR (an interior node has no value), EPERM
 * (new value for a read-only node, or for a CTLFLAG_SECURE one while
 * that is not allowed), EINVAL (new value of the wrong size, a string too
 * long for its buffer), ENOMEM (old buffer too small) or a handler's
 * error.  On an error the node's value is unchanged.
 */
int sysctl_oid_request(struct sysctl_oid *oid, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen);
int sysctl_mib(const int *mib, size_t len, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen);
int sysctl_byname(const char *name, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen);

/*
 * Sets oid from text, as "sysctl name=value" does: decimal, 0x-hex or
 * 0-octal integers with range checks, strings as given.  Returns 0,
 * EINVAL (not a number, or an opaque value), ERANGE (out of range for the
 * type) or any error of sysctl_oid_request().
 */
int sysctl_set_from_text(struct sysctl_oid *oid, const char *text);

/*
 * Renders oid's value as text into buf (size bytes, always NUL-terminated
 * when size > 0): integers in decimal, strings as they are, "S,timeval"
 * as "{ sec = N, usec = N }", other opaque values in hex.  Returns 0,
 * ENOMEM when the text was truncated, EISDIR for an interior node, or the
 * handler's error.
 */
int sysctl_format_value(struct sysctl_oid *oid, char *buf, size_t size);

/*
 * Handler building blocks, also usable from proc handlers on a local
 * copy (sysctl_handle_int(oid, &value, 0, req)).  sysctl_req_out() copies
 * len bytes out (ENOMEM when they do not all fit); sysctl_req_in() copies
 * len bytes of the new value in (EINVAL when fewer remain).
 * The handle functions move the value at arg1 out and then, if a new value
 * is given, in: int and uint take exactly 4 bytes, long and ulong 8 bytes
 * (with arg1 NULL, both report the constant arg2 and are read-only),
 * opaque exactly arg2 bytes; string takes a string shorter than arg2 (a
 * buffer size) or is read-only when arg2 is 0.
 */
int sysctl_req_out(struct sysctl_req *req, const void *p, size_t len);
int sysctl_req_in(struct sysctl_req *req, void *p, size_t len);
int sysctl_handle_int(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req);
int sysctl_handle_long(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req);
int sysctl_handle_string(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req);
int sysctl_handle_opaque(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req);

/*
 * The global security setting behind CTLFLAG_SECURE: while false, those
 * nodes refuse new values with EPERM.  True at boot (like securelevel -1).
 */
void sysctl_secure_set(bool writable);
bool sysctl_secure_writable(void);

#endif /* RUNTIME_KERN_SYSCTL_H */
