/*
 * linux_termios.h - the terminal interface of the Linux x86-64 system-call
 * ABI that guest programs use: struct termios as the TCGETS/TCSETS ioctls
 * pass it (the kernel's layout, NCCS 19, no speed fields), its flag bits,
 * the control-character indexes, struct winsize and the ioctl numbers.
 * Values are the ABI's; names carry an LT_ prefix so that they never clash
 * with a host header.
 */
#ifndef RUNTIME_SYS_LINUX_TERMIOS_H
#define RUNTIME_SYS_LINUX_TERMIOS_H

#include <stdint.h>

#define LT_NCCS 19

struct linux_termios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[LT_NCCS];
};
_Static_assert(sizeof(struct linux_termios) == 36, "Linux termios size");

struct linux_winsize {
	uint16_t ws_row;
	uint16_t ws_col;
	uint16_t ws_xpixel;
	uint16_t ws_ypixel;
};

/* c_cc indexes. */
#define LT_VINTR    0
#define LT_VQUIT    1
#define LT_VERASE   2
#define LT_VKILL    3
#define LT_VEOF	    4
#define LT_VTIME    5
#define LT_VMIN	    6
#define LT_VSTART   8
#define LT_VSTOP    9
#define LT_VSUSP    10
#define LT_VEOL	    11
#define LT_VREPRINT 12
#define LT_VWERASE  14
#define LT_VLNEXT   15
#define LT_VEOL2    16

/* c_iflag. */
#define LT_IGNBRK 0x0001
#define LT_BRKINT 0x0002
#define LT_ISTRIP 0x0020
#define LT_INLCR  0x0040
#define LT_IGNCR  0x0080
#define LT_ICRNL  0x0100
#define LT_IXON	  0x0400
#define LT_IUTF8  0x4000

/* c_oflag. */
#define LT_OPOST  0x01
#define LT_ONLCR  0x04
#define LT_OCRNL  0x08
#define LT_ONOCR  0x10
#define LT_ONLRET 0x20

/* c_cflag. */
#define LT_B38400 0x0000000f
#define LT_CS8	  0x00000030
#define LT_CREAD  0x00000080
#define LT_HUPCL  0x00000400

/* c_lflag. */
#define LT_ISIG	   0x00001
#define LT_ICANON  0x00002
#define LT_ECHO	   0x00008
#define LT_ECHOE   0x00010
#define LT_ECHOK   0x00020
#define LT_ECHONL  0x00040
#define LT_NOFLSH  0x00080
#define LT_TOSTOP  0x00100
#define LT_ECHOCTL 0x00200
#define LT_ECHOKE  0x00800
#define LT_IEXTEN  0x08000

/* ioctl requests. */
#define LT_TCGETS     0x5401
#define LT_TCSETS     0x5402
#define LT_TCSETSW    0x5403
#define LT_TCSETSF    0x5404
#define LT_TCFLSH     0x540B
#define LT_TIOCSCTTY  0x540E
#define LT_TIOCGPGRP  0x540F
#define LT_TIOCSPGRP  0x5410
#define LT_TIOCGWINSZ 0x5413
#define LT_TIOCSWINSZ 0x5414
#define LT_FIONREAD   0x541B
#define LT_TIOCNOTTY  0x5422
#define LT_TIOCGSID   0x5429

/* Signals a terminal raises (Linux numbers). */
#define LT_SIGINT   2
#define LT_SIGQUIT  3
#define LT_SIGTSTP  20
#define LT_SIGTTIN  21
#define LT_SIGTTOU  22
#define LT_SIGWINCH 28

#endif /* RUNTIME_SYS_LINUX_TERMIOS_H */
