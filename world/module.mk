# world/module.mk - what a root image holds.
#
#   make installworld DESTDIR=dir	busybox-static and its applet links,
#					the guest test programs
#   make distribution DESTDIR=dir	the directories and /etc files
#
# scripts/mkimage.sh runs both into a freshly made image, as the
# manual's EXAMPLES do.  XXX init, getty, login and the rc scripts
# arrive with the world issue; until then busybox is the world.

BUSYBOX		?= /bin/busybox
WORLD_PROGS	:= $(addprefix $(O)/guest-tests/,ktap_syscalls ktap_files \
		   ktap_procs ktap_pipes ktap_signals ktap_threads ktap_jobs \
		   ktap_smp)

.PHONY: installworld distribution
installworld: $(WORLD_PROGS)
	@test -n "$(DESTDIR)" || { echo "installworld: set DESTDIR" >&2; exit 64; }
	world/install.sh world "$(DESTDIR)" "$(BUSYBOX)" $(WORLD_PROGS)

distribution:
	@test -n "$(DESTDIR)" || { echo "distribution: set DESTDIR" >&2; exit 64; }
	world/install.sh distribution "$(DESTDIR)"
