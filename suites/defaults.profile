# defaults.profile - the vireo profile without -n, for the test of the
# kernel's default cpu count (suites/options_test.c).  The rest follows
# harness/profiles/vireo.profile.
name		vireo-defaults
command		${kernel} -m ${memory}
env		VKERNEL_DIR=${scratch}
set		memory 64m
newline		"\r"
silence		10
phase		banner    10 "^Vireo [0-9][^ ]* #"
phase		mountroot 20 "^mountroot> "
panic		"panic: "
trap		"Fatal trap [0-9]+"
debugger	"^db> $"
panic-status	33
panic-grace	5
shutdown	signal TERM
shutdown-line	"^The operating system has halted\."
shutdown-status	0
shutdown-timeout 15
