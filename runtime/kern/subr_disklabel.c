/*
 * subr_disklabel.c - slices, disklabel32 and disklabel64: reading,
 * checksums and geometry checks shared by the kernel and the image tools.
 *
 * The formats are in runtime/sys/disklabel32.h, disklabel64.h and
 * diskmbr.h; the contract is runtime/sys/disklabel.h.  Everything here
 * works on bytes the caller read, copies labels out with memcpy (the
 * buffers need not be aligned) and never trusts a count from the disk
 * before bounding it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/sys/disklabel.h"

/* The reflected CRC-32 polynomial of zlib, Ethernet and disklabel64. */
#define CRC32_POLY 0xedb88320u

static uint32_t crc_table[256];
static bool crc_table_ready;

static void
crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ CRC32_POLY : c >> 1;
		crc_table[i] = c;
	}
	crc_table_ready = true;
}

uint32_t
dl_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	/* Idempotent: a race between two first callers fills it twice. */
	if (!crc_table_ready)
		crc_init();
	crc = ~crc;
	while (len-- > 0)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return (~crc);
}

uint16_t
dl32_checksum(const struct disklabel32 *lp)
{
	const uint8_t *p = (const uint8_t *)lp;
	unsigned n = lp->d_npartitions;
	size_t len;
	uint16_t sum = 0;

	if (n > MAXPARTITIONS32)
		n = MAXPARTITIONS32;
	len = DISKLABEL32_SIZE(n);
	for (size_t i = 0; i + 1 < len; i += 2)
		sum ^= (uint16_t)(p[i] | p[i + 1] << 8);
	return (sum);
}

void
dl32_setchecksum(struct disklabel32 *lp)
{
	lp->d_checksum = 0;
	lp->d_checksum = dl32_checksum(lp);
}

uint32_t
dl64_crc(const struct disklabel64 *lp)
{
	const uint8_t *p = (const uint8_t *)lp;
	static const uint8_t zero[4];
	uint32_t n = lp->d_npartitions;
	size_t crcoff = offsetof(struct disklabel64, d_crc);
	size_t end;
	uint32_t crc;

	if (n > MAXPARTITIONS64)
		n = MAXPARTITIONS64;
	end = DISKLABEL64_SIZE(n);
	crc = dl_crc32(0, p + DISKLABEL64_CRCBASE,
	    crcoff - DISKLABEL64_CRCBASE);
	crc = dl_crc32(crc, zero, sizeof(zero));
	return (dl_crc32(crc, p + crcoff + 4, end - crcoff - 4));
}

void
dl64_setcrc(struct disklabel64 *lp)
{
	lp->d_crc = dl64_crc(lp);
}

const char *
dl32_read(const void *buf, size_t len, struct disklabel32 *lp)
{
	const uint8_t *sec = (const uint8_t *)buf + LABELSECTOR32 * DL_SECSIZE;
	size_t off;

	if (len < (LABELSECTOR32 + 1) * DL_SECSIZE)
		return ("no disk label");
	/* The kernel scans the sector in steps of sizeof(long). */
	for (off = LABELOFFSET32; off + sizeof(*lp) <= DL_SECSIZE; off += 8) {
		uint32_t magic, magic2;

		memcpy(&magic, sec + off, 4);
		memcpy(&magic2,
		    sec + off + offsetof(struct disklabel32, d_magic2), 4);
		if (magic != DISKMAGIC32 || magic2 != DISKMAGIC32)
			continue;
		memcpy(lp, sec + off, sizeof(*lp));
		if (lp->d_npartitions > MAXPARTITIONS32 ||
		    dl32_checksum(lp) != 0)
			return ("disk label corrupted");
		return (NULL);
	}
	return ("no disk label");
}

const char *
dl64_read(const void *buf, size_t len, struct disklabel64 *lp)
{
	if (len < sizeof(*lp))
		return ("no disk label");
	memcpy(lp, buf, sizeof(*lp));
	if (lp->d_magic != DISKMAGIC64)
		return ("no disk label");
	if (lp->d_npartitions > MAXPARTITIONS64)
		return ("disklabel64 corrupted, too many partitions");
	if (dl64_crc(lp) != lp->d_crc)
		return ("disklabel64 corrupted, bad CRC");
	return (NULL);
}

const char *
dl_read_label(const void *buf, size_t len, struct dl_label *lp)
{
	const char *msg;

	lp->kind = 32;
	msg = dl32_read(buf, len, &lp->u.l32);
	if (msg == NULL || strcmp(msg, "no disk label") != 0)
		return (msg);
	lp->kind = 64;
	return (dl64_read(buf, len, &lp->u.l64));
}

/* True when [a, a + as) and [b, b + bs) share a sector. */
static bool
overlaps(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return (as != 0 && bs != 0 && a < b + bs && b < a + as);
}

static const char *
dl32_check_head(const struct disklabel32 *lp, uint64_t slice_size)
{
	if (lp->d_magic != DISKMAGIC32 || lp->d_magic2 != DISKMAGIC32)
		return ("d_magic: not a disklabel32");
	if (lp->d_secsize != DL_SECSIZE)
		return ("bytes/sector: must be 512");
	if (lp->d_nsectors == 0)
		return ("sectors/track: must not be 0");
	if (lp->d_ntracks == 0)
		return ("tracks/cylinder: must not be 0");
	if (lp->d_secpercyl == 0)
		return ("sectors/cylinder: must not be 0");
	if (lp->d_ncylinders == 0)
		return ("cylinders: must not be 0");
	if (lp->d_secperunit == 0)
		return ("sectors/unit: must not be 0");
	if (lp->d_secperunit > slice_size)
		return ("sectors/unit: larger than the slice");
	if (lp->d_npartitions == 0 || lp->d_npartitions > MAXPARTITIONS32)
		return ("partitions: must be 1 to 16");
	if (lp->d_bbsize == 0 || lp->d_bbsize % DL_SECSIZE != 0 ||
	    lp->d_bbsize > 65536)
		return ("boot block size: must be a multiple of 512 up to 64K");
	if (lp->d_sbsize == 0 || lp->d_sbsize > 65536)
		return ("super block size: must be 1 to 64K");
	return (NULL);
}

const char *
dl32_check(const struct disklabel32 *lp, uint64_t slice_off,
    uint64_t slice_size, int *badpart)
{
	const uint64_t labelarea = BBSIZE32 / DL_SECSIZE;
	const char *msg;

	*badpart = -1;
	if ((msg = dl32_check_head(lp, slice_size)) != NULL)
		return (msg);
	for (int i = 0; i < lp->d_npartitions; i++) {
		const struct partition32 *pp = &lp->d_partitions[i];
		uint64_t off;

		*badpart = i;
		if (pp->p_size == 0) {
			if (pp->p_fstype != FS_UNUSED)
				return ("size 0 but a file system type");
			continue;
		}
		if (pp->p_offset < slice_off)
			return ("starts before the slice");
		off = pp->p_offset - slice_off;
		if (off >= lp->d_secperunit)
			return ("offset past end of unit");
		if (off + pp->p_size > lp->d_secperunit)
			return ("partition extends past end of unit");
		if (i == RAW_PART)
			continue;
		if (off < labelarea && (off != 0 || pp->p_fstype != FS_BSDFFS))
			return ("overlaps the boot and label area "
				"(sectors 0-15)");
		for (int j = 0; j < i; j++) {
			const struct partition32 *qp = &lp->d_partitions[j];

			if (j != RAW_PART &&
			    overlaps(pp->p_offset, pp->p_size, qp->p_offset,
				qp->p_size))
				return ("overlaps an earlier partition");
		}
	}
	*badpart = -1;
	return (NULL);
}

const char *
dl64_check(const struct disklabel64 *lp, uint64_t slice_bytes, int *badpart)
{
	*badpart = -1;
	if (lp->d_magic != DISKMAGIC64)
		return ("d_magic: not a disklabel64");
	if (lp->d_npartitions > MAXPARTITIONS64)
		return ("d_npartitions: more than 16");
	if (lp->d_total_size == 0 || lp->d_total_size > slice_bytes)
		return ("d_total_size: larger than the slice");
	if (lp->d_bbase > lp->d_pbase || lp->d_pbase > lp->d_pstop ||
	    lp->d_pstop > lp->d_total_size)
		return ("d_pbase/d_pstop: outside the slice");
	if (lp->d_pbase < DISKLABEL64_SIZE(MAXPARTITIONS64))
		return ("d_pbase: overlaps the label");
	for (uint32_t i = 0; i < lp->d_npartitions; i++) {
		const struct partition64 *pp = &lp->d_partitions[i];

		*badpart = (int)i;
		if (pp->p_bsize == 0)
			continue;
		if (pp->p_boffset < lp->d_pbase ||
		    pp->p_boffset >= lp->d_pstop ||
		    pp->p_bsize > lp->d_pstop - pp->p_boffset)
			return ("outside the partition area");
		if (pp->p_boffset % DL_SECSIZE != 0 ||
		    pp->p_bsize % DL_SECSIZE != 0)
			return ("not a whole number of sectors");
		for (uint32_t j = 0; j < i; j++) {
			const struct partition64 *qp = &lp->d_partitions[j];

			if (overlaps(pp->p_boffset, pp->p_bsize, qp->p_boffset,
				qp->p_bsize))
				return ("overlaps an earlier partition");
		}
	}
	*badpart = -1;
	return (NULL);
}

const char *
dl32_virgin(struct disklabel32 *lp, uint64_t slice_off, uint64_t slice_size)
{
	struct partition32 *raw = &lp->d_partitions[RAW_PART];

	if (slice_size >= (uint64_t)1 << 32 ||
	    slice_off + slice_size >= (uint64_t)1 << 32)
		return ("The media is too large for a 32 bit disklabel, "
			"please use disklabel64.");
	if (slice_size < 2 * BBSIZE32 / DL_SECSIZE)
		return ("the slice is too small for a disk label");
	memset(lp, 0, sizeof(*lp));
	lp->d_magic = lp->d_magic2 = DISKMAGIC32;
	lp->d_type = DTYPE_UNKNOWN;
	memcpy(lp->d_typename, "amnesiac", sizeof("amnesiac"));
	memcpy(lp->d_packname, "fictitious", sizeof("fictitious"));
	lp->d_secsize = DL_SECSIZE;
	lp->d_nsectors = 32;
	lp->d_ntracks = 64;
	lp->d_secpercyl = lp->d_nsectors * lp->d_ntracks;
	lp->d_secperunit = (uint32_t)slice_size;
	lp->d_ncylinders = lp->d_secperunit / lp->d_secpercyl;
	if (lp->d_ncylinders == 0)
		lp->d_ncylinders = 1;
	lp->d_rpm = 3600;
	lp->d_interleave = 1;
	lp->d_npartitions = MAXPARTITIONS32;
	lp->d_bbsize = BBSIZE32;
	lp->d_sbsize = SBSIZE32;
	raw->p_offset = (uint32_t)slice_off;
	raw->p_size = (uint32_t)slice_size;
	raw->p_fstype = FS_UNUSED;
	dl32_setchecksum(lp);
	return (NULL);
}

const char *
dl_probe_slices(const void *buf, size_t len, uint64_t disk_size,
    struct dl_slices *sp)
{
	const uint8_t *sec = buf;
	struct dos_partition dp[NDOSPART];
	bool used = false;

	memset(sp, 0, sizeof(*sp));
	if (len < DL_SECSIZE)
		return ("no sector 0");
	sp->s[0].size = disk_size;
	if (sec[DOSMAGICOFFSET] != (DOSMAGIC & 0xff) ||
	    sec[DOSMAGICOFFSET + 1] != DOSMAGIC >> 8)
		return (NULL);
	memcpy(dp, sec + DOSPARTOFF, sizeof(dp));
	for (int i = 0; i < NDOSPART; i++) {
		if ((dp[i].dp_flag & 0x7f) != 0)
			return (NULL); /* a boot sector, not a table */
		if (dp[i].dp_typ != 0 && dp[i].dp_size != 0)
			used = true;
	}
	if (!used)
		return (NULL);
	sp->mbr = true;
	sp->s[0].size = 0;
	for (int i = 0; i < NDOSPART; i++) {
		struct dl_slice *s = &sp->s[i + 1];

		if (dp[i].dp_typ == 0 || dp[i].dp_size == 0)
			continue;
		s->type = dp[i].dp_typ;
		s->offset = dp[i].dp_start;
		s->size = dp[i].dp_size;
		if (s->offset >= disk_size) {
			s->size = 0;
			s->truncated = true;
		} else if (s->size > disk_size - s->offset) {
			s->size = disk_size - s->offset;
			s->truncated = true;
		}
	}
	return (NULL);
}
