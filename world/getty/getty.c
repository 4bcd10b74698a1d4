/*
 * getty.c - set up a terminal line and ask for a login name, as BSD's
 * getty(8).
 *
 *	getty [type [tty]]
 *
 * init(8) runs it with the command of a line of /etc/ttys followed by the
 * terminal's name ("/usr/libexec/getty Pc console").  type names an entry
 * of /etc/gettytab (default "default").  getty makes the line its
 * controlling terminal in a session of its own, puts it in a sane mode,
 * prints the entry's initial message (im) and login prompt (lm), reads a
 * name and runs the login program (lo) with it.  An entry with al=user
 * logs user in at once (login -f user).  At end of file getty exits and
 * init starts another.
 *
 * /etc/gettytab (gettytab(5)), the part read here: entries are
 * "name|alias|...:cap:cap:...", continued on the next line after a
 * backslash; caps are "xx=string" (with \r, \n, \t, \\, \: and ^X
 * escapes), "xx#number" or "xx" (a flag); tc=entry continues with another
 * entry, whose caps count where the first has none.  Used: im, lm, lo,
 * al, tc.  im may hold %h (host name), %t (tty), %s (system), %r
 * (release), %m (machine) and %% .
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#define PATH_GETTYTAB "/etc/gettytab"
#define PATH_LOGIN    "/usr/bin/login"
#define ENTRY_MAX     4096
#define NAME_MAX_LEN  64
#define TC_DEPTH      8

/* The default caps when an entry lacks them. */
#define DEF_IM "\r\n%s/%m (%h) (%t)\r\n\r\n"
#define DEF_LM "login: "

static char entries[TC_DEPTH][ENTRY_MAX];
static int nentries;

static void
fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "getty: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	/* Slow down init's restarts of a broken line. */
	sleep(5);
	exit(1);
}

/* True when entry (the text before its first ':') names name. */
static int
entry_is(const char *entry, const char *name)
{
	size_t n = strlen(name);
	const char *s = entry;

	while (*s != '\0' && *s != ':') {
		size_t len = strcspn(s, "|:");

		if (len == n && strncmp(s, name, n) == 0)
			return (1);
		s += len;
		if (*s == '|')
			s++;
	}
	return (0);
}

/* Finds the entry name in /etc/gettytab, joined into buf.  Returns 0, or
 * -1 when the file or the entry is missing. */
static int
find_entry(const char *name, char *buf, size_t size)
{
	char line[1024];
	size_t len = 0, n;
	FILE *f;

	if ((f = fopen(PATH_GETTYTAB, "r")) == NULL)
		return (-1);
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s = line;

		n = strcspn(s, "\r\n");
		s[n] = '\0';
		if (len == 0 && (s[0] == '#' || s[0] == '\0'))
			continue;
		while (len > 0 && (*s == ' ' || *s == '\t'))
			s++;
		n = strlen(s);
		if (len + n + 1 >= size)
			break;
		memcpy(buf + len, s, n + 1);
		len += n;
		if (len > 0 && buf[len - 1] == '\\') {
			buf[--len] = '\0';
			continue;
		}
		if (entry_is(buf, name)) {
			fclose(f);
			return (0);
		}
		len = 0;
		buf[0] = '\0';
	}
	fclose(f);
	return (-1);
}

/* Loads name and its tc= chain. */
static void
load(const char *name)
{
	char tc[NAME_MAX_LEN];

	while (nentries < TC_DEPTH) {
		const char *p;
		size_t n;

		if (find_entry(name, entries[nentries], ENTRY_MAX) != 0) {
			if (nentries == 0 && strcmp(name, "default") != 0) {
				fprintf(stderr,
				    "getty: %s: no entry '%s', using default\n",
				    PATH_GETTYTAB, name);
				name = "default";
				continue;
			}
			return;
		}
		p = strstr(entries[nentries++], ":tc=");
		if (p == NULL)
			return;
		p += 4;
		n = strcspn(p, ":");
		if (n >= sizeof(tc))
			return;
		memcpy(tc, p, n);
		tc[n] = '\0';
		name = tc;
	}
}

/*
 * The string cap of the loaded entries (escapes decoded into buf), or
 * NULL.  A cap "xx@" in an entry cancels the same cap of later entries.
 */
static const char *
getstr(const char *cap, char *buf, size_t size)
{
	int i;

	for (i = 0; i < nentries; i++) {
		const char *p = entries[i];

		while ((p = strchr(p, ':')) != NULL) {
			size_t o = 0;

			p++;
			if (strncmp(p, cap, 2) != 0)
				continue;
			if (p[2] == '@')
				return (NULL);
			if (p[2] != '=')
				continue;
			for (p += 3; *p != '\0' && *p != ':' && o + 1 < size;
			     p++) {
				char c = *p;

				if (c == '\\' && p[1] != '\0') {
					c = *++p;
					c = c == 'r' ? '\r' :
					    c == 'n' ? '\n' :
					    c == 't' ? '\t' :
					    c == 'E' ? '\033' :
						       c;
				} else if (c == '^' && p[1] != '\0')
					c = (char)(*++p & 037);
				buf[o++] = c;
			}
			buf[o] = '\0';
			return (buf);
		}
	}
	return (NULL);
}

static void
put(const char *s, size_t n)
{
	if (n > 0 && write(STDOUT_FILENO, s, n) < 0)
		exit(1);
}

/* Prints fmt with the %-escapes of im. */
static void
putf(const char *fmt, const char *tty)
{
	struct utsname u;
	const char *s;

	if (uname(&u) != 0)
		memset(&u, 0, sizeof(u));
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%' || fmt[1] == '\0') {
			put(fmt, 1);
			continue;
		}
		switch (*++fmt) {
		case 'h':
			s = u.nodename;
			break;
		case 't':
			s = tty;
			break;
		case 's':
			s = u.sysname;
			break;
		case 'r':
			s = u.release;
			break;
		case 'm':
			s = u.machine;
			break;
		default:
			s = fmt[0] == '%' ? "%" : "";
			break;
		}
		put(s, strlen(s));
	}
}

/* Opens /dev/tty as the controlling terminal on 0, 1 and 2. */
static void
open_line(const char *tty)
{
	char path[NAME_MAX_LEN + 8];
	struct termios t;
	int fd;

	if (snprintf(path, sizeof(path), "/dev/%s", tty) >= (int)sizeof(path))
		fatal("%s: name too long", tty);
	setsid();
	if ((fd = open(path, O_RDWR)) < 0)
		fatal("%s: %s", path, strerror(errno));
	if (ioctl(fd, TIOCSCTTY, 1) < 0 && errno != EPERM)
		fatal("%s: TIOCSCTTY: %s", path, strerror(errno));
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	tcsetpgrp(0, getpgrp());
	/* A sane line: canonical input, echo, CR to NL, NL to CR NL. */
	if (tcgetattr(0, &t) == 0) {
		t.c_iflag |= ICRNL | IXON | BRKINT;
		t.c_iflag &= ~(INLCR | IGNCR);
		t.c_oflag |= OPOST | ONLCR;
		t.c_lflag |= ICANON | ECHO | ECHOE | ECHOK | ISIG | IEXTEN;
		t.c_cc[VERASE] = 0177;
		t.c_cc[VKILL] = 'U' & 037;
		t.c_cc[VINTR] = 'C' & 037;
		t.c_cc[VEOF] = 'D' & 037;
		tcsetattr(0, TCSANOW, &t);
	}
}

/* Reads a login name: 0 and the name, or -1 at end of file. */
static int
read_name(char *name, size_t size)
{
	size_t n = 0;
	ssize_t r;
	char c;

	for (;;) {
		r = read(STDIN_FILENO, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return (-1);
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < size)
			name[n++] = c;
	}
	name[n] = '\0';
	return (0);
}

int
main(int argc, char *argv[])
{
	char im[512], lm[128], lo[256], al[NAME_MAX_LEN], name[NAME_MAX_LEN];
	char ttybuf[NAME_MAX_LEN] = "";
	const char *type = argc > 1 ? argv[1] : "default";
	const char *tty = argc > 2 ? argv[2] : NULL;
	const char *login, *autologin, *s;

	if (argc > 3) {
		fprintf(stderr, "usage: getty [type [tty]]\n");
		return (1);
	}
	if (tty != NULL)
		open_line(tty);
	else if (ttyname_r(0, ttybuf, sizeof(ttybuf)) == 0 &&
	    strncmp(ttybuf, "/dev/", 5) == 0)
		tty = ttybuf + 5;
	else
		tty = "console";
	load(type);
	login = getstr("lo", lo, sizeof(lo));
	if (login == NULL)
		login = PATH_LOGIN;
	autologin = getstr("al", al, sizeof(al));
	if ((s = getstr("im", im, sizeof(im))) == NULL)
		s = DEF_IM;
	putf(s, tty);
	if (autologin != NULL && autologin[0] != '\0') {
		execl(login, "login", "-f", autologin, (char *)NULL);
		fatal("%s: %s", login, strerror(errno));
	}
	if ((s = getstr("lm", lm, sizeof(lm))) == NULL)
		s = DEF_LM;
	do {
		putf(s, tty);
		if (read_name(name, sizeof(name)) != 0)
			return (0);
	} while (name[0] == '\0' || name[0] == '-');
	execl(login, "login", "-p", name, (char *)NULL);
	fatal("%s: %s", login, strerror(errno));
}
