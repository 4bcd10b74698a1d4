# runtime/ddb/module.mk - the kernel debugger and its unit tests.
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

# The kernel suite, suites/ddb_test.c, is registered in suites/module.mk.
