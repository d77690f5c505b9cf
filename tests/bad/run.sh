#!/bin/bash
# Broken lessons: each tests/bad/X.lesson must fail with exactly the one line
# in X.expect (file:line:col: message) and exit status 2, in --plain and --list
# alike never crashing.
cd "$(dirname "$0")/../.." || exit 2
for lesson in tests/bad/*.lesson; do
	name=$(basename "$lesson" .lesson)
	expect="tests/bad/$name.expect"
	err=$(./sockstep --plain "$lesson" 2>&1 >/dev/null)
	status=$?
	first=$(printf '%s\n' "$err" | head -n 1)
	if [ $status -ne 2 ]; then
		echo "FAIL: $name: exit status $status, not 2"
	elif [ "$first" != "$(cat "$expect")" ]; then
		echo "FAIL: $name: said '$first', expected '$(cat "$expect")'"
	else
		echo "PASS: $name"
	fi
done
