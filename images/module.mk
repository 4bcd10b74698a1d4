# images/module.mk - disk images: the on-disk format code shared with the
# kernel, the host image tools, their tests and fuzz targets.
#
# DISKFMT_SRCS is pure ISO C under runtime/ (the kernel will list it in
# KERNEL_SRCS with the disks issue); the tools link it from here.

DISKFMT_SRCS	:= runtime/kern/subr_disklabel.c runtime/vfs/ufs/ufs_sb.c
IMGDEV_SRCS	:= images/tools/common/imgdev.c

include images/tools/module.mk
include images/tests/module.mk
include images/fuzz/module.mk

LINT_SRCS	+= $(wildcard runtime/vfs/ufs/*.[ch] images/*/*.[ch] \
		   images/*/*/*.[ch])
