/*
 * login.c - log a user in, as BSD's login(1).
 *
 *	login [-fp] [user]
 *
 * Asks for the name (when not given) and the password, checks them
 * against /etc/master.passwd (or /etc/passwd when there is no
 * master.passwd), then becomes the user: groups, gid and uid, the
 * environment (HOME, SHELL, USER, LOGNAME, PATH, TERM kept), the home
 * directory, /etc/motd (unless ~/.hushlogin exists), and the shell run as
 * a login shell ("-sh").  -f skips the password (getty's al= auto-login;
 * only root may use it); -p keeps the environment otherwise.
 *
 * Passwords (the second field of master.passwd):
 *	""		no password: the empty answer, no prompt
 *	"*", "!..."	the account is locked
 *	"$6$..."	a crypt(3) SHA-512 hash, checked by the world's own
 *			world/lib/sha512_crypt.c (Debian's static musl has
 *			no crypt(3))
 *	anything else	refused, with a word on standard error: XXX the
 *			other crypt(3) methods ($5$, $1$, DES, $y$) are
 *			not implemented
 * An unknown user, a locked account and a refused hash cost a hash of
 * the default 5000 rounds, as a wrong password for a "$6$salt$" hash
 * does, so that the time "Login incorrect" takes does not tell which it
 * was.
 * root may log in only on a terminal marked "secure" in /etc/ttys.  After
 * a failure login says "Login incorrect" and asks again, ten times at
 * most.  Exit status 1 on failure.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "world/lib/sha512_crypt.h"
#include "world/lib/world.h"

#define PATH_MASTER  "/etc/master.passwd"
#define PATH_PASSWD  "/etc/passwd"
#define PATH_GROUP   "/etc/group"
#define PATH_MOTD    "/etc/motd"
#define PATH_BSHELL  "/bin/sh"
#define PATH_DEFPATH "/bin:/usr/bin:/sbin:/usr/sbin:/usr/local/bin"
#define PATH_ROOTPATH \
	"/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"
#define TRIES 10
#define FIELD 256
/* Hashed when there is no hash to check (see above); the digest part is
 * never compared with anything. */
#define DUMMY_HASH "$6$vireo.login.no$"

struct account {
	char name[64], passwd[FIELD], home[FIELD], shell[FIELD];
	uid_t uid;
	gid_t gid;
};

/* Splits line at ':' into at most max fields; returns how many. */
static int
fields(char *line, char **f, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	f[n++] = line;
	while (n < max && (line = strchr(line, ':')) != NULL) {
		*line++ = '\0';
		f[n++] = line;
	}
	return (n);
}

/*
 * Finds name in master.passwd (10 fields: name:passwd:uid:gid:class:
 * change:expire:gecos:home:shell) or, without it, passwd (7 fields).
 * Returns true and fills a when found.
 */
static bool
find_account(const char *name, struct account *a)
{
	bool master = true;
	char line[1024], *f[10];
	FILE *fp;
	int n;

	if ((fp = fopen(PATH_MASTER, "r")) == NULL) {
		master = false;
		if ((fp = fopen(PATH_PASSWD, "r")) == NULL)
			return (false);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#')
			continue;
		n = fields(line, f, 10);
		if (n != (master ? 10 : 7) || strcmp(f[0], name) != 0)
			continue;
		memset(a, 0, sizeof(*a));
		snprintf(a->name, sizeof(a->name), "%s", f[0]);
		snprintf(a->passwd, sizeof(a->passwd), "%s", f[1]);
		a->uid = (uid_t)strtoul(f[2], NULL, 10);
		a->gid = (gid_t)strtoul(f[3], NULL, 10);
		snprintf(a->home, sizeof(a->home), "%s", f[master ? 8 : 5]);
		snprintf(a->shell, sizeof(a->shell), "%s", f[master ? 9 : 6]);
		fclose(fp);
		return (true);
	}
	fclose(fp);
	return (false);
}

/* The terminal on standard input, "console" for /dev/console; NULL when
 * it is none.  Without /proc, ttyname(3) cannot answer: then /dev is
 * searched for the device. */
static const char *
tty_name(void)
{
	static char name[256];
	struct stat st, d;
	struct dirent *e;
	DIR *dir;

	if (!isatty(0))
		return (NULL);
	if (ttyname_r(0, name, sizeof(name)) == 0 &&
	    strncmp(name, "/dev/", 5) == 0)
		return (name + 5);
	if (fstat(0, &st) != 0 || (dir = opendir("/dev")) == NULL)
		return (NULL);
	while ((e = readdir(dir)) != NULL) {
		char path[300];

		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		if (stat(path, &d) == 0 && S_ISCHR(d.st_mode) &&
		    d.st_rdev == st.st_rdev && strcmp(e->d_name, "tty") != 0) {
			snprintf(name, sizeof(name), "%s", e->d_name);
			closedir(dir);
			return (name);
		}
	}
	closedir(dir);
	return (NULL);
}

/* True when tty is marked secure in /etc/ttys. */
static bool
tty_secure(const char *tty)
{
	struct world_tty t[WORLD_TTYS_MAX];
	int n, i;

	if (tty == NULL)
		return (false);
	n = world_ttys_read(PATH_TTYS, t, WORLD_TTYS_MAX);
	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, tty) == 0)
			return (t[i].secure);
	return (false);
}

/* Reads a line from the terminal, echo off when quiet. */
static bool
ask(const char *prompt, char *buf, size_t size, bool quiet)
{
	struct termios t, saved;
	bool restore = false;
	size_t n = 0;
	char c;

	/* Echo goes off before the prompt shows, and without discarding
	 * input: an answer typed at once must neither echo nor be lost. */
	if (quiet && tcgetattr(0, &saved) == 0) {
		t = saved;
		t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
		restore = tcsetattr(0, TCSADRAIN, &t) == 0;
	}
	fputs(prompt, stdout);
	fflush(stdout);
	for (;;) {
		ssize_t r = read(0, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (restore)
				tcsetattr(0, TCSADRAIN, &saved);
			return (false);
		}
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	if (restore) {
		tcsetattr(0, TCSADRAIN, &saved);
		fputs("\n", stdout);
	}
	return (true);
}

/* True when the password typed matches that of a (NULL: no such user). */
static bool
password_ok(const struct account *a, const char *typed)
{
	const char *h = a != NULL ? a->passwd : NULL;

	if (h != NULL && h[0] == '\0')
		return (typed[0] == '\0');
	if (h != NULL && strncmp(h, SHA512_CRYPT_PREFIX, 3) == 0)
		return (sha512_crypt_check(typed, h));
	if (h != NULL && h[0] != '*' && h[0] != '!')
		fprintf(stderr,
		    "login: %s: cannot check a password hash other than "
		    "$6$\n",
		    a->name);
	(void)sha512_crypt_check(typed, DUMMY_HASH);
	return (false);
}

/* Becomes a: groups, gid, uid.  Returns 0 or -1 (reported). */
static int
become(const struct account *a)
{
	/*
	 * XXX A kernel without the credential calls answers ENOSYS; then
	 * only a login as the user already running (root) goes on.
	 */
	if (initgroups(a->name, a->gid) != 0 && errno != ENOSYS) {
		fprintf(stderr, "login: initgroups: %s\n", strerror(errno));
		return (-1);
	}
	if (setgid(a->gid) != 0 && !(errno == ENOSYS && getgid() == a->gid)) {
		fprintf(stderr, "login: setgid: %s\n", strerror(errno));
		return (-1);
	}
	if (setuid(a->uid) != 0 && !(errno == ENOSYS && getuid() == a->uid)) {
		fprintf(stderr, "login: setuid: %s\n", strerror(errno));
		return (-1);
	}
	return (0);
}

static void
motd(const struct account *a)
{
	char path[FIELD + 16], buf[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/.hushlogin", a->home);
	if (access(path, F_OK) == 0 || (f = fopen(PATH_MOTD, "r")) == NULL)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	fclose(f);
	fflush(stdout);
}

static _Noreturn void
start_session(const struct account *a, bool keepenv)
{
	const char *shell = a->shell[0] != '\0' ? a->shell : PATH_BSHELL;
	const char *term = getenv("TERM"), *base;
	char argv0[FIELD + 2];

	if (become(a) != 0)
		exit(1);
	if (!keepenv) {
		char t[64];

		snprintf(t, sizeof(t), "%s", term != NULL ? term : "");
		clearenv();
		if (t[0] != '\0')
			setenv("TERM", t, 1);
	}
	if (chdir(a->home) != 0) {
		printf("No home directory %s!\nLogging in with home = \"/\".\n",
		    a->home);
		if (chdir("/") != 0)
			exit(1);
		setenv("HOME", "/", 1);
	} else
		setenv("HOME", a->home, 1);
	setenv("SHELL", shell, 1);
	setenv("USER", a->name, 1);
	setenv("LOGNAME", a->name, 1);
	setenv("PATH", a->uid == 0 ? PATH_ROOTPATH : PATH_DEFPATH, 1);
	motd(a);
	base = strrchr(shell, '/') != NULL ? strrchr(shell, '/') + 1 : shell;
	snprintf(argv0, sizeof(argv0), "-%s", base);
	execl(shell, argv0, (char *)NULL);
	fprintf(stderr, "login: %s: %s\n", shell, strerror(errno));
	exit(1);
}

int
main(int argc, char *argv[])
{
	char name[64], pw[FIELD];
	bool force = false, keepenv = false, found, ok;
	struct account a;
	const char *tty;
	int c, tries;

	while ((c = getopt(argc, argv, "fph:")) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 'p':
			keepenv = true;
			break;
		case 'h': /* the remote host: no network yet */
			break;
		default:
			fprintf(stderr, "usage: login [-fp] [user]\n");
			return (1);
		}
	}
	argc -= optind;
	argv += optind;
	if (force && getuid() != 0) {
		fprintf(stderr, "login: -f: %s\n", strerror(EPERM));
		return (1);
	}
	tty = tty_name();
	name[0] = '\0';
	if (argc > 0)
		snprintf(name, sizeof(name), "%s", argv[0]);
	for (tries = 0; tries < TRIES; tries++, name[0] = '\0', force = false) {
		while (name[0] == '\0')
			if (!ask("login: ", name, sizeof(name), false))
				return (1);
		found = find_account(name, &a);
		pw[0] = '\0';
		if (!force && !(found && a.passwd[0] == '\0') &&
		    !ask("Password:", pw, sizeof(pw), true))
			return (1);
		ok = force ? found : password_ok(found ? &a : NULL, pw);
		explicit_bzero(pw, sizeof(pw));
		if (!ok) {
			printf("Login incorrect\n");
			fflush(stdout);
			continue;
		}
		if (a.uid == 0 && !tty_secure(tty)) {
			printf("ROOT LOGIN REFUSED ON %s\n",
			    tty != NULL ? tty : "this terminal");
			printf("Login incorrect\n");
			continue;
		}
		start_session(&a, keepenv);
	}
	return (1);
}
