# suites/module.mk - Criterion suites run against the built kernel by
# "make test-kernel" (VK_KERNEL is the kernel's absolute path).

SUITES		+= cmdline_test
PROGRAMS	+= cmdline_test
cmdline_test_OBJS := $(call objs,suites/cmdline_test.c)
cmdline_test_LDLIBS := -lcriterion
LINT_SRCS	+= suites/cmdline_test.c

# Boot sequence suites on libexpect (suites/vkt.c: spawn on a pty).
SUITES		+= boot_test
PROGRAMS	+= boot_test
boot_test_OBJS	:= $(call objs,suites/boot_test.c suites/vkt.c)
boot_test_LDLIBS := -lcriterion -lexpect -ltcl8.6
LINT_SRCS	+= suites/boot_test.c suites/vkt.c suites/vkt.h

SUITES		+= sysctl_test
PROGRAMS	+= sysctl_test
sysctl_test_OBJS := $(call objs,suites/sysctl_test.c suites/vkt.c)
sysctl_test_LDLIBS := -lcriterion -lexpect -ltcl8.6
LINT_SRCS	+= suites/sysctl_test.c
