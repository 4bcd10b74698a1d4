# runtime/vfs/module.mk - the virtual file system layer.

VFS_CORE_SRCS	:= runtime/vfs/vfs_vnode.c runtime/vfs/vfs_mount.c \
		   runtime/vfs/vfs_lookup.c runtime/vfs/vfs_uio.c
KERNEL_SRCS	+= $(VFS_CORE_SRCS) runtime/vfs/vfs_mountroot.c \
		   runtime/vfs/vfs_bio.c \
		   runtime/vfs/procfs/procfs.c

PROGRAMS	+= vfs_namei_test
UNIT_TESTS	+= vfs_namei_test
vfs_namei_test_OBJS := $(call objs,runtime/vfs/tests/namei_test.c \
		   $(VFS_CORE_SRCS) runtime/dev/kern_device.c \
		   runtime/dev/devfs_vnops.c runtime/kern/kern_malloc.c \
		   runtime/vm/vm_page.c runtime/platform/host_sync.c)
vfs_namei_test_LDLIBS := -lcriterion -lpthread
