/*
 * sys_vireo.c - the system calls the BSD world needs that Linux's ABI
 * does not have, at numbers Linux leaves free (500 and up), plus the
 * Linux calls that reach the same state (sethostname) and the process
 * credentials.
 *
 *	500 vireo_sysctl(name, oldbuf, oldlenp, newval, newlen)
 *		name is dotted ("kern.hostname"); the old value comes back
 *		as text, as "sysctl -n" prints it (sysctl_format_value),
 *		NUL-terminated, *oldlenp in and out (ENOMEM and the size
 *		needed when it does not fit; oldbuf 0 asks the size); newval
 *		(newlen bytes of text) sets the node (sysctl_set_from_text).
 *		ENOENT unknown, ENOTDIR an interior node, EPERM read-only,
 *		EINVAL or ERANGE a bad value.
 *	501 vireo_sysctl_next(name, next, size)
 *		the dotted name of the first leaf after name ("" or a node:
 *		its first leaf); ENOENT after the last, ENOMEM when size is
 *		too small.
 *	502 vireo_kenv(op, name, value, len)
 *		op 0 get (ENOENT), 1 set (value NUL-terminated), 2 unset,
 *		3 dump ("name=value\0..." into value; returns the bytes the
 *		dump takes, ENOMEM when len is too small).
 *
 * Credentials: real, effective and saved user and group ids and the
 * supplementary groups, inherited by fork and kept by execve, changed
 * with the POSIX rules for root and others; file permissions follow them
 * (kern_access.c).
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/kenv.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/malloc.h"
#include "runtime/kern/syscall_private.h"
#include "runtime/kern/sysctl.h"

#define NAME_MAX_LEN 256
#define VALUE_MAX    4096
#define ID_NONE	     UINT32_MAX /* -1: "leave it" in the set*id calls */

static int
copyin_name(struct lwp *l, uint64_t uname, char *name)
{
	int error = copyinstr(l, uname, name, NAME_MAX_LEN);

	return (error == ENAMETOOLONG ? ENOENT : error);
}

int64_t
sys_vireo_sysctl(struct lwp *l, const uint64_t *a)
{
	char name[NAME_MAX_LEN], *buf;
	struct sysctl_oid *oid;
	uint64_t oldlen = 0;
	size_t need;
	int error;

	if ((error = copyin_name(l, a[0], name)) != 0)
		return (-error);
	if ((error = sysctl_find(name, &oid)) != 0)
		return (-(error == EINVAL ? ENOENT : error));
	if ((sysctl_oid_kind(oid) & CTLTYPE) == CTLTYPE_NODE)
		return (-ENOTDIR);
	if ((buf = kmalloc(VALUE_MAX)) == NULL)
		return (-ENOMEM);
	if (a[2] != 0) {
		if ((error = copyin(l, a[2], &oldlen, sizeof(oldlen))) != 0)
			goto out;
		error = sysctl_format_value(oid, buf, VALUE_MAX);
		if (error != 0 && error != ENOMEM)
			goto out;
		need = strlen(buf) + 1;
		if (a[1] != 0 && oldlen >= need)
			error = copyout(l, buf, a[1], need);
		else
			error = a[1] != 0 ? ENOMEM : 0;
		oldlen = need;
		if (error == 0 || error == ENOMEM) {
			int e2 = copyout(l, &oldlen, a[2], sizeof(oldlen));

			error = e2 != 0 ? e2 : error;
		}
		if (error != 0)
			goto out;
	}
	if (a[3] != 0) {
		if (a[4] >= VALUE_MAX) {
			error = EINVAL;
			goto out;
		}
		if ((error = copyin(l, a[3], buf, (size_t)a[4])) != 0)
			goto out;
		buf[a[4]] = '\0';
		error = sysctl_set_from_text(oid, buf);
	}
out:
	kfree(buf);
	return (-error);
}

int64_t
sys_vireo_sysctl_next(struct lwp *l, const uint64_t *a)
{
	char name[NAME_MAX_LEN], full[NAME_MAX_LEN];
	int mib[CTL_MAXNAME], next[CTL_MAXNAME];
	size_t len = CTL_MAXNAME, nextlen;
	struct sysctl_oid *oid;
	int error;

	if ((error = copyin_name(l, a[0], name)) != 0)
		return (-error);
	if (name[0] == '\0')
		len = 0;
	else if ((error = sysctl_name2mib(name, mib, &len)) != 0)
		return (-(error == EINVAL ? ENOENT : error));
	if ((error = sysctl_next(mib, len, next, &nextlen)) != 0 ||
	    (error = sysctl_find_mib(next, nextlen, &oid)) != 0)
		return (-error);
	if ((error = sysctl_oid_fullname(oid, full, sizeof(full))) != 0)
		return (-error);
	if (strlen(full) + 1 > a[2])
		return (-ENOMEM);
	return (-copyout(l, full, a[1], strlen(full) + 1));
}

int64_t
sys_vireo_kenv(struct lwp *l, const uint64_t *a)
{
	char name[NAME_MAX_LEN], *value;
	size_t need = 0;
	int64_t r = 0;
	int error = 0;

	if ((int)a[0] != 3 &&
	    (error = copyinstr(l, a[1], name, sizeof(name))) != 0)
		return (-error);
	if ((value = kmalloc(VALUE_MAX)) == NULL)
		return (-ENOMEM);
	switch ((int)a[0]) {
	case 0: /* get */
		if ((error = kenv_get_copy(name, value, VALUE_MAX)) != 0)
			break;
		need = strlen(value) + 1;
		error = need > a[3] ? ENOMEM : copyout(l, value, a[2], need);
		break;
	case 1: /* set */
		if ((error = copyinstr(l, a[2], value, VALUE_MAX)) == 0)
			error = kenv_set(name, value);
		break;
	case 2: /* unset */
		error = kenv_unset(name);
		break;
	case 3: /* dump */
		kenv_dump(value, VALUE_MAX, &need);
		if (need > VALUE_MAX)
			error = ENOMEM; /* XXX a dump over 4 KiB */
		else if (a[2] != 0 && need <= a[3])
			error = copyout(l, value, a[2], need);
		else if (a[2] != 0)
			error = ENOMEM;
		r = (int64_t)need;
		break;
	default:
		error = EINVAL;
	}
	kfree(value);
	return (error != 0 ? -error : r);
}

/* sethostname(2): kern.hostname. */
int64_t
sys_sethostname(struct lwp *l, const uint64_t *a)
{
	char name[SYSCTL_HOSTNAMEMAX + 1];
	int error;

	if (l->l_proc->p_euid != 0)
		return (-EPERM);
	if (a[1] > SYSCTL_HOSTNAMEMAX)
		return (-EINVAL);
	if ((error = copyin(l, a[0], name, (size_t)a[1])) != 0)
		return (-error);
	name[a[1]] = '\0';
	return (-sysctl_byname("kern.hostname", NULL, NULL, name,
	    (size_t)a[1] + 1));
}

/* --- Credentials ----------------------------------------------------------- */

int64_t
sys_getuid(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (l->l_proc->p_ruid);
}

int64_t
sys_geteuid(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (l->l_proc->p_euid);
}

int64_t
sys_getgid(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (l->l_proc->p_rgid);
}

int64_t
sys_getegid(struct lwp *l, const uint64_t *a)
{
	(void)a;
	return (l->l_proc->p_egid);
}

/*
 * setresuid/setresgid: root may set anything; others only to one of their
 * real, effective or saved ids.
 */
static int
set_ids(struct lwp *l, uint32_t *r, uint32_t *e, uint32_t *s, uint32_t nr,
    uint32_t ne, uint32_t ns)
{
	uint32_t want[3] = { nr, ne, ns };
	int i;

	if (l->l_proc->p_euid != 0)
		for (i = 0; i < 3; i++)
			if (want[i] != ID_NONE && want[i] != *r &&
			    want[i] != *e && want[i] != *s)
				return (EPERM);
	if (nr != ID_NONE)
		*r = nr;
	if (ne != ID_NONE)
		*e = ne;
	if (ns != ID_NONE)
		*s = ns;
	return (0);
}

int64_t
sys_setresuid(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;

	return (-set_ids(l, &p->p_ruid, &p->p_euid, &p->p_suid, (uint32_t)a[0],
	    (uint32_t)a[1], (uint32_t)a[2]));
}

int64_t
sys_setresgid(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;

	return (-set_ids(l, &p->p_rgid, &p->p_egid, &p->p_sgid, (uint32_t)a[0],
	    (uint32_t)a[1], (uint32_t)a[2]));
}

/* setuid(2): root sets all three, others the effective one only. */
int64_t
sys_setuid(struct lwp *l, const uint64_t *a)
{
	uint32_t id = (uint32_t)a[0];
	uint64_t b[3] = { id, id, id };

	if (l->l_proc->p_euid != 0) {
		b[0] = b[2] = ID_NONE;
	}
	return (sys_setresuid(l, b));
}

int64_t
sys_setgid(struct lwp *l, const uint64_t *a)
{
	uint32_t id = (uint32_t)a[0];
	uint64_t b[3] = { id, id, id };

	if (l->l_proc->p_euid != 0) {
		b[0] = b[2] = ID_NONE;
	}
	return (sys_setresgid(l, b));
}

int64_t
sys_setreuid(struct lwp *l, const uint64_t *a)
{
	uint64_t b[3] = { (uint32_t)a[0], (uint32_t)a[1], ID_NONE };

	return (sys_setresuid(l, b));
}

int64_t
sys_setregid(struct lwp *l, const uint64_t *a)
{
	uint64_t b[3] = { (uint32_t)a[0], (uint32_t)a[1], ID_NONE };

	return (sys_setresgid(l, b));
}

static int64_t
get_three(struct lwp *l, const uint64_t *a, uint32_t r, uint32_t e, uint32_t s)
{
	int error;

	if ((error = copyout(l, &r, a[0], 4)) != 0 ||
	    (error = copyout(l, &e, a[1], 4)) != 0 ||
	    (error = copyout(l, &s, a[2], 4)) != 0)
		return (-error);
	return (0);
}

int64_t
sys_getresuid(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;

	return (get_three(l, a, p->p_ruid, p->p_euid, p->p_suid));
}

int64_t
sys_getresgid(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;

	return (get_three(l, a, p->p_rgid, p->p_egid, p->p_sgid));
}

int64_t
sys_getgroups(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	int n = (int)a[0];

	if (n == 0)
		return (p->p_ngroups);
	if (n < p->p_ngroups)
		return (-EINVAL);
	if (copyout(l, p->p_groups, a[1],
		(size_t)p->p_ngroups * sizeof(uint32_t)) != 0)
		return (-EFAULT);
	return (p->p_ngroups);
}

int64_t
sys_setgroups(struct lwp *l, const uint64_t *a)
{
	struct proc *p = l->l_proc;
	uint32_t groups[PROC_NGROUPS];
	int n = (int)a[0], error;

	if (p->p_euid != 0)
		return (-EPERM);
	if (n < 0 || n > PROC_NGROUPS)
		return (-EINVAL);
	if (n > 0 &&
	    (error = copyin(l, a[1], groups, (size_t)n * sizeof(uint32_t))) !=
		0)
		return (-error);
	memcpy(p->p_groups, groups, (size_t)n * sizeof(uint32_t));
	p->p_ngroups = n;
	return (0);
}
