# runtime/platform/guest/module.mk - the guest-execution backend (systrap)
# with its stub, unit tests and benchmark.
#
# The stub is not kernel code: it is compiled freestanding, without libc,
# sanitizers or the kernel's flags, linked at its fixed address by
# guest_stub.lds and turned into a flat blob that guest_blob.c embeds
# (.incbin) in the kernel.

GUEST_DIR	:= runtime/platform/guest
GUEST_SRCS	:= $(GUEST_DIR)/guest_backend.c $(GUEST_DIR)/guest_blob.c \
		   $(GUEST_DIR)/guest_filter.c $(GUEST_DIR)/guest_systrap.c \
		   $(GUEST_DIR)/guest_thread.c $(GUEST_DIR)/guest_memory.c
KERNEL_SRCS	+= $(GUEST_SRCS)

GUEST_STUB_CFLAGS := -std=gnu11 -Os -g0 -ffreestanding -nostdlib -static \
		   -fpie -fno-stack-protector -fno-sanitize=all \
		   -fno-asynchronous-unwind-tables -fno-unwind-tables \
		   -fcf-protection=none -mgeneral-regs-only -fno-builtin \
		   -Wall -Wextra -Werror -Wmissing-prototypes \
		   -Wstrict-prototypes -Wshadow -Wvla -Wformat=2
GUEST_STUB_OBJS	:= $(O)/$(GUEST_DIR)/stub/guest_stub.o \
		   $(O)/$(GUEST_DIR)/stub/guest_stub_entry.o
GUEST_STUB_BIN	:= $(O)/$(GUEST_DIR)/stub/guest_stub.bin

$(O)/$(GUEST_DIR)/stub/guest_stub.o: $(GUEST_DIR)/guest_stub.c \
    $(GUEST_DIR)/guest_stub.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) -I. $(GUEST_STUB_CFLAGS) -c -o $@ $<
$(O)/$(GUEST_DIR)/stub/guest_stub_entry.o: $(GUEST_DIR)/guest_stub_entry.S \
    $(GUEST_DIR)/guest_stub.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) -I. $(GUEST_STUB_CFLAGS) -c -o $@ $<
$(O)/$(GUEST_DIR)/stub/guest_stub.elf: $(GUEST_STUB_OBJS) \
    $(GUEST_DIR)/guest_stub.lds
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(GUEST_STUB_CFLAGS) -no-pie -Wl,--build-id=none \
	    -T $(GUEST_DIR)/guest_stub.lds -o $@ $(GUEST_STUB_OBJS)
$(GUEST_STUB_BIN): $(O)/$(GUEST_DIR)/stub/guest_stub.elf
	$(Q)objcopy -O binary -j .text $< $@
$(O)/$(GUEST_DIR)/guest_blob.o: $(GUEST_STUB_BIN)
$(O)/$(GUEST_DIR)/guest_blob.o: CPPFLAGS += \
    -DGUEST_STUB_BIN='"$(GUEST_STUB_BIN)"'

# Guest code of the tests and the benchmark (copied into guest memory).
GUEST_CODE_OBJS	:= $(call objs,$(GUEST_DIR)/tests/guest_code.c)

PROGRAMS	+= guest_test guest_bench
UNIT_TESTS	+= guest_test
guest_test_OBJS	:= $(call objs,$(filter-out $(GUEST_DIR)/tests/guest_code.c, \
		   $(wildcard $(GUEST_DIR)/tests/*.c)) $(GUEST_SRCS)) \
		   $(GUEST_CODE_OBJS)
guest_test_LDLIBS := -lcriterion -lpthread
guest_bench_OBJS := $(call objs,$(GUEST_DIR)/guest_bench.c $(GUEST_SRCS)) \
		   $(GUEST_CODE_OBJS)
guest_bench_LDLIBS := -lpthread

LINT_SRCS	+= $(wildcard $(GUEST_DIR)/*.[ch] $(GUEST_DIR)/tests/*.[ch])
