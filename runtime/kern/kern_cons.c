/*
 * kern_cons.c - console input for the kernel.
 *
 * The interrupt thread hands every byte typed on the console to
 * cons_input(), which keeps it in a ring; kernel threads take bytes out
 * with cons_getc() and cons_gets().  When the ring is full the oldest
 * input is kept and new bytes are dropped, as a terminal's input queue
 * does.
 */
#include "runtime/kern/kern.h"

#define CONS_RING 4096

static host_mutex_t cons_lock;
static host_cond_t cons_cv;
static unsigned char cons_ring[CONS_RING];
static size_t cons_head, cons_tail; /* head: next to read */
static bool cons_ready;
static void (*cons_sink)(const char *, size_t);

/* Called early in the boot, before the interrupt thread starts. */
void
cons_init(void)
{
	host_mutex_init(&cons_lock);
	host_cond_init(&cons_cv);
	cons_ready = true;
}

void
cons_input(const char *buf, size_t len)
{
	size_t i;

	void (*sink)(const char *, size_t);

	if (!cons_ready)
		return;
	host_mutex_lock(&cons_lock);
	if ((sink = cons_sink) != NULL) {
		/* The console's terminal owns the input now. */
		host_mutex_unlock(&cons_lock);
		sink(buf, len);
		return;
	}
	for (i = 0; i < len; i++) {
		if (cons_tail - cons_head == CONS_RING)
			break;
		cons_ring[cons_tail++ % CONS_RING] = (unsigned char)buf[i];
	}
	host_cond_broadcast(&cons_cv);
	host_mutex_unlock(&cons_lock);
}

int
cons_getc(void)
{
	int c;

	host_mutex_lock(&cons_lock);
	/* Waiting for the console is idle time of this cpu. */
	cpu_infos[curcpu].idle = true;
	while (cons_head == cons_tail)
		host_cond_wait(&cons_cv, &cons_lock);
	cpu_infos[curcpu].idle = false;
	c = cons_ring[cons_head++ % CONS_RING];
	host_mutex_unlock(&cons_lock);
	return (c);
}

size_t
cons_gets(char *buf, size_t size)
{
	size_t len = 0;
	int c;

	for (;;) {
		c = cons_getc();
		switch (c) {
		case '\r':
		case '\n':
			kprintf("\n");
			buf[len] = '\0';
			return (len);
		case '\b':
		case 0x7f:
			if (len > 0) {
				len--;
				kprintf("\b \b");
			}
			break;
		case 0x15: /* ^U: erase the line */
			while (len > 0) {
				len--;
				kprintf("\b \b");
			}
			break;
		default:
			if (c < ' ' || len + 1 >= size)
				break;
			buf[len++] = (char)c;
			kprintf("%c", c);
		}
	}
}

size_t
cons_redirect(void (*sink)(const char *buf, size_t len), char *pending,
    size_t size)
{
	size_t n = 0;

	host_mutex_lock(&cons_lock);
	while (cons_head != cons_tail && n < size)
		pending[n++] = (char)cons_ring[cons_head++ % CONS_RING];
	cons_sink = sink;
	host_mutex_unlock(&cons_lock);
	return (n);
}
