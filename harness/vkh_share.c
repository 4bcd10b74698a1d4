/*
 * vkh_share.c - shared boots: one guest serves, one after the other, the
 * tests that declare equal boot needs and leave the guest at rest.
 *
 * vkh(1) gives every test of a run $VKH_SHARE_DIR.  A boot spec's needs
 * (profile, kernel, phase, variables) hash to a key; the guests of a key
 * belong to a keeper process listening on DIR/KEY.sock.  The first test of
 * a key starts the keeper (under DIR/KEY.lock, so that two tests running
 * at once start one keeper).  The keeper boots the guest, hands its pty to
 * one test at a time over the socket (SCM_RIGHTS) with what the boot saw,
 * and drains the console while no test holds it.  A test then:
 *
 *	'W'	asks for the guest's wait status (the keeper is its parent);
 *	'C'	hands it back clean: the next test gets the same guest;
 *	EOF	ends without 'C' (failed, crashed, left it dirty): the keeper
 *		kills the guest and boots a fresh one for the next test.
 *
 * Arguments are part of the needs; images are not allowed (a test that
 * has disks writes to them).
 *
 * vkh(1) is the child subreaper of its tests, so that it can reap their
 * keepers (and wait for them) once they are orphans.
 *
 * A keeper ends when vkh(1) ends ($VKH_RUNNER_PID), after IDLE_SECONDS
 * without a test, or when vkh_share_cleanup() asks it to; its guest dies
 * with it (PR_SET_PDEATHSIG) and its scratch directory is removed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh_private.h"

#define IDLE_SECONDS 30
#define BUSY_WAIT_MS 300 /* a boot to its first phase takes ~20 ms */

/* What the keeper sends on attach; both ends are the same program. */
struct wire {
	struct vkh_share_info info;
	pid_t pid;
	bool at_shell;
	char prompt[64];
	char scratch[512];
};

static volatile sig_atomic_t keeper_stop;

struct key_var {
	const char *name, *value;
	size_t namelen;
};

static unsigned long long
fnv(unsigned long long h, const char *p, size_t n)
{
	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * 1099511628211ULL;
	return ((h ^ 0xff) * 1099511628211ULL); /* ends the field */
}

/* Sets name (namelen bytes) to value in v[0..*n). */
static void
key_set(struct key_var *v, int *n, const char *name, size_t namelen,
    const char *value)
{
	int i;

	for (i = 0; i < *n; i++)
		if (v[i].namelen == namelen &&
		    strncmp(v[i].name, name, namelen) == 0)
			break;
	if (i == *n)
		(*n)++;
	v[i] = (struct key_var) { name, value, namelen };
}

/* Orders variables by name (names are not NUL-terminated). */
static int
key_cmp(const struct key_var *a, const struct key_var *b)
{
	size_t n = a->namelen < b->namelen ? a->namelen : b->namelen;
	int c = strncmp(a->name, b->name, n);

	return (c != 0 ? c :
			 (a->namelen > b->namelen) - (a->namelen < b->namelen));
}

/*
 * The key of a spec's boot needs, FNV-1a over: the profile file, the
 * kernel, the phase, every variable after the spec's overrides (sorted,
 * so that "ncpu=2" given and the profile's "set ncpu 2" are the same
 * boot) and the arguments.
 */
static void
share_key(const struct vkh_boot_spec *spec, char *key, size_t size)
{
	const char *kernel = spec->kernel ? spec->kernel : getenv("VK_KERNEL");
	struct key_var v[VKH_MAX_SETS + VKH_MAX_VARS], t;
	unsigned long long h = 1469598103934665603ULL;
	struct vkh_profile *p = NULL;
	char path[1024], err[256];
	const char *eq;
	int n = 0, i, j;

	if (vkh_profile_find(spec->profile ? spec->profile : "vireo", path,
		sizeof(path)) == 0)
		p = vkh_profile_load(path, err, sizeof(err));
	for (i = 0; p != NULL && i < p->nset; i++)
		key_set(v, &n, p->set_name[i], strlen(p->set_name[i]),
		    p->set_value[i]);
	for (i = 0; i < VKH_MAX_VARS && spec->vars[i] != NULL; i++)
		if ((eq = strchr(spec->vars[i], '=')) != NULL)
			key_set(v, &n, spec->vars[i],
			    (size_t)(eq - spec->vars[i]), eq + 1);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && key_cmp(&v[j - 1], &v[j]) > 0; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	h = fnv(h, path, strlen(path));
	h = fnv(h, kernel ? kernel : "", kernel ? strlen(kernel) : 0);
	h = fnv(h, spec->until ? spec->until : "",
	    spec->until ? strlen(spec->until) : 0);
	for (i = 0; i < n; i++) {
		h = fnv(h, v[i].name, v[i].namelen);
		h = fnv(h, v[i].value, strlen(v[i].value));
	}
	h = fnv(h, "--", 2); /* variables end, arguments begin */
	for (i = 0; i < VKH_MAX_ARGS && spec->args[i] != NULL; i++)
		h = fnv(h, spec->args[i], strlen(spec->args[i]));
	/* The values point into p: hash before freeing it. */
	vkh_profile_free(p);
	snprintf(key, size, "%016llx", h);
}

static int
sock_addr(struct sockaddr_un *sa, const char *dir, const char *key)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if ((size_t)snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s.sock",
		dir, key) >= sizeof(sa->sun_path))
		return (ENAMETOOLONG);
	return (0);
}

static int
connect_keeper(const char *dir, const char *key)
{
	struct sockaddr_un sa;
	int fd;

	if (sock_addr(&sa, dir, key) != 0 ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return (-1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return (-1);
	}
	return (fd);
}

static void
on_term(int sig)
{
	keeper_stop = 1;
}

/* Boots the keeper's guest; fills w.  The console log is per boot. */
static struct vkh_guest *
keeper_boot(const struct vkh_boot_spec *spec, const char *dir, const char *key,
    int nboot, struct wire *w)
{
	const char *run = getenv("VKH_RUN_DIR");
	struct vkh_boot_spec s = *spec;
	struct vkh_guest *g;
	char log[1200];
	int i;

	memset(w, 0, sizeof(*w));
	if (run != NULL) {
		snprintf(w->info.log, sizeof(w->info.log),
		    "logs/share-%s.%d.console.gz", key, nboot);
		snprintf(log, sizeof(log), "%s/logs", run);
		mkdir(log, 0755);
		snprintf(log, sizeof(log), "%s/%s", run, w->info.log);
	} else {
		snprintf(w->info.log, sizeof(w->info.log),
		    "%.400s/share-%s.%d.console.gz", dir, key, nboot);
		snprintf(log, sizeof(log), "%s", w->info.log);
	}
	s.log = log;
	g = vkh_boot(&s, &w->info.st);
	if (g == NULL)
		return (NULL);
	for (i = 0; i < VKH_MAX_PHASES; i++)
		w->info.phase_time[i] = g->phase_time[i];
	snprintf(w->info.cmdline, sizeof(w->info.cmdline), "%s",
	    vkh_command_line(g));
	w->pid = g->pid;
	w->at_shell = g->at_shell;
	snprintf(w->prompt, sizeof(w->prompt), "%s", g->prompt);
	snprintf(w->scratch, sizeof(w->scratch), "%s", g->scratch);
	return (g);
}

/* Hands the guest to the test on c; returns true when it came back clean. */
static bool
keeper_serve(int c, struct vkh_guest *g, struct wire *w)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = w, .iov_len = sizeof(*w) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	char req;
	int ws;

	if (g == NULL)
		return (false); /* no memory: the test boots its own */
	if (w->info.st.verdict == VKH_PASS && g->fd >= 0) {
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &g->fd, sizeof(int));
	}
	if (sendmsg(c, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof(*w))
		return (true); /* the test went away before: not handed over */
	if (msg.msg_control == NULL)
		return (false); /* the boot failed: boot again next time */
	while (read(c, &req, 1) == 1) {
		if (req == 'C')
			return (true);
		if (req != 'W')
			break;
		vkh_console_reap(g);
		ws = g->wstatus;
		if (write(c, &ws, sizeof(ws)) != (ssize_t)sizeof(ws))
			break;
	}
	return (false);
}

static void __attribute__((noreturn))
keeper_main(const struct vkh_boot_spec *spec, const char *dir, const char *key,
    int lfd)
{
	const char *runner = getenv("VKH_RUNNER_PID");
	struct vkh_guest *g = NULL;
	double last_use = vkh_now();
	struct pollfd pfd[2];
	struct sockaddr_un peer;
	socklen_t plen;
	struct wire w;
	char path[1024];
	int c, nboot = 0, uses = 0, fd;

	setsid();
	signal(SIGTERM, on_term);
	signal(SIGPIPE, SIG_IGN);
	fd = open("/dev/null", O_RDWR);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	/* Nothing of the test process's: its runner waits for its pipes. */
	for (fd = 3; fd < 1024; fd++)
		if (fd != lfd)
			close(fd);
	snprintf(path, sizeof(path), "%s/%s.pid", dir, key);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
		dprintf(fd, "%d\n", (int)getpid());
		close(fd);
	}
	while (!keeper_stop) {
		if (g == NULL) {
			g = keeper_boot(spec, dir, key, ++nboot, &w);
			uses = 0;
		}
		pfd[0] = (struct pollfd) { .fd = lfd, .events = POLLIN };
		pfd[1] = (struct pollfd) { .fd = g ? g->fd : -1,
			.events = POLLIN };
		if (poll(pfd, 2, 1000) > 0 && g != NULL &&
		    (pfd[1].revents & POLLIN))
			vkh_console_drain(g);
		if (g != NULL && g->wstatus == -1)
			vkh_console_reap(g);
		if (g != NULL && g->wstatus != -1) {
			vkh_destroy(g); /* died while idle: boot again */
			g = NULL;
		}
		plen = sizeof(peer);
		if (pfd[0].revents & POLLIN &&
		    (c = accept4(lfd, (struct sockaddr *)&peer, &plen,
			 SOCK_CLOEXEC)) >= 0) {
			if (g == NULL)
				g = keeper_boot(spec, dir, key, ++nboot, &w);
			w.info.uses = uses++;
			if (!keeper_serve(c, g, &w)) {
				vkh_destroy(g);
				g = NULL;
			}
			close(c);
			last_use = vkh_now();
		}
		if (vkh_now() - last_use > IDLE_SECONDS ||
		    (runner != NULL && kill(atoi(runner), 0) != 0))
			break;
	}
	vkh_destroy(g);
	if (sock_addr(&(struct sockaddr_un) { 0 }, dir, key) == 0) {
		snprintf(path, sizeof(path), "%s/%s.sock", dir, key);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s.pid", dir, key);
		unlink(path);
	}
	_exit(0);
}

/* Starts the keeper of key, listening before the fork so that the
 * caller can connect at once.  Returns 0 or an errno value. */
static int
start_keeper(const struct vkh_boot_spec *spec, const char *dir, const char *key)
{
	struct sockaddr_un sa;
	pid_t pid;
	int lfd, e;

	if ((e = sock_addr(&sa, dir, key)) != 0)
		return (e);
	unlink(sa.sun_path);
	if ((lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return (errno);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 8) != 0) {
		e = errno;
		close(lfd);
		return (e);
	}
	if ((pid = fork()) == 0)
		keeper_main(spec, dir, key, lfd);
	close(lfd);
	return (pid < 0 ? errno : 0);
}

/*
 * Receives the keeper's wire and, when the boot worked, the pty.  A
 * keeper that does not answer within BUSY_WAIT is serving another test
 * (or booting): the caller then boots a guest of its own rather than
 * wait, so that tests with equal needs still run side by side.  The test
 * that started the keeper waits for its first boot (wait_ms -1).
 */
static int
receive(int fd, struct wire *w, int *pty, int wait_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = w, .iov_len = sizeof(*w) };
	struct msghdr msg = { .msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;

	*pty = -1;
	if (poll(&pfd, 1, wait_ms) != 1)
		return (-1);
	if (recvmsg(fd, &msg, MSG_WAITALL | MSG_CMSG_CLOEXEC) !=
	    (ssize_t)sizeof(*w))
		return (-1);
	if ((cm = CMSG_FIRSTHDR(&msg)) != NULL && cm->cmsg_type == SCM_RIGHTS)
		memcpy(pty, CMSG_DATA(cm), sizeof(int));
	return (0);
}

struct vkh_guest *
vkh_share_attach(const struct vkh_boot_spec *spec, const char *dir,
    struct vkh_share_info *info)
{
	struct vkh_boot_spec s = *spec;
	struct vkh_guest *g;
	struct vkh_status st;
	struct wire w;
	char key[32], path[1024];
	int fd, lock, pty, i, wait_ms = BUSY_WAIT_MS;

	if (spec->images[0] != NULL)
		return (NULL);
	share_key(spec, key, sizeof(key));
	if ((fd = connect_keeper(dir, key)) < 0) {
		snprintf(path, sizeof(path), "%s/%s.lock", dir, key);
		if ((lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
			return (NULL);
		flock(lock, LOCK_EX);
		if ((fd = connect_keeper(dir, key)) < 0 &&
		    start_keeper(spec, dir, key) == 0) {
			fd = connect_keeper(dir, key);
			wait_ms = -1;
		}
		close(lock);
		if (fd < 0)
			return (NULL);
	}
	if (receive(fd, &w, &pty, wait_ms) != 0) {
		close(fd);
		return (NULL);
	}
	*info = w.info;
	s.scratch = w.scratch;
	g = vkh_guest_adopt(&s, pty, w.pid, w.prompt, w.at_shell, &st);
	if (g == NULL) {
		close(fd);
		if (pty >= 0)
			close(pty);
		return (NULL);
	}
	g->share_fd = fd;
	g->adopted = true;
	if (st.verdict != VKH_PASS)
		info->st = st;
	for (i = 0; i < VKH_MAX_PHASES; i++)
		g->phase_time[i] = w.info.phase_time[i];
	free(g->cmdline);
	g->cmdline = strdup(w.info.cmdline);
	return (g);
}

int
vkh_share_status(struct vkh_guest *g)
{
	int ws = -1;

	if (g->share_fd < 0 || write(g->share_fd, "W", 1) != 1 ||
	    read(g->share_fd, &ws, sizeof(ws)) != (ssize_t)sizeof(ws))
		return (-1);
	return (ws);
}

void
vkh_share_detach(struct vkh_guest *g, bool clean)
{
	if (g->share_fd < 0)
		return;
	if (clean && g->wstatus == -1)
		(void)!write(g->share_fd, "C", 1);
	close(g->share_fd);
	g->share_fd = -1;
}

void
vkh_share_cleanup(const char *dir)
{
	char path[1200];
	struct dirent *d;
	double deadline;
	DIR *dp;
	FILE *f;
	int pid;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (strstr(d->d_name, ".pid") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fscanf(f, "%d", &pid) == 1 && pid > 0) {
			/* vkh is the keepers' subreaper: reap, not just look. */
			kill(pid, SIGTERM);
			deadline = vkh_now() + 3;
			while (waitpid(pid, NULL, WNOHANG) == 0 &&
			    vkh_now() < deadline)
				usleep(10 * 1000);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, WNOHANG);
		}
		fclose(f);
	}
	closedir(dp);
	/* Orphans of test processes that ended (their guests died with
	 * them) were left to vkh as well. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	vkh_remove_tree(dir);
}
