# runtime/module.mk - the vkernel.
#
# Each subsystem folder appends its sources to KERNEL_SRCS.  The kernel
# program is KERNEL_MAIN plus all of them; unit tests link the objects they
# need directly.

KERNEL_SRCS	:=
KERNEL_MAIN	:= runtime/platform/host_main.c

include runtime/platform/module.mk
include runtime/kern/module.mk
include runtime/ddb/module.mk

PROGRAMS	+= kernel
kernel_OBJS	:= $(call objs,$(KERNEL_MAIN) $(KERNEL_SRCS))
kernel_LDLIBS	:= -lpthread
MANPAGES	+= runtime/kernel.8
LINT_SRCS	+= $(wildcard runtime/*/*.[ch] runtime/*/tests/*.[ch])
