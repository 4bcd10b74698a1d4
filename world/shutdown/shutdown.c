/*
 * shutdown.c - shutdown(8) for the Vireo guest: warns the users on the
 * console at BSD's intervals, then takes the system down as halt(8) and
 * reboot(8) do (rb_down.h).
 *
 *	shutdown [-] [-h | -p | -r | -k] [-n] [-o] time [warning-message ...]
 *
 * time is "now", "+N" (N minutes from now) or an absolute
 * [[[[[cc]yy]mm]dd]hh]mm.  -h halts, -p powers off, -r reboots, -k only
 * warns ("kicks everybody off"), none of them asks init for single-user
 * mode (SIGTERM to init, as BSD).  -n skips sync(2); -o is accepted for
 * compatibility (halt and reboot run in this process anyway).  A lone
 * "-" reads the warning message from standard input.
 *
 * As on BSD, the program prints when the shutdown will happen, forks
 * ("shutdown: [pid N]") and the child does the waiting.  The warnings
 * ("*** System shutdown message from user@host ***") go to the console
 * (/dev/console; there is no wall(1) and no utmp yet), and from five
 * minutes before, /var/run/nologin exists.
 *
 * Exit status: 0 once the child is started, 1 with a message for a bad
 * command line or time (BSD's).
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "world/reboot/rb_down.h"

#define PATH_NOLOGIN "/var/run/nologin"
#define PATH_CONSOLE "/dev/console"
#define MINUTES	     60
#define HOURS	     (60 * MINUTES)

/* When to warn, and how long to wait after each warning (BSD's table). */
static const struct interval {
	int timeleft, timetowait;
} tlist[] = {
	{ 10 * HOURS, 5 * HOURS },
	{ 5 * HOURS, 3 * HOURS },
	{ 2 * HOURS, 1 * HOURS },
	{ 1 * HOURS, 30 * MINUTES },
	{ 30 * MINUTES, 10 * MINUTES },
	{ 20 * MINUTES, 10 * MINUTES },
	{ 10 * MINUTES, 5 * MINUTES },
	{ 5 * MINUTES, 3 * MINUTES },
	{ 2 * MINUTES, 1 * MINUTES },
	{ 1 * MINUTES, 30 },
	{ 30, 30 },
	{ 0, 0 },
};

static bool hflag, kflag, nflag, pflag, rflag;
static char mbuf[1024];
static size_t mbuflen;
static time_t shuttime;
static char whom[64], hostname[256];

static _Noreturn void
usage(const char *why)
{
	if (why != NULL)
		warnx("%s", why);
	fprintf(stderr,
	    "usage: shutdown [-] [-h | -p | -r | -k] [-n] [-o] time "
	    "[warning-message ...]\n");
	exit(1);
}

/* Parses time into shuttime; returns the seconds left. */
static long
get_time(const char *arg)
{
	time_t now = time(NULL);
	struct tm tm;
	size_t len = strlen(arg);
	char *end;
	long v;

	if (strcmp(arg, "now") == 0) {
		shuttime = now;
		return (0);
	}
	if (arg[0] == '+') {
		v = strtol(arg + 1, &end, 10);
		if (arg[1] == '\0' || *end != '\0' || v < 0 ||
		    v > 365L * 24 * 60)
			usage("bad time format");
		shuttime = now + v * MINUTES;
		return (v * MINUTES);
	}
	if (len < 2 || len > 12 || len % 2 != 0 ||
	    strspn(arg, "0123456789") != len)
		usage("bad time format");
	localtime_r(&now, &tm);
	tm.tm_sec = 0;
	/* The fields from the right: mm, hh, dd, mm, yy, cc. */
#define TWO(i) ((arg[len - 2 * (i)-2] - '0') * 10 + arg[len - 2 * (i)-1] - '0')
	tm.tm_min = TWO(0);
	if (len >= 4)
		tm.tm_hour = TWO(1);
	if (len >= 6)
		tm.tm_mday = TWO(2);
	if (len >= 8)
		tm.tm_mon = TWO(3) - 1;
	if (len >= 10)
		tm.tm_year = TWO(4) +
		    (len == 12 ? TWO(5) * 100 - 1900 : (TWO(4) < 69 ? 100 : 0));
#undef TWO
	if (tm.tm_min > 59 || tm.tm_hour > 23 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_mon < 0 || tm.tm_mon > 11)
		usage("bad time format");
	tm.tm_isdst = -1;
	if ((shuttime = mktime(&tm)) == (time_t)-1)
		usage("bad time format");
	if (shuttime <= now)
		errx(1, "that time is already past.");
	return ((long)(shuttime - now));
}

/* Writes text to the console, else to standard output. */
static void
to_console(const char *text)
{
	int fd = open(PATH_CONSOLE, O_WRONLY | O_NOCTTY);
	size_t len = strlen(text);

	if (fd < 0)
		fd = STDOUT_FILENO;
	while (len > 0) {
		ssize_t n = write(fd, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text += n;
		len -= (size_t)n;
	}
	if (fd != STDOUT_FILENO)
		close(fd);
}

/* The warning of BSD's shutdown, timeleft seconds before. */
static void
timewarn(int timeleft)
{
	char buf[2048], when[64];
	struct tm tm;
	int n;

	n = snprintf(buf, sizeof(buf),
	    "\007*** %sSystem shutdown message from %s@%s ***\007\n",
	    timeleft != 0 ? "" : "FINAL ", whom, hostname);
	if (timeleft > 10 * MINUTES) {
		localtime_r(&shuttime, &tm);
		strftime(when, sizeof(when), "%H:%M", &tm);
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
		    "System going down at %s\n\n", when);
	} else if (timeleft > 59) {
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
		    "System going down in %d minute%s\n\n", timeleft / MINUTES,
		    timeleft > MINUTES ? "s" : "");
	} else if (timeleft != 0) {
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
		    "System going down in 30 seconds\n\n");
	} else {
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
		    "System going down IMMEDIATELY\n\n");
	}
	if (mbuflen > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%s\n", mbuf);
	to_console(buf);
}

/* From five minutes before, logins are refused (login(1) reads it). */
static void
nologin(void)
{
	char when[64];
	struct tm tm;
	FILE *f;

	localtime_r(&shuttime, &tm);
	strftime(when, sizeof(when), "%H:%M", &tm);
	if ((f = fopen(PATH_NOLOGIN, "w")) == NULL)
		return;
	fprintf(f, "NO LOGINS: System going down at %s\n\n%s", when, mbuf);
	fclose(f);
}

static _Noreturn void
go_down(void)
{
	to_console("\r\nSystem shutdown time has arrived\007\007\r\n");
	if (kflag) {
		to_console("\rbut you'll have to do it yourself\r\n");
		exit(0);
	}
	if (!hflag && !pflag && !rflag) {
		/* Single-user mode: init's business. */
		if (kill(1, SIGTERM) != 0)
			err(1, "SIGTERM init");
		(void)unlink(PATH_NOLOGIN);
		exit(0);
	}
	rb_down(rflag ? RB_HOW_REBOOT :
		pflag ? RB_HOW_POWEROFF :
			RB_HOW_HALT,
	    false, nflag);
	err(1, "reboot");
}

/* The warning message: the arguments after time, or standard input. */
static void
read_message(bool from_stdin, int argc, char **argv)
{
	if (from_stdin) {
		mbuflen = fread(mbuf, 1, sizeof(mbuf) - 1, stdin);
		mbuf[mbuflen] = '\0';
		return;
	}
	for (int i = 0; i < argc; i++) {
		int n = snprintf(mbuf + mbuflen, sizeof(mbuf) - mbuflen, "%s%s",
		    i > 0 ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(mbuf) - mbuflen) {
			mbuflen = sizeof(mbuf) - 1;
			break;
		}
		mbuflen += (size_t)n;
	}
}

int
main(int argc, char **argv)
{
	const struct interval *tp;
	bool from_stdin = false;
	struct passwd *pw;
	const char *login;
	long left;
	pid_t pid;
	int go[2];
	char c;
	int ch;

	if (argc > 1 && strcmp(argv[1], "-") == 0) {
		from_stdin = true;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	while ((ch = getopt(argc, argv, "hknopr")) != -1) {
		switch (ch) {
		case 'h':
			hflag = true;
			break;
		case 'k':
			kflag = true;
			break;
		case 'n':
			nflag = true;
			break;
		case 'o':
			break;
		case 'p':
			pflag = true;
			break;
		case 'r':
			rflag = true;
			break;
		default:
			usage(NULL);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(NULL);
	if ((int)hflag + (int)kflag + (int)pflag + (int)rflag > 1 &&
	    !(hflag && pflag && !kflag && !rflag))
		usage("incompatible switches -h, -k, -p and -r");
	if (geteuid() != 0) {
		errno = EPERM;
		err(1, NULL);
	}
	left = get_time(argv[0]);
	read_message(from_stdin, argc - 1, argv + 1);
	/* One thread: the non-reentrant lookups are fine. */
	// cppcheck-suppress getloginCalled
	if ((login = getlogin()) == NULL) {
		// cppcheck-suppress getpwuidCalled
		login = (pw = getpwuid(getuid())) != NULL ? pw->pw_name : "???";
	}
	snprintf(whom, sizeof(whom), "%s", login);
	if (gethostname(hostname, sizeof(hostname)) != 0)
		strcpy(hostname, "localhost");
	hostname[sizeof(hostname) - 1] = '\0';

	if (left > 0) {
		char when[64];
		struct tm tm;

		localtime_r(&shuttime, &tm);
		strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
		printf("Shutdown at %s.\n", when);
	} else {
		printf("Shutdown NOW!\n");
	}
	fflush(stdout);
	/* The child goes on once the parent has said its pid: with "now"
	 * it would otherwise have init kill the parent before it speaks. */
	if (pipe(go) != 0)
		err(1, "pipe");
	if ((pid = fork()) < 0)
		err(1, "fork");
	if (pid > 0) {
		warnx("[pid %d]", (int)pid);
		(void)write(go[1], "", 1);
		exit(0);
	}
	close(go[1]);
	(void)read(go[0], &c, 1);
	close(go[0]);
	(void)setsid();
	(void)signal(SIGHUP, SIG_IGN);

	for (tp = tlist; tp->timeleft > left; tp++)
		;
	if (left > tp->timeleft) {
		/* Not on a boundary: warn now, sleep to the next one. */
		timewarn((int)left);
		if (left <= 5 * MINUTES)
			nologin();
		sleep((unsigned)(left - tp->timeleft));
	}
	for (; tp->timeleft > 0; tp++) {
		timewarn(tp->timeleft);
		if (tp->timeleft <= 5 * MINUTES)
			nologin();
		sleep((unsigned)tp->timetowait);
	}
	timewarn(0);
	go_down();
}
