/*
 * ktap_pipes.c - a guest-side test program for pipes: data through one
 * process and between processes, end of file, EPIPE, pipe2 flags, poll
 * readiness, large transfers with both sides blocking, and fstat.  Prints
 * KTAP, then waits on the console.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int n;

static void
result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, name);
}

static int
same_process(void)
{
	int p[2], ok;
	char buf[8];

	if (pipe(p) != 0)
		return (0);
	ok = write(p[1], "abc", 3) == 3 && read(p[0], buf, sizeof(buf)) == 3 &&
	    memcmp(buf, "abc", 3) == 0;
	close(p[1]);
	ok = ok && read(p[0], buf, sizeof(buf)) == 0; /* EOF */
	close(p[0]);
	return (ok);
}

static int
between_processes(void)
{
	int p[2], status = 0;
	char buf[32];
	pid_t pid;
	ssize_t r;

	if (pipe(p) != 0)
		return (0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		write(p[1], "from the child", 14);
		_exit(0);
	}
	close(p[1]);
	r = read(p[0], buf, sizeof(buf));
	close(p[0]);
	return (r == 14 && memcmp(buf, "from the child", 14) == 0 &&
	    waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
}

static int
big_transfer(void)
{
	static char out[256 * 1024], in[256 * 1024];
	int p[2], status = 0;
	size_t got = 0, i;
	pid_t pid;
	ssize_t r;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7);
	if (pipe(p) != 0)
		return (0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		_exit(write(p[1], out, sizeof(out)) == (ssize_t)sizeof(out) ?
			0 :
			1);
	}
	close(p[1]);
	while (got < sizeof(in) && (r = read(p[0], in + got, 5000)) > 0)
		got += (size_t)r;
	close(p[0]);
	return (got == sizeof(in) && memcmp(in, out, sizeof(in)) == 0 &&
	    waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 0);
}

static int
no_reader(void)
{
	int p[2];

	if (pipe(p) != 0)
		return (0);
	close(p[0]);
	return (write(p[1], "x", 1) == -1 && errno == EPIPE &&
	    close(p[1]) == 0);
}

static int
pipe2_flags(void)
{
	int p[2], ok;
	char c;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
		return (0);
	ok = fcntl(p[0], F_GETFD) == FD_CLOEXEC &&
	    (fcntl(p[0], F_GETFL) & O_NONBLOCK) && read(p[0], &c, 1) == -1 &&
	    errno == EAGAIN;
	close(p[0]);
	close(p[1]);
	return (ok && pipe2(p, 0x12345) == -1 && errno == EINVAL);
}

static int
poll_ready(void)
{
	struct pollfd pf;
	int p[2], ok;

	if (pipe(p) != 0)
		return (0);
	pf.fd = p[0];
	pf.events = POLLIN;
	ok = poll(&pf, 1, 0) == 0 && write(p[1], "y", 1) == 1 &&
	    poll(&pf, 1, 1000) == 1 && (pf.revents & POLLIN);
	pf.fd = p[1];
	pf.events = POLLOUT;
	ok = ok && poll(&pf, 1, 0) == 1 && (pf.revents & POLLOUT);
	close(p[1]);
	pf.fd = p[0];
	pf.events = POLLIN;
	ok = ok && poll(&pf, 1, 0) == 1;
	close(p[0]);
	return (ok);
}

static int
fstat_fifo(void)
{
	struct stat st;
	int p[2], ok;

	if (pipe(p) != 0)
		return (0);
	ok = fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode);
	close(p[0]);
	close(p[1]);
	return (ok);
}

int
main(void)
{
	char c;

	printf("KTAP version 1\n1..7\n");
	result(same_process(), "write_read_eof");
	result(between_processes(), "fork_child_writes");
	result(big_transfer(), "256k_both_sides_block");
	result(no_reader(), "epipe_without_reader");
	result(pipe2_flags(), "pipe2_cloexec_nonblock");
	result(poll_ready(), "poll_readiness");
	result(fstat_fifo(), "fstat_fifo");
	fflush(stdout);
	for (;;)
		if (read(0, &c, 1) <= 0)
			break;
	return (0);
}
