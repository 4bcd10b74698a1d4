/*
 * vkh_proc.c - host processes around a guest: the threads of a process
 * (from /proc) and plain runs of the kernel, without the console engine,
 * for tests of its command line (see struct vkh_proc in vkh.h).
 *
 * A plain run's standard input is a pipe the test keeps open (a kernel
 * that boots then waits at its prompt instead of reading end of file);
 * its standard output and error go to two files so that the test can
 * tell them apart, which a pty could not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/vkh_private.h"

#define MAX_CAPTURE (1024 * 1024)

extern char **environ;

/* Reads the first line of a /proc file into buf. */
static void
read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(buf, (int)size, f) == NULL)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* Reads the Cpus_allowed_list of a task's status file. */
static void
read_cpus(const char *dir, char *buf, size_t size)
{
	char path[500], line[256];
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/status", dir);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Cpus_allowed_list:", 18) == 0) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, size, "%s",
			    line + 18 + strspn(line + 18, " \t"));
			break;
		}
	fclose(f);
}

int
vkh_threads(pid_t pid, struct vkh_thread *t, int max)
{
	char dir[64], task[400], path[500];
	struct dirent *d;
	DIR *dp;
	int n = 0;

	snprintf(dir, sizeof(dir), "/proc/%d/task", (int)pid);
	if ((dp = opendir(dir)) == NULL)
		return (-1);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (n < max) {
			snprintf(task, sizeof(task), "%s/%s", dir, d->d_name);
			t[n].tid = (pid_t)atoi(d->d_name);
			snprintf(path, sizeof(path), "%s/comm", task);
			read_line(path, t[n].name, sizeof(t[n].name));
			read_cpus(task, t[n].cpus, sizeof(t[n].cpus));
		}
		n++;
	}
	closedir(dp);
	return (n);
}

bool
vkh_thread_find(pid_t pid, const char *name, struct vkh_thread *t)
{
	struct vkh_thread all[128];
	int n = vkh_threads(pid, all, 128), i;

	for (i = 0; i < n && i < 128; i++)
		if (strcmp(all[i].name, name) == 0) {
			*t = all[i];
			return (true);
		}
	return (false);
}

int
vkh_proc_start(struct vkh_proc *p, const char *dir, char *const *argv,
    char *const *env)
{
	posix_spawn_file_actions_t fa;
	char **envp = NULL;
	int in[2], e, n = 0, i;

	memset(p, 0, sizeof(*p));
	p->stdin_fd = -1;
	p->status = -1;
	snprintf(p->outpath, sizeof(p->outpath), "%s/stdout", dir);
	snprintf(p->errpath, sizeof(p->errpath), "%s/stderr", dir);
	while (environ[n] != NULL)
		n++;
	for (i = 0; env != NULL && env[i] != NULL; i++)
		;
	if ((envp = calloc((size_t)(n + i + 1), sizeof(char *))) == NULL)
		return (ENOMEM);
	/* The added variables come first: getenv() finds them first. */
	for (i = 0; env != NULL && env[i] != NULL; i++)
		envp[i] = env[i];
	memcpy(envp + i, environ, (size_t)n * sizeof(char *));
	if (pipe2(in, O_CLOEXEC) != 0) {
		free(envp);
		return (errno);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_addopen(&fa, 1, p->outpath,
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, p->errpath,
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	e = posix_spawn(&p->pid, argv[0], &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	close(in[0]);
	if (e != 0) {
		close(in[1]);
		p->pid = 0;
		return (e);
	}
	p->stdin_fd = in[1];
	return (0);
}

/* Reads a capture file into a new string (empty when missing). */
static char *
slurp(const char *path)
{
	char *buf = calloc(1, MAX_CAPTURE + 1);
	ssize_t n;
	size_t len = 0;
	int fd;

	if (buf == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (buf);
	while (len < MAX_CAPTURE &&
	    (n = read(fd, buf + len, MAX_CAPTURE - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fd);
	return (buf);
}

void
vkh_proc_read(struct vkh_proc *p)
{
	free(p->out);
	free(p->err);
	p->out = slurp(p->outpath);
	p->err = slurp(p->errpath);
}

bool
vkh_proc_wait(struct vkh_proc *p, double timeout)
{
	double deadline = vkh_now() + timeout;
	pid_t r;

	if (p->pid == 0)
		return (p->status != -1);
	for (;;) {
		r = waitpid(p->pid, &p->status, WNOHANG);
		if (r == p->pid) {
			p->pid = 0;
			vkh_proc_read(p);
			return (true);
		}
		if ((r < 0 && errno != EINTR) || vkh_now() >= deadline) {
			if (r < 0)
				p->pid = 0;
			return (false);
		}
		usleep(5 * 1000);
	}
}

void
vkh_proc_end(struct vkh_proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, &p->status, 0);
		p->pid = 0;
	}
	if (p->stdin_fd >= 0)
		close(p->stdin_fd);
	p->stdin_fd = -1;
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
}
