/*
 * tools_util.h - helpers of the image tool tests: running the built
 * tools in a scratch directory, hashing images, and checking a UFS1 file
 * system's superblock and cylinder group maps.
 */
#ifndef IMAGES_TESTS_TOOLS_UTIL_H
#define IMAGES_TESTS_TOOLS_UTIL_H

#include <stdint.h>

/* Output of the last tu_run(): stdout and stderr. */
extern char tu_out[65536];
extern char tu_err[65536];

/*
 * Makes a fresh scratch directory, enters it and points VN_DIR into it.
 * Criterion runs each test in its own process, so this is per test.
 */
void tu_scratch(void);

/* Runs a shell command with the built tools first in PATH; exit status. */
int tu_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* FNV-1a over the whole file. */
uint64_t tu_hash(const char *path);

/* Writes text to a file. */
void tu_write(const char *path, const char *text);

/*
 * Checks the UFS1 file system at byte off of path: ufs_sb_check, every
 * cylinder group's header, its inode and fragment maps against its
 * counts, the summary area, and the totals.  Fails the test otherwise.
 */
void tu_check_fs(const char *path, uint64_t off);

#endif /* IMAGES_TESTS_TOOLS_UTIL_H */
