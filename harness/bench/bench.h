/*
 * bench.h - the benchmark runner behind vkbench(1).
 *
 * A benchmark compares a guest command (normally the vkernel) with a native
 * counterpart run on the host.  Benchmarks are data: bench_conf.c reads them
 * from a configuration file, bench_run.c times one command on a pseudo
 * terminal, bench_stats.c reduces the samples, and bench_report.c writes the
 * JSON and text reports.  vkbench.c ties them together.
 *
 * Errors: functions return 0 or a sysexits(3) code and, where they take an
 * error buffer, leave a message there that names the problem; they print
 * nothing themselves.
 */
#ifndef HARNESS_BENCH_BENCH_H
#define HARNESS_BENCH_BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define BENCH_NAME_MAX	  63  /* characters in a benchmark name */
#define BENCH_PATTERN_MAX 256 /* bytes in a console pattern */
#define BENCH_REASON_MAX  256 /* bytes in a failure reason */
#define BENCH_TAIL_MAX	  160 /* bytes of output kept for diagnostics */
#define BENCH_ERR_MAX	  512 /* a good size for error buffers */
#define BENCH_LINE_MAX	  512 /* bytes of an output line scanned for a value */

/* Variables that commands may use; bit masks for bench_side.vars. */
#define BENCH_VAR_KERNEL 0x1 /* ${KERNEL}: the kernel given with -k */
#define BENCH_VAR_TMP	 0x2 /* ${TMP}: a scratch directory per run */

/* What ends the measurement of one run. */
enum bench_until {
	BENCH_UNTIL_EXIT,   /* the process exits */
	BENCH_UNTIL_PATTERN /* the pattern appears in the output */
};

/* One side of a benchmark: a command and what ends its measurement. */
struct bench_side {
	char *command; /* as written, variables not expanded */
	unsigned vars; /* BENCH_VAR_* the command uses */
	enum bench_until until;
	char *pattern; /* BENCH_UNTIL_PATTERN: bytes to wait for */
	int status;    /* BENCH_UNTIL_EXIT: expected status, or -1 */
	char *value;   /* label of the line "<label> <ns>" that gives the
			  sample instead of the wall clock, or NULL */
};

struct bench {
	char *name;
	char *description;
	int line; /* the line of its [name] header */
	struct bench_side guest;
	struct bench_side native;
};

struct bench_conf {
	struct bench *benches;
	size_t nbenches;
};

/*
 * Reads benchmark definitions from fp and appends them to *conf, which
 * must be zeroed before the first call; several files may be read into one
 * conf.  path names fp in messages.  Returns 0, EX_DATAERR with
 * "path:line: message" in err for a malformed file, EX_IOERR for a read
 * error or EX_OSERR when out of memory, with a message in err.  On error
 * *conf may hold part of the file; bench_conf_free() releases it.
 */
int bench_conf_parse(FILE *fp, const char *path, struct bench_conf *conf,
    char *err, size_t errlen);

/* Releases what bench_conf_parse() allocated and zeroes *conf. */
void bench_conf_free(struct bench_conf *conf);

/* Returns the benchmark called name, or NULL. */
const struct bench *bench_conf_find(const struct bench_conf *conf,
    const char *name);

/* Values of the variables for one run; NULL when not available. */
struct bench_vars {
	const char *kernel;
	const char *tmp;
};

/*
 * Checks the ${NAME} references in cmd: NAME must be KERNEL or TMP, and a
 * "$" not followed by "{" is left to the shell.  Stores the BENCH_VAR_*
 * bits used into *vars.  Returns 0, or EX_DATAERR with a message in err.
 */
int bench_command_check(const char *cmd, unsigned *vars, char *err,
    size_t errlen);

/*
 * Expands the variables of cmd into a new string stored in *out, which the
 * caller frees.  Each value becomes one single-quoted shell word, so that
 * it survives /bin/sh -c whatever it contains.  Returns 0, EX_DATAERR with
 * a message in err for a bad or unavailable variable, or EX_OSERR when out
 * of memory.
 */
int bench_expand(const char *cmd, const struct bench_vars *vars, char **out,
    char *err, size_t errlen);

/* Median, minimum and maximum of a set of samples, in nanoseconds. */
struct bench_stats {
	double median; /* the mean of the middle two for an even count */
	double min;
	double max;
};

/*
 * Computes the statistics of n samples; the samples may be in any order and
 * are not changed.  Returns 0, EX_SOFTWARE when n is 0, or EX_OSERR when
 * out of memory.
 */
int bench_stats_compute(const uint64_t *samples, size_t n,
    struct bench_stats *st);

/*
 * Set by the program's signal handler to make bench_run() stop waiting,
 * end its command and fail with "interrupted".
 */
extern volatile sig_atomic_t bench_interrupted;

/* The outcome of one run of one command. */
struct bench_run_result {
	bool ok;
	uint64_t elapsed_ns;	       /* spawn to pattern or exit, when ok */
	bool has_value;		       /* the side's value line was seen */
	uint64_t value_ns;	       /* the number on it, when has_value */
	char reason[BENCH_REASON_MAX]; /* why not ok */
	char tail[BENCH_TAIL_MAX + 1]; /* the last output, NUL-terminated */
};

/*
 * Returns 0 and stores the number into *ns when line (without its line
 * end) is the value line of label: label, one or more blanks, a whole
 * number of nanoseconds, optional blanks.  Returns -1 otherwise.
 */
int bench_value_line(const char *line, size_t len, const char *label,
    uint64_t *ns);

/*
 * Runs cmd (already expanded) with /bin/sh -c in a new session on a pseudo
 * terminal, and times it from spawn until side's pattern appears in the
 * output or until the process exits.  When side->value is set, the output
 * is also scanned line by line with bench_value_line(): the first value
 * line seen goes into res->value_ns, and a run that ends without one
 * fails.  After the pattern, after a timeout
 * and after exit, the process group gets SIGTERM and then, grace seconds
 * later, SIGKILL.  The calling process becomes a child subreaper
 * (PR_SET_CHILD_SUBREAPER), so that it can reap the whole group before
 * this returns, and must have no other children in that group.  A run fails
 * (res->ok false, res->reason set) when it times out, exits before the
 * pattern, is killed by a signal, cannot find its command (status 126 or
 * 127), or exits with another status than side->status.
 */
void bench_run(const char *cmd, const struct bench_side *side, double timeout,
    double grace, struct bench_run_result *res);

/* The samples of one side of one benchmark. */
struct bench_side_result {
	uint64_t *samples; /* nanoseconds (reported values or wall clock) */
	size_t nsamples;
	struct bench_stats stats; /* valid when nsamples > 0 */
};

struct bench_result {
	const struct bench *bench;
	struct bench_side_result guest;
	struct bench_side_result native;
	bool failed;
	char reason[BENCH_REASON_MAX + 64];
};

/* Everything a report says. */
struct bench_report {
	char timestamp[32]; /* ISO 8601 UTC: 2024-01-31T12:34:56Z */
	const char *kernel; /* -k, or NULL */
	int runs;
	int warmups;
	double timeout;
	struct bench_result *results;
	size_t nresults;
};

/*
 * Returns the guest median divided by the native median, or a negative
 * value when the benchmark failed or a median is zero.
 */
double bench_ratio(const struct bench_result *r);

/*
 * Writes s to fp as a JSON string with its quotes.  Control characters and
 * bytes that are not valid UTF-8 are escaped (the latter as U+FFFD).
 */
void bench_json_string(FILE *fp, const char *s);

/* Writes the report as JSON or as a table; returns 0 or EX_IOERR. */
int bench_report_json(FILE *fp, const struct bench_report *rep);
int bench_report_text(FILE *fp, const struct bench_report *rep);

/*
 * Writes dir/<timestamp>.json, makes dir/latest.json a symbolic link to it
 * and writes the table to dir/latest.txt, creating dir (and its parents) if
 * needed.  Returns 0, or EX_CANTCREAT or EX_IOERR with a message in err.
 */
int bench_report_write(const char *dir, const struct bench_report *rep,
    char *err, size_t errlen);

#endif /* HARNESS_BENCH_BENCH_H */
