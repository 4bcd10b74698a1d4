/*
 * options_fuzz.c - libFuzzer target for the kernel command line.
 *
 * The input is split at NUL bytes into arguments (at most 64) and given to
 * the option parser as argv[1..].  Any result is fine; what must never
 * happen is a crash, a sanitizer report, a leak, or an options structure
 * that breaks its invariants.
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/platform/host_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_invariants(const struct vk_options *o)
{
	int i, vkd = 0, vcd = 0;

	if (o->ncpus < 1 || o->ncpus > VK_MAXCPU)
		abort();
	if (o->ndisks < 0 || o->ndisks > VK_DISK_MAX || o->nnetifs < 0 ||
	    o->nnetifs > VK_NETIF_MAX || o->nkenv < 0 || o->nkenv > VK_KENV_MAX)
		abort();
	for (i = 0; i < o->ndisks; i++) {
		/* Units are numbered per type, in command-line order. */
		if (o->disks[i].unit !=
		    (o->disks[i].type == VK_DISK_CD ? vcd++ : vkd++))
			abort();
		if (o->disks[i].path == NULL)
			abort();
	}
	for (i = 0; i < o->nkenv; i++)
		if (o->kenv[i].name == NULL || o->kenv[i].name[0] == '\0' ||
		    strchr(o->kenv[i].name, '=') != NULL)
			abort();
	if (o->memsize != 0 &&
	    (o->memsize < VK_MEMSIZE_MIN || o->memsize % VK_MEMSIZE_ALIGN))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct vk_parse_env env;
	struct vk_options opts;
	char *copy, *argv[66];
	cpu_set_t cpus;
	size_t i, start;
	int argc = 0;

	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		return (0);
	copy = malloc(size + 1);
	if (copy == NULL)
		return (0);
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = (char *)"kernel";
	for (i = 0, start = 0; i <= size && argc < 65; i++) {
		if (copy[i] == '\0') {
			argv[argc++] = copy + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	CPU_SET(1, &cpus);
	env.out = devnull;
	env.err = devnull;
	env.cpus = &cpus;
	memset(&opts, 0, sizeof(opts));
	if (vk_options_parse_env(argc, argv, &opts, &env) == 0)
		check_invariants(&opts);
	vk_options_free(&opts);
	free(copy);
	return (0);
}
