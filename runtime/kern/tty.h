/*
 * tty.h - the terminal line discipline: what a terminal does between the
 * device and the programs reading and writing it.
 *
 * Input from the device goes through tty_input(): the termios input modes
 * (ICRNL, IGNCR, INLCR, ISTRIP), the signal characters (ISIG: ^C, ^\, ^Z),
 * line editing in canonical mode (erase, kill, word erase, literal next,
 * reprint, end of file) and echo.  tty_read() hands out a completed line
 * (canonical) or whatever has arrived (raw).  Output from programs goes
 * through tty_write() and the output modes (OPOST, ONLCR, OCRNL, ONOCR,
 * ONLRET).  The discipline never sleeps: it tells its owner through the
 * ops to write to the device, to signal the foreground process group, and
 * to wake readers.  Termios values follow the Linux ABI.
 */
#ifndef RUNTIME_KERN_TTY_H
#define RUNTIME_KERN_TTY_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime/sys/linux_termios.h"

#define TTY_QSIZE 4096 /* bytes of input waiting to be read */
#define TTY_LINES 64   /* completed lines (and EOF marks) waiting */

struct tty;

struct tty_ops {
	/* Writes processed output (and echo) to the device. */
	void (*to_output)(struct tty *tp, const char *buf, size_t len);
	/* Sends sig to the terminal's foreground process group. */
	void (*to_signal)(struct tty *tp, int sig);
	/* Input became readable. */
	void (*to_wakeup)(struct tty *tp);
};

struct tty {
	struct linux_termios t_termios;
	struct linux_winsize t_winsize;
	const struct tty_ops *t_ops;
	void *t_arg; /* the owner's */
	/* The line being edited (canonical mode only). */
	char t_edit[TTY_QSIZE];
	size_t t_editlen;
	bool t_lnext; /* the next byte is taken literally */
	/* Input ready for read(): a ring of bytes, and where lines end. */
	char t_readq[TTY_QSIZE];
	size_t t_rhead, t_rtail;     /* free-running counters */
	size_t t_lineend[TTY_LINES]; /* t_rtail values ending lines */
	bool t_lineeof[TTY_LINES];   /* that line ended by VEOF */
	size_t t_lhead, t_ltail;
	size_t t_column; /* output column, for erase */
	int t_pgrp;	 /* foreground process group */
	int t_session;
};

/* Sets the Linux defaults (cooked mode, echo, ^C ^\ ^Z, 80x24). */
void tty_init(struct tty *tp, const struct tty_ops *ops, void *arg);
/* Bytes from the device (keyboard). */
void tty_input(struct tty *tp, const char *buf, size_t len);
/* True when a read would return something (data, or end of file). */
bool tty_readable(const struct tty *tp);
/*
 * Takes what a read may return now: in canonical mode one line at most
 * (with its newline), in raw mode what has arrived, up to len bytes.
 * *eof is set when the read met an end-of-file mark (^D), in which case
 * the return value may be 0.
 */
size_t tty_read(struct tty *tp, char *buf, size_t len, bool *eof);
/* Output from a program, processed and passed to to_output. */
void tty_write(struct tty *tp, const char *buf, size_t len);
/*
 * The terminal ioctls that need no process: TCGETS, TCSETS, TCSETSW,
 * TCSETSF (flushes input), TIOCGWINSZ, TIOCSWINSZ (SIGWINCH on change),
 * FIONREAD, TCFLSH (data points at the queue selector, an int).
 * Returns 0, EINVAL or ENOTTY.
 */
int tty_ioctl(struct tty *tp, unsigned long cmd, void *data);

/* --- Terminals and processes (tty_job.c); caller holds the kernel lock. */
struct proc;
/* True when tp is p's controlling terminal. */
bool tty_is_ctty(const struct tty *tp, const struct proc *p);
/*
 * Job control for the calling process before it reads (sig SIGTTIN) or
 * writes or changes settings (SIGTTOU): 0 to go ahead, EIO, or EINTR
 * after signalling its background group (the call restarts later).
 */
int tty_job_check(struct tty *tp, int sig);
/*
 * An open by the calling process: a session leader acquires a free
 * terminal unless O_NOCTTY is in flags; devtty (the /dev/tty node) means
 * "my controlling terminal" and fails with ENXIO without one.
 */
int tty_job_open(struct tty *tp, int flags, bool devtty);
/* Makes tp a terminal that sessions may own; 0 or ENOSPC. */
int tty_job_register(struct tty *tp);
/* Session sid ended (its leader exited): it gives its terminal up. */
void tty_session_end(int sid);
/*
 * tty_ioctl() with the requests that need the calling process:
 * TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY, TIOCNOTTY, and SIGTTOU for
 * setting changes from the background.
 */
int tty_job_ioctl(struct tty *tp, unsigned long cmd, void *data);

#endif /* RUNTIME_KERN_TTY_H */
