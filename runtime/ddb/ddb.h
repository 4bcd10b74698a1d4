/*
 * ddb.h - the kernel debugger's contract with the rest of the kernel.
 *
 * ddb(4) as in the original: entered with ^\ on the console (SIGQUIT, seen
 * by the interrupt thread), on a panic when debug.debugger_on_panic is
 * set, or by a call to kdb_enter().  While it runs, the virtual cpus are
 * stopped for real (their host threads wait in a signal handler), the
 * console is in debug mode (terminal signal characters enabled) and is
 * read synchronously; leaving restarts the cpus and puts the console back
 * into raw mode.  Commands: help lists them.
 *
 * Under gdb: "handle SIGXCPU nostop noprint pass" (the stop signal of the
 * cpus) and "handle SIGQUIT nostop noprint pass" (^\ reaches ddb).  The
 * console's ^C is off and the host signals are taken by a signalfd, so to
 * get the gdb prompt send the kernel SIGTRAP (kill -TRAP pid), which gdb
 * keeps for itself, or attach with gdb -p pid.
 */
#ifndef RUNTIME_DDB_DDB_H
#define RUNTIME_DDB_DDB_H

/*
 * Prepares the debugger (the host's stop signal, the symbol table) and
 * sets kdb_panic_hook.  Called once by the boot, after the interrupt
 * thread has started and before the virtual cpus are.
 */
void kdb_init(void);

/*
 * The console asked for the debugger (^\, HOST_EV_QUIT).  Called on the
 * interrupt thread; returns when the user continues.
 */
void kdb_console_enter(void);

/*
 * Enters the debugger from kernel code, printing Debugger("why"), and
 * returns when the user continues.  A call from within the debugger
 * (a panic typed at its prompt) nests: a new prompt, without stopping the
 * cpus again.
 */
void kdb_enter(const char *why);

#endif /* RUNTIME_DDB_DDB_H */
