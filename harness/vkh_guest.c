/*
 * vkh_guest.c - a guest's life on top of the console engine: the kernel
 * command built from the profile, fresh image copies, the boot phases in
 * order, guests adopted from a keeper (shared boots) and the check that a
 * guest is at rest.  Commands and the shutdown are in vkh_command.c.
 */
#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "harness/vkh_private.h"

static int
remove_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	return (remove(path) == 0 ? 0 : errno);
}

int
vkh_remove_tree(const char *dir)
{
	return (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS));
}

/* Keeps s for as long as g lives; returns it (NULL when full). */
static const char *
own(struct vkh_guest *g, char *s)
{
	if (s == NULL ||
	    g->nowned == (int)(sizeof(g->owned) / sizeof(char *))) {
		free(s);
		return (NULL);
	}
	return (g->owned[g->nowned++] = s);
}

static int
compile(struct vkh_guest *g, const char *tmpl, regex_t *re, bool *have,
    struct vkh_status *st)
{
	char err[256];
	char *pat;

	if (tmpl == NULL)
		return (0);
	if ((pat = vkh_expand(tmpl, &g->vars, err, sizeof(err))) == NULL ||
	    regcomp(re, pat, REG_EXTENDED) != 0) {
		vkh_console_verdict(g, st, VKH_ERROR, "setup",
		    "profile pattern \"%s\": %s", tmpl,
		    pat == NULL ? err : "does not compile");
		free(pat);
		return (-1);
	}
	free(pat);
	*have = true;
	return (0);
}

/* Appends s to the sh(1) command line, single-quoted when needed. */
static void
quote_word(FILE *f, const char *s)
{
	if (*s != '\0' &&
	    strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
		"OPQRSTUVWXYZ0123456789-_./:=,+@%") == strlen(s)) {
		fputs(s, f);
		return;
	}
	putc('\'', f);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			putc(*s, f);
	putc('\'', f);
}

/* Sets the variables of a boot: built-ins, profile defaults, spec. */
static int
setup_vars(struct vkh_guest *g, const struct vkh_boot_spec *spec,
    const char *kernel, struct vkh_status *st)
{
	struct vkh_profile *p = g->profile;
	char nonce[9], *eq, *name;
	int i;

	vkh_random_hex(nonce, sizeof(nonce));
	snprintf(g->prompt, sizeof(g->prompt), "vkh:%s$ ", nonce);
	vkh_vars_set(&g->vars, "kernel", kernel);
	vkh_vars_set(&g->vars, "scratch", g->scratch);
	vkh_vars_set(&g->vars, "prompt", g->prompt);
	vkh_vars_set(&g->vars, "prompt_head", "vkh:");
	vkh_vars_set(&g->vars, "prompt_tail", g->prompt + 4);
	for (i = 0; i < p->nset; i++)
		vkh_vars_set(&g->vars, p->set_name[i], p->set_value[i]);
	for (i = 0; i < VKH_MAX_VARS && spec->vars[i] != NULL; i++) {
		if ((eq = strchr(spec->vars[i], '=')) == NULL) {
			vkh_console_verdict(g, st, VKH_ERROR, "setup",
			    "variable \"%s\" is not NAME=VALUE", spec->vars[i]);
			return (-1);
		}
		name = strndup(spec->vars[i], (size_t)(eq - spec->vars[i]));
		if (own(g, name) == NULL)
			return (-1);
		vkh_vars_set(&g->vars, name, eq + 1);
	}
	return (0);
}

/* Copies each master image into the scratch directory. */
static int
setup_images(struct vkh_guest *g, const struct vkh_boot_spec *spec,
    struct vkh_status *st)
{
	char path[1024], tmp[1024], var[16];
	int i, e;

	for (i = 0; i < VKH_MAX_IMAGES && spec->images[i] != NULL; i++) {
		snprintf(tmp, sizeof(tmp), "%s", spec->images[i]);
		snprintf(path, sizeof(path), "%s/%d-%s", g->scratch, i,
		    basename(tmp));
		if ((e = vkh_image_clone(spec->images[i], path, NULL)) != 0) {
			vkh_console_verdict(g, st, VKH_ERROR, "setup",
			    "cannot copy image %s: %s", spec->images[i],
			    strerror(e));
			return (-1);
		}
		g->images[g->nimages++] = strdup(path);
		snprintf(var, sizeof(var), "image%d", i);
		vkh_vars_set(&g->vars, own(g, strdup(var)),
		    g->images[g->nimages - 1]);
	}
	return (0);
}

/* Expands t into argv or env; reports an unknown variable. */
static char *
expand_word(struct vkh_guest *g, const char *t, struct vkh_status *st)
{
	char err[256], *s = vkh_expand(t, &g->vars, err, sizeof(err));

	if (s == NULL)
		vkh_console_verdict(g, st, VKH_ERROR, "setup", "profile: %s",
		    err);
	return (s);
}

static int
build_command(struct vkh_guest *g, const struct vkh_boot_spec *spec,
    char **argv, char **env, struct vkh_status *st)
{
	struct vkh_profile *p = g->profile;
	int n = 0, i, j;
	size_t len;
	FILE *f;

	for (i = 0; i < p->ncommand; i++)
		if ((argv[n++] = expand_word(g, p->command[i], st)) == NULL)
			return (-1);
	for (i = 0; i < VKH_MAX_ARGS && spec->args[i] != NULL; i++)
		if ((argv[n++] = strdup(spec->args[i])) == NULL)
			return (-1);
	for (i = 0; i < g->nimages; i++) {
		vkh_vars_set(&g->vars, "image", g->images[i]);
		for (j = 0; j < p->nimage_words && n < VKH_MAX_WORDS * 2; j++)
			if ((argv[n++] = expand_word(g, p->image_words[j],
				 st)) == NULL)
				return (-1);
	}
	for (i = 0; i < p->nenv; i++)
		if ((env[i] = expand_word(g, p->env[i], st)) == NULL)
			return (-1);
	if ((f = open_memstream(&g->cmdline, &len)) == NULL)
		return (-1);
	for (i = 0; env[i] != NULL; i++, putc(' ', f))
		quote_word(f, env[i]);
	for (i = 0; argv[i] != NULL; i++) {
		if (i > 0)
			putc(' ', f);
		quote_word(f, argv[i]);
	}
	fclose(f);
	return (0);
}

/* Everything before the spawn.  Returns 0, or -1 with st filled in. */
static int
setup(struct vkh_guest *g, const struct vkh_boot_spec *spec,
    struct vkh_status *st)
{
	const char *kernel = spec->kernel ? spec->kernel : getenv("VK_KERNEL");
	const char *tmpdir = getenv("TMPDIR");
	char path[1024], err[512];

	if (vkh_profile_find(spec->profile ? spec->profile : "vireo", path,
		sizeof(path)) != 0) {
		vkh_console_verdict(g, st, VKH_ERROR, "setup", "no profile %s",
		    path);
		return (-1);
	}
	if ((g->profile = vkh_profile_load(path, err, sizeof(err))) == NULL) {
		vkh_console_verdict(g, st, VKH_ERROR, "setup", "%s", err);
		return (-1);
	}
	/* vkh run -w: a shorter silence watchdog for the whole run. */
	if (getenv("VKH_SILENCE") != NULL && atof(getenv("VKH_SILENCE")) > 0)
		g->profile->silence = atof(getenv("VKH_SILENCE"));
	if (kernel == NULL) {
		vkh_console_verdict(g, st, VKH_ERROR, "setup",
		    "no kernel given and VK_KERNEL is not set");
		return (-1);
	}
	if (spec->scratch != NULL)
		snprintf(g->scratch, sizeof(g->scratch), "%s", spec->scratch);
	else {
		snprintf(g->scratch, sizeof(g->scratch), "%s/vkh.XXXXXX",
		    tmpdir ? tmpdir : "/tmp");
		if (mkdtemp(g->scratch) == NULL) {
			vkh_console_verdict(g, st, VKH_ERROR, "setup",
			    "mkdtemp %s: %s", g->scratch, strerror(errno));
			return (-1);
		}
		g->own_scratch = true;
	}
	if (setup_vars(g, spec, kernel, st) != 0 ||
	    setup_images(g, spec, st) != 0 ||
	    compile(g, g->profile->panic, &g->panic_re, &g->have_panic, st) ||
	    compile(g, g->profile->trap, &g->trap_re, &g->have_trap, st) ||
	    compile(g, g->profile->debugger, &g->debugger_re, &g->have_debugger,
		st))
		return (-1);
	if (spec->log != NULL && (g->log = gzopen(spec->log, "wb")) == NULL) {
		vkh_console_verdict(g, st, VKH_ERROR, "setup",
		    "cannot write console log %s", spec->log);
		return (-1);
	}
	return (0);
}

struct phase_wait {
	regex_t re[VKH_MAX_PHASES];
	int first, last, hit;
};

static int
phase_fn(struct vkh_guest *g, const char *text, bool complete, void *arg)
{
	struct phase_wait *w = arg;
	int i;

	for (i = w->first; i <= w->last; i++)
		if (regexec(&w->re[i], text, 0, NULL, 0) == 0) {
			w->hit = i;
			return (1);
		}
	return (0);
}

static int
prompt_fn(struct vkh_guest *g, const char *text, bool complete, void *arg)
{
	return (!complete && strstr(text, g->prompt) != NULL);
}

/* Sets the distinctive prompt once the profile's shell phase is seen. */
static int
enter_shell(struct vkh_guest *g, double timeout, struct vkh_status *st)
{
	char *cmd = expand_word(g, g->profile->prompt_command, st);
	int e;

	if (cmd == NULL)
		return (-1);
	e = vkh_send(g, cmd);
	free(cmd);
	if (e == 0)
		e = vkh_send(g, g->profile->newline);
	if (e != 0) {
		vkh_console_verdict(g, st, VKH_ERROR, "prompt",
		    "console write: %s", strerror(e));
		return (-1);
	}
	if (vkh_console_wait(g, prompt_fn, NULL, timeout, VKH_WAIT_SILENCE,
		"prompt", st) != 1)
		return (-1);
	g->at_shell = true;
	return (0);
}

/* Follows the boot phases up to phase until.  Returns 0 or -1. */
static int
follow_phases(struct vkh_guest *g, int until, struct vkh_status *st)
{
	struct vkh_profile *p = g->profile;
	struct phase_wait w = { .first = 0 };
	double timeout;
	char *s;
	int i, ncomp = 0, r = -1;

	for (i = 0; i <= until; i++, ncomp++)
		if (compile(g, p->phases[i].pattern, &w.re[i], &(bool) { 0 },
			st) != 0)
			goto out;
	while (w.first <= until) {
		w.last = w.first;
		timeout = p->phases[w.first].timeout;
		while (p->phases[w.last].optional && w.last < until) {
			w.last++;
			if (p->phases[w.last].timeout > timeout)
				timeout = p->phases[w.last].timeout;
		}
		if (vkh_console_wait(g, phase_fn, &w, timeout, VKH_WAIT_SILENCE,
			p->phases[w.last].name, st) != 1)
			goto out;
		g->phase_time[w.hit] = vkh_now() - g->start;
		if (p->phases[w.hit].send != NULL) {
			if ((s = expand_word(g, p->phases[w.hit].send, st)) ==
			    NULL)
				goto out;
			vkh_send(g, s);
			vkh_send(g, p->newline);
			free(s);
		}
		if (p->shell_phase != NULL &&
		    strcmp(p->phases[w.hit].name, p->shell_phase) == 0 &&
		    enter_shell(g, p->phases[w.hit].timeout, st) != 0)
			goto out;
		w.first = w.hit + 1;
	}
	r = 0;
out:
	for (i = 0; i < ncomp; i++)
		regfree(&w.re[i]);
	return (r);
}

struct vkh_guest *
vkh_boot(const struct vkh_boot_spec *spec, struct vkh_status *st)
{
	struct vkh_guest *g = calloc(1, sizeof(*g));
	char *argv[VKH_MAX_WORDS * 2 + VKH_MAX_ARGS + 1] = { 0 };
	char *env[VKH_MAX_SETS + 1] = { 0 };
	int until, i;

	memset(st, 0, sizeof(*st));
	st->wstatus = -1;
	if (g == NULL)
		return (NULL);
	g->fd = -1;
	g->pid = -1;
	g->wstatus = -1;
	g->share_fd = -1;
	for (i = 0; i < VKH_MAX_PHASES; i++)
		g->phase_time[i] = -1;
	if (setup(g, spec, st) != 0 ||
	    build_command(g, spec, argv, env, st) != 0)
		goto out;
	until = g->profile->nphases - 1;
	if (spec->until != NULL) {
		for (until = 0; until < g->profile->nphases; until++)
			if (strcmp(g->profile->phases[until].name,
				spec->until) == 0)
				break;
		if (until == g->profile->nphases) {
			vkh_console_verdict(g, st, VKH_ERROR, "setup",
			    "profile %s has no phase '%s'", g->profile->name,
			    spec->until);
			goto out;
		}
	}
	if (vkh_console_spawn(g, argv, env, st) != 0)
		goto out;
	if (follow_phases(g, until, st) == 0) {
		st->verdict = VKH_PASS;
		st->elapsed = vkh_now() - g->start;
	}
out:
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	for (i = 0; env[i] != NULL; i++)
		free(env[i]);
	return (g);
}

struct vkh_guest *
vkh_guest_adopt(const struct vkh_boot_spec *spec, int fd, pid_t pid,
    const char *prompt, bool at_shell, struct vkh_status *st)
{
	struct vkh_guest *g = calloc(1, sizeof(*g));
	int i;

	memset(st, 0, sizeof(*st));
	st->wstatus = -1;
	if (g == NULL)
		return (NULL);
	g->fd = -1;
	g->pid = -1;
	g->wstatus = -1;
	g->share_fd = -1;
	for (i = 0; i < VKH_MAX_PHASES; i++)
		g->phase_time[i] = -1;
	if (setup(g, spec, st) != 0)
		return (g);
	snprintf(g->prompt, sizeof(g->prompt), "%s", prompt);
	g->at_shell = at_shell;
	g->fd = fd;
	g->pid = pid;
	g->start = g->last_output = vkh_now();
	st->verdict = VKH_PASS;
	return (g);
}

bool
vkh_at_rest(struct vkh_guest *g, double timeout, struct vkh_status *st)
{
	char *pat = NULL;
	int last = -1, i;
	bool ok;

	memset(st, 0, sizeof(*st));
	for (i = 0; g->profile != NULL && i < g->profile->nphases; i++)
		if (g->phase_time[i] >= 0)
			last = i;
	if (!g->at_shell && last < 0) {
		vkh_console_verdict(g, st, VKH_ERROR, "rest",
		    "no boot phase was reached");
		return (false);
	}
	if (vkh_send(g, g->profile->newline) != 0) {
		vkh_console_verdict(g, st, VKH_FAIL, "rest",
		    "the console cannot be written");
		return (false);
	}
	if (g->at_shell)
		ok = vkh_expect_text(g, g->prompt, timeout, st);
	else {
		if ((pat = expand_word(g, g->profile->phases[last].pattern,
			 st)) == NULL)
			return (false);
		ok = vkh_expect(g, pat, timeout, st);
		free(pat);
	}
	if (!ok && st->verdict == VKH_HANG) {
		st->verdict = VKH_FAIL;
		snprintf(st->message, sizeof(st->message),
		    "the guest is not at rest: a newline did not bring back "
		    "the %s prompt",
		    g->at_shell ? "shell" : g->profile->phases[last].name);
	}
	return (ok);
}

int
vkh_signal(struct vkh_guest *g, int sig)
{
	if (g->pid <= 0 || g->wstatus != -1)
		return (ESRCH);
	return (kill(g->pid, sig) == 0 ? 0 : errno);
}

void
vkh_allow_debugger(struct vkh_guest *g, bool allow)
{
	g->allow_debugger = allow;
}

double
vkh_phase_time(struct vkh_guest *g, const char *name)
{
	int i;

	for (i = 0; g->profile != NULL && i < g->profile->nphases; i++)
		if (strcmp(g->profile->phases[i].name, name) == 0)
			return (g->phase_time[i]);
	return (-1);
}

pid_t
vkh_pid(struct vkh_guest *g)
{
	return (g->pid);
}

const char *
vkh_scratch(struct vkh_guest *g)
{
	return (g->scratch);
}

const char *
vkh_image(struct vkh_guest *g, int i)
{
	return (i >= 0 && i < g->nimages ? g->images[i] : NULL);
}

const char *
vkh_command_line(struct vkh_guest *g)
{
	return (g->cmdline != NULL ? g->cmdline : "");
}

void
vkh_destroy(struct vkh_guest *g)
{
	int i;

	if (g == NULL)
		return;
	vkh_console_close(g);
	if (g->own_scratch)
		vkh_remove_tree(g->scratch);
	for (i = 0; i < g->nowned; i++)
		free(g->owned[i]);
	for (i = 0; i < g->nimages; i++)
		free(g->images[i]);
	if (g->have_panic)
		regfree(&g->panic_re);
	if (g->have_trap)
		regfree(&g->trap_re);
	if (g->have_debugger)
		regfree(&g->debugger_re);
	vkh_profile_free(g->profile);
	free(g->cmdline);
	free(g->match);
	free(g);
}
