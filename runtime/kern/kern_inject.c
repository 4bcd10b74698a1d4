/*
 * kern_inject.c - fault injection for the harness's tests of itself: a
 * kernel that panics or hangs at a chosen point of its boot, to show that
 * vkh(1) reports a crash with the right panic message and a working
 * repro.sh, and a hang in the right boot phase.
 *
 * inject_point(name) is called at a few named points (kern.h).  It does
 * nothing in a normal build.  Built with "make INJECT=panic:<name>" it
 * panics there ("panic: injected at <name>"); with INJECT=hang:<name> it
 * blocks there for ever, silently, the other threads running on.  The
 * make variable becomes -D defines for this file only; such kernels are
 * built into their own object directory (obj/inject-<kind>-<point>/).
 *
 * The points: "boot" (first in kern_boot(), before the banner), "mp"
 * (mp_start(), once every cpu runs), "mountroot" (vfs_mountroot(),
 * before the prompt).
 */
#include <string.h>

#include "runtime/kern/kern.h"

void
inject_point(const char *name)
{
#if defined(VK_INJECT_PANIC) || defined(VK_INJECT_HANG)
#ifdef VK_INJECT_PANIC
	if (strcmp(name, VK_INJECT_PANIC) == 0)
		panic("injected at %s", name);
#endif
#ifdef VK_INJECT_HANG
	static host_mutex_t never_lock;
	static host_cond_t never;

	if (strcmp(name, VK_INJECT_HANG) != 0)
		return;
	host_mutex_init(&never_lock);
	host_cond_init(&never);
	host_mutex_lock(&never_lock);
	for (;;)
		host_cond_wait(&never, &never_lock);
#endif
#else
	(void)name;
#endif
}
