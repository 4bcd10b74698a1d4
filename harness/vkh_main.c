/*
 * vkh_main.c - the vkh(1) command: boot a guest with an interactive
 * console, list the tests of the suite programs, run a selection and
 * write results/<run-id>/.  See harness/vkh.1.
 */
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "harness/vkh_private.h"

#define ESCAPE_CHAR 0x1d /* ^] ends an interactive console */

static char bindir[PATH_MAX];

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
	    "usage: vkh boot [-p profile] [-k kernel] [-u phase] [-i image]... "
	    "[-D name=value]... [-l log]\n"
	    "       vkh list [-b bindir] [-s suites] [selection ...]\n"
	    "       vkh run [-S] [-b bindir] [-s suites] [-k kernel] [-o dir] "
	    "[-r retries]\n"
	    "               [-j jobs] [-t seconds] [-w seconds] "
	    "[selection ...]\n");
	exit(EX_USAGE);
}

/* The directory of this program: suites and the kernel are beside it. */
static void
find_bindir(void)
{
	ssize_t n = readlink("/proc/self/exe", bindir, sizeof(bindir) - 1);
	char *slash;

	if (n < 0)
		n = 0;
	bindir[n] = '\0';
	if ((slash = strrchr(bindir, '/')) != NULL)
		*slash = '\0';
	else
		strcpy(bindir, ".");
}

/* Copies bytes between the user's terminal and the guest until ^]. */
static int
interact(struct vkh_guest *g)
{
	struct termios saved, raw;
	struct pollfd pfd[2];
	bool tty = tcgetattr(0, &saved) == 0;
	char buf[4096];
	ssize_t n;
	int ws = -1;

	fprintf(stderr, "vkh: console of pid %d; type ^] to end it\r\n",
	    (int)g->pid);
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	}
	for (;;) {
		pfd[0] = (struct pollfd) { .fd = 0, .events = POLLIN };
		pfd[1] = (struct pollfd) { .fd = g->fd, .events = POLLIN };
		if (poll(pfd, 2, 200) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents & (POLLIN | POLLHUP)) {
			n = read(g->fd, buf, sizeof(buf));
			if (n <= 0 && errno != EAGAIN)
				break;
			if (n > 0 && write(1, buf, (size_t)n) < 0)
				break;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP)) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0 || memchr(buf, ESCAPE_CHAR, (size_t)n))
				break;
			if (write(g->fd, buf, (size_t)n) < 0)
				break;
		}
		if (waitpid(g->pid, &ws, WNOHANG) == g->pid) {
			g->wstatus = ws;
			break;
		}
	}
	if (tty)
		tcsetattr(0, TCSANOW, &saved);
	return (ws);
}

static int
cmd_boot(int argc, char **argv)
{
	struct vkh_boot_spec spec = { .profile = "vireo" };
	struct vkh_status st;
	struct vkh_guest *g;
	char kernel[PATH_MAX + 16];
	int c, ni = 0, nv = 0, ws;

	while ((c = getopt(argc, argv, "p:k:u:i:D:l:")) != -1)
		switch (c) {
		case 'p':
			spec.profile = optarg;
			break;
		case 'k':
			spec.kernel = optarg;
			break;
		case 'u':
			spec.until = optarg;
			break;
		case 'l':
			spec.log = optarg;
			break;
		case 'i':
			if (ni == VKH_MAX_IMAGES)
				errx(EX_USAGE, "more than %d images",
				    VKH_MAX_IMAGES);
			spec.images[ni++] = optarg;
			break;
		case 'D':
			if (nv == VKH_MAX_VARS - 1 || !strchr(optarg, '='))
				errx(EX_USAGE,
				    "-D takes name=value (at most "
				    "%d)",
				    VKH_MAX_VARS - 1);
			spec.vars[nv++] = optarg;
			break;
		default:
			usage();
		}
	if (optind != argc)
		usage();
	if (spec.kernel == NULL && getenv("VK_KERNEL") == NULL) {
		snprintf(kernel, sizeof(kernel), "%s/kernel", bindir);
		spec.kernel = kernel;
	}
	g = vkh_boot(&spec, &st);
	if (g == NULL)
		errx(EX_OSERR, "out of memory");
	if (g->transcript != NULL)
		fwrite(g->transcript, 1, g->tlen, stdout);
	fflush(stdout);
	if (st.verdict != VKH_PASS) {
		warnx("boot: %s in phase %s: %s", vkh_verdict_name(st.verdict),
		    st.phase, st.message);
		vkh_destroy(g);
		return (st.verdict == VKH_ERROR ? EX_SOFTWARE : 1);
	}
	ws = interact(g);
	vkh_destroy(g);
	if (ws != -1 && WIFEXITED(ws))
		fprintf(stderr, "\nvkh: kernel exited with status %d\n",
		    WEXITSTATUS(ws));
	return (0);
}

/* Reads the suite programs named in file; names are beside vkh. */
static char **
read_suites(const char *file)
{
	char line[512], **progs = calloc(129, sizeof(char *));
	int n = 0;
	FILE *f;

	if (progs == NULL)
		err(EX_OSERR, "calloc");
	if ((f = fopen(file, "r")) == NULL)
		err(EX_NOINPUT, "%s (build it with make, or give -s)", file);
	while (n < 128 && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (asprintf(&progs[n], "%s%s%s", line[0] == '/' ? "" : bindir,
			line[0] == '/' ? "" : "/", line) < 0)
			err(EX_OSERR, "asprintf");
		if (access(progs[n], X_OK) != 0)
			err(EX_NOINPUT, "suite program %s", progs[n]);
		n++;
	}
	fclose(f);
	return (progs);
}

static void
free_suites(char **progs)
{
	for (int i = 0; progs[i] != NULL; i++)
		free(progs[i]);
	free(progs);
}

static void
default_suites(char *buf, size_t size)
{
	snprintf(buf, size, "%s/../vkh.suites", bindir);
}

static int
cmd_list(int argc, char **argv)
{
	struct vkh_result *r;
	char suites[PATH_MAX + 16], **progs;
	int c, n, i;

	default_suites(suites, sizeof(suites));
	while ((c = getopt(argc, argv, "b:s:")) != -1)
		switch (c) {
		case 'b':
			snprintf(bindir, sizeof(bindir), "%s", optarg);
			break;
		case 's':
			snprintf(suites, sizeof(suites), "%s", optarg);
			break;
		default:
			usage();
		}
	progs = read_suites(suites);
	if ((n = vkh_list_tests(progs, argv + optind, argc - optind, &r)) < 0)
		err(EX_OSERR, "listing tests");
	free_suites(progs);
	for (i = 0; i < n; i++)
		printf("%s/%s\n", r[i].suite, r[i].test);
	free(r);
	return (n > 0 ? 0 : 1);
}

static void
make_run_dir(struct vkh_run *run, const char *top)
{
	static const char *const subdirs[] = { "", "/records", "/logs",
		"/output", "/tmp", "/failures" };
	char path[1200];
	struct tm tm;
	time_t now = time(NULL);
	size_t i;

	localtime_r(&now, &tm);
	snprintf(run->id, sizeof(run->id), "%04d%02d%02d-%02d%02d%02d-%d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (int)getpid());
	mkdir(top, 0755);
	snprintf(run->dir, sizeof(run->dir), "%s/%s", top, run->id);
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", run->dir, subdirs[i]);
		if (mkdir(path, 0755) != 0)
			err(EX_CANTCREAT, "%s", path);
	}
}

static int
cmd_run(int argc, char **argv)
{
	struct vkh_run run = { .retries = 1, .timeout = 300, .jobs = 2 };
	char suites[PATH_MAX + 16], *end, path[PATH_MAX + 16], **progs;
	const char *top = "results", *kernel = getenv("VK_KERNEL");
	const char *tmpdir = getenv("TMPDIR");
	double t0 = vkh_now(), wall, silence;
	char share[PATH_MAX], pid[16];
	bool sharing = true;
	int c, bad;

	default_suites(suites, sizeof(suites));
	while ((c = getopt(argc, argv, "Sb:s:k:o:r:j:t:w:")) != -1)
		switch (c) {
		case 'S':
			sharing = false;
			break;
		case 'w':
			silence = strtod(optarg, &end);
			if (*end != '\0' || silence <= 0)
				errx(EX_USAGE, "-w takes seconds");
			setenv("VKH_SILENCE", optarg, 1);
			break;
		case 'b':
			snprintf(bindir, sizeof(bindir), "%s", optarg);
			break;
		case 's':
			snprintf(suites, sizeof(suites), "%s", optarg);
			break;
		case 'k':
			kernel = optarg;
			break;
		case 'o':
			top = optarg;
			break;
		case 'r':
			run.retries = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || run.retries < 0 || run.retries > 9)
				errx(EX_USAGE, "-r takes 0 to 9 retries");
			break;
		case 'j':
			run.jobs = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || run.jobs < 1 || run.jobs > 32)
				errx(EX_USAGE, "-j takes 1 to 32 jobs");
			break;
		case 't':
			run.timeout = strtod(optarg, &end);
			if (*end != '\0' || run.timeout <= 0)
				errx(EX_USAGE, "-t takes seconds");
			break;
		default:
			usage();
		}
	if (kernel == NULL) {
		snprintf(path, sizeof(path), "%s/kernel", bindir);
		kernel = path;
	}
	if (realpath(kernel, run.kernel) == NULL)
		err(EX_NOINPUT, "kernel %s", kernel);
	if (getcwd(run.cwd, sizeof(run.cwd)) == NULL)
		err(EX_OSERR, "getcwd");
	progs = read_suites(suites);
	run.n = vkh_list_tests(progs, argv + optind, argc - optind,
	    &run.results);
	free_suites(progs);
	if (run.n < 0)
		err(EX_OSERR, "listing tests");
	if (run.n == 0)
		errx(EX_DATAERR, "no test matches the selection");
	make_run_dir(&run, top);
	printf("vkh: %d tests, kernel %s, results in %s\n", run.n, run.kernel,
	    run.dir);
	/* Shared boots: the keepers live in a short path (socket names). */
	unsetenv("VKH_SHARE_DIR");
	snprintf(share, sizeof(share), "%s/vkh-share.XXXXXX",
	    tmpdir ? tmpdir : "/tmp");
	if (sharing && mkdtemp(share) != NULL &&
	    prctl(PR_SET_CHILD_SUBREAPER, 1) == 0) {
		setenv("VKH_SHARE_DIR", share, 1);
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
		setenv("VKH_RUNNER_PID", pid, 1);
	} else
		sharing = false;
	vkh_run_tests(&run);
	if (sharing)
		vkh_share_cleanup(share);
	wall = vkh_now() - t0;
	if ((c = vkh_write_results(&run, wall)) != 0) {
		errno = c;
		warn("writing results in %s", run.dir);
	}
	bad = vkh_print_summary(&run, wall);
	snprintf(path, sizeof(path), "%s/tmp", run.dir);
	rmdir(path);
	free(run.results);
	return (bad > 0 ? 1 : c != 0 ? EX_IOERR : 0);
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	find_bindir();
	/*
	 * Started from a Criterion test (the self-tests), vkh inherits the
	 * variable that tells Criterion's worker processes who they are; the
	 * suite programs it runs would take themselves for workers.
	 */
	unsetenv("BXFI_MAP");
	if (strcmp(argv[1], "boot") == 0)
		return (cmd_boot(argc - 1, argv + 1));
	if (strcmp(argv[1], "list") == 0)
		return (cmd_list(argc - 1, argv + 1));
	if (strcmp(argv[1], "run") == 0)
		return (cmd_run(argc - 1, argv + 1));
	warnx("unknown command '%s'", argv[1]);
	usage();
}
