/*
 * host_memimg.c - the memory image: the kernel's physical memory.
 *
 * The image is the -i file, or else the first memimg.NNNNNN (000000 up)
 * in the vkernel directory ($VKERNEL_DIR, default /var/vkernel) that no
 * other process holds locked.  It is held with flock(LOCK_EX|LOCK_NB) for
 * as long as the kernel runs.  Opening changes nothing but possibly
 * creating the file; vk_memimg_map() comes after every other resource is
 * held, and only then is the old content discarded (truncated to zero
 * and back, leaving a sparse file, as the original does on every boot)
 * and the file mapped shared.  A memory image stays after the kernel
 * exits, ready for the next one.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "runtime/platform/host_private.h"

#define OPEN_RETRIES 8 /* a file vanishing between two opens: try again */

static int
create_error_code(int error)
{
	switch (error) {
	case EACCES:
	case EPERM:
	case EROFS:
		return (EX_NOPERM);
	case EISDIR:
		return (EX_DATAERR);
	default:
		return (EX_CANTCREAT);
	}
}

/*
 * Opens path, creating it (mode 0644) only if create is set.  Returns the
 * descriptor and sets *created, or -1 with errno set.
 */
static int
open_image(const char *path, bool create, bool *created)
{
	int fd, tries;
	const int flags = O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;

	*created = false;
	for (tries = 0; tries < OPEN_RETRIES; tries++) {
		if ((fd = open(path, flags)) >= 0 || errno != ENOENT || !create)
			return (fd);
		if ((fd = open(path, flags | O_CREAT | O_EXCL, 0644)) >= 0) {
			*created = true;
			return (fd);
		}
		if (errno != EEXIST)
			return (-1);
	}
	errno = EAGAIN;
	return (-1);
}

/* The -i file. */
static int
memimg_open_named(const struct vk_options *opts, struct vk_memimg *mem,
    bool *created)
{
	const char *why;
	struct stat st;
	int fd, error;

	if ((size_t)snprintf(mem->path, sizeof(mem->path), "%s",
		opts->memimg) >= sizeof(mem->path)) {
		vk_report("Memory image name too long: %s", opts->memimg);
		return (EX_CANTCREAT);
	}
	fd = open_image(mem->path, opts->memsize != 0, created);
	if (fd < 0 && errno == ENOENT && opts->memsize == 0) {
		vk_report("Cannot create new memory file %s unless system "
			  "memory size is specified with -m",
		    mem->path);
		return (EX_USAGE);
	}
	if (fd < 0) {
		error = errno;
		vk_report("Cannot open memory image %s: %s", mem->path,
		    strerror(error));
		return (create_error_code(error));
	}
	/*
	 * A file we just made is regular and has its size from -m, so
	 * the refusals below concern existing files only: nothing to remove.
	 */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		vk_report("Memory image %s is not a regular file", mem->path);
		close(fd);
		return (EX_DATAERR);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		error = errno;
		if (error == EWOULDBLOCK)
			vk_report("Memory image %s is already in use",
			    mem->path);
		else
			vk_report("Cannot lock memory image %s: %s", mem->path,
			    strerror(error));
		/* Someone else holds it now even if we made it: keep it. */
		close(fd);
		*created = false;
		return (error == EWOULDBLOCK ? EX_TEMPFAIL : EX_OSERR);
	}
	mem->size = opts->memsize;
	if (mem->size == 0) {
		mem->size = (uint64_t)st.st_size;
		if ((why = vk_memsize_check(mem->size)) != NULL) {
			vk_report("Memory image %s has %" PRIu64 " bytes: %s",
			    mem->path, mem->size, why);
			close(fd);
			return (EX_DATAERR);
		}
	}
	mem->fd = fd;
	return (0);
}

/* The vkernel directory, checked to exist. */
static int
memimg_dir(const char **dirp)
{
	const char *dir = getenv(VK_MEMIMG_DIR_ENV);
	struct stat st;

	if (dir == NULL || *dir == '\0')
		dir = VK_MEMIMG_DIR;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		vk_report("vkernel directory %s does not exist: create it, or "
			  "set %s or use -i",
		    dir, VK_MEMIMG_DIR_ENV);
		return (EX_CANTCREAT);
	}
	*dirp = dir;
	return (0);
}

/*
 * The first memimg.NNNNNN we can lock.  Like the original, a name that
 * exists but cannot be opened or locked belongs to another kernel and is
 * skipped; failing to create a new one ends the search.
 */
static int
memimg_open_auto(const struct vk_options *opts, struct vk_memimg *mem,
    bool *created)
{
	const char *dir;
	struct stat st;
	int fd, i, error;

	if ((error = memimg_dir(&dir)) != 0)
		return (error);
	if (opts->memsize == 0) {
		vk_report("Cannot create new memory file %s/memimg.NNNNNN "
			  "unless system memory size is specified with -m",
		    dir);
		return (EX_USAGE);
	}
	for (i = 0; i < VK_MEMIMG_NAMES; i++) {
		if ((size_t)snprintf(mem->path, sizeof(mem->path),
			"%s/memimg.%06d", dir, i) >= sizeof(mem->path)) {
			vk_report("vkernel directory name too long: %s", dir);
			return (EX_CANTCREAT);
		}
		if ((fd = open_image(mem->path, true, created)) < 0) {
			error = errno;
			if (stat(mem->path, &st) == 0)
				continue;
			vk_report("Cannot create memory image %s: %s",
			    mem->path, strerror(error));
			return (create_error_code(error));
		}
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
		    flock(fd, LOCK_EX | LOCK_NB) != 0) {
			/* Made by us or not, it is someone else's now. */
			close(fd);
			*created = false;
			continue;
		}
		mem->fd = fd;
		mem->size = opts->memsize;
		return (0);
	}
	vk_report("No free memory image name in %s", dir);
	return (EX_CANTCREAT);
}

int
vk_memimg_open(const struct vk_options *opts, struct vk_memimg *mem,
    bool *created)
{
	mem->fd = -1;
	mem->base = NULL;
	mem->size = 0;
	mem->path[0] = '\0';
	*created = false;
	if (opts->memimg != NULL)
		return (memimg_open_named(opts, mem, created));
	return (memimg_open_auto(opts, mem, created));
}

int
vk_memimg_map(struct vk_memimg *mem)
{
	void *base;
	int error;

	/*
	 * Map first (a shared mapping may extend past the end of the file)
	 * and grow or shrink to the final size next: either failing leaves
	 * the file as it was.  Only then discard the old contents.
	 */
	if ((uint64_t)(size_t)mem->size != mem->size) {
		vk_report("Memory image %s: %" PRIu64 " bytes cannot be mapped",
		    mem->path, mem->size);
		return (EX_OSERR);
	}
	base = mmap(NULL, (size_t)mem->size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    mem->fd, 0);
	if (base == MAP_FAILED) {
		error = errno;
		vk_report("Cannot map memory image %s (%" PRIu64 " bytes): %s",
		    mem->path, mem->size, strerror(error));
		return (EX_OSERR);
	}
	if (ftruncate(mem->fd, (off_t)mem->size) != 0 ||
	    ftruncate(mem->fd, 0) != 0 ||
	    ftruncate(mem->fd, (off_t)mem->size) != 0) {
		error = errno;
		vk_report("Cannot size memory image %s to %" PRIu64
			  " bytes: %s",
		    mem->path, mem->size, strerror(error));
		munmap(base, (size_t)mem->size);
		return (EX_IOERR);
	}
	mem->base = base;
	fprintf(vk_report_stream(), "Using memory file: %s\n", mem->path);
	fflush(vk_report_stream());
	return (0);
}

void
vk_memimg_close(struct vk_memimg *mem, bool remove)
{
	if (mem->base != NULL)
		munmap(mem->base, (size_t)mem->size);
	mem->base = NULL;
	if (mem->fd >= 0) {
		if (remove)
			unlink(mem->path);
		close(mem->fd);
	}
	mem->fd = -1;
}
