/*
 * tools_util.c - helpers of the image tool tests (tools_util.h).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "images/tests/tools_util.h"
#include "runtime/vfs/ufs/ufs_fs.h"

char tu_out[65536];
char tu_err[65536];
static char bindir[PATH_MAX];
static char scratch[PATH_MAX];

/* Removes the scratch directory when the test's process exits. */
static void
remove_scratch(void)
{
	char cmd[PATH_MAX + 16];

	if (scratch[0] != '\0' && chdir("/") == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", scratch);
	}
}

void
tu_scratch(void)
{
	char tmpl[] = "/tmp/imgtest.XXXXXX", vn[PATH_MAX + 8];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	cr_assert_gt(n, 0);
	exe[n] = '\0';
	snprintf(bindir, sizeof(bindir), "%s", dirname(exe));
	cr_assert_not_null(mkdtemp(tmpl));
	snprintf(scratch, sizeof(scratch), "%s", tmpl);
	atexit(remove_scratch);
	cr_assert_eq(chdir(tmpl), 0);
	snprintf(vn, sizeof(vn), "%s/vn", tmpl);
	setenv("VN_DIR", vn, 1);
	unsetenv("EDITOR");
}

static void
slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

int
tu_run(const char *fmt, ...)
{
	char cmd[4096], full[PATH_MAX + 4096 + 64];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full),
	    "PATH='%s':\"$PATH\"; export PATH; ( %s ) >.out 2>.err </dev/null",
	    bindir, cmd);
	st = system(full);
	slurp(".out", tu_out, sizeof(tu_out));
	slurp(".err", tu_err, sizeof(tu_err));
	cr_assert(WIFEXITED(st), "%s: did not exit", cmd);
	return (WEXITSTATUS(st));
}

uint64_t
tu_hash(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ull;
	uint8_t buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	cr_assert_geq(fd, 0, "%s", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 0x100000001b3ull;
	close(fd);
	return (h);
}

void
tu_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static int
bit(const uint8_t *map, int64_t i)
{
	return ((map[i / 8] >> (i % 8)) & 1);
}

static void
check_cg(int fd, uint64_t off, const struct fs *fs, int c, struct csum *tot)
{
	static uint8_t buf[MAXBSIZE];
	struct cg cg;
	struct csum cs;
	int32_t used = 0, nbfree = 0, nffree = 0;
	const char *msg;

	cr_assert_eq(pread(fd, buf, (size_t)fs->fs_cgsize,
			 (off_t)(off + ufs_fsbtobyte(fs, ufs_cgtod(fs, c)))),
	    fs->fs_cgsize);
	msg = ufs_cg_check(fs, buf, sizeof(buf), c);
	cr_assert_null(msg, "cg %d: %s", c, msg);
	memcpy(&cg, buf, sizeof(cg));
	for (int32_t i = 0; i < fs->fs_ipg; i++)
		used += bit(buf + cg.cg_iusedoff, i);
	cr_assert_eq(fs->fs_ipg - used, cg.cg_cs.cs_nifree, "cg %d inodes", c);
	for (int32_t b = 0; b + fs->fs_frag <= cg.cg_ndblk; b += fs->fs_frag) {
		int n = 0;

		for (int i = 0; i < fs->fs_frag; i++)
			n += bit(buf + cg.cg_freeoff, b + i);
		if (n == fs->fs_frag)
			nbfree++;
		else
			nffree += n;
	}
	for (int32_t b = cg.cg_ndblk / fs->fs_frag * fs->fs_frag;
	     b < cg.cg_ndblk; b++)
		nffree += bit(buf + cg.cg_freeoff, b);
	cr_assert_eq(nbfree, cg.cg_cs.cs_nbfree, "cg %d free blocks", c);
	cr_assert_eq(nffree, cg.cg_cs.cs_nffree, "cg %d free frags", c);
	cr_assert_eq(pread(fd, &cs, sizeof(cs),
			 (off_t)(off + ufs_fsbtobyte(fs, fs->fs_csaddr) +
			     (uint64_t)c * sizeof(cs))),
	    (ssize_t)sizeof(cs));
	cr_assert_eq(memcmp(&cs, &cg.cg_cs, sizeof(cs)), 0,
	    "cg %d: summary area differs from the group", c);
	tot->cs_ndir += cs.cs_ndir;
	tot->cs_nbfree += cs.cs_nbfree;
	tot->cs_nifree += cs.cs_nifree;
	tot->cs_nffree += cs.cs_nffree;
}

void
tu_check_fs(const char *path, uint64_t off)
{
	struct fs fs;
	struct csum tot = { 0 };
	struct stat st;
	const char *msg;
	int fd = open(path, O_RDONLY);

	cr_assert_geq(fd, 0);
	cr_assert_eq(fstat(fd, &st), 0);
	cr_assert_eq(pread(fd, &fs, sizeof(fs), (off_t)(off + SBOFF)),
	    (ssize_t)sizeof(fs));
	msg = ufs_sb_check(&fs, (uint64_t)st.st_size - off);
	cr_assert_null(msg, "%s: %s", path, msg);
	for (int c = 0; c < fs.fs_ncg; c++)
		check_cg(fd, off, &fs, c, &tot);
	cr_assert_eq(memcmp(&tot, &fs.fs_cstotal, sizeof(tot)), 0,
	    "fs_cstotal differs from the sum of the groups");
	close(fd);
}
