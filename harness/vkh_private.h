/*
 * vkh_private.h - what the files of the harness library share beyond the
 * public vkh.h: the parsed profile, variable expansion, test records and
 * the result writers.  Suites must not include it.
 */
#ifndef HARNESS_VKH_PRIVATE_H
#define HARNESS_VKH_PRIVATE_H

#include <regex.h>
#include <stdio.h>

#include "harness/vkh.h"

#define VKH_MAX_WORDS  64
#define VKH_MAX_PHASES 16
#define VKH_MAX_SETS   32

struct vkh_phase {
	char *name;
	double timeout;
	char *pattern; /* may hold ${var}; expanded at boot */
	char *send;    /* typed when the phase is seen, or NULL */
	bool optional;
};

struct vkh_profile {
	char *name;
	char *command[VKH_MAX_WORDS]; /* argv template */
	int ncommand;
	char *image_words[8]; /* added once per image */
	int nimage_words;
	char *env[VKH_MAX_SETS]; /* NAME=value templates */
	int nenv;
	char *set_name[VKH_MAX_SETS]; /* variable defaults */
	char *set_value[VKH_MAX_SETS];
	int nset;
	struct vkh_phase phases[VKH_MAX_PHASES];
	int nphases;
	double silence;
	char *panic, *trap, *debugger; /* crash patterns, may be NULL */
	int panic_status;	       /* -1: none */
	double panic_grace;
	char *newline;
	char *shell_phase;    /* phase after which commands can run */
	char *prompt_command; /* sets the distinctive prompt */
	int shutdown_signal;  /* 0: shutdown_command instead */
	char *shutdown_command;
	int shutdown_status;
	char *shutdown_line;
	double shutdown_timeout;
};

/* A variable environment for expansion: parallel name/value arrays. */
struct vkh_vars {
	const char *name[48];
	const char *value[48];
	int n;
};

/* Adds or replaces a variable (the strings are not copied). */
void vkh_vars_set(struct vkh_vars *v, const char *name, const char *value);
/*
 * Expands ${name} in in into a new string.  Returns NULL and names the
 * unknown variable in err when one is not set.
 */
char *vkh_expand(const char *in, const struct vkh_vars *v, char *err,
    size_t errlen);
/* Returns the number of the signal named s ("TERM", "SIGTERM", "15"). */
int vkh_signal_number(const char *s);

/* Guests (vkh_console.c owns the console, vkh_guest.c the rest) ---- */

#define VKH_TAIL_LINES 64

struct vkh_guest {
	struct vkh_profile *profile;
	struct vkh_vars vars;
	char *owned[96]; /* strings the vars point to */
	int nowned;
	regex_t panic_re, trap_re, debugger_re;
	bool have_panic, have_trap, have_debugger;
	int fd;	     /* pty master, -1 once closed */
	pid_t pid;   /* -1 before the spawn */
	int wstatus; /* -1 until reaped */
	char scratch[512];
	bool own_scratch;
	char *images[VKH_MAX_IMAGES];
	int nimages;
	char *cmdline;
	void *log; /* gzFile */
	double start;
	double last_output;
	/* Bytes read but not yet cut into lines (cursor semantics). */
	char *pending;
	size_t npending, pendcap;
	/* The line being assembled; matched is how much a match used. */
	char *line;
	size_t linelen, linecap, line_matched;
	char *ring[VKH_TAIL_LINES];
	int ringpos;
	char *transcript;
	size_t tlen, tcap;
	/* A "panic:" line waits for the exit status or the debugger. */
	bool suspect;
	double suspect_until;
	char suspect_msg[512];
	double debugger_since; /* 0: the debugger prompt is not pending */
	bool allow_debugger;
	double phase_time[VKH_MAX_PHASES];
	bool at_shell;
	char prompt[64];
	char *match; /* the text the last expect matched in */
	/* Shared boots (vkh_share.c): the keeper's socket, or -1. */
	int share_fd;
	bool adopted;		/* not our child: never killed by us */
	struct vkh_guest *next; /* the live guests, killed at exit */
};

/*
 * Called for every complete line and for the pending partial line (a
 * prompt) with the text not yet used by an earlier match.  Returns 1 to
 * end the wait with a match, 0 to go on, -1 to end it with the verdict
 * the function put in the guest's status.
 */
typedef int (*vkh_line_fn)(struct vkh_guest *g, const char *text, bool complete,
    void *arg);

#define VKH_WAIT_SILENCE 0x1 /* the silence watchdog applies */
#define VKH_WAIT_EXIT_OK 0x2 /* an exit that is no crash returns 2 */

/* Spawns argv on a new pty with env added to the environment. */
int vkh_console_spawn(struct vkh_guest *g, char *const *argv, char *const *env,
    struct vkh_status *st);
/*
 * Reads the console until fn matches (returns 1), the kernel exits (2,
 * with VKH_WAIT_EXIT_OK and no crash), or a verdict ends the wait (0, st
 * filled in, the phase named phase).
 */
int vkh_console_wait(struct vkh_guest *g, vkh_line_fn fn, void *arg,
    double timeout, int flags, const char *phase, struct vkh_status *st);
/* Unlinks g from the guests killed at exit. */
void vkh_console_forget(struct vkh_guest *g);
/* Kills and reaps the kernel if needed, frees the console state of g and
 * closes its log. */
void vkh_console_close(struct vkh_guest *g);
/* Fills st with a verdict, the phase, the message and the console tail. */
void vkh_console_verdict(struct vkh_guest *g, struct vkh_status *st,
    enum vkh_verdict v, const char *phase, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Seconds since the epoch of CLOCK_MONOTONIC, as a double. */
double vkh_now(void);
/* Removes a directory tree.  Returns 0 or an errno value. */
int vkh_remove_tree(const char *dir);
/* Fills buf with size-1 random hex digits. */
void vkh_random_hex(char *buf, size_t size);

/* Reads and cuts what the console has, without waiting (a keeper
 * draining an idle guest). */
void vkh_console_drain(struct vkh_guest *g);
/* Reaps the guest if it exited (through the keeper for a shared one). */
void vkh_console_reap(struct vkh_guest *g);

/*
 * Makes a guest of spec around a kernel already running on pty fd with
 * process id pid (a shared boot): the profile, variables and patterns as
 * for a boot, nothing spawned, nothing killed by vkh_destroy().
 */
struct vkh_guest *vkh_guest_adopt(const struct vkh_boot_spec *spec, int fd,
    pid_t pid, const char *prompt, bool at_shell, struct vkh_status *st);

/* Shared boots (vkh_share.c) ----------------------------------------- */

/* What a keeper tells a test about the boot it hands over. */
struct vkh_share_info {
	struct vkh_status st;
	double phase_time[VKH_MAX_PHASES];
	char log[512];	    /* the keeper's console log of the boot */
	char cmdline[1024]; /* the kernel's command line */
	int uses;	    /* tests that had this boot before, 0 first */
};

/*
 * Gets a guest of spec from the keeper of equal boots under dir, starting
 * the keeper when there is none.  Returns NULL when sharing is not
 * possible (then the caller boots its own guest), else the guest with
 * info filled in (info->st says whether the boot got there).
 */
struct vkh_guest *vkh_share_attach(const struct vkh_boot_spec *spec,
    const char *dir, struct vkh_share_info *info);
/* Hands a shared guest back: clean (at rest) or dirty (reboot it). */
void vkh_share_detach(struct vkh_guest *g, bool clean);
/*
 * Checks that g is at rest: the profile's newline brings back the
 * distinctive prompt, or the pattern of the last phase reached.
 */
bool vkh_at_rest(struct vkh_guest *g, double timeout, struct vkh_status *st);
/* Asks the keeper for the guest's wait status; -1 while it runs. */
int vkh_share_status(struct vkh_guest *g);
/* Ends the keepers whose pid files are in dir and removes dir. */
void vkh_share_cleanup(const char *dir);

/* Test records (vkh_record.c) -------------------------------------- */

/*
 * A test record is a text file of "key value" lines that a test process
 * appends to under $VKH_RUN_DIR/records/ and vkh(1) reads back:
 *	boot <n> <profile>	a boot began
 *	phase <n> <name> <secs>	boot n reached the phase
 *	log <n> <path>		boot n's console log (relative to the run)
 *	cmdline <n> <text>	boot n's kernel command line
 *	shared <n> <uses>	boot n came from a keeper; uses earlier tests
 *	verdict <name>		an engine verdict (crash, hang, error)
 *	where <phase>		... in that phase
 *	message <text>		... with this message
 *	ktap <result> <name>	a KTAP case the test read from the guest
 */
struct vkh_record {
	int verdict; /* -1 when the engine saw nothing wrong */
	char where[32];
	char message[512];
	char cmdline[1024];
	char boots[2048]; /* JSON array of {profile, phases, log} */
	char logs[1024];  /* space-separated log paths */
	/* KTAP cases a test recorded ("ktap <pass|fail|skip> <name>"). */
	int nktap;
	struct {
		char name[96];
		char result[8];
	} ktap[VKH_KTAP_MAX];
};

/* Appends a line to the record file path.  Returns 0 or an errno. */
int vkh_record_add(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reads path into r (a missing file gives an empty record). */
void vkh_record_read(const char *path, struct vkh_record *r);
/* Writes s as a JSON string (with quotes) to f. */
void vkh_json_string(FILE *f, const char *s);
/* Writes s escaped for XML text and attributes to f. */
void vkh_xml_string(FILE *f, const char *s);

/* The vkh command: runner (vkh_runner.c) and results (vkh_results.c) - */

/* One test of a suite program, and what running it gave. */
struct vkh_result {
	char prog[512];	 /* the suite program */
	char suite[128]; /* Criterion suite and test names */
	char test[128];
	enum vkh_verdict verdict;
	double duration; /* seconds, of the last attempt */
	int attempts;
	char where[32];	   /* phase of a crash or hang */
	char message[512]; /* of the (first) failure */
	struct vkh_record rec;
	char output[600]; /* the test program's output, run-relative */
	char repro[600];  /* run-relative path of repro.sh, or "" */
};

/* What a run is about. */
struct vkh_run {
	char id[64];
	char dir[1024]; /* results/<id> */
	char kernel[1024];
	char cwd[1024];
	int retries;
	double timeout; /* outer watchdog per test attempt */
	int jobs;
	struct vkh_result *results;
	int n;
};

/*
 * Lists the tests of the suite programs named in progs (NULL-terminated)
 * that match the selections ("suite", "suite/test", shell patterns; none
 * means all).  Returns the count and an array to free in *out, or -1.
 */
int vkh_list_tests(char *const *progs, char *const *sel, int nsel,
    struct vkh_result **out);
/* Runs every test of run, retrying failures, printing progress. */
void vkh_run_tests(struct vkh_run *run);
/* Writes JUnit, TAP, JSON and the repro scripts into run->dir and points
 * results/latest at it.  Returns 0 or an errno value. */
int vkh_write_results(struct vkh_run *run, double wall);
/* Prints the one-screen summary.  Returns the number of bad verdicts. */
int vkh_print_summary(const struct vkh_run *run, double wall);

#endif /* HARNESS_VKH_PRIVATE_H */
