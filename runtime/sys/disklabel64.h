/*
 * disklabel64.h - DragonFly's 64-bit disk label.
 *
 * The label starts at byte 0 of the slice; its first 512 bytes are left to
 * a boot sector and d_magic is at byte 512.  Every size and offset is in
 * bytes, relative to the slice.  The CRC is the standard CRC-32 (zlib's)
 * over d_magic through the last partition in use, with d_crc taken as 0.
 * Little-endian, naturally aligned; shared by the kernel and the tools,
 * checked by runtime/kern/subr_disklabel.c.
 */
#ifndef RUNTIME_SYS_DISKLABEL64_H
#define RUNTIME_SYS_DISKLABEL64_H

#include <stddef.h>
#include <stdint.h>

#define DISKMAGIC64	((uint32_t)0xc4464c59)
#define MAXPARTITIONS64 16
#define RESPARTITIONS64 32	    /* entries reserved when laying out */
#define BOOT2SIZE64	(32 * 1024) /* boot2 area after the label */

/* A DCE UUID as stored on disk. */
struct dl64_uuid {
	uint32_t time_low;
	uint16_t time_mid;
	uint16_t time_hi_and_version;
	uint8_t clock_seq_hi_and_reserved;
	uint8_t clock_seq_low;
	uint8_t node[6];
};

struct partition64 {
	uint64_t p_boffset; /* slice-relative byte offset */
	uint64_t p_bsize;   /* size in bytes */
	uint8_t p_fstype;   /* FS_* as in disklabel32.h */
	uint8_t p_unused01;
	uint8_t p_unused02;
	uint8_t p_unused03;
	uint32_t p_unused04;
	uint32_t p_unused05;
	uint32_t p_unused06;
	struct dl64_uuid p_type_uuid;
	struct dl64_uuid p_stor_uuid;
};

struct disklabel64 {
	char d_reserved0[512];	/* reserved or boot code */
	uint32_t d_magic;	/* DISKMAGIC64 */
	uint32_t d_crc;		/* CRC-32 from d_magic on */
	uint32_t d_align;	/* partition alignment requirement */
	uint32_t d_npartitions; /* entries in use */
	struct dl64_uuid d_stor_uuid;
	uint64_t d_total_size; /* bytes in the slice */
	uint64_t d_bbase;      /* boot area base */
	uint64_t d_pbase;      /* first byte partitions may use */
	uint64_t d_pstop;      /* last usable byte + 1 */
	uint64_t d_abase;      /* alternative backup label */
	uint8_t d_packname[64];
	uint8_t d_reserved[64];
	struct partition64 d_partitions[MAXPARTITIONS64];
};

/* Offset of d_magic: where the CRC starts. */
#define DISKLABEL64_CRCBASE offsetof(struct disklabel64, d_magic)
/* Bytes up to and including partition n-1. */
#define DISKLABEL64_SIZE(n)                           \
	(offsetof(struct disklabel64, d_partitions) + \
	    (size_t)(n) * sizeof(struct partition64))

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
    "the on-disk structures are little-endian images");
_Static_assert(sizeof(struct dl64_uuid) == 16, "uuid is 16 bytes");
_Static_assert(sizeof(struct partition64) == 64, "partition64 is 64 bytes");
_Static_assert(offsetof(struct disklabel64, d_magic) == 512, "d_magic");
_Static_assert(offsetof(struct disklabel64, d_total_size) == 544,
    "d_total_size");
_Static_assert(offsetof(struct disklabel64, d_partitions) == 712,
    "d_partitions");
_Static_assert(sizeof(struct disklabel64) == 712 + 16 * 64, "disklabel64");

#endif /* RUNTIME_SYS_DISKLABEL64_H */
