/*
 * fuzz_disklabel.c - libFuzzer target: disklabel32/64 reading and the
 * geometry checks (runtime/kern/subr_disklabel.c) on arbitrary slice
 * starts.  A label that reads must also survive dl32_check/dl64_check
 * for a few slice sizes, and a label that checks must keep its checksum.
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
	static const uint64_t slices[] = { 0, 16, 131072, (uint64_t)1 << 32 };
	struct dl_label l;
	int bad;

	if (dl_read_label(data, size, &l) != NULL)
		return (0);
	for (size_t i = 0; i < sizeof(slices) / sizeof(slices[0]); i++) {
		if (l.kind == 32) {
			if (dl32_checksum(&l.u.l32) != 0)
				abort(); /* read accepted a bad checksum */
			(void)dl32_check(&l.u.l32, 0, slices[i], &bad);
			(void)dl32_check(&l.u.l32, slices[i], slices[i], &bad);
		} else {
			if (dl64_crc(&l.u.l64) != l.u.l64.d_crc)
				abort();
			(void)dl64_check(&l.u.l64, slices[i] * DL_SECSIZE,
			    &bad);
		}
		if (bad < -1 || bad >= MAXPARTITIONS32)
			abort();
	}
	return (0);
}
