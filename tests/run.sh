#!/bin/sh
# run.sh - every test suite, one summary line at the end: "N passed, N failed".
#
# A suite is either a cmocka binary (build/tests/test_*, run with TAP output)
# or a script under tests/ that prints "PASS: name" or "FAIL: name: why" per
# check. A suite that dies without reporting counts as one failure.
cd "$(dirname "$0")/.." || exit 2
log=$(mktemp)
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
trap 'rm -f "$log"; rm -rf "$XDG_STATE_HOME" $own_home' EXIT
passed=0
failed=0

count() {  # suite name, then its output in $log
	p=$(grep -c -E '^(ok |PASS: )' "$log")
	f=$(grep -c -E '^(not ok |FAIL: )' "$log")
	grep -E '^(not ok |FAIL: )' "$log" | sed "s|^|  $1: |"
	passed=$((passed + p))
	failed=$((failed + f))
	echo "$1: $p passed, $f failed"
}

for t in "${BUILD:-build}"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if ! CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1; then
		grep -q -E '^not ok ' "$log" || echo "FAIL: $name: exited with an error" >>"$log"
	fi
	count "$name"
done

for s in tests/layers.sh tests/lessons/run.sh tests/lessons/narrate.sh tests/lessons/kernel.sh tests/lessons/kernel-lessons.sh tests/lessons/pcap.sh tests/lessons/check.sh tests/lessons/code.sh tests/bad/run.sh tests/fuzz/run.sh tests/cli.sh tests/plain.sh tests/record.sh tests/programs/run.sh tests/programs/tui.sh tests/e2e/tui.sh tests/e2e/time.sh tests/e2e/replay.sh tests/e2e/faults.sh; do
	[ -f "$s" ] || continue
	if ! bash "$s" >"$log" 2>&1; then
		grep -q -E '^FAIL: ' "$log" || echo "FAIL: $s: exited with an error" >>"$log"
	fi
	count "$s"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
