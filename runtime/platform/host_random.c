/*
 * host_random.c - random bytes from the host, for /dev/random, AT_RANDOM
 * and the kernel's own needs.
 */
#include <errno.h>
#include <sys/random.h>

#include "runtime/platform/platform.h"

void
host_random(void *buf, size_t len)
{
	unsigned char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = getrandom(p, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* getrandom cannot fail otherwise on Linux >= 3.17
			 * with a valid buffer; keep going rather than hand
			 * out predictable bytes. */
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
}
