#!/bin/bash
# escape.sh - a program sockstep runs is the student's, or anyone's: what
# it can do must not take sockstep over nor leave the lesson's network.
# Hostile programs (tests/programs, built by make) try, each under
# `sockstep run --plain`, and what they reached is read from their own
# output. Run as root (as CI is) the programs could do the most; each
# check says what it needs.
cd "$(dirname "$0")/../.." || exit 2
P=$PWD/${BUILD:-build}/programs
. tests/lib.sh

# The private channel is private: for each ancestor up to sockstep's first
# process the program tries pidfd_getfd on its descriptors, ptrace and
# /proc/PID/mem for writing; then setns into the network of pid 1 and of
# what started sockstep. Neither sockstep nor its tracer is reached, and
# the program stays in the lesson's network, in a namespace or not.
for net in "" --no-netns; do
	timeout 60 ./sockstep run --plain $net --server "$P/reach_ancestors" >"$tmp/reach" 2>&1
	status=$?
	what="a program reaches neither sockstep nor its tracer, nor another network${net:+ ($net)}"
	if [ $status -eq 0 ] && grep -q '| reached sockstep: 0 of 2$' "$tmp/reach" &&
	   grep -q '| left the network: 0$' "$tmp/reach"; then
		echo "PASS: $what"
	else
		echo "FAIL: $what: status $status"
		grep -E '\| (ancestor|reached|setns|left)' "$tmp/reach" | sed 's/^/    /'
	fi
done

# Without any capability (none effective, permitted or in the bounding
# set), a server still binds port 80 in the lesson's own namespace, as it
# could before: there low ports are anyone's.
cat >"$tmp/low.py" <<'PY'
import socket
print(" ".join(l.split()[0] + l.split()[1] for l in open("/proc/self/status") if l.startswith(("CapEff", "CapPrm", "CapBnd"))))
s = socket.socket()
s.bind(("127.0.0.1", 80))
s.listen()
print("bound", s.getsockname()[1])
PY
timeout 60 ./sockstep run --plain --server "python3 $tmp/low.py" >"$tmp/low" 2>&1
if grep -q '| CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:0000000000000000$' "$tmp/low" &&
   grep -q '| bound 80$' "$tmp/low"; then
	echo "PASS: a program runs without capabilities, and binds port 80 in its namespace"
elif grep -q '^# network: host' "$tmp/low"; then
	echo "SKIP: a program binds port 80 in its namespace: no network namespace here"
else
	echo "FAIL: a program runs without capabilities, and binds port 80 in its namespace"
	grep '|' "$tmp/low" | sed 's/^/    /'
fi
