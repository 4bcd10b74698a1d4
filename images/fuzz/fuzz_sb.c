/*
 * fuzz_sb.c - libFuzzer target: the UFS1 superblock and cylinder group
 * checks (runtime/vfs/ufs/ufs_sb.c).  The input is a superblock followed
 * by a cylinder group block.  Once a superblock passes, the address
 * arithmetic the kernel and fsck do on it (group bases, inode locations)
 * must stay inside the file system without signed overflow, which the
 * undefined-behaviour sanitizer watches.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/vfs/ufs/ufs_fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fs fs;
	int64_t last;
	uint32_t maxino;

	if (size < sizeof(fs))
		return (0);
	memcpy(&fs, data, sizeof(fs));
	if (ufs_sb_check(&fs, (uint64_t)1 << 40) != NULL)
		return (0);
	last = fs.fs_ncg - 1;
	if (ufs_cgdmin(&fs, last) > fs.fs_size ||
	    ufs_cgtod(&fs, last) >= fs.fs_size)
		abort();
	maxino = (uint32_t)fs.fs_ipg * (uint32_t)fs.fs_ncg - 1;
	if (ufs_ino_to_fsba(&fs, maxino) >= fs.fs_size)
		abort();
	(void)ufs_cg_check(&fs, data + sizeof(fs), size - sizeof(fs), 0);
	return (0);
}
