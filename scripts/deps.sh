#!/bin/sh
# deps.sh - install the Debian 12 packages this project needs to build and test.
#
# Idempotent: packages already present are left alone, and apt-get runs only
# when something is missing.  Used by the README's quick start and by .ci/run.
# Run as root (or through sudo).  Exit status: 0 on success, 69 (EX_UNAVAILABLE)
# when a package cannot be installed.
set -eu

PACKAGES="
build-essential
pkg-config
python3
libcriterion-dev
tcl-expect-dev
zlib1g-dev
clang-format
cppcheck
clang
libclang-rt-14-dev
musl-tools
busybox-static
xorriso
makefs
sleuthkit
libfuse3-dev
fuse3
liblwip-dev
iproute2
procps
util-linux
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -q ||
    ! $SUDO apt-get install -y -q --no-install-recommends $missing; then
	echo "deps: apt-get could not install:$missing" >&2
	exit 69
fi
