#!/bin/sh
# fakeos.sh - a scripted console that plays a kernel for the harness
# self-tests (harness/tests/fake.profile runs it).  It prints a fake boot,
# asks for a login and runs /bin/sh as the guest shell, or misbehaves the
# way MODE says:
#
#   normal          boot, login, shell; SIGTERM halts with status 0
#   noisy           normal, plus fake kernel messages every 20 ms
#   panic-midline   a panic message in the middle of a boot line, exit 33
#   flood           100000 lines, then a long line without a newline, then
#                   a normal boot
#   silence PHASE   stops talking before PHASE (rootmount or login)
#   fakepanic       a "panic:" line from userland; the boot goes on
#   exit N          exits with status N during the boot
#   signal SIG      kills itself with SIG during the boot
#   debugger        panics and waits at a "db> " prompt
#   dbonly          a "db> " prompt without a panic
#   badhalt N       normal, but SIGTERM exits with status N and no halt line
#   flaky FILE      exit 1 the first time (FILE missing), then normal
mode=${1:-normal}
arg=${2-}

banner() {
	echo "FakeOS 1.0 #0: scripted console"
	echo "real memory = 67108864"
}

rootmount() {
	echo "Mounting root from fake:vkd0s0a"
	echo "init: starting rc"
}

halt() {
	[ -n "${child-}" ] && kill -KILL "$child" 2>/dev/null
	echo "Caught SIGTERM from host system. Shutting down..."
	echo "The operating system has halted."
	exit 0
}

login() {
	printf 'login: '
	read -r user
	printf 'Password:'
	read -r pw
	if [ "$user" != root ] || [ "$pw" != secret ]; then
		echo "Login incorrect"
		exit 1
	fi
	# The shell runs in the background so that this script, the "kernel",
	# still catches SIGTERM; fd 3 keeps it on the terminal.
	exec 3<&0
	PS1='fake# ' /bin/sh -i 0<&3 &
	child=$!
	while kill -0 "$child" 2>/dev/null; do
		wait "$child"
	done
	echo "init: shell exited"
	exit 0
}

trap halt TERM
case $mode in
normal) ;;
noisy)
	(while :; do echo "vkd0: fake kernel message VKE.0:0 VKB.0"; \
	    sleep 0.02; done) &
	;;
panic-midline)
	banner
	printf 'Mounting root from fa'
	sleep 0.2
	printf 'panic: mid-line trouble\ncpuid = 0\n'
	exit 33
	;;
flood)
	banner
	i=0
	yes "vkd0: flood of console messages to drown the harness" |
	    head -n 100000
	head -c 200000 /dev/zero | tr '\0' x
	echo
	;;
silence)
	banner
	[ "$arg" = rootmount ] && exec sleep 1000
	rootmount
	exec sleep 1000
	;;
fakepanic)
	banner
	echo "test_program: panic: this is only a program printing text"
	;;
exit)
	banner
	exit "$arg"
	;;
signal)
	banner
	sleep 0.1
	kill -s "$arg" $$
	sleep 5
	;;
debugger)
	banner
	echo "panic: fake ddb panic"
	echo "cpuid = 1"
	printf 'db> '
	read -r cmd
	exec sleep 1000
	;;
dbonly)
	banner
	printf 'db> '
	exec sleep 1000
	;;
badhalt)
	trap 'kill -KILL $child; echo "Syncing..."; exit $arg' TERM
	;;
flaky)
	if [ ! -e "$arg" ]; then
		: >"$arg"
		banner
		exit 1
	fi
	;;
*)
	echo "fakeos: unknown mode $mode" >&2
	exit 64
	;;
esac
[ "$mode" = flood ] || banner
rootmount
login
