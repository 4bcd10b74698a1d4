/*
 * host_pidfile.c - the -p pidfile.
 *
 * As in the original, the pidfile stays open and locked (flock) while
 * the kernel runs, so a script can tell a live kernel from a stale file
 * with flock(1) or lockf(1) instead of trusting the pid in it.  It is
 * opened without O_TRUNC and locked before anything is written: a file
 * held by a running kernel is refused and left exactly as it was.  The
 * pid is written last in host setup, and the file is removed on release.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "runtime/platform/host_private.h"

#define OPEN_RETRIES 8

static int
pidfile_error_code(int error)
{
	switch (error) {
	case EACCES:
	case EPERM:
	case EROFS:
		return (EX_NOPERM);
	default:
		return (EX_CANTCREAT);
	}
}

/*
 * Opens path, creating it if needed; sets *created when we made it.
 * Returns the descriptor, or -1 with errno set.
 */
static int
pidfile_create(const char *path, bool *created)
{
	const int flags = O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	int fd, tries;

	*created = false;
	for (tries = 0; tries < OPEN_RETRIES; tries++) {
		if ((fd = open(path, flags | O_CREAT | O_EXCL, 0644)) >= 0) {
			*created = true;
			return (fd);
		}
		if (errno != EEXIST)
			return (-1);
		if ((fd = open(path, flags)) >= 0 || errno != ENOENT)
			return (fd);
	}
	errno = EAGAIN;
	return (-1);
}

/* True if path still names the file open on fd. */
static bool
still_linked(int fd, const char *path)
{
	struct stat a, b;

	return (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

int
vk_pidfile_open(const char *path, int *fdp, bool *created)
{
	struct stat st;
	int fd, tries, error;

	*fdp = -1;
	for (tries = 0; tries < OPEN_RETRIES; tries++) {
		if ((fd = pidfile_create(path, created)) < 0) {
			error = errno;
			vk_report("Failed to create pidfile %s: %s", path,
			    strerror(error));
			return (pidfile_error_code(error));
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			vk_report("Pidfile %s is not a regular file", path);
			close(fd);
			return (EX_CANTCREAT);
		}
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			error = errno;
			close(fd);
			*created = false;
			if (error == EWOULDBLOCK) {
				vk_report("Failed to lock pidfile %s, vkernel "
					  "already running",
				    path);
				return (EX_TEMPFAIL);
			}
			vk_report("Failed to lock pidfile %s: %s", path,
			    strerror(error));
			return (EX_OSERR);
		}
		/*
		 * The kernel that held the lock may have removed the file
		 * between our open and our lock: then we hold a lock on a
		 * file nobody can see.  Start over with the name.
		 */
		if (still_linked(fd, path)) {
			*fdp = fd;
			return (0);
		}
		close(fd);
	}
	vk_report("Failed to lock pidfile %s: it keeps being replaced", path);
	return (EX_TEMPFAIL);
}

int
vk_pidfile_write(int fd, const char *path)
{
	char buf[32];
	int len, error;

	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	errno = EIO; /* for a short write */
	if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)len, 0) != len) {
		error = errno;
		vk_report("Failed to write pidfile %s: %s", path,
		    strerror(error));
		return (EX_IOERR);
	}
	return (0);
}

void
vk_pidfile_close(int *fdp, const char *path, bool remove)
{
	if (*fdp < 0)
		return;
	/* Unlink while still holding the lock, then let it go. */
	if (remove && path != NULL)
		unlink(path);
	close(*fdp);
	*fdp = -1;
}
