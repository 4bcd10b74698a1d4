/*
 * forkexec_bench.c - fork + execve + wait of a static program, N times,
 * for make bench: run natively and as init in the guest, it prints the
 * time of the loop ("forkexec.200 <ns>", the value vkbench reads), the
 * mean time of one round trip and then "forkexec: done".  With "exit" as
 * its argument it is the program executed, and exits at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 200

int
main(int argc, char **argv)
{
	struct timespec a, b;
	char *args[] = { argv[0], "exit", NULL };
	char *env[] = { NULL };
	long long ns;
	int i, status;
	char c;

	if (argc > 1 && strcmp(argv[1], "exit") == 0)
		return (0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < N; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execve(args[0], args, env);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    WEXITSTATUS(status) != 0) {
			printf("forkexec: failed at %d\n", i);
			return (1);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	/* The value line vkbench reads, then the line it waits for. */
	printf("forkexec.200 %lld\n", ns);
	printf("forkexec: %d round trips, %.1f us each\nforkexec: done\n", N,
	    ns / N / 1e3);
	fflush(stdout);
	/* As init, stay up until the harness stops the kernel. */
	if (getpid() == 1)
		while (read(0, &c, 1) > 0)
			;
	return (0);
}
