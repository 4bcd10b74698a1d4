#!/bin/sh
# install.sh - installs the guest world into a root directory:
#   install.sh world DESTDIR BUSYBOX [PROGRAM...]
#	busybox-static as /bin/busybox with a link for every applet in the
#	place busybox names (bin/, sbin/, usr/bin/, usr/sbin/), and each
#	PROGRAM (the musl-built guest programs) in /usr/tests/vireo;
#   install.sh distribution DESTDIR
#	the directory skeleton and the files of /etc from world/etc.
# Used by "make installworld" and "make distribution" (world/module.mk),
# which scripts/mkimage.sh runs.  Exit status: 0, 64 (usage), 66 (no
# input), 73 (cannot create).
set -eu

usage() {
	echo "usage: install.sh world DESTDIR BUSYBOX [PROGRAM...]" >&2
	echo "       install.sh distribution DESTDIR" >&2
	exit 64
}

[ $# -ge 2 ] || usage
what=$1
dest=$2
shift 2
if [ -z "$dest" ] || [ ! -d "$dest" ]; then
	echo "install.sh: DESTDIR '$dest' is not a directory" >&2
	exit 66
fi
top=$(cd "$(dirname "$0")/.." && pwd)

case $what in
world)
	[ $# -ge 1 ] || usage
	busybox=$1
	shift
	if [ ! -x "$busybox" ]; then
		echo "install.sh: no busybox at $busybox" >&2
		exit 66
	fi
	mkdir -p "$dest/bin" "$dest/sbin" "$dest/usr/bin" "$dest/usr/sbin" \
	    "$dest/usr/tests/vireo" || exit 73
	install -m 755 "$busybox" "$dest/bin/busybox" || exit 73
	# One hard link per applet, where busybox itself puts it.
	"$busybox" --list-full | while read -r applet; do
		case $applet in
		*/busybox) continue ;;
		esac
		rm -f "$dest/$applet"
		ln "$dest/bin/busybox" "$dest/$applet" || exit 73
	done
	for p in "$@"; do
		install -m 755 "$p" "$dest/usr/tests/vireo/" || exit 73
	done
	;;
distribution)
	[ $# -eq 0 ] || usage
	for d in dev proc tmp mnt root var var/run var/log var/tmp etc; do
		mkdir -p "$dest/$d" || exit 73
	done
	chmod 1777 "$dest/tmp" "$dest/var/tmp"
	chmod 700 "$dest/root"
	for f in passwd group motd; do
		install -m 644 "$top/world/etc/$f" "$dest/etc/$f" || exit 73
	done
	;;
*)
	usage
	;;
esac
