/*
 * cd9660_vfsops.c - mounting an ISO 9660 image: the volume descriptors,
 * the root directory and the detection of Rock Ridge.
 *
 * The volume descriptor set starts at sector 16 (ECMA-119 6.2.1); the
 * first primary volume descriptor is used, supplementary ones (Joliet)
 * are skipped.  Rock Ridge is on when the System Use area of the root's
 * "." record starts with a SUSP "SP" entry (IEEE P1281 5.3) and has a
 * Rock Ridge "ER" (identifier RRIP_1991A, IEEE_P1282 or IEEE_1282), or an
 * "RR" (RRIP 1.09) or "PX" entry.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/vfs/cd9660/cd9660.h"
#include "runtime/vfs/cd9660/cd9660_private.h"

struct rr_detect {
	int nentries;
	bool sp, rr;
	unsigned int skip;
};

static bool
er_is_rrip(const uint8_t *e)
{
	static const char *const ids[] = { "RRIP_1991A", "IEEE_P1282",
		"IEEE_1282" };
	size_t idlen = e[4], i;

	if (e[2] < 8 || idlen > (size_t)e[2] - 8)
		return (false);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (idlen == strlen(ids[i]) &&
		    memcmp(e + 8, ids[i], idlen) == 0)
			return (true);
	return (false);
}

static int
rr_detect_entry(void *arg, const uint8_t *e)
{
	struct rr_detect *d = arg;

	if (d->nentries++ == 0) {
		if (e[0] != 'S' || e[1] != 'P' || e[2] < 7 || e[4] != 0xbe ||
		    e[5] != 0xef)
			return (-1);
		d->sp = true;
		d->skip = e[6];
		return (0);
	}
	if ((e[0] == 'E' && e[1] == 'R' && er_is_rrip(e)) ||
	    (e[0] == 'R' && e[1] == 'R') || (e[0] == 'P' && e[1] == 'X'))
		d->rr = true;
	return (0);
}

/* Both halves of a both-endian number must agree (ECMA-119 7.2.3, 7.3.3). */
static bool
iso_723_ok(const uint8_t *p, uint32_t *vp)
{
	*vp = (uint32_t)p[0] | (uint32_t)p[1] << 8;
	return (*vp == ((uint32_t)p[3] | (uint32_t)p[2] << 8));
}

/* Checks the primary volume descriptor vd and fills *mp from it. */
static int
pvd_use(struct cd9660_mount *mp, const uint8_t *vd, uint64_t image_bytes)
{
	const uint8_t *root = vd + VD_ROOT;
	uint32_t bsize, nblocks, size;
	uint64_t data;
	size_t i;

	if (!iso_723_ok(vd + VD_BLOCK_SIZE, &bsize) ||
	    bsize != CD9660_BLOCK_SIZE)
		return (EINVAL);
	nblocks = iso_733(vd + VD_SPACE_SIZE);
	if (nblocks != iso_733_be(vd + VD_SPACE_SIZE) ||
	    nblocks < CD9660_VD_FIRST + 2)
		return (EINVAL);
	if ((uint64_t)nblocks * CD9660_BLOCK_SIZE > image_bytes)
		return (EIO);
	mp->volume_bytes = (uint64_t)nblocks * CD9660_BLOCK_SIZE;

	if (root[DR_LENGTH] != 34 || cd9660_record_check(root, 34) != 34 ||
	    !(root[DR_FLAGS] & DRF_DIRECTORY) || root[DR_NAMELEN] != 1 ||
	    root[DR_NAME] != 0)
		return (EINVAL);
	data = ((uint64_t)iso_733(root + DR_EXTENT) + root[DR_XALEN]) *
	    CD9660_BLOCK_SIZE;
	size = iso_733(root + DR_SIZE);
	if (data >= mp->volume_bytes || size < DR_MINLEN ||
	    size > mp->volume_bytes - data)
		return (EINVAL);
	mp->root_id = data;

	memcpy(mp->volume_id, vd + VD_VOLUME_ID, 32);
	for (i = 32; i > 0 &&
	     (mp->volume_id[i - 1] == ' ' || mp->volume_id[i - 1] == 0);
	     i--)
		;
	mp->volume_id[i] = '\0';
	return (0);
}

/* Looks at the root's "." record for SUSP and Rock Ridge. */
static int
rr_probe(struct cd9660_mount *mp)
{
	uint8_t blk[CD9660_BLOCK_SIZE];
	struct rr_detect d = { 0 };
	int error, len;

	error = mp->read(mp->ctx, mp->root_id, blk, sizeof(blk));
	if (error != 0)
		return (error);
	len = cd9660_record_check(blk, sizeof(blk));
	if (len <= 0 || blk[DR_NAMELEN] != 1 || blk[DR_NAME] != 0 ||
	    !(blk[DR_FLAGS] & DRF_DIRECTORY))
		return (EINVAL);
	error = cd9660_susp_walk(mp, blk, 0, rr_detect_entry, &d);
	if (error != 0)
		return (error);
	if (d.sp && d.rr) {
		mp->rr = 1;
		mp->susp_skip = d.skip;
	}
	return (0);
}

int
cd9660_mount(cd9660_read_fn *read_fn, void *ctx, uint64_t image_bytes,
    struct cd9660_mount *mp)
{
	uint8_t vd[CD9660_BLOCK_SIZE];
	uint64_t sec, nsec = image_bytes / CD9660_BLOCK_SIZE;
	int error;

	memset(mp, 0, sizeof(*mp));
	mp->read = read_fn;
	mp->ctx = ctx;
	for (sec = CD9660_VD_FIRST; sec < CD9660_VD_FIRST + VD_MAX; sec++) {
		if (sec >= nsec)
			return (EINVAL);
		error = read_fn(ctx, sec * CD9660_BLOCK_SIZE, vd, sizeof(vd));
		if (error != 0)
			return (error);
		if (memcmp(vd + VD_ID, "CD001", 5) != 0 || vd[VD_VERSION] != 1)
			return (EINVAL);
		if (vd[VD_TYPE] == VD_TERMINATOR)
			return (EINVAL);
		if (vd[VD_TYPE] == VD_PRIMARY)
			break;
	}
	if (sec == CD9660_VD_FIRST + VD_MAX)
		return (EINVAL);
	if ((error = pvd_use(mp, vd, image_bytes)) != 0)
		return (error);
	return (rr_probe(mp));
}

int
cd9660_root(const struct cd9660_mount *mp, struct cd9660_node *np)
{
	return (cd9660_getnode(mp, mp->root_id, np));
}
