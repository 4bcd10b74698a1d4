# fake.profile - boot profile of the scripted console fakeos.sh, used by
# the harness self-tests.  "mode" and "arg" choose the misbehaviour.
name		fake
command		/bin/sh ${srcdir}/harness/tests/consoles/fakeos.sh ${mode} ${arg}
image		${image}
env		FAKEOS_SCRATCH=${scratch}
set		srcdir .
set		mode normal
set		arg ""
silence		2
phase		banner    3 "^FakeOS [0-9.]+ #"
phase		rootmount 3 "^Mounting root from "
# Prompts are not anchored at the end: a kernel message may follow them
# on the same line before the engine reads them.
phase		login     3 "login: " send "root"
phase		password  3 "^Password:" optional send "secret"
phase		shell     3 "^fake# "
shell-phase	shell
prompt-command	"PS1='${prompt_head}''${prompt_tail}'"
panic		"panic: "
trap		"Fatal trap [0-9]+"
debugger	"^db> $"
panic-status	33
panic-grace	1
shutdown	signal TERM
shutdown-line	"^The operating system has halted\."
shutdown-status	0
shutdown-timeout 5
