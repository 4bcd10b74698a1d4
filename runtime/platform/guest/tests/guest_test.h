/*
 * guest_test.h - helpers shared by the unit tests of the guest backend:
 * a space with one thread made for each test (guest_fixture_*), loading
 * one of the programs of guest_code.h and running it.
 *
 * Guest layout used by the tests: code at GT_CODE (64 KiB), data at
 * GT_DATA (1 MiB, read-write), a stack below GT_STACK_TOP.
 */
#ifndef RUNTIME_PLATFORM_GUEST_TESTS_GUEST_TEST_H
#define RUNTIME_PLATFORM_GUEST_TESTS_GUEST_TEST_H

#include <criterion/criterion.h>
#include <stdint.h>

#include "runtime/platform/guest/guest.h"
#include "runtime/platform/guest/tests/guest_code.h"

#define GT_CODE	      0x400000ULL
#define GT_CODE_SIZE  0x10000ULL
#define GT_DATA	      0x600000ULL
#define GT_DATA_SIZE  0x100000ULL
#define GT_STACK_TOP  0x7fff00000000ULL
#define GT_STACK_SIZE 0x10000ULL

/* The space and thread of the current test (guest_fixture_setup). */
extern struct guest_space *gt_space;
extern struct guest_thread *gt_thread;

/* Criterion .init: a fresh space with one thread and the layout above. */
void guest_fixture_setup(void);

/* Criterion .fini: destroys what guest_fixture_setup made. */
void guest_fixture_teardown(void);

/*
 * Maps code, data and stack in space and copies the program between start
 * and end to GT_CODE.  Fails the test on error.
 */
void gt_load(struct guest_space *space, const char *start, const char *end);

/* Registers to start at GT_CODE with the stack at GT_STACK_TOP. */
void gt_regs(struct guest_regs *regs);

/* Runs thread once, failing the test if guest_run() returns an error. */
struct guest_event gt_run(struct guest_thread *thread, struct guest_regs *r);

/* Runs until an event that is not a system call answered -ENOSYS. */
struct guest_event gt_run_to_trap(struct guest_thread *thread,
    struct guest_regs *r);

/* Nanoseconds of CLOCK_MONOTONIC. */
uint64_t gt_now(void);

#endif /* !RUNTIME_PLATFORM_GUEST_TESTS_GUEST_TEST_H */
