# images/fuzz/module.mk - libFuzzer targets for the on-disk format parsers,
# registered with the GNUmakefile's FUZZERS ("make fuzz", "make
# test-fuzz"); seeds in images/fuzz/corpus/<target>/.  Every crash found
# becomes a seed there and a regression test in images/tests/.

FUZZERS			+= disklabel_fuzz slices_fuzz sb_fuzz fsck_fuzz
disklabel_fuzz_FUZZ_SRCS := images/fuzz/fuzz_disklabel.c \
			   runtime/kern/subr_disklabel.c
disklabel_fuzz_SEEDS	:= images/fuzz/corpus/fuzz_disklabel
slices_fuzz_FUZZ_SRCS	:= images/fuzz/fuzz_slices.c \
			   runtime/kern/subr_disklabel.c
slices_fuzz_SEEDS	:= images/fuzz/corpus/fuzz_slices
sb_fuzz_FUZZ_SRCS	:= images/fuzz/fuzz_sb.c runtime/vfs/ufs/ufs_sb.c
sb_fuzz_SEEDS		:= images/fuzz/corpus/fuzz_sb
# fsck_fuzz: the fsck_ufs checker core on in-memory images, -n then -y.
# Seeds, each without its trailing zeros: newfs-1m is "newfs -b 4096
# -f 512 -i 65536" of 1 MiB; makefs-64k is "makefs -t ffs -o version=1,
# bsize=4096,fsize=512,density=4096 -s 64k" of a tree with a file, a
# symlink, a 7 KiB file and two levels of directories; makefs-64k-corrupt
# is that with a duplicate block, a wrong link count and an inode of an
# unknown type.
fsck_fuzz_FUZZ_SRCS	:= images/fuzz/fuzz_fsck.c $(FSCK_CORE_SRCS) \
			   runtime/vfs/ufs/ufs_sb.c
fsck_fuzz_SEEDS		:= images/fuzz/corpus/fuzz_fsck
