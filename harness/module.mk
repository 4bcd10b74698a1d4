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
bench: $(O)/bin/kernel $(O)/bin/vkbench
	$(O)/bin/vkbench -k $(O)/bin/kernel -o results/bench $(BENCH_FLAGS) \
	    $(BENCHES)

# The harness engine (issue 4): the library behind harness/vkh.h, the vkh
# command, its self-tests and the engine's kernel suites.
include harness/lib.mk
