/*
 * world_test.c - the world's boot path on a root image made by
 * scripts/mkimage.sh: init runs /etc/rc and a getty on the console, root
 * logs in, and every way down (a host SIGTERM, init's halt, power-off and
 * reboot requests, back to single-user) behaves as vkernel(7) and init(8)
 * say.  Also: -s gives a single-user shell first, rc.conf sets the host
 * name and reports lines it does not understand, mount and umount, users
 * with "$6$" passwords (one hashed by the host's crypt(3)).
 *
 * The image is made once in the suite's setup; each test boots a fresh
 * copy (suites/world.profile: to the login shell, or to "root" for the
 * tests that drive the login dialogue themselves).
 */
#include <criterion/criterion.h>
#include <crypt.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/vkh.h"
#include "suites/ufs_image.h"

#define T	  30
#define PROFILE	  "suites/world.profile"
#define BANNER	  "Vireo 0.1-DEVELOPMENT #"
#define LOGIN_RE  "login: "
#define PROMPT_RE "[#$] "
#define HALTED_RE "^The operating system has halted\\.$"

static struct ufs_image ui;
static char iso[PATH_MAX];


static void
setup(void)
{
	char *out = NULL;

	ufs_image_setup(&ui, "/tmp/vk-world");
	/* A CD-ROM for mount -t cd9660. */
	snprintf(iso, sizeof(iso), "%s/cd.iso", ui.dir);
	cr_assert_eq(ufs_host(&out,
			 "mkdir %s/cd && echo cd-data > %s/cd/hello && "
			 "xorriso -as mkisofs -R -o %s %s/cd 2>&1",
			 ui.dir, ui.dir, iso, ui.dir),
	    0, "xorriso failed:\n%s", out);
	free(out);
}

static void
teardown(void)
{
	vkh_test_end();
	ufs_image_teardown(&ui);
}

TestSuite(world, .init = setup, .fini = teardown, .timeout = 150);

/* Boots the master image up to phase until (NULL: the login shell),
 * with up to four kernel arguments (NULL-terminated). */
static struct vkh_guest *
boot4(const char *until, const char *a, const char *b, const char *c,
    const char *d)
{
	return (vkh_test_boot(&(struct vkh_boot_spec) { .profile = PROFILE,
	    .until = until,
	    .images = { ui.master },
	    .args = { a, b, c, d } }));
}

static struct vkh_guest *
boot(const char *until, const char *arg)
{
	return (boot4(until, arg, NULL, NULL, NULL));
}

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

/* Counts the occurrences of text on the console so far. */
static int
count(struct vkh_guest *g, const char *text)
{
	const char *p = vkh_transcript(g);
	int n = 0;

	while ((p = strstr(p, text)) != NULL) {
		n++;
		p++;
	}
	return (n);
}

/* Logs in as root at a login prompt already seen; waits for the shell. */
static void
login_root(struct vkh_guest *g)
{
	vkh_test_send(g, "root");
	vkh_test_expect(g, PROMPT_RE, T);
}


/* Waits for the kernel to exit and checks it exited 0 after a halt. */
static void
expect_halt(struct vkh_guest *g)
{
	int ws;

	vkh_test_expect(g, HALTED_RE, T);
	ws = vkh_test_wait_exit(g, T);
	cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "status %#x", ws);
}

Test(world, boots_multi_user_and_root_logs_in)
{
	struct vkh_guest *g = boot(NULL, NULL);

	/* rc ran: the root read-write, rc.conf's host name, the network. */
	cr_assert(vkh_console_contains(g, "Setting hostname: vkernel."));
	/* The rc.conf vkernel(7) suggests boots without a complaint. */
	cr_assert_not(vkh_console_contains(g, "rc: "));
	cr_assert(vkh_console_contains(g,
	    "vke0: not configured (DHCP): no network support yet"));
	/* getty's banner and prompt, login's motd. */
	cr_assert(vkh_console_contains(g, "Vireo/x86_64 (vkernel) (console)"));
	cr_assert(vkh_console_contains(g,
	    "Vireo: a DragonFly-style virtual "
	    "kernel running as a Linux process."));
	expect_out(g, "id -u; pwd; echo $HOME $USER $LOGNAME $SHELL",
	    "0\n/root\n/root root root /bin/sh\n");
	expect_out(g, "hostname; uname -n", "vkernel\nvkernel\n");
	expect_out(g, "echo $0", "-sh\n");
	/* The processes: init is 1, our shell's parent chain holds login's
	 * exec (getty -> login -> sh is one process). */
	expect_out(g, "cat /proc/1/comm", "init\n");
	expect_out(g, "mount",
	    "/dev/vkd0s0a on / (ufs, local)\n"
	    "devfs on /dev (devfs)\n"
	    "proc on /proc (procfs, read-only)\n");
	expect_out(g, "touch /rw && rm /rw && echo rw", "rw\n");
	vkh_test_shutdown(g);
}

Test(world, host_sigterm_runs_rc_shutdown_and_leaves_disks_clean)
{
	struct vkh_guest *g = boot(NULL, NULL);

	free(run_ok(g, "echo kept > /root/f && sync"));
	vkh_test_signal(g, SIGTERM);
	vkh_test_expect(g,
	    "Caught SIGTERM from host system\\. Shutting "
	    "down\\.\\.\\.$",
	    T);
	vkh_test_expect(g, "Shutting down local daemons:$", T);
	vkh_test_expect(g, "rc\\.shutdown: done$", T);
	vkh_test_expect(g, "^syncing disks\\.\\.\\. done$", T);
	expect_halt(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
}

Test(world, single_user_shell_then_multi_user)
{
	struct vkh_guest *g = boot("root", "-s");

	vkh_test_expect(g, PROMPT_RE, T);
	cr_assert_not(vkh_console_contains(g, "login: "));
	cr_assert_not(vkh_console_contains(g, "Setting hostname"));
	vkh_test_send(g, "echo single-$((6 * 7)); touch /x 2>&1");
	vkh_test_expect(g, "^single-42", T);
	vkh_test_expect(g, "Read-only file system", T);
	vkh_test_send(g, "exit");
	/* rc runs (without autoboot: no fsck), then getty. */
	vkh_test_expect(g, "^Setting hostname: vkernel\\.$", T);
	vkh_test_expect(g, LOGIN_RE, T);
	cr_assert_not(vkh_console_contains(g, "Starting file system checks"));
	cr_assert_not(vkh_console_contains(g, "file systems not checked"));
	login_root(g);
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
}

Test(world, init_sigterm_goes_back_to_single_user)
{
	struct vkh_guest *g = boot(NULL, NULL);

	vkh_test_send(g, "kill -TERM 1");
	/* The login shell is killed; a single-user shell comes, in / with
	 * busybox's prompt (the login shell's was the harness's). */
	vkh_test_expect(g, "^/ # ", T);
	vkh_test_send(g, "echo $$-$0");
	vkh_test_expect(g, "^[0-9]+--sh", T);
	cr_assert_eq(count(g, "login: "), 1);
	vkh_test_send(g, "exit");
	vkh_test_expect(g, LOGIN_RE, T);
	cr_assert_eq(count(g, "login: "), 2);
	login_root(g);
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
}

Test(world, init_halt_and_power_off_requests_exit_0)
{
	struct vkh_guest *g = boot(NULL, NULL);

	/* SIGUSR1: halt, after rc.shutdown. */
	vkh_test_send(g, "kill -USR1 1");
	vkh_test_expect(g, "rc\\.shutdown: done$", T);
	expect_halt(g);
	cr_assert_not(vkh_console_contains(g, "Rebooting"));
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
	vkh_test_end();
	g = boot(NULL, NULL);
	vkh_test_send(g, "kill -USR2 1");
	vkh_test_expect(g, "rc\\.shutdown: done$", T);
	expect_halt(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
}

Test(world, reboot_request_boots_again_with_rc_conf_changes)
{
	struct vkh_guest *g = boot(NULL, NULL);

	/* A host name of our own and a line rc does not understand. */
	free(run_ok(g,
	    "echo 'hostname=\"vk-test\"' >> /etc/rc.conf && "
	    "echo 'frobnicate_enable=\"YES\"' >> /etc/rc.conf && "
	    "echo 'this is not an assignment' >> /etc/rc.conf"));
	vkh_test_send(g, "kill -INT 1");
	vkh_test_expect(g, "rc\\.shutdown: done$", T);
	vkh_test_expect(g, "^Rebooting\\.\\.\\.$", T);
	vkh_test_expect(g, "^" BANNER, T);
	vkh_test_expect(g, "^Setting hostname: vk-test\\.$", T);
	vkh_test_expect(g, LOGIN_RE, T);
	cr_assert_eq(count(g, BANNER), 2);
	cr_assert(vkh_console_contains(g,
	    "rc: /etc/rc.conf: line 9: unknown variable frobnicate_enable"));
	cr_assert(vkh_console_contains(g,
	    "rc: /etc/rc.conf: line 10: not understood: this is not an "
	    "assignment"));
	cr_assert(vkh_console_contains(g, "Vireo/x86_64 (vk-test) (console)"));
	login_root(g);
	vkh_test_send(g, "echo HN-$(hostname)-END");
	vkh_test_expect(g, "^HN-vk-test-END", T);
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
}

Test(world, login_refuses_unknown_users_and_wrong_passwords)
{
	struct vkh_guest *g = boot("root", NULL);

	vkh_test_expect(g, LOGIN_RE, T);
	vkh_test_send(g, "nosuchuser");
	vkh_test_expect(g, "Password:", T);
	vkh_test_send(g, "x");
	vkh_test_expect(g, "^Login incorrect$", T);
	vkh_test_expect(g, LOGIN_RE, T);
	/* A locked account ("*"). */
	vkh_test_send(g, "daemon");
	vkh_test_expect(g, "Password:", T);
	vkh_test_send(g, "");
	vkh_test_expect(g, "^Login incorrect$", T);
	vkh_test_expect(g, LOGIN_RE, T);
	login_root(g);
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
}

Test(world, hup_rereads_ttys_and_al_entry_logs_in_at_once)
{
	struct vkh_guest *g = boot(NULL, NULL);

	/* The console's getty now auto-logs root in (gettytab al.Pc). */
	free(run_ok(g,
	    "sed -i 's/getty Pc/getty al.Pc/' /etc/ttys && "
	    "grep -c al.Pc /etc/ttys"));
	vkh_test_send(g, "kill -HUP 1");
	/* Our session is hung up; the new getty logs in without asking. */
	vkh_test_expect(g, "Vireo/x86_64 \\(vkernel\\) \\(console\\)", T);
	vkh_test_expect(g, PROMPT_RE, T);
	cr_assert_eq(count(g, "login: "), 1);
	vkh_test_send(g, "echo AL-$(id -u)-$USER");
	vkh_test_expect(g, "^AL-0-root", T);
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
}

Test(world, mount_and_umount)
{
	/* A CD-ROM makes vcd0 the default root: the disk is asked for. */
	struct vkh_guest *g = boot4(NULL, "-c", iso, "-e",
	    "vfs.root.mountfrom=\"ufs:vkd0s0a\"");

	expect_out(g, "mount -u -o ro / && touch /y 2>&1; mount | head -1",
	    "touch: /y: Read-only file system\n"
	    "/dev/vkd0s0a on / (ufs, local, read-only)\n");
	expect_out(g, "mount -u -w / && touch /y && rm /y && echo ok", "ok\n");
	expect_out(g,
	    "umount /proc && cat /proc/1/comm 2>/dev/null; "
	    "mount 2>&1 | head -1",
	    "mount: /proc/mounts: No such file or directory "
	    "(mount -t procfs proc /proc)\n");
	expect_out(g, "mount -a && cat /proc/1/comm", "init\n");
	expect_out(g,
	    "mkdir -p /mnt/p && mount -t procfs proc /mnt/p && "
	    "mount | grep /mnt/p && umount -a && mount -a && mount",
	    "proc on /mnt/p (procfs, read-only)\n"
	    "/dev/vkd0s0a on / (ufs, local)\n"
	    "devfs on /dev (devfs)\n"
	    "proc on /proc (procfs, read-only)\n");
	expect_out(g,
	    "mount -t cd9660 /dev/vcd0 /cdrom && cat /cdrom/hello && "
	    "mount | grep cdrom && umount /dev/vcd0 && "
	    "ls /cdrom | wc -l",
	    "cd-data\n/dev/vcd0 on /cdrom (cd9660, local, read-only)\n0\n");
	expect_out(g, "mount -t nosuchfs x /mnt 2>&1; echo $?",
	    "mount: nosuchfs: unknown file system type\n1\n");
	vkh_test_shutdown(g);
}

/* True when the image has the world's own path (not a busybox applet). */
static bool
has_program(struct vkh_guest *g, const char *path)
{
	char cmd[256], *out;
	bool yes;

	snprintf(cmd, sizeof(cmd),
	    "[ -x %s ] && ! [ %s -ef /bin/busybox ] && echo yes || echo no",
	    path, path);
	out = run_ok(g, cmd);
	yes = strcmp(out, "yes\n") == 0;
	free(out);
	return (yes);
}

/* halt(8), shutdown(8) and reboot(8) (world/tools.mk) go through init. */
Test(world, halt_shutdown_and_reboot_programs)
{
	struct vkh_guest *g = boot(NULL, NULL);

	if (!has_program(g, "/sbin/halt") ||
	    !has_program(g, "/sbin/shutdown") ||
	    !has_program(g, "/sbin/reboot"))
		cr_skip_test("no halt, shutdown and reboot of world/tools.mk");
	vkh_test_send(g, "halt");
	vkh_test_expect(g, "rc\\.shutdown: done$", T);
	expect_halt(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
	vkh_test_end();

	g = boot(NULL, NULL);
	vkh_test_send(g, "shutdown -h now");
	vkh_test_expect(g, "rc\\.shutdown: done$", T);
	expect_halt(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
	vkh_test_end();

	g = boot(NULL, NULL);
	vkh_test_send(g, "reboot");
	vkh_test_expect(g, "rc\\.shutdown: done$", T);
	vkh_test_expect(g, "^Rebooting\\.\\.\\.$", T);
	vkh_test_expect(g, "^" BANNER, T);
	vkh_test_expect(g, LOGIN_RE, T);
	cr_assert_eq(count(g, BANNER), 2);
	login_root(g);
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
}

/*
 * A "$6$" hash of key (login(1)) made now by the host's crypt(3), with a
 * random salt and, unless rounds is 0, "rounds=rounds$": the guest's own
 * SHA-512 crypt must agree with it.
 */
static void
host_hash(const char *key, int rounds, char *hash, size_t size)
{
	static const char alphabet[] =
	    "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	struct crypt_data *data = calloc(1, sizeof(*data));
	char setting[64], salt[17], r[32] = "";
	const char *h;
	int i;

	cr_assert_not_null(data);
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	for (i = 0; i < 16; i++)
		salt[i] = alphabet[rand() % 64];
	salt[16] = '\0';
	if (rounds != 0)
		snprintf(r, sizeof(r), "rounds=%d$", rounds);
	snprintf(setting, sizeof(setting), "$6$%s%s", r, salt);
	h = crypt_r(key, setting, data);
	cr_assert(h != NULL && strncmp(h, setting, strlen(setting)) == 0,
	    "host crypt_r refused %s", setting);
	snprintf(hash, size, "%s", h);
	free(data);
}

/* Sends a name and a password at a login prompt already seen. */
static void
login_as(struct vkh_guest *g, const char *name, const char *password)
{
	vkh_test_send(g, name);
	vkh_test_expect(g, "Password:", T);
	vkh_test_send(g, password);
}

/* A user with a password (a "$6$" hash from the host's crypt(3),
 * login(1)), and root refused on a terminal that is not secure. */
Test(world, user_login_with_password_and_insecure_console)
{
	struct vkh_guest *g = boot(NULL, NULL);
	char hash[256], cmd[1024];

	host_hash("s3cret", 1000 + getpid() % 4000, hash, sizeof(hash));
	snprintf(cmd, sizeof(cmd),
	    "echo 'guest:%s:1001:1001::0:0:Guest:/home/guest:/bin/sh' >> "
	    "/etc/master.passwd && "
	    "echo 'guest:*:1001:1001:Guest:/home/guest:/bin/sh' >> "
	    "/etc/passwd && mkdir -p /home/guest && "
	    "chown 1001:1001 /home/guest && "
	    "sed -i 's/on[[:space:]]*secure/on/' /etc/ttys",
	    hash);
	free(run_ok(g, cmd));
	vkh_test_send(g, "exit");
	vkh_test_expect(g, LOGIN_RE, T);
	login_as(g, "guest", "wrong");
	vkh_test_expect(g, "^Login incorrect$", T);
	vkh_test_expect(g, LOGIN_RE, T);
	login_as(g, "guest", "s3cret");
	vkh_test_expect(g, "\\$ ", T);
	cr_assert_not(vkh_console_contains(g, "Password:s3cret"),
	    "password echoed");
	cr_assert_not(vkh_console_contains(g, "Password:wrong"),
	    "password echoed");
	vkh_test_send(g, "echo U-$(id -u)-$(id -g)-$(pwd)-$USER-$HOME");
	vkh_test_expect(g, "^U-1001-1001-/home/guest-guest-/home/guest", T);
	vkh_test_send(g, "exit");
	/* The console is no longer secure: root is refused. */
	vkh_test_expect(g, LOGIN_RE, T);
	vkh_test_send(g, "root");
	vkh_test_expect(g, "^ROOT LOGIN REFUSED ON console$", T);
	vkh_test_expect(g, LOGIN_RE, T);
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
}

/*
 * login(1)'s SHA-512 crypt on the specification's first example (the
 * default 5000 rounds) and on a host crypt(3) hash of a key longer than a
 * digest (64 bytes), with spaces: the right passwords log in, near misses
 * are refused.  (Two sessions only: init sleeps after three quick ones.)
 */
Test(world, login_checks_sha512_crypt_passwords)
{
	/* Drepper's SHA-crypt.txt: "Hello world!", salt "saltstring". */
	static const char vector[] =
	    "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQ"
	    "JuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1";
	static const char key[] =
	    "a passphrase longer than one SHA-512 "
	    "digest (64 bytes), typed at the login prompt";
	struct vkh_guest *g = boot(NULL, NULL);
	char hash[256], cmd[1024], wrong[sizeof(key)];

	cr_assert_gt(strlen(key), 64);
	host_hash(key, 0, hash, sizeof(hash));
	snprintf(cmd, sizeof(cmd),
	    "echo 'vector:%s:1002:1002::0:0:Vector:/:/bin/sh' >> "
	    "/etc/master.passwd && "
	    "echo 'long:%s:1003:1003::0:0:Long:/:/bin/sh' >> "
	    "/etc/master.passwd",
	    vector, hash);
	free(run_ok(g, cmd));
	vkh_test_send(g, "exit");
	vkh_test_expect(g, LOGIN_RE, T);
	login_as(g, "vector", "Hello world");
	vkh_test_expect(g, "^Login incorrect$", T);
	vkh_test_expect(g, LOGIN_RE, T);
	login_as(g, "vector", "Hello world!");
	vkh_test_expect(g, "\\$ ", T);
	vkh_test_send(g, "echo V-$(id -u)-$USER");
	vkh_test_expect(g, "^V-1002-vector", T);
	vkh_test_send(g, "exit");
	vkh_test_expect(g, LOGIN_RE, T);
	/* The long key with its last character changed. */
	snprintf(wrong, sizeof(wrong), "%s", key);
	wrong[strlen(wrong) - 1] = 'X';
	login_as(g, "long", wrong);
	vkh_test_expect(g, "^Login incorrect$", T);
	vkh_test_expect(g, LOGIN_RE, T);
	login_as(g, "long", key);
	vkh_test_expect(g, "\\$ ", T);
	vkh_test_send(g, "echo L-$(id -u)-$USER");
	vkh_test_expect(g, "^L-1003-long", T);
	cr_assert_eq(count(g, "Login incorrect"), 2);
	cr_assert_not(vkh_console_contains(g, "cannot check a password"));
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
}

/* rc failing (mount -a) sends init to single-user; fixed, it goes on. */
Test(world, failing_rc_goes_to_single_user)
{
	struct vkh_guest *g = boot(NULL, NULL);

	free(run_ok(g, "echo '/dev/vkd9s0a /mnt ufs rw 0 0' >> /etc/fstab"));
	vkh_test_send(g, "kill -INT 1");
	vkh_test_expect(g, "^" BANNER, T);
	vkh_test_expect(g,
	    "Mounting /etc/fstab filesystems failed, startup "
	    "aborted$",
	    T);
	vkh_test_expect(g,
	    "init: /etc/rc terminated abnormally, going to "
	    "single user mode$",
	    T);
	vkh_test_expect(g, "^/ # ", T);
	vkh_test_send(g,
	    "/sbin/mount -u -w / && sed -i '/vkd9/d' /etc/fstab "
	    "&& exit");
	vkh_test_expect(g, LOGIN_RE, T);
	login_root(g);
	vkh_test_signal(g, SIGTERM);
	expect_halt(g);
	ufs_expect_fsck_clean(&ui, vkh_image(g, 0));
}
