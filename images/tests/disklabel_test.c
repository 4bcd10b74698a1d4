/*
 * disklabel_test.c - unit tests of the shared slice and label code
 * (runtime/kern/subr_disklabel.c): CRC-32 against zlib, the disklabel32
 * checksum, read round trips and the original's error texts, geometry
 * refusals, disklabel64, and MBR slice probing.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "runtime/sys/disklabel.h"

#define SLICE 131072u /* 64 MiB in sectors */

static uint8_t disk[8192];

static void
put32(const struct disklabel32 *lp)
{
	memset(disk, 0, sizeof(disk));
	memcpy(disk + LABELSECTOR32 * DL_SECSIZE, lp, sizeof(*lp));
}

Test(crc, matches_zlib, .timeout = 10)
{
	uint8_t buf[4096];

	srand(42);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	cr_assert_eq(dl_crc32(0, "", 0), crc32(0, Z_NULL, 0));
	cr_assert_eq(dl_crc32(0, "123456789", 9), 0xcbf43926u);
	for (size_t len = 0; len < sizeof(buf); len += 97) {
		uint32_t a = dl_crc32(0, buf, len);

		cr_assert_eq(a, (uint32_t)crc32(0, buf, (uInt)len), "len %zu",
		    len);
		/* Continuing a CRC over a second piece, as zlib allows. */
		cr_assert_eq(dl_crc32(a, buf + len, sizeof(buf) - len),
		    (uint32_t)crc32(0, buf, sizeof(buf)));
	}
}

Test(label32, virgin_defaults, .timeout = 10)
{
	struct disklabel32 l;
	int bad;

	cr_assert_null(dl32_virgin(&l, 0, SLICE));
	cr_assert_str_eq(l.d_typename, "amnesiac");
	cr_assert_str_eq(l.d_packname, "fictitious");
	cr_assert_eq(l.d_secsize, 512);
	cr_assert_eq(l.d_nsectors, 32);
	cr_assert_eq(l.d_ntracks, 64);
	cr_assert_eq(l.d_secpercyl, 2048);
	cr_assert_eq(l.d_ncylinders, SLICE / 2048);
	cr_assert_eq(l.d_secperunit, SLICE);
	cr_assert_eq(l.d_npartitions, 16);
	cr_assert_eq(l.d_bbsize, 8192);
	cr_assert_eq(l.d_sbsize, 8192);
	cr_assert_eq(l.d_partitions[RAW_PART].p_size, SLICE);
	cr_assert_eq(l.d_partitions[RAW_PART].p_offset, 0);
	cr_assert_eq(dl32_checksum(&l), 0);
	cr_assert_null(dl32_check(&l, 0, SLICE, &bad));
	cr_assert_not_null(dl32_virgin(&l, 0, (uint64_t)1 << 32));
	cr_assert_not_null(dl32_virgin(&l, 0, 8));
}

Test(label32, round_trip_and_checksum, .timeout = 10)
{
	struct disklabel32 l, r;

	cr_assert_null(dl32_virgin(&l, 0, SLICE));
	l.d_partitions[0].p_size = SLICE - 16;
	l.d_partitions[0].p_fstype = FS_BSDFFS;
	dl32_setchecksum(&l);
	put32(&l);
	cr_assert_null(dl32_read(disk, sizeof(disk), &r));
	cr_assert_eq(memcmp(&l, &r, sizeof(l)), 0);

	/* The checksum covers exactly the partitions in use. */
	l.d_npartitions = 8;
	dl32_setchecksum(&l);
	l.d_partitions[12].p_size = 77; /* outside: still valid */
	put32(&l);
	cr_assert_null(dl32_read(disk, sizeof(disk), &r));
	l.d_partitions[3].p_size = 77; /* inside: corrupted */
	put32(&l);
	cr_assert_str_eq(dl32_read(disk, sizeof(disk), &r),
	    "disk label corrupted");
}

Test(label32, errors, .timeout = 10)
{
	struct disklabel32 l, r;

	memset(disk, 0, sizeof(disk));
	cr_assert_str_eq(dl32_read(disk, sizeof(disk), &r), "no disk label");
	cr_assert_str_eq(dl32_read(disk, 700, &r), "no disk label");
	cr_assert_null(dl32_virgin(&l, 0, SLICE));
	l.d_npartitions = 17;
	put32(&l);
	cr_assert_str_eq(dl32_read(disk, sizeof(disk), &r),
	    "disk label corrupted");
	cr_assert_null(dl32_virgin(&l, 0, SLICE));
	l.d_magic2 = 0;
	put32(&l);
	cr_assert_str_eq(dl32_read(disk, sizeof(disk), &r), "no disk label");
	/* Found at an 8-byte step inside the sector, as the kernel scans. */
	cr_assert_null(dl32_virgin(&l, 0, SLICE));
	memset(disk, 0, sizeof(disk));
	memcpy(disk + 512 + 64, &l, sizeof(l));
	cr_assert_null(dl32_read(disk, sizeof(disk), &r));
}

/* Applies change to a good label and expects dl32_check's verdict. */
static void
refused(void (*change)(struct disklabel32 *), const char *want, int part)
{
	struct disklabel32 l;
	const char *msg;
	int bad;

	cr_assert_null(dl32_virgin(&l, 0, SLICE));
	l.d_partitions[0].p_size = SLICE - 16;
	l.d_partitions[0].p_fstype = FS_BSDFFS;
	change(&l);
	dl32_setchecksum(&l);
	msg = dl32_check(&l, 0, SLICE, &bad);
	cr_assert_not_null(msg, "accepted, wanted %s", want);
	cr_assert_str_eq(msg, want);
	cr_assert_eq(bad, part);
}

static void
past_end(struct disklabel32 *l)
{
	l->d_partitions[0].p_size = SLICE;
	l->d_partitions[0].p_offset = 16;
}

static void
label_area(struct disklabel32 *l)
{
	l->d_partitions[1].p_size = 100;
	l->d_partitions[1].p_offset = 1;
	l->d_partitions[1].p_fstype = FS_SWAP;
	l->d_partitions[0].p_offset = 200;
	l->d_partitions[0].p_size = 1000;
}

static void
overlap(struct disklabel32 *l)
{
	l->d_partitions[3].p_size = 100;
	l->d_partitions[3].p_offset = 5000;
	l->d_partitions[3].p_fstype = FS_BSDFFS;
}

static void
secsize(struct disklabel32 *l)
{
	l->d_secsize = 1024;
}

static void
unit_too_big(struct disklabel32 *l)
{
	l->d_secperunit = SLICE + 1;
}

static void
swap_at_zero(struct disklabel32 *l)
{
	l->d_partitions[0].p_fstype = FS_SWAP;
}

Test(label32, refusals, .timeout = 10)
{
	refused(past_end, "partition extends past end of unit", 0);
	refused(label_area, "overlaps the boot and label area (sectors 0-15)",
	    1);
	refused(overlap, "overlaps an earlier partition", 3);
	refused(secsize, "bytes/sector: must be 512", -1);
	refused(unit_too_big, "sectors/unit: larger than the slice", -1);
	refused(swap_at_zero, "overlaps the boot and label area (sectors 0-15)",
	    0);
}

static void
make64(struct disklabel64 *l)
{
	memset(l, 0, sizeof(*l));
	l->d_magic = DISKMAGIC64;
	l->d_npartitions = 16;
	l->d_total_size = (uint64_t)SLICE * 512;
	l->d_bbase = 4096;
	l->d_pbase = 1 << 20;
	l->d_pstop = l->d_total_size;
	l->d_abase = l->d_pstop;
	l->d_partitions[0].p_boffset = 1 << 20;
	l->d_partitions[0].p_bsize = 32 << 20;
	l->d_partitions[0].p_fstype = FS_BSDFFS;
	dl64_setcrc(l);
}

Test(label64, read_crc_and_errors, .timeout = 10)
{
	static struct disklabel64 l, r;
	struct dl_label any;
	int bad;

	make64(&l);
	memset(disk, 0, sizeof(disk));
	memcpy(disk, &l, sizeof(l));
	cr_assert_null(dl64_read(disk, sizeof(disk), &r));
	cr_assert_eq(memcmp(&l, &r, sizeof(l)), 0);
	cr_assert_null(dl64_check(&r, (uint64_t)SLICE * 512, &bad));
	/* The CRC is zlib's over d_magic.. with d_crc as zero. */
	r.d_crc = 0;
	cr_assert_eq(l.d_crc,
	    (uint32_t)crc32(0, (const Bytef *)&r + 512,
		DISKLABEL64_SIZE(16) - 512));
	/* dl_read_label falls back to 64 when there is no disklabel32. */
	cr_assert_null(dl_read_label(disk, sizeof(disk), &any));
	cr_assert_eq(any.kind, 64);

	disk[800] ^= 1;
	cr_assert_str_eq(dl64_read(disk, sizeof(disk), &r),
	    "disklabel64 corrupted, bad CRC");
	l.d_npartitions = 17;
	memcpy(disk, &l, sizeof(l));
	cr_assert_str_eq(dl64_read(disk, sizeof(disk), &r),
	    "disklabel64 corrupted, too many partitions");
	memset(disk, 0, sizeof(disk));
	cr_assert_str_eq(dl64_read(disk, sizeof(disk), &r), "no disk label");
	cr_assert_str_eq(dl_read_label(disk, sizeof(disk), &any),
	    "no disk label");

	make64(&l);
	l.d_partitions[1].p_boffset = 2 << 20;
	l.d_partitions[1].p_bsize = 1 << 20;
	cr_assert_str_eq(dl64_check(&l, (uint64_t)SLICE * 512, &bad),
	    "overlaps an earlier partition");
	cr_assert_eq(bad, 1);
	make64(&l);
	cr_assert_str_eq(dl64_check(&l, (uint64_t)SLICE * 256, &bad),
	    "d_total_size: larger than the slice");
}

static void
mbr_entry(int i, uint8_t flag, uint8_t type, uint32_t start, uint32_t size)
{
	struct dos_partition dp = { 0 };

	dp.dp_flag = flag;
	dp.dp_typ = type;
	dp.dp_start = start;
	dp.dp_size = size;
	memcpy(disk + DOSPARTOFF + 16 * i, &dp, sizeof(dp));
	disk[510] = 0x55;
	disk[511] = 0xaa;
}

Test(slices, probe, .timeout = 10)
{
	struct dl_slices s;

	memset(disk, 0, sizeof(disk));
	cr_assert_null(dl_probe_slices(disk, 512, SLICE, &s));
	cr_assert(!s.mbr);
	cr_assert_eq(s.s[0].offset, 0);
	cr_assert_eq(s.s[0].size, SLICE);
	cr_assert_eq(s.s[1].size, 0);
	cr_assert_str_eq(dl_probe_slices(disk, 100, SLICE, &s), "no sector 0");

	mbr_entry(0, 0x80, DOSPTYP_386BSD, 63, 1000);
	mbr_entry(2, 0, 0x83, 2000, SLICE); /* runs past the end */
	cr_assert_null(dl_probe_slices(disk, 512, SLICE, &s));
	cr_assert(s.mbr);
	cr_assert_eq(s.s[0].size, 0);
	cr_assert_eq(s.s[1].offset, 63);
	cr_assert_eq(s.s[1].size, 1000);
	cr_assert_eq(s.s[1].type, DOSPTYP_386BSD);
	cr_assert_eq(s.s[2].size, 0);
	cr_assert_eq(s.s[3].offset, 2000);
	cr_assert_eq(s.s[3].size, SLICE - 2000);
	cr_assert(s.s[3].truncated);

	/* A boot sector whose "flags" are code is not a table. */
	mbr_entry(1, 0x33, 0x07, 5, 5);
	cr_assert_null(dl_probe_slices(disk, 512, SLICE, &s));
	cr_assert(!s.mbr);
	cr_assert_eq(s.s[0].size, SLICE);

	/* A signature with no entry in use: still s0. */
	memset(disk, 0, sizeof(disk));
	mbr_entry(0, 0, 0, 0, 0);
	cr_assert_null(dl_probe_slices(disk, 512, SLICE, &s));
	cr_assert(!s.mbr);
}
