# runtime/ddb/module.mk - the kernel debugger, its unit tests and its
# kernel suite.
#
# DDB_SRCS are the machine-independent files the unit tests link with the
# kernel's formatter and sysctl tree and a fake machine (struct db_ops);
# db_trap.c connects them to the host and the rest of the kernel.

DDB_SRCS	:= runtime/ddb/db_command.c runtime/ddb/db_examine.c \
		   runtime/ddb/db_expr.c runtime/ddb/db_io.c \
		   runtime/ddb/db_lex.c runtime/ddb/db_ps.c \
		   runtime/ddb/db_show.c
KERNEL_SRCS	+= $(DDB_SRCS) runtime/ddb/db_trap.c

PROGRAMS	+= ddb_unit_test
UNIT_TESTS	+= ddb_unit_test
ddb_unit_test_OBJS := $(call objs,$(wildcard runtime/ddb/tests/*.c) \
		   $(DDB_SRCS) runtime/kern/subr_prf.c \
		   runtime/kern/kern_sysctl.c runtime/kern/kern_sysctl_std.c)
ddb_unit_test_LDLIBS := -lcriterion

# The kernel suite: the debugger on a pty, driven with libexpect.
SUITES		+= ddb_test
PROGRAMS	+= ddb_test
ddb_test_OBJS	:= $(call objs,suites/ddb_test.c)
ddb_test_LDLIBS	:= -lcriterion -lexpect -ltcl8.6
LINT_SRCS	+= suites/ddb_test.c
