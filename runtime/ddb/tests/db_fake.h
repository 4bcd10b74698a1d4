/*
 * db_fake.h - a fake machine (struct db_ops) for the debugger's unit
 * tests: scripted console input, captured output, a small memory with
 * symbols, two cpus (0 held, 1 running) and the interrupt thread.
 *
 * Memory: FAKE_MEM_SIZE bytes at FAKE_BASE, of which the last quarter
 * (from FAKE_RO) refuses writes.  Symbols, in address order:
 *	alpha	FAKE_BASE	 bytes 01 02 03 04 fe ff ff ff
 *	beta	FAKE_BASE + 0x10 "hello\0", then 'A' 0x01
 *	gamma	FAKE_BASE + 0x20 a pointer to beta + 2
 *	text	FAKE_BASE + 0xc0 (read-only)
 * Addresses outside the memory fail with EFAULT.
 */
#ifndef RUNTIME_DDB_TESTS_DB_FAKE_H
#define RUNTIME_DDB_TESTS_DB_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/ddb/db_private.h"

#define FAKE_BASE     0x10000u
#define FAKE_MEM_SIZE 0x100u
#define FAKE_RO	      (FAKE_BASE + 0xc0u)
#define FAKE_ALPHA    FAKE_BASE
#define FAKE_BETA     (FAKE_BASE + 0x10u)
#define FAKE_GAMMA    (FAKE_BASE + 0x20u)
#define FAKE_TEXT     (FAKE_BASE + 0xc0u)
#define FAKE_RIP      (FAKE_TEXT + 4u)
#define FAKE_RSP      0x7ffc0000u

extern unsigned char fake_mem[FAKE_MEM_SIZE];
extern char fake_out[16384]; /* everything written, NUL-terminated */
extern int fake_resets;
extern char fake_panic_msg[64]; /* "" until panic is called */

/*
 * Installs the fake as db_ops with input as the console's bytes; at the
 * end of input getc returns end_code (DB_INPUT_EOF or DB_INPUT_SIGNAL).
 * Resets memory, output and the counters.
 */
void fake_setup(const char *input, int end_code);
/* Forgets the output so far. */
void fake_clear_output(void);
/* Runs one command line and returns the output it produced. */
const char *fake_run(const char *line);
/* Boots the standard sysctl tree with hw.ncpu 4 and kmem_writable. */
void fake_sysctl(bool kmem_writable);

#endif /* RUNTIME_DDB_TESTS_DB_FAKE_H */
