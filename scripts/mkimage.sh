#!/bin/sh
# mkimage.sh - makes a root disk image for the vkernel the way vkernel(7)'s
# EXAMPLES section does:
#
#	dd, vnconfig -c, disklabel -r -w ... auto, disklabel -R (an 'a'
#	partition over the slice), newfs, mount (mount_ufs, FUSE),
#	make installworld DESTDIR=, make distribution DESTDIR=, /etc/fstab
#	and /etc/ttys, umount, vnconfig -u
#
# usage: scripts/mkimage.sh [-s size] [-O objdir] image
#   -s size	the image size (dd's units: 64m, 1g; default 128m)
#   -O objdir	where the tools were built (default obj, as make's O=)
#
# Each step is shown as it runs.  A failing step stops the script with
# the step named; then nothing stays mounted or attached and the half-made
# image is removed.  An image that exists already is refused (nothing is
# overwritten).  Exit status: 0, 64 (usage), 69 (a tool is missing), 73
# (the image exists or cannot be made), 70 (a step failed).
set -u

size=128m
objdir=obj
usage() {
	echo "usage: mkimage.sh [-s size] [-O objdir] image" >&2
	exit 64
}
while getopts s:O: opt; do
	case $opt in
	s) size=$OPTARG ;;
	O) objdir=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
img=$1
top=$(cd "$(dirname "$0")/.." && pwd)
case $objdir in
/*) bin=$objdir/bin ;;
*) bin=$top/$objdir/bin ;;
esac
case $img in
/*) ;;
*) img=$(pwd)/$img ;;
esac

for t in vnconfig disklabel newfs mount_ufs; do
	if [ ! -x "$bin/$t" ]; then
		echo "mkimage: $bin/$t is missing: run make first" >&2
		exit 69
	fi
done
command -v fusermount3 >/dev/null 2>&1 ||
	{ echo "mkimage: fusermount3 is missing (Debian fuse3)" >&2; exit 69; }
# The size in MiB (dd's count): a number with k, m or g.
case $size in
*[!0-9kmgKMG]* | "" | [kmgKMG]* | *[kmgKMG]?*)
	echo "mkimage: bad size '$size'" >&2
	exit 64 ;;
*[kK]) mib=$((${size%?} / 1024)) ;;
*[gG]) mib=$((${size%?} * 1024)) ;;
*[mM]) mib=${size%?} ;;
*) mib=$((size / 1048576)) ;;
esac
if [ "$mib" -lt 8 ]; then
	echo "mkimage: size '$size' is under 8m" >&2
	exit 64
fi
if [ -e "$img" ]; then
	echo "mkimage: $img exists: remove it first" >&2
	exit 73
fi

vn=""
mnt=""
fusepid=""
done_ok=0
cleanup() {
	if [ -n "$mnt" ]; then
		fusermount3 -u "$mnt" 2>/dev/null
		[ -n "$fusepid" ] && wait "$fusepid" 2>/dev/null
		rmdir "$mnt" 2>/dev/null
	fi
	[ -n "$vn" ] && "$bin/vnconfig" -u "$vn" 2>/dev/null
	[ $done_ok -eq 1 ] || rm -f "$img"
}
trap cleanup EXIT
trap 'exit 70' INT TERM HUP

step() {
	echo "==> $*"
}
fail() {
	echo "mkimage: step failed: $*" >&2
	exit 70
}

step "dd if=/dev/zero of=$img bs=1M count=0 seek=$mib"
dd if=/dev/zero of="$img" bs=1M count=0 seek="$mib" 2>/dev/null ||
	{ echo "mkimage: cannot make $img" >&2; exit 73; }

# The first free vn unit.
n=0
while "$bin/vnconfig" -l 2>/dev/null | grep -q "^vn$n:"; do
	n=$((n + 1))
done
step "vnconfig -c vn$n $img"
"$bin/vnconfig" -c "vn$n" "$img" || fail "vnconfig -c vn$n"
vn=vn$n

step "disklabel -r -w ${vn}s0 auto"
"$bin/disklabel" -r -w "${vn}s0" auto || fail "disklabel -r -w"

# The manual edits the label to add 'a'; the same, without an editor:
# 'a' from sector 16 (after the label area) to the end of the slice.
step "disklabel -R ${vn}s0 (a: 4.2BSD over the slice)"
proto=$(mktemp) || fail "mktemp"
"$bin/disklabel" "${vn}s0" >"$proto" || { rm -f "$proto"; fail "disklabel"; }
csize=$(awk '$1 == "c:" { print $2 }' "$proto")
[ -n "$csize" ] || { rm -f "$proto"; fail "no c partition in the label"; }
echo "  a: $((csize - 16)) 16 4.2BSD" >>"$proto"
"$bin/disklabel" -R "${vn}s0" "$proto"
r=$?
rm -f "$proto"
[ $r -eq 0 ] || fail "disklabel -R"

step "newfs /dev/${vn}s0a"
"$bin/newfs" "/dev/${vn}s0a" >/dev/null || fail "newfs"

mnt=$(mktemp -d) || fail "mktemp -d"
step "mount /dev/${vn}s0a $mnt"
"$bin/mount_ufs" -f "/dev/${vn}s0a" "$mnt" &
fusepid=$!
i=0
until grep -q " $mnt fuse" /proc/mounts; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$fusepid" 2>/dev/null; then
		fusepid=""
		fail "mount_ufs"
	fi
	sleep 0.05
done

step "make installworld DESTDIR=$mnt"
make -s -C "$top" O="$objdir" installworld DESTDIR="$mnt" ||
	fail "make installworld"
step "make distribution DESTDIR=$mnt"
make -s -C "$top" O="$objdir" distribution DESTDIR="$mnt" ||
	fail "make distribution"

step "/etc/fstab and /etc/ttys"
cat >"$mnt/etc/fstab" <<'FSTAB' || fail "fstab"
# Device		Mountpoint	FStype	Options	Dump	Pass#
/dev/vkd0s0a		/		ufs	rw	1	1
proc			/proc		procfs	rw	0	0
FSTAB
cat >"$mnt/etc/ttys" <<'TTYS' || fail "ttys"
# name	getty				type	status		comments
console	"/usr/libexec/getty Pc"		cons25	on	secure
TTYS

step "umount $mnt"
fusermount3 -u "$mnt" || fail "umount"
wait "$fusepid" || { fusepid=""; fail "mount_ufs at unmount"; }
fusepid=""
rmdir "$mnt"
mnt=""

step "vnconfig -u $vn"
"$bin/vnconfig" -u "$vn" || fail "vnconfig -u"
vn=""
done_ok=1
echo "mkimage: $img is ready: kernel -m 64m -r $img"
