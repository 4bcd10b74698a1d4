/*
 * disklabel.h - reading and checking slices and disk labels
 * (runtime/kern/subr_disklabel.c).
 *
 * Pure functions over caller-provided buffers: no allocation, no I/O, ISO C
 * only, so that the kernel's disk layer and the host tools (disklabel,
 * newfs, fsck) parse the same way.  Errors come back as the original's
 * messages ("no disk label", "disk label corrupted", ...), NULL meaning
 * success; a message about one partition also gives its index.
 * Sector counts are in 512-byte sectors (DL_SECSIZE), the only sector
 * size vkd and the image tools support.
 */
#ifndef RUNTIME_SYS_DISKLABEL_H
#define RUNTIME_SYS_DISKLABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/sys/diskmbr.h"
#include "runtime/sys/disklabel32.h"
#include "runtime/sys/disklabel64.h"

#define DL_SECSIZE 512

/* Bytes a caller reads from the start of a slice for dl_read_label(). */
#define DL_READSIZE 4096

/* One slice: s0 (the whole disk without an MBR) or MBR entry s1..s4. */
struct dl_slice {
	uint64_t offset; /* first sector on the disk */
	uint64_t size;	 /* sectors; 0 when the slice does not exist */
	uint8_t type;	 /* MBR type, 0 for s0 */
	bool truncated;	 /* the MBR entry ran past the end of the disk */
};

/* The slices of a disk: s[0] is s0, s[1]..s[4] the MBR entries. */
struct dl_slices {
	bool mbr; /* sector 0 holds a valid MBR with an entry */
	struct dl_slice s[1 + NDOSPART];
};

/* The label found on a slice, in either format. */
struct dl_label {
	int kind; /* 32 or 64 */
	union {
		struct disklabel32 l32;
		struct disklabel64 l64;
	} u;
};

/*
 * CRC-32 as zlib's crc32(): start with crc 0, feed the result back in to
 * continue over more bytes.
 */
uint32_t dl_crc32(uint32_t crc, const void *buf, size_t len);

/*
 * The XOR of the 16-bit words of lp up to d_partitions[d_npartitions]
 * (d_npartitions taken as at most MAXPARTITIONS32).  0 for a label whose
 * d_checksum is right; dl32_setchecksum() makes it so.
 */
uint16_t dl32_checksum(const struct disklabel32 *lp);
void dl32_setchecksum(struct disklabel32 *lp);

/*
 * The CRC of lp as stored in d_crc: over d_magic up to
 * d_partitions[d_npartitions] with d_crc read as 0 (d_npartitions taken
 * as at most MAXPARTITIONS64).  dl64_setcrc() stores it.
 */
uint32_t dl64_crc(const struct disklabel64 *lp);
void dl64_setcrc(struct disklabel64 *lp);

/*
 * Looks for a disklabel32 in the len bytes of the slice start at buf (at
 * least 2 sectors) the way the kernel does: the label may start at any
 * 8-byte boundary of sector LABELSECTOR32.  Returns NULL and copies it to
 * *lp, or "no disk label" or "disk label corrupted".
 */
const char *dl32_read(const void *buf, size_t len, struct disklabel32 *lp);

/*
 * Looks for a disklabel64 at the start of the slice (buf, len bytes, at
 * least sizeof(struct disklabel64)).  Returns NULL and copies it to *lp,
 * or "no disk label", "disklabel64 corrupted, too many partitions" or
 * "disklabel64 corrupted, bad CRC".
 */
const char *dl64_read(const void *buf, size_t len, struct disklabel64 *lp);

/*
 * Probes for a label as the kernel does: disklabel32 first, disklabel64
 * when there is "no disk label".  Returns NULL or the error of the last
 * format tried.
 */
const char *dl_read_label(const void *buf, size_t len, struct dl_label *lp);

/*
 * Checks the geometry of a disklabel32 for a slice that starts at sector
 * slice_off of the disk and has slice_size sectors: 512-byte sectors,
 * sane track and cylinder counts, d_secperunit within the slice, and each
 * partition inside the slice, clear of the label area (a partition may
 * start at sector 0 only as 4.2BSD, which leaves the first 8 KiB alone)
 * and of the others.  Returns NULL or a message naming the field; for a
 * partition *badpart is its index, otherwise -1.
 */
const char *dl32_check(const struct disklabel32 *lp, uint64_t slice_off,
    uint64_t slice_size, int *badpart);

/*
 * Checks a disklabel64 for a slice of slice_bytes bytes: d_total_size,
 * d_bbase <= d_pbase <= d_pstop <= d_total_size, partitions inside
 * [d_pbase, d_pstop) and not overlapping.  Returns like dl32_check().
 */
const char *dl64_check(const struct disklabel64 *lp, uint64_t slice_bytes,
    int *badpart);

/*
 * Fills *lp with the label disklabel -r -w ... auto writes: "amnesiac",
 * "fictitious", 32 sectors, 64 tracks, 3600 rpm, 16 partitions, 'c' the
 * whole slice (absolute offset slice_off), boot and superblock areas of
 * 8 KiB, checksum set.  Returns NULL, or an error when the slice is too
 * large for 32-bit sector numbers or too small to hold a label.
 */
const char *dl32_virgin(struct disklabel32 *lp, uint64_t slice_off,
    uint64_t slice_size);

/*
 * Reads the slices of a disk of disk_size sectors from its sector 0 (buf,
 * len >= 512 bytes).  Without a valid MBR (signature, flags 0 or 0x80,
 * at least one entry in use) s0 spans the disk and s1..s4 are empty;
 * with one, s0 is empty and s1..s4 are the entries, cut at the end of the
 * disk.  Returns NULL, or "no sector 0" when len is short.
 */
const char *dl_probe_slices(const void *buf, size_t len, uint64_t disk_size,
    struct dl_slices *sp);

#endif /* RUNTIME_SYS_DISKLABEL_H */
