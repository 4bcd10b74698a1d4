# world/module.mk - what a root image holds.
#
#   make installworld DESTDIR=dir	busybox-static and its applet links,
#					the world's programs over the applets
#					of the same name, the guest test
#					programs
#   make distribution DESTDIR=dir	the directories and /etc files
#
# scripts/mkimage.sh runs both into a freshly made image, as the
# manual's EXAMPLES do.  busybox is the world except for the programs
# below, which are built with musl-gcc -static into $(O)/world/.
#
# A world program is registered with
#   WORLD_INSTALL += <path in the image>=$(O)/world/<name>
#   world_<name>_SRCS := its sources (world/lib/ may be among them)
#   WORLD_PROGS_BUILT += <name>
# and gets the generic rule below; world/tools.mk (the system tools:
# sysctl, kenv, reboot, shutdown, fsck) registers its programs the same
# way.

BUSYBOX		?= /bin/busybox
WORLD_PROGS	:= $(addprefix $(O)/guest-tests/,ktap_syscalls ktap_files \
		   ktap_procs ktap_pipes ktap_signals ktap_threads ktap_jobs \
		   ktap_smp ktap_perms)
WORLD_CFLAGS	?= -std=gnu11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
		   -Wmissing-prototypes -Wno-unused-parameter
WORLD_LIB_SRCS	:= world/lib/world_tab.c
WORLD_LIB_HDRS	:= world/lib/world.h world/lib/sha512_crypt.h
WORLD_INSTALL	:=
WORLD_PROGS_BUILT :=

# The boot path: init, getty, login, mount, umount (issue 7).
WORLD_PROGS_BUILT += init getty login mount umount
WORLD_INSTALL	+= sbin/init=$(O)/world/init \
		   usr/libexec/getty=$(O)/world/getty \
		   usr/bin/login=$(O)/world/login \
		   sbin/mount=$(O)/world/mount \
		   sbin/umount=$(O)/world/umount
world_init_SRCS	:= world/init/init.c $(WORLD_LIB_SRCS)
world_getty_SRCS := world/getty/getty.c
world_login_SRCS := world/login/login.c world/lib/sha512_crypt.c \
		   $(WORLD_LIB_SRCS)
world_mount_SRCS := world/mount/mount.c $(WORLD_LIB_SRCS)
world_umount_SRCS := world/umount/umount.c $(WORLD_LIB_SRCS)
MANPAGES	+= world/init/init.8 world/getty/getty.8 world/login/login.1 \
		   world/mount/mount.8 world/umount/umount.8 world/etc/rc.8
LINT_SRCS	+= world/lib/world.h world/lib/world_tab.c world/init/init.c \
		   world/getty/getty.c world/login/login.c world/mount/mount.c \
		   world/umount/umount.c world/lib/sha512_crypt.h \
		   world/lib/sha512_crypt.c world/lib/tests/sha512_crypt_test.c

# SHA-512 and the "$6$" crypt of login(1), tested on the host (the file is
# pure C and builds with both compilers): the specifications' vectors and
# the host's crypt(3), whose -lcrypt only this test links.
UNIT_TESTS	+= sha512_crypt_test
PROGRAMS	+= sha512_crypt_test
sha512_crypt_test_OBJS := $(call objs,world/lib/tests/sha512_crypt_test.c \
		   world/lib/sha512_crypt.c)
sha512_crypt_test_LDLIBS := -lcriterion -lcrypt

-include world/tools.mk

define WORLD_template
$(O)/world/$(1): $$(world_$(1)_SRCS) $$(WORLD_LIB_HDRS)
	@mkdir -p $$(@D)
	@$$(if $$(Q),echo "  MUSLCC  $$@")
	$$(Q)musl-gcc -static $$(WORLD_CFLAGS) -I. -o $$@ \
	    $$(world_$(1)_SRCS) $$(world_$(1)_LIBS)
endef
$(foreach p,$(WORLD_PROGS_BUILT),$(eval $(call WORLD_template,$(p))))

# The files the world needs, for the suites that make images.
WORLD_FILES	:= $(foreach w,$(WORLD_INSTALL),$(lastword $(subst =, ,$(w))))
all: $(WORLD_FILES)

.PHONY: installworld distribution world
world: $(WORLD_FILES)

installworld: $(WORLD_PROGS) $(WORLD_FILES)
	@test -n "$(DESTDIR)" || { echo "installworld: set DESTDIR" >&2; exit 64; }
	$(if $(WORLD_TOOLS),WORLD_TOOLDIR=$(O)/world) world/install.sh world \
	    "$(DESTDIR)" "$(BUSYBOX)" $(WORLD_PROGS) $(WORLD_INSTALL)

distribution:
	@test -n "$(DESTDIR)" || { echo "distribution: set DESTDIR" >&2; exit 64; }
	world/install.sh distribution "$(DESTDIR)"

# The boot.login benchmark (harness/bench/benches.conf) boots a copy of
# one image made here, so that no run pays for mkimage.sh.
WORLD_BENCH_IMG	:= $(O)/world/bench-root.img
$(WORLD_BENCH_IMG): $(WORLD_FILES) $(addprefix $(O)/bin/,vnconfig disklabel \
    newfs mount_ufs) scripts/mkimage.sh world/install.sh \
    $(wildcard world/etc/* world/etc/defaults/*)
	@rm -f $@
	+$(Q)scripts/mkimage.sh -s 64m -O $(O) $@ >/dev/null
bench: $(WORLD_BENCH_IMG)
