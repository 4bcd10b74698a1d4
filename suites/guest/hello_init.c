/*
 * hello_init.c - a tiny init for the kernel suites: says who it is, its
 * arguments and its system, reads one line from the console and echoes
 * it, then exits 7 (which makes the kernel panic "init died").
 */
#include <stdio.h>
#include <sys/utsname.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct utsname u;
	char buf[128];
	ssize_t n;
	int i;

	uname(&u);
	printf("hello_init: pid %d sysname %s args", (int)getpid(), u.sysname);
	for (i = 0; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf("\nhello_init: type a line\n");
	fflush(stdout);
	n = read(0, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		printf("hello_init: read %zd: %s", n, buf);
	}
	return (7);
}
