/*
 * diskmbr.h - the PC master boot record's partition table.
 *
 * Sector 0 of a disk with an MBR ends in 0x55 0xaa; four 16-byte entries
 * start at byte 446.  dp_start and dp_size count 512-byte sectors from the
 * start of the disk; the CHS fields are ignored.  With an MBR the slices
 * are s1..s4, without one slice s0 spans the disk (subr_disklabel.c).
 */
#ifndef RUNTIME_SYS_DISKMBR_H
#define RUNTIME_SYS_DISKMBR_H

#include <stddef.h>
#include <stdint.h>

#define DOSBBSECTOR	0   /* sector of the MBR */
#define DOSPARTOFF	446 /* byte offset of the table */
#define NDOSPART	4
#define DOSMAGICOFFSET	510
#define DOSMAGIC	0xaa55 /* little-endian u16 at DOSMAGICOFFSET */
#define DOSPTYP_EXT	0x05
#define DOSPTYP_386BSD	0xa5 /* DragonFly/FreeBSD slice */
#define DOSPTYP_OPENBSD 0xa6
#define DOSPTYP_NETBSD	0xa9
#define DOSPTYP_PMBR	0xee /* GPT protective MBR */

struct dos_partition {
	uint8_t dp_flag; /* 0x80: active */
	uint8_t dp_shd;
	uint8_t dp_ssect;
	uint8_t dp_scyl;
	uint8_t dp_typ; /* DOSPTYP_*; 0 is unused */
	uint8_t dp_ehd;
	uint8_t dp_esect;
	uint8_t dp_ecyl;
	uint32_t dp_start; /* first sector (unaligned in the MBR) */
	uint32_t dp_size;  /* sectors */
};

_Static_assert(sizeof(struct dos_partition) == 16, "dos_partition");
_Static_assert(DOSPARTOFF + NDOSPART * 16 == DOSMAGICOFFSET, "MBR layout");

#endif /* RUNTIME_SYS_DISKMBR_H */
