/*
 * db_examine.c - print, examine and write: values and kernel memory.
 *
 *	print[/axzodurc] expr ...
 *	examine[/modifiers] [addr][,count]	(also x/4x addr, as in gdb)
 *	write[/bhlg] addr expr ...
 *
 * Modifiers follow BSD's ddb: a size (b 1, h 2, l 4, g 8 bytes; l by
 * default) and a format (x hex, z signed hex, d signed decimal, u
 * unsigned, o octal, r signed in the current radix, c characters, s a
 * NUL-terminated string, a an address as a symbol, i instructions, which
 * this kernel cannot disassemble).  Memory is read and written through
 * db_ops, which fails on a bad address instead of faulting.  Writing
 * needs a kernel booted with -U (the sysctl kern.kmem_writable).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "runtime/ddb/db_private.h"
#include "runtime/kern/kern.h"
#include "runtime/kern/sysctl.h"

#define DB_LINE_BYTES 16  /* bytes of numeric items per examine line */
#define DB_STRING_MAX 256 /* longest string x/s prints */
#define DB_CHARS_LINE 64  /* characters per x/c line */

/* A parsed set of modifiers. */
struct db_format {
	int size;  /* bytes per item */
	char fmt;  /* format letter */
	int count; /* digits given in the modifiers, else 0 */
};

/* Parses modif; returns 0 or EINVAL after saying which letter is bad. */
static int
db_parse_format(const char *modif, const char *allowed, struct db_format *f)
{
	const char *p;

	f->size = 4;
	f->fmt = 'x';
	f->count = 0;
	for (p = modif; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (f->count < 100000)
				f->count = f->count * 10 + (*p - '0');
			continue;
		}
		if (strchr(allowed, *p) == NULL) {
			db_printf("Bad modifier '%c'\n", *p);
			return (EINVAL);
		}
		switch (*p) {
		case 'b':
			f->size = 1;
			break;
		case 'h':
			f->size = 2;
			break;
		case 'l':
			f->size = 4;
			break;
		case 'g':
			f->size = 8;
			break;
		default:
			f->fmt = *p;
		}
	}
	/* Characters are bytes and addresses are pointers, whatever the
	 * size letter says. */
	if (f->fmt == 'c' || f->fmt == 's')
		f->size = 1;
	else if (f->fmt == 'a')
		f->size = 8;
	return (0);
}

/* Sign-extends the low size bytes of v. */
static int64_t
db_sign_extend(uint64_t v, int size)
{
	int shift = 64 - 8 * size;

	if (shift == 0)
		return ((int64_t)v);
	v <<= shift;
	return ((int64_t)v >> shift); /* arithmetic shift (gcc, clang) */
}

static void
db_read_failed(uintptr_t addr)
{
	db_printf("Cannot read memory at 0x%lx\n", (unsigned long)addr);
}

/* Reads a little-endian item of size bytes; 0 or EFAULT. */
static int
db_read_item(uintptr_t addr, int size, uint64_t *valp)
{
	unsigned char b[8];
	uint64_t v = 0;
	int i;

	if (db_ops->read_mem(addr, b, (size_t)size) != 0)
		return (EFAULT);
	for (i = size - 1; i >= 0; i--)
		v = (v << 8) | b[i];
	*valp = v;
	return (0);
}

/* Formats one character as x/c and p/c do: itself or \ooo. */
static int
db_format_char(char *buf, size_t size, unsigned c)
{
	c &= 0xff;
	if (c >= ' ' && c <= '~')
		return (ksnprintf(buf, size, "%c", (int)c));
	return (ksnprintf(buf, size, "\\%03o", c));
}

/* A signed value in the current radix, with its sign. */
static int
db_format_signed_radix(char *buf, size_t size, int64_t sv)
{
	uint64_t mag = sv < 0 ? 0 - (uint64_t)sv : (uint64_t)sv;
	const char *sign = sv < 0 ? "-" : "";

	if (db_radix == 10)
		return (ksnprintf(buf, size, "%s%llu", sign,
		    (unsigned long long)mag));
	if (db_radix == 8)
		return (ksnprintf(buf, size, "%s%llo", sign,
		    (unsigned long long)mag));
	return (ksnprintf(buf, size, "%s%llx", sign, (unsigned long long)mag));
}

/*
 * Formats value (an item of size bytes) in the numeric format fmt into
 * buf.  Returns the length.
 */
static int
db_format_value(char *buf, size_t size, char fmt, uint64_t v, int isize)
{
	int64_t sv = db_sign_extend(v, isize);
	uint64_t mag;

	if (isize < 8)
		v &= ((uint64_t)1 << (8 * isize)) - 1;
	switch (fmt) {
	case 'd':
		return (ksnprintf(buf, size, "%lld", (long long)sv));
	case 'u':
		return (ksnprintf(buf, size, "%llu", (unsigned long long)v));
	case 'o':
		return (ksnprintf(buf, size, "%llo", (unsigned long long)v));
	case 'z':
		mag = sv < 0 ? 0 - (uint64_t)sv : (uint64_t)sv;
		return (ksnprintf(buf, size, "%s%llx", sv < 0 ? "-" : "",
		    (unsigned long long)mag));
	case 'r':
		return (db_format_signed_radix(buf, size, sv));
	case 'c':
		return (db_format_char(buf, size, (unsigned)v));
	case 'x':
	default:
		return (ksnprintf(buf, size, "%llx", (unsigned long long)v));
	}
}

/* The widest a value of isize bytes gets in fmt: for the columns. */
static int
db_format_width(char fmt, int isize)
{
	static const int dec[9] = { 0, 4, 6, 0, 11, 0, 0, 0, 20 };
	static const int oct[9] = { 0, 3, 6, 0, 11, 0, 0, 0, 22 };

	switch (fmt) {
	case 'd':
	case 'u':
	case 'r':
		return (dec[isize]);
	case 'o':
		return (oct[isize]);
	case 'z':
		return (isize * 2 + 1);
	default:
		return (isize * 2);
	}
}

int
db_print_cmd(const struct db_cmdargs *args)
{
	struct db_format f;
	char buf[80];
	uint64_t v;

	if (db_parse_format(args->modif, "axzodurc", &f) != 0)
		return (0);
	if (!db_expr_present(args->lx)) {
		db_printf("Syntax error\n");
		return (0);
	}
	while (db_expr_present(args->lx)) {
		if (db_expression(args->lx, &v) != 0)
			return (0);
		if (f.fmt == 'a') {
			db_printsym((uintptr_t)v);
		} else {
			db_format_value(buf, sizeof(buf), f.fmt, v, 8);
			db_printf("%s", buf);
		}
		db_printf("\n");
	}
	return (0);
}

/* x/s: one string; returns the address after its NUL, or 0 on error. */
static uintptr_t
db_examine_string(uintptr_t addr)
{
	char buf[8];
	uint64_t c;
	int n;

	if (db_read_item(addr, 1, &c) != 0) {
		db_read_failed(addr);
		return (0);
	}
	db_printsym(addr);
	db_printf(":\t");
	for (n = 0; n < DB_STRING_MAX; n++) {
		if (db_read_item(addr, 1, &c) != 0) {
			db_printf("\n");
			db_read_failed(addr);
			return (0);
		}
		addr++;
		if (c == 0)
			break;
		db_format_char(buf, sizeof(buf), (unsigned)c);
		db_printf("%s", buf);
	}
	db_printf("\n");
	return (addr);
}

/*
 * Examines count items of f at addr; items of a line follow a
 * "symbol+off:" label.  Returns the address after the last item read.
 */
static uintptr_t
db_examine(uintptr_t addr, const struct db_format *f, int count)
{
	int per_line, width, pad = 0, len, i;
	char buf[80];
	uint64_t v;

	per_line = f->fmt == 'c' ? DB_CHARS_LINE :
	    f->fmt == 'a'	 ? 1 :
				   DB_LINE_BYTES / f->size;
	/* Columns for numbers; characters go side by side. */
	width = f->fmt == 'c' ? 0 : db_format_width(f->fmt, f->size) + 1;
	for (i = 0; i < count; i++) {
		if (f->fmt == 's') {
			if ((addr = db_examine_string(addr)) == 0)
				return (0);
			continue;
		}
		if (db_read_item(addr, f->size, &v) != 0) {
			if (i % per_line != 0)
				db_printf("\n");
			db_read_failed(addr);
			return (addr);
		}
		if (i % per_line == 0) {
			db_printsym(addr);
			db_printf(":\t");
		} else {
			/* The previous item's padding, never at a line end. */
			db_printf("%*s", pad, "");
		}
		addr += (uintptr_t)f->size;
		if (f->fmt == 'a') {
			db_printsym((uintptr_t)v);
		} else {
			len = db_format_value(buf, sizeof(buf), f->fmt, v,
			    f->size);
			db_printf("%s", buf);
			pad = width == 0 ? 0 : len < width ? width - len : 1;
		}
		if (i % per_line == per_line - 1 || i == count - 1)
			db_printf("\n");
	}
	return (addr);
}

int
db_examine_cmd(const struct db_cmdargs *args)
{
	static struct db_format last = { .size = 4, .fmt = 'x', .count = 1 };
	struct db_format f;
	uint64_t addr, count;
	uintptr_t next;

	addr = db_next;
	if (args->repeat) {
		/* An empty line: the same again, where the last one ended. */
		f = last;
		count = (uint64_t)last.count;
	} else {
		if (db_parse_format(args->modif, "bhlgxzdurocsai", &f) != 0)
			return (0);
		if (args->modif[0] == '\0')
			f = last; /* BSD: the format of the previous examine */
		count = args->modif[0] != '\0' && f.count > 0 ?
		    (uint64_t)f.count :
		    1;
		if (db_expr_present(args->lx) &&
		    db_expression(args->lx, &addr) != 0)
			return (0);
		if (db_lex_accept(args->lx, ',') &&
		    db_expression(args->lx, &count) != 0)
			return (0);
		if (!db_lex_eol(args->lx)) {
			db_printf("Syntax error\n");
			return (0);
		}
	}
	if (f.fmt == 'i') {
		db_printf("No disassembler in this kernel: try x/x\n");
		return (0);
	}
	if (count == 0)
		count = 1;
	if (count > 4096)
		count = 4096;
	last = f;
	last.count = (int)count;
	next = db_examine((uintptr_t)addr, &f, (int)count);
	if (next != 0)
		db_next = next;
	return (0);
}

/* Whether -U made kernel memory writable (kern.kmem_writable). */
static bool
db_kmem_writable(void)
{
	int32_t v = 0;
	size_t len = sizeof(v);

	if (sysctl_byname("kern.kmem_writable", &v, &len, NULL, 0) != 0)
		return (false);
	return (v != 0);
}

int
db_write_cmd(const struct db_cmdargs *args)
{
	unsigned char b[8];
	struct db_format f;
	uint64_t addr, old, v;
	int i;

	if (db_parse_format(args->modif, "bhlg", &f) != 0)
		return (0);
	if (!db_kmem_writable()) {
		db_printf("kernel memory is read-only (boot with -U)\n");
		return (0);
	}
	if (!db_expr_present(args->lx) || db_expression(args->lx, &addr) != 0)
		goto syntax;
	if (!db_expr_present(args->lx))
		goto syntax;
	while (db_expr_present(args->lx)) {
		if (db_expression(args->lx, &v) != 0)
			return (0);
		if (db_read_item((uintptr_t)addr, f.size, &old) != 0) {
			db_read_failed((uintptr_t)addr);
			return (0);
		}
		for (i = 0; i < f.size; i++)
			b[i] = (unsigned char)(v >> (8 * i));
		if (db_ops->write_mem((uintptr_t)addr, b, (size_t)f.size) !=
		    0) {
			db_printf("Cannot write memory at 0x%lx\n",
			    (unsigned long)addr);
			return (0);
		}
		if (f.size < 8)
			v &= ((uint64_t)1 << (8 * f.size)) - 1;
		db_printsym((uintptr_t)addr);
		db_printf("\t\t%#llx\t=\t%#llx\n", (unsigned long long)old,
		    (unsigned long long)v);
		addr += (uint64_t)f.size;
	}
	db_next = (uintptr_t)addr;
	return (0);
syntax:
	db_printf("Syntax error\n");
	return (0);
}
