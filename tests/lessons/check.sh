#!/bin/bash
# Every lesson passes sockstep --check: it runs to its end unattended, and
# every question's answer agrees with what really happened.
# --check runs each lesson twice, at full speed and with a pause longer
# than its timers before each step: most of the time is the lessons'
# sleeps, so three run side by side when each gets a network namespace of
# its own (else their ports would meet), reported in lesson order.
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check_one() {
	if ./sockstep --check "$1" >"$tmp/$(basename "$1").out" 2>&1; then
		echo "PASS: --check $1" >"$tmp/$(basename "$1").res"
	else
		echo "FAIL: --check $1" >"$tmp/$(basename "$1").res"
		sed 's/^/    /' "$tmp/$(basename "$1").out" >>"$tmp/$(basename "$1").res"
	fi
}
jobs_max=1
./sockstep --plain lessons/01-echo.lesson 2>/dev/null | grep -q '^# network: private network namespace' && jobs_max=3
for lesson in lessons/*.lesson; do
	while [ "$(jobs -rp | wc -l)" -ge $jobs_max ]; do
		wait -n
	done
	check_one "$lesson" &
done
wait
for lesson in lessons/*.lesson; do
	cat "$tmp/$(basename "$lesson").res"
done
# A wrong answer is caught, at the answer on its question's line: the same
# run, with the echo's answer changed.
cat >"$tmp/wrong.lesson" <<'LESSON'
title: A wrong answer
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 65432
  listen 1
  accept
  recv 100
  ? How many bytes will this recv() return?  [100] 5 0
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 65432
  send "hello"
LESSON
out=$(./sockstep --check "$tmp/wrong.lesson" 2>&1)
status=$?
if [ $status -eq 1 ] && echo "$out" | grep -q "wrong.lesson:8:46: the answer \"100\" is wrong: recv returned 5"; then
	echo "PASS: --check reports a wrong answer with its place"
else
	echo "FAIL: --check reports a wrong answer with its place (status $status)"
	echo "$out" | sed 's/^/    /'
fi
