/*
 * A static musl program exercising memory: malloc of small and large
 * blocks (brk and mmap), uname, and a large write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

int
main(void)
{
	struct utsname u;
	char *small, *big;
	size_t i, sum = 0;

	small = malloc(1000);
	big = malloc(4 << 20);
	if (small == NULL || big == NULL)
		return (1);
	memset(big, 7, 4 << 20);
	for (i = 0; i < (4 << 20); i += 4096)
		sum += (unsigned char)big[i];
	free(big);
	if (uname(&u) != 0)
		return (2);
	printf("sysname=%s machine=%s sum=%zu pid=%d\n", u.sysname, u.machine,
	    sum, (int)getpid());
	fflush(stdout);
	memset(small, 'x', 999);
	small[999] = '\n';
	if (write(1, small, 1000) != 1000)
		return (3);
	return (0);
}
