# world.profile - the Vireo kernel booting a root image made by
# scripts/mkimage.sh multi-user, as vkernel(7)'s "Running the kernel"
# does: /sbin/init runs /etc/rc, then getty on the console; root logs in
# (no password on the secure console) and gets a shell.  For the world
# suite (suites/world_test.c).  Tests about single-user mode or the
# login dialogue stop at "root" and go on by hand.
name		vireo-world
command		${kernel} -m ${memory} -n ${ncpu}
image		-r ${image}
env		VKERNEL_DIR=${scratch}
set		memory 64m
set		ncpu 2
newline		"\r"
silence		20
phase		banner    10 "^Vireo [0-9][^ ]* #"
phase		root      10 "^Mounting root from ufs:vkd0s0a"
phase		login     30 "login: " send "root"
phase		shell     20 "[#$] "
shell-phase	shell
prompt-command	"PS1='${prompt_head}''${prompt_tail}'"
panic		"panic: "
trap		"Fatal trap [0-9]+"
debugger	"^db> $"
panic-status	33
panic-grace	5
shutdown	signal TERM
shutdown-line	"^The operating system has halted\."
shutdown-status	0
shutdown-timeout 30
