# runtime/kern/module.mk - the machine-independent kernel core.

KERNEL_SRCS	+= runtime/kern/subr_prf.c
KERNEL_SRCS	+= runtime/kern/kern_sysctl.c
KERNEL_SRCS	+= runtime/kern/kern_sysctl_std.c
KERNEL_SRCS	+= runtime/kern/kern_environment.c
KERNEL_SRCS	+= runtime/kern/kern_inject.c

# Fault injection (kern_inject.c): INJECT=panic:<point> or hang:<point>
# builds a kernel that panics or hangs at inject_point("<point>").  Only
# kern_inject.o sees the define; build such kernels into their own object
# directory, e.g. make O=obj/inject-panic-mountroot INJECT=panic:mountroot
# kernel.  The stamp rebuilds kern_inject.o when INJECT changes.
INJECT		?=
ifneq ($(INJECT),)
INJECT_KIND	:= $(word 1,$(subst :, ,$(INJECT)))
INJECT_POINT	:= $(word 2,$(subst :, ,$(INJECT)))
ifeq ($(filter panic hang,$(INJECT_KIND)),)
$(error INJECT=$(INJECT): want panic:<point> or hang:<point>)
endif
ifeq ($(INJECT_POINT),)
$(error INJECT=$(INJECT): no point named)
endif
$(O)/runtime/kern/kern_inject.o: CPPFLAGS += \
	-DVK_INJECT_$(shell echo $(INJECT_KIND) | tr a-z A-Z)='"$(INJECT_POINT)"'
endif
$(O)/runtime/kern/kern_inject.o: $(O)/runtime/kern/inject.stamp
$(O)/runtime/kern/inject.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(INJECT)' >$@.tmp; \
	    if cmp -s $@.tmp $@; then rm $@.tmp; else mv $@.tmp $@; fi

# Unit tests: each links only the kernel objects it exercises.
UNIT_TESTS	+= kern_prf_test kern_sysctl_test kern_kenv_test
PROGRAMS	+= kern_prf_test kern_sysctl_test kern_kenv_test
kern_prf_test_OBJS := $(call objs,runtime/kern/tests/prf_test.c \
	runtime/kern/subr_prf.c)
kern_prf_test_LDLIBS := -lcriterion
kern_sysctl_test_OBJS := $(call objs,runtime/kern/tests/sysctl_test.c \
	runtime/kern/kern_sysctl.c runtime/kern/kern_sysctl_std.c \
	runtime/kern/subr_prf.c)
kern_sysctl_test_LDLIBS := -lcriterion
kern_kenv_test_OBJS := $(call objs,runtime/kern/tests/kenv_test.c \
	runtime/kern/kern_environment.c)
kern_kenv_test_LDLIBS := -lcriterion

# Executable images: the ELF activator and the initial stack (issue 5).
KERNEL_SRCS	+= runtime/kern/imgact_elf.c runtime/kern/kern_exec_stack.c
UNIT_TESTS	+= kern_exec_test
PROGRAMS	+= kern_exec_test
kern_exec_test_OBJS := $(call objs,runtime/kern/tests/exec_test.c \
	runtime/kern/imgact_elf.c runtime/kern/kern_exec_stack.c)
kern_exec_test_LDLIBS := -lcriterion

FUZZERS		+= elf_fuzz
elf_fuzz_FUZZ_SRCS := runtime/kern/fuzz/elf_fuzz.c runtime/kern/imgact_elf.c \
	runtime/kern/kern_exec_stack.c
elf_fuzz_SEEDS	:= runtime/kern/fuzz/corpus/elf

# The kernel memory allocator.
KERNEL_SRCS	+= runtime/kern/kern_malloc.c
UNIT_TESTS	+= kern_malloc_test
PROGRAMS	+= kern_malloc_test
kern_malloc_test_OBJS := $(call objs,runtime/kern/tests/malloc_test.c \
	runtime/kern/kern_malloc.c runtime/vm/vm_page.c \
	runtime/platform/host_sync.c)
kern_malloc_test_LDLIBS := -lcriterion -lpthread

# The terminal line discipline.
KERNEL_SRCS	+= runtime/kern/tty.c runtime/kern/tty_job.c
UNIT_TESTS	+= kern_tty_test
PROGRAMS	+= kern_tty_test
kern_tty_test_OBJS := $(call objs,runtime/kern/tests/tty_test.c \
	runtime/kern/tty.c)
kern_tty_test_LDLIBS := -lcriterion

# Kernel lock, cpu tokens, sleep and wakeup, kernel threads.
KERNEL_SRCS	+= runtime/kern/kern_synch.c
UNIT_TESTS	+= kern_synch_test
PROGRAMS	+= kern_synch_test
kern_synch_test_OBJS := $(call objs,runtime/kern/tests/synch_test.c \
	runtime/kern/kern_synch.c runtime/kern/kern_malloc.c \
	runtime/vm/vm_page.c runtime/platform/host_sync.c)
kern_synch_test_LDLIBS := -lcriterion -lpthread

# Open files and descriptor tables.
KERNEL_SRCS	+= runtime/kern/kern_descrip.c runtime/vfs/vfs_file.c
UNIT_TESTS	+= kern_descrip_test
PROGRAMS	+= kern_descrip_test
kern_descrip_test_OBJS = $(call objs,runtime/kern/tests/descrip_test.c \
	runtime/kern/kern_descrip.c runtime/vfs/vfs_file.c $(VFS_CORE_SRCS) \
	$(DEV_CORE_SRCS) runtime/kern/kern_malloc.c runtime/vm/vm_page.c \
	runtime/platform/host_sync.c runtime/platform/host_random.c)
kern_descrip_test_LDLIBS := -lcriterion -lpthread

# Processes, exec and the system-call table; signals, threads, futexes.
PROC_SIG_SRCS	:= runtime/kern/kern_sig.c runtime/kern/kern_sigframe.c \
		   runtime/kern/sys_sig.c runtime/kern/kern_futex.c \
		   runtime/kern/sys_namei.c runtime/kern/sys_vireo.c \
		   runtime/kern/kern_oom.c runtime/kern/sys_poll.c \
		   runtime/kern/sys_mem.c runtime/kern/sys_mount.c \
		   runtime/kern/sys_stat.c runtime/kern/kern_access.c \
		   runtime/kern/sys_misc.c
KERNEL_SRCS	+= runtime/kern/kern_proc.c runtime/kern/kern_exec.c \
		   runtime/kern/kern_syscall.c runtime/kern/sys_file.c \
		   runtime/kern/sys_proc.c runtime/kern/sys_pipe.c \
		   $(PROC_SIG_SRCS) runtime/kern/init_main.c

# Guest programs for the tests, built with musl-gcc next to the tests.
GUEST_TEST_PROGS := hello memory crash
$(O)/guest-tests/%: runtime/kern/tests/guest/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MUSLCC  $<")
	$(Q)musl-gcc -static -O2 -o $@ $<

UNIT_TESTS	+= kern_exec_run_test
PROGRAMS	+= kern_exec_run_test
kern_exec_run_test_OBJS = $(call objs,runtime/kern/tests/exec_run_test.c \
	runtime/kern/kern_proc.c runtime/kern/kern_exec.c \
	runtime/kern/kern_syscall.c runtime/kern/sys_file.c \
	runtime/kern/sys_proc.c runtime/kern/sys_pipe.c \
	$(PROC_SIG_SRCS) runtime/kern/kern_clock.c \
	runtime/kern/imgact_elf.c runtime/kern/tty.c runtime/kern/tty_job.c \
	runtime/kern/kern_sysctl.c runtime/kern/kern_sysctl_std.c \
	runtime/kern/kern_environment.c \
	runtime/kern/kern_exec_stack.c runtime/kern/kern_descrip.c \
	runtime/vfs/vfs_file.c runtime/kern/kern_synch.c \
	runtime/kern/subr_prf.c $(VFS_CORE_SRCS) $(DEV_CORE_SRCS) \
	runtime/kern/kern_malloc.c runtime/vm/vm_page.c \
	runtime/platform/host_sync.c runtime/platform/host_random.c \
	$(GUEST_SRCS))
kern_exec_run_test_LDLIBS := -lcriterion -lpthread
$(O)/bin/kern_exec_run_test: $(addprefix $(O)/guest-tests/,$(GUEST_TEST_PROGS))
