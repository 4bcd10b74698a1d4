# runtime/dev/module.mk - devices: vkd/vcd, the character device registry,
# devfs and the memory devices.

DEV_CORE_SRCS	:= runtime/dev/kern_device.c runtime/dev/devfs_vnops.c \
		   runtime/dev/mem_dev.c
KERNEL_SRCS	+= runtime/dev/vdisk.c runtime/dev/disk_part.c \
		   runtime/dev/cons_tty.c $(DEV_CORE_SRCS)

PROGRAMS	+= devfs_test
UNIT_TESTS	+= devfs_test
devfs_test_OBJS	:= $(call objs,runtime/dev/tests/devfs_test.c \
		   $(DEV_CORE_SRCS) $(VFS_CORE_SRCS) runtime/kern/kern_malloc.c \
		   runtime/vm/vm_page.c runtime/platform/host_sync.c \
		   runtime/platform/host_random.c)
devfs_test_LDLIBS := -lcriterion -lpthread
