/*
 * oracle_pipe.c - pipes, checked against the host (suites/oracle_test.c):
 * end of file after every writer closes, EPIPE and SIGPIPE, poll
 * readiness, O_NONBLOCK and EAGAIN, PIPE_BUF atomicity between writers,
 * descriptor and status flags, and the errors of calls that pipes refuse.
 *
 * The capacity of a pipe differs (Linux 64 KiB in pages, Vireo a 16 KiB
 * ring), so it is never printed; only that it holds at least PIPE_BUF.
 *
 * Usage: oracle_pipe ROOT (ROOT is unused).
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include "oracle.h"

static volatile sig_atomic_t caught;

static void
on_signal(int sig)
{
	caught = sig;
}

static void
end_of_file(void)
{
	int p[2], d;
	char buf[16];

	if (pipe(p) != 0)
		return;
	num("write 3", write(p[1], "abc", 3));
	num("read", read(p[0], buf, sizeof(buf)));
	num("read 0 bytes", read(p[0], buf, 0));
	num("write 0 bytes", write(p[1], buf, 0));
	d = dup(p[1]);
	close(p[1]);
	/* A second writer is still there: no end of file yet. */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	num("read with a writer left", read(p[0], buf, sizeof(buf)));
	num("write through the dup", write(d, "xy", 2));
	close(d);
	num("read what is left", read(p[0], buf, sizeof(buf)));
	num("read at end of file", read(p[0], buf, sizeof(buf)));
	num("again", read(p[0], buf, sizeof(buf)));
	close(p[0]);
}

/* Between processes: a child writes in pieces, the parent reads to EOF. */
static void
between_processes(void)
{
	int p[2], st;
	char buf[4096];
	long total = 0, n;
	pid_t pid;

	if (pipe(p) != 0)
		return;
	if ((pid = fork()) == 0) {
		close(p[0]);
		memset(buf, 'z', sizeof(buf));
		for (int i = 0; i < 40; i++)
			if (write(p[1], buf, 1000) != 1000)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0)
		total += n;
	num("bytes from the child", total);
	num("last read", n);
	close(p[0]);
	waitpid(pid, &st, 0);
	say("writer: %s\n", wstatus(st));
}

static int
write_to_closed(long how)
{
	int p[2];
	long r;

	if (pipe(p) != 0)
		return (90);
	close(p[0]);
	if (how == 1)
		signal(SIGPIPE, SIG_IGN);
	if (how == 2)
		signal(SIGPIPE, on_signal);
	r = write(p[1], "x", 1);
	if (r != -1)
		return (91);
	/* 10: EPIPE and the handler ran; 11: EPIPE, ignored. */
	if (errno == EPIPE)
		return (how == 2 ? (caught == SIGPIPE ? 10 : 12) : 11);
	return (92);
}

static void
broken_pipe(void)
{
	say("write, no reader, SIGPIPE default: %s\n",
	    in_child(write_to_closed, 0));
	say("write, no reader, SIGPIPE ignored: %s\n",
	    in_child(write_to_closed, 1));
	say("write, no reader, SIGPIPE caught: %s\n",
	    in_child(write_to_closed, 2));
}

static void
show_poll(const char *what, int fd, short events)
{
	struct pollfd p = { fd, events, 0 };
	int n = poll(&p, 1, 0);

	if (n < 0)
		say("%s: %s\n", what, ename(errno));
	else
		say("%s: %d %#x\n", what, n, p.revents);
}

static void
readiness(void)
{
	int p[2];
	char buf[8];
	struct pollfd two[2];

	if (pipe(p) != 0)
		return;
	show_poll("poll empty read end", p[0], POLLIN);
	show_poll("poll write end", p[1], POLLOUT);
	show_poll("poll write end for input", p[1], POLLIN);
	write(p[1], "q", 1);
	show_poll("poll read end with data", p[0], POLLIN | POLLOUT);
	two[0] = (struct pollfd) { p[0], POLLIN, 0 };
	two[1] = (struct pollfd) { p[1], POLLOUT, 0 };
	num("poll both", poll(two, 2, 0));
	say("revents: %#x %#x\n", two[0].revents, two[1].revents);
	close(p[1]);
	show_poll("poll read end, data, writer gone", p[0], POLLIN);
	read(p[0], buf, 1);
	show_poll("poll read end, writer gone", p[0], POLLIN);
	close(p[0]);
	if (pipe(p) != 0)
		return;
	close(p[0]);
	show_poll("poll write end, reader gone", p[1], POLLOUT);
	close(p[1]);
	show_poll("poll closed descriptor", p[1], POLLIN);
	two[0] = (struct pollfd) { -1, POLLIN, 7 };
	num("poll negative descriptor", poll(two, 1, 0));
	say("its revents: %#x\n", two[0].revents);
	num("poll nothing, 10 ms", poll(NULL, 0, 10));
}

static void
nonblocking(void)
{
	static char big[65536 * 2];
	int p[2], flags;
	char buf[PIPE_BUF];
	long n, total = 0;

	if (pipe2(p, O_NONBLOCK) != 0)
		return;
	num("read empty, O_NONBLOCK", read(p[0], buf, sizeof(buf)));
	/* Fill it: the last write may be partial, then EAGAIN. */
	memset(big, 'f', sizeof(big));
	while ((n = write(p[1], big, sizeof(big))) > 0)
		total += n;
	say("write when full: %s\n", ename(errno));
	yes("holds at least PIPE_BUF", total >= PIPE_BUF);
	yes("holds less than 2 x 64 KiB", total < (long)sizeof(big));
	num("1 byte when full", write(p[1], "x", 1));
	num("PIPE_BUF when full", write(p[1], buf, PIPE_BUF));
	show_poll("poll full write end", p[1], POLLOUT);
	/* Drain it all. */
	while ((n = read(p[0], big, sizeof(big))) > 0)
		total -= n;
	num("drained, left", total);
	say("read when drained: %s\n", ename(errno));
	flags = fcntl(p[0], F_GETFL);
	num("clear O_NONBLOCK", fcntl(p[0], F_SETFL, flags & ~O_NONBLOCK));
	say("read end flags: %#x\n",
	    fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_APPEND));
	close(p[0]);
	close(p[1]);
}

/*
 * PIPE_BUF atomicity: three writers, each writing PIPE_BUF-sized
 * messages filled with its letter; the reader reads exact PIPE_BUF
 * chunks and counts the ones that mix letters.
 */
static void
atomicity(void)
{
	static char msg[PIPE_BUF], in[PIPE_BUF];
	int p[2], st, mixed = 0, count[3] = { 0, 0, 0 };
	pid_t kids[3];

	if (pipe(p) != 0)
		return;
	for (int k = 0; k < 3; k++)
		if ((kids[k] = fork()) == 0) {
			close(p[0]);
			memset(msg, 'a' + k, sizeof(msg));
			for (int i = 0; i < 30; i++)
				if (write(p[1], msg, sizeof(msg)) !=
				    (ssize_t)sizeof(msg))
					_exit(1);
			_exit(0);
		}
	close(p[1]);
	for (;;) {
		size_t got = 0;
		ssize_t n = 0;

		while (got < sizeof(in) &&
		    (n = read(p[0], in + got, sizeof(in) - got)) > 0)
			got += (size_t)n;
		if (got < sizeof(in)) {
			num("partial chunk at the end", (long)got);
			break;
		}
		for (size_t i = 1; i < sizeof(in); i++)
			if (in[i] != in[0]) {
				mixed++;
				break;
			}
		if (in[0] >= 'a' && in[0] <= 'c')
			count[in[0] - 'a']++;
	}
	close(p[0]);
	for (int k = 0; k < 3; k++) {
		waitpid(kids[k], &st, 0);
		say("writer %d: %s\n", k, wstatus(st));
	}
	say("chunks: %d %d %d, mixed %d\n", count[0], count[1], count[2],
	    mixed);
}

static void
flags_and_errors(void)
{
	int p[2], avail = -1;
	void *bad = (void *)8;
	struct stat sb;
	struct iovec iov[2];
	char a[3], b[5];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
		return;
	say("pipe2 read flags: %#x\n",
	    fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_APPEND));
	say("pipe2 write flags: %#x\n",
	    fcntl(p[1], F_GETFL) & (O_ACCMODE | O_NONBLOCK | O_APPEND));
	num("pipe2 F_GETFD", fcntl(p[0], F_GETFD));
	num("F_SETFD 0", fcntl(p[0], F_SETFD, 0));
	num("F_GETFD", fcntl(p[0], F_GETFD));
	num("pipe2 bad flags", pipe2(p, 0x1234));
	num("lseek", lseek(p[0], 0, SEEK_SET));
	num("pread", pread(p[0], a, 1, 0));
	num("pwrite", pwrite(p[1], a, 1, 0));
	num("read the write end", read(p[1], a, 1));
	num("write the read end", write(p[0], a, 1));
	num("fstat", fstat(p[0], &sb));
	yes("S_ISFIFO", S_ISFIFO(sb.st_mode));
	say("mode bits: %#o\n", (unsigned)(sb.st_mode & 07777));
	/* writev and readv: scattered on both sides. */
	iov[0] = (struct iovec) { "hel", 3 };
	iov[1] = (struct iovec) { "lo, w", 5 };
	num("writev", writev(p[1], iov, 2));
	num("FIONREAD", ioctl(p[0], FIONREAD, &avail));
	num("bytes available", avail);
	iov[0] = (struct iovec) { a, sizeof(a) };
	iov[1] = (struct iovec) { b, sizeof(b) };
	num("readv", readv(p[0], iov, 2));
	say("readv got: %.3s|%.5s\n", a, b);
	num("pipe with a bad pointer", syscall(SYS_pipe, bad));
	close(p[0]);
	close(p[1]);
}

/* A reader blocked on an empty pipe wakes when a writer writes. */
static void
blocking_wakeup(void)
{
	int p[2], st;
	char buf[16];
	pid_t pid;

	if (pipe(p) != 0)
		return;
	if ((pid = fork()) == 0) {
		struct timespec ts = { 0, 20 * 1000000 };

		nanosleep(&ts, NULL);
		write(p[1], "late", 4);
		_exit(0);
	}
	num("blocking read", read(p[0], buf, sizeof(buf)));
	waitpid(pid, &st, 0);
	/* poll(2) sleeping until a writer writes, with a long timeout. */
	if ((pid = fork()) == 0) {
		struct timespec ts = { 0, 20 * 1000000 };

		nanosleep(&ts, NULL);
		write(p[1], "ready", 5);
		_exit(0);
	}
	{
		struct pollfd pf = { p[0], POLLIN, 0 };

		num("poll until written", poll(&pf, 1, 5000));
		say("revents: %#x\n", pf.revents);
	}
	waitpid(pid, &st, 0);
	num("read it", read(p[0], buf, sizeof(buf)));
	close(p[0]);
	close(p[1]);
}

int
main(void)
{
	oracle_begin("oracle_pipe");
	end_of_file();
	between_processes();
	broken_pipe();
	readiness();
	nonblocking();
	atomicity();
	flags_and_errors();
	blocking_wakeup();
	return (oracle_end());
}
