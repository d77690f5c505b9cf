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
# after holds a call back until another actor's step has returned: here
# the server's recv() waits for the client's second send, and so gets both
# (5 bytes); without the after it would run at once and get 3.
cat >"$tmp/after.lesson" <<'LESSON'
title: After
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 65432
  listen 1
  accept
  after client send 2
  recv 100
  ? How many bytes will this recv() return?  [5] 3 0
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 65432
  send "hel"
  send "lo"
LESSON
out=$(./sockstep --check "$tmp/after.lesson" 2>&1)
if [ $? -eq 0 ]; then
	echo "PASS: --check: after holds the server's recv until the client's second send"
else
	echo "FAIL: --check: after holds the server's recv until the client's second send"
	echo "$out" | sed 's/^/    /'
fi
sed -i '/^  after client send 2$/d' "$tmp/after.lesson"
out=$(./sockstep --check "$tmp/after.lesson" 2>&1)
if [ $? -eq 1 ] && echo "$out" | grep -q 'the answer "5" is wrong: recv returned 3'; then
	echo "PASS: --check: without after, the server's recv runs before the second send"
else
	echo "FAIL: --check: without after, the server's recv runs before the second send"
	echo "$out" | sed 's/^/    /'
fi
# An after that waits for a step that never returns is named with its
# line, as the place to look, besides the call that blocks.
cat >"$tmp/held.lesson" <<'LESSON'
title: Held for ever
actor server
  socket AF_INET SOCK_STREAM
  bind 127.0.0.1 65432
  listen 1
  accept
  after client recv
  send "x"
actor client
  socket AF_INET SOCK_STREAM
  connect 127.0.0.1 65432
  recv 10
LESSON
out=$(./sockstep --check "$tmp/held.lesson" 2>&1)
if [ $? -eq 1 ] && echo "$out" | grep -q "held.lesson:7:3: the run does not reach its end: server waits, by this after, for client's step 3 (recv 10), which has not returned"; then
	echo "PASS: --check names an after that holds a call for ever, at its line"
else
	echo "FAIL: --check names an after that holds a call for ever, at its line"
	echo "$out" | sed 's/^/    /'
fi
