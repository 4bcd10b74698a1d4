# images/tools/module.mk - the host image tools: vnconfig, disklabel and
# newfs, each installed with its man page.

IMAGE_TOOLS	:= vnconfig disklabel newfs
PROGRAMS	+= $(IMAGE_TOOLS)
TOOLS		+= $(IMAGE_TOOLS)
MANPAGES	+= images/tools/vnconfig/vnconfig.8 \
		   images/tools/disklabel/disklabel.8 \
		   images/tools/newfs/newfs.8

vnconfig_OBJS	:= $(call objs,images/tools/vnconfig/vnconfig.c \
		   $(IMGDEV_SRCS) $(DISKFMT_SRCS))
disklabel_OBJS	:= $(call objs,images/tools/disklabel/disklabel.c \
		   images/tools/disklabel/dl_text.c \
		   $(IMGDEV_SRCS) $(DISKFMT_SRCS))
newfs_OBJS	:= $(call objs,images/tools/newfs/newfs.c \
		   images/tools/newfs/mkfs_layout.c \
		   images/tools/newfs/mkfs_write.c \
		   $(IMGDEV_SRCS) $(DISKFMT_SRCS))
