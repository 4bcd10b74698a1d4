/*
 * kenv.h - the kernel environment (kern_environment.c).
 *
 * A table of name=value strings, as kenv(1) and kenv(2) show them in BSD:
 * filled at boot from the -e options (vfs.root.mountfrom and the like),
 * read by the kernel with kenv_get(), and changed at run time with
 * kenv_set() and kenv_unset().  The strings are copied into static
 * storage; there is room for KENV_MAXENTRIES variables of at most
 * KENV_MNAMELEN and KENV_MVALLEN bytes (without the NUL).  Iteration is in
 * the order variables were first set.
 *
 * Locking: none of its own; callers serialise (the boot, or the kernel
 * lock).  A pointer from kenv_get() stays valid until that variable is
 * set again or unset.
 */
#ifndef RUNTIME_KERN_KENV_H
#define RUNTIME_KERN_KENV_H

#include <stddef.h>

#include "runtime/platform/platform.h"

#define KENV_MNAMELEN	128 /* longest name, as BSD's kenv(2) */
#define KENV_MVALLEN	128 /* longest value */
#define KENV_MAXENTRIES 256 /* variables in the table */

/*
 * Empties the table and sets the n pairs in order (a later pair replaces
 * an earlier one of the same name).  A pair that cannot be set is skipped;
 * returns 0, or the error of the first pair that was skipped (see
 * kenv_set()).
 */
int kenv_init(const struct vk_kenv_pair *pairs, int n);

/* Returns the value of name, or NULL when it is not set. */
const char *kenv_get(const char *name);

/*
 * Copies the value of name into buf (size bytes, NUL-terminated).
 * Returns 0, ENOENT when not set, or ENOMEM when buf is too small (the
 * value is then truncated).
 */
int kenv_get_copy(const char *name, char *buf, size_t size);

/*
 * Sets name to value, replacing an existing value.  Returns 0, EINVAL for
 * a NULL or empty name, a name containing '=' or a NULL value,
 * ENAMETOOLONG for a name or value beyond its limit, or ENOMEM when the
 * table is full.
 */
int kenv_set(const char *name, const char *value);

/* Removes name.  Returns 0, or ENOENT when it was not set. */
int kenv_unset(const char *name);

/* Returns the number of variables set. */
size_t kenv_count(void);

/*
 * Iteration: the i-th variable (0 <= i < kenv_count()), in the order they
 * were first set.  Returns 0 and sets *namep and *valuep, or ENOENT past
 * the end.
 */
int kenv_entry(size_t i, const char **namep, const char **valuep);

/*
 * Writes every variable as "name=value\0", one after another, into buf
 * (size bytes; buf may be NULL when size is 0), as kenv(2)'s KENV_DUMP
 * does.  Whole entries only.  *neededp (if not NULL) is set to the bytes
 * the whole dump needs.  Returns the bytes written.
 */
size_t kenv_dump(char *buf, size_t size, size_t *neededp);

#endif /* RUNTIME_KERN_KENV_H */
