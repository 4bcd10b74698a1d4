/*
 * cd9660_vnops.c - what a loaded node offers: its attributes, its data
 * (regular files, one extent each) and its symlink target.
 *
 * A file of several extents (ECMA-119 6.5.1, the records before the last
 * flagged "multi-extent"; files of 4 GiB and more) is refused with EFBIG,
 * an interleaved one with EOPNOTSUPP: neither occurs in the images the
 * kernel boots from.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/vfs/cd9660/cd9660.h"
#include "runtime/vfs/cd9660/cd9660_private.h"

int
cd9660_getattr(const struct cd9660_mount *mp, const struct cd9660_node *np,
    struct cd9660_attr *ap)
{
	*ap = np->attr;
	return (0);
}

int
cd9660_read(const struct cd9660_mount *mp, const struct cd9660_node *np,
    uint64_t off, void *buf, size_t len, size_t *donep)
{
	uint64_t size = np->attr.size;
	int error;

	*donep = 0;
	if (np->attr.type == CD9660_DIR)
		return (EISDIR);
	if (np->attr.type != CD9660_REG)
		return (EINVAL);
	if (np->flags & CD9660_NODE_MULTIEXTENT)
		return (EFBIG);
	if (np->flags & CD9660_NODE_INTERLEAVED)
		return (EOPNOTSUPP);
	if (off >= size || len == 0)
		return (0);
	if (len > size - off)
		len = (size_t)(size - off);
	/* node_from_rec() checked that the extent lies in the volume. */
	if (np->data > mp->volume_bytes || size > mp->volume_bytes - np->data)
		return (EINVAL);
	if ((error = mp->read(mp->ctx, np->data + off, buf, len)) != 0)
		return (error);
	*donep = len;
	return (0);
}

int
cd9660_readlink(const struct cd9660_mount *mp, const struct cd9660_node *np,
    char *buf, size_t bufsize, size_t *lenp)
{
	uint8_t blk[CD9660_BLOCK_SIZE];
	struct cd9660_rec r;
	uint64_t in = np->id % CD9660_BLOCK_SIZE;
	size_t cap;
	int error;

	*lenp = 0;
	if (np->attr.type != CD9660_LNK)
		return (EINVAL);
	if (bufsize == 0)
		return (ENAMETOOLONG);
	cap = bufsize - 1 < CD9660_PATH_MAX ? bufsize - 1 : CD9660_PATH_MAX;
	if (np->id >= mp->volume_bytes || in > CD9660_BLOCK_SIZE - DR_MINLEN)
		return (EINVAL);
	error = mp->read(mp->ctx, np->id - in, blk, sizeof(blk));
	if (error != 0)
		return (error);
	if (cd9660_record_check(blk + in, CD9660_BLOCK_SIZE - in) <= 0)
		return (EINVAL);
	error = cd9660_record_parse(mp, blk + in, np->id, &r, buf, cap);
	if (error != 0)
		return (error);
	if (r.linklen > cap)
		return (ENAMETOOLONG);
	buf[r.linklen] = '\0';
	*lenp = r.linklen;
	return (0);
}
