/*
 * ktap_vireo.c - a guest-side test program for the calls the BSD world
 * uses beyond Linux's ABI (runtime/kern/sys_vireo.c): vireo_sysctl read,
 * write and errors, the leaf walk, vireo_kenv (the suite boots with
 * -e ktap.answer=42), sethostname, and the credentials (setuid and
 * friends, groups) with their permission rules.  Prints KTAP, then waits
 * on the console.
 */
#define _GNU_SOURCE /* memmem, getresuid */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYS_vireo_sysctl      500
#define SYS_vireo_sysctl_next 501
#define SYS_vireo_kenv	      502

static int n;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static long
sysctl_get(const char *name, char *buf, size_t size)
{
	size_t len = size;

	if (syscall(SYS_vireo_sysctl, name, buf, &len, NULL, 0) != 0)
		return (-1);
	return ((long)len);
}

static int
sysctl_reads(void)
{
	char buf[64], small[2];
	size_t len = sizeof(small);

	if (sysctl_get("kern.ostype", buf, sizeof(buf)) != 6 ||
	    strcmp(buf, "Vireo") != 0)
		return (0);
	if (syscall(SYS_vireo_sysctl, "kern.ostype", small, &len, NULL, 0) !=
		-1 ||
	    errno != ENOMEM || len != 6)
		return (0);
	if (sysctl_get("hw.ncpu", buf, sizeof(buf)) < 0 || atoi(buf) < 1)
		return (0);
	if (sysctl_get("no.such.name", buf, sizeof(buf)) != -1 ||
	    errno != ENOENT)
		return (0);
	return (sysctl_get("kern", buf, sizeof(buf)) == -1 &&
	    errno == ENOTDIR);
}

static int
sysctl_writes(void)
{
	char buf[64];
	struct utsname u;

	if (syscall(SYS_vireo_sysctl, "kern.hostname", NULL, NULL, "vk1", 3) !=
		0 ||
	    sysctl_get("kern.hostname", buf, sizeof(buf)) < 0 ||
	    strcmp(buf, "vk1") != 0 || uname(&u) != 0 ||
	    strcmp(u.nodename, "vk1") != 0)
		return (0);
	if (sethostname("vk2", 3) != 0 || uname(&u) != 0 ||
	    strcmp(u.nodename, "vk2") != 0)
		return (0);
	if (syscall(SYS_vireo_sysctl, "hw.ncpu", NULL, NULL, "9", 1) != -1 ||
	    errno != EPERM)
		return (0);
	return (syscall(SYS_vireo_sysctl, "debug.debugger_on_panic", NULL,
		    NULL, "x", 1) == -1 &&
	    errno == EINVAL);
}

static int
sysctl_walk(void)
{
	char name[128] = "", next[128];
	int leaves = 0, ostype = 0, ncpu = 0;

	while (syscall(SYS_vireo_sysctl_next, name, next, sizeof(next)) == 0) {
		leaves++;
		ostype |= strcmp(next, "kern.ostype") == 0;
		ncpu |= strcmp(next, "hw.ncpu") == 0;
		strcpy(name, next);
		if (leaves > 10000)
			return (0);
	}
	return (errno == ENOENT && leaves > 10 && ostype && ncpu);
}

static int
kenv_calls(void)
{
	char buf[4096];
	long need;

	if (syscall(SYS_vireo_kenv, 0, "ktap.answer", buf, sizeof(buf)) != 0 ||
	    strcmp(buf, "42") != 0)
		return (0);
	if (syscall(SYS_vireo_kenv, 1, "ktap.new", "yes", 0) != 0 ||
	    syscall(SYS_vireo_kenv, 0, "ktap.new", buf, sizeof(buf)) != 0 ||
	    strcmp(buf, "yes") != 0)
		return (0);
	need = syscall(SYS_vireo_kenv, 3, NULL, buf, sizeof(buf));
	if (need <= 0 || memmem(buf, (size_t)need, "ktap.new=yes", 13) == NULL)
		return (0);
	if (syscall(SYS_vireo_kenv, 2, "ktap.new", NULL, 0) != 0)
		return (0);
	return (syscall(SYS_vireo_kenv, 0, "ktap.new", buf, sizeof(buf)) ==
		-1 &&
	    errno == ENOENT);
}

static int
credentials(void)
{
	int status = 0;
	pid_t pid;

	if (getuid() != 0 || geteuid() != 0 || getgid() != 0)
		return (0);
	pid = fork();
	if (pid == 0) {
		gid_t g[2] = { 5, 20 }, back[4];
		uid_t r, e, s;

		if (setgroups(2, g) != 0 || getgroups(4, back) != 2 ||
		    back[1] != 20 || setgid(20) != 0 || getgid() != 20)
			_exit(1);
		if (setuid(1000) != 0 || getuid() != 1000 || geteuid() != 1000)
			_exit(2);
		/* No way back for a non-root user. */
		if (setuid(0) != -1 || errno != EPERM)
			_exit(3);
		if (getresuid(&r, &e, &s) != 0 || s != 1000)
			_exit(4);
		if (sethostname("x", 1) != -1 || errno != EPERM)
			_exit(5);
		_exit(0);
	}
	return (pid > 0 && waitpid(pid, &status, 0) == pid &&
	    WIFEXITED(status) && WEXITSTATUS(status) == 0 && getuid() == 0);
}

int
main(void)
{
	char c;

	printf("KTAP version 1\n1..5\n");
	result(sysctl_reads(), "vireo_sysctl_reads_and_errors");
	result(sysctl_writes(), "vireo_sysctl_writes_and_sethostname");
	result(sysctl_walk(), "vireo_sysctl_next_walks_the_leaves");
	result(kenv_calls(), "vireo_kenv_get_set_unset_dump");
	result(credentials(), "setuid_setgid_setgroups_rules");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
