/*
 * vkt.h - small helpers for kernel suites: spawn the kernel on a pseudo
 * terminal with libexpect, wait for console text, collect the transcript.
 *
 * XXX The harness engine (issue 4) replaces these with boot profiles,
 * phases and verdicts; until then suites use this thin layer directly.
 */
#ifndef SUITES_VKT_H
#define SUITES_VKT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct vkt {
	int fd; /* pty master */
	pid_t pid;
	char dir[256]; /* private VKERNEL_DIR, removed by vkt_end */
	char *log;     /* everything read so far */
	size_t loglen;
	char *pending; /* read by libexpect past the last match */
	int status;    /* wait status once reaped, else -1 */
};

/* Makes a fresh VKERNEL_DIR and a zeroed image path helper. */
void vkt_init(struct vkt *k);
/* Creates a sparse file of size bytes in k->dir; returns its path. */
const char *vkt_image(struct vkt *k, const char *name, long long size);
/*
 * Spawns $VK_KERNEL with the NULL-terminated arguments (the kernel path is
 * added as argv[0]) on a new pty, with VKERNEL_DIR=k->dir.  Aborts the test
 * on failure.
 */
void vkt_spawn(struct vkt *k, const char *const *args);
/* Waits up to timeout seconds for exact text; true when seen. */
bool vkt_expect(struct vkt *k, const char *text, int timeout);
/* Types s on the console. */
void vkt_send(struct vkt *k, const char *s);
/* Waits up to timeout seconds for the kernel to exit; true when it did. */
bool vkt_wait(struct vkt *k, int timeout);
/* Kills the kernel if it still runs, reaps it, removes k->dir. */
void vkt_end(struct vkt *k);
/* True when the lines appear in the transcript in this order. */
bool vkt_in_order(const struct vkt *k, const char *const *lines);

#endif /* SUITES_VKT_H */
