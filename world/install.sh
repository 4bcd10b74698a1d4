#!/bin/sh
# install.sh - installs the guest world into a root directory:
#   install.sh world DESTDIR BUSYBOX [PATH=PROGRAM | PROGRAM]...
#	busybox-static as /bin/busybox with a link for every applet in the
#	place busybox names (bin/, sbin/, usr/bin/, usr/sbin/); each
#	PATH=PROGRAM (the world's programs: sbin/init=obj/world/init)
#	installed as DESTDIR/PATH, replacing busybox's applet of that name
#	wherever busybox put it; each plain PROGRAM (the musl-built guest
#	test programs) in /usr/tests/vireo; then, when WORLD_TOOLDIR is
#	set (world/tools.mk), world/install_tools.sh DESTDIR WORLD_TOOLDIR;
#   install.sh distribution DESTDIR
#	the directory skeleton and the files of /etc from world/etc
#	(master.passwd mode 600, the others 644).
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
		case $p in
		*=*)
			path=${p%%=*}
			prog=${p#*=}
			name=${path##*/}
			# Ours, not busybox's: no applet of the name stays.
			for d in bin sbin usr/bin usr/sbin; do
				if [ -f "$dest/$d/$name" ] &&
				    [ "$dest/$d/$name" -ef "$dest/bin/busybox" ]; then
					rm -f "$dest/$d/$name"
				fi
			done
			mkdir -p "$dest/${path%/*}" || exit 73
			install -m 755 "$prog" "$dest/$path" || exit 73
			;;
		*)
			install -m 755 "$p" "$dest/usr/tests/vireo/" || exit 73
			;;
		esac
	done
	# The system tools of world/tools.mk, when make built them.
	if [ -n "${WORLD_TOOLDIR-}" ]; then
		"$top/world/install_tools.sh" "$dest" "$WORLD_TOOLDIR" ||
		    exit $?
	fi
	;;
distribution)
	[ $# -eq 0 ] || usage
	for d in dev proc tmp mnt cdrom root var var/run var/log var/tmp \
	    etc etc/defaults usr/libexec; do
		mkdir -p "$dest/$d" || exit 73
	done
	chmod 1777 "$dest/tmp" "$dest/var/tmp"
	chmod 700 "$dest/root"
	for f in passwd group motd profile ttys gettytab fstab rc rc.shutdown \
	    rc.conf defaults/rc.conf; do
		install -m 644 "$top/world/etc/$f" "$dest/etc/$f" || exit 73
	done
	install -m 600 "$top/world/etc/master.passwd" \
	    "$dest/etc/master.passwd" || exit 73
	;;
*)
	usage
	;;
esac
