# suites/module.mk - the kernel suites, one Criterion program per feature,
# all on the harness engine (harness/vkh.h).  "make test-kernel" runs them
# through vkh(1), which writes results/<run-id>/; each program also runs on
# its own with VK_KERNEL set (the kernel's absolute path).
#
#   options	every vkernel(7) option's effect and the command-line errors
#   memimage	the memory image (-i) and the pidfile (-p)
#   devices	vkd and vcd: probe lines, units, default roots
#   signals	SIGQUIT, SIGTERM from the host; the terminal restored
#   reboot	ddb reset and reboot(2) re-execute; halt and power off exit 0;
#		panics halt with status 33
#   single_user	-s and debug.boothowto
#   sysctl	sysctl values that follow the options
#   ddb		the debugger
#   mountroot	the mountroot prompt
#   inject	kernels built with a fault injected (INJECT=) are reported
#		as crashes and hangs in the right phase, with a repro.sh

KERNEL_SUITES	:= options memimage devices signals reboot single_user \
		   sysctl ddb mountroot inject

define SUITE_template
SUITES		+= $(1)_test
PROGRAMS	+= $(1)_test
$(1)_test_OBJS	:= $$(call objs,suites/$(1)_test.c) $$(VKH_SUITE_OBJS)
$(1)_test_LDLIBS := -lcriterion $$(VKH_LDLIBS)
LINT_SRCS	+= suites/$(1)_test.c
endef
$(foreach s,$(KERNEL_SUITES),$(eval $(call SUITE_template,$(s))))
# Suites that boot guest programs share the image maker.
reboot_test_OBJS += $(call objs,suites/guest_iso.c)
LINT_SRCS	+= suites/guest_iso.c suites/guest_iso.h
# The command-line suites share the kernel-as-a-process helpers.
options_test_OBJS += $(call objs,suites/kproc.c)
memimage_test_OBJS += $(call objs,suites/kproc.c)
LINT_SRCS	+= suites/kproc.c suites/kproc.h

# Kernels with a fault injected, for inject_test: $(O)/inject-<kind>-
# <point>/bin/kernel, each built by a make of its own with INJECT=kind:point
# (runtime/kern/module.mk) and reused while nothing changed.
INJECT_KERNELS	:= $(foreach k,panic-mountroot hang-mp hang-boot, \
		   $(O)/inject-$(k)/bin/kernel)
$(O)/inject-%/bin/kernel: FORCE
	@$(MAKE) --no-print-directory O=$(O)/inject-$* \
	    INJECT=$(subst -,:,$*) $@

# The benchmark test.kernel (harness/bench/benches.conf) times the vkh run
# of test-kernel: make bench builds what it runs.
bench: $(O)/bin/vkh $(O)/vkh.suites $(addprefix $(O)/bin/,$(SUITES)) \
    $(INJECT_KERNELS)

# Booting a cd9660 root to init (needs xorriso and the guest programs).
SUITES		+= init_test
PROGRAMS	+= init_test
init_test_OBJS	:= $(call objs,suites/init_test.c suites/guest_iso.c)
init_test_LDLIBS := -lcriterion
LINT_SRCS	+= suites/init_test.c
$(O)/bin/init_test: $(O)/guest-tests/hello_init
$(O)/guest-tests/%: suites/guest/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MUSLCC  $<")
	$(Q)musl-gcc -static -O2 $(GUEST_CFLAGS) -o $@ $<

# Guest-side test programs printing KTAP (harness/vkh.h vkh_test_ktap).
SUITES		+= ktap_test
PROGRAMS	+= ktap_test
ktap_test_OBJS	= $(call objs,suites/ktap_test.c suites/guest_iso.c) \
		  $(VKH_SUITE_OBJS)
ktap_test_LDLIBS = -lcriterion $(VKH_LDLIBS)
LINT_SRCS	+= suites/ktap_test.c
$(O)/bin/ktap_test: $(O)/guest-tests/ktap_syscalls $(O)/guest-tests/ktap_files \
    $(O)/guest-tests/ktap_procs $(O)/guest-tests/ktap_pipes \
    $(O)/guest-tests/ktap_signals $(O)/guest-tests/ktap_threads \
    $(O)/guest-tests/ktap_jobs $(O)/guest-tests/ktap_smp \
    $(O)/guest-tests/ktap_vireo $(O)/guest-tests/ktap_memory \
    $(O)/guest-tests/ktap_misc
$(O)/bin/reboot_test: $(O)/guest-tests/reboot_init

# busybox-static as init on a cd9660 root, commands between markers.
SUITES		+= busybox_test
PROGRAMS	+= busybox_test
busybox_test_OBJS = $(call objs,suites/busybox_test.c suites/guest_iso.c) \
		  $(VKH_SUITE_OBJS)
busybox_test_LDLIBS = -lcriterion $(VKH_LDLIBS)
LINT_SRCS	+= suites/busybox_test.c

# The host as the oracle: each guest program prints what a kernel must
# answer, and oracle_test runs it natively and in the guest (busybox sh
# as init) and compares the outputs line by line.  Cases where the kernel
# is known to differ (XXX in the programs) are compiled with
# GUEST_CFLAGS=-DORACLE_ALL.
GUEST_CFLAGS	?=
ORACLE_PROGS	:= oracle_proc oracle_pipe oracle_signal oracle_mem oracle_file \
		   oracle_thread
SUITES		+= oracle_test
PROGRAMS	+= oracle_test
oracle_test_OBJS = $(call objs,suites/oracle_test.c suites/guest_iso.c) \
		  $(VKH_SUITE_OBJS)
oracle_test_LDLIBS = -lcriterion $(VKH_LDLIBS)
LINT_SRCS	+= suites/oracle_test.c suites/guest/oracle.h \
		   $(wildcard suites/guest/oracle_*.c) suites/guest/pipe_bench.c
$(O)/bin/oracle_test: $(addprefix $(O)/guest-tests/,$(ORACLE_PROGS))
$(addprefix $(O)/guest-tests/,$(ORACLE_PROGS)): suites/guest/oracle.h

# A UFS root disk made by scripts/mkimage.sh: boot, writes, clean halts,
# reboots, SIGKILL and fsck_ufs, a makefs image (suites/ufs.profile).
SUITES		+= disks_test
PROGRAMS	+= disks_test
disks_test_OBJS	= $(call objs,suites/disks_test.c suites/ufs_image.c) \
		  $(VKH_SUITE_OBJS)
disks_test_LDLIBS = -lcriterion $(VKH_LDLIBS)
LINT_SRCS	+= suites/disks_test.c suites/ufs_image.c suites/ufs_image.h
$(O)/bin/disks_test: $(addprefix $(O)/bin/,vnconfig disklabel newfs \
    mount_ufs fsck_ufs) $(WORLD_PROGS)

# The guest's system tools (world/tools.mk: sysctl, kenv, reboot/halt,
# shutdown, fsck) on a UFS root made by mkimage.sh, installed with
# world/install_tools.sh.  world/tools.mk is included after this file,
# hence the tools' paths spelled out.
SUITES		+= world_tools_test
PROGRAMS	+= world_tools_test
world_tools_test_OBJS = $(call objs,suites/world_tools_test.c suites/ufs_image.c) \
		  $(VKH_SUITE_OBJS)
world_tools_test_LDLIBS = -lcriterion $(VKH_LDLIBS)
LINT_SRCS	+= suites/world_tools_test.c
$(O)/bin/world_tools_test: $(addprefix $(O)/bin/,vnconfig disklabel newfs \
    mount_ufs fsck_ufs) $(addprefix $(O)/world/,sysctl kenv reboot shutdown \
    fsck) world/install_tools.sh

# The world's boot path (world/module.mk: init, getty, login, mount,
# umount, the rc scripts) on a root made by mkimage.sh: multi-user boot to
# login:, single-user, every shutdown path (suites/world.profile).
# world/module.mk is included after this file, hence the paths spelled out.
SUITES		+= world_test
PROGRAMS	+= world_test
world_test_OBJS	= $(call objs,suites/world_test.c suites/ufs_image.c) \
		  $(VKH_SUITE_OBJS)
# -lcrypt: the host's crypt(3) makes a "$6$" hash for login(1) to check.
world_test_LDLIBS = -lcriterion -lcrypt $(VKH_LDLIBS)
LINT_SRCS	+= suites/world_test.c
$(O)/bin/world_test: $(addprefix $(O)/bin/,vnconfig disklabel newfs \
    mount_ufs fsck_ufs) $(addprefix $(O)/world/,init getty login mount \
    umount) $(wildcard world/etc/* world/etc/defaults/*) world/install.sh \
    scripts/mkimage.sh
