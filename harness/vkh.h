/*
 * vkh.h - the harness engine: boot a kernel described by a boot profile on
 * a pseudo terminal, follow its console phase by phase, run commands in
 * the guest, and turn what happened into a verdict.
 *
 * This is the only header that suites and the vkh(1) command include.  The
 * engine knows nothing about a particular kernel: the kernel command, the
 * console patterns of each boot phase, the crash patterns and the shutdown
 * method all come from a profile file (vkh.profile(5)).
 *
 * A kernel suite is a Criterion program whose tests call vkh_test_boot()
 * (see "Criterion suites" below); vkh(1) runs such programs, retries
 * failures and writes results/<run-id>/.
 */
#ifndef HARNESS_VKH_H
#define HARNESS_VKH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What happened to a test or a boot, from best to worst news. */
enum vkh_verdict {
	VKH_PASS,
	VKH_FLAKY, /* failed, then passed on an automatic retry */
	VKH_SKIP,
	VKH_FAIL,  /* an assertion of the test did not hold */
	VKH_CRASH, /* panic, fatal trap, debugger, unexpected kernel exit */
	VKH_HANG,  /* a phase timed out or the console went silent */
	VKH_ERROR, /* the harness or the host failed, not the kernel */
};

/* Returns the lower-case name of v ("pass", "crash", ...). */
const char *vkh_verdict_name(enum vkh_verdict v);
/* Returns the verdict named s, or -1. */
int vkh_verdict_parse(const char *s);

/*
 * The outcome of an engine call.  verdict is VKH_PASS when the call did
 * what was asked; otherwise phase names where it stopped ("banner",
 * "command", "shutdown", ...), message says what was seen (the panic
 * message for a crash) and tail holds the last console lines.
 */
struct vkh_status {
	enum vkh_verdict verdict;
	char phase[32];
	char message[512];
	char tail[4096];
	double elapsed; /* seconds since the guest was spawned */
	int wstatus;	/* wait(2) status once the guest exited, else -1 */
};

/* Profiles ---------------------------------------------------------- */

struct vkh_profile;

/*
 * Reads a profile file.  Returns NULL and a message naming the file and
 * line in err when it cannot be read or is malformed.
 */
struct vkh_profile *vkh_profile_load(const char *path, char *err,
    size_t errlen);
/* Parses profile text; name is used in error messages.  As above. */
struct vkh_profile *vkh_profile_parse(const char *text, const char *name,
    char *err, size_t errlen);
/* Frees p (NULL is allowed). */
void vkh_profile_free(struct vkh_profile *p);
/* Returns the profile's name (its "name" line, else the file name). */
const char *vkh_profile_name(const struct vkh_profile *p);
/* Returns the number of boot phases and the name of phase i. */
int vkh_profile_nphases(const struct vkh_profile *p);
const char *vkh_profile_phase(const struct vkh_profile *p, int i);
/*
 * Finds the file of a profile given by path (contains '/') or by name,
 * looked up in $VKH_PROFILES then harness/profiles/ under the current
 * directory.  Writes the path into buf; returns 0 or ENOENT.
 */
int vkh_profile_find(const char *name, char *buf, size_t size);

/* Guests ------------------------------------------------------------ */

#define VKH_MAX_IMAGES 8
#define VKH_MAX_VARS   16
#define VKH_MAX_ARGS   16

/* What to boot.  Unset fields take the defaults noted. */
struct vkh_boot_spec {
	const char *profile; /* name or path; default "vireo" */
	const char *kernel;  /* default $VK_KERNEL */
	const char *until;   /* last phase to reach; default the last one */
	/* Master images; each guest boots a fresh copy-on-write copy. */
	const char *images[VKH_MAX_IMAGES];
	/* "name=value" overrides of profile variables, NULL-terminated. */
	const char *vars[VKH_MAX_VARS];
	/* Arguments added after the profile's command words (before the
	 * image words), NULL-terminated: options a test is about. */
	const char *args[VKH_MAX_ARGS];
	const char *log;     /* gzip console log to write; default none */
	const char *scratch; /* per-boot directory; default a new one */
	/*
	 * The test leaves the guest as it found it, so vkh_test_boot() may
	 * hand it a guest booted for an earlier test with equal needs (see
	 * "Shared boots" below).  Images must then be empty: tests that
	 * write to disks get their own boot.
	 */
	bool share;
};

struct vkh_guest;

/*
 * Spawns the kernel of spec on a new pty and follows its console until
 * the phase spec->until was seen.  Always returns a guest (NULL only when
 * memory runs out) so that its console can be inspected; st tells whether
 * the boot got there.  vkh_destroy() ends it.
 */
struct vkh_guest *vkh_boot(const struct vkh_boot_spec *spec,
    struct vkh_status *st);
/*
 * Waits up to timeout seconds for a console line (or the pending prompt)
 * matching the extended regular expression re, checking the crash
 * patterns on every read.  Returns true when it matched; otherwise st
 * says why (hang, crash, exit).  A match is only looked for in output
 * after the previous match.
 */
bool vkh_expect(struct vkh_guest *g, const char *re, double timeout,
    struct vkh_status *st);
/*
 * Like vkh_expect, but waits for the first of n patterns.  Returns the
 * index of the pattern that matched, or -1 with st filled in.  A pattern
 * ending in '$' after anything but a blank only matches complete lines,
 * never the first part of a line still printing; " $" ends a prompt.
 */
int vkh_expect_any(struct vkh_guest *g, const char *const *res, int n,
    double timeout, struct vkh_status *st);
/* Like vkh_expect with a literal text instead of a pattern. */
bool vkh_expect_text(struct vkh_guest *g, const char *text, double timeout,
    struct vkh_status *st);
/*
 * The text the last successful expect matched in: the rest of the line
 * after the previous match.  Valid until the next expect; "" before.
 */
const char *vkh_match(struct vkh_guest *g);
/* Types text on the console.  Returns 0 or an errno value. */
int vkh_send(struct vkh_guest *g, const char *text);
/* Types text and the profile's newline.  Returns 0 or an errno value. */
int vkh_send_line(struct vkh_guest *g, const char *text);
/*
 * Runs cmd in the guest's shell (the profile's shell phase must have been
 * reached) between random markers.  On success returns true, *output (to
 * free) holds what the command printed and *exitcode its exit status.
 */
bool vkh_run(struct vkh_guest *g, const char *cmd, double timeout,
    char **output, int *exitcode, struct vkh_status *st);
/* Sends a signal to the kernel process.  Returns 0 or an errno value. */
int vkh_signal(struct vkh_guest *g, int sig);
/*
 * Shuts the guest down the profile's way and checks the halt line and the
 * exit status it names.  Returns true when all went as the profile says.
 */
bool vkh_shutdown(struct vkh_guest *g, struct vkh_status *st);
/*
 * Waits up to timeout seconds for the kernel to exit, draining its
 * console.  Returns true and the wait status in *wstatus when it did.
 */
bool vkh_wait_exit(struct vkh_guest *g, double timeout, int *wstatus);
/* When allow is true the debugger prompt is not a crash (tests of ddb). */
void vkh_allow_debugger(struct vkh_guest *g, bool allow);
/* Copies the last nlines console lines into buf.  Returns buf. */
char *vkh_tail(struct vkh_guest *g, int nlines, char *buf, size_t size);
/* True when the whole console transcript kept in memory contains text. */
bool vkh_console_contains(struct vkh_guest *g, const char *text);
/*
 * The console transcript kept in memory, raw (carriage returns and all;
 * only the last 8 MB of a flood).  Valid until the next engine call.
 */
const char *vkh_transcript(struct vkh_guest *g);
/* Seconds from spawn to phase name, or -1 when it was not reached. */
double vkh_phase_time(struct vkh_guest *g, const char *name);
/* The kernel's pid, the scratch directory, the copy of image i. */
pid_t vkh_pid(struct vkh_guest *g);
const char *vkh_scratch(struct vkh_guest *g);
const char *vkh_image(struct vkh_guest *g, int i);
/* The command line the guest was started with, quoted for sh(1). */
const char *vkh_command_line(struct vkh_guest *g);
/* Kills the kernel if it still runs, reaps it, closes the log and
 * removes the scratch directory it made.  NULL is allowed. */
void vkh_destroy(struct vkh_guest *g);

/* Host processes ---------------------------------------------------- */

/* A thread of a host process, from /proc. */
struct vkh_thread {
	pid_t tid;
	char name[32]; /* comm */
	char cpus[64]; /* Cpus_allowed_list */
};

/*
 * Reads up to max threads of process pid into t.  Returns how many there
 * are (may exceed max), or -1 when the process is gone.
 */
int vkh_threads(pid_t pid, struct vkh_thread *t, int max);
/* Finds the thread of pid named name; returns true and fills *t. */
bool vkh_thread_find(pid_t pid, const char *name, struct vkh_thread *t);

/*
 * A plain run of the kernel, for tests of its command line: no console
 * engine, no pty; standard input is a pipe kept open, standard output and
 * error go to files, read back by vkh_proc_read().
 */
struct vkh_proc {
	pid_t pid;    /* 0 once reaped */
	int status;   /* wait(2) status once reaped, else -1 */
	int stdin_fd; /* our end of its standard input, or -1 */
	char *out;    /* what it wrote, after vkh_proc_read() */
	char *err;
	char outpath[512], errpath[512];
};

/*
 * Starts argv[0] (a path) with the arguments argv and env added to the
 * environment (both NULL-terminated; env may be NULL).  Output goes to
 * files in dir.  Returns 0 or an errno value.
 */
int vkh_proc_start(struct vkh_proc *p, const char *dir, char *const *argv,
    char *const *env);
/* Reads what the process wrote so far into p->out and p->err. */
void vkh_proc_read(struct vkh_proc *p);
/*
 * Waits up to timeout seconds for the process to exit; returns true, with
 * p->status and the output read, when it did.
 */
bool vkh_proc_wait(struct vkh_proc *p, double timeout);
/* Kills the process if it still runs, closes and frees what p holds. */
void vkh_proc_end(struct vkh_proc *p);

/* Images ------------------------------------------------------------ */

enum vkh_clone_method {
	VKH_CLONE_REFLINK, /* FICLONE: shares every block */
	VKH_CLONE_SPARSE,  /* copies only the data extents */
};

/*
 * Makes copy a copy-on-write copy of master (which is only read).
 * Returns 0 and the method used in *method (may be NULL), or an errno.
 */
int vkh_image_clone(const char *master, const char *copy, int *method);

/* Criterion suites -------------------------------------------------- */

/*
 * Boots for the current Criterion test: the console log and the test's
 * record go under $VKH_RUN_DIR (default results/direct) so that vkh(1)
 * can report boot phases, logs and a repro.sh.  When the boot does not
 * reach its phase the test fails with the verdict (crash, hang, error)
 * and the last console lines.  The guest is destroyed when the test
 * process exits or by vkh_test_end().
 */
struct vkh_guest *vkh_test_boot(const struct vkh_boot_spec *spec);
/* Like vkh_expect, vkh_run, vkh_shutdown, failing the test on error. */
void vkh_test_expect(struct vkh_guest *g, const char *re, double timeout);
int vkh_test_expect_any(struct vkh_guest *g, const char *const *res, int n,
    double timeout);
void vkh_test_expect_text(struct vkh_guest *g, const char *text,
    double timeout);
/* Types a line (vkh_send_line), failing the test when it cannot. */
void vkh_test_send(struct vkh_guest *g, const char *line);
/* Sends a host signal to the kernel, failing the test when it cannot. */
void vkh_test_signal(struct vkh_guest *g, int sig);
/*
 * Waits up to timeout seconds for the kernel to exit and returns its
 * wait(2) status; fails the test when it does not exit.
 */
int vkh_test_wait_exit(struct vkh_guest *g, double timeout);
char *vkh_test_run(struct vkh_guest *g, const char *cmd, double timeout,
    int *exitcode);
void vkh_test_shutdown(struct vkh_guest *g);
/* Records a verdict other than the test's Criterion result, e.g. a crash
 * seen by the test itself.  Used by the calls above. */
void vkh_test_verdict(const struct vkh_status *st);
/*
 * Shared boots.  A test whose spec has .share set declares that it leaves
 * the guest as it found it.  When vkh(1) runs it ($VKH_SHARE_DIR set),
 * vkh_test_boot() asks a keeper process for a guest booted with equal
 * needs (profile, kernel, phase, variables); the first such test starts
 * the keeper, which boots the guest and drains its console between
 * tests.  vkh_test_release() proves the guest is at rest (the profile's
 * newline brings back the last phase's prompt) and hands it back; a test
 * that ends without releasing it, fails, or leaves it elsewhere gets the
 * guest rebooted for the next one.  Without $VKH_SHARE_DIR every test
 * boots its own guest.
 */
void vkh_test_release(struct vkh_guest *g);
/* True when g came from a keeper (booted for an earlier test). */
bool vkh_shared(struct vkh_guest *g);

/* Destroys the guests of the current test (for a .fini). */
void vkh_test_end(void);


/* KTAP (vkh_ktap.c) ------------------------------------------------- */

#define VKH_KTAP_MAX 128

enum vkh_ktap_result {
	VKH_KTAP_PASS,
	VKH_KTAP_FAIL,
	VKH_KTAP_SKIP
};

struct vkh_ktap_case {
	char name[96]; /* "name", or "parent.name" for a subtest */
	int number;
	enum vkh_ktap_result result;
};

struct vkh_ktap {
	bool header;	  /* "KTAP version 1" or "TAP version 13" seen */
	int planned;	  /* N of "1..N", or -1 */
	int seen_results; /* top-level result lines */
	bool complete;	  /* every planned result is there */
	int ncases;
	struct vkh_ktap_case cases[VKH_KTAP_MAX];
};

/*
 * Reads the first KTAP document in text (a console transcript: other lines
 * are ignored).  Returns 0, or -1 when there is no KTAP header.
 */
int vkh_ktap_parse(const char *text, struct vkh_ktap *k);
/* Names the failed cases in buf (comma-separated); returns how many. */
int vkh_ktap_failures(const struct vkh_ktap *k, char *buf, size_t size);
/*
 * In a test: waits up to timeout seconds for the guest's KTAP document to
 * be complete, records every case as a result of its own (results/ JSON,
 * JUnit and TAP show them) and fails the test, naming the failed cases,
 * when a case failed or the document is incomplete.
 */
void vkh_test_ktap(struct vkh_guest *g, double timeout);

#endif /* HARNESS_VKH_H */
