# runtime/platform/fuzz/module.mk - fuzz targets of the kernel's host side.

FUZZERS			+= options_fuzz
options_fuzz_FUZZ_SRCS	:= runtime/platform/fuzz/options_fuzz.c \
			   runtime/platform/host_options.c \
			   runtime/platform/host_setup.c \
			   runtime/platform/host_memimg.c \
			   runtime/platform/host_pidfile.c \
			   runtime/platform/host_disk.c
options_fuzz_SEEDS	:= runtime/platform/fuzz/corpus/options
