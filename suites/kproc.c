/*
 * kproc.c - the kernel as a plain process for suites (see kproc.h).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites/kproc.h"

char vkdir[64], outdir[64], files[64], vkenv[600];
struct vkh_proc run;

void
kproc_setup(const char *suite)
{
	const char *kernel = getenv("VK_KERNEL");

	cr_assert(kernel != NULL && *kernel == '/',
	    "set VK_KERNEL to the absolute path of the kernel");
	cr_assert_eq(access(kernel, X_OK), 0, "%s: %s", kernel,
	    strerror(errno));
	snprintf(vkdir, sizeof(vkdir), "/tmp/vk-%s.XXXXXX", suite);
	snprintf(outdir, sizeof(outdir), "/tmp/vk-%s-out.XXXXXX", suite);
	snprintf(files, sizeof(files), "/tmp/vk-%s-files.XXXXXX", suite);
	cr_assert_not_null(mkdtemp(vkdir));
	cr_assert_not_null(mkdtemp(outdir));
	cr_assert_not_null(mkdtemp(files));
	snprintf(vkenv, sizeof(vkenv), "VKERNEL_DIR=%s", vkdir);
	run.pid = 0;
	run.stdin_fd = -1;
}

void
kproc_teardown(void)
{
	vkh_proc_end(&run);
	vkh_test_end();
	remove_tree(vkdir);
	remove_tree(outdir);
	remove_tree(files);
}

void
remove_tree(const char *dir)
{
	struct dirent *de;
	char path[4096];
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path) != 0)
			remove_tree(path);
	}
	closedir(d);
	rmdir(dir);
}

int
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	cr_assert_not_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return (n);
}


/* A path in the directory of test files (not VKERNEL_DIR). */
const char *
test_file(const char *name)
{
	static char pool[16][600];
	static int used;

	cr_assert_lt(used, 16, "out of path buffers");
	snprintf(pool[used], sizeof(pool[used]), "%s/%s", files, name);
	return (pool[used++]);
}

/* Starts the kernel with args (without argv[0]). */
void
spawn_kernel(const char *const *args)
{
	char *argv[64], *env[] = { vkenv, NULL };
	int i, e;

	argv[0] = getenv("VK_KERNEL");
	for (i = 0; args[i] != NULL; i++) {
		cr_assert_lt(i, 62);
		argv[i + 1] = (char *)args[i];
	}
	argv[i + 1] = NULL;
	vkh_proc_end(&run);
	e = vkh_proc_start(&run, outdir, argv, env);
	cr_assert_eq(e, 0, "spawn %s: %s", argv[0], strerror(e));
}

/* Runs the kernel with args to its end; asserts it ends in time. */
void
run_kernel(const char *const *args)
{
	spawn_kernel(args);
	cr_assert(vkh_proc_wait(&run, KPROC_EXIT_TIMEOUT),
	    "the kernel did not exit");
}

void
assert_exit(int code)
{
	cr_assert(WIFEXITED(run.status), "not a normal exit: status %#x",
	    run.status);
	cr_assert_eq(WEXITSTATUS(run.status), code,
	    "exit %d, want %d; stderr:\n%s", WEXITSTATUS(run.status), code,
	    run.err);
}

void
assert_err_has(const char *what)
{
	cr_assert_not_null(strstr(run.err, what), "stderr lacks \"%s\":\n%s",
	    what, run.err);
}
