#!/bin/bash
# Golden --plain --narrate runs: the lesson's words after the calls they
# explain, its questions before them. Each lesson with a
# tests/lessons/narrate/NAME.expect file runs for real and must print exactly
# that (masked as in run.sh); and without the narration lines it must be the
# plain run of tests/lessons/NAME.expect, line for line: --narrate only adds.
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

normalize() {
	sed -E -e '/^# (network|kernel view):/d' -e '/^ +~ /d' \
	       -e 's/:(3[2-9][0-9]{3}|[45][0-9]{4}|60[0-9]{3})\b/:EPHEMERAL/g'
}

# The narration, the questions and the lesson's summary (the second "#" line).
unnarrate() {
	sed -E -e '/^ +[>?] /d' -e '2{/^# /d}'
}

for expect in tests/lessons/narrate/*.expect; do
	name=$(basename "$expect" .expect)
	lesson=$(ls lessons/[0-9][0-9]-"$name".lesson 2>/dev/null | head -n 1)
	if [ -z "$lesson" ]; then
		echo "FAIL: narrate $name: no lesson file for $expect"
		continue
	fi
	./sockstep --plain --narrate "$lesson" >"$tmp/out" 2>&1
	status=$?
	if [ $status -ne 0 ]; then
		echo "FAIL: narrate $name: exit status $status"
		tail -n 5 "$tmp/out" | sed 's/^/    /'
		continue
	fi
	normalize <"$tmp/out" >"$tmp/norm"
	if diff -u "$expect" "$tmp/norm" >"$tmp/diff"; then
		echo "PASS: narrate $name: matches"
	else
		echo "FAIL: narrate $name: differs"
		head -n 30 "$tmp/diff" | sed 's/^/    /'
	fi
	if unnarrate <"$tmp/norm" | diff -u "tests/lessons/$name.expect" - >"$tmp/diff"; then
		echo "PASS: narrate $name: without its narration, the plain run"
	else
		echo "FAIL: narrate $name: without its narration, not the plain run"
		head -n 30 "$tmp/diff" | sed 's/^/    /'
	fi
done

# sockstep run: a program has no lesson steps, so each kind of call it makes
# is explained the first time, as the narration pane explains it. (Python's
# first calls make and close an epoll set, at import: six kinds.)
# The interpreter itself, not a version manager's shell wrapper around it
# (whose own calls would be explained too), as tests/lib-python.sh finds it.
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -n "$PY" ]; then
	timeout 60 ./sockstep run --plain --narrate --server "$PY tests/programs/echo-server.py" \
		--client "$PY tests/programs/echo-client.py" >"$tmp/out" 2>&1
	status=$?
	grep -v '^ *~ ' "$tmp/out" >"$tmp/calls"
	after_recv=$(grep -E -A 2 '^server +recv\(4, 1024\) = 12$' "$tmp/calls" | grep -c '^ *> server: recv() takes what has arrived')
	if [ $status = 0 ] && [ "$after_recv" = 1 ] && [ "$(grep -c '^ *> server: recv()' "$tmp/calls")" = 1 ] &&
	   grep -q '^ *> server: socket() makes an endpoint' "$tmp/calls" &&
	   [ "$(grep -c '^ *> client: ' "$tmp/calls")" = 6 ] &&
	   grep -q '^ *> client: epoll_create1() makes an epoll set' "$tmp/calls" &&
	   grep -q '^ *> client: close() gives the descriptor back: this one is an epoll set' "$tmp/calls"; then
		echo "PASS: narrate: sockstep run explains each kind of call once, under its first line"
	else
		echo "FAIL: narrate: sockstep run explains each kind of call once, under its first line (status $status)"
		head -n 30 "$tmp/calls" | sed 's/^/    /'
	fi
else
	echo "SKIP: narrate: sockstep run explains each kind of call once: python3 is not installed"
fi
