# harness/lib.mk - the harness engine: libvkh (harness/vkh.h), the vkh(1)
# command, the self-tests against scripted consoles (harness/tests/) and
# the kernel suites written on the engine (suites/engine_*_test.c).
#
# Suites link VKH_SUITE_OBJS (the engine plus its Criterion glue) and
# VKH_LDLIBS.  "make test-kernel" (GNUmakefile) runs every suite through
# vkh(1), which writes results/<run-id>/.

VKH_LIB_SRCS	:= harness/vkh_profile.c harness/vkh_console.c \
		   harness/vkh_guest.c harness/vkh_image.c \
		   harness/vkh_record.c harness/vkh_ktap.c harness/vkh_expect.c \
		   harness/vkh_proc.c harness/vkh_share.c \
		   harness/vkh_command.c
VKH_LIB_OBJS	:= $(call objs,$(VKH_LIB_SRCS))
VKH_SUITE_OBJS	:= $(VKH_LIB_OBJS) $(call objs,harness/vkh_criterion.c)
VKH_LDLIBS	:= -lexpect -ltcl8.6 -lz

PROGRAMS	+= vkh
TOOLS		+= vkh
vkh_OBJS	:= $(call objs,harness/vkh_main.c harness/vkh_runner.c \
		   harness/vkh_results.c) $(VKH_LIB_OBJS)
vkh_LDLIBS	:= $(VKH_LDLIBS)
MANPAGES	+= harness/vkh.1 harness/vkh.profile.5

# Self-tests.  They run from the top of the tree (harness/tests/fake.profile
# names its scripted console relative to it).
PROGRAMS	+= vkh_console_test
UNIT_TESTS	+= vkh_console_test
vkh_console_test_OBJS := $(call objs,harness/tests/console_test.c) \
		   $(VKH_LIB_OBJS)
vkh_console_test_LDLIBS := -lcriterion $(VKH_LDLIBS)

PROGRAMS	+= vkh_share_test
UNIT_TESTS	+= vkh_share_test
vkh_share_test_OBJS := $(call objs,harness/tests/share_test.c) \
		   $(VKH_SUITE_OBJS)
vkh_share_test_LDLIBS := -lcriterion $(VKH_LDLIBS)

PROGRAMS	+= vkh_profile_test
UNIT_TESTS	+= vkh_profile_test
vkh_profile_test_OBJS := $(call objs,harness/tests/profile_test.c \
		   harness/tests/image_test.c) $(VKH_LIB_OBJS)
vkh_profile_test_LDLIBS := -lcriterion $(VKH_LDLIBS)

# A suite of deliberately passing, failing, crashing, hanging and flaky
# tests on the scripted console, run through vkh by vkh_results_test.
PROGRAMS	+= vkh_fake_suite
vkh_fake_suite_OBJS := $(call objs,harness/tests/fake_suite.c) \
		   $(VKH_SUITE_OBJS)
vkh_fake_suite_LDLIBS := -lcriterion $(VKH_LDLIBS)

PROGRAMS	+= vkh_results_test
UNIT_TESTS	+= vkh_results_test
vkh_results_test_OBJS := $(call objs,harness/tests/results_test.c)
vkh_results_test_LDLIBS := -lcriterion
$(O)/bin/vkh_results_test: $(O)/bin/vkh $(O)/bin/vkh_fake_suite

# Kernel suites on the engine.
SUITES		+= engine_boot_test
PROGRAMS	+= engine_boot_test
engine_boot_test_OBJS := $(call objs,suites/engine_boot_test.c) \
		   $(VKH_SUITE_OBJS)
engine_boot_test_LDLIBS := -lcriterion $(VKH_LDLIBS)

LINT_SRCS	+= $(wildcard harness/*.[ch] harness/tests/*.[ch]) \
		   suites/engine_boot_test.c

# The list of suite programs vkh(1) runs by default: $(O)/vkh.suites.
$(O)/vkh.suites: FORCE
	@mkdir -p $(@D)
	@printf '%s\n' $(SUITES) >$@.tmp; \
	    if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi
FORCE:

all: $(O)/vkh.suites

.PHONY: test-vkh
# The former name of test-kernel.
test-vkh: test-kernel

PROGRAMS	+= vkh_ktap_test
UNIT_TESTS	+= vkh_ktap_test
vkh_ktap_test_OBJS := $(call objs,harness/tests/ktap_test.c) $(VKH_LIB_OBJS)
vkh_ktap_test_LDLIBS := -lcriterion $(VKH_LDLIBS)
