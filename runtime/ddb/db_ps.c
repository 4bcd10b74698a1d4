/*
 * db_ps.c - ps (and show all procs): the processes and the kernel
 * threads.
 *
 * The process table comes with the processes issue; until then ps says
 * that there are none and lists the kernel's threads: one host thread per
 * virtual cpu and the interrupt thread, each with the kernel's view of it
 * (run, idle, intr), what the debugger did to it (held, or running the
 * debugger) and where it stopped.
 */
#include <stdbool.h>
#include <stdint.h>

#include "runtime/ddb/db_private.h"
#include "runtime/kern/kern.h"

/* The thread that runs the debugger: for the last line. */
static const struct db_thread *
db_ps_self(const struct db_thread *t, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (t[i].debugger)
			return (&t[i]);
	return (NULL);
}

static void
db_ps_thread(const struct db_thread *t)
{
	char name[16];

	if (t->cpuid == HOST_DDB_INTR)
		ksnprintf(name, sizeof(name), "intr");
	else
		ksnprintf(name, sizeof(name), "cpu%d", t->cpuid);
	db_printf("%7d  %-6s %-5s %-9s ", t->tid, name, t->state,
	    t->debugger ? "debugger" :
		t->held ? "stopped" :
			  "running");
	if (t->pc != 0)
		db_printsym((uintptr_t)t->pc);
	else
		db_printf("-");
	db_printf("\n");
}

int
db_ps_cmd(const struct db_cmdargs *args)
{
	struct db_thread t[DB_THREAD_MAX];
	const struct db_thread *self;
	int n, i;

	(void)args;
	db_printf("  pid   proc     uid  ppid  pgrp  flag stat wmesg   wchan"
		  "   cmd\n");
	/* XXX the process table arrives with the processes issue. */
	db_printf("No processes: init has not been started.\n");
	db_printf("\n    tid  thread state ddb       pc\n");
	n = db_ops->threads(t, DB_THREAD_MAX);
	for (i = 0; i < n; i++)
		db_ps_thread(&t[i]);
	self = db_ps_self(t, n);
	if (self != NULL && self->cpuid != HOST_DDB_INTR)
		db_printf("CURCPU %d CURTHREAD cpu%d (tid %d)\n", db_cpu,
		    self->cpuid, self->tid);
	else if (self != NULL)
		db_printf("CURCPU %d CURTHREAD intr (tid %d)\n", db_cpu,
		    self->tid);
	else
		db_printf("CURCPU %d\n", db_cpu);
	return (0);
}
