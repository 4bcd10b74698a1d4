# ufs.profile - the Vireo kernel booting a UFS root disk (-r, root
# ufs:vkd0s0a, mounted read-only as BSD does) straight into busybox sh as
# process 1, for the disk suites (suites/disks_test.c).  Further images
# become vkd1, vkd2...
name		vireo-ufs
command		${kernel} -m ${memory} -n ${ncpu} -e init_path=/bin/sh
image		-r ${image}
env		VKERNEL_DIR=${scratch}
set		memory 128m
set		ncpu 2
newline		"\r"
silence		10
phase		banner    10 "^Vireo [0-9][^ ]* #"
phase		root      10 "^Mounting root from ufs:vkd0s0a"
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
shutdown-timeout 15
