/*
 * db_io.c - the debugger's console: formatted output, line input with
 * echo and erase, and addresses printed as symbols.
 *
 * Output is formatted by the kernel's kvsnprintf() into a buffer on the
 * stack and written through db_ops, so that the unit tests can capture
 * it; nothing here takes a lock (the cpus may be held with locks taken).
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "runtime/ddb/db_private.h"
#include "runtime/kern/kern.h"

#define DB_OUTPUT_MAX 512 /* longest single db_printf() */

const struct db_ops *db_ops;

void
db_printf(const char *fmt, ...)
{
	char buf[DB_OUTPUT_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	db_ops->write(buf, (size_t)n);
}

int
db_readline(char *buf, size_t size)
{
	size_t len = 0;
	int c;

	for (;;) {
		c = db_ops->getc();
		if (c == DB_INPUT_EOF || c == DB_INPUT_SIGNAL) {
			buf[0] = '\0';
			return (c);
		}
		switch (c) {
		case '\r':
		case '\n':
			db_printf("\n");
			buf[len] = '\0';
			return ((int)len);
		case '\b':
		case 0x7f:
			if (len > 0) {
				len--;
				db_printf("\b \b");
			}
			break;
		case 0x15: /* ^U: kill the line */
			while (len > 0) {
				len--;
				db_printf("\b \b");
			}
			break;
		default:
			/* Other control characters are dropped, not echoed. */
			if (c < ' ' || c > '~' || len + 1 >= size)
				break;
			buf[len++] = (char)c;
			db_printf("%c", c);
		}
	}
}

void
db_printsym(uintptr_t addr)
{
	char name[DB_NAME_MAX];
	uintptr_t off;

	if (db_ops->sym_name(addr, name, sizeof(name), &off) != 0)
		db_printf("0x%lx", (unsigned long)addr);
	else if (off == 0)
		db_printf("%s", name);
	else
		db_printf("%s+%#lx", name, (unsigned long)off);
}
