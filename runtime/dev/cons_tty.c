/*
 * cons_tty.c - /dev/console: the kernel console as a terminal.
 *
 * Output goes through the line discipline's output modes to the host
 * console; input typed on the host console reaches the line discipline
 * from the interrupt thread once cons_tty_attach() has run (before that,
 * during the boot, the mountroot prompt reads it raw from kern_cons.c).  Readers sleep on
 * the tty until it has something for them.
 * /dev/tty is the same terminal for the processes whose controlling
 * terminal it is (tty_job.c: sessions, the foreground group, job control).
 */
#include <errno.h>
#include <string.h>

#include "runtime/dev/device.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/proc.h"
#include "runtime/kern/tty.h"

#define CONS_CHUNK 512

static struct tty cons_tty;

static void
ct_output(struct tty *tp, const char *buf, size_t len)
{
	(void)tp;
	host_console_write(buf, len);
}

/* ^C, ^\, ^Z and window changes go to the foreground process group. */
static void
ct_signal(struct tty *tp, int sig)
{
	if (tp->t_pgrp > 0)
		pgsignal(tp->t_pgrp, sig);
}

static void
ct_wakeup(struct tty *tp)
{
	wakeup(tp);
	selwakeup();
}

static const struct tty_ops cons_tty_ops = { ct_output, ct_signal, ct_wakeup };

static int
ct_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	char buf[CONS_CHUNK];
	size_t n, want;
	bool eof;
	int error;

	(void)dev;
	(void)ioflag;
	if ((error = tty_job_check(&cons_tty, LT_SIGTTIN)) != 0)
		return (error);
	while (!tty_readable(&cons_tty))
		if ((error = tsleep(&cons_tty, PCATCH, "ttyin", 0)) != 0)
			return (error);
	want = uio->uio_resid < sizeof(buf) ? uio->uio_resid : sizeof(buf);
	n = tty_read(&cons_tty, buf, want, &eof);
	return (uiomove(buf, n, uio));
}

static int
ct_write(struct cdev *dev, struct uio *uio, int ioflag)
{
	char buf[CONS_CHUNK];
	size_t n;
	int error;

	(void)dev;
	(void)ioflag;
	if ((cons_tty.t_termios.c_lflag & LT_TOSTOP) &&
	    (error = tty_job_check(&cons_tty, LT_SIGTTOU)) != 0)
		return (error);
	while (uio->uio_resid > 0) {
		n = uio->uio_resid < sizeof(buf) ? uio->uio_resid : sizeof(buf);
		if ((error = uiomove(buf, n, uio)) != 0)
			return (error);
		tty_write(&cons_tty, buf, n);
	}
	return (0);
}

static int
ct_ioctl(struct cdev *dev, unsigned long cmd, void *data)
{
	(void)dev;
	return (tty_job_ioctl(&cons_tty, cmd, data));
}

/* Unit 0 is /dev/console, unit 1 /dev/tty (the controlling terminal). */
static int
ct_open(struct cdev *dev, int flags)
{
	return (tty_job_open(&cons_tty, flags, dev->si_unit == 1));
}

static int
ct_poll(struct cdev *dev, int events)
{
	(void)dev;
	return ((tty_readable(&cons_tty) ? events & POLLIN : 0) |
	    (events & POLLOUT));
}

/* A terminal has no offset. */
static int
ct_seek(struct cdev *dev, int64_t *offp)
{
	(void)dev;
	(void)offp;
	return (ESPIPE);
}

static const struct cdevsw cons_cdevsw = {
	.d_seek = ct_seek,
	.d_open = ct_open,
	.d_poll = ct_poll,
	.d_name = "cons",
	.d_read = ct_read,
	.d_write = ct_write,
	.d_ioctl = ct_ioctl,
};

int
cons_tty_init(void)
{
	int error;

	tty_init(&cons_tty, &cons_tty_ops, NULL);
	if ((error = tty_job_register(&cons_tty)) != 0 ||
	    (error = make_dev(&cons_cdevsw, 0, 0, 0, 0600, "console", NULL)) !=
		0)
		return (error);
	/* XXX One terminal: /dev/tty can only ever be the console. */
	return (make_dev(&cons_cdevsw, 1, 0, 0, 0666, "tty", NULL));
}

/* Console input from the interrupt thread, which holds no lock. */
static void
ct_input(const char *buf, size_t len)
{
	kernel_lock();
	tty_input(&cons_tty, buf, len);
	kernel_unlock();
}

void
cons_tty_attach(void)
{
	char pending[4096];
	size_t n;

	/* Typed before the attach: first in line.  The interrupt thread
	 * waits for the kernel lock, which the caller holds. */
	/* init's session owns the console; its group is in the foreground. */
	cons_tty.t_pgrp = cons_tty.t_session = 1;
	n = cons_redirect(ct_input, pending, sizeof(pending));
	tty_input(&cons_tty, pending, n);
}
