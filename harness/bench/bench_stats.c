/*
 * bench_stats.c - median, minimum and maximum of a benchmark's samples.
 *
 * The median rather than the mean is reported because a run on a shared
 * machine now and then takes much longer than the others, and one such
 * run should not move the figure.
 */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "harness/bench/bench.h"

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return ((x > y) - (x < y));
}

int
bench_stats_compute(const uint64_t *samples, size_t n, struct bench_stats *st)
{
	uint64_t *sorted;

	if (n == 0)
		return (EX_SOFTWARE);
	if ((sorted = malloc(n * sizeof(*sorted))) == NULL)
		return (EX_OSERR);
	memcpy(sorted, samples, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	st->min = (double)sorted[0];
	st->max = (double)sorted[n - 1];
	st->median = (double)sorted[n / 2];
	if (n % 2 == 0)
		st->median = (st->median + (double)sorted[n / 2 - 1]) / 2;
	free(sorted);
	return (0);
}

double
bench_ratio(const struct bench_result *r)
{
	if (r->failed || r->guest.nsamples == 0 || r->native.nsamples == 0 ||
	    r->native.stats.median <= 0)
		return (-1);
	return (r->guest.stats.median / r->native.stats.median);
}
