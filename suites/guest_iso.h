/*
 * guest_iso.h - cd9660 root images for the suites that boot guest
 * programs: a scratch directory, a root tree filled by a shell script,
 * and xorriso making a Rock Ridge ISO of it.
 */
#ifndef SUITES_GUEST_ISO_H
#define SUITES_GUEST_ISO_H

#include <stddef.h>

/*
 * Makes a new scratch directory from template (mkdtemp), runs script with
 * $r the root tree (created with sbin/ and dev/), $g the directory of the
 * guest programs built by make and $b /bin/busybox, then makes $dir/name
 * from the tree.  The image's path goes into iso.  Aborts the test on
 * failure.
 */
void guest_iso(char *template, const char *script, const char *name, char *iso,
    size_t isosize);
/* Removes the scratch directory again. */
void guest_iso_remove(const char *dir);

#endif /* SUITES_GUEST_ISO_H */
