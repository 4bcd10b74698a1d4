/*
 * pipe_bench.c - pipe ping-pong for make bench: a parent and a child
 * bounce one byte over two pipes N times.  Run natively and as init in
 * the guest (harness/bench/benches.conf, [pipe.pingpong]), it prints the
 * mean time of one round trip and then "pipe: done", the line vkbench
 * waits for.  As init it then stays up until the harness stops the
 * kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define N 5000

int
main(void)
{
	struct timespec a, b;
	long long ns;
	int ping[2], pong[2], i, status;
	pid_t pid;
	char c = 'x';

	if (pipe(ping) != 0 || pipe(pong) != 0) {
		printf("pipe: no pipes\n");
		return (1);
	}
	if ((pid = fork()) == 0) {
		/* The child answers every byte until the parent closes. */
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < N; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
			printf("pipe: failed at %d\n", i);
			return (1);
		}
	clock_gettime(CLOCK_MONOTONIC, &b);
	close(ping[1]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("pipe: the child failed\n");
		return (1);
	}
	ns = (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
	/* The value line vkbench reads, then the line it waits for. */
	printf("pipe.pingpong %lld\n", ns);
	printf("pipe: %d round trips, %.2f us each\npipe: done\n", N,
	    ns / N / 1e3);
	fflush(stdout);
	if (getpid() == 1)
		while (read(0, &c, 1) > 0)
			;
	return (0);
}
