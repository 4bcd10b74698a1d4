/*
 * vkh_runner.c - runs the tests of Criterion suite programs for vkh(1).
 *
 * Each test attempt is its own run of the suite program, filtered to that
 * test (--filter=suite/test --tap=FILE), in its own process group, under
 * an outer watchdog: Criterion's own timeouts are not trusted alone.  The
 * verdict joins two sources: the engine's record of the test (crash, hang,
 * error, boot phases, console logs) and Criterion's TAP line (pass, fail,
 * skip).  A test that does not pass is run again up to --retries times; a
 * later pass makes it flaky.  Up to jobs attempts run at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh_private.h"

struct slot {
	pid_t pid;
	int idx;
	double start;
	bool killed;
};

static bool
selected(const char *suite, const char *test, char *const *sel, int nsel)
{
	char name[300];
	int i;

	if (nsel == 0)
		return (true);
	snprintf(name, sizeof(name), "%s/%s", suite, test);
	for (i = 0; i < nsel; i++)
		if (fnmatch(sel[i], name, 0) == 0 ||
		    fnmatch(sel[i], suite, 0) == 0)
			return (true);
	return (false);
}

int
vkh_list_tests(char *const *progs, char *const *sel, int nsel,
    struct vkh_result **out)
{
	struct vkh_result *r = NULL, *nr;
	char cmd[1200], line[512], suite[128] = "", *p;
	int n = 0, i;
	FILE *f;

	for (i = 0; progs[i] != NULL; i++) {
		snprintf(cmd, sizeof(cmd), "'%s' --list 2>/dev/null", progs[i]);
		if ((f = popen(cmd, "r")) == NULL)
			return (-1);
		while (fgets(line, sizeof(line), f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			/* "suite: N tests", then "├── test" / "└── test". */
			if ((p = strstr(line, "── ")) == NULL) {
				if ((p = strchr(line, ':')) != NULL)
					snprintf(suite, sizeof(suite), "%.*s",
					    (int)(p - line), line);
				continue;
			}
			p += strlen("── ");
			if (!selected(suite, p, sel, nsel))
				continue;
			if ((nr = realloc(r, (n + 1) * sizeof(*r))) == NULL) {
				pclose(f);
				free(r);
				return (-1);
			}
			r = nr;
			memset(&r[n], 0, sizeof(r[n]));
			snprintf(r[n].prog, sizeof(r[n].prog), "%s", progs[i]);
			snprintf(r[n].suite, sizeof(r[n].suite), "%s", suite);
			snprintf(r[n].test, sizeof(r[n].test), "%s", p);
			n++;
		}
		if (pclose(f) != 0)
			fprintf(stderr, "vkh: %s --list failed\n", progs[i]);
	}
	*out = r;
	return (n);
}

/* Starts one attempt of test r; returns its pid or -1. */
static pid_t
start_attempt(struct vkh_run *run, struct vkh_result *r)
{
	char base[300], path[1800], filter[300];
	pid_t pid;
	int fd;

	r->attempts++;
	snprintf(base, sizeof(base), "%s.%s.%d", r->suite, r->test,
	    r->attempts);
	snprintf(r->output, sizeof(r->output), "output/%s.txt", base);
	snprintf(path, sizeof(path), "%s/records/%s.rec", run->dir, base);
	unlink(path);
	if ((pid = fork()) != 0)
		return (pid);
	setpgid(0, 0);
	setenv("VKH_RUN_DIR", run->dir, 1);
	setenv("VKH_RECORD", path, 1);
	snprintf(path, sizeof(path), "%s/logs/%s", run->dir, base);
	setenv("VKH_LOG_PREFIX", path, 1);
	setenv("VK_KERNEL", run->kernel, 1);
	snprintf(path, sizeof(path), "%s/%s", run->dir, r->output);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	snprintf(filter, sizeof(filter), "--filter=%s/%s", r->suite, r->test);
	snprintf(path, sizeof(path), "--tap=%s/tmp/%s.tap", run->dir, base);
	execl(r->prog, r->prog, filter, path, "-j1", "--short-filename",
	    (char *)NULL);
	fprintf(stderr, "vkh: cannot run %s: %s\n", r->prog, strerror(errno));
	_exit(127);
}

/* Reads Criterion's TAP line of the test: 0 pass, 1 fail, 2 skip, -1. */
static int
read_tap(const char *path, const struct vkh_result *r, char *msg, size_t size)
{
	char want[300], line[1024];
	int res = -1, in_block = 0;
	size_t len = 0;
	FILE *f;

	msg[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	snprintf(want, sizeof(want), " - %s::%s ", r->suite, r->test);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, want) != NULL ||
		    (strlen(line) > strlen(want) - 1 &&
			strcmp(line + strlen(line) - strlen(want) + 1, want) ==
			    0)) {
			res = strncmp(line, "not ok", 6) == 0 ? 1 :
			    strstr(line, "# SKIP") != NULL    ? 2 :
								0;
			if (res == 2)
				snprintf(msg, size, "%s",
				    strstr(line, "# SKIP") + 7);
			in_block = res == 1;
			continue;
		}
		if (!in_block)
			continue;
		if (strcmp(line, "  ...") == 0) {
			in_block = 0;
			continue;
		}
		/* The indented failure messages of the YAML block. */
		if (strncmp(line, "      ", 6) == 0 && len + 2 < size)
			len += (size_t)snprintf(msg + len, size - len, "%s%s",
			    len ? "; " : "", line + 6);
	}
	fclose(f);
	return (res);
}

/* Turns a finished attempt into a verdict. */
static void
judge_attempt(struct vkh_run *run, struct vkh_result *r, int ws, bool killed)
{
	char path[1800], msg[512];
	int tap;

	snprintf(path, sizeof(path), "%s/records/%s.%s.%d.rec", run->dir,
	    r->suite, r->test, r->attempts);
	vkh_record_read(path, &r->rec);
	snprintf(path, sizeof(path), "%s/tmp/%s.%s.%d.tap", run->dir, r->suite,
	    r->test, r->attempts);
	tap = read_tap(path, r, msg, sizeof(msg));
	r->where[0] = '\0';
	if (killed) {
		r->verdict = VKH_HANG;
		snprintf(r->where, sizeof(r->where), "test");
		snprintf(r->message, sizeof(r->message),
		    "test program killed by the watchdog after %.0f s",
		    run->timeout);
	} else if (r->rec.verdict >= 0) {
		r->verdict = (enum vkh_verdict)r->rec.verdict;
		snprintf(r->where, sizeof(r->where), "%s", r->rec.where);
		snprintf(r->message, sizeof(r->message), "%s", r->rec.message);
	} else if (tap >= 0) {
		r->verdict = tap == 0 ? VKH_PASS :
		    tap == 1	      ? VKH_FAIL :
					VKH_SKIP;
		snprintf(r->message, sizeof(r->message), "%s", msg);
	} else {
		r->verdict = VKH_ERROR;
		snprintf(r->message, sizeof(r->message),
		    "the test program ended (%s %d) without a result",
		    WIFSIGNALED(ws) ? "signal" : "status",
		    WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
	}
	unlink(path);
}

static void
progress(const struct vkh_run *run, const struct vkh_result *r, int done)
{
	char name[300];

	snprintf(name, sizeof(name), "%s/%s", r->suite, r->test);
	printf("[%*d/%d] %-44s %-5s %6.2fs%s%.60s\n", run->n >= 100 ? 3 : 2,
	    done, run->n, name, vkh_verdict_name(r->verdict), r->duration,
	    r->message[0] ? "  " : "", r->message);
	fflush(stdout);
}

void
vkh_run_tests(struct vkh_run *run)
{
	struct slot slots[32] = { 0 };
	int *queue = calloc((size_t)run->n * (run->retries + 1) + 1,
	    sizeof(int));
	int qhead = 0, qtail = 0, running = 0, done = 0, i, ws;
	char first_msg[512], first_where[32];
	struct vkh_result *r;
	pid_t pid;
	double now;

	if (queue == NULL)
		return;
	for (i = 0; i < run->n; i++)
		queue[qtail++] = i;
	while (done < run->n) {
		while (running < run->jobs && qhead < qtail) {
			for (i = 0; slots[i].pid != 0; i++)
				;
			slots[i].idx = queue[qhead++];
			slots[i].start = vkh_now();
			slots[i].killed = false;
			slots[i].pid = start_attempt(run,
			    &run->results[slots[i].idx]);
			running++;
		}
		usleep(20 * 1000);
		now = vkh_now();
		for (i = 0; i < run->jobs; i++) {
			if (slots[i].pid <= 0)
				continue;
			if (!slots[i].killed &&
			    now - slots[i].start > run->timeout) {
				kill(-slots[i].pid, SIGKILL);
				slots[i].killed = true;
			}
			if ((pid = waitpid(slots[i].pid, &ws, WNOHANG)) == 0)
				continue;
			r = &run->results[slots[i].idx];
			r->duration = now - slots[i].start;
			snprintf(first_msg, sizeof(first_msg), "%s",
			    r->message);
			snprintf(first_where, sizeof(first_where), "%s",
			    r->where);
			judge_attempt(run, r, pid < 0 ? 0 : ws,
			    slots[i].killed);
			slots[i].pid = 0;
			running--;
			if (r->attempts > 1 && r->verdict == VKH_PASS) {
				/* Keep what went wrong the first time. */
				r->verdict = VKH_FLAKY;
				snprintf(r->message, sizeof(r->message),
				    "%.480s (passed on attempt %d)", first_msg,
				    r->attempts);
				snprintf(r->where, sizeof(r->where), "%s",
				    first_where);
			}
			if (r->verdict >= VKH_FAIL &&
			    r->attempts <= run->retries) {
				queue[qtail++] = slots[i].idx;
				continue;
			}
			progress(run, r, ++done);
		}
	}
	free(queue);
}
