# vireo.profile - how vkh(1) boots the Vireo vkernel (see vkh.profile(5)).
#
# Today's kernel stops at the mountroot prompt: the phases after it (init,
# login, shell) are written below, commented out, for the issues that add
# init and a shell.
name		vireo
command		${kernel} -m ${memory} -n ${ncpu}
image		-r ${image}
env		VKERNEL_DIR=${scratch}
set		memory 64m
set		ncpu 2
newline		"\r"

# Hang detection: a phase not reached in its time, or no console output
# for this long while waiting for one.
silence		10
phase		banner    10 "^Vireo [0-9][^ ]* #"
# Prompts are not anchored at the end of the line: a kernel message may
# follow a prompt on the same line before vkh reads it.
phase		mountroot 20 "^mountroot> "
#phase		init      20 "^Starting init"
#phase		login     60 "login: " send "${user}"
#phase		password  10 "^Password:" optional send "${password}"
#phase		shell     20 "[#$] "
#shell-phase	shell
#set		user root
#set		password ""
prompt-command	"PS1='${prompt_head}''${prompt_tail}'"

# Crashes.  A panic or trap line is confirmed by the exit status 33
# (debug.debugger_on_panic=0) or by the ddb prompt that follows it.
panic		"panic: "
trap		"Fatal trap [0-9]+"
debugger	"^db> $"
panic-status	33
panic-grace	5

shutdown	signal TERM
shutdown-line	"^The operating system has halted\."
shutdown-status	0
shutdown-timeout 15
