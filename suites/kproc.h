/*
 * kproc.h - the kernel as a plain process, for the suites about its
 * command line and host files (options_test.c, memimage_test.c): private
 * scratch directories, starting the kernel without a console, and checks
 * on its exit status and standard error.
 */
#ifndef SUITES_KPROC_H
#define SUITES_KPROC_H

#include "harness/vkh.h"

#define KPROC_EXIT_TIMEOUT 10

extern char vkdir[64];	/* the kernel's VKERNEL_DIR */
extern char outdir[64]; /* where its output is kept */
extern char files[64];	/* test files (images, pidfiles) */
extern char vkenv[600]; /* "VKERNEL_DIR=..." */
extern struct vkh_proc run;

/* Makes the directories (named after the suite); removes them again. */
void kproc_setup(const char *suite);
void kproc_teardown(void);
/* A path in files/. */
const char *test_file(const char *name);
/* Starts the kernel with args (without argv[0]); run_kernel waits too. */
void spawn_kernel(const char *const *args);
void run_kernel(const char *const *args);
int count_entries(const char *dir);
void remove_tree(const char *dir);
void assert_exit(int code);
void assert_err_has(const char *what);

#define RUN(...)                                             \
	do {                                                 \
		const char *args_[] = { __VA_ARGS__, NULL }; \
		run_kernel(args_);                           \
	} while (0)

#endif /* SUITES_KPROC_H */
