/*
 * vkbench.c - run the benchmarks of benches.conf files; see vkbench(1).
 *
 * For each benchmark the guest and the native command run alternately, so
 * that a change in the machine's load affects both sides alike: first the
 * warm-up runs, which are not counted, then the measured ones.  The first
 * failed run ends its benchmark, which is reported as failed with the
 * reason; the others still run, the reports are still written, and the
 * exit status is then EX_SOFTWARE.  A run's sample is its wall-clock time,
 * or the number the side printed when it has a value label.
 */
#include <err.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "harness/bench/bench.h"

#define GRACE_S 2.0 /* seconds between SIGTERM and SIGKILL */

struct options {
	const char *kernel; /* -k */
	const char *outdir; /* -o */
	int runs;	    /* -r */
	int warmups;	    /* -w */
	double timeout;	    /* -t, seconds per run */
	bool check_only;    /* -n */
	const char **only;  /* -b names, in order */
	size_t nonly;
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: vkbench [-n] [-b name] [-k kernel] [-o dir] [-r runs] "
	    "[-t timeout]\n"
	    "               [-w warmups] file ...\n");
	exit(EX_USAGE);
}

static long
number(const char *arg, char opt, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
		warnx("-%c %s: expected a whole number from %ld to %ld", opt,
		    arg, min, max);
		usage();
	}
	return (v);
}

static double
seconds(const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(v > 0) || v > 86400) {
		warnx("-t %s: expected seconds, more than 0 and at most 86400",
		    arg);
		usage();
	}
	return (v);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	int ch;

	o->runs = 7;
	o->warmups = 1;
	o->timeout = 30;
	if ((o->only = calloc(argc, sizeof(*o->only))) == NULL)
		err(EX_OSERR, NULL);
	while ((ch = getopt(argc, argv, "b:k:no:r:t:w:")) != -1) {
		switch (ch) {
		case 'b':
			o->only[o->nonly++] = optarg;
			break;
		case 'k':
			o->kernel = optarg;
			break;
		case 'n':
			o->check_only = true;
			break;
		case 'o':
			o->outdir = optarg;
			break;
		case 'r':
			o->runs = (int)number(optarg, 'r', 1, 1000);
			break;
		case 't':
			o->timeout = seconds(optarg);
			break;
		case 'w':
			o->warmups = (int)number(optarg, 'w', 0, 100);
			break;
		default:
			usage();
		}
	}
	if (optind == argc) {
		warnx("no benchmark file given");
		usage();
	}
}

static void
read_confs(char **files, int nfiles, struct bench_conf *conf)
{
	char msg[BENCH_ERR_MAX];
	FILE *fp;
	int error, i;

	for (i = 0; i < nfiles; i++) {
		if ((fp = fopen(files[i], "re")) == NULL)
			err(EX_NOINPUT, "%s", files[i]);
		error = bench_conf_parse(fp, files[i], conf, msg, sizeof(msg));
		fclose(fp);
		if (error != 0)
			errx(error, "%s", msg);
	}
}

/*
 * Returns the benchmarks to run, in order: those named with -b, or all.
 * Exits with EX_USAGE for a name no file defines or for a benchmark that
 * needs ${KERNEL} without -k.
 */
static const struct bench **
select_benches(const struct bench_conf *conf, const struct options *o,
    size_t *np)
{
	const struct bench **sel;
	size_t i, n;

	n = o->nonly > 0 ? o->nonly : conf->nbenches;
	if ((sel = calloc(n, sizeof(*sel))) == NULL)
		err(EX_OSERR, NULL);
	for (i = 0; i < n; i++) {
		if (o->nonly == 0)
			sel[i] = &conf->benches[i];
		else if ((sel[i] = bench_conf_find(conf, o->only[i])) == NULL)
			errx(EX_USAGE, "-b %s: no benchmark of that name",
			    o->only[i]);
		if (o->kernel == NULL && !o->check_only &&
		    ((sel[i]->guest.vars | sel[i]->native.vars) &
			BENCH_VAR_KERNEL))
			errx(EX_USAGE,
			    "benchmark %s uses ${KERNEL}: give the kernel with "
			    "-k",
			    sel[i]->name);
	}
	*np = n;
	return (sel);
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (remove(path) == -1)
		warn("%s", path);
	return (0);
}

static void set_reason(struct bench_run_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fails a run before it started; messages that do not fit are cut. */
static void
set_reason(struct bench_run_result *res, const char *fmt, ...)
{
	va_list ap;

	memset(res, 0, sizeof(*res));
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

/* Runs one side once, in a fresh ${TMP} when the command uses one. */
static void
run_once(const struct bench_side *side, const struct options *o,
    struct bench_run_result *res)
{
	struct bench_vars vars = { o->kernel, NULL };
	char tmp[PATH_MAX], msg[BENCH_ERR_MAX], *cmd;
	const char *tmpdir;

	if (side->vars & BENCH_VAR_TMP) {
		if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir == '\0')
			tmpdir = "/tmp";
		snprintf(tmp, sizeof(tmp), "%s/vkbench.XXXXXX", tmpdir);
		if (mkdtemp(tmp) == NULL) {
			set_reason(res, "cannot create ${TMP} %s: %s", tmp,
			    strerror(errno));
			return;
		}
		vars.tmp = tmp;
	}
	if (bench_expand(side->command, &vars, &cmd, msg, sizeof(msg)) != 0) {
		set_reason(res, "%s", msg);
	} else {
		bench_run(cmd, side, o->timeout, GRACE_S, res);
		free(cmd);
	}
	if (vars.tmp != NULL)
		nftw(vars.tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Prints the last output of a failed run, with unprintable bytes escaped. */
static void
show_tail(const char *name, const char *tail)
{
	const unsigned char *p;

	if (*tail == '\0')
		return;
	fprintf(stderr, "vkbench: %s: its output ended with: \"", name);
	for (p = (const unsigned char *)tail; *p != '\0'; p++) {
		if (*p == '\n')
			fputs("\\n", stderr);
		else if (*p == '\r')
			fputs("\\r", stderr);
		else if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
	fputs("\"\n", stderr);
}

static void
run_bench(const struct bench *b, const struct options *o,
    struct bench_result *r)
{
	const struct bench_side *side;
	struct bench_side_result *sr;
	struct bench_run_result res;
	int i, s;

	memset(r, 0, sizeof(*r));
	r->bench = b;
	r->guest.samples = calloc(o->runs, sizeof(uint64_t));
	r->native.samples = calloc(o->runs, sizeof(uint64_t));
	if (r->guest.samples == NULL || r->native.samples == NULL)
		err(EX_OSERR, NULL);
	fprintf(stderr, "vkbench: %s: %d+%d runs per side\n", b->name,
	    o->warmups, o->runs);
	for (i = 0; i < o->warmups + o->runs; i++) {
		for (s = 0; s < 2; s++) {
			side = s == 0 ? &b->guest : &b->native;
			sr = s == 0 ? &r->guest : &r->native;
			run_once(side, o, &res);
			if (!res.ok) {
				r->failed = true;
				snprintf(r->reason, sizeof(r->reason),
				    "%s %s %d: %s", s == 0 ? "guest" : "native",
				    i < o->warmups ? "warm-up" : "run",
				    i < o->warmups ? i + 1 : i - o->warmups + 1,
				    res.reason);
				warnx("%s: %s", b->name, r->reason);
				show_tail(b->name, res.tail);
				return;
			}
			if (i >= o->warmups)
				sr->samples[sr->nsamples++] = side->value !=
					NULL ?
				    res.value_ns :
				    res.elapsed_ns;
		}
	}
	if (bench_stats_compute(r->guest.samples, r->guest.nsamples,
		&r->guest.stats) != 0 ||
	    bench_stats_compute(r->native.samples, r->native.nsamples,
		&r->native.stats) != 0)
		err(EX_OSERR, NULL);
}

static void
on_signal(int sig)
{
	bench_interrupted = sig;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void
list_benches(const struct bench **sel, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s\t%s\n", sel[i]->name, sel[i]->description);
}

int
main(int argc, char **argv)
{
	struct bench_conf conf = { NULL, 0 };
	struct bench_report rep;
	struct options o;
	const struct bench **sel;
	char msg[BENCH_ERR_MAX];
	struct tm tm;
	time_t now;
	size_t i, n;
	int error, sig, status;

	memset(&o, 0, sizeof(o));
	parse_options(argc, argv, &o);
	read_confs(argv + optind, argc - optind, &conf);
	sel = select_benches(&conf, &o, &n);
	if (o.check_only) {
		list_benches(sel, n);
		status = fflush(stdout) == 0 ? EX_OK : EX_IOERR;
		free(sel);
		free(o.only);
		bench_conf_free(&conf);
		return (status);
	}
	if (o.kernel != NULL && access(o.kernel, X_OK) == -1)
		err(EX_NOINPUT, "kernel %s", o.kernel);

	memset(&rep, 0, sizeof(rep));
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(rep.timestamp, sizeof(rep.timestamp), "%Y-%m-%dT%H:%M:%SZ",
	    &tm);
	rep.kernel = o.kernel;
	rep.runs = o.runs;
	rep.warmups = o.warmups;
	rep.timeout = o.timeout;
	if ((rep.results = calloc(n, sizeof(*rep.results))) == NULL)
		err(EX_OSERR, NULL);
	catch_signals();
	status = EX_OK;
	for (i = 0; i < n && !bench_interrupted; i++) {
		run_bench(sel[i], &o, &rep.results[i]);
		rep.nresults++;
		if (rep.results[i].failed)
			status = EX_SOFTWARE;
	}
	if ((sig = bench_interrupted) != 0) {
		warnx("interrupted: no report written");
		signal(sig, SIG_DFL);
		raise(sig);
		return (128 + sig);
	}

	if (bench_report_text(stdout, &rep) != 0)
		errx(EX_IOERR, "standard output: write error");
	if (o.outdir != NULL &&
	    (error = bench_report_write(o.outdir, &rep, msg, sizeof(msg))) != 0)
		errx(error, "%s", msg);
	if (o.outdir != NULL)
		fprintf(stderr, "vkbench: report in %s/latest.json\n",
		    o.outdir);
	for (i = 0; i < rep.nresults; i++) {
		free(rep.results[i].guest.samples);
		free(rep.results[i].native.samples);
	}
	free(rep.results);
	free(sel);
	free(o.only);
	bench_conf_free(&conf);
	return (status);
}
