#!/bin/bash
# Golden --plain runs: every lesson with a tests/lessons/NAME.expect file runs
# for real and must print exactly that, once ephemeral ports (which the kernel
# picks) and the network line (which depends on the machine) are masked.
# Packet and socket-state lines ("~") are left out here: when TCP sends a pure
# ACK, or passes through FIN_WAIT2 quickly enough to be missed, is up to its
# timers; tests/lessons/kernel.sh checks the order of the ones that matter.
# So is a fold marker that counts only packets (a lesson past the timeline's
# first 1000 events, sendall's: how many is up to TCP); one that folds calls
# stays, and must match.
cd "$(dirname "$0")/../.." || exit 2

normalize() {
	sed -E -e '/^# (network|kernel view):/d' -e '/^ +~ /d' \
	       -e '/^sockstep +-- folded here, a long transfer keeping its first and last events: 0 calls /d' \
	       -e 's/:(3[2-9][0-9]{3}|[45][0-9]{4}|60[0-9]{3})\b/:EPHEMERAL/g'
}

for expect in tests/lessons/*.expect; do
	name=$(basename "$expect" .expect)
	lesson=$(ls lessons/[0-9][0-9]-"$name".lesson 2>/dev/null | head -n 1)
	if [ -z "$lesson" ]; then
		echo "FAIL: $name: no lesson file for $expect"
		continue
	fi
	out=$(./sockstep --plain "$lesson" 2>&1)
	status=$?
	if [ $status -ne 0 ]; then
		echo "FAIL: $name: exit status $status"
		echo "$out" | tail -n 5 | sed 's/^/    /'
		continue
	fi
	if diff -u "$expect" <(echo "$out" | normalize) >/tmp/sockstep-diff.$$ 2>&1; then
		echo "PASS: $name: plain run matches"
	else
		echo "FAIL: $name: plain run differs"
		head -n 30 /tmp/sockstep-diff.$$ | sed 's/^/    /'
	fi
	rm -f /tmp/sockstep-diff.$$
done
