/*
 * tools_test.c - the image tools end to end: the recipe of vkernel(7)'s
 * EXAMPLES on a scratch image, checked by the shared superblock code and
 * by the independent reader; every refusal of vnconfig, disklabel and
 * newfs leaving the image byte for byte as it was; disklabel -e.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "images/tests/tools_util.h"
#include "images/tests/ufs_reader.h"
#include "runtime/sys/disklabel.h"

/* dd, vnconfig, disklabel -w auto: a labelled 64 MiB image bound as vn0. */
static void
labelled(void)
{
	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 64M img"), 0);
	cr_assert_eq(tu_run("vnconfig -c -s labels vn0 img"), 0, "%s", tu_err);
	cr_assert_eq(tu_run("disklabel -r -w vn0s0 auto"), 0, "%s", tu_err);
}

static void
expect_a(const char *path, uint32_t off, uint32_t size)
{
	uint8_t buf[DL_READSIZE];
	struct disklabel32 l;
	int fd = open(path, O_RDONLY);

	cr_assert_eq(pread(fd, buf, sizeof(buf), 0), (ssize_t)sizeof(buf));
	close(fd);
	cr_assert_null(dl32_read(buf, sizeof(buf), &l));
	cr_assert_eq(l.d_partitions[0].p_offset, off);
	cr_assert_eq(l.d_partitions[0].p_size, size);
	cr_assert_eq(l.d_partitions[0].p_fstype, FS_BSDFFS);
}

struct names {
	char list[1024];
};

static void
collect(void *ctx, const char *name, uint32_t ino, int type)
{
	struct names *n = ctx;
	char e[300];

	snprintf(e, sizeof(e), "%s:%u:%d ", name, ino, type);
	strcat(n->list, e);
}

Test(recipe, manual_examples, .timeout = 60)
{
	struct ur_fs u;
	struct ur_inode in;
	struct names n = { "" };
	const char *why;

	labelled();
	cr_assert_eq(tu_run("disklabel vn0s0 >proto"), 0, "%s", tu_err);
	cr_assert(strstr(tu_err, "") != NULL);
	cr_assert_eq(tu_run("grep -q '^disk: amnesiac$' proto && "
			    "grep -q '^label: fictitious$' proto && "
			    "grep -q '^sectors/unit: 131072$' proto && "
			    "grep -Eq '^  c: +131072 +0 +unused' proto"),
	    0, "virgin label text");
	cr_assert_eq(tu_run("echo 'a: * 0 4.2BSD' >>proto && "
			    "disklabel -R vn0s0 proto"),
	    0, "%s", tu_err);
	expect_a("img", 0, 131072 - 16);
	cr_assert_eq(tu_run("newfs /dev/vn0s0a"), 0, "%s", tu_err);
	cr_assert(strstr(tu_out, "/dev/vn0s0a: media size  63.99MB\n") != NULL,
	    "%s", tu_out);
	cr_assert_eq(tu_run("vnconfig -u vn0"), 0, "%s", tu_err);
	cr_assert_eq(tu_run("vnconfig -l"), 0);
	cr_assert_str_eq(tu_out, "");

	tu_check_fs("img", 0);
	cr_assert_eq(ur_open(&u, "img", 0, &why), 0, "%s", why);
	cr_assert_eq(ur_readdir(&u, 2, collect, &n), 3);
	cr_assert_str_eq(n.list, ".:2:4 ..:2:4 lost+found:3:4 ");
	cr_assert_eq(ur_inode(&u, 2, &in), 0);
	cr_assert_eq(in.mode, 040755);
	cr_assert_eq(in.nlink, 3);
	cr_assert_eq(ur_inode(&u, 3, &in), 0);
	cr_assert_eq(in.nlink, 2);
	cr_assert_eq(in.size, 16384);
	n.list[0] = '\0';
	cr_assert_eq(ur_readdir(&u, 3, collect, &n), 2);
	cr_assert_str_eq(n.list, ".:3:4 ..:2:4 ");
	ur_close(&u);
}

/* Runs cmd, expects status want and the image unchanged. */
static void
refused(const char *cmd, int want, const char *msg)
{
	uint64_t before = tu_hash("img");
	int st = tu_run("%s", cmd);

	cr_assert_eq(st, want, "%s: exit %d, wanted %d; %s", cmd, st, want,
	    tu_err);
	cr_assert(strstr(tu_err, msg) != NULL, "%s: stderr \"%s\" lacks \"%s\"",
	    cmd, tu_err, msg);
	cr_assert_eq(tu_hash("img"), before, "%s changed the image", cmd);
}

static void
bad_proto(const char *extra, const char *msg)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
	    "disklabel vn0s0 >p && printf '%s' >>p && disklabel -R vn0s0 p",
	    extra);
	refused(cmd, 65, msg);
}

Test(disklabel, refusals_leave_image, .timeout = 60)
{
	labelled();
	bad_proto("a: 200000 16 4.2BSD\\n", "past end");
	bad_proto("a: 1000 16 4.2BSD\\nb: 1000 500 swap\\n",
	    "partition b: overlaps an earlier partition");
	bad_proto("b: 100 1 swap\\n", "partition b: overlaps the boot");
	bad_proto("bytes/sector: 1024\\n", "bytes/sector: must be 512");
	bad_proto("sectors/unit: 200000\\n", "larger than the slice");
	bad_proto("garbage\\n", "syntax error");
	bad_proto("foo: 1\\n", "Unknown disklabel field");
	bad_proto("a: * * 4.2BSD\\nb: * * swap\\n", "Too many");
	bad_proto("a: -5 16 4.2BSD\\n", "bad partition size");
	bad_proto("a: 100 x 4.2BSD\\n", "bad partition offset");
	bad_proto("q: 100 16 4.2BSD\\n", "Unknown disklabel field");
	bad_proto("rpm: 0\\n", "bad rpm");
	refused("disklabel -R vn0s0 nonexistent", 66, "nonexistent");
	refused("disklabel -w vn0s0 floppy", 64, "only auto");
	refused("disklabel -w", 64, "usage");
	refused("disklabel vn1s0", 66, "vn1 is not configured");
	refused("disklabel vn0s1", 66, "slice s1 does not exist");
	/* A corrupted label is reported and not used. */
	cr_assert_eq(tu_run("printf '\\377' | dd of=img bs=1 seek=600 "
			    "conv=notrunc 2>/dev/null"),
	    0);
	refused("disklabel vn0s0", 65, "disk label corrupted");
	refused("newfs vn0s0", 65, "disk label corrupted");
}

Test(disklabel, no_label, .timeout = 30)
{
	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 8M img"), 0);
	refused("disklabel img", 65, "no disk label");
	refused("disklabel -r /dev/nonexistent", 66, "nonexistent");
	/* Too small for a label: refused before writing. */
	cr_assert_eq(tu_run("truncate -s 4K img"), 0);
	refused("disklabel -w img auto", 65, "too small");
}

Test(disklabel, edit, .timeout = 60)
{
	labelled();
	tu_write("ok.sh", "#!/bin/sh\necho 'a: * 0 4.2BSD' >>\"$1\"\n");
	tu_write("bad.sh", "#!/bin/sh\necho 'a: 999999 16 4.2BSD' >>\"$1\"\n");
	cr_assert_eq(tu_run("chmod +x ok.sh bad.sh"), 0);
	refused("EDITOR=./bad.sh disklabel -e vn0s0", 65, "past end");
	refused("EDITOR=false disklabel -e vn0s0", 65, "exited with an error");
	cr_assert_eq(tu_run("EDITOR=true disklabel -e vn0s0"), 0, "%s", tu_err);
	cr_assert(strstr(tu_out, "no changes") != NULL);
	cr_assert_eq(tu_run("EDITOR=./ok.sh disklabel -e vn0s0"), 0, "%s",
	    tu_err);
	expect_a("img", 0, 131072 - 16);
	/* $EDITOR may carry arguments. */
	refused("EDITOR='sh ./bad.sh' disklabel -e vn0s0", 65, "past end");
}

Test(vnconfig, bindings, .timeout = 30)
{
	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 1M img && truncate -s 1M img2"), 0);
	cr_assert_eq(tu_run("vnconfig -c vn0 img && vnconfig vn3 img2"), 0,
	    "%s", tu_err);
	cr_assert_eq(tu_run("vnconfig -l"), 0);
	cr_assert(strstr(tu_out, "vn0: covering /") != NULL, "%s", tu_out);
	cr_assert(strstr(tu_out, "/img\nvn3: covering /") != NULL, "%s",
	    tu_out);
	cr_assert_eq(tu_run("vnconfig -l vn1"), 0);
	cr_assert_str_eq(tu_out, "vn1: not in use\n");
	refused("vnconfig -c vn0 img2", 73, "vn0: already configured to");
	refused("vnconfig -c vn1 missing", 66, "missing");
	refused("vnconfig -c vn1 .", 64, "not a regular file");
	refused("vnconfig -u vn1", 66, "vn1: not configured");
	refused("vnconfig -c vnx img", 64, "not a vn unit name");
	refused("vnconfig -c vn0s0 img", 64, "not a vn unit name");
	refused("vnconfig -c -s bogus vn1 img", 64, "unknown option bogus");
	refused("vnconfig", 64, "usage");
	cr_assert_eq(tu_run("vnconfig -u /dev/vn0 && vnconfig -c vn0 img2"), 0,
	    "%s", tu_err);
}

Test(newfs, refusals_leave_image, .timeout = 60)
{
	labelled();
	refused("newfs -b 12345 vn0s0", 64, "-b 12345");
	refused("newfs -b 100 vn0s0", 64, "-b 100");
	refused("newfs -f 100 vn0s0", 64, "-f 100");
	refused("newfs -b 4096 -f 8192 vn0s0", 64, "block size (4096) cannot");
	refused("newfs -b 65536 -f 512 vn0s0", 64, "fragment size 512 is too");
	refused("newfs -f 3000 vn0s0", 64, "-f 3000: fragment size must");
	refused("newfs -m 100 vn0s0", 64, "-m 100");
	refused("newfs -L 'bad name' vn0s0", 64, "bad volume label");
	refused("newfs -o fast vn0s0", 64, "space or time");
	refused("newfs vn0s0a", 65, "`a' partition is unavailable");
	refused("newfs vn0s0", 65, "`a' partition is unavailable");
	refused("newfs -s 200000 vn0s0c", 65, "larger than the partition");
	refused("newfs vn0s0 extra", 64, "usage");
	refused("newfs vn7", 66, "vn7 is not configured");
	cr_assert_eq(tu_run("truncate -s 100K small"), 0);
	cr_assert_eq(tu_run("cp small img"), 0);
	refused("newfs img", 65, "must have at least");
}

Test(newfs, options_on_plain_file, .timeout = 60)
{
	struct ur_fs u;
	const char *why;
	char vol[40];

	tu_scratch();
	cr_assert_eq(tu_run("truncate -s 200M img"), 0);
	cr_assert_eq(tu_run("newfs -b 8192 -f 1024 -i 4096 -m 5 -L vol_1 img"),
	    0, "%s", tu_err);
	cr_assert(strstr(tu_err, "changing optimization to space") != NULL);
	tu_check_fs("img", 0);
	cr_assert_eq(ur_open(&u, "img", 0, &why), 0, "%s", why);
	cr_assert_eq(u.bsize, 8192);
	cr_assert_eq(u.fsize, 1024);
	cr_assert_gt(u.ncg, 1);
	/* -i 4096: one inode per 4 KiB, less what the metadata takes. */
	cr_assert_geq(u.ipg * u.ncg, (200u << 20) / 4096 * 9 / 10, "%u",
	    u.ipg * u.ncg);
	cr_assert_leq(u.ipg * u.ncg, (200u << 20) / 4096 * 21 / 20, "%u",
	    u.ipg * u.ncg);
	cr_assert_eq(ur_lookup(&u, "lost+found"), 3);
	cr_assert_eq(pread(u.fd, vol, sizeof(vol), 8192 + 212 + 468), 40);
	cr_assert_str_eq(vol, "vol_1");
	ur_close(&u);
	/* -N computes and prints but writes nothing. */
	cr_assert_eq(tu_run("truncate -s 20M img2 && newfs -N img2 && "
			    "test \"$(tr -d '\\000' <img2 | wc -c)\" = 0"),
	    0, "%s", tu_err);
}
