# busybox.profile - the Vireo kernel booting a cd9660 image straight into
# busybox sh as process 1 (-e init_path=/bin/sh): the console reaches a
# shell prompt, so commands run between markers (suites/busybox_test.c).
name		vireo-busybox
command		${kernel} -m ${memory} -n ${ncpu} -e init_path=/bin/sh
image		-c ${image}
env		VKERNEL_DIR=${scratch}
set		memory 128m
set		ncpu 2
newline		"\r"
silence		10
phase		banner    10 "^Vireo [0-9][^ ]* #"
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
