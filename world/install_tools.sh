#!/bin/sh
# install_tools.sh - installs the guest's system tools (world/tools.mk)
# into a root tree, over busybox's applets of the same names:
#
#   install_tools.sh DESTDIR TOOLDIR
#
#	TOOLDIR is where make built them ($(O)/world).  Installs
#	/sbin/sysctl, /bin/kenv, /sbin/reboot with /sbin/halt and
#	/sbin/poweroff as hard links, /sbin/shutdown, /sbin/fsck with
#	/sbin/fsck_ufs, and their manual pages under /usr/share/man.
#
# world/install.sh runs it for "make installworld", after the busybox
# links (an existing name is removed first, never written through: the
# busybox links are hard links to /bin/busybox).  Exit status: 0, 64
# (usage), 66 (a tool or page is missing), 73 (cannot create).
set -eu

if [ $# -ne 2 ]; then
	echo "usage: install_tools.sh DESTDIR TOOLDIR" >&2
	exit 64
fi
dest=$1
tools=$2
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$dest" ]; then
	echo "install_tools.sh: DESTDIR '$dest' is not a directory" >&2
	exit 66
fi

# name, place in the tree, further names (hard links).
progs="sysctl:sbin: kenv:bin: reboot:sbin:halt,poweroff shutdown:sbin:
fsck:sbin:fsck_ufs"
# page, section, further names.
pages="sysctl/sysctl:8: kenv/kenv:1: reboot/reboot:8:halt,poweroff
shutdown/shutdown:8: fsck/fsck:8:fsck_ufs"

for p in $progs; do
	name=${p%%:*}
	if [ ! -x "$tools/$name" ]; then
		echo "install_tools.sh: no $tools/$name: run make first" >&2
		exit 66
	fi
done

put() { # source target mode
	rm -f "$2" || exit 73
	install -m "$3" "$1" "$2" || exit 73
}
link() { # target alias
	rm -f "$2" || exit 73
	ln "$1" "$2" || exit 73
}

for p in $progs; do
	name=${p%%:*}
	rest=${p#*:}
	dir=${rest%%:*}
	aliases=$(echo "${rest#*:}" | tr , ' ')
	mkdir -p "$dest/$dir" || exit 73
	put "$tools/$name" "$dest/$dir/$name" 555
	for a in $aliases; do
		link "$dest/$dir/$name" "$dest/$dir/$a"
	done
done

for m in $pages; do
	src=${m%%:*}
	rest=${m#*:}
	sec=${rest%%:*}
	aliases=$(echo "${rest#*:}" | tr , ' ')
	name=${src##*/}
	if [ ! -f "$top/world/$src.$sec" ]; then
		echo "install_tools.sh: no world/$src.$sec" >&2
		exit 66
	fi
	mkdir -p "$dest/usr/share/man/man$sec" || exit 73
	put "$top/world/$src.$sec" "$dest/usr/share/man/man$sec/$name.$sec" 444
	for a in $aliases; do
		link "$dest/usr/share/man/man$sec/$name.$sec" \
		    "$dest/usr/share/man/man$sec/$a.$sec"
	done
done
