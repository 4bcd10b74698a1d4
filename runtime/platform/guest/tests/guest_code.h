/*
 * guest_code.h - small position-independent x86-64 guest programs for the
 * tests and the benchmark of the guest backend.  Each lies between
 * gc_<name> and gc_<name>_end and is copied into guest memory, never run
 * on the host.  Register conventions are in guest_code.c.
 */
#ifndef RUNTIME_PLATFORM_GUEST_TESTS_GUEST_CODE_H
#define RUNTIME_PLATFORM_GUEST_TESTS_GUEST_CODE_H

#define GUEST_CODE(name) extern const char gc_##name[], gc_##name##_end[]

GUEST_CODE(getpid_loop);
GUEST_CODE(write_hello);
GUEST_CODE(touch);
GUEST_CODE(load);
GUEST_CODE(trap);
GUEST_CODE(syscall_trap);
GUEST_CODE(int80);
GUEST_CODE(spin);
GUEST_CODE(count);
GUEST_CODE(fpu);
GUEST_CODE(tls);

#define GC_HELLO "hello from the guest\n"

#endif /* !RUNTIME_PLATFORM_GUEST_TESTS_GUEST_CODE_H */
