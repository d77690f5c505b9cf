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
