/*
 * disklabel32.h - the 32-bit BSD disk label as DragonFly writes it.
 *
 * The label lives in sector LABELSECTOR32 (1) of a slice, at byte 512 for
 * 512-byte sectors.  All fields are little-endian and naturally aligned, so
 * the structure below is the on-disk image on the x86-64 hosts the project
 * runs on (checked by the assertions at the end).  On disk p_offset is
 * absolute, counted from the start of the whole disk, not of the slice.
 * Shared by the kernel and the image tools; parsing and checking is in
 * runtime/kern/subr_disklabel.c (runtime/sys/disklabel.h).
 */
#ifndef RUNTIME_SYS_DISKLABEL32_H
#define RUNTIME_SYS_DISKLABEL32_H

#include <stddef.h>
#include <stdint.h>

#define DISKMAGIC32	((uint32_t)0x82564557) /* the disk magic number */
#define MAXPARTITIONS32 16
#define LABELSECTOR32	1 /* sector of the label within the slice */
#define LABELOFFSET32	0 /* byte offset of the label in that sector */
#define NDDATA32	5
#define NSPARE32	5
#define RAW_PART	2 /* 'c': the whole slice */
#define LABEL_PART	2
#define SWAP_PART	1

/* Boot block and superblock areas at the start of a slice. */
#define BBSIZE32 8192
#define SBSIZE32 8192

/* Disk types (d_type) named by disklabel(8). */
#define DTYPE_UNKNOWN 0
#define DTYPE_SCSI    4
#define DTYPE_VND     14 /* historical; printed by number */

/* File system types (p_fstype). */
#define FS_UNUSED  0
#define FS_SWAP	   1
#define FS_V6	   2
#define FS_V7	   3
#define FS_SYSV	   4
#define FS_V71K	   5
#define FS_V8	   6
#define FS_BSDFFS  7
#define FS_MSDOS   8
#define FS_BSDLFS  9
#define FS_OTHER   10
#define FS_HPFS	   11
#define FS_ISO9660 12
#define FS_BOOT	   13
#define FS_VINUM   14
#define FS_RAID	   15

struct partition32 {
	uint32_t p_size;   /* number of sectors */
	uint32_t p_offset; /* starting sector, absolute on disk */
	uint32_t p_fsize;  /* file system basic fragment size (unused) */
	uint8_t p_fstype;  /* FS_* */
	uint8_t p_frag;	   /* fragments per block (unused) */
	uint16_t p_cpg;	   /* cylinders per group (unused) */
};

struct disklabel32 {
	uint32_t d_magic; /* DISKMAGIC32 */
	uint16_t d_type;  /* DTYPE_* */
	uint16_t d_subtype;
	char d_typename[16];   /* "amnesiac" for a virgin label */
	char d_packname[16];   /* "fictitious" for a virgin label */
	uint32_t d_secsize;    /* bytes per sector */
	uint32_t d_nsectors;   /* data sectors per track */
	uint32_t d_ntracks;    /* tracks per cylinder */
	uint32_t d_ncylinders; /* data cylinders per unit */
	uint32_t d_secpercyl;  /* data sectors per cylinder */
	uint32_t d_secperunit; /* data sectors per unit (the slice) */
	uint16_t d_sparespertrack;
	uint16_t d_sparespercyl;
	uint32_t d_acylinders;
	uint16_t d_rpm;
	uint16_t d_interleave;
	uint16_t d_trackskew;
	uint16_t d_cylskew;
	uint32_t d_headswitch;
	uint32_t d_trkseek;
	uint32_t d_flags;
	uint32_t d_drivedata[NDDATA32];
	uint32_t d_spare[NSPARE32];
	uint32_t d_magic2;	/* DISKMAGIC32 again */
	uint16_t d_checksum;	/* XOR of the label's 16-bit words is 0 */
	uint16_t d_npartitions; /* entries in d_partitions in use */
	uint32_t d_bbsize;	/* boot area size in bytes */
	uint32_t d_sbsize;	/* maximum superblock size in bytes */
	struct partition32 d_partitions[MAXPARTITIONS32];
};

/* Bytes covered by the checksum of a label with n partitions. */
#define DISKLABEL32_SIZE(n)                           \
	(offsetof(struct disklabel32, d_partitions) + \
	    (size_t)(n) * sizeof(struct partition32))

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
    "the on-disk structures are little-endian images");
_Static_assert(sizeof(struct partition32) == 16, "partition32 is 16 bytes");
_Static_assert(offsetof(struct disklabel32, d_secsize) == 40, "d_secsize");
_Static_assert(offsetof(struct disklabel32, d_secperunit) == 60,
    "d_secperunit");
_Static_assert(offsetof(struct disklabel32, d_magic2) == 132, "d_magic2");
_Static_assert(offsetof(struct disklabel32, d_checksum) == 136, "d_checksum");
_Static_assert(offsetof(struct disklabel32, d_partitions) == 148,
    "d_partitions");
_Static_assert(DISKLABEL32_SIZE(8) == 276, "276 bytes with 8 partitions");
_Static_assert(sizeof(struct disklabel32) == 404, "404 bytes with 16");

#endif /* RUNTIME_SYS_DISKLABEL32_H */
