/*
 * fuzz_slices.c - libFuzzer target: MBR slice probing
 * (dl_probe_slices).  Whatever sector 0 holds, the slices found must lie
 * inside the disk, and s0 must exist exactly when there is no MBR.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/sys/disklabel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dl_slices s;
	uint64_t disk = 0;

	/* The bytes after the sector choose the disk size. */
	if (size > DL_SECSIZE)
		memcpy(&disk, data + DL_SECSIZE,
		    size - DL_SECSIZE < sizeof(disk) ? size - DL_SECSIZE :
						       sizeof(disk));
	if (dl_probe_slices(data, size, disk, &s) != NULL)
		return (0);
	if (s.mbr == (s.s[0].size != 0) && disk != 0)
		abort();
	for (int i = 0; i <= NDOSPART; i++)
		if (s.s[i].size != 0 &&
		    (s.s[i].offset >= disk ||
			s.s[i].size > disk - s.s[i].offset))
			abort();
	return (0);
}
