/*
 * guest_iso.c - cd9660 root images for suites (see guest_iso.h).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites/guest_iso.h"

void
guest_iso(char *template, const char *script, const char *name, char *iso,
    size_t isosize)
{
	char self[256], cmd[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	cr_assert_gt(n, 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	cr_assert_not_null(mkdtemp(template));
	snprintf(iso, isosize, "%s/%s", template, name);
	snprintf(cmd, sizeof(cmd),
	    "set -e; r=%s/root; g=%s/../guest-tests; b=/bin/busybox; "
	    "mkdir -p $r/sbin $r/dev; %s; "
	    "xorriso -as mkisofs -R -o %s $r >/dev/null 2>&1",
	    template, self, script, iso);
	cr_assert_eq(system(cmd), 0, "making the image failed: %s", cmd);
}

void
guest_iso_remove(const char *dir)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}
