/*
 * ufs_reader.c - the independent UFS1 reader of the image tests
 * (ufs_reader.h).  Offsets are those of the classic 4.4BSD struct fs and
 * struct ufs1_dinode, written out as numbers.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "images/tests/ufs_reader.h"

static uint32_t
le32(const uint8_t *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static uint16_t
le16(const uint8_t *p)
{
	return ((uint16_t)(p[0] | p[1] << 8));
}

static int
rd(struct ur_fs *u, uint64_t off, void *buf, size_t len)
{
	return (pread(u->fd, buf, len, (off_t)(u->base + off)) == (ssize_t)len ?
		0 :
		-1);
}

int
ur_open(struct ur_fs *u, const char *path, uint64_t base, const char **why)
{
	uint8_t sb[1376];

	memset(u, 0, sizeof(*u));
	u->base = base;
	if ((u->fd = open(path, O_RDONLY)) < 0) {
		*why = "cannot open";
		return (-1);
	}
	if (rd(u, 8192, sb, sizeof(sb)) != 0 || le32(sb + 1372) != 0x011954) {
		*why = "no UFS1 magic at 8192+1372";
		close(u->fd);
		return (-1);
	}
	u->iblkno = le32(sb + 16);
	u->cgoffset = (int32_t)le32(sb + 24);
	u->cgmask = (int32_t)le32(sb + 28);
	u->size = le32(sb + 36);
	u->ncg = le32(sb + 44);
	u->bsize = le32(sb + 48);
	u->fsize = le32(sb + 52);
	u->frag = le32(sb + 56);
	u->nindir = le32(sb + 116);
	u->inopb = le32(sb + 120);
	u->ipg = le32(sb + 184);
	u->fpg = le32(sb + 188);
	if (u->bsize < 4096 || u->bsize > 65536 || u->fsize < 512 ||
	    u->frag == 0 || u->ipg == 0 || u->inopb != u->bsize / 128 ||
	    u->nindir != u->bsize / 4) {
		*why = "implausible superblock";
		close(u->fd);
		return (-1);
	}
	return (0);
}

void
ur_close(struct ur_fs *u)
{
	close(u->fd);
}

int
ur_inode(struct ur_fs *u, uint32_t ino, struct ur_inode *ip)
{
	uint32_t cg = ino / u->ipg, idx = ino % u->ipg;
	uint64_t frag = (uint64_t)u->fpg * cg +
	    (uint64_t)u->cgoffset * (cg & ~(uint32_t)u->cgmask) + u->iblkno +
	    (uint64_t)(idx / u->inopb) * u->frag;
	uint8_t d[128];

	if (cg >= u->ncg ||
	    rd(u, frag * u->fsize + (uint64_t)(idx % u->inopb) * 128, d,
		sizeof(d)) != 0)
		return (-1);
	ip->mode = le16(d);
	ip->nlink = (int16_t)le16(d + 2);
	ip->size = le32(d + 8) | (uint64_t)le32(d + 12) << 32;
	for (int i = 0; i < 12; i++)
		ip->db[i] = (int32_t)le32(d + 40 + 4 * i);
	for (int i = 0; i < 3; i++)
		ip->ib[i] = (int32_t)le32(d + 88 + 4 * i);
	return (0);
}

/* Fragment address of logical block lbn, 0 for a hole, -1 on error. */
static int64_t
bmap(struct ur_fs *u, const struct ur_inode *ip, uint64_t lbn)
{
	uint8_t *blk;
	int64_t addr;

	if (lbn < 12)
		return (ip->db[lbn]);
	lbn -= 12;
	if ((blk = malloc(u->bsize)) == NULL)
		return (-1);
	if (lbn < u->nindir) {
		addr = ip->ib[0];
		if (addr != 0 &&
		    rd(u, (uint64_t)addr * u->fsize, blk, u->bsize) == 0)
			addr = (int32_t)le32(blk + 4 * lbn);
	} else {
		lbn -= u->nindir;
		addr = ip->ib[1];
		if (lbn >= (uint64_t)u->nindir * u->nindir)
			addr = -1;
		if (addr > 0 &&
		    rd(u, (uint64_t)addr * u->fsize, blk, u->bsize) == 0)
			addr = (int32_t)le32(blk + 4 * (lbn / u->nindir));
		if (addr > 0 &&
		    rd(u, (uint64_t)addr * u->fsize, blk, u->bsize) == 0)
			addr = (int32_t)le32(blk + 4 * (lbn % u->nindir));
	}
	free(blk);
	return (addr);
}

ssize_t
ur_read(struct ur_fs *u, uint32_t ino, void *buf, size_t len)
{
	struct ur_inode in;
	uint8_t *p = buf;
	size_t done = 0;

	if (ur_inode(u, ino, &in) != 0)
		return (-1);
	if (len > in.size)
		len = (size_t)in.size;
	while (done < len) {
		uint64_t lbn = done / u->bsize;
		size_t n = u->bsize - done % u->bsize;
		int64_t a = bmap(u, &in, lbn);

		if (n > len - done)
			n = len - done;
		if (a < 0 || (uint64_t)a >= u->size)
			return (-1);
		if (a == 0)
			memset(p + done, 0, n);
		else if (rd(u, (uint64_t)a * u->fsize + done % u->bsize,
			     p + done, n) != 0)
			return (-1);
		done += n;
	}
	return ((ssize_t)done);
}

int
ur_readdir(struct ur_fs *u, uint32_t ino,
    void (*fn)(void *ctx, const char *name, uint32_t ino, int type), void *ctx)
{
	struct ur_inode in;
	uint8_t *buf;
	ssize_t len;
	int n = 0;

	if (ur_inode(u, ino, &in) != 0 || (in.mode & 0170000) != 0040000 ||
	    in.size % 512 != 0 || in.size > (1 << 20))
		return (-1);
	if ((buf = malloc(in.size + 1)) == NULL)
		return (-1);
	len = ur_read(u, ino, buf, in.size);
	for (ssize_t chunk = 0; len >= 0 && chunk < len; chunk += 512) {
		for (size_t off = 0; off < 512;) {
			const uint8_t *e = buf + chunk + off;
			uint16_t reclen = le16(e + 4);
			uint8_t namlen = e[7];
			char name[256];

			if (reclen < 8 || off + reclen > 512 ||
			    (size_t)namlen + 8 > reclen) {
				free(buf);
				return (-1);
			}
			if (le32(e) != 0) {
				memcpy(name, e + 8, namlen);
				name[namlen] = '\0';
				fn(ctx, name, le32(e), e[6]);
				n++;
			}
			off += reclen;
		}
	}
	free(buf);
	return (len < 0 ? -1 : n);
}

struct find {
	const char *name;
	size_t len;
	uint32_t ino;
};

static void
find_cb(void *ctx, const char *name, uint32_t ino, int type)
{
	struct find *f = ctx;

	(void)type;
	if (strlen(name) == f->len && memcmp(name, f->name, f->len) == 0)
		f->ino = ino;
}

uint32_t
ur_lookup(struct ur_fs *u, const char *path)
{
	uint32_t ino = 2;

	while (*path != '\0') {
		struct find f;

		while (*path == '/')
			path++;
		if (*path == '\0')
			break;
		f.name = path;
		f.len = strcspn(path, "/");
		f.ino = 0;
		if (ur_readdir(u, ino, find_cb, &f) < 0 || f.ino == 0)
			return (0);
		ino = f.ino;
		path += f.len;
	}
	return (ino);
}
