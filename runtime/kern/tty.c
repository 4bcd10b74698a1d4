/*
 * tty.c - the terminal line discipline (see tty.h).
 *
 * Behaviour follows Linux's n_tty where programs can tell the difference:
 * a control character echoes as ^X with ECHOCTL, an erase removes what the
 * echo put on the screen, ^D on an empty line is end of file and ^D after
 * text ends the line without a newline, a signal character flushes pending
 * input unless NOFLSH.  A disabled control character is 0 (Linux's
 * _POSIX_VDISABLE).
 */
#include <errno.h>
#include <string.h>

#include "runtime/kern/tty.h"

#define CC(tp, i)	((tp)->t_termios.c_cc[i])
#define LFLAG(tp)	((tp)->t_termios.c_lflag)
#define IFLAG(tp)	((tp)->t_termios.c_iflag)
#define OFLAG(tp)	((tp)->t_termios.c_oflag)
#define IS_CC(tp, c, i) (CC(tp, i) != 0 && (unsigned char)(c) == CC(tp, i))

void
tty_init(struct tty *tp, const struct tty_ops *ops, void *arg)
{
	static const uint8_t defaults[LT_NCCS] = {
		[LT_VINTR] = 0x03,  /* ^C */
		[LT_VQUIT] = 0x1c,  /* ^\ */
		[LT_VERASE] = 0x7f, /* DEL */
		[LT_VKILL] = 0x15,  /* ^U */
		[LT_VEOF] = 0x04,   /* ^D */
		[LT_VMIN] = 1,
		[LT_VSTART] = 0x11,   /* ^Q */
		[LT_VSTOP] = 0x13,    /* ^S */
		[LT_VSUSP] = 0x1a,    /* ^Z */
		[LT_VREPRINT] = 0x12, /* ^R */
		[LT_VWERASE] = 0x17,  /* ^W */
		[LT_VLNEXT] = 0x16,   /* ^V */
	};

	memset(tp, 0, sizeof(*tp));
	tp->t_ops = ops;
	tp->t_arg = arg;
	tp->t_termios.c_iflag = LT_ICRNL | LT_IXON | LT_IUTF8;
	tp->t_termios.c_oflag = LT_OPOST | LT_ONLCR;
	tp->t_termios.c_cflag = LT_B38400 | LT_CS8 | LT_CREAD | LT_HUPCL;
	tp->t_termios.c_lflag = LT_ISIG | LT_ICANON | LT_ECHO | LT_ECHOE |
	    LT_ECHOK | LT_ECHOCTL | LT_ECHOKE | LT_IEXTEN;
	memcpy(tp->t_termios.c_cc, defaults, sizeof(defaults));
	tp->t_winsize.ws_row = 24;
	tp->t_winsize.ws_col = 80;
}

/* --- Output ----------------------------------------------------------- */

static void
out_raw(struct tty *tp, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\n' || buf[i] == '\r')
			tp->t_column = 0;
		else if (buf[i] == '\b') {
			if (tp->t_column > 0)
				tp->t_column--;
		} else if (buf[i] == '\t')
			tp->t_column = (tp->t_column | 7) + 1;
		else if ((unsigned char)buf[i] >= ' ')
			tp->t_column++;
	}
	tp->t_ops->to_output(tp, buf, len);
}

/* Writes one byte through the output modes. */
static void
out_char(struct tty *tp, char c)
{
	uint32_t of = OFLAG(tp);

	if (!(of & LT_OPOST)) {
		out_raw(tp, &c, 1);
		return;
	}
	if (c == '\n' && (of & LT_ONLCR)) {
		out_raw(tp, "\r\n", 2);
		return;
	}
	if (c == '\r') {
		if ((of & LT_ONOCR) && tp->t_column == 0)
			return;
		if (of & LT_OCRNL) {
			out_raw(tp, "\n", 1);
			if (of & LT_ONLRET)
				tp->t_column = 0;
			return;
		}
	}
	out_raw(tp, &c, 1);
}

void
tty_write(struct tty *tp, const char *buf, size_t len)
{
	size_t i, run;

	/* Runs without special bytes go out in one piece. */
	for (i = 0; i < len; i += run) {
		for (run = 0; i + run < len && buf[i + run] != '\n' &&
		     buf[i + run] != '\r';
		     run++)
			;
		if (run > 0)
			out_raw(tp, buf + i, run);
		else {
			out_char(tp, buf[i]);
			run = 1;
		}
	}
}

/* --- Echo ------------------------------------------------------------- */

static bool
echoes_as_caret(const struct tty *tp, unsigned char c)
{
	return ((LFLAG(tp) & LT_ECHOCTL) && (c < ' ' || c == 0x7f) &&
	    c != '\t' && c != '\n');
}

static void
echo_char(struct tty *tp, unsigned char c)
{
	char caret[2];

	if (!(LFLAG(tp) & LT_ECHO)) {
		if (c == '\n' && (LFLAG(tp) & LT_ECHONL) &&
		    (LFLAG(tp) & LT_ICANON))
			out_char(tp, '\n');
		return;
	}
	if (echoes_as_caret(tp, c)) {
		caret[0] = '^';
		caret[1] = (char)(c == 0x7f ? '?' : c + '@');
		out_raw(tp, caret, 2);
	} else
		out_char(tp, (char)c);
}

/* Removes the last byte of the line being edited, and its echo. */
static void
erase_one(struct tty *tp)
{
	unsigned char c;

	if (tp->t_editlen == 0)
		return;
	c = (unsigned char)tp->t_edit[--tp->t_editlen];
	if ((LFLAG(tp) & (LT_ECHO | LT_ECHOE)) != (LT_ECHO | LT_ECHOE))
		return;
	out_raw(tp, "\b \b", 3);
	if (echoes_as_caret(tp, c))
		out_raw(tp, "\b \b", 3);
}

static void
erase_word(struct tty *tp)
{
	while (tp->t_editlen > 0 &&
	    (tp->t_edit[tp->t_editlen - 1] == ' ' ||
		tp->t_edit[tp->t_editlen - 1] == '\t'))
		erase_one(tp);
	while (tp->t_editlen > 0 && tp->t_edit[tp->t_editlen - 1] != ' ' &&
	    tp->t_edit[tp->t_editlen - 1] != '\t')
		erase_one(tp);
}

static void
kill_line(struct tty *tp, unsigned char c)
{
	if ((LFLAG(tp) & LT_ECHO) && (LFLAG(tp) & LT_ECHOKE)) {
		while (tp->t_editlen > 0)
			erase_one(tp);
		return;
	}
	tp->t_editlen = 0;
	if (LFLAG(tp) & LT_ECHO) {
		echo_char(tp, c);
		if (LFLAG(tp) & LT_ECHOK)
			out_char(tp, '\n');
	}
}

/* --- Input queues ----------------------------------------------------- */

static size_t
readq_len(const struct tty *tp)
{
	return (tp->t_rtail - tp->t_rhead);
}

static bool
readq_put(struct tty *tp, const char *p, size_t n)
{
	size_t i;

	if (n > TTY_QSIZE - readq_len(tp))
		return (false);
	for (i = 0; i < n; i++)
		tp->t_readq[tp->t_rtail++ % TTY_QSIZE] = p[i];
	return (true);
}

/* Moves the edited line to the read queue; eof marks a ^D ending. */
static void
end_line(struct tty *tp, bool eof)
{
	if (tp->t_ltail - tp->t_lhead == TTY_LINES ||
	    !readq_put(tp, tp->t_edit, tp->t_editlen))
		return; /* reader far behind: the line is lost, as in n_tty */
	tp->t_lineend[tp->t_ltail % TTY_LINES] = tp->t_rtail;
	tp->t_lineeof[tp->t_ltail % TTY_LINES] = eof;
	tp->t_ltail++;
	tp->t_editlen = 0;
	tp->t_ops->to_wakeup(tp);
}

static void
flush_input(struct tty *tp)
{
	tp->t_editlen = 0;
	tp->t_rhead = tp->t_rtail;
	tp->t_lhead = tp->t_ltail;
}

/* The signal characters; returns true when c was one. */
static bool
input_signal(struct tty *tp, unsigned char c)
{
	int sig;

	if (!(LFLAG(tp) & LT_ISIG))
		return (false);
	if (IS_CC(tp, c, LT_VINTR))
		sig = LT_SIGINT;
	else if (IS_CC(tp, c, LT_VQUIT))
		sig = LT_SIGQUIT;
	else if (IS_CC(tp, c, LT_VSUSP))
		sig = LT_SIGTSTP;
	else
		return (false);
	if (!(LFLAG(tp) & LT_NOFLSH))
		flush_input(tp);
	echo_char(tp, c);
	tp->t_ops->to_signal(tp, sig);
	return (true);
}

/* ^R: the line being edited, echoed again on a fresh line. */
static void
reprint_line(struct tty *tp)
{
	size_t i;

	for (i = 0; i < tp->t_editlen; i++)
		echo_char(tp, (unsigned char)tp->t_edit[i]);
}

/* Line editing; returns true when c was an editing character. */
static bool
input_edit(struct tty *tp, unsigned char c)
{
	bool ext = (LFLAG(tp) & LT_IEXTEN) != 0;

	if (IS_CC(tp, c, LT_VERASE))
		erase_one(tp);
	else if (IS_CC(tp, c, LT_VKILL))
		kill_line(tp, c);
	else if (ext && IS_CC(tp, c, LT_VWERASE))
		erase_word(tp);
	else if (ext && IS_CC(tp, c, LT_VLNEXT)) {
		tp->t_lnext = true;
		if ((LFLAG(tp) & LT_ECHO) && (LFLAG(tp) & LT_ECHOCTL))
			out_raw(tp, "^\b", 2);
	} else if (ext && IS_CC(tp, c, LT_VREPRINT)) {
		echo_char(tp, c);
		out_char(tp, '\n');
		reprint_line(tp);
	} else if (IS_CC(tp, c, LT_VEOF))
		end_line(tp, true);
	else
		return (false);
	return (true);
}

/* One byte of input after the input modes; c is already mapped. */
static void
input_char(struct tty *tp, unsigned char c)
{
	bool canon = (LFLAG(tp) & LT_ICANON) != 0;
	char ch = (char)c;

	if (tp->t_lnext) {
		tp->t_lnext = false;
		if ((LFLAG(tp) & LT_ECHO) && (LFLAG(tp) & LT_ECHOCTL))
			out_raw(tp, "\b", 1);
	} else {
		if (input_signal(tp, c))
			return;
		if (canon && input_edit(tp, c))
			return;
	}
	if (!canon) {
		if (readq_put(tp, &ch, 1)) {
			echo_char(tp, c);
			tp->t_ops->to_wakeup(tp);
		}
		return;
	}
	/* Keep one byte free so that a newline can always end the line. */
	if (tp->t_editlen >= TTY_QSIZE - 1 && c != '\n')
		return;
	tp->t_edit[tp->t_editlen++] = ch;
	echo_char(tp, c);
	if (c == '\n' || IS_CC(tp, c, LT_VEOL) || IS_CC(tp, c, LT_VEOL2))
		end_line(tp, false);
}

void
tty_input(struct tty *tp, const char *buf, size_t len)
{
	uint32_t iflag = IFLAG(tp);
	unsigned char c;
	size_t i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)buf[i];
		if (!tp->t_lnext) {
			if (iflag & LT_ISTRIP)
				c &= 0x7f;
			if (c == '\r') {
				if (iflag & LT_IGNCR)
					continue;
				if (iflag & LT_ICRNL)
					c = '\n';
			} else if (c == '\n' && (iflag & LT_INLCR))
				c = '\r';
		}
		input_char(tp, c);
	}
}

bool
tty_readable(const struct tty *tp)
{
	if (LFLAG(tp) & LT_ICANON)
		return (tp->t_ltail != tp->t_lhead);
	return (readq_len(tp) > 0);
}

size_t
tty_read(struct tty *tp, char *buf, size_t len, bool *eof)
{
	size_t n = 0, end;
	bool is_eof;

	*eof = false;
	if (!(LFLAG(tp) & LT_ICANON)) {
		while (n < len && readq_len(tp) > 0)
			buf[n++] = tp->t_readq[tp->t_rhead++ % TTY_QSIZE];
		/* Lines cooked before a switch to raw mode are just bytes. */
		tp->t_lhead = tp->t_ltail;
		return (n);
	}
	if (tp->t_ltail == tp->t_lhead)
		return (0);
	end = tp->t_lineend[tp->t_lhead % TTY_LINES];
	is_eof = tp->t_lineeof[tp->t_lhead % TTY_LINES];
	while (n < len && tp->t_rhead != end)
		buf[n++] = tp->t_readq[tp->t_rhead++ % TTY_QSIZE];
	if (tp->t_rhead == end) {
		/* The whole line was taken; a ^D on an empty line is EOF. */
		tp->t_lhead++;
		*eof = is_eof && n == 0;
	}
	return (n);
}

int
tty_ioctl(struct tty *tp, unsigned long cmd, void *data)
{
	struct linux_winsize *ws = data;
	int *ip = data;

	switch (cmd) {
	case LT_TCGETS:
		memcpy(data, &tp->t_termios, sizeof(tp->t_termios));
		return (0);
	case LT_TCSETSF:
		flush_input(tp);
		/* FALLTHROUGH */
	case LT_TCSETS:
	case LT_TCSETSW:
		/* Output is written through at once, so there is nothing to
		 * drain for TCSETSW. */
		memcpy(&tp->t_termios, data, sizeof(tp->t_termios));
		if (!(LFLAG(tp) & LT_ICANON) && tp->t_editlen > 0) {
			/* Leaving canonical mode: the partial line is input. */
			readq_put(tp, tp->t_edit, tp->t_editlen);
			tp->t_editlen = 0;
		}
		if (tty_readable(tp))
			tp->t_ops->to_wakeup(tp);
		return (0);
	case LT_TIOCGWINSZ:
		*ws = tp->t_winsize;
		return (0);
	case LT_TIOCSWINSZ:
		if (memcmp(ws, &tp->t_winsize, sizeof(*ws)) != 0) {
			tp->t_winsize = *ws;
			tp->t_ops->to_signal(tp, LT_SIGWINCH);
		}
		return (0);
	case LT_TIOCGPGRP:
		*ip = tp->t_pgrp;
		return (0);
	case LT_TIOCSPGRP:
		/* XXX No check that the group is in the tty's session. */
		tp->t_pgrp = *ip;
		return (0);
	case LT_TIOCGSID:
		*ip = tp->t_session;
		return (0);
	case LT_TIOCSCTTY:
		return (0);
	case LT_FIONREAD:
		*ip = (int)((LFLAG(tp) & LT_ICANON) &&
			    tp->t_ltail == tp->t_lhead ?
			0 :
			readq_len(tp));
		return (0);
	case LT_TCFLSH:
		if (*ip == 0 || *ip == 2)
			flush_input(tp);
		else if (*ip != 1)
			return (EINVAL);
		return (0);
	default:
		return (ENOTTY);
	}
}
