#!/bin/sh
# run.sh - the test suites, and one summary line at the end:
# "N passed, N failed, N skipped".
#
#   sh tests/run.sh             every suite (make check)
#   sh tests/run.sh SCRIPT...   only these scripts (make valgrind, or a few
#                               while working on them)
#
# A suite is a cmocka binary or a script, both found by pattern, never listed
# by hand: a suite added or renamed runs without anyone remembering to add it
# here, and one that cannot run is a failure, not a silent gap.
#   - cmocka: for every tests/unit/test_NAME.c, BUILD/tests/test_NAME run with
#     TAP output; a source without its binary is a failure.
#   - scripts: every tests/**/*.sh, except the helpers the scripts source
#     (lib*.sh), this runner, and tests/valgrind.sh (`make valgrind`: too slow
#     for make check). In path order, so every run runs them the same way.
#
# A script prints one line per check: "PASS: name", "FAIL: name: why" or
# "SKIP: name: why" (what it could not check on this machine, and why); TAP's
# "ok" and "not ok" lines count the same way, and a "# SKIP" one, whichever
# of the two it is, as skipped. A skip is neither passed nor failed: it is
# counted apart and listed under its suite, so that what was not checked is
# seen. Only a failure makes the status non-zero. A suite that exits with an
# error without saying FAIL, or that reports nothing at all (a helper taken
# for a suite, a script that died early), counts as one failure.
cd "$(dirname "$0")/.." || exit 2
log=$(mktemp)
tally=$(mktemp)
# A lesson a test finishes is recorded as progress: in a directory of the
# run's own, never in the student's file.
XDG_STATE_HOME=$(mktemp -d)
export XDG_STATE_HOME
# Without HOME, the C library asks nscd for the user's home (a shell's ~,
# Python's site): real socket calls that the programs' golden timelines do
# not hold. A run without one (CI may start so) gets a home of its own.
own_home=
if [ -z "${HOME:-}" ]; then
	own_home=$(mktemp -d)
	HOME=$own_home
	export HOME
fi
trap 'rm -f "$log" "$tally"; rm -rf "$XDG_STATE_HOME" $own_home' EXIT
passed=0
failed=0
skipped=0

# The suite's verdicts, in $log: its failures and skips listed, then its line.
count() {  # suite name
	awk -v suite="$1" -v tally="$tally" '
		/^SKIP: / || /^(not )?ok .*# [Ss][Kk][Ii][Pp]/ { s++; print "  " suite ": " $0; next }
		/^(not ok |FAIL: )/ { f++; print "  " suite ": " $0; next }
		/^(ok |PASS: )/ { p++ }
		END {
			if (p + f + s == 0) {
				f = 1
				print "  " suite ": FAIL: " suite ": reported nothing"
			}
			print p + 0, f + 0, s + 0 > tally
		}' "$log"
	read -r p f s <"$tally"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	echo "$1: $p passed, $f failed, $s skipped"
}

# Did the suite say FAIL (a skip is not a failure)?
said_fail() {
	grep -E '^(not ok |FAIL: )' "$log" | grep -q -v -E '# [Ss][Kk][Ii][Pp]'
}

run_script() {
	if ! bash "$1" >"$log" 2>&1; then
		said_fail || echo "FAIL: $1: exited with an error" >>"$log"
	fi
	count "$1"
}

if [ $# -gt 0 ]; then
	for s in "$@"; do
		run_script "$s"
	done
else
	build=${BUILD:-build}
	for src in tests/unit/test_*.c; do
		[ -f "$src" ] || continue
		name=$(basename "$src" .c)
		t=$build/tests/$name
		if [ ! -x "$t" ]; then
			echo "FAIL: $name: $t was not built (make unit)" >"$log"
		elif ! CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1; then
			said_fail || echo "FAIL: $name: exited with an error" >>"$log"
		fi
		count "$name"
	done
	for s in $(find tests -name '*.sh' ! -name 'lib*.sh' ! -path tests/run.sh ! -path tests/valgrind.sh |
		LC_ALL=C sort); do
		run_script "$s"
	done
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
