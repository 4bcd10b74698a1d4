#!/bin/sh
# lint.sh - the checks of "make lint" on the C files given as arguments.
#
#   ci/lint.sh [--] file ...
#
# 1. Formatting: each file must be as clang-format leaves it with the
#    .clang-format at the top of the tree.  The fix is "make format" or
#    clang-format -i on the files named.
# 2. cppcheck: warning, portability and performance checks.  A finding that
#    is wrong is silenced where it occurs with a comment of the form
#    "// cppcheck-suppress <id>" (or the same in a C comment) and a reason.
# 3. Layering: the machine-independent kernel (runtime/ but not
#    runtime/platform/ and not tests/ or fuzz/) includes only the ISO C headers in
#    KERNEL_HEADERS below and quoted headers of the project; everything
#    the host provides goes through runtime/platform/.
#
# All checks run, so that one run shows every problem.  Exit status: 0 when
# clean, 1 when a check found something, 64 for a bad command line, 66 when
# a file does not exist, 69 when a tool is missing (scripts/deps.sh
# installs them).
set -u

KERNEL_HEADERS="assert.h ctype.h errno.h float.h inttypes.h iso646.h
limits.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h
stdnoreturn.h string.h"

prog=lint
root=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	echo "usage: ci/lint.sh [--] file ..." >&2
	exit 64
}

case "${1-}" in
--)	shift ;;
-*)	echo "$prog: unknown option $1" >&2; usage ;;
esac

for f in "$@"; do
	if [ ! -f "$f" ]; then
		echo "$prog: $f: no such file" >&2
		exit 66
	fi
done
if [ $# -eq 0 ]; then
	echo "$prog: no files to check"
	exit 0
fi
for tool in clang-format cppcheck; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "$prog: $tool not found; run scripts/deps.sh" >&2
		exit 69
	fi
done

status=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lint.XXXXXX") || exit 70
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

# 1. Formatting.  Show the start of each difference, not all of it.
unformatted=""
for f in "$@"; do
	if ! clang-format --style=file --fallback-style=none "$f" \
	    >"$tmp/formatted" 2>"$tmp/err"; then
		echo "$prog: $f: clang-format failed:" >&2
		cat "$tmp/err" >&2
		status=1
		continue
	fi
	if ! cmp -s "$f" "$tmp/formatted"; then
		echo "$prog: $f: not formatted as .clang-format says:"
		diff -u "$f" "$tmp/formatted" | sed -n '3,22p'
		unformatted="$unformatted $f"
		status=1
	fi
done
if [ -n "$unformatted" ]; then
	echo "$prog: to fix the formatting: make format, or" \
	    "clang-format -i$unformatted"
fi

# 2. cppcheck.  Its configuration knows libc but not Criterion, whose
# macros would look like syntax errors, nor which kernel functions never
# return; both come from a small library file written here.  Suppressed everywhere, with the reason:
#   missingIncludeSystem  system headers are the compiler's business
#   readdirCalled         it recommends readdir_r(3), which glibc deprecates;
#                         readdir(3) is safe on a DIR of one thread
cat >"$tmp/criterion.cfg" <<'EOF'
<?xml version="1.0"?>
<def format="2">
  <define name="Test(suite,name,...)" value="static void suite##_##name(void)"/>
  <define name="TestSuite(...)" value=""/>
  <define name="ParameterizedTestParameters(suite,name)" value="static void suite##_##name##_params(void)"/>
  <define name="ParameterizedTest(t,suite,name,...)" value="static void suite##_##name(t)"/>
  <!-- The kernel's own: cppcheck 2.10 does not read C11 _Noreturn. -->
  <function name="panic"><noreturn>true</noreturn></function>
  <function name="host_exit"><noreturn>true</noreturn></function>
  <function name="host_park"><noreturn>true</noreturn></function>
  <function name="kern_reboot"><noreturn>true</noreturn></function>
  <function name="start_init"><noreturn>true</noreturn></function>
  <function name="kern_boot"><noreturn>true</noreturn></function>
</def>
EOF
if ! cppcheck --enable=warning,portability,performance --error-exitcode=1 \
    --inline-suppr -q --std=c11 --language=c --platform=unix64 \
    -D_GNU_SOURCE -D__GNUC__ -I"$root" \
    --library=posix --library=gnu --library=bsd \
    --library="$tmp/criterion.cfg" \
    --suppress=missingIncludeSystem --suppress=readdirCalled \
    --template='{file}:{line}: {severity} ({id}): {message}' \
    "$@" 2>&1; then
	echo "$prog: cppcheck found the problems above"
	status=1
fi

# 3. Layering.  Paths are taken relative to the top of the tree, so that
# the rule holds wherever the script is run from.
for f in "$@"; do
	rel=$(realpath -m --relative-to="$root" "$f")
	case "$rel" in
	runtime/platform/* | runtime/*/tests/* | runtime/*/*/tests/* | \
	    runtime/*/fuzz/* | runtime/*/*/fuzz/*) continue ;;
	runtime/*) ;;
	*) continue ;;
	esac
	# Each #include becomes "line kind name", kind being angle, quote
	# or other (#include_next, or a macro).
	awk '
	/^[ \t]*#[ \t]*include/ {
		s = $0
		sub(/^[ \t]*#[ \t]*include[_a-z]*[ \t]*/, "", s)
		if ($0 ~ /^[ \t]*#[ \t]*include_next/)
			print NR, "other", s
		else if (s ~ /^</)
			print NR, "angle", substr(s, 2, index(s, ">") - 2)
		else if (s ~ /^"/) {
			t = substr(s, 2)
			print NR, "quote", substr(t, 1, index(t, "\"") - 1)
		} else
			print NR, "other", s
	}' "$f" >"$tmp/includes"
	dir=$(dirname "$f")
	while read -r line kind name; do
		case "$kind" in
		angle)
			case " $(echo $KERNEL_HEADERS) " in
			*" $name "*) continue ;;
			esac
			echo "$rel:$line: <$name> is not an ISO C header the" \
			    "kernel may use; reach the host through" \
			    "runtime/platform/platform.h"
			status=1
			;;
		quote)
			if [ ! -f "$root/$name" ] && [ ! -f "$dir/$name" ]; then
				echo "$rel:$line: \"$name\" is not a header of" \
				    "the project"
				status=1
			fi
			;;
		*)
			echo "$rel:$line: cannot check the include \"$name\";" \
			    "write #include \"path\" or <header>"
			status=1
			;;
		esac
	done <"$tmp/includes"
done

if [ "$status" -eq 0 ]; then
	echo "$prog: $# files clean"
fi
exit "$status"
