/*
 * kern_environment.c - the kernel environment: name=value variables set
 * from the -e options at boot and by kenv(2) later.  The contract is in
 * kenv.h.
 *
 * Each variable occupies one fixed-size slot of a static table, so that
 * nothing is allocated and no pool can fragment.  The slots in use are
 * kept packed at the front of the table in the order the variables were
 * first set; unsetting one moves the later ones down.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "runtime/kern/kenv.h"

struct kenv_var {
	char name[KENV_MNAMELEN + 1];
	char value[KENV_MVALLEN + 1];
};

static struct kenv_var kenv_vars[KENV_MAXENTRIES];
static size_t kenv_nvars;

/* Length of s if it is at most max bytes, or max + 1 if it is longer. */
static size_t
bounded_len(const char *s, size_t max)
{
	size_t len = 0;

	while (len <= max && s[len] != '\0')
		len++;
	return len;
}

static struct kenv_var *
kenv_lookup(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < kenv_nvars; i++)
		if (strcmp(kenv_vars[i].name, name) == 0)
			return &kenv_vars[i];
	return NULL;
}

/* Empties the table, then sets the pairs; see kenv.h. */
int
kenv_init(const struct vk_kenv_pair *pairs, int n)
{
	int i, first = 0;

	memset(kenv_vars, 0, sizeof(kenv_vars));
	kenv_nvars = 0;
	for (i = 0; i < n; i++) {
		int error = kenv_set(pairs[i].name, pairs[i].value);

		if (error != 0 && first == 0)
			first = error;
	}
	return first;
}

/* Returns the value of name or NULL; see kenv.h. */
const char *
kenv_get(const char *name)
{
	struct kenv_var *v = kenv_lookup(name);

	return v != NULL ? v->value : NULL;
}

/* Copies the value of name into buf; see kenv.h. */
int
kenv_get_copy(const char *name, char *buf, size_t size)
{
	struct kenv_var *v = kenv_lookup(name);
	size_t len;

	if (v == NULL)
		return ENOENT;
	if (size == 0)
		return ENOMEM;
	len = strlen(v->value);
	if (len >= size) {
		memcpy(buf, v->value, size - 1);
		buf[size - 1] = '\0';
		return ENOMEM;
	}
	memcpy(buf, v->value, len + 1);
	return 0;
}

/* Sets or replaces name; see kenv.h. */
int
kenv_set(const char *name, const char *value)
{
	struct kenv_var *v;
	size_t nlen, vlen;

	if (name == NULL || name[0] == '\0' || value == NULL ||
	    strchr(name, '=') != NULL)
		return EINVAL;
	nlen = bounded_len(name, KENV_MNAMELEN);
	vlen = bounded_len(value, KENV_MVALLEN);
	if (nlen > KENV_MNAMELEN || vlen > KENV_MVALLEN)
		return ENAMETOOLONG;
	if ((v = kenv_lookup(name)) == NULL) {
		if (kenv_nvars == KENV_MAXENTRIES)
			return ENOMEM;
		v = &kenv_vars[kenv_nvars++];
		memcpy(v->name, name, nlen + 1);
	}
	/* value may be this very slot's value (kenv_get()). */
	memmove(v->value, value, vlen + 1);
	return 0;
}

/* Removes name; see kenv.h. */
int
kenv_unset(const char *name)
{
	struct kenv_var *v = kenv_lookup(name);
	size_t i;

	if (v == NULL)
		return ENOENT;
	i = (size_t)(v - kenv_vars);
	memmove(v, v + 1, (kenv_nvars - i - 1) * sizeof(*v));
	kenv_nvars--;
	memset(&kenv_vars[kenv_nvars], 0, sizeof(kenv_vars[0]));
	return 0;
}

/* Returns the number of variables set. */
size_t
kenv_count(void)
{
	return kenv_nvars;
}

/* Returns the i-th variable; see kenv.h. */
int
kenv_entry(size_t i, const char **namep, const char **valuep)
{
	if (i >= kenv_nvars)
		return ENOENT;
	*namep = kenv_vars[i].name;
	*valuep = kenv_vars[i].value;
	return 0;
}

/* Writes "name=value\0" entries into buf; see kenv.h. */
size_t
kenv_dump(char *buf, size_t size, size_t *neededp)
{
	size_t i, pos = 0, needed = 0;
	bool full = false;

	for (i = 0; i < kenv_nvars; i++) {
		size_t nlen = strlen(kenv_vars[i].name);
		size_t vlen = strlen(kenv_vars[i].value);

		needed += nlen + vlen + 2;
		if (full || pos + nlen + vlen + 2 > size) {
			full = true;
			continue;
		}
		memcpy(buf + pos, kenv_vars[i].name, nlen);
		buf[pos + nlen] = '=';
		memcpy(buf + pos + nlen + 1, kenv_vars[i].value, vlen + 1);
		pos += nlen + vlen + 2;
	}
	if (neededp != NULL)
		*neededp = needed;
	return pos;
}
