# runtime/platform/module.mk - the host side of the kernel: command line,
# host setup (disk images, memory image, pidfile) and the other host
# services of platform.h.
#
# Every runtime/platform/*.c but main() (KERNEL_MAIN) is a kernel source.
# platform_test is the unit-test program of the command line and host
# setup; it links only the sources those need.

PLATFORM_SETUP_SRCS := runtime/platform/host_options.c \
		       runtime/platform/host_disk.c \
		       runtime/platform/host_memimg.c \
		       runtime/platform/host_pidfile.c \
		       runtime/platform/host_setup.c

KERNEL_SRCS	+= $(filter-out runtime/platform/host_main.c, \
		     $(wildcard runtime/platform/*.c))

PROGRAMS	+= platform_test
UNIT_TESTS	+= platform_test
platform_test_OBJS := $(call objs,$(wildcard runtime/platform/tests/*.c) \
		      $(PLATFORM_SETUP_SRCS) runtime/platform/host_sync.c \
		      runtime/platform/host_diskio.c)
platform_test_LDLIBS := -lcriterion
include runtime/platform/guest/module.mk
