/*
 * cd9660_mkimg.c - the tiny ISO 9660 image writer of cd9660_mkimg.h.
 * Nothing here checks its input: tests use it to write corrupt images.
 */
#include <errno.h>
#include <string.h>

#include "runtime/vfs/cd9660/tests/cd9660_mkimg.h"

int
mkimg_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct mkimg_mem *m = ctx;

	if (off > m->len || len > m->len - off)
		return (EIO);
	memcpy(buf, m->p + off, len);
	return (0);
}

void
mkimg_733(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
		p[7 - i] = (uint8_t)(v >> (8 * i));
	}
}

void
mkimg_723(uint8_t *p, uint16_t v)
{
	p[0] = p[3] = (uint8_t)v;
	p[1] = p[2] = (uint8_t)(v >> 8);
}

void
mkimg_su_raw(struct mkimg_su *su, const char *sig, const void *data, size_t len)
{
	uint8_t *e = su->b + su->n;

	e[0] = (uint8_t)sig[0];
	e[1] = (uint8_t)sig[1];
	e[2] = (uint8_t)(len + 4);
	e[3] = 1;
	memcpy(e + 4, data, len);
	su->n += len + 4;
}

void
mkimg_su_sp(struct mkimg_su *su, uint8_t skip)
{
	uint8_t d[3] = { 0xbe, 0xef, skip };

	mkimg_su_raw(su, "SP", d, sizeof(d));
}

void
mkimg_su_er(struct mkimg_su *su, const char *id)
{
	uint8_t d[64];
	size_t n = strlen(id);

	d[0] = (uint8_t)n;
	d[1] = d[2] = 0;
	d[3] = 1;
	memcpy(d + 4, id, n);
	mkimg_su_raw(su, "ER", d, 4 + n);
}

void
mkimg_su_px(struct mkimg_su *su, uint32_t mode, uint32_t nlink, uint32_t uid,
    uint32_t gid)
{
	uint8_t d[32];

	mkimg_733(d, mode);
	mkimg_733(d + 8, nlink);
	mkimg_733(d + 16, uid);
	mkimg_733(d + 24, gid);
	mkimg_su_raw(su, "PX", d, sizeof(d));
}

void
mkimg_su_nm(struct mkimg_su *su, uint8_t flags, const char *name)
{
	uint8_t d[255];
	size_t n = strlen(name);

	d[0] = flags;
	memcpy(d + 1, name, n);
	mkimg_su_raw(su, "NM", d, 1 + n);
}

void
mkimg_su_ce(struct mkimg_su *su, uint32_t blk, uint32_t off, uint32_t len)
{
	uint8_t d[24];

	mkimg_733(d, blk);
	mkimg_733(d + 8, off);
	mkimg_733(d + 16, len);
	mkimg_su_raw(su, "CE", d, sizeof(d));
}

void
mkimg_su_loc(struct mkimg_su *su, const char *sig, uint32_t blk)
{
	uint8_t d[8];

	mkimg_733(d, blk);
	mkimg_su_raw(su, sig, d, sizeof(d));
}

void
mkimg_su_tf(struct mkimg_su *su, int y, int mo, int d, int h, int mi, int s)
{
	uint8_t b[15] = { 0x06 }, *t;
	int i;

	for (i = 0; i < 2; i++) {
		t = b + 1 + 7 * i;
		t[0] = (uint8_t)(y - 1900);
		t[1] = (uint8_t)mo;
		t[2] = (uint8_t)d;
		t[3] = (uint8_t)h;
		t[4] = (uint8_t)mi;
		t[5] = (uint8_t)s;
		t[6] = 0;
	}
	mkimg_su_raw(su, "TF", b, sizeof(b));
}

void
mkimg_su_sl(struct mkimg_su *su, const char *path)
{
	uint8_t d[250];
	size_t n = 1, len;
	const char *p = path, *slash;

	d[0] = 0;
	if (*p == '/') {
		d[n++] = 0x08;
		d[n++] = 0;
		p++;
	}
	while (*p != '\0') {
		slash = strchr(p, '/');
		len = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (len == 1 && p[0] == '.') {
			d[n++] = 0x02;
			d[n++] = 0;
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			d[n++] = 0x04;
			d[n++] = 0;
		} else {
			d[n++] = 0;
			d[n++] = (uint8_t)len;
			memcpy(d + n, p, len);
			n += len;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	mkimg_su_raw(su, "SL", d, n);
}

size_t
mkimg_rec(uint8_t *p, uint32_t extent, uint32_t size, uint8_t flags,
    const char *name, size_t namelen, const struct mkimg_su *su)
{
	static const uint8_t date[7] = { 101, 9, 9, 1, 46, 40, 0 };
	size_t len = 33 + namelen;

	if (namelen % 2 == 0)
		len++;
	memset(p, 0, len);
	if (su != NULL) {
		memcpy(p + len, su->b, su->n);
		len += su->n;
	}
	p[0] = (uint8_t)len;
	mkimg_733(p + 2, extent);
	mkimg_733(p + 10, size);
	memcpy(p + 18, date, sizeof(date));
	p[25] = flags;
	mkimg_723(p + 28, 1);
	p[32] = (uint8_t)namelen;
	memcpy(p + 33, name, namelen);
	return (len);
}

void
mkimg_pvd(uint8_t *img, uint32_t nblocks, uint32_t root_blk, uint32_t root_size)
{
	uint8_t *vd = img + 16 * MKIMG_BLOCK;

	memset(vd, 0, 2 * MKIMG_BLOCK);
	vd[0] = 1;
	memcpy(vd + 1, "CD001", 5);
	vd[6] = 1;
	memset(vd + 8, ' ', 64);
	memcpy(vd + 40, "SAMPLE", 6);
	mkimg_733(vd + 80, nblocks);
	mkimg_723(vd + 120, 1);
	mkimg_723(vd + 124, 1);
	mkimg_723(vd + 128, MKIMG_BLOCK);
	mkimg_rec(vd + 156, root_blk, root_size, 0x02, "", 1, NULL);
	vd[881] = 1;
	vd += MKIMG_BLOCK;
	vd[0] = 255;
	memcpy(vd + 1, "CD001", 5);
	vd[6] = 1;
}

/* Writes "." and ".." at p; returns their length. */
static size_t
dots(uint8_t *p, uint32_t self, uint32_t parent, const struct mkimg_su *dot,
    const struct mkimg_su *dotdot)
{
	size_t n;

	n = mkimg_rec(p, self, MKIMG_BLOCK, 0x02, "\0", 1, dot);
	return (n +
	    mkimg_rec(p + n, parent, MKIMG_BLOCK, 0x02, "\1", 1, dotdot));
}

#define SU_RESET(su) ((su).n = 0)
#define SU(su)	     (rr ? &(su) : NULL)

void
mkimg_sample(uint8_t *img, int rr)
{
	struct mkimg_su a, b;
	uint8_t *p;

	memset(img, 0, MKIMG_SAMPLE_BLOCKS * MKIMG_BLOCK);
	mkimg_pvd(img, MKIMG_SAMPLE_BLOCKS, 18, MKIMG_BLOCK);

	/* Root (18). */
	p = img + 18 * MKIMG_BLOCK;
	SU_RESET(a);
	mkimg_su_sp(&a, 0);
	mkimg_su_er(&a, "RRIP_1991A");
	mkimg_su_px(&a, 040755, 4, 0, 0);
	mkimg_su_tf(&a, 2001, 9, 9, 1, 46, 40);
	SU_RESET(b);
	mkimg_su_px(&b, 040755, 4, 0, 0);
	p += dots(p, 18, 18, SU(a), SU(b));
	SU_RESET(a);
	mkimg_su_nm(&a, 0, "hello.txt");
	mkimg_su_px(&a, 0100644, 1, 1000, 100);
	mkimg_su_tf(&a, 2001, 9, 9, 1, 46, 40);
	p += mkimg_rec(p, 21, 6, 0, "HELLO.TXT;1", 11, SU(a));
	SU_RESET(a);
	mkimg_su_nm(&a, 0, "link");
	mkimg_su_px(&a, 0120777, 1, 0, 0);
	mkimg_su_sl(&a, "/usr/bin");
	p += mkimg_rec(p, 0, 0, 0, "LINK.;1", 7, SU(a));
	SU_RESET(a);
	mkimg_su_nm(&a, 1, "a_long_name_");
	mkimg_su_ce(&a, 20, 0, 200);
	p += mkimg_rec(p, 21, 6, 0, "LONG.TXT;1", 10, SU(a));
	SU_RESET(a);
	mkimg_su_nm(&a, 0, "moved");
	mkimg_su_px(&a, 040755, 2, 0, 0);
	mkimg_su_loc(&a, "CL", 22);
	if (rr)
		p += mkimg_rec(p, 0, 0, 0, "MOVED", 5, &a);
	else
		p += mkimg_rec(p, 22, MKIMG_BLOCK, 0x02, "MOVED", 5, NULL);
	SU_RESET(a);
	mkimg_su_nm(&a, 0, "rr_moved");
	mkimg_su_px(&a, 040755, 2, 0, 0);
	p += mkimg_rec(p, 23, MKIMG_BLOCK, 0x02, "RR_MOVED", 8, SU(a));
	SU_RESET(a);
	mkimg_su_nm(&a, 0, "sub");
	mkimg_su_px(&a, 040700, 2, 0, 0);
	p += mkimg_rec(p, 19, MKIMG_BLOCK, 0x02, "SUB", 3, SU(a));

	/* sub (19). */
	p = img + 19 * MKIMG_BLOCK;
	SU_RESET(a);
	mkimg_su_px(&a, 040700, 2, 0, 0);
	p += dots(p, 19, 18, SU(a), SU(a));
	SU_RESET(a);
	mkimg_su_nm(&a, 0, "empty");
	mkimg_su_px(&a, 0100600, 1, 0, 0);
	p += mkimg_rec(p, 0, 0, 0, "EMPTY.;1", 8, SU(a));

	/* The continuation area of the long name (20). */
	p = img + 20 * MKIMG_BLOCK;
	SU_RESET(a);
	mkimg_su_nm(&a, 0, "continued_in_a_ce_area");
	mkimg_su_px(&a, 0100444, 1, 0, 0);
	memcpy(p, a.b, a.n);

	memcpy(img + 21 * MKIMG_BLOCK, "hello\n", 6);

	/* moved (22), relocated from / into rr_moved. */
	p = img + 22 * MKIMG_BLOCK;
	SU_RESET(a);
	mkimg_su_px(&a, 040755, 2, 0, 0);
	SU_RESET(b);
	mkimg_su_px(&b, 040755, 4, 0, 0);
	mkimg_su_loc(&b, "PL", 18);
	p += dots(p, 22, 23, SU(a), SU(b));
	SU_RESET(a);
	mkimg_su_nm(&a, 0, "inner");
	mkimg_su_px(&a, 0100644, 1, 0, 0);
	p += mkimg_rec(p, 24, 6, 0, "INNER.;1", 8, SU(a));

	/* rr_moved (23). */
	p = img + 23 * MKIMG_BLOCK;
	SU_RESET(a);
	mkimg_su_px(&a, 040755, 2, 0, 0);
	p += dots(p, 23, 18, SU(a), SU(a));
	if (rr) {
		SU_RESET(a);
		mkimg_su_nm(&a, 0, "moved");
		mkimg_su_px(&a, 040755, 2, 0, 0);
		mkimg_su_raw(&a, "RE", "", 0);
		p += mkimg_rec(p, 22, MKIMG_BLOCK, 0x02, "MOVED", 5, &a);
	}

	memcpy(img + 24 * MKIMG_BLOCK, "inner\n", 6);
}

size_t
mkimg_find(const uint8_t *img, uint32_t blk, const char *isoname)
{
	size_t off = (size_t)blk * MKIMG_BLOCK, end = off + MKIMG_BLOCK;
	size_t n = strlen(isoname);

	while (off < end && img[off] != 0) {
		if (img[off + 32] == n &&
		    memcmp(img + off + 33, isoname, n) == 0)
			return (off);
		off += img[off];
	}
	return (0);
}
