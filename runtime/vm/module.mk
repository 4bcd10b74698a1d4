# runtime/vm/module.mk - physical memory.

KERNEL_SRCS	+= runtime/vm/vm_page.c

PROGRAMS	+= vm_page_test
UNIT_TESTS	+= vm_page_test
vm_page_test_OBJS := $(call objs,runtime/vm/tests/vm_page_test.c \
		     runtime/vm/vm_page.c runtime/platform/host_sync.c)
vm_page_test_LDLIBS := -lcriterion -lpthread
