/*
 * host_console.c - the kernel's console on the process's standard input
 * and output.
 *
 * When standard input is a terminal it is put into raw mode with output
 * processing kept (NL -> CR NL) and ISIG kept, but with the interrupt,
 * suspend and status characters disabled, so that only ^\ (SIGQUIT)
 * raises a signal: the mode vkernel(7) describes.  The original settings
 * are restored at exit, by host_exit(), and around host signals that stop
 * or kill the process (host_intr.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "runtime/platform/platform.h"

static struct termios cons_saved;
static int cons_is_tty;

void
host_console_write(const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(STDOUT_FILENO, p, len);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return; /* console gone: nothing left to tell */
		}
		p += n;
		len -= (size_t)n;
	}
}

static void
cons_set_mode(bool debug)
{
	struct termios t;

	if (!cons_is_tty)
		return;
	t = cons_saved;
	cfmakeraw(&t);
	t.c_oflag |= OPOST | ONLCR;
	t.c_lflag |= ISIG;
	if (debug) {
		t.c_cc[VINTR] = cons_saved.c_cc[VINTR];
		t.c_cc[VSUSP] = cons_saved.c_cc[VSUSP];
	} else {
		t.c_cc[VINTR] = _POSIX_VDISABLE;
		t.c_cc[VSUSP] = _POSIX_VDISABLE;
	}
	t.c_cc[VQUIT] = cons_saved.c_cc[VQUIT];
	tcsetattr(STDIN_FILENO, TCSADRAIN, &t);
}

void
host_console_restore(void)
{
	if (cons_is_tty)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &cons_saved);
}

static void
cons_atexit(void)
{
	host_console_restore();
}

void
host_console_init(void)
{
	if (tcgetattr(STDIN_FILENO, &cons_saved) != 0)
		return; /* a pipe or a file: nothing to set */
	cons_is_tty = 1;
	atexit(cons_atexit);
	cons_set_mode(false);
}

void
host_console_debug(bool on)
{
	cons_set_mode(on);
}

int
host_console_getc_sync(void)
{
	unsigned char c;
	ssize_t n;

	for (;;) {
		n = read(STDIN_FILENO, &c, 1);
		if (n == 1)
			return (c);
		if (n < 0 && errno == EINTR)
			continue;
		return (-1);
	}
}
