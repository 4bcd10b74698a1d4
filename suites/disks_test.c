/*
 * disks_test.c - a UFS root disk made by scripts/mkimage.sh: the kernel
 * boots from it (ufs:vkd0s0a, read-only until busybox's
 * "mount -o remount,rw /"; the world's BSD mount has its own suite),
 * shows its slices and partitions in /dev, changes files, and leaves the
 * file system clean at a halt (fsck_ufs finds nothing), keeps the changes
 * across a reboot, and after a SIGKILL in the middle of writes leaves it
 * unclean but repairable by fsck_ufs -p (the next read-write mount is
 * refused until then).  Also: an image made by Debian's makefs mounts,
 * reads and takes writes.
 *
 * Each test boots a fresh copy of the master image (the harness copies
 * it); the host tools run on the copy after the kernel has exited.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh.h"
#include "suites/ufs_image.h"

static struct ufs_image ui;


static void
setup(void)
{
	ufs_image_setup(&ui, "/tmp/vk-disks");
}

static void
teardown(void)
{
	vkh_test_end();
	ufs_image_teardown(&ui);
}

TestSuite(disks, .init = setup, .fini = teardown, .timeout = 120);

static struct vkh_guest *
boot(const char *image, const char *image2)
{
	return (vkh_test_boot(&(struct vkh_boot_spec) {
	    .profile = "suites/ufs.profile",
	    .images = { image, image2 } }));
}

/* Output of a guest command that must succeed. */
static char *
run_ok(struct vkh_guest *g, const char *cmd)
{
	int st;
	char *out = vkh_test_run(g, cmd, 20, &st);

	cr_assert_eq(st, 0, "'%s' failed (%d):\n%s", cmd, st, out);
	return (out);
}

static void
expect_out(struct vkh_guest *g, const char *cmd, const char *want)
{
	char *out = run_ok(g, cmd);

	cr_assert_str_eq(out, want, "'%s'", cmd);
	free(out);
}


/*
 * An independent reader (The Sleuth Kit) lists what the kernel wrote and
 * reads it back byte for byte: w/bb is busybox, w/hard says "two".
 * Partition 'a' starts at sector 16 (mkimage.sh's label).
 */
static void
expect_tsk_reads(const char *image)
{
	char *out;
	int st;

	if (ufs_host(NULL,
		"command -v fls >/dev/null && command -v icat "
		">/dev/null") != 0)
		cr_skip_test("no fls/icat (Debian sleuthkit)");
	st = ufs_host(&out,
	    "fls -r -p -o 16 -f ufs1 '%s' | grep -E '[[:space:]]w/(bb|hard|a"
	    "|short|long|sparse)$' | sort -k3",
	    image);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_not_null(strstr(out, "\tw/a\n"), "%s", out);
	cr_assert_not_null(strstr(out, "\tw/bb\n"), "%s", out);
	cr_assert_not_null(strstr(out, "\tw/long\n"), "%s", out);
	free(out);
	st = ufs_host(&out,
	    "i=$(fls -r -p -o 16 -f ufs1 '%s' | awk -F'[ :\t]+' "
	    "'$NF == \"w/bb\" { print $2 }'); icat -o 16 -f ufs1 '%s' "
	    "$i | cmp - /bin/busybox && echo same",
	    image, image);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_str_eq(out, "same\n");
	free(out);
	st = ufs_host(&out,
	    "i=$(fls -r -p -o 16 -f ufs1 '%s' | awk -F'[ :\t]+' "
	    "'$NF == \"w/hard\" { print $2 }'); icat -o 16 -f ufs1 "
	    "'%s' $i",
	    image, image);
	cr_assert_str_eq(out, "two\n");
	free(out);
}

static void
mount_rw(struct vkh_guest *g)
{
	free(run_ok(g,
	    "busybox mount -t proc proc /proc && "
	    "busybox mount -o remount,rw / && "
	    "grep ' / ' /proc/mounts"));
}

Test(disks, boots_ufs_root_with_slices_and_partitions)
{
	struct vkh_guest *g = boot(ui.master, NULL);

	expect_out(g,
	    "busybox mount -t proc proc /proc; grep ' / ' /proc/mounts",
	    "vkd0s0a / ufs ro 0 0\n");
	expect_out(g, "ls /dev | grep vkd", "vkd0\nvkd0s0\nvkd0s0a\nvkd0s0c\n");
	expect_out(g, "cat /etc/fstab | grep ufs",
	    "/dev/vkd0s0a\t\t/\t\tufs\trw\t1\t1\n");
	expect_out(g, "touch /x 2>&1; echo $?",
	    "touch: /x: Read-only file system\n1\n");
	/* The raw partition reads the superblock (magic 0x011954 at
	 * 8192 + 1372). */
	expect_out(g,
	    "dd if=/dev/vkd0s0a bs=512 skip=18 count=1 2>/dev/null"
	    " | od -An -tx1 -j 348 -N 4 | tr -d ' '",
	    "54190100\n");
	vkh_test_shutdown(g);
}

/* The raw partition's size, one mount per device, /proc status lines. */
Test(disks, partition_size_one_mount_per_device_and_proc_status)
{
	struct vkh_guest *g = boot(ui.master, NULL);

	expect_out(g, "busybox blockdev --getsize64 /dev/vkd0s0a",
	    "67100672\n"); /* 131056 sectors: 'a' of mkimage's label */
	free(run_ok(g, "busybox mount -t proc proc /proc"));
	{
		int st;
		char *out = vkh_test_run(g,
		    "busybox mount -t ufs /dev/vkd0s0a /mnt 2>&1", 20, &st);

		cr_assert_neq(st, 0, "%s", out);
		cr_assert_not_null(strstr(out, "Device or resource busy"), "%s",
		    out);
		free(out);
	}
	/* sh as init catches SIGINT, SIGQUIT... and ignores SIGTSTP. */
	expect_out(g, "grep -c '^Sig\\(Ign\\|Cgt\\):.*[1-9a-f]' /proc/1/status",
	    "2\n");
	vkh_test_shutdown(g);
}

/*
 * mkimage.sh's refusals: an existing image (kept as it was), a bad size,
 * missing tools; none leaves a vn unit attached or a file behind.
 */
Test(disks, mkimage_refuses_bad_input_and_leaves_files_alone)
{
	char obj[PATH_MAX], *out;
	int st;

	snprintf(obj, sizeof(obj), "%s", ui.bin);
	*strrchr(obj, '/') = '\0';
	cr_assert_eq(ufs_host(NULL, "cd %s && echo keep > x.img", ui.dir), 0);
	st = ufs_host(&out, "cd %s && %s/scripts/mkimage.sh -O %s x.img 2>&1",
	    ui.dir, ui.top, obj);
	cr_assert_eq(st, 73, "%s", out);
	cr_assert_not_null(strstr(out, "exists"), "%s", out);
	free(out);
	cr_assert_eq(ufs_host(&out, "cat %s/x.img", ui.dir), 0);
	cr_assert_str_eq(out, "keep\n");
	free(out);
	st = ufs_host(&out,
	    "cd %s && %s/scripts/mkimage.sh -s 12q -O %s y.img "
	    "2>&1",
	    ui.dir, ui.top, obj);
	cr_assert_eq(st, 64, "%s", out);
	free(out);
	st = ufs_host(&out,
	    "cd %s && %s/scripts/mkimage.sh -O /nonexistent "
	    "y.img 2>&1",
	    ui.dir, ui.top);
	cr_assert_eq(st, 69, "%s", out);
	cr_assert_not_null(strstr(out, "missing"), "%s", out);
	free(out);
	st = ufs_host(&out, "cd %s && %s/scripts/mkimage.sh 2>&1", ui.dir,
	    ui.top);
	cr_assert_eq(st, 64, "%s", out);
	free(out);
	cr_assert_neq(ufs_host(NULL, "test -e %s/y.img", ui.dir), 0);
	cr_assert_eq(ufs_host(&out, "%s/vnconfig -l 2>&1 | grep -c '^vn'",
			 ui.bin),
	    1, "a vn unit stayed attached: %s", out);
	free(out);
}

/* Permissions with the credentials: uid 1000 against root's files. */
Test(disks, file_permissions_follow_the_credentials)
{
	struct vkh_guest *g = boot(ui.master, NULL);

	mount_rw(g);
	vkh_test_send(g, "/usr/tests/vireo/ktap_perms");
	vkh_test_ktap(g, 30);
	vkh_test_shutdown(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
}

Test(disks, file_operations_then_a_clean_halt)
{
	struct vkh_guest *g = boot(ui.master, NULL);

	mount_rw(g);
	expect_out(g, "grep ' / ' /proc/mounts", "vkd0s0a / ufs rw 0 0\n");
	expect_out(g,
	    "mkdir -p /w/a/b && echo one > /w/a/f && cp /bin/busybox /w/bb "
	    "&& mv /w/a/f /w/a/b/g && ln /w/a/b/g /w/hard && "
	    "ln -s a/b/g /w/short && "
	    "ln -s /w/a/b/../b/../b/../b/../b/../b/../b/../b/../b/g /w/long && "
	    "cat /w/short /w/long /w/hard && stat -c '%h %s' /w/hard",
	    "one\none\none\n2 4\n");
	expect_out(g, "cmp /w/bb /bin/busybox && echo same", "same\n");
	/* rename over an existing name, rmdir, unlink, truncate. */
	expect_out(g,
	    "echo two > /w/t && mv /w/t /w/hard && cat /w/hard /w/a/b/g && "
	    "rm /w/a/b/g && rmdir /w/a/b && ls /w/a | wc -l",
	    "two\none\n0\n");
	expect_out(g,
	    "dd if=/dev/zero of=/w/sparse bs=1 count=1 seek=40000000 "
	    "2>/dev/null; stat -c %s /w/sparse; truncate -s 100 /w/sparse; "
	    "stat -c %s /w/sparse",
	    "40000001\n100\n");
	expect_out(g, "chmod 4711 /w/bb && stat -c %a /w/bb", "4711\n");
	expect_out(g, "rmdir /w 2>&1; echo $?",
	    "rmdir: '/w': Directory not empty\n1\n");
	vkh_test_shutdown(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
	expect_tsk_reads(vkh_image(g, 0));
}

Test(disks, files_persist_across_a_reboot)
{
	struct vkh_guest *g = boot(ui.master, NULL), *g2;
	char copy[PATH_MAX];

	mount_rw(g);
	free(run_ok(g,
	    "echo kept > /root/note && mkdir /root/d && "
	    "cp /etc/passwd /root/d/"));
	vkh_test_shutdown(g);
	snprintf(copy, sizeof(copy), "%s/after-first-boot.img", ui.dir);
	cr_assert_eq(ufs_host(NULL, "cp --sparse=always '%s' '%s'",
			 vkh_image(g, 0), copy),
	    0);
	g2 = boot(copy, NULL);
	expect_out(g2,
	    "cat /root/note; cmp /root/d/passwd /etc/passwd && "
	    "echo same",
	    "kept\nsame\n");
	vkh_test_shutdown(g2);
	ufs_expect_fsck_clean(&ui, vkh_image(g2, 0));
}

Test(disks, sigkill_while_writing_leaves_a_repairable_file_system)
{
	struct vkh_guest *g = boot(ui.master, NULL), *g2;
	char copy[PATH_MAX], *out;
	int st;

	mount_rw(g);
	vkh_test_send(g,
	    "i=0; while :; do echo $i > /f$((i % 40)); "
	    "mkdir /d$i; rmdir /d$i; i=$((i + 1)); done &");
	usleep(700 * 1000);
	vkh_test_signal(g, SIGKILL);
	st = vkh_test_wait_exit(g, 10);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	snprintf(copy, sizeof(copy), "%s/killed.img", ui.dir);
	cr_assert_eq(ufs_host(NULL, "cp --sparse=always '%s' '%s'",
			 vkh_image(g, 0), copy),
	    0);
	/* Unclean: the next read-write mount is refused. */
	g2 = boot(copy, NULL);
	cr_assert(vkh_console_contains(g2, "was not properly dismounted"));
	out = vkh_test_run(g2,
	    "busybox mount -t proc proc /proc; "
	    "busybox mount -o remount,rw / 2>&1",
	    20, &st);
	cr_assert_neq(st, 0, "%s", out);
	free(out);
	cr_assert(vkh_console_contains(g2,
	    "WARNING: R/W mount of vkd0s0a denied.  Filesystem is not clean - "
	    "run fsck"));
	vkh_test_shutdown(g2);
	/* fsck -p repairs it; then it is clean. */
	st = ufs_host(&out, "%s/fsck_ufs -p '%s' 2>&1", ui.bin,
	    vkh_image(g2, 0));
	cr_assert_eq(st, 0, "fsck_ufs -p: %d\n%s", st, out);
	free(out);
	st = ufs_host(&out, "%s/fsck_ufs -n '%s' 2>&1", ui.bin,
	    vkh_image(g2, 0));
	cr_assert_eq(st, 0, "%s", out);
	cr_assert_null(strstr(out, "?"), "after preen:\n%s", out);
	free(out);
}

/*
 * rc's way: the guest's fsck -p repairs the read-only root in place, and
 * the remount to read-write then reads the repaired file system again
 * (no reboot needed).
 */
Test(disks, guest_fsck_then_remount_rw_without_a_reboot)
{
	struct vkh_guest *g = boot(ui.master, NULL), *g2;
	char copy[PATH_MAX], *out;
	int st;

	mount_rw(g);
	vkh_test_send(g,
	    "i=0; while :; do echo $i > /f$((i % 40)); "
	    "mkdir /d$i; rmdir /d$i; i=$((i + 1)); done &");
	usleep(700 * 1000);
	vkh_test_signal(g, SIGKILL);
	vkh_test_wait_exit(g, 10);
	snprintf(copy, sizeof(copy), "%s/killed2.img", ui.dir);
	cr_assert_eq(ufs_host(NULL, "cp --sparse=always '%s' '%s'",
			 vkh_image(g, 0), copy),
	    0);
	g2 = boot(copy, NULL);
	out = vkh_test_run(g2, "/sbin/fsck -p /dev/vkd0s0a; echo fsck=$?", 30,
	    &st);
	cr_assert_not_null(strstr(out, "fsck=4"), "%s", out); /* changed */
	free(out);
	free(run_ok(g2,
	    "busybox mount -t proc proc /proc && "
	    "busybox mount -o remount,rw / && echo ok > /after"));
	expect_out(g2, "cat /after; grep ' / ' /proc/mounts",
	    "ok\nvkd0s0a / ufs rw 0 0\n");
	vkh_test_shutdown(g2);
	ufs_expect_fsck_clean(&ui, vkh_image(g2, 0));
}

Test(disks, makefs_image_mounts_reads_and_takes_writes)
{
	char tree[PATH_MAX + 8], img[PATH_MAX + 16], *out;
	struct vkh_guest *g;

	if (ufs_host(NULL, "command -v makefs >/dev/null") != 0)
		cr_skip_test("no makefs (Debian makefs)");
	snprintf(tree, sizeof(tree), "%s/tree", ui.dir);
	snprintf(img, sizeof(img), "%s/makefs.img", ui.dir);
	cr_assert_eq(ufs_host(&out,
			 "mkdir -p %s/sub && echo made > %s/sub/f && "
			 "ln -s sub/f %s/l && "
			 "makefs -t ffs -o version=1 -s 16m %s %s "
			 "2>&1",
			 tree, tree, tree, img, tree),
	    0, "%s", out);
	free(out);
	g = boot(ui.master, img);
	expect_out(g, "ls /dev | grep vkd1", "vkd1\nvkd1s0\n");
	expect_out(g,
	    "mount -t ufs /dev/vkd1s0 /mnt && cat /mnt/sub/f /mnt/l && "
	    "echo new > /mnt/sub/n && mkdir /mnt/dd && cat /mnt/sub/n && "
	    "umount /mnt",
	    "made\nmade\nnew\n");
	vkh_test_shutdown(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 1));
}
