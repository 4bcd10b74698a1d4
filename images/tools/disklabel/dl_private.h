/*
 * dl_private.h - the parts of disklabel(8): the text form of a label
 * (dl_text.c) used by disklabel.c for printing, -R and -e.
 */
#ifndef IMAGES_TOOLS_DISKLABEL_DL_PRIVATE_H
#define IMAGES_TOOLS_DISKLABEL_DL_PRIVATE_H

#include <stdint.h>
#include <stdio.h>

#include "runtime/sys/disklabel.h"

/*
 * Prints lp in BSD's text form under the heading "# name:".  Partition
 * offsets are shown relative to the slice, which starts at sector
 * slice_off (on disk they are absolute).
 */
void dl_text_print32(FILE *f, const char *name, const struct disklabel32 *lp,
    uint64_t slice_off);

/* Prints a disklabel64 in the form of DragonFly's disklabel64(8). */
void dl_text_print64(FILE *f, const char *name, const struct disklabel64 *lp);

/*
 * Parses the text form from f into *lp for a slice at sector slice_off of
 * slice_size sectors: fields as printed, partition lines "x: size offset
 * fstype" where size may be '*' (the rest), a number with a K/M/G/T
 * suffix or a percentage, and offset '*' (after the previous partition).
 * Fills the derived fields, converts offsets to absolute, sets the
 * checksum and checks the result with dl32_check().  Messages go to
 * stderr as "line N: ..." or "partition x: ..."; returns their count.
 */
int dl_text_parse(FILE *f, struct disklabel32 *lp, uint64_t slice_off,
    uint64_t slice_size);

#endif /* IMAGES_TOOLS_DISKLABEL_DL_PRIVATE_H */
