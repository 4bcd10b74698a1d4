/*
 * kern_sysctl.c - the sysctl tree: registration, lookup by name and by
 * MIB, requests with BSD's size semantics, the standard handlers, the
 * "sysctl -a" walk and the meta-MIB.
 *
 * The tree is made of struct sysctl_oid taken from a static pool; each
 * node keeps its children in a list sorted by number, which makes MIB
 * order the natural walk order.  The contract is in sysctl.h; the standard
 * nodes and the text form of values are in kern_sysctl_std.c, built on the
 * public functions only.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/kern/kern.h"
#include "runtime/kern/sysctl.h"

struct sysctl_oid {
	struct sysctl_oid *parent;
	struct sysctl_oid *children; /* sorted by number */
	struct sysctl_oid *sibling;  /* next under the same parent */
	bool in_use;
	int number;
	unsigned kind;
	void *arg1;
	intptr_t arg2;
	sysctl_handler_t *handler;
	const char *fmt;
	const char *descr;
	char name[SYSCTL_NAMEMAX + 1];
};

/* Longest dotted name: every component full, dots and the NUL. */
#define SYSCTL_FULLNAMEMAX (CTL_MAXNAME * (SYSCTL_NAMEMAX + 1))

static struct sysctl_oid sysctl_root = {
	.in_use = true,
	.kind = CTLTYPE_NODE | CTLFLAG_RD,
};
static struct sysctl_oid sysctl_pool[SYSCTL_MAXOIDS];
static bool sysctl_secure_ok = true;

static bool
oid_is_node(const struct sysctl_oid *oid)
{
	return (oid->kind & CTLTYPE) == CTLTYPE_NODE;
}

static int
oid_depth(const struct sysctl_oid *oid)
{
	int depth = 0;

	for (; oid != &sysctl_root; oid = oid->parent)
		depth++;
	return depth;
}

/* Is oid a live node of this tree (and not some stray pointer)? */
static bool
oid_valid(const struct sysctl_oid *oid)
{
	if (oid == &sysctl_root)
		return true;
	return oid >= sysctl_pool && oid < sysctl_pool + SYSCTL_MAXOIDS &&
	    oid->in_use;
}

/* The child of parent whose name is the len bytes at name, or NULL. */
static struct sysctl_oid *
oid_child_byname(const struct sysctl_oid *parent, const char *name, size_t len)
{
	struct sysctl_oid *c;

	for (c = parent->children; c != NULL; c = c->sibling)
		if (strncmp(c->name, name, len) == 0 && c->name[len] == '\0')
			return c;
	return NULL;
}

static struct sysctl_oid *
oid_child_bynumber(const struct sysctl_oid *parent, int number)
{
	struct sysctl_oid *c;

	for (c = parent->children; c != NULL && c->number <= number;
	     c = c->sibling)
		if (c->number == number)
			return c;
	return NULL;
}

static sysctl_handler_t *
default_handler(unsigned type)
{
	switch (type) {
	case CTLTYPE_INT:
	case CTLTYPE_UINT:
		return sysctl_handle_int;
	case CTLTYPE_S64:
	case CTLTYPE_LONG:
	case CTLTYPE_ULONG:
	case CTLTYPE_U64:
		return sysctl_handle_long;
	case CTLTYPE_STRING:
		return sysctl_handle_string;
	case CTLTYPE_OPAQUE:
		return sysctl_handle_opaque;
	}
	return NULL;
}

/* The format string BSD's sysctl(8) expects for a type. */
static const char *
default_fmt(unsigned type)
{
	static const char *const fmts[] = {
		[CTLTYPE_NODE] = "N",
		[CTLTYPE_INT] = "I",
		[CTLTYPE_STRING] = "A",
		[CTLTYPE_S64] = "Q",
		[CTLTYPE_OPAQUE] = "S",
		[CTLTYPE_UINT] = "IU",
		[CTLTYPE_LONG] = "L",
		[CTLTYPE_ULONG] = "LU",
		[CTLTYPE_U64] = "QU",
	};

	return fmts[type];
}

static int
check_name(const char *name)
{
	size_t len;

	if (name == NULL || name[0] == '\0')
		return EINVAL;
	for (len = 0; name[len] != '\0'; len++) {
		unsigned char c = (unsigned char)name[len];

		/* '.' separates, '=' ends a name in "sysctl name=value". */
		if (c == '.' || c == '=' || c <= ' ' || c >= 0x7f)
			return EINVAL;
	}
	return len > SYSCTL_NAMEMAX ? ENAMETOOLONG : 0;
}

static int
check_kind(unsigned kind, const void *arg1, bool has_handler)
{
	unsigned type = kind & CTLTYPE;

	if (type < CTLTYPE_NODE || type > CTLTYPE_U64)
		return EINVAL;
	if (type == CTLTYPE_NODE)
		return has_handler ? EINVAL : 0;
	/* Only integers have a constant form (arg1 NULL, value in arg2). */
	if (!has_handler && arg1 == NULL &&
	    (type == CTLTYPE_STRING || type == CTLTYPE_OPAQUE))
		return EINVAL;
	return 0;
}

/* Picks the number for a new child: the requested one, or the next auto. */
static int
pick_number(const struct sysctl_oid *parent, int number, int *out)
{
	const struct sysctl_oid *c;
	int n = CTL_AUTO_START;

	if (number != OID_AUTO) {
		if (number < 0)
			return EINVAL;
		if (oid_child_bynumber(parent, number) != NULL)
			return EEXIST;
		*out = number;
		return 0;
	}
	for (c = parent->children; c != NULL; c = c->sibling)
		if (c->number >= n) {
			if (c->number == INT_MAX)
				return ENOSPC;
			n = c->number + 1;
		}
	*out = n;
	return 0;
}

static void
link_child(struct sysctl_oid *parent, struct sysctl_oid *oid)
{
	struct sysctl_oid **pp = &parent->children;

	while (*pp != NULL && (*pp)->number < oid->number)
		pp = &(*pp)->sibling;
	oid->sibling = *pp;
	*pp = oid;
	oid->parent = parent;
}

/*
 * Registers a node; see sysctl.h for the arguments and errors.
 * Caller serialises registration (boot or attach).
 */
int
sysctl_add_oid(struct sysctl_oid *parent, int number, const char *name,
    unsigned kind, void *arg1, intptr_t arg2, sysctl_handler_t *handler,
    const char *fmt, const char *descr, struct sysctl_oid **oidp)
{
	struct sysctl_oid *oid;
	unsigned type = kind & CTLTYPE;
	int error, n;
	size_t i;

	if (parent == NULL)
		parent = &sysctl_root;
	if (!oid_valid(parent) || !oid_is_node(parent))
		return EINVAL;
	if ((error = check_name(name)) != 0 ||
	    (error = check_kind(kind, arg1, handler != NULL)) != 0)
		return error;
	if (oid_depth(parent) >= CTL_MAXNAME)
		return E2BIG;
	if (oid_child_byname(parent, name, strlen(name)) != NULL)
		return EEXIST;
	if ((error = pick_number(parent, number, &n)) != 0)
		return error;
	i = 0;
	while (i < SYSCTL_MAXOIDS && sysctl_pool[i].in_use)
		i++;
	if (i == SYSCTL_MAXOIDS)
		return ENOSPC;
	oid = &sysctl_pool[i];
	memset(oid, 0, sizeof(*oid));
	oid->in_use = true;
	oid->number = n;
	oid->kind = type == CTLTYPE_NODE ? CTLTYPE_NODE | CTLFLAG_RD : kind;
	oid->arg1 = arg1;
	oid->arg2 = arg2;
	oid->handler = handler != NULL ? handler : default_handler(type);
	oid->fmt = fmt != NULL ? fmt : default_fmt(type);
	oid->descr = descr;
	memcpy(oid->name, name, strlen(name) + 1);
	link_child(parent, oid);
	if (oidp != NULL)
		*oidp = oid;
	return 0;
}

/* Registers an interior node named name under parent. */
int
sysctl_add_node(struct sysctl_oid *parent, const char *name, const char *descr,
    struct sysctl_oid **oidp)
{
	return sysctl_add_oid(parent, OID_AUTO, name, CTLTYPE_NODE, NULL, 0,
	    NULL, NULL, descr, oidp);
}

/* Registers the int32_t at ptr; flags are CTLFLAG_ values. */
int
sysctl_add_int(struct sysctl_oid *parent, const char *name, unsigned flags,
    int32_t *ptr, const char *descr, struct sysctl_oid **oidp)
{
	return sysctl_add_oid(parent, OID_AUTO, name, CTLTYPE_INT | flags, ptr,
	    0, NULL, NULL, descr, oidp);
}

/* Registers the uint32_t at ptr. */
int
sysctl_add_uint(struct sysctl_oid *parent, const char *name, unsigned flags,
    uint32_t *ptr, const char *descr, struct sysctl_oid **oidp)
{
	return sysctl_add_oid(parent, OID_AUTO, name, CTLTYPE_UINT | flags, ptr,
	    0, NULL, NULL, descr, oidp);
}

/* Registers the int64_t at ptr. */
int
sysctl_add_long(struct sysctl_oid *parent, const char *name, unsigned flags,
    int64_t *ptr, const char *descr, struct sysctl_oid **oidp)
{
	return sysctl_add_oid(parent, OID_AUTO, name, CTLTYPE_LONG | flags, ptr,
	    0, NULL, NULL, descr, oidp);
}

/* Registers the uint64_t at ptr. */
int
sysctl_add_ulong(struct sysctl_oid *parent, const char *name, unsigned flags,
    uint64_t *ptr, const char *descr, struct sysctl_oid **oidp)
{
	return sysctl_add_oid(parent, OID_AUTO, name, CTLTYPE_ULONG | flags,
	    ptr, 0, NULL, NULL, descr, oidp);
}

/* Registers the string in buf, a buffer of bufsize bytes (>= 1). */
int
sysctl_add_string(struct sysctl_oid *parent, const char *name, unsigned flags,
    char *buf, size_t bufsize, const char *descr, struct sysctl_oid **oidp)
{
	if (bufsize == 0 || bufsize > INTPTR_MAX)
		return EINVAL;
	return sysctl_add_oid(parent, OID_AUTO, name, CTLTYPE_STRING | flags,
	    buf, (intptr_t)bufsize, NULL, NULL, descr, oidp);
}

/* Registers a constant string; the node is read-only. */
int
sysctl_add_const_string(struct sysctl_oid *parent, const char *name,
    const char *str, const char *descr, struct sysctl_oid **oidp)
{
	/* arg2 0 makes the string handler refuse writes. */
	return sysctl_add_oid(parent, OID_AUTO, name,
	    CTLTYPE_STRING | CTLFLAG_RD, (void *)(uintptr_t)str, 0, NULL, NULL,
	    descr, oidp);
}

/* Registers size bytes at ptr, described by fmt ("S,timeval"). */
int
sysctl_add_opaque(struct sysctl_oid *parent, const char *name, unsigned flags,
    void *ptr, size_t size, const char *fmt, const char *descr,
    struct sysctl_oid **oidp)
{
	if (size > INTPTR_MAX)
		return EINVAL;
	return sysctl_add_oid(parent, OID_AUTO, name, CTLTYPE_OPAQUE | flags,
	    ptr, (intptr_t)size, NULL, fmt, descr, oidp);
}

/* Registers a node whose value handler computes; kind is type | flags. */
int
sysctl_add_proc(struct sysctl_oid *parent, const char *name, unsigned kind,
    sysctl_handler_t *handler, void *arg1, intptr_t arg2, const char *fmt,
    const char *descr, struct sysctl_oid **oidp)
{
	if (handler == NULL || (kind & CTLTYPE) == CTLTYPE_NODE)
		return EINVAL;
	return sysctl_add_oid(parent, OID_AUTO, name, kind, arg1, arg2, handler,
	    fmt, descr, oidp);
}

static void
free_subtree(struct sysctl_oid *oid)
{
	struct sysctl_oid *c, *next;

	for (c = oid->children; c != NULL; c = next) {
		next = c->sibling;
		free_subtree(c);
	}
	memset(oid, 0, sizeof(*oid));
}

/* Removes oid and its subtree.  Caller serialises registration. */
int
sysctl_remove(struct sysctl_oid *oid)
{
	struct sysctl_oid **pp;

	if (oid == NULL || oid == &sysctl_root || !oid_valid(oid))
		return EINVAL;
	pp = &oid->parent->children;
	while (*pp != oid)
		pp = &(*pp)->sibling;
	*pp = oid->sibling;
	free_subtree(oid);
	return 0;
}

/* Looks up a dotted name; see sysctl.h. */
int
sysctl_find(const char *name, struct sysctl_oid **oidp)
{
	struct sysctl_oid *oid = &sysctl_root;
	const char *p = name, *dot;
	size_t len;

	if (name == NULL || name[0] == '\0')
		return EINVAL;
	for (;;) {
		dot = strchr(p, '.');
		len = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (len == 0)
			return EINVAL;
		if (!oid_is_node(oid) || len > SYSCTL_NAMEMAX ||
		    (oid = oid_child_byname(oid, p, len)) == NULL)
			return ENOENT;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	*oidp = oid;
	return 0;
}

/* Looks up a MIB; see sysctl.h. */
int
sysctl_find_mib(const int *mib, size_t len, struct sysctl_oid **oidp)
{
	struct sysctl_oid *oid = &sysctl_root;
	size_t i;

	if (len == 0 || len > CTL_MAXNAME)
		return EINVAL;
	for (i = 0; i < len; i++)
		if (!oid_is_node(oid) ||
		    (oid = oid_child_bynumber(oid, mib[i])) == NULL)
			return ENOENT;
	*oidp = oid;
	return 0;
}

/* Stores the MIB of oid in mib (CTL_MAXNAME entries) and its length. */
void
sysctl_oid_mib(const struct sysctl_oid *oid, int *mib, size_t *lenp)
{
	size_t depth = (size_t)oid_depth(oid), i;

	for (i = depth; i > 0; i--, oid = oid->parent)
		mib[i - 1] = oid->number;
	*lenp = depth;
}

/* Translates a dotted name to its MIB; see sysctl.h. */
int
sysctl_name2mib(const char *name, int *mib, size_t *lenp)
{
	struct sysctl_oid *oid;
	int tmp[CTL_MAXNAME];
	size_t len;
	int error;

	if ((error = sysctl_find(name, &oid)) != 0)
		return error;
	sysctl_oid_mib(oid, tmp, &len);
	if (len > *lenp)
		return ENOMEM;
	memcpy(mib, tmp, len * sizeof(tmp[0]));
	*lenp = len;
	return 0;
}

/* Returns the component name of oid. */
const char *
sysctl_oid_name(const struct sysctl_oid *oid)
{
	return oid->name;
}

/* Returns the number of oid under its parent. */
int
sysctl_oid_number(const struct sysctl_oid *oid)
{
	return oid->number;
}

/* Returns the type and flags of oid. */
unsigned
sysctl_oid_kind(const struct sysctl_oid *oid)
{
	return oid->kind;
}

/* Returns the description of oid, "" when it has none. */
const char *
sysctl_oid_descr(const struct sysctl_oid *oid)
{
	return oid->descr != NULL ? oid->descr : "";
}

/* Returns the format string of oid ("I", "A", "S,timeval", ...). */
const char *
sysctl_oid_fmt(const struct sysctl_oid *oid)
{
	return oid->fmt;
}

/* Appends s at *pos, keeping room for a NUL; false if it was cut short. */
static bool
append(char *buf, size_t size, size_t *pos, const char *s)
{
	size_t len = strlen(s), room = size - 1 - *pos;
	bool fits = len <= room;

	if (!fits)
		len = room;
	memcpy(buf + *pos, s, len);
	*pos += len;
	return fits;
}

/* Writes the dotted name of oid into buf; 0, or ENOMEM if truncated. */
int
sysctl_oid_fullname(const struct sysctl_oid *oid, char *buf, size_t size)
{
	const struct sysctl_oid *path[CTL_MAXNAME];
	int depth = 0, i;
	size_t pos = 0;
	bool fits = true;

	if (size == 0)
		return ENOMEM;
	for (; oid != &sysctl_root; oid = oid->parent)
		path[depth++] = oid;
	for (i = depth - 1; i >= 0 && fits; i--)
		fits = (i == depth - 1 || append(buf, size, &pos, ".")) &&
		    append(buf, size, &pos, path[i]->name);
	buf[pos] = '\0';
	return fits ? 0 : ENOMEM;
}

/*
 * Moves len bytes of output into the request.  Without an old buffer the
 * bytes are only counted; a buffer too small gets what fits.
 * Returns 0 or ENOMEM.
 */
int
sysctl_req_out(struct sysctl_req *req, const void *p, size_t len)
{
	size_t room;
	int error = 0;

	if (req->oldptr == NULL) {
		req->oldidx += len;
		return 0;
	}
	room = req->oldidx < req->oldlen ? req->oldlen - req->oldidx : 0;
	if (room < len)
		error = ENOMEM;
	if (room > len)
		room = len;
	if (room > 0)
		memcpy((char *)req->oldptr + req->oldidx, p, room);
	req->oldidx += len;
	return error;
}

/*
 * Takes the next len bytes of the new value.  Returns 0 (also when there
 * is no new value: p is then untouched) or EINVAL if fewer bytes remain.
 */
int
sysctl_req_in(struct sysctl_req *req, void *p, size_t len)
{
	if (req->newptr == NULL)
		return 0;
	if (req->newlen - req->newidx < len)
		return EINVAL;
	memcpy(p, (const char *)req->newptr + req->newidx, len);
	req->newidx += len;
	return 0;
}

/*
 * The common part of the integer handlers: v holds the current value (the
 * variable's, or the constant arg2), size is its width.  Copies it out,
 * then takes a new value of exactly that width into arg1.
 */
static int
handle_scalar(void *arg1, void *v, size_t size, struct sysctl_req *req)
{
	int error;

	if (arg1 != NULL)
		memcpy(v, arg1, size);
	error = sysctl_req_out(req, v, size);
	if (error != 0 || req->newptr == NULL)
		return error;
	if (arg1 == NULL)
		return EPERM;
	if (req->newlen - req->newidx != size)
		return EINVAL;
	if ((error = sysctl_req_in(req, v, size)) != 0)
		return error;
	memcpy(arg1, v, size);
	return 0;
}

/* Standard handler of 32-bit integers; see sysctl.h. */
int
sysctl_handle_int(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req)
{
	int32_t v = (int32_t)arg2;

	return handle_scalar(arg1, &v, sizeof(v), req);
}

/* Standard handler of 64-bit integers; see sysctl.h. */
int
sysctl_handle_long(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req)
{
	int64_t v = arg2;

	return handle_scalar(arg1, &v, sizeof(v), req);
}

/*
 * Standard handler of strings; see sysctl.h.  The old value goes out with
 * its NUL; a new value may come with or without one.
 */
int
sysctl_handle_string(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req)
{
	char *s = arg1;
	const char *in;
	size_t len, avail;
	int error;

	len = 0;
	while ((arg2 == 0 || len < (size_t)arg2 - 1) && s[len] != '\0')
		len++;
	error = sysctl_req_out(req, s, len);
	if (error == 0)
		error = sysctl_req_out(req, "", 1);
	if (error != 0 || req->newptr == NULL)
		return error;
	if (arg2 == 0)
		return EPERM;
	in = (const char *)req->newptr + req->newidx;
	avail = req->newlen - req->newidx;
	len = 0;
	while (len < avail && in[len] != '\0')
		len++;
	if (len >= (size_t)arg2)
		return EINVAL;
	memcpy(s, in, len);
	s[len] = '\0';
	req->newidx += avail;
	return 0;
}

/* Standard handler of opaque values: arg2 bytes at arg1. */
int
sysctl_handle_opaque(struct sysctl_oid *oid, void *arg1, intptr_t arg2,
    struct sysctl_req *req)
{
	size_t size = (size_t)arg2;
	int error;

	error = sysctl_req_out(req, arg1, size);
	if (error != 0 || req->newptr == NULL)
		return error;
	if (req->newlen - req->newidx != size)
		return EINVAL;
	return sysctl_req_in(req, arg1, size);
}

/* Reports the old length the BSD way once a request is done. */
static void
req_finish(const struct sysctl_req *req, size_t *oldlenp)
{
	if (oldlenp == NULL)
		return;
	if (req->oldptr != NULL && req->oldidx > req->oldlen)
		*oldlenp = req->oldlen;
	else
		*oldlenp = req->oldidx;
}

static void
req_start(struct sysctl_req *req, void *oldp, const size_t *oldlenp,
    const void *newp, size_t newlen)
{
	memset(req, 0, sizeof(*req));
	if (oldlenp != NULL) {
		req->oldptr = oldp;
		req->oldlen = *oldlenp;
	}
	req->newptr = newp;
	req->newlen = newp != NULL ? newlen : 0;
}

/* Performs one request on oid; see sysctl.h. */
int
sysctl_oid_request(struct sysctl_oid *oid, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	struct sysctl_req req;
	int error;

	if (oid_is_node(oid))
		return EISDIR;
	if (newp != NULL) {
		if (!(oid->kind & CTLFLAG_WR))
			return EPERM;
		if ((oid->kind & CTLFLAG_SECURE) && !sysctl_secure_ok)
			return EPERM;
	}
	req_start(&req, oldp, oldlenp, newp, newlen);
	error = oid->handler(oid, oid->arg1, oid->arg2, &req);
	req_finish(&req, oldlenp);
	return error;
}

/* The first leaf at or under oid, in MIB order. */
static struct sysctl_oid *
first_leaf(struct sysctl_oid *oid)
{
	struct sysctl_oid *c, *leaf;

	if (!oid_is_node(oid))
		return oid;
	for (c = oid->children; c != NULL; c = c->sibling)
		if ((leaf = first_leaf(c)) != NULL)
			return leaf;
	return NULL;
}

/* The first leaf under parent that comes after mib[0..len). */
static struct sysctl_oid *
next_leaf(struct sysctl_oid *parent, const int *mib, size_t len)
{
	struct sysctl_oid *c, *leaf;

	for (c = parent->children; c != NULL; c = c->sibling) {
		if (len > 0 && c->number < mib[0])
			continue;
		if (len > 0 && c->number == mib[0]) {
			/* A leaf is not after itself nor after its "inside". */
			if (!oid_is_node(c))
				continue;
			leaf = next_leaf(c, mib + 1, len - 1);
		} else
			leaf = first_leaf(c);
		if (leaf != NULL)
			return leaf;
	}
	return NULL;
}

/* Finds the leaf after mib in MIB order; see sysctl.h. */
int
sysctl_next(const int *mib, size_t len, int *next, size_t *nextlen)
{
	struct sysctl_oid *leaf;

	if (len > CTL_MAXNAME)
		return EINVAL;
	if ((leaf = next_leaf(&sysctl_root, mib, len)) == NULL)
		return ENOENT;
	sysctl_oid_mib(leaf, next, nextlen);
	return 0;
}

/* {CTL_SYSCTL, op, ...}: questions about the tree itself. */
static int
sysctl_meta(const int *mib, size_t len, struct sysctl_req *req)
{
	char name[SYSCTL_FULLNAMEMAX + 1];
	int out[CTL_MAXNAME];
	struct sysctl_oid *oid;
	size_t n;
	uint32_t kind;
	int error;

	if (len == 0)
		return EISDIR;
	if (req->newptr != NULL && mib[0] != CTL_SYSCTL_NAME2OID)
		return EPERM;
	switch (mib[0]) {
	case CTL_SYSCTL_NAME:
		if ((error = sysctl_find_mib(mib + 1, len - 1, &oid)) != 0)
			return error;
		sysctl_oid_fullname(oid, name, sizeof(name));
		return sysctl_req_out(req, name, strlen(name) + 1);
	case CTL_SYSCTL_NEXT:
		if ((error = sysctl_next(mib + 1, len - 1, out, &n)) != 0)
			return error;
		return sysctl_req_out(req, out, n * sizeof(out[0]));
	case CTL_SYSCTL_NAME2OID:
		if (req->newptr == NULL || req->newlen == 0)
			return EINVAL;
		if (req->newlen > SYSCTL_FULLNAMEMAX)
			return ENAMETOOLONG;
		memcpy(name, req->newptr, req->newlen);
		name[req->newlen] = '\0';
		req->newidx = req->newlen;
		if ((error = sysctl_find(name, &oid)) != 0)
			return error;
		sysctl_oid_mib(oid, out, &n);
		return sysctl_req_out(req, out, n * sizeof(out[0]));
	case CTL_SYSCTL_OIDFMT:
		if ((error = sysctl_find_mib(mib + 1, len - 1, &oid)) != 0)
			return error;
		kind = oid->kind;
		if ((error = sysctl_req_out(req, &kind, sizeof(kind))) != 0)
			return error;
		return sysctl_req_out(req, oid->fmt, strlen(oid->fmt) + 1);
	case CTL_SYSCTL_OIDDESCR:
		if ((error = sysctl_find_mib(mib + 1, len - 1, &oid)) != 0)
			return error;
		return sysctl_req_out(req, sysctl_oid_descr(oid),
		    strlen(sysctl_oid_descr(oid)) + 1);
	}
	return ENOENT;
}

/* sysctl(3): a request by MIB, meta-MIB included; see sysctl.h. */
int
sysctl_mib(const int *mib, size_t len, void *oldp, size_t *oldlenp,
    const void *newp, size_t newlen)
{
	struct sysctl_oid *oid;
	struct sysctl_req req;
	int error;

	if (len == 0)
		return EINVAL;
	if (mib[0] == CTL_SYSCTL) {
		if (len > CTL_MAXNAME + 2)
			return EINVAL;
		req_start(&req, oldp, oldlenp, newp, newlen);
		error = sysctl_meta(mib + 1, len - 1, &req);
		req_finish(&req, oldlenp);
		return error;
	}
	if ((error = sysctl_find_mib(mib, len, &oid)) != 0)
		return error;
	return sysctl_oid_request(oid, oldp, oldlenp, newp, newlen);
}

/* sysctlbyname(3); see sysctl.h. */
int
sysctl_byname(const char *name, void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	struct sysctl_oid *oid;
	int error;

	if ((error = sysctl_find(name, &oid)) != 0)
		return error;
	return sysctl_oid_request(oid, oldp, oldlenp, newp, newlen);
}

/* Allows or refuses new values for CTLFLAG_SECURE nodes. */
void
sysctl_secure_set(bool writable)
{
	sysctl_secure_ok = writable;
}

/* Returns whether CTLFLAG_SECURE nodes take new values now. */
bool
sysctl_secure_writable(void)
{
	return sysctl_secure_ok;
}
