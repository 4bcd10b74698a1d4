/*
 * platform_test.h - helpers shared by the unit tests of the command line
 * and host setup: running the parser on a literal command line with its
 * output captured, and scratch directories.
 *
 * Criterion runs every test in its own process, so tests may set
 * environment variables and hold locks freely.
 */
#ifndef RUNTIME_PLATFORM_TESTS_PLATFORM_TEST_H
#define RUNTIME_PLATFORM_TESTS_PLATFORM_TEST_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/platform/host_private.h"

#define USAGE_LINE1                                                       \
	"usage: kernel [-hsUv] [-c file] [-e name=value:name=value:...] " \
	"[-i file]\n"
#define USAGE                                                             \
	USAGE_LINE1                                                       \
	"\t[-I interface[:address1[:address2]][/netmask]] [-l cpulock]\n" \
	"\t[-m size] [-n numcpus] [-p file] [-r file]\n"

/* The outcome of one vk_options_parse_env() run. */
struct parsed {
	int rc;
	struct vk_options opts;
	char *out, *err; /* what went to stdout and stderr */
	size_t outlen, errlen;
	char **argv; /* a copy, to check it is left alone */
	int argc;
};

/*
 * Every struct parsed ever filled, so that what it holds can be freed
 * when it is filled again and at the end of the test (for LeakSanitizer).
 * They must therefore be static.
 */
static struct parsed *parsed_live[16];

static inline void
parsed_release(struct parsed *p)
{
	int i;

	for (i = 0; p->argv != NULL && i < p->argc; i++)
		free(p->argv[i]);
	free(p->argv);
	free(p->out);
	free(p->err);
	vk_options_free(&p->opts);
	memset(p, 0, sizeof(*p));
}

/* Frees every struct parsed (a suite's .fini). */
static inline void
parsed_release_all(void)
{
	size_t i;

	for (i = 0; i < sizeof(parsed_live) / sizeof(parsed_live[0]); i++)
		if (parsed_live[i] != NULL)
			parsed_release(parsed_live[i]);
}

/* Parses argv (NULL-terminated) as if the real CPUs were those of cpus. */
static inline void
parse_with(struct parsed *p, const cpu_set_t *cpus, const char **argv)
{
	struct vk_parse_env env;
	FILE *out, *err;
	size_t slot;
	int i;

	for (slot = 0; slot < 16; slot++) {
		if (parsed_live[slot] == p) {
			parsed_release(p);
			break;
		}
		if (parsed_live[slot] == NULL) {
			parsed_live[slot] = p;
			memset(p, 0, sizeof(*p));
			break;
		}
	}
	cr_assert_lt(slot, 16, "too many struct parsed");
	for (p->argc = 0; argv[p->argc] != NULL; p->argc++)
		continue;
	p->argv = calloc((size_t)p->argc + 1, sizeof(char *));
	cr_assert_not_null(p->argv);
	for (i = 0; i < p->argc; i++)
		p->argv[i] = strdup(argv[i]);
	out = open_memstream(&p->out, &p->outlen);
	err = open_memstream(&p->err, &p->errlen);
	cr_assert(out != NULL && err != NULL);
	env.out = out;
	env.err = err;
	env.cpus = cpus;
	p->rc = vk_options_parse_env(p->argc, p->argv, &p->opts, &env);
	fclose(out);
	fclose(err);
	for (i = 0; i < p->argc; i++)
		cr_assert_str_eq(p->argv[i], argv[i], "argv[%d] was changed",
		    i);
}

/* Two real CPUs, 0 and 1. */
static inline void
parse_argv(struct parsed *p, const char **argv)
{
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	CPU_SET(1, &cpus);
	parse_with(p, &cpus, argv);
}

#define PARSE(p, ...)                                                  \
	do {                                                           \
		const char *argv_[] = { "kernel", __VA_ARGS__, NULL }; \
		parse_argv((p), argv_);                                \
	} while (0)

/* Asserts a refused command line: 64, a message naming what, the usage. */
#define ASSERT_REFUSED(p, what)                                             \
	do {                                                                \
		cr_assert_eq((p)->rc, 64, "rc %d for %s", (p)->rc, (what)); \
		cr_assert_not_null(strstr((p)->err, (what)),                \
		    "message does not name '%s': %s", (what), (p)->err);    \
		cr_assert_not_null(strstr((p)->err, USAGE),                 \
		    "no usage line: %s", (p)->err);                         \
		cr_assert_eq((p)->outlen, 0);                               \
	} while (0)

/* dir/name in a buffer that lasts the whole test (32 per test). */
static inline const char *
path_in(const char *dir, const char *name)
{
	static char pool[32][4096];
	static int used;

	cr_assert_lt(used, 32, "out of path buffers");
	snprintf(pool[used], sizeof(pool[used]), "%s/%s", dir, name);
	return (pool[used++]);
}

/* Makes a scratch directory (mode 0755) and returns its path. */
static inline char *
scratch_dir(void)
{
	static char dir[] = "/tmp/vk-platform-test.XXXXXX";

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0755), 0);
	return (dir);
}

/* Removes dir and the plain files in it. */
static inline void
scratch_remove(const char *dir)
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
			rmdir(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Number of entries in dir besides . and .. */
static inline int
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

/* Creates path with size bytes (sparse) and, if text, that text first. */
static inline void
make_file(const char *path, off_t size, const char *text)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	cr_assert_geq(fd, 0, "cannot create %s", path);
	if (text != NULL)
		cr_assert_eq(write(fd, text, strlen(text)),
		    (ssize_t)strlen(text));
	if (size > 0)
		cr_assert_eq(ftruncate(fd, size), 0);
	close(fd);
}

/* Opens path and takes its flock, as another kernel would. */
static inline int
hold_lock(const char *path)
{
	int fd = open(path, O_RDONLY);

	cr_assert_geq(fd, 0, "cannot open %s", path);
	cr_assert_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	return (fd);
}

/* True if another open file description can lock path right now. */
static inline bool
lockable(const char *path)
{
	int fd = open(path, O_RDONLY);
	bool ok;

	cr_assert_geq(fd, 0, "cannot open %s", path);
	ok = flock(fd, LOCK_EX | LOCK_NB) == 0;
	close(fd);
	return (ok);
}

/* Reads up to size-1 bytes of path into buf; returns the length or -1. */
static inline ssize_t
read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return (-1);
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return (n);
}

static inline off_t
file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return (-1);
	return (st.st_size);
}

/* Sends what vk_report() prints to a memory stream; see report_text(). */
static inline FILE *
report_capture(char **buf, size_t *len)
{
	FILE *fp = open_memstream(buf, len);

	cr_assert_not_null(fp);
	vk_report_init(fp, "kernel");
	return (fp);
}

#endif /* RUNTIME_PLATFORM_TESTS_PLATFORM_TEST_H */
