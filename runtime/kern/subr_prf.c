/*
 * subr_prf.c - kernel formatted output: kvsnprintf(), ksnprintf(),
 * kprintf() and kvprintf().
 *
 * One formatter serves every entry point.  It writes through a small sink
 * that either fills a caller's buffer (the snprintf family) or fills a
 * buffer on the stack and hands it to host_console_write() whenever it is
 * full and once at the end (the printf family).  Nothing here allocates,
 * takes a lock or keeps state between calls, so all four functions are
 * safe to call from host signal handlers and from several cpus at once.
 *
 * The output of the supported conversions is byte for byte what the host C
 * library's snprintf(3) produces for the same format and arguments,
 * including its choices where the C standard leaves room: a null %s prints
 * "(null)" (or nothing when the precision is below 6), a null %p prints
 * "(nil)", '0' does not pad %s and %c, and %p honours '+' and ' '.
 * Conversions the kernel does not support (floating point, %n) are copied
 * to the output as written and consume no argument.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/kern/kern.h"

/*
 * Bytes kprintf() collects before writing to the console.  Output shorter
 * than this reaches the console in one write, which keeps lines from
 * different cpus from interleaving.
 */
#define KPRINTF_BUFSIZE 1024

/* Conversion flags. */
#define PRF_MINUS 0x01 /* '-': left-justify */
#define PRF_ZERO  0x02 /* '0': pad numbers with zeros */
#define PRF_PLUS  0x04 /* '+': always print a sign */
#define PRF_SPACE 0x08 /* ' ': a space where a plus sign would go */
#define PRF_ALT	  0x10 /* '#': 0x prefix, leading octal zero */

enum prf_length {
	PRF_LEN_NONE,
	PRF_LEN_HH,
	PRF_LEN_H,
	PRF_LEN_L,
	PRF_LEN_LL,
	PRF_LEN_J,
	PRF_LEN_Z,
	PRF_LEN_T
};

/* One parsed conversion specification. */
struct prf_spec {
	unsigned flags;
	int width; /* 0 when not given */
	int prec;  /* -1 when not given */
	enum prf_length length;
};

/*
 * Where output goes.  buf holds up to cap bytes; when it is full, a
 * console sink writes it out and starts over, a string sink drops the rest
 * and only counts.
 */
struct prf_sink {
	char *buf;
	size_t cap;
	size_t pos;   /* bytes in buf */
	size_t total; /* bytes the output needs in all */
	bool console;
};

static void
prf_flush(struct prf_sink *s)
{
	if (s->console && s->pos > 0) {
		host_console_write(s->buf, s->pos);
		s->pos = 0;
	}
}

static void
prf_put(struct prf_sink *s, const char *p, size_t len)
{
	size_t n;

	s->total += len;
	while (len > 0) {
		if (s->pos == s->cap) {
			if (!s->console)
				return;
			prf_flush(s);
		}
		n = s->cap - s->pos;
		if (n > len)
			n = len;
		memcpy(s->buf + s->pos, p, n);
		s->pos += n;
		p += n;
		len -= n;
	}
}

static void
prf_pad(struct prf_sink *s, char c, int count)
{
	static const char zeros[16] = "0000000000000000";
	static const char spaces[16] = "                ";
	const char *src = c == '0' ? zeros : spaces;

	while (count > 0) {
		int n = count < 16 ? count : 16;

		prf_put(s, src, (size_t)n);
		count -= n;
	}
}

/* Writes len bytes of p within the field width, honouring '-'. */
static void
prf_field(struct prf_sink *s, const struct prf_spec *sp, const char *p,
    size_t len)
{
	int pad = 0;

	if (sp->width > 0 && (size_t)sp->width > len)
		pad = sp->width - (int)len;
	if (!(sp->flags & PRF_MINUS))
		prf_pad(s, ' ', pad);
	prf_put(s, p, len);
	if (sp->flags & PRF_MINUS)
		prf_pad(s, ' ', pad);
}

/*
 * Writes one number.  v is the magnitude, neg its sign; sign says whether
 * '+' and ' ' apply; prefix is "0x", "0X" or "".
 */
static void
prf_number(struct prf_sink *s, const struct prf_spec *sp, uintmax_t v, bool neg,
    bool sign, unsigned base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char dig[sizeof(uintmax_t) * CHAR_BIT / 3 + 2];
	char sc = 0;
	int n = 0, zeros = 0, len, pad = 0;
	size_t plen = strlen(prefix);

	if (v != 0 || sp->prec != 0) {
		do {
			dig[sizeof(dig) - 1 - n++] = digits[v % base];
			v /= base;
		} while (v != 0);
	}
	if (sp->prec > n)
		zeros = sp->prec - n;
	/* '#' with %o: the first digit printed must be a zero. */
	if (base == 8 && (sp->flags & PRF_ALT) && zeros == 0 &&
	    (n == 0 || dig[sizeof(dig) - n] != '0'))
		zeros = 1;
	if (neg)
		sc = '-';
	else if (sign && (sp->flags & PRF_PLUS))
		sc = '+';
	else if (sign && (sp->flags & PRF_SPACE))
		sc = ' ';
	len = (sc != 0) + (int)plen + zeros + n;
	if (sp->width > len)
		pad = sp->width - len;
	if (sp->flags & PRF_MINUS) {
		/* Padding goes after the number. */
	} else if ((sp->flags & PRF_ZERO) && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	} else {
		prf_pad(s, ' ', pad);
		pad = 0;
	}
	if (sc != 0)
		prf_put(s, &sc, 1);
	prf_put(s, prefix, plen);
	prf_pad(s, '0', zeros);
	prf_put(s, dig + sizeof(dig) - n, (size_t)n);
	prf_pad(s, ' ', pad);
}

static intmax_t
prf_arg_signed(enum prf_length length, va_list *ap)
{
	switch (length) {
	case PRF_LEN_HH:
		return (signed char)va_arg(*ap, int);
	case PRF_LEN_H:
		return (short)va_arg(*ap, int);
	case PRF_LEN_L:
		return va_arg(*ap, long);
	case PRF_LEN_LL:
		return va_arg(*ap, long long);
	case PRF_LEN_J:
		return va_arg(*ap, intmax_t);
	case PRF_LEN_Z:
	case PRF_LEN_T:
		/* ISO C has no ssize_t; ptrdiff_t has size_t's size here. */
		return va_arg(*ap, ptrdiff_t);
	case PRF_LEN_NONE:
		break;
	}
	return va_arg(*ap, int);
}

static uintmax_t
prf_arg_unsigned(enum prf_length length, va_list *ap)
{
	switch (length) {
	case PRF_LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned);
	case PRF_LEN_H:
		return (unsigned short)va_arg(*ap, unsigned);
	case PRF_LEN_L:
		return va_arg(*ap, unsigned long);
	case PRF_LEN_LL:
		return va_arg(*ap, unsigned long long);
	case PRF_LEN_J:
		return va_arg(*ap, uintmax_t);
	case PRF_LEN_Z:
		return va_arg(*ap, size_t);
	case PRF_LEN_T:
		return (size_t)va_arg(*ap, ptrdiff_t);
	case PRF_LEN_NONE:
		break;
	}
	return va_arg(*ap, unsigned);
}

/* Reads decimal digits at *fmtp, saturating at INT_MAX. */
static int
prf_atoi(const char **fmtp)
{
	const char *p = *fmtp;
	int v = 0;

	while (*p >= '0' && *p <= '9') {
		int d = *p++ - '0';

		v = v > (INT_MAX - d) / 10 ? INT_MAX : v * 10 + d;
	}
	*fmtp = p;
	return v;
}

/*
 * Parses flags, width, precision and length at *fmtp (just past the '%'),
 * taking '*' values from the arguments.  Leaves *fmtp at the conversion.
 */
static void
prf_parse(const char **fmtp, struct prf_spec *sp, va_list *ap)
{
	const char *p = *fmtp;

	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	sp->length = PRF_LEN_NONE;
	for (;; p++) {
		if (*p == '-')
			sp->flags |= PRF_MINUS;
		else if (*p == '0')
			sp->flags |= PRF_ZERO;
		else if (*p == '+')
			sp->flags |= PRF_PLUS;
		else if (*p == ' ')
			sp->flags |= PRF_SPACE;
		else if (*p == '#')
			sp->flags |= PRF_ALT;
		else
			break;
	}
	if (*p == '*') {
		int w = va_arg(*ap, int);

		p++;
		if (w < 0) {
			sp->flags |= PRF_MINUS;
			w = w == INT_MIN ? INT_MAX : -w;
		}
		sp->width = w;
	} else
		sp->width = prf_atoi(&p);
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int pr = va_arg(*ap, int);

			p++;
			sp->prec = pr < 0 ? -1 : pr;
		} else
			sp->prec = prf_atoi(&p);
	}
	switch (*p) {
	case 'h':
		p++;
		sp->length = PRF_LEN_H;
		if (*p == 'h') {
			p++;
			sp->length = PRF_LEN_HH;
		}
		break;
	case 'l':
		p++;
		sp->length = PRF_LEN_L;
		if (*p == 'l') {
			p++;
			sp->length = PRF_LEN_LL;
		}
		break;
	case 'q':
		p++;
		sp->length = PRF_LEN_LL;
		break;
	case 'j':
		p++;
		sp->length = PRF_LEN_J;
		break;
	case 'z':
		p++;
		sp->length = PRF_LEN_Z;
		break;
	case 't':
		p++;
		sp->length = PRF_LEN_T;
		break;
	}
	*fmtp = p;
}

/* Handles %s: a null pointer prints as the host library prints it. */
static void
prf_string(struct prf_sink *s, const struct prf_spec *sp, const char *str)
{
	size_t len = 0;

	if (str == NULL)
		str = sp->prec < 0 || sp->prec >= 6 ? "(null)" : "";
	while (str[len] != '\0' && (sp->prec < 0 || len < (size_t)sp->prec))
		len++;
	prf_field(s, sp, str, len);
}

static void
prf_format(struct prf_sink *s, const char *fmt, va_list ap)
{
	struct prf_spec sp;
	const char *start, *p;
	va_list aq;

	/* A copy, so that helpers can take a pointer to it portably. */
	va_copy(aq, ap);
	for (p = fmt; *p != '\0';) {
		if (*p != '%') {
			start = p;
			while (*p != '\0' && *p != '%')
				p++;
			prf_put(s, start, (size_t)(p - start));
			continue;
		}
		start = p++;
		prf_parse(&p, &sp, &aq);
		switch (*p) {
		case 'd':
		case 'i': {
			intmax_t v = prf_arg_signed(sp.length, &aq);

			prf_number(s, &sp,
			    v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v,
			    v < 0, true, 10, false, "");
			break;
		}
		case 'u':
			prf_number(s, &sp, prf_arg_unsigned(sp.length, &aq),
			    false, false, 10, false, "");
			break;
		case 'o':
			prf_number(s, &sp, prf_arg_unsigned(sp.length, &aq),
			    false, false, 8, false, "");
			break;
		case 'x':
		case 'X': {
			uintmax_t v = prf_arg_unsigned(sp.length, &aq);
			const char *pre = "";

			if ((sp.flags & PRF_ALT) && v != 0)
				pre = *p == 'x' ? "0x" : "0X";
			prf_number(s, &sp, v, false, false, 16, *p == 'X', pre);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(aq, void *);

			if (v == 0) {
				sp.prec = -1;
				prf_string(s, &sp, "(nil)");
			} else
				prf_number(s, &sp, v, false, true, 16, false,
				    "0x");
			break;
		}
		case 'c': {
			char c = (char)va_arg(aq, int);

			prf_field(s, &sp, &c, 1);
			break;
		}
		case 's':
			prf_string(s, &sp, va_arg(aq, const char *));
			break;
		case '%':
			prf_put(s, "%", 1);
			break;
		case '\0':
			/* A lone '%' at the end: keep what was written. */
			prf_put(s, start, (size_t)(p - start));
			continue;
		default:
			/* Unsupported: copy it, consume nothing more. */
			prf_put(s, start, (size_t)(p - start) + 1);
			break;
		}
		p++;
	}
	va_end(aq);
}

static int
prf_result(size_t total)
{
	return total > INT_MAX ? INT_MAX : (int)total;
}

/*
 * Formats into buf, which holds size bytes; the result is always
 * NUL-terminated when size > 0.  buf may be NULL when size is 0.
 * Returns the length the whole output needs, not counting the NUL
 * (INT_MAX if it needs more).
 */
int
kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct prf_sink s = {
		.buf = buf,
		.cap = size > 0 ? size - 1 : 0,
		.console = false,
	};

	prf_format(&s, fmt, ap);
	if (size > 0)
		buf[s.pos] = '\0';
	return prf_result(s.total);
}

/* As kvsnprintf(), with the arguments given directly. */
int
ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Formats to the console.  Output of up to KPRINTF_BUFSIZE bytes is
 * written with one host_console_write() call, longer output in chunks of
 * that size.  Returns the number of bytes written (INT_MAX if more).
 */
int
kvprintf(const char *fmt, va_list ap)
{
	char buf[KPRINTF_BUFSIZE];
	struct prf_sink s = {
		.buf = buf,
		.cap = sizeof(buf),
		.console = true,
	};

	prf_format(&s, fmt, ap);
	prf_flush(&s);
	return prf_result(s.total);
}

/* As kvprintf(), with the arguments given directly. */
int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
