# images/tests/module.mk - unit and end-to-end tests of the image tools
# and of the shared on-disk format code.  The end-to-end tests run the
# tools from the directory of the test program, so they depend on them.

IMG_TESTS	:= img_disklabel_test img_ufs_sb_test img_tools_test \
		   img_interop_test img_fsck_test
UNIT_TESTS	+= $(IMG_TESTS)
PROGRAMS	+= $(IMG_TESTS)

img_disklabel_test_OBJS := $(call objs,images/tests/disklabel_test.c \
		   $(DISKFMT_SRCS))
img_disklabel_test_LDLIBS := -lcriterion -lz
img_ufs_sb_test_OBJS := $(call objs,images/tests/ufs_sb_test.c \
		   images/tools/newfs/mkfs_layout.c $(DISKFMT_SRCS))
img_ufs_sb_test_LDLIBS := -lcriterion
IMG_E2E_SRCS	:= images/tests/tools_util.c images/tests/ufs_reader.c \
		   $(DISKFMT_SRCS)
img_tools_test_OBJS := $(call objs,images/tests/tools_test.c $(IMG_E2E_SRCS))
img_tools_test_LDLIBS := -lcriterion
img_interop_test_OBJS := $(call objs,images/tests/interop_test.c \
		   $(IMG_E2E_SRCS))
img_interop_test_LDLIBS := -lcriterion

img_fsck_test_OBJS := $(call objs,images/tests/fsck_test.c $(IMG_E2E_SRCS))
img_fsck_test_LDLIBS := -lcriterion
# The regression tests replay fuzz seeds from the source tree.
$(O)/images/tests/fsck_test.o: CPPFLAGS += -DFSCK_SEEDS='"$(CURDIR)/images/fuzz/corpus/fuzz_fsck"'

$(O)/bin/img_tools_test $(O)/bin/img_interop_test $(O)/bin/img_fsck_test: \
		   $(addprefix $(O)/bin/,$(IMAGE_TOOLS) fsck)

# mount_ufs(8) end to end (skipped without /dev/fuse); the image checks
# use the UFS library tests' consistency checker.
IMG_TESTS	+= img_mount_ufs_test
UNIT_TESTS	+= img_mount_ufs_test
PROGRAMS	+= img_mount_ufs_test
img_mount_ufs_test_OBJS := $(call objs,images/tests/mount_ufs_test.c \
		   runtime/vfs/ufs/tests/ufs_check.c $(IMG_E2E_SRCS))
img_mount_ufs_test_LDLIBS := -lcriterion
$(O)/bin/img_mount_ufs_test: $(O)/bin/mount_ufs \
		   $(addprefix $(O)/bin/,$(IMAGE_TOOLS))

.PHONY: test-images
test-images: $(addprefix $(O)/bin/,$(IMG_TESTS))
	@set -e; for t in $(IMG_TESTS); do \
	    echo "== unit: $$t"; $(TEST_ENV) $(O)/bin/$$t --short-filename; \
	done
