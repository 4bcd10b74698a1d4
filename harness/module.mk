# harness/module.mk - the harness: the benchmark runner vkbench.
#
# "make bench" builds the kernel and vkbench and runs the benchmarks listed
# in BENCHES; results go to results/bench/.  Extra vkbench options can be
# given with BENCH_FLAGS, e.g. make bench BENCH_FLAGS="-r 3 -b kernel.usage".

BENCH_SRCS	:= harness/bench/bench_conf.c harness/bench/bench_vars.c \
		   harness/bench/bench_stats.c harness/bench/bench_run.c \
		   harness/bench/bench_report.c
BENCHES		+= harness/bench/benches.conf
BENCH_FLAGS	?=

PROGRAMS	+= vkbench
TOOLS		+= vkbench
vkbench_OBJS	:= $(call objs,harness/bench/vkbench.c $(BENCH_SRCS))
vkbench_LDLIBS	:= -lutil

# The end-to-end tests run the vkbench program next to them.
PROGRAMS	+= bench_test
UNIT_TESTS	+= bench_test
bench_test_OBJS	:= $(call objs,harness/bench/tests/bench_test.c \
		   harness/bench/tests/bench_e2e_test.c $(BENCH_SRCS))
bench_test_LDLIBS := -lcriterion -lutil
$(O)/bin/bench_test: $(O)/bin/vkbench

MANPAGES	+= harness/bench/vkbench.1
LINT_SRCS	+= $(wildcard harness/bench/*.[ch] harness/bench/tests/*.[ch])

# test.kernel times the vkh run of make test-kernel: suites/module.mk
# adds what that needs to bench's prerequisites.
# The guest benchmarks boot a cd9660 image whose init is hello_init; the
# programs that time something are on it in /sbin, run as init instead.
BENCH_ISO	:= $(O)/guest-tests/bench.iso
BENCH_PROGS	:= forkexec_bench pipe_bench
$(BENCH_ISO): $(O)/guest-tests/hello_init \
    $(addprefix $(O)/guest-tests/,$(BENCH_PROGS))
	@rm -rf $@.d && mkdir -p $@.d/sbin $@.d/dev $@.d/mnt
	@cp $(O)/guest-tests/hello_init $@.d/sbin/init
	@for p in $(BENCH_PROGS); do cp $(O)/guest-tests/$$p $@.d/sbin/; done
	@for p in $(BENCH_FS_NAMES); do \
	    cp $(O)/guest-tests/fs_bench $@.d/sbin/$$p; done
	$(Q)xorriso -as mkisofs -R -o $@ $@.d >/dev/null 2>&1
	@rm -rf $@.d

# The file system benchmarks (fs.*, suites/guest/fs_bench.c): fs_bench
# under the three names init runs it by, /mnt to mount the disk on, and
# newfs, which makes the disk beside the kernel.
BENCH_FS_NAMES	:= fs_write fs_read fs_create
LINT_SRCS	+= suites/guest/fs_bench.c
$(BENCH_ISO): $(O)/guest-tests/fs_bench
bench: $(O)/bin/newfs

# vkbench compares each guest operation with the same operation on the
# host; guest_bench measures the guest-execution backend the same way
# (system call, fault and fork round trips against native ones).
bench: $(O)/bin/kernel $(O)/bin/vkbench $(O)/bin/guest_bench $(BENCH_ISO)
	$(O)/bin/vkbench -k $(O)/bin/kernel -o results/bench $(BENCH_FLAGS) \
	    $(BENCHES)
	@echo "== guest_bench (backend round trips, median of 7)"
	@$(O)/bin/guest_bench | tee results/bench/guest_bench.txt

# The harness engine (issue 4): the library behind harness/vkh.h, the vkh
# command, its self-tests and the engine's kernel suites.
include harness/lib.mk
