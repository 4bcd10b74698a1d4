/*
 * host_intr.c - the interrupt thread: turns host signals, console input
 * and a periodic timer into kernel events.
 *
 * Asynchronous host signals are blocked in every kernel thread and read
 * here from a signalfd, so kernel code never runs in a host signal
 * handler for them.  This thread also owns console input (except while
 * the debugger reads it synchronously) and the clock: a timerfd firing
 * hz times a second.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "runtime/platform/platform.h"

static const struct host_intr_ops *intr_ops;
static struct vk_host *intr_host;
static int intr_sigfd = -1;
static int intr_timerfd = -1;

static void
intr_fill_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGWINCH);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGTSTP);
}

/* Dies by sig after putting the terminal and the pidfile right. */
static void
intr_die(int sig)
{
	sigset_t set;

	host_console_restore();
	if (intr_host != NULL)
		vk_host_release(intr_host);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

static void
intr_signal(const struct signalfd_siginfo *si)
{
	switch (si->ssi_signo) {
	case SIGTERM:
		intr_ops->event(HOST_EV_TERM);
		break;
	case SIGQUIT:
		intr_ops->event(HOST_EV_QUIT);
		break;
	case SIGWINCH:
		intr_ops->event(HOST_EV_WINCH);
		break;
	case SIGTSTP:
		host_console_restore();
		kill(getpid(), SIGSTOP);
		host_console_debug(false);
		break;
	default:
		intr_die((int)si->ssi_signo);
	}
}

static void *
intr_main(void *arg)
{
	struct signalfd_siginfo si;
	struct pollfd pfd[3];
	uint64_t expirations;
	char buf[256];
	ssize_t n;
	int stdin_open = 1;

	(void)arg;
	pfd[0].fd = intr_sigfd;
	pfd[1].fd = intr_timerfd;
	pfd[2].fd = STDIN_FILENO;
	for (;;) {
		for (int i = 0; i < 3; i++)
			pfd[i].events = POLLIN;
		if (poll(pfd, stdin_open ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return (NULL);
		}
		if (pfd[0].revents & POLLIN) {
			if (read(intr_sigfd, &si, sizeof(si)) == sizeof(si))
				intr_signal(&si);
		}
		if (pfd[1].revents & POLLIN) {
			if (read(intr_timerfd, &expirations,
				sizeof(expirations)) == sizeof(expirations)) {
				while (expirations-- > 0)
					intr_ops->tick();
			}
		}
		if (stdin_open && pfd[2].revents != 0) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n > 0)
				intr_ops->console_input(buf, (size_t)n);
			else if (n == 0 || (errno != EINTR && errno != EAGAIN))
				stdin_open = 0; /* EOF: stop polling it */
		}
	}
}

int
host_intr_start(const struct host_intr_ops *ops, int hz, struct vk_host *host)
{
	struct itimerspec its;
	pthread_t tid;
	sigset_t set;
	int error;

	intr_ops = ops;
	intr_host = host;
	intr_fill_set(&set);
	if ((error = pthread_sigmask(SIG_BLOCK, &set, NULL)) != 0)
		return (error);
	intr_sigfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (intr_sigfd < 0)
		return (errno);
	intr_timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (intr_timerfd < 0)
		return (errno);
	memset(&its, 0, sizeof(its));
	its.it_interval.tv_nsec = 1000000000L / hz;
	its.it_value = its.it_interval;
	if (timerfd_settime(intr_timerfd, 0, &its, NULL) != 0)
		return (errno);
	error = pthread_create(&tid, NULL, intr_main, NULL);
	if (error == 0) {
		pthread_setname_np(tid, "intr");
		pthread_detach(tid);
	}
	return (error);
}
