/*
 * dl_text.c - the text form of a disk label: printing it, and parsing it
 * back for disklabel -R and -e the way BSD's disklabel(8) does, '*' sizes
 * and offsets included.  Only the result is trusted: every label parsed
 * goes through the shared dl32_check() before disklabel.c writes it.
 */
#include <ctype.h>
#include <err.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/tools/disklabel/dl_private.h"

static const char *const dktypenames[] = { "unknown", "SMD", "MSCP", "old DEC",
	"SCSI", "ESDI", "ST506", "HP-IB", "HP-FL", "type 9", "floppy", "CCD",
	"Vinum", "DOC2K", "Raid" };
#define NDKTYPES (sizeof(dktypenames) / sizeof(dktypenames[0]))

static const char *const fstypenames[] = { "unused", "swap", "Version 6",
	"Version 7", "System V", "4.1BSD", "Eighth Edition", "4.2BSD", "MSDOS",
	"4.4LFS", "unknown", "HPFS", "ISO9660", "boot", "vinum", "raid" };
#define NFSTYPES (sizeof(fstypenames) / sizeof(fstypenames[0]))

/* A partition line as written, before sizes and offsets are resolved. */
struct partspec {
	bool set;
	char size_unit;	  /* '\0', '*', '%', 'k', 'm', 'g', 't' */
	char offset_unit; /* '\0' or '*' */
	uint64_t size;
	uint64_t offset;
	unsigned fstype;
};

struct parse {
	struct disklabel32 *lp;
	struct partspec ps[MAXPARTITIONS32];
	int lineno;
	int errors;
};

void
dl_text_print32(FILE *f, const char *name, const struct disklabel32 *lp,
    uint64_t slice_off)
{
	int i, last;

	fprintf(f, "# %s:\n", name);
	if (lp->d_type < NDKTYPES)
		fprintf(f, "type: %s\n", dktypenames[lp->d_type]);
	else
		fprintf(f, "type: %u\n", lp->d_type);
	fprintf(f, "disk: %.*s\n", (int)sizeof(lp->d_typename), lp->d_typename);
	fprintf(f, "label: %.*s\n", (int)sizeof(lp->d_packname),
	    lp->d_packname);
	fprintf(f, "flags:\n");
	fprintf(f, "bytes/sector: %u\n", lp->d_secsize);
	fprintf(f, "sectors/track: %u\n", lp->d_nsectors);
	fprintf(f, "tracks/cylinder: %u\n", lp->d_ntracks);
	fprintf(f, "sectors/cylinder: %u\n", lp->d_secpercyl);
	fprintf(f, "cylinders: %u\n", lp->d_ncylinders);
	fprintf(f, "sectors/unit: %u\n", lp->d_secperunit);
	fprintf(f, "rpm: %u\n", lp->d_rpm);
	fprintf(f, "interleave: %u\n", lp->d_interleave);
	fprintf(f, "trackskew: %u\n", lp->d_trackskew);
	fprintf(f, "cylinderskew: %u\n", lp->d_cylskew);
	fprintf(f, "headswitch: %u\t\t# milliseconds\n", lp->d_headswitch);
	fprintf(f, "track-to-track seek: %u\t# milliseconds\n", lp->d_trkseek);
	fprintf(f, "drivedata: ");
	for (last = NDDATA32 - 1; last > 0 && lp->d_drivedata[last] == 0;
	     last--)
		continue;
	for (i = 0; i <= last; i++)
		fprintf(f, "%u ", lp->d_drivedata[i]);
	fprintf(f, "\n\n%u partitions:\n", lp->d_npartitions);
	fprintf(f, "#          size     offset    fstype\n");
	for (i = 0; i < lp->d_npartitions && i < MAXPARTITIONS32; i++) {
		const struct partition32 *pp = &lp->d_partitions[i];
		uint64_t off = pp->p_offset;

		if (pp->p_size == 0)
			continue;
		if (off >= slice_off)
			off -= slice_off;
		fprintf(f, "  %c: %10u %10" PRIu64 "  ", 'a' + i, pp->p_size,
		    off);
		if (pp->p_fstype < NFSTYPES)
			fprintf(f, "%8.8s", fstypenames[pp->p_fstype]);
		else
			fprintf(f, "%8d", pp->p_fstype);
		fprintf(f, "\t# %11.3fMB\n",
		    (double)pp->p_size * lp->d_secsize / (1024.0 * 1024.0));
	}
}

static void
print_uuid(FILE *f, const struct dl64_uuid *u)
{
	fprintf(f, "%08x-%04x-%04x-%02x%02x-", u->time_low, u->time_mid,
	    u->time_hi_and_version, u->clock_seq_hi_and_reserved,
	    u->clock_seq_low);
	for (int i = 0; i < 6; i++)
		fprintf(f, "%02x", u->node[i]);
}

void
dl_text_print64(FILE *f, const char *name, const struct disklabel64 *lp)
{
	fprintf(f, "# %s:\n#\n", name);
	fprintf(f, "# Calculated informational fields for the slice:\n#\n");
	fprintf(f, "# boot space: %10" PRIu64 " bytes\n",
	    lp->d_pbase - lp->d_bbase);
	fprintf(f, "# data space: %10" PRIu64 " blocks\t# %6.2f MB\n#\n",
	    (lp->d_pstop - lp->d_pbase) / DL_SECSIZE,
	    (double)(lp->d_pstop - lp->d_pbase) / (1024.0 * 1024.0));
	fprintf(f, "diskid: ");
	print_uuid(f, &lp->d_stor_uuid);
	fprintf(f, "\nlabel: %.*s\n", (int)sizeof(lp->d_packname),
	    (const char *)lp->d_packname);
	fprintf(f, "boot2 data base:      0x%012" PRIx64 "\n", lp->d_bbase);
	fprintf(f, "partitions data base: 0x%012" PRIx64 "\n", lp->d_pbase);
	fprintf(f, "partitions data stop: 0x%012" PRIx64 "\n", lp->d_pstop);
	fprintf(f, "backup label:         0x%012" PRIx64 "\n", lp->d_abase);
	fprintf(f, "total size:           0x%012" PRIx64 "\t# %6.2f MB\n",
	    lp->d_total_size, (double)lp->d_total_size / (1024.0 * 1024.0));
	fprintf(f, "alignment: %u\n", lp->d_align);
	fprintf(f, "display block size: 1\t# for partition display only\n");
	fprintf(f, "\n%u partitions:\n", lp->d_npartitions);
	fprintf(f, "#          size     offset    fstype   fsuuid\n");
	for (uint32_t i = 0; i < lp->d_npartitions && i < MAXPARTITIONS64;
	     i++) {
		const struct partition64 *pp = &lp->d_partitions[i];

		if (pp->p_bsize == 0)
			continue;
		fprintf(f, "  %c: %10" PRIu64 " %10" PRIu64 "  ", 'a' + i,
		    pp->p_bsize, pp->p_boffset);
		if (pp->p_fstype < NFSTYPES)
			fprintf(f, "%8.8s", fstypenames[pp->p_fstype]);
		else
			fprintf(f, "%8d", pp->p_fstype);
		fprintf(f, "\t# %11.3fMB\n",
		    (double)pp->p_bsize / (1024.0 * 1024.0));
	}
}

static void perr(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
perr(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "line %d: ", p->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->errors++;
}

/* Copies s into a fixed field, NUL-padded, unterminated when full. */
static void
setname(char *field, size_t size, const char *s)
{
	size_t n = strlen(s);

	memset(field, 0, size);
	memcpy(field, s, n < size ? n : size);
}

/* A number from 1 (or 0 when zero_ok) to max, the whole of s. */
static bool
number(struct parse *p, const char *key, const char *s, uint64_t max,
    bool zero_ok, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s)) {
		perr(p, "%s: not a number", key);
		return (false);
	}
	v = strtoull(s, &end, 10);
	if (*end != '\0' || v > max || (v == 0 && !zero_ok)) {
		fprintf(stderr, "line %d: %s: bad %s\n", p->lineno, s, key);
		p->errors++;
		return (false);
	}
	*out = v;
	return (true);
}

static bool
lookup(const char *const *names, size_t n, const char *s, unsigned *out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(names[i], s) == 0) {
			*out = (unsigned)i;
			return (true);
		}
	}
	return (false);
}

/* "x: size offset fstype"; the size and offset may carry a unit. */
static void
parse_partition(struct parse *p, int part, char *val)
{
	struct partspec *ps = &p->ps[part];
	char *w[3], *save, *end;
	int n = 0;

	for (char *t = strtok_r(val, " \t", &save); t != NULL;
	     t = strtok_r(NULL, " \t", &save))
		if (n < 3)
			w[n++] = t;
		else
			n++;
	if (n < 3) {
		perr(p, "%s", "too few fields: size offset fstype");
		return;
	}
	ps->set = true;
	if (strcmp(w[0], "*") == 0) {
		ps->size_unit = '*';
	} else {
		ps->size = strtoull(w[0], &end, 10);
		ps->size_unit = (char)tolower((unsigned char)*end);
		if (!isdigit((unsigned char)*w[0]) || ps->size == 0 ||
		    (*end != '\0' &&
			(end[1] != '\0' ||
			    strchr("%kmgt", ps->size_unit) == NULL)))
			perr(p, "%s: bad partition size", w[0]);
	}
	if (strcmp(w[1], "*") == 0) {
		ps->offset_unit = '*';
	} else {
		ps->offset = strtoull(w[1], &end, 10);
		if (!isdigit((unsigned char)*w[1]) || *end != '\0')
			perr(p, "%s: bad partition offset", w[1]);
	}
	if (!lookup(fstypenames, NFSTYPES, w[2], &ps->fstype)) {
		uint64_t v;

		if (!number(p, "fstype", w[2], 255, true, &v))
			return;
		ps->fstype = (unsigned)v;
	}
	if (n > 3)
		fprintf(stderr,
		    "line %d: Warning, fragment, block, and bps/cpg fields "
		    "are no longer supported and must be specified via newfs "
		    "options instead.\n",
		    p->lineno);
}

/* A "key: value" line that is not a partition. */
static void
parse_field(struct parse *p, const char *key, char *val)
{
	struct disklabel32 *lp = p->lp;
	uint64_t v;
	unsigned t;

	if (strcmp(key, "type") == 0) {
		if (lookup(dktypenames, NDKTYPES, val, &t))
			lp->d_type = (uint16_t)t;
		else if (number(p, key, val, UINT16_MAX, true, &v))
			lp->d_type = (uint16_t)v;
	} else if (strcmp(key, "disk") == 0) {
		setname(lp->d_typename, sizeof(lp->d_typename), val);
	} else if (strcmp(key, "label") == 0) {
		setname(lp->d_packname, sizeof(lp->d_packname), val);
	} else if (strcmp(key, "flags") == 0) {
		if (*val != '\0')
			perr(p, "%s: bad flag", val);
	} else if (strcmp(key, "drivedata") == 0) {
		char *save, *tok;
		int i = 0;

		for (tok = strtok_r(val, " \t", &save); tok != NULL && i < 5;
		     tok = strtok_r(NULL, " \t", &save))
			if (number(p, key, tok, UINT32_MAX, true, &v))
				lp->d_drivedata[i++] = (uint32_t)v;
	} else if (strcmp(key, "bytes/sector") == 0) {
		if (number(p, "sector size", val, UINT32_MAX, false, &v))
			lp->d_secsize = (uint32_t)v;
	} else if (strcmp(key, "sectors/track") == 0) {
		if (number(p, key, val, UINT32_MAX, false, &v))
			lp->d_nsectors = (uint32_t)v;
	} else if (strcmp(key, "tracks/cylinder") == 0) {
		if (number(p, key, val, UINT32_MAX, false, &v))
			lp->d_ntracks = (uint32_t)v;
	} else if (strcmp(key, "sectors/cylinder") == 0) {
		if (number(p, key, val, UINT32_MAX, false, &v))
			lp->d_secpercyl = (uint32_t)v;
	} else if (strcmp(key, "cylinders") == 0) {
		if (number(p, key, val, UINT32_MAX, false, &v))
			lp->d_ncylinders = (uint32_t)v;
	} else if (strcmp(key, "sectors/unit") == 0) {
		if (number(p, key, val, UINT32_MAX, false, &v))
			lp->d_secperunit = (uint32_t)v;
	} else if (strcmp(key, "rpm") == 0) {
		if (number(p, key, val, UINT16_MAX, false, &v))
			lp->d_rpm = (uint16_t)v;
	} else if (strcmp(key, "interleave") == 0) {
		if (number(p, key, val, UINT16_MAX, false, &v))
			lp->d_interleave = (uint16_t)v;
	} else if (strcmp(key, "trackskew") == 0) {
		if (number(p, key, val, UINT16_MAX, true, &v))
			lp->d_trackskew = (uint16_t)v;
	} else if (strcmp(key, "cylinderskew") == 0) {
		if (number(p, key, val, UINT16_MAX, true, &v))
			lp->d_cylskew = (uint16_t)v;
	} else if (strcmp(key, "headswitch") == 0) {
		if (number(p, key, val, UINT32_MAX, true, &v))
			lp->d_headswitch = (uint32_t)v;
	} else if (strcmp(key, "track-to-track seek") == 0) {
		if (number(p, key, val, UINT32_MAX, true, &v))
			lp->d_trkseek = (uint32_t)v;
	} else if (key[0] >= 'a' && key[0] < 'a' + MAXPARTITIONS32 &&
	    key[1] == '\0') {
		if (key[0] - 'a' >= lp->d_npartitions)
			perr(p, "partition name out of range a-%c: %s",
			    'a' + lp->d_npartitions - 1, key);
		else
			parse_partition(p, key[0] - 'a', val);
	} else {
		perr(p, "%s: Unknown disklabel field", key);
	}
}

/* Strips the comment and the blanks around s; returns the rest. */
static char *
trim(char *s)
{
	char *e;

	s[strcspn(s, "#\n")] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return (s);
}

static void
parse_lines(struct parse *p, FILE *f)
{
	char line[1024];
	unsigned long n;
	char extra;

	while (fgets(line, sizeof(line), f) != NULL) {
		char *s, *colon;

		p->lineno++;
		s = trim(line);
		if (*s == '\0')
			continue;
		if (sscanf(s, "%lu partitions%c", &n, &extra) == 2 &&
		    extra == ':') {
			if (n == 0 || n > MAXPARTITIONS32)
				perr(p, "%s", "bad # of partitions");
			else
				p->lp->d_npartitions = (uint16_t)n;
			continue;
		}
		if ((colon = strchr(s, ':')) == NULL) {
			perr(p, "%s", "syntax error");
			continue;
		}
		*colon = '\0';
		parse_field(p, trim(s), trim(colon + 1));
	}
}

/* Sectors of a partition size with its unit; % and * are left alone. */
static uint64_t
to_sectors(const struct partspec *ps)
{
	uint64_t v = ps->size;

	switch (ps->size_unit) {
	case 't':
		v *= 1024;
		/* FALLTHROUGH */
	case 'g':
		v *= 1024;
		/* FALLTHROUGH */
	case 'm':
		v *= 1024;
		/* FALLTHROUGH */
	case 'k':
		return (v * 1024 / DL_SECSIZE);
	default:
		return (v);
	}
}

/*
 * The '*' partition gets the room between its fixed neighbours less what
 * the '*'-offset partitions around it need, as BSD's checklabel does.
 */
static bool
size_hog(struct parse *p, int hog, uint64_t *size)
{
	const struct disklabel32 *lp = p->lp;
	uint64_t lo = BBSIZE32 / DL_SECSIZE, hi = lp->d_secperunit;
	uint64_t needed = 0;

	for (int j = hog - 1; j >= 0; j--) {
		const struct partspec *q = &p->ps[j];

		if (!q->set || j == RAW_PART)
			continue;
		if (q->offset_unit == '*') {
			needed += q->size;
			continue;
		}
		lo = q->offset + q->size;
		break;
	}
	for (int j = lp->d_npartitions - 1; j > hog; j--) {
		const struct partspec *q = &p->ps[j];

		if (!q->set || j == RAW_PART)
			continue;
		if (q->offset_unit == '*')
			needed += q->size;
		else
			hi = q->offset;
	}
	if (hi <= lo || hi - lo <= needed) {
		fprintf(stderr, "Cannot find space for partition %c\n",
		    'a' + hog);
		p->errors++;
		return (false);
	}
	*size = hi - lo - needed;
	return (true);
}

/* Resolves '*' and '%' sizes and '*' offsets. */
static void
resolve(struct parse *p)
{
	const struct disklabel32 *lp = p->lp;
	const uint64_t base = BBSIZE32 / DL_SECSIZE;
	uint64_t fixed = 0, pct = 0, freesp, cur = base;
	int hog = -1;

	for (int i = 0; i < lp->d_npartitions; i++) {
		struct partspec *ps = &p->ps[i];

		if (!ps->set)
			continue;
		if (ps->size_unit == '*' && i == RAW_PART) {
			ps->size = lp->d_secperunit;
		} else if (ps->size_unit == '*') {
			if (hog >= 0) {
				fprintf(stderr,
				    "Too many '*' partitions (%c and %c)\n",
				    'a' + hog, 'a' + i);
				p->errors++;
			}
			hog = i;
		} else if (ps->size_unit == '%') {
			pct += ps->size;
		} else {
			ps->size = to_sectors(ps);
			if (i != RAW_PART)
				fixed += ps->size;
		}
	}
	if (pct > 100) {
		fprintf(stderr, "total percentage %ju is greater than 100\n",
		    (uintmax_t)pct);
		p->errors++;
	}
	freesp = lp->d_secperunit > base + fixed ?
	    lp->d_secperunit - base - fixed :
	    0;
	for (int i = 0; i < lp->d_npartitions; i++)
		if (p->ps[i].set && p->ps[i].size_unit == '%')
			p->ps[i].size = p->ps[i].size * freesp / 100;
	if (hog >= 0 && !size_hog(p, hog, &p->ps[hog].size))
		return;
	for (int i = 0; i < lp->d_npartitions; i++) {
		struct partspec *ps = &p->ps[i];

		if (!ps->set)
			continue;
		if (ps->offset_unit == '*')
			ps->offset = i == RAW_PART ? 0 : cur;
		if (i != RAW_PART)
			cur = ps->offset + ps->size;
	}
}

int
dl_text_parse(FILE *f, struct disklabel32 *lp, uint64_t slice_off,
    uint64_t slice_size)
{
	struct parse p;
	const char *msg;
	int bad;

	memset(&p, 0, sizeof(p));
	memset(lp, 0, sizeof(*lp));
	p.lp = lp;
	lp->d_npartitions = MAXPARTITIONS32;
	lp->d_bbsize = BBSIZE32;
	lp->d_sbsize = SBSIZE32;
	parse_lines(&p, f);
	if (ferror(f)) {
		warn("reading the label");
		return (p.errors + 1);
	}
	if (lp->d_secpercyl == 0)
		lp->d_secpercyl = lp->d_nsectors * lp->d_ntracks;
	if (lp->d_secperunit == 0)
		lp->d_secperunit = lp->d_secpercyl * lp->d_ncylinders;
	if (p.errors == 0)
		resolve(&p);
	for (int i = 0; i < MAXPARTITIONS32 && p.errors == 0; i++) {
		struct partspec *ps = &p.ps[i];
		struct partition32 *pp = &lp->d_partitions[i];

		if (!ps->set)
			continue;
		if (ps->size > UINT32_MAX ||
		    ps->offset + slice_off > UINT32_MAX) {
			fprintf(stderr, "partition %c: beyond 2^32 sectors\n",
			    'a' + i);
			p.errors++;
			break;
		}
		pp->p_size = (uint32_t)ps->size;
		pp->p_offset = (uint32_t)(ps->offset + slice_off);
		pp->p_fstype = (uint8_t)ps->fstype;
	}
	if (p.errors != 0)
		return (p.errors);
	lp->d_magic = lp->d_magic2 = DISKMAGIC32;
	dl32_setchecksum(lp);
	if ((msg = dl32_check(lp, slice_off, slice_size, &bad)) != NULL) {
		if (bad >= 0)
			fprintf(stderr, "partition %c: %s\n", 'a' + bad, msg);
		else
			fprintf(stderr, "%s\n", msg);
		return (1);
	}
	return (0);
}
