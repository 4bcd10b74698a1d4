/*
 * tty_test.c - unit tests of the terminal line discipline.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "runtime/kern/tty.h"

static struct tty tp;
static char out[8192];
static size_t outlen;
static int sigs[16], nsigs, wakeups;

static void
cap_output(struct tty *t, const char *buf, size_t len)
{
	(void)t;
	cr_assert_lt(outlen + len, sizeof(out));
	memcpy(out + outlen, buf, len);
	outlen += len;
	out[outlen] = '\0';
}

static void
cap_signal(struct tty *t, int sig)
{
	(void)t;
	sigs[nsigs++] = sig;
}

static void
cap_wakeup(struct tty *t)
{
	(void)t;
	wakeups++;
}

static const struct tty_ops ops = { cap_output, cap_signal, cap_wakeup };

static void
setup(void)
{
	tty_init(&tp, &ops, NULL);
	outlen = 0;
	out[0] = '\0';
	nsigs = wakeups = 0;
}

TestSuite(tty, .init = setup);

static void
type(const char *s)
{
	tty_input(&tp, s, strlen(s));
}

/* Reads once; returns the bytes as a string. */
static const char *
readline(bool *eof)
{
	static char buf[TTY_QSIZE + 1];
	size_t n;

	n = tty_read(&tp, buf, sizeof(buf) - 1, eof);
	buf[n] = '\0';
	return (buf);
}

Test(tty, cooked_line_with_echo_and_crnl)
{
	bool eof;

	type("ls -l");
	cr_assert(!tty_readable(&tp), "no line yet");
	type("\r");
	cr_assert(tty_readable(&tp));
	cr_assert_str_eq(readline(&eof), "ls -l\n");
	cr_assert(!eof);
	cr_assert_str_eq(out, "ls -l\r\n", "echo: %s", out);
	cr_assert_eq(wakeups, 1);
	cr_assert(!tty_readable(&tp));
}

Test(tty, erase_kill_and_word_erase)
{
	bool eof;

	type("abx\x7f"
	     "c\n");
	cr_assert_str_eq(readline(&eof), "abc\n");
	cr_assert_not_null(strstr(out, "x\b \bc"), "%s", out);
	type("garbage\x15ok\n");
	cr_assert_str_eq(readline(&eof), "ok\n");
	type("one two  \x17three\n");
	cr_assert_str_eq(readline(&eof), "one three\n");
	/* Erasing at the start of a line does nothing. */
	type("\x7f\x7fz\n");
	cr_assert_str_eq(readline(&eof), "z\n");
}

Test(tty, control_characters_echo_as_caret_and_erase_two_columns)
{
	bool eof;

	type("a\x01");
	cr_assert_str_eq(out, "a^A");
	type("\x7f\n");
	cr_assert_str_eq(out, "a^A\b \b\b \b\r\n");
	cr_assert_str_eq(readline(&eof), "a\n");
}

Test(tty, eof_on_empty_line_and_after_text)
{
	bool eof;

	type("abc\x04");
	cr_assert_str_eq(readline(&eof), "abc", "^D after text ends the line");
	cr_assert(!eof);
	type("\x04");
	cr_assert_str_eq(readline(&eof), "");
	cr_assert(eof, "^D on an empty line is end of file");
}

Test(tty, signals_flush_and_echo)
{
	bool eof;

	type("partial\x03");
	cr_assert_eq(nsigs, 1);
	cr_assert_eq(sigs[0], LT_SIGINT);
	cr_assert_not_null(strstr(out, "^C"));
	type("\n");
	cr_assert_str_eq(readline(&eof), "\n", "the line was flushed");
	type("\x1c\x1a");
	cr_assert_eq(nsigs, 3);
	cr_assert_eq(sigs[1], LT_SIGQUIT);
	cr_assert_eq(sigs[2], LT_SIGTSTP);
}

Test(tty, noflsh_keeps_input_and_no_isig_passes_bytes)
{
	struct linux_termios t;
	bool eof;

	tty_ioctl(&tp, LT_TCGETS, &t);
	t.c_lflag |= LT_NOFLSH;
	tty_ioctl(&tp, LT_TCSETS, &t);
	type("keep\x03\n");
	cr_assert_str_eq(readline(&eof), "keep\n");
	t.c_lflag &= ~(uint32_t)LT_ISIG;
	tty_ioctl(&tp, LT_TCSETS, &t);
	nsigs = 0;
	type("a\x03\n");
	cr_assert_eq(nsigs, 0);
	cr_assert_str_eq(readline(&eof), "a\x03\n");
}

Test(tty, literal_next)
{
	bool eof;

	type("\x16\x03\x16\x7f\n");
	cr_assert_eq(nsigs, 0);
	cr_assert_str_eq(readline(&eof), "\x03\x7f\n");
}

Test(tty, raw_mode_reads_bytes_at_once)
{
	struct linux_termios t;
	char buf[16];
	bool eof;
	size_t n;

	type("half");
	tty_ioctl(&tp, LT_TCGETS, &t);
	t.c_lflag &= ~(uint32_t)(LT_ICANON | LT_ECHO);
	tty_ioctl(&tp, LT_TCSETS, &t);
	cr_assert(tty_readable(&tp), "the partial line becomes input");
	type("\x7fx\r");
	n = tty_read(&tp, buf, sizeof(buf), &eof);
	cr_assert_eq(n, 7);
	cr_assert_eq(memcmp(buf, "half\x7fx\n", 7), 0);
	cr_assert_str_eq(out, "half", "no echo in this mode");
}

Test(tty, output_processing)
{
	struct linux_termios t;

	tty_write(&tp, "a\nb\n", 4);
	cr_assert_str_eq(out, "a\r\nb\r\n");
	outlen = 0;
	tty_ioctl(&tp, LT_TCGETS, &t);
	t.c_oflag &= ~(uint32_t)LT_OPOST;
	tty_ioctl(&tp, LT_TCSETS, &t);
	tty_write(&tp, "a\nb\n", 4);
	cr_assert_str_eq(out, "a\nb\n");
	outlen = 0;
	t.c_oflag = LT_OPOST | LT_OCRNL;
	tty_ioctl(&tp, LT_TCSETS, &t);
	tty_write(&tp, "x\r", 2);
	cr_assert_str_eq(out, "x\n");
	outlen = 0;
	t.c_oflag = LT_OPOST | LT_ONOCR;
	tty_ioctl(&tp, LT_TCSETS, &t);
	tty_write(&tp, "\rx\r", 3);
	cr_assert_str_eq(out, "x\r", "no CR at column 0");
}

Test(tty, input_modes)
{
	struct linux_termios t;
	bool eof;

	tty_ioctl(&tp, LT_TCGETS, &t);
	t.c_iflag = LT_IGNCR;
	tty_ioctl(&tp, LT_TCSETS, &t);
	type("a\rb\n");
	cr_assert_str_eq(readline(&eof), "ab\n");
	t.c_iflag = LT_ISTRIP;
	tty_ioctl(&tp, LT_TCSETS, &t);
	type("\xc1\n");
	cr_assert_str_eq(readline(&eof), "A\n");
}

Test(tty, ioctls)
{
	struct linux_winsize ws = { 50, 132, 0, 0 };
	struct linux_termios t;
	int n, sel;
	bool eof;

	cr_assert_eq(tty_ioctl(&tp, LT_TCGETS, &t), 0);
	cr_assert(t.c_lflag & LT_ICANON);
	cr_assert_eq(t.c_cc[LT_VINTR], 0x03);
	cr_assert_eq(tty_ioctl(&tp, LT_TIOCSWINSZ, &ws), 0);
	cr_assert_eq(nsigs, 1);
	cr_assert_eq(sigs[0], LT_SIGWINCH);
	cr_assert_eq(tty_ioctl(&tp, LT_TIOCSWINSZ, &ws), 0);
	cr_assert_eq(nsigs, 1, "no SIGWINCH without a change");
	memset(&ws, 0, sizeof(ws));
	tty_ioctl(&tp, LT_TIOCGWINSZ, &ws);
	cr_assert_eq(ws.ws_col, 132);
	type("abc");
	tty_ioctl(&tp, LT_FIONREAD, &n);
	cr_assert_eq(n, 0, "no complete line yet");
	type("\n");
	tty_ioctl(&tp, LT_FIONREAD, &n);
	cr_assert_eq(n, 4);
	sel = 0;
	cr_assert_eq(tty_ioctl(&tp, LT_TCFLSH, &sel), 0);
	cr_assert(!tty_readable(&tp));
	sel = 7;
	cr_assert_eq(tty_ioctl(&tp, LT_TCFLSH, &sel), EINVAL);
	cr_assert_eq(tty_ioctl(&tp, 0x1234, &n), ENOTTY);
	type("x\n");
	tty_ioctl(&tp, LT_TCGETS, &t);
	cr_assert_eq(tty_ioctl(&tp, LT_TCSETSF, &t), 0);
	cr_assert(!tty_readable(&tp), "TCSETSF flushes input");
	(void)eof;
}

Test(tty, overlong_line_is_cut_not_overflowed)
{
	static char big[TTY_QSIZE + 100];
	bool eof;

	memset(big, 'q', sizeof(big));
	tty_input(&tp, big, sizeof(big));
	type("\n");
	cr_assert_eq(strlen(readline(&eof)), TTY_QSIZE);
}
