/*
 * host_setup.c - acquiring and releasing what the command line names.
 *
 * The order is chosen so that a refusal changes no file: first everything
 * is opened and locked (disk images, then the memory image, then the
 * pidfile), which at most creates a memory image or pidfile that did not
 * exist and is removed again on failure; only when all of it is held is
 * the memory image sized and mapped and the pid written.
 *
 * Every descriptor is close-on-exec.  A reboot re-executes the kernel
 * after vk_host_release(), and the new image takes the locks anew.
 */
#include <string.h>
#include <sysexits.h>

#include <sys/file.h>
#include <unistd.h>

#include "runtime/platform/host_private.h"

int
vk_host_setup(const struct vk_options *opts, int argc, char **argv,
    struct vk_host *host)
{
	bool mem_created = false, pid_created = false;
	int i, error;

	memset(host, 0, sizeof(*host));
	host->mem.fd = -1;
	host->pidfile_fd = -1;
	for (i = 0; i < VK_DISK_MAX; i++)
		host->disks[i].fd = -1;
	host->argc = argc;
	host->argv = argv;

	if ((error = vk_disks_open(opts, host)) != 0)
		return (error);
	if ((error = vk_memimg_open(opts, &host->mem, &mem_created)) != 0)
		goto fail_disks;
	if (opts->pidfile != NULL) {
		error = vk_pidfile_open(opts->pidfile, &host->pidfile_fd,
		    &pid_created);
		if (error != 0)
			goto fail_memimg;
		host->pidfile_path = opts->pidfile;
	}
	if ((error = vk_memimg_map(&host->mem)) != 0)
		goto fail_pidfile;
	if (host->pidfile_fd >= 0 &&
	    (error = vk_pidfile_write(host->pidfile_fd, opts->pidfile)) != 0)
		goto fail_pidfile;
	return (0);

fail_pidfile:
	/*
	 * XXX A pidfile that existed before and failed to be written has
	 * lost its old (stale) contents; we remove only one we made.
	 */
	vk_pidfile_close(&host->pidfile_fd, host->pidfile_path, pid_created);
	host->pidfile_path = NULL;
fail_memimg:
	vk_memimg_close(&host->mem, mem_created);
fail_disks:
	vk_disks_close(host);
	return (error);
}

void
vk_host_release(struct vk_host *host)
{
	/* Holding pidfile_fd means holding its lock: the file is ours. */
	vk_pidfile_close(&host->pidfile_fd, host->pidfile_path, true);
	/*
	 * The memory image stays mapped: this runs on the way out (exit or
	 * re-exec, which unmap it anyway) while other kernel threads may
	 * still be touching it.  The mapping keeps the open file alive, so
	 * the lock is dropped explicitly before the descriptor goes.
	 */
	if (host->mem.fd >= 0) {
		flock(host->mem.fd, LOCK_UN);
		close(host->mem.fd);
		host->mem.fd = -1;
	}
	vk_disks_close(host);
}
