# images/fuzz/module.mk - libFuzzer targets for the on-disk format parsers,
# registered with the GNUmakefile's FUZZERS ("make fuzz", "make
# test-fuzz"); seeds in images/fuzz/corpus/<target>/.  Every crash found
# becomes a seed there and a regression test in images/tests/.

FUZZERS			+= disklabel_fuzz slices_fuzz sb_fuzz
disklabel_fuzz_FUZZ_SRCS := images/fuzz/fuzz_disklabel.c \
			   runtime/kern/subr_disklabel.c
disklabel_fuzz_SEEDS	:= images/fuzz/corpus/fuzz_disklabel
slices_fuzz_FUZZ_SRCS	:= images/fuzz/fuzz_slices.c \
			   runtime/kern/subr_disklabel.c
slices_fuzz_SEEDS	:= images/fuzz/corpus/fuzz_slices
sb_fuzz_FUZZ_SRCS	:= images/fuzz/fuzz_sb.c runtime/vfs/ufs/ufs_sb.c
sb_fuzz_SEEDS		:= images/fuzz/corpus/fuzz_sb
