# runtime/vfs/cd9660/module.mk - the ISO 9660 file system with Rock Ridge
# (its on-disk side, a library the VFS wraps), its tests and fuzz target.

CD9660_SRCS	:= runtime/vfs/cd9660/cd9660_vfsops.c \
		   runtime/vfs/cd9660/cd9660_node.c \
		   runtime/vfs/cd9660/cd9660_rrip.c \
		   runtime/vfs/cd9660/cd9660_lookup.c \
		   runtime/vfs/cd9660/cd9660_vnops.c
KERNEL_SRCS	+= $(CD9660_SRCS) runtime/vfs/cd9660/cd9660_vfs.c

# Unit tests: Rock Ridge and plain images made with xorriso at run time,
# and small hand-made images (tests/cd9660_mkimg.c) for corrupt cases.
UNIT_TESTS	+= cd9660_test
PROGRAMS	+= cd9660_test
cd9660_test_OBJS := $(call objs,runtime/vfs/cd9660/tests/cd9660_test.c \
	runtime/vfs/cd9660/tests/cd9660_corrupt_test.c \
	runtime/vfs/cd9660/tests/cd9660_mkimg.c $(CD9660_SRCS))
cd9660_test_LDLIBS := -lcriterion

# cd9660_mkseeds writes the fuzz seeds made by cd9660_mkimg.c:
#   obj/bin/cd9660_mkseeds runtime/vfs/cd9660/fuzz/corpus
# The seed xorriso_rr_reloc is "xorriso -as mkisofs -R -rr_reloc_dir
# rr_moved -no-pad" of a small tree (a file, a symlink, a fifo, nine
# levels of directories), without its first 32 KiB and trailing zeros.
PROGRAMS	+= cd9660_mkseeds
cd9660_mkseeds_OBJS := $(call objs,runtime/vfs/cd9660/tests/cd9660_mkseeds.c \
	runtime/vfs/cd9660/tests/cd9660_mkimg.c)

FUZZERS		+= cd9660_fuzz
cd9660_fuzz_FUZZ_SRCS := runtime/vfs/cd9660/fuzz/cd9660_fuzz.c $(CD9660_SRCS)
cd9660_fuzz_SEEDS := runtime/vfs/cd9660/fuzz/corpus

LINT_SRCS	+= $(wildcard runtime/vfs/cd9660/*.[ch] \
		   runtime/vfs/cd9660/tests/*.[ch] runtime/vfs/cd9660/fuzz/*.c)
