/*
 * disk_test.c - unit tests of opening the -r and -c images: modes,
 * sizes and locks, each refusal with its exit code (missing, no
 * permission, in use, not a file), the 16-image limit, and that a refused
 * image stops setup before the memory image or pidfile is touched.
 */
#include <errno.h>
#include <sysexits.h>

#include "runtime/platform/tests/platform_test.h"

static char *dir;
static char *report;
static size_t report_len;
static struct vk_options opts;
static struct vk_host host;
static char paths[VK_DISK_MAX][4096];

static void
setup(void)
{
	dir = scratch_dir();
	cr_assert_eq(setenv(VK_MEMIMG_DIR_ENV, dir, 1), 0);
	(void)report_capture(&report, &report_len);
	memset(&opts, 0, sizeof(opts));
	opts.ncpus = 2;
	opts.memsize = 64ULL << 20;
	host.mem.fd = -1;
	host.pidfile_fd = -1;
}

static void
teardown(void)
{
	if (getuid() == 0)
		(void)seteuid(0);
	vk_host_release(&host);
	scratch_remove(dir);
}

TestSuite(disk, .init = setup, .fini = teardown, .timeout = 30);

/* Adds a -r (type VK_DISK_RW) or -c image named name in the scratch dir. */
static const char *
add_disk(enum vk_disk_type type, const char *name)
{
	struct vk_disk_spec *d = &opts.disks[opts.ndisks];
	int i, unit = 0;

	for (i = 0; i < opts.ndisks; i++)
		if (opts.disks[i].type == type)
			unit++;
	snprintf(paths[opts.ndisks], sizeof(paths[0]), "%s/%s", dir, name);
	d->type = type;
	d->path = paths[opts.ndisks];
	d->unit = unit;
	opts.ndisks++;
	return (d->path);
}

Test(disk, images_are_opened_sized_and_locked)
{
	const char *root = add_disk(VK_DISK_RW, "root.img");
	const char *cd = add_disk(VK_DISK_CD, "cd.iso");

	make_file(root, 1LL << 20, NULL);
	make_file(cd, 2048 * 10, NULL);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_eq(host.ndisks, 2);
	cr_assert_eq(host.disks[0].size, 1ULL << 20);
	cr_assert_eq(host.disks[1].size, 20480);
	cr_assert_eq(host.disks[0].spec, &opts.disks[0]);
	cr_assert_eq(fcntl(host.disks[0].fd, F_GETFL) & O_ACCMODE, O_RDWR);
	cr_assert_eq(fcntl(host.disks[1].fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	cr_assert(fcntl(host.disks[0].fd, F_GETFD) & FD_CLOEXEC);
	cr_assert(!lockable(root));
	cr_assert(!lockable(cd));
	vk_host_release(&host);
	cr_assert(lockable(root));
	cr_assert(lockable(cd));
	cr_assert_eq(host.ndisks, 0);
}

/* Reads of an image: from its mapping, or with pread without one. */
Test(disk, images_are_mapped_and_reads_see_writes)
{
	const char *root = add_disk(VK_DISK_RW, "root.img");
	const char *cd = add_disk(VK_DISK_CD, "cd.iso");
	char buf[16];
	void *base;

	make_file(root, 1LL << 20, "hello, disk");
	make_file(cd, 2048, "the cd");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_not_null(host.disks[0].base);
	cr_assert_not_null(host.disks[1].base);
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 11, 0), 0);
	cr_assert_eq(memcmp(buf, "hello, disk", 11), 0);
	cr_assert_eq(host_disk_pread(&host.disks[1], buf, 6, 0), 0);
	cr_assert_eq(memcmp(buf, "the cd", 6), 0);
	/* A write goes to the file; the mapping sees it at once. */
	cr_assert_eq(host_disk_pwrite(&host.disks[0], "HELLO", 5, 0), 0);
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 11, 0), 0);
	cr_assert_eq(memcmp(buf, "HELLO, disk", 11), 0);
	cr_assert_eq(host_disk_pwrite(&host.disks[0], "end", 3,
			 (1ULL << 20) - 3),
	    0);
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 3, (1ULL << 20) - 3),
	    0);
	cr_assert_eq(memcmp(buf, "end", 3), 0);
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 4, (1ULL << 20) - 3),
	    EIO, "past the end");
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 1, 1ULL << 21), EIO);
	/* Without the mapping, the same through pread. */
	base = host.disks[0].base;
	host.disks[0].base = NULL;
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 11, 0), 0);
	cr_assert_eq(memcmp(buf, "HELLO, disk", 11), 0);
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 4, (1ULL << 20) - 3),
	    EIO);
	host.disks[0].base = base;
	vk_host_release(&host);
	cr_assert_null(host.disks[0].base, "unmapped at close");
}

Test(disk, an_empty_image_is_not_mapped)
{
	char buf[1];

	make_file(add_disk(VK_DISK_RW, "empty.img"), 0, NULL);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_eq(host.disks[0].size, 0);
	cr_assert_null(host.disks[0].base);
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 0, 0), 0);
	cr_assert_eq(host_disk_pread(&host.disks[0], buf, 1, 0), EIO);
}

Test(disk, sixteen_images)
{
	char name[16];
	int i;

	for (i = 0; i < VK_DISK_MAX; i++) {
		snprintf(name, sizeof(name), "d%d", i);
		make_file(add_disk(i % 2 ? VK_DISK_CD : VK_DISK_RW, name), 4096,
		    NULL);
	}
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
	cr_assert_eq(host.ndisks, VK_DISK_MAX);
	for (i = 0; i < VK_DISK_MAX; i++)
		cr_assert_geq(host.disks[i].fd, 0);
}

Test(disk, missing_image)
{
	const char *root = add_disk(VK_DISK_RW, "root.img");

	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_NOINPUT);
	cr_assert_not_null(strstr(report, root), "%s", report);
	cr_assert_not_null(strstr(report, "(vkd0)"));
	cr_assert_not_null(strstr(report, "No such file or directory"));
	cr_assert_eq(count_entries(dir), 0, "setup went on after the disk");
}

Test(disk, missing_cd_names_its_unit)
{
	make_file(add_disk(VK_DISK_CD, "a.iso"), 2048, NULL);
	add_disk(VK_DISK_CD, "b.iso");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_NOINPUT);
	cr_assert_not_null(strstr(report, "b.iso (vcd1)"), "%s", report);
	/* The image opened before the refused one is closed again. */
	cr_assert(lockable(paths[0]));
}

Test(disk, image_without_permission)
{
	const char *root = add_disk(VK_DISK_RW, "root.img");

	/*
	 * Root ignores file modes, so the test drops its effective uid to
	 * nobody for the setup (teardown takes root back).  A read-only
	 * vkd is refused because it is opened read-write.
	 */
	make_file(root, 4096, NULL);
	cr_assert_eq(chmod(root, 0444), 0);
	if (geteuid() == 0 && seteuid(65534) != 0)
		cr_skip_test("running as root and cannot drop to uid 65534");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_NOPERM);
	cr_assert_not_null(strstr(report, root));
	cr_assert_not_null(strstr(report, "Permission denied"));
}

Test(disk, read_only_file_is_fine_for_a_cd)
{
	const char *cd = add_disk(VK_DISK_CD, "cd.iso");

	make_file(cd, 2048, NULL);
	cr_assert_eq(chmod(cd, 0444), 0);
	cr_assert_eq(chmod(dir, 0777), 0); /* nobody makes the memory image */
	if (geteuid() == 0 && seteuid(65534) != 0)
		cr_skip_test("running as root and cannot drop to uid 65534");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), 0, "%s", report);
}

Test(disk, image_in_use)
{
	const char *root = add_disk(VK_DISK_RW, "root.img");
	int fd;

	make_file(root, 4096, "label");
	fd = hold_lock(root);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_TEMPFAIL);
	{
		char want[4200], buf[8];

		snprintf(want, sizeof(want),
		    "kernel: Disk image %s is already in use\n", root);
		cr_assert_str_eq(report, want);
		cr_assert_gt(read_file(root, buf, sizeof(buf)), 0);
		cr_assert_str_eq(buf, "label");
	}
	cr_assert_eq(file_size(root), 4096);
	cr_assert_eq(count_entries(dir), 1);
	close(fd);
}

Test(disk, same_image_twice_is_in_use)
{
	make_file(add_disk(VK_DISK_RW, "root.img"), 4096, NULL);
	add_disk(VK_DISK_CD, "root.img");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_TEMPFAIL);
	cr_assert_not_null(strstr(report, "already in use"));
}

Test(disk, directory_is_not_an_image)
{
	add_disk(VK_DISK_RW, ".");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_DATAERR);
	cr_assert_not_null(strstr(report, paths[0]), "%s", report);
	opts.ndisks = 0;
	add_disk(VK_DISK_CD, ".");
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_DATAERR);
	cr_assert_not_null(strstr(report,
	    "is not a regular file or block device"));
}

Test(disk, fifo_is_refused_without_hanging)
{
	const char *cd = add_disk(VK_DISK_CD, "fifo");

	cr_assert_eq(mkfifo(cd, 0644), 0);
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_DATAERR);
	cr_assert_not_null(strstr(report,
	    "is not a regular file or block device"));
}

Test(disk, refused_image_leaves_pidfile_and_memimg_alone)
{
	char pidfile[4200], memimg[4200], buf[16];

	add_disk(VK_DISK_RW, "missing.img");
	snprintf(pidfile, sizeof(pidfile), "%s/kernel.pid", dir);
	snprintf(memimg, sizeof(memimg), "%s/memimg.000000", dir);
	make_file(pidfile, 0, "123\n");
	make_file(memimg, 96LL << 20, "old");
	opts.pidfile = pidfile;
	cr_assert_eq(vk_host_setup(&opts, 0, NULL, &host), EX_NOINPUT);
	cr_assert_eq(read_file(pidfile, buf, sizeof(buf)), 4);
	cr_assert_str_eq(buf, "123\n");
	cr_assert_eq(file_size(memimg), 96LL << 20);
	cr_assert_eq(read_file(memimg, buf, 4), 3);
	cr_assert_null(strstr(report, "Using memory file"));
	cr_assert_eq(count_entries(dir), 2);
}
