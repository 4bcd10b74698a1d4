# runtime/vfs/ufs/module.mk - the UFS1 file system library (read-write,
# over caller callbacks), its unit tests and fuzz target.  Included from
# runtime/module.mk, before images/module.mk (whose mount_ufs uses
# UFS_SRCS).
#
# UFS_SRCS is pure ISO C; the kernel will add it to KERNEL_SRCS with its
# VFS glue.  The library also needs ufs_sb.c (ufs_sb_check), which is in
# images/module.mk's DISKFMT_SRCS; the programs here link it as
# UFS_SB_SRCS.

UFS_SRCS	:= runtime/vfs/ufs/ufs_vfsops.c runtime/vfs/ufs/ufs_alloc.c \
		   runtime/vfs/ufs/ufs_cg.c \
		   runtime/vfs/ufs/ufs_bmap.c runtime/vfs/ufs/ufs_inode.c \
		   runtime/vfs/ufs/ufs_lookup.c runtime/vfs/ufs/ufs_rdwr.c \
		   runtime/vfs/ufs/ufs_vnops.c runtime/vfs/ufs/ufs_rename.c
UFS_SB_SRCS	:= runtime/vfs/ufs/ufs_sb.c

# Unit tests: images made with the project's newfs and Debian's makefs
# at run time, checked through the library, a consistency checker of the
# test's own (tests/ufs_check.c), images/tests/ufs_reader.c and The
# Sleuth Kit (fls, icat) when installed.
UNIT_TESTS	+= ufs_test
PROGRAMS	+= ufs_test
ufs_test_OBJS	:= $(call objs,runtime/vfs/ufs/tests/ufs_test.c \
		   runtime/vfs/ufs/tests/ufs_ops_test.c \
		   runtime/vfs/ufs/tests/ufs_space_test.c \
		   runtime/vfs/ufs/tests/ufs_corrupt_test.c \
		   runtime/vfs/ufs/tests/ufs_testutil.c \
		   runtime/vfs/ufs/tests/ufs_check.c \
		   images/tests/ufs_reader.c images/tests/tools_util.c \
		   $(UFS_SRCS) $(UFS_SB_SRCS))
ufs_test_LDLIBS	:= -lcriterion
$(O)/bin/ufs_test: $(O)/bin/newfs

# ufs_mkseeds writes the fuzz seeds (images without their trailing zeros):
#   truncate -s 256K s.img && obj/bin/newfs -b 4096 -f 512 -i 16384 s.img
#   obj/bin/ufs_mkseeds -n s.img runtime/vfs/ufs/fuzz/corpus/empty_4k
#   (again on a fresh image, without -n: .../populated_4k)
#   and with -n on "truncate -s 320K; newfs -b 8192 -f 1024 -i 32768":
#   .../empty_8k.
PROGRAMS	+= ufs_mkseeds
ufs_mkseeds_OBJS := $(call objs,runtime/vfs/ufs/tests/ufs_mkseeds.c \
		   $(UFS_SRCS) $(UFS_SB_SRCS))

FUZZERS		+= ufs_fuzz
ufs_fuzz_FUZZ_SRCS := runtime/vfs/ufs/fuzz/ufs_fuzz.c $(UFS_SRCS) \
		   $(UFS_SB_SRCS)
ufs_fuzz_SEEDS	:= runtime/vfs/ufs/fuzz/corpus

LINT_SRCS	+= $(wildcard runtime/vfs/ufs/tests/*.[ch] \
		   runtime/vfs/ufs/fuzz/*.c)
