# images/tools/module.mk - the host image tools: vnconfig, disklabel,
# newfs and fsck_ufs, each installed with its man page.  fsck is a second
# name of fsck_ufs (a hard link made beside it), as on DragonFly.

IMAGE_TOOLS	:= vnconfig disklabel newfs fsck_ufs
PROGRAMS	+= $(IMAGE_TOOLS)
TOOLS		+= $(IMAGE_TOOLS) fsck
MANPAGES	+= images/tools/vnconfig/vnconfig.8 \
		   images/tools/disklabel/disklabel.8 \
		   images/tools/newfs/newfs.8 \
		   images/tools/fsck_ufs/fsck_ufs.8 \
		   images/tools/fsck_ufs/fsck.8

vnconfig_OBJS	:= $(call objs,images/tools/vnconfig/vnconfig.c \
		   $(IMGDEV_SRCS) $(DISKFMT_SRCS))
disklabel_OBJS	:= $(call objs,images/tools/disklabel/disklabel.c \
		   images/tools/disklabel/dl_text.c \
		   $(IMGDEV_SRCS) $(DISKFMT_SRCS))
newfs_OBJS	:= $(call objs,images/tools/newfs/newfs.c \
		   images/tools/newfs/mkfs_layout.c \
		   images/tools/newfs/mkfs_write.c \
		   $(IMGDEV_SRCS) $(DISKFMT_SRCS))

# The checker core, shared with its fuzz target (images/fuzz/module.mk).
FSCK_CORE_SRCS	:= images/tools/fsck_ufs/fsck_setup.c \
		   images/tools/fsck_ufs/fsck_opts.c \
		   images/tools/fsck_ufs/fsck_util.c \
		   images/tools/fsck_ufs/fsck_dir.c \
		   images/tools/fsck_ufs/fsck_pass1.c \
		   images/tools/fsck_ufs/fsck_pass2.c \
		   images/tools/fsck_ufs/fsck_pass3.c \
		   images/tools/fsck_ufs/fsck_pass4.c \
		   images/tools/fsck_ufs/fsck_pass5.c
fsck_ufs_OBJS	:= $(call objs,images/tools/fsck_ufs/fsck.c \
		   $(FSCK_CORE_SRCS) $(IMGDEV_SRCS) $(DISKFMT_SRCS))

$(O)/bin/fsck: $(O)/bin/fsck_ufs
	@$(if $(Q),echo "  LN      $@")
	$(Q)ln -f $< $@
all: $(O)/bin/fsck

# mount_ufs(8): a FUSE mount of a UFS1 image over runtime/vfs/ufs/
# (UFS_SRCS, from runtime/vfs/ufs/module.mk, included before this file).
PROGRAMS	+= mount_ufs
TOOLS		+= mount_ufs
MANPAGES	+= images/tools/mount_ufs/mount_ufs.8
mount_ufs_OBJS	:= $(call objs,images/tools/mount_ufs/mount_ufs.c \
		   images/tools/mount_ufs/mount_ufs_ops.c \
		   images/tools/mount_ufs/mount_ufs_node.c \
		   $(IMGDEV_SRCS) $(DISKFMT_SRCS) $(UFS_SRCS))
mount_ufs_LDLIBS := $(shell pkg-config --libs fuse3 2>/dev/null || \
		   echo -lfuse3)
$(O)/images/tools/mount_ufs/%.o: CPPFLAGS += $(shell pkg-config \
		   --cflags fuse3 2>/dev/null || echo -I/usr/include/fuse3)
