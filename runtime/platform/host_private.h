/*
 * host_private.h - the pieces of host setup shared by the files of
 * runtime/platform/ and reached by its unit tests: the option parser with
 * its inputs made explicit, -m size parsing, and the steps of
 * vk_host_setup() (disk images, memory image, pidfile).
 *
 * Messages go through vk_report(), which prefixes the program name and
 * writes to the stream set with vk_report_init() (stderr by default), so
 * that tests can read what a user would see.
 */
#ifndef RUNTIME_PLATFORM_HOST_PRIVATE_H
#define RUNTIME_PLATFORM_HOST_PRIVATE_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "runtime/platform/platform.h"

#define VK_MEMSIZE_MIN	 (64ULL << 20) /* -m: 64 MiB minimum ... */
#define VK_MEMSIZE_ALIGN (2ULL << 20)  /* ... in multiples of 2 MiB */
#define VK_MEMIMG_NAMES	 1000000       /* memimg.000000 .. memimg.999999 */

/*
 * Sets where vk_report() writes (NULL: stderr) and the program name it
 * prefixes (the basename of argv0; "kernel" when argv0 is NULL or empty).
 */
void vk_report_init(FILE *fp, const char *argv0);

/* The stream and program name set by vk_report_init(). */
FILE *vk_report_stream(void);
const char *vk_report_prog(void);

/* Prints "<prog>: <message>\n" to the report stream. */
void vk_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What vk_options_parse() takes from its surroundings. */
struct vk_parse_env {
	FILE *out;	       /* -h writes the long help here */
	FILE *err;	       /* messages and the usage line */
	const cpu_set_t *cpus; /* the real CPUs -l may name */
};

/*
 * vk_options_parse() with its inputs explicit.  Sets the report stream to
 * env->err.  Same results as vk_options_parse().
 */
int vk_options_parse_env(int argc, char **argv, struct vk_options *opts,
    const struct vk_parse_env *env);

/*
 * Parses a -m size: decimal digits, optionally followed by one of k K m M
 * g G.  Returns 0 and sets *bytes, or -1 and sets *why to the reason.
 */
int vk_size_parse(const char *s, uint64_t *bytes, const char **why);

/*
 * Returns NULL if bytes is a usable memory size (64 MiB minimum, a
 * multiple of 2 MiB), otherwise the rule it breaks.
 */
const char *vk_memsize_check(uint64_t bytes);

/*
 * Opens and locks every disk image of opts into host->disks.  Returns 0,
 * or a sysexits(3) code after reporting why, with none left open.
 */
int vk_disks_open(const struct vk_options *opts, struct vk_host *host);

/* Closes the disk images (dropping their locks). */
void vk_disks_close(struct vk_host *host);

/*
 * Opens and locks the memory image: -i, or the first memimg.NNNNNN in the
 * vkernel directory that no other process holds.  Sets mem->path, fd and
 * size (not yet truncated nor mapped) and *created when this call made
 * the file.  Returns 0, or a sysexits(3) code after reporting why, having
 * removed any file it made.
 */
int vk_memimg_open(const struct vk_options *opts, struct vk_memimg *mem,
    bool *created);

/*
 * Maps the locked memory image and then discards its contents and sizes
 * it to mem->size (a sparse file), reporting "Using memory file: <path>".
 * Returns 0, or a sysexits(3) code after reporting why.
 */
int vk_memimg_map(struct vk_memimg *mem);

/*
 * Unmaps and closes the memory image; removes the file first when remove
 * is set.  Async-signal-safe; mem->fd is -1 afterwards.
 */
void vk_memimg_close(struct vk_memimg *mem, bool remove);

/*
 * Opens and locks the pidfile without changing it.  Sets *fdp, and
 * *created when this call made the file.  Returns 0, or a sysexits(3)
 * code after reporting why, with the file as it was.
 */
int vk_pidfile_open(const char *path, int *fdp, bool *created);

/* Replaces the locked pidfile's contents with "<pid>\n". */
int vk_pidfile_write(int fd, const char *path);

/*
 * Removes the pidfile when remove is set, then closes it (dropping the
 * lock).  Async-signal-safe; *fdp is -1 afterwards.
 */
void vk_pidfile_close(int *fdp, const char *path, bool remove);

#endif /* RUNTIME_PLATFORM_HOST_PRIVATE_H */
