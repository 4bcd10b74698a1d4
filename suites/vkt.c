/*
 * vkt.c - kernel suite helpers on libexpect (see vkt.h).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <tcl8.6/expect.h>
#include <time.h>
#include <unistd.h>

#include "suites/vkt.h"

void
vkt_init(struct vkt *k)
{
	memset(k, 0, sizeof(*k));
	k->fd = -1;
	k->pid = -1;
	k->status = -1;
	snprintf(k->dir, sizeof(k->dir), "/tmp/vkt.XXXXXX");
	cr_assert_not_null(mkdtemp(k->dir), "mkdtemp: %s", strerror(errno));
}

const char *
vkt_image(struct vkt *k, const char *name, long long size)
{
	static char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", k->dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	cr_assert(fd >= 0, "create %s: %s", path, strerror(errno));
	cr_assert(ftruncate(fd, size) == 0);
	close(fd);
	return (path);
}

void
vkt_spawn(struct vkt *k, const char *const *args)
{
	const char *kernel = getenv("VK_KERNEL");
	char *argv[64];
	int n = 0;

	cr_assert_not_null(kernel, "VK_KERNEL is not set");
	argv[n++] = (char *)kernel;
	while (*args != NULL && n < 63)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	setenv("VKERNEL_DIR", k->dir, 1);
	exp_loguser = 0;
	exp_match_max = 1 << 16;
	k->fd = exp_spawnv((char *)kernel, argv);
	cr_assert(k->fd >= 0, "spawn %s: %s", kernel, strerror(errno));
	k->pid = exp_pid;
}

static void
log_append(struct vkt *k, const char *p, size_t n)
{
	k->log = realloc(k->log, k->loglen + n + 1);
	cr_assert_not_null(k->log);
	memcpy(k->log + k->loglen, p, n);
	k->loglen += n;
	k->log[k->loglen] = '\0';
}

bool
vkt_expect(struct vkt *k, const char *text, int timeout)
{
	int r;

	exp_timeout = timeout;
	r = exp_expectl(k->fd, exp_exact, (char *)text, 1, exp_end);
	if (r == 1) {
		log_append(k, exp_buffer, (size_t)(exp_match_end - exp_buffer));
		/* libexpect may have read past the match: keep that aside
		 * for vkt_wait(), which reads the pty directly. */
		free(k->pending);
		k->pending = strndup(exp_match_end,
		    (size_t)(exp_buffer_end - exp_match_end));
		return (true);
	}
	/* Keep what arrived so that a failure can show it. */
	if (exp_buffer != NULL && exp_buffer_end > exp_buffer)
		log_append(k, exp_buffer,
		    (size_t)(exp_buffer_end - exp_buffer));
	cr_log_warn("did not see \"%s\" (r=%d); console so far:\n%s", text, r,
	    k->log != NULL ? k->log : "");
	return (false);
}

void
vkt_send(struct vkt *k, const char *s)
{
	size_t len = strlen(s);

	cr_assert_eq(write(k->fd, s, len), (ssize_t)len);
}

bool
vkt_wait(struct vkt *k, int timeout)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	char buf[4096];
	ssize_t n;
	int i;

	if (k->status != -1)
		return (true);
	if (k->pending != NULL) {
		log_append(k, k->pending, strlen(k->pending));
		free(k->pending);
		k->pending = NULL;
	}
	fcntl(k->fd, F_SETFL, O_NONBLOCK);
	for (i = 0; i < timeout * 100; i++) {
		/* Drain the console so that the kernel never blocks on it. */
		while ((n = read(k->fd, buf, sizeof(buf))) > 0)
			log_append(k, buf, (size_t)n);
		if (waitpid(k->pid, &k->status, WNOHANG) == k->pid) {
			/* What it wrote just before exiting is still there. */
			while ((n = read(k->fd, buf, sizeof(buf))) > 0)
				log_append(k, buf, (size_t)n);
			return (true);
		}
		nanosleep(&ts, NULL);
	}
	k->status = -1;
	return (false);
}

void
vkt_end(struct vkt *k)
{
	char cmd[300];

	if (k->pid > 0 && k->status == -1) {
		kill(k->pid, SIGKILL);
		waitpid(k->pid, &k->status, 0);
	}
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", k->dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", k->dir);
	free(k->log);
	k->log = NULL;
	free(k->pending);
	k->pending = NULL;
}

bool
vkt_in_order(const struct vkt *k, const char *const *lines)
{
	const char *p = k->log;

	if (p == NULL)
		return (false);
	for (; *lines != NULL; lines++) {
		p = strstr(p, *lines);
		if (p == NULL) {
			cr_log_warn("missing or out of order: \"%s\"\n%s",
			    *lines, k->log);
			return (false);
		}
		p += strlen(*lines);
	}
	return (true);
}
