# world/tools.mk - the guest's system tools, static musl programs built
# into $(O)/world/ (included by world/module.mk):
#
#   sysctl	sysctl(8)	the kernel's sysctl variables
#   kenv	kenv(1)		the kernel environment
#   reboot	reboot(8)	also halt and poweroff (one program, by name)
#   shutdown	shutdown(8)
#   fsck	fsck(8)		also fsck_ufs: the checker core of
#				images/tools/fsck_ufs/ over /dev/vkdNsMx
#
# world/install_tools.sh puts them (and their manual pages) into a root
# tree; world/install.sh calls it after the busybox links, so that these
# replace busybox's applets of the same names.

WORLD_TOOLS	:= sysctl kenv reboot shutdown fsck
WORLD_TOOL_BINS	:= $(addprefix $(O)/world/,$(WORLD_TOOLS))
WORLD_MANPAGES	:= world/sysctl/sysctl.8 world/kenv/kenv.1 \
		   world/reboot/reboot.8 world/shutdown/shutdown.8 \
		   world/fsck/fsck.8
WTOOLS_CFLAGS	:= -std=gnu11 -O2 -g0 -I. -D_GNU_SOURCE -Wall -Wextra \
		   -Wmissing-prototypes -Wstrict-prototypes -Wshadow \
		   -Wpointer-arith -Wvla -Wno-unused-parameter \
		   $(if $(filter 1,$(WERROR)),-Werror)

sysctl_WSRCS	:= world/sysctl/sysctl.c
kenv_WSRCS	:= world/kenv/kenv.c
reboot_WSRCS	:= world/reboot/reboot.c world/reboot/rb_down.c
shutdown_WSRCS	:= world/shutdown/shutdown.c world/reboot/rb_down.c
# The same checker as the host's fsck_ufs (FSCK_CORE_SRCS is set by
# images/tools/module.mk, included before this file); no imgdev: the
# guest's special is the partition itself.
fsck_WSRCS	:= world/fsck/fsck_guest.c $(FSCK_CORE_SRCS) \
		   runtime/vfs/ufs/ufs_sb.c

# musl objects of any source, apart from the host's $(O)/<path>.o.
$(O)/world/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  MUSLCC  $<")
	$(Q)musl-gcc $(WTOOLS_CFLAGS) -MMD -MP -c -o $@ $<

define WORLD_TOOL_template
$(O)/world/$(1): $$(patsubst %.c,$(O)/world/obj/%.o,$$($(1)_WSRCS))
	@$$(if $$(Q),echo "  MUSLLD  $$@")
	$$(Q)musl-gcc -static -o $$@ $$^
ALL_WORLD_OBJS	+= $$(patsubst %.c,$(O)/world/obj/%.o,$$($(1)_WSRCS))
endef
$(foreach t,$(WORLD_TOOLS),$(eval $(call WORLD_TOOL_template,$(t))))

.PHONY: world-tools
world-tools: $(WORLD_TOOL_BINS)
all: world-tools

LINT_SRCS	+= world/vireo_sys.h world/sysctl/sysctl.c world/kenv/kenv.c \
		   world/reboot/reboot.c world/reboot/rb_down.c \
		   world/reboot/rb_down.h world/shutdown/shutdown.c \
		   world/fsck/fsck_guest.c

-include $(ALL_WORLD_OBJS:.o=.d)

# make installworld installs the tools too (world/install.sh runs
# world/install_tools.sh DESTDIR $(O)/world): build them first.
installworld: $(WORLD_TOOL_BINS)
